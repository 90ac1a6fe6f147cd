// SPDX-License-Identifier: GPL-2.0
/*
 * dump.c - the -p1 (parse tree) and -p2 (resolved script) listings.
 */
#include <string.h>
#include "ast.h"

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

static void dump_expr(FILE *f, const struct expr *e)
{
	int i;

	switch (e->kind) {
	case E_NUM: fprintf(f, "%lld", (long long)e->num); break;
	case E_STR: dump_str(f, e->str); break;
	case E_VAR: fputs(e->str, f); break;
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
	case S_BREAK: fputs("break\n", f); break;
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
void dump_script(FILE *f, const struct script *s)
{
	const struct probe *p;
	const struct sym *g;

	fputs("# parse tree dump\n", f);
	fprintf(f, "# file %s\n", s->file);
	for (g = s->globals; g; g = g->next)
		fprintf(f, "global %s\n", g->name);
	for (p = s->probes; p; p = p->next) {
		fprintf(f, "probe %s ", p->point);
		dump_stmt(f, p->body);
	}
}

static const char *tname(enum type t)
{
	return t == TY_LONG ? "long" : t == TY_STRING ? "string" : "unknown";
}

/** dump_resolved - -p2: globals and probes with their locals and types */
void dump_resolved(FILE *f, const struct script *s)
{
	const struct probe *p;
	const struct sym *v;

	if (s->globals)
		fputs("# globals\n", f);
	for (v = s->globals; v; v = v->next)
		fprintf(f, "%s:%s\n", v->name, tname(v->type));
	fputs("# probes\n", f);
	for (p = s->probes; p; p = p->next) {
		fprintf(f, "%s /* <- %s */\n", p->point, p->point);
		for (v = p->locals; v; v = v->next)
			fprintf(f, "  %s:%s\n", v->name, tname(v->type));
	}
}
