// SPDX-License-Identifier: GPL-2.0
/*
 * dump.c - the -p1 (parse tree) and -p2 (resolved script) listings.
 */
#include <string.h>
#include "ast.h"
#include "parse.h"
#include "typed.h"

static void dump_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void dump_expr(FILE *f, const struct expr *e);

/* a probe condition names globals as 4.8's pp() does: __global_NAME */
static const char *var_prefix = "";

static void dump_list(FILE *f, struct expr *const *v, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		dump_expr(f, v[i]);
	}
}

static void dump_expr(FILE *f, const struct expr *e)
{
	int i;

	switch (e->kind) {
	case E_TARGET: case E_DEFINED: case E_ENTRY:
		dump_target(f, e, dump_expr);
		break;
	case E_INDEX:
		fprintf(f, "%s%s[", var_prefix, e->str);
		dump_list(f, e->args, e->nargs);
		fputc(']', f);
		break;
	case E_IN:
		fputc('[', f);
		dump_list(f, e->args, e->nargs);
		fprintf(f, "] in %s%s", var_prefix, e->str);
		break;
	case E_AGG:
		fprintf(f, "@%s(", e->op);
		dump_expr(f, e->a);
		for (i = 0; i < e->nargs; i++) {
			fputs(", ", f);
			dump_expr(f, e->args[i]);
		}
		fputc(')', f);
		break;
	case E_NUM:
		if (is_star(e))
			fputc('*', f);
		else
			fprintf(f, "%lld", (long long)e->num);
		break;
	case E_STR: dump_str(f, e->str); break;
	case E_CODE: fprintf(f, "%%{%s%%}", e->str); break;
	case E_VAR: fprintf(f, "%s%s", var_prefix, e->str); break;
	case E_CALL:
		fprintf(f, "%s(", e->str);
		for (i = 0; i < e->nargs; i++) {
			if (i)
				fputs(", ", f);
			dump_expr(f, e->args[i]);
		}
		fputc(')', f);
		break;
	case E_BINARY:
	case E_ASSIGN:
		fputc('(', f);
		dump_expr(f, e->a);
		fprintf(f, ") %s (", e->op);
		dump_expr(f, e->b);
		fputc(')', f);
		break;
	case E_UNARY:
		fprintf(f, "%s(", e->op);
		dump_expr(f, e->a);
		fputc(')', f);
		break;
	case E_INCDEC:
		fprintf(f, "%s", e->post ? "" : e->op);
		dump_expr(f, e->a);
		fprintf(f, "%s", e->post ? e->op : "");
		break;
	case E_TERNARY:
		fputc('(', f);
		dump_expr(f, e->a);
		fputs(") ? (", f);
		dump_expr(f, e->b);
		fputs(") : (", f);
		dump_expr(f, e->c);
		fputc(')', f);
		break;
	}
}

static void dump_stmt(FILE *f, const struct stmt *s)
{
	int i;

	switch (s->kind) {
	case S_BLOCK:
		fputs("{\n", f);
		for (i = 0; i < s->n; i++)
			dump_stmt(f, s->list[i]);
		fputs("}\n", f);
		break;
	case S_EXPR: dump_expr(f, s->e); fputc('\n', f); break;
	case S_EMPTY: fputs(";\n", f); break;
	case S_NEXT: fputs("next\n", f); break;
	case S_DELETE:
	case S_RETURN:
		fputs(s->kind == S_DELETE ? "delete" : "return", f);
		if (s->e) {
			fputc(' ', f);
			dump_expr(f, s->e);
		}
		fputc('\n', f);
		break;
	case S_FOREACH:
		fputs("foreach ([", f);
		for (i = 0; i < s->n; i++)
			fprintf(f, "%s%s%s", i ? ", " : "", s->vars[i]->str,
				s->sort_key == i + 1 ? (s->sort_dir > 0 ? "+" : "-") : "");
		fprintf(f, "] in %s", s->e->str);
		if (s->init) {
			fputc('[', f);
			dump_list(f, s->init->args, s->init->nargs);
			fputc(']', f);
		}
		fputs(s->sort_key == 0 ? (s->sort_dir > 0 ? "+" : "-") : "", f);
		if (s->step) {
			fputs(" limit ", f);
			dump_expr(f, s->step);
		}
		fputs(") ", f);
		dump_stmt(f, s->body);
		break;
	case S_BREAK: fputs("break\n", f); break;
	case S_TRY:
		fputs("try ", f);
		dump_stmt(f, s->body);
		fputs("catch ", f);
		if (s->e)
			fprintf(f, "(%s) ", s->e->str);
		dump_stmt(f, s->other);
		break;
	case S_CONTINUE: fputs("continue\n", f); break;
	case S_IF:
		fputs("if (", f);
		dump_expr(f, s->e);
		fputs(") ", f);
		dump_stmt(f, s->body);
		if (s->other) {
			fputs("else ", f);
			dump_stmt(f, s->other);
		}
		break;
	case S_WHILE:
	case S_FOR:
		fputs("for (", f);
		if (s->init)
			dump_expr(f, s->init);
		fputs("; ", f);
		if (s->e)
			dump_expr(f, s->e);
		fputs("; ", f);
		if (s->step)
			dump_expr(f, s->step);
		fputs(") ", f);
		dump_stmt(f, s->body);
		break;
	}
}

