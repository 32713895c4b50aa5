/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IAM identity fields <-> iwf/number.h neutral form (see isup_identity.h). */

#include <errno.h>
#include <string.h>

#include <osmocom/core/utils.h>

#include "iwf/isup_identity.h"
#include "src/core/logging.h"

/* Q.763 §3.54 transmission medium requirement: 3.1 kHz audio */
#define TMR_3K1_AUDIO	3
/* Q.763 §3.6 BCI called party's status: subscriber free */
#define BCI_SUBSCRIBER_FREE	1

static int number_to_isup(struct isup_number *n, const struct iwf_party_number *p)
{
	if (strlen(p->digits) > sizeof(n->digits) - 1)
		return -EINVAL;
	n->nai = p->nai;
	n->npi = p->npi ? p->npi : IWF_NPI_ISDN;
	n->apri = p->pres;
	n->si = p->screening;
	osmo_strlcpy(n->digits, p->digits, sizeof(n->digits));
	return 0;
}

static int number_from_isup(struct iwf_party_number *p, const struct isup_number *n)
{
	memset(p, 0, sizeof(*p));
	if (strlen(n->digits) > sizeof(p->digits) - 1)
		return -EBADMSG;
	p->present = true;
	p->nai = n->nai;
	p->npi = n->npi;
	p->pres = n->apri;
	p->screening = n->si;
	osmo_strlcpy(p->digits, n->digits, sizeof(p->digits));
	return 0;
}

int isup_iam_from_identity(struct isup_msg *iam, uint16_t cic, const struct iwf_isup_identity *id,
			   bool international)
{
	struct isup_param *p;
	int rc;

	if (!id->called.present || !id->called.digits[0])
		return -EINVAL;
	rc = isup_msg_init(iam, ISUP_MSG_IAM, cic);
	if (rc < 0)
		return rc;
	p = isup_msg_param_find(iam, ISUP_PAR_FCI);
	p->u.fci.international = international;
	p->u.fci.isup = 1;
	p->u.fci.isup_pref = 0;		/* ISUP preferred all the way */
	p->u.fci.isdn_access = 1;	/* the SIP side is an ISDN-like access, Q.1912.5 */
	p = isup_msg_param_find(iam, ISUP_PAR_CPC);
	p->u.u8 = id->cpc ? id->cpc : IWF_CPC_ORDINARY;
	p = isup_msg_param_find(iam, ISUP_PAR_TMR);
	p->u.u8 = TMR_3K1_AUDIO;
	p = isup_msg_param_find(iam, ISUP_PAR_CALLED_PARTY_NUMBER);
	rc = number_to_isup(&p->u.number, &id->called);
	if (rc < 0)
		return rc;
	p->u.number.apri = 0;
	p->u.number.si = 0;
	if (id->calling.present) {
		p = isup_msg_opt_add(iam, ISUP_PAR_CALLING_PARTY_NUMBER);
		if (!p)
			return -EMSGSIZE;
		rc = number_to_isup(&p->u.number, &id->calling);
		if (rc < 0)
			return rc;
	}
	if (id->addl_calling.present) {
		p = isup_msg_opt_add(iam, ISUP_PAR_GENERIC_NUMBER);
		if (!p)
			return -EMSGSIZE;
		rc = number_to_isup(&p->u.number, &id->addl_calling);
		if (rc < 0)
			return rc;
		p->u.number.qualifier = IWF_GN_ADDITIONAL_CALLING;
	}
	return 0;
}

int isup_iam_to_identity(struct iwf_isup_identity *id, const struct isup_msg *iam)
{
	const struct isup_param *p;
	unsigned int i;
	int rc;

	memset(id, 0, sizeof(*id));
	if (iam->type != ISUP_MSG_IAM)
		return -EINVAL;
	p = isup_msg_param_find_c(iam, ISUP_PAR_CALLED_PARTY_NUMBER);
	if (p && !p->opaque) {
		rc = number_from_isup(&id->called, &p->u.number);
		if (rc < 0)
			return rc;
	}
	p = isup_msg_param_find_c(iam, ISUP_PAR_CPC);
	id->cpc = (p && !p->opaque) ? p->u.u8 : IWF_CPC_ORDINARY;
	p = isup_msg_param_find_c(iam, ISUP_PAR_CALLING_PARTY_NUMBER);
	if (p && !p->opaque) {
		rc = number_from_isup(&id->calling, &p->u.number);
		if (rc < 0)
			return rc;
	}
	/* Q.763 §3.26: the first Generic Number "additional calling party" */
	for (i = 0; i < iam->num_opt; i++) {
		p = &iam->opt[i];
		if (p->code != ISUP_PAR_GENERIC_NUMBER || p->opaque ||
		    p->u.number.qualifier != IWF_GN_ADDITIONAL_CALLING)
			continue;
		rc = number_from_isup(&id->addl_calling, &p->u.number);
		if (rc < 0)
			return rc;
		break;
	}
	return 0;
}

