#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/vm/vm-ksmbd.sh: our copy of shared/tools/vm-ksmbd-ref.sh, plus OURS=DIR (our ksmbd.mountd in the guest)
# and the `check` command (see tests/vm/README.md).
#
# OURS=DIR: DIR holds OUR built ksmbd.mountd, ksmbd.adduser and ksmbd.addshare (configured with
#   --prefix=/usr --sysconfdir=/etc --runstatedir=/run so that their default paths are the guest's). The config
#   and the user database are made on the host with our ksmbd.addshare / ksmbd.adduser and put into the
#   initramfs; our ksmbd.mountd (with its shared libraries from ldd) replaces Debian's ksmbd-tools and runs
#   with `server mode = ${MODE:-kernel}`. The payload_sz shim is not used (our daemon fills payload_sz).
#   Its log is /tmp/mountd.log in the guest (`exec 'cat /tmp/mountd.log'`).
# KMOD=FILE: load FILE (our ksmbd.ko) instead of the in-tree module (which is then never loaded); its depends= and
#   softdep pre: modules are resolved with modprobe --show-depends and loaded at boot; no kprobe fix, no payload_sz
#   shim. The guest's /bin/ksmbd-up (re)loads the module and starts the daemon; /bin/cifs-load loads cifs.ko + deps.
#   tests/vm/vm-test.sh (smoke, suite) drives this script.
# check DIR: start a VM with OURS=DIR, then from the host: smbclient ls; put FILE; get FILE and compare
#   the sha256 of what came back with what was sent; stop the VM. Exit 0 only if all of it worked.
#
# Boot Debian's kernel under qemu (TCG) with the in-tree reference ksmbd.ko and Debian's ksmbd-tools 3.4.7,
# serving share cifsd-test3 (user testuser%1234) on 127.0.0.1:${PORT:-10445} of this machine.
# usage: vm-ksmbd.sh [start|stop|exec 'CMD'|wipe|check DIR]
# needs: apt-get install qemu-system-x86 linux-image-amd64 linux-headers-amd64 busybox-static cpio e2fsprogs (ksmbd-tools is fetched with apt-get download).
#   exec: run CMD in the guest (root sh behind $W/shell.sock) and print its output; wipe: rm -rf the share's contents
#   (ksmbd's CI runs `rm -rf /mnt/test3/*` between smbtorture tests; see torture notes in the report).
# env: KV (guest kernel, 6.1.0-56-amd64; /boot/vmlinuz-KV and /lib/modules/KV must exist), PORT (10446), KDEBUG=1 (ksmbd debug prints + mountd -v), VMQUIET (kernel cmdline, default "quiet"),
#      VMFWD (extra -netdev user options, e.g. hostfwd=tcp:127.0.0.1:10447-:5001 for raw TCP tests with busybox nc),
#      SHAREFS=ext4|tmpfs (default ext4 on a virtio disk; tmpfs on 6.1 has no user.* xattrs, so no streams/DOS attrs),
#      SHARESIZE (ext4 image size, default 4G), VMMEM (MiB, 2048), VMCPUS (2)
# Guest shell: a root sh (no tty) reads commands from a virtio-serial port behind the unix socket $W/shell.sock.
#
# Three problems in Debian 6.1.0-56-amd64 (linux 6.1.192-2) + ksmbd-tools 3.4.7 are worked around here:
#  1. IPC ABI: the kernel's ipc_validate_msg() (backport "ksmbd: validate response sizes in ipc_validate_msg()")
#     needs ksmbd_share_config_response.payload_sz (offset 528, was reserved[111]); ksmbd-tools only fills it in
#     from 3.5.2 on. With 3.4.7 every share-config reply is dropped, share lookup fails and TREE_CONNECT fails
#     (BAD_NETWORK_NAME on the wire; smbclient shows ACCESS_DENIED because that error reply also fails its
#     signature check). Fix: LD_PRELOAD shim for ksmbd.mountd that fills payload_sz into outgoing replies.
#  2. Kernel oops: smb2_open() calls opinfo_put(opinfo) even when no oplock/lease was granted (opinfo == NULL,
#     e.g. every directory open); 6.1's opinfo_put() has no NULL check -> NULL deref, connection hangs.
#     Fix: tiny kprobe module (built against the installed linux-headers) that makes opinfo_put(NULL) return.
#  3. If the share path is itself a mount point, this ksmbd lists the directory *under* the mount for the share
#     root (QUERY_DIRECTORY on "\" shows only the covered mountpoint's entries) while opens by name go into the
#     mounted fs. So the share is a subdirectory (/srv/share) of the mounted fs, as in ksmbd's CI (/mnt/test3).
# Not worked around (measured 2026-11-23): this ksmbd corrupts ksmbd_inode->m_fp_list under some
# smbtorture tests (list_add/list_del corruption, soft lockups, GPF); after a kernel error reboot the VM.
# "durable handles = yes" is not a ksmbd-tools 3.4.7 option (ignored); 6.1 ksmbd grants no durable handles.
set -eu
# The guest kernel: the one the module under test was built for (its
# vermagic), else the newest installed Debian amd64 kernel image.
if [ -z "${KV:-}" ] && [ -n "${KMOD:-}" ] && [ -f "$KMOD" ]; then
	KV=$(modinfo -F vermagic "$KMOD" 2>/dev/null | cut -d' ' -f1)
