# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the benchmarks: a temporary jaild with one user and a policy, removed on exit.
# Figures are ratios against a baseline measured in the same run.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${CORRAL_BUILD:-$top/build/plain}
user=corral-bench
users=()
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root" >&2; exit 1; }
[ -x "$bin/jaild/jaild" ] || { echo "bench: build first (scripts/test or make in $bin)" >&2; exit 1; }

bench_setup() {
	tmp=$(mktemp -d /var/tmp/corral-bench-XXXXXX)
	chmod 755 "$tmp"
	mkdir -p "$tmp/policies/users" "$tmp/home" "$tmp/jhome"
	chmod 755 "$tmp/policies" "$tmp/policies/users" "$tmp/home"
	chmod 711 "$tmp/jhome"
	cat >"$tmp/policies/default.conf" <<POLICY
jail = { binds = ( { src = "/usr"; }, { src = "/bin"; }, { src = "/lib"; },
	{ src = "/lib64"; optional = true; } ); home = "$tmp/jhome/%u"; tmp = "64M"; };
limits = { memory = "512M"; pids = 64; cpu = "100%"; };
shell = { program = "rshell"; commands = ["cat", "true"]; idle = "0"; history = 0;
	env = ["HOME=%h", "ASAN_OPTIONS=detect_leaks=0"]; };
POLICY
	printf '\n' >"$tmp/policies/users/$user.conf"
	chmod 644 "$tmp/policies/default.conf" "$tmp/policies/users/$user.conf"
	userdel "$user" 2>/dev/null || true
	useradd -M -d "$tmp/home/$user" -s "$bin/rshell/rshell" -U "$user"
	bench_homes "$user" "$user"
	trap bench_teardown EXIT
	bench_start_jaild
}

# jaild_wrapper (an array, e.g. valgrind and its options) runs in front of jaild when set.
bench_start_jaild() {
	rm -f "$tmp/run/jaild.sock"
	${jaild_wrapper[@]+"${jaild_wrapper[@]}"} "$bin/jaild/jaild" -f -p "$tmp/policies" \
		-r "$tmp/run" -c corral-bench -s "$bin/rshell/rshell" >>"$tmp/jaild.log" 2>&1 &
	jaild_pid=$!
	for _ in $(seq 300); do [ -S "$tmp/run/jaild.sock" ] && break; sleep 0.1; done
	sock=$tmp/run/jaild.sock
	[ -S "$sock" ] || { echo "bench: jaild did not start; see $tmp/jaild.log" >&2; exit 1; }
}

bench_stop_jaild() {
	kill "$jaild_pid" 2>/dev/null && wait "$jaild_pid" 2>/dev/null || true
}

# Keeps the user's jail alive with an idle session (cat waiting on a fifo) until teardown.
bench_hold_jail() {
	mkfifo "$tmp/hold"
	runuser -u "$user" -- env CORRAL_SOCKET="$sock" "$bin/rshell/rshell" -c cat \
		<"$tmp/hold" >/dev/null 2>&1 &
	holder=$!
	exec {hold_fd}>"$tmp/hold"
	for _ in $(seq 50); do
		"$bin/jailctl/jailctl" list --socket "$sock" 2>/dev/null | grep -q "$user" && return
		sleep 0.1
	done
	echo "bench: the jail of $user did not start; see $tmp/jaild.log" >&2
	exit 1
}

bench_release_jail() {
	if [ -n "${hold_fd:-}" ]; then
		exec {hold_fd}>&-
		wait "$holder" 2>/dev/null || true
		hold_fd=
		rm -f "$tmp/hold"
	fi
}

bench_teardown() {
	bench_release_jail
	bench_stop_jaild
	userdel "$user" 2>/dev/null || true
	for u in "${users[@]}"; do userdel "$u" 2>/dev/null || true; done
	[ "${bench_nusers:-0}" -gt 0 ] && groupdel corral-bsc 2>/dev/null
	true
	rm -rf "$tmp"
}

# An enrolled user's layout (what jailctl enroll leaves): the passwd home root's and empty, the
# files in the jail home $tmp/jhome/USER, which the jail shows at the passwd home's path.
bench_homes() { # USER GROUP
	mkdir -p "$tmp/home/$1" "$tmp/jhome/$1"
	chown "$1:$2" "$tmp/jhome/$1"
	chmod 700 "$tmp/jhome/$1"
}

# N users (prefix corral-bs, group corral-bsc, homes under $tmp/home) in the array users;
# their jails linger for an hour, so that all of them can be live at once.  Removed on exit.
bench_make_users() { # N
	local u i
	users=()
	bench_nusers=$1
	groupdel corral-bsc 2>/dev/null || true
	groupadd corral-bsc
	mkdir -p "$tmp/policies/groups"
	chmod 755 "$tmp/policies/groups"
	printf 'inherit = "default";\npriority = 1;\nsession = { linger = "1h"; };\n' \
		>"$tmp/policies/groups/corral-bsc.conf"
	chmod 644 "$tmp/policies/groups/corral-bsc.conf"
	for i in $(seq "$1"); do
		u=$(printf 'corral-bs%04d' "$i")
		userdel "$u" 2>/dev/null || true
		useradd -M -d "$tmp/home/$u" -s "$bin/rshell/rshell" -g corral-bsc "$u"
		bench_homes "$u" corral-bsc
		users+=("$u")
	done
	kill -HUP "$jaild_pid"
	sleep 0.5
}

now() { date +%s.%N; }
# Median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
machine() { echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r), $(. /etc/os-release; echo "$PRETTY_NAME")"; }
