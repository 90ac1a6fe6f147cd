// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - recursive-descent parser: script text to syntax tree.
 *
 * This file holds the token stream, statements and the top level (probes, functions,
 * globals); parse-expr.c holds expressions.  The first syntax error ends the parse.
 */
#include <stdlib.h>
#include <string.h>
#include "parse.h"

static struct stmt *parse_stmt(struct parser *p);

/** join_strings - adjacent string literals are one: "a" "b" is "ab", as in 4.8 */
static void join_strings(struct parser *p)
{
	char *s;

	for (;;) {
		if (pp_next(p->pp, &p->peek))
			longjmp(p->fail, 1);
		if (p->peek.kind != T_STR) {
			p->have_peek = 1;
			return;
		}
		s = xcalloc(strlen(p->tok.text) + strlen(p->peek.text) + 1, 1);
		strcat(strcpy(s, p->tok.text), p->peek.text);
		p->tok.text = s;
	}
}

void next(struct parser *p)
{
	if (p->have_peek) {
		p->tok = p->peek;
		p->have_peek = 0;
	} else if (pp_next(p->pp, &p->tok)) {
		longjmp(p->fail, 1);
	}
	if (p->tok.kind == T_STR)
		join_strings(p);
}

static const char *tok_desc(const struct token *t)
{
	static char buf[96];

	switch (t->kind) {
	case T_EOF: return "end of input";
	case T_STR: return "string literal";
	case T_CODE: return "embedded code";
	case T_NUM: snprintf(buf, sizeof(buf), "number '%lld'", (long long)t->num); return buf;
	default: snprintf(buf, sizeof(buf), "'%s'", t->text); return buf;
	}
}

void __attribute__((noreturn)) syntax(struct parser *p, const char *want)
{
	diag(&p->tok.loc, "expected %s, found %s", want, tok_desc(&p->tok));
	longjmp(p->fail, 1);
}

int is_op(const struct parser *p, const char *op)
{
	return p->tok.kind == T_OP && !strcmp(p->tok.text, op);
}

int is_kw(const struct parser *p, const char *kw)
{
	return p->tok.kind == T_KEYWORD && !strcmp(p->tok.text, kw);
}

void expect_op(struct parser *p, const char *op)
{
	char want[16];

	if (!is_op(p, op)) {
		snprintf(want, sizeof(want), "'%s'", op);
		syntax(p, want);
	}
	next(p);
}

struct expr *new_expr(enum expr_kind kind, struct loc loc)
{
	struct expr *e = xcalloc(1, sizeof(*e));

	e->kind = kind;
	e->loc = loc;
	return e;
}

/**
 * near_desc - token @t as SystemTap 4.8 names it in a run-time error's "near" part
 *
 * staptree.cxx's operator<< for tokens: the kind, then the text in quotes except for
 * keywords ("keyword at FILE:LINE:COL").  Return: a new string.
 */
static const char *near_desc(const struct token *t)
{
	static const char *const kinds[] = {
		[T_EOF] = "junk", [T_IDENT] = "identifier", [T_NUM] = "number",
		[T_STR] = "string", [T_OP] = "operator", [T_KEYWORD] = "keyword",
		[T_CODE] = "embedded-code",
	};
	char buf[600];

	if (t->kind == T_NUM)
		snprintf(buf, sizeof(buf), "number '%lld'", (long long)t->num);
	else if (t->kind == T_KEYWORD || !t->text)
		return kinds[t->kind];
	else
		snprintf(buf, sizeof(buf), "%s '%s'", kinds[t->kind], t->text);
	return xstrdup(buf);
}

/** new_stmt - a statement of @kind beginning at token @t */
static struct stmt *new_stmt(enum stmt_kind kind, const struct token *t)
{
	struct stmt *s = xcalloc(1, sizeof(*s));

	s->kind = kind;
	s->loc = t->loc;
	s->tok = near_desc(t);
	return s;
}

