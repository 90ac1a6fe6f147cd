// SPDX-License-Identifier: GPL-2.0
/*
 * map.c - the script's associative arrays and statistics.
 *
 * A map holds up to RT_MAXKEYS keys (integers or strings) per entry and one value: an
 * integer, a string or a statistic.  Entries come from a pool allocated at module load
 * (the declared size, or MAXMAPENTRIES), so a probe handler never allocates; a full map
 * is a run-time error, except a wrapping one ('global a%'), where a new entry takes the
 * place of the first on the used list, as SystemTap 4.8's _new_map_create does.  Entries
 * keep insertion order on a list, which foreach walks, and
 * a stable sort reorders that list as SystemTap's does, so ties come out as they do there.
 * A scalar statistic is a map with no keys.
 *
 * Callers hold the global's lock (see context.c).
 */
#include <linux/jhash.h>
#include <linux/list_sort.h>

#ifndef RT_MAXMAPENTRIES
#define RT_MAXMAPENTRIES	2048
#endif
#define RT_MAXKEYS		9
#define RT_HIST_LOG_BUCKETS	128
#define RT_HIST_LOG_BUCKET0	64
#define RT_HIST_MAX_BUCKETS	128

enum rt_vtype { RT_T_LONG = 1, RT_T_STR, RT_T_STAT };
enum rt_htype { RT_HIST_NONE, RT_HIST_LOG, RT_HIST_LINEAR };

/** union rt_key - one key as the generated code passes it */
union rt_key {
	int64_t n;
	const char *s;
};

/**
 * struct rt_stat - a statistic: what <<< accumulated
 * @count: values added
 * @sum:   their sum
 * @min:   the smallest
 * @max:   the largest
 * @shift: the bit shift of @avg_s and @var_s (@variance(s, N): the map's vshift)
 * @avg_s: the running mean, shifted (Welford's algorithm, for @variance)
 * @m2:    Welford's sum of squared differences, shifted twice
 * @var_s: the sample variance, shifted twice (0 below 2 values)
 * @hist:  histogram buckets, when the map has a histogram
 */
struct rt_stat {
	int64_t count, sum, min, max;
	int64_t shift, avg_s, m2, var_s;
	int64_t hist[];
};

/**
 * struct rt_map - one script array (or scalar statistic)
 * @name:   the script's name for it (messages)
 * @nkeys:  keys per entry; 0 for a scalar statistic
 * @ktype:  RT_T_LONG or RT_T_STR per key
 * @vtype:  RT_T_* of the value
 * @limit:  the declared size, or 0 for MAXMAPENTRIES
 * @wrap:   when full, a new entry replaces the oldest (the first in iteration order)
 * @vshift: the bit shift of a statistic's @variance (0 to 8)
 * @htype:  RT_HIST_* kept by a statistic
 * @hstart: @hist_linear start
 * @hstop:  @hist_linear stop
 * @hint:   @hist_linear interval
 * @nhist:  histogram buckets
 * @max:    entries the pool holds
 * @num:    entries in use
 * @mask:   hash buckets - 1
 * @koff:   offset of each key in an entry's data
 * @voff:   offset of the value
 * @esize:  size of an entry
 * @heads:  hash buckets
 * @used:   entries in use, in iteration order
 * @pool:   free entries
 * @mem:    the entries
 */
struct rt_map {
	const char *name;
	int nkeys;
	unsigned char ktype[RT_MAXKEYS];
	unsigned char vtype;
	u32 limit;
	int wrap;
	int vshift;
	unsigned char htype;
	int64_t hstart, hstop, hint;
	int nhist;
	u32 max, num, mask;
	u32 koff[RT_MAXKEYS], voff, esize;
	struct hlist_head *heads;
	struct list_head used, pool;
	char *mem;
};

/**
 * struct rt_mentry - one entry
 * @hnode: on its hash bucket
 * @lnode: on the map's used list or pool
 * @hash:  hash of its keys
 * @data:  keys, then the value
 */
