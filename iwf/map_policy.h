/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file map_policy.h
 *  MAP screening at the border (GSMA FS.11 categories) with signatures:
 *  the operation -> category table and the decision for one message of a
 *  map-peer.  Pure decisions: the caller (src/stiwfd/map_relay.c) decodes the
 *  message (ss7/tcap.h, ss7/gsm_map.h), verifies its signature (the TSCA
 *  directory, the domain map), finds the dialogue it belongs to, hands the
 *  facts in and carries the decision out.
 *
 *  Categories (FS.11 §3, as stiwf reads them; each operation's default
 *  below, every one configurable with `map-category`):
 *  - cat1: operations that only the home network sends to its own nodes;
 *    from another network they are an attack (location tracking, IMSI
 *    harvesting): anyTimeInterrogation (71), sendIMSI (58),
 *    sendRoutingInfo (22), sendRoutingInfoForGprs (24).
 *  - cat2: operations an HLR sends to the network its subscriber visits;
 *    only the subscriber's home network may send them:
 *    provideSubscriberInfo (70), insertSubscriberData (7),
 *    deleteSubscriberData (8), cancelLocation (3), provideRoamingNumber (4).
 *    The check needs the IMSI: an operation whose IMSI could not be read
 *    fails it.
 *  - cat3: operations a visited network sends to the subscriber's HOME
 *    network; plausible only from where the subscriber is, which the
 *    border cannot tell: updateLocation (2), updateGprsLocation (23),
 *    purgeMS (67), sendAuthenticationInfo (56),
 *    processUnstructuredSS-Request (59).
 *  - sms: sendRoutingInfoForSM (45), mt-forwardSM (44),
 *    mo-forwardSM/forwardSM (46).
 *  - none: every other operation, and components that are no Invoke.
 *
 *  The decision for a message from a foreign map-peer (a home peer's
 *  traffic is signed and forwarded, never screened):
 *
 *  | policy | verdict          | cat1  | cat2              | cat3           | sms           | none |
 *  |--------|------------------|-------|-------------------|----------------|---------------|------|
 *  | tag    | any              | fwd   | fwd               | fwd            | fwd           | fwd  |
 *  | screen | valid            | fwd   | signer's home?    | fwd            | fwd           | fwd  |
 *  | screen | unsigned/invalid | block | calling GT's home? | `screen cat3`  | `screen sms`  | fwd  |
 *  | reject | valid            | fwd   | signer's home?    | fwd            | fwd           | fwd  |
 *  | reject | unsigned/invalid | new dialogue: block; in a dialogue: as screen                 |
 *
 *  "home?": forwarded when the IMSI's home network (map imsi-prefix) is
 *  the originator's network: for a valid signature the entry that pins
 *  the signer's key, else the entry whose gt-prefix the SCCP calling GT
 *  matches; blocked otherwise (also when the IMSI is unknown).  `screen
 *  cat3 block|pass` and `screen sms block|pass` default to pass.
 *
 *  A valid verdict means more than a signature that verifies: the signer's
 *  chain is trusted and not revoked, the iat is in the window and not
 *  replayed, and the map entry pinning its key lists a gt-prefix of the
 *  originating GT the token names (certs/map.h certmap_may_use_gt()).
 *
 *  A "new dialogue" is a Begin, a Unidirectional, or a Continue, End or
 *  Abort the dialogue table does not know; under `reject` those need a
 *  valid signature.  A Continue, End or Abort whose DTID names a dialogue
 *  the table knows, but that does not come from that dialogue's other side
 *  (its peer, node GT and TID), is someone else's attempt to speak in it:
 *  blocked under screen and reject ("not-its-dialogue").  Later messages of a known dialogue inherit the verdict
 *  of their direction (its first message with a dialogue portion); their
 *  Invoke components are screened like those of a Begin. */

#include <stdbool.h>
#include <stdint.h>

#include <osmocom/core/utils.h>

/*! Operation codes the category table holds (local values, TS 29.002 §17.5) */
#define IWF_MAP_OPCODE_MAX	255

/*! FS.11 category of an operation */
enum iwf_map_cat {
	IWF_MAP_CAT_NONE,
	IWF_MAP_CAT_1,
	IWF_MAP_CAT_2,
	IWF_MAP_CAT_3,
	IWF_MAP_CAT_SMS,
	_NUM_IWF_MAP_CAT
};
/*! "none", "cat1", "cat2", "cat3", "sms": the words of the VTY and the log */
extern const struct value_string iwf_map_cat_names[];

/*! The operation -> category table */
struct iwf_map_cat_table {
	uint8_t cat[IWF_MAP_OPCODE_MAX + 1];		/*!< enum iwf_map_cat */
	bool configured[IWF_MAP_OPCODE_MAX + 1];	/*!< set by map-category (written back) */
};

/*! The default category of an operation (the table above). */
enum iwf_map_cat iwf_map_cat_default(unsigned int opcode);

/*! Every operation to its default, nothing configured. */
void iwf_map_cat_table_init(struct iwf_map_cat_table *t);

/*! Set the category of an operation.  \returns 0, -EINVAL */
int iwf_map_cat_set(struct iwf_map_cat_table *t, unsigned int opcode, enum iwf_map_cat cat);

/*! Back to the default.  \returns 0, -EINVAL */
int iwf_map_cat_unset(struct iwf_map_cat_table *t, unsigned int opcode);

/*! The category of a local operation code; NONE for codes outside
 *  0..IWF_MAP_OPCODE_MAX (no MAP operation has one). */
enum iwf_map_cat iwf_map_cat_of(const struct iwf_map_cat_table *t, int64_t opcode);

