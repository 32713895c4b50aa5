/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file workq.h
 *  The crypto worker pool (ARCHITECTURE §5).  Signing and verification run on a
 *  few worker threads; each finished job comes back to the event loop through
 *  an eventfd and its done callback runs there, so the callers need no locks.
 *
 *  A job is a struct stiwf_work embedded in the caller's object (a call, a
 *  transaction): submitting allocates nothing.  Before freeing that object
 *  the caller cancels the job, which waits if a worker is running it. */

#include <stdbool.h>
#include <osmocom/core/linuxlist.h>

struct stiwf_workq;
struct stiwf_work;

/*! Runs on a worker thread: touch only what the job owns. */
typedef void (*stiwf_work_fn)(struct stiwf_work *w);
/*! Runs on the event loop thread once the work function returned. */
typedef void (*stiwf_done_fn)(struct stiwf_work *w);

enum stiwf_work_state {
	STIWF_WORK_IDLE,	/*!< not submitted, or finished and delivered */
	STIWF_WORK_QUEUED,	/*!< waiting for a worker */
	STIWF_WORK_RUNNING,	/*!< a worker runs its work function */
	STIWF_WORK_DONE,	/*!< finished, done callback not yet run */
};

struct stiwf_work {
	stiwf_work_fn work;
	stiwf_done_fn done;
	void *priv;
	/* private to workq.c */
	struct llist_head entry;
	enum stiwf_work_state state;
};

/*! Start a pool.
 *  \param[in] ctx talloc parent
 *  \param[in] n_threads workers; 0 means one per online core
 *  \returns the pool, or NULL (logged) */
struct stiwf_workq *stiwf_workq_create(void *ctx, unsigned int n_threads);

/*! Stop the workers and free the pool.  Jobs still queued are dropped
 *  without their done callback; a running job is waited for. */
void stiwf_workq_destroy(struct stiwf_workq *q);

/*! Queue a job.  \returns 0, -EBUSY if it is already in flight,
 *  -EINVAL without a work function, -ESHUTDOWN while the pool stops */
int stiwf_workq_submit(struct stiwf_workq *q, struct stiwf_work *w);

/*! Take a job back: afterwards neither function runs and w may be freed.
 *  Waits while a worker runs it.  \returns true if the job was in flight */
bool stiwf_workq_cancel(struct stiwf_workq *q, struct stiwf_work *w);

/*! \returns whether \a w was submitted and its done callback has not run
 *  yet (nor was it cancelled); false without a pool (\a q NULL) */
bool stiwf_workq_busy(struct stiwf_workq *q, const struct stiwf_work *w);

/*! \returns the number of worker threads */
unsigned int stiwf_workq_threads(const struct stiwf_workq *q);

/*! Run the done callbacks of finished jobs now (the eventfd callback does
 *  this; tests and shutdown paths may call it). \returns how many ran */
unsigned int stiwf_workq_deliver(struct stiwf_workq *q);
