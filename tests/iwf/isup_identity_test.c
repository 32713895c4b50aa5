/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of iwf/isup_identity.c: the identity of an IAM to and from
 * the neutral form of iwf/number.h, through the Q.763 codec, and what a
 * backward message means to SIP. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "src/core/logging.h"
#include "iwf/isup_identity.h"
#include "ss7/sigtoken.h"
#include "tests/cunit_main.h"

static void set_party(struct iwf_party_number *p, uint8_t nai, uint8_t pres, uint8_t scr, const char *d)
{
	memset(p, 0, sizeof(*p));
	p->present = true;
	p->nai = nai;
	p->npi = IWF_NPI_ISDN;
	p->pres = pres;
	p->screening = scr;
	osmo_strlcpy(p->digits, d, sizeof(p->digits));
}

/* SIP diversion -> IAM (Q.763 §3.38, §3.44, §3.45) -> wire -> SIP diversion,
 * and the SIP headers it makes on the far side */
static void test_divert(void)
{
	struct sip_divert d = {
		.present = true, .orig_called = "4930111", .redirecting = "4930222",
		.orig_reason = SIP_DIVERT_USER_BUSY, .reason = SIP_DIVERT_NOT_REACHABLE, .counter = 2,
	};
	struct iwf_isup_identity in;
	struct isup_msg *iam = calloc(1, sizeof(*iam)), *rx = calloc(1, sizeof(*rx));
	const struct isup_param *p;
	struct sip_divert back;
	char hdr[256];
	uint8_t buf[512];
	int len;

	CU_ASSERT_FATAL(iam && rx);
	memset(&in, 0, sizeof(in));
	set_party(&in.called, IWF_NAI_INTERNATIONAL, 0, 0, "4930333");
	set_party(&in.calling, IWF_NAI_INTERNATIONAL, 0, IWF_SCREEN_NETWORK, "12025550001");
	CU_ASSERT_EQUAL_FATAL(isup_iam_from_identity(iam, 7, &in, true), 0);
	/* no redirection parameters: not diverted */
	CU_ASSERT_EQUAL(isup_iam_divert_get(&back, iam, "49"), 0);
	CU_ASSERT(!back.present);
	CU_ASSERT_EQUAL(isup_iam_divert_put(iam, &d), 0);
	len = isup_msg_encode(buf, sizeof(buf), iam);
	CU_ASSERT_FATAL(len > 0);
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(rx, buf, len), len);
	p = isup_msg_param_find_c(rx, ISUP_PAR_REDIRECTION_INFO);
	CU_ASSERT(p && p->u.redir.indicator == 3 && p->u.redir.orig_reason == 1 && p->u.redir.counter == 2 &&
		  p->u.redir.reason == 6);
	p = isup_msg_param_find_c(rx, ISUP_PAR_ORIG_CALLED_NUMBER);
	CU_ASSERT(p && !strcmp(p->u.number.digits, "4930111") && p->u.number.nai == ISUP_NAI_INTERNATIONAL);
	CU_ASSERT_EQUAL(isup_iam_divert_get(&back, rx, "49"), 0);
	CU_ASSERT_EQUAL(memcmp(&back, &d, sizeof(d)), 0);
	CU_ASSERT(sip_diversion_format(hdr, sizeof(hdr), &back) > 0);
	CU_ASSERT_STRING_EQUAL(hdr, "<tel:+4930222>;reason=unavailable;counter=1;privacy=off,"
				    "<tel:+4930111>;reason=user-busy;counter=1;privacy=off");

	/* a national redirecting number takes the country code; no OCN: the
	 * RDN is also the original called number; indicator 4 restricts */
	isup_msg_opt_del(rx, (unsigned int)(isup_msg_param_find_c(rx, ISUP_PAR_ORIG_CALLED_NUMBER) - rx->opt));
	isup_msg_param_find(rx, ISUP_PAR_REDIRECTING_NUMBER)->u.number.nai = ISUP_NAI_NATIONAL;
	osmo_strlcpy(isup_msg_param_find(rx, ISUP_PAR_REDIRECTING_NUMBER)->u.number.digits, "30222",
		     ISUP_NUMBER_MAX_DIGITS);
	isup_msg_param_find(rx, ISUP_PAR_REDIRECTION_INFO)->u.redir.indicator = 4;
	CU_ASSERT_EQUAL(isup_iam_divert_get(&back, rx, "49"), 0);
	CU_ASSERT_STRING_EQUAL(back.redirecting, "4930222");
	CU_ASSERT_STRING_EQUAL(back.orig_called, "4930222");
	CU_ASSERT(back.restricted);
	/* a subscriber number cannot be made E.164 */
	isup_msg_param_find(rx, ISUP_PAR_REDIRECTING_NUMBER)->u.number.nai = ISUP_NAI_SUBSCRIBER;
	CU_ASSERT_EQUAL(isup_iam_divert_get(&back, rx, "49"), -EDOM);
	CU_ASSERT(!back.present);
	/* refused: not diverted, bad number, counter out of range */
	d.counter = 6;
	CU_ASSERT_EQUAL(isup_iam_divert_put(iam, &d), -EINVAL);
	d.counter = 1;
	osmo_strlcpy(d.redirecting, "49x", sizeof(d.redirecting));
	CU_ASSERT_EQUAL(isup_iam_divert_put(iam, &d), -EINVAL);
	d.present = false;
	CU_ASSERT_EQUAL(isup_iam_divert_put(iam, &d), -EINVAL);
	free(iam);
	free(rx);
}

