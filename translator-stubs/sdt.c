// SPDX-License-Identifier: GPL-2.0
/*
 * sdt.c - the operands of SDT marks (<sys/sdt.h>, "-4@%edi 8@-24(%rbp) 4@$5"), as the C
 * initializers of runtime/probes/sdt.c's struct rt_sdt_arg: x86_64 registers of any
 * width become struct pt_regs members.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"

/** sdt_reg - the struct pt_regs member of x86_64 register @r (any width), or NULL */
static const char *sdt_reg(const char *r, size_t n)
{
	static const char *const regs[][5] = {
		{ "ax", "rax", "eax", "ax", "al" }, { "bx", "rbx", "ebx", "bx", "bl" },
		{ "cx", "rcx", "ecx", "cx", "cl" }, { "dx", "rdx", "edx", "dx", "dl" },
		{ "si", "rsi", "esi", "si", "sil" }, { "di", "rdi", "edi", "di", "dil" },
		{ "bp", "rbp", "ebp", "bp", "bpl" }, { "sp", "rsp", "esp", "sp", "spl" },
		{ "ip", "rip", "eip", "ip", "" },
	};
	char name[8];
	int i, k;

	if (n < 2 || n > 5)
		return NULL;
	memcpy(name, r, n);
	name[n] = '\0';
	for (i = 0; i < (int)(sizeof(regs) / sizeof(*regs)); i++)
		for (k = 1; k < 5; k++)
			if (!strcmp(name, regs[i][k]))
				return regs[i][0];
	/* r8..r15 and their r8d, r8w, r8b: the member is the 64-bit name */
	if (name[0] == 'r' && name[1] >= '0' && name[1] <= '9') {
		static char m[4];

		k = strtol(name + 1, NULL, 10);
		if (k < 8 || k > 15)
			return NULL;
		snprintf(m, sizeof(m), "r%d", k);
		return m;
	}
	return NULL;
}

/**
 * sdt_operand - one SDT operand as the C initializer of a struct rt_sdt_arg
 * (runtime/probes/sdt.c): "SIZE@%reg", "SIZE@$const", "SIZE@disp(%base[,%index[,scale]])"
 */
static void sdt_operand(const char *op, size_t n, char *buf, size_t size)
{
	char text[128], *at, *p, *end;
	const char *base = NULL, *index = NULL, *r;
	long sz, disp = 0, scale = 1;
	char b[8] = "-1", x[8] = "-1";
	const char *kind = "RT_SDT_UNSUP";

	snprintf(text, sizeof(text), "%.*s", (int)(n < 127 ? n : 127), op);
	sz = strtol(text, &at, 10);
	p = at + 1;
	if (*at != '@' || (labs(sz) != 1 && labs(sz) != 2 && labs(sz) != 4 && labs(sz) != 8)) {
		sz = 8;		/* an operand without a size: a long */
		p = text;
	}
	if (*p == '%' && (r = sdt_reg(p + 1, strlen(p + 1)))) {
		kind = "RT_SDT_REG";
		base = r;
	} else if (*p == '$') {
		disp = strtol(p + 1, &end, 0);
		if (!*end && end != p + 1)
			kind = "RT_SDT_CONST";
	} else {
		disp = strtol(p, &end, 0);
		if (*end == '(' && end[1] == '%' && (p = strpbrk(end + 2, ",)")) &&
		    (base = sdt_reg(end + 2, p - end - 2))) {
			if (*p == ',' && p[1] == '%' && (end = strpbrk(p + 2, ",)")) &&
			    (index = sdt_reg(p + 2, end - p - 2))) {
				if (*end == ',')
					scale = strtol(end + 1, &end, 10);
				p = end;
			}
			if (!strcmp(p, ")"))
				kind = "RT_SDT_MEM";
		}
	}
	if (base)
		snprintf(b, sizeof(b), "%s", base);
	if (index)
		snprintf(x, sizeof(x), "%s", index);
	snprintf(buf, size, "{ %s, %ld, %s%s%s, %s%s%s, %ld, %ldL, \"%s\" }", kind, sz,
		 base ? "offsetof(struct pt_regs, " : "", b, base ? ")" : "",
		 index ? "offsetof(struct pt_regs, " : "", x, index ? ")" : "", scale, disp, text);
}

/**
 * sdt_operands - the C initializers of a mark's arguments, one per operand
 * @args: the operands from the note, separated by spaces
 * @buf:  filled with "{ ... }, { ... }"
 * @size: its size
 *
 * Return: how many operands.
 */
int sdt_operands(const char *args, char *buf, size_t size)
{
	char one[256];
	size_t n, len = 0;
	int k = 0;

	buf[0] = '\0';
	while (args && *args) {
		args += strspn(args, " ");
		n = strcspn(args, " ");
		if (!n)
			break;
		sdt_operand(args, n, one, sizeof(one));
		if (len + strlen(one) + 3 >= size)
			break;
		len += snprintf(buf + len, size - len, "%s%s", k ? ", " : "", one);
		k++;
		args += n;
	}
	return k;
}

/**
 * sdt_nargs - how many arguments a mark has
 * @args: its operands from the note, separated by spaces; NULL for none
 *
 * Return: the count (what sdt_operands() returns for a large enough buffer).
 */
int sdt_nargs(const char *args)
{
	int k = 0;

	while (args && *args) {
		args += strspn(args, " ");
		if (!*args)
			break;
		args += strcspn(args, " ");
		k++;
	}
	return k;
}
