/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file passport.h
 *  PASSporT (RFC 8225) with the SHAKEN (RFC 8588) and "div" (RFC 8946)
 *  extensions: canonical encoding, ES256 signing and verification, and the
 *  full and compact forms.
 *
 *  A struct passport is self-contained (fixed-size fields, no heap) so that
 *  it can live on the stack or in a call's talloc context; the signing and
 *  verification keys are loaded once by the caller and passed in. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <osmocom/core/utils.h>

#include "sip/b64url.h"
#include "sip/identity.h"
#include "sip/tn.h"

#define PASSPORT_DEST_TN_MAX		8	/*!< "dest" "tn" entries kept */
#define PASSPORT_DEST_URI_MAX		2	/*!< "dest" "uri" entries kept */

/*! Rich Call Data claims (RFC 9795) a PASSporT holds: noted, not kept.
 *  Nothing maps them to ISUP and the PASSPORT TLV cannot carry them
 *  (iwf/e2e_passport.h): they end at the border. */
#define PASSPORT_RCD_CLAIM_RCD		0x1	/*!< "rcd", RFC 9795 §6 */
#define PASSPORT_RCD_CLAIM_RCDI		0x2	/*!< "rcdi", RFC 9795 §7 */
#define PASSPORT_RCD_CLAIM_CRN		0x4	/*!< "crn", RFC 9795 §9 */
#define PASSPORT_URI_MAX		255	/*!< longest "uri" value */
#define PASSPORT_X5U_MAX		511	/*!< longest "x5u" URL */
#define PASSPORT_ORIGID_MAX		63	/*!< longest "origid" (a UUID is 36) */
#define PASSPORT_NAME_MAX		15	/*!< longest alg/typ/ppt value */
/*! Longest header "." payload we handle (the whole Identity header is
 *  capped at IDENTITY_HDR_MAX). */
#define PASSPORT_SIGNING_INPUT_MAX	6144
#define PASSPORT_ES256_SIG_LEN		64	/*!< raw R||S, RFC 7518 §3.4 */
#define PASSPORT_SIG_MAX		132	/*!< largest JWS ECDSA signature (ES512) */
/*! Longest full-form token: signing input, '.', base64url of the signature. */
#define PASSPORT_TOKEN_MAX		(PASSPORT_SIGNING_INPUT_MAX + 1 + 176)

/*! PASSporT extension, the "ppt" header parameter. */
enum passport_ppt {
	PASSPORT_PPT_NONE,	/*!< no "ppt": a base PASSporT (RFC 8225) */
	PASSPORT_PPT_SHAKEN,	/*!< "shaken", RFC 8588 */
	PASSPORT_PPT_DIV,	/*!< "div", RFC 8946 §3 */
	PASSPORT_PPT_OTHER,	/*!< anything else: decoded, never verified */
};
extern const struct value_string passport_ppt_names[];

/*! A decoded or to-be-encoded PASSporT. */
struct passport {
	/* JOSE header, RFC 8225 §4 */
	char alg[PASSPORT_NAME_MAX + 1];	/*!< "ES256" */
	char typ[PASSPORT_NAME_MAX + 1];	/*!< "passport"; "" when absent */
	enum passport_ppt ppt;
	char ppt_str[PASSPORT_NAME_MAX + 1];	/*!< "ppt" as received; "" when absent */
	char x5u[PASSPORT_X5U_MAX + 1];		/*!< certificate URL; "" when absent */

	/* claims, RFC 8225 §5, RFC 8588 §4-5, RFC 8946 §3 */
	bool has_iat;
	int64_t iat;				/*!< NumericDate, seconds */
	char orig_tn[STIWF_TN_MAX + 1];		/*!< "orig" "tn" (a string); "" when absent */
	unsigned int num_dest_tn;
	char dest_tn[PASSPORT_DEST_TN_MAX][STIWF_TN_MAX + 1];	/*!< "dest" "tn" (an array) */
	unsigned int num_dest_uri;
	char dest_uri[PASSPORT_DEST_URI_MAX][PASSPORT_URI_MAX + 1];	/*!< "dest" "uri" */
	char attest;				/*!< 'A', 'B', 'C' or 0 when absent */
	char origid[PASSPORT_ORIGID_MAX + 1];	/*!< "" when absent */
	char div_tn[STIWF_TN_MAX + 1];		/*!< "div" "tn"; "" when absent */
	unsigned int rcd_claims;		/*!< PASSPORT_RCD_CLAIM_* present (RFC 9795) */

