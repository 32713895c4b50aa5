/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of iwf/policy.c: one row per line of the ARCHITECTURE §4 table, then the
 * per-peer variants and the edge cases (revoked, unknown and untrusted
 * signers, provisional signer covering the number, non-canonical PASSporT,
 * no calling number, inconsistent evidence), and the TSCA path as a whole:
 * trusted operator CAs that overreach in class or numbers (ARCHITECTURE §3). */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/keyid.h"
#include "certs/map.h"
#include "certs/truststore.h"
#include "certs/tsca.h"
#include "iwf/call_steps.h"
#include "iwf/policy.h"
#include "sip/stir_error.h"
#include "src/core/logging.h"
#include "ss7/sigtoken.h"
#include "tests/certs/testpki.h"
#include "tests/cunit_main.h"

/* policy variants */
enum pol {
	P_DEFAULT,	/* continue, nothing required, provisional capped at C */
	P_STRICT,	/* reject on STIR failure, identity and HOP required */
	P_PROV_B,	/* provisional signers may give B */
};

static void policy_for(struct iwf_policy *p, enum pol which)
{
	iwf_policy_init(p);
	switch (which) {
	case P_STRICT:
		p->on_stir_failure = IWF_STIR_FAIL_REJECT;
		p->identity_required = true;
		p->hop_required = true;
		break;
	case P_PROV_B:
		CU_ASSERT_EQUAL(iwf_policy_set_provisional_max_attest(p, 'B'), 0);
		break;
	default:
		break;
	}
}

static void test_defaults(void)
{
	struct iwf_policy p;

	iwf_policy_init(&p);
	CU_ASSERT_EQUAL(p.on_stir_failure, IWF_STIR_FAIL_CONTINUE);
	CU_ASSERT(!p.identity_required);
	CU_ASSERT(!p.hop_required);
	CU_ASSERT_EQUAL(p.provisional_max_attest, 'C');
	CU_ASSERT_EQUAL(p.aci, 90);
	CU_ASSERT_EQUAL(p.release_cause, 21);
	CU_ASSERT_EQUAL(p.busy_cause, 42);
	CU_ASSERT_EQUAL(iwf_policy_set_provisional_max_attest(&p, 'A'), -EINVAL);
	CU_ASSERT_EQUAL(iwf_policy_set_provisional_max_attest(&p, 'c'), -EINVAL);
	CU_ASSERT_EQUAL(p.provisional_max_attest, 'C');
	CU_ASSERT_EQUAL(iwf_policy_set_aci(&p, 63), -EINVAL);
	CU_ASSERT_EQUAL(iwf_policy_set_aci(&p, 128), -EINVAL);
	CU_ASSERT_EQUAL(iwf_policy_set_aci(&p, 127), 0);
	CU_ASSERT_EQUAL(p.aci, 127);
}

/* ------------------------------------------------------------------------
 * SIP -> ISUP
 * ------------------------------------------------------------------------ */

