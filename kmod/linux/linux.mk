# SPDX-License-Identifier: GPL-2.0-or-later
#
# The kernel module ksmbd.ko (the kernel host, kmod/linux/). Included from Makefile.am.
#
#   make kmod            build ksmbd.ko (staged in ./kmod-ko) against $(KERNEL_DIR)
#   make kmod-selftest   build smbd_selftest_crypto.ko (crypto known-answer tests)
#   make install         also installs ksmbd.ko to
#                        $(DESTDIR)/lib/modules/$(KVER)/$(KMOD_INSTALL_DIR)/ksmbd.ko
#                        and runs depmod unless DESTDIR is set
#                        (make install KMOD_INSTALL=no: not the module)
#
# Not part of `make` (all): a kernel build of the whole core takes minutes.
# kmod/Makefile does the work (see kmod/linux/README.md); the sources are
# staged so that VPATH builds work. KVER defaults to the release the
# kernel tree was built for; KMOD_INSTALL_DIR to "updates", which depmod
# ranks above the in-tree ksmbd.ko.

EXTRA_DIST += \
	kmod/linux/Kbuild \
	kmod/linux/README.md \
	kmod/linux/dkms.conf \
	kmod/linux/khost.h \
	kmod/linux/os_linux.c \
	kmod/linux/crypto.c \
	kmod/linux/cred.c \
	kmod/linux/vfs.c \
	kmod/linux/net.c \
	kmod/linux/main.c \
	kmod/linux/genl.c \
	kmod/linux/sysfs.c \
	kmod/linux/selftest_crypto.c \
	kmod/linux/selftest_vfs.c

KMOD_INSTALL_DIR = updates
KMOD_INSTALL = yes
KO_STAGE = $(abs_builddir)/kmod-ko
KO_MAKE = SMBD_TOP='$(abs_top_srcdir)' KDIR='$(KERNEL_DIR)' STAGE_KO='$(KO_STAGE)' \
	$(MAKE) --no-print-directory -f $(abs_top_srcdir)/kmod/Makefile

if ENABLE_KMOD
KVER = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	'$(KERNEL_DIR)/include/generated/utsrelease.h' 2>/dev/null)

kmod:
	+@$(KO_MAKE) module

kmod-selftest:
	+@$(KO_MAKE) selftest

kmod-install: kmod
	@test -n '$(KVER)' || { echo "kmod-install: no UTS_RELEASE in $(KERNEL_DIR); set KVER=" >&2; exit 1; }
	$(MKDIR_P) '$(DESTDIR)/lib/modules/$(KVER)/$(KMOD_INSTALL_DIR)'
	$(INSTALL_DATA) '$(KO_STAGE)/ksmbd.ko' '$(DESTDIR)/lib/modules/$(KVER)/$(KMOD_INSTALL_DIR)/ksmbd.ko'
	@if test -z '$(DESTDIR)'; then echo "depmod -a $(KVER)"; depmod -a '$(KVER)' || :; fi

kmod-uninstall:
	rm -f '$(DESTDIR)/lib/modules/$(KVER)/$(KMOD_INSTALL_DIR)/ksmbd.ko'
	@if test -z '$(DESTDIR)' && test -n '$(KVER)'; then depmod -a '$(KVER)' || :; fi

# KMOD_INSTALL=no: make install leaves the module alone (userspace only)
install-data-local:
	+@if test '$(KMOD_INSTALL)' != no; then $(MAKE) $(AM_MAKEFLAGS) kmod-install; fi
uninstall-local:
	+@if test '$(KMOD_INSTALL)' != no; then $(MAKE) $(AM_MAKEFLAGS) kmod-uninstall; fi
else
kmod kmod-selftest:
	@echo "$@: disabled (no kernel build tree found, or --disable-kmod); configure --with-kernel-dir=DIR" >&2; exit 1
endif

kmod-clean:
	-rm -rf kmod-ko

clean-local: kmod-clean

.PHONY: kmod kmod-selftest kmod-install kmod-uninstall kmod-clean