struct rt_mentry {
	struct hlist_node hnode;
	struct list_head lnode;
	u32 hash;
	char data[] __aligned(8);
};

static int64_t rt_mentry_key_n(const struct rt_map *m, const struct rt_mentry *e, int i)
{
	return *(const int64_t *)(e->data + m->koff[i]);
}

static const char *rt_mentry_key_s(const struct rt_map *m, const struct rt_mentry *e, int i)
{
	return e->data + m->koff[i];
}

static int64_t *rt_mentry_long(const struct rt_map *m, struct rt_mentry *e)
{
	return (int64_t *)(e->data + m->voff);
}

static char *rt_mentry_str(const struct rt_map *m, struct rt_mentry *e)
{
	return e->data + m->voff;
}

static struct rt_stat *rt_mentry_stat(const struct rt_map *m, struct rt_mentry *e)
{
	return (struct rt_stat *)(e->data + m->voff);
}

/**
 * rt_map_alloc - lay out and allocate a map whose description the generated code filled
 * @m: the map
 *
 * Return: 0 or -ENOMEM.
 */
static int rt_map_alloc(struct rt_map *m)
{
	u32 off = 0, i, vsize, nb;

	for (i = 0; i < m->nkeys; i++) {
		m->koff[i] = off;
		off += m->ktype[i] == RT_T_STR ? ALIGN(RT_MAXSTRINGLEN, 8) : 8;
	}
	m->voff = off;
	if (m->htype == RT_HIST_LOG)
		m->nhist = RT_HIST_LOG_BUCKETS;
	else if (m->htype == RT_HIST_LINEAR)
		m->nhist = div64_s64(m->hstop - m->hstart, m->hint) + 3;
	vsize = m->vtype == RT_T_STR ? ALIGN(RT_MAXSTRINGLEN, 8) : m->vtype == RT_T_LONG ? 8 :
		sizeof(struct rt_stat) + m->nhist * sizeof(int64_t);
	m->esize = ALIGN(sizeof(struct rt_mentry) + off + vsize, 8);
	m->max = m->nkeys ? (m->limit ? m->limit : RT_MAXMAPENTRIES) : 1;
	nb = roundup_pow_of_two(max_t(u32, m->max, 16));
	m->mask = nb - 1;
	m->heads = vzalloc(array_size(nb, sizeof(*m->heads)));
	nb = m->max + !!m->wrap;	/* a wrapping map keeps a spare entry */
	m->mem = vzalloc(array_size(nb, m->esize));
	if (!m->heads || !m->mem)
		goto free;
	INIT_LIST_HEAD(&m->used);
	INIT_LIST_HEAD(&m->pool);
	for (i = 0; i < nb; i++)
		list_add_tail(&((struct rt_mentry *)(m->mem + i * m->esize))->lnode, &m->pool);
	return 0;
free:
	vfree(m->heads);
	vfree(m->mem);
	m->heads = NULL;
	m->mem = NULL;
	return -ENOMEM;
}

/** rt_map_free - free what rt_map_alloc() allocated */
static void rt_map_free(struct rt_map *m)
{
	vfree(m->heads);
	vfree(m->mem);
	m->heads = NULL;
	m->mem = NULL;
}

static u32 rt_map_hash(const struct rt_map *m, const union rt_key *k)
{
	u32 h = 0x9e3779b9, i;

	for (i = 0; i < m->nkeys; i++) {
		if (m->ktype[i] == RT_T_STR)
			h = jhash(k[i].s, strnlen(k[i].s, RT_MAXSTRINGLEN - 1), h);
		else
			h = jhash_2words((u32)k[i].n, (u32)(k[i].n >> 32), h);
	}
	return h;
}

/**
 * rt_map_match_mask - whether entry @e has keys @k where @mask has a bit (key i: bit i);
 * a slice's '*' keys have none
 */
