/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The TSCA signer directory: key-id -> verified chain -> prepared key.
 * See tsca.h.
 *
 * A lookup is a small state machine like a cert_resolve_req: every answer,
 * even one from the local index, is delivered from an osmo_timer or a
 * resolve callback, never from inside tsca_lookup(). */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>

#include "certs/cache.h"
#include "certs/certchain.h"
#include "certs/fetch.h"
#include "certs/resolve.h"
#include "certs/tnauthlist.h"
#include "certs/tokenbucket.h"
#include "certs/truststore.h"
#include "certs/tsca.h"
#include "src/core/logging.h"

#define TSCA_DETAIL_LEN 256
#define TSCA_BUCKETS 256

const struct value_string tsca_policy_names[] = {
	{ TSCA_POLICY_UNKNOWN, "unknown" },
	{ TSCA_POLICY_FULL, "full" },
	{ TSCA_POLICY_PROVISIONAL, "provisional" },
	{ 0, NULL }
};

const struct value_string tsca_numbers_names[] = {
	{ TSCA_NUMBERS_UNCONSTRAINED, "unconstrained" },
	{ TSCA_NUMBERS_HELD, "held" },
	{ TSCA_NUMBERS_EXCEEDED, "exceeded" },
	{ 0, NULL }
};

const struct value_string tsca_err_names[] = {
	{ TSCA_OK, "ok" },
	{ TSCA_ERR_UNKNOWN_KEYID, "unknown key-id" },
	{ TSCA_ERR_FETCH, "fetch failure" },
	{ TSCA_ERR_UNTRUSTED, "untrusted" },
	{ TSCA_ERR_REVOKED, "revoked" },
	{ TSCA_ERR_EXPIRED, "expired" },
	{ TSCA_ERR_NOT_YET_VALID, "not yet valid" },
	{ TSCA_ERR_KEYID_MISMATCH, "key-id mismatch" },
	{ TSCA_ERR_CRL, "CRL problem" },
	{ TSCA_ERR_CHAIN, "invalid chain" },
	{ TSCA_ERR_KEY, "unsupported key" },
	{ TSCA_ERR_INTERNAL, "internal error" },
	{ TSCA_ERR_BUSY, "not looked up now (rate or fetch capacity)" },
	{ TSCA_ERR_LIFETIME, "validity too long" },
	{ 0, NULL }
};

const struct value_string tsca_source_names[] = {
	{ TSCA_SRC_NONE, "none" },
	{ TSCA_SRC_LOCAL, "local" },
	{ TSCA_SRC_REPO, "repository" },
	{ 0, NULL }
};

/* One signer certificate of the local directory. */
struct tsca_local {
	struct llist_head entry;		/* in tsca_index.buckets[key_id[0]] */
	uint8_t key_id[KEYID_LEN];
	char *path;
	/* the file's chain and the directory's CAs, in the form the
	 * verified-chain cache of truststore_verify_entry() works on */
	struct cert_cache_entry *ce;
};

/* The local index; replaced as a whole on reload. */
struct tsca_index {
	struct llist_head buckets[TSCA_BUCKETS];
	unsigned int count;
};

/* A prepared key, once per key-id. */
struct tsca_key {
	struct llist_head lru;			/* most recently used first */
	uint8_t key_id[KEYID_LEN];
	X509 *leaf;				/* our reference */
	struct sigtoken_key *key;		/* talloc child */
	char subject[TSCA_SUBJECT_MAX];
	uint8_t spki[KEYID_SPKI_LEN];
	/* what the path grants (path_assess()), for the store generation */
	bool assessed;
	uint64_t generation;
	enum tsca_policy policy;
	enum tsca_numbers numbers;
	struct tnauthlist *tnauth;		/* talloc child, NULL unless numbers held */
};

struct tsca_dir {
	char *cert_dir;
	ASN1_OBJECT *full[TSCA_MAX_OIDS], *prov[TSCA_MAX_OIDS];
	unsigned int num_full, num_prov;
	/* both classes: the user-initial-policy-set of path_assess() */
	const ASN1_OBJECT *acceptable[2 * TSCA_MAX_OIDS];
	unsigned int num_acceptable;
	unsigned int max_keys, num_keys;
	unsigned int max_days_prov, max_days_full;	/* 0: no limit */
	tsca_key_alloc_fn key_alloc;
	struct truststore *ts;
	struct cert_domain *d;
	struct tsca_index *idx;
	struct llist_head keys;
	struct llist_head lookups;
	struct tsca_stats stats;
};

struct tsca_lookup {
	struct llist_head entry;
	struct tsca_dir *td;
	uint8_t key_id[KEYID_LEN];
	time_t at;
	tsca_lookup_cb cb;
	void *priv;
	struct osmo_timer_list timer;
	struct cert_resolve_req *resolve;
	bool rate_limited;		/* the caller's bucket was empty */
	char rate_detail[96];
};

