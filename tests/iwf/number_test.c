/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of iwf/number.c: the E.164 rule, SIP URI user parts, and the
 * identity mapping both ways (Q.1912.5, RFC 3398, RFC 3323), table-driven:
 * restricted presentation, missing PAI, From != PAI, national and
 * international peers, bad digits. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "iwf/number.h"
#include "tests/cunit_main.h"

/* Peers: A international in Germany, B national in Germany with prefixes,
 * N national in North America, X without a country code. */
static struct iwf_number_plan peer_a, peer_b, peer_n, peer_x;

static void plans_init(void)
{
	iwf_number_plan_init(&peer_a);
	if (iwf_number_plan_set_cc(&peer_a, "49"))
		abort();

	iwf_number_plan_init(&peer_b);
	if (iwf_number_plan_set_cc(&peer_b, "49"))
		abort();
	peer_b.format = IWF_NUMFMT_NATIONAL;
	peer_b.cc_without_plus = false;
	peer_b.from_as_calling = true;
	osmo_strlcpy(peer_b.trunk_prefix, "0", sizeof(peer_b.trunk_prefix));
	osmo_strlcpy(peer_b.intl_prefix, "00", sizeof(peer_b.intl_prefix));
	osmo_strlcpy(peer_b.area_code, "30", sizeof(peer_b.area_code));

	iwf_number_plan_init(&peer_n);
	if (iwf_number_plan_set_cc(&peer_n, "1"))
		abort();
	peer_n.format = IWF_NUMFMT_NATIONAL;
	osmo_strlcpy(peer_n.intl_prefix, "011", sizeof(peer_n.intl_prefix));

	iwf_number_plan_init(&peer_x);
}

