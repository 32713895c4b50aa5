/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PASSporT codec: RFC 8225, RFC 8588 (SHAKEN), RFC 8946 (div): filling,
 * the canonical JSON of header and claims, decoding and the checks.  The
 * base64url codec is in sip/b64url.c, ES256 and its per-thread contexts
 * in sip/passport_es256.c. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "src/core/jsonw.h"
#include "src/core/logging.h"
#include "sip/passport.h"
#include "sip/stir_error.h"

const struct value_string passport_ppt_names[] = {
	{ PASSPORT_PPT_NONE, "none" },
	{ PASSPORT_PPT_SHAKEN, "shaken" },
	{ PASSPORT_PPT_DIV, "div" },
	{ PASSPORT_PPT_OTHER, "other" },
	{ 0, NULL }
};

/* Decoded header or payload JSON: 3/4 of the signing input at most. */
#define PASSPORT_JSON_MAX	(PASSPORT_SIGNING_INPUT_MAX / 4 * 3 + 3)

/* ------------------------------------------------------------------------
 * filling a PASSporT
 * ------------------------------------------------------------------------ */

static int copy_str(char *dst, size_t dstsize, const char *src)
{
	size_t n;

	if (!src)
		return -EINVAL;
	n = strlen(src);
	if (n >= dstsize)
		return -EINVAL;
	memcpy(dst, src, n + 1);
	return 0;
}

static int init_common(struct passport *pp, const char *x5u, const char *orig_tn,
		       const char *const *dest_tn, unsigned int num_dest, int64_t iat)
{
	unsigned int i;

	memset(pp, 0, sizeof(*pp));
	if (num_dest == 0 || num_dest > PASSPORT_DEST_TN_MAX || !dest_tn || iat < 0)
		return -EINVAL;
	if (copy_str(pp->alg, sizeof(pp->alg), "ES256") < 0 ||
	    copy_str(pp->typ, sizeof(pp->typ), "passport") < 0 ||
	    copy_str(pp->x5u, sizeof(pp->x5u), x5u) < 0 || !x5u[0] ||
	    copy_str(pp->orig_tn, sizeof(pp->orig_tn), orig_tn) < 0 || !orig_tn[0])
		return -EINVAL;
	for (i = 0; i < num_dest; i++) {
		if (copy_str(pp->dest_tn[i], sizeof(pp->dest_tn[i]), dest_tn[i]) < 0 ||
		    !dest_tn[i][0])
			return -EINVAL;
	}
	pp->num_dest_tn = num_dest;
	pp->has_iat = true;
	pp->iat = iat;
	return 0;
}

int passport_init_shaken(struct passport *pp, const char *x5u, char attest,
			 const char *orig_tn, const char *const *dest_tn, unsigned int num_dest,
			 int64_t iat, const char *origid)
{
	int rc = init_common(pp, x5u, orig_tn, dest_tn, num_dest, iat);

	if (rc < 0)
		goto fail;
	rc = -EINVAL;
	/* RFC 8588 §4: attest is "A", "B" or "C" */
	if (attest != 'A' && attest != 'B' && attest != 'C')
		goto fail;
	pp->attest = attest;
	if (copy_str(pp->origid, sizeof(pp->origid), origid) < 0 || !origid[0])
		goto fail;
	pp->ppt = PASSPORT_PPT_SHAKEN;
	memcpy(pp->ppt_str, "shaken", sizeof("shaken"));
	return 0;
fail:
	memset(pp, 0, sizeof(*pp));
	return rc;
}

int passport_init_div(struct passport *pp, const char *x5u, const char *orig_tn,
		      const char *const *dest_tn, unsigned int num_dest, int64_t iat,
		      const char *div_tn)
{
	int rc = init_common(pp, x5u, orig_tn, dest_tn, num_dest, iat);

	if (rc < 0)
		goto fail;
	rc = -EINVAL;
	if (copy_str(pp->div_tn, sizeof(pp->div_tn), div_tn) < 0 || !div_tn[0])
		goto fail;
	pp->ppt = PASSPORT_PPT_DIV;
	memcpy(pp->ppt_str, "div", sizeof("div"));
	return 0;
fail:
	memset(pp, 0, sizeof(*pp));
	return rc;
}

