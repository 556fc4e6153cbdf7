#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Async CREATE, oplock breaks and CANCEL through the data path, with raw
SMB2 messages (impacket builds and signs them; this script reads every
answer itself, interim ones included).

1. batch oplock held by connection A; connection B opens the same file:
   B gets an interim STATUS_PENDING (async, with an AsyncId), A gets an
   OPLOCK_BREAK notification; B's CANCEL gets the final STATUS_CANCELLED
   with the same AsyncId.
2. The same again, and A closes its handle: B's CREATE completes.
3. One connection opens the file twice: the second CREATE goes async,
   the break comes on the same connection, its acknowledgment is
   answered and the CREATE completes - the connection was not blocked.

Run from the build directory (uses test_files.py's server setup).
Exits 77 (skip) without impacket.
"""

import struct
import sys

try:
    from rawsmb2 import (tf, check, connect, recv, request, async_id, close, create_rsp,
                         send_cancel, send_create, STATUS_SUCCESS, STATUS_PENDING)
    from impacket.smb3structs import (SMB2_OPLOCK_BREAK, SMB2_FLAGS_ASYNC_COMMAND,
                                      SMB2_OPLOCK_LEVEL_BATCH, SMB2_OPLOCK_LEVEL_II,
                                      SMB2_OPLOCK_LEVEL_NONE)
except ImportError:
    print("impacket missing: skipped")
    sys.exit(77)

STATUS_CANCELLED = 0xC0000120


def send_ack(s, tid, fid, level):
    return request(s, tid, SMB2_OPLOCK_BREAK, struct.pack('<HBBI', 24, level, 0, 0) + fid)


def open_batch(s, tid, name):
    mid = send_create(s, tid, name, SMB2_OPLOCK_LEVEL_BATCH)
    r = recv(s)
    check(r['MessageID'] == mid and r['Status'] == 0, "first open: %x" % r['Status'])
    level, pid, vid = create_rsp(r)
    check(level == SMB2_OPLOCK_LEVEL_BATCH, "batch granted (got %d)" % level)
    return pid + vid


def interim(s, mid):
    r = recv(s)
    check(r['MessageID'] == mid and r['Status'] == STATUS_PENDING and
          (r['Flags'] & SMB2_FLAGS_ASYNC_COMMAND), "interim STATUS_PENDING, async")
    return async_id(r)


def break_ntf(s, fid, level):
    r = recv(s)
    check(r['Command'] == SMB2_OPLOCK_BREAK and r['MessageID'] == 0xFFFFFFFFFFFFFFFF,
          "an oplock break notification")
    body = r['Data']
    check(body[2] == level and body[8:24] == fid, "break to %d of the file" % level)


def t_cancel(srv):
    a, ta = connect(srv)
    b, tb = connect(srv)
    fid = open_batch(a, ta, "cancel.txt")
    mid = send_create(b, tb, "cancel.txt", SMB2_OPLOCK_LEVEL_NONE)
    aid = interim(b, mid)
    break_ntf(a, fid, SMB2_OPLOCK_LEVEL_II)
    send_cancel(b, mid, aid)
    r = recv(b)
    check(r['MessageID'] == mid and r['Status'] == STATUS_CANCELLED and
          async_id(r) == aid, "CANCEL answers STATUS_CANCELLED (%x)" % r['Status'])


def t_close_ends_wait(srv):
    a, ta = connect(srv)
    b, tb = connect(srv)
    fid = open_batch(a, ta, "close.txt")
    mid = send_create(b, tb, "close.txt", SMB2_OPLOCK_LEVEL_BATCH)
    aid = interim(b, mid)
    break_ntf(a, fid, SMB2_OPLOCK_LEVEL_II)
    cmid = close(a, ta, fid)
    r = recv(a)
    check(r['MessageID'] == cmid and r['Status'] == 0, "the holder's CLOSE")
    r = recv(b)
    check(r['MessageID'] == mid and r['Status'] == STATUS_SUCCESS and
          async_id(r) == aid, "the CREATE completes once the holder closed")
    # alone again after the close: the batch oplock asked for is granted
    check(create_rsp(r)[0] == SMB2_OPLOCK_LEVEL_BATCH, "batch for the only open")


def t_same_connection(srv):
    a, ta = connect(srv)
    fid = open_batch(a, ta, "self.txt")
    mid = send_create(a, ta, "self.txt", SMB2_OPLOCK_LEVEL_II)
    # the interim answer and the break, in either order
    seen = [recv(a), recv(a)]
    ntf = [p for p in seen if p['Command'] == SMB2_OPLOCK_BREAK]
    pend = [p for p in seen if p['MessageID'] == mid]
    check(len(ntf) == 1 and len(pend) == 1 and pend[0]['Status'] == STATUS_PENDING,
          "interim answer and break on one connection")
    aid = async_id(pend[0])
    ack = send_ack(a, ta, fid, SMB2_OPLOCK_LEVEL_II)
    got = {}
    for _ in range(2):
        r = recv(a)
        got[r['MessageID']] = r
    check(ack in got and got[ack]['Status'] == 0 and got[ack]['Data'][2] == 1,
          "the acknowledgment is answered (Level II)")
    check(mid in got and got[mid]['Status'] == 0 and async_id(got[mid]) == aid and
          create_rsp(got[mid])[0] == SMB2_OPLOCK_LEVEL_II,
          "the second CREATE completes with Level II")


def main():
    return tf.run_cases('smbd-oplock-', (t_cancel, t_close_ends_wait, t_same_connection))


if __name__ == "__main__":
    sys.exit(main())