static void test_plan(void)
{
	struct iwf_number_plan p;

	iwf_number_plan_init(&p);
	CU_ASSERT_EQUAL(p.cpc, IWF_CPC_ORDINARY);
	CU_ASSERT_EQUAL(p.format, IWF_NUMFMT_INTERNATIONAL);
	CU_ASSERT(p.cc_without_plus);
	CU_ASSERT(!p.from_as_calling);
	CU_ASSERT_EQUAL(iwf_number_plan_set_cc(&p, "1"), 0);
	CU_ASSERT_STRING_EQUAL(p.cc, "1");
	CU_ASSERT_EQUAL(iwf_number_plan_set_cc(&p, "358"), 0);
	CU_ASSERT_EQUAL(iwf_number_plan_set_cc(&p, "3581"), -EINVAL);
	CU_ASSERT_EQUAL(iwf_number_plan_set_cc(&p, ""), -EINVAL);
	CU_ASSERT_EQUAL(iwf_number_plan_set_cc(&p, "4x"), -EINVAL);
	CU_ASSERT_EQUAL(iwf_number_plan_set_cc(&p, NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(p.cc, "358");
}

static void test_e164(void)
{
	static const struct {
		const struct iwf_number_plan *plan;
		uint8_t nai;
		const char *digits;
		int rc;
		const char *e164;
	} v[] = {
		{ &peer_a, IWF_NAI_INTERNATIONAL, "4930123456", 0, "4930123456" },
		{ NULL, IWF_NAI_INTERNATIONAL, "4930123456", 0, "4930123456" },
		{ NULL, IWF_NAI_INTERNATIONAL, "4930123456F", 0, "4930123456" },
		{ &peer_a, IWF_NAI_NATIONAL, "30123456", 0, "4930123456" },
		{ &peer_n, IWF_NAI_NATIONAL, "2025550100", 0, "12025550100" },
		{ &peer_x, IWF_NAI_NATIONAL, "30123456", -EDOM, "" },
		{ NULL, IWF_NAI_NATIONAL, "30123456", -EDOM, "" },
		{ &peer_a, IWF_NAI_NATIONAL, "3012345678901", 0, "493012345678901" },
		{ &peer_a, IWF_NAI_NATIONAL, "30123456789012", -EDOM, "" },
		{ NULL, IWF_NAI_INTERNATIONAL, "4930123456789012", -EDOM, "" },
		/* subscriber: only with an area code */
		{ &peer_a, IWF_NAI_SUBSCRIBER, "123456", -EDOM, "" },
		{ &peer_b, IWF_NAI_SUBSCRIBER, "123456", 0, "4930123456" },
		/* unknown: only with a prefix rule */
		{ &peer_a, IWF_NAI_UNKNOWN, "004930123456", -EDOM, "" },
		{ &peer_b, IWF_NAI_UNKNOWN, "004930123456", 0, "4930123456" },
		{ &peer_b, IWF_NAI_UNKNOWN, "030123456", 0, "4930123456" },
		{ &peer_b, IWF_NAI_UNKNOWN, "30123456", -EDOM, "" },
		{ &peer_n, IWF_NAI_UNKNOWN, "011442071234567", 0, "442071234567" },
		{ &peer_a, 5, "123", -EDOM, "" },
		/* bad digits */
		{ NULL, IWF_NAI_INTERNATIONAL, "49301B3456", -EDOM, "" },
		{ NULL, IWF_NAI_INTERNATIONAL, "", -EDOM, "" },
		{ NULL, IWF_NAI_INTERNATIONAL, "F", -EDOM, "" },
		{ NULL, IWF_NAI_INTERNATIONAL, "49F0", -EDOM, "" },
		{ &peer_b, IWF_NAI_UNKNOWN, "00", -EDOM, "" },
	};
	struct iwf_party_number num;
	char out[IWF_E164_MAX + 1];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		int rc;

		memset(&num, 0, sizeof(num));
		num.present = true;
		num.nai = v[i].nai;
		osmo_strlcpy(num.digits, v[i].digits, sizeof(num.digits));
		rc = iwf_number_e164(out, sizeof(out), &num, v[i].plan);
		if (rc != v[i].rc || strcmp(out, v[i].e164))
			fprintf(stderr, "\n  row %u: %s nai %u -> %d '%s'", i, v[i].digits, v[i].nai, rc, out);
		CU_ASSERT_EQUAL(rc, v[i].rc);
		CU_ASSERT_STRING_EQUAL(out, v[i].e164);
	}
	num.nai = IWF_NAI_INTERNATIONAL;
	osmo_strlcpy(num.digits, "4930123456", sizeof(num.digits));
	CU_ASSERT_EQUAL(iwf_number_e164(out, 10, &num, NULL), -ENOSPC);
	CU_ASSERT_EQUAL(iwf_number_e164(out, 11, &num, NULL), 0);
	/* 20 digits and no NUL: refused, never read past the array */
	memset(num.digits, '1', sizeof(num.digits));
	CU_ASSERT_EQUAL(iwf_number_e164(out, sizeof(out), &num, NULL), -EDOM);
}

static void test_tn_parse(void)
{
	static const struct {
		const char *in;
		int rc;
		bool global;
		const char *digits;
	} v[] = {
		{ "+4930123456", 0, true, "4930123456" },
		{ "+1-202-555-0100", 0, true, "12025550100" },
		{ "+1.(202).555.0100", 0, true, "12025550100" },
		{ "030123456", 0, false, "030123456" },
		{ "12345678901234567890", 0, false, "12345678901234567890" },
		{ "123456789012345678901", -EINVAL, false, "" },
		{ "+1234567890123456", -EINVAL, false, "" },
		{ "+", -EINVAL, false, "" },
		{ "", -EINVAL, false, "" },
		{ "--", -EINVAL, false, "" },
		{ "alice", -EINVAL, false, "" },
		{ "*67", -EINVAL, false, "" },
		{ "123#", -EINVAL, false, "" },
		{ "+49 30", -EINVAL, false, "" },
		{ "49+30", -EINVAL, false, "" },
	};
	struct iwf_sip_tn tn;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		CU_ASSERT_EQUAL(iwf_sip_tn_parse(&tn, v[i].in, strlen(v[i].in)), v[i].rc);
		CU_ASSERT_EQUAL(tn.present, v[i].rc == 0);
		CU_ASSERT_EQUAL(tn.global, v[i].global);
		CU_ASSERT_STRING_EQUAL(tn.digits, v[i].digits);
	}
	/* the length bounds the input, not a NUL */
	CU_ASSERT_EQUAL(iwf_sip_tn_parse(&tn, "+4930x", 5), 0);
	CU_ASSERT_STRING_EQUAL(tn.digits, "4930");
	CU_ASSERT_EQUAL(iwf_sip_tn_parse(&tn, NULL, 0), -EINVAL);
}

