// SPDX-License-Identifier: GPL-2.0
/*
 * stream.c - parse per-CPU sub-buffer streams and merge them by timestamp.
 *
 * Helpers return -1 and set errno; they never print.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "stream.h"


void rt_stream_init(struct rt_stream *s)
{
	memset(s, 0, sizeof(*s));
}

void rt_stream_release(struct rt_stream *s)
{
	unsigned int i;

	if (s->segs) {
		for (i = 0; i < s->seg_n; i++)
			if (s->segs[(s->seg_head + i) & (s->seg_cap - 1)].owned)
				free((void *)s->segs[(s->seg_head + i) & (s->seg_cap - 1)].p);
		free(s->segs);
	} else if (!s->external) {
		free(s->buf);
	}
	rt_stream_init(s);
}

/**
 * rt_stream_space - room for at least @want more bytes at the end of the stream
 * @s:    the stream
 * @want: bytes the caller will append
 *
 * Consumed bytes are dropped first, so the buffer holds only what is still needed.
 * Return: where to write, or NULL (errno ENOMEM).
 */
char *rt_stream_space(struct rt_stream *s, size_t want)
{
	size_t keep = s->have_head ? (size_t)(s->head.data - s->buf) - sizeof(struct rt_rec_hdr) :
				     s->pos;
	char *nb;

	if (keep > 0 && keep >= s->len / 2) {
		memmove(s->buf, s->buf + keep, s->len - keep);
		if (s->have_head)
			s->head.data -= keep;
		s->len -= keep;
		s->pos -= keep;
		s->offset += keep;
	}
	if (s->len + want > s->cap) {
		size_t cap = s->cap ? s->cap : 65536;

		while (cap < s->len + want)
			cap *= 2;
		nb = realloc(s->buf, cap);
		if (!nb)
			return NULL;
		if (s->have_head)
			s->head.data = nb + (s->head.data - s->buf);
		s->buf = nb;
		s->cap = cap;
	}
	return s->buf + s->len;
}

/**
 * rt_stream_attach - parse @len bytes at @data in place (a mapped file): no copy; the
 * stream is complete, rt_stream_space() must not be used on it
 */
void rt_stream_attach(struct rt_stream *s, const void *data, size_t len)
{
	rt_stream_init(s);
	s->buf = (char *)data;
	s->len = len;
	s->cap = len;
	s->external = 1;
}

/**
 * rt_stream_segments - make an empty stream take whole sub-buffers in place
 * @s:   the stream, just rt_stream_init()ed
 * @cap: the ring's first size (the buffer's n_subbufs), a power of two; it grows as needed
 *
 * Afterwards only rt_stream_feed() adds bytes.  The merge parses each sub-buffer where it
 * lies, and counts it in @s->seg_done once its last record was popped; the caller gives
 * those back (staprun: RT_MSG_CONSUMED).  A sub-buffer fed stays the caller's memory, to
 * be kept mapped and unchanged until it is given back or rt_stream_copy_out() copied it.
 * Return: 0, or -1 with errno EINVAL (@cap) or ENOMEM.
 */
int rt_stream_segments(struct rt_stream *s, unsigned int cap)
{
	if (!cap || (cap & (cap - 1))) {
		errno = EINVAL;
		return -1;
	}
	s->segs = calloc(cap, sizeof(*s->segs));
	if (!s->segs)
		return -1;
	s->seg_cap = cap;
	return 0;
}

/**
 * rt_stream_grow_segs - double the ring of queued segments, oldest first at index 0
 *
 * Copied-out segments stay queued until the merge reaches them, and they no longer count
 * against the caller's buffer: a CPU whose merge is held back (a quiet CPU's heartbeat
 * not yet in, or the end probes' output while the heartbeats are stopped) can queue more
 * than n_subbufs of them.
 * Return: 0, or -1 with errno ENOMEM.
 */