int passport_div_chain_check(const struct passport *shaken, const struct passport *div, const char *dest_tn,
			     const char **detail)
{
	unsigned int i;

	*detail = "";
	if (div->ppt != PASSPORT_PPT_DIV || !div->div_tn[0]) {
		*detail = "not a 'div' PASSporT with a 'div' claim";
		return -EINVAL;
	}
	if (!div->orig_tn[0] || strcmp(div->orig_tn, shaken->orig_tn)) {
		*detail = "'div' PASSporT 'orig' is not the SHAKEN PASSporT's 'orig'";
		return -EINVAL;
	}
	for (i = 0; i < shaken->num_dest_tn; i++)
		if (!strcmp(shaken->dest_tn[i], div->div_tn))
			break;
	if (i == shaken->num_dest_tn) {
		*detail = "'div' claim is not a 'dest' of the SHAKEN PASSporT";
		return -EINVAL;
	}
	for (i = 0; i < div->num_dest_tn; i++)
		if (dest_tn && !strcmp(div->dest_tn[i], dest_tn))
			return 0;
	*detail = "'div' PASSporT 'dest' is not the called number";
	return -EINVAL;
}

/* ------------------------------------------------------------------------
 * canonical encoding, RFC 8225 §9
 *
 * The members of the SHAKEN and "div" header and claims are fixed, so the
 * canonical JSON (keys in lexicographic order, no white space, '/' not
 * escaped) is written directly rather than built as a jansson tree and
 * serialised with JSON_COMPACT | JSON_SORT_KEYS: that tree cost more than a
 * tenth of a signing.  src/core/jsonw.h writes it, members in the order
 * given.  The output is byte for byte what jansson writes for
 * the same values (tests/sip/passport_test.c compares them), including the
 * failures: a string that is not valid UTF-8 is -ENOMEM (json_string()
 * refused it), a header or payload over PASSPORT_JSON_MAX is -ENOSPC.
 * ------------------------------------------------------------------------ */

/* A fixed-size, NUL-terminated field of struct passport and its length.
 * A field filled without its NUL is cut at the end of the array. */
#define FIELD_LEN(f)	strnlen((f), sizeof(f))

/* every string the encoding will hold must be valid UTF-8 */
static bool strings_valid(const struct passport *pp)
{
	unsigned int i;

	if (!jsonw_utf8_valid(pp->alg, FIELD_LEN(pp->alg)) ||
	    !jsonw_utf8_valid(pp->ppt_str, FIELD_LEN(pp->ppt_str)) ||
	    !jsonw_utf8_valid(pp->typ, FIELD_LEN(pp->typ)) ||
	    !jsonw_utf8_valid(pp->x5u, FIELD_LEN(pp->x5u)) ||
	    !jsonw_utf8_valid(pp->div_tn, FIELD_LEN(pp->div_tn)) ||
	    !jsonw_utf8_valid(pp->orig_tn, FIELD_LEN(pp->orig_tn)) ||
	    !jsonw_utf8_valid(pp->origid, FIELD_LEN(pp->origid)) ||
	    !jsonw_utf8_valid(&pp->attest, pp->attest ? 1 : 0))
		return false;
	for (i = 0; i < pp->num_dest_tn; i++) {
		if (!jsonw_utf8_valid(pp->dest_tn[i], FIELD_LEN(pp->dest_tn[i])))
			return false;
	}
	for (i = 0; i < pp->num_dest_uri; i++) {
		if (!jsonw_utf8_valid(pp->dest_uri[i], FIELD_LEN(pp->dest_uri[i])))
			return false;
	}
	return true;
}

