# SPDX-License-Identifier: GPL-2.0-or-later
#
# The status view (ksmbd.control --status). Included from Makefile.am.
