/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The MAP border's whole receive path (src/stiwfd/map_relay.c) through the
 * transport seam of the SCCP user (sccp_user_alloc() with a send function
 * that captures what leaves): a configuration read by the real VTY, the
 * test PKI's TSCA domain, the domain map, and TCAP/MAP messages built from
 * TS 29.002.  It checks what a user of the border sees: which messages go
 * where, signed by us or stripped of the token, the attacks of the SigPloit
 * set blocked or forwarded by each policy, the UDTS and TC-ABORT answers,
 * the dialogue table's inheritance and timer on a fake clock, the hop
 * counter, the SLS of a dialogue, the map-log lines and the counters.
 *
 * With MAP_RELAY_VECTORS=FILE it also writes the TC-ABORTs and UDTS it saw
 * leave, as "NAME HEX" lines of SCCP, for tests/src/stiwfd/map_relay_tshark.sh. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <jansson.h>
#include <openssl/evp.h>

#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/msgb.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/tdef.h>
#include <osmocom/core/timer.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vector.h>
#include <osmocom/vty/vty.h>

#include "certs/keyid.h"
#include "certs/map.h"
#include "certs/truststore.h"
#include "certs/tsca.h"
#include "iwf/map_dialogue.h"
#include "iwf/map_peer.h"
#include "src/stiwfd/cfg.h"
#include "src/core/logging.h"
#include "src/stiwfd/map_relay.h"
#include "src/core/workq.h"
#include "ss7/gsm_map.h"
#include "ss7/sccp.h"
#include "ss7/sccp_route.h"
#include "ss7/sccp_user.h"
#include "ss7/sigtoken.h"
#include "ss7/tcap.h"
#include "ss7/tcap_sig.h"
#include "tests/certs/testpki.h"
#include "tests/cunit_main.h"

static void *ctx;
static char conf_path[256], local_dir[512];
static FILE *vectors;

/* The networks of the test: our own (4930..., HLR PC 0.0.10), a roaming
 * partner that signs (33..., behind PC 0.0.20), an attacker's (44...,
 * behind 0.0.30), and whatever else (the default route, 0.0.40).  The STP
 * that hands us everything is PC 0.0.200. */
#define OUR_HLR		"4930000001"
#define OUR_VLR		"4930000002"
#define PARTNER_VLR	"3360000001"
#define PARTNER_HLR	"3360000009"
#define ATTACKER	"44700000001"
#define ELSEWHERE	"7900000001"
#define OUR_IMSI	"262019876543210"
#define PARTNER_IMSI	"208011234567890"
#define STP_PC		200

#define CONF \
	"cs7 instance 0\n" \
	" point-code format 8 8 8\n" \
	" point-code 0.0.100\n" \
	"sccp\n" \
	" cs7-instance 0\n" \
	" local-gt 4930000000\n" \
	" route gt 4930 pc 0.0.10 strip-signature\n" \
	" route gt 33 pc 0.0.20\n" \
	" route gt 44 pc 0.0.30\n" \
	" route default pc 0.0.40\n" \
	"map-peer home\n" \
	" calling-gt 4930\n" \
	" sign\n" \
	"map-peer partner\n" \
	" calling-gt 33\n" \
	" policy screen\n" \
	" block-action tc-abort\n" \
	"map-peer attacker\n" \
	" calling-gt 44\n" \
	" policy screen\n" \
	" block-action udts\n" \
	"map-peer others\n" \
	" calling-gt default\n" \
	" policy reject\n" \
	" block-action tc-abort\n"

/* ------------------------------------------------------------------------
 * The environment
 * ------------------------------------------------------------------------ */

static struct {
	struct truststore *ts;
	struct tsca_dir *td;
	struct certmap *map;
	struct sigtoken_replay *replay;
	struct sigtoken_key *op1, *op2, *rogue, *stranger;
	struct sigtoken_key *op1_pub, *op2_pub;
	struct map_relay *relay;
	struct sccp_user *u;
	struct stiwf_workq *wq;
} env;

/* what left through the seam */
#define SENT_MAX	16
static struct sent {
	uint32_t dpc;
	uint8_t sls;
	uint8_t buf[4096];
	size_t len;
	struct sccp_msg m;
} sent[SENT_MAX];
static unsigned int n_sent;

static int capture(struct sccp_user *u, uint32_t dpc, uint8_t sls, const uint8_t *data, size_t len, void *priv)
{
	struct sent *s;
	char err[128];

	CU_ASSERT_FATAL(n_sent < SENT_MAX && len <= sizeof(s->buf));
	s = &sent[n_sent++];
	s->dpc = dpc;
	s->sls = sls;
	memcpy(s->buf, data, len);
	s->len = len;
	CU_ASSERT_EQUAL(sccp_msg_decode(&s->m, s->buf, len, err, sizeof(err)), (int)len);
	return 0;
}

/* the map-log lines, parsed */
#define LOGS_MAX	32
static json_t *logs[LOGS_MAX];
static unsigned int n_logs;

static void log_output(struct log_target *t, unsigned int level, const char *line)
{
	const char *p = strstr(line, "map-log {");
	json_error_t e;

	if (!p || n_logs >= LOGS_MAX)
		return;
	logs[n_logs] = json_loads(p + strlen("map-log "), JSON_DISABLE_EOF_CHECK, &e);
	CU_ASSERT_PTR_NOT_NULL(logs[n_logs]);
	n_logs++;
}

static void reset_seen(void)
{
	unsigned int i;

	n_sent = 0;
	for (i = 0; i < n_logs; i++)
		json_decref(logs[i]);
	n_logs = 0;
}

static const char *log_str(unsigned int i, const char *key)
{
	json_t *v;

	CU_ASSERT_FATAL(i < n_logs);
	v = json_object_get(logs[i], key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *back_str(unsigned int i, const char *key)
{
	json_t *b;

	CU_ASSERT_FATAL(i < n_logs);
	b = json_object_get(logs[i], "back");
	if (!json_is_object(b))
		return NULL;
	b = json_object_get(b, key);
	return json_is_string(b) ? json_string_value(b) : NULL;
}

static bool str_is(const char *got, const char *want)
{
	if (!got || strcmp(got, want)) {
		fprintf(stderr, "\n  got \"%s\", want \"%s\"\n", got ? got : "(null)", want);
		return false;
	}
	return true;
}

static void write_vector(const char *name, const struct sent *s)
{
	if (vectors)
		fprintf(vectors, "%s %s\n", name, osmo_hexdump_nospc(s->buf, s->len));
}

static void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
}

static struct sigtoken_key *key_alloc(void *c, X509 *leaf)
{
	return sigtoken_key_alloc_x509(c, leaf);
}

static struct sigtoken_key *private_key(const char *rel)
{
	EVP_PKEY *pk = testpki_key(rel);
	struct sigtoken_key *k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pk);
	k = sigtoken_key_alloc(ctx, pk);
	EVP_PKEY_free(pk);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	return k;
}

static struct sigtoken_key *public_key(const char *rel)
{
	X509 *x = testpki_cert(rel);
	struct sigtoken_key *k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	k = sigtoken_key_alloc_x509(ctx, x);
	X509_free(x);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	return k;
}

