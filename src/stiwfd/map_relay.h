/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file map_relay.h
 *  stiwfd as a MAP border node: the consumer of stiwf's own SCCP
 *  (ss7/sccp_user.h).  Every UDT and XUDT that arrives is relayed by its
 *  called global title (ss7/sccp_route.h) or blocked:
 *
 *  - the sender's network is the map-peer of the SCCP calling GT
 *    (iwf/map_peer.h); none: the message is dropped and counted;
 *  - from a home peer (`sign`), a TC-BEGIN with AARQ and a first backward
 *    TC-CONTINUE or TC-END with AARE are signed with our TSCA credential
 *    (ss7/tcap_sig.h, ORIG = the SCCP calling GT), and everything goes on;
 *  - from a foreign peer, the signature of a message with a dialogue
 *    portion is extracted and verified: iat window, replay cache (those of
 *    the tsca node), signer by key-id in the TSCA directory (repository
 *    misses rate-limited per map-peer), the signature on the worker pool
 *    when there is one, and the ORIG GT covered by a gt-prefix of the map
 *    entry that pins the signer's key.  Later messages of the dialogue
 *    inherit the verdict of their direction (iwf/map_dialogue.h); then
 *    iwf/map_policy.h decides on every Invoke (the operations of a
 *    dialogue whose application context is no MAP one, CAMEL for one,
 *    have no category);
 *  - relayed: the called address gets the route's SSN and TT, an XUDT's
 *    hop counter goes down by one (at 0: "hop counter violation", Q.714
 *    §2.3.1), the SLS is the one the dialogue's Begin came with, both
 *    ways, and the signature is stripped when the route says
 *    `strip-signature`;
 *  - blocked, by the map-peer's block-action: nothing; a UDTS or XUDTS
 *    (Q.714 §4.2, cause "no translation for this specific address", only
 *    when the message asked for return: so it looks to the sender as if
 *    the destination did not exist); or a TCAP Abort to the originator,
 *    DTID = its OTID, through the route of its calling GT (below).
 *
 *  The TC-ABORT of a blocked message (Q.773 §3.1 Abort, Q.774 §3.2.2):
 *  - a TC-BEGIN with a dialogue portion: a U-Abort whose dialogue portion
 *    is an AARE with result reject-permanent, result-source-diagnostic
 *    dialogue-service-user no-reason-given, the Begin's application
 *    context, and a MAP-RefuseInfo { reason noReasonGiven } in its
 *    user-information (map-DialogueAS): what a MAP node sends when it
 *    refuses a dialogue (TS 29.002 MAP-OPEN response "dialogue refused",
 *    mapped onto TC-U-ABORT);
 *  - a TC-BEGIN without one (MAP v1): a U-Abort without dialogue portion;
 *  - a TC-CONTINUE of a dialogue we do not know: a P-Abort with cause
 *    unrecognizedTransactionID, what its TC would answer itself;
 *  - a TC-CONTINUE of a known dialogue: a U-Abort with an ABRT
 *    (abort-source dialogue-service-user) when the dialogue has an
 *    application context, else without dialogue portion.
 *  A TC-END, TC-ABORT or TC-UNI has no transaction to abort: dropped.  The
 *  other side of a dialogue whose message was blocked is not told; its
 *  own timer ends it.
 *
 *  One JSON line "map-log {...}" per dialogue, when it closes (End, Abort,
 *  a blocked message, the dialogue timer, eviction), and one per message
 *  outside any dialogue (a blocked Begin, a TC-UNI, a Continue of an
 *  unknown dialogue, a message that does not decode), at NOTICE on DMAP.
 *  Counters per map-peer and per category (iwf/map_peer.h).
 *
 *  Hostile input: the SCCP user bounds the data (3952 octets); TCAP and
 *  MAP decoders log the field they stop at; a message that does not
 *  decode is counted as malformed and forwarded from a home peer or under
 *  `policy tag`, else blocked. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct certmap;
struct iwf_map_cfg;
struct sccp_user;
struct sccp_user_ind;
struct sigtoken_key;
struct sigtoken_replay;
struct stiwf_workq;
struct tsca_dir;

/*! Verifications in progress at most; beyond, a signature is not looked
 *  at (verdict invalid, reason overload) */
#define MAP_RELAY_PENDING_MAX	4096
/*! Messages of one dialogue held while its first message of that
 *  direction is verified; more are dropped */
#define MAP_RELAY_QUEUE_MAX	8

/*! What the relay works with; every pointer may be NULL but cfg (then that
 *  part is missing: no TSCA trust, no credential, no pool) */
struct map_relay_cfg {
	struct iwf_map_cfg *cfg;		/*!< the map-peers (g_map_cfg) */
	struct tsca_dir *tsca;			/*!< signers by key-id */
	struct sigtoken_replay *replay;		/*!< shared with the ISUP path */
	struct certmap *map;			/*!< the domain map: gt-prefix, imsi-prefix */
	struct sigtoken_key *sign_key;		/*!< our TSCA credential's key (home peers) */
	struct stiwf_workq *workq;		/*!< the crypto pool */
	unsigned int window;			/*!< iat window, seconds (hop-window) */
	unsigned int skew;			/*!< clock skew allowed (hop-skew) */
	const uint8_t *oid;			/*!< signature EXTERNAL's OID; NULL: TCAP_STIWF_SIG_OID */
	size_t oid_len;
};

struct map_relay;

/*! \returns the relay, or NULL.  It registers its dialogue table and
 *  counters in cfg->cfg for the show commands. */
struct map_relay *map_relay_alloc(void *ctx, const struct map_relay_cfg *cfg);

/*! The SCCP user the relay sends through (created with map_relay_rx() and
 *  map_relay_notice() as its callbacks and the relay as their priv). */
void map_relay_set_sccp(struct map_relay *r, struct sccp_user *u);

/*! sccp_user_ind_cb for received UDT and XUDT. */
void map_relay_rx(struct sccp_user *u, const struct sccp_user_ind *ind, void *priv);

/*! sccp_user_ind_cb for received UDTS and XUDTS: relayed towards their
 *  called address, not screened (they carry a returned message to the
 *  node that sent it). */
void map_relay_notice(struct sccp_user *u, const struct sccp_user_ind *ind, void *priv);

/*! \returns the verifications and signatures in progress */
unsigned int map_relay_pending(const struct map_relay *r);

/*! Close every dialogue (their log lines are written), cancel what is in
 *  progress, free the counters of the map-peers and categories, and free. */
void map_relay_free(struct map_relay *r);
