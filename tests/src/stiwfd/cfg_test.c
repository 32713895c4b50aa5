/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the configuration file: good files set what they say, bad ones are
 * refused with the file, the line number and the line. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include <osmocom/core/talloc.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vector.h>
#include <osmocom/vty/vty.h>

#include "sip/sip_agent.h"
#include "src/stiwfd/cfg.h"
#include "src/core/logging.h"
#include "tests/cunit_main.h"

static void *ctx;

static const char *write_file(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "cfg_test.%d.%s", (int)getpid(), name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_good_config(void)
{
	char err[512];
	const char *path = write_file("good.conf",
		"! a comment\n"
		"log stderr\n"
		" logging level set-all info\n"
		" logging level sip debug\n"
		"log syslog daemon\n"
		" logging level set-all error\n"
		"line vty\n"
		" bind 127.0.0.1 4299\n"
		"sip\n"
		" local 192.0.2.10 5080\n"
		" transport udp+tcp\n"
		" user-agent border gw 1\n"
		"cs7 instance 0\n"
		" point-code format 24\n"
		" point-code 100\n"
		" asp asp-stp 2905 2906 m3ua\n"
		"  remote-ip 127.0.0.1\n"
		"  local-ip 127.0.0.1\n"
		" as as-stp m3ua\n"
		"  asp asp-stp\n"
		"  routing-key 10 100\n");

	CU_ASSERT_EQUAL(stiwf_config_read(path, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(err, "");
	CU_ASSERT_STRING_EQUAL(g_sip_cfg->local_addr, "192.0.2.10");
	CU_ASSERT_EQUAL(g_sip_cfg->local_port, 5080);
	CU_ASSERT_EQUAL(g_sip_cfg->transport, STIWF_SIP_TP_UDP_TCP);
	CU_ASSERT_STRING_EQUAL(g_sip_cfg->user_agent, "border gw 1");
	unlink(path);
}

static void test_ipv6_and_url(void)
{
	char err[512], url[128];
	const char *path = write_file("v6.conf",
		"sip\n"
		" local ::1 5062\n"
		" transport tcp\n");

	CU_ASSERT_EQUAL(stiwf_config_read(path, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(stiwf_sip_cfg_url(g_sip_cfg, url, sizeof(url)), 0);
	CU_ASSERT_STRING_EQUAL(url, "sip:[::1]:5062;transport=tcp");
	CU_ASSERT_EQUAL(stiwf_sip_cfg_url(g_sip_cfg, url, 10), -ENOSPC);
	unlink(path);
}

struct bad_case {
	const char *name;
	const char *text;
	const char *want;	/* what the error must contain */
};

static const struct bad_case bad_cases[] = {
	{ "unknown-command", "sip\n local 127.0.0.1 5060\n frobnicate 1\n", ":3: \" frobnicate 1\"" },
	{ "port-out-of-range", "! c\n!\nsip\n local 127.0.0.1 70000\n", ":4: \" local 127.0.0.1 70000\"" },
	{ "bad-address", "sip\n local not-an-address 5060\n", ":2: \" local not-an-address 5060\"" },
	{ "bad-transport", "sip\n transport sctp\n", ":2: \" transport sctp\"" },
	{ "top-level-typo", "log stderr\n logging level set-all info\nsipp\n", ":3: \"sipp\"" },
	{ "incomplete", "sip\n local\n", ":2: \" local\"" },
};

static void test_bad_configs(void)
{
	char err[512], want[600];
	unsigned int i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const char *path = write_file(bad_cases[i].name, bad_cases[i].text);

		CU_ASSERT_EQUAL(stiwf_config_read(path, err, sizeof(err)), -EINVAL);
		snprintf(want, sizeof(want), "%s%s", path, bad_cases[i].want);
		if (!strstr(err, want))
			fprintf(stderr, "\n  case %s: got '%s', want '%s'\n", bad_cases[i].name, err, want);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
		unlink(path);
	}
}

static void test_missing_file(void)
{
	char err[512];

	CU_ASSERT_EQUAL(stiwf_config_read("/nonexistent/stiwfd.conf", err, sizeof(err)), -ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/stiwfd.conf: No such file"));
}

static void test_sample_config(void)
{
	char err[512], path[512];
	const char *srcdir = getenv("srcdir");

	/* The sample shipped in contrib/ must always be valid. */
	snprintf(path, sizeof(path), "%s/contrib/stiwfd.conf", srcdir ? srcdir : ".");
	CU_ASSERT_EQUAL(stiwf_config_read(path, err, sizeof(err)), 0);
	if (err[0])
		fprintf(stderr, "\n  %s\n", err);
	CU_ASSERT_STRING_EQUAL(g_sip_cfg->local_addr, "127.0.0.1");
	CU_ASSERT_EQUAL(g_sip_cfg->local_port, 5060);
}

static int setup(void *root)
{
	ctx = root;
	if (stiwf_vty_init(ctx) < 0)
		return -1;
	return 0;
}

static unsigned int teardown(void)
{
	/* libosmovty's command tables and libosmocore's per-thread root
	 * context are only reachable from globals that point past talloc's
	 * chunk header: free them so that valgrind sees a clean exit. */
	talloc_free(tall_vty_vec_ctx);
	talloc_free(tall_vty_cmd_ctx);
	talloc_free(tall_vty_ctx);
	return 0;
}

static const struct cunit_test tests[] = {
	{ "good configuration", test_good_config },
	{ "IPv6 SIP binding", test_ipv6_and_url },
	{ "bad configurations name the line", test_bad_configs },
	{ "missing file", test_missing_file },
	{ "sample configuration", test_sample_config },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "cfg", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "cfg_test",
	.log = CUNIT_LOG_STDERR,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
