/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz the MAP border's receive path (src/stiwfd/map_relay.c): the input is a
 * sequence of messages that reach stiwf's SCCP from the network, each a
 * record
 *     flags (1 octet) | length (1 octet) | TCAP message (length octets)
 * whose flags pick the calling and called global titles among the networks
 * of the configuration (ours, which the relay signs for; a partner under
 * screen and tc-abort; an attacker under screen and udts; the rest under
 * reject), the SLS, the return option, UDT or XUDT and its hop counter, and
 * whether the dialogue timer runs out before the next message.  Every
 * record goes through the whole path: TCAP and MAP decoding, the dialogue
 * table, signing, the (failing: no TSCA trust) verification, the policy,
 * relaying, TC-ABORT and UDTS; everything is freed at the end of an input,
 * so that a leak on any path shows. */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>

#include "certs/map.h"
#include "iwf/map_dialogue.h"
#include "iwf/map_peer.h"
#include "src/core/logging.h"
#include "src/stiwfd/map_relay.h"
#include "ss7/sccp.h"
#include "ss7/sccp_route.h"
#include "ss7/sccp_user.h"
#include "ss7/sigtoken.h"

static const char *const gts[8] = {
	"4930000001", "4930000002",	/* ours */
	"3360000001", "3360000009",	/* the partner's */
	"44700000001",			/* the attacker's */
	"7900000001", "8800000000",	/* elsewhere */
	"",				/* no global title */
};

static struct {
	void *ctx;
	struct certmap *map;
	struct sigtoken_key *key;
	unsigned long sent;
} fz;

static int capture(struct sccp_user *u, uint32_t dpc, uint8_t sls, const uint8_t *data, size_t len, void *priv)
{
	struct sccp_msg m;

	/* what leaves is a message that decodes */
	if (sccp_msg_decode(&m, data, len, NULL, 0) != (int)len)
		abort();
	fz.sent++;
	return 0;
}

static void setup(void)
{
	static const char map_text[] =
		"operator home\n gt-prefix 4930\n imsi-prefix 26201\n"
		"operator partner\n gt-prefix 33\n imsi-prefix 20801\n"
		"operator attacker\n gt-prefix 44\n";
	struct iwf_map_peer *p;
	EVP_PKEY *pk;

	fz.ctx = talloc_named_const(NULL, 0, "map_relay_fuzzer");
	if (stiwf_logging_init(fz.ctx) < 0)
		abort();
	log_set_log_level(osmo_stderr_target, LOGL_FATAL);
	osmo_clock_override_enable(CLOCK_MONOTONIC, true);
	osmo_gettimeofday_override = true;
	iwf_map_tdefs_init();
	g_map_cfg = iwf_map_cfg_alloc(fz.ctx);
	g_sccp_cfg = sccp_cfg_alloc(fz.ctx);
	if (!g_map_cfg || !g_sccp_cfg)
		abort();
	g_map_cfg->max_dialogues = 16;
	p = iwf_map_peer_alloc(g_map_cfg, "home");
	if (!p || iwf_map_peer_add_gt(g_map_cfg, p, "4930", NULL) < 0)
		abort();
	p->role = IWF_MAP_ROLE_HOME;
	p = iwf_map_peer_alloc(g_map_cfg, "partner");
	if (!p || iwf_map_peer_add_gt(g_map_cfg, p, "33", NULL) < 0)
		abort();
	p->block_action = IWF_MAP_BLOCK_TC_ABORT;
	p = iwf_map_peer_alloc(g_map_cfg, "attacker");
	if (!p || iwf_map_peer_add_gt(g_map_cfg, p, "44", NULL) < 0)
		abort();
	p->block_action = IWF_MAP_BLOCK_UDTS;
	p->screen.sms_block = true;
	p = iwf_map_peer_alloc(g_map_cfg, "others");
	if (!p || iwf_map_peer_set_default(g_map_cfg, p, true, NULL) < 0)
		abort();
	p->screen.policy = IWF_MAP_POLICY_REJECT;
	p->block_action = IWF_MAP_BLOCK_TC_ABORT;
	if (sccp_route_set(g_sccp_cfg, "4930", 10, -1, -1) < 0 ||
	    sccp_route_set_strip_signature(g_sccp_cfg, "4930", true) < 0 ||
	    sccp_route_set(g_sccp_cfg, "33", 20, 6, 0) < 0 || sccp_route_set(g_sccp_cfg, "", 40, -1, -1) < 0)
		abort();
	fz.map = certmap_alloc(fz.ctx);
	if (!fz.map || certmap_load_buf(fz.map, map_text, sizeof(map_text) - 1) < 0)
		abort();
	/* our signing key: made here, no key file */
	pk = EVP_EC_gen("P-256");
	fz.key = pk ? sigtoken_key_alloc(fz.ctx, pk) : NULL;
	EVP_PKEY_free(pk);
	if (!fz.key)
		abort();
}

