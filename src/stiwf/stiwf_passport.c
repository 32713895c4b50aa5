/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stiwf passport: sign and decode PASSporTs (RFC 8225/8588) from scripts.
 * The contract other tools rely on:
 *
 *   stiwf passport sign --key FILE --x5u URL --attest A|B|C --orig TN --dest TN
 *                       [--dest TN]... [--origid UUID] [--iat EPOCH]
 *     prints the Identity header value: <passport>;info=<URL>;alg=ES256;ppt=shaken
 *   stiwf passport decode VALUE
 *     header and claims as JSON, no verification
 *   stiwf passport verify --identity VALUE --orig TN --dest TN --trust DIR
 *                         [--cert FILE] [--crl FILE]... [--now EPOCH] [--max-age SECONDS]
 *                         [--x5u-ca FILE] [--allow-http-x5u] [--fetch-permit CIDR]...
 *     runs the STI-VS (sip/stir_vs.h) on an osmo select loop and prints one
 *     JSON object {"verstat","code","reason","attest","origid","spc"};
 *     exit 0 when it passed, 1 when it failed, 2 on a usage error
 */

#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>

#include "certs/cache.h"
#include "certs/certchain.h"
#include "certs/credential.h"
#include "certs/fetch.h"
#include "certs/resolve.h"
#include "certs/truststore.h"
#include "sip/identity.h"
#include "sip/passport.h"
#include "sip/stir_as.h"
#include "sip/stir_vs.h"
#include "sip/tn.h"
#include "src/stiwf/stiwf_tool.h"

#define IDENTITY_VALUE_MAX 4096

static void sign_usage(FILE *out)
{
	fprintf(out,
		"Usage: stiwf passport sign --key FILE --x5u URL --attest A|B|C --orig TN --dest TN\n"
		"                           [--dest TN]... [--origid UUID] [--iat EPOCH]\n"
		"       stiwf passport sign --key FILE --x5u URL --div TN --orig TN --dest TN [--iat EPOCH]\n"
		"Sign a SHAKEN PASSporT (RFC 8225, RFC 8588) with ES256 and print the Identity\n"
		"header value (RFC 8224): <passport>;info=<URL>;alg=ES256;ppt=shaken\n"
		"With --div, sign a \"div\" PASSporT (RFC 8946 §3) instead: a call to --orig's\n"
		"--dest diverted from TN (no --attest, no --origid); ppt=div.\n"
		"  --key FILE     PEM private key (P-256), mode 0600 or stricter\n"
		"  --x5u URL      where the signer's certificate chain is published\n"
		"  --attest L     attestation level A, B or C\n"
		"  --orig TN      calling number: digits, +E.164, tel: or sip: URI\n"
		"  --dest TN      called number (repeat for several)\n"
		"  --origid UUID  origination identifier (default: a random UUID)\n"
		"  --iat EPOCH    issued-at time (default: now)\n"
		"  --div TN       the number the call was diverted from (RFC 8946 §3)\n");
}

