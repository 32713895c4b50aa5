/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of ss7/ber.c: X.690 identifier and length octets, the
 * indefinite form, the depth limit, INTEGER/BOOLEAN/OID helpers, and the
 * writer with its length fix-up. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/ber.h"
#include "tests/cunit_main.h"

static int hex2bin(const char *hex, uint8_t *out, size_t max)
{
	int rc = osmo_hexparse(hex, out, max);

	CU_ASSERT_FATAL(rc >= 0);
	return rc;
}

/* read one element from hex; returns ber_tlv_read()'s result */
static int read_hex(struct ber_tlv *t, const char *hex, uint8_t *buf, size_t max)
{
	int len = hex2bin(hex, buf, max);

	return ber_tlv_read(t, buf, len, 1);
}

static void test_identifier(void)
{
	uint8_t buf[64];
	struct ber_tlv t;

	/* low-tag-number form: [APPLICATION 2] constructed, i.e. a TCAP Begin */
	CU_ASSERT_EQUAL(read_hex(&t, "6200", buf, sizeof(buf)), 2);
	CU_ASSERT_EQUAL(t.cls, BER_CLASS_APPLICATION);
	CU_ASSERT(t.constructed);
	CU_ASSERT_EQUAL(t.tag, 2);
	CU_ASSERT_EQUAL(t.id_len, 1);
	CU_ASSERT_EQUAL(t.hdr_len, 2);
	CU_ASSERT(ber_tlv_is(&t, BER_CLASS_APPLICATION, true, 2));
	CU_ASSERT(!ber_tlv_is(&t, BER_CLASS_APPLICATION, false, 2));

	/* [30] context constructed: user-information */
	CU_ASSERT_EQUAL(read_hex(&t, "be00", buf, sizeof(buf)), 2);
	CU_ASSERT_EQUAL(t.cls, BER_CLASS_CONTEXT);
	CU_ASSERT_EQUAL(t.tag, 30);

	/* high-tag-number form: [31], [50] (MAP's 9f 32), [128], [16383], the largest */
	CU_ASSERT_EQUAL(read_hex(&t, "9f1f0100", buf, sizeof(buf)), 4);
	CU_ASSERT_EQUAL(t.tag, 31);
	CU_ASSERT_EQUAL(t.id_len, 2);
	CU_ASSERT_EQUAL(read_hex(&t, "9f320100", buf, sizeof(buf)), 4);
	CU_ASSERT_EQUAL(t.tag, 50);
	CU_ASSERT_EQUAL(read_hex(&t, "9f810000", buf, sizeof(buf)), 4);
	CU_ASSERT_EQUAL(t.tag, 128);
	CU_ASSERT_EQUAL(read_hex(&t, "bfff7f00", buf, sizeof(buf)), 4);
	CU_ASSERT_EQUAL(t.tag, 16383);
	CU_ASSERT(t.constructed);
	CU_ASSERT_EQUAL(read_hex(&t, "9fffff7f00", buf, sizeof(buf)), 5);
	CU_ASSERT_EQUAL(t.tag, BER_TAG_MAX);

	/* refused: tag numbers below 31 in the high form, a leading zero
	 * octet, more than three subsequent octets, truncated */
	CU_ASSERT_EQUAL(read_hex(&t, "9f1e00", buf, sizeof(buf)), -EBADMSG);
	CU_ASSERT(t.why != NULL);
	CU_ASSERT_EQUAL(read_hex(&t, "9f803200", buf, sizeof(buf)), -EBADMSG);
	CU_ASSERT_EQUAL(read_hex(&t, "9f8180800100", buf, sizeof(buf)), -EBADMSG);
	CU_ASSERT_EQUAL(read_hex(&t, "9f81", buf, sizeof(buf)), -EBADMSG);
	/* universal tag 0 is end-of-contents only */
	CU_ASSERT_EQUAL(read_hex(&t, "0000", buf, sizeof(buf)), -EBADMSG);
	CU_ASSERT_EQUAL(read_hex(&t, "2000", buf, sizeof(buf)), -EBADMSG);
	CU_ASSERT_EQUAL(ber_tlv_read(&t, buf, 0, 1), -EBADMSG);
}

