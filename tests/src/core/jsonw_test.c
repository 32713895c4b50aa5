/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The compact JSON writer (src/core/jsonw.c) against jansson:
 * for the same members, its output must be byte for byte what
 * json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER) printed when the line
 * was a jansson tree, over hostile strings (quotes, backslashes, every
 * control character, DEL, multi-byte UTF-8, every invalid UTF-8 form:
 * json_string() refuses those, the writer prints null); and it never
 * writes past its buffer.  The whole line of real calls is checked in
 * call_fsm_test. */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <jansson.h>

#include "src/core/jsonw.h"
#include "tests/cunit_main.h"

/* {"k":s} as jansson prints it: s as json_string() takes it, null when
 * json_string() refuses it */
static char *jansson_line(const char *s)
{
	json_t *o = json_object();
	json_t *v = s ? json_string(s) : NULL;
	char *line;

	json_object_set_new(o, "k", v ? v : json_null());
	line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return line;
}

/* {"k":s} as the writer prints it; the length, or a negative errno */
static int jsonw_line(char *buf, size_t size, const char *s)
{
	struct jsonw w;

	jsonw_init(&w, buf, size);
	jsonw_open(&w, NULL);
	jsonw_str(&w, "k", s);
	jsonw_close(&w);
	return jsonw_end(&w);
}

static unsigned int mismatches;

/* the writer and jansson agree on s; reports the first few that do not */
static void same_as_jansson(const char *s)
{
	char buf[512];
	char *want = jansson_line(s);
	int n = jsonw_line(buf, sizeof(buf), s);

	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	CU_ASSERT_EQUAL(n, (int)strlen(want));
	if (strcmp(buf, want) != 0) {
		if (mismatches++ < 8) {
			fprintf(stderr, "\n  input:");
			for (const unsigned char *p = (const unsigned char *)s; *p; p++)
				fprintf(stderr, " %02x", *p);
			fprintf(stderr, "\n  jsonw:   %s\n  jansson: %s\n", buf, want);
		}
		CU_FAIL("jsonw and jansson differ");
	}
	free(want);
}

/* Quotes, backslashes, '/', every control character alone and between
 * other characters, DEL */
static void test_escapes(void)
{
	static const char *const fixed[] = {
		"", "plain", "\"", "\\", "/", "a\"b\\c/d", "\"\"\\\\", "</script>", "\x7f", "a\x7f" "b",
		"a84b4c76e66710@192.0.2.20", "\\u0000", "tab\there", "cr\r\nlf",
	};
	char s[8];

	mismatches = 0;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		same_as_jansson(fixed[i]);
	for (int c = 1; c < 0x20; c++) {
		snprintf(s, sizeof(s), "%c", c);
		same_as_jansson(s);
		snprintf(s, sizeof(s), "a%cb%c", c, c);
		same_as_jansson(s);
	}
	/* jansson's own spelling, not only agreement */
	{
		char buf[64];

		CU_ASSERT(jsonw_line(buf, sizeof(buf), "\x1f/\x7f\"\\\b") > 0);
		CU_ASSERT_STRING_EQUAL(buf, "{\"k\":\"\\u001F/\x7f\\\"\\\\\\b\"}");
	}
}

/* Valid UTF-8 of every length passes through; every invalid form
 * (continuation byte first, 0xC0/0xC1, overlong, surrogate, above
 * U+10FFFF, 0xF5 and up, a sequence cut short) is null */
static void test_utf8(void)
{
	static const char *const valid[] = {
		"\xc2\x80", "caf\xc3\xa9", "\xe2\x82\xac", "\xef\xbf\xbf", "\xed\x9f\xbf", "\xee\x80\x80",
		"\xf0\x9f\x98\x80", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", "\xc3\xa9\"\x01\xe2\x82\xac",
	};
	static const char *const invalid[] = {
		"\x80", "a\xbf", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xe0\x9f\xbf", "\xed\xa0\x80",
		"\xed\xbf\xbf", "\xf0\x80\x80\xaf", "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
		"\xff", "\xfe", "\xc3", "\xe2\x82", "\xf0\x9f\x98", "\xc3(", "\xe2(\xac", "ok\x01\xc3\x28",
		"\"\\\x01\xff",
	};
	char buf[64];
	char s[4];

	mismatches = 0;
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		same_as_jansson(valid[i]);
		CU_ASSERT(jsonw_line(buf, sizeof(buf), valid[i]) > 0);
		CU_ASSERT(strstr(buf, "null") == NULL);
		CU_ASSERT_TRUE(jsonw_utf8_valid(valid[i], strlen(valid[i])));
	}
	/* a sequence cut by the length given is not valid */
	CU_ASSERT_FALSE(jsonw_utf8_valid("\xe2\x82\xac", 2));
	CU_ASSERT_TRUE(jsonw_utf8_valid("\xe2\x82\xac", 0));
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		CU_ASSERT_PTR_NULL(json_string(invalid[i]));
		same_as_jansson(invalid[i]);
		CU_ASSERT(jsonw_line(buf, sizeof(buf), invalid[i]) > 0);
		CU_ASSERT_STRING_EQUAL(buf, "{\"k\":null}");
		CU_ASSERT_FALSE(jsonw_utf8_valid(invalid[i], strlen(invalid[i])));
	}
	/* every string of one and of two bytes, and the three-byte strings
	 * that open a three- or four-byte sequence with the bytes around
	 * each boundary of a continuation byte */
	for (int a = 1; a < 256; a++) {
		s[0] = (char)a;
		s[1] = '\0';
		same_as_jansson(s);
		for (int b = 1; b < 256; b++) {
			s[1] = (char)b;
			s[2] = '\0';
			same_as_jansson(s);
		}
	}
	for (int a = 0xe0; a < 256; a++) {
		for (int b = 0x70; b < 0xd0; b++) {
			for (int c = 0x70; c < 0xd0; c++) {
				s[0] = (char)a;
				s[1] = (char)b;
				s[2] = (char)c;
				s[3] = '\0';
				same_as_jansson(s);
			}
		}
	}
}

