/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file map_peer.h
 *  The MAP border's configuration (src/stiwfd/map_relay.h carries it out): one
 *  map-peer per network that MAP traffic comes from, matched on the SCCP
 *  calling global title (longest `calling-gt` prefix over all map-peers;
 *  the `calling-gt default` peer takes the rest), the operation ->
 *  category table (iwf/map_policy.h), the masking of IMSIs in the log and
 *  the bound of the dialogue table.  The VTY is iwf/map_peer_vty.c.
 *
 *  Configuration, as written by "show running-config":
 *
 *    map-category anyTimeInterrogation cat1
 *    map-category 131 cat2
 *    map-log imsi-mask 6
 *    map-dialogues max 65536
 *    map-peer our-network
 *     calling-gt 4930
 *     sign
 *    map-peer partner-fr
 *     calling-gt 336
 *     calling-gt 3360
 *     policy screen
 *     screen cat3 block
 *     screen sms pass
 *     block-action tc-abort
 *     repository-miss-limit 5 burst 20
 *    map-peer others
 *     calling-gt default
 *     policy reject
 *     block-action drop
 *
 *  and the dialogue timer as "timer map X1 60".  No I/O here. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/utils.h>

#include "certs/tokenbucket.h"
#include "iwf/map_policy.h"
#include "iwf/peer.h"

/*! calling-gt prefixes per map-peer */
#define IWF_MAP_PEER_MAX_GT	32
/*! E.164 global titles: at most 15 digits */
#define IWF_MAP_GT_MAX		15
/*! map-peers at most */
#define IWF_MAP_PEERS_MAX	256
/*! IMSI digits masked at the end of a logged IMSI by default (the MSIN's last) */
#define IWF_MAP_IMSI_MASK_DEFAULT	6
/*! An IMSI has at most 15 digits; MCC+MNC stay readable */
#define IWF_MAP_IMSI_MASK_MAX		10
/*! The dialogue table's bound */
#define IWF_MAP_DIALOGUES_DEFAULT	65536
#define IWF_MAP_DIALOGUES_MIN		16
#define IWF_MAP_DIALOGUES_MAX		1048576

/*! Counters of a map-peer ("map-peer" rate_ctr group, index its id) and
 *  of a category ("map-category", index the enum iwf_map_cat) */
enum iwf_map_ctr {
	IWF_MAP_CTR_IN,			/*!< messages received */
	IWF_MAP_CTR_FORWARDED,		/*!< messages relayed */
	IWF_MAP_CTR_BLOCKED,		/*!< messages blocked by policy */
	IWF_MAP_CTR_SIGNED,		/*!< messages we signed (home peers) */
	IWF_MAP_CTR_VALID,		/*!< signatures verified valid */
	IWF_MAP_CTR_INVALID,		/*!< signatures found invalid */
	IWF_MAP_CTR_UNSIGNED,		/*!< dialogue PDUs without a signature */
	IWF_MAP_CTR_MALFORMED,		/*!< TCAP or MAP that does not decode */
	IWF_MAP_CTR_DROPPED,		/*!< not relayed for want of a route, hop counter, or TCAP */
	_NUM_IWF_MAP_CTR
};

/*! One network MAP traffic comes from */
struct iwf_map_peer {
	struct llist_head entry;
	unsigned int id;			/*!< unique while stiwfd runs (dialogue keys, counters) */
	char name[IWF_PEER_NAME_MAX + 1];
	unsigned int n_gt;
	char calling_gt[IWF_MAP_PEER_MAX_GT][IWF_MAP_GT_MAX + 1];
	bool is_default;			/*!< takes calling GTs no prefix matches */
	enum iwf_map_role role;			/*!< `sign` (home) or `policy ...` (foreign) */
	struct iwf_map_screen screen;		/*!< foreign: policy and screen knobs */
	enum iwf_map_block_action block_action;	/*!< default drop */
	/*! repository fetches its signatures may cause (certs/tsca.h) */
	bool repo_miss_limit;
	unsigned int repo_miss_rate;
	unsigned int repo_miss_burst;
	struct token_bucket repo_bucket;	/*!< live */
	struct rate_ctr_group *ctrs;		/*!< live, iwf_map_ctrs_alloc() */
};

struct iwf_map_dlg_table;

/*! The MAP border's configuration */
struct iwf_map_cfg {
	struct llist_head peers;		/*!< struct iwf_map_peer, in configuration order */
	unsigned int n_peers;
	unsigned int next_id;
	struct iwf_map_cat_table cats;
	unsigned int imsi_mask;			/*!< IMSI digits masked at the end in logs */
	unsigned int max_dialogues;
	/*! "map-signature oid": direct-reference of the signature EXTERNAL,
	 *  contents octets; sig_oid_len 0: TCAP_STIWF_SIG_OID (2.999.3057.1) */
	uint8_t sig_oid[32];
	size_t sig_oid_len;
	char sig_oid_text[128];
	/* live, set by the relay (src/stiwfd/map_relay.c), for the show commands */
	struct rate_ctr_group *cat_ctrs[_NUM_IWF_MAP_CAT];
	struct iwf_map_dlg_table *dialogues;
};

