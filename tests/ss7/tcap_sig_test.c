/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of ss7/tcap_sig.c, the hop signature of a MAP dialogue: sign,
 * extract and verify over the other stacks' messages; strip(sign(x)) == x;
 * the signed input checked with OpenSSL alone; every signed field tampered
 * fails; what is not signed (the SCCP addresses, XUDT segmentation) may
 * change; the replay cache; truncation and bit flips; the token's bounds. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <osmocom/core/application.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "config.h"
#include "certs/keyid.h"
#include "src/core/logging.h"
#include "ss7/ber.h"
#include "ss7/gsm_map.h"
#include "ss7/sccp.h"
#include "ss7/sccp_reasm.h"
#include "ss7/sigtoken.h"
#include "ss7/tcap.h"
#include "ss7/tcap_sig.h"
#include "tests/certs/testpki.h"
#include "tests/ss7/tcap_util.h"
#include "tests/ss7/tcap_vectors_ind.h"
#include "tests/cunit_main.h"

#define BUF_MAX 4096
#define IAT 1700000000u
#define ORIG "491700000002"

static void *ctx;
static const uint8_t *const OID = (const uint8_t *)TCAP_STIWF_SIG_OID;
static const size_t OL = TCAP_STIWF_SIG_OID_LEN;
/* signer (TSCA operator 1, full certificate), its verifier, another operator */
static struct sigtoken_key *sk, *pk, *sk2, *pk2;
static EVP_PKEY *pub;		/* operator 1's public key, for OpenSSL alone */
static struct tcap_msg m1;

static int hex2bin(const char *hex, uint8_t *out, size_t max)
{
	int rc = osmo_hexparse(hex, out, max);

	CU_ASSERT_FATAL(rc > 0);
	return rc;
}

/* the decoders log every refusal; the loops below make thousands */
static void quiet(bool on)
{
	log_set_category_filter(osmo_stderr_target, DSS7, 1, on ? LOGL_FATAL : LOGL_DEBUG);
}

static bool carrier(const struct tcap_msg *m)
{
	return (m->type == TCAP_MSG_BEGIN && m->dlg_pdu == TCAP_DLG_AARQ) ||
	       ((m->type == TCAP_MSG_CONTINUE || m->type == TCAP_MSG_END) && m->dlg_pdu == TCAP_DLG_AARE);
}

/* ------------------------------------------------------------------------
 * Messages built here: an updateLocation Begin with MAP-OpenInfo and a
 * second EXTERNAL, the insertSubscriberData Continue and the End with
 * the result (29.002 §17.2.2, 17.3.3; the argument is jSS7's,
 * tests/ss7/tcap_map_vectors.md)
 * ------------------------------------------------------------------------ */

static const uint8_t pv1[] = { 0x07, 0x80 };
static const uint8_t map_dialogue_as[] = { 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01 };
/* map-open { destinationReference IMSI 262019876543210, originationReference 4912345 } */
static const uint8_t map_open[] = { 0xa0, 0x11, 0x80, 0x09, 0x96, 0x62, 0x02, 0x91, 0x78, 0x56,
				    0x34, 0x12, 0xf0, 0x81, 0x04, 0x91, 0x94, 0x21, 0x43 };
/* another operator's EXTERNAL, octet-aligned, under 1.3.6.1.4.1.99999.7 */
static const uint8_t other_oid[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x86, 0x8d, 0x1f, 0x07 };
static const uint8_t other_val[] = { 0xde, 0xad, 0xbe, 0xef };
/* RestComm/jss7 UpdateLocationRequestTest getEncodedData: IMSI 1111122222,
 * msc-Number 22228, vlr-Number 22229, vlr-Capability */
static const char ul_arg_hex[] = "3019040511112122228104912222f80404912222f9a60485020380";
/* InsertSubscriberDataArg { imsi [0], msisdn [1] 4917012345 } */
static const uint8_t isd_arg[] = { 0x30, 0x12, 0x80, 0x08, 0x62, 0x02, 0x91, 0x78, 0x56, 0x34, 0x12, 0xf0,
				   0x81, 0x06, 0x91, 0x94, 0x71, 0x10, 0x32, 0x54 };
/* UpdateLocationRes v3 { hlr-Number 4930000 } */
static const uint8_t ul_res[] = { 0x30, 0x06, 0x04, 0x04, 0x91, 0x94, 0x03, 0x00 };

static uint8_t ul_arg[64], acn[7];
static int ul_arg_len;

static int build(uint8_t *out, size_t size, enum tcap_msg_type type)
{
	struct tcap_msg m;
	struct tcap_component *c;

	memset(&m, 0, sizeof(m));
	m.type = type;
	CU_ASSERT_FATAL(gsm_map_ac_encode(acn, sizeof(acn), GSM_MAP_AC_NETWORK_LOC_UP, 3) == 7);
	m.acn = (struct ber_slice){ acn, sizeof(acn) };
	m.proto_version = (struct ber_slice){ pv1, sizeof(pv1) };
	if (type != TCAP_MSG_END) {
		m.has_otid = true;
		m.otid_len = 4;
		memcpy(m.otid, "\x10\x20\x30\x40", 4);
	}
	if (type != TCAP_MSG_BEGIN) {
		m.has_dtid = true;
		m.dtid_len = 4;
		memcpy(m.dtid, "\x50\x60\x70\x80", 4);
	}
	c = &m.comp[m.num_components++];
	c->has_invoke_id = true;
	c->has_code = true;
	if (type == TCAP_MSG_BEGIN) {
		m.dlg_pdu = TCAP_DLG_AARQ;
		m.num_userinfo = 2;
		m.userinfo_ext[0].oid = (struct ber_slice){ map_dialogue_as, sizeof(map_dialogue_as) };
		m.userinfo_ext[0].encoding = TCAP_EXT_SINGLE_ASN1;
		m.userinfo_ext[0].value = (struct ber_slice){ map_open, sizeof(map_open) };
		m.userinfo_ext[1].oid = (struct ber_slice){ other_oid, sizeof(other_oid) };
		m.userinfo_ext[1].encoding = TCAP_EXT_OCTET_ALIGNED;
		m.userinfo_ext[1].value = (struct ber_slice){ other_val, sizeof(other_val) };
		c->type = TCAP_COMP_INVOKE;
		c->invoke_id = 1;
		c->code_local = GSM_MAP_OP_UPDATE_LOCATION;
		c->param = (struct ber_slice){ ul_arg, ul_arg_len };
	} else {
		m.dlg_pdu = TCAP_DLG_AARE;
		m.rsd_source = 1;
		if (type == TCAP_MSG_CONTINUE) {
			c->type = TCAP_COMP_INVOKE;
			c->invoke_id = 2;
			c->code_local = GSM_MAP_OP_INSERT_SUBSCRIBER_DATA;
			c->param = (struct ber_slice){ isd_arg, sizeof(isd_arg) };
		} else {
			c->type = TCAP_COMP_RESULT_LAST;
			c->invoke_id = 1;
			c->code_local = GSM_MAP_OP_UPDATE_LOCATION;
			c->param = (struct ber_slice){ ul_res, sizeof(ul_res) };
		}
	}
	return tcap_msg_encode(out, size, &m);
}

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

/* Sign x; extract must give the token back and x octet for octet, and the
 * signature must verify.  \returns the signed length or the sign error */