static void spki_of(const char *rel, char hex[2 * KEYID_SPKI_LEN + 1])
{
	uint8_t spki[KEYID_SPKI_LEN];
	X509 *x = testpki_cert(rel);
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL_FATAL(keyid_spki_sha256(spki, x), 0);
	X509_free(x);
	for (i = 0; i < KEYID_SPKI_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", spki[i]);
}

/* The relay over the capturing seam, with or without a worker pool */
static void relay_start(struct stiwf_workq *wq)
{
	struct sccp_user_cfg ucfg = {
		.cs7_instance = 0, .max_sif = 272,
		.reasm = { .max_octets = 3952, .max_segments = 16, .max_parallel = 16 },
	};
	struct map_relay_cfg rcfg = {
		.cfg = g_map_cfg, .tsca = env.td, .replay = env.replay, .map = env.map,
		.sign_key = env.op1, .workq = wq, .window = 60, .skew = 0,
	};

	env.relay = map_relay_alloc(ctx, &rcfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(env.relay);
	env.u = sccp_user_alloc(ctx, &ucfg, capture, NULL, map_relay_rx, map_relay_notice, env.relay);
	CU_ASSERT_PTR_NOT_NULL_FATAL(env.u);
	map_relay_set_sccp(env.relay, env.u);
}

static void relay_stop(void)
{
	sccp_user_free(env.u);
	map_relay_free(env.relay);
	env.u = NULL;
	env.relay = NULL;
}

/* The environment, as the first test: its asserts need a running test */
static void test_setup(void)
{
	char err[512], map_text[1024], s1[65], s2[65], s3[65];
	struct tsca_cfg tcfg;
	FILE *f;
	const char *p = testpki_dir();

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	/* the configuration, through the VTY */
	f = fopen(conf_path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(CONF, f);
	fclose(f);
	if (stiwf_config_read(conf_path, err, sizeof(err)) < 0)
		fprintf(stderr, "\n  %s\n", err);
	CU_ASSERT_FATAL(g_map_cfg->n_peers == 4);
	/* the TSCA domain: the partner's, ours and the rogue operator's chains */
	snprintf(local_dir, sizeof(local_dir), "%s/map-relay-local", p);
	sh("set -e; rm -rf '%s'; mkdir '%s'; cd '%s'; cp '%s/tsca/op1-full-chain.pem' op1.pem;"
	   "cp '%s/tsca/op2-full-chain.pem' op2.pem; cp '%s/tsca/rogue-chain.pem' rogue.pem",
	   local_dir, local_dir, local_dir, p, p, p);
	env.ts = truststore_alloc(ctx, "tsca", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(env.ts);
	CU_ASSERT_EQUAL_FATAL(truststore_load_dir(env.ts, testpki_path("tsca/trust")), 1);
	CU_ASSERT_FATAL(truststore_load_crl_dir(env.ts, testpki_path("tsca/crl")) > 0);
	tsca_cfg_init(&tcfg);
	tcfg.cert_dir = local_dir;
	tcfg.key_alloc = key_alloc;
	env.td = tsca_dir_alloc(ctx, &tcfg, env.ts, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(env.td);
	/* the domain map: who may originate as which GT, whose subscribers */
	spki_of("tsca/op1-full.pem", s1);
	spki_of("tsca/op2-full.pem", s2);
	spki_of("tsca/rogue.pem", s3);
	snprintf(map_text, sizeof(map_text),
		 "operator home\n spki-sha256 %s\n gt-prefix 4930\n imsi-prefix 26201\n"
		 "operator partner\n spki-sha256 %s\n gt-prefix 33\n imsi-prefix 20801\n"
		 "operator rogue\n spki-sha256 %s\n gt-prefix 44\n",
		 s1, s2, s3);
	env.map = certmap_alloc(ctx);
	CU_ASSERT_PTR_NOT_NULL_FATAL(env.map);
	CU_ASSERT_EQUAL_FATAL(certmap_load_buf(env.map, map_text, strlen(map_text)), 0);
	env.replay = sigtoken_replay_alloc(ctx, 60, 0, 1024);
	env.op1 = private_key("tsca/op1-full.key");
	env.op2 = private_key("tsca/op2-full.key");
	env.rogue = private_key("tsca/rogue.key");
	/* a P-256 key no TSCA certificate holds */
	env.stranger = private_key("tsca/op1-prov.key");
	env.op1_pub = public_key("tsca/op1-full.pem");
	env.op2_pub = public_key("tsca/op2-full.pem");
	relay_start(NULL);
}

static int suite_cleanup(void)
{
	if (env.relay)
		relay_stop();
	reset_seen();
	talloc_free(env.td);
	talloc_free(env.ts);
	talloc_free(env.map);
	talloc_free(env.replay);
	talloc_free(env.op1);
	talloc_free(env.op2);
	talloc_free(env.rogue);
	talloc_free(env.stranger);
	talloc_free(env.op1_pub);
	talloc_free(env.op2_pub);
	return 0;
}

/* ------------------------------------------------------------------------
 * Messages
 * ------------------------------------------------------------------------ */

/* TBCD digits (29.002 §17.7.8), the first in the low nibble */
static size_t tbcd(uint8_t *out, const char *digits)
{
	size_t n = strlen(digits), i;

	for (i = 0; i < n; i++) {
		uint8_t d = digits[i] - '0';

		if (i & 1)
			out[i / 2] = (out[i / 2] & 0x0f) | d << 4;
		else
			out[i / 2] = d | 0xf0;
	}
	return (n + 1) / 2;
}

/* an AddressString: international E.164, then TBCD */
static size_t addr(uint8_t *out, const char *digits)
{
	out[0] = 0x91;
	return 1 + tbcd(out + 1, digits);
}

/* MAP arguments (TS 29.002 §17.7) */
static size_t arg_ul(uint8_t *out, const char *imsi, const char *vlr)
{
	uint8_t *p = out + 2;

	*p++ = 0x04;			/* imsi IMSI */
	*p = tbcd(p + 1, imsi);
	p += 1 + *p;
	*p++ = 0x81;			/* msc-Number [1] */
	*p = addr(p + 1, vlr);
	p += 1 + *p;
	*p++ = 0x04;			/* vlr-Number */
	*p = addr(p + 1, vlr);
	p += 1 + *p;
	out[0] = 0x30;
	out[1] = p - out - 2;
	return p - out;
}

/* imsi [0] as the first element: ISD, PSI (with requestedInfo [2]), CancelLocation v3 */
static size_t arg_imsi0(uint8_t *out, const char *imsi, bool psi)
{
	uint8_t *p = out + 2;

	*p++ = 0x80;
	*p = tbcd(p + 1, imsi);
	p += 1 + *p;
	if (psi) {
		/* requestedInfo [2] { locationInformation [0] NULL } */
		memcpy(p, "\xa2\x02\x80\x00", 4);
		p += 4;
	}
	out[0] = 0x30;
	out[1] = p - out - 2;
	return p - out;
}

/* CancelLocationArg v3 ::= [3] SEQUENCE { identity imsi, ... } */
static size_t arg_cl(uint8_t *out, const char *imsi)
{
	uint8_t *p = out + 2;

	*p++ = 0x04;
	*p = tbcd(p + 1, imsi);
	p += 1 + *p;
	out[0] = 0xa3;
	out[1] = p - out - 2;
	return p - out;
}

/* AnyTimeInterrogationArg { subscriberIdentity [0] { msisdn [1] }, requestedInfo [1], gsmSCF-Address [3] } */
static size_t arg_ati(uint8_t *out, const char *msisdn, const char *scf)
{
	uint8_t *p = out + 2, *id = p;

	*p++ = 0xa0;
	p++;
	*p++ = 0x81;
	*p = addr(p + 1, msisdn);
	p += 1 + *p;
	id[1] = p - id - 2;
	memcpy(p, "\xa1\x02\x80\x00", 4);
	p += 4;
	*p++ = 0x83;
	*p = addr(p + 1, scf);
	p += 1 + *p;
	out[0] = 0x30;
	out[1] = p - out - 2;
	return p - out;
}

/* RoutingInfoForSM-Arg { msisdn [0], sm-RP-PRI [1] TRUE, serviceCentreAddress [2] } */
static size_t arg_srism(uint8_t *out, const char *msisdn, const char *sc)
{
	uint8_t *p = out + 2;

	*p++ = 0x80;
	*p = addr(p + 1, msisdn);
	p += 1 + *p;
	memcpy(p, "\x81\x01\xff", 3);
	p += 3;
	*p++ = 0x82;
	*p = addr(p + 1, sc);
	p += 1 + *p;
	out[0] = 0x30;
	out[1] = p - out - 2;
	return p - out;
}

static const uint8_t pv1[] = { 0x07, 0x80 };
static uint8_t acn_buf[7];

static const uint8_t TID_A[4] = { 0x0a, 0x0b, 0x0c, 0x01 };
static const uint8_t TID_B[4] = { 0x0b, 0x0b, 0x0c, 0x02 };

/* A TCAP message: type, its TIDs, a dialogue PDU when ac is given (AARQ
 * in a Begin, AARE accepted in a Continue or End), and one Invoke of op
 * (or none when op < 0; a ReturnResultLast of -op - 2 with the argument) */
static size_t tcap(uint8_t *out, size_t size, enum tcap_msg_type type, const uint8_t *otid,
		   const uint8_t *dtid, enum gsm_map_ac ac, uint8_t version, int op, const uint8_t *arg,
		   size_t arg_len)
{
	struct tcap_msg m;
	int n;

	memset(&m, 0, sizeof(m));
	m.type = type;
	if (otid) {
		m.has_otid = true;
		m.otid_len = 4;
		memcpy(m.otid, otid, 4);
	}
	if (dtid) {
		m.has_dtid = true;
		m.dtid_len = 4;
		memcpy(m.dtid, dtid, 4);
	}
	if (ac != GSM_MAP_AC_UNKNOWN) {
		gsm_map_ac_encode(acn_buf, sizeof(acn_buf), ac, version);
		m.acn = (struct ber_slice){ acn_buf, sizeof(acn_buf) };
		m.proto_version = (struct ber_slice){ pv1, sizeof(pv1) };
		if (type == TCAP_MSG_BEGIN) {
			m.dlg_pdu = TCAP_DLG_AARQ;
		} else {
			m.dlg_pdu = TCAP_DLG_AARE;
			m.rsd_source = 1;
		}
	}
	if (op >= 0 || op <= -2) {
		struct tcap_component *c = &m.comp[m.num_components++];

		c->type = op >= 0 ? TCAP_COMP_INVOKE : TCAP_COMP_RESULT_LAST;
		c->has_invoke_id = true;
		c->invoke_id = 1;
		c->has_code = true;
		c->code_local = op >= 0 ? op : -op - 2;
		c->param = (struct ber_slice){ arg, arg_len };
	}
	n = tcap_msg_encode(out, size, &m);
	CU_ASSERT_FATAL(n > 0);
	return (size_t)n;
}

/* Signed by key for orig, now (or iat) */
static size_t sign(uint8_t *out, size_t size, const uint8_t *in, size_t len, struct sigtoken_key *key,
		   const char *orig, uint32_t iat)
{
	int n = tcap_sig_sign(out, size, in, len, key, iat ? iat : (uint32_t)time(NULL), orig,
			      (const uint8_t *)TCAP_STIWF_SIG_OID, TCAP_STIWF_SIG_OID_LEN);

	CU_ASSERT_FATAL(n > 0);
	return (size_t)n;
}

static void set_gt(struct sccp_addr *a, const char *digits, uint8_t ssn)
{
	memset(a, 0, sizeof(*a));
	a->ri = SCCP_RI_GT;
	a->has_ssn = true;
	a->ssn = ssn;
	a->gt.gti = SCCP_GTI_TT_NP_ES_NAI;
	a->gt.np = SCCP_NP_E164;
	a->gt.nai = SCCP_NAI_INTERNATIONAL;
	CU_ASSERT_EQUAL_FATAL(sccp_gt_set_digits(&a->gt, digits), 0);
}

/* What the STP hands us: a UDT (or an XUDT with hop counter hop) */
static bool no_settle;

static void inject_ex(const char *calling, const char *called, const uint8_t *data, size_t len, bool ret,
		      uint8_t hop, uint8_t sls)
{
	struct stiwf_mtp_addr mtp = { .opc = STP_PC, .dpc = 100, .sls = sls };
	struct sccp_msg m;
	uint8_t buf[1024];
	int n;

	memset(&m, 0, sizeof(m));
	m.type = hop ? SCCP_MSGT_XUDT : SCCP_MSGT_UDT;
	m.proto_class = 1;
	m.return_on_error = ret;
	m.hop_counter = hop;
	set_gt(&m.called, called, 6);
	set_gt(&m.calling, calling, 7);
	m.data = data;
	m.data_len = len;
	n = sccp_msg_encode(buf, sizeof(buf), &m);
	CU_ASSERT_FATAL(n > 0);
	sccp_user_rx(env.u, &mtp, buf, (size_t)n);
	/* the TSCA directory answers from a timer: let it (and the pool's
	 * eventfd) run, without waiting */
	if (!no_settle)
		osmo_select_main(1);
}

static void inject(const char *calling, const char *called, const uint8_t *data, size_t len)
{
	inject_ex(calling, called, data, len, false, 0, 3);
}

static uint64_t peer_ctr(const char *name, enum iwf_map_ctr c)
{
	return iwf_map_peer_ctr_get(iwf_map_peer_find(g_map_cfg, name), c);
}

/* ------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------ */

/* Our VLR's UpdateLocation for a partner's subscriber leaves signed by
 * us; the partner's HLR answers with a signed AARE and ISD, which reaches
 * our VLR stripped of the token; the partner's later Continue inherits the
 * valid verdict; the End closes the dialogue: one map-log line. */
static void test_roaming_in(void)
{
	uint8_t arg[64], msg[512], sig[512], out[512];
	struct tcap_sig_token tok;
	size_t n, a, sn, ol;
	uint64_t signed0 = peer_ctr("home", IWF_MAP_CTR_SIGNED);

	reset_seen();
	/* 1. Begin from our VLR to the partner's HLR */
	a = arg_ul(arg, PARTNER_IMSI, OUR_VLR);
	n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_A, NULL, GSM_MAP_AC_NETWORK_LOC_UP, 3, 2, arg, a);
	inject_ex(OUR_VLR, PARTNER_HLR, msg, n, false, 0, 5);
	CU_ASSERT_EQUAL_FATAL(n_sent, 1);
	CU_ASSERT_EQUAL(sent[0].dpc, 20);
	CU_ASSERT_EQUAL(sent[0].sls, 5);
	CU_ASSERT_STRING_EQUAL(sent[0].m.called.gt.digits, PARTNER_HLR);
	CU_ASSERT_STRING_EQUAL(sent[0].m.calling.gt.digits, OUR_VLR);
	/* signed with our credential: the token names our VLR; the message
	 * without it is exactly what our VLR sent */
	CU_ASSERT_EQUAL_FATAL(tcap_sig_extract(&tok, out, sizeof(out), &ol, sent[0].m.data, sent[0].m.data_len,
					       (const uint8_t *)TCAP_STIWF_SIG_OID, TCAP_STIWF_SIG_OID_LEN), 0);
	CU_ASSERT(tok.has_orig && !strcmp(tok.orig_gt, OUR_VLR));
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok, out, ol, env.op1_pub), 0);
	CU_ASSERT(ol == n && !memcmp(out, msg, n));
	CU_ASSERT_EQUAL(peer_ctr("home", IWF_MAP_CTR_SIGNED), signed0 + 1);
	CU_ASSERT_EQUAL(iwf_map_dlg_count(g_map_cfg->dialogues), 1);

	/* 2. the partner's HLR answers: AARE signed by the partner, ISD */
	a = arg_imsi0(arg, PARTNER_IMSI, false);
	n = tcap(msg, sizeof(msg), TCAP_MSG_CONTINUE, TID_B, TID_A, GSM_MAP_AC_NETWORK_LOC_UP, 3, 7, arg, a);
	sn = sign(sig, sizeof(sig), msg, n, env.op2, PARTNER_HLR, 0);
	inject_ex(PARTNER_HLR, OUR_VLR, sig, sn, false, 0, 9);
	CU_ASSERT_EQUAL_FATAL(n_sent, 2);
	/* to our VLR, whose route strips the token: the partner's message as
	 * it signed it; on the SLS of the dialogue */
	CU_ASSERT_EQUAL(sent[1].dpc, 10);
	CU_ASSERT_EQUAL(sent[1].sls, 5);
	CU_ASSERT(sent[1].m.data_len == n && !memcmp(sent[1].m.data, msg, n));

	/* 3. our VLR's result, then the partner's next Continue (no dialogue
	 * portion: it inherits the valid verdict) */
	n = tcap(msg, sizeof(msg), TCAP_MSG_CONTINUE, TID_A, TID_B, GSM_MAP_AC_UNKNOWN, 0, -9, NULL, 0);
	inject(OUR_VLR, PARTNER_HLR, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 3);
	CU_ASSERT_EQUAL(sent[2].dpc, 20);
	/* not the first of its direction: nothing to sign */
	CU_ASSERT(sent[2].m.data_len == n && !memcmp(sent[2].m.data, msg, n));
	a = arg_imsi0(arg, PARTNER_IMSI, false);
	n = tcap(msg, sizeof(msg), TCAP_MSG_CONTINUE, TID_B, TID_A, GSM_MAP_AC_UNKNOWN, 0, 7, arg, a);
	inject(PARTNER_HLR, OUR_VLR, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 4);
	CU_ASSERT_EQUAL(sent[3].dpc, 10);
	CU_ASSERT_EQUAL(n_logs, 0);

	/* 4. the End closes it */
	n = tcap(msg, sizeof(msg), TCAP_MSG_END, NULL, TID_A, GSM_MAP_AC_UNKNOWN, 0, -4, NULL, 0);
	inject(PARTNER_HLR, OUR_VLR, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 5);
	CU_ASSERT_EQUAL(iwf_map_dlg_count(g_map_cfg->dialogues), 0);
	CU_ASSERT_EQUAL_FATAL(n_logs, 1);
	CU_ASSERT(str_is(log_str(0, "peer"), "home"));
	CU_ASSERT(str_is(log_str(0, "dir"), "out"));
	CU_ASSERT(str_is(log_str(0, "op_name"), "updateLocation"));
	CU_ASSERT(str_is(log_str(0, "cat"), "cat3"));
	CU_ASSERT(str_is(log_str(0, "imsi"), "208011234******"));
	CU_ASSERT(str_is(log_str(0, "verdict"), "home"));
	CU_ASSERT(str_is(log_str(0, "action"), "forwarded"));
	CU_ASSERT(str_is(log_str(0, "end"), "end"));
	CU_ASSERT(str_is(back_str(0, "peer"), "partner"));
	CU_ASSERT(str_is(back_str(0, "verdict"), "valid"));
	CU_ASSERT(str_is(back_str(0, "operator"), "partner"));
	CU_ASSERT(str_is(back_str(0, "orig"), PARTNER_HLR));
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(logs[0], "messages")), 5);
}

