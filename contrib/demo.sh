#!/bin/bash
# The first of the README's two commands: install what is missing, build,
# and run the main job.  For now: start stiwfd with the sample configuration
# (SIP on 127.0.0.1:5060/udp, console on 127.0.0.1:4270), ping it with a SIPp
# OPTIONS, ask its console "show version" and "show sip", and stop it.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
contrib/install-deps.sh
contrib/build.sh build --enable-werror >build.log 2>&1 || {
	tail -n 40 build.log
	echo "demo: build failed (full log in build.log)"
	exit 1
}
echo "demo: built stiwfd $(build/stiwfd -V | cut -d' ' -f2)"

top_builddir=$top/build
srcdir=$top
. "$top/tests/integration/lib.sh"
dir=$(mktemp -d "$top/build/demo.XXXXXX")
conf=$top/contrib/stiwfd.conf

for p in 5060/udp 4270/tcp; do
	if ss -Hln "$(case $p in */udp) echo -u ;; *) echo -t ;; esac)" "sport = :${p%/*}" 2>/dev/null | grep -q .; then
		echo "demo: port $p is in use; stop what holds it or edit $conf"
		exit 1
	fi
done

echo "demo: starting stiwfd -c $conf"
stiwfd_start "$dir" "$conf" || exit 1
sed 's/^/  stiwfd| /' "$dir/stiwfd.log"

echo "demo: SIPp sends OPTIONS to sip:127.0.0.1:5060"
if sipp_run options "$top/contrib/sipp/options.xml" 127.0.0.1:5060 5070 1; then
	sed -n '/^SIP\/2.0 200/,/^Content-Length/p' "$dir/options.msgs" | sed 's/^/  sipp<| /'
else
	echo "demo: SIPp got no 200 to its OPTIONS"
	stiwfd_stop || true
	exit 1
fi

echo "demo: VTY console, 'show version' and 'show sip'"
"$top/build/stiwf" vty 'show version' 'show sip' | sed 's/^/  vty| /'

echo "demo: stopping stiwfd (SIGTERM)"
rc=0
stiwfd_stop || rc=$?
tail -n 2 "$dir/stiwfd.log" | sed 's/^/  stiwfd| /'
rm -rf "$dir"
if [ $rc -ne 0 ]; then
	echo "demo: stiwfd exited with status $rc"
	exit 1
fi
echo "demo: stiwfd answered OPTIONS and the console, and stopped cleanly"
