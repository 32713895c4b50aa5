/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The MAP border's decisions (iwf/map_policy.c): every category, policy,
 * verdict, home check, screening knob and dialogue state of a foreign
 * map-peer against the table of map_policy.h, written out here a second
 * time; a home peer is never blocked; and the operation -> category table
 * with its FS.11 defaults. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "iwf/map_policy.h"
#include "tests/cunit_main.h"

/* map_policy.h's table: [policy][valid][category] ->
 *   "fwd"   forwarded
 *   "block" blocked
 *   "home"  forwarded when the IMSI's home is the originator's network
 *   "cat3"  blocked under "screen cat3 block", else forwarded
 *   "sms"   blocked under "screen sms block", else forwarded
 * (reject, not valid: a new dialogue is blocked whatever its category,
 * a known one as under screen) */
static const char *const spec[3][2][_NUM_IWF_MAP_CAT] = {
	[IWF_MAP_POLICY_TAG] = {
		/*                 none   cat1   cat2   cat3   sms */
		[0] = { "fwd", "fwd", "fwd", "fwd", "fwd" },
		[1] = { "fwd", "fwd", "fwd", "fwd", "fwd" },
	},
	[IWF_MAP_POLICY_SCREEN] = {
		[0] = { "fwd", "block", "home", "cat3", "sms" },
		[1] = { "fwd", "fwd", "home", "fwd", "fwd" },
	},
	[IWF_MAP_POLICY_REJECT] = {
		[0] = { "fwd", "block", "home", "cat3", "sms" },
		[1] = { "fwd", "fwd", "home", "fwd", "fwd" },
	},
};

static bool expect_block(const struct iwf_map_screen *s, const struct iwf_map_facts *f)
{
	bool valid = f->verdict == IWF_MAP_V_VALID;
	const char *e;

	if (f->role == IWF_MAP_ROLE_HOME)
		return false;
	if (s->policy != IWF_MAP_POLICY_TAG && f->wrong_side)
		return true;
	if (s->policy == IWF_MAP_POLICY_REJECT && !valid && f->new_dialogue)
		return true;
	e = spec[s->policy][valid][f->cat];
	if (!strcmp(e, "fwd"))
		return false;
	if (!strcmp(e, "block"))
		return true;
	if (!strcmp(e, "home"))
		return !f->home;
	if (!strcmp(e, "cat3"))
		return s->cat3_block;
	return s->sms_block;
}

static enum iwf_map_decision_reason want_reason(const struct iwf_map_screen *s, const struct iwf_map_facts *f,
					       bool block)
{
	if (f->role == IWF_MAP_ROLE_HOME)
		return IWF_MAP_D_HOME;
	if (s->policy == IWF_MAP_POLICY_TAG)
		return IWF_MAP_D_TAG;
	if (f->wrong_side)
		return IWF_MAP_D_NOT_ITS_DIALOGUE;
	if (block && s->policy == IWF_MAP_POLICY_REJECT && f->new_dialogue && f->verdict != IWF_MAP_V_VALID)
		return IWF_MAP_D_NOT_SIGNED;
	if (block)
		return f->cat == IWF_MAP_CAT_1 ? IWF_MAP_D_CAT1 : f->cat == IWF_MAP_CAT_2 ? IWF_MAP_D_CAT2_NOT_HOME :
		       f->cat == IWF_MAP_CAT_3 ? IWF_MAP_D_CAT3 : IWF_MAP_D_SMS;
	if (f->cat == IWF_MAP_CAT_2)
		return IWF_MAP_D_CAT2_HOME;
	return f->verdict == IWF_MAP_V_VALID ? IWF_MAP_D_VALID : IWF_MAP_D_PASS;
}

static void test_every_case(void)
{
	static const enum iwf_map_verdict verdicts[] = {
		IWF_MAP_V_UNSIGNED, IWF_MAP_V_VALID, IWF_MAP_V_INVALID, IWF_MAP_V_HOME,
	};
	unsigned int role, pol, v, cat, home, nd, ws, knobs, n = 0, blocked = 0;

	for (role = 0; role < 2; role++)
	for (pol = 0; pol < 3; pol++)
	for (v = 0; v < ARRAY_SIZE(verdicts); v++)
	for (cat = 0; cat < _NUM_IWF_MAP_CAT; cat++)
	for (home = 0; home < 2; home++)
	for (nd = 0; nd < 2; nd++)
	for (ws = 0; ws < 2; ws++)
	for (knobs = 0; knobs < 4; knobs++) {
		struct iwf_map_screen s = {
			.policy = pol, .cat3_block = knobs & 1, .sms_block = knobs & 2,
		};
		struct iwf_map_facts f = {
			.role = role ? IWF_MAP_ROLE_HOME : IWF_MAP_ROLE_FOREIGN,
			.verdict = verdicts[v], .new_dialogue = nd, .cat = cat, .home = home, .wrong_side = ws,
		};
		struct iwf_map_decision d;
		bool want = expect_block(&s, &f);

		CU_ASSERT_EQUAL_FATAL(iwf_map_decide(&s, &f, &d), 0);
		if (d.block != want)
			fprintf(stderr, "\n  %s policy %s verdict %s %s home %u new %u wrong side %u knobs %u: "
				"%s, want %s\n",
				get_value_string(iwf_map_role_names, f.role), get_value_string(iwf_map_policy_names, pol),
				get_value_string(iwf_map_verdict_names, f.verdict),
				get_value_string(iwf_map_cat_names, cat), home, nd, ws, knobs,
				d.block ? "block" : "forward", want ? "block" : "forward");
		CU_ASSERT_EQUAL(d.block, want);
		/* the reason names what decided */
		CU_ASSERT_EQUAL(d.reason, want_reason(&s, &f, d.block));
		n++;
		blocked += d.block;
	}
	CU_ASSERT_EQUAL(n, 2 * 3 * 4 * 5 * 2 * 2 * 2 * 4);
	/* not everything, not nothing */
	CU_ASSERT(blocked > 0 && blocked < n);
}

