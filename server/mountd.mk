# SPDX-License-Identifier: GPL-2.0-or-later
#
# ksmbd.mountd: the daemon core in user mode (main, IPC message layer, the
# unix-socket transport, the SMBD_GENL handlers, logging), its unit test
# and its integration test. Included from Makefile.am after config.mk,
# policy.mk and users.mk (it uses CONFIG_PARSER, POLICY_SOURCES,
# USERDB_SOURCES and USERDB_PATH_CPPFLAGS) and after UNIT_TESTS,
# sbin_PROGRAMS, TESTS and EXTRA_DIST are first set.

MOUNTD_CORE_SOURCES = \
	server/handlers.c server/handlers.h \
	server/ipc.c server/ipc.h \
	server/ipc_sock.c \
	server/log.c server/log.h \
	$(CONFIG_PARSER) \
	$(POLICY_SOURCES) \
	$(USERDB_SOURCES)

sbin_PROGRAMS += server/ksmbd.mountd
server_ksmbd_mountd_SOURCES = server/mountd.c $(MOUNTD_CORE_SOURCES)
server_ksmbd_mountd_CPPFLAGS = $(AM_CPPFLAGS) $(TALLOC_CFLAGS) $(TEVENT_CFLAGS) \
	$(USERDB_PATH_CPPFLAGS)
server_ksmbd_mountd_LDADD = libwire.a $(TEVENT_LIBS) $(TALLOC_LIBS)

UNIT_TESTS += tests/unit/test_handlers
tests_unit_test_handlers_SOURCES = tests/unit/test_handlers.c $(MOUNTD_CORE_SOURCES)
tests_unit_test_handlers_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/server \
	$(TALLOC_CFLAGS) $(TEVENT_CFLAGS)
tests_unit_test_handlers_LDADD = libwire.a $(CMOCKA_LIBS) $(TEVENT_LIBS) $(TALLOC_LIBS)

# Runs ./server/ksmbd.mountd (or $MOUNTD) from the build directory.
TESTS += tests/integration/test_mountd.py
EXTRA_DIST += tests/integration/test_mountd.py
