/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The MAP border's configuration objects (see map_peer.h). */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/stats.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "iwf/map_peer.h"
#include "ss7/gsm_map.h"

struct iwf_map_cfg *g_map_cfg;

static const struct rate_ctr_desc map_ctr_desc[] = {
	[IWF_MAP_CTR_IN]	= { "in", "MAP messages received" },
	[IWF_MAP_CTR_FORWARDED]	= { "forwarded", "MAP messages relayed" },
	[IWF_MAP_CTR_BLOCKED]	= { "blocked", "MAP messages blocked by policy" },
	[IWF_MAP_CTR_SIGNED]	= { "signed", "MAP dialogue PDUs we signed" },
	[IWF_MAP_CTR_VALID]	= { "valid", "MAP signatures verified valid" },
	[IWF_MAP_CTR_INVALID]	= { "invalid", "MAP signatures found invalid" },
	[IWF_MAP_CTR_UNSIGNED]	= { "unsigned", "MAP dialogue PDUs without a signature" },
	[IWF_MAP_CTR_MALFORMED]	= { "malformed", "TCAP or MAP that does not decode" },
	[IWF_MAP_CTR_DROPPED]	= { "dropped", "MAP messages not relayed: no route, hop counter, no transport" },
};

static const struct rate_ctr_group_desc map_peer_ctrg_desc = {
	.group_name_prefix = "map-peer",
	.group_description = "MAP border, per map-peer",
	.class_id = OSMO_STATS_CLASS_PEER,
	.num_ctr = ARRAY_SIZE(map_ctr_desc),
	.ctr_desc = map_ctr_desc,
};

static const struct rate_ctr_group_desc map_cat_ctrg_desc = {
	.group_name_prefix = "map-category",
	.group_description = "MAP border, per FS.11 category",
	.class_id = OSMO_STATS_CLASS_GLOBAL,
	.num_ctr = ARRAY_SIZE(map_ctr_desc),
	.ctr_desc = map_ctr_desc,
};

static void cfg_defaults(struct iwf_map_cfg *cfg)
{
	iwf_map_cat_table_init(&cfg->cats);
	cfg->imsi_mask = IWF_MAP_IMSI_MASK_DEFAULT;
	cfg->max_dialogues = IWF_MAP_DIALOGUES_DEFAULT;
	cfg->sig_oid_len = 0;
	cfg->sig_oid_text[0] = '\0';
}

/* rate_ctr groups sit in libosmocore's global list: each one leaves it
 * through rate_ctr_group_free(), never by a bare talloc_free() */
static int cfg_destructor(struct iwf_map_cfg *cfg)
{
	unsigned int c;

	for (c = 0; c < _NUM_IWF_MAP_CAT; c++) {
		if (cfg->cat_ctrs[c])
			rate_ctr_group_free(cfg->cat_ctrs[c]);
		cfg->cat_ctrs[c] = NULL;
	}
	return 0;
}

struct iwf_map_cfg *iwf_map_cfg_alloc(void *ctx)
{
	struct iwf_map_cfg *cfg = talloc_zero(ctx, struct iwf_map_cfg);

	if (!cfg)
		return NULL;
	talloc_set_destructor(cfg, cfg_destructor);
	INIT_LLIST_HEAD(&cfg->peers);
	cfg->next_id = 1;
	cfg_defaults(cfg);
	return cfg;
}

void iwf_map_cfg_reset(struct iwf_map_cfg *cfg)
{
	struct iwf_map_peer *p, *p2;

	llist_for_each_entry_safe(p, p2, &cfg->peers, entry)
		iwf_map_peer_free(cfg, p);
	cfg_defaults(cfg);
}

static int peer_destructor(struct iwf_map_peer *p)
{
	if (p->ctrs)
		rate_ctr_group_free(p->ctrs);
	p->ctrs = NULL;
	return 0;
}

struct iwf_map_peer *iwf_map_peer_alloc(struct iwf_map_cfg *cfg, const char *name)
{
	struct iwf_map_peer *p;

	if (!iwf_peer_name_valid(name) || iwf_map_peer_find(cfg, name) || cfg->n_peers >= IWF_MAP_PEERS_MAX)
		return NULL;
	p = talloc_zero(cfg, struct iwf_map_peer);
	if (!p)
		return NULL;
	talloc_set_destructor(p, peer_destructor);
	p->id = cfg->next_id++;
	OSMO_STRLCPY_ARRAY(p->name, name);
	p->role = IWF_MAP_ROLE_FOREIGN;
	p->screen.policy = IWF_MAP_POLICY_SCREEN;
	p->block_action = IWF_MAP_BLOCK_DROP;
	p->repo_miss_limit = true;
	p->repo_miss_rate = IWF_REPO_MISS_RATE_DEFAULT;
	p->repo_miss_burst = IWF_REPO_MISS_BURST_DEFAULT;
	token_bucket_init(&p->repo_bucket, p->repo_miss_rate, p->repo_miss_burst);
	llist_add_tail(&p->entry, &cfg->peers);
	cfg->n_peers++;
	return p;
}

