/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The replay step of an ISUP->SIP call with a shared replay store: what
 * the store's answer makes of the HOP (iwf_replay_store_verdict()), the
 * evidence and the policy's decision that follow, and when the HOP is
 * forgotten as the call ends (iwf_hop_forget_due()).  The store itself,
 * against a real Redis, is tests/src/core/replay_store_test.c; the whole path
 * through two IWFs is tests/integration/scale_failover.sh. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include <osmocom/core/utils.h>

#include "iwf/call_steps.h"
#include "iwf/cause.h"
#include "iwf/policy.h"
#include "tests/cunit_main.h"

/* store answer, on-failure local, hop-required -> verdict, ours, action, cause, hop_reason */
static const struct {
	const char *what;
	int store_rc;
	bool fail_local, hop_required;
	int verdict;
	bool ours;
	enum iwf_action action;
	uint8_t cause;
	enum iwf_hop_reason reason;
} rows[] = {
	{ "first seen", 0, false, true, 0, true, IWF_ACTION_FORWARD, 0, IWF_HOP_R_NONE },
	{ "replay, hop-required", -EALREADY, false, true, -EALREADY, false, IWF_ACTION_RELEASE, 21, IWF_HOP_R_REPLAY },
	{ "replay, lenient: attest C", -EALREADY, false, false, -EALREADY, false, IWF_ACTION_FORWARD, 0,
	  IWF_HOP_R_REPLAY },
	{ "replay, on-failure local changes nothing", -EALREADY, true, true, -EALREADY, false, IWF_ACTION_RELEASE, 21,
	  IWF_HOP_R_REPLAY },
	{ "timeout, reject", -ETIMEDOUT, false, true, -ENOLINK, false, IWF_ACTION_RELEASE, 21, IWF_HOP_R_STORE },
	{ "timeout, reject, lenient: still released", -ETIMEDOUT, false, false, -ENOLINK, false, IWF_ACTION_RELEASE,
	  21, IWF_HOP_R_STORE },
	{ "server down, reject", -ENOTCONN, false, true, -ENOLINK, false, IWF_ACTION_RELEASE, 21, IWF_HOP_R_STORE },
	{ "server error, reject", -EIO, false, true, -ENOLINK, false, IWF_ACTION_RELEASE, 21, IWF_HOP_R_STORE },
	{ "timeout, local", -ETIMEDOUT, true, true, 0, true, IWF_ACTION_FORWARD, 0, IWF_HOP_R_NONE },
	{ "server down, local", -ENOTCONN, true, true, 0, true, IWF_ACTION_FORWARD, 0, IWF_HOP_R_NONE },
};

static void test_verdicts(void)
{
	struct iwf_isup_evidence ev;
	struct iwf_decision d;
	struct iwf_policy p;
	unsigned int i;
	bool ours;
	int v;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		v = iwf_replay_store_verdict(rows[i].store_rc, rows[i].fail_local, &ours);
		if (v != rows[i].verdict || ours != rows[i].ours)
			fprintf(stderr, "\n  %s: verdict %d ours %d\n", rows[i].what, v, ours);
		CU_ASSERT_EQUAL(v, rows[i].verdict);
		CU_ASSERT_EQUAL(ours, rows[i].ours);

		/* a HOP by a full signer covering the calling number */
		memset(&ev, 0, sizeof(ev));
		ev.has_calling = true;
		ev.signer_class = IWF_SIGNER_CLASS_FULL;
		ev.signer_covers_calling = true;
		iwf_hop_evidence(&ev, v);
		iwf_policy_init(&p);
		p.hop_required = rows[i].hop_required;
		CU_ASSERT_EQUAL_FATAL(iwf_policy_isup_to_sip(&p, &ev, &d), 0);
		if (d.action != rows[i].action || ev.hop_reason != rows[i].reason)
			fprintf(stderr, "\n  %s: action %d reason %d\n", rows[i].what, d.action, ev.hop_reason);
		CU_ASSERT_EQUAL(d.action, rows[i].action);
		CU_ASSERT_EQUAL(ev.hop_reason, rows[i].reason);
		if (rows[i].action == IWF_ACTION_RELEASE)
			CU_ASSERT_EQUAL(d.cause, rows[i].cause);
		if (rows[i].reason == IWF_HOP_R_STORE)
			CU_ASSERT_EQUAL(d.reason, IWF_PR_ISUP_REPLAY_STORE_RELEASE);
		if (rows[i].action == IWF_ACTION_FORWARD && rows[i].reason == IWF_HOP_R_NONE)
			CU_ASSERT_EQUAL(d.attest, 'B');
	}
}

