/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stiwf bench isup|passport: what the signalling token (isup) and the
 * STI-AS/STI-VS (passport, see below) cost per call (tcap: in
 * stiwf_bench_tcap.c), against what
 * OpenSSL alone costs for the same ES256 operations on the same key.
 *
 *   stiwf bench isup [--rounds N] [--ms MS] [--sign-key FILE --sign-cert FILE]
 *
 * Each round measures, one after the other and for MS milliseconds each:
 *   IAM encode+sign   build an IAM, derive the call identity, sign HOP, put
 *                     the token in the APP parameter, encode the message
 *   raw EVP sign      EVP_DigestSignInit + EVP_DigestSign over 130 octets
 *                     (what an ES256 signer without prepared contexts does)
 *   raw EVP_PKEY_sign EVP_PKEY_sign over a SHA-256 with a context prepared
 *                     once: the floor, the ECDSA operation alone
 *   decode+verify     decode the IAM, get the token, derive the call
 *                     identity, check iat, verify HOP
 *   raw EVP verify / raw EVP_PKEY_verify, likewise
 *   decode+verify HOP+PASSporT
 *                     what the egress IWF does with an IAM that carries a
 *                     PASSporT end to end (ARCHITECTURE §2.2, §4): decode, get
 *                     the token, check iat, verify HOP, rebuild the
 *                     PASSporT from the PASSPORT TLV and the numbers, verify
 *                     it: two ECDSA verifications per IAM
 *   2x raw EVP verify two EVP_DigestVerifyInit + EVP_DigestVerify, its floor
 * and prints the medians over the rounds and the ratios. */

#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/x509v3.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/cache.h"
#include "certs/credential.h"
#include "certs/fetch.h"
#include "certs/keyid.h"
#include "certs/resolve.h"
#include "certs/tnauthlist.h"
#include "certs/truststore.h"
#include "iwf/e2e_passport.h"
#include "iwf/isup_identity.h"
#include "sip/passport.h"
#include "sip/stir_as.h"
#include "sip/stir_vs.h"
#include "src/core/logging.h"
#include "src/stiwf/stiwf_bench.h"
#include "src/stiwf/stiwf_bench_pki.h"
#include "src/stiwf/stiwf_tool.h"
#include "ss7/isup.h"
#include "ss7/sigtoken.h"

#define EXIT_FAILED 1
#define EXIT_USAGE STIWF_EXIT_USAGE
#define BENCH_MAX_ROUNDS STIWF_BENCH_MAX_ROUNDS

int stiwf_cmd_bench(int argc, char **argv);

enum bench_op {
	OP_IAM_SIGN,
	OP_EVP_SIGN,
	OP_PKEY_SIGN,
	OP_IAM_VERIFY,
	OP_EVP_VERIFY,
	OP_PKEY_VERIFY,
	OP_IAM_VERIFY_PP,
	OP_EVP_VERIFY_X2,
	_NUM_OP
};

struct bench {
	EVP_PKEY *pkey;
	struct sigtoken_key *key;
	struct isup_msg *msg, *rx;
	uint8_t iam[1024];		/* a signed IAM, for decode+verify */
	int iam_len;
	uint8_t data[130];		/* what the raw operations sign */
	uint8_t md[32];
	uint8_t der[80];		/* raw EVP signature of data, DER */
	size_t der_len;
	EVP_MD_CTX *mdctx;
	EVP_PKEY_CTX *sctx, *vctx;
	uint32_t iat;
	unsigned long sink;
	/* an IAM with HOP, PASSPORT and VERDICT, for decode+verify of both */
	bool with_pp;
	struct sigtoken_passport pp_tlv;
	uint8_t iam_pp[1024];
	int iam_pp_len;
	struct passport *pp;		/* the rebuilt PASSporT */
};

static int iam_sign_once(void *arg)
{
	struct bench *b = arg;
	struct sigtoken_call call;
	struct sigtoken tok;
	struct isup_param *p;
	uint8_t out[1024];
	int rc;

	rc = isup_msg_init(b->msg, ISUP_MSG_IAM, 1);
	if (rc < 0)
		return rc;
	p = isup_msg_param_find(b->msg, ISUP_PAR_FCI);
	p->u.fci.international = 1;
	p->u.fci.isup = 1;
	p = isup_msg_param_find(b->msg, ISUP_PAR_CPC);
	p->u.u8 = 0x0a;
	p = isup_msg_param_find(b->msg, ISUP_PAR_CALLED_PARTY_NUMBER);
	p->u.number.nai = ISUP_NAI_INTERNATIONAL;
	p->u.number.npi = 1;
	memcpy(p->u.number.digits, "12025550100", 12);
	p = isup_msg_opt_add(b->msg, ISUP_PAR_CALLING_PARTY_NUMBER);
	p->u.number.nai = ISUP_NAI_INTERNATIONAL;
	p->u.number.npi = 1;
	p->u.number.si = ISUP_SI_NETWORK_PROVIDED;
	memcpy(p->u.number.digits, "4930123456", 11);
	memset(&tok, 0, sizeof(tok));
	if (b->with_pp) {
		tok.has_passport = true;
		tok.passport = b->pp_tlv;
		tok.has_verdict = true;
		tok.verdict.verstat = SIGTOKEN_VERSTAT_PASSED;
	}
	rc = sigtoken_call_from_iam(&call, b->msg, NULL);
	if (rc == 0)
		rc = sigtoken_hop_sign(&tok, b->key, b->iat, &call);
	if (rc == 0)
		rc = sigtoken_iam_put(b->msg, &tok, SIGTOKEN_ACI_DEFAULT);
	if (rc == 0)
		rc = isup_msg_encode(out, sizeof(out), b->msg);
	if (rc < 0)
		return rc;
	b->sink += out[rc - 1];
	return 0;
}