/* A partner's subscriber roams into our network... no: the partner's VLR
 * updates the location of our subscriber: a signed Begin goes to our HLR
 * without the token (the route strips it); our HLR's first answer leaves
 * signed; unsigned it would still pass (cat3 passes by default). */
static void test_roaming_out(void)
{
	uint8_t arg[64], msg[512], sig[512], out[512];
	struct tcap_sig_token tok;
	size_t n, a, sn, ol;

	reset_seen();
	a = arg_ul(arg, OUR_IMSI, PARTNER_VLR);
	n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_B, NULL, GSM_MAP_AC_NETWORK_LOC_UP, 3, 2, arg, a);
	sn = sign(sig, sizeof(sig), msg, n, env.op2, PARTNER_VLR, 0);
	inject(PARTNER_VLR, OUR_HLR, sig, sn);
	CU_ASSERT_EQUAL_FATAL(n_sent, 1);
	CU_ASSERT_EQUAL(sent[0].dpc, 10);
	/* the forwarded bytes are the input minus the token */
	CU_ASSERT(sent[0].m.data_len == n && !memcmp(sent[0].m.data, msg, n));
	CU_ASSERT(sent[0].m.data_len < sn);

	/* our HLR's ISD in the first Continue: signed (AARE) on its way out */
	a = arg_imsi0(arg, OUR_IMSI, false);
	n = tcap(msg, sizeof(msg), TCAP_MSG_CONTINUE, TID_A, TID_B, GSM_MAP_AC_NETWORK_LOC_UP, 3, 7, arg, a);
	inject(OUR_HLR, PARTNER_VLR, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 2);
	CU_ASSERT_EQUAL(sent[1].dpc, 20);
	CU_ASSERT_EQUAL_FATAL(tcap_sig_extract(&tok, out, sizeof(out), &ol, sent[1].m.data, sent[1].m.data_len,
					       (const uint8_t *)TCAP_STIWF_SIG_OID, TCAP_STIWF_SIG_OID_LEN), 0);
	CU_ASSERT_EQUAL(tcap_sig_verify(&tok, out, ol, env.op1_pub), 0);
	CU_ASSERT(str_is(tok.orig_gt, OUR_HLR));

	/* the partner's abort ends it */
	n = tcap(msg, sizeof(msg), TCAP_MSG_ABORT, NULL, TID_A, GSM_MAP_AC_UNKNOWN, 0, -1, NULL, 0);
	inject(PARTNER_VLR, OUR_HLR, msg, n);
	CU_ASSERT_EQUAL(n_sent, 3);
	CU_ASSERT_EQUAL(iwf_map_dlg_count(g_map_cfg->dialogues), 0);
	CU_ASSERT_EQUAL_FATAL(n_logs, 1);
	CU_ASSERT(str_is(log_str(0, "verdict"), "valid"));
	CU_ASSERT_PTR_NOT_NULL(log_str(0, "signer"));
	CU_ASSERT(str_is(log_str(0, "operator"), "partner"));
	CU_ASSERT(str_is(log_str(0, "end"), "abort"));
	CU_ASSERT(str_is(back_str(0, "verdict"), "home"));
	CU_ASSERT(json_is_true(json_object_get(json_object_get(logs[0], "back"), "signed")));
}

