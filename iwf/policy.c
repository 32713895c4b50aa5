/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Attestation across the border (ARCHITECTURE §4).  See policy.h. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <osmocom/core/utils.h>

#include "iwf/cause.h"
#include "iwf/policy.h"
#include "sip/stir_error.h"
#include "src/core/logging.h"

const struct value_string iwf_stir_failure_action_names[] = {
	{ IWF_STIR_FAIL_CONTINUE,	"continue" },
	{ IWF_STIR_FAIL_REJECT,		"reject" },
	{ 0, NULL }
};

const struct value_string iwf_hop_state_names[] = {
	{ IWF_HOP_VALID,	"valid" },
	{ IWF_HOP_MISSING,	"missing" },
	{ IWF_HOP_INVALID,	"invalid" },
	{ 0, NULL }
};

const struct value_string iwf_hop_reason_names[] = {
	{ IWF_HOP_R_NONE,		"none" },
	{ IWF_HOP_R_MALFORMED,		"malformed" },
	{ IWF_HOP_R_BAD_SIGNATURE,	"bad-signature" },
	{ IWF_HOP_R_ALG,		"unsupported-alg" },
	{ IWF_HOP_R_STALE,		"stale" },
	{ IWF_HOP_R_FUTURE,		"future" },
	{ IWF_HOP_R_REPLAY,		"replay" },
	{ IWF_HOP_R_NUMBER,		"number" },
	{ IWF_HOP_R_STARTUP,		"startup-quiet" },
	{ IWF_HOP_R_UNBOUND,		"not-bound" },
	{ IWF_HOP_R_STORE,		"replay-store" },
	{ 0, NULL }
};

const struct value_string iwf_signer_trust_names[] = {
	{ IWF_SIGNER_OK,	"ok" },
	{ IWF_SIGNER_UNKNOWN,	"unknown" },
	{ IWF_SIGNER_UNTRUSTED,	"untrusted" },
	{ IWF_SIGNER_REVOKED,	"revoked" },
	{ 0, NULL }
};

const struct value_string iwf_action_names[] = {
	{ IWF_ACTION_FORWARD,	"forward" },
	{ IWF_ACTION_REJECT,	"reject" },
	{ IWF_ACTION_RELEASE,	"release" },
	{ 0, NULL }
};

const struct value_string iwf_identity_action_names[] = {
	{ IWF_IDENTITY_NONE,	"none" },
	{ IWF_IDENTITY_REBUILD,	"rebuild" },
	{ IWF_IDENTITY_SIGN,	"sign" },
	{ 0, NULL }
};

