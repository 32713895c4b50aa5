#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# isup-real: decode third-party ISUP messages with "stiwf isup decode" and
# with tshark, and compare them field by field.
#
#   check.sh [STIWF] [--no-valgrind] [--verbose]
#
# STIWF is a stiwf program, or the prefix it was installed in
# (PREFIX/bin/stiwf); without it, the one of the build tree,
# $top_builddir/stiwf ("make check" runs this through
# tests/ss7/isup_real.sh).  Each *.hex file next to this script holds one message,
# ISUP octets from the CIC on, as one line of hex; a name starting "itu-" is
# ITU-T Q.763, "ansi-" is ANSI T1.113 (decoded by tshark with ANSI MTP3, run
# through stiwf for crashes only: stiwf is an ITU codec).  SOURCES.md says
# where each came from.
#
# tshark gets each message behind a made-up MTP3 routing label in a pcap of
# link type 141 (MTP3), built with text2pcap.  Compared: message type, CIC,
# the codes of every parameter in order, every number parameter (digits,
# nature of address, numbering plan, presentation, screening), cause value
# and location, event, range, circuit group supervision type,
# suspend/resume, hop counter, CPC, TMR, the NCI/FCI/BCI/OFCI/OBCI
# indicators, application transport fields, PCI entries, the instruction
# indicators of a message compatibility information, the information
# (request) indicators, call reference, continuity and MCID indicators.
#
# A message is in agreement when both decode it and every compared field is
# equal, or when both refuse it (tshark: malformed packet or an expert error).
# stiwf refusing a message tshark decodes cleanly is a disagreement, and so is
# stiwf accepting one tshark finds malformed.  A signal, an exit status other
# than 0/1, or a valgrind error is a crash.
#
# Last line: "isup-real: N/M messages decoded in agreement with tshark" (M
# counts the ITU messages).  Exit 0 when N == M and nothing crashed, 1 when
# not, 2 on a usage or setup error.
set -u

usage() { echo "usage: $0 [STIWF] [--no-valgrind] [--verbose]" >&2; exit 2; }
STIWF=${top_builddir:-.}/stiwf
case ${1:-} in
--*|'') ;;
*) STIWF=$1; shift ;;
esac
[ -d "$STIWF" ] && STIWF=$STIWF/bin/stiwf
[ -x "$STIWF" ] || { echo "isup-real: $STIWF is not an executable" >&2; exit 2; }
VALGRIND=1
VERBOSE=0
for a in "$@"; do
	case $a in
	--no-valgrind) VALGRIND=0 ;;
	--verbose|-v) VERBOSE=1 ;;
	*) usage ;;
	esac
done
for t in tshark text2pcap python3; do
	command -v $t >/dev/null || { echo "isup-real: $t is needed" >&2; exit 2; }
done
if [ $VALGRIND = 1 ] && ! command -v valgrind >/dev/null; then
	echo "isup-real: valgrind not found, running stiwf without it" >&2
	VALGRIND=0
fi

HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export HERE WORK STIWF VALGRIND VERBOSE

python3 - <<'PYEOF'
import glob, json, os, re, subprocess, sys
import xml.etree.ElementTree as ET

HERE, WORK, STIWF = os.environ['HERE'], os.environ['WORK'], os.environ['STIWF']
VALGRIND = os.environ['VALGRIND'] == '1'
VERBOSE = os.environ['VERBOSE'] == '1'
PI_ERROR = 0x00800000

msgs = []
for path in sorted(glob.glob(os.path.join(HERE, '*.hex'))):
    name = os.path.basename(path)[:-4]
    variant = name.split('-', 1)[0]
    if variant not in ('itu', 'ansi'):
        print('isup-real: %s: name must start with itu- or ansi-' % name, file=sys.stderr)
        sys.exit(2)
    hexs = ''.join(open(path).read().split()).lower()
    try:
        bytes.fromhex(hexs)
    except ValueError:
        print('isup-real: %s: not hex' % name, file=sys.stderr)
        sys.exit(2)
    msgs.append({'name': name, 'variant': variant, 'hex': hexs})
if not msgs:
    print('isup-real: no *.hex messages in %s' % HERE, file=sys.stderr)
    sys.exit(2)

# ---- tshark: one pcap per variant, one PDML run each ----
LABEL = {'itu': '85' + '01000000',            # SIO national/ISUP, DPC 1 OPC 0 SLS 0
         'ansi': '85' + '010000' + '020000' + '00'}
