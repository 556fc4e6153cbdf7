# SPDX-License-Identifier: GPL-2.0-or-later
"""Start and stop a test server: ksmbd.mountd in user mode and the data
path (kmod/smbd-user) on a temporary tree. Shared by the integration
tests and tests/torture/run-torture, which import it from this directory.

The tests run from the build directory (make check, VPATH or not), so the
programs default to paths relative to it; the environment overrides them:
  MOUNTD     default ./server/ksmbd.mountd
  SMBD_USER  default ./kmod/smbd-user
  ADDUSER    default ./server/ksmbd.adduser
  SMBCLIENT  default smbclient
  MOUNTD_STARTS_DATAPATH  yes: ksmbd.mountd --data-path starts smbd-user;
             no: the test starts both; auto (default): yes when
             ksmbd.mountd --help offers --data-path
Standard library only.
"""

import os
import pwd
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import time

MOUNTD = os.environ.get("MOUNTD", "./server/ksmbd.mountd")
SMBD_USER = os.environ.get("SMBD_USER", "./kmod/smbd-user")
ADDUSER = os.environ.get("ADDUSER", "./server/ksmbd.adduser")
SMBCLIENT = os.environ.get("SMBCLIENT", "smbclient")
MOUNTD_STARTS_DATAPATH = os.environ.get("MOUNTD_STARTS_DATAPATH", "auto")

# A config's share lines add this where the share must force a user.
FORCE_NOBODY = "\tforce user = nobody\n"


# -- MD4 (RFC 1320) for the NT hash: hashlib's is gone with OpenSSL 3 ---------

def _rol(x, n):
    x &= 0xFFFFFFFF
    return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF


def md4(data):
    msg = bytearray(data)
    bitlen = len(msg) * 8
    msg.append(0x80)
    while len(msg) % 64 != 56:
        msg.append(0)
    msg += struct.pack("<Q", bitlen)
    h = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476]
    rounds = (
        (lambda x, y, z: (x & y) | (~x & z), 0, tuple(range(16)), (3, 7, 11, 19)),
        (lambda x, y, z: (x & y) | (x & z) | (y & z), 0x5A827999,
         (0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15), (3, 5, 9, 13)),
        (lambda x, y, z: x ^ y ^ z, 0x6ED9EBA1,
         (0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15), (3, 9, 11, 15)),
    )
    for off in range(0, len(msg), 64):
        x = struct.unpack_from("<16I", msg, off)
        v = list(h)
        for fn, t, order, shifts in rounds:
            for i in range(16):
                a, b, c, d = v[(-i) % 4], v[(1 - i) % 4], v[(2 - i) % 4], v[(3 - i) % 4]
                v[(-i) % 4] = _rol(a + fn(b, c, d) + x[order[i]] + t, shifts[i % 4])
        h = [(h[i] + v[i]) & 0xFFFFFFFF for i in range(4)]
    return struct.pack("<4I", *h)


def nt_hash(password):
    return md4(password.encode("utf-16-le"))


# -- before a test ---------------------------------------------------------------

def not_ready(progs=(MOUNTD, SMBD_USER, ADDUSER), not_built=1, clients=(SMBCLIENT,)):
    """The exit status to end a test with before it starts, None to go on:
    77 (skipped) without a client program, not_built (1: a failure, 77)
    without one of the built programs (the message says which)."""
    for c in clients:
        if not shutil.which(c):
            print("%s not found: skipped" % c)
            return 77
    for prog in progs:
        if not os.access(prog, os.X_OK):
            print("%s not built%s" % (prog, ": skipped" if not_built == 77 else ""))
            return not_built
    return None


# -- results ---------------------------------------------------------------------

class Tally:
    """The tests' PASS and FAIL lines, counted."""

    def __init__(self):
        self.passed = self.failed = 0

    def result(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print("PASS %s" % name)
        else:
            self.failed += 1
            print("FAIL %s: %s" % (name, detail[-1500:]))

    def run(self, t, *args, after=None):
        """Run the test function t_NAME(*args), then after() if given:
        PASS, or FAIL with what their AssertionError says."""
        name = t.__name__[2:]
        try:
            t(*args)
            if after:
                after()
        except AssertionError as e:
            self.failed += 1
            print("FAIL %s: %s" % (name, e))
            return
        self.result(name, True)

    def summary(self):
        """Print "N passed, M failed"; the exit status."""
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0


# -- clients ---------------------------------------------------------------------

def run_client(argv, home, timeout, cwd=None):
    """Run a client with HOME=home (no user's config): (exit status,
    output); 124 when it ran out of time."""
    try:
        r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout, env=dict(os.environ, HOME=home), cwd=cwd)
    except subprocess.TimeoutExpired:
        return 124, "%s timed out after %d s" % (os.path.basename(argv[0]), timeout)
    return r.returncode, (r.stdout + r.stderr).decode(errors="replace")


