/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stiwf bench tcap: what the hop signature of a MAP dialogue (ss7/tcap_sig.h,
 * ARCHITECTURE §2.3) costs per message, against what OpenSSL alone costs for the
 * same ES256 operation over an input of the same size, on the same key.
 *
 * The message is a TC-BEGIN as a VLR sends it to open a location update:
 * AARQ with networkLocUpContext-v3 and a MAP-OpenInfo (destinationReference
 * the IMSI, originationReference the VLR), and an Invoke of updateLocation
 * (jSS7's UpdateLocationRequestTest argument: IMSI, msc-Number, vlr-Number,
 * vlr-Capability).
 *
 * Each round measures, one after the other and for MS milliseconds each:
 *   encode+sign       encode the Begin from its fields, sign it (the
 *                     signed input built from the decoded message, ECDSA),
 *                     insert the signature EXTERNAL
 *   raw EVP sign      EVP_DigestSignInit + EVP_DigestSign over as many
 *                     octets as the signed input has
 *   raw EVP_PKEY_sign SHA-256 and EVP_PKEY_sign with the digest and the key
 *                     contexts prepared once: the floor, as sigtoken's
 *                     prepared key does it
 *   decode+verify     find and decode the token, strip it, check the iat,
 *                     decode the stripped message, verify
 *   raw EVP verify / raw EVP_PKEY_verify, likewise
 * and prints the medians over the rounds and the ratios. */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/keyid.h"
#include "src/stiwf/stiwf_bench.h"
#include "ss7/gsm_map.h"
#include "ss7/sigtoken.h"
#include "ss7/tcap.h"
#include "ss7/tcap_sig.h"

enum tcap_op {
	OP_SIGN,
	OP_EVP_SIGN,
	OP_PKEY_SIGN,
	OP_VERIFY,
	OP_EVP_VERIFY,
	OP_PKEY_VERIFY,
	_NUM_OP
};

#define OID ((const uint8_t *)TCAP_STIWF_SIG_OID)
#define OL TCAP_STIWF_SIG_OID_LEN
#define ORIG "491700000002"

/* 29.002 §17.2.2 map-DialogueAS { 0 4 0 0 1 1 1 1 } */
static const uint8_t map_dialogue_as[] = { 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01 };
/* 29.002 §17.4 MAP-DialoguePDU map-open [0] { destinationReference [0] IMSI
 * 262019876543210 (E.212), originationReference [1] VLR 491700000002 } */
static const uint8_t map_open[] = { 0xa0, 0x14, 0x80, 0x09, 0x96, 0x62, 0x02, 0x91, 0x78, 0x56, 0x34,
				    0x12, 0xf0, 0x81, 0x07, 0x91, 0x94, 0x71, 0x00, 0x00, 0x00, 0x20 };
/* UpdateLocationArg (RestComm/jss7 UpdateLocationRequestTest getEncodedData) */
static const uint8_t ul_arg[] = { 0x30, 0x19, 0x04, 0x05, 0x11, 0x11, 0x21, 0x22, 0x22, 0x81, 0x04, 0x91,
				  0x22, 0x22, 0xf8, 0x04, 0x04, 0x91, 0x22, 0x22, 0xf9, 0xa6, 0x04, 0x85,
				  0x02, 0x03, 0x80 };
static const uint8_t pv1[] = { 0x07, 0x80 };

struct tcap_bench {
	EVP_PKEY *pkey;
	struct sigtoken_key *key;
	struct tcap_msg msg;		/* the Begin's fields */
	uint8_t acn[7];
	uint8_t signed_msg[512];	/* a signed Begin, for decode+verify */
	int signed_len;
	int plain_len;
	int input_len;			/* the signed input's octets */
	uint8_t data[TCAP_SIG_INPUT_MAX];	/* what the raw operations sign */
	uint8_t md[32];
	uint8_t der[80];
	size_t der_len;
	EVP_MD_CTX *mdctx, *hctx;
	EVP_MD *sha256;			/* fetched once, for the prepared floor */
	EVP_PKEY_CTX *sctx, *vctx;
	uint32_t iat;
	unsigned long sink;
};

static int tcap_sign_once(void *arg)
{
	struct tcap_bench *b = arg;
	uint8_t plain[512], out[512 + TCAP_SIG_OVERHEAD];
	int n;

	n = tcap_msg_encode(plain, sizeof(plain), &b->msg);
	if (n < 0)
		return n;
	n = tcap_sig_sign(out, sizeof(out), plain, n, b->key, b->iat, ORIG, OID, OL);
	if (n < 0)
		return n;
	b->sink += out[n - 1];
	return 0;
}