static void test_length(void)
{
	uint8_t buf[512];
	struct ber_tlv t;
	char hex[1100];
	int i;

	/* short form */
	CU_ASSERT_EQUAL(read_hex(&t, "0403010203", buf, sizeof(buf)), 5);
	CU_ASSERT_EQUAL(t.value.len, 3);
	CU_ASSERT_EQUAL(t.value.data, buf + 2);
	CU_ASSERT_EQUAL(t.raw.len, 5);
	/* long forms, minimal or not (both valid BER) */
	CU_ASSERT_EQUAL(read_hex(&t, "048103010203", buf, sizeof(buf)), 6);
	CU_ASSERT_EQUAL(t.value.len, 3);
	CU_ASSERT_EQUAL(t.hdr_len, 3);
	CU_ASSERT_EQUAL(read_hex(&t, "04840000000100", buf, sizeof(buf)), 7);
	CU_ASSERT_EQUAL(t.value.len, 1);
	strcpy(hex, "048200c8");
	for (i = 0; i < 200; i++)
		strcat(hex, "ab");
	CU_ASSERT_EQUAL(read_hex(&t, hex, buf, sizeof(buf)), 204);
	CU_ASSERT_EQUAL(t.value.len, 200);

	/* contents past the end, huge lengths, reserved and too wide length octets */
	CU_ASSERT_EQUAL(read_hex(&t, "04030102", buf, sizeof(buf)), -EBADMSG);
	CU_ASSERT_EQUAL(read_hex(&t, "0484ffffffff00", buf, sizeof(buf)), -EBADMSG);
	CU_ASSERT_EQUAL(read_hex(&t, "3088ffffffffffffffff00", buf, sizeof(buf)), -EBADMSG);
	CU_ASSERT_EQUAL(read_hex(&t, "3089000000000000000001ab", buf, sizeof(buf)), -EBADMSG);
	CU_ASSERT_EQUAL(read_hex(&t, "04ff00", buf, sizeof(buf)), -EBADMSG);
	CU_ASSERT_EQUAL(read_hex(&t, "048201", buf, sizeof(buf)), -EBADMSG);
	CU_ASSERT_EQUAL(read_hex(&t, "04", buf, sizeof(buf)), -EBADMSG);
	CU_ASSERT(t.why != NULL);
}

static void test_indefinite(void)
{
	uint8_t buf[128];
	struct ber_tlv t, c;
	struct ber_cursor cur, in;

	/* a SEQUENCE { OCTET STRING, [1] { INTEGER } } with the indefinite
	 * form outside and inside */
	CU_ASSERT_EQUAL(read_hex(&t, "3080040101a1800201050000" "0000", buf, sizeof(buf)), 14);
	CU_ASSERT(t.indefinite);
	CU_ASSERT_EQUAL(t.hdr_len, 2);
	/* the value leaves the end-of-contents out, the raw slice keeps it */
	CU_ASSERT_EQUAL(t.value.len, 10);
	CU_ASSERT_EQUAL(t.raw.len, 14);
	CU_ASSERT(memcmp(t.raw.data + 12, "\x00\x00", 2) == 0);
	ber_cursor_init(&cur, buf, 14, 1);
	CU_ASSERT_EQUAL(ber_cursor_next(&cur, &t), 1);
	CU_ASSERT_EQUAL(ber_cursor_enter(&in, &cur, &t), 0);
	CU_ASSERT_EQUAL(ber_cursor_next(&in, &c), 1);
	CU_ASSERT(ber_tlv_is(&c, BER_CLASS_UNIVERSAL, false, BER_TAG_OCTET_STRING));
	CU_ASSERT_EQUAL(ber_cursor_next(&in, &c), 1);
	CU_ASSERT(c.indefinite);
	CU_ASSERT_EQUAL(c.value.len, 3);
	CU_ASSERT_EQUAL(c.raw.len, 7);
	CU_ASSERT_EQUAL(ber_cursor_next(&in, &c), 0);
	CU_ASSERT_EQUAL(ber_cursor_next(&cur, &t), 0);
	CU_ASSERT_EQUAL(ber_validate(buf, 14, 1, NULL), 4);

	/* a definite element inside holding 00 00 is stepped over whole */
	CU_ASSERT_EQUAL(read_hex(&t, "308004020000" "0000", buf, sizeof(buf)), 8);
	CU_ASSERT_EQUAL(t.value.len, 4);
	/* end-of-contents missing, primitive indefinite, EOC outside */
	CU_ASSERT_EQUAL(read_hex(&t, "3080040100", buf, sizeof(buf)), -EBADMSG);
	CU_ASSERT_EQUAL(read_hex(&t, "3080", buf, sizeof(buf)), -EBADMSG);
	CU_ASSERT_EQUAL(read_hex(&t, "30803080000000", buf, sizeof(buf)), -EBADMSG);
	CU_ASSERT_EQUAL(read_hex(&t, "04800000", buf, sizeof(buf)), -EBADMSG);
	/* in definite contents, 00 00 is no element */
	CU_ASSERT_EQUAL(ber_validate((const uint8_t *)"\x30\x02\x00\x00", 4, 1, NULL), -EBADMSG);
	/* an end-of-contents with a length is malformed */
	CU_ASSERT_EQUAL(read_hex(&t, "3080000100" "0000", buf, sizeof(buf)), -EBADMSG);
}

