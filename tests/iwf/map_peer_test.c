/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The MAP border's configuration (iwf/map_peer.c, iwf/map_peer_vty.c):
 * the example of iwf/map_peer.h is read into what it says and written back
 * exactly, bad lines are refused with file:line, a calling GT finds its
 * map-peer by the longest prefix (else the default one), IMSIs are masked
 * in logs, operations are named or numbered, and iwf_cfg_check() finds
 * the map-peers that cannot work. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include <osmocom/core/application.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/tdef.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/misc.h>
#include <osmocom/vty/vector.h>
#include <osmocom/vty/vty.h>

#include "iwf/map_dialogue.h"
#include "iwf/map_peer.h"
#include "iwf/peer.h"
#include "src/stiwfd/cfg.h"
#include "src/core/logging.h"
#include "tests/cunit_main.h"

static void *ctx;
static char path[256], out_path[256];

static int read_text(const char *text, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	iwf_map_cfg_reset(g_map_cfg);
	iwf_cfg_reset(g_iwf_cfg);
	osmo_tdefs_reset(iwf_map_tdefs);
	return stiwf_config_read(path, err, errlen);
}

static char *slurp(const char *p)
{
	FILE *in = fopen(p, "r"), *out;
	char line[1024], *buf = NULL;
	size_t len = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	out = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	while (fgets(line, sizeof(line), in))
		fputs(line, out);
	fclose(in);
	fclose(out);
	return buf;
}

/* the example of iwf/map_peer.h, as "write" gives it back */
#define EXAMPLE_TOP \
	"map-category anyTimeInterrogation cat1\n" \
	"map-category 131 cat2\n" \
	"map-log imsi-mask 6\n" \
	"map-dialogues max 65536\n"
#define EXAMPLE_PEERS \
	"map-peer our-network\n" \
	" calling-gt 4930\n" \
	" sign\n" \
	"map-peer partner-fr\n" \
	" calling-gt 336\n" \
	" calling-gt 3360\n" \
	" policy screen\n" \
	" screen cat3 block\n" \
	" screen sms pass\n" \
	" block-action tc-abort\n" \
	" repository-miss-limit 5 burst 20\n" \
	"map-peer others\n" \
	" calling-gt default\n" \
	" policy reject\n" \
	" block-action drop\n"

/* what the writer adds to the example: every knob of a map-peer */
#define WRITTEN_PEERS \
	"map-peer our-network\n" \
	" calling-gt 4930\n" \
	" sign\n" \
	" screen cat3 pass\n" \
	" screen sms pass\n" \
	" block-action drop\n" \
	" repository-miss-limit 5 burst 20\n" \
	"map-peer partner-fr\n" \
	" calling-gt 336\n" \
	" calling-gt 3360\n" \
	" policy screen\n" \
	" screen cat3 block\n" \
	" screen sms pass\n" \
	" block-action tc-abort\n" \
	" repository-miss-limit 5 burst 20\n" \
	"map-peer others\n" \
	" calling-gt default\n" \
	" policy reject\n" \
	" screen cat3 pass\n" \
	" screen sms pass\n" \
	" block-action drop\n" \
	" repository-miss-limit 5 burst 20\n"

