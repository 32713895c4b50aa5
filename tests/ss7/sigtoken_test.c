/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of ss7/sigtoken.c: the stiwf profile v1 token codec, HOP
 * signing and verification, the iat window and replay cache, and the
 * token's carriage in an IAM (ARCHITECTURE §2). */

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <osmocom/core/application.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "config.h"
#include "certs/keyid.h"
#include "iwf/isup_identity.h"
#include "src/core/logging.h"
#include "ss7/isup.h"
#include "ss7/sigtoken.h"
#include "tests/certs/testpki.h"
#include "tests/cunit_main.h"

static void *ctx;

#define HOP_HEX	"014d" "01" "0102030405060708" "65000000" \
	"11111111111111111111111111111111111111111111111111111111111111112222222222222222222222222222222222222222222222222222222222222222"
#define PP_HEX	"0262" "41" "65000001" "0123456789abcdef0123456789abcdef" "0c" "68747470733a2f2f782f612e" \
	"33333333333333333333333333333333333333333333333333333333333333334444444444444444444444444444444444444444444444444444444444444444"
#define VD_HEX	"0303" "02" "01b4"
/* BIND "ZZ-OP2" */
#define BD_HEX	"0406" "5a5a2d4f5032"
/* DIV: iat, div "4930111", x5u "https://x/d.", sig */
#define DV_HEX	"0659" "65000002" "07" "34393330313131" "0c" "68747470733a2f2f782f642e" \
	"55555555555555555555555555555555555555555555555555555555555555556666666666666666666666666666666666666666666666666666666666666666"

/* Well-formed tokens.  \a exact: re-encoding gives the same octets (no
 * unknown TLVs, TLVs in type order). */
static const struct {
	const char *name;
	const char *hex;
	bool exact;
	bool hop, pp, vd;
} vectors[] = {
	{ "version only", "01", true, false, false, false },
	{ "HOP", "01" HOP_HEX, true, true, false, false },
	{ "HOP PASSPORT VERDICT", "01" HOP_HEX PP_HEX VD_HEX, true, true, true, true },
	{ "VERDICT passed", "01" "0303" "01" "0000", true, false, false, true },
	{ "unknown TLVs skipped", "01" "7f00" VD_HEX "fe03aabbcc" HOP_HEX, false, true, false, true },
	{ "order free", "01" VD_HEX PP_HEX HOP_HEX, false, true, true, true },
	{ "HOP PASSPORT VERDICT BIND", "01" HOP_HEX PP_HEX VD_HEX BD_HEX, true, true, true, true },
	{ "BIND first", "01" BD_HEX HOP_HEX, false, true, false, false },
	{ "HOP PASSPORT VERDICT BIND DIV", "01" HOP_HEX PP_HEX VD_HEX BD_HEX DV_HEX, true, true, true, true },
	{ "DIV first", "01" DV_HEX HOP_HEX, false, true, false, false },
};

static int hex2bin(const char *hex, uint8_t *out, size_t max)
{
	int rc = osmo_hexparse(hex, out, max);

	CU_ASSERT_FATAL(rc > 0);
	return rc;
}

static void test_vectors(void)
{
	uint8_t in[1024], out[1024];
	struct sigtoken t1, t2;
	char uuid[SIGTOKEN_UUID_STR_LEN];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		int len = hex2bin(vectors[i].hex, in, sizeof(in)), rc;

		rc = sigtoken_decode(&t1, in, len);
		if (rc != len)
			fprintf(stderr, "vector %s: decode %d\n", vectors[i].name, rc);
		CU_ASSERT_EQUAL(rc, len);
		CU_ASSERT_EQUAL(t1.has_hop, vectors[i].hop);
		CU_ASSERT_EQUAL(t1.has_passport, vectors[i].pp);
		CU_ASSERT_EQUAL(t1.has_verdict, vectors[i].vd);
		rc = sigtoken_encode(out, sizeof(out), &t1);
		CU_ASSERT(rc > 0);
		if (vectors[i].exact) {
			CU_ASSERT_EQUAL(rc, len);
			CU_ASSERT(rc == len && memcmp(in, out, len) == 0);
		}
		CU_ASSERT_EQUAL(sigtoken_decode(&t2, out, rc), rc);
		CU_ASSERT(memcmp(&t1, &t2, sizeof(t1)) == 0);
	}

	hex2bin(vectors[2].hex, in, sizeof(in));
	CU_ASSERT_FATAL(sigtoken_decode(&t1, in, sizeof(in)) < 0);
	CU_ASSERT_FATAL(sigtoken_decode(&t1, in, 1 + 79 + 100 + 5) == 1 + 79 + 100 + 5);
	CU_ASSERT_EQUAL(t1.hop.alg, SIGTOKEN_ALG_ES256);
	CU_ASSERT(memcmp(t1.hop.key_id, "\x01\x02\x03\x04\x05\x06\x07\x08", 8) == 0);
	CU_ASSERT_EQUAL(t1.hop.iat, 0x65000000);
	CU_ASSERT_EQUAL(t1.hop.sig[0], 0x11);
	CU_ASSERT_EQUAL(t1.hop.sig[63], 0x22);
	CU_ASSERT_EQUAL(t1.passport.attest, 'A');
	CU_ASSERT_EQUAL(t1.passport.iat, 0x65000001);
	sigtoken_uuid_to_str(uuid, sizeof(uuid), t1.passport.origid);
	CU_ASSERT_STRING_EQUAL(uuid, "01234567-89ab-cdef-0123-456789abcdef");
	CU_ASSERT_EQUAL(t1.passport.x5u_len, 12);
	CU_ASSERT_STRING_EQUAL(t1.passport.x5u, "https://x/a.");
	CU_ASSERT_EQUAL(t1.passport.sig[0], 0x33);
	CU_ASSERT_EQUAL(t1.passport.sig[63], 0x44);
	CU_ASSERT_EQUAL(t1.verdict.verstat, SIGTOKEN_VERSTAT_FAILED);
	CU_ASSERT_EQUAL(t1.verdict.reason, 436);
}

/* Cut every vector at every length: a cut inside a TLV fails, a cut at a
 * TLV boundary is a shorter valid token. */
static void test_truncation(void)
{
	unsigned int i, failed = 0, shorter = 0;

	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		uint8_t in[1024];
		int len = hex2bin(vectors[i].hex, in, sizeof(in)), n;
		int boundary = 1;	/* the next TLV starts here */

		for (n = 0; n < len; n++) {
			uint8_t *cut = malloc(n ? n : 1);
			struct sigtoken t;
			int rc;

			CU_ASSERT_FATAL(cut != NULL);
			memcpy(cut, in, n);
			rc = sigtoken_decode(&t, cut, n);
			free(cut);
			if (n == boundary) {
				CU_ASSERT_EQUAL(rc, n);
				shorter++;
				boundary += 2 + in[boundary + 1];
			} else {
				CU_ASSERT_EQUAL(rc, -EBADMSG);
				failed++;
			}
		}
	}
	CU_ASSERT(failed > 0 && shorter > 0);
}

static void test_bitflip(void)
{
	unsigned int i, decoded = 0, failed = 0;

	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		uint8_t in[1024], out[1024];
		int len = hex2bin(vectors[i].hex, in, sizeof(in)), bit;

		for (bit = 0; bit < len * 8; bit++) {
			uint8_t *buf = malloc(len);
			struct sigtoken t1, t2;
			int rc;

			CU_ASSERT_FATAL(buf != NULL);
			memcpy(buf, in, len);
			buf[bit / 8] ^= 1 << (bit % 8);
			rc = sigtoken_decode(&t1, buf, len);
			free(buf);
			if (rc < 0) {
				CU_ASSERT_EQUAL(rc, -EBADMSG);
				failed++;
				continue;
			}
			CU_ASSERT_EQUAL(rc, len);
			decoded++;
			rc = sigtoken_encode(out, sizeof(out), &t1);
			CU_ASSERT_FATAL(rc > 0);
			CU_ASSERT_EQUAL(sigtoken_decode(&t2, out, rc), rc);
			CU_ASSERT(memcmp(&t1, &t2, sizeof(t1)) == 0);
		}
	}
	CU_ASSERT(decoded > 0);
	CU_ASSERT(failed > 0);
}

