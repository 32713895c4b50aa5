/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The IWF's configuration objects: SIP and SS7 peers, routes, trust
 * domains; their defaults, lookups and consistency checks. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/stats.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/tsca.h"
#include "iwf/map_peer.h"
#include "iwf/peer.h"
#include "sip/sip_call.h"
#include "sip/sip_keepalive.h"
#include "src/core/logging.h"

struct iwf_cfg *g_iwf_cfg;

const struct value_string iwf_sip_transport_names[] = {
	{ IWF_SIP_TP_UDP, "udp" },
	{ IWF_SIP_TP_TCP, "tcp" },
	{ IWF_SIP_TP_TLS, "tls" },
	{ 0, NULL }
};

const struct value_string iwf_route_dest_names[] = {
	{ IWF_ROUTE_SS7, "ss7-peer" },
	{ IWF_ROUTE_SIP, "sip-peer" },
	{ 0, NULL }
};

static bool all_digits(const char *s)
{
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
	}
	return true;
}

bool iwf_peer_name_valid(const char *name)
{
	size_t n = strnlen(name, IWF_PEER_NAME_MAX + 1);
	size_t i;

	if (n == 0 || n > IWF_PEER_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

bool iwf_route_prefix_valid(const char *prefix)
{
	if (!strcmp(prefix, "default"))
		return true;
	return strnlen(prefix, IWF_ROUTE_PREFIX_MAX + 1) <= IWF_ROUTE_PREFIX_MAX && all_digits(prefix);
}

bool iwf_oid_valid(const char *oid)
{
	const char *p = oid;
	unsigned int arcs = 0;

	if (strnlen(oid, IWF_OID_MAX + 1) > IWF_OID_MAX)
		return false;
	for (;;) {
		const char *start = p;

		while (*p >= '0' && *p <= '9')
			p++;
		if (p == start)
			return false;		/* empty arc, or not a digit */
		if (*start == '0' && p - start > 1)
			return false;		/* X.690 §8.19.2: minimal encoding, no leading zeros */
		if (arcs == 0 && (p - start > 1 || *start > '2'))
			return false;		/* X.660 §7: the root arcs are 0, 1 and 2 */
		arcs++;
		if (*p == '\0')
			break;
		if (*p != '.')
			return false;
		p++;
	}
	return arcs >= 2;
}

int iwf_url_check(const char *url, bool need_key_id, bool allow_http)
{
	const char *host;
	size_t n = strnlen(url, IWF_URL_MAX + 1);
	size_t i;

	if (n > IWF_URL_MAX)
		return -ENAMETOOLONG;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];

		if (c <= 0x20 || c >= 0x7f)
			return -EINVAL;
	}
	if (!strncmp(url, "https://", 8)) {
		host = url + 8;
	} else if (!strncmp(url, "http://", 7)) {
		/* ATIS-1000074 §5.3.1: x5u is an HTTPS URL; plain HTTP for labs */
		if (!allow_http)
			return -EPROTONOSUPPORT;
		host = url + 7;
	} else {
		return -EINVAL;
	}
	if (*host == '\0' || *host == '/' || *host == '{')
		return -EINVAL;
	if (need_key_id && !strstr(url, IWF_KEY_ID_PLACEHOLDER))
		return -ENOENT;
	/* certs/fetch.c refuses them: better said at configuration time */
	if (strpbrk(url, "?#"))
		return -EPERM;
	return 0;
}

static void domain_init(struct iwf_domain_cfg *d)
{
	memset(d, 0, sizeof(*d));
	d->fetch_timeout_ms = IWF_FETCH_TIMEOUT_DEFAULT;
	d->max_in_flight = IWF_IN_FLIGHT_DEFAULT;
	d->max_in_flight_per_host = IWF_IN_FLIGHT_PER_HOST_DEFAULT;
	d->crl_refresh_s = IWF_CRL_REFRESH_DEFAULT;
}

