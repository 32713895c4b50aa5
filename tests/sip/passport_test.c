/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of sip/passport.c: RFC 8225, RFC 8588, RFC 8946. */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <jansson.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <osmocom/core/utils.h>

#include "sip/passport.h"
#include "sip/stir_error.h"
#include "tests/cunit_main.h"

static EVP_PKEY *g_key;		/* P-256, signs */
static EVP_PKEY *g_other;	/* P-256, not the signer */
static EVP_PKEY *g_p384;	/* not a SHAKEN key */

#define X5U "https://cert.example.org/passport.cer"
#define ORIGID "123e4567-e89b-12d3-a456-426655440000"
#define IAT 1443208345

static const char *dest1[] = { "12125551213" };

/* ---- helpers ------------------------------------------------------------ */

static void b64(char *out, size_t outlen, const char *s)
{
	int rc = stir_b64url_encode(out, outlen, (const uint8_t *)s, strlen(s));

	CU_ASSERT_FATAL(rc >= 0);
}

/* the JSON text of a base64url segment */
static void unb64(char *out, size_t outlen, const char *seg, size_t len)
{
	int rc = stir_b64url_decode((uint8_t *)out, outlen - 1, seg, len);

	CU_ASSERT_FATAL(rc >= 0);
	out[rc] = '\0';
}

/* ES256 over arbitrary octets, as a signer with its own JSON writer would */
static void sign_raw(EVP_PKEY *key, const char *in, size_t len, uint8_t raw[64])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t der[80];
	size_t derlen = sizeof(der);
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *sig;

	CU_ASSERT_FATAL(md != NULL);
	CU_ASSERT_FATAL(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) == 1);
	CU_ASSERT_FATAL(EVP_DigestSign(md, der, &derlen, (const unsigned char *)in, len) == 1);
	EVP_MD_CTX_free(md);
	sig = d2i_ECDSA_SIG(NULL, &p, (long)derlen);
	CU_ASSERT_FATAL(sig != NULL);
	ECDSA_SIG_get0(sig, &r, &s);
	BN_bn2binpad(r, raw, 32);
	BN_bn2binpad(s, raw + 32, 32);
	ECDSA_SIG_free(sig);
}

/* "b64(h).b64(p).b64(sig)" signed with key over the segments as written */
static void make_token(char *out, size_t outlen, EVP_PKEY *key, const char *hjson,
		       const char *pjson)
{
	char h[2048], p[2048];
	uint8_t sig[64];
	int n;

	b64(h, sizeof(h), hjson);
	b64(p, sizeof(p), pjson);
	n = snprintf(out, outlen, "%s.%s", h, p);
	CU_ASSERT_FATAL(n > 0 && (size_t)n < outlen);
	sign_raw(key, out, n, sig);
	out[n++] = '.';
	CU_ASSERT_FATAL(stir_b64url_encode(out + n, outlen - n, sig, 64) == 86);
}

static void make_shaken(struct passport *pp)
{
	int rc = passport_init_shaken(pp, X5U, 'A', "12155551212", dest1, 1, IAT, ORIGID);

	CU_ASSERT_FATAL(rc == 0);
}

static int decode_str(struct passport *pp, const char *token)
{
	return passport_decode(pp, token, strlen(token));
}

/* ---- base64url ---------------------------------------------------------- */

static void test_b64url(void)
{
	/* RFC 4648 §10 vectors, no padding */
	static const struct { const char *bin, *txt; } v[] = {
		{ "", "" }, { "f", "Zg" }, { "fo", "Zm8" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg" }, { "fooba", "Zm9vYmE" }, { "foobar", "Zm9vYmFy" },
	};
	static const char *bad[] = { "Zg==", "Zh", "Z", "Zm9v+", "Zm9/", "Zm 9", "Zm9vY" };
	const uint8_t url[] = { 0xfb, 0xff, 0xbf };
	char txt[16];
	uint8_t bin[16];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		size_t n = strlen(v[i].bin);

		CU_ASSERT_EQUAL(stir_b64url_encode(txt, sizeof(txt), (const uint8_t *)v[i].bin, n),
				(int)strlen(v[i].txt));
		CU_ASSERT_STRING_EQUAL(txt, v[i].txt);
		CU_ASSERT_EQUAL(stir_b64url_decode(bin, sizeof(bin), v[i].txt, strlen(v[i].txt)),
				(int)n);
		CU_ASSERT(memcmp(bin, v[i].bin, n) == 0);
	}
	/* the URL-safe characters of RFC 4648 §5 */
	CU_ASSERT_EQUAL(stir_b64url_encode(txt, sizeof(txt), url, 3), 4);
	CU_ASSERT_STRING_EQUAL(txt, "-_-_");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		CU_ASSERT_EQUAL(stir_b64url_decode(bin, sizeof(bin), bad[i], strlen(bad[i])),
				-EBADMSG);
	/* output bounds */
	CU_ASSERT_EQUAL(stir_b64url_encode(txt, 4, (const uint8_t *)"foo", 3), -ENOSPC);
	CU_ASSERT_EQUAL(stir_b64url_decode(bin, 2, "Zm9v", 4), -ENOSPC);
}

/* ---- canonical encoding ------------------------------------------------- */

static void check_segments(const struct passport *pp, const char *hjson, const char *pjson)
{
	const char *dot = memchr(pp->signing_input, '.', pp->signing_input_len);
	char buf[2048];

	CU_ASSERT_FATAL(dot != NULL);
	unb64(buf, sizeof(buf), pp->signing_input, dot - pp->signing_input);
	CU_ASSERT_STRING_EQUAL(buf, hjson);
	unb64(buf, sizeof(buf), dot + 1, pp->signing_input_len - (dot + 1 - pp->signing_input));
	CU_ASSERT_STRING_EQUAL(buf, pjson);
}

static void test_encode_shaken(void)
{
	struct passport pp;

	make_shaken(&pp);
	CU_ASSERT_EQUAL(passport_encode(&pp), 0);
	/* RFC 8225 §9 / RFC 8588: sorted keys, no white space, dest.tn an
	 * array and orig.tn a string */
	check_segments(&pp,
		"{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"" X5U "\"}",
		"{\"attest\":\"A\",\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":1443208345,"
		"\"orig\":{\"tn\":\"12155551212\"},\"origid\":\"" ORIGID "\"}");
	CU_ASSERT_TRUE(passport_is_canonical(&pp));
}

/* ---- the canonical encoder against jansson ------------------------------ */

/* The encoder as it was built on jansson (a tree, then JSON_COMPACT |
 * JSON_SORT_KEYS): the reference the hand-written one must match. */
static int ref_set(json_t *obj, const char *key, json_t *value)
{
	if (!value)
		return -ENOMEM;
	return json_object_set_new(obj, key, value) == 0 ? 0 : -ENOMEM;
}

static json_t *ref_header(const struct passport *pp)
{
	json_t *h = json_object();

	if (!h)
		return NULL;
	if (ref_set(h, "alg", json_string(pp->alg)) < 0 ||
	    (pp->ppt_str[0] && ref_set(h, "ppt", json_string(pp->ppt_str)) < 0) ||
	    (pp->typ[0] && ref_set(h, "typ", json_string(pp->typ)) < 0) ||
	    (pp->x5u[0] && ref_set(h, "x5u", json_string(pp->x5u)) < 0)) {
		json_decref(h);
		return NULL;
	}
	return h;
}

