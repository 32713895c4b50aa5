/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stiwf tcap: read, sign and verify TCAP messages (MAP dialogues) with the
 * hop signature of ss7/tcap_sig.h (ARCHITECTURE §2.3).
 *   stiwf tcap decode [--sccp] [--oid OID] HEX
 *   stiwf tcap sign --sign-key FILE --sign-cert FILE [--orig GT] [--iat EPOCH]
 *                   [--oid OID] [--sccp] HEX
 *   stiwf tcap verify (--cert FILE | --trust DIR [--cert-dir DIR] [--crl FILE]...
 *                     [--repo URL-TEMPLATE [--repo-ca FILE]]) [--fetch-permit CIDR]...
 *                     [--now EPOCH] [--window S] [--skew S] [--oid OID] [--sccp] HEX
 *
 * HEX is a bare TCAP message (the SCCP user data) or an SCCP UDT or XUDT
 * carrying one (Q.713 §4.10, §4.18, from the message type on); --sccp
 * says which, else the first octet does (TCAP messages start with
 * [APPLICATION n], 0x61..0x67; UDT is 0x09, XUDT 0x11).  sign prints the
 * signed message in the framing it was given. */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/credential.h"
#include "certs/keyid.h"
#include "certs/tsca.h"
#include "src/core/logging.h"
#include "src/stiwf/stiwf_tool.h"
#include "src/stiwf/stiwf_tsca.h"
#include "ss7/ber.h"
#include "ss7/gsm_map.h"
#include "ss7/sccp.h"
#include "ss7/sigtoken.h"
#include "ss7/tcap.h"
#include "ss7/tcap_sig.h"

#define EXIT_FAILED 1
#define EXIT_USAGE STIWF_EXIT_USAGE
/* the largest input: a TCAP message, or an SCCP message around one */
#define HEX_MAX_OCTETS	(TCAP_SIG_MSG_MAX + 64)

int stiwf_cmd_tcap(int argc, char **argv);

static void tcap_usage(FILE *out)
{
	fprintf(out,
		"Usage: stiwf tcap decode [--sccp] [--oid OID] HEX\n"
		"       stiwf tcap sign --sign-key FILE --sign-cert FILE [--orig GT] [--iat EPOCH]\n"
		"                       [--oid OID] [--sccp] HEX\n"
		"       stiwf tcap verify (--cert FILE | --trust DIR [--cert-dir DIR] [--crl FILE]...\n"
		"                         [--repo URL-TEMPLATE [--repo-ca FILE]]) [--fetch-permit CIDR]...\n"
		"                         [--now EPOCH] [--window S] [--skew S] [--oid OID] [--sccp] HEX\n"
		"\n"
		"HEX is a TCAP message (the SCCP user data), or an SCCP UDT or XUDT carrying\n"
		"one (from the SCCP message type on, no routing label): --sccp, or the first\n"
		"octet tells.  A segmented XUDT must be reassembled first.\n"
		"decode  print the message as JSON: the SCCP addresses, the TCAP message type,\n"
		"        transaction IDs, dialogue (application context by name and version,\n"
		"        user-information), each component with its MAP operation and the\n"
		"        fields read from it (IMSI, MSISDN, VLR, MSC, SGSN, SMSC, HLR ...), and\n"
		"        the signature token when there is one (not verified).\n"
		"sign    add the hop signature (ARCHITECTURE §2.3) of the TSCA operator key --sign-key\n"
		"        and its certificate chain --sign-cert to a Begin with AARQ, or a\n"
		"        Continue or End with AARE, and print it as hex in the framing it was\n"
		"        given.  --orig: the calling global title the signature vouches for\n"
		"        (1..15 digits); default, for SCCP input, the calling party's GT digits.\n"
		"        --iat: default now.\n"
		"verify  check the signature at --now (default now) with an iat window of\n"
		"        --window seconds (default 60) plus --skew (default 0), against the\n"
		"        signer certificate --cert, or against the signer the TSCA directory\n"
		"        finds by key-id: --cert-dir first, then the repository --repo\n"
		"        (\"https://host/{key-id}.pem\", TLS server checked with --repo-ca),\n"
		"        verified against the TSCA roots in --trust with the CRLs --crl.\n"
		"        Prints JSON: valid, reason, key_id, policy (full or provisional),\n"
		"        signer, orig, the SCCP calling GT and whether ORIG equals it, and\n"
		"        the message without the signature.  Fetches refuse loopback, private\n"
		"        and other special-purpose addresses unless a --fetch-permit prefix\n"
		"        covers them.\n"
		"--oid   the signature EXTERNAL's direct-reference (default %s, a\n"
		"        placeholder under the X.660 example arc: operators agree on a\n"
		"        registered one).\n"
		"Exit status: 0 success (verify: valid); 1 the message does not decode, cannot\n"
		"be signed, or (verify) has no valid signature; 2 on a usage error.\n",
		TCAP_STIWF_SIG_OID_TEXT);
}

