#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/vm/k2/run.sh: build kmod/linux/vfs.c with kmod/linux/selftest_vfs.c into smbd_selftest_vfs.ko,
# boot Debian's 6.1 kernel under qemu (TCG) with a minimal initramfs, prepare a share root on a fresh ext4
# disk (symlinks out of and inside the root, a tmpfs mount point, a FIFO, ../outside/secret), load the module
# (it runs every check at load) and print its "k2 selftest:" lines. Exit 0 only when the summary says PASS.
# Needs root, qemu-system-x86, linux-image-6.1.0-56-amd64 + its headers, busybox-static, cpio, e2fsprogs.
# env: W (work directory, default /tmp/k2vm), KDIR (kernel headers).
set -eu
KV=6.1.0-56-amd64; K=/lib/modules/$KV/kernel; W=${W:-/tmp/k2vm}; KDIR=${KDIR:-/usr/src/linux-headers-$KV}
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
rm -rf "$W"; mkdir -p "$W/mod" "$W/root"/{bin,proc,sys,dev,tmp,srv,lib/mods}

# the module: vfs.c + the test, flat, with the two headers they include
cp "$TOP/kmod/linux/vfs.c" "$TOP/kmod/linux/selftest_vfs.c" "$TOP/kmod/os.h" "$TOP/generated/wire_port.h" "$W/mod/"
printf 'obj-m := smbd_selftest_vfs.o\nsmbd_selftest_vfs-y := selftest_vfs.o vfs.o\nccflags-y := -I$(src) -Werror\n' \
  > "$W/mod/Kbuild"
make -s -C "$KDIR" M="$W/mod" W=1 modules > "$W/mod/build.log" 2>&1 || { cat "$W/mod/build.log"; exit 1; }
if grep -q 'warning:' "$W/mod/build.log"; then cat "$W/mod/build.log"; exit 1; fi
cp "$W/mod/smbd_selftest_vfs.ko" "$W/root/lib/k2.ko"

cd "$W/root"
cp /bin/busybox bin/; for c in $(busybox --list); do [ $c = busybox ] || ln -sf busybox bin/$c; done
i=10
for m in drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_modern_dev \
    drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci drivers/block/virtio_blk lib/crc16 \
    crypto/crc32c_generic fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4; do
  cp $K/$m.ko lib/mods/${i}_$(basename $m).ko; i=$((i+1))
done
cat > init <<'INIT'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs tmpfs /tmp
for m in /lib/mods/*.ko; do insmod $m; done
mount -t ext4 -o user_xattr,acl /dev/vda /srv
R=/srv/k2root
mkdir -p $R/sub $R/mnt /srv/outside; chmod 777 $R
echo secret > /srv/outside/secret; echo inner > $R/sub/inner
mount -t tmpfs tmpfs $R/mnt; echo m > $R/mnt/m.txt
ln -s ../outside/secret $R/out_rel; ln -s /srv/outside/secret $R/out_abs; ln -s ../outside $R/out_dir
echo t > $R/in_target; ln -s ../in_target $R/sub/to_root; ln -s sub/inner $R/in_link; ln -s .. $R/sub/up; mkfifo $R/fifo
echo K2-LOAD
insmod /lib/k2.ko root=$R; echo "K2-INSMOD rc=$?"
dmesg | grep -E 'k2 selftest|BUG|WARNING|Oops|Call Trace' | sed 's/^/K2-DMESG /'
ls -la $R /srv/outside | sed 's/^/K2-LS /'
sync; umount $R/mnt; umount /srv
echo K2-DONE
poweroff -f
INIT
chmod +x init
find . | cpio -o -H newc 2>/dev/null | gzip -1 > "$W/initrd.gz"
truncate -s 1G "$W/share.img"; mkfs.ext4 -q -F "$W/share.img"
timeout 300 qemu-system-x86_64 -accel tcg -cpu max -m 1024 -smp 1 -kernel /boot/vmlinuz-$KV -initrd "$W/initrd.gz" \
  -append "console=ttyS0 quiet panic=-1" -display none -no-reboot -serial file:"$W/console.log" \
  -drive file="$W/share.img",if=virtio,format=raw,cache=unsafe -nic none || true
grep -E '^K2-|k2 selftest' "$W/console.log" || true
grep -q 'k2 selftest: PASS' "$W/console.log"
