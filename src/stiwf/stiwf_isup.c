/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stiwf isup: build and read ISUP messages with stiwf's own codec.
 *   stiwf isup iam --called TN --calling TN [--presentation allowed|restricted]
 *                  [--cic N] [--aci N] [--sign-key FILE --sign-cert FILE] [--iat EPOCH]
 *                  [--passport IDENTITY-VALUE] [--verstat passed|failed|none] [--reason CODE]
 *   stiwf isup decode [--verify (--cert FILE | --trust DIR [--cert-dir DIR] [--crl FILE]...
 *                     [--repo URL-TEMPLATE [--repo-ca FILE]])
 *                     [--passport-trust DIR [--passport-cert FILE | --x5u-ca FILE]]]
 *                     [--now EPOCH] [--country-code CC] [--aci N] [--window S] [--skew S] HEX
 *
 * struct iam_opts holds what goes in an IAM; struct stiwf_keys
 * (src/stiwf/stiwf_tsca.h) answers "which key has this key-id" for decode
 * --verify: one certificate (--cert), or the TSCA signer directory
 * (certs/tsca.h: --trust, --cert-dir, --crl, --repo). */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/cache.h"
#include "certs/certchain.h"
#include "certs/credential.h"
#include "certs/fetch.h"
#include "certs/keyid.h"
#include "certs/resolve.h"
#include "certs/truststore.h"
#include "certs/tsca.h"
#include "iwf/e2e_passport.h"
#include "iwf/isup_identity.h"
#include "sip/identity.h"
#include "sip/passport.h"
#include "src/core/logging.h"
#include "src/stiwf/stiwf_tool.h"
#include "src/stiwf/stiwf_tsca.h"
#include "ss7/isup.h"
#include "ss7/sigtoken.h"

#define EXIT_FAILED 1
#define EXIT_USAGE STIWF_EXIT_USAGE
#define CMD_DECODE "stiwf isup decode"

int stiwf_cmd_isup(int argc, char **argv);

static void isup_usage(FILE *out)
{
	fprintf(out,
		"Usage: stiwf isup iam --called TN --calling TN [--presentation allowed|restricted]\n"
		"                      [--cic N] [--aci N] [--sign-key FILE --sign-cert FILE] [--iat EPOCH]\n"
		"                      [--passport IDENTITY-VALUE] [--verstat passed|failed|none] [--reason CODE]\n"
		"                      [--bind NETWORK]\n"
		"       stiwf isup decode [--verify (--cert FILE | --trust DIR [--cert-dir DIR] [--crl FILE]...\n"
		"                         [--repo URL-TEMPLATE [--repo-ca FILE]])\n"
		"                         [--passport-trust DIR [--passport-cert FILE | --x5u-ca FILE]]\n"
		"                         [--fetch-permit CIDR]...]\n"
		"                         [--now EPOCH] [--country-code CC] [--aci N] [--window S] [--skew S] HEX\n"
		"\n"
		"iam     print an IAM (CIC, message type, parameters; no routing label) as hex\n"
		"        on one line.  TN: E.164 digits, '+' optional; both numbers go as\n"
		"        international numbers.  With --sign-key and --sign-cert (a TSCA operator\n"
		"        key and its certificate chain) the IAM carries a signalling token with\n"
		"        a HOP signature (ARCHITECTURE §2) in an APP parameter with ACI --aci\n"
		"        (64..127, default 90), made at --iat (default now).  --cic: 0..4095,\n"
		"        default 1.\n"
		"        --passport takes an Identity header value (as \"stiwf passport sign\"\n"
		"        prints it) and carries its PASSporT end to end in a PASSPORT TLV; it\n"
		"        must be a canonical SHAKEN PASSporT for exactly --calling and --called\n"
		"        (ARCHITECTURE §2.2), or the command fails.  --verstat (default none) and\n"
		"        --reason (403, 428, 436, 437, 438 with failed; default 0) make the\n"
		"        VERDICT TLV, which goes with every --passport.  The PASSporT is not\n"
		"        verified here.  --bind names the receiving network in a BIND TLV\n"
		"        (1..32 printable characters, no space), which HOP covers.\n"
		"decode  print the message as JSON: type, CIC, each parameter with its fields,\n"
		"        and the TLVs of a signalling token.  With --verify, check its HOP at\n"
		"        --now (default now) with an iat window of --window seconds (default 60)\n"
		"        plus --skew (default 0), against the signer certificate --cert, or\n"
		"        against the signer the TSCA directory finds by key-id: --cert-dir\n"
		"        first, then the repository --repo (\"https://host/{key-id}.pem\", TLS\n"
		"        server checked with --repo-ca), verified against the TSCA roots in\n"
		"        --trust with the CRLs --crl; \"policy\" says full or provisional.\n"
		"        A PASSPORT TLV is rebuilt into the original Identity header value\n"
		"        from the IAM's numbers; with --passport-trust (SHAKEN roots) it is\n"
		"        verified with the chain in --passport-cert or fetched from its x5u\n"
		"        (TLS server checked with --x5u-ca).  Fetches refuse loopback, private\n"
		"        and other special-purpose addresses, as stiwfd(8) does, unless a\n"
		"        --fetch-permit prefix covers them; the port of --repo and of the x5u is\n"
		"        allowed for that URL.  National numbers are made E.164 with\n"
		"        --country-code.\n"
		"Exit status: 0 success; 1 when a token is present but invalid, when --verify\n"
		"finds no valid HOP or a PASSporT that does not verify, or the message does not\n"
		"decode; 2 on a usage error.\n");
}