static int sign_check(uint8_t *y, size_t ysize, const uint8_t *x, size_t xlen, const char *orig, const char *what)
{
	uint8_t z[BUF_MAX + TCAP_SIG_OVERHEAD];
	struct tcap_sig_token tok;
	size_t zlen;
	int n, rc;

	n = tcap_sig_sign(y, ysize, x, xlen, sk, IAT, orig, OID, OL);
	if (n < 0)
		return n;
	CU_ASSERT((size_t)n > xlen && (size_t)n <= xlen + TCAP_SIG_OVERHEAD);
	CU_ASSERT_EQUAL(tcap_msg_decode(&m1, y, n), n);
	rc = tcap_sig_extract(&tok, z, sizeof(z), &zlen, y, n, OID, OL);
	CU_ASSERT_EQUAL(rc, 0);
	/* strip(sign(x)) == x */
	if (zlen != xlen || memcmp(z, x, xlen)) {
		fprintf(stderr, "%s: stripped differs\n  x %s\n", what, osmo_hexdump_nospc(x, xlen));
		CU_FAIL("strip(sign(x)) != x");
	}
	CU_ASSERT_EQUAL(tok.hop.alg, SIGTOKEN_ALG_ES256);
	CU_ASSERT_EQUAL(tok.hop.iat, IAT);
	CU_ASSERT(memcmp(tok.hop.key_id, sigtoken_key_id(sk), KEYID_LEN) == 0);
	CU_ASSERT_EQUAL(tok.has_orig, orig && *orig);
	CU_ASSERT_STRING_EQUAL(tok.orig_gt, orig ? orig : "");
	rc = tcap_sig_verify(&tok, z, zlen, pk);
	if (rc)
		fprintf(stderr, "%s: verify %d\n", what, rc);
	CU_ASSERT_EQUAL(rc, 0);
	/* another operator's certificate: not its key-id */
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok, z, zlen, pk2), -EKEYREJECTED);
	return n;
}

/* The offset of the first occurrence of needle in hay */
static size_t find(const uint8_t *hay, size_t len, const void *needle, size_t n)
{
	size_t i;

	for (i = 0; i + n <= len; i++) {
		if (!memcmp(hay + i, needle, n))
			return i;
	}
	CU_FAIL_FATAL("octets not found");
	return 0;
}

/* extract then verify: 0 only when the message is valid */
static int check(const uint8_t *y, size_t ylen, struct sigtoken_key *key)
{
	uint8_t z[BUF_MAX + TCAP_SIG_OVERHEAD];
	struct tcap_sig_token tok;
	size_t zlen;
	int rc;

	rc = tcap_sig_extract(&tok, z, sizeof(z), &zlen, y, ylen, OID, OL);
	if (rc < 0)
		return rc;
	CU_ASSERT(zlen < ylen);
	return tcap_sig_verify(&tok, z, zlen, key);
}

/* Where the token's octets are in a signed message: the value of the
 * octet-aligned [1] of the signature EXTERNAL */
static size_t token_off(const uint8_t *y, size_t ylen)
{
	const struct tcap_external *e;

	CU_ASSERT_FATAL(tcap_msg_decode(&m1, y, ylen) == (int)ylen);
	e = tcap_userinfo_find(&m1, OID, OL);
	CU_ASSERT_FATAL(e != NULL);
	return e->value.data - y;
}

/* ------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------ */

/* Every independent vector, in its own length forms and with indefinite
 * lengths on chosen levels: carriers sign, strip back and verify; the
 * others are refused */
static void test_vectors_roundtrip(void)
{
	static const uint32_t masks[] = {
		0, INDEF_ALL, INDEF_MSG | INDEF_PORTIONS, INDEF_DLG_EXT | INDEF_DLG_ASN1, INDEF_DLG_PDU,
		INDEF_DLG_FIELDS | INDEF_USER_EXT,
	};
	uint8_t in[BUF_MAX], x[BUF_MAX], y[BUF_MAX + TCAP_SIG_OVERHEAD];
	unsigned int i, k, signed_ = 0, refused = 0, with_ui = 0, indef = 0;

	for (i = 0; i < ARRAY_SIZE(ind_vectors); i++) {
		int len = hex2bin(ind_vectors[i].hex, in, sizeof(in));

		CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, in, len), len);
		for (k = 0; k < ARRAY_SIZE(masks); k++) {
			int xlen = len, rc;
			bool c;

			if (masks[k]) {
				xlen = ber_to_indef(x, sizeof(x), in, len, masks[k]);
				CU_ASSERT_FATAL(xlen > 0);
			} else {
				memcpy(x, in, len);
			}
			CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, x, xlen), xlen);
			c = carrier(&m1);
			if (c && m1.num_userinfo)
				with_ui++;
			quiet(true);
			rc = sign_check(y, sizeof(y), x, xlen, k % 2 ? NULL : ORIG, ind_vectors[i].name);
			quiet(false);
			if (c) {
				if (rc < 0)
					fprintf(stderr, "%s mask %x: sign %d\n", ind_vectors[i].name, masks[k], rc);
				CU_ASSERT(rc > 0);
				signed_++;
				if (masks[k])
					indef++;
			} else {
				CU_ASSERT_EQUAL(rc, -ENOTSUP);
				refused++;
			}
		}
	}
	CU_ASSERT(signed_ >= 120);
	CU_ASSERT(with_ui >= 10);
	CU_ASSERT(indef >= 100);
	CU_ASSERT(refused >= 60);
}

/* The three messages of a location update, each signed as it is sent */
static void test_dialogue_roundtrip(void)
{
	static const enum tcap_msg_type types[] = { TCAP_MSG_BEGIN, TCAP_MSG_CONTINUE, TCAP_MSG_END };
	uint8_t x[BUF_MAX], y[BUF_MAX + TCAP_SIG_OVERHEAD];
	struct tcap_sig_token tok;
	unsigned int i;
	int xlen, ylen;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		xlen = build(x, sizeof(x), types[i]);
		CU_ASSERT_FATAL(xlen > 0);
		ylen = sign_check(y, sizeof(y), x, xlen, ORIG, get_value_string(tcap_msg_type_names, types[i]));
		CU_ASSERT_FATAL(ylen > 0);
		CU_ASSERT_EQUAL(tcap_msg_decode(&m1, y, ylen), ylen);
		/* last, octet-aligned, after the sender's EXTERNALs */
		CU_ASSERT_EQUAL(m1.num_userinfo, types[i] == TCAP_MSG_BEGIN ? 3 : 1);
		CU_ASSERT(ber_slice_equal(&m1.userinfo_ext[m1.num_userinfo - 1].oid, OID, OL));
		CU_ASSERT_EQUAL(m1.userinfo_ext[m1.num_userinfo - 1].encoding, TCAP_EXT_OCTET_ALIGNED);
		CU_ASSERT_EQUAL(tcap_sig_token_decode(&tok, m1.userinfo_ext[m1.num_userinfo - 1].value.data,
						      m1.userinfo_ext[m1.num_userinfo - 1].value.len), 0);
		/* version, HOP, ORIG */
		CU_ASSERT_EQUAL(m1.userinfo_ext[m1.num_userinfo - 1].value.len, 1 + 2 + 77 + 2 + strlen(ORIG));
		CU_ASSERT_STRING_EQUAL(tok.orig_gt, ORIG);
	}
}

