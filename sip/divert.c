/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Diversion (RFC 5806) and History-Info (RFC 7044, RFC 4458) headers. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/core/logging.h"
#include "sip/divert.h"

/* Parameters of one entry looked at; more is an error. */
#define DIVERT_PARAMS_MAX	16

const struct value_string sip_divert_reason_names[] = {
	{ SIP_DIVERT_UNKNOWN,		"unknown" },
	{ SIP_DIVERT_USER_BUSY,		"user busy" },
	{ SIP_DIVERT_NO_REPLY,		"no reply" },
	{ SIP_DIVERT_UNCONDITIONAL,	"unconditional" },
	{ SIP_DIVERT_DEFLECT_ALERTING,	"deflection during alerting" },
	{ SIP_DIVERT_DEFLECT_IMMEDIATE,	"deflection immediate response" },
	{ SIP_DIVERT_NOT_REACHABLE,	"mobile subscriber not reachable" },
	{ 0, NULL }
};

/* RFC 4458 §3.4: the cause values, in the order of the ISUP reasons */
static const unsigned int rfc4458_cause[] = { 404, 486, 408, 302, 487, 480, 503 };

int sip_divert_reason_to_cause(uint8_t reason)
{
	if (reason >= ARRAY_SIZE(rfc4458_cause))
		return 404;
	return rfc4458_cause[reason];
}

int sip_divert_reason_from_cause(unsigned int cause)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rfc4458_cause); i++)
		if (rfc4458_cause[i] == cause)
			return i;
	return -EINVAL;
}

/* RFC 5806 §4 diversion-reason, mapped as Q.1912.5 maps them; reasons
 * without an ISUP counterpart are "unknown" */
static const struct {
	const char *name;
	uint8_t reason;
} diversion_reasons[] = {
	{ "unknown",		SIP_DIVERT_UNKNOWN },
	{ "user-busy",		SIP_DIVERT_USER_BUSY },
	{ "no-answer",		SIP_DIVERT_NO_REPLY },
	{ "unconditional",	SIP_DIVERT_UNCONDITIONAL },
	{ "deflection",		SIP_DIVERT_DEFLECT_IMMEDIATE },
	{ "unavailable",	SIP_DIVERT_NOT_REACHABLE },
	{ "time-of-day",	SIP_DIVERT_UNCONDITIONAL },
	{ "do-not-disturb",	SIP_DIVERT_UNCONDITIONAL },
	{ "follow-me",		SIP_DIVERT_UNCONDITIONAL },
	{ "out-of-service",	SIP_DIVERT_NOT_REACHABLE },
	{ "away",		SIP_DIVERT_UNCONDITIONAL },
};

/* the RFC 5806 name we send for an ISUP reason */
static const char *const diversion_reason_out[] = {
	"unknown", "user-busy", "no-answer", "unconditional", "deflection", "deflection", "unavailable",
};

struct dv_slice {
	const char *p;
	size_t len;
};

struct dv_param {
	struct dv_slice name;
	struct dv_slice value;	/* p NULL when the parameter has no value */
};

struct dv_entry {
	struct dv_slice uri;	/* inside the angle brackets */
	unsigned int n_params;
	struct dv_param param[DIVERT_PARAMS_MAX];
};

