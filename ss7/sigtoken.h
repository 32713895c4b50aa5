/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file sigtoken.h
 *  The stiwf profile v1 signalling token (ARCHITECTURE §2.2) and its carriage in
 *  the ISUP Application Transport parameter of an IAM (ARCHITECTURE §2.1).
 *
 *  Token layout: version (1 octet, 0x01), then TLVs of a 1-octet type and a
 *  1-octet length: HOP (0x01), PASSPORT (0x02), VERDICT (0x03), BIND (0x04),
 *  ORIG (0x05), DIV (0x06).
 *  Unknown TLV types are skipped; a duplicate type or a truncated TLV makes
 *  the whole token invalid.
 *
 *  BIND names the network the sender meant the call for (an operator code
 *  or a point code in text, as the two operators agree): 1..32 printable
 *  ASCII octets without space.  When present, HOP covers it: the HOP
 *  signed input ends with 0x04, its length and its value.  A verifier that
 *  does not know BIND skips it and then fails the HOP (its signed input
 *  lacks the tail), so a sender binds only towards IWFs that know it.
 *
 *  ORIG is the calling global title a MAP dialogue claims (ss7/tcap_sig.h):
 *  1..15 E.164 digits.  The TCAP signed input covers it.  In an IAM, where
 *  ISUP does not use it, HOP covers it the way it covers BIND: the HOP
 *  signed input then ends with 0x05, its length and its digits (after
 *  BIND's), so that no TLV of a token travels unsigned.
 *
 *  DIV is the "div" PASSporT (RFC 8946 §3) of a diverted call, end to end
 *  like PASSPORT: iat, the "div" claim's number (the number the call was
 *  diverted from, E.164), x5u and the signature; "orig" and "dest" are the
 *  IAM's calling and called numbers.  HOP covers it when present: the HOP
 *  signed input then ends with 0x06 and SHA-256 over the DIV value (after
 *  BIND's and ORIG's).  A token without DIV signs what it always signed.
 *
 *  One limit the design text leaves implicit: the TLV length octet caps a
 *  PASSPORT value at 255 octets, so its x5u can be at most 255 - 86 = 169
 *  octets (not the 200 of credential.h).  The encoder refuses longer ones.
 *  A token with all three TLVs can then be 342 octets, more than one APP
 *  parameter holds (255 octets, of which 250 are left for the token, 249
 *  per segment when segmented); such a token is split over several APP
 *  parameters with the Q.763 §3.82 APM segmentation indicator and
 *  segmentation local reference, all in the IAM (see sigtoken_iam_put()).
 *  Every segment starts with the empty Q.765 address fields (00 00). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <osmocom/core/utils.h>

#include "certs/keyid.h"
#include "ss7/isup.h"

#define SIGTOKEN_VERSION	0x01
#define SIGTOKEN_SIG_LEN	64	/*!< raw R||S of ES256 */
#define SIGTOKEN_UUID_LEN	16
#define SIGTOKEN_UUID_STR_LEN	37	/*!< 36 characters and the NUL */
#define SIGTOKEN_HOP_LEN	(1 + KEYID_LEN + 4 + SIGTOKEN_SIG_LEN)	/*!< 77 */
#define SIGTOKEN_PASSPORT_FIXED_LEN (1 + 4 + SIGTOKEN_UUID_LEN + 1 + SIGTOKEN_SIG_LEN)	/*!< 86 */
#define SIGTOKEN_VERDICT_LEN	3
/*! ARCHITECTURE §2.2 allows 200, the 1-octet TLV length only 255 - 86 */
#define SIGTOKEN_X5U_MAX	(255 - SIGTOKEN_PASSPORT_FIXED_LEN)
/*! longest BIND value */
#define SIGTOKEN_BIND_MAX	32
/*! E.164 §6: at most 15 digits */
#define SIGTOKEN_E164_MAX	15
/*! the longest token we encode: version and the six TLVs */
#define SIGTOKEN_MAX_LEN	(1 + 2 + SIGTOKEN_HOP_LEN + 2 + 255 + 2 + SIGTOKEN_VERDICT_LEN + 2 + SIGTOKEN_BIND_MAX + \
				 2 + SIGTOKEN_E164_MAX + 2 + SIGTOKEN_DIV_FIXED_LEN + SIGTOKEN_E164_MAX + SIGTOKEN_X5U_MAX)
