#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Path escapes: nothing a client sends may reach a file outside the share.

The tree: ROOT/share (the share) next to ROOT/outside, which holds a canary
file. Inside the share: symlinks to the canary (absolute and relative
"../outside/canary"), symlinks to the outside directory, a symlink from a
subdirectory two levels up, and symlinks to a file and a directory inside
the share. Two shares serve the same directory: [nofollow] with the default
"follow symlinks" (no) and [follow] with "follow symlinks = yes".

Every attempt must be refused (an NTSTATUS error): through smbclient (which
cleans ".." out of names itself), and through a small raw SMB2 client in
this file that sends names byte for byte: "..\\outside\\canary",
"\\..\\..\\etc\\passwd", absolute names, names through the symlinks, stream
syntax ("link_out::$DATA", "a.txt:..\\..\\outside\\x"), mkdir and rename
targets outside, delete through links. After every attempt the outside
directory must be as it was (names, bytes, mtimes) and nothing new may
exist next to the share. In-share symlinks must work with follow symlinks
= yes and be refused with no.

Environment: MOUNTD, SMBD_USER, ADDUSER, SMBCLIENT, MOUNTD_STARTS_DATAPATH
as in test_files.py; SMBD_TEST_DIR (default /var/tmp). Standard library only. Prints
"N passed, M failed"; exits 1 on any failure, 77 (skip) when smbclient is
missing.
"""

import hashlib
import hmac
import os
import re
import shutil
import signal
import socket
import struct
import sys
import tempfile
import time

sys.dont_write_bytecode = True   # make distcheck: the source tree is read-only
import smbdtest  # noqa: E402
from smbdtest import nt_hash  # noqa: E402

TEST_DIR = os.environ.get("SMBD_TEST_DIR", "/var/tmp")
DEADLINE_S = 300
CLIENT_TIMEOUT_S = 20

USER, PASSWORD = "esc", "esc-pass"
CANARY = b"canary: if you can read this through the share, it escaped\n"
A_TXT = b"a.txt inside the share\n"
F_TXT = b"sub/f.txt inside the share\n"

CONF = smbdtest.global_conf("TESTSRV") + """[nofollow]
\tpath = {share}
\tread only = no
{force}[follow]
\tpath = {share}
\tread only = no
\tfollow symlinks = yes
{force}"""


# -- a raw SMB2 client: names go out exactly as given ----------------------------

STATUS_MORE_PROCESSING = 0xC0000016
STATUS_END_OF_FILE = 0xC0000011
STATUS_NO_MORE_FILES = 0x80000006

FILE_READ_DATA, FILE_WRITE_DATA = 0x1, 0x2
FILE_READ_ATTRIBUTES = 0x80
DELETE, SYNCHRONIZE = 0x10000, 0x100000
GENERIC_READ_ALL = 0x120089      # read data, EA, attributes, control, sync
GENERIC_WRITE_ALL = 0x120116
SHARE_ALL = 0x7
FILE_OPEN, FILE_CREATE, FILE_OVERWRITE_IF = 1, 2, 5
OPT_DIRECTORY, OPT_NON_DIRECTORY, OPT_DELETE_ON_CLOSE = 0x1, 0x40, 0x1000


class ConnectionGone(Exception):
    pass


class RawClient:
    """Enough of SMB 2.1 (unsigned, NTLMv2) to send hostile names."""

    def __init__(self, port, user, password, share):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.mid = 0
        self.sid = 0
        self.tid = 0
        self.negotiate()
        self.session_setup(user, password)
        self.tree_connect(share)

    def close_socket(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionGone("connection closed by the server")
            data += chunk
        return data

    def call(self, cmd, body):
        """Send one request; return (status, header, body of the response)."""
        # MS-SMB2 2.2.1.2: ProtocolId, StructureSize, CreditCharge, Status,
        # Command, CreditRequest, Flags, NextCommand, MessageId, Reserved,
        # TreeId, SessionId, Signature
        hdr = struct.pack("<4sHHIHHIIQIIQ16s", b"\xfeSMB", 64, 1, 0, cmd, 32, 0, 0,
                          self.mid, 0, self.tid, self.sid, bytes(16))
        self.mid += 1
        msg = hdr + body
        try:
            self.sock.sendall(struct.pack(">I", len(msg)) + msg)
            while True:
                n = struct.unpack(">I", self.recv_exact(4))[0]
                rsp = self.recv_exact(n)
                status = struct.unpack_from("<I", rsp, 8)[0]
                flags = struct.unpack_from("<I", rsp, 16)[0]
                if status == 0x103 and flags & 0x2:     # STATUS_PENDING, async
                    continue
                return status, rsp[:64], rsp[64:]
        except (OSError, struct.error) as e:
            raise ConnectionGone(str(e))

    def negotiate(self):
        body = struct.pack("<HHHHI16sQ", 36, 1, 0, 0, 0, b"smbd-ng-esc-test", 0)
        status, _, _ = self.call(0, body + struct.pack("<H", 0x0210))
        if status:
            raise AssertionError("negotiate: 0x%08x" % status)

    def session_setup(self, user, password):
        flags = 0x1 | 0x4 | 0x200 | 0x8000 | 0x80000 | 0x800000 | 0x20000000
        neg = b"NTLMSSP\0" + struct.pack("<II8s8s", 1, flags, bytes(8), bytes(8))
        status, hdr, body = self.setup_call(neg)
        if status != STATUS_MORE_PROCESSING:
            raise AssertionError("session setup 1: 0x%08x" % status)
        self.sid = struct.unpack_from("<Q", hdr, 40)[0]
        off, ln = struct.unpack_from("<HH", body, 4)
        chal = (hdr + body)[off:off + ln]
        # the server wraps its CHALLENGE in SPNEGO even for a raw NEGOTIATE;
        # the token is the last thing in the negTokenResp
        at = chal.find(b"NTLMSSP\0")
        if at < 0:
            raise AssertionError("no NTLMSSP CHALLENGE in %r" % chal)
        chal = chal[at:]
        server_challenge = chal[24:32]
        ti_len, _, ti_off = struct.unpack_from("<HHI", chal, 40)
        target_info = chal[ti_off:ti_off + ti_len]
        key = hmac.new(nt_hash(password), (user.upper() + "").encode("utf-16-le"),
                       "md5").digest()
        client_chal = os.urandom(8)
        now = int((time.time() + 11644473600) * 10000000)
        blob = (b"\x01\x01" + bytes(6) + struct.pack("<Q", now) + client_chal +
                bytes(4) + target_info + bytes(4))
        proof = hmac.new(key, server_challenge + blob, "md5").digest()
        nt_resp = proof + blob
        lm_resp = hmac.new(key, server_challenge + client_chal, "md5").digest() + client_chal
        fields = [lm_resp, nt_resp, b"", user.encode("utf-16-le"), "TEST".encode("utf-16-le"), b""]
        payload, descr, at = b"", b"", 64
        for f in fields:
            descr += struct.pack("<HHI", len(f), len(f), at + len(payload))
            payload += f
        auth = b"NTLMSSP\0" + struct.pack("<I", 3) + descr + struct.pack("<I", flags) + payload
        status, _, _ = self.setup_call(auth)
        if status:
            raise AssertionError("session setup 2: 0x%08x" % status)

    def setup_call(self, token):
        body = struct.pack("<HBBIIHHQ", 25, 0, 0, 0, 0, 64 + 24, len(token), 0)
        return self.call(1, body + token)

    def tree_connect(self, share):
        path = ("\\\\127.0.0.1\\" + share).encode("utf-16-le")
        status, hdr, _ = self.call(3, struct.pack("<HHHH", 9, 0, 64 + 8, len(path)) + path)
        if status:
            raise AssertionError("tree connect %s: 0x%08x" % (share, status))
        self.tid = struct.unpack_from("<I", hdr, 36)[0]

    def create(self, name, access, disposition=FILE_OPEN, options=0, attrs=0):
        """Returns (status, file id or None)."""
        raw = name.encode("utf-16-le", "surrogatepass")
        body = struct.pack("<HBBIQQIIIIIHHII", 57, 0, 0, 2, 0, 0, access, attrs,
                           SHARE_ALL, disposition, options, 64 + 56, len(raw), 0, 0)
        status, _, rsp = self.call(5, body + (raw or b"\0"))
        if status:
            return status, None
        return 0, rsp[64:80]

    def close(self, fid):
        return self.call(6, struct.pack("<HHI16s", 24, 0, 0, fid))[0]

    def read(self, fid, offset=0, length=65536):
        body = struct.pack("<HBBIQ16sIIIHH", 49, 0x50, 0, length, offset, fid, 0, 0, 0, 0, 0)
        status, _, rsp = self.call(8, body + b"\0")
        if status:
            return status, b""
        doff, dlen = struct.unpack_from("<BxI", rsp, 2)
        start = doff - 64
        return 0, rsp[start:start + dlen]

    def write(self, fid, data, offset=0):
        body = struct.pack("<HHIQ16sIIHHI", 49, 64 + 48, len(data), offset, fid, 0, 0, 0, 0, 0)
        return self.call(9, body + data)[0]

    def rename(self, fid, new_name, replace=False, info_class=10):
        """FileRenameInformation (10), or FileLinkInformation (11): the
        same layout (MS-FSCC 2.4.42.2, 2.4.27.2)."""
        raw = new_name.encode("utf-16-le", "surrogatepass")
        info = struct.pack("<B7sQI", 1 if replace else 0, bytes(7), 0, len(raw)) + raw
        body = struct.pack("<HBBIHHI16s", 33, 1, info_class, len(info), 64 + 32, 0, 0, fid)
        return self.call(17, body + info)[0]

    def list_dir(self, fid):
        """Names in an open directory (FileDirectoryInformation), or a status."""
        names, flags = [], 0x1
        for _ in range(1000):
            pat = "*".encode("utf-16-le")
            body = struct.pack("<HBBI16sHHI", 33, 1, flags, 0, fid, 64 + 32, len(pat), 65536)
            status, _, rsp = self.call(14, body + pat)
            if status == STATUS_NO_MORE_FILES:
                return 0, names
            if status:
                return status, names
            off, ln = struct.unpack_from("<HI", rsp, 2)
            buf = rsp[off - 64:off - 64 + ln]
            at = 0
            while at + 64 <= len(buf):
                nxt = struct.unpack_from("<I", buf, at)[0]
                nlen = struct.unpack_from("<I", buf, at + 60)[0]
                names.append(buf[at + 64:at + 64 + nlen].decode("utf-16-le", "replace"))
                if not nxt:
                    break
                at += nxt
            flags = 0
        return 0, names


# -- server ------------------------------------------------------------------------

class Server(smbdtest.Server):
    """ksmbd.mountd (user mode) and smbd-user serving ROOT/share.

    As root the whole tree, the outside directory included, belongs to
    nobody and the shares force that user: an escape is then not stopped
    by unix permissions, only by the server's confinement."""

    def __init__(self, root):
        super().__init__(root, CONF, users=[(USER, PASSWORD)], force_nobody=True)
        self.outside = os.path.join(root, "outside")
        self.local = os.path.join(root, "local")

    def build_tree(self):
        sh, out = self.share, self.outside
        os.makedirs(os.path.join(sh, "sub"))
        os.makedirs(os.path.join(sh, "insub"))
        os.makedirs(out)
        os.makedirs(self.local)
        with open(os.path.join(out, "canary"), "wb") as f:
            f.write(CANARY)
        os.chmod(os.path.join(out, "canary"), 0o666)
        with open(os.path.join(sh, "a.txt"), "wb") as f:
            f.write(A_TXT)
        with open(os.path.join(sh, "victim.txt"), "wb") as f:
            f.write(b"victim\n")
        with open(os.path.join(sh, "insub", "f.txt"), "wb") as f:
            f.write(F_TXT)
        with open(os.path.join(self.local, "payload.txt"), "wb") as f:
            f.write(b"payload\n")
        os.symlink(os.path.join(out, "canary"), os.path.join(sh, "link_out_abs"))
        os.symlink("../outside/canary", os.path.join(sh, "link_out"))
        os.symlink("../outside", os.path.join(sh, "dirlink_out"))
        os.symlink(out, os.path.join(sh, "dirlink_out_abs"))
        os.symlink("../../outside/canary", os.path.join(sh, "sub", "link_up"))
        os.symlink("/etc/passwd", os.path.join(sh, "link_passwd"))
        os.symlink("a.txt", os.path.join(sh, "link_in"))
        os.symlink("insub", os.path.join(sh, "dirlink_in"))
        self.give(sh)
        self.give(out)
        # an old mtime, so that a touch shows
        os.utime(os.path.join(out, "canary"), ns=(10**18, 10**18))


