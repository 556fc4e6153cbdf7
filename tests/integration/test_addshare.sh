#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ksmbd.addshare end to end, in a temporary directory: add, update and
# delete shares, check the file's exact contents (comments and other
# sections kept), that refused edits leave the file byte for byte as it
# was, the exit codes, and the reload signal to a stand-in daemon.
#
# Usage: test_addshare.sh [PATH/TO/ksmbd.addshare]
#   (default: $KSMBD_ADDSHARE, else ./server/ksmbd.addshare; this script
#   builds nothing)

set -u

ADDSHARE=${1:-${KSMBD_ADDSHARE:-./server/ksmbd.addshare}}
case $ADDSHARE in /*) ;; *) ADDSHARE=$PWD/$ADDSHARE ;; esac
if [ ! -x "$ADDSHARE" ]; then
	echo "test_addshare: $ADDSHARE is not an executable (build it first)" >&2
	exit 99
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/test_addshare.XXXXXX") || exit 99
FAKE_PIDS=
cleanup() {
	for p in $FAKE_PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT

# Never signal a real daemon from a test.
export KSMBD_LOCK_FILE=$TMP/ksmbd.lock
CONF=$TMP/etc/ksmbd.conf
mkdir -p "$TMP/etc"

FAILS=0
PASSES=0
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { PASSES=$((PASSES + 1)); }

# expect_rc WANT DESCRIPTION -- ARGS...
expect_rc() {
	local want=$1 what=$2
	shift 3
	"$ADDSHARE" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
	local rc=$?
	if [ "$rc" -eq "$want" ]; then pass; else
		fail "$what: exit $rc, want $want; stderr: $(cat "$TMP/err")"
	fi
}

# expect_conf DESCRIPTION < wanted contents
expect_conf() {
	local what=$1
	cat >"$TMP/want"
	if cmp -s "$TMP/want" "$CONF"; then pass; else
		fail "$what: file differs:"$'\n'"$(diff -u "$TMP/want" "$CONF")"
	fi
}

# expect_unchanged DESCRIPTION: $CONF equals the snapshot in $TMP/snap
expect_unchanged() {
	if cmp -s "$TMP/snap" "$CONF"; then pass; else
		fail "$1: file was changed:"$'\n'"$(diff -u "$TMP/snap" "$CONF")"
	fi
}

expect_err() {
	if grep -q -- "$2" "$TMP/err"; then pass; else
		fail "$1: stderr lacks '$2': $(cat "$TMP/err")"
	fi
}

cat >"$CONF" <<'EOF'
; Test configuration
[global]
	workgroup = TESTGROUP   # our workgroup
	netbios name = TESTBOX

; Documents, read-only
[docs]
	path = /srv/docs
	read only = yes ; keep it safe
	comment = Documents
	; guest ok = yes

[pub]
	path = /srv/pub
	writeable = no
EOF

# ---- add ------------------------------------------------------------------
expect_rc 0 "add new" -- -C "$CONF" -a new -o "path = /srv/new" -o "guest ok=yes"
expect_conf "after add" <<'EOF'
; Test configuration
[global]
	workgroup = TESTGROUP   # our workgroup
	netbios name = TESTBOX

; Documents, read-only
[docs]
	path = /srv/docs
	read only = yes ; keep it safe
	comment = Documents
	; guest ok = yes

[pub]
	path = /srv/pub
	writeable = no

[new]
	path = /srv/new
	guest ok = yes
EOF
grep -q "share 'new' added" "$TMP/out" && pass || fail "add: no confirmation: $(cat "$TMP/out")"
[ "$(stat -c %a "$CONF")" = 644 ] && pass || fail "mode changed to $(stat -c %a "$CONF")"

# ---- update ---------------------------------------------------------------
# In place, keeping indentation and comment; a synonym line is replaced;
# a new parameter goes after the share's last line.
expect_rc 0 "update docs" -- -C "$CONF" -u DOCS -o "read only = no" -o "comment = All  documents" -o "browseable = no"
expect_rc 0 "update pub via synonym" -- -C "$CONF" -u pub -o "read only = no"
expect_conf "after update" <<'EOF'
; Test configuration
[global]
	workgroup = TESTGROUP   # our workgroup
	netbios name = TESTBOX

; Documents, read-only
[docs]
	path = /srv/docs
	read only = no ; keep it safe
	comment = All  documents
	browseable = no
	; guest ok = yes

[pub]
	path = /srv/pub
	read only = no

[new]
	path = /srv/new
	guest ok = yes
EOF

# A repeated section continues the first: the effective (last) line is
# rewritten, the earlier one dropped.
cat >>"$CONF" <<'EOF'

[docs]
	comment = Second block
EOF
expect_rc 0 "update repeated section" -- -C "$CONF" -u docs -o "comment = Final"
[ "$(grep -c '^[[:space:]]*comment' "$CONF")" = 1 ] && pass || fail "repeated: want 1 comment line: $(grep comment "$CONF")"
grep -q '^	comment = Final$' "$CONF" && pass || fail "repeated: final value missing"
grep -q 'All  documents' "$CONF" && fail "repeated: stale earlier line kept" || pass

# ---- refused edits leave the file untouched --------------------------------
cp "$CONF" "$TMP/snap"
expect_rc 1 "unknown parameter" -- -C "$CONF" -u pub -o "no such thing = 1"
expect_err "unknown parameter" 'unknown parameter'
expect_unchanged "unknown parameter"
expect_rc 1 "bad boolean" -- -C "$CONF" -u pub -o "guest ok = perhaps"
expect_err "bad boolean" 'guest ok'
expect_unchanged "bad boolean"
expect_rc 1 "bad mode" -- -C "$CONF" -u pub -o "create mask = 0999"
expect_unchanged "bad mode"
expect_rc 1 "global parameter in a share" -- -C "$CONF" -u pub -o "workgroup = X"
expect_unchanged "global parameter"
expect_rc 1 "share without path" -- -C "$CONF" -a nopath -o "comment = x"
expect_err "share without path" 'no path'
expect_unchanged "share without path"
expect_rc 1 "comment character in value" -- -C "$CONF" -u pub -o "comment = a;b"
expect_rc 1 "no '='" -- -C "$CONF" -u pub -o "comment"
expect_rc 1 "trailing backslash" -- -C "$CONF" -u pub -o 'comment = a\'
expect_rc 1 "newline in value" -- -C "$CONF" -u pub -o $'comment = a\n[x]'
expect_rc 1 "update without -o" -- -C "$CONF" -u pub
expect_rc 1 "-o with -d" -- -C "$CONF" -d pub -o "path = /x"
expect_rc 1 "two actions" -- -C "$CONF" -a x -d y
expect_rc 1 "no action" -- -C "$CONF"
expect_rc 1 "unknown option" -- -C "$CONF" -Z
expect_rc 1 "stray argument" -- -C "$CONF" -d pub extra
expect_rc 1 "reserved global" -- -C "$CONF" -a global -o "path = /x"
expect_rc 1 "reserved IPC\$" -- -C "$CONF" -u ipc\$ -o "comment = x"
expect_rc 1 "name with ]" -- -C "$CONF" -a 'a]b' -o "path = /x"
expect_rc 1 "name with a leading blank" -- -C "$CONF" -a ' a' -o "path = /x"
N63=$(printf 'n%.0s' $(seq 63))
expect_rc 1 "64-byte name" -- -C "$CONF" -a "${N63}n" -o "path = /x"
expect_rc 1 "name not UTF-8" -- -C "$CONF" -a $'\xc3' -o "path = /x"
expect_rc 2 "add existing (other case)" -- -C "$CONF" -a PUB -o "path = /x"
expect_rc 2 "update missing" -- -C "$CONF" -u ghost -o "path = /x"
expect_rc 2 "delete missing" -- -C "$CONF" -d ghost
expect_unchanged "after all refusals"
left=$(find "$TMP/etc" -name '*.tmp.*' | wc -l)
[ "$left" = 0 ] && pass || fail "temporary files left: $(ls -a "$TMP/etc")"

# A file that is broken already is not made worse, and says so (exit 3).
printf '[global]\n\tguest ok = maybe\n' >"$TMP/broken.conf"
cp "$TMP/broken.conf" "$TMP/broken.snap"
expect_rc 3 "broken file" -- -C "$TMP/broken.conf" -a x -o "path = /x"
cmp -s "$TMP/broken.conf" "$TMP/broken.snap" && pass || fail "broken file was changed"

# ---- names and limits -------------------------------------------------------
expect_rc 0 "63-byte name" -- -C "$CONF" -a "$N63" -o "path = /x"
expect_rc 0 "UTF-8 name with ';'" -- -C "$CONF" -a 'Bücher;2' -o "path = /srv/b"
grep -qx '\[Bücher;2\]' "$CONF" && pass || fail "UTF-8 share header missing"
expect_rc 0 "delete 63-byte name" -- -C "$CONF" -d "$N63"
# Names match without regard to ASCII case only, as in the parser.
expect_rc 2 "non-ASCII case differs" -- -C "$CONF" -d 'BÜCHER;2'
expect_rc 0 "delete UTF-8 name" -- -C "$CONF" -d 'bücher;2'
grep -q 'cher;2' "$CONF" && fail "UTF-8 share not deleted" || pass

# ---- delete -------------------------------------------------------------------
cat >"$CONF" <<'EOF'
; Test configuration
[global]
	workgroup = TESTGROUP

; Documents
[docs]
	path = /srv/docs
	; guest ok = yes

; the public share
[pub]
	path = /srv/pub

[docs]
	comment = again

[last]
	path = /srv/last
EOF
expect_rc 0 "delete docs (two sections)" -- -C "$CONF" -d docs
expect_conf "after delete" <<'EOF'
; Test configuration
[global]
	workgroup = TESTGROUP

; the public share
[pub]
	path = /srv/pub

[last]
	path = /srv/last
EOF
expect_rc 0 "delete last" -- -C "$CONF" -d last
expect_conf "after deleting the last section" <<'EOF'
; Test configuration
[global]
	workgroup = TESTGROUP

; the public share
[pub]
	path = /srv/pub
EOF

# ---- file shapes ----------------------------------------------------------------
# A missing file is created by an add (and its last directory).
expect_rc 0 "add to a missing file" -- -C "$TMP/newdir/ksmbd.conf" -a s -o "path = /s"
printf '[s]\n\tpath = /s\n' | cmp -s - "$TMP/newdir/ksmbd.conf" && pass || fail "new file: $(cat "$TMP/newdir/ksmbd.conf")"
expect_rc 3 "update a missing file" -- -C "$TMP/none.conf" -u s -o "path = /s"
expect_rc 3 "directory as file" -- -C "$TMP/etc" -a s -o "path = /s"

# CRLF stays CRLF; continuation lines are replaced as one parameter.
printf '[global]\r\n\tworkgroup = W\r\n\r\n[c]\r\n\tpath = /c\r\n\tcomment = one \\\r\n  two\r\n' >"$CONF"
expect_rc 0 "update CRLF + continuation" -- -C "$CONF" -u c -o "comment = three" -o "oplocks = no"
printf '[global]\r\n\tworkgroup = W\r\n\r\n[c]\r\n\tpath = /c\r\n\tcomment = three\r\n\toplocks = no\r\n' | cmp -s - "$CONF" && pass || fail "CRLF: $(od -c "$CONF" | head -20)"

# Through a symbolic link: the link stays, its target is edited, mode kept.
printf '[l]\n\tpath = /l\n' >"$TMP/etc/real.conf"
chmod 640 "$TMP/etc/real.conf"
ln -s real.conf "$TMP/etc/link.conf"
expect_rc 0 "edit through a symlink" -- -C "$TMP/etc/link.conf" -u l -o "path = /m"
[ -L "$TMP/etc/link.conf" ] && pass || fail "symlink replaced by a file"
grep -q 'path = /m' "$TMP/etc/real.conf" && pass || fail "symlink target not edited"
[ "$(stat -c %a "$TMP/etc/real.conf")" = 640 ] && pass || fail "mode not kept: $(stat -c %a "$TMP/etc/real.conf")"

# Concurrent adds serialise: none is lost.
printf '[global]\n\tworkgroup = W\n' >"$CONF"
pids=
for i in $(seq 10); do
	"$ADDSHARE" -C "$CONF" -a "par$i" -o "path = /p$i" </dev/null >/dev/null 2>&1 &
	pids="$pids $!"
done
rcs=0
for p in $pids; do wait "$p" || rcs=$((rcs + 1)); done
[ "$rcs" = 0 ] && pass || fail "$rcs parallel adds failed"
[ "$(grep -c '^\[par[0-9]*\]$' "$CONF")" = 10 ] && pass || fail "parallel adds lost: $(grep -c '^\[par' "$CONF") of 10 kept"

# ---- usage ------------------------------------------------------------------------
expect_rc 0 "-V" -- -V
grep -q 'ksmbd.addshare' "$TMP/out" && pass || fail "-V prints no version"
expect_rc 0 "-h" -- -h
grep -q -- '-a SHARE' "$TMP/out" && pass || fail "-h prints no usage"

# ---- telling the daemon --------------------------------------------------------------
LOCK=$KSMBD_LOCK_FILE
# a shell cannot trap a signal ignored when it started (nohup):
# start it with the default action
env --default-signal=HUP,TERM bash -c '
	trap "echo hup >>\"$1\"" HUP
	echo $$ >"$2"
	exec 9<"$2"
	flock -x 9
	echo ready >"$1.ready"
	for i in $(seq 300); do sleep 0.1 9<&-; done
' fake "$TMP/hups" "$LOCK" &
FAKE=$!
FAKE_PIDS="$FAKE_PIDS $FAKE"
for i in $(seq 50); do [ -e "$TMP/hups.ready" ] && break; sleep 0.1; done
expect_rc 0 "add with a running daemon" -- -C "$CONF" -a told -o "path = /t"
for i in $(seq 50); do [ -s "$TMP/hups" ] && break; sleep 0.1; done
[ "$(cat "$TMP/hups" 2>/dev/null)" = hup ] && pass || fail "daemon got no SIGHUP"
: >"$TMP/hups"
expect_rc 1 "refused edit with a running daemon" -- -C "$CONF" -u told -o "bogus = 1"
sleep 0.3
[ -s "$TMP/hups" ] && fail "daemon signalled after a refused edit" || pass
kill "$FAKE" 2>/dev/null; wait "$FAKE" 2>/dev/null

# A stale lock file: its pid (some other process) is not signalled.
sleep 30 &
INNOCENT=$!
FAKE_PIDS="$FAKE_PIDS $INNOCENT"
# A new file: an exiting stand-in's children may still hold the old one's lock.
rm -f "$LOCK"
echo "$INNOCENT" >"$LOCK"
expect_rc 0 "add with a stale lock file" -- -C "$CONF" -a stale -o "path = /s"
sleep 0.2
kill -0 "$INNOCENT" 2>/dev/null && pass || fail "stale pid $INNOCENT was signalled"
kill "$INNOCENT" 2>/dev/null; wait "$INNOCENT" 2>/dev/null

echo "test_addshare: $PASSES passed, $FAILS failed"
[ "$FAILS" = 0 ]
