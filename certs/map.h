/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file map.h
 *  The map between the two trust domains (ARCHITECTURE §3): which SHAKEN Service
 *  Provider Code and which TSCA operator are one carrier, and which
 *  telephone numbers each may vouch for.
 *
 *  Who decides what (the rule against a trusted operator CA that makes
 *  itself a signer for numbers or a class it does not hold):
 *  - An entry grants authority (its numbers, its SPC) only to a signer
 *    whose key it pins: `spki-sha256`, the full SHA-256 of the signer
 *    certificate's SubjectPublicKeyInfo.  A `key-id` (8 octets, the lookup
 *    hint of the HOP token), a `subject` (written by whichever CA issued
 *    the certificate) or a `code` only name the entry in logs and grant
 *    nothing: 64 bits are too few to bind authority to a key, and any
 *    operator CA can write any subject.
 *  - Numbers by certificate are those the TSCA directory found held by the
 *    signer's path (certs/tsca.h: a CA of the path holds numbers and
 *    encompasses the leaf's TNAuthList, RFC 9060); the caller passes them
 *    in certmap_signer.tnauth.  The map never reads a leaf's own TNAuthList:
 *    when no CA of the path holds numbers, only the pinned entry's
 *    configured ranges, prefixes and single numbers count.
 *  - The class (full/provisional) is the one valid for the whole path
 *    (RFC 5280 §6.1, certs/tsca.h), passed in certmap_signer.cls; what the
 *    leaf names (certmap_cert_class()) is a claim, for display only.
 *
 *  Questions it answers for the attestation policy (iwf/policy.h):
 *  - may the hop signer (key-id X, its certificate) present calling number N?
 *  - is the PASSporT's SPC S the same carrier as hop signer X?
 *  - is X's certificate full or provisional (by certificate-policy OID)?
 *  - is X revoked or unknown?  The trust store decides that; the map takes
 *    its answer as an input (struct certmap_signer.trust) and fails closed.
 *
 *  And for the MAP border (GSMA FS.11 screening, src/stiwfd/map_relay.h):
 *  - which operator's network does an SCCP calling global title belong to
 *    (`gt-prefix`, certmap_entry_by_gt())?  Unauthenticated: it names a
 *    network, it grants nothing;
 *  - which operator is an IMSI's home network (`imsi-prefix`, MCC+MNC,
 *    certmap_entry_by_imsi(), certmap_entry_has_imsi())?
 *  - may the MAP signer X use global title G as the originator of a
 *    dialogue (certmap_may_use_gt())?  Only through the entry that pins
 *    X's key, like numbers.
 *  A prefix belongs to one entry: the loader refuses a gt-prefix or an
 *  imsi-prefix that another entry lists already, so that a global title or
 *  an IMSI never names two operators.
 *
 *  No TSCA certificate profile is public (docs/STANDARDS.md §1.4), so the full
 *  and provisional policy OIDs are configurable; the defaults are those of
 *  the test PKI (contrib/README.pki.md). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>
#include <osmocom/core/utils.h>

#include "certs/keyid.h"
#include "certs/tnauthlist.h"

#define CERTMAP_NAME_MAX	32	/*!< an entry's name, for logs */
#define CERTMAP_OPCODE_MAX	32	/*!< an operator code */
#define CERTMAP_SUBJECT_MAX	256	/*!< RFC 2253 text of a subject */
#define CERTMAP_OID_MAX		80	/*!< dotted text of a policy OID */
#define CERTMAP_MAX_KEYIDS	4	/*!< key-ids and pinned keys per entry (full + provisional + rollover) */
#define CERTMAP_MAX_NUMBERS	64	/*!< configured number blocks per entry */
#define CERTMAP_MAX_ENTRIES	1024
#define CERTMAP_MAX_OIDS	4	/*!< policy OIDs per class */
#define CERTMAP_FILE_MAX	(1024 * 1024)	/*!< largest map file we read */
#define CERTMAP_LINE_MAX	511
/*! Global title prefixes per entry: the SCCP calling GTs of its nodes */
#define CERTMAP_MAX_GT_PREFIXES	32
/*! E.164 global titles have at most 15 digits */
#define CERTMAP_GT_MAX		15
/*! IMSI prefixes per entry: its home networks (MCC+MNC) */
#define CERTMAP_MAX_IMSI_PREFIXES	16
/*! MCC (3 digits) and MNC (2 or 3 digits), TS 23.003 §2.2 */
#define CERTMAP_IMSI_PREFIX_MIN	5
#define CERTMAP_IMSI_PREFIX_MAX	6

