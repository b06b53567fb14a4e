#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# /init of the cgroup v2 test VM.  Stage 1 copies the initramfs to a tmpfs and switch_roots
# (pivot_root, which every jail uses, is refused on the initial rootfs).  Stage 2 mounts
# cgroup2 with every controller, starts jaild on the v2 backend and reports each check as
# "VMTEST ok NAME" or "VMTEST FAIL NAME: why" on the serial console.
export PATH=/bin:/usr/bin:/opt/corral
if [ ! -e /.stage2 ]; then
	mount -t proc proc /proc
	mkdir -p /newroot
	mount -t tmpfs -o size=256m,mode=0755 tmpfs /newroot
	for d in bin lib lib64 usr opt etc home init; do
		[ -e /$d ] && cp -a /$d /newroot/
	done
	mkdir -p /newroot/proc /newroot/sys /newroot/dev /newroot/run /newroot/tmp /newroot/var/tmp
	chmod 1777 /newroot/tmp /newroot/var/tmp
	touch /newroot/.stage2
	umount /proc
	exec switch_root /newroot /init
fi
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t cgroup2 cgroup2 /sys/fs/cgroup
echo "VMTEST kernel $(uname -r), controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
ok=0
bad=0
pass() { echo "VMTEST ok $1"; ok=$((ok + 1)); }
fail() { echo "VMTEST FAIL $1: $2"; bad=$((bad + 1)); }
expect() { # name, expected, actual
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected '$2', got '$3'"; fi
}
jx() { jailctl exec vmuser -- "$@" </dev/null 2>&1; }

jaild -f -p /etc/corral/policies -r /run/corral -b v2 -c corral -s /bin/true >/tmp/jaild.log 2>&1 &
jaild_pid=$!
for i in $(seq 50); do [ -S /run/corral/jaild.sock ] && break; sleep 0.1; done
expect backend "cgroups: v2 at /sys/fs/cgroup/corral" "$(jailctl status | grep cgroups)"

# Limits written where a live jail's cgroup has them.
jailctl exec vmuser -- /bin/sleep 3 </dev/null >/dev/null 2>&1 &
sleeper=$!
sleep 1
cg=/sys/fs/cgroup/corral/vmuser
expect memory.max 67108864 "$(cat $cg/memory.max 2>&1)"
expect memory.swap.max 0 "$(cat $cg/memory.swap.max 2>&1)"
expect pids.max 10 "$(cat $cg/pids.max 2>&1)"
expect cpu.max "20000 100000" "$(cat $cg/cpu.max 2>&1)"
expect cgroup-namespace "0::/" "$(jx /bin/cat /proc/self/cgroup)"
# Born in the jail's cgroup (clone3 CLONE_INTO_CGROUP), not moved there afterwards.
expect clone-into-cgroup 0 "$(grep -c 'CLONE_INTO_CGROUP refused' /tmp/jaild.log)"
wait $sleeper

expect pids "forked 8 EAGAIN" "$(jx /opt/corral/jtest fork 30)"
jx /opt/corral/jtest alloc 300 >/dev/null
expect oom-kill 137 "$?"
expect jaild-alive-after-oom 0 "$(jailctl status >/dev/null 2>&1; echo $?)"
share=$(jx /opt/corral/jtest spin 3 | sed -n 's/^cpu //p')
case "$share" in
0.1* | 0.2* | 0.3[0-4]*) pass "cpu.max-20% ($share)" ;;
*) fail cpu.max-20% "a busy loop got $share of a CPU" ;;
esac

# Teardown: when the last process ends, the cgroup goes.
sleep 0.5
expect teardown-removes-cgroup absent "$([ -d $cg ] && echo present || echo absent)"
jailctl exec vmuser -- /bin/sleep 30 </dev/null >/dev/null 2>&1 &
bg=$!
sleep 1
jailctl kill vmuser >/dev/null 2>&1
wait $bg
sleep 0.3
expect kill-uses-cgroup.kill absent "$([ -d $cg ] && echo present || echo absent)"

kill -TERM $jaild_pid
wait $jaild_pid
expect clean-shutdown absent "$([ -d /sys/fs/cgroup/corral ] && echo present || echo absent)"
# A delegated subtree as systemd hands one (Delegate=yes): jaild starts inside svc and
# keeps its jails in svc/jails, so it must move itself to a leaf (no internal processes).
mkdir /sys/fs/cgroup/svc
echo "+memory +pids +cpu" >/sys/fs/cgroup/cgroup.subtree_control
sh -c 'echo $$ >/sys/fs/cgroup/svc/cgroup.procs; exec jaild -f -p /etc/corral/policies -r /run/corral -b v2 -c /sys/fs/cgroup/svc/jails -s /bin/true' >>/tmp/jaild.log 2>&1 &
jaild_pid=$!
for i in $(seq 50); do [ -S /run/corral/jaild.sock ] && break; sleep 0.1; done
expect delegated-subtree "forked 8 EAGAIN" "$(jx /opt/corral/jtest fork 30)"
expect supervisor-leaf "0::/svc/supervisor" "$(cat /proc/$jaild_pid/cgroup)"
kill -TERM $jaild_pid
wait $jaild_pid

if [ $bad -gt 0 ]; then
	echo "VMTEST jaild log:"
	sed 's/^/VMTEST log: /' /tmp/jaild.log | tail -20
fi
echo "VMTEST DONE $ok passed, $bad failed"
poweroff -f