static void test_tn_uri(void)
{
	struct iwf_sip_tn tn;
	char buf[96];

	CU_ASSERT_EQUAL(iwf_sip_tn_parse(&tn, "+4930123456", 11), 0);
	CU_ASSERT_EQUAL(iwf_sip_tn_uri(buf, sizeof(buf), &tn, NULL, NULL), 15);
	CU_ASSERT_STRING_EQUAL(buf, "tel:+4930123456");
	CU_ASSERT(iwf_sip_tn_uri(buf, sizeof(buf), &tn, NULL, "TN-Validation-Passed") > 0);
	CU_ASSERT_STRING_EQUAL(buf, "tel:+4930123456;verstat=TN-Validation-Passed");
	CU_ASSERT(iwf_sip_tn_uri(buf, sizeof(buf), &tn, "gw.example.net", NULL) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "sip:+4930123456@gw.example.net;user=phone");
	CU_ASSERT(iwf_sip_tn_uri(buf, sizeof(buf), &tn, "gw.example.net", "No-TN-Validation") > 0);
	CU_ASSERT_STRING_EQUAL(buf, "sip:+4930123456;verstat=No-TN-Validation@gw.example.net;user=phone");
	CU_ASSERT_EQUAL(iwf_sip_tn_uri(buf, 15, &tn, NULL, NULL), -ENOSPC);
	CU_ASSERT_STRING_EQUAL(buf, "");
	CU_ASSERT_EQUAL(iwf_sip_tn_uri(buf, 16, &tn, NULL, NULL), 15);
	memset(&tn, 0, sizeof(tn));
	CU_ASSERT_EQUAL(iwf_sip_tn_uri(buf, sizeof(buf), &tn, NULL, NULL), -EINVAL);
}

/* ------------------------------------------------------------------------
 * SIP -> ISUP
 * ------------------------------------------------------------------------ */

/* A party number expected in the IAM: "" for absent, else
 * "NAI/PRES/SCREEN/DIGITS" with NAI i|n, PRES a|r, SCREEN 0..3. */
static void fmt_party(char *buf, size_t size, const struct iwf_party_number *p)
{
	if (!p->present) {
		osmo_strlcpy(buf, "", size);
		return;
	}
	snprintf(buf, size, "%c/%c/%u/%s", p->nai == IWF_NAI_INTERNATIONAL ? 'i' :
		 p->nai == IWF_NAI_NATIONAL ? 'n' : '?',
		 p->pres == IWF_PRES_ALLOWED ? 'a' : p->pres == IWF_PRES_RESTRICTED ? 'r' : '-',
		 p->screening, p->digits);
}

static void set_tn(struct iwf_sip_tn *tn, const char *s)
{
	if (s) {
		CU_ASSERT_EQUAL_FATAL(iwf_sip_tn_parse(tn, s, strlen(s)), 0);
	} else {
		memset(tn, 0, sizeof(*tn));
	}
}