/* ------------------------------------------------------------------------
 * Configuration
 * ------------------------------------------------------------------------ */

void tsca_cfg_init(struct tsca_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->full_oids[0] = TSCA_DEFAULT_FULL_OID;
	cfg->num_full_oids = 1;
	cfg->prov_oids[0] = TSCA_DEFAULT_PROV_OID;
	cfg->num_prov_oids = 1;
	cfg->max_keys = TSCA_DEFAULT_MAX_KEYS;
	cfg->max_days_prov = TSCA_DEFAULT_MAX_DAYS_PROV;
	cfg->max_days_full = TSCA_DEFAULT_MAX_DAYS_FULL;
}

static int key_destructor(struct tsca_key *k)
{
	llist_del(&k->lru);
	X509_free(k->leaf);
	return 0;
}

static int local_destructor(struct tsca_local *l)
{
	if (l->ce)
		sk_X509_pop_free(l->ce->chain, X509_free);
	return 0;
}

static int lookup_destructor(struct tsca_lookup *l)
{
	osmo_timer_del(&l->timer);
	if (l->resolve)
		cert_resolve_cancel(l->resolve);
	llist_del(&l->entry);
	return 0;
}

static int dir_destructor(struct tsca_dir *td)
{
	struct tsca_lookup *l, *ltmp;
	struct tsca_key *k, *ktmp;
	unsigned int i;

	llist_for_each_entry_safe(l, ltmp, &td->lookups, entry)
		talloc_free(l);
	llist_for_each_entry_safe(k, ktmp, &td->keys, lru)
		talloc_free(k);
	for (i = 0; i < td->num_full; i++)
		ASN1_OBJECT_free(td->full[i]);
	for (i = 0; i < td->num_prov; i++)
		ASN1_OBJECT_free(td->prov[i]);
	return 0;
}

/* A dotted OID only (no names: the configuration must be unambiguous). */
static ASN1_OBJECT *oid_parse(const char *s)
{
	ASN1_OBJECT *o;

	if (!s || !*s || strspn(s, "0123456789.") != strlen(s))
		return NULL;
	o = OBJ_txt2obj(s, 1);
	ERR_clear_error();
	return o;
}

/* ------------------------------------------------------------------------
 * Local directory
 * ------------------------------------------------------------------------ */

static struct tsca_local *index_find(const struct tsca_index *idx, const uint8_t *key_id)
{
	struct tsca_local *l;

	if (!idx)
		return NULL;
	llist_for_each_entry(l, &idx->buckets[key_id[0]], entry) {
		if (memcmp(l->key_id, key_id, KEYID_LEN) == 0)
			return l;
	}
	return NULL;
}

static bool sk_has(STACK_OF(X509) *sk, X509 *x)
{
	int i;

	for (i = 0; i < sk_X509_num(sk); i++) {
		if (X509_cmp(sk_X509_value(sk, i), x) == 0)
			return true;
	}
	return false;
}

/* Push a reference of x. */
static int sk_push_ref(STACK_OF(X509) *sk, X509 *x)
{
	if (!X509_up_ref(x))
		return -ENOMEM;
	if (!sk_X509_push(sk, x)) {
		X509_free(x);
		return -ENOMEM;
	}
	return 0;
}

/* Read one file of the directory into a chain; NULL (logged) when it is
 * not one. */
static STACK_OF(X509) *read_chain(const char *path)
{
	static uint8_t buf[CERTCHAIN_MAX_LEN + 1];
	STACK_OF(X509) *sk = NULL;
	char why[128];
	size_t len;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		LOGP(DCERT, LOGL_NOTICE, "tsca: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (len > CERTCHAIN_MAX_LEN) {
		LOGP(DCERT, LOGL_NOTICE, "tsca: %s: larger than %d octets, skipped\n", path, CERTCHAIN_MAX_LEN);
		return NULL;
	}
	if (certchain_parse(&sk, buf, len, why, sizeof(why)) < 0) {
		LOGP(DCERT, LOGL_NOTICE, "tsca: %s: %s, skipped\n", path, why);
		return NULL;
	}
	return sk;
}

struct load_file {
	char *path;
	STACK_OF(X509) *chain;
};

static int load_file_destructor(struct load_file *lf)
{
	sk_X509_pop_free(lf->chain, X509_free);
	return 0;
}

static void log_keyid(int level, const char *fmt, const uint8_t *id, const char *path)
{
	char hex[KEYID_HEX_LEN];

	keyid_to_hex(hex, sizeof(hex), id);
	LOGP(DCERT, level, fmt, hex, path);
}

