#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Load and abuse of the data path (kmod/smbd-user under ksmbd.mountd),
loopback only, bounded in clients, connections and time.

1. A warm-up wave of clients, then the main wave: CLIENTS threads, each
   running smbclient again and again for SECONDS: put a new file of random
   size (1 KiB to 4 MiB, known SHA-256), get it back, delete it. Every
   run must succeed, every copy fetched must equal what was put, and the
   bytes put and got must add up to the same total. Nothing is left in
   the share afterwards.
2. During the main wave, misbehaving peers: IDLE connections opened and
   held without a byte sent, peers that send part of a frame and stop,
   smbclient fetching a big file and then stopped with SIGSTOP (it never
   reads its answers again), CHURN connections opened and closed at once.
   Meanwhile a probe smbclient lists the share every second and must get
   its answer in time; the load clients must all succeed too.
   The server must drop the stalled peers by itself within HOLD s.
3. Afterwards the server process (smbd-user) must be back to what it was
   after the warm-up: the same number of threads, as many open fds, and
   a resident set no bigger than RSS_SLACK_PCT % + RSS_SLACK_MIB MiB more
   (a sanitizer build runs with a small quarantine, see server_env(); the
   numbers are compared, not taken absolutely). The peers the server
   dropped are each named once in its log, and the connections it merely
   closed do not flood the log.
4. Its fd limit lowered (prlimit) below what a burst of connections
   needs: it must not spin on accept, must say so once, and serves again
   once they are gone. The data path never restarted, and no sanitizer
   report appears when it stops (LeakSanitizer runs at its exit).

Loopback only; every loop is bounded in count and time. Run from the
build directory, as root or not (as root the share's files belong to
nobody, as in test_files.py). The numbers are printed, then
"N passed, M failed"; exit 1 on a failure, 77 (skip) without smbclient.

