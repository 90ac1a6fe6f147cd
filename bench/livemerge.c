// SPDX-License-Identifier: GPL-2.0
/*
 * livemerge - the live merge of staprun (common/stream.c, final = 0) over bulk files from
 * bench/mkmerge: the files are read into memory first, then fed to the merge in rounds,
 * as staprun's poll loop takes what each CPU's buffer holds, with rt_merge_run() after each
 * round and a final one at the end.  The records go through stdio, as staprun's output
 * does.  Two ways of feeding, both staprun's:
 *   - copy:     CHUNK bytes per stream per round, copied into the stream's buffer, as
 *               staprun's read() path (-R) does;
 *   - in place: one sealed sub-buffer per stream per round, parsed where it lies
 *               (rt_stream_feed), as staprun's default mmap path does, with the same
 *               give-back rule (rt_readers_give_back: RT_KEEP_IN_PLACE, 1, held).
 *
 *   livemerge [-o OUT] FILE...   prints: STREAMS RECORDS COPY_MS IN_PLACE_MS (least of 5)
 *
 * The records go to OUT (emptied before each run), as staprun -o writes them, or by
 * default to /dev/null, which leaves the merge and stdio alone.
 *
 * CPU time of the merge loop only: reading the files, and allocating and first touching
 * each stream's buffer (once per session in staprun), are not counted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "common/stream.h"

#define CHUNK	(16 * 1024)
#define RUNS	5
#define N_SUBBUFS	8	/* staprun's default buffer: RT_DEFAULT_N_SUBBUFS */
#define KEEP_IN_PLACE	1	/* staprun's RT_KEEP_IN_PLACE */

static FILE *out;

static int emit(void *arg, const struct rt_rec *rec)
{
	return rec->len && fwrite_unlocked(rec->data, rec->len, 1, out) != 1 ? -1 : 0;
}

/* slurp: the whole of @path in memory; NULL on error */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) &&
	    (buf = malloc(n ? n : 1)) && fread(buf, 1, n, f) == (size_t)n) {
		*len = n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* end_run: flush the output, free the merge; the CPU ms since @t0 */
static double end_run(struct rt_merge *m, size_t *done, const struct timespec *t0)
{
	struct timespec t1;

	fflush(out);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	rt_merge_release(m);
	free(done);
	return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* copy_run: the live merge of the @n files in @data, copied in; its CPU time in ms, or -1 */
static double copy_run(unsigned int n, char **data, const size_t *len, long *recs)
{
	struct timespec t0;
	struct rt_merge m;
	size_t *done = calloc(n, sizeof(*done));
	unsigned int i;
	int more, r;
	char *p;

	if (!done || rt_merge_init(&m, n))
		return -1;
	/* the streams' buffers as a running session has them: allocated and touched */
	for (i = 0; i < n; i++) {
		p = rt_stream_space(&m.streams[i], 4 * CHUNK);
		if (!p)
			return -1;
		memset(p, 0, 4 * CHUNK);
	}
	*recs = 0;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	do {
		for (more = 0, i = 0; i < n; i++) {
			size_t k = len[i] - done[i] < CHUNK ? len[i] - done[i] : CHUNK;

			if (!k)
				continue;
			p = rt_stream_space(&m.streams[i], k);
			if (!p)
				return -1;
			memcpy(p, data[i] + done[i], k);
			rt_stream_added(&m.streams[i], k);
			done[i] += k;
			more |= done[i] < len[i];
		}
		r = rt_merge_run(&m, !more, emit, NULL);
		if (r < 0)
			return -1;
		*recs += r;
	} while (more);
	return end_run(&m, done, &t0);
}

/* in_place_run: the same, each stream fed one sub-buffer per round in place; ms, or -1 */
static double in_place_run(unsigned int n, char **data, const size_t *len, long *recs)
{
	struct timespec t0;
	struct rt_merge m;
	size_t *done = calloc(n, sizeof(*done));
	const struct rt_subbuf_hdr *h;
	unsigned int i;
	int more, r;

	if (!done || rt_merge_init(&m, n))
		return -1;
	for (i = 0; i < n; i++)
		if (rt_stream_segments(&m.streams[i], N_SUBBUFS))
			return -1;
	*recs = 0;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	do {
		for (more = 0, i = 0; i < n; i++) {
			if (done[i] == len[i])
				continue;
			h = (const void *)(data[i] + done[i]);
			if (len[i] - done[i] < sizeof(*h) || h->data_size > len[i] - done[i] ||
			    h->data_size < sizeof(*h)) {
				errno = EBADMSG;
				return -1;
			}
			if (rt_stream_feed(&m.streams[i], h, h->data_size))
				return -1;
			done[i] += h->data_size;
			more |= done[i] < len[i];
		}
		r = rt_merge_run(&m, !more, emit, NULL);
		if (r < 0)
			return -1;
		*recs += r;
		for (i = 0; i < n; i++)
			if (rt_stream_copy_out(&m.streams[i], KEEP_IN_PLACE))
				return -1;
	} while (more);
	return end_run(&m, done, &t0);
}

typedef double (*run_fn)(unsigned int n, char **data, const size_t *len, long *recs);

/* best_of: the least CPU time of RUNS runs of @fn; -1 on error */
static double best_of(run_fn fn, unsigned int n, char **data, const size_t *len, long *recs)
{
	double best = -1, t;
	unsigned int run;

	for (run = 0; run < RUNS; run++) {
		/* an output file starts empty each run; /dev/null cannot be truncated */
		if (fseek(out, 0, SEEK_SET) || (ftruncate(fileno(out), 0) && errno != EINVAL))
			return -1;
		t = fn(n, data, len, recs);
		if (t < 0)
			return -1;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	const char *to = "/dev/null";
	unsigned int n, i;
	double copy, in_place;
	long recs, recs2;
	char **data;
	size_t *len;

	if (argc > 2 && !strcmp(argv[1], "-o")) {
		to = argv[2];
		argv += 2;
		argc -= 2;
	}
	n = argc - 1;
	if (!n) {
		fprintf(stderr, "usage: livemerge [-o OUT] FILE...\n");
		return 2;
	}
	data = calloc(n, sizeof(*data));
	len = calloc(n, sizeof(*len));
	out = fopen(to, "w");
	if (!out) {
		fprintf(stderr, "livemerge: cannot open '%s': %s\n", to, strerror(errno));
		return 1;
	}
	if (!data || !len)
		return 1;
	setvbuf(out, NULL, _IOFBF, 4 << 20);
	for (i = 0; i < n; i++) {
		data[i] = slurp(argv[i + 1], &len[i]);
		if (!data[i]) {
			fprintf(stderr, "livemerge: cannot read '%s': %s\n", argv[i + 1],
				strerror(errno));
			return 1;
		}
	}
	copy = best_of(copy_run, n, data, len, &recs);
	in_place = copy < 0 ? -1 : best_of(in_place_run, n, data, len, &recs2);
	if (in_place < 0) {
		fprintf(stderr, "livemerge: the merge failed: %s\n", strerror(errno));
		return 1;
	}
	if (recs2 != recs) {
		fprintf(stderr, "livemerge: %ld records in place, %ld copied\n", recs2, recs);
		return 1;
	}
	printf("%u %ld %.1f %.1f\n", n, recs, copy, in_place);
	for (i = 0; i < n; i++)
		free(data[i]);
	free(data);
	free(len);
	fclose(out);
	return 0;
}
