/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SIP over TLS: Sofia-SIP's credential directory, the TLS 1.2 floor and
 * the certificate pins of TLS peers (see sip_tls.h). */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/conf.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/credential.h"
#include "sip/sip_tls.h"
#include "src/core/logging.h"

/* Most certificates taken from a certificate or CA file */
#define SIP_TLS_MAX_CERTS	64

/* Read every PEM certificate of path and write it to out.
 * \returns the number written or -errno */
static int copy_certs(FILE *out, const char *path)
{
	FILE *in;
	X509 *x;
	int n = 0, rc;

	in = fopen(path, "r");
	if (!in) {
		rc = -errno;
		LOGP(DSIP, LOGL_ERROR, "TLS: %s: %s\n", path, strerror(errno));
		return rc;
	}
	while ((x = PEM_read_X509(in, NULL, NULL, NULL)) != NULL) {
		if (n >= SIP_TLS_MAX_CERTS) {
			X509_free(x);
			LOGP(DSIP, LOGL_ERROR, "TLS: %s: more than %d certificates\n", path, SIP_TLS_MAX_CERTS);
			rc = -E2BIG;
			goto out;
		}
		rc = PEM_write_X509(out, x);
		X509_free(x);
		if (rc != 1) {
			rc = -EIO;
			goto out;
		}
		n++;
	}
	/* PEM_read_X509 ends with "no start line" at the end of the file */
	if (ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE || n == 0) {
		LOGP(DSIP, LOGL_ERROR, "TLS: %s: bad PEM certificate #%d\n", path, n + 1);
		rc = -EBADMSG;
		goto out;
	}
	rc = n;
out:
	ERR_clear_error();
	fclose(in);
	return rc;
}

static FILE *create_private(const char *dir, const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return NULL;
	return fdopen(fd, "w");
}

/* systemd's RuntimeDirectory= (private to the service), else TMPDIR */
static const char *private_base(char *buf, size_t len)
{
	const char *rt = getenv("RUNTIME_DIRECTORY");
	const char *tmp = getenv("TMPDIR");

	if (rt && rt[0] == '/') {
		/* several directories are separated by ':' */
		snprintf(buf, len, "%.*s", (int)strcspn(rt, ":"), rt);
		return buf;
	}
	return tmp && tmp[0] == '/' ? tmp : "/tmp";
}

void sip_tls_dir_remove(const char *dir)
{
	char path[PATH_MAX];

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/agent.pem", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/cafile.pem", dir);
	unlink(path);
	rmdir(dir);
}

int sip_tls_dir_make(void *ctx, const char *cert_path, const char *key_path, const char *ca_path,
		     char **dir_out)
{
	char base[PATH_MAX / 2], tmpl[PATH_MAX];
	EVP_PKEY *key = NULL;
	FILE *f = NULL;
	char *dir = NULL;
	int rc;

	*dir_out = NULL;
	/* the same rule as every private key stiwfd loads: 0600 or less */
	rc = credential_key_load(key_path, &key);
	if (rc < 0) {
		LOGP(DSIP, LOGL_ERROR, "TLS: cannot use the private key %s\n", key_path);
		return rc;
	}
	snprintf(tmpl, sizeof(tmpl), "%s/stiwfd-tls.XXXXXX", private_base(base, sizeof(base)));
	if (!mkdtemp(tmpl)) {
		rc = -errno;
		LOGP(DSIP, LOGL_ERROR, "TLS: cannot make a private directory %s: %s\n", tmpl, strerror(errno));
		goto out;
	}
	dir = talloc_strdup(ctx, tmpl);
	if (!dir) {
		rc = -ENOMEM;
		rmdir(tmpl);
		goto out;
	}

	/* Sofia reads key and certificate from this one file */
	f = create_private(dir, "agent.pem");
	if (!f || PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) != 1) {
		rc = -EIO;
		goto out_dir;
	}
	rc = copy_certs(f, cert_path);
	if (rc < 0)
		goto out_dir;
	if (fclose(f) != 0) {
		f = NULL;
		rc = -EIO;
		goto out_dir;
	}
	f = create_private(dir, "cafile.pem");
	if (!f) {
		rc = -EIO;
		goto out_dir;
	}
	rc = copy_certs(f, ca_path);
	if (rc < 0)
		goto out_dir;
	if (fclose(f) != 0) {
		f = NULL;
		rc = -EIO;
		goto out_dir;
	}
	f = NULL;
	*dir_out = dir;
	rc = 0;
	goto out;