static void test_invalid(void)
{
	static const struct {
		const char *name;
		const char *hex;
	} bad[] = {
		{ "version 2", "02" },
		{ "version 0", "00" VD_HEX },
		{ "HOP alg 2", "01" "014d" "02" "0102030405060708" "65000000"
		  "1111111111111111111111111111111111111111111111111111111111111111"
		  "2222222222222222222222222222222222222222222222222222222222222222" },
		{ "HOP one octet short", "01" "014c" "01" "0102030405060708" "65000000"
		  "1111111111111111111111111111111111111111111111111111111111111111"
		  "22222222222222222222222222222222222222222222222222222222222222" },
		{ "HOP twice", "01" HOP_HEX HOP_HEX },
		{ "VERDICT twice", "01" VD_HEX VD_HEX },
		{ "unknown type twice", "01" "7f00" "7f0100" },
		{ "attest D", "01" "0262" "44" "65000001" "0123456789abcdef0123456789abcdef" "0c"
		  "68747470733a2f2f782f612e"
		  "3333333333333333333333333333333333333333333333333333333333333333"
		  "4444444444444444444444444444444444444444444444444444444444444444" },
		{ "x5u-len one more than the TLV", "01" "0262" "41" "65000001" "0123456789abcdef0123456789abcdef"
		  "0d" "68747470733a2f2f782f612e"
		  "3333333333333333333333333333333333333333333333333333333333333333"
		  "4444444444444444444444444444444444444444444444444444444444444444" },
		{ "x5u with a space", "01" "0262" "41" "65000001" "0123456789abcdef0123456789abcdef" "0c"
		  "68747470733a2f2f782f612e"
		  "3333333333333333333333333333333333333333333333333333333333333333"
		  "4444444444444444444444444444444444444444444444444444444444444444" },
		{ "empty x5u", "01" "0256" "41" "65000001" "0123456789abcdef0123456789abcdef" "00"
		  "3333333333333333333333333333333333333333333333333333333333333333"
		  "4444444444444444444444444444444444444444444444444444444444444444" },
		{ "verstat 3", "01" "0303" "03" "0000" },
		{ "reason 404", "01" "0303" "02" "0194" },
		{ "passed with reason 438", "01" "0303" "01" "01b6" },
		{ "VERDICT 4 octets", "01" "0304" "02" "01b400" },
		{ "TLV length past the end", "01" "0305" "02" "01b4" },
		{ "lone type octet", "01" VD_HEX "05" },
		{ "BIND twice", "01" BD_HEX BD_HEX },
		{ "BIND empty", "01" "0400" },
		{ "BIND with a space", "01" "0403" "5a205a" },
		{ "BIND with a control octet", "01" "0403" "5a0a5a" },
		{ "BIND with DEL", "01" "0401" "7f" },
		{ "BIND 33 octets", "01" "0421" "414141414141414141414141414141414141414141414141414141414141414141" },
		{ "empty", "" },
		{ "DIV twice", "01" DV_HEX DV_HEX },
		{ "DIV div-len past the TLV", "01" "0646" "65000002" "07" "34393330313131" "00"
		  "555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555" },
		{ "DIV div not digits", "01" "0659" "65000002" "07" "3439333031312b" "0c"
		  "68747470733a2f2f782f642e" "55555555555555555555555555555555555555555555555555555555555555556666666666666666666666666666666666666666666666666666666666666666" },
		{ "DIV x5u-len one more than the TLV", "01" "0659" "65000002" "07" "34393330313131" "0d"
		  "68747470733a2f2f782f642e" "55555555555555555555555555555555555555555555555555555555555555556666666666666666666666666666666666666666666666666666666666666666" },
		{ "DIV empty x5u", "01" "064d" "65000002" "07" "34393330313131" "00" "55555555555555555555555555555555555555555555555555555555555555556666666666666666666666666666666666666666666666666666666666666666" },
		{ "DIV x5u with a space", "01" "0659" "65000002" "07" "34393330313131" "0c"
		  "68747470733a2f2f782f202e" "55555555555555555555555555555555555555555555555555555555555555556666666666666666666666666666666666666666666666666666666666666666" },
	};
	uint8_t in[1024];
	struct sigtoken t;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int len = bad[i].hex[0] ? osmo_hexparse(bad[i].hex, in, sizeof(in)) : 0;

		CU_ASSERT_FATAL(len >= 0);
		if (i == 9)	/* the x5u with a space: replace its 'x' by ' ' */
			in[1 + 2 + 1 + 4 + 16 + 1 + 8] = ' ';
		if (sigtoken_decode(&t, in, len) != -EBADMSG) {
			fprintf(stderr, "invalid token '%s' decoded\n", bad[i].name);
			CU_FAIL("invalid token decoded");
		}
		/* nothing is left behind in the output */
		CU_ASSERT(!t.has_hop && !t.has_passport && !t.has_verdict && !t.has_bind);
	}

	/* the encoder checks the same fields */
	memset(&t, 0, sizeof(t));
	t.has_verdict = true;
	t.verdict.verstat = 3;
	CU_ASSERT_EQUAL(sigtoken_encode(in, sizeof(in), &t), -EINVAL);
	t.verdict.verstat = 2;
	t.verdict.reason = 500;
	CU_ASSERT_EQUAL(sigtoken_encode(in, sizeof(in), &t), -EINVAL);
	t.verdict.reason = 437;
	CU_ASSERT_EQUAL(sigtoken_encode(in, sizeof(in), &t), 6);
	CU_ASSERT_EQUAL(sigtoken_encode(in, 5, &t), -ENOSPC);
	t.has_passport = true;
	t.passport.attest = 'B';
	t.passport.x5u_len = SIGTOKEN_X5U_MAX + 1;
	CU_ASSERT_EQUAL(sigtoken_encode(in, sizeof(in), &t), -EINVAL);
	t.passport.x5u_len = 3;
	memcpy(t.passport.x5u, "a\"b", 4);
	CU_ASSERT_EQUAL(sigtoken_encode(in, sizeof(in), &t), -EINVAL);
	memcpy(t.passport.x5u, "a/b", 4);
	CU_ASSERT_EQUAL(sigtoken_encode(in, sizeof(in), &t), 1 + 2 + 89 + 5);
	t.passport.attest = 'a';
	CU_ASSERT_EQUAL(sigtoken_encode(in, sizeof(in), &t), -EINVAL);
	t.has_passport = false;
	t.has_hop = true;
	CU_ASSERT_EQUAL(sigtoken_encode(in, sizeof(in), &t), -EINVAL);	/* alg 0 */

	/* BIND: the setter and the encoder refuse what the decoder refuses */
	memset(&t, 0, sizeof(t));
	CU_ASSERT_EQUAL(sigtoken_bind_set(&t, ""), -EINVAL);
	CU_ASSERT_EQUAL(sigtoken_bind_set(&t, NULL), -EINVAL);
	CU_ASSERT_EQUAL(sigtoken_bind_set(&t, "ZZ OP2"), -EINVAL);
	CU_ASSERT_EQUAL(sigtoken_bind_set(&t, "123456789012345678901234567890123"), -EINVAL);
	CU_ASSERT(!t.has_bind);
	CU_ASSERT_EQUAL(sigtoken_bind_set(&t, "12345678901234567890123456789012"), 0);
	CU_ASSERT(t.has_bind);
	CU_ASSERT_EQUAL(sigtoken_encode(in, sizeof(in), &t), 1 + 2 + 32);
	CU_ASSERT_EQUAL(sigtoken_encode(in, 1 + 2 + 31, &t), -ENOSPC);
	t.bind.len = 0;
	CU_ASSERT_EQUAL(sigtoken_encode(in, sizeof(in), &t), -EINVAL);
	CU_ASSERT_EQUAL(sigtoken_bind_set(&t, "pc:2-100-3"), 0);
	CU_ASSERT_EQUAL(sigtoken_encode(in, sizeof(in), &t), 1 + 2 + 10);
	CU_ASSERT_EQUAL(sigtoken_decode(&t, in, 1 + 2 + 10), 1 + 2 + 10);
	CU_ASSERT(t.has_bind);
	CU_ASSERT_STRING_EQUAL(t.bind.net, "pc:2-100-3");

	/* ORIG: 1..15 decimal digits, no more, nothing else */
	memset(&t, 0, sizeof(t));
	CU_ASSERT_EQUAL(sigtoken_orig_set(&t, ""), -EINVAL);
	CU_ASSERT_EQUAL(sigtoken_orig_set(&t, NULL), -EINVAL);
	CU_ASSERT_EQUAL(sigtoken_orig_set(&t, "+4917"), -EINVAL);
	CU_ASSERT_EQUAL(sigtoken_orig_set(&t, "4917A"), -EINVAL);
	CU_ASSERT_EQUAL(sigtoken_orig_set(&t, "1234567890123456"), -EINVAL);
	CU_ASSERT(!t.has_orig);
	CU_ASSERT_EQUAL(sigtoken_orig_set(&t, "123456789012345"), 0);
	CU_ASSERT_EQUAL(sigtoken_encode(in, sizeof(in), &t), 1 + 2 + 15);
	CU_ASSERT_EQUAL(sigtoken_encode(in, 1 + 2 + 14, &t), -ENOSPC);
	CU_ASSERT(memcmp(in, "\x01\x05\x0f" "123456789012345", 18) == 0);
	CU_ASSERT_EQUAL(sigtoken_decode(&t, in, 18), 18);
	CU_ASSERT(t.has_orig);
	CU_ASSERT_STRING_EQUAL(t.orig.digits, "123456789012345");
	CU_ASSERT_EQUAL(t.orig.len, 15);
	t.orig.len = 16;
	CU_ASSERT_EQUAL(sigtoken_encode(in, sizeof(in), &t), -EINVAL);
	{
		static const char *const bad_orig[] = {
			"010500",			/* empty */
			"010510" "31323334353637383930313233343536",	/* 16 digits */
			"01" "0503313233" "0503313233",	/* twice */
			"0105033132",			/* truncated */
			"0105033132" "2b",		/* '+' */
			"0105023120",			/* a space */
		};
		unsigned int k;

		for (k = 0; k < ARRAY_SIZE(bad_orig); k++) {
			int n = osmo_hexparse(bad_orig[k], in, sizeof(in));

			CU_ASSERT_FATAL(n > 0);
			CU_ASSERT_EQUAL(sigtoken_decode(&t, in, n), -EBADMSG);
			CU_ASSERT(!t.has_orig);
		}
	}
}