static void test_sip_to_isup(void)
{
	static const struct {
		const char *name;
		enum pol pol;
		/* evidence */
		bool identity;
		int stir;
		char attest;
		bool canonical;
		size_t x5u_len;
		/* decision */
		enum iwf_action action;
		const char *reason;
		int status;
		const char *phrase;
		const char *reason_hdr;
		bool passport;
		int verstat;		/* VERDICT, -1: no token */
		int verdict_reason;
	} v[] = {
		/* ARCHITECTURE §4 row 1 */
		{ "verifies", P_DEFAULT, true, 0, 'A', true, 40,
		  IWF_ACTION_FORWARD, "sip-verified", 0, NULL, "", true, STIR_VERSTAT_PASSED, 0 },
		/* row 2, each failure code, continue and reject */
		{ "436 continue", P_DEFAULT, true, 436, 0, true, 40,
		  IWF_ACTION_FORWARD, "sip-failed-continue", 0, NULL,
		  "SIP ;cause=436;text=\"Bad Identity Info\"", false, STIR_VERSTAT_FAILED, 436 },
		{ "437 continue", P_DEFAULT, true, 437, 0, true, 40,
		  IWF_ACTION_FORWARD, "sip-failed-continue", 0, NULL,
		  "SIP ;cause=437;text=\"Unsupported Credential\"", false, STIR_VERSTAT_FAILED, 437 },
		{ "438 continue", P_DEFAULT, true, 438, 0, true, 40,
		  IWF_ACTION_FORWARD, "sip-failed-continue", 0, NULL,
		  "SIP ;cause=438;text=\"Invalid Identity Header\"", false, STIR_VERSTAT_FAILED, 438 },
		{ "403 continue", P_DEFAULT, true, 403, 0, true, 40,
		  IWF_ACTION_FORWARD, "sip-failed-continue", 0, NULL,
		  "SIP ;cause=403;text=\"Stale Date\"", false, STIR_VERSTAT_FAILED, 403 },
		{ "436 reject", P_STRICT, true, 436, 0, true, 40,
		  IWF_ACTION_REJECT, "sip-failed-reject", 436, "Bad Identity Info",
		  "SIP ;cause=436;text=\"Bad Identity Info\"", false, -1, 0 },
		{ "437 reject", P_STRICT, true, 437, 0, true, 40,
		  IWF_ACTION_REJECT, "sip-failed-reject", 437, "Unsupported Credential",
		  "SIP ;cause=437;text=\"Unsupported Credential\"", false, -1, 0 },
		{ "438 reject", P_STRICT, true, 438, 0, true, 40,
		  IWF_ACTION_REJECT, "sip-failed-reject", 438, "Invalid Identity Header",
		  "SIP ;cause=438;text=\"Invalid Identity Header\"", false, -1, 0 },
		{ "403 reject", P_STRICT, true, 403, 0, true, 40,
		  IWF_ACTION_REJECT, "sip-failed-reject", 403, "Stale Date",
		  "SIP ;cause=403;text=\"Stale Date\"", false, -1, 0 },
		/* row 3 */
		{ "no Identity, continue", P_DEFAULT, false, 0, 0, false, 0,
		  IWF_ACTION_FORWARD, "sip-no-identity-continue", 0, NULL, "", false,
		  STIR_VERSTAT_NO_VALIDATION, 0 },
		{ "no Identity, 428", P_STRICT, false, 0, 0, false, 0,
		  IWF_ACTION_REJECT, "sip-no-identity-reject", 428, "Use Identity Header",
		  "SIP ;cause=428;text=\"Use Identity Header\"", false, -1, 0 },
		/* a strict peer still forwards a verified call */
		{ "verifies, strict peer", P_STRICT, true, 0, 'C', true, 40,
		  IWF_ACTION_FORWARD, "sip-verified", 0, NULL, "", true, STIR_VERSTAT_PASSED, 0 },
		/* ARCHITECTURE §2.2: no PASSPORT TLV when it cannot be rebuilt */
		{ "non-canonical PASSporT", P_DEFAULT, true, 0, 'B', false, 40,
		  IWF_ACTION_FORWARD, "sip-verified-noncanonical", 0, NULL, "", false,
		  STIR_VERSTAT_PASSED, 0 },
		{ "x5u of 169 fits", P_DEFAULT, true, 0, 'A', true, 169,
		  IWF_ACTION_FORWARD, "sip-verified", 0, NULL, "", true, STIR_VERSTAT_PASSED, 0 },
		{ "x5u of 170 does not", P_DEFAULT, true, 0, 'A', true, 170,
		  IWF_ACTION_FORWARD, "sip-verified-x5u-too-long", 0, NULL, "", false,
		  STIR_VERSTAT_PASSED, 0 },
	};
	struct iwf_policy p;
	struct iwf_sip_evidence ev;
	struct iwf_decision d;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		const char *reason;

		policy_for(&p, v[i].pol);
		memset(&ev, 0, sizeof(ev));
		ev.identity_present = v[i].identity;
		ev.stir_code = v[i].stir;
		ev.attest = v[i].attest;
		ev.passport_canonical = v[i].canonical;
		ev.x5u_len = v[i].x5u_len;
		CU_ASSERT_EQUAL_FATAL(iwf_policy_sip_to_isup(&p, &ev, &d), 0);
		reason = get_value_string(iwf_policy_reason_names, d.reason);
		if (d.action != v[i].action || strcmp(reason, v[i].reason))
			fprintf(stderr, "\n  %s: action %d reason %s", v[i].name, d.action, reason);
		CU_ASSERT_EQUAL(d.action, v[i].action);
		CU_ASSERT_STRING_EQUAL(reason, v[i].reason);
		CU_ASSERT_EQUAL(d.sip_status, v[i].status);
		if (v[i].phrase) {
			CU_ASSERT_PTR_NOT_NULL_FATAL(d.sip_phrase);
			CU_ASSERT_STRING_EQUAL(d.sip_phrase, v[i].phrase);
		} else {
			CU_ASSERT_PTR_NULL(d.sip_phrase);
		}
		CU_ASSERT_STRING_EQUAL(d.reason_header, v[i].reason_hdr);
		CU_ASSERT_EQUAL(d.tlv_passport, v[i].passport);
		if (v[i].verstat < 0) {
			/* a rejected call sends no IAM */
			CU_ASSERT(!d.tlv_hop);
			CU_ASSERT(!d.tlv_verdict);
		} else {
			/* HOP always, VERDICT always */
			CU_ASSERT(d.tlv_hop);
			CU_ASSERT(d.tlv_verdict);
			CU_ASSERT_EQUAL(d.verdict_verstat, v[i].verstat);
			CU_ASSERT_EQUAL(d.verdict_reason, v[i].verdict_reason);
			CU_ASSERT_EQUAL(d.aci, 90);
		}
		CU_ASSERT_EQUAL(d.identity, IWF_IDENTITY_NONE);
		CU_ASSERT_EQUAL(d.cause, 0);
	}

	/* the peer's ACI goes with the token */
	policy_for(&p, P_DEFAULT);
	CU_ASSERT_EQUAL(iwf_policy_set_aci(&p, 100), 0);
	memset(&ev, 0, sizeof(ev));
	CU_ASSERT_EQUAL(iwf_policy_sip_to_isup(&p, &ev, &d), 0);
	CU_ASSERT_EQUAL(d.aci, 100);
}

