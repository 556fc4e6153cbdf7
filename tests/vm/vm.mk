# SPDX-License-Identifier: GPL-2.0-or-later
#
# VM tests of the kernel module (qemu). Included from Makefile.am.
# Needs root, qemu-system-x86, linux-image-amd64 (6.1.0-56), busybox-static, cpio, e2fsprogs
# (tests/vm/README.md). Configure with --prefix=/usr --sysconfdir=/etc --localstatedir=/var
# --runstatedir=/run so that the daemon's built-in paths are the guest's.
#
#   make vm-smoke      boot, load ksmbd.ko, serve, put/get, ksmbd.control -s, rmmod with a client
#                      connected, reload, dmesg clean (a few minutes)
#   make vm-suite      64 MiB put/get, 2,000-file listing, cifs.ko in the guest, the data path's
#                      smbtorture tests, 20 load/serve/unload cycles, interop both ways
#
# VM_KMOD: the module to test; default ./kmod-ko/ksmbd.ko (`make kmod`) when it exists,
# else Debian's in-tree ksmbd.ko. `make vm-smoke VM_KMOD=` forces the in-tree one.
EXTRA_DIST += tests/vm/vm-test.sh tests/vm/vm.mk
VM_KMOD = $(wildcard $(abs_builddir)/kmod-ko/ksmbd.ko)
VM_PROGS = server/ksmbd.mountd server/ksmbd.adduser server/ksmbd.addshare server/ksmbd.control

vm-smoke vm-suite: $(VM_PROGS)
	OURS='$(abs_builddir)/server' KMOD='$(VM_KMOD)' \
		$(top_srcdir)/tests/vm/vm-test.sh $(@:vm-%=%)
.PHONY: vm-smoke vm-suite