/* A fixed-size field of struct passport as a JSON string */
#define JSONW_FIELD(w, key, f)	jsonw_strn((w), (key), (f), FIELD_LEN(f))

/* {"alg":..,"ppt":..,"typ":..,"x5u":..}: RFC 8225 §4, RFC 8588 §3 */
static void header_json(struct jsonw *w, const struct passport *pp)
{
	jsonw_open(w, NULL);
	JSONW_FIELD(w, "alg", pp->alg);
	if (pp->ppt_str[0])
		JSONW_FIELD(w, "ppt", pp->ppt_str);
	if (pp->typ[0])
		JSONW_FIELD(w, "typ", pp->typ);
	if (pp->x5u[0])
		JSONW_FIELD(w, "x5u", pp->x5u);
	jsonw_close(w);
}

/* attest, dest, div, iat, orig, origid: already in strcmp() order */
static void claims_json(struct jsonw *w, const struct passport *pp)
{
	unsigned int i;

	jsonw_open(w, NULL);
	if (pp->attest)
		jsonw_strn(w, "attest", &pp->attest, 1);
	/* RFC 8225 §5.2.1: "dest" holds arrays, "orig" a single value */
	jsonw_open(w, "dest");
	if (pp->num_dest_tn) {
		jsonw_array_open(w, "tn");
		for (i = 0; i < pp->num_dest_tn; i++)
			JSONW_FIELD(w, NULL, pp->dest_tn[i]);
		jsonw_array_close(w);
	}
	if (pp->num_dest_uri) {
		jsonw_array_open(w, "uri");
		for (i = 0; i < pp->num_dest_uri; i++)
			JSONW_FIELD(w, NULL, pp->dest_uri[i]);
		jsonw_array_close(w);
	}
	jsonw_close(w);
	if (pp->div_tn[0]) {
		/* RFC 8946 §3: "div" names one identity, like "orig" */
		jsonw_open(w, "div");
		JSONW_FIELD(w, "tn", pp->div_tn);
		jsonw_close(w);
	}
	if (pp->has_iat)
		jsonw_int(w, "iat", pp->iat);
	if (pp->orig_tn[0]) {
		jsonw_open(w, "orig");
		JSONW_FIELD(w, "tn", pp->orig_tn);
		jsonw_close(w);
	}
	if (pp->origid[0])
		JSONW_FIELD(w, "origid", pp->origid);
	jsonw_close(w);
}

/* The JSON of one segment, base64url-encoded onto out at *pos. */
static int append_b64_json(char *out, size_t outlen, size_t *pos, const struct passport *pp,
			   void (*to_json)(struct jsonw *w, const struct passport *pp))
{
	/* PASSPORT_JSON_MAX octets of JSON, and the writer's NUL */
	char json[PASSPORT_JSON_MAX + 1];
	struct jsonw w;
	int rc, len;

	jsonw_init(&w, json, sizeof(json));
	to_json(&w, pp);
	len = jsonw_end(&w);
	if (len < 0)
		return len;
	rc = stir_b64url_encode(out + *pos, outlen - *pos, (const uint8_t *)json, (size_t)len);
	if (rc < 0)
		return rc;
	*pos += rc;
	return 0;
}

/* Canonical "header.payload" of pp into out; returns its length or -errno */
static int encode_signing_input(const struct passport *pp, char *out, size_t outlen)
{
	size_t pos = 0;
	int rc;

	if (!pp->alg[0] || !pp->has_iat)
		return -EINVAL;
	if (pp->num_dest_tn > PASSPORT_DEST_TN_MAX || pp->num_dest_uri > PASSPORT_DEST_URI_MAX)
		return -EINVAL;
	if (!strings_valid(pp))
		return -ENOMEM;
	rc = append_b64_json(out, outlen, &pos, pp, header_json);
	if (rc < 0)
		return rc;
	if (outlen - pos < 2)
		return -ENOSPC;
	out[pos++] = '.';
	rc = append_b64_json(out, outlen, &pos, pp, claims_json);
	if (rc < 0)
		return rc;
	return (int)pos;
}

