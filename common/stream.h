/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stream.h - parsing one CPU's stream of sub-buffers and merging CPUs by timestamp.
 *
 * A stream is what read() of a per-CPU file returns, and what a bulk file holds: sealed
 * sub-buffers back to back, each a struct rt_subbuf_hdr followed by records, padding
 * removed.  Pure logic, shared by staprun, stap-merge and the unit tests.
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
 */
struct rt_stream {
	char *buf;
	size_t len;
	size_t cap;
	size_t pos;
	size_t sb_left;
	uint64_t offset;
	uint32_t cpu;
	uint64_t next_sb;
	uint64_t nrecs;
	uint64_t sb_gaps;
	uint64_t lost;
	struct rt_rec head;
	int have_head;
	uint64_t last_ts;
	int idle;
	int external;
	const char *bad;
};

/* errno values: EAGAIN (need more bytes), EBADMSG (corrupt; rt_stream_error_offset) */
void rt_stream_init(struct rt_stream *s);
void rt_stream_release(struct rt_stream *s);
char *rt_stream_space(struct rt_stream *s, size_t want);
void rt_stream_added(struct rt_stream *s, size_t n);
void rt_stream_attach(struct rt_stream *s, const void *data, size_t len);
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
 * @waits:   min-heap of the streams without a parsed record that may still precede, by
 *           last_ts
 * @nwaits:  entries in @waits
 */
struct rt_merge {
	unsigned int n;
	struct rt_stream *streams;
	struct rt_merge_key *keys;
	unsigned int *tree;
	struct rt_merge_key *waits;
	unsigned int nwaits;
};

typedef int (*rt_emit_fn)(void *arg, const struct rt_rec *rec);

int rt_merge_init(struct rt_merge *m, unsigned int n);
void rt_merge_release(struct rt_merge *m);
int rt_merge_run(struct rt_merge *m, int final, rt_emit_fn emit, void *arg);

#endif /* RT_STREAM_H */
