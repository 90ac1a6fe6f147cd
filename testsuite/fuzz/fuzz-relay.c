// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-relay.c - libFuzzer target: the relay core driven by arbitrary operation streams.
 *
 * Byte 0 picks the mode and geometry; each later byte is an operation: write a record
 * (possibly too big), open a reservation (later writes nest under it), commit the newest
 * open reservation, flush, or read.  At the end every reservation is committed, the
 * buffer flushed and drained, and the invariants checked; any violation aborts.
 */
#include <stdio.h>
#include "runtime/relayfs/relay_user.c"
#include "common/stream.h"

#define MAXOPEN 4

struct state {
	struct rt_relay_chan *chan;
	struct rt_stream st;
	struct rt_relay_ctx open[MAXOPEN];
	unsigned char *open_p[MAXOPEN];
	unsigned long open_len[MAXOPEN];
	uint64_t open_seq[MAXOPEN];
	int nopen;
	uint64_t seq, attempts;
};

static void fill(unsigned char *p, unsigned long len, uint64_t seq)
{
	unsigned long i;

	memcpy(p, &seq, len < 8 ? len : 8);
	for (i = 8; i < len; i++)
		p[i] = (unsigned char)(seq + i);
}

static int intact(const unsigned char *p, unsigned long len, uint64_t *seq)
{
	unsigned long i;

	if (len < 8)
		return 1;
	memcpy(seq, p, 8);
	for (i = 8; i < len; i++)
		if (p[i] != (unsigned char)(*seq + i))
			return 0;
	return 1;
}

static void drain(struct state *s)
{
	struct rt_relay_buf *buf = s->chan->buf[0];
	struct rt_subbuf_hdr *h;
	unsigned long pos;

	for (;;) {
		pos = buf->consumed;
		h = rt_relay_subbuf_ready(buf, pos);
		if (!h)
			return;
		if (h->data_size < sizeof(*h) || h->data_size > s->chan->subbuf_size)
			abort();
		memcpy(rt_stream_space(&s->st, h->data_size), h, h->data_size);
		if (rt_relay_claim(buf, pos))
			rt_stream_added(&s->st, h->data_size);
	}
}

static void op(struct state *s, unsigned char b)
{
	unsigned long len = 8 + (b & 0x1f) * 24;
	unsigned char *p;

	switch (b >> 5) {
	case 0: case 1: case 2:
		s->attempts++;
		p = rt_relay_reserve(s->chan, &s->open[MAXOPEN - 1], len);
		if (p) {
			fill(p, len, s->seq);
			rt_relay_commit(&s->open[MAXOPEN - 1]);
		}
		s->seq++;
		break;
	case 3:
		if (s->nopen == MAXOPEN - 1)
			break;
		s->attempts++;
		p = rt_relay_reserve(s->chan, &s->open[s->nopen], len);
		if (p) {
			s->open_p[s->nopen] = p;
			s->open_len[s->nopen] = len;
			s->open_seq[s->nopen++] = s->seq;
		}
		s->seq++;
		break;
	case 4:
		if (!s->nopen)
			break;
		s->nopen--;
		fill(s->open_p[s->nopen], s->open_len[s->nopen], s->open_seq[s->nopen]);
		rt_relay_commit(&s->open[s->nopen]);
		break;
	case 5:
		rt_relay_switch_local(s->chan->buf[0]);
		break;
	default:
		drain(s);
		break;
	}
}

static void check(struct state *s)
{
	struct rt_relay_buf *buf = s->chan->buf[0];
	const struct rt_rec *r;
	uint64_t got = 0, seq, lost = 0;
	int k;

	while (!rt_stream_peek(&s->st, &r)) {
		if (!intact((const unsigned char *)r->data, r->len, &seq))
			abort();
		got++;
		rt_stream_pop(&s->st);
	}
	if (errno != EAGAIN)
		abort();
	for (k = 0; k < RT_LOSS_NR; k++)
		lost += local_read(&buf->lost[k]);
	if ((uint64_t)local_read(&buf->written) != got + local_read(&buf->lost[RT_LOSS_OVERWRITTEN]))
		abort();
	if (got + lost != s->attempts)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state s = { .nopen = 0 };
	size_t i;

	if (!size)
		return 0;
	s.chan = rt_relay_user_open(1, 512u << (data[0] & 3), 2u << ((data[0] >> 2) & 3),
				    (data[0] & 0x10) ? RT_RELAY_OVERWRITE : 0, NULL);
	if (!s.chan)
		abort();
	rt_stream_init(&s.st);
	for (i = 1; i < size; i++)
		op(&s, data[i]);
	while (s.nopen)
		op(&s, 4 << 5);
	rt_relay_switch_local(s.chan->buf[0]);
	drain(&s);
	check(&s);
	rt_stream_release(&s.st);
	rt_relay_user_close(s.chan);
	return 0;
}