/* The attacks of the SigPloit set from a network under policy screen
 * (block-action udts): cat1 and cat2 of another network's subscriber are
 * blocked, cat3 and SMS pass by default and are blocked with the screen
 * knobs. */
static void test_attacks_screen(void)
{
	static const struct {
		const char *what;
		int op;
		enum gsm_map_ac ac;
		bool blocked;
		const char *reason;
	} v[] = {
		{ "anyTimeInterrogation (tracking)", 71, GSM_MAP_AC_ANY_TIME_INFO_ENQUIRY, true, "cat1" },
		{ "provideSubscriberInfo of our subscriber", 70, GSM_MAP_AC_SUBSCRIBER_INFO_ENQUIRY, true,
		  "cat2-not-home" },
		{ "cancelLocation of our subscriber", 3, GSM_MAP_AC_LOCATION_CANCELLATION, true, "cat2-not-home" },
		{ "updateLocation with a spoofed VLR", 2, GSM_MAP_AC_NETWORK_LOC_UP, false, "pass" },
		{ "sendRoutingInfoForSM", 45, GSM_MAP_AC_SHORT_MSG_GATEWAY, false, "pass" },
		{ "purgeMS", 67, GSM_MAP_AC_MS_PURGING, false, "pass" },
	};
	struct iwf_map_peer *att = iwf_map_peer_find(g_map_cfg, "attacker");
	uint8_t arg[64], msg[512];
	unsigned int i, pass;
	size_t n, a;

	for (pass = 0; pass < 2; pass++) {
		/* the second time with the screen knobs on */
		att->screen.cat3_block = pass == 1;
		att->screen.sms_block = pass == 1;
		for (i = 0; i < ARRAY_SIZE(v); i++) {
			bool want_block = v[i].blocked || pass == 1;

			reset_seen();
			switch (v[i].op) {
			case 71:
				a = arg_ati(arg, "4917012345", ATTACKER);
				break;
			case 45:
				a = arg_srism(arg, "4917012345", ATTACKER);
				break;
			case 70:
				a = arg_imsi0(arg, OUR_IMSI, true);
				break;
			case 3:
				a = arg_cl(arg, OUR_IMSI);
				break;
			default:
				a = arg_ul(arg, OUR_IMSI, ATTACKER);
				break;
			}
			if (v[i].op == 67) {
				/* PurgeMS-Arg v2 { imsi, vlr-Number } */
				uint8_t *p = arg + 2;

				*p++ = 0x04;
				*p = tbcd(p + 1, OUR_IMSI);
				p += 1 + *p;
				*p++ = 0x04;
				*p = addr(p + 1, ATTACKER);
				p += 1 + *p;
				arg[0] = 0x30;
				arg[1] = p - arg - 2;
				a = p - arg;
			}
			n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_A, NULL, v[i].ac, 3, v[i].op, arg, a);
			/* asking for return: blocked ones come back as UDTS */
			inject_ex(ATTACKER, OUR_HLR, msg, n, true, 0, 3);
			CU_ASSERT_EQUAL_FATAL(n_sent, 1);
			if (want_block) {
				if (sent[0].m.type != SCCP_MSGT_UDTS)
					fprintf(stderr, "\n  %s (pass %u) not blocked\n", v[i].what, pass);
				CU_ASSERT_EQUAL(sent[0].m.type, SCCP_MSGT_UDTS);
				CU_ASSERT_EQUAL(sent[0].m.cause, SCCP_RC_NO_TRANSLATION_ADDRESS);
				CU_ASSERT_EQUAL(sent[0].dpc, STP_PC);
				CU_ASSERT_STRING_EQUAL(sent[0].m.called.gt.digits, ATTACKER);
				CU_ASSERT_EQUAL_FATAL(n_logs, 1);
				CU_ASSERT(str_is(log_str(0, "action"), "blocked"));
				CU_ASSERT(str_is(log_str(0, "block_action"), "udts"));
				CU_ASSERT(str_is(log_str(0, "action_reason"),
						 pass && !v[i].blocked ? (v[i].op == 45 ? "sms" : "cat3") : v[i].reason));
				CU_ASSERT(str_is(log_str(0, "verdict"), "unsigned"));
				if (v[i].op == 71 && pass == 0)
					write_vector("UDTS_ATI_BLOCKED", &sent[0]);
			} else {
				if (sent[0].m.type != SCCP_MSGT_UDT)
					fprintf(stderr, "\n  %s blocked\n", v[i].what);
				CU_ASSERT_EQUAL(sent[0].m.type, SCCP_MSGT_UDT);
				CU_ASSERT_EQUAL(sent[0].dpc, 10);
				CU_ASSERT(sent[0].m.data_len == n && !memcmp(sent[0].m.data, msg, n));
				/* its dialogue is open: close it */
				n = tcap(msg, sizeof(msg), TCAP_MSG_ABORT, NULL, TID_A, GSM_MAP_AC_UNKNOWN, 0, -1,
					 NULL, 0);
				inject(OUR_HLR, ATTACKER, msg, n);
			}
			/* a blocked message without return asked: nothing goes back */
			if (want_block) {
				reset_seen();
				n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_A, NULL, v[i].ac, 3, v[i].op, arg, a);
				inject_ex(ATTACKER, OUR_HLR, msg, n, false, 0, 3);
				CU_ASSERT_EQUAL(n_sent, 0);
				CU_ASSERT_EQUAL_FATAL(n_logs, 1);
				CU_ASSERT(str_is(log_str(0, "block_action"), "drop"));
			}
		}
	}
	att->screen.cat3_block = false;
	att->screen.sms_block = false;
	CU_ASSERT_EQUAL(iwf_map_dlg_count(g_map_cfg->dialogues), 0);

	/* a CAMEL dialogue (CAP v2 gsmSSF to gsmSCF, 0.4.0.0.1.0.50.1, the
	 * ac-Id arc MAP shares): its operation 22 is no sendRoutingInfo */
	reset_seen();
	n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_A, NULL, (enum gsm_map_ac)50, 1, 22, (const uint8_t *)"\x30\x00",
		 2);
	inject(ATTACKER, OUR_HLR, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 1);
	CU_ASSERT_EQUAL(sent[0].m.type, SCCP_MSGT_UDT);
	CU_ASSERT_EQUAL(sent[0].dpc, 10);
	/* and neither is it in its later messages */
	n = tcap(msg, sizeof(msg), TCAP_MSG_CONTINUE, TID_B, TID_A, (enum gsm_map_ac)50, 1, -1, NULL, 0);
	inject(OUR_HLR, ATTACKER, msg, n);
	n = tcap(msg, sizeof(msg), TCAP_MSG_CONTINUE, TID_A, TID_B, GSM_MAP_AC_UNKNOWN, 0, 22, (const uint8_t *)"\x30\x00",
		 2);
	inject(ATTACKER, OUR_HLR, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 3);
	CU_ASSERT_EQUAL(sent[2].m.type, SCCP_MSGT_UDT);
	CU_ASSERT_EQUAL(sent[2].dpc, 10);
	n = tcap(msg, sizeof(msg), TCAP_MSG_END, NULL, TID_A, GSM_MAP_AC_UNKNOWN, 0, -1, NULL, 0);
	inject(OUR_HLR, ATTACKER, msg, n);
	CU_ASSERT_EQUAL(iwf_map_dlg_count(g_map_cfg->dialogues), 0);
	CU_ASSERT_EQUAL_FATAL(n_logs, 1);
	CU_ASSERT(str_is(log_str(0, "cat"), "none"));
	CU_ASSERT(str_is(log_str(0, "action"), "forwarded"));
}