static bool rt_map_match_mask(const struct rt_map *m, const struct rt_mentry *e,
			      const union rt_key *k, u32 mask)
{
	u32 i;

	for (i = 0; i < m->nkeys; i++) {
		if (!(mask & (1U << i)))
			continue;
		if (m->ktype[i] == RT_T_STR) {
			if (strncmp(rt_mentry_key_s(m, e, i), k[i].s, RT_MAXSTRINGLEN - 1))
				return false;
		} else if (rt_mentry_key_n(m, e, i) != k[i].n) {
			return false;
		}
	}
	return true;
}

static bool rt_map_match(const struct rt_map *m, const struct rt_mentry *e,
			 const union rt_key *k)
{
	return rt_map_match_mask(m, e, k, ~0U);
}

/**
 * rt_map_find - the entry with keys @k, or NULL
 * @m: the map
 * @k: its keys (m->nkeys of them)
 */
static struct rt_mentry *rt_map_find(struct rt_map *m, const union rt_key *k)
{
	u32 h = rt_map_hash(m, k);
	struct rt_mentry *e;

	hlist_for_each_entry(e, &m->heads[h & m->mask], hnode)
		if (e->hash == h && rt_map_match(m, e, k))
			return e;
	return NULL;
}

/** rt_map_del_entry - return @e to the pool */
static void rt_map_del_entry(struct rt_map *m, struct rt_mentry *e)
{
	hlist_del(&e->hnode);
	list_move(&e->lnode, &m->pool);
	m->num--;
}

/**
 * rt_map_add - the entry with keys @k, added (zeroed) when missing
 * @c: the context, which gets the error when the map is full
 * @m: the map
 * @k: the keys
 * @msg: the overflow error, naming the place
 *
 * A full wrapping map fills its spare entry, then returns its oldest to the pool: a key or
 * value read from the oldest stays readable until the next add.
 *
 * Return: the entry, or NULL after an error.
 */
static struct rt_mentry *rt_map_add(struct rt_context *c, struct rt_map *m,
				    const union rt_key *k, const char *msg)
{
	struct rt_mentry *e = rt_map_find(m, k), *old = NULL;
	u32 i;

	if (e)
		return e;
	if (m->num == m->max && !m->wrap) {
		rt_fail(c, msg);
		return NULL;
	}
	if (m->num == m->max)		/* wrapping: the oldest goes once @e is filled in */
		old = list_first_entry(&m->used, struct rt_mentry, lnode);
	e = list_first_entry(&m->pool, struct rt_mentry, lnode);
	memset(e->data, 0, m->esize - sizeof(*e));
	for (i = 0; i < m->nkeys; i++) {
		if (m->ktype[i] == RT_T_STR)
			strscpy(e->data + m->koff[i], k[i].s, RT_MAXSTRINGLEN);
		else
			*(int64_t *)(e->data + m->koff[i]) = k[i].n;
	}
	e->hash = rt_map_hash(m, k);
	list_move_tail(&e->lnode, &m->used);
	hlist_add_head(&e->hnode, &m->heads[e->hash & m->mask]);
	m->num++;
	if (old)
		rt_map_del_entry(m, old);
	return e;
}

/** rt_map_delete - delete the entry with keys @k, if any */
static void rt_map_delete(struct rt_map *m, const union rt_key *k)
{
	struct rt_mentry *e = rt_map_find(m, k);

	if (e)
		rt_map_del_entry(m, e);
}

/** rt_map_slice_find - '[k, *] in a': whether an entry has the keys of @mask */
static bool rt_map_slice_find(struct rt_map *m, const union rt_key *k, u32 mask)
{
	struct rt_mentry *e;

	list_for_each_entry(e, &m->used, lnode)
		if (rt_map_match_mask(m, e, k, mask))
			return true;
	return false;
}