/*! The test PKI's policy OIDs (contrib/README.pki.md), the defaults */
#define CERTMAP_DEFAULT_FULL_OID	"2.25.166461681668727740336541473751334595185"
#define CERTMAP_DEFAULT_PROV_OID	"2.25.166461681668727740336541473751334595186"

/*! What the trust store says of a signer (an input here). */
enum certmap_trust {
	CERTMAP_TRUST_OK,		/*!< chain verified to a trust anchor, not revoked */
	CERTMAP_TRUST_UNKNOWN,		/*!< no certificate found for the key-id */
	CERTMAP_TRUST_UNTRUSTED,	/*!< chain does not verify (or expired) */
	CERTMAP_TRUST_REVOKED,		/*!< a CRL revokes it or a CA above it */
};
extern const struct value_string certmap_trust_names[];

/*! Certificate class by policy OID (ARCHITECTURE §3) */
enum certmap_class {
	CERTMAP_CLASS_UNKNOWN,		/*!< neither OID, or no certificate */
	CERTMAP_CLASS_FULL,
	CERTMAP_CLASS_PROVISIONAL,
};
extern const struct value_string certmap_class_names[];

/*! Where coverage of a number came from */
enum certmap_cover {
	CERTMAP_COVER_NONE,
	CERTMAP_COVER_CERT,		/*!< TNAuthList of the signer's certificate */
	CERTMAP_COVER_MAP,		/*!< configured numbers of the signer's entry */
};
extern const struct value_string certmap_cover_names[];

/*! A configured block of numbers (E.164 digits, no '+') */
enum certmap_number_type {
	CERTMAP_NUM_ONE,		/*!< exactly this number */
	CERTMAP_NUM_RANGE,		/*!< \a count numbers from \a digits, same length (RFC 8226 §9) */
	CERTMAP_NUM_PREFIX,		/*!< every number starting with \a digits */
};
extern const struct value_string certmap_number_type_names[];

struct certmap_number {
	enum certmap_number_type type;
	char digits[TNAUTH_TN_MAXLEN + 1];
	uint64_t count;			/*!< RANGE only, >= 2 */
};

/*! One carrier, as seen from both domains.  Any of the identifiers may be
 *  empty; a signer matches an entry by key-id, subject or operator code. */
struct certmap_entry {
	char name[CERTMAP_NAME_MAX + 1];
	char spc[TNAUTH_SPC_MAXLEN + 1];	/*!< SHAKEN SPC, "" none */
	char op_code[CERTMAP_OPCODE_MAX + 1];	/*!< TSCA operator code, "" none */
	char subject[CERTMAP_SUBJECT_MAX + 1];	/*!< RFC 2253 subject of its signing cert */
	unsigned int num_keyids;
	uint8_t keyids[CERTMAP_MAX_KEYIDS][KEYID_LEN];	/*!< hints: name the entry, grant nothing */
	unsigned int num_spkis;
	uint8_t spkis[CERTMAP_MAX_KEYIDS][KEYID_SPKI_LEN];	/*!< pinned keys: grant the entry's authority */
	unsigned int num_numbers;
	struct certmap_number numbers[CERTMAP_MAX_NUMBERS];
	/*! global title prefixes of its SS7 nodes (E.164 digits) */
	unsigned int num_gt_prefixes;
	char gt_prefixes[CERTMAP_MAX_GT_PREFIXES][CERTMAP_GT_MAX + 1];
	/*! its home networks: MCC+MNC, 5 or 6 digits */
	unsigned int num_imsi_prefixes;
	char imsi_prefixes[CERTMAP_MAX_IMSI_PREFIXES][CERTMAP_IMSI_PREFIX_MAX + 1];
};

