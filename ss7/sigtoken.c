/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stiwf profile v1 signalling token (ARCHITECTURE §2.2) and its carriage in the
 * ISUP APP parameter (ARCHITECTURE §2.1).  See sigtoken.h. */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "config.h"
#include "certs/keyid.h"
#include "src/core/bytebuf.h"
#include "src/core/logging.h"
#include "ss7/sigtoken.h"

const struct value_string sigtoken_tlv_names[] = {
	{ SIGTOKEN_TLV_HOP,		"HOP" },
	{ SIGTOKEN_TLV_PASSPORT,	"PASSPORT" },
	{ SIGTOKEN_TLV_VERDICT,		"VERDICT" },
	{ SIGTOKEN_TLV_BIND,		"BIND" },
	{ SIGTOKEN_TLV_ORIG,		"ORIG" },
	{ SIGTOKEN_TLV_DIV,		"DIV" },
	{ 0, NULL }
};

const struct value_string sigtoken_verstat_names[] = {
	{ SIGTOKEN_VERSTAT_NO_VALIDATION,	"No-TN-Validation" },
	{ SIGTOKEN_VERSTAT_PASSED,		"TN-Validation-Passed" },
	{ SIGTOKEN_VERSTAT_FAILED,		"TN-Validation-Failed" },
	{ 0, NULL }
};

/* RFC 8224 §6.2.2 and RFC 8224 §6.2.1 (428); 403 is ATIS-1000074's
 * "Stale Date" answer */
const struct value_string sigtoken_reason_names[] = {
	{ 0,	"none" },
	{ 403,	"Stale Date" },
	{ 428,	"Use Identity Header" },
	{ 436,	"Bad Identity Info" },
	{ 437,	"Unsupported Credential" },
	{ 438,	"Invalid Identity Header" },
	{ 0, NULL }
};

/* ------------------------------------------------------------------------
 * Token codec
 * ------------------------------------------------------------------------ */

static int bad(const char *what)
{
	LOGP(DSS7, LOGL_NOTICE, "signalling token: %s\n", what);
	return -EBADMSG;
}

static int inval(const char *field, unsigned int v)
{
	LOGP(DSS7, LOGL_ERROR, "signalling token: %s %u out of range\n", field, v);
	return -EINVAL;
}

static bool reason_valid(uint16_t r)
{
	switch (r) {
	case 0:
	case 403:
	case 428:
	case 436:
	case 437:
	case 438:
		return true;
	default:
		return false;
	}
}

/* Characters of an x5u we can rebuild into a PASSporT header without
 * escaping: printable ASCII without space, '"' and '\' (RFC 3986 has
 * neither in a URI). */
static bool x5u_char_ok(uint8_t c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != '\\';
}

static int hop_decode(struct sigtoken_hop *h, const uint8_t *v, size_t len)
{
	struct bytebuf_rd r;

	if (len != SIGTOKEN_HOP_LEN)
		return bad("HOP: length is not 77");
	/* the length is checked: none of the gets can fail */
	bytebuf_rd_init(&r, v, len);
	bytebuf_get_u8(&r, &h->alg);
	if (h->alg != SIGTOKEN_ALG_ES256)
		return bad("HOP: alg is not 1 (ES256)");
	bytebuf_get_bytes(&r, h->key_id, KEYID_LEN);
	bytebuf_get_u32be(&r, &h->iat);
	bytebuf_get_bytes(&r, h->sig, SIGTOKEN_SIG_LEN);
	return 0;
}

/* An x5u of 1..SIGTOKEN_X5U_MAX octets of x5u_char_ok() */
static bool x5u_valid(const uint8_t *x5u, size_t n)
{
	size_t i;

	if (n == 0 || n > SIGTOKEN_X5U_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (!x5u_char_ok(x5u[i]))
			return false;
	}
	return true;
}

static int passport_decode(struct sigtoken_passport *pp, const uint8_t *v, size_t len)
{
	struct bytebuf_rd r;
	const uint8_t *x5u;
	uint8_t attest;
	size_t n;

	if (len < SIGTOKEN_PASSPORT_FIXED_LEN)
		return bad("PASSPORT: shorter than its fixed fields");
	/* up to x5u-len the gets cannot fail: the fixed fields are there */
	bytebuf_rd_init(&r, v, len);
	bytebuf_get_u8(&r, &attest);
	pp->attest = attest;
	if (pp->attest != 'A' && pp->attest != 'B' && pp->attest != 'C')
		return bad("PASSPORT: attest is not 'A', 'B' or 'C'");
	bytebuf_get_u32be(&r, &pp->iat);
	bytebuf_get_bytes(&r, pp->origid, SIGTOKEN_UUID_LEN);
	/* the value must end exactly after x5u and sig: it is hashed as sent */
	if (bytebuf_get_lv(&r, &x5u, &n) < 0 || bytebuf_get_bytes(&r, pp->sig, SIGTOKEN_SIG_LEN) < 0 ||
	    bytebuf_left(&r) != 0)
		return bad("PASSPORT: x5u-len does not match the TLV length");
	if (n == 0)
		return bad("PASSPORT: empty x5u");
	if (!x5u_valid(x5u, n))
		return bad("PASSPORT: x5u has a character that is not printable ASCII");
	pp->x5u_len = n;
	memcpy(pp->x5u, x5u, n);
	pp->x5u[n] = '\0';
	return 0;
}

static int verdict_decode(struct sigtoken_verdict *vd, const uint8_t *v, size_t len)
{
	struct bytebuf_rd r;

	if (len != SIGTOKEN_VERDICT_LEN)
		return bad("VERDICT: length is not 3");
	/* the length is checked: none of the gets can fail */
	bytebuf_rd_init(&r, v, len);
	bytebuf_get_u8(&r, &vd->verstat);
	if (vd->verstat > SIGTOKEN_VERSTAT_FAILED)
		return bad("VERDICT: verstat is not 0, 1 or 2");
	bytebuf_get_u16be(&r, &vd->reason);
	if (!reason_valid(vd->reason))
		return bad("VERDICT: reason is not 0, 403, 428, 436, 437 or 438");
	if (vd->verstat == SIGTOKEN_VERSTAT_PASSED && vd->reason != 0)
		return bad("VERDICT: TN-Validation-Passed with a failure reason");
	return 0;
}

/* A network name: 1..SIGTOKEN_BIND_MAX octets of printable ASCII without
 * space (it is compared as configured, and it lands in logs). */
static bool bind_valid(const uint8_t *v, size_t len)
{
	size_t i;

	if (len < 1 || len > SIGTOKEN_BIND_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if (v[i] < 0x21 || v[i] > 0x7e)
			return false;
	}
	return true;
}

static int bind_decode(struct sigtoken_bind *b, const uint8_t *v, size_t len)
{
	if (!bind_valid(v, len))
		return bad("BIND: not 1..32 printable ASCII octets without space");
	b->len = (uint8_t)len;
	memcpy(b->net, v, len);
	b->net[len] = '\0';
	return 0;
}