static void test_sip_bad_evidence(void)
{
	static const struct {
		int stir;
		char attest;
	} v[] = {
		{ 428, 0 },	/* 428 with an Identity present */
		{ 486, 0 },	/* not a STIR code */
		{ 0, 0 },	/* verified without attest */
		{ 0, 'D' },
		{ -1, 0 },
	};
	struct iwf_policy p;
	struct iwf_sip_evidence ev;
	struct iwf_decision d;
	unsigned int i;

	iwf_policy_init(&p);
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		memset(&ev, 0, sizeof(ev));
		ev.identity_present = true;
		ev.stir_code = v[i].stir;
		ev.attest = v[i].attest;
		ev.passport_canonical = true;
		ev.x5u_len = 40;
		CU_ASSERT_EQUAL(iwf_policy_sip_to_isup(&p, &ev, &d), -EINVAL);
		CU_ASSERT_EQUAL(d.action, IWF_ACTION_FORWARD);
		CU_ASSERT(!d.tlv_hop);
	}
}

/* ------------------------------------------------------------------------
 * ISUP -> SIP
 * ------------------------------------------------------------------------ */

static void test_isup_to_sip(void)
{
	enum { NOV = -1 };	/* no VERDICT TLV / no verstat */
	static const struct {
		const char *name;
		enum pol pol;
		/* evidence */
		enum iwf_hop_state hop;
		enum iwf_signer_trust trust;
		enum iwf_signer_class cls;
		bool covers;
		bool calling;
		bool pp_present, pp_verifies;
		int verdict;
		/* decision */
		enum iwf_action action;
		const char *reason;
		enum iwf_identity_action identity;
		char attest;
		int pai_verstat;
	} v[] = {
		/* ARCHITECTURE §4 row 4 */
		{ "HOP ok, PASSPORT verifies", P_DEFAULT, IWF_HOP_VALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_FULL, true, true, true, true, STIR_VERSTAT_PASSED,
		  IWF_ACTION_FORWARD, "isup-passport-verified", IWF_IDENTITY_REBUILD, 0, STIR_VERSTAT_PASSED },
		{ "HOP ok (provisional, not covering), PASSPORT verifies", P_DEFAULT, IWF_HOP_VALID,
		  IWF_SIGNER_OK, IWF_SIGNER_CLASS_PROVISIONAL, false, true, true, true, STIR_VERSTAT_PASSED,
		  IWF_ACTION_FORWARD, "isup-passport-verified", IWF_IDENTITY_REBUILD, 0, STIR_VERSTAT_PASSED },
		/* row 5 */
		{ "HOP ok, no PASSPORT, covered, full: B", P_DEFAULT, IWF_HOP_VALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_FULL, true, true, false, false, STIR_VERSTAT_PASSED,
		  IWF_ACTION_FORWARD, "isup-covered-full-b", IWF_IDENTITY_SIGN, 'B', STIR_VERSTAT_PASSED },
		{ "HOP ok, no PASSPORT, not covered: C", P_DEFAULT, IWF_HOP_VALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_FULL, false, true, false, false, STIR_VERSTAT_PASSED,
		  IWF_ACTION_FORWARD, "isup-not-covered-c", IWF_IDENTITY_SIGN, 'C', STIR_VERSTAT_PASSED },
		{ "HOP ok, no PASSPORT, provisional covering: C", P_DEFAULT, IWF_HOP_VALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_PROVISIONAL, true, true, false, false, STIR_VERSTAT_NO_VALIDATION,
		  IWF_ACTION_FORWARD, "isup-covered-provisional-c", IWF_IDENTITY_SIGN, 'C',
		  STIR_VERSTAT_NO_VALIDATION },
		{ "provisional covering, cap B: B", P_PROV_B, IWF_HOP_VALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_PROVISIONAL, true, true, false, false, STIR_VERSTAT_NO_VALIDATION,
		  IWF_ACTION_FORWARD, "isup-covered-provisional-b", IWF_IDENTITY_SIGN, 'B',
		  STIR_VERSTAT_NO_VALIDATION },
		{ "provisional not covering, cap B: C", P_PROV_B, IWF_HOP_VALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_PROVISIONAL, false, true, false, false, NOV,
		  IWF_ACTION_FORWARD, "isup-not-covered-c", IWF_IDENTITY_SIGN, 'C',
		  STIR_VERSTAT_NO_VALIDATION },
		{ "covered, class unknown: C", P_PROV_B, IWF_HOP_VALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_UNKNOWN, true, true, false, false, NOV,
		  IWF_ACTION_FORWARD, "isup-covered-class-unknown-c", IWF_IDENTITY_SIGN, 'C',
		  STIR_VERSTAT_NO_VALIDATION },
		{ "covered, full, VERDICT failed: C", P_DEFAULT, IWF_HOP_VALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_FULL, true, true, false, false, STIR_VERSTAT_FAILED,
		  IWF_ACTION_FORWARD, "isup-verdict-failed-c", IWF_IDENTITY_SIGN, 'C', STIR_VERSTAT_FAILED },
		{ "covered, full, VERDICT failed, strict: still C", P_STRICT, IWF_HOP_VALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_FULL, true, true, false, false, STIR_VERSTAT_FAILED,
		  IWF_ACTION_FORWARD, "isup-verdict-failed-c", IWF_IDENTITY_SIGN, 'C', STIR_VERSTAT_FAILED },
		{ "covered, full, no VERDICT: B, No-TN-Validation", P_DEFAULT, IWF_HOP_VALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_FULL, true, true, false, false, NOV,
		  IWF_ACTION_FORWARD, "isup-covered-full-b", IWF_IDENTITY_SIGN, 'B',
		  STIR_VERSTAT_NO_VALIDATION },
		/* row 6, continue and reject */
		{ "HOP missing: C", P_DEFAULT, IWF_HOP_MISSING, IWF_SIGNER_UNKNOWN,
		  IWF_SIGNER_CLASS_UNKNOWN, false, true, false, false, NOV,
		  IWF_ACTION_FORWARD, "isup-hop-missing-c", IWF_IDENTITY_SIGN, 'C', STIR_VERSTAT_NO_VALIDATION },
		{ "HOP missing: release", P_STRICT, IWF_HOP_MISSING, IWF_SIGNER_UNKNOWN,
		  IWF_SIGNER_CLASS_UNKNOWN, false, true, false, false, NOV,
		  IWF_ACTION_RELEASE, "isup-hop-missing-release", IWF_IDENTITY_NONE, 0, NOV },
		{ "HOP invalid: C, the VERDICT is ignored", P_DEFAULT, IWF_HOP_INVALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_FULL, true, true, false, false, STIR_VERSTAT_PASSED,
		  IWF_ACTION_FORWARD, "isup-hop-invalid-c", IWF_IDENTITY_SIGN, 'C', STIR_VERSTAT_NO_VALIDATION },
		{ "HOP invalid: release", P_STRICT, IWF_HOP_INVALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_FULL, true, true, false, false, STIR_VERSTAT_PASSED,
		  IWF_ACTION_RELEASE, "isup-hop-invalid-release", IWF_IDENTITY_NONE, 0, NOV },
		{ "HOP invalid, PASSPORT verifies: still C", P_DEFAULT, IWF_HOP_INVALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_FULL, true, true, true, true, STIR_VERSTAT_PASSED,
		  IWF_ACTION_FORWARD, "isup-hop-invalid-c", IWF_IDENTITY_SIGN, 'C', STIR_VERSTAT_NO_VALIDATION },
		/* signers the trust store does not vouch for */
		{ "revoked signer, valid signature: C", P_DEFAULT, IWF_HOP_VALID, IWF_SIGNER_REVOKED,
		  IWF_SIGNER_CLASS_FULL, true, true, true, true, STIR_VERSTAT_PASSED,
		  IWF_ACTION_FORWARD, "isup-signer-revoked-c", IWF_IDENTITY_SIGN, 'C',
		  STIR_VERSTAT_NO_VALIDATION },
		{ "revoked signer: release", P_STRICT, IWF_HOP_VALID, IWF_SIGNER_REVOKED,
		  IWF_SIGNER_CLASS_FULL, true, true, false, false, NOV,
		  IWF_ACTION_RELEASE, "isup-signer-revoked-release", IWF_IDENTITY_NONE, 0, NOV },
		{ "unknown signer: C", P_DEFAULT, IWF_HOP_INVALID, IWF_SIGNER_UNKNOWN,
		  IWF_SIGNER_CLASS_UNKNOWN, false, true, false, false, NOV,
		  IWF_ACTION_FORWARD, "isup-signer-unknown-c", IWF_IDENTITY_SIGN, 'C',
		  STIR_VERSTAT_NO_VALIDATION },
		{ "unknown signer: release", P_STRICT, IWF_HOP_INVALID, IWF_SIGNER_UNKNOWN,
		  IWF_SIGNER_CLASS_UNKNOWN, false, true, false, false, NOV,
		  IWF_ACTION_RELEASE, "isup-signer-unknown-release", IWF_IDENTITY_NONE, 0, NOV },
		{ "untrusted signer: C", P_DEFAULT, IWF_HOP_VALID, IWF_SIGNER_UNTRUSTED,
		  IWF_SIGNER_CLASS_FULL, true, true, false, false, NOV,
		  IWF_ACTION_FORWARD, "isup-signer-untrusted-c", IWF_IDENTITY_SIGN, 'C',
		  STIR_VERSTAT_NO_VALIDATION },
		/* PASSPORT present but not verifying */
		{ "PASSPORT fails: C, verstat failed", P_DEFAULT, IWF_HOP_VALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_FULL, true, true, true, false, STIR_VERSTAT_PASSED,
		  IWF_ACTION_FORWARD, "isup-passport-invalid-c", IWF_IDENTITY_SIGN, 'C', STIR_VERSTAT_FAILED },
		{ "PASSPORT fails: release", P_STRICT, IWF_HOP_VALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_FULL, true, true, true, false, STIR_VERSTAT_PASSED,
		  IWF_ACTION_RELEASE, "isup-passport-invalid-release", IWF_IDENTITY_NONE, 0, NOV },
		/* no calling number: nothing to sign */
		{ "no calling number", P_DEFAULT, IWF_HOP_VALID, IWF_SIGNER_OK,
		  IWF_SIGNER_CLASS_FULL, false, false, false, false, STIR_VERSTAT_NO_VALIDATION,
		  IWF_ACTION_FORWARD, "isup-no-calling", IWF_IDENTITY_NONE, 0, NOV },
		{ "no calling number, HOP missing", P_DEFAULT, IWF_HOP_MISSING, IWF_SIGNER_UNKNOWN,
		  IWF_SIGNER_CLASS_UNKNOWN, false, false, false, false, NOV,
		  IWF_ACTION_FORWARD, "isup-no-calling", IWF_IDENTITY_NONE, 0, NOV },
		{ "no calling number, HOP missing, strict", P_STRICT, IWF_HOP_MISSING, IWF_SIGNER_UNKNOWN,
		  IWF_SIGNER_CLASS_UNKNOWN, false, false, false, false, NOV,
		  IWF_ACTION_RELEASE, "isup-hop-missing-release", IWF_IDENTITY_NONE, 0, NOV },
	};
	struct iwf_policy p;
	struct iwf_isup_evidence ev;
	struct iwf_decision d;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		const char *reason;

		policy_for(&p, v[i].pol);
		memset(&ev, 0, sizeof(ev));
		ev.hop = v[i].hop;
		ev.hop_reason = v[i].hop == IWF_HOP_INVALID ? IWF_HOP_R_BAD_SIGNATURE : IWF_HOP_R_NONE;
		ev.signer_trust = v[i].trust;
		ev.signer_class = v[i].cls;
		ev.signer_covers_calling = v[i].covers;
		ev.has_calling = v[i].calling;
		ev.passport_present = v[i].pp_present;
		ev.passport_verifies = v[i].pp_verifies;
		ev.verdict_present = v[i].verdict != NOV;
		ev.verdict_verstat = v[i].verdict == NOV ? 0 : v[i].verdict;
		CU_ASSERT_EQUAL_FATAL(iwf_policy_isup_to_sip(&p, &ev, &d), 0);
		reason = get_value_string(iwf_policy_reason_names, d.reason);
		if (d.action != v[i].action || strcmp(reason, v[i].reason) || d.identity != v[i].identity ||
		    d.attest != v[i].attest)
			fprintf(stderr, "\n  %s: action %d reason %s identity %d attest %c", v[i].name,
				d.action, reason, d.identity, d.attest ? d.attest : '-');
		CU_ASSERT_EQUAL(d.action, v[i].action);
		CU_ASSERT_STRING_EQUAL(reason, v[i].reason);
		CU_ASSERT_EQUAL(d.identity, v[i].identity);
		CU_ASSERT_EQUAL(d.attest, v[i].attest);
		CU_ASSERT_EQUAL(d.has_pai_verstat, v[i].pai_verstat != NOV);
		if (v[i].pai_verstat != NOV) {
			CU_ASSERT_EQUAL(d.pai_verstat, v[i].pai_verstat);
		}
		/* REL cause 21 "call rejected" when refused */
		CU_ASSERT_EQUAL(d.cause, v[i].action == IWF_ACTION_RELEASE ? 21 : 0);
		/* nothing of the SIP -> ISUP direction */
		CU_ASSERT(!d.tlv_hop);
		CU_ASSERT(!d.tlv_passport);
		CU_ASSERT_EQUAL(d.sip_status, 0);
	}

	/* a peer's own release cause */
	policy_for(&p, P_STRICT);
	p.release_cause = 127;
	memset(&ev, 0, sizeof(ev));
	ev.hop = IWF_HOP_MISSING;
	ev.signer_trust = IWF_SIGNER_UNKNOWN;
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &ev, &d), 0);
	CU_ASSERT_EQUAL(d.action, IWF_ACTION_RELEASE);
	CU_ASSERT_EQUAL(d.cause, 127);
}

