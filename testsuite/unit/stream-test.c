// SPDX-License-Identifier: GPL-2.0
/*
 * stream-test.c - unit tests of the sub-buffer stream parser and the timestamp merge.
 * Reports through dejagnu.h; run by relaytap.unit/unit.exp.
 */
#include <dejagnu.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "common/stream.h"

/** struct sb - a sub-buffer under construction */
struct sb {
	char buf[4096];
	size_t len;
};

static void sb_start(struct sb *s, uint32_t cpu, uint64_t seq)
{
	struct rt_subbuf_hdr h = {
		.magic = RT_SUBBUF_MAGIC, .version = RT_SUBBUF_VERSION, .hdr_size = sizeof(h),
		.cpu = cpu, .seq = seq,
	};

	memcpy(s->buf, &h, sizeof(h));
	s->len = sizeof(h);
}

static void sb_rec(struct sb *s, uint64_t ts, uint16_t type, const char *text)
{
	struct rt_rec_hdr r = { .ts = ts, .len = strlen(text), .type = type };

	memset(s->buf + s->len, 0, RT_REC_SIZE(r.len));
	memcpy(s->buf + s->len, &r, sizeof(r));
	memcpy(s->buf + s->len + sizeof(r), text, r.len);
	s->len += RT_REC_SIZE(r.len);
}

static void sb_end(struct sb *s)
{
	((struct rt_subbuf_hdr *)s->buf)->data_size = s->len;
}

static void feed(struct rt_stream *st, const void *p, size_t n)
{
	memcpy(rt_stream_space(st, n), p, n);
	rt_stream_added(st, n);
}

/** struct sink - merged output collected as a string */
struct sink {
	char text[4096];
	size_t len;
};

static int collect(void *arg, const struct rt_rec *rec)
{
	struct sink *k = arg;

	memcpy(k->text + k->len, rec->data, rec->len);
	k->len += rec->len;
	k->text[k->len] = '\0';
	return 0;
}

static void test_merge_order(void)
{
	struct rt_merge m;
	struct sink k = { .len = 0 };
	struct sb a, b;
	int n;

	rt_merge_init(&m, 2);
	sb_start(&a, 0, 0);
	sb_rec(&a, 10, RT_REC_DATA, "a10 ");
	sb_rec(&a, 30, RT_REC_DATA, "a30 ");
	sb_end(&a);
	feed(&m.streams[0], a.buf, a.len);
	n = rt_merge_run(&m, 0, collect, &k);
	if (n == 0 && !k.len)
		pass("live merge holds back records a silent cpu may precede");
	else
		fail("live merge emitted %d records '%s' before cpu1 spoke", n, k.text);
	sb_start(&b, 1, 0);
	sb_rec(&b, 20, RT_REC_DATA, "b20 ");
	sb_rec(&b, 30, RT_REC_DATA, "b30 ");
	sb_rec(&b, 40, RT_REC_BEAT, "");
	sb_end(&b);
	feed(&m.streams[1], b.buf, b.len);
	rt_merge_run(&m, 0, collect, &k);
	if (!strcmp(k.text, "a10 b20 a30 "))
		pass("live merge orders by timestamp and waits on a tie with a lower cpu");
	else
		fail("live merge order is '%s'", k.text);
	rt_merge_run(&m, 1, collect, &k);
	if (!strcmp(k.text, "a10 b20 a30 b30 "))
		pass("final merge emits the rest, ties broken by cpu");
	else
		fail("final merge order is '%s'", k.text);
	rt_merge_release(&m);
}

/* an offline CPU's stream (its last word an RT_REC_OFFLINE mark) holds no merge back,
 * and it holds the merge back again once it speaks (a CPU back online) */
static void test_merge_offline(void)
{
	struct rt_merge m;
	struct sink k = { .len = 0 };
	struct sb a, b, c;

	rt_merge_init(&m, 2);
	sb_start(&b, 1, 0);
	sb_rec(&b, 5, RT_REC_OFFLINE, "");
	sb_end(&b);
	feed(&m.streams[1], b.buf, b.len);
	sb_start(&a, 0, 0);
	sb_rec(&a, 10, RT_REC_DATA, "a10 ");
	sb_rec(&a, 30, RT_REC_DATA, "a30 ");
	sb_end(&a);
	feed(&m.streams[0], a.buf, a.len);
	rt_merge_run(&m, 0, collect, &k);
	if (!strcmp(k.text, "a10 a30 "))
		pass("live merge does not wait on an offline cpu");
	else
		fail("live merge with cpu1 offline gave '%s'", k.text);
	sb_start(&c, 1, 1);
	sb_rec(&c, 40, RT_REC_BEAT, "");
	sb_end(&c);
	feed(&m.streams[1], c.buf, c.len);
	sb_start(&a, 0, 1);
	sb_rec(&a, 50, RT_REC_DATA, "a50 ");
	sb_end(&a);
	feed(&m.streams[0], a.buf, a.len);
	rt_merge_run(&m, 0, collect, &k);
	if (!strcmp(k.text, "a10 a30 "))
		pass("a cpu back online holds the merge back again");
	else
		fail("live merge after cpu1 came back gave '%s'", k.text);
	rt_merge_release(&m);
}

