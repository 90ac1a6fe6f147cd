// SPDX-License-Identifier: GPL-2.0
/*
 * relay-test.c - the relay core in user space, under threads and nested writers.
 *
 * Each writer thread plays a CPU; SIGUSR1 delivered to it plays an interrupt whose handler
 * writes too.  A reader thread per buffer consumes sealed sub-buffers as they appear and
 * parses them with staprun's stream parser.  Reports through dejagnu.h.
 */
#include <dejagnu.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include "runtime/relayfs/relay_user.c"
#include "common/stream.h"

/** struct payload - what every test record carries */
struct payload {
	uint32_t cpu;
	uint32_t nested;	/* written from the signal handler */
	uint64_t seq;		/* per cpu and per nested flag */
	uint64_t check;		/* cpu ^ seq ^ magic, to spot torn records */
	char fill[200];
};

#define CHECK_MAGIC 0x5eed5eed5eedULL

static struct rt_relay_chan *chan;
static volatile int stop_writers;

/**
 * read_sealed - copy the oldest sealed sub-buffer of @buf into @st and claim it, as the
 * kernel's read() does; a copy lost to an overwriting writer is dropped
 */
static int read_sealed(struct rt_relay_buf *buf, struct rt_stream *st)
{
	unsigned long pos = __atomic_load_n(&buf->consumed, __ATOMIC_ACQUIRE);
	struct rt_subbuf_hdr *hdr = rt_relay_subbuf_ready(buf, pos);
	size_t n;
	char *p;

	if (!hdr)
		return 0;
	n = hdr->data_size;
	if (n < sizeof(*hdr) || n > buf->chan->subbuf_size)
		n = sizeof(*hdr);
	p = rt_stream_space(st, n);
	memcpy(p, hdr, n);
	if (rt_relay_claim(buf, pos))
		rt_stream_added(st, n);
	return 1;
}

/** write_rec - one record of @len payload bytes; 0 or -1 when dropped */
static int write_rec(uint32_t nested, uint64_t seq, size_t len)
{
	struct payload p = { .cpu = rt_user_cpu, .nested = nested, .seq = seq };

	p.check = p.cpu ^ seq ^ CHECK_MAGIC;
	memset(p.fill, (int)(seq & 0x7f), sizeof(p.fill));
	return rt_relay_write(chan, &p, len);
}

static void test_basic(void)
{
	struct rt_stream st;
	const struct rt_rec *r;
	uint64_t i, ok = 0, n = 2000;

	chan = rt_relay_user_open(1, 4096, 4, 0, NULL);
	rt_stream_init(&st);
	rt_user_cpu = 0;
	for (i = 0; i < n; i++) {
		if (write_rec(0, i, 24 + i % 200))
			fail("basic: write %llu dropped", (unsigned long long)i);
		while (read_sealed(chan->buf[0], &st))
			;
	}
	rt_relay_switch_local(chan->buf[0]);
	while (read_sealed(chan->buf[0], &st))
		;
	for (i = 0; !rt_stream_peek(&st, &r); i++, rt_stream_pop(&st)) {
		const struct payload *p = (const void *)r->data;

		if (r->len == 24 + i % 200 && p->seq == i && p->check == (i ^ CHECK_MAGIC))
			ok++;
	}
	if (ok == n && errno == EAGAIN)
		pass("basic: %llu records of varying size read back intact, padding removed",
		     (unsigned long long)n);
	else
		fail("basic: %llu of %llu records intact", (unsigned long long)ok,
		     (unsigned long long)n);
	rt_stream_release(&st);
	rt_relay_user_close(chan);
}

static int full_calls;
static void count_full(struct rt_relay_buf *buf)
{
	full_calls++;
}

