#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The userspace host's framing (kmod/user/net.c) with raw SMB2 over TCP:
many frames in one send, frames cut anywhere (one byte at a time, across
the read-ahead buffer's size, longer than it), a frame left half sent
behind complete ones, a bad frame behind good ones, and a client that
sends much and reads late. Every answer must come, in order, and the
server must stay up.

Only NEGOTIATE and ECHO are used (no login). Environment: MOUNTD,
SMBD_USER (smbdtest.py). Standard library only. Prints "N passed, M
failed"; exits 1 on any failure.
"""

import os
import shutil
import signal
import socket
import struct
import sys
import tempfile
import time

sys.dont_write_bytecode = True   # make distcheck: the source tree is read-only
import smbdtest  # noqa: E402
from smbdtest import MOUNTD, SMBD_USER  # noqa: E402

DEADLINE_S = 120
CONF = """[global]
\tserver mode = user
\tmap to guest = never
\tnetbios name = NETTEST
[share]
\tpath = {share}
\tread only = yes
"""
RBUF = 64 * 1024          # net.c's RBUF_SIZE: sizes below straddle it
ECHO = 13
STATUS_SUCCESS = 0


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def smb2_hdr(cmd, mid, credits=1, charge=1):
    # MS-SMB2 2.2.1.2, sync header, no session or tree
    return struct.pack("<4sHHIHHIIQIIQ16s", b"\xfeSMB", 64, charge, 0, cmd, credits,
                       0, 0, mid, 0, 0, 0, bytes(16))


def frame(msg):
    return struct.pack(">I", len(msg)) + msg


def echo(mid, credits=1, pad=0):
    # 2.2.28: StructureSize 4, Reserved; pad: bytes after it (a client may
    # send a longer frame; the server answers it like any other)
    return frame(smb2_hdr(ECHO, mid, credits) + struct.pack("<HH", 4, 0) + bytes(pad))


def recv_exact(s, n):
    data = bytearray()
    while len(data) < n:
        try:
            chunk = s.recv(n - len(data))
        except ConnectionResetError:
            return None   # closed with our bytes unread: a reset, not a FIN
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def recv_frame(s):
    hdr = recv_exact(s, 4)
    if hdr is None:
        return None
    return recv_exact(s, struct.unpack(">I", hdr)[0])


class Conn:
    """One negotiated SMB 2.1 connection that counts its credits."""

    def __init__(self, srv, want_credits=1):
        self.s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        body = struct.pack("<HHHHI16sIHH", 36, 1, 1, 0, 0, b"n" * 16, 0, 0, 0)
        self.s.sendall(frame(smb2_hdr(0, 0, credits=8) + body + struct.pack("<H", 0x0210)))
        rsp = recv_frame(self.s)
        check(rsp and self.status(rsp) == STATUS_SUCCESS, "negotiate failed")
        self.credits = self.granted(rsp)
        self.mid = 1
        while self.credits < want_credits:
            self.s.sendall(echo(self.take(), credits=min(want_credits, 512)))
            rsp = recv_frame(self.s)
            check(rsp and self.status(rsp) == STATUS_SUCCESS, "echo for credits failed")
            self.credits += self.granted(rsp)

    @staticmethod
    def status(msg):
        return struct.unpack_from("<I", msg, 8)[0]

    @staticmethod
    def granted(msg):
        return struct.unpack_from("<H", msg, 14)[0]

    @staticmethod
    def msg_id(msg):
        return struct.unpack_from("<Q", msg, 24)[0]

    def take(self):
        check(self.credits > 0, "out of credits")
        self.credits -= 1
        self.mid += 1
        return self.mid - 1

    def expect(self, mids, what):
        """The answers to mids, in that order, each SUCCESS."""
        for m in mids:
            rsp = recv_frame(self.s)
            check(rsp is not None, "%s: connection closed before the answer to %d" % (what, m))
            check(self.msg_id(rsp) == m, "%s: answer to %d where %d was due"
                  % (what, self.msg_id(rsp), m))
            check(self.status(rsp) == STATUS_SUCCESS, "%s: message %d status 0x%08x"
                  % (what, m, self.status(rsp)))
            self.credits += self.granted(rsp)

    def close(self):
        self.s.close()


def t_many_frames_one_send(srv):
    c = Conn(srv, 1200)
    mids = [c.take() for _ in range(1000)]
    c.s.sendall(b"".join(echo(m) for m in mids))
    c.expect(mids, "1000 echoes in one send")
    c.close()


def t_one_byte_at_a_time(srv):
    c = Conn(srv, 4)
    mids = [c.take() for _ in range(3)]
    data = b"".join(echo(m, pad=p) for m, p in zip(mids, (0, 5, 300)))
    c.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for i in range(len(data)):
        c.s.send(data[i:i + 1])
        if i % 37 == 0:
            time.sleep(0.001)
    c.expect(mids, "echoes sent a byte at a time")
    c.close()


def t_sizes_around_read_ahead(srv):
    # frames that end just before, at and after the read-ahead buffer's
    # end, one longer than it, and small ones around them, in one send
    c = Conn(srv, 64)
    base = len(echo(0))
    pads = [0, RBUF - base - 4, 3, RBUF - base - 8, RBUF - base - 3, 1, RBUF - base,
            RBUF - base + 1, 2 * RBUF, 7, 5 * RBUF + 13, 0, 1000, RBUF // 2, RBUF // 2,
            RBUF // 2 - 70, 0]
    mids = [c.take() for _ in pads]
    c.s.sendall(b"".join(echo(m, pad=p) for m, p in zip(mids, pads)))
    c.expect(mids, "echoes of mixed sizes")
    # the same cut at odd places, in pieces with pauses between
    mids = [c.take() for _ in pads]
    data = b"".join(echo(m, pad=p) for m, p in zip(mids, pads))
    step = 4093
    for i in range(0, len(data), step):
        c.s.sendall(data[i:i + step])
        if (i // step) % 16 == 0:
            time.sleep(0.002)
    c.expect(mids, "echoes of mixed sizes, cut")
    c.close()


def t_half_frame_behind_complete_ones(srv):
    c = Conn(srv, 8)
    mids = [c.take() for _ in range(4)]
    data = b"".join(echo(m) for m in mids)
    # three whole frames and 2 bytes of the header of the fourth
    cut = len(echo(0)) * 3 + 2
    c.s.sendall(data[:cut])
    c.expect(mids[:3], "complete frames before a partial one")
    time.sleep(0.3)
    c.s.sendall(data[cut:cut + 30])
    time.sleep(0.3)
    c.s.sendall(data[cut + 30:])
    c.expect(mids[3:], "the frame completed later")
    c.close()


def t_bad_frame_behind_good_ones(srv):
    c = Conn(srv, 8)
    mids = [c.take() for _ in range(3)]
    bad = frame(b"\xffSMB" + bytes(60))
    c.s.sendall(b"".join(echo(m) for m in mids) + bad + echo(c.take()))
    c.expect(mids, "good frames before a bad one")
    check(recv_frame(c.s) is None, "the frame after a bad one was answered")
    c.close()
    # a length the state does not allow, behind a good frame
    c = Conn(srv, 4)
    m = c.take()
    c.s.sendall(echo(m) + struct.pack(">I", 0x00FFFFFF) + bytes(100))
    c.expect([m], "a good frame before a huge length")
    check(recv_frame(c.s) is None, "the huge frame was answered")
    c.close()


def t_reads_late(srv):
    # send a lot without reading: answers pile up in the socket and then
    # in the server's out; every one of them must still come
    c = Conn(srv, 6000)
    c.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    mids = [c.take() for _ in range(5000)]
    data = b"".join(echo(m, pad=200) for m in mids)
    c.s.settimeout(30)
    sent = 0
    c.s.setblocking(False)
    deadline = time.time() + 30
    while sent < len(data) and time.time() < deadline:
        try:
            sent += c.s.send(data[sent:sent + 65536])
        except BlockingIOError:
            time.sleep(0.05)
    check(sent == len(data), "the server stopped reading for good (%d of %d sent)"
          % (sent, len(data)))
    c.s.setblocking(True)
    c.s.settimeout(30)
    c.expect(mids, "answers read late")
    c.close()


def t_others_served_meanwhile(srv):
    # one peer keeps the server busy; another one's echo is not held up
    busy = Conn(srv, 4000)
    mids = [busy.take() for _ in range(3000)]
    other = Conn(srv, 2)
    busy.s.sendall(b"".join(echo(m) for m in mids))
    t0 = time.time()
    m = other.take()
    other.s.sendall(echo(m))
    other.expect([m], "the other peer's echo")
    check(time.time() - t0 < 5, "the other peer waited %.1f s" % (time.time() - t0))
    busy.expect(mids, "the busy peer's echoes")
    busy.close()
    other.close()


def t_idle_stays(srv):
    # between frames a peer may wait as long as it likes; a fresh
    # connection that sends nothing is not dropped either (not mid-frame)
    c = Conn(srv, 2)
    time.sleep(1.5)
    m = c.take()
    c.s.sendall(echo(m))
    c.expect([m], "echo after a pause")
    c.close()


TESTS = [t_many_frames_one_send, t_one_byte_at_a_time, t_sizes_around_read_ahead,
         t_half_frame_behind_complete_ones, t_bad_frame_behind_good_ones, t_reads_late,
         t_others_served_meanwhile, t_idle_stays]


def main():
    status = smbdtest.not_ready(progs=(MOUNTD, SMBD_USER), clients=())
    if status is not None:
        return status
    signal.signal(signal.SIGALRM, lambda *a: (_ for _ in ()).throw(
        TimeoutError("test_net: over %d s" % DEADLINE_S)))
    signal.alarm(DEADLINE_S)
    tally = smbdtest.Tally()
    root = tempfile.mkdtemp(prefix="smbd-net-")
    srv = smbdtest.Server(root, CONF, users=(("nettest", "net-pass"),), supervised=False)
    try:
        srv.start()
        for t in TESTS:
            tally.run(t, srv, after=lambda: check(srv.alive(), "a server process died:\n" +
                                                  srv.log("smbd-user")[-3000:]))
    except (AssertionError, TimeoutError, OSError) as e:
        tally.result("setup", False, str(e))
    finally:
        signal.alarm(0)
        srv.stop()
        for name in ("smbd-user",):
            log = srv.log(name)
            if tally.failed or "ERROR: AddressSanitizer" in log or "runtime error" in log:
                if "ERROR: AddressSanitizer" in log or "runtime error" in log:
                    tally.result("sanitizer", False, log[-3000:])
                print("--- %s log (tail) ---\n%s" % (name, log[-3000:]))
        shutil.rmtree(root, ignore_errors=True)
    return tally.summary()


if __name__ == "__main__":
    sys.exit(main())
