// SPDX-License-Identifier: GPL-2.0
/*
 * format.c - printf and sprintf with SystemTap's conversions, byte for byte.
 *
 * The translator splits a format at compile time into segments (literal text followed by
 * at most one conversion), so nothing parses a format in probe context.  The rules are
 * SystemTap 4.8's, which differ from C's in places: every integer is 64-bit; %p is %#x;
 * '#' prefixes 0x/0 even to a zero; a precision never hides a zero; %c prints one byte,
 * which '#' escapes.  text_str's escaping (rt_text_strn) lives here too.
 *
 * Pure C with no kernel dependency: the unit tests build it in user space.
 */

#ifndef RT_MAXSTRINGLEN
#define RT_MAXSTRINGLEN		512	/* as context.c: format.c comes first */
#endif

#define RT_FW_ARG	(-2)	/* a '*' width or precision */
#define RT_FW_MAX	8192	/* the largest taken from an argument */

enum rt_fflag {
	RT_F_LEFT = 1, RT_F_PLUS = 2, RT_F_SPACE = 4, RT_F_SPECIAL = 8, RT_F_ZERO = 16,
};

/**
 * struct rt_fseg - one segment of a format
 * @lit:    literal text before the conversion
 * @litlen: its length
 * @conv:   d i u x X o p s c, or 0 when the segment is only text
 * @flags:  RT_F_*
 * @width:  field width, or -1, or RT_FW_ARG: the next argument (a '*')
 * @prec:   precision, or -1, or RT_FW_ARG
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
 * rt_byte_esc - byte @c as SystemTap 4.8 escapes it for %#c and text_str
 * @buf:   at least 4 bytes (not terminated)
 * @c:     the byte
 * @quote: the quote that is escaped: ' for %#c (_stp_vsprint_char in runtime/vsprintf.c),
 *         " for text_str (_stp_text_str); the other quote is printable
 *
 * Printable ASCII other than @quote and the backslash is itself; those two and
 * \a \b \f \n \r \t \v are C escapes; any other byte is three octal digits (\000, \033,
 * \351).  Return: the length written.
 */
static int rt_byte_esc(char *buf, unsigned char c, char quote)
{
	static const char esc[] = "\aa\bb\ff\nn\rr\tt\vv\\\\";
	const char *e;

	if (c >= 32 && c < 127 && c != quote && c != '\\') {
		buf[0] = c;
		return 1;
	}
	buf[0] = '\\';
	if (c == quote) {
		buf[1] = quote;
		return 2;
	}
	for (e = esc; *e; e += 2) {
		if ((unsigned char)*e == c) {
			buf[1] = e[1];
			return 2;
		}
	}
	buf[1] = '0' + ((c >> 6) & 3);
	buf[2] = '0' + ((c >> 3) & 7);
	buf[3] = '0' + (c & 7);
	return 4;
}

/** rt_char_esc - %#c of byte @c (rt_byte_esc() with the single quote); @buf: 4 bytes */
static int rt_char_esc(char *buf, unsigned char c)
{
	return rt_byte_esc(buf, c, '\'');
}

/** rt_fchar - %c: the low byte of @v, escaped under '#' (rt_char_esc), padded to the width */
static void rt_fchar(struct rt_fbuf *b, const struct rt_fseg *sg, int64_t v)
{
	char buf[4];
	int n = 1;

	if (sg->flags & RT_F_SPECIAL)
		n = rt_char_esc(buf, (unsigned char)v);
	else
		buf[0] = (char)v;
	if (!(sg->flags & RT_F_LEFT))
		rt_fput(b, ' ', sg->width - n);
	rt_fputs(b, buf, n);
	if (sg->flags & RT_F_LEFT)
		rt_fput(b, ' ', sg->width - n);
}

static int64_t rt_fclamp(int64_t v)
{
	return v < 0 ? 0 : v > RT_FW_MAX ? RT_FW_MAX : v;
}

/**
 * rt_fstar - @sg with its '*' width and precision taken from the arguments; as SystemTap
 * 4.8 prints them, a negative one counts as 0
 * @dyn:  filled in
 * @sg:   the segment
 * @args: the next argument; moved past those taken
 *
 * Return: @dyn.
 */
