#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The DCE/RPC services of ksmbd.mountd, reached the way clients reach them:
named pipes on IPC$ through the data path (kmod/smbd-user), driven by
smbclient -L, rpcclient and impacket.

Checks (issue 4's bar): smbclient -L on SMB 2.1 and 3.1.1 lists the shares
with their comments; rpcclient srvinfo, netshareenumall, netsharegetinfo
(levels 1, 2, 502, 1005), lsaquery, lookupnames,
lookupsids, enumdomains, enumdomusers, queryuser, querydominfo,
getusrdompwinfo and dsroledominfo print the configured values; impacket
lists the shares (srvsvc NetrShareEnum), resolves the user's SID (lsarpc
LookupSids) and reads the workstation info (wkssvc NetrWkstaGetInfo 100:
rpcclient's wkssvc_wkstagetinfo prints nothing at that level) over SMB 2.1.

Run from the build directory. Environment: MOUNTD, SMBD_USER, ADDUSER,
SMBCLIENT, RPCCLIENT. Prints "N passed, M failed"; exits 1 on any failure,
77 (skip) when smbclient or rpcclient is missing.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True   # make distcheck: the source tree is read-only
from smbdtest import SMBCLIENT, Server, Tally, run_client  # noqa: E402

RPCCLIENT = os.environ.get("RPCCLIENT", "rpcclient")
SYS_PYTHON = "/usr/bin/python3"   # where Debian's python3-impacket is
USER, PASSWORD = "rpcuser", "rpc-pass"
NETBIOS = "RPCSRV"
TIMEOUT_S = 60

CONF = """[global]
\tserver mode = user
\tnetbios name = {nb}
\tworkgroup = RPCGROUP
\tserver string = smbd-ng rpc test
\tbind interfaces only = yes
\tinterfaces = 127.0.0.1
[share]
\tpath = {share}
\tcomment = Shared files
\tread only = no
[docs]
\tpath = {root}/docs
\tcomment = Documents
\tread only = yes
"""

IMPACKET = r"""
import sys
from impacket.smbconnection import SMBConnection
from impacket.smb import SMB_DIALECT
from impacket.dcerpc.v5 import transport, srvs, lsat, lsad, wkst
from impacket.dcerpc.v5.dtypes import MAXIMUM_ALLOWED

port, user, pw, sid = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
conn = SMBConnection("127.0.0.1", "127.0.0.1", sess_port=port,
                     preferredDialect=0x0210)
conn.login(user, pw)
for name in [s["shi1_netname"][:-1] for s in conn.listShares()]:
    print("share:" + name)
t = transport.SMBTransport("127.0.0.1", port, r"\lsarpc", smb_connection=conn)
dce = t.get_dce_rpc()
dce.connect()
dce.bind(lsat.MSRPC_UUID_LSAT)
pol = lsad.hLsarOpenPolicy2(dce, MAXIMUM_ALLOWED | lsat.POLICY_LOOKUP_NAMES)["PolicyHandle"]
r = lsat.hLsarLookupSids(dce, pol, [sid], lsat.LSAP_LOOKUP_LEVEL.LsapLookupWksta)
for n in r["TranslatedNames"]["Names"]:
    print("name:" + str(n["Name"]))
dce.disconnect()
t = transport.SMBTransport("127.0.0.1", port, r"\wkssvc", smb_connection=conn)
dce = t.get_dce_rpc()
dce.connect()
dce.bind(wkst.MSRPC_UUID_WKST)
r = wkst.hNetrWkstaGetInfo(dce, 100)
print("wksta:" + str(r["WkstaInfo"]["WkstaInfo100"]["wki100_computername"]))
print("domain:" + str(r["WkstaInfo"]["WkstaInfo100"]["wki100_langroup"]))
dce.disconnect()
conn.logoff()
"""

TALLY = Tally()
result = TALLY.result


def run(argv, root):
    return run_client(argv, root, TIMEOUT_S)


def rpc(port, root, cmd):
    return run([RPCCLIENT, "-p", str(port), "127.0.0.1", "-U",
                "%s%%%s" % (USER, PASSWORD), "-c", cmd], root)


def main():
    for tool in (SMBCLIENT, RPCCLIENT):
        if not shutil.which(tool):
            print("%s missing: skipped" % tool)
            return 77
    root = tempfile.mkdtemp(prefix="smbd-rpc-", dir="/var/tmp")
    os.makedirs(os.path.join(root, "docs"))
    server = None
    try:
        server = Server(root, CONF, users=[(USER, PASSWORD)], fields={"nb": NETBIOS},
                        supervised=True, start_timeout=20, stop_timeout=15)
        server.start()
        port = server.port

        for proto in ("SMB2_10", "SMB3_11"):
            rc, out = run([SMBCLIENT, "-L", "//127.0.0.1", "-p", str(port), "-m", proto,
                           "-U", "%s%%%s" % (USER, PASSWORD)], root)
            result("smbclient -L %s" % proto,
                   rc == 0 and re.search(r"share\s+Disk\s+Shared files", out) and
                   re.search(r"docs\s+Disk\s+Documents", out) and "IPC$" in out, out)

        checks = [
            ("srvinfo", [NETBIOS, "smbd-ng rpc test"]),
            ("netshareenumall", ["netname: share", "remark:\tShared files",
                                 "netname: docs"]),
            ("netsharegetinfo share 1", ["netname: share", "remark:\tShared files"]),
            ("netsharegetinfo share 2", ["netname: share", "path:"]),
            ("netsharegetinfo share 502", ["netname: share"]),
            ("netsharegetinfo share 1005", ["flags:"]),
            # a standalone server's primary domain is the workgroup, no SID
            ("lsaquery", ["Domain Name: RPCGROUP"]),
            ("enumdomains", ["name:[%s]" % NETBIOS, "name:[Builtin]"]),
            ("enumdomusers", ["user:[%s]" % USER]),
            ("querydominfo", ["Domain:", "Total Users:"]),
            ("dsroledominfo", ["Machine Role"]),
        ]
        for cmd, wants in checks:
            rc, out = rpc(port, root, cmd)
            missing = [w for w in wants if w.lower() not in out.lower()]
            result("rpcclient " + cmd, rc == 0 and not missing,
                   "missing %r in:\n%s" % (missing, out))

        rc, out = rpc(port, root, "lookupnames %s" % USER)
        m = re.search(r"%s (S-1-5-21-[0-9-]+) \(User: 1\)" % USER, out)
        result("rpcclient lookupnames", rc == 0 and m is not None, out)
        sid = m.group(1) if m else "S-1-5-21-1-2-3-1000"
        rid = sid.rsplit("-", 1)[1]
        rc, out = rpc(port, root, "lookupsids %s" % sid)
        result("rpcclient lookupsids", rc == 0 and USER in out, out)
        rc, out = rpc(port, root, "lookupsids S-1-1-0 S-1-5-21-1-2-3-4")
        result("rpcclient lookupsids (one unmapped)", "Everyone" in out, out)
        rc, out = rpc(port, root, "queryuser %s" % rid)
        result("rpcclient queryuser", rc == 0 and ("User Name   :\t%s" % USER) in out, out)
        rc, out = rpc(port, root, "getusrdompwinfo %s" % rid)
        result("rpcclient getusrdompwinfo", rc == 0 and "NT_STATUS" not in out, out)

        if os.path.exists(SYS_PYTHON) and subprocess.run(
                [SYS_PYTHON, "-c", "import impacket"], capture_output=True).returncode == 0:
            rc, out = run([SYS_PYTHON, "-c", IMPACKET, str(port), USER, PASSWORD, sid], root)
            result("impacket shares, LookupSids, NetrWkstaGetInfo",
                   rc == 0 and "share:share" in out and "share:docs" in out and
                   ("name:" + USER) in out and ("wksta:" + NETBIOS) in out and
                   "domain:RPCGROUP" in out, out)
        else:
            result("impacket shares and LookupSids", False, "python3-impacket missing")
    finally:
        if server:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
    return TALLY.summary()


if __name__ == "__main__":
    sys.exit(main())