/* Integers, booleans, null, nested objects and inserted JSON in the
 * order they were set: what jansson prints for the same tree */
static void test_members(void)
{
	static const long long ints[] = { 0, 1, -1, 9, 10, 65535, 4294967295LL, -2147483648LL, LLONG_MAX, LLONG_MIN };
	const char *raw = "{\"action\":\"pass\",\"status\":0,\"hop\":true,\"attest\":null}";
	json_t *o = json_object(), *side = json_object(), *arr;
	char key[8], buf[1024];
	struct jsonw w;
	char *want;

	jsonw_init(&w, buf, sizeof(buf));
	jsonw_open(&w, NULL);
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		snprintf(key, sizeof(key), "i%zu", i);
		json_object_set_new(o, key, json_integer(ints[i]));
		jsonw_int(&w, key, ints[i]);
	}
	json_object_set_new(o, "t", json_true());
	jsonw_bool(&w, "t", true);
	json_object_set_new(side, "f", json_false());
	json_object_set_new(side, "n", json_null());
	json_object_set_new(side, "empty", json_object());
	json_object_set_new(o, "side", side);
	jsonw_open(&w, "side");
	jsonw_bool(&w, "f", false);
	jsonw_null(&w, "n");
	jsonw_open(&w, "empty");
	jsonw_close(&w);
	jsonw_close(&w);
	json_object_set_new(o, "decision", json_loads(raw, 0, NULL));
	jsonw_raw(&w, "decision", raw);
	json_object_set_new(o, "s", json_string("x"));
	jsonw_str(&w, "s", "x");
	/* arrays, of strings given by length (the PASSporT's "dest") and of
	 * arrays; the bytes past n are not the string's */
	arr = json_array();
	json_array_append_new(arr, json_string("+12025550100"));
	json_array_append_new(arr, json_string("a\"b"));
	json_array_append_new(arr, json_array());
	json_object_set_new(o, "tn", arr);
	json_object_set_new(o, "attest", json_string("A"));
	json_object_set_new(o, "empty_tn", json_array());
	jsonw_array_open(&w, "tn");
	jsonw_strn(&w, NULL, "+12025550100XYZ", 12);
	jsonw_strn(&w, NULL, "a\"bc", 3);
	jsonw_array_open(&w, NULL);
	jsonw_array_close(&w);
	jsonw_array_close(&w);
	jsonw_strn(&w, "attest", "AB", 1);
	jsonw_array_open(&w, "empty_tn");
	jsonw_array_close(&w);
	jsonw_close(&w);

	want = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	CU_ASSERT_EQUAL(jsonw_end(&w), (int)strlen(want));
	CU_ASSERT_STRING_EQUAL(buf, want);
	free(want);
	json_decref(o);
}

/* Every buffer size up to the line's length: -ENOSPC and "", and not a
 * byte written past the size; one more byte and the whole line */
static void test_bounded(void)
{
	const char *hostile = "\x01\"\\\xe2\x82\xac\x1f/call\n";
	char full[256], buf[256 + 16];
	int len = jsonw_line(full, sizeof(full), hostile);

	CU_ASSERT_FATAL(len > 0);
	CU_ASSERT_STRING_EQUAL(full, "{\"k\":\"\\u0001\\\"\\\\\xe2\x82\xac\\u001F/call\\n\"}");
	for (int size = 1; size <= len + 1; size++) {
		memset(buf, 0x5a, sizeof(buf));
		if (size <= len) {
			CU_ASSERT_EQUAL(jsonw_line(buf, size, hostile), -ENOSPC);
			CU_ASSERT_STRING_EQUAL(buf, "");
		} else {
			CU_ASSERT_EQUAL(jsonw_line(buf, size, hostile), len);
			CU_ASSERT_STRING_EQUAL(buf, full);
		}
		for (size_t i = size; i < sizeof(buf); i++)
			CU_ASSERT_EQUAL_FATAL(buf[i], 0x5a);
	}
	/* nothing at all to write into */
	{
		struct jsonw w;

		jsonw_init(&w, buf, 0);
		jsonw_open(&w, NULL);
		jsonw_str(&w, "k", "v");
		jsonw_close(&w);
		CU_ASSERT_EQUAL(jsonw_end(&w), -ENOSPC);
	}
}

static const struct cunit_test tests[] = {
	{ "escapes as jansson's", test_escapes },
	{ "UTF-8: valid passes, invalid is null", test_utf8 },
	{ "integers, booleans, null, objects, arrays, inserted JSON", test_members },
	{ "never past the buffer", test_bounded },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "jsonw", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "jsonw_test",
	.log = CUNIT_LOG_SILENT,
	.suites = suites,
};