/*! DIV value without the div digits and x5u: iat, div-len, x5u-len, sig */
#define SIGTOKEN_DIV_FIXED_LEN	(4 + 1 + 1 + SIGTOKEN_SIG_LEN)	/*!< 70 */

/*! ARCHITECTURE §2.1: ACIs 64..127 are for non-standardised applications */
#define SIGTOKEN_ACI_MIN	64
#define SIGTOKEN_ACI_MAX	127
#define SIGTOKEN_ACI_DEFAULT	90

#define SIGTOKEN_WINDOW_DEFAULT	60	/*!< seconds an iat stays acceptable */

/*! TLV types, ARCHITECTURE §2.2 */
enum sigtoken_tlv {
	SIGTOKEN_TLV_HOP	= 0x01,
	SIGTOKEN_TLV_PASSPORT	= 0x02,
	SIGTOKEN_TLV_VERDICT	= 0x03,
	SIGTOKEN_TLV_BIND	= 0x04,
	SIGTOKEN_TLV_ORIG	= 0x05,
	SIGTOKEN_TLV_DIV	= 0x06,
};
extern const struct value_string sigtoken_tlv_names[];

/*! HOP alg octet */
enum sigtoken_alg {
	SIGTOKEN_ALG_ES256	= 1,
};

/*! VERDICT verstat octet (the SIP verstat values, RFC 8224 / ATIS-1000074) */
enum sigtoken_verstat {
	SIGTOKEN_VERSTAT_NO_VALIDATION	= 0,
	SIGTOKEN_VERSTAT_PASSED		= 1,
	SIGTOKEN_VERSTAT_FAILED		= 2,
};
extern const struct value_string sigtoken_verstat_names[];

/*! VERDICT reason: the SIP response code behind a failure (RFC 8224 §6.2.2) */
extern const struct value_string sigtoken_reason_names[];

/*! 0x01 HOP: the sending network's signature (Q.3057 role) */
struct sigtoken_hop {
	uint8_t alg;			/*!< enum sigtoken_alg */
	uint8_t key_id[KEYID_LEN];	/*!< ARCHITECTURE §3 key-id of the signer */
	uint32_t iat;			/*!< seconds since the epoch */
	uint8_t sig[SIGTOKEN_SIG_LEN];	/*!< raw R||S */
};

/*! 0x02 PASSPORT: the originating carrier's SHAKEN PASSporT, end to end */
struct sigtoken_passport {
	char attest;			/*!< 'A', 'B' or 'C' */
	uint32_t iat;
	uint8_t origid[SIGTOKEN_UUID_LEN];
	uint8_t x5u_len;
	char x5u[SIGTOKEN_X5U_MAX + 1];	/*!< NUL-terminated, x5u_len octets */
	uint8_t sig[SIGTOKEN_SIG_LEN];
};

/*! 0x03 VERDICT: what the ingress IWF concluded on the SIP side */
struct sigtoken_verdict {
	uint8_t verstat;		/*!< enum sigtoken_verstat */
	uint16_t reason;		/*!< 0, 403, 428, 436, 437 or 438 */
};

/*! 0x04 BIND: the receiving network the HOP is meant for */
struct sigtoken_bind {
	uint8_t len;				/*!< 1..SIGTOKEN_BIND_MAX */
	char net[SIGTOKEN_BIND_MAX + 1];	/*!< NUL-terminated, len octets */
};