/** rt_map_slice_delete - 'delete a[k, *]': every entry with the keys of @mask */
static void rt_map_slice_delete(struct rt_map *m, const union rt_key *k, u32 mask)
{
	struct rt_mentry *e, *t;

	list_for_each_entry_safe(e, t, &m->used, lnode)
		if (rt_map_match_mask(m, e, k, mask))
			rt_map_del_entry(m, e);
}

/** rt_map_clear - delete every entry */
static void rt_map_clear(struct rt_map *m)
{
	struct rt_mentry *e, *t;

	list_for_each_entry_safe(e, t, &m->used, lnode)
		rt_map_del_entry(m, e);
}

/** rt_map_get_long - an integer element's value, 0 when missing */
static int64_t rt_map_get_long(struct rt_map *m, const union rt_key *k)
{
	struct rt_mentry *e = rt_map_find(m, k);

	return e ? *rt_mentry_long(m, e) : 0;
}

/** rt_map_get_str - a string element's value, "" when missing */
static const char *rt_map_get_str(struct rt_map *m, const union rt_key *k)
{
	struct rt_mentry *e = rt_map_find(m, k);

	return e ? rt_mentry_str(m, e) : "";
}

/**
 * rt_map_long_ref - an integer element to assign to, added when missing
 * @c: the context
 * @m: the map
 * @k: the keys
 * @msg: the overflow error
 *
 * Return: the value's address; after an overflow, the context's scratch word.
 */
static int64_t *rt_map_long_ref(struct rt_context *c, struct rt_map *m, const union rt_key *k,
				const char *msg)
{
	struct rt_mentry *e = rt_map_add(c, m, k, msg);

	return e ? rt_mentry_long(m, e) : &c->lscratch;
}

/** rt_map_str_ref - rt_map_long_ref() for a string element */
static char *rt_map_str_ref(struct rt_context *c, struct rt_map *m, const union rt_key *k,
			    const char *msg)
{
	struct rt_mentry *e = rt_map_add(c, m, k, msg);

	return e ? rt_mentry_str(m, e) : c->sscratch;
}

/** rt_hist_log_bucket - the @hist_log bucket of @v: 64 holds 0, 64 + n holds 2^(n-1).. */
static int rt_hist_log_bucket(int64_t v)
{
	if (!v)
		return RT_HIST_LOG_BUCKET0;
	if (v > 0)
		return RT_HIST_LOG_BUCKET0 + fls64(v);
	return RT_HIST_LOG_BUCKET0 - fls64(-(u64)v);
}

/** rt_hist_log_value - the smallest magnitude bucket @b holds (its label) */
static int64_t rt_hist_log_value(int b)
{
	if (b == RT_HIST_LOG_BUCKET0)
		return 0;
	if (b > RT_HIST_LOG_BUCKET0)
		return (int64_t)1 << (b - RT_HIST_LOG_BUCKET0 - 1);
	return S64_MIN >> b;	/* arithmetic: -2^(63-b) */
}

/**
 * rt_stat_add - the script's `s <<< v`
 * @m: the statistic's map (its histogram shape)
 * @s: the statistic
 * @v: the value
 */
static void rt_stat_add(const struct rt_map *m, struct rt_stat *s, int64_t v)
{
	int64_t b;
	int delta;	/* an int in 4.8 too: the same truncation */

	s->shift = m->vshift;
	if (!s->count++) {
		s->sum = s->min = s->max = v;
		s->avg_s = v << s->shift;
		s->m2 = 0;
	} else {
		s->sum += v;
		if (v < s->min)
			s->min = v;
		if (v > s->max)
			s->max = v;
		/* 4.8's __stp_stat_add (stat-common.c): Welford's algorithm, shifted */
		delta = (v << s->shift) - s->avg_s;
		s->avg_s += div64_s64(delta, s->count);
		s->m2 += delta * ((v << s->shift) - s->avg_s);
		s->var_s = div64_s64(s->m2, s->count - 1);
	}
	if (m->htype == RT_HIST_LOG) {
		s->hist[rt_hist_log_bucket(v)]++;
	} else if (m->htype == RT_HIST_LINEAR) {
		b = v - m->hstart;
		b = b < 0 ? 0 : (int64_t)div64_u64(b, m->hint) + 1;
		if (b >= m->nhist - 1)
			b = m->nhist - 1;
		s->hist[b]++;
	}
}

