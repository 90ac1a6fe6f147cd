// SPDX-License-Identifier: GPL-2.0
/*
 * tapset-np.c - the tapset library's two refusals: the functions and probe aliases of
 * SystemTap 4.8's library that relaytap's leaves out, each with its reason (instead of
 * "unknown function"), and the library functions that only guru mode may call.
 *
 * The list is the library's file not-provided.txt (tapset/not-provided.txt; gen-man writes
 * it into tapsets(7)'s NOT PROVIDED section), read from each tapset directory that has
 * one.  A line is "function PATTERN, PATTERN...: REASON" or "probe PATTERN...: REASON";
 * a PATTERN is an fnmatch(3) pattern ('*' also matches dots); '#' starts a comment line.
 * A name the script or the library defines never reaches the list.
 *
 * A library function whose embedded C has the comment / * guru * / (4.8's marker, as in
 * its guru-signal.stp's raise()) may be called only with stap -g: without it, 4.8's
 * "function may not be used unless -g is specified".
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"

/**
 * struct np - one line of the list
 * @kind:    'f' (function) or 'a' (probe alias)
 * @pats:    its patterns, comma-separated, NUL-terminated
 * @reason:  the reason, as written
 */
struct np {
	char kind;
	char *pats;
	char *reason;
};

static struct np *nps;
static int nnps;

/** np_line - add line @s (modified in place) of the list; a malformed line is ignored */
static void np_line(char *s)
{
	char *colon, kind;

	s[strcspn(s, "\n")] = '\0';
	if (!strncmp(s, "function ", 9)) {
		kind = 'f';
		s += 9;
	} else if (!strncmp(s, "probe ", 6)) {
		kind = 'a';
		s += 6;
	} else {
		return;
	}
	colon = strstr(s, ": ");
	if (!colon)
		return;
	*colon = '\0';
	nps = realloc(nps, (nnps + 1) * sizeof(*nps));
	if (!nps) {
		fputs("stap: out of memory\n", stderr);
		exit(1);
	}
	nps[nnps].kind = kind;
	nps[nnps].pats = xstrdup(s);
	nps[nnps++].reason = xstrdup(colon + 2);
}

/** np_load - read not-provided.txt of each tapset directory once */
static void np_load(const struct options *opt)
{
	static int done;
	char path[4096], line[1024];
	FILE *f;
	int i;

	if (done++)
		return;
	for (i = 0; i < opt->ntapset_dirs; i++) {
		snprintf(path, sizeof(path), "%s/not-provided.txt", opt->tapset_dirs[i]);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			np_line(line);
		if (f)
			fclose(f);
	}
}

/** wild - @s has a wildcard character */
static int wild(const char *s)
{
	return s[strcspn(s, "*?[")] != '\0';
}

/**
 * np_match - 1 when @name matches one of the comma-separated patterns @pats; a @name with
 * wildcards ('probe nfs.*', 'probe vm.brk*') also when it matches a pattern's text
 */
static int np_match(const char *pats, const char *name)
{
	int w = wild(name);
	char pat[256];
	size_t n;

	while (*pats) {
		pats += strspn(pats, ", ");
		n = strcspn(pats, ",");
		if (n && n < sizeof(pat)) {
			memcpy(pat, pats, n);
			while (n && pat[n - 1] == ' ')
				n--;
			pat[n] = '\0';
			if (!fnmatch(pat, name, 0) || (w && !fnmatch(name, pat, 0)))
				return 1;
		}
		pats += strcspn(pats, ",");
	}
	return 0;
}

/**
 * tapset_np_reason - why the library leaves out @kind @name ('f' function, 'a' probe
 * alias), or NULL when it is not on the list
 * @opt:  the command line (its tapset directories); the list is read on the first call
 *        with @opt, and NULL asks the list read before (none read: NULL)
 * @kind: 'f' or 'a'
 * @name: the function's name, or the probe point as written
 *
 * The resolver asks while it pulls in library files and the checks ask where they would
 * say "unknown function" or "not supported", so that a name in a probe that resolves to
 * nothing, or in a library body no probe uses, is never refused (4.8 elaborates neither).
 */
