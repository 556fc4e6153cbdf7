#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ksmbd.mountd in user mode, driven by a scripted data path.

Starts the built daemon in the foreground with a temporary ksmbd.conf,
ksmbdpwd.db, IPC socket and lock file, then plays the data path's side on
the socket: login, share config, tree connects (allowed, refused by hosts
deny, by invalid users, by max connections), disconnect, logout and the
failed-login counter, RPC and SPNEGO (not implemented yet), malformed
messages that must be dropped without killing the daemon, and a SIGHUP
reload that changes a share and must bring the UPDATE flag. Every reply is
checked byte for byte against struct layouts written from netlink-abi.md.

Environment: MOUNTD (default ./server/ksmbd.mountd). Standard library only.
Prints "N passed, M failed"; exits 1 on any failure.
"""

import base64
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True   # make distcheck: the source tree is read-only
import smbdtest  # noqa: E402
from smbdtest import MOUNTD  # noqa: E402
DEADLINE_S = 28          # the whole run, enforced with SIGALRM
REPLY_TIMEOUT_S = 2.0    # the kernel's wait for a reply
SILENCE_S = 0.3          # how long "no reply" is waited for

# -- netlink-abi.md -----------------------------------------------------------

EV_HEARTBEAT = 1
EV_STARTING_UP = 2
EV_LOGIN_REQ, EV_LOGIN_RSP = 4, 5
EV_SHARE_REQ, EV_SHARE_RSP = 6, 7
EV_TCON_REQ, EV_TCON_RSP = 8, 9
EV_TDIS_REQ = 10
EV_LOGOUT_REQ = 11
EV_RPC_REQ, EV_RPC_RSP = 12, 13
EV_SPNEGO_REQ, EV_SPNEGO_RSP = 14, 15
EV_LOGIN_EXT_REQ, EV_LOGIN_EXT_RSP = 16, 17

USER_OK, USER_BAD_PASSWORD, USER_BAD_UID, USER_BAD_USER = 1, 2, 4, 8
USER_GUEST, USER_DELAY, USER_EXTENSION = 0x10, 0x20, 0x40

SHARE_AVAILABLE, SHARE_BROWSEABLE, SHARE_WRITEABLE, SHARE_READONLY = 1, 2, 4, 8
SHARE_GUEST_OK, SHARE_GUEST_ONLY, SHARE_STORE_DOS, SHARE_OPLOCKS = 16, 32, 64, 128
SHARE_PIPE, SHARE_HIDE_DOT, SHARE_CROSSMNT = 1 << 8, 1 << 9, 1 << 15

TC_OK, TC_NO_SHARE, TC_NO_USER, TC_INVALID_USER = 0, 2, 3, 4
TC_HOST_DENIED, TC_TOO_MANY_CONNS = 5, 7
TCF_GUEST, TCF_READ_ONLY, TCF_WRITABLE, TCF_ADMIN, TCF_UPDATE = 1, 2, 4, 8, 16
TCREQ_SMB2 = 2

RPC_OPEN, RPC_NOT_IMPLEMENTED = 0x10, 0x40

# struct layouts (x86-64 sizes from netlink-abi.md)
LOGIN_REQ = struct.Struct("<I48s64x")                    # 116
LOGIN_RSP = struct.Struct("<III48sHH18s2x64x")           # 148
LOGIN_EXT_RSP = struct.Struct("<Ii128x")                 # 136 + 4 n
SHARE_REQ = struct.Struct("<I64s64x")                    # 132
SHARE_RSP = struct.Struct("<IIHHHHHH64s444xII")          # 536 + payload
TCON_REQ = struct.Struct("<IHHQQ48s64s64s64x")           # 264
TCON_RSP = struct.Struct("<IHH64x")                      # 72
TDIS_REQ = struct.Struct("<QQ64x")                       # 80
LOGOUT_REQ = struct.Struct("<48sI64x")                   # 116
RPC_CMD = struct.Struct("<III")                          # 12 + payload
SPNEGO_RSP_TAIL = struct.Struct("<HH")                   # after the login
HDR = struct.Struct("<HHI")                              # our socket framing

SIZES = {LOGIN_REQ: 116, LOGIN_RSP: 148, LOGIN_EXT_RSP: 136, SHARE_REQ: 132,
         SHARE_RSP: 536, TCON_REQ: 264, TCON_RSP: 72, TDIS_REQ: 80,
         LOGOUT_REQ: 116, RPC_CMD: 12}

NT_HASH_PASSWORD = bytes.fromhex("8846F7EAEE8FB117AD06BDD830B7586C")
ALICE_HASH = bytes(range(16))
NOBODY = 65534

CONF = """[global]
\tserver mode = user
\tguest account = nobody
\tmap to guest = never
\tnetbios name = TESTSRV
[data]
\tpath = {root}/data
\tread only = no
\tveto files = /*.tmp/secret/
\thosts deny = 10.0.0.0/8
[private]
\tpath = {root}/data
\tinvalid users = alice
[one]
\tpath = {root}/data
\tmax connections = 1
"""


def frame(event, payload, reserved=0, length=None):
    if length is None:
        length = len(payload)
    return HDR.pack(event, reserved, length) + payload


def cstr(text, size):
    raw = text.encode() if isinstance(text, str) else text
    return raw.ljust(size, b"\0")


class Peer:
    """The data path's end of the IPC socket."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(REPLY_TIMEOUT_S)
        self.sock.connect(path)

    def send(self, event, payload, **kw):
        self.sock.send(frame(event, payload, **kw))

    def send_raw(self, data):
        self.sock.send(data)

    def recv(self, timeout=REPLY_TIMEOUT_S):
        self.sock.settimeout(timeout)
        data = self.sock.recv(65536)
        if not data:
            raise AssertionError("the daemon closed the socket")
        event, reserved, length = HDR.unpack_from(data)
        check(reserved == 0, "reply header reserved is %d" % reserved)
        check(length == len(data) - HDR.size,
              "reply header length %d, message %d" % (length, len(data) - 8))
        return event, data[HDR.size:]

    def ask(self, event, payload):
        self.send(event, payload)
        return self.recv()

    def expect_silence(self):
        try:
            data = self.sock.recv(65536, socket.MSG_DONTWAIT) or None
            if data is None:
                time.sleep(SILENCE_S)
                self.sock.settimeout(SILENCE_S)
                data = self.sock.recv(65536)
        except (socket.timeout, BlockingIOError):
            return
        raise AssertionError("unexpected reply %r" % data[:16])

    def close(self):
        self.sock.close()


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def check_bytes(got, want, what):
    if got != want:
        first = next((i for i in range(min(len(got), len(want)))
                      if got[i] != want[i]), min(len(got), len(want)))
        raise AssertionError("%s: %d bytes, want %d; first difference at %d: "
                             "got %s want %s" % (what, len(got), len(want), first,
                                                 got[first:first + 8].hex(),
                                                 want[first:first + 8].hex()))


# -- requests -------------------------------------------------------------------

def login_req(handle, account):
    return LOGIN_REQ.pack(handle, cstr(account, 48))


def login_rsp(handle, gid, uid, account, status, hash_=b""):
    return LOGIN_RSP.pack(handle, gid, uid, cstr(account, 48), status,
                          len(hash_), cstr(hash_, 18))


def tcon_req(handle, account, share, peer, session=1, connect=1,
             account_flags=0, flags=TCREQ_SMB2):
    return TCON_REQ.pack(handle, account_flags, flags, session, connect,
                         cstr(account, 48), cstr(share, 64), cstr(peer, 64))


def tcon_rsp(handle, status, conn_flags):
    return TCON_RSP.pack(handle, status, conn_flags)


def tdis_req(session, connect):
    return TDIS_REQ.pack(session, connect)


def logout_req(account, flags):
    return LOGOUT_REQ.pack(cstr(account, 48), flags)


# -- the daemon -------------------------------------------------------------------

class Daemon(smbdtest.Server):
    def __init__(self, root, conf_text):
        # this test plays the data path's side itself
        super().__init__(root, conf_text, supervised=None, start_timeout=5,
                         stop_timeout=5)
        os.makedirs(os.path.join(root, "data"), exist_ok=True)
        with open(self.pwddb, "w") as f:
            for name, h in (("daemon", NT_HASH_PASSWORD), ("alice", ALICE_HASH)):
                f.write("%s:%s\n" % (name, base64.b64encode(h).decode()))
        self.proc = None

    def start(self):
        super().start()
        self.proc = self.procs[0]

    def wait_log(self, needle, count=1, timeout=5):
        smbdtest.wait_for(lambda: self.log().count(needle) >= count, timeout,
                          "%r in the log" % needle, self.log)


# -- the tests ----------------------------------------------------------------

def t_struct_sizes(d, p):
    for st, size in SIZES.items():
        check(st.size == size, "struct %s is %d bytes, not %d" % (st.format, st.size, size))


def t_lock_file_holds_pid(d, p):
    with open(d.lock) as f:
        check(f.read().strip() == str(d.proc.pid), "lock file does not hold the pid")


def t_second_daemon_refused(d, p):
    r = subprocess.run(d.mountd_argv(), stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=10)
    check(r.returncode == 1, "second daemon exited %d" % r.returncode)
    check(b"another ksmbd.mountd is running" in r.stderr, r.stderr.decode())


def t_login_user_with_unix_account(d, p):
    ev, rsp = p.ask(EV_LOGIN_REQ, login_req(0x1001, "daemon"))
    check(ev == EV_LOGIN_RSP, "event %d" % ev)
    # the unix account "daemon" is uid 1, gid 1 on Debian
    want = login_rsp(0x1001, 1, 1, "daemon", USER_OK, NT_HASH_PASSWORD)
    check_bytes(rsp, want, "login response")
    check(rsp[60:64] == b"\x01\x00\x10\x00", "status at 60, hash_sz at 62")


def t_login_user_without_unix_account(d, p):
    ev, rsp = p.ask(EV_LOGIN_REQ, login_req(7, "alice"))
    check(ev == EV_LOGIN_RSP, "event %d" % ev)
    want = login_rsp(7, NOBODY, NOBODY, "alice", USER_OK, ALICE_HASH)
    check_bytes(rsp, want, "login response (guest account's ids)")


def t_login_unknown_user(d, p):
    ev, rsp = p.ask(EV_LOGIN_REQ, login_req(8, "mallory"))
    check(ev == EV_LOGIN_RSP, "event %d" % ev)
    check_bytes(rsp, login_rsp(8, 0, 0, "mallory", USER_BAD_USER),
                "login response (unknown user)")


def t_login_ext(d, p):
    ev, rsp = p.ask(EV_LOGIN_EXT_REQ, login_req(9, "daemon"))
    check(ev == EV_LOGIN_EXT_RSP, "event %d" % ev)
    handle, n = LOGIN_EXT_RSP.unpack_from(rsp)
    check(handle == 9, "handle %d" % handle)
    check(len(rsp) == 136 + 4 * n, "size %d for %d groups" % (len(rsp), n))
    gids = struct.unpack_from("<%dI" % n, rsp, 136)
    want = sorted(os.getgrouplist("daemon", 1))
    check(sorted(gids) == want, "groups %r, want %r" % (gids, want))
    check(rsp[8:136] == bytes(128), "reserved not zero")


def share_flags_data():
    # ksmbd.conf defaults plus read only = no (netlink-abi.md bit numbers)
    return (SHARE_AVAILABLE | SHARE_BROWSEABLE | SHARE_WRITEABLE |
            SHARE_STORE_DOS | SHARE_OPLOCKS | SHARE_HIDE_DOT | SHARE_CROSSMNT)


def share_rsp(handle, flags, name, payload, veto_sz, create=0o744,
              directory=0o755):
    return SHARE_RSP.pack(handle, flags, create, directory, 0, 0, 0xFFFF,
                          0xFFFF, cstr(name, 64), len(payload),
                          veto_sz) + payload


def t_share_config(d, p):
    ev, rsp = p.ask(EV_SHARE_REQ, SHARE_REQ.pack(0x2002, cstr("DATA", 64)))
    check(ev == EV_SHARE_RSP, "event %d" % ev)
    path = (d.root + "/data").encode()
    veto = b"*.tmp\0secret"
    payload = veto + b"\0" + path + b"\0"
    want = share_rsp(0x2002, share_flags_data(), "data", payload, len(veto))
    check_bytes(rsp, want, "share config response")


def t_share_config_ipc(d, p):
    ev, rsp = p.ask(EV_SHARE_REQ, SHARE_REQ.pack(3, cstr("IPC$", 64)))
    check(ev == EV_SHARE_RSP, "event %d" % ev)
    # IPC$ is implicitly guest ok (browsing needs it)
    flags = (SHARE_AVAILABLE | SHARE_BROWSEABLE | SHARE_READONLY |
             SHARE_GUEST_OK | SHARE_STORE_DOS | SHARE_OPLOCKS | SHARE_PIPE | SHARE_HIDE_DOT |
             SHARE_CROSSMNT)
    check_bytes(rsp, share_rsp(3, flags, "IPC$", b"\0", 0), "IPC$ config")


def t_share_config_unknown(d, p):
    ev, rsp = p.ask(EV_SHARE_REQ, SHARE_REQ.pack(4, cstr("nosuch", 64)))
    check(ev == EV_SHARE_RSP, "event %d" % ev)
    want = SHARE_RSP.pack(4, 0, 0, 0, 0, 0, 0, 0, cstr("nosuch", 64), 0, 0)
    check_bytes(rsp, want, "unknown share config")


def t_tree_connect_allowed(d, p):
    ev, rsp = p.ask(EV_TCON_REQ, tcon_req(0x3003, "daemon", "data", "127.0.0.1",
                                          session=10, connect=1))
    check(ev == EV_TCON_RSP, "event %d" % ev)
    check_bytes(rsp, tcon_rsp(0x3003, TC_OK, TCF_WRITABLE), "tree connect")


def t_tree_connect_hosts_deny(d, p):
    ev, rsp = p.ask(EV_TCON_REQ, tcon_req(11, "daemon", "data", "10.9.8.7",
                                          session=11, connect=2))
    check(ev == EV_TCON_RSP, "event %d" % ev)
    check_bytes(rsp, tcon_rsp(11, TC_HOST_DENIED, 0), "hosts deny")


def t_tree_connect_invalid_users(d, p):
    ev, rsp = p.ask(EV_TCON_REQ, tcon_req(12, "alice", "private", "127.0.0.1",
                                          session=12, connect=3))
    check(ev == EV_TCON_RSP, "event %d" % ev)
    check_bytes(rsp, tcon_rsp(12, TC_INVALID_USER, 0), "invalid users")
    ev, rsp = p.ask(EV_TCON_REQ, tcon_req(13, "daemon", "private", "127.0.0.1",
                                          session=13, connect=4))
    check_bytes(rsp, tcon_rsp(13, TC_OK, TCF_READ_ONLY), "not in invalid users")
    p.send(EV_TDIS_REQ, tdis_req(13, 4))


def t_tree_connect_no_share(d, p):
    ev, rsp = p.ask(EV_TCON_REQ, tcon_req(14, "daemon", "nosuch", "127.0.0.1"))
    check_bytes(rsp, tcon_rsp(14, TC_NO_SHARE, 0), "no such share")


def t_disconnect_releases(d, p):
    ask = lambda h, conn: p.ask(EV_TCON_REQ, tcon_req(h, "daemon", "one",
                                                      "127.0.0.1", session=20,
                                                      connect=conn))[1]
    check_bytes(ask(21, 100), tcon_rsp(21, TC_OK, TCF_READ_ONLY), "first connect")
    check_bytes(ask(22, 101), tcon_rsp(22, TC_TOO_MANY_CONNS, 0),
                "max connections = 1")
    p.send(EV_TDIS_REQ, tdis_req(20, 100))
    p.expect_silence()
    check_bytes(ask(23, 102), tcon_rsp(23, TC_OK, TCF_READ_ONLY),
                "connect after disconnect")
    p.send(EV_TDIS_REQ, tdis_req(20, 102))


def t_failed_logins_delay(d, p):
    for _ in range(10):
        p.send(EV_LOGOUT_REQ, logout_req("daemon", USER_BAD_PASSWORD))
    p.expect_silence()
    ev, rsp = p.ask(EV_LOGIN_REQ, login_req(30, "daemon"))
    check_bytes(rsp, login_rsp(30, 1, 1, "daemon", USER_OK | USER_DELAY,
                               NT_HASH_PASSWORD), "login after 10 failures")
    p.send(EV_LOGOUT_REQ, logout_req("daemon", 0))
    ev, rsp = p.ask(EV_LOGIN_REQ, login_req(31, "daemon"))
    check_bytes(rsp, login_rsp(31, 1, 1, "daemon", USER_OK, NT_HASH_PASSWORD),
                "login after a good logout")


def t_rpc_not_implemented(d, p):
    ev, rsp = p.ask(EV_RPC_REQ, RPC_CMD.pack(40, RPC_OPEN, 3) + b"abc")
    check(ev == EV_RPC_RSP, "event %d" % ev)
    check_bytes(rsp, RPC_CMD.pack(40, RPC_NOT_IMPLEMENTED, 0), "rpc response")


def t_spnego_not_supported(d, p):
    blob = b"\x60\x03\x06\x01\x00"
    req = struct.pack("<IH", 41, len(blob)) + blob + b"\0"
    ev, rsp = p.ask(EV_SPNEGO_REQ, req)
    check(ev == EV_SPNEGO_RSP, "event %d" % ev)
    want = struct.pack("<I", 41) + login_rsp(41, 0, 0, "", 0) + SPNEGO_RSP_TAIL.pack(0, 0)
    check_bytes(rsp, want, "spnego response (no OK bit)")


def t_malformed_dropped(d, p):
    bad = [
        frame(EV_LOGIN_REQ, login_req(50, "daemon")[:60]),            # truncated
        frame(EV_LOGIN_REQ, b"\x33" * 116),                           # no NUL
        frame(EV_SHARE_REQ, struct.pack("<I", 51) + b"s" * 128),      # no NUL
        frame(EV_TCON_REQ, tcon_req(52, "daemon", "data", "127.0.0.1")[:200]),
        frame(EV_RPC_REQ, RPC_CMD.pack(53, RPC_OPEN, 100) + b"x" * 10),  # payload_sz
        frame(99, b"\0" * 16),                                        # unknown type
        frame(EV_LOGIN_RSP, login_rsp(54, 0, 0, "x", 1)),             # not a request
        frame(EV_STARTING_UP, b"\0" * 744),
        frame(EV_LOGIN_REQ, login_req(55, "daemon"), length=10),      # header length
        frame(EV_LOGIN_REQ, login_req(56, "daemon"), reserved=1),     # reserved
        b"\x04\x00",                                                  # short header
    ]
    for msg in bad:
        p.send_raw(msg)
    p.expect_silence()
    check(d.alive(), "daemon died")
    d.wait_log("dropped malformed", count=len(bad))
    ev, rsp = p.ask(EV_LOGIN_REQ, login_req(57, "daemon"))
    check_bytes(rsp, login_rsp(57, 1, 1, "daemon", USER_OK, NT_HASH_PASSWORD),
                "login after malformed messages")


def t_heartbeat_no_reply(d, p):
    p.send(EV_HEARTBEAT, struct.pack("<I", 60))
    p.expect_silence()
    check(d.alive(), "daemon died")


def t_second_peer(d, p):
    q = Peer(d.sock_path)
    try:
        ev, rsp = q.ask(EV_LOGIN_REQ, login_req(61, "alice"))
        check_bytes(rsp, login_rsp(61, NOBODY, NOBODY, "alice", USER_OK,
                                   ALICE_HASH), "login on a second connection")
    finally:
        q.close()


def t_sighup_update(d, p):
    # first connect to both shares: no UPDATE
    ev, rsp = p.ask(EV_TCON_REQ, tcon_req(70, "daemon", "data", "127.0.0.1",
                                          session=70, connect=700))
    check_bytes(rsp, tcon_rsp(70, TC_OK, TCF_WRITABLE), "before reload")
    p.send(EV_TDIS_REQ, tdis_req(70, 700))
    new_conf = CONF.replace("\tread only = no\n", "\tread only = no\n\tcreate mask = 0700\n")
    d.write_conf(new_conf)
    d.proc.send_signal(signal.SIGHUP)
    d.wait_log("shares changed")
    check("1 shares changed" in d.log(), "reload log:\n" + d.log())
    ev, rsp = p.ask(EV_TCON_REQ, tcon_req(71, "daemon", "data", "127.0.0.1",
                                          session=71, connect=710))
    check_bytes(rsp, tcon_rsp(71, TC_OK, TCF_WRITABLE | TCF_UPDATE),
                "first connect after reload")
    ev, rsp = p.ask(EV_TCON_REQ, tcon_req(72, "daemon", "data", "127.0.0.1",
                                          session=72, connect=720))
    check_bytes(rsp, tcon_rsp(72, TC_OK, TCF_WRITABLE), "second connect")
    ev, rsp = p.ask(EV_TCON_REQ, tcon_req(73, "daemon", "private", "127.0.0.1",
                                          session=73, connect=730))
    check_bytes(rsp, tcon_rsp(73, TC_OK, TCF_READ_ONLY), "unchanged share")
    ev, rsp = p.ask(EV_SHARE_REQ, SHARE_REQ.pack(74, cstr("data", 64)))
    path = (d.root + "/data").encode()
    veto = b"*.tmp\0secret"
    check_bytes(rsp, share_rsp(74, share_flags_data(), "data",
                               veto + b"\0" + path + b"\0", len(veto),
                               create=0o700), "share config after reload")
    for s, c in ((71, 710), (72, 720), (73, 730)):
        p.send(EV_TDIS_REQ, tdis_req(s, c))


TESTS = [
    t_struct_sizes,
    t_lock_file_holds_pid,
    t_second_daemon_refused,
    t_login_user_with_unix_account,
    t_login_user_without_unix_account,
    t_login_unknown_user,
    t_login_ext,
    t_share_config,
    t_share_config_ipc,
    t_share_config_unknown,
    t_tree_connect_allowed,
    t_tree_connect_hosts_deny,
    t_tree_connect_invalid_users,
    t_tree_connect_no_share,
    t_disconnect_releases,
    t_failed_logins_delay,
    t_rpc_not_implemented,
    t_spnego_not_supported,
    t_malformed_dropped,
    t_heartbeat_no_reply,
    t_second_peer,
    t_sighup_update,
]


def run_standalone_checks(root, results):
    """Runs of the binary that must fail or print: --check and kernel mode."""
    conf = os.path.join(root, "ksmbd.conf")

    def case(name, fn):
        try:
            fn()
            results.append((name, None))
        except AssertionError as e:
            results.append((name, str(e)))

    def check_mode():
        r = subprocess.run([MOUNTD, "--check", "-C", conf], capture_output=True,
                           timeout=10)
        check(r.returncode == 0, "--check exited %d" % r.returncode)
        check(b"[data]" in r.stdout and b"server mode = user" in r.stdout,
              r.stdout.decode()[:400])

    def kernel_mode():
        # Without ksmbd.ko the SMBD_GENL family does not resolve and kernel
        # mode must fail; with it loaded this would start a kernel server,
        # so the case only runs where it is not.
        if os.path.exists("/sys/module/ksmbd"):
            return
        kconf = os.path.join(root, "kernel.conf")
        with open(kconf, "w") as f:
            f.write("[global]\n\tserver mode = kernel\n")
        r = subprocess.run([MOUNTD, "-n", "-C", kconf, "-P", "/nonexistent",
                            "--lock-file", os.path.join(root, "k.lock"),
                            "--ipc-socket", os.path.join(root, "k.sock")],
                           capture_output=True, timeout=10)
        check(r.returncode == 1, "kernel mode exited %d" % r.returncode)
        check(b"generic netlink" in r.stderr, r.stderr.decode())

    def bad_conf():
        bconf = os.path.join(root, "bad.conf")
        with open(bconf, "w") as f:
            f.write("[global]\n\tsmb2 leases = maybe\n")
        r = subprocess.run([MOUNTD, "--check", "-C", bconf], capture_output=True,
                           timeout=10)
        check(r.returncode == 1, "--check on a bad file exited %d" % r.returncode)

    case("check_prints_config", check_mode)
    case("kernel_mode_without_module", kernel_mode)
    case("check_bad_config", bad_conf)


def main():
    signal.signal(signal.SIGALRM, lambda *a: (_ for _ in ()).throw(
        AssertionError("the test ran out of time")))
    signal.alarm(DEADLINE_S)
    if not os.access(MOUNTD, os.X_OK):
        print("%s: not built (set MOUNTD)" % MOUNTD)
        print("0 passed, 1 failed")
        return 1
    results = []
    with tempfile.TemporaryDirectory(prefix="mountd-test-") as root:
        d = Daemon(root, CONF)
        p = None
        try:
            d.start()
            run_standalone_checks(root, results)
            p = Peer(d.sock_path)
            for t in TESTS:
                try:
                    t(d, p)
                    results.append((t.__name__[2:], None))
                except AssertionError as e:
                    results.append((t.__name__[2:], str(e)))
                except OSError as e:
                    results.append((t.__name__[2:], "socket: %s" % e))
            if p:
                p.close()
                p = None
            rc = d.stop()
            name = "sigterm_clean_exit"
            if rc != 0:
                results.append((name, "exit status %r" % rc))
            elif os.path.exists(d.sock_path) or os.path.exists(d.lock):
                results.append((name, "socket or lock file left behind"))
            else:
                results.append((name, None))
        except AssertionError as e:
            results.append(("daemon", str(e)))
        finally:
            if p:
                p.close()
            d.stop()
            signal.alarm(0)
        failed = [(n, e) for n, e in results if e]
        for n, e in results:
            print("%s %s%s" % ("FAIL" if e else "PASS", n, ": " + e if e else ""))
        if failed:
            print("--- daemon log ---")
            print(d.log()[-4000:])
    print("%d passed, %d failed" % (len(results) - len(failed), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