/* The HOP signer could not be looked up (the peer's rate of repository
 * misses, or fetch capacity): the peer's busy cause, whatever the other
 * knobs say; a HOP that is missing, or a signer found unknown, is not
 * "busy". */
static void test_isup_signer_busy(void)
{
	struct iwf_policy p;
	struct iwf_isup_evidence ev;
	struct iwf_decision d;
	char json[IWF_DECISION_JSON_MAX];

	iwf_policy_init(&p);
	memset(&ev, 0, sizeof(ev));
	ev.hop = IWF_HOP_INVALID;
	ev.signer_trust = IWF_SIGNER_UNKNOWN;
	ev.signer_busy = true;
	ev.has_calling = true;
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &ev, &d), 0);
	CU_ASSERT_EQUAL(d.action, IWF_ACTION_RELEASE);
	CU_ASSERT_EQUAL(d.cause, 42);
	CU_ASSERT_EQUAL(d.reason, IWF_PR_ISUP_SIGNER_BUSY_RELEASE);
	CU_ASSERT(iwf_decision_to_json(json, sizeof(json), &d) > 0);
	CU_ASSERT(strstr(json, "\"isup-signer-busy-release\"") != NULL);
	p.busy_cause = 34;
	p.hop_required = true;
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &ev, &d), 0);
	CU_ASSERT_EQUAL(d.cause, 34);
	/* without the busy flag: the usual decision (C, or release 21) */
	ev.signer_busy = false;
	p.hop_required = false;
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &ev, &d), 0);
	CU_ASSERT_EQUAL(d.action, IWF_ACTION_FORWARD);
	CU_ASSERT_EQUAL(d.attest, 'C');
	ev.signer_busy = true;
	ev.hop = IWF_HOP_MISSING;
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &ev, &d), 0);
	CU_ASSERT_EQUAL(d.action, IWF_ACTION_FORWARD);
}

