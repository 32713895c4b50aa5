/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "sccp" node (ss7/sccp_vty.c) and its route table (ss7/sccp_route.c):
 * a configuration is written back exactly as it was read, bad lines are
 * refused with file:line, the longest called-GT prefix wins over the
 * default route, and a route's SSN and TT rewrite the called address. */

#include <errno.h>
#include <stdarg.h>
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

#include "src/stiwfd/cfg.h"
#include "src/core/logging.h"
#include "ss7/sccp_reasm.h"
#include "ss7/sccp_route.h"
#include "tests/cunit_main.h"

static void *ctx;
static char path[256], out_path[256];

static int read_text(const char *text, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	sccp_cfg_reset(g_sccp_cfg);
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

/* the cs7 instance whose point code format the routes use: 8.8.8 */
#define CS7 \
	"cs7 instance 0\n" \
	" point-code format 8 8 8\n" \
	" point-code 0.0.100\n"

#define SCCP_NODE \
	"sccp\n" \
	" cs7-instance 0\n" \
	" local-gt 4930000000 tt 0\n" \
	" max-message-length 272\n" \
	" reassembly max-octets 3952 max-parallel 256\n" \
	" reassembly max-segments 16\n" \
	" route gt 49 pc 0.0.200 ssn 6\n" \
	" route gt 491 pc 0.0.201 ssn 8 tt 10\n" \
	" route gt 44 pc 0.0.100\n" \
	" route gt 336 pc 0.0.103 strip-signature\n" \
	" route gt 337 pc 0.0.103 ssn 7 tt 1 strip-signature\n" \
	" route default pc 0.0.102 tt 0\n"

static void test_round_trip(void)
{
	char err[512], *written, *written2;

	/* the ISUP timers share libosmocore's one list of timer groups */
	CU_ASSERT_EQUAL_FATAL(read_text(CS7 "timer isup T7 25\ntimer sccp X1 15\n" SCCP_NODE, err, sizeof(err)), 0);
	CU_ASSERT(g_sccp_cfg->enabled);
	CU_ASSERT_EQUAL(g_sccp_cfg->n_routes, 6);
	CU_ASSERT_STRING_EQUAL(g_sccp_cfg->local_gt, "4930000000");
	CU_ASSERT_EQUAL(osmo_tdef_get(sccp_tdefs, SCCP_T_REASSEMBLY, OSMO_TDEF_S, 0), 15);

	CU_ASSERT_EQUAL_FATAL(osmo_vty_write_config_file(out_path), 0);
	written = slurp(out_path);
	/* exactly what was read, in the same order */
	if (!strstr(written, SCCP_NODE))
		fprintf(stderr, "\n  written:\n%s\n", written);
	CU_ASSERT_PTR_NOT_NULL(strstr(written, SCCP_NODE));
	CU_ASSERT_PTR_NOT_NULL(strstr(written, "timer sccp X1 15\n"));

	/* and that reads back to the same configuration */
	CU_ASSERT_EQUAL(stiwf_config_read(out_path, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(osmo_vty_write_config_file(out_path), 0);
	written2 = slurp(out_path);
	CU_ASSERT_STRING_EQUAL(written, written2);
	free(written);
	free(written2);

	/* without the optional words, written back without them */
	CU_ASSERT_EQUAL_FATAL(read_text(CS7 "timer sccp X1 default\nsccp\n local-gt 4930000001\n max-message-length 1000\n",
					err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(osmo_vty_write_config_file(out_path), 0);
	written = slurp(out_path);
	CU_ASSERT_PTR_NOT_NULL(strstr(written, "sccp\n cs7-instance 0\n local-gt 4930000001\n max-message-length 1000\n"
					      " reassembly max-octets 3952 max-parallel 256\n"));
	CU_ASSERT_PTR_NULL(strstr(written, "timer sccp"));
	CU_ASSERT_PTR_NULL(strstr(written, " route "));
	free(written);

	/* no sccp node, nothing written */
	sccp_cfg_reset(g_sccp_cfg);
	CU_ASSERT_EQUAL_FATAL(osmo_vty_write_config_file(out_path), 0);
	written = slurp(out_path);
	CU_ASSERT_PTR_NULL(strstr(written, "\nsccp\n"));
	CU_ASSERT_PTR_NULL(strstr(written, " route "));
	free(written);
}

static void test_lookup(void)
{
	struct sccp_route_result res;
	struct sccp_addr called = { 0 };
	char err[512];

	CU_ASSERT_EQUAL_FATAL(read_text(CS7 SCCP_NODE, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(sccp_route_lookup("4930123456", &res), 0);
	CU_ASSERT(res.pc == 200 && res.has_ssn && res.ssn == 6 && !res.has_tt && !res.is_default);
	CU_ASSERT_EQUAL(sccp_route_lookup("4917212345", &res), 0);
	CU_ASSERT(res.pc == 201 && res.ssn == 8 && res.has_tt && res.tt == 10);
	CU_ASSERT_EQUAL(sccp_route_lookup("491", &res), 0);
	CU_ASSERT_EQUAL(res.pc, 201);
	CU_ASSERT_EQUAL(sccp_route_lookup("49", &res), 0);
	CU_ASSERT_EQUAL(res.pc, 200);
	CU_ASSERT_EQUAL(sccp_route_lookup("4", &res), 0);
	CU_ASSERT(res.pc == 102 && res.is_default && res.has_tt && res.tt == 0 && !res.has_ssn);
	CU_ASSERT_EQUAL(sccp_route_lookup("447700900123", &res), 0);
	CU_ASSERT(res.pc == 100 && !res.has_ssn && !res.is_default);
	CU_ASSERT_EQUAL(sccp_route_lookup("", &res), 0);
	CU_ASSERT(res.is_default);
	CU_ASSERT_FALSE(res.strip_signature);
	/* the next hop that does not want the MAP signature */
	CU_ASSERT_EQUAL(sccp_route_lookup("33612345678", &res), 0);
	CU_ASSERT(res.pc == 103 && res.strip_signature && !res.has_ssn);
	CU_ASSERT_EQUAL(sccp_route_lookup("3371", &res), 0);
	CU_ASSERT(res.strip_signature && res.ssn == 7 && res.tt == 1);
	CU_ASSERT_EQUAL(sccp_route_lookup("4930123456", &res), 0);
	CU_ASSERT_FALSE(res.strip_signature);
	/* given again without the word: kept again */
	CU_ASSERT_EQUAL(sccp_route_set_strip_signature(g_sccp_cfg, "336", false), 0);
	CU_ASSERT_EQUAL(sccp_route_lookup("33612345678", &res), 0);
	CU_ASSERT_FALSE(res.strip_signature);
	CU_ASSERT_EQUAL(sccp_route_set_strip_signature(g_sccp_cfg, "999", true), -ENOENT);
	CU_ASSERT_EQUAL_FATAL(read_text(CS7 SCCP_NODE "sccp\n route gt 337 pc 0.0.104\n", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(sccp_route_lookup("3371", &res), 0);
	CU_ASSERT(res.pc == 104 && !res.strip_signature);
	CU_ASSERT_EQUAL_FATAL(read_text(CS7 SCCP_NODE, err, sizeof(err)), 0);

	/* the route rewrites the called address */
	called.ri = SCCP_RI_GT;
	called.gt.gti = SCCP_GTI_TT_NP_ES_NAI;
	called.gt.tt = 0;
	CU_ASSERT_EQUAL(sccp_route_lookup("4917212345", &res), 0);
	sccp_route_apply(&res, &called);
	CU_ASSERT(called.has_ssn && called.ssn == 8 && called.gt.tt == 10);
	called.gt.gti = SCCP_GTI_NAI;	/* no TT to set */
	called.gt.tt = 0;
	sccp_route_apply(&res, &called);
	CU_ASSERT_EQUAL(called.gt.tt, 0);

	/* replaced in place, removed, no default */
	CU_ASSERT_EQUAL(sccp_route_set(g_sccp_cfg, "49", 300, -1, -1), 0);
	CU_ASSERT_EQUAL(g_sccp_cfg->n_routes, 6);
	CU_ASSERT_EQUAL(sccp_route_lookup("4930", &res), 0);
	CU_ASSERT(res.pc == 300 && !res.has_ssn);
	CU_ASSERT_EQUAL(sccp_route_del(g_sccp_cfg, ""), 0);
	CU_ASSERT_EQUAL(sccp_route_del(g_sccp_cfg, ""), -ENOENT);
	CU_ASSERT_EQUAL(sccp_route_lookup("33", &res), -ENOENT);
	CU_ASSERT_EQUAL(sccp_route_set(g_sccp_cfg, "4x", 1, -1, -1), -EINVAL);
	CU_ASSERT_EQUAL(sccp_route_set(g_sccp_cfg, "4", 0x4000, -1, -1), -EINVAL);
	/* the VTY removes them too */
	CU_ASSERT_EQUAL_FATAL(read_text(CS7 SCCP_NODE "sccp\n no route gt 491\n no route default\n no local-gt\n", err,
					sizeof(err)), 0);
	CU_ASSERT_EQUAL(g_sccp_cfg->n_routes, 4);
	CU_ASSERT_FALSE(g_sccp_cfg->has_local_gt);
	CU_ASSERT_EQUAL(sccp_route_lookup("4917", &res), 0);
	CU_ASSERT_EQUAL(res.pc, 200);
	CU_ASSERT_EQUAL_FATAL(read_text(CS7 SCCP_NODE "no sccp\n", err, sizeof(err)), 0);
	CU_ASSERT(!g_sccp_cfg->enabled && g_sccp_cfg->n_routes == 0);
	CU_ASSERT_EQUAL(sccp_route_lookup("49", &res), -ENOENT);
}

static const struct {
	const char *name;
	const char *text;
	const char *want;
} bad_cases[] = {
	{ "prefix", CS7 "sccp\n route gt 49x pc 0.0.1\n", ":5: \" route gt 49x pc 0.0.1\"" },
	{ "long-prefix", CS7 "sccp\n route gt 123456789012345678901234567890123 pc 0.0.1\n", ":5: " },
	{ "pc-format", CS7 "sccp\n route gt 49 pc 200\n", ":5: \" route gt 49 pc 200\"" },
	{ "pc-14-bit", CS7 "sccp\n route default pc 0.64.0\n", ":5: \" route default pc 0.64.0\"" },
	{ "no-instance", CS7 "sccp\n cs7-instance 3\n route gt 49 pc 0.0.1\n", ":6: \" route gt 49 pc 0.0.1\"" },
	{ "ssn", CS7 "sccp\n route gt 49 pc 0.0.1 ssn 256\n", ":5: " },
	{ "max-len", CS7 "sccp\n max-message-length 63\n", ":5: \" max-message-length 63\"" },
	{ "reasm", CS7 "sccp\n reassembly max-octets 3953 max-parallel 1\n", ":5: " },
	{ "segments", CS7 "sccp\n reassembly max-segments 17\n", ":5: " },
	{ "local-gt", CS7 "sccp\n local-gt 49a\n", ":5: \" local-gt 49a\"" },
	{ "timer", "timer sccp X1 61\n", ":1: \"timer sccp X1 61\"" },
	{ "typo", CS7 "sccp\n rout gt 49 pc 0.0.1\n", ":5: \" rout gt 49 pc 0.0.1\"" },
	{ "strip-typo", CS7 "sccp\n route gt 49 pc 0.0.1 strip\n", ":5: \" route gt 49 pc 0.0.1 strip\"" },
	{ "strip-order", CS7 "sccp\n route gt 49 pc 0.0.1 strip-signature ssn 6\n", ":5: " },
};

static void test_bad_lines(void)
{
	char err[512], want[600];
	unsigned int i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		CU_ASSERT_EQUAL(read_text(bad_cases[i].text, err, sizeof(err)), -EINVAL);
		snprintf(want, sizeof(want), "%s%s", path, bad_cases[i].want);
		if (!strstr(err, want))
			fprintf(stderr, "\n  case %s: got '%s', want '%s'\n", bad_cases[i].name, err, want);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
	}
	osmo_tdefs_reset(sccp_tdefs);
}

static void test_sample_config(void)
{
	char err[512], sample[512];
	const char *srcdir = getenv("srcdir");

	/* contrib/stiwfd.conf documents the node in comments: uncommented,
	 * its lines are valid */
	snprintf(sample, sizeof(sample), "%s/contrib/stiwfd.conf", srcdir ? srcdir : ".");
	{
		FILE *in = fopen(sample, "r"), *out = fopen(path, "w");
		char line[512];
		bool in_node = false;
		unsigned int n = 0;

		CU_ASSERT_PTR_NOT_NULL_FATAL(in);
		CU_ASSERT_PTR_NOT_NULL_FATAL(out);
		/* as the sample's commented cs7 node: format 24 */
		fputs("cs7 instance 0\n point-code format 24\n point-code 100\n", out);
		while (fgets(line, sizeof(line), in)) {
			if (!strcmp(line, "!sccp\n"))
				in_node = true;
			else if (in_node && strncmp(line, "! ", 2) && strncmp(line, "!! ", 3))
				in_node = false;
			if (in_node && !strncmp(line, "!! ", 3))
				continue;
			if (in_node) {
				fputs(line + 1, out);
				n++;
			}
		}
		fclose(in);
		fclose(out);
		CU_ASSERT(n > 5);
	}
	sccp_cfg_reset(g_sccp_cfg);
	CU_ASSERT_EQUAL(stiwf_config_read(path, err, sizeof(err)), 0);
	if (err[0])
		fprintf(stderr, "\n  %s\n", err);
	CU_ASSERT(g_sccp_cfg->enabled && g_sccp_cfg->n_routes > 0);
}

static int setup(void *root)
{
	ctx = root;
	log_set_log_level(osmo_stderr_target, LOGL_FATAL);
	if (stiwf_vty_init(ctx) < 0)
		return -1;
	snprintf(path, sizeof(path), "sccp_route_test.%d.conf", (int)getpid());
	snprintf(out_path, sizeof(out_path), "sccp_route_test.%d.written", (int)getpid());
	return 0;
}

static unsigned int teardown(void)
{
	/* as tests/src/stiwfd/cfg_test.c: libosmovty's tables and libosmocore's root
	 * context, for a clean valgrind exit */
	talloc_free(tall_vty_vec_ctx);
	talloc_free(tall_vty_cmd_ctx);
	talloc_free(tall_vty_ctx);
	unlink(path);
	unlink(out_path);
	{
		char sav[300];

		snprintf(sav, sizeof(sav), "%s.sav", out_path);
		unlink(sav);
	}
	return 0;
}

static const struct cunit_test tests[] = {
	{ "written back as read", test_round_trip },
	{ "longest prefix, default, rewrite", test_lookup },
	{ "bad lines name file and line", test_bad_lines },
	{ "the sample in contrib/stiwfd.conf", test_sample_config },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "sccp_route", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "sccp_route_test",
	.log = CUNIT_LOG_STDERR,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
