/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file profile.h
 *  ATIS-1000080 §6.4.1 end-entity certificate profile checks (docs/STANDARDS.md
 *  §2.6).  Each check has a name and a verdict, so that a tool can print
 *  them and a verifier can map a failure to its SIP response code. */

#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>
#include <osmocom/core/utils.h>

enum profile_check {
	PROFILE_CHK_KEY_P256,		/*!< id-ecPublicKey on P-256 */
	PROFILE_CHK_SIG_ES256,		/*!< signed with ecdsa-with-SHA256 */
	PROFILE_CHK_KEY_USAGE,		/*!< critical KeyUsage, digitalSignature only */
	PROFILE_CHK_BASIC_CONSTRAINTS,	/*!< critical BasicConstraints, CA:FALSE */
	PROFILE_CHK_ONE_POLICY,		/*!< exactly one certificate policy */
	PROFILE_CHK_TNAUTHLIST,		/*!< TNAuthList present and well formed */
	PROFILE_CHK_NOT_BEFORE,		/*!< notBefore <= now */
	PROFILE_CHK_NOT_AFTER,		/*!< now < notAfter */
	_NUM_PROFILE_CHK
};
/*! Short names ("key-p256", ...), for logs and the tool. */
extern const struct value_string profile_check_names[];

enum profile_verdict {
	PROFILE_PASS,
	PROFILE_FAIL,
};
extern const struct value_string profile_verdict_names[];

/*! What each check is and what a verifier answers when it fails. */
struct profile_check_desc {
	const char *desc;	/*!< one line for humans */
	const char *ref;	/*!< the clause it comes from */
	uint16_t sip_code;	/*!< SIP response on failure (RFC 8224 §6.2.2) */
};
extern const struct profile_check_desc profile_check_descs[_NUM_PROFILE_CHK];

#define PROFILE_DETAIL_LEN 96

struct profile_result {
	enum profile_verdict verdict[_NUM_PROFILE_CHK];
	/*! Why a check failed (or what it saw), NUL-terminated. */
	char detail[_NUM_PROFILE_CHK][PROFILE_DETAIL_LEN];
};

int profile_check_leaf(struct profile_result *res, X509 *cert, time_t now);