/* Raw R||S to DER and verify with OpenSSL alone over \a input */
static int openssl_verify(const uint8_t *sig, const uint8_t *input, size_t len)
{
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(sig, 32, NULL), *s = BN_bin2bn(sig + 32, 32, NULL);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char *der = NULL;
	int der_len, rc = -1;

	if (!es || !r || !s || !md || !ECDSA_SIG_set0(es, r, s)) {
		BN_free(r);
		BN_free(s);
		goto out;
	}
	der_len = i2d_ECDSA_SIG(es, &der);
	if (der_len > 0 && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pub) == 1 &&
	    EVP_DigestVerify(md, der, der_len, input, len) == 1)
		rc = 0;
out:
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(md);
	return rc;
}

/* The signed input of tcap_sig.h, written out by hand for two messages
 * from other stacks, and the signature checked by OpenSSL over it */
static void test_signed_input(void)
{
	uint8_t x[BUF_MAX], y[BUF_MAX + TCAP_SIG_OVERHEAD], z[BUF_MAX], want[512], got[TCAP_SIG_INPUT_MAX];
	struct tcap_sig_token tok;
	size_t zlen, w;
	int xlen, ylen, n;
#define PUT(lit) do { \
		memcpy(want + w, lit, sizeof(lit) - 1); \
		w += sizeof(lit) - 1; \
	} while (0)

	/* jSS7's Begin: OTID 08a50001, AARQ with AC 0.4.0.1.1.1.3.0, nothing else */
	xlen = hex2bin(ind_hex("jss7_begin_dialogue_only"), x, sizeof(x));
	ylen = tcap_sig_sign(y, sizeof(y), x, xlen, sk, 0x01020304, "4930", OID, OL);
	CU_ASSERT_FATAL(ylen > 0);
	CU_ASSERT_EQUAL_FATAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, y, ylen, OID, OL), 0);
	w = 0;
	memcpy(want, "stiwf-tcap-v1", 13);
	w = 13;
	want[w++] = 1;
	memcpy(want + w, sigtoken_key_id(sk), KEYID_LEN);
	w += KEYID_LEN;
	PUT("\x01\x02\x03\x04" "\x02" "\x04\x08\xa5\x00\x01" "\x00" "\x01"
	    "\x07\x04\x00\x01\x01\x01\x03\x00" "\x00" "\x00\x00" "\x04" "4930");
	n = tcap_sig_input(got, sizeof(got), &(struct tcap_msg){ 0 }, &tok.hop, NULL);
	CU_ASSERT_EQUAL(n, -EINVAL);	/* not a carrier */
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, z, zlen), (int)zlen);
	n = tcap_sig_input(got, sizeof(got), &m1, &tok.hop, tok.orig_gt);
	CU_ASSERT_EQUAL(n, (int)w);
	CU_ASSERT(n == (int)w && memcmp(got, want, w) == 0);
	CU_ASSERT_EQUAL(openssl_verify(tok.hop.sig, want, w), 0);
	/* too small a buffer */
	CU_ASSERT_EQUAL(tcap_sig_input(got, w - 1, &m1, &tok.hop, tok.orig_gt), -ENOSPC);

	/* go-tcap's Continue: OTID 0419000f, DTID 008bd040, AARE with AC
	 * 0.4.0.0.1.0.25.3, result accepted (0), diagnostic user (1) null (0);
	 * no ORIG */
	xlen = hex2bin(ind_hex("gomaja_continue_aare"), x, sizeof(x));
	ylen = tcap_sig_sign(y, sizeof(y), x, xlen, sk, 0xfffffffe, NULL, OID, OL);
	CU_ASSERT_FATAL(ylen > 0);
	CU_ASSERT_EQUAL_FATAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, y, ylen, OID, OL), 0);
	w = 13 + 1 + KEYID_LEN;
	PUT("\xff\xff\xff\xfe" "\x05" "\x04\x04\x19\x00\x0f" "\x04\x00\x8b\xd0\x40" "\x02"
	    "\x07\x04\x00\x00\x01\x00\x19\x03" "\x00\x00\x00\x00\x00\x00\x00\x00" "\x01"
	    "\x00\x00\x00\x00\x00\x00\x00\x00" "\x00" "\x00\x00" "\x00");
	CU_ASSERT_EQUAL(openssl_verify(tok.hop.sig, want, w), 0);

	/* and one with user-information and components: each EXTERNAL and
	 * the component portion as sent, with two length octets */
	xlen = hex2bin(ind_hex("sigfw_ati"), x, sizeof(x));
	ylen = tcap_sig_sign(y, sizeof(y), x, xlen, sk, 7, ORIG, OID, OL);
	CU_ASSERT_FATAL(ylen > 0);
	CU_ASSERT_EQUAL_FATAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, y, ylen, OID, OL), 0);
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, x, xlen), xlen);
	CU_ASSERT_EQUAL_FATAL(m1.num_userinfo, 1);
	w = 13 + 1 + KEYID_LEN;
	PUT("\x00\x00\x00\x07" "\x02" "\x04\x00\x00\x00\x02" "\x00" "\x01"
	    "\x07\x04\x00\x00\x01\x00\x1d\x03" "\x01");
	want[w++] = m1.userinfo_ext[0].raw.len >> 8;
	want[w++] = m1.userinfo_ext[0].raw.len;
	memcpy(want + w, m1.userinfo_ext[0].raw.data, m1.userinfo_ext[0].raw.len);
	w += m1.userinfo_ext[0].raw.len;
	want[w++] = m1.components.len >> 8;
	want[w++] = m1.components.len;
	memcpy(want + w, m1.components.data, m1.components.len);
	w += m1.components.len;
	want[w++] = strlen(ORIG);
	memcpy(want + w, ORIG, strlen(ORIG));
	w += strlen(ORIG);
	CU_ASSERT_EQUAL(openssl_verify(tok.hop.sig, want, w), 0);
	/* the components start with their tag: as sent, header included */
	CU_ASSERT_EQUAL(m1.components.data[0], 0x6c);
#undef PUT
}

/* Every field the signature covers, changed in the signed message (or the
 * token moved to another message), fails */
static void test_tamper(void)
{
	uint8_t x[BUF_MAX], y[BUF_MAX + TCAP_SIG_OVERHEAD], t[BUF_MAX + TCAP_SIG_OVERHEAD];
	uint8_t e[BUF_MAX], u[BUF_MAX + TCAP_SIG_OVERHEAD], z[BUF_MAX];
	struct tcap_sig_token tok, tok2;
	const struct tcap_external *sig_ext;
	size_t off, i, j, zlen, tried = 0;
	int xlen, ylen, elen, ulen, rc;

	/* the Continue: every field but AARQ's */
	xlen = build(x, sizeof(x), TCAP_MSG_CONTINUE);
	ylen = sign_check(y, sizeof(y), x, xlen, ORIG, "continue");
	CU_ASSERT_FATAL(ylen > 0);
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, y, ylen), ylen);