static void test_full_and_big(void)
{
	struct rt_relay_callbacks cb = { .buf_full = count_full };
	struct rt_stream st;
	int dropped = 0, i;

	chan = rt_relay_user_open(1, 4096, 4, 0, &cb);
	rt_stream_init(&st);
	rt_user_cpu = 0;
	if (write_rec(0, 0, 4096 - sizeof(struct rt_subbuf_hdr)) &&
	    local_read(&chan->buf[0]->lost[RT_LOSS_TOO_BIG]) == 1)
		pass("a record larger than a sub-buffer is rejected and counted");
	else
		fail("a too-big record was not rejected and counted");
	for (i = 0; i < 200; i++)
		dropped += !!write_rec(0, i, 200);
	if (dropped && dropped == local_read(&chan->buf[0]->lost[RT_LOSS_FULL]) &&
	    full_calls == 1)
		pass("no-overwrite: %d writes to a full buffer fail, are counted, buf_full fires once",
		     dropped);
	else
		fail("no-overwrite: dropped %d, counted %ld, buf_full %d", dropped,
		     local_read(&chan->buf[0]->lost[RT_LOSS_FULL]), full_calls);
	read_sealed(chan->buf[0], &st);
	if (!write_rec(0, 1000, 200))
		pass("no-overwrite: writing resumes after a sub-buffer is consumed");
	else
		fail("no-overwrite: writing did not resume after consuming");
	for (i = 0; i < 200; i++)
		write_rec(0, i, 200);
	if (full_calls == 2)
		pass("buf_full fires again on the next transition into full");
	else
		fail("buf_full fired %d times over two transitions", full_calls);
	rt_stream_release(&st);
	rt_relay_user_close(chan);
}

#define NWRITERS	3
#define NRECS		200000

/**
 * struct writer - one "CPU"
 * @thread:  its thread
 * @lost:    its own writes that were dropped, [0] plain, [1] from the signal handler
 * @sent:    writes attempted, same split
 * @done:    finished writing
 */
struct writer {
	pthread_t thread;
	uint64_t lost[2];
	uint64_t sent[2];
	volatile int done;
};

static struct writer writers[NWRITERS];
static __thread struct writer *self;

static void on_sigusr1(int sig)
{
	if (!self)
		return;
	if (write_rec(1, self->sent[1], 32 + self->sent[1] % 100))
		self->lost[1]++;
	self->sent[1]++;
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	uint64_t i;

	rt_user_cpu = w - writers;
	self = w;
	/* keep writing until some signals have landed, so that nesting really happens */
	for (i = 0; i < NRECS || (__atomic_load_n(&w->sent[1], __ATOMIC_RELAXED) < 10 &&
				  i < 50 * NRECS); i++) {
		if (write_rec(0, i, 32 + i % 180))
			__atomic_add_fetch(&w->lost[0], 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&w->sent[0], 1, __ATOMIC_RELAXED);
	}
	self = NULL;
	w->done = 1;
	return NULL;
}

/**
 * struct reader - consumes one buffer concurrently and checks what it parses
 * @st:      the parsed stream
 * @next:    next expected seq, plain and nested
 * @got:     records read, plain and nested
 * @gaps:    records missing from the sequences
 * @bad:     torn or out-of-order records
 */
struct reader {
	pthread_t thread;
	unsigned int cpu;
	struct rt_stream st;
	uint64_t next[2], got[2], gaps[2], bad;
};

static struct reader readers[NWRITERS];

static void check_records(struct reader *r)
{
	const struct rt_rec *rec;

	while (!rt_stream_peek(&r->st, &rec)) {
		const struct payload *p = (const void *)rec->data;
		unsigned int k = p->nested & 1;

		if (p->cpu != r->cpu || p->check != (p->cpu ^ p->seq ^ CHECK_MAGIC) ||
		    p->seq < r->next[k] || p->fill[0] != (char)(p->seq & 0x7f))
			r->bad++;
		else {
			r->gaps[k] += p->seq - r->next[k];
			r->next[k] = p->seq + 1;
			r->got[k]++;
		}
		rt_stream_pop(&r->st);
	}
	if (errno != EAGAIN)
		r->bad++;
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	struct rt_relay_buf *buf = chan->buf[r->cpu];

	for (;;) {
		int done = writers[r->cpu].done;

		while (read_sealed(buf, &r->st))
			check_records(r);
		if (done)
			break;
		sched_yield();
	}
	return NULL;
}

static void *interrupter_main(void *arg)
{
	int i, all;

	do {
		all = 1;
		for (i = 0; i < NWRITERS; i++) {
			if (!writers[i].done) {
				pthread_kill(writers[i].thread, SIGUSR1);
				all = 0;
			}
		}
		usleep(20);
	} while (!all);
	return NULL;
}

