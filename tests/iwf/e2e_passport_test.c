/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of iwf/e2e_passport.c: a signed PASSporT reduced to the PASSPORT
 * TLV and rebuilt from it verifies with the original key; what cannot be
 * rebuilt byte for byte is refused with its reason; a changed TLV field or
 * number makes the rebuilt PASSporT fail. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <openssl/evp.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "iwf/e2e_passport.h"
#include "sip/passport.h"
#include "src/core/logging.h"
#include "ss7/sigtoken.h"
#include "tests/cunit_main.h"

#define X5U "https://cert.example.org/sp-a-chain.pem"
#define UUID "4437a2d6-3a8e-4c39-9a6d-2f5e0d3b1a7c"

static EVP_PKEY *key;

/* sign, write the full form, decode it as a receiver would */
static struct passport *signed_pp(const char *orig, const char *dest, const char *origid)
{
	struct passport *pp = talloc_zero(NULL, struct passport), *rx = talloc_zero(NULL, struct passport);
	const char *d[1] = { dest };
	char tok[PASSPORT_TOKEN_MAX + 1];
	int n;

	CU_ASSERT_FATAL(pp && rx);
	CU_ASSERT_EQUAL_FATAL(passport_init_shaken(pp, X5U, 'A', orig, d, 1, 1700000000, origid), 0);
	CU_ASSERT_EQUAL_FATAL(passport_sign(pp, key), 0);
	n = passport_full_form(pp, tok, sizeof(tok));
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(passport_decode(rx, tok, (size_t)n), 0);
	talloc_free(pp);
	return rx;
}

/* a signed "div" PASSporT (RFC 8946 §3) as a receiver decodes it */
static struct passport *signed_div(const char *orig, const char *dest, const char *div)
{
	struct passport *pp = talloc_zero(NULL, struct passport), *rx = talloc_zero(NULL, struct passport);
	const char *d[1] = { dest };
	char tok[PASSPORT_TOKEN_MAX + 1];
	int n;

	CU_ASSERT_FATAL(pp && rx);
	CU_ASSERT_EQUAL_FATAL(passport_init_div(pp, X5U, orig, d, 1, 1700000010, div), 0);
	CU_ASSERT_EQUAL_FATAL(passport_sign(pp, key), 0);
	n = passport_full_form(pp, tok, sizeof(tok));
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(passport_decode(rx, tok, (size_t)n), 0);
	talloc_free(pp);
	return rx;
}

/* ARCHITECTURE §2.2 DIV: a forwarded call's div PASSporT through the DIV
 * TLV and back verifies, and still extends the SHAKEN one (RFC 8946 §4.2) */
static void test_div_round_trip(void)
{
	struct passport *sh = signed_pp("4930123456", "12025550100", UUID);
	struct passport *dv = signed_div("4930123456", "12025550177", "12025550100");
	struct passport *rb = talloc_zero(NULL, struct passport);
	struct sigtoken_div tlv;
	struct sigtoken tok;
	const char *detail;
	char ident[8192];
	uint8_t buf[512];
	int n;

	CU_ASSERT_FATAL(rb != NULL);
	CU_ASSERT_EQUAL(e2e_div_to_tlv(&tlv, dv, "4930123456", "12025550177"), E2E_PP_OK);
	CU_ASSERT_STRING_EQUAL(tlv.div, "12025550100");
	CU_ASSERT_EQUAL(tlv.iat, 1700000010);
	memset(&tok, 0, sizeof(tok));
	tok.has_div = true;
	tok.div = tlv;
	n = sigtoken_encode(buf, sizeof(buf), &tok);
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL(sigtoken_decode(&tok, buf, (size_t)n), n);
	CU_ASSERT_EQUAL(e2e_div_rebuild(rb, &tok.div, "4930123456", "12025550177"), 0);
	CU_ASSERT_EQUAL(rb->signing_input_len, dv->signing_input_len);
	CU_ASSERT_EQUAL(memcmp(rb->signing_input, dv->signing_input, dv->signing_input_len), 0);
	CU_ASSERT_EQUAL(passport_verify(rb, key), 0);
	CU_ASSERT_EQUAL(passport_div_chain_check(sh, rb, "12025550177", &detail), 0);
	n = e2e_passport_identity(ident, sizeof(ident), rb);
	CU_ASSERT(n > 0 && strstr(ident, ";info=<" X5U ">;alg=ES256;ppt=div") != NULL);

	/* other numbers in the IAM: refused at the ingress, and a rebuild
	 * for them does not verify */
	CU_ASSERT_EQUAL(e2e_div_to_tlv(&tlv, dv, "4930123457", "12025550177"), E2E_PP_NUMBERS);
	CU_ASSERT_EQUAL(e2e_div_to_tlv(&tlv, dv, "4930123456", "12025550100"), E2E_PP_NUMBERS);
	CU_ASSERT_EQUAL(e2e_div_rebuild(rb, &tok.div, "4930123457", "12025550177"), 0);
	CU_ASSERT(passport_verify(rb, key) != 0);
	/* a SHAKEN PASSporT is not a div one, and the other way round */
	CU_ASSERT_EQUAL(e2e_div_to_tlv(&tlv, sh, "4930123456", "12025550100"), E2E_PP_NOT_SHAKEN);
	{
		struct sigtoken_passport ptlv;

		CU_ASSERT_EQUAL(e2e_passport_to_tlv(&ptlv, dv, "4930123456", "12025550177"), E2E_PP_NOT_SHAKEN);
	}
	talloc_free(sh);
	talloc_free(dv);
	talloc_free(rb);
}

