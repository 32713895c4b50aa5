/* Tests of certs/fetch.c against tests/certs/httpsd: the URL policy,
 * a good fetch, single flight, cancellation, the misbehaving server
 * (never answers, slow, oversized, 404, garbage, redirects) and TLS
 * verification.  The loop is osmo_select_main(); nothing sleeps. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "certs/fetch.h"
#include "src/evloop.h"
#include "src/logging.h"
#include "tests/certs/testhttps.h"
#include "tests/certs/testpki.h"

static void *ctx;

struct got {
	unsigned int calls;
	enum fetch_err err;
	long status;
	size_t len;
	char body_head[64];
	char reason[256];
	unsigned int ticks_at_done;
};

static unsigned int ticks;
static struct osmo_timer_list tick_timer;

static void tick_cb(void *data)
{
	ticks++;
	osmo_timer_schedule(&tick_timer, 0, 20 * 1000);
}

static void done_cb(const struct fetch_result *res, void *priv)
{
	struct got *g = priv;

	g->calls++;
	g->err = res->err;
	g->status = res->http_status;
	g->len = res->body_len;
	g->ticks_at_done = ticks;
	snprintf(g->reason, sizeof(g->reason), "%s", res->reason);
	if (res->body_len)
		snprintf(g->body_head, sizeof(g->body_head), "%.*s",
			 (int)(res->body_len < 40 ? res->body_len : 40), (const char *)res->body);
}

static bool guard_fired;
static void guard_cb(void *data)
{
	guard_fired = true;
}

/* Run the loop until *calls reaches n (or a 10 s guard fires). */
static void run_until(const unsigned int *calls, unsigned int n)
{
	struct osmo_timer_list guard = { 0 };

	guard_fired = false;
	osmo_timer_setup(&guard, guard_cb, NULL);
	osmo_timer_schedule(&guard, 10, 0);
	while (*calls < n && !guard_fired)
		osmo_select_main(0);
	osmo_timer_del(&guard);
	CU_ASSERT_FALSE(guard_fired);
}

