/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/core/bytebuf.c: a record of every kind of field read back
 * from every prefix of its encoding and written into every shorter room.
 * The buffers are heap blocks of exactly the length under test, so that
 * a read or write past the end is caught by ASAN or valgrind as well as
 * by the assertions. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "src/core/bytebuf.h"
#include "tests/cunit_main.h"

/* u8 0x7f, u16 0x1234, u32 0xdeadbeef, 3 bytes, lv "abcd", TLV 0x05 "xy",
 * lv of nothing */
static const uint8_t record[] = {
	0x7f,
	0x12, 0x34,
	0xde, 0xad, 0xbe, 0xef,
	'r', 's', 't',
	0x04, 'a', 'b', 'c', 'd',
	0x05, 0x02, 'x', 'y',
	0x00,
};
/* where each field ends: a prefix shorter than an end fails that field */
static const size_t field_end[] = { 1, 3, 7, 10, 15, 19, 20 };
#define N_FIELDS (sizeof(field_end) / sizeof(field_end[0]))

/* Read the record's fields from r; the number read before the first
 * failure, which must be -EBADMSG, consume nothing and clear its output */
static unsigned int read_record(struct bytebuf_rd *r)
{
	uint8_t u8, b[3], type;
	uint16_t u16;
	uint32_t u32;
	const uint8_t *v;
	size_t vlen, pos;
	int rc;

	pos = r->pos;
	rc = bytebuf_get_u8(r, &u8);
	if (rc < 0)
		goto fail0;
	CU_ASSERT_EQUAL(u8, 0x7f);
	pos = r->pos;
	rc = bytebuf_get_u16be(r, &u16);
	if (rc < 0) {
		CU_ASSERT_EQUAL(u16, 0);
		goto fail1;
	}
	CU_ASSERT_EQUAL(u16, 0x1234);
	pos = r->pos;
	rc = bytebuf_get_u32be(r, &u32);
	if (rc < 0) {
		CU_ASSERT_EQUAL(u32, 0);
		goto fail2;
	}
	CU_ASSERT_EQUAL(u32, 0xdeadbeef);
	pos = r->pos;
	memset(b, 0xaa, sizeof(b));
	rc = bytebuf_get_bytes(r, b, sizeof(b));
	if (rc < 0) {
		CU_ASSERT(b[0] == 0 && b[1] == 0 && b[2] == 0);
		goto fail3;
	}
	CU_ASSERT_EQUAL(memcmp(b, "rst", 3), 0);
	pos = r->pos;
	rc = bytebuf_get_lv(r, &v, &vlen);
	if (rc < 0) {
		CU_ASSERT(v == NULL && vlen == 0);
		goto fail4;
	}
	CU_ASSERT(vlen == 4 && !memcmp(v, "abcd", 4));
	pos = r->pos;
	/* a TLV: its type, then an lv; the type alone is consumed when the lv
	 * fails, so a TLV reader puts it back on failure */
	rc = bytebuf_get_u8(r, &type);
	if (rc == 0)
		rc = bytebuf_get_lv(r, &v, &vlen);
	if (rc < 0) {
		r->pos = pos;
		goto fail5;
	}
	CU_ASSERT(type == 0x05 && vlen == 2 && !memcmp(v, "xy", 2));
	pos = r->pos;
	rc = bytebuf_get_lv(r, &v, &vlen);
	if (rc < 0)
		goto fail6;
	CU_ASSERT(vlen == 0 && v != NULL);
	return 7;

fail6:
	CU_ASSERT_EQUAL(rc, -EBADMSG);
	CU_ASSERT_EQUAL(r->pos, pos);
	return 6;
fail5:
	CU_ASSERT_EQUAL(rc, -EBADMSG);
	return 5;
fail4:
	CU_ASSERT_EQUAL(rc, -EBADMSG);
	CU_ASSERT_EQUAL(r->pos, pos);
	return 4;
fail3:
	CU_ASSERT_EQUAL(rc, -EBADMSG);
	CU_ASSERT_EQUAL(r->pos, pos);
	return 3;
fail2:
	CU_ASSERT_EQUAL(rc, -EBADMSG);
	CU_ASSERT_EQUAL(r->pos, pos);
	return 2;
fail1:
	CU_ASSERT_EQUAL(rc, -EBADMSG);
	CU_ASSERT_EQUAL(r->pos, pos);
	return 1;
fail0:
	CU_ASSERT_EQUAL(u8, 0);
	CU_ASSERT_EQUAL(rc, -EBADMSG);
	CU_ASSERT_EQUAL(r->pos, pos);
	return 0;
}

