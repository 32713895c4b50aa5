/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shared HOP replay store on Redis (see replay_store.h).
 *
 * hiredis's async context rides on the glib loop through its glib adapter
 * (hiredis/adapters/glib.h).  Two things of that adapter are handled here:
 * it never destroys its GSource (we do, outside hiredis's callbacks, as the
 * context may still call the source's cleanup after our callback returned),
 * and its dispatch reads after it wrote without looking whether the write
 * freed the context: the cleanup we hook clears the pending revents, so
 * that a context freed by a failed write is not read from. */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <hiredis/adapters/glib.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <openssl/rand.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vty.h>

#include "src/core/logging.h"
#include "src/core/replay_store.h"

#define KEY_PREFIX	"stiwf:hop:"
/* "stiwf:hop:" + 16 hex + ":" + 64 hex */
#define KEY_MAX		(sizeof(KEY_PREFIX) + 16 + 1 + 64 + 1)
#define INSTANCE_ID_LEN	32

/* Delete the key only when it holds our instance id, atomically
 * (Redis 7 has no compare-and-delete command) */
static const char forget_lua[] =
	"if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/* every live store, for "show replay-store" */
static LLIST_HEAD(g_stores);

struct replay_store_req {
	struct llist_head entry;
	struct replay_store *rs;
	replay_store_cb cb;		/* NULL once answered, timed out or cancelled */
	void *priv;
	struct osmo_timer_list timer;
};

struct replay_store {
	struct llist_head entry;		/* in g_stores */
	char addr[INET6_ADDRSTRLEN];
	uint16_t port;
	unsigned int timeout_ms;
	char name[INET6_ADDRSTRLEN + 8];
	char instance_id[INSTANCE_ID_LEN + 1];

	redisAsyncContext *ac;		/* NULL while not connecting or connected */
	bool connected;
	GSource *source;		/* of ac */
	GSource *dead_source;		/* of a context hiredis freed: destroyed later */
	struct osmo_timer_list reconnect_timer;
	unsigned int backoff_ms;
	bool freeing;

	/* requests with a hiredis callback outstanding */
	struct llist_head reqs;
	struct replay_store_stats st;
};

static void store_connect(struct replay_store *rs);

static void source_drop(GSource **src)
{
	if (!*src)
		return;
	g_source_destroy(*src);
	g_source_unref(*src);
	*src = NULL;
}

/* hiredis is done with its context: it frees it after this returns */
static void store_lost(struct replay_store *rs, const char *why)
{
	bool was = rs->connected;

	rs->ac = NULL;
	rs->connected = false;
	/* the context calls the source's cleanup still: destroy it later */
	source_drop(&rs->dead_source);
	rs->dead_source = rs->source;
	rs->source = NULL;
	if (rs->freeing)
		return;
	if (was)
		rs->st.disconnects++;
	LOGP(DMAIN, was ? LOGL_ERROR : LOGL_NOTICE, "replay-store %s: %s, connecting again in %u ms\n", rs->name,
	     why, rs->backoff_ms);
	osmo_timer_schedule(&rs->reconnect_timer, rs->backoff_ms / 1000, (rs->backoff_ms % 1000) * 1000);
	rs->backoff_ms = rs->backoff_ms * 2 > REPLAY_STORE_BACKOFF_MAX_MS ? REPLAY_STORE_BACKOFF_MAX_MS :
									    rs->backoff_ms * 2;
}

static void on_connect(const redisAsyncContext *ac, int status)
{
	struct replay_store *rs = ac->data;

	if (!rs)
		return;
	if (status != REDIS_OK) {
		store_lost(rs, ac->errstr[0] ? ac->errstr : "connection failed");
		return;
	}
	rs->connected = true;
	rs->backoff_ms = REPLAY_STORE_BACKOFF_MIN_MS;
	rs->st.connects++;
	LOGP(DMAIN, LOGL_NOTICE, "replay-store %s: connected (instance id %s)\n", rs->name, rs->instance_id);
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
	struct replay_store *rs = ac->data;

	if (!rs)
		return;
	store_lost(rs, ac->errstr[0] ? ac->errstr : "connection closed");
}

/* see the top of the file */
static void source_cleanup(void *data)
{
	RedisSource *src = data;

	src->poll_fd.revents = 0;
	redis_source_cleanup(data);
}

static void store_connect(struct replay_store *rs)
{
	redisAsyncContext *ac;

	source_drop(&rs->dead_source);
	ac = redisAsyncConnect(rs->addr, rs->port);
	if (!ac) {
		LOGP(DMAIN, LOGL_ERROR, "replay-store %s: no memory for a connection\n", rs->name);
		osmo_timer_schedule(&rs->reconnect_timer, 1, 0);
		return;
	}
	if (ac->err) {
		/* failed at once (no socket): hiredis leaves the freeing to us */
		LOGP(DMAIN, LOGL_ERROR, "replay-store %s: %s\n", rs->name, ac->errstr);
		redisAsyncFree(ac);
		osmo_timer_schedule(&rs->reconnect_timer, rs->backoff_ms / 1000, (rs->backoff_ms % 1000) * 1000);
		return;
	}
	ac->data = rs;
	rs->ac = ac;
	rs->source = redis_source_new(ac);
	ac->ev.cleanup = source_cleanup;
	g_source_attach(rs->source, NULL);
	redisAsyncSetConnectCallback(ac, on_connect);
	redisAsyncSetDisconnectCallback(ac, on_disconnect);
}

static void reconnect_cb(void *data)
{
	store_connect(data);
}

static void req_answer(struct replay_store_req *req, int rc)
{
	replay_store_cb cb = req->cb;

	req->cb = NULL;
	osmo_timer_del(&req->timer);
	if (cb)
		cb(rc, req->priv);
}

static void req_timeout_cb(void *data)
{
	struct replay_store_req *req = data;

	req->rs->st.timeouts++;
	LOGP(DMAIN, LOGL_ERROR, "replay-store %s: no answer within %u ms\n", req->rs->name, req->rs->timeout_ms);
	/* the request stays until hiredis is done with it */
	req_answer(req, -ETIMEDOUT);
}

static void set_reply_cb(redisAsyncContext *ac, void *r, void *privdata)
{
	struct replay_store_req *req = privdata;
	struct replay_store *rs = req->rs;
	redisReply *reply = r;
	int rc;

	if (!reply) {
		/* the connection went before the answer */
		rc = -ENOTCONN;
		if (req->cb)
			rs->st.not_connected++;
	} else if (reply->type == REDIS_REPLY_STATUS && !strcmp(reply->str, "OK")) {
		rc = 0;
		if (req->cb)
			rs->st.first_seen++;
	} else if (reply->type == REDIS_REPLY_NIL) {
		/* SET NX did not set: the key is there */
		rc = -EALREADY;
		if (req->cb)
			rs->st.replays++;
	} else {
		rc = -EIO;
		if (req->cb) {
			rs->st.errors++;
			LOGP(DMAIN, LOGL_ERROR, "replay-store %s: SET answered %s\n", rs->name,
			     reply->type == REDIS_REPLY_ERROR ? reply->str : "an unexpected type");
		}
	}
	llist_del(&req->entry);
	req_answer(req, rc);
	talloc_free(req);
}

static void key_format(char *buf, size_t size, const uint8_t key_id[8], const uint8_t r[32])
{
	char kid[17], rh[65];

	osmo_hexdump_buf(kid, sizeof(kid), key_id, 8, "", true);
	osmo_hexdump_buf(rh, sizeof(rh), r, 32, "", true);
	snprintf(buf, size, KEY_PREFIX "%s:%s", kid, rh);
}

int replay_store_check(struct replay_store *rs, const uint8_t key_id[8], const uint8_t r[32],
		       unsigned int ttl_s, replay_store_cb cb, void *priv, struct replay_store_req **out)
{
	struct replay_store_req *req;
	char key[KEY_MAX], ttl[16];
	const char *argv[6];
	int rc;

	if (out)
		*out = NULL;
	if (!ttl_s)
		return -EINVAL;
	rs->st.checks++;
	if (!rs->connected) {
		rs->st.not_connected++;
		return -ENOTCONN;
	}
	req = talloc_zero(rs, struct replay_store_req);
	if (!req)
		return -ENOMEM;
	req->rs = rs;
	req->cb = cb;
	req->priv = priv;
	osmo_timer_setup(&req->timer, req_timeout_cb, req);
	key_format(key, sizeof(key), key_id, r);
	snprintf(ttl, sizeof(ttl), "%u", ttl_s);
	argv[0] = "SET";
	argv[1] = key;
	argv[2] = rs->instance_id;
	argv[3] = "NX";
	argv[4] = "EX";
	argv[5] = ttl;
	rc = redisAsyncCommandArgv(rs->ac, set_reply_cb, req, 6, argv, NULL);
	if (rc != REDIS_OK) {
		talloc_free(req);
		rs->st.not_connected++;
		return -ENOTCONN;
	}
	llist_add_tail(&req->entry, &rs->reqs);
	osmo_timer_schedule(&req->timer, rs->timeout_ms / 1000, (rs->timeout_ms % 1000) * 1000);
	if (out)
		*out = req;
	return 0;
}

void replay_store_cancel(struct replay_store_req *req)
{
	if (!req)
		return;
	req->cb = NULL;
	osmo_timer_del(&req->timer);
}

static void forget_reply_cb(redisAsyncContext *ac, void *r, void *privdata)
{
	struct replay_store *rs = ac->data;
	redisReply *reply = r;

	if (!rs || !reply)
		return;
	if (reply->type == REDIS_REPLY_INTEGER) {
		if (reply->integer > 0)
			rs->st.forgotten++;
		LOGP(DMAIN, LOGL_DEBUG, "replay-store %s: key %s\n", rs->name,
		     reply->integer > 0 ? "deleted" : "not ours, kept");
	} else {
		LOGP(DMAIN, LOGL_ERROR, "replay-store %s: delete answered %s\n", rs->name,
		     reply->type == REDIS_REPLY_ERROR ? reply->str : "an unexpected type");
	}
}

int replay_store_forget(struct replay_store *rs, const uint8_t key_id[8], const uint8_t r[32])
{
	char key[KEY_MAX];
	const char *argv[5];

	if (!rs->connected)
		return -ENOTCONN;
	key_format(key, sizeof(key), key_id, r);
	argv[0] = "EVAL";
	argv[1] = forget_lua;
	argv[2] = "1";
	argv[3] = key;
	argv[4] = rs->instance_id;
	if (redisAsyncCommandArgv(rs->ac, forget_reply_cb, NULL, 5, argv, NULL) != REDIS_OK)
		return -ENOTCONN;
	rs->st.forgets++;
	return 0;
}

static int replay_store_destructor(struct replay_store *rs)
{
	struct replay_store_req *req;

	rs->freeing = true;
	llist_del(&rs->entry);
	osmo_timer_del(&rs->reconnect_timer);
	/* nobody hears of the pending requests any more */
	llist_for_each_entry(req, &rs->reqs, entry)
		replay_store_cancel(req);
	if (rs->ac) {
		/* runs the pending reply callbacks with NULL, then ours */
		redisAsyncFree(rs->ac);
		rs->ac = NULL;
	}
	source_drop(&rs->source);
	source_drop(&rs->dead_source);
	return 0;
}

struct replay_store *replay_store_alloc(void *ctx, const struct replay_store_cfg *cfg)
{
	struct replay_store *rs;
	unsigned char buf[INSTANCE_ID_LEN / 2], any[16];

	if (!cfg->addr || (inet_pton(AF_INET, cfg->addr, any) != 1 && inet_pton(AF_INET6, cfg->addr, any) != 1)) {
		LOGP(DMAIN, LOGL_ERROR, "replay-store: '%s' is no numeric IPv4 or IPv6 address\n",
		     cfg->addr ? cfg->addr : "");
		return NULL;
	}
	rs = talloc_zero(ctx, struct replay_store);
	if (!rs)
		return NULL;
	OSMO_STRLCPY_ARRAY(rs->addr, cfg->addr);
	rs->port = cfg->port ? cfg->port : REPLAY_STORE_PORT_DEFAULT;
	rs->timeout_ms = cfg->timeout_ms ? cfg->timeout_ms : REPLAY_STORE_TIMEOUT_DEFAULT_MS;
	snprintf(rs->name, sizeof(rs->name), strchr(rs->addr, ':') ? "[%s]:%u" : "%s:%u", rs->addr, rs->port);
	/* ours alone: a key holding it was set by this process */
	if (RAND_bytes(buf, sizeof(buf)) != 1) {
		talloc_free(rs);
		return NULL;
	}
	osmo_hexdump_buf(rs->instance_id, sizeof(rs->instance_id), buf, sizeof(buf), "", true);
	rs->backoff_ms = REPLAY_STORE_BACKOFF_MIN_MS;
	INIT_LLIST_HEAD(&rs->reqs);
	osmo_timer_setup(&rs->reconnect_timer, reconnect_cb, rs);
	llist_add_tail(&rs->entry, &g_stores);
	talloc_set_destructor(rs, replay_store_destructor);
	store_connect(rs);
	return rs;
}

void replay_store_free(struct replay_store *rs)
{
	talloc_free(rs);
}

bool replay_store_connected(const struct replay_store *rs)
{
	return rs->connected;
}

const char *replay_store_instance_id(const struct replay_store *rs)
{
	return rs->instance_id;
}

const char *replay_store_name(const struct replay_store *rs)
{
	return rs->name;
}

const struct replay_store_stats *replay_store_stats(const struct replay_store *rs)
{
	return &rs->st;
}

DEFUN(show_replay_store, show_replay_store_cmd,
      "show replay-store",
      SHOW_STR "The HOP replay store shared with the other IWFs: connection and counters\n")
{
	const struct replay_store *rs;
	const struct replay_store_stats *st;

	if (llist_empty(&g_stores)) {
		vty_out(vty, "replay-store local: HOP signatures are remembered in this process only%s", VTY_NEWLINE);
		return CMD_SUCCESS;
	}
	llist_for_each_entry(rs, &g_stores, entry) {
		st = &rs->st;
		vty_out(vty, "replay-store redis %s: %s, instance id %s, timeout %u ms%s", rs->name,
			rs->connected ? "connected" : "not connected", rs->instance_id, rs->timeout_ms, VTY_NEWLINE);
		vty_out(vty, " checks %" PRIu64 ": first seen %" PRIu64 ", replays %" PRIu64 ", timeouts %" PRIu64
			", errors %" PRIu64 ", not connected %" PRIu64 "%s", st->checks, st->first_seen, st->replays,
			st->timeouts, st->errors, st->not_connected, VTY_NEWLINE);
		vty_out(vty, " deletes sent %" PRIu64 ", keys deleted %" PRIu64 ", connects %" PRIu64
			", connections lost %" PRIu64 "%s", st->forgets, st->forgotten, st->connects, st->disconnects,
			VTY_NEWLINE);
	}
	return CMD_SUCCESS;
}

void replay_store_vty_init(void)
{
	install_element_ve(&show_replay_store_cmd);
}
