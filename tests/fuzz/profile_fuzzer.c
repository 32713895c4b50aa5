/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz certs/profile.c: the ATIS-1000080 end-entity checks on a
 * certificate as a peer serves it (one DER certificate: the leaf of an x5u
 * chain or of a TSCA repository chain).  Every check gives a verdict and a
 * NUL-terminated detail, and the result counts the failures. */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <osmocom/core/logging.h>

#include "certs/profile.h"
#include "src/core/logging.h"

static void check(X509 *cert, time_t now)
{
	struct profile_result res;
	int failed, n = 0, i;

	failed = profile_check_leaf(&res, cert, now);
	for (i = 0; i < _NUM_PROFILE_CHK; i++) {
		if (res.verdict[i] != PROFILE_PASS && res.verdict[i] != PROFILE_FAIL)
			abort();
		if (!memchr(res.detail[i], '\0', sizeof(res.detail[i])))
			abort();
		if (res.verdict[i] == PROFILE_FAIL)
			n++;
	}
	if (failed != n)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool logging_ready;
	const unsigned char *p = data;
	X509 *cert;

	if (!logging_ready) {
		/* categories, no targets: LOGP costs nothing */
		log_init(&stiwf_log_info, NULL);
		logging_ready = true;
	}
	if (size > 16384)
		return 0;
	cert = d2i_X509(NULL, &p, (long)size);
	if (!cert) {
		ERR_clear_error();
		return 0;
	}
	/* a time inside the test PKI's validity, the epoch, and the far
	 * future: every branch of the time checks */
	check(cert, 1700000000);
	check(cert, 0);
	check(cert, (time_t)253402300799);	/* 9999-12-31T23:59:59Z */
	X509_free(cert);
	ERR_clear_error();
	return 0;
}
