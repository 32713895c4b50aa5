# SPDX-License-Identifier: GPL-3.0-or-later
# The MAP attack topology, sourced by map_attack.guest.sh and the demo
# (contrib/demo/topology.guest.sh); it runs where SCTP works, in the
# current directory, after lib-bg.sh, with STIWFD, EP (tests/ss7/sccp_endpoint)
# and the test PKI's pki.env loaded.
#
#                                  osmo-stp (M3UA, PC 1)
#   partner's VLR, SMSC, HLR ─► stiwfd A ───┐
#   (PC 500, GTs 3360...)       (PC 100,    │
#                                sign)      ├─► stiwfd B ─► our HLR and VLR
#   attacker / interconnect ────────────────┘   (PC 200,    (PC 400, GTs 4930...,
#   (PC 300, GT 447..., and spoofing            verify,      they only count
#    the partner's 3360...)                     screen)      what arrives)
#
# A is the roaming partner's border: it signs what the partner's nodes send
# with operator Two's TSCA credential.  B is the border of the HLR's
# network: it verifies, screens by GSMA FS.11 category under the policy
# of the phase (tag, screen or reject, the same for every foreign
# map-peer), strips the signature towards our nodes and answers a blocked
# message with a UDTS, so that the attacker sees one answer per blocked
# message and the HLR one message per forwarded one.

# ---------------------------------------------------------------------------
# The messages.  Every TCAP octet below was encoded by a stack no one here
# wrote; tests/integration/map_attack_vectors.md names each source and
# what it states.  "composed" marks the two messages for which no whole
# independent TCAP Begin was found: their MAP argument is jSS7's, the
# Begin around it (OTID, AARQ of the operation's v2/v3 context, one
# Invoke with invoke ID 1) was written here from Q.773.
# ---------------------------------------------------------------------------

# tom-code/teltool app/comp_asn.js, the sample of its BER decoder:
# updateLocation (2) of IMSI 334020272951727, MSC and VLR 12063138074,
# networkLocUpContext-v3, indefinite-length component portion
MA_UL=626148049f08011e6b1e281c060700118605010101a011600f80020780a1090607040000010001036c80a135020101020102302d040833040272921527f78107912160138370f40407912160138370f4a60f800204c0810101850204f0870203c00000
# gomaja/go-tcap go_tcap_test.go TestDer "2- SRI SM": sendRoutingInfoForSM (45)
MA_SRISM=62494804004734a86b1e281c060700118605010101a011600f80020780a1090607040000010014036c21a11f02010002012d3017800891328490507608f38101ff820891328490000005f7
# P1sec/SigFW Test_SS7Firewall.java testATI: anyTimeInterrogation (71)
MA_ATI=627e4804000000026b432841060700118605010101a036603480020780a109060704000001001d03be232821060704000001010101a016a01480099611111111111111f18107961111111111f16c31a12f0201000201473027a009800711111111111111a10f80008100830084010086008500870083099611111111111111f1
# P1sec/SigFW Test_SS7Firewall.java testPSI: provideSubscriberInfo (70) of IMSI 111111111111111
MA_PSI=623e4804000000466b1a2818060700118605010101a00d600ba109060704000001001c036c1aa1180201010201463010800811111111111111f1a20480008300
# gomaja/go-tcap go_tcap_test.go TestDer "12- invoke mt-forwardSM" (44)
MA_MTFSM=6281b8480403c93f576b1e281c060700118605010101a011600f80020780a1090607040000010019036c818fa1818c02010002012c308183800874020110261338f38407916427417901f0046e040bd0536152e85c0200004221824143220068c1f1f85d77d341582c360693c16c322c168bc5828865719a5e2683ee693a1ad4b44a4136180ce68281de6e900cf78ac95e321a0b449587dd7373592e2f9341d4372838bd06a9c82ca8e99a2689c8a00b34152641cd309b9cb697e7
# composed: RestComm/jss7 map-impl SendImsiRequestTest getEncodedData
# (MSISDN 2323871462) in a Begin of imsiRetrievalContext-v2: sendIMSI (58)
MA_SENDIMSI=6238480408a500016b1e281c060700118605010101a011600f80020780a109060704000001001a026c10a10e02010102013a0406913232784126
# P1sec/SigFW Test_SS7Firewall.java testCL: cancelLocation (3) of IMSI 111111111111111
MA_CL=623b4804000000036b1a2818060700118605010101a00d600ba1090607040000010002036c17a115020101020103a30d040811111111111111f10a0100
# composed: RestComm/jss7 map-impl PurgeMSRequestTest getData1 (v2: IMSI
# 1111122222, VLR 22234) in a Begin of msPurgingContext-v2: purgeMS (67)
MA_PURGE=623f480408a500026b1e281c060700118605010101a011600f80020780a109060704000001001b026c17a115020101020143300d040511112122220404912232f4
# primal100/aionetworking tests/conftest.py asn_encoded_hex[0]: sendRoutingInfoForSM (45)
MA_SRISM2=62474804000000016b1e281c060700118605010101a011600f80020780a1090607040000010014026c1fa11d0201ff02012d30158007911497427533f38101008207911497797908f0