static void test_sip_to_isup(void)
{
	static const struct {
		const char *name;
		const struct iwf_number_plan *plan;
		const char *pai, *from, *ruri, *to;
		bool anon;
		unsigned int privacy;
		int rc;
		const char *cg, *gn, *cd;	/* fmt_party() forms */
	} v[] = {
		{ "international peer, PAI = From", &peer_a, "+4930123456", "+4930123456", "+4940987654", NULL,
		  false, 0, 0, "i/a/3/4930123456", "", "i/a/0/4940987654" },
		{ "international peer, From differs: GN 6", &peer_a, "+4930123456", "+4930999999",
		  "+4940987654", NULL, false, 0, 0, "i/a/3/4930123456", "i/a/0/4930999999", "i/a/0/4940987654" },
		{ "From differs only in form: no GN", &peer_a, "+4930123456", "4930123456", "+4940987654",
		  NULL, false, 0, 0, "i/a/3/4930123456", "", "i/a/0/4940987654" },
		{ "national peer: CC stripped", &peer_b, "+4930123456", NULL, "+4940987654", NULL,
		  false, 0, 0, "n/a/3/30123456", "", "n/a/0/40987654" },
		{ "national peer: foreign number stays international", &peer_b, "+12025550100", NULL,
		  "+442071234567", NULL, false, 0, 0, "i/a/3/12025550100", "", "i/a/0/442071234567" },
		{ "national peer: trunk prefix", &peer_b, "030123456", NULL, "040987654", NULL,
		  false, 0, 0, "n/a/3/30123456", "", "n/a/0/40987654" },
		{ "national peer: international prefix", &peer_b, "00442071234567", NULL, "040987654", NULL,
		  false, 0, 0, "i/a/3/442071234567", "", "n/a/0/40987654" },
		{ "national peer, no cc_without_plus: digits are national", &peer_b, "4930123456", NULL,
		  "40987654", NULL, false, 0, 0, "n/a/3/4930123456", "", "n/a/0/40987654" },
		{ "NANP 1NPANXX without +", &peer_n, "12025550100", NULL, "2025550199", NULL,
		  false, 0, 0, "n/a/3/2025550100", "", "n/a/0/2025550199" },
		{ "Privacy: id", &peer_a, "+4930123456", NULL, "+4940987654", NULL,
		  false, IWF_PRIVACY_ID, 0, "i/r/3/4930123456", "", "i/a/0/4940987654" },
		{ "Privacy: header", &peer_a, "+4930123456", NULL, "+4940987654", NULL,
		  false, IWF_PRIVACY_HEADER, 0, "i/r/3/4930123456", "", "i/a/0/4940987654" },
		{ "Privacy: user, From differs: both restricted", &peer_a, "+4930123456", "+4930999999",
		  "+4940987654", NULL, false, IWF_PRIVACY_USER, 0, "i/r/3/4930123456", "i/r/0/4930999999",
		  "i/a/0/4940987654" },
		{ "Privacy: none", &peer_a, "+4930123456", NULL, "+4940987654", NULL,
		  false, IWF_PRIVACY_NONE, 0, "i/a/3/4930123456", "", "i/a/0/4940987654" },
		{ "Privacy: session only", &peer_a, "+4930123456", NULL, "+4940987654", NULL,
		  false, IWF_PRIVACY_SESSION, 0, "i/a/3/4930123456", "", "i/a/0/4940987654" },
		{ "anonymous From: no GN", &peer_a, "+4930123456", "+4930999999", "+4940987654", NULL,
		  true, IWF_PRIVACY_ID, 0, "i/r/3/4930123456", "", "i/a/0/4940987654" },
		{ "no PAI, peer takes no From: no CgPN", &peer_a, NULL, "+4930999999", "+4940987654", NULL,
		  false, 0, 0, "", "", "i/a/0/4940987654" },
		{ "no PAI, peer takes From: screening 0", &peer_b, NULL, "+4930999999", "+4940987654", NULL,
		  false, 0, 0, "n/a/0/30999999", "", "n/a/0/40987654" },
		{ "no PAI, From restricted", &peer_b, NULL, "+4930999999", "+4940987654", NULL,
		  false, IWF_PRIVACY_USER, 0, "n/r/0/30999999", "", "n/a/0/40987654" },
		{ "no Request-URI number: To", &peer_a, "+4930123456", NULL, NULL, "+4940987654",
		  false, 0, 0, "i/a/3/4930123456", "", "i/a/0/4940987654" },
		{ "no called number", &peer_a, "+4930123456", NULL, NULL, NULL,
		  false, 0, -EINVAL, "", "", "" },
		{ "local number, peer without CC", &peer_x, "+4930123456", NULL, "40987654", NULL,
		  false, 0, -EINVAL, "", "", "" },
		{ "local PAI, peer without CC", &peer_x, "030123456", NULL, "+4940987654", NULL,
		  false, 0, -EINVAL, "", "", "" },
		{ "PAI too long for E.164", &peer_a, "30123456789012", NULL, "+4940987654", NULL,
		  false, 0, -EINVAL, "", "", "" },
		{ "bad From beside a PAI is dropped", &peer_a, "+4930123456", "30123456789012",
		  "+4940987654", NULL, false, 0, 0, "i/a/3/4930123456", "", "i/a/0/4940987654" },
		{ "bad From as only number", &peer_b, NULL, "3012345678901234", "+4940987654", NULL,
		  false, 0, -EINVAL, "", "", "" },
	};
	struct iwf_sip_identity in;
	struct iwf_isup_identity out;
	char cg[48], gn[48], cd[48];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		int rc;

		memset(&in, 0, sizeof(in));
		set_tn(&in.pai, v[i].pai);
		set_tn(&in.from, v[i].from);
		set_tn(&in.ruri, v[i].ruri);
		set_tn(&in.to, v[i].to);
		in.from_anonymous = v[i].anon;
		in.privacy = v[i].privacy;
		rc = iwf_number_sip_to_isup(&out, &in, v[i].plan);
		fmt_party(cg, sizeof(cg), &out.calling);
		fmt_party(gn, sizeof(gn), &out.addl_calling);
		fmt_party(cd, sizeof(cd), &out.called);
		if (rc != v[i].rc || strcmp(cg, v[i].cg) || strcmp(gn, v[i].gn) || strcmp(cd, v[i].cd))
			fprintf(stderr, "\n  %s: rc %d cg '%s' gn '%s' cd '%s'", v[i].name, rc, cg, gn, cd);
		CU_ASSERT_EQUAL(rc, v[i].rc);
		CU_ASSERT_STRING_EQUAL(cg, v[i].cg);
		CU_ASSERT_STRING_EQUAL(gn, v[i].gn);
		CU_ASSERT_STRING_EQUAL(cd, v[i].cd);
		if (rc == 0) {
			CU_ASSERT_EQUAL(out.cpc, IWF_CPC_ORDINARY);
			CU_ASSERT_EQUAL(out.called.npi, IWF_NPI_ISDN);
			if (out.calling.present)
				CU_ASSERT_EQUAL(out.calling.npi, IWF_NPI_ISDN);
		}
	}
}