def smbclient(srv, share, cmd):
    return srv.smbclient(share, USER, PASSWORD, "SMB3_11", cmd, CLIENT_TIMEOUT_S,
                         cwd=srv.local)


# -- what must not change ----------------------------------------------------------

def snapshot(srv):
    """The outside tree (names, types, sizes, mtimes, bytes), the names next
    to the share, and the share's own symlinks."""
    state = {}
    for dirpath, dirs, files in os.walk(srv.outside):
        for n in sorted(dirs + files):
            p = os.path.join(dirpath, n)
            st = os.lstat(p)
            data = None
            if os.path.isfile(p) and not os.path.islink(p):
                with open(p, "rb") as f:
                    data = hashlib.sha256(f.read()).hexdigest()
            state[os.path.relpath(p, srv.root)] = (st.st_mode, st.st_size,
                                                   st.st_mtime_ns, data)
    state["<root>"] = sorted(n for n in os.listdir(srv.root)
                             if not n.endswith(".log"))
    state["<links>"] = sorted((n, os.readlink(os.path.join(srv.share, n)))
                              for n in os.listdir(srv.share)
                              if os.path.islink(os.path.join(srv.share, n)))
    with open(os.path.join(srv.outside, "canary"), "rb") as f:
        state["<canary>"] = f.read()
    return state


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