/* Build a new index from dir: signer leaves by key-id, each with its file's
 * chain and every CA certificate of the directory.  \returns the index
 * (talloc child of ctx) or NULL with *rc set. */
static struct tsca_index *index_load(void *ctx, const char *dir, int *rc)
{
	struct tsca_index *idx = talloc_zero(ctx, struct tsca_index);
	void *tmp = talloc_new(ctx);
	STACK_OF(X509) *pool = sk_X509_new_null();
	struct load_file **files = NULL;
	unsigned int nfiles = 0, i;
	char path[4096];
	struct dirent *de;
	struct stat st;
	DIR *dh = NULL;
	int j, n;

	*rc = -ENOMEM;
	if (!idx || !tmp || !pool)
		goto fail;
	for (i = 0; i < TSCA_BUCKETS; i++)
		INIT_LLIST_HEAD(&idx->buckets[i]);
	files = talloc_zero_array(tmp, struct load_file *, TSCA_MAX_FILES);
	if (!files)
		goto fail;
	dh = opendir(dir);
	if (!dh) {
		*rc = -errno;
		LOGP(DCERT, LOGL_ERROR, "tsca: cannot open %s: %s\n", dir, strerror(errno));
		goto fail;
	}
	/* pass 1: every chain, and the pool of CA certificates */
	while ((de = readdir(dh))) {
		struct load_file *lf;
		STACK_OF(X509) *sk;

		if (de->d_name[0] == '.')
			continue;
		n = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (n < 0 || (size_t)n >= sizeof(path) || lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (nfiles >= TSCA_MAX_FILES) {
			LOGP(DCERT, LOGL_ERROR, "tsca: %s: more than %d files, the rest skipped\n", dir,
			     TSCA_MAX_FILES);
			break;
		}
		sk = read_chain(path);
		if (!sk)
			continue;
		lf = talloc_zero(files, struct load_file);
		if (!lf) {
			sk_X509_pop_free(sk, X509_free);
			goto fail;
		}
		lf->chain = sk;
		talloc_set_destructor(lf, load_file_destructor);
		lf->path = talloc_strdup(lf, path);
		if (!lf->path)
			goto fail;
		files[nfiles++] = lf;
		for (j = 0; j < sk_X509_num(sk); j++) {
			X509 *x = sk_X509_value(sk, j);

			if (X509_check_ca(x) > 0 && !sk_has(pool, x) && sk_push_ref(pool, x) < 0)
				goto fail;
		}
	}
	/* pass 2: the signers */
	for (i = 0; i < nfiles; i++) {
		X509 *leaf = sk_X509_value(files[i]->chain, 0);
		struct tsca_local *l;
		uint8_t id[KEYID_LEN];

		if (X509_check_ca(leaf) > 0)
			continue;	/* a CA only helps to build paths */
		if (keyid_from_x509(id, leaf) < 0) {
			LOGP(DCERT, LOGL_NOTICE, "tsca: %s: no key-id (public key unreadable), skipped\n",
			     files[i]->path);
			continue;
		}
		if (index_find(idx, id)) {
			log_keyid(LOGL_NOTICE, "tsca: key-id %s of %s is there already, skipped\n", id,
				  files[i]->path);
			continue;
		}
		l = talloc_zero(idx, struct tsca_local);
		if (!l)
			goto fail;
		talloc_set_destructor(l, local_destructor);
		memcpy(l->key_id, id, KEYID_LEN);
		l->path = talloc_strdup(l, files[i]->path);
		l->ce = talloc_zero(l, struct cert_cache_entry);
		if (!l->path || !l->ce)
			goto fail;
		l->ce->chain = X509_chain_up_ref(files[i]->chain);
		if (!l->ce->chain)
			goto fail;
		l->ce->leaf = leaf;
		l->ce->url = l->path;
		for (j = 0; j < sk_X509_num(pool); j++) {
			X509 *ca = sk_X509_value(pool, j);

			if (!sk_has(l->ce->chain, ca) && sk_push_ref(l->ce->chain, ca) < 0)
				goto fail;
		}
		llist_add_tail(&l->entry, &idx->buckets[id[0]]);
		idx->count++;
	}
	closedir(dh);
	sk_X509_pop_free(pool, X509_free);
	talloc_free(tmp);
	LOGP(DCERT, LOGL_INFO, "tsca: %u signer certificates from %s\n", idx->count, dir);
	*rc = 0;
	return idx;
fail:
	if (dh)
		closedir(dh);
	sk_X509_pop_free(pool, X509_free);
	talloc_free(tmp);
	talloc_free(idx);
	return NULL;
}

int tsca_dir_reload(struct tsca_dir *td)
{
	struct tsca_index *idx;
	int rc;

	if (!td->cert_dir)
		return 0;
	idx = index_load(td, td->cert_dir, &rc);
	if (!idx)
		return rc;
	talloc_free(td->idx);
	td->idx = idx;
	return (int)idx->count;
}

unsigned int tsca_dir_count(const struct tsca_dir *td)
{
	return td->idx ? td->idx->count : 0;
}

const struct tsca_stats *tsca_dir_stats(const struct tsca_dir *td)
{
	return &td->stats;
}

struct tsca_dir *tsca_dir_alloc(void *ctx, const struct tsca_cfg *cfg, struct truststore *ts,
				struct cert_domain *d)
{
	struct tsca_dir *td;
	unsigned int i;

