/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MAP screening by FS.11 category, with signatures (see map_policy.h). */

#include <errno.h>
#include <string.h>

#include "iwf/map_policy.h"

const struct value_string iwf_map_cat_names[] = {
	{ IWF_MAP_CAT_NONE,	"none" },
	{ IWF_MAP_CAT_1,	"cat1" },
	{ IWF_MAP_CAT_2,	"cat2" },
	{ IWF_MAP_CAT_3,	"cat3" },
	{ IWF_MAP_CAT_SMS,	"sms" },
	{ 0, NULL }
};

const struct value_string iwf_map_role_names[] = {
	{ IWF_MAP_ROLE_FOREIGN,	"foreign" },
	{ IWF_MAP_ROLE_HOME,	"home" },
	{ 0, NULL }
};

const struct value_string iwf_map_policy_names[] = {
	{ IWF_MAP_POLICY_TAG,		"tag" },
	{ IWF_MAP_POLICY_SCREEN,	"screen" },
	{ IWF_MAP_POLICY_REJECT,	"reject" },
	{ 0, NULL }
};

const struct value_string iwf_map_block_action_names[] = {
	{ IWF_MAP_BLOCK_DROP,		"drop" },
	{ IWF_MAP_BLOCK_UDTS,		"udts" },
	{ IWF_MAP_BLOCK_TC_ABORT,	"tc-abort" },
	{ 0, NULL }
};

const struct value_string iwf_map_verdict_names[] = {
	{ IWF_MAP_V_UNSIGNED,	"unsigned" },
	{ IWF_MAP_V_VALID,	"valid" },
	{ IWF_MAP_V_INVALID,	"invalid" },
	{ IWF_MAP_V_HOME,	"home" },
	{ 0, NULL }
};

const struct value_string iwf_map_reason_names[] = {
	{ IWF_MAP_R_NONE,			"none" },
	{ IWF_MAP_R_MALFORMED,			"malformed" },
	{ IWF_MAP_R_BAD_SIGNATURE,		"bad-signature" },
	{ IWF_MAP_R_UNKNOWN_SIGNER,		"unknown-signer" },
	{ IWF_MAP_R_UNTRUSTED,			"untrusted" },
	{ IWF_MAP_R_REVOKED,			"revoked" },
	{ IWF_MAP_R_STALE,			"stale" },
	{ IWF_MAP_R_FUTURE,			"future" },
	{ IWF_MAP_R_REPLAY,			"replay" },
	{ IWF_MAP_R_ORIG_NOT_AUTHORISED,	"orig-not-authorised" },
	{ IWF_MAP_R_BUSY,			"busy" },
	{ IWF_MAP_R_NO_TRUST,			"no-trust" },
	{ IWF_MAP_R_OVERLOAD,			"overload" },
	{ IWF_MAP_R_INTERNAL,			"internal" },
	{ 0, NULL }
};

const struct value_string iwf_map_decision_reason_names[] = {
	{ IWF_MAP_D_HOME,		"home" },
	{ IWF_MAP_D_TAG,		"tag" },
	{ IWF_MAP_D_VALID,		"valid" },
	{ IWF_MAP_D_PASS,		"pass" },
	{ IWF_MAP_D_CAT2_HOME,		"cat2-home" },
	{ IWF_MAP_D_CAT1,		"cat1" },
	{ IWF_MAP_D_CAT2_NOT_HOME,	"cat2-not-home" },
	{ IWF_MAP_D_CAT3,		"cat3" },
	{ IWF_MAP_D_SMS,		"sms" },
	{ IWF_MAP_D_NOT_SIGNED,		"not-signed" },
	{ IWF_MAP_D_NOT_ITS_DIALOGUE,	"not-its-dialogue" },
	{ 0, NULL }
};

/* The defaults of map_policy.h, TS 29.002 §17.5 operation codes */
static const struct {
	uint8_t opcode;
	uint8_t cat;
} cat_defaults[] = {
	{ 71, IWF_MAP_CAT_1 },		/* anyTimeInterrogation */
	{ 58, IWF_MAP_CAT_1 },		/* sendIMSI */
	{ 22, IWF_MAP_CAT_1 },		/* sendRoutingInfo */
	{ 24, IWF_MAP_CAT_1 },		/* sendRoutingInfoForGprs */
	{ 70, IWF_MAP_CAT_2 },		/* provideSubscriberInfo */
	{ 7, IWF_MAP_CAT_2 },		/* insertSubscriberData */
	{ 8, IWF_MAP_CAT_2 },		/* deleteSubscriberData */
	{ 3, IWF_MAP_CAT_2 },		/* cancelLocation */
	{ 4, IWF_MAP_CAT_2 },		/* provideRoamingNumber */
	{ 2, IWF_MAP_CAT_3 },		/* updateLocation */
	{ 23, IWF_MAP_CAT_3 },		/* updateGprsLocation */
	{ 67, IWF_MAP_CAT_3 },		/* purgeMS */
	{ 56, IWF_MAP_CAT_3 },		/* sendAuthenticationInfo */
	{ 59, IWF_MAP_CAT_3 },		/* processUnstructuredSS-Request */
	{ 45, IWF_MAP_CAT_SMS },	/* sendRoutingInfoForSM */
	{ 44, IWF_MAP_CAT_SMS },	/* mt-forwardSM */
	{ 46, IWF_MAP_CAT_SMS },	/* mo-forwardSM, forwardSM (v1, v2) */
};

