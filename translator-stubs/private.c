// SPDX-License-Identifier: GPL-2.0
/*
 * private.c - 'private global' and 'private function', as SystemTap 4.8 has them: a
 * private symbol is visible only in the file that declares it.
 *
 * The parser (parse.c) collects a file's private names; when the file is parsed, each
 * declaration and each use in that file (a node whose place is in it) is renamed
 * __private_N_NAME, N numbering the files, so another file's NAME is another symbol and
 * a use from elsewhere does not find it.  A function parameter of the same name stays a
 * parameter.  Diagnostics show the renamed name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"

/**
 * struct privs - a file's private names, and what they become
 * @file: the file (the lexer's name: node places point to it)
 * @names: the names
 * @to:   their new names
 * @n:    how many
 * @fn:   the function being renamed in, or NULL
 */
struct privs {
	const char *file;
	char **names;
	char **to;
	int n;
	const struct func *fn;
};

static const char *renamed(const struct privs *pv, const char *name)
{
	const struct sym *v;
	int i;

	for (v = pv->fn ? pv->fn->params : NULL; v && v->param; v = v->next)
		if (!strcmp(v->name, name))
			return NULL;
	for (i = 0; i < pv->n; i++)
		if (!strcmp(pv->names[i], name))
			return pv->to[i];
	return NULL;
}

static void rename_expr(const struct privs *pv, struct expr *e)
{
	const char *to;
	int i;

	if (!e)
		return;
	if ((e->kind == E_VAR || e->kind == E_INDEX || e->kind == E_IN || e->kind == E_CALL) &&
	    e->str && e->loc.file == pv->file && (to = renamed(pv, e->str)))
		e->str = (char *)to;
	for (i = 0; i < e->nargs; i++)
		rename_expr(pv, e->args[i]);
	rename_expr(pv, e->a);
	rename_expr(pv, e->b);
	rename_expr(pv, e->c);
}

static void rename_stmt(const struct privs *pv, struct stmt *st)
{
	int i;

	if (!st)
		return;
	rename_expr(pv, st->e);
	rename_expr(pv, st->init);
	rename_expr(pv, st->step);
	rename_stmt(pv, st->body);
	rename_stmt(pv, st->other);
	for (i = 0; st->kind == S_FOREACH && i < st->n; i++)
		rename_expr(pv, st->vars[i]);
	for (i = 0; st->kind != S_FOREACH && st->list && i < st->n; i++)
		rename_stmt(pv, st->list[i]);
}

/**
 * private_add - parsing @p's file: NAME, declared private there, is to be renamed
 * @p:    the parser
 * @name: the name
 */
void private_add(struct parser *p, const char *name)
{
	static int files;
	char buf[300];

	if (!p->nprivs)
		p->privs_id = ++files;
	p->privs = realloc(p->privs, (p->nprivs + 1) * sizeof(*p->privs));
	if (!p->privs)
		abort();
	snprintf(buf, sizeof(buf), "__private_%d_%s", p->privs_id, name);
	p->privs[p->nprivs++] = xstrdup(name);
	p->privs = realloc(p->privs, (p->nprivs + 1) * sizeof(*p->privs));
	if (!p->privs)
		abort();
	p->privs[p->nprivs++] = xstrdup(buf);
}

/**
 * private_rename - after parsing a file: rename its private symbols and their uses
 * @p:    the parser, with the names private_add() collected (pairs: name, new name)
 * @file: the file
 */
void private_rename(struct parser *p, const char *file)
{
	struct privs pv = { .file = file, .n = p->nprivs / 2 };
	struct script *s = p->s;
	const struct stmt *body;
	struct probe *pr;
	struct func *f;
	struct sym *g;
	char **points;
	int i, n;

	if (!p->nprivs)
		return;
	pv.names = xcalloc(pv.n, sizeof(*pv.names));
	pv.to = xcalloc(pv.n, sizeof(*pv.to));
	for (i = 0; i < pv.n; i++) {
		pv.names[i] = p->privs[2 * i];
		pv.to[i] = p->privs[2 * i + 1];
	}
	for (g = s->globals; g; g = g->next)
		if (g->loc.file == file && renamed(&pv, g->name))
			g->name = (char *)renamed(&pv, g->name);
	for (f = s->funcs; f; f = f->next) {
		pv.fn = NULL;
		if (f->loc.file == file && renamed(&pv, f->name))
			f->name = f->ret.name = (char *)renamed(&pv, f->name);
		pv.fn = f;
		rename_stmt(&pv, f->body);
	}
	pv.fn = NULL;
	for (pr = s->probes; pr; pr = pr->next)
		rename_stmt(&pv, pr->body);
	for (i = 0; (body = alias_nth(s, i, &points, &n)); i++)
		rename_stmt(&pv, (struct stmt *)body);
	free(pv.names);
	free(pv.to);
}

/**
 * private_display - @name as the script wrote it: a private symbol's without its
 * __private_N_ prefix (-p2 shows it so, as 4.8 does)
 * @name: a symbol's name
 */
const char *private_display(const char *name)
{
	const char *p = name + 10;

	if (strncmp(name, "__private_", 10) || !strchr("0123456789", *p))
		return name;
	p += strspn(p, "0123456789");
	return *p == '_' ? p + 1 : name;
}