/* Forgotten only when ours, unanswered, ISUP->SIP and re-routable */
static void test_forget_due(void)
{
	CU_ASSERT_TRUE(iwf_hop_forget_due(true, true, false, 41));
	CU_ASSERT_TRUE(iwf_hop_forget_due(true, true, false, 34));
	CU_ASSERT_TRUE(iwf_hop_forget_due(true, true, false, 42));
	/* another IWF's (or a replay): never */
	CU_ASSERT_FALSE(iwf_hop_forget_due(true, false, false, 41));
	/* answered, then released: the IAM is spent */
	CU_ASSERT_FALSE(iwf_hop_forget_due(true, true, true, 41));
	/* final causes: the exchange does not try again */
	CU_ASSERT_FALSE(iwf_hop_forget_due(true, true, false, 16));
	CU_ASSERT_FALSE(iwf_hop_forget_due(true, true, false, 17));
	CU_ASSERT_FALSE(iwf_hop_forget_due(true, true, false, 21));
	CU_ASSERT_FALSE(iwf_hop_forget_due(true, true, false, 102));
	/* SIP->ISUP: no HOP of the exchange's */
	CU_ASSERT_FALSE(iwf_hop_forget_due(false, true, false, 41));
}

/* a forwarded INVITE's history reaches the IAM; one the IAM cannot carry
 * is left out and the IAM stays as it was */
static void test_divert(void)
{
	struct sip_divert d = {
		.present = true, .orig_called = "12025550100", .redirecting = "12025550100",
		.reason = SIP_DIVERT_USER_BUSY, .orig_reason = SIP_DIVERT_USER_BUSY, .counter = 1,
	};
	struct isup_msg *iam = calloc(1, sizeof(*iam));
	const struct isup_param *p;

	CU_ASSERT_FATAL(iam != NULL);
	CU_ASSERT_EQUAL_FATAL(isup_msg_init(iam, ISUP_MSG_IAM, 1), 0);
	d.present = false;
	CU_ASSERT_EQUAL(iwf_iam_add_divert(iam, &d, "c1"), 0);
	CU_ASSERT_EQUAL(iam->num_opt, 0);
	d.national = true;
	d.present = true;
	CU_ASSERT_EQUAL(iwf_iam_add_divert(iam, &d, "c1"), -EINVAL);
	CU_ASSERT_EQUAL(iam->num_opt, 0);
	d.national = false;
	CU_ASSERT_EQUAL(iwf_iam_add_divert(iam, &d, "c1"), 0);
	p = isup_msg_param_find_c(iam, ISUP_PAR_REDIRECTING_NUMBER);
	CU_ASSERT(p && !strcmp(p->u.number.digits, "12025550100"));
	p = isup_msg_param_find_c(iam, ISUP_PAR_REDIRECTION_INFO);
	CU_ASSERT(p && p->u.redir.reason == SIP_DIVERT_USER_BUSY && p->u.redir.counter == 1);
	/* and back: the IAM's redirection as a Diversion header */
	{
		char hdr[256];

		CU_ASSERT(iwf_invite_diversion(hdr, sizeof(hdr), iam, "1", "c1") > 0);
		CU_ASSERT_STRING_EQUAL(hdr, "<tel:+12025550100>;reason=user-busy;counter=1;privacy=off");
		CU_ASSERT_EQUAL(iwf_invite_diversion(hdr, 10, iam, "1", "c1"), -ENOSPC);
		CU_ASSERT_EQUAL_FATAL(isup_msg_init(iam, ISUP_MSG_IAM, 1), 0);
		CU_ASSERT_EQUAL(iwf_invite_diversion(hdr, sizeof(hdr), iam, "1", "c1"), 0);
		CU_ASSERT_STRING_EQUAL(hdr, "");
	}
	free(iam);
}

static const struct cunit_test tests[] = {
	{ "the shared store's answer, the evidence and the decision", test_verdicts },
	{ "a HOP forgotten after a re-routable release, only ours", test_forget_due },
	{ "a forwarded INVITE's history in the IAM", test_divert },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "call_steps", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "call_steps_test",
	.log = CUNIT_LOG_SILENT,
	.suites = suites,
};
