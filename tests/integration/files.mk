# SPDX-License-Identifier: GPL-2.0-or-later
#
# The file-serving tests with real clients, the path-escape suite, the
# demo script and the smbtorture conformance run. Included from Makefile.am
# right after server/mountd.mk (TESTS and EXTRA_DIST are set by then).
#
#   make check                      runs the two tests below with the others
#   make torture                    smbtorture: every test of tests/torture/conformance.list
#   make torture TORTURE_ARGS='smb2.connect smb2.dir.find'    some tests only
#   make torture TORTURE_ARGS=--update-knownfail              rewrite the known failures

# Both need ./server/ksmbd.mountd, ./server/ksmbd.adduser and
# ./kmod/smbd-user (built by `all`, which `check` builds first) and
# smbclient (skipped without it); test_files.py also /usr/bin/python3 with
# python3-smbc. SMBD_TEST_BIG_MB (default 256) sizes test_files.py's big file.
# tests/integration/smbdtest.py starts and stops the server for these, the
# other integration tests and run-torture; they import it from their own
# directory (in a VPATH build the source tree's), which Python searches first.
FILES_INTEGRATION_TESTS = \
	tests/integration/test_files.py \
	tests/integration/test_escape.py \
	tests/integration/test_oplock.py

TESTS += $(FILES_INTEGRATION_TESTS)
EXTRA_DIST += $(FILES_INTEGRATION_TESTS) \
	tests/integration/smbdtest.py \
	tests/integration/rawsmb2.py \
	tools/run-demo \
	tests/torture/run-torture \
	tests/torture/conformance.list \
	tests/torture/knownfail \
	tests/torture/README.md

TORTURE_ARGS =

torture: server/ksmbd.mountd server/ksmbd.adduser kmod/smbd-user
	$(top_srcdir)/tests/torture/run-torture --build-dir . $(TORTURE_ARGS)

.PHONY: torture