static void cfg_defaults(struct iwf_cfg *cfg)
{
	domain_init(&cfg->stir);
	domain_init(&cfg->tsca);
	cfg->stir_max_age = IWF_WINDOW_DEFAULT;
	cfg->origid_random = true;
	cfg->origid[0] = '\0';
	cfg->hop_window = IWF_WINDOW_DEFAULT;
	cfg->hop_skew = 0;
	cfg->hop_startup_quiet = true;
	cfg->replay_store_addr[0] = '\0';
	cfg->replay_store_port = IWF_REPLAY_STORE_PORT_DEFAULT;
	cfg->replay_store_fail_local = false;
	cfg->replay_store_timeout_ms = IWF_REPLAY_STORE_TIMEOUT_DEFAULT;
	cfg->tsca_full_oid = NULL;
	cfg->tsca_provisional_oid = NULL;
	cfg->tsca_max_days_prov = TSCA_DEFAULT_MAX_DAYS_PROV;
	cfg->tsca_max_days_full = TSCA_DEFAULT_MAX_DAYS_FULL;
	cfg->map_file = NULL;
}

struct iwf_cfg *iwf_cfg_alloc(void *ctx)
{
	struct iwf_cfg *cfg = talloc_zero(ctx, struct iwf_cfg);

	if (!cfg)
		return NULL;
	INIT_LLIST_HEAD(&cfg->sip_peers);
	INIT_LLIST_HEAD(&cfg->ss7_peers);
	INIT_LLIST_HEAD(&cfg->routes);
	cfg_defaults(cfg);
	return cfg;
}

static void domain_free(struct iwf_domain_cfg *d)
{
	unsigned int i;

	talloc_free(d->trust_dir);
	talloc_free(d->cert_dir);
	for (i = 0; i < d->n_crl_files; i++)
		talloc_free(d->crl_files[i]);
	talloc_free(d->repository);
	talloc_free(d->fetch_ca_file);
	talloc_free(d->credential.key_path);
	talloc_free(d->credential.chain_path);
	talloc_free(d->credential.x5u);
}

void iwf_cfg_reset(struct iwf_cfg *cfg)
{
	struct iwf_sip_peer *sp, *sp2;
	struct iwf_ss7_peer *tp, *tp2;
	struct iwf_route *r, *r2;

	llist_for_each_entry_safe(r, r2, &cfg->routes, entry) {
		llist_del(&r->entry);
		talloc_free(r);
	}
	llist_for_each_entry_safe(tp, tp2, &cfg->ss7_peers, entry)
		iwf_ss7_peer_free(tp);
	llist_for_each_entry_safe(sp, sp2, &cfg->sip_peers, entry)
		iwf_sip_peer_free(sp);
	domain_free(&cfg->stir);
	domain_free(&cfg->tsca);
	talloc_free(cfg->tsca_full_oid);
	talloc_free(cfg->tsca_provisional_oid);
	talloc_free(cfg->map_file);
	cfg_defaults(cfg);
}

static struct iwf_sip_peer *sip_peer_find(const struct iwf_cfg *cfg, const char *name)
{
	struct iwf_sip_peer *p;

	llist_for_each_entry(p, &cfg->sip_peers, entry) {
		if (!strcmp(p->name, name))
			return p;
	}
	return NULL;
}

static struct iwf_ss7_peer *ss7_peer_find(const struct iwf_cfg *cfg, const char *name)
{
	struct iwf_ss7_peer *p;

	llist_for_each_entry(p, &cfg->ss7_peers, entry) {
		if (!strcmp(p->name, name))
			return p;
	}
	return NULL;
}

static const struct rate_ctr_desc peer_ctr_desc[] = {
	[IWF_PEER_CTR_CALLS_IN] = { "calls:in", "Calls taken from the peer" },
	[IWF_PEER_CTR_CALLS_OUT] = { "calls:out", "Calls sent to the peer" },
	[IWF_PEER_CTR_VERSTAT_PASSED] = { "verstat:passed", "INVITEs from the peer whose PASSporT verified" },
	[IWF_PEER_CTR_VERSTAT_FAILED] = { "verstat:failed", "INVITEs from the peer whose PASSporT failed" },
	[IWF_PEER_CTR_VERSTAT_NONE] = { "verstat:none", "INVITEs from the peer without Identity" },
	[IWF_PEER_CTR_HOP_VALID] = { "hop:valid", "IAMs from the peer with a valid HOP" },
	[IWF_PEER_CTR_HOP_INVALID] = { "hop:invalid", "IAMs from the peer with an invalid HOP" },
	[IWF_PEER_CTR_HOP_MISSING] = { "hop:missing", "IAMs from the peer without HOP" },
	[IWF_PEER_CTR_ATTEST_IN_A] = { "attest_in:a", "Calls from the peer attested A" },
	[IWF_PEER_CTR_ATTEST_IN_B] = { "attest_in:b", "Calls from the peer attested B" },
	[IWF_PEER_CTR_ATTEST_IN_C] = { "attest_in:c", "Calls from the peer attested C" },
	[IWF_PEER_CTR_ATTEST_OUT_A] = { "attest_out:a", "Calls to the peer attested A" },
	[IWF_PEER_CTR_ATTEST_OUT_B] = { "attest_out:b", "Calls to the peer attested B" },
	[IWF_PEER_CTR_ATTEST_OUT_C] = { "attest_out:c", "Calls to the peer attested C" },
	[IWF_PEER_CTR_DIV_PASSED] = { "div:passed", "INVITEs from the peer whose div PASSporT verified (RFC 8946)" },
	[IWF_PEER_CTR_DIV_FAILED] = { "div:failed", "INVITEs from the peer whose div PASSporT failed" },
	[IWF_PEER_CTR_DIV_IGNORED] = { "div:ignored", "INVITEs from the peer with a div PASSporT not verified" },
};
osmo_static_assert(ARRAY_SIZE(peer_ctr_desc) == _NUM_IWF_PEER_CTR, peer_ctr_desc_complete);