def smbclient(port, share, creds, proto, cmd, home, timeout, cwd=None, extra=()):
    """smbclient //127.0.0.1/share -U creds ("user%password") -c cmd."""
    argv = [SMBCLIENT, "//127.0.0.1/" + share, "-p", str(port), "-U", creds,
            "-m", proto, "-c", cmd] + list(extra)
    return run_client(argv, home, timeout, cwd)


# -- the server ------------------------------------------------------------------

def global_conf(netbios, *extra):
    """ksmbd.conf's [global] for a test server: user mode on 127.0.0.1
    only, no guest mapping; extra: more of its lines ("key = value")."""
    lines = ["server mode = user", "guest account = nobody", "map to guest = never",
             "netbios name = " + netbios, "bind interfaces only = yes",
             "interfaces = 127.0.0.1"] + list(extra)
    return "[global]\n" + "".join("\t%s\n" % ln for ln in lines)


def free_port():
    """A free port in 20000-40000 on 127.0.0.1 (the range for test servers)."""
    for _ in range(200):
        port = random.randrange(20000, 40000)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError("no free port in 20000-40000")


def port_open(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def wait_for(pred, timeout, what=None, log=None, step=0.05):
    """True once pred() holds. After timeout: False, or with `what` an
    AssertionError that says what did not happen (and log() if given)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(step)
    if pred():
        return True
    if what is None:
        return False
    raise AssertionError("%s did not happen%s" % (what, "\n" + log() if log else ""))


def mountd_help(mountd=MOUNTD):
    r = subprocess.run([mountd, "--help"], capture_output=True)
    return (r.stdout + r.stderr).decode(errors="replace")


def mountd_supervises(mountd=MOUNTD):
    """Whether ksmbd.mountd starts the data path itself (--data-path)."""
    if MOUNTD_STARTS_DATAPATH in ("yes", "no", "1", "0"):
        return MOUNTD_STARTS_DATAPATH in ("yes", "1")
    return "--data-path" in mountd_help(mountd)


class Server:
    """ksmbd.mountd and smbd-user serving a tree under root.

    conf: the ksmbd.conf text (None: the test wrote root/ksmbd.conf); str.format() fills {root}, {share} (root/share,
    created here), {port}, {force} and the names in fields. {force} is
    FORCE_NOBODY when force_nobody is set and the test runs as root: the
    share and what the test hands over with give() then belong to nobody,
    so that no client acts as root and a wrong permission check cannot hide
    behind root's rights.
    users: (name, password) pairs added with ksmbd.adduser; none: the test
    writes self.pwddb itself.
    supervised: True: ksmbd.mountd -p PORT --data-path SMBD_USER; False:
    ksmbd.mountd --no-data-path and the test's own smbd-user; "auto":
    mountd_supervises(); None: ksmbd.mountd --no-data-path alone (the test
    plays the data path's side).
    port_arg: pass the port with -p (not: the config's "tcp port" says it).
    env: the environment of the server processes (default os.environ).
    Each process logs to root/NAME.log ("mountd", "smbd-user"), or with
    one_log all to root/server.log.
    name: the daemon's socket, lock file and log are root/NAME.sock,
    NAME.lock and NAME.log, so that several daemons can share a root."""

    def __init__(self, root, conf, users=(), fields=None, force_nobody=False,
                 supervised="auto", mountd=None, smbd_user=None, adduser=None,
                 env=None, start_timeout=10, stop_timeout=10, one_log=False,
                 name=None, port_arg=True):
        self.root = root
        self.share = os.path.join(root, "share")
        self.conf = os.path.join(root, "ksmbd.conf")
        self.pwddb = os.path.join(root, "ksmbdpwd.db")
        self.sock_path = os.path.join(root, (name or "ipc") + ".sock")
        self.lock = os.path.join(root, (name or "ksmbd") + ".lock")
        self.mountd_log = name or "mountd"
        self.port_arg = port_arg
        self.mountd = mountd or MOUNTD
        self.smbd_user = smbd_user or SMBD_USER
        self.adduser = adduser or ADDUSER
        self.env = env
        self.one_log = one_log
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        if supervised == "auto":
            supervised = mountd_supervises(self.mountd)
        self.supervised = supervised
        self.port = free_port()
        self.procs = []
        self.dp_pid = None
        self.owner = None
        if force_nobody and os.geteuid() == 0:
            pw = pwd.getpwnam("nobody")
            self.owner = (pw.pw_uid, pw.pw_gid)
        os.chmod(root, 0o755)
        os.makedirs(self.share, exist_ok=True)
        self.give(self.share)
        if conf is not None:
            self.write_conf(conf, **(fields or {}))
        for user, password in users:
            self.add_user(user, password)

    def write_conf(self, text, **fields):
        force = FORCE_NOBODY if self.owner else ""
        with open(self.conf, "w") as f:
            f.write(text.format(root=self.root, share=self.share, port=self.port,
                                force=force, **fields))

    def add_user(self, user, password):
        env = dict(os.environ, KSMBD_LOCK_FILE=self.lock)
        r = subprocess.run([self.adduser, "-a", user, "-p", password, "-P", self.pwddb,
                            "-C", self.conf], capture_output=True, env=env)
        if r.returncode:
            raise AssertionError("ksmbd.adduser: %r" % (r.stdout + r.stderr))

    def give(self, path):
        """Hand what the test made on disk to the share's forced user."""
        if not self.owner:
            return
        os.lchown(path, *self.owner)
        for dirpath, dirs, files in os.walk(path):
            for n in dirs + files:
                os.lchown(os.path.join(dirpath, n), *self.owner)

    def log_path(self, name):
        if self.one_log:
            name = "server"
        elif name == "mountd":
            name = self.mountd_log
        return os.path.join(self.root, name + ".log")

    def log(self, name="mountd"):
        try:
            with open(self.log_path(name), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def spawn(self, name, argv):
        with open(self.log_path(name), "a" if self.one_log else "w") as log:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=log, env=self.env)
        self.procs.append(p)
        return p

    def mountd_argv(self, extra=()):
        argv = [self.mountd, "-n", "-C", self.conf, "-P", self.pwddb,
                "--ipc-socket", self.sock_path, "--lock-file", self.lock]
        if self.supervised:
            if self.port_arg:
                argv += ["-p", str(self.port)]
            argv += ["--data-path", self.smbd_user]
        elif "--no-data-path" in mountd_help(self.mountd):
            argv.append("--no-data-path")   # not an installed one either
        return argv + list(extra)

    def start(self, extra=()):
        """Start and wait until it serves; AssertionError with the log if not."""
        for p in (self.sock_path, self.lock):
            if os.path.exists(p):
                os.unlink(p)
        mountd = self.spawn("mountd", self.mountd_argv(extra))
        log = lambda: self.log("mountd")   # noqa: E731
        wait_for(lambda: mountd.poll() is not None or
                 (os.path.exists(self.sock_path) and "started" in log()),
                 self.start_timeout, "ksmbd.mountd start", log)
        if mountd.poll() is not None:
            raise AssertionError("ksmbd.mountd exited:\n" + log())
        if self.supervised is None:
            return
        if self.supervised:
            wait_for(lambda: port_open(self.port), self.start_timeout,
                     "data path start", log)
            m = re.search(r"data path .* started \(pid (\d+)\)", log())
            if not m:
                raise AssertionError("no pid of the data path in the log:\n" + log())
            self.dp_pid = int(m.group(1))
            return
        dp = self.spawn("smbd-user", [self.smbd_user, "--listen", "127.0.0.1",
                                      "--port", str(self.port),
                                      "--ipc-socket", self.sock_path])
        log = lambda: self.log("smbd-user")   # noqa: E731
        wait_for(lambda: dp.poll() is not None or "listening" in log(),
                 self.start_timeout, "smbd-user start", log)
        if dp.poll() is not None:
            raise AssertionError("smbd-user exited:\n" + log())
        self.dp_pid = dp.pid

    def port_open(self):
        return port_open(self.port)

    def smbclient(self, share, user, password, proto, cmd, timeout, cwd=None, extra=()):
        """smbclient on this server as user, HOME in the test's root."""
        return smbclient(self.port, share, "%s%%%s" % (user, password), proto, cmd,
                         self.root, timeout, cwd, extra)

    def restarted(self):
        """Supervised: the daemon logged a data path that died (and restarted)."""
        return bool(re.search(r"data path \(pid \d+\) .*restarting", self.log("mountd")))

    def alive(self):
        return all(p.poll() is None for p in self.procs) and not self.restarted()

    def stop(self):
        """SIGTERM (after stop_timeout SIGKILL) to all, the data path first.
        The exit status of ksmbd.mountd, None when it had to be killed."""
        rc = None
        for p in reversed(self.procs):
            rc = p.poll()
            if rc is None:
                p.send_signal(signal.SIGTERM)
                try:
                    rc = p.wait(timeout=self.stop_timeout)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        self.procs = []
        return rc
