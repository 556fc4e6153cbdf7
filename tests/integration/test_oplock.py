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

import importlib.util
import os
import struct
import sys

try:
    from impacket import smb3
    from impacket.smb3structs import (SMB2Packet, SMB2Create, SMB2_CREATE, SMB2_CLOSE,
                                      SMB2_CANCEL, SMB2_OPLOCK_BREAK,
                                      SMB2_FLAGS_ASYNC_COMMAND, SMB2_DIALECT_21,
                                      SMB2_OPLOCK_LEVEL_BATCH,
                                      SMB2_OPLOCK_LEVEL_II,
                                      SMB2_OPLOCK_LEVEL_NONE, FILE_OPEN_IF,
                                      FILE_SHARE_READ, FILE_SHARE_WRITE,
                                      FILE_SHARE_DELETE)
except ImportError:
    print("impacket missing: skipped")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # nothing written into the source tree
spec = importlib.util.spec_from_file_location("tf", os.path.join(HERE, "test_files.py"))
tf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tf)

STATUS_SUCCESS = 0
STATUS_PENDING = 0x103
STATUS_CANCELLED = 0xC0000120
ALL_SHARE = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE
RW = 0x0012019F  # FILE_GENERIC_READ | FILE_GENERIC_WRITE


def connect(srv):
    # SMB 2.1: impacket would encrypt a 3.x session, and this script reads raw
    s = smb3.SMB3("127.0.0.1", "127.0.0.1", sess_port=srv.port, timeout=10,
                  preferredDialect=SMB2_DIALECT_21)
    s.login(tf.USER, tf.PASSWORD)
    return s, s.connectTree("share")


def send_create(s, tid, name, oplock, share=ALL_SHARE):
    p = SMB2Packet()
    p['Command'] = SMB2_CREATE
    p['TreeID'] = tid
    c = SMB2Create()
    c['RequestedOplockLevel'] = oplock
    c['ImpersonationLevel'] = 2
    c['DesiredAccess'] = RW
    c['FileAttributes'] = 0x80
    c['ShareAccess'] = share
    c['CreateDisposition'] = FILE_OPEN_IF
    c['CreateOptions'] = 0x40   # FILE_NON_DIRECTORY_FILE
    c['NameOffset'] = 0x78
    c['NameLength'] = len(name) * 2
    c['CreateContextsOffset'] = 0
    c['CreateContextsLength'] = 0
    c['Buffer'] = name.encode('utf-16le')
    p['Data'] = c
    return s.sendSMB(p)


def recv(s):
    data = s._NetBIOSSession.recv_packet(10)
    return SMB2Packet(data.get_trailer())


def async_id(p):
    return p['Reserved'] | (p['TreeID'] << 32)


def create_rsp(p):
    """(oplock level, persistent id, volatile id) of a CREATE response."""
    body = p['Data']
    return body[2], body[64:72], body[72:80]


def send_cancel(s, mid, aid):
    p = SMB2Packet()
    p['Command'] = SMB2_CANCEL
    p['Flags'] = SMB2_FLAGS_ASYNC_COMMAND
    p['MessageID'] = mid
    p['Reserved'] = aid & 0xffffffff
    p['TreeID'] = aid >> 32
    p['SessionID'] = s._Session['SessionID']
    p['Data'] = struct.pack('<HH', 4, 0)
    s._NetBIOSSession.send_packet(p.getData())


def send_ack(s, tid, fid, level):
    p = SMB2Packet()
    p['Command'] = SMB2_OPLOCK_BREAK
    p['TreeID'] = tid
    p['Data'] = struct.pack('<HBBI', 24, level, 0, 0) + fid
    return s.sendSMB(p)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


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
    cp = SMB2Packet()
    cp['Command'] = SMB2_CLOSE
    cp['TreeID'] = ta
    cp['Data'] = struct.pack('<HHI', 24, 0, 0) + fid
    cmid = a.sendSMB(cp)
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
