#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tree connect policy and guest sessions, seen by a real client.

ksmbd.mountd runs in user mode with the data path (kmod/smbd-user) and a
configuration with one share per rule; smbclient then shows, one test per
rule, that sessions are allowed or refused exactly as the share says:
valid users, invalid users, read list, write list, hosts allow, guest ok,
map to guest = bad user, "@group" in valid users, and supplementary groups
in file access. Each test checks what really happened: the file on disk
(and its owner) after a put, the bytes of a get, the client's error.

As root (CI) the test creates two unix users and two groups, removed at
the end; without root those parts are skipped with a message and the
database users run as the guest account.

Run from the build directory. Environment: MOUNTD, SMBD_USER, ADDUSER,
SMBCLIENT. Prints "N passed, M failed"; exits 1 on any failure, 77 (skip)
when smbclient is missing.
"""

import os
import pwd
import random
import grp
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True   # make distcheck: the source tree is read-only
from smbdtest import SMBCLIENT, Server, Tally, run_client  # noqa: E402

TIMEOUT_S = 60
TAG = "%04x" % random.randrange(0x10000)
ALICE, BOB = "smbpa" + TAG, "smbpb" + TAG
GROUP_VALID, GROUP_SUPPL = "smbpg" + TAG, "smbps" + TAG
PASSWORD = {ALICE: "alice-pass", BOB: "bob-pass"}
GUEST = "nobody"
AS_ROOT = os.geteuid() == 0

CONF = """[global]
\tserver mode = user
\tnetbios name = POLSRV
\tbind interfaces only = yes
\tinterfaces = 127.0.0.1
\tguest account = {guest}
\tmap to guest = bad user
[valid]
\tpath = {root}/valid
\tread only = no
\tvalid users = {alice}
[invalid]
\tpath = {root}/invalid
\tread only = no
\tinvalid users = {bob}
[readlist]
\tpath = {root}/readlist
\tread only = no
\tread list = {alice}
[writelist]
\tpath = {root}/writelist
\tread only = yes
\twrite list = {alice}
[hostsok]
\tpath = {root}/hostsok
\thosts allow = 127.0.0.1
[hostsno]
\tpath = {root}/hostsno
\thosts allow = 10.0.0.1
\thosts deny = ALL
[hostsloop]
\tpath = {root}/hostsloop
\thosts allow = 10.0.0.1
[public]
\tpath = {root}/public
\tread only = no
\tguest ok = yes
[private]
\tpath = {root}/private
\tread only = no
[guestonly]
\tpath = {root}/guestonly
\tread only = no
\tguest ok = yes
\tguest only = yes
[groupvalid]
\tpath = {root}/groupvalid
\tread only = no
\tvalid users = @{gvalid}
[suppl]
\tpath = {root}/suppl
\tread only = yes
"""

SHARES = ("valid", "invalid", "readlist", "writelist", "hostsok", "hostsno", "hostsloop",
          "public", "private", "guestonly", "groupvalid", "suppl")

TALLY = Tally()
result = TALLY.result


def skip(name, why):
    print("SKIP %s: %s" % (name, why))


def sh(argv):
    r = subprocess.run(argv, capture_output=True)
    if r.returncode:
        raise AssertionError("%s: %r" % (" ".join(argv), r.stdout + r.stderr))


def make_accounts():
    """Unix users and groups (root only): alice in both groups, bob in none."""
    sh(["groupadd", GROUP_VALID])
    sh(["groupadd", GROUP_SUPPL])
    sh(["useradd", "-M", "-N", "-g", "nogroup", "-s", "/usr/sbin/nologin",
        "-G", "%s,%s" % (GROUP_VALID, GROUP_SUPPL), ALICE])
    sh(["useradd", "-M", "-N", "-g", "nogroup", "-s", "/usr/sbin/nologin", BOB])


def remove_accounts():
    for argv in (["userdel", ALICE], ["userdel", BOB], ["groupdel", GROUP_VALID],
                 ["groupdel", GROUP_SUPPL]):
        subprocess.run(argv, capture_output=True)


def make_tree(root):
    """One directory per share, and the files some tests read."""
    for s in SHARES:
        os.makedirs(os.path.join(root, s))
        os.chmod(os.path.join(root, s), 0o777)
    for s in ("readlist", "suppl", "hostsok"):
        with open(os.path.join(root, s, "data.txt"), "w") as f:
            f.write("%s contents\n" % s)
        os.chmod(os.path.join(root, s, "data.txt"), 0o644)
    secret = os.path.join(root, "suppl", "secret.txt")
    with open(secret, "w") as f:
        f.write("for the group only\n")
    os.chmod(secret, 0o640)
    if AS_ROOT:
        os.chown(secret, 0, grp.getgrnam(GROUP_SUPPL).gr_gid)
        # the directory stays listable; the file is the group's alone
        os.chmod(os.path.join(root, "suppl"), 0o755)


class Client:
    def __init__(self, root, port):
        self.root, self.port = root, port
        self.local = os.path.join(root, "local")
        os.makedirs(self.local, exist_ok=True)

    def run(self, share, creds, cmd, proto="SMB3_11", extra=()):
        """smbclient as creds ("user%pass", "%" for anonymous, None for
        -N); rc, output."""
        argv = [SMBCLIENT, "//127.0.0.1/" + share, "-p", str(self.port), "-m", proto,
                "-c", cmd] + list(extra)
        argv += ["-N"] if creds is None else ["-U", creds]
        return run_client(argv, self.root, TIMEOUT_S, cwd=self.local)

    def put(self, share, creds, name, proto="SMB3_11"):
        src = os.path.join(self.local, name)
        with open(src, "w") as f:
            f.write("written by %s\n" % creds.split("%")[0])
        return self.run(share, creds, "put %s" % name, proto)

    def get(self, share, creds, name):
        dst = os.path.join(self.local, "got-" + name)
        if os.path.exists(dst):
            os.unlink(dst)
        rc, out = self.run(share, creds, "get %s got-%s" % (name, name))
        data = None
        if os.path.exists(dst):
            with open(dst) as f:
                data = f.read()
        return rc, out, data


def creds(user):
    return "%s%%%s" % (user, PASSWORD[user])


def refused(rc, out):
    return rc != 0 and ("NT_STATUS_ACCESS_DENIED" in out or
                        "NT_STATUS_BAD_NETWORK_NAME" in out)


def owner(path):
    return os.stat(path).st_uid


def uid_of(name):
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        return None


def t_valid_users(c, root):
    path = os.path.join(root, "valid", "a.txt")
    rc, out = c.put("valid", creds(ALICE), "a.txt")
    ok = rc == 0 and os.path.exists(path)
    if ok and AS_ROOT:
        ok = owner(path) == uid_of(ALICE)
    result("valid users: a listed user writes", ok, out)
    rc, out = c.put("valid", creds(BOB), "b.txt")
    result("valid users: another user is refused",
           refused(rc, out) and "tree connect failed" in out and
           not os.path.exists(os.path.join(root, "valid", "b.txt")), out)


def t_invalid_users(c, root):
    rc, out = c.run("invalid", creds(BOB), "ls")
    result("invalid users: the listed user is refused",
           refused(rc, out) and "tree connect failed" in out, out)
    rc, out = c.put("invalid", creds(ALICE), "a.txt")
    result("invalid users: others get in",
           rc == 0 and os.path.exists(os.path.join(root, "invalid", "a.txt")), out)


def t_read_list(c, root):
    rc, out, data = c.get("readlist", creds(ALICE), "data.txt")
    result("read list: the listed user reads", rc == 0 and data == "readlist contents\n",
           out)
    rc, out = c.put("readlist", creds(ALICE), "a.txt")
    result("read list: the listed user cannot write",
           rc != 0 and "NT_STATUS_ACCESS_DENIED" in out and
           not os.path.exists(os.path.join(root, "readlist", "a.txt")), out)
    rc, out = c.run("readlist", creds(ALICE), "rm data.txt")
    result("read list: the listed user cannot delete",
           "NT_STATUS_ACCESS_DENIED" in out and
           os.path.exists(os.path.join(root, "readlist", "data.txt")), out)
    rc, out = c.put("readlist", creds(BOB), "b.txt")
    result("read list: others still write",
           rc == 0 and os.path.exists(os.path.join(root, "readlist", "b.txt")), out)


def t_write_list(c, root):
    rc, out = c.put("writelist", creds(ALICE), "a.txt")
    result("write list: the listed user writes on a read-only share",
           rc == 0 and os.path.exists(os.path.join(root, "writelist", "a.txt")), out)
    rc, out = c.put("writelist", creds(BOB), "b.txt")
    result("write list: others cannot write there",
           rc != 0 and "NT_STATUS_ACCESS_DENIED" in out and
           not os.path.exists(os.path.join(root, "writelist", "b.txt")), out)


def t_hosts_allow(c, root):
    """hosts allow with the loopback client; Samba lets 127.0.0.1 in unless
    a hosts deny matches it, so the refusing share also says hosts deny."""
    rc, out, data = c.get("hostsok", creds(ALICE), "data.txt")
    result("hosts allow: 127.0.0.1 listed, allowed",
           rc == 0 and data == "hostsok contents\n", out)
    rc, out = c.run("hostsno", creds(ALICE), "ls")
    result("hosts allow: 127.0.0.1 not listed, hosts deny = ALL: refused",
           refused(rc, out) and "tree connect failed" in out, out)
    # smb.conf(5): localhost is allowed unless a hosts deny names it
    rc, out = c.run("hostsloop", creds(ALICE), "ls")
    result("hosts allow: 127.0.0.1 not listed, no hosts deny: allowed (as Samba)",
           rc == 0, out)


def t_guest_ok(c, root):
    path = os.path.join(root, "public", "anon.txt")
    rc, out = c.put("public", "%", "anon.txt")
    ok = rc == 0 and os.path.exists(path)
    if ok and AS_ROOT:
        ok = owner(path) == uid_of(GUEST)
    result("guest ok: an anonymous session writes as the guest account", ok, out)
    rc, out = c.run("public", "%", "ls", proto="SMB2_10")
    result("guest ok: anonymous over SMB 2.1 too", rc == 0 and "anon.txt" in out, out)
    rc, out = c.run("private", "%", "ls")
    result("guest ok: anonymous refused on a share without it",
           refused(rc, out) and "tree connect failed" in out, out)
    # -N: the unix user name (root, unknown here) without a password
    rc, out = c.run("public", None, "ls", extra=["--user=nosuchuser"])
    result("guest ok: smbclient -N gets in as the guest", rc == 0 and "anon.txt" in out,
           out)
    # MS-SMB2 3.2.5.3.1: a guest session (not an anonymous one) has no
    # key; a client that must sign gives up rather than run unsigned
    rc, out = c.run("public", "stranger%whatever", "ls",
                    extra=["--client-protection=sign"])
    result("guest: a client that requires signing refuses the guest session",
           rc != 0 and "anon.txt" not in out, out)


def t_guest_only(c, root):
    path = os.path.join(root, "guestonly", "a.txt")
    rc, out = c.put("guestonly", creds(ALICE), "a.txt")
    ok = rc == 0 and os.path.exists(path)
    if ok and AS_ROOT:
        ok = owner(path) == uid_of(GUEST)
    result("guest only: a user's files there belong to the guest account", ok, out)


def t_map_to_guest(c, root):
    path = os.path.join(root, "public", "stranger.txt")
    rc, out = c.put("public", "stranger%whatever", "stranger.txt")
    ok = rc == 0 and os.path.exists(path)
    if ok and AS_ROOT:
        ok = owner(path) == uid_of(GUEST)
    result("map to guest = bad user: an unknown user lands as the guest", ok, out)
    rc, out = c.run("private", "stranger%whatever", "ls")
    result("map to guest = bad user: the guest stays out of other shares",
           refused(rc, out), out)
    rc, out = c.run("public", "%s%%wrong" % ALICE, "ls")
    result("a known user's bad password is not mapped to the guest",
           rc != 0 and "NT_STATUS_LOGON_FAILURE" in out, out)


def t_group_valid_users(c, root):
    if not AS_ROOT:
        skip("valid users = @group", "needs root to create a unix group")
        return
    rc, out = c.put("groupvalid", creds(ALICE), "a.txt")
    result("valid users = @group: a member writes",
           rc == 0 and os.path.exists(os.path.join(root, "groupvalid", "a.txt")), out)
    rc, out = c.run("groupvalid", creds(BOB), "ls")
    result("valid users = @group: a non-member is refused",
           refused(rc, out) and "tree connect failed" in out, out)


def t_supplementary_groups(c, root):
    if not AS_ROOT:
        skip("supplementary groups", "needs root to create a unix group")
        return
    rc, out, data = c.get("suppl", creds(ALICE), "secret.txt")
    result("supplementary groups: a group-only file is readable by a member",
           rc == 0 and data == "for the group only\n", out)
    rc, out, data = c.get("suppl", creds(BOB), "secret.txt")
    result("supplementary groups: not by a non-member",
           rc != 0 and "NT_STATUS_ACCESS_DENIED" in out and data is None, out)


def main():
    if not shutil.which(SMBCLIENT):
        print("%s missing: skipped" % SMBCLIENT)
        return 77
    if not AS_ROOT:
        print("not root: unix users and groups are not created; "
              "the @group and supplementary group tests are skipped")
    root = tempfile.mkdtemp(prefix="smbd-policy-", dir="/var/tmp")
    server = None
    try:
        if AS_ROOT:
            make_accounts()
        make_tree(root)
        server = Server(root, CONF, users=PASSWORD.items(), supervised=True,
                        fields=dict(alice=ALICE, bob=BOB, guest=GUEST, gvalid=GROUP_VALID),
                        start_timeout=20, stop_timeout=15)
        server.start()
        c = Client(root, server.port)
        for t in (t_valid_users, t_invalid_users, t_read_list, t_write_list,
                  t_hosts_allow, t_guest_ok, t_guest_only, t_map_to_guest, t_group_valid_users,
                  t_supplementary_groups):
            t(c, root)
    finally:
        if server:
            server.stop()
        if TALLY.failed or os.environ.get("SMBD_TEST_KEEP"):
            log = os.path.join(root, "mountd.log")
            if os.path.exists(log):
                with open(log) as f:
                    print("--- mountd.log (tail)\n" + "".join(f.readlines()[-60:]))
        if AS_ROOT:
            remove_accounts()
        shutil.rmtree(root, ignore_errors=True)
    return TALLY.summary()


if __name__ == "__main__":
    sys.exit(main())