static void test_uuid(void)
{
	uint8_t u[SIGTOKEN_UUID_LEN];
	char s[SIGTOKEN_UUID_STR_LEN];

	CU_ASSERT_EQUAL(sigtoken_uuid_from_str(u, "8F4E1A2B-0C3D-4E5F-9A6B-7C8D9E0F1A2B"), 0);
	CU_ASSERT(memcmp(u, "\x8f\x4e\x1a\x2b\x0c\x3d\x4e\x5f\x9a\x6b\x7c\x8d\x9e\x0f\x1a\x2b", 16) == 0);
	CU_ASSERT_EQUAL(sigtoken_uuid_to_str(s, sizeof(s), u), 0);
	CU_ASSERT_STRING_EQUAL(s, "8f4e1a2b-0c3d-4e5f-9a6b-7c8d9e0f1a2b");
	CU_ASSERT_EQUAL(sigtoken_uuid_to_str(s, sizeof(s) - 1, u), -ENOSPC);
	CU_ASSERT_EQUAL(sigtoken_uuid_from_str(u, "8f4e1a2b-0c3d-4e5f-9a6b-7c8d9e0f1a2"), -EINVAL);
	CU_ASSERT_EQUAL(sigtoken_uuid_from_str(u, "8f4e1a2b-0c3d-4e5f-9a6b-7c8d9e0f1a2bb"), -EINVAL);
	CU_ASSERT_EQUAL(sigtoken_uuid_from_str(u, "8f4e1a2b0c3d-4e5f-9a6b-7c8d9e0f1a2b-"), -EINVAL);
	CU_ASSERT_EQUAL(sigtoken_uuid_from_str(u, "8f4e1a2b-0c3d-4e5f-9a6b-7c8d9e0f1a2g"), -EINVAL);
	CU_ASSERT_EQUAL(sigtoken_uuid_from_str(u, ""), -EINVAL);
}

static void test_numbers(void)
{
	static const struct {
		uint8_t nai;
		const char *digits, *cc;
		int rc;
		const char *e164;
	} v[] = {
		{ ISUP_NAI_INTERNATIONAL, "4930123456", "49", 0, "4930123456" },
		{ ISUP_NAI_INTERNATIONAL, "4930123456", NULL, 0, "4930123456" },
		{ ISUP_NAI_INTERNATIONAL, "4930123456F", NULL, 0, "4930123456" },
		{ ISUP_NAI_NATIONAL, "30123456", "49", 0, "4930123456" },
		{ ISUP_NAI_NATIONAL, "2025550100", "1", 0, "12025550100" },
		{ ISUP_NAI_NATIONAL, "30123456", NULL, -EDOM, "" },
		{ ISUP_NAI_NATIONAL, "30123456", "4x", -EDOM, "" },
		{ ISUP_NAI_NATIONAL, "3012345678901", "49", 0, "493012345678901" },
		{ ISUP_NAI_NATIONAL, "30123456789012", "49", -EDOM, "" },
		{ ISUP_NAI_INTERNATIONAL, "4930123456789012", NULL, -EDOM, "" },
		{ ISUP_NAI_SUBSCRIBER, "123456", "49", -EDOM, "" },
		{ ISUP_NAI_UNKNOWN, "004930123456", "49", -EDOM, "" },
		{ 5, "123", "49", -EDOM, "" },
		{ ISUP_NAI_INTERNATIONAL, "49301B3456", NULL, -EDOM, "" },
		{ ISUP_NAI_INTERNATIONAL, "", NULL, -EDOM, "" },
		{ ISUP_NAI_INTERNATIONAL, "F", NULL, -EDOM, "" },
	};
	struct isup_number num;
	char out[SIGTOKEN_E164_MAX + 1];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		memset(&num, 0, sizeof(num));
		num.nai = v[i].nai;
		osmo_strlcpy(num.digits, v[i].digits, sizeof(num.digits));
		CU_ASSERT_EQUAL(sigtoken_number_e164(out, sizeof(out), &num, v[i].cc), v[i].rc);
		CU_ASSERT_STRING_EQUAL(out, v[i].e164);
	}
	num.nai = ISUP_NAI_INTERNATIONAL;
	osmo_strlcpy(num.digits, "4930123456", sizeof(num.digits));
	CU_ASSERT_EQUAL(sigtoken_number_e164(out, 10, &num, NULL), -ENOSPC);
}

/* ------------------------------------------------------------------------ */

static EVP_PKEY *key_a, *key_b;
static struct sigtoken_key *sk_a, *sk_b, *pk_a;

static void build_iam(struct isup_msg *m, const char *called, const char *calling,
		      const char *addl, uint8_t apri)
{
	struct isup_param *p;

	CU_ASSERT_FATAL(isup_msg_init(m, ISUP_MSG_IAM, 21) == 0);
	p = isup_msg_param_find(m, ISUP_PAR_FCI);
	p->u.fci.international = 1;
	p->u.fci.isup = 1;
	p = isup_msg_param_find(m, ISUP_PAR_CPC);
	p->u.u8 = 0x0a;
	p = isup_msg_param_find(m, ISUP_PAR_CALLED_PARTY_NUMBER);
	p->u.number.nai = ISUP_NAI_INTERNATIONAL;
	p->u.number.npi = 1;
	osmo_strlcpy(p->u.number.digits, called, sizeof(p->u.number.digits));
	p = isup_msg_opt_add(m, ISUP_PAR_CALLING_PARTY_NUMBER);
	p->u.number.nai = ISUP_NAI_INTERNATIONAL;
	p->u.number.npi = 1;
	p->u.number.apri = apri;
	p->u.number.si = ISUP_SI_NETWORK_PROVIDED;
	osmo_strlcpy(p->u.number.digits, calling, sizeof(p->u.number.digits));
	if (addl) {
		p = isup_msg_opt_add(m, ISUP_PAR_GENERIC_NUMBER);
		p->u.number.qualifier = ISUP_NQ_ADDITIONAL_CALLING;
		p->u.number.nai = ISUP_NAI_NATIONAL;
		p->u.number.npi = 1;
		osmo_strlcpy(p->u.number.digits, addl, sizeof(p->u.number.digits));
	}
}

static void full_token(struct sigtoken *t, size_t x5u_len)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	t->has_passport = true;
	t->passport.attest = 'A';
	t->passport.iat = 1700000000;
	CU_ASSERT(sigtoken_uuid_from_str(t->passport.origid, "8f4e1a2b-0c3d-4e5f-9a6b-7c8d9e0f1a2b") == 0);
	memcpy(t->passport.x5u, "https://cert.example.org/", 25);
	for (i = 25; i < x5u_len; i++)
		t->passport.x5u[i] = 'a' + i % 26;
	t->passport.x5u_len = x5u_len;
	t->passport.x5u[x5u_len] = '\0';
	for (i = 0; i < SIGTOKEN_SIG_LEN; i++)
		t->passport.sig[i] = i;
	t->has_verdict = true;
	t->verdict.verstat = SIGTOKEN_VERSTAT_PASSED;
}

/* a DIV TLV diverted from \a div with an x5u of \a x5u_len octets */
static void div_tlv(struct sigtoken_div *d, const char *div, size_t x5u_len)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	d->iat = 1700000050;
	d->div_len = strlen(div);
	memcpy(d->div, div, d->div_len);
	memcpy(d->x5u, "https://cert.example.org/", 25);
	for (i = 25; i < x5u_len; i++)
		d->x5u[i] = 'A' + i % 26;
	d->x5u_len = x5u_len;
	for (i = 0; i < SIGTOKEN_SIG_LEN; i++)
		d->sig[i] = 0xa0 ^ i;
}