static const struct rate_ctr_group_desc sip_peer_ctrg_desc = {
	.group_name_prefix = "sip_peer",
	.group_description = "SIP peer",
	.class_id = OSMO_STATS_CLASS_PEER,
	.num_ctr = ARRAY_SIZE(peer_ctr_desc),
	.ctr_desc = peer_ctr_desc,
};

static const struct rate_ctr_group_desc ss7_peer_ctrg_desc = {
	.group_name_prefix = "ss7_peer",
	.group_description = "SS7 peer",
	.class_id = OSMO_STATS_CLASS_PEER,
	.num_ctr = ARRAY_SIZE(peer_ctr_desc),
	.ctr_desc = peer_ctr_desc,
};

void iwf_peer_ctr_inc(struct rate_ctr_group *ctrs, enum iwf_peer_ctr idx)
{
	if (ctrs && idx < _NUM_IWF_PEER_CTR)
		rate_ctr_inc(rate_ctr_group_get_ctr(ctrs, idx));
}

void iwf_peer_ctr_attest(struct rate_ctr_group *ctrs, char attest, bool in)
{
	if (attest < 'A' || attest > 'C')
		return;
	iwf_peer_ctr_inc(ctrs, (in ? IWF_PEER_CTR_ATTEST_IN_A : IWF_PEER_CTR_ATTEST_OUT_A) + (attest - 'A'));
}

/* The group leaves libosmocore's list with its peer, however it is freed. */
static int sip_peer_destructor(struct iwf_sip_peer *p)
{
	if (p->ctrs)
		rate_ctr_group_free(p->ctrs);
	p->ctrs = NULL;
	return 0;
}

static int ss7_peer_destructor(struct iwf_ss7_peer *p)
{
	if (p->ctrs)
		rate_ctr_group_free(p->ctrs);
	p->ctrs = NULL;
	return 0;
}

void iwf_cfg_peer_ctrs_free(struct iwf_cfg *cfg)
{
	struct iwf_sip_peer *sp;
	struct iwf_ss7_peer *tp;

	llist_for_each_entry(sp, &cfg->sip_peers, entry)
		sip_peer_destructor(sp);
	llist_for_each_entry(tp, &cfg->ss7_peers, entry)
		ss7_peer_destructor(tp);
}

/* A group per peer: index 0 up (libosmocore takes the next free index
 * when one is in use), named after the peer. */
static struct rate_ctr_group *peer_ctrs_alloc(void *owner, const struct rate_ctr_group_desc *desc, const char *name)
{
	struct rate_ctr_group *g = rate_ctr_group_alloc(owner, desc, 0);

	if (g)
		rate_ctr_group_set_name(g, name);
	return g;
}

struct iwf_sip_peer *iwf_sip_peer_alloc(struct iwf_cfg *cfg, const char *name)
{
	struct iwf_sip_peer *p;

	if (!iwf_peer_name_valid(name) || sip_peer_find(cfg, name))
		return NULL;
	p = talloc_zero(cfg, struct iwf_sip_peer);
	if (!p)
		return NULL;
	OSMO_STRLCPY_ARRAY(p->name, name);
	p->port = 5060;
	p->transport = IWF_SIP_TP_UDP;
	iwf_policy_init(&p->policy);
	iwf_number_plan_init(&p->plan);
	p->keepalive_failures = IWF_KEEPALIVE_FAILURES_DEFAULT;
	p->ctrs = peer_ctrs_alloc(p, &sip_peer_ctrg_desc, p->name);
	talloc_set_destructor(p, sip_peer_destructor);
	llist_add_tail(&p->entry, &cfg->sip_peers);
	return p;
}

