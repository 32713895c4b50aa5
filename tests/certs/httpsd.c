/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A small HTTPS server for the certs/ tests: serves files and misbehaves on
 * request.
 *
 *   httpsd CERT KEY DOCROOT
 *
 * Binds 127.0.0.1 on two free ports: one speaks TLS, the other accepts TCP
 * connections and never says anything.  Prints "READY <tls-port> <raw-port>"
 * on stdout once both listen, then "REQ <path>" (flushed) for every request
 * before it answers, so a test can count requests per path.
 *
 * Parameters follow the path after ';' (the fetcher refuses URLs with a
 * query string) or '?', as name=value&name=value, %-decoded:
 *   /pem/FILE    FILE from DOCROOT, 200; cc=, expires=, date=, age= set the
 *                caching headers, ct= the Content-Type (default
 *                application/pem-certificate-chain)
 *   /hang        reads the request and never answers
 *   /slow        announces 1000 octets and sends one every 100 ms
 *   /big         64 KiB with Content-Length
 *   /bigchunked  64 KiB chunked, no Content-Length
 *   /garbage     200 with bytes that are not PEM
 *   /redirect    302 to the URL in to=, after ms= milliseconds (default 0)
 *   /loop        302 to itself
 *   /slowloop    after ms= milliseconds (default 500), 302 to itself
 *   anything else: 404
 * Test code only: one thread per connection, no keep-alive. */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

static SSL_CTX *sslctx;
static const char *docroot;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

struct conn {
	int fd;
	bool tls;
};

static int listen_any(unsigned short *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sin);
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 64) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &sl) < 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

/* Value of parameter name in query (NULL-terminated, %-decoded into out). */
static bool query_get(const char *query, const char *name, char *out, size_t out_len)
{
	size_t nl = strlen(name), o = 0;
	const char *p = query;

	while (p && *p) {
		if (strncmp(p, name, nl) == 0 && p[nl] == '=') {
			p += nl + 1;
			while (*p && *p != '&' && o + 1 < out_len) {
				int hi = *p == '%' ? OPENSSL_hexchar2int((unsigned char)p[1]) : -1;
				int lo = hi >= 0 ? OPENSSL_hexchar2int((unsigned char)p[2]) : -1;

				if (lo >= 0) {
					out[o++] = (char)(hi * 16 + lo);
					p += 3;
				} else if (*p == '+') {
					out[o++] = ' ';
					p++;
				} else {
					out[o++] = *p++;
				}
			}
			out[o] = '\0';
			return true;
		}
		p = strchr(p, '&');
		if (p)
			p++;
	}
	return false;
}