/** dump_script - -p1: the parse tree, one probe after another */
/**
 * dump_cond - probe condition @e as SystemTap 4.8 writes it in pp(): 'begin if (1)',
 * 'end if ((__global_n) > (0))'
 */
void dump_cond(FILE *f, const struct expr *e)
{
	var_prefix = "__global_";
	dump_expr(f, e);
	var_prefix = "";
}

/** dump_plain - expression @e as the script names it (an alias's condition in -p2) */
void dump_plain(FILE *f, const struct expr *e)
{
	dump_expr(f, e);
}

/**
 * dump_points - the points of probe @w as written, as 4.8's -p2 comment shows them: each
 * point, its '?' or '!', its ' if (COND)' (with 4.8's global names when @global, as for a
 * probe 4.8 resolves in place; as written for one that came through an alias), joined
 * by ',' ("timer.s(1)?,begin!")
 */
static void dump_points(FILE *f, const struct points *w, int global)
{
	int i;

	for (i = 0; i < w->n; i++) {
		fprintf(f, "%s%s%s", i ? "," : "", w->text[i],
			w->flags[i] & 2 ? "!" : w->flags[i] & 1 ? "?" : "");
		if (w->cond[i]) {
			fputs(" if (", f);
			if (global)
				dump_cond(f, w->cond[i]);
			else
				dump_plain(f, w->cond[i]);
			fputc(')', f);
		}
	}
}

void dump_script(FILE *f, const struct script *s)
{
	const struct probe *p;
	const struct func *fn;
	const struct sym *g;

	fputs("# parse tree dump\n", f);
	fprintf(f, "# file %s\n", s->file);
	for (g = s->globals; g; g = g->next)
		fprintf(f, "global %s\n", g->name);
	for (fn = s->funcs; fn; fn = fn->next) {
		fprintf(f, "function %s (", fn->name);
		for (g = fn->params; g; g = g->next)
			fprintf(f, "%s%s", g == fn->params ? "" : ", ", g->name);
		fputs(") ", f);
		dump_stmt(f, fn->body);
	}
	for (p = s->probes; p; p = p->next) {
		fprintf(f, "probe %s ", p->point);
		dump_stmt(f, p->body);
	}
}

static const char *tname(enum type t)
{
	static const char *const names[] = { "unknown", "long", "string", "stats" };

	return names[t];
}

static void dump_sym(FILE *f, const char *indent, const struct sym *v)
{
	int i;

	fprintf(f, "%s%s:%s", indent, private_display(v->name), tname(v->type));
	if (v->nkeys > 0) {
		fputs(" [", f);
		for (i = 0; i < v->nkeys; i++)
			fprintf(f, "%s%s", i ? ", " : "", tname(v->ktype[i]));
		fputc(']', f);
	}
	fputc('\n', f);
}

/** dump_resolved - -p2: globals and probes with their locals and types */
void dump_resolved(FILE *f, const struct script *s)
{
	const struct probe *p;
	const struct func *fn;
	const struct sym *v;

	if (s->globals)
		fputs("# globals\n", f);
	for (v = s->globals; v; v = v->next)
		dump_sym(f, "", v);
	if (s->funcs)
		fputs("# functions\n", f);
	for (fn = s->funcs; fn; fn = fn->next) {
		fprintf(f, "%s:%s (", private_display(fn->name),
			fn->ret.type == TY_UNKNOWN ? "unknown" : tname(fn->ret.type));
		for (v = fn->params; v && v->param; v = v->next)
			fprintf(f, "%s%s:%s", v->param > 1 ? ", " : "", v->name, tname(v->type));
		fputs(")\n", f);
		for (; v; v = v->next)
			dump_sym(f, "  ", v);
	}
	fputs("# probes\n", f);
	for (p = s->probes; p; p = p->next) {	/* 4.8's probe_point::print and pp() */
		fprintf(f, "%s%s", p->point, p->mark & 2 ? "!" : p->mark & 1 ? "?" : "");
		if (p->cond) {
			fputs(" if (", f);
			dump_cond(f, p->cond);
			fputc(')', f);
		}
		fputs(" /* <- ", f);
		alias_listing(f, p);
		if (p->written)
			dump_points(f, p->written, !p->via);
		else
			fputs(p->point, f);
		fputs(" */\n", f);
		for (v = p->locals; v; v = v->next)
			dump_sym(f, "  ", v);
	}
}