/* ------------------------------------------------------------------------
 * Input
 * ------------------------------------------------------------------------ */

static int parse_ulong(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *end || *v > max)
		return -EINVAL;
	return 0;
}

/*! What the command was given. */
struct tcap_input {
	uint8_t *buf;			/*!< the octets as given */
	size_t len;
	bool sccp;			/*!< an SCCP message around the TCAP message */
	struct sccp_msg sm;		/*!< when sccp; sm.data points into buf */
	const uint8_t *tcap;		/*!< the TCAP message */
	size_t tcap_len;
	uint8_t oid[TCAP_SIG_OID_MAX];
	int oid_len;
};

/* \returns 0, EXIT_USAGE or EXIT_FAILED (said why on stderr) */
static int input_read(void *ctx, struct tcap_input *in, const char *cmd, const char *hex, int sccp_opt)
{
	size_t hexlen = strlen(hex);
	char err[128] = "";
	int len, rc;

	if (hexlen == 0 || hexlen % 2 || hexlen / 2 > HEX_MAX_OCTETS) {
		fprintf(stderr, "%s: HEX is an even number of hex digits, at most %d octets\n", cmd,
			HEX_MAX_OCTETS);
		return EXIT_USAGE;
	}
	in->buf = talloc_size(ctx, hexlen / 2);
	if (!in->buf)
		return EXIT_FAILED;
	len = osmo_hexparse(hex, in->buf, hexlen / 2);
	if (len != (int)(hexlen / 2)) {
		fprintf(stderr, "%s: HEX is not hex\n", cmd);
		return EXIT_USAGE;
	}
	in->len = len;
	/* Q.773 §3.1: a TCAP message is [APPLICATION n], constructed; Q.713
	 * §2.1: the SCCP message types are small numbers */
	in->sccp = sccp_opt || (in->buf[0] & 0xe0) != 0x60;
	if (!in->sccp) {
		in->tcap = in->buf;
		in->tcap_len = in->len;
		return 0;
	}
	rc = sccp_msg_decode(&in->sm, in->buf, in->len, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "%s: not an SCCP UDT, XUDT, UDTS or XUDTS this codec handles: %s\n", cmd,
			err[0] ? err : strerror(-rc));
		return EXIT_FAILED;
	}
	if (in->sm.has_segmentation && (!in->sm.seg.first || in->sm.seg.remaining)) {
		fprintf(stderr, "%s: one segment of a segmented XUDT (%u to follow): reassemble the "
			"message first\n", cmd, in->sm.seg.remaining);
		return EXIT_FAILED;
	}
	in->tcap = in->sm.data;
	in->tcap_len = in->sm.data_len;
	return 0;
}

static int oid_opt(struct tcap_input *in, const char *cmd, const char *arg)
{
	in->oid_len = tcap_sig_oid_parse(in->oid, sizeof(in->oid), arg);
	if (in->oid_len < 0) {
		fprintf(stderr, "%s: --oid '%s' is not an OBJECT IDENTIFIER of at most %d octets\n", cmd, arg,
			TCAP_SIG_OID_MAX);
		return EXIT_USAGE;
	}
	return 0;
}

static void oid_default(struct tcap_input *in)
{
	if (in->oid_len > 0)
		return;
	memcpy(in->oid, TCAP_STIWF_SIG_OID, TCAP_STIWF_SIG_OID_LEN);
	in->oid_len = TCAP_STIWF_SIG_OID_LEN;
}