int isup_msg_sip_progress(const struct isup_msg *msg)
{
	const struct isup_param *p;

	switch (msg->type) {
	case ISUP_MSG_ACM:
		p = isup_msg_param_find_c(msg, ISUP_PAR_BCI);
		if (p && !p->opaque && p->u.bci.called_status == BCI_SUBSCRIBER_FREE)
			return 180;
		return 183;
	case ISUP_MSG_CPG:
		p = isup_msg_param_find_c(msg, ISUP_PAR_EVENT_INFO);
		if (!p || p->opaque)
			return 0;
		if (p->u.event.event == ISUP_EVENT_ALERTING)
			return 180;
		if (p->u.event.event == ISUP_EVENT_PROGRESS || p->u.event.event == ISUP_EVENT_INBAND_INFO)
			return 183;
		return 0;
	default:
		return 0;
	}
}

bool isup_msg_inband(const struct isup_msg *msg)
{
	const struct isup_param *p;

	if (msg->type != ISUP_MSG_ACM && msg->type != ISUP_MSG_CPG)
		return false;
	p = isup_msg_param_find_c(msg, ISUP_PAR_OBCI);
	if (p && !p->opaque && p->u.obci.inband)
		return true;
	if (msg->type == ISUP_MSG_CPG) {
		p = isup_msg_param_find_c(msg, ISUP_PAR_EVENT_INFO);
		if (p && !p->opaque && p->u.event.event == ISUP_EVENT_INBAND_INFO)
			return true;
	}
	return false;
}

int isup_msg_notification(const struct isup_msg *msg)
{
	const struct isup_param *p;

	if (msg->type != ISUP_MSG_CPG)
		return -1;
	p = isup_msg_param_find_c(msg, IWF_PAR_GENERIC_NOTIFICATION);
	/* kept as octets by the codec: one or more, bit 8 the extension */
	if (!p || !p->opaque || p->u.opaque.len < 1)
		return -1;
	return p->u.opaque.data[0] & 0x7f;
}

int isup_msg_add_notification(struct isup_msg *msg, uint8_t notification)
{
	struct isup_param *p = isup_msg_opt_add(msg, IWF_PAR_GENERIC_NOTIFICATION);

	if (!p)
		return -ENOSPC;
	p->opaque = true;
	p->u.opaque.len = 1;
	p->u.opaque.data[0] = 0x80 | (notification & 0x7f);	/* last octet */
	return 0;
}

/* The rule lives in iwf/number.c, so that the HOP signature, the PASSporT
 * rebuilt from the IAM and the P-Asserted-Identity agree; here the ISUP
 * number is only copied into its neutral form (the enum values are the
 * Q.763 ones). */
int sigtoken_number_e164(char *out, size_t size, const struct isup_number *num, const char *cc)
{
	struct iwf_number_plan plan;
	struct iwf_party_number pn;
	size_t n = strnlen(num->digits, sizeof(num->digits));

	if (size < 1)
		return -ENOSPC;
	out[0] = '\0';
	iwf_number_plan_init(&plan);
	if (cc && *cc) {
		size_t ncc = strnlen(cc, IWF_CC_MAX + 1);

		if (ncc > IWF_CC_MAX) {
			LOGP(DIWF, LOGL_NOTICE, "signalling token: country code '%s' is not 1..3 digits\n", cc);
			return -EDOM;
		}
		memcpy(plan.cc, cc, ncc);
		plan.cc[ncc] = '\0';
	}
	if (n >= sizeof(pn.digits)) {
		LOGP(DIWF, LOGL_NOTICE, "signalling token: number %s longer than 15 digits in E.164\n",
		     num->digits);
		return -EDOM;
	}
	memset(&pn, 0, sizeof(pn));
	pn.present = true;
	pn.nai = num->nai;
	pn.npi = num->npi;
	pn.pres = num->apri;
	pn.screening = num->si;
	memcpy(pn.digits, num->digits, n);
	return iwf_number_e164(out, size, &pn, &plan);
}

int sigtoken_call_from_iam(struct sigtoken_call *call, const struct isup_msg *iam, const char *cc)
{
	const struct isup_param *p;
	unsigned int i;
	int rc;

	memset(call, 0, sizeof(*call));
	call->apri = ISUP_APRI_NOT_AVAILABLE;
	if (iam->type != ISUP_MSG_IAM)
		return -EINVAL;
	p = isup_msg_param_find_c(iam, ISUP_PAR_CALLED_PARTY_NUMBER);
	if (!p || p->opaque)
		return -EINVAL;
	rc = sigtoken_number_e164(call->dest, sizeof(call->dest), &p->u.number, cc);
	if (rc < 0)
		return rc;
	p = isup_msg_param_find_c(iam, ISUP_PAR_CALLING_PARTY_NUMBER);
	if (p && !p->opaque) {
		call->apri = p->u.number.apri;
		/* Q.763 §3.10: "address not available" comes without digits */
		if (p->u.number.digits[0]) {
			rc = sigtoken_number_e164(call->orig, sizeof(call->orig), &p->u.number, cc);
			if (rc < 0)
				return rc;
		}
	}
	for (i = 0; i < iam->num_opt && i < ISUP_MAX_OPT; i++) {
		p = &iam->opt[i];
		if (p->code != ISUP_PAR_GENERIC_NUMBER || p->opaque ||
		    p->u.number.qualifier != ISUP_NQ_ADDITIONAL_CALLING)
			continue;
		rc = sigtoken_number_e164(call->addl, sizeof(call->addl), &p->u.number, cc);
		if (rc < 0)
			return rc;
		break;
	}
	return 0;
}

