#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The data path in userspace (kmod/smbd-user) with ksmbd.mountd, driven by
smbclient: negotiate, session setup and tree connect against real client
code.

Starts the built daemon in user mode with a temporary ksmbd.conf and
ksmbdpwd.db, then smbd-user on a free loopback port connected to the
daemon's socket, then runs smbclient. A login and tree connect that
work show as `ls` listing the files the test put into the share.

Environment: MOUNTD (default ./server/ksmbd.mountd), SMBD_USER (default
./kmod/smbd-user), SMBCLIENT (default smbclient). Standard library only.
Prints "N passed, M failed"; exits 1 on any failure, 77 (skip) when
smbclient is missing.
"""

import base64
import os
import re
import shutil
import signal
import socket
import struct
import sys
import tempfile

sys.dont_write_bytecode = True   # make distcheck: the source tree is read-only
import smbdtest  # noqa: E402
from smbdtest import MOUNTD, SMBD_USER, nt_hash  # noqa: E402

DEADLINE_S = 90          # the whole run, enforced with SIGALRM
CLIENT_TIMEOUT_S = 20    # one smbclient run

CONF = """[global]
\tserver mode = user
\tguest account = nobody
\tmap to guest = never
\tnetbios name = TESTSRV
[share]
\tpath = {share}
\tread only = no
"""

USER, PASSWORD = "demo", "demo-pass"
SHARE_FILES = ("hello.txt", "second file.dat")
SHARE_DIR = "subdir"
DIALECTS = ("SMB2_10", "SMB3_00", "SMB3_02", "SMB3_11")


# -- processes -----------------------------------------------------------------

class Server(smbdtest.Server):
    """ksmbd.mountd (user mode) and smbd-user, on a temporary tree."""

    def __init__(self, root):
        # this test starts smbd-user itself: not an installed one as well
        super().__init__(root, CONF, supervised=False)
        os.makedirs(os.path.join(self.share, SHARE_DIR))
        for name in SHARE_FILES:
            with open(os.path.join(self.share, name), "w") as f:
                f.write(name + "\n")
        with open(self.pwddb, "w") as f:
            f.write("%s:%s\n" % (USER, base64.b64encode(nt_hash(PASSWORD)).decode()))


def smbclient(srv, share, user, password, proto, cmd="ls", extra=()):
    return srv.smbclient(share, user, password, proto, cmd, CLIENT_TIMEOUT_S, extra=extra)


# -- tests -----------------------------------------------------------------------

def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def check_listing(rc, out):
    """smbclient's ls worked and shows what the share holds."""
    check(rc == 0 and "NT_STATUS_" not in out, "ls failed (rc %d):\n%s" % (rc, out))
    for name in SHARE_FILES:
        check(re.search(r"^  %s\s+[A-Z]*\s+%d  " % (re.escape(name), len(name) + 1), out,
                        re.M), "%s (%d bytes) not listed:\n%s" % (name, len(name) + 1, out))
    check(re.search(r"^  %s\s+D\s" % SHARE_DIR, out, re.M),
          "%s not listed as a directory:\n%s" % (SHARE_DIR, out))


def make_login_test(proto, signing=False):
    # with client signing required, smbclient checks every response's
    # signature: HMAC-SHA256 (2.1), AES-CMAC (3.x), 3.1.1 preauth KDF
    extra = ["--option=clientsigning=required"] if signing else []

    def t(srv):
        rc, out = smbclient(srv, "share", USER, PASSWORD, proto, extra=extra)
        # past negotiate, session setup and tree connect: ls lists the share
        check_listing(rc, out)
        for bad in ("LOGON_FAILURE", "BAD_NETWORK_NAME", "CONNECTION_RESET",
                    "CONNECTION_DISCONNECTED", "ACCESS_DENIED", "INVALID_NETWORK_RESPONSE"):
            check(bad not in out, "%s in:\n%s" % (bad, out))
    t.__name__ = "t_login_tree_connect_" + proto + ("_signed" if signing else "")
    return t


def t_wrong_password(srv):
    rc, out = smbclient(srv, "share", USER, "not-the-password", "SMB3_11")
    check(rc != 0 and "NT_STATUS_LOGON_FAILURE" in out, "rc %d:\n%s" % (rc, out))


def t_unknown_user(srv):
    rc, out = smbclient(srv, "share", "mallory", PASSWORD, "SMB3_11")
    check(rc != 0 and "NT_STATUS_LOGON_FAILURE" in out, "rc %d:\n%s" % (rc, out))


def t_unknown_share(srv):
    rc, out = smbclient(srv, "noshare", USER, PASSWORD, "SMB3_11")
    check(rc != 0 and "NT_STATUS_BAD_NETWORK_NAME" in out, "rc %d:\n%s" % (rc, out))


def t_ipc_share(srv):
    # IPC$ connects; opening a pipe is CREATE, not there yet
    rc, out = smbclient(srv, "IPC$", USER, PASSWORD, "SMB3_11", cmd="help")
    check("NT_STATUS" not in out or "NOT_SUPPORTED" in out, "rc %d:\n%s" % (rc, out))