/* A roaming partner under screen, block-action tc-abort: its unsigned ATI
 * is refused with a TC-ABORT (dialogue refused) routed back by its calling
 * GT; its own subscribers' cat2 passes, ours does not unless signed... and
 * signed, cat2 follows the signer's network, not the SCCP calling GT. */
static void test_partner_screen(void)
{
	uint8_t arg[64], msg[512], sig[512];
	struct tcap_msg ab;
	size_t n, a, sn;

	reset_seen();
	a = arg_ati(arg, "4917012345", PARTNER_VLR);
	n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_B, NULL, GSM_MAP_AC_ANY_TIME_INFO_ENQUIRY, 3, 71, arg, a);
	inject(PARTNER_VLR, OUR_HLR, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 1);
	CU_ASSERT_EQUAL(sent[0].dpc, 20);	/* the route of 33... */
	CU_ASSERT_EQUAL(sent[0].m.type, SCCP_MSGT_UDT);
	CU_ASSERT_STRING_EQUAL(sent[0].m.called.gt.digits, PARTNER_VLR);
	CU_ASSERT_STRING_EQUAL(sent[0].m.calling.gt.digits, OUR_HLR);
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&ab, sent[0].m.data, sent[0].m.data_len), (int)sent[0].m.data_len);
	CU_ASSERT_EQUAL(ab.type, TCAP_MSG_ABORT);
	CU_ASSERT(ab.has_dtid && !memcmp(ab.dtid, TID_B, 4));
	CU_ASSERT_EQUAL(ab.dlg_pdu, TCAP_DLG_AARE);
	CU_ASSERT_EQUAL(ab.result, 1);
	CU_ASSERT_EQUAL_FATAL(n_logs, 1);
	CU_ASSERT(str_is(log_str(0, "block_action"), "dialogue-refused"));
	write_vector("TC_ABORT_DIALOGUE_REFUSED", &sent[0]);

	/* its own subscriber: cat2 from the subscriber's home network */
	reset_seen();
	a = arg_imsi0(arg, PARTNER_IMSI, true);
	n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_B, NULL, GSM_MAP_AC_SUBSCRIBER_INFO_ENQUIRY, 3, 70, arg, a);
	inject(PARTNER_HLR, OUR_VLR, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 1);
	CU_ASSERT_EQUAL(sent[0].m.type, SCCP_MSGT_UDT);
	CU_ASSERT_EQUAL(sent[0].dpc, 10);
	n = tcap(msg, sizeof(msg), TCAP_MSG_ABORT, NULL, TID_B, GSM_MAP_AC_UNKNOWN, 0, -1, NULL, 0);
	inject(OUR_VLR, PARTNER_HLR, msg, n);

	/* ours: refused */
	reset_seen();
	a = arg_imsi0(arg, OUR_IMSI, true);
	n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_B, NULL, GSM_MAP_AC_SUBSCRIBER_INFO_ENQUIRY, 3, 70, arg, a);
	inject(PARTNER_HLR, OUR_VLR, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 1);
	CU_ASSERT_EQUAL(sent[0].dpc, 20);
	CU_ASSERT_EQUAL_FATAL(n_logs, 1);
	CU_ASSERT(str_is(log_str(0, "action_reason"), "cat2-not-home"));

	/* signed by the partner, but sent from an SCCP GT of another network:
	 * valid, and the home check follows the signer (the partner) */
	reset_seen();
	a = arg_imsi0(arg, PARTNER_IMSI, true);
	n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_B, NULL, GSM_MAP_AC_SUBSCRIBER_INFO_ENQUIRY, 3, 70, arg, a);
	sn = sign(sig, sizeof(sig), msg, n, env.op2, PARTNER_HLR, 0);
	inject(ELSEWHERE, OUR_VLR, sig, sn);
	CU_ASSERT_EQUAL_FATAL(n_sent, 1);
	CU_ASSERT_EQUAL(sent[0].dpc, 10);
	CU_ASSERT(sent[0].m.data_len == n && !memcmp(sent[0].m.data, msg, n));
	n = tcap(msg, sizeof(msg), TCAP_MSG_ABORT, NULL, TID_B, GSM_MAP_AC_UNKNOWN, 0, -1, NULL, 0);
	inject(OUR_VLR, ELSEWHERE, msg, n);
	CU_ASSERT_EQUAL(iwf_map_dlg_count(g_map_cfg->dialogues), 0);

	/* an Invoke the category screening blocks, inside a dialogue it
	 * opened with one that passed: the dialogue ends with a U-Abort */
	reset_seen();
	a = arg_srism(arg, "4917012345", PARTNER_VLR);
	n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_B, NULL, GSM_MAP_AC_SHORT_MSG_GATEWAY, 3, 45, arg, a);
	inject(PARTNER_VLR, OUR_HLR, msg, n);
	n = tcap(msg, sizeof(msg), TCAP_MSG_CONTINUE, TID_A, TID_B, GSM_MAP_AC_SHORT_MSG_GATEWAY, 3, -47, NULL, 0);
	inject(OUR_HLR, PARTNER_VLR, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 2);
	a = arg_ati(arg, "4917012345", PARTNER_VLR);
	n = tcap(msg, sizeof(msg), TCAP_MSG_CONTINUE, TID_B, TID_A, GSM_MAP_AC_UNKNOWN, 0, 71, arg, a);
	inject(PARTNER_VLR, OUR_HLR, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 3);
	CU_ASSERT_EQUAL(sent[2].dpc, 20);
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&ab, sent[2].m.data, sent[2].m.data_len), (int)sent[2].m.data_len);
	CU_ASSERT_EQUAL(ab.dlg_pdu, TCAP_DLG_ABRT);
	CU_ASSERT(!memcmp(ab.dtid, TID_B, 4));
	write_vector("TC_ABORT_USER", &sent[2]);
	CU_ASSERT_EQUAL(iwf_map_dlg_count(g_map_cfg->dialogues), 0);
	CU_ASSERT_EQUAL_FATAL(n_logs, 1);
	CU_ASSERT(str_is(log_str(0, "action"), "blocked"));
	CU_ASSERT(str_is(log_str(0, "action_reason"), "cat1"));
	CU_ASSERT(str_is(log_str(0, "block_action"), "u-abort-user"));
	CU_ASSERT(str_is(log_str(0, "end"), "blocked"));
	CU_ASSERT(str_is(log_str(0, "op_name"), "sendRoutingInfoForSM"));
}