int isup_iam_divert_get(struct sip_divert *d, const struct isup_msg *iam, const char *cc)
{
	const struct isup_param *rdn, *ocn, *ri;
	int rc;

	memset(d, 0, sizeof(*d));
	rdn = isup_msg_param_find_c(iam, ISUP_PAR_REDIRECTING_NUMBER);
	ocn = isup_msg_param_find_c(iam, ISUP_PAR_ORIG_CALLED_NUMBER);
	ri = isup_msg_param_find_c(iam, ISUP_PAR_REDIRECTION_INFO);
	if (rdn && rdn->opaque)
		rdn = NULL;
	if (ocn && ocn->opaque)
		ocn = NULL;
	if (ri && ri->opaque)
		ri = NULL;
	if (!rdn && !ocn)
		return 0;
	if (!rdn)
		rdn = ocn;
	if (!ocn)
		ocn = rdn;
	rc = sigtoken_number_e164(d->redirecting, sizeof(d->redirecting), &rdn->u.number, cc);
	if (rc == 0)
		rc = sigtoken_number_e164(d->orig_called, sizeof(d->orig_called), &ocn->u.number, cc);
	if (rc < 0) {
		LOGP(DIWF, LOGL_NOTICE, "IAM: redirecting or original called number is not E.164\n");
		memset(d, 0, sizeof(*d));
		return -EDOM;
	}
	d->present = true;
	d->counter = 1;
	d->restricted = rdn->u.number.apri == ISUP_APRI_RESTRICTED || ocn->u.number.apri == ISUP_APRI_RESTRICTED;
	if (ri) {
		d->orig_reason = ri->u.redir.orig_reason <= SIP_DIVERT_NOT_REACHABLE ? ri->u.redir.orig_reason : 0;
		if (ri->u.redir.has_octet2) {
			d->reason = ri->u.redir.reason <= SIP_DIVERT_NOT_REACHABLE ? ri->u.redir.reason : 0;
			if (ri->u.redir.counter >= 1)
				d->counter = OSMO_MIN(ri->u.redir.counter, SIP_DIVERT_COUNTER_MAX);
		} else {
			d->reason = d->orig_reason;
		}
		/* Q.763 §3.45: indicators 2, 4 and 6 restrict presentation */
		if (ri->u.redir.indicator == 2 || ri->u.redir.indicator == 4 || ri->u.redir.indicator == 6)
			d->restricted = true;
	}
	return 0;
}

static int divert_number(struct isup_msg *iam, uint8_t code, const char *tn, bool restricted)
{
	struct isup_param *p = isup_msg_param_find(iam, code);
	size_t n = strlen(tn);

	if (!n || n > SIGTOKEN_E164_MAX || strspn(tn, "0123456789") != n)
		return -EINVAL;
	if (!p)
		p = isup_msg_opt_add(iam, code);
	if (!p)
		return -EMSGSIZE;
	memset(&p->u, 0, sizeof(p->u));
	p->opaque = false;
	p->u.number.nai = ISUP_NAI_INTERNATIONAL;
	p->u.number.npi = 1;
	p->u.number.apri = restricted ? ISUP_APRI_RESTRICTED : ISUP_APRI_ALLOWED;
	memcpy(p->u.number.digits, tn, n + 1);
	return 0;
}

int isup_iam_divert_put(struct isup_msg *iam, const struct sip_divert *d)
{
	struct isup_param *p;
	int rc;

	if (iam->type != ISUP_MSG_IAM || !d->present || d->national || d->reason > SIP_DIVERT_NOT_REACHABLE ||
	    d->counter < 1 || d->counter > SIP_DIVERT_COUNTER_MAX)
		return -EINVAL;
	rc = divert_number(iam, ISUP_PAR_ORIG_CALLED_NUMBER, d->orig_called, d->restricted);
	if (rc == 0)
		rc = divert_number(iam, ISUP_PAR_REDIRECTING_NUMBER, d->redirecting, d->restricted);
	if (rc < 0)
		return rc;
	p = isup_msg_param_find(iam, ISUP_PAR_REDIRECTION_INFO);
	if (!p)
		p = isup_msg_opt_add(iam, ISUP_PAR_REDIRECTION_INFO);
	if (!p)
		return -EMSGSIZE;
	memset(&p->u, 0, sizeof(p->u));
	p->opaque = false;
	p->u.redir.indicator = d->restricted ? 4 : 3;
	p->u.redir.orig_reason = d->orig_reason <= SIP_DIVERT_UNCONDITIONAL ? d->orig_reason : SIP_DIVERT_UNKNOWN;
	p->u.redir.has_octet2 = true;
	p->u.redir.counter = d->counter;
	p->u.redir.reason = d->reason;
	return 0;
}