static struct stmt *parse_block(struct parser *p)
{
	struct stmt *s = new_stmt(S_BLOCK, &p->tok);
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

/** parse_sort - an optional '+' or '-' after a foreach key or array */
static int parse_sort(struct parser *p, struct stmt *s, int key)
{
	if (!is_op(p, "+") && !is_op(p, "-"))
		return 0;
	if (s->sort_key >= 0) {
		diag(&p->tok.loc, "foreach sorts on one key or the value, not several");
		longjmp(p->fail, 1);
	}
	s->sort_key = key;
	s->sort_dir = is_op(p, "+") ? 1 : -1;
	next(p);
	return 1;
}

static struct expr *parse_loop_var(struct parser *p)
{
	struct expr *e;

	if (p->tok.kind != T_IDENT)
		syntax(p, "a loop variable");
	e = new_expr(E_VAR, p->tok.loc);
	e->str = p->tok.text;
	next(p);
	return e;
}

/** parse_foreach - foreach ([k1, k2+] in arr [@agg][+-] [limit N]) stmt */
static struct stmt *parse_foreach(struct parser *p, struct stmt *s)
{
	/* AGG_* order; 4.8 takes @variance too and sorts it by @count (translate.cxx) */
	static const char *const aggs[] = { "count", "sum", "min", "max", "avg", "variance",
					    NULL };
	int bracket, i;

	s->sort_key = -1;
	s->sort_agg = AGG_COUNT;
	s->vars = xcalloc(MAXKEYS, sizeof(*s->vars));
	expect_op(p, "(");
	bracket = is_op(p, "[");
	if (bracket)
		next(p);
	for (;;) {
		if (s->n == MAXKEYS)
			syntax(p, "at most 9 keys");
		s->vars[s->n++] = parse_loop_var(p);
		parse_sort(p, s, s->n);
		if (!bracket || !is_op(p, ","))
			break;
		next(p);
	}
	if (bracket)
		expect_op(p, "]");
	if (!is_kw(p, "in"))
		syntax(p, "'in'");
	next(p);
	s->e = parse_loop_var(p);
	if (is_op(p, "[")) {		/* a slice: a[k, *] */
		s->init = new_expr(E_INDEX, s->e->loc);
		s->init->str = s->e->str;
		parse_keys(p, s->init);
	}
	if (is_op(p, "@")) {
		next(p);
		for (i = 0; aggs[i] && (p->tok.kind != T_IDENT || strcmp(aggs[i], p->tok.text)); i++)
			;
		if (!aggs[i])
			syntax(p, "@count, @sum, @min, @max, @avg or @variance");
		s->sort_agg = i > AGG_AVG ? AGG_COUNT : i;
		next(p);
		if (!parse_sort(p, s, 0))
			syntax(p, "'+' or '-' after the aggregate");
	} else {
		parse_sort(p, s, 0);
	}
	if (is_kw(p, "limit")) {
		next(p);
		s->step = parse_expr(p);
	}
	expect_op(p, ")");
	s->body = parse_stmt(p);
	s->id = p->s->ids++;
	return s;
}

/** parse_try - try { ... } catch [(VAR)] { ... } */
static struct stmt *parse_try(struct parser *p, struct stmt *s)
{
	next(p);
	s->kind = S_TRY;
	s->body = parse_block(p);
	if (!is_kw(p, "catch"))
		syntax(p, "'catch'");
	next(p);
	if (is_op(p, "(")) {
		next(p);
		if (p->tok.kind != T_IDENT)
			syntax(p, "a variable for the error message");
		s->e = new_expr(E_VAR, p->tok.loc);
		s->e->str = p->tok.text;
		next(p);
		expect_op(p, ")");
	}
	s->other = parse_block(p);
	s->id = p->s->ids++;
	return s;
}

static struct stmt *parse_stmt_1(struct parser *p);

/** parse_stmt - a statement, nested at most PARSE_MAXDEPTH deep */
static struct stmt *parse_stmt(struct parser *p)
{
	struct stmt *s;

	parse_deeper(p);
	s = parse_stmt_1(p);
	p->depth--;
	return s;
}

static struct stmt *parse_stmt_1(struct parser *p)
{
	struct stmt *s;

