/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Asynchronous HTTP(S) fetches on libcurl's multi interface, driven by
 * libosmocore osmo_fds and one osmo_timer (ARCHITECTURE §5).
 *
 * libcurl tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION) and
 * when to wake it up (CURLMOPT_TIMERFUNCTION); we map them onto osmo_fds and
 * an osmo_timer and call curl_multi_socket_action() from their callbacks.
 * Finished transfers are collected after each action and their waiters are
 * called back outside any libcurl callback, so a waiter may start or cancel
 * fetches freely. */

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sys/socket.h>

#include <curl/curl.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>

#include "certs/fetch.h"
#include "src/core/logging.h"

const struct value_string fetch_err_names[] = {
	{ FETCH_OK, "ok" },
	{ FETCH_ERR_POLICY, "refused by policy" },
	{ FETCH_ERR_CONNECT, "connection failed" },
	{ FETCH_ERR_TIMEOUT, "timeout" },
	{ FETCH_ERR_HTTP, "HTTP error" },
	{ FETCH_ERR_TOO_BIG, "body too big" },
	{ FETCH_ERR_REDIRECT, "redirect refused" },
	{ FETCH_ERR_NOMEM, "out of memory" },
	{ FETCH_ERR_INTERNAL, "internal error" },
	{ FETCH_ERR_BUSY, "too many fetches in flight" },
	{ 0, NULL }
};

#define REASON_LEN 256
/* Longest host name kept for the per-host cap (RFC 1035 §2.3.4: 253). */
#define HOST_MAXLEN 256

struct fetcher {
	char *name;
	struct fetch_policy pol;	/* host and URL strings are talloc copies */
	CURLM *multi;
	struct osmo_timer_list timer;	/* libcurl's timeout */
	struct osmo_timer_list defer;	/* delivers results decided without a transfer */
	struct llist_head xfers;	/* transfers in flight, keyed by URL */
	struct llist_head deferred;	/* finished without libcurl, to be delivered */
	struct llist_head socks;
	struct fetch_stats stats;
	bool global_init;
};

/* One transfer, shared by every request for its URL (single flight). */
struct fetch_xfer {
	struct llist_head entry;
	struct fetcher *f;
	char *url;		/* what was asked for: the single-flight key */
	char *cur_url;		/* the current hop */
	char host[HOST_MAXLEN];	/* of url, lower case: the per-host cap */
	int64_t deadline_ms;	/* CLOCK_MONOTONIC: one deadline for every hop */
	unsigned int redirects;
	CURL *easy;
	bool in_multi;
	bool delivering;
	struct llist_head waiters;

	uint8_t *body;		/* capped at pol.max_body, never grown */
	size_t body_len;
	bool too_big;
	struct fetch_hdrs hdrs;
	bool addr_refused;	/* the ACL refused an address of this hop */
	char addr_why[160];

	enum fetch_err err;
	long http_status;
	char reason[REASON_LEN];
	char errbuf[CURL_ERROR_SIZE];
};

struct fetch_req {
	struct llist_head entry;
	struct fetch_xfer *x;
	fetch_done_cb cb;
	void *priv;
};

struct fetch_sock {
	struct llist_head entry;
	struct osmo_fd ofd;
	struct fetcher *f;
};

static void fetcher_check_done(struct fetcher *f);
static void xfer_deliver(struct fetch_xfer *x);

/*! Fill pol with the defaults: https only, ports 443 and 8443
 *  (ATIS-1000080 repository rules, docs/STANDARDS.md §2.6), 16 KiB body, 2 s total,
 *  1 s connect, up to 3 redirects, system CAs, every host allowed, an empty
 *  address ACL (so the special-purpose ranges are refused), 64 transfers
 *  in flight, 16 to one host. */
void fetch_policy_init(struct fetch_policy *pol)
{
	memset(pol, 0, sizeof(*pol));
	pol->ports[0] = 443;
	pol->ports[1] = 8443;
	pol->num_ports = 2;
	pol->max_redirects = FETCH_DEFAULT_MAX_REDIRECTS;
	pol->max_body = FETCH_DEFAULT_MAX_BODY;
	pol->timeout_ms = FETCH_DEFAULT_TIMEOUT_MS;
	pol->connect_timeout_ms = FETCH_DEFAULT_CONNECT_TIMEOUT_MS;
	pol->max_in_flight = FETCH_DEFAULT_MAX_IN_FLIGHT;
	pol->max_in_flight_per_host = FETCH_DEFAULT_MAX_IN_FLIGHT_PER_HOST;
}

/* host matches entry: exactly, or, when entry starts with '.', as a
 * subdomain of it ("a.example.com" matches ".example.com"; "example.com"
 * does not). */
static bool host_match(const char *host, const char *entry)
{
	size_t hl = strlen(host), el = strlen(entry);

	if (entry[0] != '.')
		return strcasecmp(host, entry) == 0;
	if (hl <= el)
		return false;
	return strcasecmp(host + hl - el, entry) == 0;
}

