#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""File operations through the data path (kmod/smbd-user + ksmbd.mountd)
with real clients: smbclient on SMB 2.1, 3.0, 3.0.2 and 3.1.1, and
libsmbclient through python3-smbc on the same four dialects.

For each dialect: list the share, mkdir, put a big file and get it back
(SHA-256 of the file on the server's disk and of the copy fetched must
equal the original's), rename, del, rmdir, and list a directory of 5,000
files. Every step checks the outcome on the server's disk, not only what
the client says. Then four clients at once (one per dialect) put and get
their own file.

The tree lives under /var/tmp (on disk: /tmp may be a tmpfs and the big
file would sit in memory). Run from the build directory.

Environment:
  MOUNTD           default ./server/ksmbd.mountd
  SMBD_USER        default ./kmod/smbd-user
  ADDUSER          default ./server/ksmbd.adduser
  SMBCLIENT        default smbclient
  SMBD_TEST_BIG_MB size of the big file in MiB (default 256)
  SMBD_TEST_DIR    where the temporary tree goes (default /var/tmp)
  SMBD_TEST_DEADLINE  seconds for the whole run (default 1500)
  MOUNTD_STARTS_DATAPATH  yes: ksmbd.mountd --data-path starts smbd-user;
                   no: the test starts both; auto (default): yes when
                   ksmbd.mountd --help offers --data-path
Standard library only (python3-smbc is used by a child /usr/bin/python3).
Prints "N passed, M failed"; exits 1 on any failure, 77 (skip) when
smbclient is missing.
"""

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True   # make distcheck: the source tree is read-only
import smbdtest  # noqa: E402
from smbdtest import SMBCLIENT, Server  # noqa: E402

SYS_PYTHON = "/usr/bin/python3"   # where Debian's python3-smbc is
BIG_MB = int(os.environ.get("SMBD_TEST_BIG_MB", "256"))
TEST_DIR = os.environ.get("SMBD_TEST_DIR", "/var/tmp")
DEADLINE_S = int(os.environ.get("SMBD_TEST_DEADLINE", "1500"))
# One client run moving the big file: generous for a sanitizer build.
CLIENT_TIMEOUT_S = 60 + BIG_MB
MANY = 5000

USER, PASSWORD = "filetest", "file-pass"
DIALECTS = ("SMB2_10", "SMB3_00", "SMB3_02", "SMB3_11")

CONF = smbdtest.global_conf("TESTSRV") + """[share]
\tpath = {share}
\tread only = no
{force}"""


def smbclient(srv, proto, cmd, timeout=CLIENT_TIMEOUT_S):
    return srv.smbclient("share", USER, PASSWORD, proto, cmd, timeout)


# -- helpers ---------------------------------------------------------------------

def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def ok(rc, out, what):
    check(rc == 0 and "NT_STATUS_" not in out, "%s: rc %d:\n%s" % (what, rc, out[-2000:]))


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                return h.hexdigest()
            h.update(b)


# "  name    A    123  Mon Nov 24 01:30:00 2025" (smbclient's ls)
LS_LINE = re.compile(r"^  (.+?)\s+([A-Za-z]*)\s+(\d+)  \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$")


def ls_entries(out):
    """{name: (attrs, size)} of an smbclient ls, without . and .."""
    found = {}
    for line in out.splitlines():
        m = LS_LINE.match(line)
        if m and m.group(1) not in (".", ".."):
            found[m.group(1)] = (m.group(2), int(m.group(3)))
    return found


class Ctx:
    """What the tests share: the server, the big file and its hash."""

    def __init__(self, srv, local):
        self.srv = srv
        self.local = local
        self.big = os.path.join(local, "big.bin")
        self.big_sha = None


def make_big(path, mb):
    h = hashlib.sha256()
    with open(path, "wb") as f:
        for _ in range(mb):
            b = os.urandom(1 << 20)
            h.update(b)
            f.write(b)
    return h.hexdigest()


def seed_share(srv):
    with open(os.path.join(srv.share, "hello.txt"), "w") as f:
        f.write("hello, share\n")
    os.mkdir(os.path.join(srv.share, "seed_dir"))
    many = os.path.join(srv.share, "many")
    os.mkdir(many)
    for i in range(MANY):
        with open(os.path.join(many, "f%05d.txt" % i), "w") as f:
            f.write("%d\n" % i)
    srv.give(srv.share)


# -- smbclient tests ---------------------------------------------------------------

def t_ls(c, proto):
    rc, out = smbclient(c.srv, proto, "ls")
    ok(rc, out, "ls")
    ents = ls_entries(out)
    check("hello.txt" in ents and ents["hello.txt"][1] == 13,
          "hello.txt (13 bytes) not listed:\n" + out)
    check("seed_dir" in ents and "D" in ents["seed_dir"][0],
          "seed_dir not listed as a directory:\n" + out)
    want = set(os.listdir(c.srv.share))
    check(set(ents) == want, "listed %s, on disk %s" % (sorted(ents), sorted(want)))


def t_mkdir(c, proto):
    d = "d_" + proto
    rc, out = smbclient(c.srv, proto, "mkdir " + d)
    ok(rc, out, "mkdir")
    check(os.path.isdir(os.path.join(c.srv.share, d)), "%s not on disk" % d)
    rc, out = smbclient(c.srv, proto, "mkdir " + d)
    check("NT_STATUS_OBJECT_NAME_COLLISION" in out, "second mkdir:\n" + out)


def t_put_big(c, proto):
    d = "d_" + proto
    t0 = time.monotonic()
    rc, out = smbclient(c.srv, proto, "put %s %s\\big.bin" % (c.big, d))
    dt = time.monotonic() - t0
    ok(rc, out, "put")
    on_disk = os.path.join(c.srv.share, d, "big.bin")
    check(os.path.getsize(on_disk) == BIG_MB << 20,
          "size on disk %d" % os.path.getsize(on_disk))
    check(sha256_file(on_disk) == c.big_sha, "SHA-256 on the server's disk differs")
    print("  put %d MiB in %.1f s (%.0f MiB/s)" % (BIG_MB, dt, BIG_MB / max(dt, 0.001)))


def t_get_big(c, proto):
    d = "d_" + proto
    got = os.path.join(c.local, "got_" + proto)
    t0 = time.monotonic()
    rc, out = smbclient(c.srv, proto, "get %s\\big.bin %s" % (d, got))
    dt = time.monotonic() - t0
    try:
        ok(rc, out, "get")
        check(sha256_file(got) == c.big_sha, "SHA-256 of the fetched copy differs")
    finally:
        if os.path.exists(got):
            os.unlink(got)
    print("  get %d MiB in %.1f s (%.0f MiB/s)" % (BIG_MB, dt, BIG_MB / max(dt, 0.001)))


def t_rename(c, proto):
    d = os.path.join(c.srv.share, "d_" + proto)
    ino = os.stat(os.path.join(d, "big.bin")).st_ino
    rc, out = smbclient(c.srv, proto, "rename d_%s\\big.bin d_%s\\renamed.bin" % (proto, proto))
    ok(rc, out, "rename")
    check(not os.path.exists(os.path.join(d, "big.bin")), "old name still on disk")
    st = os.stat(os.path.join(d, "renamed.bin"))
    check(st.st_ino == ino and st.st_size == BIG_MB << 20, "renamed file is not the same file")
    rc, out = smbclient(c.srv, proto, "ls d_%s\\*" % proto)
    ok(rc, out, "ls after rename")
    check(set(ls_entries(out)) == {"renamed.bin"}, "listing after rename:\n" + out)


def t_del(c, proto):
    d = os.path.join(c.srv.share, "d_" + proto)
    rc, out = smbclient(c.srv, proto, "del d_%s\\renamed.bin" % proto)
    ok(rc, out, "del")
    check(os.listdir(d) == [], "left in the directory: %s" % os.listdir(d))
    rc, out = smbclient(c.srv, proto, "del d_%s\\renamed.bin" % proto)
    check("NT_STATUS_NO_SUCH_FILE" in out or "NT_STATUS_OBJECT_NAME_NOT_FOUND" in out,
          "del of a missing file:\n" + out)


def t_rmdir(c, proto):
    d = "d_" + proto
    rc, out = smbclient(c.srv, proto, "rmdir " + d)
    ok(rc, out, "rmdir")
    check(not os.path.exists(os.path.join(c.srv.share, d)), "%s still on disk" % d)
    # a directory that is not empty stays
    rc, out = smbclient(c.srv, proto, "rmdir many")
    check("NT_STATUS_DIRECTORY_NOT_EMPTY" in out, "rmdir of a full directory:\n" + out)
    check(len(os.listdir(os.path.join(c.srv.share, "many"))) == MANY, "many/ changed")


def t_list_many(c, proto):
    rc, out = smbclient(c.srv, proto, "ls many\\*")
    ok(rc, out, "ls many")
    ents = ls_entries(out)
    want = {"f%05d.txt" % i for i in range(MANY)}
    check(len(ents) == MANY, "listed %d of %d entries" % (len(ents), MANY))
    check(set(ents) == want, "names differ: %s" % sorted(set(ents) ^ want)[:10])
    check(all(ents["f%05d.txt" % i][1] == len("%d\n" % i) for i in range(MANY)),
          "a listed size differs from the file's")


def t_parallel_clients(c):
    """Four smbclient processes at once, one dialect each, each putting and
    getting its own file: sessions and opens of several connections."""
    d = os.path.join(c.srv.share, "par")
    os.mkdir(d)
    c.srv.give(d)
    size = min(BIG_MB, 32) << 20
    src = os.path.join(c.local, "par.bin")
    with open(c.big, "rb") as f, open(src, "wb") as out:
        out.write(f.read(size))
    want = sha256_file(src)
    procs = []
    for proto in DIALECTS:
        got = os.path.join(c.local, "par_got_" + proto)
        cmd = "put %s par\\%s.bin; get par\\%s.bin %s" % (src, proto, proto, got)
        argv = [SMBCLIENT, "//127.0.0.1/share", "-p", str(c.srv.port),
                "-U", "%s%%%s" % (USER, PASSWORD), "-m", proto, "-c", cmd]
        procs.append((proto, got, subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=dict(os.environ, HOME=c.srv.root))))
    errors = []
    for proto, got, p in procs:
        try:
            out = p.communicate(timeout=CLIENT_TIMEOUT_S)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            p.kill()
            out = p.communicate()[0].decode(errors="replace") + "\n(timed out)"
        if p.returncode or "NT_STATUS_" in out:
            errors.append("%s: rc %d: %s" % (proto, p.returncode, out[-500:]))
        elif sha256_file(os.path.join(d, proto + ".bin")) != want:
            errors.append("%s: SHA-256 on the server's disk differs" % proto)
        elif sha256_file(got) != want:
            errors.append("%s: SHA-256 of the fetched copy differs" % proto)
        if os.path.exists(got):
            os.unlink(got)
    shutil.rmtree(d)
    os.unlink(src)
    check(not errors, "\n".join(errors))


# -- python3-smbc (libsmbclient), in a child /usr/bin/python3 ------------------------

SMBC_CONF = """[global]
\tclient min protocol = {proto}
\tclient max protocol = {proto}
\tsmb ports = {port}
"""


def smbc_worker():
    """Runs in the child: the steps, each printed as one JSON line."""
    import smbc
    a = json.loads(os.environ["SMBC_ARGS"])
    base = "smb://127.0.0.1:%d/share" % a["port"]
    share, d = a["share"], "p_" + a["proto"]
    ctx = smbc.Context(auth_fn=lambda srv, shr, wg, user, pw: ("WORKGROUP", a["user"], a["password"]))
    results = []

    def step(name, fn):
        try:
            fn()
            results.append((name, None))
        except Exception as e:      # the reason goes to the parent
            results.append((name, "%s: %s" % (type(e).__name__, e)))
            return False
        return True

    def names(url):
        return {e.name for e in ctx.opendir(url).getdents()} - {".", ".."}

    def ls():
        got = names(base)
        want = set(os.listdir(share))
        check(got == want, "listed %s, on disk %s" % (sorted(got), sorted(want)))

    def mkdir():
        ctx.mkdir(base + "/" + d, 0o755)
        check(os.path.isdir(os.path.join(share, d)), "not on disk")

    def write():
        f = ctx.open(base + "/" + d + "/big.bin", os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
        with open(a["big"], "rb") as src:
            while True:
                b = src.read(1 << 20)
                if not b:
                    break
                n = f.write(b)
                check(n == len(b), "short write %d of %d" % (n, len(b)))
        f.close()
        on_disk = os.path.join(share, d, "big.bin")
        check(sha256_file(on_disk) == a["sha"], "SHA-256 on the server's disk differs")

    def read():
        f = ctx.open(base + "/" + d + "/big.bin", os.O_RDONLY)
        h = hashlib.sha256()
        total = 0
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            total += len(b)
            h.update(b)
        f.close()
        check(total == a["size"], "read %d bytes of %d" % (total, a["size"]))
        check(h.hexdigest() == a["sha"], "SHA-256 of what was read differs")
        st = ctx.stat(base + "/" + d + "/big.bin")
        check(st[6] == a["size"], "stat size %d" % st[6])

    def rename():
        ctx.rename(base + "/" + d + "/big.bin", base + "/" + d + "/moved.bin")
        check(sorted(os.listdir(os.path.join(share, d))) == ["moved.bin"],
              "on disk: %s" % os.listdir(os.path.join(share, d)))
        check(names(base + "/" + d) == {"moved.bin"}, "listing after rename")

    def unlink():
        ctx.unlink(base + "/" + d + "/moved.bin")
        check(os.listdir(os.path.join(share, d)) == [], "file still on disk")

    def rmdir():
        ctx.rmdir(base + "/" + d)
        check(not os.path.exists(os.path.join(share, d)), "directory still on disk")

    def many():
        got = names(base + "/many")
        check(len(got) == a["many"], "listed %d of %d" % (len(got), a["many"]))

    for name, fn in (("ls", ls), ("mkdir", mkdir), ("write_big", write),
                     ("read_big", read), ("rename", rename), ("unlink", unlink),
                     ("rmdir", rmdir), ("list_many", many)):
        if not step(name, fn) and name in ("mkdir", "write_big"):
            break       # the later steps need what this one makes
    print(json.dumps(results))
    return 0


def smbc_tests(c, proto):
    """Run the child for one dialect; its steps become tests."""
    home = os.path.join(c.local, "home_" + proto)
    os.makedirs(os.path.join(home, ".smb"), exist_ok=True)
    with open(os.path.join(home, ".smb", "smb.conf"), "w") as f:
        f.write(SMBC_CONF.format(proto=proto, port=c.srv.port))
    args = {"port": c.srv.port, "share": c.srv.share, "proto": proto, "user": USER,
            "password": PASSWORD, "big": c.big, "sha": c.big_sha,
            "size": BIG_MB << 20, "many": MANY}
    env = dict(os.environ, HOME=home, SMBC_ARGS=json.dumps(args))
    try:
        r = subprocess.run([SYS_PYTHON, os.path.abspath(__file__), "--smbc-worker"],
                           stdin=subprocess.DEVNULL, capture_output=True, env=env,
                           timeout=2 * CLIENT_TIMEOUT_S + 60)
    except subprocess.TimeoutExpired:
        return [("smbc_" + proto, "timed out")]
    lines = r.stdout.decode(errors="replace").strip().splitlines()
    try:
        steps = json.loads(lines[-1])
    except (IndexError, ValueError):
        return [("smbc_" + proto, "worker failed (rc %d):\n%s" %
                 (r.returncode, (r.stdout + r.stderr).decode(errors="replace")[-2000:]))]
    return [("smbc_%s_%s" % (name, proto), err) for name, err in steps]


SMBCLIENT_TESTS = (t_ls, t_mkdir, t_put_big, t_get_big, t_rename, t_del, t_rmdir,
                   t_list_many)


def run_all(c, report):
    for proto in DIALECTS:
        for t in SMBCLIENT_TESTS:
            try:
                t(c, proto)
                check(c.srv.alive(), "a server process died")
                report("%s_%s" % (t.__name__[2:], proto), None)
            except (AssertionError, OSError) as e:
                report("%s_%s" % (t.__name__[2:], proto), "%s" % e)
        for name, err in smbc_tests(c, proto):
            if err is None and not c.srv.alive():
                err = "a server process died"
            report(name, err)
    try:
        t_parallel_clients(c)
        check(c.srv.alive(), "a server process died")
        report("parallel_clients", None)
    except (AssertionError, OSError) as e:
        report("parallel_clients", "%s" % e)


def run_cases(prefix, cases):
    """Start one server as the test user (force_nobody), run each case(srv),
    print PASS/FAIL per case; exit status for main()."""
    root = tempfile.mkdtemp(prefix=prefix, dir=TEST_DIR)
    srv = Server(root, CONF, users=[(USER, PASSWORD)], force_nobody=True)
    failed = passed = 0
    try:
        srv.start()
        srv.give(srv.share)
        for t in cases:
            try:
                t(srv)
                print("PASS", t.__name__)
                passed += 1
            except Exception as e:  # report and go on
                print("FAIL", t.__name__, repr(e), str(e))
                failed += 1
        if not srv.alive():
            print("FAIL server died")
            failed += 1
    finally:
        srv.stop()
        if failed:
            print(srv.log("mountd")[-3000:])
        shutil.rmtree(root, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--smbc-worker":
        return smbc_worker()
    status = smbdtest.not_ready()
    if status is not None:
        return status
    r = subprocess.run([SYS_PYTHON, "-c", "import smbc"], capture_output=True)
    if r.returncode:
        print("FAIL setup: %s cannot import smbc (Debian: python3-smbc):\n%s" %
              (SYS_PYTHON, r.stderr.decode(errors="replace")))
        print("0 passed, 1 failed")
        return 1

    def on_alarm(*_):
        raise TimeoutError("test_files: over %d s" % DEADLINE_S)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(DEADLINE_S)
    counts = {"passed": 0, "failed": 0}

    def report(name, err):
        if err is None:
            print("PASS %s" % name)
            counts["passed"] += 1
        else:
            print("FAIL %s: %s" % (name, err))
            counts["failed"] += 1
        sys.stdout.flush()

    t0 = time.monotonic()
    root = tempfile.mkdtemp(prefix="smbd-files-", dir=TEST_DIR)
    srv = None
    try:
        srv = Server(root, CONF, users=[(USER, PASSWORD)], force_nobody=True)
        local = os.path.join(root, "local")
        os.mkdir(local)
        c = Ctx(srv, local)
        c.big_sha = make_big(c.big, BIG_MB)
        seed_share(srv)
        srv.start()
        run_all(c, report)
    except (AssertionError, TimeoutError, OSError) as e:
        report("setup", "%s" % e)
    finally:
        signal.alarm(0)
        if srv:
            srv.stop()
            if counts["failed"]:
                for name in ("mountd", "smbd-user"):
                    print("--- %s log (tail) ---\n%s" % (name, srv.log(name)[-3000:]))
        shutil.rmtree(root, ignore_errors=True)
    print("time: %.0f s" % (time.monotonic() - t0))
    print("%d passed, %d failed" % (counts["passed"], counts["failed"]))
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
