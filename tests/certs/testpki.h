/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/* Test helper: the PKI of contrib/gen-test-pki.sh, in a temporary
 * directory of each test program under the build tree.  "make check" makes
 * it once per build (tests/pki, named by $STIWF_TEST_PKI) and each program
 * works on its own copy; a program run by hand makes its own. */

#include <openssl/evp.h>
#include <openssl/x509.h>

/* Generate the PKI (first call) and return its directory, or NULL. */
const char *testpki_dir(void);
/* Path of REL (e.g. "shaken/sp-a.pem") inside it, in a static buffer. */
const char *testpki_path(const char *rel);
/* Load a PEM certificate / private key from the PKI; NULL on failure. */
X509 *testpki_cert(const char *rel);
EVP_PKEY *testpki_key(const char *rel);
/* Remove the directory. */
void testpki_cleanup(void);