/* The shared replay store could not say whether the HOP was seen
 * (replay-store on-failure reject): released with the release cause even
 * when hop-required is off, while a replay proper follows hop-required. */
static void test_isup_replay_store(void)
{
	struct iwf_policy p;
	struct iwf_isup_evidence ev;
	struct iwf_decision d;
	char json[IWF_DECISION_JSON_MAX];

	iwf_policy_init(&p);
	memset(&ev, 0, sizeof(ev));
	ev.hop = IWF_HOP_INVALID;
	ev.hop_reason = IWF_HOP_R_STORE;
	ev.has_calling = true;
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &ev, &d), 0);
	CU_ASSERT_EQUAL(d.action, IWF_ACTION_RELEASE);
	CU_ASSERT_EQUAL(d.cause, 21);
	CU_ASSERT_EQUAL(d.reason, IWF_PR_ISUP_REPLAY_STORE_RELEASE);
	CU_ASSERT(iwf_decision_to_json(json, sizeof(json), &d) > 0);
	CU_ASSERT(strstr(json, "\"isup-replay-store-release\"") != NULL);
	CU_ASSERT_STRING_EQUAL(get_value_string(iwf_hop_reason_names, IWF_HOP_R_STORE), "replay-store");
	p.release_cause = 41;
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &ev, &d), 0);
	CU_ASSERT_EQUAL(d.cause, 41);
	/* a replay: C when lenient, REL 21 under hop-required */
	p.release_cause = 0;
	ev.hop_reason = IWF_HOP_R_REPLAY;
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &ev, &d), 0);
	CU_ASSERT_EQUAL(d.action, IWF_ACTION_FORWARD);
	CU_ASSERT_EQUAL(d.attest, 'C');
	p.hop_required = true;
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &ev, &d), 0);
	CU_ASSERT_EQUAL(d.action, IWF_ACTION_RELEASE);
	CU_ASSERT_EQUAL(d.cause, 21);
	CU_ASSERT_EQUAL(d.reason, IWF_PR_ISUP_HOP_INVALID_RELEASE);
}

