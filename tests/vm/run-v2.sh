#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Tests jaild's cgroup v2 backend for real: boots Debian's kernel under qemu (TCG) with an
# initramfs holding busybox, jaild, jailctl, the jtest helper and their libraries; the VM's
# /init (vm-init.sh) runs the checks and reports over the serial console.  Exit 77 = SKIP,
# always with the reason.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_builddir=${top_builddir:-$(cd "$here/../.." && pwd)}
cache=${CORRAL_VM_CACHE:-/var/cache/corral-vm}

skip() { echo "SKIP: $*"; exit 77; }
[ "${CORRAL_VM_TESTS:-}" = skip ] && skip "${CORRAL_VM_SKIP_REASON:-disabled by CORRAL_VM_TESTS=skip}"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
[ "$(uname -m)" = x86_64 ] || skip "the VM test boots an amd64 kernel"
kernel=$(ls "$cache"/k/boot/vmlinuz-* 2>/dev/null | head -1)
[ -n "$kernel" ] || skip "no kernel in $cache (scripts/test fetches Debian's linux-image with apt-get download)"
busybox=$(command -v busybox)
[ -n "$busybox" ] && ! ldd "$busybox" >/dev/null 2>&1 || skip "a static busybox is needed (apt-get install busybox-static)"

work=$(mktemp -d /var/tmp/corral-vm-XXXXXX)
[ -n "${CORRAL_VM_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/bin" "$root/usr/bin" "$root/opt/corral" "$root/etc/corral/policies" \
	"$root/home/vmuser" "$root/home/.corral/vmuser" "$root/lib" "$root/lib64" "$root/run" "$root/tmp" "$root/proc" \
	"$root/sys" "$root/dev"
cp "$busybox" "$root/bin/busybox"
for a in $("$busybox" --list); do
	[ "$a" = busybox ] || ln -s busybox "$root/bin/$a"
done
for b in "$top_builddir/jaild/jaild" "$top_builddir/jailctl/jailctl" \
	"$top_builddir/tests/helpers/jtest"; do
	[ -x "$b" ] || skip "$b is not built"
	cp "$b" "$root/opt/corral/"
	# The shared libraries ldd names, at their own paths.
	ldd "$b" | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done
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
(cd "$root" && find . | "$busybox" cpio -o -H newc 2>/dev/null | gzip -1) >"$work/initrd.gz"

echo "booting $kernel under qemu (TCG)..."
timeout 300 qemu-system-x86_64 -accel tcg -m 1024 -smp 1 -nographic -no-reboot \
	-kernel "$kernel" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 quiet loglevel=3" >"$work/console.log" 2>&1
status=$?
grep '^VMTEST' "$work/console.log" | tr -d '\r'
done_line=$(grep '^VMTEST DONE' "$work/console.log" | tr -d '\r')
if [ -z "$done_line" ]; then
	echo "the VM did not finish (qemu status $status); console tail:"
	tail -30 "$work/console.log"
	exit 1
fi
case "$done_line" in
*" 0 failed") exit 0 ;;
*) exit 1 ;;
esac