static int cmd_sign(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "x5u", required_argument, NULL, 'x' },
		{ "attest", required_argument, NULL, 'a' },
		{ "orig", required_argument, NULL, 'o' },
		{ "dest", required_argument, NULL, 'd' },
		{ "origid", required_argument, NULL, 'u' },
		{ "iat", required_argument, NULL, 'i' },
		{ "div", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *key_path = NULL, *x5u = NULL, *origid = NULL, *orig_in = NULL, *div_in = NULL;
	char div[STIWF_TN_MAX + 1];
	const char *dest_in[PASSPORT_DEST_TN_MAX];
	char orig[STIWF_TN_MAX + 1], dest[PASSPORT_DEST_TN_MAX][STIWF_TN_MAX + 1];
	const char *dest_p[PASSPORT_DEST_TN_MAX];
	char uuid[40], token[IDENTITY_VALUE_MAX];
	unsigned int n_dest = 0, i;
	struct passport *pp = NULL;
	EVP_PKEY *key = NULL;
	long long iat = (long long)time(NULL);
	char attest = 0;
	int opt, rc = STIWF_EXIT_USAGE;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "k:x:a:o:d:u:i:D:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'k':
			key_path = optarg;
			break;
		case 'x':
			x5u = optarg;
			break;
		case 'a':
			if (strlen(optarg) != 1 || !strchr("ABC", optarg[0])) {
				fprintf(stderr, "stiwf passport sign: --attest must be A, B or C\n");
				return STIWF_EXIT_USAGE;
			}
			attest = optarg[0];
			break;
		case 'o':
			orig_in = optarg;
			break;
		case 'd':
			if (n_dest >= PASSPORT_DEST_TN_MAX) {
				fprintf(stderr, "stiwf passport sign: at most %d --dest\n", PASSPORT_DEST_TN_MAX);
				return STIWF_EXIT_USAGE;
			}
			dest_in[n_dest++] = optarg;
			break;
		case 'u':
			origid = optarg;
			break;
		case 'D':
			div_in = optarg;
			break;
		case 'i':
			if (stiwf_tool_parse_epoch(optarg, &iat) < 0) {
				fprintf(stderr, "stiwf passport sign: bad --iat '%s'\n", optarg);
				return STIWF_EXIT_USAGE;
			}
			break;
		case 'h':
			sign_usage(stdout);
			return 0;
		default:
			sign_usage(stderr);
			return STIWF_EXIT_USAGE;
		}
	}
	/* a div PASSporT has no attest or origid (RFC 8946 §3) */
	if (!key_path || !x5u || !orig_in || n_dest == 0 || optind != argc || (div_in ? attest || origid : !attest)) {
		sign_usage(stderr);
		return STIWF_EXIT_USAGE;
	}
	if (stiwf_tn_normalize(orig_in, strlen(orig_in), orig, sizeof(orig)) < 0) {
		fprintf(stderr, "stiwf passport sign: --orig '%s' is not a telephone number\n", orig_in);
		return STIWF_EXIT_USAGE;
	}
	for (i = 0; i < n_dest; i++) {
		if (stiwf_tn_normalize(dest_in[i], strlen(dest_in[i]), dest[i], sizeof(dest[i])) < 0) {
			fprintf(stderr, "stiwf passport sign: --dest '%s' is not a telephone number\n", dest_in[i]);
			return STIWF_EXIT_USAGE;
		}
		dest_p[i] = dest[i];
	}
	if (div_in && stiwf_tn_normalize(div_in, strlen(div_in), div, sizeof(div)) < 0) {
		fprintf(stderr, "stiwf passport sign: --div '%s' is not a telephone number\n", div_in);
		return STIWF_EXIT_USAGE;
	}
	if (!origid) {
		if (stir_uuid_v4(uuid, sizeof(uuid)) < 0)
			return 1;
		origid = uuid;
	}

	rc = credential_key_load(key_path, &key);
	if (rc < 0) {
		fprintf(stderr, "stiwf passport sign: cannot use the key %s: %s\n", key_path,
			rc == -EPERM ? "readable by group or others (chmod 600)" : strerror(-rc));
		return 1;
	}
	pp = calloc(1, sizeof(*pp));
	if (!pp) {
		rc = 1;
		goto out;
	}
	if (div_in)
		rc = passport_init_div(pp, x5u, orig, dest_p, n_dest, (int64_t)iat, div);
	else
		rc = passport_init_shaken(pp, x5u, attest, orig, dest_p, n_dest, (int64_t)iat, origid);
	if (rc < 0) {
		fprintf(stderr, "stiwf passport sign: bad --x5u, --origid or numbers\n");
		rc = STIWF_EXIT_USAGE;
		goto out;
	}
	rc = passport_sign(pp, key);
	if (rc < 0) {
		fprintf(stderr, "stiwf passport sign: signing failed (%s): is the key P-256?\n", strerror(-rc));
		rc = 1;
		goto out;
	}
	if (passport_full_form(pp, token, sizeof(token)) < 0) {
		rc = 1;
		goto out;
	}
	/* RFC 8224 §4.1; secsipid and others need ;info= (it is mandatory) */
	printf("%s;info=<%s>;alg=ES256;ppt=%s\n", token, x5u, div_in ? "div" : "shaken");
	rc = 0;
out:
	free(pp);
	EVP_PKEY_free(key);
	return rc;
}