static void test_threads(unsigned long flags, const char *mode)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	pthread_t intr;
	uint64_t lost, sent, got, nested = 0;
	int i, k, ok;

	sigaction(SIGUSR1, &sa, NULL);
	memset(writers, 0, sizeof(writers));
	memset(readers, 0, sizeof(readers));
	chan = rt_relay_user_open(NWRITERS, 16384, 8, flags, NULL);
	for (i = 0; i < NWRITERS; i++) {
		readers[i].cpu = i;
		rt_stream_init(&readers[i].st);
		pthread_create(&writers[i].thread, NULL, writer_main, &writers[i]);
		pthread_create(&readers[i].thread, NULL, reader_main, &readers[i]);
	}
	pthread_create(&intr, NULL, interrupter_main, NULL);
	pthread_join(intr, NULL);
	for (i = 0; i < NWRITERS; i++) {
		pthread_join(writers[i].thread, NULL);
		pthread_join(readers[i].thread, NULL);
	}
	for (i = 0; i < NWRITERS; i++) {
		struct rt_relay_buf *buf = chan->buf[i];
		struct reader *r = &readers[i];

		rt_relay_switch_local(buf);
		while (read_sealed(buf, &r->st))
			check_records(r);
		lost = 0;
		for (k = 0; k < RT_LOSS_NR; k++)
			lost += local_read(&buf->lost[k]);
		sent = writers[i].sent[0] + writers[i].sent[1];
		got = r->got[0] + r->got[1];
		nested += writers[i].sent[1];
		ok = !r->bad && got + lost == sent &&
		     (uint64_t)local_read(&buf->written) ==
			     got + local_read(&buf->lost[RT_LOSS_OVERWRITTEN]) &&
		     r->gaps[0] + r->gaps[1] + (writers[i].sent[0] - r->next[0]) +
			     (writers[i].sent[1] - r->next[1]) == lost;
		if (ok)
			pass("%s: cpu%d: %llu records sent (%llu nested), %llu read, %llu lost: exact",
			     mode, i, (unsigned long long)sent, (unsigned long long)writers[i].sent[1],
			     (unsigned long long)got, (unsigned long long)lost);
		else
			fail("%s: cpu%d: sent %llu, read %llu, lost %llu, written %ld, bad %llu",
			     mode, i, (unsigned long long)sent, (unsigned long long)got,
			     (unsigned long long)lost, local_read(&buf->written),
			     (unsigned long long)r->bad);
		rt_stream_release(&r->st);
	}
	if (nested)
		pass("%s: %llu writes nested inside other writes", mode, (unsigned long long)nested);
	else
		fail("%s: no nested writes happened", mode);
	rt_relay_user_close(chan);
}

/** test_overwrite_dump - flight recorder: the newest records survive, whole, in order */
static void test_overwrite_dump(void)
{
	struct rt_stream st;
	const struct rt_rec *r;
	uint64_t i, n = 10000, first = 0, got = 0, bad = 0, over;

	chan = rt_relay_user_open(1, 4096, 4, RT_RELAY_OVERWRITE, NULL);
	rt_stream_init(&st);
	rt_user_cpu = 0;
	for (i = 0; i < n; i++)
		if (write_rec(0, i, 40 + i % 64))
			bad++;
	rt_relay_switch_local(chan->buf[0]);
	while (read_sealed(chan->buf[0], &st))
		;
	for (; !rt_stream_peek(&st, &r); rt_stream_pop(&st)) {
		const struct payload *p = (const void *)r->data;

		if (!got)
			first = p->seq;
		if (p->seq != first + got || p->check != (p->seq ^ CHECK_MAGIC))
			bad++;
		got++;
	}
	over = local_read(&chan->buf[0]->lost[RT_LOSS_OVERWRITTEN]);
	if (!bad && first + got == n && over == first && st.sb_gaps == 0)
		pass("overwrite: writes never fail; the dump holds records %llu..%llu intact and "
		     "in order, %llu counted overwritten", (unsigned long long)first,
		     (unsigned long long)(n - 1), (unsigned long long)over);
	else
		fail("overwrite: dump from %llu, %llu records, %llu bad, %llu overwritten",
		     (unsigned long long)first, (unsigned long long)got, (unsigned long long)bad,
		     (unsigned long long)over);
	rt_stream_release(&st);
	rt_relay_user_close(chan);
}