static void test_isup_bad_evidence(void)
{
	struct iwf_policy p;
	struct iwf_isup_evidence ev, good;
	struct iwf_decision d;

	iwf_policy_init(&p);
	memset(&good, 0, sizeof(good));
	good.hop = IWF_HOP_VALID;
	good.has_calling = true;
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &good, &d), 0);

	ev = good;
	ev.passport_verifies = true;	/* verifies without being there */
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &ev, &d), -EINVAL);
	ev = good;
	ev.verdict_present = true;
	ev.verdict_verstat = 3;
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &ev, &d), -EINVAL);
	ev = good;
	ev.hop = 7;
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &ev, &d), -EINVAL);
	ev = good;
	ev.signer_trust = 4;
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &ev, &d), -EINVAL);
	ev = good;
	ev.signer_class = 3;
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &ev, &d), -EINVAL);
	CU_ASSERT_EQUAL(d.identity, IWF_IDENTITY_NONE);
}

static void test_json(void)
{
	struct iwf_policy p;
	struct iwf_sip_evidence sev;
	struct iwf_isup_evidence iev;
	struct iwf_decision d;
	char buf[IWF_DECISION_JSON_MAX];
	int n;

	iwf_policy_init(&p);
	memset(&sev, 0, sizeof(sev));
	sev.identity_present = true;
	sev.stir_code = 438;
	CU_ASSERT_EQUAL(iwf_policy_sip_to_isup(&p, &sev, &d), 0);
	n = iwf_decision_to_json(buf, sizeof(buf), &d);
	CU_ASSERT(n > 0);
	CU_ASSERT_STRING_EQUAL(buf, "{\"action\":\"forward\",\"reason\":\"sip-failed-continue\",\"status\":0,"
			       "\"cause\":0,\"hop\":true,\"passport\":false,"
			       "\"verdict\":\"TN-Validation-Failed\",\"verdict_reason\":438,"
			       "\"identity\":\"none\",\"attest\":null,\"verstat\":null}");

	memset(&iev, 0, sizeof(iev));
	iev.hop = IWF_HOP_VALID;
	iev.signer_class = IWF_SIGNER_CLASS_FULL;
	iev.signer_covers_calling = true;
	iev.has_calling = true;
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &iev, &d), 0);
	n = iwf_decision_to_json(buf, sizeof(buf), &d);
	CU_ASSERT(n > 0);
	CU_ASSERT_STRING_EQUAL(buf, "{\"action\":\"forward\",\"reason\":\"isup-covered-full-b\",\"status\":0,"
			       "\"cause\":0,\"hop\":false,\"passport\":false,\"verdict\":null,"
			       "\"verdict_reason\":0,\"identity\":\"sign\",\"attest\":\"B\","
			       "\"verstat\":\"No-TN-Validation\"}");
	CU_ASSERT_EQUAL(iwf_decision_to_json(buf, (size_t)n, &d), -ENOSPC);
	CU_ASSERT_STRING_EQUAL(buf, "");
	CU_ASSERT_EQUAL(iwf_decision_to_json(buf, (size_t)n + 1, &d), n);
}

