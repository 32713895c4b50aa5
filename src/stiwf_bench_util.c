/* What the "stiwf bench" sections share (stiwf_bench.h). */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <openssl/err.h>

#include "src/stiwf_bench.h"

#define BATCH 16

double stiwf_bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int stiwf_bench_rate(int (*fn)(void *arg), void *arg, const char *name, unsigned int ms, double *rate)
{
	double t0 = stiwf_bench_now(), t;
	unsigned long n = 0;
	unsigned int i;

	do {
		for (i = 0; i < BATCH; i++) {
			if (fn(arg) < 0) {
				fprintf(stderr, "stiwf bench: %s failed\n", name);
				ERR_clear_error();
				return -EIO;
			}
		}
		n += BATCH;
		t = stiwf_bench_now() - t0;
	} while (t * 1000 < ms);
	*rate = n / t;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double stiwf_bench_median(double *v, unsigned int n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void stiwf_bench_say(const struct stiwf_bench_opts *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

void stiwf_bench_put_rate(const struct stiwf_bench_opts *o, json_t *out, const char *name, double v)
{
	json_object_set_new(out, name, json_integer((json_int_t)llround(v)));
	stiwf_bench_say(o, "%-40s %.0f\n", name, v);
}

void stiwf_bench_put_ratio(const struct stiwf_bench_opts *o, json_t *out, const char *name, double v)
{
	/* three decimals, as read */
	json_object_set_new(out, name, json_real(round(v * 1000) / 1000));
	stiwf_bench_say(o, "%-40s %.3f\n", name, v);
}