/**
 * test_nested_stall - a writer nested under an open reservation wraps the whole buffer:
 * it must not enter the sub-buffer still being written; those records count as nested
 */
static void test_nested_stall(void)
{
	struct rt_relay_ctx ctx;
	struct rt_stream st;
	const struct rt_rec *r;
	uint64_t i, dropped = 0, got = 0;
	void *p;

	chan = rt_relay_user_open(1, 4096, 4, RT_RELAY_OVERWRITE, NULL);
	rt_stream_init(&st);
	rt_user_cpu = 0;
	p = rt_relay_reserve(chan, &ctx, 64);
	for (i = 0; i < 1000; i++)
		dropped += !!write_rec(1, i, 200);
	memset(p, 0xab, 64);
	rt_relay_commit(&ctx);
	rt_relay_switch_local(chan->buf[0]);
	while (read_sealed(chan->buf[0], &st))
		;
	while (!rt_stream_peek(&st, &r)) {
		got++;
		rt_stream_pop(&st);
	}
	if (dropped && dropped == (uint64_t)local_read(&chan->buf[0]->lost[RT_LOSS_NESTED]) &&
	    errno == EAGAIN && got + dropped + local_read(&chan->buf[0]->lost[RT_LOSS_OVERWRITTEN]) == 1001)
		pass("nested writers never enter a sub-buffer with an open reservation: %llu counted",
		     (unsigned long long)dropped);
	else
		fail("nested stall: dropped %llu, nested %ld, read %llu", (unsigned long long)dropped,
		     local_read(&chan->buf[0]->lost[RT_LOSS_NESTED]), (unsigned long long)got);
	rt_stream_release(&st);
	rt_relay_user_close(chan);
}

static void stamp_subbuf(struct rt_relay_buf *buf, void *subbuf)
{
	memcpy((char *)subbuf + sizeof(struct rt_subbuf_hdr), "CLIENTHDR", 10);
}

/** test_start_reserve - a client header after every sub-buffer header, records intact */
static void test_start_reserve(void)
{
	struct rt_relay_callbacks cb = { .subbuf_start = stamp_subbuf };
	struct rt_subbuf_hdr *h;
	struct rt_stream st;
	const struct rt_rec *r;
	uint64_t i, got = 0, stamped = 0;
	int early, late;

	chan = rt_relay_user_open(1, 4096, 4, 0, &cb);
	rt_stream_init(&st);
	rt_user_cpu = 0;
	early = rt_relay_subbuf_start_reserve(chan->buf[0], 10);
	for (i = 0; i < 100; i++) {
		write_rec(0, i, 64);
		while ((h = rt_relay_subbuf_ready(chan->buf[0], chan->buf[0]->consumed))) {
			stamped += h->hdr_size == sizeof(*h) + 16 &&
				   !memcmp((char *)h + sizeof(*h), "CLIENTHDR", 10);
			read_sealed(chan->buf[0], &st);
		}
	}
	late = rt_relay_subbuf_start_reserve(chan->buf[0], 10);
	while (!rt_stream_peek(&st, &r)) {
		got += r->len == 64;
		rt_stream_pop(&st);
	}
	if (!early && late == -EBUSY && stamped > 0 && got > 0 && errno == EAGAIN)
		pass("subbuf_start_reserve: %llu sub-buffers carry the client header, records parse",
		     (unsigned long long)stamped);
	else
		fail("subbuf_start_reserve: early %d late %d stamped %llu records %llu", early, late,
		     (unsigned long long)stamped, (unsigned long long)got);
	rt_stream_release(&st);
	rt_relay_user_close(chan);
}

int main(void)
{
	test_start_reserve();
	test_basic();
	test_full_and_big();
	test_overwrite_dump();
	test_nested_stall();
	test_threads(0, "no-overwrite threads");
	test_threads(RT_RELAY_OVERWRITE, "overwrite threads");
	totals();
	return 0;
}