static int rt_stream_grow_segs(struct rt_stream *s)
{
	unsigned int i, cap = s->seg_cap * 2;
	struct rt_seg *g;

	if (cap <= s->seg_cap) {
		errno = ENOMEM;
		return -1;
	}
	g = calloc(cap, sizeof(*g));
	if (!g)
		return -1;
	for (i = 0; i < s->seg_n; i++)
		g[i] = s->segs[(s->seg_head + i) & (s->seg_cap - 1)];
	free(s->segs);
	s->segs = g;
	s->seg_head = 0;
	s->seg_cap = cap;
	return 0;
}

/**
 * rt_stream_feed - queue one sealed sub-buffer, @len bytes at @sb, to be parsed in place
 * @s:   the stream (rt_stream_segments)
 * @sb:  the sub-buffer: its header, then whole records; @len is its data_size
 * @len: bytes
 *
 * The ring grows when it is full (rt_stream_grow_segs).
 * Return: 0, or -1 with errno ENOMEM.
 */
int rt_stream_feed(struct rt_stream *s, const void *sb, size_t len)
{
	if (s->seg_n == s->seg_cap && rt_stream_grow_segs(s))
		return -1;
	s->segs[(s->seg_head + s->seg_n++) & (s->seg_cap - 1)] =
		(struct rt_seg){ .p = sb, .len = len };
	return 0;
}

/**
 * rt_stream_copy_out - copy queued sub-buffers, oldest first, until at most @keep of them
 * are still the caller's memory; each copied one counts as given back (@s->seg_done)
 * @s:    the stream (rt_stream_segments)
 * @keep: sub-buffers that may stay in place
 *
 * For a caller that must give sub-buffers back before the merge reaches them: before a
 * flight recorder takes its buffer back, or when a slow CPU holds the merge back.
 * Return: 0, or -1 with errno ENOMEM.
 */
int rt_stream_copy_out(struct rt_stream *s, unsigned int keep)
{
	unsigned int i, ext = 0;
	struct rt_seg *g;
	char *q;

	for (i = 0; i < s->seg_n; i++)
		ext += !s->segs[(s->seg_head + i) & (s->seg_cap - 1)].owned;
	for (i = 0; i < s->seg_n && ext > keep; i++) {
		g = &s->segs[(s->seg_head + i) & (s->seg_cap - 1)];
		if (g->owned)
			continue;
		q = malloc(g->len ? g->len : 1);
		if (!q)
			return -1;
		memcpy(q, g->p, g->len);
		if (!i && s->seg_loaded) {
			if (s->have_head)
				s->head.data = q + (s->head.data - s->buf);
			s->buf = q;
		}
		g->p = q;
		g->owned = 1;
		s->seg_done++;
		ext--;
	}
	return 0;
}

/**
 * rt_stream_next_seg - the oldest segment was parsed to its end: give it back (or free our
 * copy) and load the next one
 *
 * Return: 0, or -1 with errno EAGAIN (none queued).
 */
static int rt_stream_next_seg(struct rt_stream *s)
{
	struct rt_seg *g = &s->segs[s->seg_head];

	if (s->seg_loaded) {
		if (g->owned)
			free((void *)g->p);
		else
			s->seg_done++;
		s->offset += s->len;
		s->seg_head = (s->seg_head + 1) & (s->seg_cap - 1);
		s->seg_n--;
		s->seg_loaded = 0;
		s->buf = NULL;
		s->len = s->pos = 0;
	}
	if (!s->seg_n) {
		errno = EAGAIN;
		return -1;
	}
	g = &s->segs[s->seg_head];
	s->buf = (char *)g->p;
	s->len = g->len;
	s->seg_loaded = 1;
	return 0;
}

/** rt_stream_added - the caller appended @n bytes at rt_stream_space() */
void rt_stream_added(struct rt_stream *s, size_t n)
{
	s->len += n;
}

/** rt_stream_fail - mark a corrupt stream: errno EBADMSG, @what at the cursor */
static int rt_stream_fail(struct rt_stream *s, const char *what)
{
	s->bad = what;
	errno = EBADMSG;
	return -1;
}

