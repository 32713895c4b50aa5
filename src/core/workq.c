/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Crypto worker pool: N pthreads take jobs from one queue, finished jobs go to
 * a done list and an eventfd wakes the event loop, which runs their done
 * callbacks.  One mutex guards both lists; it is held only to move a job. */

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>

#include "src/core/logging.h"
#include "src/core/workq.h"

#define WORKQ_MAX_THREADS 64

struct stiwf_workq {
	pthread_mutex_t lock;
	pthread_cond_t wake;		/* a job was queued, or shutdown */
	pthread_cond_t idle;		/* a job left the RUNNING state */
	struct llist_head queue;
	struct llist_head done;
	bool shutdown;
	unsigned int n_threads;
	pthread_t threads[WORKQ_MAX_THREADS];
	struct osmo_fd ofd;		/* eventfd: done list not empty */
};

static void *workq_thread(void *arg)
{
	struct stiwf_workq *q = arg;
	struct stiwf_work *w;
	uint64_t one = 1;
	bool signal_loop;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (!q->shutdown && llist_empty(&q->queue))
			pthread_cond_wait(&q->wake, &q->lock);
		if (q->shutdown)
			break;
		w = llist_first_entry(&q->queue, struct stiwf_work, entry);
		llist_del(&w->entry);
		w->state = STIWF_WORK_RUNNING;
		pthread_mutex_unlock(&q->lock);

		w->work(w);

		pthread_mutex_lock(&q->lock);
		w->state = STIWF_WORK_DONE;
		/* Wake the loop only on the empty -> non-empty edge. */
		signal_loop = llist_empty(&q->done);
		llist_add_tail(&w->entry, &q->done);
		pthread_cond_broadcast(&q->idle);
		if (signal_loop) {
			/* An eventfd write of 1 cannot fail short of overflow. */
			if (write(q->ofd.fd, &one, sizeof(one)) != sizeof(one))
				LOGP(DMAIN, LOGL_ERROR, "workq: eventfd write failed: %s\n", strerror(errno));
		}
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

unsigned int stiwf_workq_deliver(struct stiwf_workq *q)
{
	struct stiwf_work *w;
	unsigned int n = 0;

	pthread_mutex_lock(&q->lock);
	while (!llist_empty(&q->done)) {
		w = llist_first_entry(&q->done, struct stiwf_work, entry);
		llist_del(&w->entry);
		w->state = STIWF_WORK_IDLE;
		/* The callback may submit again or cancel other jobs. */
		pthread_mutex_unlock(&q->lock);
		if (w->done)
			w->done(w);
		n++;
		pthread_mutex_lock(&q->lock);
	}
	pthread_mutex_unlock(&q->lock);
	return n;
}

static int workq_ofd_cb(struct osmo_fd *ofd, unsigned int what)
{
	struct stiwf_workq *q = ofd->data;
	uint64_t cnt;

	/* Drain first: a job finishing after this read writes again. */
	if (read(ofd->fd, &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
		LOGP(DMAIN, LOGL_ERROR, "workq: eventfd read failed: %s\n", strerror(errno));
	stiwf_workq_deliver(q);
	return 0;
}

static void workq_stop(struct stiwf_workq *q)
{
	unsigned int i;

	pthread_mutex_lock(&q->lock);
	q->shutdown = true;
	pthread_cond_broadcast(&q->wake);
	pthread_mutex_unlock(&q->lock);
	for (i = 0; i < q->n_threads; i++)
		pthread_join(q->threads[i], NULL);
	q->n_threads = 0;
}

static int workq_talloc_destructor(struct stiwf_workq *q)
{
	struct stiwf_work *w, *tmp;

	workq_stop(q);
	llist_for_each_entry_safe(w, tmp, &q->queue, entry) {
		llist_del(&w->entry);
		w->state = STIWF_WORK_IDLE;
	}
	llist_for_each_entry_safe(w, tmp, &q->done, entry) {
		llist_del(&w->entry);
		w->state = STIWF_WORK_IDLE;
	}
	if (q->ofd.fd >= 0) {
		osmo_fd_unregister(&q->ofd);
		close(q->ofd.fd);
		q->ofd.fd = -1;
	}
	pthread_cond_destroy(&q->idle);
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
	return 0;
}

struct stiwf_workq *stiwf_workq_create(void *ctx, unsigned int n_threads)
{
	struct stiwf_workq *q;
	long cores;
	int fd, rc;

	if (n_threads == 0) {
		cores = sysconf(_SC_NPROCESSORS_ONLN);
		n_threads = cores > 0 ? (unsigned int)cores : 1;
	}
	if (n_threads > WORKQ_MAX_THREADS)
		n_threads = WORKQ_MAX_THREADS;

	q = talloc_zero(ctx, struct stiwf_workq);
	if (!q)
		return NULL;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->wake, NULL);
	pthread_cond_init(&q->idle, NULL);
	INIT_LLIST_HEAD(&q->queue);
	INIT_LLIST_HEAD(&q->done);
	q->ofd.fd = -1;
	talloc_set_destructor(q, workq_talloc_destructor);

	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (fd < 0) {
		LOGP(DMAIN, LOGL_ERROR, "workq: eventfd: %s\n", strerror(errno));
		goto fail;
	}
	osmo_fd_setup(&q->ofd, fd, OSMO_FD_READ, workq_ofd_cb, q, 0);
	if (osmo_fd_register(&q->ofd) < 0) {
		LOGP(DMAIN, LOGL_ERROR, "workq: cannot register eventfd\n");
		close(fd);
		q->ofd.fd = -1;
		goto fail;
	}

	for (; q->n_threads < n_threads; q->n_threads++) {
		rc = pthread_create(&q->threads[q->n_threads], NULL, workq_thread, q);
		if (rc != 0) {
			LOGP(DMAIN, LOGL_ERROR, "workq: cannot start worker %u: %s\n",
			     q->n_threads, strerror(rc));
			goto fail;
		}
	}
	LOGP(DMAIN, LOGL_INFO, "workq: %u crypto worker threads\n", q->n_threads);
	return q;

fail:
	talloc_free(q);
	return NULL;
}

void stiwf_workq_destroy(struct stiwf_workq *q)
{
	talloc_free(q);
}

int stiwf_workq_submit(struct stiwf_workq *q, struct stiwf_work *w)
{
	int rc = 0;

	if (!w->work)
		return -EINVAL;
	pthread_mutex_lock(&q->lock);
	if (q->shutdown) {
		rc = -ESHUTDOWN;
		goto out;
	}
	if (w->state != STIWF_WORK_IDLE) {
		rc = -EBUSY;
		goto out;
	}
	w->state = STIWF_WORK_QUEUED;
	llist_add_tail(&w->entry, &q->queue);
	pthread_cond_signal(&q->wake);
out:
	pthread_mutex_unlock(&q->lock);
	return rc;
}

bool stiwf_workq_cancel(struct stiwf_workq *q, struct stiwf_work *w)
{
	bool was = false;

	pthread_mutex_lock(&q->lock);
	while (w->state == STIWF_WORK_RUNNING)
		pthread_cond_wait(&q->idle, &q->lock);
	if (w->state == STIWF_WORK_QUEUED || w->state == STIWF_WORK_DONE) {
		llist_del(&w->entry);
		was = true;
	}
	w->state = STIWF_WORK_IDLE;
	pthread_mutex_unlock(&q->lock);
	return was;
}

bool stiwf_workq_busy(struct stiwf_workq *q, const struct stiwf_work *w)
{
	bool busy;

	if (!q)
		return false;
	pthread_mutex_lock(&q->lock);
	busy = w->state != STIWF_WORK_IDLE;
	pthread_mutex_unlock(&q->lock);
	return busy;
}

unsigned int stiwf_workq_threads(const struct stiwf_workq *q)
{
	return q->n_threads;
}