void iwf_map_peer_free(struct iwf_map_cfg *cfg, struct iwf_map_peer *peer)
{
	llist_del(&peer->entry);
	cfg->n_peers--;
	talloc_free(peer);
}

struct iwf_map_peer *iwf_map_peer_find(const struct iwf_map_cfg *cfg, const char *name)
{
	struct iwf_map_peer *p;

	llist_for_each_entry(p, &cfg->peers, entry) {
		if (!strcmp(p->name, name))
			return p;
	}
	return NULL;
}

bool iwf_map_gt_prefix_valid(const char *s)
{
	size_t n = s ? strnlen(s, IWF_MAP_GT_MAX + 1) : 0;
	size_t i;

	if (n == 0 || n > IWF_MAP_GT_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

static int gt_index(const struct iwf_map_peer *p, const char *prefix)
{
	unsigned int i;

	for (i = 0; i < p->n_gt; i++) {
		if (!strcmp(p->calling_gt[i], prefix))
			return (int)i;
	}
	return -1;
}

int iwf_map_peer_add_gt(struct iwf_map_cfg *cfg, struct iwf_map_peer *peer, const char *prefix,
			const struct iwf_map_peer **owner)
{
	const struct iwf_map_peer *p;

	if (owner)
		*owner = NULL;
	if (!iwf_map_gt_prefix_valid(prefix))
		return -EINVAL;
	/* one prefix, one network: otherwise the configuration order would
	 * decide whose traffic it is */
	llist_for_each_entry(p, &cfg->peers, entry) {
		if (gt_index(p, prefix) >= 0) {
			if (owner)
				*owner = p;
			return -EEXIST;
		}
	}
	if (peer->n_gt >= IWF_MAP_PEER_MAX_GT)
		return -ENOSPC;
	OSMO_STRLCPY_ARRAY(peer->calling_gt[peer->n_gt], prefix);
	peer->n_gt++;
	return 0;
}

int iwf_map_peer_del_gt(struct iwf_map_peer *peer, const char *prefix)
{
	int i = gt_index(peer, prefix);

	if (i < 0)
		return -ENOENT;
	memmove(peer->calling_gt[i], peer->calling_gt[i + 1], (peer->n_gt - i - 1) * sizeof(peer->calling_gt[0]));
	peer->n_gt--;
	return 0;
}

int iwf_map_peer_set_default(struct iwf_map_cfg *cfg, struct iwf_map_peer *peer, bool is_default,
			     const struct iwf_map_peer **owner)
{
	const struct iwf_map_peer *p;

	if (owner)
		*owner = NULL;
	if (is_default) {
		llist_for_each_entry(p, &cfg->peers, entry) {
			if (p != peer && p->is_default) {
				if (owner)
					*owner = p;
				return -EEXIST;
			}
		}
	}
	peer->is_default = is_default;
	return 0;
}

struct iwf_map_peer *iwf_map_peer_by_gt(const struct iwf_map_cfg *cfg, const char *digits)
{
	struct iwf_map_peer *p, *best = NULL, *def = NULL;
	size_t best_len = 0, n;
	unsigned int i;

	if (!cfg || !digits)
		return NULL;
	llist_for_each_entry(p, &cfg->peers, entry) {
		if (p->is_default && !def)
			def = p;
		for (i = 0; i < p->n_gt; i++) {
			n = strlen(p->calling_gt[i]);
			if (n > best_len && !strncmp(digits, p->calling_gt[i], n)) {
				best = p;
				best_len = n;
			}
		}
	}
	return best ? best : def;
}

char *iwf_map_imsi_masked(char *buf, size_t size, const struct iwf_map_cfg *cfg, const char *imsi)
{
	size_t n, keep, i;

	if (!size)
		return buf;
	osmo_strlcpy(buf, imsi ? imsi : "", size);
	n = strlen(buf);
	/* MCC+MNC (at least 5 digits) stay: they are the network, not the person */
	keep = n > cfg->imsi_mask ? n - cfg->imsi_mask : 0;
	if (keep < 5)
		keep = n < 5 ? n : 5;
	for (i = keep; i < n; i++)
		buf[i] = '*';
	return buf;
}

int iwf_map_opcode_parse(const char *s)
{
	size_t n = s ? strnlen(s, 4) : 0;
	unsigned int v = 0, i;
	int rc;

	if (!s || !s[0])
		return -EINVAL;
	rc = get_string_value(gsm_map_op_names, s);
	if (rc >= 0)
		return rc <= IWF_MAP_OPCODE_MAX ? rc : -EINVAL;
	if (n == 0 || n > 3)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned int)(s[i] - '0');
	}
	return v <= IWF_MAP_OPCODE_MAX ? (int)v : -EINVAL;
}