static const struct sigtoken_call call0 = {
	.orig = "4930123456", .apri = ISUP_APRI_ALLOWED, .dest = "12025550100", .addl = "4915550001",
};

static void test_keys(void)
{
	uint8_t kid[KEYID_LEN];

	CU_ASSERT_PTR_NOT_NULL_FATAL(sk_a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pk_a);
	CU_ASSERT(memcmp(sigtoken_key_id(sk_a), sigtoken_key_id(pk_a), KEYID_LEN) == 0);
	CU_ASSERT(memcmp(sigtoken_key_id(sk_a), sigtoken_key_id(sk_b), KEYID_LEN) != 0);
	CU_ASSERT(keyid_from_pkey(kid, key_a) == 0);
	CU_ASSERT(memcmp(kid, sigtoken_key_id(sk_a), KEYID_LEN) == 0);
	/* not P-256 */
	{
		EVP_PKEY *p384 = EVP_EC_gen("P-384");

		CU_ASSERT_PTR_NOT_NULL_FATAL(p384);
		CU_ASSERT_PTR_NULL(sigtoken_key_alloc(ctx, p384));
		EVP_PKEY_free(p384);
	}
	CU_ASSERT_PTR_NULL(sigtoken_key_alloc(ctx, NULL));
}

/* Each change of a signed field must break the signature. */
static void test_sign_verify(void)
{
	struct sigtoken t, u;
	struct sigtoken_call c;
	unsigned int i;

	full_token(&t, 40);
	CU_ASSERT_EQUAL_FATAL(sigtoken_hop_sign(&t, sk_a, 1700000100, &call0), 0);
	CU_ASSERT(t.has_hop);
	CU_ASSERT_EQUAL(t.hop.alg, 1);
	CU_ASSERT_EQUAL(t.hop.iat, 1700000100);
	CU_ASSERT(memcmp(t.hop.key_id, sigtoken_key_id(sk_a), KEYID_LEN) == 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&t, pk_a, &call0), 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&t, sk_a, &call0), 0);
	/* a public key cannot sign */
	u = t;
	CU_ASSERT_EQUAL(sigtoken_hop_sign(&u, pk_a, 1700000100, &call0), -EINVAL);
	/* unknown key: the key-id says so, the caller picks the key by it */
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&t, sk_b, &call0), -EKEYREJECTED);
	/* another key under the same key-id: the signature fails */
	u = t;
	memcpy(u.hop.key_id, sigtoken_key_id(sk_b), KEYID_LEN);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&u, sk_b, &call0), -EBADMSG);
	u = t;
	u.has_hop = false;
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&u, pk_a, &call0), -ENOENT);
	u = t;
	u.hop.alg = 2;
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&u, pk_a, &call0), -ENOTSUP);

#define TAMPER(stmt) do { \
		u = t; c = call0; stmt; \
		if (sigtoken_hop_verify(&u, pk_a, &c) != -EBADMSG) { \
			fprintf(stderr, "tampered '%s' still verifies\n", #stmt); \
			CU_FAIL(#stmt); \
		} \
	} while (0)
	TAMPER(c.orig[9] = '7');
	TAMPER(c.orig[9] = '\0');
	TAMPER(c.apri = ISUP_APRI_RESTRICTED);
	TAMPER(c.dest[10] = '1');
	TAMPER(osmo_strlcpy(c.dest, "120255501000", sizeof(c.dest)));
	TAMPER(c.addl[0] = '\0');
	TAMPER(c.addl[3] = '6');
	TAMPER(u.hop.iat++);
	TAMPER(u.passport.attest = 'B');
	TAMPER(u.passport.iat--);
	TAMPER(u.passport.origid[15] ^= 1);
	TAMPER(u.passport.x5u[30] = 'Z');
	TAMPER(u.passport.x5u_len--);
	TAMPER(u.passport.sig[63] ^= 0x80);
	TAMPER(u.has_passport = false);
	TAMPER(u.verdict.verstat = SIGTOKEN_VERSTAT_NO_VALIDATION);
	TAMPER(u.verdict.verstat = SIGTOKEN_VERSTAT_FAILED; u.verdict.reason = 438);
	TAMPER(u.has_verdict = false);
	/* a BIND added to a HOP that had none */
	TAMPER(sigtoken_bind_set(&u, "ZZ-OP2"));
	for (i = 0; i < SIGTOKEN_SIG_LEN * 8; i += 7)
		TAMPER(u.hop.sig[i / 8] ^= 1 << (i % 8));
	/* R = 0 or S = 0 is no signature at all */
	TAMPER(memset(u.hop.sig, 0, 32));
	TAMPER(memset(u.hop.sig + 32, 0, 32));
	TAMPER(memset(u.hop.sig, 0xff, 64));
#undef TAMPER
	/* ARCHITECTURE §2.2 BIND: HOP covers it when present */
	full_token(&t, 40);
	CU_ASSERT_EQUAL_FATAL(sigtoken_bind_set(&t, "ZZ-OP2"), 0);
	CU_ASSERT_EQUAL_FATAL(sigtoken_hop_sign(&t, sk_a, 1700000100, &call0), 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&t, pk_a, &call0), 0);
	{
		uint8_t buf[SIGTOKEN_MAX_LEN];
		int n = sigtoken_encode(buf, sizeof(buf), &t);

		/* through the codec, and the longest token still fits the bound */
		CU_ASSERT_FATAL(n > 0);
		CU_ASSERT_EQUAL(sigtoken_decode(&u, buf, (size_t)n), n);
		CU_ASSERT_EQUAL(sigtoken_hop_verify(&u, pk_a, &call0), 0);
		/* a verifier that skips BIND (one that does not know it) sees
		 * no valid HOP: binding is for peers that know it */
		u.has_bind = false;
		CU_ASSERT_EQUAL(sigtoken_hop_verify(&u, pk_a, &call0), -EBADMSG);
	}
#define TAMPER(stmt) do { \
		u = t; c = call0; stmt; \
		if (sigtoken_hop_verify(&u, pk_a, &c) != -EBADMSG) { \
			fprintf(stderr, "tampered '%s' still verifies\n", #stmt); \
			CU_FAIL(#stmt); \
		} \
	} while (0)
	TAMPER(u.has_bind = false);
	TAMPER(sigtoken_bind_set(&u, "ZZ-OP3"));
	TAMPER(sigtoken_bind_set(&u, "ZZ-OP"));
	TAMPER(sigtoken_bind_set(&u, "ZZ-OP22"));
	TAMPER(u.bind.net[0] = 'Y');
#undef TAMPER
	/* ORIG in an IAM: HOP covers it as it covers BIND (sigtoken.h) */
	full_token(&t, 40);
	CU_ASSERT_EQUAL_FATAL(sigtoken_orig_set(&t, "491700000002"), 0);
	CU_ASSERT_EQUAL_FATAL(sigtoken_hop_sign(&t, sk_a, 1700000100, &call0), 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&t, pk_a, &call0), 0);
	u = t;
	u.has_orig = false;
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&u, pk_a, &call0), -EBADMSG);
	u = t;
	u.orig.digits[11] = '3';
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&u, pk_a, &call0), -EBADMSG);
	u = t;
	CU_ASSERT_EQUAL(sigtoken_orig_set(&u, "49170000000"), 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&u, pk_a, &call0), -EBADMSG);
	/* and a HOP signed without it does not take one added */
	full_token(&u, 40);
	CU_ASSERT_EQUAL_FATAL(sigtoken_hop_sign(&u, sk_a, 1700000100, &call0), 0);
	CU_ASSERT_EQUAL(sigtoken_orig_set(&u, "491700000002"), 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&u, pk_a, &call0), -EBADMSG);
	/* DIV (ARCHITECTURE §2.2): HOP covers it by its hash */
	full_token(&t, 40);
	div_tlv(&t.div, "4930111", 40);
	t.has_div = true;
	CU_ASSERT_EQUAL_FATAL(sigtoken_hop_sign(&t, sk_a, 1700000100, &call0), 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&t, pk_a, &call0), 0);
