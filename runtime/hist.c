// SPDX-License-Identifier: GPL-2.0
/*
 * hist.c - @hist_log and @hist_linear printed in SystemTap's ASCII layout.
 *
 * The layout, reproduced byte for byte: a "value |----...---- count" header; one row per
 * bucket from two empty buckets below the data to two above (a log histogram does not
 * go below 0 unless there are negative values; a linear one shows its underflow and
 * overflow buckets only when they hold something); runs of empty rows elided to a "~";
 * bars of '@' scaled so that the largest is at most 50 wide; a blank line at the end.
 */
#define RT_HIST_WIDTH	50
#define RT_HIST_ELISION	2

/** rt_digits - characters %lld prints for @v */
static int rt_digits(int64_t v)
{
	char buf[24];

	return snprintf(buf, sizeof(buf), "%lld", (long long)v);
}

/** rt_hist_label - the value printed for bucket @i, with its "<"/">" prefix */
static int64_t rt_hist_label(const struct rt_map *m, int i, const char **prefix)
{
	*prefix = "";
	if (m->htype == RT_HIST_LOG)
		return rt_hist_log_value(i);
	if (i == 0) {
		*prefix = "<";
		return m->hstart;
	}
	if (i == m->nhist - 1) {
		*prefix = ">";
		return m->hstart + (int64_t)(i - 2) * m->hint;
	}
	return m->hstart + (int64_t)(i - 1) * m->hint;
}

/** rt_hist_elided - whether row @i and its neighbours within the range are all empty */
static bool rt_hist_elided(const struct rt_stat *s, int i, int lo, int hi)
{
	int k;

	for (k = max(lo, i - RT_HIST_ELISION); k <= min(hi, i + RT_HIST_ELISION); k++)
		if (s->hist[k])
			return false;
	return true;
}

/** rt_hist_range - the first and last rows to print */
static void rt_hist_range(const struct rt_map *m, const struct rt_stat *s, int *lo, int *hi,
			  int64_t *top)
{
	int i;

	*lo = -1;
	*hi = 0;
	*top = 0;
	for (i = 0; i < m->nhist; i++) {
		if (s->hist[i] > 0 && *lo == -1)
			*lo = i;
		if (s->hist[i] > 0)
			*hi = i;
		if (s->hist[i] > *top)
			*top = s->hist[i];
	}
	for (i = 0; i < 2; i++) {
		if (*lo > 0 && (m->htype != RT_HIST_LOG || *lo != RT_HIST_LOG_BUCKET0))
			(*lo)--;
		if (*hi < m->nhist - 1)
			(*hi)++;
	}
	if (m->htype == RT_HIST_LINEAR) {
		if (*lo == 0 && !s->hist[0])
			(*lo)++;
		if (*hi == m->nhist - 1 && !s->hist[*hi])
			(*hi)--;
	}
}

/**
 * rt_hist_print - print statistic @s's histogram
 * @c: the context
 * @m: its map (the histogram's shape)
 * @s: the statistic, not empty
 */
static void rt_hist_print(struct rt_context *c, const struct rt_map *m, const struct rt_stat *s)
{
	int lo, hi, i, j, scale, vspace, cspace, eliding = 0;
	const char *prefix, *p2;
	int64_t top, val, bar;

	rt_hist_range(m, s, &lo, &hi, &top);
	scale = top <= RT_HIST_WIDTH ? 1 : div64_s64(top + RT_HIST_WIDTH - 1, RT_HIST_WIDTH);
	cspace = rt_digits(top);
	if (m->htype == RT_HIST_LINEAR)
		vspace = max(rt_digits(m->hstart) + (lo == 0),
			     rt_digits(m->hstart + m->hint * hi) + (hi == m->nhist - 1));
	else
		vspace = max(rt_digits(rt_hist_label(m, hi, &p2)),
			     rt_digits(rt_hist_label(m, lo, &p2)));
	vspace = max(vspace, 5);
	rt_printf(c, "%*s |", vspace, "value");
	for (j = 0; j < RT_HIST_WIDTH; j++)
		rt_print_str(c, "-", 1);
	rt_print_str(c, " count\n", 7);
	for (i = lo; i <= hi; i++) {
		if (rt_hist_elided(s, i, lo, hi)) {
			eliding = 1;
			continue;
		}
		if (eliding)
			rt_printf(c, "%*s ~\n", vspace, "");
		eliding = 0;
		val = rt_hist_label(m, i, &prefix);
		rt_printf(c, "%*s%lld |", vspace - rt_digits(val), prefix, (long long)val);
		bar = div64_s64(s->hist[i], scale);
		for (j = 0; j < bar; j++)
			rt_print_str(c, "@", 1);
		rt_printf(c, "%*lld\n", (int)(RT_HIST_WIDTH - bar + 1 + cspace),
			  (long long)s->hist[i]);
	}
	rt_print_str(c, "\n", 1);
}
