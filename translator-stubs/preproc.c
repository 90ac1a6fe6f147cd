// SPDX-License-Identifier: GPL-2.0
/*
 * preproc.c - SystemTap's conditional preprocessing, between the lexer and the parser.
 *
 * %( COND %? TOKENS %: TOKENS %) keeps the tokens of one branch.  COND compares kernel_v,
 * kernel_vr, systemtap_v, systemtap_privilege, arch, runtime, a CONFIG_ option of the target,
 * $# or @#, a $N or @N, or two literals; conditions join with && and ||.  The rules and the
 * messages are SystemTap 4.8's (parse.cxx, eval_pp_conditional and scan_pp).
 *
 * Macros, as 4.8's: '@define NAME %( BODY %)' or '@define NAME(P1, P2) %( BODY %)' anywhere
 * in the text; '@NAME' or '@NAME(ARG1, ARG2)' later gives BODY's tokens, each '@P1' in it
 * ARG1's.  Arguments split at commas outside parentheses; a macro body is expanded when it
 * is used (so it may use a macro defined after it), and its %( %) are evaluated then.
 *
 * Library macros, as 4.8's (parse.cxx, parse_library_macros): the tapset directories'
 * *.stpm files hold only @define (tapset.c finds them, pp_library() reads each).  Their
 * macros serve every file; a file's own macro of the same name hides one.  A library
 * macro's body sees the library's macros only, and its arguments the invoker's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"

#define PP_DEPTH	64
#define PP_FRAMES	64		/* macro expansions within each other */
#define PP_SYSTEMTAP_V	"4.8"		/* the version relaytap answers as */

enum pp_state { PP_KEEP_THEN, PP_SKIP_THEN, PP_KEEP_ELSE, PP_SKIP_ELSE };

/** struct tokv - a token list */
struct tokv {
	struct token *t;
	int n;
};

/**
 * struct macro - an @define
 * @name:   its name
 * @at:     where it is defined
 * @params: its parameters' names
 * @np:     how many
 * @body:   its tokens
 * @lib:    a library macro (a .stpm file's)
 * @next:   the next macro
 */
struct macro {
	const char *name;
	struct loc at;
	char **params;
	int np;
	struct tokv body;
	int lib;
	struct macro *next;
};

static struct macro *lib_macros;	/* the library's, from every .stpm file */

/**
 * struct frame - a macro body or argument being read
 * @v:    its tokens
 * @i:    the next one
 * @m:    the macro (whose parameters '@P' stand for @args), or NULL for an argument
 * @args: the arguments, @m->np of them
 * @lib:  its tokens are a library macro's: '@NAME' in them names a library macro
 * @args_lib: the arguments were written in a library macro
 * @from: a body's tokens: the '@NAME' that expanded it (their loc's @from)
 */
struct frame {
	const struct tokv *v;
	int i;
	const struct macro *m;
	struct tokv *args;
	int lib;
	int args_lib;
	const struct loc *from;
};

/**
 * struct pp - preprocessing state
 * @lx:    the lexer
 * @opt:   the command line and the target kernel
 * @n:     open conditionals
 * @at:    where each one starts
 * @state: what each one does now
 * @macros: the macros defined so far
 * @frames: the expansions being read, innermost last
 * @nframes: how many
 * @back:  a token read ahead and given back
 * @have_back: @back is valid
 * @lib:   the last token came from a library macro (struct frame @lib)
 * @fail:  where an error jumps to
 */
struct pp {
	struct lexer *lx;
	const struct options *opt;
	int n;
	struct loc at[PP_DEPTH];
	enum pp_state state[PP_DEPTH];
	struct macro *macros;
	struct frame frames[PP_FRAMES];
	int nframes;
	struct token back;
	int have_back;
	int lib;
	jmp_buf fail;
};

struct pp *pp_open(struct lexer *lx, const struct options *opt)
{
	struct pp *pp = xcalloc(1, sizeof(*pp));

	pp->lx = lx;
	pp->opt = opt;
	return pp;
}

static void __attribute__((noreturn)) pp_error(struct pp *pp, const struct loc *at,
					       const char *msg)
{
	diag(at, "%s", msg);
	longjmp(pp->fail, 1);
}

static int is(const struct token *t, enum tok_kind kind, const char *text)
{
	return t->kind == kind && !strcmp(t->text, text);
}

static void tokv_add(struct tokv *v, const struct token *t)
{
	v->t = realloc(v->t, (v->n + 1) * sizeof(*v->t));
	if (!v->t)
		abort();
	v->t[v->n++] = *t;
}

