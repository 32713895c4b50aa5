/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The crypto worker pool: jobs run on worker threads, their done callbacks
 * on the thread that runs the event loop, exactly once, and a cancelled job
 * never calls back. */

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include <CUnit/Basic.h>

#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>

#include "src/core/logging.h"
#include "src/core/workq.h"
#include "tests/cunit_main.h"

#define N_JOBS 2000

struct job {
	struct stiwf_work w;
	unsigned int input;
	unsigned long result;		/* written by the worker */
	pthread_t worker;		/* written by the worker */
	pthread_t done_thread;		/* written by done() */
	int done_calls;
};

static void *ctx;
static unsigned int done_total;

/* Something with a result we can check: a sum of squares. */
static void job_work(struct stiwf_work *w)
{
	struct job *j = w->priv;
	unsigned long acc = 0;
	unsigned int i;

	for (i = 0; i <= j->input; i++)
		acc += (unsigned long)i * i;
	j->result = acc;
	j->worker = pthread_self();
}

static void job_done(struct stiwf_work *w)
{
	struct job *j = w->priv;

	j->done_thread = pthread_self();
	j->done_calls++;
	done_total++;
}

/* Run the loop (no timers: select blocks on the eventfd) until n jobs came back. */
static void run_until_done(unsigned int n)
{
	while (done_total < n)
		osmo_select_main(0);
}

static void test_results_come_back_on_loop_thread(void)
{
	struct stiwf_workq *q = stiwf_workq_create(ctx, 2);
	struct job *jobs = calloc(N_JOBS, sizeof(*jobs));
	pthread_t self = pthread_self();
	bool other_thread_seen = false;
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_PTR_NOT_NULL_FATAL(jobs);
	CU_ASSERT_EQUAL(stiwf_workq_threads(q), 2);
	done_total = 0;
	for (i = 0; i < N_JOBS; i++) {
		jobs[i].input = i % 500;
		jobs[i].w.work = job_work;
		jobs[i].w.done = job_done;
		jobs[i].w.priv = &jobs[i];
		CU_ASSERT_EQUAL(stiwf_workq_submit(q, &jobs[i].w), 0);
	}
	run_until_done(N_JOBS);
	CU_ASSERT_EQUAL(done_total, N_JOBS);
	for (i = 0; i < N_JOBS; i++) {
		unsigned long n = jobs[i].input;

		CU_ASSERT_EQUAL(jobs[i].result, n * (n + 1) * (2 * n + 1) / 6);
		CU_ASSERT_EQUAL(jobs[i].done_calls, 1);
		CU_ASSERT(pthread_equal(jobs[i].done_thread, self));
		if (!pthread_equal(jobs[i].worker, self))
			other_thread_seen = true;
		CU_ASSERT_EQUAL(jobs[i].w.state, STIWF_WORK_IDLE);
	}
	CU_ASSERT(other_thread_seen);
	/* A delivered job can be submitted again. */
	CU_ASSERT_EQUAL(stiwf_workq_submit(q, &jobs[0].w), 0);
	run_until_done(N_JOBS + 1);
	CU_ASSERT_EQUAL(jobs[0].done_calls, 2);

	stiwf_workq_destroy(q);
	free(jobs);
}

static sem_t started, release;

static void blocking_work(struct stiwf_work *w)
{
	struct job *j = w->priv;

	sem_post(&started);
	sem_wait(&release);
	j->result = 42;
}

static void *releaser(void *arg)
{
	sem_post(&release);
	return NULL;
}

static void test_cancel(void)
{
	struct stiwf_workq *q = stiwf_workq_create(ctx, 1);
	struct job running = { 0 }, queued = { 0 }, never = { 0 };
	pthread_t t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	sem_init(&started, 0, 0);
	sem_init(&release, 0, 0);
	done_total = 0;

	running.w = (struct stiwf_work){ .work = blocking_work, .done = job_done, .priv = &running };
	queued.w = (struct stiwf_work){ .work = job_work, .done = job_done, .priv = &queued };
	never.w = (struct stiwf_work){ .work = job_work, .done = job_done, .priv = &never };

	CU_ASSERT_EQUAL(stiwf_workq_submit(q, &running.w), 0);
	sem_wait(&started);		/* the only worker is now busy */
	CU_ASSERT_EQUAL(stiwf_workq_submit(q, &queued.w), 0);
	/* A job in flight cannot be submitted twice. */
	CU_ASSERT_EQUAL(stiwf_workq_submit(q, &queued.w), -EBUSY);
	CU_ASSERT_EQUAL(stiwf_workq_submit(q, &running.w), -EBUSY);

	/* Cancelling a queued job takes it out: it never runs. */
	CU_ASSERT_TRUE(stiwf_workq_cancel(q, &queued.w));
	CU_ASSERT_EQUAL(queued.w.state, STIWF_WORK_IDLE);

	/* Cancelling a running job waits for it, then drops its callback. */
	pthread_create(&t, NULL, releaser, NULL);
	CU_ASSERT_TRUE(stiwf_workq_cancel(q, &running.w));
	CU_ASSERT_EQUAL(running.result, 42);
	pthread_join(t, NULL);

	/* Cancelling what was never submitted is harmless. */
	CU_ASSERT_FALSE(stiwf_workq_cancel(q, &never.w));

	/* Nothing calls back: prove it with a job that does come back. */
	never.input = 3;
	CU_ASSERT_EQUAL(stiwf_workq_submit(q, &never.w), 0);
	run_until_done(1);
	CU_ASSERT_EQUAL(never.result, 14);
	CU_ASSERT_EQUAL(running.done_calls, 0);
	CU_ASSERT_EQUAL(queued.done_calls, 0);
	CU_ASSERT_EQUAL(queued.result, 0);
	CU_ASSERT_EQUAL(done_total, 1);

	stiwf_workq_destroy(q);
	sem_destroy(&started);
	sem_destroy(&release);
}

static void test_destroy_with_pending_jobs(void)
{
	struct stiwf_workq *q = stiwf_workq_create(ctx, 1);
	struct job jobs[64];
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	done_total = 0;
	for (i = 0; i < 64; i++) {
		jobs[i] = (struct job){ .input = 1000 };
		jobs[i].w = (struct stiwf_work){ .work = job_work, .done = job_done, .priv = &jobs[i] };
		CU_ASSERT_EQUAL(stiwf_workq_submit(q, &jobs[i].w), 0);
	}
	/* Stopping drops queued jobs, waits for the running one, calls nothing back. */
	stiwf_workq_destroy(q);
	CU_ASSERT_EQUAL(done_total, 0);
	for (i = 0; i < 64; i++)
		CU_ASSERT_EQUAL(jobs[i].w.state, STIWF_WORK_IDLE);
}

static void test_submit_without_work_fails(void)
{
	struct stiwf_workq *q = stiwf_workq_create(ctx, 1);
	struct stiwf_work w = { 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(stiwf_workq_submit(q, &w), -EINVAL);
	stiwf_workq_destroy(q);
}

static int setup(void *root)
{
	ctx = root;
	return 0;
}

static const struct cunit_test tests[] = {
	{ "results come back on the loop thread", test_results_come_back_on_loop_thread },
	{ "cancel queued and running jobs", test_cancel },
	{ "destroy with pending jobs", test_destroy_with_pending_jobs },
	{ "submit without work function", test_submit_without_work_fails },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "workq", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "workq_test",
	.log = CUNIT_LOG_STDERR,
	.setup = setup,
	.suites = suites,
};
