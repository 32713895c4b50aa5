/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file stir_as.h
 *  The STIR/SHAKEN authentication service (STI-AS) of RFC 8224 §5 and
 *  ATIS-1000074 §5.2: signs a SHAKEN PASSporT (RFC 8225, RFC 8588) for a
 *  call with the configured credential and produces the Identity header
 *  value `<full form>;info=<x5u>;alg=ES256;ppt=shaken`; or, for a
 *  forwarded call, a "div" PASSporT (RFC 8946 §3) with `ppt=div`.
 *
 *  The credential (certs/credential.h) is checked when it is loaded: the
 *  key file is not open to group or others, the key is the leaf
 *  certificate's, the key is P-256 (ES256, RFC 7518 §3.4) and an x5u URL
 *  is set.  origid (RFC 8588 §5) is a fresh UUID v4 per call, or a fixed
 *  value from the configuration.  The signature runs on the worker pool
 *  when the service has one, inline otherwise. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sip/passport.h"

struct credential;
struct stiwf_workq;

/*! Longest Identity header value produced: token, info, alg, ppt. */
#define STIR_AS_IDENTITY_MAX	(PASSPORT_TOKEN_MAX + PASSPORT_X5U_MAX + 48)
/*! Length of a UUID string, RFC 4122 §3, without the NUL. */
#define STIR_UUID_LEN		36

struct stir_as_cfg {
	char attest;		/*!< default attestation 'A', 'B' or 'C' (RFC 8588 §4) */
	const char *origid;	/*!< fixed origid (a UUID), or NULL for a UUID v4 per call */
};

/*! One call to sign.  Numbers are canonical (sip/tn.h). */
struct stir_as_input {
	const char *orig_tn;
	const char *dest_tn;
	int64_t iat;		/*!< issued-at, seconds since the epoch */
	char attest;		/*!< 0: the configured one */
	/*! NULL: a SHAKEN PASSporT.  Else a "div" PASSporT (RFC 8946 §3) of a
	 *  call diverted from this canonical number to dest_tn: no attest,
	 *  no origid, Identity "ppt=div". */
	const char *div_tn;
};

/*! The answer; valid during the callback only. */
struct stir_as_result {
	int rc;				/*!< 0 or -errno */
	const char *identity;		/*!< the Identity header value, "" on failure */
	const struct passport *pp;	/*!< what was signed, NULL on failure */
};

typedef void (*stir_as_cb)(const struct stir_as_result *res, void *priv);

struct stir_as;
struct stir_as_req;

int stir_uuid_v4(char *out, size_t len);
bool stir_uuid_valid(const char *s);
struct stir_as *stir_as_alloc(void *ctx, struct credential *cred, const struct stir_as_cfg *cfg,
			      struct stiwf_workq *wq);
int stir_as_load(void *ctx, struct stir_as **out, const char *key_path, const char *chain_path,
		 const char *x5u, const struct stir_as_cfg *cfg, struct stiwf_workq *wq);
int stir_as_sign_sync(struct stir_as *as, const struct stir_as_input *in, struct passport *pp,
		      char *out, size_t outlen);
struct stir_as_req *stir_as_sign(struct stir_as *as, void *ctx, const struct stir_as_input *in,
				 stir_as_cb cb, void *priv);
void stir_as_cancel(struct stir_as_req *r);
const struct credential *stir_as_credential(const struct stir_as *as);