/** adjacent - @b starts right after @a, a one-character token ('@' before a name) */
static int adjacent(const struct token *a, const struct token *b)
{
	return b->loc.line == a->loc.line && b->loc.col == a->loc.col + 1 &&
	       b->loc.file == a->loc.file;
}

/**
 * from_frame - the next token of the innermost expansion, into @t; '@P' of its macro's
 * parameter P becomes a frame of that argument.  Return: 0 when no expansion is left.
 */
static int from_frame(struct pp *pp, struct token *t)
{
	struct frame *f;
	const struct token *n;
	int k;

	while (pp->nframes) {
		f = &pp->frames[pp->nframes - 1];
		if (f->i == f->v->n) {
			pp->nframes--;
			continue;
		}
		*t = f->v->t[f->i++];
		if (f->from)
			t->loc.from = f->from;
		pp->lib = f->lib;
		n = f->i < f->v->n ? &f->v->t[f->i] : NULL;
		if (!f->m || !is(t, T_OP, "@") || !n || n->kind != T_IDENT || !adjacent(t, n))
			return 1;
		for (k = 0; k < f->m->np && strcmp(f->m->params[k], n->text); k++)
			;
		if (k == f->m->np)
			return 1;
		f->i++;
		if (pp->nframes == PP_FRAMES)
			pp_error(pp, &t->loc, "macro expansions nested too deeply");
		pp->frames[pp->nframes++] = (struct frame){ &f->args[k], 0, NULL, NULL,
							    f->args_lib, 0, NULL };
	}
	return 0;
}

/**
 * raw - the next token: one given back, an expansion's or the lexer's; $# and @# are
 * the number of arguments
 */
static void raw(struct pp *pp, struct token *t)
{
	static char count[16];

	if (pp->have_back) {
		*t = pp->back;
		pp->have_back = 0;
		return;
	}
	if (!from_frame(pp, t)) {
		pp->lib = 0;
		if (lex_next(pp->lx, t))
			longjmp(pp->fail, 1);
	}
	if (t->kind == T_OP && (!strcmp(t->text, "$#") || !strcmp(t->text, "@#"))) {
		t->num = pp->opt->nargs;
		snprintf(count, sizeof(count), "%d", pp->opt->nargs);
		t->kind = t->text[0] == '$' ? T_NUM : T_STR;
		t->text = t->kind == T_STR ? xstrdup(count) : "$#";
	}
}

static struct macro *find_macro(struct macro *m, const char *name)
{
	for (; m && strcmp(m->name, name); m = m->next)
		;
	return m;
}

/** define - after '@define': NAME[(P, ...)] %( BODY %) */
static void define(struct pp *pp)
{
	struct macro *m = xcalloc(1, sizeof(*m)), *old;
	struct token t;
	int depth = 0;

	raw(pp, &t);
	if (t.kind != T_IDENT && t.kind != T_KEYWORD)
		pp_error(pp, &t.loc, "expected identifier");
	m->name = t.text;
	m->at = t.loc;
	old = find_macro(pp->macros, m->name);
	if (old) {
		diag(&t.loc, "attempt to redefine macro '@%s' in the same file", m->name);
		diag(&old->at, "macro '@%s' first defined here", m->name);
		longjmp(pp->fail, 1);
	}
	raw(pp, &t);
	if (is(&t, T_OP, "(")) {
		for (;;) {
			raw(pp, &t);
			if (t.kind != T_IDENT && t.kind != T_KEYWORD)
				pp_error(pp, &t.loc, "expected identifier");
			m->params = realloc(m->params, (m->np + 1) * sizeof(*m->params));
			if (!m->params)
				abort();
			m->params[m->np++] = t.text;
			raw(pp, &t);
			if (is(&t, T_OP, ")"))
				break;
			if (!is(&t, T_OP, ","))
				pp_error(pp, &t.loc, "expected ',' or ')'");
		}
		raw(pp, &t);
	}
	if (!is(&t, T_OP, "%("))
		pp_error(pp, &t.loc, "expected '%('");
	for (;;) {
		raw(pp, &t);
		if (t.kind == T_EOF)
			pp_error(pp, &m->at, "incomplete macro definition - missing '%)'");
		if (is(&t, T_OP, "%)") && !depth--)
			break;
		if (is(&t, T_OP, "%("))
			depth++;
		tokv_add(&m->body, &t);
	}
	m->next = pp->macros;
	pp->macros = m;
}