STD = {'itu': 'ITU', 'ansi': 'ANSI'}
for variant in ('itu', 'ansi'):
    group = [m for m in msgs if m['variant'] == variant]
    if not group:
        continue
    txt = os.path.join(WORK, variant + '.txt')
    pcap = os.path.join(WORK, variant + '.pcap')
    with open(txt, 'w') as f:
        for m in group:
            b = bytes.fromhex(LABEL[variant] + m['hex'])
            f.write('0000 ' + ' '.join('%02x' % x for x in b) + '\n')
    subprocess.run(['text2pcap', '-q', '-l', '141', txt, pcap], check=True)
    pdml = subprocess.run(['tshark', '-n', '-o', 'mtp3.standard:' + STD[variant],
                           '-r', pcap, '-T', 'pdml'],
                          capture_output=True, text=True, check=True).stdout
    packets = ET.fromstring(pdml).findall('packet')
    if len(packets) != len(group):
        print('isup-real: tshark returned %d packets for %d messages' % (len(packets), len(group)),
              file=sys.stderr)
        sys.exit(2)
    for m, pkt in zip(group, packets):
        m['pkt'] = pkt

def ival(s):
    try:
        return int(s, 0)
    except (TypeError, ValueError):
        return None

def first(node, fname):
    for f in node.iter('field'):
        if f.get('name') == fname:
            return f.get('show')
    return None

def every(node, fname):
    return [f.get('show') for f in node.iter('field') if f.get('name') == fname]

def tshark_view(pkt):
    """message type, CIC, parameters [(code, node)], whether tshark found it malformed, why"""
    v = {'type': None, 'cic': None, 'params': [], 'bad': False, 'why': []}
    if any(p.get('name') == '_ws.malformed' for p in pkt.iter('proto')):
        v['bad'] = True
        v['why'].append('malformed packet')
    for f in pkt.iter('field'):
        if f.get('name') == '_ws.expert.severity' and (ival(f.get('show')) or 0) >= PI_ERROR:
            v['bad'] = True
    for f in pkt.iter('field'):
        if f.get('name') == '_ws.expert.message':
            v['why'].append(f.get('show'))
    isup = [p for p in pkt.iter('proto') if p.get('name') in ('isup', 'ansi_isup')]
    if not isup:
        v['bad'] = True
        v['why'].append('no ISUP layer')
        return v
    for child in isup[0]:
        n = child.get('name')
        if n == 'isup.cic':
            v['cic'] = ival(child.get('show'))
        elif n == 'isup.message_type':
            v['type'] = ival(child.get('show'))
        else:
            codes = [c.get('show') for c in child if c.get('name') == 'isup.parameter_type']
            if codes and ival(codes[0]) != 0:
                v['params'].append((ival(codes[0]), child))
    return v

# ---- stiwf ----
def run_stiwf(m):
    cmd = [STIWF, 'isup', 'decode', m['hex']]
    if VALGRIND:
        cmd = ['valgrind', '-q', '--error-exitcode=99', '--leak-check=full',
               '--show-leak-kinds=definite', '--errors-for-leak-kinds=definite'] + cmd
    p = subprocess.run(cmd, capture_output=True, text=True)
    m['rc'] = p.returncode
    m['stderr'] = p.stderr.strip()
    m['json'] = None
    if p.returncode == 0:
        try:
            m['json'] = json.loads(p.stdout)
        except ValueError:
            m['json'] = None

# ---- field by field ----
NUMBER_DIGITS = {4: 'isup.called', 10: 'isup.calling', 11: 'isup.redirecting',
                 40: 'isup.original_called_number', 5: 'isup.subsequent_number'}
