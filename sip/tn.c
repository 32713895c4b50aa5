/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Telephone-number canonicalisation, RFC 8224 §8.3. */

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "src/core/logging.h"
#include "sip/tn.h"

/* An input longer than this is not a telephone number in any form. */
#define TN_INPUT_MAX	1024

/* Digits collected so far; never more than STIWF_TN_MAX. */
struct tn_acc {
	char d[STIWF_TN_MAX];
	size_t n;
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_visual_sep(char c)
{
	/* RFC 3966 §3 visual-separator */
	return c == '-' || c == '.' || c == '(' || c == ')';
}

static bool name_is(const char *p, size_t len, const char *name)
{
	size_t n = strlen(name);

	return len == n && strncasecmp(p, name, n) == 0;
}

/* Append the digits of p[0..len) skipping visual separators (and spaces when
 * allow_space).  An optional '+' is allowed first when allow_plus.
 * Returns 0, or -EINVAL naming the field in the log. */
static int tn_digits(struct tn_acc *acc, const char *p, size_t len, bool allow_space,
		     const char *field)
{
	size_t i;
	size_t start = acc->n;

	for (i = 0; i < len; i++) {
		char c = p[i];

		if (c >= '0' && c <= '9') {
			if (acc->n >= STIWF_TN_MAX) {
				LOGP(DSTIR, LOGL_INFO, "TN: %s has more than %d digits\n",
				     field, STIWF_TN_MAX);
				return -EINVAL;
			}
			acc->d[acc->n++] = c;
		} else if (is_visual_sep(c) || (allow_space && is_ws(c))) {
			continue;
		} else {
			LOGP(DSTIR, LOGL_INFO, "TN: %s holds a character that is not a digit "
			     "or visual separator (0x%02x)\n", field, (unsigned char)c);
			return -EINVAL;
		}
	}
	if (acc->n == start) {
		LOGP(DSTIR, LOGL_INFO, "TN: %s has no digits\n", field);
		return -EINVAL;
	}
	return 0;
}

/* Parse a telephone-subscriber (RFC 3966 §3): number *(";" par).
 * Only phone-context changes the canonical number; the other parameters
 * (isub, ext, npdi, rn, cic, tgrp, trunk-context, ...) are ignored. */
static int tn_subscriber(struct tn_acc *acc, const char *p, size_t len, bool need_context,
			 bool *global)
{
	const char *semi = memchr(p, ';', len);
	size_t numlen = semi ? (size_t)(semi - p) : len;
	const char *ctx = NULL;
	size_t ctxlen = 0;
	size_t pos;
	int rc;

	pos = numlen;
	while (pos < len) {
		const char *par, *eq, *end;
		size_t parlen, namelen;

		pos++;			/* the ';' */
		par = p + pos;
		end = memchr(par, ';', len - pos);
		parlen = end ? (size_t)(end - par) : len - pos;
		eq = memchr(par, '=', parlen);
		namelen = eq ? (size_t)(eq - par) : parlen;
		if (namelen == 0) {
			LOGP(DSTIR, LOGL_INFO, "TN: empty URI parameter name\n");
			return -EINVAL;
		}
		if (name_is(par, namelen, "phone-context")) {
			if (ctx) {
				LOGP(DSTIR, LOGL_INFO, "TN: duplicate phone-context\n");
				return -EINVAL;
			}
			if (!eq || parlen - namelen - 1 == 0) {
				LOGP(DSTIR, LOGL_INFO, "TN: phone-context without a value\n");
				return -EINVAL;
			}
			ctx = eq + 1;
			ctxlen = parlen - namelen - 1;
		}
		pos += parlen;
	}

	if (numlen > 0 && p[0] == '+') {
		/* global-number: the phone-context, if any, is meaningless */
		*global = true;
		return tn_digits(acc, p + 1, numlen - 1, false, "global number");
	}

	/* local-number: RFC 3966 §5.1.5 makes phone-context mandatory in a tel
	 * URI; carriers' sip: user parts and plain numbers go without. */
	if (!ctx && need_context) {
		LOGP(DSTIR, LOGL_INFO, "TN: local number without phone-context\n");
		return -EINVAL;
	}
	if (ctx && ctx[0] == '+') {
		/* global-number-digits descriptor: it is the prefix */
		*global = true;
		rc = tn_digits(acc, ctx + 1, ctxlen - 1, false, "phone-context");
		if (rc < 0)
			return rc;
	}
	/* A domain-name phone-context cannot be turned into digits: the local
	 * number stays in national form and local policy applies. */
	return tn_digits(acc, p, numlen, false, "local number");
}

/* sip:/sips: URI without the scheme: userinfo "@" hostport *(";" param) ["?" headers] */
static int tn_sip_uri(struct tn_acc *acc, const char *p, size_t len, bool *global)
{
	const char *at = memchr(p, '@', len);
	const char *colon;
	size_t userlen, pos;
	bool user_phone = false;

	if (!at) {
		LOGP(DSTIR, LOGL_INFO, "TN: SIP URI without a user part\n");
		return -EINVAL;
	}
	userlen = at - p;
	/* user ":" password (RFC 3261 §19.1.1): the password is not ours */
	colon = memchr(p, ':', userlen);
	if (colon)
		userlen = colon - p;
	if (userlen == 0) {
		LOGP(DSTIR, LOGL_INFO, "TN: SIP URI with an empty user part\n");
		return -EINVAL;
	}

	/* look for user=phone among the uri-parameters after the host */
	pos = (at - p) + 1;
	while (pos < len) {
		const char *q = p + pos;
		size_t rest = len - pos;
		const char *end;
		size_t plen;

		if (*q == '?')
			break;		/* headers */
		if (*q != ';') {
			pos++;
			continue;
		}
		q++;
		rest--;
		end = q;
		while ((size_t)(end - q) < rest && *end != ';' && *end != '?')
			end++;
		plen = end - q;
		if (name_is(q, plen, "user=phone"))
			user_phone = true;
		pos = end - p;
	}

	if (user_phone)
		return tn_subscriber(acc, p, userlen, false, global);

	/* Without user=phone: only a bare digit string (RFC 3261 §19.1.6
	 * leaves it to local policy; carriers send "+12025550100@host"). */
	if (p[0] == '+') {
		*global = true;
		p++;
		userlen--;
	}
	for (size_t i = 0; i < userlen; i++) {
		if (p[i] < '0' || p[i] > '9') {
			LOGP(DSTIR, LOGL_INFO, "TN: SIP user part without user=phone is not "
			     "all digits\n");
			return -EINVAL;
		}
	}
	return tn_digits(acc, p, userlen, false, "SIP user part");
}

/* Strip a display name and the angle brackets of a name-addr. */
static int tn_name_addr(const char **pp, size_t *plen)
{
	const char *p = *pp;
	size_t len = *plen;
	size_t i = 0;
	const char *gt;

	if (len > 0 && p[0] == '"') {
		/* quoted-string display name, RFC 3261 §25.1 */
		for (i = 1; i < len; i++) {
			if (p[i] == '\\') {
				i++;
				continue;
			}
			if (p[i] == '"')
				break;
		}
		if (i >= len) {
			LOGP(DSTIR, LOGL_INFO, "TN: unterminated display name\n");
			return -EINVAL;
		}
		i++;
		while (i < len && is_ws(p[i]))
			i++;
		if (i >= len || p[i] != '<') {
			LOGP(DSTIR, LOGL_INFO, "TN: display name without <URI>\n");
			return -EINVAL;
		}
	} else {
		const char *lt = memchr(p, '<', len);

		if (!lt)
			return 0;	/* an addr-spec or a plain number */
		i = lt - p;
	}
	i++;				/* '<' */
	gt = memchr(p + i, '>', len - i);
	if (!gt) {
		LOGP(DSTIR, LOGL_INFO, "TN: '<' without '>'\n");
		return -EINVAL;
	}
	/* after '>' only header parameters (";tag=...") or white space */
	for (const char *q = gt + 1; q < p + len; q++) {
		if (*q == ';')
			break;
		if (!is_ws(*q)) {
			LOGP(DSTIR, LOGL_INFO, "TN: text after '>'\n");
			return -EINVAL;
		}
	}
	*pp = p + i;
	*plen = gt - (p + i);
	return 0;
}

int stiwf_tn_normalize(const char *in, size_t len, char *out, size_t outlen)
{
	struct tn_acc acc = { .n = 0 };
	bool global = false;
	const char *p = in;
	int rc;

	if (outlen > 0)
		out[0] = '\0';
	if (!in || len == 0) {
		LOGP(DSTIR, LOGL_INFO, "TN: empty number\n");
		return -EINVAL;
	}
	if (len > TN_INPUT_MAX) {
		LOGP(DSTIR, LOGL_INFO, "TN: input of %zu octets is too long\n", len);
		return -EINVAL;
	}
	if (memchr(in, '\0', len)) {
		LOGP(DSTIR, LOGL_INFO, "TN: NUL in number\n");
		return -EINVAL;
	}
	while (len > 0 && is_ws(p[0])) {
		p++;
		len--;
	}
	while (len > 0 && is_ws(p[len - 1]))
		len--;

	rc = tn_name_addr(&p, &len);
	if (rc < 0)
		return rc;

	if (len >= 4 && strncasecmp(p, "tel:", 4) == 0)
		rc = tn_subscriber(&acc, p + 4, len - 4, true, &global);
	else if (len >= 4 && strncasecmp(p, "sip:", 4) == 0)
		rc = tn_sip_uri(&acc, p + 4, len - 4, &global);
	else if (len >= 5 && strncasecmp(p, "sips:", 5) == 0)
		rc = tn_sip_uri(&acc, p + 5, len - 5, &global);
	else if (len > 0 && p[0] == '+') {
		global = true;
		rc = tn_digits(&acc, p + 1, len - 1, true, "number");
	} else
		rc = tn_digits(&acc, p, len, true, "number");
	if (rc < 0)
		return rc;

	if (global && acc.n > STIWF_TN_E164_MAX) {
		LOGP(DSTIR, LOGL_INFO, "TN: international number of %zu digits (E.164 max %d)\n",
		     acc.n, STIWF_TN_E164_MAX);
		return -EINVAL;
	}
	if (outlen < acc.n + 1)
		return -ENOSPC;
	memcpy(out, acc.d, acc.n);
	out[acc.n] = '\0';
	return (int)acc.n;
}