void iwf_sip_peer_free(struct iwf_sip_peer *peer)
{
	if (!peer)
		return;
	llist_del(&peer->entry);
	/* its keepalive (a talloc child of the SIP agent) goes with it */
	talloc_free(peer->keepalive);
	talloc_free(peer);
}

struct iwf_ss7_peer *iwf_ss7_peer_alloc(struct iwf_cfg *cfg, const char *name)
{
	struct iwf_ss7_peer *p;

	if (!iwf_peer_name_valid(name) || ss7_peer_find(cfg, name))
		return NULL;
	p = talloc_zero(cfg, struct iwf_ss7_peer);
	if (!p)
		return NULL;
	OSMO_STRLCPY_ARRAY(p->name, name);
	p->max_sif_len = IWF_MAX_SIF_DEFAULT;
	p->overlap_min = IWF_OVERLAP_MIN_DEFAULT;
	p->overlap_max = IWF_OVERLAP_MAX_DEFAULT;
	iwf_policy_init(&p->policy);
	iwf_number_plan_init(&p->plan);
	p->repo_miss_limit = true;
	p->repo_miss_rate = IWF_REPO_MISS_RATE_DEFAULT;
	p->repo_miss_burst = IWF_REPO_MISS_BURST_DEFAULT;
	token_bucket_init(&p->repo_bucket, p->repo_miss_rate, p->repo_miss_burst);
	p->ctrs = peer_ctrs_alloc(p, &ss7_peer_ctrg_desc, p->name);
	talloc_set_destructor(p, ss7_peer_destructor);
	llist_add_tail(&p->entry, &cfg->ss7_peers);
	return p;
}

void iwf_ss7_peer_free(struct iwf_ss7_peer *peer)
{
	if (!peer)
		return;
	llist_del(&peer->entry);
	talloc_free(peer);	/* sdp_template is its child */
}

struct iwf_sip_peer *iwf_sip_peer_find(const char *name)
{
	return g_iwf_cfg ? sip_peer_find(g_iwf_cfg, name) : NULL;
}

struct iwf_ss7_peer *iwf_ss7_peer_find(const char *name)
{
	return g_iwf_cfg ? ss7_peer_find(g_iwf_cfg, name) : NULL;
}

/* A numeric address as 16 octets: IPv4 as IPv4-mapped IPv6 (RFC 4291
 * §2.5.5.2), so that "192.0.2.1" and "::ffff:192.0.2.1" are one peer. */
static int addr_key(const char *addr, struct in6_addr *key)
{
	struct in_addr a4;

	if (inet_pton(AF_INET6, addr, key) == 1)
		return 0;
	if (inet_pton(AF_INET, addr, &a4) != 1)
		return -EINVAL;
	memset(key, 0, sizeof(*key));
	key->s6_addr[10] = 0xff;
	key->s6_addr[11] = 0xff;
	memcpy(&key->s6_addr[12], &a4, 4);
	return 0;
}

struct iwf_sip_peer *iwf_sip_peer_by_addr(const char *addr)
{
	struct iwf_sip_peer *p;
	struct in6_addr want, have;

	if (!g_iwf_cfg || !addr || addr_key(addr, &want) < 0)
		return NULL;
	llist_for_each_entry(p, &g_iwf_cfg->sip_peers, entry) {
		if (p->via_proxy_addr[0])
			continue;
		if (addr_key(p->addr, &have) == 0 && !memcmp(&want, &have, sizeof(want)))
			return p;
	}
	return NULL;
}

static bool same_addr(const char *a, const char *b)
{
	struct in6_addr ka, kb;

	return addr_key(a, &ka) == 0 && addr_key(b, &kb) == 0 && !memcmp(&ka, &kb, sizeof(ka));
}

struct iwf_sip_peer *iwf_sip_peer_by_request(const struct sip_call_info *info)
{
	struct iwf_sip_peer *p;
	const char *v;

	if (!g_iwf_cfg || !info)
		return NULL;
	/* the header is the proxy's word: believed from its address alone */
	llist_for_each_entry(p, &g_iwf_cfg->sip_peers, entry) {
		if (!p->via_proxy_addr[0] || !same_addr(p->via_proxy_addr, info->peer_addr))
			continue;
		v = sip_call_info_trusted(info, p->via_header);
		if (v && !strcmp(v, p->via_value))
			return p;
	}
	return iwf_sip_peer_by_addr(info->peer_addr);
}