/* The SCCP calling GT when it is 1..15 decimal digits (E.164), else "" */
static const char *calling_e164(const struct tcap_input *in)
{
	const char *d = in->sm.calling.gt.digits;
	size_t n = strlen(d);

	if (!in->sccp || in->sm.calling.gt.gti == SCCP_GTI_NONE || n < 1 || n > SIGTOKEN_E164_MAX ||
	    strspn(d, "0123456789") != n)
		return "";
	return d;
}

/* ------------------------------------------------------------------------
 * JSON
 * ------------------------------------------------------------------------ */

/* osmo_hexdump_nospc() uses one static buffer: call it once per value */
static void set_hex(json_t *o, const char *key, const uint8_t *buf, size_t len)
{
	json_object_set_new(o, key, json_string(len ? osmo_hexdump_nospc(buf, len) : ""));
}

static void set_int(json_t *o, const char *key, json_int_t v)
{
	json_object_set_new(o, key, json_integer(v));
}

static void set_str(json_t *o, const char *key, const char *v)
{
	json_object_set_new(o, key, json_string(v));
}

static void set_oid(json_t *o, const char *key, const struct ber_slice *oid)
{
	char text[160];

	if (ber_oid_to_str(text, sizeof(text), oid->data, oid->len) < 0)
		set_hex(o, key, oid->data, oid->len);
	else
		set_str(o, key, text);
}

static json_t *addr_json(const struct sccp_addr *a)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	set_str(o, "routing", get_value_string(sccp_ri_names, a->ri));
	if (a->has_pc)
		set_int(o, "pc", a->pc);
	if (a->has_ssn)
		set_int(o, "ssn", a->ssn);
	set_int(o, "gti", a->gt.gti);
	if (a->gt.gti == SCCP_GTI_NONE)
		return o;
	if (a->gt.gti == SCCP_GTI_TT || a->gt.gti == SCCP_GTI_TT_NP_ES || a->gt.gti == SCCP_GTI_TT_NP_ES_NAI)
		set_int(o, "tt", a->gt.tt);
	if (a->gt.gti == SCCP_GTI_TT_NP_ES || a->gt.gti == SCCP_GTI_TT_NP_ES_NAI)
		set_str(o, "np", get_value_string(sccp_np_names, a->gt.np));
	if (a->gt.gti == SCCP_GTI_NAI || a->gt.gti == SCCP_GTI_TT_NP_ES_NAI)
		set_str(o, "nai", get_value_string(sccp_nai_names, a->gt.nai));
	set_str(o, "digits", a->gt.digits);
	return o;
}

static json_t *sccp_json(const struct sccp_msg *m)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	set_str(o, "message_type", sccp_msg_type_name(m->type));
	if (m->type == SCCP_MSGT_UDT || m->type == SCCP_MSGT_XUDT)
		set_int(o, "protocol_class", m->proto_class);
	else
		set_str(o, "return_cause", sccp_return_cause_name(m->cause));
	if (m->type == SCCP_MSGT_XUDT || m->type == SCCP_MSGT_XUDTS)
		set_int(o, "hop_counter", m->hop_counter);
	json_object_set_new(o, "called", addr_json(&m->called));
	json_object_set_new(o, "calling", addr_json(&m->calling));
	return o;
}

static void map_fields_json(json_t *o, const struct gsm_map_info *info, enum gsm_map_addr_role from,
			    enum gsm_map_addr_role to)
{
	json_t *a = json_object();
	unsigned int r;

	if (info->has_imsi)
		set_str(o, "imsi", info->imsi);
	for (r = from; a && r <= to; r++) {
		if (info->addr[r].present)
			set_str(a, get_value_string(gsm_map_addr_role_names, r), info->addr[r].digits);
	}
	if (a && json_object_size(a))
		json_object_set_new(o, "addresses", a);
	else
		json_decref(a);
}

