/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file stir_vs.h
 *  The STIR/SHAKEN verification service (STI-VS) of RFC 8224 §6.2 and
 *  ATIS-1000074 §5.3, asynchronous on the event loop.
 *
 *  Input: the Identity header values of one request, its canonical calling
 *  and called numbers, its Date header, the time, and the peer's policy.
 *  The checks run in this order; the first failure decides the answer
 *  (SIP code, ATIS-1000074 §5.3.2 reason phrase, a log line naming the
 *  field):
 *
 *   1. choice and syntax of the Identity header (RFC 8224 §4.1, RFC 8225,
 *      RFC 8588): 438.  Of several headers, the first SHAKEN one that
 *      parses and decodes is verified.  The first full-form "div"
 *      PASSporT (RFC 8946) is verified too (see below); others, and
 *      compact-form ones, are logged and counted in
 *      stir_vs_result.num_div_ignored.  A compact-form SHAKEN
 *      PASSporT cannot be rebuilt from the request (attest and origid are
 *      not in it, RFC 8588 §6), so it is a 438.  No Identity header at all:
 *      428 when the peer requires one, else No-TN-Validation with code 0.
 *   2. "info" against the PASSporT "x5u" (ATIS-1000074 §5.3.1: they are
 *      the same URL in SHAKEN): 436 when they differ.
 *   3. freshness (RFC 8224 §6.2.1): "iat" within max_age of now and, when
 *      the Date check is on and a Date header came, Date within max_age of
 *      now and of "iat": 403 Stale Date (an unparsable Date too).
 *   4. header and claims (RFC 8225 §4-5, RFC 8588 §4-5), the Identity
 *      "alg"/"ppt" parameters, "orig" against the calling number and
 *      "dest" against the called number (RFC 8224 §6.2 step 2): 438.
 *   5. the credential, cert_resolve_x5u() (certs/resolve.h): 436 when it
 *      cannot be fetched or parsed, 437 when it is untrusted, expired,
 *      revoked, breaks the ATIS-1000080 profile or has no P-256 key.
 *   6. authority (RFC 8226 §9, RFC 9060): when the certificate's
 *      TNAuthList lists telephone numbers (a delegate certificate), "orig"
 *      must be one of them, else 438.  A certificate listing only an SPC
 *      (ATIS-1000080) vouches for no particular number: nothing to check.
 *      438 rather than 437: the credential itself is valid and supported
 *      (437 would refuse every call signed with it), it is this PASSporT's
 *      "orig" that the signer may not assert -- the same class of failure
 *      as an "orig" that does not match the request.
 *   7. the ES256 signature (RFC 8225 §8, RFC 7518 §3.4): 438.
 *
 *  A "div" PASSporT (RFC 8946 §4) is checked before step 2 of the SHAKEN
 *  one: "info" against "x5u", header and claims, "iat" freshness, and the
 *  chain of RFC 8946 §4.2 (passport_div_chain_check(): the same "orig",
 *  its "div" claim a "dest" of the SHAKEN PASSporT, the called number one
 *  of its "dest").  When these hold, the SHAKEN PASSporT is judged
 *  against the number the call was diverted from (its "div" claim) rather
 *  than the called number; after the SHAKEN signature verified, the div
 *  PASSporT's credential is resolved, a certificate listing numbers must
 *  list its "div" number (it is the diverting network that signs), and
 *  its signature is checked.  A div PASSporT that fails any of these is
 *  logged with the check that failed (stir_vs_result.div_detail) and
 *  extends nothing: the SHAKEN PASSporT is judged against the called
 *  number, as without it (a forwarded call then fails step 4, 438).
 *
 *  The signature check, the one CPU-heavy step, runs on the worker pool
 *  when the service has one, inline on the loop otherwise.  A certificate
 *  cache hit costs no fetch and no chain verification (certs/resolve.h),
 *  so that the signature is the only public-key operation of a call.
 *
 *  The callback runs exactly once, from the loop and never from inside
 *  stir_vs_verify(), unless the request was cancelled or its talloc
 *  parent freed first (a call that ends early is never called back). */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "sip/passport.h"
#include "sip/stir_error.h"
#include "certs/tnauthlist.h"

struct cert_domain;
struct stiwf_workq;

/*! Default freshness window of "iat" and Date (ATIS-1000074, docs/STANDARDS.md §2.7). */
#define STIR_VS_DEFAULT_MAX_AGE	60
/*! Most Identity header values looked at in one request. */
#define STIR_VS_MAX_IDENTITY	8
/*! Longest SPC kept in a result. */
#define STIR_VS_SPC_MAX		TNAUTH_SPC_MAXLEN

/*! Per-peer verification policy. */
struct stir_vs_cfg {
	unsigned int max_age;		/*!< seconds; freshness of iat and Date */
	bool check_date;		/*!< also check the Date header (RFC 8224 §6.2.1) */
	bool identity_required;		/*!< no Identity header: 428, else No-TN-Validation */
};

