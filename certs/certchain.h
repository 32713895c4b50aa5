/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file certchain.h
 *  Parse a certificate chain as served at an x5u or a repository URL
 *  (RFC 8224 §7.2, ATIS-1000080: application/pem-certificate-chain): PEM
 *  certificates, leaf first, each issued by the next.  A single DER
 *  certificate (application/pkix-cert) is accepted too. */

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

/*! Most certificates accepted in one chain. */
#define CERTCHAIN_MAX_CERTS	8
/*! Largest input accepted (matches the fetcher's default body cap). */
#define CERTCHAIN_MAX_LEN	(64 * 1024)

int certchain_parse(STACK_OF(X509) **out, const uint8_t *buf, size_t len, char *why, size_t why_len);
void certchain_free(STACK_OF(X509) *chain);
size_t certchain_der_size(const STACK_OF(X509) *chain);
