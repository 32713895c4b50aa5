/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of certs/map.c with the test PKI (contrib/README.pki.md): the
 * class a certificate names by policy OID, numbers from the TNAuthList the
 * path holds (never the leaf's own claim) and from the entry pinning the
 * signer's key (spki-sha256; key-id, subject and code only name an entry),
 * SPC <-> operator, revoked and unknown signers, the global titles and
 * home networks of the MAP border, and the text loader with its errors. */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <openssl/x509.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/keyid.h"
#include "certs/map.h"
#include "tests/certs/testpki.h"
#include "tests/cunit_main.h"

static void *ctx, *held;
static X509 *op1_full, *op1_prov, *op2_full, *rogue, *sp_a, *sp_b, *delegate;

static int suite_init(void)
{
	op1_full = testpki_cert("tsca/op1-full.pem");
	op1_prov = testpki_cert("tsca/op1-prov.pem");
	op2_full = testpki_cert("tsca/op2-full.pem");
	rogue = testpki_cert("tsca/rogue.pem");
	sp_a = testpki_cert("shaken/sp-a.pem");
	sp_b = testpki_cert("shaken/sp-b.pem");
	delegate = testpki_cert("shaken/delegate.pem");
	held = talloc_named_const(ctx, 0, "held lists");
	if (!held || !op1_full || !op1_prov || !op2_full || !rogue || !sp_a || !sp_b || !delegate)
		return 1;
	return 0;
}

static int suite_cleanup(void)
{
	X509_free(op1_full);
	X509_free(op1_prov);
	X509_free(op2_full);
	X509_free(rogue);
	X509_free(sp_a);
	X509_free(sp_b);
	X509_free(delegate);
	talloc_free(held);
	return 0;
}

/* A signer as the call path would describe it after the trust store,
 * with no numbers held by its path */
static struct certmap_signer signer(X509 *cert, enum certmap_trust trust)
{
	struct certmap_signer s;

	memset(&s, 0, sizeof(s));
	if (cert)
		CU_ASSERT_EQUAL(keyid_from_x509(s.key_id, cert), 0);
	s.cert = cert;
	s.trust = trust;
	return s;
}

/* The same signer as the TSCA directory describes one whose path holds
 * its TNAuthList (certs/tsca.h) and grants the class its leaf names: the
 * list is decoded into held (freed with the suite) */
static struct certmap_signer signer_held(const struct certmap *map, X509 *cert, enum certmap_trust trust)
{
	struct certmap_signer s = signer(cert, trust);
	struct tnauthlist *list = NULL;

	if (cert && tnauthlist_from_x509(held, &list, cert) == 0)
		s.tnauth = list;
	s.cls = certmap_cert_class(map, cert);
	return s;
}

static void spki_hex(char hex[2 * KEYID_SPKI_LEN + 1], X509 *cert)
{
	uint8_t spki[KEYID_SPKI_LEN];
	unsigned int i;

	CU_ASSERT_EQUAL_FATAL(keyid_spki_sha256(spki, cert), 0);
	for (i = 0; i < KEYID_SPKI_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", spki[i]);
}

static void test_class(void)
{
	struct certmap *map = certmap_alloc(ctx);

	CU_ASSERT_PTR_NOT_NULL_FATAL(map);
	CU_ASSERT_EQUAL(certmap_cert_class(map, op1_full), CERTMAP_CLASS_FULL);
	CU_ASSERT_EQUAL(certmap_cert_class(map, op2_full), CERTMAP_CLASS_FULL);
	CU_ASSERT_EQUAL(certmap_cert_class(map, op1_prov), CERTMAP_CLASS_PROVISIONAL);
	/* a SHAKEN certificate has the SHAKEN CP OID: neither */
	CU_ASSERT_EQUAL(certmap_cert_class(map, sp_a), CERTMAP_CLASS_UNKNOWN);
	CU_ASSERT_EQUAL(certmap_cert_class(map, NULL), CERTMAP_CLASS_UNKNOWN);

	/* configurable: another full OID replaces the default */
	certmap_policy_oids_clear(map, CERTMAP_CLASS_FULL);
	CU_ASSERT_EQUAL(certmap_cert_class(map, op1_full), CERTMAP_CLASS_UNKNOWN);
	CU_ASSERT_EQUAL(certmap_policy_oid_add(map, CERTMAP_CLASS_FULL, "2.16.840.1.114569.1.1.3"), 0);
	CU_ASSERT_EQUAL(certmap_cert_class(map, sp_a), CERTMAP_CLASS_FULL);
	CU_ASSERT_EQUAL(certmap_cert_class(map, op1_prov), CERTMAP_CLASS_PROVISIONAL);
	CU_ASSERT_EQUAL(certmap_policy_oid_add(map, CERTMAP_CLASS_FULL, "2.16.840.1.114569.1.1.3"), -EEXIST);
	/* a certificate with both a full and a provisional OID is provisional */
	CU_ASSERT_EQUAL(certmap_policy_oid_add(map, CERTMAP_CLASS_FULL, CERTMAP_DEFAULT_PROV_OID), 0);
	CU_ASSERT_EQUAL(certmap_cert_class(map, op1_prov), CERTMAP_CLASS_PROVISIONAL);

	CU_ASSERT_EQUAL(certmap_policy_oid_add(map, CERTMAP_CLASS_FULL, "not.an.oid"), -EINVAL);
	CU_ASSERT_EQUAL(certmap_policy_oid_add(map, CERTMAP_CLASS_FULL, ""), -EINVAL);
	CU_ASSERT_EQUAL(certmap_policy_oid_add(map, CERTMAP_CLASS_FULL, "1..2"), -EINVAL);
	CU_ASSERT_EQUAL(certmap_policy_oid_add(map, CERTMAP_CLASS_UNKNOWN, "1.2.3"), -EINVAL);
	CU_ASSERT_EQUAL(certmap_policy_oid_add(map, CERTMAP_CLASS_FULL, "1.2."), -EINVAL);
	CU_ASSERT_EQUAL(certmap_policy_oid_add(map, CERTMAP_CLASS_FULL, "12"), -EINVAL);
	CU_ASSERT_EQUAL(certmap_policy_oid_add(map, CERTMAP_CLASS_FULL, "1.2.3"), 0);
	CU_ASSERT_EQUAL(certmap_policy_oid_add(map, CERTMAP_CLASS_FULL, "1.2.4"), 0);
	CU_ASSERT_EQUAL(certmap_policy_oid_add(map, CERTMAP_CLASS_FULL, "1.2.5"), -ENOSPC);
	talloc_free(map);
}

static void test_numbers_from_certificates(void)
{
	struct certmap *map = certmap_alloc(ctx);
	struct certmap_signer s;
	enum certmap_cover how;

	CU_ASSERT_PTR_NOT_NULL_FATAL(map);
	/* op1-full: TNAuthList range 4930123400 count 100 held by its CA, no
	 * map entry */
	s = signer_held(map, op1_full, CERTMAP_TRUST_OK);
	CU_ASSERT(certmap_may_present(map, &s, "4930123400", &how));
	CU_ASSERT_EQUAL(how, CERTMAP_COVER_CERT);
	CU_ASSERT(certmap_may_present(map, &s, "+4930123499", &how));
	CU_ASSERT(!certmap_may_present(map, &s, "4930123500", &how));
	CU_ASSERT_EQUAL(how, CERTMAP_COVER_NONE);
	CU_ASSERT(!certmap_may_present(map, &s, "4930123399", NULL));
	CU_ASSERT(!certmap_may_present(map, &s, "49301234000", NULL));
	CU_ASSERT(!certmap_may_present(map, &s, "", NULL));
	CU_ASSERT(!certmap_may_present(map, &s, NULL, NULL));
	CU_ASSERT(!certmap_may_present(map, &s, "49301234x0", NULL));
	/* the same certificate when its path holds no numbers: its own
	 * TNAuthList is a claim, and the map never reads it */
	s = signer(op1_full, CERTMAP_TRUST_OK);
	CU_ASSERT(!certmap_may_present(map, &s, "4930123400", &how));
	CU_ASSERT_EQUAL(how, CERTMAP_COVER_NONE);
	/* a delegate certificate (RFC 9060) vouches for its range and TN */
	s = signer_held(map, delegate, CERTMAP_TRUST_OK);
	CU_ASSERT(certmap_may_present(map, &s, "12025550150", &how));
	CU_ASSERT_EQUAL(how, CERTMAP_COVER_CERT);
	CU_ASSERT(certmap_may_present(map, &s, "12025559999", NULL));
	CU_ASSERT(!certmap_may_present(map, &s, "12025550200", NULL));
	/* an SPC alone covers no number */
	s = signer_held(map, sp_a, CERTMAP_TRUST_OK);
	CU_ASSERT(!certmap_may_present(map, &s, "12025550150", NULL));
	/* fail closed: revoked, untrusted, unknown */
	s = signer_held(map, op1_full, CERTMAP_TRUST_REVOKED);
	CU_ASSERT(!certmap_may_present(map, &s, "4930123400", &how));
	CU_ASSERT_EQUAL(how, CERTMAP_COVER_NONE);
	s = signer_held(map, op1_full, CERTMAP_TRUST_UNTRUSTED);
	CU_ASSERT(!certmap_may_present(map, &s, "4930123400", NULL));
	s = signer(NULL, CERTMAP_TRUST_UNKNOWN);
	CU_ASSERT(!certmap_may_present(map, &s, "4930123400", NULL));
	talloc_free(map);
}

static void test_entries(void)
{
	struct certmap *map = certmap_alloc(ctx);
	struct certmap_entry *e;
	struct certmap_signer s;
	enum certmap_cover how;
	char subject[CERTMAP_SUBJECT_MAX + 1];
	uint8_t id[KEYID_LEN], spki[KEYID_SPKI_LEN];
	bool pinned;

	CU_ASSERT_PTR_NOT_NULL_FATAL(map);
	/* Operator One's provisional certificate has no TNAuthList: its numbers
	 * come from the map, by its pinned key */
	e = certmap_entry_add(map, "op1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(certmap_entry_set_spc(e, "1234"), 0);
	CU_ASSERT_EQUAL(keyid_from_x509(id, op1_prov), 0);
	CU_ASSERT_EQUAL(certmap_entry_add_keyid(e, id), 0);
	CU_ASSERT_EQUAL(certmap_entry_add_keyid(e, id), 0);
	CU_ASSERT_EQUAL(e->num_keyids, 1);
	/* the key-id alone names the entry and grants nothing */
	s = signer(op1_prov, CERTMAP_TRUST_OK);
	CU_ASSERT_PTR_EQUAL(certmap_find_signer(map, &s, &pinned), e);
	CU_ASSERT(!pinned);
	CU_ASSERT_EQUAL(certmap_entry_add_number(e, CERTMAP_NUM_PREFIX, "4930", 0), 0);
	CU_ASSERT(!certmap_may_present(map, &s, "4930123450", NULL));
	CU_ASSERT(!certmap_same_carrier(map, &s, "1234"));
	e->num_numbers = 0;
	CU_ASSERT_EQUAL(keyid_spki_sha256(spki, op1_prov), 0);
	CU_ASSERT_EQUAL(certmap_entry_add_spki(e, spki), 0);
	CU_ASSERT_EQUAL(certmap_entry_add_spki(e, spki), 0);
	CU_ASSERT_EQUAL(e->num_spkis, 1);
	CU_ASSERT_EQUAL(certmap_entry_add_number(e, CERTMAP_NUM_RANGE, "4930123400", 100), 0);
	CU_ASSERT_EQUAL(certmap_entry_add_number(e, CERTMAP_NUM_ONE, "4940555000", 0), 0);
	CU_ASSERT_EQUAL(certmap_entry_add_number(e, CERTMAP_NUM_PREFIX, "4989", 0), 0);

	s = signer(op1_prov, CERTMAP_TRUST_OK);
	CU_ASSERT_PTR_EQUAL(certmap_find_signer(map, &s, &pinned), e);
	CU_ASSERT(pinned);
	CU_ASSERT(certmap_may_present(map, &s, "4930123450", &how));
	CU_ASSERT_EQUAL(how, CERTMAP_COVER_MAP);
	CU_ASSERT(certmap_may_present(map, &s, "4940555000", NULL));
	CU_ASSERT(!certmap_may_present(map, &s, "49405550001", NULL));
	CU_ASSERT(certmap_may_present(map, &s, "498912345678", NULL));
	CU_ASSERT(!certmap_may_present(map, &s, "4988", NULL));
	CU_ASSERT(!certmap_may_present(map, &s, "4930123500", NULL));
	s.trust = CERTMAP_TRUST_REVOKED;
	CU_ASSERT(!certmap_may_present(map, &s, "4930123450", NULL));

	/* the hash the caller computed wins over the certificate's */
	s.trust = CERTMAP_TRUST_OK;
	s.spki_sha256 = spki;
	s.cert = op1_full;
	CU_ASSERT(certmap_may_present(map, &s, "4930123450", NULL));
	spki[0] ^= 1;
	CU_ASSERT(!certmap_may_present(map, &s, "4930123450", NULL));
	spki[0] ^= 1;
	while (e->num_spkis < CERTMAP_MAX_KEYIDS) {
		spki[1]++;
		CU_ASSERT_EQUAL_FATAL(certmap_entry_add_spki(e, spki), 0);
	}
	spki[1]++;
	CU_ASSERT_EQUAL(certmap_entry_add_spki(e, spki), -ENOSPC);

	/* Operator Two by certificate subject, and by operator code: names
	 * only, no authority (any CA can write the subject, and the code is
	 * no one's signed word) */
	e = certmap_entry_add(map, "op2");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT(certmap_subject_str(subject, sizeof(subject), op2_full) > 0);
	CU_ASSERT_STRING_EQUAL(subject, "CN=Operator Two signing,O=Operator Two,C=YY");
	CU_ASSERT_EQUAL(certmap_entry_set_subject(e, subject), 0);
	CU_ASSERT_EQUAL(certmap_entry_set_op_code(e, "YY-OP2"), 0);
	CU_ASSERT_EQUAL(certmap_entry_set_spc(e, "5678"), 0);
	CU_ASSERT_EQUAL(certmap_entry_add_number(e, CERTMAP_NUM_PREFIX, "44", 0), 0);
	s = signer(op2_full, CERTMAP_TRUST_OK);
	CU_ASSERT_PTR_EQUAL(certmap_find_signer(map, &s, &pinned), e);
	CU_ASSERT(!pinned);
	CU_ASSERT(!certmap_may_present(map, &s, "442071234567", &how));
	CU_ASSERT(!certmap_same_carrier(map, &s, "5678"));
	s = signer(NULL, CERTMAP_TRUST_OK);
	s.op_code = "YY-OP2";
	CU_ASSERT_PTR_EQUAL(certmap_find_signer(map, &s, NULL), e);
	CU_ASSERT(!certmap_may_present(map, &s, "442071234567", NULL));
	s.op_code = "ZZ-OP9";
	CU_ASSERT_PTR_NULL(certmap_find_signer(map, &s, &pinned));
	CU_ASSERT(!pinned);
	/* pinned, the same entry grants its numbers and SPC */
	CU_ASSERT_EQUAL(keyid_spki_sha256(spki, op2_full), 0);
	CU_ASSERT_EQUAL(certmap_entry_add_spki(e, spki), 0);
	s = signer(op2_full, CERTMAP_TRUST_OK);
	CU_ASSERT(certmap_may_present(map, &s, "442071234567", &how));
	CU_ASSERT_EQUAL(how, CERTMAP_COVER_MAP);

	/* same carrier: the pinned entry's SPC, or an SPC its path holds */
	s = signer(op1_prov, CERTMAP_TRUST_OK);
	CU_ASSERT(certmap_same_carrier(map, &s, "1234"));
	CU_ASSERT(!certmap_same_carrier(map, &s, "5678"));
	CU_ASSERT(!certmap_same_carrier(map, &s, ""));
	CU_ASSERT(!certmap_same_carrier(map, &s, NULL));
	s = signer(op2_full, CERTMAP_TRUST_OK);
	CU_ASSERT(certmap_same_carrier(map, &s, "5678"));
	s = signer_held(map, sp_b, CERTMAP_TRUST_OK);
	CU_ASSERT(certmap_same_carrier(map, &s, "5678"));
	CU_ASSERT(!certmap_same_carrier(map, &s, "1234"));
	s.trust = CERTMAP_TRUST_REVOKED;
	CU_ASSERT(!certmap_same_carrier(map, &s, "5678"));
	/* the SPC of a TNAuthList its path does not hold counts for nothing */
	s = signer(sp_b, CERTMAP_TRUST_OK);
	CU_ASSERT(!certmap_same_carrier(map, &s, "5678"));
	/* op1-full is not in the map and its TNAuthList has no SPC */
	s = signer_held(map, op1_full, CERTMAP_TRUST_OK);
	CU_ASSERT(!certmap_same_carrier(map, &s, "1234"));

	/* setters refuse bad values */
	CU_ASSERT_PTR_NULL(certmap_entry_add(map, "op1"));
	CU_ASSERT_PTR_NULL(certmap_entry_add(map, ""));
	CU_ASSERT_PTR_NULL(certmap_entry_add(map, "two words"));
	CU_ASSERT_PTR_NULL(certmap_entry_add(map, "a-name-that-is-longer-than-32-chars"));
	CU_ASSERT_EQUAL(certmap_entry_set_spc(e, ""), -EINVAL);
	CU_ASSERT_EQUAL(certmap_entry_set_spc(e, "12\x01"), -EINVAL);
	CU_ASSERT_EQUAL(certmap_entry_add_number(e, CERTMAP_NUM_RANGE, "4930", 1), -EINVAL);
	CU_ASSERT_EQUAL(certmap_entry_add_number(e, CERTMAP_NUM_RANGE, "999999999999999",
						 UINT64_MAX), -EINVAL);
	CU_ASSERT_EQUAL(certmap_entry_add_number(e, CERTMAP_NUM_ONE, "4930123456789012", 0), -EINVAL);
	CU_ASSERT_EQUAL(certmap_entry_add_number(e, CERTMAP_NUM_ONE, "49*30", 0), -EINVAL);
	CU_ASSERT_EQUAL(certmap_entry_add_number(e, CERTMAP_NUM_PREFIX, "", 0), -EINVAL);
	while (e->num_numbers < CERTMAP_MAX_NUMBERS)
		CU_ASSERT_EQUAL_FATAL(certmap_entry_add_number(e, CERTMAP_NUM_ONE, "1", 0), 0);
	CU_ASSERT_EQUAL(certmap_entry_add_number(e, CERTMAP_NUM_ONE, "1", 0), -ENOSPC);
	talloc_free(map);
}

static void test_assess(void)
{
	static const char text[] =
		"# Operator One: SHAKEN SPC 1234, both TSCA certificates\n"
		"operator op1\n"
		"\tspc 1234\n"
		"\tcode ZZ-OP1\n"
		"\tkey-id %s\n"
		"\tspki-sha256 %s\n"
		"\tSPKI-SHA256 %s\n"
		"\trange 4930123400 100\n";
	struct certmap *map = certmap_alloc(ctx);
	struct certmap_answer a;
	struct certmap_signer s;
	char buf[512], kf[KEYID_HEX_LEN], sf[2 * KEYID_SPKI_LEN + 1], sp[2 * KEYID_SPKI_LEN + 1];
	uint8_t id[KEYID_LEN];
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(map);
	CU_ASSERT_EQUAL(keyid_from_x509(id, op1_full), 0);
	CU_ASSERT_EQUAL(keyid_to_hex(kf, sizeof(kf), id), 0);
	spki_hex(sf, op1_full);
	spki_hex(sp, op1_prov);
	/* directives are lower case: the upper-case one is refused */
	n = snprintf(buf, sizeof(buf), text, kf, sf, sp);
	CU_ASSERT_FATAL(n > 0 && (size_t)n < sizeof(buf));
	CU_ASSERT_EQUAL(certmap_load_buf(map, buf, (size_t)n), -EINVAL);
	talloc_free(map);
	map = certmap_alloc(ctx);
	CU_ASSERT_PTR_NOT_NULL_FATAL(map);
	/* upper-case hex is fine */
	for (n = 0; sp[n]; n++)
		sp[n] = (char)toupper((unsigned char)sp[n]);
	n = snprintf(buf, sizeof(buf), text, kf, sf, sp);
	memcpy(strstr(buf, "SPKI-SHA256"), "spki-sha256", 11);
	CU_ASSERT_FATAL(n > 0 && (size_t)n < sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(certmap_load_buf(map, buf, (size_t)n), 0);

	/* full signer, number its path holds, same carrier as SPC 1234 */
	s = signer_held(map, op1_full, CERTMAP_TRUST_OK);
	CU_ASSERT_EQUAL(certmap_assess(map, &s, "4930123456", "1234", &a), 0);
	CU_ASSERT_EQUAL(a.trust, CERTMAP_TRUST_OK);
	CU_ASSERT(a.known);
	CU_ASSERT_EQUAL(a.cls, CERTMAP_CLASS_FULL);
	CU_ASSERT(a.covers);
	CU_ASSERT_EQUAL(a.cover, CERTMAP_COVER_CERT);
	CU_ASSERT(a.same_carrier);
	CU_ASSERT_STRING_EQUAL(a.entry, "op1");
	CU_ASSERT(a.pinned);
	/* the class is the path's (the caller's), not the leaf's */
	s.cls = CERTMAP_CLASS_UNKNOWN;
	CU_ASSERT_EQUAL(certmap_assess(map, &s, "4930123456", "1234", &a), 0);
	CU_ASSERT_EQUAL(a.cls, CERTMAP_CLASS_UNKNOWN);
	s.cls = 7;
	CU_ASSERT_EQUAL(certmap_assess(map, &s, "4930123456", "1234", &a), -EINVAL);

	/* provisional signer covering the number through the map */
	s = signer_held(map, op1_prov, CERTMAP_TRUST_OK);
	CU_ASSERT_EQUAL(certmap_assess(map, &s, "4930123456", "5678", &a), 0);
	CU_ASSERT_EQUAL(a.cls, CERTMAP_CLASS_PROVISIONAL);
	CU_ASSERT(a.covers);
	CU_ASSERT_EQUAL(a.cover, CERTMAP_COVER_MAP);
	CU_ASSERT(!a.same_carrier);

	/* revoked signer: known, but nothing else */
	s = signer(rogue, CERTMAP_TRUST_REVOKED);
	CU_ASSERT_EQUAL(certmap_assess(map, &s, "4930123456", "1234", &a), 0);
	CU_ASSERT_EQUAL(a.trust, CERTMAP_TRUST_REVOKED);
	CU_ASSERT(a.known);
	CU_ASSERT_EQUAL(a.cls, CERTMAP_CLASS_UNKNOWN);
	CU_ASSERT(!a.covers);
	CU_ASSERT(!a.same_carrier);
	CU_ASSERT_PTR_NULL(a.entry);

	/* unknown signer: no certificate, no entry */
	s = signer(NULL, CERTMAP_TRUST_UNKNOWN);
	memset(s.key_id, 0xee, sizeof(s.key_id));
	CU_ASSERT_EQUAL(certmap_assess(map, &s, "4930123456", "1234", &a), 0);
	CU_ASSERT(!a.known);
	CU_ASSERT(!a.covers);

	/* full signer, number outside */
	s = signer_held(map, op2_full, CERTMAP_TRUST_OK);
	CU_ASSERT_EQUAL(certmap_assess(map, &s, "4930123456", NULL, &a), 0);
	CU_ASSERT_EQUAL(a.cls, CERTMAP_CLASS_FULL);
	CU_ASSERT(!a.covers);
	CU_ASSERT(!a.same_carrier);
	CU_ASSERT_EQUAL(certmap_assess(map, NULL, "1", NULL, &a), -EINVAL);

	/* the caller's list is what counts, whatever the certificate says */
	{
		struct tnauthlist *list = NULL;
		struct certmap_answer b;

		CU_ASSERT_EQUAL_FATAL(tnauthlist_from_x509(ctx, &list, op1_full), 0);
		/* another signer's list: op2's certificate, op1's numbers */
		s = signer(op2_full, CERTMAP_TRUST_OK);
		s.tnauth = list;
		CU_ASSERT_EQUAL(certmap_assess(map, &s, "4930123456", "1234", &b), 0);
		CU_ASSERT(b.covers);
		CU_ASSERT_EQUAL(b.cover, CERTMAP_COVER_CERT);
		talloc_free(list);
	}
	talloc_free(map);
}

static void test_loader(void)
{
	static const struct {
		const char *text;
		int rc;
	} v[] = {
		{ "", 0 },
		{ "# only a comment\n\n   \n", 0 },
		{ "operator a\n spc 1\n tn 1\n prefix 49\n range 100 2 # two\n", 0 },
		{ "operator a\r\n spc 1\r\n", 0 },
		{ "full-policy 1.2.3\nprovisional-policy 1.2.4\nprovisional-policy 1.2.4\n", 0 },
		{ "spc 1234\n", -EINVAL },			/* outside an operator */
		{ "operator a\noperator a\n", -EINVAL },		/* twice */
		{ "operator\n", -EINVAL },			/* no value */
		{ "operator a\n frobnicate 1\n", -EINVAL },
		{ "operator a\n key-id 0011\n", -EINVAL },
		{ "operator a\n key-id 00112233445566zz\n", -EINVAL },
		{ "operator a\n spki-sha256 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n", 0 },
		{ "operator a\n spki-sha256 00112233445566778899aabbccddeeff00112233445566778899aabbccddeef\n",
		  -EINVAL },
		{ "operator a\n spki-sha256 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff0\n",
		  -EINVAL },
		{ "operator a\n spki-sha256 00112233445566778899aabbccddeeff00112233445566778899aabbccddeefg\n",
		  -EINVAL },
		{ "operator a\n spki-sha256 0011223344556677\n", -EINVAL },
		{ "operator a\n range 100\n", -EINVAL },
		{ "operator a\n range 100 1\n", -EINVAL },
		{ "operator a\n range 100 x\n", -EINVAL },
		{ "operator a\n range 100 99999999999999999999999\n", -EINVAL },
		{ "operator a\n tn 12a\n", -EINVAL },
		{ "full-policy 1.2.x\n", -EINVAL },
		{ "operator a\n gt-prefix 4930\n gt-prefix 4931\n imsi-prefix 26201\n imsi-prefix 310150\n", 0 },
		{ "operator a\n gt-prefix 49x0\n", -EINVAL },
		{ "operator a\n gt-prefix 4930123456789012\n", -EINVAL },	/* 16 digits */
		{ "operator a\n gt-prefix +4930\n", -EINVAL },
		{ "operator a\n gt-prefix 4930\n gt-prefix 4930\n", -EINVAL },	/* twice */
		{ "operator a\n gt-prefix 4930\noperator b\n gt-prefix 4930\n", -EINVAL },	/* two networks */
		{ "operator a\n imsi-prefix 2620\n", -EINVAL },		/* no MNC */
		{ "operator a\n imsi-prefix 2620123\n", -EINVAL },	/* more than MCC+MNC */
		{ "operator a\n imsi-prefix 2620a\n", -EINVAL },
		{ "operator a\n imsi-prefix 26201\noperator b\n imsi-prefix 26201\n", -EINVAL },
		{ "gt-prefix 4930\n", -EINVAL },				/* outside an operator */
		{ "operator a\n spc 1\0\n", -EINVAL },
	};
	struct certmap *map;
	unsigned int i;
	char line[CERTMAP_LINE_MAX + 16];

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		size_t len = strlen(v[i].text);
		int rc;

		/* the NUL row has its length beyond the embedded NUL */
		if (i == ARRAY_SIZE(v) - 1)
			len = sizeof("operator a\n spc 1\0\n") - 1;
		map = certmap_alloc(ctx);
		CU_ASSERT_PTR_NOT_NULL_FATAL(map);
		rc = certmap_load_buf(map, v[i].text, len);
		if (rc != v[i].rc)
			fprintf(stderr, "\n  row %u: rc %d", i, rc);
		CU_ASSERT_EQUAL(rc, v[i].rc);
		talloc_free(map);
	}

	/* the policy lines replace the default OIDs */
	map = certmap_alloc(ctx);
	CU_ASSERT_EQUAL(certmap_load_buf(map, "full-policy 1.2.3\n", 18), 0);
	CU_ASSERT_EQUAL(certmap_cert_class(map, op1_full), CERTMAP_CLASS_UNKNOWN);
	CU_ASSERT_EQUAL(certmap_cert_class(map, op1_prov), CERTMAP_CLASS_PROVISIONAL);
	talloc_free(map);

	/* a line too long */
	memset(line, 'x', sizeof(line));
	memcpy(line, "operator ", 9);
	map = certmap_alloc(ctx);
	CU_ASSERT_EQUAL(certmap_load_buf(map, line, sizeof(line)), -EINVAL);
	talloc_free(map);

	/* the entries the loader built */
	map = certmap_alloc(ctx);
	CU_ASSERT_EQUAL(certmap_load_buf(map, v[2].text, strlen(v[2].text)), 0);
	{
		const struct certmap_entry *e = certmap_entry_find(map, "a");

		CU_ASSERT_PTR_NOT_NULL_FATAL(e);
		CU_ASSERT_STRING_EQUAL(e->spc, "1");
		CU_ASSERT_EQUAL(e->num_numbers, 3);
		CU_ASSERT_EQUAL(e->numbers[2].type, CERTMAP_NUM_RANGE);
		CU_ASSERT_STRING_EQUAL(e->numbers[2].digits, "100");
		CU_ASSERT_EQUAL(e->numbers[2].count, 2);
	}
	talloc_free(map);
}

/* The MAP border's questions: which network a global title or an IMSI
 * belongs to (names only), and which signer may originate as a global
 * title (only through the entry pinning its key). */
static void test_gt_imsi(void)
{
	char text[1024], hex1[2 * KEYID_SPKI_LEN + 1];
	struct certmap *map = certmap_alloc(ctx);
	const struct certmap_entry *a, *b, *e;
	struct certmap_signer s;
	char key_id_hex[2 * KEYID_LEN + 1];
	uint8_t id[KEYID_LEN];
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(map);
	spki_hex(hex1, op1_full);
	CU_ASSERT_EQUAL(keyid_from_x509(id, op2_full), 0);
	for (i = 0; i < KEYID_LEN; i++)
		snprintf(key_id_hex + 2 * i, 3, "%02x", id[i]);
	snprintf(text, sizeof(text),
		 "operator home\n spki-sha256 %s\n gt-prefix 4930\n gt-prefix 49301\n imsi-prefix 26201\n"
		 "operator visited\n key-id %s\n gt-prefix 493\n gt-prefix 33\n imsi-prefix 208\n"
		 "  imsi-prefix 20801\n",
		 hex1, key_id_hex);
	/* "208" is too short for MCC+MNC: the line is refused, what came before stays */
	CU_ASSERT_EQUAL(certmap_load_buf(map, text, strlen(text)), -EINVAL);
	talloc_free(map);
	map = certmap_alloc(ctx);
	CU_ASSERT_PTR_NOT_NULL_FATAL(map);
	snprintf(text, sizeof(text),
		 "operator home\n spki-sha256 %s\n gt-prefix 4930\n gt-prefix 49301\n imsi-prefix 26201\n"
		 "operator visited\n key-id %s\n gt-prefix 493\n gt-prefix 33\n imsi-prefix 20801\n"
		 " imsi-prefix 208015\noperator other\n imsi-prefix 20802\n",
		 hex1, key_id_hex);
	CU_ASSERT_EQUAL_FATAL(certmap_load_buf(map, text, strlen(text)), 0);
	a = certmap_entry_find(map, "home");
	b = certmap_entry_find(map, "visited");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(a->num_gt_prefixes, 2);
	CU_ASSERT_STRING_EQUAL(a->gt_prefixes[1], "49301");
	CU_ASSERT_EQUAL(b->num_imsi_prefixes, 2);

	/* the longest prefix wins, whichever entry holds it */
	CU_ASSERT_PTR_EQUAL(certmap_entry_by_gt(map, "4930123456"), a);
	CU_ASSERT_PTR_EQUAL(certmap_entry_by_gt(map, "4931123456"), b);
	CU_ASSERT_PTR_EQUAL(certmap_entry_by_gt(map, "33612345678"), b);
	CU_ASSERT_PTR_NULL(certmap_entry_by_gt(map, "4412345678"));
	CU_ASSERT_PTR_NULL(certmap_entry_by_gt(map, ""));
	CU_ASSERT_PTR_NULL(certmap_entry_by_gt(map, NULL));
	CU_ASSERT_PTR_NULL(certmap_entry_by_gt(map, "49301234567890123"));	/* not a GT */
	CU_ASSERT_PTR_NULL(certmap_entry_by_gt(map, "4930F"));
	CU_ASSERT_PTR_EQUAL(certmap_entry_by_imsi(map, "262019876543210"), a);
	CU_ASSERT_PTR_EQUAL(certmap_entry_by_imsi(map, "208011234567890"), b);
	CU_ASSERT_PTR_EQUAL(certmap_entry_by_imsi(map, "208029876543210"), certmap_entry_find(map, "other"));
	CU_ASSERT_PTR_NULL(certmap_entry_by_imsi(map, "262029876543210"));
	CU_ASSERT_PTR_NULL(certmap_entry_by_imsi(map, "2620198765432101"));
	CU_ASSERT(certmap_entry_has_imsi(a, "262019876543210"));
	CU_ASSERT(!certmap_entry_has_imsi(a, "208011234567890"));
	CU_ASSERT(!certmap_entry_has_imsi(NULL, "262019876543210"));
	CU_ASSERT(certmap_entry_has_gt(b, "33612345678"));
	CU_ASSERT(!certmap_entry_has_gt(b, "4412"));

	/* a prefix names one network: a second entry cannot take it */
	e = certmap_entry_add(map, "late");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(certmap_entry_add_gt_prefix(map, (struct certmap_entry *)e, "4930"), -EEXIST);
	CU_ASSERT_EQUAL(certmap_entry_add_imsi_prefix(map, (struct certmap_entry *)e, "26201"), -EEXIST);
	CU_ASSERT_EQUAL(certmap_entry_add_gt_prefix(map, (struct certmap_entry *)e, "4932"), 0);
	CU_ASSERT_EQUAL(certmap_entry_add_imsi_prefix(map, (struct certmap_entry *)e, "262011"), 0);
	/* the 6-digit home network is longer than home's 5 digits */
	CU_ASSERT_PTR_EQUAL(certmap_entry_by_imsi(map, "262011234567890"), e);
	for (i = 0; i < CERTMAP_MAX_GT_PREFIXES - 1; i++) {
		char p[8];

		snprintf(p, sizeof(p), "77%u", i + 100);
		CU_ASSERT_EQUAL(certmap_entry_add_gt_prefix(map, (struct certmap_entry *)e, p), 0);
	}
	CU_ASSERT_EQUAL(certmap_entry_add_gt_prefix(map, (struct certmap_entry *)e, "88"), -ENOSPC);

	/* the signer whose key home pins may originate as its GTs, no other */
	s = signer(op1_full, CERTMAP_TRUST_OK);
	CU_ASSERT(certmap_may_use_gt(map, &s, "4930123456", &e));
	CU_ASSERT_PTR_EQUAL(e, a);
	CU_ASSERT(!certmap_may_use_gt(map, &s, "33612345678", &e));
	CU_ASSERT_PTR_EQUAL(e, a);
	CU_ASSERT(!certmap_may_use_gt(map, &s, "", NULL));
	/* revoked or untrusted: nothing, though the entry pins it */
	s.trust = CERTMAP_TRUST_REVOKED;
	CU_ASSERT(!certmap_may_use_gt(map, &s, "4930123456", &e));
	CU_ASSERT_PTR_EQUAL(e, a);
	s.trust = CERTMAP_TRUST_UNTRUSTED;
	CU_ASSERT(!certmap_may_use_gt(map, &s, "4930123456", NULL));
	/* visited names op2 by key-id: a name grants no global title */
	s = signer(op2_full, CERTMAP_TRUST_OK);
	CU_ASSERT_PTR_EQUAL(certmap_find_signer(map, &s, NULL), b);
	CU_ASSERT(!certmap_may_use_gt(map, &s, "33612345678", &e));
	CU_ASSERT_PTR_NULL(e);
	talloc_free(map);
}

static void test_load_file(void)
{
	static const char text[] = "operator op2\n\tsubject CN=Operator Two signing,O=Operator Two,C=YY\n"
				   "\tprefix 44\n";
	char path[] = "map_test.XXXXXX";
	struct certmap *map = certmap_alloc(ctx);
	struct certmap_signer s;
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(map);
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	CU_ASSERT_EQUAL(certmap_load_file(map, path), 0);
	unlink(path);
	/* a subject names the entry, it does not grant the numbers */
	s = signer(op2_full, CERTMAP_TRUST_OK);
	CU_ASSERT(!certmap_may_present(map, &s, "442071234567", NULL));
	CU_ASSERT_EQUAL(certmap_load_file(map, "/nonexistent/map.conf"), -ENOENT);
	talloc_free(map);
}

static int setup(void *root)
{
	ctx = root;
	return 0;
}

static unsigned int teardown(void)
{
	unsigned int failures = 0;

	testpki_cleanup();
	if (talloc_total_blocks(ctx) != 1) {
		fprintf(stderr, "talloc: %zu blocks left\n", talloc_total_blocks(ctx));
		failures++;
	}
	return failures;
}

static const struct cunit_test tests[] = {
	{ "full/provisional by policy OID", test_class },
	{ "numbers the path holds", test_numbers_from_certificates },
	{ "configured entries, SPC <-> operator", test_entries },
	{ "one call's answers", test_assess },
	{ "text loader", test_loader },
	{ "global titles and home networks", test_gt_imsi },
	{ "map file", test_load_file },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "map", suite_init, suite_cleanup, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "map_test",
	.log = CUNIT_LOG_SILENT,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
