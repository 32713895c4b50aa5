/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stateless steps of the call flows (see call_steps.h). */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/map.h"
#include "iwf/call_steps.h"
#include "iwf/cause.h"
#include "sip/stir_error.h"
#include "ss7/isup.h"
#include "src/core/logging.h"
#include "iwf/isup_identity.h"

static void sip_tn_from_user(struct iwf_sip_tn *tn, const char *user)
{
	if (iwf_sip_tn_parse(tn, user, strlen(user)) < 0)
		memset(tn, 0, sizeof(*tn));
}

static unsigned int privacy_from_sip(unsigned int p)
{
	unsigned int out = 0;

	if (p & SIP_CALL_PRIV_NONE)
		out |= IWF_PRIVACY_NONE;
	if (p & SIP_CALL_PRIV_HEADER)
		out |= IWF_PRIVACY_HEADER;
	if (p & SIP_CALL_PRIV_SESSION)
		out |= IWF_PRIVACY_SESSION;
	if (p & SIP_CALL_PRIV_USER)
		out |= IWF_PRIVACY_USER;
	if (p & SIP_CALL_PRIV_ID)
		out |= IWF_PRIVACY_ID;
	if (p & SIP_CALL_PRIV_CRITICAL)
		out |= IWF_PRIVACY_CRITICAL;
	return out;
}

void iwf_sip_identity_from_info(struct iwf_sip_identity *id, const struct sip_call_info *info)
{
	memset(id, 0, sizeof(*id));
	if (info->pai.present)
		sip_tn_from_user(&id->pai, info->pai.user);
	if (info->from.present) {
		sip_tn_from_user(&id->from, info->from.user);
		/* RFC 3323 §4.1.1.3 */
		id->from_anonymous = !strcasecmp(info->from.user, "anonymous") ||
				     !strcasecmp(info->from.host, "anonymous.invalid");
		osmo_strlcpy(id->from_display, info->from.display, sizeof(id->from_display));
	}
	id->privacy = privacy_from_sip(info->privacy);
	sip_tn_from_user(&id->ruri, info->ruri_user);
	if (info->to.present)
		sip_tn_from_user(&id->to, info->to.user);
}

int iwf_iam_for_ss7_peer(void *ctx, const struct iwf_sip_identity *sip_id, const struct iwf_number_plan *sip_plan,
			 const struct iwf_ss7_peer *ss7, const char *called, struct iwf_isup_identity *isup_id,
			 struct isup_msg **iam, struct sigtoken_call *sc)
{
	struct iwf_number_plan plan = *sip_plan;
	bool intl;
	int rc;

	plan.format = ss7->plan.format;
	plan.cpc = ss7->plan.cpc;
	if (ss7->plan.cc[0])
		osmo_strlcpy(plan.cc, ss7->plan.cc, sizeof(plan.cc));
	rc = iwf_number_sip_to_isup(isup_id, sip_id, &plan);
	intl = !ss7->plan.cc[0] || strncmp(called, ss7->plan.cc, strlen(ss7->plan.cc));
	*iam = talloc_zero(ctx, struct isup_msg);
	if (rc == 0 && !*iam)
		rc = -ENOMEM;
	if (rc == 0)
		rc = isup_iam_from_identity(*iam, 0, isup_id, intl);
	if (rc == 0)
		rc = sigtoken_call_from_iam(sc, *iam, ss7->plan.cc[0] ? ss7->plan.cc : NULL);
	return rc;
}

int iwf_iam_add_divert(struct isup_msg *iam, const struct sip_divert *d, const char *call_id)
{
	int rc;

	if (!d->present)
		return 0;
	rc = isup_iam_divert_put(iam, d);
	if (rc < 0)
		LOGP(DIWF, LOGL_NOTICE, "INVITE %s: diverted from %s%s, not carried in the IAM (%s)\n", call_id,
		     d->national ? "" : "+", d->redirecting,
		     d->national ? "Diversion/History-Info number is not global" : strerror(-rc));
	else
		LOGP(DIWF, LOGL_INFO, "INVITE %s: diverted from +%s (original +%s, %s, counter %u)\n", call_id,
		     d->redirecting, d->orig_called, get_value_string(sip_divert_reason_names, d->reason),
		     d->counter);
	return rc;
}

int iwf_invite_diversion(char *out, size_t size, const struct isup_msg *iam, const char *cc, const char *call_id)
{
	struct sip_divert d;
	int rc;

	if (size)
		out[0] = '\0';
	rc = isup_iam_divert_get(&d, iam, cc);
	if (rc == 0 && !d.present)
		return 0;
	if (rc == 0)
		rc = sip_diversion_format(out, size, &d);
	if (rc < 0)
		LOGP(DIWF, LOGL_NOTICE, "IAM %s: redirection not carried to SIP (%s)\n", call_id, strerror(-rc));
	return rc;
}

enum iwf_signer_trust iwf_signer_trust_from_tsca(enum tsca_err err)
{
	switch (err) {
	case TSCA_OK:
		return IWF_SIGNER_OK;
	case TSCA_ERR_UNKNOWN_KEYID:
	case TSCA_ERR_FETCH:
	case TSCA_ERR_BUSY:
		return IWF_SIGNER_UNKNOWN;
	case TSCA_ERR_REVOKED:
		return IWF_SIGNER_REVOKED;
	default:
		return IWF_SIGNER_UNTRUSTED;
	}
}