static json_t *component_json(const struct tcap_msg *m, const struct tcap_component *c)
{
	json_t *o = json_object();
	struct gsm_map_info info;
	int rc;

	if (!o)
		return NULL;
	set_str(o, "type", get_value_string(tcap_comp_type_names, c->type));
	if (c->has_invoke_id)
		set_int(o, "invoke_id", c->invoke_id);
	if (c->has_linked_id)
		set_int(o, "linked_id", c->linked_id);
	if (c->type == TCAP_COMP_REJECT) {
		set_int(o, "problem_tag", c->problem_tag);
		set_int(o, "problem", c->problem);
		return o;
	}
	if (c->has_code && c->code_global) {
		set_oid(o, c->type == TCAP_COMP_ERROR ? "error_oid" : "opcode_oid", &c->code_oid);
	} else if (c->has_code) {
		set_int(o, c->type == TCAP_COMP_ERROR ? "error" : "opcode", c->code_local);
		if (c->type != TCAP_COMP_ERROR && get_value_string_or_null(gsm_map_op_names, c->code_local))
			set_str(o, "operation", get_value_string(gsm_map_op_names, c->code_local));
	}
	if (c->param.len)
		set_hex(o, "parameter", c->param.data, c->param.len);
	if (c->type == TCAP_COMP_ERROR)
		return o;
	rc = gsm_map_component_decode(&info, m, c);
	if (rc == 0) {
		/* the MAP-OpenInfo references go with the dialogue */
		map_fields_json(o, &info, GSM_MAP_ADDR_MSISDN, GSM_MAP_ADDR_GGSN);
	} else if (rc == -EBADMSG) {
		set_str(o, "map_error", "the MAP parameter does not decode");
	}
	return o;
}

static json_t *dialogue_json(const struct tcap_msg *m)
{
	json_t *o = json_object(), *ui;
	struct gsm_map_info info;
	enum gsm_map_ac ac;
	unsigned int i;
	uint8_t ver;

	if (!o)
		return NULL;
	set_str(o, "pdu", get_value_string(tcap_dlg_pdu_names, m->dlg_pdu));
	if (m->dlg_pdu == TCAP_DLG_ABRT) {
		set_int(o, "abort_source", m->abort_source);
	} else {
		if (m->proto_version.len)
			set_hex(o, "protocol_version", m->proto_version.data, m->proto_version.len);
		set_oid(o, "application_context", &m->acn);
		if (gsm_map_ac_decode(&ac, &ver, m->acn.data, m->acn.len) == 0) {
			set_str(o, "ac_name", get_value_string(gsm_map_ac_names, ac));
			set_int(o, "ac_version", ver);
		}
	}
	if (m->dlg_pdu == TCAP_DLG_AARE) {
		set_int(o, "result", m->result);
		set_str(o, "diagnostic_source", m->rsd_source == 1 ? "dialogue-service-user" :
							     "dialogue-service-provider");
		set_int(o, "diagnostic", m->rsd_value);
	}
	ui = json_array();
	for (i = 0; ui && i < m->num_userinfo; i++) {
		const struct tcap_external *e = &m->userinfo_ext[i];
		json_t *x = json_object();

		if (!x)
			break;
		if (e->oid.len)
			set_oid(x, "direct_reference", &e->oid);
		if (e->has_indirect_ref)
			set_int(x, "indirect_reference", e->indirect_ref);
		set_str(x, "encoding", e->encoding == TCAP_EXT_SINGLE_ASN1 ? "single-ASN1-type" :
				       e->encoding == TCAP_EXT_OCTET_ALIGNED ? "octet-aligned" : "arbitrary");
		set_hex(x, "value", e->value.data, e->value.len);
		json_array_append_new(ui, x);
	}
	json_object_set_new(o, "user_information", ui);
	memset(&info, 0, sizeof(info));
	if (gsm_map_open_info_decode(&info, m) == 0 &&
	    (info.addr[GSM_MAP_ADDR_DEST_REF].present || info.addr[GSM_MAP_ADDR_ORIG_REF].present)) {
		json_t *mo = json_object();

		map_fields_json(mo, &info, GSM_MAP_ADDR_DEST_REF, GSM_MAP_ADDR_ORIG_REF);
		json_object_set_new(o, "map_open", mo);
	}
	return o;
}

static json_t *tcap_json(const struct tcap_msg *m)
{
	json_t *o = json_object(), *comps;
	unsigned int i;

	if (!o)
		return NULL;
	set_str(o, "message_type", get_value_string(tcap_msg_type_names, m->type));
	if (m->has_otid)
		set_hex(o, "otid", m->otid, m->otid_len);
	if (m->has_dtid)
		set_hex(o, "dtid", m->dtid, m->dtid_len);
	if (m->has_pabort)
		set_str(o, "p_abort_cause", get_value_string(tcap_pabort_cause_names, m->pabort_cause));
	if (m->dlg_pdu != TCAP_DLG_NONE)
		json_object_set_new(o, "dialogue", dialogue_json(m));
	comps = json_array();
	for (i = 0; comps && i < m->num_components; i++)
		json_array_append_new(comps, component_json(m, &m->comp[i]));
	json_object_set_new(o, "components", comps);
	return o;
}