	if (!cfg || !ts || !cfg->key_alloc || cfg->num_full_oids > TSCA_MAX_OIDS ||
	    cfg->num_prov_oids > TSCA_MAX_OIDS || cfg->max_days_prov > TSCA_MAX_DAYS_LIMIT ||
	    cfg->max_days_full > TSCA_MAX_DAYS_LIMIT) {
		LOGP(DCERT, LOGL_ERROR, "tsca: incomplete configuration\n");
		return NULL;
	}
	td = talloc_zero(ctx, struct tsca_dir);
	if (!td)
		return NULL;
	INIT_LLIST_HEAD(&td->keys);
	INIT_LLIST_HEAD(&td->lookups);
	talloc_set_destructor(td, dir_destructor);
	for (i = 0; i < cfg->num_full_oids; i++) {
		td->full[i] = oid_parse(cfg->full_oids[i]);
		if (!td->full[i]) {
			LOGP(DCERT, LOGL_ERROR, "tsca: full policy OID '%s' is not a dotted OID\n",
			     cfg->full_oids[i] ? cfg->full_oids[i] : "");
			goto err;
		}
		td->acceptable[td->num_acceptable++] = td->full[i];
		td->num_full++;
	}
	for (i = 0; i < cfg->num_prov_oids; i++) {
		td->prov[i] = oid_parse(cfg->prov_oids[i]);
		if (!td->prov[i]) {
			LOGP(DCERT, LOGL_ERROR, "tsca: provisional policy OID '%s' is not a dotted OID\n",
			     cfg->prov_oids[i] ? cfg->prov_oids[i] : "");
			goto err;
		}
		td->acceptable[td->num_acceptable++] = td->prov[i];
		td->num_prov++;
	}
	td->max_keys = cfg->max_keys ? cfg->max_keys : 1;
	td->max_days_prov = cfg->max_days_prov;
	td->max_days_full = cfg->max_days_full;
	td->key_alloc = cfg->key_alloc;
	td->ts = ts;
	td->d = d;
	if (cfg->cert_dir) {
		td->cert_dir = talloc_strdup(td, cfg->cert_dir);
		if (!td->cert_dir || tsca_dir_reload(td) < 0)
			goto err;
	}
	return td;
err:
	talloc_free(td);
	return NULL;
}

/* ------------------------------------------------------------------------
 * Policy, identity, prepared keys
 * ------------------------------------------------------------------------ */

static bool oid_in(ASN1_OBJECT *const *set, unsigned int n, const ASN1_OBJECT *o)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (OBJ_cmp(set[i], o) == 0)
			return true;
	}
	return false;
}

enum tsca_policy tsca_dir_policy(const struct tsca_dir *td, X509 *cert)
{
	CERTIFICATEPOLICIES *cp;
	bool full = false, prov = false;
	int i;

	cp = X509_get_ext_d2i(cert, NID_certificate_policies, NULL, NULL);
	if (!cp) {
		ERR_clear_error();
		return TSCA_POLICY_UNKNOWN;
	}
	for (i = 0; i < sk_POLICYINFO_num(cp); i++) {
		const ASN1_OBJECT *o = sk_POLICYINFO_value(cp, i)->policyid;

		if (oid_in(td->prov, td->num_prov, o))
			prov = true;
		else if (oid_in(td->full, td->num_full, o))
			full = true;
	}
	CERTIFICATEPOLICIES_free(cp);
	/* the lower class wins: a certificate never gains by naming both */
	if (prov)
		return TSCA_POLICY_PROVISIONAL;
	return full ? TSCA_POLICY_FULL : TSCA_POLICY_UNKNOWN;
}

static void subject_str(char *buf, size_t len, X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL;
	long n;

	buf[0] = '\0';
	if (!b)
		return;
	if (X509_NAME_print_ex(b, X509_get_subject_name(x), 0, XN_FLAG_RFC2253) >= 0) {
		n = BIO_get_mem_data(b, &p);
		if (n > 0 && p)
			snprintf(buf, len, "%.*s", (int)n, p);
	}
	BIO_free(b);
	ERR_clear_error();
}