/* url is tmpl, where a "{key-id}" in tmpl stands for 1..64 lower-case
 * hex digits (cert_domain_repo_url() makes no other). */
static bool own_url_match(const char *tmpl, const char *url)
{
	static const char ph[] = "{key-id}";
	const char *p = strstr(tmpl, ph);
	size_t pre, suf, ul = strlen(url), i;

	if (!p)
		return strcmp(tmpl, url) == 0;
	pre = (size_t)(p - tmpl);
	suf = strlen(p + sizeof(ph) - 1);
	if (ul < pre + suf + 1 || ul - pre - suf > 64 || strncmp(url, tmpl, pre) ||
	    strcmp(url + ul - suf, p + sizeof(ph) - 1))
		return false;
	for (i = pre; i < ul - suf; i++) {
		if (!((url[i] >= '0' && url[i] <= '9') || (url[i] >= 'a' && url[i] <= 'f')))
			return false;
	}
	return true;
}

/* fetch_url_check(), also giving the URL's host (lower case) for the
 * per-host cap. */
static int url_check(const struct fetch_policy *pol, const char *url, char *why, size_t why_len,
		     char *host_out, size_t host_len)
{
	CURLU *u = NULL;
	char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL, *zone = NULL;
	char awhy[160];
	unsigned long portnum = 0;
	bool http, own = false;
	char *end;
	size_t i, len;
	int rc = -EINVAL;

	if (why && why_len)
		why[0] = '\0';
	if (host_out && host_len)
		host_out[0] = '\0';
	if (!url) {
		snprintf(why, why_len, "no URL");
		return -EINVAL;
	}
	len = strnlen(url, FETCH_URL_MAXLEN + 1);
	if (len == 0 || len > FETCH_URL_MAXLEN) {
		snprintf(why, why_len, "URL empty or longer than %d", FETCH_URL_MAXLEN);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7f) {
			snprintf(why, why_len, "URL has a space or control character at %zu", i);
			return -EINVAL;
		}
	}
	u = curl_url();
	if (!u) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	/* no CURLU_GUESS_SCHEME, no CURLU_NON_SUPPORT_SCHEME: absolute http(s) URLs only */
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		snprintf(why, why_len, "malformed URL");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
		snprintf(why, why_len, "URL lacks a scheme");
		goto out;
	}
	http = strcasecmp(scheme, "http") == 0;
	if (strcasecmp(scheme, "https") != 0 && !(pol->allow_http && http)) {
		snprintf(why, why_len, "scheme %s not allowed%s", scheme, http ? " (https only)" : "");
		rc = -EPERM;
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
		snprintf(why, why_len, "URL lacks a host or port");
		goto out;
	}
	rc = -EPERM;
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		snprintf(why, why_len, "URL carries user information");
		goto out;
	}
	/* A certificate or CRL URL names a file.  A query string (even an
	 * empty one) or a fragment would only make distinct URLs of one
	 * resource: each a cache miss and a new transfer (ATIS-1000074 x5u
	 * caching assumes one URL per credential). */
	if (strpbrk(url, "?#")) {
		snprintf(why, why_len, "URL has a query string or fragment");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_ZONEID, &zone, 0) == CURLUE_OK) {
		snprintf(why, why_len, "URL has an IPv6 zone identifier");
		goto out;
	}
	errno = 0;
	portnum = strtoul(port, &end, 10);
	if (errno || *end || portnum == 0 || portnum > 65535) {
		snprintf(why, why_len, "bad port %s", port);
		rc = -EINVAL;
		goto out;
	}
	for (i = 0; i < pol->num_own_urls && i < FETCH_MAX_OWN_URLS; i++) {
		if (pol->own_urls[i] && own_url_match(pol->own_urls[i], url)) {
			own = true;
			break;
		}
	}
	for (i = 0; i < pol->num_ports && i < FETCH_MAX_PORTS; i++) {
		if (pol->ports[i] == portnum)
			break;
	}
	/* the lab option allows http on its own port too; a configured URL
	 * its own port (for it alone) */
	if ((i == pol->num_ports || i == FETCH_MAX_PORTS) && !(http && portnum == 80) && !own) {
		snprintf(why, why_len, "port %lu not allowed", portnum);
		goto out;
	}
	for (i = 0; i < pol->num_deny_hosts; i++) {
		if (host_match(host, pol->deny_hosts[i])) {
			snprintf(why, why_len, "host %s denied (%s)", host, pol->deny_hosts[i]);
			goto out;
		}
	}
	if (pol->num_allow_hosts) {
		for (i = 0; i < pol->num_allow_hosts; i++) {
			if (host_match(host, pol->allow_hosts[i]))
				break;
		}
		if (i == pol->num_allow_hosts) {
			snprintf(why, why_len, "host %s not in the allow list", host);
			goto out;
		}
	}
	/* a literal address (in any spelling: libcurl has turned
	 * "2130706433" and "0x7f.1" into "127.0.0.1") is judged now, without
	 * a connection; a name is judged by the address it resolves to, when
	 * the connection is made */
	if (fetch_addr_check_str(pol, host, awhy, sizeof(awhy)) == -EPERM) {
		snprintf(why, why_len, "%s", awhy);
		goto out;
	}
	if (host_out && host_len) {
		for (i = 0; host[i] && i + 1 < host_len; i++)
			host_out[i] = (char)tolower((unsigned char)host[i]);
		host_out[i] = '\0';
	}
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(user);
	curl_free(zone);
	curl_url_cleanup(u);
	return rc;
}

