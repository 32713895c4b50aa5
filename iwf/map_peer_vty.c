/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VTY of the MAP border: "map-peer NAME", "map-category", "map-log",
 * "map-dialogues", "timer map", and "show map-peers", "show map
 * dialogues", "show map categories" (see map_peer.h). */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/tdef_vty.h>
#include <osmocom/vty/vty.h>

#include "iwf/map_dialogue.h"
#include "iwf/map_peer.h"
#include "iwf/peer.h"
#include "src/core/logging.h"
#include "src/core/vty_nodes.h"
#include "ss7/gsm_map.h"
#include "ss7/tcap_sig.h"

static struct cmd_node map_peer_node = {
	STIWF_MAP_PEER_NODE,
	"%s(config-map-peer)# ",
	1,
};

/* Never entered: writes the top-level map-category, map-log and
 * map-dialogues lines before the map-peers. */
static struct cmd_node map_node = {
	STIWF_MAP_NODE,
	"%s(config-map)# ",
	1,
};

#define MAP_PEER_STR	"A network MAP traffic comes from, matched on the SCCP calling global title\n"
#define PEER_NAME_STR	"Name: 1 to 32 of A-Z a-z 0-9 . _ -\n"
#define CAT_STR		"FS.11 category 1: only the home network sends it\n" \
			"FS.11 category 2: only the subscriber's home network sends it (IMSI checked)\n" \
			"FS.11 category 3: from the network the subscriber visits (screen cat3)\n" \
			"Short messages (screen sms)\n" "Not screened by category\n"
#define CALLING_GT_STR	"SCCP calling global titles of this network's nodes\n"

static bool vty_interactive(const struct vty *vty)
{
	return vty->type != VTY_FILE;
}

/* As the other peers (iwf/peer_vty.c): who is screened how is the
 * configuration file's to say */
static bool runtime_change_refused(struct vty *vty, const char *what)
{
	if (!vty_interactive(vty) || (g_iwf_cfg && g_iwf_cfg->runtime_changes))
		return false;
	vty_out(vty, "%% %s: the MAP border is configured in the configuration file only "
		"(see runtime-iwf-changes)%s", what, VTY_NEWLINE);
	LOGP(DIWF, LOGL_NOTICE, "VTY: runtime change refused: %s\n", what);
	return true;
}

/* the VTY checked the range of <a-b> arguments */
static unsigned int num_arg(const char *s)
{
	return (unsigned int)strtoul(s, NULL, 10);
}

/* Top-level */

DEFUN(cfg_map_peer, cfg_map_peer_cmd,
      "map-peer NAME",
      MAP_PEER_STR PEER_NAME_STR)
{
	struct iwf_map_peer *p;

	if (runtime_change_refused(vty, "map-peer"))
		return CMD_WARNING;
	if (!iwf_peer_name_valid(argv[0])) {
		vty_out(vty, "%% map-peer: bad name '%s' (1 to %u of A-Z a-z 0-9 . _ -)%s", argv[0],
			IWF_PEER_NAME_MAX, VTY_NEWLINE);
		return CMD_WARNING;
	}
	p = iwf_map_peer_find(g_map_cfg, argv[0]);
	if (!p && g_map_cfg->n_peers >= IWF_MAP_PEERS_MAX) {
		vty_out(vty, "%% map-peer: at most %u%s", IWF_MAP_PEERS_MAX, VTY_NEWLINE);
		return CMD_WARNING;
	}
	if (!p)
		p = iwf_map_peer_alloc(g_map_cfg, argv[0]);
	if (!p) {
		vty_out(vty, "%% out of memory%s", VTY_NEWLINE);
		return CMD_WARNING;
	}
	vty->node = STIWF_MAP_PEER_NODE;
	vty->index = p;
	return CMD_SUCCESS;
}