#define TAMPERED(what, stmt) do { \
		memcpy(t, y, ylen); \
		stmt; \
		quiet(true); \
		rc = check(t, ylen, pk); \
		quiet(false); \
		if (rc == 0) { \
			fprintf(stderr, "tampered %s still verifies\n", what); \
			CU_FAIL(what); \
		} \
		tried++; \
	} while (0)
	/* OTID, DTID */
	off = find(y, ylen, "\x10\x20\x30\x40", 4);
	TAMPERED("OTID", t[off + 3] ^= 1);
	off = find(y, ylen, "\x50\x60\x70\x80", 4);
	TAMPERED("DTID", t[off] ^= 0x80);
	/* AC: networkLocUp v3 -> v2, and -> another context */
	off = m1.acn.data - y;
	TAMPERED("AC version", t[off + 6] = 2);
	TAMPERED("AC name", t[off + 5] = GSM_MAP_AC_LOCATION_CANCELLATION);
	/* AARE result and diagnostic */
	off = find(y, ylen, "\xa2\x03\x02\x01\x00", 5);
	TAMPERED("AARE result", t[off + 4] = 1);
	off = find(y, ylen, "\xa3\x05\xa1\x03\x02\x01\x00", 7);
	TAMPERED("AARE diagnostic source", t[off + 2] = 0xa2);
	TAMPERED("AARE diagnostic value", t[off + 6] = 1);
	/* every component octet, each bit on its own */
	for (i = 0; i < m1.components.len; i++) {
		for (j = 0; j < 8; j++)
			TAMPERED("a component bit", t[m1.components.data - y + i] ^= 1 << j);
	}
	/* the token: alg, key-id, iat, ORIG, the signature */
	off = token_off(y, ylen);
	CU_ASSERT_EQUAL(y[off], SIGTOKEN_VERSION);
	CU_ASSERT_EQUAL(y[off + 1], SIGTOKEN_TLV_HOP);
	TAMPERED("alg", t[off + 3] = 2);
	for (i = 0; i < KEYID_LEN; i++)
		TAMPERED("key-id", t[off + 4 + i] ^= 0x10);
	for (i = 0; i < 4; i++)
		TAMPERED("iat", t[off + 12 + i] ^= 1);
	for (i = 0; i < SIGTOKEN_SIG_LEN * 8; i += 3)
		TAMPERED("sig", t[off + 16 + i / 8] ^= 1 << (i % 8));
	CU_ASSERT_EQUAL(y[off + 80], SIGTOKEN_TLV_ORIG);
	for (i = 0; i < strlen(ORIG); i++)
		TAMPERED("ORIG digit", t[off + 82 + i] = t[off + 82 + i] == '9' ? '8' : '9');
#undef TAMPERED

	/* the same at the API: each token field, against the stripped message */
	CU_ASSERT_EQUAL_FATAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, y, ylen, OID, OL), 0);
	tok2 = tok;
	tok2.hop.alg = 2;
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok2, z, zlen, pk), -ENOTSUP);
	tok2 = tok;
	tok2.hop.key_id[7] ^= 1;
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok2, z, zlen, pk), -EKEYREJECTED);
	/* a key-id moved onto another operator's key: the signature is not its */
	tok2 = tok;
	memcpy(tok2.hop.key_id, sigtoken_key_id(pk2), KEYID_LEN);
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok2, z, zlen, pk2), -EBADMSG);
	tok2 = tok;
	tok2.hop.iat++;
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok2, z, zlen, pk), -EBADMSG);
	tok2 = tok;
	tok2.has_orig = false;
	tok2.orig_gt[0] = '\0';
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok2, z, zlen, pk), -EBADMSG);
	tok2 = tok;
	osmo_strlcpy(tok2.orig_gt, "49170000000", sizeof(tok2.orig_gt));
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok2, z, zlen, pk), -EBADMSG);
	tok2 = tok;
	osmo_strlcpy(tok2.orig_gt, ORIG "0", sizeof(tok2.orig_gt));
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok2, z, zlen, pk), -EBADMSG);
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok, z, zlen, pk), 0);

	/* message type: the same dialogue PDU, DTID and components in an End,
	 * with the Continue's token */
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, z, zlen), (int)zlen);
	m1.type = TCAP_MSG_END;
	m1.has_otid = false;
	elen = tcap_msg_encode(e, sizeof(e), &m1);
	CU_ASSERT_FATAL(elen > 0);
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok, e, elen, pk), -EBADMSG);
	/* and the other way round: an End signed, its token on a Continue */
	xlen = build(x, sizeof(x), TCAP_MSG_END);
	ylen = sign_check(y, sizeof(y), x, xlen, ORIG, "end");
	CU_ASSERT_FATAL(ylen > 0);
	CU_ASSERT_EQUAL_FATAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, y, ylen, OID, OL), 0);
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, z, zlen), (int)zlen);
	m1.type = TCAP_MSG_CONTINUE;
	m1.has_otid = true;
	m1.otid_len = 1;
	m1.otid[0] = 0;
	elen = tcap_msg_encode(e, sizeof(e), &m1);
	CU_ASSERT_FATAL(elen > 0);
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok, e, elen, pk), -EBADMSG);
	/* the type octet alone, in the signed input */
	{
		uint8_t in1[TCAP_SIG_INPUT_MAX], in2[TCAP_SIG_INPUT_MAX];
		int n1, n2;

		CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, z, zlen), (int)zlen);
		n1 = tcap_sig_input(in1, sizeof(in1), &m1, &tok.hop, ORIG);
		m1.type = TCAP_MSG_CONTINUE;
		n2 = tcap_sig_input(in2, sizeof(in2), &m1, &tok.hop, ORIG);
		CU_ASSERT(n1 > 0 && n1 == n2);
		CU_ASSERT_EQUAL(in1[13 + 1 + KEYID_LEN + 4], TCAP_MSG_END);
		CU_ASSERT_EQUAL(in2[13 + 1 + KEYID_LEN + 4], TCAP_MSG_CONTINUE);
		CU_ASSERT(memcmp(in1, in2, 13 + 1 + KEYID_LEN + 4) == 0);
		CU_ASSERT(memcmp(in1 + 27, in2 + 27, n1 - 27) == 0);
		CU_ASSERT_EQUAL(sigtoken_key_verify(pk, tok.hop.sig, in1, n1), 0);
		CU_ASSERT_EQUAL(sigtoken_key_verify(pk, tok.hop.sig, in2, n2), -EBADMSG);
	}

	/* the Begin: each other EXTERNAL, octet by octet, each bit on its own */
	xlen = build(x, sizeof(x), TCAP_MSG_BEGIN);
	ylen = sign_check(y, sizeof(y), x, xlen, ORIG, "begin");
	CU_ASSERT_FATAL(ylen > 0);
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, y, ylen), ylen);
	CU_ASSERT_EQUAL_FATAL(m1.num_userinfo, 3);
	{
		struct ber_slice ext[2] = { m1.userinfo_ext[0].raw, m1.userinfo_ext[1].raw };
		unsigned int k;

		for (k = 0; k < 2; k++) {
			for (i = 0; i < ext[k].len; i++) {
				for (j = 0; j < 8; j++) {
					memcpy(t, y, ylen);
					t[ext[k].data - y + i] ^= 1 << j;
					quiet(true);
					rc = check(t, ylen, pk);
					quiet(false);
					if (rc == 0) {
						fprintf(stderr, "EXTERNAL %u octet %zu bit %zu: still verifies\n", k, i, j);
						CU_FAIL("tampered EXTERNAL verifies");
					}
					tried++;
				}
			}
		}
	}
	/* an EXTERNAL removed, or added after the signature */
	sig_ext = tcap_userinfo_find(&m1, OID, OL);
	CU_ASSERT_FATAL(sig_ext != NULL);
	CU_ASSERT_EQUAL_FATAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, y, ylen, OID, OL), 0);
	ulen = tcap_userinfo_strip(u, sizeof(u), z, zlen, other_oid, sizeof(other_oid));
	CU_ASSERT_FATAL(ulen > 0);
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok, u, ulen, pk), -EBADMSG);
	ulen = tcap_userinfo_insert(u, sizeof(u), y, ylen, (const uint8_t *)"\x2b\x06\x01\x04\x01\x86\x8d\x1f\x08",
				    9, other_val, sizeof(other_val));
	CU_ASSERT_FATAL(ulen > 0);
	CU_ASSERT(check(u, ulen, pk) == -EBADMSG);
	/* the OTID of the Begin too */
	memcpy(t, y, ylen);
	t[find(y, ylen, "\x10\x20\x30\x40", 4)] = 0x11;
	CU_ASSERT(check(t, ylen, pk) == -EBADMSG);
	CU_ASSERT(check(y, ylen, pk) == 0);
	CU_ASSERT(tried > 700);
}