	if (is_op(p, "{"))
		return parse_block(p);
	s = new_stmt(S_EMPTY, &p->tok);
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
		if (!strcmp(kw, "try"))
			return parse_try(p, s);
		if (!strcmp(kw, "foreach")) {
			next(p);
			s->kind = S_FOREACH;
			return parse_foreach(p, s);
		}
		if (!strcmp(kw, "delete") || !strcmp(kw, "return")) {
			s->kind = kw[0] == 'd' ? S_DELETE : S_RETURN;
			next(p);
			if (s->kind == S_DELETE || !(is_op(p, ";") || is_op(p, "}")))
				s->e = parse_expr(p);
			if (is_op(p, ";"))
				next(p);
			return s;
		}
		diag(&p->tok.loc, "'%s' cannot start a statement", kw);
		longjmp(p->fail, 1);
	}
	s->kind = S_EXPR;
	s->e = parse_expr(p);
	if (is_op(p, ";"))
		next(p);
	return s;
}

static void add_probe(struct parser *p, char *point, struct loc loc, struct stmt *body,
		      int flags, struct expr *cond, const struct points *written)
{
	struct probe *pr = xcalloc(1, sizeof(*pr)), **tail;

	pr->point = point;
	pr->mark = flags;
	pr->written = written;
	pr->want_optional = !!(flags & 1);
	pr->sufficient = !!(flags & 2);
	pr->loc = loc;
	pr->body = body;
	pr->cond = cond;
	pr->index = p->s->nprobes++;
	for (tail = &p->s->probes; *tail; tail = &(*tail)->next)
		;
	*tail = pr;
}

/**
 * cond_body - @body run only when @cond holds: { if (!(COND)) next; BODY }, as 4.8
 * adds a probe point's condition to its body
 */
struct stmt *cond_body(struct stmt *body, struct expr *cond)
{
	struct stmt *b = xcalloc(1, sizeof(*b)), *s = xcalloc(1, sizeof(*s));
	struct expr *not = new_expr(E_UNARY, cond->loc);

	not->op = "!";
	not->a = cond;
	s->kind = S_IF;
	s->loc = cond->loc;
	s->tok = "keyword";
	s->e = not;
	s->body = xcalloc(1, sizeof(*s->body));
	s->body->kind = S_NEXT;
	s->body->loc = cond->loc;
	s->body->tok = "keyword";
	b->kind = S_BLOCK;
	b->loc = body->loc;
	b->tok = body->tok;
	b->list = xcalloc(2, sizeof(*b->list));
	b->list[b->n++] = s;
	b->list[b->n++] = body;
	return b;
}

/**
 * parse_probe - probe POINT[?|!], ... { body }, or an alias: probe NAME [+]= POINT, ... { }
 *
 * A point followed by '?' is optional: one that resolves to nothing is dropped.  '!' makes
 * it optional and sufficient: when it resolves, the probe's later points are not tried.
 * A point with braces is several (parse-point.c).  Aliases are expanded in aliases.c.
 */
static void parse_probe(struct parser *p)
{
	struct points pts = { 0 };
	struct loc *locs = NULL;
	struct stmt *body, *cond = NULL;
	int i, from, alias = 0, epilogue = 0;
	struct points *written;

	next(p);
	for (;;) {
		from = pts.n;
		locs = realloc(locs, (from + 1) * sizeof(*locs));
		if (!locs)
			abort();
		locs[from] = p->tok.loc;
		parse_points(p, &pts);
		locs = realloc(locs, pts.n * sizeof(*locs));
		if (!locs)
			abort();
		for (i = from + 1; i < pts.n; i++)
			locs[i] = locs[from];
		if (!alias && pts.n == 1 && !pts.flags[0] && !pts.cond[0] &&
		    (is_op(p, "=") || is_op(p, "+="))) {
			epilogue = is_op(p, "+=");
			alias = 1;	/* its name is pts.text[0], its points the rest */
			next(p);
			continue;
		}
		if (!is_op(p, ","))
			break;
		next(p);
	}
	body = parse_block(p);
	if (alias && strpbrk(pts.text[0], "*?[")) {	/* 4.8's checks of a new alias's name */
		diag(&locs[0], "invalid use of wildcard probe point component in alias '%s'",
		     pts.text[0]);
		longjmp(p->fail, 1);
	}
	if (alias && strchr(pts.text[0], '(')) {
		diag(&locs[0], "alias '%s' contains an illegal parameter", pts.text[0]);
		longjmp(p->fail, 1);
	}
	if (alias) {
		alias_add(p->s, pts.text[0], locs[0], pts.text + 1, locs + 1, pts.flags + 1,
			  pts.cond + 1, pts.n - 1, body, epilogue);
	} else {
		written = xcalloc(1, sizeof(*written));	/* kept: the probes name it */
		*written = pts;
		for (i = 0; i < pts.n; i++) {
			if (pts.cond[i] && (!i || pts.cond[i] != pts.cond[i - 1]))
				cond = cond_body(body, pts.cond[i]);	/* shared by its expansions */
			add_probe(p, pts.text[i], locs[i], pts.cond[i] ? cond : body,
				  pts.flags[i], pts.cond[i], written);
		}
		pts = (struct points){ 0 };
	}
	free(pts.flags);
	free(pts.cond);
	free(pts.text);
	free(locs);
}