/**
 * rt_stream_short - the bytes at the cursor end before what they must hold: more may come
 * (EAGAIN), unless the stream takes whole sub-buffers, whose end is the data's end
 */
static int rt_stream_short(struct rt_stream *s)
{
	if (s->segs)
		return rt_stream_fail(s, "sub-buffer ends before its data_size");
	errno = EAGAIN;
	return -1;
}

/**
 * rt_stream_header - parse the sub-buffer header at the cursor
 * @s: the stream
 *
 * Return: 0, or -1 with errno EAGAIN (incomplete) or EBADMSG (corrupt).
 */
static int rt_stream_header(struct rt_stream *s)
{
	struct rt_subbuf_hdr h;

	if (s->len - s->pos < sizeof(h))
		return rt_stream_short(s);
	memcpy(&h, s->buf + s->pos, sizeof(h));
	if (h.magic != RT_SUBBUF_MAGIC)
		return rt_stream_fail(s, "bad sub-buffer magic");
	if (h.version != RT_SUBBUF_VERSION)
		return rt_stream_fail(s, "unsupported sub-buffer version");
	if (h.hdr_size < sizeof(h) || h.hdr_size % RT_REC_ALIGN)
		return rt_stream_fail(s, "bad sub-buffer header size");
	if (h.data_size < h.hdr_size || h.data_size > RT_MAX_SUBBUF_SIZE)
		return rt_stream_fail(s, "bad sub-buffer size");
	if (s->len - s->pos < h.hdr_size)
		return rt_stream_short(s);
	if (s->segs && h.data_size != s->len)
		return rt_stream_fail(s, "sub-buffer data_size differs from the bytes fed");
	if (s->nrecs || s->next_sb) {
		if (h.cpu != s->cpu)
			return rt_stream_fail(s, "sub-buffer of another cpu");
		if (h.seq < s->next_sb)
			return rt_stream_fail(s, "sub-buffer sequence goes backwards");
		s->sb_gaps += h.seq - s->next_sb;
	}
	s->cpu = h.cpu;
	s->next_sb = h.seq + 1;
	s->lost = h.lost;
	s->pos += h.hdr_size;
	s->sb_left = h.data_size - h.hdr_size;
	return 0;
}

/**
 * rt_stream_peek - the next record of the stream, parsed but not consumed
 * @s:   the stream
 * @rec: set to the record
 *
 * Heartbeat records advance the stream's time and are skipped.
 * Return: 0, or -1 with errno EAGAIN (need more bytes) or EBADMSG (corrupt).
 */
int rt_stream_peek(struct rt_stream *s, const struct rt_rec **rec)
{
	struct rt_rec_hdr r;
	size_t size;

	while (!s->have_head) {
		if (s->segs && !s->sb_left && s->pos == s->len) {
			if (rt_stream_next_seg(s))
				return -1;
			continue;
		}
		if (!s->sb_left && rt_stream_header(s))
			return -1;
		if (!s->sb_left)
			continue;
		if (s->sb_left < sizeof(r))
			return rt_stream_fail(s, "record header crosses the sub-buffer end");
		if (s->len - s->pos < sizeof(r))
			return rt_stream_short(s);
		memcpy(&r, s->buf + s->pos, sizeof(r));
		size = RT_REC_SIZE((uint64_t)r.len);
		if (size > s->sb_left)
			return rt_stream_fail(s, "record length past the sub-buffer end");
		if (r.ts < s->last_ts)
			return rt_stream_fail(s, "timestamp goes backwards");
		if (s->len - s->pos < size)
			return rt_stream_short(s);
		s->last_ts = r.ts;
		s->idle = r.type == RT_REC_OFFLINE;
		if (r.type == RT_REC_BEAT || r.type == RT_REC_OFFLINE) {
			s->pos += size;
			s->sb_left -= size;
			continue;
		}
		if (r.type != RT_REC_DATA)
			return rt_stream_fail(s, "unknown record type");
		s->head.ts = r.ts;
		s->head.cpu = s->cpu;
		s->head.seq = s->nrecs;
		s->head.type = r.type;
		s->head.len = r.len;
		s->head.data = s->buf + s->pos + sizeof(r);
		s->have_head = 1;
		s->pos += size;
		s->sb_left -= size;
		/*
		 * This stream is read again only after the other streams' turns: fetch the
		 * end of this record and the next one now.  The hardware prefetcher follows
		 * a few sequential streams, not 256 (stap-merge, 256 streams, 1 M records,
		 * CPU time: 98 ms without these two lines, 65 ms with them).
		 */
		__builtin_prefetch(s->head.data + r.len);
		__builtin_prefetch(s->buf + s->pos + 64);
	}
	*rec = &s->head;
	return 0;
}