int sigtoken_bind_set(struct sigtoken *tok, const char *net)
{
	size_t n = net ? strnlen(net, SIGTOKEN_BIND_MAX + 1) : 0;

	if (!bind_valid((const uint8_t *)net, n)) {
		LOGP(DSS7, LOGL_ERROR, "signalling token: BIND network is not 1..%d printable ASCII characters "
		     "without space\n", SIGTOKEN_BIND_MAX);
		return -EINVAL;
	}
	tok->bind.len = (uint8_t)n;
	memcpy(tok->bind.net, net, n);
	tok->bind.net[n] = '\0';
	tok->has_bind = true;
	return 0;
}

/* E.164 §6: 1..15 decimal digits */
static bool orig_valid(const uint8_t *v, size_t len)
{
	size_t i;

	if (len < 1 || len > SIGTOKEN_E164_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
	}
	return true;
}

static int orig_decode(struct sigtoken_orig *o, const uint8_t *v, size_t len)
{
	if (!orig_valid(v, len))
		return bad("ORIG: not 1..15 decimal digits");
	o->len = (uint8_t)len;
	memcpy(o->digits, v, len);
	o->digits[len] = '\0';
	return 0;
}

/* ARCHITECTURE §2.2 DIV: iat 4, div-len 1, div digits, x5u-len 1, x5u, sig 64;
 * the value ends exactly after the signature (it is hashed as sent) */
static int div_decode(struct sigtoken_div *d, const uint8_t *v, size_t len)
{
	struct bytebuf_rd r;
	const uint8_t *div, *x5u;
	size_t n, x;

	if (len < SIGTOKEN_DIV_FIXED_LEN)
		return bad("DIV: shorter than its fixed fields");
	bytebuf_rd_init(&r, v, len);
	bytebuf_get_u32be(&r, &d->iat);
	/* div-len may take at most what the fixed fields leave */
	if (bytebuf_get_lv(&r, &div, &n) < 0 || bytebuf_left(&r) < 1 + SIGTOKEN_SIG_LEN)
		return bad("DIV: div-len runs past the TLV");
	if (!orig_valid(div, n))
		return bad("DIV: div is not 1..15 decimal digits");
	if (bytebuf_get_lv(&r, &x5u, &x) < 0 || bytebuf_get_bytes(&r, d->sig, SIGTOKEN_SIG_LEN) < 0 ||
	    bytebuf_left(&r) != 0)
		return bad("DIV: x5u-len does not match the TLV length");
	if (x == 0 || x > SIGTOKEN_X5U_MAX)
		return bad("DIV: x5u empty or longer than 169 octets");
	if (!x5u_valid(x5u, x))
		return bad("DIV: x5u has a character that is not printable ASCII");
	d->div_len = n;
	memcpy(d->div, div, n);
	d->div[n] = '\0';
	d->x5u_len = x;
	memcpy(d->x5u, x5u, x);
	d->x5u[x] = '\0';
	return 0;
}

/* The x5u of an encoder's input, or the first octet that is not one;
 * -EINVAL logged naming the field */
static int x5u_check(const char *field, const char *x5u, size_t n)
{
	size_t i;

	if (n == 0 || n > SIGTOKEN_X5U_MAX) {
		LOGP(DSS7, LOGL_ERROR, "signalling token: %s x5u length %zu out of range\n", field, n);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (!x5u_char_ok(x5u[i])) {
			LOGP(DSS7, LOGL_ERROR, "signalling token: %s x5u character at %zu out of range\n", field, i);
			return -EINVAL;
		}
	}
	return 0;
}

/* The octets a value encoder wrote, or -ENOSPC */
static int wr_done(const struct bytebuf_wr *w, int rc)
{
	return rc < 0 ? rc : (int)w->pos;
}

int sigtoken_div_encode(uint8_t *out, size_t size, const struct sigtoken_div *d)
{
	struct bytebuf_wr w;
	int rc;

	if (!orig_valid((const uint8_t *)d->div, d->div_len))
		return inval("DIV div length", d->div_len);
	rc = x5u_check("DIV", d->x5u, d->x5u_len);
	if (rc < 0)
		return rc;
	bytebuf_wr_init(&w, out, size);
	rc = bytebuf_put_u32be(&w, d->iat);
	if (rc == 0)
		rc = bytebuf_put_lv(&w, d->div, d->div_len);
	if (rc == 0)
		rc = bytebuf_put_lv(&w, d->x5u, d->x5u_len);
	if (rc == 0)
		rc = bytebuf_put_bytes(&w, d->sig, SIGTOKEN_SIG_LEN);
	return wr_done(&w, rc);
}

int sigtoken_orig_set(struct sigtoken *tok, const char *digits)
{
	size_t n = digits ? strnlen(digits, SIGTOKEN_E164_MAX + 1) : 0;

	if (!orig_valid((const uint8_t *)digits, n)) {
		LOGP(DSS7, LOGL_ERROR, "signalling token: ORIG is not 1..%d decimal digits\n", SIGTOKEN_E164_MAX);
		return -EINVAL;
	}
	tok->orig.len = (uint8_t)n;
	memcpy(tok->orig.digits, digits, n);
	tok->orig.digits[n] = '\0';
	tok->has_orig = true;
	return 0;
}

int sigtoken_decode(struct sigtoken *tok, const uint8_t *buf, size_t len)
{
	uint8_t seen[256 / 8] = { 0 };
	struct bytebuf_rd r;
	uint8_t version;
	int rc = 0;

	memset(tok, 0, sizeof(*tok));
	bytebuf_rd_init(&r, buf, len);
	if (bytebuf_get_u8(&r, &version) < 0)
		return bad("empty");
	if (version != SIGTOKEN_VERSION) {
		LOGP(DSS7, LOGL_NOTICE, "signalling token: version %u, not 1\n", version);
		return -EBADMSG;
	}
	while (bytebuf_left(&r)) {
		const uint8_t *v;
		uint8_t type, vlen;

		if (bytebuf_get_u8(&r, &type) < 0 || bytebuf_get_u8(&r, &vlen) < 0) {
			rc = bad("TLV truncated in its type and length");
			goto fail;
		}
		if (bytebuf_get_ptr(&r, &v, vlen) < 0) {
			LOGP(DSS7, LOGL_NOTICE, "signalling token: TLV 0x%02x (%s) truncated\n",
			     type, get_value_string(sigtoken_tlv_names, type));
			rc = -EBADMSG;
			goto fail;
		}
		if (seen[type / 8] & (1 << (type % 8))) {
			LOGP(DSS7, LOGL_NOTICE, "signalling token: TLV 0x%02x (%s) twice\n",
			     type, get_value_string(sigtoken_tlv_names, type));
			rc = -EBADMSG;
			goto fail;
		}
		seen[type / 8] |= 1 << (type % 8);
		switch (type) {
		case SIGTOKEN_TLV_HOP:
			rc = hop_decode(&tok->hop, v, vlen);
			tok->has_hop = true;
			break;
		case SIGTOKEN_TLV_PASSPORT:
			rc = passport_decode(&tok->passport, v, vlen);
			tok->has_passport = true;
			break;
		case SIGTOKEN_TLV_VERDICT:
			rc = verdict_decode(&tok->verdict, v, vlen);
			tok->has_verdict = true;
			break;
		case SIGTOKEN_TLV_BIND:
			rc = bind_decode(&tok->bind, v, vlen);
			tok->has_bind = true;
			break;
		case SIGTOKEN_TLV_ORIG:
			rc = orig_decode(&tok->orig, v, vlen);
			tok->has_orig = true;
			break;
		case SIGTOKEN_TLV_DIV:
			rc = div_decode(&tok->div, v, vlen);
			tok->has_div = true;
			break;
		default:
			/* ARCHITECTURE §2.2: unknown TLV types are skipped */
			break;
		}
		if (rc < 0)
			goto fail;
	}
	return len;
fail:
	/* an invalid token leaves nothing a caller could use by mistake */
	memset(tok, 0, sizeof(*tok));
	return rc;
}

