#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Tests jaild's cgroup v2 backend for real: boots Debian's kernel under qemu (TCG) with an
# initramfs holding busybox, jaild, jailctl, the jtest helper and their libraries; the VM's
# /init (vm-init.sh) runs the checks and reports over the serial console.  Exit 77 = SKIP,
# always with the reason.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_builddir=${top_builddir:-$(cd "$here/../.." && pwd)}
. "$here/lib.sh"
vm_require

work=$(mktemp -d /var/tmp/corral-vm-XXXXXX)
[ -n "${CORRAL_VM_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
root=$work/root
vm_root "$root"
mkdir -p "$root/usr/bin" "$root/etc/corral/policies" "$root/home/vmuser" "$root/home/.corral/vmuser"
vm_add_binaries "$root" "$top_builddir/jaild/jaild" "$top_builddir/jailctl/jailctl" \
	"$top_builddir/tests/helpers/jtest"
printf 'root:x:0:0:root:/root:/bin/sh\nvmuser:x:1000:1000::/home/vmuser:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nvmuser:x:1000:\n' >"$root/etc/group"
printf 'passwd: files\ngroup: files\n' >"$root/etc/nsswitch.conf"
cat >"$root/etc/corral/policies/default.conf" <<'POLICY'
match = { all = true; };
jail = {
	binds = ( { src = "/bin"; }, { src = "/lib"; }, { src = "/lib64"; optional = true; },
		{ src = "/usr"; }, { src = "/opt/corral"; } );
	tmp = "8M";
};
limits = { memory = "64M"; swap = "0"; pids = 10; cpu = "20%"; };
shell = { program = "/bin/sh"; };
POLICY
chmod 755 "$root/etc/corral" "$root/etc/corral/policies"
chmod 644 "$root/etc/corral/policies/default.conf"
chmod 711 "$root/home/.corral"
chown 1000:1000 "$root/home/.corral/vmuser" # the jail home; the passwd home stays root's
cp "$here/vm-init.sh" "$root/init"
chmod 755 "$root/init"
echo "booting $kernel under qemu (TCG)..."
vm_boot "$work" 300
