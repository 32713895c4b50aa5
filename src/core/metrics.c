/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Prometheus text endpoint and "show metrics" (src/core/metrics.h). */

#define _GNU_SOURCE	/* accept4() */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/select.h>
#include <osmocom/core/socket.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vty.h>

#include "src/core/logging.h"
#include "src/core/metrics.h"
#include "src/core/vty_nodes.h"

/* ------------------------------------------------------------------------
 * The request head (RFC 9112 §2, §3)
 * ------------------------------------------------------------------------ */

/* RFC 9110 §5.6.2 tchar */
static bool is_tchar(uint8_t c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* The request line buf[0..len) (no CRLF).  \returns the status it asks for */
static int request_line(const uint8_t *buf, size_t len)
{
	size_t i = 0, m, t, tlen;
	static const char path[] = "/metrics";

	/* method: a token */
	while (i < len && is_tchar(buf[i]))
		i++;
	m = i;
	if (m == 0 || i >= len || buf[i] != ' ')
		return 400;
	i++;
	/* request-target: origin-form, visible ASCII */
	t = i;
	while (i < len && buf[i] > 0x20 && buf[i] < 0x7f)
		i++;
	tlen = i - t;
	if (tlen == 0 || buf[t] != '/' || i >= len || buf[i] != ' ')
		return 400;
	i++;
	/* HTTP-version */
	if (len - i != 8 || memcmp(buf + i, "HTTP/1.", 7) || (buf[i + 7] != '0' && buf[i + 7] != '1'))
		return 400;
	if (m != 3 || memcmp(buf, "GET", 3))
		return 405;
	if (tlen < sizeof(path) - 1 || memcmp(buf + t, path, sizeof(path) - 1) ||
	    (tlen > sizeof(path) - 1 && buf[t + sizeof(path) - 1] != '?'))
		return 404;
	return 200;
}

/* A header field line buf[0..len) (no CRLF): name ":" value */
static bool field_line_ok(const uint8_t *buf, size_t len)
{
	size_t i = 0;

	while (i < len && is_tchar(buf[i]))
		i++;
	if (i == 0 || i >= len || buf[i] != ':')
		return false;
	for (i++; i < len; i++) {
		if ((buf[i] < 0x20 && buf[i] != '\t') || buf[i] == 0x7f)
			return false;
	}
	return true;
}

int metrics_http_parse(const uint8_t *buf, size_t len, size_t max_head)
{
	size_t start = 0, i, n;
	int status = 0;

	if (len > max_head)
		len = max_head;
	/* line by line; each ends in CRLF (a bare LF is taken too, RFC 9112 §2.2) */
	for (i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		n = i - start;
		if (n > 0 && buf[start + n - 1] == '\r')
			n--;
		if (start == 0) {
			status = request_line(buf, n);
			if (status == 400)
				return 400;
		} else if (n == 0) {
			return status;	/* the empty line: the head is complete */
		} else if (!field_line_ok(buf + start, n)) {
			return 400;
		}
		start = i + 1;
	}
	/* the first line so far must look like one */
	if (start == 0) {
		for (i = 0; i < len; i++) {
			if (buf[i] != '\r' && (buf[i] < 0x20 || buf[i] >= 0x7f))
				return 400;
		}
	}
	return len >= max_head ? 431 : 0;
}

/* ------------------------------------------------------------------------
 * The text format
 * ------------------------------------------------------------------------ */

#define MAX_DESCS 256

struct descs {
	const struct rate_ctr_group_desc *d[MAX_DESCS];
	unsigned int n;
};

static int desc_collect(struct rate_ctr_group *g, void *data)
{
	struct descs *ds = data;
	unsigned int i;

	for (i = 0; i < ds->n; i++) {
		if (ds->d[i] == g->desc)
			return 0;
	}
	if (ds->n < MAX_DESCS)
		ds->d[ds->n++] = g->desc;
	return 0;
}

/* a metric name: [a-zA-Z0-9_] only */
static void name_part(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; src && src[i] && i + 1 < size; i++)
		dst[i] = isalnum((unsigned char)src[i]) ? src[i] : '_';
	dst[i] = '\0';
}