int passport_encode(struct passport *pp)
{
	int rc = encode_signing_input(pp, pp->signing_input, sizeof(pp->signing_input));

	if (rc < 0) {
		LOGP(DSTIR, LOGL_ERROR, "PASSporT: cannot encode (%d)\n", rc);
		pp->signing_input[0] = '\0';
		pp->signing_input_len = 0;
		return rc;
	}
	pp->signing_input_len = rc;
	return 0;
}

bool passport_is_canonical(const struct passport *pp)
{
	char buf[PASSPORT_SIGNING_INPUT_MAX + 1];
	int rc;

	if (pp->signing_input_len == 0)
		return false;
	rc = encode_signing_input(pp, buf, sizeof(buf));
	if (rc < 0)
		return false;
	return (size_t)rc == pp->signing_input_len &&
	       memcmp(buf, pp->signing_input, pp->signing_input_len) == 0;
}

int passport_sign(struct passport *pp, EVP_PKEY *key)
{
	int rc;

	pp->sig_len = 0;
	if (!passport_key_is_p256(key)) {
		LOGP(DSTIR, LOGL_ERROR, "PASSporT: signing key is not an EC P-256 key\n");
		return -EINVAL;
	}
	if (strcmp(pp->alg, "ES256") != 0) {
		LOGP(DSTIR, LOGL_ERROR, "PASSporT: cannot sign alg other than ES256\n");
		return -EINVAL;
	}
	rc = passport_encode(pp);
	if (rc < 0)
		return rc;
	rc = passport_sig_create(pp, key);
	if (rc < 0)
		LOGP(DSTIR, LOGL_ERROR, "PASSporT: ES256 signing failed\n");
	return rc;
}

static int write_sig(const struct passport *pp, char *out, size_t outlen, size_t pos)
{
	int rc;

	rc = stir_b64url_encode(out + pos, outlen - pos, pp->sig, pp->sig_len);
	if (rc < 0) {
		out[0] = '\0';
		return rc;
	}
	return (int)pos + rc;
}

int passport_full_form(const struct passport *pp, char *out, size_t outlen)
{
	if (outlen > 0)
		out[0] = '\0';
	if (!pp->sig_len || !pp->signing_input_len)
		return -EINVAL;
	if (outlen < pp->signing_input_len + 2)
		return -ENOSPC;
	memcpy(out, pp->signing_input, pp->signing_input_len);
	out[pp->signing_input_len] = '.';
	return write_sig(pp, out, outlen, pp->signing_input_len + 1);
}

int passport_compact_form(const struct passport *pp, char *out, size_t outlen)
{
	if (outlen > 0)
		out[0] = '\0';
	if (!pp->sig_len)
		return -EINVAL;
	if (outlen < 3)
		return -ENOSPC;
	out[0] = '.';
	out[1] = '.';
	return write_sig(pp, out, outlen, 2);
}

/* ------------------------------------------------------------------------
 * decoding
 * ------------------------------------------------------------------------ */

/* A JSON string that must be printable ASCII of 1..size-1 octets. */
static int check_str(json_t *v, char *dst, size_t size, const char *field)
{
	const char *s;
	size_t n, i;

	if (!json_is_string(v)) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: '%s' is not a string\n", field);
		return -EBADMSG;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	if (n == 0 || n >= size) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: '%s' is empty or longer than %zu\n",
		     field, size - 1);
		return -EBADMSG;
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e) {
			LOGP(DSTIR, LOGL_NOTICE, "PASSporT: '%s' holds a non-printable or "
			     "non-ASCII character\n", field);
			return -EBADMSG;
		}
	}
	memcpy(dst, s, n + 1);
	return 0;
}