/*! Check a URL against the policy, without fetching it: scheme, port
 *  (or one of the policy's own URLs), user information, query string,
 *  host lists, and a literal address against the address ACL.  A host
 *  name is checked against the ACL only when a fetch connects.
 *  \param[in] pol the policy
 *  \param[in] url absolute URL
 *  \param[out] why reason of a refusal (may be NULL)
 *  \param[in] why_len size of why
 *  \returns 0 when allowed, -EINVAL when malformed, -EPERM when refused */
int fetch_url_check(const struct fetch_policy *pol, const char *url, char *why, size_t why_len)
{
	return url_check(pol, url, why, why_len, NULL, 0);
}

/*! \returns whether ct is one of the media types a certificate repository
 *  is expected to send (ATIS-1000080: application/pem-certificate-chain; the
 *  others are tolerated because real repositories send them). */
bool fetch_content_type_expected(const char *ct)
{
	static const char *const ok[] = {
		"application/pem-certificate-chain",
		"application/x-pem-file",
		"application/pkix-cert",
		"application/pkix-crl",
		"application/x-x509-ca-cert",
		"application/x-x509-user-cert",
		"text/plain",
		"application/octet-stream",
	};
	size_t n, i;

	if (!ct)
		return false;
	n = strcspn(ct, "; \t");
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		if (strlen(ok[i]) == n && strncasecmp(ct, ok[i], n) == 0)
			return true;
	}
	return false;
}

/* ------------------------------------------------------------ libcurl glue */

static int sock_fd_cb(struct osmo_fd *ofd, unsigned int what)
{
	struct fetcher *f = ((struct fetch_sock *)ofd->data)->f;
	int flags = 0, running;

	if (what & OSMO_FD_READ)
		flags |= CURL_CSELECT_IN;
	if (what & OSMO_FD_WRITE)
		flags |= CURL_CSELECT_OUT;
	if (what & OSMO_FD_EXCEPT)
		flags |= CURL_CSELECT_ERR;
	/* may free ofd (CURL_POLL_REMOVE): do not touch it afterwards */
	curl_multi_socket_action(f->multi, ofd->fd, flags, &running);
	fetcher_check_done(f);
	return 0;
}

static int multi_sock_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct fetcher *f = userp;
	struct fetch_sock *fs = socketp;
	unsigned int when = 0;

	if (what == CURL_POLL_REMOVE) {
		if (fs) {
			osmo_fd_unregister(&fs->ofd);
			llist_del(&fs->entry);
			talloc_free(fs);
			curl_multi_assign(f->multi, s, NULL);
		}
		return 0;
	}
	if (what & CURL_POLL_IN)
		when |= OSMO_FD_READ;
	if (what & CURL_POLL_OUT)
		when |= OSMO_FD_WRITE;
	if (!fs) {
		fs = talloc_zero(f, struct fetch_sock);
		if (!fs)
			return -1;
		fs->f = f;
		osmo_fd_setup(&fs->ofd, s, when, sock_fd_cb, fs, 0);
		if (osmo_fd_register(&fs->ofd) < 0) {
			LOGP(DCERT, LOGL_ERROR, "fetch %s: cannot watch socket %d\n", f->name, (int)s);
			talloc_free(fs);
			return -1;
		}
		llist_add(&fs->entry, &f->socks);
		curl_multi_assign(f->multi, s, fs);
	} else {
		osmo_fd_update_when(&fs->ofd, 0, when);
	}
	return 0;
}

static int multi_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct fetcher *f = userp;

	if (timeout_ms < 0) {
		osmo_timer_del(&f->timer);
		return 0;
	}
	/* never call curl_multi_socket_action() from here: schedule it */
	osmo_timer_schedule(&f->timer, timeout_ms / 1000, (timeout_ms % 1000) * 1000);
	return 0;
}

static void fetcher_timer_cb(void *data)
{
	struct fetcher *f = data;
	int running;

	curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	fetcher_check_done(f);
}

static size_t xfer_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct fetch_xfer *x = userdata;
	size_t max = x->f->pol.max_body;
	size_t n;

	/* size is 1 for body data (CURLOPT_WRITEFUNCTION) */
	if (size != 1)
		return 0;
	n = nmemb;
	if (n > max - x->body_len) {
		x->too_big = true;
		return 0;	/* aborts the transfer with CURLE_WRITE_ERROR */
	}
	if (!x->body) {
		x->body = talloc_size(x, max);
		if (!x->body)
			return 0;
	}
	memcpy(x->body + x->body_len, ptr, n);
	x->body_len += n;
	return n;
}

