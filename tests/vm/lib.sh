# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the busybox VM tests (run-v2.sh, run-quota.sh): their skip checks, the initramfs
# assembly and the boot that reports the VM's VMTEST lines.  Sourced; expects $here and sets
# $kernel, $busybox and $cache.
cache=${CORRAL_VM_CACHE:-/var/cache/corral-vm}

skip() { echo "SKIP: $*"; exit 77; }

# The checks both tests share; each SKIP names what is missing and how to get it.
vm_require() {
	[ "${CORRAL_VM_TESTS:-}" = skip ] && skip "${CORRAL_VM_SKIP_REASON:-disabled by CORRAL_VM_TESTS=skip}"
	command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
	[ "$(uname -m)" = x86_64 ] || skip "the VM test boots an amd64 kernel"
	kernel=$(ls "$cache"/k/boot/vmlinuz-* 2>/dev/null | head -1)
	[ -n "$kernel" ] || skip "no kernel in $cache (scripts/test fetches Debian's linux-image with apt-get download)"
	busybox=$(command -v busybox)
	[ -n "$busybox" ] && ! ldd "$busybox" >/dev/null 2>&1 || skip "a static busybox is needed (apt-get install busybox-static)"
}

# vm_root ROOT: busybox and its applets in ROOT/bin.
vm_root() {
	mkdir -p "$1/bin" "$1/lib" "$1/lib64" "$1/run" "$1/tmp" "$1/proc" "$1/sys" "$1/dev" \
		"$1/opt/corral"
	cp "$busybox" "$1/bin/busybox"
	for a in $("$busybox" --list); do
		[ "$a" = busybox ] || ln -s busybox "$1/bin/$a"
	done
}

# vm_add_binaries ROOT BINARY...: each built binary into ROOT/opt/corral, with the shared
# libraries ldd names at their own paths.
vm_add_binaries() {
	r=$1
	shift
	for b in "$@"; do
		[ -x "$b" ] || skip "$b is not built"
		cp "$b" "$r/opt/corral/"
		ldd "$b" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }' |
			while read -r lib; do
				mkdir -p "$r$(dirname "$lib")"
				cp -L "$lib" "$r$lib"
			done
	done
}

# vm_boot WORK TIMEOUT [QEMU ARG...]: packs WORK/root (whose /init runs the checks), boots it,
# prints the VM's VMTEST lines and exits 0 when its last line reports 0 failed.
vm_boot() {
	w=$1
	t=$2
	shift 2
	(cd "$w/root" && find . | "$busybox" cpio -o -H newc 2>/dev/null | gzip -1) >"$w/initrd.gz"
	timeout "$t" qemu-system-x86_64 -accel tcg -m 1024 -smp 1 -nographic -no-reboot \
		-kernel "$kernel" -initrd "$w/initrd.gz" "$@" \
		-append "console=ttyS0 panic=-1 quiet loglevel=3" >"$w/console.log" 2>&1
	status=$?
	grep '^VMTEST' "$w/console.log" | tr -d '\r'
	done_line=$(grep '^VMTEST DONE' "$w/console.log" | tr -d '\r')
	if [ -z "$done_line" ]; then
		echo "the VM did not finish (qemu status $status); console tail:"
		tail -30 "$w/console.log"
		exit 1
	fi
	case "$done_line" in
	*" 0 failed") exit 0 ;;
	*) exit 1 ;;
	esac
}