/* What the signature does not cover: the protocol-version; everything
 * SCCP carries (tests below) */
static void test_not_signed(void)
{
	uint8_t x[BUF_MAX], y[BUF_MAX + TCAP_SIG_OVERHEAD], z[BUF_MAX];
	struct tcap_sig_token tok;
	size_t zlen;
	int xlen, ylen, n;

	xlen = build(x, sizeof(x), TCAP_MSG_BEGIN);
	ylen = tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, ORIG, OID, OL);
	CU_ASSERT_FATAL(ylen > 0);
	CU_ASSERT_EQUAL_FATAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, y, ylen, OID, OL), 0);
	/* a relay that drops the default protocol-version keeps it valid */
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, z, zlen), (int)zlen);
	m1.proto_version.len = 0;
	n = tcap_msg_encode(x, sizeof(x), &m1);
	CU_ASSERT_FATAL(n > 0 && n < (int)zlen);
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok, x, n, pk), 0);
}

static void set_addr(struct sccp_addr *a, uint8_t ssn, uint16_t pc, const char *digits)
{
	memset(a, 0, sizeof(*a));
	a->ri = SCCP_RI_GT;
	a->has_pc = true;
	a->pc = pc;
	a->has_ssn = true;
	a->ssn = ssn;
	a->gt.gti = SCCP_GTI_TT_NP_ES_NAI;
	a->gt.tt = 0;
	a->gt.np = SCCP_NP_E164;
	a->gt.nai = SCCP_NAI_INTERNATIONAL;
	CU_ASSERT_FATAL(sccp_gt_set_digits(&a->gt, digits) == 0);
}

static void test_sccp_rewrite(void)
{
	uint8_t x[BUF_MAX], y[BUF_MAX + TCAP_SIG_OVERHEAD], buf[512], buf2[512];
	struct sccp_msg udt, d;
	int xlen, ylen, n;

	xlen = build(x, sizeof(x), TCAP_MSG_BEGIN);
	ylen = tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, ORIG, OID, OL);
	CU_ASSERT_FATAL(ylen > 0 && ylen <= 255);

	/* VLR -> HLR in a UDT, as the originating network sends it */
	memset(&udt, 0, sizeof(udt));
	udt.type = SCCP_MSGT_UDT;
	udt.proto_class = 0;
	set_addr(&udt.called, 6, 200, "262019876543210");
	set_addr(&udt.calling, 7, 100, ORIG);
	udt.data = y;
	udt.data_len = ylen;
	n = sccp_msg_encode(buf, sizeof(buf), &udt);
	CU_ASSERT_FATAL(n > ylen);

	/* a gateway translates the global titles and rewrites the rest */
	CU_ASSERT_EQUAL_FATAL(sccp_msg_decode(&d, buf, n, NULL, 0), n);
	CU_ASSERT_EQUAL(check(d.data, d.data_len, pk), 0);
	CU_ASSERT_FATAL(sccp_gt_set_digits(&d.called.gt, "26201999000001") == 0);
	CU_ASSERT_FATAL(sccp_gt_set_digits(&d.calling.gt, "4917") == 0);
	d.called.gt.tt = 9;
	d.called.gt.np = SCCP_NP_E214;
	d.calling.gt.nai = SCCP_NAI_NATIONAL;
	d.called.ri = SCCP_RI_SSN;
	d.called.ssn = 149;
	d.calling.ssn = 8;
	d.called.pc = 0x3fff;
	d.calling.has_pc = false;
	n = sccp_msg_encode(buf2, sizeof(buf2), &d);
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(sccp_msg_decode(&d, buf2, n, NULL, 0), n);
	CU_ASSERT_STRING_EQUAL(d.called.gt.digits, "26201999000001");
	CU_ASSERT_EQUAL(d.called.ssn, 149);
	CU_ASSERT_EQUAL(d.data_len, (size_t)ylen);
	CU_ASSERT_EQUAL(check(d.data, d.data_len, pk), 0);

	/* and as an XUDT with a hop counter (no optional part: after data
	 * this long its one-octet pointer could not reach it) */
	d.type = SCCP_MSGT_XUDT;
	d.hop_counter = 12;
	n = sccp_msg_encode(buf, sizeof(buf), &d);
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(sccp_msg_decode(&d, buf, n, NULL, 0), n);
	CU_ASSERT_EQUAL(check(d.data, d.data_len, pk), 0);
}

static void test_xudt_segments(void)
{
	static const struct sccp_reasm_cfg cfg = { .max_octets = 3952, .max_segments = 16, .max_parallel = 4 };
	uint8_t x[BUF_MAX], y[BUF_MAX + TCAP_SIG_OVERHEAD], buf[SCCP_SEGMENTS_MAX][300];
	struct sccp_msg tmpl, segs[SCCP_SEGMENTS_MAX], d, out;
	static const size_t sifs[] = { 80, 120, 272 };
	struct sccp_reasm *r;
	unsigned int k;
	int xlen, ylen, n, s, rc = 0, len[SCCP_SEGMENTS_MAX];

	xlen = build(x, sizeof(x), TCAP_MSG_BEGIN);
	ylen = tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, ORIG, OID, OL);
	CU_ASSERT_FATAL(ylen > 0);
	memset(&tmpl, 0, sizeof(tmpl));
	tmpl.type = SCCP_MSGT_UDT;
	set_addr(&tmpl.called, 6, 200, "262019876543210");
	set_addr(&tmpl.calling, 7, 100, ORIG);
	for (k = 0; k < ARRAY_SIZE(sifs); k++) {
		r = sccp_reasm_alloc(ctx, &cfg, NULL, NULL);
		CU_ASSERT_FATAL(r != NULL);
		n = sccp_xudt_segment(&tmpl, y, ylen, sifs[k], 0x10000 + k, segs, SCCP_SEGMENTS_MAX);
		CU_ASSERT_FATAL(n >= 1);
		if (sifs[k] < 272)
			CU_ASSERT(n >= 2);
		for (s = 0; s < n; s++) {
			len[s] = sccp_msg_encode(buf[s], sizeof(buf[s]), &segs[s]);
			CU_ASSERT_FATAL(len[s] > 0);
		}
		/* they arrive last first, through a gateway that changes the GT */
		for (s = n - 1; s >= 0; s--) {
			CU_ASSERT_EQUAL_FATAL(sccp_msg_decode(&d, buf[s], len[s], NULL, 0), len[s]);
			rc = sccp_reasm_feed(r, 100, 0, &d, &out);
			CU_ASSERT(rc == (s == 0 ? 1 : 0));
		}
		CU_ASSERT_FATAL(rc == 1);
		CU_ASSERT_EQUAL(out.data_len, (size_t)ylen);
		CU_ASSERT_EQUAL(check(out.data, out.data_len, pk), 0);
		/* segmented again with another size by the next hop */
		n = sccp_xudt_segment(&out, out.data, out.data_len, sifs[(k + 1) % ARRAY_SIZE(sifs)], 77, segs,
				      SCCP_SEGMENTS_MAX);
		CU_ASSERT_FATAL(n >= 1);
		for (s = 0; s < n; s++) {
			len[s] = sccp_msg_encode(buf[s], sizeof(buf[s]), &segs[s]);
			CU_ASSERT_FATAL(len[s] > 0);
			CU_ASSERT_EQUAL_FATAL(sccp_msg_decode(&d, buf[s], len[s], NULL, 0), len[s]);
			rc = sccp_reasm_feed(r, 200, 1, &d, &out);
		}
		CU_ASSERT_FATAL(rc == 1);
		CU_ASSERT_EQUAL(check(out.data, out.data_len, pk), 0);
		sccp_reasm_free(r);
	}
}

