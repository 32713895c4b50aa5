/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The signer look-up that "stiwf isup decode --verify" and "stiwf tcap
 * verify" share, and the tools' file readers.  See stiwf_tsca.h. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "certs/cache.h"
#include "certs/certchain.h"
#include "certs/keyid.h"
#include "certs/resolve.h"
#include "certs/truststore.h"
#include "src/stiwf/stiwf_tool.h"
#include "src/stiwf/stiwf_tsca.h"

#define EXIT_FAILED 1

int stiwf_tsca_add_crl(struct stiwf_tsca *t, const char *cmd, const char *path)
{
	if (t->num_crls >= STIWF_TSCA_MAX_CRLS) {
		fprintf(stderr, "%s: at most %d --crl\n", cmd, STIWF_TSCA_MAX_CRLS);
		return STIWF_EXIT_USAGE;
	}
	t->crls[t->num_crls++] = path;
	return 0;
}

int stiwf_tsca_add_permit(struct stiwf_tsca *t, const char *cmd, const char *cidr)
{
	struct fetch_policy probe;

	fetch_policy_init(&probe);
	if (t->num_permits >= FETCH_MAX_ACL || stiwf_tool_fetch_permit(&probe, cidr) < 0) {
		fprintf(stderr, "%s: --fetch-permit %s: not an IP prefix, or more than %d\n", cmd, cidr,
			FETCH_MAX_ACL);
		return STIWF_EXIT_USAGE;
	}
	t->permits[t->num_permits++] = cidr;
	return 0;
}

void stiwf_tool_fetch_policy(struct fetch_policy *pol, const struct stiwf_tsca *t, const char *own_url)
{
	unsigned int i;

	fetch_policy_init(pol);
	for (i = 0; t && i < t->num_permits; i++)
		stiwf_tool_fetch_permit(pol, t->permits[i]);	/* checked when added */
	if (own_url)
		pol->own_urls[pol->num_own_urls++] = own_url;
}

static struct sigtoken_key *key_alloc_x509(void *ctx, X509 *leaf)
{
	return sigtoken_key_alloc_x509(ctx, leaf);
}

int stiwf_tsca_setup(void *ctx, struct stiwf_tsca *t, const char *cmd)
{
	struct cert_domain_cfg dcfg = { .name = "tsca", .repo_url_template = t->repo };
	struct fetch_policy pol;
	struct tsca_cfg cfg;
	unsigned int i;
	int rc;

	t->ts = truststore_alloc(ctx, "tsca", NULL);
	if (!t->ts)
		return EXIT_FAILED;
	rc = truststore_load_dir(t->ts, t->trust);
	if (rc <= 0) {
		fprintf(stderr, "%s: --trust %s: no certificate there\n", cmd, t->trust);
		return EXIT_FAILED;
	}
	for (i = 0; i < t->num_crls; i++) {
		rc = truststore_load_crl_file(t->ts, t->crls[i]);
		if (rc < 0) {
			fprintf(stderr, "%s: --crl %s: %s\n", cmd, t->crls[i],
				rc == -EBADMSG ? "not a CRL" : strerror(-rc));
			return EXIT_FAILED;
		}
	}
	if (t->repo) {
		if (strncmp(t->repo, "https://", 8) != 0) {
			fprintf(stderr, "%s: --repo must be an https:// URL template\n", cmd);
			return STIWF_EXIT_USAGE;
		}
		stiwf_tool_fetch_policy(&pol, t, t->repo);
		pol.ca_file = t->repo_ca;
		t->f = fetcher_alloc(ctx, "tsca", &pol);
		t->cache = cert_cache_alloc(ctx, NULL);
		if (!t->f || !t->cache)
			return EXIT_FAILED;
		t->d = cert_domain_alloc(ctx, &dcfg, t->f, t->cache, t->ts);
		if (!t->d) {
			fprintf(stderr, "%s: --repo needs {key-id} in it\n", cmd);
			return STIWF_EXIT_USAGE;
		}
	}
	tsca_cfg_init(&cfg);
	cfg.cert_dir = t->cert_dir;
	cfg.key_alloc = key_alloc_x509;
	t->td = tsca_dir_alloc(ctx, &cfg, t->ts, t->d);
	if (!t->td) {
		fprintf(stderr, "%s: --cert-dir %s cannot be read\n", cmd, t->cert_dir);
		return EXIT_FAILED;
	}
	return 0;
}