/* RFC 8946 §4.2: what ties a div PASSporT to the SHAKEN one */
static void test_div_chain(void)
{
	struct passport *sh = signed_pp("4930123456", "12025550100", UUID);
	struct passport *ok = signed_div("4930123456", "12025550177", "12025550100");
	struct passport *other_orig = signed_div("4930999999", "12025550177", "12025550100");
	struct passport *other_div = signed_div("4930123456", "12025550177", "12025550101");
	const char *detail;

	CU_ASSERT_EQUAL(passport_div_chain_check(sh, ok, "12025550177", &detail), 0);
	CU_ASSERT_STRING_EQUAL(detail, "");
	CU_ASSERT_EQUAL(passport_div_chain_check(sh, other_orig, "12025550177", &detail), -EINVAL);
	CU_ASSERT(strstr(detail, "'orig'") != NULL);
	CU_ASSERT_EQUAL(passport_div_chain_check(sh, other_div, "12025550177", &detail), -EINVAL);
	CU_ASSERT(strstr(detail, "'div' claim") != NULL);
	CU_ASSERT_EQUAL(passport_div_chain_check(sh, ok, "12025550178", &detail), -EINVAL);
	CU_ASSERT(strstr(detail, "'dest'") != NULL);
	CU_ASSERT_EQUAL(passport_div_chain_check(sh, sh, "12025550100", &detail), -EINVAL);
	talloc_free(sh);
	talloc_free(ok);
	talloc_free(other_orig);
	talloc_free(other_div);
}

