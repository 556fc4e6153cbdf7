#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ksmbd.control --status against the userspace data path.

ksmbd.mountd (user mode) starts smbd-user with a status socket next to
its IPC socket. While two smbclient sessions stay connected (user
"statusone" on SMB3_11 with encryption required by the client, user "statustwo" on SMB2_10) and a
python3-smbc client holds a file open, `ksmbd.control --status` and
`--status --json` must show both sessions with their users, 127.0.0.1,
the dialects, the encryption of the first, the tree connects to the share
and the open file's path. With every client gone the status is empty.
A truncated or garbage snapshot served on a fake socket makes
ksmbd.control print an error and exit non-zero, never crash.

Run from the build directory. Environment: MOUNTD, SMBD_USER, ADDUSER,
CONTROL (default ./server/...), SMBCLIENT, SMBD_TEST_DIR (default /tmp).
Prints "N passed, M failed"; exits 1 on a failure, 77 (skip) without
smbclient or python3-smbc.
"""

import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading

sys.dont_write_bytecode = True  # nothing written into the source tree
import smbdtest  # noqa: E402
from smbdtest import MOUNTD, SMBD_USER, ADDUSER, SMBCLIENT, wait_for  # noqa: E402

CONTROL = os.environ.get("CONTROL", "./server/ksmbd.control")
SYS_PYTHON = "/usr/bin/python3"
TEST_DIR = os.environ.get("SMBD_TEST_DIR", "/tmp")

USERS = {"statusone": "pass-one", "statustwo": "pass-two"}
OPEN_NAME = "held open.txt"

CONF = """[global]
\tserver mode = user
\tguest account = nobody
\tmap to guest = never
\tnetbios name = TESTSRV
\tbind interfaces only = yes
\tinterfaces = 127.0.0.1
[share]
\tpath = {share}
\tread only = no
{force}"""

SMBC_CONF = """[global]
\tclient min protocol = SMB3_11
\tclient max protocol = SMB3_11
"""

# The child that holds a file open through libsmbclient until stdin closes.
SMBC_HOLDER = r"""
import os, sys, smbc
port, user, pw, name = sys.argv[1:5]
ctx = smbc.Context(auth_fn=lambda *a: ("WORKGROUP", user, pw))
f = ctx.open("smb://127.0.0.1:%s/share/%s" % (port, name), os.O_RDONLY)
f.read(4)
print("open", flush=True)
sys.stdin.read()
f.close()
"""



def check(cond, msg):
    if not cond:
        raise AssertionError(msg)




class Server(smbdtest.Server):
    """ksmbd.mountd in user mode, supervising smbd-user, with the file the
    tests hold open; ready when the status socket is there too."""

    def __init__(self, root):
        super().__init__(root, CONF, users=USERS.items(), force_nobody=True,
                         supervised=True, start_timeout=15)
        self.status_sock = os.path.join(root, "ksmbd-status.sock")
        with open(os.path.join(self.share, OPEN_NAME), "w") as f:
            f.write("some bytes to read\n")
        self.give(self.share)

    def start(self):
        super().start()
        wait_for(lambda: os.path.exists(self.status_sock), 15, "status socket",
                 lambda: self.log("mountd"))


def control(args, sock):
    r = subprocess.run([CONTROL, "--status-socket", sock] + args,
                       capture_output=True, timeout=30)
    err = r.stderr.decode(errors="replace")
    check("Sanitizer" not in err and "runtime error" not in err,
          "ksmbd.control tripped the sanitizers: %s" % err)
    return r.returncode, r.stdout.decode(errors="replace"), err


def status_json(srv):
    rc, out, err = control(["--status", "--json"], srv.status_sock)
    check(rc == 0, "--status --json: rc %d: %s" % (rc, err))
    try:
        return json.loads(out)
    except ValueError as e:
        raise AssertionError("--json printed invalid JSON (%s):\n%s" % (e, out))


def hold_smbclient(srv, user, proto, extra):
    """An interactive smbclient: connected until its stdin closes."""
    argv = [SMBCLIENT, "//127.0.0.1/share", "-p", str(srv.port),
            "-U", "%s%%%s" % (user, USERS[user]), "-m", proto] + extra
    env = dict(os.environ, HOME=srv.root)
    return subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)


def hold_open(srv, home):
    env = dict(os.environ, HOME=home)
    p = subprocess.Popen([SYS_PYTHON, "-c", SMBC_HOLDER, str(srv.port), "statusone",
                          USERS["statusone"], OPEN_NAME], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    line = p.stdout.readline().decode()
    check(line.strip() == "open", "smbc holder: %r %r" % (line, p.stderr.read(2000) if p.poll() is not None else ""))
    return p


def release(p):
    try:
        p.stdin.close()
    except OSError:
        pass
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


# -- the tests ----------------------------------------------------------------

def test_live(srv):
    home = os.path.join(srv.root, "smbc-home")
    os.makedirs(os.path.join(home, ".smb"))
    with open(os.path.join(home, ".smb", "smb.conf"), "w") as f:
        f.write(SMBC_CONF)
    clients = []
    try:
        clients.append(hold_smbclient(srv, "statusone", "SMB3_11",
                                      ["--option=clientsmbencrypt=required"]))
        clients.append(hold_smbclient(srv, "statustwo", "SMB2_10", []))
        wait_for(lambda: sum(1 for s in status_json(srv)["sessions"]
                             if s["state"] == "valid") >= 2 and
                 len(status_json(srv)["trees"]) >= 2, 20, "two sessions with trees")
        holder = hold_open(srv, home)
        clients.append(holder)
        st = status_json(srv)
        by_user = {}
        for s in st["sessions"]:
            by_user.setdefault(s["user"], []).append(s)
        check(set(by_user) == {"statusone", "statustwo"}, "users: %s" % st["sessions"])
        for s in st["sessions"]:
            check(s["client"] == "127.0.0.1", "client address: %s" % s)
        dialects = sorted(s["dialect"] for s in by_user["statusone"])
        check("3.1.1" in dialects, "statusone dialects: %s" % dialects)
        enc = [s for s in by_user["statusone"] if s["encryption"]]
        check(enc and enc[0]["dialect"] == "3.1.1" and enc[0]["cipher"],
              "the -e session is not shown encrypted: %s" % by_user["statusone"])
        two = by_user["statustwo"]
        check(len(two) == 1 and two[0]["dialect"] == "2.1" and not two[0]["encryption"],
              "statustwo: %s" % two)
        ids = {s["session_id"] for s in st["sessions"]}
        shares = [t for t in st["trees"] if t["share"].lower() == "share"]
        check({t["session_id"] for t in shares} >= ids,
              "a session without its tree connect to share: %s / %s" % (st["sessions"], st["trees"]))
        paths = [f["path"] for f in st["open_files"]]
        check(OPEN_NAME in paths, "open files: %s" % st["open_files"])
        f = [f for f in st["open_files"] if f["path"] == OPEN_NAME][0]
        check(f["kind"] == "file" and f["session_id"] in ids and f["share"].lower() == "share",
              "open file record: %s" % f)
        check(st["connections"] >= 3, "connections: %s" % st["connections"])

        rc, out, err = control(["--status"], srv.status_sock)
        check(rc == 0, "--status: rc %d: %s" % (rc, err))
        for want in ("statusone", "statustwo", "127.0.0.1", "3.1.1", "2.1",
                     "AES-", OPEN_NAME, "share"):
            check(want in out, "%r not in the table:\n%s" % (want, out))
        print(out)
    finally:
        for p in clients:
            release(p)

    def empty():
        st = status_json(srv)
        return not st["sessions"] and not st["trees"] and not st["open_files"]
    wait_for(empty, 20, "an empty status once the clients are gone",
             lambda: json.dumps(status_json(srv), indent=1))
    rc, out, err = control(["--status"], srv.status_sock)
    check(rc == 0 and "0 session(s), 0 tree connect(s), 0 open file(s)" in out,
          "empty table: %s %s" % (out, err))


def test_concurrent(srv):
    """Snapshots while clients connect, open, close and leave: every one
    decodes, and neither process trips."""
    argv = [SMBCLIENT, "//127.0.0.1/share", "-p", str(srv.port),
            "-U", "statustwo%" + USERS["statustwo"], "-m", "SMB3_11", "-c",
            "; ".join(["mkdir d%d; ls; rmdir d%d" % (i, i) for i in range(20)])]
    env = dict(os.environ, HOME=srv.root)
    clients = [subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=env) for _ in range(3)]
    n = 0
    try:
        while any(p.poll() is None for p in clients) or n < 20:
            status_json(srv)
            n += 1
    finally:
        for p in clients:
            if p.poll() is None:
                p.kill()
            p.wait()
    check(all(p.returncode == 0 for p in clients),
          "clients failed: %s" % [p.returncode for p in clients])


def test_socket_mode(srv):
    mode = os.stat(srv.status_sock).st_mode & 0o777
    check(mode == 0o600, "status socket mode %o" % mode)


def serve_bytes(path, payload):
    """A fake status socket that answers once with payload."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(1)

    def run():
        c, _ = s.accept()
        c.sendall(payload)
        c.close()
        s.close()
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def hdr(n_conns=1, n_sess=0, n_trees=0, n_opens=0, magic=0x54535453, version=1):
    return struct.pack("<IHHQQIIII8x", magic, version, 48, 0, 0, n_conns,
                       n_sess, n_trees, n_opens)