static void test_split_feed(void)
{
	struct rt_merge m;
	struct sink k = { .len = 0 };
	struct sb a;
	size_t i;

	rt_merge_init(&m, 1);
	sb_start(&a, 0, 0);
	sb_rec(&a, 1, RT_REC_DATA, "hello ");
	sb_rec(&a, 2, RT_REC_DATA, "world\n");
	sb_end(&a);
	for (i = 0; i < a.len; i++) {
		feed(&m.streams[0], a.buf + i, 1);
		if (rt_merge_run(&m, 0, collect, &k) < 0)
			break;
	}
	rt_merge_run(&m, 1, collect, &k);
	if (!strcmp(k.text, "hello world\n"))
		pass("a stream fed one byte at a time parses the same");
	else
		fail("byte-wise stream gave '%s'", k.text);
	rt_merge_release(&m);
}

/** expect_corrupt - feeding @a to a fresh stream must fail with EBADMSG at @off */
static void expect_corrupt(const char *what, const struct sb *a, uint64_t off)
{
	struct rt_merge m;
	struct sink k = { .len = 0 };
	int n;

	rt_merge_init(&m, 1);
	feed(&m.streams[0], a->buf, a->len);
	n = rt_merge_run(&m, 1, collect, &k);
	if (n < 0 && errno == EBADMSG && rt_stream_error_offset(&m.streams[0]) == off)
		pass("%s is reported at offset %llu", what, (unsigned long long)off);
	else
		fail("%s: merge returned %d, offset %llu", what, n,
		     (unsigned long long)rt_stream_error_offset(&m.streams[0]));
	rt_merge_release(&m);
}

static void test_corrupt(void)
{
	struct sb a;

	sb_start(&a, 0, 0);
	sb_rec(&a, 5, RT_REC_DATA, "x");
	sb_end(&a);
	a.buf[0] ^= 0xff;
	expect_corrupt("bad sub-buffer magic", &a, 0);

	sb_start(&a, 0, 0);
	sb_rec(&a, 5, RT_REC_DATA, "xyz");
	sb_end(&a);
	((struct rt_rec_hdr *)(a.buf + sizeof(struct rt_subbuf_hdr)))->len = 4000;
	expect_corrupt("record length past the sub-buffer end", &a, sizeof(struct rt_subbuf_hdr));

	sb_start(&a, 0, 0);
	sb_rec(&a, 9, RT_REC_DATA, "a");
	sb_rec(&a, 8, RT_REC_DATA, "b");
	sb_end(&a);
	expect_corrupt("timestamp going backwards", &a, sizeof(struct rt_subbuf_hdr) + 24);
}

/** struct order - merged records as (ts, cpu, seq), to check the order */
struct order {
	uint64_t key[4096][3];
	unsigned int n;
};

static int note_key(void *arg, const struct rt_rec *rec)
{
	struct order *o = arg;

	o->key[o->n][0] = rec->ts;
	o->key[o->n][1] = rec->cpu;
	o->key[o->n][2] = rec->seq;
	o->n++;
	return 0;
}

/*
 * test_merge_many - @n streams (any count, not only powers of two), timestamps with many
 * ties across CPUs, fed one record's sub-buffer at a time in a scrambled stream order
 * with a live merge after each: the output is every record, ordered by (ts, cpu, seq).
 */
static void test_merge_many(unsigned int n, int in_place)
{
	static struct order o;
	unsigned int i, j, per = 4096 / n, fed, ok = 1;
	unsigned int *next = calloc(n, sizeof(*next));
	struct sb *a = calloc(per * n, sizeof(*a));
	uint64_t given = 0;
	struct rt_merge m;
	int r;

	o.n = 0;
	rt_merge_init(&m, n);
	for (i = 0; in_place && i < n; i++)
		ok &= !rt_stream_segments(&m.streams[i], 4096);
	for (fed = 0; fed < per * n; fed++) {
		i = (fed * 7919u) % n;		/* a stream order no merge would guess */
		while (next[i] == per)
			i = (i + 1) % n;
		sb_start(&a[fed], i, next[i]);
		sb_rec(&a[fed], (next[i] + i % 3) / 2, RT_REC_DATA, "x");
		sb_end(&a[fed]);
		if (in_place)
			ok &= !rt_stream_feed(&m.streams[i], a[fed].buf, a[fed].len);
		else
			feed(&m.streams[i], a[fed].buf, a[fed].len);
		next[i]++;
		r = rt_merge_run(&m, 0, note_key, &o);
		ok &= r >= 0;
	}
	ok &= rt_merge_run(&m, 1, note_key, &o) >= 0;
	ok &= o.n == per * n;
	for (i = 0; i < n; i++)
		given += m.streams[i].seg_done;
	ok &= given == (in_place ? per * n : 0);
	for (j = 1; ok && j < o.n; j++)
		ok = (o.key[j - 1][0] < o.key[j][0] ||
		      (o.key[j - 1][0] == o.key[j][0] && (o.key[j - 1][1] < o.key[j][1] ||
		       (o.key[j - 1][1] == o.key[j][1] && o.key[j - 1][2] < o.key[j][2]))));
	if (ok)
		pass("merge: %u streams%s, live, ties across cpus: every record in (ts, cpu, seq) order",
		     n, in_place ? " in place" : "");
	else
		fail("merge: %u streams%s: %u of %u records, order broken at %u, %llu given back",
		     n, in_place ? " in place" : "", o.n, per * n, j, (unsigned long long)given);
	rt_merge_release(&m);
	free(next);
	free(a);
}