fi
if [ -z "${KV:-}" ]; then
	KV=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sed 's|/boot/vmlinuz-||' | sort -V | tail -n 1)
fi
KV=${KV:-6.1.0-56-amd64}; K=/lib/modules/$KV/kernel; W=${VMDIR:-/tmp/vmksmbd}; PORT=${PORT:-10446}; SHAREFS=${SHAREFS:-ext4}
OURS=${OURS:-}; KMOD=${KMOD:-}
[ -z "$KMOD" ] || KMOD=$(readlink -f "$KMOD")
if [ "${1:-start}" = check ]; then
  D=$(cd "${2:?usage: vm-ksmbd.sh check DIR}" && pwd); H=$(mktemp -d /tmp/vmcheck.XXXXXX); rc=1
  trap '"$0" stop >/dev/null 2>&1 || true; rm -rf "$H"' EXIT
  OURS=$D "$0" start || exit 1
  head -c 3000000 /dev/urandom > "$H/payload.bin"
  ( cd "$H" && timeout 120 smbclient //127.0.0.1/share -p "$PORT" -U testuser%1234 -m SMB3 \
      -c 'ls; put payload.bin; get payload.bin back.bin; ls' ) 2>&1 | tee "$H/smbclient.log"
  echo "--- smbclient -L (share list over srvsvc; not part of the verdict)"
  timeout 60 smbclient -L //127.0.0.1 -p "$PORT" -U testuser%1234 -m SMB3 2>&1 | head -20 || true
  a=$(sha256sum < "$H/payload.bin"); b=$(sha256sum < "$H/back.bin" 2>/dev/null || true)
  echo "sent     ${a%% *}"; echo "received ${b%% *}"
  echo "--- guest: mountd log"; "$0" exec 'cat /tmp/mountd.log' | tail -20
  [ "$a" = "$b" ] && grep -q payload.bin "$H/smbclient.log" && rc=0
  [ $rc = 0 ] && echo "vm-check: OK" || echo "vm-check: FAILED"
  exit $rc
fi
if [ "${1:-start}" = stop ]; then kill "$(cat $W/qemu.pid)"; exit 0; fi
if [ "${1:-start}" = wipe ]; then set -- exec 'rm -rf /srv/share/* /srv/share/.[!.]* 2>/dev/null; sync; ls -A /srv/share | wc -l'; fi
if [ "${1:-start}" = exec ]; then
  exec python3 - "$W/shell.sock" "$2" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(1)
tag = "__END_%d__" % time.time_ns()
s.sendall((sys.argv[2] + "\necho " + tag + "\n").encode())
buf = b""; t = time.time()
while time.time() - t < 600 and tag.encode() not in buf:
    try:
        d = s.recv(65536)
    except socket.timeout:
        continue
    if not d: break
    buf += d
sys.stdout.write(buf.decode(errors="replace").replace("\r", "").split(tag)[0])
PY
fi
t0=$(date +%s.%N)
rm -rf $W; mkdir -p $W/root/{bin,sbin,proc,sys,dev,tmp,etc/ksmbd,srv,lib/mods,lib64,lib/x86_64-linux-gnu,usr/sbin,usr/libexec,run} $W/build/kfix
B=$W/build

