/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The IWF configuration (iwf/peer.c, iwf/peer_vty.c): the example of
 * iwf/peer.h parses into what it says, "write" gives it back unchanged and
 * reads back into the same objects, every bad line is refused with
 * file:line, routes take the longest prefix, and iwf_cfg_check() finds
 * what only the whole file can tell. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/talloc.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/misc.h>
#include <osmocom/vty/vector.h>
#include <osmocom/vty/vty.h>

#include "iwf/map_peer.h"
#include "iwf/peer.h"
#include "sip/sip_call.h"
#include "src/stiwfd/cfg.h"
#include "src/core/logging.h"
#include "tests/cunit_main.h"

static void *ctx;
static char dir[256];		/* scratch directory with the files the example names */

/* printf into a static buffer of the caller */
static void fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, size, f, ap);
	va_end(ap);
	CU_ASSERT_FATAL(n >= 0 && (size_t)n < size);
}

static void put_file(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	fmt(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static void put_dir(const char *name)
{
	char path[512];

	fmt(path, sizeof(path), "%s/%s", dir, name);
	CU_ASSERT_FATAL(mkdir(path, 0700) == 0);
}

static const char *dir_files[] = {
	"sti-ca.crl.pem", "ca-certificates.crt", "sti.key", "sti-chain.pem", "national-ca.crl.pem",
	"op.key", "op-chain.pem", "map.conf", "exchange-b.sdp", "test.conf", "written.conf",
	"written.conf.sav",
};
static const char *dir_dirs[] = { "shaken-trust", "tsca-trust", "operators" };

static void make_scratch(void)
{
	unsigned int i;

	fmt(dir, sizeof(dir), "peer_test.%d", (int)getpid());
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	for (i = 0; i < ARRAY_SIZE(dir_dirs); i++)
		put_dir(dir_dirs[i]);
	for (i = 0; i < ARRAY_SIZE(dir_files) - 3; i++)
		put_file(dir_files[i], "x\n");
}

static void remove_scratch(void)
{
	char path[512];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dir_files); i++) {
		fmt(path, sizeof(path), "%s/%s", dir, dir_files[i]);
		unlink(path);
	}
	for (i = 0; i < ARRAY_SIZE(dir_dirs); i++) {
		fmt(path, sizeof(path), "%s/%s", dir, dir_dirs[i]);
		rmdir(path);
	}
	rmdir(dir);
}

/* Read \a text as a configuration file into a fresh configuration. */
static int read_text(const char *text, char *err, size_t errlen)
{
	char path[512];

	iwf_cfg_reset(g_iwf_cfg);
	iwf_map_cfg_reset(g_map_cfg);
	put_file("test.conf", text);
	fmt(path, sizeof(path), "%s/test.conf", dir);
	return stiwf_config_read(path, err, errlen);
}

/* The example of iwf/peer.h with real paths and OIDs: exactly what
 * "show running-config" writes for it. */
static void example(char *buf, size_t size)
{
	const char *d = dir;

	fmt(buf, size,
	    "stir\n"
	    " trust-dir %s/shaken-trust\n"
	    " crl-file %s/sti-ca.crl.pem\n"
	    " crl-required\n"
	    " x5u-ca-file %s/ca-certificates.crt\n"
	    " x5u-timeout 2000\n"
	    " x5u-acl deny 192.0.2.0/24\n"
	    " max-age 60\n"
	    " credential key %s/sti.key chain %s/sti-chain.pem x5u https://cert.example/sti.pem\n"
	    " origid random\n"
	    "tsca\n"
	    " trust-dir %s/tsca-trust\n"
	    " cert-dir %s/operators\n"
	    " crl-file %s/national-ca.crl.pem\n"
	    " repository https://repo.example/{key-id}.pem\n"
	    " policy-oid full 2.25.1000\n"
	    " policy-oid provisional 2.25.1001\n"
	    " credential key %s/op.key chain %s/op-chain.pem\n"
	    " map-file %s/map.conf\n"
	    "sip-peer carrier-a\n"
	    " remote 192.0.2.20 5060\n"
	    " transport udp\n"
	    " on-stir-failure reject\n"
	    " identity-required\n"
	    " country-code 1\n"
	    "ss7-peer exchange-b\n"
	    " cs7-instance 0\n"
	    " point-code 200\n"
	    " cic 1 31\n"
	    " max-message-length 272\n"
	    " overlap en-bloc\n"
	    " country-code 1\n"
	    " number-format international\n"
	    " aci 90\n"
	    " hop-required\n"
	    " provisional-max-attest C\n"
	    " release-cause 21\n"
	    " repository-miss-limit 2 burst 10\n"
	    " sdp-template %s/exchange-b.sdp\n"
	    " sip-peer carrier-a\n"
	    "route 1202 ss7-peer exchange-b\n"
	    "route 1 sip-peer carrier-a\n",
	    d, d, d, d, d, d, d, d, d, d, d, d);
}