const struct value_string iwf_policy_reason_names[] = {
	{ IWF_PR_SIP_VERIFIED,			"sip-verified" },
	{ IWF_PR_SIP_VERIFIED_NONCANONICAL,	"sip-verified-noncanonical" },
	{ IWF_PR_SIP_VERIFIED_X5U_TOO_LONG,	"sip-verified-x5u-too-long" },
	{ IWF_PR_SIP_FAILED_REJECT,		"sip-failed-reject" },
	{ IWF_PR_SIP_FAILED_CONTINUE,		"sip-failed-continue" },
	{ IWF_PR_SIP_NO_IDENTITY_REJECT,	"sip-no-identity-reject" },
	{ IWF_PR_SIP_NO_IDENTITY_CONTINUE,	"sip-no-identity-continue" },
	{ IWF_PR_ISUP_PASSPORT_VERIFIED,	"isup-passport-verified" },
	{ IWF_PR_ISUP_COVERED_FULL_B,		"isup-covered-full-b" },
	{ IWF_PR_ISUP_COVERED_PROVISIONAL_B,	"isup-covered-provisional-b" },
	{ IWF_PR_ISUP_COVERED_PROVISIONAL_C,	"isup-covered-provisional-c" },
	{ IWF_PR_ISUP_COVERED_CLASS_UNKNOWN_C,	"isup-covered-class-unknown-c" },
	{ IWF_PR_ISUP_NOT_COVERED_C,		"isup-not-covered-c" },
	{ IWF_PR_ISUP_VERDICT_FAILED_C,		"isup-verdict-failed-c" },
	{ IWF_PR_ISUP_PASSPORT_INVALID_C,	"isup-passport-invalid-c" },
	{ IWF_PR_ISUP_PASSPORT_INVALID_RELEASE,	"isup-passport-invalid-release" },
	{ IWF_PR_ISUP_HOP_MISSING_C,		"isup-hop-missing-c" },
	{ IWF_PR_ISUP_HOP_MISSING_RELEASE,	"isup-hop-missing-release" },
	{ IWF_PR_ISUP_HOP_INVALID_C,		"isup-hop-invalid-c" },
	{ IWF_PR_ISUP_HOP_INVALID_RELEASE,	"isup-hop-invalid-release" },
	{ IWF_PR_ISUP_SIGNER_REVOKED_C,		"isup-signer-revoked-c" },
	{ IWF_PR_ISUP_SIGNER_REVOKED_RELEASE,	"isup-signer-revoked-release" },
	{ IWF_PR_ISUP_SIGNER_UNKNOWN_C,		"isup-signer-unknown-c" },
	{ IWF_PR_ISUP_SIGNER_UNKNOWN_RELEASE,	"isup-signer-unknown-release" },
	{ IWF_PR_ISUP_SIGNER_UNTRUSTED_C,	"isup-signer-untrusted-c" },
	{ IWF_PR_ISUP_SIGNER_UNTRUSTED_RELEASE,	"isup-signer-untrusted-release" },
	{ IWF_PR_ISUP_NO_CALLING,		"isup-no-calling" },
	{ IWF_PR_ISUP_SIGNER_BUSY_RELEASE,	"isup-signer-busy-release" },
	{ IWF_PR_ISUP_REPLAY_STORE_RELEASE,	"isup-replay-store-release" },
	{ 0, NULL }
};

void iwf_policy_init(struct iwf_policy *p)
{
	memset(p, 0, sizeof(*p));
	/* ATIS-1000074 §5.3.2: rejecting is local policy; carrying the
	 * verdict on loses nothing */
	p->on_stir_failure = IWF_STIR_FAIL_CONTINUE;
	/* ARCHITECTURE §4: B only with a full certificate */
	p->provisional_max_attest = 'C';
	p->aci = IWF_POLICY_ACI_DEFAULT;
	p->release_cause = IWF_CAUSE_CALL_REJECTED;
	p->busy_cause = IWF_CAUSE_SWITCH_CONGESTION;
}

int iwf_policy_set_provisional_max_attest(struct iwf_policy *p, char attest)
{
	if (attest != 'B' && attest != 'C') {
		LOGP(DIWF, LOGL_ERROR, "policy: provisional-max-attest must be B or C\n");
		return -EINVAL;
	}
	p->provisional_max_attest = attest;
	return 0;
}

int iwf_policy_set_aci(struct iwf_policy *p, int aci)
{
	if (aci < IWF_POLICY_ACI_MIN || aci > IWF_POLICY_ACI_MAX) {
		LOGP(DIWF, LOGL_ERROR, "policy: aci %d outside %d..%d (Q.763 §3.82 non-standardised)\n",
		     aci, IWF_POLICY_ACI_MIN, IWF_POLICY_ACI_MAX);
		return -EINVAL;
	}
	p->aci = (uint16_t)aci;
	return 0;
}

/* The SIP final response for a STIR code, with its ATIS-1000074 §5.3.2
 * reason phrase and Reason header. */
static void set_reject(struct iwf_decision *d, int code)
{
	d->action = IWF_ACTION_REJECT;
	d->sip_status = code;
	d->sip_phrase = stir_error_phrase(code);
	/* cannot fail: code is valid and the buffer holds the longest phrase */
	stir_reason_format(d->reason_header, sizeof(d->reason_header), code);
}

