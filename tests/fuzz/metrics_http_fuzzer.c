/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz the metrics endpoint's request parser (src/core/metrics.c,
 * metrics_http_parse()) as the endpoint feeds it: the octets received so
 * far, growing, with the endpoint's bound.  The input is handed over in
 * exact-size copies, so that a read past the length shows. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/core/metrics.h"

static void check(const uint8_t *data, size_t len, size_t bound)
{
	uint8_t *copy = malloc(len ? len : 1);
	int st;

	if (!copy)
		abort();
	memcpy(copy, data, len);
	st = metrics_http_parse(copy, len, bound);
	free(copy);
	if (st != 0 && st != 200 && st != 400 && st != 404 && st != 405 && st != 431)
		abort();
	/* a head the size of the bound is answered: never "read more" */
	if (len >= bound && st == 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cut;

	check(data, size, METRICS_MAX_HEAD);
	/* a small bound reaches 431 with short inputs */
	check(data, size, 64);
	/* the head as it arrives: a prefix first */
	cut = size ? data[0] % (size + 1) : 0;
	check(data, cut, METRICS_MAX_HEAD);
	return 0;
}
