/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file call_steps.h
 *  The steps of the two call flows (ARCHITECTURE §4) that do no I/O and keep no
 *  state: what an incoming INVITE's identity is, what a HOP check and a
 *  TSCA answer mean as evidence, what the outgoing INVITE says.  The call
 *  flows (iwf/call_sip_to_isup.c, iwf/call_isup_to_sip.c) run them per
 *  call; "stiwf bench pipeline" measures them by driving whole calls
 *  through the call layer with stub legs. */

#include <stdbool.h>

#include "certs/tsca.h"
#include "iwf/number.h"
#include "iwf/peer.h"
#include "iwf/policy.h"
#include "sip/sip_call.h"
#include "ss7/sigtoken.h"

struct certmap;

/*! The identity of an incoming INVITE in neutral form: the numbers of
 *  P-Asserted-Identity, From, Request-URI and To (zeroed when not a
 *  number), RFC 3323 anonymity and the Privacy values. */
void iwf_sip_identity_from_info(struct iwf_sip_identity *id, const struct sip_call_info *info);

/*! SIP -> ISUP: the IAM of a call to \a ss7 (Q.1912.5 §6.1.3) and the
 *  call identity HOP signs (ARCHITECTURE §2.2).  The numbers of \a sip_id as the
 *  SS7 peer wants them: its format and calling party's category, its
 *  country code, else the SIP peer's (\a sip_plan).  \a called is the
 *  E.164 called number (international unless it begins with the SS7
 *  peer's country code).
 *  \param[out] isup_id the ISUP identity
 *  \param[out] iam allocated under \a ctx, also on failure (NULL when out
 *                  of memory)
 *  \param[out] sc what HOP signs
 *  \returns 0, -ENOMEM, or < 0 when the numbers do not map */
int iwf_iam_for_ss7_peer(void *ctx, const struct iwf_sip_identity *sip_id, const struct iwf_number_plan *sip_plan,
			 const struct iwf_ss7_peer *ss7, const char *called, struct iwf_isup_identity *isup_id,
			 struct isup_msg **iam, struct sigtoken_call *sc);

/*! SIP -> ISUP: a forwarded INVITE's history (Diversion or History-Info,
 *  sip/divert.h) as the IAM's Original Called Number, Redirecting Number
 *  and Redirection Information (Q.1912.5, docs/FORWARDING.md).  Nothing
 *  when \a d is not present.  A history the IAM cannot carry (a number
 *  that is not global E.164) is left out with a log line; the call goes on.
 *  \returns 0 (added or nothing to add), -EINVAL (left out), -EMSGSIZE */
int iwf_iam_add_divert(struct isup_msg *iam, const struct sip_divert *d, const char *call_id);

/*! ISUP -> SIP: the Diversion header value (RFC 5806) of an IAM that
 *  carries redirection (isup_iam_divert_get(), docs/FORWARDING.md).
 *  \param[in] cc the ss7-peer's country code, or NULL
 *  \returns its length, 0 when the IAM is not a forwarded call, < 0 when
 *  its redirection cannot be written (logged; the call goes on without) */
int iwf_invite_diversion(char *out, size_t size, const struct isup_msg *iam, const char *cc, const char *call_id);

/*! The trust store's word on a HOP signer, from the TSCA directory's answer. */
enum iwf_signer_trust iwf_signer_trust_from_tsca(enum tsca_err err);

/*! A HOP signer the TSCA directory accepted: the certificate class valid
 *  for its whole path (certs/tsca.h) and, when \a map is given and there is
 *  a calling number, whether it may present \a orig: numbers its path
 *  holds, or those of the map entry pinning its key (ARCHITECTURE §3, certs/map.h).
 *  Sets signer_trust, signer_class, signer_covers_calling, same_carrier. */
void iwf_signer_evidence(struct iwf_isup_evidence *iev, const struct certmap *map,
			 const struct tsca_result *res, const char *orig);

/*! hop-bind require: is the token's HOP bound (BIND TLV, ARCHITECTURE §2.2) to
 *  receiving network \a net?  Only a HOP that then verifies proves it. */
bool iwf_hop_bound_to(const struct sigtoken *tok, const char *net);

/*! The result of sigtoken_hop_verify() and then sigtoken_replay_check()
 *  as HOP evidence (hop and hop_reason); -ENOLINK: the shared replay
 *  store could not say whether the HOP was seen. */
void iwf_hop_evidence(struct iwf_isup_evidence *iev, int rc);

/*! The shared replay store's answer (src/core/replay_store.h: 0 first seen,
 *  -EALREADY seen before, else why it could not say) for a HOP new in the
 *  local cache, as the rc iwf_hop_evidence() takes: 0 (valid, and
 *  *\a ours: this IWF remembered it first), -EALREADY (a replay), or when
 *  the store could not say -ENOLINK (replay-store on-failure reject) or 0
 *  (\a fail_local: the local cache decided; ours). */
int iwf_replay_store_verdict(int store_rc, bool fail_local, bool *ours);

/*! Must the HOP of an ISUP->SIP call be forgotten (local cache, and the
 *  store's key when ours) as the call ends?  When this IWF remembered it
 *  first, the call was not answered and its cause lets the exchange
 *  route the same IAM again (iwf_cause_reroutable()). */
bool iwf_hop_forget_due(bool isup_to_sip, bool ours, bool answered, uint8_t cause);

/*! Room for the texts of an outgoing INVITE's parameters. */
struct iwf_invite_bufs {
	char uri[SIP_CALL_URI_MAX];
	char called[SIGTOKEN_E164_MAX + 2];
	char calling[SIGTOKEN_E164_MAX + 2];
	char from[IWF_NUMBER_MAX_DIGITS + 2];
};

/*! ISUP -> SIP: the INVITE towards \a peer (Q.1912.5 §7.1.3): called and
 *  calling number in E.164 form with '+', the From of the original SIP
 *  identity, privacy, verstat and Identity from the decision.
 *  \param[in] identity the Identity header value, or NULL
 *  \param[in] sdp the trunk's media template */
void iwf_invite_params(struct sip_call_out_params *p, struct iwf_invite_bufs *b, const struct iwf_sip_peer *peer,
		       const char *called, const char *calling, const struct iwf_sip_identity *sip_id,
		       const struct iwf_decision *dec, const char *identity, const char *sdp);
