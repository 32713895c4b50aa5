/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Key identifiers: SHA-256 over the SubjectPublicKeyInfo DER, first 8 octets
 * (ARCHITECTURE §2.2). */

#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "certs/keyid.h"
#include "src/core/bytebuf.h"

/* SHA-256 of a DER blob, first KEYID_LEN octets. */
static int keyid_digest(uint8_t out[KEYID_LEN], const unsigned char *der, int der_len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;

	if (!EVP_Digest(der, (size_t)der_len, md, &md_len, EVP_sha256(), NULL) || md_len < KEYID_LEN)
		return -EIO;
	memcpy(out, md, KEYID_LEN);
	return 0;
}

/*! Key-id of a certificate's public key.
 *  \param[out] out KEYID_LEN octets
 *  \param[in] cert the certificate
 *  \returns 0, -EINVAL when it has no public key, -ENOMEM, -EIO */
int keyid_from_x509(uint8_t out[KEYID_LEN], const X509 *cert)
{
	X509_PUBKEY *pub = X509_get_X509_PUBKEY(cert);
	unsigned char *der = NULL;
	int len, rc;

	memset(out, 0, KEYID_LEN);
	if (!pub)
		return -EINVAL;
	/* i2d_X509_PUBKEY: the SubjectPublicKeyInfo exactly as in the certificate */
	len = i2d_X509_PUBKEY(pub, &der);
	if (len <= 0)
		return -ENOMEM;
	rc = keyid_digest(out, der, len);
	OPENSSL_free(der);
	return rc;
}

/*! The full SHA-256 over a certificate's SubjectPublicKeyInfo DER, of
 *  which the key-id is the first KEYID_LEN octets: what the domain map
 *  pins (certs/map.h spki-sha256), as 8 octets are too few to bind an
 *  operator's authority to a key.
 *  \param[out] out KEYID_SPKI_LEN octets
 *  \returns 0, -EINVAL when it has no public key, -ENOMEM, -EIO */
int keyid_spki_sha256(uint8_t out[KEYID_SPKI_LEN], const X509 *cert)
{
	X509_PUBKEY *pub = X509_get_X509_PUBKEY(cert);
	unsigned char *der = NULL;
	unsigned int md_len = 0;
	int len, rc = 0;

	memset(out, 0, KEYID_SPKI_LEN);
	if (!pub)
		return -EINVAL;
	len = i2d_X509_PUBKEY(pub, &der);
	if (len <= 0)
		return -ENOMEM;
	if (!EVP_Digest(der, (size_t)len, out, &md_len, EVP_sha256(), NULL) || md_len != KEYID_SPKI_LEN) {
		memset(out, 0, KEYID_SPKI_LEN);
		rc = -EIO;
	}
	OPENSSL_free(der);
	return rc;
}

/*! Key-id of a public (or private) key: the same value as keyid_from_x509()
 *  on a certificate that holds this key.
 *  \returns 0, -ENOMEM, -EIO */
int keyid_from_pkey(uint8_t out[KEYID_LEN], const EVP_PKEY *pkey)
{
	unsigned char *der = NULL;
	int len, rc;

	memset(out, 0, KEYID_LEN);
	len = i2d_PUBKEY(pkey, &der);
	if (len <= 0)
		return -ENOMEM;
	rc = keyid_digest(out, der, len);
	OPENSSL_free(der);
	return rc;
}

/*! Lower-case hex of a key-id.
 *  \param[out] buf at least KEYID_HEX_LEN octets
 *  \returns 0 or -ENOSPC */
int keyid_to_hex(char *buf, size_t len, const uint8_t id[KEYID_LEN])
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	if (len < KEYID_HEX_LEN)
		return -ENOSPC;
	for (i = 0; i < KEYID_LEN; i++) {
		buf[2 * i] = hex[id[i] >> 4];
		buf[2 * i + 1] = hex[id[i] & 0xf];
	}
	buf[2 * KEYID_LEN] = '\0';
	return 0;
}

/*! Parse exactly 16 hex digits (either case) into a key-id.
 *  \returns 0 or -EINVAL (then \a out is all zero) */
int keyid_from_hex(uint8_t out[KEYID_LEN], const char *hex)
{
	struct bytebuf_wr w;

	memset(out, 0, KEYID_LEN);
	if (strnlen(hex, KEYID_HEX_LEN) != KEYID_HEX_LEN - 1)
		return -EINVAL;
	bytebuf_wr_init(&w, out, KEYID_LEN);
	if (bytebuf_put_hex(&w, hex, KEYID_HEX_LEN - 1) < 0)
		return -EINVAL;
	return 0;
}
