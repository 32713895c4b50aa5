/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stiwf cert: look at certificates with stiwf's own eyes.
 *   stiwf cert inspect [--at EPOCH] FILE
 * prints what the verifier sees (names, serial, validity, key-id,
 * TNAuthList, policies) and each ATIS-1000080 profile check. */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <osmocom/core/talloc.h>

#include "certs/keyid.h"
#include "certs/profile.h"
#include "certs/tnauthlist.h"
#include "src/core/logging.h"

#define EXIT_FAILED 1
#define EXIT_USAGE 2

int stiwf_cmd_cert(int argc, char **argv);

static void cert_usage(FILE *out)
{
	fprintf(out,
		"Usage: stiwf cert inspect [--at EPOCH] FILE\n"
		"Print the subject, issuer, serial, validity, key-id, TNAuthList entries and\n"
		"certificate policies of the first certificate in FILE (PEM or DER), and the\n"
		"verdict of each ATIS-1000080 profile check.\n"
		"  --at EPOCH   check validity at this time (seconds since 1970) instead of now\n"
		"Exit status: 0 when every check passes, 1 when one fails or FILE cannot be\n"
		"read, 2 on a usage error.\n");
}

/* PEM first, then DER. */
static X509 *read_cert(const char *path)
{
	X509 *x = NULL;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "stiwf cert: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	x = PEM_read_X509(f, NULL, NULL, NULL);
	if (!x) {
		rewind(f);
		x = d2i_X509_fp(f, NULL);
	}
	fclose(f);
	ERR_clear_error();
	if (!x)
		fprintf(stderr, "stiwf cert: %s: no PEM or DER certificate\n", path);
	return x;
}

static void print_name(BIO *out, const char *label, const X509_NAME *name)
{
	BIO_printf(out, "%-12s ", label);
	/* ONELINE escapes control characters: names come from strangers */
	X509_NAME_print_ex(out, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
	BIO_printf(out, "\n");
}

static void print_time(BIO *out, const char *label, const ASN1_TIME *t)
{
	BIO_printf(out, "%-12s ", label);
	ASN1_TIME_print(out, t);
	BIO_printf(out, "\n");
}

static void print_serial(BIO *out, X509 *x)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;

	BIO_printf(out, "%-12s %s\n", "serial:", hex ? hex : "?");
	OPENSSL_free(hex);
	BN_free(bn);
}

static void print_policies(BIO *out, X509 *x)
{
	CERTIFICATEPOLICIES *cp = X509_get_ext_d2i(x, NID_certificate_policies, NULL, NULL);
	char oid[128];
	int i;

	BIO_printf(out, "%-12s", "policies:");
	if (!cp)
		BIO_printf(out, " (none)");
	for (i = 0; cp && i < sk_POLICYINFO_num(cp); i++) {
		OBJ_obj2txt(oid, sizeof(oid), sk_POLICYINFO_value(cp, i)->policyid, 1);
		BIO_printf(out, " %s", oid);
	}
	BIO_printf(out, "\n");
	CERTIFICATEPOLICIES_free(cp);
}

static void print_tnauthlist(BIO *out, void *ctx, X509 *x)
{
	struct tnauthlist *l = NULL;
	char txt[128];
	unsigned int i;
	int rc = tnauthlist_from_x509(ctx, &l, x);

	if (rc == -ENOENT) {
		BIO_printf(out, "%-12s (absent)\n", "tnauthlist:");
		return;
	}
	if (rc < 0) {
		BIO_printf(out, "%-12s (malformed)\n", "tnauthlist:");
		return;
	}
	for (i = 0; i < l->num_entries; i++) {
		tnauthlist_entry_to_str(txt, sizeof(txt), &l->entries[i]);
		BIO_printf(out, "%-12s %s\n", i ? "" : "tnauthlist:", txt);
	}
	talloc_free(l);
}

static int parse_epoch(const char *s, time_t *t)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return -EINVAL;
	*t = (time_t)v;
	return 0;
}

static int cert_inspect(void *ctx, const char *path, time_t now)
{
	struct profile_result res;
	uint8_t kid[KEYID_LEN];
	char kid_hex[KEYID_HEX_LEN] = "?";
	BIO *out;
	X509 *x;
	int i, failed;

	x = read_cert(path);
	if (!x)
		return EXIT_FAILED;
	out = BIO_new_fp(stdout, BIO_NOCLOSE);
	if (!out) {
		X509_free(x);
		return EXIT_FAILED;
	}
	if (keyid_from_x509(kid, x) == 0)
		keyid_to_hex(kid_hex, sizeof(kid_hex), kid);

	print_name(out, "subject:", X509_get_subject_name(x));
	print_name(out, "issuer:", X509_get_issuer_name(x));
	print_serial(out, x);
	print_time(out, "not-before:", X509_get0_notBefore(x));
	print_time(out, "not-after:", X509_get0_notAfter(x));
	BIO_printf(out, "%-12s %s\n", "key-id:", kid_hex);
	print_tnauthlist(out, ctx, x);
	print_policies(out, x);

	failed = profile_check_leaf(&res, x, now);
	BIO_printf(out, "profile checks (ATIS-1000080 §6.4.1):\n");
	for (i = 0; i < _NUM_PROFILE_CHK; i++) {
		BIO_printf(out, "  %-4s %-18s %s", get_value_string(profile_verdict_names, res.verdict[i]),
			   get_value_string(profile_check_names, i), res.detail[i]);
		if (res.verdict[i] == PROFILE_FAIL)
			BIO_printf(out, " -> SIP %u", profile_check_descs[i].sip_code);
		BIO_printf(out, "\n");
	}
	BIO_printf(out, "result:      %s\n", failed ? "FAIL" : "pass");
	BIO_free(out);
	X509_free(x);
	return failed ? EXIT_FAILED : 0;
}

/*! "stiwf cert ...": argv[0] is "cert".
 *  \returns the process exit status: 0 all checks pass, 1 a check failed or
 *           the file could not be read, 2 usage error */
int stiwf_cmd_cert(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	time_t now = time(NULL);
	void *ctx;
	int opt, rc;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		cert_usage(stdout);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "inspect")) {
		cert_usage(stderr);
		return EXIT_USAGE;
	}
	argc--;
	argv++;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+a:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			if (parse_epoch(optarg, &now) < 0) {
				fprintf(stderr, "stiwf cert: bad --at '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			cert_usage(stdout);
			return 0;
		default:
			cert_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		cert_usage(stderr);
		return EXIT_USAGE;
	}
	ctx = talloc_named_const(NULL, 0, "stiwf cert");
	if (!ctx)
		return EXIT_FAILED;
	/* certs/ explains decoding problems through DCERT on stderr */
	rc = cert_inspect(ctx, argv[optind], now);
	talloc_free(ctx);
	return rc;
}