# --- 1. ksmbd-tools 3.4.7 <-> kernel ABI shim (payload_sz in KSMBD_EVENT_SHARE_CONFIG_RESPONSE) ---
cat > $B/ksmbd-payload-sz.c <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#define EV_SHARE_CONFIG_RESPONSE 7	/* genl cmd == nla type == KSMBD_EVENT_SHARE_CONFIG_RESPONSE */
#define RESP_FIXED 536			/* sizeof(struct ksmbd_share_config_response) */
#define PAYLOAD_SZ_OFF 528		/* offsetof(..., payload_sz); reserved[111] in 3.4.7 */
static void fix(void *buf, size_t len)
{
	struct nlmsghdr *nh = buf;
	struct genlmsghdr *g;
	struct nlattr *a;
	uint32_t *psz;

	if (!buf || len < NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN + RESP_FIXED || nh->nlmsg_type == GENL_ID_CTRL)
		return;
	g = NLMSG_DATA(nh);
	if (g->cmd != EV_SHARE_CONFIG_RESPONSE || g->version != 1)
		return;
	a = (struct nlattr *)((char *)g + GENL_HDRLEN);
	if (a->nla_type != EV_SHARE_CONFIG_RESPONSE || a->nla_len < NLA_HDRLEN + RESP_FIXED ||
	    NLMSG_HDRLEN + GENL_HDRLEN + a->nla_len > len)
		return;
	psz = (uint32_t *)((char *)a + NLA_HDRLEN + PAYLOAD_SZ_OFF);
	if (*psz == 0)	/* what ksmbd-tools >= 3.5.2 sends: the size of the veto list + path payload */
		*psz = a->nla_len - NLA_HDRLEN - RESP_FIXED;
}
ssize_t sendmsg(int fd, const struct msghdr *m, int flags)
{
	static ssize_t (*real)(int, const struct msghdr *, int);

	if (!real)
		real = (ssize_t (*)(int, const struct msghdr *, int))dlsym(RTLD_NEXT, "sendmsg");
	if (m && m->msg_iovlen >= 1 && m->msg_name && ((struct sockaddr *)m->msg_name)->sa_family == AF_NETLINK)
		fix(m->msg_iov[0].iov_base, m->msg_iov[0].iov_len);
	return real(fd, m, flags);
}
EOF
[ -n "$OURS$KMOD" ] || gcc -O2 -Wall -shared -fPIC -o $W/root/lib/ksmbd-payload-sz.so $B/ksmbd-payload-sz.c -ldl

# --- 2. hotfix module: opinfo_put(NULL) -> return ---
cat > $B/kfix/ksmbd_opinfo_fix.c <<'EOF'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/kprobes.h>

static atomic_t hits = ATOMIC_INIT(0);
module_param_named(hits, hits.counter, int, 0444);

static noinline notrace void kfix_just_return(void)
{
	asm volatile("");
}

static int kfix_pre(struct kprobe *p, struct pt_regs *regs)
{
	if (regs->di)
		return 0;
	atomic_inc(&hits);
	regs->ip = (unsigned long)kfix_just_return;	/* like override_function_with_return() */
	return 1;
}

static struct kprobe kfix_kp = { .symbol_name = "opinfo_put", .pre_handler = kfix_pre };

