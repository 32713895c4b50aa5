/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stream directions of an SDP offer and answer (see sdp_dir.h).  The SDP
 * itself passes through stiwfd untouched (ARCHITECTURE §5: signalling
 * only); only a re-INVITE that holds or resumes streams is answered with
 * a changed copy of our SDP, which Sofia-SIP's SDP parser and printer
 * read and write. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include <sofia-sip/sdp.h>

#include <osmocom/core/talloc.h>

#include "sip/sdp_dir.h"

#define SDP_DIR_TEXT_MAX 8192

static int digest(const char *s, size_t len, uint8_t out[32])
{
	unsigned int n = 0;

	if (EVP_Digest(s, len, out, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return -EIO;
	return 0;
}

/* RFC 8866 §9 token-char */
static bool token_char(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b || c == 0x2d || c == 0x2e ||
	       (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x5e && c <= 0x7e);
}

/* Whether an SDP is in the line grammar of RFC 8866 §9 as far as Sofia-SIP
 * 1.12's parser needs it to end: every line "<a-z>=..." (the parser skips
 * white space before the type letter), and every m= line media SP
 * port["/"n] SP proto *("/" token) 1*(SP fmt), all tokens.  That parser
 * loops allocating without end on an m= line whose format list holds a
 * character outside token (a tab, "(", an octet over 0x7f) for a transport
 * it does not know, so such an SDP never reaches it.  Lines end at CR, LF
 * or CRLF, as the parser reads them.  A NUL before len, which the parser
 * would stop at, is refused too. */
bool sdp_dir_media_lines_ok(const char *sdp, size_t len)
{
	size_t i = 0, j;

	if (memchr(sdp, 0, len))
		return false;
	while (i < len) {
		size_t stop = i;

		while (stop < len && sdp[stop] != '\r' && sdp[stop] != '\n')
			stop++;
		if (stop > i && (stop - i < 2 || sdp[i] < 'a' || sdp[i] > 'z' || sdp[i + 1] != '='))
			return false;
		if (stop > i && sdp[i] == 'm') {
			bool prev_sep = true;

			for (j = i + 2; j < stop; j++) {
				unsigned char c = (unsigned char)sdp[j];
				bool sep = c == ' ' || c == '/';

				if (!sep && !token_char(c))
					return false;
				if (sep && prev_sep)
					return false;	/* empty field */
				prev_sep = sep;
			}
			if (prev_sep)
				return false;	/* empty line or field */
		}
		i = stop + 1;
	}
	return true;
}

int sdp_dir_shape(const char *sdp, size_t len, struct sdp_dir_shape *out)
{
	sdp_parser_t *p;
	sdp_session_t *s;
	sdp_printer_t *pr = NULL;
	sdp_media_t *m;
	unsigned int n = 0;
	uint16_t modes = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!sdp || !len || len > SDP_DIR_TEXT_MAX)
		return -EINVAL;
	/* the parser copies the text into its own home */
	p = sdp_dir_media_lines_ok(sdp, len) ? sdp_parse(NULL, sdp, (issize_t)len, 0) : NULL;
	s = p ? sdp_session(p) : NULL;
	if (s) {
		for (m = s->sdp_media; m; m = m->m_next, n++) {
			if (n < SDP_DIR_MEDIA_MAX)
				modes |= (uint16_t)(m->m_mode << (2 * n));
			m->m_mode = sdp_sendrecv;
		}
		if (s->sdp_origin)
			s->sdp_origin->o_version = 0;
		if (n <= SDP_DIR_MEDIA_MAX)
			pr = sdp_print(NULL, s, NULL, 0, sdp_f_mode_always);
	}
	if (pr && !sdp_printing_error(pr) && sdp_message(pr)) {
		rc = digest(sdp_message(pr), (size_t)sdp_message_size(pr), out->digest);
		out->modes = modes;
		out->n_media = (uint8_t)n;
		out->parsed = true;
	} else {
		rc = digest(sdp, len, out->digest);
	}
	if (pr)
		sdp_printer_free(pr);
	if (p)
		sdp_parser_free(p);
	return rc;
}

bool sdp_dir_same_but_modes(const struct sdp_dir_shape *a, const struct sdp_dir_shape *b)
{
	return a->parsed == b->parsed && a->n_media == b->n_media && !memcmp(a->digest, b->digest, sizeof(a->digest));
}

/* RFC 3264 §6.1: a stream offered sendonly is answered recvonly, and the
 * reverse; inactive stays inactive. */
static unsigned int mirror(unsigned int mode)
{
	return ((mode & sdp_sendonly) ? sdp_recvonly : 0) | ((mode & sdp_recvonly) ? sdp_sendonly : 0);
}

char *sdp_dir_answer(void *ctx, const char *base, const struct sdp_dir_shape *offer, unsigned int bump)
{
	sdp_parser_t *p;
	sdp_session_t *s;
	sdp_printer_t *pr = NULL;
	sdp_media_t *m;
	unsigned int i = 0;
	char *out = NULL;

	if (!base || !offer->parsed || strlen(base) > SDP_DIR_TEXT_MAX || !sdp_dir_media_lines_ok(base, strlen(base)))
		return NULL;
	p = sdp_parse(NULL, base, (issize_t)strlen(base), 0);
	s = p ? sdp_session(p) : NULL;
	if (!s || !s->sdp_origin)
		goto out;
	for (m = s->sdp_media; m; m = m->m_next, i++) {
		if (i >= offer->n_media)
			goto out;
		m->m_mode = mirror((offer->modes >> (2 * i)) & 3) & m->m_mode;
	}
	if (i != offer->n_media)
		goto out;
	s->sdp_origin->o_version += bump;
	pr = sdp_print(NULL, s, NULL, 0, sdp_f_mode_always);
	if (pr && !sdp_printing_error(pr) && sdp_message(pr))
		out = talloc_strndup(ctx, sdp_message(pr), (size_t)sdp_message_size(pr));
out:
	if (pr)
		sdp_printer_free(pr);
	if (p)
		sdp_parser_free(p);
	return out;
}

bool sdp_dir_on_hold(const struct sdp_dir_shape *s)
{
	unsigned int i;

	for (i = 0; i < s->n_media && i < SDP_DIR_MEDIA_MAX; i++)
		if (!(((s->modes >> (2 * i)) & 3) & sdp_recvonly))
			return true;
	return false;
}

const char *sdp_dir_mode_name(unsigned int mode)
{
	static const char *const names[] = { "inactive", "sendonly", "recvonly", "sendrecv" };

	return names[mode & 3];
}

const char *sdp_dir_modes_str(const struct sdp_dir_shape *s, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < s->n_media && i < SDP_DIR_MEDIA_MAX; i++) {
		int n = snprintf(buf + off, len - off, "%s%s", i ? "," : "",
				 sdp_dir_mode_name((s->modes >> (2 * i)) & 3));

		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
	return buf;
}