# Global titles: our network (B's side) 4930..., the partner 3360...,
# the attacker 447...
MA_HLR=4930000001	# our HLR
MA_VLR=4930000005	# our MSC/VLR, where partners' subscribers roam
MA_ATK=44700000001	# the attacker's own GT
MA_PVLR=3360000001	# the partner's VLR: what the attacker spoofs
MA_PVLR2=3360000011	# the partner's VLR that really sends
MA_PSMSC=3360000002	# the partner's SMSC / SMS gateway
MA_PHLR=3360000003	# the partner's HLR

# The attack set (SigPloit's), one line each:
#   OPERATION[/HOW] CALLING CALLED HEX SCREEN
# SCREEN: what `policy screen` (with `screen cat3 block`) does, and why
MA_ATTACKS=(
	"updateLocation/spoofed-VLR $MA_PVLR $MA_HLR $MA_UL blocked:cat3"
	"sendRoutingInfoForSM $MA_ATK $MA_HLR $MA_SRISM passes:sms"
	"anyTimeInterrogation $MA_ATK $MA_HLR $MA_ATI blocked:cat1"
	"provideSubscriberInfo $MA_ATK $MA_VLR $MA_PSI blocked:cat2-not-home"
	"mt-forwardSM/spoofed-SMSC $MA_PSMSC $MA_VLR $MA_MTFSM passes:sms"
	"sendIMSI $MA_ATK $MA_HLR $MA_SENDIMSI blocked:cat1"
	"cancelLocation $MA_ATK $MA_VLR $MA_CL blocked:cat2-not-home"
	"purgeMS/spoofed-VLR $MA_PVLR $MA_HLR $MA_PURGE blocked:cat3"
)
# The partner's legitimate dialogues, sent to A, which signs them:
#   OPERATION CALLING CALLED HEX
MA_LEGIT_MSGS=(
	"updateLocation $MA_PVLR2 $MA_HLR $MA_UL"
	"sendRoutingInfoForSM $MA_PSMSC $MA_HLR $MA_SRISM2"
	"provideSubscriberInfo $MA_PHLR $MA_VLR $MA_PSI"
)

# ---------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------
MA_VTY_A=31370 MA_VTY_B=31371 MA_SIP_A=31360 MA_SIP_B=31361

# ma_asp NAME PC RC PORT: the cs7 node of an ASP of the STP
ma_asp() {
	cat <<EOM
cs7 instance 0
 point-code format 24
 point-code $2
 asp asp-$1 2905 $4 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
  role asp
  sctp-role client
 as as-$1 m3ua
  asp asp-$1
  routing-key $3 $2
EOM
}

# the five ASPs: name PC RC port
MA_ASPS="a 100 10 2906
b 200 20 2907
x 300 30 2908
h 400 40 2909
v 500 50 2910"

