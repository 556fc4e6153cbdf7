# SPDX-License-Identifier: GPL-2.0-or-later
"""Raw SMB2 messages for the tests that read every answer themselves
(test_lock.py, test_oplock.py): impacket logs in, builds and signs the
packets; these helpers send requests and read answers, interim ones and
break notifications included, without impacket's own answer matching.

Raises ImportError without impacket (the tests then skip).
"""

import importlib.util
import os
import struct
import sys

from impacket import smb3
from impacket.smb3structs import (SMB2Packet, SMB2Create, SMB2_CANCEL, SMB2_CLOSE,
                                  SMB2_CREATE, SMB2_FLAGS_ASYNC_COMMAND,
                                  SMB2_DIALECT_21, FILE_OPEN_IF, FILE_SHARE_READ,
                                  FILE_SHARE_WRITE, FILE_SHARE_DELETE)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # nothing written into the source tree
_spec = importlib.util.spec_from_file_location("tf", os.path.join(HERE, "test_files.py"))
tf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tf)

STATUS_SUCCESS = 0
STATUS_PENDING = 0x103
ALL_SHARE = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE
RW = 0x0012019F  # FILE_GENERIC_READ | FILE_GENERIC_WRITE


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def connect(srv):
    """A logged-in session and the tree id of the test share."""
    # SMB 2.1: impacket would encrypt a 3.x session, and these tests read raw
    s = smb3.SMB3("127.0.0.1", "127.0.0.1", sess_port=srv.port, timeout=10,
                  preferredDialect=SMB2_DIALECT_21)
    s.login(tf.USER, tf.PASSWORD)
    return s, s.connectTree("share")


def recv(s):
    """The next message from the server, whatever it answers."""
    data = s._NetBIOSSession.recv_packet(10)
    return SMB2Packet(data.get_trailer())


def request(s, tid, cmd, body):
    """Send one request; its message id."""
    p = SMB2Packet()
    p['Command'] = cmd
    p['TreeID'] = tid
    p['Data'] = body
    return s.sendSMB(p)


def answer(s, mid):
    """The next message, which must answer message mid."""
    r = recv(s)
    check(r['MessageID'] == mid, "the answer to message %d" % mid)
    return r


def async_id(p):
    return p['Reserved'] | (p['TreeID'] << 32)


def create_body(name, oplock, share=ALL_SHARE):
    """CREATE (FILE_OPEN_IF) of a file for reading and writing."""
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
    return c


def send_create(s, tid, name, oplock, share=ALL_SHARE):
    return request(s, tid, SMB2_CREATE, create_body(name, oplock, share))


def create_rsp(p):
    """(oplock level, persistent id, volatile id) of a CREATE response."""
    body = p['Data']
    return body[2], body[64:72], body[72:80]


def close(s, tid, fid):
    """Send CLOSE; its message id."""
    return request(s, tid, SMB2_CLOSE, struct.pack('<HHI', 24, 0, 0) + fid)


def send_cancel(s, mid, aid):
    """CANCEL of the async request mid (AsyncId aid); CANCEL has no answer."""
    p = SMB2Packet()
    p['Command'] = SMB2_CANCEL
    p['Flags'] = SMB2_FLAGS_ASYNC_COMMAND
    p['MessageID'] = mid
    p['Reserved'] = aid & 0xffffffff
    p['TreeID'] = aid >> 32
    p['SessionID'] = s._Session['SessionID']
    p['Data'] = struct.pack('<HH', 4, 0)
    s._NetBIOSSession.send_packet(p.getData())