/**
 * rt_map_stat_add - `a[k] <<< v`: add @v to the statistic at @k, created when missing
 * @c: the context
 * @m: the map
 * @k: the keys (none for a scalar statistic)
 * @v: the value
 * @msg: the overflow error
 */
static void rt_map_stat_add(struct rt_context *c, struct rt_map *m, const union rt_key *k,
			    int64_t v, const char *msg)
{
	struct rt_mentry *e = rt_map_add(c, m, k, msg);

	if (e)
		rt_stat_add(m, rt_mentry_stat(m, e), v);
}

/**
 * rt_map_stat - the statistic at @k, or NULL (with @msg as the error) when it is empty
 * @c: the context
 * @m: the map
 * @k: the keys
 * @msg: the "empty aggregate" error, naming the place; NULL to allow an empty one
 */
static struct rt_stat *rt_map_stat(struct rt_context *c, struct rt_map *m,
				   const union rt_key *k, const char *msg)
{
	struct rt_mentry *e = rt_map_find(m, k);
	struct rt_stat *s = e ? rt_mentry_stat(m, e) : NULL;

	if ((!s || !s->count) && msg) {
		rt_fail(c, msg);
		return NULL;
	}
	return s;
}

enum rt_agg { RT_AGG_COUNT, RT_AGG_SUM, RT_AGG_MIN, RT_AGG_MAX, RT_AGG_AVG, RT_AGG_VARIANCE };

/**
 * rt_stat_variance - @variance of @s as 4.8's _stp_stat_get computes it for one CPU's
 * data (stat.c): the total-variance formula over the mean of the sum and Welford's
 * running mean, unshifted at the end
 */
static int64_t rt_stat_variance(const struct rt_stat *s)
{
	int64_t avg = div64_s64(s->sum << s->shift, s->count), d = s->avg_s - avg;

	if (s->count < 2)
		return 0;
	return div64_s64(s->count * d * d + (s->count - 1) * s->var_s, s->count - 1) >>
	       (2 * s->shift);
}

/** rt_stat_agg - @count, @sum, @min, @max or @avg of @s (0 for an empty one) */
static int64_t rt_stat_agg(const struct rt_stat *s, int agg)
{
	if (!s || !s->count)
		return 0;
	switch (agg) {
	case RT_AGG_SUM: return s->sum;
	case RT_AGG_MIN: return s->min;
	case RT_AGG_MAX: return s->max;
	case RT_AGG_AVG: return div64_s64(s->sum, s->count);
	case RT_AGG_VARIANCE: return rt_stat_variance(s);
	default: return s->count;
	}
}

/**
 * rt_map_cmp - order of two entries for foreach
 * @m:   the map
 * @a:   one entry
 * @b:   another
 * @key: 0 sorts on the value, n on key n
 * @agg: RT_AGG_* for a statistic's value
 *
 * Return: <0, 0 or >0 as @a sorts before, with or after @b in ascending order.
 */
static int rt_map_cmp(const struct rt_map *m, struct rt_mentry *a, struct rt_mentry *b,
		      int key, int agg)
{
	int64_t x, y;
	int t;

	if (key) {
		t = m->ktype[key - 1];
		if (t == RT_T_STR)
			return strcmp(rt_mentry_key_s(m, a, key - 1), rt_mentry_key_s(m, b, key - 1));
		x = rt_mentry_key_n(m, a, key - 1);
		y = rt_mentry_key_n(m, b, key - 1);
	} else if (m->vtype == RT_T_STR) {
		return strcmp(rt_mentry_str(m, a), rt_mentry_str(m, b));
	} else if (m->vtype == RT_T_STAT) {
		x = rt_stat_agg(rt_mentry_stat(m, a), agg);
		y = rt_stat_agg(rt_mentry_stat(m, b), agg);
	} else {
		x = *rt_mentry_long(m, a);
		y = *rt_mentry_long(m, b);
	}
	return x < y ? -1 : x > y;
}

