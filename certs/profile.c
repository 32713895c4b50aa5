/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ATIS-1000080 §6.4.1 end-entity profile: each check separately, with a
 * verdict and a reason, so a failure maps to SIP 437 (ATIS-1000074 §5.3.2:
 * "437 Unsupported Credential" when the credential is not supported). */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include <osmocom/core/talloc.h>

#include "certs/profile.h"
#include "certs/tnauthlist.h"
#include "src/core/logging.h"

const struct value_string profile_check_names[] = {
	{ PROFILE_CHK_KEY_P256, "key-p256" },
	{ PROFILE_CHK_SIG_ES256, "sig-ecdsa-sha256" },
	{ PROFILE_CHK_KEY_USAGE, "key-usage" },
	{ PROFILE_CHK_BASIC_CONSTRAINTS, "basic-constraints" },
	{ PROFILE_CHK_ONE_POLICY, "one-policy" },
	{ PROFILE_CHK_TNAUTHLIST, "tnauthlist" },
	{ PROFILE_CHK_NOT_BEFORE, "not-before" },
	{ PROFILE_CHK_NOT_AFTER, "not-after" },
	{ 0, NULL }
};

const struct value_string profile_verdict_names[] = {
	{ PROFILE_PASS, "pass" },
	{ PROFILE_FAIL, "FAIL" },
	{ 0, NULL }
};

/* Every failure is "437 Unsupported Credential" (RFC 8224 §6.2.2,
 * ATIS-1000074 §5.3.2): the certificate was obtained but is not one we
 * accept. */
const struct profile_check_desc profile_check_descs[_NUM_PROFILE_CHK] = {
	[PROFILE_CHK_KEY_P256] = {
		"public key is id-ecPublicKey on P-256", "ATIS-1000080 §6.4.1", 437 },
	[PROFILE_CHK_SIG_ES256] = {
		"signature algorithm is ecdsa-with-SHA256", "ATIS-1000080 §6.4.1", 437 },
	[PROFILE_CHK_KEY_USAGE] = {
		"KeyUsage critical, digitalSignature only", "ATIS-1000080 §6.4.1", 437 },
	[PROFILE_CHK_BASIC_CONSTRAINTS] = {
		"BasicConstraints critical, CA:FALSE", "ATIS-1000080 §6.4.1", 437 },
	[PROFILE_CHK_ONE_POLICY] = {
		"exactly one certificate policy", "ATIS-1000080 §6.4.1", 437 },
	[PROFILE_CHK_TNAUTHLIST] = {
		"TNAuthList present and well formed", "ATIS-1000080 §6.4.1, RFC 8226 §9", 437 },
	[PROFILE_CHK_NOT_BEFORE] = {
		"notBefore is not in the future", "RFC 5280 §4.1.2.5", 437 },
	[PROFILE_CHK_NOT_AFTER] = {
		"notAfter is in the future", "RFC 5280 §4.1.2.5", 437 },
};

static void verdict(struct profile_result *res, enum profile_check chk, enum profile_verdict v,
		    const char *fmt, const char *arg)
{
	res->verdict[chk] = v;
	snprintf(res->detail[chk], sizeof(res->detail[chk]), fmt, arg ? arg : "");
}

static void check_key(struct profile_result *res, X509 *cert)
{
	EVP_PKEY *pk = X509_get0_pubkey(cert);
	char group[64] = "";
	size_t glen = 0;

	if (!pk) {
		verdict(res, PROFILE_CHK_KEY_P256, PROFILE_FAIL, "public key unreadable%s", NULL);
		return;
	}
	if (!EVP_PKEY_is_a(pk, "EC")) {
		verdict(res, PROFILE_CHK_KEY_P256, PROFILE_FAIL, "key type %s", EVP_PKEY_get0_type_name(pk));
		return;
	}
	if (!EVP_PKEY_get_group_name(pk, group, sizeof(group), &glen)) {
		verdict(res, PROFILE_CHK_KEY_P256, PROFILE_FAIL, "EC key without a named curve%s", NULL);
		return;
	}
	if (OBJ_sn2nid(group) != NID_X9_62_prime256v1 && OBJ_ln2nid(group) != NID_X9_62_prime256v1) {
		verdict(res, PROFILE_CHK_KEY_P256, PROFILE_FAIL, "curve %s", group);
		return;
	}
	verdict(res, PROFILE_CHK_KEY_P256, PROFILE_PASS, "EC %s", group);
}