enum iwf_map_cat iwf_map_cat_default(unsigned int opcode)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cat_defaults); i++) {
		if (cat_defaults[i].opcode == opcode)
			return cat_defaults[i].cat;
	}
	return IWF_MAP_CAT_NONE;
}

void iwf_map_cat_table_init(struct iwf_map_cat_table *t)
{
	unsigned int i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i <= IWF_MAP_OPCODE_MAX; i++)
		t->cat[i] = iwf_map_cat_default(i);
}

int iwf_map_cat_set(struct iwf_map_cat_table *t, unsigned int opcode, enum iwf_map_cat cat)
{
	if (opcode > IWF_MAP_OPCODE_MAX || (unsigned int)cat >= _NUM_IWF_MAP_CAT)
		return -EINVAL;
	t->cat[opcode] = cat;
	t->configured[opcode] = true;
	return 0;
}

int iwf_map_cat_unset(struct iwf_map_cat_table *t, unsigned int opcode)
{
	if (opcode > IWF_MAP_OPCODE_MAX)
		return -EINVAL;
	t->cat[opcode] = iwf_map_cat_default(opcode);
	t->configured[opcode] = false;
	return 0;
}

enum iwf_map_cat iwf_map_cat_of(const struct iwf_map_cat_table *t, int64_t opcode)
{
	if (opcode < 0 || opcode > IWF_MAP_OPCODE_MAX)
		return IWF_MAP_CAT_NONE;
	return t->cat[opcode];
}

static void set(struct iwf_map_decision *d, bool block, enum iwf_map_decision_reason reason)
{
	d->block = block;
	d->reason = reason;
}

int iwf_map_decide(const struct iwf_map_screen *s, const struct iwf_map_facts *f, struct iwf_map_decision *d)
{
	bool valid;

	memset(d, 0, sizeof(*d));
	if (!s || !f || (unsigned int)f->cat >= _NUM_IWF_MAP_CAT)
		return -EINVAL;
	if (f->role == IWF_MAP_ROLE_HOME) {
		set(d, false, IWF_MAP_D_HOME);
		return 0;
	}
	if (f->role != IWF_MAP_ROLE_FOREIGN)
		return -EINVAL;
	valid = f->verdict == IWF_MAP_V_VALID;
	switch (s->policy) {
	case IWF_MAP_POLICY_TAG:
		set(d, false, IWF_MAP_D_TAG);
		return 0;
	case IWF_MAP_POLICY_REJECT:
	case IWF_MAP_POLICY_SCREEN:
		/* a TID guessed or overheard is no licence to speak in a
		 * dialogue between two others (map_policy.h) */
		if (f->wrong_side) {
			set(d, true, IWF_MAP_D_NOT_ITS_DIALOGUE);
			return 0;
		}
		break;
	default:
		return -EINVAL;
	}
	switch (s->policy) {
	case IWF_MAP_POLICY_REJECT:
		if (f->new_dialogue && !valid) {
			set(d, true, IWF_MAP_D_NOT_SIGNED);
			return 0;
		}
		break;
	default:
		break;
	}

	switch (f->cat) {
	case IWF_MAP_CAT_1:
		/* FS.11 cat1: only the home network sends these; a valid
		 * signature of a signer the map lets use the GT is that */
		if (valid)
			set(d, false, IWF_MAP_D_VALID);
		else
			set(d, true, IWF_MAP_D_CAT1);
		break;
	case IWF_MAP_CAT_2:
		/* a signature proves who sent it, not that it may speak of
		 * this subscriber: the home check holds for valid ones too */
		if (f->home)
			set(d, false, IWF_MAP_D_CAT2_HOME);
		else
			set(d, true, IWF_MAP_D_CAT2_NOT_HOME);
		break;
	case IWF_MAP_CAT_3:
		if (valid)
			set(d, false, IWF_MAP_D_VALID);
		else if (s->cat3_block)
			set(d, true, IWF_MAP_D_CAT3);
		else
			set(d, false, IWF_MAP_D_PASS);
		break;
	case IWF_MAP_CAT_SMS:
		if (valid)
			set(d, false, IWF_MAP_D_VALID);
		else if (s->sms_block)
			set(d, true, IWF_MAP_D_SMS);
		else
			set(d, false, IWF_MAP_D_PASS);
		break;
	default:
		set(d, false, valid ? IWF_MAP_D_VALID : IWF_MAP_D_PASS);
		break;
	}
	return 0;
}