out_dir:
	if (f)
		fclose(f);
	if (rc == -EIO)
		LOGP(DSIP, LOGL_ERROR, "TLS: cannot write the credentials to %s\n", dir);
	sip_tls_dir_remove(dir);
	talloc_free(dir);
out:
	EVP_PKEY_free(key);
	return rc;
}

/* The TLS 1.2 floor.  Sofia makes its SSL_CTX with TLS_method() and sets no
 * lowest version; OpenSSL applies the "system_default" section of the
 * ssl_conf module to every SSL_CTX it makes, so that is where it goes. */
static const char tls_floor_conf[] =
	"openssl_conf = stiwf_init\n"
	"[stiwf_init]\n"
	"ssl_conf = stiwf_ssl\n"
	"[stiwf_ssl]\n"
	"system_default = stiwf_tls\n"
	"[stiwf_tls]\n"
	"MinProtocol = TLSv1.2\n";

static int tls_floor_load(void)
{
	CONF *conf = NULL;
	BIO *bio = NULL;
	long eline = 0;
	int rc = -EIO;

	/* the system's configuration first, so that it cannot come later */
	if (OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL) != 1)
		goto out;
	OPENSSL_load_builtin_modules();
	conf = NCONF_new(NULL);
	bio = BIO_new_mem_buf(tls_floor_conf, -1);
	if (!conf || !bio || NCONF_load_bio(conf, bio, &eline) <= 0)
		goto out;
	if (CONF_modules_load(conf, NULL, 0) <= 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		LOGP(DSIP, LOGL_ERROR, "TLS: cannot set TLS 1.2 as the lowest version\n");
	ERR_clear_error();
	BIO_free(bio);
	NCONF_free(conf);
	return rc;
}

/* Pins */

static pthread_mutex_t pins_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sip_tls_pin *pins;
static size_t n_pins;

/* the purpose checks we wrap: [0] SSL client (a server checking its
 * client), [1] SSL server */
static int (*orig_check[2])(const X509_PURPOSE *, const X509 *, int);

int sip_tls_pins_set(const struct sip_tls_pin *p, size_t n)
{
	struct sip_tls_pin *copy = NULL;

	if (n) {
		copy = calloc(n, sizeof(*copy));
		if (!copy)
			return -ENOMEM;
		memcpy(copy, p, n * sizeof(*copy));
	}
	pthread_mutex_lock(&pins_lock);
	free(pins);
	pins = copy;
	n_pins = n;
	pthread_mutex_unlock(&pins_lock);
	return 0;
}

/* Is name one of the certificate's: CN, SAN DNS, URI or IP (as text)? The
 * names Sofia reports as the connection's subjects. */
static bool cert_has_name(const X509 *x, const char *name)
{
	GENERAL_NAMES *san;
	char buf[SIP_TLS_SUBJECT_MAX];
	bool found = false;
	int i;

	if (X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, buf, sizeof(buf)) > 0 &&
	    !strcasecmp(buf, name))
		return true;
	san = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	for (i = 0; san && !found && i < sk_GENERAL_NAME_num(san); i++) {
		const GENERAL_NAME *gn = sk_GENERAL_NAME_value(san, i);
		const ASN1_STRING *s = NULL;

		if (gn->type == GEN_DNS)
			s = gn->d.dNSName;
		else if (gn->type == GEN_URI)
			s = gn->d.uniformResourceIdentifier;
		if (s && (size_t)ASN1_STRING_length(s) == strlen(name) &&
		    !strncasecmp((const char *)ASN1_STRING_get0_data(s), name, strlen(name)))
			found = true;
	}
	GENERAL_NAMES_free(san);
	ERR_clear_error();
	return found;
}

