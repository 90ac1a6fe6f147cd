// SPDX-License-Identifier: GPL-2.0
/*
 * probes.c - probe points: begin/end/error, timers, and function probes, whose
 * wildcards expand against the target kernel's symbol list (stap -l lists them).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"
#include "typed.h"

/* resolving an optional point: a failure drops it without a word */
static int quiet;

#define pdiag(loc, ...) qdiag(quiet, loc, __VA_ARGS__)

/**
 * timer_point - timer.UNIT(N)[.randomize(M)]: the period and range in ns, or for
 * timer.jiffies in jiffies (*@jiffies set: the module converts them with the target
 * kernel's TICK_NSEC, as its CONFIG_HZ is known only there); -1 if not a timer
 */
static int timer_point(const char *point, uint64_t *period, uint64_t *range, int *jiffies)
{
	static const struct { const char *unit; uint64_t ns; } units[] = {
		{ "ms", 1000000 }, { "us", 1000 }, { "s", 1000000000 }, { "sec", 1000000000 },
		{ "ns", 1 }, { "jiffies", 1 }, { "hz", 0 },
		{ "msec", 1000000 }, { "usec", 1000 }, { "nsec", 1 },	/* 4.8's other names */
	};
	unsigned long long n, m = 0;
	char unit[16], end;
	unsigned int i;
	int k;

	k = sscanf(point, "timer.%15[a-z](%llu).randomize(%llu)%c", unit, &n, &m, &end);
	if (k != 3 && !(k == 2 && sscanf(point, "timer.%15[a-z](%llu)%c", unit, &n, &end) == 2))
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(units[i].unit, unit))
			continue;
		if (!units[i].ns) {
			*period = n ? 1000000000ULL / n : 0;
			*range = 0;
			return k == 3 ? -1 : 0;
		}
		/* a product that overflows is out of range: the caller refuses it */
		*period = n > UINT64_MAX / units[i].ns ? UINT64_MAX : n * units[i].ns;
		*range = m > UINT64_MAX / units[i].ns ? UINT64_MAX : m * units[i].ns;
		*jiffies = !strcmp(unit, "jiffies");
		return 0;
	}
	return -1;
}

/**
 * func_point - [kprobe|kernel].function("PAT")[.return]
 * @point: the probe point
 * @pat:   the pattern, filled in
 * @size:  its size
 * @ret:   set for .return
 *
 * Return: 0, or -1 when @point is not a function probe.
 */
static int func_point(const char *point, char *pat, size_t size, int *ret)
{
	const char *q, *end;

	if (!strncmp(point, "kprobe.function(\"", 17))
		q = point + 17;
	else if (!strncmp(point, "kernel.function(\"", 17))
		q = point + 17;
	else
		return -1;
	end = strstr(q, "\")");
	if (!end || (size_t)(end - q) >= size || end == q)
		return -1;
	memcpy(pat, q, end - q);
	pat[end - q] = '\0';
	*ret = !strcmp(end + 2, ".return");
	/* .call: not an inlined instance; BTF and kallsyms know no inlined ones */
	if (!strcmp(end + 2, ".call") || (!strcmp(end + 2, ".inline") && *point == 'k' &&
					  point[1] == 'e'))
		return 0;
	return *ret || !end[2] ? 0 : -1;
}

/**
 * read_symbols - the function names in a kallsyms or System.map file
 * @path: the file
 * @n:    set to how many
 *
 * Return: the names (text symbols of the kernel proper, with the compiler's clones such
 * as 'f.isra.0', which match_symbols() gives only to a pattern with a '.'), or NULL.
 */
static char **read_symbols(const char *path, int *n)
{
	char line[512], type, name[256], mod[128];
	char **v = NULL;
	int cap = 0;
	FILE *f = fopen(path, "r");

	*n = 0;
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %c %255s %127s", &type, name, mod) != 2)
			continue;
		if (type != 't' && type != 'T' && type != 'W')
			continue;	/* 'W': a weak function (elfcorehdr_alloc), 4.8 probes it */
		if (*n == cap) {
			cap = cap ? cap * 2 : 4096;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				break;
		}
		v[(*n)++] = xstrdup(name);
	}
	fclose(f);
	return v;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#define BRACE_MAX	1024	/* patterns one function name expands to: stap(1) Limits */

