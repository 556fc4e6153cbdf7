#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ksmbd.control end to end, without root: kernel mode against a fake sysfs
# tree (--sysfs-root), user mode against a stand-in daemon that holds the
# lock file and records the signals it gets.
#
# Usage: test_control.sh [PATH/TO/ksmbd.control]
#   (default: $KSMBD_CONTROL, else ./server/ksmbd.control; this script
#   builds nothing)

set -u

CONTROL=${1:-${KSMBD_CONTROL:-./server/ksmbd.control}}
case $CONTROL in /*) ;; *) CONTROL=$PWD/$CONTROL ;; esac
if [ ! -x "$CONTROL" ]; then
	echo "test_control: $CONTROL is not an executable (build it first)" >&2
	exit 99
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/test_control.XXXXXX") || exit 99
FAKE_PIDS=
cleanup() {
	for p in $FAKE_PIDS; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT

# Never signal a real daemon from a test.
export KSMBD_LOCK_FILE=$TMP/ksmbd.lock
LOCK=$KSMBD_LOCK_FILE

FAILS=0
PASSES=0
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { PASSES=$((PASSES + 1)); }

# expect_rc WANT DESCRIPTION -- ARGS...
expect_rc() {
	local want=$1 what=$2
	shift 3
	"$CONTROL" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
	local rc=$?
	if [ "$rc" -eq "$want" ]; then pass; else
		fail "$what: exit $rc, want $want; stdout: $(cat "$TMP/out"); stderr: $(cat "$TMP/err")"
	fi
}

expect_out() {
	if grep -q -- "$2" "$TMP/out"; then pass; else
		fail "$1: stdout lacks '$2': $(cat "$TMP/out")"
	fi
}

expect_err() {
	if grep -q -- "$2" "$TMP/err"; then pass; else
		fail "$1: stderr lacks '$2': $(cat "$TMP/err")"
	fi
}

# The stand-in daemon: pid in the lock file, a lock held on it, every
# SIGHUP recorded; SIGTERM recorded and then it exits (releasing the lock:
# its sleeps run without the lock fd, so none outlives it holding the lock).
# With "stubborn" it ignores SIGTERM.
start_daemon() {
	rm -f "$TMP/signals" "$TMP/ready"
	# a shell cannot trap a signal ignored when it started (nohup):
	# start it with the default action
	env --default-signal=HUP,TERM bash -c '
		log=$1 lock=$2 mode=$3
		trap "echo hup >>\"$log\"" HUP
		if [ "$mode" = stubborn ]; then
			trap "echo term >>\"$log\"" TERM
		else
			trap "echo term >>\"$log\"; exit 0" TERM
		fi
		echo $$ >"$lock"
		exec 9<"$lock"
		flock -x 9
		echo ready >"$log.ready"
		for i in $(seq 600); do sleep 0.1 9<&-; done
	' fake "$TMP/signals" "$LOCK" "${1:-normal}" &
	DAEMON=$!
	FAKE_PIDS="$FAKE_PIDS $DAEMON"
	for i in $(seq 50); do [ -e "$TMP/signals.ready" ] && break; sleep 0.1; done
	rm -f "$TMP/signals.ready"
}

# wait_signal WORD: wait (bounded) until the stand-in logged WORD
wait_signal() {
	for i in $(seq 50); do
		grep -qx "$1" "$TMP/signals" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

gone() {
	for i in $(seq 50); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

# ---- usage -------------------------------------------------------------------
NOSYS=$TMP/nosys		# an empty tree: user mode
mkdir -p "$NOSYS"
expect_rc 1 "no action" -- --sysfs-root "$NOSYS"
expect_rc 1 "two actions" -- --sysfs-root "$NOSYS" -s -r
expect_rc 1 "unknown option" -- -Z
expect_rc 1 "stray argument" -- -r extra
expect_rc 1 "unknown debug component" -- --sysfs-root "$NOSYS" -d nonsense
expect_err "unknown debug component" 'unknown component'
expect_rc 0 "-V" -- -V
expect_out "-V" 'ksmbd.control'
expect_rc 0 "-h" -- -h
expect_out "-h" '--sysfs-root'

# ---- user mode -----------------------------------------------------------------
rm -f "$LOCK"
expect_rc 2 "user mode reload without a daemon" -- --sysfs-root "$NOSYS" -r
expect_err "no daemon" 'no running ksmbd.mountd'
expect_rc 2 "user mode shutdown without a daemon" -- --sysfs-root "$NOSYS" -s
# -l, -c, -d ask the data path's status socket: here nobody listens on it
# (a live one: test_control_user.py)
NOSOCK=$TMP/ksmbd-status.sock
for opt in -l -c "-d smb"; do
	# shellcheck disable=SC2086
	expect_rc 2 "user mode $opt without a data path" -- --sysfs-root "$NOSYS" \
		--status-socket "$NOSOCK" $opt
	expect_err "user mode $opt without a data path" "no status at $NOSOCK"
done
expect_rc 2 "user mode -l without a data path" -- --sysfs-root "$NOSYS" \
	--status-socket "$NOSOCK" -l
expect_out "-l mode" '^mode: user$'
expect_out "-l state" '^state: not running$'
expect_out "-l daemon" '^daemon: not running$'
expect_rc 1 "--status-socket with -r" -- --sysfs-root "$NOSYS" \
	--status-socket "$NOSOCK" -r
expect_rc 1 "--json with -l" -- --sysfs-root "$NOSYS" --json -l

start_daemon
# a daemon whose data path does not answer
expect_rc 3 "user mode -l, data path not answering" -- --sysfs-root "$NOSYS" \
	--status-socket "$NOSOCK" -l
expect_out "-l not answering" '^state: not answering$'
expect_out "-l daemon pid" "^daemon: ksmbd.mountd, pid $DAEMON\$"
expect_rc 0 "user mode reload" -- --sysfs-root "$NOSYS" -r
wait_signal hup && pass || fail "stand-in got no SIGHUP"
expect_rc 0 "user mode shutdown" -- --sysfs-root "$NOSYS" -s
grep -qx term "$TMP/signals" && pass || fail "stand-in got no SIGTERM"
gone "$DAEMON" && pass || fail "stand-in still running after -s"
wait "$DAEMON" 2>/dev/null

# A stale lock file naming some innocent process: nothing is signalled.
sleep 30 &
INNOCENT=$!
FAKE_PIDS="$FAKE_PIDS $INNOCENT"
# A new file: an exiting stand-in's children may still hold the old one's lock.
rm -f "$LOCK"
echo "$INNOCENT" >"$LOCK"
expect_rc 2 "stale lock file reload" -- --sysfs-root "$NOSYS" -r
expect_rc 2 "stale lock file shutdown" -- --sysfs-root "$NOSYS" -s
sleep 0.2
kill -0 "$INNOCENT" 2>/dev/null && pass || fail "stale pid $INNOCENT was signalled"
kill "$INNOCENT" 2>/dev/null; wait "$INNOCENT" 2>/dev/null

# ---- kernel mode (fake sysfs) ------------------------------------------------------
SYS=$TMP/sys
CLS=$SYS/class/ksmbd-control
mkdir -p "$CLS" "$SYS/module/ksmbd"
echo "1 running 445 4242" >"$CLS/stats"
echo "[smb] auth vfs oplock ipc conn rdma" >"$CLS/debug"
: >"$CLS/kill_server"
echo "3.5.1" >"$SYS/module/ksmbd/version"

expect_rc 0 "kernel -c" -- --sysfs-root "$SYS" -c
[ "$(cat "$TMP/out")" = 3.5.1 ] && pass || fail "-c printed '$(cat "$TMP/out")'"

expect_rc 0 "kernel -l" -- --sysfs-root "$SYS" -l
expect_out "-l state" '^state: running$'
expect_out "-l port" '^tcp port: 445$'
expect_out "-l daemon" '^daemon: not running$'

expect_rc 0 "kernel -d auth" -- --sysfs-root "$SYS" --debug=auth
[ "$(cat "$CLS/debug")" = auth ] && pass || fail "debug file holds '$(cat "$CLS/debug")', want 'auth'"
expect_out "-d shows the file" '^auth$'
expect_rc 0 "kernel -d all" -- --sysfs-root "$SYS" -d all
[ "$(cat "$CLS/debug")" = all ] && pass || fail "debug file holds '$(cat "$CLS/debug")', want 'all'"

# Shutdown without a daemon still stops the module's server.
rm -f "$LOCK"
expect_rc 0 "kernel -s without daemon" -- --sysfs-root "$SYS" -s
[ "$(cat "$CLS/kill_server")" = hard ] && pass || fail "kill_server holds '$(cat "$CLS/kill_server")'"

# With a daemon: it gets SIGTERM, then the module is told.
: >"$CLS/kill_server"
start_daemon
expect_rc 0 "kernel -l with daemon" -- --sysfs-root "$SYS" -l
expect_out "-l daemon pid" "^daemon: ksmbd.mountd, pid $DAEMON\$"
expect_rc 0 "kernel -r" -- --sysfs-root "$SYS" -r
wait_signal hup && pass || fail "kernel mode: stand-in got no SIGHUP"
expect_rc 0 "kernel -s with daemon" -- --sysfs-root "$SYS" -s
grep -qx term "$TMP/signals" && pass || fail "kernel mode: stand-in got no SIGTERM"
[ "$(cat "$CLS/kill_server")" = hard ] && pass || fail "kernel mode: kill_server not written"
gone "$DAEMON" && pass || fail "kernel mode: stand-in still running"
wait "$DAEMON" 2>/dev/null

# Unreadable / unwritable sysfs files are I/O errors (skipped as root,
# who can write anything).
if [ "$(id -u)" != 0 ]; then
	chmod 000 "$CLS/stats"
	expect_rc 3 "unreadable stats" -- --sysfs-root "$SYS" -l
	chmod 644 "$CLS/stats"
	chmod 444 "$CLS/debug"
	expect_rc 3 "read-only debug file" -- --sysfs-root "$SYS" -d smb
	chmod 644 "$CLS/debug"
fi
rm -f "$SYS/module/ksmbd/version"
expect_rc 3 "missing module version" -- --sysfs-root "$SYS" -c

# A daemon that ignores SIGTERM: -s gives up after its bounded wait.
if [ "${TEST_CONTROL_SLOW:-1}" = 1 ]; then
	start_daemon stubborn
	expect_rc 3 "daemon ignoring SIGTERM" -- --sysfs-root "$NOSYS" -s
	expect_err "daemon ignoring SIGTERM" 'still running'
	kill -9 "$DAEMON" 2>/dev/null; wait "$DAEMON" 2>/dev/null
fi

echo "test_control: $PASSES passed, $FAILS failed"
[ "$FAILS" = 0 ]
