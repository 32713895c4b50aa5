# SPDX-License-Identifier: GPL-3.0-or-later
# Bash helpers for STIR test material.  Source it.

# b64url: base64url without padding (RFC 4648 §5) of stdin
b64url() { basenc --base64url -w0 | tr -d '='; }

# noncanonical_passport KEY X5U ORIG DEST: print a SHAKEN PASSporT signed
# with KEY over JSON that is not in RFC 8225 canonical form (other key
# order, white space), as a carrier whose JSON library does so would send.
# Its signature is valid over the bytes as sent.
noncanonical_passport() {
	local key=$1 x5u=$2 orig=$3 dest=$4 hdr pay si rs
	hdr='{"typ":"passport", "alg":"ES256", "x5u":"'$x5u'", "ppt":"shaken"}'
	pay='{"orig":{"tn":"'$orig'"}, "dest":{"tn":["'$dest'"]}, "iat":'$(date +%s)', "attest":"A", "origid":"123e4567-e89b-12d3-a456-426655440000"}'
	si="$(printf '%s' "$hdr" | b64url).$(printf '%s' "$pay" | b64url)"
	# ES256 wants raw R||S (RFC 7518 §3.4), openssl gives DER
	rs=$(printf '%s' "$si" | openssl dgst -sha256 -sign "$key" | openssl asn1parse -inform DER |
		sed -n 's/.*INTEGER *://p' | while read -r v; do printf '%064s' "$v" | tr ' ' 0; done)
	[ ${#rs} = 128 ] || return 1
	printf '%s.%s\n' "$si" "$(printf '%s' "$rs" | xxd -r -p | b64url)"
}
