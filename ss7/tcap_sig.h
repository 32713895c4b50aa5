/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file tcap_sig.h
 *  The hop signature of a MAP dialogue (stiwf profile v1, ARCHITECTURE §2.3):
 *  the Q.3057 role of the signalling token (ss7/sigtoken.h) carried in TCAP.
 *
 *  Where it goes
 *  -------------
 *  One more EXTERNAL, the last one, in the user-information of the dialogue
 *  PDU: the AARQ of a TC-BEGIN, or the AARE of the first TC-CONTINUE or of a
 *  TC-END (ss7/tcap.h draws it).  Its direct-reference is an OID the
 *  operators agree on (TCAP_STIWF_SIG_OID, 2.999.3057.1, by default: a
 *  placeholder under the X.660 example arc, see tcap.h), its encoding
 *  octet-aligned [1], its value the token.  tcap_userinfo_insert() puts it
 *  there changing nothing but enclosing lengths, and tcap_userinfo_strip()
 *  takes it out again octet for octet, so that the message a verifier
 *  strips is exactly the message the signer signed.  A message without a
 *  dialogue portion (MAP v1, a later TC-CONTINUE), a TC-UNI or a TC-ABORT
 *  cannot carry it.
 *
 *  The token
 *  ---------
 *      version 0x01
 *      0x01 HOP  77  alg 1 (ES256) | key-id 8 | iat 4 | sig 64 (raw R||S)
 *      0x05 ORIG n   the calling global title the signer vouches for,
 *                    1..15 E.164 digits in ASCII (absent: no claim)
 *  as sigtoken_decode() reads it: unknown TLVs are skipped, a duplicate or
 *  truncated TLV makes it invalid.  PASSPORT, VERDICT and BIND mean
 *  nothing in a dialogue and the signed input below does not cover them,
 *  so a TCAP token that has one is refused rather than carried unsigned.
 *
 *  The signed input
 *  ----------------
 *  SHA-256 then ECDSA P-256 (ES256) over, in this order (n: one length
 *  octet; nn: two, big-endian):
 *
 *      "stiwf-tcap-v1"     13 ASCII octets, no NUL: the domain, so that no
 *                          other stiwf signature (HOP's starts "STIWF-HOP1")
 *                          can be taken for this one
 *      alg 1 | key-id 8 | iat 4 (big-endian), as in the HOP TLV
 *      message type        1: the [APPLICATION n] tag number (2 Begin,
 *                          5 Continue, 4 End)
 *      n, OTID             0 and nothing when the message has none
 *      n, DTID             likewise
 *      dialogue PDU        1: 1 AARQ, 2 AARE (enum tcap_dlg_pdu)
 *      n, AC name          the contents octets of the application-context
 *                          OID as encoded
 *      AARE only: result 8 and result-source-diagnostic source 1, value 8
 *                          (big-endian two's complement): an "accepted"
 *                          cannot become a refusal, or the other way round
 *      n, count            of the other user-information EXTERNALs, then
 *                          for each, in order: nn, the EXTERNAL as sent
 *                          (identifier octet to last contents octet; e.g.
 *                          MAP-OpenInfo with its IMSI and addresses)
 *      nn, components      the component portion [APPLICATION 12] as sent,
 *                          identifier to end (0 when absent)
 *      n, ORIG digits      0 when the token has no ORIG
 *
 *  Nothing from SCCP or MTP is signed: the called and calling party
 *  addresses (GT digits, TT, NP, NAI, routing indicator, SSN, PC) may be
 *  rewritten by global title translation, and the message re-segmented
 *  into XUDTs, without breaking the signature.  What ties the dialogue to
 *  its sender is ORIG, which the verifier compares with the SCCP calling
 *  GT by its own policy.  The protocol-version of the dialogue PDU is not
 *  signed (a relay may drop the default "version1"); everything else that
 *  TCAP carries end to end is.
 *
 *  Replay: the caller checks the iat with sigtoken_iat_check() and records
 *  (key-id, R) with sigtoken_replay_check() after tcap_sig_verify()
 *  succeeded, as for ISUP. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ss7/sigtoken.h"
#include "ss7/tcap.h"

/*! The domain separation string that starts the signed input. */
#define TCAP_SIG_DOMAIN		"stiwf-tcap-v1"
#define TCAP_SIG_DOMAIN_LEN	13
/*! Longest TCAP message signed or verified: the 3952 octets of user data
 *  that 16 XUDT segments carry (Q.714 §4.1.1.2), and some room. */
#define TCAP_SIG_MSG_MAX	4096
/*! Longest direct-reference OID, contents octets (tcap_userinfo_insert()). */
#define TCAP_SIG_OID_MAX	32
/*! The token: version, HOP and ORIG. */
#define TCAP_SIG_TOKEN_MAX	(1 + 2 + SIGTOKEN_HOP_LEN + 2 + SIGTOKEN_E164_MAX)
/*! The most a signed message grows: the headers of [30], EXTERNAL, OID
 *  and [1], the OID and the token, and up to two length octets more for
 *  each of the six enclosing elements (152), rounded up. */
#define TCAP_SIG_OVERHEAD	192
/*! Largest signed input (sizes a buffer for tcap_sig_input()). */
#define TCAP_SIG_INPUT_MAX	(TCAP_SIG_DOMAIN_LEN + 1 + KEYID_LEN + 4 + 1 + 2 * (1 + TCAP_TID_MAX_LEN) + 1 + \
				 1 + 255 + 17 + 1 + 2 * TCAP_MAX_USERINFO + 2 + 1 + SIGTOKEN_E164_MAX + \
				 TCAP_SIG_MSG_MAX)

/*! A decoded TCAP token. */
struct tcap_sig_token {
	struct sigtoken_hop hop;
	bool has_orig;
	char orig_gt[SIGTOKEN_E164_MAX + 1];	/*!< "" without ORIG */
};

/*! Sign a TCAP message we send, a Begin with AARQ or a Continue or End with
 *  AARE: the token (HOP over the signed input above, and ORIG) goes in as
 *  the last user-information EXTERNAL with direct-reference \a oid.
 *  \param[out] out the signed message; must not overlap \a tcap
 *  \param[in] size room in \a out (len + TCAP_SIG_OVERHEAD is always enough)
 *  \param[in] tcap, len the message (the SCCP user data), at most TCAP_SIG_MSG_MAX
 *  \param[in] key a prepared key with its private part
 *  \param[in] iat seconds since the epoch
 *  \param[in] orig_gt the calling GT to vouch for (1..15 digits), or NULL or "" for none
 *  \param[in] oid, oid_len contents octets of the direct-reference
 *  \returns the signed message's length; -ENOTSUP (no dialogue portion, or a
 *  message or PDU that cannot carry it, or a length form insert cannot
 *  undo); -EEXIST (already carries an EXTERNAL with \a oid); -E2BIG
 *  (TCAP_MAX_USERINFO EXTERNALs already); -EBADMSG (\a tcap does not
 *  decode); -ENOSPC; -EINVAL (orig_gt, oid, no private key, too long); -EIO
 *  (OpenSSL) */
int tcap_sig_sign(uint8_t *out, size_t size, const uint8_t *tcap, size_t len,
		  struct sigtoken_key *key, uint32_t iat, const char *orig_gt,
		  const uint8_t *oid, size_t oid_len);

/*! Find and decode the signature EXTERNAL (direct-reference \a oid) of a
 *  received message, and give the message without it: exactly what the
 *  signer signed, and what the next hop gets when it does not want the token.
 *  \param[out] tok the token (cleared first)
 *  \param[out] stripped, size, stripped_len the message without the EXTERNAL
 *  (size >= len is always enough); must not overlap \a tcap
 *  \returns 0; -ENOENT (the message has no such EXTERNAL; it decodes);
 *  -EBADMSG (the message does not decode, two EXTERNALs carry \a oid, the
 *  EXTERNAL is not octet-aligned, the token is malformed, has no HOP, or a
 *  TLV a TCAP token must not have; logged once naming the field); -E2BIG
 *  (more components or EXTERNALs than the codec takes); -ENOSPC */
int tcap_sig_extract(struct tcap_sig_token *tok, uint8_t *stripped, size_t size, size_t *stripped_len,
		     const uint8_t *tcap, size_t len, const uint8_t *oid, size_t oid_len);

/*! Verify \a tok against the stripped message (tcap_sig_extract()) and the
 *  signer's prepared key, which the caller found by tok->hop.key_id (in the
 *  TSCA directory).  Checks the signature only: the caller checks the iat
 *  and the replay cache (sigtoken_replay_check()) and compares ORIG with
 *  the calling GT by its policy.
 *  \returns 0 valid; -ENOTSUP alg not ES256; -EKEYREJECTED key-id of the
 *  token is not that of \a key; -EBADMSG the signature does not verify, or
 *  \a stripped does not decode or is not a message that can carry a
 *  signature; -EIO (OpenSSL) */
int tcap_sig_verify(const struct tcap_sig_token *tok, const uint8_t *stripped, size_t len,
		    struct sigtoken_key *key);

/*! The signed input (above) of decoded message \a msg for \a hop's alg,
 *  key-id and iat and ORIG \a orig_gt ("" or NULL: none); for the tests
 *  and tools that show what is signed.
 *  \returns its length, -ENOSPC (size < TCAP_SIG_INPUT_MAX is not always
 *  enough), -EINVAL (a message that cannot carry a signature; orig_gt not
 *  0..15 digits; an AC name above 255 octets) */
int tcap_sig_input(uint8_t *out, size_t size, const struct tcap_msg *msg, const struct sigtoken_hop *hop,
		   const char *orig_gt);

/*! Decode a TCAP token (the octet-aligned value of the EXTERNAL).
 *  \returns 0 or -EBADMSG (logged) */
int tcap_sig_token_decode(struct tcap_sig_token *tok, const uint8_t *buf, size_t len);

/*! Encode a TCAP token: version, HOP, and ORIG when tok->has_orig.
 *  \returns octets written, -ENOSPC, -EINVAL */
int tcap_sig_token_encode(uint8_t *out, size_t size, const struct tcap_sig_token *tok);

/*! The direct-reference OID from its dotted text (for "--oid" and the
 *  configuration): contents octets, at most TCAP_SIG_OID_MAX.
 *  \returns the length, or -EINVAL */
int tcap_sig_oid_parse(uint8_t *out, size_t size, const char *dotted);
