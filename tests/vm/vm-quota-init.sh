#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# /init of the quota test VM (run-quota.sh).  Stage 1 copies the initramfs to a tmpfs and
# switch_roots (pivot_root is refused on the initial rootfs).  Stage 2 loads the ext4, quota and
# virtio modules, mounts the disk with prjquota at /q (jail homes in /q/homes, writable binds
# in /q/work), starts jaild and reports each check as "VMTEST ok NAME" or "VMTEST FAIL NAME:
# why" on the serial console.
export PATH=/bin:/opt/corral
if [ ! -e /.stage2 ]; then
	mount -t proc proc /proc
	mkdir -p /newroot
	mount -t tmpfs -o size=256m,mode=0755 tmpfs /newroot
	for d in bin lib lib64 usr opt etc home init modules q nq; do
		[ -e /$d ] && cp -a /$d /newroot/
	done
	mkdir -p /newroot/proc /newroot/sys /newroot/dev /newroot/run /newroot/tmp
	chmod 1777 /newroot/tmp
	touch /newroot/.stage2
	umount /proc
	exec switch_root /newroot /init
fi
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t cgroup2 cgroup2 /sys/fs/cgroup
ok=0
bad=0
pass() { echo "VMTEST ok $1"; ok=$((ok + 1)); }
fail() { echo "VMTEST FAIL $1: $2"; bad=$((bad + 1)); }
expect() { # name, expected, actual
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected '$2', got '$3'"; fi
}
contains() { # name, needle, haystack
	case "$3" in *"$2"*) pass "$1" ;; *) fail "$1" "no '$2' in: $3" ;; esac
}
finish() {
	if [ $bad -gt 0 ]; then
		sed 's/^/VMTEST log: /' /tmp/jaild.log | tail -25
	fi
	echo "VMTEST DONE $ok passed, $bad failed"
	poweroff -f
}
jx() { user=$1; shift; jailctl exec "$user" -- "$@" </dev/null 2>&1; }
# A field of one user's jail in jailctl list --json.
lj() { jailctl list --json | tr -d '\n' | sed 's/},/}\n/g' | grep "\"user\": \"$1\"" |
	sed -n "s/.*\"$2\": \\([0-9-]*\\).*/\\1/p"; }
# rshell's figures: as audit.c's human() prints them.
human() { awk -v v="$1" 'BEGIN { if (v >= 1073741824) printf "%.1fG", v / 1073741824;
	else if (v >= 1048576) printf "%.1fM", v / 1048576; else printf "%.0fK", v / 1024 }'; }

while read -r m; do
	insmod /modules/$m.ko || fail modules "insmod $m"
done </modules/order
echo "VMTEST kernel $(uname -r), controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
for i in $(seq 50); do [ -b /dev/vda ] && break; sleep 0.1; done
mkdir -p /q
if ! mount -t ext4 -o prjquota /dev/vda /q 2>/tmp/mount.err; then
	fail mount-prjquota "$(cat /tmp/mount.err)"
	finish