static struct tsca_key *key_find(struct tsca_dir *td, const uint8_t *key_id)
{
	struct tsca_key *k;

	llist_for_each_entry(k, &td->keys, lru) {
		if (memcmp(k->key_id, key_id, KEYID_LEN) == 0)
			return k;
	}
	return NULL;
}

/* A rejected signer loses its prepared key at once (a revoked operator is
 * shut out, not merely not refreshed). */
static void key_forget(struct tsca_dir *td, const uint8_t *key_id)
{
	struct tsca_key *k = key_find(td, key_id);

	if (k) {
		talloc_free(k);
		td->num_keys--;
	}
}

/* The class of the acceptable policies valid for the path: the lower one
 * when both are there (a signer never gains by naming both). */
static enum tsca_policy policy_of_set(const struct tsca_dir *td, STACK_OF(ASN1_OBJECT) *valid)
{
	bool full = false, prov = false;
	int i;

	for (i = 0; i < sk_ASN1_OBJECT_num(valid); i++) {
		const ASN1_OBJECT *o = sk_ASN1_OBJECT_value(valid, i);

		if (oid_in(td->prov, td->num_prov, o))
			prov = true;
		else if (oid_in(td->full, td->num_full, o))
			full = true;
	}
	if (prov)
		return TSCA_POLICY_PROVISIONAL;
	return full ? TSCA_POLICY_FULL : TSCA_POLICY_UNKNOWN;
}

/* RFC 9060 "encompassed", over the path (leaf first): the leaf's list
 * counts when a CA holds numbers and every list is encompassed by the
 * next one above it.  A CA list that does not decode fails closed.
 * *leaf_list is the leaf's list (talloc child of ctx) or NULL. */
static enum tsca_numbers path_numbers(void *ctx, STACK_OF(X509) *path, struct tnauthlist **leaf_list,
				      int *bad_depth)
{
	struct tnauthlist *below = NULL, *l;
	bool held = false;
	int i, rc;

	*bad_depth = -1;
	rc = tnauthlist_from_x509(ctx, leaf_list, sk_X509_value(path, 0));
	if (rc < 0 && rc != -ENOENT) {
		*bad_depth = 0;
		return TSCA_NUMBERS_EXCEEDED;
	}
	below = *leaf_list;
	for (i = 1; i < sk_X509_num(path); i++) {
		rc = tnauthlist_from_x509(ctx, &l, sk_X509_value(path, i));
		if (rc == -ENOENT)
			continue;
		if (rc < 0 || !tnauthlist_encompasses(l, below)) {
			*bad_depth = i;
			return TSCA_NUMBERS_EXCEEDED;
		}
		held = true;
		below = l;
	}
	return held ? TSCA_NUMBERS_HELD : TSCA_NUMBERS_UNCONSTRAINED;
}

/* What the path of k's leaf grants (tsca.h): its class and its numbers.
 * \returns 0, or -errno when the path could not be built again (the key
 * then grants nothing and is assessed anew next time) */
static int path_assess(struct tsca_dir *td, struct tsca_key *k, STACK_OF(X509) *chain, time_t at)
{
	STACK_OF(ASN1_OBJECT) *valid = NULL;
	STACK_OF(X509) *path = NULL;
	struct tnauthlist *list = NULL;
	char detail[TSCA_DETAIL_LEN], hex[KEYID_HEX_LEN];
	enum tsca_policy claimed;
	enum cert_err err;
	void *tmp = NULL;
	int bad = -1, rc = 0;

	TALLOC_FREE(k->tnauth);
	k->policy = TSCA_POLICY_UNKNOWN;
	k->numbers = TSCA_NUMBERS_EXCEEDED;
	k->assessed = false;
	keyid_to_hex(hex, sizeof(hex), k->key_id);
	err = truststore_verify_path(td->ts, chain, at, td->acceptable, td->num_acceptable, &path, &valid,
				     detail, sizeof(detail));
	if (err != CERT_OK || sk_X509_num(path) < 1) {
		LOGP(DCERT, LOGL_NOTICE, "tsca: key-id %s: no path for class and numbers: %s\n", hex, detail);
		rc = err == CERT_ERR_INTERNAL ? -ENOMEM : -EKEYREJECTED;
		goto out;
	}
	k->policy = policy_of_set(td, valid);
	claimed = tsca_dir_policy(td, k->leaf);
	if (claimed != k->policy)
		LOGP(DCERT, LOGL_NOTICE, "tsca: key-id %s (%s) names the %s class, its path grants %s\n", hex,
		     k->subject, get_value_string(tsca_policy_names, claimed),
		     get_value_string(tsca_policy_names, k->policy));
	tmp = talloc_new(NULL);
	if (!tmp) {
		rc = -ENOMEM;
		goto out;
	}
	k->numbers = path_numbers(tmp, path, &list, &bad);
	if (k->numbers == TSCA_NUMBERS_HELD && list)
		k->tnauth = talloc_steal(k, list);
	if (k->numbers == TSCA_NUMBERS_EXCEEDED)
		LOGP(DCERT, LOGL_NOTICE, "tsca: key-id %s (%s): the TNAuthList at depth %d of its path is not "
		     "encompassed by the one above it: no numbers by certificate\n", hex, k->subject, bad);
	else if (k->numbers == TSCA_NUMBERS_UNCONSTRAINED && list)
		LOGP(DCERT, LOGL_INFO, "tsca: key-id %s (%s): no CA of its path holds numbers: its TNAuthList "
		     "counts for nothing, the map decides\n", hex, k->subject);
	k->assessed = true;
	k->generation = truststore_generation(td->ts);
out:
	talloc_free(tmp);
	sk_X509_pop_free(path, X509_free);
	sk_ASN1_OBJECT_pop_free(valid, ASN1_OBJECT_free);
	return rc;
}

