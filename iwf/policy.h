/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file policy.h
 *  Attestation across the border: the table of ARCHITECTURE §4, with per-peer
 *  knobs.  Pure decisions: the caller verifies (sip/ STI-VS, ss7/ HOP,
 *  certs/ trust store and map), hands the results in, and carries out the
 *  decision.  Every decision carries a machine-readable reason for the
 *  per-call JSON log line (iwf_decision_to_json()).
 *
 *  | ingress evidence                        | egress (defaults)                         |
 *  |-----------------------------------------|-------------------------------------------|
 *  | SIP: PASSporT verifies                  | IAM: PASSPORT (if canonical) + VERDICT passed + HOP |
 *  | SIP: PASSporT fails (403/436/437/438)   | `reject`: that SIP code; `continue`: VERDICT failed + HOP |
 *  | SIP: no Identity                        | `identity-required`: 428; else VERDICT no-validation + HOP |
 *  | ISUP: HOP ok, PASSPORT verifies         | rebuild the Identity, verstat passed      |
 *  | ISUP: HOP ok, no PASSPORT               | new PASSporT: B if covered and full, else C |
 *  | ISUP: HOP missing or invalid            | `hop-required`: REL cause 21; else new PASSporT C |
 *
 *  Choices the design table leaves open, fixed here (ARCHITECTURE §4 text):
 *  - a PASSporT whose JSON was not canonical cannot be rebuilt by the far
 *    IWF (ARCHITECTURE §2.2), nor one whose x5u does not fit the PASSPORT TLV:
 *    no PASSPORT TLV, the VERDICT still says "passed";
 *  - ATIS-1000074 §5.3.2: a call that continues after a STIR failure carries
 *    the failure in a Reason header of the next response (reason_header);
 *  - HOP signer revoked, unknown (no certificate) or untrusted: the HOP is
 *    invalid, whatever its signature;
 *  - HOP signer not looked up for lack of fetch capacity (the peer's rate
 *    of repository misses, or the fetches in flight): REL with the peer's
 *    `repository-busy-cause` (default 42, switching equipment congestion,
 *    Q.850): the call is neither verified nor refused on its merits, and
 *    congestion lets the exchange before us try another route;
 *  - HOP signature valid but the shared replay store could not say
 *    whether it was seen (no answer in time, no connection) and
 *    `replay-store on-failure reject`: REL with the release cause
 *    (default 21) whatever `hop-required` says: the IAM may be a replay
 *    of a call another IWF took, and it cannot be told apart;
 *  - HOP ok, no PASSPORT: B needs the map to cover the calling number, a
 *    full certificate, and a VERDICT that is not "failed"; a provisional
 *    signer is capped at `provisional-max-attest` (default C); a signer of
 *    neither class is not full;
 *  - HOP ok, PASSPORT present but not verifying: treated as a STIR failure
 *    (`reject`: REL; `continue`: new PASSporT with C, verstat failed);
 *  - verstat for the P-Asserted-Identity (TS 24.229 §7.2A.20): passed for a
 *    rebuilt Identity; for a new PASSporT the VERDICT of a valid HOP (the
 *    ingress IWF's finding, which HOP signs), else No-TN-Validation;
 *  - no calling number: nothing to attest, no PASSporT. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <osmocom/core/utils.h>

/*! ARCHITECTURE §2.1: ACIs 64..127, default 90 (as ss7/sigtoken.h) */
#define IWF_POLICY_ACI_MIN	64
#define IWF_POLICY_ACI_MAX	127
#define IWF_POLICY_ACI_DEFAULT	90
/*! Longest x5u the PASSPORT TLV carries: 255 - 86 (ss7/sigtoken.h SIGTOKEN_X5U_MAX) */
#define IWF_POLICY_X5U_MAX	169
/*! Room for `SIP ;cause=438;text="Invalid Identity Header"` and more */
#define IWF_REASON_HDR_MAX	80
/*! Room for iwf_decision_to_json() */
#define IWF_DECISION_JSON_MAX	320

/*! What to do when STIR verification fails */
enum iwf_stir_failure_action {
	IWF_STIR_FAIL_CONTINUE,		/*!< carry the failure on (VERDICT failed) */
	IWF_STIR_FAIL_REJECT,		/*!< refuse the call */
};
extern const struct value_string iwf_stir_failure_action_names[];

/*! Per-peer policy (VTY: the peer's `stir` knobs) */
struct iwf_policy {
	enum iwf_stir_failure_action on_stir_failure;	/*!< default continue */
	bool identity_required;		/*!< no Identity: 428 (ATIS-1000074 warns against it) */
	bool hop_required;		/*!< no valid HOP: release */
	char provisional_max_attest;	/*!< 'C' (default) or 'B' */
	uint16_t aci;			/*!< APP context of the token, 64..127 */
	uint8_t release_cause;		/*!< Q.850 cause of a refused IAM, default 21 */
	uint8_t busy_cause;		/*!< Q.850 cause when the HOP signer could not be looked up, default 42 */
};

/*! Verification results of an incoming INVITE (sip/ STI-VS) */
struct iwf_sip_evidence {
	bool identity_present;		/*!< an Identity header was there */
	int stir_code;			/*!< enum stir_error: 0 verified, else 403/436/437/438 */
	char attest;			/*!< 'A', 'B', 'C' of a verified PASSporT */
	bool passport_canonical;	/*!< its JSON was RFC 8225 canonical (ARCHITECTURE §2.2) */
	size_t x5u_len;			/*!< length of its x5u */
};

/*! HOP state after ss7/ decoded and verified the token */
enum iwf_hop_state {
	IWF_HOP_VALID,
	IWF_HOP_MISSING,
	IWF_HOP_INVALID,
};
extern const struct value_string iwf_hop_state_names[];

/*! Why a HOP is invalid (from sigtoken_hop_verify()/sigtoken_replay_check()) */
enum iwf_hop_reason {
	IWF_HOP_R_NONE,
	IWF_HOP_R_MALFORMED,		/*!< token does not decode */
	IWF_HOP_R_BAD_SIGNATURE,
	IWF_HOP_R_ALG,			/*!< not ES256 */
	IWF_HOP_R_STALE,		/*!< iat too old */
	IWF_HOP_R_FUTURE,		/*!< iat in the future */
	IWF_HOP_R_REPLAY,
	IWF_HOP_R_NUMBER,		/*!< a number cannot be made E.164 */
	IWF_HOP_R_STARTUP,		/*!< signed before our start, no shared replay store (startup quiet) */
	IWF_HOP_R_UNBOUND,		/*!< not bound to our network (hop-bind require) */
	IWF_HOP_R_STORE,		/*!< the shared replay store could not say (replay-store on-failure reject) */
};
extern const struct value_string iwf_hop_reason_names[];

/*! The trust store's word on the HOP signer (values as enum certmap_trust) */
enum iwf_signer_trust {
	IWF_SIGNER_OK		= 0,
	IWF_SIGNER_UNKNOWN	= 1,	/*!< no certificate for its key-id */
	IWF_SIGNER_UNTRUSTED	= 2,	/*!< chain does not verify */
	IWF_SIGNER_REVOKED	= 3,
};
extern const struct value_string iwf_signer_trust_names[];

/*! Certificate class (values as enum certmap_class) */
enum iwf_signer_class {
	IWF_SIGNER_CLASS_UNKNOWN	= 0,
	IWF_SIGNER_CLASS_FULL		= 1,
	IWF_SIGNER_CLASS_PROVISIONAL	= 2,
};

/*! Verification results of an incoming IAM (ss7/ HOP, sip/ PASSporT
 *  rebuilt and verified, certs/ map answers converted field by field from
 *  struct certmap_answer) */
struct iwf_isup_evidence {
	enum iwf_hop_state hop;
	enum iwf_hop_reason hop_reason;		/*!< when INVALID */
	enum iwf_signer_trust signer_trust;
	enum iwf_signer_class signer_class;
	bool signer_busy;			/*!< not looked up: no fetch capacity (tsca.h TSCA_ERR_BUSY) */
	bool signer_covers_calling;		/*!< certmap_may_present() */
	bool same_carrier;			/*!< certmap_same_carrier(), logged only */
	bool has_calling;			/*!< a calling number in E.164 form */
	bool passport_present;
	bool passport_verifies;			/*!< rebuilt, and verifies with its x5u */
	bool verdict_present;
	uint8_t verdict_verstat;		/*!< enum stir_verstat */
	uint16_t verdict_reason;
};

enum iwf_action {
	IWF_ACTION_FORWARD,
	IWF_ACTION_REJECT,	/*!< SIP final response sip_status */
	IWF_ACTION_RELEASE,	/*!< ISUP REL with cause */
};
extern const struct value_string iwf_action_names[];

/*! What goes in the INVITE towards SIP */
enum iwf_identity_action {
	IWF_IDENTITY_NONE,
	IWF_IDENTITY_REBUILD,	/*!< the original PASSporT, rebuilt (ARCHITECTURE §2.2) */
	IWF_IDENTITY_SIGN,	/*!< a new PASSporT signed by the IWF with \a attest */
};
extern const struct value_string iwf_identity_action_names[];

/*! Machine-readable reasons (iwf_policy_reason_names: short strings) */
enum iwf_policy_reason {
	/* SIP -> ISUP */
	IWF_PR_SIP_VERIFIED,			/*!< PASSPORT + VERDICT passed */
	IWF_PR_SIP_VERIFIED_NONCANONICAL,	/*!< VERDICT passed, no PASSPORT */
	IWF_PR_SIP_VERIFIED_X5U_TOO_LONG,	/*!< VERDICT passed, no PASSPORT */
	IWF_PR_SIP_FAILED_REJECT,
	IWF_PR_SIP_FAILED_CONTINUE,
	IWF_PR_SIP_NO_IDENTITY_REJECT,
	IWF_PR_SIP_NO_IDENTITY_CONTINUE,
	/* ISUP -> SIP */
	IWF_PR_ISUP_PASSPORT_VERIFIED,		/*!< rebuild */
	IWF_PR_ISUP_COVERED_FULL_B,
	IWF_PR_ISUP_COVERED_PROVISIONAL_B,	/*!< cap allows B */
	IWF_PR_ISUP_COVERED_PROVISIONAL_C,	/*!< capped */
	IWF_PR_ISUP_COVERED_CLASS_UNKNOWN_C,
	IWF_PR_ISUP_NOT_COVERED_C,
	IWF_PR_ISUP_VERDICT_FAILED_C,
	IWF_PR_ISUP_PASSPORT_INVALID_C,
	IWF_PR_ISUP_PASSPORT_INVALID_RELEASE,
	IWF_PR_ISUP_HOP_MISSING_C,
	IWF_PR_ISUP_HOP_MISSING_RELEASE,
	IWF_PR_ISUP_HOP_INVALID_C,
	IWF_PR_ISUP_HOP_INVALID_RELEASE,
	IWF_PR_ISUP_SIGNER_REVOKED_C,
	IWF_PR_ISUP_SIGNER_REVOKED_RELEASE,
	IWF_PR_ISUP_SIGNER_UNKNOWN_C,
	IWF_PR_ISUP_SIGNER_UNKNOWN_RELEASE,
	IWF_PR_ISUP_SIGNER_UNTRUSTED_C,
	IWF_PR_ISUP_SIGNER_UNTRUSTED_RELEASE,
	IWF_PR_ISUP_NO_CALLING,			/*!< nothing to attest */
	IWF_PR_ISUP_SIGNER_BUSY_RELEASE,	/*!< HOP signer not looked up: no capacity */
	IWF_PR_ISUP_REPLAY_STORE_RELEASE,	/*!< the shared replay store could not say */
	_NUM_IWF_PR
};
extern const struct value_string iwf_policy_reason_names[];

/*! A decision.  Fields that do not apply to the action are zero. */
struct iwf_decision {
	enum iwf_action action;
	enum iwf_policy_reason reason;
	/* SIP side */
	int sip_status;			/*!< REJECT: final response code */
	const char *sip_phrase;		/*!< REJECT: its ATIS-1000074 reason phrase */
	/*! RFC 3326 Reason header value: REJECT, and a call that continues
	 *  after a STIR failure (ATIS-1000074 §5.3.2); "" otherwise */
	char reason_header[IWF_REASON_HDR_MAX];
	/* ISUP side */
	uint8_t cause;			/*!< RELEASE: Q.850 cause */
	/* SIP -> ISUP: the token in the IAM (ARCHITECTURE §2.2) */
	uint16_t aci;
	bool tlv_hop;
	bool tlv_passport;
	bool tlv_verdict;
	uint8_t verdict_verstat;	/*!< enum stir_verstat */
	uint16_t verdict_reason;	/*!< 0 or the STIR code */
	/* ISUP -> SIP */
	enum iwf_identity_action identity;
	char attest;			/*!< SIGN: 'B' or 'C' */
	bool has_pai_verstat;
	uint8_t pai_verstat;		/*!< enum stir_verstat */
};

/*! The defaults: continue on STIR failure, no Identity or HOP required,
 *  provisional signers capped at C, ACI 90, release cause 21, busy cause 42. */
void iwf_policy_init(struct iwf_policy *p);

/*! \returns 0, or -EINVAL (logged) unless \a attest is 'B' or 'C' */
int iwf_policy_set_provisional_max_attest(struct iwf_policy *p, char attest);

/*! \returns 0, or -EINVAL (logged) unless \a aci is 64..127 */
int iwf_policy_set_aci(struct iwf_policy *p, int aci);

/*! SIP -> ISUP: what to do with an INVITE, and what the IAM carries.
 *  \param[out] d cleared, then filled
 *  \returns 0, or -EINVAL for evidence that does not hang together (a STIR
 *  code that is not one, no attest on a verified PASSporT; logged) */
int iwf_policy_sip_to_isup(const struct iwf_policy *p, const struct iwf_sip_evidence *ev,
			   struct iwf_decision *d);

/*! ISUP -> SIP: what to do with an IAM, and what Identity the INVITE gets.
 *  \param[out] d cleared, then filled
 *  \returns 0, or -EINVAL for inconsistent evidence (logged) */
int iwf_policy_isup_to_sip(const struct iwf_policy *p, const struct iwf_isup_evidence *ev,
			   struct iwf_decision *d);

/*! The decision as a JSON object for the per-call log line, e.g.
 *  {"action":"forward","reason":"sip-verified","passport":true,...}.
 *  \returns the length, -ENOSPC */
int iwf_decision_to_json(char *buf, size_t size, const struct iwf_decision *d);
