// SPDX-License-Identifier: GPL-2.0
/*
 * aliases.c - script-defined probe aliases, as SystemTap 4.8 expands them
 * (elaborate.cxx, alias_expansion_builder):
 *
 *   probe NAME = POINT[?|!], ... { prologue }    the prologue runs before the user's body
 *   probe NAME += POINT[?|!], ... { epilogue }   the epilogue runs after it
 *
 * A probe whose point names an alias (or matches alias names with '*' wildcards, one
 * component at a time) becomes one probe per point of each matching alias definition, in
 * definition order.  Each has a body of its own: a copy of the alias body and the user's
 * body in one block, so that the alias's locals are the probe's locals.  A '?' on the use
 * or on the alias's point makes the expanded point optional.  An alias naming itself,
 * directly or through others, is 4.8's "recursive loop in alias expansion".
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"
#include "parse.h"

/**
 * struct alias - one alias definition
 * @name:     the alias's probe point, as written
 * @loc:      where it is defined
 * @points:   the points it expands to
 * @locs:     where each is written
 * @flags:    each one's 1 '?' or 3 '!'
 * @conds:    each one's condition ('if (EXPR)'), or NULL
 * @n:        how many
 * @body:     the prologue or epilogue
 * @epilogue: defined with '+='
 * @next:     the next definition
 */
struct alias {
	char *name;
	struct loc loc;
	char **points;
	struct loc *locs;
	int *flags;
	struct expr **conds;
	int n;
	struct stmt *body;
	int epilogue;
	struct alias *next;
};

/**
 * struct alias_via - the aliases a probe was expanded through, innermost first
 * @a:    the alias
 * @up:   the one its use came through
 * @use_body: the body of the probe that used it, before the expansion
 * @use_sufficient: that use was written with '!'
 */
struct alias_via {
	const struct alias *a;
	const struct alias_via *up;
	const struct stmt *use_body;
	int use_sufficient;
};

/**
 * alias_add - record an alias definition of script @s (parse.c)
 * @s: the script
 * @name: the alias's name (a probe point)
 * @loc: where
 * @points: @n points, @locs and @flags as parse.c's parse_probe gives them
 * @body: its block
 * @epilogue: '+=' rather than '='
 *
 * The arrays are copied.
 */
void alias_add(struct script *s, char *name, struct loc loc, char **points,
	       const struct loc *locs, const int *flags, struct expr **conds, int n,
	       struct stmt *body, int epilogue)
{
	struct alias *a = xcalloc(1, sizeof(*a)), **tail;

	a->name = name;
	a->loc = loc;
	a->points = xcalloc(n, sizeof(*a->points));
	a->locs = xcalloc(n, sizeof(*a->locs));
	a->flags = xcalloc(n, sizeof(*a->flags));
	memcpy(a->points, points, n * sizeof(*points));
	memcpy(a->locs, locs, n * sizeof(*locs));
	memcpy(a->flags, flags, n * sizeof(*flags));
	a->conds = xcalloc(n, sizeof(*a->conds));
	memcpy(a->conds, conds, n * sizeof(*conds));
	a->n = n;
	a->body = body;
	a->epilogue = epilogue;
	for (tail = &s->aliases; *tail; tail = &(*tail)->next)
		;
	*tail = a;
}

/**
 * point_component - the length of the first '.'-separated component of probe point @p
 * (quotes and parens kept); probes.c matches built-in points with it too
 */
size_t point_component(const char *p)
{
	size_t n = 0;
	int depth = 0, quote = 0;

	for (; p[n] && (quote || depth || p[n] != '.'); n++) {
		if (quote && p[n] == '\\' && p[n + 1])
			n++;
		else if (p[n] == '"')
			quote = !quote;
		else if (!quote && p[n] == '(')
			depth++;
		else if (!quote && p[n] == ')')
			depth--;
	}
	return n;
}

/**
 * prefix_match - the first components of probe point @pat name alias @name, and more
 * follow: the rest (after the '.'), else NULL (4.8's alias suffixes: alias a.b applies
 * to a.b.return, whose points get ".return")
 */
