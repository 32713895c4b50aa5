/* stiwf bench isup|passport: what the signalling token (isup) and the
 * STI-AS/STI-VS (passport, see below) cost per call, against what
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
 *                     PASSporT end to end (DESIGN §2.2, §4): decode, get
 *                     the token, check iat, verify HOP, rebuild the
 *                     PASSporT from the PASSPORT TLV and the numbers, verify
 *                     it: two ECDSA verifications per IAM
 *   2x raw EVP verify two EVP_DigestVerifyInit + EVP_DigestVerify, its floor
 * and prints the medians over the rounds and the ratios. */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
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
#include "sip/passport.h"
#include "sip/stir_as.h"
#include "sip/stir_vs.h"
#include "src/logging.h"
#include "src/stiwf_bench.h"
#include "src/stiwf_tool.h"
#include "ss7/isup.h"
#include "ss7/sigtoken.h"

#define EXIT_FAILED 1
#define EXIT_USAGE STIWF_EXIT_USAGE
#define BENCH_MAX_ROUNDS 101

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

static const char *const op_names[_NUM_OP] = {
	[OP_IAM_SIGN] = "iam_encode_sign_per_s",
	[OP_EVP_SIGN] = "evp_es256_sign_per_s",
	[OP_PKEY_SIGN] = "evp_pkey_sign_prepared_per_s",
	[OP_IAM_VERIFY] = "iam_decode_verify_per_s",
	[OP_EVP_VERIFY] = "evp_es256_verify_per_s",
	[OP_PKEY_VERIFY] = "evp_pkey_verify_prepared_per_s",
	[OP_IAM_VERIFY_PP] = "iam_decode_verify_hop_passport_per_s",
	[OP_EVP_VERIFY_X2] = "evp_es256_verify_x2_per_s",
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

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int iam_sign_once(struct bench *b)
{
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

static int iam_verify_once(struct bench *b)
{
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

static int evp_verify_once(struct bench *b);

/* the egress IWF's work on an IAM that carries a PASSporT (DESIGN §4) */
static int iam_verify_pp_once(struct bench *b)
{
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

static int evp_verify_x2_once(struct bench *b)
{
	int rc = evp_verify_once(b);

	return rc < 0 ? rc : evp_verify_once(b);
}

static int evp_sign_once(struct bench *b)
{
	uint8_t sig[80];
	size_t len = sizeof(sig);

	if (EVP_DigestSignInit(b->mdctx, NULL, EVP_sha256(), NULL, b->pkey) != 1 ||
	    EVP_DigestSign(b->mdctx, sig, &len, b->data, sizeof(b->data)) != 1)
		return -EIO;
	b->sink += sig[0];
	return 0;
}

static int evp_verify_once(struct bench *b)
{
	if (EVP_DigestVerifyInit(b->mdctx, NULL, EVP_sha256(), NULL, b->pkey) != 1 ||
	    EVP_DigestVerify(b->mdctx, b->der, b->der_len, b->data, sizeof(b->data)) != 1)
		return -EIO;
	return 0;
}

static int pkey_sign_once(struct bench *b)
{
	uint8_t sig[80];
	size_t len = sizeof(sig);

	if (EVP_PKEY_sign(b->sctx, sig, &len, b->md, sizeof(b->md)) != 1)
		return -EIO;
	b->sink += sig[0];
	return 0;
}

static int pkey_verify_once(struct bench *b)
{
	unsigned int n = 0;

	/* the verifier hashes too, as raw EVP_DigestVerify does */
	if (EVP_Digest(b->data, sizeof(b->data), b->md, &n, EVP_sha256(), NULL) != 1 ||
	    EVP_PKEY_verify(b->vctx, b->der, b->der_len, b->md, sizeof(b->md)) != 1)
		return -EIO;
	return 0;
}

static int (*const op_fn[_NUM_OP])(struct bench *b) = {
	[OP_IAM_SIGN] = iam_sign_once,
	[OP_EVP_SIGN] = evp_sign_once,
	[OP_PKEY_SIGN] = pkey_sign_once,
	[OP_IAM_VERIFY] = iam_verify_once,
	[OP_EVP_VERIFY] = evp_verify_once,
	[OP_PKEY_VERIFY] = pkey_verify_once,
	[OP_IAM_VERIFY_PP] = iam_verify_pp_once,
	[OP_EVP_VERIFY_X2] = evp_verify_x2_once,
};

/* operations per second of one op for about ms milliseconds */
static int measure(struct bench *b, enum bench_op op, unsigned int ms, double *rate)
{
	double t0 = now_s(), t;
	unsigned long n = 0;
	unsigned int i;

	do {
		for (i = 0; i < 16; i++) {
			if (op_fn[op](b) < 0) {
				fprintf(stderr, "stiwf bench: %s failed\n", op_names[op]);
				ERR_clear_error();
				return -EIO;
			}
		}
		n += 16;
		t = now_s() - t0;
	} while (t * 1000 < ms);
	*rate = n / t;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

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

static const char *const pp_op_names[_NUM_PP_OP] = {
	[PP_AS_SIGN] = "passport_sign_per_s",
	[PP_EVP_SIGN] = "evp_es256_sign_per_s",
	[PP_VS_VERIFY] = "passport_verify_per_s",
	[PP_EVP_VERIFY] = "evp_es256_verify_per_s",
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

static int pp_as_sign_once(struct pp_bench *b)
{
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

static int pp_vs_verify_once(struct pp_bench *b)
{
	unsigned int want = b->answered + 1;

	if (!stir_vs_verify(b->vs, NULL, &b->cfg, &b->in, pp_vs_cb, b))
		return -ENOMEM;
	while (b->answered < want)
		osmo_select_main(0);
	return b->code ? -EIO : 0;
}

/* the same operations OpenSSL alone does, over the same signing input */
static int pp_evp_sign_once(struct pp_bench *b)
{
	uint8_t sig[80];
	size_t len = sizeof(sig);

	if (EVP_DigestSignInit(b->mdctx, NULL, EVP_sha256(), NULL, b->pkey) != 1 ||
	    EVP_DigestSign(b->mdctx, sig, &len, (const uint8_t *)b->pp->signing_input,
			   b->pp->signing_input_len) != 1)
		return -EIO;
	b->sink += sig[0];
	return 0;
}

static int pp_evp_verify_once(struct pp_bench *b)
{
	if (EVP_DigestVerifyInit(b->mdctx, NULL, EVP_sha256(), NULL, b->pkey) != 1 ||
	    EVP_DigestVerify(b->mdctx, b->der, b->der_len, (const uint8_t *)b->pp->signing_input,
			     b->pp->signing_input_len) != 1)
		return -EIO;
	return 0;
}

static int (*const pp_op_fn[_NUM_PP_OP])(struct pp_bench *b) = {
	[PP_AS_SIGN] = pp_as_sign_once,
	[PP_EVP_SIGN] = pp_evp_sign_once,
	[PP_VS_VERIFY] = pp_vs_verify_once,
	[PP_EVP_VERIFY] = pp_evp_verify_once,
};

static int pp_measure(struct pp_bench *b, enum pp_op op, unsigned int ms, double *rate)
{
	double t0 = now_s(), t;
	unsigned long n = 0;
	unsigned int i;

	do {
		for (i = 0; i < 16; i++) {
			if (pp_op_fn[op](b) < 0) {
				fprintf(stderr, "stiwf bench: %s failed\n", pp_op_names[op]);
				ERR_clear_error();
				return -EIO;
			}
		}
		n += 16;
		t = now_s() - t0;
	} while (t * 1000 < ms);
	*rate = n / t;
	return 0;
}

static int add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&v3, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	if (!ext)
		return -EINVAL;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -ENOMEM;
}

/* one certificate policy, the SHAKEN CP (ATIS-1000080 §6.4.1) */
static int add_policy(X509 *x)
{
	CERTIFICATEPOLICIES *pols = sk_POLICYINFO_new_null();
	POLICYINFO *pi = POLICYINFO_new();
	int rc = -ENOMEM;

	if (!pols || !pi)
		goto out;
	pi->policyid = OBJ_txt2obj("2.16.840.1.114569.1.1.3", 1);
	if (!pi->policyid || !sk_POLICYINFO_push(pols, pi))
		goto out;
	pi = NULL;
	if (X509_add1_ext_i2d(x, NID_certificate_policies, pols, 0, X509V3_ADD_DEFAULT) == 1)
		rc = 0;
out:
	POLICYINFO_free(pi);
	sk_POLICYINFO_pop_free(pols, POLICYINFO_free);
	return rc;
}

/* TNAuthList (RFC 8226 §9) with SPC "1234": 30 08 A0 06 16 04 "1234" */
static int add_tnauthlist(X509 *x)
{
	static const uint8_t der[] = { 0x30, 0x08, 0xa0, 0x06, 0x16, 0x04, '1', '2', '3', '4' };
	ASN1_OBJECT *obj = OBJ_txt2obj(TNAUTH_OID, 1);
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *ext = NULL;
	int rc = -ENOMEM;

	if (obj && os && ASN1_OCTET_STRING_set(os, der, sizeof(der)))
		ext = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, os);
	if (ext && X509_add_ext(x, ext, -1))
		rc = 0;
	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(os);
	ASN1_OBJECT_free(obj);
	return rc;
}

/* A certificate for key, signed by issuer_key (self-signed when issuer is NULL). */
static X509 *pp_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key, bool ca)
{
	X509 *x = X509_new();
	X509_NAME *name;
	uint8_t serial[8];
	BIGNUM *bn = NULL;
	int rc = 0;

	if (!x || RAND_bytes(serial, sizeof(serial)) != 1)
		goto err;
	serial[0] &= 0x7f;
	serial[0] |= 0x01;
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	name = X509_get_subject_name(x);
	if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) || !X509_set_version(x, 2) ||
	    !X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, (const uint8_t *)"US", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const uint8_t *)"stiwf bench", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const uint8_t *)cn, -1, -1, 0) ||
	    !X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name) ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -3600) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), 86400) || !X509_set_pubkey(x, key))
		goto err;
	rc |= add_ext(x, issuer ? issuer : x, NID_subject_key_identifier, "hash");
	if (ca) {
		rc |= add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE");
		rc |= add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign");
	} else {
		/* ATIS-1000080 §6.4.1 end entity */
		rc |= add_ext(x, issuer, NID_authority_key_identifier, "keyid:always");
		rc |= add_ext(x, issuer, NID_basic_constraints, "critical,CA:FALSE");
		rc |= add_ext(x, issuer, NID_key_usage, "critical,digitalSignature");
		rc |= add_policy(x);
		rc |= add_tnauthlist(x);
	}
	if (rc || !X509_sign(x, issuer_key, EVP_sha256()))
		goto err;
	BN_free(bn);
	return x;