static int iam_verify_once(void *arg)
{
	struct bench *b = arg;
	struct sigtoken_call call;
	struct sigtoken tok;
	int rc;

	rc = isup_msg_decode(b->rx, b->iam, b->iam_len);
	if (rc < 0)
		return rc;
	rc = sigtoken_iam_get(&tok, b->rx, SIGTOKEN_ACI_DEFAULT);
	if (rc == 0)
		rc = sigtoken_call_from_iam(&call, b->rx, NULL);
	if (rc == 0)
		rc = sigtoken_iat_check(tok.hop.iat, b->iat, SIGTOKEN_WINDOW_DEFAULT, 0);
	if (rc == 0)
		rc = sigtoken_hop_verify(&tok, b->key, &call);
	return rc;
}

static int evp_verify_once(void *arg);

/* the egress IWF's work on an IAM that carries a PASSporT (ARCHITECTURE §4) */
static int iam_verify_pp_once(void *arg)
{
	struct bench *b = arg;
	struct sigtoken_call call;
	struct sigtoken tok;
	int rc;

	rc = isup_msg_decode(b->rx, b->iam_pp, b->iam_pp_len);
	if (rc < 0)
		return rc;
	rc = sigtoken_iam_get(&tok, b->rx, SIGTOKEN_ACI_DEFAULT);
	if (rc == 0 && !tok.has_passport)
		rc = -ENOENT;
	if (rc == 0)
		rc = sigtoken_call_from_iam(&call, b->rx, NULL);
	if (rc == 0)
		rc = sigtoken_iat_check(tok.hop.iat, b->iat, SIGTOKEN_WINDOW_DEFAULT, 0);
	if (rc == 0)
		rc = sigtoken_hop_verify(&tok, b->key, &call);
	if (rc == 0)
		rc = e2e_passport_rebuild(b->pp, &tok.passport, call.orig, call.dest);
	if (rc == 0 && passport_verify(b->pp, b->pkey) != 0)
		rc = -EBADMSG;
	return rc;
}

static int evp_verify_x2_once(void *arg)
{
	struct bench *b = arg;
	int rc = evp_verify_once(b);

	return rc < 0 ? rc : evp_verify_once(b);
}

static int evp_sign_once(void *arg)
{
	struct bench *b = arg;
	uint8_t sig[80];
	size_t len = sizeof(sig);

	if (EVP_DigestSignInit(b->mdctx, NULL, EVP_sha256(), NULL, b->pkey) != 1 ||
	    EVP_DigestSign(b->mdctx, sig, &len, b->data, sizeof(b->data)) != 1)
		return -EIO;
	b->sink += sig[0];
	return 0;
}

static int evp_verify_once(void *arg)
{
	struct bench *b = arg;
	if (EVP_DigestVerifyInit(b->mdctx, NULL, EVP_sha256(), NULL, b->pkey) != 1 ||
	    EVP_DigestVerify(b->mdctx, b->der, b->der_len, b->data, sizeof(b->data)) != 1)
		return -EIO;
	return 0;
}

static int pkey_sign_once(void *arg)
{
	struct bench *b = arg;
	uint8_t sig[80];
	size_t len = sizeof(sig);

	if (EVP_PKEY_sign(b->sctx, sig, &len, b->md, sizeof(b->md)) != 1)
		return -EIO;
	b->sink += sig[0];
	return 0;
}

static int pkey_verify_once(void *arg)
{
	struct bench *b = arg;
	unsigned int n = 0;

	/* the verifier hashes too, as raw EVP_DigestVerify does */
	if (EVP_Digest(b->data, sizeof(b->data), b->md, &n, EVP_sha256(), NULL) != 1 ||
	    EVP_PKEY_verify(b->vctx, b->der, b->der_len, b->md, sizeof(b->md)) != 1)
		return -EIO;
	return 0;
}

/* in the order of enum bench_op */
static const struct stiwf_bench_op isup_ops[_NUM_OP] = {
	{ "iam_encode_sign_per_s", iam_sign_once },
	{ "evp_es256_sign_per_s", evp_sign_once },
	{ "evp_pkey_sign_prepared_per_s", pkey_sign_once },
	{ "iam_decode_verify_per_s", iam_verify_once },
	{ "evp_es256_verify_per_s", evp_verify_once },
	{ "evp_pkey_verify_prepared_per_s", pkey_verify_once },
	{ "iam_decode_verify_hop_passport_per_s", iam_verify_pp_once },
	{ "evp_es256_verify_x2_per_s", evp_verify_x2_once },
};