int sigtoken_passport_encode(uint8_t *out, size_t size, const struct sigtoken_passport *pp)
{
	struct bytebuf_wr w;
	int rc;

	if (pp->attest != 'A' && pp->attest != 'B' && pp->attest != 'C')
		return inval("PASSPORT attest", (uint8_t)pp->attest);
	rc = x5u_check("PASSPORT", pp->x5u, pp->x5u_len);
	if (rc < 0)
		return rc;
	bytebuf_wr_init(&w, out, size);
	rc = bytebuf_put_u8(&w, pp->attest);
	if (rc == 0)
		rc = bytebuf_put_u32be(&w, pp->iat);
	if (rc == 0)
		rc = bytebuf_put_bytes(&w, pp->origid, SIGTOKEN_UUID_LEN);
	if (rc == 0)
		rc = bytebuf_put_lv(&w, pp->x5u, pp->x5u_len);
	if (rc == 0)
		rc = bytebuf_put_bytes(&w, pp->sig, SIGTOKEN_SIG_LEN);
	return wr_done(&w, rc);
}

int sigtoken_verdict_encode(uint8_t *out, size_t size, const struct sigtoken_verdict *v)
{
	struct bytebuf_wr w;
	int rc;

	if (v->verstat > SIGTOKEN_VERSTAT_FAILED)
		return inval("VERDICT verstat", v->verstat);
	if (!reason_valid(v->reason) || (v->verstat == SIGTOKEN_VERSTAT_PASSED && v->reason))
		return inval("VERDICT reason", v->reason);
	bytebuf_wr_init(&w, out, size);
	rc = bytebuf_put_u8(&w, v->verstat);
	if (rc == 0)
		rc = bytebuf_put_u16be(&w, v->reason);
	return wr_done(&w, rc);
}

static int hop_encode(uint8_t *out, size_t size, const struct sigtoken_hop *h)
{
	struct bytebuf_wr w;
	int rc;

	if (h->alg != SIGTOKEN_ALG_ES256)
		return inval("HOP alg", h->alg);
	bytebuf_wr_init(&w, out, size);
	rc = bytebuf_put_u8(&w, h->alg);
	if (rc == 0)
		rc = bytebuf_put_bytes(&w, h->key_id, KEYID_LEN);
	if (rc == 0)
		rc = bytebuf_put_u32be(&w, h->iat);
	if (rc == 0)
		rc = bytebuf_put_bytes(&w, h->sig, SIGTOKEN_SIG_LEN);
	return wr_done(&w, rc);
}

/* The TLVs of a token in the order they are sent */
static const uint8_t tlv_order[] = {
	SIGTOKEN_TLV_HOP, SIGTOKEN_TLV_PASSPORT, SIGTOKEN_TLV_VERDICT,
	SIGTOKEN_TLV_BIND, SIGTOKEN_TLV_ORIG, SIGTOKEN_TLV_DIV,
};

static bool tlv_present(const struct sigtoken *tok, uint8_t type)
{
	switch (type) {
	case SIGTOKEN_TLV_HOP:
		return tok->has_hop;
	case SIGTOKEN_TLV_PASSPORT:
		return tok->has_passport;
	case SIGTOKEN_TLV_VERDICT:
		return tok->has_verdict;
	case SIGTOKEN_TLV_BIND:
		return tok->has_bind;
	case SIGTOKEN_TLV_ORIG:
		return tok->has_orig;
	case SIGTOKEN_TLV_DIV:
		return tok->has_div;
	default:
		return false;
	}
}

/* The value of TLV \a type of \a tok into v[0..255), as the token carries
 * it and as HOP signs or hashes it.  \returns its length, or -EINVAL for a
 * field out of range */
static int tlv_value(uint8_t v[255], uint8_t type, const struct sigtoken *tok)
{
	switch (type) {
	case SIGTOKEN_TLV_HOP:
		return hop_encode(v, 255, &tok->hop);
	case SIGTOKEN_TLV_PASSPORT:
		return sigtoken_passport_encode(v, 255, &tok->passport);
	case SIGTOKEN_TLV_VERDICT:
		return sigtoken_verdict_encode(v, 255, &tok->verdict);
	case SIGTOKEN_TLV_BIND:
		if (!bind_valid((const uint8_t *)tok->bind.net, tok->bind.len))
			return inval("BIND network length", tok->bind.len);
		memcpy(v, tok->bind.net, tok->bind.len);
		return tok->bind.len;
	case SIGTOKEN_TLV_ORIG:
		if (!orig_valid((const uint8_t *)tok->orig.digits, tok->orig.len))
			return inval("ORIG length", tok->orig.len);
		memcpy(v, tok->orig.digits, tok->orig.len);
		return tok->orig.len;
	case SIGTOKEN_TLV_DIV:
		return sigtoken_div_encode(v, 255, &tok->div);
	default:
		return -EINVAL;
	}
}

/* The one TLV writer: TLV \a type of \a tok, whole, into \a w.
 * \returns 0, -EINVAL (a field out of range) or -ENOSPC */
static int tlv_put(struct bytebuf_wr *w, uint8_t type, const struct sigtoken *tok)
{
	uint8_t v[255];
	int n = tlv_value(v, type, tok);

	if (n < 0)
		return n;
	return bytebuf_put_tlv(w, type, v, n);
}

int sigtoken_encode(uint8_t *out, size_t size, const struct sigtoken *tok)
{
	struct bytebuf_wr w;
	size_t i;
	int rc;

	bytebuf_wr_init(&w, out, size);
	rc = bytebuf_put_u8(&w, SIGTOKEN_VERSION);
	for (i = 0; rc == 0 && i < ARRAY_SIZE(tlv_order); i++) {
		if (tlv_present(tok, tlv_order[i]))
			rc = tlv_put(&w, tlv_order[i], tok);
	}
	return wr_done(&w, rc);
}

/* ------------------------------------------------------------------------
 * UUIDs, RFC 9562 §4
 * ------------------------------------------------------------------------ */

/* the hex digit groups of a UUID's text, separated by '-' */
static const uint8_t uuid_groups[] = { 8, 4, 4, 4, 12 };