static void test_round_trip(void)
{
	struct passport *pp = signed_pp("4930123456", "12025550100", UUID);
	struct passport *rb = talloc_zero(NULL, struct passport);
	struct sigtoken_passport tlv, tlv2;
	char ident[8192];
	uint8_t buf[256];
	struct sigtoken tok;
	int n;

	CU_ASSERT_FATAL(rb != NULL);
	CU_ASSERT_EQUAL(e2e_passport_to_tlv(&tlv, pp, "4930123456", "12025550100"), E2E_PP_OK);
	CU_ASSERT_EQUAL(tlv.attest, 'A');
	CU_ASSERT_EQUAL(tlv.iat, 1700000000);
	CU_ASSERT_STRING_EQUAL(tlv.x5u, X5U);
	/* through the token codec and back */
	memset(&tok, 0, sizeof(tok));
	tok.has_passport = true;
	tok.passport = tlv;
	n = sigtoken_encode(buf, sizeof(buf), &tok);
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL(sigtoken_decode(&tok, buf, (size_t)n), n);
	tlv2 = tok.passport;

	CU_ASSERT_EQUAL(e2e_passport_rebuild(rb, &tlv2, "4930123456", "12025550100"), 0);
	CU_ASSERT_EQUAL(rb->signing_input_len, pp->signing_input_len);
	CU_ASSERT_EQUAL(memcmp(rb->signing_input, pp->signing_input, pp->signing_input_len), 0);
	CU_ASSERT_EQUAL(passport_verify(rb, key), 0);
	n = e2e_passport_identity(ident, sizeof(ident), rb);
	CU_ASSERT(n > 0);
	CU_ASSERT(strstr(ident, ";info=<" X5U ">;alg=ES256;ppt=shaken") != NULL);
	/* the rebuilt fields are those the token decodes to, so that the
	 * STI-VS may take the rebuilt copy for the token (stir_vs_input.pp) */
	{
		struct passport *rx = talloc_zero(NULL, struct passport);
		const char *semi = strchr(ident, ';');
		unsigned int i;

		CU_ASSERT_FATAL(rx != NULL && semi != NULL);
		CU_ASSERT_EQUAL_FATAL(passport_decode(rx, ident, (size_t)(semi - ident)), 0);
		CU_ASSERT_STRING_EQUAL(rx->alg, rb->alg);
		CU_ASSERT_STRING_EQUAL(rx->typ, rb->typ);
		CU_ASSERT_EQUAL(rx->ppt, rb->ppt);
		CU_ASSERT_STRING_EQUAL(rx->ppt_str, rb->ppt_str);
		CU_ASSERT_STRING_EQUAL(rx->x5u, rb->x5u);
		CU_ASSERT_EQUAL(rx->has_iat, rb->has_iat);
		CU_ASSERT_EQUAL(rx->iat, rb->iat);
		CU_ASSERT_STRING_EQUAL(rx->orig_tn, rb->orig_tn);
		CU_ASSERT_EQUAL_FATAL(rx->num_dest_tn, rb->num_dest_tn);
		for (i = 0; i < rx->num_dest_tn; i++)
			CU_ASSERT_STRING_EQUAL(rx->dest_tn[i], rb->dest_tn[i]);
		CU_ASSERT_EQUAL(rx->num_dest_uri, rb->num_dest_uri);
		CU_ASSERT_EQUAL(rx->attest, rb->attest);
		CU_ASSERT_STRING_EQUAL(rx->origid, rb->origid);
		CU_ASSERT_STRING_EQUAL(rx->div_tn, rb->div_tn);
		CU_ASSERT_EQUAL(rx->signing_input_len, rb->signing_input_len);
		CU_ASSERT_EQUAL(rx->sig_len, rb->sig_len);
		CU_ASSERT_EQUAL(memcmp(rx->sig, rb->sig, rb->sig_len), 0);
		CU_ASSERT_EQUAL(rx->compact, rb->compact);
		talloc_free(rx);
	}
	CU_ASSERT_EQUAL(e2e_passport_identity(ident, 20, rb), -ENOSPC);

	/* another number at the far end, another attest: no longer verifies */
	CU_ASSERT_EQUAL(e2e_passport_rebuild(rb, &tlv2, "4930123457", "12025550100"), 0);
	CU_ASSERT(passport_verify(rb, key) != 0);
	tlv2.attest = 'B';
	CU_ASSERT_EQUAL(e2e_passport_rebuild(rb, &tlv2, "4930123456", "12025550100"), 0);
	CU_ASSERT(passport_verify(rb, key) != 0);
	tlv2.attest = 'D';
	CU_ASSERT_EQUAL(e2e_passport_rebuild(rb, &tlv2, "4930123456", "12025550100"), -EINVAL);
	tlv2.attest = 'A';
	tlv2.x5u_len = 3;	/* length and string disagree */
	CU_ASSERT_EQUAL(e2e_passport_rebuild(rb, &tlv2, "4930123456", "12025550100"), -EINVAL);
	talloc_free(rb);
	talloc_free(pp);
}

/* The numbers come from the IAM; the rebuild takes nothing else than
 * E.164 digits (found by tests/fuzz/e2e_passport_fuzzer: a number with
 * '*' and a non-UTF-8 octet reached the JSON encoder, which failed with an
 * error the contract does not name) */
static void test_rebuild_numbers(void)
{
	static const char *const bad[] = {
		"", "4*3012\xa6" "456", "49301234#", "+4930123456", "4930 123456", "1234567890123456",
		"49301234\xc3\xa9",
	};
	struct passport *rb = talloc_zero(NULL, struct passport);
	struct sigtoken_passport tlv;
	unsigned int i;

	CU_ASSERT_FATAL(rb != NULL);
	memset(&tlv, 0, sizeof(tlv));
	tlv.attest = 'A';
	tlv.iat = 1700000000;
	tlv.x5u_len = strlen(X5U);
	memcpy(tlv.x5u, X5U, tlv.x5u_len);
	CU_ASSERT_EQUAL(sigtoken_uuid_from_str(tlv.origid, UUID), 0);
	CU_ASSERT_EQUAL(e2e_passport_rebuild(rb, &tlv, "4930123456", "12025550100"), 0);
	CU_ASSERT_EQUAL(e2e_passport_rebuild(rb, &tlv, "1", "123456789012345"), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int rc = e2e_passport_rebuild(rb, &tlv, bad[i], "12025550100");

		if (rc != -EINVAL)
			printf("\n  orig '%s': %d", bad[i], rc);
		CU_ASSERT_EQUAL(rc, -EINVAL);
		CU_ASSERT_EQUAL(e2e_passport_rebuild(rb, &tlv, "4930123456", bad[i]), -EINVAL);
	}
	talloc_free(rb);
}