/* The prepared key of leaf, made once, with what its path grants.
 * \returns NULL when the key cannot be used (TSCA_ERR_KEY) or out of memory */
static struct tsca_key *key_get(struct tsca_dir *td, const uint8_t *key_id, X509 *leaf, STACK_OF(X509) *chain,
				time_t at)
{
	struct tsca_key *k = key_find(td, key_id);

	if (k && X509_cmp(k->leaf, leaf) == 0) {
		llist_del(&k->lru);
		llist_add(&k->lru, &td->keys);
		/* a changed store (CAs, CRLs) may build another path */
		if ((!k->assessed || k->generation != truststore_generation(td->ts)) &&
		    path_assess(td, k, chain, at) == -ENOMEM)
			return NULL;
		return k;
	}
	if (k)
		key_forget(td, key_id);	/* renewed certificate, same key */
	while (td->num_keys >= td->max_keys && !llist_empty(&td->keys)) {
		talloc_free(llist_last_entry(&td->keys, struct tsca_key, lru));
		td->num_keys--;
	}
	k = talloc_zero(td, struct tsca_key);
	if (!k)
		return NULL;
	INIT_LLIST_HEAD(&k->lru);
	talloc_set_destructor(k, key_destructor);
	if (!X509_up_ref(leaf)) {
		talloc_free(k);
		return NULL;
	}
	k->leaf = leaf;
	memcpy(k->key_id, key_id, KEYID_LEN);
	td->stats.keys_prepared++;
	k->key = td->key_alloc(k, leaf);
	if (!k->key) {
		talloc_free(k);
		return NULL;
	}
	subject_str(k->subject, sizeof(k->subject), leaf);
	if (keyid_spki_sha256(k->spki, leaf) < 0 || path_assess(td, k, chain, at) == -ENOMEM) {
		talloc_free(k);
		return NULL;
	}
	llist_add(&k->lru, &td->keys);
	td->num_keys++;
	return k;
}

static enum tsca_err err_from_cert(enum cert_err e, const char *reason)
{
	switch (e) {
	case CERT_OK:
		return TSCA_OK;
	case CERT_ERR_FETCH:
		/* the repository answered that it has no such key-id (the
		 * reason is made by resolve.c from fetch.c's "HTTP status N") */
		if (reason && (strstr(reason, "HTTP status 404") || strstr(reason, "HTTP status 410")))
			return TSCA_ERR_UNKNOWN_KEYID;
		return TSCA_ERR_FETCH;
	case CERT_ERR_PARSE:
		return TSCA_ERR_FETCH;
	case CERT_ERR_UNTRUSTED:
		return TSCA_ERR_UNTRUSTED;
	case CERT_ERR_EXPIRED:
		return TSCA_ERR_EXPIRED;
	case CERT_ERR_NOT_YET_VALID:
		return TSCA_ERR_NOT_YET_VALID;
	case CERT_ERR_REVOKED:
		return TSCA_ERR_REVOKED;
	case CERT_ERR_CRL:
		return TSCA_ERR_CRL;
	case CERT_ERR_INTERNAL:
		return TSCA_ERR_INTERNAL;
	case CERT_ERR_POLICY:
		return TSCA_ERR_FETCH;
	case CERT_ERR_BUSY:
		return TSCA_ERR_BUSY;
	default:
		return TSCA_ERR_CHAIN;
	}
}

/* The signer's validity period against the bound of the class its path
 * grants (provisional 6 months, full 2 years by default, ARCHITECTURE §1); a signer of
 * no class is held to the full bound.  The period itself, not the time
 * left: a certificate issued for too long is refused from its first day.
 * \returns 0 when within the bound, -EKEYREJECTED with detail when not */
