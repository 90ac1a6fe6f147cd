// SPDX-License-Identifier: GPL-2.0
/*
 * hwbkpt.c - hardware watchpoint probe points, as SystemTap 4.8's (stapprobes(3stap)):
 *
 *   kernel.data(ADDRESS)[.length(N)].write   kernel.data(ADDRESS)[.length(N)].rw
 *   kernel.data("SYMBOL").write              kernel.data("SYMBOL").rw
 *
 * A length is rounded up to one x86 supports (1, 2, 4 or 8 bytes); a symbol watches 1
 * byte and is looked up in the target's symbol list, as its offset from 'jiffies'
 * (runtime/probes/hwbkpt.c adds &jiffies: KASLR moves the image as one block).  More
 * watchpoints than x86's four debug registers is a warning, as in 4.8.
 */
#include <stdlib.h>
#include <string.h>
#include "emit.h"

#define HWBKPT_MAX	4	/* x86's debug registers */

/**
 * symbol_address - @name's address in the symbol list @path (any symbol type)
 * Return: 0, or -1 when the list or the name is missing.
 */
static int symbol_address(const char *path, const char *name, unsigned long long *addr)
{
	char line[512], sym[256];
	FILE *f = path ? fopen(path, "r") : NULL;
	int found = -1;

	while (f && found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %*c %255s", addr, sym) == 2 && !strcmp(sym, name))
			found = 0;
	if (f)
		fclose(f);
	return found;
}

/** length - "N" at @q into *@len, rounded up to 1, 2, 4 or 8; 0, or -1 */
static int length(const char *q, int *len)
{
	char *end;
	long long n = strtoll(q, &end, 10);

	if (end == q || *end != ')' || n <= 0 || n > 8)
		return -1;
	*len = n <= 1 ? 1 : n <= 2 ? 2 : n <= 4 ? 4 : 8;
	return 0;
}

/**
 * hwbkpt_point - resolve a kernel.data() probe point
 * @p:   the probe
 * @opt: the command line (the symbol list)
 *
 * Return: 0, 1 when @p is no kernel.data point, or -1 after a diagnostic.
 */
int hwbkpt_point(struct probe *p, const struct options *opt)
{
	const char *q = p->point + strlen("kernel.data(");
	unsigned long long sym, base;
	const char *end, *acc;
	char name[256], *num;
	int len = 1;

	if (strncmp(p->point, "kernel.data(", 12))
		return 1;
	acc = strrchr(p->point, '.');
	if (!acc || (strcmp(acc, ".write") && strcmp(acc, ".rw")))
		goto bad;
	if (*q == '"') {
		end = strstr(q, "\")");
		if (!end || end - q - 1 >= (long)sizeof(name) || end + 2 != acc)
			goto bad;
		snprintf(name, sizeof(name), "%.*s", (int)(end - q - 1), q + 1);
		if (symbol_address(opt->symbols ? opt->symbols() : NULL, name, &sym) ||
		    symbol_address(opt->symbols(), "jiffies", &base)) {
			diag(&p->loc, "no symbol '%s' in the target kernel's symbol list (see "
			     "stap -h)", name);
			return -1;
		}
		p->symbol = xstrdup(name);
		p->offset = 0;
		p->ref_ctr = sym - base;
	} else {
		p->offset = strtoull(q, &num, 10);
		if (*q == '-')
			p->offset = (unsigned long long)strtoll(q, &num, 10);
		if (num == q || *num != ')')
			goto bad;
		if (!p->offset) {
			diag(&p->loc, "kernel.data(0) watches no address");
			return -1;
		}
		if (!strncmp(num + 1, ".length(", 8) && (length(num + 9, &len) ||
		    strchr(num + 9, ')') + 1 != acc)) {
			diag(&p->loc, "hardware breakpoint length must be 1 to 8 bytes on x86");
			return -1;
		}
		if (strncmp(num + 1, ".length(", 8) && num + 1 != acc)
			goto bad;
	}
	p->kind = P_HWBKPT;
	p->ret = !strcmp(acc, ".rw");
	p->period_ns = len;
	return 0;
bad:
	diag(&p->loc, "probe point '%s' is not supported (see stap(1))", p->point);
	return -1;
}

/** hwbkpt_check - 4.8's warning when more watchpoints than debug registers are asked */
void hwbkpt_check(const struct script *s)
{
	const struct probe *p, *first = NULL;
	int n = 0;

	for (p = s->probes; p; p = p->next)
		if (p->kind == P_HWBKPT && !n++)
			first = p;
	if (n > HWBKPT_MAX)
		warn(&first->loc, "Too many hardware breakpoint probes requested for x86_64 "
		     "(%d vs. %d)", n, HWBKPT_MAX);
}

/**
 * hwbkpt_emit - the script's watchpoints (runtime/probes/hwbkpt.c struct rt_hwbkpt)
 * Return: how many rt_hwbkpts lists (0: nothing emitted).
 */
int hwbkpt_emit(struct out *o, const struct script *s)
{
	const struct probe *p;
	int n = 0;

	for (p = s->probes; p; p = p->next)
		n += p->kind == P_HWBKPT;
	if (!n)
		return 0;
	put(o, "static struct rt_hwbkpt rt_hwbkpts[%d] = {\n", n);
	for (p = s->probes; p; p = p->next)
		if (p->kind == P_HWBKPT)
			put(o, "\t{ .pi = &rt_pi_%d, .fn = rt_body_%d, .addr = 0x%llxULL, "
			    ".delta = %lldL, .len = %d, .type = HW_BREAKPOINT_%s },\n", p->index,
			    first_with_body(s, p)->index, (unsigned long long)p->offset,
			    (long long)p->ref_ctr, (int)p->period_ns, p->ret ? "RW" : "W");
	put(o, "};\n");
	return n;
}
