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
	kmod/spnego.c kmod/spnego.h \
	kmod/session.c \
	kmod/ntlm.c kmod/ntlm.h \
	kmod/preauth.c \
	kmod/signing.c \
	kmod/tree.c \
	kmod/echo.c \
	kmod/upcall.c kmod/upcall.h \
	kmod/ntstatus.h \
	kmod/errmap.c \
	kmod/unicode.c \
	kmod/path.c \
	kmod/open.c \
	kmod/inode.c \
	kmod/create.c \
	kmod/close.c \
	kmod/meta.c \
	kmod/query_info.c \
	kmod/set_info.c \
	kmod/query_dir.c \
	kmod/read_write.c \
	kmod/ioctl.c

# The userspace host of os.h.
KMOD_USER_SOURCES = \
	kmod/user/host.h \
	kmod/user/os_user.c \
	kmod/user/crypto.c \
	kmod/user/work.c \
	kmod/user/net.c \
	kmod/user/ipc_client.c \
	kmod/user/main.c

noinst_PROGRAMS += kmod/smbd-user
kmod_smbd_user_SOURCES = $(KMOD_CORE_SOURCES) $(KMOD_USER_SOURCES)
kmod_smbd_user_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/kmod -I$(top_srcdir)/kmod/user \
	$(GNUTLS_CFLAGS)
# nettle (RC4) comes with gnutls on Debian (libnettle-dev); configure does
# not check for it separately yet.
kmod_smbd_user_LDADD = libwire.a $(GNUTLS_LIBS) -lnettle -lpthread

# Needs ./server/ksmbd.mountd and smbclient (skipped without it).
TESTS += tests/integration/test_datapath.py
EXTRA_DIST += tests/integration/test_datapath.py