static const struct rt_fseg *rt_fstar(struct rt_fseg *dyn, const struct rt_fseg *sg,
				      const union rt_farg **args)
{
	*dyn = *sg;
	if (sg->width == RT_FW_ARG)
		dyn->width = rt_fclamp((*args)++->n);
	if (sg->prec == RT_FW_ARG)
		dyn->prec = rt_fclamp((*args)++->n);
	return dyn;
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
	struct rt_fseg dyn;
	int i;

	for (i = 0; i < f->n; i++) {
		sg = &f->seg[i];
		rt_fputs(&b, sg->lit, sg->litlen);
		if (sg->width == RT_FW_ARG || sg->prec == RT_FW_ARG)
			sg = rt_fstar(&dyn, sg, &args);
		switch (sg->conv) {
		case 0:
			break;
		case 's':
			rt_fstr(&b, sg, args++->s);
			break;
		case 'c':
			rt_fchar(&b, sg, args++->n);
			break;
		default:
			rt_fnum(&b, sg, args++->n);
			break;
		}
	}
	return b.len;
}

/**
 * rt_utf8 - decode the character at @s as SystemTap 4.8's _stp_decode_utf8 does
 * (runtime/stp_string.c)
 * @s:  the string (NUL-terminated)
 * @n:  bytes it may still use (4.8 allows MAXSTRINGLEN - 1 in all)
 * @cp: set to the code point, or to the byte itself
 *
 * A sequence that is cut short, badly continued, a surrogate, above U+10FFFF or longer
 * than needed is not decoded: its first byte stands alone.  Return: the bytes used.
 */
static int rt_utf8(const unsigned char *s, int n, int *cp)
{
	int len, c, i;

	if ((s[0] & 0xe0) == 0xc0 && n >= 2)
		len = 2, c = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0 && n >= 3)
		len = 3, c = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0 && n >= 4)
		len = 4, c = s[0] & 0x07;
	else
		goto byte;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto byte;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff || c < 0x80 ||
	    (len == 3 && c < 0x800) || (len == 4 && c < 0x10000))
		goto byte;
	*cp = c;
	return len;
byte:
	*cp = s[0];
	return 1;
}

/**
 * rt_text_esc - one character of text_str's output, as 4.8's _stp_text_str writes it
 * @buf:  at least 10 bytes
 * @c:    a byte (@utf8 false) or a decoded code point
 * @utf8: @c came from a multi-byte sequence: \uXXXX, or \UXXXXXXXX above U+FFFF
 *
 * A byte is escaped as rt_byte_esc() does with the double quote.  Return: the length.
 */
static int rt_text_esc(char *buf, int c, int utf8)
{
	if (utf8)
		return c <= 0xffff ? sprintf(buf, "\\u%04X", c) : sprintf(buf, "\\U%08X", c);
	return rt_byte_esc(buf, c, '"');
}

/**
 * rt_text_strn - text_strn(s, len, quoted), and text_str(s) as text_strn(s, 0, 0):
 * @s with its non-printable characters escaped, as 4.8's _stp_text_str does
 * @tmp:    RT_MAXSTRINGLEN bytes for the result
 * @s:      the string
 * @len:    most bytes of output (0, negative or above MAXSTRINGLEN - 1: MAXSTRINGLEN - 1)
 * @quoted: put the result in double quotes; a cut result then ends in "... (cut back so
 *          that no escape is split)
 *
 * An escape that does not fit ends the output.  Return: @tmp.
 */
static const char *rt_text_strn(char *tmp, const char *s, int64_t len, int64_t quoted)
{
	int inlen = RT_MAXSTRINGLEN - 1, outlen = RT_MAXSTRINGLEN - 1, c = 0, n, num, esc_len = 0;
	char *out = tmp, *esc = NULL, *cut, buf[12];

	if (len > 0 && len < RT_MAXSTRINGLEN - 1)
		outlen = len;
	if (quoted) {
		outlen = (outlen > 5 ? outlen : 5) - 2;
		*out++ = '"';
	}
	while (inlen > 0) {
		n = rt_utf8((const unsigned char *)s, inlen, &c);
		if (!c || outlen <= 0)
			break;
		s += n;
		inlen -= n;
		num = rt_text_esc(buf, c, n > 1);
		if (num > 1 && !esc && outlen - 3 < num)
			esc = out, esc_len = num;
		if (outlen < num)
			break;
		memcpy(out, buf, num);
		out += num;
		outlen -= num;
	}
	if (quoted && c && inlen > 0) {
		cut = out - 3 + outlen;
		out = esc && esc < cut && cut < esc + esc_len ? esc : cut;
		memcpy(out, "\"...", 4);
		out += 4;
	} else if (quoted) {
		*out++ = '"';
	}
	*out = '\0';
	return tmp;
}