static void test_example(void)
{
	char text[4096], err[512], path[512];
	const struct iwf_cfg *c = g_iwf_cfg;
	struct iwf_sip_peer *sp;
	struct iwf_ss7_peer *tp;

	example(text, sizeof(text));
	CU_ASSERT_EQUAL_FATAL(read_text(text, err, sizeof(err)), 0);

	fmt(path, sizeof(path), "%s/shaken-trust", dir);
	CU_ASSERT_STRING_EQUAL(c->stir.trust_dir, path);
	CU_ASSERT_EQUAL(c->stir.n_crl_files, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(c->stir.crl_files[0], "/sti-ca.crl.pem"));
	CU_ASSERT_PTR_NOT_NULL(strstr(c->stir.fetch_ca_file, "/ca-certificates.crt"));
	CU_ASSERT_EQUAL(c->stir.fetch_timeout_ms, 2000);
	CU_ASSERT_EQUAL(c->stir_max_age, 60);
	CU_ASSERT_PTR_NOT_NULL(strstr(c->stir.credential.key_path, "/sti.key"));
	CU_ASSERT_PTR_NOT_NULL(strstr(c->stir.credential.chain_path, "/sti-chain.pem"));
	CU_ASSERT_STRING_EQUAL(c->stir.credential.x5u, "https://cert.example/sti.pem");
	CU_ASSERT_TRUE(c->origid_random);
	CU_ASSERT_FALSE(c->stir.allow_http);
	CU_ASSERT_TRUE(c->stir.crl_required);
	CU_ASSERT_FALSE(c->stir.crl_fetch);
	CU_ASSERT_EQUAL(c->stir.crl_refresh_s, 3600);
	CU_ASSERT_EQUAL(c->stir.n_acl, 1);
	CU_ASSERT_STRING_EQUAL(c->stir.acl[0], "deny 192.0.2.0/24");
	CU_ASSERT_EQUAL(c->stir.n_fetch_ports, 0);
	CU_ASSERT_EQUAL(c->stir.max_in_flight, 64);
	CU_ASSERT_EQUAL(c->stir.max_in_flight_per_host, 16);
	CU_ASSERT_FALSE(c->tsca.crl_required);
	CU_ASSERT_EQUAL(c->tsca.n_acl, 0);

	CU_ASSERT_PTR_NOT_NULL(strstr(c->tsca.trust_dir, "/tsca-trust"));
	CU_ASSERT_PTR_NOT_NULL(strstr(c->tsca.cert_dir, "/operators"));
	CU_ASSERT_EQUAL(c->tsca.n_crl_files, 1);
	CU_ASSERT_STRING_EQUAL(c->tsca.repository, "https://repo.example/{key-id}.pem");
	CU_ASSERT_STRING_EQUAL(c->tsca_full_oid, "2.25.1000");
	CU_ASSERT_STRING_EQUAL(c->tsca_provisional_oid, "2.25.1001");
	CU_ASSERT_PTR_NOT_NULL(strstr(c->tsca.credential.key_path, "/op.key"));
	CU_ASSERT_PTR_NULL(c->tsca.credential.x5u);
	CU_ASSERT_PTR_NOT_NULL(strstr(c->map_file, "/map.conf"));
	CU_ASSERT_EQUAL(c->tsca.fetch_timeout_ms, 2000);
	CU_ASSERT_EQUAL(c->hop_window, 60);
	CU_ASSERT_EQUAL(c->hop_skew, 0);
	CU_ASSERT_TRUE(c->hop_startup_quiet);

	sp = iwf_sip_peer_find("carrier-a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
	CU_ASSERT_STRING_EQUAL(sp->addr, "192.0.2.20");
	CU_ASSERT_EQUAL(sp->port, 5060);
	CU_ASSERT_EQUAL(sp->transport, IWF_SIP_TP_UDP);
	CU_ASSERT_EQUAL(sp->policy.on_stir_failure, IWF_STIR_FAIL_REJECT);
	CU_ASSERT_TRUE(sp->policy.identity_required);
	CU_ASSERT_STRING_EQUAL(sp->plan.cc, "1");
	CU_ASSERT_TRUE(sp->plan.cc_without_plus);
	CU_ASSERT_EQUAL(sp->plan.cpc, IWF_CPC_ORDINARY);

	tp = iwf_ss7_peer_find("exchange-b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tp);
	CU_ASSERT_EQUAL(tp->cs7_instance, 0);
	CU_ASSERT_EQUAL(tp->dpc, 200);
	CU_ASSERT_TRUE(tp->dpc_set);
	CU_ASSERT_EQUAL(tp->n_cic_ranges, 1);
	CU_ASSERT_EQUAL(tp->cic[0].first, 1);
	CU_ASSERT_EQUAL(tp->cic[0].last, 31);
	CU_ASSERT_EQUAL(tp->max_sif_len, 272);
	CU_ASSERT_STRING_EQUAL(tp->plan.cc, "1");
	CU_ASSERT_EQUAL(tp->plan.format, IWF_NUMFMT_INTERNATIONAL);
	CU_ASSERT_EQUAL(tp->policy.aci, 90);
	CU_ASSERT_TRUE(tp->policy.hop_required);
	CU_ASSERT_EQUAL(tp->policy.provisional_max_attest, 'C');
	CU_ASSERT_EQUAL(tp->policy.release_cause, 21);
	CU_ASSERT_EQUAL(tp->policy.busy_cause, 42);
	CU_ASSERT_TRUE(tp->repo_miss_limit);
	CU_ASSERT_EQUAL(tp->repo_miss_rate, 2);
	CU_ASSERT_EQUAL(tp->repo_miss_burst, 10);
	CU_ASSERT_EQUAL(tp->repo_bucket.rate, 2);
	CU_ASSERT_EQUAL(tp->repo_bucket.burst, 10);
	CU_ASSERT_PTR_NOT_NULL(strstr(tp->sdp_template, "/exchange-b.sdp"));
	CU_ASSERT_STRING_EQUAL(tp->sip_peer, "carrier-a");
	CU_ASSERT_STRING_EQUAL(tp->hop_bind_send, "");
	CU_ASSERT_STRING_EQUAL(tp->hop_bind_require, "");
	CU_ASSERT_PTR_NULL(tp->trunk);

	CU_ASSERT_PTR_EQUAL(iwf_sip_peer_by_addr("192.0.2.20"), sp);
	CU_ASSERT_PTR_EQUAL(iwf_sip_peer_by_addr("::ffff:192.0.2.20"), sp);
	CU_ASSERT_PTR_NULL(iwf_sip_peer_by_addr("192.0.2.21"));
	CU_ASSERT_PTR_NULL(iwf_sip_peer_by_addr("carrier-a"));
	CU_ASSERT_PTR_EQUAL(iwf_ss7_peer_by_pc(0, 200), tp);
	CU_ASSERT_PTR_NULL(iwf_ss7_peer_by_pc(1, 200));
	CU_ASSERT_PTR_EQUAL(iwf_ss7_peer_by_cic(0, 200, 31), tp);
	CU_ASSERT_PTR_NULL(iwf_ss7_peer_by_cic(0, 200, 32));
	CU_ASSERT_PTR_NULL(iwf_ss7_peer_by_cic(0, 200, 0));

	CU_ASSERT_EQUAL(iwf_cfg_check(err, sizeof(err)), 0);
	if (err[0])
		fprintf(stderr, "\n  %s\n", err);
}

/* Every field of the configuration as text, to compare two of them. */
static void dump_policy(FILE *f, const struct iwf_policy *p, const struct iwf_number_plan *n)
{
	fprintf(f, " pol %d %d %d %c %u %u %u", p->on_stir_failure, p->identity_required, p->hop_required,
		p->provisional_max_attest, p->aci, p->release_cause, p->busy_cause);
	fprintf(f, " plan '%s' %d %d %d '%s' '%s' '%s' %u\n", n->cc, n->format, n->cc_without_plus,
		n->from_as_calling, n->trunk_prefix, n->intl_prefix, n->area_code, n->cpc);
}

static void dump_domain(FILE *f, const struct iwf_domain_cfg *d)
{
	unsigned int i;

	fprintf(f, "dom '%s' '%s' '%s' '%s' %d %u", d->trust_dir ?: "-", d->cert_dir ?: "-",
		d->repository ?: "-", d->fetch_ca_file ?: "-", d->allow_http, d->fetch_timeout_ms);
	for (i = 0; i < d->n_crl_files; i++)
		fprintf(f, " crl '%s'", d->crl_files[i]);
	fprintf(f, " crl %d %d %u", d->crl_required, d->crl_fetch, d->crl_refresh_s);
	for (i = 0; i < d->n_fetch_ports; i++)
		fprintf(f, " port %u", d->fetch_ports[i]);
	for (i = 0; i < d->n_acl; i++)
		fprintf(f, " acl '%s'", d->acl[i]);
	fprintf(f, " in-flight %u %u", d->max_in_flight, d->max_in_flight_per_host);
	fprintf(f, " cred '%s' '%s' '%s'\n", d->credential.key_path ?: "-", d->credential.chain_path ?: "-",
		d->credential.x5u ?: "-");
}

static char *dump_cfg(void)
{
	const struct iwf_cfg *c = g_iwf_cfg;
	const struct iwf_sip_peer *sp;
	const struct iwf_ss7_peer *tp;
	const struct iwf_route *r;
	char *buf = NULL;
	size_t len = 0;
	unsigned int i;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	dump_domain(f, &c->stir);
	dump_domain(f, &c->tsca);
	fprintf(f, "%u %d '%s' %u %u %d '%s' '%s' '%s'\n", c->stir_max_age, c->origid_random, c->origid,
		c->hop_window, c->hop_skew, c->hop_startup_quiet, c->tsca_full_oid ?: "-",
		c->tsca_provisional_oid ?: "-", c->map_file ?: "-");
	fprintf(f, "store '%s' %u %d %u\n", c->replay_store_addr, c->replay_store_port, c->replay_store_fail_local,
		c->replay_store_timeout_ms);
	llist_for_each_entry(sp, &c->sip_peers, entry) {
		fprintf(f, "sip %s %s %u %d '%s' '%s' '%s'", sp->name, sp->addr, sp->port, sp->transport,
			sp->via_proxy_addr, sp->via_header, sp->via_value);
		dump_policy(f, &sp->policy, &sp->plan);
	}
	llist_for_each_entry(tp, &c->ss7_peers, entry) {
		fprintf(f, "ss7 %s %u %u %d %u '%s' '%s' '%s' '%s'", tp->name, tp->cs7_instance, tp->dpc, tp->dpc_set,
			tp->max_sif_len, tp->sdp_template ?: "-", tp->sip_peer, tp->hop_bind_send,
			tp->hop_bind_require);
		fprintf(f, " repo %d %u %u", tp->repo_miss_limit, tp->repo_miss_rate, tp->repo_miss_burst);
		for (i = 0; i < tp->n_cic_ranges; i++)
			fprintf(f, " %u-%u", tp->cic[i].first, tp->cic[i].last);
		for (i = 0; i < tp->causes.n_isup_to_sip; i++)
			fprintf(f, " c%u>s%u", tp->causes.isup_to_sip[i].cause, tp->causes.isup_to_sip[i].sip);
		for (i = 0; i < tp->causes.n_sip_to_isup; i++)
			fprintf(f, " s%u>c%u", tp->causes.sip_to_isup[i].sip, tp->causes.sip_to_isup[i].cause);
		dump_policy(f, &tp->policy, &tp->plan);
	}
	llist_for_each_entry(r, &c->routes, entry)
		fprintf(f, "route '%s' %d %s\n", r->prefix, r->dest, r->peer);
	fclose(f);
	return buf;
}

static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *in = fopen(path, "r"), *out;
	char line[1024];

	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	out = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	while (fgets(line, sizeof(line), in))
		fputs(line, out);
	fclose(in);
	fclose(out);
	return buf;
}

/* write, read back, write again: same objects, same text */
static void round_trip(const char *text, const char *want_in_file)
{
	char err[512], path[512];
	char *before, *after, *written, *written2;

	CU_ASSERT_EQUAL_FATAL(read_text(text, err, sizeof(err)), 0);
	before = dump_cfg();
	fmt(path, sizeof(path), "%s/written.conf", dir);
	CU_ASSERT_EQUAL_FATAL(osmo_vty_write_config_file(path), 0);
	written = slurp(path);
	if (want_in_file) {
		if (!strstr(written, want_in_file))
			fprintf(stderr, "\n  written:\n%s\n  want:\n%s\n", written, want_in_file);
		CU_ASSERT_PTR_NOT_NULL(strstr(written, want_in_file));
	}

	iwf_cfg_reset(g_iwf_cfg);
	CU_ASSERT_EQUAL(stiwf_config_read(path, err, sizeof(err)), 0);
	if (err[0])
		fprintf(stderr, "\n  %s\n", err);
	after = dump_cfg();
	if (strcmp(before, after))
		fprintf(stderr, "\n  before:\n%s  after:\n%s", before, after);
	CU_ASSERT_STRING_EQUAL(before, after);

	CU_ASSERT_EQUAL_FATAL(osmo_vty_write_config_file(path), 0);
	written2 = slurp(path);
	CU_ASSERT_STRING_EQUAL(written, written2);
	free(before);
	free(after);
	free(written);
	free(written2);
}

static void test_round_trip_example(void)
{
	char text[4096];

	example(text, sizeof(text));
	/* the header example is exactly what "write" gives back */
	round_trip(text, text);
}

static void test_round_trip_knobs(void)
{
	/* every knob away from its default, on both kinds of peer */
	static const char *knobs =
		"stir\n"
		" allow-http\n"
		" crl-file /a.crl\n"
		" crl-file /b.crl\n"
		" crl-required\n"
		" crl-fetch\n"
		" crl-refresh 600\n"
		" x5u-timeout 150\n"
		" x5u-port 9443\n"
		" x5u-port 10443\n"
		" x5u-acl deny 127.0.0.2/32\n"
		" x5u-acl permit 127.0.0.0/8\n"
		" x5u-acl permit fd00::/8\n"
		" x5u-in-flight 10 per-host 2\n"
		" max-age 300\n"
		" credential key /k chain /c x5u http://lab.example/c.pem\n"
		" origid 0b7a8f3e-1c2d-4e5f-9a8b-7c6d5e4f3a2b\n"
		"tsca\n"
		" allow-http\n"
		" repository http://repo.lab/{key-id}.pem\n"
		" repository-ca-file /ca.pem\n"
		" repository-timeout 9000\n"
		" repository-port 9444\n"
		" repository-acl permit ::1/128\n"
		" repository-in-flight 1024 per-host 1024\n"
		" hop-window 120\n"
		" hop-skew 5\n"
		" hop-startup-quiet off\n"
		" replay-store redis [2001:db8::5]:6380\n"
		" replay-store on-failure local\n"
		" replay-store timeout 50\n"
		" max-validity provisional 0\n"
		" max-validity full 7300\n"
		" credential key /k\n"
		"sip-peer v6\n"
		" remote 2001:DB8::0:1 5070\n"
		" via-proxy 2001:DB8::0:10 header X-Carrier v6-1\n"
		" transport tcp\n"
		" keepalive interval 30\n"
		" keepalive failures 1\n"
		" on-stir-failure continue\n"
		" number-format national\n"
		" no cc-without-plus\n"
		" from-as-calling\n"
		" trunk-prefix 0\n"
		" international-prefix 00\n"
		" area-code 30\n"
		" calling-party-category 11\n"
		" aci 100\n"
		" hop-required\n"
		" provisional-max-attest B\n"
		" release-cause 31\n"
		"sip-peer plain\n"
		"ss7-peer tg-1\n"
		" cs7-instance 2\n"
		" point-code 16777215\n"
		" cic 0 10\n"
		" cic 100 4095\n"
		" max-message-length 4096\n"
		" overlap collect min-digits 8 max-digits 12\n"
		" country-code 49\n"
		" number-format national\n"
		" trunk-prefix 0\n"
		" aci 64\n"
		" on-stir-failure reject\n"
		" identity-required\n"
		" provisional-max-attest B\n"
		" release-cause 127\n"
		" no repository-miss-limit\n"
		" repository-busy-cause 34\n"
		" isup-to-sip-cause 20 410\n"
		" sip-to-isup-cause 603 17\n"
		" hop-bind send YY-OP2\n"
		" hop-bind require pc:2-100-3\n"
		"ss7-peer tg-2\n"
		" cs7-instance 2\n"
		" point-code 16777215\n"
		" cic 11 99\n"
		" repository-miss-limit 0 burst 1\n"
		"route default sip-peer v6\n"
		"route 49 ss7-peer tg-1\n"
		"route 4930 ss7-peer tg-2\n"
		"route 49 sip-peer plain\n";

	round_trip(knobs, " remote 2001:db8::1 5070\n");
	round_trip(knobs, " isup-to-sip-cause 20 410\n sip-to-isup-cause 603 17\n");
	round_trip(knobs, " crl-required\n crl-fetch\n crl-refresh 600\n x5u-timeout 150\n x5u-port 9443\n"
		   " x5u-port 10443\n x5u-acl deny 127.0.0.2/32\n x5u-acl permit 127.0.0.0/8\n"
		   " x5u-acl permit fd00::/8\n x5u-in-flight 10 per-host 2\n");
	round_trip(knobs, " repository-port 9444\n repository-acl permit ::1/128\n"
		   " repository-in-flight 1024 per-host 1024\n");
	round_trip(knobs, " no repository-miss-limit\n repository-busy-cause 34\n");
	round_trip(knobs, " repository-miss-limit 0 burst 1\n");
	round_trip(knobs, " hop-startup-quiet off\n replay-store redis [2001:db8::5]:6380\n"
		   " replay-store on-failure local\n replay-store timeout 50\n");
	round_trip(knobs, " remote 2001:db8::1 5070\n via-proxy 2001:db8::10 header X-Carrier v6-1\n");
	round_trip(knobs, " transport tcp\n keepalive interval 30\n keepalive failures 1\n");
	round_trip(knobs, " max-validity provisional 0\n max-validity full 7300\n");
	/* defaults written back as such */
	round_trip(knobs, "sip-peer plain\n transport udp\n on-stir-failure continue\nss7-peer");
}

static void test_no_forms(void)
{
	char err[512];
	struct iwf_ss7_peer *tp;

	CU_ASSERT_EQUAL_FATAL(read_text(
		"stir\n"
		" trust-dir /t\n"
		" crl-file /a\n"
		" crl-file /b\n"
		" crl-file /c\n"
		" no crl-file /b\n"
		" no trust-dir\n"
		" x5u-ca-file /ca\n"
		" no x5u-ca-file\n"
		" credential key /k chain /c\n"
		" no credential\n"
		" allow-http\n"
		" no allow-http\n"
		" crl-required\n"
		" no crl-required\n"
		" crl-fetch\n"
		" no crl-fetch\n"
		" x5u-port 9443\n"
		" x5u-port 443\n"
		" no x5u-port 9443\n"
		" x5u-acl permit 10.0.0.0/8\n"
		" x5u-acl permit 10.0.0.0/8\n"
		" x5u-acl deny ::/0\n"
		" no x5u-acl permit 10.0.0.0/8\n"
		"tsca\n"
		" repository-acl permit 10.1.0.0/16\n"
		" no repository-acl permit 10.1.0.0/16\n"
		" cert-dir /d\n"
		" no cert-dir\n"
		" repository https://r/{key-id}\n"
		" no repository\n"
		" policy-oid full 1.2\n"
		" no policy-oid full\n"
		" map-file /m\n"
		" no map-file\n"
		"sip-peer a\n"
		" identity-required\n"
		" no identity-required\n"
		" country-code 44\n"
		" no country-code\n"
		" trunk-prefix 0\n"
		" no trunk-prefix\n"
		" international-prefix 00\n"
		" no international-prefix\n"
		" area-code 20\n"
		" no area-code\n"
		" from-as-calling\n"
		" no from-as-calling\n"
		" hop-required\n"
		" no hop-required\n"
		"sip-peer b\n"
		"ss7-peer x\n"
		" cic 1 5\n"
		" cic 6 9\n"
		" no cic 1 5\n"
		" no repository-miss-limit\n"
		" repository-miss-limit 3 burst 4\n"
		" sdp-template /s\n"
		" no sdp-template\n"
		" sip-peer a\n"
		" no sip-peer\n"
		" hop-bind send A\n"
		" hop-bind require B\n"
		" no hop-bind send\n"
		"ss7-peer y\n"
		"route 1 sip-peer a\n"
		"route 1 sip-peer b\n"
		"route 2 sip-peer a\n"
		"no route 2 sip-peer\n"
		"no sip-peer a\n"
		"no ss7-peer y\n", err, sizeof(err)), 0);
	if (err[0])
		fprintf(stderr, "\n  %s\n", err);
	CU_ASSERT_PTR_NULL(g_iwf_cfg->stir.trust_dir);
	CU_ASSERT_EQUAL(g_iwf_cfg->stir.n_crl_files, 2);
	CU_ASSERT_STRING_EQUAL(g_iwf_cfg->stir.crl_files[0], "/a");
	CU_ASSERT_STRING_EQUAL(g_iwf_cfg->stir.crl_files[1], "/c");
	CU_ASSERT_PTR_NULL(g_iwf_cfg->stir.fetch_ca_file);
	CU_ASSERT_PTR_NULL(g_iwf_cfg->stir.credential.key_path);
	CU_ASSERT_FALSE(g_iwf_cfg->stir.allow_http);
	CU_ASSERT_FALSE(g_iwf_cfg->stir.crl_required);
	CU_ASSERT_FALSE(g_iwf_cfg->stir.crl_fetch);
	CU_ASSERT_EQUAL(g_iwf_cfg->stir.n_fetch_ports, 0);
	CU_ASSERT_EQUAL(g_iwf_cfg->stir.n_acl, 1);
	CU_ASSERT_STRING_EQUAL(g_iwf_cfg->stir.acl[0], "deny ::/0");
	CU_ASSERT_EQUAL(g_iwf_cfg->tsca.n_acl, 0);
	CU_ASSERT_PTR_NULL(g_iwf_cfg->tsca.cert_dir);
	CU_ASSERT_PTR_NULL(g_iwf_cfg->tsca.repository);
	CU_ASSERT_PTR_NULL(g_iwf_cfg->tsca_full_oid);
	CU_ASSERT_PTR_NULL(g_iwf_cfg->map_file);
	CU_ASSERT_PTR_NULL(iwf_sip_peer_find("a"));
	CU_ASSERT_PTR_NOT_NULL(iwf_sip_peer_find("b"));
	CU_ASSERT_PTR_NULL(iwf_ss7_peer_find("y"));
	tp = iwf_ss7_peer_find("x");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tp);
	CU_ASSERT_EQUAL(tp->n_cic_ranges, 1);
	CU_ASSERT_EQUAL(tp->cic[0].first, 6);
	CU_ASSERT_TRUE(tp->repo_miss_limit);
	CU_ASSERT_EQUAL(tp->repo_bucket.rate, 3);
	CU_ASSERT_EQUAL(tp->repo_bucket.burst, 4);
	CU_ASSERT_PTR_NULL(tp->sdp_template);
	CU_ASSERT_STRING_EQUAL(tp->sip_peer, "");
	CU_ASSERT_STRING_EQUAL(tp->hop_bind_send, "");
	CU_ASSERT_STRING_EQUAL(tp->hop_bind_require, "B");
	CU_ASSERT_STRING_EQUAL(iwf_route_lookup("1", IWF_ROUTE_SIP)->peer, "b");
	CU_ASSERT_PTR_NULL(iwf_route_lookup("2", IWF_ROUTE_SIP));
}