# -- raw SMB2 over the socket: framing, echo, hostile input ----------------------

def smb2_hdr(cmd, mid, credits=1, sid=0, tid=0):
    # MS-SMB2 2.2.1.2: ProtocolId, StructureSize 64, CreditCharge, Status,
    # Command, CreditRequest, Flags, NextCommand, MessageId, Reserved,
    # TreeId, SessionId, Signature
    return struct.pack("<4sHHIHHIIQIIQ16s", b"\xfeSMB", 64, 1, 0, cmd, credits,
                       0, 0, mid, 0, tid, sid, bytes(16))


def frame(msg):
    return struct.pack(">I", len(msg)) + msg


def negotiate_21():
    # 2.2.3: StructureSize 36, one dialect (0x0210), no contexts
    body = struct.pack("<HHHHI16sIHH", 36, 1, 1, 0, 0, b"c" * 16, 0, 0, 0)
    return smb2_hdr(0, 0, credits=8) + body + struct.pack("<H", 0x0210)


def recv_frame(s):
    hdr = b""
    while len(hdr) < 4:
        chunk = s.recv(4 - len(hdr))
        if not chunk:
            return None
        hdr += chunk
    n = struct.unpack(">I", hdr)[0]
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def status_of(msg):
    return struct.unpack_from("<I", msg, 8)[0]


def connect(srv):
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    return s


def t_echo_and_unsupported(srv):
    with connect(srv) as s:
        s.sendall(frame(negotiate_21()))
        rsp = recv_frame(s)
        check(rsp and status_of(rsp) == 0, "negotiate failed")
        check(struct.unpack_from("<H", rsp, 64 + 4)[0] == 0x0210, "dialect")
        s.sendall(frame(smb2_hdr(13, 1) + struct.pack("<HH", 4, 0)))   # ECHO
        rsp = recv_frame(s)
        check(rsp and status_of(rsp) == 0, "echo status %r" % (rsp and hex(status_of(rsp))))
        # CREATE without a session: USER_SESSION_DELETED, not a crash
        s.sendall(frame(smb2_hdr(5, 2) + bytes(57)))
        rsp = recv_frame(s)
        check(rsp and status_of(rsp) == 0xC0000203, "create without session")
        # a reused message id ends the connection (MS-SMB2 3.3.5.2.3)
        s.sendall(frame(smb2_hdr(13, 1) + struct.pack("<HH", 4, 0)))
        check(recv_frame(s) is None, "replayed message id was answered")


def t_hostile_frames(srv):
    cases = [
        struct.pack(">I", 0x00FFFFFF),                       # huge length
        frame(b"\xffSMB" + bytes(60)),                       # SMB1
        frame(b"\xfeSMB" + bytes(10)),                       # short header
        frame(smb2_hdr(0, 0)[:20] + struct.pack("<I", 3) + smb2_hdr(0, 0)[24:]),  # bad NextCommand
        frame(smb2_hdr(1, 0) + bytes(24)),                   # SESSION_SETUP first
        frame(smb2_hdr(0, 5) + bytes(36)),                   # message id not granted
    ]
    for i, data in enumerate(cases):
        with connect(srv) as s:
            s.sendall(data)
            check(recv_frame(s) is None, "hostile case %d was answered" % i)
    check(srv.alive(), "a server process died")
    rc, out = smbclient(srv, "share", USER, PASSWORD, "SMB3_11")
    check_listing(rc, out)


TESTS = [make_login_test(p) for p in DIALECTS] + [
    make_login_test(p, signing=True) for p in DIALECTS] + [
    t_wrong_password, t_unknown_user, t_unknown_share, t_ipc_share,
    t_echo_and_unsupported, t_hostile_frames,
]


def main():
    status = smbdtest.not_ready(progs=(MOUNTD, SMBD_USER))
    if status is not None:
        return status
    signal.signal(signal.SIGALRM, lambda *a: (_ for _ in ()).throw(
        TimeoutError("test_datapath: over %d s" % DEADLINE_S)))
    signal.alarm(DEADLINE_S)
    tally = smbdtest.Tally()
    root = tempfile.mkdtemp(prefix="smbd-dp-")
    srv = Server(root)
    try:
        srv.start()
        for t in TESTS:
            tally.run(t, srv, after=lambda: check(srv.alive(), "a server process died:\n" +
                                                  srv.log("smbd-user") + srv.log("mountd")))
    except (AssertionError, TimeoutError) as e:
        tally.result("setup", False, str(e))
    finally:
        signal.alarm(0)
        srv.stop()
        if tally.failed:
            for name in ("mountd", "smbd-user"):
                try:
                    print("--- %s log (tail) ---\n%s" % (name, srv.log(name)[-3000:]))
                except OSError:
                    pass
        shutil.rmtree(root, ignore_errors=True)
    return tally.summary()


if __name__ == "__main__":
    sys.exit(main())