int sigtoken_uuid_from_str(uint8_t out[SIGTOKEN_UUID_LEN], const char *s)
{
	struct bytebuf_rd r;
	struct bytebuf_wr w;
	const uint8_t *digits;
	uint8_t dash;
	size_t i;

	memset(out, 0, SIGTOKEN_UUID_LEN);
	if (strnlen(s, SIGTOKEN_UUID_STR_LEN) != SIGTOKEN_UUID_STR_LEN - 1)
		return -EINVAL;
	bytebuf_rd_init(&r, (const uint8_t *)s, SIGTOKEN_UUID_STR_LEN - 1);
	bytebuf_wr_init(&w, out, SIGTOKEN_UUID_LEN);
	for (i = 0; i < ARRAY_SIZE(uuid_groups); i++) {
		if (i > 0 && (bytebuf_get_u8(&r, &dash) < 0 || dash != '-'))
			goto fail;
		if (bytebuf_get_ptr(&r, &digits, uuid_groups[i]) < 0 ||
		    bytebuf_put_hex(&w, (const char *)digits, uuid_groups[i]) < 0)
			goto fail;
	}
	return 0;
fail:
	memset(out, 0, SIGTOKEN_UUID_LEN);
	return -EINVAL;
}

int sigtoken_uuid_to_str(char *buf, size_t size, const uint8_t uuid[SIGTOKEN_UUID_LEN])
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	if (size < SIGTOKEN_UUID_STR_LEN)
		return -ENOSPC;
	for (i = 0; i < SIGTOKEN_UUID_LEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[o++] = '-';
		buf[o++] = hex[uuid[i] >> 4];
		buf[o++] = hex[uuid[i] & 0xf];
	}
	buf[o] = '\0';
	return 0;
}

/* ------------------------------------------------------------------------
 * Numbers
 * ------------------------------------------------------------------------ */

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

/* ------------------------------------------------------------------------
 * Keys, HOP signing and verification
 * ------------------------------------------------------------------------ */

struct sigtoken_key {
	EVP_PKEY *pkey;
	EVP_PKEY_CTX *sign_ctx;		/* NULL without the private key */
	EVP_PKEY_CTX *verify_ctx;
	EVP_MD_CTX *md_ctx;
	EVP_MD *sha256;
	uint8_t key_id[KEYID_LEN];
};

static int key_destructor(struct sigtoken_key *k)
{
	EVP_PKEY_CTX_free(k->sign_ctx);
	EVP_PKEY_CTX_free(k->verify_ctx);
	EVP_MD_CTX_free(k->md_ctx);
	EVP_MD_free(k->sha256);
	EVP_PKEY_free(k->pkey);
	return 0;
}

static bool key_is_p256(EVP_PKEY *pkey)
{
	char group[32];
	size_t glen = 0;

	if (!EVP_PKEY_is_a(pkey, "EC"))
		return false;
	if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), &glen))
		return false;
	return !strcmp(group, "prime256v1") || !strcmp(group, "P-256");
}

static bool key_has_private(EVP_PKEY *pkey)
{
	BIGNUM *priv = NULL;
	bool has = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &priv) == 1;

	/* the value is cleared and never logged */
	BN_clear_free(priv);
	ERR_clear_error();
	return has;
}

static struct sigtoken_key *key_alloc(void *ctx, EVP_PKEY *pkey)
{
	struct sigtoken_key *k;

	if (!pkey || !key_is_p256(pkey)) {
		LOGP(DSS7, LOGL_ERROR, "signalling token: the key is not an ECDSA P-256 key (ES256)\n");
		ERR_clear_error();
		return NULL;
	}
	k = talloc_zero(ctx, struct sigtoken_key);
	if (!k)
		return NULL;
	talloc_set_destructor(k, key_destructor);
	if (!EVP_PKEY_up_ref(pkey))
		goto fail;
	k->pkey = pkey;
	k->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	k->md_ctx = EVP_MD_CTX_new();
	k->verify_ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (!k->sha256 || !k->md_ctx || !k->verify_ctx || EVP_PKEY_verify_init(k->verify_ctx) != 1)
		goto fail;
	if (key_has_private(pkey)) {
		k->sign_ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
		if (!k->sign_ctx || EVP_PKEY_sign_init(k->sign_ctx) != 1)
			goto fail;
	}
	return k;
fail:
	LOGP(DSS7, LOGL_ERROR, "signalling token: cannot prepare the key (OpenSSL)\n");
	ERR_clear_error();
	talloc_free(k);
	return NULL;
}

struct sigtoken_key *sigtoken_key_alloc(void *ctx, EVP_PKEY *pkey)
{
	struct sigtoken_key *k = key_alloc(ctx, pkey);

	if (k && keyid_from_pkey(k->key_id, pkey) < 0) {
		talloc_free(k);
		return NULL;
	}
	return k;
}

struct sigtoken_key *sigtoken_key_alloc_x509(void *ctx, X509 *cert)
{
	struct sigtoken_key *k;

	if (!cert)
		return NULL;
	k = key_alloc(ctx, X509_get0_pubkey(cert));
	if (k && keyid_from_x509(k->key_id, cert) < 0) {
		talloc_free(k);
		return NULL;
	}
	return k;
}

struct sigtoken_key *sigtoken_key_dup(void *ctx, const struct sigtoken_key *key)
{
	struct sigtoken_key *k;

	if (!key)
		return NULL;
	k = talloc_zero(ctx, struct sigtoken_key);
	if (!k)
		return NULL;
	talloc_set_destructor(k, key_destructor);
	memcpy(k->key_id, key->key_id, KEYID_LEN);
	/* duplicated contexts keep the fetched algorithms: no provider
	 * look-up and no key-id to compute, unlike key_alloc() */
	if (!EVP_PKEY_up_ref(key->pkey))
		goto fail;
	k->pkey = key->pkey;
	if (!EVP_MD_up_ref(key->sha256))
		goto fail;
	k->sha256 = key->sha256;
	k->md_ctx = EVP_MD_CTX_new();
	k->verify_ctx = EVP_PKEY_CTX_dup(key->verify_ctx);
	if (!k->md_ctx || !k->verify_ctx)
		goto fail;
	if (key->sign_ctx) {
		k->sign_ctx = EVP_PKEY_CTX_dup(key->sign_ctx);
		if (!k->sign_ctx)
			goto fail;
	}
	return k;
fail:
	LOGP(DSS7, LOGL_ERROR, "signalling token: cannot copy the prepared key (OpenSSL)\n");
	ERR_clear_error();
	talloc_free(k);
	return NULL;
}

const uint8_t *sigtoken_key_id(const struct sigtoken_key *key)
{
	return key->key_id;
}

static int sha256(struct sigtoken_key *k, uint8_t out[32], const uint8_t *data, size_t len)
{
	unsigned int n = 0;

	if (EVP_DigestInit_ex(k->md_ctx, k->sha256, NULL) != 1 ||
	    EVP_DigestUpdate(k->md_ctx, data, len) != 1 ||
	    EVP_DigestFinal_ex(k->md_ctx, out, &n) != 1 || n != 32) {
		ERR_clear_error();
		return -EIO;
	}
	return 0;
}