FLAGS = {
    6: [('satellite', 'isup.satellite_indicator'), ('continuity', 'isup.continuity_check_indicator'),
        ('echo', 'isup.echo_control_device_indicator')],
    7: [('international', 'isup.forw_call_natnl_inatnl_call_indicator'),
        ('e2e_method', 'isup.forw_call_end_to_end_method_indicator'),
        ('interworking', 'isup.forw_call_interworking_indicator'),
        ('e2e_info', 'isup.forw_call_end_to_end_information_indicator'),
        ('isup', 'isup.forw_call_isdn_user_part_indicator'),
        ('isup_pref', 'isup.forw_call_preferences_indicator'),
        ('isdn_access', 'isup.forw_call_isdn_access_indicator'),
        ('sccp_method', 'isup.forw_call_sccp_method_indicator')],
    17: [('charge', 'isup.charge_indicator'), ('called_status', 'isup.called_partys_status_indicator'),
         ('called_category', 'isup.called_partys_category_indicator'),
         ('e2e_method', 'isup.backw_call_end_to_end_method_indicator'),
         ('interworking', 'isup.backw_call_interworking_indicator'),
         ('isup', 'isup.backw_call_isdn_user_part_indicator'),
         ('isdn_access', 'isup.backw_call_isdn_access_indicator'),
         ('echo', 'isup.backw_call_echo_control_device_indicator')],
    8: [('cug', 'isup.clg_call_ind'), ('segmentation', 'isup.simple_segmentation_ind'),
        ('clir', 'isup.connected_line_identity_request_ind')],
    41: [('inband', 'isup.inband_information_ind'), ('diversion', 'isup.call_diversion_may_occur_ind'),
         ('segmentation', 'isup.simple_segmentation_ind'), ('mlpp', 'isup.mlpp_user')],
    36: [('event', 'isup.event_ind'), ('presentation_restricted', 'isup.event_presentation_restr_ind')],
    18: [('value', 'isup.cause_indicator'), ('location', 'q931.cause_location')],
    120: [('aci', 'isup.app_context_identifier'), ('sni', 'isup.app_Send_notification_ind'),
          ('rci', 'isup.app_Release_call_indicator'),
          ('apm_segments_following', 'isup.apm_segmentation_ind')],
    14: [('cgpn', 'isup.calling_party_address_request_indicator'),
         ('holding', 'isup.info_req_holding_indicator'),
         ('cpc', 'isup.calling_partys_category_request_indicator'),
         ('charge', 'isup.charge_information_request_indicator'),
         ('mcid', 'isup.malicious_call_ident_request_indicator')],
    15: [('cgpn', 'isup.calling_party_address_response_indicator'),
         ('hold', 'isup.hold_provided_indicator'),
         ('cpc', 'isup.calling_partys_category_response_indicator'),
         ('charge', 'isup.charge_information_response_indicator'),
         ('unsolicited', 'isup.solicited_indicator')],
    1: [('call_id', 'isup.call_identity')],
}
SINGLE = {9: 'isup.calling_partys_category', 2: 'isup.transmission_medium_requirement',
          61: 'isup.hop_counter', 21: 'isup.cgs_message_type', 34: 'isup.suspend_resume_indicator',
          16: 'isup.continuity_indicator', 59: 'isup.mcid_request_indicators',
          60: 'isup.mcid_response_indicators'}
# Q.763 §3.33: bits A-E of the first instruction octet of a message
# compatibility information
MCI_BITS = [(0, 'isup.transit_at_intermediate_exchange_ind'), (1, 'isup.Release_call_ind'),
            (2, 'isup.Send_notification_ind'), (3, 'isup.Discard_message_ind_value'),
            (4, 'isup.Pass_on_not_possible_val')]

def compare_param(code, node, sp, diffs):
    tag = '0x%02x' % code
    if code in NUMBER_DIGITS or code == 0xc0:
        td = first(node, NUMBER_DIGITS.get(code, 'isup.generic_number'))
        sd = sp.get('digits')
        if td is not None and sd is not None and td.upper() != sd.upper():
            diffs.append('%s digits: tshark %s, stiwf %s' % (tag, td, sd))
        if code != 5:
            nai_f = 'isup.called_party_nature_of_address_indicator' if code == 4 else \
                    'isup.calling_party_nature_of_address_indicator'
            for key, fname in (('nai', nai_f), ('npi', 'isup.numbering_plan_indicator'),
                               ('apri', 'isup.address_presentation_restricted_indicator'),
                               ('si', 'isup.screening_indicator')):
                t, s = ival(first(node, fname)), sp.get(key)
                if t is not None and s is not None and t != s:
                    diffs.append('%s %s: tshark %d, stiwf %d' % (tag, key, t, s))
    for key, fname in FLAGS.get(code, []):
        t, s = ival(first(node, fname)), sp.get(key)
        if t is None and s is not None and code in (18, 22, 36):
            diffs.append('%s %s: tshark has none, stiwf %d' % (tag, key, s))
        elif t is not None and s is not None and t != s:
            diffs.append('%s %s: tshark %d, stiwf %d' % (tag, key, t, s))
    if code in SINGLE:
        t, s = ival(first(node, SINGLE[code])), sp.get('value')
        if t is not None and s is not None and t != s:
            diffs.append('%s value: tshark %d, stiwf %d' % (tag, t, s))
    if code == 22:
        # Q.763 3.43: the range code; tshark shows code + 1 (circuits), so take its raw octet
        t = [f.get('value') for f in node.iter('field') if f.get('name') == 'isup.range_indicator']
        t = int(t[0], 16) if t and t[0] else None
        if t is None or t != sp.get('range'):
            diffs.append('0x16 range code: tshark %s, stiwf %s' % (t, sp.get('range')))
        t = [f.get('value') for f in node if f.get('show') == 'Status subfield']
        t = (t[0] or '').lower() if t else ''
        if t != (sp.get('status') or '').lower():
            diffs.append('0x16 status: tshark %r, stiwf %r' % (t, sp.get('status')))
    if isinstance(sp.get('value'), str):
        # a parameter stiwf keeps opaque: the same octets as tshark's parameter
        ln = ival(first(node, 'isup.parameter_length'))
        raw = (node.get('value') or '').lower()
        t = raw[len(raw) - 2 * ln:] if ln and len(raw) >= 2 * ln else (raw if ln is None else '')
        if t != sp['value'].lower():
            diffs.append('%s octets: tshark %s, stiwf %s' % (tag, t, sp['value']))
    if code == 56:
        instr = sp.get('instructions') or [None]
        for bit, fname in MCI_BITS:
            t = ival(first(node, fname))
            s = None if instr[0] is None else (instr[0] >> bit) & 1
            if t is None or t != s:
                diffs.append('0x38 instruction bit %d: tshark %s, stiwf %s' % (bit, t, s))
    if code == 1:
        # the point code as tshark's summary line gives it (least
        # significant octet first, Q.763 §3.8)
        m = re.search(r'SPC = (\d+)', node.get('show') or '')
        t = int(m.group(1)) if m else None
        if t != sp.get('spc'):
            diffs.append('0x01 SPC: tshark %s, stiwf %s' % (t, sp.get('spc')))
    if code == 57:
        t = [ival(x) for x in every(node, 'isup.upgraded_parameter')]
        s = [e.get('code') for e in sp.get('entries', [])]
        if t != s:
            diffs.append('0x39 PCI entries: tshark %s, stiwf %s' % (t, s))