/* The "others" peer under reject (block-action tc-abort): only new
 * dialogues with a valid signature pass; every way of not having one is
 * named in the log. */
static void test_reject(void)
{
	static const struct {
		const char *what;
		int key;		/* 0 none, 1 op2 (partner), 2 rogue, 3 no certificate */
		const char *orig;
		int iat_off;
		bool pass;
		const char *verdict, *reason;
	} v[] = {
		{ "unsigned", 0, NULL, 0, false, "unsigned", NULL },
		{ "valid, ORIG of the signer's network", 1, PARTNER_VLR, 0, true, "valid", NULL },
		{ "ORIG of another network", 1, OUR_VLR, 0, false, "invalid", "orig-not-authorised" },
		{ "no ORIG", 1, NULL, 0, false, "invalid", "orig-not-authorised" },
		{ "a revoked operator", 2, ATTACKER, 0, false, "invalid", "revoked" },
		{ "a key no certificate holds", 3, PARTNER_VLR, 0, false, "invalid", "unknown-signer" },
		{ "signed long ago", 1, PARTNER_VLR, -3600, false, "invalid", "stale" },
		{ "signed in the future", 1, PARTNER_VLR, 3600, false, "invalid", "future" },
	};
	struct sigtoken_key *keys[] = { NULL, env.op2, env.rogue, env.stranger };
	uint8_t arg[64], msg[512], sig[512];
	struct tcap_msg ab;
	unsigned int i;
	size_t n, a;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		reset_seen();
		a = arg_ul(arg, OUR_IMSI, ELSEWHERE);
		n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_A, NULL, GSM_MAP_AC_NETWORK_LOC_UP, 3, 2, arg, a);
		if (v[i].key)
			n = sign(sig, sizeof(sig), msg, n, keys[v[i].key], v[i].orig,
				 (uint32_t)(time(NULL) + v[i].iat_off));
		inject(ELSEWHERE, OUR_HLR, v[i].key ? sig : msg, n);
		CU_ASSERT_EQUAL_FATAL(n_sent, 1);
		if (v[i].pass) {
			CU_ASSERT_EQUAL(sent[0].dpc, 10);
			/* still open: the log line comes with its end */
			CU_ASSERT_EQUAL(n_logs, 0);
			n = tcap(msg, sizeof(msg), TCAP_MSG_ABORT, NULL, TID_A, GSM_MAP_AC_UNKNOWN, 0, -1, NULL, 0);
			inject(OUR_HLR, ELSEWHERE, msg, n);
			CU_ASSERT_EQUAL_FATAL(n_logs, 1);
			CU_ASSERT(str_is(log_str(0, "verdict"), v[i].verdict));
			continue;
		}
		if (sent[0].dpc != 40)
			fprintf(stderr, "\n  %s passed\n", v[i].what);
		/* refused: the Abort goes by the default route to its calling GT */
		CU_ASSERT_EQUAL(sent[0].dpc, 40);
		CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&ab, sent[0].m.data, sent[0].m.data_len),
				      (int)sent[0].m.data_len);
		CU_ASSERT_EQUAL(ab.type, TCAP_MSG_ABORT);
		CU_ASSERT_EQUAL_FATAL(n_logs, 1);
		CU_ASSERT(str_is(log_str(0, "action_reason"), "not-signed"));
		CU_ASSERT(str_is(log_str(0, "verdict"), v[i].verdict));
		if (v[i].reason) {
			CU_ASSERT(str_is(log_str(0, "reason"), v[i].reason));
		} else {
			CU_ASSERT_PTR_NULL(log_str(0, "reason"));
		}
	}

	/* the same valid signature again: a replay */
	reset_seen();
	a = arg_ul(arg, OUR_IMSI, ELSEWHERE);
	n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_A, NULL, GSM_MAP_AC_NETWORK_LOC_UP, 3, 2, arg, a);
	n = sign(sig, sizeof(sig), msg, n, env.op2, PARTNER_VLR, 0);
	inject(ELSEWHERE, OUR_HLR, sig, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 1);
	CU_ASSERT_EQUAL(sent[0].dpc, 10);
	inject(ELSEWHERE, OUR_HLR, sig, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 2);
	CU_ASSERT_EQUAL(sent[1].dpc, 40);
	CU_ASSERT(n_logs >= 1);
	CU_ASSERT(str_is(log_str(n_logs - 1, "reason"), "replay"));
	/* the first one is still open; its Abort closes it */
	n = tcap(msg, sizeof(msg), TCAP_MSG_ABORT, NULL, TID_A, GSM_MAP_AC_UNKNOWN, 0, -1, NULL, 0);
	inject(OUR_HLR, ELSEWHERE, msg, n);

	/* a Continue for a dialogue we do not know: P-Abort, unknown TID */
	reset_seen();
	n = tcap(msg, sizeof(msg), TCAP_MSG_CONTINUE, TID_B, TID_A, GSM_MAP_AC_UNKNOWN, 0, 7, arg,
		 arg_imsi0(arg, OUR_IMSI, false));
	inject(ELSEWHERE, OUR_HLR, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 1);
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&ab, sent[0].m.data, sent[0].m.data_len), (int)sent[0].m.data_len);
	CU_ASSERT(ab.has_pabort && ab.pabort_cause == TCAP_PABORT_UNRECOGNIZED_TID);
	CU_ASSERT(!memcmp(ab.dtid, TID_B, 4));
	write_vector("TC_ABORT_UNKNOWN_TID", &sent[0]);
	CU_ASSERT_EQUAL(iwf_map_dlg_count(g_map_cfg->dialogues), 0);
}