static void test_policy(void)
{
	struct fetch_policy pol;
	char why[128];
	static const struct {
		const char *url;
		bool lab;
		int rc;
	} cases[] = {
		{ "https://cr.example.com/a.pem", false, 0 },
		{ "https://cr.example.com:8443/a.pem", false, 0 },
		{ "https://cr.example.com:443/a.pem", false, 0 },
		{ "https://cr.example.com:8080/a.pem", false, -EPERM },
		{ "http://cr.example.com/a.pem", false, -EPERM },
		{ "http://cr.example.com/a.pem", true, 0 },
		{ "ftp://cr.example.com/a.pem", true, -EPERM },
		{ "file:///etc/passwd", true, -EPERM },
		{ "https://user:pw@cr.example.com/a.pem", false, -EPERM },
		{ "https://cr.example.com/a b.pem", false, -EINVAL },
		{ "https://cr.example.com/a\n.pem", false, -EINVAL },
		{ "cr.example.com/a.pem", false, -EINVAL },
		{ "", false, -EINVAL },
		{ "https://evil.test/a.pem", false, -EPERM },
		{ "https://a.evil.test/a.pem", false, -EPERM },
		{ "https://sub.bad.example/a.pem", false, -EPERM },
		{ "https://bad.example/a.pem", false, 0 },	/* suffix entries match subdomains only */
		{ "https://cr.example.com:0/a.pem", false, -EINVAL },
		{ "https://cr.example.com:99999/a.pem", false, -EINVAL },
	};
	size_t i;

	fetch_policy_init(&pol);
	pol.deny_hosts[pol.num_deny_hosts++] = "evil.test";
	pol.deny_hosts[pol.num_deny_hosts++] = ".evil.test";
	pol.deny_hosts[pol.num_deny_hosts++] = ".bad.example";
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int rc;

		pol.allow_http = cases[i].lab;
		rc = fetch_url_check(&pol, cases[i].url, why, sizeof(why));
		if (rc != cases[i].rc)
			printf("\n  %s: rc %d (%s), want %d", cases[i].url, rc, why, cases[i].rc);
		CU_ASSERT_EQUAL(rc, cases[i].rc);
		if (rc)
			CU_ASSERT(why[0] != '\0');
	}

	/* an allow list lets only its hosts through */
	fetch_policy_init(&pol);
	pol.allow_hosts[pol.num_allow_hosts++] = ".sti-cr.example";
	pol.allow_hosts[pol.num_allow_hosts++] = "cr.example.com";
	CU_ASSERT_EQUAL(fetch_url_check(&pol, "https://cr.example.com/x", why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(fetch_url_check(&pol, "https://CR.EXAMPLE.COM/x", why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(fetch_url_check(&pol, "https://a.sti-cr.example/x", why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(fetch_url_check(&pol, "https://other.example/x", why, sizeof(why)), -EPERM);
	CU_ASSERT_EQUAL(fetch_url_check(&pol, "https://xcr.example.com/x", why, sizeof(why)), -EPERM);

	CU_ASSERT(fetch_content_type_expected("application/pem-certificate-chain"));
	CU_ASSERT(fetch_content_type_expected("Application/PEM-Certificate-Chain; charset=us-ascii"));
	CU_ASSERT(fetch_content_type_expected("text/plain"));
	CU_ASSERT_FALSE(fetch_content_type_expected("text/html"));
	CU_ASSERT_FALSE(fetch_content_type_expected("application/pem-certificate-chainX"));
	CU_ASSERT_FALSE(fetch_content_type_expected(NULL));
}

/* A policy that reaches the test server. */
static void test_policy_init(struct fetch_policy *pol)
{
	fetch_policy_init(pol);
	pol->ports[pol->num_ports++] = testhttps_port();
	pol->ports[pol->num_ports++] = testhttps_raw_port();
	pol->ca_file = testhttps_ca_file();
	/* generous: valgrind makes TLS slow */
	pol->timeout_ms = 5000;
	pol->connect_timeout_ms = 4000;
}

static struct fetcher *test_fetcher_timeout(long timeout_ms)
{
	struct fetch_policy pol;
	struct fetcher *f;

	test_policy_init(&pol);
	if (timeout_ms) {
		pol.timeout_ms = timeout_ms;
		pol.connect_timeout_ms = timeout_ms;
	}
	f = fetcher_alloc(ctx, "test", &pol);
	CU_ASSERT_FATAL(f != NULL);
	return f;
}

static struct fetcher *test_fetcher(void)
{
	return test_fetcher_timeout(0);
}

/* For the servers that never finish: 800 ms in all. */
static struct fetcher *short_fetcher(void)
{
	return test_fetcher_timeout(800);
}

static void test_good(void)
{
	struct fetcher *f = test_fetcher();
	struct got g = { 0 };
	unsigned int before = testhttps_count("/pem/sp-a-chain.pem");

	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url("/pem/sp-a-chain.pem"), done_cb, &g));
	run_until(&g.calls, 1);
	CU_ASSERT_EQUAL(g.calls, 1);
	CU_ASSERT_EQUAL(g.err, FETCH_OK);
	CU_ASSERT_EQUAL(g.status, 200);
	CU_ASSERT(strncmp(g.body_head, "-----BEGIN CERTIFICATE-----", 27) == 0);
	CU_ASSERT_EQUAL(testhttps_count("/pem/sp-a-chain.pem"), before + 1);
	CU_ASSERT_EQUAL(fetcher_in_flight(f), 0);
	talloc_free(f);
}

/* Three requests for one URL: one transfer, three answers. */
static void test_single_flight(void)
{
	struct fetcher *f = test_fetcher();
	struct got g[3] = { { 0 } };
	unsigned int calls = 0, i, before = testhttps_count("/pem/sp-b-chain.pem");
	const char *url = testhttps_url("/pem/sp-b-chain.pem");

	for (i = 0; i < 3; i++)
		CU_ASSERT_PTR_NOT_NULL(fetch_get(f, url, done_cb, &g[i]));
	CU_ASSERT_EQUAL(fetcher_in_flight(f), 1);
	while ((calls = g[0].calls + g[1].calls + g[2].calls) < 3 && !guard_fired)
		run_until(&g[2].calls, 1);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(g[i].calls, 1);
		CU_ASSERT_EQUAL(g[i].err, FETCH_OK);
	}
	CU_ASSERT_EQUAL(testhttps_count("/pem/sp-b-chain.pem"), before + 1);
	CU_ASSERT_EQUAL(fetcher_stats(f)->joined, 2);
	CU_ASSERT_EQUAL(fetcher_stats(f)->transfers, 1);
	talloc_free(f);
}

/* A server that never answers: timeout, and the loop keeps serving other
 * work (a 20 ms ticker) meanwhile. */
static void test_never_answers(void)
{
	struct fetcher *f = short_fetcher();
	struct got g = { 0 }, raw = { 0 }, slow = { 0 };
	char url[128];

	snprintf(url, sizeof(url), "https://127.0.0.1:%u/x.pem", testhttps_raw_port());
	ticks = 0;
	osmo_timer_setup(&tick_timer, tick_cb, NULL);
	osmo_timer_schedule(&tick_timer, 0, 20 * 1000);
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url("/hang"), done_cb, &g));
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, url, done_cb, &raw));
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url("/slow"), done_cb, &slow));
	run_until(&g.calls, 1);
	run_until(&raw.calls, 1);
	run_until(&slow.calls, 1);
	osmo_timer_del(&tick_timer);
	CU_ASSERT_EQUAL(g.err, FETCH_ERR_TIMEOUT);
	CU_ASSERT_EQUAL(raw.err, FETCH_ERR_TIMEOUT);
	CU_ASSERT_EQUAL(slow.err, FETCH_ERR_TIMEOUT);
	/* 800 ms total at 20 ms a tick: the loop ran other work meanwhile */
	CU_ASSERT(g.ticks_at_done >= 5);
	CU_ASSERT(strstr(g.reason, "timeout") != NULL);
	talloc_free(f);
}

