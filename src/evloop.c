/* The shared event loop: glib drives, libosmocore rides along.
 *
 * GMainContext calls a replaceable poll function with the fds of its sources
 * and a timeout.  Ours adds every registered osmo_fd, shortens the timeout to
 * the nearest osmo_timer, waits in one select(), hands the glib fds their
 * revents, dispatches the osmo_fds and expires the osmo timers.  glib releases
 * its context lock around the poll function, so osmo callbacks may add and
 * remove glib sources (and so Sofia-SIP timers) freely. */

#define _GNU_SOURCE		/* RTLD_NEXT */
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <sys/select.h>

#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>

#include "src/evloop.h"
#include "src/logging.h"

static GPollFunc glib_default_poll;

static gint evloop_poll(GPollFD *ufds, guint nfds, gint timeout)
{
	fd_set readset, writeset, exceptset;
	struct timeval tv, *tvp = NULL;
	int maxfd, osmo_ms = -1, rc, n = 0;
	long long slept_us;
	bool osmo_armed, osmo_due;
	guint i;

	FD_ZERO(&readset);
	FD_ZERO(&writeset);
	FD_ZERO(&exceptset);

	maxfd = osmo_fd_fill_fds(&readset, &writeset, &exceptset);
	for (i = 0; i < nfds; i++) {
		GPollFD *p = &ufds[i];

		p->revents = 0;
		if (p->fd < 0)
			continue;
		if (p->fd >= FD_SETSIZE) {
			LOGP(DMAIN, LOGL_ERROR, "evloop: fd %d above FD_SETSIZE, not polled\n", p->fd);
			continue;
		}
		if (p->events & (G_IO_IN | G_IO_HUP | G_IO_ERR))
			FD_SET(p->fd, &readset);
		if (p->events & G_IO_OUT)
			FD_SET(p->fd, &writeset);
		if (p->events & G_IO_PRI)
			FD_SET(p->fd, &exceptset);
		if (p->fd > maxfd)
			maxfd = p->fd;
	}

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
		tv.tv_sec = timeout / 1000;
		tv.tv_usec = (timeout % 1000) * 1000;
		tvp = &tv;
	}

	rc = select(maxfd + 1, &readset, &writeset, &exceptset, tvp);
	if (rc < 0) {
		/* EINTR: a signal; glib's own signal source picks it up. */
		FD_ZERO(&readset);
		FD_ZERO(&writeset);
		FD_ZERO(&exceptset);
	}

	for (i = 0; i < nfds; i++) {
		GPollFD *p = &ufds[i];

		if (p->fd < 0 || p->fd >= FD_SETSIZE)
			continue;
		if (FD_ISSET(p->fd, &readset))
			p->revents |= p->events & (G_IO_IN | G_IO_HUP | G_IO_ERR);
		if (FD_ISSET(p->fd, &writeset))
			p->revents |= G_IO_OUT;
		if (FD_ISSET(p->fd, &exceptset))
			p->revents |= G_IO_PRI;
		if (p->revents) {
			/* glib will dispatch it: keep osmo_fd_disp_fds() off it */
			FD_CLR(p->fd, &readset);
			FD_CLR(p->fd, &writeset);
			FD_CLR(p->fd, &exceptset);
			n++;
		}
	}

	/* Linux select() leaves the time it did not sleep in tv.  osmo_ms
	 * is rounded down, so no osmo_timer is due before osmo_ms have
	 * passed: woken earlier by an fd, or back from a shorter timeout
	 * that glib asked for, osmo_timers_update() would only read the
	 * clock.  A timer falling due meanwhile runs in the next round,
	 * which then has a zero timeout. */
	osmo_due = osmo_armed;
	if (osmo_armed && rc >= 0 && tvp) {
		slept_us = (long long)timeout * 1000 - ((long long)tv.tv_sec * 1000000 + tv.tv_usec);
		if (slept_us < (long long)osmo_ms * 1000)
			osmo_due = false;
	}
	if (osmo_due)
		osmo_timers_update();
	if (rc > 0)
		osmo_fd_disp_fds(&readset, &writeset, &exceptset);
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

void stiwf_evloop_install(void)
{
	GMainContext *ctx = g_main_context_default();

	if (!glib_wakeup)
		glib_wakeup = glib_wakeup_lookup();
	if (!glib_default_poll)
		glib_default_poll = g_main_context_get_poll_func(ctx);
	g_main_context_set_poll_func(ctx, evloop_poll);
}

void stiwf_evloop_uninstall(void)
{
	if (glib_default_poll)
		g_main_context_set_poll_func(g_main_context_default(), glib_default_poll);
}