err:
	BN_free(bn);
	X509_free(x);
	return NULL;
}

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

	b->root = root_key ? pp_cert(root_key, "SHAKEN bench ROOT", NULL, root_key, true) : NULL;
	b->leaf = b->root ? pp_cert(b->pkey, "SHAKEN 1234", b->root, root_key, false) : NULL;
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

static int bench_passport(unsigned int rounds, unsigned int ms, const char *key_path, const char *cert_path)
{
	static double rates[_NUM_PP_OP][BENCH_MAX_ROUNDS];
	struct credential *cred = NULL;
	double med[_NUM_PP_OP];
	struct pp_bench b;
	unsigned int r, op;
	void *ctx;
	int rc = EXIT_FAILED;

	ctx = talloc_named_const(NULL, 0, "stiwf bench passport");
	if (!ctx)
		return EXIT_FAILED;
	memset(&b, 0, sizeof(b));
	if (key_path) {
		if (credential_load(ctx, &cred, key_path, cert_path, NULL) < 0) {
			fprintf(stderr, "stiwf bench: cannot load the credential\n");
			goto out;
		}
		b.pkey = cred->key;
		EVP_PKEY_up_ref(b.pkey);
	} else {
		b.pkey = EVP_EC_gen("P-256");
	}
	if (!b.pkey || pp_setup(&b, ctx) < 0) {
		fprintf(stderr, "stiwf bench: setup failed (is the key P-256?)\n");
		goto out;
	}
	printf("key: P-256 %s; certificate in the x5u cache (STI-VS on a cache hit)\n",
	       key_path ? "loaded" : "generated");
	printf("rounds: %u x %u ms per measurement, medians:\n", rounds, ms);
	fflush(stdout);
	for (r = 0; r < rounds; r++) {
		for (op = 0; op < _NUM_PP_OP; op++) {
			if (pp_measure(&b, op, ms, &rates[op][r]) < 0)
				goto out;
		}
	}
	for (op = 0; op < _NUM_PP_OP; op++) {
		med[op] = median(rates[op], rounds);
		printf("%-32s %.0f\n", pp_op_names[op], med[op]);
	}
	printf("%-32s %.3f\n", "sign_ratio", med[PP_AS_SIGN] / med[PP_EVP_SIGN]);
	printf("%-32s %.3f\n", "verify_ratio", med[PP_VS_VERIFY] / med[PP_EVP_VERIFY]);
	rc = 0;
out:
	talloc_free(ctx);	/* the services before the key and certificates */
	EVP_MD_CTX_free(b.mdctx);
	X509_free(b.root);
	X509_free(b.leaf);
	EVP_PKEY_free(b.pkey);
	return rc;
}