	/* what the signature covers: the base64url header "." payload, exactly
	 * as received (full form) or as we encoded it (signing, compact form) */
	char signing_input[PASSPORT_SIGNING_INPUT_MAX + 1];
	size_t signing_input_len;
	uint8_t sig[PASSPORT_SIG_MAX];
	size_t sig_len;				/*!< 0: not signed yet */
	bool compact;				/*!< came in the compact form */
};

/*! The names of the Rich Call Data claims in \a mask, ", "-separated
 *  ("rcd, crn"), into buf; "" for none.
 *  \returns buf */
const char *passport_rcd_claims_str(char *buf, size_t len, unsigned int mask);

/*! Fill pp for a SHAKEN PASSporT (RFC 8588) to sign or to rebuild a compact
 *  form: header alg ES256, typ passport, ppt shaken, x5u.
 *  \param[in] dest_tn num_dest canonical numbers (1..PASSPORT_DEST_TN_MAX)
 *  \param[in] origid UUID string
 *  \returns 0 or -EINVAL (a value too long, empty or not allowed) */
int passport_init_shaken(struct passport *pp, const char *x5u, char attest,
			 const char *orig_tn, const char *const *dest_tn, unsigned int num_dest,
			 int64_t iat, const char *origid);

/*! Fill pp for a "div" PASSporT (RFC 8946 §3): dest is the new target,
 *  div_tn the number the call was diverted from.
 *  \returns 0 or -EINVAL */
int passport_init_div(struct passport *pp, const char *x5u, const char *orig_tn,
		      const char *const *dest_tn, unsigned int num_dest, int64_t iat,
		      const char *div_tn);

/*! RFC 8946 §4.2: whether "div" PASSporT \a div extends SHAKEN PASSporT
 *  \a shaken for a request to \a dest_tn: the same "orig" (RFC 8946 §3), a
 *  "div" claim naming the number \a shaken was signed for (its "dest"),
 *  and \a dest_tn among the "dest" numbers of \a div.  Signatures and
 *  credentials are not looked at here.
 *  \param[out] detail the claim that does not match, for a log line
 *  \returns 0, or -EINVAL with \a detail set */
int passport_div_chain_check(const struct passport *shaken, const struct passport *div, const char *dest_tn,
			     const char **detail);

/*! Encode the header and claims of pp in the canonical form of RFC 8225 §9
 *  (keys in lexicographic order, no white space) into pp->signing_input.
 *  \returns 0, -EINVAL (pp incomplete), -ENOSPC or -ENOMEM */
int passport_encode(struct passport *pp);

/*! Encode pp (passport_encode()) and sign it with ES256.
 *  \param[in] key a loaded P-256 private key
 *  \returns 0, -EINVAL (not a P-256 key, pp incomplete), -ENOMEM or -EIO */
int passport_sign(struct passport *pp, EVP_PKEY *key);

/*! Sign the signing input already in pp (passport_encode()) with ES256.
 *  Logs nothing and touches only pp and key, so it may run on a worker
 *  thread (src/core/workq.h) while the loop goes on.
 *  \param[in] key a loaded P-256 private key (checked by the caller)
 *  \returns 0, -EINVAL (nothing encoded), -ENOMEM or -EIO */
int passport_sig_create(struct passport *pp, EVP_PKEY *key);

/*! Write the full form "header.payload.signature" of a signed pp.
 *  \returns the length written (NUL-terminated) or -EINVAL, -ENOSPC */
int passport_full_form(const struct passport *pp, char *out, size_t outlen);

/*! Write the compact form "..signature" (RFC 8225 §7) of a signed pp.
 *  \returns the length written (NUL-terminated) or -EINVAL, -ENOSPC */
int passport_compact_form(const struct passport *pp, char *out, size_t outlen);