static int bench_setup(struct bench *b, void *ctx)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < sizeof(b->data); i++)
		b->data[i] = i;
	b->iat = (uint32_t)time(NULL);
	b->key = sigtoken_key_alloc(ctx, b->pkey);
	b->msg = talloc_zero(ctx, struct isup_msg);
	b->rx = talloc_zero(ctx, struct isup_msg);
	b->mdctx = EVP_MD_CTX_new();
	b->sctx = EVP_PKEY_CTX_new_from_pkey(NULL, b->pkey, NULL);
	b->vctx = EVP_PKEY_CTX_new_from_pkey(NULL, b->pkey, NULL);
	if (!b->key || !b->msg || !b->rx || !b->mdctx || !b->sctx || !b->vctx ||
	    EVP_PKEY_sign_init(b->sctx) != 1 || EVP_PKEY_verify_init(b->vctx) != 1)
		return -ENOMEM;
	if (EVP_Digest(b->data, sizeof(b->data), b->md, &n, EVP_sha256(), NULL) != 1)
		return -EIO;
	b->der_len = sizeof(b->der);
	if (EVP_DigestSignInit(b->mdctx, NULL, EVP_sha256(), NULL, b->pkey) != 1 ||
	    EVP_DigestSign(b->mdctx, b->der, &b->der_len, b->data, sizeof(b->data)) != 1)
		return -EIO;
	/* the IAM that decode+verify reads */
	if (iam_sign_once(b) < 0)
		return -EIO;
	b->iam_len = isup_msg_encode(b->iam, sizeof(b->iam), b->msg);
	if (b->iam_len < 0 || iam_verify_once(b) != 0)
		return -EIO;
	/* and the IAM with a PASSporT signed on the same key (an STI
	 * certificate's key costs the same to verify) */
	b->pp = talloc_zero(ctx, struct passport);
	if (!b->pp)
		return -ENOMEM;
	{
		const char *dest[1] = { "12025550100" };

		if (passport_init_shaken(b->pp, "https://cert.example.org/sp-a-chain.pem", 'A', "4930123456",
					 dest, 1, b->iat, "8f4e1a2b-0c3d-4e5f-9a6b-7c8d9e0f1a2b") < 0 ||
		    passport_sign(b->pp, b->pkey) < 0 ||
		    e2e_passport_to_tlv(&b->pp_tlv, b->pp, "4930123456", "12025550100") != E2E_PP_OK)
			return -EIO;
	}
	b->with_pp = true;
	if (iam_sign_once(b) < 0)
		return -EIO;
	b->with_pp = false;
	b->iam_pp_len = isup_msg_encode(b->iam_pp, sizeof(b->iam_pp), b->msg);
	if (b->iam_pp_len < 0 || iam_verify_pp_once(b) != 0)
		return -EIO;
	return 0;
}

/* ------------------------------------------------------- bench passport */

/* stiwf bench passport: the STI-AS and STI-VS paths per call against raw
 * OpenSSL ES256 on the same key.  The certificate is made in memory (a
 * root and an ATIS-1000080 leaf with TNAuthList SPC 1234) and sits in the
 * x5u cache, so that verification is the full STI-VS path on a cache hit:
 * Identity parse, PASSporT decode, the checks, the resolver answering from
 * the cache (chain verification remembered) and the signature. */

enum pp_op {
	PP_AS_SIGN,
	PP_EVP_SIGN,
	PP_VS_VERIFY,
	PP_EVP_VERIFY,
	_NUM_PP_OP
};

#define PP_X5U "https://cert.example.org/passport.pem"

struct pp_bench {
	EVP_PKEY *pkey;
	X509 *root, *leaf;
	struct credential cred;		/* borrowed key and chain for the STI-AS */
	struct stir_as *as;
	struct stir_vs *vs;
	struct stir_vs_cfg cfg;
	struct passport *pp;		/* what the raw operations sign and verify */
	struct passport *scratch;	/* what each STI-AS signing fills */
	char identity[STIR_AS_IDENTITY_MAX];
	const char *ident[1];
	struct stir_vs_input in;
	unsigned int answered;
	int code;
	EVP_MD_CTX *mdctx;
	uint8_t der[80];
	size_t der_len;
	unsigned long sink;
};

static int pp_as_sign_once(void *arg)
{
	struct pp_bench *b = arg;
	struct stir_as_input in = { .orig_tn = "12025550002", .dest_tn = "12025550001", .iat = b->in.now };
	char out[STIR_AS_IDENTITY_MAX];
	int rc;

	rc = stir_as_sign_sync(b->as, &in, b->scratch, out, sizeof(out));
	if (rc < 0)
		return rc;
	b->sink += out[rc - 1];
	return 0;
}

static void pp_vs_cb(const struct stir_vs_result *res, void *priv)
{
	struct pp_bench *b = priv;

	b->answered++;
	b->code = res->code;
}