/* A string member; absent: 0 and dst untouched. */
static int get_str(json_t *obj, const char *key, char *dst, size_t size, const char *field)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return 0;
	return check_str(v, dst, size, field);
}

/* An identity object {"tn": "..."}: the "tn" string is kept, "uri" and
 * other members are ignored (they make the token non-canonical). */
static int get_identity(json_t *claims, const char *key, char *dst, size_t size)
{
	json_t *o = json_object_get(claims, key);
	char field[16];

	if (!o)
		return 0;
	snprintf(field, sizeof(field), "%s.tn", key);
	if (!json_is_object(o)) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: '%s' is not an object\n", key);
		return -EBADMSG;
	}
	return get_str(o, "tn", dst, size, field);
}

static int get_str_array(json_t *arr, char *dst, size_t size, unsigned int max,
			 unsigned int *num, const char *field)
{
	size_t i;

	if (!json_is_array(arr)) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: '%s' is not an array (RFC 8225 §5.2.1)\n",
		     field);
		return -EBADMSG;
	}
	if (json_array_size(arr) == 0 || json_array_size(arr) > max) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: '%s' has %zu entries (1..%u)\n", field,
		     json_array_size(arr), max);
		return -EBADMSG;
	}
	for (i = 0; i < json_array_size(arr); i++) {
		int rc = check_str(json_array_get(arr, i), dst + i * size, size, field);

		if (rc < 0)
			return rc;
	}
	*num = (unsigned int)i;
	return 0;
}

const char *passport_rcd_claims_str(char *buf, size_t len, unsigned int mask)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} n[] = {
		{ PASSPORT_RCD_CLAIM_RCD, "rcd" },
		{ PASSPORT_RCD_CLAIM_RCDI, "rcdi" },
		{ PASSPORT_RCD_CLAIM_CRN, "crn" },
	};
	size_t off = 0;
	unsigned int i;
	int w;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		if (!(mask & n[i].bit) || off >= len)
			continue;
		w = snprintf(buf + off, len - off, "%s%s", off ? ", " : "", n[i].name);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	return buf;
}

static int decode_header(struct passport *pp, json_t *h)
{
	int rc;

	if ((rc = get_str(h, "alg", pp->alg, sizeof(pp->alg), "alg")) < 0 ||
	    (rc = get_str(h, "typ", pp->typ, sizeof(pp->typ), "typ")) < 0 ||
	    (rc = get_str(h, "ppt", pp->ppt_str, sizeof(pp->ppt_str), "ppt")) < 0 ||
	    (rc = get_str(h, "x5u", pp->x5u, sizeof(pp->x5u), "x5u")) < 0)
		return rc;
	if (!pp->ppt_str[0])
		pp->ppt = PASSPORT_PPT_NONE;
	else if (strcmp(pp->ppt_str, "shaken") == 0)
		pp->ppt = PASSPORT_PPT_SHAKEN;
	else if (strcmp(pp->ppt_str, "div") == 0)
		pp->ppt = PASSPORT_PPT_DIV;
	else
		pp->ppt = PASSPORT_PPT_OTHER;
	return 0;
}