/* The attacks of the SigPloit set, from a foreign network, unsigned: what
 * each policy does with them (FS.11 defaults) */
static void test_attacks(void)
{
	static const struct {
		const char *attack;
		unsigned int opcode;
		bool home;		/* the calling GT is of the IMSI's home network */
		bool tag, screen, screen_blocking, reject;	/* blocked? */
	} v[] = {
		/* cat3 and sms pass screening unless blocked by knob */
		{ "updateLocation, spoofed VLR (SMS interception)", 2, false, false, false, true, true },
		{ "sendRoutingInfoForSM (IMSI and MSC harvesting)", 45, false, false, false, true, true },
		{ "mt-forwardSM, spoofed SMSC", 44, false, false, false, true, true },
		{ "purgeMS (denial of service)", 67, false, false, false, true, true },
		/* cat1: blocked by screening */
		{ "anyTimeInterrogation (tracking)", 71, false, false, true, true, true },
		{ "sendIMSI", 58, false, false, true, true, true },
		{ "sendRoutingInfo", 22, false, false, true, true, true },
		/* cat2: blocked unless from the subscriber's home network */
		{ "provideSubscriberInfo (tracking)", 70, false, false, true, true, true },
		{ "cancelLocation (denial of service)", 3, false, false, true, true, true },
		{ "insertSubscriberData from the home HLR", 7, true, false, false, false, true },
	};
	struct iwf_map_cat_table t;
	unsigned int i;

	iwf_map_cat_table_init(&t);
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		struct iwf_map_facts f = {
			.role = IWF_MAP_ROLE_FOREIGN, .verdict = IWF_MAP_V_UNSIGNED, .new_dialogue = true,
			.cat = iwf_map_cat_of(&t, v[i].opcode), .home = v[i].home,
		};
		struct iwf_map_screen tag = { .policy = IWF_MAP_POLICY_TAG };
		struct iwf_map_screen screen = { .policy = IWF_MAP_POLICY_SCREEN };
		struct iwf_map_screen strict = { .policy = IWF_MAP_POLICY_SCREEN, .cat3_block = true,
						 .sms_block = true };
		struct iwf_map_screen reject = { .policy = IWF_MAP_POLICY_REJECT };
		struct iwf_map_decision d;

		iwf_map_decide(&tag, &f, &d);
		CU_ASSERT_EQUAL(d.block, v[i].tag);
		iwf_map_decide(&screen, &f, &d);
		if (d.block != v[i].screen)
			fprintf(stderr, "\n  %s under screen: %s\n", v[i].attack, d.block ? "blocked" : "forwarded");
		CU_ASSERT_EQUAL(d.block, v[i].screen);
		iwf_map_decide(&strict, &f, &d);
		CU_ASSERT_EQUAL(d.block, v[i].screen_blocking);
		iwf_map_decide(&reject, &f, &d);
		CU_ASSERT_EQUAL(d.block, v[i].reject);
		/* signed by a signer the map lets use the GT: all pass but cat2
		 * of another network's subscriber */
		f.verdict = IWF_MAP_V_VALID;
		iwf_map_decide(&reject, &f, &d);
		CU_ASSERT_EQUAL(d.block, f.cat == IWF_MAP_CAT_2 && !v[i].home);
	}
}