static json_t *ref_claims(const struct passport *pp)
{
	json_t *c = json_object(), *dest, *arr, *o;
	unsigned int i;

	if (!c)
		return NULL;
	if (pp->attest) {
		char a[2] = { pp->attest, '\0' };

		if (ref_set(c, "attest", json_string(a)) < 0)
			goto fail;
	}
	dest = json_object();
	if (ref_set(c, "dest", dest) < 0)
		goto fail;
	if (pp->num_dest_tn) {
		arr = json_array();
		if (ref_set(dest, "tn", arr) < 0)
			goto fail;
		for (i = 0; i < pp->num_dest_tn; i++)
			if (json_array_append_new(arr, json_string(pp->dest_tn[i])) < 0)
				goto fail;
	}
	if (pp->num_dest_uri) {
		arr = json_array();
		if (ref_set(dest, "uri", arr) < 0)
			goto fail;
		for (i = 0; i < pp->num_dest_uri; i++)
			if (json_array_append_new(arr, json_string(pp->dest_uri[i])) < 0)
				goto fail;
	}
	if (pp->div_tn[0]) {
		o = json_object();
		if (ref_set(c, "div", o) < 0 || ref_set(o, "tn", json_string(pp->div_tn)) < 0)
			goto fail;
	}
	if (pp->has_iat && ref_set(c, "iat", json_integer(pp->iat)) < 0)
		goto fail;
	if (pp->orig_tn[0]) {
		o = json_object();
		if (ref_set(c, "orig", o) < 0 || ref_set(o, "tn", json_string(pp->orig_tn)) < 0)
			goto fail;
	}
	if (pp->origid[0] && ref_set(c, "origid", json_string(pp->origid)) < 0)
		goto fail;
	return c;
fail:
	json_decref(c);
	return NULL;
}

#define REF_JSON_MAX	(PASSPORT_SIGNING_INPUT_MAX / 4 * 3 + 3)

static int ref_append(char *out, size_t outlen, size_t *pos, json_t *j)
{
	char json[REF_JSON_MAX];
	size_t n;
	int rc;

	n = json_dumpb(j, json, sizeof(json), JSON_COMPACT | JSON_SORT_KEYS);
	if (n == 0 || n > sizeof(json))
		return -ENOSPC;
	rc = stir_b64url_encode(out + *pos, outlen - *pos, (const uint8_t *)json, n);
	if (rc < 0)
		return rc;
	*pos += rc;
	return 0;
}

/* "header.payload" as jansson writes it; its length or -errno */
static int ref_encode(const struct passport *pp, char *out, size_t outlen)
{
	json_t *h = NULL, *c = NULL;
	size_t pos = 0;
	int rc;

	if (!pp->alg[0] || !pp->has_iat)
		return -EINVAL;
	h = ref_header(pp);
	c = ref_claims(pp);
	if (!h || !c) {
		rc = -ENOMEM;
		goto out;
	}
	rc = ref_append(out, outlen, &pos, h);
	if (rc < 0)
		goto out;
	if (outlen - pos < 2) {
		rc = -ENOSPC;
		goto out;
	}
	out[pos++] = '.';
	rc = ref_append(out, outlen, &pos, c);
	if (rc == 0)
		rc = (int)pos;
out:
	json_decref(h);
	json_decref(c);
	return rc;
}

/* xorshift64*: the same inputs on every run */
static uint64_t g_rnd = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	g_rnd ^= g_rnd >> 12;
	g_rnd ^= g_rnd << 25;
	g_rnd ^= g_rnd >> 27;
	return (uint32_t)((g_rnd * 0x2545f4914f6cdd1dull) >> 32) % n;
}

/* A string of up to size-1 octets drawn from one of several alphabets:
 * digits, printable ASCII, JSON specials and control characters, UTF-8
 * sequences valid and not, and any octet. */
static void rnd_str(char *dst, size_t size, bool may_be_empty)
{
	static const char *const utf8[] = {
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf",
		/* invalid: overlong, surrogate, above U+10FFFF, lone bytes */
		"\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xf5\x80\x80\x80", "\x80", "\xbf", "\xc3", "\xe2\x82", "\xff",
	};
	static const char specials[] = "\"\\/\b\f\n\r\t\x01\x1f\x7f <>";
	size_t max = size - 1, len, i = 0;
	unsigned int kind = rnd(8);

	/* mostly short, sometimes up to the field's size */
	len = rnd(4) ? rnd(max < 40 ? max + 1 : 41) : rnd(max + 1);
	if (!may_be_empty && len == 0)
		len = 1;
	while (i < len) {
		char c;

		switch (kind) {
		case 0:
			c = '0' + rnd(10);
			break;
		case 1:
		case 2:
			c = 0x20 + rnd(0x5f);
			break;
		case 3:
			c = specials[rnd(sizeof(specials) - 1)];
			break;
		case 4: {
			const char *u = utf8[rnd(rnd(3) ? 5 : ARRAY_SIZE(utf8))];
			size_t ul = strlen(u);

			if (len - i < ul || rnd(2)) {
				c = 'a' + rnd(26);
				break;
			}
			memcpy(dst + i, u, ul);
			i += ul;
			continue;
		}
		case 5:
			c = (char)(1 + rnd(255));
			break;
		default:
			c = rnd(3) ? (char)('a' + rnd(26)) : specials[rnd(sizeof(specials) - 1)];
			break;
		}
		dst[i++] = c;
	}
	dst[i] = '\0';
}

static void rnd_passport(struct passport *pp)
{
	static const int64_t iats[] = { 0, 1, 9, 10, IAT, -1, -10, INT64_MAX, INT64_MIN,
					INT64_MIN + 1, 999999999999ll };
	unsigned int i;

	memset(pp, 0, sizeof(*pp));
	if (rnd(8) == 0) {
		passport_init_shaken(pp, X5U, 'A' + rnd(3), "12155551212", dest1, 1, IAT, ORIGID);
		return;
	}
	rnd_str(pp->alg, sizeof(pp->alg), rnd(16) == 0);
	if (rnd(4))
		rnd_str(pp->typ, sizeof(pp->typ), true);
	if (rnd(4))
		rnd_str(pp->ppt_str, sizeof(pp->ppt_str), true);
	if (rnd(4))
		rnd_str(pp->x5u, sizeof(pp->x5u), true);
	pp->has_iat = rnd(16) != 0;
	pp->iat = rnd(2) ? (int64_t)rnd(2000000000) : iats[rnd(ARRAY_SIZE(iats))];
	if (rnd(4))
		rnd_str(pp->orig_tn, sizeof(pp->orig_tn), true);
	pp->num_dest_tn = rnd(PASSPORT_DEST_TN_MAX + 1);
	for (i = 0; i < pp->num_dest_tn; i++)
		rnd_str(pp->dest_tn[i], sizeof(pp->dest_tn[i]), true);
	pp->num_dest_uri = rnd(4) ? 0 : rnd(PASSPORT_DEST_URI_MAX + 1);
	for (i = 0; i < pp->num_dest_uri; i++)
		rnd_str(pp->dest_uri[i], sizeof(pp->dest_uri[i]), true);
	switch (rnd(6)) {
	case 0:
		break;
	case 1:
		pp->attest = (char)(1 + rnd(255));
		break;
	default:
		pp->attest = 'A' + rnd(3);
		break;
	}
	if (rnd(3))
		rnd_str(pp->origid, sizeof(pp->origid), true);
	if (rnd(3) == 0)
		rnd_str(pp->div_tn, sizeof(pp->div_tn), true);
}

