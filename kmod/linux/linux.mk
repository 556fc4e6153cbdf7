# SPDX-License-Identifier: GPL-2.0-or-later
#
# The kernel module ksmbd.ko (the kernel host, kmod/linux/). Included from Makefile.am.