/* ------------------------------------------------------------------------
 * ISUP -> SIP
 * ------------------------------------------------------------------------ */

/* "NAI/PRES/SCREEN/DIGITS" as fmt_party() writes it, or NULL: absent */
static void parse_party(struct iwf_party_number *p, const char *s)
{
	memset(p, 0, sizeof(*p));
	if (!s)
		return;
	p->present = true;
	p->npi = IWF_NPI_ISDN;
	p->nai = s[0] == 'i' ? IWF_NAI_INTERNATIONAL : s[0] == 'n' ? IWF_NAI_NATIONAL :
		 s[0] == 's' ? IWF_NAI_SUBSCRIBER : IWF_NAI_UNKNOWN;
	p->pres = s[2] == 'a' ? IWF_PRES_ALLOWED : s[2] == 'r' ? IWF_PRES_RESTRICTED :
		  IWF_PRES_NOT_AVAILABLE;
	p->screening = s[4] - '0';
	osmo_strlcpy(p->digits, s + 6, sizeof(p->digits));
}

static void fmt_tn(char *buf, size_t size, const struct iwf_sip_tn *tn)
{
	if (!tn->present)
		osmo_strlcpy(buf, "", size);
	else
		snprintf(buf, size, "%s%s", tn->global ? "+" : "", tn->digits);
}