const char *tapset_np_reason(const struct options *opt, char kind, const char *name)
{
	int i;

	if (opt)
		np_load(opt);
	for (i = 0; i < nnps; i++)
		if (nps[i].kind == kind && np_match(nps[i].pats, name))
			return nps[i].reason;
	return NULL;
}

/* the built-in points that probes.c's list (the names its wildcards match) leaves out */
static const char *const more_points[] = {
	"kernel.data()", "kernel.function().inline", "netfilter.hook()", "netfilter.pf()", "process()", "procfs()",
	"procfs.read", "procfs.write", NULL,
};

/** struct names - the probe points a mismatch suggests from */
struct names {
	const char **v;
	int n;
};

static void names_add(struct names *ns, const char *name)
{
	ns->v = realloc(ns->v, (ns->n + 1) * sizeof(*ns->v));
	if (!ns->v) {
		fputs("stap: out of memory\n", stderr);
		exit(1);
	}
	ns->v[ns->n++] = name;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/**
 * all_points - every probe point name stap knows: the built-in ones (@builtins, then
 * more_points), the script's aliases, the library's (loaded or not) and those the
 * library leaves out (not-provided.txt; their patterns, for they are 4.8's names)
 */
static void all_points(struct names *ns, const struct script *s, const struct options *opt,
		       const char *const *builtins)
{
	const char *lib;
	char *pat, *save, *name;
	size_t n;
	int i;

	for (i = 0; builtins[i]; i++)
		names_add(ns, builtins[i]);
	for (i = 0; more_points[i]; i++)
		names_add(ns, more_points[i]);
	for (i = 0; (lib = alias_name_nth(s, i)); i++)
		names_add(ns, lib);
	for (i = 0; opt->ntapset_dirs && (lib = tapset_alias_nth(opt, i)); i++)
		names_add(ns, lib);
	for (i = 0; i < nnps; i++) {
		if (nps[i].kind != 'a')
			continue;
		pat = xstrdup(nps[i].pats);	/* kept: the names point into it */
		for (name = strtok_r(pat, ", ", &save); name; name = strtok_r(NULL, ", ", &save)) {
			n = strlen(name);	/* "vfs.readv*" is vfs.readv and its .return */
			if (n > 1 && name[n - 1] == '*' && isalnum((unsigned char)name[n - 2]))
				name[n - 1] = '\0';
			names_add(ns, name);
		}
	}
}

/**
 * component - component @k of probe point @p (its argument cut off, as 4.8's
 * suggest_functors does), into @out; its offset in @p, or -1 when @p has fewer
 */
static int component(const char *p, int k, char *out, size_t size)
{
	const char *start = p;
	size_t n;

	for (; k > 0; k--) {
		p += point_component(p);
		if (*p++ != '.')
			return -1;
	}
	n = point_component(p);
	if (!n)
		return -1;
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p);
	out[strcspn(out, "(")] = '\0';
	return (int)(p - start);
}

/** leading - how many leading components of probe point @p name @name's (wildcards too) */
static int leading(const char *p, const char *name)
{
	char a[256], b[256];
	int k;

	for (k = 0; component(p, k, a, sizeof(a)) >= 0 && component(name, k, b, sizeof(b)) >= 0;
	     k++)
		if (strcmp(a, b) && fnmatch(a, b, 0) && fnmatch(b, a, 0))
			break;
	return k;
}