struct bad_case {
	const char *text;
	unsigned int line;	/* the line that must be named */
	const char *says;	/* what the console says (not checked: libosmovty prints it) */
};

#define SP	"sip-peer a\n"
#define TP	"ss7-peer x\n point-code 1\n"
#define LONG_X5U "https://cert.example/" \
	"0123456789012345678901234567890123456789012345678901234567890123456789" \
	"0123456789012345678901234567890123456789012345678901234567890123456789" \
	"0123456789.pem"

static const struct bad_case bad_cases[] = {
	/* hop-bind: what the BIND TLV can carry */
	{ TP " hop-bind send " "123456789012345678901234567890123\n", 3, "1-32 characters" },
	{ TP " hop-bind require \"a b\"\n", 3, "no space" },
	{ TP " hop-bind listen X\n", 3, "send or require" },
	/* the shared replay store: numeric ADDR[:PORT] only */
	{ "tsca\n replay-store redis redis.example\n", 2, "no name" },
	{ "tsca\n replay-store redis 192.0.2.5:0\n", 2, "port 0" },
	{ "tsca\n replay-store redis 192.0.2.5:70000\n", 2, "port too large" },
	{ "tsca\n replay-store redis [2001:db8::5\n", 2, "unclosed bracket" },
	{ "tsca\n replay-store redis [2001:db8::5]x\n", 2, "junk after the bracket" },
	{ "tsca\n replay-store timeout 0\n", 2, "timeout 0" },
	{ "tsca\n replay-store on-failure maybe\n", 2, "reject or local" },
	/* via-proxy */
	{ SP " via-proxy proxy.example header X-C v\n", 2, "not a numeric address" },
	{ SP " via-proxy 192.0.2.1 header X:C v\n", 2, "no token" },
	{ SP " via-proxy 192.0.2.1 header Identity v\n", 2, "never Identity" },
	/* sip-peer */
	{ "sip-peer bad/name\n", 1, "bad name" },
	{ "sip-peer a234567890123456789012345678901234\n", 1, "bad name" },
	{ SP " remote 300.1.1.1 5060\n", 2, "not a numeric address" },
	{ SP " remote 192.0.2.1.5 5060\n", 2, "not a numeric address" },
	{ SP " remote ::g 5060\n", 2, "not a numeric address" },
	{ SP " remote 192.0.2.1 0\n", 2, "port range" },
	{ SP " remote 192.0.2.1 65536\n", 2, "port range" },
	{ SP " remote 192.0.2.1\nsip-peer b\n remote 192.0.2.1 5060\n", 4, "same address" },
	{ SP " transport sctp\n", 2, "transport" },
	{ SP " on-stir-failure drop\n", 2, "on-stir-failure" },
	{ SP " provisional-max-attest A\n", 2, "B or C" },
	{ SP " provisional-max-attest b\n", 2, "B or C" },
	{ SP " aci 63\n", 2, "aci range" },
	{ SP " aci 128\n", 2, "aci range" },
	{ SP " release-cause 0\n", 2, "cause range" },
	{ TP " isup-to-sip-cause 128 486\n", 3, "cause override: cause range" },
	{ TP " sip-to-isup-cause 200 17\n", 3, "cause override: status range" },
	{ SP " release-cause 128\n", 2, "cause range" },
	{ SP " country-code 1234\n", 2, "cc digits" },
	{ SP " country-code 4x\n", 2, "cc digits" },
	{ SP " number-format e164\n", 2, "number-format" },
	{ SP " trunk-prefix 0a\n", 2, "digits" },
	{ SP " trunk-prefix 00000\n", 2, "digits" },
	{ SP " international-prefix +\n", 2, "digits" },
	{ SP " area-code 123456789\n", 2, "digits" },
	{ SP " calling-party-category 256\n", 2, "range" },
	/* ss7-peer */
	{ TP " cic 5 4\n", 3, "first above last" },
	{ TP " cic 0 4096\n", 3, "CIC range" },
	{ TP " cic 1 10\n cic 10 20\n", 4, "overlap in the peer" },
	{ "ss7-peer x\n cic 1 10\n cic 5 6\n", 3, "overlap before point-code" },
	{ TP " cic 1 10\nss7-peer y\n point-code 1\n cic 10 12\n", 6, "overlap between peers" },
	{ TP " cic 1 10\nss7-peer y\n cic 5 12\n point-code 1\n", 6, "moved onto overlap" },
	{ TP " cic 1 10\nss7-peer y\n point-code 1\n cs7-instance 1\n cic 5 12\n cs7-instance 0\n", 8,
	  "moved onto overlap" },
	{ TP " cs7-instance 16\n", 3, "instance range" },
	{ TP " point-code 16777216\n", 3, "pc range" },
	{ TP " max-message-length 63\n", 3, "length range" },
	{ TP " max-message-length 4097\n", 3, "length range" },
	{ TP " overlap collect min-digits 9 max-digits 8\n", 3, "min above max" },
	{ TP " overlap collect min-digits 0 max-digits 8\n", 3, "digits range" },
	{ TP " overlap collect min-digits 4 max-digits 41\n", 3, "digits range" },
	{ TP " overlap overlap\n", 3, "overlap mode" },
	{ TP " no cic 1 2\n", 3, "no such range" },
	{ TP " sip-peer a/b\n", 3, "bad name" },
	{ "ss7-peer x\n" " cic 1 1\n cic 2 2\n cic 3 3\n cic 4 4\n cic 5 5\n cic 6 6\n cic 7 7\n cic 8 8\n"
	  " cic 9 9\n cic 10 10\n cic 11 11\n cic 12 12\n cic 13 13\n cic 14 14\n cic 15 15\n cic 16 16\n"
	  " cic 17 17\n", 18, "too many ranges" },
	/* stir */
	{ "stir\n credential key /k chain /c x5u http://cert.example/c.pem\n", 2, "http without allow-http" },
	{ "stir\n credential key /k chain /c x5u ftp://cert.example/c.pem\n", 2, "not https" },
	{ "stir\n credential key /k chain /c x5u https://\n", 2, "no host" },
	{ "stir\n credential key /k chain /c x5u " LONG_X5U "\n", 2, "x5u too long for the token" },
	{ "stir\n allow-http\n credential key /k chain /c x5u http://c/c.pem\n no allow-http\n", 4,
	  "http URL in use" },
	{ "stir\n x5u-timeout 99\n", 2, "timeout range" },
	{ "stir\n credential key /k chain /c x5u https://cert.example/c.pem?v=1\n", 2, "query string" },
	{ "stir\n x5u-acl permit 10.0.0.1/8\n", 2, "host bits" },
	{ "stir\n x5u-acl permit 10.0.0.0/33\n", 2, "prefix length" },
	{ "stir\n x5u-acl permit cr.example\n", 2, "not an address" },
	{ "stir\n x5u-acl allow 10.0.0.0/8\n", 2, "permit or deny" },
	{ "stir\n no x5u-acl permit 10.0.0.0/8\n", 2, "no such acl line" },
	{ "stir\n x5u-port 0\n", 2, "port range" },
	{ "stir\n no x5u-port 9443\n", 2, "no such port" },
	{ "stir\n x5u-port 1\n x5u-port 2\n x5u-port 3\n x5u-port 4\n x5u-port 5\n x5u-port 6\n"
	  " x5u-port 7\n", 8, "too many ports" },
	{ "stir\n x5u-in-flight 0 per-host 1\n", 2, "in-flight range" },
	{ "stir\n x5u-in-flight 8 per-host 1025\n", 2, "in-flight range" },
	{ "stir\n crl-refresh 59\n", 2, "refresh range" },
	{ "stir\n repository-acl permit 10.0.0.0/8\n", 2, "tsca only" },
	{ "tsca\n x5u-acl permit 10.0.0.0/8\n", 2, "stir only" },
	{ TP " repository-miss-limit 10001 burst 1\n", 3, "rate range" },
	{ TP " repository-miss-limit 1 burst 0\n", 3, "burst range" },
	{ TP " repository-busy-cause 0\n", 3, "cause range" },
	{ SP " repository-busy-cause 42\n", 2, "ss7-peer only" },
	{ "stir\n max-age 0\n", 2, "max-age range" },
	{ "stir\n origid 1234\n", 2, "not a UUID" },
	{ "stir\n origid 0b7a8f3e-1c2d-4e5f-9a8b-7c6d5e4f3a2g\n", 2, "not a UUID" },
	{ "stir\n no crl-file /x\n", 2, "no such crl" },
	{ "stir\n crl-file /1\n crl-file /2\n crl-file /3\n crl-file /4\n crl-file /5\n crl-file /6\n"
	  " crl-file /7\n crl-file /8\n crl-file /9\n", 10, "too many CRLs" },
	{ "stir\n trust-dir\n", 2, "incomplete" },
	{ "stir\n cert-dir /x\n", 2, "tsca only" },
	{ "stir\n repository https://r/{key-id}\n", 2, "tsca only" },
	/* tsca */
	{ "tsca\n repository https://repo.example/cert.pem\n", 2, "no {key-id}" },
	{ "tsca\n repository http://repo.example/{key-id}.pem\n", 2, "http without allow-http" },
	{ "tsca\n repository repo.example/{key-id}.pem\n", 2, "not a URL" },
	{ "tsca\n policy-oid full 3.1\n", 2, "root arc" },
	{ "tsca\n policy-oid full 1\n", 2, "one arc" },
	{ "tsca\n policy-oid full 1..2\n", 2, "empty arc" },
	{ "tsca\n policy-oid full 1.02\n", 2, "leading zero" },
	{ "tsca\n policy-oid full 1.2.\n", 2, "trailing dot" },
	{ "tsca\n policy-oid full 2.25.x\n", 2, "not digits" },
	{ "tsca\n policy-oid other 2.25\n", 2, "full or provisional" },
	{ "tsca\n hop-skew 301\n", 2, "skew range" },
	{ "tsca\n hop-window 0\n", 2, "window range" },
	{ "tsca\n hop-startup-quiet maybe\n", 2, "quiet on or off" },
	{ "tsca\n credential key /k chain /c x5u https://c/c.pem\n", 2, "no x5u in tsca" },
	/* routes */
	{ "route 12a ss7-peer x\n", 1, "prefix digits" },
	{ "route +1 ss7-peer x\n", 1, "prefix digits" },
	{ "route 1234567890123456 ss7-peer x\n", 1, "prefix too long" },
	{ "route 1 isup-peer x\n", 1, "destination type" },
	{ "route 1 ss7-peer x/y\n", 1, "bad name" },
	{ "no route 1 ss7-peer\n", 1, "no such route" },
	{ SP "route 1 sip-peer a\nno sip-peer a\n", 3, "peer in use by a route" },
	{ SP "ss7-peer x\n sip-peer a\nno sip-peer a\n", 4, "peer in use by an ss7-peer" },
	{ "ss7-peer x\nroute default ss7-peer x\nno ss7-peer x\n", 3, "peer in use by a route" },
	{ "no sip-peer zz\n", 1, "no such peer" },
	{ "no ss7-peer zz\n", 1, "no such peer" },
};