static int pp_vs_verify_once(void *arg)
{
	struct pp_bench *b = arg;
	unsigned int want = b->answered + 1;

	if (!stir_vs_verify(b->vs, NULL, &b->cfg, &b->in, pp_vs_cb, b))
		return -ENOMEM;
	while (b->answered < want)
		osmo_select_main(0);
	return b->code ? -EIO : 0;
}

/* the same operations OpenSSL alone does, over the same signing input */
static int pp_evp_sign_once(void *arg)
{
	struct pp_bench *b = arg;
	uint8_t sig[80];
	size_t len = sizeof(sig);

	if (EVP_DigestSignInit(b->mdctx, NULL, EVP_sha256(), NULL, b->pkey) != 1 ||
	    EVP_DigestSign(b->mdctx, sig, &len, (const uint8_t *)b->pp->signing_input,
			   b->pp->signing_input_len) != 1)
		return -EIO;
	b->sink += sig[0];
	return 0;
}

static int pp_evp_verify_once(void *arg)
{
	struct pp_bench *b = arg;
	if (EVP_DigestVerifyInit(b->mdctx, NULL, EVP_sha256(), NULL, b->pkey) != 1 ||
	    EVP_DigestVerify(b->mdctx, b->der, b->der_len, (const uint8_t *)b->pp->signing_input,
			     b->pp->signing_input_len) != 1)
		return -EIO;
	return 0;
}

/* in the order of enum pp_op */
static const struct stiwf_bench_op pp_ops[_NUM_PP_OP] = {
	{ "passport_sign_per_s", pp_as_sign_once },
	{ "evp_es256_sign_per_s", pp_evp_sign_once },
	{ "passport_verify_per_s", pp_vs_verify_once },
	{ "evp_es256_verify_per_s", pp_evp_verify_once },
};

static int pp_setup(struct pp_bench *b, void *ctx)
{
	struct stir_as_cfg acfg = { .attest = 'A' };
	struct cert_domain_cfg dcfg = { .name = "shaken", .shaken_profile = true };
	struct cert_cache_hdrs h = { 0 };
	struct fetch_policy pol;
	struct truststore *ts;
	struct cert_cache *cache;
	struct cert_domain *d;
	struct fetcher *f;
	STACK_OF(X509) *sk;
	EVP_PKEY *root_key = EVP_EC_gen("P-256");
	int rc = -EIO;

	b->root = root_key ? bench_pki_cert(root_key, "SHAKEN bench ROOT", NULL, root_key, true, NULL, NULL) : NULL;
	b->leaf = b->root ? bench_pki_cert(b->pkey, "SHAKEN 1234", b->root, root_key, false,
					   BENCH_PKI_SHAKEN_POLICY, "1234") : NULL;
	EVP_PKEY_free(root_key);
	if (!b->leaf)
		return -EIO;
	ts = truststore_alloc(ctx, "shaken", NULL);
	cache = cert_cache_alloc(ctx, NULL);
	fetch_policy_init(&pol);
	f = fetcher_alloc(ctx, "x5u", &pol);
	sk = sk_X509_new_null();
	if (!ts || !cache || !f || !sk || truststore_add_cert(ts, b->root) < 0 || !X509_up_ref(b->leaf) ||
	    !sk_X509_push(sk, b->leaf)) {
		sk_X509_pop_free(sk, X509_free);
		return -ENOMEM;
	}
	/* the chain as a fetch would have left it in the cache */
	if (!cert_cache_put(cache, PP_X5U, sk, &h)) {
		sk_X509_pop_free(sk, X509_free);
		return -EIO;
	}
	d = cert_domain_alloc(ctx, &dcfg, f, cache, ts);
	b->vs = d ? stir_vs_alloc(ctx, d, NULL) : NULL;
	b->cred.key = b->pkey;
	b->cred.leaf = b->leaf;
	b->cred.x5u = (char *)PP_X5U;
	b->as = stir_as_alloc(ctx, &b->cred, &acfg, NULL);
	b->pp = talloc_zero(ctx, struct passport);
	b->scratch = talloc_zero(ctx, struct passport);
	b->mdctx = EVP_MD_CTX_new();
	if (!b->vs || !b->as || !b->pp || !b->scratch || !b->mdctx)
		return -ENOMEM;

	stir_vs_cfg_init(&b->cfg);
	/* long runs stay fresh: the window is not what is measured */
	b->cfg.max_age = 86400;
	b->in.now = time(NULL);
	rc = pp_as_sign_once(b);
	if (rc == 0)
		rc = stir_as_sign_sync(b->as, &(struct stir_as_input){ .orig_tn = "12025550002",
			.dest_tn = "12025550001", .iat = b->in.now }, b->pp, b->identity, sizeof(b->identity));
	if (rc < 0)
		return rc;
	b->ident[0] = b->identity;
	b->in.identity = b->ident;
	b->in.num_identity = 1;
	b->in.orig_tn = "12025550002";
	b->in.dest_tn = "12025550001";
	b->der_len = sizeof(b->der);
	if (EVP_DigestSignInit(b->mdctx, NULL, EVP_sha256(), NULL, b->pkey) != 1 ||
	    EVP_DigestSign(b->mdctx, b->der, &b->der_len, (const uint8_t *)b->pp->signing_input,
			   b->pp->signing_input_len) != 1)
		return -EIO;
	/* the first verification warms the cache entry (chain, TNAuthList) */
	if (pp_vs_verify_once(b) < 0 || pp_vs_verify_once(b) < 0)
		return -EIO;
	return 0;
}