/* Every reason has a distinct name (the JSON log is parsed by machines). */
static void test_reason_names(void)
{
	unsigned int i, j;

	for (i = 0; i < _NUM_IWF_PR; i++) {
		const char *a = get_value_string_or_null(iwf_policy_reason_names, i);

		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		CU_ASSERT(strlen(a) <= 32);
		for (j = i + 1; j < _NUM_IWF_PR; j++) {
			const char *b = get_value_string_or_null(iwf_policy_reason_names, j);

			CU_ASSERT_PTR_NOT_NULL_FATAL(b);
			CU_ASSERT(strcmp(a, b) != 0);
		}
	}
}

static struct sigtoken_key *tsca_key(void *c, X509 *leaf)
{
	return sigtoken_key_alloc_x509(c, leaf);
}

/* What the IWF decides for an IAM whose HOP verified, signed by the
 * certificate at \a rel of the test PKI for calling number \a orig, with
 * the TSCA trust store and CRLs of the test PKI, \a rel's chain in the
 * local directory and \a map_text as the domain map.  \returns the attest
 * of the new PASSporT ('B' or 'C'), or 0 */
static char attest_for(const char *rel, const char *orig, const char *map_text, struct iwf_decision *d)
{
	void *ctx = talloc_named_const(NULL, 0, "attest_for");
	char dir[4200], cmd[12800];
	struct iwf_isup_evidence iev;
	struct tsca_result res;
	struct truststore *ts;
	struct tsca_cfg cfg;
	struct tsca_dir *td;
	struct certmap *map;
	struct iwf_policy p;
	uint8_t id[KEYID_LEN];
	X509 *leaf = testpki_cert(rel);
	char attest = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(leaf);
	CU_ASSERT_EQUAL_FATAL(keyid_from_x509(id, leaf), 0);
	X509_free(leaf);
	/* the signer's chain (leaf first) as the only file of the directory */
	snprintf(dir, sizeof(dir), "%s/policy-dir", testpki_dir());
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir '%s' && cp '%s/%.*s-chain.pem' '%s/signer.pem'",
		 dir, dir, testpki_dir(), (int)(strlen(rel) - 4), rel, dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);

	ts = truststore_alloc(ctx, "tsca", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ts);
	CU_ASSERT_EQUAL(truststore_load_dir(ts, testpki_path("tsca/trust")), 1);
	CU_ASSERT(truststore_load_crl_dir(ts, testpki_path("tsca/crl")) > 0);
	tsca_cfg_init(&cfg);
	cfg.cert_dir = dir;
	cfg.key_alloc = tsca_key;
	td = tsca_dir_alloc(ctx, &cfg, ts, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(td);
	map = certmap_alloc(ctx);
	CU_ASSERT_PTR_NOT_NULL_FATAL(map);
	CU_ASSERT_EQUAL_FATAL(certmap_load_buf(map, map_text, strlen(map_text)), 0);

	memset(&iev, 0, sizeof(iev));
	iev.hop = IWF_HOP_VALID;
	iev.has_calling = true;
	CU_ASSERT_EQUAL(tsca_dir_lookup_local(td, id, time(NULL), &res), 0);
	CU_ASSERT_EQUAL(res.err, TSCA_OK);
	iwf_signer_evidence(&iev, map, &res, orig);
	iwf_policy_init(&p);
	CU_ASSERT_EQUAL(iwf_policy_isup_to_sip(&p, &iev, d), 0);
	if (d->action == IWF_ACTION_FORWARD && d->identity == IWF_IDENTITY_SIGN)
		attest = d->attest;
	talloc_free(ctx);
	return attest;
}