static void test_bad_lines(void)
{
	char err[512], want[600], path[512], line[256];
	unsigned int i;

	fmt(path, sizeof(path), "%s/test.conf", dir);
	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *bc = &bad_cases[i];
		const char *p = bc->text;
		unsigned int n;
		size_t l;

		/* the bad line itself, for the message */
		for (n = 1; n < bc->line; n++) {
			p = strchr(p, '\n');
			CU_ASSERT_PTR_NOT_NULL_FATAL(p);
			p++;
		}
		l = strcspn(p, "\n");
		CU_ASSERT_FATAL(l < sizeof(line));
		memcpy(line, p, l);
		line[l] = '\0';

		CU_ASSERT_EQUAL(read_text(bc->text, err, sizeof(err)), -EINVAL);
		fmt(want, sizeof(want), "%s:%u: \"%s\"", path, bc->line, line);
		if (!strstr(err, want))
			fprintf(stderr, "\n  case %u (%s): got '%s', want '%s'\n", i, bc->says, err, want);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
	}
}

static void test_route_lookup(void)
{
	char err[512];
	const struct iwf_route *r;
	static const struct {
		const char *called;
		enum iwf_route_dest dest;
		const char *peer;	/* NULL: no route */
	} cases[] = {
		{ "12025550100", IWF_ROUTE_SS7, "x-dc" },
		{ "+12025550100", IWF_ROUTE_SS7, "x-dc" },
		{ "12125550100", IWF_ROUTE_SS7, "x-us" },
		{ "1", IWF_ROUTE_SS7, "x-us" },
		{ "120", IWF_ROUTE_SS7, "x-us" },
		{ "1202", IWF_ROUTE_SS7, "x-dc" },
		{ "4930123456", IWF_ROUTE_SS7, NULL },
		{ "", IWF_ROUTE_SS7, NULL },
		{ "4930123456", IWF_ROUTE_SIP, "s-default" },
		{ "12035550100", IWF_ROUTE_SIP, "s-us" },
		{ "120255", IWF_ROUTE_SIP, "s-us" },
		{ "1202555", IWF_ROUTE_SIP, "s-555" },
		{ "12025550199", IWF_ROUTE_SIP, "s-555" },
		{ "", IWF_ROUTE_SIP, "s-default" },
	};
	unsigned int i;

	CU_ASSERT_EQUAL_FATAL(read_text(
		"route 1 ss7-peer x-us\n"
		"route 1202 ss7-peer x-dc\n"
		"route default sip-peer s-default\n"
		"route 1202555 sip-peer s-555\n"
		"route 1 sip-peer s-us\n"
		"route 1 sip-peer s-us\n", err, sizeof(err)), 0);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		r = iwf_route_lookup(cases[i].called, cases[i].dest);
		if (!cases[i].peer) {
			CU_ASSERT_PTR_NULL(r);
			continue;
		}
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		if (strcmp(r->peer, cases[i].peer))
			fprintf(stderr, "\n  %s: got %s, want %s\n", cases[i].called, r->peer, cases[i].peer);
		CU_ASSERT_STRING_EQUAL(r->peer, cases[i].peer);
		CU_ASSERT_EQUAL(r->dest, cases[i].dest);
	}
	/* a route set again keeps its place and takes the new peer */
	CU_ASSERT_EQUAL(iwf_route_set(g_iwf_cfg, "1", IWF_ROUTE_SS7, "x-other"), 0);
	r = llist_first_entry(&g_iwf_cfg->routes, struct iwf_route, entry);
	CU_ASSERT_STRING_EQUAL(r->peer, "x-other");
	CU_ASSERT_EQUAL(iwf_route_set(g_iwf_cfg, "1x", IWF_ROUTE_SS7, "x-other"), -EINVAL);
	CU_ASSERT_EQUAL(iwf_route_del(g_iwf_cfg, "default", IWF_ROUTE_SIP), 0);
	CU_ASSERT_EQUAL(iwf_route_del(g_iwf_cfg, "default", IWF_ROUTE_SIP), -ENOENT);
	CU_ASSERT_PTR_NULL(iwf_route_lookup("49", IWF_ROUTE_SIP));
	CU_ASSERT_PTR_NULL(iwf_route_lookup(NULL, IWF_ROUTE_SIP));
}