def session(user=b"u", client=b"127.0.0.1", trees=0, size=None):
    body = struct.pack("<HBBQIIHHQIHHI", 0, 1, 0, 0x10001, 1000, 1000, 0x311, 0,
                       0, 1, len(user), len(client), trees) + user + client
    size = len(body) if size is None else size
    return struct.pack("<H", size) + body[2:]


def test_malformed(srv):
    good = hdr(n_sess=1) + session()
    cases = {
        "empty": b"",
        "garbage": b"\x01" * 7,
        "bad magic": hdr(magic=0x11111111),
        "truncated header": hdr()[:20],
        "truncated record": hdr(n_sess=1) + session()[:30],
        "size past the end": hdr(n_sess=1) + session(size=0xfff0),
        "huge counts": hdr(n_sess=0xffffffff, n_trees=0xffffffff),
        "tree count lies": hdr(n_sess=1, n_trees=0) + session(trees=5),
        "trailing bytes": good + b"xx",
    }
    path = os.path.join(srv.root, "fake-status.sock")
    for name, payload in cases.items():
        if os.path.exists(path):
            os.unlink(path)
        t = serve_bytes(path, payload)
        rc, out, err = control(["--status", "--json"], path)
        t.join(5)
        # a positive exit code: a crash would be a negative (signal) one
        check(rc > 0 and "malformed" in err and not out,
              "%s: rc %d out %r err %r" % (name, rc, out, err))
    # a well-formed one with hostile strings prints valid JSON
    os.unlink(path)
    t = serve_bytes(path, hdr(n_sess=1) + session(user=b'a"\\\x01\xff\xc3', client=b"\x1b[2J"))
    rc, out, err = control(["--status", "--json"], path)
    t.join(5)
    check(rc == 0, "hostile strings: rc %d %s" % (rc, err))
    s = json.loads(out)["sessions"][0]
    check(s["user"].startswith('a"\\\x01'), "user: %r" % s["user"])
    os.unlink(path)
    t = serve_bytes(path, hdr(n_sess=1) + session(client=b"\x1b[2J"))
    rc, out, err = control(["--status"], path)
    t.join(5)
    check(rc == 0 and "\x1b" not in out, "escape bytes reach the terminal: %r" % out)
    # a refusal (idl/status.idl smbd_status_reply, result 1) instead of a
    # snapshot is reported as the data path's error, not as malformed
    os.unlink(path)
    t = serve_bytes(path, struct.pack("<IHHH2x", 0x50525453, 1, 1, 15) + b"unknown request")
    rc, out, err = control(["--status"], path)
    t.join(5)
    check(rc == 3 and "error: unknown request" in err and not out,
          "refused snapshot: rc %d out %r err %r" % (rc, out, err))


