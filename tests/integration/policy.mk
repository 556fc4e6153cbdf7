# SPDX-License-Identifier: GPL-2.0-or-later
#
# Tree connect policy and guest sessions with real clients. Included from Makefile.am.