/** invoke - @NAME of macro @m (@name is NAME's token): read its arguments, expand it */
static void invoke(struct pp *pp, const struct macro *m, const struct token *name)
{
	int lib = pp->lib;
	struct tokv *args = xcalloc(m->np + 1, sizeof(*args));
	struct loc *from;
	struct token t;
	char msg[160];
	int n = 0, depth = 0;

	if (m->np) {
		raw(pp, &t);
		if (!is(&t, T_OP, "(")) {
			snprintf(msg, sizeof(msg), "expected '(' in invocation of macro '@%s' taking "
				 "%d parameter%s", m->name, m->np, m->np == 1 ? "" : "s");
			pp_error(pp, &t.loc, msg);
		}
		for (;;) {
			raw(pp, &t);
			if (t.kind == T_EOF)
				pp_error(pp, &name->loc, "incomplete macro invocation");
			if (is(&t, T_OP, ")") && !depth--)
				break;
			if (is(&t, T_OP, "("))
				depth++;
			if (is(&t, T_OP, ",") && !depth) {
				if (++n == m->np) {
					snprintf(msg, sizeof(msg), "too many parameters for macro "
						 "'@%s' (expected %d)", m->name, m->np);
					pp_error(pp, &t.loc, msg);
				}
				continue;
			}
			tokv_add(&args[n], &t);
		}
		if (n + 1 < m->np) {
			snprintf(msg, sizeof(msg), "too few parameters for macro '@%s' (expected "
				 "%d)", m->name, m->np);
			pp_error(pp, &t.loc, msg);
		}
	}
	if (pp->nframes == PP_FRAMES)
		pp_error(pp, &name->loc, "macro expansions nested too deeply");
	from = xcalloc(1, sizeof(*from));
	*from = name->loc;
	from->col--;			/* the '@' before it */
	pp->frames[pp->nframes++] = (struct frame){ &m->body, 0, m, args, m->lib, lib, from };
}

/**
 * macro - @t is '@': '@define' defines a macro and '@NAME' of one expands it (return 1,
 * the caller reads on); anything else is left alone (0)
 */
static int macro(struct pp *pp, const struct token *t)
{
	const struct macro *m;
	struct token n;

	if (!is(t, T_OP, "@"))
		return 0;
	raw(pp, &n);
	if ((n.kind == T_IDENT || n.kind == T_KEYWORD) && adjacent(t, &n)) {
		if (!strcmp(n.text, "define")) {
			if (t->loc.from)	/* 4.8: not while a macro expands */
				pp_error(pp, &t->loc, "'@define' forbidden inside macro body");
			define(pp);
			return 1;
		}
		m = pp->lib ? NULL : find_macro(pp->macros, n.text);
		if (!m)
			m = find_macro(lib_macros, n.text);
		if (m) {
			invoke(pp, m, &n);
			return 1;
		}
	}
	pp->back = n;
	pp->have_back = 1;
	return 0;
}

/**
 * cond_tok - a token of a condition: a macro's expansion gives its tokens, $N and @N
 * become the argument; '$' or '@' before a
 * name ($x, @defined, a macro's @p) becomes that name, which eval() refuses with 4.8's
 * "expected 'arch', ..." (4.8's lexer reads '@defined' and '$x' as one token)
 */
static void cond_tok(struct pp *pp, struct token *t)
{
	char msg[80];
	struct token n;
	const char *v;

	do
		raw(pp, t);
	while (macro(pp, t));		/* 4.8 expands a macro in a condition */
	if (t->kind == T_EOF)
		pp_error(pp, &t->loc, "incomplete condition after '%('");
	if (t->kind != T_OP || (strcmp(t->text, "$") && strcmp(t->text, "@")))
		return;
	raw(pp, &n);
	if (n.kind == T_IDENT || n.kind == T_KEYWORD) {
		v = t->text;
		t->kind = T_IDENT;
		t->text = xcalloc(strlen(n.text) + 2, 1);
		sprintf(t->text, "%c%s", *v, n.text);
		return;
	}
	if (n.kind != T_NUM || n.num < 1 || n.num > pp->opt->nargs) {
		snprintf(msg, sizeof(msg), "command line argument index %lld out of range [1-%d]",
			 n.kind == T_NUM ? (long long)n.num : 0LL, pp->opt->nargs);
		pp_error(pp, &t->loc, msg);
	}
	v = pp->opt->args[n.num - 1];
	t->kind = t->text[0] == '$' ? T_NUM : T_STR;
	t->text = xstrdup(v);
	t->num = strtoll(v, NULL, 0);
}

