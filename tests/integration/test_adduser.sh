#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ksmbd.adduser end to end, in a temporary directory: add, update and
# delete users, check ksmbdpwd.db's contents and the exit codes, the
# terminal prompt, the reload signal, and that the stored hashes are the NT
# hashes Samba computes.
#
# Usage: test_adduser.sh [PATH/TO/ksmbd.adduser]
#   (default: $KSMBD_ADDUSER, else ./server/ksmbd.adduser; this script
#   builds nothing)

set -u

ADDUSER=${1:-${KSMBD_ADDUSER:-./server/ksmbd.adduser}}
PYTHON=${PYTHON3:-/usr/bin/python3}
case $ADDUSER in /*) ;; *) ADDUSER=$PWD/$ADDUSER ;; esac
if [ ! -x "$ADDUSER" ]; then
	echo "test_adduser: $ADDUSER is not an executable (build it first)" >&2
	exit 99
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/test_adduser.XXXXXX") || exit 99
FAKE_PIDS=
cleanup() {
	for p in $FAKE_PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT

# Never signal a real daemon from a test.
export KSMBD_LOCK_FILE=$TMP/ksmbd.lock
DB=$TMP/etc/ksmbdpwd.db
mkdir -p "$TMP/etc"

FAILS=0
PASSES=0
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { PASSES=$((PASSES + 1)); }

# expect_rc WANT DESCRIPTION -- ARGS...   (stdin from /dev/null unless redirected)
expect_rc() {
	local want=$1 what=$2
	shift 3
	"$ADDUSER" "$@" >"$TMP/out" 2>"$TMP/err"
	local rc=$?
	if [ "$rc" -eq "$want" ]; then pass; else
		fail "$what: exit $rc, want $want; stderr: $(cat "$TMP/err")"
	fi
}

expect_db() {
	local what=$1 want=$2
	if [ "$(cat "$DB")" = "$want" ]; then pass; else
		fail "$what: database is"$'\n'"$(cat "$DB")"$'\n'"want"$'\n'"$want"
	fi
}

# NT hashes of the passwords used below, as padded Base64
# (checked against Python at the end of this script).
H_DEMO='+XH6flynxN/8TOwhH0IT5g=='      # demo-pass
H_PASSWORD='iEb36u6PsRetBr3YMLdYbA=='  # password
H_EMPTY='MdbP4NFq6TG3PFnX4MCJwA=='     # (empty)

# ---- add, update, delete --------------------------------------------------
expect_rc 0 "add demo" -- -P "$DB" -a demo -p demo-pass </dev/null
expect_db "after add" "demo:$H_DEMO"
[ "$(stat -c %a "$DB")" = 600 ] && pass || fail "mode is $(stat -c %a "$DB"), want 600"

expect_rc 2 "add existing user" -- -P "$DB" -a demo -p other </dev/null
expect_db "failed add changes nothing" "demo:$H_DEMO"

expect_rc 0 "add with password from stdin" -- -P "$DB" -a alice <<<password
expect_db "stdin password" "demo:$H_DEMO"$'\n'"alice:$H_PASSWORD"

expect_rc 0 "update to empty password (CRLF line)" -- -P "$DB" -u alice <<<$'\r'
expect_db "after update" "demo:$H_DEMO"$'\n'"alice:$H_EMPTY"

expect_rc 2 "update missing user" -- -P "$DB" -u ghost -p x </dev/null
expect_rc 0 "delete demo" -- -P "$DB" -d demo </dev/null
expect_db "after delete" "alice:$H_EMPTY"
expect_rc 2 "delete missing user" -- -P "$DB" -d demo </dev/null
expect_rc 0 "update with -p" -- -P "$DB" -u alice -p password </dev/null
expect_db "after update -p" "alice:$H_PASSWORD"

# ---- limits and usage errors ---------------------------------------------
N47=$(printf 'n%.0s' $(seq 47))
P128=$(printf 'p%.0s' $(seq 128))
expect_rc 0 "47-byte name" -- -P "$DB" -a "$N47" -p x </dev/null
expect_rc 1 "48-byte name" -- -P "$DB" -a "${N47}n" -p x </dev/null
expect_rc 0 "128-byte password" -- -P "$DB" -a long -p "$P128" </dev/null
expect_rc 1 "129-byte password" -- -P "$DB" -a longer -p "${P128}p" </dev/null
expect_rc 1 "129-byte password on stdin" -- -P "$DB" -a longer <<<"${P128}p"
expect_rc 1 "password not UTF-8" -- -P "$DB" -a bad -p $'\xff' </dev/null
expect_rc 1 "name with ':'" -- -P "$DB" -a a:b -p x </dev/null
expect_rc 1 "name not UTF-8" -- -P "$DB" -a $'\xc3' -p x </dev/null
expect_rc 1 "empty stdin" -- -P "$DB" -a nopass </dev/null
expect_rc 1 "no action" -- -P "$DB" </dev/null
expect_rc 1 "two actions" -- -P "$DB" -a x -d y </dev/null
expect_rc 1 "stray argument" -- -P "$DB" -a x -p y extra </dev/null
expect_rc 1 "-p with -d" -- -P "$DB" -d alice -p y </dev/null
expect_rc 1 "unknown option" -- -P "$DB" -Z </dev/null
expect_rc 0 "-V" -- -V </dev/null
grep -q 'ksmbd.adduser' "$TMP/out" && pass || fail "-V prints no version"
expect_rc 0 "-h" -- -h </dev/null
grep -q -- '-a USER' "$TMP/out" && pass || fail "-h prints no usage"
expect_rc 0 "-C accepted" -- -P "$DB" -C "$TMP/ksmbd.conf" -a conf -p x </dev/null
expect_db "after limits" "alice:$H_PASSWORD"$'\n'"$N47:$(grep "^$N47:" "$DB" | cut -d: -f2)"$'\n'"long:$(grep '^long:' "$DB" | cut -d: -f2)"$'\n'"conf:$(grep '^conf:' "$DB" | cut -d: -f2)"
[ "$(grep -c . "$DB")" = 4 ] && pass || fail "want 4 users"

# ---- I/O errors ------------------------------------------------------------
expect_rc 3 "database dir missing" -- -P "$TMP/no/such/dir/db" -a x -p y </dev/null
mkdir "$TMP/adir"
expect_rc 3 "database is a directory" -- -P "$TMP/adir" -a x -p y </dev/null
# A missing last directory is created, like a fresh $(sysconfdir)/ksmbd.
expect_rc 0 "database dir created" -- -P "$TMP/newdir/ksmbdpwd.db" -a x -p y </dev/null

# ---- damaged files -----------------------------------------------------------
printf 'bob:%s\r\nthis line is broken\r\ncarol:%s\r\n' "$H_PASSWORD" "$H_DEMO" >"$DB"
expect_rc 0 "add to a CRLF file with a broken line" -- -P "$DB" -a dave -p password </dev/null
grep -q 'ksmbdpwd.db:2:' "$TMP/err" && pass || fail "broken line 2 not reported: $(cat "$TMP/err")"
expect_db "CRLF file rewritten" "bob:$H_PASSWORD"$'\n'"carol:$H_DEMO"$'\n'"dave:$H_PASSWORD"

# Concurrent edits serialise: no add is lost.
pids=
for i in $(seq 20); do
	"$ADDUSER" -P "$DB" -a "par$i" -p x </dev/null >/dev/null 2>&1 &
	pids="$pids $!"
done
rcs=0
for p in $pids; do wait "$p" || rcs=$((rcs + 1)); done
[ "$rcs" = 0 ] && pass || fail "$rcs parallel adds failed"
[ "$(grep -c '^par[0-9]*:' "$DB")" = 20 ] && pass || fail "parallel adds lost: $(grep -c '^par' "$DB") of 20 kept"
for i in $(seq 20); do "$ADDUSER" -P "$DB" -d "par$i" </dev/null >/dev/null 2>&1; done

# No temporary files are ever left behind.
left=$(find "$TMP/etc" -name '*.tmp.*' | wc -l)
[ "$left" = 0 ] && pass || fail "temporary files left: $(ls -a "$TMP/etc")"

# ---- telling the daemon --------------------------------------------------------
# A stand-in daemon: writes its pid into the lock file, holds a lock on it
# and records every SIGHUP.
LOCK=$KSMBD_LOCK_FILE
# a shell cannot trap a signal ignored when it started (nohup):
# start it with the default action
env --default-signal=HUP,TERM bash -c '
	trap "echo hup >>\"$1\"" HUP
	echo $$ >"$2"
	exec 9<"$2"
	flock -x 9
	echo ready >"$1.ready"
	# the sleeps must not inherit the locked fd and outlive the stand-in
	for i in $(seq 300); do sleep 0.1 9<&-; done
' fake "$TMP/hups" "$LOCK" &
FAKE=$!
FAKE_PIDS="$FAKE_PIDS $FAKE"
for i in $(seq 50); do [ -e "$TMP/hups.ready" ] && break; sleep 0.1; done
expect_rc 0 "add with a running daemon" -- -P "$DB" -a erin -p x </dev/null
for i in $(seq 50); do [ -s "$TMP/hups" ] && break; sleep 0.1; done
[ "$(cat "$TMP/hups" 2>/dev/null)" = hup ] && pass || fail "daemon got no SIGHUP"
kill "$FAKE" 2>/dev/null; wait "$FAKE" 2>/dev/null
rm -f "$LOCK"	# a new inode: nothing can still hold a lock on it

# A stale lock file (no lock held) whose pid is some other live process:
# that process must not be signalled (SIGHUP would kill it).
sleep 30 &
INNOCENT=$!
FAKE_PIDS="$FAKE_PIDS $INNOCENT"
echo "$INNOCENT" >"$LOCK"
expect_rc 0 "add with a stale lock file" -- -P "$DB" -a frank -p x </dev/null
sleep 0.2
kill -0 "$INNOCENT" 2>/dev/null && pass || fail "stale pid $INNOCENT was signalled"
kill "$INNOCENT" 2>/dev/null; wait "$INNOCENT" 2>/dev/null
rm -f "$LOCK"
expect_rc 0 "add without a daemon" -- -P "$DB" -a gina -p x </dev/null

# ---- the terminal prompt -------------------------------------------------------------
# Runs ksmbd.adduser on a pseudo-terminal, answers both prompts and checks
# that the password was not echoed.
tty_add() {
	"$PYTHON" - "$ADDUSER" "$DB" "$1" "$2" "$3" <<'EOF'
import os, pty, select, sys, time
prog, db, user, first, second = sys.argv[1:6]
pid, fd = pty.fork()
if pid == 0:
    os.execv(prog, [prog, "-P", db, "-a", user])
out = b""
def wait_for(word, deadline=10.0):
    global out
    end = time.time() + deadline
    while word not in out and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return word in out
ok = wait_for(b"New password")
os.write(fd, first.encode() + b"\n")
ok = ok and wait_for(b"Retype")
os.write(fd, second.encode() + b"\n")
wait_for(b"\x00", 2.0)  # drain until exit
status = None
for _ in range(100):
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        break
    time.sleep(0.1)
if status is None:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    print("ksmbd.adduser hung on the terminal: %r" % out, file=sys.stderr)
    sys.exit(96)
if not ok:
    print("prompts not seen: %r" % out, file=sys.stderr)
    sys.exit(98)
if first.encode() in out:
    print("password echoed: %r" % out, file=sys.stderr)
    sys.exit(97)
sys.exit(os.waitstatus_to_exitcode(status))
EOF
}
tty_add ttyuser s3cret-pw s3cret-pw
rc=$?
[ $rc = 0 ] && pass || fail "terminal add: exit $rc"
grep -q '^ttyuser:' "$DB" && pass || fail "terminal add: no ttyuser line"
tty_add ttyuser2 s3cret-pw other-pw
rc=$?
[ $rc = 1 ] && pass || fail "terminal mismatch: exit $rc, want 1"
grep -q '^ttyuser2:' "$DB" && fail "mismatched passwords added a user" || pass

# ---- Samba's view: the stored hash is the NT hash -------------------------------------
# Python's hashlib lacks MD4 under OpenSSL 3; Samba's own binding has it.
nt_b64() {
	"$PYTHON" - "$1" <<'EOF'
import base64, sys
data = sys.argv[1].encode("utf-8", "surrogateescape").decode("utf-8").encode("utf-16-le")
digest = None
try:
    import hashlib
    digest = hashlib.new("md4", data).digest()
except Exception:
    try:
        from samba.crypto import md4_hash_blob
        digest = md4_hash_blob(data)
    except Exception:
        try:
            from Cryptodome.Hash import MD4
            digest = MD4.new(data).digest()
        except Exception:
            sys.exit(77)
print(base64.b64encode(digest).decode())
EOF
}
expect_rc 0 "add demo again" -- -P "$DB" -a demo -p demo-pass </dev/null
expect_rc 0 "add non-ASCII" -- -P "$DB" -a "jürgen" -p "päss€😀" </dev/null
for pair in "demo:demo-pass" "jürgen:päss€😀" "ttyuser:s3cret-pw"; do
	user=${pair%%:*}
	pw=${pair#*:}
	want=$(nt_b64 "$pw")
	rc=$?
	if [ $rc = 77 ]; then
		# No MD4 in Python at all: fall back to the constant our
		# RFC 1320-tested MD4 gives (Samba's md4_hash_blob agrees).
		[ "$user" = demo ] || continue
		want=$H_DEMO
	fi
	got=$(grep "^$user:" "$DB" | cut -d: -f2)
	[ -n "$want" ] && [ "$got" = "$want" ] && pass || fail "hash of $user: $got, Python says $want"
done
want=$(nt_b64 demo-pass)
rc=$?
if [ $rc != 77 ]; then
	[ "$want" = "$H_DEMO" ] && pass || fail "constant H_DEMO disagrees with Python ($want)"
fi

echo "test_adduser: $PASSES passed, $FAILS failed"
[ "$FAILS" = 0 ]