static void test_roundtrip(void)
{
	struct iwf_isup_identity in, out;
	struct isup_msg *iam = calloc(1, sizeof(*iam)), *rx = calloc(1, sizeof(*rx));
	struct sigtoken_call sc;
	const struct isup_param *p;
	uint8_t buf[512];
	int len;

	memset(&in, 0, sizeof(in));
	set_party(&in.called, IWF_NAI_INTERNATIONAL, 0, 0, "12025550100");
	set_party(&in.calling, IWF_NAI_INTERNATIONAL, IWF_PRES_RESTRICTED, IWF_SCREEN_NETWORK, "12025550001");
	set_party(&in.addl_calling, IWF_NAI_NATIONAL, IWF_PRES_RESTRICTED, IWF_SCREEN_USER_NOT_VERIFIED,
		  "2025550002");
	in.cpc = IWF_CPC_ORDINARY;
	CU_ASSERT_EQUAL(isup_iam_from_identity(iam, 7, &in, true), 0);
	len = isup_msg_encode(buf, sizeof(buf), iam);
	CU_ASSERT_FATAL(len > 0);
	CU_ASSERT_EQUAL(isup_msg_decode(rx, buf, len), len);
	CU_ASSERT_EQUAL(rx->cic, 7);
	p = isup_msg_param_find_c(rx, ISUP_PAR_FCI);
	CU_ASSERT(p && p->u.fci.international == 1 && p->u.fci.isup == 1);
	CU_ASSERT_EQUAL(isup_iam_to_identity(&out, rx), 0);
	CU_ASSERT_STRING_EQUAL(out.called.digits, "12025550100");
	CU_ASSERT_EQUAL(out.called.nai, IWF_NAI_INTERNATIONAL);
	CU_ASSERT_STRING_EQUAL(out.calling.digits, "12025550001");
	CU_ASSERT_EQUAL(out.calling.pres, IWF_PRES_RESTRICTED);
	CU_ASSERT_EQUAL(out.calling.screening, IWF_SCREEN_NETWORK);
	CU_ASSERT(out.addl_calling.present);
	CU_ASSERT_STRING_EQUAL(out.addl_calling.digits, "2025550002");
	CU_ASSERT_EQUAL(out.addl_calling.nai, IWF_NAI_NATIONAL);
	CU_ASSERT_EQUAL(out.cpc, IWF_CPC_ORDINARY);
	/* what HOP signs agrees with what was put in */
	CU_ASSERT_EQUAL(sigtoken_call_from_iam(&sc, rx, "1"), 0);
	CU_ASSERT_STRING_EQUAL(sc.orig, "12025550001");
	CU_ASSERT_STRING_EQUAL(sc.dest, "12025550100");
	CU_ASSERT_STRING_EQUAL(sc.addl, "12025550002");

	/* no calling number, no generic number */
	memset(&in, 0, sizeof(in));
	set_party(&in.called, IWF_NAI_NATIONAL, 0, 0, "2025550100");
	CU_ASSERT_EQUAL(isup_iam_from_identity(iam, 1, &in, false), 0);
	CU_ASSERT_EQUAL(isup_iam_to_identity(&out, iam), 0);
	CU_ASSERT(!out.calling.present);
	CU_ASSERT(!out.addl_calling.present);

	/* no called number: refused */
	memset(&in, 0, sizeof(in));
	CU_ASSERT_EQUAL(isup_iam_from_identity(iam, 1, &in, false), -EINVAL);
	/* not an IAM */
	isup_msg_init(iam, ISUP_MSG_ACM, 1);
	CU_ASSERT_EQUAL(isup_iam_to_identity(&out, iam), -EINVAL);
	free(iam);
	free(rx);
}