#define TAMPER(stmt) do { \
		u = t; c = call0; stmt; \
		if (sigtoken_hop_verify(&u, pk_a, &c) != -EBADMSG) { \
			fprintf(stderr, "tampered '%s' still verifies\n", #stmt); \
			CU_FAIL(#stmt); \
		} \
	} while (0)
	TAMPER(u.has_div = false);
	TAMPER(u.div.iat++);
	TAMPER(u.div.div[6] = '2');
	TAMPER(u.div.x5u[30] ^= 1);
	TAMPER(u.div.sig[63] ^= 1);
	TAMPER(div_tlv(&u.div, "4930112", 40));
#undef TAMPER
	/* a HOP signed without DIV does not take one added: a DIV cannot be
	 * slipped into a token on the way */
	full_token(&u, 40);
	CU_ASSERT_EQUAL_FATAL(sigtoken_hop_sign(&u, sk_a, 1700000100, &call0), 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&u, pk_a, &call0), 0);
	u.div = t.div;
	u.has_div = true;
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&u, pk_a, &call0), -EBADMSG);
	{
		uint8_t buf[SIGTOKEN_MAX_LEN];
		int n;

		/* the longest token: all six TLVs at their longest is the bound */
		full_token(&t, SIGTOKEN_X5U_MAX);
		CU_ASSERT_EQUAL(sigtoken_bind_set(&t, "12345678901234567890123456789012"), 0);
		CU_ASSERT_EQUAL(sigtoken_orig_set(&t, "123456789012345"), 0);
		div_tlv(&t.div, "123456789012345", SIGTOKEN_X5U_MAX);
		t.has_div = true;
		CU_ASSERT_EQUAL_FATAL(sigtoken_hop_sign(&t, sk_a, 1700000100, &call0), 0);
		n = sigtoken_encode(buf, sizeof(buf), &t);
		CU_ASSERT_EQUAL_FATAL(n, SIGTOKEN_MAX_LEN);
		CU_ASSERT_EQUAL(sigtoken_decode(&u, buf, (size_t)n), n);
		CU_ASSERT_EQUAL(sigtoken_hop_verify(&u, pk_a, &call0), 0);
	}

	/* the key-id is signed too: moving it is caught before the signature */
	u = t;
	u.hop.key_id[0] ^= 1;
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&u, pk_a, &call0), -EKEYREJECTED);

	/* no PASSPORT, no VERDICT, no calling number */
	memset(&t, 0, sizeof(t));
	memset(&c, 0, sizeof(c));
	osmo_strlcpy(c.dest, "4930123456", sizeof(c.dest));
	c.apri = ISUP_APRI_NOT_AVAILABLE;
	CU_ASSERT_EQUAL(sigtoken_hop_sign(&t, sk_a, 5, &c), 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&t, pk_a, &c), 0);
	c.apri = ISUP_APRI_ALLOWED;
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&t, pk_a, &c), -EBADMSG);
	/* a number that is not E.164 digits is refused, not signed */
	osmo_strlcpy(c.dest, "12A4", sizeof(c.dest));
	CU_ASSERT_EQUAL(sigtoken_hop_sign(&t, sk_a, 5, &c), -EINVAL);
}

static void test_tsca_cert(void)
{
	EVP_PKEY *k = testpki_key("tsca/op1-full.key");
	X509 *x = testpki_cert("tsca/op1-full.pem");
	X509 *other = testpki_cert("tsca/op2-full.pem");
	struct sigtoken_key *signer, *verifier, *wrong;
	uint8_t kid[KEYID_LEN];
	struct sigtoken t;

	CU_ASSERT_FATAL(k && x && other);
	signer = sigtoken_key_alloc(ctx, k);
	verifier = sigtoken_key_alloc_x509(ctx, x);
	wrong = sigtoken_key_alloc_x509(ctx, other);
	CU_ASSERT_FATAL(signer && verifier && wrong);
	/* ARCHITECTURE §3: key-id over the certificate's SubjectPublicKeyInfo */
	CU_ASSERT(keyid_from_x509(kid, x) == 0);
	CU_ASSERT(memcmp(kid, sigtoken_key_id(verifier), KEYID_LEN) == 0);
	CU_ASSERT(memcmp(kid, sigtoken_key_id(signer), KEYID_LEN) == 0);
	full_token(&t, 60);
	CU_ASSERT_EQUAL(sigtoken_hop_sign(&t, signer, 1700000000, &call0), 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&t, verifier, &call0), 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&t, wrong, &call0), -EKEYREJECTED);
	talloc_free(signer);
	talloc_free(verifier);
	talloc_free(wrong);
	EVP_PKEY_free(k);
	X509_free(x);
	X509_free(other);
}

/* A copy of a prepared key signs and verifies as the original does, on a
 * thread of its own, and outlives the original. */
static void *dup_sign_thread(void *arg)
{
	struct sigtoken_key *k = arg;
	struct sigtoken t;
	unsigned int i;
	intptr_t bad = 0;

	for (i = 0; i < 50; i++) {
		full_token(&t, 40);
		if (sigtoken_hop_sign(&t, k, 1700000100 + i, &call0) != 0)
			bad++;
	}
	return (void *)bad;
}

static void test_key_dup(void)
{
	struct sigtoken_key *orig = sigtoken_key_alloc(ctx, key_a);
	struct sigtoken_key *d1, *d2, *pd;
	struct sigtoken t;
	pthread_t th[2];
	void *ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(orig);
	CU_ASSERT_PTR_NULL(sigtoken_key_dup(ctx, NULL));
	d1 = sigtoken_key_dup(ctx, orig);
	d2 = sigtoken_key_dup(ctx, orig);
	pd = sigtoken_key_dup(ctx, pk_a);
	CU_ASSERT_FATAL(d1 && d2 && pd);
	CU_ASSERT(memcmp(sigtoken_key_id(d1), sigtoken_key_id(orig), KEYID_LEN) == 0);
	CU_ASSERT(memcmp(sigtoken_key_id(pd), sigtoken_key_id(orig), KEYID_LEN) == 0);
	/* two copies sign at once on two threads */
	CU_ASSERT_EQUAL_FATAL(pthread_create(&th[0], NULL, dup_sign_thread, d1), 0);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&th[1], NULL, dup_sign_thread, d2), 0);
	CU_ASSERT(pthread_join(th[0], &ret) == 0 && ret == NULL);
	CU_ASSERT(pthread_join(th[1], &ret) == 0 && ret == NULL);
	/* the original goes; its copies still work, and verify each other */
	talloc_free(orig);
	full_token(&t, 40);
	CU_ASSERT_EQUAL(sigtoken_hop_sign(&t, d1, 1700000100, &call0), 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&t, d2, &call0), 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&t, pd, &call0), 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&t, sk_b, &call0), -EKEYREJECTED);
	/* a copy of a public key cannot sign either */
	CU_ASSERT_EQUAL(sigtoken_hop_sign(&t, pd, 1700000100, &call0), -EINVAL);
	talloc_free(d1);
	talloc_free(d2);
	talloc_free(pd);
}

static void test_iat_window(void)
{
	CU_ASSERT_EQUAL(sigtoken_iat_check(1000, 1000, 60, 0), 0);
	CU_ASSERT_EQUAL(sigtoken_iat_check(940, 1000, 60, 0), 0);
	CU_ASSERT_EQUAL(sigtoken_iat_check(939, 1000, 60, 0), -ETIMEDOUT);
	CU_ASSERT_EQUAL(sigtoken_iat_check(1001, 1000, 60, 0), -ERANGE);
	/* skew widens both ends */
	CU_ASSERT_EQUAL(sigtoken_iat_check(935, 1000, 60, 5), 0);
	CU_ASSERT_EQUAL(sigtoken_iat_check(934, 1000, 60, 5), -ETIMEDOUT);
	CU_ASSERT_EQUAL(sigtoken_iat_check(1005, 1000, 60, 5), 0);
	CU_ASSERT_EQUAL(sigtoken_iat_check(1006, 1000, 60, 5), -ERANGE);
	/* no wrap at the ends of the ranges */
	CU_ASSERT_EQUAL(sigtoken_iat_check(0xffffffff, 1000, 60, 5), -ERANGE);
	CU_ASSERT_EQUAL(sigtoken_iat_check(0, 1000, 60, 5), -ETIMEDOUT);
	CU_ASSERT_EQUAL(sigtoken_iat_check(0, 0, 60, 5), 0);
}

/* (R, n - S) is the other valid ECDSA signature of the same message */
static void malleate(uint8_t sig[SIGTOKEN_SIG_LEN])
{
	BIGNUM *n = NULL, *s = BN_bin2bn(sig + 32, 32, NULL);
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);

	CU_ASSERT_FATAL(s && g);
	n = BN_dup(EC_GROUP_get0_order(g));
	CU_ASSERT_FATAL(n && BN_sub(s, n, s));
	CU_ASSERT(BN_bn2binpad(s, sig + 32, 32) == 32);
	BN_free(n);
	BN_free(s);
	EC_GROUP_free(g);
}