/*! 0x05 ORIG: the calling global title the signer vouches for */
struct sigtoken_orig {
	uint8_t len;				/*!< 1..SIGTOKEN_E164_MAX */
	char digits[SIGTOKEN_E164_MAX + 1];	/*!< NUL-terminated E.164 digits */
};

/*! 0x06 DIV: the "div" PASSporT (RFC 8946 §3) of a diverted call, end to
 *  end; the x5u is at most SIGTOKEN_X5U_MAX octets as in PASSPORT */
struct sigtoken_div {
	uint32_t iat;
	uint8_t div_len;			/*!< 1..SIGTOKEN_E164_MAX */
	char div[SIGTOKEN_E164_MAX + 1];	/*!< the "div" "tn", E.164 digits */
	uint8_t x5u_len;
	char x5u[SIGTOKEN_X5U_MAX + 1];		/*!< NUL-terminated, x5u_len octets */
	uint8_t sig[SIGTOKEN_SIG_LEN];
};

/*! A decoded token.  Decoders clear it first. */
struct sigtoken {
	bool has_hop;
	bool has_passport;
	bool has_verdict;
	bool has_bind;
	bool has_orig;
	bool has_div;
	struct sigtoken_hop hop;
	struct sigtoken_passport passport;
	struct sigtoken_verdict verdict;
	struct sigtoken_bind bind;
	struct sigtoken_orig orig;
	struct sigtoken_div div;
};

/*! The identity of a call that HOP signs (ARCHITECTURE §2.2 "What HOP signs"):
 *  E.164 digit strings without '+', "" when absent. */
struct sigtoken_call {
	char orig[SIGTOKEN_E164_MAX + 1];	/*!< calling party number */
	uint8_t apri;				/*!< enum isup_apri of the calling party number */
	char dest[SIGTOKEN_E164_MAX + 1];	/*!< called party number */
	char addl[SIGTOKEN_E164_MAX + 1];	/*!< generic number, additional calling party */
};

/*! Decode a token (the APP information after the Q.765 address fields).
 *  \param[out] tok cleared, then filled
 *  \returns \a len, or -EBADMSG naming the field in a DSS7 log line */
int sigtoken_decode(struct sigtoken *tok, const uint8_t *buf, size_t len);

/*! Bind \a tok to receiving network \a net (the BIND TLV; sign after).
 *  \returns 0, or -EINVAL unless \a net is 1..32 printable ASCII without space */
int sigtoken_bind_set(struct sigtoken *tok, const char *net);

/*! Set the ORIG TLV of \a tok to \a digits (sign after).
 *  \returns 0, or -EINVAL unless \a digits is 1..15 decimal digits */
int sigtoken_orig_set(struct sigtoken *tok, const char *digits);

/*! Encode a token: version, then HOP, PASSPORT, VERDICT, BIND, ORIG, DIV when present.
 *  \returns octets written, -ENOSPC, or -EINVAL for a field out of range */
int sigtoken_encode(uint8_t *out, size_t size, const struct sigtoken *tok);

/*! Encode only the value of the PASSPORT or VERDICT TLV, as HOP hashes it.
 *  \returns octets written, -ENOSPC, -EINVAL */
int sigtoken_passport_encode(uint8_t *out, size_t size, const struct sigtoken_passport *pp);
int sigtoken_verdict_encode(uint8_t *out, size_t size, const struct sigtoken_verdict *v);
/*! Encode the value of the DIV TLV, as HOP hashes it.
 *  \returns octets written, -ENOSPC, -EINVAL */
int sigtoken_div_encode(uint8_t *out, size_t size, const struct sigtoken_div *d);

/*! Parse a UUID in its RFC 9562 text form (8-4-4-4-12 hex digits, either case).
 *  \returns 0 or -EINVAL */
int sigtoken_uuid_from_str(uint8_t out[SIGTOKEN_UUID_LEN], const char *s);

/*! Lower-case RFC 9562 text form of a UUID.
 *  \returns 0 or -ENOSPC when \a size < SIGTOKEN_UUID_STR_LEN */