/* ------------------------------------------------------------------------
 * Argument parsing
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

/* E.164 digits, an optional leading '+' */
static int parse_tn(const char *s, char *out, size_t size)
{
	size_t n;

	if (*s == '+')
		s++;
	n = strlen(s);
	if (n < 1 || n > SIGTOKEN_E164_MAX || n >= size || strspn(s, "0123456789") != n)
		return -EINVAL;
	memcpy(out, s, n + 1);
	return 0;
}

/* ------------------------------------------------------------------------
 * iam
 * ------------------------------------------------------------------------ */

/*! What goes in the IAM. */
struct iam_opts {
	char called[SIGTOKEN_E164_MAX + 1];
	char calling[SIGTOKEN_E164_MAX + 1];
	uint8_t apri;
	uint16_t cic;
	uint16_t aci;
	struct credential *cred;	/*!< NULL: no HOP */
	uint32_t iat;
	bool has_passport;		/*!< ARCHITECTURE §2.2 PASSPORT TLV */
	struct sigtoken_passport passport;
	bool has_verdict;		/*!< ARCHITECTURE §2.2 VERDICT TLV */
	struct sigtoken_verdict verdict;
	const char *bind;		/*!< ARCHITECTURE §2.2 BIND TLV, or NULL */
};

static void set_number(struct isup_number *n, const char *digits)
{
	n->nai = ISUP_NAI_INTERNATIONAL;
	n->npi = 1;	/* ISDN/telephony, E.164 */
	osmo_strlcpy(n->digits, digits, sizeof(n->digits));
}

/* An IAM of an international call; a token when o->cred, o->has_passport
 * or o->has_verdict is set, signed when o->cred is */
static int iam_build(struct isup_msg *m, const struct iam_opts *o, void *ctx)
{
	struct sigtoken_key *key = NULL;
	struct sigtoken_call call;
	struct sigtoken tok;
	struct isup_param *p;
	int rc;

	rc = isup_msg_init(m, ISUP_MSG_IAM, o->cic);
	if (rc < 0)
		return rc;
	p = isup_msg_param_find(m, ISUP_PAR_FCI);
	p->u.fci.international = 1;
	p->u.fci.isup = 1;
	p = isup_msg_param_find(m, ISUP_PAR_CPC);
	p->u.u8 = 0x0a;		/* Q.763 §3.11: ordinary calling subscriber */
	p = isup_msg_param_find(m, ISUP_PAR_TMR);
	p->u.u8 = 0;		/* Q.763 §3.54: speech */
	p = isup_msg_param_find(m, ISUP_PAR_CALLED_PARTY_NUMBER);
	set_number(&p->u.number, o->called);
	p = isup_msg_opt_add(m, ISUP_PAR_CALLING_PARTY_NUMBER);
	if (!p)
		return -EMSGSIZE;
	set_number(&p->u.number, o->calling);
	p->u.number.apri = o->apri;
	p->u.number.si = ISUP_SI_NETWORK_PROVIDED;
	if (!o->cred && !o->has_passport && !o->has_verdict && !o->bind)
		return 0;

	memset(&tok, 0, sizeof(tok));
	/* HOP hashes PASSPORT and VERDICT: they go in first (ARCHITECTURE §2.2) */
	tok.has_passport = o->has_passport;
	tok.passport = o->passport;
	tok.has_verdict = o->has_verdict;
	tok.verdict = o->verdict;
	if (o->bind && sigtoken_bind_set(&tok, o->bind) < 0)
		return -EINVAL;
	if (o->cred) {
		key = sigtoken_key_alloc(ctx, o->cred->key);
		if (!key)
			return -EINVAL;
		rc = sigtoken_call_from_iam(&call, m, NULL);
		if (rc == 0)
			rc = sigtoken_hop_sign(&tok, key, o->iat, &call);
		talloc_free(key);
		if (rc < 0)
			return rc;
	}
	return sigtoken_iam_put(m, &tok, o->aci);
}

/* The PASSPORT TLV from an Identity header value, for the numbers of the IAM */
static int passport_tlv_from_identity(struct iam_opts *o, const char *value)
{
	struct identity_hdr ih;
	struct passport *pp;
	enum e2e_passport_err err;
	int rc = -EINVAL;

	if (identity_hdr_parse(&ih, value, strlen(value)) < 0) {
		fprintf(stderr, "stiwf isup iam: --passport: not an Identity header value (RFC 8224 §4.1)\n");
		return -EINVAL;
	}
	pp = talloc_zero(NULL, struct passport);
	if (!pp)
		return -ENOMEM;
	if (ih.compact) {
		fprintf(stderr, "stiwf isup iam: --passport: %s\n",
			get_value_string(e2e_passport_err_names, E2E_PP_COMPACT));
		goto out;
	}
	if (passport_decode(pp, ih.token.ptr, ih.token.len) < 0) {
		fprintf(stderr, "stiwf isup iam: --passport: the PASSporT does not decode\n");
		goto out;
	}
	if (passport_check_identity(pp, &ih) != 0) {
		fprintf(stderr, "stiwf isup iam: --passport: alg/ppt of the Identity header disagree "
			"with the PASSporT (RFC 8224 §4.1)\n");
		goto out;
	}
	err = e2e_passport_to_tlv(&o->passport, pp, o->calling, o->called);
	if (err != E2E_PP_OK) {
		fprintf(stderr, "stiwf isup iam: --passport cannot travel end to end (ARCHITECTURE §2.2): %s\n",
			get_value_string(e2e_passport_err_names, err));
		goto out;
	}
	o->has_passport = true;
	rc = 0;
out:
	talloc_free(pp);
	return rc;
}

