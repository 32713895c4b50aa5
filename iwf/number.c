/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Calling and called identity across the border (Q.1912.5, RFC 3398,
 * RFC 3323).  See number.h. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <osmocom/core/utils.h>

#include "src/core/logging.h"
#include "iwf/number.h"

const struct value_string iwf_nai_names[] = {
	{ IWF_NAI_SUBSCRIBER,		"subscriber" },
	{ IWF_NAI_UNKNOWN,		"unknown" },
	{ IWF_NAI_NATIONAL,		"national" },
	{ IWF_NAI_INTERNATIONAL,	"international" },
	{ 0, NULL }
};

const struct value_string iwf_pres_names[] = {
	{ IWF_PRES_ALLOWED,		"allowed" },
	{ IWF_PRES_RESTRICTED,		"restricted" },
	{ IWF_PRES_NOT_AVAILABLE,	"not-available" },
	{ 0, NULL }
};

const struct value_string iwf_screening_names[] = {
	{ IWF_SCREEN_USER_NOT_VERIFIED,	"user-not-verified" },
	{ IWF_SCREEN_USER_PASSED,	"user-verified-passed" },
	{ IWF_SCREEN_USER_FAILED,	"user-verified-failed" },
	{ IWF_SCREEN_NETWORK,		"network-provided" },
	{ 0, NULL }
};

const struct value_string iwf_number_format_names[] = {
	{ IWF_NUMFMT_INTERNATIONAL,	"international" },
	{ IWF_NUMFMT_NATIONAL,		"national" },
	{ 0, NULL }
};

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

/* Whether the n digits at s start with the non-empty prefix p. */
static bool has_prefix(const char *s, size_t n, const char *p)
{
	size_t np = strlen(p);

	return np > 0 && n >= np && !memcmp(s, p, np);
}

void iwf_number_plan_init(struct iwf_number_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	plan->format = IWF_NUMFMT_INTERNATIONAL;
	plan->cc_without_plus = true;
	plan->cpc = IWF_CPC_ORDINARY;
}

int iwf_number_plan_set_cc(struct iwf_number_plan *plan, const char *cc)
{
	size_t n = cc ? strnlen(cc, IWF_CC_MAX + 1) : 0;

	/* E.164 §6.2.1: country codes have 1 to 3 digits */
	if (n < 1 || n > IWF_CC_MAX || !all_digits(cc, n)) {
		LOGP(DIWF, LOGL_ERROR, "number plan: country-code '%s' is not 1..3 digits\n",
		     cc ? cc : "");
		return -EINVAL;
	}
	memcpy(plan->cc, cc, n);
	plan->cc[n] = '\0';
	return 0;
}

/* Put head (may be "") and n digits of tail in out as E.164. */
static int e164_join(char *out, size_t size, const char *head, const char *head2,
		     const char *tail, size_t n)
{
	size_t nh = strlen(head), nh2 = strlen(head2);

	if (nh + nh2 + n > IWF_E164_MAX || nh + nh2 + n == 0)
		return -EDOM;
	if (size - 1 < nh + nh2 + n)
		return -ENOSPC;
	memcpy(out, head, nh);
	memcpy(out + nh, head2, nh2);
	memcpy(out + nh + nh2, tail, n);
	out[nh + nh2 + n] = '\0';
	return 0;
}

static bool cc_valid(const struct iwf_number_plan *plan)
{
	size_t n;

	if (!plan)
		return false;
	n = strnlen(plan->cc, sizeof(plan->cc));
	return n >= 1 && n <= IWF_CC_MAX && all_digits(plan->cc, n);
}

