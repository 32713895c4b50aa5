/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VTY of stiwf's own SCCP: the "sccp" node (cs7 instance, our global
 * title, message size, reassembly bounds, called-GT routes), "show sccp"
 * and "show sccp routes". */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/talloc.h>
#include <osmocom/sigtran/osmo_ss7.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/tdef_vty.h>
#include <osmocom/vty/vty.h>

#include "src/core/vty_nodes.h"
#include "ss7/sccp_route.h"
#include "ss7/sccp_user.h"

static struct cmd_node sccp_node = {
	STIWF_SCCP_NODE,
	"%s(config-sccp)# ",
	1,
};

#define SCCP_STR	"stiwf's own SCCP (Q.713/Q.714, service indicator 3) for MAP traffic\n"
#define SCCP_ROUTE_STR	"Route by called party global title\n"
#define GT_PREFIX_STR	"Called global title prefix\n" "Digits 0-9 (the longest matching prefix wins)\n"
#define DEFAULT_STR	"The route of called global titles no prefix matches\n"
#define PC_STR		"Point code to send to (DPC)\n" \
			"Point code in the format of the cs7 instance (14-bit ITU)\n"
#define SSN_STR		"Set the called subsystem number\n" "SSN\n"
#define TT_STR		"Set the called translation type\n" "Translation type\n"
#define STRIP_STR	"The next hop does not want the MAP signature: the MAP border strips it (or adds none)\n"

static bool vty_interactive(const struct vty *vty)
{
	return vty->type != VTY_FILE;
}

/* Settings other than routes reach a bound SCCP user only at start-up */
static void note_restart(struct vty *vty)
{
	if (vty_interactive(vty) && sccp_user_next(NULL))
		vty_out(vty, "%% takes effect when stiwfd restarts%s", VTY_NEWLINE);
}

static bool digits_ok(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);
	size_t i;

	if (n == 0 || n > max)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