/*! The configuration in force (allocated by iwf_map_peer_vty_init()) */
extern struct iwf_map_cfg *g_map_cfg;

/*! \returns an empty configuration with the defaults, or NULL */
struct iwf_map_cfg *iwf_map_cfg_alloc(void *ctx);

/*! Remove every map-peer and restore the defaults (live pointers stay). */
void iwf_map_cfg_reset(struct iwf_map_cfg *cfg);

/*! A new map-peer with the defaults (foreign, policy screen, block-action
 *  drop, repository-miss-limit 5 burst 20).
 *  \returns it, or NULL (bad or used name, IWF_MAP_PEERS_MAX, no memory) */
struct iwf_map_peer *iwf_map_peer_alloc(struct iwf_map_cfg *cfg, const char *name);
void iwf_map_peer_free(struct iwf_map_cfg *cfg, struct iwf_map_peer *peer);
struct iwf_map_peer *iwf_map_peer_find(const struct iwf_map_cfg *cfg, const char *name);

/*! \returns whether s is 1..IWF_MAP_GT_MAX digits 0-9 */
bool iwf_map_gt_prefix_valid(const char *s);

/*! Add a calling-gt prefix.  \returns 0, -EINVAL, -EEXIST (this or another
 *  map-peer has it; *owner says which), -ENOSPC */
int iwf_map_peer_add_gt(struct iwf_map_cfg *cfg, struct iwf_map_peer *peer, const char *prefix,
			const struct iwf_map_peer **owner);
/*! \returns 0 or -ENOENT */
int iwf_map_peer_del_gt(struct iwf_map_peer *peer, const char *prefix);

/*! Make \a peer the default peer (or not).  \returns 0, -EEXIST (another
 *  one is; *owner says which) */
int iwf_map_peer_set_default(struct iwf_map_cfg *cfg, struct iwf_map_peer *peer, bool is_default,
			     const struct iwf_map_peer **owner);

/*! The map-peer of an SCCP global title: the longest calling-gt prefix it
 *  starts with, else the default peer.  \a digits may be "" (no GT).
 *  \returns the peer, or NULL */
struct iwf_map_peer *iwf_map_peer_by_gt(const struct iwf_map_cfg *cfg, const char *digits);

/*! \a imsi with its last cfg->imsi_mask digits (never MCC+MNC, the first
 *  5) replaced by '*', into buf.  \returns buf */
char *iwf_map_imsi_masked(char *buf, size_t size, const struct iwf_map_cfg *cfg, const char *imsi);

/*! The operation of a VTY word: a name of ss7/gsm_map.h's table
 *  (gsm_map_op_names) or a decimal code 0..255.  \returns it or -EINVAL */
int iwf_map_opcode_parse(const char *s);

/*! Counters of a peer (its id as the index) and of each category, when
 *  not there yet.  \returns 0 or -ENOMEM */
int iwf_map_ctrs_alloc(struct iwf_map_cfg *cfg);

/*! Free the counters of every peer and category (while the rest of
 *  libosmocore's counter groups still live: the groups share one list). */
void iwf_map_ctrs_free(struct iwf_map_cfg *cfg);

/*! Count one event for a peer (may be NULL) and a category. */
void iwf_map_ctr_inc(struct iwf_map_cfg *cfg, struct iwf_map_peer *peer, enum iwf_map_cat cat,
		     enum iwf_map_ctr ctr);

/*! \returns the current value of a counter of a peer (0 without counters) */
uint64_t iwf_map_peer_ctr_get(const struct iwf_map_peer *peer, enum iwf_map_ctr ctr);
/*! \returns the current value of a counter of a category */
uint64_t iwf_map_cat_ctr_get(const struct iwf_map_cfg *cfg, enum iwf_map_cat cat, enum iwf_map_ctr ctr);

/*! Consistency of the MAP border's configuration with the rest (called by
 *  iwf_cfg_check()): every map-peer matches something, a `sign` peer has
 *  a TSCA credential to sign with, a `policy reject` peer a TSCA trust-dir
 *  to verify with.  \returns 0, or -EINVAL with err saying why */
int iwf_map_cfg_check(const struct iwf_map_cfg *cfg, const struct iwf_cfg *iwf, char *err, size_t len);

/*! Install the map-peer node, map-category, map-log, map-dialogues, the
 *  "timer map" group and the show commands; allocate g_map_cfg. */
void iwf_map_peer_vty_init(void *ctx);