/**
 * tapset_point_mismatch - the error for probe point @p, which names no built-in point, no
 * alias and nothing the library leaves out, in the terms of 4.8's match_node (elaborate.cxx):
 * at its first component that no known point has there, "probe point mismatch" and the
 * five names closest to it that could come there (4.8's suggest_functors: a wildcard
 * component is compared by the text before its '*'); when it stops before a point is
 * complete, "probe point truncated" and the names that could follow
 * @s:        the script (its aliases)
 * @opt:      the command line (the library's directories)
 * @p:        the probe
 * @builtins: probes.c's built-in points ("()" marks an argument)
 */
void tapset_point_mismatch(const struct script *s, const struct options *opt,
			   const struct probe *p, const char *const *builtins)
{
	struct names ns = { 0 }, follow = { 0 };
	char comp[256], c[256], list[400];
	const char *line;
	struct loc loc = p->loc;
	int depth = 0, k, i, off;

	np_load(opt);
	all_points(&ns, s, opt, builtins);
	for (i = 0; i < ns.n; i++)
		if ((k = leading(p->point, ns.v[i])) > depth)
			depth = k;
	for (i = 0; i < ns.n && depth; i++)	/* all its names match: their arguments do not */
		if (leading(p->point, ns.v[i]) == depth && component(ns.v[i], depth, c, 1) < 0 &&
		    component(p->point, depth, c, 1) < 0) {
			depth--;
			break;
		}
	for (i = 0; i < ns.n; i++)
		if (leading(p->point, ns.v[i]) >= depth && component(ns.v[i], depth, c, sizeof(c)) >= 0
		    && !wild(c))
			names_add(&follow, ns.v[i] + component(ns.v[i], depth, c, sizeof(c)));
	for (i = 0; i < follow.n; i++) {	/* the names there, argument cut off */
		component(follow.v[i], 0, c, sizeof(c));
		follow.v[i] = xstrdup(c);
	}
	off = component(p->point, depth, comp, sizeof(comp));
	if (off < 0) {			/* 4.8 lists them all, sorted: the first five here */
		qsort(follow.v, follow.n, sizeof(*follow.v), cmp_name);
		for (i = k = 0, *list = '\0'; i < follow.n && k < 6; i++) {
			if (i && !strcmp(follow.v[i], follow.v[i - 1]))
				continue;
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%.64s",
				 k ? ", " : "", k < 5 ? follow.v[i] : "...");
			k++;
		}
		diag(&loc, "probe point truncated%s%s%s: '%s'", *list ? " (follow: " : "", list,
		     *list ? ")" : "", p->point);
		goto free_names;
	}
	line = lex_source_line(loc.file, loc.line);	/* the caret under the component */
	if (line && loc.col > 0 && (int)strlen(line) >= loc.col - 1 + off &&
	    !strncmp(line + loc.col - 1, p->point, off))
		loc.col += off;
	if (wild(comp) && strcspn(comp, "*?[") > 0)	/* 4.8: the text before the '*' */
		comp[strcspn(comp, "*?[")] = '\0';
	suggest_names(comp, follow.v, follow.n, list, sizeof(list));
	component(p->point, depth, comp, sizeof(comp));
	diag(&loc, "probe point mismatch%s%s%s%s: '%s' in '%s'",
	     wild(comp) ? ": didn't find any wildcard matches" : "", *list ? " (similar: " : "",
	     list, *list ? ")" : "", comp, p->point);
free_names:
	free(follow.v);
	free(ns.v);
}

/**
 * tapset_guru_only - refuse a call of a library function marked / * guru * / without -g
 * @s:   the script
 * @opt: the command line
 * @e:   an E_CALL
 *
 * Return: 1 after the diagnostic (4.8's words), else 0.
 */
int tapset_guru_only(const struct script *s, const struct options *opt, const struct expr *e)
{
	const struct func *f;

	if (opt->guru)
		return 0;
	for (f = s->funcs; f; f = f->next)
		if (!strcmp(f->name, e->str) && f->code && strstr(f->code, "/* guru */"))
			break;
	if (!f)
		return 0;
	diag(&e->loc, "function may not be used unless -g is specified: identifier '%s'", e->str);
	return 1;
}