static void test_replay(void)
{
	struct sigtoken_replay *rc = sigtoken_replay_alloc(ctx, 60, 5, 3);
	struct sigtoken t[5], m;
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
	CU_ASSERT_PTR_NULL(sigtoken_replay_alloc(ctx, 60, 5, 0));
	for (i = 0; i < 5; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		CU_ASSERT_FATAL(sigtoken_hop_sign(&t[i], sk_a, 1000 + i, &call0) == 0);
	}
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &t[0].hop, 1000), 0);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &t[0].hop, 1000), -EALREADY);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &t[0].hop, 1060), -EALREADY);

	/* the malleated signature verifies, and is still a replay */
	m = t[0];
	malleate(m.hop.sig);
	CU_ASSERT(memcmp(m.hop.sig, t[0].hop.sig, 64) != 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&m, pk_a, &call0), 0);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &m.hop, 1001), -EALREADY);

	/* the same signature under another key-id is another entry */
	m = t[0];
	memcpy(m.hop.key_id, sigtoken_key_id(sk_b), KEYID_LEN);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &m.hop, 1001), 0);
	CU_ASSERT_EQUAL(sigtoken_replay_count(rc), 2);

	/* out of the window: refused by time, not remembered */
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &t[4].hop, 1004 + 66), -ETIMEDOUT);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &t[4].hop, 1004 - 6), -ERANGE);
	CU_ASSERT_EQUAL(sigtoken_replay_count(rc), 2);

	/* full of live entries: fail closed */
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &t[1].hop, 1010), 0);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &t[2].hop, 1010), -ENOSPC);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &t[1].hop, 1010), -EALREADY);
	/* t[0] and its twin expire after 1000 + 65: room again */
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &t[2].hop, 1066), 0);
	CU_ASSERT_EQUAL(sigtoken_replay_count(rc), 2);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &t[3].hop, 1066), 0);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &t[1].hop, 1066), -EALREADY);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &t[2].hop, 1066), -EALREADY);
	talloc_free(rc);

	/* many entries: all found again, none lost in the probing */
	rc = sigtoken_replay_alloc(ctx, 60, 0, 1000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
	for (i = 0; i < 1000; i++) {
		memset(&m, 0, sizeof(m));
		m.hop.iat = 5000;
		memcpy(m.hop.sig, &i, sizeof(i));
		CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &m.hop, 5000), 0);
	}
	m.hop.sig[0]++;
	m.hop.sig[31] = 1;
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &m.hop, 5000), -ENOSPC);
	for (i = 0; i < 1000; i++) {
		memset(&m, 0, sizeof(m));
		m.hop.iat = 5000;
		memcpy(m.hop.sig, &i, sizeof(i));
		CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &m.hop, 5001), -EALREADY);
	}
	talloc_free(rc);
}

/* After a restart the cache is empty: without a shared store, the HOPs
 * that may have been seen before the start are refused (startup quiet),
 * those signed after it pass; with a shared store behind, no quiet. */
static void test_replay_restart(void)
{
	struct sigtoken_replay *before = sigtoken_replay_alloc(ctx, 60, 5, 16), *after;
	struct sigtoken t[4];
	unsigned int i;
	const time_t start = 2000;

	CU_ASSERT_PTR_NOT_NULL_FATAL(before);
	for (i = 0; i < 4; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		/* iat 1990, 2004, 2005, 2030 */
		CU_ASSERT_FATAL(sigtoken_hop_sign(&t[i], sk_a, i == 0 ? 1990 : i == 1 ? 2004 : i == 2 ? 2005 : 2030,
						  &call0) == 0);
	}
	/* the instance before the restart accepted t[0] at 1995 and t[1]
	 * (5 s ahead of its clock) at 1999 */
	CU_ASSERT_EQUAL(sigtoken_replay_check(before, &t[0].hop, 1995), 0);
	CU_ASSERT_EQUAL(sigtoken_replay_check(before, &t[1].hop, 1999), 0);
	talloc_free(before);

	/* a new instance without the quiet: both replays pass (the hole) */
	after = sigtoken_replay_alloc(ctx, 60, 5, 16);
	CU_ASSERT_PTR_NOT_NULL_FATAL(after);
	CU_ASSERT_EQUAL(sigtoken_replay_check(after, &t[0].hop, start + 1), 0);
	CU_ASSERT_EQUAL(sigtoken_replay_check(after, &t[1].hop, start + 1), 0);
	talloc_free(after);

	/* with it: every iat before start + skew is refused, and not kept */
	after = sigtoken_replay_alloc(ctx, 60, 5, 16);
	CU_ASSERT_PTR_NOT_NULL_FATAL(after);
	CU_ASSERT(!sigtoken_replay_quiet(after, start));
	sigtoken_replay_set_quiet(after, start);
	CU_ASSERT(sigtoken_replay_quiet(after, start));
	CU_ASSERT_EQUAL(sigtoken_replay_check(after, &t[0].hop, start + 1), -ESTALE);
	CU_ASSERT_EQUAL(sigtoken_replay_check(after, &t[1].hop, start + 1), -ESTALE);
	CU_ASSERT_EQUAL(sigtoken_replay_count(after), 0);
	/* signed after the start (iat >= start + skew): accepted at once */
	CU_ASSERT_EQUAL(sigtoken_replay_check(after, &t[2].hop, start + 1), 0);
	CU_ASSERT_EQUAL(sigtoken_replay_check(after, &t[2].hop, start + 2), -EALREADY);
	CU_ASSERT_EQUAL(sigtoken_replay_check(after, &t[3].hop, start + 30), 0);
	/* one window later nothing from before the start is acceptable
	 * anyway: the quiet is over */
	CU_ASSERT(sigtoken_replay_quiet(after, start + 5 + 60 + 5));
	CU_ASSERT(!sigtoken_replay_quiet(after, start + 5 + 60 + 5 + 1));
	CU_ASSERT_EQUAL(sigtoken_replay_check(after, &t[1].hop, start + 5 + 60 + 5 + 1), -ETIMEDOUT);

	/* a shared store behind: no quiet, the local cache still answers
	 * first (the store is asked by the caller, src/core/replay_store.h) */
	sigtoken_replay_set_shared(after, true);
	CU_ASSERT(!sigtoken_replay_quiet(after, start));
	CU_ASSERT_EQUAL(sigtoken_replay_check(after, &t[0].hop, start + 1), 0);
	CU_ASSERT_EQUAL(sigtoken_replay_check(after, &t[0].hop, start + 2), -EALREADY);
	talloc_free(after);
}

/* A HOP forgotten after a re-routable release may come again, once; the
 * others stay remembered, and probing still finds entries past it. */
static void test_replay_forget(void)
{
	struct sigtoken_replay *rc = sigtoken_replay_alloc(ctx, 60, 0, 4);
	struct sigtoken m[3];
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
	for (i = 0; i < 3; i++) {
		memset(&m[i], 0, sizeof(m[i]));
		m[i].hop.iat = 1000;
		/* the same first octets: the same slot, a probing chain */
		m[i].hop.sig[31] = (uint8_t)i + 1;
		CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &m[i].hop, 1000), 0);
	}
	CU_ASSERT_EQUAL(sigtoken_replay_count(rc), 3);
	sigtoken_replay_forget(rc, &m[0].hop);
	CU_ASSERT_EQUAL(sigtoken_replay_count(rc), 2);
	/* forgetting twice, or what was never there, changes nothing */
	sigtoken_replay_forget(rc, &m[0].hop);
	CU_ASSERT_EQUAL(sigtoken_replay_count(rc), 2);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &m[1].hop, 1001), -EALREADY);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &m[2].hop, 1001), -EALREADY);
	/* the forgotten one passes once more, and is then remembered again */
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &m[0].hop, 1001), 0);
	CU_ASSERT_EQUAL(sigtoken_replay_count(rc), 3);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &m[0].hop, 1002), -EALREADY);
	talloc_free(rc);
}

/* A hop whose R starts with \a i (distinct slots), iat 5000 */
static void numbered_hop(struct sigtoken *m, unsigned int i)
{
	memset(m, 0, sizeof(*m));
	m->hop.iat = 5000;
	memcpy(m->hop.sig, &i, sizeof(i));
}

/* The cache holds the table its traffic needs, not the one its bound
 * allows: a node that sees no HOP keeps a few kB instead of 12 MB at the
 * default bound; the table grows with the signatures inside the window
 * and every one of them is still found. */
