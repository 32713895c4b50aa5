/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz the caching-header arithmetic of certs/cache.c: Cache-Control
 * (RFC 7234 §5.2), Expires, Date, Age, as a response brings them.  The
 * input is up to four lines: Cache-Control, Expires, Date, Age (a missing
 * line is an absent header); the whole input is also one delta-seconds. */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "certs/cache.h"
#include "src/core/logging.h"

/* a fixed clock: the arithmetic, not the time of the run, is fuzzed */
#define NOW 1700000000

static time_t fixed_clock(void *priv)
{
	return NOW;
}

static void check(struct cert_cache *c, const struct cert_cache_hdrs *h, bool floor)
{
	time_t expires = 0;
	int rc = cert_cache_lifetime(c, h, NOW, NULL, &expires);

	if (rc != 0 && rc != -ENOENT)
		abort();
	if (rc == 0) {
		/* never in the past, never above 2^31 s, the floor when there is one */
		if (expires < NOW || (int64_t)expires - NOW > CERT_CACHE_DELTA_MAX)
			abort();
		if (floor && expires - NOW < CERT_CACHE_DEFAULT_FLOOR_S)
			abort();
	}
	if (floor && rc != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cert_cache *with_floor, *rfc_only;
	static bool ready;
	struct cert_cache_hdrs h = { 0 };
	char *buf, *line[4] = { NULL }, *p;
	int64_t v;
	size_t i;

	if (!ready) {
		struct cert_cache_cfg cfg;

		log_init(&stiwf_log_info, NULL);
		cert_cache_cfg_init(&cfg);
		cfg.now = fixed_clock;
		with_floor = cert_cache_alloc(NULL, &cfg);
		cfg.floor_s = 0;
		rfc_only = cert_cache_alloc(NULL, &cfg);
		if (!with_floor || !rfc_only)
			abort();
		ready = true;
	}
	/* delta-seconds over the raw bytes: exactly size octets, no NUL */
	if (cert_cache_parse_delta((const char *)data, size, &v) == 0 && (v < 0 || v > CERT_CACHE_DELTA_MAX))
		abort();

	buf = malloc(size + 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	p = buf;
	for (i = 0; i < 4 && p; i++) {
		line[i] = p;
		p = strchr(p, '\n');
		if (p)
			*p++ = '\0';
	}
	h.cache_control = line[0];
	h.expires = line[1];
	h.date = line[2];
	h.age = line[3];
	check(with_floor, &h, true);
	check(rfc_only, &h, false);
	free(buf);
	return 0;
}
