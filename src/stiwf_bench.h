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
};

/*! Each fills \a out (an object) and returns 0, or prints why it failed on
 *  stderr and returns < 0. */
int stiwf_bench_pipeline(const struct stiwf_bench_opts *o, json_t *out);
int stiwf_bench_scaling(const struct stiwf_bench_opts *o, json_t *out);
int stiwf_bench_memory(const struct stiwf_bench_opts *o, json_t *out);
