// SPDX-License-Identifier: GPL-2.0
/*
 * parse-expr.c - expressions, by recursive descent.
 *
 * Operator precedence is C's, with '.' (string concatenation) beside binary + and -,
 * as in SystemTap.
 */
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "typed.h"

static struct expr *parse_ternary(struct parser *p);

/**
 * parse_deeper - one more level of nesting at the current token; the caller undoes it
 * with p->depth-- once the nested part is parsed.  A syntax error beyond PARSE_MAXDEPTH.
 */
void parse_deeper(struct parser *p)
{
	if (++p->depth <= PARSE_MAXDEPTH)
		return;
	diag(&p->tok.loc, "nesting too deep (at most %d levels)", PARSE_MAXDEPTH);
	longjmp(p->fail, 1);
}

/*
 * tree_depth - a syntax error when @e's tree, at depth @d, goes deeper than PARSE_MAXDEPTH
 * (a long chain of left-associative operators); recursion is bounded by the limit
 */
static void tree_depth(struct parser *p, const struct expr *e, int d)
{
	int i;

	if (!e)
		return;
	if (d > PARSE_MAXDEPTH) {
		diag(&e->loc, "expression too deep (at most %d levels of operators)",
		     PARSE_MAXDEPTH);
		longjmp(p->fail, 1);
	}
	tree_depth(p, e->a, d + 1);
	tree_depth(p, e->b, d + 1);
	tree_depth(p, e->c, d + 1);
	for (i = 0; i < e->nargs; i++)
		tree_depth(p, e->args[i], d + 1);
}

static struct expr *parse_call(struct parser *p, struct expr *e)
{
	int cap = 4;

	e->kind = E_CALL;
	e->args = xcalloc(cap, sizeof(*e->args));
	next(p);
	while (!is_op(p, ")")) {
		if (e->nargs == cap) {
			cap *= 2;
			e->args = realloc(e->args, cap * sizeof(*e->args));
		}
		e->args[e->nargs++] = parse_expr(p);
		if (is_op(p, ",")) {
			next(p);
			if (is_op(p, ")"))	/* 4.8: "f(1,)" is a parse error */
				syntax(p, "an expression");
		} else if (!is_op(p, ")")) {
			syntax(p, "',' or ')'");
		}
	}
	next(p);
	return e;
}

/** parse_keys - "[k1, k2, ...]" into @e's arguments; a key may be '*' (a slice) */
void parse_keys(struct parser *p, struct expr *e)
{
	e->args = xcalloc(MAXKEYS + 1, sizeof(*e->args));
	next(p);
	for (;;) {
		if (e->nargs == MAXKEYS) {
			diag(&p->tok.loc, "too many keys: an array has at most %d", MAXKEYS);
			longjmp(p->fail, 1);
		}
		if (is_op(p, "*")) {	/* a slice's wildcard: an E_NUM marked "*" */
			e->args[e->nargs] = new_expr(E_NUM, p->tok.loc);
			e->args[e->nargs++]->op = "*";
			next(p);
		} else {
			e->args[e->nargs++] = parse_expr(p);
		}
		if (is_op(p, "]"))
			break;
		expect_op(p, ",");
	}
	next(p);
}

static struct expr *parse_index(struct parser *p, struct expr *e)
{
	e->kind = E_INDEX;
	parse_keys(p, e);
	return e;
}

/** parse_in - "in ARRAY" after the keys of @e (an E_IN) */
static struct expr *parse_in(struct parser *p, struct expr *e)
{
	e->loc = p->tok.loc;
	next(p);
	if (p->tok.kind != T_IDENT)
		syntax(p, "an array name");
	e->str = p->tok.text;
	next(p);
	return e;
}

/**
 * parse_arg - $N or @N that lex.c left alone: N is not the index of an argument (one
 * that is was replaced by its text)
 */
static struct expr * __attribute__((noreturn)) parse_arg(struct parser *p, struct loc at)
{
	diag(&at, "command line argument index %lld out of range [1-%d]", (long long)p->tok.num,
	     p->opt->nargs);
	longjmp(p->fail, 1);
}

