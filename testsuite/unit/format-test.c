// SPDX-License-Identifier: GPL-2.0
/*
 * format-test.c - unit tests of the runtime's printf (runtime/format.c, built in user
 * space).  The expected strings are what SystemTap 4.8 printed for the same conversions
 * (testsuite/relaytap.guest/lang/printf.out).  Reports through dejagnu.h.
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
	totals();
	return 0;
}