/* len, digits: the digits must be an E.164 string of 0..15 digits */
static int put_number(struct bytebuf_wr *w, const char *tn)
{
	size_t n = strnlen(tn, SIGTOKEN_E164_MAX + 1);

	if (n > SIGTOKEN_E164_MAX || !all_digits(tn, n))
		return -EINVAL;
	return bytebuf_put_lv(w, tn, n);
}

/* SHA-256 of TLV \a type's value, or 32 zero octets when \a tok has none */
static int put_tlv_hash(struct bytebuf_wr *w, uint8_t type, const struct sigtoken *tok, struct sigtoken_key *k)
{
	uint8_t v[255], md[32] = { 0 };
	int rc;

	if (tlv_present(tok, type)) {
		rc = tlv_value(v, type, tok);
		if (rc < 0)
			return rc;
		rc = sha256(k, md, v, rc);
		if (rc < 0)
			return rc;
	}
	return bytebuf_put_bytes(w, md, sizeof(md));
}

#define HOP_DOMAIN	"STIWF-HOP1"
#define HOP_DATA_MAX	(10 + 1 + KEYID_LEN + 4 + 3 * (1 + SIGTOKEN_E164_MAX) + 1 + 2 * 32 + \
			 2 + SIGTOKEN_BIND_MAX + 2 + SIGTOKEN_E164_MAX + 1 + 32)

/* ARCHITECTURE §2.2 "What HOP signs", with the alg, key-id and iat of tok->hop */
static int hop_data(uint8_t *out, size_t size, const struct sigtoken *tok,
		    const struct sigtoken_call *call, struct sigtoken_key *k)
{
	struct bytebuf_wr w;
	int rc;

	bytebuf_wr_init(&w, out, size);
	rc = bytebuf_put_bytes(&w, HOP_DOMAIN, 10);
	if (rc == 0)
		rc = bytebuf_put_u8(&w, tok->hop.alg);
	if (rc == 0)
		rc = bytebuf_put_bytes(&w, tok->hop.key_id, KEYID_LEN);
	if (rc == 0)
		rc = bytebuf_put_u32be(&w, tok->hop.iat);
	if (rc == 0)
		rc = put_number(&w, call->orig);
	if (rc == 0)
		rc = call->apri > 3 ? -EINVAL : bytebuf_put_u8(&w, call->apri);
	if (rc == 0)
		rc = put_number(&w, call->dest);
	if (rc == 0)
		rc = put_number(&w, call->addl);
	if (rc == 0)
		rc = put_tlv_hash(&w, SIGTOKEN_TLV_PASSPORT, tok, k);
	if (rc == 0)
		rc = put_tlv_hash(&w, SIGTOKEN_TLV_VERDICT, tok, k);
	/* the BIND TLV as sent, only when present: a HOP without it signs
	 * what it always signed, and a BIND cannot be added or removed */
	if (rc == 0 && tok->has_bind)
		rc = tlv_put(&w, SIGTOKEN_TLV_BIND, tok);
	/* ORIG likewise (sigtoken.h): no TLV of a token travels unsigned */
	if (rc == 0 && tok->has_orig)
		rc = tlv_put(&w, SIGTOKEN_TLV_ORIG, tok);
	/* DIV by its hash, after BIND and ORIG, only when present (sigtoken.h) */
	if (rc == 0 && tok->has_div) {
		rc = bytebuf_put_u8(&w, SIGTOKEN_TLV_DIV);
		if (rc == 0)
			rc = put_tlv_hash(&w, SIGTOKEN_TLV_DIV, tok, k);
	}
	return wr_done(&w, rc);
}

int sigtoken_key_sign(struct sigtoken_key *key, uint8_t sig[SIGTOKEN_SIG_LEN], const uint8_t *data, size_t len)
{
	uint8_t md[32], der[80];
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *es = NULL;
	size_t der_len = sizeof(der);
	int rc;

	if (!key->sign_ctx) {
		LOGP(DSS7, LOGL_ERROR, "signalling token: key %s... has no private part, cannot sign\n",
		     osmo_hexdump_nospc(key->key_id, KEYID_LEN));
		return -EINVAL;
	}
	rc = sha256(key, md, data, len);
	if (rc < 0)
		return rc;
	/* the context was initialised once in key_alloc(); EVP_PKEY_sign()
	 * leaves it ready for the next signature */
	if (EVP_PKEY_sign(key->sign_ctx, der, &der_len, md, sizeof(md)) != 1)
		goto fail;
	/* OpenSSL gives the DER ECDSA-Sig-Value (RFC 3279 §2.2.3); ES256
	 * wants R||S, 32 octets each (RFC 7518 §3.4) */
	es = d2i_ECDSA_SIG(NULL, &p, der_len);
	if (!es)
		goto fail;
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, sig, 32) != 32 || BN_bn2binpad(s, sig + 32, 32) != 32)
		goto fail;
	ECDSA_SIG_free(es);
	return 0;
fail:
	ECDSA_SIG_free(es);
	ERR_clear_error();
	LOGP(DSS7, LOGL_ERROR, "signalling token: signing failed (OpenSSL)\n");
	return -EIO;
}

int sigtoken_key_verify(struct sigtoken_key *key, const uint8_t sig[SIGTOKEN_SIG_LEN], const uint8_t *data,
			size_t len)
{
	uint8_t md[32], der[80], *p = der;
	BIGNUM *r = NULL, *s = NULL;
	ECDSA_SIG *es = NULL;
	int rc, der_len;

	rc = sha256(key, md, data, len);
	if (rc < 0)
		return rc;
	es = ECDSA_SIG_new();
	r = BN_bin2bn(sig, 32, NULL);
	s = BN_bin2bn(sig + 32, 32, NULL);
	if (!es || !r || !s || !ECDSA_SIG_set0(es, r, s)) {
		BN_free(r);
		BN_free(s);
		rc = -EIO;
		goto out;
	}
	der_len = i2d_ECDSA_SIG(es, NULL);
	if (der_len <= 0 || (size_t)der_len > sizeof(der)) {
		rc = -EIO;
		goto out;
	}
	der_len = i2d_ECDSA_SIG(es, &p);
	/* 1 valid, 0 invalid, < 0 error, e.g. R or S zero: not a signature */
	rc = EVP_PKEY_verify(key->verify_ctx, der, der_len, md, sizeof(md)) == 1 ? 0 : -EBADMSG;
out:
	ECDSA_SIG_free(es);
	ERR_clear_error();
	return rc;
}

int sigtoken_hop_sign(struct sigtoken *tok, struct sigtoken_key *key, uint32_t iat,
		      const struct sigtoken_call *call)
{
	uint8_t data[HOP_DATA_MAX];
	int rc;

	if (!key->sign_ctx) {
		LOGP(DSS7, LOGL_ERROR, "HOP: key %s... has no private part, cannot sign\n",
		     osmo_hexdump_nospc(key->key_id, KEYID_LEN));
		return -EINVAL;
	}
	tok->hop.alg = SIGTOKEN_ALG_ES256;
	memcpy(tok->hop.key_id, key->key_id, KEYID_LEN);
	tok->hop.iat = iat;
	rc = hop_data(data, sizeof(data), tok, call, key);
	if (rc < 0)
		return rc;
	rc = sigtoken_key_sign(key, tok->hop.sig, data, rc);
	if (rc < 0)
		return rc;
	tok->has_hop = true;
	return 0;
}