/*
 * brace_expand - the patterns of @pat after brace expansion, as 4.8 expands braces in a
 * function name (kprobe.function("vfs_{read,write}")), appended to @v (@n of them); an
 * unclosed brace stays literal.  -1 with errno E2BIG beyond BRACE_MAX patterns.
 */
static int brace_expand(const char *pat, char ***v, int *n)
{
	const char *open = strchr(pat, '{'), *q = open, *alt, *e;
	int depth = 0, rc = 0;
	char *buf;

	for (; q && *q; q++)		/* its closing brace */
		if (*q == '{')
			depth++;
		else if (*q == '}' && !--depth)
			break;
	if (!q || !*q) {
		if (*n == BRACE_MAX) {
			errno = E2BIG;
			return -1;
		}
		*v = realloc(*v, (*n + 1) * sizeof(**v));
		if (!*v)
			abort();
		(*v)[(*n)++] = xstrdup(pat);
		return 0;
	}
	buf = xcalloc(strlen(pat) + 1, 1);
	for (alt = open + 1; alt <= q && !rc; alt = e + 1) {
		for (depth = 0, e = alt; e < q && (depth || *e != ','); e++)
			depth += *e == '{' ? 1 : *e == '}' ? -1 : 0;
		sprintf(buf, "%.*s%.*s%s", (int)(open - pat), pat, (int)(e - alt), alt, q + 1);
		rc = brace_expand(buf, v, n);
	}
	free(buf);
	return rc;
}

static char **all;		/* the target's function symbols, sorted */
static int nall = -1;