/** rt_stream_pop - consume the record rt_stream_peek() returned */
void rt_stream_pop(struct rt_stream *s)
{
	s->have_head = 0;
	s->nrecs++;
}

/** rt_stream_error_offset - stream offset where the corruption was found */
uint64_t rt_stream_error_offset(const struct rt_stream *s)
{
	return s->offset + s->pos;
}

/** rt_stream_error_what - what was wrong at rt_stream_error_offset() */
const char *rt_stream_error_what(const struct rt_stream *s)
{
	return s->bad ? s->bad : "corrupt stream";
}

/**
 * rt_merge_init - an empty merge of @n streams, each rt_stream_init()ed
 * Return: 0, or -1 with errno (EINVAL: more than RT_MERGE_MAX_STREAMS; ENOMEM).
 */
int rt_merge_init(struct rt_merge *m, unsigned int n)
{
	unsigned int i, k = n ? n : 1;

	memset(m, 0, sizeof(*m));
	if (n > RT_MERGE_MAX_STREAMS) {
		errno = EINVAL;
		return -1;
	}
	m->n = n;
	/* each stream's first two cache lines hold what a record touches (struct rt_stream) */
	m->streams = aligned_alloc(64, (k * sizeof(*m->streams) + 63) & ~(size_t)63);
	if (m->streams)
		memset(m->streams, 0, k * sizeof(*m->streams));
	m->keys = calloc(k, sizeof(*m->keys));
	m->tree = calloc(2 * k, sizeof(*m->tree));
	m->tree_ts = calloc(k, sizeof(*m->tree_ts));
	m->waits = calloc(k, sizeof(*m->waits));
	if (!m->streams || !m->keys || !m->tree || !m->tree_ts || !m->waits) {
		rt_merge_release(m);
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < n; i++)
		rt_stream_init(&m->streams[i]);
	return 0;
}

/** rt_merge_release - free the merge and its streams' buffers */
void rt_merge_release(struct rt_merge *m)
{
	unsigned int i;

	for (i = 0; m->streams && i < m->n; i++)
		rt_stream_release(&m->streams[i]);
	free(m->streams);
	free(m->keys);
	free(m->tree);
	free(m->tree_ts);
	free(m->waits);
	m->streams = NULL;
	m->keys = NULL;
	m->tree = NULL;
	m->tree_ts = NULL;
	m->waits = NULL;
}

/*
 * The tree and the heap compare keys (a stream's time and CPU) kept beside its index, so
 * that a match touches the streams only on a tie; measured at 256 streams, 1 M records,
 * stap-merge took 119 ms with keys here and 214 ms without.
 */
static int rt_key_before(const struct rt_merge *m, const struct rt_merge_key *a,
			 const struct rt_merge_key *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts;
	if (a->inf != b->inf)
		return b->inf;
	if (a->cpu != b->cpu)
		return a->cpu < b->cpu;
	if (m->streams[a->i].head.seq != m->streams[b->i].head.seq)
		return m->streams[a->i].head.seq < m->streams[b->i].head.seq;
	return a->i < b->i;
}