static void test_progress(void)
{
	struct isup_msg *m = calloc(1, sizeof(*m));
	struct isup_param *p;

	isup_msg_init(m, ISUP_MSG_ACM, 1);
	p = isup_msg_param_find(m, ISUP_PAR_BCI);
	p->u.bci.called_status = 1;
	CU_ASSERT_EQUAL(isup_msg_sip_progress(m), 180);
	p->u.bci.called_status = 0;
	CU_ASSERT_EQUAL(isup_msg_sip_progress(m), 183);
	isup_msg_init(m, ISUP_MSG_CPG, 1);
	p = isup_msg_param_find(m, ISUP_PAR_EVENT_INFO);
	p->u.event.event = ISUP_EVENT_ALERTING;
	CU_ASSERT_EQUAL(isup_msg_sip_progress(m), 180);
	p->u.event.event = ISUP_EVENT_PROGRESS;
	CU_ASSERT_EQUAL(isup_msg_sip_progress(m), 183);
	p->u.event.event = ISUP_EVENT_FWD_BUSY;
	CU_ASSERT_EQUAL(isup_msg_sip_progress(m), 0);
	isup_msg_init(m, ISUP_MSG_ANM, 1);
	CU_ASSERT_EQUAL(isup_msg_sip_progress(m), 0);
	free(m);
}

/* in-band information (early media) and the hold notifications, through
 * the codec: what is encoded is what the far end decodes */
static void test_inband_hold(void)
{
	struct isup_msg *m = calloc(1, sizeof(*m)), *d = calloc(1, sizeof(*d));
	struct isup_param *p;
	uint8_t buf[272];
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	isup_msg_init(m, ISUP_MSG_ACM, 1);
	CU_ASSERT_FALSE(isup_msg_inband(m));
	p = isup_msg_opt_add(m, ISUP_PAR_OBCI);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	p->u.obci.inband = 1;
	n = isup_msg_encode(buf, sizeof(buf), m);
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(d, buf, (size_t)n), n);
	CU_ASSERT_TRUE(isup_msg_inband(d));
	CU_ASSERT_EQUAL(isup_msg_notification(d), -1);

	isup_msg_init(m, ISUP_MSG_CPG, 1);
	p = isup_msg_param_find(m, ISUP_PAR_EVENT_INFO);
	p->u.event.event = ISUP_EVENT_INBAND_INFO;
	CU_ASSERT_TRUE(isup_msg_inband(m));
	CU_ASSERT_EQUAL(isup_msg_sip_progress(m), 183);
	p->u.event.event = ISUP_EVENT_PROGRESS;
	CU_ASSERT_FALSE(isup_msg_inband(m));
	CU_ASSERT_EQUAL(isup_msg_add_notification(m, IWF_GNI_REMOTE_HOLD), 0);
	n = isup_msg_encode(buf, sizeof(buf), m);
	CU_ASSERT_FATAL(n > 0);
	/* Q.763 §3.25: code 0x2c, length 1, extension bit set on the last octet */
	{
		bool found = false;
		int i;

		for (i = 0; i + 3 <= n; i++)
			found |= buf[i] == 0x2c && buf[i + 1] == 0x01 && buf[i + 2] == 0xf9;
		CU_ASSERT_TRUE(found);
	}
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(d, buf, (size_t)n), n);
	CU_ASSERT_EQUAL(isup_msg_notification(d), IWF_GNI_REMOTE_HOLD);
	isup_msg_init(m, ISUP_MSG_CPG, 1);
	CU_ASSERT_EQUAL(isup_msg_add_notification(m, IWF_GNI_REMOTE_RETRIEVAL), 0);
	CU_ASSERT_EQUAL(isup_msg_notification(m), IWF_GNI_REMOTE_RETRIEVAL);
	/* not on an ANM */
	isup_msg_init(m, ISUP_MSG_ANM, 1);
	CU_ASSERT_FALSE(isup_msg_inband(m));
	CU_ASSERT_EQUAL(isup_msg_notification(m), -1);
	free(m);
	free(d);
}

static const struct cunit_test tests[] = {
	{ "IAM identity round trip", test_roundtrip },
	{ "ACM/CPG to 180/183", test_progress },
	{ "in-band information and hold notifications", test_inband_hold },
	{ "forwarded call: Diversion to IAM redirection and back", test_divert },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "isup_identity", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "isup_identity_test",
	.log = CUNIT_LOG_STDERR,
	.suites = suites,
};