int iwf_number_e164(char *out, size_t size, const struct iwf_party_number *num,
		    const struct iwf_number_plan *plan)
{
	size_t n = strnlen(num->digits, sizeof(num->digits));
	const char *d = num->digits;
	int rc;

	if (size < 1)
		return -ENOSPC;
	out[0] = '\0';
	if (n == sizeof(num->digits))
		return -EDOM;
	/* Q.763 §3.9: ST ends the address signals of a called party number */
	if (n > 0 && d[n - 1] == 'F')
		n--;
	if (n == 0 || !all_digits(d, n)) {
		LOGP(DIWF, LOGL_NOTICE, "number '%s' is not 1 or more digits 0-9\n", num->digits);
		return -EDOM;
	}
	switch (num->nai) {
	case IWF_NAI_INTERNATIONAL:
		rc = e164_join(out, size, "", "", d, n);
		break;
	case IWF_NAI_NATIONAL:
		if (!cc_valid(plan)) {
			LOGP(DIWF, LOGL_NOTICE, "national number %s and no country code configured\n",
			     num->digits);
			return -EDOM;
		}
		rc = e164_join(out, size, plan->cc, "", d, n);
		break;
	case IWF_NAI_SUBSCRIBER:
		if (!cc_valid(plan) || !plan->area_code[0] ||
		    !all_digits(plan->area_code, strnlen(plan->area_code, sizeof(plan->area_code)))) {
			LOGP(DIWF, LOGL_NOTICE, "subscriber number %s and no country and area code "
			     "configured\n", num->digits);
			return -EDOM;
		}
		rc = e164_join(out, size, plan->cc, plan->area_code, d, n);
		break;
	case IWF_NAI_UNKNOWN:
		/* Q.763 §3.10 b): "unknown" leaves the prefixes in the digits */
		if (plan && has_prefix(d, n, plan->intl_prefix)) {
			size_t np = strlen(plan->intl_prefix);

			rc = e164_join(out, size, "", "", d + np, n - np);
			break;
		}
		if (plan && cc_valid(plan) && has_prefix(d, n, plan->trunk_prefix)) {
			size_t np = strlen(plan->trunk_prefix);

			rc = e164_join(out, size, plan->cc, "", d + np, n - np);
			break;
		}
		/* fall through */
	default:
		LOGP(DIWF, LOGL_NOTICE, "number %s with nature of address '%s' cannot be made E.164\n",
		     num->digits, get_value_string(iwf_nai_names, num->nai));
		return -EDOM;
	}
	if (rc == -EDOM)
		LOGP(DIWF, LOGL_NOTICE, "number %s is not 1..15 digits in E.164\n", num->digits);
	return rc;
}

int iwf_sip_tn_parse(struct iwf_sip_tn *tn, const char *user, size_t len)
{
	size_t i = 0, n = 0;

	memset(tn, 0, sizeof(*tn));
	if (!user)
		return -EINVAL;
	if (len > 0 && user[0] == '+') {
		tn->global = true;
		i = 1;
	}
	for (; i < len; i++) {
		char c = user[i];

		/* RFC 3966 §3 visual-separator */
		if (c == '-' || c == '.' || c == '(' || c == ')')
			continue;
		if (c < '0' || c > '9' || n >= IWF_NUMBER_MAX_DIGITS)
			goto bad;
		tn->digits[n++] = c;
	}
	if (n == 0 || (tn->global && n > IWF_E164_MAX))
		goto bad;
	tn->present = true;
	return 0;
bad:
	memset(tn, 0, sizeof(*tn));
	return -EINVAL;
}

int iwf_sip_tn_uri(char *buf, size_t size, const struct iwf_sip_tn *tn, const char *host,
		   const char *verstat)
{
	int n;

	if (size > 0)
		buf[0] = '\0';
	if (!tn->present || !tn->digits[0])
		return -EINVAL;
	/* TS 24.229 §7.2A.20: verstat is a tel URI parameter, and a parameter
	 * of the user part of a sip URI with user=phone */
	if (host)
		n = snprintf(buf, size, "sip:%s%s%s%s@%s;user=phone", tn->global ? "+" : "",
			     tn->digits, verstat ? ";verstat=" : "", verstat ? verstat : "", host);
	else
		n = snprintf(buf, size, "tel:%s%s%s%s", tn->global ? "+" : "", tn->digits,
			     verstat ? ";verstat=" : "", verstat ? verstat : "");
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= size) {
		if (size > 0)
			buf[0] = '\0';
		return -ENOSPC;
	}
	return n;
}

/* A SIP number in E.164 form (digits without '+'), by the peer's rules.
 * A number without '+' is taken as: international prefix stripped, E.164;
 * trunk prefix stripped, national; starting with the country code (when
 * cc_without_plus), E.164; else a national significant number. */
