// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksmbd.subauth: load, save and create-once of the local domain SID's
 * three sub-authorities. The file format is described in subauth.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "subauth.h"
#include "userdb.h"	/* write_file_atomic(), read_small_file() */

/* Longer than any valid file; anything bigger is certainly not ours. */
#define SUBAUTH_FILE_MAX	4096

/* Parse 1-10 digits at *@pos into a u32, advancing *@pos. */
static int parse_u32(const char *buf, size_t len, size_t *pos, uint32_t *out)
{
	uint64_t v = 0;
	size_t start = *pos;

	while (*pos < len && buf[*pos] >= '0' && buf[*pos] <= '9') {
		if (*pos - start == 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(buf[*pos] - '0');
		(*pos)++;
	}
	if (*pos == start || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int subauth_parse(const char *buf, size_t len, struct subauth *out)
{
	struct subauth sa;
	size_t pos = 0;
	int i;

	for (i = 0; i < SUBAUTH_COUNT; i++) {
		if (i) {
			if (pos >= len || buf[pos] != ':')
				return -EINVAL;
			pos++;
		}
		if (parse_u32(buf, len, &pos, &sa.sub[i]))
			return -EINVAL;
	}
	/* Only line ends may follow (a CRLF written by an editor is fine). */
	for (; pos < len; pos++)
		if (buf[pos] != '\n' && buf[pos] != '\r')
			return -EINVAL;
	*out = sa;
	return 0;
}

int subauth_format(const struct subauth *sa, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%u:%u:%u\n",
			 sa->sub[0], sa->sub[1], sa->sub[2]);

	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}

int subauth_generate(struct subauth *out)
{
	uint8_t *p = (uint8_t *)out->sub;
	size_t got = 0;
	int tries;

	/* Bounded: getrandom() only returns short for signals. */
	for (tries = 0; got < sizeof(out->sub) && tries < 100; tries++) {
		ssize_t n = getrandom(p + got, sizeof(out->sub) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		got += (size_t)n;
	}
	return got == sizeof(out->sub) ? 0 : -EIO;
}

int subauth_load(const char *path, struct subauth *out)
{
	char *buf;
	size_t len;
	int ret;

	ret = read_small_file(NULL, path, SUBAUTH_FILE_MAX, &buf, &len);
	if (ret == -EFBIG)
		return -EINVAL;
	if (ret)
		return ret;
	ret = subauth_parse(buf, len, out);
	talloc_free(buf);
	return ret;
}

static int write_subauth(const char *path, const struct subauth *sa,
			 bool no_replace)
{
	char text[SUBAUTH_TEXT_MAX];
	int len = subauth_format(sa, text, sizeof(text));

	if (len < 0)
		return len;
	return write_file_atomic(path, text, (size_t)len, SUBAUTH_FILE_MODE,
				 no_replace);
}

int subauth_save(const char *path, const struct subauth *sa)
{
	return write_subauth(path, sa, false);
}

int subauth_load_or_create(const char *path, struct subauth *out, bool *created)
{
	struct subauth fresh;
	int ret;

	if (created)
		*created = false;
	ret = subauth_load(path, out);
	if (ret != -ENOENT)
		return ret;

	ret = subauth_generate(&fresh);
	if (ret)
		return ret;
	ret = write_subauth(path, &fresh, true);
	if (ret == -EEXIST)	/* someone else created it first: use theirs */
		return subauth_load(path, out);
	if (ret)
		return ret;
	*out = fresh;
	if (created)
		*created = true;
	return 0;
}

int subauth_sid_string(const struct subauth *sa, char *buf, size_t size)
{
	int n = snprintf(buf, size, "S-1-5-21-%u-%u-%u",
			 sa->sub[0], sa->sub[1], sa->sub[2]);

	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}