struct bad_case {
	const char *path;
	enum fetch_err err;
	long status;
};

static void test_misbehaving(void)
{
	static const struct bad_case cases[] = {
		{ "/big", FETCH_ERR_TOO_BIG, 200 },
		{ "/bigchunked", FETCH_ERR_TOO_BIG, 200 },
		{ "/nonexistent", FETCH_ERR_HTTP, 404 },
		{ "/pem/nonexistent.pem", FETCH_ERR_HTTP, 404 },
		{ "/garbage", FETCH_OK, 200 },	/* the parser refuses it, not the fetcher */
		{ "/pem/sp-a-chain.pem?ct=text/html", FETCH_OK, 200 },	/* tolerated, logged */
		{ "/redirect?to=http://127.0.0.1/pem/sp-a-chain.pem", FETCH_ERR_REDIRECT, 302 },
		{ "/redirect?to=https://127.0.0.1:1/x", FETCH_ERR_REDIRECT, 302 },	/* port */
		{ "/redirect", FETCH_ERR_HTTP, 404 },	/* no to= */
	};
	struct fetcher *f = test_fetcher();
	struct got g[ARRAY_SIZE(cases)];
	unsigned int i;

	memset(g, 0, sizeof(g));
	/* all at once: they run in parallel on the one loop */
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url(cases[i].path), done_cb, &g[i]));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		run_until(&g[i].calls, 1);
		if (g[i].err != cases[i].err || g[i].status != cases[i].status)
			printf("\n  %s: %s (%s) status %ld", cases[i].path,
			       get_value_string(fetch_err_names, g[i].err), g[i].reason, g[i].status);
		CU_ASSERT_EQUAL(g[i].calls, 1);
		CU_ASSERT_EQUAL(g[i].err, cases[i].err);
		CU_ASSERT_EQUAL(g[i].status, cases[i].status);
		if (cases[i].err != FETCH_OK)
			CU_ASSERT(g[i].reason[0] != '\0');
	}
	CU_ASSERT(strstr(g[6].reason, "http://127.0.0.1") != NULL);
	talloc_free(f);
}

static void test_redirects(void)
{
	struct fetcher *f = test_fetcher();
	struct got ok = { 0 }, loop = { 0 }, none = { 0 };
	char path[512], inner[512];
	struct fetch_policy pol;
	struct fetcher *f0;

	/* one hop to an allowed https URL is followed */
	snprintf(path, sizeof(path), "/redirect?to=%s", testhttps_url("/pem/sp-a-chain.pem"));
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url(path), done_cb, &ok));
	run_until(&ok.calls, 1);
	CU_ASSERT_EQUAL(ok.err, FETCH_OK);
	CU_ASSERT(strncmp(ok.body_head, "-----BEGIN", 10) == 0);

	/* three redirects in a row are still followed */
	snprintf(inner, sizeof(inner), "/redirect?to=%s", testhttps_url("/pem/sp-a-chain.pem"));
	snprintf(path, sizeof(path), "/redirect?to=%s%%3Fto=%s", testhttps_url("/redirect"),
		 testhttps_url(inner));
	/* path now redirects 1 -> 2 -> 3 -> file: 3 redirects, allowed */
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url(path), done_cb, &loop));
	run_until(&loop.calls, 1);
	CU_ASSERT_EQUAL(loop.err, FETCH_OK);

	/* with max_redirects 0 the first redirect already fails */
	test_policy_init(&pol);
	pol.max_redirects = 0;
	f0 = fetcher_alloc(ctx, "noredir", &pol);
	CU_ASSERT_FATAL(f0 != NULL);
	snprintf(path, sizeof(path), "/redirect?to=%s", testhttps_url("/pem/sp-a-chain.pem"));
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f0, testhttps_url(path), done_cb, &none));
	run_until(&none.calls, 1);
	CU_ASSERT_EQUAL(none.err, FETCH_ERR_REDIRECT);
	CU_ASSERT(strstr(none.reason, "more than 0") != NULL);
	talloc_free(f0);
	talloc_free(f);
}