int sigtoken_uuid_to_str(char *buf, size_t size, const uint8_t uuid[SIGTOKEN_UUID_LEN]);

/*! A P-256 key prepared for HOP: its key-id and OpenSSL contexts that are
 *  initialised once and reused for every signature, so that the per-call
 *  cost is the ECDSA operation.  Not thread-safe: one per worker thread.
 *  Freed with talloc_free(). */
struct sigtoken_key;

/*! Prepare \a pkey (a reference is taken) for signing (when it holds the
 *  private key) and verifying.  The key-id is computed from the key, which
 *  equals that of a certificate holding it (certs/keyid.h).
 *  \returns the key, or NULL (not P-256, or out of memory; logged) */
struct sigtoken_key *sigtoken_key_alloc(void *ctx, EVP_PKEY *pkey);

/*! Prepare the public key of signer certificate \a cert for verifying;
 *  the key-id is that of the certificate.
 *  \returns the key, or NULL */
struct sigtoken_key *sigtoken_key_alloc_x509(void *ctx, X509 *cert);

/*! A copy of prepared key \a key for use on another thread: the same key
 *  and key-id, OpenSSL contexts of its own duplicated from those of \a key
 *  (cheaper than sigtoken_key_alloc(): no provider look-up, no key-id to
 *  compute).  Call it on the thread that owns \a key.
 *  \returns the copy, or NULL */
struct sigtoken_key *sigtoken_key_dup(void *ctx, const struct sigtoken_key *key);

/*! The key-id of a prepared key (KEYID_LEN octets). */
const uint8_t *sigtoken_key_id(const struct sigtoken_key *key);

/*! Sign \a len octets of \a data with a prepared key: ES256, SHA-256
 *  then ECDSA P-256, the signature as raw R||S (RFC 7518 §3.4).
 *  \returns 0, -EINVAL (no private key), -EIO (OpenSSL) */
int sigtoken_key_sign(struct sigtoken_key *key, uint8_t sig[SIGTOKEN_SIG_LEN], const uint8_t *data, size_t len);

/*! Verify an ES256 signature (raw R||S) over \a len octets of \a data.
 *  \returns 0 valid, -EBADMSG not valid (R or S out of range included),
 *  -EIO (OpenSSL) */
int sigtoken_key_verify(struct sigtoken_key *key, const uint8_t sig[SIGTOKEN_SIG_LEN], const uint8_t *data,
			size_t len);

/*! Sign: fill tok->hop (alg ES256, the key's key-id, \a iat, the signature
 *  over the call identity and the PASSPORT, VERDICT, BIND, ORIG and DIV already
 *  in \a tok)
 *  and set tok->has_hop.
 *  \returns 0, -EINVAL (no private key, bad number), -EIO (OpenSSL) */
int sigtoken_hop_sign(struct sigtoken *tok, struct sigtoken_key *key, uint32_t iat,
		      const struct sigtoken_call *call);

/*! Verify the HOP of \a tok against \a key for \a call.  The caller finds
 *  the key by tok->hop.key_id; this checks the signature only (then check
 *  the time with sigtoken_iat_check() before and record it with
 *  sigtoken_replay_check() after).
 *  \returns 0 valid; -ENOENT no HOP; -ENOTSUP alg not ES256;
 *  -EKEYREJECTED key-id of the token is not that of \a key; -EBADMSG the
 *  signature does not verify; -EIO OpenSSL failed */
int sigtoken_hop_verify(const struct sigtoken *tok, struct sigtoken_key *key,
			const struct sigtoken_call *call);

/*! ARCHITECTURE §2.2: accept \a iat when now - window - skew <= iat <= now + skew.
 *  \returns 0, -ETIMEDOUT (too old), -ERANGE (in the future) */
int sigtoken_iat_check(uint32_t iat, time_t now, unsigned int window, unsigned int skew);