/** struct rt_sort_arg - what rt_map_list_cmp() sorts by (list_sort()'s private data) */
struct rt_sort_arg {
	const struct rt_map *m;
	int key;
	int dir;
	int agg;
};

/** rt_map_list_cmp - list_sort() comparison: >0 when @a must come after @b */
static int rt_map_list_cmp(void *priv, const struct list_head *a, const struct list_head *b)
{
	const struct rt_sort_arg *s = priv;

	return s->dir * rt_map_cmp(s->m, list_entry(a, struct rt_mentry, lnode),
				   list_entry(b, struct rt_mentry, lnode), s->key, s->agg);
}

/* rt_map_after - @a must come after @b in the sort @s (4.8's _stp_cmp) */
static bool rt_map_after(struct rt_sort_arg *s, struct list_head *a, struct list_head *b)
{
	return rt_map_list_cmp(s, a, b) > 0;
}

/**
 * rt_map_sortn - put the first @n entries of the sort @s at the front of @m's list, the
 * others after them in an order that follows from how they were found
 *
 * SystemTap 4.8's _stp_map_sortn (runtime/map.c), step for step: a later unsorted
 * foreach walks the list as it leaves it, so the algorithm itself is the contract and
 * list_sort() cannot stand in for it.  A bubble sort of the first @n entries, then each
 * later entry is moved into them if it sorts before the last of them.
 */
static void rt_map_sortn(struct rt_map *m, int n, struct rt_sort_arg *s)
{
	struct list_head *head = &m->used, *a = NULL, *c, *last, *tmp;
	int num, swaps = 1;

	if (list_empty(head))
		return;
	while (swaps) {
		num = n;
		swaps = 0;
		a = head->next;
		c = a->next->next;
		while (a->next != head && --num > 0) {
			if (rt_map_after(s, a, a->next)) {
				swaps++;
				list_move(a, a->next);		/* swap a and the one after it */
			}
			a = c->prev;
			c = c->next;
		}
	}
	last = a;
	for (a = a->next; a != head; a = tmp) {
		tmp = a->next;
		for (c = last; c != head && rt_map_after(s, c, a); c = c->prev)
			;
		if (c != last) {
			list_move(a, c);
			last = last->prev;
		}
	}
}

/**
 * rt_map_sorted - the entries in foreach order, into @v
 * @m:   the map
 * @v:   room for m->max entries
 * @key: -1 for the map's order, 0 to sort on the value, n on key n
 * @dir: 1 ascending, -1 descending
 * @agg: RT_AGG_* for sorting a statistic's value
 * @limit: foreach's limit, or 0 for none (4.8 passes it as an int: so do we)
 *
 * The kernel's list_sort(), a stable merge sort of the map's list in place (no memory,
 * any context): the map's order becomes the sorted order, as in SystemTap.  With a limit
 * from 1 to 30 (or below 1), only as many are sorted, as 4.8 does (rt_map_sortn).
 * Return: how many entries.
 */
static int rt_map_sorted(struct rt_map *m, struct rt_mentry **v, int key, int dir, int agg,
			 int64_t limit)
{
	struct rt_sort_arg arg = { .m = m, .key = key, .dir = dir, .agg = agg };
	struct rt_mentry *e;
	int n = 0;

	if (key >= 0 && (int)limit != 0 && (int)limit <= 30)
		rt_map_sortn(m, (int)limit, &arg);
	else if (key >= 0)
		list_sort(&arg, &m->used, rt_map_list_cmp);
	list_for_each_entry(e, &m->used, lnode)
		v[n++] = e;
	return n;
}
