// SPDX-License-Identifier: GPL-2.0
/*
 * frontend.c - sub-buffer switching, sealing, flushing and consuming for the bundled relay.
 *
 * Built into the kernel module and, through relay_user.h, into the user-space test build.
 * doc/relayfs.md gives the ordering contract between writers and readers.
 */

/**
 * rt_relay_lost - count one record dropped on @buf for @cause
 * @buf:   the buffer
 * @cause: an enum rt_loss_cause
 */
static void rt_relay_lost(struct rt_relay_buf *buf, int cause)
{
	local_inc(&buf->lost[cause]);
}

/**
 * rt_relay_lost_total - records lost on @buf, all causes
 * @buf: the buffer
 */
static u64 rt_relay_lost_total(struct rt_relay_buf *buf)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < RT_LOSS_NR; i++)
		sum += local_read(&buf->lost[i]);
	return sum;
}

/**
 * rt_relay_subbuf_hdr - the header of the sub-buffer holding free-running offset @pos
 * @buf: the buffer
 * @pos: a free-running offset
 */
static struct rt_subbuf_hdr *rt_relay_subbuf_hdr(struct rt_relay_buf *buf, unsigned long pos)
{
	struct rt_relay_chan *chan = buf->chan;

	return buf->start + ((pos & ~(chan->subbuf_size - 1)) & (chan->alloc_size - 1));
}

/**
 * rt_relay_seal - finish a completely committed sub-buffer and tell the reader
 * @buf: the buffer
 * @pos: an offset inside the sub-buffer
 *
 * Fills in the header's size, end time and loss count, then publishes it by storing
 * @sealed last with release ordering.  Context: the buffer's CPU (any context).
 */
static void rt_relay_seal(struct rt_relay_buf *buf, unsigned long pos)
{
	struct rt_relay_chan *chan = buf->chan;
	struct rt_subbuf_hdr *hdr = rt_relay_subbuf_hdr(buf, pos);
	unsigned long idx = (pos >> chan->subbuf_order) & (chan->n_subbufs - 1);
	u64 seq = pos >> chan->subbuf_order;

	hdr->data_size = chan->subbuf_size - buf->padding[idx];
	hdr->ts_end = rt_clock_ns();
	hdr->lost = rt_relay_lost_total(buf);
	smp_store_release(&hdr->sealed, seq + 1);
	chan->cb.deliver(buf, seq);
}

/**
 * rt_relay_buf_full - whether a no-overwrite buffer has no free sub-buffer
 * @buf: the buffer
 *
 * Return: true when the sub-buffer after the current one is still unconsumed.
 */
static bool rt_relay_buf_full(struct rt_relay_buf *buf)
{
	struct rt_relay_chan *chan = buf->chan;
	unsigned long next = (local_read(&buf->offset) | (chan->subbuf_size - 1)) + 1;

	return next - smp_load_acquire(&buf->consumed) >= chan->alloc_size;
}

/**
 * rt_relay_count_recs - records in the complete sub-buffer at free-running offset @sb
 * @buf: the buffer
 * @sb:  its first byte
 *
 * Walks the record headers up to the padding, counting data records (heartbeats are
 * not records).  A nested writer may overwrite the
 * sub-buffer during the walk; the caller then loses its cmpxchg and discards the count,
 * so the walk only has to stay inside the sub-buffer.
 */
static unsigned long rt_relay_count_recs(struct rt_relay_buf *buf, unsigned long sb)
{
	struct rt_relay_chan *chan = buf->chan;
	unsigned long idx = (sb >> chan->subbuf_order) & (chan->n_subbufs - 1);
	unsigned long end = chan->subbuf_size - READ_ONCE(buf->padding[idx]);
	unsigned long off = chan->hdr_size, n = 0, size;
	char *base = (char *)rt_relay_subbuf_hdr(buf, sb);

	while (off + sizeof(struct rt_rec_hdr) <= end) {
		struct rt_rec_hdr *rec = (struct rt_rec_hdr *)(base + off);

		size = RT_REC_SIZE((unsigned long)READ_ONCE(rec->len));
		if (size > end - off)
			break;
		off += size;
		n += READ_ONCE(rec->type) == RT_REC_DATA;
	}
	return n;
}

