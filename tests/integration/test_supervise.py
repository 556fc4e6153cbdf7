#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ksmbd.mountd in user mode starting and supervising the data path.

Starts the built daemon in the foreground with a temporary ksmbd.conf
(`bind interfaces only` on `lo`, a free TCP port) and ksmbdpwd.db and
--data-path pointing at the built kmod/smbd-user, then checks with smbclient
and /proc that: the daemon started the data path and it serves; the child
holds no descriptor of the daemon's (lock file); kill -9 of the child brings
a new one (and a second crash a longer back-off); SIGHUP keeps the child;
a child stopped with SIGTERM (exit 0) is not restarted until SIGHUP;
SIGTERM stops both, exit status 0, no socket or lock file left; the same
through `ksmbd.control -s`; a child that ignores SIGTERM is killed after
5 s; a --data-path that does not exist is refused at start.

Environment: MOUNTD (default ./server/ksmbd.mountd), SMBD_USER (default
./kmod/smbd-user), CONTROL (default ./server/ksmbd.control; its case is
skipped when it is not built), SMBCLIENT (default smbclient). Standard
library only. Prints "N passed, M failed"; exits 1 on any failure, 77
(skip) when smbclient or the daemon or data path binaries are missing.
"""

import base64
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
from smbdtest import MOUNTD, SMBD_USER, free_port, nt_hash, wait_for  # noqa: E402

CONTROL = os.environ.get("CONTROL", "./server/ksmbd.control")
DEADLINE_S = 120         # the whole run, enforced with SIGALRM
CLIENT_TIMEOUT_S = 20    # one smbclient run
USER, PASSWORD = "demo", "demo-pass"

CONF = """[global]
\tserver mode = user
\ttcp port = {port}
\tbind interfaces only = yes
\tinterfaces = lo
\tguest account = nobody
\tmap to guest = never
[share]
\tpath = {root}/share
\tread only = no
"""

STARTED_RE = re.compile(r"data path (\S+) started \(pid (\d+)\), serving (\S+) port (\d+)")


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def proc_state(pid):
    """(state, ppid) of a process, None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def gone(pid):
    st = proc_state(pid)
    return st is None or st[0] == "Z"


class Daemon(smbdtest.Server):
    """One ksmbd.mountd run in the foreground on a temporary tree (its
    socket, lock file and log named after it), supervising data_path; the
    port comes from the config's "tcp port"."""

    def __init__(self, root, data_path, name="mountd"):
        super().__init__(root, None, supervised=True, smbd_user=data_path,
                         name=name, port_arg=False)
        self.name = name
        self.data_path = data_path
        self.proc = None

    def start(self, extra=()):
        with open(self.conf) as f:
            self.port = int(re.search(r"tcp port = (\d+)", f.read()).group(1))
        self.proc = self.spawn("mountd", self.mountd_argv(extra))
        wait_for(lambda: self.proc.poll() is not None or
                 "started (pid %d)" % self.proc.pid in self.log() and
                 self.children(),
                 10, "ksmbd.mountd start", self.log)
        check(self.proc.poll() is None, "ksmbd.mountd exited:\n" + self.log())

    def children(self):
        """The data path pids the daemon logged as started, oldest first."""
        return [int(m.group(2)) for m in STARTED_RE.finditer(self.log())]

    def child(self):
        """The current child: the last started, if it is ours and alive."""
        pids = self.children()
        if not pids:
            return None
        st = proc_state(pids[-1])
        if st is None or st[0] == "Z" or st[1] != self.proc.pid:
            return None
        return pids[-1]

    def stop(self):
        super().stop()
        for pid in self.children():
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)


def smbclient_ok(d):
    """One connection: negotiate, session setup, tree connect, no command."""
    rc, out = d.smbclient("share", USER, PASSWORD, "SMB3_11", "", CLIENT_TIMEOUT_S)
    return rc == 0, out


def wait_serving(d, timeout=8):
    deadline = time.monotonic() + timeout
    out = ""
    while time.monotonic() < deadline:
        ok, out = smbclient_ok(d)
        if ok:
            return
        time.sleep(0.2)
    raise AssertionError("smbclient does not connect:\n%s\n--- log ---\n%s" %
                         (out, d.log()[-2000:]))


