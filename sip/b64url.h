/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file b64url.h
 *  base64url without padding (RFC 4648 §5, RFC 7515 §2), the encoding of
 *  the three parts of a PASSporT.  sip/passport.h includes it. */

#include <stddef.h>
#include <stdint.h>

/*! Encode base64url without padding (RFC 4648 §5, RFC 7515 §2).
 *  \returns the characters written (out is NUL-terminated), -ENOSPC */
int stir_b64url_encode(char *out, size_t outlen, const uint8_t *in, size_t len);

/*! Decode base64url without padding; '=', '+', '/', white space and
 *  non-zero trailing bits (RFC 4648 §3.5) are rejected.
 *  \returns the octets written, -EBADMSG for bad input, -ENOSPC */
int stir_b64url_decode(uint8_t *out, size_t outlen, const char *in, size_t len);
