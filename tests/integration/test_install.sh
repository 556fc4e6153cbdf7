#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A prefix install used the way the man pages say: `configure --prefix=DIR &&
# make && make install` in a fresh build directory, then, with nothing but
# DIR/sbin on PATH and every file in its default place under DIR:
#
#   ksmbd.addshare -a / -u / -d     edits DIR/etc/ksmbd/ksmbd.conf
#   ksmbd.adduser  -a / -u / -d     edits DIR/etc/ksmbd/ksmbdpwd.db (mode 0600;
#                                   -u reads the password from stdin)
#   ksmbd.mountd --check            prints the effective configuration
#   ksmbd.mountd                    daemonizes, starts DIR/libexec/.../smbd-user;
#                                   smbclient puts and gets a file
#   ksmbd.control --status / -c / -l / -s
#                                   status as JSON, version, list, shutdown
#   man -l DIR/share/man/...        every page renders without warnings
#
#   tests/integration/test_install.sh [SRCDIR]      (needs smbclient; root for
#                                                   the share's owner switch)
#   tests/integration/test_install.sh --build-dir DIR
#       use DIR, a build directory already configured with --prefix=PREFIX
#       (a scratch directory: it is emptied first) and built: only
#       `make install` runs there. tools/test-all does this with build-asan.
# Prints PASS/FAIL per check; exits 0 when all pass. WORK=DIR keeps the tree.
set -uo pipefail

build_dir=
if [ "${1:-}" = --build-dir ]; then
	build_dir=$(cd "$2" && pwd) || exit 2
	shift 2
fi
src=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
work=${WORK:-$(mktemp -d /tmp/smbd-install.XXXXXX)}
prefix=$work/prefix
if [ -n "$build_dir" ]; then
	prefix=$(sed -n 's/^prefix = //p' "$build_dir/Makefile")
	case $prefix in
	/usr | /usr/local | /) echo "test_install: $build_dir has prefix $prefix, not a scratch one" >&2; exit 2 ;;
	esac
	rm -rf "$prefix"
fi
share=$work/share
port=$(( 20000 + RANDOM % 20000 ))
jobs=${JOBS:-2}
fails=0

pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; fails=$((fails + 1)); }
check() {	# check NAME CMD...: PASS when CMD succeeds
	local name=$1
	shift
	if "$@" >>"$work/checks.log" 2>&1; then pass "$name"; else fail "$name"; fi
}

cleanup() {
	if [ -f "$prefix/var/run/ksmbd.lock" ]; then
		pid=$(head -n 1 "$prefix/var/run/ksmbd.lock" 2>/dev/null)
		[ -n "$pid" ] && kill "$pid" 2>/dev/null
	fi
	[ -z "${WORK:-}" ] && rm -rf "$work"
}
trap cleanup EXIT

echo "test_install: source $src, work $work"
mkdir -p "$work/build" "$share"
if [ -n "$build_dir" ]; then
	(cd "$build_dir" && make -j"$jobs" >"$work/make.log" 2>&1 &&
		make install KMOD_INSTALL=no >"$work/install.log" 2>&1)
else
	(cd "$work/build" && "$src/configure" --prefix="$prefix" >"$work/configure.log" 2>&1 &&
		make -j"$jobs" >"$work/make.log" 2>&1 &&
		make install KMOD_INSTALL=no >"$work/install.log" 2>&1)
