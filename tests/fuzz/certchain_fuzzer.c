/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz certs/certchain.c: a fetched certificate chain (PEM, or one DER
 * certificate), as served at an x5u (RFC 8224 §7.2). */

#include <stdint.h>
#include <stdlib.h>

#include <openssl/err.h>

#include "certs/certchain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	STACK_OF(X509) *sk = NULL;
	char why[128];
	int rc, i;

	rc = certchain_parse(&sk, data, size, why, sizeof(why));
	if (rc < 0) {
		if (sk || !why[0])
			abort();
		return 0;
	}
	if (!sk || sk_X509_num(sk) < 1 || sk_X509_num(sk) > CERTCHAIN_MAX_CERTS)
		abort();
	for (i = 0; i < sk_X509_num(sk); i++) {
		if (!sk_X509_value(sk, i))
			abort();
	}
	certchain_der_size(sk);
	certchain_free(sk);
	ERR_clear_error();
	return 0;
}