/* Routes skip a sip-peer its keepalive found down: the next longest
 * matching route takes the call; none up, none found. */
static void test_route_failover(void)
{
	char err[512];
	const struct iwf_route *r;
	struct iwf_sip_peer *a, *b, *c;
	unsigned int n_down;

	CU_ASSERT_EQUAL_FATAL(read_text(
		"sip-peer a\n remote 192.0.2.1 5060\n keepalive interval 5\n keepalive failures 2\n"
		"sip-peer b\n remote 192.0.2.2 5060\n keepalive interval 5\n"
		"sip-peer c\n remote 192.0.2.3 5060\n"
		"route 4930 sip-peer a\n"
		"route 49 sip-peer b\n"
		"route default sip-peer c\n"
		"route 1 sip-peer a\n", err, sizeof(err)), 0);
	a = iwf_sip_peer_find("a");
	b = iwf_sip_peer_find("b");
	c = iwf_sip_peer_find("c");
	CU_ASSERT_FATAL(a && b && c);
	CU_ASSERT_EQUAL(a->keepalive_interval_s, 5);
	CU_ASSERT_EQUAL(a->keepalive_failures, 2);
	CU_ASSERT_EQUAL(b->keepalive_failures, 3);
	CU_ASSERT_EQUAL(c->keepalive_interval_s, 0);

	r = iwf_route_lookup_up("4930123456", IWF_ROUTE_SIP, &n_down);
	CU_ASSERT_STRING_EQUAL(r->peer, "a");
	CU_ASSERT_EQUAL(n_down, 0);
	a->down = true;
	r = iwf_route_lookup_up("+4930123456", IWF_ROUTE_SIP, &n_down);
	CU_ASSERT_STRING_EQUAL(r->peer, "b");
	CU_ASSERT_EQUAL(n_down, 1);
	CU_ASSERT_TRUE(iwf_route_peer_down(iwf_route_lookup("4930123456", IWF_ROUTE_SIP)));
	b->down = true;
	r = iwf_route_lookup_up("4930123456", IWF_ROUTE_SIP, &n_down);
	CU_ASSERT_STRING_EQUAL(r->peer, "c");
	CU_ASSERT_EQUAL(n_down, 2);
	/* the only route of 1... is down: nothing */
	CU_ASSERT_PTR_NOT_NULL(iwf_route_lookup_up("1202", IWF_ROUTE_SIP, &n_down));
	CU_ASSERT_STRING_EQUAL(iwf_route_lookup_up("1202", IWF_ROUTE_SIP, &n_down)->peer, "c");
	c->down = true;
	CU_ASSERT_PTR_NULL(iwf_route_lookup_up("4930123456", IWF_ROUTE_SIP, &n_down));
	CU_ASSERT_EQUAL(n_down, 3);
	/* up again on the first success */
	a->down = false;
	r = iwf_route_lookup_up("4930123456", IWF_ROUTE_SIP, &n_down);
	CU_ASSERT_STRING_EQUAL(r->peer, "a");
	CU_ASSERT_EQUAL(n_down, 0);
	CU_ASSERT_PTR_NULL(iwf_route_lookup_up(NULL, IWF_ROUTE_SIP, NULL));

	/* each peer has its counter group, named after it, gone with it */
	{
		unsigned int idx;

		CU_ASSERT_PTR_NOT_NULL_FATAL(a->ctrs);
		CU_ASSERT_STRING_EQUAL(a->ctrs->name, "a");
		CU_ASSERT_STRING_EQUAL(a->ctrs->desc->group_name_prefix, "sip_peer");
		idx = a->ctrs->idx;
		iwf_peer_ctr_attest(a->ctrs, 'B', true);
		iwf_peer_ctr_attest(a->ctrs, 'X', true);
		iwf_peer_ctr_attest(a->ctrs, 'C', false);
		CU_ASSERT_EQUAL(rate_ctr_group_get_ctr(a->ctrs, IWF_PEER_CTR_ATTEST_IN_B)->current, 1);
		CU_ASSERT_EQUAL(rate_ctr_group_get_ctr(a->ctrs, IWF_PEER_CTR_ATTEST_IN_A)->current, 0);
		CU_ASSERT_EQUAL(rate_ctr_group_get_ctr(a->ctrs, IWF_PEER_CTR_ATTEST_OUT_C)->current, 1);
		CU_ASSERT_PTR_EQUAL(rate_ctr_get_group_by_name_idx("sip_peer", idx), a->ctrs);
		iwf_cfg_reset(g_iwf_cfg);
		CU_ASSERT_PTR_NULL(rate_ctr_get_group_by_name_idx("sip_peer", idx));
	}
}