static int cmd_iam(void *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "called", required_argument, NULL, 'd' },
		{ "calling", required_argument, NULL, 'o' },
		{ "presentation", required_argument, NULL, 'p' },
		{ "cic", required_argument, NULL, 'c' },
		{ "aci", required_argument, NULL, 'a' },
		{ "sign-key", required_argument, NULL, 'k' },
		{ "sign-cert", required_argument, NULL, 'C' },
		{ "iat", required_argument, NULL, 'i' },
		{ "passport", required_argument, NULL, 'P' },
		{ "verstat", required_argument, NULL, 'V' },
		{ "reason", required_argument, NULL, 'R' },
		{ "bind", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *key_path = NULL, *cert_path = NULL, *passport = NULL;
	struct iam_opts o = { .apri = ISUP_APRI_ALLOWED, .cic = 1, .aci = SIGTOKEN_ACI_DEFAULT };
	struct isup_msg *m;
	unsigned long v;
	uint8_t out[1024];
	int opt, rc;

	o.iat = (uint32_t)time(NULL);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			if (parse_tn(optarg, o.called, sizeof(o.called)) < 0)
				goto bad_tn;
			break;
		case 'o':
			if (parse_tn(optarg, o.calling, sizeof(o.calling)) < 0)
				goto bad_tn;
			break;
		case 'p':
			if (!strcmp(optarg, "allowed")) {
				o.apri = ISUP_APRI_ALLOWED;
			} else if (!strcmp(optarg, "restricted")) {
				o.apri = ISUP_APRI_RESTRICTED;
			} else {
				fprintf(stderr, "stiwf isup iam: --presentation is allowed or restricted\n");
				return EXIT_USAGE;
			}
			break;
		case 'c':
			if (parse_ulong(optarg, ISUP_CIC_MAX, &v) < 0) {
				fprintf(stderr, "stiwf isup iam: bad --cic '%s' (0..%u)\n", optarg, ISUP_CIC_MAX);
				return EXIT_USAGE;
			}
			o.cic = v;
			break;
		case 'a':
			if (parse_ulong(optarg, SIGTOKEN_ACI_MAX, &v) < 0 || v < SIGTOKEN_ACI_MIN) {
				fprintf(stderr, "stiwf isup iam: bad --aci '%s' (64..127)\n", optarg);
				return EXIT_USAGE;
			}
			o.aci = v;
			break;
		case 'k':
			key_path = optarg;
			break;
		case 'C':
			cert_path = optarg;
			break;
		case 'i':
			if (parse_ulong(optarg, UINT32_MAX, &v) < 0) {
				fprintf(stderr, "stiwf isup iam: bad --iat '%s'\n", optarg);
				return EXIT_USAGE;
			}
			o.iat = v;
			break;
		case 'P':
			passport = optarg;
			break;
		case 'B':
			o.bind = optarg;
			break;
		case 'V':
			if (!strcmp(optarg, "passed")) {
				o.verdict.verstat = SIGTOKEN_VERSTAT_PASSED;
			} else if (!strcmp(optarg, "failed")) {
				o.verdict.verstat = SIGTOKEN_VERSTAT_FAILED;
			} else if (!strcmp(optarg, "none")) {
				o.verdict.verstat = SIGTOKEN_VERSTAT_NO_VALIDATION;
			} else {
				fprintf(stderr, "stiwf isup iam: --verstat is passed, failed or none\n");
				return EXIT_USAGE;
			}
			o.has_verdict = true;
			break;
		case 'R':
			/* RFC 8224 §6.2.2: the SIP codes of a failed verification */
			if (parse_ulong(optarg, 999, &v) < 0 || !get_value_string_or_null(sigtoken_reason_names, v)) {
				fprintf(stderr, "stiwf isup iam: bad --reason '%s' (0, 403, 428, 436, 437, 438)\n",
					optarg);
				return EXIT_USAGE;
			}
			o.verdict.reason = v;
			o.has_verdict = true;
			break;
		case 'h':
			isup_usage(stdout);
			return 0;
		default:
			isup_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc || !o.called[0] || !o.calling[0] || !key_path != !cert_path) {
		fprintf(stderr, "stiwf isup iam: --called and --calling are needed, "
			"--sign-key and --sign-cert go together\n");
		return EXIT_USAGE;
	}
	if (o.verdict.reason && o.verdict.verstat != SIGTOKEN_VERSTAT_FAILED) {
		fprintf(stderr, "stiwf isup iam: --reason goes with --verstat failed\n");
		return EXIT_USAGE;
	}
	if (passport) {
		if (passport_tlv_from_identity(&o, passport) < 0)
			return EXIT_FAILED;
		o.has_verdict = true;	/* ARCHITECTURE §4: the PASSPORT goes with a VERDICT */
	}
	if (key_path) {
		rc = credential_load(ctx, &o.cred, key_path, cert_path, NULL);
		if (rc < 0) {
			fprintf(stderr, "stiwf isup iam: cannot load the signing credential: %s\n",
				strerror(-rc));
			return EXIT_FAILED;
		}
	}
	m = talloc_zero(ctx, struct isup_msg);
	if (!m)
		return EXIT_FAILED;
	rc = iam_build(m, &o, ctx);
	if (rc == 0)
		rc = isup_msg_encode(out, sizeof(out), m);
	if (rc < 0) {
		fprintf(stderr, "stiwf isup iam: cannot build the IAM: %s\n", strerror(-rc));
		return EXIT_FAILED;
	}
	printf("%s\n", osmo_hexdump_nospc(out, rc));
	return 0;
bad_tn:
	fprintf(stderr, "stiwf isup iam: a TN is 1 to 15 digits, '+' optional: '%s'\n", optarg);
	return EXIT_USAGE;
}

/* ------------------------------------------------------------------------
 * decode
 * ------------------------------------------------------------------------ */

static json_t *hex_json(const uint8_t *buf, size_t len)
{
	return json_string(len ? osmo_hexdump_nospc(buf, len) : "");
}