static int bench_passport(const struct stiwf_bench_opts *o, json_t *out)
{
	double med[_NUM_PP_OP];
	struct pp_bench b;
	void *ctx;
	int rc = -EIO;

	ctx = talloc_named_const(NULL, 0, "stiwf bench passport");
	if (!ctx)
		return -ENOMEM;
	memset(&b, 0, sizeof(b));
	b.pkey = stiwf_bench_key(o, ctx);
	if (!b.pkey || pp_setup(&b, ctx) < 0) {
		fprintf(stderr, "stiwf bench: setup failed (is the key P-256?)\n");
		goto out;
	}
	stiwf_bench_say(o, "key: P-256 %s; certificate in the x5u cache (STI-VS on a cache hit)\n",
			o->key_path ? "loaded" : "generated");
	stiwf_bench_say(o, "rounds: %u x %u ms per measurement, medians:\n", o->rounds, o->ms);
	if (stiwf_bench_interleaved(o, pp_ops, _NUM_PP_OP, &b, med, out) < 0)
		goto out;
	stiwf_bench_put_ratio(o, out, "sign_ratio", med[PP_AS_SIGN] / med[PP_EVP_SIGN]);
	stiwf_bench_put_ratio(o, out, "verify_ratio", med[PP_VS_VERIFY] / med[PP_EVP_VERIFY]);
	rc = 0;
out:
	talloc_free(ctx);	/* the services before the key and certificates */
	EVP_MD_CTX_free(b.mdctx);
	X509_free(b.root);
	X509_free(b.leaf);
	EVP_PKEY_free(b.pkey);
	return rc;
}

static int bench_isup(const struct stiwf_bench_opts *o, json_t *out)
{
	double med[_NUM_OP];
	struct bench b;
	char kid[KEYID_HEX_LEN];
	void *ctx;
	int rc = -EIO;

	ctx = talloc_named_const(NULL, 0, "stiwf bench isup");
	if (!ctx)
		return -ENOMEM;
	memset(&b, 0, sizeof(b));
	b.pkey = stiwf_bench_key(o, ctx);
	if (!b.pkey || bench_setup(&b, ctx) < 0) {
		fprintf(stderr, "stiwf bench: setup failed\n");
		goto out;
	}
	keyid_to_hex(kid, sizeof(kid), sigtoken_key_id(b.key));
	stiwf_bench_say(o, "key: P-256 %s, key-id %s\n", o->key_path ? "loaded" : "generated", kid);
	stiwf_bench_say(o, "rounds: %u x %u ms per measurement, medians:\n", o->rounds, o->ms);
	if (stiwf_bench_interleaved(o, isup_ops, _NUM_OP, &b, med, out) < 0)
		goto out;
	stiwf_bench_put_ratio(o, out, "sign_ratio", med[OP_IAM_SIGN] / med[OP_EVP_SIGN]);
	stiwf_bench_put_ratio(o, out, "verify_ratio", med[OP_IAM_VERIFY] / med[OP_EVP_VERIFY]);
	stiwf_bench_put_ratio(o, out, "verify_hop_passport_ratio", med[OP_IAM_VERIFY_PP] / med[OP_EVP_VERIFY_X2]);
	stiwf_bench_put_ratio(o, out, "sign_ratio_prepared", med[OP_IAM_SIGN] / med[OP_PKEY_SIGN]);
	stiwf_bench_put_ratio(o, out, "verify_ratio_prepared", med[OP_IAM_VERIFY] / med[OP_PKEY_VERIFY]);
	rc = 0;
out:
	EVP_MD_CTX_free(b.mdctx);
	EVP_PKEY_CTX_free(b.sctx);
	EVP_PKEY_CTX_free(b.vctx);
	EVP_PKEY_free(b.pkey);
	talloc_free(ctx);
	return rc;
}

typedef int (*bench_section_fn)(const struct stiwf_bench_opts *o, json_t *out);

