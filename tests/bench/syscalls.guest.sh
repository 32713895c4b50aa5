#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# System calls per call of stiwfd A (SIP->ISUP) and B (ISUP->SIP), run by
# tests/bench/syscalls.sh where SCTP works (a User-Mode-Linux guest on
# kernels without it; there, with no vDSO, every clock read is a system
# call and strace counts it).  Topology: SIPp UAC (signed INVITEs) ->
# stiwfd A (PC 100) -> osmo-stp -> stiwfd B (PC 200) -> SIPp UAS.
# After a warm-up (x5u fetch, caches), `strace -c -f` is attached to A and
# to B for SC_CALLS calls at SC_RATE per second, then for as long again
# with no call (the idle cost, subtracted).  Writes result.txt: per node
# and system call, the calls per call; ppoll is one event-loop turn.
set -u
. ./env
. ./sc.env
. "$srcdir/tests/integration/lib-bg.sh"
. pki/pki.env
STIWFD=${STIWFD:-$top_builddir/stiwfd}
STIWF=${STIWF:-$top_builddir/stiwf}
BS=$srcdir/tests/bench
SIP_A=33100 SIP_B=33101 UAS=33110 UAC=33111 VTY_A=33120 VTY_B=33121
say() { echo "syscalls: $*"; }
fail() {
	say "FAIL: $*"
	for f in a.log b.log stp.log; do echo "--- $f"; tail -n 40 "$f" 2>/dev/null; done
	exit 1
}

mkdir -p tls ops
httpsd_start tls pki/shaken || fail "x5u server (httpsd)"
X5U_A=https://127.0.0.1:$HTTPSD_PORT/pem/sp-a-chain.pem
cp "$PKI_TSCA_OP1_FULL_CHAIN" ops/
printf 'operator op1\n key-id %s\n prefix 1202555\n' "$PKI_TSCA_OP1_FULL_KEYID" >map.conf
v=$("$STIWF" passport sign --key "$PKI_SHAKEN_SP_A_KEY" --x5u "$X5U_A" --attest A \
	--orig 12025550002 --dest 12025551000) || fail "stiwf passport sign"
printf 'SEQUENTIAL\n12025550002;12025551000;%s;%s\n' "${v%%;*}" "$X5U_A" >signed.csv

node() {	# node VTY SIP KEY CHAIN
	cat <<EOM
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging level set-all notice
line vty
 bind 127.0.0.1 $1
sip
 local 127.0.0.1 $2
 transport udp
stir
 trust-dir $PKI_SHAKEN_TRUST_DIR
 x5u-ca-file $HTTPSD_CA
 x5u-port $HTTPSD_PORT
 x5u-acl permit 127.0.0.0/8
 max-age 3600
 credential key $3 chain $4 x5u $X5U_A
EOM
}
{
	node "$VTY_A" "$SIP_A" "$PKI_SHAKEN_SP_A_KEY" "$PKI_SHAKEN_SP_A_CHAIN"
	cat <<EOM
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 credential key $PKI_TSCA_OP1_FULL_KEY chain $PKI_TSCA_OP1_FULL_CHAIN
sip-peer uac
 remote 127.0.0.1 $UAC
 on-stir-failure reject
 country-code 1
ss7-peer b
 cs7-instance 0
 point-code 200
 cic 1 200
 country-code 1
 number-format international
route 1202555 ss7-peer b
EOM
	cat "$srcdir/contrib/ss7/iwf-a.cs7.cfg"
} >a.cfg
{
	node "$VTY_B" "$SIP_B" "$PKI_SHAKEN_SP_B_KEY" "$PKI_SHAKEN_SP_B_CHAIN"
	cat <<EOM
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 cert-dir $PWD/ops
 map-file $PWD/map.conf
sip-peer uas
 remote 127.0.0.1 $UAS
 country-code 1
ss7-peer iwf-a
 cs7-instance 0
 point-code 100
 cic 1 200
 country-code 1
 number-format international
 sip-peer uas
EOM
	cat "$srcdir/contrib/ss7/iwf-b.cs7.cfg"
} >b.cfg

