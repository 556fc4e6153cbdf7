# SPDX-License-Identifier: GPL-2.0-or-later
#
# ksmbd.mountd: the daemon core (main, IPC message layer, the unix-socket
# transport of user mode, the generic netlink transport of kernel mode, the
# SMBD_GENL handlers, logging), its unit tests and its integration test. Included from Makefile.am after config.mk,
# policy.mk and users.mk (it uses CONFIG_PARSER, POLICY_SOURCES,
# USERDB_SOURCES and USERDB_PATH_CPPFLAGS) and after UNIT_TESTS,
# sbin_PROGRAMS, TESTS and EXTRA_DIST are first set.

include $(srcdir)/server/rpc.mk

MOUNTD_CORE_SOURCES = $(RPC_SOURCES) \
	server/handlers.c server/handlers.h \
	server/ipc.c server/ipc.h \
	server/ipc_sock.c \
	server/ipc_genl.c \
	server/log.c server/log.h \
	$(CONFIG_PARSER) \
	$(POLICY_SOURCES) \
	$(USERDB_SOURCES)

sbin_PROGRAMS += server/ksmbd.mountd
server_ksmbd_mountd_SOURCES = server/mountd.c \
	server/supervise.c server/supervise.h \
	$(MOUNTD_CORE_SOURCES)
# PKGLIBEXECDIR: where the user-mode data path (kmod/smbd-user) is installed
server_ksmbd_mountd_CPPFLAGS = $(AM_CPPFLAGS) $(TALLOC_CFLAGS) $(TEVENT_CFLAGS) \
	$(USERDB_PATH_CPPFLAGS) -DPKGLIBEXECDIR='"$(pkglibexecdir)"'
server_ksmbd_mountd_LDADD = libwire.a $(TEVENT_LIBS) $(TALLOC_LIBS)

UNIT_TESTS += tests/unit/test_handlers
tests_unit_test_handlers_SOURCES = tests/unit/test_handlers.c $(MOUNTD_CORE_SOURCES)
tests_unit_test_handlers_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/server \
	$(TALLOC_CFLAGS) $(TEVENT_CFLAGS)
tests_unit_test_handlers_LDADD = libwire.a $(CMOCKA_LIBS) $(TEVENT_LIBS) $(TALLOC_LIBS)

UNIT_TESTS += tests/unit/test_genl
tests_unit_test_genl_SOURCES = tests/unit/test_genl.c $(MOUNTD_CORE_SOURCES)
tests_unit_test_genl_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/server \
	$(TALLOC_CFLAGS) $(TEVENT_CFLAGS)
tests_unit_test_genl_LDADD = libwire.a $(CMOCKA_LIBS) $(TEVENT_LIBS) $(TALLOC_LIBS)

# Runs ./server/ksmbd.mountd (or $MOUNTD) from the build directory.
TESTS += tests/integration/test_mountd.py
EXTRA_DIST += tests/integration/test_mountd.py

# ksmbd.mountd starting and restarting ./kmod/smbd-user (or $SMBD_USER);
# needs smbclient (skipped without it or without the binaries).
TESTS += tests/integration/test_supervise.py
EXTRA_DIST += tests/integration/test_supervise.py

# Kernel mode against the real ksmbd.ko in a qemu VM (slow, root, needs
# qemu-system-x86 and linux-image-amd64): not part of `make check`.
EXTRA_DIST += tests/vm/vm-ksmbd.sh tests/vm/README.md
vm-check: server/ksmbd.mountd server/ksmbd.adduser server/ksmbd.addshare
	$(top_srcdir)/tests/vm/vm-ksmbd.sh check $(abs_builddir)/server
.PHONY: vm-check
