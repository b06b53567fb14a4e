#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Tests limits.disk, limits.inodes and limits.io_write for real: this host's kernel may lack
# CONFIG_QUOTA, Debian's 6.1 kernel has it.  Boots that kernel under qemu (TCG) with an
# initramfs holding busybox, jaild, jailctl, rshell, the helpers and the ext4, quota and
# virtio modules, and an ext4 disk made here with -O quota,project; the VM's /init
# (vm-quota-init.sh) mounts it with prjquota as the jail homes and runs the checks.
# Exit 77 = SKIP, always with the reason.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_builddir=${top_builddir:-$(cd "$here/../.." && pwd)}
. "$here/lib.sh"
vm_require
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 not installed (apt-get install e2fsprogs)"
kver=${kernel##*/vmlinuz-}
config=$cache/k/boot/config-$kver
mods=$cache/k/lib/modules/$kver/kernel
grep -q '^CONFIG_QUOTA=y' "$config" 2>/dev/null || skip "kernel $kver has no CONFIG_QUOTA"
grep -q '^CONFIG_BLK_DEV_THROTTLING=y' "$config" || skip "kernel $kver has no block I/O throttling"
[ -f "$mods/fs/ext4/ext4.ko" ] || skip "no ext4 module under $mods"

work=$(mktemp -d /var/tmp/corral-vmq-XXXXXX)
[ -n "${CORRAL_VM_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
root=$work/root
vm_root "$root"
mkdir -p "$root/etc/corral/policies/groups" "$root/etc/corral/policies/users" "$root/home" \
	"$root/q" "$root/nq" "$root/usr" "$root/modules"
vm_add_binaries "$root" "$top_builddir/jaild/jaild" "$top_builddir/jailctl/jailctl" \
	"$top_builddir/rshell/rshell" "$top_builddir/tests/helpers/quota-get"
# In load order: nothing in the VM resolves module dependencies.
for m in lib/crc16 crypto/crc32c_generic fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4 \
	fs/quota/quota_tree fs/quota/quota_v2 drivers/virtio/virtio_ring drivers/virtio/virtio \
	drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci_modern_dev \
	drivers/virtio/virtio_pci drivers/block/virtio_blk; do
	[ -f "$mods/$m.ko" ] || skip "no module $m.ko in $mods"
	echo "${m##*/}" >>"$root/modules/order"
	cp "$mods/$m.ko" "$root/modules/"
done
cat >"$root/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
vmuser:x:1000:1000::/home/vmuser:/bin/sh
other:x:1001:1001::/home/other:/bin/sh
stud2:x:1002:1002::/home/stud2:/bin/sh
noq:x:1003:1003::/home/noq:/bin/sh
optq:x:1004:1004::/home/optq:/bin/sh
keeper:x:1005:1005::/home/keeper:/bin/sh
PW
printf 'root:x:0:\nvmuser:x:1000:\nother:x:1001:\nstud2:x:1002:\nnoq:x:1003:\noptq:x:1004:\nkeeper:x:1005:\nstudents:x:2000:vmuser,stud2,keeper\n' >"$root/etc/group"
printf 'passwd: files\ngroup: files\n' >"$root/etc/nsswitch.conf"
P=$root/etc/corral/policies
cat >"$P/default.conf" <<'POLICY'
match = { all = true; };
jail = {
	binds = ( { src = "/bin"; }, { src = "/lib"; }, { src = "/lib64"; optional = true; },
		{ src = "/usr"; }, { src = "/opt/corral"; } );
	home = "/q/homes/%u";
	tmp = "8M";
};
limits = { memory = "64M"; swap = "0"; pids = 10; cpu = "100%"; };
shell = { program = "/bin/sh"; };
POLICY
# The shipped students policy, as it is: its disk and inode limits are under test.
cp "$top_srcdir/policies/groups/students.conf" "$P/groups/"
cat >"$P/users/vmuser.conf" <<'POLICY'
inherit = "groups/students";
jail = {
	binds = ( { src = "/bin"; }, { src = "/lib"; }, { src = "/lib64"; optional = true; },
		{ src = "/usr"; }, { src = "/opt/corral"; },
		{ src = "/q/work/%u"; dst = "/work"; ro = false; } );
};
limits = { disk = "16M"; inodes = 200; io_write = "2M"; quota_optional = false; };
session = { hours = "always"; };
POLICY
printf 'inherit = "groups/students";\nsession = { hours = "always"; };\n' >"$P/users/stud2.conf"
printf 'inherit = "groups/students";\nlimits = { disk = "4M"; quota_keep = true; };\nsession = { hours = "always"; };\n' >"$P/users/keeper.conf"
# Jail homes on the root tmpfs, which has no quota: refused, or run without it when optional.
printf 'jail = { home = "/nq/%%u"; };\nlimits = { disk = "4M"; };\n' >"$P/users/noq.conf"
printf 'jail = { home = "/nq/%%u"; };\nlimits = { disk = "4M"; quota_optional = true; };\n' >"$P/users/optq.conf"
chmod -R go-w "$root/etc/corral"
chmod 644 "$P"/*.conf "$P"/*/*.conf
cp "$here/vm-quota-init.sh" "$root/init"
chmod 755 "$root/init"
# The jail homes' filesystem: project and user quotas, made here (the VM has no mke2fs).
truncate -s 256M "$work/homes.img"
mkfs.ext4 -q -F -O quota,project -E quotatype=usrquota:prjquota "$work/homes.img" ||
	skip "mkfs.ext4 cannot make a filesystem with project quotas"

echo "booting $kernel under qemu (TCG) with an ext4 prjquota disk..."
vm_boot "$work" 400 -drive "file=$work/homes.img,format=raw,if=virtio,cache=none"