/* the encoder and the jansson reference agree on the octets and the error */
static void check_against_ref(struct passport *pp, unsigned int *ok, unsigned int *err)
{
	char ref[PASSPORT_SIGNING_INPUT_MAX + 1];
	int rrc, rc;

	rrc = ref_encode(pp, ref, sizeof(ref));
	rc = passport_encode(pp);
	if (rrc < 0) {
		CU_ASSERT_EQUAL(rc, rrc);
		CU_ASSERT_EQUAL(pp->signing_input_len, 0);
		(*err)++;
		return;
	}
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_EQUAL_FATAL(pp->signing_input_len, (size_t)rrc);
	CU_ASSERT_FATAL(memcmp(pp->signing_input, ref, rrc) == 0);
	CU_ASSERT_TRUE(passport_is_canonical(pp));
	(*ok)++;
}

static void test_encode_matches_jansson(void)
{
	struct passport pp;
	unsigned int i, ok = 0, err = 0;

	for (i = 0; i < 20000; i++) {
		rnd_passport(&pp);
		check_against_ref(&pp, &ok, &err);
	}
	/* both outcomes were exercised, not just one */
	CU_ASSERT(ok > 1000);
	CU_ASSERT(err > 1000);

	/* the largest values, all escaped: over PASSPORT_JSON_MAX or the
	 * signing input, -ENOSPC from both */
	make_shaken(&pp);
	memset(pp.x5u, '\x01', PASSPORT_X5U_MAX);
	check_against_ref(&pp, &ok, &err);
	make_shaken(&pp);
	pp.num_dest_uri = PASSPORT_DEST_URI_MAX;
	memset(pp.dest_uri[0], '"', PASSPORT_URI_MAX);
	memset(pp.dest_uri[1], '\x1f', PASSPORT_URI_MAX);
	check_against_ref(&pp, &ok, &err);
	memset(pp.dest_uri[1], '\\', PASSPORT_URI_MAX);
	check_against_ref(&pp, &ok, &err);
}

/* Every bit flip and every truncation of the JSON of a canonical token:
 * what decodes is canonical exactly when jansson's encoding of the decoded
 * values gives back the received octets. */
static void check_mutant(const char *hjson, size_t hlen, const char *pjson, size_t plen)
{
	char tok[PASSPORT_TOKEN_MAX + 1], ref[PASSPORT_SIGNING_INPUT_MAX + 1];
	struct passport rx;
	int n, m, rrc;

	n = stir_b64url_encode(tok, sizeof(tok), (const uint8_t *)hjson, hlen);
	CU_ASSERT_FATAL(n >= 0);
	tok[n++] = '.';
	m = stir_b64url_encode(tok + n, sizeof(tok) - n, (const uint8_t *)pjson, plen);
	CU_ASSERT_FATAL(m >= 0);
	n += m;
	/* the signature is not looked at here */
	memcpy(tok + n, ".AAAA", 6);
	if (passport_decode(&rx, tok, n + 5) < 0)
		return;
	rrc = ref_encode(&rx, ref, sizeof(ref));
	CU_ASSERT_EQUAL(passport_is_canonical(&rx),
			rrc == n && memcmp(ref, rx.signing_input, n) == 0);
}

static void test_canonical_mutants(void)
{
	static const char *const hdrs[] = {
		"{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"" X5U "\"}",
		"{\"alg\":\"ES256\",\"ppt\":\"div\",\"typ\":\"passport\",\"x5u\":\"" X5U "\"}",
	};
	static const char *const claims[] = {
		"{\"attest\":\"A\",\"dest\":{\"tn\":[\"12125551213\",\"12125551214\"]},\"iat\":1443208345,"
		"\"orig\":{\"tn\":\"12155551212\"},\"origid\":\"" ORIGID "\"}",
		"{\"dest\":{\"tn\":[\"12125551213\"],\"uri\":[\"sip:a@b\"]},\"div\":{\"tn\":\"12155551213\"},"
		"\"iat\":1443208345,\"orig\":{\"tn\":\"12155551212\"}}",
	};
	char buf[512];
	size_t i, n, len;
	unsigned int bit;

	for (i = 0; i < ARRAY_SIZE(hdrs); i++) {
		const char *h = hdrs[i], *p = claims[i];

		check_mutant(h, strlen(h), p, strlen(p));
		len = strlen(h);
		for (n = 0; n < len; n++) {
			check_mutant(h, n, p, strlen(p));
			for (bit = 0; bit < 8; bit++) {
				memcpy(buf, h, len);
				buf[n] ^= (char)(1u << bit);
				check_mutant(buf, len, p, strlen(p));
			}
		}
		len = strlen(p);
		for (n = 0; n < len; n++) {
			check_mutant(h, strlen(h), p, n);
			for (bit = 0; bit < 8; bit++) {
				memcpy(buf, p, len);
				buf[n] ^= (char)(1u << bit);
				check_mutant(h, strlen(h), buf, len);
			}
		}
	}
}

/* The values of RFC 8225 Appendix A (a base PASSporT with a dest URI). */
static void test_encode_rfc8225_example(void)
{
	struct passport pp;

	memset(&pp, 0, sizeof(pp));
	snprintf(pp.alg, sizeof(pp.alg), "ES256");
	snprintf(pp.typ, sizeof(pp.typ), "passport");
	snprintf(pp.x5u, sizeof(pp.x5u), "%s", X5U);
	pp.has_iat = true;
	pp.iat = IAT;
	snprintf(pp.orig_tn, sizeof(pp.orig_tn), "12155551212");
	pp.num_dest_uri = 1;
	snprintf(pp.dest_uri[0], sizeof(pp.dest_uri[0]), "sip:alice@example.com");
	CU_ASSERT_EQUAL(passport_encode(&pp), 0);
	check_segments(&pp,
		"{\"alg\":\"ES256\",\"typ\":\"passport\",\"x5u\":\"" X5U "\"}",
		"{\"dest\":{\"uri\":[\"sip:alice@example.com\"]},\"iat\":1443208345,"
		"\"orig\":{\"tn\":\"12155551212\"}}");
}

/* A SHAKEN token from another implementation (libstirshaken's README):
 * our encoding of its values must give the same octets. */
#define FOREIGN_H "eyJhbGciOiJFUzI1NiIsInBwdCI6InNoYWtlbiIsInR5cCI6InBhc3Nwb3J0IiwieDV1Ijoi" \
	"aHR0cHM6Ly9zcC5jb20vc3AucGVtIn0"
