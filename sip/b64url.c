/* SPDX-License-Identifier: GPL-3.0-or-later */
/* base64url without padding (sip/b64url.h). */

#include <errno.h>
#include <stdint.h>

#include "sip/b64url.h"

/* ------------------------------------------------------------------------
 * base64url, RFC 4648 §5 without padding (RFC 7515 §2)
 * ------------------------------------------------------------------------ */

static const char b64url_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int stir_b64url_encode(char *out, size_t outlen, const uint8_t *in, size_t len)
{
	size_t need = len / 3 * 4 + (len % 3 ? len % 3 + 1 : 0);
	size_t i, o = 0;

	if (outlen > 0)
		out[0] = '\0';
	if (len > (SIZE_MAX - 4) / 4 * 3 || outlen < need + 1)
		return -ENOSPC;
	for (i = 0; len - i >= 3; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

		out[o++] = b64url_alphabet[(v >> 18) & 0x3f];
		out[o++] = b64url_alphabet[(v >> 12) & 0x3f];
		out[o++] = b64url_alphabet[(v >> 6) & 0x3f];
		out[o++] = b64url_alphabet[v & 0x3f];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;

		out[o++] = b64url_alphabet[(v >> 18) & 0x3f];
		out[o++] = b64url_alphabet[(v >> 12) & 0x3f];
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;

		out[o++] = b64url_alphabet[(v >> 18) & 0x3f];
		out[o++] = b64url_alphabet[(v >> 12) & 0x3f];
		out[o++] = b64url_alphabet[(v >> 6) & 0x3f];
	}
	out[o] = '\0';
	return (int)o;
}

static int b64url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

int stir_b64url_decode(uint8_t *out, size_t outlen, const char *in, size_t len)
{
	size_t need = len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0);
	size_t i, o = 0;
	uint32_t acc = 0;
	unsigned int bits = 0;

	/* a lone trailing character carries only 6 bits: never valid */
	if (len % 4 == 1)
		return -EBADMSG;
	if (outlen < need)
		return -ENOSPC;
	for (i = 0; i < len; i++) {
		int v = b64url_value(in[i]);

		if (v < 0)
			return -EBADMSG;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (acc >> bits) & 0xff;
		}
	}
	/* RFC 4648 §3.5: the pad bits must be zero, or two strings would
	 * decode to the same octets */
	if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
		return -EBADMSG;
	return (int)o;
}