/*! Forget every header kept (a new response begins). */
void fetch_hdrs_reset(struct fetch_hdrs *h)
{
	memset(h, 0, sizeof(*h));
}

/* Copy the value of header line "Name: value\r\n" into dst when its name is
 * name; repeated headers are joined with ", " (RFC 7230 §3.2.2). */
static bool hdr_take(struct fetch_hdrs *h, const char *line, size_t len, const char *name,
		     char *dst, size_t dst_len)
{
	size_t nl = strlen(name), used, vlen;
	const char *v;

	if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return false;
	v = line + nl + 1;
	vlen = len - nl - 1;
	while (vlen && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	while (vlen && isspace((unsigned char)v[vlen - 1]))
		vlen--;
	/* a NUL inside a value would end it early: take the value as unusable */
	if (memchr(v, '\0', vlen)) {
		h->too_long = true;
		dst[0] = '\0';
		return true;
	}
	used = strlen(dst);
	if (used && vlen) {
		if (dst_len - used < 3) {
			h->too_long = true;
			return true;
		}
		memcpy(dst + used, ", ", 2);
		used += 2;
		dst[used] = '\0';
	}
	if (vlen >= dst_len - used) {
		/* a truncated directive could mean something else: drop the header */
		h->too_long = true;
		dst[0] = '\0';
		return true;
	}
	memcpy(dst + used, v, vlen);
	dst[used + vlen] = '\0';
	return true;
}

/*! Take one header line as libcurl's header callback hands it over: not
 *  NUL-terminated, "\r\n" included, the status line of each response
 *  first.  Keeps the caching headers (RFC 7234 §5) and Content-Type,
 *  bounded by FETCH_HDR_MAXLEN; a value that does not fit is dropped
 *  whole (h->too_long), never cut.
 *  \returns 1 when the line was kept, 0 when ignored */
int fetch_hdrs_line(struct fetch_hdrs *h, const char *line, size_t len)
{
	if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		/* a new response (a 1xx before the final one): forget the old headers */
		fetch_hdrs_reset(h);
		return 1;
	}
	if (hdr_take(h, line, len, "Cache-Control", h->cache_control, sizeof(h->cache_control)) ||
	    hdr_take(h, line, len, "Pragma", h->pragma, sizeof(h->pragma)) ||
	    hdr_take(h, line, len, "Expires", h->expires, sizeof(h->expires)) ||
	    hdr_take(h, line, len, "Date", h->date, sizeof(h->date)) ||
	    hdr_take(h, line, len, "Age", h->age, sizeof(h->age)) ||
	    hdr_take(h, line, len, "Content-Type", h->content_type, sizeof(h->content_type)))
		return 1;
	return 0;
}

/*! The Cache-Control of a response: its Cache-Control header, or, only
 *  when there is none, its Pragma (RFC 7234 §5.4: Pragma is for caches
 *  that do not know Cache-Control, and it must not override it: a
 *  "Pragma: no-cache" next to "Cache-Control: max-age=N" is ignored). */
const char *fetch_hdrs_cache_control(const struct fetch_hdrs *h)
{
	return h->cache_control[0] ? h->cache_control : h->pragma;
}

static size_t xfer_header_cb(char *buf, size_t size, size_t nitems, void *userdata)
{
	struct fetch_xfer *x = userdata;

	/* size is always 1 (CURLOPT_HEADERFUNCTION) */
	if (size != 1)
		return 0;
	fetch_hdrs_line(&x->hdrs, buf, nitems);
	return nitems;
}

/* The address ACL, before libcurl connects (CURLOPT_OPENSOCKETFUNCTION):
 * a refused address gets no packet at all, so the time a fetch takes to
 * fail tells nothing about ports behind it.  libcurl then tries the next
 * address of the name, if any. */
static curl_socket_t xfer_opensocket_cb(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct fetch_xfer *x = clientp;
	char why[sizeof(x->addr_why)];
	int fd;

	if (purpose != CURLSOCKTYPE_IPCXN ||
	    fetch_addr_check(&x->f->pol, &a->addr, a->addrlen, why, sizeof(why)) < 0) {
		if (purpose != CURLSOCKTYPE_IPCXN)
			snprintf(why, sizeof(why), "not an IP connection");
		x->addr_refused = true;
		x->f->stats.addr_refused++;
		snprintf(x->addr_why, sizeof(x->addr_why), "%s", why);
		LOGP(DCERT, LOGL_INFO, "fetch %s: %s\n", x->cur_url, why);
		return CURL_SOCKET_BAD;
	}
	fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
	return fd < 0 ? CURL_SOCKET_BAD : fd;
}

/* The ACL once more on the address the connection actually has, just
 * before the request goes out (CURLOPT_PREREQFUNCTION): this also covers a
 * connection libcurl reuses. */
