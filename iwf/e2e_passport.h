/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file e2e_passport.h
 *  End-to-end carriage of a SHAKEN PASSporT across ISUP (ARCHITECTURE §2.2): the
 *  ingress IWF reduces it to the PASSPORT TLV of the signalling token, the
 *  egress IWF rebuilds it from that TLV and the IAM's numbers.
 *
 *  The rebuilt PASSporT is
 *    header {"alg":"ES256","ppt":"shaken","typ":"passport","x5u":X}
 *    claims {"attest":A,"dest":{"tn":[CdPN]},"iat":T,"orig":{"tn":CgPN},"origid":U}
 *  in RFC 8225 §9 canonical JSON, with the numbers in E.164 form (digits,
 *  no '+').  Its signature verifies only when the original was exactly
 *  that, so the ingress side refuses (e2e_passport_to_tlv()) any PASSporT
 *  whose signed bytes differ from the rebuild: non-canonical JSON, other
 *  claims or header parameters, several "dest" numbers, numbers other than
 *  the IAM's, an origid that is not a lower-case UUID, an x5u too long for
 *  the TLV.  Then the VERDICT TLV travels without it (ARCHITECTURE §2.2). */

#include <stddef.h>

#include "sip/passport.h"
#include "ss7/sigtoken.h"

/*! Why a PASSporT cannot travel in the PASSPORT TLV. */
enum e2e_passport_err {
	E2E_PP_OK,
	E2E_PP_COMPACT,		/*!< compact form: nothing to carry but the signature */
	E2E_PP_NOT_CANONICAL,	/*!< header or claims not in RFC 8225 §9 canonical JSON */
	E2E_PP_NOT_SHAKEN,	/*!< alg, typ or ppt other than ES256/passport/shaken, or not signed */
	E2E_PP_CLAIMS,		/*!< claims beyond what the TLV carries (div, dest uri, several dest tn,
				 *   RFC 9795 rcd/rcdi/crn) */
	E2E_PP_NUMBERS,		/*!< orig or dest differ from the IAM's numbers */
	E2E_PP_FIELD,		/*!< attest, iat, origid or x5u cannot be carried */
	E2E_PP_REBUILD,		/*!< the rebuilt signing input differs from the original */
	_NUM_E2E_PP_ERR
};
extern const struct value_string e2e_passport_err_names[];

/*! Reduce a decoded, full-form PASSporT to the PASSPORT TLV.
 *  \param[out] out cleared, filled on success
 *  \param[in] pp from passport_decode()
 *  \param[in] orig_e164 the IAM's calling party number, E.164 digits
 *  \param[in] dest_e164 the IAM's called party number, E.164 digits
 *  \returns E2E_PP_OK or the reason it cannot travel */
enum e2e_passport_err e2e_passport_to_tlv(struct sigtoken_passport *out, const struct passport *pp,
					  const char *orig_e164, const char *dest_e164);

/*! Rebuild the PASSporT from the TLV and the IAM's numbers (ARCHITECTURE §2.2):
 *  header, claims, canonical signing input and the original signature.
 *  \returns 0, -EINVAL (a field the rebuild cannot use, or a number that
 *  is not 1..15 E.164 digits), -ENOSPC */
int e2e_passport_rebuild(struct passport *pp, const struct sigtoken_passport *tlv,
			 const char *orig_e164, const char *dest_e164);

/*! The SIP Identity header value of a rebuilt PASSporT (RFC 8224 §4.1):
 *  "<full form>;info=<x5u>;alg=ES256;ppt=shaken".
 *  \returns its length, -EINVAL, -ENOSPC */
int e2e_passport_identity(char *out, size_t size, const struct passport *pp);

/*! Reduce a decoded, full-form "div" PASSporT (RFC 8946 §3) to the DIV TLV
 *  (ARCHITECTURE §2.2): header {"alg":"ES256","ppt":"div","typ":"passport",
 *  "x5u":X}, claims {"dest":{"tn":[CdPN]},"div":{"tn":D},"iat":T,
 *  "orig":{"tn":CgPN}} in canonical JSON, nothing else.
 *  \returns E2E_PP_OK or the reason it cannot travel */
enum e2e_passport_err e2e_div_to_tlv(struct sigtoken_div *out, const struct passport *pp,
				     const char *orig_e164, const char *dest_e164);

/*! Rebuild the "div" PASSporT from the DIV TLV and the IAM's numbers.
 *  \returns 0, -EINVAL, -ENOSPC */
int e2e_div_rebuild(struct passport *pp, const struct sigtoken_div *tlv, const char *orig_e164,
		    const char *dest_e164);