#define FOREIGN_P "eyJhdHRlc3QiOiJBIiwiZGVzdCI6eyJ0biI6WyIwMTI1NjUwMDYwMCJdfSwiaWF0IjoxNjE0" \
	"Nzg3MDk0LCJvcmlnIjp7InRuIjoiMDEyNTY3ODk5OTkifSwib3JpZ2lkIjoicmVmIn0"
#define FOREIGN_S "ULDQt5aWDSzVKhoyVDPmKwW7FuXEVaHPp7xuZsuGIeZRPqIsQfBRoVrgwo_UAvXmoFElG5zup" \
	"afKVzJI0kXoSg"

static void test_interop_foreign(void)
{
	const char *tok = FOREIGN_H "." FOREIGN_P "." FOREIGN_S;
	const char *dest[] = { "01256500600" };
	struct passport pp, mine;

	CU_ASSERT_EQUAL_FATAL(decode_str(&pp, tok), 0);
	CU_ASSERT_EQUAL(pp.ppt, PASSPORT_PPT_SHAKEN);
	CU_ASSERT_EQUAL(pp.attest, 'A');
	CU_ASSERT_EQUAL(pp.iat, 1614787094);
	CU_ASSERT_STRING_EQUAL(pp.orig_tn, "01256789999");
	CU_ASSERT_EQUAL(pp.num_dest_tn, 1);
	CU_ASSERT_STRING_EQUAL(pp.dest_tn[0], "01256500600");
	CU_ASSERT_STRING_EQUAL(pp.origid, "ref");
	CU_ASSERT_STRING_EQUAL(pp.x5u, "https://sp.com/sp.pem");
	CU_ASSERT_EQUAL(pp.sig_len, 64);
	CU_ASSERT_TRUE(passport_is_canonical(&pp));
	CU_ASSERT_EQUAL(passport_check_claims(&pp), 0);
	/* not signed by our key */
	CU_ASSERT_EQUAL(passport_verify(&pp, g_key), STIR_ERR_INVALID_IDENTITY);

	CU_ASSERT_EQUAL_FATAL(passport_init_shaken(&mine, "https://sp.com/sp.pem", 'A',
						   "01256789999", dest, 1, 1614787094, "ref"), 0);
	CU_ASSERT_EQUAL(passport_encode(&mine), 0);
	CU_ASSERT_STRING_EQUAL(mine.signing_input, FOREIGN_H "." FOREIGN_P);
}

/* ---- sign and verify ---------------------------------------------------- */

static void test_sign_verify(void)
{
	char tok[PASSPORT_TOKEN_MAX + 1];
	struct passport pp, rx;
	int n;

	make_shaken(&pp);
	CU_ASSERT_EQUAL_FATAL(passport_sign(&pp, g_key), 0);
	CU_ASSERT_EQUAL(pp.sig_len, 64);
	n = passport_full_form(&pp, tok, sizeof(tok));
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL((size_t)n, strlen(tok));
	CU_ASSERT_EQUAL((size_t)n, pp.signing_input_len + 1 + 86);

	CU_ASSERT_EQUAL_FATAL(decode_str(&rx, tok), 0);
	CU_ASSERT_EQUAL(passport_verify(&rx, g_key), 0);
	CU_ASSERT_TRUE(passport_is_canonical(&rx));
	CU_ASSERT_FALSE(rx.compact);
	CU_ASSERT_EQUAL(rx.attest, 'A');
	CU_ASSERT_STRING_EQUAL(rx.origid, ORIGID);
	/* another key, or a key of another curve */
	CU_ASSERT_EQUAL(passport_verify(&rx, g_other), STIR_ERR_INVALID_IDENTITY);
	CU_ASSERT_EQUAL(passport_verify(&rx, g_p384), STIR_ERR_UNSUPPORTED_CRED);
	CU_ASSERT_EQUAL(passport_verify(&rx, NULL), STIR_ERR_UNSUPPORTED_CRED);
	/* only P-256 signs */
	CU_ASSERT_EQUAL(passport_sign(&pp, g_p384), -EINVAL);
	/* output bounds */
	CU_ASSERT_EQUAL(passport_full_form(&rx, tok, 10), -ENOSPC);
	CU_ASSERT_EQUAL(passport_compact_form(&rx, tok, 10), -ENOSPC);
}

/* Every claim and header value changed on the wire, same signature: 438. */
/* ---- ES256 with prepared contexts --------------------------------------- */

/* raw EVP verification of a raw R||S, independent of sip/passport.c */
static bool evp_verifies(EVP_PKEY *key, const struct passport *pp)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(pp->sig, 32, NULL), *s = BN_bin2bn(pp->sig + 32, 32, NULL);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char *der = NULL;
	int derlen;
	bool ok = false;

	CU_ASSERT_FATAL(sig && r && s && md);
	CU_ASSERT_FATAL(ECDSA_SIG_set0(sig, r, s) == 1);
	derlen = i2d_ECDSA_SIG(sig, &der);
	if (derlen > 0 && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
	    EVP_DigestVerify(md, der, derlen, (const unsigned char *)pp->signing_input,
			     pp->signing_input_len) == 1)
		ok = true;
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	ECDSA_SIG_free(sig);
	return ok;
}

/* Many signatures (R or S with leading zero octets among them, one in 128)
 * convert from DER right and verify with raw EVP; more keys in turn than a
 * thread keeps contexts for, each still signing and verifying its own. */
