# SPDX-License-Identifier: GPL-3.0-or-later
# Bash helpers to start a background process and wait, without sleeping,
# until it printed a given line.  Source it.

# bg_start NAME PATTERN LOGFILE CMD... : run CMD with stdout+stderr going
# to LOGFILE through a fifo; return once a line matches PATTERN (grep -E)
# or CMD ended (status 1).  Sets BG_PID_<NAME>.
bg_start() {
	local name=$1 pat=$2 log=$3 line ok=1
	shift 3
	rm -f "$log.fifo"
	mkfifo "$log.fifo"
	# its own session and process group, so that cleanup reaches the
	# children it forks (Kamailio's workers, ...)
	setsid "$@" >"$log.fifo" 2>&1 &
	eval "BG_PID_$name=$!"
	BG_ALL_GROUPS="$BG_ALL_GROUPS $!"
	exec {fd}<"$log.fifo"
	: >"$log"
	while IFS= read -r -t 60 line <&"$fd"; do
		printf '%s\n' "$line" >>"$log"
		if printf '%s\n' "$line" | grep -Eq "$pat"; then
			ok=0
			break
		fi
	done
	cat <&"$fd" >>"$log" &
	exec {fd}<&-
	rm -f "$log.fifo"
	[ $ok = 0 ] || { echo "$name did not print /$pat/; its output:"; sed 's/^/  | /' "$log"; }
	return $ok
}

# bg_pid NAME
bg_pid() {
	eval "echo \$BG_PID_$1"
}

# Every process started by bg_start (with all it forked) or sipp_bg is
# killed when the script exits, whatever happens to it.
BG_ALL_PIDS=""
BG_ALL_GROUPS=""
bg_cleanup() {
	local p
	for p in $BG_ALL_GROUPS; do
		kill -TERM -- "-$p" 2>/dev/null
	done
	for p in $BG_ALL_PIDS; do
		kill -KILL "$p" 2>/dev/null
	done
	for p in $BG_ALL_GROUPS; do
		kill -KILL -- "-$p" 2>/dev/null
	done
}
trap 'bg_cleanup; if type stiwfd_cleanup >/dev/null 2>&1; then stiwfd_cleanup; fi' EXIT

# sipp_bg VAR ARGS...: start SIPp in background mode; it forks once its
# sockets are bound, so the peer can send right away.  The pid goes in VAR.
sipp_bg() {
	local var=$1 out pid
	shift
	out=$(sipp "$@" -nostdin -bg 2>&1)
	pid=$(printf '%s\n' "$out" | sed -n 's/.*PID=\[\([0-9]*\)\].*/\1/p')
	if [ -z "$pid" ]; then
		echo "SIPp did not start: $out"
		return 1
	fi
	BG_ALL_PIDS="$BG_ALL_PIDS $pid"
	eval "$var=$pid"
}

# wait_exit PID SECONDS: wait until a process that is not our child ends.
wait_exit() {
	timeout "$2" tail --pid="$1" -f /dev/null
}

# httpsd_start DIR DOCROOT: serve DOCROOT with tests/certs/httpsd ($HTTPSD
# when set, as for an installed "stiwf bench e2e") over TLS
# on 127.0.0.1 (/pem/FILE, see there), with a throw-away test CA and server
# certificate made in DIR.  Returns once it printed READY (no sleeping);
# sets HTTPSD_PORT and HTTPSD_CA (the CA file a client must trust).
httpsd_start() {
	local d=$1 root=$2 ready="" port="" raw="" fd
	(
		cd "$d" || exit 1
		umask 077
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
			-out ca.pem -subj '/CN=stiwf interop test CA' -days 2 \
			-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign &&
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout srv.key \
			-out srv.csr -subj /CN=localhost &&
		printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >srv.ext &&
		openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
			-extfile srv.ext -out srv.pem
	) >/dev/null 2>&1 || { echo "httpsd: cannot make the TLS test CA"; return 1; }
	rm -f "$d/httpsd.fifo"
	mkfifo "$d/httpsd.fifo"
	"${HTTPSD:-$top_builddir/tests/certs/httpsd}" "$d/srv.pem" "$d/srv.key" "$root" >"$d/httpsd.fifo" 2>&1 &
	BG_ALL_PIDS="$BG_ALL_PIDS $!"
	exec {fd}<"$d/httpsd.fifo"
	read -r -t 30 ready port raw <&"$fd"
	cat <&"$fd" >"$d/httpsd.log" &
	exec {fd}<&-
	rm -f "$d/httpsd.fifo"
	[ "$ready" = READY ] || { echo "httpsd did not start"; return 1; }
	HTTPSD_PORT=$port
	HTTPSD_CA=$d/ca.pem
}

# wait_log FILE PATTERN COUNT SECONDS: wait until FILE (a log written by a
# bg_start process) holds COUNT lines matching PATTERN (grep -E), or fail
# after SECONDS.  The file is read again every 0.1 s: the wait ends within
# 0.1 s of the line being written and never before it.  (A tail -F | grep
# -m pipeline returns only when tail next writes, which inside the
# User-Mode-Linux guest, without inotify, was the deadline itself.)
wait_log() {
	local file=$1 pat=$2 count=$3 deadline=$((SECONDS + $4))
	while [ "$(grep -Ec -- "$pat" "$file" 2>/dev/null)" -lt "$count" ]; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.1
	done
}
