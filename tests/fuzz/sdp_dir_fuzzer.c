/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz harness: stream directions of SDP offers (sip/sdp_dir.c), which
 * read the SDP of every INVITE and re-INVITE from SIP peers.  The input is
 * the first offer, a NUL octet, and the re-INVITE's offer; when the second
 * changes only directions, the answer built from the first must parse and
 * mirror them. */

#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "src/core/logging.h"
#include "sip/sdp_dir.h"

static unsigned int mirror(unsigned int m)
{
	return ((m & 1) ? 2 : 0) | ((m & 2) ? 1 : 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	const uint8_t *nul = memchr(data, 0, size);
	struct sdp_dir_shape a, b, c;
	size_t alen = nul ? (size_t)(nul - data) : size;
	char *first, *ans;
	unsigned int i;

	if (!initialised) {
		stiwf_logging_init(NULL);
		log_set_log_level(osmo_stderr_target, LOGL_FATAL);
		initialised = 1;
	}
	if (sdp_dir_shape((const char *)data, alen, &a) < 0 || !nul)
		return 0;
	if (sdp_dir_shape((const char *)nul + 1, size - alen - 1, &b) < 0)
		return 0;
	if (a.n_media > SDP_DIR_MEDIA_MAX || b.n_media > SDP_DIR_MEDIA_MAX)
		abort();
	if (!sdp_dir_same_but_modes(&a, &b) || !b.parsed)
		return 0;
	first = talloc_strndup(NULL, (const char *)data, alen);
	ans = first ? sdp_dir_answer(first, first, &b, 1) : NULL;
	if (ans) {
		if (sdp_dir_shape(ans, strlen(ans), &c) < 0 || !c.parsed || c.n_media != b.n_media)
			abort();
		for (i = 0; i < c.n_media; i++)
			if (((c.modes >> (2 * i)) & 3) & ~mirror((b.modes >> (2 * i)) & 3))
				abort();
	}
	talloc_free(first);
	return 0;
}