STATUS_NOT_SUPPORTED = 0xC00000BB


def status_note(st):
    return "connection closed" if st is None else "0x%08x" % st


def is_error(status):
    """A refusal: an error status, but not "not supported", which says the
    command is missing, not that the name was checked."""
    return (status & 0xC0000000) == 0xC0000000 and status != STATUS_NOT_SUPPORTED


# -- the attempts --------------------------------------------------------------------

# smbclient commands that must fail (the client cleans ".." out itself)
SMBCLIENT_REFUSED = [
    "get ..\\outside\\canary got1",
    "get \\..\\..\\etc\\passwd got2",
    "get ../../../../etc/passwd got3",
    "get link_out got4",
    "get link_out_abs got5",
    "get link_passwd got6",
    "get sub\\link_up got7",
    "get dirlink_out\\canary got8",
    "get dirlink_out_abs\\canary got9",
    "get link_out::$DATA got10",
    "get link_out:stream got11",
    "put payload.txt link_out",
    "put payload.txt link_out_abs",
    "put payload.txt dirlink_out\\new.txt",
    "put payload.txt sub\\link_up",
    "del link_out",
    "del link_out_abs",
    "del dirlink_out\\canary",
    "mkdir dirlink_out\\newdir",
    "mkdir dirlink_out_abs\\newdir",
    "rename victim.txt dirlink_out\\x",
    "rename victim.txt ..\\outside\\x",
    "ls dirlink_out\\*",
    "ls dirlink_out_abs\\*",
    "hardlink victim.txt ..\\outside\\hl",
    "hardlink victim.txt dirlink_out\\hl",
]