/** parse_special - $N, @N, $return, and the @count(...) family */
static struct expr *parse_special(struct parser *p)
{
	static const char *const aggs[] = {
		"count", "sum", "min", "max", "avg", "hist_log", "hist_linear", "variance", NULL,
	};
	struct loc at = p->tok.loc;
	int dollar = is_op(p, "$"), i;
	struct expr *e;

	next(p);
	if (p->tok.kind == T_NUM)
		parse_arg(p, at);
	if (dollar && (p->tok.kind == T_IDENT || p->tok.kind == T_KEYWORD || is_op(p, "$")))
		return parse_dollar(p, at);
	if (!dollar && p->tok.kind == T_IDENT && is_at_target(p->tok.text))
		return parse_at_target(p, at, p->tok.text);
	if (!dollar && p->tok.kind == T_IDENT) {
		for (i = 0; aggs[i] && strcmp(aggs[i], p->tok.text); i++)
			;
		if (aggs[i]) {
			e = new_expr(E_AGG, at);
			e->op = aggs[i];
			next(p);
			expect_op(p, "(");
			e->a = parse_ternary(p);
			e->args = xcalloc(3, sizeof(*e->args));
			while (is_op(p, ",") && e->nargs < 3) {
				next(p);
				if (!strcmp(e->op, "variance") && is_op(p, "-")) {
					struct loc minus = p->tok.loc;

					next(p);	/* 4.8's message for a negative shift */
					if (p->tok.kind != T_NUM)
						syntax(p, "a number (the bit shift)");
					diag(&minus, "bit shift (-%lld) out of range <0..62>",
					     (long long)p->tok.num);
					longjmp(p->fail, 1);
				}
				if (!strcmp(e->op, "variance") && p->tok.kind != T_NUM)
					syntax(p, "a number (the bit shift)");
				e->args[e->nargs++] = parse_ternary(p);
			}
			expect_op(p, ")");
			return e;
		}
	}
	diag(&at, "unknown operator '%s%s'", dollar ? "$" : "@", p->tok.text ? p->tok.text : "");
	longjmp(p->fail, 1);
}

static struct expr *parse_primary(struct parser *p)
{
	struct expr *e;

	if (p->tok.kind == T_NUM) {
		e = new_expr(E_NUM, p->tok.loc);
		e->num = p->tok.num;
		next(p);
		return e;
	}
	if (p->tok.kind == T_STR) {
		e = new_expr(E_STR, p->tok.loc);
		e->str = p->tok.text;
		next(p);
		return e;
	}
	if (p->tok.kind == T_IDENT) {
		e = new_expr(E_VAR, p->tok.loc);
		e->str = p->tok.text;
		next(p);
		if (is_op(p, "["))
			return parse_index(p, e);
		return is_op(p, "(") ? parse_call(p, e) : e;
	}
	if (is_op(p, "$") || is_op(p, "@"))
		return parse_special(p);
	if (p->tok.kind == T_CODE) {
		guru_check(p, 1);
		e = new_expr(E_CODE, p->tok.loc);
		e->str = p->tok.text;
		next(p);
		return e;
	}
	if (is_op(p, "[")) {
		e = new_expr(E_IN, p->tok.loc);
		parse_keys(p, e);
		if (!is_kw(p, "in"))
			syntax(p, "'in'");
		return parse_in(p, e);
	}
	if (is_op(p, "(")) {
		next(p);
		e = parse_expr(p);
		expect_op(p, ")");
		return is_op(p, "->") ? parse_autocast(p, e) : e;	/* ($x)->m too */
	}
	syntax(p, "an expression");
}

static struct expr *parse_postfix(struct parser *p)
{
	struct expr *e = parse_primary(p), *x;

	if (is_op(p, "->") && e->kind != E_TARGET)
		e = parse_autocast(p, e);	/* x->member: typed-auto.c */
	if (is_kw(p, "in")) {
		x = new_expr(E_IN, e->loc);
		x->args = xcalloc(1, sizeof(*x->args));
		x->args[x->nargs++] = e;
		return parse_in(p, x);
	}