/* The caller's replay check after verify, as on the ISUP path */
static void test_replay(void)
{
	uint8_t x[BUF_MAX], y[BUF_MAX + TCAP_SIG_OVERHEAD], y2[BUF_MAX + TCAP_SIG_OVERHEAD], z[BUF_MAX];
	struct sigtoken_replay *rc = sigtoken_replay_alloc(ctx, SIGTOKEN_WINDOW_DEFAULT, 0, 16);
	struct tcap_sig_token tok;
	size_t zlen;
	int xlen, ylen, y2len;

	CU_ASSERT_FATAL(rc != NULL);
	xlen = build(x, sizeof(x), TCAP_MSG_BEGIN);
	ylen = tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, ORIG, OID, OL);
	y2len = tcap_sig_sign(y2, sizeof(y2), x, xlen, sk, IAT, ORIG, OID, OL);
	CU_ASSERT_FATAL(ylen > 0 && y2len == ylen);
	/* ECDSA: the same message signed twice, two signatures */
	CU_ASSERT(memcmp(y, y2, ylen) != 0);

	CU_ASSERT_EQUAL_FATAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, y, ylen, OID, OL), 0);
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok, z, zlen, pk), 0);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &tok.hop, IAT + 5), 0);
	/* the same message again: valid signature, refused as a replay */
	CU_ASSERT_EQUAL_FATAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, y, ylen, OID, OL), 0);
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok, z, zlen, pk), 0);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &tok.hop, IAT + 6), -EALREADY);
	/* the fresh signature of the same message passes */
	CU_ASSERT_EQUAL_FATAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, y2, y2len, OID, OL), 0);
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok, z, zlen, pk), 0);
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &tok.hop, IAT + 6), 0);
	/* and a token outside the window is refused before it is remembered */
	CU_ASSERT_EQUAL(sigtoken_replay_check(rc, &tok.hop, IAT + SIGTOKEN_WINDOW_DEFAULT + 1), -ETIMEDOUT);
	CU_ASSERT_EQUAL(sigtoken_iat_check(tok.hop.iat, IAT - 1, SIGTOKEN_WINDOW_DEFAULT, 0), -ERANGE);
	talloc_free(rc);
}

/* Every prefix and every bit flip of signed messages through extract (and
 * verify when extract takes it): never a read outside, never valid unless
 * the flip is in what is not signed */
static void test_truncation_bitflip(void)
{
	static const char *const names[] = { "sigfw_ati", "gomaja_continue_aare", "aio_end_error" };
	uint8_t x[BUF_MAX], y[BUF_MAX + TCAP_SIG_OVERHEAD], t[BUF_MAX + TCAP_SIG_OVERHEAD], z[BUF_MAX];
	struct tcap_sig_token tok;
	size_t zlen, pv_off, pv_len;
	unsigned int k, i, j, valid_pv = 0, flips = 0;
	int xlen, ylen, rc;

	for (k = 0; k < ARRAY_SIZE(names) + 1; k++) {
		if (k < ARRAY_SIZE(names))
			xlen = hex2bin(ind_hex(names[k]), x, sizeof(x));
		else
			xlen = build(x, sizeof(x), TCAP_MSG_BEGIN);
		ylen = tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, ORIG, OID, OL);
		CU_ASSERT_FATAL(ylen > 0);
		CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, y, ylen), ylen);
		pv_off = m1.proto_version.len ? (size_t)(m1.proto_version.data - y) : 0;
		pv_len = m1.proto_version.len;
		quiet(true);
		/* every prefix, in a buffer of exactly that size (ASan sees a read past it) */
		for (i = 0; i < (unsigned int)ylen; i++) {
			uint8_t *p = malloc(i ? i : 1);

			CU_ASSERT_FATAL(p != NULL);
			memcpy(p, y, i);
			rc = tcap_sig_extract(&tok, z, sizeof(z), &zlen, p, i, OID, OL);
			CU_ASSERT(rc < 0);
			CU_ASSERT(zlen == 0 && !tok.has_orig && tok.hop.alg == 0);
			free(p);
		}
		for (i = 0; i < (unsigned int)ylen; i++) {
			for (j = 0; j < 8; j++) {
				memcpy(t, y, ylen);
				t[i] ^= 1 << j;
				rc = check(t, ylen, pk);
				flips++;
				if (rc != 0)
					continue;
				/* only the protocol-version is not signed */
				if (pv_len && i >= pv_off && i < pv_off + pv_len) {
					valid_pv++;
					continue;
				}
				fprintf(stderr, "%u: flip of octet %u bit %u verifies\n", k, i, j);
				CU_FAIL("a bit flip verifies");
			}
		}
		quiet(false);
	}
	CU_ASSERT(flips > 5000);
}

