// SPDX-License-Identifier: GPL-2.0
/*
 * format-test.c - unit tests of the runtime's printf (runtime/format.c, built in user
 * space).  The expected strings are what SystemTap 4.8 printed for the same conversions
 * (testsuite/relaytap.guest/lang/printf.out, printf_c.out and text_str.out).  Reports
 * through dejagnu.h.
 */
#include <dejagnu.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "runtime/format.c"

/** one - format one conversion of @n or @s and compare with @want */
static void one(char conv, int flags, int width, int prec, int64_t n, const char *s,
		const char *want)
{
	struct rt_fseg seg = { "", 0, conv, flags, width, prec };
	struct rt_fmt f = { 1, &seg };
	union rt_farg a;
	char buf[128], name[160];
	size_t len;

	if (conv == 's')
		a.s = s;
	else
		a.n = n;
	len = rt_format(buf, sizeof(buf) - 1, &f, &a);
	buf[len < sizeof(buf) ? len : sizeof(buf) - 1] = '\0';
	snprintf(name, sizeof(name), "format %%%c flags %d width %d prec %d gives \"%s\"", conv,
		 flags, width, prec, want);
	if (!strcmp(buf, want))
		pass("%s", name);
	else
		fail("%s (got \"%s\")", name, buf);
}

static void truncation(void)
{
	struct rt_fseg seg[2] = { { "ab", 2, 'd', 0, -1, -1 }, { "!", 1, 0, 0, -1, -1 } };
	struct rt_fmt f = { 2, seg };
	union rt_farg a = { .n = 12345 };
	char buf[4] = "xxxx";
	size_t len = rt_format(buf, 3, &f, &a);

	if (len == 8 && !memcmp(buf, "ab1x", 4))
		pass("format reports the whole length and writes no more than the room");
	else
		fail("format truncation: len %zu, buf %.4s", len, buf);
}

/** star - "[%*d] [%-*d] [%.*s]" with @w1, @w2 and @p from the arguments gives @want */
static void star(int64_t w1, int64_t w2, int64_t p, const char *want)
{
	struct rt_fseg seg[4] = {
		{ "[", 1, 'd', 0, RT_FW_ARG, -1 }, { "] [", 3, 'd', RT_F_LEFT, RT_FW_ARG, -1 },
		{ "] [", 3, 's', 0, -1, RT_FW_ARG }, { "]", 1, 0, 0, -1, -1 },
	};
	struct rt_fmt f = { 4, seg };
	union rt_farg a[6] = { { .n = w1 }, { .n = 42 }, { .n = w2 }, { .n = 7 }, { .n = p },
			       { .s = "abcdef" } };
	char buf[64];
	size_t len = rt_format(buf, sizeof(buf) - 1, &f, a);

	buf[len] = '\0';
	if (!strcmp(buf, want))
		pass("format '*' widths %lld %lld precision %lld give \"%s\"", (long long)w1,
		     (long long)w2, (long long)p, want);
	else
		fail("format '*' widths %lld %lld precision %lld: got \"%s\", want \"%s\"",
		     (long long)w1, (long long)w2, (long long)p, buf, want);
}

/** text - text_strn(@s, @len, @quoted) and compare with @want (named by @want: @s may be binary) */
static void text(const char *s, int64_t len, int64_t quoted, const char *want)
{
	char out[RT_MAXSTRINGLEN];

	rt_text_strn(out, s, len, quoted);
	if (!strcmp(out, want))
		pass("text_strn(..., %lld, %lld) gives \"%.60s\"", (long long)len, (long long)quoted,
		     want);
	else
		fail("text_strn(..., %lld, %lld) gives \"%.60s\", not \"%.60s\"", (long long)len,
		     (long long)quoted, out, want);
}

/** text_len - text_str of @n copies of @c is @want bytes long (the MAXSTRINGLEN cut) */
static void text_len(const char *c, int n, size_t want)
{
	char in[RT_MAXSTRINGLEN], out[RT_MAXSTRINGLEN];
	size_t k = strlen(c), i;

	for (i = 0; i < (size_t)n && (i + 1) * k < sizeof(in); i++)
		memcpy(in + i * k, c, k);
	in[i * k] = '\0';
	rt_text_strn(out, in, 0, 0);
	if (strlen(out) == want)
		pass("text_str of %d x byte %d is %zu bytes", n, c[0], want);
	else
		fail("text_str of %d x byte %d is %zu bytes, want %zu", n, c[0], strlen(out), want);
}