/*! A hop signer as the call path knows it. */
struct certmap_signer {
	uint8_t key_id[KEYID_LEN];
	X509 *cert;			/*!< its certificate, or NULL when not found */
	/*! SHA-256 of the SubjectPublicKeyInfo of \a cert (KEYID_SPKI_LEN
	 *  octets), or NULL: computed from \a cert when needed */
	const uint8_t *spki_sha256;
	enum certmap_trust trust;	/*!< from the trust store */
	const char *op_code;		/*!< operator code when the token names one, or NULL */
	/*! the numbers (and SPCs) its certification path holds: the TSCA
	 *  directory's tsca_result.tnauth, or NULL for none.  Never the leaf's
	 *  own TNAuthList unchecked. */
	const struct tnauthlist *tnauth;
	/*! the class valid for its whole path (tsca_result.policy) */
	enum certmap_class cls;
};

/*! Everything the policy needs about one signer and one call */
struct certmap_answer {
	enum certmap_trust trust;
	bool known;			/*!< a certificate or a map entry identifies it */
	enum certmap_class cls;
	bool covers;			/*!< may present the calling number */
	enum certmap_cover cover;
	bool same_carrier;		/*!< same carrier as the PASSporT's SPC */
	const char *entry;		/*!< name of the matching entry, or NULL */
	bool pinned;			/*!< the entry pins the signer's key (spki-sha256) */
};

struct certmap;

/*! A map with no entries and the default policy OIDs.  talloc_free() it.
 *  \returns the map or NULL */
struct certmap *certmap_alloc(void *ctx);

/*! Forget the policy OIDs of one class (to replace the defaults). */
void certmap_policy_oids_clear(struct certmap *map, enum certmap_class cls);

/*! Add a policy OID (dotted decimal) that marks \a cls (FULL or PROVISIONAL).
 *  \returns 0, -EINVAL (not an OID, bad class; logged), -ENOSPC, -EEXIST */
int certmap_policy_oid_add(struct certmap *map, enum certmap_class cls, const char *oid);

/*! Add an entry named \a name (unique).
 *  \returns the entry (owned by the map; fill it with the setters below), or
 *  NULL (bad or duplicate name, table full; logged) */
struct certmap_entry *certmap_entry_add(struct certmap *map, const char *name);

/*! Look an entry up by name.  \returns it or NULL */
const struct certmap_entry *certmap_entry_find(const struct certmap *map, const char *name);

/*! Setters.  \returns 0, -EINVAL (logged, naming the field), -ENOSPC */
int certmap_entry_set_spc(struct certmap_entry *e, const char *spc);
int certmap_entry_set_op_code(struct certmap_entry *e, const char *code);
int certmap_entry_set_subject(struct certmap_entry *e, const char *subject);
int certmap_entry_add_keyid(struct certmap_entry *e, const uint8_t key_id[KEYID_LEN]);
int certmap_entry_add_spki(struct certmap_entry *e, const uint8_t spki[KEYID_SPKI_LEN]);
int certmap_entry_add_number(struct certmap_entry *e, enum certmap_number_type type,
			     const char *digits, uint64_t count);

/*! Add a global title prefix (1..15 digits) to entry \a e of \a map.
 *  \returns 0, -EINVAL (logged), -EEXIST (this or another entry lists it;
 *  logged), -ENOSPC */
int certmap_entry_add_gt_prefix(struct certmap *map, struct certmap_entry *e, const char *digits);

/*! Add a home network (MCC+MNC: 5 or 6 digits) to entry \a e of \a map.
 *  \returns 0, -EINVAL (logged), -EEXIST (this or another entry lists it;
 *  logged), -ENOSPC */
int certmap_entry_add_imsi_prefix(struct certmap *map, struct certmap_entry *e, const char *digits);