	if (is_op(p, "++") || is_op(p, "--")) {	/* one: "x++ --y" is two statements (4.8) */
		x = new_expr(E_INCDEC, p->tok.loc);
		x->op = p->tok.text;
		x->post = 1;
		x->a = e;
		e = x;
		next(p);
	}
	return e;
}

struct expr *parse_unary(struct parser *p)
{
	static const char *const ops[] = { "!", "~", "-", "+", NULL };
	struct expr *e;
	int i;

	if (is_op(p, "++") || is_op(p, "--")) {
		e = new_expr(E_INCDEC, p->tok.loc);
		e->op = p->tok.text;
		next(p);
		parse_deeper(p);
		e->a = parse_unary(p);
		p->depth--;
		return e;
	}
	if (is_op(p, "&"))
		return parse_addr(p);
	for (i = 0; ops[i]; i++) {
		if (is_op(p, ops[i])) {
			e = new_expr(E_UNARY, p->tok.loc);
			e->op = ops[i];
			next(p);
			parse_deeper(p);
			e->a = parse_unary(p);
			p->depth--;
			return e;
		}
	}
	return parse_postfix(p);
}

/* binary operator levels, loosest first; each level is left-associative */
static const char *const levels[][6] = {
	{ "||" }, { "&&" }, { "|" }, { "^" }, { "&" }, { "==", "!=" },
	{ "<", ">", "<=", ">=", "=~", "!~" }, { "<<", ">>" }, { "+", "-", "." }, { "*", "/", "%" },
};
#define NLEVELS ((int)(sizeof(levels) / sizeof(levels[0])))

static struct expr *parse_binary(struct parser *p, int level)
{
	struct expr *e, *x;
	int i, again = 1;

	if (level == NLEVELS)
		return parse_unary(p);
	e = parse_binary(p, level + 1);
	while (again) {
		again = 0;
		for (i = 0; i < 6 && levels[level][i]; i++) {
			if (!is_op(p, levels[level][i]))
				continue;
			x = new_expr(E_BINARY, p->tok.loc);
			x->op = levels[level][i];
			next(p);
			if (x->op[1] == '~' && p->tok.kind != T_STR)	/* 4.8: a regex is a literal */
				syntax(p, "literal string");
			x->a = e;
			x->b = parse_binary(p, level + 1);
			e = x;
			again = 1;
			break;
		}
	}
	return e;
}

static struct expr *parse_ternary(struct parser *p)
{
	struct expr *e = parse_binary(p, 0), *x;

	if (!is_op(p, "?"))
		return e;
	x = new_expr(E_TERNARY, p->tok.loc);
	next(p);
	x->a = e;
	x->b = parse_expr(p);
	expect_op(p, ":");
	parse_deeper(p);
	x->c = parse_ternary(p);
	p->depth--;
	return x;
}

static struct expr *parse_assign(struct parser *p)
{
	static const char *const ops[] = {
		"=", "+=", "-=", "*=", "/=", "%=", ".=", "<<=", ">>=", "&=", "|=", "^=", "<<<", NULL,
	};
	struct expr *e = parse_ternary(p), *x;
	int i;

	for (i = 0; ops[i]; i++) {
		if (!is_op(p, ops[i]))
			continue;
		if (e->kind != E_VAR && e->kind != E_INDEX &&
		    (e->kind != E_TARGET || !strcmp(ops[i], "<<<"))) {	/* guru: typed.c */
			diag(&p->tok.loc, "left side of '%s' is not a variable", ops[i]);
			longjmp(p->fail, 1);
		}
		x = new_expr(E_ASSIGN, p->tok.loc);
		x->op = ops[i];
		next(p);
		x->a = e;
		x->b = parse_expr(p);
		return x;
	}
	return e;
}

/** parse_expr - an expression, assignments included; its tree at most PARSE_MAXDEPTH deep */
struct expr *parse_expr(struct parser *p)
{
	struct expr *e;

	parse_deeper(p);
	p->exprs++;
	e = parse_assign(p);
	if (!--p->exprs)
		tree_depth(p, e, 1);
	p->depth--;
	return e;
}
