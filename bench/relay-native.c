// SPDX-License-Identifier: GPL-2.0
/*
 * relay-native.c - ns per record of the relay's write path, built in user space, against
 * the floor of any timestamped logger: rdtsc plus memcpy into a ring.
 *
 * Output: one line per record size, "size floor_ns ours_ns ratio" (medians of 5 runs).
 */
#include <stdio.h>
#include <time.h>
#include "runtime/relayfs/relay_user.c"

#define N	(4 * 1000 * 1000)
#define RUNS	5
#define RING	(4u << 20)

static unsigned char ring[RING] __attribute__((aligned(64)));
static unsigned char payload[512];
static volatile uint64_t sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/** floor_run - rdtsc + 16-byte header + memcpy per record into a ring; ns per record */
static double floor_run(unsigned long len)
{
	unsigned long off = 0, i, size = (16 + len + 7) & ~7UL;
	double t0 = now_ns();

	for (i = 0; i < N; i++) {
		uint64_t h[2] = { __rdtsc(), len };

		memcpy(ring + off, h, sizeof(h));
		memcpy(ring + off + 16, payload, len);
		off = (off + size) & (RING - 1);
		if (off + size > RING)
			off = 0;
	}
	sink += ring[off];
	return (now_ns() - t0) / N;
}

/** ours_run - rt_relay_write() into an overwrite channel of 16 x 256 KiB; ns per record */
static double ours_run(unsigned long len)
{
	struct rt_relay_chan *chan = rt_relay_user_open(1, 256 << 10, 16, RT_RELAY_OVERWRITE, NULL);
	unsigned long i;
	double t0, t;

	rt_user_cpu = 0;
	t0 = now_ns();
	for (i = 0; i < N; i++)
		rt_relay_write(chan, payload, len);
	t = (now_ns() - t0) / N;
	rt_relay_user_close(chan);
	return t;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	static const unsigned long sizes[] = { 16, 32, 64, 256 };
	double f[RUNS], o[RUNS];
	unsigned int s, r;

	printf("# size floor_ns ours_ns ratio\n");
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (r = 0; r < RUNS; r++) {
			f[r] = floor_run(sizes[s]);
			o[r] = ours_run(sizes[s]);
		}
		qsort(f, RUNS, sizeof(double), cmp);
		qsort(o, RUNS, sizeof(double), cmp);
		printf("%lu %.2f %.2f %.2f\n", sizes[s], f[RUNS / 2], o[RUNS / 2],
		       o[RUNS / 2] / f[RUNS / 2]);
	}
	return 0;
}