/** first_with_prefix - the index of the first sorted symbol not below @len bytes of @prefix */
static int first_with_prefix(const char *prefix, size_t len)
{
	int lo = 0, hi = nall, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strncmp(all[mid], prefix, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * match_one - mark in @hit the symbols of the list that shell pattern @pat matches (with
 * @dot, clones' names too): only those with its literal prefix, found by binary search
 */
static void match_one(const char *pat, int dot, char *hit)
{
	size_t len = strcspn(pat, "*?[\\");
	int lo = first_with_prefix(pat, len);

	for (; lo < nall && !strncmp(all[lo], pat, len); lo++)
		if ((dot || !strchr(all[lo], '.')) && !fnmatch(pat, all[lo], 0))
			hit[lo] = 1;
}

/**
 * match_symbols - the symbols matching @pat, sorted and unique
 * @pat: a shell pattern
 * @opt: where the symbol list is
 * @n:   set to how many (-1 when there is no symbol list, -2 when @pat's braces expand
 *       to more than BRACE_MAX patterns)
 */
static char **match_symbols(const char *pat, const struct options *opt, int *n)
{
	int dot = !!strchr(pat, '.');	/* a clone's name, 'f.isra.0', written out */
	char **v = NULL, **pv = NULL, *hit;
	int i, j, k = 0, np = 0;

	if (nall < 0 && opt->symbols && opt->symbols()) {
		all = read_symbols(opt->symbols(), &nall);
		if (all)
			qsort(all, nall, sizeof(*all), cmp_str);
	}
	*n = -1;
	if (nall < 0)
		return NULL;
	if (brace_expand(pat, &pv, &np)) {
		*n = -2;
		goto free_patterns;
	}
	hit = xcalloc(nall + 1, 1);
	for (j = 0; j < np; j++)
		match_one(pv[j], dot, hit);
	v = xcalloc(nall + 1, sizeof(*v));
	for (i = 0; i < nall; i++)
		if (hit[i] && (!k || strcmp(v[k - 1], all[i])))
			v[k++] = all[i];
	free(hit);
	*n = k;
free_patterns:
	for (j = 0; j < np; j++)
		free(pv[j]);
	free(pv);
	return *n < 0 ? NULL : v;
}

/** clone_len - the length of @sym without a compiler clone's suffix (".isra.0") */
static size_t clone_len(const char *sym)
{
	const char *d = strstr(sym, ".isra."), *c = strstr(sym, ".constprop.");

	if (!d || (c && c < d))
		d = c;
	return d ? (size_t)(d - sym) : strlen(sym);
}

/**
 * clone_symbol - the symbol of function @name when the compiler kept only a clone of it
 * ("f.isra.0", "f.constprop.0"; not "f.part.0", the outlined part of an inlined f), as
 * 4.8 probes f there; NULL when none
 */
static char *clone_symbol(const char *name)
{
	size_t len = strlen(name);
	int lo = first_with_prefix(name, len);

	for (; lo < nall && !strncmp(all[lo], name, len); lo++)
		if (all[lo][len] == '.' && clone_len(all[lo]) == len && !strstr(all[lo], ".part."))
			return all[lo];
	return NULL;
}

/** clone_probe - a copy of @p on function @sym (@at: FUNC@FILE's, see below) */
static struct probe *clone_probe(struct probe *p, const char *sym, int at)
{
	struct probe *c = xcalloc(1, sizeof(*c));
	const char *suffix = strstr(p->point, "\")");
	/* FUNC@FILE: a clone (its symbol) is named as its function, as 4.8 names it */
	int len = at ? (int)clone_len(sym) : (int)strlen(sym);
	char point[600];

	*c = *p;
	c->locals = NULL;
	snprintf(point, sizeof(point), "%.6s.function(\"%.*s\")%s", p->point, len, sym,
		 suffix ? suffix + 2 : "");
	c->point = xstrdup(point);
	c->symbol = xstrdup(sym);
	c->optional = 1;
	return c;
}

/**
 * file_symbols - FUNC@FILE: the functions of the source files FILE matches (kdwarf.c),
 * those the symbol list has (an inlined copy has no symbol), sorted; NULL after an error
 */
static char **file_symbols(struct probe *p, const char *pat, const struct options *opt,
			   int *n)
{
	const char *at = strchr(pat, '@'), *path = kdwarf_path(opt);
	char func[256], **v, *clone;
	int i, k = 0;

	snprintf(func, sizeof(func), "%.*s", (int)(at - pat), pat);
	if (strchr(at, ':')) {
		pdiag(&p->loc, "probe point '%s': a source line (func@file:line) is not supported",
		      p->point);
		return NULL;
	}
	if (!path) {
		pdiag(&p->loc, "'%s': matching functions by source file needs the target kernel's "
		      "DWARF (install linux-image-%s-dbg)", pat, opt->kernel ? opt->kernel(1) : "");
		return NULL;
	}
	v = kdwarf_functions(path, func, at + 1, n);
	if (!v) {
		pdiag(&p->loc, "cannot read the kernel's DWARF from '%s': %s", path,
		      strerror(errno));
		return NULL;
	}
	free(match_symbols("", opt, &i));	/* loads the symbol list */
	for (i = 0; i < *n; i++) {
		if (nall < 0 || bsearch(&v[i], all, nall, sizeof(*all), cmp_str))
			v[k++] = v[i];
		else if ((clone = clone_symbol(v[i])))	/* proc_apply_options.isra.0 */
			v[k++] = xstrdup(clone);
	}
	*n = k;
	qsort(v, k, sizeof(*v), cmp_str);
	return v;
}

/**
 * inline_point - @p names function @sym that has no symbol: with the kernel's DWARF, one
 * probe per inlined copy whose caller has a symbol (4.8 probes them too); 1 when there is
 * no DWARF or no copy (as before: the symbol fails when the module starts), -1 on error
 */
static int inline_point(struct probe *p, const char *sym, const struct options *opt)
{
	const char *path = kdwarf_path(opt);
	struct kdsite *v;
	struct probe *c, *last = p;
	int n, i, k = 0;

	if (!path || (n = kdwarf_inline_sites(path, sym, &v)) <= 0)
		return 1;
	for (i = 0; i < n; i++)
		if (bsearch(&v[i].caller, all, nall, sizeof(*all), cmp_str))
			v[k++] = v[i];	/* not in a compiler clone (foo.isra.0) */
	if (!k)
		return 1;
	if (p->ret) {
		pdiag(&p->loc, "'%s' is inlined (it has no symbol): a .return probe needs a "
		      "function of its own", sym);
		return -1;
	}
	p->symbol = xstrdup(sym);
	p->optional = 1;
	for (i = 0; i < k; i++) {
		c = i ? xcalloc(1, sizeof(*c)) : p;
		if (i) {
			*c = *p;
			c->next = last->next;
			last->next = c;
			last = c;
		}
		c->site = &v[i];
		c->offset = v[i].off;
	}
	return 0;
}

/* inline_only_point - kernel.function("NAME").inline (4.8's): only NAME's inlined copies,
 * also when it has a symbol; none (or no DWARF) is an error, or nothing when optional */
static int inline_only_point(struct probe *p, const char *pat, const struct options *opt,
			     char **v)
{
	int rc;

	free(v);
	if (strpbrk(pat, "*?[{@")) {
		pdiag(&p->loc, "probe point '%s': .inline needs a function's name", p->point);
		return -1;
	}
	rc = inline_point(p, pat, opt);
	if (rc <= 0)
		return rc;
	pdiag(&p->loc, "no inlined copy of '%s' was found%s", pat, kdwarf_path(opt) ? "" :
	      " (inlined copies need the target kernel's DWARF: linux-image-REL-dbg)");
	return -1;
}

/**
 * unsupported_form - whether @point is one of 4.8's built-in forms that relaytap does not
 * have (module("M").function, kernel.statement, kernel.mark, a .label, perf.*): "not
 * supported", rather than a mismatch that suggests unrelated names
 */
static int unsupported_form(const char *point)
{
	static const char *const forms[] = { "module(*", "kernel.statement(*", "kernel.mark(*",
					     "*).label(*", "perf.*", "java(*" };
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(*forms); i++)
		if (!fnmatch(forms[i], point, 0))
			return 1;
	return 0;
}

/** kprobe_point - resolve a function probe; a wildcard becomes one probe per match */
static int kprobe_point(struct probe *p, const char *pat, const struct options *opt)
{
	struct probe *last = p, *c;
	char **v;
	int n, i;

	p->kind = P_KPROBE;
	if (strchr(pat, '@')) {
		v = file_symbols(p, pat, opt, &n);
		if (!v)
			return -1;
	} else {
		v = match_symbols(pat, opt, &n);
	}
	if (strlen(p->point) > 7 && !strcmp(p->point + strlen(p->point) - 7, ".inline"))
		return inline_only_point(p, pat, opt, v);
	if (!strpbrk(pat, "*?[{@")) {
		free(v);
		if (!n && (i = inline_point(p, pat, opt)) <= 0)
			return i;
		p->symbol = xstrdup(pat);
		/*
		 * 4.8 resolves a function at pass 2 ("no match"); '@FILE' and ':LINE' forms,
		 * which a symbol list cannot check, and a target without one resolve when the
		 * module starts
		 */
		if (!n && !p->want_optional && !strpbrk(pat, "@:")) {
			pdiag(&p->loc, "no function of the target kernel matches '%s'", pat);
			return -1;
		}
		if (!p->want_optional)
			return 0;
		p->optional = 1;	/* no symbol list: the module skips it if it cannot */
		return n ? 0 : -1;	/* not in the list: resolves to nothing */
	}
	if (n == -2) {
		pdiag(&p->loc, "probe point '%s': its braces expand to more than %d patterns",
		      p->point, BRACE_MAX);
		return -1;
	}
	if (n < 0) {
		pdiag(&p->loc, "probe point '%s' has a wildcard, but no symbol list of the target "
		     "kernel was found (see stap -h)", p->point);
		return -1;
	}
	if (!n) {
		pdiag(&p->loc, "no function of the target kernel matches '%s'", pat);
		return -1;
	}
	p->symbol = v[0];
	p->optional = 1;
	c = clone_probe(p, v[0], !!strchr(pat, '@'));
	p->point = c->point;
	for (i = 1; i < n; i++) {
		c = clone_probe(p, v[i], !!strchr(pat, '@'));
		c->next = last->next;
		last->next = c;
		last = c;
	}
	free(v);
	return 0;
}

/** be_point - @p is begin, end or error (@name), with an optional (N): its @seq */
static int be_point(struct probe *p, const char *name)
{
	size_t n = strlen(name);
	char *end;

	if (strncmp(p->point, name, n))
		return -1;
	p->seq = 0;
	if (!p->point[n])
		return 0;
	if (p->point[n] != '(')
		return -1;
	p->seq = strtoll(p->point + n + 1, &end, 10);
	return end > p->point + n + 1 && !strcmp(end, ")") ? 0 : -1;
}

static int point_sema(struct probe *p, const struct options *opt)
{
	char pat[256];
	int rc = uprobe_point(p, quiet);

	if (rc <= 0)
		return rc;
	rc = trace_point(p, opt);

	if (rc <= 0)
		return rc;
	rc = procfs_point(p);
	if (rc <= 0)
		return rc;
	rc = netfilter_point(p, opt);
	if (rc <= 0)
		return rc;
	rc = hwbkpt_point(p, opt);
	if (rc <= 0)
		return rc;
	if (!timer_point(p->point, &p->period_ns, &p->rand_ns, &p->jiffies)) {
		/* 4.8: "interval value out of range" below 100us or above a day, "invalid
		 * interval for jiffies timer" above 1000000 jiffies */
		if (p->jiffies && (p->period_ns < 1 || p->period_ns > 1000000 ||
				   p->rand_ns >= p->period_ns)) {
			pdiag(&p->loc, "probe point '%s' needs 1 to 1000000 jiffies, more than its "
			      "randomization", p->point);
			return -1;
		}
		if (!p->jiffies && (p->period_ns < 100000 || p->rand_ns >= p->period_ns ||
				    p->period_ns > 86400000000000ULL)) {
			pdiag(&p->loc, "probe point '%s' needs a period of 100us to 1 day, longer "
			     "than its randomization", p->point);
			return -1;
		}
		p->kind = P_TIMER;
		return 0;
	}
	if (!func_point(p->point, pat, sizeof(pat), &p->ret))
		return kprobe_point(p, pat, opt);
	if (!strcmp(p->point, "timer.profile"))
		p->kind = P_PROFILE;
	else if (!be_point(p, "begin"))
		p->kind = P_BEGIN;
	else if (!be_point(p, "end"))
		p->kind = P_END;
	else if (!be_point(p, "error"))
		p->kind = P_ERROR;
	else if (!strcmp(p->point, "never"))
		p->kind = P_NEVER;
	else if (!strchr(p->point, '(') && tapset_np_reason(opt, 'a', p->point)) {
		pdiag(&p->loc, "probe point '%s' is not provided by relaytap's tapset library (%s)",
		      p->point, tapset_np_reason(opt, 'a', p->point));
		return -1;
	} else if (unsupported_form(p->point)) {
		pdiag(&p->loc, "probe point '%s' is not supported (see stap(1))", p->point);
		return -1;
	} else {
		return 2;	/* it names nothing: probe_expand says so, with similar names */
	}
	return 0;
}

static void renumber(struct script *s)
{
	struct probe *p;
	int i = 0;

	for (p = s->probes; p; p = p->next)
		p->index = i++;
	s->nprobes = i;
}

/* the built-in probe points whose names a wildcard component may match; "()" marks a
 * component that takes an argument (4.8's derivation tree, the kinds stap(1) lists), in
 * the order of 4.8's tree, which sorts each component's names */
static const char *const builtin_points[] = {
	"begin", "begin()", "end", "end()", "error", "error()",
	"kernel.function()", "kernel.function().call", "kernel.function().return",
	"kernel.trace()", "kprobe.function()", "kprobe.function().call",
	"kprobe.function().return", "never",
	"timer.hz()", "timer.jiffies()", "timer.ms()", "timer.msec()", "timer.ns()",
	"timer.nsec()", "timer.profile", "timer.s()", "timer.sec()", "timer.us()",
	"timer.usec()", NULL,
};

/*
 * next_component - the component of @p up to the next '.' outside parentheses and quotes;
 * its name's length in *@name_len and whether it has an argument in *@arg
 */
static const char *next_component(const char *p, size_t *name_len, int *arg)
{
	*name_len = strcspn(p, ".(");
	*arg = p[*name_len] == '(';
	return p + point_component(p);
}

/*
 * builtin_match - @point with its wildcard names replaced by built-in point @b's, into
 * @out; 0, or -1 when they do not match component by component
 */
static int builtin_match(const char *point, const char *b, char *out, size_t size)
{
	size_t n = 0, pl, bl;
	const char *pe, *be;
	char name[64], pat[64];
	int pa, ba;

	for (;;) {
		pe = next_component(point, &pl, &pa);
		be = next_component(b, &bl, &ba);
		if (pa != ba || pl >= sizeof(pat) || pl < 1)
			return -1;
		snprintf(name, sizeof(name), "%.*s", (int)bl, b);
		snprintf(pat, sizeof(pat), "%.*s", (int)pl, point);
		if (fnmatch(pat, name, 0))
			return -1;
		n += snprintf(out + n, n < size ? size - n : 0, "%s%.*s", name,
			      (int)(pe - point - pl), point + pl);
		if (!*pe || !*be)
			return *pe || *be || n >= size ? -1 : 0;
		n += snprintf(out + n, n < size ? size - n : 0, ".");
		point = pe + 1;
		b = be + 1;
	}
}

/*
 * builtin_expand - a point whose name components have wildcards and name no alias
 * (time*.s(1), kernel.func*("f")): the built-in points it matches, as 4.8 resolves them,
 * in place of @p; 1 when it expanded, else 0.  As in 4.8, a match that does not resolve
 * (timer.ns(1) of timer.*(1): too short) is dropped without a word.
 */
static int builtin_expand(struct probe *p)
{
	const char *pat = p->point, *c;
	struct probe *last = p, *q;
	int i, n = 0, depth = 0, wild = 0;
	char out[600];

	for (c = pat; *c; c++) {	/* a wildcard in a name, not in an argument */
		if (*c == '(')
			depth++;
		else if (*c == ')')
			depth--;
		else if (!depth && strchr("*?[", *c))
			wild = 1;
	}
	if (!wild)
		return 0;
	for (i = 0; builtin_points[i]; i++) {
		if (builtin_match(pat, builtin_points[i], out, sizeof(out)))
			continue;
		if (!n++) {
			p->point = xstrdup(out);
			p->want_optional = 1;
			continue;
		}
		q = xcalloc(1, sizeof(*q));
		*q = *last;
		q->point = xstrdup(out);
		q->locals = NULL;
		last->next = q;
		last = q;
	}
	return n > 0;
}

/**
 * probe_expand - resolve every probe point, expanding wildcards
 * @s:   the script
 * @opt: the command line (the symbol list)
 *
 * Return: 0, or -1 after a diagnostic.
 */
int probe_expand(struct script *s, const struct options *opt)
{
	struct probe **pp = &s->probes, *p, *after;
	const struct stmt *stop = NULL;
	struct loc first = s->probes->loc;
	int rc;

	while ((p = *pp)) {
		if (p->body == stop) {		/* after a sufficient point that resolved */
			*pp = p->next;
			continue;
		}
		rc = alias_expand(s, pp);
		if (rc < 0)
			return -1;
		if (rc || builtin_expand(p))	/* look at the expansion: aliases of aliases */
			continue;
		after = p->next;
		quiet = p->want_optional;
		rc = point_sema(p, opt);
		if (rc == 2 && !quiet)
			tapset_point_mismatch(s, opt, p, builtin_points);
		quiet = 0;
		if (rc && !p->want_optional)
			return -1;
		if (rc) {			/* an optional point that resolves to nothing */
			*pp = after;
			continue;
		}
		if (p->sufficient)
			stop = p->body;
		else if (alias_stop(p))		/* 'probe ALIAS !, ...' */
			stop = alias_stop(p);
		while (*pp != after)		/* past its wildcard expansion */
			pp = &(*pp)->next;
	}
	if (!s->probes) {
		diag(&first, "no probes found: every probe point is optional and resolves to "
		     "nothing");
		return -1;
	}
	renumber(s);
	hwbkpt_check(s);
	return procfs_check(s);
}

/** cond_expr - what a probe condition may do: read globals (4.8's messages) */
static int cond_expr(const struct script *s, const struct expr *e)
{
	const struct sym *g;
	int i;

	if (!e)
		return 0;
	if (e->kind == E_CALL) {
		diag(&e->loc, "probe condition must not reference function '%s'", e->str);
		return -1;
	}
	if (e->kind == E_ASSIGN || e->kind == E_INCDEC) {
		diag(&e->loc, "probe condition must not modify any variables");
		return -1;
	}
	if (e->kind == E_VAR || e->kind == E_INDEX || e->kind == E_IN) {
		for (g = s->globals; g && strcmp(g->name, e->str); g = g->next)
			;
		if (!g) {
			diag(&e->loc, "probe condition must not reference undeclared global '%s'",
			     e->str);
			return -1;
		}
	}
	for (i = 0; i < e->nargs; i++)
		if (cond_expr(s, e->args[i]))
			return -1;
	return cond_expr(s, e->a) || cond_expr(s, e->b) || cond_expr(s, e->c) ? -1 : 0;
}

/**
 * probe_conds - check the probes' conditions ('probe POINT if (EXPR)'): globals only,
 * no function, no assignment
 * @s: the script
 *
 * Return: 0, or -1 after a diagnostic.
 */
int probe_conds(const struct script *s)
{
	const struct probe *p;

	for (p = s->probes; p; p = p->next)
		if (p->cond && (!p->next || p->next->cond != p->cond) && cond_expr(s, p->cond))
			return -1;
	return 0;
}

/**
 * probe_drop_never - remove the 'never' probes, once they have been type-checked
 * @s: the script
 */
void probe_drop_never(struct script *s)
{
	struct probe **pp = &s->probes;

	while (*pp) {
		if ((*pp)->kind == P_NEVER)
			*pp = (*pp)->next;
		else
			pp = &(*pp)->next;
	}
	renumber(s);
}

/**
 * list_probes - stap -l: the probe points matching @pattern, one per line
 * @pattern: a probe point, with wildcards in a function name
 * @opt:     the symbol list
 * @vars:    stap -L: a process probe's target variables follow it (uplt_list)
 *
 * Return: 0, or -1 after a diagnostic (no match is not an error: nothing prints).
 */
int list_probes(const char *pattern, const struct options *opt, int vars)
{
	struct probe up = { .point = (char *)pattern, .loc = { "-l", 1, 1 } };
	char pat[256], **v;
	int ret, n, i;

	if (!strncmp(pattern, "process(", 8) || !strncmp(pattern, "process.", 8)) {
		ret = uprobe_point(&up, 0);		/* process probes: uprobes.c */
		if (!ret)
			uplt_list(&up, vars);	/* sorted, as 4.8 */
		return ret > 0 ? -1 : ret;
	}
	if (!strncmp(pattern, "kernel.trace(", 13))
		return trace_list(pattern, opt, 0) < 0 ? -1 : 0;
	if (func_point(pattern, pat, sizeof(pat), &ret)) {
		puts(pattern);
		return 0;
	}
	if (strchr(pat, '@')) {		/* FUNC@FILE: from the kernel's DWARF */
		v = file_symbols(&up, pat, opt, &n);
		if (!v)
			return -1;
		for (i = 0; i < n; i++)
			printf("%.6s.function(\"%.*s\")%s\n", pattern, (int)clone_len(v[i]), v[i],
			       ret ? ".return" : "");
		free(v);
		return 0;
	}
	v = match_symbols(pat, opt, &n);
	if (n == -2) {
		fprintf(stderr, "stap: '%s': its braces expand to more than %d patterns\n", pattern,
			BRACE_MAX);
		return -1;
	}
	if (n < 0) {
		fprintf(stderr, "stap: no symbol list of the target kernel was found\n");
		return -1;
	}
	for (i = 0; i < n; i++)
		printf("%.6s.function(\"%s\")%s\n", pattern, v[i], ret ? ".return" : "");
	free(v);
	return 0;
}