static int xfer_prereq_cb(void *clientp, char *primary_ip, char *local_ip, int primary_port, int local_port)
{
	struct fetch_xfer *x = clientp;
	char why[sizeof(x->addr_why)];

	if (fetch_addr_check_str(&x->f->pol, primary_ip, why, sizeof(why)) < 0) {
		x->addr_refused = true;
		x->f->stats.addr_refused++;
		snprintf(x->addr_why, sizeof(x->addr_why), "%s", why);
		LOGP(DCERT, LOGL_INFO, "fetch %s: %s\n", x->cur_url, why);
		return CURL_PREREQFUNC_ABORT;
	}
	return CURL_PREREQFUNC_OK;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	/* libcurl's own clock: the deadline and its timeouts agree */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------ transfers */

static int xfer_destructor(struct fetch_xfer *x)
{
	if (x->easy) {
		if (x->in_multi)
			curl_multi_remove_handle(x->f->multi, x->easy);
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
	}
	llist_del(&x->entry);
	return 0;
}

static void xfer_fail(struct fetch_xfer *x, enum fetch_err err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void xfer_fail(struct fetch_xfer *x, enum fetch_err err, const char *fmt, ...)
{
	va_list ap;

	x->err = err;
	va_start(ap, fmt);
	vsnprintf(x->reason, sizeof(x->reason), fmt, ap);
	va_end(ap);
}

/* Set up x->easy for x->cur_url and add it to the multi handle, with
 * what is left of the transfer's one deadline. */
static int xfer_start_hop(struct fetch_xfer *x)
{
	const struct fetch_policy *pol = &x->f->pol;
	const char *protos = pol->allow_http ? "http,https" : "https";
	CURL *e = x->easy;
	CURLMcode mc;
	int64_t left = x->deadline_ms - mono_ms();

	x->body_len = 0;
	x->too_big = false;
	x->addr_refused = false;
	x->addr_why[0] = '\0';
	fetch_hdrs_reset(&x->hdrs);
	x->errbuf[0] = '\0';

	/* each hop used to get the whole timeout anew: 4 hops of a 2 s
	 * timeout took 8 s; now all hops share it */
	if (left <= 0) {
		xfer_fail(x, FETCH_ERR_TIMEOUT, "timeout (%ld ms for the whole fetch, %u redirects followed)",
			  pol->timeout_ms, x->redirects);
		return -ETIMEDOUT;
	}
	if (curl_easy_setopt(e, CURLOPT_URL, x->cur_url) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, protos) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, protos) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    /* ignore http_proxy and friends from the environment: the address
	     * connected to must be the one the ACL judged */
	    curl_easy_setopt(e, CURLOPT_PROXY, "") != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK ||
	    (pol->ca_file && curl_easy_setopt(e, CURLOPT_CAINFO, pol->ca_file) != CURLE_OK) ||
	    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)left) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			     (long)(left < pol->connect_timeout_ms ? left : pol->connect_timeout_ms)) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)pol->max_body) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, xfer_write_cb) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_WRITEDATA, x) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, xfer_header_cb) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_HEADERDATA, x) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, xfer_opensocket_cb) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, x) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, xfer_prereq_cb) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PREREQDATA, x) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PRIVATE, x) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_USERAGENT, "stiwf") != CURLE_OK) {
		xfer_fail(x, FETCH_ERR_INTERNAL, "libcurl refused an option");
		return -EINVAL;
	}
	mc = curl_multi_add_handle(x->f->multi, e);
	if (mc != CURLM_OK) {
		xfer_fail(x, FETCH_ERR_INTERNAL, "curl_multi_add_handle: %s", curl_multi_strerror(mc));
		return -EINVAL;
	}
	x->in_multi = true;
	x->f->stats.transfers++;
	return 0;
}

/* A hop ended with a 3xx: check the target and start the next hop.
 * \returns 0 when the next hop runs, else x->err is set */
static int xfer_redirect(struct fetch_xfer *x)
{
	const struct fetch_policy *pol = &x->f->pol;
	char why[192];
	char *loc = NULL;
	char *next;

	if (curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &loc) != CURLE_OK || !loc) {
		xfer_fail(x, FETCH_ERR_REDIRECT, "HTTP %ld without a usable Location", x->http_status);
		return -EINVAL;
	}
	if (x->redirects >= pol->max_redirects) {
		xfer_fail(x, FETCH_ERR_REDIRECT, "HTTP %ld: more than %u redirects", x->http_status,
			  pol->max_redirects);
		return -ELOOP;
	}
	if (fetch_url_check(pol, loc, why, sizeof(why)) < 0) {
		xfer_fail(x, FETCH_ERR_REDIRECT, "redirect to %.200s refused: %s", loc, why);
		return -EPERM;
	}
	/* loc belongs to the easy handle: copy it before the handle is reused */
	next = talloc_strdup(x, loc);
	if (!next) {
		xfer_fail(x, FETCH_ERR_NOMEM, "out of memory");
		return -ENOMEM;
	}
	LOGP(DCERT, LOGL_INFO, "fetch %s: redirect %u to %s\n", x->url, x->redirects + 1, next);
	talloc_free(x->cur_url);
	x->cur_url = next;
	x->redirects++;
	return xfer_start_hop(x);
}