static void test_es256_contexts(void)
{
	EVP_PKEY *keys[11];
	struct passport pp;
	unsigned int i, k;

	make_shaken(&pp);
	CU_ASSERT_EQUAL_FATAL(passport_encode(&pp), 0);
	for (i = 0; i < 600; i++) {
		pp.signing_input[0] = 'a' + i % 26;
		CU_ASSERT_EQUAL_FATAL(passport_sig_create(&pp, g_key), 0);
		CU_ASSERT_EQUAL(pp.sig_len, 64);
		CU_ASSERT(evp_verifies(g_key, &pp));
		CU_ASSERT_EQUAL(passport_sig_verify(&pp, g_key), 0);
		CU_ASSERT_EQUAL(passport_sig_verify(&pp, g_other), STIR_ERR_INVALID_IDENTITY);
	}
	for (k = 0; k < ARRAY_SIZE(keys); k++) {
		keys[k] = EVP_EC_gen("P-256");
		CU_ASSERT_FATAL(keys[k] != NULL);
	}
	for (i = 0; i < 3 * ARRAY_SIZE(keys); i++) {
		k = (i * 7) % ARRAY_SIZE(keys);
		CU_ASSERT_EQUAL_FATAL(passport_sig_create(&pp, keys[k]), 0);
		CU_ASSERT(evp_verifies(keys[k], &pp));
		CU_ASSERT_EQUAL(passport_sig_verify(&pp, keys[k]), 0);
		CU_ASSERT_EQUAL(passport_sig_verify(&pp, keys[(k + 1) % ARRAY_SIZE(keys)]),
				STIR_ERR_INVALID_IDENTITY);
		CU_ASSERT_TRUE(passport_key_is_p256(keys[k]));
	}
	/* keys freed by their owner and new ones made (perhaps at the same
	 * addresses once no context holds the old ones): never mixed up */
	for (i = 0; i < 3; i++) {
		for (k = 0; k < ARRAY_SIZE(keys); k++) {
			EVP_PKEY_free(keys[k]);
			keys[k] = EVP_EC_gen("P-256");
			CU_ASSERT_FATAL(keys[k] != NULL);
			CU_ASSERT_EQUAL_FATAL(passport_sig_create(&pp, keys[k]), 0);
			CU_ASSERT(evp_verifies(keys[k], &pp));
			CU_ASSERT_EQUAL(passport_sig_verify(&pp, keys[k]), 0);
			CU_ASSERT_EQUAL(passport_sig_verify(&pp, g_key), STIR_ERR_INVALID_IDENTITY);
		}
	}
	for (k = 0; k < ARRAY_SIZE(keys); k++)
		EVP_PKEY_free(keys[k]);
	/* not P-256: no ES256 signature, 437 on verification */
	CU_ASSERT_EQUAL(passport_sig_create(&pp, g_p384), -EIO);
	CU_ASSERT_EQUAL(pp.sig_len, 0);
	CU_ASSERT_EQUAL(passport_sig_create(&pp, NULL), -EIO);
	pp.sig_len = 64;
	CU_ASSERT_EQUAL(passport_sig_verify(&pp, g_p384), STIR_ERR_UNSUPPORTED_CRED);
	CU_ASSERT_FALSE(passport_key_is_p256(g_p384));
	CU_ASSERT_FALSE(passport_key_is_p256(NULL));
	/* a signature of the wrong length never reaches OpenSSL */
	pp.sig_len = 63;
	CU_ASSERT_EQUAL(passport_sig_verify(&pp, g_key), STIR_ERR_INVALID_IDENTITY);
}

/* Threads sign and verify at once with the same keys, each with its own
 * contexts, freed when the thread ends (the sanitizers and valgrind check
 * that nothing is left). */
static void *es256_thread_fn(void *arg)
{
	struct passport pp;
	unsigned int i, *bad = arg;

	make_shaken(&pp);
	if (passport_encode(&pp) < 0) {
		(*bad)++;
		return NULL;
	}
	for (i = 0; i < 50; i++) {
		pp.signing_input[1] = 'a' + i % 26;
		if (passport_sig_create(&pp, g_key) != 0 || passport_sig_verify(&pp, g_key) != 0 ||
		    passport_sig_verify(&pp, g_other) != STIR_ERR_INVALID_IDENTITY)
			(*bad)++;
	}
	return NULL;
}

static void test_es256_threads(void)
{
	pthread_t th[4];
	unsigned int bad[4] = { 0 }, i;

	for (i = 0; i < ARRAY_SIZE(th); i++)
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, es256_thread_fn, &bad[i]), 0);
	for (i = 0; i < ARRAY_SIZE(th); i++) {
		CU_ASSERT_EQUAL(pthread_join(th[i], NULL), 0);
		CU_ASSERT_EQUAL(bad[i], 0);
	}
}

static void test_tamper(void)
{
	static const struct { const char *from, *to; } t[] = {
		{ "\"attest\":\"A\"", "\"attest\":\"B\"" },
		{ "\"12125551213\"", "\"12125551214\"" },		/* dest */
		{ "\"iat\":1443208345", "\"iat\":1443208346" },
		{ "\"12155551212\"", "\"12155551219\"" },		/* orig */
		{ "\"origid\":\"123e", "\"origid\":\"923e" },
		{ "\"x5u\":\"https://cert", "\"x5u\":\"https://evil" },
		{ "\"ppt\":\"shaken\"", "\"ppt\":\"shakeN\"" },
		{ "\"typ\":\"passport\"", "\"typ\":\"passporT\"" },
	};
	const char *h = "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"" X5U "\"}";
	const char *p = "{\"attest\":\"A\",\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":1443208345,"
		"\"orig\":{\"tn\":\"12155551212\"},\"origid\":\"" ORIGID "\"}";
	char tok[4096], hb[1024], pb[1024], mod[1024], forged[4096];
	const char *sig;
	struct passport pp;
	size_t i;

	make_token(tok, sizeof(tok), g_key, h, p);
	CU_ASSERT_EQUAL_FATAL(decode_str(&pp, tok), 0);
	CU_ASSERT_EQUAL_FATAL(passport_verify(&pp, g_key), 0);
	sig = strrchr(tok, '.') + 1;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		const char *src_h = h, *src_p = p;
		const char *in_h = strstr(h, t[i].from), *in_p = strstr(p, t[i].from);
		const char *src = in_h ? h : p;
		const char *at = in_h ? in_h : in_p;

		CU_ASSERT_FATAL(at != NULL);
		snprintf(mod, sizeof(mod), "%.*s%s%s", (int)(at - src), src, t[i].to,
			 at + strlen(t[i].from));
		if (in_h)
			src_h = mod;
		else
			src_p = mod;
		b64(hb, sizeof(hb), src_h);
		b64(pb, sizeof(pb), src_p);
		snprintf(forged, sizeof(forged), "%s.%s.%s", hb, pb, sig);
		CU_ASSERT_EQUAL_FATAL(decode_str(&pp, forged), 0);
		CU_ASSERT_EQUAL(passport_verify(&pp, g_key), STIR_ERR_INVALID_IDENTITY);
	}

	/* the same through the struct: change a value, re-encode, old signature */
	for (i = 0; i < 6; i++) {
		CU_ASSERT_EQUAL_FATAL(decode_str(&pp, tok), 0);
		switch (i) {
		case 0: pp.attest = 'C'; break;
		case 1: pp.dest_tn[0][10] = '9'; break;
		case 2: pp.iat++; break;
		case 3: pp.orig_tn[0] = '2'; break;
		case 4: pp.origid[0] = 'f'; break;
		case 5: pp.x5u[8] = 'k'; break;
		}
		CU_ASSERT_EQUAL_FATAL(passport_encode(&pp), 0);
		CU_ASSERT_EQUAL(passport_verify(&pp, g_key), STIR_ERR_INVALID_IDENTITY);
	}
}

/* Correctly signed, but not in our canonical form: it verifies over the
 * octets as received and is reported non-canonical (ARCHITECTURE §2.2). */
