# SPDX-License-Identifier: GPL-2.0-or-later
#
# The data path (kmod/): its portable core and the userspace host
# kmod/smbd-user. Included last from Makefile.am. The kernel host and its
# Kbuild come in their own issue (kmod/Kbuild and kmod/Makefile only build
# the generated code's compile check for now).

# The core: only os.h and generated headers (DESIGN.md principle 3).
KMOD_CORE_SOURCES = \
	kmod/os.h kmod/smbd.h \
	kmod/connection.c \
	kmod/smb2_dispatch.c \
	kmod/negotiate.c \
	kmod/smb1.c \
	kmod/spnego.c kmod/spnego.h \
	kmod/session.c \
	kmod/ntlm.c kmod/ntlm.h \
	kmod/preauth.c \
	kmod/signing.c \
	kmod/transform.c \
	kmod/tree.c \
	kmod/echo.c \
	kmod/upcall.c kmod/upcall.h \
	kmod/ntstatus.h \
	kmod/errmap.c \
	kmod/unicode.c \
	kmod/path.c \
	kmod/open.c \
	kmod/inode.c \
	kmod/oplock.c \
	kmod/async.c \
	kmod/lock.c \
	kmod/create.c \
	kmod/close.c \
	kmod/meta.c \
	kmod/query_info.c \
	kmod/set_info.c \
	kmod/query_dir.c \
	kmod/pattern.c kmod/pattern.h \
	kmod/read_write.c \
	kmod/ioctl.c \
	kmod/pipe.c \
	kmod/status.c

# The userspace host of os.h.
KMOD_USER_SOURCES = \
	kmod/user/host.h \
	kmod/user/os_user.c \
	kmod/user/crypto.c \
	kmod/user/work.c \
	kmod/user/net.c \
	kmod/user/ipc_client.c \
	kmod/user/main.c \
	kmod/user/vfs.c \
	kmod/user/cred.c \
	kmod/user/status.c

# Installed where ksmbd.mountd looks for it by default (--data-path):
# the daemon starts and supervises it in user mode.
pkglibexec_PROGRAMS = kmod/smbd-user
kmod_smbd_user_SOURCES = $(KMOD_CORE_SOURCES) $(KMOD_USER_SOURCES)
kmod_smbd_user_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/kmod -I$(top_srcdir)/kmod/user \
	$(GNUTLS_CFLAGS)
# nettle (RC4) comes with gnutls on Debian (libnettle-dev); configure does
# not check for it separately yet.
kmod_smbd_user_LDADD = libwire.a $(GNUTLS_LIBS) -lnettle -lpthread

# Needs ./server/ksmbd.mountd and smbclient (skipped without it).
TESTS += tests/integration/test_datapath.py
EXTRA_DIST += tests/integration/test_datapath.py

# Byte-range locks (kmod/lock.c) with raw SMB2 LOCK messages: validation,
# conflicts, waiting locks, teardown. Needs impacket (skipped without it).
TESTS += tests/integration/test_lock.py
EXTRA_DIST += tests/integration/test_lock.py

# The userspace host's frame handling: batches, read-ahead, hostile
# framing (kmod/user/net.c) with raw frames.
TESTS += tests/integration/test_net.py
EXTRA_DIST += tests/integration/test_net.py

# The host's files beneath a share root (vfs.c) and identity (cred.c),
# as a cmocka test (part of UNIT_TESTS: check_PROGRAMS and TESTS).
UNIT_TESTS += tests/unit/test_vfs_user
tests_unit_test_vfs_user_SOURCES = tests/unit/test_vfs_user.c \
	kmod/user/vfs.c kmod/user/cred.c kmod/user/os_user.c
tests_unit_test_vfs_user_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/kmod \
	-I$(top_srcdir)/kmod/user
tests_unit_test_vfs_user_LDADD = $(CMOCKA_LIBS) -lpthread

# The whole data path behind the transport, fuzzed (tests/fuzz/fuzz_dispatch.c):
# the core and the host's files, VFS and crypto, on a scratch share.
if ENABLE_FUZZING
noinst_PROGRAMS += fuzz/fuzz_dispatch
fuzz_fuzz_dispatch_SOURCES = tests/fuzz/fuzz_dispatch.c $(KMOD_CORE_SOURCES) \
	kmod/user/os_user.c kmod/user/crypto.c kmod/user/vfs.c kmod/user/cred.c
fuzz_fuzz_dispatch_CPPFLAGS = $(kmod_smbd_user_CPPFLAGS)
fuzz_fuzz_dispatch_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
fuzz_fuzz_dispatch_LDFLAGS = $(FUZZ_LDFLAGS)
fuzz_fuzz_dispatch_LDADD = libwire_fuzz.a $(GNUTLS_LIBS) -lnettle -lpthread
endif

# QUERY_DIRECTORY's wildcard matching (kmod/pattern.c), with the case
# folding of kmod/unicode.c it relies on, as a cmocka test.
UNIT_TESTS += tests/unit/test_pattern
tests_unit_test_pattern_SOURCES = tests/unit/test_pattern.c \
	kmod/pattern.c kmod/pattern.h kmod/unicode.c
tests_unit_test_pattern_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/kmod
tests_unit_test_pattern_LDADD = libwire.a $(CMOCKA_LIBS)

# Names: UTF-16/UTF-8, case folding, CREATE name checks and the
# case-insensitive walk (unicode.c, path.c; os.h file calls stubbed).
UNIT_TESTS += tests/unit/test_path
tests_unit_test_path_SOURCES = tests/unit/test_path.c \
	kmod/unicode.c kmod/path.c kmod/errmap.c
tests_unit_test_path_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/kmod

# user.DOSATTRIB in Samba's formats, attributes and creation time
# (kmod/meta.c), over the userspace host's files, as a cmocka test.
UNIT_TESTS += tests/unit/test_meta
tests_unit_test_meta_SOURCES = tests/unit/test_meta.c kmod/meta.c kmod/errmap.c \
	kmod/user/vfs.c kmod/user/cred.c kmod/user/os_user.c
tests_unit_test_meta_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/kmod \
	-I$(top_srcdir)/kmod/user
tests_unit_test_meta_LDADD = libwire.a $(CMOCKA_LIBS) -lpthread

# Named pipes on IPC$ (kmod/pipe.c): the RPC_REQUEST upcalls and the
# buffering of responses, against a scripted daemon standing in for
# os_upcall, as a cmocka test.
UNIT_TESTS += tests/unit/test_pipe
tests_unit_test_pipe_SOURCES = tests/unit/test_pipe.c \
	kmod/pipe.c kmod/upcall.c kmod/upcall.h kmod/open.c kmod/unicode.c
tests_unit_test_pipe_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/kmod
