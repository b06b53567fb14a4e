#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every man page renders without a single groff message (-ww: all warnings) and holds no stray
# control byte: a literal form feed where "\f" was meant renders as "Bjailctl listR" and groff
# does not warn about it.  Pages to check may be given as arguments; by default all of man/.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v groff >/dev/null || { echo "SKIP: groff not installed (apt-get install groff-base)"; exit 77; }
[ $# -gt 0 ] || set -- "$top_srcdir"/man/*.[1-8]
out=$(mktemp)
trap 'rm -f "$out"' EXIT
ctl=$(printf '[\001-\010\013-\037\177]') # all but tab and newline
status=0
for page in "$@"; do
	# groff exits 0 on warnings and prints some without the word "warning": any output fails.
	LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" >"$out" 2>&1 || echo "groff exited $?" >>"$out"
	LC_ALL=C grep -naE "$ctl" "$page" | cat -v | sed 's/^/control byte at line /' >>"$out" || true
	[ "$(tr -d '\000' <"$page" | wc -c)" -eq "$(wc -c <"$page")" ] || echo "NUL byte" >>"$out"
	if [ -s "$out" ]; then
		echo "FAIL: $page"
		sed 's/^/  /' "$out"
		status=1
	else
		echo "ok: $page"
	fi
done
exit $status
