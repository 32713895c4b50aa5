/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stiwf bench memory: what a full certificate cache costs in resident
 * memory.
 *
 * stiwfd keeps two certificate caches with the default bounds of
 * certs/cache.h (CERT_CACHE_DEFAULT_ENTRIES chains, CERT_CACHE_DEFAULT_BYTES
 * of DER each): the SHAKEN domain's x5u cache and the TSCA domain's
 * repository cache.  This fills both to their entry bound the way the
 * daemon fills them -- a fetched PEM body (leaf + intermediate) parsed by
 * certchain_parse(), stored by cert_cache_put(), then resolved once by
 * cert_resolve_x5u() so that the entry also holds its verified-chain memo
 * and the leaf's derived data (TNAuthList, SPC, key) -- and reports the
 * process's resident set (VmRSS) before and after.  The PEM bodies are made
 * before the first reading, so the difference is the caches alone.
 *
 * The memory of established calls is measured on the running daemons by
 * the end-to-end benchmark (tests/bench/e2e.sh), not here. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/pem.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>

#include "certs/cache.h"
#include "certs/certchain.h"
#include "certs/fetch.h"
#include "certs/resolve.h"
#include "certs/truststore.h"
#include "src/stiwf/stiwf_bench.h"
#include "src/stiwf/stiwf_bench_pki.h"

struct mem_domain {
	const char *name;
	struct cert_cache *cache;
	struct cert_domain *dom;
	char **pem;			/* the bodies a fetch would have got */
	size_t *pem_len;
	size_t der_bytes;
};

struct mem_bench {
	void *ctx;
	EVP_PKEY *root_key, *ica_key;
	X509 *root, *ica;
	struct truststore *ts;
	unsigned int entries;
	unsigned int answered;
	unsigned int failed;
	char why[160];
};

/* VmRSS of this process in kB, or -1 */
static long rss_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/* The PEM body of a chain leaf + intermediate, the leaf with its own key
 * and SPC, as an operator's certificate repository would serve it. */
static int make_body(struct mem_bench *m, void *ctx, unsigned int i, char **out, size_t *out_len)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	char cn[32], spc[16];
	X509 *leaf = NULL;
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long len;
	int rc = -ENOMEM;

	snprintf(spc, sizeof(spc), "%05X", i);
	snprintf(cn, sizeof(cn), "SHAKEN %s", spc);
	if (key)
		leaf = bench_pki_cert(key, cn, m->ica, m->ica_key, false, BENCH_PKI_SHAKEN_POLICY, spc);
	if (!leaf || !bio || !PEM_write_bio_X509(bio, leaf) || !PEM_write_bio_X509(bio, m->ica))
		goto out;
	len = BIO_get_mem_data(bio, &data);
	*out = len > 0 ? talloc_memdup(ctx, data, (size_t)len) : NULL;
	*out_len = (size_t)len;
	if (*out)
		rc = 0;
out:
	BIO_free(bio);
	X509_free(leaf);
	EVP_PKEY_free(key);
	return rc;
}

static void resolved(const struct cert_resolve_result *res, void *priv)
{
	struct mem_bench *m = priv;

	m->answered++;
	if (res->err != CERT_OK || !res->pkey) {
		m->failed++;
		snprintf(m->why, sizeof(m->why), "%s: %s", res->url, res->reason);
	}
}

static int domain_setup(struct mem_bench *m, struct mem_domain *md, const char *name, bool shaken)
{
	struct cert_domain_cfg dcfg = { .name = name, .shaken_profile = shaken };
	struct fetch_policy pol;
	struct fetcher *f;
	unsigned int i;

	md->name = name;
	md->cache = cert_cache_alloc(m->ctx, NULL);
	fetch_policy_init(&pol);
	f = fetcher_alloc(m->ctx, name, &pol);
	md->dom = (md->cache && f) ? cert_domain_alloc(m->ctx, &dcfg, f, md->cache, m->ts) : NULL;
	md->pem = talloc_zero_array(m->ctx, char *, m->entries);
	md->pem_len = talloc_zero_array(m->ctx, size_t, m->entries);
	if (!md->dom || !md->pem || !md->pem_len)
		return -ENOMEM;
	for (i = 0; i < m->entries; i++) {
		if (make_body(m, md->pem, i, &md->pem[i], &md->pem_len[i]) < 0)
			return -EIO;
	}
	return 0;
}

/* What the fetch callback and the first resolution leave in the cache. */
static int domain_fill(struct mem_bench *m, struct mem_domain *md)
{
	const struct cert_cache_hdrs h = { .cache_control = "max-age=86400" };
	char url[96], why[128];
	STACK_OF(X509) *sk;
	unsigned int i, want;

	for (i = 0; i < m->entries; i++) {
		snprintf(url, sizeof(url), "https://cr.example.net/%s/%05X.pem", md->name, i);
		if (certchain_parse(&sk, (const uint8_t *)md->pem[i], md->pem_len[i], why, sizeof(why)) < 0) {
			fprintf(stderr, "stiwf bench memory: chain %u: %s\n", i, why);
			return -EIO;
		}
		md->der_bytes += certchain_der_size(sk);
		if (!cert_cache_put(md->cache, url, sk, &h)) {
			certchain_free(sk);
			return -ENOMEM;
		}
		want = m->answered + 1;
		if (!cert_resolve_x5u(md->dom, url, time(NULL), resolved, m))
			return -ENOMEM;
		while (m->answered < want)
			osmo_select_main(0);
		if (m->failed) {
			fprintf(stderr, "stiwf bench memory: %s\n", m->why);
			return -EIO;
		}
	}
	return 0;
}