/**
 * rt_relay_push - overwrite mode: move the reader past the sub-buffer about to be reused
 * @buf: the buffer
 * @sb:  free-running offset of the sub-buffer being entered
 *
 * The records of the generation being overwritten are counted as overwritten, unless
 * the reader claimed that sub-buffer first (its cmpxchg on @consumed won).  The push
 * happens before the sub-buffer is claimed for writing, so a reader whose claim
 * succeeds has copied an intact sub-buffer.
 */
static void rt_relay_push(struct rt_relay_buf *buf, unsigned long sb)
{
	struct rt_relay_chan *chan = buf->chan;
	unsigned long pos = READ_ONCE(buf->consumed), n;

	while (sb - pos >= chan->alloc_size) {
		n = rt_relay_count_recs(buf, pos);
		if (cmpxchg(&buf->consumed, pos, pos + chan->subbuf_size) == pos) {
			local_add_return(n, &buf->lost[RT_LOSS_OVERWRITTEN]);
			break;
		}
		pos = READ_ONCE(buf->consumed);
	}
}

/**
 * rt_relay_may_enter - whether a writer may start the sub-buffer at @sb
 * @buf: the buffer
 * @sb:  free-running offset of the sub-buffer's first byte
 * @overwrite: the channel's mode, read once for this reservation
 * @count: count a drop (heartbeats are not records, and are not counted)
 *
 * No-overwrite: the sub-buffer must have been consumed.  Either mode: its previous
 * generation must be completely committed, or a writer nested under a stalled one
 * would corrupt it.  Drops are counted by cause.
 */
static bool rt_relay_may_enter(struct rt_relay_buf *buf, unsigned long sb, bool overwrite,
			       bool count)
{
	struct rt_relay_chan *chan = buf->chan;
	unsigned long idx = (sb >> chan->subbuf_order) & (chan->n_subbufs - 1);
	unsigned long gen = sb / chan->alloc_size;

	if (!overwrite &&
	    sb - smp_load_acquire(&buf->consumed) >= chan->alloc_size) {
		if (count)
			rt_relay_lost(buf, RT_LOSS_FULL);
		if (!READ_ONCE(buf->full)) {
			WRITE_ONCE(buf->full, 1);
			chan->cb.buf_full(buf);
		}
		return false;
	}
	if ((unsigned long)local_read(&buf->commit[idx]) != gen * chan->subbuf_size) {
		if (count)
			rt_relay_lost(buf, RT_LOSS_NESTED);
		return false;
	}
	return true;
}

/**
 * rt_relay_prepare_subbuf - make the sub-buffer at @sb ready to be claimed
 * @buf: the buffer
 * @sb:  free-running offset of its first byte
 * @overwrite: the channel's mode, read once for this reservation
 *
 * Runs before the cmpxchg that claims it, so that no record of the new generation can
 * be written before the reader is pushed off the old one.  Repeating it (a nested
 * writer claims the same sub-buffer first) is harmless: the push happens once.
 */
static void rt_relay_prepare_subbuf(struct rt_relay_buf *buf, unsigned long sb, bool overwrite)
{
	if (overwrite)
		rt_relay_push(buf, sb);
	WRITE_ONCE(rt_relay_subbuf_hdr(buf, sb)->sealed, 0);
	smp_wmb();
}

/**
 * rt_relay_start_subbuf - write the header of a sub-buffer this writer claimed
 * @buf: the buffer
 * @sb:  free-running offset of its first byte
 * @ts:  the claiming writer's timestamp
 */
static void rt_relay_start_subbuf(struct rt_relay_buf *buf, unsigned long sb, u64 ts)
{
	struct rt_relay_chan *chan = buf->chan;
	struct rt_subbuf_hdr *hdr = rt_relay_subbuf_hdr(buf, sb);

	hdr->magic = RT_SUBBUF_MAGIC;
	hdr->version = RT_SUBBUF_VERSION;
	hdr->hdr_size = chan->hdr_size;
	hdr->cpu = buf->cpu;
	hdr->data_size = 0;
	hdr->seq = sb >> chan->subbuf_order;
	hdr->ts_begin = ts;
	hdr->ts_end = 0;
	hdr->lost = rt_relay_lost_total(buf);
	buf->padding[(sb >> chan->subbuf_order) & (chan->n_subbufs - 1)] = 0;
	chan->cb.subbuf_start(buf, hdr);
}

