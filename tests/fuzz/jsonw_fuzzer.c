/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz the compact JSON writer (src/core/jsonw.c) against jansson: the
 * input, up to its first '\0', as a string member, must print byte for
 * byte what json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER) prints (null
 * where json_string() refuses it, not being UTF-8); and into a buffer
 * of any size the writer either prints all of it or -ENOSPC and "",
 * never a byte past the size.  The string is handed over in an
 * exact-size copy, so that a read past its end shows. */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "src/core/jsonw.h"

#define CANARY	0xa5

static int write_line(char *buf, size_t size, const char *s)
{
	struct jsonw w;

	jsonw_init(&w, buf, size);
	jsonw_open(&w, NULL);
	jsonw_int(&w, "n", (long long)size - 64);
	jsonw_str(&w, "k", s);
	jsonw_bool(&w, "b", true);
	jsonw_close(&w);
	return jsonw_end(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = strnlen((const char *)data, size);
	size_t room = size ? data[0] : 0;
	char *s = malloc(len + 1);
	json_t *o, *v;
	char *want, *buf;
	size_t wlen;
	int n;

	if (!s)
		abort();
	memcpy(s, data, len);
	s[len] = '\0';
	/* what jansson prints */
	o = json_object();
	v = json_string(s);
	json_object_set_new(o, "n", json_integer((long long)(6 * len + 64) - 64));
	json_object_set_new(o, "k", v ? v : json_null());
	json_object_set_new(o, "b", json_true());
	want = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!want)
		abort();
	wlen = strlen(want);

	/* room enough for the worst case: the whole line, jansson's bytes */
	buf = malloc(6 * len + 64);
	if (!buf)
		abort();
	n = write_line(buf, 6 * len + 64, s);
	if (n < 0 || (size_t)n != wlen || strcmp(buf, want) != 0)
		abort();
	free(buf);

	/* a buffer of the size the first byte says: all or nothing, and
	 * nothing past it */
	buf = malloc(room + 16);
	if (!buf)
		abort();
	memset(buf, CANARY, room + 16);
	n = write_line(buf, room, s);
	if (n >= 0) {
		if ((size_t)n >= room || strlen(buf) != (size_t)n)
			abort();
	} else if (n != -ENOSPC || (room > 0 && buf[0] != '\0')) {
		abort();
	}
	for (size_t i = room; i < room + 16; i++)
		if ((uint8_t)buf[i] != CANARY)
			abort();
	free(buf);
	free(want);
	free(s);
	return 0;
}
