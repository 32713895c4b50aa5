/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of certs/fetch.c and certs/fetch_acl.c against tests/certs/httpsd:
 * the URL policy, the address ACL (server-side request forgery), a good
 * fetch, single flight, cancellation, the in-flight caps, the misbehaving
 * server (never answers, slow, oversized, 404, garbage, redirects, one
 * deadline over all redirects), the header collector and TLS verification.
 * The loop is osmo_select_main(); nothing sleeps. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <CUnit/Basic.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "certs/fetch.h"
#include "src/core/evloop.h"
#include "src/core/logging.h"
#include "tests/certs/testhttps.h"
#include "tests/certs/testpki.h"
#include "tests/cunit_main.h"

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
	/* above the 15 s the default test policy allows a fetch */
	osmo_timer_schedule(&guard, 30, 0);
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
		/* a certificate URL names a file: no query, no fragment */
		{ "https://cr.example.com/a.pem?v=1", false, -EPERM },
		{ "https://cr.example.com/a.pem?", false, -EPERM },
		{ "https://cr.example.com/a.pem#x", false, -EPERM },
		/* literal addresses in every spelling libcurl accepts */
		{ "https://127.0.0.1:8443/a.pem", false, -EPERM },
		{ "https://2130706433:8443/a.pem", false, -EPERM },
		{ "https://0x7f.1:8443/a.pem", false, -EPERM },
		{ "https://017700000001/a.pem", false, -EPERM },
		{ "https://127.1/a.pem", false, -EPERM },
		{ "https://[::1]/a.pem", false, -EPERM },
		{ "https://[::ffff:127.0.0.1]/a.pem", false, -EPERM },
		{ "https://[::ffff:7f00:1]/a.pem", false, -EPERM },
		{ "https://10.1.2.3/a.pem", false, -EPERM },
		{ "https://169.254.169.254/latest/meta-data", false, -EPERM },
		{ "https://[fd00:ec2::254]/a.pem", false, -EPERM },
		{ "https://[fe80::1%25eth0]/a.pem", false, -EPERM },
		{ "https://192.0.2.7/a.pem", false, -EPERM },
		{ "https://8.8.8.8/a.pem", false, 0 },
		{ "https://[2606:4700::1111]/a.pem", false, 0 },
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

	/* the reason names the address and the range */
	fetch_policy_init(&pol);
	CU_ASSERT_EQUAL(fetch_url_check(&pol, "https://0x7f.1:8443/a.pem", why, sizeof(why)), -EPERM);
	CU_ASSERT(strstr(why, "127.0.0.1") && strstr(why, "loopback"));

	/* the port of a configured URL, for that URL (or template) alone */
	fetch_policy_init(&pol);
	pol.own_urls[pol.num_own_urls++] = "https://repo.example:9443/tsca/{key-id}.pem";
	pol.own_urls[pol.num_own_urls++] = "https://cr.example:9444/sti.pem";
	CU_ASSERT_EQUAL(fetch_url_check(&pol, "https://repo.example:9443/tsca/0123456789abcdef.pem", why,
					sizeof(why)), 0);
	CU_ASSERT_EQUAL(fetch_url_check(&pol, "https://repo.example:9443/tsca/0123456789ABCDEF.pem", why,
					sizeof(why)), -EPERM);
	CU_ASSERT_EQUAL(fetch_url_check(&pol, "https://repo.example:9443/tsca/.pem", why, sizeof(why)), -EPERM);
	CU_ASSERT_EQUAL(fetch_url_check(&pol, "https://repo.example:9443/other.pem", why, sizeof(why)), -EPERM);
	CU_ASSERT(strstr(why, "port 9443") != NULL);
	CU_ASSERT_EQUAL(fetch_url_check(&pol, "https://evil.example:9443/tsca/0123.pem", why, sizeof(why)), -EPERM);
	CU_ASSERT_EQUAL(fetch_url_check(&pol, "https://cr.example:9444/sti.pem", why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(fetch_url_check(&pol, "https://cr.example:9444/sti.pem2", why, sizeof(why)), -EPERM);
	CU_ASSERT_EQUAL(fetch_url_check(&pol, "https://cr.example:9443/sti.pem", why, sizeof(why)), -EPERM);

	CU_ASSERT(fetch_content_type_expected("application/pem-certificate-chain"));
	CU_ASSERT(fetch_content_type_expected("Application/PEM-Certificate-Chain; charset=us-ascii"));
	CU_ASSERT(fetch_content_type_expected("text/plain"));
	CU_ASSERT_FALSE(fetch_content_type_expected("text/html"));
	CU_ASSERT_FALSE(fetch_content_type_expected("application/pem-certificate-chainX"));
	CU_ASSERT_FALSE(fetch_content_type_expected(NULL));
}

/* The address ACL alone. */
static void test_acl(void)
{
	static const struct {
		const char *ip;
		int rc;
		const char *what;
	} dflt[] = {
		{ "0.1.2.3", -EPERM, "this network" },
		{ "10.0.0.1", -EPERM, "RFC 1918" },
		{ "100.64.0.1", -EPERM, "CGNAT" },
		{ "100.127.255.255", -EPERM, "CGNAT" },
		{ "100.128.0.0", 0, NULL },
		{ "127.0.0.1", -EPERM, "loopback" },
		{ "127.255.255.254", -EPERM, "loopback" },
		{ "169.254.1.1", -EPERM, "link-local" },
		{ "169.254.169.254", -EPERM, "metadata" },
		{ "172.16.0.1", -EPERM, "RFC 1918" },
		{ "172.31.255.255", -EPERM, "RFC 1918" },
		{ "172.32.0.0", 0, NULL },
		{ "192.0.0.170", -EPERM, "IETF" },
		{ "192.0.2.1", -EPERM, "TEST-NET-1" },
		{ "192.88.99.1", -EPERM, "6to4" },
		{ "192.168.1.1", -EPERM, "RFC 1918" },
		{ "198.18.0.1", -EPERM, "benchmarking" },
		{ "198.51.100.1", -EPERM, "TEST-NET-2" },
		{ "203.0.113.1", -EPERM, "TEST-NET-3" },
		{ "224.0.0.1", -EPERM, "multicast" },
		{ "239.255.255.250", -EPERM, "multicast" },
		{ "240.0.0.1", -EPERM, "reserved" },
		{ "255.255.255.255", -EPERM, "broadcast" },
		{ "8.8.8.8", 0, NULL },
		{ "::", -EPERM, "unspecified" },
		{ "::1", -EPERM, "loopback" },
		{ "::ffff:127.0.0.1", -EPERM, "loopback" },
		{ "::ffff:10.0.0.1", -EPERM, "RFC 1918" },
		{ "::ffff:8.8.8.8", 0, NULL },
		{ "::127.0.0.1", -EPERM, "IPv4-compatible" },
		{ "64:ff9b::7f00:1", -EPERM, "loopback" },
		{ "64:ff9b::808:808", 0, NULL },
		{ "64:ff9b:1::1", -EPERM, "RFC 8215" },
		{ "2002:a00:1::1", -EPERM, "RFC 1918" },
		{ "2002:808:808::1", 0, NULL },
		{ "100::1", -EPERM, "discard" },
		{ "2001::1", -EPERM, "Teredo" },
		{ "2001:db8::1", -EPERM, "documentation" },
		{ "3fff::1", -EPERM, "documentation" },
		{ "fc00::1", -EPERM, "unique local" },
		{ "fd12:3456::1", -EPERM, "unique local" },
		{ "fd00:ec2::254", -EPERM, "metadata" },
		{ "fe80::1", -EPERM, "link-local" },
		{ "fec0::1", -EPERM, "site-local" },
		{ "ff02::1", -EPERM, "multicast" },
		{ "2606:4700::1111", 0, NULL },
		{ "[::1]", -EPERM, "loopback" },
		{ "localhost", -EINVAL, NULL },
		{ "", -EINVAL, NULL },
	};
	struct fetch_policy pol;
	struct fetch_acl_rule r;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	char why[192], txt[FETCH_ACL_STR_MAX];
	size_t i;
	int rc;

	fetch_policy_init(&pol);
	for (i = 0; i < ARRAY_SIZE(dflt); i++) {
		rc = fetch_addr_check_str(&pol, dflt[i].ip, why, sizeof(why));
		if (rc != dflt[i].rc || (dflt[i].what && !strstr(why, dflt[i].what)))
			printf("\n  %s: rc %d (%s), want %d (%s)", dflt[i].ip, rc, why, dflt[i].rc,
			       dflt[i].what ? dflt[i].what : "");
		CU_ASSERT_EQUAL(rc, dflt[i].rc);
		if (dflt[i].what)
			CU_ASSERT(strstr(why, dflt[i].what) != NULL);
	}
	/* socket addresses as libcurl hands them over */
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	CU_ASSERT_EQUAL(fetch_addr_check(&pol, (struct sockaddr *)&sin, sizeof(sin), why, sizeof(why)), -EPERM);
	inet_pton(AF_INET6, "::ffff:192.168.0.1", &sin6.sin6_addr);
	CU_ASSERT_EQUAL(fetch_addr_check(&pol, (struct sockaddr *)&sin6, sizeof(sin6), why, sizeof(why)), -EPERM);
	inet_pton(AF_INET6, "2606:4700::1111", &sin6.sin6_addr);
	CU_ASSERT_EQUAL(fetch_addr_check(&pol, (struct sockaddr *)&sin6, sizeof(sin6), why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(fetch_addr_check(&pol, (struct sockaddr *)&sin6, sizeof(sin), why, sizeof(why)),
			-EAFNOSUPPORT);

	/* parsing ACL lines */
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&r, "permit", "127.0.0.0/8"), 0);
	CU_ASSERT(r.permit && r.family == AF_INET && r.prefix_len == 8);
	CU_ASSERT(fetch_acl_rule_format(txt, sizeof(txt), &r) > 0);
	CU_ASSERT_STRING_EQUAL(txt, "permit 127.0.0.0/8");
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&r, "deny", "192.0.2.1"), 0);
	CU_ASSERT(!r.permit && r.prefix_len == 32);
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&r, "permit", "::ffff:10.0.0.0/104"), 0);
	CU_ASSERT(r.family == AF_INET && r.prefix_len == 8);
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&r, "permit", "fd00::/8"), 0);
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&r, "permit", "::/0"), 0);
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&r, "permit", "10.0.0.1/8"), -EINVAL);	/* host bits */
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&r, "permit", "10.0.0.0/33"), -EINVAL);
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&r, "permit", "10.0.0.0/"), -EINVAL);
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&r, "permit", "10.0.0.0/-1"), -EINVAL);
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&r, "permit", "10.0.0/8"), -EINVAL);
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&r, "permit", "example.com"), -EINVAL);
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&r, "allow", "10.0.0.0/8"), -EINVAL);
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&r, "permit", "::/129"), -EINVAL);

	/* configured lines: the first that matches decides, before the defaults */
	fetch_policy_init(&pol);
	fetch_acl_rule_parse(&pol.acl[pol.num_acl++], "deny", "127.0.0.2/32");
	fetch_acl_rule_parse(&pol.acl[pol.num_acl++], "permit", "127.0.0.0/8");
	fetch_acl_rule_parse(&pol.acl[pol.num_acl++], "deny", "93.184.0.0/16");
	fetch_acl_rule_parse(&pol.acl[pol.num_acl++], "permit", "100.64.0.0/10");
	CU_ASSERT_EQUAL(fetch_addr_check_str(&pol, "127.0.0.1", why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(fetch_addr_check_str(&pol, "::ffff:127.0.0.1", why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(fetch_addr_check_str(&pol, "127.0.0.2", why, sizeof(why)), -EPERM);
	CU_ASSERT(strstr(why, "'deny 127.0.0.2/32'") != NULL);
	CU_ASSERT_EQUAL(fetch_addr_check_str(&pol, "93.184.216.34", why, sizeof(why)), -EPERM);
	CU_ASSERT_EQUAL(fetch_addr_check_str(&pol, "::1", why, sizeof(why)), -EPERM);	/* IPv4 lines only */
	CU_ASSERT_EQUAL(fetch_addr_check_str(&pol, "100.64.1.1", why, sizeof(why)), 0);
	/* a wider permit does not open a metadata service; naming it does */
	CU_ASSERT_EQUAL(fetch_addr_check_str(&pol, "100.100.100.200", why, sizeof(why)), -EPERM);
	CU_ASSERT(strstr(why, "metadata") != NULL);
	fetch_acl_rule_parse(&pol.acl[pol.num_acl++], "permit", "0.0.0.0/0");
	CU_ASSERT_EQUAL(fetch_addr_check_str(&pol, "169.254.169.254", why, sizeof(why)), -EPERM);
	fetch_acl_rule_parse(&pol.acl[pol.num_acl++], "permit", "169.254.169.254/32");
	CU_ASSERT_EQUAL(fetch_addr_check_str(&pol, "169.254.169.254", why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(fetch_addr_check_str(&pol, "10.0.0.1", why, sizeof(why)), 0);	/* 0.0.0.0/0 */
}

/* The new parsers take any truncation and any bit flip: an ACL line
 * either is refused or reads back as it is written; a header line cut
 * anywhere keeps every field terminated. */
static void test_truncate_flip(void)
{
	static const char *lines[] = { "2001:db8:1234::/48", "192.168.100.0/22", "::ffff:10.1.0.0/112" };
	static const char hdr[] = "Cache-Control: max-age=86400, s-maxage=600\r\n";
	struct fetch_acl_rule r, back;
	struct fetch_hdrs h;
	char buf[64], txt[FETCH_ACL_STR_MAX];
	size_t i, n, bit;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		for (n = 0; n <= strlen(lines[i]); n++) {
			memcpy(buf, lines[i], n);
			buf[n] = '\0';
			if (fetch_acl_rule_parse(&r, "deny", buf) == 0) {
				CU_ASSERT(fetch_acl_rule_format(txt, sizeof(txt), &r) > 0);
				CU_ASSERT_EQUAL(fetch_acl_rule_parse(&back, "deny", strchr(txt, ' ') + 1), 0);
				CU_ASSERT_EQUAL(memcmp(&r, &back, sizeof(r)), 0);
			}
		}
		for (bit = 0; bit < strlen(lines[i]) * 8; bit++) {
			snprintf(buf, sizeof(buf), "%s", lines[i]);
			buf[bit / 8] ^= (char)(1 << (bit % 8));
			if (fetch_acl_rule_parse(&r, "permit", buf) == 0)
				CU_ASSERT(fetch_acl_rule_format(txt, sizeof(txt), &r) > 0);
		}
	}
	for (n = 0; n <= sizeof(hdr) - 1; n++) {
		char *line = malloc(n ? n : 1);

		CU_ASSERT_FATAL(line != NULL);
		memcpy(line, hdr, n);
		fetch_hdrs_reset(&h);
		fetch_hdrs_line(&h, line, n);
		CU_ASSERT(strnlen(h.cache_control, sizeof(h.cache_control)) < sizeof(h.cache_control));
		/* a cut line keeps what it has: the name and colon, then the value */
		if (n >= 15)
			CU_ASSERT(strncmp(h.cache_control, hdr + 15, strlen(h.cache_control)) == 0);
		free(line);
	}
}

/* The header collector of the fetcher's libcurl callback. */
static void test_hdrs(void)
{
	struct fetch_hdrs h;
	char big[400];
	static const char nul[] = "Age: 12\0 34\r\n";

#define LINE(s) fetch_hdrs_line(&h, s, strlen(s))
	fetch_hdrs_reset(&h);
	CU_ASSERT_EQUAL(LINE("HTTP/1.1 200 OK\r\n"), 1);
	CU_ASSERT_EQUAL(LINE("cache-control:  max-age=100 \r\n"), 1);
	CU_ASSERT_EQUAL(LINE("Cache-Control: s-maxage=200\r\n"), 1);
	CU_ASSERT_EQUAL(LINE("Pragma: no-cache\r\n"), 1);
	CU_ASSERT_EQUAL(LINE("Expires: Thu, 01 Jan 2099 00:00:00 GMT\r\n"), 1);
	CU_ASSERT_EQUAL(LINE("X-Cache-Control: no-store\r\n"), 0);
	CU_ASSERT_EQUAL(LINE("Content-Type: application/pem-certificate-chain\r\n"), 1);
	CU_ASSERT_EQUAL(LINE("Cache-Control\r\n"), 0);
	CU_ASSERT_STRING_EQUAL(h.cache_control, "max-age=100, s-maxage=200");
	/* RFC 7234 §5.4: Pragma does not override Cache-Control */
	CU_ASSERT_STRING_EQUAL(fetch_hdrs_cache_control(&h), "max-age=100, s-maxage=200");
	CU_ASSERT_STRING_EQUAL(h.expires, "Thu, 01 Jan 2099 00:00:00 GMT");
	CU_ASSERT_FALSE(h.too_long);
	/* alone, Pragma stands in for it */
	fetch_hdrs_reset(&h);
	LINE("Pragma: no-cache\r\n");
	CU_ASSERT_STRING_EQUAL(fetch_hdrs_cache_control(&h), "no-cache");
	/* a new response forgets the headers of a 1xx */
	LINE("HTTP/1.1 200 OK\r\n");
	CU_ASSERT_STRING_EQUAL(fetch_hdrs_cache_control(&h), "");
	/* too long: dropped whole, never cut */
	memset(big, 'a', sizeof(big));
	memcpy(big, "Cache-Control: ", 15);
	CU_ASSERT_EQUAL(fetch_hdrs_line(&h, big, sizeof(big)), 1);
	CU_ASSERT_STRING_EQUAL(h.cache_control, "");
	CU_ASSERT(h.too_long);
	/* a NUL inside a value */
	fetch_hdrs_reset(&h);
	CU_ASSERT_EQUAL(fetch_hdrs_line(&h, nul, sizeof(nul) - 1), 1);
	CU_ASSERT_STRING_EQUAL(h.age, "");
	CU_ASSERT(h.too_long);
#undef LINE
}

/* A policy that reaches the test server: its port, its CA, and loopback
 * permitted (refused by default). */
static void test_policy_init(struct fetch_policy *pol)
{
	fetch_policy_init(pol);
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&pol->acl[pol->num_acl++], "permit", "127.0.0.0/8"), 0);
	pol->ports[pol->num_ports++] = testhttps_port();
	pol->ports[pol->num_ports++] = testhttps_raw_port();
	pol->ca_file = testhttps_ca_file();
	/* every test runs its fetches to one host, some of them in parallel */
	pol->max_in_flight_per_host = pol->max_in_flight;
	/* generous: valgrind makes TLS slow, and a loaded machine makes it
	 * slower still (the name lookups of curl's resolver thread too);
	 * the tests of the timeouts set theirs (test_fetcher_timeout()) */
	pol->timeout_ms = 15000;
	pol->connect_timeout_ms = 12000;
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
		{ "/pem/sp-a-chain.pem;ct=text/html", FETCH_OK, 200 },	/* tolerated, logged */
		{ "/redirect;to=http://127.0.0.1/pem/sp-a-chain.pem", FETCH_ERR_REDIRECT, 302 },
		{ "/redirect;to=https://127.0.0.1:1/x", FETCH_ERR_REDIRECT, 302 },	/* port */
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
	snprintf(path, sizeof(path), "/redirect;to=%s", testhttps_url("/pem/sp-a-chain.pem"));
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url(path), done_cb, &ok));
	run_until(&ok.calls, 1);
	CU_ASSERT_EQUAL(ok.err, FETCH_OK);
	CU_ASSERT(strncmp(ok.body_head, "-----BEGIN", 10) == 0);

	/* three redirects in a row are still followed */
	snprintf(inner, sizeof(inner), "/redirect;to=%s", testhttps_url("/pem/sp-a-chain.pem"));
	snprintf(path, sizeof(path), "/redirect;to=%s%%3Bto=%s", testhttps_url("/redirect"),
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
	snprintf(path, sizeof(path), "/redirect;to=%s", testhttps_url("/pem/sp-a-chain.pem"));
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

	snprintf(path, sizeof(path), "/redirect;to=%s", testhttps_url("/redirect;to=x"));
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

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Server-side request forgery: with the default ACL the test server, on
 * loopback, is out of reach however its address is spelt, by name too
 * (then refused before connecting: the server never sees a request), and
 * a redirect to a loopback address is refused. */
static void test_ssrf(void)
{
	struct fetch_policy pol;
	struct fetcher *f;
	struct got g[6];
	char urls[6][160], path[256];
	unsigned int i, before = testhttps_count("/pem/sp-a-chain.pem");

	memset(g, 0, sizeof(g));
	test_policy_init(&pol);
	pol.num_acl = 0;	/* the default: loopback refused */
	f = fetcher_alloc(ctx, "ssrf", &pol);
	CU_ASSERT_FATAL(f != NULL);
	snprintf(urls[0], sizeof(urls[0]), "https://127.0.0.1:%u/pem/sp-a-chain.pem", testhttps_port());
	snprintf(urls[1], sizeof(urls[1]), "https://2130706433:%u/pem/sp-a-chain.pem", testhttps_port());
	snprintf(urls[2], sizeof(urls[2]), "https://0x7f.1:%u/pem/sp-a-chain.pem", testhttps_port());
	snprintf(urls[3], sizeof(urls[3]), "https://[::ffff:127.0.0.1]:%u/pem/sp-a-chain.pem", testhttps_port());
	/* a name: refused when its address is known, before a connection */
	snprintf(urls[4], sizeof(urls[4]), "https://localhost:%u/pem/sp-a-chain.pem", testhttps_port());
	snprintf(urls[5], sizeof(urls[5]), "https://[::1]:%u/pem/sp-a-chain.pem", testhttps_port());
	for (i = 0; i < ARRAY_SIZE(g); i++)
		CU_ASSERT_PTR_NOT_NULL(fetch_get(f, urls[i], done_cb, &g[i]));
	for (i = 0; i < ARRAY_SIZE(g); i++) {
		run_until(&g[i].calls, 1);
		if (g[i].err != FETCH_ERR_POLICY)
			printf("\n  %s: %s (%s)", urls[i], get_value_string(fetch_err_names, g[i].err), g[i].reason);
		CU_ASSERT_EQUAL(g[i].err, FETCH_ERR_POLICY);
		CU_ASSERT(strstr(g[i].reason, "loopback") != NULL);
	}
	/* the literals never became transfers; the name never reached the server */
	CU_ASSERT_EQUAL(fetcher_stats(f)->transfers, 1);
	CU_ASSERT(fetcher_stats(f)->addr_refused >= 1);
	CU_ASSERT_EQUAL(testhttps_count("/pem/sp-a-chain.pem"), before);
	talloc_free(f);

	/* only 127.0.0.1 permitted: a redirect to another loopback address,
	 * literal or numeric, is refused, and the log line says why */
	test_policy_init(&pol);
	pol.num_acl = 0;
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&pol.acl[pol.num_acl++], "permit", "127.0.0.1/32"), 0);
	f = fetcher_alloc(ctx, "ssrf", &pol);
	CU_ASSERT_FATAL(f != NULL);
	memset(g, 0, sizeof(g));
	snprintf(path, sizeof(path), "/redirect;to=https://127.0.0.2:%u/pem/sp-a-chain.pem", testhttps_port());
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url(path), done_cb, &g[0]));
	snprintf(path, sizeof(path), "/redirect;to=https://2130706434:%u/pem/sp-a-chain.pem", testhttps_port());
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url(path), done_cb, &g[1]));
	run_until(&g[0].calls, 1);
	run_until(&g[1].calls, 1);
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(g[i].err, FETCH_ERR_REDIRECT);
		CU_ASSERT(strstr(g[i].reason, "127.0.0.2") && strstr(g[i].reason, "loopback"));
	}
	CU_ASSERT_EQUAL(testhttps_count("/pem/sp-a-chain.pem"), before);
	talloc_free(f);
}