ma_write_configs() {
	local n pc rc port

	{
		printf 'log stderr\n logging filter all 1\n logging color 0\n logging print category 1\n'
		printf ' logging level set-all notice\nline vty\n bind 127.0.0.1 4239\n'
		printf 'cs7 instance 0\n point-code format 24\n point-code 1\n'
		printf ' xua rkm routing-key-allocation static-only\n listen m3ua 2905\n  local-ip 127.0.0.1\n'
		while read -r n pc rc port; do
			printf ' asp asp-%s %s 2905 m3ua\n  local-ip 127.0.0.1\n  remote-ip 127.0.0.1\n' "$n" "$port"
		done <<<"$MA_ASPS"
		while read -r n pc rc port; do
			printf ' as as-%s m3ua\n  asp asp-%s\n  routing-key %s %s\n' "$n" "$n" "$rc" "$pc"
		done <<<"$MA_ASPS"
		printf ' route-table system\n'
		while read -r n pc rc port; do
			printf '  update route %s 16777215 linkset as-%s\n' "$pc" "$n"
		done <<<"$MA_ASPS"
	} >ma-stp.cfg
	for n in x h v; do
		read -r _ pc rc port <<<"$(grep "^$n " <<<"$MA_ASPS")"
		{
			printf 'log stderr\n logging level set-all notice\n'
			ma_asp "$n" "$pc" "$rc" "$port"
		} >"ma-$n.cfg"
	done

	mkdir -p ma-ops
	cp "$PKI_TSCA_OP2_FULL_CHAIN" ma-ops/
	# B's domain map: who may sign for which GTs, whose IMSIs are whose
	cat >ma-map.conf <<EOM
operator partner
 spki-sha256 $PKI_TSCA_OP2_FULL_SPKI
 gt-prefix 3360
 imsi-prefix 11111
operator attacker
 gt-prefix 44
operator home
 gt-prefix 4930
 imsi-prefix 33402
EOM
	{
		cat <<EOM
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging print level 1
 logging level set-all notice
line vty
 bind 127.0.0.1 $MA_VTY_A
sip
 local 127.0.0.1 $MA_SIP_A
 transport udp
tsca
 credential key $PKI_TSCA_OP2_FULL_KEY chain $PKI_TSCA_OP2_FULL_CHAIN
EOM
		ma_asp a 100 10 2906
		cat <<EOM
sccp
 cs7-instance 0
 local-gt 3360000000
 route gt 4930 pc 200
 route gt 3360 pc 500
map-peer partner-nodes
 calling-gt 3360
 sign
EOM
	} >ma-a.cfg
}

# ma_b_config POLICY: B with every foreign map-peer under POLICY
ma_b_config() {
	cat <<EOM
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging print level 1
 logging level set-all notice
line vty
 bind 127.0.0.1 $MA_VTY_B
sip
 local 127.0.0.1 $MA_SIP_B
 transport udp
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 cert-dir $PWD/ma-ops
 map-file $PWD/ma-map.conf
EOM
	ma_asp b 200 20 2907
	cat <<EOM
sccp
 cs7-instance 0
 local-gt 4930000000
 route gt 4930 pc 400 strip-signature
 route gt 3360 pc 100
 route gt 44 pc 300
map-peer partner
 calling-gt 3360
 policy $1
 screen cat3 block
 block-action udts
map-peer attacker
 calling-gt 44
 policy $1
 screen cat3 block
 block-action udts
map-peer others
 calling-gt default
 policy $1
 screen cat3 block
 block-action udts
EOM
}

# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------

# ma_logs [FILE...]: the last lines of the MAP topology's logs and of FILEs
ma_logs() {
	local f
	for f in ma-stp.log ma-hlr.log "$@"; do
		echo "--- $f"
		tail -n 60 "$f" 2>/dev/null
	done
}

# ma_start: osmo-stp with the five ASPs, the HLR/VLR of our network (an
# endpoint that records what arrives until it is stopped) and stiwfd A,
# which stays up for every phase (a Begin that comes again replaces its
# dialogue there)
ma_start() {
	ma_write_configs
	bg_start ma_stp "Available via telnet" ma-stp.log osmo-stp -c ma-stp.cfg || return 1
	bg_start ma_hlr "^state available" ma-hlr.log "$EP" -c ma-h.cfg -t 600000 || return 1
	bg_start ma_a "user part SI 3 available" ma-a.log "$STIWFD" -c ma-a.cfg || return 1
}

