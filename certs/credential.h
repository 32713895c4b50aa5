/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file credential.h
 *  A signing credential (ARCHITECTURE §3: one per trust domain): private key,
 *  certificate chain (leaf first) and, for SHAKEN, the x5u URL where the
 *  chain is published.  Loaded once; the key stays in memory as an
 *  EVP_PKEY owned by the talloc object. */

#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "certs/keyid.h"

/*! Most certificates accepted in a chain file. */
#define CREDENTIAL_MAX_CHAIN 8
/*! Longest x5u (ARCHITECTURE §2.2 carries it with a one-octet length, <= 200). */
#define CREDENTIAL_X5U_MAXLEN 200

struct credential {
	EVP_PKEY *key;		/*!< private key; freed with the credential */
	STACK_OF(X509) *chain;	/*!< leaf first, then intermediates */
	X509 *leaf;		/*!< == first of chain */
	char *x5u;		/*!< NULL when none was given */
	uint8_t keyid[KEYID_LEN];	/*!< key-id of the leaf (ARCHITECTURE §2.2) */
	char keyid_hex[KEYID_HEX_LEN];
};

/*! Load an unencrypted PEM private key alone (for tools that sign without
 *  a chain), with the same refusal of files open to group or others.
 *  \param[out] out the key, to be freed with EVP_PKEY_free()
 *  \returns 0, -EPERM (file mode), -EBADMSG (no key), -errno (open) */
int credential_key_load(const char *path, EVP_PKEY **out);

int credential_load(void *ctx, struct credential **out, const char *key_path,
		    const char *chain_path, const char *x5u);