# Raw names that must not open for reading.
RAW_READ_REFUSED = [
    "..\\outside\\canary",
    "\\..\\..\\etc\\passwd",
    "..\\..\\..\\..\\..\\..\\etc\\passwd",
    "sub\\..\\..\\outside\\canary",
    "sub\\..\\a.txt",
    "..",
    "sub\\..\\..",
    ".\\..\\outside\\canary",
    "..\\outside",
    "\\etc\\passwd",
    "/etc/passwd",
    "../outside/canary",
    "C:\\etc\\passwd",
    "\\\\127.0.0.1\\nofollow\\..\\outside\\canary",
    "..\\ksmbd.conf",
    "link_out",
    "link_out_abs",
    "link_passwd",
    "sub\\link_up",
    "dirlink_out\\canary",
    "dirlink_out_abs\\canary",
    "dirlink_out",
    "link_out::$DATA",
    "link_out:s:$DATA",
    "..\\outside\\canary::$DATA",
    "a.txt:..\\..\\outside\\canary",
    "a.txt:..\\..\\outside\\canary:$DATA",
    "a.txt\0..\\outside\\canary",          # NUL inside the name
    "..\0\\outside\\canary",
    "\uff0e\uff0e\\outside\\canary",      # fullwidth dots
    "\u2025\\outside\\canary",             # two dot leader
    "..\ud800\\..\\outside\\canary",     # an unpaired surrogate
    "sub\\" * 200 + "..\\" * 202 + "outside\\canary",
]