/* the fields a prefix of len octets holds whole */
static unsigned int fields_in(size_t len)
{
	unsigned int i;

	for (i = 0; i < N_FIELDS && field_end[i] <= len; i++)
		;
	return i;
}

static void test_read_truncated(void)
{
	size_t len;

	for (len = 0; len <= sizeof(record); len++) {
		uint8_t *buf = malloc(len ? len : 1);
		struct bytebuf_rd r;

		memcpy(buf, record, len);
		bytebuf_rd_init(&r, buf, len);
		CU_ASSERT_EQUAL(read_record(&r), fields_in(len));
		CU_ASSERT(r.pos <= len);
		CU_ASSERT_EQUAL(r.pos, fields_in(len) ? field_end[fields_in(len) - 1] : 0);
		CU_ASSERT_EQUAL(bytebuf_left(&r), len - r.pos);
		free(buf);
	}
}

/* an lv whose length octet promises more than is left, at every length */
static void test_read_lv_overlong(void)
{
	uint8_t buf[256];
	size_t have, n;

	for (n = 1; n < 256; n++) {
		for (have = 0; have < n; have++) {
			struct bytebuf_rd r;
			const uint8_t *v = buf;
			size_t vlen = 99;

			buf[0] = (uint8_t)n;
			bytebuf_rd_init(&r, buf, 1 + have);
			CU_ASSERT_EQUAL(bytebuf_get_lv(&r, &v, &vlen), -EBADMSG);
			CU_ASSERT(r.pos == 0 && v == NULL && vlen == 0);
		}
	}
}

static void test_read_empty(void)
{
	struct bytebuf_rd r;
	const uint8_t *p;
	uint8_t u8 = 1;

	bytebuf_rd_init(&r, NULL, 10);
	CU_ASSERT_EQUAL(bytebuf_left(&r), 0);
	CU_ASSERT_EQUAL(bytebuf_get_u8(&r, &u8), -EBADMSG);
	CU_ASSERT_EQUAL(u8, 0);
	CU_ASSERT_EQUAL(bytebuf_get_ptr(&r, &p, 0), 0);
	CU_ASSERT_EQUAL(bytebuf_get_ptr(&r, &p, 1), -EBADMSG);
	/* a reader whose position is past its end reads nothing */
	r.ptr = record;
	r.len = 2;
	r.pos = 5;
	CU_ASSERT_EQUAL(bytebuf_left(&r), 0);
	CU_ASSERT_EQUAL(bytebuf_get_u8(&r, &u8), -EBADMSG);
	CU_ASSERT_EQUAL(r.pos, 5);
}

/* Write the record's fields; the number written before the first
 * failure, which must be -ENOSPC and write nothing */
static unsigned int write_record(struct bytebuf_wr *w)
{
	size_t pos = w->pos;

	if (bytebuf_put_u8(w, 0x7f) < 0)
		goto fail;
	pos = w->pos;
	if (bytebuf_put_u16be(w, 0x1234) < 0)
		goto fail;
	pos = w->pos;
	if (bytebuf_put_u32be(w, 0xdeadbeef) < 0)
		goto fail;
	pos = w->pos;
	if (bytebuf_put_bytes(w, "rst", 3) < 0)
		goto fail;
	pos = w->pos;
	if (bytebuf_put_lv(w, "abcd", 4) < 0)
		goto fail;
	pos = w->pos;
	if (bytebuf_put_tlv(w, 0x05, "xy", 2) < 0)
		goto fail;
	pos = w->pos;
	if (bytebuf_put_lv(w, NULL, 0) < 0)
		goto fail;
	return 7;
fail:
	CU_ASSERT_EQUAL(w->pos, pos);
	return fields_in(pos);
}