static void check_sig(struct profile_result *res, X509 *cert)
{
	const X509_ALGOR *outer = NULL;
	int nid = X509_get_signature_nid(cert);

	X509_get0_signature(NULL, &outer, cert);
	/* RFC 5280 §4.1.1.2: the outer algorithm must equal the one signed */
	if (!outer || X509_ALGOR_cmp(outer, X509_get0_tbs_sigalg(cert)) != 0) {
		verdict(res, PROFILE_CHK_SIG_ES256, PROFILE_FAIL, "signature algorithms differ%s", NULL);
		return;
	}
	if (nid != NID_ecdsa_with_SHA256) {
		verdict(res, PROFILE_CHK_SIG_ES256, PROFILE_FAIL, "signature %s",
			nid == NID_undef ? "unknown" : OBJ_nid2sn(nid));
		return;
	}
	verdict(res, PROFILE_CHK_SIG_ES256, PROFILE_PASS, "%s", OBJ_nid2sn(nid));
}

/* crit from X509_get_ext_d2i(): -1 absent, -2 present twice, else 0/1. */
static const char *crit_problem(int crit)
{
	if (crit == -1)
		return "absent";
	if (crit == -2)
		return "present more than once";
	if (crit == 0)
		return "not critical";
	return NULL;
}

static void check_key_usage(struct profile_result *res, X509 *cert)
{
	ASN1_BIT_STRING *ku;
	const char *p;
	int crit = -1, bit, others = 0;

	ku = X509_get_ext_d2i(cert, NID_key_usage, &crit, NULL);
	p = crit_problem(crit);
	if (!p && !ku)
		p = "malformed";
	if (p) {
		verdict(res, PROFILE_CHK_KEY_USAGE, PROFILE_FAIL, "KeyUsage %s", p);
		goto out;
	}
	/* KeyUsage bits 1..8 (RFC 5280 §4.2.1.3) besides digitalSignature (0) */
	for (bit = 1; bit <= 8; bit++)
		others |= ASN1_BIT_STRING_get_bit(ku, bit);
	if (!ASN1_BIT_STRING_get_bit(ku, 0) || others) {
		verdict(res, PROFILE_CHK_KEY_USAGE, PROFILE_FAIL, "%s",
			ASN1_BIT_STRING_get_bit(ku, 0) ? "usages besides digitalSignature"
							: "digitalSignature not set");
		goto out;
	}
	verdict(res, PROFILE_CHK_KEY_USAGE, PROFILE_PASS, "critical, digitalSignature%s", NULL);
out:
	ASN1_BIT_STRING_free(ku);
}

static void check_basic_constraints(struct profile_result *res, X509 *cert)
{
	BASIC_CONSTRAINTS *bc;
	const char *p;
	int crit = -1;

	bc = X509_get_ext_d2i(cert, NID_basic_constraints, &crit, NULL);
	p = crit_problem(crit);
	if (!p && !bc)
		p = "malformed";
	if (p) {
		verdict(res, PROFILE_CHK_BASIC_CONSTRAINTS, PROFILE_FAIL, "BasicConstraints %s", p);
		goto out;
	}
	if (bc->ca) {
		verdict(res, PROFILE_CHK_BASIC_CONSTRAINTS, PROFILE_FAIL, "CA:TRUE%s", NULL);
		goto out;
	}
	verdict(res, PROFILE_CHK_BASIC_CONSTRAINTS, PROFILE_PASS, "critical, CA:FALSE%s", NULL);
out:
	BASIC_CONSTRAINTS_free(bc);
}