static void set_gt(struct sccp_addr *a, const char *digits, uint8_t ssn)
{
	memset(a, 0, sizeof(*a));
	a->ri = SCCP_RI_GT;
	a->has_ssn = true;
	a->ssn = ssn;
	if (!digits[0]) {
		a->ri = SCCP_RI_SSN;
		a->has_pc = true;
		a->pc = 300;
		return;
	}
	a->gt.gti = SCCP_GTI_TT_NP_ES_NAI;
	a->gt.np = SCCP_NP_E164;
	a->gt.nai = SCCP_NAI_INTERNATIONAL;
	sccp_gt_set_digits(&a->gt, digits);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sccp_user_cfg ucfg = {
		.max_sif = 272,
		.reasm = { .max_octets = 3952, .max_segments = 16, .max_parallel = 4 },
	};
	struct map_relay_cfg rcfg = { 0 };
	struct map_relay *r;
	struct sccp_user *u;
	void *ctx;
	size_t off = 0;
	unsigned int n = 0;

	if (!fz.ctx)
		setup();
	ctx = talloc_named_const(fz.ctx, 0, "input");
	rcfg.cfg = g_map_cfg;
	rcfg.map = fz.map;
	rcfg.sign_key = fz.key;
	rcfg.window = 60;
	r = map_relay_alloc(ctx, &rcfg);
	u = r ? sccp_user_alloc(ctx, &ucfg, capture, NULL, map_relay_rx, map_relay_notice, r) : NULL;
	if (!u)
		abort();
	map_relay_set_sccp(r, u);

	while (size - off >= 2 && n++ < 64) {
		struct stiwf_mtp_addr mtp = { .opc = 200, .dpc = 100 };
		uint8_t flags = data[off], len = data[off + 1], buf[512];
		struct sccp_msg m = { 0 };
		int rc;

		off += 2;
		if (len > size - off)
			len = (uint8_t)(size - off);
		/* calling and called by the low bits of the flags and the length */
		set_gt(&m.calling, gts[flags & 7], 7);
		set_gt(&m.called, gts[((flags >> 3) & 7) ^ (len & 1)], 6);
		m.type = flags & 0x40 ? SCCP_MSGT_XUDT : SCCP_MSGT_UDT;
		m.hop_counter = m.type == SCCP_MSGT_XUDT ? 1 + (len % 15) : 0;
		m.proto_class = 1;
		m.return_on_error = flags & 0x80;
		m.data = data + off;
		m.data_len = len;
		mtp.sls = len & 15;
		off += len;
		if (!len)
			continue;
		rc = sccp_msg_encode(buf, sizeof(buf), &m);
		if (rc > 0)
			sccp_user_rx(u, &mtp, buf, (size_t)rc);
		/* a record that says so lets the dialogue timer run out */
		if ((flags & 0x38) == 0x38) {
			osmo_clock_override_add(CLOCK_MONOTONIC, 121, 0);
			osmo_gettimeofday_override_add(121, 0);
			osmo_timers_prepare();
			osmo_timers_update();
		}
		if (iwf_map_dlg_count(g_map_cfg->dialogues) > g_map_cfg->max_dialogues)
			abort();
	}
	sccp_user_free(u);
	map_relay_free(r);
	if (g_map_cfg->dialogues)
		abort();
	/* everything the input made is gone with it */
	if (talloc_total_blocks(ctx) != 1)
		abort();
	talloc_free(ctx);
	return 0;
}
