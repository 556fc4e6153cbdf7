# SPDX-License-Identifier: GPL-2.0-or-later
#
# The load and abuse test of the data path (issue 7): smbclient clients
# putting, getting and deleting files of random size while other peers
# hold idle connections, stop mid-frame, stop reading their answers and
# open and close connections by the thousand. Included from Makefile.am
# after tests/integration/files.mk (TESTS and EXTRA_DIST are set by then).
#
#   make check        the short run: 50 clients for 10 s, about a minute
#   make check-load   the issue's bar: 200 clients for 60 s, about 2 minutes
#
# Both need ./server/ksmbd.mountd, ./server/ksmbd.adduser, ./kmod/smbd-user
# and smbclient (skipped without it). The environment variables of
# tests/integration/test_load.py size the run, e.g.
#   make check-load SMBD_LOAD_STALLERS=8    more stalling peers than workers
LOAD_INTEGRATION_TESTS = tests/integration/test_load.py

TESTS += $(LOAD_INTEGRATION_TESTS)
EXTRA_DIST += $(LOAD_INTEGRATION_TESTS)

check-load: server/ksmbd.mountd server/ksmbd.adduser kmod/smbd-user
	SMBD_LOAD_FULL=1 $(top_srcdir)/tests/integration/test_load.py

.PHONY: check-load
