/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file sccp_route.h
 *  The "sccp" configuration node: which cs7 instance carries stiwf's own
 *  SCCP, our global title, the message size limit, the reassembly bounds,
 *  and the table from called global title prefixes to point codes
 *  (longest prefix wins; a default entry takes the rest), with an optional
 *  SSN and translation type for the called address, and whether the next
 *  hop wants the MAP signature (`strip-signature`).  sccp_route_lookup()
 *  is a plain function for whoever relays MAP traffic (src/stiwfd/map_relay.h). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <osmocom/core/linuxlist.h>

#include "ss7/sccp.h"
#include "ss7/sccp_reasm.h"

/*! Routes kept at most */
#define SCCP_ROUTES_MAX		4096
/*! Reassemblies in progress at most (VTY bound) */
#define SCCP_REASM_PARALLEL_MAX	65535
/*! Defaults of the "sccp" node */
#define SCCP_REASM_PARALLEL_DEFAULT	256

/*! A route: called GT prefix -> point code */
struct sccp_route {
	struct llist_head entry;
	char prefix[SCCP_GT_DIGITS_MAX + 1];	/*!< '0'-'9'; "" is the default route */
	uint32_t pc;				/*!< DPC, 14-bit ITU */
	bool has_ssn;				/*!< rewrite the called SSN */
	uint8_t ssn;
	bool has_tt;				/*!< rewrite the called translation type */
	uint8_t tt;
	/*! the next hop does not want the MAP signature EXTERNAL
	 *  (ss7/tcap_sig.h): the MAP border strips it, or does not add one */
	bool strip_signature;
};

/*! The "sccp" node */
struct sccp_cfg {
	bool enabled;			/*!< the node is in the configuration */
	uint32_t cs7_instance;
	bool has_local_gt;
	char local_gt[SCCP_GT_DIGITS_MAX + 1];	/*!< our GT as calling party when we originate */
	bool has_local_tt;		/*!< "tt" was given (and is written back) */
	uint8_t local_tt;
	size_t max_sif;			/*!< max-message-length (MTP3 SIF incl. routing label) */
	struct sccp_reasm_cfg reasm;
	struct llist_head routes;	/*!< struct sccp_route, in configuration order */
	unsigned int n_routes;
};

/*! The configuration stiwfd reads (set up by sccp_vty_init()) */
extern struct sccp_cfg *g_sccp_cfg;

/*! \returns a configuration with the defaults (disabled, cs7 instance 0,
 *  max-message-length 272, reassembly 3952 octets, 16 segments, 256 in
 *  parallel, no routes), or NULL */
struct sccp_cfg *sccp_cfg_alloc(void *ctx);

/*! Back to the defaults of sccp_cfg_alloc(), routes removed. */
void sccp_cfg_reset(struct sccp_cfg *cfg);

/*! Install the "sccp" node, "show sccp" and "show sccp routes", and the
 *  "timer sccp" group; allocate g_sccp_cfg. */
void sccp_vty_init(void *ctx);

/*! \returns whether s is 1 to SCCP_GT_DIGITS_MAX digits '0'-'9' */
bool sccp_route_prefix_valid(const char *s);

/*! Add or replace the route of prefix ("" for the default route).
 *  ssn, tt: -1 to leave the called address as it is.
 *  \returns 0, -EINVAL, -ENOSPC (SCCP_ROUTES_MAX), -ENOMEM */
int sccp_route_set(struct sccp_cfg *cfg, const char *prefix, uint32_t pc, int ssn, int tt);

/*! Set whether the route of prefix ("" for the default route) strips the
 *  MAP signature (struct sccp_route.strip_signature).
 *  \returns 0 or -ENOENT */
int sccp_route_set_strip_signature(struct sccp_cfg *cfg, const char *prefix, bool strip);

/*! Remove the route of prefix ("" for the default route).
 *  \returns 0 or -ENOENT */
int sccp_route_del(struct sccp_cfg *cfg, const char *prefix);

/*! The route of called GT digits in cfg: the longest matching prefix, else
 *  the default route.
 *  \returns the route, or NULL when none applies */
const struct sccp_route *sccp_route_find(const struct sccp_cfg *cfg, const char *digits);

/*! What a route says for a called global title */
struct sccp_route_result {
	uint32_t pc;			/*!< DPC to send to */
	bool has_ssn;			/*!< set the called SSN to ssn */
	uint8_t ssn;
	bool has_tt;			/*!< set the called TT to tt */
	uint8_t tt;
	bool is_default;		/*!< the default route matched */
	bool strip_signature;		/*!< struct sccp_route.strip_signature */
};

/*! Look up called GT digits in the configured table (g_sccp_cfg).
 *  \returns 0 (res filled) or -ENOENT (no route, no default) */
int sccp_route_lookup(const char *digits, struct sccp_route_result *res);

/*! Apply a route's rewrites to a called party address: the SSN (added
 *  when the address had none) and the translation type (when its GT has
 *  one: GTI 2, 3, 4). */
void sccp_route_apply(const struct sccp_route_result *res, struct sccp_addr *called);