/* a label value or HELP text: backslash, quote (labels) and newline escaped */
static char *esc_append(char *s, const char *v, bool quote)
{
	for (; s && v && *v; v++) {
		if (*v == '\\')
			s = talloc_strdup_append_buffer(s, "\\\\");
		else if (*v == '\n')
			s = talloc_strdup_append_buffer(s, "\\n");
		else if (quote && *v == '"')
			s = talloc_strdup_append_buffer(s, "\\\"");
		else
			s = talloc_strndup_append_buffer(s, v, 1);
	}
	return s;
}

struct fmt_state {
	const struct rate_ctr_group_desc *desc;
	unsigned int ctr;
	const char *name;
	char *out;
};

static int sample_append(struct rate_ctr_group *g, void *data)
{
	struct fmt_state *st = data;

	if (g->desc != st->desc || !st->out)
		return 0;
	st->out = talloc_asprintf_append_buffer(st->out, "%s{index=\"%u\"", st->name, g->idx);
	if (st->out && g->name) {
		st->out = talloc_strdup_append_buffer(st->out, ",name=\"");
		st->out = esc_append(st->out, g->name, true);
		if (st->out)
			st->out = talloc_strdup_append_buffer(st->out, "\"");
	}
	if (st->out)
		st->out = talloc_asprintf_append_buffer(st->out, "} %" PRIu64 "\n",
							rate_ctr_group_get_ctr(g, st->ctr)->current);
	return 0;
}

char *metrics_format(void *ctx)
{
	struct descs ds = { .n = 0 };
	struct fmt_state st;
	char prefix[64], cname[96], name[176];
	unsigned int i, c;

	st.out = talloc_strdup(ctx, "");
	rate_ctr_for_each_group(desc_collect, &ds);
	for (i = 0; i < ds.n && st.out; i++) {
		name_part(prefix, sizeof(prefix), ds.d[i]->group_name_prefix);
		for (c = 0; c < ds.d[i]->num_ctr && st.out; c++) {
			name_part(cname, sizeof(cname), ds.d[i]->ctr_desc[c].name);
			snprintf(name, sizeof(name), "stiwf_%s_%s_total", prefix, cname);
			st.out = talloc_asprintf_append_buffer(st.out, "# HELP %s ", name);
			st.out = esc_append(st.out, ds.d[i]->ctr_desc[c].description, false);
			if (st.out)
				st.out = talloc_asprintf_append_buffer(st.out, "\n# TYPE %s counter\n", name);
			st.desc = ds.d[i];
			st.ctr = c;
			st.name = name;
			rate_ctr_for_each_group(sample_append, &st);
		}
	}
	return st.out;
}

/* ------------------------------------------------------------------------
 * The endpoint
 * ------------------------------------------------------------------------ */

struct metrics_conn {
	struct llist_head entry;
	struct osmo_fd ofd;
	struct osmo_timer_list timer;
	uint8_t head[METRICS_MAX_HEAD];
	size_t len;
	char *resp;			/* talloc child, once the request is read */
	size_t resp_len, resp_off;
};

static struct {
	char addr[INET6_ADDRSTRLEN];	/* "" : not configured */
	uint16_t port;
	void *ctx;
	struct osmo_fd lfd;
	struct llist_head conns;
	unsigned int n_conns;
	bool up;
} m = { .lfd = { .fd = -1 } };

static int conn_destructor(struct metrics_conn *c)
{
	osmo_timer_del(&c->timer);
	if (c->ofd.fd >= 0) {
		osmo_fd_unregister(&c->ofd);
		close(c->ofd.fd);
		c->ofd.fd = -1;
	}
	llist_del(&c->entry);
	m.n_conns--;
	return 0;
}

static void conn_timeout(void *data)
{
	struct metrics_conn *c = data;

	LOGP(DMAIN, LOGL_NOTICE, "metrics: connection timed out after %u s\n", METRICS_TIMEOUT_S);
	talloc_free(c);
}

