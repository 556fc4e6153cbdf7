# SPDX-License-Identifier: GPL-2.0-or-later
#
# Manual pages: `make install` puts them into $(mandir)/man5 and man8
# (automake picks the section from the suffix), `make dist` ships them.
# Included from Makefile.am.

dist_man_MANS = \
	man/ksmbd.conf.5 \
	man/ksmbd.addshare.8 \
	man/ksmbd.adduser.8 \
	man/ksmbd.control.8 \
	man/ksmbd.mountd.8
