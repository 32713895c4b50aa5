/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file metrics.h
 *  Every libosmocore counter group (rate_ctr) of the daemon in the
 *  Prometheus text format (exposition format 0.0.4): on a small HTTP
 *  endpoint ("metrics listen [ADDR] PORT", GET /metrics only), and on the
 *  VTY ("show metrics").  A counter "verstat:passed" of group "sip_peer"
 *  named p1 at index 0 becomes
 *      stiwf_sip_peer_verstat_passed_total{index="0",name="p1"} 3
 *
 *  The endpoint runs on the daemon's event loop (src/core/evloop.h).  It reads
 *  one request per connection, answers it and closes: 200 with the
 *  counters for GET /metrics, 404 for another path, 405 for another
 *  method, 400 for a malformed request, 431 for a request head longer
 *  than METRICS_MAX_HEAD octets.  At most METRICS_MAX_CONNS connections
 *  are open at once (more are closed at once), and each has
 *  METRICS_TIMEOUT_S seconds for its request and the answer. */

#include <stddef.h>
#include <stdint.h>

/*! Longest request head (request line and header fields), octets */
#define METRICS_MAX_HEAD	4096
/*! Connections served at once */
#define METRICS_MAX_CONNS	8
/*! Seconds a connection may take to send its request and read the answer */
#define METRICS_TIMEOUT_S	5

/*! What the request head in buf[0..len) asks for.
 *  \returns 0 when the head is not complete yet (read more), else the
 *  HTTP status to answer: 200 (GET /metrics), 400, 404, 405 or 431 (the
 *  head reaches \a max_head octets without its end) */
int metrics_http_parse(const uint8_t *buf, size_t len, size_t max_head);

/*! The counters in the Prometheus text format, a talloc string of \a ctx.
 *  \returns NULL when out of memory */
char *metrics_format(void *ctx);

/*! Install "metrics listen" (config node) and "show metrics". */
void metrics_vty_init(void);

/*! Open the configured endpoint, if any, on the event loop.
 *  \returns 0, or -errno (logged) */
int metrics_start(void *ctx);

/*! Close the endpoint and its connections. */
void metrics_stop(void);
