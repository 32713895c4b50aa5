/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End-to-end carriage of a SHAKEN PASSporT across ISUP.  See e2e_passport.h. */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "iwf/e2e_passport.h"

const struct value_string e2e_passport_err_names[] = {
	{ E2E_PP_OK, "ok" },
	{ E2E_PP_COMPACT, "compact form (RFC 8225 §7): header and claims are not in it" },
	{ E2E_PP_NOT_CANONICAL, "header or claims not in canonical JSON (RFC 8225 §9)" },
	{ E2E_PP_NOT_SHAKEN, "not a signed ES256 SHAKEN PASSporT (alg, typ, ppt)" },
	{ E2E_PP_CLAIMS, "claims the PASSPORT TLV cannot carry (div, dest uri, several dest tn, rcd/rcdi/crn)" },
	{ E2E_PP_NUMBERS, "orig or dest differ from the IAM's numbers" },
	{ E2E_PP_FIELD, "attest, iat, origid or x5u cannot be carried (origid must be a lower-case UUID)" },
	{ E2E_PP_REBUILD, "the rebuilt PASSporT would not be byte-identical" },
	{ 0, NULL }
};

/* E.164 §6: 1..15 digits, no '+' (what sigtoken_call_from_iam() gives) */
static bool e164_ok(const char *tn)
{
	size_t n = tn ? strnlen(tn, SIGTOKEN_E164_MAX + 1) : 0;

	return n >= 1 && n <= SIGTOKEN_E164_MAX && strspn(tn, "0123456789") == n;
}

int e2e_passport_rebuild(struct passport *pp, const struct sigtoken_passport *tlv,
			 const char *orig_e164, const char *dest_e164)
{
	char origid[SIGTOKEN_UUID_STR_LEN];
	const char *dest[1] = { dest_e164 };
	int rc;

	/* the numbers go into the claims as JSON strings: nothing else than
	 * what the original could have signed (ARCHITECTURE §2.2) */
	if (!e164_ok(orig_e164) || !e164_ok(dest_e164))
		return -EINVAL;
	if (tlv->x5u_len == 0 || tlv->x5u_len > SIGTOKEN_X5U_MAX || strlen(tlv->x5u) != tlv->x5u_len)
		return -EINVAL;
	rc = sigtoken_uuid_to_str(origid, sizeof(origid), tlv->origid);
	if (rc < 0)
		return rc;
	rc = passport_init_shaken(pp, tlv->x5u, tlv->attest, orig_e164, dest, 1, (int64_t)tlv->iat, origid);
	if (rc < 0)
		return rc;
	rc = passport_encode(pp);
	if (rc < 0)
		return rc;
	memcpy(pp->sig, tlv->sig, SIGTOKEN_SIG_LEN);
	pp->sig_len = SIGTOKEN_SIG_LEN;
	return 0;
}

enum e2e_passport_err e2e_passport_to_tlv(struct sigtoken_passport *out, const struct passport *pp,
					  const char *orig_e164, const char *dest_e164)
{
	struct passport *rb;
	enum e2e_passport_err err = E2E_PP_OK;
	size_t x5u_len;

	memset(out, 0, sizeof(*out));
	if (pp->compact)
		return E2E_PP_COMPACT;
	if (strcmp(pp->alg, "ES256") || strcmp(pp->typ, "passport") || pp->ppt != PASSPORT_PPT_SHAKEN ||
	    strcmp(pp->ppt_str, "shaken") || pp->sig_len != SIGTOKEN_SIG_LEN)
		return E2E_PP_NOT_SHAKEN;
	/* RFC 9795 Rich Call Data: the TLV has no room for it (and a
	 * rebuild without it would not verify) */
	if (pp->rcd_claims)
		return E2E_PP_CLAIMS;
	if (!passport_is_canonical(pp))
		return E2E_PP_NOT_CANONICAL;
	if (pp->num_dest_tn != 1 || pp->num_dest_uri || pp->div_tn[0])
		return E2E_PP_CLAIMS;
	if (strcmp(pp->orig_tn, orig_e164) || strcmp(pp->dest_tn[0], dest_e164))
		return E2E_PP_NUMBERS;
	x5u_len = strlen(pp->x5u);
	/* iat: four octets in the TLV (ARCHITECTURE §2.2) */
	if (!pp->has_iat || pp->iat < 0 || pp->iat > (int64_t)UINT32_MAX ||
	    (pp->attest != 'A' && pp->attest != 'B' && pp->attest != 'C') ||
	    x5u_len == 0 || x5u_len > SIGTOKEN_X5U_MAX ||
	    sigtoken_uuid_from_str(out->origid, pp->origid) < 0)
		return E2E_PP_FIELD;
	out->attest = pp->attest;
	out->iat = (uint32_t)pp->iat;
	out->x5u_len = (uint8_t)x5u_len;
	memcpy(out->x5u, pp->x5u, x5u_len + 1);
	memcpy(out->sig, pp->sig, SIGTOKEN_SIG_LEN);

	/* the last word: what the far end will sign-check, byte for byte
	 * (an upper-case origid, for one, passes every check above) */
	rb = talloc_zero(NULL, struct passport);
	if (!rb)
		return E2E_PP_REBUILD;
	if (e2e_passport_rebuild(rb, out, orig_e164, dest_e164) < 0 ||
	    rb->signing_input_len != pp->signing_input_len ||
	    memcmp(rb->signing_input, pp->signing_input, pp->signing_input_len))
		err = strcmp(rb->origid, pp->origid) ? E2E_PP_FIELD : E2E_PP_REBUILD;
	talloc_free(rb);
	if (err != E2E_PP_OK)
		memset(out, 0, sizeof(*out));
	return err;
}