/*! Load entries and policy OIDs from text, one directive per line; '#'
 *  starts a comment, leading white space is ignored:
 *  \code
 *  full-policy OID           # first one replaces the default list
 *  provisional-policy OID
 *  operator NAME             # starts an entry; the lines below fill it
 *    spc 1234
 *    code ZZ-OP1
 *    spki-sha256 00112233...   # 64 hex digits: pins the key, grants the entry's authority
 *    subject CN=Operator One signing,O=Operator One,C=ZZ   # names the entry only
 *    key-id 0011223344556677   # names the entry only (the token's hint)
 *    range 4930123400 100
 *    prefix 4930
 *    tn 4930123499
 *    gt-prefix 4930           # SCCP global titles of its nodes
 *    imsi-prefix 26201        # its home network: MCC+MNC
 *  \endcode
 *  An entry without spki-sha256 grants nothing; the loader says so in
 *  the log.
 *  \returns 0, or -EINVAL naming the line in the log (entries before it
 *  stay added) */
int certmap_load_buf(struct certmap *map, const char *buf, size_t len);

/*! certmap_load_buf() on a file of at most CERTMAP_FILE_MAX octets.
 *  \returns 0, -EINVAL, -EFBIG, -errno of open/read */
int certmap_load_file(struct certmap *map, const char *path);

/*! The subject of \a cert in RFC 2253 text, as entries compare it.
 *  \returns length, -EINVAL, -ENOSPC */
int certmap_subject_str(char *buf, size_t size, X509 *cert);

/*! The entry a signer matches: the one that pins its key (spki-sha256),
 *  else, as a name only, by key-id, by the subject of its certificate, by
 *  operator code.
 *  \param[out] pinned whether the entry pins the signer's key, or NULL
 *  \returns the entry or NULL */
const struct certmap_entry *certmap_find_signer(const struct certmap *map,
						const struct certmap_signer *signer, bool *pinned);

/*! The class \a cert names in its certificate policies (a claim: the
 *  path decides, certmap_signer.cls); a certificate naming both a full
 *  and a provisional OID is provisional (the lower one). */
enum certmap_class certmap_cert_class(const struct certmap *map, X509 *cert);

/*! May \a signer present calling number \a tn (E.164, '+' allowed)?  Yes
 *  when the numbers its path holds (certmap_signer.tnauth: ranges and
 *  single TNs; an SPC alone covers nothing) cover \a tn, or the
 *  configured numbers of the entry that pins its key do.  Never for a
 *  signer that the trust store does not vouch for.
 *  \param[out] how where the answer came from, or NULL */
bool certmap_may_present(const struct certmap *map, const struct certmap_signer *signer,
			 const char *tn, enum certmap_cover *how);

/*! Is SHAKEN SPC \a spc the same carrier as \a signer: the SPC of the
 *  entry that pins its key, or an SPC its path holds (certmap_signer.tnauth)? */
bool certmap_same_carrier(const struct certmap *map, const struct certmap_signer *signer,
			  const char *spc);

/*! The entry whose network a global title belongs to: the longest
 *  gt-prefix that \a gt (E.164 digits) starts with.  It names a network
 *  and grants nothing.  \returns the entry or NULL */
const struct certmap_entry *certmap_entry_by_gt(const struct certmap *map, const char *gt);

/*! The entry of an IMSI's home network: the longest imsi-prefix that
 *  \a imsi starts with.  \returns the entry or NULL */
const struct certmap_entry *certmap_entry_by_imsi(const struct certmap *map, const char *imsi);

/*! Is \a imsi of one of the home networks of entry \a e? */
bool certmap_entry_has_imsi(const struct certmap_entry *e, const char *imsi);

/*! Does \a gt start with one of the gt-prefixes of entry \a e? */
bool certmap_entry_has_gt(const struct certmap_entry *e, const char *gt);

/*! May \a signer originate MAP dialogues as global title \a gt: is gt
 *  covered by a gt-prefix of the entry that pins its key?  Never for a
 *  signer the trust store does not vouch for.
 *  \param[out] entry the pinned entry (even when the answer is no), or NULL
 *  \returns the answer */
bool certmap_may_use_gt(const struct certmap *map, const struct certmap_signer *signer, const char *gt,
			const struct certmap_entry **entry);

/*! All the answers for one call at once.
 *  \param[in] tn the calling number (E.164), or NULL
 *  \param[in] spc the PASSporT's SPC, or NULL
 *  \returns 0 or -EINVAL */
int certmap_assess(const struct certmap *map, const struct certmap_signer *signer,
		   const char *tn, const char *spc, struct certmap_answer *out);