static json_t *passport_to_json(const struct passport *pp)
{
	json_t *o = json_object(), *hdr = json_object(), *cl = json_object(), *dest, *arr;
	unsigned int i;

	if (!o || !hdr || !cl)
		goto fail;
	json_object_set_new(hdr, "alg", json_string(pp->alg));
	if (pp->typ[0])
		json_object_set_new(hdr, "typ", json_string(pp->typ));
	if (pp->ppt_str[0])
		json_object_set_new(hdr, "ppt", json_string(pp->ppt_str));
	if (pp->x5u[0])
		json_object_set_new(hdr, "x5u", json_string(pp->x5u));
	if (pp->attest) {
		char a[2] = { pp->attest, 0 };

		json_object_set_new(cl, "attest", json_string(a));
	}
	dest = json_object();
	arr = json_array();
	for (i = 0; i < pp->num_dest_tn; i++)
		json_array_append_new(arr, json_string(pp->dest_tn[i]));
	json_object_set_new(dest, "tn", arr);
	if (pp->num_dest_uri) {
		arr = json_array();
		for (i = 0; i < pp->num_dest_uri; i++)
			json_array_append_new(arr, json_string(pp->dest_uri[i]));
		json_object_set_new(dest, "uri", arr);
	}
	json_object_set_new(cl, "dest", dest);
	if (pp->has_iat)
		json_object_set_new(cl, "iat", json_integer(pp->iat));
	if (pp->orig_tn[0])
		json_object_set_new(cl, "orig", json_pack("{s:s}", "tn", pp->orig_tn));
	if (pp->origid[0])
		json_object_set_new(cl, "origid", json_string(pp->origid));
	if (pp->div_tn[0])
		json_object_set_new(cl, "div", json_pack("{s:s}", "tn", pp->div_tn));
	json_object_set_new(o, "header", hdr);
	json_object_set_new(o, "claims", cl);
	json_object_set_new(o, "canonical", json_boolean(passport_is_canonical(pp)));
	return o;
fail:
	json_decref(o);
	json_decref(hdr);
	json_decref(cl);
	return NULL;
}

static int cmd_decode(int argc, char **argv)
{
	struct identity_hdr ih;
	struct passport *pp;
	json_t *o;
	int rc;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: stiwf passport decode VALUE\n"
		       "Print the header and claims of the PASSporT in an Identity header value\n"
		       "(the part after \"Identity:\") as JSON, without verifying anything.\n");
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "Usage: stiwf passport decode VALUE\n");
		return STIWF_EXIT_USAGE;
	}
	if (identity_hdr_parse(&ih, argv[1], strlen(argv[1])) < 0) {
		fprintf(stderr, "stiwf passport decode: not an Identity header value (RFC 8224 §4.1)\n");
		return 1;
	}
	if (ih.compact) {
		fprintf(stderr, "stiwf passport decode: compact form: header and claims are not in it\n");
		return 1;
	}
	pp = calloc(1, sizeof(*pp));
	if (!pp)
		return 1;
	rc = passport_decode(pp, ih.token.ptr, ih.token.len);
	if (rc < 0) {
		fprintf(stderr, "stiwf passport decode: the PASSporT does not decode (see the log)\n");
		free(pp);
		return 1;
	}
	o = passport_to_json(pp);
	free(pp);
	if (!o)
		return 1;
	json_object_set_new(o, "info", json_stringn(ih.info.ptr, ih.info.len));
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	printf("\n");
	json_decref(o);
	return 0;
}

/* ---------------------------------------------------------------- verify */

#define VERIFY_MAX_CRLS 16
/* Longest the tool waits for an answer: the fetch gives up after its own
 * timeout (2 s by default), so this only catches a bug. */
#define VERIFY_GUARD_S 30
#define VERIFY_CHAIN_MAX (64 * 1024)

static void verify_usage(FILE *out)
{
	fprintf(out,
		"Usage: stiwf passport verify --identity VALUE --orig TN --dest TN --trust DIR\n"
		"                             [--cert FILE] [--crl FILE]... [--now EPOCH] [--max-age SECONDS]\n"
		"                             [--x5u-ca FILE] [--allow-http-x5u] [--fetch-permit CIDR]...\n"
		"Verify the PASSporT of an Identity header value as an STI-VS does (RFC 8224 §6.2,\n"
		"ATIS-1000074 §5.3) and print one JSON object:\n"
		"  {\"verstat\":..., \"code\":0|403|428|436|437|438, \"reason\":..., \"attest\":...,\n"
		"   \"origid\":..., \"spc\":...}\n"
		"Exit 0 when it passed, 1 when it failed, 2 on a usage error.\n"
		"  --identity VALUE  the header value after \"Identity:\" (repeat for several)\n"
		"  --orig TN         calling number of the request: digits, +E.164, tel: or sip: URI\n"
		"  --dest TN         called number of the request\n"
		"  --trust DIR       SHAKEN trust anchors (STI-PA list), PEM files\n"
		"  --cert FILE       use this PEM chain (leaf first) for the x5u instead of fetching it\n"
		"  --crl FILE        a CRL (PEM or DER) to honour (repeat for several)\n"
		"  --now EPOCH       verification time (default: now)\n"
		"  --max-age S       freshness window of iat in seconds (default 60)\n"
		"  --x5u-ca FILE     CA file for the x5u server's TLS certificate (default: system\n"
		"                    CAs); lab use: the port of each --identity's x5u is then allowed\n"
		"                    for that URL\n"
		"  --allow-http-x5u  also fetch http:// x5u URLs (lab use; ATIS-1000080 asks for https)\n"
		"  --fetch-permit CIDR  allow fetching from this address range (repeat for several);\n"
		"                    loopback, private and other special-purpose addresses are refused\n"
		"                    otherwise, as stiwfd(8) refuses them\n");
}

