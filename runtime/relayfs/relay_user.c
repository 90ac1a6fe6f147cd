// SPDX-License-Identifier: GPL-2.0
/*
 * relay_user.c - the relay core built in user space: frontend.c plus a malloc backend.
 *
 * Include this file (it is one translation unit with the core, so the fast path inlines)
 * from a test, fuzz target or benchmark.
 */
#include "relay_user.h"

__thread unsigned int rt_user_cpu;

static void rt_relay_default_deliver(struct rt_relay_buf *buf, u64 seq)
{
}

static void *rt_relay_default_create_buf_file(const char *filename, void *parent,
					      umode_t mode, struct rt_relay_buf *buf)
{
	return buf;
}

static void rt_relay_default_remove_buf_file(void *file)
{
}

#include "frontend.c"

static void rt_relay_user_close(struct rt_relay_chan *chan);

/**
 * rt_relay_user_open - a channel of @nr_bufs buffers in ordinary memory
 * @nr_bufs:     buffers ("CPUs")
 * @subbuf_size: bytes per sub-buffer
 * @n_subbufs:   sub-buffers per buffer
 * @flags:       RT_RELAY_OVERWRITE or 0
 * @cb:          callbacks, or NULL
 *
 * Return: the channel, or NULL with errno.
 */
static struct rt_relay_chan *rt_relay_user_open(unsigned int nr_bufs, unsigned long subbuf_size,
						unsigned long n_subbufs, unsigned long flags,
						const struct rt_relay_callbacks *cb)
{
	struct rt_relay_chan *chan;
	struct rt_relay_buf *buf;
	unsigned int i;

	if (rt_relay_check_geometry(&subbuf_size, &n_subbufs, sizeof(struct rt_subbuf_hdr))) {
		errno = EINVAL;
		return NULL;
	}
	chan = calloc(1, sizeof(*chan));
	if (!chan)
		return NULL;
	rt_relay_chan_setup(chan, subbuf_size, n_subbufs, flags, cb);
	chan->nr_bufs = nr_bufs;
	chan->buf = calloc(nr_bufs, sizeof(*chan->buf));
	if (!chan->buf)
		goto close_chan;
	for (i = 0; i < nr_bufs; i++) {
		buf = calloc(1, sizeof(*buf));
		if (!buf)
			goto close_chan;
		chan->buf[i] = buf;
		buf->chan = chan;
		buf->cpu = i;
		buf->commit = calloc(n_subbufs, sizeof(*buf->commit));
		buf->padding = calloc(n_subbufs, sizeof(*buf->padding));
		buf->start = aligned_alloc(64, chan->alloc_size);
		if (!buf->commit || !buf->padding || !buf->start)
			goto close_chan;
		memset(buf->start, 0, chan->alloc_size);
	}
	return chan;

close_chan:
	rt_relay_user_close(chan);
	errno = ENOMEM;
	return NULL;
}

/** rt_relay_user_close - free @chan and whatever of its buffers exist */
static void rt_relay_user_close(struct rt_relay_chan *chan)
{
	unsigned int i;

	for (i = 0; chan->buf && i < chan->nr_bufs && chan->buf[i]; i++) {
		free(chan->buf[i]->start);
		free(chan->buf[i]->commit);
		free(chan->buf[i]->padding);
		free(chan->buf[i]);
	}
	free(chan->buf);
	free(chan);
}
