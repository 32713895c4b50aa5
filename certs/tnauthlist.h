/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file tnauthlist.h
 *  The TNAuthList certificate extension (RFC 8226 §9, id-pe 26):
 *  which Service Provider Codes and telephone numbers a certificate
 *  may vouch for.
 *
 *  RFC 8226 Appendix A declares its module with EXPLICIT TAGS, so on the
 *  wire each TNEntry is a constructed context tag around the universal
 *  encoding:
 *    TNAuthorizationList ::= SEQUENCE SIZE (1..MAX) OF TNEntry   -- 30
 *    TNEntry ::= CHOICE {
 *      spc   [0] ServiceProviderCode,     -- A0 { 16 IA5String }
 *      range [1] TelephoneNumberRange,    -- A1 { 30 { 16 start, 02 count, ... } }
 *      one   [2] TelephoneNumber }        -- A2 { 16 IA5String }
 *    TelephoneNumber ::= IA5String (SIZE (1..15)) (FROM ("0123456789#*"))
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>
#include <osmocom/core/utils.h>

/*! OID of id-pe-TNAuthList (RFC 8226 §9). */
#define TNAUTH_OID "1.3.6.1.5.5.7.1.26"
/*! Longest TelephoneNumber (RFC 8226 §9: SIZE (1..15)). */
#define TNAUTH_TN_MAXLEN 15
/*! Longest SPC we accept; RFC 8226 sets no bound, real SPCs (OCNs) have 4. */
#define TNAUTH_SPC_MAXLEN 64
/*! Most entries we accept in one list (RFC 9060 delegates may list many). */
#define TNAUTH_MAX_ENTRIES 1024

enum tnauth_entry_type {
	TNAUTH_ENTRY_SPC,	/*!< spc [0] ServiceProviderCode */
	TNAUTH_ENTRY_RANGE,	/*!< range [1] TelephoneNumberRange */
	TNAUTH_ENTRY_ONE,	/*!< one [2] TelephoneNumber */
};
extern const struct value_string tnauth_entry_type_names[];

struct tnauth_entry {
	enum tnauth_entry_type type;
	/*! SPC: the code; RANGE: the first number; ONE: the number.  NUL-terminated,
	 *  printable ASCII only (an SPC), or digits, '#' and '*' (a number). */
	char str[TNAUTH_SPC_MAXLEN + 1];
	/*! RANGE only: how many numbers, >= 2 (RFC 8226 §9). */
	uint64_t count;
};

struct tnauthlist {
	unsigned int num_entries;
	struct tnauth_entry *entries;	/*!< talloc child of the list */
};

int tnauthlist_decode(void *ctx, struct tnauthlist **out, const uint8_t *buf, size_t len);
int tnauthlist_from_x509(void *ctx, struct tnauthlist **out, const X509 *cert);
int tnauthlist_entry_to_str(char *buf, size_t len, const struct tnauth_entry *e);
bool tnauthlist_covers_tn(const struct tnauthlist *list, const char *tn);
unsigned int tnauthlist_count(const struct tnauthlist *list, enum tnauth_entry_type type);
const char *tnauthlist_first_spc(const struct tnauthlist *list);
bool tnauthlist_encompasses(const struct tnauthlist *outer, const struct tnauthlist *inner);
