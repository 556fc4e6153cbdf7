#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Byte-range locks (SMB2 LOCK) through the data path, with raw SMB2
messages (impacket builds and signs them; this script reads every answer
itself, interim ones included).

1. Hostile and malformed LOCK requests are answered, not crashed on:
   LockCount 0, LockCount past the bytes sent, a short body, an unknown
   FileId, a range past 2^64, an unlock of nothing.
2. Two connections: an exclusive lock refuses the other's lock
   (LOCK_NOT_GRANTED) and READ (FILE_LOCK_CONFLICT), not the holder's.
3. A blocking lock goes async (interim STATUS_PENDING) and completes
   with the same AsyncId when the holder unlocks.
4. Closing the handle of a waiting lock answers it RANGE_NOT_LOCKED.
5. A connection that drops takes its locks with it.

Run from the build directory (uses test_files.py's server setup).
Exits 77 (skip) without impacket.
"""

import struct
import sys
import time

try:
    from rawsmb2 import (tf, check, connect, recv, request, answer, async_id, close,
                         create_rsp, send_create, STATUS_PENDING)
    from impacket.smb3structs import (SMB2_LOCK, SMB2_READ, SMB2_WRITE,
                                      SMB2_FLAGS_ASYNC_COMMAND, SMB2_OPLOCK_LEVEL_NONE)
except ImportError:
    print("impacket missing: skipped")
    sys.exit(77)

STATUS_INVALID_PARAMETER = 0xC000000D
STATUS_FILE_LOCK_CONFLICT = 0xC0000054
STATUS_LOCK_NOT_GRANTED = 0xC0000055
STATUS_RANGE_NOT_LOCKED = 0xC000007E
STATUS_FILE_CLOSED = 0xC0000128
STATUS_INVALID_LOCK_RANGE = 0xC00001A1

SHARED, EXCL, UNLOCK, NOWAIT = 0x1, 0x2, 0x4, 0x10


def open_file(s, tid, name):
    r = answer(s, send_create(s, tid, name, SMB2_OPLOCK_LEVEL_NONE))
    check(r['Status'] == 0, "open %s: %x" % (name, r['Status']))
    _, pid, vid = create_rsp(r)
    return pid + vid


def lock_body(fid, elements, count=None):
    els = b''.join(struct.pack('<QQII', off, ln, fl, 0) for off, ln, fl in elements)
    n = len(elements) if count is None else count
    return struct.pack('<HHI', 48, n, 0) + fid + els


def lock(s, tid, fid, elements, count=None):
    return answer(s, request(s, tid, SMB2_LOCK, lock_body(fid, elements, count)))['Status']


def read(s, tid, fid, off, length):
    body = struct.pack('<HBBIQ', 49, 0x50, 0, length, off) + fid + \
        struct.pack('<IIIHH', 0, 0, 0, 0, 0) + b'\0'
    return answer(s, request(s, tid, SMB2_READ, body))['Status']


def write(s, tid, fid, off, data):
    body = struct.pack('<HHIQ', 49, 0x70, len(data), off) + fid + \
        struct.pack('<IIHHI', 0, 0, 0, 0, 0) + data
    return answer(s, request(s, tid, SMB2_WRITE, body))['Status']


def t_validation(srv):
    s, t = connect(srv)
    fid = open_file(s, t, "valid.txt")
    check(write(s, t, fid, 0, b'x' * 100) == 0, "write")
    cases = [
        ("LockCount 0", lock_body(fid, [], 0), STATUS_INVALID_PARAMETER),
        ("LockCount past the buffer", lock_body(fid, [(0, 1, EXCL)], 3),
         STATUS_INVALID_PARAMETER),
        ("short body", lock_body(fid, [(0, 1, EXCL)])[:10], STATUS_INVALID_PARAMETER),
        ("unknown FileId", lock_body(b'\x77' * 16, [(0, 1, EXCL | NOWAIT)]),
         STATUS_FILE_CLOSED),
        ("range past 2^64", lock_body(fid, [(2**64 - 1, 2, EXCL | NOWAIT)]),
         STATUS_INVALID_LOCK_RANGE),
        ("no flags", lock_body(fid, [(0, 1, 0)]), STATUS_INVALID_PARAMETER),
        ("unlock of nothing", lock_body(fid, [(0, 1, UNLOCK)]), STATUS_RANGE_NOT_LOCKED),
        ("two waiting locks", lock_body(fid, [(0, 1, EXCL), (5, 1, EXCL)]),
         STATUS_INVALID_PARAMETER),
        ("lock then unlock", lock_body(fid, [(0, 1, EXCL | NOWAIT), (0, 1, UNLOCK)]),
         STATUS_INVALID_PARAMETER),
    ]
    for what, body, want in cases:
        st = answer(s, request(s, t, SMB2_LOCK, body))['Status']
        check(st == want, "%s: %x, want %x" % (what, st, want))
    # nothing of the above was left locked
    check(lock(s, t, fid, [(0, 1, EXCL | NOWAIT)]) == 0, "lock after the refusals")
    check(lock(s, t, fid, [(0, 1, UNLOCK)]) == 0, "unlock")


def t_conflict(srv):
    a, ta = connect(srv)
    b, tb = connect(srv)
    fa = open_file(a, ta, "conflict.txt")
    fb = open_file(b, tb, "conflict.txt")
    check(write(a, ta, fa, 0, b'y' * 100) == 0, "write")
    check(lock(a, ta, fa, [(0, 10, EXCL | NOWAIT)]) == 0, "exclusive lock")
    check(lock(b, tb, fb, [(5, 1, SHARED | NOWAIT)]) == STATUS_LOCK_NOT_GRANTED,
          "the other connection's lock is refused")
    check(read(b, tb, fb, 0, 4) == STATUS_FILE_LOCK_CONFLICT, "the other's READ")
    check(write(b, tb, fb, 8, b'z' * 4) == STATUS_FILE_LOCK_CONFLICT, "the other's WRITE")
    check(read(b, tb, fb, 10, 4) == 0, "READ beside the range")
    check(read(a, ta, fa, 0, 4) == 0, "the holder's READ")
    check(lock(a, ta, fa, [(0, 10, UNLOCK)]) == 0, "unlock")
    check(read(b, tb, fb, 0, 4) == 0, "READ after the unlock")


def t_blocking(srv):
    a, ta = connect(srv)
    b, tb = connect(srv)
    fa = open_file(a, ta, "block.txt")
    fb = open_file(b, tb, "block.txt")
    check(lock(a, ta, fa, [(100, 10, EXCL)]) == 0, "first lock")
    mid = request(b, tb, SMB2_LOCK, lock_body(fb, [(100, 10, EXCL)]))
    r = answer(b, mid)
    check(r['Status'] == STATUS_PENDING and (r['Flags'] & SMB2_FLAGS_ASYNC_COMMAND),
          "interim STATUS_PENDING (%x)" % r['Status'])
    aid = async_id(r)
    check(lock(a, ta, fa, [(100, 10, UNLOCK)]) == 0, "the holder unlocks")
    r = answer(b, mid)
    check(r['Status'] == 0 and async_id(r) == aid,
          "the waiting lock is granted (%x)" % r['Status'])
    check(lock(a, ta, fa, [(100, 10, EXCL | NOWAIT)]) == STATUS_LOCK_NOT_GRANTED,
          "now held by the other")


def t_close_waiting(srv):
    a, ta = connect(srv)
    b, tb = connect(srv)
    fa = open_file(a, ta, "closewait.txt")
    fb = open_file(b, tb, "closewait.txt")
    check(lock(a, ta, fa, [(0, 1, EXCL)]) == 0, "first lock")
    mid = request(b, tb, SMB2_LOCK, lock_body(fb, [(0, 1, SHARED)]))
    check(answer(b, mid)['Status'] == STATUS_PENDING, "waits")
    cmid = close(b, tb, fb)
    got = {}
    for _ in range(2):
        r = recv(b)
        got[r['MessageID']] = r['Status']
    check(got.get(mid) == STATUS_RANGE_NOT_LOCKED and got.get(cmid) == 0,
          "the waiting lock ends RANGE_NOT_LOCKED, the close succeeds: %r" % got)


def t_connection_drop(srv):
    a, ta = connect(srv)
    b, tb = connect(srv)
    fa = open_file(a, ta, "drop.txt")
    fb = open_file(b, tb, "drop.txt")
    check(lock(a, ta, fa, [(0, 50, EXCL | NOWAIT)]) == 0, "lock")
    a._NetBIOSSession.close()
    for _ in range(50):
        st = lock(b, tb, fb, [(0, 50, EXCL | NOWAIT)])
        if st == 0:
            return
        time.sleep(0.1)
    check(False, "the dropped connection's lock stays (%x)" % st)


def main():
    return tf.run_cases('smbd-lock-', (t_validation, t_conflict, t_blocking, t_close_waiting,
                            t_connection_drop))


if __name__ == "__main__":
    sys.exit(main())