/* osmo_hexdump_nospc() uses one static buffer: call it once per value */
static int set_hex(json_t *o, const char *key, const uint8_t *buf, size_t len)
{
	return json_object_set_new(o, key, hex_json(buf, len));
}

static int set_int(json_t *o, const char *key, json_int_t v)
{
	return json_object_set_new(o, key, json_integer(v));
}

static int set_str(json_t *o, const char *key, const char *v)
{
	return json_object_set_new(o, key, json_string(v));
}

static void number_json(json_t *o, const struct isup_number *n, uint8_t code)
{
	if (code == ISUP_PAR_GENERIC_NUMBER)
		set_int(o, "qualifier", n->qualifier);
	set_int(o, "nai", n->nai);
	set_str(o, "nai_name", get_value_string(isup_nai_names, n->nai));
	set_int(o, code == ISUP_PAR_CALLED_PARTY_NUMBER ? "inn" : "ni", n->inn_ni);
	set_int(o, "npi", n->npi);
	if (code != ISUP_PAR_CALLED_PARTY_NUMBER) {
		set_int(o, "apri", n->apri);
		set_str(o, "apri_name", get_value_string(isup_apri_names, n->apri));
	}
	if (code == ISUP_PAR_CALLING_PARTY_NUMBER || code == ISUP_PAR_GENERIC_NUMBER) {
		set_int(o, "si", n->si);
		set_str(o, "si_name", get_value_string(isup_si_names, n->si));
	}
	set_str(o, "digits", n->digits);
}

static json_t *param_json(const struct isup_param *p)
{
	json_t *o = json_object(), *a;
	unsigned int i, j;

	if (!o)
		return NULL;
	set_int(o, "code", p->code);
	set_str(o, "name", isup_param_name(p->code));
	if (p->opaque) {
		set_hex(o, "value", p->u.opaque.data, p->u.opaque.len);
		return o;
	}
	switch (p->code) {
	case ISUP_PAR_CALLED_PARTY_NUMBER:
	case ISUP_PAR_CALLING_PARTY_NUMBER:
	case ISUP_PAR_REDIRECTING_NUMBER:
	case ISUP_PAR_ORIG_CALLED_NUMBER:
	case ISUP_PAR_GENERIC_NUMBER:
		number_json(o, &p->u.number, p->code);
		break;
	case ISUP_PAR_SUBSEQUENT_NUMBER:
		set_str(o, "digits", p->u.subsequent.digits);
		break;
	case ISUP_PAR_NCI:
		set_int(o, "satellite", p->u.nci.satellite);
		set_int(o, "continuity", p->u.nci.continuity);
		set_int(o, "echo", p->u.nci.echo);
		break;
	case ISUP_PAR_FCI:
		set_int(o, "international", p->u.fci.international);
		set_int(o, "e2e_method", p->u.fci.e2e_method);
		set_int(o, "interworking", p->u.fci.interworking);
		set_int(o, "e2e_info", p->u.fci.e2e_info);
		set_int(o, "isup", p->u.fci.isup);
		set_int(o, "isup_pref", p->u.fci.isup_pref);
		set_int(o, "isdn_access", p->u.fci.isdn_access);
		set_int(o, "sccp_method", p->u.fci.sccp_method);
		break;
	case ISUP_PAR_BCI:
		set_int(o, "charge", p->u.bci.charge);
		set_int(o, "called_status", p->u.bci.called_status);
		set_int(o, "called_category", p->u.bci.called_category);
		set_int(o, "e2e_method", p->u.bci.e2e_method);
		set_int(o, "interworking", p->u.bci.interworking);
		set_int(o, "isup", p->u.bci.isup);
		set_int(o, "isdn_access", p->u.bci.isdn_access);
		set_int(o, "echo", p->u.bci.echo);
		break;
	case ISUP_PAR_OFCI:
		set_int(o, "cug", p->u.ofci.cug);
		set_int(o, "segmentation", p->u.ofci.segmentation);
		set_int(o, "clir", p->u.ofci.clir);
		break;
	case ISUP_PAR_OBCI:
		set_int(o, "inband", p->u.obci.inband);
		set_int(o, "diversion", p->u.obci.diversion);
		set_int(o, "segmentation", p->u.obci.segmentation);
		set_int(o, "mlpp", p->u.obci.mlpp);
		break;
	case ISUP_PAR_EVENT_INFO:
		set_int(o, "event", p->u.event.event);
		set_str(o, "event_name", get_value_string(isup_event_names, p->u.event.event));
		set_int(o, "presentation_restricted", p->u.event.pres_restricted);
		break;
	case ISUP_PAR_CAUSE:
		set_int(o, "coding", p->u.cause.coding);
		set_int(o, "location", p->u.cause.location);
		set_int(o, "value", p->u.cause.value);
		set_hex(o, "diagnostics", p->u.cause.diag, p->u.cause.diag_len);
		break;
	case ISUP_PAR_REDIRECTION_INFO:
		set_int(o, "indicator", p->u.redir.indicator);
		set_int(o, "original_reason", p->u.redir.orig_reason);
		set_int(o, "counter", p->u.redir.counter);
		set_int(o, "reason", p->u.redir.reason);
		break;
	case ISUP_PAR_RANGE_STATUS:
		set_int(o, "range", p->u.range_status.range);
		set_hex(o, "status", p->u.range_status.status, p->u.range_status.status_len);
		break;
	case ISUP_PAR_APP_TRANSPORT:
		set_int(o, "aci", p->u.app.aci);
		set_int(o, "sni", p->u.app.sni);
		set_int(o, "rci", p->u.app.rci);
		set_str(o, "si", p->u.app.si ? "new sequence" : "subsequent segment");
		set_int(o, "apm_segments_following", p->u.app.apm_seg);
		if (p->u.app.has_slr)
			set_int(o, "slr", p->u.app.slr);
		set_hex(o, "info", p->u.app.info, p->u.app.info_len);
		break;
	case ISUP_PAR_PCI:
		a = json_array();
		for (i = 0; a && i < p->u.pci.num && i < ISUP_PCI_MAX_ENTRIES; i++) {
			json_t *e = json_object(), *ins = json_array();

			if (!e || !ins) {
				json_decref(e);
				json_decref(ins);
				break;
			}
			set_int(e, "code", p->u.pci.entry[i].code);
			set_str(e, "name", isup_param_name(p->u.pci.entry[i].code));
			for (j = 0; j < p->u.pci.entry[i].num_instr && j < ISUP_PCI_MAX_INSTR; j++)
				json_array_append_new(ins, json_integer(p->u.pci.entry[i].instr[j]));
			json_object_set_new(e, "instructions", ins);
			json_array_append_new(a, e);
		}
		json_object_set_new(o, "entries", a);
		break;
	case ISUP_PAR_MCI:
		a = json_array();
		for (i = 0; a && i < p->u.mci.num_instr && i < ISUP_PCI_MAX_INSTR; i++)
			json_array_append_new(a, json_integer(p->u.mci.instr[i]));
		json_object_set_new(o, "instructions", a);
		break;
	case ISUP_PAR_CALL_REF:
		set_int(o, "call_id", p->u.call_ref.call_id);
		set_int(o, "spc", p->u.call_ref.spc);
		break;
	case ISUP_PAR_INR_IND:
		set_int(o, "cgpn", p->u.inr.cgpn);
		set_int(o, "holding", p->u.inr.holding);
		set_int(o, "cpc", p->u.inr.cpc);
		set_int(o, "charge", p->u.inr.charge);
		set_int(o, "mcid", p->u.inr.mcid);
		set_int(o, "national", p->u.inr.national);
		break;
	case ISUP_PAR_INF_IND:
		set_int(o, "cgpn", p->u.inf.cgpn);
		set_int(o, "hold", p->u.inf.hold);
		set_int(o, "cpc", p->u.inf.cpc);
		set_int(o, "charge", p->u.inf.charge);
		set_int(o, "unsolicited", p->u.inf.unsolicited);
		set_int(o, "national", p->u.inf.national);
		break;
	case ISUP_PAR_CIRCUIT_STATE:
		a = json_array();
		for (i = 0; a && i < p->u.csi.num; i++) {
			json_t *e = json_object();

			if (!e)
				break;
			set_int(e, "maintenance", ISUP_CSI_MAINT(p->u.csi.state[i]));
			set_int(e, "call", ISUP_CSI_CALL(p->u.csi.state[i]));
			set_int(e, "hardware", ISUP_CSI_HW(p->u.csi.state[i]));
			json_array_append_new(a, e);
		}
		json_object_set_new(o, "states", a);
		break;
	default:
		/* CPC, TMR, CGSMT, suspend/resume, hop counter, continuity
		 * indicators, MCID request and response indicators */
		set_int(o, "value", p->u.u8);
		break;
	}
	return o;
}