/* The token's codec: bounds and the TLVs a TCAP token must not have */
static void test_token(void)
{
	struct tcap_sig_token tok, tok2;
	uint8_t buf[256], hop[SIGTOKEN_HOP_LEN];
	unsigned int i, n;
	int len;

	memset(&tok, 0, sizeof(tok));
	tok.hop.alg = SIGTOKEN_ALG_ES256;
	for (i = 0; i < sizeof(tok.hop.key_id); i++)
		tok.hop.key_id[i] = i + 1;
	tok.hop.iat = IAT;
	for (i = 0; i < SIGTOKEN_SIG_LEN; i++)
		tok.hop.sig[i] = 0x40 + i;
	tok.has_orig = true;
	osmo_strlcpy(tok.orig_gt, "123456789012345", sizeof(tok.orig_gt));
	len = tcap_sig_token_encode(buf, sizeof(buf), &tok);
	CU_ASSERT_EQUAL_FATAL(len, TCAP_SIG_TOKEN_MAX);
	CU_ASSERT_EQUAL(tcap_sig_token_encode(buf, len - 1, &tok), -ENOSPC);
	CU_ASSERT_EQUAL(tcap_sig_token_decode(&tok2, buf, len), 0);
	CU_ASSERT(memcmp(&tok2, &tok, sizeof(tok)) == 0);
	memcpy(hop, buf + 3, sizeof(hop));

	quiet(true);
	/* every prefix: only the one that ends before ORIG decodes, without it */
	for (n = 0; n < (unsigned int)len; n++) {
		uint8_t *p = malloc(n ? n : 1);

		memcpy(p, buf, n);
		if (n == 1 + 2 + SIGTOKEN_HOP_LEN) {
			CU_ASSERT_EQUAL(tcap_sig_token_decode(&tok2, p, n), 0);
			CU_ASSERT(!tok2.has_orig);
		} else {
			CU_ASSERT_EQUAL(tcap_sig_token_decode(&tok2, p, n), -EBADMSG);
			CU_ASSERT(tok2.hop.alg == 0 && !tok2.has_orig);
		}
		free(p);
	}
	/* every bit flip: refused, or decoded into something else */
	for (n = 0; n < (unsigned int)len * 8; n++) {
		buf[n / 8] ^= 1 << (n % 8);
		if (tcap_sig_token_decode(&tok2, buf, len) == 0)
			CU_ASSERT(memcmp(&tok2, &tok, sizeof(tok)) != 0);
		buf[n / 8] ^= 1 << (n % 8);
	}
	quiet(false);

	/* TLVs: unknown ones skipped; PASSPORT, VERDICT, BIND refused; no HOP
	 * refused; ORIG twice refused */
	{
		static const struct {
			const char *extra;
			int rc;
		} cases[] = {
			{ "", 0 },
			{ "7f0401020304", 0 },
			{ "0303010000", -EBADMSG },
			{ "0403" "4f5031", -EBADMSG },
			{ "050134", -EBADMSG },		/* a second ORIG */
			{ "0101", -EBADMSG },		/* truncated */
		};
		uint8_t t[300];

		for (i = 0; i < ARRAY_SIZE(cases); i++) {
			size_t l = 0;

			t[l++] = SIGTOKEN_VERSION;
			t[l++] = SIGTOKEN_TLV_HOP;
			t[l++] = SIGTOKEN_HOP_LEN;
			memcpy(t + l, hop, sizeof(hop));
			l += sizeof(hop);
			memcpy(t + l, "\x05\x02" "49", 4);
			l += 4;
			l += osmo_hexparse(cases[i].extra, t + l, sizeof(t) - l) > 0 ?
				strlen(cases[i].extra) / 2 : 0;
			quiet(true);
			CU_ASSERT_EQUAL(tcap_sig_token_decode(&tok2, t, l), cases[i].rc);
			quiet(false);
		}
		/* no HOP */
		quiet(true);
		CU_ASSERT_EQUAL(tcap_sig_token_decode(&tok2, (const uint8_t *)"\x01\x05\x02" "49", 5), -EBADMSG);
		/* a PASSPORT (attest A, iat, origid, x5u "h", sig) */
		{
			size_t l = 0;

			t[l++] = SIGTOKEN_VERSION;
			t[l++] = SIGTOKEN_TLV_HOP;
			t[l++] = SIGTOKEN_HOP_LEN;
			memcpy(t + l, hop, sizeof(hop));
			l += sizeof(hop);
			t[l++] = SIGTOKEN_TLV_PASSPORT;
			t[l++] = SIGTOKEN_PASSPORT_FIXED_LEN + 1;
			memset(t + l, 0, SIGTOKEN_PASSPORT_FIXED_LEN + 1);
			t[l] = 'A';
			t[l + 5 + SIGTOKEN_UUID_LEN] = 1;
			t[l + 6 + SIGTOKEN_UUID_LEN] = 'h';
			l += SIGTOKEN_PASSPORT_FIXED_LEN + 1;
			CU_ASSERT_EQUAL(tcap_sig_token_decode(&tok2, t, l), -EBADMSG);
		}
		quiet(false);
	}
	/* the encoder refuses an ORIG that is not digits */
	osmo_strlcpy(tok.orig_gt, "49A", sizeof(tok.orig_gt));
	quiet(true);
	CU_ASSERT_EQUAL(tcap_sig_token_encode(buf, sizeof(buf), &tok), -EINVAL);
	quiet(false);
}

/* What sign and extract refuse */
static void test_errors(void)
{
	uint8_t x[BUF_MAX], y[BUF_MAX + TCAP_SIG_OVERHEAD], w[BUF_MAX + 2 * TCAP_SIG_OVERHEAD], z[BUF_MAX];
	struct tcap_sig_token tok;
	size_t zlen;
	int xlen, ylen, wlen, j;

	quiet(true);
	xlen = build(x, sizeof(x), TCAP_MSG_BEGIN);
	ylen = tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, NULL, OID, OL);
	CU_ASSERT_FATAL(ylen > 0);
	/* signed twice */
	CU_ASSERT_EQUAL(tcap_sig_sign(w, sizeof(w), y, ylen, sk, IAT, NULL, OID, OL), -EEXIST);
	/* bad ORIG, bad OID, no private key, too small, does not decode, too long */
	CU_ASSERT_EQUAL(tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, "+49", OID, OL), -EINVAL);
	CU_ASSERT_EQUAL(tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, "1234567890123456", OID, OL), -EINVAL);
	CU_ASSERT_EQUAL(tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, NULL, (const uint8_t *)"\x88", 1), -EINVAL);
	CU_ASSERT_EQUAL(tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, NULL, OID, 0), -EINVAL);
	CU_ASSERT_EQUAL(tcap_sig_sign(y, sizeof(y), x, xlen, pk, IAT, NULL, OID, OL), -EINVAL);
	CU_ASSERT_EQUAL(tcap_sig_sign(y, xlen + 10, x, xlen, sk, IAT, NULL, OID, OL), -ENOSPC);
	CU_ASSERT_EQUAL(tcap_sig_sign(y, sizeof(y), x, xlen - 1, sk, IAT, NULL, OID, OL), -EBADMSG);
	CU_ASSERT_EQUAL(tcap_sig_sign(y, sizeof(y), x, TCAP_SIG_MSG_MAX + 1, sk, IAT, NULL, OID, OL), -EINVAL);
	/* messages that cannot carry it */
	xlen = hex2bin(ind_hex("jss7_continue"), x, sizeof(x));
	CU_ASSERT_EQUAL(tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, NULL, OID, OL), -ENOTSUP);
	CU_ASSERT_EQUAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, x, xlen, OID, OL), -ENOENT);
	xlen = hex2bin(ind_hex("gomaja_abort_version"), x, sizeof(x));
	CU_ASSERT_EQUAL(tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, NULL, OID, OL), -ENOTSUP);
	xlen = hex2bin(ind_hex("jss7_unidirectional"), x, sizeof(x));
	CU_ASSERT_EQUAL(tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, NULL, OID, OL), -ENOTSUP);
	xlen = hex2bin(ind_hex("jss7_abort_pabort"), x, sizeof(x));
	CU_ASSERT_EQUAL(tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, NULL, OID, OL), -ENOTSUP);

	/* extract: no signature; the stripped buffer too small; two of them;
	 * not octet-aligned; a malformed token */
	xlen = build(x, sizeof(x), TCAP_MSG_END);
	CU_ASSERT_EQUAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, x, xlen, OID, OL), -ENOENT);
	ylen = tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, ORIG, OID, OL);
	CU_ASSERT_FATAL(ylen > 0);
	CU_ASSERT_EQUAL(tcap_sig_extract(&tok, z, xlen - 1, &zlen, y, ylen, OID, OL), -ENOSPC);
	CU_ASSERT(zlen == 0 && !tok.has_orig);
	CU_ASSERT_EQUAL(tcap_sig_extract(&tok, z, xlen, &zlen, y, ylen, OID, OL), 0);
	CU_ASSERT_EQUAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, y, ylen, OID, 0), -EINVAL);
	wlen = tcap_userinfo_insert(w, sizeof(w), y, ylen, (const uint8_t *)"\x88\x37\x97\x71\x02", OL,
				    (const uint8_t *)"\x01", 1);
	CU_ASSERT_FATAL(wlen > 0);
	for (j = wlen - 5; j >= 0 && memcmp(w + j, "\x88\x37\x97\x71\x02", 5); j--)
		;
	CU_ASSERT_FATAL(j >= 0);
	w[j + 4] = 0x01;
	CU_ASSERT_EQUAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, w, wlen, OID, OL), -EBADMSG);
	/* an EXTERNAL with the OID that is single-ASN1-type: 28 L 06 05 OID a0 03 04 01 01 */
	{
		struct tcap_msg m;

		CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m, x, xlen), xlen);
		m.num_userinfo = 1;
		m.userinfo_ext[0].oid = (struct ber_slice){ OID, OL };
		m.userinfo_ext[0].encoding = TCAP_EXT_SINGLE_ASN1;
		m.userinfo_ext[0].value = (struct ber_slice){ (const uint8_t *)"\x04\x01\x01", 3 };
		wlen = tcap_msg_encode(w, sizeof(w), &m);
		CU_ASSERT_FATAL(wlen > 0);
		CU_ASSERT_EQUAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, w, wlen, OID, OL), -EBADMSG);
		/* octet-aligned but not a token */
		m.userinfo_ext[0].encoding = TCAP_EXT_OCTET_ALIGNED;
		m.userinfo_ext[0].value = (struct ber_slice){ (const uint8_t *)"\x02\x01\x01", 3 };
		wlen = tcap_msg_encode(w, sizeof(w), &m);
		CU_ASSERT_EQUAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, w, wlen, OID, OL), -EBADMSG);
		/* a token in an Abort's AARE: a message that cannot carry one */
		m.type = TCAP_MSG_ABORT;
		m.num_components = 0;
		m.userinfo_ext[0].value = (struct ber_slice){ y + token_off(y, ylen), 1 + 2 + 77 };
		wlen = tcap_msg_encode(w, sizeof(w), &m);
		CU_ASSERT_FATAL(wlen > 0);
		CU_ASSERT_EQUAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, w, wlen, OID, OL), -EBADMSG);
	}
	/* verify of a stripped message that does not decode */
	CU_ASSERT_EQUAL_FATAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, y, ylen, OID, OL), 0);
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok, z, zlen - 1, pk), -EBADMSG);
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok, z, TCAP_SIG_MSG_MAX + 1, pk), -EBADMSG);
	quiet(false);
}