/*
 * test_segments - sub-buffers merged where they lie: each is given back once its last
 * record was popped, a held one survives its original being overwritten after
 * rt_stream_copy_out(), a full queue grows (the copies stay queued while staprun takes
 * the sub-buffers they gave back: issue 18 review), and a data_size that differs from the
 * bytes fed is EBADMSG.
 */
static void test_segments(void)
{
	struct rt_merge m;
	struct sink k = { .len = 0 };
	struct sb a, b, c, d;
	int ok;

	rt_merge_init(&m, 2);
	rt_stream_segments(&m.streams[0], 2);
	rt_stream_segments(&m.streams[1], 2);
	sb_start(&a, 0, 0);
	sb_rec(&a, 10, RT_REC_DATA, "a10 ");
	sb_rec(&a, 30, RT_REC_DATA, "a30 ");
	sb_end(&a);
	sb_start(&b, 1, 0);
	sb_rec(&b, 20, RT_REC_DATA, "b20 ");
	sb_rec(&b, 30, RT_REC_DATA, "b30 ");
	sb_end(&b);
	rt_stream_feed(&m.streams[0], a.buf, a.len);
	rt_stream_feed(&m.streams[1], b.buf, b.len);
	rt_merge_run(&m, 0, collect, &k);
	if (!strcmp(k.text, "a10 b20 a30 ") && m.streams[0].seg_done == 1 &&
	    m.streams[1].seg_done == 0)
		pass("in place: a sub-buffer is given back after its last record, not before");
	else
		fail("in place: merged '%s', given back %llu and %llu", k.text,
		     (unsigned long long)m.streams[0].seg_done,
		     (unsigned long long)m.streams[1].seg_done);
	sb_start(&c, 1, 1);
	sb_rec(&c, 50, RT_REC_DATA, "b50 ");
	sb_end(&c);
	sb_start(&d, 1, 2);
	sb_rec(&d, 60, RT_REC_DATA, "b60 ");
	sb_end(&d);
	ok = !rt_stream_feed(&m.streams[1], c.buf, c.len);
	ok &= !rt_stream_copy_out(&m.streams[1], 0) && m.streams[1].seg_done == 2;
	/* both were given back, so staprun takes the next one while the copies are queued */
	ok &= !rt_stream_feed(&m.streams[1], d.buf, d.len) && m.streams[1].seg_n == 3;
	memset(b.buf, 0xa5, sizeof(b.buf));	/* the relay reused the given-back sub-buffers */
	memset(c.buf, 0xa5, sizeof(c.buf));
	rt_merge_run(&m, 1, collect, &k);
	if (ok && !strcmp(k.text, "a10 b20 a30 b30 b50 b60 ") && m.streams[1].seg_done == 3)
		pass("in place: copied-out sub-buffers are given back and merge from the copy");
	else
		fail("in place: queue/copy-out %d, merged '%s'", ok, k.text);
	rt_merge_release(&m);

	rt_merge_init(&m, 1);
	rt_stream_segments(&m.streams[0], 4);
	rt_stream_feed(&m.streams[0], a.buf, a.len - 8);
	if (rt_merge_run(&m, 1, collect, &k) < 0 && errno == EBADMSG &&
	    !strcmp(rt_stream_error_what(&m.streams[0]),
		    "sub-buffer data_size differs from the bytes fed"))
		pass("in place: a sub-buffer shorter than its data_size is EBADMSG");
	else
		fail("in place: a short sub-buffer gave '%s'", rt_stream_error_what(&m.streams[0]));
	rt_merge_release(&m);
}

int main(void)
{
	test_merge_order();
	test_merge_many(1, 0);
	test_merge_many(5, 0);
	test_merge_many(64, 0);
	test_merge_many(257, 0);
	test_merge_many(5, 1);
	test_merge_many(257, 1);
	test_segments();
	test_merge_offline();
	test_split_feed();
	test_corrupt();
	totals();
	return 0;
}