static int sip_tn_e164(char *out, size_t size, const struct iwf_sip_tn *tn,
		       const struct iwf_number_plan *plan, const char *field)
{
	const char *d = tn->digits;
	size_t n = strnlen(d, sizeof(tn->digits)), np;
	int rc;

	out[0] = '\0';
	if (!tn->present || n == 0 || n == sizeof(tn->digits) || !all_digits(d, n)) {
		LOGP(DIWF, LOGL_NOTICE, "%s: '%s' is not a telephone number\n", field, d);
		return -EINVAL;
	}
	if (tn->global) {
		rc = e164_join(out, size, "", "", d, n);
	} else if (has_prefix(d, n, plan->intl_prefix)) {
		np = strlen(plan->intl_prefix);
		rc = e164_join(out, size, "", "", d + np, n - np);
	} else if (!cc_valid(plan)) {
		LOGP(DIWF, LOGL_NOTICE, "%s: local number %s and no country code configured\n",
		     field, d);
		return -EINVAL;
	} else if (has_prefix(d, n, plan->trunk_prefix)) {
		np = strlen(plan->trunk_prefix);
		rc = e164_join(out, size, plan->cc, "", d + np, n - np);
	} else if (plan->cc_without_plus && has_prefix(d, n, plan->cc)) {
		rc = e164_join(out, size, "", "", d, n);
	} else {
		rc = e164_join(out, size, plan->cc, "", d, n);
	}
	if (rc < 0) {
		LOGP(DIWF, LOGL_NOTICE, "%s: %s is not 1..15 digits in E.164\n", field, d);
		return -EINVAL;
	}
	return 0;
}

/* An E.164 number to the peer's ISUP format: national (NAI 3, country code
 * stripped) only when the peer wants it and the number is of its country. */
static void isup_number_from_e164(struct iwf_party_number *num, const char *e164,
				  const struct iwf_number_plan *plan)
{
	size_t ncc = strnlen(plan->cc, sizeof(plan->cc));

	num->present = true;
	num->npi = IWF_NPI_ISDN;
	if (plan->format == IWF_NUMFMT_NATIONAL && cc_valid(plan) &&
	    has_prefix(e164, strlen(e164), plan->cc) && strlen(e164) > ncc) {
		num->nai = IWF_NAI_NATIONAL;
		osmo_strlcpy(num->digits, e164 + ncc, sizeof(num->digits));
	} else {
		num->nai = IWF_NAI_INTERNATIONAL;
		osmo_strlcpy(num->digits, e164, sizeof(num->digits));
	}
}

static int sip_to_isup(struct iwf_isup_identity *out, const struct iwf_sip_identity *in,
		       const struct iwf_number_plan *plan)
{
	char pai[IWF_E164_MAX + 1] = "", from[IWF_E164_MAX + 1] = "", cd[IWF_E164_MAX + 1];
	const struct iwf_sip_tn *called;
	uint8_t pres;
	int rc;

	memset(out, 0, sizeof(*out));
	out->cpc = plan->cpc ? plan->cpc : IWF_CPC_ORDINARY;

	/* Called Party Number: Request-URI user part, else To (RFC 3398 §7.2.1.1) */
	called = in->ruri.present ? &in->ruri : &in->to;
	if (!called->present) {
		LOGP(DIWF, LOGL_NOTICE, "SIP->ISUP: no called number in Request-URI or To\n");
		return -EINVAL;
	}
	rc = sip_tn_e164(cd, sizeof(cd), called, plan, in->ruri.present ? "Request-URI" : "To");
	if (rc < 0)
		return rc;
	isup_number_from_e164(&out->called, cd, plan);

	/* RFC 3323 §4.2, RFC 3325 §9.3: id hides the asserted identity,
	 * header and user hide the user's own headers; Q.1912.5 maps all
	 * three to "presentation restricted". */
	pres = (in->privacy & (IWF_PRIVACY_ID | IWF_PRIVACY_HEADER | IWF_PRIVACY_USER)) ?
		IWF_PRES_RESTRICTED : IWF_PRES_ALLOWED;

	if (in->pai.present) {
		rc = sip_tn_e164(pai, sizeof(pai), &in->pai, plan, "P-Asserted-Identity");
		if (rc < 0)
			return rc;
	}
	if (in->from.present && !in->from_anonymous) {
		rc = sip_tn_e164(from, sizeof(from), &in->from, plan, "From");
		/* a From without a usable number is only left out: the asserted
		 * identity is what counts (Q.1912.5 §6.1.3) */
		if (rc < 0 && !in->pai.present && plan->from_as_calling)
			return rc;
		if (rc < 0)
			from[0] = '\0';
	}

	if (pai[0]) {
		isup_number_from_e164(&out->calling, pai, plan);
		out->calling.pres = pres;
		out->calling.screening = IWF_SCREEN_NETWORK;
		/* Q.1912.5: a From number other than the asserted one travels as
		 * the additional calling party number */
		if (from[0] && strcmp(from, pai)) {
			isup_number_from_e164(&out->addl_calling, from, plan);
			out->addl_calling.pres = pres;
			out->addl_calling.screening = IWF_SCREEN_USER_NOT_VERIFIED;
		}
	} else if (from[0] && plan->from_as_calling) {
		isup_number_from_e164(&out->calling, from, plan);
		out->calling.pres = pres;
		out->calling.screening = IWF_SCREEN_USER_NOT_VERIFIED;
	}
	/* else: no Calling Party Number (Q.763 §3.10: absent, APRI "not
	 * available" for the HOP signature, ARCHITECTURE §2.2) */
	return 0;
}

