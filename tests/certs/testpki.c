/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: the PKI of contrib/gen-test-pki.sh in a temporary directory:
 * a copy of the one "make check" made ($STIWF_TEST_PKI), or made here when a
 * test program runs on its own. */

#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/pem.h>

#include "tests/certs/testpki.h"

static char pki_dir[4096];
static char path_buf[4096];

const char *testpki_dir(void)
{
	const char *top = getenv("top_srcdir");
	const char *made = getenv("STIWF_TEST_PKI");
	char tmpl[4096], cmd[16384];

	if (pki_dir[0])
		return pki_dir;
	if (!getcwd(tmpl, sizeof(tmpl) - 32))
		return NULL;
	strncat(tmpl, "/testpki.XXXXXX", sizeof(tmpl) - strlen(tmpl) - 1);
	if (!mkdtemp(tmpl))
		return NULL;
	/* "make check" made the PKI once (tests/Makefile.inc): a private
	 * copy, since tests add files to it, with the paths that the CA
	 * configurations and pki.env hold pointed at the copy. */
	if (made && *made && access(made, R_OK | X_OK) == 0)
		snprintf(cmd, sizeof(cmd), "cp -pR '%s/.' '%s' && grep -rlF '%s' '%s' | xargs -r sed -i 's|%s|%s|g'",
			 made, tmpl, made, tmpl, made, tmpl);
	else
		snprintf(cmd, sizeof(cmd), "sh '%s/contrib/gen-test-pki.sh' '%s' >/dev/null", top ? top : ".", tmpl);
	if (system(cmd) != 0) {
		fprintf(stderr, "testpki: %s failed\n", cmd);
		return NULL;
	}
	snprintf(pki_dir, sizeof(pki_dir), "%s", tmpl);
	return pki_dir;
}

const char *testpki_path(const char *rel)
{
	const char *dir = testpki_dir();

	if (!dir)
		return NULL;
	snprintf(path_buf, sizeof(path_buf), "%s/%s", dir, rel);
	return path_buf;
}

X509 *testpki_cert(const char *rel)
{
	const char *p = testpki_path(rel);
	X509 *x = NULL;
	FILE *f;

	if (!p)
		return NULL;
	f = fopen(p, "r");
	if (!f)
		return NULL;
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	return x;
}

EVP_PKEY *testpki_key(const char *rel)
{
	const char *p = testpki_path(rel);
	EVP_PKEY *k = NULL;
	FILE *f;

	if (!p)
		return NULL;
	f = fopen(p, "r");
	if (!f)
		return NULL;
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	return k;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

void testpki_cleanup(void)
{
	if (!pki_dir[0])
		return;
	nftw(pki_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	pki_dir[0] = '\0';
}