int iwf_sip_peer_transport_check(const struct iwf_sip_peer *peer, bool stream)
{
	/* stiwfd runs no plain TCP listener beside TLS (stiwfd_tls_setup()),
	 * so a request on a connection came over TLS */
	if (peer && peer->transport == IWF_SIP_TP_TLS && !stream)
		return -EACCES;
	return 0;
}

struct iwf_ss7_peer *iwf_ss7_peer_by_pc(uint32_t inst, uint32_t pc)
{
	struct iwf_ss7_peer *p;

	if (!g_iwf_cfg)
		return NULL;
	llist_for_each_entry(p, &g_iwf_cfg->ss7_peers, entry) {
		if (p->dpc_set && p->cs7_instance == inst && p->dpc == pc)
			return p;
	}
	return NULL;
}

struct iwf_ss7_peer *iwf_ss7_peer_by_cic(uint32_t inst, uint32_t pc, uint16_t cic)
{
	struct iwf_ss7_peer *p;
	unsigned int i;

	if (!g_iwf_cfg)
		return NULL;
	llist_for_each_entry(p, &g_iwf_cfg->ss7_peers, entry) {
		if (!p->dpc_set || p->cs7_instance != inst || p->dpc != pc)
			continue;
		for (i = 0; i < p->n_cic_ranges; i++) {
			if (cic >= p->cic[i].first && cic <= p->cic[i].last)
				return p;
		}
	}
	return NULL;
}

const struct iwf_ss7_peer *iwf_ss7_peer_cic_conflict(const struct iwf_cfg *cfg,
						     const struct iwf_ss7_peer *skip,
						     uint32_t inst, uint32_t pc,
						     uint16_t first, uint16_t last)
{
	const struct iwf_ss7_peer *p;
	unsigned int i;

	llist_for_each_entry(p, &cfg->ss7_peers, entry) {
		if (p == skip || !p->dpc_set || p->cs7_instance != inst || p->dpc != pc)
			continue;
		for (i = 0; i < p->n_cic_ranges; i++) {
			if (first <= p->cic[i].last && p->cic[i].first <= last)
				return p;
		}
	}
	return NULL;
}

int iwf_ss7_peer_add_cic(struct iwf_cfg *cfg, struct iwf_ss7_peer *peer, uint16_t first,
			 uint16_t last)
{
	unsigned int i;

	if (first > last || last > IWF_CIC_MAX)
		return -ERANGE;
	/* within the peer itself, whether or not its point code is known yet */
	for (i = 0; i < peer->n_cic_ranges; i++) {
		if (first <= peer->cic[i].last && peer->cic[i].first <= last)
			return -EEXIST;
	}
	if (peer->dpc_set &&
	    iwf_ss7_peer_cic_conflict(cfg, peer, peer->cs7_instance, peer->dpc, first, last))
		return -EEXIST;
	if (peer->n_cic_ranges >= IWF_PEER_MAX_CIC_RANGES)
		return -ENOSPC;
	peer->cic[peer->n_cic_ranges].first = first;
	peer->cic[peer->n_cic_ranges].last = last;
	peer->n_cic_ranges++;
	return 0;
}

int iwf_ss7_peer_del_cic(struct iwf_ss7_peer *peer, uint16_t first, uint16_t last)
{
	unsigned int i;

	for (i = 0; i < peer->n_cic_ranges; i++) {
		if (peer->cic[i].first != first || peer->cic[i].last != last)
			continue;
		memmove(&peer->cic[i], &peer->cic[i + 1],
			(peer->n_cic_ranges - i - 1) * sizeof(peer->cic[0]));
		peer->n_cic_ranges--;
		return 0;
	}
	return -ENOENT;
}

static struct iwf_route *route_find(const struct iwf_cfg *cfg, const char *prefix,
				    enum iwf_route_dest dest)
{
	struct iwf_route *r;

	llist_for_each_entry(r, &cfg->routes, entry) {
		if (r->dest == dest && !strcmp(r->prefix, prefix))
			return r;
	}
	return NULL;
}

/* "default" is the empty prefix */
static const char *route_prefix_norm(const char *prefix)
{
	return strcmp(prefix, "default") ? prefix : "";
}