static void test_noncanonical(void)
{
	static const struct { const char *h, *p; } v[] = {
		/* white space */
		{ "{ \"alg\": \"ES256\", \"ppt\": \"shaken\", \"typ\": \"passport\", \"x5u\": \"" X5U "\" }",
		  "{\"attest\":\"A\",\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":1443208345,"
		  "\"orig\":{\"tn\":\"12155551212\"},\"origid\":\"" ORIGID "\"}" },
		/* key order (the RFC 8225 §4 example order) */
		{ "{\"typ\":\"passport\",\"alg\":\"ES256\",\"ppt\":\"shaken\",\"x5u\":\"" X5U "\"}",
		  "{\"orig\":{\"tn\":\"12155551212\"},\"dest\":{\"tn\":[\"12125551213\"]},"
		  "\"iat\":1443208345,\"attest\":\"A\",\"origid\":\"" ORIGID "\"}" },
		/* escaped solidus */
		{ "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\","
		  "\"x5u\":\"https:\\/\\/cert.example.org\\/passport.cer\"}",
		  "{\"attest\":\"A\",\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":1443208345,"
		  "\"orig\":{\"tn\":\"12155551212\"},\"origid\":\"" ORIGID "\"}" },
		/* an extra claim we do not model */
		{ "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"" X5U "\"}",
		  "{\"attest\":\"A\",\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":1443208345,"
		  "\"orig\":{\"tn\":\"12155551212\"},\"origid\":\"" ORIGID "\",\"rcd\":{\"nam\":\"A\"}}" },
	};
	char tok[4096];
	struct passport pp;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		make_token(tok, sizeof(tok), g_key, v[i].h, v[i].p);
		CU_ASSERT_EQUAL_FATAL(decode_str(&pp, tok), 0);
		CU_ASSERT_EQUAL(passport_verify(&pp, g_key), 0);
		CU_ASSERT_FALSE(passport_is_canonical(&pp));
		CU_ASSERT_STRING_EQUAL(pp.x5u, X5U);
		CU_ASSERT_EQUAL(pp.iat, IAT);
	}
}

static void test_compact(void)
{
	char tok[256];
	struct passport pp, rx;
	int n;

	make_shaken(&pp);
	CU_ASSERT_EQUAL_FATAL(passport_sign(&pp, g_key), 0);
	n = passport_compact_form(&pp, tok, sizeof(tok));
	CU_ASSERT_EQUAL(n, 2 + 86);
	CU_ASSERT(tok[0] == '.' && tok[1] == '.');

	/* the verifier rebuilds header and claims from the SIP request */
	make_shaken(&rx);
	CU_ASSERT_EQUAL_FATAL(passport_decode_compact(&rx, tok, n), 0);
	CU_ASSERT_TRUE(rx.compact);
	CU_ASSERT_EQUAL(passport_verify(&rx, g_key), 0);
	CU_ASSERT_TRUE(passport_is_canonical(&rx));

	/* a different calling number in the request: 438 */
	CU_ASSERT_EQUAL_FATAL(passport_init_shaken(&rx, X5U, 'A', "12155550000", dest1, 1, IAT,
						   ORIGID), 0);
	CU_ASSERT_EQUAL_FATAL(passport_decode_compact(&rx, tok, n), 0);
	CU_ASSERT_EQUAL(passport_verify(&rx, g_key), STIR_ERR_INVALID_IDENTITY);

	/* not compact forms */
	make_shaken(&rx);
	CU_ASSERT_EQUAL(passport_decode_compact(&rx, tok + 1, n - 1), -EBADMSG);
	CU_ASSERT_EQUAL(passport_decode_compact(&rx, "..", 2), -EBADMSG);
	CU_ASSERT_EQUAL(passport_decode_compact(&rx, "..a.b", 5), -EBADMSG);
	/* a full form is not compact, and the compact form is not full */
	CU_ASSERT_EQUAL(passport_decode(&rx, tok, n), -EBADMSG);
}

static void test_div(void)
{
	const char *dest[] = { "12155551214" };
	char tok[PASSPORT_TOKEN_MAX + 1];
	struct passport pp, rx;

	CU_ASSERT_EQUAL_FATAL(passport_init_div(&pp, "https://www.example.com/cert.cer",
						"12155551212", dest, 1, IAT, "12155551213"), 0);
	CU_ASSERT_EQUAL_FATAL(passport_sign(&pp, g_key), 0);
	/* RFC 8946 §3 example values */
	check_segments(&pp,
		"{\"alg\":\"ES256\",\"ppt\":\"div\",\"typ\":\"passport\","
		"\"x5u\":\"https://www.example.com/cert.cer\"}",
		"{\"dest\":{\"tn\":[\"12155551214\"]},\"div\":{\"tn\":\"12155551213\"},"
		"\"iat\":1443208345,\"orig\":{\"tn\":\"12155551212\"}}");
	CU_ASSERT_FATAL(passport_full_form(&pp, tok, sizeof(tok)) > 0);
	CU_ASSERT_EQUAL_FATAL(decode_str(&rx, tok), 0);
	CU_ASSERT_EQUAL(rx.ppt, PASSPORT_PPT_DIV);
	CU_ASSERT_STRING_EQUAL(rx.div_tn, "12155551213");
	CU_ASSERT_EQUAL(passport_verify(&rx, g_key), 0);
	CU_ASSERT_TRUE(passport_is_canonical(&rx));
	CU_ASSERT_EQUAL(passport_check_numbers(&rx, "12155551212", "12155551214"), 0);
	/* a div PASSporT without its div claim */
	rx.div_tn[0] = '\0';
	CU_ASSERT_EQUAL(passport_check_claims(&rx), STIR_ERR_INVALID_IDENTITY);
}

/* Header and claim checks of passport_verify(), on a correctly signed token. */
static void test_verify_rejects(void)
{
	static const struct { const char *h, *p; } v[] = {
		/* alg */
		{ "{\"alg\":\"ES384\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"" X5U "\"}", NULL },
		{ "{\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"" X5U "\"}", NULL },
		/* typ */
		{ "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"JWT\",\"x5u\":\"" X5U "\"}", NULL },
		{ "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"x5u\":\"" X5U "\"}", NULL },
		/* ppt */
		{ "{\"alg\":\"ES256\",\"ppt\":\"foo\",\"typ\":\"passport\",\"x5u\":\"" X5U "\"}", NULL },
		/* x5u */
		{ "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\"}", NULL },
		/* claims */
		{ NULL, "{\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":1443208345,"
		  "\"orig\":{\"tn\":\"12155551212\"},\"origid\":\"" ORIGID "\"}" },
		{ NULL, "{\"attest\":\"D\",\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":1443208345,"
		  "\"orig\":{\"tn\":\"12155551212\"},\"origid\":\"" ORIGID "\"}" },
		{ NULL, "{\"attest\":\"A\",\"iat\":1443208345,"
		  "\"orig\":{\"tn\":\"12155551212\"},\"origid\":\"" ORIGID "\"}" },
		{ NULL, "{\"attest\":\"A\",\"dest\":{},\"iat\":1443208345,"
		  "\"orig\":{\"tn\":\"12155551212\"},\"origid\":\"" ORIGID "\"}" },
		{ NULL, "{\"attest\":\"A\",\"dest\":{\"tn\":[\"12125551213\"]},"
		  "\"orig\":{\"tn\":\"12155551212\"},\"origid\":\"" ORIGID "\"}" },
		{ NULL, "{\"attest\":\"A\",\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":1443208345,"
		  "\"origid\":\"" ORIGID "\"}" },
		{ NULL, "{\"attest\":\"A\",\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":1443208345,"
		  "\"orig\":{\"uri\":\"sip:a@example.com\"},\"origid\":\"" ORIGID "\"}" },
		{ NULL, "{\"attest\":\"A\",\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":1443208345,"
		  "\"orig\":{\"tn\":\"12155551212\"}}" },
	};
	const char *good_h = "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"" X5U "\"}";
	const char *good_p = "{\"attest\":\"A\",\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":1443208345,"
		"\"orig\":{\"tn\":\"12155551212\"},\"origid\":\"" ORIGID "\"}";
	char tok[4096];
	struct passport pp;
	size_t i;

	make_token(tok, sizeof(tok), g_key, good_h, good_p);
	CU_ASSERT_EQUAL_FATAL(decode_str(&pp, tok), 0);
	CU_ASSERT_EQUAL(passport_verify(&pp, g_key), 0);
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		make_token(tok, sizeof(tok), g_key, v[i].h ? v[i].h : good_h, v[i].p ? v[i].p : good_p);
		CU_ASSERT_EQUAL_FATAL(decode_str(&pp, tok), 0);
		if (passport_verify(&pp, g_key) != STIR_ERR_INVALID_IDENTITY)
			fprintf(stderr, "verify reject vector %zu passed\n", i);
		CU_ASSERT_EQUAL(passport_verify(&pp, g_key), STIR_ERR_INVALID_IDENTITY);
	}
}

