/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file stir_error.h
 *  STIR failure codes (RFC 8224 §6.2.2, §13; ATIS-1000074 §5.3) and the
 *  verification status values carried to the called party
 *  (3GPP TS 24.229 "verstat" tel URI / SIP URI parameter). */

#include <stddef.h>
#include <osmocom/core/utils.h>

/*! SIP response codes a verification service answers with. */
enum stir_error {
	STIR_ERR_NONE = 0,
	STIR_ERR_STALE_DATE = 403,		/*!< RFC 8224 §6.2.1: Date/iat outside the freshness window */
	STIR_ERR_USE_IDENTITY = 428,		/*!< RFC 8224 §6.2.2: no Identity header */
	STIR_ERR_BAD_IDENTITY_INFO = 436,	/*!< RFC 8224 §6.2.2: credential cannot be obtained */
	STIR_ERR_UNSUPPORTED_CRED = 437,	/*!< RFC 8224 §6.2.2: credential obtained but not supported */
	STIR_ERR_INVALID_IDENTITY = 438,	/*!< RFC 8224 §6.2.2: no valid PASSporT */
};
/*! Reason phrases of enum stir_error (RFC 8224 §13.2 registrations). */
extern const struct value_string stir_error_names[];

/*! Verification status, TS 24.229 §7.2A.20 ("verstat" parameter). */
enum stir_verstat {
	STIR_VERSTAT_NO_VALIDATION = 0,		/*!< "No-TN-Validation" */
	STIR_VERSTAT_PASSED = 1,		/*!< "TN-Validation-Passed" */
	STIR_VERSTAT_FAILED = 2,		/*!< "TN-Validation-Failed" */
};
/*! verstat parameter values of enum stir_verstat, as they go on the wire. */
extern const struct value_string stir_verstat_names[];

/*! \returns the reason phrase of a STIR code, "Unknown" for others. */
const char *stir_error_phrase(int code);

/*! Whether code is one of the STIR failure codes of enum stir_error.
 *  \returns 1 or 0 */
int stir_error_is_valid(int code);

/*! Format the value of a Reason header (RFC 3326) for a STIR failure, e.g.
 *  `SIP ;cause=438;text="Invalid Identity Header"` (ATIS-1000074 §5.3.2).
 *  \param[out] buf destination, always NUL-terminated when buflen > 0
 *  \param[in] buflen size of buf
 *  \param[in] code one of the non-zero enum stir_error values
 *  \returns the length written (without NUL), -EINVAL for an unknown code,
 *  -ENOSPC when buf is too small */
int stir_reason_format(char *buf, size_t buflen, int code);
