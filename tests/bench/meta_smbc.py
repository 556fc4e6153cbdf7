#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Metadata workload for run-bench, over one libsmbclient connection.

Reads its settings as JSON from $BENCH_ARGS: port, share, user, password,
n (files), dir (a directory to make on the share) and local (where that
directory is on the server's disk, to check each phase). Times four
phases over the same n names: create+close (empty files), stat, rename,
delete. Prints one JSON line: {"create": s, "stat": s, "rename": s,
"delete": s} or {"error": "..."}. Needs python3-smbc (/usr/bin/python3);
libsmbclient reads $HOME/.smb/smb.conf, which run-bench writes.
"""

import json
import os
import sys
import time


def main():
    import smbc
    a = json.loads(os.environ["BENCH_ARGS"])
    n, local = a["n"], a["local"]
    base = "smb://127.0.0.1:%d/%s/%s" % (a["port"], a["share"], a["dir"])
    ctx = smbc.Context(auth_fn=lambda srv, shr, wg, user, pw:
                       ("WORKGROUP", a["user"], a["password"]))
    names = ["f%06d.txt" % i for i in range(n)]
    moved = ["r%06d.txt" % i for i in range(n)]
    times = {}

    def check(cond, what):
        if not cond:
            raise RuntimeError(what)

    ctx.mkdir(base, 0o755)      # also makes the connection: not timed

    t0 = time.monotonic()
    for nm in names:
        f = ctx.open(base + "/" + nm, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        f.close()
    times["create"] = time.monotonic() - t0
    check(sorted(os.listdir(local)) == names, "create: the server's disk differs")

    t0 = time.monotonic()
    for nm in names:
        st = ctx.stat(base + "/" + nm)
        check(st[6] == 0, "stat %s: size %d" % (nm, st[6]))
    times["stat"] = time.monotonic() - t0

    t0 = time.monotonic()
    for old, new in zip(names, moved):
        ctx.rename(base + "/" + old, base + "/" + new)
    times["rename"] = time.monotonic() - t0
    check(sorted(os.listdir(local)) == moved, "rename: the server's disk differs")

    t0 = time.monotonic()
    for nm in moved:
        ctx.unlink(base + "/" + nm)
    times["delete"] = time.monotonic() - t0
    check(os.listdir(local) == [], "delete: files left on the server's disk")

    ctx.rmdir(base)
    check(not os.path.exists(local), "rmdir: directory left on the server's disk")
    print(json.dumps(times))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:      # the parent reports it
        print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}))
        sys.exit(1)
