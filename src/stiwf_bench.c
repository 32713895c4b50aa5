/* stiwf bench isup: what the signalling token costs per call, against what
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
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/credential.h"
#include "certs/keyid.h"
#include "iwf/e2e_passport.h"
#include "sip/passport.h"
#include "src/logging.h"
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

static void bench_usage(FILE *out)
{
	fprintf(out,
		"Usage: stiwf bench isup [--rounds N] [--ms MS] [--sign-key FILE --sign-cert FILE]\n"
		"Measure IAM encode+sign and decode+verify per second with a loaded P-256 key\n"
		"(generated, or the credential given), IAM decode + verify HOP + rebuild and\n"
		"verify the PASSporT carried end to end (two verifications per IAM), and raw\n"
		"OpenSSL EVP ES256 sign, verify and two verifies per second on the same key in\n"
		"the same run; print the medians of\n"
		"N rounds (default 5, odd, at most 101) of MS milliseconds per measurement\n"
		"(default 300) and the ratios.\n");
}

/*! "stiwf bench ...": argv[0] is "bench". */
int stiwf_cmd_bench(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "ms", required_argument, NULL, 'm' },
		{ "sign-key", required_argument, NULL, 'k' },
		{ "sign-cert", required_argument, NULL, 'C' },
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
	int opt, rc = EXIT_FAILED;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		bench_usage(stdout);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "isup")) {
		bench_usage(stderr);
		return EXIT_USAGE;
	}
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