int iwf_route_set(struct iwf_cfg *cfg, const char *prefix, enum iwf_route_dest dest,
		  const char *peer)
{
	struct iwf_route *r;

	if (!iwf_route_prefix_valid(prefix) || !iwf_peer_name_valid(peer))
		return -EINVAL;
	if (dest != IWF_ROUTE_SS7 && dest != IWF_ROUTE_SIP)
		return -EINVAL;
	prefix = route_prefix_norm(prefix);
	r = route_find(cfg, prefix, dest);
	if (!r) {
		r = talloc_zero(cfg, struct iwf_route);
		if (!r)
			return -ENOMEM;
		OSMO_STRLCPY_ARRAY(r->prefix, prefix);
		r->dest = dest;
		llist_add_tail(&r->entry, &cfg->routes);
	}
	OSMO_STRLCPY_ARRAY(r->peer, peer);
	return 0;
}

int iwf_route_del(struct iwf_cfg *cfg, const char *prefix, enum iwf_route_dest dest)
{
	struct iwf_route *r;

	if (!iwf_route_prefix_valid(prefix))
		return -ENOENT;
	r = route_find(cfg, route_prefix_norm(prefix), dest);
	if (!r)
		return -ENOENT;
	llist_del(&r->entry);
	talloc_free(r);
	return 0;
}

const struct iwf_route *iwf_route_by_peer(const struct iwf_cfg *cfg, enum iwf_route_dest dest,
					  const char *peer)
{
	const struct iwf_route *r;

	llist_for_each_entry(r, &cfg->routes, entry) {
		if (r->dest == dest && !strcmp(r->peer, peer))
			return r;
	}
	return NULL;
}

const struct iwf_route *iwf_route_lookup(const char *called, enum iwf_route_dest dest)
{
	const struct iwf_route *r, *best = NULL;
	size_t best_len = 0;

	if (!g_iwf_cfg || !called)
		return NULL;
	/* tolerate the '+' of a global number: prefixes are E.164 digits */
	if (*called == '+')
		called++;
	llist_for_each_entry(r, &g_iwf_cfg->routes, entry) {
		size_t n = strlen(r->prefix);

		if (r->dest != dest || strncmp(called, r->prefix, n))
			continue;
		/* ">=" is not needed: (prefix, dest) is unique */
		if (!best || n > best_len) {
			best = r;
			best_len = n;
		}
	}
	return best;
}

int iwf_sip_peer_uri(char *buf, size_t size, const struct iwf_sip_peer *peer)
{
	int n;

	if (peer->transport == IWF_SIP_TP_TLS)
		/* the certificate must carry the name: Sofia checks the URI's
		 * host on it (RFC 5922 §7.2) and connects to maddr */
		n = snprintf(buf, size, "sip:%s:%u;maddr=%s;transport=tls", peer->tls_subject,
			     peer->port ? peer->port : 5061, peer->addr);
	else
		n = snprintf(buf, size, "sip:%s:%u;transport=%s", peer->addr, peer->port ? peer->port : 5060,
			     peer->transport == IWF_SIP_TP_TCP ? "tcp" : "udp");
	return n < 0 || (size_t)n >= size ? -ENOSPC : 0;
}

bool iwf_route_peer_down(const struct iwf_route *r)
{
	const struct iwf_sip_peer *p;

	if (r->dest != IWF_ROUTE_SIP)
		return false;
	p = iwf_sip_peer_find(r->peer);
	return p && p->down;
}

const struct iwf_route *iwf_route_lookup_up(const char *called, enum iwf_route_dest dest, unsigned int *n_down)
{
	const struct iwf_route *r, *best;
	size_t bound = SIZE_MAX, best_len;
	unsigned int down = 0;

	if (n_down)
		*n_down = 0;
	if (!g_iwf_cfg || !called)
		return NULL;
	if (*called == '+')
		called++;
	/* (prefix, dest) is unique, so the matching routes have prefixes of
	 * distinct lengths: walk them from the longest down */
	for (;;) {
		best = NULL;
		best_len = 0;
		llist_for_each_entry(r, &g_iwf_cfg->routes, entry) {
			size_t n = strlen(r->prefix);

			if (r->dest != dest || n >= bound || strncmp(called, r->prefix, n))
				continue;
			if (!best || n > best_len) {
				best = r;
				best_len = n;
			}
		}
		if (!best || !iwf_route_peer_down(best))
			break;
		down++;
		bound = best_len;
	}
	if (n_down)
		*n_down = down;
	return best;
}