/* n nested SEQUENCEs around an empty one, definite or indefinite */
static int nested(uint8_t *buf, size_t max, unsigned int n, bool indef)
{
	unsigned int i;
	size_t len = 0;

	CU_ASSERT_FATAL(n * 4 + 2 <= max);
	if (indef) {
		for (i = 0; i < n; i++) {
			buf[len++] = 0x30;
			buf[len++] = 0x80;
		}
		buf[len++] = 0x30;
		buf[len++] = 0x00;
		for (i = 0; i < n; i++) {
			buf[len++] = 0x00;
			buf[len++] = 0x00;
		}
	} else {
		for (i = 0; i < n; i++) {
			buf[len++] = 0x30;
			buf[len++] = 2 * (n - i);
		}
		buf[len++] = 0x30;
		buf[len++] = 0x00;
	}
	return len;
}

static void test_depth_limit(void)
{
	uint8_t buf[256];
	const char *why = NULL;
	struct ber_tlv t;
	int len;

	/* BER_MAX_DEPTH elements deep is the most */
	len = nested(buf, sizeof(buf), BER_MAX_DEPTH - 1, false);
	CU_ASSERT_EQUAL(ber_validate(buf, len, 1, NULL), BER_MAX_DEPTH);
	len = nested(buf, sizeof(buf), BER_MAX_DEPTH, false);
	CU_ASSERT_EQUAL(ber_validate(buf, len, 1, &why), -EBADMSG);
	CU_ASSERT(why && strstr(why, "deep"));

	len = nested(buf, sizeof(buf), BER_MAX_DEPTH - 1, true);
	CU_ASSERT_EQUAL(ber_validate(buf, len, 1, NULL), BER_MAX_DEPTH);
	CU_ASSERT(ber_tlv_read(&t, buf, len, 1) > 0);
	len = nested(buf, sizeof(buf), BER_MAX_DEPTH, true);
	CU_ASSERT(ber_tlv_read(&t, buf, len, 1) > 0);
	CU_ASSERT_EQUAL(ber_validate(buf, len, 1, NULL), -EBADMSG);
	/* finding the end of the outermost already counts nested indefinite ones */
	len = nested(buf, sizeof(buf), BER_MAX_DEPTH + 1, true);
	CU_ASSERT_EQUAL(ber_tlv_read(&t, buf, len, 1), -EBADMSG);
	CU_ASSERT(t.why && strstr(t.why, "deep"));
	/* and a reader that starts deep has less room */
	len = nested(buf, sizeof(buf), 3, false);
	CU_ASSERT_EQUAL(ber_validate(buf, len, BER_MAX_DEPTH - 3, NULL), 4);
	CU_ASSERT_EQUAL(ber_validate(buf, len, BER_MAX_DEPTH - 2, NULL), -EBADMSG);
	CU_ASSERT_EQUAL(ber_tlv_read(&t, buf, len, BER_MAX_DEPTH + 1), -EBADMSG);
}

