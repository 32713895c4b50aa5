/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file keyid.h
 *  Key identifiers (ARCHITECTURE §2.2): the first 8 octets of SHA-256 over the
 *  DER SubjectPublicKeyInfo of the signer's certificate (RFC 5280 §4.1). */

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#define KEYID_LEN 8
/*! Hex form plus NUL. */
#define KEYID_HEX_LEN (2 * KEYID_LEN + 1)

/*! Octets of the full SHA-256 of a SubjectPublicKeyInfo. */
#define KEYID_SPKI_LEN 32

int keyid_from_x509(uint8_t out[KEYID_LEN], const X509 *cert);
int keyid_spki_sha256(uint8_t out[KEYID_SPKI_LEN], const X509 *cert);
int keyid_from_pkey(uint8_t out[KEYID_LEN], const EVP_PKEY *pkey);
int keyid_to_hex(char *buf, size_t len, const uint8_t id[KEYID_LEN]);
int keyid_from_hex(uint8_t out[KEYID_LEN], const char *hex);