static void tsca_done(const struct tsca_result *res, void *priv)
{
	struct stiwf_keys *ks = priv;

	ks->done = true;
	ks->err = res->err;
	ks->policy = res->policy;
	ks->source = res->source;
	ks->found = res->key;	/* owned by the directory, which outlives the run */
	osmo_strlcpy(ks->subject, res->subject ? res->subject : "", sizeof(ks->subject));
	osmo_strlcpy(ks->detail, res->detail ? res->detail : "", sizeof(ks->detail));
}

static bool run_guard_fired;
static void run_guard_cb(void *data)
{
	run_guard_fired = true;
}

int stiwf_tool_run_until_done(const bool *done)
{
	struct osmo_timer_list guard = { 0 };

	run_guard_fired = false;
	osmo_timer_setup(&guard, run_guard_cb, NULL);
	osmo_timer_schedule(&guard, 30, 0);
	while (!*done && !run_guard_fired)
		osmo_select_main(0);
	osmo_timer_del(&guard);
	return *done ? 0 : -ETIMEDOUT;
}

struct sigtoken_key *stiwf_keys_find(struct stiwf_keys *ks, const uint8_t *key_id)
{
	if (!ks->td) {
		if (!ks->single || memcmp(sigtoken_key_id(ks->single), key_id, KEYID_LEN))
			return NULL;
		return ks->single;
	}
	ks->done = false;
	ks->found = NULL;
	ks->err = TSCA_ERR_INTERNAL;
	if (!tsca_lookup(ks->td, key_id, ks->at, tsca_done, ks) || stiwf_tool_run_until_done(&ks->done) < 0)
		return NULL;
	return ks->err == TSCA_OK ? ks->found : NULL;
}

const char *stiwf_keys_why(const struct stiwf_keys *ks)
{
	return ks->td ? get_value_string(tsca_err_names, ks->err) : "no certificate for this key-id";
}

void stiwf_keys_json(json_t *o, const struct stiwf_keys *ks)
{
	if (!ks->td || !ks->done)
		return;
	if (ks->err == TSCA_OK) {
		json_object_set_new(o, "policy", json_string(get_value_string(tsca_policy_names, ks->policy)));
		json_object_set_new(o, "signer", json_string(ks->subject));
	} else {
		json_object_set_new(o, "detail", json_string(ks->detail));
	}
	json_object_set_new(o, "source", json_string(get_value_string(tsca_source_names, ks->source)));
}

X509 *stiwf_tool_read_cert(const char *path)
{
	FILE *f = fopen(path, "rb");
	X509 *x;

	if (!f) {
		fprintf(stderr, "stiwf: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	x = PEM_read_X509(f, NULL, NULL, NULL);
	if (!x) {
		rewind(f);
		x = d2i_X509_fp(f, NULL);
	}
	fclose(f);
	ERR_clear_error();
	if (!x)
		fprintf(stderr, "stiwf: %s: no PEM or DER certificate\n", path);
	return x;
}

STACK_OF(X509) *stiwf_tool_read_chain(const char *path)
{
	static uint8_t buf[CERTCHAIN_MAX_LEN + 1];
	STACK_OF(X509) *sk = NULL;
	char why[128];
	size_t len;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "stiwf: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (certchain_parse(&sk, buf, len, why, sizeof(why)) < 0) {
		fprintf(stderr, "stiwf: %s: %s\n", path, why);
		return NULL;
	}
	return sk;
}
