// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - recursive-descent parser: script text to syntax tree.
 *
 * Operator precedence is C's, with '.' (string concatenation) beside binary + and -,
 * as in SystemTap.  The first syntax error ends the parse.
 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"

/**
 * struct parser - parsing state
 * @lx:   the lexer
 * @tok:  the current token
 * @peek: the token after it, when @have_peek
 * @have_peek: @peek is valid
 * @s:    the script being built
 * @fail: where a syntax error jumps to
 */
struct parser {
	struct lexer *lx;
	struct token tok;
	struct token peek;
	int have_peek;
	struct script *s;
	jmp_buf fail;
};

static struct expr *parse_expr(struct parser *p);
static struct stmt *parse_stmt(struct parser *p);

static void next(struct parser *p)
{
	if (p->have_peek) {
		p->tok = p->peek;
		p->have_peek = 0;
		return;
	}
	if (lex_next(p->lx, &p->tok))
		longjmp(p->fail, 1);
}

static const char *tok_desc(const struct token *t)
{
	static char buf[96];

	switch (t->kind) {
	case T_EOF: return "end of input";
	case T_STR: return "string literal";
	case T_NUM: snprintf(buf, sizeof(buf), "number '%lld'", (long long)t->num); return buf;
	default: snprintf(buf, sizeof(buf), "'%s'", t->text); return buf;
	}
}

static void __attribute__((noreturn)) syntax(struct parser *p, const char *want)
{
	diag(&p->tok.loc, "expected %s, found %s", want, tok_desc(&p->tok));
	longjmp(p->fail, 1);
}

static int is_op(const struct parser *p, const char *op)
{
	return p->tok.kind == T_OP && !strcmp(p->tok.text, op);
}

static int is_kw(const struct parser *p, const char *kw)
{
	return p->tok.kind == T_KEYWORD && !strcmp(p->tok.text, kw);
}

static void expect_op(struct parser *p, const char *op)
{
	char want[16];

	if (!is_op(p, op)) {
		snprintf(want, sizeof(want), "'%s'", op);
		syntax(p, want);
	}
	next(p);
}

static struct expr *new_expr(enum expr_kind kind, struct loc loc)
{
	struct expr *e = xcalloc(1, sizeof(*e));

	e->kind = kind;
	e->loc = loc;
	return e;
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
		if (is_op(p, ","))
			next(p);
		else if (!is_op(p, ")"))
			syntax(p, "',' or ')'");
	}
	next(p);
	return e;
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
		return is_op(p, "(") ? parse_call(p, e) : e;
	}
	if (is_op(p, "(")) {
		next(p);
		e = parse_expr(p);
		expect_op(p, ")");
		return e;
	}
	syntax(p, "an expression");
}

static struct expr *parse_postfix(struct parser *p)
{
	struct expr *e = parse_primary(p), *x;

	while (is_op(p, "++") || is_op(p, "--")) {
		x = new_expr(E_INCDEC, p->tok.loc);
		x->op = p->tok.text;
		x->post = 1;
		x->a = e;
		e = x;
		next(p);
	}
	return e;
}

static struct expr *parse_unary(struct parser *p)
{
	static const char *const ops[] = { "!", "~", "-", "+", NULL };
	struct expr *e;
	int i;

	if (is_op(p, "++") || is_op(p, "--")) {
		e = new_expr(E_INCDEC, p->tok.loc);
		e->op = p->tok.text;
		next(p);
		e->a = parse_unary(p);
		return e;
	}
	for (i = 0; ops[i]; i++) {
		if (is_op(p, ops[i])) {
			e = new_expr(E_UNARY, p->tok.loc);
			e->op = ops[i];
			next(p);
			e->a = parse_unary(p);
			return e;
		}
	}
	return parse_postfix(p);
}

/* binary operator levels, loosest first; each level is left-associative */
static const char *const levels[][6] = {
	{ "||" }, { "&&" }, { "|" }, { "^" }, { "&" }, { "==", "!=" },
	{ "<", ">", "<=", ">=" }, { "<<", ">>" }, { "+", "-", "." }, { "*", "/", "%" },
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
	x->c = parse_ternary(p);
	return x;
}

static struct expr *parse_expr(struct parser *p)
{
	static const char *const ops[] = {
		"=", "+=", "-=", "*=", "/=", "%=", ".=", "<<=", ">>=", "&=", "|=", "^=", NULL,
	};
	struct expr *e = parse_ternary(p), *x;
	int i;

