/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A token bucket on a caller-given clock.  See tokenbucket.h. */

#include <string.h>

#include "certs/tokenbucket.h"

/*! Set the rate and depth; the bucket starts full.  Values above
 *  TOKEN_BUCKET_MAX are taken as it, a burst of 0 as 1. */
void token_bucket_init(struct token_bucket *tb, unsigned int rate, unsigned int burst)
{
	memset(tb, 0, sizeof(*tb));
	tb->rate = rate > TOKEN_BUCKET_MAX ? TOKEN_BUCKET_MAX : rate;
	tb->burst = burst > TOKEN_BUCKET_MAX ? TOKEN_BUCKET_MAX : (burst ? burst : 1);
	tb->milli = (uint64_t)tb->burst * 1000;
}

/*! Take one token at \a now_ms, if there is one.  A clock that goes back
 *  adds nothing.
 *  \returns whether the event is allowed */
bool token_bucket_take(struct token_bucket *tb, int64_t now_ms)
{
	uint64_t cap = (uint64_t)tb->burst * 1000, add;
	int64_t dt;

	if (!tb->started) {
		tb->started = true;
		tb->last_ms = now_ms;
	}
	dt = now_ms - tb->last_ms;
	if (dt > 0) {
		/* rate tokens a second = rate thousandths a millisecond; a day
		 * refills any bucket, so clamp before multiplying */
		if (dt > 86400000)
			dt = 86400000;
		add = (uint64_t)dt * tb->rate;
		tb->milli = tb->milli + add > cap ? cap : tb->milli + add;
		tb->last_ms = now_ms;
	}
	if (tb->milli < 1000)
		return false;
	tb->milli -= 1000;
	return true;
}
