/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shared event loop: with stiwf_evloop_install(), one GMainLoop serves
 * glib sources, libosmocore osmo_fds and osmo_timers, and the worker pool's
 * eventfd, all on one thread. */

#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <glib.h>
#include <glib-unix.h>

#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>

#include <sofia-sip/su_glib.h>
#include <sofia-sip/su_time.h>
#include <sofia-sip/su_wait.h>

#include "src/core/evloop.h"
#include "src/core/logging.h"
#include "src/core/workq.h"
#include "tests/cunit_main.h"

static GMainLoop *loop;
static int order[8];
static int n_order;
static pthread_t loop_thread;
static bool wrong_thread;

static void note(int what)
{
	if (n_order < 8)
		order[n_order++] = what;
	if (!pthread_equal(pthread_self(), loop_thread))
		wrong_thread = true;
}

static void osmo_timer_cb(void *data)
{
	int fds[2];

	note(1);
	/* make the pipe readable: the osmo_fd below must fire next */
	memcpy(fds, data, sizeof(fds));
	CU_ASSERT_EQUAL(write(fds[1], "x", 1), 1);
}

static gboolean glib_timeout_cb(gpointer data);

static int osmo_fd_cb(struct osmo_fd *ofd, unsigned int what)
{
	char c;

	CU_ASSERT_EQUAL(read(ofd->fd, &c, 1), 1);
	note(2);
	/* an osmo callback may add glib sources: the loop must serve them */
	g_timeout_add(10, glib_timeout_cb, ofd->data);
	return 0;
}

static gboolean start_work(gpointer data);

static gboolean glib_timeout_cb(gpointer data)
{
	note(3);
	start_work(data);
	return G_SOURCE_REMOVE;
}

static void work_fn(struct stiwf_work *w)
{
	/* runs on a worker thread: nothing to note here */
}

static void work_done(struct stiwf_work *w)
{
	note(4);
	g_main_loop_quit(loop);
}

static gboolean start_work(gpointer data)
{
	struct stiwf_workq *q = data;
	static struct stiwf_work w = { .work = work_fn, .done = work_done };

	CU_ASSERT_EQUAL(stiwf_workq_submit(q, &w), 0);
	return G_SOURCE_REMOVE;
}

static gboolean guard_cb(gpointer data)
{
	CU_FAIL("the loop did not deliver every event within 10 s");
	g_main_loop_quit(loop);
	return G_SOURCE_REMOVE;
}

static void test_one_loop_serves_all(void)
{
	struct osmo_timer_list t = { 0 };
	struct osmo_fd ofd = { 0 };
	struct stiwf_workq *q;
	int fds[2];
	guint guard;

	loop_thread = pthread_self();
	CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
	osmo_fd_setup(&ofd, fds[0], OSMO_FD_READ, osmo_fd_cb, NULL, 0);
	CU_ASSERT_EQUAL_FATAL(osmo_fd_register(&ofd), 0);
	q = stiwf_workq_create(NULL, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);

	CU_ASSERT_EQUAL_FATAL(stiwf_evloop_install(), 0);
	loop = g_main_loop_new(NULL, FALSE);

	/* A causal chain, whatever the machine's speed: osmo timer (20 ms)
	 * -> pipe write -> osmo_fd -> glib timeout added from it -> worker
	 * job -> its done callback on the loop stops the loop. */
	ofd.data = q;
	osmo_timer_setup(&t, osmo_timer_cb, fds);
	osmo_timer_schedule(&t, 0, 20000);
	guard = g_timeout_add_seconds(10, guard_cb, NULL);

	g_main_loop_run(loop);
	g_source_remove(guard);

	CU_ASSERT_EQUAL(n_order, 4);
	CU_ASSERT_EQUAL(order[0], 1);
	CU_ASSERT_EQUAL(order[1], 2);
	CU_ASSERT_EQUAL(order[2], 3);
	CU_ASSERT_EQUAL(order[3], 4);
	CU_ASSERT_FALSE(wrong_thread);

	g_main_loop_unref(loop);
	stiwf_evloop_uninstall();
	stiwf_workq_destroy(q);
	osmo_fd_unregister(&ofd);
	close(fds[0]);
	close(fds[1]);
}


/* fd numbers above FD_SETSIZE (1024): a daemon holding a thousand
 * connections gets such numbers for its next sockets, osmo_fds (an x5u
 * fetch, a VTY session) and glib's (Sofia's SIP transports) alike. */