/* Consistency checks */

#define CHECK_FAIL(...)						\
	do {							\
		snprintf(err, len, __VA_ARGS__);		\
		return -EINVAL;					\
	} while (0)

/* \a path, if set, must be a directory (want_dir) or a regular file */
static int check_path(char *err, size_t len, const char *what, const char *path, bool want_dir)
{
	struct stat st;

	if (!path)
		return 0;
	if (stat(path, &st) < 0)
		CHECK_FAIL("%s %s: %s", what, path, strerror(errno));
	if (want_dir && !S_ISDIR(st.st_mode))
		CHECK_FAIL("%s %s: not a directory", what, path);
	if (!want_dir && !S_ISREG(st.st_mode))
		CHECK_FAIL("%s %s: not a regular file", what, path);
	return 0;
}

static int check_credential(char *err, size_t len, const char *dom,
			    const struct iwf_credential_cfg *c, bool need_x5u)
{
	int rc;

	if (c->key_path && !c->chain_path)
		CHECK_FAIL("%s credential: key %s but no certificate chain", dom, c->key_path);
	if (!c->key_path && c->chain_path)
		CHECK_FAIL("%s credential: chain %s but no key", dom, c->chain_path);
	if (need_x5u && c->key_path && !c->x5u)
		CHECK_FAIL("%s credential: no x5u URL (where verifiers fetch the chain)", dom);
	rc = check_path(err, len, "credential key", c->key_path, false);
	if (rc < 0)
		return rc;
	return check_path(err, len, "credential chain", c->chain_path, false);
}

static int check_domain(char *err, size_t len, const char *dom, const struct iwf_domain_cfg *d,
			bool need_x5u)
{
	unsigned int i;
	int rc;

	rc = check_path(err, len, "trust-dir", d->trust_dir, true);
	if (rc < 0)
		return rc;
	rc = check_path(err, len, "cert-dir", d->cert_dir, true);
	if (rc < 0)
		return rc;
	for (i = 0; i < d->n_crl_files; i++) {
		rc = check_path(err, len, "crl-file", d->crl_files[i], false);
		if (rc < 0)
			return rc;
	}
	rc = check_path(err, len, need_x5u ? "x5u-ca-file" : "repository-ca-file", d->fetch_ca_file,
			false);
	if (rc < 0)
		return rc;
	return check_credential(err, len, dom, &d->credential, need_x5u);
}

static int check_ss7_peer(char *err, size_t len, const struct iwf_cfg *cfg,
			  const struct iwf_ss7_peer *p)
{
	const struct iwf_ss7_peer *other;
	unsigned int i;

	if (!p->dpc_set)
		CHECK_FAIL("ss7-peer %s: no point-code", p->name);
	if (p->n_cic_ranges == 0)
		CHECK_FAIL("ss7-peer %s: no cic range", p->name);
	for (i = 0; i < p->n_cic_ranges; i++) {
		other = iwf_ss7_peer_cic_conflict(cfg, p, p->cs7_instance, p->dpc, p->cic[i].first,
						  p->cic[i].last);
		if (other)
			CHECK_FAIL("ss7-peer %s: cic %u %u overlaps ss7-peer %s on cs7 instance %u point-code %u",
				   p->name, p->cic[i].first, p->cic[i].last, other->name, p->cs7_instance,
				   p->dpc);
	}
	if (p->sip_peer[0] && !sip_peer_find(cfg, p->sip_peer))
		CHECK_FAIL("ss7-peer %s: sip-peer %s is not configured", p->name, p->sip_peer);
	return check_path(err, len, "sdp-template", p->sdp_template, false);
}

