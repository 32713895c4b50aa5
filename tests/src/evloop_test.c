/* The shared event loop: with stiwf_evloop_install(), one GMainLoop serves
 * glib sources, libosmocore osmo_fds and osmo_timers, and the worker pool's
 * eventfd, all on one thread. */

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <glib.h>

#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>

#include "src/evloop.h"
#include "src/logging.h"
#include "src/workq.h"

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

	stiwf_evloop_install();
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

int main(void)
{
	CU_pSuite s;
	unsigned int failures;
	void *ctx = talloc_named_const(NULL, 0, "evloop_test");

	stiwf_logging_init(ctx);
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("evloop", NULL, NULL);
	CU_add_test(s, "glib, osmo_fd, osmo_timer and workq in one loop", test_one_loop_serves_all);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	log_fini();
	talloc_free(ctx);
	return failures ? 1 : 0;
}