static void test_isup_to_sip(void)
{
	static const struct {
		const char *name;
		const struct iwf_number_plan *plan;
		const char *cg, *gn, *cd;	/* parse_party() forms, NULL absent */
		int rc;
		const char *pai, *from, *ruri;	/* "" absent; from "anonymous" */
		unsigned int privacy;
	} v[] = {
		{ "international, allowed", &peer_a, "i/a/3/4930123456", NULL, "i/a/0/4940987654",
		  0, "+4930123456", "+4930123456", "+4940987654", 0 },
		{ "national peer", &peer_b, "n/a/3/30123456", NULL, "n/a/0/40987654",
		  0, "+4930123456", "+4930123456", "+4940987654", 0 },
		{ "NANP national", &peer_n, "n/a/3/2025550100", NULL, "n/a/0/2025550199",
		  0, "+12025550100", "+12025550100", "+12025550199", 0 },
		{ "subscriber with area code", &peer_b, "s/a/3/123456", NULL, "n/a/0/40987654",
		  0, "+4930123456", "+4930123456", "+4940987654", 0 },
		{ "subscriber without area code", &peer_a, "s/a/3/123456", NULL, "n/a/0/40987654",
		  -EINVAL, "", "", "", 0 },
		{ "restricted: Privacy id, From anonymous", &peer_a, "i/r/3/4930123456", NULL,
		  "i/a/0/4940987654", 0, "+4930123456", "anonymous", "+4940987654", IWF_PRIVACY_ID },
		{ "not available: no PAI, From anonymous", &peer_a, "i/-/3/", NULL, "i/a/0/4940987654",
		  0, "", "anonymous", "+4940987654", 0 },
		{ "not available with digits: still no PAI", &peer_a, "i/-/3/4930123456", NULL,
		  "i/a/0/4940987654", 0, "", "anonymous", "+4940987654", 0 },
		{ "no CgPN", &peer_a, NULL, NULL, "i/a/0/4940987654", 0, "", "anonymous", "+4940987654", 0 },
		{ "GN 6 goes to From", &peer_a, "i/a/3/4930123456", "i/a/0/4930999999", "i/a/0/4940987654",
		  0, "+4930123456", "+4930999999", "+4940987654", 0 },
		{ "GN 6 national", &peer_b, "n/a/3/30123456", "n/a/0/30999999", "n/a/0/40987654",
		  0, "+4930123456", "+4930999999", "+4940987654", 0 },
		{ "CgPN restricted, GN allowed", &peer_a, "i/r/3/4930123456", "i/a/0/4930999999",
		  "i/a/0/4940987654", 0, "+4930123456", "+4930999999", "+4940987654", IWF_PRIVACY_ID },
		{ "GN restricted: anonymous", &peer_a, "i/a/3/4930123456", "i/r/0/4930999999",
		  "i/a/0/4940987654", 0, "+4930123456", "anonymous", "+4940987654", 0 },
		{ "user provided, not verified: From only", &peer_a, "i/a/0/4930123456", NULL,
		  "i/a/0/4940987654", 0, "", "+4930123456", "+4940987654", 0 },
		{ "user provided, verified: asserted", &peer_a, "i/a/1/4930123456", NULL,
		  "i/a/0/4940987654", 0, "+4930123456", "+4930123456", "+4940987654", 0 },
		{ "user provided, failed: From only", &peer_a, "i/a/2/4930123456", NULL,
		  "i/a/0/4940987654", 0, "", "+4930123456", "+4940987654", 0 },
		{ "national, peer without CC", &peer_x, "n/a/3/30123456", NULL, "i/a/0/4940987654",
		  -EINVAL, "", "", "", 0 },
		{ "called with ST", &peer_a, "i/a/3/4930123456", NULL, "i/a/0/4940987654F",
		  0, "+4930123456", "+4930123456", "+4940987654", 0 },
		{ "bad digits in CdPN", &peer_a, "i/a/3/4930123456", NULL, "i/a/0/49409B7654",
		  -EINVAL, "", "", "", 0 },
		{ "bad digits in CgPN", &peer_a, "i/a/3/49301C3456", NULL, "i/a/0/4940987654",
		  -EINVAL, "", "", "", 0 },
		{ "bad digits in GN", &peer_a, "i/a/3/4930123456", "i/a/0/49309*", "i/a/0/4940987654",
		  -EINVAL, "", "", "", 0 },
		{ "no CdPN", &peer_a, "i/a/3/4930123456", NULL, NULL, -EINVAL, "", "", "", 0 },
	};
	struct iwf_isup_identity in;
	struct iwf_sip_identity out;
	char pai[32], from[32], ruri[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		int rc;

		memset(&in, 0, sizeof(in));
		parse_party(&in.calling, v[i].cg);
		parse_party(&in.addl_calling, v[i].gn);
		parse_party(&in.called, v[i].cd);
		rc = iwf_number_isup_to_sip(&out, &in, v[i].plan);
		fmt_tn(pai, sizeof(pai), &out.pai);
		if (out.from_anonymous)
			osmo_strlcpy(from, "anonymous", sizeof(from));
		else
			fmt_tn(from, sizeof(from), &out.from);
		fmt_tn(ruri, sizeof(ruri), &out.ruri);
		if (rc != v[i].rc || strcmp(pai, v[i].pai) || strcmp(from, v[i].from) ||
		    strcmp(ruri, v[i].ruri) || out.privacy != v[i].privacy)
			fprintf(stderr, "\n  %s: rc %d pai '%s' from '%s' ruri '%s' privacy %x", v[i].name,
				rc, pai, from, ruri, out.privacy);
		CU_ASSERT_EQUAL(rc, v[i].rc);
		CU_ASSERT_STRING_EQUAL(pai, v[i].pai);
		CU_ASSERT_STRING_EQUAL(from, v[i].from);
		CU_ASSERT_STRING_EQUAL(ruri, v[i].ruri);
		CU_ASSERT_EQUAL(out.privacy, v[i].privacy);
		if (out.from_anonymous) {
			CU_ASSERT_STRING_EQUAL(out.from_display, IWF_ANONYMOUS_DISPLAY);
		}
	}
}