/* The OID is the operators' choice: another one works, and a message
 * signed under one is not found under the other */
static void test_oid(void)
{
	uint8_t x[BUF_MAX], y[BUF_MAX + TCAP_SIG_OVERHEAD], z[BUF_MAX], oid[TCAP_SIG_OID_MAX];
	struct tcap_sig_token tok;
	size_t zlen;
	int xlen, ylen, n;

	CU_ASSERT_EQUAL(tcap_sig_oid_parse(oid, sizeof(oid), TCAP_STIWF_SIG_OID_TEXT), (int)OL);
	CU_ASSERT(memcmp(oid, OID, OL) == 0);
	CU_ASSERT_EQUAL(tcap_sig_oid_parse(oid, sizeof(oid), "1.3.6.1.4.1"), 5);
	CU_ASSERT_EQUAL(tcap_sig_oid_parse(oid, 4, "1.3.6.1.4.1"), -EINVAL);
	CU_ASSERT_EQUAL(tcap_sig_oid_parse(oid, sizeof(oid), ""), -EINVAL);
	CU_ASSERT_EQUAL(tcap_sig_oid_parse(oid, sizeof(oid), "1.3.x"), -EINVAL);
	CU_ASSERT_EQUAL(tcap_sig_oid_parse(oid, sizeof(oid), NULL), -EINVAL);
	/* a 2.25 UUID OID (X.667): 128-bit arc */
	n = tcap_sig_oid_parse(oid, sizeof(oid), "2.25.86463577012294038856916042319872316038");
	CU_ASSERT_FATAL(n > 10);

	xlen = build(x, sizeof(x), TCAP_MSG_BEGIN);
	ylen = tcap_sig_sign(y, sizeof(y), x, xlen, sk, IAT, ORIG, oid, n);
	CU_ASSERT_FATAL(ylen > 0);
	CU_ASSERT_EQUAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, y, ylen, OID, OL), -ENOENT);
	CU_ASSERT_EQUAL(tcap_sig_extract(&tok, z, sizeof(z), &zlen, y, ylen, oid, n), 0);
	CU_ASSERT(zlen == (size_t)xlen && memcmp(z, x, xlen) == 0);
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok, z, zlen, pk), 0);
}

/* the operators' keys and certificates of the test PKI */
static EVP_PKEY *k1, *k2;
static X509 *c1, *c2;

static int setup(void *root)
{
	ctx = root;
	sccp_tdefs_init();
	ul_arg_len = osmo_hexparse(ul_arg_hex, ul_arg, sizeof(ul_arg));
	k1 = testpki_key("tsca/op1-full.key");
	k2 = testpki_key("tsca/op2-full.key");
	c1 = testpki_cert("tsca/op1-full.pem");
	c2 = testpki_cert("tsca/op2-full.pem");
	if (ul_arg_len <= 0 || !k1 || !k2 || !c1 || !c2) {
		fprintf(stderr, "no test PKI\n");
	}
	sk = sigtoken_key_alloc(ctx, k1);
	sk2 = sigtoken_key_alloc(ctx, k2);
	pk = sigtoken_key_alloc_x509(ctx, c1);
	pk2 = sigtoken_key_alloc_x509(ctx, c2);
	pub = X509_get0_pubkey(c1);
	if (!sk || !sk2 || !pk || !pk2 || !pub)
		return -1;
	return 0;
}

static unsigned int teardown(void)
{
	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
	X509_free(c1);
	X509_free(c2);
	testpki_cleanup();
	return 0;
}

static const struct cunit_test tests[] = {
	{ "other stacks' messages: sign, strip back, verify", test_vectors_roundtrip },
	{ "Begin, Continue and End of a location update", test_dialogue_roundtrip },
	{ "the signed input, checked by OpenSSL alone", test_signed_input },
	{ "every signed field tampered fails", test_tamper },
	{ "the protocol-version is not signed", test_not_signed },
	{ "SCCP addresses rewritten: still valid", test_sccp_rewrite },
	{ "XUDT segmented and reassembled: still valid", test_xudt_segments },
	{ "a replayed token is refused", test_replay },
	{ "every prefix and every bit flip", test_truncation_bitflip },
	{ "the token's bounds", test_token },
	{ "what sign and extract refuse", test_errors },
	{ "another OID", test_oid },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "tcap_sig", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "tcap_sig_test",
	.log = CUNIT_LOG_STDERR,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