DEFUN(cfg_no_map_peer, cfg_no_map_peer_cmd,
      "no map-peer NAME",
      NO_STR MAP_PEER_STR PEER_NAME_STR)
{
	struct iwf_map_peer *p;

	if (runtime_change_refused(vty, "no map-peer"))
		return CMD_WARNING;
	p = iwf_map_peer_find(g_map_cfg, argv[0]);
	if (!p) {
		vty_out(vty, "%% no map-peer %s%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	/* its open dialogues are keyed by its id: they find no peer any
	 * more and end with the dialogue timer */
	iwf_map_peer_free(g_map_cfg, p);
	return CMD_SUCCESS;
}

DEFUN(cfg_map_category, cfg_map_category_cmd,
      "map-category OPERATION (cat1|cat2|cat3|sms|none)",
      "The FS.11 category of a MAP operation (screening of map-peers under policy screen or reject)\n"
      "Operation: its TS 29.002 name (anyTimeInterrogation, sendIMSI, ...) or its local code 0-255\n"
      CAT_STR)
{
	int op, cat;

	if (runtime_change_refused(vty, "map-category"))
		return CMD_WARNING;
	op = iwf_map_opcode_parse(argv[0]);
	cat = get_string_value(iwf_map_cat_names, argv[1]);
	if (op < 0) {
		vty_out(vty, "%% map-category: %s is neither an operation name nor a code 0-255%s", argv[0],
			VTY_NEWLINE);
		return CMD_WARNING;
	}
	if (cat < 0 || iwf_map_cat_set(&g_map_cfg->cats, (unsigned int)op, cat) < 0)
		return CMD_WARNING;
	return CMD_SUCCESS;
}

DEFUN(cfg_no_map_category, cfg_no_map_category_cmd,
      "no map-category OPERATION",
      NO_STR "Back to the default category of a MAP operation\n"
      "Operation: its TS 29.002 name or its local code 0-255\n")
{
	int op;

	if (runtime_change_refused(vty, "no map-category"))
		return CMD_WARNING;
	op = iwf_map_opcode_parse(argv[0]);
	if (op < 0) {
		vty_out(vty, "%% no map-category: %s is neither an operation name nor a code 0-255%s", argv[0],
			VTY_NEWLINE);
		return CMD_WARNING;
	}
	iwf_map_cat_unset(&g_map_cfg->cats, (unsigned int)op);
	return CMD_SUCCESS;
}

DEFUN(cfg_map_log_mask, cfg_map_log_mask_cmd,
      "map-log imsi-mask <0-10>",
      "The map-log line of each MAP dialogue\n"
      "IMSI digits replaced by '*' at the end (the MSIN's; MCC and MNC always show)\n"
      "Digits (default 6; 0 logs whole IMSIs)\n")
{
	if (runtime_change_refused(vty, "map-log"))
		return CMD_WARNING;
	g_map_cfg->imsi_mask = num_arg(argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_map_dialogues, cfg_map_dialogues_cmd,
      "map-dialogues max <16-1048576>",
      "The MAP border's table of open TCAP dialogues\n"
      "Most dialogues at once; one more forgets the least recently used\n"
      "Dialogues (default 65536)\n")
{
	if (runtime_change_refused(vty, "map-dialogues"))
		return CMD_WARNING;
	g_map_cfg->max_dialogues = num_arg(argv[0]);
	if (vty_interactive(vty) && g_map_cfg->dialogues)
		vty_out(vty, "%% takes effect when stiwfd restarts%s", VTY_NEWLINE);
	return CMD_SUCCESS;
}

/* map-peer node */

DEFUN(cfg_mp_calling_gt, cfg_mp_calling_gt_cmd,
      "calling-gt PREFIX",
      CALLING_GT_STR "Prefix: 1 to 15 digits (the longest prefix over all map-peers wins)\n")
{
	struct iwf_map_peer *p = vty->index;
	const struct iwf_map_peer *owner;

	switch (iwf_map_peer_add_gt(g_map_cfg, p, argv[0], &owner)) {
	case 0:
		return CMD_SUCCESS;
	case -EINVAL:
		vty_out(vty, "%% calling-gt: %s is not 1 to %u digits%s", argv[0], IWF_MAP_GT_MAX, VTY_NEWLINE);
		return CMD_WARNING;
	case -EEXIST:
		vty_out(vty, "%% calling-gt %s: map-peer %s has it already%s", argv[0], owner ? owner->name : "?",
			VTY_NEWLINE);
		return CMD_WARNING;
	default:
		vty_out(vty, "%% calling-gt: at most %u per map-peer%s", IWF_MAP_PEER_MAX_GT, VTY_NEWLINE);
		return CMD_WARNING;
	}
}

DEFUN(cfg_mp_no_calling_gt, cfg_mp_no_calling_gt_cmd,
      "no calling-gt PREFIX",
      NO_STR CALLING_GT_STR "Prefix\n")
{
	if (iwf_map_peer_del_gt(vty->index, argv[0]) < 0) {
		vty_out(vty, "%% no calling-gt %s%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

DEFUN(cfg_mp_calling_gt_def, cfg_mp_calling_gt_def_cmd,
      "calling-gt default",
      CALLING_GT_STR "Every calling global title no map-peer's prefix matches (and none)\n")
{
	const struct iwf_map_peer *owner;

	if (iwf_map_peer_set_default(g_map_cfg, vty->index, true, &owner) < 0) {
		vty_out(vty, "%% calling-gt default: map-peer %s is the default already%s",
			owner ? owner->name : "?", VTY_NEWLINE);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

DEFUN(cfg_mp_no_calling_gt_def, cfg_mp_no_calling_gt_def_cmd,
      "no calling-gt default",
      NO_STR CALLING_GT_STR "Every calling global title no map-peer's prefix matches\n")
{
	iwf_map_peer_set_default(g_map_cfg, vty->index, false, NULL);
	return CMD_SUCCESS;
}

DEFUN(cfg_mp_sign, cfg_mp_sign_cmd,
      "sign",
      "Our own network: sign its Begins and first answers with the tsca credential, do not screen it\n")
{
	struct iwf_map_peer *p = vty->index;

	p->role = IWF_MAP_ROLE_HOME;
	p->screen.policy = IWF_MAP_POLICY_SCREEN;
	return CMD_SUCCESS;
}

DEFUN(cfg_mp_policy, cfg_mp_policy_cmd,
      "policy (tag|screen|reject)",
      "Another network: what its unsigned or invalid traffic meets\n"
      "Forward everything, log the verdict\n"
      "Filter by FS.11 category (map-category, screen)\n"
      "Block new dialogues without a valid signature, screen the rest\n")
{
	struct iwf_map_peer *p = vty->index;

	p->role = IWF_MAP_ROLE_FOREIGN;
	p->screen.policy = get_string_value(iwf_map_policy_names, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_mp_screen, cfg_mp_screen_cmd,
      "screen (cat3|sms) (block|pass)",
      "Screening of unsigned or invalid operations of a category\n"
      "FS.11 category 3 (updateLocation, purgeMS, sendAuthenticationInfo, ...)\n"
      "Short messages (sendRoutingInfoForSM, mt-forwardSM, mo-forwardSM)\n"
      "Block them\n" "Let them pass (default)\n")
{
	struct iwf_map_peer *p = vty->index;
	bool block = argv[1][0] == 'b';

	if (!strcmp(argv[0], "cat3"))
		p->screen.cat3_block = block;
	else
		p->screen.sms_block = block;
	return CMD_SUCCESS;
}

DEFUN(cfg_mp_block_action, cfg_mp_block_action_cmd,
      "block-action (drop|udts|tc-abort)",
      "How a blocked message is answered\n"
      "Not at all (default)\n"
      "A UDTS or XUDTS when the message asked for return, else nothing\n"
      "A TCAP Abort to the originator: dialogue refused for a Begin, P-Abort for an unknown dialogue\n")
{
	((struct iwf_map_peer *)vty->index)->block_action = get_string_value(iwf_map_block_action_names, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_mp_repo_miss_limit, cfg_mp_repo_miss_limit_cmd,
      "repository-miss-limit <0-10000> burst <1-10000>",
      "Repository fetches this network's signatures may cause: key-ids neither in cert-dir nor in the cache\n"
      "Per second (default 5; 0: none)\n" "At once\n" "Fetches (default 20)\n")
{
	struct iwf_map_peer *p = vty->index;

	p->repo_miss_limit = true;
	p->repo_miss_rate = num_arg(argv[0]);
	p->repo_miss_burst = num_arg(argv[1]);
	token_bucket_init(&p->repo_bucket, p->repo_miss_rate, p->repo_miss_burst);
	return CMD_SUCCESS;
}

DEFUN(cfg_mp_no_repo_miss_limit, cfg_mp_no_repo_miss_limit_cmd,
      "no repository-miss-limit",
      NO_STR "Let this network's signatures cause repository fetches without limit (the fetch caps still hold)\n")
{
	((struct iwf_map_peer *)vty->index)->repo_miss_limit = false;
	return CMD_SUCCESS;
}

/* show */

static const char *peer_name_by_id(unsigned int id)
{
	const struct iwf_map_peer *p;

	llist_for_each_entry(p, &g_map_cfg->peers, entry) {
		if (p->id == id)
			return p->name;
	}
	return "?";
}

static const struct {
	enum iwf_map_ctr ctr;
	const char *name;
} show_ctrs[] = {
	{ IWF_MAP_CTR_IN, "in" }, { IWF_MAP_CTR_FORWARDED, "forwarded" }, { IWF_MAP_CTR_BLOCKED, "blocked" },
	{ IWF_MAP_CTR_SIGNED, "signed" }, { IWF_MAP_CTR_VALID, "valid" }, { IWF_MAP_CTR_INVALID, "invalid" },
	{ IWF_MAP_CTR_UNSIGNED, "unsigned" }, { IWF_MAP_CTR_MALFORMED, "malformed" },
	{ IWF_MAP_CTR_DROPPED, "dropped" },
};

static void show_ctr_header(struct vty *vty, const char *what)
{
	unsigned int i;

	vty_out(vty, "%-16s", what);
	for (i = 0; i < ARRAY_SIZE(show_ctrs); i++)
		vty_out(vty, " %10s", show_ctrs[i].name);
	vty_out(vty, "%s", VTY_NEWLINE);
}

DEFUN(show_map_peers, show_map_peers_cmd,
      "show map-peers",
      SHOW_STR "The MAP border's map-peers: role, matching, policy and counters\n")
{
	const struct iwf_map_peer *p;
	unsigned int i, c;

	llist_for_each_entry(p, &g_map_cfg->peers, entry) {
		vty_out(vty, "map-peer %s: %s", p->name, get_value_string(iwf_map_role_names, p->role));
		if (p->role == IWF_MAP_ROLE_FOREIGN)
			vty_out(vty, ", policy %s, screen cat3 %s, sms %s", get_value_string(iwf_map_policy_names,
				p->screen.policy), p->screen.cat3_block ? "block" : "pass",
				p->screen.sms_block ? "block" : "pass");
		vty_out(vty, ", block-action %s%s", get_value_string(iwf_map_block_action_names, p->block_action),
			VTY_NEWLINE);
		vty_out(vty, "  calling-gt");
		for (i = 0; i < p->n_gt; i++)
			vty_out(vty, " %s", p->calling_gt[i]);
		if (p->is_default)
			vty_out(vty, " default");
		if (!p->n_gt && !p->is_default)
			vty_out(vty, " (none)");
		vty_out(vty, "%s", VTY_NEWLINE);
	}
	vty_out(vty, "%u map-peer(s)%s", g_map_cfg->n_peers, VTY_NEWLINE);
	if (!g_map_cfg->cat_ctrs[0]) {
		vty_out(vty, "the MAP border is not running (no sccp node)%s", VTY_NEWLINE);
		return CMD_SUCCESS;
	}
	show_ctr_header(vty, "map-peer");
	llist_for_each_entry(p, &g_map_cfg->peers, entry) {
		vty_out(vty, "%-16s", p->name);
		for (i = 0; i < ARRAY_SIZE(show_ctrs); i++)
			vty_out(vty, " %10" PRIu64, iwf_map_peer_ctr_get(p, show_ctrs[i].ctr));
		vty_out(vty, "%s", VTY_NEWLINE);
	}
	show_ctr_header(vty, "category");
	for (c = 0; c < _NUM_IWF_MAP_CAT; c++) {
		vty_out(vty, "%-16s", get_value_string(iwf_map_cat_names, c));
		for (i = 0; i < ARRAY_SIZE(show_ctrs); i++)
			vty_out(vty, " %10" PRIu64, iwf_map_cat_ctr_get(g_map_cfg, c, show_ctrs[i].ctr));
		vty_out(vty, "%s", VTY_NEWLINE);
	}
	return CMD_SUCCESS;
}

static void tid_hex(char *buf, size_t size, const struct iwf_map_dlg_side *s)
{
	if (!s->bound) {
		osmo_strlcpy(buf, "-", size);
		return;
	}
	osmo_strlcpy(buf, osmo_hexdump_nospc(s->tid, s->tid_len), size);
}

DEFUN(show_map_dialogues, show_map_dialogues_cmd,
      "show map dialogues",
      SHOW_STR "The MAP border\n" "Open TCAP dialogues, least recently used first\n")
{
	struct iwf_map_dlg_table *t = g_map_cfg->dialogues;
	struct iwf_map_dlg *d;
	struct timespec now;
	char otid[12], rtid[12];

	if (!t) {
		vty_out(vty, "%% the MAP border is not running (no sccp node)%s", VTY_NEWLINE);
		return CMD_WARNING;
	}
	osmo_clock_gettime(CLOCK_MONOTONIC, &now);
	vty_out(vty, "%-12s %-16s %-8s %-12s %-16s %-8s %-26s %-5s %-9s %-9s %5s %6s%s", "orig peer", "orig GT",
		"OTID", "resp peer", "resp GT", "TID", "operation", "cat", "verdict", "back", "msgs", "age(s)",
		VTY_NEWLINE);
	for (d = iwf_map_dlg_next(t, NULL); d; d = iwf_map_dlg_next(t, d)) {
		const struct iwf_map_dlg_side *o = &d->side[IWF_MAP_DLG_ORIG], *r = &d->side[IWF_MAP_DLG_RESP];

		tid_hex(otid, sizeof(otid), o);
		tid_hex(rtid, sizeof(rtid), r);
		vty_out(vty, "%-12s %-16s %-8s %-12s %-16s %-8s %-26s %-5s %-9s %-9s %5u %6ld%s",
			peer_name_by_id(o->peer_id), o->gt[0] ? o->gt : "-", otid,
			r->bound ? peer_name_by_id(r->peer_id) : "-", r->bound && r->gt[0] ? r->gt : "-", rtid,
			d->opcode >= 0 ? get_value_string(gsm_map_op_names, (uint32_t)d->opcode) : "-",
			get_value_string(iwf_map_cat_names, d->cat),
			get_value_string(iwf_map_verdict_names, d->verdict[IWF_MAP_DLG_ORIG]),
			r->bound ? get_value_string(iwf_map_verdict_names, d->verdict[IWF_MAP_DLG_RESP]) : "-",
			d->messages, (long)(now.tv_sec - d->opened.tv_sec), VTY_NEWLINE);
	}
	vty_out(vty, "%u dialogue(s) of at most %u, timer %lu s%s", iwf_map_dlg_count(t), iwf_map_dlg_max(t),
		osmo_tdef_get(iwf_map_tdefs, IWF_MAP_T_DIALOGUE, OSMO_TDEF_S, 0), VTY_NEWLINE);
	return CMD_SUCCESS;
}

static const char *op_word(unsigned int op)
{
	static char buf[8];
	const char *name = get_value_string_or_null(gsm_map_op_names, op);

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "%u", op);
	return buf;
}

DEFUN(show_map_categories, show_map_categories_cmd,
      "show map categories",
      SHOW_STR "The MAP border\n" "The FS.11 category of each MAP operation that has one\n")
{
	unsigned int op;

	vty_out(vty, "%-5s %-32s %-5s %s%s", "code", "operation", "cat", "", VTY_NEWLINE);
	for (op = 0; op <= IWF_MAP_OPCODE_MAX; op++) {
		enum iwf_map_cat c = g_map_cfg->cats.cat[op];

		if (c == IWF_MAP_CAT_NONE && !g_map_cfg->cats.configured[op])
			continue;
		vty_out(vty, "%-5u %-32s %-5s %s%s", op, op_word(op), get_value_string(iwf_map_cat_names, c),
			g_map_cfg->cats.configured[op] ? "(configured)" : "", VTY_NEWLINE);
	}
	vty_out(vty, "every other operation: none%s", VTY_NEWLINE);
	return CMD_SUCCESS;
}

/* config writers */

DEFUN(cfg_map_sig_oid, cfg_map_sig_oid_cmd,
      "map-signature oid OID",
      "The signature the MAP border adds to TCAP and looks for (docs/MAP.md)\n"
      "Direct-reference of its EXTERNAL in the dialogue portion, agreed with the peers\n"
      "Dotted OID, e.g. 1.3.6.1.4.1.NNNN.1 (default 2.999.3057.1)\n")
{
	int n;

	if (runtime_change_refused(vty, "map-signature"))
		return CMD_WARNING;
	if (strlen(argv[0]) >= sizeof(g_map_cfg->sig_oid_text)) {
		vty_out(vty, "%% map-signature oid: longer than %zu characters%s", sizeof(g_map_cfg->sig_oid_text) - 1,
			VTY_NEWLINE);
		return CMD_WARNING;
	}
	n = tcap_sig_oid_parse(g_map_cfg->sig_oid, sizeof(g_map_cfg->sig_oid), argv[0]);
	if (n < 0) {
		vty_out(vty, "%% map-signature oid: not a dotted OID of at most %zu octets: %s%s",
			sizeof(g_map_cfg->sig_oid), argv[0], VTY_NEWLINE);
		g_map_cfg->sig_oid_len = 0;
		g_map_cfg->sig_oid_text[0] = '\0';
		return CMD_WARNING;
	}
	g_map_cfg->sig_oid_len = (size_t)n;
	OSMO_STRLCPY_ARRAY(g_map_cfg->sig_oid_text, argv[0]);
	if (vty_interactive(vty) && g_map_cfg->dialogues)
		vty_out(vty, "%% takes effect when stiwfd restarts%s", VTY_NEWLINE);
	return CMD_SUCCESS;
}

DEFUN(cfg_map_no_sig_oid, cfg_map_no_sig_oid_cmd,
      "no map-signature oid",
      NO_STR "The signature the MAP border adds to TCAP and looks for\n"
      "Back to the default direct-reference, 2.999.3057.1\n")
{
	if (runtime_change_refused(vty, "map-signature"))
		return CMD_WARNING;
	g_map_cfg->sig_oid_len = 0;
	g_map_cfg->sig_oid_text[0] = '\0';
	return CMD_SUCCESS;
}

static int config_write_map(struct vty *vty)
{
	unsigned int op;

	osmo_tdef_vty_write(vty, iwf_map_tdefs, "timer map ");
	for (op = 0; op <= IWF_MAP_OPCODE_MAX; op++) {
		if (g_map_cfg->cats.configured[op])
			vty_out(vty, "map-category %s %s%s", op_word(op),
				get_value_string(iwf_map_cat_names, g_map_cfg->cats.cat[op]), VTY_NEWLINE);
	}
	if (g_map_cfg->imsi_mask != IWF_MAP_IMSI_MASK_DEFAULT)
		vty_out(vty, "map-log imsi-mask %u%s", g_map_cfg->imsi_mask, VTY_NEWLINE);
	if (g_map_cfg->max_dialogues != IWF_MAP_DIALOGUES_DEFAULT)
		vty_out(vty, "map-dialogues max %u%s", g_map_cfg->max_dialogues, VTY_NEWLINE);
	if (g_map_cfg->sig_oid_len)
		vty_out(vty, "map-signature oid %s%s", g_map_cfg->sig_oid_text, VTY_NEWLINE);
	return CMD_SUCCESS;
}

static int config_write_map_peers(struct vty *vty)
{
	const struct iwf_map_peer *p;
	unsigned int i;

	llist_for_each_entry(p, &g_map_cfg->peers, entry) {
		vty_out(vty, "map-peer %s%s", p->name, VTY_NEWLINE);
		for (i = 0; i < p->n_gt; i++)
			vty_out(vty, " calling-gt %s%s", p->calling_gt[i], VTY_NEWLINE);
		if (p->is_default)
			vty_out(vty, " calling-gt default%s", VTY_NEWLINE);
		if (p->role == IWF_MAP_ROLE_HOME)
			vty_out(vty, " sign%s", VTY_NEWLINE);
		else
			vty_out(vty, " policy %s%s", get_value_string(iwf_map_policy_names, p->screen.policy),
				VTY_NEWLINE);
		vty_out(vty, " screen cat3 %s%s", p->screen.cat3_block ? "block" : "pass", VTY_NEWLINE);
		vty_out(vty, " screen sms %s%s", p->screen.sms_block ? "block" : "pass", VTY_NEWLINE);
		vty_out(vty, " block-action %s%s", get_value_string(iwf_map_block_action_names, p->block_action),
			VTY_NEWLINE);
		if (!p->repo_miss_limit)
			vty_out(vty, " no repository-miss-limit%s", VTY_NEWLINE);
		else
			vty_out(vty, " repository-miss-limit %u burst %u%s", p->repo_miss_rate, p->repo_miss_burst,
				VTY_NEWLINE);
	}
	return CMD_SUCCESS;
}

void iwf_map_peer_vty_init(void *ctx)
{
	if (g_map_cfg)
		return;
	g_map_cfg = iwf_map_cfg_alloc(ctx);
	OSMO_ASSERT(g_map_cfg);
	iwf_map_tdefs_init();

	install_element(CONFIG_NODE, &cfg_map_category_cmd);
	install_element(CONFIG_NODE, &cfg_no_map_category_cmd);
	install_element(CONFIG_NODE, &cfg_map_log_mask_cmd);
	install_element(CONFIG_NODE, &cfg_map_dialogues_cmd);
	install_element(CONFIG_NODE, &cfg_map_sig_oid_cmd);
	install_element(CONFIG_NODE, &cfg_map_no_sig_oid_cmd);
	install_node(&map_node, config_write_map);

	install_element(CONFIG_NODE, &cfg_map_peer_cmd);
	install_element(CONFIG_NODE, &cfg_no_map_peer_cmd);
	install_node(&map_peer_node, config_write_map_peers);
	install_element(STIWF_MAP_PEER_NODE, &cfg_mp_calling_gt_cmd);
	install_element(STIWF_MAP_PEER_NODE, &cfg_mp_no_calling_gt_cmd);
	install_element(STIWF_MAP_PEER_NODE, &cfg_mp_calling_gt_def_cmd);
	install_element(STIWF_MAP_PEER_NODE, &cfg_mp_no_calling_gt_def_cmd);
	install_element(STIWF_MAP_PEER_NODE, &cfg_mp_sign_cmd);
	install_element(STIWF_MAP_PEER_NODE, &cfg_mp_policy_cmd);
	install_element(STIWF_MAP_PEER_NODE, &cfg_mp_screen_cmd);
	install_element(STIWF_MAP_PEER_NODE, &cfg_mp_block_action_cmd);
	install_element(STIWF_MAP_PEER_NODE, &cfg_mp_repo_miss_limit_cmd);
	install_element(STIWF_MAP_PEER_NODE, &cfg_mp_no_repo_miss_limit_cmd);

	install_element_ve(&show_map_peers_cmd);
	install_element_ve(&show_map_dialogues_cmd);
	install_element_ve(&show_map_categories_cmd);
}