/* Structurally bad tokens: -EBADMSG from the decoder. */
static void test_decode_rejects(void)
{
	static const struct { const char *h, *p; } v[] = {
		{ "{\"alg\":\"ES256\",\"alg\":\"none\",\"typ\":\"passport\"}", NULL },	/* duplicate */
		{ "[\"alg\"]", NULL },
		{ "{\"alg\":\"ES256\"", NULL },
		{ "{\"alg\":256}", NULL },
		{ "{\"alg\":\"\"}", NULL },
		{ "{\"alg\":\"ES256\",\"x5u\":\"https://x/\\u0000\"}", NULL },
		{ "{\"alg\":\"ES256\",\"x5u\":\"https://x/\\u00e9\"}", NULL },
		{ NULL, "{\"iat\":\"1443208345\"}" },
		{ NULL, "{\"iat\":1443208345.5}" },
		{ NULL, "{\"iat\":-1}" },
		{ NULL, "{\"dest\":{\"tn\":\"12125551213\"}}" },		/* not an array */
		{ NULL, "{\"dest\":{\"tn\":[]}}" },
		{ NULL, "{\"dest\":{\"tn\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]}}" },
		{ NULL, "{\"dest\":{\"tn\":[12125551213]}}" },
		{ NULL, "{\"dest\":[\"12125551213\"]}" },
		{ NULL, "{\"orig\":\"{\\\"tn\\\":\\\"12155551212\\\"}\"}" },	/* stringified */
		{ NULL, "{\"orig\":{\"tn\":\"123456789012345678901\"}}" },
		{ NULL, "{\"attest\":\"AB\"}" },
		{ NULL, "{\"iat\":1,\"iat\":2}" },
		{ NULL, "{}  x" },
		{ NULL, "" },
	};
	const char *good_h = "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"" X5U "\"}";
	const char *good_p = "{\"attest\":\"A\",\"iat\":1443208345}";
	static const char *raw[] = {
		"", ".", "..", "a.b", "a.b.c.d", ".eyJ9.c2ln", "e30..c2ln", "e30.e30.",
		"e30.e30.c2ln=", "e30.e30.c2l+", "e30 .e30.c2ln",
	};
	char tok[4096];
	struct passport pp;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		make_token(tok, sizeof(tok), g_key, v[i].h ? v[i].h : good_h, v[i].p ? v[i].p : good_p);
		if (decode_str(&pp, tok) != -EBADMSG)
			fprintf(stderr, "decode reject vector %zu accepted\n", i);
		CU_ASSERT_EQUAL(decode_str(&pp, tok), -EBADMSG);
		CU_ASSERT_EQUAL(pp.signing_input_len, 0);
	}
	for (i = 0; i < ARRAY_SIZE(raw); i++)
		CU_ASSERT_EQUAL(decode_str(&pp, raw[i]), -EBADMSG);
	CU_ASSERT_EQUAL(passport_decode(&pp, NULL, 0), -EBADMSG);
}

static void test_check_iat(void)
{
	struct passport pp;

	make_shaken(&pp);
	CU_ASSERT_EQUAL(passport_check_iat(&pp, IAT, 60), 0);
	CU_ASSERT_EQUAL(passport_check_iat(&pp, IAT + 60, 60), 0);
	CU_ASSERT_EQUAL(passport_check_iat(&pp, IAT + 61, 60), STIR_ERR_STALE_DATE);
	CU_ASSERT_EQUAL(passport_check_iat(&pp, IAT - 60, 60), 0);
	CU_ASSERT_EQUAL(passport_check_iat(&pp, IAT - 61, 60), STIR_ERR_STALE_DATE);
	CU_ASSERT_EQUAL(passport_check_iat(&pp, INT64_MAX, 60), STIR_ERR_STALE_DATE);
	CU_ASSERT_EQUAL(passport_check_iat(&pp, -1, 60), STIR_ERR_STALE_DATE);
	pp.iat = INT64_MAX;
	CU_ASSERT_EQUAL(passport_check_iat(&pp, 0, 60), STIR_ERR_STALE_DATE);
	pp.has_iat = false;
	CU_ASSERT_EQUAL(passport_check_iat(&pp, IAT, 60), STIR_ERR_INVALID_IDENTITY);
}

static void test_check_numbers(void)
{
	const char *dests[] = { "12125551213", "+1-212-555-1299" };
	struct passport pp;

	CU_ASSERT_EQUAL_FATAL(passport_init_shaken(&pp, X5U, 'B', "+12155551212", dests, 2, IAT,
						   ORIGID), 0);
	CU_ASSERT_EQUAL(passport_check_numbers(&pp, "12155551212", "12125551213"), 0);
	CU_ASSERT_EQUAL(passport_check_numbers(&pp, "12155551212", "12125551299"), 0);
	CU_ASSERT_EQUAL(passport_check_numbers(&pp, "12155551212", NULL), 0);
	CU_ASSERT_EQUAL(passport_check_numbers(&pp, "12155551213", "12125551213"),
			STIR_ERR_INVALID_IDENTITY);
	CU_ASSERT_EQUAL(passport_check_numbers(&pp, "12155551212", "12125551214"),
			STIR_ERR_INVALID_IDENTITY);
	CU_ASSERT_EQUAL(passport_check_numbers(&pp, "", NULL), STIR_ERR_INVALID_IDENTITY);
	CU_ASSERT_EQUAL(passport_check_numbers(&pp, NULL, NULL), STIR_ERR_INVALID_IDENTITY);
}