fi
if [ $? -ne 0 ]; then
	fail "configure --prefix && make && make install (logs in $work)"
	tail -n 30 "$work"/*.log
	WORK=keep
	exit 1
fi
pass "configure --prefix=$prefix && make && make install"

# The module goes under /lib/modules, outside any prefix: staged with
# DESTDIR here, so that the test leaves the machine's modules alone.
# SMBD_KMOD_BUILD names a build directory whose module is built already
# (tools/test-all: build-vm), so that it is not built twice.
kbuild=${SMBD_KMOD_BUILD:-${build_dir:-$work/build}}
if grep -q '^kmod-install:' "$kbuild/Makefile" &&
	grep -q '^KERNEL_DIR = /' "$kbuild/Makefile"; then
	check "make kmod-install DESTDIR=... puts ksmbd.ko under lib/modules" \
		sh -c "cd '$kbuild' && make kmod-install DESTDIR='$work/kroot' &&
			find '$work/kroot/lib/modules' -name ksmbd.ko | grep -q ."
fi

export PATH="$prefix/sbin:$prefix/bin:/usr/sbin:/usr/bin:/sbin:/bin"
conf=$prefix/etc/ksmbd/ksmbd.conf
pwddb=$prefix/etc/ksmbd/ksmbdpwd.db

for t in ksmbd.mountd ksmbd.adduser ksmbd.addshare ksmbd.control; do
	check "installed: sbin/$t" test -x "$prefix/sbin/$t"
done
check "installed: the data path (libexec/.../smbd-user)" \
	sh -c "find '$prefix/libexec' -name smbd-user -type f -perm -u+x | grep -q ."
for m in man8/ksmbd.mountd.8 man8/ksmbd.adduser.8 man8/ksmbd.addshare.8 \
	 man8/ksmbd.control.8 man5/ksmbd.conf.5; do
	f=$prefix/share/man/$m
	check "man page $m renders without warnings" \
		sh -c "test -f '$f' && out=\$(MANWIDTH=80 man --warnings -l '$f' 2>&1 >/dev/null) && test -z \"\$out\""
done

# [global] is not a share: the man page says to write it by hand.
mkdir -p "$prefix/etc/ksmbd"
printf '[global]\n\tserver mode = user\n\tnetbios name = INSTALLTEST\n\tmap to guest = never\n' >"$conf"

owner_opt=()
if [ "$(id -u)" -eq 0 ]; then
	chown nobody "$share"
	owner_opt=(-o "force user = nobody")
fi
check "ksmbd.addshare -a demo" ksmbd.addshare -a demo -o "path = $share" -o "read only = yes" "${owner_opt[@]}"
check "ksmbd.addshare -u demo (read only = no)" ksmbd.addshare -u demo -o "read only = no"
check "ksmbd.addshare -a gone" ksmbd.addshare -a gone -o "path = $share"
check "ksmbd.addshare -d gone" ksmbd.addshare -d gone
check "ksmbd.conf has [demo] writable and no [gone]" \
	sh -c "grep -q '^\[demo\]' '$conf' && grep -q 'read only = no' '$conf' && ! grep -q '^\[gone\]' '$conf'"
check "ksmbd.addshare -a demo again is refused" sh -c "! ksmbd.addshare -a demo -o 'path = $share'"

check "ksmbd.adduser -a alice -p" ksmbd.adduser -a alice -p first-pass
check "ksmbd.adduser -u alice (password on stdin)" sh -c "echo second-pass | ksmbd.adduser -u alice"
check "ksmbd.adduser -a bob, -d bob" sh -c "ksmbd.adduser -a bob -p x && ksmbd.adduser -d bob"
check "ksmbdpwd.db: mode 0600, alice only" \
	sh -c "test \"\$(stat -c %a '$pwddb')\" = 600 && grep -q '^alice:' '$pwddb' && ! grep -q '^bob:' '$pwddb'"

check "ksmbd.mountd --check prints the share" \
	sh -c "ksmbd.mountd --check | grep -qi '^\[demo\]'"

# The daemon with nothing but defaults (pid file, socket, data path) under the prefix.
if ksmbd.mountd -p "$port" >"$work/mountd.out" 2>&1; then
	pass "ksmbd.mountd starts (daemon mode)"
else
	fail "ksmbd.mountd starts (daemon mode)"
	cat "$work/mountd.out"
fi
for _ in $(seq 100); do
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
	sleep 0.1
done
head -c 1048576 /dev/urandom >"$work/payload"
(cd "$work" && smbclient "//127.0.0.1/demo" -p "$port" -U alice%second-pass -m SMB3_11 \
	-c "put payload; get payload back" >"$work/smbclient.log" 2>&1)
if cmp -s "$work/payload" "$work/back" && cmp -s "$work/payload" "$share/payload"; then
	pass "smbclient put/get 1 MiB as alice (new password), identical"
else
	fail "smbclient put/get 1 MiB as alice"
	cat "$work/smbclient.log"
fi
check "old password refused" sh -c "! smbclient //127.0.0.1/demo -p $port -U alice%first-pass -c ls"

check "ksmbd.control --status --json answers (defaults under the prefix)" \
	sh -c "ksmbd.control --status --json | python3 -c 'import json,sys; json.load(sys.stdin)'"
check "ksmbd.control -c prints a version" sh -c "ksmbd.control -c | grep -q ."
check "ksmbd.control -l" ksmbd.control -l
pid=$(head -n 1 "$prefix/var/run/ksmbd.lock" 2>/dev/null)
check "ksmbd.control -s stops the daemon" ksmbd.control -s
# The data path may take a moment longer than the daemon (a sanitizer
# build checks for leaks at exit): give both a few seconds.
gone() {
	! kill -0 "${pid:-0}" 2>/dev/null && ! pgrep -f "$prefix/libexe[c]/" >/dev/null
}
for _ in $(seq 100); do gone && break; sleep 0.1; done
if gone; then
	pass "the daemon and the data path are gone"
else
	fail "the daemon and the data path are gone"
	ps -o pid,etime,args -p "${pid:-0}" 2>/dev/null
	pgrep -af "$prefix/libexe[c]/"
fi

echo "test_install: $fails failed"
[ $fails -eq 0 ]
