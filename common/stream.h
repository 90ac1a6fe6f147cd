/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stream.h - parsing one CPU's stream of sub-buffers and merging CPUs by timestamp.
 *
 * A stream is what read() of a per-CPU file returns, and what a bulk file holds: sealed
 * sub-buffers back to back, each a struct rt_subbuf_hdr followed by records, padding
 * removed.  Pure logic, shared by staprun, stap-merge and the unit tests.
 *
 * The bytes come in one of three ways: appended to the stream's own buffer
 * (rt_stream_space, a copy), one complete file in place (rt_stream_attach), or whole
 * sub-buffers in place, queued as segments (rt_stream_segments, rt_stream_feed: staprun's
 * mapped buffers, parsed where the relay wrote them and given back once merged).
 */
#ifndef RT_STREAM_H
#define RT_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include "../runtime/uapi/relaytap.h"

/**
 * struct rt_rec - one parsed record
 * @ts:   timestamp
 * @cpu:  CPU (from its sub-buffer header)
 * @seq:  index of the record in its CPU's stream
 * @type: RT_REC_*
 * @len:  payload bytes
 * @data: payload (points into the stream's buffer; valid until the next append)
 */
struct rt_rec {
	uint64_t ts;
	uint32_t cpu;
	uint64_t seq;
	uint16_t type;
	uint32_t len;
	const char *data;
};

/**
 * struct rt_seg - a whole sub-buffer queued on a stream (rt_stream_feed)
 * @p:     its bytes: the caller's until given back, then the stream's copy if @owned
 * @len:   its data_size in bytes
 * @owned: @p is a copy the stream made (rt_stream_copy_out) and frees
 */
struct rt_seg {
	const char *p;
	size_t len;
	int owned;
};

/**
 * struct rt_stream - one CPU's bytes and parse state
 * @buf:      bytes appended, not yet released
 * @len:      bytes in @buf
 * @cap:      allocated size of @buf
 * @pos:      parse cursor in @buf
 * @sb_left:  bytes left in the current sub-buffer at @pos (0: a header comes next)
 * @offset:   stream offset of @buf[0] (for error messages)
 * @cpu:      CPU of the current sub-buffer
 * @next_sb:  sequence number the next sub-buffer should have
 * @nrecs:    records parsed so far
 * @sb_gaps:  sub-buffers missing from the sequence (overwritten)
 * @lost:     the newest header's cumulative loss count
 * @head:     the parsed, not yet consumed record (valid when @have_head)
 * @have_head: @head is valid
 * @last_ts:  timestamp of the newest record parsed: the stream's time has reached it
 * @idle:     the newest record parsed is an RT_REC_OFFLINE mark: the CPU is offline, and
 *            the stream holds no merge back until its next record
 * @external: @buf is the caller's (rt_stream_attach), read-only, never freed
 * @bad:      what was wrong at rt_stream_error_offset() (errno EBADMSG), or NULL
 * @segs:     segment mode: a ring of @seg_cap queued sub-buffers; @buf is the oldest
 *            (segs[@seg_head]) while @seg_loaded; NULL in the other two modes
 * @seg_cap:  ring size, a power of two
 * @seg_head: index of the oldest queued segment
 * @seg_n:    segments queued
 * @seg_loaded: @buf, @len and @pos are segs[@seg_head]'s
 * @seg_done: segments given back so far: parsed to the end, or copied out; the caller
 *            acknowledges that many sub-buffers, oldest first
 */
struct rt_stream {
	/* what parsing and merging a record touches: the first two cache lines */
	char *buf;
	size_t len;
	size_t pos;
	size_t sb_left;
	struct rt_rec head;
	uint64_t last_ts;
	uint64_t nrecs;
	int have_head;
	int idle;
	uint32_t cpu;
	struct rt_seg *segs;
	/* the rest: once per sub-buffer or less */
	size_t cap;
	uint64_t offset;
	uint64_t next_sb;
	uint64_t sb_gaps;
	uint64_t lost;
	int external;
	const char *bad;
	unsigned int seg_cap;
	unsigned int seg_head;
	unsigned int seg_n;
	int seg_loaded;
	uint64_t seg_done;
};

/* errno values: EAGAIN (need more bytes), EBADMSG (corrupt; rt_stream_error_offset) */
void rt_stream_init(struct rt_stream *s);
void rt_stream_release(struct rt_stream *s);
char *rt_stream_space(struct rt_stream *s, size_t want);
void rt_stream_added(struct rt_stream *s, size_t n);
void rt_stream_attach(struct rt_stream *s, const void *data, size_t len);
int rt_stream_segments(struct rt_stream *s, unsigned int cap);
int rt_stream_feed(struct rt_stream *s, const void *sb, size_t len);
int rt_stream_copy_out(struct rt_stream *s, unsigned int keep);
int rt_stream_peek(struct rt_stream *s, const struct rt_rec **rec);
void rt_stream_pop(struct rt_stream *s);
uint64_t rt_stream_error_offset(const struct rt_stream *s);
const char *rt_stream_error_what(const struct rt_stream *s);

/**
 * struct rt_merge_key - a stream's place in the merge: its time and CPU, and its index
 * @ts:  the time of its parsed record (the loser tree), or how far its time has come (the
 *       waits heap)
 * @cpu: its CPU
 * @i:   its index in rt_merge.streams
 * @inf: it has no parsed record: it loses to every stream that has one (the loser tree)
 */
struct rt_merge_key {
	uint64_t ts;
	uint32_t cpu;
	uint16_t i;
	uint16_t inf;
};

/* the most streams a merge takes (rt_merge_key.i) */
#define RT_MERGE_MAX_STREAMS	65536

/**
 * struct rt_merge - k-way merge of streams by (timestamp, cpu, seq)
 * @n:       number of streams (at most RT_MERGE_MAX_STREAMS)
 * @streams: the streams, indexed by CPU
 * @keys:    each stream's key in the loser tree, by stream index (during a run)
 * @tree:    loser tree over @keys: @tree[0] is the stream whose record comes first,
 *           @tree[1..n-1] the losers of the matches on the way up (during a run)
 * @tree_ts: @tree_ts[j] is the time of @tree[j]'s key (1 <= j < n), beside it so that a
 *           match loads no key through the index it holds
 * @waits:   min-heap of the streams without a parsed record that may still precede, by
 *           last_ts
 * @nwaits:  entries in @waits
 */
struct rt_merge {
	unsigned int n;
	struct rt_stream *streams;
	struct rt_merge_key *keys;
	unsigned int *tree;
	uint64_t *tree_ts;
	struct rt_merge_key *waits;
	unsigned int nwaits;
};

typedef int (*rt_emit_fn)(void *arg, const struct rt_rec *rec);

int rt_merge_init(struct rt_merge *m, unsigned int n);
void rt_merge_release(struct rt_merge *m);
int rt_merge_run(struct rt_merge *m, int final, rt_emit_fn emit, void *arg);

#endif /* RT_STREAM_H */
