/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VTY console client.  libosmovty speaks telnet: it negotiates with IAC
 * sequences, echoes what it is sent and ends each answer with a prompt
 * "NAME> " or "NAME# ".  We drop the telnet commands, the echo and the
 * prompt and print the rest. */

#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "src/stiwf/vty_client.h"

#define VTY_ANSWER_MAX (1 << 20)	/* an answer larger than this is an error */

#define TELNET_IAC 255
#define TELNET_SB 250
#define TELNET_SE 240
#define TELNET_WILL 251
#define TELNET_DONT 254

struct vty_conn {
	int fd;
	int timeout_ms;
	char buf[VTY_ANSWER_MAX];
	size_t len;
	/* telnet parser state carried between reads */
	int iac_state;		/* 0 data, 1 after IAC, 2 after IAC+verb, 3 in SB, 4 in SB after IAC */
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Append the data bytes of a telnet stream, dropping IAC sequences. */
static int conn_feed(struct vty_conn *c, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char b = p[i];

		switch (c->iac_state) {
		case 0:
			if (b == TELNET_IAC) {
				c->iac_state = 1;
				break;
			}
			if (b == '\0' || b == '\r')
				break;
			if (c->len >= sizeof(c->buf) - 1)
				return -EMSGSIZE;
			c->buf[c->len++] = (char)b;
			break;
		case 1:
			if (b == TELNET_SB)
				c->iac_state = 3;
			else if (b >= TELNET_WILL && b <= TELNET_DONT)
				c->iac_state = 2;
			else if (b == TELNET_IAC) {	/* escaped 0xff data byte */
				c->iac_state = 0;
				if (c->len >= sizeof(c->buf) - 1)
					return -EMSGSIZE;
				c->buf[c->len++] = (char)b;
			} else
				c->iac_state = 0;
			break;
		case 2:
			c->iac_state = 0;	/* the option octet */
			break;
		case 3:
			if (b == TELNET_IAC)
				c->iac_state = 4;
			break;
		case 4:
			c->iac_state = (b == TELNET_SE) ? 0 : 3;
			break;
		}
	}
	c->buf[c->len] = '\0';
	return 0;
}

#define PASSWORD_PROMPT "Password: "

/* libosmovty asks "Password: " for the line password ("login") and after
 * "enable" when an enable password is set; it echoes nothing there. */
static bool conn_has_password_prompt(const struct vty_conn *c)
{
	size_t n = strlen(PASSWORD_PROMPT);

	return c->len >= n && !memcmp(c->buf + c->len - n, PASSWORD_PROMPT, n);
}

/* A prompt ends the buffer: the last line is "name> " or "name# " with no
 * other blank in it, or the password prompt. */
static bool conn_has_prompt(const struct vty_conn *c)
{
	const char *line, *nl;
	size_t n;

	if (conn_has_password_prompt(c))
		return true;
	if (c->len < 2 || c->buf[c->len - 1] != ' ')
		return false;
	if (c->buf[c->len - 2] != '>' && c->buf[c->len - 2] != '#')
		return false;
	nl = memrchr(c->buf, '\n', c->len);
	line = nl ? nl + 1 : c->buf;
	n = (size_t)(c->buf + c->len - line);
	return memchr(line, ' ', n - 1) == NULL;
}

static int conn_read_prompt(struct vty_conn *c)
{
	unsigned char tmp[4096];
	long deadline = now_ms() + c->timeout_ms;
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	ssize_t n;
	int rc;

	while (!conn_has_prompt(c)) {
		long left = deadline - now_ms();

		if (left <= 0)
			return -ETIMEDOUT;
		rc = poll(&pfd, 1, (int)left);
		if (rc < 0 && errno != EINTR)
			return -errno;
		if (rc <= 0)
			continue;
		n = read(c->fd, tmp, sizeof(tmp));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -ECONNRESET;
		rc = conn_feed(c, tmp, (size_t)n);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int conn_open(const char *host, int port, int timeout_ms)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res = NULL, *ai;
	char portstr[8];
	int fd = -1, rc;

	snprintf(portstr, sizeof(portstr), "%d", port);
	rc = getaddrinfo(host, portstr, &hints, &res);
	if (rc != 0)
		return -EHOSTUNREACH;
	rc = -ECONNREFUSED;
	for (ai = res; ai; ai = ai->ai_next) {
		struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			rc = -errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			rc = fd;
			break;
		}
		rc = errno == EINPROGRESS ? -ETIMEDOUT : -errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return rc;
}

static int conn_send_line(struct vty_conn *c, const char *cmd)
{
	size_t len = strlen(cmd), off = 0;
	ssize_t n;

	/* libosmovty takes '\r' and '\n' each as an Enter: send one. */
	while (off < len + 1) {
		if (off < len)
			n = write(c->fd, cmd + off, len - off);
		else
			n = write(c->fd, "\n", 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		off += (size_t)n;
	}
	return 0;
}

/* Answer a password prompt the console showed; a second prompt means the
 * password was refused. */
static int conn_answer_password(struct vty_conn *c, const char *password)
{
	int rc;

	if (!password)
		return -EACCES;
	c->len = 0;
	rc = conn_send_line(c, password);
	if (rc < 0)
		return rc;
	rc = conn_read_prompt(c);
	if (rc < 0)
		return rc;
	return conn_has_password_prompt(c) ? -EACCES : 0;
}

int stiwf_vty_client_run(const char *host, int port, const struct stiwf_vty_client_auth *auth,
			 const char *const *cmds, int n_cmds, int timeout_ms, FILE *out)
{
	static const struct stiwf_vty_client_auth no_auth;
	struct vty_conn *c;
	int i, rc;

	if (!auth)
		auth = &no_auth;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->timeout_ms = timeout_ms;
	c->fd = conn_open(host, port, timeout_ms);
	if (c->fd < 0) {
		rc = c->fd;
		goto out;
	}
	rc = conn_read_prompt(c);	/* banner and first prompt */
	if (rc < 0)
		goto out;
	if (conn_has_password_prompt(c)) {
		rc = conn_answer_password(c, auth->login_password);
		if (rc < 0)
			goto out;
	}

	for (i = 0; i < n_cmds; i++) {
		const char *body, *end;

		c->len = 0;
		rc = conn_send_line(c, cmds[i]);
		if (rc < 0)
			goto out;
		rc = conn_read_prompt(c);
		if (rc < 0)
			goto out;
		if (conn_has_password_prompt(c)) {
			rc = conn_answer_password(c, auth->enable_password);
			if (rc < 0)
				goto out;
			continue;
		}
		/* drop the echoed command line and the final prompt */
		body = memchr(c->buf, '\n', c->len);
		body = body ? body + 1 : c->buf + c->len;
		end = memrchr(c->buf, '\n', c->len);
		if (!end || end < body)
			end = body;
		else
			end++;
		fwrite(body, 1, (size_t)(end - body), out);
		if (body < end && *body == '%')
			rc = -EPROTO;
	}
	if (rc == 0)
		conn_send_line(c, "exit");
out:
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	return rc;
}