static int compare(struct pp *pp, const struct token *op, int c)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=", NULL };
	int i;

	for (i = 0; ops[i] && !is(op, T_OP, ops[i]); i++)
		;
	switch (i) {
	case 0: return c == 0;
	case 1: return c != 0;
	case 2: return c < 0;
	case 3: return c <= 0;
	case 4: return c > 0;
	case 5: return c >= 0;
	}
	pp_error(pp, &op->loc, "expected comparison operator");
}

/** match - == or != of a shell pattern: arch, systemtap_privilege, CONFIG_ strings */
static int match(struct pp *pp, const struct token *op, const struct token *r, const char *v)
{
	int nomatch = fnmatch(r->text, v, FNM_NOESCAPE);

	if (is(op, T_OP, "=="))
		return !nomatch;
	if (is(op, T_OP, "!="))
		return !!nomatch;
	pp_error(pp, &op->loc, "expected '==' or '!='");
}

/** version - kernel_v, kernel_vr and systemtap_v: strverscmp, or a pattern for == and != */
static int version(struct pp *pp, const struct token *op, const struct token *r, const char *v)
{
	int c;

	if (r->kind != T_STR)
		pp_error(pp, &r->loc, "expected string literal");
	if (strpbrk(r->text, "*?[")) {
		if (!is(op, T_OP, "==") && !is(op, T_OP, "!="))
			pp_error(pp, &op->loc, "wildcard not allowed with order comparison "
				 "operators");
		return match(pp, op, r, v);
	}
	c = strverscmp(v, r->text);
	return compare(pp, op, c < 0 ? -1 : c > 0);
}

/**
 * config_num - CONFIG_ option @name of the target kernel as a number; -1 if it is not one.
 * As 4.8's strtoll (parse.cxx), an unset option ("") reads as 0.
 */
static int config_num(const struct options *opt, const char *name, long long *v)
{
	const char *s = opt->config ? opt->config(name) : "";
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 0);
	return !*end && errno != ERANGE ? 0 : -1;
}

static int config(struct pp *pp, const struct token *l, const struct token *op,
		  const struct token *r)
{
	const struct options *opt = pp->opt;
	long long a, b;

	if (r->kind == T_STR)
		return match(pp, op, r, opt->config ? opt->config(l->text) : "");
	if (r->kind == T_NUM) {
		if (config_num(opt, l->text, &a))
			pp_error(pp, &l->loc, "Config option value not a number");
		return compare(pp, op, (a > r->num) - (a < r->num));
	}
	if (r->kind == T_IDENT && !strncmp(r->text, "CONFIG_", 7)) {
		if (!config_num(opt, l->text, &a) && !config_num(opt, r->text, &b))
			return compare(pp, op, (a > b) - (a < b));
		return compare(pp, op, strcmp(opt->config ? opt->config(l->text) : "",
					      opt->config ? opt->config(r->text) : ""));
	}
	pp_error(pp, &r->loc, "expected string, number literal or other CONFIG_... as right "
		 "side operand");
}

/** eval - one comparison L OP R of a condition */
static int eval(struct pp *pp, const struct token *l, const struct token *op,
		const struct token *r)
{
	const char *name = l->kind == T_IDENT ? l->text : "";

	if (!strcmp(name, "kernel_v") || !strcmp(name, "kernel_vr"))
		return version(pp, op, r, pp->opt->kernel ? pp->opt->kernel(name[8] == 'r') : "");
	if (!strcmp(name, "systemtap_v"))
		return version(pp, op, r, PP_SYSTEMTAP_V);
	if (!strcmp(name, "systemtap_privilege") || !strcmp(name, "arch") ||
	    !strcmp(name, "runtime")) {
		if (r->kind != T_STR)
			pp_error(pp, &r->loc, "expected string literal");
		return match(pp, op, r, name[0] == 'a' ? "x86_64" : name[0] == 'r' ? "kernel" :
			     "stapdev");
	}
	if (!strncmp(name, "CONFIG_", 7))
		return config(pp, l, op, r);
	if (l->kind == T_STR && r->kind == T_STR)
		return compare(pp, op, strcmp(l->text, r->text));
	if (l->kind == T_NUM && r->kind == T_NUM)
		return compare(pp, op, (l->num > r->num) - (l->num < r->num));
	if (l->kind == T_STR && r->kind == T_NUM)
		pp_error(pp, &r->loc, "expected string literal as right value");
	if (l->kind == T_NUM && r->kind == T_STR)
		pp_error(pp, &r->loc, "expected number literal as right value");
	pp_error(pp, &l->loc, "expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v', "
		 "'runtime', 'systemtap_privilege', 'CONFIG_...', or comparison between strings "
		 "or integers");
}