static json_t *token_json(const struct tcap_sig_token *t, const uint8_t *oid, size_t oid_len)
{
	json_t *o = json_object();
	char kid[KEYID_HEX_LEN];
	struct ber_slice s = { oid, oid_len };

	if (!o)
		return NULL;
	set_oid(o, "oid", &s);
	set_int(o, "version", SIGTOKEN_VERSION);
	set_int(o, "alg", t->hop.alg);
	keyid_to_hex(kid, sizeof(kid), t->hop.key_id);
	set_str(o, "key_id", kid);
	set_int(o, "iat", t->hop.iat);
	set_hex(o, "sig", t->hop.sig, SIGTOKEN_SIG_LEN);
	if (t->has_orig)
		set_str(o, "orig", t->orig_gt);
	return o;
}

static int print_json(json_t *root)
{
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	json_decref(root);
	if (!s)
		return -ENOMEM;
	printf("%s\n", s);
	free(s);
	return 0;
}

/* ------------------------------------------------------------------------
 * decode
 * ------------------------------------------------------------------------ */

static int cmd_decode(void *ctx, int argc, char **argv)
{
	static const char cmd[] = "stiwf tcap decode";
	static const struct option longopts[] = {
		{ "sccp", no_argument, NULL, 's' },
		{ "oid", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct tcap_input in = { 0 };
	struct tcap_sig_token tok;
	struct tcap_msg *m;
	uint8_t *stripped;
	size_t slen;
	bool sccp = false, bad_sig = false;
	json_t *root;
	int opt, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			sccp = true;
			break;
		case 'O':
			if (oid_opt(&in, cmd, optarg))
				return EXIT_USAGE;
			break;
		case 'h':
			tcap_usage(stdout);
			return 0;
		default:
			tcap_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s: one HEX argument\n", cmd);
		return EXIT_USAGE;
	}
	oid_default(&in);
	rc = input_read(ctx, &in, cmd, argv[optind], sccp);
	if (rc)
		return rc;
	m = talloc_zero(ctx, struct tcap_msg);
	stripped = talloc_size(ctx, in.tcap_len ? in.tcap_len : 1);
	if (!m || !stripped)
		return EXIT_FAILED;
	rc = tcap_msg_decode(m, in.tcap, in.tcap_len);
	if (rc < 0) {
		fprintf(stderr, "%s: not a TCAP message this codec handles: %s\n", cmd, strerror(-rc));
		return EXIT_FAILED;
	}
	root = json_object();
	if (!root)
		return EXIT_FAILED;
	if (in.sccp)
		json_object_set_new(root, "sccp", sccp_json(&in.sm));
	json_object_set_new(root, "tcap", tcap_json(m));
	rc = tcap_sig_extract(&tok, stripped, in.tcap_len, &slen, in.tcap, in.tcap_len, in.oid, in.oid_len);
	if (rc == 0) {
		json_object_set_new(root, "signature", token_json(&tok, in.oid, in.oid_len));
	} else if (rc != -ENOENT) {
		bad_sig = true;
		json_object_set_new(root, "signature", json_pack("{s:s}", "error", "malformed signature"));
	}
	if (print_json(root) < 0)
		return EXIT_FAILED;
	return bad_sig ? EXIT_FAILED : 0;
}

/* ------------------------------------------------------------------------
 * sign
 * ------------------------------------------------------------------------ */

/* The signed TCAP message in the framing of the input, as hex on stdout.
 * \returns 0 or EXIT_FAILED */
static int print_signed(const struct tcap_input *in, const uint8_t *sig, size_t sig_len, const char *cmd)
{
	struct sccp_msg sm;
	uint8_t out[HEX_MAX_OCTETS + TCAP_SIG_OVERHEAD];
	int rc;

	if (!in->sccp) {
		printf("%s\n", osmo_hexdump_nospc(sig, sig_len));
		return 0;
	}
	sm = in->sm;
	sm.data = sig;
	sm.data_len = sig_len;
	rc = sccp_msg_encode(out, sizeof(out), &sm);
	if (rc < 0) {
		fprintf(stderr, "%s: the signed message (%zu octets) does not fit one SCCP %s: %s\n", cmd, sig_len,
			sccp_msg_type_name(sm.type), strerror(-rc));
		return EXIT_FAILED;
	}
	printf("%s\n", osmo_hexdump_nospc(out, rc));
	return 0;
}

static int cmd_sign(void *ctx, int argc, char **argv)
{
	static const char cmd[] = "stiwf tcap sign";
	static const struct option longopts[] = {
		{ "sign-key", required_argument, NULL, 'k' },
		{ "sign-cert", required_argument, NULL, 'C' },
		{ "orig", required_argument, NULL, 'o' },
		{ "iat", required_argument, NULL, 'i' },
		{ "oid", required_argument, NULL, 'O' },
		{ "sccp", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *key_path = NULL, *cert_path = NULL, *orig = NULL;
	struct tcap_input in = { 0 };
	struct credential *cred = NULL;
	struct sigtoken_key *key;
	uint32_t iat = (uint32_t)time(NULL);
	uint8_t *out;
	unsigned long v;
	bool sccp = false;
	int opt, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'k':
			key_path = optarg;
			break;
		case 'C':
			cert_path = optarg;
			break;
		case 'o':
			if (*optarg == '+')
				optarg++;
			if (!*optarg || strlen(optarg) > SIGTOKEN_E164_MAX ||
			    strspn(optarg, "0123456789") != strlen(optarg)) {
				fprintf(stderr, "%s: --orig is 1 to 15 digits, '+' optional\n", cmd);
				return EXIT_USAGE;
			}
			orig = optarg;
			break;
		case 'i':
			if (parse_ulong(optarg, UINT32_MAX, &v) < 0) {
				fprintf(stderr, "%s: bad --iat '%s'\n", cmd, optarg);
				return EXIT_USAGE;
			}
			iat = v;
			break;
		case 'O':
			if (oid_opt(&in, cmd, optarg))
				return EXIT_USAGE;
			break;
		case 's':
			sccp = true;
			break;
		case 'h':
			tcap_usage(stdout);
			return 0;
		default:
			tcap_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || !key_path || !cert_path) {
		fprintf(stderr, "%s: --sign-key and --sign-cert are needed, and one HEX argument\n", cmd);
		return EXIT_USAGE;
	}
	oid_default(&in);
	rc = input_read(ctx, &in, cmd, argv[optind], sccp);
	if (rc)
		return rc;
	if (!orig) {
		orig = calling_e164(&in);
		if (!*orig) {
			fprintf(stderr, "%s: --orig is needed (%s)\n", cmd,
				in.sccp ? "the calling party has no GT of 1..15 digits" : "a bare TCAP message");
			return EXIT_USAGE;
		}
	}
	if (in.sccp && in.sm.type != SCCP_MSGT_UDT && in.sm.type != SCCP_MSGT_XUDT) {
		fprintf(stderr, "%s: a %s returns a message; only UDT and XUDT are signed\n", cmd,
			sccp_msg_type_name(in.sm.type));
		return EXIT_FAILED;
	}
	rc = credential_load(ctx, &cred, key_path, cert_path, NULL);
	if (rc < 0) {
		fprintf(stderr, "%s: cannot load the signing credential: %s\n", cmd, strerror(-rc));
		return EXIT_FAILED;
	}
	key = sigtoken_key_alloc(ctx, cred->key);
	out = talloc_size(ctx, in.tcap_len + TCAP_SIG_OVERHEAD);
	if (!key || !out) {
		fprintf(stderr, "%s: the key is not an ES256 (P-256) key\n", cmd);
		return EXIT_FAILED;
	}
	rc = tcap_sig_sign(out, in.tcap_len + TCAP_SIG_OVERHEAD, in.tcap, in.tcap_len, key, iat, orig,
			   in.oid, in.oid_len);
	switch (rc) {
	case -ENOTSUP:
		fprintf(stderr, "%s: this message cannot carry a signature (a Begin with AARQ, or a Continue or "
			"End with AARE, can)\n", cmd);
		return EXIT_FAILED;
	case -EEXIST:
		fprintf(stderr, "%s: the message is signed already\n", cmd);
		return EXIT_FAILED;
	case -EBADMSG:
		fprintf(stderr, "%s: not a TCAP message this codec handles\n", cmd);
		return EXIT_FAILED;
	default:
		if (rc < 0) {
			fprintf(stderr, "%s: cannot sign: %s\n", cmd, strerror(-rc));
			return EXIT_FAILED;
		}
	}
	return print_signed(&in, out, rc, cmd);
}

/* ------------------------------------------------------------------------
 * verify
 * ------------------------------------------------------------------------ */

static const char *verify_reason(int rc)
{
	switch (rc) {
	case 0:
		return "signature valid";
	case -ENOTSUP:
		return "alg not supported";
	case -EKEYREJECTED:
		return "key-id is not the certificate's";
	case -EBADMSG:
		return "signature does not verify";
	default:
		return "verification failed";
	}
}

static int cmd_verify(void *ctx, int argc, char **argv)
{
	static const char cmd[] = "stiwf tcap verify";
	static const struct option longopts[] = {
		{ "cert", required_argument, NULL, 'C' },
		{ "trust", required_argument, NULL, 'T' },
		{ "cert-dir", required_argument, NULL, 'D' },
		{ "crl", required_argument, NULL, 'L' },
		{ "repo", required_argument, NULL, 'r' },
		{ "repo-ca", required_argument, NULL, 'A' },
		{ "fetch-permit", required_argument, NULL, 'F' },
		{ "now", required_argument, NULL, 'n' },
		{ "window", required_argument, NULL, 'w' },
		{ "skew", required_argument, NULL, 'S' },
		{ "oid", required_argument, NULL, 'O' },
		{ "sccp", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct stiwf_tsca tsca = { 0 };
	struct stiwf_keys keys = { 0 };
	struct tcap_input in = { 0 };
	struct tcap_sig_token tok;
	struct sigtoken_key *key;
	const char *cert_path = NULL, *reason = NULL, *cg;
	unsigned int window = SIGTOKEN_WINDOW_DEFAULT, skew = 0;
	time_t now = time(NULL);
	char kid[KEYID_HEX_LEN];
	uint8_t *stripped;
	unsigned long v;
	bool sccp = false, valid = false;
	size_t slen = 0;
	json_t *root;
	int opt, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'C':
			cert_path = optarg;
			break;
		case 'T':
			tsca.trust = optarg;
			break;
		case 'D':
			tsca.cert_dir = optarg;
			break;
		case 'L':
			if (stiwf_tsca_add_crl(&tsca, cmd, optarg))
				return EXIT_USAGE;
			break;
		case 'r':
			tsca.repo = optarg;
			break;
		case 'A':
			tsca.repo_ca = optarg;
			break;
		case 'F':
			if (stiwf_tsca_add_permit(&tsca, cmd, optarg))
				return EXIT_USAGE;
			break;
		case 'n':
			if (parse_ulong(optarg, UINT32_MAX, &v) < 0) {
				fprintf(stderr, "%s: bad --now '%s'\n", cmd, optarg);
				return EXIT_USAGE;
			}
			now = v;
			break;
		case 'w':
		case 'S':
			if (parse_ulong(optarg, 86400, &v) < 0) {
				fprintf(stderr, "%s: bad --%s '%s' (0..86400)\n", cmd, opt == 'w' ? "window" : "skew",
					optarg);
				return EXIT_USAGE;
			}
			if (opt == 'w')
				window = v;
			else
				skew = v;
			break;
		case 'O':
			if (oid_opt(&in, cmd, optarg))
				return EXIT_USAGE;
			break;
		case 's':
			sccp = true;
			break;
		case 'h':
			tcap_usage(stdout);
			return 0;
		default:
			tcap_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || !cert_path == !tsca.trust) {
		fprintf(stderr, "%s: one HEX argument, and --cert or --trust (one of them)\n", cmd);
		return EXIT_USAGE;
	}
	if (!tsca.trust && (tsca.cert_dir || tsca.num_crls || tsca.repo)) {
		fprintf(stderr, "%s: --cert-dir, --crl and --repo go with --trust\n", cmd);
		return EXIT_USAGE;
	}
	if (tsca.repo_ca && !tsca.repo) {
		fprintf(stderr, "%s: --repo-ca goes with --repo\n", cmd);
		return EXIT_USAGE;
	}
	oid_default(&in);
	rc = input_read(ctx, &in, cmd, argv[optind], sccp);
	if (rc)
		return rc;
	if (cert_path) {
		X509 *x = stiwf_tool_read_cert(cert_path);

		if (!x)
			return EXIT_FAILED;
		keys.single = sigtoken_key_alloc_x509(ctx, x);
		X509_free(x);
		if (!keys.single) {
			fprintf(stderr, "%s: %s: not an ES256 (P-256) certificate\n", cmd, cert_path);
			return EXIT_FAILED;
		}
	} else {
		rc = stiwf_tsca_setup(ctx, &tsca, cmd);
		if (rc)
			return rc;
		keys.td = tsca.td;
		keys.at = now;
	}
	stripped = talloc_size(ctx, in.tcap_len ? in.tcap_len : 1);
	root = json_object();
	if (!stripped || !root)
		return EXIT_FAILED;

	/* ARCHITECTURE §2.2, §2.3: the token, then time, then key, then signature;
	 * the replay cache lives in the daemon: one run sees one message */
	rc = tcap_sig_extract(&tok, stripped, in.tcap_len, &slen, in.tcap, in.tcap_len, in.oid, in.oid_len);
	if (rc == -ENOENT) {
		reason = "no signature";
	} else if (rc < 0) {
		reason = "malformed message or signature";
	} else {
		rc = sigtoken_iat_check(tok.hop.iat, now, window, skew);
		if (rc == -ETIMEDOUT) {
			reason = "iat older than the window";
		} else if (rc < 0) {
			reason = "iat in the future";
		} else {
			key = stiwf_keys_find(&keys, tok.hop.key_id);
			if (!key) {
				reason = stiwf_keys_why(&keys);
			} else {
				rc = tcap_sig_verify(&tok, stripped, slen, key);
				valid = rc == 0;
				reason = verify_reason(rc);
			}
		}
	}
	json_object_set_new(root, "valid", json_boolean(valid));
	set_str(root, "reason", reason);
	if (slen) {
		keyid_to_hex(kid, sizeof(kid), tok.hop.key_id);
		set_str(root, "key_id", kid);
		set_int(root, "iat", tok.hop.iat);
	}
	/* what the TSCA directory said about the signer */
	stiwf_keys_json(root, &keys);
	if (slen && tok.has_orig)
		set_str(root, "orig", tok.orig_gt);
	cg = calling_e164(&in);
	if (in.sccp && in.sm.calling.gt.gti != SCCP_GTI_NONE) {
		set_str(root, "calling_gt", in.sm.calling.gt.digits);
		/* compared by the receiving network's policy, not here */
		if (slen)
			json_object_set_new(root, "orig_matches_calling_gt",
					    json_boolean(tok.has_orig && *cg && !strcmp(tok.orig_gt, cg)));
	}
	if (slen)
		set_hex(root, "stripped", stripped, slen);
	if (print_json(root) < 0)
		return EXIT_FAILED;
	return valid ? 0 : EXIT_FAILED;
}

/*! "stiwf tcap ...": argv[0] is "tcap".
 *  \returns the process exit status (0, 1 failed/invalid, 2 usage) */
int stiwf_cmd_tcap(int argc, char **argv)
{
	void *ctx;
	int rc;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		tcap_usage(stdout);
		return 0;
	}
	if (argc < 2 || (strcmp(argv[1], "decode") && strcmp(argv[1], "sign") && strcmp(argv[1], "verify"))) {
		tcap_usage(stderr);
		return EXIT_USAGE;
	}
	ctx = talloc_named_const(NULL, 0, "stiwf tcap");
	if (!ctx)
		return EXIT_FAILED;
	/* the codecs explain what they refuse through DSS7 on stderr */
	if (!strcmp(argv[1], "decode"))
		rc = cmd_decode(ctx, argc - 1, argv + 1);
	else if (!strcmp(argv[1], "sign"))
		rc = cmd_sign(ctx, argc - 1, argv + 1);
	else
		rc = cmd_verify(ctx, argc - 1, argv + 1);
	talloc_free(ctx);
	return rc;
}
