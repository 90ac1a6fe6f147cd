// SPDX-License-Identifier: GPL-2.0
/*
 * livemerge - the live merge of staprun (common/stream.c, final = 0) over bulk files from
 * bench/mkmerge: the files are read into memory first, then fed to the merge in rounds of
 * CHUNK bytes per stream, as staprun's poll loop appends what each CPU's file returned,
 * with rt_merge_run() after each round and a final one at the end.  The records go
 * through stdio to /dev/null, as staprun's output does to a file.
 *
 *   livemerge FILE...        prints: STREAMS RECORDS CPU_MS (the least of 5 runs)
 *
 * CPU time of the merge loop only: reading the files, and allocating and first touching
 * each stream's buffer (once per session in staprun), are not counted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "common/stream.h"

#define CHUNK	(16 * 1024)
#define RUNS	5

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

/* one_run: the live merge of the @n files in @data; its CPU time in ms, or -1 */
static double one_run(unsigned int n, char **data, const size_t *len, long *recs)
{
	struct timespec t0, t1;
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
	fflush(out);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	rt_merge_release(&m);
	free(done);
	return (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
}

int main(int argc, char **argv)
{
	unsigned int n = argc - 1, i, run;
	double best = -1, t;
	char **data;
	size_t *len;
	long recs;

	if (!n) {
		fprintf(stderr, "usage: livemerge FILE...\n");
		return 2;
	}
	data = calloc(n, sizeof(*data));
	len = calloc(n, sizeof(*len));
	out = fopen("/dev/null", "w");
	if (!data || !len || !out)
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
	for (run = 0; run < RUNS; run++) {
		t = one_run(n, data, len, &recs);
		if (t < 0) {
			fprintf(stderr, "livemerge: the merge failed: %s\n", strerror(errno));
			return 1;
		}
		if (best < 0 || t < best)
			best = t;
	}
	printf("%u %ld %.1f\n", n, recs, best);
	for (i = 0; i < n; i++)
		free(data[i]);
	free(data);
	free(len);
	fclose(out);
	return 0;
}