def wait_new_child(d, old, timeout):
    wait_for(lambda: d.child() not in (None, old), timeout,
             "a new data path after pid %d" % old, d.log)
    return d.child()


def check_stopped(d, child):
    """Both processes gone, exit 0, no socket, no lock file."""
    try:
        rc = d.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        raise AssertionError("ksmbd.mountd still running:\n" + d.log())
    check(rc == 0, "ksmbd.mountd exit status %d:\n%s" % (rc, d.log()))
    check(gone(child), "data path pid %d still running" % child)
    check(not os.path.exists(d.sock_path), "socket %s left" % d.sock_path)
    check(not os.path.exists(d.lock), "lock file %s left" % d.lock)


# -- the cases, in order, on one daemon -------------------------------------------

def t_starts_and_serves(d):
    m = STARTED_RE.search(d.log())
    check(m, "no 'data path ... started' line:\n" + d.log())
    check(m.group(3) == "127.0.0.1" and int(m.group(4)) == d.port,
          "bind interfaces only / lo / tcp port not passed on: %s" % m.group(0))
    check(proc_state(int(m.group(2)))[1] == d.proc.pid, "not the daemon's child")
    wait_serving(d)


def t_child_has_no_daemon_fds(d):
    pid = d.child()
    fd_dir = "/proc/%d/fd" % pid
    targets = {}
    for fd in os.listdir(fd_dir):
        try:
            targets[int(fd)] = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            pass
    check(os.path.realpath(d.lock) not in targets.values(),
          "the child holds the lock file: %r" % targets)
    check(targets.get(0) == "/dev/null", "stdin is %r" % targets.get(0))
    # the daemon's stderr (foreground) is the child's stderr
    check(targets.get(2) == os.path.realpath(d.log_path("mountd")),
          "stderr is %r, not the daemon's log" % targets.get(2))
    # its own: the daemon socket, the listener, epoll (+ clients, none now)
    extra = {fd: t for fd, t in targets.items() if fd > 2 and
             not t.startswith(("socket:", "anon_inode:"))}
    check(not extra, "the child inherited %r" % extra)


def t_restart_after_kill9(d):
    old = d.child()
    os.kill(old, signal.SIGKILL)
    new = wait_new_child(d, old, 4)
    check(d.log().count("data path (pid %d) was killed by signal 9" % old) == 1,
          "exit of %d not logged once:\n%s" % (old, d.log()))
    wait_serving(d)
    # a second crash within 60 s doubles the delay
    os.kill(new, signal.SIGKILL)
    wait_for(lambda: "data path (pid %d) was killed" % new in d.log(), 3,
             "the second exit logged", d.log)
    check(re.search(r"\(pid %d\) was killed by signal 9 .* restarting in 2 s" % new,
                    d.log()), "no 2 s back-off:\n" + d.log()[-1500:])
    wait_new_child(d, new, 5)
    wait_serving(d)


def t_sighup_keeps_child(d):
    pid = d.child()
    before = d.log().count("reloaded")
    d.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: d.log().count("reloaded") > before, 3, "the reload", d.log)
    time.sleep(0.3)
    check(d.child() == pid, "SIGHUP changed the data path %d -> %r" % (pid, d.child()))
    wait_serving(d)


def t_clean_exit_not_restarted(d):
    # SIGTERM to the child itself: it exits 0, which is not a crash
    pid = d.child()
    os.kill(pid, signal.SIGTERM)
    wait_for(lambda: "data path (pid %d) exited with status 0" % pid in d.log(), 5,
             "the clean exit logged", d.log)
    time.sleep(1.5)
    check(d.child() is None and d.children()[-1] == pid,
          "restarted after a clean exit:\n" + d.log()[-1000:])
    # SIGHUP starts it again
    d.proc.send_signal(signal.SIGHUP)
    wait_new_child(d, pid, 3)
    wait_serving(d)


def t_sigterm_stops_both(d):
    pid = d.child()
    d.proc.send_signal(signal.SIGTERM)
    check_stopped(d, pid)
    check("data path (pid %d) stopped" % pid in d.log(), d.log()[-1500:])