# ma_stop: A stops, the HLR's record is complete.  \returns 1 when A did
# not stop cleanly
ma_stop() {
	local rc=0
	kill -TERM "$(bg_pid ma_a)" 2>/dev/null
	wait "$(bg_pid ma_a)" || rc=1
	kill -TERM "$(bg_pid ma_hlr)" 2>/dev/null
	wait "$(bg_pid ma_hlr)" 2>/dev/null
	kill -TERM "$(bg_pid ma_stp)" 2>/dev/null
	wait "$(bg_pid ma_stp)" 2>/dev/null
	return $rc
}

# ma_args ENTRY...: the -x arguments of the endpoint for these messages
ma_args() {
	local e name calling called hex
	MA_XARGS=()
	for e in "$@"; do
		read -r name calling called hex _ <<<"$e"
		MA_XARGS+=(-x "$calling,$called,$hex")
	done
}

# ma_maplog CALLING CALLED OPERATION: MA_ML is "verdict/action/reason" of
# the one map-log line B wrote for that dialogue (in MA_BLOG), else
# "N-lines".
# Bash only: a process costs much in the guest.
ma_maplog() {
	local l n=0 got=""
	local re='"verdict":"([^"]*)".*"action":"([^"]*)","action_reason":"([^"]*)"'
	for l in "${MA_BLOG[@]}"; do
		[[ $l == *"map-log {\"peer\":\""*"\",\"dir\":\"in\",\"calling\":\"$1\",\"called\":\"$2\","*"\"op_name\":\"$3\""* ]] ||
			continue
		n=$((n + 1))
		[[ $l =~ $re ]] && got="${BASH_REMATCH[1]}/${BASH_REMATCH[2]}/${BASH_REMATCH[3]}"
	done
	MA_ML=$got
	[ $n -eq 1 ] || MA_ML="$n-lines"
}

# ma_has ARRAY-NAME PATTERN: whether a line of the array matches the glob
ma_has() {
	local -n arr=$1
	local l
	for l in "${arr[@]}"; do
		# shellcheck disable=SC2053
		[[ $l == $2 ]] && return 0
	done
	return 1
}