int sigtoken_hop_verify(const struct sigtoken *tok, struct sigtoken_key *key,
			const struct sigtoken_call *call)
{
	uint8_t data[HOP_DATA_MAX];
	int rc;

	if (!tok->has_hop)
		return -ENOENT;
	if (tok->hop.alg != SIGTOKEN_ALG_ES256)
		return -ENOTSUP;
	if (memcmp(tok->hop.key_id, key->key_id, KEYID_LEN))
		return -EKEYREJECTED;
	rc = hop_data(data, sizeof(data), tok, call, key);
	if (rc < 0)
		return rc == -ENOSPC ? -EIO : rc;
	return sigtoken_key_verify(key, tok->hop.sig, data, rc);
}

/* ------------------------------------------------------------------------
 * Time window and replay cache
 * ------------------------------------------------------------------------ */

int sigtoken_iat_check(uint32_t iat, time_t now, unsigned int window, unsigned int skew)
{
	int64_t t = iat, n = now;

	if (t < n - (int64_t)window - (int64_t)skew)
		return -ETIMEDOUT;
	if (t > n + (int64_t)skew)
		return -ERANGE;
	return 0;
}

/* expires of a forgotten entry (sigtoken_replay_forget()) */
#define REPLAY_TOMBSTONE	(-1)

struct replay_entry {
	int64_t expires;		/* 0: free slot, REPLAY_TOMBSTONE: forgotten */
	uint8_t key_id[KEYID_LEN];
	uint8_t r[32];
};

struct sigtoken_replay {
	unsigned int window, skew, max;
	unsigned int count;		/* live entries (expired ones until a rebuild) */
	unsigned int used;		/* occupied slots: count plus tombstones */
	/* HOPs with an iat before this may have been seen before the start */
	bool quiet;
	int64_t quiet_iat;
	bool shared;			/* a shared store stands behind: no quiet */
	/* slots: a power of two, doubled as the signatures inside the window
	 * grow, up to size_max >= 2 * max; at most half of them in use, so a
	 * free slot always ends a probe */
	size_t size, size_max;
	struct replay_entry *tab, *spare;
	int64_t last_sweep;
	uint64_t seed;			/* random: hash positions are not predictable */
};

/* The table a cache starts with (12 kB, and as much again for the spare):
 * a node that sees few or no HOPs, such as one that only signs, does not
 * hold the table its bound allows (6 MB each at the default 65,536). */
#define REPLAY_MIN_SLOTS	256

struct sigtoken_replay *sigtoken_replay_alloc(void *ctx, unsigned int window, unsigned int skew,
					      unsigned int max_entries)
{
	struct sigtoken_replay *rc;
	size_t size_max = 16;

	if (max_entries < 1 || max_entries > (1u << 24))
		return NULL;
	while (size_max < 2 * (size_t)max_entries)
		size_max *= 2;
	rc = talloc_zero(ctx, struct sigtoken_replay);
	if (!rc)
		return NULL;
	rc->window = window;
	rc->skew = skew;
	rc->max = max_entries;
	rc->size_max = size_max;
	rc->size = size_max < REPLAY_MIN_SLOTS ? size_max : REPLAY_MIN_SLOTS;
	rc->tab = talloc_zero_array(rc, struct replay_entry, rc->size);
	rc->spare = talloc_zero_array(rc, struct replay_entry, rc->size);
	if (!rc->tab || !rc->spare || RAND_bytes((unsigned char *)&rc->seed, sizeof(rc->seed)) != 1) {
		talloc_free(rc);
		return NULL;
	}
	return rc;
}

/* splitmix64 finaliser over the seed and the first octets of R and key-id */
static size_t slot_of(const struct sigtoken_replay *rc, const uint8_t *key_id, const uint8_t *r)
{
	uint64_t a, b, z;

	memcpy(&a, r, 8);
	memcpy(&b, key_id, 8);
	z = a ^ (b * 0x9e3779b97f4a7c15ULL) ^ rc->seed;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z & (rc->size - 1);
}

static struct replay_entry *slot_find(struct sigtoken_replay *rc, struct replay_entry *tab,
				      const uint8_t *key_id, const uint8_t *r, bool *found)
{
	size_t i = slot_of(rc, key_id, r);

	/* linear probing; the table is at most half full, so a free slot ends it */
	while (tab[i].expires) {
		if (!memcmp(tab[i].r, r, 32) && !memcmp(tab[i].key_id, key_id, KEYID_LEN)) {
			*found = true;
			return &tab[i];
		}
		i = (i + 1) & (rc->size - 1);
	}
	*found = false;
	return &tab[i];
}

/* Copy the entries still inside the window (not expired, not forgotten)
 * of rc->tab into \a to, of \a size slots and all free. */
static void replay_rehash(struct sigtoken_replay *rc, struct replay_entry *to, size_t size, int64_t now)
{
	const struct replay_entry *from = rc->tab;
	size_t i, old_size = rc->size;
	bool found;

	rc->size = size;
	rc->count = 0;
	for (i = 0; i < old_size; i++) {
		const struct replay_entry *e = &from[i];

		if (e->expires <= 0 || e->expires < now)
			continue;
		*slot_find(rc, to, e->key_id, e->r, &found) = *e;
		rc->count++;
	}
	rc->used = rc->count;
}

/* Drop the entries that expired and the forgotten ones by rebuilding the
 * table in the spare one (linear probing has no cheap delete). */
static void replay_sweep(struct sigtoken_replay *rc, int64_t now)
{
	struct replay_entry *t;

	memset(rc->spare, 0, rc->size * sizeof(rc->spare[0]));
	replay_rehash(rc, rc->spare, rc->size, now);
	t = rc->tab;
	rc->tab = rc->spare;
	rc->spare = t;
	rc->last_sweep = now;
}

/* Twice the slots, with the entries still inside the window.
 * \returns 0, -ENOMEM (the table stays as it was) */
static int replay_grow(struct sigtoken_replay *rc, int64_t now)
{
	size_t size = rc->size * 2;
	struct replay_entry *tab, *spare;

	tab = talloc_zero_array(rc, struct replay_entry, size);
	spare = talloc_zero_array(rc, struct replay_entry, size);
	if (!tab || !spare) {
		talloc_free(tab);
		talloc_free(spare);
		return -ENOMEM;
	}
	replay_rehash(rc, tab, size, now);
	talloc_free(rc->tab);
	talloc_free(rc->spare);
	rc->tab = tab;
	rc->spare = spare;
	return 0;
}

/* the entries still inside the window */
static unsigned int replay_live(const struct sigtoken_replay *rc, int64_t now)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < rc->size; i++)
		if (rc->tab[i].expires > 0 && rc->tab[i].expires >= now)
			n++;
	return n;
}