/* values from lang/text_str.out (SystemTap 4.8) */
static void text_str(void)
{
	text("it's", 0, 0, "it's");
	text("a\"b\\c", 0, 0, "a\\\"b\\\\c");
	text("\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 0, 0, "\\u00E9 \\u20AC \\U0001F600");
	text("\x01\a\x1b\x7f\t", 0, 0, "\\001\\a\\033\\177\\t");
	text("\xc3(|\xed\xa0\x80|\xe0\x80\xaf|\xc3|\xa9", 0, 0,
	     "\\303(|\\355\\240\\200|\\340\\200\\257|\\303|\\251");
	text("x\xe2\x82", 0, 0, "x\\342\\202");
	text("\xf4\x90\x80\x80", 0, 0, "\\364\\220\\200\\200");
	text("hello world", 5, 0, "hello");
	text("hello world", 5, 1, "\"\"...");
	text("hello world", 8, 1, "\"hel\"...");
	text("hello", 7, 1, "\"hello\"");
	text("hello", 0, 1, "\"hello\"");
	text("hello", -3, 0, "hello");
	text("a\tb\tc\td", 6, 1, "\"a\"...");
	text("a\xc3\xa9" "bc", 9, 1, "\"a\"...");
	text("ab\"cd", 5, 0, "ab\\\"c");
	text_len("a", 511, 511);
	text_len("\n", 300, 510);
	text_len("\x01", 200, 508);
}

/* values from lang/printf_c.out (SystemTap 4.8) */
static void sharp_c(void)
{
	one('c', RT_F_SPECIAL, -1, -1, 0, NULL, "\\000");
	one('c', RT_F_SPECIAL, -1, -1, 27, NULL, "\\033");
	one('c', RT_F_SPECIAL, -1, -1, '\n', NULL, "\\n");
	one('c', RT_F_SPECIAL, -1, -1, '\'', NULL, "\\'");
	one('c', RT_F_SPECIAL, -1, -1, '\\', NULL, "\\\\");
	one('c', RT_F_SPECIAL, -1, -1, '"', NULL, "\"");
	one('c', RT_F_SPECIAL, -1, -1, 127, NULL, "\\177");
	one('c', RT_F_SPECIAL, -1, -1, 233, NULL, "\\351");
	one('c', RT_F_SPECIAL, -1, -1, 256 + 65, NULL, "A");
	one('c', RT_F_SPECIAL, -1, -1, -1, NULL, "\\377");
	one('c', RT_F_SPECIAL, 5, -1, '\n', NULL, "   \\n");
	one('c', RT_F_SPECIAL, 1, -1, 200, NULL, "\\310");
	one('c', 0, 5, -1, '"', NULL, "    \"");
}

int main(void)
{
	one('d', 0, 5, -1, 42, NULL, "   42");
	one('d', RT_F_LEFT, 5, -1, 42, NULL, "42   ");
	one('d', RT_F_ZERO, 5, -1, 42, NULL, "00042");
	one('d', RT_F_PLUS, -1, -1, 42, NULL, "+42");
	one('d', RT_F_SPACE, -1, -1, 42, NULL, " 42");
	one('i', 0, -1, -1, -7, NULL, "-7");
	one('u', 0, -1, -1, -1, NULL, "18446744073709551615");
	one('x', 0, -1, -1, 255, NULL, "ff");
	one('X', 0, -1, -1, 255, NULL, "FF");
	one('x', RT_F_SPECIAL, -1, -1, 255, NULL, "0xff");
	one('X', RT_F_SPECIAL, -1, -1, 0, NULL, "0X0");
	one('o', 0, -1, -1, 8, NULL, "10");
	one('o', RT_F_SPECIAL, -1, -1, 8, NULL, "010");
	one('o', RT_F_SPECIAL, -1, -1, 0, NULL, "00");
	one('p', 0, -1, -1, 0, NULL, "0x0");
	one('p', 0, 20, -1, 4096, NULL, "              0x1000");
	one('p', RT_F_LEFT, 20, -1, 4096, NULL, "0x1000              ");
	one('s', 0, 10, -1, 0, "abc", "       abc");
	one('s', RT_F_LEFT, 10, -1, 0, "abc", "abc       ");
	one('s', 0, -1, 3, 0, "abcdef", "abc");
	one('s', 0, 10, 2, 0, "abcdef", "        ab");
	one('c', 0, 3, -1, 'B', NULL, "  B");
	one('c', RT_F_LEFT, 3, -1, 'C', NULL, "C  ");
	one('d', 0, -1, 5, 42, NULL, "00042");
	one('d', 0, 8, 3, 42, NULL, "     042");
	one('x', RT_F_LEFT, 8, 3, 42, NULL, "02a     ");
	one('d', 0, -1, -1, INT64_MIN, NULL, "-9223372036854775808");
	one('d', 0, -1, 0, 0, NULL, "0");
	one('d', RT_F_PLUS, -1, 3, 5, NULL, "+005");
	one('d', RT_F_PLUS, 5, -1, -3, NULL, "   -3");
	one('x', RT_F_SPECIAL, 10, -1, 255, NULL, "      0xff");
	one('d', RT_F_ZERO, 8, 3, 7, NULL, "00000007");
	one('u', RT_F_PLUS, -1, -1, 5, NULL, "5");
	truncation();
	star(6, 5, 2, "[    42] [7    ] [ab]");
	star(-6, 0, -1, "[42] [7] []");		/* a negative one counts as 0, as in 4.8 */
	star(3, -2, 9, "[ 42] [7] [abcdef]");
	sharp_c();
	text_str();
	totals();
	return 0;
}