/* One hop of x ended with result cr.  \returns true when x is finished. */
static bool xfer_hop_done(struct fetch_xfer *x, CURLcode cr)
{
	char *ct = NULL;

	curl_multi_remove_handle(x->f->multi, x->easy);
	x->in_multi = false;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->http_status);

	if (cr != CURLE_OK && x->addr_refused &&
	    (cr == CURLE_COULDNT_CONNECT || cr == CURLE_ABORTED_BY_CALLBACK)) {
		/* every address of the host refused by the ACL: a policy refusal,
		 * not a connection failure */
		xfer_fail(x, FETCH_ERR_POLICY, "%s", x->addr_why);
		return true;
	}
	switch (cr) {
	case CURLE_OK:
		break;
	case CURLE_OPERATION_TIMEDOUT:
		xfer_fail(x, FETCH_ERR_TIMEOUT, "timeout (%ld ms for the whole fetch, %ld ms connect, "
			  "%u redirects followed): %s", x->f->pol.timeout_ms, x->f->pol.connect_timeout_ms,
			  x->redirects, x->errbuf);
		return true;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		if (x->too_big || cr == CURLE_FILESIZE_EXCEEDED) {
			xfer_fail(x, FETCH_ERR_TOO_BIG, "body larger than %zu octets", x->f->pol.max_body);
			return true;
		}
		xfer_fail(x, FETCH_ERR_NOMEM, "out of memory for the body");
		return true;
	case CURLE_OUT_OF_MEMORY:
		xfer_fail(x, FETCH_ERR_NOMEM, "out of memory");
		return true;
	case CURLE_UNSUPPORTED_PROTOCOL:
		xfer_fail(x, FETCH_ERR_POLICY, "protocol refused: %s", x->errbuf);
		return true;
	default:
		xfer_fail(x, FETCH_ERR_CONNECT, "%s%s%s", curl_easy_strerror(cr),
			  x->errbuf[0] ? ": " : "", x->errbuf);
		return true;
	}

	switch (x->http_status) {
	case 200:
		break;
	case 301:
	case 302:
	case 303:
	case 307:
	case 308:
		return xfer_redirect(x) < 0;
	default:
		xfer_fail(x, FETCH_ERR_HTTP, "HTTP status %ld", x->http_status);
		return true;
	}
	if (x->hdrs.too_long)
		LOGP(DCERT, LOGL_NOTICE, "fetch %s: a caching header longer than %d was ignored\n",
		     x->url, FETCH_HDR_MAXLEN);
	if (curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct) != CURLE_OK || !ct) {
		LOGP(DCERT, LOGL_NOTICE, "fetch %s: no Content-Type\n", x->url);
	} else if (!fetch_content_type_expected(ct)) {
		/* tolerated: the parser decides (ATIS-1000080 asks for
		 * application/pem-certificate-chain) */
		LOGP(DCERT, LOGL_NOTICE, "fetch %s: unexpected Content-Type '%.64s'\n", x->url, ct);
	}
	x->err = FETCH_OK;
	x->reason[0] = '\0';
	return true;
}