#define HIGH_FD_OSMO_A	1100
#define HIGH_FD_OSMO_B	2047
#define HIGH_FD_GLIB	1500

static int high_seen;

static void high_maybe_done(void)
{
	if (high_seen == 3)
		g_main_loop_quit(loop);
}

static int high_osmo_cb(struct osmo_fd *ofd, unsigned int what)
{
	char c;

	CU_ASSERT_EQUAL(what, OSMO_FD_READ);
	CU_ASSERT_EQUAL(read(ofd->fd, &c, 1), 1);
	CU_ASSERT_EQUAL(c, (char)ofd->priv_nr);
	high_seen++;
	high_maybe_done();
	return 0;
}

static gboolean high_glib_cb(gint fd, GIOCondition cond, gpointer data)
{
	char c;

	CU_ASSERT(cond & G_IO_IN);
	CU_ASSERT_EQUAL(read(fd, &c, 1), 1);
	CU_ASSERT_EQUAL(c, 'g');
	high_seen++;
	high_maybe_done();
	return G_SOURCE_REMOVE;
}

/* pipe() moved to a chosen read-end number; returns the write end */
static int pipe_at(int want_rd)
{
	int fds[2];

	if (pipe(fds) < 0)
		return -1;
	if (dup2(fds[0], want_rd) != want_rd) {
		close(fds[0]);
		close(fds[1]);
	}
	close(fds[0]);
	return fds[1];
}

static void test_fds_above_fd_setsize(void)
{
	struct osmo_fd a = { 0 }, b = { 0 };
	struct rlimit rl;
	int wa, wb, wg;
	guint guard;

	CU_ASSERT_EQUAL_FATAL(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur <= HIGH_FD_OSMO_B) {
		if (rl.rlim_max <= HIGH_FD_OSMO_B)
			rl.rlim_max = HIGH_FD_OSMO_B + 1;
		rl.rlim_cur = HIGH_FD_OSMO_B + 1;
		CU_ASSERT_EQUAL_FATAL(setrlimit(RLIMIT_NOFILE, &rl), 0);
	}
	wa = pipe_at(HIGH_FD_OSMO_A);
	wb = pipe_at(HIGH_FD_OSMO_B);
	wg = pipe_at(HIGH_FD_GLIB);
	CU_ASSERT_FATAL(wa >= 0 && wb >= 0 && wg >= 0);

	osmo_fd_setup(&a, HIGH_FD_OSMO_A, OSMO_FD_READ, high_osmo_cb, NULL, 'a');
	osmo_fd_setup(&b, HIGH_FD_OSMO_B, OSMO_FD_READ, high_osmo_cb, NULL, 'b');
	CU_ASSERT_EQUAL_FATAL(osmo_fd_register(&a), 0);
	CU_ASSERT_EQUAL_FATAL(osmo_fd_register(&b), 0);

	CU_ASSERT_EQUAL_FATAL(stiwf_evloop_install(), 0);
	loop = g_main_loop_new(NULL, FALSE);
	g_unix_fd_add(HIGH_FD_GLIB, G_IO_IN, high_glib_cb, NULL);
	guard = g_timeout_add_seconds(10, guard_cb, NULL);

	high_seen = 0;
	CU_ASSERT_EQUAL(write(wa, "a", 1), 1);
	CU_ASSERT_EQUAL(write(wb, "b", 1), 1);
	CU_ASSERT_EQUAL(write(wg, "g", 1), 1);
	g_main_loop_run(loop);
	g_source_remove(guard);

	/* each of the three served exactly once */
	CU_ASSERT_EQUAL(high_seen, 3);

	g_main_loop_unref(loop);
	stiwf_evloop_uninstall();
	osmo_fd_unregister(&a);
	osmo_fd_unregister(&b);
	close(HIGH_FD_OSMO_A);
	close(HIGH_FD_OSMO_B);
	close(HIGH_FD_GLIB);
	close(wa);
	close(wb);
	close(wg);
}

/* Two osmo_fds ready in one round; the first callback closes the other,
 * as an M3UA link or a VTY session does when its peer goes away. */
static struct osmo_fd pair[2];
static int pair_calls[2];

static int pair_cb(struct osmo_fd *ofd, unsigned int what)
{
	struct osmo_fd *other = &pair[ofd == &pair[0] ? 1 : 0];
	char c;

	pair_calls[ofd - pair]++;
	CU_ASSERT_EQUAL(read(ofd->fd, &c, 1), 1);
	osmo_fd_unregister(other);
	close(other->fd);
	other->fd = -1;
	g_main_loop_quit(loop);
	return 0;
}