/* A redirect to itself loops until the limit. */
static void test_redirect_loop(void)
{
	struct fetcher *f = test_fetcher();
	struct got g = { 0 };
	char path[512];
	unsigned int before = testhttps_count("/redirect");

	snprintf(path, sizeof(path), "/redirect?to=%s", testhttps_url("/redirect?to=x"));
	/* the second hop redirects to the relative "x", which resolves to /x: 404 */
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url(path), done_cb, &g));
	run_until(&g.calls, 1);
	CU_ASSERT_EQUAL(g.err, FETCH_ERR_HTTP);

	/* a real loop: /loop -> /loop -> ... */
	memset(&g, 0, sizeof(g));
	before = testhttps_count("/loop");
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url("/loop"), done_cb, &g));
	run_until(&g.calls, 1);
	CU_ASSERT_EQUAL(g.err, FETCH_ERR_REDIRECT);
	CU_ASSERT(strstr(g.reason, "more than 3") != NULL);
	/* the first request and three followed hops */
	CU_ASSERT_EQUAL(testhttps_count("/loop") - before, 4);
	talloc_free(f);
}

/* Refusals are delivered from the loop, never from inside fetch_get(). */
static void test_refused_async(void)
{
	struct fetcher *f = test_fetcher();
	struct got http = { 0 }, port = { 0 };

	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, "http://127.0.0.1/x.pem", done_cb, &http));
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, "https://127.0.0.1:1/x.pem", done_cb, &port));
	CU_ASSERT_EQUAL(http.calls, 0);
	run_until(&http.calls, 1);
	run_until(&port.calls, 1);
	CU_ASSERT_EQUAL(http.err, FETCH_ERR_POLICY);
	CU_ASSERT(strstr(http.reason, "scheme http") != NULL);
	CU_ASSERT_EQUAL(port.err, FETCH_ERR_POLICY);
	CU_ASSERT(strstr(port.reason, "port 1 ") != NULL);
	CU_ASSERT_EQUAL(fetcher_stats(f)->transfers, 0);
	talloc_free(f);
}

/* The lab option lets http through (to a port nothing listens on here:
 * the policy passes, the connection fails). */
static void test_lab_http(void)
{
	struct fetch_policy pol;
	struct fetcher *f;
	struct got g = { 0 };
	char url[128];

	test_policy_init(&pol);
	pol.allow_http = true;
	f = fetcher_alloc(ctx, "lab", &pol);
	CU_ASSERT_FATAL(f != NULL);
	/* plain http to the TLS port: the server drops it, a connection error */
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/pem/sp-a-chain.pem", testhttps_port());
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, url, done_cb, &g));
	run_until(&g.calls, 1);
	CU_ASSERT_NOT_EQUAL(g.err, FETCH_ERR_POLICY);
	CU_ASSERT_EQUAL(fetcher_stats(f)->transfers, 1);
	talloc_free(f);
}

/* Cancelled requests are never called back; the last one aborts the transfer. */
static void test_cancel(void)
{
	struct fetcher *f = short_fetcher();
	struct got a = { 0 }, b = { 0 }, c = { 0 };
	struct fetch_req *ra, *rc;

	ra = fetch_get(f, testhttps_url("/hang"), done_cb, &a);
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url("/hang"), done_cb, &b));
	fetch_cancel(ra);
	CU_ASSERT_EQUAL(fetcher_in_flight(f), 1);
	run_until(&b.calls, 1);
	CU_ASSERT_EQUAL(a.calls, 0);
	CU_ASSERT_EQUAL(b.err, FETCH_ERR_TIMEOUT);

	rc = fetch_get(f, testhttps_url("/hang"), done_cb, &c);
	CU_ASSERT_EQUAL(fetcher_in_flight(f), 1);
	fetch_cancel(rc);
	CU_ASSERT_EQUAL(fetcher_in_flight(f), 0);
	/* a refused request, cancelled before the loop delivers it */
	rc = fetch_get(f, "http://127.0.0.1/x", done_cb, &c);
	fetch_cancel(rc);
	/* let the loop turn a few times: nothing may arrive */
	b.calls = 0;
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url("/pem/sp-a.pem"), done_cb, &b));
	run_until(&b.calls, 1);
	CU_ASSERT_EQUAL(c.calls, 0);
	talloc_free(f);
}