static int tcap_verify_once(void *arg)
{
	struct tcap_bench *b = arg;
	struct tcap_sig_token tok;
	uint8_t stripped[512];
	size_t slen;
	int rc;

	rc = tcap_sig_extract(&tok, stripped, sizeof(stripped), &slen, b->signed_msg, b->signed_len, OID, OL);
	if (rc == 0)
		rc = sigtoken_iat_check(tok.hop.iat, b->iat, SIGTOKEN_WINDOW_DEFAULT, 0);
	if (rc == 0)
		rc = tcap_sig_verify(&tok, stripped, slen, b->key);
	return rc;
}

static int evp_sign_once(void *arg)
{
	struct tcap_bench *b = arg;
	uint8_t sig[80];
	size_t len = sizeof(sig);

	if (EVP_DigestSignInit(b->mdctx, NULL, EVP_sha256(), NULL, b->pkey) != 1 ||
	    EVP_DigestSign(b->mdctx, sig, &len, b->data, b->input_len) != 1)
		return -EIO;
	b->sink += sig[0];
	return 0;
}

static int evp_verify_once(void *arg)
{
	struct tcap_bench *b = arg;

	if (EVP_DigestVerifyInit(b->mdctx, NULL, EVP_sha256(), NULL, b->pkey) != 1 ||
	    EVP_DigestVerify(b->mdctx, b->der, b->der_len, b->data, b->input_len) != 1)
		return -EIO;
	return 0;
}

/* SHA-256 with the algorithm fetched once and the context reused, as
 * sigtoken's prepared key hashes */
static int prepared_digest(struct tcap_bench *b)
{
	unsigned int n = 0;

	if (EVP_DigestInit_ex(b->hctx, b->sha256, NULL) != 1 ||
	    EVP_DigestUpdate(b->hctx, b->data, b->input_len) != 1 ||
	    EVP_DigestFinal_ex(b->hctx, b->md, &n) != 1)
		return -EIO;
	return 0;
}

static int pkey_sign_once(void *arg)
{
	struct tcap_bench *b = arg;
	uint8_t sig[80];
	size_t len = sizeof(sig);

	/* the signer hashes too */
	if (prepared_digest(b) < 0 || EVP_PKEY_sign(b->sctx, sig, &len, b->md, sizeof(b->md)) != 1)
		return -EIO;
	b->sink += sig[0];
	return 0;
}

static int pkey_verify_once(void *arg)
{
	struct tcap_bench *b = arg;

	if (prepared_digest(b) < 0 || EVP_PKEY_verify(b->vctx, b->der, b->der_len, b->md, sizeof(b->md)) != 1)
		return -EIO;
	return 0;
}

/* in the order of enum tcap_op */
static const struct stiwf_bench_op tcap_ops[_NUM_OP] = {
	{ "tcap_encode_sign_per_s", tcap_sign_once },
	{ "evp_es256_sign_per_s", evp_sign_once },
	{ "evp_pkey_sign_prepared_per_s", pkey_sign_once },
	{ "tcap_decode_verify_per_s", tcap_verify_once },
	{ "evp_es256_verify_per_s", evp_verify_once },
	{ "evp_pkey_verify_prepared_per_s", pkey_verify_once },
};

static void begin_fields(struct tcap_bench *b)
{
	struct tcap_msg *m = &b->msg;
	struct tcap_component *c;

	memset(m, 0, sizeof(*m));
	m->type = TCAP_MSG_BEGIN;
	m->has_otid = true;
	m->otid_len = 4;
	memcpy(m->otid, "\x00\x01\x86\xa3", 4);
	m->dlg_pdu = TCAP_DLG_AARQ;
	m->proto_version = (struct ber_slice){ pv1, sizeof(pv1) };
	m->acn = (struct ber_slice){ b->acn, sizeof(b->acn) };
	m->num_userinfo = 1;
	m->userinfo_ext[0].oid = (struct ber_slice){ map_dialogue_as, sizeof(map_dialogue_as) };
	m->userinfo_ext[0].encoding = TCAP_EXT_SINGLE_ASN1;
	m->userinfo_ext[0].value = (struct ber_slice){ map_open, sizeof(map_open) };
	c = &m->comp[m->num_components++];
	c->type = TCAP_COMP_INVOKE;
	c->has_invoke_id = true;
	c->invoke_id = 1;
	c->has_code = true;
	c->code_local = GSM_MAP_OP_UPDATE_LOCATION;
	c->param = (struct ber_slice){ ul_arg, sizeof(ul_arg) };
}