static const char *prefix_match(const char *pat, const char *name)
{
	char pc[256], nc[256];
	size_t a, b;

	for (;;) {
		a = point_component(pat);
		b = point_component(name);
		if (a >= sizeof(pc) || b >= sizeof(nc))
			return NULL;
		memcpy(pc, pat, a);
		pc[a] = '\0';
		memcpy(nc, name, b);
		nc[b] = '\0';
		if (strcmp(pc, nc) && fnmatch(pc, nc, 0))
			return NULL;
		pat += a;
		name += b;
		if (!*pat)
			return NULL;
		if (!*name)
			return pat + 1;
		pat++;
		name++;
	}
}

/** dots_to_slashes - @s with '/' and '.' swapped, into @out (@size bytes); 0 if too long */
static int dots_to_slashes(const char *s, char *out, size_t size)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < size; i++)
		out[i] = s[i] == '.' ? '/' : s[i] == '/' ? '.' : s[i];
	out[i] = '\0';
	return !s[i];
}

/**
 * starstar_match - probe point @pat, which has "**" (4.8: it matches several sequential
 * components, so a.** names a.x and a.b.c), names alias @name
 *
 * fnmatch(3) has no "**": with the dots turned into slashes and FNM_PATHNAME, a '*'
 * stays within a component, and each "**" is tried as one, two, ... components ("*",
 * "*" "/" "*", ...) up to as many as @name has.
 */
static int starstar_match(const char *pat, const char *name)
{
	char p[512], n[512];
	const char *at = strstr(pat, "**");
	int parts = 1, k, len;
	size_t i;

	if (!dots_to_slashes(name, n, sizeof(n)))
		return 0;
	if (!at) {
		if (!dots_to_slashes(pat, p, sizeof(p)))
			return 0;
		return !fnmatch(p, n, FNM_PATHNAME);
	}
	for (i = 0; n[i]; i++)
		parts += n[i] == '/';
	for (k = 0; k < parts; k++) {
		len = snprintf(p, sizeof(p), "%.*s*", (int)(at - pat), pat);
		for (i = 0; i < (size_t)k && len < (int)sizeof(p) - 3; i++)
			len += snprintf(p + len, sizeof(p) - len, ".*");
		if (snprintf(p + len, sizeof(p) - len, "%s", at + 2) >= (int)sizeof(p) - len)
			return 0;
		if (starstar_match(p, name))
			return 1;
	}
	return 0;
}

/** alias_point_match - probe point @pat (with '*' '?' '[' wildcards) names alias @name */
int alias_point_match(const char *pat, const char *name)
{
	char pc[256], nc[256];
	size_t a, b;

	if (strstr(pat, "**"))
		return starstar_match(pat, name);

	for (;;) {
		a = point_component(pat);
		b = point_component(name);
		if (a >= sizeof(pc) || b >= sizeof(nc))
			return 0;
		memcpy(pc, pat, a);
		pc[a] = '\0';
		memcpy(nc, name, b);
		nc[b] = '\0';
		if (strcmp(pc, nc) && fnmatch(pc, nc, 0))
			return 0;
		pat += a;
		name += b;
		if (!*pat || !*name)
			return !*pat && !*name;
		pat++;
		name++;
	}
}

static struct expr *clone_expr(const struct expr *e);

static struct expr **clone_exprs(struct expr *const *v, int n)
{
	struct expr **c;
	int i;

	if (!v)
		return NULL;
	c = xcalloc(n, sizeof(*c));
	for (i = 0; i < n; i++)
		c[i] = clone_expr(v[i]);
	return c;
}

static struct expr *clone_expr(const struct expr *e)
{
	struct expr *c;

	if (!e)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	*c = *e;
	c->sym = NULL;
	c->func = NULL;
	c->fmt = NULL;
	c->a = clone_expr(e->a);
	c->b = clone_expr(e->b);
	c->c = clone_expr(e->c);
	c->args = clone_exprs(e->args, e->nargs);
	return c;
}

/** clone_stmt - a deep copy of @st; its foreach loops get new ids from @s */
static struct stmt *clone_stmt(struct script *s, const struct stmt *st)
{
	struct stmt *c;
	int i;