static void test_validators(void)
{
	CU_ASSERT_TRUE(iwf_oid_valid("0.0"));
	CU_ASSERT_TRUE(iwf_oid_valid("2.25.86463577012294038856916042319872316038"));
	CU_ASSERT_FALSE(iwf_oid_valid(""));
	CU_ASSERT_FALSE(iwf_oid_valid("2"));
	CU_ASSERT_FALSE(iwf_oid_valid("12.1"));
	CU_ASSERT_FALSE(iwf_oid_valid(".1.2"));
	CU_ASSERT_TRUE(iwf_route_prefix_valid(""));
	CU_ASSERT_TRUE(iwf_route_prefix_valid("default"));
	CU_ASSERT_TRUE(iwf_route_prefix_valid("123456789012345"));
	CU_ASSERT_FALSE(iwf_route_prefix_valid("1234567890123456"));
	CU_ASSERT_FALSE(iwf_peer_name_valid(""));
	CU_ASSERT_TRUE(iwf_peer_name_valid("a.b_c-D9"));
	CU_ASSERT_FALSE(iwf_peer_name_valid("a b"));
	CU_ASSERT_EQUAL(iwf_url_check("https://h/{key-id}", true, false), 0);
	CU_ASSERT_EQUAL(iwf_url_check("https://h/x", true, false), -ENOENT);
	CU_ASSERT_EQUAL(iwf_url_check("http://h/{key-id}", true, false), -EPROTONOSUPPORT);
	CU_ASSERT_EQUAL(iwf_url_check("http://h/{key-id}", true, true), 0);
	CU_ASSERT_EQUAL(iwf_url_check("https://{key-id}", true, false), -EINVAL);
	CU_ASSERT_EQUAL(iwf_url_check("https://h/a b", false, false), -EINVAL);
	CU_ASSERT_EQUAL(iwf_url_check("https://h/a.pem?x=1", false, false), -EPERM);
	CU_ASSERT_EQUAL(iwf_url_check("https://h/a.pem#x", false, false), -EPERM);
	CU_ASSERT_EQUAL(iwf_url_check("HTTPS://h/", false, false), -EINVAL);
	/* a peer cannot be allocated twice, nor with a bad name */
	iwf_cfg_reset(g_iwf_cfg);
	CU_ASSERT_PTR_NOT_NULL(iwf_sip_peer_alloc(g_iwf_cfg, "p"));
	CU_ASSERT_PTR_NULL(iwf_sip_peer_alloc(g_iwf_cfg, "p"));
	CU_ASSERT_PTR_NULL(iwf_ss7_peer_alloc(g_iwf_cfg, "p q"));
	iwf_cfg_reset(g_iwf_cfg);
}