int iwf_policy_sip_to_isup(const struct iwf_policy *p, const struct iwf_sip_evidence *ev,
			   struct iwf_decision *d)
{
	memset(d, 0, sizeof(*d));

	if (!ev->identity_present) {
		if (p->identity_required) {
			/* RFC 8224 §6.2.2 */
			set_reject(d, STIR_ERR_USE_IDENTITY);
			d->reason = IWF_PR_SIP_NO_IDENTITY_REJECT;
			return 0;
		}
		d->action = IWF_ACTION_FORWARD;
		d->reason = IWF_PR_SIP_NO_IDENTITY_CONTINUE;
		d->verdict_verstat = STIR_VERSTAT_NO_VALIDATION;
		goto token;
	}

	if (ev->stir_code == STIR_ERR_NONE) {
		if (ev->attest != 'A' && ev->attest != 'B' && ev->attest != 'C') {
			LOGP(DIWF, LOGL_ERROR, "policy: verified PASSporT without attest A, B or C\n");
			return -EINVAL;
		}
		d->action = IWF_ACTION_FORWARD;
		d->verdict_verstat = STIR_VERSTAT_PASSED;
		/* ARCHITECTURE §2.2: the far IWF rebuilds the PASSporT from canonical
		 * JSON; a PASSporT it could not rebuild is not sent */
		if (!ev->passport_canonical) {
			d->reason = IWF_PR_SIP_VERIFIED_NONCANONICAL;
		} else if (ev->x5u_len == 0 || ev->x5u_len > IWF_POLICY_X5U_MAX) {
			d->reason = IWF_PR_SIP_VERIFIED_X5U_TOO_LONG;
		} else {
			d->reason = IWF_PR_SIP_VERIFIED;
			d->tlv_passport = true;
		}
		goto token;
	}

	/* 428 means "no Identity", which identity_present contradicts */
	if (!stir_error_is_valid(ev->stir_code) || ev->stir_code == STIR_ERR_USE_IDENTITY) {
		LOGP(DIWF, LOGL_ERROR, "policy: STIR code %d is not a verification failure\n",
		     ev->stir_code);
		return -EINVAL;
	}
	if (p->on_stir_failure == IWF_STIR_FAIL_REJECT) {
		set_reject(d, ev->stir_code);
		d->reason = IWF_PR_SIP_FAILED_REJECT;
		return 0;
	}
	d->action = IWF_ACTION_FORWARD;
	d->reason = IWF_PR_SIP_FAILED_CONTINUE;
	d->verdict_verstat = STIR_VERSTAT_FAILED;
	d->verdict_reason = (uint16_t)ev->stir_code;
	/* ATIS-1000074 §5.3.2: the failure goes back in a Reason header of
	 * the next response when the call goes on */
	stir_reason_format(d->reason_header, sizeof(d->reason_header), ev->stir_code);

token:
	/* ARCHITECTURE §2.2: HOP and VERDICT travel on every IAM */
	d->aci = p->aci;
	d->tlv_hop = true;
	d->tlv_verdict = true;
	return 0;
}

/* A HOP that cannot be relied on: why, as a reason of the _C/_RELEASE pair */
static enum iwf_policy_reason bad_hop_reason(const struct iwf_isup_evidence *ev, bool release)
{
	if (ev->hop == IWF_HOP_MISSING)
		return release ? IWF_PR_ISUP_HOP_MISSING_RELEASE : IWF_PR_ISUP_HOP_MISSING_C;
	switch (ev->signer_trust) {
	case IWF_SIGNER_REVOKED:
		return release ? IWF_PR_ISUP_SIGNER_REVOKED_RELEASE : IWF_PR_ISUP_SIGNER_REVOKED_C;
	case IWF_SIGNER_UNKNOWN:
		return release ? IWF_PR_ISUP_SIGNER_UNKNOWN_RELEASE : IWF_PR_ISUP_SIGNER_UNKNOWN_C;
	case IWF_SIGNER_UNTRUSTED:
		return release ? IWF_PR_ISUP_SIGNER_UNTRUSTED_RELEASE : IWF_PR_ISUP_SIGNER_UNTRUSTED_C;
	default:
		return release ? IWF_PR_ISUP_HOP_INVALID_RELEASE : IWF_PR_ISUP_HOP_INVALID_C;
	}
}