static void fetcher_check_done(struct fetcher *f)
{
	struct llist_head done;
	struct fetch_xfer *x, *tmp;
	CURLMsg *msg;
	int left;

	INIT_LLIST_HEAD(&done);
	while ((msg = curl_multi_info_read(f->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		x = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (!x)
			continue;
		if (xfer_hop_done(x, msg->data.result)) {
			/* out of the single-flight table: a new request starts afresh */
			llist_del(&x->entry);
			llist_add_tail(&x->entry, &done);
		}
	}
	llist_for_each_entry_safe(x, tmp, &done, entry)
		xfer_deliver(x);
}

/* Call every waiter of x, then free x.  x is no longer in f->xfers. */
static void xfer_deliver(struct fetch_xfer *x)
{
	struct fetcher *f = x->f;
	struct fetch_result res = {
		.url = x->url,
		.effective_url = x->cur_url,
		.err = x->err,
		.reason = x->reason,
		.http_status = x->http_status,
		.body = x->err == FETCH_OK ? x->body : NULL,
		.body_len = x->err == FETCH_OK ? x->body_len : 0,
		.content_type = x->hdrs.content_type,
		.cache_control = fetch_hdrs_cache_control(&x->hdrs),
		.expires = x->hdrs.expires,
		.date = x->hdrs.date,
		.age = x->hdrs.age,
	};
	struct fetch_req *req;

	if (x->err != FETCH_OK) {
		f->stats.failures++;
		LOGP(DCERT, LOGL_NOTICE, "fetch %s: %s: %s\n", x->url,
		     get_value_string(fetch_err_names, x->err), x->reason);
	} else {
		LOGP(DCERT, LOGL_DEBUG, "fetch %s: %zu octets\n", x->url, x->body_len);
	}
	x->delivering = true;
	/* a callback may cancel other waiters of x: take them one at a time */
	while (!llist_empty(&x->waiters)) {
		req = llist_first_entry(&x->waiters, struct fetch_req, entry);
		llist_del(&req->entry);
		req->x = NULL;
		if (req->cb)
			req->cb(&res, req->priv);
		talloc_free(req);
	}
	talloc_free(x);
}

static void fetcher_defer_cb(void *data)
{
	struct fetcher *f = data;
	struct fetch_xfer *x;

	while (!llist_empty(&f->deferred)) {
		x = llist_first_entry(&f->deferred, struct fetch_xfer, entry);
		llist_del(&x->entry);
		INIT_LLIST_HEAD(&x->entry);
		xfer_deliver(x);
	}
}

static int fetcher_destructor(struct fetcher *f)
{
	struct fetch_xfer *x, *tmp;
	struct fetch_sock *fs, *fstmp;

	/* no callbacks: the owner is going away */
	llist_for_each_entry_safe(x, tmp, &f->xfers, entry)
		talloc_free(x);
	llist_for_each_entry_safe(x, tmp, &f->deferred, entry)
		talloc_free(x);
	if (f->multi)
		curl_multi_cleanup(f->multi);
	llist_for_each_entry_safe(fs, fstmp, &f->socks, entry) {
		osmo_fd_unregister(&fs->ofd);
		llist_del(&fs->entry);
		talloc_free(fs);
	}
	osmo_timer_del(&f->timer);
	osmo_timer_del(&f->defer);
	if (f->global_init)
		curl_global_cleanup();
	return 0;
}

/*! Create a fetcher.
 *  \param[in] ctx talloc parent; talloc_free() of the fetcher drops every
 *             transfer without calling anyone back
 *  \param[in] name for logs (e.g. the trust domain)
 *  \param[in] pol policy, copied; NULL for the defaults
 *  \returns the fetcher, or NULL (logged) */
struct fetcher *fetcher_alloc(void *ctx, const char *name, const struct fetch_policy *pol)
{
	struct fetcher *f;
	unsigned int i;

	f = talloc_zero(ctx, struct fetcher);
	if (!f)
		return NULL;
	INIT_LLIST_HEAD(&f->xfers);
	INIT_LLIST_HEAD(&f->deferred);
	INIT_LLIST_HEAD(&f->socks);
	osmo_timer_setup(&f->timer, fetcher_timer_cb, f);
	osmo_timer_setup(&f->defer, fetcher_defer_cb, f);
	talloc_set_destructor(f, fetcher_destructor);
	f->name = talloc_strdup(f, name ? name : "fetch");
	if (!f->name)
		goto err;
	if (pol)
		f->pol = *pol;
	else
		fetch_policy_init(&f->pol);
	if (f->pol.num_ports > FETCH_MAX_PORTS || f->pol.num_allow_hosts > FETCH_MAX_HOSTS ||
	    f->pol.num_deny_hosts > FETCH_MAX_HOSTS || f->pol.max_redirects > FETCH_MAX_REDIRECTS ||
	    f->pol.max_body == 0 || f->pol.timeout_ms <= 0 || f->pol.connect_timeout_ms <= 0 ||
	    f->pol.num_acl > FETCH_MAX_ACL || f->pol.num_own_urls > FETCH_MAX_OWN_URLS ||
	    f->pol.max_in_flight == 0 || f->pol.max_in_flight > FETCH_MAX_IN_FLIGHT ||
	    f->pol.max_in_flight_per_host == 0 || f->pol.max_in_flight_per_host > FETCH_MAX_IN_FLIGHT) {
		LOGP(DCERT, LOGL_ERROR, "fetch %s: policy out of range\n", f->name);
		goto err;
	}
	for (i = 0; i < f->pol.num_allow_hosts; i++) {
		f->pol.allow_hosts[i] = talloc_strdup(f, f->pol.allow_hosts[i] ? : "");
		if (!f->pol.allow_hosts[i])
			goto err;
	}
	for (i = 0; i < f->pol.num_deny_hosts; i++) {
		f->pol.deny_hosts[i] = talloc_strdup(f, f->pol.deny_hosts[i] ? : "");
		if (!f->pol.deny_hosts[i])
			goto err;
	}
	for (i = 0; i < f->pol.num_own_urls; i++) {
		f->pol.own_urls[i] = talloc_strdup(f, f->pol.own_urls[i] ? : "");
		if (!f->pol.own_urls[i])
			goto err;
	}
	if (f->pol.ca_file) {
		f->pol.ca_file = talloc_strdup(f, f->pol.ca_file);
		if (!f->pol.ca_file)
			goto err;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		LOGP(DCERT, LOGL_ERROR, "fetch %s: curl_global_init failed\n", f->name);
		goto err;
	}
	f->global_init = true;
	f->multi = curl_multi_init();
	if (!f->multi)
		goto err;
	if (curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, multi_sock_cb) != CURLM_OK ||
	    curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f) != CURLM_OK ||
	    curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, multi_timer_cb) != CURLM_OK ||
	    curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f) != CURLM_OK)
		goto err;
	return f;