/**
 * guru_check - embedded C needs -g, except in a tapset file (4.8's parse errors:
 * "embedded code", or "embedded expression code" for %{ %} in an expression, @expr)
 */
void guru_check(struct parser *p, int expr)
{
	if (p->opt->guru || p->privileged)
		return;
	diag(&p->tok.loc, "embedded %scode in unprivileged script; need stap -g",
	     expr ? "expression " : "");
	longjmp(p->fail, 1);
}

/** parse_code - a top-level %{ %} block: C for the module's file scope */
static void parse_code(struct parser *p)
{
	struct script *s = p->s;

	guru_check(p, 0);
	s->code = realloc(s->code, (s->ncode + 1) * sizeof(*s->code));
	if (!s->code)
		syntax(p, "less embedded code (out of memory)");
	s->code[s->ncode++] = p->tok.text;
	next(p);
}

/** parse_type - an optional ":long" or ":string" annotation */
static enum type parse_type(struct parser *p)
{
	enum type t;

	if (!is_op(p, ":"))
		return TY_UNKNOWN;
	next(p);
	if (p->tok.kind == T_IDENT && !strcmp(p->tok.text, "long"))
		t = TY_LONG;
	else if (p->tok.kind == T_IDENT && !strcmp(p->tok.text, "string"))
		t = TY_STRING;
	else
		syntax(p, "'long' or 'string'");
	next(p);
	return t;
}

static void typed(struct sym *v, enum type t, struct loc at)
{
	v->type = t;
	v->type_loc = at;
}

/** parse_function - function name[:type](param[:type], ...) { body } */
static void parse_function(struct parser *p)
{
	struct func *f = xcalloc(1, sizeof(*f)), **tail;
	struct sym *v, **ptail;
	struct loc at;

	next(p);
	if (p->tok.kind != T_IDENT)
		syntax(p, "a function name");
	f->name = p->tok.text;
	f->loc = p->tok.loc;
	f->loops = -1;		/* a second of the same name overloads it (calls.c) */
	if (p->private_decl)
		private_add(p, f->name);
	next(p);
	f->ret.name = f->name;
	f->ret.nkeys = 0;
	at = p->tok.loc;
	typed(&f->ret, parse_type(p), at);
	expect_op(p, "(");
	ptail = &f->params;
	while (!is_op(p, ")")) {
		if (p->tok.kind != T_IDENT)
			syntax(p, "a parameter name");
		v = xcalloc(1, sizeof(*v));
		v->name = p->tok.text;
		v->loc = p->tok.loc;
		v->param = ++f->nparams;
		next(p);
		at = p->tok.loc;
		typed(v, parse_type(p), at);
		*ptail = v;
		ptail = &v->next;
		if (!is_op(p, ")"))
			expect_op(p, ",");
	}
	next(p);
	if (p->tok.kind == T_CODE) {
		guru_check(p, 0);
		f->code = p->tok.text;
		f->body = new_stmt(S_BLOCK, &p->tok);
		next(p);
	} else {
		f->body = parse_block(p);
	}
	f->index = p->s->nfuncs++;
	for (tail = &p->s->funcs; *tail; tail = &(*tail)->next)
		;
	*tail = f;
}

