/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file tokenbucket.h
 *  A token bucket: at most \a burst events at once, \a rate events per
 *  second in the long run.  Pure arithmetic on a time the caller gives
 *  (milliseconds of a monotonic clock), so that a test drives it with its
 *  own clock.  Used to bound the repository fetches an SS7 peer can cause
 *  (tsca.h): a peer that sends random key-ids must not make us fetch at
 *  will. */

#include <stdbool.h>
#include <stdint.h>

/*! Largest rate and burst accepted. */
#define TOKEN_BUCKET_MAX	100000

struct token_bucket {
	uint32_t rate;		/*!< tokens per second; 0: no event is ever allowed */
	uint32_t burst;		/*!< bucket depth, >= 1 */
	uint64_t milli;		/*!< tokens held, in thousandths */
	int64_t last_ms;	/*!< when milli was last brought up to date */
	bool started;
};

void token_bucket_init(struct token_bucket *tb, unsigned int rate, unsigned int burst);
bool token_bucket_take(struct token_bucket *tb, int64_t now_ms);