static int pki_setup(struct mem_bench *m)
{
	m->root_key = EVP_EC_gen("P-256");
	m->ica_key = EVP_EC_gen("P-256");
	if (!m->root_key || !m->ica_key)
		return -ENOMEM;
	m->root = bench_pki_cert(m->root_key, "SHAKEN bench ROOT", NULL, m->root_key, true, NULL, NULL);
	m->ica = m->root ? bench_pki_cert(m->ica_key, "SHAKEN bench CA", m->root, m->root_key, true, NULL, NULL) :
			   NULL;
	m->ts = truststore_alloc(m->ctx, "bench", NULL);
	if (!m->ica || !m->ts || truststore_add_cert(m->ts, m->root) < 0)
		return -EIO;
	return 0;
}

int stiwf_bench_memory(const struct stiwf_bench_opts *o, json_t *out)
{
	struct mem_bench m = { .entries = CERT_CACHE_DEFAULT_ENTRIES };
	struct mem_domain dom[2] = {};
	const struct cert_cache_stats *st;
	long rss0, rss1, rss2;
	size_t der = 0;
	unsigned int i;
	json_t *o_cache;
	int rc = -EIO;

	m.ctx = talloc_named_const(NULL, 0, "stiwf bench memory");
	if (!m.ctx)
		return -ENOMEM;
	if (pki_setup(&m) < 0 || domain_setup(&m, &dom[0], "x5u", true) < 0 ||
	    domain_setup(&m, &dom[1], "tsca", false) < 0) {
		fprintf(stderr, "stiwf bench memory: setup failed\n");
		goto out;
	}
	rss0 = rss_kb();
	if (domain_fill(&m, &dom[0]) < 0)
		goto out;
	rss1 = rss_kb();
	if (domain_fill(&m, &dom[1]) < 0)
		goto out;
	rss2 = rss_kb();
	for (i = 0; i < 2; i++) {
		st = cert_cache_stats(dom[i].cache);
		if (st->entries != m.entries || st->evictions) {
			fprintf(stderr, "stiwf bench memory: the %s cache holds %u of %u chains (%lu evicted)\n",
				dom[i].name, st->entries, m.entries, st->evictions);
			goto out;
		}
		der += dom[i].der_bytes;
	}
	if (rss0 < 0 || rss1 < 0 || rss2 < 0) {
		fprintf(stderr, "stiwf bench memory: cannot read VmRSS from /proc/self/status\n");
		goto out;
	}
	o_cache = json_object();
	if (!o_cache || json_object_set_new(out, "cert_cache", o_cache) < 0)
		goto out;
	json_object_set_new(o_cache, "caches", json_integer(2));
	json_object_set_new(o_cache, "entries_per_cache", json_integer(m.entries));
	json_object_set_new(o_cache, "der_bytes", json_integer((json_int_t)der));
	json_object_set_new(o_cache, "rss_before_kb", json_integer(rss0));
	json_object_set_new(o_cache, "rss_x5u_full_kb", json_integer(rss1));
	json_object_set_new(o_cache, "rss_full_kb", json_integer(rss2));
	json_object_set_new(o_cache, "rss_full_mb", json_real(rss2 / 1024.0));
	json_object_set_new(o_cache, "added_kb", json_integer(rss2 - rss0));
	json_object_set_new(o_cache, "kb_per_entry", json_real((double)(rss2 - rss0) / (2.0 * m.entries)));
	json_object_set_new(o_cache, "shared_cas", json_integer(cert_cache_stats(dom[0].cache)->shared_cas +
								 cert_cache_stats(dom[1].cache)->shared_cas));
	if (!o->json) {
		printf("certificate caches: 2 x %u chains (leaf + intermediate, %zu octets of DER in all)\n",
		       m.entries, der);
		printf("%-32s %ld\n", "rss_before_kb", rss0);
		printf("%-32s %ld\n", "rss_x5u_full_kb", rss1);
		printf("%-32s %ld\n", "rss_full_kb", rss2);
		printf("%-32s %ld\n", "added_kb", rss2 - rss0);
		printf("%-32s %.1f\n", "kb_per_entry", (double)(rss2 - rss0) / (2.0 * m.entries));
	}
	rc = 0;
out:
	talloc_free(m.ctx);	/* caches and domains before the certificates */
	X509_free(m.root);
	X509_free(m.ica);
	EVP_PKEY_free(m.root_key);
	EVP_PKEY_free(m.ica_key);
	return rc;
}