static const struct {
	const char *name;
	bench_section_fn fn;
	const char *help;
} sections[] = {
	/* first in "all": what the process holds before the caches fill is
	 * then its start-up memory, not the heap the pipelines left behind;
	 * an allocator that hands that heap out again (glibc's free lists, a
	 * sanitizer's recycled quarantine) would hide the caches' growth */
	{ "memory", stiwf_bench_memory,
	  "resident memory of the two certificate caches filled to their bound" },
	{ "isup", bench_isup,
	  "IAM encode+sign, decode+verify HOP, decode+verify HOP and the PASSporT carried\n"
	  "            end to end, against raw OpenSSL ES256 on the same key" },
	{ "tcap", stiwf_bench_tcap,
	  "TC-BEGIN (updateLocation, MAP-OpenInfo) encode+sign and decode+verify of the\n"
	  "            hop signature, against raw OpenSSL ES256 over as many octets" },
	{ "passport", bench_passport,
	  "STI-AS sign and STI-VS verify on an x5u cache hit, against raw OpenSSL" },
	{ "pipeline", stiwf_bench_pipeline,
	  "a whole call per direction on one core (SIP->ISUP; ISUP->SIP rebuilding\n"
	  "            or re-signing the PASSporT), against its crypto floor" },
	{ "scaling", stiwf_bench_scaling,
	  "the pipelines with the crypto on the worker pool: one worker and one per core" },
	{ "e2e", stiwf_bench_e2e,
	  "SIPp at rising rates through the ARCHITECTURE §6 topology against Kamailio+secsipid,\n"
	  "            added post-dial delay, memory with 10,000 established calls\n"
	  "            (the installed tests/bench/e2e.sh, or a build tree's; minutes)" },
};

static void bench_usage(FILE *out)
{
	unsigned int i;

	fprintf(out,
		"Usage: stiwf bench SECTION|all [--json] [--rounds N] [--ms MS] [--threads N]\n"
		"                   [--sign-key FILE --sign-cert FILE] [--quick] [--no-e2e]\n"
		"                   [--e2e-script FILE] [--build-tree DIR]\n"
		"Sections:\n");
	for (i = 0; i < ARRAY_SIZE(sections); i++)
		fprintf(out, "  %-9s %s\n", sections[i].name, sections[i].help);
	fprintf(out,
		"  all       every section in this order; with --no-e2e all but e2e\n"
		"Rates are medians of N interleaved rounds (default 5, odd, at most 101) of MS\n"
		"milliseconds per measurement (default 300), each with its baseline measured in\n"
		"the same run, and the ratio.  --json prints one JSON object instead of text\n"
		"(field names: docs/BENCHMARKS.md).  A generated P-256 key unless a credential\n"
		"is given.  --threads: scaling's worker count (default one per core).  --quick:\n"
		"the short end-to-end run.  --json-out FILE: the JSON to FILE, the text on\n"
		"stdout.  --build-tree DIR: e2e measures the programs built in DIR (a configured\n"
		"build directory) instead of the installed ones.\n");
}

static int bench_run(const char *name, bench_section_fn fn, const struct stiwf_bench_opts *o, json_t *all)
{
	json_t *obj = json_object();
	int rc;

	if (!obj)
		return -ENOMEM;
	stiwf_bench_say(o, "== %s ==\n", name);
	rc = fn(o, obj);
	if (rc < 0) {
		fprintf(stderr, "stiwf bench %s: failed\n", name);
		json_decref(obj);
		return rc;
	}
	return json_object_set_new(all, name, obj) < 0 ? -ENOMEM : 0;
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0) {
		fprintf(stderr, "stiwf bench: cannot write %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -EIO;
	}
	return 0;
}