int iwf_map_ctrs_alloc(struct iwf_map_cfg *cfg)
{
	struct iwf_map_peer *p;
	unsigned int c;

	llist_for_each_entry(p, &cfg->peers, entry) {
		if (p->ctrs)
			continue;
		p->ctrs = rate_ctr_group_alloc(p, &map_peer_ctrg_desc, p->id);
		if (!p->ctrs)
			return -ENOMEM;
		rate_ctr_group_set_name(p->ctrs, p->name);
	}
	for (c = 0; c < _NUM_IWF_MAP_CAT; c++) {
		if (cfg->cat_ctrs[c])
			continue;
		cfg->cat_ctrs[c] = rate_ctr_group_alloc(cfg, &map_cat_ctrg_desc, c);
		if (!cfg->cat_ctrs[c])
			return -ENOMEM;
		rate_ctr_group_set_name(cfg->cat_ctrs[c], get_value_string(iwf_map_cat_names, c));
	}
	return 0;
}

void iwf_map_ctrs_free(struct iwf_map_cfg *cfg)
{
	struct iwf_map_peer *p;

	llist_for_each_entry(p, &cfg->peers, entry) {
		if (p->ctrs)
			rate_ctr_group_free(p->ctrs);
		p->ctrs = NULL;
	}
	cfg_destructor(cfg);
}

void iwf_map_ctr_inc(struct iwf_map_cfg *cfg, struct iwf_map_peer *peer, enum iwf_map_cat cat,
		     enum iwf_map_ctr ctr)
{
	if ((unsigned int)ctr >= _NUM_IWF_MAP_CTR)
		return;
	if (peer && peer->ctrs)
		rate_ctr_inc(rate_ctr_group_get_ctr(peer->ctrs, ctr));
	if (cfg && (unsigned int)cat < _NUM_IWF_MAP_CAT && cfg->cat_ctrs[cat])
		rate_ctr_inc(rate_ctr_group_get_ctr(cfg->cat_ctrs[cat], ctr));
}

uint64_t iwf_map_peer_ctr_get(const struct iwf_map_peer *peer, enum iwf_map_ctr ctr)
{
	if (!peer || !peer->ctrs || (unsigned int)ctr >= _NUM_IWF_MAP_CTR)
		return 0;
	return rate_ctr_group_get_ctr(peer->ctrs, ctr)->current;
}

uint64_t iwf_map_cat_ctr_get(const struct iwf_map_cfg *cfg, enum iwf_map_cat cat, enum iwf_map_ctr ctr)
{
	if (!cfg || (unsigned int)cat >= _NUM_IWF_MAP_CAT || !cfg->cat_ctrs[cat] ||
	    (unsigned int)ctr >= _NUM_IWF_MAP_CTR)
		return 0;
	return rate_ctr_group_get_ctr(cfg->cat_ctrs[cat], ctr)->current;
}

int iwf_map_cfg_check(const struct iwf_map_cfg *cfg, const struct iwf_cfg *iwf, char *err, size_t len)
{
	const struct iwf_map_peer *p;

	if (!cfg)
		return 0;
	llist_for_each_entry(p, &cfg->peers, entry) {
		if (!p->n_gt && !p->is_default) {
			snprintf(err, len, "map-peer %s has no calling-gt and is not the default: it matches nothing",
				 p->name);
			return -EINVAL;
		}
		if (p->role == IWF_MAP_ROLE_HOME && (!iwf || !iwf->tsca.credential.key_path)) {
			snprintf(err, len, "map-peer %s: sign needs a credential in the tsca node", p->name);
			return -EINVAL;
		}
		if (p->role == IWF_MAP_ROLE_FOREIGN && p->screen.policy == IWF_MAP_POLICY_REJECT &&
		    (!iwf || !iwf->tsca.trust_dir)) {
			snprintf(err, len, "map-peer %s: policy reject needs a trust-dir in the tsca node: no "
				 "signature could be verified, every new dialogue would be blocked", p->name);
			return -EINVAL;
		}
	}
	return 0;
}