static void test_replay_grow(void)
{
	struct sigtoken_replay *rc = sigtoken_replay_alloc(ctx, 60, 0, 65536);
	struct sigtoken m;
	size_t idle, grown;
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
	idle = talloc_total_size(rc);
	/* two tables of 256 slots of 48 octets */
	CU_ASSERT(idle < 32 * 1024);
	for (i = 0; i < 20000; i++) {
		numbered_hop(&m, i);
		CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &m.hop, 5000), 0);
	}
	CU_ASSERT_EQUAL(sigtoken_replay_count(rc), 20000);
	grown = talloc_total_size(rc);
	/* 65,536 slots (at most half of them in use), twice over: 6 MB,
	 * where the full bound would be 12 MB */
	CU_ASSERT(grown > 40000 * 48 && grown <= 2 * 65536 * 48 + 4096);
	for (i = 0; i < 20000; i++) {
		numbered_hop(&m, i);
		CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &m.hop, 5001), -EALREADY);
	}
	/* growing drops what left the window: these expired at 5060 */
	for (i = 20000; i < 40000; i++) {
		numbered_hop(&m, i);
		m.hop.iat = 5100;
		CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &m.hop, 5100), 0);
	}
	CU_ASSERT(sigtoken_replay_count(rc) <= 40000);
	CU_ASSERT(talloc_total_size(rc) == grown);
	talloc_free(rc);
}

/* Forgotten signatures keep their slot until a sweep; however many are
 * forgotten, a check ends (refused at worst until the next second's
 * sweep) and what is live is still found. */
static void test_replay_forget_many(void)
{
	struct sigtoken_replay *rc = sigtoken_replay_alloc(ctx, 60, 0, 8);
	struct sigtoken m, keep;
	unsigned int i, refused = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
	numbered_hop(&keep, 100000);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &keep.hop, 5000), 0);
	/* 16 slots; 200 signatures remembered and forgotten in one second */
	for (i = 0; i < 200; i++) {
		int ret;

		numbered_hop(&m, i);
		ret = sigtoken_replay_check(rc, &m.hop, 5000);
		CU_ASSERT(ret == 0 || ret == -ENOSPC);
		if (ret == 0)
			sigtoken_replay_forget(rc, &m.hop);
		else
			refused++;
	}
	CU_ASSERT(refused > 0);
	CU_ASSERT_EQUAL(sigtoken_replay_count(rc), 1);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &keep.hop, 5000), -EALREADY);
	/* the next second's sweep makes room again */
	numbered_hop(&m, 100001);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &m.hop, 5001), 0);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &keep.hop, 5001), -EALREADY);
	CU_ASSERT_EQUAL(sigtoken_replay_count(rc), 2);
	talloc_free(rc);
}

/* Sign an IAM, send it through the codec (and SGM when it is long), get
 * the token and the call identity back, verify. */
static void roundtrip_iam(size_t x5u_len, bool want_sgm, bool with_div)
{
	struct isup_msg *m = talloc_zero(ctx, struct isup_msg), *first = talloc_zero(ctx, struct isup_msg);
	struct isup_msg *sgm = talloc_zero(ctx, struct isup_msg), *rx = talloc_zero(ctx, struct isup_msg);
	struct isup_msg *rx2 = talloc_zero(ctx, struct isup_msg);
	uint8_t out1[512], out2[512];
	struct sigtoken t, got;
	struct sigtoken_call c, rc_call;
	const struct isup_param *p;
	int len1, len2, rc;

	CU_ASSERT_FATAL(m && first && sgm && rx && rx2);
	build_iam(m, "12025550100", "4930123456", "15550001", ISUP_APRI_ALLOWED);
	CU_ASSERT_EQUAL_FATAL(sigtoken_call_from_iam(&c, m, "49"), 0);
	CU_ASSERT_STRING_EQUAL(c.orig, "4930123456");
	CU_ASSERT_STRING_EQUAL(c.dest, "12025550100");
	CU_ASSERT_STRING_EQUAL(c.addl, "4915550001");
	CU_ASSERT_EQUAL(c.apri, ISUP_APRI_ALLOWED);
	full_token(&t, x5u_len);
	if (with_div) {
		div_tlv(&t.div, "12025550199", x5u_len);
		t.has_div = true;
	}
	CU_ASSERT_EQUAL_FATAL(sigtoken_hop_sign(&t, sk_a, 1700000000, &c), 0);
	CU_ASSERT_EQUAL_FATAL(sigtoken_iam_put(m, &t, SIGTOKEN_ACI_DEFAULT), 0);
	p = isup_msg_param_find_c(m, ISUP_PAR_PCI);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(p->u.pci.num, 1);
	CU_ASSERT_EQUAL(p->u.pci.entry[0].code, ISUP_PAR_APP_TRANSPORT);
	CU_ASSERT_EQUAL(p->u.pci.entry[0].instr[0] & (ISUP_PCI_RELEASE_CALL | ISUP_PCI_DISCARD_MESSAGE |
						      ISUP_PCI_DISCARD_PARAM), 0);
	p = isup_msg_param_find_c(m, ISUP_PAR_APP_TRANSPORT);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(p->u.app.aci, 90);
	CU_ASSERT_EQUAL(p->u.app.sni, 0);
	CU_ASSERT_EQUAL(p->u.app.rci, 0);
	CU_ASSERT_EQUAL(p->u.app.si, 1);
	CU_ASSERT(p->u.app.info[0] == 0 && p->u.app.info[1] == 0 && p->u.app.info[2] == SIGTOKEN_VERSION);

	rc = isup_msg_segment(m, ISUP_MTP3_SIF_MAX, first, sgm);
	CU_ASSERT_EQUAL_FATAL(rc, want_sgm ? 1 : 0);
	len1 = isup_msg_encode(out1, sizeof(out1), first);
	CU_ASSERT_FATAL(len1 > 0 && len1 + ISUP_MTP3_ROUTING_LABEL_LEN <= ISUP_MTP3_SIF_MAX);
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(rx, out1, len1), len1);
	if (want_sgm) {
		len2 = isup_msg_encode(out2, sizeof(out2), sgm);
		CU_ASSERT_FATAL(len2 > 0 && len2 + ISUP_MTP3_ROUTING_LABEL_LEN <= ISUP_MTP3_SIF_MAX);
		CU_ASSERT_EQUAL_FATAL(isup_msg_decode(rx2, out2, len2), len2);
		/* the first segment alone does not hold the whole token */
		CU_ASSERT_EQUAL(sigtoken_iam_get(&got, rx, SIGTOKEN_ACI_DEFAULT), -EBADMSG);
		CU_ASSERT_EQUAL_FATAL(isup_msg_reassemble(rx, rx2), 0);
	}
	/* a transit exchange changes the CIC: HOP does not sign it */
	rx->cic = 99;
	CU_ASSERT_EQUAL_FATAL(sigtoken_iam_get(&got, rx, SIGTOKEN_ACI_DEFAULT), 0);
	CU_ASSERT(memcmp(&got, &t, sizeof(t)) == 0);
	CU_ASSERT_EQUAL_FATAL(sigtoken_call_from_iam(&rc_call, rx, "49"), 0);
	CU_ASSERT(memcmp(&rc_call, &c, sizeof(c)) == 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&got, pk_a, &rc_call), 0);
	/* another country code changes the national additional number */
	CU_ASSERT_EQUAL_FATAL(sigtoken_call_from_iam(&rc_call, rx, "44"), 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&got, pk_a, &rc_call), -EBADMSG);
	/* another ACI is another application */
	CU_ASSERT_EQUAL(sigtoken_iam_get(&got, rx, 91), -ENOENT);
	CU_ASSERT(!got.has_hop);

	/* putting it again replaces the APP parameters and keeps one PCI entry */
	CU_ASSERT_EQUAL(sigtoken_iam_put(rx, &t, SIGTOKEN_ACI_DEFAULT), 0);
	CU_ASSERT_EQUAL(sigtoken_iam_get(&got, rx, SIGTOKEN_ACI_DEFAULT), 0);
	p = isup_msg_param_find_c(rx, ISUP_PAR_PCI);
	CU_ASSERT_EQUAL(p->u.pci.num, 1);
	talloc_free(m);
	talloc_free(first);
	talloc_free(sgm);
	talloc_free(rx);
	talloc_free(rx2);
}

/* A token of two APP parameters replaced by one of one: the IAM holds the
 * second alone, as many parameters as if built with it, the slot freed
 * cleared as the codec keeps free slots. */
