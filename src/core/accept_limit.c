/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bounds on accepted connections per listening address.
 *
 * Sofia-SIP (tport_accept()), libosmovty (the telnet console) and
 * libosmo-sigtran each call accept() themselves, and none of them can be
 * told to stop at N connections.  accept() and accept4() are therefore
 * interposed here, as src/core/evloop.c interposes g_main_context_wakeup(): a
 * connection accepted on a bounded listener is counted, and one beyond
 * the bound is closed at once and reported to the caller as EAGAIN, which
 * all three treat as "nothing to accept" (Sofia looks at the listener's
 * SO_ERROR, which is 0; libosmovty logs "telnet accept failed").
 *
 * The count needs no hook on close(): each accepted connection is kept
 * with its socket's inode, and only when the bound is reached are the
 * kept ones checked with fstat(); a descriptor that was closed (or whose
 * number now names another socket) no longer counts.
 *
 * Sofia-SIP closes an unused connection after its idle time only once
 * something crossed it: its timer is armed on send and receive, not on
 * accept, so a connection that never says a word stays for ever.  A
 * listener may therefore also have a silence timeout: a connection on
 * which not one octet arrived (TCP_INFO) for that long is shut down, not
 * closed, so that its owner sees the end of the stream and lets go of the
 * descriptor itself.
 *
 * Also here, for every listener: when accept() fails for want of
 * descriptors (EMFILE/ENFILE) the pending connection would stay in the
 * backlog and keep the listener readable, and the loop would spin.  A
 * spare descriptor is given up to accept it and close it. */

#define _GNU_SOURCE		/* RTLD_NEXT, accept4() */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/tcp.h>		/* struct tcp_info with tcpi_bytes_received */

#include <osmocom/core/logging.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "src/core/accept_limit.h"
#include "src/core/logging.h"

/* The console and one SIP transport: a few listeners at most. */
#define ACCEPT_LIMITS_MAX 8
/* Connections kept for the silence timeout on a listener without a bound */
#define ACCEPT_UNBOUNDED_TRACKED 65536

struct accepted {
	int fd;
	dev_t dev;
	ino_t ino;
};

struct accept_limit {
	char name[16];
	struct sockaddr_storage ss;	/* the listener's address */
	unsigned int max;
	unsigned int n;			/* kept in conns[], some maybe closed */
	unsigned int size;		/* of conns[] */
	struct accepted *conns;
	unsigned long refused;
	bool full;			/* refusing since the last log line */
	unsigned int silent_s;		/* shut down a silent connection after, 0: never */
	unsigned long shut;		/* silent connections shut down */
};

static pthread_mutex_t limits_lock = PTHREAD_MUTEX_INITIALIZER;
static struct accept_limit limits[ACCEPT_LIMITS_MAX];
static unsigned int n_limits;
static int spare_fd = -1;
static struct osmo_timer_list sweep_timer;

typedef int accept_fn(int, struct sockaddr *, socklen_t *);
typedef int accept4_fn(int, struct sockaddr *, socklen_t *, int);

static accept4_fn *real_accept4(void)
{
	static accept4_fn *real;

	if (!real)
		real = (accept4_fn *)dlsym(RTLD_NEXT, "accept4");
	return real;
}

static int sockaddr_make(struct sockaddr_storage *ss, const char *addr, uint16_t port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		return 0;
	}
	return -EINVAL;
}

static bool sockaddr_same(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	const struct sockaddr_in *a4 = (const void *)a, *b4 = (const void *)b;
	const struct sockaddr_in6 *a6 = (const void *)a, *b6 = (const void *)b;

	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return a4->sin_port == b4->sin_port && a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return a6->sin6_port == b6->sin6_port &&
		       !memcmp(&a6->sin6_addr, &b6->sin6_addr, sizeof(a6->sin6_addr));
	return false;
}

static struct accept_limit *limit_find(const struct sockaddr_storage *ss)
{
	unsigned int i;