/*! A bounded replay cache of the HOP signatures seen inside the window. */
struct sigtoken_replay;

/*! \param[in] window, skew as for sigtoken_iat_check()
 *  \param[in] max_entries the most signatures remembered at once (>= 1)
 *  \returns the cache (talloc), or NULL */
struct sigtoken_replay *sigtoken_replay_alloc(void *ctx, unsigned int window, unsigned int skew,
					      unsigned int max_entries);

/*! Check the time of a verified HOP and remember it.  A signature is
 *  remembered by (key-id, R): ECDSA signatures are malleable ((R, S) and
 *  (R, n - S) both verify), so S must not take part.  An entry is kept until
 *  its iat leaves the window.  When the cache holds max_entries live
 *  signatures the new one is refused (fail closed): evicting a live entry
 *  would reopen the replay it guards against.  Call it only after
 *  sigtoken_hop_verify() succeeded, so that only signed tokens take room.
 *  \returns 0 (new, now remembered), -EALREADY (a replay),
 *  -ETIMEDOUT or -ERANGE (see sigtoken_iat_check()), -ENOSPC (cache full),
 *  -ESTALE (signed before the start, startup quiet) */
int sigtoken_replay_check(struct sigtoken_replay *rc, const struct sigtoken_hop *hop, time_t now);

/*! A replay store shared with other IWFs (src/core/replay_store.h) stands
 *  behind this cache: the caller asks it, asynchronously, after
 *  sigtoken_replay_check() found the HOP new here.  With one the startup
 *  quiet does not apply: the store knows what was seen before the start. */
void sigtoken_replay_set_shared(struct sigtoken_replay *rc, bool shared);

/*! Forget a HOP remembered by sigtoken_replay_check(), so that the same
 *  IAM may come again: the call it set up was released with a cause that
 *  lets the exchange before us route that IAM again.  Nothing when it is
 *  not remembered. */
void sigtoken_replay_forget(struct sigtoken_replay *rc, const struct sigtoken_hop *hop);

/*! Startup quiet: the in-memory cache forgets everything on a restart, so
 *  a HOP accepted before \a start could be accepted again.  Refuse every
 *  HOP that may have been seen before \a start, those with an iat before
 *  \a start + skew (the instance before accepted an iat up to its now +
 *  skew), with -ESTALE.  They leave the window by \a start + 2 skew +
 *  window: the quiet lasts one replay window, and HOPs signed after the
 *  start pass at once.  No effect while a shared store stands behind. */
void sigtoken_replay_set_quiet(struct sigtoken_replay *rc, time_t start);

/*! \returns whether the startup quiet can still refuse a HOP at \a now */
bool sigtoken_replay_quiet(const struct sigtoken_replay *rc, time_t now);

/*! Signatures remembered now (expired ones may still be counted until the
 *  next sweep). */
unsigned int sigtoken_replay_count(const struct sigtoken_replay *rc);

/*! Put \a tok in \a iam (ARCHITECTURE §2.1): replace any APP parameters with
 *  \a aci by new ones (SNI = 0, RCI = 0, new sequence, the Q.765 address
 *  fields empty, segmented per Q.763 §3.82 when the token needs more than
 *  one), and make the Parameter Compatibility Information ask exchanges
 *  that do not know the APP parameter to pass it on, else discard it.
 *  \returns 0, -EINVAL (not an IAM, ACI out of 64..127, bad field),
 *  -EMSGSIZE (no room for the parameters) */
int sigtoken_iam_put(struct isup_msg *iam, const struct sigtoken *tok, uint16_t aci);

/*! Find and decode the token in the APP parameters with \a aci of \a msg
 *  (segments in any order, as SGM reassembly may reorder them).
 *  \returns 0, -ENOENT (no APP parameter with \a aci), -EBADMSG (broken
 *  segments or token; logged) */
int sigtoken_iam_get(struct sigtoken *tok, const struct isup_msg *msg, uint16_t aci);