static int decode_claims(struct passport *pp, json_t *c)
{
	char attest[2] = "";
	json_t *v, *dest;
	int rc;

	v = json_object_get(c, "iat");
	if (v) {
		/* RFC 7519 §2 NumericDate; SHAKEN signers send integers */
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			LOGP(DSTIR, LOGL_NOTICE, "PASSporT: 'iat' is not a non-negative integer\n");
			return -EBADMSG;
		}
		pp->has_iat = true;
		pp->iat = json_integer_value(v);
	}
	if ((rc = get_identity(c, "orig", pp->orig_tn, sizeof(pp->orig_tn))) < 0 ||
	    (rc = get_identity(c, "div", pp->div_tn, sizeof(pp->div_tn))) < 0 ||
	    (rc = get_str(c, "origid", pp->origid, sizeof(pp->origid), "origid")) < 0 ||
	    (rc = get_str(c, "attest", attest, sizeof(attest), "attest")) < 0)
		return rc;
	pp->attest = attest[0];
	/* RFC 9795: Rich Call Data; only noted (passport.h) */
	if (json_object_get(c, "rcd"))
		pp->rcd_claims |= PASSPORT_RCD_CLAIM_RCD;
	if (json_object_get(c, "rcdi"))
		pp->rcd_claims |= PASSPORT_RCD_CLAIM_RCDI;
	if (json_object_get(c, "crn"))
		pp->rcd_claims |= PASSPORT_RCD_CLAIM_CRN;

	dest = json_object_get(c, "dest");
	if (dest) {
		if (!json_is_object(dest)) {
			LOGP(DSTIR, LOGL_NOTICE, "PASSporT: 'dest' is not an object\n");
			return -EBADMSG;
		}
		v = json_object_get(dest, "tn");
		if (v) {
			rc = get_str_array(v, &pp->dest_tn[0][0], sizeof(pp->dest_tn[0]),
					   PASSPORT_DEST_TN_MAX, &pp->num_dest_tn, "dest.tn");
			if (rc < 0)
				return rc;
		}
		v = json_object_get(dest, "uri");
		if (v) {
			rc = get_str_array(v, &pp->dest_uri[0][0], sizeof(pp->dest_uri[0]),
					   PASSPORT_DEST_URI_MAX, &pp->num_dest_uri, "dest.uri");
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* base64url segment -> JSON object */
static json_t *decode_segment(const char *seg, size_t len, const char *what)
{
	uint8_t buf[PASSPORT_JSON_MAX];
	json_error_t err;
	json_t *j;
	int n;

	n = stir_b64url_decode(buf, sizeof(buf), seg, len);
	if (n <= 0) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: %s is not valid base64url\n", what);
		return NULL;
	}
	/* duplicate keys would let two parsers read two different tokens */
	j = json_loadb((const char *)buf, n, JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: %s is not valid JSON: %s\n", what, err.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: %s is not a JSON object\n", what);
		json_decref(j);
		return NULL;
	}
	return j;
}

static int decode_sig(struct passport *pp, const char *seg, size_t len)
{
	int n;

	n = stir_b64url_decode(pp->sig, sizeof(pp->sig), seg, len);
	if (n <= 0) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: signature is not valid base64url of at "
		     "most %d octets\n", PASSPORT_SIG_MAX);
		pp->sig_len = 0;
		return -EBADMSG;
	}
	pp->sig_len = n;
	return 0;
}

int passport_decode(struct passport *pp, const char *token, size_t len)
{
	const char *dot1, *dot2;
	json_t *h = NULL, *c = NULL;
	size_t hlen, plen;
	int rc = -EBADMSG;

	memset(pp, 0, sizeof(*pp));
	if (!token || len == 0 || len > PASSPORT_TOKEN_MAX) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: token of %zu octets (1..%d)\n", len,
		     PASSPORT_TOKEN_MAX);
		return -EBADMSG;
	}
	LOGP(DSTIR, LOGL_DEBUG, "PASSporT: decoding %.*s\n", (int)len, token);
	dot1 = memchr(token, '.', len);
	dot2 = dot1 ? memchr(dot1 + 1, '.', len - (dot1 + 1 - token)) : NULL;
	if (!dot2 || memchr(dot2 + 1, '.', len - (dot2 + 1 - token))) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: token is not three '.'-separated parts\n");
		return -EBADMSG;
	}
	hlen = dot1 - token;
	plen = dot2 - (dot1 + 1);
	if (hlen == 0 || plen == 0) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: empty header or payload (compact form?)\n");
		return -EBADMSG;
	}
	if ((size_t)(dot2 - token) > PASSPORT_SIGNING_INPUT_MAX) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: header and payload exceed %d octets\n",
		     PASSPORT_SIGNING_INPUT_MAX);
		return -EBADMSG;
	}
	h = decode_segment(token, hlen, "header");
	if (!h)
		goto out;
	c = decode_segment(dot1 + 1, plen, "payload");
	if (!c)
		goto out;
	if (decode_header(pp, h) < 0 || decode_claims(pp, c) < 0)
		goto out;
	if (decode_sig(pp, dot2 + 1, len - (dot2 + 1 - token)) < 0)
		goto out;
	/* the signature covers these octets as received (RFC 7515 §5.2) */
	pp->signing_input_len = dot2 - token;
	memcpy(pp->signing_input, token, pp->signing_input_len);
	pp->signing_input[pp->signing_input_len] = '\0';
	rc = 0;
