/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz the header collector of certs/fetch.c (fetch_hdrs_line()), fed as
 * libcurl's header callback feeds it: one header line at a time, not
 * NUL-terminated, each the exact size of its line.  Lines are split at
 * '\n' and keep it. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "certs/fetch.h"

static void check_field(const char *f, size_t size)
{
	if (strnlen(f, size) >= size)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fetch_hdrs h;
	const char *cc;
	size_t off = 0, len;
	const uint8_t *nl;
	char *line;

	fetch_hdrs_reset(&h);
	while (off < size) {
		nl = memchr(data + off, '\n', size - off);
		len = nl ? (size_t)(nl - (data + off)) + 1 : size - off;
		/* an exact-size copy, so that a read past the line shows */
		line = malloc(len ? len : 1);
		if (!line)
			abort();
		memcpy(line, data + off, len);
		if (fetch_hdrs_line(&h, line, len) < 0)
			abort();
		free(line);
		off += len;
	}
	check_field(h.cache_control, sizeof(h.cache_control));
	check_field(h.pragma, sizeof(h.pragma));
	check_field(h.expires, sizeof(h.expires));
	check_field(h.date, sizeof(h.date));
	check_field(h.age, sizeof(h.age));
	check_field(h.content_type, sizeof(h.content_type));
	cc = fetch_hdrs_cache_control(&h);
	if (!cc || (cc != h.cache_control && cc != h.pragma))
		abort();
	fetch_content_type_expected(h.content_type);
	return 0;
}