static void test_init_rejects(void)
{
	const char *toolong[] = { "123456789012345678901" };
	const char *empty[] = { "" };
	struct passport pp;

	CU_ASSERT_EQUAL(passport_init_shaken(&pp, X5U, 'D', "1", dest1, 1, IAT, ORIGID), -EINVAL);
	CU_ASSERT_EQUAL(passport_init_shaken(&pp, X5U, 'A', "1", dest1, 0, IAT, ORIGID), -EINVAL);
	CU_ASSERT_EQUAL(passport_init_shaken(&pp, X5U, 'A', "1", toolong, 1, IAT, ORIGID), -EINVAL);
	CU_ASSERT_EQUAL(passport_init_shaken(&pp, X5U, 'A', "1", empty, 1, IAT, ORIGID), -EINVAL);
	CU_ASSERT_EQUAL(passport_init_shaken(&pp, "", 'A', "1", dest1, 1, IAT, ORIGID), -EINVAL);
	CU_ASSERT_EQUAL(passport_init_shaken(&pp, X5U, 'A', "1", dest1, 1, -1, ORIGID), -EINVAL);
	CU_ASSERT_EQUAL(passport_init_shaken(&pp, X5U, 'A', "1", dest1, 1, IAT, ""), -EINVAL);
	CU_ASSERT_EQUAL(passport_init_div(&pp, X5U, "1", dest1, 1, IAT, NULL), -EINVAL);
}

/* Every strict prefix, every bit flip of a signed token: the decoder fails
 * cleanly or the result does not verify. */
static void test_truncation_bitflip(void)
{
	char tok[PASSPORT_TOKEN_MAX + 1];
	struct passport pp, rx;
	size_t len, n;
	unsigned int bit;
	char *copy;

	make_shaken(&pp);
	CU_ASSERT_EQUAL_FATAL(passport_sign(&pp, g_key), 0);
	CU_ASSERT_FATAL(passport_full_form(&pp, tok, sizeof(tok)) > 0);
	len = strlen(tok);

	for (n = 0; n < len; n++) {
		copy = malloc(n ? n : 1);
		CU_ASSERT_FATAL(copy != NULL);
		memcpy(copy, tok, n);
		if (passport_decode(&rx, copy, n) == 0)
			CU_ASSERT_NOT_EQUAL(passport_verify(&rx, g_key), 0);
		free(copy);
	}
	copy = malloc(len);
	CU_ASSERT_FATAL(copy != NULL);
	for (n = 0; n < len; n++) {
		for (bit = 0; bit < 8; bit++) {
			int rc;

			memcpy(copy, tok, len);
			copy[n] ^= (char)(1u << bit);
			rc = passport_decode(&rx, copy, len);
			CU_ASSERT(rc == 0 || rc == -EBADMSG);
			if (rc == 0) {
				CU_ASSERT_NOT_EQUAL(passport_verify(&rx, g_key), 0);
				(void)passport_is_canonical(&rx);
			}
		}
	}
	free(copy);
}

static void test_check_identity(void)
{
	static const struct { const char *hdr; int rc; } v[] = {
		{ "a.b.c;info=<https://x/c>;ppt=shaken", 0 },
		{ "a.b.c;info=<https://x/c>;ppt=shaken;alg=ES256", 0 },
		{ "a.b.c;info=<https://x/c>", 0 },			/* ppt optional in full form */
		{ "a.b.c;info=<https://x/c>;ppt=div", STIR_ERR_INVALID_IDENTITY },
		{ "a.b.c;info=<https://x/c>;ppt=SHAKEN", STIR_ERR_INVALID_IDENTITY },
		{ "a.b.c;info=<https://x/c>;alg=ES384", STIR_ERR_INVALID_IDENTITY },
		{ "..c;info=<https://x/c>;ppt=shaken", 0 },
		{ "..c;info=<https://x/c>", STIR_ERR_INVALID_IDENTITY },	/* compact needs ppt */
	};
	struct identity_hdr ih;
	struct passport pp;
	size_t i;

	make_shaken(&pp);
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		CU_ASSERT_EQUAL_FATAL(identity_hdr_parse(&ih, v[i].hdr, strlen(v[i].hdr)), 0);
		CU_ASSERT_EQUAL(passport_check_identity(&pp, &ih), v[i].rc);
	}
}

static void test_stir_error(void)
{
	char buf[64];

	CU_ASSERT_EQUAL(stir_reason_format(buf, sizeof(buf), 438),
			(int)strlen("SIP ;cause=438;text=\"Invalid Identity Header\""));
	CU_ASSERT_STRING_EQUAL(buf, "SIP ;cause=438;text=\"Invalid Identity Header\"");
	CU_ASSERT(stir_reason_format(buf, sizeof(buf), 403) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "SIP ;cause=403;text=\"Stale Date\"");
	CU_ASSERT(stir_reason_format(buf, sizeof(buf), 437) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "SIP ;cause=437;text=\"Unsupported Credential\"");
	CU_ASSERT_EQUAL(stir_reason_format(buf, sizeof(buf), 404), -EINVAL);
	CU_ASSERT_EQUAL(stir_reason_format(buf, 20, 438), -ENOSPC);
	CU_ASSERT_STRING_EQUAL(buf, "");
	CU_ASSERT_STRING_EQUAL(stir_error_phrase(428), "Use Identity Header");
	CU_ASSERT_STRING_EQUAL(stir_error_phrase(436), "Bad Identity Info");
	CU_ASSERT_STRING_EQUAL(stir_error_phrase(500), "Unknown");
	CU_ASSERT_STRING_EQUAL(get_value_string(stir_verstat_names, STIR_VERSTAT_PASSED),
			       "TN-Validation-Passed");
	CU_ASSERT_STRING_EQUAL(get_value_string(stir_verstat_names, STIR_VERSTAT_FAILED),
			       "TN-Validation-Failed");
	CU_ASSERT_STRING_EQUAL(get_value_string(stir_verstat_names, STIR_VERSTAT_NO_VALIDATION),
			       "No-TN-Validation");
}

static int setup(void *root)
{
	g_key = EVP_EC_gen("P-256");
	g_other = EVP_EC_gen("P-256");
	g_p384 = EVP_EC_gen("P-384");
	if (!g_key || !g_other || !g_p384)
		return -1;
	return 0;
}

static unsigned int teardown(void)
{
	EVP_PKEY_free(g_key);
	EVP_PKEY_free(g_other);
	EVP_PKEY_free(g_p384);
	return 0;
}

static const struct cunit_test tests[] = {
	{ "base64url codec", test_b64url },
	{ "canonical SHAKEN encoding", test_encode_shaken },
	{ "encoder matches jansson", test_encode_matches_jansson },
	{ "canonical flag of mutated tokens", test_canonical_mutants },
	{ "RFC 8225 Appendix A values", test_encode_rfc8225_example },
	{ "another implementation's token", test_interop_foreign },
	{ "sign, full form, decode, verify", test_sign_verify },
	{ "ES256 with prepared contexts", test_es256_contexts },
	{ "ES256 on several threads", test_es256_threads },
	{ "every tampered value fails", test_tamper },
	{ "non-canonical signed JSON verifies", test_noncanonical },
	{ "compact form round trip", test_compact },
	{ "div PASSporT", test_div },
	{ "verify rejects header and claims", test_verify_rejects },
	{ "decode rejects malformed tokens", test_decode_rejects },
	{ "iat window", test_check_iat },
	{ "number comparison", test_check_numbers },
	{ "init rejects bad values", test_init_rejects },
	{ "truncation and bit flips never verify", test_truncation_bitflip },
	{ "Identity parameters match the PASSporT", test_check_identity },
	{ "STIR codes and Reason header", test_stir_error },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "passport", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "passport_test",
	.log = CUNIT_LOG_FATAL,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