static void set_release(const struct iwf_policy *p, struct iwf_decision *d, enum iwf_policy_reason r)
{
	d->action = IWF_ACTION_RELEASE;
	d->reason = r;
	d->cause = p->release_cause ? p->release_cause : IWF_CAUSE_CALL_REJECTED;
}

/* Forward with a new PASSporT of \a attest, or none without a calling number */
static void set_sign(struct iwf_decision *d, enum iwf_policy_reason r, char attest, uint8_t verstat,
		     bool has_calling)
{
	d->action = IWF_ACTION_FORWARD;
	if (!has_calling) {
		/* RFC 8225 §5.2.1: orig is mandatory; there is nothing to sign */
		d->reason = IWF_PR_ISUP_NO_CALLING;
		d->identity = IWF_IDENTITY_NONE;
		return;
	}
	d->reason = r;
	d->identity = IWF_IDENTITY_SIGN;
	d->attest = attest;
	d->has_pai_verstat = true;
	d->pai_verstat = verstat;
}

int iwf_policy_isup_to_sip(const struct iwf_policy *p, const struct iwf_isup_evidence *ev,
			   struct iwf_decision *d)
{
	uint8_t verstat;
	bool release;

	memset(d, 0, sizeof(*d));
	if (ev->hop > IWF_HOP_INVALID || ev->signer_trust > IWF_SIGNER_REVOKED ||
	    ev->signer_class > IWF_SIGNER_CLASS_PROVISIONAL ||
	    (ev->verdict_present && ev->verdict_verstat > STIR_VERSTAT_FAILED) ||
	    (ev->passport_verifies && !ev->passport_present)) {
		LOGP(DIWF, LOGL_ERROR, "policy: inconsistent ISUP evidence (hop %d, signer %d, class %d, "
		     "verdict %d, passport %d/%d)\n", ev->hop, ev->signer_trust, ev->signer_class,
		     ev->verdict_verstat, ev->passport_present, ev->passport_verifies);
		return -EINVAL;
	}

	/* The signer could not be looked up now (policy.h): congestion */
	if (ev->hop == IWF_HOP_INVALID && ev->signer_busy) {
		d->action = IWF_ACTION_RELEASE;
		d->reason = IWF_PR_ISUP_SIGNER_BUSY_RELEASE;
		d->cause = p->busy_cause ? p->busy_cause : IWF_CAUSE_SWITCH_CONGESTION;
		return 0;
	}

	/* The shared replay store could not say (policy.h): refused */
	if (ev->hop == IWF_HOP_INVALID && ev->hop_reason == IWF_HOP_R_STORE) {
		set_release(p, d, IWF_PR_ISUP_REPLAY_STORE_RELEASE);
		return 0;
	}

	/* ARCHITECTURE §4 last row.  ARCHITECTURE §3: a revoked operator is shut out, and
	 * a signature by a key nobody vouches for proves nothing. */
	if (ev->hop != IWF_HOP_VALID || ev->signer_trust != IWF_SIGNER_OK) {
		release = p->hop_required;
		if (release) {
			set_release(p, d, bad_hop_reason(ev, true));
			return 0;
		}
		/* the VERDICT is not signed by anyone we trust: no verstat from it */
		set_sign(d, bad_hop_reason(ev, false), 'C', STIR_VERSTAT_NO_VALIDATION, ev->has_calling);
		return 0;
	}

