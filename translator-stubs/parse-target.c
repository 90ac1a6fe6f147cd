// SPDX-License-Identifier: GPL-2.0
/*
 * parse-target.c - target expressions (typed.h): $name, $return, $$parms and friends,
 * then ->member and [index] steps and a trailing $ or $$; &; @cast, @defined,
 * @choose_defined and @entry.  SystemTap 4.8's grammar (parse.cxx parse_target_symbol,
 * parse_dwarf_value): '.' is string concatenation, so members are reached with '->' only.
 */
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "typed.h"

static void add_comp(struct expr *e, char *name, int index, struct loc at)
{
	struct tgt *t = e->tgt;

	t->comps = realloc(t->comps, (t->ncomps + 1) * sizeof(*t->comps));
	if (!t->comps)
		abort();
	t->comps[t->ncomps].name = name;
	t->comps[t->ncomps].index = index;
	t->comps[t->ncomps++].loc = at;
}

static void add_arg(struct expr *e, struct expr *a)
{
	e->args = realloc(e->args, (e->nargs + 1) * sizeof(*e->args));
	if (!e->args)
		abort();
	e->args[e->nargs++] = a;
}

/** adjacent - the current token starts where the previous one ended (line, column) */
static int adjacent(const struct parser *p, const struct loc *end)
{
	return p->tok.loc.line == end->line && p->tok.loc.col == end->col;
}

/**
 * parse_steps - ->member and [index] steps after a base, then a '$' or '$$' written
 * right after the last token; @end is where the base ends
 */
static struct expr *parse_steps(struct parser *p, struct expr *e, struct loc end)
{
	struct loc at;

	for (;;) {
		at = p->tok.loc;
		if (is_op(p, "->")) {
			next(p);
			if (p->tok.kind != T_IDENT && p->tok.kind != T_KEYWORD)
				syntax(p, "a member name after '->'");
			add_comp(e, p->tok.text, -1, p->tok.loc);
			end = p->tok.loc;
			end.col += strlen(p->tok.text);
			next(p);
		} else if (is_op(p, "[")) {
			next(p);
			add_comp(e, NULL, e->nargs, at);
			add_arg(e, parse_expr(p));
			end = p->tok.loc;
			end.col++;
			expect_op(p, "]");
		} else {
			break;
		}
	}
	while (is_op(p, "$") && adjacent(p, &end) && e->tgt->pretty < 2) {
		e->tgt->pretty++;
		end.col++;
		next(p);
	}
	return e;
}

static struct expr *new_target(enum tgt_base base, struct loc at, char *name)
{
	struct expr *e = new_expr(E_TARGET, at);

	e->tgt = xcalloc(1, sizeof(*e->tgt));
	e->tgt->base = base;
	e->tgt->name = name;
	e->str = name;
	return e;
}

/**
 * parse_dollar - after '$' (at @at): $name, $return, or '$$' then parms, vars,
 * locals or return; the current token is the one after the '$'
 */
struct expr *parse_dollar(struct parser *p, struct loc at)
{
	static const struct { const char *name; enum tgt_base base; } all[] = {
		{ "parms", TG_PARMS }, { "vars", TG_VARS }, { "locals", TG_VARS },
		{ "return", TG_DRETURN }, { "name", TG_DNAME }, { "system", TG_DSYSTEM },
	};
	struct expr *e;
	struct loc end;
	unsigned int i;

	if (is_op(p, "$")) {
		next(p);
		for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
			if ((p->tok.kind == T_IDENT || p->tok.kind == T_KEYWORD) &&
			    !strcmp(p->tok.text, all[i].name))
				break;
		if (i == sizeof(all) / sizeof(all[0]))
			syntax(p, "parms, vars, locals, return, name or system after '$$'");
		e = new_target(all[i].base, at, (char *)all[i].name);
	} else if (p->tok.kind == T_IDENT || p->tok.kind == T_KEYWORD) {
		e = new_target(strcmp(p->tok.text, "return") || p->tok.kind == T_IDENT ?
			       TG_VAR : TG_RETURN, at, p->tok.text);
	} else {
		syntax(p, "a target variable name after '$'");
	}
	end = p->tok.loc;
	end.col += strlen(p->tok.text);
	next(p);
	if (e->tgt->base == TG_VAR || e->tgt->base == TG_RETURN)
		return parse_steps(p, e, end);
	while (is_op(p, "$") && adjacent(p, &end) && e->tgt->pretty < 2) {
		e->tgt->pretty++;
		end.col++;
		next(p);
	}
	return e;
}