void iwf_signer_evidence(struct iwf_isup_evidence *iev, const struct certmap *map,
			 const struct tsca_result *res, const char *orig)
{
	struct certmap_signer signer = {};
	struct certmap_answer ans;

	iev->signer_trust = iwf_signer_trust_from_tsca(res->err);
	iev->signer_busy = res->err == TSCA_ERR_BUSY;
	if (res->err != TSCA_OK)
		return;
	iev->signer_class = res->policy == TSCA_POLICY_FULL ? IWF_SIGNER_CLASS_FULL :
			    res->policy == TSCA_POLICY_PROVISIONAL ? IWF_SIGNER_CLASS_PROVISIONAL :
			    IWF_SIGNER_CLASS_UNKNOWN;
	/* number coverage from what the path holds and the entry pinning the
	 * signer's key (ARCHITECTURE §3, certs/map.h); the class stays the one
	 * valid for the whole path */
	if (!map || !orig || !orig[0])
		return;
	memcpy(signer.key_id, res->key_id, sizeof(signer.key_id));
	signer.cert = res->leaf;
	signer.spki_sha256 = res->spki_sha256;
	signer.tnauth = res->tnauth;
	signer.cls = res->policy == TSCA_POLICY_FULL ? CERTMAP_CLASS_FULL :
		     res->policy == TSCA_POLICY_PROVISIONAL ? CERTMAP_CLASS_PROVISIONAL : CERTMAP_CLASS_UNKNOWN;
	signer.trust = CERTMAP_TRUST_OK;
	if (certmap_assess(map, &signer, orig, NULL, &ans) == 0) {
		iev->signer_covers_calling = ans.covers;
		iev->same_carrier = ans.same_carrier;
	}
}

bool iwf_hop_bound_to(const struct sigtoken *tok, const char *net)
{
	return tok->has_bind && !strcmp(tok->bind.net, net);
}

void iwf_hop_evidence(struct iwf_isup_evidence *iev, int rc)
{
	iev->hop = IWF_HOP_INVALID;
	switch (rc) {
	case 0:
		iev->hop = IWF_HOP_VALID;
		break;
	case -ENOTSUP:
		iev->hop_reason = IWF_HOP_R_ALG;
		break;
	case -EALREADY:
	case -ENOSPC:	/* the cache is full: it may be one */
		iev->hop_reason = IWF_HOP_R_REPLAY;
		break;
	case -ENOLINK:	/* the shared replay store could not say */
		iev->hop_reason = IWF_HOP_R_STORE;
		break;
	case -ESTALE:
		iev->hop_reason = IWF_HOP_R_STARTUP;
		break;
	case -ETIMEDOUT:
		iev->hop_reason = IWF_HOP_R_STALE;
		break;
	case -ERANGE:
		iev->hop_reason = IWF_HOP_R_FUTURE;
		break;
	default:
		iev->hop_reason = IWF_HOP_R_BAD_SIGNATURE;
		break;
	}
}

int iwf_replay_store_verdict(int store_rc, bool fail_local, bool *ours)
{
	*ours = false;
	if (store_rc == 0 || (store_rc != -EALREADY && fail_local)) {
		*ours = true;
		return 0;
	}
	if (store_rc == -EALREADY)
		return -EALREADY;
	return -ENOLINK;
}

bool iwf_hop_forget_due(bool isup_to_sip, bool ours, bool answered, uint8_t cause)
{
	return isup_to_sip && ours && !answered && iwf_cause_reroutable(cause);
}

void iwf_invite_params(struct sip_call_out_params *p, struct iwf_invite_bufs *b, const struct iwf_sip_peer *peer,
		       const char *called, const char *calling, const struct iwf_sip_identity *sip_id,
		       const struct iwf_decision *dec, const char *identity, const char *sdp)
{
	memset(p, 0, sizeof(*p));
	iwf_sip_peer_uri(b->uri, sizeof(b->uri), peer);
	snprintf(b->called, sizeof(b->called), "+%s", called);
	snprintf(b->calling, sizeof(b->calling), "+%s", calling);
	p->peer_uri = b->uri;
	p->called = b->called;
	/* Q.1912.5 §7.1.3: an IAM without a calling number in E.164 form has
	 * nothing to assert: no P-Asserted-Identity, From anonymous */
	p->calling = calling[0] ? b->calling : NULL;
	if (sip_id->from.present && sip_id->from.digits[0] && !sip_id->from_anonymous) {
		snprintf(b->from, sizeof(b->from), "+%s", sip_id->from.digits);
		p->from_user = b->from;
	}
	p->restricted = !!(sip_id->privacy & IWF_PRIVACY_ID);
	if (dec->has_pai_verstat)
		p->verstat = get_value_string(stir_verstat_names, dec->pai_verstat);
	if (identity) {
		p->identity[0] = identity;
		p->n_identity = 1;
	}
	p->sdp = sdp;
}
