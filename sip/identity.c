/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Identity header value parser, RFC 8224 §4.1. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "src/core/logging.h"
#include "sip/identity.h"

/* More parameters than this in one header is an attack, not a PASSporT. */
#define IDENTITY_PARAMS_MAX	16

struct id_cursor {
	const char *p;
	size_t len;
	size_t pos;
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 3261 §25.1 token characters */
static bool is_token_char(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return strchr("-.!%*_+`'~", c) != NULL && c != '\0';
}

static bool is_b64url_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

bool stir_slice_eq(const struct stir_slice *s, const char *str)
{
	size_t n = strlen(str);

	return s->ptr && s->len == n && strncasecmp(s->ptr, str, n) == 0;
}

/* Skip SWS: SP/HTAB, and CRLF only when folded (followed by SP/HTAB). */
static void skip_sws(struct id_cursor *c)
{
	while (c->pos < c->len) {
		char ch = c->p[c->pos];

		if (is_ws(ch)) {
			c->pos++;
		} else if (ch == '\r' && c->len - c->pos >= 3 && c->p[c->pos + 1] == '\n' &&
			   is_ws(c->p[c->pos + 2])) {
			c->pos += 3;
		} else {
			break;
		}
	}
}

static int parse_token_digest(struct identity_hdr *ih, struct id_cursor *c)
{
	size_t start = c->pos;
	size_t dots = 0, dot1 = 0, dot2 = 0;

	while (c->pos < c->len) {
		char ch = c->p[c->pos];

		if (ch == '.') {
			if (dots == 0)
				dot1 = c->pos;
			else if (dots == 1)
				dot2 = c->pos;
			dots++;
		} else if (!is_b64url_char(ch)) {
			break;
		}
		c->pos++;
	}
	if (c->pos == start) {
		LOGP(DSTIR, LOGL_NOTICE, "Identity: empty PASSporT token\n");
		return -EBADMSG;
	}
	if (c->pos < c->len) {
		char ch = c->p[c->pos];

		if (ch == '+' || ch == '/' || ch == '=') {
			LOGP(DSTIR, LOGL_NOTICE, "Identity: PASSporT token holds base64 '%c', "
			     "not base64url (RFC 8224 errata 6499)\n", ch);
			return -EBADMSG;
		}
		if (ch != ';' && !is_ws(ch) && ch != '\r') {
			LOGP(DSTIR, LOGL_NOTICE, "Identity: invalid character 0x%02x in PASSporT "
			     "token\n", (unsigned char)ch);
			return -EBADMSG;
		}
	}
	if (dots != 2) {
		LOGP(DSTIR, LOGL_NOTICE, "Identity: PASSporT token has %zu '.', not 2\n", dots);
		return -EBADMSG;
	}
	/* header and payload are both present (full form) or both absent
	 * (compact form, RFC 8225 §7); the signature is never empty */
	if (dot2 + 1 == c->pos) {
		LOGP(DSTIR, LOGL_NOTICE, "Identity: PASSporT token without a signature\n");
		return -EBADMSG;
	}
	if ((dot1 == start) != (dot2 == dot1 + 1)) {
		LOGP(DSTIR, LOGL_NOTICE, "Identity: PASSporT token with one of header and "
		     "payload empty\n");
		return -EBADMSG;
	}
	ih->token.ptr = c->p + start;
	ih->token.len = c->pos - start;
	ih->compact = (dot1 == start);
	return 0;
}

/* quoted-string (RFC 3261 §25.1); returns the content without the quotes */
static int parse_quoted(struct id_cursor *c, struct stir_slice *out, const char *name)
{
	size_t start;

	c->pos++;		/* opening '"' */
	start = c->pos;
	while (c->pos < c->len) {
		char ch = c->p[c->pos];

		if (ch == '"') {
			out->ptr = c->p + start;
			out->len = c->pos - start;
			c->pos++;
			return 0;
		}
		if (ch == '\\') {
			if (c->len - c->pos < 2) {
				break;
			}
			if ((unsigned char)c->p[c->pos + 1] > 0x7f ||
			    c->p[c->pos + 1] == '\r' || c->p[c->pos + 1] == '\n') {
				LOGP(DSTIR, LOGL_NOTICE, "Identity: bad quoted-pair in '%s'\n", name);
				return -EBADMSG;
			}
			c->pos += 2;
			continue;
		}
		if ((unsigned char)ch < 0x20 && ch != '\t') {
			LOGP(DSTIR, LOGL_NOTICE, "Identity: control character in quoted '%s'\n",
			     name);
			return -EBADMSG;
		}
		c->pos++;
	}
	LOGP(DSTIR, LOGL_NOTICE, "Identity: unbalanced quote in '%s'\n", name);
	return -EBADMSG;
}

/* LAQUOT absoluteURI RAQUOT (RFC 8224 §4.1) */
static int parse_info_uri(struct id_cursor *c, struct stir_slice *out)
{
	size_t start;
	bool colon = false;

	if (c->pos >= c->len || c->p[c->pos] != '<') {
		LOGP(DSTIR, LOGL_NOTICE, "Identity: 'info' URI without angle brackets\n");
		return -EBADMSG;
	}
	c->pos++;
	start = c->pos;
	while (c->pos < c->len && c->p[c->pos] != '>') {
		unsigned char ch = c->p[c->pos];

		/* RFC 3986: no white space, CTLs, '<', '"' or non-ASCII in a URI */
		if (ch <= 0x20 || ch >= 0x7f || ch == '<' || ch == '"') {
			LOGP(DSTIR, LOGL_NOTICE, "Identity: invalid character 0x%02x in 'info' "
			     "URI\n", ch);
			return -EBADMSG;
		}
		if (ch == ':')
			colon = true;
		c->pos++;
	}
	if (c->pos >= c->len) {
		LOGP(DSTIR, LOGL_NOTICE, "Identity: 'info' URI without '>'\n");
		return -EBADMSG;
	}
	if (c->pos == start || !colon) {
		LOGP(DSTIR, LOGL_NOTICE, "Identity: 'info' is not an absolute URI\n");
		return -EBADMSG;
	}
	out->ptr = c->p + start;
	out->len = c->pos - start;
	c->pos++;		/* '>' */
	return 0;
}

/* gen-value = token / host / quoted-string; host covers IPv6 references */
static int parse_gen_value(struct id_cursor *c, struct stir_slice *out, const char *name)
{
	size_t start = c->pos;

	if (c->pos < c->len && c->p[c->pos] == '"')
		return parse_quoted(c, out, name);
	if (c->pos < c->len && c->p[c->pos] == '[') {
		while (c->pos < c->len && c->p[c->pos] != ']') {
			char ch = c->p[c->pos];

			if (!(ch == '[' || ch == ':' || ch == '.' ||
			      (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
			      (ch >= 'A' && ch <= 'F'))) {
				LOGP(DSTIR, LOGL_NOTICE, "Identity: bad IPv6 reference in '%s'\n",
				     name);
				return -EBADMSG;
			}
			c->pos++;
		}
		if (c->pos >= c->len) {
			LOGP(DSTIR, LOGL_NOTICE, "Identity: unbalanced '[' in '%s'\n", name);
			return -EBADMSG;
		}
		c->pos++;
	} else {
		while (c->pos < c->len && is_token_char(c->p[c->pos]))
			c->pos++;
	}
	if (c->pos == start) {
		LOGP(DSTIR, LOGL_NOTICE, "Identity: empty value of '%s'\n", name);
		return -EBADMSG;
	}
	out->ptr = c->p + start;
	out->len = c->pos - start;
	return 0;
}

static int parse_params(struct identity_hdr *ih, struct id_cursor *c)
{
	struct stir_slice names[IDENTITY_PARAMS_MAX];
	unsigned int num = 0;
	int rc;

	while (1) {
		struct stir_slice name, val = { NULL, 0 };
		bool quoted = false;
		char namebuf[16];
		size_t start;

		skip_sws(c);
		if (c->pos >= c->len)
			break;
		if (c->p[c->pos] != ';') {
			LOGP(DSTIR, LOGL_NOTICE, "Identity: expected ';' before parameter, got "
			     "0x%02x\n", (unsigned char)c->p[c->pos]);
			return -EBADMSG;
		}
		c->pos++;
		skip_sws(c);
		start = c->pos;
		while (c->pos < c->len && is_token_char(c->p[c->pos]))
			c->pos++;
		if (c->pos == start) {
			LOGP(DSTIR, LOGL_NOTICE, "Identity: empty parameter name\n");
			return -EBADMSG;
		}
		name.ptr = c->p + start;
		name.len = c->pos - start;
		/* a bounded copy of the name for the log (token characters
		 * only, so printable); memcpy: snprintf() was a tenth of the
		 * parse */
		memcpy(namebuf, name.ptr, name.len < sizeof(namebuf) ? name.len : sizeof(namebuf) - 1);
		namebuf[name.len < sizeof(namebuf) ? name.len : sizeof(namebuf) - 1] = '\0';

		if (num >= IDENTITY_PARAMS_MAX) {
			LOGP(DSTIR, LOGL_NOTICE, "Identity: more than %d parameters\n",
			     IDENTITY_PARAMS_MAX);
			return -EBADMSG;
		}
		for (unsigned int i = 0; i < num; i++) {
			if (names[i].len == name.len &&
			    strncasecmp(names[i].ptr, name.ptr, name.len) == 0) {
				LOGP(DSTIR, LOGL_NOTICE, "Identity: duplicate parameter '%s'\n",
				     namebuf);
				return -EBADMSG;
			}
		}
		names[num++] = name;

		skip_sws(c);
		if (c->pos < c->len && c->p[c->pos] == '=') {
			c->pos++;
			skip_sws(c);
			quoted = c->pos < c->len && c->p[c->pos] == '"';
			if (stir_slice_eq(&name, "info"))
				rc = parse_info_uri(c, &val);
			else
				rc = parse_gen_value(c, &val, namebuf);
			if (rc < 0)
				return rc;
		} else if (stir_slice_eq(&name, "info") || stir_slice_eq(&name, "alg") ||
			   stir_slice_eq(&name, "ppt")) {
			LOGP(DSTIR, LOGL_NOTICE, "Identity: parameter '%s' without a value\n",
			     namebuf);
			return -EBADMSG;
		}

		if (stir_slice_eq(&name, "info")) {
			ih->info = val;
		} else if (stir_slice_eq(&name, "alg")) {
			/* ident-info-alg = "alg" EQUAL token */
			if (quoted) {
				LOGP(DSTIR, LOGL_NOTICE, "Identity: 'alg' must be a token\n");
				return -EBADMSG;
			}
			ih->alg = val;
		} else if (stir_slice_eq(&name, "ppt")) {
			if (val.len == 0) {
				LOGP(DSTIR, LOGL_NOTICE, "Identity: empty 'ppt'\n");
				return -EBADMSG;
			}
			for (size_t i = 0; i < val.len; i++) {
				if (!is_token_char(val.ptr[i])) {
					LOGP(DSTIR, LOGL_NOTICE, "Identity: 'ppt' is not a token\n");
					return -EBADMSG;
				}
			}
			ih->ppt = val;
		}
	}
	if (!ih->info.ptr) {
		LOGP(DSTIR, LOGL_NOTICE, "Identity: missing 'info' parameter\n");
		return -EBADMSG;
	}
	return 0;
}

int identity_hdr_parse(struct identity_hdr *ih, const char *buf, size_t len)
{
	struct id_cursor c = { .p = buf, .len = len, .pos = 0 };
	int rc;

	memset(ih, 0, sizeof(*ih));
	if (!buf || len == 0) {
		LOGP(DSTIR, LOGL_NOTICE, "Identity: empty header value\n");
		return -EBADMSG;
	}
	if (len > IDENTITY_HDR_MAX) {
		LOGP(DSTIR, LOGL_NOTICE, "Identity: header value of %zu octets exceeds %d\n",
		     len, IDENTITY_HDR_MAX);
		return -EBADMSG;
	}
	skip_sws(&c);
	rc = parse_token_digest(ih, &c);
	if (rc < 0)
		goto out;
	rc = parse_params(ih, &c);
out:
	if (rc < 0)
		memset(ih, 0, sizeof(*ih));
	return rc;
}
