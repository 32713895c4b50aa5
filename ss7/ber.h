/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file ber.h
 *  A bounded reader and writer of ITU-T X.690 Basic Encoding Rules, for the
 *  TCAP and MAP codecs.  Nothing here allocates.  The reader never reads
 *  outside the (buffer, length) it is given, limits the nesting depth and
 *  the size of tag numbers, lengths and integers, and hands out slices of
 *  the input: both the contents octets of an element and the element as
 *  sent, so that a signature can cover "the bytes as sent".  The writer
 *  always emits definite, minimal lengths. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*! Deepest nesting the reader accepts (the outermost element is depth 1).
 *  A MAP InsertSubscriberData inside TCAP reaches about 14. */
#define BER_MAX_DEPTH		24
/*! Largest tag number: the high-tag-number form with at most 3 subsequent
 *  octets (X.690 §8.1.2.4).  TCAP and MAP use numbers below 128. */
#define BER_TAG_MAX		0x1fffff
/*! Most contents octets an INTEGER may have to be read (int64_t). */
#define BER_INT_MAX_LEN		8
/*! Most octets of one OBJECT IDENTIFIER subidentifier: 140 bits, room for
 *  the 128-bit arcs of X.667 UUID OIDs (2.25.N). */
#define BER_OID_ARC_MAX_LEN	20

/*! Tag classes, X.690 §8.1.2.2 Table 1. */
enum ber_class {
	BER_CLASS_UNIVERSAL	= 0,
	BER_CLASS_APPLICATION	= 1,
	BER_CLASS_CONTEXT	= 2,
	BER_CLASS_PRIVATE	= 3,
};

/* Universal tag numbers we use (X.680 §8.4 Table 1) */
#define BER_TAG_EOC		0
#define BER_TAG_BOOLEAN		1
#define BER_TAG_INTEGER		2
#define BER_TAG_BIT_STRING	3
#define BER_TAG_OCTET_STRING	4
#define BER_TAG_NULL		5
#define BER_TAG_OID		6
#define BER_TAG_OBJECT_DESCRIPTOR 7
#define BER_TAG_EXTERNAL	8
#define BER_TAG_ENUMERATED	10
#define BER_TAG_SEQUENCE	16

/*! A run of octets inside a buffer we were given (never owned). */
struct ber_slice {
	const uint8_t *data;
	size_t len;
};

/*! One element (tag, length, value) as read. */
struct ber_tlv {
	enum ber_class cls;
	bool constructed;
	uint32_t tag;
	/*! the length octets were 0x80: contents end with end-of-contents */
	bool indefinite;
	/*! identifier octets */
	size_t id_len;
	/*! identifier and length octets */
	size_t hdr_len;
	/*! the contents octets; for the indefinite form without the end-of-contents */
	struct ber_slice value;
	/*! the whole element as sent: header, contents and any end-of-contents */
	struct ber_slice raw;
	/*! after a failed read: what was wrong, for the caller's one log line */
	const char *why;
};

/*! Walks the elements that follow one another in a buffer (the contents of
 *  a constructed element, or a whole message). */
struct ber_cursor {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	/*! depth of the elements this cursor returns */
	unsigned int depth;
	/*! after a failed step: what was wrong */
	const char *why;
};

int ber_tlv_read(struct ber_tlv *tlv, const uint8_t *buf, size_t len, unsigned int depth);
bool ber_tlv_is(const struct ber_tlv *tlv, enum ber_class cls, bool constructed, uint32_t tag);

void ber_cursor_init(struct ber_cursor *cur, const uint8_t *buf, size_t len, unsigned int depth);
int ber_cursor_next(struct ber_cursor *cur, struct ber_tlv *tlv);
int ber_cursor_enter(struct ber_cursor *child, const struct ber_cursor *parent,
		     const struct ber_tlv *tlv);
bool ber_cursor_done(const struct ber_cursor *cur);

int ber_validate(const uint8_t *buf, size_t len, unsigned int depth, const char **why);

int ber_int_get(const struct ber_tlv *tlv, int64_t *val);
int ber_bool_get(const struct ber_tlv *tlv, bool *val);
int ber_octets_get(const struct ber_tlv *tlv, struct ber_slice *val);
int ber_oid_check(const uint8_t *oid, size_t len);
int ber_oid_to_str(char *out, size_t out_size, const uint8_t *oid, size_t len);
int ber_oid_from_str(uint8_t *out, size_t out_size, const char *dotted);
bool ber_slice_equal(const struct ber_slice *s, const uint8_t *data, size_t len);

/*! Writes BER into a caller's buffer.  The first failure sticks in err and
 *  later calls do nothing, so a caller may write a whole structure and check
 *  once (ber_writer_finish()). */
struct ber_writer {
	uint8_t *buf;
	size_t size;
	size_t len;
	int err;
	unsigned int depth;
	/*! where the length octet of each open constructed element is */
	size_t open[BER_MAX_DEPTH];
};

void ber_writer_init(struct ber_writer *w, uint8_t *buf, size_t size);
int ber_put_raw(struct ber_writer *w, const void *data, size_t len);
int ber_put_tlv(struct ber_writer *w, enum ber_class cls, bool constructed, uint32_t tag,
		const void *val, size_t len);
int ber_put_int(struct ber_writer *w, enum ber_class cls, uint32_t tag, int64_t val);
int ber_put_bool(struct ber_writer *w, enum ber_class cls, uint32_t tag, bool val);
int ber_open(struct ber_writer *w, enum ber_class cls, uint32_t tag);
int ber_close(struct ber_writer *w);
int ber_writer_finish(const struct ber_writer *w);

size_t ber_len_size(size_t len);
int ber_len_put(uint8_t *out, size_t out_size, size_t len, size_t octets);