def main():
    for tool in (MOUNTD, SMBD_USER, ADDUSER, CONTROL):
        if not os.access(tool, os.X_OK):
            print("SKIP: %s not built" % tool)
            return 77
    if not shutil.which(SMBCLIENT):
        print("SKIP: no smbclient")
        return 77
    if subprocess.run([SYS_PYTHON, "-c", "import smbc"], capture_output=True).returncode:
        print("SKIP: no python3-smbc")
        return 77
    root = tempfile.mkdtemp(prefix="smbd-status-", dir=TEST_DIR)
    srv = Server(root)
    passed = failed = 0
    try:
        srv.start()
        for t in (test_socket_mode, test_live, test_concurrent, test_malformed):
            try:
                t(srv)
                print("PASS: %s" % t.__name__)
                passed += 1
            except Exception as e:     # report and go on
                print("FAIL: %s: %s" % (t.__name__, e))
                failed += 1
    except Exception as e:
        print("FAIL: server: %s" % e)
        failed += 1
    finally:
        srv.stop()
        log = srv.log("mountd")
        if "Sanitizer" in log or "runtime error" in log:
            print("FAIL: the sanitizers reported (see mountd.log)")
            failed += 1
        if failed:
            print("--- mountd.log (tail) ---\n" + srv.log("mountd")[-3000:])
        shutil.rmtree(root, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
