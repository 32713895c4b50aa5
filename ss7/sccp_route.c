/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "sccp" node's data and the called-GT route table (see sccp_route.h). */

#include <errno.h>
#include <string.h>

#include <osmocom/core/talloc.h>

#include "ss7/sccp_route.h"

struct sccp_cfg *g_sccp_cfg;

static void cfg_defaults(struct sccp_cfg *cfg)
{
	cfg->enabled = false;
	cfg->cs7_instance = 0;
	cfg->has_local_gt = false;
	cfg->local_gt[0] = '\0';
	cfg->has_local_tt = false;
	cfg->local_tt = 0;
	cfg->max_sif = SCCP_MTP3_SIF_MAX;
	cfg->reasm.max_octets = SCCP_SEGMENTED_DATA_MAX;
	cfg->reasm.max_segments = SCCP_SEGMENTS_MAX;
	cfg->reasm.max_parallel = SCCP_REASM_PARALLEL_DEFAULT;
}

struct sccp_cfg *sccp_cfg_alloc(void *ctx)
{
	struct sccp_cfg *cfg = talloc_zero(ctx, struct sccp_cfg);

	if (!cfg)
		return NULL;
	INIT_LLIST_HEAD(&cfg->routes);
	cfg_defaults(cfg);
	return cfg;
}

void sccp_cfg_reset(struct sccp_cfg *cfg)
{
	struct sccp_route *r, *r2;

	llist_for_each_entry_safe(r, r2, &cfg->routes, entry) {
		llist_del(&r->entry);
		talloc_free(r);
	}
	cfg->n_routes = 0;
	cfg_defaults(cfg);
}

bool sccp_route_prefix_valid(const char *s)
{
	size_t n = strnlen(s, SCCP_GT_DIGITS_MAX + 1);
	size_t i;

	if (n == 0 || n > SCCP_GT_DIGITS_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

static struct sccp_route *route_get(const struct sccp_cfg *cfg, const char *prefix)
{
	struct sccp_route *r;

	llist_for_each_entry(r, &cfg->routes, entry) {
		if (!strcmp(r->prefix, prefix))
			return r;
	}
	return NULL;
}

int sccp_route_set(struct sccp_cfg *cfg, const char *prefix, uint32_t pc, int ssn, int tt)
{
	struct sccp_route *r;

	if ((prefix[0] && !sccp_route_prefix_valid(prefix)) || pc > SCCP_PC_MAX || ssn > 255 || tt > 255)
		return -EINVAL;
	r = route_get(cfg, prefix);
	if (!r) {
		if (cfg->n_routes >= SCCP_ROUTES_MAX)
			return -ENOSPC;
		r = talloc_zero(cfg, struct sccp_route);
		if (!r)
			return -ENOMEM;
		OSMO_STRLCPY_ARRAY(r->prefix, prefix);
		llist_add_tail(&r->entry, &cfg->routes);
		cfg->n_routes++;
	}
	r->pc = pc;
	r->has_ssn = ssn >= 0;
	r->ssn = ssn >= 0 ? (uint8_t)ssn : 0;
	r->has_tt = tt >= 0;
	r->tt = tt >= 0 ? (uint8_t)tt : 0;
	return 0;
}

int sccp_route_set_strip_signature(struct sccp_cfg *cfg, const char *prefix, bool strip)
{
	struct sccp_route *r = route_get(cfg, prefix);

	if (!r)
		return -ENOENT;
	r->strip_signature = strip;
	return 0;
}

int sccp_route_del(struct sccp_cfg *cfg, const char *prefix)
{
	struct sccp_route *r = route_get(cfg, prefix);

	if (!r)
		return -ENOENT;
	llist_del(&r->entry);
	cfg->n_routes--;
	talloc_free(r);
	return 0;
}

const struct sccp_route *sccp_route_find(const struct sccp_cfg *cfg, const char *digits)
{
	const struct sccp_route *r, *best = NULL;
	size_t best_len = 0, n;

	llist_for_each_entry(r, &cfg->routes, entry) {
		n = strlen(r->prefix);
		if (!best && n == 0) {
			best = r;	/* the default, until a prefix matches */
			continue;
		}
		if (n > best_len && !strncmp(digits, r->prefix, n)) {
			best = r;
			best_len = n;
		}
	}
	return best;
}

int sccp_route_lookup(const char *digits, struct sccp_route_result *res)
{
	const struct sccp_route *r;

	memset(res, 0, sizeof(*res));
	if (!g_sccp_cfg || !digits)
		return -ENOENT;
	r = sccp_route_find(g_sccp_cfg, digits);
	if (!r)
		return -ENOENT;
	res->pc = r->pc;
	res->has_ssn = r->has_ssn;
	res->ssn = r->ssn;
	res->has_tt = r->has_tt;
	res->tt = r->tt;
	res->is_default = r->prefix[0] == '\0';
	res->strip_signature = r->strip_signature;
	return 0;
}

void sccp_route_apply(const struct sccp_route_result *res, struct sccp_addr *called)
{
	if (res->has_ssn) {
		called->has_ssn = true;
		called->ssn = res->ssn;
	}
	if (res->has_tt && called->gt.gti >= SCCP_GTI_TT)
		called->gt.tt = res->tt;
}
