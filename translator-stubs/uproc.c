// SPDX-License-Identifier: GPL-2.0
/*
 * uproc.c - process lifetime probe points: process("PATH"), process(PID) or process
 * followed by .begin, .end, .thread.begin or .thread.end (SystemTap 4.8's
 * utrace_derived_probe, stapprobes(3stap)), and their descriptors for
 * runtime/probes/uproc.c.
 */
#include <string.h>
#include "emit.h"

/* the runtime keeps one bit per probe of a tracked process (a u64) */
#define MAX_UPROCS	64

static int nuprocs;

/**
 * uproc_point - @p is a process lifetime probe, when @rest is one of the four suffixes
 * @p:    the probe
 * @rest: what follows process, process("PATH") or process(PID)
 * @file: the program (absolute, resolved by the caller), or NULL
 * @pid:  the process, or 0
 *
 * Return: 0 when it is one (P_UPROC), 1 when @rest is no such suffix, -1 after a
 * diagnostic.
 */
int uproc_point(struct probe *p, const char *rest, const char *file, long pid, int q)
{
	static const char *const whats[] = {
		".begin", ".end", ".thread.begin", ".thread.end", NULL,
	};
	int i;

	for (i = 0; whats[i] && strcmp(rest, whats[i]); i++)
		;
	if (!whats[i])
		return 1;
	if (++nuprocs > MAX_UPROCS) {
		qdiag(q, &p->loc, "probe point '%s': a script has at most %d process .begin, "
		      ".end, .thread.begin and .thread.end probes", p->point, MAX_UPROCS);
		return -1;
	}
	p->kind = P_UPROC;
	p->uproc = i;
	p->file = file ? xstrdup(file) : NULL;
	p->offset = pid;
	return 0;
}

/** uproc_emit - the process lifetime probes' descriptors (struct rt_uproc); how many */
int uproc_emit(struct out *o, const struct script *s)
{
	static const char *const whats[] = {
		"RT_UPROC_BEGIN", "RT_UPROC_END", "RT_UPROC_THREAD_BEGIN", "RT_UPROC_THREAD_END",
	};
	const struct probe *p;
	int n = 0;

	for (p = s->probes; p; p = p->next)
		n += p->kind == P_UPROC;
	if (!n)
		return 0;
	put(o, "static struct rt_uproc rt_upcs[%d] = {\n", n);
	for (p = s->probes; p; p = p->next) {
		if (p->kind != P_UPROC)
			continue;
		put(o, "\t{ .pi = &rt_pi_%d, .fn = rt_body_%d, .file = ", p->index,
		    first_with_body(s, p)->index);
		if (p->file)
			emit_cstr(o, p->file);
		else
			put(o, "NULL");
		put(o, ", .pid = %llu, .what = %s },\n", (unsigned long long)p->offset,
		    whats[p->uproc]);
	}
	put(o, "};\n");
	return n;
}