/* the VTY checked the range of <a-b> arguments */
static int num_arg(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

/* A point code in the format the cs7 instance's configuration uses */
static int pc_arg(struct vty *vty, const char *s, uint32_t *pc)
{
	struct osmo_ss7_instance *inst = osmo_ss7_instance_find(g_sccp_cfg->cs7_instance);
	int rc;

	if (!inst) {
		vty_out(vty, "%% pc %s: no cs7 instance %u; configure it before the sccp node%s", s,
			g_sccp_cfg->cs7_instance, VTY_NEWLINE);
		return -ENOENT;
	}
	rc = osmo_ss7_pointcode_parse(inst, s);
	if (rc < 0 || rc > SCCP_PC_MAX) {
		vty_out(vty, "%% pc %s: not a 14-bit point code in the format of cs7 instance %u%s", s,
			g_sccp_cfg->cs7_instance, VTY_NEWLINE);
		return -EINVAL;
	}
	*pc = (uint32_t)rc;
	return 0;
}

static const char *pc_str(uint32_t pc)
{
	static char buf[32];
	struct osmo_ss7_instance *inst = osmo_ss7_instance_find(g_sccp_cfg->cs7_instance);

	if (inst)
		return osmo_ss7_pointcode_print(inst, pc);
	snprintf(buf, sizeof(buf), "%u", pc);
	return buf;
}

DEFUN(cfg_sccp, cfg_sccp_cmd,
      "sccp",
      SCCP_STR)
{
	g_sccp_cfg->enabled = true;
	vty->node = STIWF_SCCP_NODE;
	vty->index = NULL;
	return CMD_SUCCESS;
}

DEFUN(cfg_no_sccp, cfg_no_sccp_cmd,
      "no sccp",
      NO_STR SCCP_STR)
{
	note_restart(vty);
	sccp_cfg_reset(g_sccp_cfg);
	return CMD_SUCCESS;
}

DEFUN(cfg_sccp_cs7, cfg_sccp_cs7_cmd,
      "cs7-instance <0-15>",
      "The cs7 instance whose service indicator 3 carries stiwf's SCCP\n" "Instance number (default 0)\n")
{
	g_sccp_cfg->cs7_instance = (uint32_t)num_arg(argv[0]);
	note_restart(vty);
	return CMD_SUCCESS;
}

static int set_local_gt(struct vty *vty, const char *digits, int tt)
{
	if (!digits_ok(digits, SCCP_GT_DIGITS_MAX)) {
		vty_out(vty, "%% local-gt: %s is not 1 to %u digits%s", digits, SCCP_GT_DIGITS_MAX, VTY_NEWLINE);
		return CMD_WARNING;
	}
	OSMO_STRLCPY_ARRAY(g_sccp_cfg->local_gt, digits);
	g_sccp_cfg->has_local_gt = true;
	g_sccp_cfg->local_tt = tt >= 0 ? (uint8_t)tt : 0;
	g_sccp_cfg->has_local_tt = tt >= 0;
	return CMD_SUCCESS;
}

DEFUN(cfg_sccp_local_gt, cfg_sccp_local_gt_cmd,
      "local-gt DIGITS",
      "Our global title, the calling party of what this node originates\n" "E.164 digits\n")
{
	return set_local_gt(vty, argv[0], -1);
}

DEFUN(cfg_sccp_local_gt_tt, cfg_sccp_local_gt_tt_cmd,
      "local-gt DIGITS tt <0-255>",
      "Our global title, the calling party of what this node originates\n" "E.164 digits\n"
      "Translation type\n" "Translation type (default 0)\n")
{
	return set_local_gt(vty, argv[0], num_arg(argv[1]));
}

DEFUN(cfg_sccp_no_local_gt, cfg_sccp_no_local_gt_cmd,
      "no local-gt",
      NO_STR "Our global title\n")
{
	g_sccp_cfg->has_local_gt = false;
	g_sccp_cfg->local_gt[0] = '\0';
	g_sccp_cfg->local_tt = 0;
	g_sccp_cfg->has_local_tt = false;
	return CMD_SUCCESS;
}

DEFUN(cfg_sccp_max_msg_len, cfg_sccp_max_msg_len_cmd,
      "max-message-length <64-4096>",
      "Longest SCCP message (MTP3 SIF, routing label included); longer user data goes in XUDT segments\n"
      "Octets (default 272, the MTP2 limit; raise only when every path is M3UA)\n")
{
	g_sccp_cfg->max_sif = (size_t)num_arg(argv[0]);
	note_restart(vty);
	return CMD_SUCCESS;
}

DEFUN(cfg_sccp_reasm, cfg_sccp_reasm_cmd,
      "reassembly max-octets <1-3952> max-parallel <1-65535>",
      "Reassembly of received XUDT segments (Q.714 4.1.1.3)\n"
      "Largest user data of one reassembled message\n" "Octets (default and Q.714 maximum 3952)\n"
      "Reassemblies in progress at once; one more drops the oldest\n" "Reassemblies (default 256)\n")
{
	g_sccp_cfg->reasm.max_octets = (size_t)num_arg(argv[0]);
	g_sccp_cfg->reasm.max_parallel = (unsigned int)num_arg(argv[1]);
	note_restart(vty);
	return CMD_SUCCESS;
}

DEFUN(cfg_sccp_reasm_segs, cfg_sccp_reasm_segs_cmd,
      "reassembly max-segments <1-16>",
      "Reassembly of received XUDT segments (Q.714 4.1.1.3)\n"
      "Most segments of one message\n" "Segments (default and Q.713 maximum 16)\n")
{
	g_sccp_cfg->reasm.max_segments = (unsigned int)num_arg(argv[0]);
	note_restart(vty);
	return CMD_SUCCESS;
}

/* the last argument of a route command, when given, is "strip-signature" */
static bool strip_arg(int argc, const char *argv[], int fixed)
{
	return argc > fixed && argv[fixed] && !strcmp(argv[fixed], "strip-signature");
}

static int set_route(struct vty *vty, const char *prefix, const char *pc_s, int ssn, int tt, bool strip)
{
	uint32_t pc;

	if (prefix[0] && !sccp_route_prefix_valid(prefix)) {
		vty_out(vty, "%% route gt: %s is not 1 to %u digits%s", prefix, SCCP_GT_DIGITS_MAX, VTY_NEWLINE);
		return CMD_WARNING;
	}
	if (pc_arg(vty, pc_s, &pc) < 0)
		return CMD_WARNING;
	switch (sccp_route_set(g_sccp_cfg, prefix, pc, ssn, tt)) {
	case 0:
		sccp_route_set_strip_signature(g_sccp_cfg, prefix, strip);
		return CMD_SUCCESS;
	case -ENOSPC:
		vty_out(vty, "%% route: at most %u routes%s", SCCP_ROUTES_MAX, VTY_NEWLINE);
		return CMD_WARNING;
	default:
		vty_out(vty, "%% route: refused%s", VTY_NEWLINE);
		return CMD_WARNING;
	}
}

DEFUN(cfg_sccp_route, cfg_sccp_route_cmd,
      "route gt PREFIX pc PC [strip-signature]",
      SCCP_ROUTE_STR GT_PREFIX_STR PC_STR STRIP_STR)
{
	return set_route(vty, argv[0], argv[1], -1, -1, strip_arg(argc, argv, 2));
}

DEFUN(cfg_sccp_route_ssn, cfg_sccp_route_ssn_cmd,
      "route gt PREFIX pc PC ssn <0-255> [strip-signature]",
      SCCP_ROUTE_STR GT_PREFIX_STR PC_STR SSN_STR STRIP_STR)
{
	return set_route(vty, argv[0], argv[1], num_arg(argv[2]), -1, strip_arg(argc, argv, 3));
}

DEFUN(cfg_sccp_route_tt, cfg_sccp_route_tt_cmd,
      "route gt PREFIX pc PC tt <0-255> [strip-signature]",
      SCCP_ROUTE_STR GT_PREFIX_STR PC_STR TT_STR STRIP_STR)
{
	return set_route(vty, argv[0], argv[1], -1, num_arg(argv[2]), strip_arg(argc, argv, 3));
}

DEFUN(cfg_sccp_route_ssn_tt, cfg_sccp_route_ssn_tt_cmd,
      "route gt PREFIX pc PC ssn <0-255> tt <0-255> [strip-signature]",
      SCCP_ROUTE_STR GT_PREFIX_STR PC_STR SSN_STR TT_STR STRIP_STR)
{
	return set_route(vty, argv[0], argv[1], num_arg(argv[2]), num_arg(argv[3]), strip_arg(argc, argv, 4));
}

DEFUN(cfg_sccp_route_def, cfg_sccp_route_def_cmd,
      "route default pc PC [strip-signature]",
      SCCP_ROUTE_STR DEFAULT_STR PC_STR STRIP_STR)
{
	return set_route(vty, "", argv[0], -1, -1, strip_arg(argc, argv, 1));
}

DEFUN(cfg_sccp_route_def_ssn, cfg_sccp_route_def_ssn_cmd,
      "route default pc PC ssn <0-255> [strip-signature]",
      SCCP_ROUTE_STR DEFAULT_STR PC_STR SSN_STR STRIP_STR)
{
	return set_route(vty, "", argv[0], num_arg(argv[1]), -1, strip_arg(argc, argv, 2));
}

DEFUN(cfg_sccp_route_def_tt, cfg_sccp_route_def_tt_cmd,
      "route default pc PC tt <0-255> [strip-signature]",
      SCCP_ROUTE_STR DEFAULT_STR PC_STR TT_STR STRIP_STR)
{
	return set_route(vty, "", argv[0], -1, num_arg(argv[1]), strip_arg(argc, argv, 2));
}

DEFUN(cfg_sccp_route_def_ssn_tt, cfg_sccp_route_def_ssn_tt_cmd,
      "route default pc PC ssn <0-255> tt <0-255> [strip-signature]",
      SCCP_ROUTE_STR DEFAULT_STR PC_STR SSN_STR TT_STR STRIP_STR)
{
	return set_route(vty, "", argv[0], num_arg(argv[1]), num_arg(argv[2]), strip_arg(argc, argv, 3));
}

DEFUN(cfg_sccp_no_route, cfg_sccp_no_route_cmd,
      "no route gt PREFIX",
      NO_STR SCCP_ROUTE_STR GT_PREFIX_STR)
{
	if (sccp_route_del(g_sccp_cfg, argv[0]) < 0) {
		vty_out(vty, "%% no route gt %s%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

DEFUN(cfg_sccp_no_route_def, cfg_sccp_no_route_def_cmd,
      "no route default",
      NO_STR SCCP_ROUTE_STR DEFAULT_STR)
{
	if (sccp_route_del(g_sccp_cfg, "") < 0) {
		vty_out(vty, "%% no default route%s", VTY_NEWLINE);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

/* show */

static void write_route_args(struct vty *vty, const struct sccp_route *r)
{
	vty_out(vty, " pc %s", pc_str(r->pc));
	if (r->has_ssn)
		vty_out(vty, " ssn %u", r->ssn);
	if (r->has_tt)
		vty_out(vty, " tt %u", r->tt);
	if (r->strip_signature)
		vty_out(vty, " strip-signature");
}

DEFUN(show_sccp_routes, show_sccp_routes_cmd,
      "show sccp routes",
      SHOW_STR SCCP_STR "Routes by called global title prefix\n")
{
	const struct sccp_route *r;

	vty_out(vty, "%-20s %-12s %-5s %-5s %s%s", "called GT prefix", "pc", "ssn", "tt", "signature", VTY_NEWLINE);
	llist_for_each_entry(r, &g_sccp_cfg->routes, entry) {
		char ssn[8] = "-", tt[8] = "-";

		if (r->has_ssn)
			snprintf(ssn, sizeof(ssn), "%u", r->ssn);
		if (r->has_tt)
			snprintf(tt, sizeof(tt), "%u", r->tt);
		vty_out(vty, "%-20s %-12s %-5s %-5s %s%s", r->prefix[0] ? r->prefix : "default", pc_str(r->pc), ssn,
			tt, r->strip_signature ? "stripped" : "kept", VTY_NEWLINE);
	}
	vty_out(vty, "%u route(s)%s", g_sccp_cfg->n_routes, VTY_NEWLINE);
	return CMD_SUCCESS;
}

static const struct {
	unsigned int idx;
	const char *name;
} show_ctrs[] = {
	{ SCCP_CTR_RX_UDT, "rx UDT" }, { SCCP_CTR_RX_XUDT, "rx XUDT" }, { SCCP_CTR_RX_SEGMENT, "rx segments" },
	{ SCCP_CTR_RX_REASSEMBLED, "rx reassembled" }, { SCCP_CTR_RX_UDTS, "rx UDTS" },
	{ SCCP_CTR_RX_XUDTS, "rx XUDTS" }, { SCCP_CTR_TX_UDT, "tx UDT" }, { SCCP_CTR_TX_XUDT, "tx XUDT" },
	{ SCCP_CTR_TX_SEGMENT, "tx segments" }, { SCCP_CTR_TX_UDTS, "tx UDTS" }, { SCCP_CTR_TX_XUDTS, "tx XUDTS" },
	{ SCCP_CTR_TX_FAILED, "tx failed" }, { SCCP_CTR_DROP_MALFORMED, "dropped malformed" },
	{ SCCP_CTR_DROP_UNSUPPORTED, "dropped unsupported" }, { SCCP_CTR_DROP_NO_USER, "dropped no consumer" },
	{ SCCP_CTR_DROP_REASM_TIMEOUT, "reassembly timeout" },
	{ SCCP_CTR_DROP_REASM_INCONSISTENT, "reassembly inconsistent" },
	{ SCCP_CTR_DROP_REASM_TOO_LARGE, "reassembly too large" },
	{ SCCP_CTR_DROP_REASM_EVICTED, "reassembly evicted" },
};

DEFUN(show_sccp, show_sccp_cmd,
      "show sccp",
      SHOW_STR SCCP_STR)
{
	struct sccp_user *u;
	unsigned int i;

	if (!g_sccp_cfg->enabled) {
		vty_out(vty, "SCCP: not configured%s", VTY_NEWLINE);
		return CMD_SUCCESS;
	}
	vty_out(vty, "SCCP on cs7 instance %u, local GT %s, max-message-length %zu, reassembly %zu octets, "
		"%u segments, %u in parallel, T(reassembly) %lu s%s", g_sccp_cfg->cs7_instance,
		g_sccp_cfg->has_local_gt ? g_sccp_cfg->local_gt : "-", g_sccp_cfg->max_sif,
		g_sccp_cfg->reasm.max_octets, g_sccp_cfg->reasm.max_segments, g_sccp_cfg->reasm.max_parallel,
		osmo_tdef_get(sccp_tdefs, SCCP_T_REASSEMBLY, OSMO_TDEF_S, 0), VTY_NEWLINE);
	for (u = sccp_user_next(NULL); u; u = sccp_user_next(u)) {
		vty_out(vty, " bound on cs7 instance %u: local PC %s, MTP %s, %u reassembl%s in progress%s",
			sccp_user_cs7_instance(u), sccp_user_pc_str(u, sccp_user_local_pc(u)),
			sccp_user_available(u) ? "available" : "unavailable", sccp_user_reassembling(u),
			sccp_user_reassembling(u) == 1 ? "y" : "ies", VTY_NEWLINE);
		for (i = 0; i < ARRAY_SIZE(show_ctrs); i++)
			vty_out(vty, "  %-24s %" PRIu64 "%s", show_ctrs[i].name,
				sccp_user_ctr_get(u, show_ctrs[i].idx), VTY_NEWLINE);
	}
	return CMD_SUCCESS;
}

/* config writer */

static int config_write_sccp(struct vty *vty)
{
	const struct sccp_route *r;

	/* the timer group is top-level ("timer sccp X1 15") */
	osmo_tdef_vty_write(vty, sccp_tdefs, "timer sccp ");
	if (!g_sccp_cfg->enabled)
		return CMD_SUCCESS;
	vty_out(vty, "sccp%s", VTY_NEWLINE);
	vty_out(vty, " cs7-instance %u%s", g_sccp_cfg->cs7_instance, VTY_NEWLINE);
	if (g_sccp_cfg->has_local_gt) {
		vty_out(vty, " local-gt %s", g_sccp_cfg->local_gt);
		if (g_sccp_cfg->has_local_tt)
			vty_out(vty, " tt %u", g_sccp_cfg->local_tt);
		vty_out(vty, "%s", VTY_NEWLINE);
	}
	vty_out(vty, " max-message-length %zu%s", g_sccp_cfg->max_sif, VTY_NEWLINE);
	vty_out(vty, " reassembly max-octets %zu max-parallel %u%s", g_sccp_cfg->reasm.max_octets,
		g_sccp_cfg->reasm.max_parallel, VTY_NEWLINE);
	vty_out(vty, " reassembly max-segments %u%s", g_sccp_cfg->reasm.max_segments, VTY_NEWLINE);
	llist_for_each_entry(r, &g_sccp_cfg->routes, entry) {
		if (r->prefix[0])
			vty_out(vty, " route gt %s", r->prefix);
		else
			vty_out(vty, " route default");
		write_route_args(vty, r);
		vty_out(vty, "%s", VTY_NEWLINE);
	}
	return CMD_SUCCESS;
}

void sccp_vty_init(void *ctx)
{
	if (g_sccp_cfg)
		return;
	g_sccp_cfg = sccp_cfg_alloc(ctx);
	OSMO_ASSERT(g_sccp_cfg);
	sccp_tdefs_init();

	install_element(CONFIG_NODE, &cfg_sccp_cmd);
	install_element(CONFIG_NODE, &cfg_no_sccp_cmd);
	install_node(&sccp_node, config_write_sccp);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_cs7_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_local_gt_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_local_gt_tt_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_no_local_gt_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_max_msg_len_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_reasm_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_reasm_segs_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_route_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_route_ssn_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_route_tt_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_route_ssn_tt_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_route_def_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_route_def_ssn_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_route_def_tt_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_route_def_ssn_tt_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_no_route_cmd);
	install_element(STIWF_SCCP_NODE, &cfg_sccp_no_route_def_cmd);
	install_element_ve(&show_sccp_cmd);
	install_element_ve(&show_sccp_routes_cmd);
}