/* ARCHITECTURE §3: a trusted operator CA issues itself a signing certificate
 * with the full-policy OID and a TNAuthList of numbers it does not hold.
 * The class must be valid for the whole path (RFC 5280 §6.1) and the
 * numbers must be held by a CA above the signer (RFC 9060 encompassing)
 * or pinned in the domain map: such a signer gets attest C. */
static void test_rogue_operator_ca(void)
{
	struct iwf_decision d;

	/* the legitimate operator: its CA holds its numbers and the class */
	CU_ASSERT_EQUAL(attest_for("tsca/op1-full.pem", "4930123442", "", &d), 'B');
	CU_ASSERT_EQUAL(d.reason, IWF_PR_ISUP_COVERED_FULL_B);
	/* its provisional signer, capped at C by default */
	CU_ASSERT_EQUAL(attest_for("tsca/op1-prov.pem", "4930123442", "", &d), 'C');
	/* a CA granted the provisional class only cannot make a full signer */
	CU_ASSERT_EQUAL(attest_for("tsca/provop-spoof.pem", "4950000042", "", &d), 'C');
	CU_ASSERT_NOT_EQUAL(d.reason, IWF_PR_ISUP_COVERED_FULL_B);
	/* a CA cannot give its signer numbers beyond its own ... */
	CU_ASSERT_EQUAL(attest_for("tsca/tnop-spoof.pem", "4930123442", "", &d), 'C');
	CU_ASSERT_EQUAL(d.reason, IWF_PR_ISUP_NOT_COVERED_C);
	/* ... nor, holding none, any at all */
	CU_ASSERT_EQUAL(attest_for("tsca/op2-spoof.pem", "4930123442", "", &d), 'C');
	CU_ASSERT_EQUAL(d.reason, IWF_PR_ISUP_NOT_COVERED_C);
}

/* The domain map grants its numbers to the key it pins by the full
 * SHA-256 of its SubjectPublicKeyInfo; the 8-octet key-id (the token's
 * lookup hint) and the subject (any CA can write it) grant nothing. */
static void test_map_pins_key(void)
{
	X509 *x = testpki_cert("tsca/op2-full.pem");
	uint8_t spki[KEYID_SPKI_LEN], id[KEYID_LEN];
	char hex[2 * KEYID_SPKI_LEN + 1], kid[KEYID_HEX_LEN], text[512];
	struct iwf_decision d;
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL_FATAL(keyid_spki_sha256(spki, x), 0);
	CU_ASSERT_EQUAL_FATAL(keyid_from_x509(id, x), 0);
	X509_free(x);
	for (i = 0; i < KEYID_SPKI_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", spki[i]);
	keyid_to_hex(kid, sizeof(kid), id);

	/* Operator Two's CA holds no numbers: only the map gives them */
	CU_ASSERT_EQUAL(attest_for("tsca/op2-full.pem", "442071234567", "", &d), 'C');
	snprintf(text, sizeof(text), "operator op2\n spki-sha256 %s\n prefix 4420\n", hex);
	CU_ASSERT_EQUAL(attest_for("tsca/op2-full.pem", "442071234567", text, &d), 'B');
	CU_ASSERT_EQUAL(d.reason, IWF_PR_ISUP_COVERED_FULL_B);
	/* the pin is on the key: another signer of the same CA gets nothing */
	CU_ASSERT_EQUAL(attest_for("tsca/op2-spoof.pem", "442071234567", text, &d), 'C');
	snprintf(text, sizeof(text), "operator op2\n key-id %s\n prefix 4420\n", kid);
	CU_ASSERT_EQUAL(attest_for("tsca/op2-full.pem", "442071234567", text, &d), 'C');
	snprintf(text, sizeof(text), "operator op2\n subject CN=Operator Two signing,O=Operator Two,C=YY\n"
		 " prefix 4420\n");
	CU_ASSERT_EQUAL(attest_for("tsca/op2-full.pem", "442071234567", text, &d), 'C');
}

static int setup(void *root)
{
	if (!testpki_dir())
		return -1;
	return 0;
}

static unsigned int teardown(void)
{
	testpki_cleanup();
	return 0;
}

static const struct cunit_test tests[] = {
	{ "defaults and knobs", test_defaults },
	{ "SIP -> ISUP (ARCHITECTURE 4 rows 1-3)", test_sip_to_isup },
	{ "SIP evidence that does not hang together", test_sip_bad_evidence },
	{ "ISUP -> SIP (ARCHITECTURE 4 rows 4-6)", test_isup_to_sip },
	{ "ISUP evidence that does not hang together", test_isup_bad_evidence },
	{ "ISUP: HOP signer not looked up (busy)", test_isup_signer_busy },
	{ "ISUP: shared replay store could not say", test_isup_replay_store },
	{ "JSON for the call log", test_json },
	{ "reason names", test_reason_names },
	{ "rogue operator CA (ARCHITECTURE 3)", test_rogue_operator_ca },
	{ "the map pins keys (ARCHITECTURE 3)", test_map_pins_key },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "policy", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "policy_test",
	.log = CUNIT_LOG_SILENT,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