struct verify_state {
	bool done;
	int exit_code;
};

static void verify_cb(const struct stir_vs_result *res, void *priv)
{
	struct verify_state *st = priv;
	char attest[2] = { res->attest, 0 };
	json_t *o;

	st->done = true;
	st->exit_code = res->verstat == STIR_VERSTAT_PASSED ? 0 : 1;
	if (res->code)
		fprintf(stderr, "stiwf passport verify: %d %s: %s\n", res->code, res->reason, res->detail);
	o = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s}",
		      "verstat", get_value_string(stir_verstat_names, res->verstat),
		      "code", res->code, "reason", res->reason, "attest", attest,
		      "origid", res->origid, "spc", res->spc);
	if (!o) {
		st->exit_code = 1;
		return;
	}
	/* RFC 8946: what became of a div PASSporT, and the number the SHAKEN
	 * one was judged against */
	if (res->div != STIR_VS_DIV_NONE) {
		json_object_set_new(o, "div", json_string(get_value_string(stir_vs_div_names, res->div)));
		if (res->div_detail && res->div_detail[0])
			json_object_set_new(o, "div_detail", json_string(res->div_detail));
		if (res->judged_dest)
			json_object_set_new(o, "judged_dest", json_string(res->judged_dest));
	}
	json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	printf("\n");
	json_decref(o);
}

static void guard_cb(void *data)
{
	*(bool *)data = true;
}

/* --cert: put the chain in the cache under the x5u, as if it had been
 * fetched; a chain the cache will not hold (an expired leaf) is judged by
 * the trust store and the verdict remembered, so that the STI-VS sees it
 * through cert_resolve_x5u() all the same. */
static int preload_chain(struct cert_cache *cache, struct truststore *ts, const char *url, const char *path,
			 time_t now)
{
	struct cert_cache_hdrs h = { 0 };
	STACK_OF(X509) *sk = NULL;
	uint8_t *buf;
	char why[160];
	enum cert_err err;
	size_t len;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "stiwf passport verify: --cert %s: %s\n", path, strerror(errno));
		return -errno;
	}
	buf = malloc(VERIFY_CHAIN_MAX);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	len = fread(buf, 1, VERIFY_CHAIN_MAX, f);
	fclose(f);
	if (certchain_parse(&sk, buf, len, why, sizeof(why)) < 0) {
		free(buf);
		fprintf(stderr, "stiwf passport verify: --cert %s: %s\n", path, why);
		return -EBADMSG;
	}
	free(buf);
	if (cert_cache_put(cache, url, sk, &h))
		return 0;
	err = truststore_verify(ts, sk, now, why, sizeof(why));
	if (err == CERT_OK) {
		err = CERT_ERR_INTERNAL;
		snprintf(why, sizeof(why), "the chain cannot be cached");
	}
	sk_X509_pop_free(sk, X509_free);
	return cert_cache_put_negative(cache, url, err, why) ? 0 : -ENOMEM;
}

static time_t verify_clock(void *priv)
{
	return *(const time_t *)priv;
}

