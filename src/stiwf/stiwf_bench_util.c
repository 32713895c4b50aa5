/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the "stiwf bench" sections share (stiwf_bench.h). */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <openssl/err.h>

#include "certs/credential.h"

#include "src/stiwf/stiwf_bench.h"

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

EVP_PKEY *stiwf_bench_key(const struct stiwf_bench_opts *o, void *ctx)
{
	struct credential *cred = NULL;
	EVP_PKEY *k;

	if (!o->key_path) {
		k = EVP_EC_gen("P-256");
		if (!k)
			fprintf(stderr, "stiwf bench: cannot generate a P-256 key\n");
		return k;
	}
	if (credential_load(ctx, &cred, o->key_path, o->cert_path, NULL) < 0) {
		fprintf(stderr, "stiwf bench: cannot load the credential %s\n", o->key_path);
		return NULL;
	}
	if (EVP_PKEY_get_base_id(cred->key) != EVP_PKEY_EC || EVP_PKEY_get_bits(cred->key) != 256) {
		fprintf(stderr, "stiwf bench: %s is not a P-256 key\n", o->key_path);
		return NULL;
	}
	return EVP_PKEY_up_ref(cred->key) ? cred->key : NULL;
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

int stiwf_bench_interleaved(const struct stiwf_bench_opts *o, const struct stiwf_bench_op *ops, unsigned int n,
			    void *arg, double *med, json_t *out)
{
	static double rates[STIWF_BENCH_MAX_OPS][STIWF_BENCH_MAX_ROUNDS];
	unsigned int r, i;

	if (n > STIWF_BENCH_MAX_OPS || o->rounds > STIWF_BENCH_MAX_ROUNDS)
		return -EINVAL;
	for (r = 0; r < o->rounds; r++) {
		for (i = 0; i < n; i++) {
			if (stiwf_bench_rate(ops[i].fn, arg, ops[i].name, o->ms, &rates[i][r]) < 0)
				return -EIO;
		}
	}
	for (i = 0; i < n; i++) {
		med[i] = stiwf_bench_median(rates[i], o->rounds);
		stiwf_bench_put_rate(o, out, ops[i].name, med[i]);
	}
	return 0;
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
