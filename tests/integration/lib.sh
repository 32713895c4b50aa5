# SPDX-License-Identifier: GPL-3.0-or-later
# Bash helpers for the integration tests and the demo: start stiwfd, wait
# until it says it is ready (read from its log stream, no sleeps), stop it.
# Needs bash (read -t).
# Source this file; it expects $top_builddir (default .).

top_builddir=${top_builddir:-.}
STIWFD=${STIWFD:-$top_builddir/stiwfd}
STIWF=${STIWF:-$top_builddir/stiwf}

# stiwf_port_base: print a base port B such that B..B+19 are this test's
# alone.  Tests run side by side (make -j): each reserves a block of 20
# ports below the kernel's ephemeral range (where no other program's
# outgoing sockets land) by creating /tmp/stiwf-ports.UID/B atomically,
# tied to the test script's process: a block whose owner has exited is
# free again.  A block some other program listens in is skipped.
stiwf_port_base() {
	local dir=/tmp/stiwf-ports.$(id -u) eph top n k i b owner used
	eph=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	top=$(( ${eph:-32768} < 60000 ? ${eph:-32768} : 60000 ))
	[ "$top" -ge 21000 ] || top=60000
	n=$(( (top - 20000) / 20 ))
	mkdir -p "$dir" 2>/dev/null
	k=$(( ($$ * 7 + $(date +%N | sed 's/^0*//;s/^$/0/')) % n ))
	for ((i = 0; i < n; i++)); do
		b=$(( 20000 + 20 * ((k + i) % n) ))
		if ! mkdir "$dir/$b" 2>/dev/null; then
			owner=$(cat "$dir/$b/pid" 2>/dev/null) || continue
			[ -n "$owner" ] && kill -0 "$owner" 2>/dev/null && continue
			# the owner has exited: take the block over under a lock
			# of its own, looking at the owner again once it is held
			# (another test may have taken the block over meanwhile)
			mkdir "$dir/$b.lock" 2>/dev/null || continue
			owner=$(cat "$dir/$b/pid" 2>/dev/null)
			if [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null; then
				rmdir "$dir/$b.lock"
				continue
			fi
			rm -rf "$dir/$b"
			if ! mkdir "$dir/$b" 2>/dev/null; then
				# a new taker's plain mkdir came first
				rmdir "$dir/$b.lock"
				continue
			fi
			echo $$ >"$dir/$b/pid"
			rmdir "$dir/$b.lock"
		fi
		echo $$ >"$dir/$b/pid"
		used=$(ss -Htuan 2>/dev/null | awk -v lo=$b -v hi=$((b + 19)) \
			'{ n = split($5, a, ":"); p = a[n] + 0; if (p >= lo && p <= hi) { print p; exit } }')
		if [ -z "$used" ]; then
			echo "$b"
			return
		fi
		rm -rf "$dir/$b"
	done
	echo "stiwf_port_base: no free block of 20 ports in 20000..$top" >&2
	echo 20000
}

# Whatever happens to the script, no stiwfd outlives it.
STIWFD_PID=""
stiwfd_cleanup() {
	if [ -n "$STIWFD_PID" ] && kill -0 "$STIWFD_PID" 2>/dev/null; then
		kill -KILL "$STIWFD_PID" 2>/dev/null
	fi
}
trap stiwfd_cleanup EXIT

# stiwfd_start DIR CONF [WRAPPER...]
# Starts stiwfd (optionally under WRAPPER, e.g. valgrind) with its stderr in
# DIR/stiwfd.log, and returns once it logged "ready:" (0) or died (1).
# Sets STIWFD_PID.
stiwfd_start() {
	_dir=$1; _conf=$2; shift 2
	rm -f "$_dir/stiwfd.fifo"
	mkfifo "$_dir/stiwfd.fifo"
	"$@" "$STIWFD" -c "$_conf" 2>"$_dir/stiwfd.fifo" &
	STIWFD_PID=$!
	exec 7<"$_dir/stiwfd.fifo"
	: >"$_dir/stiwfd.log"
	_ready=1
	# 60 s covers a start under valgrind on a loaded machine.
	while IFS= read -r -t 60 _line <&7; do
		printf '%s\n' "$_line" >>"$_dir/stiwfd.log"
		case $_line in
		*"DMAIN NOTICE ready:"*) _ready=0; break ;;
		esac
	done
	# keep draining the log until stiwfd exits
	cat <&7 >>"$_dir/stiwfd.log" &
	STIWFD_LOGCAT=$!
	exec 7<&-
	rm -f "$_dir/stiwfd.fifo"
	if [ $_ready != 0 ]; then
		echo "stiwfd did not become ready; its log:" >&2
		sed 's/^/  | /' "$_dir/stiwfd.log" >&2
	fi
	return $_ready
}

# stiwfd_stop [SIGNAL]: SIGTERM (or SIGNAL), wait for the exit, return its
# exit status.
stiwfd_stop() {
	kill -"${1:-TERM}" "$STIWFD_PID" 2>/dev/null
	wait "$STIWFD_PID"
	_rc=$?
	STIWFD_PID=""
	wait "$STIWFD_LOGCAT" 2>/dev/null
	return $_rc
}

# sipp_run NAME SCENARIO TARGET LOCALPORT CALLS [EXTRA...]
# Runs a SIPp scenario to completion; its messages go to $dir/NAME.msgs.
sipp_run() {
	_name=$1; _sf=$2; _target=$3; _lport=$4; _calls=$5; shift 5
	timeout 30 sipp -sf "$_sf" "$_target" -i 127.0.0.1 -p "$_lport" -m "$_calls" -r 10 \
		-nostdin -timeout 20s -timeout_error -trace_msg -message_file "$dir/$_name.msgs" \
		-trace_err -error_file "$dir/$_name.err" -trace_screen -screen_file "$dir/$_name.screen" \
		"$@" >/dev/null 2>&1
}
