/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file fetch.h
 *  Asynchronous HTTP(S) fetches of certificate chains and CRLs (ARCHITECTURE §5):
 *  libcurl's multi interface driven by libosmocore osmo_fds and an
 *  osmo_timer, so it runs under osmo_select_main() and inside stiwfd's
 *  GMainLoop (src/core/evloop.c) alike, and never blocks the loop.
 *
 *  Every answer is treated as hostile: the body is capped, the whole
 *  transfer is time-limited (one deadline for all its redirect hops), only
 *  https (and, as a lab option, http) to allowed ports and hosts is
 *  spoken, and redirects are followed by hand (at most max_redirects,
 *  default 3) so that each target passes the same policy as the first URL.
 *  Concurrent requests for one URL share one transfer (single flight) and
 *  all of them get its result.
 *
 *  Every URL is hostile too (an x5u comes from whoever sent the INVITE):
 *  the address each connection goes to, after DNS, is checked against the
 *  policy's address ACL and, by default, refused for loopback, private,
 *  link-local, shared (CGNAT), multicast and the other special-purpose
 *  ranges of RFC 6890 and the IANA registries that followed it, and for the
 *  metadata services of cloud hosts; a URL with a query string is refused;
 *  the transfers in flight are capped, in all and per host. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <sys/socket.h>

#include <osmocom/core/utils.h>

/*! Largest body accepted by default (a PEM chain of a few certificates). */
#define FETCH_DEFAULT_MAX_BODY	(16 * 1024)
/*! Whole-transfer limit by default, connection and TLS set-up included. */
#define FETCH_DEFAULT_TIMEOUT_MS	2000
#define FETCH_DEFAULT_CONNECT_TIMEOUT_MS	1000
/*! Redirects followed by default; each one is checked against the policy. */
#define FETCH_DEFAULT_MAX_REDIRECTS	3
/*! Hard limit on the redirects any configuration may allow. */
#define FETCH_MAX_REDIRECTS	10
/*! Most ports and hosts in one list. */
#define FETCH_MAX_PORTS		8
#define FETCH_MAX_HOSTS		32
/*! Longest URL accepted. */
#define FETCH_URL_MAXLEN	1024
/*! Longest caching header value kept (Cache-Control, Expires, Date, Age). */
#define FETCH_HDR_MAXLEN	256
/*! Most lines of an address ACL. */
#define FETCH_MAX_ACL		32
/*! Most configured URLs (or URL templates) whose own port is allowed. */
#define FETCH_MAX_OWN_URLS	4
/*! Transfers in flight by default, in all and to one host. */
#define FETCH_DEFAULT_MAX_IN_FLIGHT		64
#define FETCH_DEFAULT_MAX_IN_FLIGHT_PER_HOST	16
/*! Hard limit on either cap. */
#define FETCH_MAX_IN_FLIGHT	1024
/*! Room for an ACL line as fetch_acl_rule_format() writes it. */
#define FETCH_ACL_STR_MAX	64

/*! Why a fetch failed; all of them map to SIP 436 on the STI-VS. */
enum fetch_err {
	FETCH_OK,
	FETCH_ERR_POLICY,	/*!< URL refused: scheme, port, host, query, address, malformed */
	FETCH_ERR_CONNECT,	/*!< DNS, TCP or TLS failure */
	FETCH_ERR_TIMEOUT,	/*!< connect or total timeout */
	FETCH_ERR_HTTP,		/*!< HTTP status other than 200 */
	FETCH_ERR_TOO_BIG,	/*!< body above max_body */
	FETCH_ERR_REDIRECT,	/*!< redirect refused or too many */
	FETCH_ERR_NOMEM,
	FETCH_ERR_INTERNAL,	/*!< libcurl refused a request */
	FETCH_ERR_BUSY,		/*!< too many transfers in flight, in all or to that host */
	_NUM_FETCH_ERR
};
extern const struct value_string fetch_err_names[];

/*! One line of an address ACL: permit or deny a CIDR prefix. */
struct fetch_acl_rule {
	bool permit;
	uint8_t family;			/*!< AF_INET or AF_INET6 */
	uint8_t prefix_len;		/*!< 0..32 or 0..128 */
	uint8_t addr[16];		/*!< network order; IPv4 in the first 4 octets */
};