	for (i = 0; ops[i]; i++) {
		if (!is_op(p, ops[i]))
			continue;
		if (e->kind != E_VAR) {
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

static struct stmt *new_stmt(enum stmt_kind kind, struct loc loc)
{
	struct stmt *s = xcalloc(1, sizeof(*s));

	s->kind = kind;
	s->loc = loc;
	return s;
}

static struct stmt *parse_block(struct parser *p)
{
	struct stmt *s = new_stmt(S_BLOCK, p->tok.loc);
	int cap = 8;

	expect_op(p, "{");
	s->list = xcalloc(cap, sizeof(*s->list));
	while (!is_op(p, "}")) {
		if (p->tok.kind == T_EOF)
			syntax(p, "'}'");
		if (s->n == cap) {
			cap *= 2;
			s->list = realloc(s->list, cap * sizeof(*s->list));
		}
		s->list[s->n++] = parse_stmt(p);
	}
	next(p);
	return s;
}

static struct expr *parse_cond(struct parser *p)
{
	struct expr *e;

	expect_op(p, "(");
	e = parse_expr(p);
	expect_op(p, ")");
	return e;
}

static struct stmt *parse_for(struct parser *p, struct stmt *s)
{
	expect_op(p, "(");
	if (!is_op(p, ";"))
		s->init = parse_expr(p);
	expect_op(p, ";");
	if (!is_op(p, ";"))
		s->e = parse_expr(p);
	expect_op(p, ";");
	if (!is_op(p, ")"))
		s->step = parse_expr(p);
	expect_op(p, ")");
	s->body = parse_stmt(p);
	return s;
}

static struct stmt *parse_stmt(struct parser *p)
{
	struct stmt *s;

	if (is_op(p, "{"))
		return parse_block(p);
	s = new_stmt(S_EMPTY, p->tok.loc);
	if (is_op(p, ";")) {
		next(p);
		return s;
	}
	if (p->tok.kind == T_KEYWORD) {
		const char *kw = p->tok.text;

		if (!strcmp(kw, "if")) {
			next(p);
			s->kind = S_IF;
			s->e = parse_cond(p);
			s->body = parse_stmt(p);
			if (is_kw(p, "else")) {
				next(p);
				s->other = parse_stmt(p);
			}
			return s;
		}
		if (!strcmp(kw, "while")) {
			next(p);
			s->kind = S_WHILE;
			s->e = parse_cond(p);
			s->body = parse_stmt(p);
			return s;
		}
		if (!strcmp(kw, "for")) {
			next(p);
			s->kind = S_FOR;
			return parse_for(p, s);
		}
		if (!strcmp(kw, "next") || !strcmp(kw, "break") || !strcmp(kw, "continue")) {
			s->kind = kw[0] == 'n' ? S_NEXT : kw[0] == 'b' ? S_BREAK : S_CONTINUE;
			next(p);
			if (is_op(p, ";"))
				next(p);
			return s;
		}
		diag(&p->tok.loc, "'%s' is not supported yet", kw);
		longjmp(p->fail, 1);
	}
	s->kind = S_EXPR;
	s->e = parse_expr(p);
	if (is_op(p, ";"))
		next(p);
	return s;
}

/** parse_point - a probe point: name components joined by '.', with (args) */
static char *parse_point(struct parser *p)
{
	char buf[512] = "";
	size_t n;

	for (;;) {
		if (p->tok.kind != T_IDENT && p->tok.kind != T_KEYWORD)
			syntax(p, "a probe point");
		n = strlen(buf);
		snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? "." : "", p->tok.text);
		next(p);
		if (is_op(p, "(")) {
			next(p);
			n = strlen(buf);
			if (p->tok.kind == T_NUM)
				snprintf(buf + n, sizeof(buf) - n, "(%lld)", (long long)p->tok.num);
			else if (p->tok.kind == T_STR)
				snprintf(buf + n, sizeof(buf) - n, "(\"%s\")", p->tok.text);
			else
				syntax(p, "a number or string");
			next(p);
			expect_op(p, ")");
		}
		if (!is_op(p, "."))
			return xstrdup(buf);
		next(p);
	}
}

static void add_probe(struct parser *p, char *point, struct loc loc, struct stmt *body)
{
	struct probe *pr = xcalloc(1, sizeof(*pr)), **tail;

	pr->point = point;
	pr->loc = loc;
	pr->body = body;
	pr->index = p->s->nprobes++;
	for (tail = &p->s->probes; *tail; tail = &(*tail)->next)
		;
	*tail = pr;
}

static void parse_probe(struct parser *p)
{
	struct loc locs[32];
	char *points[32];
	struct stmt *body;
	int n = 0, i;

	next(p);
	for (;;) {
		if (n == 32)
			syntax(p, "at most 32 probe points");
		locs[n] = p->tok.loc;
		points[n++] = parse_point(p);
		if (!is_op(p, ","))
			break;
		next(p);
	}
	body = parse_block(p);
	for (i = 0; i < n; i++)
		add_probe(p, points[i], locs[i], body);
}

static void parse_global(struct parser *p)
{
	struct sym *g;

	next(p);
	for (;;) {
		if (p->tok.kind != T_IDENT)
			syntax(p, "a global variable name");
		for (g = p->s->globals; g; g = g->next)
			if (!strcmp(g->name, p->tok.text)) {
				diag(&p->tok.loc, "global '%s' is declared twice", g->name);
				longjmp(p->fail, 1);
			}
		g = xcalloc(1, sizeof(*g));
		g->name = p->tok.text;
		g->global = 1;
		g->loc = p->tok.loc;
		g->next = p->s->globals;
		p->s->globals = g;
		next(p);
		if (!is_op(p, ","))
			break;
		next(p);
	}
	if (is_op(p, ";"))
		next(p);
}

/**
 * parse_script - parse a whole script
 * @file: its name, for diagnostics
 * @text: its text
 *
 * Return: the tree, or NULL after a diagnostic.
 */
struct script *parse_script(const char *file, const char *text)
{
	struct parser *p = xcalloc(1, sizeof(*p));

	p->s = xcalloc(1, sizeof(*p->s));
	p->s->file = file;
	p->lx = lex_open(file, text);
	if (setjmp(p->fail))
		return NULL;
	next(p);
	while (p->tok.kind != T_EOF) {
		if (is_kw(p, "probe"))
			parse_probe(p);
		else if (is_kw(p, "global"))
			parse_global(p);
		else if (is_kw(p, "function"))
			syntax(p, "'probe' or 'global' (functions are not supported yet)");
		else
			syntax(p, "'probe', 'global' or 'function'");
	}
	if (!p->s->probes) {
		diag(&p->tok.loc, "the script has no probes");
		return NULL;
	}
	return p->s;
}
