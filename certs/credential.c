/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signing credentials: key + chain (+ x5u), checked once at load time.
 * The key file must be private to its owner (as OpenSSH insists for its
 * keys), and the key must be the one the leaf certificate names. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <osmocom/core/talloc.h>

#include "certs/credential.h"
#include "src/core/logging.h"

static int credential_destructor(struct credential *cred)
{
	EVP_PKEY_free(cred->key);
	sk_X509_pop_free(cred->chain, X509_free);
	return 0;
}

/* Never prompt for a passphrase: a daemon has no terminal. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	return -1;
}

/* Open path read-only; refuse anything but a regular file. */
static FILE *open_regular(const char *path, struct stat *st, int *rc)
{
	FILE *f;
	int fd;

	fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		*rc = -errno;
		LOGP(DCERT, LOGL_ERROR, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	/* fstat the open file, not the name: no window to swap it */
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		LOGP(DCERT, LOGL_ERROR, "%s: not a regular file\n", path);
		close(fd);
		*rc = -EINVAL;
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		*rc = -errno;
		close(fd);
		return NULL;
	}
	return f;
}

int credential_key_load(const char *path, EVP_PKEY **out)
{
	struct stat st;
	FILE *f;
	int rc = 0;

	*out = NULL;

	f = open_regular(path, &st, &rc);
	if (!f)
		return rc;
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		LOGP(DCERT, LOGL_ERROR,
		     "private key file %s has mode %04o: group or others may access it; "
		     "refusing it (chmod 600)\n", path, (unsigned int)(st.st_mode & 07777));
		rc = -EPERM;
		goto out;
	}
	*out = PEM_read_PrivateKey(f, NULL, no_passphrase, NULL);
	if (!*out) {
		/* the OpenSSL error queue may quote the file; say only what failed */
		ERR_clear_error();
		LOGP(DCERT, LOGL_ERROR, "private key file %s: no unencrypted PEM private key\n", path);
		rc = -EBADMSG;
	}
out:
	fclose(f);
	return rc;
}

static int load_key(struct credential *cred, const char *path)
{
	return credential_key_load(path, &cred->key);
}

static int load_chain(struct credential *cred, const char *path)
{
	struct stat st;
	X509 *x;
	FILE *f;
	int rc = 0, i, n;

	f = open_regular(path, &st, &rc);
	if (!f)
		return rc;
	cred->chain = sk_X509_new_null();
	if (!cred->chain) {
		rc = -ENOMEM;
		goto out;
	}
	while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL) {
		if (sk_X509_num(cred->chain) >= CREDENTIAL_MAX_CHAIN) {
			X509_free(x);
			LOGP(DCERT, LOGL_ERROR, "%s: more than %d certificates\n", path, CREDENTIAL_MAX_CHAIN);
			rc = -E2BIG;
			goto out;
		}
		if (!sk_X509_push(cred->chain, x)) {
			X509_free(x);
			rc = -ENOMEM;
			goto out;
		}
	}
	/* PEM_read_X509 ends with "no start line" at EOF; anything else is an error */
	if (ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE || sk_X509_num(cred->chain) == 0) {
		LOGP(DCERT, LOGL_ERROR, "%s: bad PEM certificate #%d\n", path, sk_X509_num(cred->chain) + 1);
		rc = -EBADMSG;
		goto out;
	}
	ERR_clear_error();
	/* leaf first, each certificate issued by the next (RFC 8446 §4.4.2
	 * order, as an x5u chain is served) */
	n = sk_X509_num(cred->chain);
	for (i = 0; i + 1 < n; i++) {
		if (X509_check_issued(sk_X509_value(cred->chain, i + 1), sk_X509_value(cred->chain, i)) !=
		    X509_V_OK) {
			LOGP(DCERT, LOGL_ERROR, "%s: certificate #%d is not issued by #%d\n", path, i + 1, i + 2);
			rc = -EBADMSG;
			goto out;
		}
	}
	cred->leaf = sk_X509_value(cred->chain, 0);
out:
	ERR_clear_error();
	fclose(f);
	return rc;
}

/* A URL we can put in a PASSporT header and in the HOP TLV: printable
 * ASCII, no spaces or quotes, <= CREDENTIAL_X5U_MAXLEN. */
static int x5u_check(const char *x5u)
{
	size_t i, n = strnlen(x5u, CREDENTIAL_X5U_MAXLEN + 1);

	if (n == 0 || n > CREDENTIAL_X5U_MAXLEN)
		return -EINVAL;
	if (strncmp(x5u, "https://", 8) && strncmp(x5u, "http://", 7))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (x5u[i] <= 0x20 || x5u[i] >= 0x7f || x5u[i] == '"' || x5u[i] == '\\')
			return -EINVAL;
	}
	return 0;
}

/*! Load a signing credential.
 *  \param[in] ctx talloc context
 *  \param[out] out the credential on success, else NULL
 *  \param[in] key_path PEM private key, unencrypted, mode 0600 or stricter
 *  \param[in] chain_path PEM certificates, leaf first
 *  \param[in] x5u URL where the chain is published, or NULL
 *  \returns 0; -EPERM when the key file is open to group or others;
 *           -EKEYREJECTED when the key is not the leaf's; -EBADMSG for bad
 *           PEM or a broken chain; -EINVAL for a bad x5u; other -errno */
int credential_load(void *ctx, struct credential **out, const char *key_path,
		    const char *chain_path, const char *x5u)
{
	struct credential *cred;
	int rc;

	*out = NULL;
	if (x5u && x5u_check(x5u) < 0) {
		LOGP(DCERT, LOGL_ERROR, "x5u: not an http(s) URL of at most %d printable characters\n",
		     CREDENTIAL_X5U_MAXLEN);
		return -EINVAL;
	}
	cred = talloc_zero(ctx, struct credential);
	if (!cred)
		return -ENOMEM;
	talloc_set_destructor(cred, credential_destructor);

	rc = load_key(cred, key_path);
	if (rc < 0)
		goto out;
	rc = load_chain(cred, chain_path);
	if (rc < 0)
		goto out;
	if (EVP_PKEY_eq(X509_get0_pubkey(cred->leaf), cred->key) != 1) {
		LOGP(DCERT, LOGL_ERROR, "private key %s does not match the certificate in %s\n",
		     key_path, chain_path);
		rc = -EKEYREJECTED;
		goto out;
	}
	rc = keyid_from_x509(cred->keyid, cred->leaf);
	if (rc < 0)
		goto out;
	keyid_to_hex(cred->keyid_hex, sizeof(cred->keyid_hex), cred->keyid);
	if (x5u) {
		cred->x5u = talloc_strdup(cred, x5u);
		if (!cred->x5u) {
			rc = -ENOMEM;
			goto out;
		}
	}
	LOGP(DCERT, LOGL_INFO, "credential %s loaded, key-id %s\n", chain_path, cred->keyid_hex);
	*out = cred;
	return 0;
out:
	talloc_free(cred);
	return rc;
}
