/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shared event loop: glib drives, libosmocore rides along.
 *
 * GMainContext calls a replaceable poll function with the fds of its sources
 * and a timeout.  Ours appends every registered osmo_fd, shortens the timeout
 * to the nearest osmo_timer, waits in one ppoll(), hands the glib fds their
 * revents, dispatches the osmo_fds and expires the osmo timers.  glib releases
 * its context lock around the poll function, so osmo callbacks may add and
 * remove glib sources (and so Sofia-SIP timers) freely.
 *
 * No fd_set anywhere: libosmocore's foreign-loop helpers osmo_fd_fill_fds()
 * and osmo_fd_disp_fds() FD_SET() every osmo_fd unchecked, and glibc's
 * fortified FD_SET() aborts the process for an fd >= FD_SETSIZE (1024).  A
 * peer that makes the daemon hold ~1000 descriptors (idle TCP connections to
 * the SIP port, telnet sessions to the VTY) then only needs the next socket
 * (an x5u fetch, a VTY accept) to kill it. */

#define _GNU_SOURCE		/* RTLD_NEXT */
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>

#include <sofia-sip/su_time.h>

#include "src/core/evloop.h"
#include "src/core/logging.h"

/* glib's own g_poll() on Unix is poll() on the GPollFD array, cast: the
 * layouts and the event bits are the same. */
G_STATIC_ASSERT(sizeof(GPollFD) == sizeof(struct pollfd));
G_STATIC_ASSERT(offsetof(GPollFD, fd) == offsetof(struct pollfd, fd));
G_STATIC_ASSERT(offsetof(GPollFD, events) == offsetof(struct pollfd, events));
G_STATIC_ASSERT(offsetof(GPollFD, revents) == offsetof(struct pollfd, revents));
G_STATIC_ASSERT(G_IO_IN == POLLIN && G_IO_OUT == POLLOUT && G_IO_PRI == POLLPRI);
G_STATIC_ASSERT(G_IO_ERR == POLLERR && G_IO_HUP == POLLHUP && G_IO_NVAL == POLLNVAL);

static GPollFunc glib_default_poll;

static struct {
	/* glib's fds first, then the osmo_fds; grown, never shrunk */
	struct pollfd *pfd;
	/* the osmo_fd behind each osmo entry of pfd (index minus glib's count) */
	struct osmo_fd **ofd;
	unsigned int size;
	/* libosmocore's list of the loop thread's registered osmo_fds */
	struct llist_head *osmo_fds;
	/* registered, never polled: finds osmo_fds (see evloop_osmo_fds_find()) */
	struct osmo_fd anchor;
	int last_errno;
	/* the loop clock (see evloop_now()): on once installed */
	bool clock_on;
	bool clock_fresh;
	struct timespec clock_now;
	GSource *clock_source;
} evl = {
	.anchor = { .fd = -1 },
};
/* whether this thread is the one that installed the loop */
static __thread bool evl_loop_thread;

/* libosmocore 1.7 offers no iteration over its registered osmo_fds other
 * than the two fd_set helpers above.  Every osmo_fd_register() appends to
 * one list with llist_add_tail(), so right after we register an osmo_fd of
 * our own, its next pointer is the list's head: from there the list walks
 * like libosmocore's own poll loop walks it, with no fd_set and no copy to
 * keep in step.  The head lives in libosmocore's thread-local storage, so
 * this is the list of the thread that calls stiwf_evloop_install(). */
static int evloop_osmo_fds_find(void)
{
	struct llist_head *head;
	int fd, rc;

	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fd < 0)
		return -errno;
	osmo_fd_setup(&evl.anchor, fd, 0, NULL, NULL, 0);
	rc = osmo_fd_register(&evl.anchor);
	if (rc < 0) {
		close(fd);
		evl.anchor.fd = -1;
		return rc;
	}
	head = evl.anchor.list.next;
	if (head->prev != &evl.anchor.list || !osmo_fd_is_registered(&evl.anchor)) {
		LOGP(DMAIN, LOGL_ERROR, "evloop: libosmocore's osmo_fd list is not where expected\n");
		osmo_fd_unregister(&evl.anchor);
		close(fd);
		evl.anchor.fd = -1;
		return -ENOTSUP;
	}
	evl.osmo_fds = head;
	return 0;
}

