# SPDX-License-Identifier: GPL-2.0-or-later
#
# The admin tools ksmbd.addshare and ksmbd.control, their integration
# tests and the systemd unit. Included from Makefile.am after
# server/config.mk (CONFIG_PARSER) and server/users.mk (USERDB_SOURCES,
# USERDB_PATH_CPPFLAGS), once sbin_PROGRAMS and EXTRA_DIST are set.

# ksmbd.addshare validates its edits with the daemon's own parser and
# writes through write_file_atomic() (server/userdb.c).
sbin_PROGRAMS += server/ksmbd.addshare
server_ksmbd_addshare_SOURCES = server/addshare.c $(CONFIG_PARSER) $(USERDB_SOURCES) \
	$(DAEMON_LOCK_SOURCES)
server_ksmbd_addshare_CPPFLAGS = $(AM_CPPFLAGS) $(TALLOC_CFLAGS) $(USERDB_PATH_CPPFLAGS)
server_ksmbd_addshare_LDADD = $(TALLOC_LIBS)

sbin_PROGRAMS += server/ksmbd.control
server_ksmbd_control_SOURCES = server/control.c $(DAEMON_LOCK_SOURCES)
server_ksmbd_control_CPPFLAGS = $(AM_CPPFLAGS) $(USERDB_PATH_CPPFLAGS)
server_ksmbd_control_LDADD = libwire.a

# Both scripts run the tools from the build directory (./server/...) and
# need no root: they work in temporary directories and a fake sysfs tree.
# TESTS is first set after the server/*.mk includes (automake refuses a
# `+=` before the `=`), so Makefile.am adds them like users.mk's:
#   TESTS = ... $(USERS_INTEGRATION_TESTS) $(TOOLS_INTEGRATION_TESTS)
TOOLS_INTEGRATION_TESTS = \
	tests/integration/test_addshare.sh \
	tests/integration/test_control.sh
EXTRA_DIST += $(TOOLS_INTEGRATION_TESTS) contrib/ksmbd.service