static void test_fd_closed_by_earlier_callback(void)
{
	int p0[2], p1[2], first;
	guint guard;

	CU_ASSERT_EQUAL_FATAL(pipe(p0), 0);
	CU_ASSERT_EQUAL_FATAL(pipe(p1), 0);
	osmo_fd_setup(&pair[0], p0[0], OSMO_FD_READ, pair_cb, NULL, 0);
	osmo_fd_setup(&pair[1], p1[0], OSMO_FD_READ, pair_cb, NULL, 1);
	CU_ASSERT_EQUAL_FATAL(osmo_fd_register(&pair[0]), 0);
	CU_ASSERT_EQUAL_FATAL(osmo_fd_register(&pair[1]), 0);
	CU_ASSERT_EQUAL(write(p0[1], "x", 1), 1);
	CU_ASSERT_EQUAL(write(p1[1], "x", 1), 1);

	CU_ASSERT_EQUAL_FATAL(stiwf_evloop_install(), 0);
	loop = g_main_loop_new(NULL, FALSE);
	guard = g_timeout_add_seconds(10, guard_cb, NULL);
	g_main_loop_run(loop);
	g_source_remove(guard);

	/* one ran and closed the other, which was never called */
	CU_ASSERT_EQUAL(pair_calls[0] + pair_calls[1], 1);
	first = pair_calls[0] ? 0 : 1;
	CU_ASSERT_EQUAL(pair[1 - first].fd, -1);
	CU_ASSERT_FALSE(osmo_fd_is_registered(&pair[1 - first]));

	g_main_loop_unref(loop);
	stiwf_evloop_uninstall();
	osmo_fd_unregister(&pair[first]);
	close(pair[first].fd);
	close(p0[1]);
	close(p1[1]);
}

/* An osmo_timer that falls due in the round in which an osmo_fd is ready
 * closes and frees that osmo_fd before the fds are dispatched, as
 * libcurl's timer does with its sockets (certs/fetch.c). */
static struct osmo_fd *doomed;
static int doomed_calls;
static struct osmo_timer_list doom_timer;

static int doomed_cb(struct osmo_fd *ofd, unsigned int what)
{
	doomed_calls++;
	return 0;
}

static void doom_timer_cb(void *data)
{
	osmo_fd_unregister(doomed);
	close(doomed->fd);
	talloc_free(doomed);
	doomed = NULL;
	g_main_loop_quit(loop);
}

static void test_fd_freed_by_timer(void)
{
	int p[2];
	guint guard;

	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	doomed = talloc_zero(NULL, struct osmo_fd);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doomed);
	osmo_fd_setup(doomed, p[0], OSMO_FD_READ, doomed_cb, NULL, 0);
	CU_ASSERT_EQUAL_FATAL(osmo_fd_register(doomed), 0);
	CU_ASSERT_EQUAL(write(p[1], "x", 1), 1);
	osmo_timer_setup(&doom_timer, doom_timer_cb, NULL);
	osmo_timer_schedule(&doom_timer, 0, 0);

	CU_ASSERT_EQUAL_FATAL(stiwf_evloop_install(), 0);
	loop = g_main_loop_new(NULL, FALSE);
	guard = g_timeout_add_seconds(10, guard_cb, NULL);
	g_main_loop_run(loop);
	g_source_remove(guard);

	/* the timer ran, and the freed osmo_fd was not touched */
	CU_ASSERT_PTR_NULL(doomed);
	CU_ASSERT_EQUAL(doomed_calls, 0);

	g_main_loop_unref(loop);
	stiwf_evloop_uninstall();
	close(p[1]);
}

/* Sofia's clock on the loop: one read per loop phase, fresh in the next;
 * other threads, and the loop thread before install, read the clock. */