static int lifetime_check(const struct tsca_dir *td, enum tsca_policy policy, X509 *leaf, char *detail,
			  size_t detail_len)
{
	unsigned int max = policy == TSCA_POLICY_PROVISIONAL ? td->max_days_prov : td->max_days_full;
	int days = 0, secs = 0;
	int64_t period;

	if (!max)
		return 0;
	if (!ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(leaf), X509_get0_notAfter(leaf))) {
		ERR_clear_error();
		snprintf(detail, detail_len, "the certificate's validity period cannot be read");
		return -EKEYREJECTED;
	}
	period = (int64_t)days * 86400 + secs;
	if (period <= (int64_t)max * 86400)
		return 0;
	snprintf(detail, detail_len, "the %s certificate is valid for %d days %d s, more than the %u days allowed",
		 policy == TSCA_POLICY_PROVISIONAL ? "provisional" : policy == TSCA_POLICY_FULL ? "full" :
		 "unclassified", days, secs, max);
	return -EKEYREJECTED;
}

/* Fill res for a leaf whose chain verified (err == TSCA_OK), or with the
 * failure; res->detail points into detail. */
static void result_fill(struct tsca_dir *td, struct tsca_result *res, enum tsca_err err, X509 *leaf,
			STACK_OF(X509) *chain, time_t at, char *detail, size_t detail_len)
{
	struct tsca_key *k;
	uint8_t id[KEYID_LEN] = { 0 };

	res->err = err;
	res->detail = detail;
	if (err == TSCA_OK && (keyid_from_x509(id, leaf) < 0 || memcmp(id, res->key_id, KEYID_LEN))) {
		char got[KEYID_HEX_LEN] = "?";

		keyid_to_hex(got, sizeof(got), id);
		snprintf(detail, detail_len, "the certificate found has key-id %s", got);
		res->err = TSCA_ERR_KEYID_MISMATCH;
	}
	if (res->err == TSCA_OK) {
		k = key_get(td, res->key_id, leaf, chain, at);
		if (!k) {
			snprintf(detail, detail_len, "the certificate's key is not a P-256 key");
			res->err = TSCA_ERR_KEY;
		} else if (lifetime_check(td, k->policy, leaf, detail, detail_len) < 0) {
			res->err = TSCA_ERR_LIFETIME;
		} else {
			res->key = k->key;
			res->leaf = k->leaf;
			res->policy = k->policy;
			res->subject = k->subject;
			res->tnauth = k->tnauth;
			res->numbers = k->numbers;
			res->spki_sha256 = k->spki;
			detail[0] = '\0';
			return;
		}
	}
	key_forget(td, res->key_id);
	td->stats.rejected++;
}

static void log_result(const struct tsca_result *res)
{
	char hex[KEYID_HEX_LEN];

	keyid_to_hex(hex, sizeof(hex), res->key_id);
	if (res->err == TSCA_OK)
		LOGP(DCERT, LOGL_DEBUG, "tsca: key-id %s: %s signer %s (%s)\n", hex,
		     get_value_string(tsca_policy_names, res->policy), res->subject,
		     get_value_string(tsca_source_names, res->source));
	else
		LOGP(DCERT, LOGL_NOTICE, "tsca: key-id %s: %s%s%s\n", hex, get_value_string(tsca_err_names, res->err),
		     res->detail[0] ? ": " : "", res->detail);
}

/* The local answer, with detail as the caller's buffer. */
static int lookup_local(struct tsca_dir *td, const uint8_t *key_id, time_t at, struct tsca_result *res,
			char *detail, size_t detail_len)
{
	struct tsca_local *l;
	enum cert_err ce;

	memset(res, 0, sizeof(*res));
	memcpy(res->key_id, key_id, KEYID_LEN);
	detail[0] = '\0';
	res->detail = detail;
	l = index_find(td->idx, key_id);
	if (!l) {
		res->err = TSCA_ERR_UNKNOWN_KEYID;
		snprintf(detail, detail_len, "not in the local directory");
		return -ENOENT;
	}
	td->stats.local_hits++;
	res->source = TSCA_SRC_LOCAL;
	ce = truststore_verify_entry(td->ts, l->ce, at, detail, detail_len);
	result_fill(td, res, err_from_cert(ce, detail), l->ce->leaf, l->ce->chain, at, detail, detail_len);
	return 0;
}

int tsca_dir_lookup_local(struct tsca_dir *td, const uint8_t key_id[KEYID_LEN], time_t at,
			  struct tsca_result *res)
{
	static char detail[TSCA_DETAIL_LEN];
	int rc;