static char *string_arg(struct parser *p, const char *what)
{
	char *s;

	if (p->tok.kind != T_STR)
		syntax(p, what);
	s = p->tok.text;
	next(p);
	return s;
}

/** parse_cast - @cast(ptr, "type"[, "module"]) and its steps; '(' is current */
static struct expr *parse_cast(struct parser *p, struct loc at)
{
	struct expr *e = new_target(TG_CAST, at, "@cast");
	struct loc end;

	expect_op(p, "(");
	e->a = parse_expr(p);
	expect_op(p, ",");
	e->tgt->type = string_arg(p, "a type name string");
	if (is_op(p, ",")) {
		next(p);
		e->tgt->module = string_arg(p, "a module name string");
	}
	end = p->tok.loc;
	end.col++;
	expect_op(p, ")");
	return parse_steps(p, e, end);
}

/**
 * parse_autocast - @base followed by '->' (current): an autocast, x->member, f()->member,
 * (expr)->member, typed from what was assigned to x (typed-auto.c); SystemTap 4.8's
 * autocast_op (parse.cxx parse_dwarf_value)
 */
struct expr *parse_autocast(struct parser *p, struct expr *base)
{
	struct expr *e = new_target(TG_AUTO, base->loc, "->");

	e->a = base;
	return parse_steps(p, e, p->tok.loc);
}

/** is_at_target - @name (after '@') is one of ours */
int is_at_target(const char *name)
{
	return !strcmp(name, "cast") || !strcmp(name, "defined") || !strcmp(name, "entry") ||
		!strcmp(name, "choose_defined");
}

/**
 * parse_at_target - @cast(...), @defined(x), @choose_defined(a, b), @entry(x); @name
 * is the current token
 */
struct expr *parse_at_target(struct parser *p, struct loc at, const char *name)
{
	struct expr *e;

	next(p);
	if (!strcmp(name, "cast"))
		return parse_cast(p, at);
	e = new_expr(strcmp(name, "entry") ? E_DEFINED : E_ENTRY, at);
	e->op = name;
	expect_op(p, "(");
	e->a = parse_expr(p);
	if (!strcmp(name, "choose_defined")) {
		expect_op(p, ",");
		e->b = parse_expr(p);
	}
	expect_op(p, ")");
	return e;
}

/** parse_addr - '&' before a target expression ('&' is current) */
struct expr *parse_addr(struct parser *p)
{
	struct loc at = p->tok.loc;
	struct expr *e;

	next(p);
	e = parse_unary(p);
	if (e->kind != E_TARGET || e->tgt->addr) {
		diag(&at, "'&' takes the address of a target expression ($var->member, @cast)");
		longjmp(p->fail, 1);
	}
	e->tgt->addr = 1;
	e->loc = at;
	return e;
}

/** dump_target - -p1 output of a target expression, as written */
void dump_target(FILE *f, const struct expr *e, void (*sub)(FILE *f, const struct expr *e))
{
	const struct tgt *t = e->tgt;
	int i;

	if (e->kind != E_TARGET) {
		fprintf(f, "@%s(", e->op);
		sub(f, e->a);
		if (e->b) {
			fputs(", ", f);
			sub(f, e->b);
		}
		fputc(')', f);
		return;
	}
	fputs(t->addr ? "&" : "", f);
	if (t->base == TG_AUTO) {
		sub(f, e->a);
	} else if (t->base == TG_CAST) {
		fputs("@cast(", f);
		sub(f, e->a);
		fprintf(f, ", \"%s\"%s%s%s)", t->type, t->module ? ", \"" : "",
			t->module ? t->module : "", t->module ? "\"" : "");
	} else {
		fprintf(f, "$%s%s", t->base >= TG_PARMS ? "$" : "", t->name);
	}
	for (i = 0; i < t->ncomps; i++) {
		if (t->comps[i].name) {
			fprintf(f, "->%s", t->comps[i].name);
			continue;
		}
		fputc('[', f);
		sub(f, e->args[t->comps[i].index]);
		fputc(']', f);
	}
	fputs(t->pretty == 2 ? "$$" : t->pretty ? "$" : "", f);
}