/* One deadline for a fetch and all its redirects: a server that takes
 * 700 ms per redirect, against a 1000 ms timeout, is given up on after
 * about 1000 ms (not after 4 x 700 ms, the redirect limit, as when each
 * hop had the whole timeout to itself). */
static void test_deadline(void)
{
	struct fetcher *f = test_fetcher_timeout(1000);
	struct got g = { 0 };
	int64_t t0, took;

	t0 = now_ms();
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url("/slowloop;ms=700"), done_cb, &g));
	run_until(&g.calls, 1);
	took = now_ms() - t0;
	if (g.err != FETCH_ERR_TIMEOUT || took > 2000)
		printf("\n  %s after %lld ms: %s", get_value_string(fetch_err_names, g.err), (long long)took,
		       g.reason);
	CU_ASSERT_EQUAL(g.err, FETCH_ERR_TIMEOUT);
	/* the deadline plus generous slack for the loop, not a speed figure:
	 * with a timeout per hop this took 2800 ms */
	CU_ASSERT(took < 1000 + 1000);
	CU_ASSERT(strstr(g.reason, "whole fetch") != NULL);
	talloc_free(f);
}

/* The in-flight caps: above them a request is answered at once with
 * FETCH_ERR_BUSY and holds no socket; joining a transfer costs nothing. */