	if (!st)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	*c = *st;
	c->e = clone_expr(st->e);
	c->init = clone_expr(st->init);
	c->step = clone_expr(st->step);
	c->body = clone_stmt(s, st->body);
	c->other = clone_stmt(s, st->other);
	if (st->kind == S_FOREACH) {
		c->vars = clone_exprs(st->vars, st->n);
		c->id = s->ids++;
	} else if (st->list) {
		c->list = xcalloc(st->n, sizeof(*c->list));
		for (i = 0; i < st->n; i++)
			c->list[i] = clone_stmt(s, st->list[i]);
	}
	return c;
}

/** struct joined - a user body joined to an alias body, shared by the points of one use */
struct joined {
	const struct stmt *user;
	const struct alias *a;
	struct stmt *body;
	struct joined *next;
};

/** join - the block { prologue; body } or { body; epilogue } of @user under alias @a */
static struct stmt *join(struct script *s, struct stmt *user, const struct alias *a)
{
	static struct joined *cache;
	struct joined *j;
	struct stmt *b;

	for (j = cache; j; j = j->next)
		if (j->user == user && j->a == a)
			return j->body;
	b = xcalloc(1, sizeof(*b));
	*b = *user;
	b->kind = S_BLOCK;
	b->n = 2;
	b->list = xcalloc(2, sizeof(*b->list));
	b->list[a->epilogue ? 1 : 0] = clone_stmt(s, a->body);
	b->list[a->epilogue ? 0 : 1] = user;
	j = xcalloc(1, sizeof(*j));
	*j = (struct joined){ user, a, b, cache };
	cache = j;
	return b;
}

/** expand_one - the probes alias @a makes of @p (@suffix added to each), after *@last */
static void expand_one(struct script *s, struct probe *p, const struct alias *a,
		       const char *suffix, struct probe ***last)
{
	struct alias_via *via = xcalloc(1, sizeof(*via));
	struct probe *q;
	int i;

	via->a = a;
	via->up = p->via;
	via->use_body = p->body;
	via->use_sufficient = p->sufficient;
	for (i = 0; i < a->n; i++) {
		q = xcalloc(1, sizeof(*q));
		*q = *p;
		q->point = a->points[i];
		if (suffix) {
			q->point = xcalloc(strlen(a->points[i]) + strlen(suffix) + 2, 1);
			sprintf(q->point, "%s.%s", a->points[i], suffix);
		}
		q->loc = a->locs[i];
		q->want_optional = p->want_optional || (a->flags[i] & 1);
		q->mark = a->flags[i];
		q->sufficient = !!(a->flags[i] & 2);
		q->body = join(s, p->body, a);
		if (a->conds[i]) {	/* 4.8: 'if (ALIAS_COND) && (USE_COND)' */
			q->body = cond_body(q->body, a->conds[i]);
			q->cond = a->conds[i];
			if (p->cond) {
				q->cond = new_expr(E_BINARY, a->conds[i]->loc);
				q->cond->op = "&&";
				q->cond->a = a->conds[i];
				q->cond->b = p->cond;
			}
		}
		q->locals = NULL;
		q->via = via;
		q->next = NULL;
		**last = q;
		*last = &q->next;
	}
}

/**
 * alias_loops - @p already came through alias @a: 4.8's "recursive loop" error, naming the
 * alias's own point (elaborate.cxx), then a note at the point that closes the loop with
 * the chain of aliases it came through (4.8's "while resolving probe point"); 1 after
 * those diagnostics, else 0
 */
static int alias_loops(const struct probe *p, const struct alias *a)
{
	const struct alias_via *v;
	char chain[512] = "";
	size_t len;

	for (v = p->via; v && v->a != a; v = v->up)
		;
	if (!v)
		return 0;
	diag(&a->locs[0], "recursive loop in alias expansion of %s", a->points[0]);
	for (v = p->via; v; v = v->up) {	/* innermost first: build it from the right */
		len = strlen(v->a->name) + 4;
		if (strlen(chain) + len >= sizeof(chain))
			break;
		memmove(chain + len, chain, strlen(chain) + 1);
		memcpy(chain, v->a->name, len - 4);
		memcpy(chain + len - 4, " -> ", 4);
	}
	fprintf(stderr, "%s:%d:%d: note: while resolving probe point '%s' (alias chain: %s%s)\n",
		p->loc.file, p->loc.line, p->loc.col, p->point, chain, a->name);
	return 1;
}