/* Without the test CA the server's certificate is not trusted. */
static void test_tls_untrusted(void)
{
	struct fetch_policy pol;
	struct fetcher *f;
	struct got g = { 0 };

	test_policy_init(&pol);
	pol.ca_file = testpki_path("shaken/sti-pa-root.pem");
	f = fetcher_alloc(ctx, "badca", &pol);
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url("/pem/sp-a-chain.pem"), done_cb, &g));
	run_until(&g.calls, 1);
	CU_ASSERT_EQUAL(g.err, FETCH_ERR_CONNECT);
	talloc_free(f);
}

/* Freeing a fetcher with transfers in flight calls nobody back. */
static void test_free_in_flight(void)
{
	struct fetcher *f = short_fetcher();
	struct got g = { 0 };

	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url("/hang"), done_cb, &g));
	osmo_select_main(1);
	talloc_free(f);
	osmo_select_main(1);
	CU_ASSERT_EQUAL(g.calls, 0);
}

/* Inside stiwfd's GMainLoop (src/evloop.c) the same fetcher runs too. */
static GMainLoop *gloop;

static void glib_done_cb(const struct fetch_result *res, void *priv)
{
	done_cb(res, priv);
	g_main_loop_quit(gloop);
}

static gboolean glib_guard_cb(gpointer data)
{
	guard_fired = true;
	g_main_loop_quit(gloop);
	return G_SOURCE_REMOVE;
}

static void test_glib_loop(void)
{
	struct fetcher *f = test_fetcher();
	struct got g = { 0 };
	guint guard;

	stiwf_evloop_install();
	gloop = g_main_loop_new(NULL, FALSE);
	guard_fired = false;
	guard = g_timeout_add_seconds(10, glib_guard_cb, NULL);
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url("/pem/sp-a-chain.pem"), glib_done_cb, &g));
	g_main_loop_run(gloop);
	if (!guard_fired)
		g_source_remove(guard);
	CU_ASSERT_FALSE(guard_fired);
	CU_ASSERT_EQUAL(g.calls, 1);
	CU_ASSERT_EQUAL(g.err, FETCH_OK);
	g_main_loop_unref(gloop);
	stiwf_evloop_uninstall();
	talloc_free(f);
}

int main(int argc, char **argv)
{
	CU_pSuite suite;
	unsigned int failed;

	ctx = talloc_named_const(NULL, 0, "fetch_test");
	log_init(&stiwf_log_info, NULL);
	if (!testpki_dir() || testhttps_start() < 0)
		return 1;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	suite = CU_add_suite("fetch", NULL, NULL);
	if (!suite || !CU_add_test(suite, "policy", test_policy) ||
	    !CU_add_test(suite, "good", test_good) ||
	    !CU_add_test(suite, "single_flight", test_single_flight) ||
	    !CU_add_test(suite, "never_answers", test_never_answers) ||
	    !CU_add_test(suite, "misbehaving", test_misbehaving) ||
	    !CU_add_test(suite, "redirects", test_redirects) ||
	    !CU_add_test(suite, "redirect_loop", test_redirect_loop) ||
	    !CU_add_test(suite, "refused_async", test_refused_async) ||
	    !CU_add_test(suite, "lab_http", test_lab_http) ||
	    !CU_add_test(suite, "cancel", test_cancel) ||
	    !CU_add_test(suite, "tls_untrusted", test_tls_untrusted) ||
	    !CU_add_test(suite, "free_in_flight", test_free_in_flight) ||
	    !CU_add_test(suite, "glib_loop", test_glib_loop)) {
		CU_cleanup_registry();
		return 1;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	testhttps_stop();
	testpki_cleanup();
	log_fini();
	talloc_free(osmo_ctx);
	if (talloc_total_blocks(ctx) != 1) {
		fprintf(stderr, "fetch_test: talloc blocks left\n");
		failed++;
	}
	talloc_free(ctx);
	return failed ? 1 : 0;
}
