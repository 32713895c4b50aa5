/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file replay_store.h
 *  The HOP replay store shared by the IWFs of one network (docs/SCALING.md):
 *  a Redis server, asked on the event loop without blocking it.
 *
 *  Each HOP signature that verified is remembered as a key
 *  "stiwf:hop:KEYID:R" (hex; R is the signature's first half, ARCHITECTURE §2.2)
 *  set with SET NX EX: the first IWF to set it takes the call, every other
 *  one finds it there and refuses the IAM as a replay.  The key's value is
 *  this process's instance id, so that an IWF deletes a key only when it
 *  set it itself (replay_store_forget(), a compare-and-delete in one Lua
 *  script: Redis 7 has no DELIFEQ).
 *
 *  One connection (hiredis async on the glib loop through hiredis's glib
 *  adapter), connected again after a failure with a doubling back-off; a
 *  request is answered within the configured timeout or fails. */

#include <stdbool.h>
#include <stdint.h>

struct replay_store;
struct replay_store_req;

/*! How a replay store is reached. */
struct replay_store_cfg {
	const char *addr;		/*!< numeric IPv4 or IPv6 address of the Redis server */
	uint16_t port;			/*!< 6379 by default */
	unsigned int timeout_ms;	/*!< answer within this, or the check fails */
};

#define REPLAY_STORE_PORT_DEFAULT	6379
#define REPLAY_STORE_TIMEOUT_DEFAULT_MS	200
/*! Back-off between connection attempts: from the first to the last value, doubling */
#define REPLAY_STORE_BACKOFF_MIN_MS	100
#define REPLAY_STORE_BACKOFF_MAX_MS	5000

/*! The answer to a check: 0 first seen (now remembered, ours), -EALREADY
 *  seen before, -ETIMEDOUT no answer in time, -ENOTCONN no connection,
 *  -EIO the server answered with an error.  Called on the loop, at most
 *  once, never from inside replay_store_check(). */
typedef void (*replay_store_cb)(int rc, void *priv);

/*! Start a store and its first connection (non-blocking: the address
 *  must be numeric).  \returns the store, or NULL (bad address, no memory) */
struct replay_store *replay_store_alloc(void *ctx, const struct replay_store_cfg *cfg);

/*! Close the connection; requests still pending are answered no more. */
void replay_store_free(struct replay_store *rs);

/*! Remember (\a key_id, \a r) for \a ttl_s seconds unless it is there.
 *  \param[out] req the request, for replay_store_cancel() (may be NULL)
 *  \returns 0: \a cb will be called; -ENOTCONN (no connection now),
 *  -ENOMEM, -EINVAL (ttl 0): \a cb will not be called */
int replay_store_check(struct replay_store *rs, const uint8_t key_id[8], const uint8_t r[32],
		       unsigned int ttl_s, replay_store_cb cb, void *priv, struct replay_store_req **req);

/*! Forget a pending check: its callback will not be called.  What Redis
 *  does with the command already sent is not undone. */
void replay_store_cancel(struct replay_store_req *req);

/*! Delete the key of (\a key_id, \a r) if this process set it (compare
 *  and delete, atomic on the server); the answer is only logged.
 *  \returns 0 sent, -ENOTCONN, -ENOMEM */
int replay_store_forget(struct replay_store *rs, const uint8_t key_id[8], const uint8_t r[32]);

/*! \returns whether the connection is up now */
bool replay_store_connected(const struct replay_store *rs);

/*! \returns the value this process writes into its keys (hex) */
const char *replay_store_instance_id(const struct replay_store *rs);

/*! \returns "ADDR:PORT", for logs */
const char *replay_store_name(const struct replay_store *rs);

/*! Counters for "show replay-store" and tests. */
struct replay_store_stats {
	uint64_t checks, first_seen, replays, timeouts, errors, not_connected;
	uint64_t forgets, forgotten, connects, disconnects;
};
const struct replay_store_stats *replay_store_stats(const struct replay_store *rs);

/*! Install "show replay-store" (every store of the process, or "local"). */
void replay_store_vty_init(void);