out:
	json_decref(h);
	json_decref(c);
	if (rc < 0)
		memset(pp, 0, sizeof(*pp));
	return rc;
}

int passport_decode_compact(struct passport *pp, const char *token, size_t len)
{
	int rc;

	if (!token || len < 3 || token[0] != '.' || token[1] != '.' ||
	    memchr(token + 2, '.', len - 2)) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: not a compact form \"..signature\"\n");
		return -EBADMSG;
	}
	rc = decode_sig(pp, token + 2, len - 2);
	if (rc < 0)
		return rc;
	rc = passport_encode(pp);
	if (rc < 0)
		return -EINVAL;
	pp->compact = true;
	return 0;
}

/* ------------------------------------------------------------------------
 * verification
 * ------------------------------------------------------------------------ */

int passport_check_claims(const struct passport *pp)
{
	const char *missing = NULL;

	/* RFC 8225 §8 / RFC 7518 §3.4: we verify ES256 only */
	if (strcmp(pp->alg, "ES256") != 0) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: unsupported alg '%s'\n", pp->alg);
		return STIR_ERR_INVALID_IDENTITY;
	}
	/* RFC 8225 §4.1 */
	if (strcmp(pp->typ, "passport") != 0) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: typ '%s' is not \"passport\"\n", pp->typ);
		return STIR_ERR_INVALID_IDENTITY;
	}
	if (pp->ppt == PASSPORT_PPT_OTHER) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: unsupported ppt '%s'\n", pp->ppt_str);
		return STIR_ERR_INVALID_IDENTITY;
	}
	/* RFC 8225 §5: iat, orig, dest are mandatory (ATIS-1000074 §5.3.2:
	 * a missing base or SHAKEN claim is 438) */
	if (!pp->has_iat)
		missing = "iat";
	else if (!pp->orig_tn[0])
		missing = "orig.tn";
	else if (!pp->num_dest_tn && !pp->num_dest_uri)
		missing = "dest";
	else if (pp->ppt == PASSPORT_PPT_SHAKEN && !pp->x5u[0])
		missing = "x5u";
	else if (pp->ppt == PASSPORT_PPT_SHAKEN && !pp->attest)	/* RFC 8588 §4 */
		missing = "attest";
	else if (pp->ppt == PASSPORT_PPT_SHAKEN && !pp->origid[0])	/* RFC 8588 §5 */
		missing = "origid";
	else if (pp->ppt == PASSPORT_PPT_DIV && !pp->x5u[0])		/* RFC 8946 §3 */
		missing = "x5u";
	else if (pp->ppt == PASSPORT_PPT_DIV && !pp->div_tn[0])
		missing = "div";
	if (missing) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: missing '%s'\n", missing);
		return STIR_ERR_INVALID_IDENTITY;
	}
	if (pp->ppt == PASSPORT_PPT_SHAKEN && pp->attest != 'A' && pp->attest != 'B' &&
	    pp->attest != 'C') {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: 'attest' is not A, B or C\n");
		return STIR_ERR_INVALID_IDENTITY;
	}
	return 0;
}