/** rt_heap_down - restore the min-heap @h of @n keys below position @i */
static void rt_heap_down(const struct rt_merge *m, struct rt_merge_key *h, unsigned int n,
			 unsigned int i)
{
	struct rt_merge_key t;
	unsigned int c;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && rt_key_before(m, &h[c + 1], &h[c]))
			c++;
		if (!rt_key_before(m, &h[c], &h[i]))
			return;
		t = h[c], h[c] = h[i], h[i] = t;
		i = c;
	}
}

/** rt_heap_push - add @k to the min-heap @h of *@n keys */
static void rt_heap_push(const struct rt_merge *m, struct rt_merge_key *h, unsigned int *n,
			 struct rt_merge_key k)
{
	unsigned int i = (*n)++, p;

	h[i] = k;
	while (i && rt_key_before(m, &h[i], &h[p = (i - 1) / 2])) {
		h[i] = h[p], h[p] = k;
		i = p;
	}
}

/** rt_head_key - stream @i's key in the loser tree: its parsed record's time and CPU */
static struct rt_merge_key rt_head_key(const struct rt_merge *m, unsigned int i)
{
	const struct rt_stream *s = &m->streams[i];

	if (!s->have_head)
		return (struct rt_merge_key){ .ts = UINT64_MAX, .cpu = s->cpu, .i = i, .inf = 1 };
	return (struct rt_merge_key){ .ts = s->head.ts, .cpu = s->head.cpu, .i = i };
}

/** rt_wait_key - the waits heap's key of stream @i: how far its time has come */
static struct rt_merge_key rt_wait_key(const struct rt_merge *m, unsigned int i)
{
	return (struct rt_merge_key){ .ts = m->streams[i].last_ts, .cpu = m->streams[i].cpu,
				      .i = i };
}

/*
 * The loser tree (Knuth, TAOCP vol. 3, 5.4.1) has the n streams as leaves n..2n-1 and
 * n-1 internal nodes, each holding the loser of the match played there; the overall
 * winner is in tree[0].  After the winner's stream moves on, its new key replays only
 * the matches on its own path to the root: log2(n) comparisons at positions known in
 * advance, where a binary heap's sift-down makes up to two per level along a path that
 * depends on each comparison.  The streams' bytes are prefetched as they are parsed
 * (rt_stream_peek), so that with more streams than the hardware prefetcher follows the
 * emit does not wait for memory.  Measured (stap-merge, 1 M records over 4/64/256
 * streams, tmpfs, CPU time): binary heap 50/86/98 ms; heap and prefetch 51/56/65 ms;
 * loser tree and prefetch 48/51/56 ms (doc/performance.md).
 */

/**
 * rt_tree_replay - stream @i's key changed: replay its matches up to the root
 *
 * Timestamps decide nearly every match, and which side wins is a coin toss the branch
 * predictor loses, so a match is a compare and two conditional moves; only a tie goes
 * to rt_key_before() (measured: bench/livemerge, 256 streams, 1 M records, CPU time:
 * 30.9 ms with a branch per match, 29.3 ms with this).
 */
static void rt_tree_replay(struct rt_merge *m, unsigned int i)
{
	const struct rt_merge_key *k = m->keys;
	unsigned int node, w = i, t, lose;
	uint64_t wts = k[w].ts, tts;

	for (node = (i + m->n) / 2; node; node /= 2) {
		t = m->tree[node];
		tts = m->tree_ts[node];
		if (__builtin_expect(tts == wts, 0))
			lose = rt_key_before(m, &k[t], &k[w]);
		else
			lose = tts < wts;
		m->tree[node] = lose ? w : t;
		m->tree_ts[node] = lose ? wts : tts;
		w = lose ? t : w;
		wts = lose ? tts : wts;
	}
	m->tree[0] = w;
}

/** rt_tree_winner - who won at node @c (1..2n-1) during rt_tree_build() */
static unsigned int rt_tree_winner(const struct rt_merge *m, unsigned int c)
{
	return c >= m->n ? c - m->n : m->tree[m->n + c];
}

/**
 * rt_tree_build - play every match bottom-up, from the keys of all streams; O(n)
 *
 * Node c's children are 2c and 2c+1; leaf j is node n+j.  The winner at each internal
 * node is kept in m->tree[n + node] (scratch) while its parent's match is played.
 */
