#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ksmbd.control -l, -c and -d in user mode, against a live data path.

ksmbd.mountd (user mode, --data-path) starts smbd-user with its status
socket next to the IPC socket. ksmbd.control, pointed at that socket and
at the daemon's lock file, with an empty --sysfs-root (so user mode even
where the ksmbd module is loaded), must:
  -l   print mode, state, the daemon's pid, the data path's start time and
       the connection, session, tree connect and open file counts;
  -c   print the package version (the same as ksmbd.control -V's);
  -d   toggle a component and print the kernel's debug file format
       ("[smb] auth vfs ..."), and an enabled component makes smbd-user log
       its debug messages (kmod/user/status.c logs each request it serves
       at debug level); -d bogus is a usage error (exit 1).
The request protocol itself (idl/status.idl smbd_status_req and
smbd_status_reply, served by kmod/user/status.c) is checked on a raw
socket: malformed and unknown requests get a BAD_REQUEST reply ("unknown
request"), a silent client or half a request is closed unanswered, and
the server goes on serving.

Run from the build directory. Environment: MOUNTD, SMBD_USER, ADDUSER,
CONTROL (default ./server/...), SMBD_TEST_DIR (default /tmp). Standard
library only. Prints "N passed, M failed"; exits 1 on a failure, 77
(skip) when ksmbd.mountd cannot start the data path itself.
"""

import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True   # make distcheck: the source tree is read-only
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smbdtest  # noqa: E402
from smbdtest import MOUNTD, SMBD_USER, ADDUSER  # noqa: E402

CONTROL = os.environ.get("CONTROL", "./server/ksmbd.control")
TEST_DIR = os.environ.get("SMBD_TEST_DIR", "/tmp")
DEADLINE_S = 120
COMPONENTS = ("smb", "auth", "vfs", "oplock", "ipc", "conn", "rdma")
NONE_ON = " ".join(COMPONENTS)
ALL_ON = " ".join("[%s]" % c for c in COMPONENTS)

# idl/status.idl: the status socket's request and reply
REQ_MAGIC = 0x51525453      # "STRQ"
REPLY_MAGIC = 0x50525453    # "STRP"
OP_NONE, OP_SNAPSHOT, OP_VERSION, OP_DEBUG = 0, 1, 2, 3
RESULT_OK, RESULT_BAD_REQUEST = 0, 1


def req(op, arg=b"", magic=REQ_MAGIC, version=1, arg_len=None):
    """An smbd_status_req."""
    n = len(arg) if arg_len is None else arg_len
    return struct.pack("<IHHH2x", magic, version, op, n) + arg


def reply(op, result, text):
    """The smbd_status_reply the data path answers."""
    return struct.pack("<IHHH2x", REPLY_MAGIC, op, result, len(text)) + text


BAD = reply(OP_NONE, RESULT_BAD_REQUEST, b"unknown request")

CONF = smbdtest.global_conf("CTLUSER") + """[share]
\tpath = {share}
\tread only = no
{force}"""


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


class Ctx:
    def __init__(self, srv):
        self.srv = srv
        self.sock = os.path.join(srv.root, "ksmbd-status.sock")
        self.nosys = os.path.join(srv.root, "nosys")
        os.makedirs(self.nosys, exist_ok=True)

    def control(self, *args, sock=True):
        argv = [CONTROL, "--sysfs-root", self.nosys]
        if sock:
            argv += ["--status-socket", self.sock]
        env = dict(os.environ, KSMBD_LOCK_FILE=self.srv.lock)
        r = subprocess.run(argv + list(args), capture_output=True, timeout=30, env=env)
        err = r.stderr.decode(errors="replace")
        check("Sanitizer" not in err and "runtime error" not in err,
              "ksmbd.control tripped the sanitizers: %s" % err)
        return r.returncode, r.stdout.decode(errors="replace"), err

    def log(self):
        return self.srv.log("mountd") + self.srv.log("smbd-user")

    def raw(self, request, timeout=10):
        """Send request bytes on the status socket; the answer to EOF."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(self.sock)
            if request:
                s.sendall(request)
            out = b""
            while True:
                try:
                    b = s.recv(65536)
                except ConnectionResetError:
                    # it closed with some of a long request unread: that
                    # resets, after what it sent (ksmbd.control does the same)
                    return out
                if not b:
                    return out
                out += b


def fields(out):
    return dict(ln.split(": ", 1) for ln in out.splitlines() if ": " in ln)


def t_list(c):
    rc, out, err = c.control("-l")
    check(rc == 0, "-l: rc %d out %r err %r" % (rc, out, err))
    f = fields(out)
    check(f.get("mode") == "user", "mode: %r" % out)
    check(f.get("state") == "running", "state: %r" % out)
    mountd_pid = c.srv.procs[0].pid
    check(f.get("daemon") == "ksmbd.mountd, pid %d" % mountd_pid,
          "daemon (want pid %d): %r" % (mountd_pid, out))
    check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", f.get("server start", "")),
          "server start: %r" % out)
    start = time.mktime(time.strptime(f["server start"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
    check(abs(time.time() - start) < 600, "server start %s is not now" % f["server start"])
    for k in ("connections", "sessions", "tree connects", "open files"):
        check(f.get(k, "").isdigit(), "%s: %r" % (k, out))
    check(f["sessions"] == "0" and f["open files"] == "0", "counts with no client: %r" % out)


def t_version(c):
    rc, out, err = c.control("-V", sock=False)
    check(rc == 0, "-V: rc %d" % rc)
    want = out.split()[-1]
    rc, out, err = c.control("-c")
    check(rc == 0, "-c: rc %d out %r err %r" % (rc, out, err))
    check(out == want + "\n", "-c printed %r, want %r" % (out, want))


def debug_lines(c):
    return c.log().count('status: served "version"')


def t_debug_toggle(c):
    rc, out, err = c.control("-d", "smb")
    check(rc == 0 and out == "[smb] auth vfs oplock ipc conn rdma\n",
          "-d smb (on): rc %d out %r err %r" % (rc, out, err))
    rc, out, err = c.control("-c")
    check(rc == 0, "-c with debug on: %d %s" % (rc, err))
    smbdtest.wait_for(lambda: debug_lines(c) >= 1, 5,
                      "a debug line in smbd-user's log with smb on", c.log)
    rc, out, err = c.control("-d", "smb")
    check(rc == 0 and out == NONE_ON + "\n",
          "-d smb (off): rc %d out %r err %r" % (rc, out, err))
    seen = debug_lines(c)
    rc, out, err = c.control("-c")
    check(rc == 0, "-c with debug off: %d %s" % (rc, err))
    time.sleep(1)
    check(debug_lines(c) == seen, "debug lines still logged with every component off")


def t_debug_all(c):
    rc, out, err = c.control("-d", "auth")
    check(rc == 0 and out == "smb [auth] vfs oplock ipc conn rdma\n", "-d auth: %r" % out)
    # some on: all on; all on: all off
    rc, out, err = c.control("--debug=all")
    check(rc == 0 and out == ALL_ON + "\n", "-d all (on): %r" % out)
    rc, out, err = c.control("-d", "all")
    check(rc == 0 and out == NONE_ON + "\n", "-d all (off): %r" % out)
    check(c.raw(req(OP_DEBUG)) == reply(OP_DEBUG, RESULT_OK, NONE_ON.encode()),
          "debug request")


def t_debug_bogus(c):
    rc, out, err = c.control("-d", "bogus")
    check(rc == 1 and "unknown component" in err and not out,
          "-d bogus: rc %d out %r err %r" % (rc, out, err))
    # the data path refuses it too
    got = c.raw(req(OP_DEBUG, b"bogus"))
    check(got == reply(OP_DEBUG, RESULT_BAD_REQUEST, b"unknown request"),
          "debug bogus on the socket: %r" % got)


def t_protocol(c):
    refused = {
        # not read as a request: op 0 in the reply
        "text line": (b"status now\n\n" + b"x" * 20, BAD),
        "long garbage": (b"x" * 200, BAD),
        "bad magic": (req(OP_VERSION, magic=0x11111111), BAD),
        "other version": (req(OP_VERSION, version=2), BAD),
        "argument too long": (req(OP_DEBUG, b"s" * 17), BAD),
        # read, then refused: the request's op in the reply
        "unknown op": (req(9), reply(9, RESULT_BAD_REQUEST, b"unknown request")),
        "none op": (req(OP_NONE), BAD),
        "argument to version": (req(OP_VERSION, b"smb"),
                                reply(OP_VERSION, RESULT_BAD_REQUEST, b"unknown request")),
        "argument to status": (req(OP_SNAPSHOT, b"all"),
                               reply(OP_SNAPSHOT, RESULT_BAD_REQUEST, b"unknown request")),
        "padded component": (req(OP_DEBUG, b" smb"),
                             reply(OP_DEBUG, RESULT_BAD_REQUEST, b"unknown request")),
        "component with a NUL": (req(OP_DEBUG, b"sm\x00b"),
                                 reply(OP_DEBUG, RESULT_BAD_REQUEST, b"unknown request")),
    }
    for name, (request, want) in refused.items():
        got = c.raw(request)
        check(got == want, "%s: answered %r, want %r" % (name, got[:80], want))
    version = c.control("-c")[1].strip().encode()
    # bytes after the request are ignored
    check(c.raw(req(OP_VERSION) + b"\r\n") == reply(OP_VERSION, RESULT_OK, version),
          "version with trailing bytes")
    check(c.raw(req(OP_SNAPSHOT))[:4] == b"STST", "status: not a snapshot")
    # a request sent a byte at a time is still one
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(c.sock)
        for b in req(OP_VERSION):
            s.sendall(bytes([b]))
            time.sleep(0.01)
        got = b""
        while True:
            d = s.recv(4096)
            if not d:
                break
            got += d
    check(got == reply(OP_VERSION, RESULT_OK, version), "dribbled request: %r" % got)
    # a client that says nothing is closed unanswered after the timeout
    t0 = time.monotonic()
    got = c.raw(b"", timeout=10)
    took = time.monotonic() - t0
    check(got == b"" and 1 <= took < 8, "silent client: %r after %.1f s" % (got, took))
    # half a request, then nothing: the same (so is the old text protocol's
    # "status" line, shorter than a request)
    check(c.raw(req(OP_VERSION)[:5], timeout=10) == b"", "half a request answered")
    check(c.raw(b"status\n", timeout=10) == b"", "a short text line answered")
    rc, out, err = c.control("-l")
    check(rc == 0 and "state: running" in out, "status socket dead after the protocol tests")


def t_no_data_path(c):
    # a socket nobody listens on, the daemon still running: not answering
    rc, out, err = c.control("-l", "--status-socket", os.path.join(c.srv.root, "none.sock"),
                             sock=False)
    check(rc == 3 and "state: not answering" in out, "-l: rc %d out %r" % (rc, out))
    rc, out, err = c.control("-c", "--status-socket", os.path.join(c.srv.root, "none.sock"),
                             sock=False)
    check(rc == 2, "-c: rc %d out %r err %r" % (rc, out, err))


TESTS = (t_list, t_version, t_debug_toggle, t_debug_all, t_debug_bogus, t_protocol,
         t_no_data_path)


def main():
    status = smbdtest.not_ready(progs=(MOUNTD, SMBD_USER, ADDUSER, CONTROL), clients=())
    if status is not None:
        return status
    if not smbdtest.mountd_supervises():
        print("ksmbd.mountd does not start the data path: skipped")
        return 77
    signal.signal(signal.SIGALRM, lambda *a: (_ for _ in ()).throw(
        TimeoutError("test_control_user: over %d s" % DEADLINE_S)))
    signal.alarm(DEADLINE_S)
    tally = smbdtest.Tally()
    root = tempfile.mkdtemp(prefix="smbd-ctl-", dir=TEST_DIR)
    srv = smbdtest.Server(root, CONF, supervised=True, force_nobody=True)
    c = Ctx(srv)
    try:
        srv.start()
        smbdtest.wait_for(lambda: os.path.exists(c.sock), 10, "the status socket", c.log)
        for t in TESTS:
            tally.run(t, c, after=lambda: check(srv.alive(), "a server process died:\n" +
                                                c.log()[-3000:]))
    except (AssertionError, TimeoutError) as e:
        tally.result("setup", False, str(e))
    finally:
        signal.alarm(0)
        srv.stop()
        log = c.log()
        if "Sanitizer" in log or "runtime error" in log:
            tally.result("sanitizers", False, log[-3000:])
        if tally.failed:
            print("--- logs (tail) ---\n" + log[-3000:])
        shutil.rmtree(root, ignore_errors=True)
    return tally.summary()


if __name__ == "__main__":
    sys.exit(main())