# Raw names that must not be created or written.
RAW_WRITE_REFUSED = [
    "..\\outside\\new.txt",
    "..\\outside\\canary",
    "\\..\\outside\\new.txt",
    "sub\\..\\..\\outside\\new.txt",
    "link_out",
    "link_out_abs",
    "sub\\link_up",
    "dirlink_out\\canary",
    "dirlink_out\\new.txt",
    "dirlink_out_abs\\new.txt",
    "link_out:evil",
    "..\\outside\\canary:evil",
    "a.txt:..\\..\\outside\\new.txt",
    "a.txt:/../../outside/new.txt",
]

RAW_MKDIR_REFUSED = [
    "..\\outside\\newdir",
    "\\..\\outside\\newdir",
    "dirlink_out\\newdir",
    "dirlink_out_abs\\newdir",
    "sub\\..\\..\\outside\\newdir",
]

RAW_DELETE_REFUSED = [
    "link_out",
    "link_out_abs",
    "..\\outside\\canary",
    "dirlink_out\\canary",
    "sub\\link_up",
    "dirlink_out",
]

# Hard links (FileLinkInformation) of a file in the share, made outside.
RAW_LINK_TARGETS_REFUSED = [
    "..\\outside\\hl",
    "\\..\\outside\\hl",
    "dirlink_out\\hl",
    "dirlink_out_abs\\hl",
    "..\\outside\\canary",
]

RAW_RENAME_TARGETS_REFUSED = [
    "..\\outside\\x",
    "\\..\\outside\\x",
    "sub\\..\\..\\outside\\x",
    "dirlink_out\\x",
    "dirlink_out_abs\\x",
    "../outside/x",
]


class Suite:
    def __init__(self, srv):
        self.srv = srv
        self.before = snapshot(srv)
        self.passed = self.failed = 0
        self.clients = {}

    def report(self, name, err, note=None):
        if err is None:
            print("PASS %s%s" % (name, " (%s)" % note if note else ""))
            self.passed += 1
        else:
            print("FAIL %s: %s" % (name, err))
            self.failed += 1
        sys.stdout.flush()

    def unchanged(self):
        now = snapshot(self.srv)
        if now != self.before:
            diff = {k: (self.before.get(k), now.get(k)) for k in set(now) | set(self.before)
                    if now.get(k) != self.before.get(k)}
            raise AssertionError("OUTSIDE CHANGED: %r" % diff)

    def run(self, name, fn):
        try:
            note = fn()
            self.unchanged()
            check(self.srv.alive(), "a server process died")
            self.report(name, None, note)
        except Exception as e:      # noqa: BLE001 -- any error fails this case only
            self.drop_all()
            self.report(name, "%s: %s" % (type(e).__name__, e))

    def client(self, share):
        c = self.clients.get(share)
        if c is None:
            self.drop_all()
            c = RawClient(self.srv.port, USER, PASSWORD, share)
            self.clients[share] = c
        return c

    def drop(self, share):
        c = self.clients.pop(share, None)
        if c:
            c.close_socket()

    def drop_all(self):
        # one client at a time: the attempts do not depend on each other
        for share in list(self.clients):
            self.drop(share)

    def raw(self, share, fn):
        """fn(client); a connection the server closed counts as refused."""
        try:
            return fn(self.client(share))
        except ConnectionGone:
            self.drop(share)
            return None