/** parse_global - global NAME[%][[SIZE]] [= literal], ...: '%' makes an array wrap */
static void parse_global(struct parser *p)
{
	struct sym *g;

	if (is_kw(p, "global"))
		next(p);	/* else 4.8's "private NAME": a private global */
	for (;;) {
		if (p->tok.kind != T_IDENT)
			syntax(p, "a global variable name");
		if (p->private_decl)
			private_add(p, p->tok.text);
		for (g = p->private_decl ? NULL : p->s->globals; g; g = g->next)
			if (!strcmp(g->name, p->tok.text)) {
				diag(&p->tok.loc, "global '%s' is declared twice", g->name);
				longjmp(p->fail, 1);
			}
		g = xcalloc(1, sizeof(*g));
		g->name = p->tok.text;
		g->global = 1;
		g->loc = p->tok.loc;
		g->nkeys = -1;
		g->next = p->s->globals;
		p->s->globals = g;
		next(p);
		if (is_op(p, "%")) {
			g->wrap = 1;
			next(p);
		}
		if (is_op(p, "[")) {
			next(p);
			if (p->tok.kind != T_NUM || p->tok.num < 1 || p->tok.num > 1000000)
				syntax(p, "an array size from 1 to 1000000");
			g->size = p->tok.num;
			next(p);
			expect_op(p, "]");
		} else if (is_op(p, "=")) {
			next(p);
			g->init = parse_unary(p);
			if (g->init->kind == E_UNARY && !strcmp(g->init->op, "-") &&
			    g->init->a->kind == E_NUM) {
				g->init->a->num = -g->init->a->num;
				g->init = g->init->a;
			}
			if (g->init->kind != E_NUM && g->init->kind != E_STR)
				syntax(p, "a number or a string as the initial value");
		}
		if (!is_op(p, ","))
			break;
		next(p);
	}
	if (is_op(p, ";"))
		next(p);
}

/** parse_top - the top level of one file into @p->s; 0, or -1 after a diagnostic */
static int parse_top(struct parser *p, const char *file, const char *text)
{
	p->lx = lex_open(file, text);
	lex_args(p->lx, p->opt->args, p->opt->nargs);
	p->pp = pp_open(p->lx, p->opt);
	if (setjmp(p->fail))
		return -1;
	p->depth = 0;
	p->exprs = 0;
	next(p);
	while (p->tok.kind != T_EOF) {
		p->private_decl = is_kw(p, "private");
		if (p->private_decl) {		/* 4.8: visible only in this file (private.c) */
			next(p);
			if (p->tok.kind == T_IDENT && !is_kw(p, "global") && !is_kw(p, "function")) {
				parse_global(p);	/* 4.8: "private NAME" is a global */
				continue;
			}
			if (!is_kw(p, "global") && !is_kw(p, "function"))
				syntax(p, "'global' or 'function' after 'private'");
		}
		if (is_kw(p, "probe"))
			parse_probe(p);
		else if (is_kw(p, "global"))
			parse_global(p);
		else if (is_kw(p, "function"))
			parse_function(p);
		else if (p->tok.kind == T_CODE)
			parse_code(p);
		else
			syntax(p, "'probe', 'global' or 'function'");
	}
	private_rename(p, file);
	return 0;
}

/**
 * parse_file - parse a tapset library file into script @s (tapset.c)
 * @s:    the script
 * @file: the file's path, for diagnostics
 * @text: its text
 * @opt:  the command line
 *
 * Return: 0, or -1 after a diagnostic.
 */
int parse_file(struct script *s, const char *file, const char *text, const struct options *opt)
{
	struct parser *p = xcalloc(1, sizeof(*p));

	p->opt = opt;
	p->s = s;
	p->privileged = 1;
	return parse_top(p, file, text);
}

/**
 * parse_script - parse a whole script
 * @file: its name, for diagnostics
 * @text: its text
 * @opt:  the command line ($1 @1 arguments)
 *
 * Return: the tree, or NULL after a diagnostic.
 */
struct script *parse_script(const char *file, const char *text, const struct options *opt)
{
	struct parser *p = xcalloc(1, sizeof(*p));

	p->opt = opt;
	p->s = xcalloc(1, sizeof(*p->s));
	p->s->file = file;
	if (tapset_macros(opt) || parse_top(p, file, text))
		return NULL;
	if (!p->s->probes) {
		diag(&p->tok.loc, "the script has no probes");
		return NULL;
	}
	return p->s;
}
