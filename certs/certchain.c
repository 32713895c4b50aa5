/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Certificate chain parser for fetched chains (RFC 8224 §7.2). */

#define _GNU_SOURCE

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "certs/certchain.h"

/*! Free a chain from certchain_parse() (NULL is fine). */
void certchain_free(STACK_OF(X509) *chain)
{
	sk_X509_pop_free(chain, X509_free);
}

static int parse_der(STACK_OF(X509) *sk, const uint8_t *buf, size_t len, char *why, size_t why_len)
{
	const unsigned char *p = buf;
	X509 *x;

	if (len > LONG_MAX)
		return -EBADMSG;
	x = d2i_X509(NULL, &p, (long)len);
	if (!x) {
		snprintf(why, why_len, "neither PEM nor a DER certificate");
		return -EBADMSG;
	}
	if (p != buf + len) {
		X509_free(x);
		snprintf(why, why_len, "%zu octets after the DER certificate", (size_t)(buf + len - p));
		return -EBADMSG;
	}
	if (!sk_X509_push(sk, x)) {
		X509_free(x);
		return -ENOMEM;
	}
	return 0;
}

static int parse_pem(STACK_OF(X509) *sk, const uint8_t *buf, size_t len, char *why, size_t why_len)
{
	BIO *bio;
	X509 *x;
	unsigned long e;
	int rc = 0;

	bio = BIO_new_mem_buf(buf, (int)len);
	if (!bio)
		return -ENOMEM;
	for (;;) {
		ERR_clear_error();
		x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		if (!x) {
			e = ERR_peek_last_error();
			/* the normal end: no further BEGIN line */
			if (ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE &&
			    sk_X509_num(sk) > 0)
				break;
			snprintf(why, why_len, "bad PEM certificate #%d", sk_X509_num(sk) + 1);
			rc = -EBADMSG;
			break;
		}
		if (sk_X509_num(sk) >= CERTCHAIN_MAX_CERTS) {
			X509_free(x);
			snprintf(why, why_len, "more than %d certificates", CERTCHAIN_MAX_CERTS);
			rc = -E2BIG;
			break;
		}
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			rc = -ENOMEM;
			break;
		}
	}
	ERR_clear_error();
	BIO_free(bio);
	return rc;
}

/*! Parse a chain, leaf first, each certificate issued by the next
 *  (RFC 8224 §7.2; the trust anchor may be left out).
 *  \param[out] out the chain (free with certchain_free()); NULL on error
 *  \param[in] buf PEM certificates, or one DER certificate
 *  \param[in] len length of buf
 *  \param[out] why reason of a failure, for the log
 *  \param[in] why_len size of why
 *  \returns 0, -EBADMSG (not a chain, out of order), -E2BIG (too long or
 *           too many certificates), -ENOMEM */
int certchain_parse(STACK_OF(X509) **out, const uint8_t *buf, size_t len, char *why, size_t why_len)
{
	static const char begin[] = "-----BEGIN ";
	STACK_OF(X509) *sk;
	int rc, i;

	*out = NULL;
	if (why_len)
		why[0] = '\0';
	if (!buf || len == 0) {
		snprintf(why, why_len, "empty body");
		return -EBADMSG;
	}
	if (len > CERTCHAIN_MAX_LEN) {
		snprintf(why, why_len, "%zu octets, more than %d", len, CERTCHAIN_MAX_LEN);
		return -E2BIG;
	}
	sk = sk_X509_new_null();
	if (!sk)
		return -ENOMEM;
	/* PEM when a BEGIN line is near the start (leading white space allowed) */
	if (memmem(buf, len < 256 ? len : 256, begin, sizeof(begin) - 1))
		rc = parse_pem(sk, buf, len, why, why_len);
	else
		rc = parse_der(sk, buf, len, why, why_len);
	if (rc < 0)
		goto err;
	for (i = 0; i + 1 < sk_X509_num(sk); i++) {
		if (X509_check_issued(sk_X509_value(sk, i + 1), sk_X509_value(sk, i)) != X509_V_OK) {
			snprintf(why, why_len, "certificate #%d is not issued by #%d", i + 1, i + 2);
			rc = -EBADMSG;
			goto err;
		}
	}
	*out = sk;
	return 0;
err:
	if (rc == -ENOMEM)
		snprintf(why, why_len, "out of memory");
	certchain_free(sk);
	ERR_clear_error();
	return rc;
}

/*! \returns the DER size of all certificates of chain (for cache accounting) */
size_t certchain_der_size(const STACK_OF(X509) *chain)
{
	size_t sum = 0;
	int i, n;

	for (i = 0; i < sk_X509_num(chain); i++) {
		n = i2d_X509(sk_X509_value(chain, i), NULL);
		if (n > 0)
			sum += (size_t)n;
	}
	return sum;
}