static json_t *token_json(const struct sigtoken *t)
{
	json_t *o = json_object(), *x;
	char buf[SIGTOKEN_UUID_STR_LEN];

	if (!o)
		return NULL;
	set_int(o, "version", SIGTOKEN_VERSION);
	if (t->has_hop) {
		x = json_object();
		set_int(x, "alg", t->hop.alg);
		set_hex(x, "key_id", t->hop.key_id, KEYID_LEN);
		set_int(x, "iat", t->hop.iat);
		set_hex(x, "sig", t->hop.sig, SIGTOKEN_SIG_LEN);
		json_object_set_new(o, "HOP", x);
	}
	if (t->has_passport) {
		x = json_object();
		buf[0] = t->passport.attest;
		buf[1] = '\0';
		set_str(x, "attest", buf);
		set_int(x, "iat", t->passport.iat);
		sigtoken_uuid_to_str(buf, sizeof(buf), t->passport.origid);
		set_str(x, "origid", buf);
		set_str(x, "x5u", t->passport.x5u);
		set_hex(x, "sig", t->passport.sig, SIGTOKEN_SIG_LEN);
		json_object_set_new(o, "PASSPORT", x);
	}
	if (t->has_verdict) {
		x = json_object();
		set_int(x, "verstat", t->verdict.verstat);
		set_str(x, "verstat_name", get_value_string(sigtoken_verstat_names, t->verdict.verstat));
		set_int(x, "reason", t->verdict.reason);
		json_object_set_new(o, "VERDICT", x);
	}
	if (t->has_bind) {
		x = json_object();
		set_str(x, "network", t->bind.net);
		json_object_set_new(o, "BIND", x);
	}
	if (t->has_orig) {
		x = json_object();
		set_str(x, "digits", t->orig.digits);
		json_object_set_new(o, "ORIG", x);
	}
	if (t->has_div) {
		x = json_object();
		set_int(x, "iat", t->div.iat);
		set_str(x, "div", t->div.div);
		set_str(x, "x5u", t->div.x5u);
		set_hex(x, "sig", t->div.sig, SIGTOKEN_SIG_LEN);
		json_object_set_new(o, "DIV", x);
	}
	return o;
}

struct verify_opts {
	struct stiwf_keys *keys;
	time_t now;
	unsigned int window, skew;
	const char *cc;
};

/* ARCHITECTURE §2.2: time, then key, then signature.  The replay cache lives in
 * the daemon; one run of the tool sees one message. */