static void test_cursor(void)
{
	uint8_t buf[64];
	struct ber_cursor cur, in;
	struct ber_tlv t;
	int len = hex2bin("020105" "0400" "3003010100", buf, sizeof(buf));

	ber_cursor_init(&cur, buf, len, 1);
	CU_ASSERT_EQUAL(ber_cursor_next(&cur, &t), 1);
	/* a primitive element cannot be entered */
	CU_ASSERT_EQUAL(ber_cursor_enter(&in, &cur, &t), -EBADMSG);
	CU_ASSERT(in.why != NULL);
	CU_ASSERT_EQUAL(ber_cursor_next(&cur, &t), 1);
	CU_ASSERT_EQUAL(t.value.len, 0);
	CU_ASSERT_EQUAL(ber_cursor_next(&cur, &t), 1);
	CU_ASSERT(ber_cursor_done(&cur));
	CU_ASSERT_EQUAL(ber_cursor_enter(&in, &cur, &t), 0);
	CU_ASSERT_EQUAL(in.depth, 2);
	CU_ASSERT_EQUAL(ber_cursor_next(&in, &t), 1);
	CU_ASSERT_EQUAL(ber_cursor_next(&in, &t), 0);
	CU_ASSERT_EQUAL(ber_cursor_next(&cur, &t), 0);

	/* a broken element in the middle: the cursor stops with a reason */
	len = hex2bin("020105" "0405ab", buf, sizeof(buf));
	ber_cursor_init(&cur, buf, len, 1);
	CU_ASSERT_EQUAL(ber_cursor_next(&cur, &t), 1);
	CU_ASSERT_EQUAL(ber_cursor_next(&cur, &t), -EBADMSG);
	CU_ASSERT(cur.why != NULL);
}

static int int_of(const char *hex, int64_t *v)
{
	uint8_t buf[32];
	struct ber_tlv t;

	CU_ASSERT_FATAL(read_hex(&t, hex, buf, sizeof(buf)) > 0);
	return ber_int_get(&t, v);
}

static void test_integer(void)
{
	int64_t v;
	bool b;
	uint8_t buf[16];
	struct ber_tlv t;
	struct ber_slice s;

	CU_ASSERT_EQUAL(int_of("020100", &v), 0);
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_EQUAL(int_of("02017f", &v), 0);
	CU_ASSERT_EQUAL(v, 127);
	CU_ASSERT_EQUAL(int_of("02020080", &v), 0);
	CU_ASSERT_EQUAL(v, 128);
	CU_ASSERT_EQUAL(int_of("020180", &v), 0);
	CU_ASSERT_EQUAL(v, -128);
	CU_ASSERT_EQUAL(int_of("0202ff7f", &v), 0);
	CU_ASSERT_EQUAL(v, -129);
	CU_ASSERT_EQUAL(int_of("0202024f", &v), 0);
	CU_ASSERT_EQUAL(v, 591);
	CU_ASSERT_EQUAL(int_of("02087fffffffffffffff", &v), 0);
	CU_ASSERT_EQUAL(v, INT64_MAX);
	CU_ASSERT_EQUAL(int_of("02088000000000000000", &v), 0);
	CU_ASSERT_EQUAL(v, INT64_MIN);
	/* ENUMERATED reads the same */
	CU_ASSERT_EQUAL(int_of("0a0102", &v), 0);
	CU_ASSERT_EQUAL(v, 2);
	/* X.690 §8.3.2: not minimal; empty; wider than 64 bits */
	CU_ASSERT_EQUAL(int_of("0202007f", &v), -EBADMSG);
	CU_ASSERT_EQUAL(int_of("0202ff80", &v), -EBADMSG);
	CU_ASSERT_EQUAL(int_of("0200", &v), -EBADMSG);
	CU_ASSERT_EQUAL(int_of("0209010000000000000000", &v), -ERANGE);
	CU_ASSERT_EQUAL(int_of("2203020101", &v), -EBADMSG);

	CU_ASSERT_EQUAL(read_hex(&t, "0101ff", buf, sizeof(buf)), 3);
	CU_ASSERT_EQUAL(ber_bool_get(&t, &b), 0);
	CU_ASSERT(b);
	CU_ASSERT_EQUAL(read_hex(&t, "010101", buf, sizeof(buf)), 3);
	CU_ASSERT_EQUAL(ber_bool_get(&t, &b), 0);
	CU_ASSERT(b);
	CU_ASSERT_EQUAL(read_hex(&t, "010100", buf, sizeof(buf)), 3);
	CU_ASSERT_EQUAL(ber_bool_get(&t, &b), 0);
	CU_ASSERT(!b);
	CU_ASSERT_EQUAL(read_hex(&t, "01020000", buf, sizeof(buf)), 4);
	CU_ASSERT_EQUAL(ber_bool_get(&t, &b), -EBADMSG);

	CU_ASSERT_EQUAL(read_hex(&t, "0403616263", buf, sizeof(buf)), 5);
	CU_ASSERT_EQUAL(ber_octets_get(&t, &s), 0);
	CU_ASSERT(ber_slice_equal(&s, (const uint8_t *)"abc", 3));
	CU_ASSERT(!ber_slice_equal(&s, (const uint8_t *)"abd", 3));
	/* the segmented (constructed) form is refused */
	CU_ASSERT_EQUAL(read_hex(&t, "2405040361626300", buf, sizeof(buf)), 7);
	CU_ASSERT_EQUAL(ber_octets_get(&t, &s), -EBADMSG);
}