static void bench_usage(FILE *out)
{
	fprintf(out,
		"Usage: stiwf bench isup|passport [--rounds N] [--ms MS] [--sign-key FILE --sign-cert FILE]\n"
		"       stiwf bench pipeline|scaling [--rounds N] [--ms MS] [--sign-key FILE --sign-cert FILE]\n"
		"                                    [--threads N] [--json]\n"
		"isup:     IAM encode+sign and decode+verify per second, and IAM decode + verify\n"
		"          HOP + rebuild and verify the PASSporT carried end to end (two\n"
		"          verifications per IAM)\n"
		"passport: STI-AS signing (PASSporT + Identity header value) and STI-VS\n"
		"          verification with the certificate in the x5u cache (Identity parse,\n"
		"          decode, checks, cache hit, signature) per second\n"
		"with a loaded P-256 key (generated, or the credential given), and raw OpenSSL\n"
		"EVP ES256 sign, verify and two verifies per second on the same key in the same\n"
		"run; print the medians of N rounds (default 5, odd, at most 101) of MS\n"
		"milliseconds per measurement (default 300) and the ratios.\n"
		"pipeline: the daemon's whole work per call, one call at a time on one core,\n"
		"          SIP->ISUP (INVITE text to IAM octets) and ISUP->SIP with the PASSporT\n"
		"          rebuilt or signed anew (IAM octets to INVITE text), against the raw\n"
		"          EVP operations of the call\n"
		"scaling:  the same with the crypto on the worker pool and many calls in flight,\n"
		"          with 1 worker and with --threads N (default one per core)\n"
		"--json:   print one JSON object with the figures and nothing else on stdout\n");
}

