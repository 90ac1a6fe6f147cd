// SPDX-License-Identifier: GPL-2.0
/*
 * reader-test.c - staprun's mmap reader (staprun/reader.c) with the in-place merge, against
 * a no-overwrite relay simulated in memory: each CPU's mapping holds N_SUBBUFS sub-buffers,
 * the "module" seals one only into a slot that was given back (RT_MSG_CONSUMED), and
 * poisons each slot as soon as it is given back, as the relay reuses it.  A merge held back
 * by a quiet CPU must neither fail nor read a given-back slot; every record comes out
 * once, in (ts, cpu) order.  Reports through dejagnu.h; run by relaytap.unit/unit.exp.
 */
#include <dejagnu.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "staprun/staprun.h"

#define SUBBUF		1024
#define N_SUBBUFS	8
#define NCPU		4
#define PAYLOAD		16

static char maps[NCPU][SUBBUF * N_SUBBUFS] __attribute__((aligned(4096)));
static uint64_t sealed[NCPU], acked[NCPU], written[NCPU], seen[NCPU];
static uint64_t clk, last_ts, emitted, bad, full;
static unsigned int last_cpu;

/* the control channel: CONSUMED gives slots back; the relay reuses (poisons) them */
int rt_ctl_send(struct rt_ctl_conn *c, uint32_t type, const void *payload, uint32_t len)
{
	const struct rt_msg_consumed *m = payload;
	uint32_t i;

	(void)c;
	if (type != RT_MSG_CONSUMED || len != sizeof(*m) || m->cpu >= NCPU)
		return 0;
	for (i = 0; i < m->n; i++, acked[m->cpu]++)
		memset(maps[m->cpu] + (acked[m->cpu] % N_SUBBUFS) * SUBBUF, 0xa5, SUBBUF);
	if (acked[m->cpu] > sealed[m->cpu])
		bad++;
	return 0;
}

void rt_outfile_abort(struct rt_outfile *f)
{
	(void)f;
}

/* the module: seal one sub-buffer of @nrec records (a heartbeat when 0), if there is room */
static void seal(unsigned int cpu, int nrec)
{
	char *p = maps[cpu] + (sealed[cpu] % N_SUBBUFS) * SUBBUF;
	struct rt_subbuf_hdr *h = (void *)p;
	struct rt_rec_hdr r;
	size_t off = sizeof(*h);

	if (sealed[cpu] - acked[cpu] == N_SUBBUFS) {
		full++;
		return;
	}
	*h = (struct rt_subbuf_hdr){ .magic = RT_SUBBUF_MAGIC, .version = RT_SUBBUF_VERSION,
				     .hdr_size = sizeof(*h), .cpu = cpu, .seq = sealed[cpu] };
	for (; nrec > 0 && off + RT_REC_SIZE(PAYLOAD) <= SUBBUF; nrec--) {
		clk += rand() % 3;
		r = (struct rt_rec_hdr){ .ts = clk, .len = PAYLOAD, .type = RT_REC_DATA };
		memcpy(p + off, &r, sizeof(r));
		snprintf(p + off + sizeof(r), PAYLOAD + 1, "%u:%014llu", cpu,
			 (unsigned long long)written[cpu]++);
		off += RT_REC_SIZE(PAYLOAD);
	}
	if (off == sizeof(*h)) {
		r = (struct rt_rec_hdr){ .ts = ++clk, .type = RT_REC_BEAT };
		memcpy(p + off, &r, sizeof(r));
		off += RT_REC_SIZE(0);
	}
	h->data_size = off;
	__atomic_store_n(&h->sealed, sealed[cpu] + 1, __ATOMIC_RELEASE);
	sealed[cpu]++;
}

/* the merge's output: each CPU's records once, in order, and (ts, cpu) never decreasing */
static int emit(void *arg, const struct rt_rec *r)
{
	unsigned long long n;
	unsigned int c;

	(void)arg;
	if (r->len != PAYLOAD || sscanf(r->data, "%u:%14llu", &c, &n) != 2 || c != r->cpu ||
	    c >= NCPU || n != seen[c])
		bad++;
	else
		seen[c]++;
	if (emitted && (r->ts < last_ts || (r->ts == last_ts && r->cpu < last_cpu)))
		bad++;
	last_ts = r->ts;
	last_cpu = r->cpu;
	emitted++;
	return 0;
}

/* rt_session_pump()'s three steps; -1 with errno */
static int pump(struct rt_session *s, ssize_t *taken)
{
	unsigned int cpu;
	ssize_t n;

	*taken = 0;
	for (cpu = 0; cpu < NCPU; cpu++) {
		n = rt_reader_take(s, cpu);
		if (n < 0)
			return -1;
		*taken += n;
	}
	if (rt_merge_run(&s->merge, 0, emit, NULL) < 0)
		return -1;
	return rt_readers_give_back(s, RT_KEEP_IN_PLACE);
}

/* one session: CPUs busy in turn while the others are mostly quiet; then the drain */
static void run(unsigned int seed)
{
	static struct rt_opts opts;
	struct rt_session s = { .opts = &opts };
	unsigned int cpu, round;
	uint64_t total = 0;
	const char *err = NULL;
	ssize_t n;
	int k;

	srand(seed);
	memset(maps, 0, sizeof(maps));
	memset(sealed, 0, sizeof(sealed));
	memset(acked, 0, sizeof(acked));
	memset(written, 0, sizeof(written));
	memset(seen, 0, sizeof(seen));
	clk = last_ts = emitted = bad = full = 0;
	s.info = (struct rt_msg_transport_info){ .nr_cpus = NCPU, .subbuf_size = SUBBUF,
						 .n_subbufs = N_SUBBUFS, .procfs = 1 };
	s.cpus = calloc(NCPU, sizeof(*s.cpus));
	if (!s.cpus || rt_merge_init(&s.merge, NCPU)) {
		fail("reader: seed %u: setup", seed);
		return;
	}
	for (cpu = 0; cpu < NCPU; cpu++) {
		s.cpus[cpu].fd = 0;
		s.cpus[cpu].map = maps[cpu];
		rt_stream_segments(&s.merge.streams[cpu], N_SUBBUFS);
	}
	for (round = 0; round < 2000 && !err; round++) {
		for (cpu = 0; cpu < NCPU; cpu++)
			for (k = rand() % 4; k > 0; k--)
				seal(cpu, cpu == (round / 200) % NCPU ? 1 + rand() % 60 :
					  rand() % 5 ? 0 : 1 + rand() % 5);
		if (pump(&s, &n))
			err = strerror(errno);
	}
	do {
		if (!err && pump(&s, &n))
			err = strerror(errno);
	} while (!err && n > 0);
	if (!err && (rt_merge_run(&s.merge, 1, emit, NULL) < 0 || rt_readers_give_back(&s, 0)))
		err = strerror(errno);
	for (cpu = 0; cpu < NCPU; cpu++) {
		total += written[cpu];
		if (acked[cpu] != sealed[cpu])
			bad++;
	}
	if (!err && !bad && emitted == total)
		pass("reader: seed %u: %llu records in place, in order, each once, all given back",
		     seed, (unsigned long long)total);
	else
		fail("reader: seed %u: %s; %llu of %llu records, %llu wrong", seed,
		     err ? err : "no error", (unsigned long long)emitted,
		     (unsigned long long)total, (unsigned long long)bad);
	rt_merge_release(&s.merge);
	free(s.cpus);
}

int main(void)
{
	unsigned int seed;

	for (seed = 1; seed <= 8; seed++)
		run(seed);
	totals();
	return 0;
}