static void test_oid(void)
{
	static const struct {
		const char *text;
		const char *hex;
	} oids[] = {
		{ "0.0.17.773.1.1.1", "0011860501010" "1" },
		{ "0.4.0.0.1.0.20.3", "04000001001403" },
		{ "0.4.0.0.1.1.1.1", "04000001010101" },
		{ "1.0.2.3.4", "28020304" },
		{ "2.999.3057.1", "8837977101" },
		{ "2.999", "8837" },
		{ "1.3.6.1.4.1", "2b06010401" },
		/* X.667: a UUID arc of 128 bits */
		{ "2.25.86463577012294038856916042319872316038",
		  "6981828ca3dec2ecda8ff58bfaf4ddbbdadba506" },
	};
	uint8_t buf[64];
	char text[128];
	unsigned int i;
	int n;

	for (i = 0; i < ARRAY_SIZE(oids); i++) {
		int len = hex2bin(oids[i].hex, buf, sizeof(buf));

		CU_ASSERT(ber_oid_check(buf, len) > 0);
		n = ber_oid_to_str(text, sizeof(text), buf, len);
		if (n < 0 || strcmp(text, oids[i].text))
			fprintf(stderr, "OID %s: %d \"%s\"\n", oids[i].hex, n, n < 0 ? "" : text);
		CU_ASSERT_EQUAL(n, (int)strlen(oids[i].text));
		CU_ASSERT_STRING_EQUAL(text, oids[i].text);
		n = ber_oid_from_str(buf, sizeof(buf), oids[i].text);
		CU_ASSERT_EQUAL(n, len);
		CU_ASSERT_STRING_EQUAL(osmo_hexdump_nospc(buf, n > 0 ? n : 0), oids[i].hex);
	}
	/* the signature OID tshark can show */
	CU_ASSERT_EQUAL(ber_oid_check((const uint8_t *)"\x00\x11\x86\x05", 4), 3);

	/* malformed contents: empty, unfinished, a leading 0x80, too wide */
	CU_ASSERT_EQUAL(ber_oid_check(buf, 0), -EBADMSG);
	CU_ASSERT_EQUAL(ber_oid_check((const uint8_t *)"\x2b\x86", 2), -EBADMSG);
	CU_ASSERT_EQUAL(ber_oid_check((const uint8_t *)"\x2b\x80\x01", 3), -EBADMSG);
	memset(buf, 0xff, 21);
	buf[20] = 0x01;
	CU_ASSERT_EQUAL(ber_oid_check(buf, 21), -EBADMSG);
	CU_ASSERT_EQUAL(ber_oid_to_str(text, sizeof(text), buf, 21), -EBADMSG);
	/* too small an output */
	n = hex2bin("04000001001403", buf, sizeof(buf));
	CU_ASSERT_EQUAL(ber_oid_to_str(text, 8, buf, n), -ENOSPC);
	CU_ASSERT_EQUAL(ber_oid_from_str(buf, 3, "0.4.0.0.1.0.20.3"), -ENOSPC);
	/* bad text */
	CU_ASSERT_EQUAL(ber_oid_from_str(buf, sizeof(buf), "3.1"), -EINVAL);
	CU_ASSERT_EQUAL(ber_oid_from_str(buf, sizeof(buf), "0.40"), -EINVAL);
	CU_ASSERT_EQUAL(ber_oid_from_str(buf, sizeof(buf), "1"), -EINVAL);
	CU_ASSERT_EQUAL(ber_oid_from_str(buf, sizeof(buf), "1.2."), -EINVAL);
	CU_ASSERT_EQUAL(ber_oid_from_str(buf, sizeof(buf), "1..2"), -EINVAL);
	CU_ASSERT_EQUAL(ber_oid_from_str(buf, sizeof(buf), "1.02"), -EINVAL);
	CU_ASSERT_EQUAL(ber_oid_from_str(buf, sizeof(buf), "1.2a"), -EINVAL);
	CU_ASSERT_EQUAL(ber_oid_from_str(buf, sizeof(buf), ""), -EINVAL);
}