/**
 * rt_relay_reserve_slow - reserve a record that starts a new sub-buffer
 * @buf:  this CPU's buffer
 * @ctx:  filled with the reservation
 * @len:  payload bytes
 * @type: record type
 *
 * Claims, with one cmpxchg, the padding at the end of the current sub-buffer (if any),
 * the next sub-buffer's header and the record; then commits the padding (which may
 * seal the old sub-buffer) and the header.  Context as rt_relay_reserve_type().
 *
 * Return: the payload address, or NULL when the record was dropped (and counted).
 */
static void *rt_relay_reserve_slow(struct rt_relay_buf *buf, struct rt_relay_ctx *ctx,
				   unsigned long len, unsigned int type)
{
	struct rt_relay_chan *chan = buf->chan;
	unsigned long size = RT_REC_SIZE(len), mask = chan->subbuf_size - 1;
	bool overwrite = READ_ONCE(chan->flags) & RT_RELAY_OVERWRITE;
	unsigned long old, soff, pad, sb, begin;
	bool enter;

	if (unlikely(size > chan->subbuf_size - chan->hdr_size)) {
		rt_relay_lost(buf, RT_LOSS_TOO_BIG);
		return NULL;
	}
	do {
		old = local_read(&buf->offset);
		soff = old & mask;
		enter = !soff || soff + size > chan->subbuf_size;
		pad = 0;
		sb = 0;
		begin = old;
		if (enter) {
			pad = soff ? chan->subbuf_size - soff : 0;
			sb = old + pad;
			begin = sb + chan->hdr_size;
			if (!rt_relay_may_enter(buf, sb, overwrite, type == RT_REC_DATA))
				return NULL;
			rt_relay_prepare_subbuf(buf, sb, overwrite);
		}
		ctx->ts = rt_clock_ns();
	} while (local_cmpxchg(&buf->offset, old, begin + size) != old);

	if (enter) {
		WRITE_ONCE(buf->full, 0);
		if (pad) {
			buf->padding[(old >> chan->subbuf_order) & (chan->n_subbufs - 1)] = pad;
			rt_relay_commit_bytes(buf, old, pad);
		}
		rt_relay_start_subbuf(buf, sb, ctx->ts);
		rt_relay_commit_bytes(buf, sb, chan->hdr_size);
	}
	return rt_relay_fill_rec(buf, ctx, begin, size, len, type);
}

/**
 * rt_relay_switch_local - seal this CPU's partly filled sub-buffer, padding its tail
 * @buf: the buffer of the CPU this runs on (or of a CPU that is offline)
 *
 * A sub-buffer holding only its header is left alone.  A writer nested under a
 * reservation that is still open seals later, at that writer's commit.
 */
static void rt_relay_switch_local(struct rt_relay_buf *buf)
{
	struct rt_relay_chan *chan = buf->chan;
	unsigned long old, soff, pad;

	do {
		old = local_read(&buf->offset);
		soff = old & (chan->subbuf_size - 1);
		if (soff <= chan->hdr_size)
			return;
		pad = chan->subbuf_size - soff;
	} while (local_cmpxchg(&buf->offset, old, old + pad) != old);
	buf->padding[(old >> chan->subbuf_order) & (chan->n_subbufs - 1)] = pad;
	rt_relay_commit_bytes(buf, old, pad);
}

/**
 * rt_relay_subbuf_ready - whether the sub-buffer at free-running offset @pos is sealed
 * @buf: the buffer
 * @pos: sub-buffer aligned free-running offset
 *
 * Return: its header when sealed for exactly that generation (acquire), else NULL.
 */
static struct rt_subbuf_hdr *rt_relay_subbuf_ready(struct rt_relay_buf *buf, unsigned long pos)
{
	struct rt_subbuf_hdr *hdr = rt_relay_subbuf_hdr(buf, pos);
	u64 seq = pos >> buf->chan->subbuf_order;

	if (smp_load_acquire(&hdr->sealed) != seq + 1)
		return NULL;
	return hdr;
}

/**
 * rt_relay_ready_count - sealed, unconsumed sub-buffers of @buf, counted from the oldest
 * @buf: the buffer
 */