err:
	LOGP(DCERT, LOGL_ERROR, "fetch %s: cannot create the fetcher\n", name ? name : "fetch");
	talloc_free(f);
	return NULL;
}

/* Would one more transfer to host go above a cap? */
static bool fetch_over_cap(const struct fetcher *f, const char *host, char *why, size_t why_len)
{
	const struct fetch_xfer *x;
	unsigned int all = 0, same = 0;

	llist_for_each_entry(x, &f->xfers, entry) {
		all++;
		if (!strcmp(x->host, host))
			same++;
	}
	if (all >= f->pol.max_in_flight) {
		snprintf(why, why_len, "%u fetches in flight, the most allowed", all);
		return true;
	}
	if (same >= f->pol.max_in_flight_per_host) {
		snprintf(why, why_len, "%u fetches in flight to %.64s, the most allowed to one host", same, host);
		return true;
	}
	return false;
}

/*! Fetch url, or join the transfer already fetching it.
 *  The callback always runs later, from the loop, even for a URL that the
 *  policy refuses (FETCH_ERR_POLICY) or a transfer above the in-flight
 *  caps (FETCH_ERR_BUSY); it runs at most once, and never after
 *  fetch_cancel().
 *  A callback must not free the fetcher.
 *  \param[in] f the fetcher
 *  \param[in] url absolute URL
 *  \param[in] cb called with the result
 *  \param[in] priv passed to cb
 *  \returns a handle valid until cb returns or fetch_cancel(), or NULL when
 *           out of memory */
struct fetch_req *fetch_get(struct fetcher *f, const char *url, fetch_done_cb cb, void *priv)
{
	struct fetch_xfer *x;
	struct fetch_req *req;
	char why[192];
	bool found = false;

	if (!url)
		return NULL;
	llist_for_each_entry(x, &f->xfers, entry) {
		if (strcmp(x->url, url) == 0) {
			found = true;
			break;
		}
	}
	if (!found) {
		x = talloc_zero(f, struct fetch_xfer);
		if (!x)
			return NULL;
		x->f = f;
		INIT_LLIST_HEAD(&x->waiters);
		INIT_LLIST_HEAD(&x->entry);
		talloc_set_destructor(x, xfer_destructor);
		x->url = talloc_strndup(x, url, FETCH_URL_MAXLEN + 1);
		x->cur_url = talloc_strdup(x, x->url ? x->url : "");
		if (!x->url || !x->cur_url) {
			talloc_free(x);
			return NULL;
		}
	}
	req = talloc_zero(f, struct fetch_req);
	if (!req) {
		if (!found)
			talloc_free(x);
		return NULL;
	}
	req->x = x;
	req->cb = cb;
	req->priv = priv;
	llist_add_tail(&req->entry, &x->waiters);
	f->stats.requests++;
	if (found) {
		f->stats.joined++;
		return req;
	}

	if (url_check(&f->pol, url, why, sizeof(why), x->host, sizeof(x->host)) < 0) {
		xfer_fail(x, FETCH_ERR_POLICY, "%s", why);
	} else if (fetch_over_cap(f, x->host, why, sizeof(why))) {
		/* a SIP peer sending an x5u per call at a silent server must
		 * not hold a socket per call */
		f->stats.busy++;
		xfer_fail(x, FETCH_ERR_BUSY, "%s", why);
	} else {
		x->deadline_ms = mono_ms() + f->pol.timeout_ms;
		x->easy = curl_easy_init();
		if (!x->easy)
			xfer_fail(x, FETCH_ERR_NOMEM, "curl_easy_init failed");
		else if (xfer_start_hop(x) == 0) {
			llist_add_tail(&x->entry, &f->xfers);
			return req;
		}
	}
	/* decided without a transfer: deliver from the loop, not from here */
	llist_add_tail(&x->entry, &f->deferred);
	osmo_timer_schedule(&f->defer, 0, 0);
	return req;
}

/*! Forget a request: its callback will not run.  When it was the last
 *  waiter of its transfer, the transfer is aborted.  Must not be called
 *  after the callback ran. */
void fetch_cancel(struct fetch_req *req)
{
	struct fetch_xfer *x;

	if (!req)
		return;
	x = req->x;
	llist_del(&req->entry);
	talloc_free(req);
	if (x && !x->delivering && llist_empty(&x->waiters))
		talloc_free(x);
}

/*! \returns the counters of f */
const struct fetch_stats *fetcher_stats(const struct fetcher *f)
{
	return &f->stats;
}

/*! \returns how many transfers are in flight */
unsigned int fetcher_in_flight(const struct fetcher *f)
{
	return llist_count(&f->xfers);
}