# ma_phase POLICY: start B under POLICY, send the attack set from
# PC 300 and the partner's dialogues through A, and check what our nodes
# got and what the attacker got back.  Sets MA_BLOCKED (attacks blocked),
# MA_PASSED (attacks that reached our nodes), MA_LEGIT (legitimate
# dialogues that reached them byte-exact, the signature stripped) and
# MA_RESULT[NAME] ("passed|blocked|lost VERDICT/ACTION/REASON", from what
# our nodes and the attacker received and from B's map-log; NAME is
# "legit:OPERATION" for the partner's); prints one line per message.
# Leaves ma-POLICY-b.log, ma-POLICY-x.log, ma-POLICY-v.log
# and ma-POLICY-hlr.log (what our nodes received in this phase).
declare -A MA_RESULT
ma_phase() {
	local pol=$1 nblock=0 npass=0 start n e name calling called hex want line outcome ml
	local -a hlr x
	MA_BLOCKED=0 MA_PASSED=0 MA_LEGIT=0 MA_ERR="" MA_RESULT=()

	case $pol in
	reject) nblock=8 ;;
	screen) for e in "${MA_ATTACKS[@]}"; do [[ $e == *" blocked:"* ]] && nblock=$((nblock + 1)); done ;;
	tag) nblock=0 ;;
	esac
	npass=$((8 - nblock))
	mapfile -t hlr <ma-hlr.log
	start=0
	for line in "${hlr[@]}"; do [[ $line == "rx "* ]] && start=$((start + 1)); done
	ma_b_config "$pol" >"ma-$pol-b.cfg"
	bg_start ma_b "user part SI 3 available" "ma-$pol-b.log" "$STIWFD" -c "ma-$pol-b.cfg" ||
		{ MA_ERR="stiwfd B ($pol) did not come up"; return 1; }

	# the attacker: one UDTS back per blocked message
	ma_args "${MA_ATTACKS[@]}"
	timeout 30 "$EP" -c ma-x.cfg -d 200 -n "$nblock" -t 20000 "${MA_XARGS[@]}" >"ma-$pol-x.log" 2>&1 ||
		{ MA_ERR="the attacker did not get $nblock UDTS back"; return 1; }
	# the partner's nodes, through A
	ma_args "${MA_LEGIT_MSGS[@]}"
	timeout 30 "$EP" -c ma-v.cfg -d 100 -n 0 -t 20000 "${MA_XARGS[@]}" >"ma-$pol-v.log" 2>&1 ||
		{ MA_ERR="the partner's nodes could not send"; return 1; }
	wait_log ma-hlr.log '^rx ' $((start + npass + 3)) 20 ||
		{ MA_ERR="our HLR/VLR did not get $((npass + 3)) messages"; return 1; }

	# every dialogue's map-log line is written when B stops
	kill -TERM "$(bg_pid ma_b)"
	wait "$(bg_pid ma_b)" || { MA_ERR="stiwfd B did not stop cleanly"; return 1; }
	mapfile -t hlr <ma-hlr.log
	n=0
	: >"ma-$pol-hlr.log"
	for line in "${hlr[@]}"; do
		[[ $line == "rx "* ]] || continue
		n=$((n + 1))
		[ $n -gt "$start" ] && printf '%s\n' "$line" >>"ma-$pol-hlr.log"
	done
	mapfile -t hlr <"ma-$pol-hlr.log"
	[ ${#hlr[@]} -eq $((npass + 3)) ] ||
		{ MA_ERR="our nodes got ${#hlr[@]} messages, not $((npass + 3))"; return 1; }
	mapfile -t x <"ma-$pol-x.log"
	mapfile -t MA_BLOG <"ma-$pol-b.log"
	n=0
	for line in "${MA_BLOG[@]}"; do [[ $line == *"DMAP NOTICE map-log "* ]] && n=$((n + 1)); done
	[ $n -eq 11 ] || { MA_ERR="B wrote $n map-log lines, not one per dialogue (11)"; return 1; }

	for e in "${MA_ATTACKS[@]}"; do
		read -r name calling called hex want <<<"$e"
		if ma_has hlr "rx UDT opc=200 dpc=400 * called=$called calling=$calling [0-9]* $hex"; then
			line="reached our network" outcome=passed
			MA_PASSED=$((MA_PASSED + 1))
		elif ma_has x "notice UDTS cause 1 opc=200 called=$calling [0-9]* $hex"; then
			line="blocked, UDTS to the attacker" outcome=blocked
			MA_BLOCKED=$((MA_BLOCKED + 1))
		else
			line="LOST: neither relayed nor returned" outcome=lost
		fi
		ma_maplog "$calling" "$called" "${name%%/*}"
		ml=$MA_ML
		MA_RESULT[$name]="$outcome $ml"
		printf '  %-6s attack  %-26s from %-11s: %s (map-log %s)\n' "$pol" "$name" "$calling" "$line" "$ml"
	done
	for e in "${MA_LEGIT_MSGS[@]}"; do
		read -r name calling called hex <<<"$e"
		ma_maplog "$calling" "$called" "$name"
		ml=$MA_ML
		if ma_has hlr "rx UDT opc=200 dpc=400 * called=$called calling=$calling [0-9]* $hex"; then
			line="signed by A, verified by B, arrived byte-exact without the token"
			MA_LEGIT=$((MA_LEGIT + 1))
			MA_RESULT[legit:$name]="passed $ml"
		else
			line="DID NOT ARRIVE as sent"
			MA_RESULT[legit:$name]="lost $ml"
		fi
		printf '  %-6s partner %-26s from %-11s: %s (map-log %s)\n' "$pol" "$name" "$calling" "$line" "$ml"
	done
	return 0
}