/* Room for one more signature: a free slot with at most half of the slots
 * in use, and fewer than max live entries.  Below its full size the table
 * is rebuilt in place when at most a quarter of its slots would stay in
 * use (the next rebuild is a quarter of the slots away), and grows
 * otherwise.  At its full size expired and forgotten entries are dropped
 * at most once a second, so a full cache of live entries costs one pass
 * per second, not one per call. \returns 0, -ENOSPC */
static int replay_make_room(struct sigtoken_replay *rc, int64_t now)
{
	if (rc->count < rc->max && rc->used + 1 <= rc->size / 2)
		return 0;
	if (rc->count < rc->max && rc->size < rc->size_max) {
		if (replay_live(rc, now) + 1 <= rc->size / 4) {
			replay_sweep(rc, now);
			return 0;
		}
		if (replay_grow(rc, now) == 0)
			return 0;
		LOGP(DSS7, LOGL_ERROR, "HOP: no memory to grow the replay cache to %zu slots\n", rc->size * 2);
	}
	if (rc->last_sweep != now)
		replay_sweep(rc, now);
	if (rc->count < rc->max && rc->used + 1 <= rc->size / 2)
		return 0;
	return -ENOSPC;
}

void sigtoken_replay_set_quiet(struct sigtoken_replay *rc, time_t start)
{
	/* the instance before us accepted an iat up to its now + skew, and
	 * its now was before start */
	rc->quiet = true;
	rc->quiet_iat = (int64_t)start + rc->skew;
}

void sigtoken_replay_set_shared(struct sigtoken_replay *rc, bool shared)
{
	rc->shared = shared;
}

void sigtoken_replay_forget(struct sigtoken_replay *rc, const struct sigtoken_hop *hop)
{
	struct replay_entry *e;
	bool found;

	e = slot_find(rc, rc->tab, hop->key_id, hop->sig, &found);
	if (!found || e->expires <= 0)
		return;
	/* a tombstone: linear probing must go on past it, the sweep drops
	 * it, and the same signature renews it in place */
	e->expires = REPLAY_TOMBSTONE;
	if (rc->count)
		rc->count--;
}

bool sigtoken_replay_quiet(const struct sigtoken_replay *rc, time_t now)
{
	/* sigtoken_iat_check() refuses every iat before quiet_iat from
	 * quiet_iat + window + skew on */
	return rc->quiet && !rc->shared && (int64_t)now <= rc->quiet_iat + rc->window + rc->skew;
}

int sigtoken_replay_check(struct sigtoken_replay *rc, const struct sigtoken_hop *hop, time_t now)
{
	struct replay_entry *e;
	char kid[KEYID_HEX_LEN];
	bool found;
	int ret;

	ret = sigtoken_iat_check(hop->iat, now, rc->window, rc->skew);
	if (ret < 0)
		return ret;
	if (rc->quiet && !rc->shared && (int64_t)hop->iat < rc->quiet_iat) {
		keyid_to_hex(kid, sizeof(kid), hop->key_id);
		LOGP(DSS7, LOGL_NOTICE, "HOP: key-id %s iat %u: signed before this start, and no shared replay "
		     "store knows whether it was seen (startup quiet)\n", kid, hop->iat);
		return -ESTALE;
	}
	e = slot_find(rc, rc->tab, hop->key_id, hop->sig, &found);
	if (found && e->expires >= now) {
		keyid_to_hex(kid, sizeof(kid), hop->key_id);
		LOGP(DSS7, LOGL_NOTICE, "HOP: key-id %s iat %u: signature seen before (replay)\n",
		     kid, hop->iat);
		return -EALREADY;
	}
	if (found) {
		/* an expired or forgotten entry of the same signature: renew
		 * it in place */
		if (e->expires == REPLAY_TOMBSTONE)
			rc->count++;
		e->expires = (int64_t)hop->iat + rc->window + rc->skew;
		return 0;
	}
	if (replay_make_room(rc, now) < 0) {
		if (rc->count >= rc->max)
			LOGP(DSS7, LOGL_ERROR, "HOP: replay cache full (%u signatures inside the window): "
			     "refusing the token\n", rc->max);
		else
			LOGP(DSS7, LOGL_ERROR, "HOP: replay cache full of forgotten signatures until the next "
			     "sweep (%u slots in use): refusing the token\n", rc->used);
		return -ENOSPC;
	}
	e = slot_find(rc, rc->tab, hop->key_id, hop->sig, &found);
	/* the iat check above fails from iat + window + skew + 1 on */
	e->expires = (int64_t)hop->iat + rc->window + rc->skew;
	if (e->expires < 1)
		e->expires = 1;
	memcpy(e->key_id, hop->key_id, KEYID_LEN);
	memcpy(e->r, hop->sig, 32);
	rc->count++;
	rc->used++;
	return 0;
}

unsigned int sigtoken_replay_count(const struct sigtoken_replay *rc)
{
	return rc->count;
}

/* ------------------------------------------------------------------------
 * Carriage in the IAM, ARCHITECTURE §2.1
 * ------------------------------------------------------------------------ */

/* Q.765: the originating and destination address fields, each a length
 * octet (0 when absent) and the address, start the APM-user information.
 * They go in every segment, not only in the one that starts the new
 * sequence: tshark reads them at the start of every APP parameter and
 * reports a segment without them as malformed. */
#define APP_ADDR_LEN	2
/* Q.763 §3.82: ACI (1 octet for 64..127), SNI/RCI, SI/APM segmentation,
 * and octet 3a (segmentation local reference) when segmented */
#define APP_HDR_LEN(seg)	(3 + ((seg) ? 1 : 0))
/* any value: it only ties the segments of this one message together */
#define APP_SLR		1
/* Q.763 §3.82: "APM segmentation indicator" counts at most 9 segments to follow */
#define APP_MAX_SEGMENTS	10

static void app_del(struct isup_msg *msg, uint16_t aci)
{
	unsigned int i = 0;

	while (i < msg->num_opt) {
		if (msg->opt[i].code == ISUP_PAR_APP_TRANSPORT && !msg->opt[i].opaque &&
		    msg->opt[i].u.app.aci == aci)
			isup_msg_opt_del(msg, i);
		else
			i++;
	}
}

/* Q.763 §3.41: transit interpretation, do not release the call, no
 * notification, do not discard the message or the parameter: pass it on;
 * when passing on is not possible, discard the parameter (GF = 10). */
#define PCI_INSTR_PASS_ON	0x40

static int pci_put(struct isup_msg *msg)
{
	struct isup_param *p = NULL;
	unsigned int i;

	for (i = 0; i < msg->num_opt; i++) {
		if (msg->opt[i].code == ISUP_PAR_PCI && !msg->opt[i].opaque) {
			p = &msg->opt[i];
			break;
		}
	}
	if (!p) {
		p = isup_msg_opt_add(msg, ISUP_PAR_PCI);
		if (!p)
			return -EMSGSIZE;
	}
	for (i = 0; i < p->u.pci.num; i++) {
		if (p->u.pci.entry[i].code == ISUP_PAR_APP_TRANSPORT)
			break;
	}
	if (i == p->u.pci.num) {
		if (p->u.pci.num >= ISUP_PCI_MAX_ENTRIES)
			return -EMSGSIZE;
		p->u.pci.num++;
	}
	p->u.pci.entry[i].code = ISUP_PAR_APP_TRANSPORT;
	p->u.pci.entry[i].num_instr = 1;
	p->u.pci.entry[i].instr[0] = PCI_INSTR_PASS_ON;
	return 0;
}

