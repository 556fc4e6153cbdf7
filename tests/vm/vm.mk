# SPDX-License-Identifier: GPL-2.0-or-later
#
# VM tests of the kernel module (qemu). Included from Makefile.am.