static unsigned long rt_relay_ready_count(struct rt_relay_buf *buf)
{
	struct rt_relay_chan *chan = buf->chan;
	unsigned long pos = READ_ONCE(buf->consumed), n = 0;

	while (n < chan->n_subbufs && rt_relay_subbuf_ready(buf, pos)) {
		pos += chan->subbuf_size;
		n++;
	}
	return n;
}

/**
 * rt_relay_claim - the reader takes the oldest sub-buffer, at @pos, after copying it
 * @buf: the buffer
 * @pos: the free-running offset the reader copied from (its view of @consumed)
 *
 * Return: true when the copy is the reader's to deliver; false when an overwrite-mode
 * writer pushed past it meanwhile (it counted those records, the copy may be torn).
 */
static bool rt_relay_claim(struct rt_relay_buf *buf, unsigned long pos)
{
	buf->read_pos = 0;
	return cmpxchg(&buf->consumed, pos, pos + buf->chan->subbuf_size) == pos;
}

/**
 * rt_relay_consume - mark @n sealed sub-buffers of @buf consumed (mmap readers' acks)
 * @buf: the buffer
 * @n:   how many; never trusted: at most what is sealed and unconsumed
 *
 * Return: 0, or -EINVAL when @n exceeds the sealed, unconsumed sub-buffers.
 */
static int rt_relay_consume(struct rt_relay_buf *buf, unsigned long n)
{
	if (n > rt_relay_ready_count(buf))
		return -EINVAL;
	while (n--)
		rt_relay_claim(buf, READ_ONCE(buf->consumed));
	return 0;
}

/**
 * rt_relay_reset_buf - empty a buffer; only while nothing writes to it
 * @buf: the buffer
 */
static void rt_relay_reset_buf(struct rt_relay_buf *buf)
{
	struct rt_relay_chan *chan = buf->chan;
	unsigned long i;
	int c;

	memset(buf->start, 0, chan->alloc_size);
	local_set(&buf->offset, 0);
	for (i = 0; i < chan->n_subbufs; i++) {
		local_set(&buf->commit[i], 0);
		buf->padding[i] = 0;
	}
	local_set(&buf->written, 0);
	for (c = 0; c < RT_LOSS_NR; c++)
		local_set(&buf->lost[c], 0);
	buf->consumed = 0;
	buf->read_pos = 0;
	buf->full = 0;
	buf->finalized = 0;
}

/**
 * rt_relay_subbuf_start_reserve - reserve @length bytes after every sub-buffer header
 * @buf:    any buffer of the channel (the reservation applies to the whole channel)
 * @length: bytes for the client's own header, which its subbuf_start callback fills
 *          (at (char *)subbuf + sizeof(struct rt_subbuf_hdr))
 *
 * The header's hdr_size then tells readers where records start.  Only allowed before
 * the first write on any CPU.  Return: 0, -EBUSY after writes began, -EINVAL when
 * @length leaves no room for records.
 */
static int rt_relay_subbuf_start_reserve(struct rt_relay_buf *buf, unsigned long length)
{
	struct rt_relay_chan *chan = buf->chan;
	unsigned long hdr = sizeof(struct rt_subbuf_hdr) + ((length + RT_REC_ALIGN - 1) &
							   ~(unsigned long)(RT_REC_ALIGN - 1));
	unsigned int cpu;

	if (hdr > chan->subbuf_size / 2 || hdr > 0xffff)
		return -EINVAL;
	for (cpu = 0; cpu < chan->nr_bufs; cpu++)
		if (chan->buf[cpu] && local_read(&chan->buf[cpu]->offset))
			return -EBUSY;
	chan->hdr_size = hdr;
	return 0;
}

/**
 * rt_relay_check_geometry - round sub-buffer size and count up to powers of two
 * @subbuf_size: in/out, bytes per sub-buffer
 * @n_subbufs:   in/out, sub-buffers per CPU
 * @hdr_size:    bytes before the first record
 *
 * Return: 0, or -EINVAL when the geometry is unusable.
 */
static int rt_relay_check_geometry(unsigned long *subbuf_size, unsigned long *n_subbufs,
				   unsigned long hdr_size)
{
	if (*subbuf_size < 2 * hdr_size || *subbuf_size > RT_MAX_SUBBUF_SIZE || *n_subbufs < 2 ||
	    *n_subbufs > 4096)
		return -EINVAL;
	*subbuf_size = roundup_pow_of_two(*subbuf_size);
	*n_subbufs = roundup_pow_of_two(*n_subbufs);
	return 0;
}