# statuses that mean the attempt never reached the operation
NOT_A_REFUSAL = ("tree connect failed", "session setup failed",
                 "NT_STATUS_LOGON_FAILURE", "NT_STATUS_BAD_NETWORK_NAME",
                 "NT_STATUS_CONNECTION_", "NT_STATUS_IO_TIMEOUT",
                 "NT_STATUS_INVALID_NETWORK_RESPONSE", "NT_STATUS_NOT_SUPPORTED")


def smbclient_refused(s, share, cmd):
    def t():
        s.drop_all()
        rc, out = smbclient(s.srv, share, cmd)
        check("NT_STATUS_" in out and rc != 124, "not refused (rc %d):\n%s" % (rc, out))
        for bad in NOT_A_REFUSAL:
            check(bad not in out, "%s is not a refusal of the operation:\n%s" % (bad, out))
        check(CANARY not in out.encode() and "root:x:0:0" not in out,
              "outside data in the output:\n" + out)
        for n in os.listdir(s.srv.local):
            if n.startswith("got"):
                with open(os.path.join(s.srv.local, n), "rb") as f:
                    data = f.read()
                os.unlink(os.path.join(s.srv.local, n))
                check(CANARY not in data and b"root:x:0:0" not in data,
                      "outside data fetched into %s" % n)
        check(os.path.isfile(os.path.join(s.srv.share, "victim.txt")), "victim.txt moved")
        return " ".join(sorted(set(re.findall(r"NT_STATUS_[A-Z_]+", out))))
    return t


def raw_read_refused(s, share, name):
    def t():
        def go(c):
            st, fid = c.create(name, GENERIC_READ_ALL)
            if st:
                return st, b""
            st2, data = c.read(fid)
            c.close(fid)
            return 0, data
        r = s.raw(share, go)
        if r is None:
            return
        st, data = r
        check(CANARY not in data and b"root:x:0:0" not in data,
              "outside data read through %r" % name)
        check(is_error(st), "opened (status 0x%08x)" % st)
        return status_note(st)
    return t


def raw_write_refused(s, share, name):
    def t():
        def go(c):
            st, fid = c.create(name, GENERIC_WRITE_ALL | GENERIC_READ_ALL,
                               FILE_OVERWRITE_IF, OPT_NON_DIRECTORY)
            if st:
                return st
            c.write(fid, b"escaped\n")
            c.close(fid)
            return 0
        st = s.raw(share, go)
        check(st is None or is_error(st), "created/opened for writing (0x%08x)" % (st or 0))
        return status_note(st)
    return t


def raw_mkdir_refused(s, share, name):
    def t():
        def go(c):
            st, fid = c.create(name, GENERIC_READ_ALL, FILE_CREATE, OPT_DIRECTORY)
            if not st:
                c.close(fid)
            return st
        st = s.raw(share, go)
        check(st is None or is_error(st), "directory created (0x%08x)" % (st or 0))
        return status_note(st)
    return t


def raw_delete_refused(s, share, name):
    def t():
        def go(c):
            st, fid = c.create(name, DELETE | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
                               FILE_OPEN, OPT_DELETE_ON_CLOSE)
            if not st:
                c.close(fid)
            return st
        st = s.raw(share, go)
        check(st is None or is_error(st), "opened for delete (0x%08x)" % (st or 0))
        if not name.startswith("..") and "\\" not in name:
            check(os.path.lexists(os.path.join(s.srv.share, name)), "%s was deleted" % name)
        return status_note(st)
    return t


def raw_rename_refused(s, share, target):
    def t():
        def go(c):
            st, fid = c.create("victim.txt", DELETE | GENERIC_READ_ALL)
            check(st == 0, "cannot open victim.txt: 0x%08x" % st)
            st = c.rename(fid, target)
            c.close(fid)
            return st
        st = s.raw(share, go)
        check(st is None or is_error(st), "renamed (0x%08x)" % (st or 0))
        check(os.path.isfile(os.path.join(s.srv.share, "victim.txt")), "victim.txt moved")
        return status_note(st)
    return t