/* SIP -> ISUP -> SIP gives the numbers back, for either peer format. */
static void test_round_trip(void)
{
	const struct iwf_number_plan *plans[] = { &peer_a, &peer_b, &peer_n };
	struct iwf_sip_identity in, back;
	struct iwf_isup_identity mid;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(plans); i++) {
		memset(&in, 0, sizeof(in));
		set_tn(&in.pai, "+4930123456");
		set_tn(&in.from, "+4930999999");
		set_tn(&in.ruri, "+12025550100");
		in.privacy = IWF_PRIVACY_ID;
		CU_ASSERT_EQUAL_FATAL(iwf_number_sip_to_isup(&mid, &in, plans[i]), 0);
		CU_ASSERT_EQUAL_FATAL(iwf_number_isup_to_sip(&back, &mid, plans[i]), 0);
		CU_ASSERT_STRING_EQUAL(back.pai.digits, "4930123456");
		CU_ASSERT_STRING_EQUAL(back.ruri.digits, "12025550100");
		CU_ASSERT_EQUAL(back.privacy, IWF_PRIVACY_ID);
		/* the GN was restricted too */
		CU_ASSERT(back.from_anonymous);
	}
}

static int setup(void *root)
{
	plans_init();
	return 0;
}

static const struct cunit_test tests[] = {
	{ "number plan", test_plan },
	{ "E.164 rule", test_e164 },
	{ "SIP user part parse", test_tn_parse },
	{ "SIP URI format", test_tn_uri },
	{ "SIP -> ISUP (Q.1912.5 6.1.3)", test_sip_to_isup },
	{ "ISUP -> SIP (Q.1912.5 7.1.3)", test_isup_to_sip },
	{ "round trip", test_round_trip },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "number", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "number_test",
	.log = CUNIT_LOG_SILENT,
	.setup = setup,
	.suites = suites,
};