/**
 * alias_expand - replace probe *@pp by its expansion when its point names aliases
 * @s:  the script
 * @pp: where the probe is linked
 *
 * Return: 1 when *@pp was replaced (the caller looks at the new *@pp again: aliases may
 * name aliases), 0 when no alias matches, -1 after a diagnostic.
 */
int alias_expand(struct script *s, struct probe **pp)
{
	struct probe *p = *pp, *head = NULL, **last = &head;
	const struct alias **m, *a;
	int n = 0, i, j;

	for (a = s->aliases; a; a = a->next)
		n++;
	m = xcalloc(n, sizeof(*m));
	for (n = 0, a = s->aliases; a; a = a->next) {
		if (!alias_point_match(p->point, a->name))
			continue;
		if (alias_loops(p, a)) {
			free(m);
			return -1;
		}
		/* 4.8 keeps alias names in a sorted tree: by name, then definition order */
		for (j = n++; j > 0 && strcmp(m[j - 1]->name, a->name) > 0; j--)
			m[j] = m[j - 1];
		m[j] = a;
	}
	for (i = 0; i < n; i++)
		expand_one(s, p, m[i], NULL, &last);
	for (a = s->aliases; a && !n; a = a->next) {	/* no alias by its whole name */
		const char *suffix = prefix_match(p->point, a->name);

		if (!suffix)
			continue;
		if (alias_loops(p, a)) {
			free(m);
			return -1;
		}
		expand_one(s, p, a, suffix, &last);
	}
	free(m);
	if (!head)
		return 0;
	*last = p->next;
	*pp = head;
	return 1;
}

/**
 * alias_top_name - the alias the script named for probe @p (the outermost of the aliases
 * it came through), or NULL when it came through none; for stap -l and -L
 */
const char *alias_top_name(const struct probe *p)
{
	const struct alias_via *v = p->via;

	while (v && v->up)
		v = v->up;
	return v ? v->a->name : NULL;
}

/**
 * alias_listing - -p2: the aliases probe @p came through, innermost first, each as
 * 4.8's pp() writes its definition and an arrow ("a = timer.s(1)?, begin <- "); nothing
 * when it came through none
 */
void alias_listing(FILE *f, const struct probe *p)
{
	const struct alias_via *v;
	int i;

	for (v = p->via; v; v = v->up) {
		fprintf(f, "%s %s ", v->a->name, v->a->epilogue ? "+=" : "=");
		for (i = 0; i < v->a->n; i++) {
			fprintf(f, "%s%s%s", i ? ", " : "", v->a->points[i],
				v->a->flags[i] & 2 ? "!" : v->a->flags[i] & 1 ? "?" : "");
			if (v->a->conds[i]) {
				fputs(" if (", f);
				dump_plain(f, v->a->conds[i]);
				fputc(')', f);
			}
		}
		fputs(" <- ", f);
	}
}

/**
 * alias_stop - probe @p resolved: the body of the outermost use of an alias it came
 * through that was written with '!' ('probe a !, end'), whose later points 4.8 drops as
 * after any sufficient point; NULL when there is none
 */
const struct stmt *alias_stop(const struct probe *p)
{
	const struct alias_via *v;
	const struct stmt *stop = NULL;

	for (v = p->via; v; v = v->up)
		if (v->use_sufficient)
			stop = v->use_body;
	return stop;
}

/** alias_defined - some alias of script @s matches probe point @point */
int alias_defined(const struct script *s, const char *point)
{
	const struct alias *a;

	for (a = s->aliases; a; a = a->next)
		if (alias_point_match(point, a->name))
			return 1;
	return 0;
}

/**
 * alias_nth - the body of alias definition @i of script @s, or NULL past the last
 * @points: set to its points
 * @n: set to how many
 */
const struct stmt *alias_nth(const struct script *s, int i, char ***points, int *n)
{
	const struct alias *a = s->aliases;

	while (a && i--)
		a = a->next;
	if (!a)
		return NULL;
	*points = a->points;
	*n = a->n;
	return a->body;
}

/** alias_name_nth - the name of alias definition @i of script @s, or NULL past the last */
const char *alias_name_nth(const struct script *s, int i)
{
	const struct alias *a = s->aliases;

	while (a && i--)
		a = a->next;
	return a ? a->name : NULL;
}