static void test_refused(void)
{
	struct sigtoken_passport tlv;
	struct passport *pp;
	char tok[PASSPORT_TOKEN_MAX + 1];
	int n;

	pp = signed_pp("4930123456", "12025550100", UUID);
	CU_ASSERT_EQUAL(e2e_passport_to_tlv(&tlv, pp, "4930123456", "12025550101"), E2E_PP_NUMBERS);
	CU_ASSERT_EQUAL(e2e_passport_to_tlv(&tlv, pp, "4930123450", "12025550100"), E2E_PP_NUMBERS);
	CU_ASSERT_EQUAL(tlv.x5u_len, 0);	/* cleared on failure */
	talloc_free(pp);

	/* an upper-case origid is a UUID, but the rebuild writes lower case */
	pp = signed_pp("4930123456", "12025550100", "4437A2D6-3A8E-4C39-9A6D-2F5E0D3B1A7C");
	CU_ASSERT_EQUAL(e2e_passport_to_tlv(&tlv, pp, "4930123456", "12025550100"), E2E_PP_FIELD);
	talloc_free(pp);
	pp = signed_pp("4930123456", "12025550100", "not-a-uuid");
	CU_ASSERT_EQUAL(e2e_passport_to_tlv(&tlv, pp, "4930123456", "12025550100"), E2E_PP_FIELD);
	talloc_free(pp);

	/* two dest numbers */
	{
		struct passport *s = talloc_zero(NULL, struct passport), *rx = talloc_zero(NULL, struct passport);
		const char *d[2] = { "12025550100", "12025550101" };

		CU_ASSERT_FATAL(s && rx);
		CU_ASSERT_EQUAL(passport_init_shaken(s, X5U, 'A', "4930123456", d, 2, 1700000000, UUID), 0);
		CU_ASSERT_EQUAL(passport_sign(s, key), 0);
		n = passport_full_form(s, tok, sizeof(tok));
		CU_ASSERT_EQUAL(passport_decode(rx, tok, (size_t)n), 0);
		CU_ASSERT_EQUAL(e2e_passport_to_tlv(&tlv, rx, "4930123456", "12025550100"), E2E_PP_CLAIMS);
		talloc_free(s);
		talloc_free(rx);
	}

	/* non-canonical: white space in the header (signature irrelevant here) */
	{
		/* {"alg": "ES256","ppt":"shaken","typ":"passport","x5u":"https://a/b"} */
		static const char hdr[] = "eyJhbGciOiAiRVMyNTYiLCJwcHQiOiJzaGFrZW4iLCJ0eXAiOiJwYXNzcG9ydCIsIng1dSI6Imh0dHBzOi8vYS9iIn0";
		struct passport *good = signed_pp("4930123456", "12025550100", UUID);
		struct passport *rx = talloc_zero(NULL, struct passport);
		const char *dot;

		CU_ASSERT_FATAL(good && rx);
		n = passport_full_form(good, tok, sizeof(tok));
		dot = strchr(tok, '.');
		CU_ASSERT_FATAL(dot != NULL);
		{
			char t2[PASSPORT_TOKEN_MAX + 1];

			n = snprintf(t2, sizeof(t2), "%s%s", hdr, dot);
			CU_ASSERT_EQUAL_FATAL(passport_decode(rx, t2, (size_t)n), 0);
		}
		CU_ASSERT_FALSE(passport_is_canonical(rx));
		CU_ASSERT_EQUAL(e2e_passport_to_tlv(&tlv, rx, "4930123456", "12025550100"), E2E_PP_NOT_CANONICAL);
		rx->compact = true;
		CU_ASSERT_EQUAL(e2e_passport_to_tlv(&tlv, rx, "4930123456", "12025550100"), E2E_PP_COMPACT);
		talloc_free(good);
		talloc_free(rx);
	}
	for (n = 0; n < _NUM_E2E_PP_ERR; n++)
		CU_ASSERT(strcmp(get_value_string(e2e_passport_err_names, n), "unknown") != 0);
}

/* RFC 9795 Rich Call Data: each of rcd, rcdi and crn is noted on decode
 * and keeps the PASSporT out of the PASSPORT TLV, even where the rest is
 * canonical and matches the IAM. */