static void check_policy(struct profile_result *res, X509 *cert)
{
	CERTIFICATEPOLICIES *cp;
	char oid[64];
	int crit = -1, n;

	cp = X509_get_ext_d2i(cert, NID_certificate_policies, &crit, NULL);
	if (crit == -1 || crit == -2 || !cp) {
		verdict(res, PROFILE_CHK_ONE_POLICY, PROFILE_FAIL, "CertificatePolicies %s",
			crit == -1 ? "absent" : crit == -2 ? "present more than once" : "malformed");
		goto out;
	}
	n = sk_POLICYINFO_num(cp);
	if (n != 1) {
		snprintf(oid, sizeof(oid), "%d", n);
		verdict(res, PROFILE_CHK_ONE_POLICY, PROFILE_FAIL, "%s policies", oid);
		goto out;
	}
	OBJ_obj2txt(oid, sizeof(oid), sk_POLICYINFO_value(cp, 0)->policyid, 1);
	verdict(res, PROFILE_CHK_ONE_POLICY, PROFILE_PASS, "%s", oid);
out:
	CERTIFICATEPOLICIES_free(cp);
}

static void check_tnauthlist(struct profile_result *res, X509 *cert)
{
	struct tnauthlist *l = NULL;
	char n[32];
	int rc = tnauthlist_from_x509(NULL, &l, cert);

	if (rc < 0) {
		verdict(res, PROFILE_CHK_TNAUTHLIST, PROFILE_FAIL, "TNAuthList %s",
			rc == -ENOENT ? "absent" : "malformed");
		return;
	}
	snprintf(n, sizeof(n), "%u", l->num_entries);
	verdict(res, PROFILE_CHK_TNAUTHLIST, PROFILE_PASS, "%s entries", n);
	talloc_free(l);
}

static void check_time(struct profile_result *res, enum profile_check chk, const ASN1_TIME *t,
		       time_t now)
{
	char when[64] = "?";
	BIO *b = BIO_new(BIO_s_mem());
	int cmp;

	if (b && t && ASN1_TIME_print(b, t)) {
		int n = BIO_read(b, when, sizeof(when) - 1);

		when[n > 0 ? n : 0] = '\0';
	}
	BIO_free(b);
	/* X509_cmp_time(): -1 when t is before now, 1 after, 0 on error */
	cmp = t ? X509_cmp_time(t, &now) : 0;
	if (chk == PROFILE_CHK_NOT_BEFORE) {
		if (cmp < 0)
			verdict(res, chk, PROFILE_PASS, "%s", when);
		else
			verdict(res, chk, PROFILE_FAIL, cmp ? "not valid before %s" : "bad time %s", when);
	} else {
		if (cmp > 0)
			verdict(res, chk, PROFILE_PASS, "%s", when);
		else
			verdict(res, chk, PROFILE_FAIL, cmp ? "expired %s" : "bad time %s", when);
	}
}

/*! Run every ATIS-1000080 end-entity check on cert.
 *  \param[out] res verdict and detail of each check
 *  \param[in] cert the leaf certificate
 *  \param[in] now the time to check validity against
 *  \returns the number of failed checks (0: the certificate fits the profile) */
int profile_check_leaf(struct profile_result *res, X509 *cert, time_t now)
{
	int i, failed = 0;

	memset(res, 0, sizeof(*res));
	check_key(res, cert);
	check_sig(res, cert);
	check_key_usage(res, cert);
	check_basic_constraints(res, cert);
	check_policy(res, cert);
	check_tnauthlist(res, cert);
	check_time(res, PROFILE_CHK_NOT_BEFORE, X509_get0_notBefore(cert), now);
	check_time(res, PROFILE_CHK_NOT_AFTER, X509_get0_notAfter(cert), now);
	for (i = 0; i < _NUM_PROFILE_CHK; i++) {
		if (res->verdict[i] == PROFILE_FAIL) {
			LOGP(DCERT, LOGL_INFO, "profile: %s failed: %s\n",
			     get_value_string(profile_check_names, i), res->detail[i]);
			failed++;
		}
	}
	return failed;
}
