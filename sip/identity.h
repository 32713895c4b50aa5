/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file identity.h
 *  A bounded parser for one SIP Identity header value (RFC 8224 §4.1).
 *  Results are (pointer, length) slices into the caller's buffer, which must
 *  outlive them. */

#include <stdbool.h>
#include <stddef.h>

/*! Longest Identity header value we accept, in octets. */
#define IDENTITY_HDR_MAX	8192

/*! A (pointer, length) slice into a buffer owned elsewhere. */
struct stir_slice {
	const char *ptr;	/*!< NULL when absent */
	size_t len;
};

/*! One parsed Identity header value. */
struct identity_hdr {
	/*! signed-identity-digest: the PASSporT, "h.p.s" or compact "..s" */
	struct stir_slice token;
	/*! true when token is the compact form (RFC 8225 §7) */
	bool compact;
	/*! the absoluteURI inside info=<...>, without the angle brackets */
	struct stir_slice info;
	/*! alg parameter; absent (ptr NULL) means ES256 (RFC 8224 §4.1) */
	struct stir_slice alg;
	/*! ppt parameter without quotes; absent (ptr NULL) allowed */
	struct stir_slice ppt;
};

/*! Parse one Identity header value, the part after "Identity:".
 *
 *  Grammar (RFC 8224 §4.1, with errata 6499): the token is base64url
 *  characters (A-Z a-z 0-9 '-' '_') with exactly two '.' separators; the
 *  base64 characters '+' and '/' and padding '=' are rejected, since a JWS
 *  (RFC 7515 §2) is base64url without padding and would fail to decode
 *  anyway.  "info" with an angle-bracketed URI is required; "alg" and "ppt"
 *  are optional ("ppt" quoted or not); other generic-params are checked for
 *  syntax and ignored.  Parameters may come in any order, with white space
 *  around ';' and '='; names are case-insensitive; any duplicate name is an
 *  error.
 *
 *  \param[out] ih the result, cleared first
 *  \param[in] buf the header value (need not be NUL-terminated)
 *  \param[in] len length of buf, at most IDENTITY_HDR_MAX
 *  \returns 0, or -EBADMSG (the reason logged on DSTIR) */
int identity_hdr_parse(struct identity_hdr *ih, const char *buf, size_t len);

/*! \returns true when s is the case-insensitive ASCII string str */
bool stir_slice_eq(const struct stir_slice *s, const char *str);