static bool evloop_osmo_fd_registered(const struct osmo_fd *ofd)
{
	struct osmo_fd *entry;

	llist_for_each_entry(entry, evl.osmo_fds, list) {
		if (entry == ofd)
			return true;
	}
	return false;
}

static void evloop_grow(unsigned int n)
{
	unsigned int size = evl.size ? evl.size : 64;

	if (n <= evl.size)
		return;
	while (size < n)
		size *= 2;
	/* like glib's own poll array: g_renew() aborts rather than return NULL */
	evl.pfd = g_renew(struct pollfd, evl.pfd, size);
	evl.ofd = g_renew(struct osmo_fd *, evl.ofd, size);
	evl.size = size;
}

/* Append the osmo_fds that want something; returns how many. */
static unsigned int evloop_osmo_fill(unsigned int base)
{
	struct osmo_fd *ofd;
	unsigned int n = 0;

	llist_for_each_entry(ofd, evl.osmo_fds, list) {
		struct pollfd *p;

		if (!ofd->when || ofd->fd < 0)
			continue;
		evloop_grow(base + n + 1);
		p = &evl.pfd[base + n];
		p->fd = ofd->fd;
		p->revents = 0;
		/* the mapping of the kernel's select() (fs/select.c), as
		 * libosmocore's own poll loop uses it */
		p->events = 0;
		if (ofd->when & OSMO_FD_READ)
			p->events |= POLLIN | POLLHUP | POLLERR;
		if (ofd->when & OSMO_FD_WRITE)
			p->events |= POLLOUT | POLLERR;
		if (ofd->when & OSMO_FD_EXCEPT)
			p->events |= POLLPRI;
		evl.ofd[n++] = ofd;
	}
	return n;
}

/* changed: whether anything ran since the osmo_fds were listed (an
 * osmo_timer may have closed one: libcurl's timer closes sockets). */
static void evloop_osmo_dispatch(unsigned int base, unsigned int n, bool changed)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct pollfd *p = &evl.pfd[base + i];
		struct osmo_fd *ofd = evl.ofd[i];
		unsigned int what = 0;

		if (!p->revents)
			continue;
		/* An osmo_timer or an earlier callback of this round may have
		 * unregistered (and freed) this osmo_fd: only a listed one is
		 * touched. */
		if (changed && !evloop_osmo_fd_registered(ofd))
			continue;
		if (ofd->fd != p->fd)
			continue;
		if (p->revents & (POLLIN | POLLHUP | POLLERR))
			what |= OSMO_FD_READ;
		if (p->revents & (POLLOUT | POLLERR))
			what |= OSMO_FD_WRITE;
		if (p->revents & POLLPRI)
			what |= OSMO_FD_EXCEPT;
		/* never more than it asks for now */
		what &= ofd->when;
		if (!what)
			continue;
		/* as osmo_select_main(): no log context leaks from one
		 * callback into the next (OS#3813) */
		log_reset_context();
		ofd->cb(ofd, what);
		changed = true;
	}
}