static void test_writer(void)
{
	uint8_t buf[600], small[8];
	struct ber_writer w;
	char want[1300];
	size_t i;
	int n;

	/* INTEGERs in the fewest octets */
	static const struct {
		int64_t v;
		const char *hex;
	} ints[] = {
		{ 0, "020100" }, { 127, "02017f" }, { 128, "02020080" }, { -1, "0201ff" },
		{ -128, "020180" }, { -129, "0202ff7f" }, { 591, "0202024f" },
		{ INT64_MAX, "02087fffffffffffffff" }, { INT64_MIN, "02088000000000000000" },
	};
	for (i = 0; i < ARRAY_SIZE(ints); i++) {
		ber_writer_init(&w, buf, sizeof(buf));
		ber_put_int(&w, BER_CLASS_UNIVERSAL, BER_TAG_INTEGER, ints[i].v);
		n = ber_writer_finish(&w);
		CU_ASSERT(n > 0);
		CU_ASSERT_STRING_EQUAL(osmo_hexdump_nospc(buf, n), ints[i].hex);
	}

	/* constructed elements closed after their contents, with the length
	 * growing from one to two and three octets; high tag numbers */
	ber_writer_init(&w, buf, sizeof(buf));
	ber_open(&w, BER_CLASS_APPLICATION, 2);
	ber_open(&w, BER_CLASS_CONTEXT, 50);
	for (i = 0; i < 100; i++)
		ber_put_tlv(&w, BER_CLASS_UNIVERSAL, false, BER_TAG_OCTET_STRING, "\xab", 1);
	ber_close(&w);
	ber_put_bool(&w, BER_CLASS_CONTEXT, 1, true);
	ber_put_tlv(&w, BER_CLASS_PRIVATE, false, 200, "x", 1);
	ber_close(&w);
	n = ber_writer_finish(&w);
	strcpy(want, "62820139" "bf3282012c");
	for (i = 0; i < 100; i++)
		strcat(want, "0401ab");
	strcat(want, "8101ff" "df814801" "78");
	CU_ASSERT_EQUAL(n, (int)strlen(want) / 2);
	if (n > 0 && strcmp(osmo_hexdump_nospc(buf, n), want))
		fprintf(stderr, "wrote %s\n", osmo_hexdump_nospc(buf, n));
	CU_ASSERT_STRING_EQUAL(osmo_hexdump_nospc(buf, n > 0 ? n : 0), want);
	{
		struct ber_tlv t;

		CU_ASSERT_EQUAL(ber_validate(buf, n, 1, NULL), 104);
		CU_ASSERT_EQUAL(ber_tlv_read(&t, buf + 4, n - 4, 1), 305);
		CU_ASSERT_EQUAL(t.tag, 50);
	}

	/* every buffer too small fails with -ENOSPC and writes nothing past it */
	for (i = 0; i < (size_t)n; i++) {
		uint8_t *exact = malloc(i ? i : 1);
		size_t k;

		CU_ASSERT_FATAL(exact != NULL);
		ber_writer_init(&w, exact, i);
		ber_open(&w, BER_CLASS_APPLICATION, 2);
		ber_open(&w, BER_CLASS_CONTEXT, 50);
		for (k = 0; k < 100; k++)
			ber_put_tlv(&w, BER_CLASS_UNIVERSAL, false, BER_TAG_OCTET_STRING, "\xab", 1);
		ber_close(&w);
		ber_put_bool(&w, BER_CLASS_CONTEXT, 1, true);
		ber_put_tlv(&w, BER_CLASS_PRIVATE, false, 200, "x", 1);
		ber_close(&w);
		CU_ASSERT_EQUAL(ber_writer_finish(&w), -ENOSPC);
		free(exact);
	}

	/* unbalanced, too deep, a tag too large */
	ber_writer_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(ber_close(&w), -EINVAL);
	ber_writer_init(&w, buf, sizeof(buf));
	ber_open(&w, BER_CLASS_UNIVERSAL, BER_TAG_SEQUENCE);
	CU_ASSERT_EQUAL(ber_writer_finish(&w), -EINVAL);
	ber_writer_init(&w, buf, sizeof(buf));
	for (i = 0; i <= BER_MAX_DEPTH; i++)
		ber_open(&w, BER_CLASS_UNIVERSAL, BER_TAG_SEQUENCE);
	CU_ASSERT_EQUAL(ber_writer_finish(&w), -EINVAL);
	ber_writer_init(&w, small, sizeof(small));
	CU_ASSERT_EQUAL(ber_put_tlv(&w, BER_CLASS_CONTEXT, false, BER_TAG_MAX + 1, "", 0), -EINVAL);

	/* length octets of a chosen size */
	CU_ASSERT_EQUAL(ber_len_size(0), 1);
	CU_ASSERT_EQUAL(ber_len_size(127), 1);
	CU_ASSERT_EQUAL(ber_len_size(128), 2);
	CU_ASSERT_EQUAL(ber_len_size(256), 3);
	CU_ASSERT_EQUAL(ber_len_put(small, sizeof(small), 5, 1), 1);
	CU_ASSERT_EQUAL(small[0], 5);
	CU_ASSERT_EQUAL(ber_len_put(small, sizeof(small), 5, 3), 3);
	CU_ASSERT(memcmp(small, "\x82\x00\x05", 3) == 0);
	CU_ASSERT_EQUAL(ber_len_put(small, sizeof(small), 300, 2), -EINVAL);
	CU_ASSERT_EQUAL(ber_len_put(small, sizeof(small), 128, 1), -EINVAL);
	CU_ASSERT_EQUAL(ber_len_put(small, 2, 300, 3), -ENOSPC);
}

