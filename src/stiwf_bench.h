#pragma once
/*! \file stiwf_bench.h
 *  The sections of "stiwf bench": each measures in this process (or runs a
 *  measurement script), prints its figures for a reader on stdout unless
 *  asked for JSON, and adds them to a JSON object whose field names
 *  docs/BENCHMARKS.md documents.  Ratios are always against a baseline
 *  measured in the same run. */

#include <stdbool.h>

#include <jansson.h>

/*! What every section is told. */
struct stiwf_bench_opts {
	unsigned int rounds;		/*!< odd; the medians are over these */
	unsigned int ms;		/*!< per measurement */
	const char *key_path;		/*!< a P-256 credential, or NULL: generated */
	const char *cert_path;
	unsigned int threads;		/*!< worker threads for scaling; 0: one per core */
	bool json;			/*!< no text on stdout: the caller prints JSON */
	bool quick;			/*!< e2e: the short run (fewer steps, 1,000 held calls) */
	const char *e2e_script;		/*!< e2e: the script; NULL: the build tree's */
};

/*! Each fills \a out (an object) and returns 0, or prints why it failed on
 *  stderr and returns < 0. */
int stiwf_bench_pipeline(const struct stiwf_bench_opts *o, json_t *out);
int stiwf_bench_scaling(const struct stiwf_bench_opts *o, json_t *out);
int stiwf_bench_memory(const struct stiwf_bench_opts *o, json_t *out);
int stiwf_bench_e2e(const struct stiwf_bench_opts *o, json_t *out);

/* What the sections share (stiwf_bench_util.c). */

/*! How many times per second fn(arg) succeeds, run in batches of 16 for
 *  about ms milliseconds.  A failure prints \a name on stderr: < 0. */
int stiwf_bench_rate(int (*fn)(void *arg), void *arg, const char *name, unsigned int ms, double *rate);
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