def raw_link_refused(s, share, target):
    def t():
        def go(c):
            st, fid = c.create("victim.txt", GENERIC_READ_ALL | GENERIC_WRITE_ALL)
            check(st == 0, "cannot open victim.txt: 0x%08x" % st)
            st = c.rename(fid, target, replace=True, info_class=11)
            c.close(fid)
            return st
        st = s.raw(share, go)
        check(st is None or is_error(st), "hard link made (0x%08x)" % (st or 0))
        check(os.stat(os.path.join(s.srv.share, "victim.txt")).st_nlink == 1,
              "victim.txt has another link")
        return status_note(st)
    return t


def raw_list_dirlink_refused(s, share, name):
    def t():
        def go(c):
            st, fid = c.create(name, GENERIC_READ_ALL, FILE_OPEN, OPT_DIRECTORY)
            if st:
                return st, []
            st, names = c.list_dir(fid)
            c.close(fid)
            return 0, names
        r = s.raw(share, go)
        if r is None:
            return
        st, names = r
        check("canary" not in names, "the outside directory was listed: %s" % names)
        check(is_error(st), "opened (0x%08x)" % st)
        return status_note(st)
    return t


# In-share symlinks: readable with follow symlinks = yes, refused with no.
def in_share_links(s, share, allowed):
    def read_via(name):
        def go(c):
            st, fid = c.create(name, GENERIC_READ_ALL)
            if st:
                return st, b""
            st, data = c.read(fid)
            c.close(fid)
            return st, data
        return s.raw(share, go) or (None, b"")

    def t_file():
        st, data = read_via("link_in")
        if allowed:
            check(st == 0 and data == A_TXT, "link_in: 0x%08x %r" % (st or 0, data))
        else:
            check(st is None or is_error(st), "link_in opened (0x%08x)" % (st or 0))

    def t_dir():
        st, data = read_via("dirlink_in\\f.txt")
        if allowed:
            check(st == 0 and data == F_TXT, "dirlink_in\\f.txt: 0x%08x %r" % (st or 0, data))
        else:
            check(st is None or is_error(st), "dirlink_in\\f.txt opened (0x%08x)" % (st or 0))

    def t_smbclient():
        s.drop_all()
        rc, out = smbclient(s.srv, share, "get link_in got_in")
        p = os.path.join(s.srv.local, "got_in")
        data = b""
        if os.path.exists(p):
            with open(p, "rb") as f:
                data = f.read()
            os.unlink(p)
        if allowed:
            check(rc == 0 and "NT_STATUS_" not in out and data == A_TXT,
                  "get link_in (rc %d):\n%s" % (rc, out))
        else:
            check("NT_STATUS_" in out and data != A_TXT, "get link_in not refused:\n" + out)
            for bad in NOT_A_REFUSAL:
                check(bad not in out, "%s is not a refusal:\n%s" % (bad, out))

    def t_plain():
        # the share itself works: a plain file reads
        st, data = read_via("a.txt")
        check(st == 0 and data == A_TXT, "a.txt: 0x%08x %r" % (st or 0, data))
    return [("plain_file_" + share, t_plain), ("link_in_" + share, t_file),
            ("dirlink_in_" + share, t_dir), ("smbclient_link_in_" + share, t_smbclient)]