static gint evloop_poll(GPollFD *ufds, guint nfds, gint timeout)
{
	struct timespec ts, *tsp = NULL;
	unsigned int n_osmo;
	int osmo_ms = -1, rc, err = 0, n = 0;
	long long slept_us;
	bool osmo_armed, osmo_due;
	guint i;

	evloop_grow(nfds);
	memcpy(evl.pfd, ufds, nfds * sizeof(*ufds));
	n_osmo = evloop_osmo_fill(nfds);

	/* osmo_timers_prepare() and osmo_timers_update() each read the
	 * clock, a real system call where there is no vDSO (UML): skip
	 * both while no osmo_timer is armed.  Nothing else runs between
	 * here and the update, so none can be armed in between. */
	osmo_armed = osmo_timers_check() > 0;
	if (osmo_armed) {
		osmo_timers_prepare();
		osmo_ms = osmo_timers_nearest_ms();
		if (osmo_ms >= 0 && (timeout < 0 || osmo_ms < timeout))
			timeout = osmo_ms;
	}
	if (timeout >= 0) {
		ts.tv_sec = timeout / 1000;
		ts.tv_nsec = (timeout % 1000) * 1000000L;
		tsp = &ts;
	}

	/* The ppoll() system call leaves the time it did not sleep in ts
	 * (glibc's wrapper hides that, hence syscall()); no sigmask. */
	rc = syscall(SYS_ppoll, evl.pfd, (unsigned long)(nfds + n_osmo), tsp, NULL, 0);
	if (rc < 0) {
		err = errno;
		/* EINTR: a signal; glib's own signal source picks it up.
		 * Anything else (ENOMEM) would repeat every round: say so
		 * once, and let glib go round again. */
		if (err != EINTR && err != evl.last_errno)
			LOGP(DMAIN, LOGL_ERROR, "evloop: poll of %u fds: %s\n", nfds + n_osmo, strerror(err));
		evl.last_errno = err;
	}

	/* time has passed: the check and dispatch phases read it afresh */
	evl.clock_fresh = false;

	for (i = 0; i < nfds; i++) {
		ufds[i].revents = rc > 0 ? evl.pfd[i].revents : 0;
		if (ufds[i].revents)
			n++;
	}

	/* osmo_ms is rounded down, so no osmo_timer is due before osmo_ms
	 * have passed: woken earlier by an fd, or back from a shorter
	 * timeout that glib asked for, osmo_timers_update() would only
	 * read the clock.  A timer falling due meanwhile runs in the next
	 * round, which then has a zero timeout. */
	osmo_due = osmo_armed;
	if (osmo_armed && rc >= 0 && tsp) {
		slept_us = (long long)timeout * 1000 - ((long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
		if (slept_us < (long long)osmo_ms * 1000)
			osmo_due = false;
	}
	if (osmo_due)
		osmo_timers_update();
	if (rc > 0 && n_osmo)
		evloop_osmo_dispatch(nfds, n_osmo, osmo_due);
	/* What osmo_select_main_ctx() would do after each round. */
	talloc_free_children(OTC_SELECT);

	if (rc < 0 && n == 0) {
		errno = EINTR;
		return -1;
	}
	return n;
}

/* Sofia's glib port calls g_main_context_wakeup() for every message it
 * queues for itself (su_source_send()), and glib always answers with an
 * eventfd write, which the next poll then sees and glib reads back: two
 * system calls and an extra loop round per message, a dozen per call.
 * When the caller owns the context it is not waiting in poll: it is
 * dispatching, and the next round prepares every source again (the Sofia
 * source asks for a zero timeout while messages are queued).  So the
 * wakeup is needed only from other threads; pass those on to glib. */
typedef void glib_wakeup_fn(GMainContext *context);

static glib_wakeup_fn *glib_wakeup_lookup(void)
{
	return (glib_wakeup_fn *)dlsym(RTLD_NEXT, "g_main_context_wakeup");
}

/* Set once by stiwf_evloop_install(), before any other thread starts. */
static glib_wakeup_fn *glib_wakeup;

void g_main_context_wakeup(GMainContext *context)
{
	glib_wakeup_fn *wakeup = glib_wakeup;

	if (!context)
		context = g_main_context_default();
	if (g_main_context_is_owner(context))
		return;
	if (!wakeup)
		wakeup = glib_wakeup_lookup();
	if (wakeup)
		wakeup(context);
}

/* The loop clock.  Sofia-SIP reads the wall clock for every message it
 * sends or receives (su_now() from its transports and transactions) and
 * twice per loop turn from its glib source (g_source_get_current_time() in
 * prepare and check): about 30 reads per call.  Where there is no vDSO (the
 * User-Mode-Linux guest, some virtual machines) each is a system call.
 * glib's own timeouts read the clock once per iteration and use that time
 * for the whole iteration; the loop thread gives Sofia the same: one read
 * when the iteration starts (clock source's prepare, first of all sources)
 * and one after the poll, taken only if anything asks.  A time is stale by
 * at most the work of one loop phase, which Sofia's timers (hundreds of ms
 * and more) do not notice.  Other threads, and any thread before the loop
 * is installed, read the clock itself. */
static const struct timespec *evloop_now(struct timespec *ts)
{
	if (!evl.clock_on || !evl_loop_thread) {
		clock_gettime(CLOCK_REALTIME, ts);
		return ts;
	}
	if (!evl.clock_fresh) {
		clock_gettime(CLOCK_REALTIME, &evl.clock_now);
		evl.clock_fresh = true;
	}
	*ts = evl.clock_now;
	return ts;
}

time_t stiwf_evloop_time(void)
{
	struct timespec ts;

	return evloop_now(&ts)->tv_sec;
}

/* Sofia-SIP's test hook, exported but in none of its headers */
extern void (*_su_time)(su_time_t *tv);

/* Seconds from 1900 (NTP's epoch, Sofia's su_time_t) to 1970 */
#define EVLOOP_NTP_EPOCH 2208988800UL

/* Sofia-SIP's su_time(), through which su_now() reads the time: the same
 * NTP-based value from the loop clock, with Sofia's test hook honoured. */
void su_time(su_time_t *tv)
{
	struct timespec ts;
	su_time_t t;

	evloop_now(&ts);
	t.tv_sec = (unsigned long)ts.tv_sec + EVLOOP_NTP_EPOCH;
	t.tv_usec = (unsigned long)(ts.tv_nsec / 1000);
	if (_su_time)
		_su_time(&t);
	if (tv)
		*tv = t;
}

/* glib's, called by Sofia's glib source to run its timers */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
void g_source_get_current_time(GSource *source, GTimeVal *timeval)
{
	struct timespec ts;

	(void)source;
	evloop_now(&ts);
	timeval->tv_sec = ts.tv_sec;
	timeval->tv_usec = ts.tv_nsec / 1000;
}
G_GNUC_END_IGNORE_DEPRECATIONS

/* Prepared first in every iteration (highest priority, never ready): the
 * iteration's time is read when first asked. */
static gboolean evloop_clock_prepare(GSource *source, gint *timeout)
{
	(void)source;
	*timeout = -1;
	evl.clock_fresh = false;
	return FALSE;
}

static gboolean evloop_clock_dispatch(GSource *source, GSourceFunc cb, gpointer data)
{
	(void)source;
	(void)cb;
	(void)data;
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs evloop_clock_funcs = {
	.prepare = evloop_clock_prepare,
	.dispatch = evloop_clock_dispatch,
};

int stiwf_evloop_install(void)
{
	GMainContext *ctx = g_main_context_default();
	int rc;

	if (!evl.osmo_fds) {
		rc = evloop_osmo_fds_find();
		if (rc < 0)
			return rc;
	}
	if (!glib_wakeup)
		glib_wakeup = glib_wakeup_lookup();
	if (!glib_default_poll)
		glib_default_poll = g_main_context_get_poll_func(ctx);
	g_main_context_set_poll_func(ctx, evloop_poll);
	if (!evl.clock_source) {
		evl.clock_source = g_source_new(&evloop_clock_funcs, sizeof(GSource));
		g_source_set_priority(evl.clock_source, G_MININT);
		g_source_set_name(evl.clock_source, "stiwf loop clock");
		g_source_attach(evl.clock_source, ctx);
	}
	evl_loop_thread = true;
	evl.clock_fresh = false;
	evl.clock_on = true;
	return 0;
}

void stiwf_evloop_uninstall(void)
{
	evl.clock_on = false;
	if (evl.clock_source) {
		g_source_destroy(evl.clock_source);
		g_source_unref(evl.clock_source);
		evl.clock_source = NULL;
	}
	if (glib_default_poll)
		g_main_context_set_poll_func(g_main_context_default(), glib_default_poll);
	if (evl.osmo_fds) {
		osmo_fd_unregister(&evl.anchor);
		close(evl.anchor.fd);
		evl.anchor.fd = -1;
		evl.osmo_fds = NULL;
	}
	g_free(evl.pfd);
	g_free(evl.ofd);
	evl.pfd = NULL;
	evl.ofd = NULL;
	evl.size = 0;
}
