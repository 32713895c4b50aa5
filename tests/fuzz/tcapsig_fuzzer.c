/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz harness of ss7/tcap_sig.c.  The input is a TCAP message:
 *  - extract the signature: on success the stripped message decodes, the
 *    token re-encodes to one that decodes the same, putting the token back
 *    into the stripped message and extracting again gives the same token
 *    and the same stripped message, and verify runs over it (against a
 *    key of our own, with the token's key-id made ours so that the ECDSA
 *    check itself is reached; it must fail: nobody else holds the key);
 *  - a message without one that can carry one is signed with our key:
 *    extract must give back the input octet for octet, and verify pass. */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/sigtoken.h"
#include "ss7/tcap.h"
#include "ss7/tcap_sig.h"

#define OID ((const uint8_t *)TCAP_STIWF_SIG_OID)
#define OL TCAP_STIWF_SIG_OID_LEN

static struct sigtoken_key *key;
static uint8_t stripped[8192], again[8192], back[8192], tokbuf[256];

static void setup(void)
{
	static int done;
	void *ctx;
	EVP_PKEY *pkey;

	if (done)
		return;
	done = 1;
	ctx = talloc_named_const(NULL, 0, "tcapsig_fuzzer");
	if (stiwf_logging_init(ctx) < 0)
		abort();
	log_set_category_filter(osmo_stderr_target, DSS7, 0, LOGL_FATAL);
	/* a key made for this run: no key is kept with the sources */
	pkey = EVP_EC_gen("P-256");
	key = pkey ? sigtoken_key_alloc(ctx, pkey) : NULL;
	EVP_PKEY_free(pkey);
	if (!key)
		abort();
}

static bool tok_same(const struct tcap_sig_token *a, const struct tcap_sig_token *b)
{
	return a->hop.alg == b->hop.alg && !memcmp(a->hop.key_id, b->hop.key_id, KEYID_LEN) &&
	       a->hop.iat == b->hop.iat && !memcmp(a->hop.sig, b->hop.sig, SIGTOKEN_SIG_LEN) &&
	       a->has_orig == b->has_orig && !strcmp(a->orig_gt, b->orig_gt);
}

static void check_extracted(const struct tcap_sig_token *tok, const uint8_t *data, size_t size, size_t slen)
{
	struct tcap_sig_token t2, t3;
	const struct tcap_external *e;
	static struct tcap_msg m;
	size_t alen;
	int rc, n;

	/* the stripped message decodes and carries no signature */
	if (slen >= size || tcap_msg_decode(&m, stripped, slen) != (int)slen ||
	    tcap_userinfo_find(&m, OID, OL))
		abort();
	/* the token re-encodes to one that decodes the same */
	n = tcap_sig_token_encode(tokbuf, sizeof(tokbuf), tok);
	if (n < 0 || tcap_sig_token_decode(&t2, tokbuf, n) != 0 || !tok_same(&t2, tok))
		abort();
	/* put back as sent, and found again */
	if (tcap_msg_decode(&m, data, size) != (int)size)
		abort();
	e = tcap_userinfo_find(&m, OID, OL);
	if (!e)
		abort();
	n = tcap_userinfo_insert(back, sizeof(back), stripped, slen, OID, OL, e->value.data, e->value.len);
	if (n < 0) {
		/* only a form insert refuses: the EXTERNAL was not inserted by us
		 * (e.g. a longer-than-needed length it cannot grow reversibly) */
		if (n != -ENOTSUP)
			abort();
	} else {
		rc = tcap_sig_extract(&t3, again, sizeof(again), &alen, back, n, OID, OL);
		if (rc != 0 || !tok_same(&t3, tok) || alen != slen || memcmp(again, stripped, slen))
			abort();
	}
	/* verify, as far as the signature: it is not ours */
	t2 = *tok;
	memcpy(t2.hop.key_id, sigtoken_key_id(key), KEYID_LEN);
	rc = tcap_sig_verify(&t2, stripped, slen, key);
	if (rc != -EBADMSG)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tcap_sig_token tok;
	size_t slen;
	int rc, n;

	setup();
	if (size > TCAP_SIG_MSG_MAX)
		return 0;
	rc = tcap_sig_extract(&tok, stripped, sizeof(stripped), &slen, data, size, OID, OL);
	if (rc == 0) {
		check_extracted(&tok, data, size, slen);
		return 0;
	}
	/* a refusal leaves nothing behind */
	if (slen != 0 || tok.hop.alg != 0 || tok.has_orig)
		abort();
	if (rc != -ENOENT)
		return 0;

	/* no signature yet: sign it when it can carry one */
	n = tcap_sig_sign(back, sizeof(back), data, size, key, 1700000000, "4917", OID, OL);
	if (n < 0) {
		if (n != -ENOTSUP && n != -EEXIST && n != -E2BIG && n != -ENOSPC)
			abort();
		return 0;
	}
	rc = tcap_sig_extract(&tok, stripped, sizeof(stripped), &slen, back, n, OID, OL);
	if (rc != 0 || slen != size || memcmp(stripped, data, size) || tcap_sig_verify(&tok, stripped, slen, key))
		abort();
	return 0;
}
