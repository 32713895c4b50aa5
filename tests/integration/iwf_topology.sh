# SPDX-License-Identifier: GPL-3.0-or-later
# The two-IWF topology of ARCHITECTURE §6, shared by iwf_e2e.guest.sh and
# iwf_e2e2.guest.sh.  Source it after lib-bg.sh, in the guest's output
# directory (./env read, pki/ made on the host).  It provides:
#   topo_pki           x5u server, B's operator directory and map file
#   topo_head_a FILE   A's configuration up to its peers (log, vty, sip,
#   topo_head_b FILE   stir, tsca); the script appends peers, routes and
#                      the cs7 node (topo_cs7 a|b)
#   topo_start N [STP-CFG]  dumpcap, osmo-stp, B, A; returns once both
#                      trunks to each other are reset (N circuits)
#   topo_wait_reset LOG TRUNK N  see there
#   uac, uas           one SIPp call, one SIPp callee (see there)
#   topo_stop          stops them all, failing if an IWF did not stop cleanly
# and the variables STIWFD, STIWF, SC, SIP_A, SIP_B, VTY_A, VTY_B, X5U_A,
# X5U_B, plus PKI_* from pki/pki.env.  The caller defines fail().
STIWFD=$top_builddir/stiwfd
STIWF=$top_builddir/stiwf
SC=$srcdir/tests/integration/sipp
base=${STIWF_E2E_PORT_BASE:-31000}
SIP_A=$base SIP_B=$((base + 1))
VTY_A=$((base + 10)) VTY_B=$((base + 11))
. pki/pki.env

topo_pki() {
	mkdir -p tls ops
	httpsd_start tls pki/shaken || fail "x5u server (httpsd)"
	X5U_A=https://127.0.0.1:$HTTPSD_PORT/pem/sp-a-chain.pem
	X5U_B=https://127.0.0.1:$HTTPSD_PORT/pem/sp-b-chain.pem
	echo "x5u over HTTPS (test CA) from 127.0.0.1:$HTTPSD_PORT (${SECONDS}s)"
	# B knows operator One's signing certificate locally (ARCHITECTURE §3 cert-dir)
	cp "$PKI_TSCA_OP1_FULL_CHAIN" ops/
	# the map lets operator One (its key pinned) vouch for 1202555xxxx:
	# attest B for its calls
	cat >map.conf <<EOM
operator op1
 spki-sha256 $PKI_TSCA_OP1_FULL_SPKI
 prefix 1202555
EOM
}

topo_common_log() {
	cat <<EOM
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging print level 1
 logging level set-all notice
 logging level main info
 logging level iwf info
 logging level ss7 info
 logging level stir info
timer isup T22 1
timer isup T16 1
EOM
}

topo_head_a() {
	{
		topo_common_log
		cat <<EOM
line vty
 bind 127.0.0.1 $VTY_A
sip
 local 127.0.0.1 $SIP_A
 transport udp
stir
 trust-dir $PKI_SHAKEN_TRUST_DIR
 x5u-ca-file $HTTPSD_CA
 x5u-port $HTTPSD_PORT
 x5u-acl permit 127.0.0.0/8
 credential key $PKI_SHAKEN_SP_A_KEY chain $PKI_SHAKEN_SP_A_CHAIN x5u $X5U_A
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 credential key $PKI_TSCA_OP1_FULL_KEY chain $PKI_TSCA_OP1_FULL_CHAIN
EOM
	} >"$1"
}

topo_head_b() {
	{
		topo_common_log
		cat <<EOM
line vty
 bind 127.0.0.1 $VTY_B
sip
 local 127.0.0.1 $SIP_B
 transport udp
stir
 trust-dir $PKI_SHAKEN_TRUST_DIR
 x5u-ca-file $HTTPSD_CA
 x5u-port $HTTPSD_PORT
 x5u-acl permit 127.0.0.0/8
 credential key $PKI_SHAKEN_SP_B_KEY chain $PKI_SHAKEN_SP_B_CHAIN x5u $X5U_B
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 cert-dir $PWD/ops
 map-file $PWD/map.conf
EOM
	} >"$1"
}

# topo_cs7 a|b: the IWF's cs7 node (an ASP of osmo-stp)
topo_cs7() {
	cat "$srcdir/contrib/ss7/iwf-$1.cs7.cfg"
}

topo_start() {
	local n=$1 stp_cfg=${2:-$srcdir/contrib/ss7/osmo-stp.cfg}

	bg_start dumpcap "Capturing on" dumpcap.log \
		dumpcap -n -i lo -B 64 -f "sctp port 2905" -w capture.pcapng || fail "dumpcap did not start"
	bg_start stp "Available via telnet" stp.log osmo-stp -c "$stp_cfg" || fail "osmo-stp did not start"
	bg_start b "DMAIN NOTICE ready:" b.log "$STIWFD" -c b.cfg || fail "stiwfd B did not start"
	bg_start a "DMAIN NOTICE ready:" a.log "$STIWFD" -c a.cfg || fail "stiwfd A did not start"
	echo "stiwfd A and B started (${SECONDS}s)"
	# both trunks reset (Q.764 §2.9.3): a GRA in each direction
	topo_wait_reset a.log iwf-b "$n" || fail "A's circuits were never reset"
	topo_wait_reset b.log iwf-a "$n" || fail "B's circuits were never reset"
}

# topo_wait_reset LOG TRUNK N: the N circuits of TRUNK were reset (Q.764
# §2.9.3): a GRA, or for a single circuit the RLC of its RSC
topo_wait_reset() {
	if [ "$3" = 1 ]; then
		wait_log "$1" "$2: CIC [0-9]+: reset acknowledged" 1 20
	else
		wait_log "$1" "$2: CIC [0-9]+: GRA, $3 circuits reset" 1 20
	fi
}

# uac NAME SCENARIO SRCADDR CSV [PORT]: one call from SIPp (port $UAC)
# to A, or to the IWF listening on PORT
uac() {
	timeout 40 sipp -sf "$2" "127.0.0.1:${5:-$SIP_A}" -i "$3" -p "$UAC" -inf "$4" -m 1 -nostdin \
		-timeout 30s -timeout_error -trace_msg -message_file "$1.msgs" -trace_err -error_file "$1.err" \
		>/dev/null 2>&1
}
# uas NAME SCENARIO PORT: a callee in the background; its pid in UAS_PID
uas() {
	sipp_bg "UAS_PID" -sf "$2" -i 127.0.0.1 -p "$3" -m 1 -timeout 40s -trace_msg -message_file "$1.msgs" \
		-trace_err -error_file "$1.err"
}

topo_stop() {
	kill -TERM "$(bg_pid a)" "$(bg_pid b)"
	wait "$(bg_pid a)" || fail "stiwfd A did not stop cleanly"
	wait "$(bg_pid b)" || fail "stiwfd B did not stop cleanly"
	kill -INT "$(bg_pid dumpcap)"
	wait "$(bg_pid dumpcap)"
	kill -TERM "$(bg_pid stp)"
	wait "$(bg_pid stp)" 2>/dev/null
}