Environment:
  SMBD_LOAD_FULL=1      the issue's bar: 200 clients for 60 s (default:
                        50 clients for 10 s, for `make check`)
  SMBD_LOAD_CLIENTS     clients of the main wave (overrides the above)
  SMBD_LOAD_SECONDS     seconds of the main wave (overrides the above)
  SMBD_LOAD_IDLE        connections held idle (default 500)
  SMBD_LOAD_CHURN       connections opened and closed (default 1000)
  SMBD_LOAD_STALLERS    peers of each stalling kind: part of a frame, and
                        stopped readers (default 1)
  SMBD_LOAD_HOLD        seconds the stalling peers stay stalled, at least
                        (default 45: the server's frame timeout is 30 s);
                        they stay while the main wave lasts in any case
  MOUNTD, SMBD_USER, ADDUSER, SMBCLIENT   programs (default ./server/...,
                        ./kmod/smbd-user, smbclient)
  SMBD_TEST_DIR         where the temporary tree goes (default /var/tmp)
Standard library only.
"""

import hashlib
import os
import random
import resource
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True   # make distcheck: the source tree is read-only
import smbdtest  # noqa: E402
from smbdtest import SMBCLIENT, Server, wait_for  # noqa: E402

TEST_DIR = os.environ.get("SMBD_TEST_DIR", "/var/tmp")

FULL = os.environ.get("SMBD_LOAD_FULL", "") == "1"
CLIENTS = int(os.environ.get("SMBD_LOAD_CLIENTS", "200" if FULL else "50"))
SECONDS = float(os.environ.get("SMBD_LOAD_SECONDS", "60" if FULL else "10"))
IDLE = int(os.environ.get("SMBD_LOAD_IDLE", "500"))
CHURN = int(os.environ.get("SMBD_LOAD_CHURN", "1000"))
STALLERS = int(os.environ.get("SMBD_LOAD_STALLERS", "1"))
HOLD = float(os.environ.get("SMBD_LOAD_HOLD", "45"))

WARMUP_CLIENTS = min(CLIENTS, 20)
WARMUP_SECONDS = 5.0
MIN_SIZE, MAX_SIZE = 1 << 10, 4 << 20
BIG_MB = 64                 # what a stopped reader was fetching
OP_TIMEOUT = 180            # one smbclient run of the load, generous for ASan
# The probe's ls while peers misbehave. A server that stops answering
# fails it through smbclient's own 20 s request timeout; this one only
# bounds a probe starved of CPU by hundreds of smbclient processes.
PROBE_TIMEOUT = 90
SETTLE_TIMEOUT = 90         # fds and threads back to their baseline
RSS_SLACK_PCT, RSS_SLACK_MIB = 10, 8
FD_ROOM, FD_FLOOD = 16, 48  # fds left to the server, connections past that
FD_SPIN_WINDOW = 2.0        # seconds its CPU time is measured at the limit
FD_SPIN_MAX = 0.25          # more than this share of a CPU: it spins
DIALECTS = ("SMB2_10", "SMB3_00", "SMB3_02", "SMB3_11")
USER, PASSWORD = "loadtest", "load-pass"
MAX_ERRORS_SHOWN = 10
# The whole run at most: a hung server fails it instead of hanging make.
DEADLINE_S = int(300 + 2 * SECONDS + HOLD)

CONF = smbdtest.global_conf("LOADSRV", "max connections = 0") + """[share]
\tpath = {share}
\tread only = no
\tmax connections = 0
{force}"""


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def mib(kib):
    return kib / 1024.0


# -- the server ------------------------------------------------------------------

def make_server(root):
    """The server: ksmbd.mountd in user mode starting smbd-user on root/share, all
    output in one log. As root the share belongs to nobody and forces that
    user, so that no client works as root."""
    return Server(root, CONF, users=[(USER, PASSWORD)], force_nobody=True,
                  env=server_env(), start_timeout=20, stop_timeout=30, one_log=True)


def server_env():
    """A sanitizer build keeps freed memory in a quarantine of 256 MiB:
    until that is full the resident set grows whatever the server does.
    A small one (unless the caller chose) lets the RSS comparison see the
    server, not the quarantine filling up. Other builds ignore it."""
    opts = os.environ.get("ASAN_OPTIONS", "")
    if "quarantine_size_mb" not in opts:
        opts = (opts + ":" if opts else "") + "quarantine_size_mb=16"
    return dict(os.environ, ASAN_OPTIONS=opts)


# -- the server process, seen from /proc ----------------------------------------------

def proc_status(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise AssertionError("no %s in /proc/%d/status" % (key, pid))


def fd_count(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def snapshot(pid):
    return {"fds": fd_count(pid), "threads": proc_status(pid, "Threads"),
            "rss_kib": proc_status(pid, "VmRSS")}


def thread_waits(pid):
    """{wchan: count} of the server's threads: where they are blocked."""
    waits = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/wchan" % (pid, tid)) as f:
                w = f.read().strip() or "-"
        except OSError:
            continue
        waits[w] = waits.get(w, 0) + 1
    return waits


def steady(pid, timeout=20):
    """A snapshot once the fd count held still for a second."""
    last = snapshot(pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(1)
        now = snapshot(pid)
        if now["fds"] == last["fds"]:
            return now
        last = now
    return last


class Monitor(threading.Thread):
    """Samples the server's fds, threads and RSS: the peaks."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = {"fds": 0, "threads": 0, "rss_kib": 0}
        self.halt = threading.Event()

    def run(self):
        while not self.halt.wait(0.5):
            try:
                s = snapshot(self.pid)
            except (OSError, AssertionError):
                return
            for k in s:
                self.peak[k] = max(self.peak[k], s[k])


def tcp_state_of(pid):
    """[(local port, state)] of the TCP sockets process pid holds."""
    inodes = set()
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    except OSError:
        return []
    found = []
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            col = line.split()
            if col[9] in inodes:
                found.append((int(col[1].split(":")[1], 16), int(col[3], 16)))
    return found


TCP_ESTABLISHED = 1


# -- the clients -------------------------------------------------------------------

def smbclient(srv, proto, cmd, timeout):
    return srv.smbclient("share", USER, PASSWORD, proto, cmd, timeout)


def pick_size(rnd):
    # half log-uniform (many small files), half uniform (the bytes)
    if rnd.random() < 0.5:
        return int(2 ** rnd.uniform(10, 22))
    return rnd.randint(MIN_SIZE, MAX_SIZE)


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.runs = 0
        self.bytes_put = 0
        self.bytes_got = 0
        self.slowest = 0.0
        self.errors = []

    def ok(self, put, got, dt):
        with self.lock:
            self.runs += 1
            self.bytes_put += put
            self.bytes_got += got
            self.slowest = max(self.slowest, dt)

    def error(self, msg):
        with self.lock:
            self.errors.append(msg)


def one_run(srv, proto, rnd, local, name):
    """put, get and del one file: (None or what went wrong, bytes put,
    bytes fetched, seconds)."""
    size = pick_size(rnd)
    data = rnd.randbytes(size)
    want = hashlib.sha256(data).hexdigest()
    src = os.path.join(local, name)
    got = os.path.join(local, name + ".got")
    with open(src, "wb") as f:
        f.write(data)
    del data
    t0 = time.monotonic()
    rc, out = smbclient(srv, proto, "put %s %s; get %s %s; del %s" %
                        (src, name, name, got, name), OP_TIMEOUT)
    dt = time.monotonic() - t0
    try:
        if rc or "NT_STATUS_" in out:
            return "rc %d: %s" % (rc, out.strip()[-600:]), 0, 0, dt
        if not os.path.exists(got):
            return "nothing fetched: %s" % out.strip()[-600:], size, 0, dt
        with open(got, "rb") as f:
            back = f.read()
        if len(back) != size or hashlib.sha256(back).hexdigest() != want:
            return ("fetched %d bytes, put %d: contents differ" % (len(back), size),
                    size, len(back), dt)
        if os.path.lexists(os.path.join(srv.share, name)):
            return "still in the share after del", size, len(back), dt
        return None, size, len(back), dt
    finally:
        for p in (src, got):
            if os.path.exists(p):
                os.unlink(p)


def client(srv, idx, tag, deadline, tally, local):
    rnd = random.Random("%s-%d" % (tag, idx))
    proto = DIALECTS[idx % len(DIALECTS)]
    d = os.path.join(local, "%s%03d" % (tag, idx))
    os.makedirs(d, exist_ok=True)
    failures = 0
    n = 0
    # each client does one run at least, however late it got the CPU
    while (n == 0 or time.monotonic() < deadline) and failures < 3:
        name = "%s%03d_%05d.bin" % (tag, idx, n)
        err, put, got, dt = one_run(srv, proto, rnd, d, name)
        if err:
            failures += 1
            tally.error("client %d (%s) %s: %s" % (idx, proto, name, err))
        else:
            tally.ok(put, got, dt)
        n += 1
    shutil.rmtree(d, ignore_errors=True)


def wave(srv, n, seconds, tag, local):
    tally = Tally()
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(srv, i, tag, deadline, tally, local),
                                daemon=True) for i in range(n)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tally.elapsed = time.monotonic() - t0
    return tally


# -- the misbehaving peers -----------------------------------------------------------

class Abuse:
    """Everything that misbehaves during the main wave, and the probe."""

    def __init__(self, srv, local):
        self.srv = srv
        self.local = local
        self.lock = threading.Lock()
        self.idle = []
        self.idle_failed = []
        self.partial = []           # [(socket, local port, when it stalled)]
        self.partial_dropped = {}   # port: seconds until the server closed it
        self.readers = []           # [(Popen, local port)]
        self.reader_notes = []
        self.churned = 0
        self.churn_failed = []
        self.probes = []            # [(seconds, error or None)]
        self.stalled = {}           # kind of staller: when all were in place
        self.done = threading.Event()
        self.threads = []
        self.crashed = []

    def go(self, fn):
        def guarded():
            try:
                fn()
            except Exception as e:      # reported as a failure of the run
                self.crashed.append("%s: %s: %s" % (fn.__name__, type(e).__name__, e))
        t = threading.Thread(target=guarded, daemon=True)
        t.start()
        self.threads.append(t)

    def start(self):
        for fn in (self.flood, self.partial_frames, self.stop_readers, self.churn,
                   self.probe):
            self.go(fn)

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.srv.port), timeout=20)

    def flood(self):
        for _ in range(IDLE):
            try:
                s = self.connect()
            except OSError as e:
                self.idle_failed.append(str(e))
                continue
            with self.lock:
                self.idle.append(s)

    def partial_frames(self):
        """Half a transport header, or a header and half the frame."""
        for i in range(STALLERS):
            s = self.connect()
            if i % 2:
                s.sendall(b"\x00\x00")
            else:
                s.sendall(struct.pack(">I", 256) + b"\xfeSMB" + bytes(60))
            with self.lock:
                self.partial.append((s, s.getsockname()[1], time.monotonic()))
        self.stalled["partial"] = time.monotonic()
        # the server should close them by itself: note when
        while not self.done.is_set():
            for s, port, t0 in self.partial:
                if port in self.partial_dropped:
                    continue
                try:
                    s.setblocking(False)
                    if s.recv(1) == b"":
                        self.partial_dropped[port] = time.monotonic() - t0
                except BlockingIOError:
                    pass
                except OSError:
                    self.partial_dropped[port] = time.monotonic() - t0
            self.done.wait(0.5)

    def stop_readers(self):
        """smbclient fetching a big file, stopped while it fetches."""
        big = os.path.join(self.srv.share, "big.bin")
        for i in range(STALLERS):
            out = os.path.join(self.local, "stopped%d.bin" % i)
            argv = [SMBCLIENT, "//127.0.0.1/share", "-p", str(self.srv.port),
                    "-U", "%s%%%s" % (USER, PASSWORD), "-m", "SMB3_11",
                    "-c", "get big.bin %s" % out]
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env=dict(os.environ, HOME=self.srv.root))
            got = wait_for(lambda: os.path.exists(out) and
                           os.path.getsize(out) >= (1 << 20), 60, step=0.01)
            p.send_signal(signal.SIGSTOP)
            ports = [port for port, st in tcp_state_of(p.pid) if st == TCP_ESTABLISHED]
            with self.lock:
                self.readers.append((p, ports[0] if ports else None))
            if not got:
                self.reader_notes.append("reader %d had fetched %d of %d bytes when stopped" %
                                         (i, os.path.getsize(out) if os.path.exists(out) else 0,
                                          os.path.getsize(big)))
        self.stalled["readers"] = time.monotonic()

    def hold(self):
        """Keep the stallers stalled until HOLD s after the last one stalled."""
        wait_for(lambda: len(self.stalled) == 2 or self.crashed, 90, step=0.5)
        left = max(self.stalled.values() or [0]) + HOLD - time.monotonic()
        if left > 0:
            self.done.wait(left)

    def churn(self):
        for i in range(CHURN):
            try:
                s = self.connect()
                if i % 2:   # an abortive close (RST)
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                 struct.pack("ii", 1, 0))
                s.close()
                self.churned += 1
            except OSError as e:
                self.churn_failed.append(str(e))

    def probe(self):
        while not self.done.is_set():
            t0 = time.monotonic()
            rc, out = smbclient(self.srv, "SMB3_11", "ls", PROBE_TIMEOUT)
            err = None
            if rc or "NT_STATUS_" in out or "big.bin" not in out:
                err = "rc %d: %s" % (rc, out.strip()[-300:])
            self.probes.append((time.monotonic() - t0, err))
            self.done.wait(1)

    def readers_still_connected(self):
        """The stopped readers whose connection the server still holds."""
        held = []
        for p, port in self.readers:
            if any(st == TCP_ESTABLISHED for _, st in tcp_state_of(p.pid)):
                held.append(port)
        return held

    def release(self):
        """Everyone goes; safe to call again (and on the way out of a
        failure: no stopped smbclient stays behind)."""
        self.done.set()
        for t in self.threads:
            t.join(timeout=PROBE_TIMEOUT + 10)
        with self.lock:
            for s in self.idle:
                s.close()
            for s, _, _ in self.partial:
                s.close()
            for p, _ in self.readers:
                if p.poll() is None:
                    p.kill()
                    p.wait()


# -- the run -----------------------------------------------------------------------------

class Run:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def report(self, name, err):
        if err is None:
            print("PASS %s" % name)
            self.passed += 1
        else:
            print("FAIL %s: %s" % (name, err))
            self.failed += 1
        sys.stdout.flush()

    def case(self, name, fn):
        try:
            fn()
            self.report(name, None)
        except AssertionError as e:
            self.report(name, str(e))


def describe(tally, what):
    mb = tally.bytes_put / 1e6
    print("  %s: %d runs in %.1f s, %.1f MB put and %.1f MB got (%.1f MB/s each way), "
          "slowest run %.1f s, %d errors" %
          (what, tally.runs, tally.elapsed, mb, tally.bytes_got / 1e6,
           mb / max(tally.elapsed, 0.001), tally.slowest, len(tally.errors)))


def tally_ok(tally, n):
    check(not tally.errors, "%d failed runs, first ones:\n  %s" %
          (len(tally.errors), "\n  ".join(tally.errors[:MAX_ERRORS_SHOWN])))
    check(tally.runs >= n, "%d runs for %d clients: some never completed one" %
          (tally.runs, n))
    check(tally.bytes_put == tally.bytes_got,
          "bytes put %d, got %d" % (tally.bytes_put, tally.bytes_got))


def make_big(srv):
    path = os.path.join(srv.share, "big.bin")
    with open(path, "wb") as f:
        for _ in range(BIG_MB):
            f.write(os.urandom(1 << 20))
    srv.give(path)


def scenario(run, srv, local):
    pid = srv.dp_pid
    make_big(srv)
    print("  server pid %d at start: %s" % (pid, snapshot(pid)))

    warm = wave(srv, WARMUP_CLIENTS, WARMUP_SECONDS, "w", local)
    describe(warm, "warm-up, %d clients" % WARMUP_CLIENTS)
    run.case("warm-up wave: every run right", lambda: tally_ok(warm, WARMUP_CLIENTS))
    # what the server holds with nobody connected, once it closed them
    base = steady(pid)
    print("  after the warm-up: %d fds, %d threads, RSS %.1f MiB" %
          (base["fds"], base["threads"], mib(base["rss_kib"])))

    log_at = len(srv.log())
    cpu0 = cpu_seconds(pid)
    mon = Monitor(pid)
    mon.start()
    abuse = Abuse(srv, local)
    try:
        abuse.start()
        load = wave(srv, CLIENTS, SECONDS, "c", local)
        describe(load, "main wave, %d clients" % CLIENTS)
        print("  server CPU time during the main wave: %.1f s" % (cpu_seconds(pid) - cpu0))
        abuse.hold()
        waits = thread_waits(pid)
        held = abuse.readers_still_connected()
    finally:
        abuse.release()
        mon.halt.set()
        mon.join()

    run.case("main wave (%d clients, %.0f s): every run right" % (CLIENTS, SECONDS),
             lambda: tally_ok(load, CLIENTS))
    print("  peaks during the main wave: %d fds, %d threads, RSS %.1f MiB" %
          (mon.peak["fds"], mon.peak["threads"], mib(mon.peak["rss_kib"])))
    print("  server threads at the end of the hold, by wait channel: %s" % waits)

    def probes_ok():
        bad = [e for _, e in abuse.probes if e]
        times = [t for t, _ in abuse.probes]
        print("  probe: %d listings, slowest %.1f s" % (len(times), max(times or [0])))
        check(abuse.probes, "the probe never got an answer")
        check(not bad, "%d of %d probe listings failed: %s" % (len(bad), len(times), bad[:3]))
    run.case("a normal client is served while peers misbehave", probes_ok)

    run.case("the misbehaving peers ran as planned",
             lambda: check(not abuse.crashed, "; ".join(abuse.crashed)))

    def flood_ok():
        print("  idle: %d held, %d refused; churn: %d opened and closed, %d refused" %
              (len(abuse.idle), len(abuse.idle_failed), abuse.churned,
               len(abuse.churn_failed)))
        check(not abuse.idle_failed, "idle connections refused: %s" % abuse.idle_failed[:3])
        check(not abuse.churn_failed, "churn connections refused: %s" %
              abuse.churn_failed[:3])
    run.case("%d idle and %d short connections accepted" % (IDLE, CHURN), flood_ok)

    def partial_ok():
        print("  partial frames dropped by the server after: %s" %
              ", ".join("%.0f s" % t for t in abuse.partial_dropped.values()))
        missing = [port for _, port, _ in abuse.partial if port not in abuse.partial_dropped]
        check(not missing, "still connected after %.0f s: peer ports %s" % (HOLD, missing))
    run.case("peers stopping mid-frame are dropped", partial_ok)

    def readers_ok():
        for n in abuse.reader_notes:
            print("  " + n)
        print("  stopped readers still connected after %.0f s: %d of %d" %
              (HOLD, len(held), len(abuse.readers)))
        check(not held, "the server still holds the stopped readers (peer ports %s) "
              "after %.0f s" % (held, HOLD))
    run.case("peers that stop reading are dropped", readers_ok)

    def settles():
        ok = wait_for(lambda: snapshot(pid)["fds"] <= base["fds"] and
                      snapshot(pid)["threads"] == base["threads"], SETTLE_TIMEOUT, step=0.5)
        now = snapshot(pid)
        print("  after everyone left: %d fds (baseline %d), %d threads (baseline %d)" %
              (now["fds"], base["fds"], now["threads"], base["threads"]))
        check(ok, "not back to the baseline %ds after the peers left: %s, waits %s" %
              (SETTLE_TIMEOUT, now, thread_waits(pid)))
    run.case("fds and threads back to the baseline", settles)

    def memory_flat():
        time.sleep(1)
        rss = snapshot(pid)["rss_kib"]
        limit = base["rss_kib"] * (100 + RSS_SLACK_PCT) // 100 + RSS_SLACK_MIB * 1024
        print("  RSS after the warm-up %.1f MiB, after the main wave %.1f MiB "
              "(limit %.1f MiB)" % (mib(base["rss_kib"]), mib(rss), mib(limit)))
        check(rss <= limit, "RSS grew from %.1f to %.1f MiB" % (mib(base["rss_kib"]), mib(rss)))
    run.case("memory flat after the clients left", memory_flat)

    def share_clean():
        left = sorted(set(os.listdir(srv.share)) - {"big.bin"})
        check(not left, "left in the share: %s" % left[:20])
    run.case("nothing left in the share", share_clean)

    def drops_logged():
        # the data path's own lines (the daemon logs every login with the
        # address: those are not drops)
        lines = [ln for ln in srv.log()[log_at:].splitlines()
                 if ln.startswith("smbd-user:") and "127.0.0.1" in ln]
        print("  data path log lines naming a peer during the abuse: %d" % len(lines))
        for ln in lines[:8]:
            print("    " + ln)
        dropped = [p for _, p, _ in abuse.partial if p in abuse.partial_dropped]
        dropped += [p for _, p in abuse.readers if p is not None and p not in held]
        check(len(lines) >= len(dropped),
              "%d peers dropped by the server, %d log lines name a peer" %
              (len(dropped), len(lines)))
        # with the peer's port in the line, each drop is named exactly once
        if any(":%d" % p in ln for p in dropped for ln in lines):
            for port in dropped:
                n = sum(1 for ln in lines if re.search(r":%d\b" % port, ln))
                check(n == 1, "peer port %d named in %d log lines" % (port, n))
        check(len(lines) <= len(dropped) + 10,
              "%d log lines for %d dropped peers: the flood floods the log" %
              (len(lines), len(dropped)))
    run.case("each dropped peer logged once, with its address", drops_logged)
    run.case("out of fds: no busy loop, said once, then serving again",
             lambda: fd_exhaustion(srv, base))


def fd_exhaustion(srv, base):
    """The server's fd limit lowered (prlimit) to a few more than it holds,
    then more connections than that: it must not spin on accept, must say
    so once, and must serve again once the connections are gone."""
    pid = srv.dp_pid
    soft, hard = resource.prlimit(pid, resource.RLIMIT_NOFILE)
    log_at = len(srv.log())
    socks = []
    try:
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (fd_count(pid) + FD_ROOM, hard))
        for _ in range(FD_FLOOD):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", srv.port))
            socks.append(s)
        time.sleep(1)
        cpu0 = cpu_seconds(pid)
        time.sleep(FD_SPIN_WINDOW)
        busy = (cpu_seconds(pid) - cpu0) / FD_SPIN_WINDOW
        fds = fd_count(pid)
    finally:
        for s in socks:
            s.close()
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (soft, hard))
    said = [ln for ln in srv.log()[log_at:].splitlines() if ln.startswith("smbd-user:")]
    print("  at the fd limit (%d fds held): %.0f %% of a CPU; the data path said: %s" %
          (fds, busy * 100, said[:3]))
    back = wait_for(lambda: fd_count(pid) <= base["fds"], SETTLE_TIMEOUT, step=0.5)
    rc, out = smbclient(srv, "SMB3_11", "ls", PROBE_TIMEOUT)
    check(busy < FD_SPIN_MAX, "the data path spins at its fd limit: %.0f %% of a CPU" %
          (busy * 100))
    check(1 <= len(said) <= 3, "%d log lines about the fd limit: %s" % (len(said), said[:5]))
    check(back, "%d fds after the flood, baseline %d" % (fd_count(pid), base["fds"]))
    check(rc == 0 and "NT_STATUS_" not in out, "ls after the flood: rc %d: %s" %
          (rc, out.strip()[-300:]))


def main():
    status = smbdtest.not_ready()
    if status is not None:
        if status == 1:
            print("0 passed, 1 failed")
        return status
    print("load: %d clients for %.0f s, %d idle, %d churned, %d stalling peers of each "
          "kind held %.0f s" % (CLIENTS, SECONDS, IDLE, CHURN, STALLERS, HOLD))
    sys.stdout.flush()

    def give_up(signum, _):
        raise TimeoutError("over %d s" % DEADLINE_S if signum == signal.SIGALRM
                           else "terminated by signal %d" % signum)
    signal.signal(signal.SIGALRM, give_up)
    signal.signal(signal.SIGTERM, give_up)
    signal.alarm(DEADLINE_S)
    run = Run()
    t0 = time.monotonic()
    root = tempfile.mkdtemp(prefix="smbd-load-", dir=TEST_DIR)
    local = os.path.join(root, "local")
    os.mkdir(local)
    srv = None
    try:
        srv = make_server(root)
        srv.start()
        scenario(run, srv, local)
        run.case("the data path never restarted",
                 lambda: check(not srv.restarted(), srv.log()[-3000:]))
    except (AssertionError, OSError, TimeoutError) as e:
        run.report("the run", "%s: %s" % (type(e).__name__, e))
    finally:
        signal.alarm(0)
        if srv:
            srv.stop()
            log = srv.log()
            san = [ln for ln in log.splitlines()
                   if re.search(r"ERROR: (Address|Leak)Sanitizer|runtime error:", ln)]
            run.report("no sanitizer report",
                       None if not san else "\n".join(san[:10]))
            if run.failed:
                # without the daemon's line for every login and tree connect
                quiet = [ln for ln in log.splitlines()
                         if not re.search(r"login \S+: ok$|tree connect .*: OK", ln)]
                print("--- server log (tail) ---\n%s" % "\n".join(quiet[-40:]))
        shutil.rmtree(root, ignore_errors=True)
    print("time: %.0f s" % (time.monotonic() - t0))
    print("%d passed, %d failed" % (run.passed, run.failed))
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())