/*! Fetch policy; fetch_policy_init() fills in the defaults. */
struct fetch_policy {
	bool allow_http;		/*!< lab only: also accept http:// URLs (port 80 or a listed one) */
	uint16_t ports[FETCH_MAX_PORTS];	/*!< allowed ports; default 443, 8443 */
	unsigned int num_ports;
	/*! Hosts: an entry "example.com" matches that host exactly, an entry
	 *  ".example.com" matches any host ending in it.  An empty allow list
	 *  allows every host not denied; deny wins over allow. */
	const char *allow_hosts[FETCH_MAX_HOSTS];
	unsigned int num_allow_hosts;
	const char *deny_hosts[FETCH_MAX_HOSTS];
	unsigned int num_deny_hosts;
	unsigned int max_redirects;	/*!< 0: do not follow redirects */
	size_t max_body;
	long timeout_ms;
	long connect_timeout_ms;
	/*! CA file for the repository's TLS server certificate; NULL: system CAs. */
	const char *ca_file;
	/*! Address ACL, checked against every address a connection goes to
	 *  (after DNS, before connecting): the first line that matches
	 *  decides; an address no line matches is refused when it lies in a
	 *  special-purpose range (fetch_addr_check()), else allowed.  A cloud
	 *  metadata address is allowed only by a permit line naming exactly
	 *  it (a /32 or /128), never by a wider prefix. */
	struct fetch_acl_rule acl[FETCH_MAX_ACL];
	unsigned int num_acl;
	/*! URLs the operator configured (our own x5u, the repository URL
	 *  template with "{key-id}"): a URL that is one of them (with the
	 *  placeholder standing for 1..64 lower-case hex digits) may use its
	 *  own port even when that port is not in ports.  Other URLs on that
	 *  host and port are not allowed by it. */
	const char *own_urls[FETCH_MAX_OWN_URLS];
	unsigned int num_own_urls;
	/*! Transfers in flight at once, in all and to one host (requests that
	 *  join a transfer do not count); above either, FETCH_ERR_BUSY. */
	unsigned int max_in_flight;
	unsigned int max_in_flight_per_host;
};

/*! What a finished fetch produced.  Valid only during the callback. */
struct fetch_result {
	const char *url;		/*!< the URL asked for */
	const char *effective_url;	/*!< the last URL after redirects */
	enum fetch_err err;
	const char *reason;		/*!< human-readable cause ("" when OK) */
	long http_status;		/*!< 0 when no response */
	const uint8_t *body;
	size_t body_len;
	const char *content_type;	/*!< "" when absent */
	/*! Caching headers of the final response (RFC 7234 §5), "" when absent. */
	const char *cache_control;
	const char *expires;
	const char *date;
	const char *age;
};

struct fetcher;
struct fetch_req;

/*! Called once per request on the loop; never for a cancelled request. */
typedef void (*fetch_done_cb)(const struct fetch_result *res, void *priv);

void fetch_policy_init(struct fetch_policy *pol);
struct fetcher *fetcher_alloc(void *ctx, const char *name, const struct fetch_policy *pol);
int fetch_url_check(const struct fetch_policy *pol, const char *url, char *why, size_t why_len);
int fetch_acl_rule_parse(struct fetch_acl_rule *r, const char *action, const char *cidr);
int fetch_acl_rule_format(char *buf, size_t len, const struct fetch_acl_rule *r);
int fetch_addr_check(const struct fetch_policy *pol, const struct sockaddr *sa, size_t sa_len,
		     char *why, size_t why_len);
int fetch_addr_check_str(const struct fetch_policy *pol, const char *ip, char *why, size_t why_len);
struct fetch_req *fetch_get(struct fetcher *f, const char *url, fetch_done_cb cb, void *priv);
void fetch_cancel(struct fetch_req *req);
bool fetch_content_type_expected(const char *ct);

/*! The caching headers and Content-Type of one response, as the header
 *  callback collects them (fetch_hdrs_line()); "" when absent. */
struct fetch_hdrs {
	char cache_control[FETCH_HDR_MAXLEN];
	char pragma[FETCH_HDR_MAXLEN];
	char expires[FETCH_HDR_MAXLEN];
	char date[FETCH_HDR_MAXLEN];
	char age[FETCH_HDR_MAXLEN];
	char content_type[FETCH_HDR_MAXLEN];
	bool too_long;			/*!< a value was dropped for its length */
};
void fetch_hdrs_reset(struct fetch_hdrs *h);
int fetch_hdrs_line(struct fetch_hdrs *h, const char *line, size_t len);
const char *fetch_hdrs_cache_control(const struct fetch_hdrs *h);

/*! Counters, for tests and statistics. */
struct fetch_stats {
	unsigned long transfers;	/*!< HTTP transfers started (redirect hops included) */
	unsigned long requests;		/*!< fetch_get() calls accepted */
	unsigned long joined;		/*!< requests that joined a transfer in flight */
	unsigned long failures;
	unsigned long busy;		/*!< requests refused for the in-flight caps */
	unsigned long addr_refused;	/*!< connections refused by the address ACL */
};
const struct fetch_stats *fetcher_stats(const struct fetcher *f);
unsigned int fetcher_in_flight(const struct fetcher *f);