static int cmd_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "identity", required_argument, NULL, 'i' },
		{ "orig", required_argument, NULL, 'o' },
		{ "dest", required_argument, NULL, 'd' },
		{ "trust", required_argument, NULL, 't' },
		{ "cert", required_argument, NULL, 'c' },
		{ "crl", required_argument, NULL, 'r' },
		{ "now", required_argument, NULL, 'n' },
		{ "max-age", required_argument, NULL, 'm' },
		{ "x5u-ca", required_argument, NULL, 'a' },
		{ "allow-http-x5u", no_argument, NULL, 'H' },
		{ "fetch-permit", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *identity[STIR_VS_MAX_IDENTITY], *crls[VERIFY_MAX_CRLS], *permits[FETCH_MAX_ACL];
	char *own[FETCH_MAX_OWN_URLS];
	const char *orig_in = NULL, *dest_in = NULL, *trust = NULL, *cert = NULL, *x5u_ca = NULL;
	unsigned int n_identity = 0, n_crls = 0, n_permits = 0, i;
	char orig[STIWF_TN_MAX + 1], dest[STIWF_TN_MAX + 1];
	long long now = (long long)time(NULL), max_age = STIR_VS_DEFAULT_MAX_AGE;
	bool allow_http = false, guard_fired = false;
	struct verify_state st = { .exit_code = 1 };
	struct osmo_timer_list guard = { 0 };
	struct cert_domain_cfg dcfg = { .name = "shaken", .shaken_profile = true };
	struct cert_cache_cfg ccfg;
	struct truststore_cfg tcfg;
	struct fetch_policy pol;
	struct identity_hdr ih;
	struct stir_vs_input in;
	struct stir_vs_cfg vcfg;
	struct truststore *ts;
	struct cert_cache *cache;
	struct cert_domain *d;
	struct fetcher *f;
	struct stir_vs *vs;
	time_t t_now;
	char *end;
	void *ctx;
	int opt, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			if (n_identity >= STIR_VS_MAX_IDENTITY) {
				fprintf(stderr, "stiwf passport verify: at most %d --identity\n", STIR_VS_MAX_IDENTITY);
				return STIWF_EXIT_USAGE;
			}
			identity[n_identity++] = optarg;
			break;
		case 'o':
			orig_in = optarg;
			break;
		case 'd':
			dest_in = optarg;
			break;
		case 't':
			trust = optarg;
			break;
		case 'c':
			cert = optarg;
			break;
		case 'r':
			if (n_crls >= VERIFY_MAX_CRLS) {
				fprintf(stderr, "stiwf passport verify: at most %d --crl\n", VERIFY_MAX_CRLS);
				return STIWF_EXIT_USAGE;
			}
			crls[n_crls++] = optarg;
			break;
		case 'n':
			if (stiwf_tool_parse_epoch(optarg, &now) < 0) {
				fprintf(stderr, "stiwf passport verify: bad --now '%s'\n", optarg);
				return STIWF_EXIT_USAGE;
			}
			break;
		case 'm':
			errno = 0;
			max_age = strtoll(optarg, &end, 10);
			if (errno || *end || optarg[0] < '0' || optarg[0] > '9' || max_age > 86400) {
				fprintf(stderr, "stiwf passport verify: bad --max-age '%s' (0..86400)\n", optarg);
				return STIWF_EXIT_USAGE;
			}
			break;
		case 'a':
			x5u_ca = optarg;
			break;
		case 'H':
			allow_http = true;
			break;
		case 'P':
			if (n_permits >= FETCH_MAX_ACL) {
				fprintf(stderr, "stiwf passport verify: at most %d --fetch-permit\n", FETCH_MAX_ACL);
				return STIWF_EXIT_USAGE;
			}
			permits[n_permits++] = optarg;
			break;
		case 'h':
			verify_usage(stdout);
			return 0;
		default:
			verify_usage(stderr);
			return STIWF_EXIT_USAGE;
		}
	}
	if (!n_identity || !orig_in || !dest_in || !trust || optind != argc) {
		verify_usage(stderr);
		return STIWF_EXIT_USAGE;
	}
	if (stiwf_tn_normalize(orig_in, strlen(orig_in), orig, sizeof(orig)) < 0) {
		fprintf(stderr, "stiwf passport verify: --orig '%s' is not a telephone number\n", orig_in);
		return STIWF_EXIT_USAGE;
	}
	if (stiwf_tn_normalize(dest_in, strlen(dest_in), dest, sizeof(dest)) < 0) {
		fprintf(stderr, "stiwf passport verify: --dest '%s' is not a telephone number\n", dest_in);
		return STIWF_EXIT_USAGE;
	}
	t_now = (time_t)now;

	ctx = talloc_named_const(NULL, 0, "stiwf passport verify");
	if (!ctx)
		return 1;
	rc = 1;
	truststore_cfg_init(&tcfg);
	ts = truststore_alloc(ctx, "shaken", &tcfg);
	if (!ts)
		goto out;
	if (truststore_load_dir(ts, trust) <= 0) {
		fprintf(stderr, "stiwf passport verify: no trust anchor in --trust %s\n", trust);
		rc = STIWF_EXIT_USAGE;
		goto out;
	}
	for (i = 0; i < n_crls; i++) {
		if (truststore_load_crl_file(ts, crls[i]) < 0) {
			fprintf(stderr, "stiwf passport verify: cannot load --crl %s\n", crls[i]);
			rc = STIWF_EXIT_USAGE;
			goto out;
		}
	}
	/* the cache judges lifetimes at the verification time */
	cert_cache_cfg_init(&ccfg);
	ccfg.now = verify_clock;
	ccfg.now_priv = &t_now;
	cache = cert_cache_alloc(ctx, &ccfg);
	fetch_policy_init(&pol);
	pol.allow_http = allow_http;
	pol.ca_file = x5u_ca;
	for (i = 0; i < n_permits; i++) {
		if (stiwf_tool_fetch_permit(&pol, permits[i]) < 0) {
			fprintf(stderr, "stiwf passport verify: --fetch-permit %s is not an IP prefix\n", permits[i]);
			rc = STIWF_EXIT_USAGE;
			goto out;
		}
	}
	/* a lab x5u server on its own port: that port for that URL alone */
	if (x5u_ca || allow_http) {
		for (i = 0; i < n_identity && pol.num_own_urls < FETCH_MAX_OWN_URLS; i++) {
			if (identity_hdr_parse(&ih, identity[i], strlen(identity[i])) < 0 ||
			    ih.info.len > FETCH_URL_MAXLEN)
				continue;
			own[pol.num_own_urls] = talloc_strndup(ctx, ih.info.ptr, ih.info.len);
			if (!own[pol.num_own_urls])
				goto out;
			pol.own_urls[pol.num_own_urls] = own[pol.num_own_urls];
			pol.num_own_urls++;
		}
	}
	f = fetcher_alloc(ctx, "x5u", &pol);
	if (!cache || !f)
		goto out;
	if (cert) {
		/* the PASSporT's x5u is what the STI-VS resolves; "info" must equal it */
		for (i = 0; i < n_identity; i++) {
			char url[FETCH_URL_MAXLEN + 1];

			if (identity_hdr_parse(&ih, identity[i], strlen(identity[i])) < 0 ||
			    ih.info.len > FETCH_URL_MAXLEN)
				continue;
			memcpy(url, ih.info.ptr, ih.info.len);
			url[ih.info.len] = '\0';
			if (preload_chain(cache, ts, url, cert, t_now) < 0) {
				rc = STIWF_EXIT_USAGE;
				goto out;
			}
		}
	}
	d = cert_domain_alloc(ctx, &dcfg, f, cache, ts);
	vs = d ? stir_vs_alloc(ctx, d, NULL) : NULL;
	if (!vs)
		goto out;

	stir_vs_cfg_init(&vcfg);
	vcfg.max_age = (unsigned int)max_age;
	vcfg.identity_required = true;
	memset(&in, 0, sizeof(in));
	in.identity = identity;
	in.num_identity = n_identity;
	in.orig_tn = orig;
	in.dest_tn = dest;
	in.now = t_now;
	if (!stir_vs_verify(vs, NULL, &vcfg, &in, verify_cb, &st))
		goto out;
	osmo_timer_setup(&guard, guard_cb, &guard_fired);
	osmo_timer_schedule(&guard, VERIFY_GUARD_S, 0);
	while (!st.done && !guard_fired)
		osmo_select_main(0);
	osmo_timer_del(&guard);
	if (!st.done) {
		fprintf(stderr, "stiwf passport verify: no answer within %d s\n", VERIFY_GUARD_S);
		goto out;
	}
	rc = st.exit_code;
out:
	talloc_free(ctx);
	return rc;
}

int stiwf_cmd_passport(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "sign"))
		return cmd_sign(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "decode"))
		return cmd_decode(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "verify"))
		return cmd_verify(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: stiwf passport sign|decode|verify ...\n"
		       "  sign     sign a SHAKEN PASSporT, print the Identity header value\n"
		       "  decode   show the header and claims of an Identity header value\n"
		       "  verify   verify an Identity header value as an STI-VS, print JSON\n");
		return 0;
	}
	fprintf(stderr, "Usage: stiwf passport sign|decode|verify ... (--help)\n");
	return STIWF_EXIT_USAGE;
}
