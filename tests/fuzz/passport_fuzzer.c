/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz harness: the PASSporT full-form decoder (sip/passport.c), then the
 * claim checks, the canonical re-encoding and verification against one
 * fixed P-256 public key (the seed corpus holds tokens it signed).  Inputs
 * starting with ".." go through the compact-form path instead; inputs
 * starting with '{' are JSON, "HEADER\nCLAIMS" or only CLAIMS, which the
 * harness wraps in base64url so that mutations reach the JSON decoder
 * instead of breaking the base64url layer. */

#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>

#include "src/core/logging.h"
#include "sip/passport.h"

/* A key made for the fuzz corpus only; its private half signed the seeds. */
static const char fuzz_pub_pem[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEC8keDOelQstx2dpJdHqPbSVeliWP\n"
	"GUfPonY7CbV9FAN3DU+AwdM5CoXcnsuNRvAADZlUQOUUA4rO3uNNPG1ARQ==\n"
	"-----END PUBLIC KEY-----\n";

static EVP_PKEY *fuzz_key(void)
{
	static EVP_PKEY *key;
	BIO *bio;

	if (key)
		return key;
	stiwf_logging_init(NULL);
	log_set_log_level(osmo_stderr_target, LOGL_FATAL);
	bio = BIO_new_mem_buf(fuzz_pub_pem, sizeof(fuzz_pub_pem) - 1);
	if (!bio)
		abort();
	key = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!key)
		abort();
	return key;
}

/* A signature segment of the right size (64 zero octets). */
#define ZERO_SIG "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define SHAKEN_HDR "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\"," \
	"\"x5u\":\"https://cert.example.org/passport.cer\"}"

static void check_decoded(struct passport *pp, EVP_PKEY *key, const char *tok, size_t size);

/* JSON mode: wrap header and claims in base64url and decode the token */
static void fuzz_json(EVP_PKEY *key, const char *in, size_t size)
{
	static char tok[PASSPORT_TOKEN_MAX + 1];
	static struct passport pp;
	const char *nl = memchr(in, '\n', size);
	const char *hdr = SHAKEN_HDR, *claims = in;
	size_t hlen = strlen(SHAKEN_HDR), clen = size, pos;
	int rc;

	if (nl) {
		hdr = in;
		hlen = nl - in;
		claims = nl + 1;
		clen = size - hlen - 1;
	}
	if (hlen > 2048 || clen > 2048)
		return;
	rc = stir_b64url_encode(tok, sizeof(tok), (const uint8_t *)hdr, hlen);
	if (rc < 0)
		abort();
	pos = rc;
	tok[pos++] = '.';
	rc = stir_b64url_encode(tok + pos, sizeof(tok) - pos, (const uint8_t *)claims, clen);
	if (rc < 0)
		abort();
	pos += rc;
	tok[pos++] = '.';
	memcpy(tok + pos, ZERO_SIG, sizeof(ZERO_SIG));
	pos += sizeof(ZERO_SIG) - 1;
	if (passport_decode(&pp, tok, pos) < 0)
		return;
	check_decoded(&pp, key, tok, pos);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct passport pp;	/* 7 KiB: off the stack */
	EVP_PKEY *key = fuzz_key();
	const char *tok = (const char *)data;

	if (size >= 2 && tok[0] == '.' && tok[1] == '.') {
		static const char *dest[] = { "12125551213" };

		if (passport_init_shaken(&pp, "https://cert.example.org/passport.cer", 'A',
					 "12155551212", dest, 1, 1443208345,
					 "123e4567-e89b-12d3-a456-426655440000") < 0)
			abort();
		if (passport_decode_compact(&pp, tok, size) < 0)
			return 0;
		(void)passport_verify(&pp, key);
		return 0;
	}
	if (size >= 1 && tok[0] == '{') {
		fuzz_json(key, tok, size);
		return 0;
	}
	if (passport_decode(&pp, tok, size) < 0)
		return 0;
	check_decoded(&pp, key, tok, size);
	return 0;
}

/* Invariants of a decoded token, and the paths that follow a decode. */
static void check_decoded(struct passport *pp, EVP_PKEY *key, const char *tok, size_t size)
{
	static char out[PASSPORT_TOKEN_MAX + 1];
	static struct passport rebuilt;
	int n;

	if (pp->signing_input_len == 0 || pp->signing_input_len >= size ||
	    memcmp(pp->signing_input, tok, pp->signing_input_len) != 0)
		abort();
	(void)passport_check_claims(pp);
	(void)passport_check_iat(pp, 1443208345, 60);
	(void)passport_check_numbers(pp, "12155551212", "12125551213");
	if (passport_is_canonical(pp) && passport_verify(pp, key) == 0) {
		/* a canonical token that verifies survives the compact form */
		rebuilt = *pp;
		n = passport_compact_form(pp, out, sizeof(out));

		if (n < 0 || passport_decode_compact(&rebuilt, out, n) < 0 ||
		    passport_verify(&rebuilt, key) != 0)
			abort();
	}
	if (pp->sig_len && passport_full_form(pp, out, sizeof(out)) < 0)
		abort();
}
