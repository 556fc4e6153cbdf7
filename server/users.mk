# SPDX-License-Identifier: GPL-2.0-or-later
#
# The user database (ksmbdpwd.db, ksmbd.subauth) and ksmbd.adduser.
# Included from Makefile.am after UNIT_TESTS, sbin_PROGRAMS and EXTRA_DIST
# are first set.

# The daemon links these too (USERDB_SOURCES, with $(TALLOC_CFLAGS/LIBS)).
USERDB_SOURCES = \
	server/md4.c server/md4.h \
	server/userdb.c server/userdb.h \
	server/subauth.c server/subauth.h

# Where the tools look by default: $(sysconfdir)/ksmbd/ksmbdpwd.db and
# ksmbd.subauth, and the daemon's pid/lock file $(runstatedir)/ksmbd.lock.
USERDB_PATH_CPPFLAGS = \
	-DSYSCONFDIR='"$(sysconfdir)"' \
	-DRUNSTATEDIR='"$(runstatedir)"'

# Finding the running daemon through its lock file (the tools share it).
DAEMON_LOCK_SOURCES = server/daemon_lock.c server/daemon_lock.h

sbin_PROGRAMS += server/ksmbd.adduser
server_ksmbd_adduser_SOURCES = server/adduser.c $(USERDB_SOURCES) $(DAEMON_LOCK_SOURCES)
server_ksmbd_adduser_CPPFLAGS = $(AM_CPPFLAGS) $(TALLOC_CFLAGS) $(USERDB_PATH_CPPFLAGS)
server_ksmbd_adduser_LDADD = $(TALLOC_LIBS)

UNIT_TESTS += tests/unit/test_userdb
tests_unit_test_userdb_SOURCES = tests/unit/test_userdb.c $(USERDB_SOURCES)
tests_unit_test_userdb_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/server $(TALLOC_CFLAGS)
tests_unit_test_userdb_LDADD = $(CMOCKA_LIBS) $(TALLOC_LIBS)

# End-to-end test of the built tool. With no argument it runs
# ./server/ksmbd.adduser, so it can go into TESTS as it is:
#   TESTS += $(USERS_INTEGRATION_TESTS)
USERS_INTEGRATION_TESTS = tests/integration/test_adduser.sh
EXTRA_DIST += $(USERS_INTEGRATION_TESTS)