static void busy_ms(long ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static long monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS	/* GTimeVal: what Sofia's glib source reads */
static struct {
	su_time_t phase_a, phase_b, later;
	GTimeVal g_phase_a, g_phase_b;
	su_duration_t thread_advance;
	long phase_ms, timer_fired_ms;
	bool timer_fired;
} clk;
G_GNUC_END_IGNORE_DEPRECATIONS

static void *clock_thread(void *arg)
{
	su_time_t a, b;

	(void)arg;
	a = su_now();
	busy_ms(3);
	b = su_now();
	clk.thread_advance = su_duration(b, a);
	return NULL;
}

static gboolean clock_later_cb(gpointer data)
{
	(void)data;
	clk.later = su_now();
	return G_SOURCE_REMOVE;
}

static void clock_sofia_timer_cb(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	(void)arg;
	clk.timer_fired_ms = monotonic_ms();
	clk.timer_fired = true;
	g_main_loop_quit(loop);
}

static gboolean clock_first_cb(gpointer data)
{
	su_timer_t *timer = data;
	pthread_t th;

	G_GNUC_BEGIN_IGNORE_DEPRECATIONS
	clk.phase_a = su_now();
	clk.phase_ms = monotonic_ms();
	g_source_get_current_time(NULL, &clk.g_phase_a);
	busy_ms(3);
	clk.phase_b = su_now();
	g_source_get_current_time(NULL, &clk.g_phase_b);
	G_GNUC_END_IGNORE_DEPRECATIONS
	CU_ASSERT_EQUAL(pthread_create(&th, NULL, clock_thread, NULL), 0);
	CU_ASSERT_EQUAL(pthread_join(th, NULL), 0);
	g_timeout_add(5, clock_later_cb, NULL);
	/* set 6 ms after the phase's clock read: it runs from that read */
	CU_ASSERT_EQUAL(su_timer_set(timer, clock_sofia_timer_cb, NULL), 0);
	return G_SOURCE_REMOVE;
}

static void test_sofia_reads_loop_clock(void)
{
	su_root_t *root;
	su_timer_t *timer;
	su_time_t a, b;
	guint guard;

	/* not installed: every read is the clock's */
	a = su_now();
	busy_ms(3);
	b = su_now();
	CU_ASSERT(su_duration(b, a) >= 3);

	CU_ASSERT_EQUAL_FATAL(su_init(), 0);
	root = su_glib_root_create(NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	su_root_threading(root, 0);
	g_source_attach(su_glib_root_gsource(root), g_main_context_default());
	timer = su_timer_create(su_root_task(root), 50);
	CU_ASSERT_PTR_NOT_NULL_FATAL(timer);

	CU_ASSERT_EQUAL_FATAL(stiwf_evloop_install(), 0);
	loop = g_main_loop_new(NULL, FALSE);
	guard = g_timeout_add_seconds(10, guard_cb, NULL);
	g_idle_add(clock_first_cb, timer);
	g_main_loop_run(loop);
	g_source_remove(guard);

	/* one read for the whole phase, for su_now() and for glib's */
	CU_ASSERT_EQUAL(su_duration(clk.phase_b, clk.phase_a), 0);
	CU_ASSERT_EQUAL(clk.g_phase_a.tv_sec, clk.g_phase_b.tv_sec);
	CU_ASSERT_EQUAL(clk.g_phase_a.tv_usec, clk.g_phase_b.tv_usec);
	CU_ASSERT_EQUAL((unsigned long)clk.g_phase_a.tv_sec + 2208988800UL, clk.phase_a.tv_sec);
	/* another thread reads the clock itself */
	CU_ASSERT(clk.thread_advance >= 3);
	/* a later iteration sees the time that passed */
	CU_ASSERT(su_duration(clk.later, clk.phase_a) >= 5 + 3);
	/* Sofia's 50 ms timer fired, not before 50 ms had passed since the
	 * phase's clock read (1 ms: rounding of the two millisecond reads) */
	CU_ASSERT_FATAL(clk.timer_fired);
	CU_ASSERT(clk.timer_fired_ms - clk.phase_ms >= 50 - 1);

	g_main_loop_unref(loop);
	stiwf_evloop_uninstall();
	su_timer_destroy(timer);
	su_root_destroy(root);
	su_deinit();

	/* uninstalled: the clock's again */
	a = su_now();
	busy_ms(3);
	b = su_now();
	CU_ASSERT(su_duration(b, a) >= 3);
}

static const struct cunit_test tests[] = {
	{ "glib, osmo_fd, osmo_timer and workq in one loop", test_one_loop_serves_all },
	{ "osmo_fds and glib fds above FD_SETSIZE", test_fds_above_fd_setsize },
	{ "an osmo_fd closed by an earlier callback of the round", test_fd_closed_by_earlier_callback },
	{ "an osmo_fd freed by an osmo_timer of the round", test_fd_freed_by_timer },
	{ "Sofia reads the loop's clock: once per phase, on the loop thread only", test_sofia_reads_loop_clock },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "evloop", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "evloop_test",
	.log = CUNIT_LOG_STDERR,
	.suites = suites,
};
