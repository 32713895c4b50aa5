/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz the CRL parser of certs/truststore.c as a distribution point or a
 * CRL file delivers it (PEM or DER, RFC 5280 §5), and the store behind it:
 * the bytes go through truststore_add_crl_buf() against an issuer whose
 * key signed none of them (refused), and a CRL that parses is signed
 * again with the harness's own issuer key and must then be accepted. */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "certs/truststore.h"
#include "src/core/logging.h"

static EVP_PKEY *key;
static X509 *issuer;

/* A throw-away CA made at start: no key or certificate in the tree. */
static void make_issuer(void)
{
	X509_NAME *n;

	key = EVP_EC_gen("P-256");
	issuer = X509_new();
	n = X509_NAME_new();
	if (!key || !issuer || !n ||
	    !X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"crl fuzz CA", -1, -1, 0) ||
	    !X509_set_version(issuer, 2) || !ASN1_INTEGER_set(X509_get_serialNumber(issuer), 1) ||
	    !X509_set_subject_name(issuer, n) || !X509_set_issuer_name(issuer, n) ||
	    !X509_gmtime_adj(X509_getm_notBefore(issuer), 0) ||
	    !X509_gmtime_adj(X509_getm_notAfter(issuer), 86400) || !X509_set_pubkey(issuer, key) ||
	    !X509_sign(issuer, key, EVP_sha256()))
		abort();
	X509_NAME_free(n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct truststore *ts;
	X509_CRL *crl;
	char why[128];
	int rc;

	if (!ready) {
		log_init(&stiwf_log_info, NULL);
		make_issuer();
		ready = true;
	}
	ts = truststore_alloc(NULL, "fuzz", NULL);
	if (!ts)
		abort();
	/* no input is signed by this issuer's fresh key */
	rc = truststore_add_crl_buf(ts, data, size, issuer, why, sizeof(why));
	if (rc == 0)
		abort();
	crl = truststore_crl_parse(data, size);
	if (crl) {
		truststore_crl_next_update(crl);
		truststore_crl_due(ts, crl, 1700000000);
		/* the same CRL from our issuer: accepted, and known after */
		if (X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer)) &&
		    X509_CRL_sign(crl, key, EVP_sha256()) > 0) {
			rc = truststore_add_crl_checked(ts, crl, issuer, why, sizeof(why));
			if (rc != 0 && rc != -ENOSPC)
				abort();
			if (rc == 0 && truststore_stats(ts)->crls != 1)
				abort();
			/* the same one again changes nothing */
			if (rc == 0 && truststore_add_crl_checked(ts, crl, issuer, why, sizeof(why)) != 0)
				abort();
		}
		X509_CRL_free(crl);
	}
	talloc_free(ts);
	ERR_clear_error();
	return 0;
}