int e2e_div_rebuild(struct passport *pp, const struct sigtoken_div *tlv, const char *orig_e164,
		    const char *dest_e164)
{
	const char *dest[1] = { dest_e164 };
	int rc;

	if (!e164_ok(orig_e164) || !e164_ok(dest_e164) || !e164_ok(tlv->div) || strlen(tlv->div) != tlv->div_len)
		return -EINVAL;
	if (tlv->x5u_len == 0 || tlv->x5u_len > SIGTOKEN_X5U_MAX || strlen(tlv->x5u) != tlv->x5u_len)
		return -EINVAL;
	rc = passport_init_div(pp, tlv->x5u, orig_e164, dest, 1, (int64_t)tlv->iat, tlv->div);
	if (rc < 0)
		return rc;
	rc = passport_encode(pp);
	if (rc < 0)
		return rc;
	memcpy(pp->sig, tlv->sig, SIGTOKEN_SIG_LEN);
	pp->sig_len = SIGTOKEN_SIG_LEN;
	return 0;
}

enum e2e_passport_err e2e_div_to_tlv(struct sigtoken_div *out, const struct passport *pp,
				     const char *orig_e164, const char *dest_e164)
{
	enum e2e_passport_err err = E2E_PP_OK;
	struct passport *rb;
	size_t x5u_len, div_len;

	memset(out, 0, sizeof(*out));
	if (pp->compact)
		return E2E_PP_COMPACT;
	if (strcmp(pp->alg, "ES256") || strcmp(pp->typ, "passport") || pp->ppt != PASSPORT_PPT_DIV ||
	    strcmp(pp->ppt_str, "div") || pp->sig_len != SIGTOKEN_SIG_LEN)
		return E2E_PP_NOT_SHAKEN;
	if (pp->rcd_claims || pp->attest || pp->origid[0])
		return E2E_PP_CLAIMS;
	if (!passport_is_canonical(pp))
		return E2E_PP_NOT_CANONICAL;
	if (pp->num_dest_tn != 1 || pp->num_dest_uri)
		return E2E_PP_CLAIMS;
	if (strcmp(pp->orig_tn, orig_e164) || strcmp(pp->dest_tn[0], dest_e164))
		return E2E_PP_NUMBERS;
	x5u_len = strlen(pp->x5u);
	div_len = strlen(pp->div_tn);
	if (!pp->has_iat || pp->iat < 0 || pp->iat > (int64_t)UINT32_MAX || x5u_len == 0 ||
	    x5u_len > SIGTOKEN_X5U_MAX || !e164_ok(pp->div_tn))
		return E2E_PP_FIELD;
	out->iat = (uint32_t)pp->iat;
	out->div_len = (uint8_t)div_len;
	memcpy(out->div, pp->div_tn, div_len + 1);
	out->x5u_len = (uint8_t)x5u_len;
	memcpy(out->x5u, pp->x5u, x5u_len + 1);
	memcpy(out->sig, pp->sig, SIGTOKEN_SIG_LEN);

	rb = talloc_zero(NULL, struct passport);
	if (!rb)
		return E2E_PP_REBUILD;
	if (e2e_div_rebuild(rb, out, orig_e164, dest_e164) < 0 || rb->signing_input_len != pp->signing_input_len ||
	    memcmp(rb->signing_input, pp->signing_input, pp->signing_input_len))
		err = E2E_PP_REBUILD;
	talloc_free(rb);
	if (err != E2E_PP_OK)
		memset(out, 0, sizeof(*out));
	return err;
}

int e2e_passport_identity(char *out, size_t size, const struct passport *pp)
{
	const char *ppt = pp->ppt == PASSPORT_PPT_DIV ? "div" : "shaken";
	int n, m;

	n = passport_full_form(pp, out, size);
	if (n < 0)
		return n;
	/* RFC 8224 §4.1: info is mandatory; as "stiwf passport sign" writes it */
	m = snprintf(out + n, size - (size_t)n, ";info=<%s>;alg=ES256;ppt=%s", pp->x5u, ppt);
	if (m < 0 || (size_t)m >= size - (size_t)n)
		return -ENOSPC;
	return n + m;
}