static bool hop_check(const struct isup_msg *m, const struct sigtoken *t, const struct verify_opts *vo,
		      const char **reason)
{
	struct sigtoken_call call;
	struct sigtoken_key *key;
	int rc;

	if (!t->has_hop) {
		*reason = "no HOP in the token";
		return false;
	}
	rc = sigtoken_iat_check(t->hop.iat, vo->now, vo->window, vo->skew);
	if (rc == -ETIMEDOUT) {
		*reason = "iat older than the window";
		return false;
	}
	if (rc < 0) {
		*reason = "iat in the future";
		return false;
	}
	key = stiwf_keys_find(vo->keys, t->hop.key_id);
	if (!key) {
		*reason = stiwf_keys_why(vo->keys);
		return false;
	}
	if (sigtoken_call_from_iam(&call, m, vo->cc) < 0) {
		*reason = "numbers cannot be made E.164";
		return false;
	}
	rc = sigtoken_hop_verify(t, key, &call);
	switch (rc) {
	case 0:
		*reason = "signature valid";
		return true;
	case -ENOTSUP:
		*reason = "alg not supported";
		return false;
	case -EBADMSG:
		*reason = "signature does not verify";
		return false;
	default:
		*reason = "verification failed";
		return false;
	}
}

/* What decode --verify needs to find keys and certificates. */
struct verify_env {
	/* TSCA side: --trust, --cert-dir, --crl, --repo, --repo-ca; and
	 * --fetch-permit for both sides */
	struct stiwf_tsca tsca;
	/* SHAKEN side: --passport-trust, --passport-cert, --x5u-ca */
	const char *pp_trust, *pp_cert, *x5u_ca;
	struct truststore *pp_ts;
};

/* The answer of an x5u resolution, verified inside the callback (the key
 * is borrowed there). */
struct x5u_wait {
	bool done;
	const struct passport *pp;
	enum cert_err err;
	char reason[256];
	int verify_rc;
};

static void x5u_resolved(const struct cert_resolve_result *res, void *priv)
{
	struct x5u_wait *w = priv;

	w->done = true;
	w->err = res->err;
	osmo_strlcpy(w->reason, res->reason, sizeof(w->reason));
	if (res->err == CERT_OK)
		w->verify_rc = passport_verify(w->pp, res->pkey);
}

/* Verify a rebuilt PASSporT: its certificate (--passport-cert, or its x5u
 * fetched) against the SHAKEN roots, then the signature and iat.
 * \returns true when valid; *reason says why not */
static bool passport_check(void *ctx, struct verify_env *ve, const struct passport *pp,
			   const struct verify_opts *vo, const char **reason, char *buf, size_t buflen)
{
	STACK_OF(X509) *chain = NULL;
	enum cert_err ce;
	char detail[256];
	int rc;

	if (passport_check_iat(pp, vo->now, vo->window + vo->skew) != 0) {
		*reason = "PASSporT iat outside the window";
		return false;
	}
	if (ve->pp_cert) {
		chain = stiwf_tool_read_chain(ve->pp_cert);
		if (!chain) {
			*reason = "--passport-cert is not a certificate chain";
			return false;
		}
		ce = truststore_verify(ve->pp_ts, chain, vo->now, detail, sizeof(detail));
		if (ce != CERT_OK) {
			snprintf(buf, buflen, "certificate %s: %s", get_value_string(cert_err_names, ce), detail);
			*reason = buf;
			certchain_free(chain);
			return false;
		}
		rc = passport_verify(pp, X509_get0_pubkey(sk_X509_value(chain, 0)));
		certchain_free(chain);
	} else {
		struct cert_domain_cfg dcfg = { .name = "shaken", .shaken_profile = true };
		struct x5u_wait w = { .pp = pp, .err = CERT_ERR_INTERNAL };
		struct fetch_policy pol;
		struct fetcher *f;
		struct cert_cache *cache;
		struct cert_domain *d;

		stiwf_tool_fetch_policy(&pol, &ve->tsca, pp->x5u);
		pol.ca_file = ve->x5u_ca;
		f = fetcher_alloc(ctx, "shaken", &pol);
		cache = cert_cache_alloc(ctx, NULL);
		d = f && cache ? cert_domain_alloc(ctx, &dcfg, f, cache, ve->pp_ts) : NULL;
		if (!d || !cert_resolve_x5u(d, pp->x5u, vo->now, x5u_resolved, &w) ||
		    stiwf_tool_run_until_done(&w.done) < 0) {
			talloc_free(d);
			talloc_free(cache);
			talloc_free(f);
			*reason = "cannot resolve x5u";
			return false;
		}
		talloc_free(d);
		talloc_free(cache);
		talloc_free(f);
		if (w.err != CERT_OK) {
			snprintf(buf, buflen, "x5u %s: %s", get_value_string(cert_err_names, w.err), w.reason);
			*reason = buf;
			return false;
		}
		rc = w.verify_rc;
	}
	if (rc != 0) {
		*reason = "PASSporT signature does not verify";
		return false;
	}
	*reason = "signature valid";
	return true;
}

/* "passport": the PASSporT rebuilt from the PASSPORT TLV and the IAM's
 * numbers (ARCHITECTURE §2.2), verified when --passport-trust is given.
 * \returns false when it was checked and is not valid */
