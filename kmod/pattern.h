/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QUERY_DIRECTORY search patterns (MS-FSA 2.1.4.4): does a file name
 * match an expression with '*', '?' and the DOS wildcards '<' (DOS_STAR),
 * '>' (DOS_QM) and '"' (DOS_DOT)? Case-insensitive, as Windows matches.
 *
 * Pure functions on UTF-8 strings: no allocation, no os_* call, bounded
 * work (pattern length x name length) and stack (SMBD_PATTERN_MAX bits).
 */
#ifndef SMBD_PATTERN_H
#define SMBD_PATTERN_H

#include "os.h"

/* Longest pattern accepted, in UTF-8 bytes (names are at most 255 characters). */
#define SMBD_PATTERN_MAX	1024U

/* Does pat (len bytes) contain any of the five wildcard characters? */
int smbd_pattern_has_wild(const char *pat, u32 len);

/* Is pat one that matches every name ("*" or "*.*", MS-FSA 2.1.4.4 part 1)? */
int smbd_pattern_is_all(const char *pat, u32 len);

/*
 * 1 when name matches pat, else 0. A pattern longer than
 * SMBD_PATTERN_MAX, or an empty name or pattern (unless both are
 * empty), matches nothing.
 */
int smbd_pattern_match(const char *pat, u32 plen, const char *name, u32 nlen);

#endif /* SMBD_PATTERN_H */