	if (ev->passport_present) {
		if (ev->passport_verifies && ev->has_calling) {
			/* ARCHITECTURE §4 fourth row */
			d->action = IWF_ACTION_FORWARD;
			d->reason = IWF_PR_ISUP_PASSPORT_VERIFIED;
			d->identity = IWF_IDENTITY_REBUILD;
			d->has_pai_verstat = true;
			d->pai_verstat = STIR_VERSTAT_PASSED;
			return 0;
		}
		if (p->on_stir_failure == IWF_STIR_FAIL_REJECT) {
			set_release(p, d, IWF_PR_ISUP_PASSPORT_INVALID_RELEASE);
			return 0;
		}
		set_sign(d, IWF_PR_ISUP_PASSPORT_INVALID_C, 'C', STIR_VERSTAT_FAILED, ev->has_calling);
		return 0;
	}

	/* ARCHITECTURE §4 fifth row: HOP verifies, no PASSPORT */
	verstat = ev->verdict_present ? ev->verdict_verstat : STIR_VERSTAT_NO_VALIDATION;
	if (verstat == STIR_VERSTAT_FAILED)
		set_sign(d, IWF_PR_ISUP_VERDICT_FAILED_C, 'C', verstat, ev->has_calling);
	else if (!ev->signer_covers_calling)
		set_sign(d, IWF_PR_ISUP_NOT_COVERED_C, 'C', verstat, ev->has_calling);
	else if (ev->signer_class == IWF_SIGNER_CLASS_FULL)
		set_sign(d, IWF_PR_ISUP_COVERED_FULL_B, 'B', verstat, ev->has_calling);
	else if (ev->signer_class == IWF_SIGNER_CLASS_PROVISIONAL && p->provisional_max_attest == 'B')
		set_sign(d, IWF_PR_ISUP_COVERED_PROVISIONAL_B, 'B', verstat, ev->has_calling);
	else if (ev->signer_class == IWF_SIGNER_CLASS_PROVISIONAL)
		set_sign(d, IWF_PR_ISUP_COVERED_PROVISIONAL_C, 'C', verstat, ev->has_calling);
	else
		set_sign(d, IWF_PR_ISUP_COVERED_CLASS_UNKNOWN_C, 'C', verstat, ev->has_calling);
	return 0;
}

int iwf_decision_to_json(char *buf, size_t size, const struct iwf_decision *d)
{
	char attest[8] = "null";
	int n;

	if (size > 0)
		buf[0] = '\0';
	if (d->attest == 'A' || d->attest == 'B' || d->attest == 'C')
		snprintf(attest, sizeof(attest), "\"%c\"", d->attest);
	/* every string here comes from our own tables: nothing to escape */
	n = snprintf(buf, size,
		     "{\"action\":\"%s\",\"reason\":\"%s\",\"status\":%d,\"cause\":%u,"
		     "\"hop\":%s,\"passport\":%s,\"verdict\":%s%s%s,\"verdict_reason\":%u,"
		     "\"identity\":\"%s\",\"attest\":%s,\"verstat\":%s%s%s}",
		     get_value_string(iwf_action_names, d->action),
		     get_value_string(iwf_policy_reason_names, d->reason),
		     d->sip_status, d->cause,
		     d->tlv_hop ? "true" : "false", d->tlv_passport ? "true" : "false",
		     d->tlv_verdict ? "\"" : "",
		     d->tlv_verdict ? get_value_string(stir_verstat_names, d->verdict_verstat) : "null",
		     d->tlv_verdict ? "\"" : "",
		     d->verdict_reason,
		     get_value_string(iwf_identity_action_names, d->identity), attest,
		     d->has_pai_verstat ? "\"" : "",
		     d->has_pai_verstat ? get_value_string(stir_verstat_names, d->pai_verstat) : "null",
		     d->has_pai_verstat ? "\"" : "");
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= size) {
		if (size > 0)
			buf[0] = '\0';
		return -ENOSPC;
	}
	return n;
}