/*! One request to verify.  Everything is copied by stir_vs_verify(). */
struct stir_vs_input {
	const char *const *identity;	/*!< the Identity header values (after "Identity:") */
	unsigned int num_identity;
	const char *orig_tn;		/*!< canonical calling number (sip/tn.h) */
	const char *dest_tn;		/*!< canonical called number */
	const char *date;		/*!< Date header value, or NULL */
	time_t now;			/*!< verification time */
	/*! The PASSporT of identity[0] as the caller already holds it decoded
	 *  (one it rebuilt, ARCHITECTURE §2.2), or NULL.  When the token of
	 *  identity[0] carries exactly its signing input and signature, the
	 *  token is not decoded again; otherwise it is, as without. */
	const struct passport *pp;
};

/*! Which step decided (for statistics and tests). */
enum stir_vs_step {
	STIR_VS_STEP_NONE,		/*!< passed, or no Identity */
	STIR_VS_STEP_SYNTAX,
	STIR_VS_STEP_INFO,
	STIR_VS_STEP_FRESHNESS,
	STIR_VS_STEP_CLAIMS,
	STIR_VS_STEP_CREDENTIAL,
	STIR_VS_STEP_AUTHORITY,
	STIR_VS_STEP_SIGNATURE,
	STIR_VS_STEP_INTERNAL,
	_NUM_STIR_VS_STEP
};
extern const struct value_string stir_vs_step_names[];

/*! What became of the "div" PASSporT of a request (RFC 8946). */
enum stir_vs_div {
	STIR_VS_DIV_NONE,		/*!< none in the request */
	STIR_VS_DIV_PASSED,		/*!< verified: the SHAKEN one was judged against its "div" */
	STIR_VS_DIV_FAILED,		/*!< a check failed (div_detail): it extends nothing */
	STIR_VS_DIV_IGNORED,		/*!< present but not verified (compact form, or the
					 *   SHAKEN PASSporT failed first) */
	_NUM_STIR_VS_DIV
};
extern const struct value_string stir_vs_div_names[];

/*! The answer; valid during the callback only. */
struct stir_vs_result {
	enum stir_verstat verstat;
	int code;			/*!< 0 or an enum stir_error value */
	const char *reason;		/*!< ATIS-1000074 reason phrase ("OK" when passed) */
	enum stir_vs_step step;		/*!< which check decided */
	const char *detail;		/*!< what failed, naming the field ("" when passed) */
	char attest;			/*!< 'A'/'B'/'C', 0 when no PASSporT decoded */
	const char *origid;		/*!< "" when none */
	const char *spc;		/*!< the certificate's SPC, "" when unknown */
	bool canonical;			/*!< RFC 8225 §9 form: can be rebuilt (ARCHITECTURE §2.2) */
	bool cert_cached;		/*!< the certificate came from the cache */
	unsigned int num_div_ignored;	/*!< "div" PASSporTs not verified */
	enum stir_vs_div div;		/*!< the first full-form "div" PASSporT's fate */
	const char *div_detail;		/*!< the div check that failed, "" otherwise */
	/*! The verified "div" PASSporT (div == STIR_VS_DIV_PASSED), else NULL */
	const struct passport *div_pp;
	/*! The number the SHAKEN PASSporT was judged against: the called
	 *  number, or the verified div PASSporT's "div" claim */
	const char *judged_dest;
	/*! The decoded SHAKEN PASSporT (attest, iat, origid, x5u, sig for the
	 *  PASSPORT TLV, ARCHITECTURE §2.2), or NULL when none decoded. */
	const struct passport *pp;
};

typedef void (*stir_vs_cb)(const struct stir_vs_result *res, void *priv);

struct stir_vs_stats {
	unsigned long requests;
	unsigned long passed, failed, no_validation;
	unsigned long sig_verifications;	/*!< ES256 verifications run */
	unsigned long on_workers;		/*!< of them, on the worker pool */
	unsigned long div_passed, div_failed, div_ignored;	/*!< "div" PASSporTs (RFC 8946) */
};

struct stir_vs;
struct stir_vs_req;

void stir_vs_cfg_init(struct stir_vs_cfg *cfg);
struct stir_vs *stir_vs_alloc(void *ctx, struct cert_domain *d, struct stiwf_workq *wq);
struct stir_vs_req *stir_vs_verify(struct stir_vs *vs, void *ctx, const struct stir_vs_cfg *cfg,
				   const struct stir_vs_input *in, stir_vs_cb cb, void *priv);
void stir_vs_cancel(struct stir_vs_req *r);
unsigned int stir_vs_pending(const struct stir_vs *vs);
const struct stir_vs_stats *stir_vs_stats(const struct stir_vs *vs);
int stir_sip_date_parse(const char *s, time_t *out);