def compare(m):
    v = m['tview']
    if m['rc'] not in (0, 1):
        return 'CRASH', ['exit status %d' % m['rc'] + (' (valgrind error)' if m['rc'] == 99 else '')]
    if m['variant'] == 'ansi':
        return 'ANSI', ['stiwf exit %d (not compared: ITU codec)' % m['rc']]
    if m['rc'] != 0 or m['json'] is None:
        why = m['stderr'].splitlines()[-1:] or ['exit %d' % m['rc']]
        if v['bad']:
            return 'AGREE', ['both refuse it: tshark %s; stiwf: %s' % ('; '.join(v['why'][:2]), why[0])]
        return 'REJECTED', ['stiwf refuses what tshark decodes: ' + ' / '.join(m['stderr'].splitlines())]
    j = m['json']
    diffs = []
    if v['bad']:
        diffs.append('tshark finds it malformed (%s), stiwf accepts it' % '; '.join(v['why'][:2]))
    if 'octets after the message ignored' in m['stderr']:
        diffs.append('stiwf ends the message early: ' + m['stderr'].splitlines()[-1])
    if v['type'] != j.get('message_type_code'):
        diffs.append('message type: tshark %s, stiwf %s' % (v['type'], j.get('message_type_code')))
    if v['cic'] != j.get('cic'):
        diffs.append('CIC: tshark %s, stiwf %s' % (v['cic'], j.get('cic')))
    tcodes = [c for c, _ in v['params']]
    scodes = [p.get('code') for p in j.get('parameters', [])]
    if tcodes != scodes:
        diffs.append('parameters: tshark %s, stiwf %s' % (['0x%02x' % c for c in tcodes],
                                                          ['0x%02x' % c for c in scodes]))
    sparams = list(j.get('parameters', []))
    for code, node in v['params']:
        for i, sp in enumerate(sparams):
            if sp.get('code') == code:
                compare_param(code, node, sp, diffs)
                del sparams[i]
                break
    return ('AGREE' if not diffs else 'MISMATCH'), diffs

# ---- run ----
counts = {'AGREE': 0, 'MISMATCH': 0, 'REJECTED': 0, 'CRASH': 0, 'ANSI': 0}
itu_total = itu_agree = crashes = 0
for m in msgs:
    m['tview'] = tshark_view(m['pkt'])
    run_stiwf(m)
    verdict, notes = compare(m)
    counts[verdict] += 1
    if m['variant'] == 'itu':
        itu_total += 1
        itu_agree += verdict == 'AGREE'
    crashes += verdict == 'CRASH'
    print('%-9s %-28s %s' % (verdict, m['name'], '; '.join(notes) if verdict != 'AGREE' or VERBOSE else ''))
    if verdict == 'CRASH' and m['stderr']:
        print('          ' + '\n          '.join(m['stderr'].splitlines()[-15:]))
ansi = [m for m in msgs if m['variant'] == 'ansi']
if ansi:
    print('isup-real: %d ANSI message(s) run through stiwf for crashes only' % len(ansi))
print('isup-real: %d agree, %d mismatch, %d rejected by stiwf, %d crash' %
      (counts['AGREE'], counts['MISMATCH'], counts['REJECTED'], counts['CRASH']))
print('isup-real: %d/%d messages decoded in agreement with tshark' % (itu_agree, itu_total))
sys.exit(0 if itu_agree == itu_total and crashes == 0 else 1)
PYEOF
exit $?