static const char *status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 431: return "Request Header Fields Too Large";
	default: return "Bad Request";
	}
}

static int conn_respond(struct metrics_conn *c, int status)
{
	char *body = status == 200 ? metrics_format(c) : talloc_asprintf(c, "%d %s\n", status, status_text(status));

	if (!body)
		return -ENOMEM;
	c->resp = talloc_asprintf(c, "HTTP/1.1 %d %s\r\n"
				  "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
				  "Content-Length: %zu\r\n"
				  "%s"
				  "Connection: close\r\n\r\n%s",
				  status, status_text(status), strlen(body),
				  status == 405 ? "Allow: GET\r\n" : "", body);
	talloc_free(body);
	if (!c->resp)
		return -ENOMEM;
	c->resp_len = strlen(c->resp);
	c->resp_off = 0;
	if (status != 200)
		LOGP(DMAIN, LOGL_INFO, "metrics: request answered %d\n", status);
	osmo_fd_write_enable(&c->ofd);
	osmo_fd_read_disable(&c->ofd);
	return 0;
}

static int conn_cb(struct osmo_fd *ofd, unsigned int what)
{
	struct metrics_conn *c = ofd->data;
	ssize_t n;
	int status;

	if ((what & OSMO_FD_READ) && !c->resp) {
		n = recv(ofd->fd, c->head + c->len, sizeof(c->head) - c->len, 0);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			talloc_free(c);
			return 0;
		}
		if (n < 0)
			return 0;
		c->len += (size_t)n;
		status = metrics_http_parse(c->head, c->len, sizeof(c->head));
		if (status && conn_respond(c, status) < 0) {
			talloc_free(c);
			return 0;
		}
	}
	if ((what & OSMO_FD_WRITE) && c->resp) {
		n = send(ofd->fd, c->resp + c->resp_off, c->resp_len - c->resp_off, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n < 0) {
			talloc_free(c);
			return 0;
		}
		c->resp_off += (size_t)n;
		if (c->resp_off == c->resp_len) {
			/* Connection: close; FIN first, so that unread
			 * request octets do not turn it into a reset */
			shutdown(ofd->fd, SHUT_WR);
			talloc_free(c);
		}
	}
	return 0;
}

static int listen_cb(struct osmo_fd *ofd, unsigned int what)
{
	struct metrics_conn *c;
	int fd;

	fd = accept4(ofd->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return 0;
	if (m.n_conns >= METRICS_MAX_CONNS) {
		LOGP(DMAIN, LOGL_NOTICE, "metrics: %u connections open: one more closed\n", m.n_conns);
		close(fd);
		return 0;
	}
	c = talloc_zero(m.ctx, struct metrics_conn);
	if (!c) {
		close(fd);
		return 0;
	}
	m.n_conns++;
	llist_add_tail(&c->entry, &m.conns);
	osmo_fd_setup(&c->ofd, fd, OSMO_FD_READ, conn_cb, c, 0);
	talloc_set_destructor(c, conn_destructor);
	if (osmo_fd_register(&c->ofd) < 0) {
		c->ofd.fd = -1;
		close(fd);
		talloc_free(c);
		return 0;
	}
	osmo_timer_setup(&c->timer, conn_timeout, c);
	osmo_timer_schedule(&c->timer, METRICS_TIMEOUT_S, 0);
	return 0;
}

int metrics_start(void *ctx)
{
	int rc;

	if (!m.addr[0] || m.up)
		return 0;
	m.ctx = ctx;
	INIT_LLIST_HEAD(&m.conns);
	m.n_conns = 0;
	rc = osmo_sock_init2_ofd(&m.lfd, AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP, m.addr, m.port, NULL, 0,
				 OSMO_SOCK_F_BIND | OSMO_SOCK_F_NONBLOCK);
	if (rc < 0) {
		LOGP(DMAIN, LOGL_ERROR, "metrics: cannot listen on %s port %u\n", m.addr, m.port);
		m.lfd.fd = -1;
		return rc;
	}
	m.lfd.cb = listen_cb;
	m.lfd.data = NULL;
	if (listen(m.lfd.fd, 16) < 0) {
		rc = -errno;
		metrics_stop();
		return rc;
	}
	m.up = true;
	LOGP(DMAIN, LOGL_NOTICE, "metrics: Prometheus text on http://%s%s%s:%u/metrics\n",
	     strchr(m.addr, ':') ? "[" : "", m.addr, strchr(m.addr, ':') ? "]" : "", m.port);
	return 0;
}

void metrics_stop(void)
{
	struct metrics_conn *c, *tmp;

	if (m.lfd.fd >= 0) {
		osmo_fd_unregister(&m.lfd);
		close(m.lfd.fd);
		m.lfd.fd = -1;
	}
	if (m.up) {
		llist_for_each_entry_safe(c, tmp, &m.conns, entry)
			talloc_free(c);
	}
	m.up = false;
}

/* ------------------------------------------------------------------------
 * VTY
 * ------------------------------------------------------------------------ */

static int listen_set(struct vty *vty, const char *addr, const char *port)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (inet_pton(AF_INET, addr, &a4) != 1 && inet_pton(AF_INET6, addr, &a6) != 1) {
		vty_out(vty, "%% metrics listen: %s is not a numeric IPv4 or IPv6 address%s", addr, VTY_NEWLINE);
		return CMD_WARNING;
	}
	OSMO_STRLCPY_ARRAY(m.addr, addr);
	m.port = (uint16_t)strtoul(port, NULL, 10);	/* <1-65535> checked by the VTY */
	if (vty->type != VTY_FILE)
		vty_out(vty, "%% takes effect when stiwfd restarts%s", VTY_NEWLINE);
	return CMD_SUCCESS;
}