static int party_to_sip(struct iwf_sip_tn *tn, const struct iwf_party_number *num,
			const struct iwf_number_plan *plan, const char *field)
{
	int rc;

	memset(tn, 0, sizeof(*tn));
	rc = iwf_number_e164(tn->digits, sizeof(tn->digits), num, plan);
	if (rc < 0) {
		LOGP(DIWF, LOGL_NOTICE, "ISUP->SIP: %s '%s' (NAI %s) cannot be made E.164\n", field,
		     num->digits, get_value_string(iwf_nai_names, num->nai));
		memset(tn, 0, sizeof(*tn));
		return -EINVAL;
	}
	tn->present = true;
	tn->global = true;
	return 0;
}

static int isup_to_sip(struct iwf_sip_identity *out, const struct iwf_isup_identity *in,
		       const struct iwf_number_plan *plan)
{
	const struct iwf_party_number *cg = &in->calling, *gn = &in->addl_calling;
	struct iwf_sip_tn cgtn;
	bool cg_usable;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&cgtn, 0, sizeof(cgtn));

	if (!in->called.present) {
		LOGP(DIWF, LOGL_NOTICE, "ISUP->SIP: no Called Party Number\n");
		return -EINVAL;
	}
	rc = party_to_sip(&out->ruri, &in->called, plan, "Called Party Number");
	if (rc < 0)
		return rc;
	out->to = out->ruri;

	/* Q.763 §3.10 e): "address not available" comes without digits */
	cg_usable = cg->present && cg->pres != IWF_PRES_NOT_AVAILABLE && cg->digits[0];
	if (cg_usable) {
		rc = party_to_sip(&cgtn, cg, plan, "Calling Party Number");
		if (rc < 0)
			return rc;
		/* docs/STANDARDS.md §4.4: only a network provided or verified number
		 * is asserted */
		if (cg->screening == IWF_SCREEN_NETWORK || cg->screening == IWF_SCREEN_USER_PASSED)
			out->pai = cgtn;
		if (cg->pres == IWF_PRES_RESTRICTED)
			out->privacy |= IWF_PRIVACY_ID;
	}

	if (gn->present && gn->digits[0] && gn->pres == IWF_PRES_ALLOWED) {
		/* Q.1912.5 §7.1.3: the additional calling party number is the
		 * number the user gave: it goes in From */
		rc = party_to_sip(&out->from, gn, plan, "Generic Number (additional calling)");
		if (rc < 0)
			return rc;
	} else if (cg_usable && cg->pres == IWF_PRES_ALLOWED &&
		   !(gn->present && gn->pres == IWF_PRES_RESTRICTED)) {
		out->from = cgtn;
	} else {
		/* RFC 3323 §4.1.1.3 */
		out->from_anonymous = true;
		osmo_strlcpy(out->from_display, IWF_ANONYMOUS_DISPLAY, sizeof(out->from_display));
	}
	return 0;
}

/* Outputs are all or nothing: cleared again when the mapping fails. */
int iwf_number_sip_to_isup(struct iwf_isup_identity *out, const struct iwf_sip_identity *in,
			   const struct iwf_number_plan *plan)
{
	int rc = sip_to_isup(out, in, plan);

	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

int iwf_number_isup_to_sip(struct iwf_sip_identity *out, const struct iwf_isup_identity *in,
			   const struct iwf_number_plan *plan)
{
	int rc = isup_to_sip(out, in, plan);

	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}