def controls(s, share):
    """The same operations inside the share work: the refusals above come
    from the name checks, not from an operation that fails anyway."""
    def t_write_delete():
        def go(c):
            st, fid = c.create("sub\\new.txt", GENERIC_WRITE_ALL | GENERIC_READ_ALL,
                               FILE_OVERWRITE_IF, OPT_NON_DIRECTORY)
            check(st == 0, "create sub\\new.txt: 0x%08x" % st)
            check(c.write(fid, b"new\n") == 0, "write failed")
            c.close(fid)
            with open(os.path.join(s.srv.share, "sub", "new.txt"), "rb") as f:
                check(f.read() == b"new\n", "sub/new.txt has other bytes")
            st, fid = c.create("sub\\new.txt", DELETE | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
                               FILE_OPEN, OPT_DELETE_ON_CLOSE)
            check(st == 0, "open for delete: 0x%08x" % st)
            c.close(fid)
            check(not os.path.exists(os.path.join(s.srv.share, "sub", "new.txt")),
                  "sub/new.txt not deleted")
        go(s.client(share))

    def t_mkdir_rename():
        def go(c):
            st, fid = c.create("sub\\newdir", GENERIC_READ_ALL, FILE_CREATE, OPT_DIRECTORY)
            check(st == 0, "mkdir sub\\newdir: 0x%08x" % st)
            c.close(fid)
            check(os.path.isdir(os.path.join(s.srv.share, "sub", "newdir")), "not on disk")
            os.rmdir(os.path.join(s.srv.share, "sub", "newdir"))
            st, fid = c.create("victim.txt", DELETE | GENERIC_READ_ALL)
            check(st == 0, "open victim.txt: 0x%08x" % st)
            st = c.rename(fid, "sub\\victim2.txt")
            c.close(fid)
            check(st == 0, "rename to sub\\victim2.txt: 0x%08x" % st)
            check(os.path.isfile(os.path.join(s.srv.share, "sub", "victim2.txt")), "not moved")
            st, fid = c.create("sub\\victim2.txt", DELETE | GENERIC_READ_ALL)
            check(st == 0, "open sub\\victim2.txt: 0x%08x" % st)
            st = c.rename(fid, "victim.txt")
            c.close(fid)
            check(st == 0 and os.path.isfile(os.path.join(s.srv.share, "victim.txt")),
                  "rename back: 0x%08x" % st)
        go(s.client(share))     # a dropped connection fails here
    return [("control_write_delete_" + share, t_write_delete),
            ("control_mkdir_rename_" + share, t_mkdir_rename)]


def shown(name):
    """A name for the report: ASCII, escapes for the rest, not too long."""
    text = "".join(ch if " " <= ch < "\x7f" else "\\u%04x" % ord(ch) for ch in name)
    return text if len(text) <= 60 else "%s...(%d chars)" % (text[:40], len(name))


def run_suite(s):
    for share in ("nofollow", "follow"):
        for name, fn in in_share_links(s, share, share == "follow") + controls(s, share):
            s.run(name, fn)
        for cmd in SMBCLIENT_REFUSED:
            s.run("smbclient_%s[%s]" % (share, shown(cmd)), smbclient_refused(s, share, cmd))
        for n in RAW_READ_REFUSED:
            s.run("raw_read_%s[%s]" % (share, shown(n)), raw_read_refused(s, share, n))
        for n in RAW_WRITE_REFUSED:
            s.run("raw_write_%s[%s]" % (share, shown(n)), raw_write_refused(s, share, n))
        for n in RAW_MKDIR_REFUSED:
            s.run("raw_mkdir_%s[%s]" % (share, shown(n)), raw_mkdir_refused(s, share, n))
        for n in RAW_DELETE_REFUSED:
            s.run("raw_delete_%s[%s]" % (share, shown(n)), raw_delete_refused(s, share, n))
        for n in RAW_RENAME_TARGETS_REFUSED:
            s.run("raw_rename_%s[%s]" % (share, shown(n)), raw_rename_refused(s, share, n))
        for n in RAW_LINK_TARGETS_REFUSED:
            s.run("raw_hardlink_%s[%s]" % (share, shown(n)), raw_link_refused(s, share, n))
        for n in ("dirlink_out", "dirlink_out_abs", "..", "sub\\..\\.."):
            s.run("raw_listdir_%s[%s]" % (share, shown(n)), raw_list_dirlink_refused(s, share, n))


def main():
    status = smbdtest.not_ready()
    if status is not None:
        return status

    def on_alarm(*_):
        raise TimeoutError("test_escape: over %d s" % DEADLINE_S)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(DEADLINE_S)
    root = tempfile.mkdtemp(prefix="smbd-escape-", dir=TEST_DIR)
    srv = None
    passed = failed = 0
    try:
        srv = Server(root)
        srv.build_tree()
        srv.start()
        s = Suite(srv)
        try:
            run_suite(s)
        finally:
            passed, failed = s.passed, s.failed
    except (AssertionError, TimeoutError, OSError) as e:
        print("FAIL setup: %s" % e)
        failed += 1
    finally:
        signal.alarm(0)
        if srv:
            srv.stop()
            if failed:
                for name in ("mountd", "smbd-user"):
                    print("--- %s log (tail) ---\n%s" % (name, srv.log(name)[-3000:]))
        shutil.rmtree(root, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
