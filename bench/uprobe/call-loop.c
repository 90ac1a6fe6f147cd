// SPDX-License-Identifier: GPL-2.0
/*
 * call-loop.c - the probed workload of bench/uprobe/run: N calls of rt_bench_hit();
 * writes the mean ns per call.
 * usage: call-loop N RESULT_FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/** rt_bench_hit - the probed function: returns @i + 1, out of line */
__attribute__((noinline, noclone, used)) long rt_bench_hit(long i)
{
	__asm__ volatile("" : "+r"(i));
	return i + 1;
}

int main(int argc, char **argv)
{
	struct timespec a, b;
	long n, i, s = 0;
	FILE *f;

	if (argc != 3 || (n = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: call-loop N RESULT_FILE\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++)
		s += rt_bench_hit(i);
	clock_gettime(CLOCK_MONOTONIC, &b);
	f = fopen(argv[2], "w");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	fprintf(f, "%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
	return fclose(f) || !s ? 1 : 0;
}
