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
	"$@" >"$log.fifo" 2>&1 &
	eval "BG_PID_$name=$!"
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