/*! A map-peer's role */
enum iwf_map_role {
	IWF_MAP_ROLE_FOREIGN,		/*!< another network: verified and screened */
	IWF_MAP_ROLE_HOME,		/*!< our own network: signed on the way out (`sign`) */
};
extern const struct value_string iwf_map_role_names[];

/*! What a foreign map-peer's unsigned or invalid traffic meets */
enum iwf_map_screen_policy {
	IWF_MAP_POLICY_TAG,		/*!< forwarded, the verdict logged */
	IWF_MAP_POLICY_SCREEN,		/*!< filtered by category */
	IWF_MAP_POLICY_REJECT,		/*!< new dialogues need a valid signature */
};
extern const struct value_string iwf_map_policy_names[];

/*! How a blocked message is answered */
enum iwf_map_block_action {
	IWF_MAP_BLOCK_DROP,		/*!< silently */
	IWF_MAP_BLOCK_UDTS,		/*!< UDTS/XUDTS when the message asked for return, else dropped */
	IWF_MAP_BLOCK_TC_ABORT,		/*!< a TCAP Abort to the originator (src/stiwfd/map_relay.h) */
};
extern const struct value_string iwf_map_block_action_names[];

/*! The signature verdict of a message (or of its dialogue's direction) */
enum iwf_map_verdict {
	IWF_MAP_V_UNSIGNED,
	IWF_MAP_V_VALID,
	IWF_MAP_V_INVALID,
	IWF_MAP_V_HOME,			/*!< from a home peer: not verified, we sign it */
};
extern const struct value_string iwf_map_verdict_names[];

/*! Why a verdict is invalid (the reason of the map-log line) */
enum iwf_map_reason {
	IWF_MAP_R_NONE,
	IWF_MAP_R_MALFORMED,		/*!< the token or its EXTERNAL does not decode */
	IWF_MAP_R_BAD_SIGNATURE,
	IWF_MAP_R_UNKNOWN_SIGNER,	/*!< no certificate for its key-id */
	IWF_MAP_R_UNTRUSTED,		/*!< the chain does not verify (expired, no path, bad CRL, key) */
	IWF_MAP_R_REVOKED,
	IWF_MAP_R_STALE,		/*!< iat too old */
	IWF_MAP_R_FUTURE,		/*!< iat in the future */
	IWF_MAP_R_REPLAY,		/*!< seen before, or signed before our start (startup quiet) */
	IWF_MAP_R_ORIG_NOT_AUTHORISED,	/*!< the signer's map entry does not list the originating GT */
	IWF_MAP_R_BUSY,			/*!< the signer could not be looked up now (repository-miss-limit, fetch caps) */
	IWF_MAP_R_NO_TRUST,		/*!< no TSCA trust configured: nothing can be verified */
	IWF_MAP_R_OVERLOAD,		/*!< too many verifications in progress */
	IWF_MAP_R_INTERNAL,		/*!< out of memory, library failure */
	_NUM_IWF_MAP_R
};
extern const struct value_string iwf_map_reason_names[];

/*! The screening knobs of a foreign map-peer */
struct iwf_map_screen {
	enum iwf_map_screen_policy policy;	/*!< default screen */
	bool cat3_block;			/*!< `screen cat3 block` (default pass) */
	bool sms_block;				/*!< `screen sms block` (default pass) */
};

/*! What the caller found out about one Invoke of a message */
struct iwf_map_facts {
	enum iwf_map_role role;
	enum iwf_map_verdict verdict;	/*!< of the message, or inherited from its dialogue */
	bool new_dialogue;		/*!< Begin, Unidirectional, or a dialogue the table does not know */
	/*! the DTID names a known dialogue, but the message does not come
	 *  from its other side */
	bool wrong_side;
	enum iwf_map_cat cat;		/*!< of the Invoke; NONE for a message without one */
	/*! cat2: the IMSI's home network is the originator's (by the signer's
	 *  entry when verdict is valid, else by the calling GT's entry);
	 *  false when either is unknown */
	bool home;
};

/*! Why a message is forwarded or blocked (the "action_reason" of the log) */
enum iwf_map_decision_reason {
	IWF_MAP_D_HOME,			/*!< from a home peer */
	IWF_MAP_D_TAG,			/*!< policy tag */
	IWF_MAP_D_VALID,		/*!< valid signature */
	IWF_MAP_D_PASS,			/*!< unsigned or invalid, the category lets it pass */
	IWF_MAP_D_CAT2_HOME,		/*!< cat2 from the IMSI's home network */
	IWF_MAP_D_CAT1,			/*!< blocked: cat1 from another network */
	IWF_MAP_D_CAT2_NOT_HOME,	/*!< blocked: cat2 not from the IMSI's home network */
	IWF_MAP_D_CAT3,			/*!< blocked: cat3 under `screen cat3 block` */
	IWF_MAP_D_SMS,			/*!< blocked: sms under `screen sms block` */
	IWF_MAP_D_NOT_SIGNED,		/*!< blocked: a new dialogue without a valid signature under reject */
	IWF_MAP_D_NOT_ITS_DIALOGUE,	/*!< blocked: into a known dialogue, not from its other side */
	_NUM_IWF_MAP_D
};
extern const struct value_string iwf_map_decision_reason_names[];

struct iwf_map_decision {
	bool block;
	enum iwf_map_decision_reason reason;
};

/*! Decide one Invoke (or, with cat NONE, a message without one) of a
 *  message from a map-peer with screening knobs \a s (ignored for a home
 *  peer).  \returns 0, -EINVAL */
int iwf_map_decide(const struct iwf_map_screen *s, const struct iwf_map_facts *f, struct iwf_map_decision *d);
