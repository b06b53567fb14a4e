#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# scripts/demo for real, as a newcomer runs it, in a tmux terminal (with this build, through
# CORRAL_BUILD, so that it does not build another): the commands of the README's "Try it"
# transcript are typed at its prompt, and every line of that transcript from "demo: creating
# the user" on must show, in order, with numbers, session ids and the temporary directory's
# name masked.  So the README says what a run prints.  Root only: it creates a user and a jail.
set -eu
skip() { echo "SKIP: $*"; exit 77; }
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
[ "$(id -u)" -eq 0 ] || skip "scripts/demo needs root (it creates a user and a jail)"
command -v tmux >/dev/null || skip "tmux is missing (scripts/test installs it)"
[ -x "$top_builddir/jailctl/jailctl" ] || skip "no build in $top_builddir (make check sets top_builddir)"
! id corral-demo >/dev/null 2>&1 || skip "the user corral-demo exists: is scripts/demo running?"

work=$(mktemp -d)
tm="tmux -L corral-demo-test-$$ -f /dev/null"
cleanup() {
	$tm kill-server 2>/dev/null || true
	# The demo removes its user on the way out, even when its terminal goes; wait for it.
	for _ in $(seq 50); do id corral-demo >/dev/null 2>&1 || break; sleep 0.2; done
	rm -rf "$work"
}
trap cleanup EXIT

# The transcript: the README's "Try it" section, its fenced block that has no language.
awk '/^## / { sec = ($0 == "## Try it") }
	sec && /^```/ { if (inb && lang == "") exit; inb = !inb; lang = substr($0, 4); next }
	sec && inb && lang == ""' "$top_srcdir/README.md" >"$work/readme"
sed -n '/^demo: creating the user/,$p' "$work/readme" >"$work/expected"
sed -n 's/^corral-demo@demo:~\$ //p' "$work/expected" >"$work/commands"
[ -s "$work/expected" ] && [ -s "$work/commands" ] ||
	{ echo "FAIL: no transcript with commands in README.md's Try it section"; exit 1; }

capture() { $tm capture-pane -p -J -S - -t demo >"$work/screen" 2>/dev/null || true; }
wait_for() { # ERE, count: until the terminal shows that many lines matching it
	for _ in $(seq 150); do
		capture
		[ "$(grep -cE -- "$1" "$work/screen")" -lt "$2" ] || return 0
		grep -q '^demo-exit=' "$work/screen" && break
		sleep 0.2
	done
	echo "FAIL: no $2 lines matching '$1' (after 30 s or the demo's end); the terminal shows:"
	cat "$work/screen"
	exit 1
}

$tm new-session -d -s demo -x 200 -y 50 \
	"CORRAL_BUILD='$top_builddir' '$top_srcdir/scripts/demo'; echo demo-exit=\$?; sleep 600"
prompt='^corral-demo@demo:~\$ '
n=1
while IFS= read -r cmd; do
	wait_for "$prompt" "$n"
	$tm send-keys -t demo -l "$cmd"
	$tm send-keys -t demo Enter
	n=$((n + 1))
done <"$work/commands"
wait_for '^demo-exit=' 1
grep -qx 'demo-exit=0' "$work/screen" || { echo "FAIL: scripts/demo failed:"; cat "$work/screen"; exit 1; }

# Masks only what differs from run to run: the temporary directory, the session id, uids and
# gids, the memory and CPU time used, ps's TIME; and squeezes the spaces that line them up.
mask() {
	sed -E -e 's/corral-demo-[A-Za-z0-9]{6}/corral-demo-XXXXXX/g' \
		-e 's/session [0-9a-f]{8}/session ID/g' -e 's/([ug]id|groups)=[0-9]+/\1=N/g' \
		-e 's/^(memory: +)[0-9.]+[KMG]?/\1N/' -e 's/^(cpu time: +)[0-9.]+/\1N/' \
		-e 's/[0-9]{2}:[0-9]{2}:[0-9]{2}/TIME/' -e 's/ +/ /g' -e 's/ $//' "$1"
}
mask "$work/expected" >"$work/expected.m"
mask "$work/screen" >"$work/screen.m"
# Each README line in order: it must come after the line that matched the one before it.
at=0
status=0
while IFS= read -r line; do
	found=$(awk -v at="$at" -v l="$line" 'NR > at && $0 == l { print NR; exit }' "$work/screen.m")
	if [ -z "$found" ]; then
		echo "FAIL: README.md's transcript line not printed (in this order) by scripts/demo:"
		echo "  $line"
		status=1
	else
		at=$found
	fi
done <"$work/expected.m"
if [ $status -ne 0 ]; then
	echo "what scripts/demo printed:"
	cat "$work/screen"
else
	echo "ok: scripts/demo printed the README's transcript ($(wc -l <"$work/expected") lines," \
		"$(wc -l <"$work/commands") commands typed)"
fi
exit $status