static void rt_tree_build(struct rt_merge *m)
{
	unsigned int n = m->n, node, a, b;

	for (node = n - 1; node > 0; node--) {
		a = rt_tree_winner(m, 2 * node);
		b = rt_tree_winner(m, 2 * node + 1);
		if (rt_key_before(m, &m->keys[b], &m->keys[a]))
			m->tree[node] = a, a = b;
		else
			m->tree[node] = b;
		m->tree[n + node] = a;
	}
	m->tree[0] = n > 1 ? m->tree[n + 1] : 0;
	for (node = 1; node < n; node++)
		m->tree_ts[node] = m->keys[m->tree[node]].ts;
}

/**
 * rt_merge_sort_streams - parse each stream's next record, key it in the loser tree, and
 * put the streams without one that may still precede (not idle) in m->waits
 *
 * Return: 0, or -1 with errno (EBADMSG: a stream is corrupt).
 */
static int rt_merge_sort_streams(struct rt_merge *m)
{
	const struct rt_rec *r;
	unsigned int i;

	m->nwaits = 0;
	for (i = 0; i < m->n; i++) {
		if (rt_stream_peek(&m->streams[i], &r) && errno != EAGAIN)
			return -1;
		m->keys[i] = rt_head_key(m, i);
		if (!m->streams[i].have_head && !m->streams[i].idle)
			m->waits[m->nwaits++] = rt_wait_key(m, i);
	}
	for (i = m->nwaits / 2; i-- > 0;)
		rt_heap_down(m, m->waits, m->nwaits, i);
	rt_tree_build(m);
	return 0;
}

/**
 * rt_merge_blocked - whether a stream without a parsed record may still precede @best
 * @m:    the merge
 * @best: the first of the parsed records
 *
 * Such a stream's next record is no older than its last timestamp (timestamps never
 * decrease along a stream), so it can precede @best only if that time is not past it:
 * the oldest of them decides.  A stream whose CPU is offline (its last mark is
 * RT_REC_OFFLINE) holds nothing back.
 */
static int rt_merge_blocked(const struct rt_merge *m, const struct rt_rec *best)
{
	const struct rt_merge_key *w = &m->waits[0];

	return m->nwaits && (w->ts < best->ts || (w->ts == best->ts && w->cpu < best->cpu));
}

/**
 * rt_merge_run - emit every record that no stream can still precede
 * @m:     the merge
 * @final: every stream is complete: emit everything
 * @emit:  called for each record in order; a non-zero return stops the merge
 * @arg:   passed to @emit
 *
 * A stream with no parsed record holds the merge back at its last timestamp, unless
 * @final.  A loser tree makes each record log2(n) comparisons in the number of streams,
 * and a heap keeps the waiting streams (as LTTng's iterator does), plus O(n) per call.
 * Return: records emitted, or -1 with errno (EBADMSG: m->streams[i] is corrupt, see
 * rt_stream_error_offset; or what @emit set).
 */
int rt_merge_run(struct rt_merge *m, int final, rt_emit_fn emit, void *arg)
{
	const struct rt_rec *r;
	struct rt_stream *s;
	unsigned int i;
	int n = 0;

	if (!m->n)
		return 0;
	if (rt_merge_sort_streams(m))
		return -1;
	for (;;) {
		i = m->tree[0];
		s = &m->streams[i];
		if (!s->have_head || (!final && rt_merge_blocked(m, &s->head)))
			break;
		if (emit(arg, &s->head))
			return -1;
		rt_stream_pop(s);
		n++;
		if (rt_stream_peek(s, &r)) {
			if (errno != EAGAIN)
				return -1;
			if (!s->idle)
				rt_heap_push(m, m->waits, &m->nwaits, rt_wait_key(m, i));
		}
		m->keys[i] = rt_head_key(m, i);
		rt_tree_replay(m, i);
	}
	return n;
}