/* 1: the leaf may be used; 0: it names a pinned peer but is not its pinned
 * certificate */
static int pin_check(const X509 *x)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	bool digested = false;
	int ok = 1;
	size_t i;

	pthread_mutex_lock(&pins_lock);
	for (i = 0; i < n_pins && ok; i++) {
		if (!cert_has_name(x, pins[i].subject))
			continue;
		if (!digested) {
			if (X509_digest(x, EVP_sha256(), md, &md_len) != 1 || md_len != 32) {
				ok = 0;
				break;
			}
			digested = true;
		}
		if (memcmp(md, pins[i].sha256, 32) != 0) {
			LOGP(DSIP, LOGL_NOTICE, "TLS: a certificate for %s that is not its pinned certificate "
			     "(SHA-256 %s...): handshake refused\n", pins[i].subject, osmo_hexdump_nospc(md, 8));
			ok = 0;
		}
	}
	pthread_mutex_unlock(&pins_lock);
	return ok;
}

static int pin_check_purpose(const X509_PURPOSE *xp, const X509 *x, int ca)
{
	int which = X509_PURPOSE_get_id(xp) == X509_PURPOSE_SSL_CLIENT ? 0 : 1;
	int ok = orig_check[which](xp, x, ca);

	/* OpenSSL checks the purpose of each certificate of the chain it
	 * built; ca is 0 for the peer's own certificate */
	if (ok != 1 || ca)
		return ok;
	return pin_check(x);
}

static int purpose_wrap(int id, int which)
{
	char name[64], sname[32];
	X509_PURPOSE *xp;
	int idx;

	idx = X509_PURPOSE_get_by_id(id);
	xp = idx >= 0 ? X509_PURPOSE_get0(idx) : NULL;
	if (!xp)
		return -EIO;
	if (xp->check_purpose == pin_check_purpose)
		return 0;
	orig_check[which] = xp->check_purpose;
	/* X509_PURPOSE_add() replaces the entry's names: copy them first */
	OSMO_STRLCPY_ARRAY(name, X509_PURPOSE_get0_name(xp));
	OSMO_STRLCPY_ARRAY(sname, X509_PURPOSE_get0_sname(xp));
	if (X509_PURPOSE_add(id, X509_PURPOSE_get_trust(xp), xp->flags & ~X509_PURPOSE_DYNAMIC &
			     ~X509_PURPOSE_DYNAMIC_NAME, pin_check_purpose, name, sname, xp->usr_data) != 1)
		return -EIO;
	return 0;
}

int sip_tls_global_init(void)
{
	static bool done;

	if (done)
		return 0;
	if (tls_floor_load() < 0)
		return -EIO;
	if (purpose_wrap(X509_PURPOSE_SSL_CLIENT, 0) < 0 || purpose_wrap(X509_PURPOSE_SSL_SERVER, 1) < 0) {
		LOGP(DSIP, LOGL_ERROR, "TLS: cannot install the certificate pin check\n");
		ERR_clear_error();
		return -EIO;
	}
	done = true;
	return 0;
}

int sip_tls_fingerprint_parse(const char *text, uint8_t sha256[32])
{
	size_t i = 0, n = 0;
	int hi = -1;

	for (i = 0; text[i]; i++) {
		char c = text[i];
		int v;

		if (c == ':' && hi < 0)
			continue;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			return -EINVAL;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= 32)
			return -EINVAL;
		sha256[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return n == 32 && hi < 0 ? 0 : -EINVAL;
}
