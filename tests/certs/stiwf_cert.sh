#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# "stiwf cert inspect" on the test PKI: output fields, verdicts, exit codes.
set -eu
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
stiwf="$top_builddir/stiwf"
work=$(mktemp -d "$PWD/stiwf_cert.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$top_srcdir/tests/lib-check.sh"


sh "$top_srcdir/contrib/gen-test-pki.sh" "$work/pki" >/dev/null
. "$work/pki/pki.env"

rc=0; "$stiwf" cert inspect "$PKI_SHAKEN_SP_A_CERT" >"$work/out" || rc=$?
check "sp-a exit" "$rc" 0
has "sp-a subject" "CN = SHAKEN 1234"
has "sp-a issuer" "CN = SHAKEN Test STI-CA"
has "sp-a key-id" "key-id: *$PKI_SHAKEN_SP_A_KEYID"
has "sp-a spc" "tnauthlist: *spc 1234"
has "sp-a policy" "policies: *2.16.840.1.114569.1.1.3"
has "sp-a result" "result: *pass"
check "sp-a: eight checks pass" "$(grep -c '^  pass ' "$work/out")" 8

rc=0; "$stiwf" cert inspect "$PKI_SHAKEN_DELEGATE_CERT" >"$work/out" || rc=$?
check "delegate exit" "$rc" 0
has "delegate range" "range 12025550100+100"
has "delegate one" "one 12025559999"

rc=0; "$stiwf" cert inspect "$PKI_SHAKEN_SP_EXPIRED_CERT" >"$work/out" || rc=$?
check "expired exit" "$rc" 1
has "expired verdict" "FAIL not-after .*-> SIP 437"
# ... but it was fine in 2020 (2020-06-01)
rc=0; "$stiwf" cert inspect --at 1590969600 "$PKI_SHAKEN_SP_EXPIRED_CERT" >"$work/out" || rc=$?
check "expired --at 2020 exit" "$rc" 0

rc=0; "$stiwf" cert inspect "$PKI_SHAKEN_STI_CA_CERT" >"$work/out" || rc=$?
check "CA exit" "$rc" 1
has "CA basic constraints" "FAIL basic-constraints *CA:TRUE"
has "CA tnauthlist" "tnauthlist: *(absent)"

rc=0; "$stiwf" cert inspect "$PKI_TSCA_OP1_FULL_CERT" >"$work/out" || rc=$?
check "tsca op1-full exit" "$rc" 0
has "tsca full policy" "policies: *$PKI_TSCA_FULL_OID"

# DER input
openssl x509 -in "$PKI_SHAKEN_SP_B_CERT" -outform DER -out "$work/sp-b.der"
rc=0; "$stiwf" cert inspect "$work/sp-b.der" >"$work/out" || rc=$?
check "DER exit" "$rc" 0
has "DER spc" "spc 5678"

# never a key on stdout, even when handed one
rc=0; "$stiwf" cert inspect "$PKI_SHAKEN_SP_A_KEY" >"$work/out" 2>&1 || rc=$?
check "key file exit" "$rc" 1
if grep -q 'PRIVATE KEY\|^MH' "$work/out"; then
	check "no key material printed" printed nothing
else
	check "no key material printed" ok ok
fi

rc=0; "$stiwf" cert inspect "$work/nonexistent.pem" >/dev/null 2>&1 || rc=$?
check "missing file exit" "$rc" 1
rc=0; "$stiwf" cert >/dev/null 2>&1 || rc=$?
check "no subcommand exit" "$rc" 2
rc=0; "$stiwf" cert inspect >/dev/null 2>&1 || rc=$?
check "no file exit" "$rc" 2
rc=0; "$stiwf" cert inspect --at yesterday "$PKI_SHAKEN_SP_A_CERT" >/dev/null 2>&1 || rc=$?
check "bad --at exit" "$rc" 2
rc=0; "$stiwf" cert inspect --help >/dev/null || rc=$?
check "--help exit" "$rc" 0

checks_done
