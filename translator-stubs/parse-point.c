// SPDX-License-Identifier: GPL-2.0
/*
 * parse-point.c - probe points: components joined by '.', each a name (which may hold
 * '*' wildcards) with an optional (literal) argument, and SystemTap's brace expansion:
 * {a,b} anywhere in a point gives one point for each alternative, so
 * '{kernel,module("m")}.function("f")' is two points and 'syscall.{open,close}.return'
 * too.  An alternative, or the whole point, may end in '?' (optional) or '!' (optional
 * and sufficient), then 'if (EXPR)': the probe runs only when EXPR, which reads only
 * globals, holds.  $N and @N were already replaced by their arguments (lex.c).
 */
#include <stdlib.h>
#include <string.h>
#include "parse.h"

#define PT_MAX		1024	/* points one probe point may expand to */
#define PT_LEN		512	/* the longest point */

static void pt_add(struct parser *p, struct points *v, const char *text, int flags)
{
	if (v->n == PT_MAX) {
		diag(&p->tok.loc, "a probe point expands to more than %d points", PT_MAX);
		longjmp(p->fail, 1);
	}
	v->text = realloc(v->text, (v->n + 1) * sizeof(*v->text));
	v->flags = realloc(v->flags, (v->n + 1) * sizeof(*v->flags));
	v->cond = realloc(v->cond, (v->n + 1) * sizeof(*v->cond));
	if (!v->text || !v->flags || !v->cond)
		abort();
	v->text[v->n] = xstrdup(text);
	v->cond[v->n] = NULL;
	v->flags[v->n++] = flags;
}

static void pt_free(struct points *v)
{
	int i;

	for (i = 0; i < v->n; i++)
		free(v->text[i]);
	free(v->text);
	free(v->flags);
	free(v->cond);
	memset(v, 0, sizeof(*v));
}

/** adjacent - the current token starts where the last one (@end) ended */
static int adjacent(const struct parser *p, const struct loc *end)
{
	return p->tok.loc.line == end->line && p->tok.loc.col == end->col;
}

static int name_tok(const struct parser *p)
{
	return p->tok.kind == T_IDENT || p->tok.kind == T_KEYWORD || is_op(p, "*");
}

/** component - NAME or NAME(LITERAL), appended to @buf; NAME joins touching '*'s */

/* arg_out_of_range - $N/@N in a probe point whose N is no argument: the expression's error */
static void __attribute__((noreturn)) arg_out_of_range(struct parser *p)
{
	struct loc at = p->tok.loc;

	next(p);
	if (p->tok.kind != T_NUM)
		syntax(p, "a number or string");
	diag(&at, "command line argument index %lld out of range [1-%d]", (long long)p->tok.num,
	     p->opt->nargs);
	longjmp(p->fail, 1);
}
static void component(struct parser *p, char *buf)
{
	size_t n = strlen(buf);
	struct loc end;
	int neg;

	if (!name_tok(p))
		syntax(p, "a probe point");
	do {
		n += snprintf(buf + n, PT_LEN - n, "%s", p->tok.text);
		end = p->tok.loc;
		end.col += strlen(p->tok.text);
		next(p);
	} while (name_tok(p) && adjacent(p, &end) && n < PT_LEN);
	if (!is_op(p, "("))
		return;
	next(p);
	neg = is_op(p, "-");
	if (neg)
		next(p);
	if (p->tok.kind == T_NUM)	/* -N in two's complement: -9223372036854775808 */
		snprintf(buf + n, PT_LEN - n, "(%lld)", (long long)(neg ?
			 (int64_t)(0 - (uint64_t)p->tok.num) : p->tok.num));
	else if (p->tok.kind == T_STR && !neg)
		snprintf(buf + n, PT_LEN - n, "(\"%s\")", p->tok.text);
	else if (!neg && (is_op(p, "$") || is_op(p, "@")))
		arg_out_of_range(p);	/* $N or @N that lex.c left alone: no such argument */
	else
		syntax(p, "a number or string");
	next(p);
	expect_op(p, ")");
}

static void seq(struct parser *p, struct points *out);

/** group - {SEQ[?|!], SEQ[?|!], ...}: each alternative's points, into @out */
static void group(struct parser *p, struct points *out)
{
	next(p);
	for (;;) {
		seq(p, out);
		if (!is_op(p, ","))
			break;
		next(p);
	}
	expect_op(p, "}");
}

/**
 * seq - ATOM.ATOM... with an optional '?' or '!', where an ATOM is a component or a
 * group: the cross product of the atoms' alternatives, appended to @out
 */
static void seq(struct parser *p, struct points *out)
{
	struct points acc = { 0 }, alts, cross;
	struct loc at = p->tok.loc;
	char buf[PT_LEN];
	int i, k, flags;

	pt_add(p, &acc, "", 0);
	for (;;) {
		memset(&alts, 0, sizeof(alts));
		if (is_op(p, "{")) {
			group(p, &alts);
		} else {
			*buf = '\0';
			component(p, buf);
			pt_add(p, &alts, buf, 0);
		}
		memset(&cross, 0, sizeof(cross));
		for (i = 0; i < acc.n; i++)
			for (k = 0; k < alts.n; k++) {
				snprintf(buf, sizeof(buf), "%s%s%s", acc.text[i], *acc.text[i] ? "." : "",
					 alts.text[k]);
				pt_add(p, &cross, buf, acc.flags[i] | alts.flags[k]);
			}
		pt_free(&acc);
		pt_free(&alts);
		acc = cross;
		if (!is_op(p, "."))
			break;
		for (i = 0; i < acc.n; i++)
			if (acc.flags[i]) {	/* a flag inside braces ends the point */
				diag(&at, "'?', '!' or condition must only be specified in suffix");
				longjmp(p->fail, 1);
			}
		next(p);
	}
	flags = is_op(p, "?") ? 1 : is_op(p, "!") ? 3 : 0;
	if (flags)
		next(p);
	for (i = 0; i < acc.n; i++)
		pt_add(p, out, acc.text[i], acc.flags[i] | flags);
	pt_free(&acc);
}

/**
 * parse_points - one probe point as written, before the ',' or '{' that follows it
 * @p:   the parser, at its first token
 * @out: its points (more than one with braces), appended, each with flags 1 for
 *       optional ('?') and 3 for optional and sufficient ('!')
 *
 * A syntax error longjmps to @p->fail.
 */
void parse_points(struct parser *p, struct points *out)
{
	struct expr *cond;
	int from = out->n;

	seq(p, out);
	if (!is_kw(p, "if"))
		return;
	next(p);
	expect_op(p, "(");
	cond = parse_expr(p);
	expect_op(p, ")");
	while (from < out->n)
		out->cond[from++] = cond;
}