	for (i = 0; i < n_limits; i++) {
		if (sockaddr_same(&limits[i].ss, ss))
			return &limits[i];
	}
	return NULL;
}

/* Drop the kept connections that have been closed since. */
static void limit_prune(struct accept_limit *l)
{
	unsigned int i = 0;
	struct stat st;

	while (i < l->n) {
		struct accepted *a = &l->conns[i];

		if (fstat(a->fd, &st) == 0 && st.st_dev == a->dev && st.st_ino == a->ino) {
			i++;
			continue;
		}
		l->conns[i] = l->conns[--l->n];
	}
}

/* Shut down the kept connections on which nothing arrived for silent_s. */
static void limit_sweep(struct accept_limit *l)
{
	struct tcp_info ti;
	socklen_t len;
	unsigned int i = 0, n = 0;
	struct stat st;

	while (i < l->n) {
		struct accepted *a = &l->conns[i];

		if (fstat(a->fd, &st) < 0 || st.st_dev != a->dev || st.st_ino != a->ino) {
			l->conns[i] = l->conns[--l->n];
			continue;
		}
		memset(&ti, 0, sizeof(ti));
		len = sizeof(ti);
		if (getsockopt(a->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
		    len >= offsetof(struct tcp_info, tcpi_bytes_received) + sizeof(ti.tcpi_bytes_received) &&
		    ti.tcpi_bytes_received == 0 && ti.tcpi_last_data_recv >= l->silent_s * 1000u) {
			shutdown(a->fd, SHUT_RDWR);
			l->conns[i] = l->conns[--l->n];
			n++;
			continue;
		}
		i++;
	}
	if (n) {
		l->shut += n;
		LOGP(DMAIN, LOGL_NOTICE, "%s: shut down %u connection(s) silent for %u s (%lu so far)\n",
		     l->name, n, l->silent_s, l->shut);
	}
}

static void sweep_timer_cb(void *data)
{
	unsigned int i, period = 0;

	pthread_mutex_lock(&limits_lock);
	for (i = 0; i < n_limits; i++) {
		struct accept_limit *l = &limits[i];
		unsigned int p;

		if (!l->silent_s)
			continue;
		limit_sweep(l);
		/* silent_s to 1.25 * silent_s after the connection came */
		p = OSMO_MAX(1u, l->silent_s / 4);
		if (!period || p < period)
			period = p;
	}
	pthread_mutex_unlock(&limits_lock);
	if (period)
		osmo_timer_schedule(&sweep_timer, period, 0);
}

/* The bound for a new connection fd on listener lfd: true to keep it. */
static bool limit_admit(int lfd, int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct accept_limit *l;
	struct stat st;
	bool keep = true;

	if (getsockname(lfd, (struct sockaddr *)&ss, &len) < 0)
		return true;
	pthread_mutex_lock(&limits_lock);
	l = limit_find(&ss);
	if (!l || (!l->max && !l->silent_s))
		goto out;
	if (l->max && l->n >= l->max)
		limit_prune(l);
	if (l->max && l->n >= l->max) {
		l->refused++;
		if (!l->full)
			LOGP(DMAIN, LOGL_NOTICE, "%s: %u connections open, the configured bound: "
			     "refusing new ones (%lu refused so far)\n", l->name, l->n, l->refused);
		l->full = true;
		keep = false;
		goto out;
	}
	if (l->full) {
		LOGP(DMAIN, LOGL_NOTICE, "%s: below the bound of %u connections again "
		     "(%lu refused so far)\n", l->name, l->max, l->refused);
		l->full = false;
	}
	/* not a socket we can stat: nothing to count it by; no room left
	 * (no bound, only a silence timeout, and the table full) */
	if (fstat(fd, &st) < 0 || l->n == l->size)
		goto out;
	l->conns[l->n++] = (struct accepted){ .fd = fd, .dev = st.st_dev, .ino = st.st_ino };
out:
	pthread_mutex_unlock(&limits_lock);
	return keep;
}

/* Out of descriptors: take the pending connection off the backlog with
 * the spare one, and close it. */
static void accept_shed(int lfd)
{
	accept4_fn *real = real_accept4();
	static bool logged;
	int fd;

	if (spare_fd < 0 || !real)
		return;
	close(spare_fd);
	spare_fd = -1;
	fd = real(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd >= 0)
		close(fd);
	spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (!logged) {
		LOGP(DMAIN, LOGL_ERROR, "out of file descriptors: closing new connections at once\n");
		logged = true;
	}
}

static int accept_limited(int lfd, int fd)
{
	int err;

	if (fd < 0) {
		err = errno;
		if (err == EMFILE || err == ENFILE)
			accept_shed(lfd);
		errno = err;
		return fd;
	}
	if (n_limits && !limit_admit(lfd, fd)) {
		close(fd);
		errno = EAGAIN;
		return -1;
	}
	return fd;
}

int accept(int lfd, struct sockaddr *addr, socklen_t *len)
{
	static accept_fn *real;

	if (!real)
		real = (accept_fn *)dlsym(RTLD_NEXT, "accept");
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return accept_limited(lfd, real(lfd, addr, len));
}

int accept4(int lfd, struct sockaddr *addr, socklen_t *len, int flags)
{
	accept4_fn *real = real_accept4();

	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return accept_limited(lfd, real(lfd, addr, len, flags));
}

int stiwf_accept_limit_set(const char *name, const char *addr, uint16_t port, unsigned int max,
			   unsigned int silent_s)
{
	struct sockaddr_storage ss;
	struct accept_limit *l;
	struct accepted *conns = NULL;
	unsigned int size;
	int rc;

	rc = sockaddr_make(&ss, addr, port);
	if (rc < 0)
		return rc;
	/* with only a silence timeout, as many as a bound could have */
	size = max ? max : (silent_s ? ACCEPT_UNBOUNDED_TRACKED : 0);
	if (size) {
		conns = calloc(size, sizeof(*conns));
		if (!conns)
			return -ENOMEM;
	}
	pthread_mutex_lock(&limits_lock);
	if (spare_fd < 0)
		spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	l = limit_find(&ss);
	if (!l) {
		if (n_limits == ARRAY_SIZE(limits)) {
			rc = -ENOSPC;
			free(conns);
			goto out;
		}
		l = &limits[n_limits++];
		memset(l, 0, sizeof(*l));
		l->ss = ss;
	} else if (l->n) {
		/* keep what is open: it still counts against the new bound */
		limit_prune(l);
		if (conns)
			memcpy(conns, l->conns, OSMO_MIN(l->n, size) * sizeof(*conns));
		l->n = OSMO_MIN(l->n, size);
	}
	free(l->conns);
	l->conns = conns;
	l->size = size;
	l->max = max;
	l->silent_s = silent_s;
	OSMO_STRLCPY_ARRAY(l->name, name);
	if (silent_s && !osmo_timer_pending(&sweep_timer)) {
		osmo_timer_setup(&sweep_timer, sweep_timer_cb, NULL);
		osmo_timer_schedule(&sweep_timer, OSMO_MAX(1u, silent_s / 4), 0);
	}
out:
	pthread_mutex_unlock(&limits_lock);
	return rc;
}

unsigned long stiwf_accept_limit_refused(const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	struct accept_limit *l;
	unsigned long n = 0;

	if (sockaddr_make(&ss, addr, port) < 0)
		return 0;
	pthread_mutex_lock(&limits_lock);
	l = limit_find(&ss);
	if (l)
		n = l->refused;
	pthread_mutex_unlock(&limits_lock);
	return n;
}

void stiwf_accept_limits_clear(void)
{
	unsigned int i;

	pthread_mutex_lock(&limits_lock);
	osmo_timer_del(&sweep_timer);
	for (i = 0; i < n_limits; i++)
		free(limits[i].conns);
	n_limits = 0;
	if (spare_fd >= 0)
		close(spare_fd);
	spare_fd = -1;
	pthread_mutex_unlock(&limits_lock);
}