static void test_iam_replace(void)
{
	struct isup_msg *m = talloc_zero(ctx, struct isup_msg), *want = talloc_zero(ctx, struct isup_msg);
	static const struct isup_param zero;
	struct sigtoken big, small, got;
	unsigned int n_big, i;

	CU_ASSERT_FATAL(m && want);
	build_iam(m, "12025550100", "4930123456", NULL, ISUP_APRI_ALLOWED);
	full_token(&big, SIGTOKEN_X5U_MAX);
	full_token(&small, 40);
	CU_ASSERT_EQUAL_FATAL(sigtoken_hop_sign(&big, sk_a, 1700000000, &call0), 0);
	CU_ASSERT_EQUAL_FATAL(sigtoken_hop_sign(&small, sk_a, 1700000001, &call0), 0);
	CU_ASSERT_EQUAL_FATAL(sigtoken_iam_put(m, &big, SIGTOKEN_ACI_DEFAULT), 0);
	n_big = m->num_opt;
	CU_ASSERT_EQUAL_FATAL(sigtoken_iam_put(m, &small, SIGTOKEN_ACI_DEFAULT), 0);
	CU_ASSERT_EQUAL(m->num_opt, n_big - 1);
	for (i = m->num_opt; i < ISUP_MAX_OPT; i++)
		CU_ASSERT(memcmp(&m->opt[i], &zero, sizeof(zero)) == 0);
	build_iam(want, "12025550100", "4930123456", NULL, ISUP_APRI_ALLOWED);
	CU_ASSERT_EQUAL_FATAL(sigtoken_iam_put(want, &small, SIGTOKEN_ACI_DEFAULT), 0);
	/* the same parameters, maybe in another order */
	CU_ASSERT_EQUAL(want->num_opt, m->num_opt);
	CU_ASSERT_EQUAL(sigtoken_iam_get(&got, m, SIGTOKEN_ACI_DEFAULT), 0);
	CU_ASSERT(memcmp(&got, &small, sizeof(small)) == 0);
	talloc_free(m);
	talloc_free(want);
}

static void test_iam_short(void)
{
	roundtrip_iam(40, false, false);
}

/* The longest x5u: the token takes two APP parameters, the IAM an SGM. */
static void test_iam_long_x5u(void)
{
	roundtrip_iam(SIGTOKEN_X5U_MAX, true, false);
}

/* a forwarded call's token (ARCHITECTURE §2.2 DIV) in APP segments and an SGM */
static void test_iam_div(void)
{
	roundtrip_iam(40, true, true);
}

static void test_iam_errors(void)
{
	struct isup_msg *m = talloc_zero(ctx, struct isup_msg);
	struct isup_param *p;
	struct sigtoken t, got;
	struct sigtoken_call c;
	unsigned int i;

	CU_ASSERT_FATAL(m != NULL);
	build_iam(m, "12025550100", "4930123456", NULL, ISUP_APRI_RESTRICTED);
	full_token(&t, SIGTOKEN_X5U_MAX);
	CU_ASSERT_EQUAL(sigtoken_hop_sign(&t, sk_a, 1, &call0), 0);
	CU_ASSERT_EQUAL(sigtoken_iam_put(m, &t, 63), -EINVAL);
	CU_ASSERT_EQUAL(sigtoken_iam_put(m, &t, 128), -EINVAL);
	CU_ASSERT_EQUAL(sigtoken_iam_get(&got, m, 90), -ENOENT);
	CU_ASSERT_EQUAL(sigtoken_iam_put(m, &t, 127), 0);
	CU_ASSERT_EQUAL(sigtoken_iam_get(&got, m, 127), 0);
	CU_ASSERT_EQUAL(sigtoken_iam_get(&got, m, 64), -ENOENT);
	/* two segments: drop the new sequence, then the last segment */
	for (i = 0; i < m->num_opt; i++) {
		if (m->opt[i].code == ISUP_PAR_APP_TRANSPORT && m->opt[i].u.app.si)
			break;
	}
	CU_ASSERT_FATAL(i < m->num_opt);
	m->opt[i].u.app.si = 0;
	CU_ASSERT_EQUAL(sigtoken_iam_get(&got, m, 127), -EBADMSG);
	m->opt[i].u.app.si = 1;
	m->opt[i].u.app.apm_seg = 2;
	CU_ASSERT_EQUAL(sigtoken_iam_get(&got, m, 127), -EBADMSG);
	m->opt[i].u.app.apm_seg = 1;
	m->opt[i].u.app.info[0] = 200;	/* originating address longer than the segment */
	CU_ASSERT_EQUAL(sigtoken_iam_get(&got, m, 127), -EBADMSG);
	m->opt[i].u.app.info[0] = 0;
	CU_ASSERT_EQUAL(sigtoken_iam_get(&got, m, 127), 0);
	m->opt[i + 1].u.app.slr++;
	CU_ASSERT_EQUAL(sigtoken_iam_get(&got, m, 127), -EBADMSG);

	/* the IAM keeps what it had when there is no room */
	build_iam(m, "12025550100", "4930123456", NULL, ISUP_APRI_RESTRICTED);
	while (m->num_opt < ISUP_MAX_OPT - 1) {
		p = isup_msg_opt_add(m, 0x31);
		CU_ASSERT_FATAL(p != NULL);
		p->u.opaque.len = 1;
	}
	i = m->num_opt;
	CU_ASSERT_EQUAL(sigtoken_iam_put(m, &t, 90), -EMSGSIZE);
	CU_ASSERT_EQUAL(m->num_opt, i);

	/* numbers that cannot be made E.164 */
	build_iam(m, "12025550100", "4930123456", "15550001", ISUP_APRI_RESTRICTED);
	CU_ASSERT_EQUAL(sigtoken_call_from_iam(&c, m, NULL), -EDOM);
	p = isup_msg_param_find(m, ISUP_PAR_CALLED_PARTY_NUMBER);
	p->u.number.nai = ISUP_NAI_SUBSCRIBER;
	CU_ASSERT_EQUAL(sigtoken_call_from_iam(&c, m, "1"), -EDOM);
	/* no calling party number: empty and "not available" */
	build_iam(m, "12025550100F", "", NULL, ISUP_APRI_NOT_AVAILABLE);
	CU_ASSERT_EQUAL(sigtoken_call_from_iam(&c, m, NULL), 0);
	CU_ASSERT_STRING_EQUAL(c.dest, "12025550100");
	CU_ASSERT_STRING_EQUAL(c.orig, "");
	CU_ASSERT_EQUAL(c.apri, ISUP_APRI_NOT_AVAILABLE);
	CU_ASSERT_STRING_EQUAL(c.addl, "");
	isup_msg_init(m, ISUP_MSG_ACM, 1);
	CU_ASSERT_EQUAL(sigtoken_call_from_iam(&c, m, NULL), -EINVAL);
	CU_ASSERT_EQUAL(sigtoken_iam_put(m, &t, 90), -EINVAL);
	talloc_free(m);
}

static int setup(void *root)
{
	ctx = root;
	/* the tests provoke every error: keep the log to real surprises */
	log_set_category_filter(osmo_stderr_target, DSS7, 1, LOGL_FATAL);
	key_a = EVP_EC_gen("P-256");
	key_b = EVP_EC_gen("P-256");
	if (!key_a || !key_b)
		return -1;
	sk_a = sigtoken_key_alloc(ctx, key_a);
	sk_b = sigtoken_key_alloc(ctx, key_b);
	{
		/* the public half alone, as a verifier holds it */
		unsigned char *der = NULL;
		const unsigned char *p;
		int n = i2d_PUBKEY(key_a, &der);
		EVP_PKEY *pub;

		p = der;
		pub = n > 0 ? d2i_PUBKEY(NULL, &p, n) : NULL;
		OPENSSL_free(der);
		pk_a = pub ? sigtoken_key_alloc(ctx, pub) : NULL;
		EVP_PKEY_free(pub);
	}
	return 0;
}

static unsigned int teardown(void)
{
	testpki_cleanup();
	talloc_free(sk_a);
	talloc_free(sk_b);
	talloc_free(pk_a);
	EVP_PKEY_free(key_a);
	EVP_PKEY_free(key_b);
	return 0;
}

static const struct cunit_test tests[] = {
	{ "token vectors decode and re-encode", test_vectors },
	{ "every cut inside a TLV fails", test_truncation },
	{ "every bit flipped", test_bitflip },
	{ "invalid tokens and fields", test_invalid },
	{ "UUID text and binary", test_uuid },
	{ "numbers to E.164 by NAI", test_numbers },
	{ "prepared keys and key-ids", test_keys },
	{ "HOP sign, verify, every signed field tampered", test_sign_verify },
	{ "HOP with a TSCA operator certificate", test_tsca_cert },
	{ "copies of a prepared key, on threads", test_key_dup },
	{ "iat window", test_iat_window },
	{ "replay cache", test_replay },
	{ "replay after a restart: startup quiet, shared store", test_replay_restart },
	{ "replay cache: forget after a re-routable release", test_replay_forget },
	{ "replay cache: grows with its traffic, not its bound", test_replay_grow },
	{ "replay cache: forgotten signatures cannot fill it", test_replay_forget_many },
	{ "IAM with a token through the codec", test_iam_short },
	{ "IAM with the longest x5u: APP segments and SGM", test_iam_long_x5u },
	{ "IAM carriage errors", test_iam_errors },
	{ "IAM with a DIV TLV: APP segments and SGM", test_iam_div },
	{ "a token replaced by a shorter one", test_iam_replace },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "sigtoken", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "sigtoken_test",
	.log = CUNIT_LOG_STDERR,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
