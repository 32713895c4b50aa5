/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file stiwf_bench.h
 *  The sections of "stiwf bench": each measures in this process (or runs a
 *  measurement script), prints its figures for a reader on stdout unless
 *  asked for JSON, and adds them to a JSON object whose field names
 *  docs/BENCHMARKS.md documents.  Ratios are always against a baseline
 *  measured in the same run. */

#include <stdbool.h>

#include <jansson.h>
#include <openssl/evp.h>

/*! What every section is told. */
struct stiwf_bench_opts {
	unsigned int rounds;		/*!< odd; the medians are over these */
	unsigned int ms;		/*!< per measurement */
	const char *key_path;		/*!< a P-256 credential, or NULL: generated */
	const char *cert_path;
	unsigned int threads;		/*!< worker threads for scaling; 0: one per core */
	bool json;			/*!< no text on stdout: the caller prints JSON */
	bool quick;			/*!< e2e: the short run (fewer steps, 1,000 held calls) */
	const char *e2e_script;		/*!< e2e: the script; NULL: the build tree's or the installed one */
	const char *build_tree;		/*!< e2e: a build tree to measure; NULL: $top_builddir, else installed */
};

/*! Each fills \a out (an object) and returns 0, or prints why it failed on
 *  stderr and returns < 0. */
int stiwf_bench_tcap(const struct stiwf_bench_opts *o, json_t *out);
int stiwf_bench_pipeline(const struct stiwf_bench_opts *o, json_t *out);
int stiwf_bench_scaling(const struct stiwf_bench_opts *o, json_t *out);
int stiwf_bench_memory(const struct stiwf_bench_opts *o, json_t *out);
int stiwf_bench_e2e(const struct stiwf_bench_opts *o, json_t *out);

/* What the sections share (stiwf_bench_util.c). */

/*! How many times per second fn(arg) succeeds, run in batches of 16 for
 *  about ms milliseconds.  A failure prints \a name on stderr: < 0. */
int stiwf_bench_rate(int (*fn)(void *arg), void *arg, const char *name, unsigned int ms, double *rate);
/*! One measured operation: fn(arg) once, < 0 on failure. */
struct stiwf_bench_op {
	const char *name;	/*!< its rate's JSON field, "..._per_s" */
	int (*fn)(void *arg);
};
#define STIWF_BENCH_MAX_ROUNDS 101
#define STIWF_BENCH_MAX_OPS 16
/*! Measure each of ops[0..n-1] for o->ms, one after the other, o->rounds
 *  times (interleaved, so that a slower moment of the machine hits all
 *  alike); med[i] gets the median rate of ops[i], also put in \a out. */
int stiwf_bench_interleaved(const struct stiwf_bench_opts *o, const struct stiwf_bench_op *ops, unsigned int n,
			    void *arg, double *med, json_t *out);
/*! The key to measure with: o->key_path's credential (the caller's
 *  reference) or a generated P-256 key; NULL, said on stderr, on failure.
 *  ctx holds the loaded credential. */
EVP_PKEY *stiwf_bench_key(const struct stiwf_bench_opts *o, void *ctx);
/*! The median of v[0..n-1] (sorts v). */
double stiwf_bench_median(double *v, unsigned int n);
/*! Seconds on the monotonic clock. */
double stiwf_bench_now(void);
/*! Text for a reader on stdout, unless o->json. */
void stiwf_bench_say(const struct stiwf_bench_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*! Set out[name] and say "name value": a rate (integer text) or a ratio. */
void stiwf_bench_put_rate(const struct stiwf_bench_opts *o, json_t *out, const char *name, double v);
void stiwf_bench_put_ratio(const struct stiwf_bench_opts *o, json_t *out, const char *name, double v);