/* Hijacking: a third party's Continue into a dialogue it is not part of
 * is a Continue of an unknown dialogue; and the dialogue timer forgets an
 * idle dialogue, after which its Continue is unknown too. */
static void test_dialogues(void)
{
	uint8_t arg[64], msg[512], sig[512];
	size_t n, a, sn;
	struct tcap_msg ab;

	reset_seen();
	/* a valid dialogue from "others" (reject) */
	a = arg_ul(arg, OUR_IMSI, ELSEWHERE);
	n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_A, NULL, GSM_MAP_AC_NETWORK_LOC_UP, 3, 2, arg, a);
	sn = sign(sig, sizeof(sig), msg, n, env.op2, PARTNER_VLR, 0);
	inject(ELSEWHERE, OUR_HLR, sig, sn);
	CU_ASSERT_EQUAL_FATAL(n_sent, 1);
	/* our HLR answers (signed on the way out) */
	a = arg_imsi0(arg, OUR_IMSI, false);
	n = tcap(msg, sizeof(msg), TCAP_MSG_CONTINUE, TID_B, TID_A, GSM_MAP_AC_NETWORK_LOC_UP, 3, 7, arg, a);
	inject(OUR_HLR, ELSEWHERE, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 2);
	/* the originator's next Continue inherits "valid": it passes reject */
	n = tcap(msg, sizeof(msg), TCAP_MSG_CONTINUE, TID_A, TID_B, GSM_MAP_AC_UNKNOWN, 0, -9, NULL, 0);
	inject(ELSEWHERE, OUR_HLR, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 3);
	CU_ASSERT_EQUAL(sent[2].dpc, 10);
	/* the attacker's Continue into it, with the right DTID, is refused */
	inject(ATTACKER, OUR_HLR, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 3);	/* udts, but no return asked */
	CU_ASSERT_EQUAL(iwf_map_dlg_count(g_map_cfg->dialogues), 1);

	/* idle for the dialogue timer: forgotten, logged */
	reset_seen();
	osmo_tdef_set(iwf_map_tdefs, IWF_MAP_T_DIALOGUE, 30, OSMO_TDEF_S);
	iwf_map_dlg_touch(iwf_map_dlg_next(g_map_cfg->dialogues, NULL));
	for (a = 0; a < 30; a++) {
		osmo_clock_override_add(CLOCK_MONOTONIC, 1, 0);
		osmo_gettimeofday_override_add(1, 0);
		osmo_timers_prepare();
		osmo_timers_update();
	}
	CU_ASSERT_EQUAL(iwf_map_dlg_count(g_map_cfg->dialogues), 0);
	CU_ASSERT_EQUAL_FATAL(n_logs, 1);
	CU_ASSERT(str_is(log_str(0, "end"), "timeout"));
	CU_ASSERT(str_is(back_str(0, "verdict"), "home"));
	osmo_tdefs_reset(iwf_map_tdefs);
	/* now its Continue is one of an unknown dialogue: refused */
	inject(ELSEWHERE, OUR_HLR, msg, n);
	CU_ASSERT_EQUAL_FATAL(n_sent, 1);
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&ab, sent[0].m.data, sent[0].m.data_len), (int)sent[0].m.data_len);
	CU_ASSERT(ab.has_pabort);
}

/* SCCP: the hop counter of an XUDT goes down, and at its end the message
 * comes back as an XUDTS "hop counter violation"; no route: "no
 * translation for this specific address" */
static void test_sccp(void)
{
	uint8_t arg[64], msg[512];
	size_t n, a;

	reset_seen();
	a = arg_srism(arg, "4917012345", PARTNER_VLR);
	n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_B, NULL, GSM_MAP_AC_SHORT_MSG_GATEWAY, 3, 45, arg, a);
	inject_ex(PARTNER_VLR, OUR_HLR, msg, n, true, 7, 3);
	CU_ASSERT_EQUAL_FATAL(n_sent, 1);
	CU_ASSERT_EQUAL(sent[0].m.type, SCCP_MSGT_XUDT);
	CU_ASSERT_EQUAL(sent[0].m.hop_counter, 6);
	/* the called SSN and TT the route gives: none here, kept */
	CU_ASSERT_EQUAL(sent[0].m.called.ssn, 6);
	n = tcap(msg, sizeof(msg), TCAP_MSG_ABORT, NULL, TID_B, GSM_MAP_AC_UNKNOWN, 0, -1, NULL, 0);
	inject(OUR_HLR, PARTNER_VLR, msg, n);

	reset_seen();
	n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_B, NULL, GSM_MAP_AC_SHORT_MSG_GATEWAY, 3, 45, arg, a);
	inject_ex(PARTNER_VLR, OUR_HLR, msg, n, true, 1, 3);
	CU_ASSERT_EQUAL_FATAL(n_sent, 1);
	CU_ASSERT_EQUAL(sent[0].m.type, SCCP_MSGT_XUDTS);
	CU_ASSERT_EQUAL(sent[0].m.cause, SCCP_RC_HOP_COUNTER_VIOLATION);
	CU_ASSERT_EQUAL(sent[0].dpc, STP_PC);
	write_vector("XUDTS_HOP_COUNTER", &sent[0]);
	CU_ASSERT_EQUAL(peer_ctr("partner", IWF_MAP_CTR_DROPPED) > 0, true);

	/* no route: the default route is gone for a moment */
	reset_seen();
	CU_ASSERT_EQUAL(sccp_route_del(g_sccp_cfg, ""), 0);
	a = arg_ul(arg, OUR_IMSI, PARTNER_VLR);
	n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_B, NULL, GSM_MAP_AC_NETWORK_LOC_UP, 3, 2, arg, a);
	inject_ex(PARTNER_VLR, "8800000000", msg, n, true, 0, 3);
	CU_ASSERT_EQUAL_FATAL(n_sent, 1);
	CU_ASSERT_EQUAL(sent[0].m.type, SCCP_MSGT_UDTS);
	CU_ASSERT_EQUAL(sent[0].m.cause, SCCP_RC_NO_TRANSLATION_ADDRESS);
	CU_ASSERT_EQUAL_FATAL(n_logs, 1);
	CU_ASSERT(str_is(log_str(0, "action"), "dropped"));
	CU_ASSERT_EQUAL(sccp_route_set(g_sccp_cfg, "", 40, -1, -1), 0);
	CU_ASSERT_EQUAL(iwf_map_dlg_count(g_map_cfg->dialogues), 0);
}

/* Hostile input: what does not decode is logged and counted; blocked from
 * a screened network, forwarded as it is from our own */