static int bench_setup(struct tcap_bench *b, void *ctx)
{
	struct tcap_sig_token tok;
	struct tcap_msg *dec;
	uint8_t plain[512], stripped[512];
	size_t slen;
	int i;

	b->iat = (uint32_t)time(NULL);
	if (gsm_map_ac_encode(b->acn, sizeof(b->acn), GSM_MAP_AC_NETWORK_LOC_UP, 3) != 7)
		return -EINVAL;
	begin_fields(b);
	b->key = sigtoken_key_alloc(ctx, b->pkey);
	b->mdctx = EVP_MD_CTX_new();
	b->hctx = EVP_MD_CTX_new();
	b->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	b->sctx = EVP_PKEY_CTX_new_from_pkey(NULL, b->pkey, NULL);
	b->vctx = EVP_PKEY_CTX_new_from_pkey(NULL, b->pkey, NULL);
	dec = talloc_zero(ctx, struct tcap_msg);
	if (!b->key || !b->mdctx || !b->hctx || !b->sha256 || !b->sctx || !b->vctx || !dec || EVP_PKEY_sign_init(b->sctx) != 1 ||
	    EVP_PKEY_verify_init(b->vctx) != 1)
		return -ENOMEM;
	/* the signed Begin that decode+verify reads */
	b->plain_len = tcap_msg_encode(plain, sizeof(plain), &b->msg);
	if (b->plain_len < 0)
		return -EIO;
	b->signed_len = tcap_sig_sign(b->signed_msg, sizeof(b->signed_msg), plain, b->plain_len, b->key, b->iat,
				      ORIG, OID, OL);
	if (b->signed_len < 0 || tcap_verify_once(b) != 0)
		return -EIO;
	/* the raw operations sign as many octets as the signed input has */
	if (tcap_sig_extract(&tok, stripped, sizeof(stripped), &slen, b->signed_msg, b->signed_len, OID, OL) < 0 ||
	    tcap_msg_decode(dec, stripped, slen) < 0)
		return -EIO;
	b->input_len = tcap_sig_input(b->data, sizeof(b->data), dec, &tok.hop, tok.orig_gt);
	if (b->input_len < 0)
		return -EIO;
	for (i = 0; i < b->input_len; i++)
		b->data[i] = i;
	b->der_len = sizeof(b->der);
	if (EVP_DigestSignInit(b->mdctx, NULL, EVP_sha256(), NULL, b->pkey) != 1 ||
	    EVP_DigestSign(b->mdctx, b->der, &b->der_len, b->data, b->input_len) != 1)
		return -EIO;
	return 0;
}

int stiwf_bench_tcap(const struct stiwf_bench_opts *o, json_t *out)
{
	double med[_NUM_OP];
	struct tcap_bench *b;
	char kid[KEYID_HEX_LEN];
	void *ctx;
	int rc = -EIO;

	ctx = talloc_named_const(NULL, 0, "stiwf bench tcap");
	b = ctx ? talloc_zero(ctx, struct tcap_bench) : NULL;
	if (!b) {
		talloc_free(ctx);
		return -ENOMEM;
	}
	b->pkey = stiwf_bench_key(o, ctx);
	if (!b->pkey || bench_setup(b, ctx) < 0) {
		fprintf(stderr, "stiwf bench: setup failed\n");
		goto out;
	}
	keyid_to_hex(kid, sizeof(kid), sigtoken_key_id(b->key));
	stiwf_bench_say(o, "key: P-256 %s, key-id %s\n", o->key_path ? "loaded" : "generated", kid);
	stiwf_bench_say(o, "TC-BEGIN updateLocation with MAP-OpenInfo: %d octets, signed %d, signed input %d\n",
			b->plain_len, b->signed_len, b->input_len);
	json_object_set_new(out, "message_octets", json_integer(b->plain_len));
	json_object_set_new(out, "signed_octets", json_integer(b->signed_len));
	json_object_set_new(out, "signed_input_octets", json_integer(b->input_len));
	stiwf_bench_say(o, "rounds: %u x %u ms per measurement, medians:\n", o->rounds, o->ms);
	if (stiwf_bench_interleaved(o, tcap_ops, _NUM_OP, b, med, out) < 0)
		goto out;
	stiwf_bench_put_ratio(o, out, "sign_ratio", med[OP_SIGN] / med[OP_EVP_SIGN]);
	stiwf_bench_put_ratio(o, out, "verify_ratio", med[OP_VERIFY] / med[OP_EVP_VERIFY]);
	stiwf_bench_put_ratio(o, out, "sign_ratio_prepared", med[OP_SIGN] / med[OP_PKEY_SIGN]);
	stiwf_bench_put_ratio(o, out, "verify_ratio_prepared", med[OP_VERIFY] / med[OP_PKEY_VERIFY]);
	rc = 0;
out:
	EVP_MD_CTX_free(b->mdctx);
	EVP_MD_CTX_free(b->hctx);
	EVP_MD_free(b->sha256);
	EVP_PKEY_CTX_free(b->sctx);
	EVP_PKEY_CTX_free(b->vctx);
	EVP_PKEY_free(b->pkey);
	talloc_free(ctx);
	return rc;
}