fi
pass mount-prjquota
mkdir -p /q/homes /q/work /nq
chmod 755 /q /q/homes /q/work /nq
for u in vmuser:1000 other:1001 stud2:1002 keeper:1005; do
	mkdir -p /q/homes/${u%:*} /home/${u%:*}
	chown ${u#*:}:${u#*:} /q/homes/${u%:*}
done
for u in noq:1003 optq:1004; do
	mkdir -p /nq/${u%:*} /home/${u%:*}
	chown ${u#*:}:${u#*:} /nq/${u%:*}
done
mkdir /q/work/vmuser
chown 1000:1000 /q/work/vmuser
# What was there before the quota: counted once the project id reaches it.
dd if=/dev/zero of=/q/homes/vmuser/old bs=1K count=100 2>/dev/null
chown 1000:1000 /q/homes/vmuser/old

# jailctl check: the ext4 homes can be enforced; the tmpfs one cannot, and says where and why.
out=$(jailctl check /etc/corral/policies 2>&1)
contains check-refuses-tmpfs-home "users/noq.conf:2: limits.disk: cannot be enforced on this host (first for noq): the jail home /nq/noq: tmpfs has no quota support" "$out"
contains check-notes-optional "note: /etc/corral/policies/users/optq.conf:2: limits.disk: not enforced" "$out"
expect check-one-error 1 "$(echo "$out" | grep -c 'cannot be enforced')"

jaild -f -p /etc/corral/policies -r /run/corral -b v2 -c corral -s /opt/corral/rshell \
	>/tmp/jaild.log 2>&1 &
jaild_pid=$!
for i in $(seq 50); do [ -S /run/corral/jaild.sock ] && break; sleep 0.1; done

# A session that must outlive every refusal below.
jailctl exec vmuser -- /bin/sleep 300 </dev/null >/dev/null 2>&1 &
sleeper=$!
sleep 2
expect project-id-home "projid=1000 inherit=1" "$(quota-get projid /q/homes/vmuser)"
expect project-id-old-file "projid=1000 inherit=0" "$(quota-get projid /q/homes/vmuser/old)"
expect project-id-work "projid=1000 inherit=1" "$(quota-get projid /q/work/vmuser)"
q=$(quota-get /q prj 1000)
contains quota-limits "bytes_max=16777216 inodes_max=200" "$q"
vda=$(cat /sys/block/vda/dev)
contains io.max "$vda rbps=max wbps=2097152" "$(cat /sys/fs/cgroup/corral/vmuser/io.max)"

# Past limits.disk in the home, then in the writable bind: EDQUOT, nothing else.
out=$(jx vmuser /bin/dd if=/dev/zero of=/home/vmuser/big bs=1M count=24)
contains disk-home-edquot "Disk quota exceeded" "$out"
size=$(jx vmuser /bin/stat -c %s /home/vmuser/big)
[ "$size" -le 16777216 ] && pass "disk-home-stops-at-limit ($size)" ||
	fail disk-home-stops-at-limit "a 24M write left $size bytes"
jx vmuser /bin/rm -f /home/vmuser/big >/dev/null
out=$(jx vmuser /bin/dd if=/dev/zero of=/work/big bs=1M count=24)
contains disk-bind-edquot "Disk quota exceeded" "$out"
jx vmuser /bin/rm -f /work/big >/dev/null

# Past limits.inodes: the files stop at the limit (the homes and old count too).
out=$(jx vmuser /bin/sh -c 'cd /home/vmuser && i=0; while [ $i -lt 250 ]; do
	: >f$i || break; i=$((i + 1)); done; echo made $i')
contains inodes-edquot "Disk quota exceeded" "$out"
made=$(echo "$out" | sed -n 's/^made //p')
q=$(quota-get /q prj 1000)
expect inodes-at-limit "inodes=200" "$(echo "$q" | grep -o 'inodes=[0-9]*' | head -1)"

# The figures jailctl list and rshell show are the kernel's.
kb=$(echo "$q" | sed -n 's/.*bytes=\([0-9]*\) .*/\1/p')
expect list-disk-current "$kb" "$(lj vmuser disk_current)"
expect list-disk-max 16777216 "$(lj vmuser disk_max)"
expect list-inodes-current 200 "$(lj vmuser inodes_current)"
expect list-inodes-max 200 "$(lj vmuser inodes_max)"
lim=$(jx vmuser /.corral/rshell --inner -c limits)
contains rshell-limits-disk "disk:      $(human "$kb") of 16.0M" "$lim"
contains rshell-limits-files "files:     200 of 200" "$lim"
contains rshell-limits-io "disk write: 2.0M/s" "$lim"

# Another user on the same filesystem carries on; so do the jail and its session.
out=$(jx other /bin/dd if=/dev/zero of=/home/other/big bs=1M count=24)
contains other-user-writes "24+0 records out" "$out"
kill -0 $sleeper 2>/dev/null && pass session-survives || fail session-survives "the sleeper ended"
expect jail-survives 1 "$(jailctl list | grep -c '^vmuser ')"

# limits.io_write: 8M written with O_DIRECT at 2M/s takes 4 s, within 10%.
jx vmuser /bin/sh -c 'rm -f /home/vmuser/f*' >/dev/null
t=$(jx vmuser /bin/sh -c 'read a b </proc/uptime; dd if=/dev/zero of=/home/vmuser/io bs=256K \
	count=32 oflag=direct 2>/dev/null; read c d </proc/uptime; echo "$a $c"')
secs=$(echo "$t" | awk '{ printf "%.2f", $2 - $1 }')
rate=$(echo "$t" | awk '{ printf "%d", 8388608 / ($2 - $1) }')
if [ "$rate" -ge 1887436 ] && [ "$rate" -le 2306867 ]; then
	pass "io-write-2M/s ($rate B/s, 8M in ${secs}s)"
else
	fail io-write-2M/s "8M with O_DIRECT took ${secs}s: $rate B/s, expected 2097152 +-10%"
fi

# The shipped students policy: 1G and 20000 files for a student without a file of their own.
jailctl exec stud2 -- /bin/sleep 3 </dev/null >/dev/null 2>&1 &
sleep 1.5
expect students-disk 1073741824 "$(lj stud2 disk_max)"
expect students-inodes 20000 "$(lj stud2 inodes_max)"
contains students-kernel "bytes_max=1073741824 inodes_max=20000" "$(quota-get /q prj 1002)"

# Teardown leaves no record that would hit a later user with the uid; quota_keep keeps it.
jailctl kill vmuser >/dev/null 2>&1
wait $sleeper
sleep 0.5
contains teardown-clears "bytes_max=0 inodes_max=0" "$(quota-get /q prj 1000)"
jx keeper /bin/true >/dev/null
sleep 0.5
expect keeper-torn-down 0 "$(jailctl list | grep -c '^keeper ')"
contains quota-keep "bytes_max=4194304" "$(quota-get /q prj 1005)"

# Where the host cannot enforce it: refused with the reason, or run without it when optional.
out=$(jx noq /bin/true)
contains refused-without-quota "limits.disk" "$out"
contains refused-says-why "cannot be enforced" "$out"
expect optional-runs ok "$(jx optq /bin/echo ok)"
contains optional-logged "jail of optq: limits.disk not enforced (limits.quota_optional)" \
	"$(cat /tmp/jaild.log)"

kill -TERM $jaild_pid
wait $jaild_pid
finish