static bool passport_json(void *ctx, json_t *root, struct verify_env *ve, const struct isup_msg *m,
			  const struct sigtoken *t, const struct verify_opts *vo)
{
	json_t *o = json_object();
	struct sigtoken_call call;
	struct passport *pp = NULL;
	const char *reason = NULL;
	char *ident = NULL, buf[320];
	bool ok = true, valid;

	if (!o)
		return false;
	json_object_set_new(root, "passport", o);
	json_object_set_new(o, "present", json_boolean(t->has_passport));
	if (!t->has_passport)
		return true;
	pp = talloc_zero(ctx, struct passport);
	ident = talloc_size(ctx, PASSPORT_TOKEN_MAX + SIGTOKEN_X5U_MAX + 64);
	if (!pp || !ident) {
		ok = false;
		reason = "out of memory";
		goto out;
	}
	if (sigtoken_call_from_iam(&call, m, vo->cc) < 0) {
		ok = false;
		reason = "numbers cannot be made E.164";
		goto out;
	}
	if (e2e_passport_rebuild(pp, &t->passport, call.orig, call.dest) < 0 ||
	    e2e_passport_identity(ident, PASSPORT_TOKEN_MAX + SIGTOKEN_X5U_MAX + 64, pp) < 0) {
		ok = false;
		reason = "cannot rebuild the PASSporT";
		goto out;
	}
	set_str(o, "identity", ident);
	if (!ve->pp_ts) {
		reason = "not verified (no --passport-trust)";
		goto out;
	}
	valid = passport_check(ctx, ve, pp, vo, &reason, buf, sizeof(buf));
	json_object_set_new(o, "valid", json_boolean(valid));
	ok = valid;
out:
	if (!ok && !json_object_get(o, "valid"))
		json_object_set_new(o, "valid", json_false());
	set_str(o, "reason", reason);
	talloc_free(pp);
	talloc_free(ident);
	return ok;
}