/* Every prefix of a valid tree fails, every bit flip fails cleanly or
 * gives a tree that walks (ASAN watches the reads). */
static void test_truncation_bitflip(void)
{
	static const char *trees[] = {
		/* a TCAP Begin with a MAP updateLocation, definite */
		"6245480400000001"
		"6b1e281c060700118605010101a011600f80020780a109060704000001000103"
		"6c1da11b020101020102301304051111212222810491222 2f804049122 22f9",
		/* nested indefinite */
		"3080040101a1800201050000" "0000",
		/* high tags and long lengths */
		"300d" "bf328106040102040103" "9f3200",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(trees); i++) {
		uint8_t in[256];
		char clean[600];
		const char *p;
		size_t k = 0;
		int len, n, bit;

		for (p = trees[i]; *p; p++) {
			if (*p != ' ')
				clean[k++] = *p;
		}
		clean[k] = '\0';
		len = hex2bin(clean, in, sizeof(in));
		if (ber_validate(in, len, 1, NULL) <= 0)
			fprintf(stderr, "tree %u does not walk\n", i);
		CU_ASSERT(ber_validate(in, len, 1, NULL) > 0);
		for (n = 1; n < len; n++) {
			uint8_t *cut = malloc(n);

			CU_ASSERT_FATAL(cut != NULL);
			memcpy(cut, in, n);
			CU_ASSERT_EQUAL(ber_validate(cut, n, 1, NULL), -EBADMSG);
			free(cut);
		}
		for (bit = 0; bit < len * 8; bit++) {
			uint8_t *buf = malloc(len);
			int rc;

			CU_ASSERT_FATAL(buf != NULL);
			memcpy(buf, in, len);
			buf[bit / 8] ^= 1 << (bit % 8);
			rc = ber_validate(buf, len, 1, NULL);
			CU_ASSERT(rc == -EBADMSG || rc > 0);
			free(buf);
		}
	}
}

static const struct cunit_test tests[] = {
	{ "identifier octets", test_identifier },
	{ "length octets", test_length },
	{ "indefinite form", test_indefinite },
	{ "depth limit", test_depth_limit },
	{ "cursor", test_cursor },
	{ "INTEGER, BOOLEAN, OCTET STRING", test_integer },
	{ "OBJECT IDENTIFIER", test_oid },
	{ "writer", test_writer },
	{ "every prefix and every bit flip", test_truncation_bitflip },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "ber", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "ber_test",
	.log = CUNIT_LOG_STDERR,
	.suites = suites,
};
