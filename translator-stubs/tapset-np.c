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

/** np_match - 1 when @name matches one of the comma-separated patterns @pats */
static int np_match(const char *pats, const char *name)
{
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
			if (!fnmatch(pat, name, 0))
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