DEFUN(cfg_metrics_listen, cfg_metrics_listen_cmd,
      "metrics listen <1-65535>",
      "Prometheus text endpoint (GET /metrics)\n" "Listen for scrapes on 127.0.0.1\n" "TCP port\n")
{
	return listen_set(vty, "127.0.0.1", argv[0]);
}

DEFUN(cfg_metrics_listen_addr, cfg_metrics_listen_addr_cmd,
      "metrics listen ADDR <1-65535>",
      "Prometheus text endpoint (GET /metrics)\n" "Listen for scrapes\n"
      "Numeric IPv4 or IPv6 address (0.0.0.0 or :: for all)\n" "TCP port\n")
{
	return listen_set(vty, argv[0], argv[1]);
}

DEFUN(cfg_no_metrics_listen, cfg_no_metrics_listen_cmd,
      "no metrics listen",
      NO_STR "Prometheus text endpoint\n" "No endpoint (default)\n")
{
	m.addr[0] = '\0';
	return CMD_SUCCESS;
}

DEFUN(show_metrics, show_metrics_cmd,
      "show metrics",
      SHOW_STR "Every counter group in the Prometheus text format\n")
{
	char *text = metrics_format(NULL);
	char *line, *nl;

	if (!text) {
		vty_out(vty, "%% out of memory%s", VTY_NEWLINE);
		return CMD_WARNING;
	}
	for (line = text; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		vty_out(vty, "%s%s", line, VTY_NEWLINE);
	}
	talloc_free(text);
	return CMD_SUCCESS;
}

static struct cmd_node metrics_node = {
	STIWF_METRICS_NODE,
	"%s(config-metrics)# ",
	1,
};

static int config_write_metrics(struct vty *vty)
{
	if (m.addr[0])
		vty_out(vty, "metrics listen %s %u%s", m.addr, m.port, VTY_NEWLINE);
	return CMD_SUCCESS;
}

void metrics_vty_init(void)
{
	install_node(&metrics_node, config_write_metrics);
	install_element(CONFIG_NODE, &cfg_metrics_listen_cmd);
	install_element(CONFIG_NODE, &cfg_metrics_listen_addr_cmd);
	install_element(CONFIG_NODE, &cfg_no_metrics_listen_cmd);
	install_element_ve(&show_metrics_cmd);
}