static int __init kfix_init(void) { return register_kprobe(&kfix_kp); }
static void __exit kfix_exit(void) { unregister_kprobe(&kfix_kp); }
module_init(kfix_init);
module_exit(kfix_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("make ksmbd opinfo_put(NULL) a no-op (Debian 6.1.0-56 smb2_open oops)");
EOF
echo 'obj-m := ksmbd_opinfo_fix.o' > $B/kfix/Makefile
[ -n "$KMOD" ] || make -s -C /lib/modules/$KV/build M=$B/kfix modules >$B/kfix/build.log 2>&1 || { cat $B/kfix/build.log; exit 1; }

cd $W/root
cp /bin/busybox bin/; for c in $(busybox --list); do [ $c = busybox ] || ln -sf busybox bin/$c; done
if [ -n "$OURS" ]; then
  cp "$OURS/ksmbd.mountd" usr/sbin/; [ ! -x "$OURS/ksmbd.control" ] || cp "$OURS/ksmbd.control" usr/sbin/
  for l in $(ldd "$OURS/ksmbd.mountd" | grep -o '/lib[^ ]*'); do mkdir -p ".${l%/*}"; cp -L $l .$l; done
else
T=/tmp/ksmbdtools; [ -x $T/usr/libexec/ksmbd.tools ] || ( cd /tmp && apt-get download ksmbd-tools && mkdir -p $T && dpkg -x ksmbd-tools_*.deb $T ); cp -a $T/usr/libexec/ksmbd.tools usr/libexec/; cp -a $T/usr/sbin/* usr/sbin/
for l in $(ldd $T/usr/libexec/ksmbd.tools | grep -o '/lib[^ ]*'); do cp -L $l .$l; done
fi
i=10; for m in drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci net/core/failover drivers/net/net_failover drivers/net/virtio_net drivers/block/virtio_blk drivers/char/virtio_console lib/crc16 crypto/crc32c_generic fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4 fs/nls/nls_utf8 crypto/gf128mul crypto/ghash-generic crypto/ctr crypto/gcm crypto/ccm crypto/cmac crypto/ecb crypto/sha512_generic crypto/md4 fs/smb/common/cifs_arc4; do cp $K/$m.ko lib/mods/${i}_$(basename $m).ko; i=$((i+1)); done
# ksmbd itself is not in lib/mods: /bin/ksmbd-up loads /lib/ksmbd.ko (KMOD, or the in-tree one) so that tests
# can rmmod and reload it. Its depends= and softdep pre: modules not in the list above are added here.
if [ -n "$KMOD" ]; then KO=$KMOD; else KO=$K/fs/smb/server/ksmbd.ko; cp $B/kfix/ksmbd_opinfo_fix.ko lib/kfix.ko; fi
cp "$KO" lib/ksmbd.ko
# ours: under TCG the daemon may answer an upcall later than the default 2 s (logins then fail with -110)
if [ -n "$KMOD" ]; then echo upcall_timeout=10 > lib/ksmbd.args; fi
for d in $( (modinfo -F depends "$KO" | tr , '\n'; modinfo -F softdep "$KO" | tr ' ' '\n' | grep -v ':$') | sort -u); do
  modprobe -S $KV --show-depends "$d" 2>/dev/null | awk '$1 == "insmod" { print $2 }' || true
done | awk '!seen[$0]++' | grep -v '/ksmbd\.ko$' | while read -r f; do
  b=$(basename "$f"); ls lib/mods/*_"$b" >/dev/null 2>&1 || cp "$f" lib/mods/${i}_"$b"; i=$((i+1))
done
# the kernel's SMB client for tests in the guest, loaded by /bin/cifs-load (not at boot)
mkdir -p lib/cifs; i=10
for f in $(modprobe -S $KV --show-depends cifs | awk '$1 == "insmod" { print $2 }'); do cp "$f" lib/cifs/${i}_$(basename "$f"); i=$((i+1)); done
printf '#!/bin/sh\nfor m in /lib/cifs/*.ko; do grep -q "^$(basename $m .ko | cut -d_ -f2- | tr - _) " /proc/modules || insmod $m; done\n' > bin/cifs-load
chmod +x bin/cifs-load
if [ -n "$OURS" ]; then
  # [global] by hand (ksmbd.addshare edits shares), the share and the user with our tools, on the host
  printf '[global]\n\tnetbios name = SMBDNG\n\tserver mode = %s\n\tshare:fake_fscaps = 0\n\tsmb2 leases = yes\n' \
    "${MODE:-kernel}" > etc/ksmbd/ksmbd.conf
  "$OURS/ksmbd.addshare" -C etc/ksmbd/ksmbd.conf -a share -o 'path = /srv/share' -o 'read only = no' >/dev/null
  KSMBD_LOCK_FILE=$B/none.lock "$OURS/ksmbd.adduser" -P etc/ksmbd/ksmbdpwd.db -a testuser -p 1234 >/dev/null
  MOUNTD='/usr/sbin/ksmbd.mountd -n -v >>/tmp/mountd.log 2>&1 &'
else
  PRE=; [ -n "$KMOD" ] || PRE=LD_PRELOAD=/lib/ksmbd-payload-sz.so
  MOUNTD="/usr/sbin/ksmbd.adduser -a testuser -p 1234 >/dev/null 2>&1; $PRE /usr/sbin/ksmbd.mountd -n \$V >>/tmp/mountd.log 2>&1 &"
# share config as in ksmbd's CI (cifsd-test-result/testsuites/smb.conf, share cifsd-test3)
cat > etc/ksmbd/ksmbd.conf <<'CONF'
[global]
	netbios name = KSMBDREF
	share:fake_fscaps = 0
	smb2 leases = yes
	durable handles = yes
[cifsd-test3]
	path = /srv/share
	read only = no
	writeable = yes
	vfs objects = acl_xattr streams_xattr
[share]
	path = /srv/share
	read only = no
	writeable = yes
CONF
fi
{ cat <<'INIT'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs tmpfs /tmp
for m in /lib/mods/*.ko; do insmod $m; done
if [ "$SHAREFS" = tmpfs ]; then mount -t tmpfs tmpfs /srv; else mount -t ext4 -o user_xattr,acl /dev/vda /srv; fi
mkdir -p /srv/share; chmod 777 /srv/share
ip link set lo up; ip link set eth0 up; ip addr add 10.0.2.15/24 dev eth0; ip route add default via 10.0.2.2
echo "root:x:0:0::/:/bin/sh" > /etc/passwd; echo "testuser:x:1000:1000::/:/bin/sh" >> /etc/passwd
echo "root:x:0:" > /etc/group; echo "testuser:x:1000:" >> /etc/group
INIT
# /bin/ksmbd-up: load ksmbd (+ the opinfo fix for the in-tree one), start the daemon; tests call it again
# after an rmmod. Writes it from init because $MOUNTD is known only here.
echo "cat > /bin/ksmbd-up <<'UP'"
echo '#!/bin/sh'
echo 'V=; [ -n "$KDEBUG" ] && V=-v'
echo 'grep -q "^ksmbd " /proc/modules || insmod /lib/ksmbd.ko $(cat /lib/ksmbd.args 2>/dev/null) || exit 1'
echo '[ ! -f /lib/kfix.ko ] || grep -q "^ksmbd_opinfo_fix " /proc/modules || insmod /lib/kfix.ko'
echo "$MOUNTD"
echo UP
cat <<'INIT'
echo "<6>vm-ksmbd: boot done, loading ksmbd" > /dev/kmsg
chmod +x /bin/ksmbd-up; KDEBUG=$KDEBUG /bin/ksmbd-up
sleep 3
[ -n "$KDEBUG" ] && [ -x /usr/sbin/ksmbd.control ] && /usr/sbin/ksmbd.control -d all
for p in /sys/class/virtio-ports/*; do [ "$(cat $p/name)" = shell ] && P=/dev/${p##*/}; done
(while :; do sh <>$P >&0 2>&0; sleep 2; done) &
echo VM-READY
while true; do sleep 3600; done
INIT
} > init
chmod +x init
mkdir -p usr/lib/x86_64-linux-gnu/gconv; cp -a /usr/lib/x86_64-linux-gnu/gconv/gconv-modules* /usr/lib/x86_64-linux-gnu/gconv/UTF-16.so /usr/lib/x86_64-linux-gnu/gconv/UNICODE.so usr/lib/x86_64-linux-gnu/gconv/
find . | cpio -o -H newc 2>/dev/null | gzip -1 > $W/initrd.gz
DISK=
if [ "$SHAREFS" != tmpfs ]; then
  truncate -s ${SHARESIZE:-4G} $W/share.img
  mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 $W/share.img
  DISK="-drive file=$W/share.img,if=virtio,format=raw,cache=unsafe"
fi
t1=$(date +%s.%N)
qemu-system-x86_64 -accel tcg -cpu max -m ${VMMEM:-2048} -smp ${VMCPUS:-2} -kernel /boot/vmlinuz-$KV -initrd $W/initrd.gz \
  -append "console=ttyS0 ${VMQUIET-quiet} panic=-1 KDEBUG=${KDEBUG:-} SHAREFS=$SHAREFS" -display none -no-reboot \
  -serial file:$W/console.log $DISK \
  -device virtio-serial-pci -chardev socket,id=sh0,path=$W/shell.sock,server=on,wait=off -device virtserialport,chardev=sh0,name=shell \
  -netdev user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$PORT-:445${VMFWD:+,$VMFWD} -device virtio-net-pci,netdev=n0 \
  -daemonize -pidfile $W/qemu.pid
ok=0; for i in $(seq 1 240); do grep -q VM-READY $W/console.log 2>/dev/null && { ok=1; break; }; sleep 0.5; done
t2=$(date +%s.%N)
tail -5 $W/console.log
printf 'prepare %.1fs, boot to VM-READY %.1fs\n' "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"
[ $ok = 1 ] || { echo "VM did not come up" >&2; exit 1; }