int passport_verify(const struct passport *pp, EVP_PKEY *pub)
{
	int rc;

	rc = passport_check_claims(pp);
	if (rc)
		return rc;
	if (!passport_key_is_p256(pub)) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: verification key is not EC P-256\n");
		return STIR_ERR_UNSUPPORTED_CRED;
	}
	if (pp->sig_len != PASSPORT_ES256_SIG_LEN || !pp->signing_input_len) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: ES256 signature of %zu octets, not %d\n",
		     pp->sig_len, PASSPORT_ES256_SIG_LEN);
		return STIR_ERR_INVALID_IDENTITY;
	}
	rc = passport_sig_verify(pp, pub);
	if (rc)
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: signature does not verify\n");
	return rc;
}

int passport_check_iat(const struct passport *pp, int64_t now, unsigned int max_age)
{
	if (!pp->has_iat) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: missing 'iat'\n");
		return STIR_ERR_INVALID_IDENTITY;
	}
	/* both are non-negative here, so the differences cannot overflow */
	if (now < 0 || (pp->iat > now && pp->iat - now > (int64_t)max_age) ||
	    (pp->iat <= now && now - pp->iat > (int64_t)max_age)) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: 'iat' %lld is outside %u s of now %lld\n",
		     (long long)pp->iat, max_age, (long long)now);
		return STIR_ERR_STALE_DATE;
	}
	return 0;
}

int passport_check_identity(const struct passport *pp, const struct identity_hdr *ih)
{
	bool alg_ok;

	/* RFC 8224 §4.1: alg absent means ES256 */
	if (ih->alg.ptr)
		alg_ok = ih->alg.len == strlen(pp->alg) &&
			 memcmp(ih->alg.ptr, pp->alg, ih->alg.len) == 0;
	else
		alg_ok = strcmp(pp->alg, "ES256") == 0;
	if (!alg_ok) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: Identity 'alg' does not match the header\n");
		return STIR_ERR_INVALID_IDENTITY;
	}
	if (ih->ppt.ptr) {
		if (ih->ppt.len != strlen(pp->ppt_str) ||
		    memcmp(ih->ppt.ptr, pp->ppt_str, ih->ppt.len) != 0) {
			LOGP(DSTIR, LOGL_NOTICE, "PASSporT: Identity 'ppt' does not match the "
			     "header\n");
			return STIR_ERR_INVALID_IDENTITY;
		}
	} else if (ih->compact && pp->ppt != PASSPORT_PPT_NONE) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: compact form of a '%s' PASSporT without "
		     "'ppt' in the Identity header\n", pp->ppt_str);
		return STIR_ERR_INVALID_IDENTITY;
	}
	return 0;
}

static bool tn_equal(const char *claim, const char *canon)
{
	char c[STIWF_TN_MAX + 1];

	if (!claim[0] || !canon || !canon[0])
		return false;
	if (stiwf_tn_normalize(claim, strlen(claim), c, sizeof(c)) < 0)
		return false;
	return strcmp(c, canon) == 0;
}

int passport_check_numbers(const struct passport *pp, const char *orig_tn, const char *dest_tn)
{
	unsigned int i;

	if (!tn_equal(pp->orig_tn, orig_tn)) {
		LOGP(DSTIR, LOGL_NOTICE, "PASSporT: 'orig.tn' does not match the calling number\n");
		return STIR_ERR_INVALID_IDENTITY;
	}
	if (!dest_tn)
		return 0;
	for (i = 0; i < pp->num_dest_tn; i++) {
		if (tn_equal(pp->dest_tn[i], dest_tn))
			return 0;
	}
	LOGP(DSTIR, LOGL_NOTICE, "PASSporT: no 'dest.tn' matches the called number\n");
	return STIR_ERR_INVALID_IDENTITY;
}