static int conn_write(SSL *ssl, const void *buf, size_t len)
{
	size_t done = 0;
	int n;

	while (done < len) {
		n = SSL_write(ssl, (const char *)buf + done, (int)(len - done));
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

static void respond(SSL *ssl, int status, const char *extra_hdrs, const void *body, size_t len)
{
	char hdr[2048];
	int n;

	n = snprintf(hdr, sizeof(hdr), "HTTP/1.1 %d X\r\nConnection: close\r\nContent-Length: %zu\r\n%s\r\n",
		     status, len, extra_hdrs);
	if (n < 0 || (size_t)n >= sizeof(hdr))
		return;
	if (conn_write(ssl, hdr, (size_t)n) == 0 && len)
		conn_write(ssl, body, len);
}

static void serve_file(SSL *ssl, const char *name, const char *query)
{
	char path[4096], hdrs[1500], v[512], ct[256];
	static char body[256 * 1024];
	size_t len, o = 0;
	FILE *f;

	if (strstr(name, "..") || strchr(name, '/')) {
		respond(ssl, 403, "", "", 0);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", docroot, name);
	f = fopen(path, "rb");
	if (!f) {
		respond(ssl, 404, "", "", 0);
		return;
	}
	len = fread(body, 1, sizeof(body), f);
	fclose(f);
	if (!query_get(query, "ct", ct, sizeof(ct)))
		snprintf(ct, sizeof(ct), "application/pem-certificate-chain");
	o += (size_t)snprintf(hdrs + o, sizeof(hdrs) - o, "Content-Type: %s\r\n", ct);
	if (query_get(query, "cc", v, sizeof(v)))
		o += (size_t)snprintf(hdrs + o, sizeof(hdrs) - o, "Cache-Control: %s\r\n", v);
	if (query_get(query, "expires", v, sizeof(v)))
		o += (size_t)snprintf(hdrs + o, sizeof(hdrs) - o, "Expires: %s\r\n", v);
	if (query_get(query, "date", v, sizeof(v)))
		o += (size_t)snprintf(hdrs + o, sizeof(hdrs) - o, "Date: %s\r\n", v);
	if (query_get(query, "age", v, sizeof(v)))
		snprintf(hdrs + o, sizeof(hdrs) - o, "Age: %s\r\n", v);
	respond(ssl, 200, hdrs, body, len);
}

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	char req[8192], target[4096], *path, *query, *sp, v[2048], hdrs[2200];
	static char big[64 * 1024];
	size_t got = 0;
	SSL *ssl = NULL;
	int n, i;

	if (!c->tls) {
		/* accept and never answer: wait for the client to give up */
		while (read(c->fd, req, sizeof(req)) > 0)
			;
		goto out;
	}
	ssl = SSL_new(sslctx);
	if (!ssl || SSL_set_fd(ssl, c->fd) != 1 || SSL_accept(ssl) != 1)
		goto out;
	while (got < sizeof(req) - 1) {
		n = SSL_read(ssl, req + got, (int)(sizeof(req) - 1 - got));
		if (n <= 0)
			goto out;
		got += (size_t)n;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	if (strncmp(req, "GET ", 4) != 0)
		goto out;
	sp = strchr(req + 4, ' ');
	if (!sp || (size_t)(sp - req - 4) >= sizeof(target))
		goto out;
	memcpy(target, req + 4, (size_t)(sp - req - 4));
	target[sp - req - 4] = '\0';
	path = target;
	query = strpbrk(target, "?;");
	if (query)
		*query++ = '\0';
	else
		query = "";

	pthread_mutex_lock(&out_lock);
	printf("REQ %s\n", path);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);

	if (strncmp(path, "/pem/", 5) == 0) {
		serve_file(ssl, path + 5, query);
	} else if (strcmp(path, "/hang") == 0) {
		while (SSL_read(ssl, req, sizeof(req)) > 0)
			;
	} else if (strcmp(path, "/slow") == 0) {
		const char *h = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n";

		if (conn_write(ssl, h, strlen(h)) < 0)
			goto out;
		for (i = 0; i < 1000; i++) {
			if (conn_write(ssl, "x", 1) < 0)
				break;
			usleep(100 * 1000);	/* the misbehaviour under test, not synchronisation */
		}
	} else if (strcmp(path, "/big") == 0) {
		memset(big, 'A', sizeof(big));
		respond(ssl, 200, "Content-Type: application/pem-certificate-chain\r\n", big, sizeof(big));
	} else if (strcmp(path, "/bigchunked") == 0) {
		const char *h = "HTTP/1.1 200 OK\r\nContent-Type: application/pem-certificate-chain\r\n"
				"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
		char chunk[1100];

		memset(chunk, 'B', sizeof(chunk));
		if (conn_write(ssl, h, strlen(h)) < 0)
			goto out;
		for (i = 0; i < 64; i++) {
			n = snprintf(v, sizeof(v), "400\r\n");
			if (conn_write(ssl, v, (size_t)n) < 0 || conn_write(ssl, chunk, 1024) < 0 ||
			    conn_write(ssl, "\r\n", 2) < 0)
				goto out;
		}
		conn_write(ssl, "0\r\n\r\n", 5);
	} else if (strcmp(path, "/garbage") == 0) {
		static const char g[] = "-----BEGIN CERTIFICATE-----\n!!not base64 at all!!\n"
					"-----END CERTIFICATE-----\n\x01\x02\xff";

		respond(ssl, 200, "Content-Type: application/pem-certificate-chain\r\n", g, sizeof(g) - 1);
	} else if (strcmp(path, "/loop") == 0) {
		respond(ssl, 302, "Location: /loop\r\n", "", 0);
	} else if (strcmp(path, "/slowloop") == 0) {
		unsigned long ms = 500;

		if (query_get(query, "ms", v, sizeof(v)))
			ms = strtoul(v, NULL, 10);
		usleep((useconds_t)ms * 1000);	/* the misbehaviour under test */
		snprintf(hdrs, sizeof(hdrs), "Location: /slowloop;ms=%lu\r\n", ms);
		respond(ssl, 302, hdrs, "", 0);
	} else if (strcmp(path, "/redirect") == 0 && query_get(query, "to", v, sizeof(v))) {
		char ms[16];

		/* a server slow to redirect: the misbehaviour under test */
		if (query_get(query, "ms", ms, sizeof(ms)))
			usleep((useconds_t)strtoul(ms, NULL, 10) * 1000);
		snprintf(hdrs, sizeof(hdrs), "Location: %s\r\n", v);
		respond(ssl, 302, hdrs, "", 0);
	} else {
		respond(ssl, 404, "Content-Type: text/plain\r\n", "not found\n", 10);
	}
	SSL_shutdown(ssl);
out:
	SSL_free(ssl);
	close(c->fd);
	free(c);
	return NULL;
}

static void *accept_main(void *arg)
{
	int lfd = (int)(long)arg & 0xffff;
	bool tls = ((long)arg >> 16) & 1;
	pthread_t th;

	for (;;) {
		struct conn *c;
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		c = malloc(sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->tls = tls;
		if (pthread_create(&th, NULL, conn_main, c) != 0) {
			close(fd);
			free(c);
			continue;
		}
		pthread_detach(th);
	}
}

int main(int argc, char **argv)
{
	unsigned short tls_port, raw_port;
	int tls_fd, raw_fd;
	pthread_t th;

	if (argc != 4) {
		fprintf(stderr, "usage: %s CERT KEY DOCROOT\n", argv[0]);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	docroot = argv[3];
	sslctx = SSL_CTX_new(TLS_server_method());
	if (!sslctx || SSL_CTX_use_certificate_chain_file(sslctx, argv[1]) != 1 ||
	    SSL_CTX_use_PrivateKey_file(sslctx, argv[2], SSL_FILETYPE_PEM) != 1) {
		fprintf(stderr, "httpsd: cannot load the certificate or key\n");
		return 1;
	}
	tls_fd = listen_any(&tls_port);
	raw_fd = listen_any(&raw_port);
	if (tls_fd < 0 || raw_fd < 0 || tls_fd > 0xffff || raw_fd > 0xffff) {
		perror("httpsd: listen");
		return 1;
	}
	if (pthread_create(&th, NULL, accept_main, (void *)(long)(raw_fd)) != 0)
		return 1;
	pthread_detach(th);
	printf("READY %u %u\n", tls_port, raw_port);
	fflush(stdout);
	accept_main((void *)(long)(tls_fd | (1 << 16)));
	return 0;
}