CASES = [t_starts_and_serves, t_child_has_no_daemon_fds, t_restart_after_kill9,
         t_sighup_keeps_child, t_clean_exit_not_restarted, t_sigterm_stops_both]


# -- cases with a daemon of their own ---------------------------------------------

def t_control_shutdown(root):
    if not os.access(CONTROL, os.X_OK):
        print("SKIP control_shutdown: %s not built" % CONTROL)
        return
    d = Daemon(root, SMBD_USER, "ctl")
    try:
        d.start()
        wait_serving(d)
        pid = d.child()
        env = dict(os.environ, KSMBD_LOCK_FILE=d.lock)
        r = subprocess.run([CONTROL, "-s"], capture_output=True, env=env,
                           timeout=15)
        check(r.returncode == 0, "ksmbd.control -s: %d %r" % (r.returncode, r.stderr))
        # -s returns when the daemon released its lock, the child already reaped
        check(gone(pid), "data path %d outlived ksmbd.control -s" % pid)
        check_stopped(d, pid)
    finally:
        d.stop()


def t_stubborn_child_killed(root):
    script = os.path.join(root, "stubborn.sh")
    with open(script, "w") as f:
        f.write("#!/bin/sh\ntrap '' TERM\necho stubborn up >&2\n"
                "while :; do sleep 1; done\n")
    os.chmod(script, 0o755)
    d = Daemon(root, script, "stubborn")
    try:
        d.start()
        wait_for(lambda: "stubborn up" in d.log(), 5, "the script", d.log)
        pid = d.child()
        t0 = time.monotonic()
        d.proc.send_signal(signal.SIGTERM)
        check_stopped(d, pid)
        took = time.monotonic() - t0
        check(4.5 <= took <= 8, "stopped after %.1f s, want about 5" % took)
        check("SIGKILL" in d.log(), d.log()[-1000:])
    finally:
        d.stop()


def t_missing_data_path(root):
    d = Daemon(root, os.path.join(root, "no-such-binary"), "missing")
    r = subprocess.run(d.mountd_argv(), capture_output=True, timeout=10)
    out = (r.stdout + r.stderr).decode(errors="replace")
    check(r.returncode == 1 and "no-such-binary" in out, "rc %d:\n%s" % (r.returncode, out))
    check(not os.path.exists(d.lock) and not os.path.exists(d.sock_path),
          "files left behind")


OWN_CASES = [t_control_shutdown, t_stubborn_child_killed, t_missing_data_path]


def setup(root):
    os.makedirs(os.path.join(root, "share"))
    with open(os.path.join(root, "ksmbd.conf"), "w") as f:
        f.write(CONF.format(root=root, port=free_port()))
    with open(os.path.join(root, "ksmbdpwd.db"), "w") as f:
        f.write("%s:%s\n" % (USER, base64.b64encode(nt_hash(PASSWORD)).decode()))


def main():
    status = smbdtest.not_ready(progs=(MOUNTD, SMBD_USER), not_built=77)
    if status is not None:
        return status
    signal.signal(signal.SIGALRM, lambda *a: (_ for _ in ()).throw(
        TimeoutError("test_supervise: over %d s" % DEADLINE_S)))
    signal.alarm(DEADLINE_S)
    tally = smbdtest.Tally()
    root = tempfile.mkdtemp(prefix="smbd-sv-")
    setup(root)
    d = Daemon(root, SMBD_USER)
    logs = [d]
    try:
        d.start()
        for t in CASES:
            tally.run(t, d)
        d.stop()
        for t in OWN_CASES:
            tally.run(t, root)
    except (AssertionError, TimeoutError, OSError) as e:
        tally.result("setup", False, str(e))
    finally:
        signal.alarm(0)
        d.stop()
        if tally.failed:
            for log in logs:
                print("--- %s log (tail) ---\n%s" % (log.name, log.log()[-3000:]))
        shutil.rmtree(root, ignore_errors=True)
    return tally.summary()


if __name__ == "__main__":
    sys.exit(main())
