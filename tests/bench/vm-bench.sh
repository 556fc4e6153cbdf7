#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/bench/vm-bench.sh: the VM of `run-bench --kernel` (tests/bench/README.md).
#
# usage: vm-bench.sh WORK OUT GUEST_SCRIPT
#   WORK          a host directory for the initramfs, the disk image and the console log
#   OUT           a host directory the guest can write (its results, logs, dmesg); the guest
#                 mounts it on /mnt/bench-out
#   GUEST_SCRIPT  what the guest runs once its root is up, as a path inside the guest
#                 (e.g. /mnt/bench-out/guest.sh); it runs as PID 1 and should power off
# env: KV (guest kernel, 6.1.0-56-amd64), VMMEM (MiB, 2048), VMCPUS (2), DISKSIZE (4G),
#      VMTIMEOUT (seconds qemu may run, 3600)
#
# Boots Debian's kernel under qemu (TCG: no KVM here) with a small busybox initramfs that
# loads virtio, 9p, overlayfs and ext4 and builds the guest's root:
#   - the host's / exported read-only over 9p (tag hostroot), under an overlayfs whose upper
#     is a tmpfs, so the guest runs the host's own userland (Samba, smbclient, python3, our
#     build) and may still write anywhere (useradd, /etc, ...);
#   - a sparse ext4 image on a virtio disk as /var/tmp, where the shares go (a disk, as on
#     the host; tmpfs over /tmp and /run);
#   - OUT exported read-write over 9p (tag benchout) on /mnt/bench-out.
# It then switch_roots into that root from PID 1 (so the kernel's own threads, which share
# PID 1's root, resolve share paths there too) and runs GUEST_SCRIPT. qemu has no network
# device: everything happens on the guest's loopback. Exits with qemu's status (124 when
# it ran out of time and was killed).
set -eu
WORK=${1:?usage: vm-bench.sh WORK OUT GUEST_SCRIPT}
OUT=${2:?usage: vm-bench.sh WORK OUT GUEST_SCRIPT}
GUEST=${3:?usage: vm-bench.sh WORK OUT GUEST_SCRIPT}
KV=${KV:-6.1.0-56-amd64}
WORK=$(cd "$WORK" && pwd)
OUT=$(cd "$OUT" && pwd)
for f in /boot/vmlinuz-$KV /lib/modules/$KV/modules.dep /bin/busybox; do
	[ -e "$f" ] || { echo "vm-bench: $f is missing" >&2; exit 77; }
done

I=$WORK/initramfs
rm -rf "$I"
mkdir -p "$I"/{bin,dev,proc,sys,lib/mods,lower,rw,new}
cp /bin/busybox "$I/bin/"
for c in sh mount umount mkdir insmod ip hostname switch_root cat echo sleep poweroff cp ls; do
	ln -s busybox "$I/bin/$c"
done
# the modules for the root and the disk, dependencies first, each once
i=10
for m in virtio_pci virtio_blk 9pnet_virtio 9p overlay ext4; do
	modprobe -S "$KV" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r f; do
	cp "$f" "$I/lib/mods/${i}_$(basename "$f")"
	i=$((i + 1))
done

cat > "$I/init" <<'INIT'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in /lib/mods/*.ko; do
	insmod "$m" 2>/dev/null || echo "vm-bench: insmod $m failed"
done
die() {
	echo "vm-bench: $*"
	echo "<3>vm-bench: $*" > /dev/kmsg
	poweroff -f
}
# the host's / (read-only) under a writable overlay
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 hostroot /lower ||
	die "cannot mount the host's root (9p)"
mount -t tmpfs -o size=50%,mode=755 tmpfs /rw
mkdir -p /rw/upper /rw/work
mount -t overlay overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /new ||
	die "overlayfs over 9p failed"
mount -t ext4 /dev/vda /new/var/tmp || die "cannot mount the disk on /var/tmp"
chmod 1777 /new/var/tmp
mkdir -p /new/mnt/bench-out
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 benchout /new/mnt/bench-out ||
	die "cannot mount the results directory (9p)"
mount -t tmpfs -o mode=1777 tmpfs /new/tmp
mount -t tmpfs -o mode=755 tmpfs /new/run
mount --move /proc /new/proc
mount --move /sys /new/sys
mount --move /dev /new/dev
mkdir -p /new/dev/pts /new/dev/shm
mount -t devpts devpts /new/dev/pts
mount -t tmpfs -o mode=1777 tmpfs /new/dev/shm
ip link set lo up
hostname benchvm
# the name resolves without a network (Samba looks its own name up)
echo "127.0.1.1 benchvm" >> /new/etc/hosts
echo "<6>vm-bench: root ready, switching to it" > /new/dev/kmsg
exec switch_root /new /bin/sh GUEST_SCRIPT
INIT
sed -i "s|GUEST_SCRIPT|$GUEST|" "$I/init"
chmod +x "$I/init"
(cd "$I" && find . | cpio -o -H newc 2>/dev/null | gzip -1 > "$WORK/initrd.gz")

# the disk: sparse, inode tables written now so that the guest's ext4lazyinit does
# not write them in the background during the measurements
rm -f "$WORK/disk.img"
truncate -s "${DISKSIZE:-4G}" "$WORK/disk.img"
mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$WORK/disk.img"

echo "vm-bench: booting $KV (${VMCPUS:-2} vCPUs, ${VMMEM:-2048} MiB, TCG); console: $WORK/console.log"
rc=0
timeout -k 10 "${VMTIMEOUT:-3600}" qemu-system-x86_64 -accel tcg,thread=multi -cpu max \
	-m "${VMMEM:-2048}" -smp "${VMCPUS:-2}" \
	-kernel "/boot/vmlinuz-$KV" -initrd "$WORK/initrd.gz" \
	-append "console=ttyS0 quiet panic=-1" \
	-display none -monitor none -no-reboot -nic none \
	-serial "file:$WORK/console.log" \
	-drive "file=$WORK/disk.img,if=virtio,format=raw,cache=unsafe" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=$OUT,mount_tag=benchout,security_model=none" || rc=$?
rm -f "$WORK/disk.img"
exit $rc
