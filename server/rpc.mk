# SPDX-License-Identifier: GPL-2.0-or-later
#
# DCE/RPC services of ksmbd.mountd on the IPC$ pipes (server/rpc*.c) and
# their unit test. Included from server/mountd.mk before MOUNTD_CORE_SOURCES
# (which adds $(RPC_SOURCES)); UNIT_TESTS is set by then.

RPC_SOURCES = \
	server/rpc.c server/rpc.h \
	server/rpc_srvsvc.c \
	server/rpc_wkssvc.c \
	server/rpc_samr.c \
	server/rpc_lsarpc.c

UNIT_TESTS += tests/unit/test_rpc
tests_unit_test_rpc_SOURCES = tests/unit/test_rpc.c $(RPC_SOURCES) \
	server/log.c server/log.h $(CONFIG_PARSER) $(USERDB_SOURCES)
tests_unit_test_rpc_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/server \
	$(TALLOC_CFLAGS)
tests_unit_test_rpc_LDADD = libwire.a $(CMOCKA_LIBS) $(TALLOC_LIBS)

# The services as clients reach them: smbclient -L, rpcclient and impacket
# over named pipes through the data path (needs ./kmod/smbd-user too).
TESTS += tests/integration/test_rpc_clients.py
EXTRA_DIST += tests/integration/test_rpc_clients.py