bg_start stp "Available via telnet" stp.log osmo-stp -c "$srcdir/contrib/ss7/osmo-stp.cfg" || fail "osmo-stp"
bg_start b "DMAIN NOTICE ready:" b.log "$STIWFD" -c b.cfg || fail "stiwfd B did not start"
bg_start a "DMAIN NOTICE ready:" a.log "$STIWFD" -c a.cfg || fail "stiwfd A did not start"
wait_log a.log "all 200 circuits reset" 1 120 || fail "A's circuits were never reset"
wait_log b.log "all 200 circuits reset" 1 120 || fail "B's circuits were never reset"
pid_a=$(bg_pid a) pid_b=$(bg_pid b)
say "osmo-stp, stiwfd A and B up (${SECONDS}s)"

# calls N RATE DIR: N calls at RATE per second, each held 100 ms
calls() {
	sipp_bg UAS_PID -sf "$BS/uas.xml" -i 127.0.0.1 -p "$UAS" -m "$1" -timeout 120s \
		-trace_err -error_file "$3.uas.err" || fail "SIPp UAS"
	timeout 150 sipp -sf "$BS/uac_identity.xml" "127.0.0.1:$SIP_A" -i 127.0.0.1 -p "$UAC" \
		-inf "$PWD/signed.csv" -m "$1" -r "$2" -d 100 -nostdin -timeout 120s \
		-trace_stat -stf "$3.stat" -trace_err -error_file "$3.uac.err" >/dev/null 2>&1 ||
		say "$3: SIPp saw failed calls (strace slows the guest): see $3.uac.err"
	# after a failed call the callee may wait for ever
	wait_exit "$UAS_PID" 20 || kill -KILL "$UAS_PID" 2>/dev/null
}
# strace_on NAME PID: counts NAME's system calls until strace_off
strace_on() {
	strace -f -c -o "$1.strace" -p "$2" 2>"$1.strace.err" &
	eval "STRACE_$1=$!"
	# attached before the load: with -f, strace takes every thread of
	# the process first ("Process PID attached with N threads")
	wait_log "$1.strace.err" "Process $2 attached" 1 10 || fail "strace did not attach to $1 ($2)"
}
strace_off() {
	eval "kill -INT \$STRACE_$1; wait \$STRACE_$1"
}

calls 20 10 warm
say "warm-up: 20 calls (${SECONDS}s)"
for r in $SC_ROUNDS; do
	strace_on a$r "$pid_a"
	strace_on b$r "$pid_b"
	t0=$SECONDS
	calls "$SC_CALLS" "$SC_RATE" load$r
	sleep 2		# the BYE transactions end
	strace_off a$r
	strace_off b$r
	t=$((SECONDS - t0))
	strace_on ai$r "$pid_a"
	strace_on bi$r "$pid_b"
	sleep "$t"
	strace_off ai$r
	strace_off bi$r
	say "round $r: $SC_CALLS calls at $SC_RATE/s over ${t}s, then ${t}s idle (${SECONDS}s)"
done
# result.txt: "ROUND NODE SYSCALL LOAD IDLE" per line
: >result.txt
for r in $SC_ROUNDS; do
	for n in a b; do
		awk -v r="$r" -v n="$n" '$1 ~ /^[0-9.]+$/ && NF >= 5 { if (FILENAME == ARGV[1]) i[$NF] = $4; else print r, n, $NF, $4, ($NF in i) ? i[$NF] : 0 }' \
			"$n"i"$r.strace" "$n$r.strace" >>result.txt
	done
done
kill -TERM "$pid_a" "$pid_b" "$(bg_pid stp)" 2>/dev/null
say "done (${SECONDS}s)"