/** rt_relay_default_subbuf_start - default: nothing to add to the header */
static void rt_relay_default_subbuf_start(struct rt_relay_buf *buf, void *subbuf)
{
}

/** rt_relay_default_buf_full - default: nothing to do */
static void rt_relay_default_buf_full(struct rt_relay_buf *buf)
{
}

/** rt_relay_default_mapped - default: nothing to do */
static void rt_relay_default_mapped(struct rt_relay_buf *buf)
{
}

/**
 * rt_relay_set_callbacks - copy the client's callbacks, filling defaults for NULL ones
 * @chan: the channel
 * @cb:   the client's callbacks, or NULL
 */
static void rt_relay_set_callbacks(struct rt_relay_chan *chan, const struct rt_relay_callbacks *cb)
{
	if (cb)
		chan->cb = *cb;
	if (!chan->cb.subbuf_start)
		chan->cb.subbuf_start = rt_relay_default_subbuf_start;
	if (!chan->cb.deliver)
		chan->cb.deliver = rt_relay_default_deliver;
	if (!chan->cb.buf_full)
		chan->cb.buf_full = rt_relay_default_buf_full;
	if (!chan->cb.buf_mapped)
		chan->cb.buf_mapped = rt_relay_default_mapped;
	if (!chan->cb.buf_unmapped)
		chan->cb.buf_unmapped = rt_relay_default_mapped;
	if (!chan->cb.create_buf_file)
		chan->cb.create_buf_file = rt_relay_default_create_buf_file;
	if (!chan->cb.remove_buf_file)
		chan->cb.remove_buf_file = rt_relay_default_remove_buf_file;
}

/**
 * rt_relay_set_overwrite - switch a running channel between the two modes
 * @chan:      the channel
 * @overwrite: true for flight-recorder mode
 *
 * Writers read the mode once per sub-buffer switch, so either mode is consistent for
 * every reservation.  Used when a reader attaches (no-overwrite) or detaches.
 */
static void rt_relay_set_overwrite(struct rt_relay_chan *chan, bool overwrite)
{
	unsigned long f = READ_ONCE(chan->flags);

	WRITE_ONCE(chan->flags, overwrite ? f | RT_RELAY_OVERWRITE : f & ~RT_RELAY_OVERWRITE);
}

/**
 * rt_relay_mark - write an empty record of @type (a heartbeat or an offline mark), then a
 * switch, so that a reader sees it at once
 * @buf:  the buffer of the CPU this runs on (preemption or interrupts disabled), or of an
 *        offline CPU with CPU hotplug held off (no writer can run there)
 * @type: RT_REC_BEAT or RT_REC_OFFLINE
 *
 * Marks are not records: they are neither counted as written nor as lost.
 */
static void rt_relay_mark(struct rt_relay_buf *buf, unsigned int type)
{
	struct rt_relay_ctx ctx;

	if (rt_relay_reserve_buf(buf, &ctx, 0, type))
		rt_relay_commit_bytes(ctx.buf, ctx.pos, ctx.len);
	rt_relay_switch_local(buf);
}

/**
 * rt_relay_chan_setup - the geometry, mode and callbacks of a zeroed channel
 * @chan:        the channel
 * @subbuf_size: bytes per sub-buffer (checked, a power of two)
 * @n_subbufs:   sub-buffers per buffer (checked, a power of two)
 * @flags:       RT_RELAY_OVERWRITE or 0
 * @cb:          client callbacks, or NULL
 */
static void rt_relay_chan_setup(struct rt_relay_chan *chan, unsigned long subbuf_size,
				unsigned long n_subbufs, unsigned long flags,
				const struct rt_relay_callbacks *cb)
{
	chan->subbuf_size = subbuf_size;
	chan->n_subbufs = n_subbufs;
	chan->subbuf_order = ilog2(subbuf_size);
	chan->alloc_size = subbuf_size * n_subbufs;
	chan->hdr_size = sizeof(struct rt_subbuf_hdr);
	chan->flags = flags;
	rt_relay_set_callbacks(chan, cb);
}