struct check_case {
	const char *text;	/* "%s" is the scratch directory */
	const char *want;	/* in the message of iwf_cfg_check() */
};

#define OK_TP	"ss7-peer x\n point-code 1\n cic 1 2\n"

static const struct check_case check_cases[] = {
	{ "route 1 ss7-peer nowhere\n", "route 1 ss7-peer nowhere: no such ss7-peer" },
	{ "sip-peer x\n remote 192.0.2.1\nroute default ss7-peer x\n",
	  "route default ss7-peer x: no such ss7-peer" },
	{ OK_TP "route 1 sip-peer x\n", "route 1 sip-peer x: no such sip-peer" },
	{ OK_TP " sip-peer nobody\n", "ss7-peer x: sip-peer nobody is not configured" },
	{ "ss7-peer x\n point-code 1\n", "ss7-peer x: no cic range" },
	{ "ss7-peer x\n cic 1 2\n", "ss7-peer x: no point-code" },
	{ "sip-peer a\n", "sip-peer a: no remote address" },
	{ "tsca\n replay-store redis 192.0.2.5\n",
	  "tsca: replay-store redis without trust-dir: no HOP is verified, none remembered" },
	{ "sip-peer a\n remote 192.0.2.1\n via-proxy 192.0.2.1 header X-C v\n"
	  "sip-peer b\n remote 192.0.2.1\n via-proxy 192.0.2.1 header x-c v\n",
	  "sip-peer b: via-proxy 192.0.2.1 header x-c v is also sip-peer a" },
	{ "sip-peer a\n remote 192.0.2.1\n via-proxy 192.0.2.1 header X-C v\n"
	  "sip-peer b\n remote 192.0.2.1\n",
	  "sip-peer b: remote 192.0.2.1 5060 is also sip-peer a" },
	{ "stir\n credential key %s/sti.key\n", "stir credential: key %s/sti.key but no certificate chain" },
	{ "tsca\n credential key %s/op.key\n", "tsca credential: key %s/op.key but no certificate chain" },
	{ "stir\n credential key %s/sti.key chain %s/sti-chain.pem\n", "stir credential: no x5u URL (where verifiers fetch the chain)" },
	{ "stir\n trust-dir %s/missing\n", "trust-dir %s/missing: No such file or directory" },
	{ "stir\n trust-dir %s/map.conf\n", "trust-dir %s/map.conf: not a directory" },
	{ "tsca\n crl-file %s/operators\n", "crl-file %s/operators: not a regular file" },
	{ "tsca\n map-file %s/nomap\n", "map-file %s/nomap: No such file or directory" },
	{ "tsca\n credential key %s/op.key chain %s/nochain\n", "credential chain %s/nochain: No such file or directory" },
	{ OK_TP " sdp-template %s/none.sdp\n", "sdp-template %s/none.sdp: No such file or directory" },
	{ "tsca\n policy-oid full 1.2.3\n policy-oid provisional 1.2.3\n",
	  "tsca: policy-oid full and provisional are both 1.2.3" },
	{ "tsca\n hop-window 10\n hop-skew 11\n", "tsca: hop-skew 11 is larger than hop-window 10" },
};