struct dv_cursor {
	const char *p;
	size_t len;
	size_t pos;
	const char *hdr;	/* for log lines */
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_token_char(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("-.!%*_+`'~", c) != NULL;
}

static void skip_sws(struct dv_cursor *c)
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

static int bad(const struct dv_cursor *c, const char *what)
{
	LOGP(DSIP, LOGL_NOTICE, "%s: %s (at octet %zu)\n", c->hdr, what, c->pos);
	return -EBADMSG;
}

/* quoted-string, RFC 3261 §25.1: the cursor is on the opening quote */
static int skip_quoted(struct dv_cursor *c, struct dv_slice *out)
{
	size_t start = ++c->pos;

	while (c->pos < c->len) {
		char ch = c->p[c->pos];

		if (ch == '"') {
			if (out) {
				out->p = c->p + start;
				out->len = c->pos - start;
			}
			c->pos++;
			return 0;
		}
		if (ch == '\\') {
			if (c->len - c->pos < 2)
				break;
			c->pos++;
		}
		if ((unsigned char)ch < 0x20 && !is_ws(ch))
			return bad(c, "control character in a quoted string");
		c->pos++;
	}
	return bad(c, "unterminated quoted string");
}

static int token(struct dv_cursor *c, struct dv_slice *out)
{
	size_t start = c->pos;

	while (c->pos < c->len && is_token_char(c->p[c->pos]))
		c->pos++;
	if (c->pos == start)
		return -EBADMSG;
	out->p = c->p + start;
	out->len = c->pos - start;
	return 0;
}

/* One entry: [display-name] "<" URI ">" *( SWS ";" SWS param ) */
static int parse_entry(struct dv_cursor *c, struct dv_entry *e)
{
	size_t start;
	struct dv_slice tmp;

	memset(e, 0, sizeof(*e));
	skip_sws(c);
	/* display-name: a quoted string or tokens separated by white space */
	if (c->pos < c->len && c->p[c->pos] == '"') {
		if (skip_quoted(c, NULL) < 0)
			return -EBADMSG;
		skip_sws(c);
	} else {
		while (c->pos < c->len && token(c, &tmp) == 0)
			skip_sws(c);
	}
	if (c->pos >= c->len || c->p[c->pos] != '<')
		return bad(c, "entry is not a name-addr: '<' missing");
	start = ++c->pos;
	while (c->pos < c->len && c->p[c->pos] != '>') {
		unsigned char ch = c->p[c->pos];

		if (ch <= 0x20 || ch >= 0x7f || ch == '<' || ch == '"')
			return bad(c, "invalid character in the URI");
		c->pos++;
	}
	if (c->pos >= c->len)
		return bad(c, "URI without its closing '>'");
	e->uri.p = c->p + start;
	e->uri.len = c->pos - start;
	if (!e->uri.len)
		return bad(c, "empty URI");
	c->pos++;
	for (;;) {
		struct dv_param *prm;

		skip_sws(c);
		if (c->pos >= c->len || c->p[c->pos] != ';')
			break;
		c->pos++;
		skip_sws(c);
		if (e->n_params == DIVERT_PARAMS_MAX)
			return bad(c, "too many parameters");
		prm = &e->param[e->n_params++];
		if (token(c, &prm->name) < 0)
			return bad(c, "parameter without a name");
		skip_sws(c);
		if (c->pos < c->len && c->p[c->pos] == '=') {
			c->pos++;
			skip_sws(c);
			if (c->pos < c->len && c->p[c->pos] == '"') {
				if (skip_quoted(c, &prm->value) < 0)
					return -EBADMSG;
			} else if (token(c, &prm->value) < 0) {
				return bad(c, "parameter without a value after '='");
			}
		}
	}
	return 0;
}

/* Split a header value at top-level commas into entries.
 * \returns the number of entries, or -EBADMSG */
static int parse_list(struct dv_cursor *c, struct dv_entry *e, unsigned int max)
{
	unsigned int n = 0;

	if (c->len > SIP_DIVERT_HDR_MAX)
		return bad(c, "longer than " OSMO_STRINGIFY_VAL(SIP_DIVERT_HDR_MAX) " octets");
	for (;;) {
		if (n == max)
			return bad(c, "too many entries");
		if (parse_entry(c, &e[n]) < 0)
			return -EBADMSG;
		n++;
		skip_sws(c);
		if (c->pos >= c->len)
			return n;
		if (c->p[c->pos] != ',')
			return bad(c, "garbage after an entry");
		c->pos++;
	}
}

static bool slice_eq(const struct dv_slice *s, const char *str)
{
	size_t n = strlen(str);

	return s->p && s->len == n && strncasecmp(s->p, str, n) == 0;
}

static const struct dv_slice *param_get(const struct dv_entry *e, const char *name)
{
	unsigned int i;

	for (i = 0; i < e->n_params; i++)
		if (slice_eq(&e->param[i].name, name))
			return &e->param[i].value;
	return NULL;
}

/* A decimal number of at most \a max_digits digits. */
static int slice_uint(const struct dv_slice *s, unsigned int max_digits, unsigned int *out)
{
	unsigned int v = 0;
	size_t i;

	if (!s || !s->p || !s->len || s->len > max_digits)
		return -EINVAL;
	for (i = 0; i < s->len; i++) {
		if (s->p[i] < '0' || s->p[i] > '9')
			return -EINVAL;
		v = v * 10 + (s->p[i] - '0');
	}
	*out = v;
	return 0;
}

/* The number of an entry's URI: the part before '?' (RFC 3261 §19.1.1
 * headers, where History-Info puts its Reason) is canonicalised. */
static int entry_tn(const struct dv_cursor *c, const struct dv_entry *e, char *out, size_t size, bool *global)
{
	const char *q = memchr(e->uri.p, '?', e->uri.len);
	size_t len = q ? (size_t)(q - e->uri.p) : e->uri.len;
	size_t skip = 0;

	if (len >= 4 && (!strncasecmp(e->uri.p, "tel:", 4) || !strncasecmp(e->uri.p, "sip:", 4)))
		skip = 4;
	else if (len >= 5 && !strncasecmp(e->uri.p, "sips:", 5))
		skip = 5;
	*global = len > skip && e->uri.p[skip] == '+';

	if (stiwf_tn_normalize(e->uri.p, len, out, size) < 0) {
		LOGP(DSIP, LOGL_NOTICE, "%s: URI '%.*s' holds no telephone number\n", c->hdr,
		     (int)OSMO_MIN(len, (size_t)64), e->uri.p);
		return -EBADMSG;
	}
	return 0;
}

/* RFC 4458 "cause" among the URI parameters (before any '?') */
static int uri_cause(const struct dv_entry *e, unsigned int *cause)
{
	const char *p = e->uri.p;
	size_t len = e->uri.len;
	const char *q = memchr(p, '?', len);
	size_t i;

	if (q)
		len = q - p;
	for (i = 0; i + 7 <= len; i++) {
		struct dv_slice v;
		size_t j;

		if (p[i] != ';' || strncasecmp(p + i + 1, "cause=", 6))
			continue;
		v.p = p + i + 7;
		for (j = i + 7; j < len && p[j] != ';'; j++)
			;
		v.len = p + j - v.p;
		return slice_uint(&v, 3, cause) < 0 ? -EBADMSG : 1;
	}
	return 0;
}

static void divert_add(struct sip_divert *d, const char *from_tn, uint8_t reason, unsigned int count,
		       bool latest_first)
{
	if (!d->present) {
		d->present = true;
		osmo_strlcpy(d->orig_called, from_tn, sizeof(d->orig_called));
		osmo_strlcpy(d->redirecting, from_tn, sizeof(d->redirecting));
		d->orig_reason = reason;
		d->reason = reason;
	} else if (latest_first) {
		/* an older diversion: it becomes the original one */
		osmo_strlcpy(d->orig_called, from_tn, sizeof(d->orig_called));
		d->orig_reason = reason;
	} else {
		osmo_strlcpy(d->redirecting, from_tn, sizeof(d->redirecting));
		d->reason = reason;
	}
	d->counter = OSMO_MIN((unsigned int)d->counter + count, SIP_DIVERT_COUNTER_MAX);
}

int sip_diversion_parse(struct sip_divert *d, const char *buf, size_t len)
{
	struct dv_cursor c = { .p = buf, .len = len, .hdr = "Diversion" };
	struct dv_entry *e;
	int n, i, rc = 0;

	e = calloc(SIP_DIVERT_ENTRIES_MAX, sizeof(*e));
	if (!e)
		return -ENOMEM;
	n = parse_list(&c, e, SIP_DIVERT_ENTRIES_MAX);
	if (n < 0) {
		rc = n;
		goto out;
	}
	for (i = 0; i < n; i++) {
		char tn[STIWF_TN_MAX + 1];
		const struct dv_slice *v;
		bool global;
		unsigned int count = 1;
		uint8_t reason = SIP_DIVERT_UNKNOWN;

		rc = entry_tn(&c, &e[i], tn, sizeof(tn), &global);
		if (rc < 0)
			goto out;
		if (!global)
			d->national = true;
		v = param_get(&e[i], "counter");
		if (v && (slice_uint(v, 2, &count) < 0 || count == 0)) {
			LOGP(DSIP, LOGL_NOTICE, "Diversion: entry %d: 'counter' is not 1..99\n", i + 1);
			rc = -EBADMSG;
			goto out;
		}
		v = param_get(&e[i], "reason");
		if (v && v->p) {
			unsigned int k;

			for (k = 0; k < ARRAY_SIZE(diversion_reasons); k++)
				if (slice_eq(v, diversion_reasons[k].name))
					reason = diversion_reasons[k].reason;
		}
		v = param_get(&e[i], "privacy");
		if (v && (slice_eq(v, "full") || slice_eq(v, "uri")))
			d->restricted = true;
		divert_add(d, tn, reason, count, true);
	}
out:
	free(e);
	return rc;
}

int sip_history_info_parse(struct sip_divert *d, const char *buf, size_t len)
{
	struct dv_cursor c = { .p = buf, .len = len, .hdr = "History-Info" };
	struct dv_entry *e;
	int n, i, rc = 0;

	memset(d, 0, sizeof(*d));
	e = calloc(SIP_DIVERT_ENTRIES_MAX, sizeof(*e));
	if (!e)
		return -ENOMEM;
	n = parse_list(&c, e, SIP_DIVERT_ENTRIES_MAX);
	if (n < 0) {
		rc = n;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!param_get(&e[i], "index") || !param_get(&e[i], "index")->p) {
			LOGP(DSIP, LOGL_NOTICE, "History-Info: entry %d without 'index' (RFC 7044 §5)\n", i + 1);
			rc = -EBADMSG;
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		const struct dv_slice *parent;
		char tn[STIWF_TN_MAX + 1];
		unsigned int cause;
		bool global;
		int from = -1, k, reason;

		rc = uri_cause(&e[i], &cause);
		if (rc < 0) {
			LOGP(DSIP, LOGL_NOTICE, "History-Info: entry %d: 'cause' is not a number\n", i + 1);
			goto out;
		}
		if (rc == 0)
			continue;
		reason = sip_divert_reason_from_cause(cause);
		if (reason < 0) {
			LOGP(DSIP, LOGL_NOTICE, "History-Info: entry %d: cause %u is not one of RFC 4458 §3.4\n",
			     i + 1, cause);
			rc = -EBADMSG;
			goto out;
		}
		/* RFC 7044 §5.1: "mp" or "rc" names the index it came from */
		parent = param_get(&e[i], "mp");
		if (!parent || !parent->p)
			parent = param_get(&e[i], "rc");
		if (parent && parent->p) {
			for (k = 0; k < i; k++) {
				const struct dv_slice *idx = param_get(&e[k], "index");

				if (idx->len == parent->len && !memcmp(idx->p, parent->p, idx->len))
					from = k;
			}
			if (from < 0) {
				LOGP(DSIP, LOGL_NOTICE, "History-Info: entry %d: 'mp'/'rc' names no earlier "
				     "entry\n", i + 1);
				rc = -EBADMSG;
				goto out;
			}
		} else {
			from = i - 1;
		}
		if (from < 0) {
			LOGP(DSIP, LOGL_NOTICE, "History-Info: entry 1 has a 'cause' but nothing it was "
			     "diverted from\n");
			rc = -EBADMSG;
			goto out;
		}
		rc = entry_tn(&c, &e[from], tn, sizeof(tn), &global);
		if (rc < 0)
			goto out;
		if (!global)
			d->national = true;
		divert_add(d, tn, reason, 1, false);
	}
	rc = 0;
out:
	free(e);
	return rc;
}

static int put(char *out, size_t size, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int put(char *out, size_t size, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= size)
		return -ENOSPC;
	va_start(ap, fmt);
	n = vsnprintf(out + *off, size - *off, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - *off)
		return -ENOSPC;
	*off += n;
	return 0;
}

static bool tn_ok(const char *tn)
{
	size_t i, n = strlen(tn);

	if (!n || n > STIWF_TN_E164_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (tn[i] < '0' || tn[i] > '9')
			return false;
	return true;
}

int sip_diversion_format(char *out, size_t size, const struct sip_divert *d)
{
	const char *priv = d->restricted ? "full" : "off";
	size_t off = 0;
	unsigned int rest;
	int rc;

	if (!d->present || !tn_ok(d->redirecting) || !tn_ok(d->orig_called) ||
	    d->reason >= ARRAY_SIZE(diversion_reason_out) || d->orig_reason >= ARRAY_SIZE(diversion_reason_out) ||
	    d->counter < 1)
		return -EINVAL;
	if (size)
		out[0] = '\0';
	if (d->counter == 1 || !strcmp(d->orig_called, d->redirecting)) {
		return put(out, size, &off, "<tel:+%s>;reason=%s;counter=%u;privacy=%s", d->redirecting,
			   diversion_reason_out[d->reason], d->counter, priv) < 0 ? -ENOSPC : (int)off;
	}
	/* RFC 5806 §4: latest first; the diversions in between are counted
	 * on the latest, since ISUP does not carry their numbers */
	rest = d->counter - 1;
	rc = put(out, size, &off, "<tel:+%s>;reason=%s;counter=%u;privacy=%s,<tel:+%s>;reason=%s;counter=1;privacy=%s",
		 d->redirecting, diversion_reason_out[d->reason], rest, priv, d->orig_called,
		 diversion_reason_out[d->orig_reason], priv);
	return rc < 0 ? rc : (int)off;
}

int sip_history_info_format(char *out, size_t size, const struct sip_divert *d, const char *target_tn,
			    const char *host)
{
	size_t off = 0;
	int rc;

	if (!d->present || !tn_ok(d->redirecting) || !tn_ok(d->orig_called) || !target_tn || !tn_ok(target_tn) ||
	    !host || !host[0] || strpbrk(host, " \t\r\n<>;?,\"@"))
		return -EINVAL;
	if (size)
		out[0] = '\0';
	rc = put(out, size, &off, "<sip:+%s@%s;user=phone>;index=1", d->orig_called, host);
	if (rc == 0 && strcmp(d->orig_called, d->redirecting)) {
		rc = put(out, size, &off, ",<sip:+%s@%s;user=phone;cause=%d>;index=1.1;mp=1", d->redirecting, host,
			 sip_divert_reason_to_cause(d->orig_reason));
		if (rc == 0)
			rc = put(out, size, &off, ",<sip:+%s@%s;user=phone;cause=%d>;index=1.1.1;mp=1.1", target_tn,
				 host, sip_divert_reason_to_cause(d->reason));
	} else if (rc == 0) {
		rc = put(out, size, &off, ",<sip:+%s@%s;user=phone;cause=%d>;index=1.1;mp=1", target_tn, host,
			 sip_divert_reason_to_cause(d->reason));
	}
	return rc < 0 ? rc : (int)off;
}
