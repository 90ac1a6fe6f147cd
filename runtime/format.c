// SPDX-License-Identifier: GPL-2.0
/*
 * format.c - printf and sprintf with SystemTap's conversions, byte for byte.
 *
 * The translator splits a format at compile time into segments (literal text followed by
 * at most one conversion), so nothing parses a format in probe context.  The rules are
 * SystemTap 4.8's, which differ from C's in places: every integer is 64-bit; %p is %#x;
 * '#' prefixes 0x/0 even to a zero; a precision never hides a zero; %c prints one byte.
 *
 * Pure C with no kernel dependency: the unit tests build it in user space.
 */

enum rt_fflag {
	RT_F_LEFT = 1, RT_F_PLUS = 2, RT_F_SPACE = 4, RT_F_SPECIAL = 8, RT_F_ZERO = 16,
};

/**
 * struct rt_fseg - one segment of a format
 * @lit:    literal text before the conversion
 * @litlen: its length
 * @conv:   d i u x X o p s c, or 0 when the segment is only text
 * @flags:  RT_F_*
 * @width:  field width, or -1
 * @prec:   precision, or -1
 */
struct rt_fseg {
	const char *lit;
	unsigned short litlen;
	char conv;
	unsigned char flags;
	short width, prec;
};

/** struct rt_fmt - a split format: @n segments */
struct rt_fmt {
	int n;
	const struct rt_fseg *seg;
};

/** union rt_farg - one printf argument */
union rt_farg {
	int64_t n;
	const char *s;
};

/** struct rt_fbuf - bounded output: @len counts what would have been written */
struct rt_fbuf {
	char *p;
	size_t cap;
	size_t len;
};

static void rt_fput(struct rt_fbuf *b, char ch, int count)
{
	for (; count > 0; count--, b->len++)
		if (b->len < b->cap)
			b->p[b->len] = ch;
}

static void rt_fputs(struct rt_fbuf *b, const char *s, size_t n)
{
	size_t room = b->len < b->cap ? b->cap - b->len : 0;

	memcpy(b->p + b->len, s, n < room ? n : room);
	b->len += n;
}

/** rt_fnum - an integer conversion, as SystemTap's number() lays it out */
static void rt_fnum(struct rt_fbuf *b, const struct rt_fseg *sg, int64_t v)
{
	static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";
	const char *digits = sg->conv == 'X' ? upper : lower;
	int base = 10, flags = sg->flags, width = sg->width, prec = sg->prec, i = 0;
	char tmp[24], sign = 0;
	uint64_t num = v;

	if (sg->conv == 'x' || sg->conv == 'X' || sg->conv == 'p')
		base = 16;
	else if (sg->conv == 'o')
		base = 8;
	if (sg->conv == 'p')
		flags |= RT_F_SPECIAL;
	if (flags & RT_F_LEFT)
		flags &= ~RT_F_ZERO;
	if (sg->conv == 'd' || sg->conv == 'i') {
		if (v < 0) {
			sign = '-';
			num = -(uint64_t)v;
		} else if (flags & RT_F_PLUS) {
			sign = '+';
		} else if (flags & RT_F_SPACE) {
			sign = ' ';
		}
	}
	width -= !!sign;
	if (flags & RT_F_SPECIAL)
		width -= base == 16 ? 2 : base == 8;
	do {
		tmp[i++] = digits[num % base];
		num /= base;
	} while (num);
	if (prec < i)
		prec = i;
	width -= prec;
	if (!(flags & (RT_F_ZERO | RT_F_LEFT)))
		rt_fput(b, ' ', width), width = 0;
	if (sign)
		rt_fput(b, sign, 1);
	if ((flags & RT_F_SPECIAL) && base != 10)
		rt_fputs(b, base == 16 ? (sg->conv == 'X' ? "0X" : "0x") : "0", base == 16 ? 2 : 1);
	if (!(flags & RT_F_LEFT))
		rt_fput(b, '0', width), width = 0;
	rt_fput(b, '0', prec - i);
	while (i > 0)
		rt_fput(b, tmp[--i], 1);
	rt_fput(b, ' ', width);
}

/** rt_fstr - %s: at most @prec bytes, padded to the width */
static void rt_fstr(struct rt_fbuf *b, const struct rt_fseg *sg, const char *s)
{
	size_t n = strlen(s);

	if (sg->prec >= 0 && (size_t)sg->prec < n)
		n = sg->prec;
	if (!(sg->flags & RT_F_LEFT))
		rt_fput(b, ' ', sg->width - (int)n);
	rt_fputs(b, s, n);
	if (sg->flags & RT_F_LEFT)
		rt_fput(b, ' ', sg->width - (int)n);
}

/**
 * rt_format - format @args by @f into @dst
 * @dst:  destination (not terminated)
 * @cap:  its size
 * @f:    the split format
 * @args: one argument per conversion
 *
 * Return: the length of the whole output, which may exceed @cap (then it is cut).
 */
static size_t rt_format(char *dst, size_t cap, const struct rt_fmt *f, const union rt_farg *args)
{
	struct rt_fbuf b = { dst, cap, 0 };
	const struct rt_fseg *sg;
	char ch;
	int i;

	for (i = 0; i < f->n; i++) {
		sg = &f->seg[i];
		rt_fputs(&b, sg->lit, sg->litlen);
		switch (sg->conv) {
		case 0:
			break;
		case 's':
			rt_fstr(&b, sg, args++->s);
			break;
		case 'c':
			ch = (char)args++->n;
			if (!(sg->flags & RT_F_LEFT))
				rt_fput(&b, ' ', sg->width - 1);
			rt_fput(&b, ch, 1);
			if (sg->flags & RT_F_LEFT)
				rt_fput(&b, ' ', sg->width - 1);
			break;
		default:
			rt_fnum(&b, sg, args++->n);
			break;
		}
	}
	return b.len;
}