/* Run a section; with --json its object is all that goes to stdout. */
static int bench_section(int (*section)(const struct stiwf_bench_opts *o, json_t *out),
			 const struct stiwf_bench_opts *o)
{
	json_t *out = json_object();
	int rc = EXIT_FAILED;

	if (!out)
		return EXIT_FAILED;
	if (section(o, out) < 0)
		goto out;
	if (o->json) {
		if (json_dumpf(out, stdout, JSON_COMPACT) < 0 || putchar('\n') == EOF || fflush(stdout) != 0) {
			fprintf(stderr, "stiwf bench: cannot write the JSON object\n");
			goto out;
		}
	}
	rc = 0;
out:
	json_decref(out);
	return rc;
}

/*! "stiwf bench ...": argv[0] is "bench". */
int stiwf_cmd_bench(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "ms", required_argument, NULL, 'm' },
		{ "sign-key", required_argument, NULL, 'k' },
		{ "sign-cert", required_argument, NULL, 'C' },
		{ "threads", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static double rates[_NUM_OP][BENCH_MAX_ROUNDS];
	const char *key_path = NULL, *cert_path = NULL;
	unsigned int rounds = 5, ms = 300, r, op;
	struct credential *cred = NULL;
	double med[_NUM_OP];
	struct bench b;
	char kid[KEYID_HEX_LEN];
	unsigned long v;
	char *end;
	void *ctx;
	struct stiwf_bench_opts o = { 0 };
	int (*section)(const struct stiwf_bench_opts *o, json_t *out) = NULL;
	bool passport;
	int opt, rc = EXIT_FAILED;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		bench_usage(stdout);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "pipeline"))
		section = stiwf_bench_pipeline;
	else if (argc >= 2 && !strcmp(argv[1], "scaling"))
		section = stiwf_bench_scaling;
	else if (argc < 2 || (strcmp(argv[1], "isup") && strcmp(argv[1], "passport"))) {
		bench_usage(stderr);
		return EXIT_USAGE;
	}
	passport = !strcmp(argv[1], "passport");
	argc--;
	argv++;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r':
		case 'm':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || optarg[0] == '-' || v < 1 ||
			    (opt == 'r' && (v > BENCH_MAX_ROUNDS || v % 2 == 0)) || (opt == 'm' && v > 60000)) {
				fprintf(stderr, "stiwf bench: bad --%s '%s'\n", opt == 'r' ? "rounds" : "ms", optarg);
				return EXIT_USAGE;
			}
			if (opt == 'r')
				rounds = v;
			else
				ms = v;
			break;
		case 'k':
			key_path = optarg;
			break;
		case 'C':
			cert_path = optarg;
			break;
		case 't':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (!section || errno || *end || optarg[0] == '-' || v < 1 || v > 64) {
				fprintf(stderr, "stiwf bench: bad --threads '%s' (1..64, pipeline and scaling)\n",
					optarg);
				return EXIT_USAGE;
			}
			o.threads = v;
			break;
		case 'j':
			if (!section) {
				bench_usage(stderr);
				return EXIT_USAGE;
			}
			o.json = true;
			break;
		case 'h':
			bench_usage(stdout);
			return 0;
		default:
			bench_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc || !key_path != !cert_path) {
		bench_usage(stderr);
		return EXIT_USAGE;
	}
	if (section) {
		o.rounds = rounds;
		o.ms = ms;
		o.key_path = key_path;
		o.cert_path = cert_path;
		return bench_section(section, &o);
	}
	if (passport)
		return bench_passport(rounds, ms, key_path, cert_path);
	ctx = talloc_named_const(NULL, 0, "stiwf bench");
	if (!ctx)
		return EXIT_FAILED;
	memset(&b, 0, sizeof(b));
	if (key_path) {
		if (credential_load(ctx, &cred, key_path, cert_path, NULL) < 0) {
			fprintf(stderr, "stiwf bench: cannot load the credential\n");
			goto out;
		}
		b.pkey = cred->key;
		EVP_PKEY_up_ref(b.pkey);
	} else {
		b.pkey = EVP_EC_gen("P-256");
	}
	if (!b.pkey || bench_setup(&b, ctx) < 0) {
		fprintf(stderr, "stiwf bench: setup failed\n");
		goto out;
	}
	keyid_to_hex(kid, sizeof(kid), sigtoken_key_id(b.key));
	printf("key: P-256 %s, key-id %s\n", key_path ? "loaded" : "generated", kid);
	printf("rounds: %u x %u ms per measurement, medians:\n", rounds, ms);
	fflush(stdout);
	/* interleaved, so that a slower moment of the machine hits all alike */
	for (r = 0; r < rounds; r++) {
		for (op = 0; op < _NUM_OP; op++) {
			if (measure(&b, op, ms, &rates[op][r]) < 0)
				goto out;
		}
	}
	for (op = 0; op < _NUM_OP; op++) {
		med[op] = median(rates[op], rounds);
		printf("%-32s %.0f\n", op_names[op], med[op]);
	}
	printf("%-32s %.3f\n", "sign_ratio", med[OP_IAM_SIGN] / med[OP_EVP_SIGN]);
	printf("%-32s %.3f\n", "verify_ratio", med[OP_IAM_VERIFY] / med[OP_EVP_VERIFY]);
	printf("%-32s %.3f\n", "verify_hop_passport_ratio", med[OP_IAM_VERIFY_PP] / med[OP_EVP_VERIFY_X2]);
	printf("%-32s %.3f\n", "sign_ratio_prepared", med[OP_IAM_SIGN] / med[OP_PKEY_SIGN]);
	printf("%-32s %.3f\n", "verify_ratio_prepared", med[OP_IAM_VERIFY] / med[OP_PKEY_VERIFY]);
	rc = 0;
out:
	EVP_MD_CTX_free(b.mdctx);
	EVP_PKEY_CTX_free(b.sctx);
	EVP_PKEY_CTX_free(b.vctx);
	EVP_PKEY_free(b.pkey);
	talloc_free(ctx);
	return rc;
}
