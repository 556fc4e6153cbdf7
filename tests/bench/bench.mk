# SPDX-License-Identifier: GPL-2.0-or-later
#
# Benchmarks side by side with Samba (tests/bench/README.md). Included from
# Makefile.am after tests/integration/files.mk (noinst_PROGRAMS and
# EXTRA_DIST are set by then).
#
#   make bench                          the default run (about 16 minutes, 5 rounds)
#   make bench BENCH_ARGS=--quick       a short run (2-4 minutes)
#   make bench BENCH_ARGS='--only seq,randio --rounds 5'
#   make tests/bench/smbload            the load generator alone
#   make bench-kernel                   kernel mode: our ksmbd.ko (make kmod) and
#                                       ksmbd.mountd against Samba, all inside a
#                                       qemu VM (about 25 minutes; tests/bench/vm-bench.sh)
#
# Run it as root from an optimised build without sanitizers, e.g.
#   mkdir build-bench && cd build-bench && ../configure CFLAGS="-O2 -g" && make bench
# It needs Samba's smbd, smbpasswd, smbclient and smbtorture, and
# /usr/bin/python3 with python3-smbc. The table goes to stdout and to
# tests/bench/results.md in the source tree.

# smbload: the load generator (random I/O, many connections) on top of
# the generated marshallers; built with everything so an IDL change that
# breaks it shows at once.
noinst_PROGRAMS += tests/bench/smbload
tests_bench_smbload_SOURCES = tests/bench/smbload.c
tests_bench_smbload_LDADD = libwire.a -lnettle -lpthread

EXTRA_DIST += \
	tests/bench/run-bench \
	tests/bench/vm-bench.sh \
	tests/bench/meta_smbc.py \
	tests/bench/README.md

BENCH_ARGS =

bench: server/ksmbd.mountd server/ksmbd.adduser kmod/smbd-user tests/bench/smbload
	$(top_srcdir)/tests/bench/run-bench --build-dir . $(BENCH_ARGS)

# Kernel mode: the module for the installed Debian 6.1 kernel (make kmod;
# qemu-system-x86, busybox-static, e2fsprogs, cpio). Results in
# tests/bench/results-kernel.md.
bench-kernel: server/ksmbd.mountd server/ksmbd.adduser server/ksmbd.control \
		tests/bench/smbload kmod
	$(top_srcdir)/tests/bench/run-bench --kernel --build-dir . $(BENCH_ARGS)

.PHONY: bench bench-kernel
