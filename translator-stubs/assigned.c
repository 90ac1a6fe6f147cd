// SPDX-License-Identifier: GPL-2.0
/*
 * assigned.c - the warning for a variable that is read and never assigned, as SystemTap
 * 4.8 gives it (elaborate.cxx, semantic_pass_opt2 and opt1): "never-assigned local
 * variable 'x' (similar: y, z)" at its first use, or "never-assigned global variable"
 * at its declaration.  The suggestions are util.cxx's levenshtein_suggest: the five
 * names closest to it (ties in name order), by an edit distance where an insertion or a
 * deletion costs 2 and a substitution 2, or 1 between the cases of one letter.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"

#define SUGGEST_MAX	5

/** distance - util.cxx's levenshtein() */
static unsigned int distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b), i, j;
	unsigned int *d = xcalloc((n + 1) * (m + 1), sizeof(*d)), r, sub;

	for (i = 0; i <= n; i++)
		d[i * (m + 1)] = i;
	for (j = 0; j <= m; j++)
		d[j] = j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			if (a[i - 1] == b[j - 1]) {
				d[i * (m + 1) + j] = d[(i - 1) * (m + 1) + j - 1];
				continue;
			}
			sub = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ?
			      1 : 2;
			r = d[(i - 1) * (m + 1) + j - 1] + sub;
			if (d[(i - 1) * (m + 1) + j] + 2 < r)
				r = d[(i - 1) * (m + 1) + j] + 2;
			if (d[i * (m + 1) + j - 1] + 2 < r)
				r = d[i * (m + 1) + j - 1] + 2;
			d[i * (m + 1) + j] = r;
		}
	r = d[n * (m + 1) + m];
	free(d);
	return r;
}

/** struct cand - a suggestion: a name and its distance */
struct cand {
	const char *name;
	unsigned int score;
};

/** consider - @name as a suggestion for @target, kept sorted by (score, name), unique */
static void consider(struct cand *v, int *n, const char *target, const char *name, int self)
{
	struct cand c = { name, 0 };
	int i, k;

	/* "__" names are the library's internals (our aliases' __regs): not suggested */
	if (!*name || !strncmp(name, "__", 2) || (!self && !strcmp(name, target)))
		return;
	for (i = 0; i < *n; i++)
		if (!strcmp(v[i].name, name))
			return;
	c.score = distance(target, name);
	for (i = *n; i > 0 && (v[i - 1].score > c.score ||
			       (v[i - 1].score == c.score && strcmp(v[i - 1].name, name) > 0)); i--)
		;
	if (i >= SUGGEST_MAX)
		return;
	for (k = *n < SUGGEST_MAX ? *n : SUGGEST_MAX - 1; k > i; k--)
		v[k] = v[k - 1];
	v[i] = c;
	if (*n < SUGGEST_MAX)
		(*n)++;
}

/**
 * suggest_names - util.cxx's levenshtein_suggest(@target, @names, 5): the five of @n
 * @names closest to @target (ties in name order; a repeated name counts once), comma
 * separated, into @out (@size bytes; "" when @n is 0); probe point mismatches use it too
 */
void suggest_names(const char *target, const char *const *names, int n, char *out,
		   size_t size)
{
	struct cand c[SUGGEST_MAX];
	int k = 0, i;

	for (i = 0; i < n; i++)
		consider(c, &k, target, names[i], 1);
	for (i = 0, *out = '\0'; i < k; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s%.64s", i ? ", " : "",
			 c[i].name);
}

/**
 * warn_one - the warning for @v, suggesting names from @locals and the globals
 * (a global suggests among the globals only, itself included, as 4.8 does)
 */
static void warn_one(const struct script *s, const struct sym *v, const struct sym *locals)
{
	struct cand c[SUGGEST_MAX];
	char list[SUGGEST_MAX * 70] = "";
	const struct sym *o;
	int n = 0, i;

	for (o = locals; o; o = o->next)	/* a function's parameters too, as 4.8 */
		consider(c, &n, v->name, o->name, 0);
	for (o = s->globals; o; o = o->next)
		consider(c, &n, v->name, o->name, v->global);
	for (i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%.64s",
			 i ? ", " : " (similar: ", c[i].name);
	if (n)
		strcat(list, ")");
	warn(&v->loc, "never-assigned %s variable '%s'%s", v->global ? "global" : "local",
	     v->name, list);
}

static void warn_locals(const struct script *s, const struct sym *locals)
{
	const struct sym *v;

	for (v = locals; v; v = v->next)
		if (!v->assigned && !v->param)
			warn_one(s, v, locals);
}

/**
 * warn_unassigned - warn about each variable that is read and never assigned: those of
 * the probes (once per body), then of the functions, then the globals
 * @s: the checked script
 */
void warn_unassigned(const struct script *s)
{
	const struct probe *p, *q;
	const struct func *f;
	const struct sym *g;

	for (p = s->probes; p; p = p->next) {
		for (q = s->probes; q != p && q->body != p->body; q = q->next)
			;
		if (q == p)
			warn_locals(s, p->locals);
	}
	for (f = s->funcs; f; f = f->next)
		warn_locals(s, f->params);
	for (g = s->globals; g; g = g->next)
		if (!g->assigned && !g->init)
			warn_one(s, g, NULL);
}
