/* Fuzz harness: the PASSporT full-form decoder (sip/passport.c), then the
 * claim checks, the canonical re-encoding and verification against one
 * fixed P-256 public key (the seed corpus holds tokens it signed).  Inputs
 * starting with ".." go through the compact-form path instead. */

#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>

#include "src/logging.h"
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct passport pp;	/* 7 KiB: off the stack */
	EVP_PKEY *key = fuzz_key();
	const char *tok = (const char *)data;
	char out[PASSPORT_TOKEN_MAX + 1];

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
	if (passport_decode(&pp, tok, size) < 0)
		return 0;
	if (pp.signing_input_len == 0 || pp.signing_input_len >= size ||
	    memcmp(pp.signing_input, tok, pp.signing_input_len) != 0)
		abort();
	(void)passport_check_claims(&pp);
	(void)passport_check_iat(&pp, 1443208345, 60);
	(void)passport_check_numbers(&pp, "12155551212", "12125551213");
	if (passport_is_canonical(&pp) && passport_verify(&pp, key) == 0) {
		/* a canonical token that verifies survives the compact form */
		struct passport rebuilt = pp;
		int n = passport_compact_form(&pp, out, sizeof(out));

		if (n < 0 || passport_decode_compact(&rebuilt, out, n) < 0 ||
		    passport_verify(&rebuilt, key) != 0)
			abort();
	}
	if (pp.sig_len && passport_full_form(&pp, out, sizeof(out)) < 0)
		abort();
	return 0;
}