static void test_busy(void)
{
	struct fetch_policy pol;
	struct fetcher *f;
	struct got g[6];
	struct fetch_req *r[6];
	char url[6][128];
	unsigned int i;

	memset(g, 0, sizeof(g));
	test_policy_init(&pol);
	pol.timeout_ms = pol.connect_timeout_ms = 800;
	pol.max_in_flight = 3;
	pol.max_in_flight_per_host = 2;
	f = fetcher_alloc(ctx, "busy", &pol);
	CU_ASSERT_FATAL(f != NULL);
	snprintf(url[0], sizeof(url[0]), "%s", testhttps_url("/hang;n=0"));
	snprintf(url[1], sizeof(url[1]), "%s", testhttps_url("/hang;n=1"));
	snprintf(url[2], sizeof(url[2]), "%s", testhttps_url("/hang;n=2"));	/* third to 127.0.0.1 */
	snprintf(url[3], sizeof(url[3]), "https://localhost:%u/hang;n=3", testhttps_port());
	snprintf(url[4], sizeof(url[4]), "https://localhost:%u/hang;n=4", testhttps_port());	/* fourth in all */
	snprintf(url[5], sizeof(url[5]), "%s", url[0]);	/* joins the first */
	for (i = 0; i < 6; i++)
		r[i] = fetch_get(f, url[i], done_cb, &g[i]);
	CU_ASSERT_EQUAL(fetcher_in_flight(f), 3);
	run_until(&g[2].calls, 1);
	run_until(&g[4].calls, 1);
	CU_ASSERT_EQUAL(g[2].err, FETCH_ERR_BUSY);
	CU_ASSERT(strstr(g[2].reason, "to 127.0.0.1") != NULL);
	CU_ASSERT_EQUAL(g[4].err, FETCH_ERR_BUSY);
	CU_ASSERT(strstr(g[4].reason, "3 fetches in flight") != NULL);
	CU_ASSERT_EQUAL(fetcher_stats(f)->busy, 2);
	CU_ASSERT_EQUAL(fetcher_stats(f)->joined, 1);
	CU_ASSERT_EQUAL(g[0].calls + g[1].calls + g[3].calls + g[5].calls, 0);
	fetch_cancel(r[0]);
	fetch_cancel(r[1]);
	fetch_cancel(r[3]);
	fetch_cancel(r[5]);
	CU_ASSERT_EQUAL(fetcher_in_flight(f), 0);
	/* room again */
	memset(&g[0], 0, sizeof(g[0]));
	CU_ASSERT_PTR_NOT_NULL(fetch_get(f, testhttps_url("/pem/sp-a-chain.pem"), done_cb, &g[0]));
	run_until(&g[0].calls, 1);
	CU_ASSERT_EQUAL(g[0].err, FETCH_OK);
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

/* Inside stiwfd's GMainLoop (src/core/evloop.c) the same fetcher runs too. */
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

static int setup(void *root)
{
	ctx = root;
	if (!testpki_dir() || testhttps_start() < 0)
		return -1;
	return 0;
}

static unsigned int teardown(void)
{
	unsigned int failures = 0;

	testhttps_stop();
	testpki_cleanup();
	if (talloc_total_blocks(ctx) != 1) {
		fprintf(stderr, "fetch_test: talloc blocks left\n");
		failures++;
	}
	return failures;
}

static const struct cunit_test tests[] = {
	{ "policy", test_policy },
	{ "acl", test_acl },
	{ "hdrs", test_hdrs },
	{ "truncate_flip", test_truncate_flip },
	{ "ssrf", test_ssrf },
	{ "deadline", test_deadline },
	{ "busy", test_busy },
	{ "good", test_good },
	{ "single_flight", test_single_flight },
	{ "never_answers", test_never_answers },
	{ "misbehaving", test_misbehaving },
	{ "redirects", test_redirects },
	{ "redirect_loop", test_redirect_loop },
	{ "refused_async", test_refused_async },
	{ "lab_http", test_lab_http },
	{ "cancel", test_cancel },
	{ "tls_untrusted", test_tls_untrusted },
	{ "free_in_flight", test_free_in_flight },
	{ "glib_loop", test_glib_loop },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "fetch", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "fetch_test",
	.log = CUNIT_LOG_SILENT,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
