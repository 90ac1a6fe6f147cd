/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relay_types.h - data structures of the bundled relay buffer (relaytap relayfs).
 *
 * A channel has one buffer per possible CPU.  A buffer is n_subbufs sub-buffers of
 * subbuf_size bytes, both powers of two.  Every sub-buffer starts with a struct
 * rt_subbuf_hdr (uapi/relaytap.h); records follow it and are never split across
 * sub-buffers; the unused tail of a sub-buffer is padding.
 *
 * Positions are free-running byte offsets ("offsets"): offset & (alloc_size - 1) is the
 * place in the buffer, offset >> subbuf_order the sub-buffer sequence number.
 */
#ifndef _RT_RELAY_TYPES_H
#define _RT_RELAY_TYPES_H

struct rt_relay_buf;
struct rt_relay_chan;

/**
 * struct rt_relay_callbacks - client hooks; any left NULL get defaults at open time
 * @subbuf_start:   a new sub-buffer was claimed at @subbuf (its header written); the
 *                  client may fill the bytes it reserved with rt_relay_subbuf_start_reserve
 * @deliver:        sub-buffer @seq is completely committed (any context; keep it short)
 * @buf_mapped:     a reader mmap()ed @buf
 * @buf_unmapped:   the mapping went away
 * @buf_full:       no-overwrite buffer became full (once per transition)
 * @create_buf_file: create the file for @buf; return its handle or NULL
 * @remove_buf_file: remove what create_buf_file made
 */
struct rt_relay_callbacks {
	void (*subbuf_start)(struct rt_relay_buf *buf, void *subbuf);
	void (*deliver)(struct rt_relay_buf *buf, u64 seq);
	void (*buf_mapped)(struct rt_relay_buf *buf);
	void (*buf_unmapped)(struct rt_relay_buf *buf);
	void (*buf_full)(struct rt_relay_buf *buf);
	void *(*create_buf_file)(const char *filename, void *parent, umode_t mode,
				 struct rt_relay_buf *buf);
	void (*remove_buf_file)(void *file);
};

/**
 * struct rt_relay_buf - one CPU's buffer
 * @start:      the buffer memory (alloc_size bytes, zeroed at allocation)
 * @chan:       the owning channel
 * @cpu:        the CPU whose writers use this buffer
 * @offset:     free-running write offset; advanced only by writers on @cpu (local ops)
 * @commit:     per-sub-buffer free-running count of committed bytes
 * @padding:    per-sub-buffer padding, set by the writer that switched out of it
 * @consumed:   free-running offset of the first unconsumed sub-buffer; the reader claims
 *              a sub-buffer by cmpxchg, an overwrite-mode writer pushes it by cmpxchg
 * @read_pos:   bytes of the current sub-buffer already returned by read()
 * @written:    records committed on this CPU
 * @lost:       records dropped on this CPU, by cause (enum rt_loss_cause)
 * @full:       set while the no-overwrite buffer is full (for the once-only callback)
 * @finalized:  the channel is closing; readers get POLLERR/EOF once drained
 * @read_mutex: serializes readers of this buffer
 * @read_wait:  readers waiting for a sub-buffer
 * @wakeup:     defers reader wakeups out of probe context
 * @file:       what create_buf_file returned
 * @kref:       the buffer lives while the channel or an open file holds it
 */
struct rt_relay_buf {
	void *start;
	struct rt_relay_chan *chan;
	unsigned int cpu;
	local_t offset;
	local_t *commit;
	unsigned long *padding;
	unsigned long consumed;
	unsigned long read_pos;
	local_t written;
	local_t lost[RT_LOSS_NR];
	int full;
	int finalized;
#ifdef __KERNEL__
	struct mutex read_mutex;
	wait_queue_head_t read_wait;
	struct irq_work wakeup;
	struct kref kref;
#endif
	void *file;
};

/* channel flags */
#define RT_RELAY_OVERWRITE	0x1	/* flight recorder: overwrite the oldest */

/**
 * struct rt_relay_chan - a relay channel
 * @subbuf_size:  bytes per sub-buffer (power of two)
 * @n_subbufs:    sub-buffers per buffer (power of two)
 * @subbuf_order: log2(subbuf_size)
 * @alloc_size:   subbuf_size * n_subbufs
 * @hdr_size:     bytes at the start of each sub-buffer before the first record
 * @flags:        RT_RELAY_* (read by the fast path: set before writers start)
 * @cb:           callbacks, defaults filled in
 * @private_data: the client's
 * @nr_bufs:      entries in @buf (possible CPU ids)
 * @buf:          per-CPU buffers, NULL for CPUs that are not possible
 * @base_filename: files are <base_filename><cpu>
 * @parent:       where the files live
 */
struct rt_relay_chan {
	unsigned long subbuf_size;
	unsigned long n_subbufs;
	unsigned int subbuf_order;
	unsigned long alloc_size;
	unsigned long hdr_size;
	unsigned long flags;
	struct rt_relay_callbacks cb;
	void *private_data;
	unsigned int nr_bufs;
	struct rt_relay_buf **buf;
	char base_filename[64];
	void *parent;
};

/**
 * struct rt_relay_ctx - one reservation, from rt_relay_reserve() to rt_relay_commit()
 * @buf:  the buffer reserved in
 * @pos:  free-running offset of the reserved slot
 * @len:  bytes reserved (aligned)
 * @ts:   the timestamp taken under the reservation (monotonic within @buf)
 */
struct rt_relay_ctx {
	struct rt_relay_buf *buf;
	unsigned long pos;
	unsigned long len;
	u64 ts;
};

#endif /* _RT_RELAY_TYPES_H */
