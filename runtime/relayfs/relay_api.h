/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relay_api.h - the inline fast path of the bundled relay: reserve, commit, write.
 *
 * Writers of a buffer run only on its CPU, with preemption disabled; they may nest
 * (irq, NMI) at any point.  The write offset moves by local cmpxchg, so a nested writer
 * simply takes the next slot; commit counts per sub-buffer tell when a sub-buffer is
 * complete, whatever the order the nested writers finish in.  No lock, no irq masking,
 * no shared cache line: the only stores are to the CPU's own buffer.
 */
#ifndef _RT_RELAY_API_H
#define _RT_RELAY_API_H

static void *rt_relay_reserve_slow(struct rt_relay_buf *buf, struct rt_relay_ctx *ctx,
				   unsigned long len, unsigned int type);
static void rt_relay_seal(struct rt_relay_buf *buf, unsigned long pos);

/**
 * rt_relay_commit_bytes - mark @len bytes at free-running offset @pos as written
 * @buf: the buffer
 * @pos: any offset inside the sub-buffer the bytes belong to
 * @len: bytes committed
 *
 * The bytes are ordered before the count (smp_wmb); the commit that completes a
 * sub-buffer seals it.  Context: the buffer's CPU, preemption disabled.
 */
static __always_inline void rt_relay_commit_bytes(struct rt_relay_buf *buf, unsigned long pos,
						  unsigned long len)
{
	struct rt_relay_chan *chan = buf->chan;
	unsigned long idx = (pos >> chan->subbuf_order) & (chan->n_subbufs - 1);
	long c;

	smp_wmb();
	c = local_add_return(len, &buf->commit[idx]);
	if (unlikely(!(c & (chan->subbuf_size - 1))))
		rt_relay_seal(buf, pos);
}

/**
 * rt_relay_fill_rec - record the reservation in @ctx and write the record header
 * @buf:  the buffer
 * @ctx:  the reservation (its timestamp already taken)
 * @pos:  free-running offset of the record
 * @size: bytes reserved
 * @len:  payload bytes
 * @type: record type
 *
 * Return: the payload address.
 */
static __always_inline void *rt_relay_fill_rec(struct rt_relay_buf *buf, struct rt_relay_ctx *ctx,
					       unsigned long pos, unsigned long size,
					       unsigned long len, unsigned int type)
{
	struct rt_rec_hdr *rec = buf->start + (pos & (buf->chan->alloc_size - 1));

	ctx->buf = buf;
	ctx->pos = pos;
	ctx->len = size;
	rec->ts = ctx->ts;
	rec->len = len;
	rec->type = type;
	rec->flags = 0;
	return rec + 1;
}

/**
 * rt_relay_reserve_buf - reserve a record of @len payload bytes in @buf
 * @buf:  the buffer of the CPU this runs on, or of an offline CPU (which has no writers)
 * @ctx:  filled with the reservation, for rt_relay_commit()
 * @len:  payload bytes
 * @type: record type (RT_REC_*) written into the record header
 *
 * The record header (timestamp, length, type) is filled in; the caller writes the
 * payload and calls rt_relay_commit().  The timestamp is taken inside the reservation
 * loop, so timestamps never decrease along a buffer.  Context: any, with preemption
 * disabled (the caller stays on this CPU until the commit).
 *
 * Return: the payload address, or NULL when the record was dropped (and counted).
 */
static __always_inline void *rt_relay_reserve_buf(struct rt_relay_buf *buf,
						  struct rt_relay_ctx *ctx, unsigned long len,
						  unsigned int type)
{
	struct rt_relay_chan *chan = buf->chan;
	unsigned long size = RT_REC_SIZE(len), mask = chan->subbuf_size - 1;
	unsigned long old, soff;

	do {
		old = local_read(&buf->offset);
		soff = old & mask;
		if (unlikely(!soff || soff + size > chan->subbuf_size))
			return rt_relay_reserve_slow(buf, ctx, len, type);
		ctx->ts = rt_clock_ns();
	} while (local_cmpxchg(&buf->offset, old, old + size) != old);
	return rt_relay_fill_rec(buf, ctx, old, size, len, type);
}

/**
 * rt_relay_reserve_type - rt_relay_reserve_buf() in the buffer of the CPU this runs on
 * @chan: the channel
 * @ctx:  filled with the reservation, for rt_relay_commit()
 * @len:  payload bytes
 * @type: record type (RT_REC_*)
 *
 * Context: any, with preemption disabled.  Return: the payload address, or NULL when the
 * record was dropped (and counted).
 */
static __always_inline void *rt_relay_reserve_type(struct rt_relay_chan *chan,
						   struct rt_relay_ctx *ctx, unsigned long len,
						   unsigned int type)
{
	return rt_relay_reserve_buf(chan->buf[smp_processor_id()], ctx, len, type);
}

/** rt_relay_reserve - rt_relay_reserve_type() for a data record */
static __always_inline void *rt_relay_reserve(struct rt_relay_chan *chan, struct rt_relay_ctx *ctx,
					      unsigned long len)
{
	return rt_relay_reserve_type(chan, ctx, len, RT_REC_DATA);
}

/**
 * rt_relay_commit - publish a record reserved with rt_relay_reserve()
 * @ctx: the reservation
 */
static __always_inline void rt_relay_commit(struct rt_relay_ctx *ctx)
{
	local_inc(&ctx->buf->written);
	rt_relay_commit_bytes(ctx->buf, ctx->pos, ctx->len);
}

/**
 * __rt_relay_write - write one data record; the caller has preemption disabled
 * @chan: the channel
 * @data: payload
 * @len:  payload bytes
 *
 * Return: 0, or -ENOSPC when the record was dropped (the loss is counted).
 */
static __always_inline int __rt_relay_write(struct rt_relay_chan *chan, const void *data,
					    unsigned long len)
{
	struct rt_relay_ctx ctx;
	void *p = rt_relay_reserve(chan, &ctx, len);

	if (unlikely(!p))
		return -ENOSPC;
	memcpy(p, data, len);
	rt_relay_commit(&ctx);
	return 0;
}

/**
 * rt_relay_write - write one data record from any context (process, irq, NMI)
 * @chan: the channel
 * @data: payload
 * @len:  payload bytes
 *
 * Return: 0, or -ENOSPC when the record was dropped (the loss is counted).
 */
static __always_inline int rt_relay_write(struct rt_relay_chan *chan, const void *data,
					  unsigned long len)
{
	int ret;

	preempt_disable_notrace();
	ret = __rt_relay_write(chan, data, len);
	preempt_enable_notrace();
	return ret;
}

#endif /* _RT_RELAY_API_H */
