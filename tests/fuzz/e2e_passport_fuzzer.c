/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz iwf/e2e_passport.c: rebuilding the originating carrier's PASSporT
 * from the PASSPORT TLV of a token that came over ISUP (ARCHITECTURE §2.2) and
 * the IAM's numbers.  Input: one octet n, n octets of calling number, one
 * octet m, m octets of called number (as the IAM would give them, not
 * trusted here either), then the token (sigtoken_decode()).
 *
 * Whatever the rebuild accepts must give an Identity header that a
 * receiver decodes to the same fields, and must reduce back to the same
 * TLV (e2e_passport_to_tlv()), so that what the far IWF verifies is what
 * the near one sent. */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "iwf/e2e_passport.h"
#include "sip/passport.h"
#include "src/core/logging.h"
#include "ss7/sigtoken.h"

#define NUM_MAX 32

/* A number of up to NUM_MAX octets from the input, NUL-terminated (an
 * embedded NUL ends it).  \returns octets consumed, or 0 when too short */
static size_t take_number(char *out, const uint8_t *data, size_t size)
{
	size_t n;

	if (size < 1)
		return 0;
	n = data[0] % (NUM_MAX + 1);
	if (size - 1 < n)
		return 0;
	memcpy(out, data + 1, n);
	out[n] = '\0';
	return 1 + n;
}

static void check_rebuilt(const struct passport *rb, const struct sigtoken_passport *tlv, const char *orig,
			  const char *dest)
{
	static char ident[PASSPORT_TOKEN_MAX + 512];
	struct passport *rx = talloc_zero(NULL, struct passport);
	struct sigtoken_passport back;
	const char *semi;
	int n;

	if (!rx)
		abort();
	if (rb->sig_len != SIGTOKEN_SIG_LEN || memcmp(rb->sig, tlv->sig, SIGTOKEN_SIG_LEN) ||
	    strcmp(rb->x5u, tlv->x5u) || rb->attest != tlv->attest || rb->iat != (int64_t)tlv->iat)
		abort();
	n = e2e_passport_identity(ident, sizeof(ident), rb);
	if (n <= 0)
		abort();
	semi = strchr(ident, ';');
	if (!semi)
		abort();
	/* a receiver decodes the full form to the same PASSporT ... */
	if (passport_decode(rx, ident, (size_t)(semi - ident)) != 0)
		abort();
	if (rx->signing_input_len != rb->signing_input_len ||
	    memcmp(rx->signing_input, rb->signing_input, rb->signing_input_len))
		abort();
	/* ... which reduces back to the TLV it came from */
	if (e2e_passport_to_tlv(&back, rx, orig, dest) != E2E_PP_OK)
		abort();
	if (back.attest != tlv->attest || back.iat != tlv->iat || back.x5u_len != tlv->x5u_len ||
	    strcmp(back.x5u, tlv->x5u) || memcmp(back.origid, tlv->origid, SIGTOKEN_UUID_LEN) ||
	    memcmp(back.sig, tlv->sig, SIGTOKEN_SIG_LEN))
		abort();
	talloc_free(rx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool logging_ready;
	char orig[NUM_MAX + 1], dest[NUM_MAX + 1];
	struct sigtoken tok;
	struct passport *rb;
	size_t off, n;
	int rc;

	if (!logging_ready) {
		/* categories, no targets: LOGP costs nothing */
		log_init(&stiwf_log_info, NULL);
		logging_ready = true;
	}
	n = take_number(orig, data, size);
	if (!n)
		return 0;
	off = n;
	n = take_number(dest, data + off, size - off);
	if (!n)
		return 0;
	off += n;
	if (sigtoken_decode(&tok, data + off, size - off) < 0 || !tok.has_passport)
		return 0;
	rb = talloc_zero(NULL, struct passport);
	if (!rb)
		abort();
	rc = e2e_passport_rebuild(rb, &tok.passport, orig, dest);
	if (rc == 0)
		check_rebuilt(rb, &tok.passport, orig, dest);
	else if (rc != -EINVAL && rc != -ENOSPC)
		abort();
	talloc_free(rb);
	return 0;
}