/* Copy what an IAM uses: everything up to the optional parameters, and
 * the num_opt of those.  A struct isup_msg is some 18 kB, almost all of
 * it room for optional parameters that an IAM does not have. */
static void iam_copy_used(struct isup_msg *dst, const struct isup_msg *src)
{
	unsigned int n = src->num_opt < ISUP_MAX_OPT ? src->num_opt : ISUP_MAX_OPT;

	memcpy(dst, src, offsetof(struct isup_msg, opt));
	memcpy(dst->opt, src->opt, n * sizeof(src->opt[0]));
}

int sigtoken_iam_put(struct isup_msg *iam, const struct sigtoken *tok, uint16_t aci)
{
	unsigned int old_num_opt;
	uint8_t buf[SIGTOKEN_MAX_LEN + 16];
	struct isup_msg *tmp;
	size_t len, off, nseg, room;
	unsigned int i;
	int rc;

	if (iam->type != ISUP_MSG_IAM) {
		LOGP(DSS7, LOGL_ERROR, "signalling token: goes in an IAM, not in a %s\n",
		     isup_msg_type_name(iam->type));
		return -EINVAL;
	}
	if (aci < SIGTOKEN_ACI_MIN || aci > SIGTOKEN_ACI_MAX) {
		LOGP(DSS7, LOGL_ERROR, "signalling token: ACI %u outside 64..127\n", aci);
		return -EINVAL;
	}
	rc = sigtoken_encode(buf, sizeof(buf), tok);
	if (rc < 0)
		return rc == -ENOSPC ? -EMSGSIZE : rc;
	len = rc;

	/* one segment when it fits, else as many as needed, each with the
	 * segmentation local reference */
	room = ISUP_PARAM_MAX_LEN - APP_HDR_LEN(false) - APP_ADDR_LEN;
	if (len <= room) {
		nseg = 1;
	} else {
		room = ISUP_PARAM_MAX_LEN - APP_HDR_LEN(true) - APP_ADDR_LEN;
		nseg = (len + room - 1) / room;
	}
	if (nseg > APP_MAX_SEGMENTS)
		return -EMSGSIZE;

	/* build on a copy, so that \a iam is unchanged on failure; only the
	 * parameters in use are copied (the codec adds and removes optional
	 * parameters cleared, isup_msg_opt_add(), isup_msg_opt_del()) */
	tmp = talloc_size(NULL, sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	iam_copy_used(tmp, iam);
	app_del(tmp, aci);
	off = 0;
	for (i = 0; i < nseg; i++) {
		struct isup_param *p = isup_msg_opt_add(tmp, ISUP_PAR_APP_TRANSPORT);
		struct isup_app *a;
		size_t n, pos = 0;

		if (!p) {
			rc = -EMSGSIZE;
			goto out;
		}
		a = &p->u.app;
		a->aci = aci;
		a->sni = 0;	/* ARCHITECTURE §2.1: never notify ... */
		a->rci = 0;	/* ... and never release the call for it */
		a->si = i == 0;	/* new sequence, then subsequent segments */
		a->apm_seg = nseg - 1 - i;
		if (nseg > 1) {
			a->has_slr = true;
			a->slr = APP_SLR;
		}
		a->info[pos++] = 0;	/* originating address: absent */
		a->info[pos++] = 0;	/* destination address: absent */
		n = room;
		if (n > len - off)
			n = len - off;
		memcpy(a->info + pos, buf + off, n);
		a->info_len = pos + n;
		off += n;
	}
	rc = pci_put(tmp);
	if (rc < 0)
		goto out;
	old_num_opt = iam->num_opt < ISUP_MAX_OPT ? iam->num_opt : ISUP_MAX_OPT;
	iam_copy_used(iam, tmp);
	/* slots the token's old APP parameters left: cleared, as the codec
	 * keeps them */
	if (old_num_opt > iam->num_opt)
		memset(&iam->opt[iam->num_opt], 0, (old_num_opt - iam->num_opt) * sizeof(iam->opt[0]));
out:
	if (rc == -EMSGSIZE)
		LOGP(DSS7, LOGL_ERROR, "signalling token: no room for the APP parameters in the IAM\n");
	talloc_free(tmp);
	return rc;
}

int sigtoken_iam_get(struct sigtoken *tok, const struct isup_msg *msg, uint16_t aci)
{
	const struct isup_app *seg[APP_MAX_SEGMENTS] = { NULL };
	uint8_t buf[APP_MAX_SEGMENTS * ISUP_PARAM_MAX_LEN];
	const struct isup_app *first = NULL;
	unsigned int i, nseg = 0, nfound = 0;
	size_t len = 0, pos;
	int rc;

	memset(tok, 0, sizeof(*tok));
	for (i = 0; i < msg->num_opt && i < ISUP_MAX_OPT; i++) {
		const struct isup_param *p = &msg->opt[i];

		if (p->code != ISUP_PAR_APP_TRANSPORT || p->opaque || p->u.app.aci != aci)
			continue;
		nfound++;
		if (p->u.app.si) {
			if (first)
				return bad("two APP parameters start a new sequence");
			first = &p->u.app;
		}
	}
	if (!nfound)
		return -ENOENT;
	if (!first)
		return bad("APP parameters without a new sequence");
	nseg = first->apm_seg + 1;
	if (nseg != nfound || nseg > APP_MAX_SEGMENTS)
		return bad("APP segments: the APM segmentation indicator does not match the segments present");
	if (nseg > 1 && !first->has_slr)
		return bad("APP segments without a segmentation local reference");
	/* Q.763 §3.82: each segment says how many follow it */
	for (i = 0; i < msg->num_opt && i < ISUP_MAX_OPT; i++) {
		const struct isup_app *a = &msg->opt[i].u.app;

		if (msg->opt[i].code != ISUP_PAR_APP_TRANSPORT || msg->opt[i].opaque || a->aci != aci)
			continue;
		if (a != first && (a->si || !a->has_slr || a->slr != first->slr))
			return bad("APP segment of another sequence");
		if (a->apm_seg >= nseg || seg[nseg - 1 - a->apm_seg])
			return bad("APP segments: indicator out of order or repeated");
		seg[nseg - 1 - a->apm_seg] = a;
	}
	for (i = 0; i < nseg; i++) {
		const struct isup_app *a = seg[i];

		unsigned int k;

		/* skip the Q.765 originating and destination address fields */
		pos = 0;
		for (k = 0; k < 2; k++) {
			if (a->info_len - pos < 1 || a->info_len - pos - 1 < a->info[pos])
				return bad("APP: Q.765 address fields truncated");
			pos += 1 + a->info[pos];
		}
		memcpy(buf + len, a->info + pos, a->info_len - pos);
		len += a->info_len - pos;
	}
	rc = sigtoken_decode(tok, buf, len);
	return rc < 0 ? rc : 0;
}