static int cmd_decode(void *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "verify", no_argument, NULL, 'v' },
		{ "cert", required_argument, NULL, 'C' },
		{ "trust", required_argument, NULL, 'T' },
		{ "cert-dir", required_argument, NULL, 'D' },
		{ "crl", required_argument, NULL, 'L' },
		{ "repo", required_argument, NULL, 'r' },
		{ "repo-ca", required_argument, NULL, 'A' },
		{ "passport-trust", required_argument, NULL, 'p' },
		{ "passport-cert", required_argument, NULL, 'P' },
		{ "x5u-ca", required_argument, NULL, 'X' },
		{ "fetch-permit", required_argument, NULL, 'F' },
		{ "now", required_argument, NULL, 'n' },
		{ "country-code", required_argument, NULL, 'c' },
		{ "aci", required_argument, NULL, 'a' },
		{ "window", required_argument, NULL, 'w' },
		{ "skew", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct verify_opts vo = { .now = time(NULL), .window = SIGTOKEN_WINDOW_DEFAULT };
	struct stiwf_keys keys = { 0 };
	struct verify_env ve = { 0 };
	const char *cert_path = NULL, *reason = NULL;
	bool verify = false, token_bad = false, hop_ok = false, pp_ok = true;
	uint16_t aci = SIGTOKEN_ACI_DEFAULT;
	struct isup_msg *m;
	struct sigtoken tok;
	json_t *root, *params;
	unsigned long v;
	uint8_t *buf;
	unsigned int i;
	size_t hexlen;
	int opt, rc, len;
	char *s;

	vo.keys = &keys;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			verify = true;
			break;
		case 'C':
			cert_path = optarg;
			break;
		case 'T':
			ve.tsca.trust = optarg;
			break;
		case 'D':
			ve.tsca.cert_dir = optarg;
			break;
		case 'L':
			if (stiwf_tsca_add_crl(&ve.tsca, CMD_DECODE, optarg))
				return EXIT_USAGE;
			break;
		case 'r':
			ve.tsca.repo = optarg;
			break;
		case 'A':
			ve.tsca.repo_ca = optarg;
			break;
		case 'p':
			ve.pp_trust = optarg;
			break;
		case 'P':
			ve.pp_cert = optarg;
			break;
		case 'X':
			ve.x5u_ca = optarg;
			break;
		case 'F':
			if (stiwf_tsca_add_permit(&ve.tsca, CMD_DECODE, optarg))
				return EXIT_USAGE;
			break;
		case 'n':
			if (parse_ulong(optarg, UINT32_MAX, &v) < 0) {
				fprintf(stderr, "stiwf isup decode: bad --now '%s'\n", optarg);
				return EXIT_USAGE;
			}
			vo.now = v;
			break;
		case 'c':
			if (strlen(optarg) < 1 || strlen(optarg) > 3 || strspn(optarg, "0123456789") != strlen(optarg)) {
				fprintf(stderr, "stiwf isup decode: --country-code is 1 to 3 digits\n");
				return EXIT_USAGE;
			}
			vo.cc = optarg;
			break;
		case 'a':
			if (parse_ulong(optarg, SIGTOKEN_ACI_MAX, &v) < 0 || v < SIGTOKEN_ACI_MIN) {
				fprintf(stderr, "stiwf isup decode: bad --aci '%s' (64..127)\n", optarg);
				return EXIT_USAGE;
			}
			aci = v;
			break;
		case 'w':
		case 's':
			if (parse_ulong(optarg, 86400, &v) < 0) {
				fprintf(stderr, "stiwf isup decode: bad --%s '%s' (0..86400)\n",
					opt == 'w' ? "window" : "skew", optarg);
				return EXIT_USAGE;
			}
			if (opt == 'w')
				vo.window = v;
			else
				vo.skew = v;
			break;
		case 'h':
			isup_usage(stdout);
			return 0;
		default:
			isup_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || verify != (cert_path || ve.tsca.trust) || (cert_path && ve.tsca.trust)) {
		fprintf(stderr, "stiwf isup decode: one HEX argument; --verify needs --cert or --trust "
			"(one of them) and the other way round\n");
		return EXIT_USAGE;
	}
	if (!ve.tsca.trust && (ve.tsca.cert_dir || ve.tsca.num_crls || ve.tsca.repo)) {
		fprintf(stderr, "stiwf isup decode: --cert-dir, --crl and --repo go with --trust\n");
		return EXIT_USAGE;
	}
	if ((ve.tsca.repo_ca && !ve.tsca.repo) || ((ve.pp_cert || ve.x5u_ca) && !ve.pp_trust) ||
	    (ve.pp_cert && ve.x5u_ca) || (ve.pp_trust && !verify)) {
		fprintf(stderr, "stiwf isup decode: --repo-ca goes with --repo; --passport-cert or --x5u-ca "
			"(one of them) with --passport-trust, and that with --verify\n");
		return EXIT_USAGE;
	}
	hexlen = strlen(argv[optind]);
	if (hexlen == 0 || hexlen % 2 || hexlen / 2 > 4096) {
		fprintf(stderr, "stiwf isup decode: HEX is an even number of hex digits, at most 4096 octets\n");
		return EXIT_USAGE;
	}
	buf = talloc_size(ctx, hexlen / 2);
	m = talloc_zero(ctx, struct isup_msg);
	if (!buf || !m)
		return EXIT_FAILED;
	len = osmo_hexparse(argv[optind], buf, hexlen / 2);
	if (len != (int)(hexlen / 2)) {
		fprintf(stderr, "stiwf isup decode: HEX is not hex\n");
		return EXIT_USAGE;
	}
	if (cert_path) {
		X509 *x = stiwf_tool_read_cert(cert_path);

		if (!x)
			return EXIT_FAILED;
		keys.single = sigtoken_key_alloc_x509(ctx, x);
		X509_free(x);
		if (!keys.single) {
			fprintf(stderr, "stiwf isup decode: %s: not an ES256 (P-256) certificate\n", cert_path);
			return EXIT_FAILED;
		}
	}
	if (ve.tsca.trust) {
		rc = stiwf_tsca_setup(ctx, &ve.tsca, CMD_DECODE);
		if (rc)
			return rc;
		keys.td = ve.tsca.td;
		keys.at = vo.now;
	}
	if (ve.pp_trust) {
		ve.pp_ts = truststore_alloc(ctx, "shaken", NULL);
		if (!ve.pp_ts || truststore_load_dir(ve.pp_ts, ve.pp_trust) <= 0) {
			fprintf(stderr, "stiwf isup decode: --passport-trust %s: no certificate there\n",
				ve.pp_trust);
			return EXIT_FAILED;
		}
	}

	rc = isup_msg_decode(m, buf, len);
	if (rc < 0) {
		fprintf(stderr, "stiwf isup decode: not an ISUP message this codec handles: %s\n",
			strerror(-rc));
		return EXIT_FAILED;
	}
	if (rc != len)
		fprintf(stderr, "stiwf isup decode: %d octets after the message ignored\n", len - rc);

	root = json_object();
	params = json_array();
	if (!root || !params) {
		json_decref(root);
		json_decref(params);
		return EXIT_FAILED;
	}
	set_str(root, "message_type", isup_msg_type_name(m->type));
	set_int(root, "message_type_code", m->type);
	set_int(root, "cic", m->cic);
	for (i = 0; i < m->num_mand && i < ISUP_MAX_MAND; i++)
		json_array_append_new(params, param_json(&m->mand[i]));
	for (i = 0; i < m->num_opt && i < ISUP_MAX_OPT; i++)
		json_array_append_new(params, param_json(&m->opt[i]));
	json_object_set_new(root, "parameters", params);

	rc = sigtoken_iam_get(&tok, m, aci);
	if (rc == 0) {
		json_object_set_new(root, "token", token_json(&tok));
	} else if (rc != -ENOENT) {
		token_bad = true;
		json_object_set_new(root, "token", json_pack("{s:s}", "error", "malformed token"));
	}
	if (verify) {
		json_t *h = json_object();
		char kid[KEYID_HEX_LEN] = "";

		if (rc == -ENOENT)
			reason = "no token";
		else if (rc < 0)
			reason = "malformed token";
		else
			hop_ok = hop_check(m, &tok, &vo, &reason);
		json_object_set_new(h, "valid", json_boolean(hop_ok));
		set_str(h, "reason", reason);
		if (rc == 0 && tok.has_hop) {
			keyid_to_hex(kid, sizeof(kid), tok.hop.key_id);
			set_str(h, "key_id", kid);
		}
		/* what the TSCA directory said about the signer */
		stiwf_keys_json(h, &keys);
		json_object_set_new(root, "hop", h);
		if (rc == 0)
			pp_ok = passport_json(ctx, root, &ve, m, &tok, &vo);
	}
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!s)
		return EXIT_FAILED;
	printf("%s\n", s);
	free(s);
	if (token_bad || (verify && (!hop_ok || !pp_ok)))
		return EXIT_FAILED;
	return 0;
}

/*! "stiwf isup ...": argv[0] is "isup".
 *  \returns the process exit status (0, 1 failed/invalid, 2 usage) */
int stiwf_cmd_isup(int argc, char **argv)
{
	void *ctx;
	int rc;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		isup_usage(stdout);
		return 0;
	}
	if (argc < 2 || (strcmp(argv[1], "iam") && strcmp(argv[1], "decode"))) {
		isup_usage(stderr);
		return EXIT_USAGE;
	}
	ctx = talloc_named_const(NULL, 0, "stiwf isup");
	if (!ctx)
		return EXIT_FAILED;
	/* the codecs explain what they refuse through DSS7 on stderr */
	if (!strcmp(argv[1], "iam"))
		rc = cmd_iam(ctx, argc - 1, argv + 1);
	else
		rc = cmd_decode(ctx, argc - 1, argv + 1);
	talloc_free(ctx);
	return rc;
}