static void test_example(void)
{
	const struct iwf_map_peer *home, *fr, *others;
	char err[512];

	CU_ASSERT_EQUAL_FATAL(read_text(EXAMPLE_TOP EXAMPLE_PEERS "timer map X1 60\n", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(g_map_cfg->n_peers, 3);
	home = iwf_map_peer_find(g_map_cfg, "our-network");
	fr = iwf_map_peer_find(g_map_cfg, "partner-fr");
	others = iwf_map_peer_find(g_map_cfg, "others");
	CU_ASSERT_PTR_NOT_NULL_FATAL(home);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(others);
	CU_ASSERT_EQUAL(home->role, IWF_MAP_ROLE_HOME);
	CU_ASSERT_EQUAL(home->n_gt, 1);
	CU_ASSERT_FALSE(home->is_default);
	CU_ASSERT_EQUAL(fr->role, IWF_MAP_ROLE_FOREIGN);
	CU_ASSERT_EQUAL(fr->screen.policy, IWF_MAP_POLICY_SCREEN);
	CU_ASSERT_TRUE(fr->screen.cat3_block);
	CU_ASSERT_FALSE(fr->screen.sms_block);
	CU_ASSERT_EQUAL(fr->block_action, IWF_MAP_BLOCK_TC_ABORT);
	CU_ASSERT_EQUAL(fr->n_gt, 2);
	CU_ASSERT_STRING_EQUAL(fr->calling_gt[1], "3360");
	CU_ASSERT(fr->repo_miss_limit && fr->repo_miss_rate == 5 && fr->repo_miss_burst == 20);
	CU_ASSERT_EQUAL(others->screen.policy, IWF_MAP_POLICY_REJECT);
	CU_ASSERT_TRUE(others->is_default);
	CU_ASSERT_EQUAL(others->block_action, IWF_MAP_BLOCK_DROP);
	CU_ASSERT(home->id != fr->id && fr->id != others->id && home->id != others->id);
	/* the category table: configured entries, the defaults elsewhere */
	CU_ASSERT_EQUAL(iwf_map_cat_of(&g_map_cfg->cats, 71), IWF_MAP_CAT_1);
	CU_ASSERT_TRUE(g_map_cfg->cats.configured[71]);
	CU_ASSERT_EQUAL(iwf_map_cat_of(&g_map_cfg->cats, 131), IWF_MAP_CAT_2);
	CU_ASSERT_EQUAL(iwf_map_cat_of(&g_map_cfg->cats, 2), IWF_MAP_CAT_3);
	CU_ASSERT_FALSE(g_map_cfg->cats.configured[2]);
	CU_ASSERT_EQUAL(osmo_tdef_get(iwf_map_tdefs, IWF_MAP_T_DIALOGUE, OSMO_TDEF_S, 0), 60);

	/* the consistency check knows nothing bad about it but the tsca node */
	CU_ASSERT_EQUAL(iwf_cfg_check(err, sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "map-peer our-network: sign needs a credential in the tsca node"));
}

static void test_round_trip(void)
{
	char err[512], *written, *written2;

	/* the non-default globals are written as they were read; the peers
	 * with every knob */
	CU_ASSERT_EQUAL_FATAL(read_text("timer map X1 60\nmap-category anyTimeInterrogation cat1\n"
					"map-category 131 cat2\nmap-log imsi-mask 4\nmap-dialogues max 1000\n"
					"map-signature oid 1.3.6.1.4.1.99999.3057\n"
					EXAMPLE_PEERS, err, sizeof(err)), 0);
	/* 1.3 -> 0x2b; 99999 -> 0x86 0x8d 0x1f; 3057 -> 0x97 0x71 */
	CU_ASSERT_EQUAL(g_map_cfg->sig_oid_len, 10);
	CU_ASSERT_EQUAL(memcmp(g_map_cfg->sig_oid, "\x2b\x06\x01\x04\x01\x86\x8d\x1f\x97\x71", 10), 0);
	CU_ASSERT_EQUAL_FATAL(osmo_vty_write_config_file(out_path), 0);
	written = slurp(out_path);
	if (!strstr(written, WRITTEN_PEERS))
		fprintf(stderr, "\n  written:\n%s\n", written);
	CU_ASSERT_PTR_NOT_NULL(strstr(written, "timer map X1 60\nmap-category anyTimeInterrogation cat1\n"
					      "map-category 131 cat2\nmap-log imsi-mask 4\n"
					      "map-dialogues max 1000\nmap-signature oid 1.3.6.1.4.1.99999.3057\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(written, WRITTEN_PEERS));

	/* which reads back into the same, and writes the same again */
	CU_ASSERT_EQUAL(read_text(written, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(g_map_cfg->imsi_mask, 4);
	CU_ASSERT_EQUAL(g_map_cfg->max_dialogues, 1000);
	CU_ASSERT_EQUAL_FATAL(osmo_vty_write_config_file(out_path), 0);
	written2 = slurp(out_path);
	CU_ASSERT_STRING_EQUAL(written, written2);
	free(written);
	free(written2);

	/* "write" of what it wrote is the same text: the fixed point */
	CU_ASSERT_EQUAL_FATAL(read_text(WRITTEN_PEERS, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(osmo_vty_write_config_file(out_path), 0);
	written = slurp(out_path);
	CU_ASSERT_PTR_NOT_NULL(strstr(written, WRITTEN_PEERS));
	/* the defaults are not written */
	CU_ASSERT_PTR_NULL(strstr(written, "map-category"));
	CU_ASSERT_PTR_NULL(strstr(written, "map-log"));
	CU_ASSERT_PTR_NULL(strstr(written, "map-dialogues"));
	CU_ASSERT_PTR_NULL(strstr(written, "map-signature"));
	CU_ASSERT_EQUAL(g_map_cfg->sig_oid_len, 0);
	CU_ASSERT_PTR_NULL(strstr(written, "timer map"));
	free(written);

	/* the "no" forms */
	CU_ASSERT_EQUAL_FATAL(read_text(EXAMPLE_TOP EXAMPLE_PEERS "no map-category anyTimeInterrogation\n"
					"map-peer partner-fr\n no calling-gt 336\n no repository-miss-limit\n"
					"map-peer others\n no calling-gt default\n calling-gt 1\n"
					"map-peer our-network\n policy tag\nno map-peer our-network\n",
					err, sizeof(err)), 0);
	CU_ASSERT_FALSE(g_map_cfg->cats.configured[71]);
	CU_ASSERT_EQUAL(iwf_map_cat_of(&g_map_cfg->cats, 71), IWF_MAP_CAT_1);
	CU_ASSERT_EQUAL(g_map_cfg->n_peers, 2);
	CU_ASSERT_PTR_NULL(iwf_map_peer_find(g_map_cfg, "our-network"));
	CU_ASSERT_EQUAL(iwf_map_peer_find(g_map_cfg, "partner-fr")->n_gt, 1);
	CU_ASSERT_FALSE(iwf_map_peer_find(g_map_cfg, "partner-fr")->repo_miss_limit);
	CU_ASSERT_FALSE(iwf_map_peer_find(g_map_cfg, "others")->is_default);
	CU_ASSERT_EQUAL_FATAL(osmo_vty_write_config_file(out_path), 0);
	written = slurp(out_path);
	CU_ASSERT_PTR_NOT_NULL(strstr(written, "map-peer partner-fr\n calling-gt 3360\n policy screen\n"
					      " screen cat3 block\n screen sms pass\n block-action tc-abort\n"
					      " no repository-miss-limit\nmap-peer others\n calling-gt 1\n"));
	free(written);
}

static const struct {
	const char *name;
	const char *text;
	const char *want;
} bad_cases[] = {
	{ "name", "map-peer a/b\n", ":1: \"map-peer a/b\"" },
	{ "prefix", "map-peer a\n calling-gt 49x\n", ":2: \" calling-gt 49x\"" },
	{ "long-prefix", "map-peer a\n calling-gt 1234567890123456\n", ":2: \" calling-gt 1234567890123456\"" },
	{ "prefix-twice", "map-peer a\n calling-gt 49\nmap-peer b\n calling-gt 49\n", ":4: \" calling-gt 49\"" },
	{ "two-defaults", "map-peer a\n calling-gt default\nmap-peer b\n calling-gt default\n",
	  ":4: \" calling-gt default\"" },
	{ "policy", "map-peer a\n policy allow\n", ":2: \" policy allow\"" },
	{ "screen", "map-peer a\n screen cat1 block\n", ":2: \" screen cat1 block\"" },
	{ "block-action", "map-peer a\n block-action reset\n", ":2: \" block-action reset\"" },
	{ "miss-limit", "map-peer a\n repository-miss-limit 5 burst 0\n", ":2: " },
	{ "no-gt", "map-peer a\n no calling-gt 49\n", ":2: \" no calling-gt 49\"" },
	{ "no-peer", "no map-peer zz\n", ":1: \"no map-peer zz\"" },
	{ "op-name", "map-category anyTimeInterrogations cat1\n", ":1: \"map-category anyTimeInterrogations cat1\"" },
	{ "op-code", "map-category 256 cat1\n", ":1: \"map-category 256 cat1\"" },
	{ "cat", "map-category sendIMSI cat4\n", ":1: \"map-category sendIMSI cat4\"" },
	{ "mask", "map-log imsi-mask 11\n", ":1: \"map-log imsi-mask 11\"" },
	{ "max", "map-dialogues max 15\n", ":1: \"map-dialogues max 15\"" },
	{ "oid", "map-signature oid 1.x.3\n", ":1: \"map-signature oid 1.x.3\"" },
	{ "oid-arc", "map-signature oid 3.1\n", ":1: \"map-signature oid 3.1\"" },
	{ "timer", "timer map X1 3601\n", ":1: \"timer map X1 3601\"" },
	{ "typo", "map-peer a\n sing\n", ":2: \" sing\"" },
};

static void test_bad_lines(void)
{
	char err[512], want[600];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		CU_ASSERT_EQUAL(read_text(bad_cases[i].text, err, sizeof(err)), -EINVAL);
		snprintf(want, sizeof(want), "%s%s", path, bad_cases[i].want);
		if (!strstr(err, want))
			fprintf(stderr, "\n  case %s: got '%s', want '%s'\n", bad_cases[i].name, err, want);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
	}
}

static void test_peer_by_gt(void)
{
	char err[512];
	const struct iwf_map_peer *a, *b, *d;

	CU_ASSERT_EQUAL_FATAL(read_text("map-peer a\n calling-gt 49\n calling-gt 4930\n"
					"map-peer b\n calling-gt 493\n calling-gt 33\n"
					"map-peer d\n calling-gt default\n", err, sizeof(err)), 0);
	a = iwf_map_peer_find(g_map_cfg, "a");
	b = iwf_map_peer_find(g_map_cfg, "b");
	d = iwf_map_peer_find(g_map_cfg, "d");
	/* the longest prefix over all map-peers */
	CU_ASSERT_PTR_EQUAL(iwf_map_peer_by_gt(g_map_cfg, "4930123"), a);
	CU_ASSERT_PTR_EQUAL(iwf_map_peer_by_gt(g_map_cfg, "4931123"), b);
	CU_ASSERT_PTR_EQUAL(iwf_map_peer_by_gt(g_map_cfg, "4940123"), a);
	CU_ASSERT_PTR_EQUAL(iwf_map_peer_by_gt(g_map_cfg, "336"), b);
	/* the rest, and no GT at all */
	CU_ASSERT_PTR_EQUAL(iwf_map_peer_by_gt(g_map_cfg, "44"), d);
	CU_ASSERT_PTR_EQUAL(iwf_map_peer_by_gt(g_map_cfg, ""), d);
	CU_ASSERT_PTR_EQUAL(iwf_map_peer_by_gt(g_map_cfg, "4"), d);
	/* without a default peer: nobody's */
	CU_ASSERT_EQUAL_FATAL(read_text("map-peer a\n calling-gt 49\n", err, sizeof(err)), 0);
	CU_ASSERT_PTR_NULL(iwf_map_peer_by_gt(g_map_cfg, "44"));
	CU_ASSERT_PTR_NULL(iwf_map_peer_by_gt(g_map_cfg, NULL));
	CU_ASSERT_PTR_NOT_NULL(iwf_map_peer_by_gt(g_map_cfg, "49"));
}

static void test_helpers(void)
{
	char buf[32];

	iwf_map_cfg_reset(g_map_cfg);
	/* the MSIN's last digits go; MCC+MNC stay whatever the mask */
	CU_ASSERT_STRING_EQUAL(iwf_map_imsi_masked(buf, sizeof(buf), g_map_cfg, "262019876543210"), "262019876******");
	g_map_cfg->imsi_mask = 10;
	CU_ASSERT_STRING_EQUAL(iwf_map_imsi_masked(buf, sizeof(buf), g_map_cfg, "262019876543210"), "26201**********");
	CU_ASSERT_STRING_EQUAL(iwf_map_imsi_masked(buf, sizeof(buf), g_map_cfg, "26201987"), "26201***");
	g_map_cfg->imsi_mask = 0;
	CU_ASSERT_STRING_EQUAL(iwf_map_imsi_masked(buf, sizeof(buf), g_map_cfg, "262019876543210"), "262019876543210");
	CU_ASSERT_STRING_EQUAL(iwf_map_imsi_masked(buf, sizeof(buf), g_map_cfg, ""), "");
	g_map_cfg->imsi_mask = IWF_MAP_IMSI_MASK_DEFAULT;

	CU_ASSERT_EQUAL(iwf_map_opcode_parse("anyTimeInterrogation"), 71);
	CU_ASSERT_EQUAL(iwf_map_opcode_parse("updateLocation"), 2);
	CU_ASSERT_EQUAL(iwf_map_opcode_parse("0"), 0);
	CU_ASSERT_EQUAL(iwf_map_opcode_parse("255"), 255);
	CU_ASSERT_EQUAL(iwf_map_opcode_parse("256"), -EINVAL);
	CU_ASSERT_EQUAL(iwf_map_opcode_parse("0071"), -EINVAL);
	CU_ASSERT_EQUAL(iwf_map_opcode_parse("-1"), -EINVAL);
	CU_ASSERT_EQUAL(iwf_map_opcode_parse(""), -EINVAL);
	CU_ASSERT_EQUAL(iwf_map_opcode_parse(NULL), -EINVAL);
	CU_ASSERT_EQUAL(iwf_map_opcode_parse("ati"), -EINVAL);
}

static void test_cfg_check(void)
{
	char err[512];

	/* a peer that matches nothing */
	CU_ASSERT_EQUAL_FATAL(read_text("map-peer a\n policy tag\n", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(iwf_cfg_check(err, sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "map-peer a has no calling-gt and is not the default"));
	/* reject without anything to verify with */
	CU_ASSERT_EQUAL_FATAL(read_text("map-peer a\n calling-gt 1\n policy reject\n", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(iwf_cfg_check(err, sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "map-peer a: policy reject needs a trust-dir in the tsca node"));
	/* tag and screen work without (every signature is then invalid) */
	CU_ASSERT_EQUAL_FATAL(read_text("map-peer a\n calling-gt 1\n policy screen\nmap-peer b\n calling-gt 2\n"
					" policy tag\n", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(iwf_cfg_check(err, sizeof(err)), 0);
	iwf_map_cfg_reset(g_map_cfg);
}

static int setup(void *root)
{
	ctx = root;
	log_set_log_level(osmo_stderr_target, LOGL_FATAL);
	if (stiwf_vty_init(ctx) < 0)
		return -1;
	snprintf(path, sizeof(path), "map_peer_test.%d.conf", (int)getpid());
	snprintf(out_path, sizeof(out_path), "map_peer_test.%d.out", (int)getpid());
	return 0;
}

static unsigned int teardown(void)
{
	unlink(path);
	unlink(out_path);
	/* libosmovty keeps the file it writes over as NAME.sav */
	snprintf(path, sizeof(path), "map_peer_test.%d.out.sav", (int)getpid());
	unlink(path);
	iwf_map_cfg_reset(g_map_cfg);
	iwf_cfg_reset(g_iwf_cfg);
	talloc_free(tall_vty_vec_ctx);
	talloc_free(tall_vty_cmd_ctx);
	talloc_free(tall_vty_ctx);
	return 0;
}

static const struct cunit_test tests[] = {
	{ "the example of iwf/map_peer.h", test_example },
	{ "written back exactly", test_round_trip },
	{ "bad lines name file:line", test_bad_lines },
	{ "a calling GT's map-peer", test_peer_by_gt },
	{ "IMSI masking, operation words", test_helpers },
	{ "iwf_cfg_check", test_cfg_check },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "map-peer", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "map_peer_test",
	.log = CUNIT_LOG_STDERR,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
