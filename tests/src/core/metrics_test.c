/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The metrics endpoint's request parser (metrics_http_parse()) and the
 * Prometheus text of counter groups (metrics_format()). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/stats.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "src/core/logging.h"
#include "src/core/metrics.h"
#include "tests/cunit_main.h"

static void *ctx;

static int parse(const char *s)
{
	return metrics_http_parse((const uint8_t *)s, strlen(s), METRICS_MAX_HEAD);
}

static void test_parse_table(void)
{
	static const struct {
		const char *req;
		int want;
	} c[] = {
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 200 },
		{ "GET /metrics HTTP/1.0\r\n\r\n", 200 },
		{ "GET /metrics?name[]=x HTTP/1.1\r\nAccept: text/plain;version=0.0.4\r\n\r\n", 200 },
		{ "GET /metrics HTTP/1.1\n\n", 200 },		/* bare LF */
		{ "GET / HTTP/1.1\r\n\r\n", 404 },
		{ "GET /metricsx HTTP/1.1\r\n\r\n", 404 },
		{ "GET /metric HTTP/1.1\r\n\r\n", 404 },
		{ "GET /metrics/ HTTP/1.1\r\n\r\n", 404 },
		{ "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 405 },
		{ "HEAD /metrics HTTP/1.1\r\n\r\n", 405 },
		{ "get /metrics HTTP/1.1\r\n\r\n", 405 },	/* methods are case-sensitive */
		{ "GET /metrics HTTP/2.0\r\n\r\n", 400 },
		{ "GET /metrics HTTP/1.1 \r\n\r\n", 400 },
		{ "GET  /metrics HTTP/1.1\r\n\r\n", 400 },
		{ "GET metrics HTTP/1.1\r\n\r\n", 400 },
		{ "GET /metrics\r\n\r\n", 400 },		/* HTTP/0.9 */
		{ " GET /metrics HTTP/1.1\r\n\r\n", 400 },
		{ "GET /metrics HTTP/1.1\r\nno colon\r\n\r\n", 400 },
		{ "GET /metrics HTTP/1.1\r\n: empty name\r\n\r\n", 400 },
		{ "GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n", 400 },
		{ "GET /metrics HTTP/1.1\r\nX: a\001b\r\n\r\n", 400 },
		{ "\026\003\001\002\000", 400 },			/* a TLS ClientHello */
		/* not complete yet */
		{ "", 0 },
		{ "GET /metr", 0 },
		{ "GET /metrics HTTP/1.1\r\n", 0 },
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\n", 0 },
		/* known bad before the head ends */
		{ "PUT / HTTP/3\r\n", 400 },
		{ "GET /metrics HTTP/1.1\r\nbad line\r\n", 400 },
	};
	unsigned int i;
	int got;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		got = parse(c[i].req);
		if (got != c[i].want)
			printf("\n  case %u: got %d, want %d", i, got, c[i].want);
		CU_ASSERT_EQUAL(got, c[i].want);
	}
}

/* A head that does not end within the bound: 431, and never a read past
 * the length given (the copy is exact-size, ASAN sees any overrun). */