/** condition - after '%(': comparisons joined by && and ||, up to the '%?' */
static int condition(struct pp *pp, const struct loc *at)
{
	struct token l, op, r, n;
	int result = 0, all = 1;

	for (;;) {
		cond_tok(pp, &l);
		cond_tok(pp, &op);
		cond_tok(pp, &r);
		all &= eval(pp, &l, &op, &r);
		raw(pp, &n);
		if (is(&n, T_OP, "&&"))
			continue;
		result |= all;
		all = 1;
		if (!is(&n, T_OP, "||"))
			break;
	}
	if (!is(&n, T_OP, "%?"))
		pp_error(pp, at, "expected '%?' marker for conditional");
	return result;
}

/** skip - the tokens of a branch not taken, to its '%:' or '%)' (nested ones skipped) */
static void skip(struct pp *pp, struct token *t)
{
	int nesting = 0;

	for (;;) {
		raw(pp, t);
		if (t->kind == T_EOF)
			return;
		if (is(t, T_OP, "%("))
			nesting++;
		else if (nesting && is(t, T_OP, "%)"))
			nesting--;
		else if (!nesting && (is(t, T_OP, "%:") || is(t, T_OP, "%?") ||
				      is(t, T_OP, "%)")))
			return;
	}
}

/** marker - a '%?', '%:' or '%)' outside a condition; 0 when @t is not one */
static int marker(struct pp *pp, const struct token *t)
{
	enum pp_state *s = pp->n ? &pp->state[pp->n - 1] : NULL;

	if (t->kind != T_OP || (strcmp(t->text, "%?") && strcmp(t->text, "%:") &&
				strcmp(t->text, "%)")))
		return 0;
	if (!s || t->text[1] == '?')
		pp_error(pp, &t->loc, "incomplete conditional - missing '%('");
	if (t->text[1] == ')') {
		pp->n--;
		return 1;
	}
	if (*s == PP_KEEP_ELSE || *s == PP_SKIP_ELSE)
		pp_error(pp, &t->loc, "invalid conditional - duplicate '%:'");
	*s = *s == PP_KEEP_THEN ? PP_SKIP_ELSE : PP_KEEP_ELSE;
	return 1;
}

/**
 * pp_next - the next token the parser sees
 * @pp: the state
 * @t:  filled in
 *
 * Return: 0, or -1 after a diagnostic.
 */
int pp_next(struct pp *pp, struct token *t)
{
	enum pp_state s;

	if (setjmp(pp->fail))
		return -1;
	for (;;) {
		s = pp->n ? pp->state[pp->n - 1] : PP_KEEP_THEN;
		if (s == PP_SKIP_THEN || s == PP_SKIP_ELSE)
			skip(pp, t);
		else
			raw(pp, t);
		if (t->kind == T_EOF && pp->n)
			pp_error(pp, &pp->at[pp->n - 1], "incomplete conditional at end of file");
		if (marker(pp, t) || macro(pp, t))
			continue;
		if (!is(t, T_OP, "%("))
			return 0;
		if (pp->n == PP_DEPTH)
			pp_error(pp, &t->loc, "conditionals nested too deeply");
		pp->at[pp->n] = t->loc;
		pp->state[pp->n] = condition(pp, &t->loc) ? PP_KEEP_THEN : PP_SKIP_THEN;
		pp->n++;
	}
}

/**
 * pp_library - read library macro file @file (a .stpm): @define only, as 4.8's
 * parse_library_macros; its macros join the library's
 * @file: its path, for diagnostics
 * @text: its text (kept: tokens and diagnostics point into it)
 * @opt:  the command line (conditionals in it are evaluated)
 *
 * Return: 0, or -1 after a diagnostic: 4.8's messages for anything but @define and for a
 * name that another library file already defines.
 */
int pp_library(const char *file, const char *text, const struct options *opt)
{
	struct pp *pp = pp_open(lex_open(file, text), opt);
	struct macro *m, *old, *next;
	struct token t;

	lex_args(pp->lx, opt->args, opt->nargs);
	if (pp_next(pp, &t))
		return -1;
	if (t.kind != T_EOF) {
		diag(&t.loc, "unexpected token in library macro file '%s'", file);
		return -1;
	}
	for (m = pp->macros; m; m = m->next) {
		old = find_macro(lib_macros, m->name);
		if (old) {
			diag(&m->at, "duplicate definition of library macro '@%s'", m->name);
			diag(&old->at, "macro '@%s' first defined here", m->name);
			return -1;
		}
	}
	for (m = pp->macros; m; m = next) {
		next = m->next;
		m->lib = 1;
		m->next = lib_macros;
		lib_macros = m;
	}
	return 0;
}