static void test_categories(void)
{
	static const struct {
		unsigned int opcode;
		enum iwf_map_cat cat;
	} v[] = {
		{ 71, IWF_MAP_CAT_1 }, { 58, IWF_MAP_CAT_1 }, { 22, IWF_MAP_CAT_1 }, { 24, IWF_MAP_CAT_1 },
		{ 70, IWF_MAP_CAT_2 }, { 7, IWF_MAP_CAT_2 }, { 8, IWF_MAP_CAT_2 }, { 3, IWF_MAP_CAT_2 },
		{ 4, IWF_MAP_CAT_2 },
		{ 2, IWF_MAP_CAT_3 }, { 23, IWF_MAP_CAT_3 }, { 67, IWF_MAP_CAT_3 }, { 56, IWF_MAP_CAT_3 },
		{ 59, IWF_MAP_CAT_3 },
		{ 45, IWF_MAP_CAT_SMS }, { 44, IWF_MAP_CAT_SMS }, { 46, IWF_MAP_CAT_SMS },
		{ 0, IWF_MAP_CAT_NONE }, { 37, IWF_MAP_CAT_NONE }, { 47, IWF_MAP_CAT_NONE },
		{ 64, IWF_MAP_CAT_NONE }, { 255, IWF_MAP_CAT_NONE },
	};
	struct iwf_map_cat_table t;
	unsigned int i, n = 0;

	iwf_map_cat_table_init(&t);
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		CU_ASSERT_EQUAL(iwf_map_cat_of(&t, v[i].opcode), v[i].cat);
		CU_ASSERT_EQUAL(iwf_map_cat_default(v[i].opcode), v[i].cat);
	}
	/* exactly the 17 operations of map_policy.h have one */
	for (i = 0; i <= IWF_MAP_OPCODE_MAX; i++)
		n += iwf_map_cat_of(&t, i) != IWF_MAP_CAT_NONE;
	CU_ASSERT_EQUAL(n, 17);
	/* codes no MAP operation has */
	CU_ASSERT_EQUAL(iwf_map_cat_of(&t, -1), IWF_MAP_CAT_NONE);
	CU_ASSERT_EQUAL(iwf_map_cat_of(&t, 256), IWF_MAP_CAT_NONE);
	CU_ASSERT_EQUAL(iwf_map_cat_of(&t, INT64_MAX), IWF_MAP_CAT_NONE);

	/* configured, and back */
	CU_ASSERT_EQUAL(iwf_map_cat_set(&t, 71, IWF_MAP_CAT_NONE), 0);
	CU_ASSERT_EQUAL(iwf_map_cat_of(&t, 71), IWF_MAP_CAT_NONE);
	CU_ASSERT_TRUE(t.configured[71]);
	CU_ASSERT_EQUAL(iwf_map_cat_set(&t, 131, IWF_MAP_CAT_2), 0);
	CU_ASSERT_EQUAL(iwf_map_cat_of(&t, 131), IWF_MAP_CAT_2);
	CU_ASSERT_EQUAL(iwf_map_cat_unset(&t, 71), 0);
	CU_ASSERT_EQUAL(iwf_map_cat_of(&t, 71), IWF_MAP_CAT_1);
	CU_ASSERT_FALSE(t.configured[71]);
	CU_ASSERT_EQUAL(iwf_map_cat_set(&t, 256, IWF_MAP_CAT_1), -EINVAL);
	CU_ASSERT_EQUAL(iwf_map_cat_set(&t, 1, _NUM_IWF_MAP_CAT), -EINVAL);
	CU_ASSERT_EQUAL(iwf_map_cat_unset(&t, 256), -EINVAL);
}

static void test_bad_input(void)
{
	struct iwf_map_screen s = { .policy = IWF_MAP_POLICY_SCREEN };
	struct iwf_map_facts f = { .role = IWF_MAP_ROLE_FOREIGN, .cat = IWF_MAP_CAT_1 };
	struct iwf_map_decision d;

	CU_ASSERT_EQUAL(iwf_map_decide(NULL, &f, &d), -EINVAL);
	CU_ASSERT_EQUAL(iwf_map_decide(&s, NULL, &d), -EINVAL);
	f.cat = _NUM_IWF_MAP_CAT;
	CU_ASSERT_EQUAL(iwf_map_decide(&s, &f, &d), -EINVAL);
	f.cat = IWF_MAP_CAT_1;
	s.policy = 7;
	CU_ASSERT_EQUAL(iwf_map_decide(&s, &f, &d), -EINVAL);
	s.policy = IWF_MAP_POLICY_SCREEN;
	f.role = 5;
	CU_ASSERT_EQUAL(iwf_map_decide(&s, &f, &d), -EINVAL);
	/* every enum that reaches a log has a name */
	CU_ASSERT_STRING_EQUAL(get_value_string(iwf_map_reason_names, IWF_MAP_R_ORIG_NOT_AUTHORISED),
			       "orig-not-authorised");
	CU_ASSERT_STRING_EQUAL(get_value_string(iwf_map_decision_reason_names, IWF_MAP_D_CAT2_NOT_HOME),
			       "cat2-not-home");
	CU_ASSERT_STRING_EQUAL(get_value_string(iwf_map_block_action_names, IWF_MAP_BLOCK_TC_ABORT), "tc-abort");
}

static const struct cunit_test tests[] = {
	{ "every category x policy x verdict x home x dialogue", test_every_case },
	{ "the attacks under each policy", test_attacks },
	{ "the operation -> category table", test_categories },
	{ "bad input", test_bad_input },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "map policy", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "map_policy_test",
	.log = CUNIT_LOG_SILENT,
	.suites = suites,
};