/*! Decode a full-form PASSporT, keeping its header and payload segments as
 *  received so that passport_verify() checks the signature over them.
 *  Unknown header parameters and claims are ignored (but make the token
 *  non-canonical, see passport_is_canonical()).
 *  \param[out] pp the result, cleared first
 *  \returns 0 or -EBADMSG (the reason logged on DSTIR) */
int passport_decode(struct passport *pp, const char *token, size_t len);

/*! Complete a compact-form PASSporT (RFC 8225 §7): pp holds the header and
 *  claims rebuilt from the SIP request (passport_init_shaken() and the
 *  like); this takes the signature from the "..signature" token and encodes
 *  the canonical signing input.
 *  \returns 0, -EBADMSG (token), -EINVAL (pp incomplete) */
int passport_decode_compact(struct passport *pp, const char *token, size_t len);

/*! Check that pp's header and claims are complete and supported, and its
 *  signature over the signing input verifies with pub.
 *  \param[in] pub a loaded P-256 public key (from the x5u certificate)
 *  \returns 0, or STIR_ERR_INVALID_IDENTITY (438) for a bad signature,
 *  an alg other than ES256, a typ other than passport, an unsupported ppt
 *  or missing claims; STIR_ERR_UNSUPPORTED_CRED (437) when pub is not a
 *  P-256 key */
int passport_verify(const struct passport *pp, EVP_PKEY *pub);

/*! Only the signature check of passport_verify(): ES256 over the signing
 *  input.  Logs nothing and touches only pp and pub, so it may run on a
 *  worker thread; the caller logs the outcome on the loop.
 *  \returns 0, STIR_ERR_INVALID_IDENTITY (438) for a signature that does
 *  not verify or is not 64 octets, STIR_ERR_UNSUPPORTED_CRED (437) when pub
 *  is not a P-256 key */
int passport_sig_verify(const struct passport *pp, EVP_PKEY *pub);

/*! \returns whether key is an EC key on P-256 (RFC 7518 §3.4: ES256) */
bool passport_key_is_p256(EVP_PKEY *key);

/*! Only the header and claim checks of passport_verify().
 *  \returns 0 or STIR_ERR_INVALID_IDENTITY */
int passport_check_claims(const struct passport *pp);

/*! Freshness of iat (RFC 8224 §6.2.1: the verifier's window; ATIS-1000074
 *  uses 60 s): iat must lie within [now - max_age, now + max_age], the
 *  upper bound allowing for clock skew.
 *  \returns 0, STIR_ERR_STALE_DATE (403), STIR_ERR_INVALID_IDENTITY (no iat) */
int passport_check_iat(const struct passport *pp, int64_t now, unsigned int max_age);

/*! Compare the numbers of the PASSporT with those of the SIP request (RFC
 *  8224 §6.2 step 2, §8.3): orig must equal orig_tn, and one "dest" "tn"
 *  must equal dest_tn.  Claims are canonicalised before comparing, so a
 *  signer's "+1..." still matches.
 *  \param[in] orig_tn canonical calling number
 *  \param[in] dest_tn canonical called number, or NULL not to check it
 *  \returns 0 or STIR_ERR_INVALID_IDENTITY (438) */
int passport_check_numbers(const struct passport *pp, const char *orig_tn, const char *dest_tn);

/*! Compare the Identity header parameters with the PASSporT they carry
 *  (RFC 8224 §4, §4.1): "alg" (absent means ES256) must equal the header
 *  "alg", and "ppt", when present, the header "ppt".  A PASSporT with an
 *  extension needs the "ppt" parameter in the compact form, where it is
 *  the only way to know which claims to rebuild.
 *  \returns 0 or STIR_ERR_INVALID_IDENTITY (438) */
int passport_check_identity(const struct passport *pp, const struct identity_hdr *ih);

/*! Whether the received header and payload segments are byte-identical to
 *  our canonical re-encoding of the decoded values (ARCHITECTURE §2.2: only such a
 *  PASSporT can be rebuilt at the far end of the SS7 side).
 *  \returns true or false (also false on any encoding error) */
bool passport_is_canonical(const struct passport *pp);