static void test_rcd(void)
{
	static const char hdr[] = "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"" X5U "\"}";
	static const struct {
		const char *extra;	/* claims after "origid", canonical order */
		unsigned int mask;
		const char *names;
	} c[] = {
		{ "", 0, "" },
		{ ",\"rcd\":{\"nam\":\"Example Bank\"}", PASSPORT_RCD_CLAIM_RCD, "rcd" },
		{ ",\"rcd\":{\"nam\":\"Example Bank\"},\"rcdi\":{\"/nam\":\"sha256-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO\"}",
		  PASSPORT_RCD_CLAIM_RCD | PASSPORT_RCD_CLAIM_RCDI, "rcd, rcdi" },
	};
	struct sigtoken_passport tlv;
	struct passport *rx = talloc_zero(NULL, struct passport);
	char claims[512], tok[2048], names[32];
	uint8_t sig[PASSPORT_ES256_SIG_LEN] = { 1 };
	unsigned int i;
	int n, off;

	CU_ASSERT_FATAL(rx != NULL);
	for (i = 0; i < ARRAY_SIZE(c) + 1; i++) {
		/* the last case: "crn" sorts before "dest" */
		if (i < ARRAY_SIZE(c))
			snprintf(claims, sizeof(claims), "{\"attest\":\"A\",\"dest\":{\"tn\":[\"12025550100\"]},"
				 "\"iat\":1700000000,\"orig\":{\"tn\":\"4930123456\"},\"origid\":\"" UUID "\"%s}",
				 c[i].extra);
		else
			snprintf(claims, sizeof(claims), "{\"attest\":\"A\",\"crn\":\"Your order\","
				 "\"dest\":{\"tn\":[\"12025550100\"]},\"iat\":1700000000,"
				 "\"orig\":{\"tn\":\"4930123456\"},\"origid\":\"" UUID "\"}");
		off = stir_b64url_encode(tok, sizeof(tok), (const uint8_t *)hdr, strlen(hdr));
		CU_ASSERT_FATAL(off > 0);
		tok[off++] = '.';
		n = stir_b64url_encode(tok + off, sizeof(tok) - off, (const uint8_t *)claims, strlen(claims));
		CU_ASSERT_FATAL(n > 0);
		off += n;
		tok[off++] = '.';
		n = stir_b64url_encode(tok + off, sizeof(tok) - off, sig, sizeof(sig));
		CU_ASSERT_FATAL(n > 0);
		off += n;
		memset(rx, 0, sizeof(*rx));
		CU_ASSERT_EQUAL_FATAL(passport_decode(rx, tok, (size_t)off), 0);
		if (i == 0) {
			/* the same PASSporT without Rich Call Data travels */
			CU_ASSERT_EQUAL(rx->rcd_claims, 0);
			CU_ASSERT_EQUAL(e2e_passport_to_tlv(&tlv, rx, "4930123456", "12025550100"), E2E_PP_OK);
			continue;
		}
		CU_ASSERT_EQUAL(rx->rcd_claims, i < ARRAY_SIZE(c) ? c[i].mask : PASSPORT_RCD_CLAIM_CRN);
		CU_ASSERT_STRING_EQUAL(passport_rcd_claims_str(names, sizeof(names), rx->rcd_claims),
				       i < ARRAY_SIZE(c) ? c[i].names : "crn");
		CU_ASSERT_EQUAL(e2e_passport_to_tlv(&tlv, rx, "4930123456", "12025550100"), E2E_PP_CLAIMS);
		CU_ASSERT_EQUAL(tlv.x5u_len, 0);
	}
	CU_ASSERT_STRING_EQUAL(passport_rcd_claims_str(names, sizeof(names), 7), "rcd, rcdi, crn");
	CU_ASSERT_STRING_EQUAL(passport_rcd_claims_str(names, 6, 7), "rcd, ");	/* cut, terminated */
	talloc_free(rx);
}

static int setup(void *root)
{
	key = EVP_EC_gen("P-256");
	return key ? 0 : -1;
}

static unsigned int teardown(void)
{
	EVP_PKEY_free(key);
	return 0;
}

static const struct cunit_test tests[] = {
	{ "round_trip", test_round_trip },
	{ "div PASSporT through the DIV TLV", test_div_round_trip },
	{ "div PASSporT chain, RFC 8946 §4.2", test_div_chain },
	{ "refused", test_refused },
	{ "Rich Call Data is not carried", test_rcd },
	{ "rebuild takes E.164 numbers only", test_rebuild_numbers },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "e2e_passport", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "e2e_passport_test",
	.log = CUNIT_LOG_SILENT,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