/* Carriers behind a proxy: by the header the proxy sets, believed only
 * from the proxy's address; by source address otherwise */
static void test_via_proxy(void)
{
	static const char text[] =
		"sip-peer acme\n"
		" remote 192.0.2.50 5060\n"
		" via-proxy 192.0.2.50 header X-Carrier acme-1\n"
		"sip-peer zeta\n"
		" remote 192.0.2.50 5060\n"
		" via-proxy 192.0.2.50 header X-Carrier zeta-2\n"
		"sip-peer direct\n"
		" remote 192.0.2.60 5060\n";
	struct sip_call_info info;
	const char *names[] = { "X-Carrier" };
	char err[256];

	CU_ASSERT_EQUAL_FATAL(read_text(text, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(iwf_cfg_check(err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(err, "");
	CU_ASSERT_EQUAL(sip_call_info_trust_headers(names, 1), 0);

	memset(&info, 0, sizeof(info));
	OSMO_STRLCPY_ARRAY(info.peer_addr, "192.0.2.50");
	info.n_trusted = 1;
	OSMO_STRLCPY_ARRAY(info.trusted[0].name, "X-Carrier");
	OSMO_STRLCPY_ARRAY(info.trusted[0].value, "zeta-2");
	CU_ASSERT_PTR_EQUAL(iwf_sip_peer_by_request(&info), iwf_sip_peer_find("zeta"));
	OSMO_STRLCPY_ARRAY(info.trusted[0].value, "acme-1");
	CU_ASSERT_PTR_EQUAL(iwf_sip_peer_by_request(&info), iwf_sip_peer_find("acme"));
	OSMO_STRLCPY_ARRAY(info.peer_addr, "::ffff:192.0.2.50");
	CU_ASSERT_PTR_EQUAL(iwf_sip_peer_by_request(&info), iwf_sip_peer_find("acme"));
	/* an unknown value, an invalid header, none: nobody (the proxy's
	 * address is no carrier's by itself) */
	OSMO_STRLCPY_ARRAY(info.trusted[0].value, "acme-2");
	CU_ASSERT_PTR_NULL(iwf_sip_peer_by_request(&info));
	OSMO_STRLCPY_ARRAY(info.trusted[0].value, "acme-1");
	info.trusted[0].invalid = true;
	CU_ASSERT_PTR_NULL(iwf_sip_peer_by_request(&info));
	info.trusted[0].invalid = false;
	info.n_trusted = 0;
	CU_ASSERT_PTR_NULL(iwf_sip_peer_by_request(&info));
	CU_ASSERT_PTR_NULL(iwf_sip_peer_by_addr("192.0.2.50"));
	/* the header from another address is not believed: the direct
	 * carrier stays itself, a stranger stays nobody */
	info.n_trusted = 1;
	OSMO_STRLCPY_ARRAY(info.peer_addr, "192.0.2.60");
	CU_ASSERT_PTR_EQUAL(iwf_sip_peer_by_request(&info), iwf_sip_peer_find("direct"));
	OSMO_STRLCPY_ARRAY(info.peer_addr, "192.0.2.61");
	CU_ASSERT_PTR_NULL(iwf_sip_peer_by_request(&info));
}

static void test_cfg_check(void)
{
	char text[1024], want[512], err[512];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(check_cases); i++) {
		fmt(text, sizeof(text), check_cases[i].text, dir, dir);
		fmt(want, sizeof(want), check_cases[i].want, dir, dir);
		CU_ASSERT_EQUAL_FATAL(read_text(text, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(iwf_cfg_check(err, sizeof(err)), -EINVAL);
		if (strcmp(err, want))
			fprintf(stderr, "\n  case %u: got '%s', want '%s'\n", i, err, want);
		CU_ASSERT_STRING_EQUAL(err, want);
	}
	/* nothing configured is consistent */
	iwf_cfg_reset(g_iwf_cfg);
	CU_ASSERT_EQUAL(iwf_cfg_check(err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(err, "");
}

/* The commented IWF example of contrib/stiwfd.conf, uncommented, parses
 * and holds together (its files are not here: only the structure). */
static void test_contrib_example(void)
{
	const char *srcdir = getenv("srcdir");
	char path[512], line[1024], err[512];
	char *text = NULL;
	size_t len = 0;
	bool in = false;
	FILE *f, *out;

	fmt(path, sizeof(path), "%s/contrib/stiwfd.conf", srcdir ? srcdir : ".");
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	out = open_memstream(&text, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "--- BEGIN IWF EXAMPLE")) {
			in = true;
			continue;
		}
		if (strstr(line, "--- END IWF EXAMPLE"))
			in = false;
		if (in)
			fputs(line[0] == '!' ? line + 1 : line, out);
	}
	fclose(f);
	fclose(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(strstr(text, "ss7-peer exchange-b\n"));
	CU_ASSERT_EQUAL(read_text(text, err, sizeof(err)), 0);
	if (err[0])
		fprintf(stderr, "\n  %s\n", err);
	CU_ASSERT_PTR_NOT_NULL(iwf_ss7_peer_by_cic(0, 200, 17));
	CU_ASSERT_STRING_EQUAL(iwf_route_lookup("12025550100", IWF_ROUTE_SS7)->peer, "exchange-b");
	CU_ASSERT_STRING_EQUAL(iwf_route_lookup("4930123456", IWF_ROUTE_SIP)->peer, "carrier-a");
	/* and the MAP border's part of it */
	CU_ASSERT_EQUAL(g_map_cfg->n_peers, 3);
	CU_ASSERT_EQUAL(iwf_map_peer_by_gt(g_map_cfg, "4930123")->role, IWF_MAP_ROLE_HOME);
	CU_ASSERT_STRING_EQUAL(iwf_map_peer_by_gt(g_map_cfg, "336123")->name, "partner-fr");
	CU_ASSERT_STRING_EQUAL(iwf_map_peer_by_gt(g_map_cfg, "1")->name, "others");
	CU_ASSERT_EQUAL(iwf_map_cat_of(&g_map_cfg->cats, 9), IWF_MAP_CAT_1);
	/* the structure holds; only the files it names may be missing here */
	if (iwf_cfg_check(err, sizeof(err)) < 0) {
		if (!strstr(err, ": No such file") && !strstr(err, ": not a"))
			fprintf(stderr, "\n  %s\n", err);
		CU_ASSERT(strstr(err, ": No such file") || strstr(err, ": not a"));
	}
	free(text);
	iwf_cfg_reset(g_iwf_cfg);
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
	iwf_cfg_reset(g_iwf_cfg);
	/* libosmovty's command tables and libosmocore's per-thread root
	 * context are only reachable from globals that point past talloc's
	 * chunk header: free them so that valgrind sees a clean exit, not
	 * megabytes "possibly lost".  Nothing runs after this. */
	talloc_free(tall_vty_vec_ctx);
	talloc_free(tall_vty_cmd_ctx);
	talloc_free(tall_vty_ctx);
	return 0;
}

static const struct cunit_test tests[] = {
	{ "scratch files", make_scratch },
	{ "the example of iwf/peer.h", test_example },
	{ "round trip of the example", test_round_trip_example },
	{ "round trip of every knob", test_round_trip_knobs },
	{ "no forms", test_no_forms },
	{ "bad lines name file:line", test_bad_lines },
	{ "route lookup", test_route_lookup },
	{ "route failover", test_route_failover },
	{ "validators", test_validators },
	{ "iwf_cfg_check", test_cfg_check },
	{ "carriers behind a proxy", test_via_proxy },
	{ "example of contrib/stiwfd.conf", test_contrib_example },
	{ "remove scratch files", remove_scratch },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "iwf peer", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "peer_test",
	.log = CUNIT_LOG_STDERR,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