	td->stats.lookups++;
	rc = lookup_local(td, key_id, at, res, detail, sizeof(detail));
	log_result(res);
	return rc;
}

/* ------------------------------------------------------------------------
 * Asynchronous lookup
 * ------------------------------------------------------------------------ */

static void lookup_finish(struct tsca_lookup *l, struct tsca_result *res)
{
	log_result(res);
	if (l->cb)
		l->cb(res, l->priv);
	talloc_free(l);
}

static void resolved(const struct cert_resolve_result *rr, void *priv)
{
	struct tsca_lookup *l = priv;
	struct tsca_result res;
	char detail[TSCA_DETAIL_LEN];

	l->resolve = NULL;
	memset(&res, 0, sizeof(res));
	memcpy(res.key_id, l->key_id, KEYID_LEN);
	res.source = TSCA_SRC_REPO;
	res.cached = rr->cached;
	snprintf(detail, sizeof(detail), "%s%s%s", rr->url, rr->reason[0] ? ": " : "", rr->reason);
	result_fill(l->td, &res, err_from_cert(rr->err, rr->reason), rr->leaf, rr->chain, l->at, detail,
		    sizeof(detail));
	lookup_finish(l, &res);
}

static void lookup_step(void *data)
{
	struct tsca_lookup *l = data;
	struct tsca_dir *td = l->td;
	struct tsca_result res;
	char detail[TSCA_DETAIL_LEN], hex[KEYID_HEX_LEN], url[FETCH_URL_MAXLEN + 1];
	int rc;

	if (lookup_local(td, l->key_id, l->at, &res, detail, sizeof(detail)) == 0) {
		lookup_finish(l, &res);
		return;
	}
	keyid_to_hex(hex, sizeof(hex), l->key_id);
	rc = td->d ? cert_domain_repo_url(td->d, hex, url, sizeof(url)) : -ENOENT;
	if (rc == -ENOENT) {
		snprintf(detail, sizeof(detail), "not in the local directory, no repository");
		lookup_finish(l, &res);
		return;
	}
	if (rc < 0) {
		res.err = TSCA_ERR_INTERNAL;
		snprintf(detail, sizeof(detail), "repository URL too long");
		lookup_finish(l, &res);
		return;
	}
	if (l->rate_limited) {
		res.err = TSCA_ERR_BUSY;
		snprintf(detail, sizeof(detail), "%s", l->rate_detail);
		lookup_finish(l, &res);
		return;
	}
	td->stats.repo_lookups++;
	l->resolve = cert_resolve_x5u(td->d, url, l->at, resolved, l);
	if (!l->resolve) {
		res.err = TSCA_ERR_INTERNAL;
		snprintf(detail, sizeof(detail), "out of memory");
		lookup_finish(l, &res);
	}
}

struct tsca_lookup *tsca_lookup(struct tsca_dir *td, const uint8_t key_id[KEYID_LEN], time_t at,
				tsca_lookup_cb cb, void *priv)
{
	struct tsca_lookup *l = talloc_zero(td, struct tsca_lookup);

	if (!l)
		return NULL;
	INIT_LLIST_HEAD(&l->entry);
	osmo_timer_setup(&l->timer, lookup_step, l);
	talloc_set_destructor(l, lookup_destructor);
	l->td = td;
	memcpy(l->key_id, key_id, KEYID_LEN);
	l->at = at;
	l->cb = cb;
	l->priv = priv;
	llist_add_tail(&l->entry, &td->lookups);
	td->stats.lookups++;
	osmo_timer_schedule(&l->timer, 0, 0);
	return l;
}

struct tsca_lookup *tsca_lookup_limited(struct tsca_dir *td, const uint8_t key_id[KEYID_LEN], time_t at,
					struct token_bucket *tb, int64_t now_ms, tsca_lookup_cb cb, void *priv)
{
	char hex[KEYID_HEX_LEN], url[FETCH_URL_MAXLEN + 1];
	struct tsca_lookup *l = tsca_lookup(td, key_id, at, cb, priv);

	if (!l || !tb || !td->d || index_find(td->idx, key_id))
		return l;
	keyid_to_hex(hex, sizeof(hex), key_id);
	if (cert_domain_repo_url(td->d, hex, url, sizeof(url)) < 0 || cert_domain_cached(td->d, url))
		return l;
	/* a miss: it would fetch */
	if (!token_bucket_take(tb, now_ms)) {
		l->rate_limited = true;
		td->stats.rate_limited++;
		snprintf(l->rate_detail, sizeof(l->rate_detail),
			 "repository misses of this peer above %u/s (burst %u): not fetched", tb->rate, tb->burst);
	}
	return l;
}

void tsca_lookup_cancel(struct tsca_lookup *l)
{
	talloc_free(l);
}
