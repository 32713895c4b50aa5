/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Certificates made in memory for the benchmarks (stiwf_bench_pki.h). */

#include <errno.h>
#include <string.h>

#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "certs/tnauthlist.h"
#include "src/stiwf/stiwf_bench_pki.h"

#define SPC_MAX 32

static int add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&v3, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	if (!ext)
		return -EINVAL;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -ENOMEM;
}

/* one certificate policy: the SHAKEN CP (ATIS-1000080 §6.4.1), a TSCA one */
static int add_policy(X509 *x, const char *oid)
{
	CERTIFICATEPOLICIES *pols = sk_POLICYINFO_new_null();
	POLICYINFO *pi = POLICYINFO_new();
	int rc = -ENOMEM;

	if (!pols || !pi)
		goto out;
	pi->policyid = OBJ_txt2obj(oid, 1);
	if (!pi->policyid || !sk_POLICYINFO_push(pols, pi))
		goto out;
	pi = NULL;
	if (X509_add1_ext_i2d(x, NID_certificate_policies, pols, 0, X509V3_ADD_DEFAULT) == 1)
		rc = 0;
out:
	POLICYINFO_free(pi);
	sk_POLICYINFO_pop_free(pols, POLICYINFO_free);
	return rc;
}

/* TNAuthList (RFC 8226 §9) with one SPC:
 * SEQUENCE { [0] EXPLICIT IA5String spc } = 30 n+4 A0 n+2 16 n spc */
static int add_tnauthlist(X509 *x, const char *spc)
{
	size_t n = strlen(spc);
	uint8_t der[SPC_MAX + 6];
	ASN1_OBJECT *obj;
	ASN1_OCTET_STRING *os;
	X509_EXTENSION *ext = NULL;
	int rc = -ENOMEM;

	if (n < 1 || n > SPC_MAX)
		return -EINVAL;
	der[0] = 0x30;
	der[1] = (uint8_t)(n + 4);
	der[2] = 0xa0;
	der[3] = (uint8_t)(n + 2);
	der[4] = 0x16;
	der[5] = (uint8_t)n;
	memcpy(der + 6, spc, n);
	obj = OBJ_txt2obj(TNAUTH_OID, 1);
	os = ASN1_OCTET_STRING_new();
	if (obj && os && ASN1_OCTET_STRING_set(os, der, (int)(n + 6)))
		ext = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, os);
	if (ext && X509_add_ext(x, ext, -1))
		rc = 0;
	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(os);
	ASN1_OBJECT_free(obj);
	return rc;
}

X509 *bench_pki_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key, bool ca,
		     const char *policy_oid, const char *spc)
{
	X509 *x = X509_new();
	X509_NAME *name;
	uint8_t serial[8];
	BIGNUM *bn = NULL;
	int rc = 0;

	if (!x || (!ca && !policy_oid) || RAND_bytes(serial, sizeof(serial)) != 1)
		goto err;
	serial[0] &= 0x7f;
	serial[0] |= 0x01;
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	name = X509_get_subject_name(x);
	if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) || !X509_set_version(x, 2) ||
	    !X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, (const uint8_t *)"US", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const uint8_t *)"stiwf bench", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const uint8_t *)cn, -1, -1, 0) ||
	    !X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name) ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -3600) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), 86400) || !X509_set_pubkey(x, key))
		goto err;
	rc |= add_ext(x, issuer ? issuer : x, NID_subject_key_identifier, "hash");
	if (ca) {
		if (issuer)
			rc |= add_ext(x, issuer, NID_authority_key_identifier, "keyid:always");
		rc |= add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE");
		rc |= add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign");
	} else {
		/* ATIS-1000080 §6.4.1 end entity */
		rc |= add_ext(x, issuer, NID_authority_key_identifier, "keyid:always");
		rc |= add_ext(x, issuer, NID_basic_constraints, "critical,CA:FALSE");
		rc |= add_ext(x, issuer, NID_key_usage, "critical,digitalSignature");
		rc |= add_policy(x, policy_oid);
		if (spc)
			rc |= add_tnauthlist(x, spc);
	}
	if (rc || !X509_sign(x, issuer_key, EVP_sha256()))
		goto err;
	BN_free(bn);
	return x;
err:
	BN_free(bn);
	X509_free(x);
	return NULL;
}