int iwf_cfg_check(char *err, size_t len)
{
	const struct iwf_cfg *cfg = g_iwf_cfg;
	const struct iwf_sip_peer *sp, *sp2;
	const struct iwf_ss7_peer *tp;
	const struct iwf_route *r;
	int rc;

	if (len)
		err[0] = '\0';
	if (!cfg)
		CHECK_FAIL("no configuration");

	rc = check_domain(err, len, "stir", &cfg->stir, true);
	if (rc < 0)
		return rc;
	rc = check_domain(err, len, "tsca", &cfg->tsca, false);
	if (rc < 0)
		return rc;
	rc = check_path(err, len, "map-file", cfg->map_file, false);
	if (rc < 0)
		return rc;
	if (cfg->tsca_full_oid && cfg->tsca_provisional_oid &&
	    !strcmp(cfg->tsca_full_oid, cfg->tsca_provisional_oid))
		CHECK_FAIL("tsca: policy-oid full and provisional are both %s", cfg->tsca_full_oid);
	if (cfg->replay_store_addr[0] && !cfg->tsca.trust_dir)
		CHECK_FAIL("tsca: replay-store redis without trust-dir: no HOP is verified, none remembered");
	if (cfg->hop_skew > cfg->hop_window)
		CHECK_FAIL("tsca: hop-skew %u is larger than hop-window %u", cfg->hop_skew,
			   cfg->hop_window);

	llist_for_each_entry(sp, &cfg->sip_peers, entry) {
		if (!sp->addr[0])
			CHECK_FAIL("sip-peer %s: no remote address", sp->name);
		llist_for_each_entry(sp2, &cfg->sip_peers, entry) {
			if (sp2 == sp)
				break;
			if (sp->via_proxy_addr[0] && sp2->via_proxy_addr[0] &&
			    !strcmp(sp->via_proxy_addr, sp2->via_proxy_addr) &&
			    !strcasecmp(sp->via_header, sp2->via_header) && !strcmp(sp->via_value, sp2->via_value))
				CHECK_FAIL("sip-peer %s: via-proxy %s header %s %s is also sip-peer %s", sp->name,
					   sp->via_proxy_addr, sp->via_header, sp->via_value, sp2->name);
		}
		llist_for_each_entry(sp2, &cfg->sip_peers, entry) {
			if (sp2 == sp)
				break;
			/* carriers behind one proxy are all reached through it */
			if (sp2->port == sp->port && !strcmp(sp2->addr, sp->addr) &&
			    !(sp->via_proxy_addr[0] && sp2->via_proxy_addr[0]))
				CHECK_FAIL("sip-peer %s: remote %s %u is also sip-peer %s", sp->name,
					   sp->addr, sp->port, sp2->name);
		}
	}
	llist_for_each_entry(tp, &cfg->ss7_peers, entry) {
		rc = check_ss7_peer(err, len, cfg, tp);
		if (rc < 0)
			return rc;
	}
	llist_for_each_entry(r, &cfg->routes, entry) {
		bool known = r->dest == IWF_ROUTE_SS7 ? ss7_peer_find(cfg, r->peer) != NULL
						      : sip_peer_find(cfg, r->peer) != NULL;

		if (!known)
			CHECK_FAIL("route %s %s %s: no such %s", r->prefix[0] ? r->prefix : "default",
				   get_value_string(iwf_route_dest_names, r->dest), r->peer,
				   get_value_string(iwf_route_dest_names, r->dest));
	}
	/* the MAP border's peers lean on the tsca node */
	return iwf_map_cfg_check(g_map_cfg, cfg, err, len);
}

static void sip_peer_keepalive_changed(struct sip_keepalive *ka, enum sip_keepalive_state st, void *priv)
{
	struct iwf_sip_peer *p = priv;

	p->down = st == SIP_KEEPALIVE_DOWN;
}

int iwf_sip_peer_keepalive_apply(struct iwf_sip_peer *p, struct stiwf_sip_agent *agent)
{
	bool had = p->keepalive != NULL;
	char uri[256];

	talloc_free(p->keepalive);	/* NULLs p->keepalive (sip_keepalive_set_ref) */
	p->down = false;
	if (!agent || !p->keepalive_interval_s || !p->addr[0]) {
		if (had)
			LOGP(DIWF, LOGL_NOTICE, "sip-peer %s: keepalive stopped, the carrier counts as up\n", p->name);
		return 0;
	}
	if (iwf_sip_peer_uri(uri, sizeof(uri), p) < 0)
		return -ENOSPC;
	p->keepalive = sip_keepalive_alloc(agent, agent, p->name, uri, p->keepalive_interval_s, p->keepalive_failures,
					   sip_peer_keepalive_changed, p);
	if (!p->keepalive) {
		LOGP(DIWF, LOGL_ERROR, "sip-peer %s: cannot start its keepalive\n", p->name);
		return -ENOMEM;
	}
	sip_keepalive_set_ref(p->keepalive, &p->keepalive);
	LOGP(DIWF, LOGL_NOTICE, "sip-peer %s: OPTIONS to %s every %u s, down after %u failures\n", p->name, uri,
	     p->keepalive_interval_s, p->keepalive_failures);
	return 0;
}