static void test_parse_bounds(void)
{
	size_t n = METRICS_MAX_HEAD + 100, i;
	uint8_t *buf = malloc(n);
	const char *line = "GET /metrics HTTP/1.1\r\n";
	const char *full = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
	uint8_t *cut;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	memcpy(buf, line, strlen(line));
	for (i = strlen(line); i < n; i++)
		buf[i] = (i % 40 == 39) ? '\n' : 'a';
	/* "aaaa...\n" lines have no colon: 400 before the bound */
	CU_ASSERT_EQUAL(metrics_http_parse(buf, n, METRICS_MAX_HEAD), 400);
	/* "X:aaa...\n" lines: good, but too many */
	for (i = strlen(line); i < n; i++) {
		size_t j = (i - strlen(line)) % 40;

		buf[i] = j == 39 ? '\n' : j == 0 ? 'X' : j == 1 ? ':' : 'a';
	}
	CU_ASSERT_EQUAL(metrics_http_parse(buf, n, METRICS_MAX_HEAD), 431);
	CU_ASSERT_EQUAL(metrics_http_parse(buf, METRICS_MAX_HEAD - 1, METRICS_MAX_HEAD), 0);
	CU_ASSERT_EQUAL(metrics_http_parse(buf, METRICS_MAX_HEAD, METRICS_MAX_HEAD), 431);
	/* a request line longer than the bound */
	memcpy(buf, "GET /", 5);
	memset(buf + 5, 'm', n - 5);
	CU_ASSERT_EQUAL(metrics_http_parse(buf, n, METRICS_MAX_HEAD), 431);
	free(buf);

	/* every truncation of a good request: 0 (more) until complete */
	for (i = 0; i <= strlen(full); i++) {
		cut = malloc(i ? i : 1);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cut);
		memcpy(cut, full, i);
		CU_ASSERT_EQUAL(metrics_http_parse(cut, i, METRICS_MAX_HEAD), i == strlen(full) ? 200 : 0);
		free(cut);
	}
	/* bit flips of a good request: never a crash, always a defined answer */
	for (i = 0; i < strlen(full) * 8; i++) {
		int got;

		cut = malloc(strlen(full));
		CU_ASSERT_PTR_NOT_NULL_FATAL(cut);
		memcpy(cut, full, strlen(full));
		cut[i / 8] ^= 1u << (i % 8);
		got = metrics_http_parse(cut, strlen(full), METRICS_MAX_HEAD);
		CU_ASSERT(got == 0 || got == 200 || got == 400 || got == 404 || got == 405);
		free(cut);
	}
}

static const struct rate_ctr_desc t_ctr_desc[] = {
	{ "verstat:passed", "Passed \"quoted\" \\ back" },
	{ "hop-valid", "Valid" },
};

static const struct rate_ctr_group_desc t_ctrg_desc = {
	.group_name_prefix = "test_peer",
	.group_description = "test",
	.class_id = OSMO_STATS_CLASS_PEER,
	.num_ctr = ARRAY_SIZE(t_ctr_desc),
	.ctr_desc = t_ctr_desc,
};

static void test_format(void)
{
	struct rate_ctr_group *a = rate_ctr_group_alloc(ctx, &t_ctrg_desc, 0);
	struct rate_ctr_group *b = rate_ctr_group_alloc(ctx, &t_ctrg_desc, 1);
	char *text, *p1, *p2;

	CU_ASSERT_FATAL(a && b);
	rate_ctr_group_set_name(a, "p\"1");
	rate_ctr_add(rate_ctr_group_get_ctr(a, 0), 3);
	rate_ctr_inc(rate_ctr_group_get_ctr(b, 1));
	text = metrics_format(ctx);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "# HELP stiwf_test_peer_verstat_passed_total Passed \"quoted\" \\\\ back\n"
				       "# TYPE stiwf_test_peer_verstat_passed_total counter\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "stiwf_test_peer_verstat_passed_total{index=\"0\",name=\"p\\\"1\"} 3\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "stiwf_test_peer_verstat_passed_total{index=\"1\"} 0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "stiwf_test_peer_hop_valid_total{index=\"1\"} 1\n"));
	/* a family's samples follow its TYPE line, together */
	p1 = strstr(text, "# TYPE stiwf_test_peer_hop_valid_total");
	p2 = strstr(text, "stiwf_test_peer_hop_valid_total{index=\"0\"");
	CU_ASSERT(p1 && p2 && p2 > p1);
	CU_ASSERT_PTR_NULL(strstr(p1 + 1, "# TYPE stiwf_test_peer_hop_valid_total"));
	talloc_free(text);
	rate_ctr_group_free(a);
	rate_ctr_group_free(b);
	text = metrics_format(ctx);
	CU_ASSERT_PTR_NULL(strstr(text, "stiwf_test_peer"));
	talloc_free(text);
}

static int setup(void *root)
{
	ctx = root;
	return 0;
}

static const struct cunit_test tests[] = {
	{ "request heads", test_parse_table },
	{ "bounds, truncation, bit flips", test_parse_bounds },
	{ "Prometheus text", test_format },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "metrics", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "metrics_test",
	.log = CUNIT_LOG_STDERR,
	.setup = setup,
	.suites = suites,
};