/* What the figures were measured on: they mean little without it. */
static int bench_run_info(const struct stiwf_bench_opts *o, json_t *all)
{
	json_t *run = json_object();
	char line[256], model[160] = "", date[32];
	time_t now = time(NULL);
	FILE *f = fopen("/proc/cpuinfo", "r");
	char *colon;

	while (f && fgets(line, sizeof(line), f)) {
		colon = strchr(line, ':');
		if (!strncmp(line, "model name", 10) && colon) {
			snprintf(model, sizeof(model), "%s", colon + 2);
			model[strcspn(model, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	if (!run || json_object_set_new(all, "run", run) < 0)
		return -ENOMEM;
	json_object_set_new(run, "stiwf_version", json_string(PACKAGE_VERSION));
	json_object_set_new(run, "openssl", json_string(OpenSSL_version(OPENSSL_VERSION)));
	json_object_set_new(run, "cores", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
	json_object_set_new(run, "cpu", json_string(model));
	json_object_set_new(run, "date", json_string(date));
	json_object_set_new(run, "rounds", json_integer(o->rounds));
	json_object_set_new(run, "ms", json_integer(o->ms));
	stiwf_bench_say(o, "stiwf %s, %s, %ld cores (%s); medians of %u rounds of %u ms\n", PACKAGE_VERSION,
			OpenSSL_version(OPENSSL_VERSION), sysconf(_SC_NPROCESSORS_ONLN), model, o->rounds, o->ms);
	return 0;
}

/* A figure by its path "a.b.c" in the object, or NULL. */
static json_t *json_path(json_t *obj, const char *path)
{
	char key[64];
	const char *dot;
	size_t n;

	while (obj && (dot = strchr(path, '.'))) {
		n = (size_t)(dot - path);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		obj = json_object_get(obj, key);
		path = dot + 1;
	}
	return obj ? json_object_get(obj, path) : NULL;
}

enum aim_cmp { AIM_AT_LEAST, AIM_BELOW, AIM_AT_MOST };
static const char *const aim_cmp_str[] = { [AIM_AT_LEAST] = ">=", [AIM_BELOW] = "<", [AIM_AT_MOST] = "<=" };

/* The aims, each against the figure that answers it: "met" is
 * true, false, or null when the figure was not measured (--no-e2e). */
static const struct {
	const char *what;
	const char *path;
	enum aim_cmp cmp;	/* figure >= aim, < aim or <= aim */
	double aim;
} aims[] = {
	{ "SIP->ISUP pipeline, fraction of the crypto floor", "pipeline.sip_to_isup.ratio", AIM_AT_LEAST, 0.75 },
	{ "ISUP->SIP pipeline (rebuild), fraction of the crypto floor", "pipeline.isup_to_sip_rebuild.ratio",
	  AIM_AT_LEAST, 0.75 },
	{ "ISUP->SIP pipeline (re-sign), fraction of the crypto floor", "pipeline.isup_to_sip_resign.ratio",
	  AIM_AT_LEAST, 0.75 },
	{ "stiwf pair calls/s over Kamailio+secsipid calls/s (highest rate without failure)",
	  "e2e.ratio_pair_to_kamailio", AIM_AT_LEAST, 1.0 },
	{ "p99 post-dial delay the stiwf pair adds, ms", "e2e.added_delay_ms.pair.p99", AIM_BELOW, 5.0 },
	{ "RSS of stiwfd A with 10,000 established calls, kB (50 MB)", "e2e.memory.a.rss_kb_at_target", AIM_BELOW,
	  51200 },
	{ "TCAP decode+verify, fraction of raw OpenSSL ES256 verify", "tcap.verify_ratio", AIM_AT_LEAST, 0.9 },
	{ "TCAP encode+sign, fraction of raw OpenSSL ES256 sign", "tcap.sign_ratio", AIM_AT_LEAST, 0.9 },
	{ "RSS with both certificate caches full, kB (50 MB)", "memory.cert_cache.rss_full_kb", AIM_BELOW, 51200 },
	{ "stiwfd A with 10,000 calls plus what full caches add, kB (50 MB)",
	  "derived.rss_kb_10k_calls_full_caches", AIM_BELOW, 51200 },
	/* like for like: one node's crypto is Kamailio verify+sign's */
	{ "stiwf pair calls/s over two chained Kamailio verify+sign calls/s (highest rate without failure)",
	  "e2e.ratio_pair_to_kam_chain", AIM_AT_LEAST, 1.0 },
	{ "stiwfd A CPU per call over Kamailio verify+sign CPU per call", "e2e.cpu_ratio_a_to_kam_vs",
	  AIM_AT_MOST, 1.0 },
	{ "stiwfd B CPU per call over Kamailio verify+sign CPU per call", "e2e.cpu_ratio_b_to_kam_vs",
	  AIM_AT_MOST, 1.0 },
	/* the worker pool on all cores over the same pool pinned to one */
	{ "SIP->ISUP calls/s on the cores over one core (worker pool)", "scaling.sip_to_isup.speedup_over_one_core",
	  AIM_AT_LEAST, 1.7 },
	{ "ISUP->SIP (rebuild) calls/s on the cores over one core (worker pool)",
	  "scaling.isup_to_sip_rebuild.speedup_over_one_core", AIM_AT_LEAST, 1.7 },
	{ "ISUP->SIP (re-sign) calls/s on the cores over one core (worker pool)",
	  "scaling.isup_to_sip_resign.speedup_over_one_core", AIM_AT_LEAST, 1.7 },
};

static int bench_summary(const struct stiwf_bench_opts *o, json_t *all)
{
	static const char *const dirs[] = { "sip_to_isup", "isup_to_sip_rebuild", "isup_to_sip_resign" };
	json_t *list = json_array(), *a, *fig, *held, *added, *derived;
	char path[96];
	unsigned int i;
	double v;
	bool met;

	if (!list || json_object_set_new(all, "aims", list) < 0)
		return -ENOMEM;
	/* the daemon holding 10,000 calls measured end to end, plus the
	 * caches filled in this process: the two were measured apart */
	derived = json_object();
	if (!derived)
		return -ENOMEM;
	held = json_path(all, "e2e.memory.a.rss_kb_at_target");
	added = json_path(all, "memory.cert_cache.added_kb");
	if (json_is_number(held) && json_is_number(added) &&
	    json_object_set_new(derived, "rss_kb_10k_calls_full_caches",
				json_real(json_number_value(held) + json_number_value(added))) < 0)
		goto nomem;
	/* the pool on the cores over what stiwfd does on one core: the crypto
	 * inline on the loop (the pipeline section) */
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "scaling.%s.calls_per_s_n_workers", dirs[i]);
		held = json_path(all, path);
		snprintf(path, sizeof(path), "pipeline.%s.calls_per_s", dirs[i]);
		added = json_path(all, path);
		if (!json_is_number(held) || !json_is_number(added) || !(json_number_value(added) > 0))
			continue;
		snprintf(path, sizeof(path), "cores_over_inline_%s", dirs[i]);
		if (json_object_set_new(derived, path,
					json_real(json_number_value(held) / json_number_value(added))) < 0)
			goto nomem;
	}
	if (json_object_size(derived) == 0)
		json_decref(derived);
	else if (json_object_set_new(all, "derived", derived) < 0)
		return -ENOMEM;
	stiwf_bench_say(o, "== aims ==\n");
	for (i = 0; i < ARRAY_SIZE(aims); i++) {
		fig = json_path(all, aims[i].path);
		a = json_pack("{s:s, s:s, s:s, s:f}", "what", aims[i].what, "figure", aims[i].path, "aim",
			      aim_cmp_str[aims[i].cmp], "value", aims[i].aim);
		if (!a || json_array_append_new(list, a) < 0)
			return -ENOMEM;
		if (!json_is_number(fig)) {
			json_object_set_new(a, "measured", json_null());
			json_object_set_new(a, "met", json_null());
			stiwf_bench_say(o, "%-72s %s %g: not measured\n", aims[i].what, aim_cmp_str[aims[i].cmp],
					aims[i].aim);
			continue;
		}
		v = json_number_value(fig);
		switch (aims[i].cmp) {
		case AIM_AT_LEAST:
			met = v >= aims[i].aim;
			break;
		case AIM_AT_MOST:
			met = v <= aims[i].aim;
			break;
		default:
			met = v < aims[i].aim;
			break;
		}
		json_object_set(a, "measured", fig);
		json_object_set_new(a, "met", json_boolean(met));
		stiwf_bench_say(o, "%-72s %s %g: %.*f, %s\n", aims[i].what, aim_cmp_str[aims[i].cmp],
				aims[i].aim, v >= 100 ? 0 : 3, v, met ? "met" : "NOT met");
	}
	return 0;
nomem:
	json_decref(derived);
	return -ENOMEM;
}

/*! "stiwf bench ...": argv[0] is "bench". */
int stiwf_cmd_bench(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "ms", required_argument, NULL, 'm' },
		{ "threads", required_argument, NULL, 't' },
		{ "sign-key", required_argument, NULL, 'k' },
		{ "sign-cert", required_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'j' },
		{ "quick", no_argument, NULL, 'q' },
		{ "no-e2e", no_argument, NULL, 'n' },
		{ "e2e-script", required_argument, NULL, 'e' },
		{ "build-tree", required_argument, NULL, 'b' },
		{ "json-out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct stiwf_bench_opts o = { .rounds = 5, .ms = 300 };
	const char *what, *json_out = NULL;
	bool no_e2e = false;
	unsigned long v;
	json_t *all;
	char *end, *text;
	unsigned int i;
	int opt, rc = 0, found = 0;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		bench_usage(stdout);
		return 0;
	}
	if (argc < 2) {
		bench_usage(stderr);
		return EXIT_USAGE;
	}
	what = argv[1];
	argc--;
	argv++;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r':
		case 'm':
		case 't':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || optarg[0] == '-' || v < 1 ||
			    (opt == 'r' && (v > BENCH_MAX_ROUNDS || v % 2 == 0)) || (opt == 'm' && v > 60000) ||
			    (opt == 't' && v > 256)) {
				fprintf(stderr, "stiwf bench: bad --%s '%s'\n",
					opt == 'r' ? "rounds" : opt == 'm' ? "ms" : "threads", optarg);
				return EXIT_USAGE;
			}
			if (opt == 'r')
				o.rounds = v;
			else if (opt == 'm')
				o.ms = v;
			else
				o.threads = v;
			break;
		case 'k':
			o.key_path = optarg;
			break;
		case 'C':
			o.cert_path = optarg;
			break;
		case 'j':
			o.json = true;
			break;
		case 'q':
			o.quick = true;
			break;
		case 'n':
			no_e2e = true;
			break;
		case 'e':
			o.e2e_script = optarg;
			break;
		case 'b':
			o.build_tree = optarg;
			break;
		case 'o':
			json_out = optarg;
			break;
		case 'h':
			bench_usage(stdout);
			return 0;
		default:
			bench_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc || !o.key_path != !o.cert_path) {
		bench_usage(stderr);
		return EXIT_USAGE;
	}
	all = json_object();
	if (!all || bench_run_info(&o, all) < 0)
		return EXIT_FAILED;
	for (i = 0; i < ARRAY_SIZE(sections) && rc == 0; i++) {
		if (!strcmp(what, "all") ? (no_e2e && sections[i].fn == stiwf_bench_e2e) :
					   strcmp(what, sections[i].name))
			continue;
		found++;
		rc = bench_run(sections[i].name, sections[i].fn, &o, all);
	}
	if (!found) {
		fprintf(stderr, "stiwf bench: no section '%s'\n", what);
		json_decref(all);
		bench_usage(stderr);
		return EXIT_USAGE;
	}
	if (rc == 0 && !strcmp(what, "all"))
		rc = bench_summary(&o, all);
	if (rc == 0 && (o.json || json_out)) {
		text = json_dumps(all, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
		if (!text)
			rc = -ENOMEM;
		else if (o.json)
			printf("%s\n", text);
		if (text && json_out)
			rc = write_text(json_out, text);
		free(text);
	}
	json_decref(all);
	return rc < 0 ? EXIT_FAILED : 0;
}