static void test_malformed(void)
{
	static const uint8_t junk[] = { 0x62, 0x05, 0x48, 0x09, 0x01, 0x02, 0x03 };
	uint64_t m0 = peer_ctr("attacker", IWF_MAP_CTR_MALFORMED), h0 = peer_ctr("home", IWF_MAP_CTR_MALFORMED);
	uint8_t msg[512];
	size_t n, i;

	reset_seen();
	inject_ex(ATTACKER, OUR_HLR, junk, sizeof(junk), true, 0, 3);
	CU_ASSERT_EQUAL_FATAL(n_sent, 1);
	CU_ASSERT_EQUAL(sent[0].m.type, SCCP_MSGT_UDTS);
	CU_ASSERT_EQUAL(peer_ctr("attacker", IWF_MAP_CTR_MALFORMED), m0 + 1);
	CU_ASSERT_EQUAL_FATAL(n_logs, 1);
	CU_ASSERT(str_is(log_str(0, "reason"), "malformed"));
	inject(OUR_VLR, PARTNER_HLR, junk, sizeof(junk));
	CU_ASSERT_EQUAL_FATAL(n_sent, 2);
	CU_ASSERT_EQUAL(sent[1].dpc, 20);
	CU_ASSERT_EQUAL(peer_ctr("home", IWF_MAP_CTR_MALFORMED), h0 + 1);

	/* every prefix of a signed Begin, from the partner: no crash, no leak,
	 * nothing relayed that was not a whole message */
	{
		uint8_t arg[64], sig[512];
		size_t a = arg_ul(arg, OUR_IMSI, PARTNER_VLR), sn;

		n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_B, NULL, GSM_MAP_AC_NETWORK_LOC_UP, 3, 2, arg, a);
		sn = sign(sig, sizeof(sig), msg, n, env.op2, PARTNER_VLR, 0);
		for (i = 1; i < sn; i++) {
			reset_seen();
			inject(PARTNER_VLR, OUR_HLR, sig, i);
			/* a screened network's garbage never passes */
			CU_ASSERT_EQUAL(n_sent, 0);
		}
		/* and every bit flipped: relayed at most as it came; valid at
		 * most once, when the bit is one the signature does not cover
		 * (tcap_sig.h: the protocol-version), and then the replay cache
		 * refuses the same signature again */
		unsigned int valid = 0;

		for (i = 0; i < sn * 8; i++) {
			reset_seen();
			sig[i / 8] ^= 1 << (i % 8);
			inject(ATTACKER, OUR_HLR, sig, sn);
			sig[i / 8] ^= 1 << (i % 8);
			if (iwf_map_dlg_count(g_map_cfg->dialogues)) {
				struct iwf_map_dlg *d = iwf_map_dlg_next(g_map_cfg->dialogues, NULL);

				valid += d->verdict[IWF_MAP_DLG_ORIG] == IWF_MAP_V_VALID;
				iwf_map_dlg_close(d, IWF_MAP_DLG_END_ABORT);
			}
			/* as it came, or without the token the route strips */
			if (n_sent)
				CU_ASSERT(sent[0].m.type == SCCP_MSGT_UDT && sent[0].m.data_len <= sn);
		}
		CU_ASSERT(valid <= 1);
	}
	reset_seen();
}

/* With a worker pool: the signature is checked on a worker, and the
 * responder's later message that came while its first one was verified
 * waits for it and goes after it, in order */
static void test_worker_pool(void)
{
	uint8_t arg[64], msg[512], sig[512], msg2[512];
	size_t n, a, sn, n2;

	relay_stop();
	env.wq = stiwf_workq_create(ctx, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(env.wq);
	relay_start(env.wq);
	reset_seen();

	/* our VLR's Begin: signed on the worker */
	a = arg_ul(arg, PARTNER_IMSI, OUR_VLR);
	n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_A, NULL, GSM_MAP_AC_NETWORK_LOC_UP, 3, 2, arg, a);
	inject(OUR_VLR, PARTNER_HLR, msg, n);
	while (n_sent < 1)
		osmo_select_main(0);
	CU_ASSERT_EQUAL(map_relay_pending(env.relay), 0);

	/* the partner's signed AARE, and at once its next Continue: the
	 * second waits for the verification of the first */
	a = arg_imsi0(arg, PARTNER_IMSI, false);
	n = tcap(msg, sizeof(msg), TCAP_MSG_CONTINUE, TID_B, TID_A, GSM_MAP_AC_NETWORK_LOC_UP, 3, 7, arg, a);
	sn = sign(sig, sizeof(sig), msg, n, env.op2, PARTNER_HLR, 0);
	n2 = tcap(msg2, sizeof(msg2), TCAP_MSG_END, NULL, TID_A, GSM_MAP_AC_UNKNOWN, 0, -4, NULL, 0);
	/* nothing runs the loop between the two: the worker's answer cannot
	 * come back before the End is in */
	no_settle = true;
	inject(PARTNER_HLR, OUR_VLR, sig, sn);
	inject(PARTNER_HLR, OUR_VLR, msg2, n2);
	no_settle = false;
	CU_ASSERT_EQUAL(n_sent, 1);
	CU_ASSERT_EQUAL(map_relay_pending(env.relay), 1);
	while (n_sent < 3)
		osmo_select_main(0);
	CU_ASSERT(sent[1].m.data_len == n && !memcmp(sent[1].m.data, msg, n));
	CU_ASSERT(sent[2].m.data_len == n2 && !memcmp(sent[2].m.data, msg2, n2));
	CU_ASSERT_EQUAL(iwf_map_dlg_count(g_map_cfg->dialogues), 0);
	CU_ASSERT_EQUAL_FATAL(n_logs, 1);
	CU_ASSERT(str_is(back_str(0, "verdict"), "valid"));
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(logs[0], "messages")), 3);

	/* stopping with a verification in flight cancels it cleanly */
	a = arg_ul(arg, OUR_IMSI, PARTNER_VLR);
	n = tcap(msg, sizeof(msg), TCAP_MSG_BEGIN, TID_B, NULL, GSM_MAP_AC_NETWORK_LOC_UP, 3, 2, arg, a);
	sn = sign(sig, sizeof(sig), msg, n, env.op2, PARTNER_VLR, 0);
	inject(PARTNER_VLR, OUR_HLR, sig, sn);
	relay_stop();
	stiwf_workq_destroy(env.wq);
	env.wq = NULL;
	relay_start(NULL);
	reset_seen();
}

/* the target that collects DMAP's lines */
static struct log_target *t;

static int setup(void *root)
{
	const char *vec = getenv("MAP_RELAY_VECTORS");

	ctx = root;
	msgb_talloc_ctx_init(ctx, 0);
	/* the hostile-input loops log a lot */
	if (!getenv("MAP_RELAY_TEST_LOG"))
		log_set_log_level(osmo_stderr_target, LOGL_FATAL);
	t = log_target_create();
	t->output = log_output;
	log_set_all_filter(t, 1);
	log_set_category_filter(t, DMAP, 1, LOGL_NOTICE);
	log_add_target(t);
	if (stiwf_vty_init(ctx) < 0)
		return -1;
	osmo_clock_override_enable(CLOCK_MONOTONIC, true);
	osmo_gettimeofday_override = true;
	if (vec) {
		vectors = fopen(vec, "w");
		if (!vectors)
			return -1;
	}
	snprintf(conf_path, sizeof(conf_path), "map_relay_test.%d.conf", (int)getpid());
	return 0;
}

static unsigned int teardown(void)
{
	if (vectors)
		fclose(vectors);
	unlink(conf_path);
	testpki_cleanup();
	iwf_map_cfg_reset(g_map_cfg);
	sccp_cfg_reset(g_sccp_cfg);
	log_target_destroy(t);
	talloc_free(tall_vty_vec_ctx);
	talloc_free(tall_vty_cmd_ctx);
	talloc_free(tall_vty_ctx);
	return 0;
}

static const struct cunit_test tests[] = {
	{ "the environment: configuration, TSCA domain, map", test_setup },
	{ "our VLR's dialogue with a partner's HLR", test_roaming_in },
	{ "a partner's VLR with our HLR", test_roaming_out },
	{ "the attacks under policy screen", test_attacks_screen },
	{ "a partner under screen, tc-abort", test_partner_screen },
	{ "policy reject: every invalid verdict", test_reject },
	{ "dialogues: hijack, timer", test_dialogues },
	{ "SCCP: hop counter, no route", test_sccp },
	{ "the worker pool", test_worker_pool },
	/* last: a flipped iat can fall before the test PKI's fresh CRLs, and
	 * the TSCA directory remembers that failure for its time bucket */
	{ "malformed, truncated, bit-flipped", test_malformed },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "map relay", NULL, suite_cleanup, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "map_relay_test",
	.log = CUNIT_LOG_STDERR,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