static void test_write_short(void)
{
	size_t size;

	for (size = 0; size <= sizeof(record) + 1; size++) {
		/* one octet more than the room, as a canary */
		uint8_t *out = malloc(size + 1);
		struct bytebuf_wr w;
		unsigned int n;

		memset(out, 0xee, size + 1);
		bytebuf_wr_init(&w, out, size);
		n = write_record(&w);
		CU_ASSERT_EQUAL(n, fields_in(size));
		CU_ASSERT(w.pos <= size);
		CU_ASSERT_EQUAL(memcmp(out, record, w.pos), 0);
		/* nothing beyond the fields written, not even of the failed one */
		CU_ASSERT_EQUAL(out[w.pos], 0xee);
		CU_ASSERT_EQUAL(out[size], 0xee);
		free(out);
	}
}

static void test_write_errors(void)
{
	uint8_t out[300], big[256] = { 0 };
	struct bytebuf_wr w;

	bytebuf_wr_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(bytebuf_put_lv(&w, big, 256), -EINVAL);
	CU_ASSERT_EQUAL(bytebuf_put_tlv(&w, 1, big, 256), -EINVAL);
	CU_ASSERT_EQUAL(w.pos, 0);
	CU_ASSERT_EQUAL(bytebuf_put_lv(&w, big, 255), 0);
	CU_ASSERT_EQUAL(w.pos, 256);
	CU_ASSERT_EQUAL(out[0], 255);
	/* 44 left: a TLV of 42 fits, of 43 not */
	CU_ASSERT_EQUAL(bytebuf_put_tlv(&w, 1, big, 43), -ENOSPC);
	CU_ASSERT_EQUAL(w.pos, 256);
	CU_ASSERT_EQUAL(bytebuf_put_tlv(&w, 1, big, 42), 0);
	CU_ASSERT_EQUAL(bytebuf_room(&w), 0);
	CU_ASSERT_EQUAL(bytebuf_put_bytes(&w, big, 0), 0);
	CU_ASSERT_EQUAL(bytebuf_put_u8(&w, 0), -ENOSPC);
	/* a writer without a buffer has no room */
	bytebuf_wr_init(&w, NULL, 10);
	CU_ASSERT_EQUAL(bytebuf_room(&w), 0);
	CU_ASSERT_EQUAL(bytebuf_put_u8(&w, 0), -ENOSPC);
}

static void test_hex(void)
{
	uint8_t out[4];
	struct bytebuf_wr w;

	bytebuf_wr_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(bytebuf_put_hex(&w, "00fFa9", 6), 0);
	CU_ASSERT(w.pos == 3 && out[0] == 0x00 && out[1] == 0xff && out[2] == 0xa9);
	/* odd, not hex, too long: nothing written */
	memset(out, 0xee, sizeof(out));
	bytebuf_wr_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(bytebuf_put_hex(&w, "abc", 3), -EINVAL);
	CU_ASSERT_EQUAL(bytebuf_put_hex(&w, "ab0g", 4), -EINVAL);
	CU_ASSERT_EQUAL(bytebuf_put_hex(&w, "ab 0", 4), -EINVAL);
	CU_ASSERT_EQUAL(bytebuf_put_hex(&w, "0102030405", 10), -ENOSPC);
	CU_ASSERT_EQUAL(w.pos, 0);
	CU_ASSERT_EQUAL(out[0], 0xee);
	/* only n digits are looked at */
	CU_ASSERT_EQUAL(bytebuf_put_hex(&w, "12zz", 2), 0);
	CU_ASSERT(w.pos == 1 && out[0] == 0x12);
}

static const struct cunit_test tests[] = {
	{ "every prefix of a record read back", test_read_truncated },
	{ "an lv longer than what is left", test_read_lv_overlong },
	{ "readers without octets", test_read_empty },
	{ "a record written into every shorter room", test_write_short },
	{ "lengths an lv cannot carry, exact room", test_write_errors },
	{ "hex digits", test_hex },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "bytebuf", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "bytebuf_test",
	.log = CUNIT_LOG_SILENT,
	.suites = suites,
};
