// SPDX-License-Identifier: GPL-2.0
/*
 * calls.c - calls: the builtin functions, script functions, and printf formats, which
 * are checked against their arguments and split into segments here.
 */
#include <stdlib.h>
#include <string.h>
#include "sema.h"
#include "typed.h"

/**
 * struct builtin - a function the runtime provides
 * @name:  its name
 * @ret:   result type
 * @nargs: argument count (-1: printf-like, a format then any arguments)
 * @args:  argument types
 */
struct builtin {
	const char *name;
	enum type ret;
	int nargs;
	enum type args[3];
};

#define L TY_LONG
#define S TY_STRING
#define U TY_UNKNOWN
static const struct builtin builtins[] = {
	{ "printf", U, -1, { S } }, { "sprintf", S, -1, { S } },
	{ "print", U, 1, { U } }, { "println", U, 1, { U } },
	{ "sprint", S, 1, { U } }, { "sprintln", S, 1, { U } },
	{ "exit", U, 0, { U } }, { "error", U, 1, { S } },
	{ "cpu", L, 0, { U } }, { "target", L, 0, { U } }, { "pid", L, 0, { U } },
	{ "tid", L, 0, { U } }, { "ppid", L, 0, { U } }, { "uid", L, 0, { U } },
	{ "execname", S, 0, { U } }, { "pp", S, 0, { U } }, { "probefunc", S, 0, { U } },
	{ "jiffies", L, 0, { U } }, { "gettimeofday_s", L, 0, { U } },
	{ "gettimeofday_ms", L, 0, { U } }, { "gettimeofday_us", L, 0, { U } },
	{ "gettimeofday_ns", L, 0, { U } },
	{ "int_arg", L, 1, { L } }, { "uint_arg", L, 1, { L } }, { "long_arg", L, 1, { L } },
	{ "ulong_arg", L, 1, { L } }, { "pointer_arg", L, 1, { L } },
	{ "returnval", L, 0, { U } },
	{ "$arg", L, 1, { L } }, { "$$parms", S, 0, { U } },	/* $argN, $$parms: parse-expr.c */
	{ "uaddr", L, 0, { U } }, { "umodname", S, 1, { L } }, { "usymname", S, 1, { L } },
	{ "usymdata", S, 1, { L } }, { "ubacktrace", S, 0, { U } },
	{ "usymfileline", S, 1, { L } }, { "usymfile", S, 1, { L } },
	{ "usymline", S, 1, { L } }, { "symfileline", S, 1, { L } },
	{ "symfile", S, 1, { L } }, { "symline", S, 1, { L } },
	{ "register", L, 1, { S } }, { "u_register", L, 1, { S } },
	{ "sprint_ubacktrace", S, 0, { U } }, { "print_ubacktrace", U, 0, { U } },
	{ "kernel_string", S, 1, { L } }, { "user_string", S, 1, { L } },
	{ "kernel_pointer", L, 1, { L } },
	{ "strlen", L, 1, { S } }, { "substr", S, 3, { S, L, L } },
	{ "isinstr", L, 2, { S, S } }, { "strtol", L, 2, { S, L } },
	{ "str_replace", S, 3, { S, S, S } }, { "text_str", S, 1, { S } },
	{ "text_strn", S, 3, { S, L, L } },
	{ NULL, U, 0, { U } },
};
#undef L
#undef S
#undef U

static const struct builtin *find_builtin(const char *name)
{
	int i;

	for (i = 0; builtins[i].name; i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}

/** builtin_exists - @name is a builtin function (tapset.c: no library file needed) */
int builtin_exists(const char *name)
{
	return find_builtin(name) != NULL;
}

static int fmt_add(struct fmt *f, const char *lit, size_t n)
{
	int i = f->n++;

	f->lit = realloc(f->lit, f->n * sizeof(*f->lit));
	f->conv = realloc(f->conv, f->n);
	f->flags = realloc(f->flags, f->n * sizeof(int));
	f->width = realloc(f->width, f->n * sizeof(int));
	f->prec = realloc(f->prec, f->n * sizeof(int));
	if (!f->lit || !f->conv || !f->flags || !f->width || !f->prec)
		return -1;
	f->lit[i] = strndup(lit, n);
	f->conv[i] = 0;
	f->flags[i] = 0;
	f->width[i] = -1;
	f->prec[i] = -1;
	return 0;
}

#define RT_FW_MAX	8192	/* as runtime/format.c; 4.8's vsprintf.c: STP_BUFFER_SIZE */

static int fmt_number(const char **p)
{
	int v = 0;

	for (; **p >= '0' && **p <= '9'; (*p)++)	/* every digit; the value saturates */
		if (v < 100000)
			v = v * 10 + **p - '0';
	return v;
}

/**
 * split_format - split printf format @e (a string literal) into segments
 * @e: the format
 * @f: filled in
 *
 * Return: 0, or -1 after a diagnostic.
 */
static int split_format(const struct expr *e, struct fmt *f)
{
	static const char flagch[] = "-+ #0";
	const char *p = e->str, *lit = p, *fl;
	char buf[8];
	int i;

	while (*p) {
		if (*p != '%') {
			p++;
			continue;
		}
		if (p[1] == '%') {	/* a literal '%': end the text after it */
			fmt_add(f, lit, p + 1 - lit);
			p += 2;
			lit = p;
			continue;
		}
		fmt_add(f, lit, p - lit);
		i = f->n - 1;
		/* SystemTap takes one flag; a '0' after it starts the width ("%+05d" is "%+5d") */
		if (*++p && (fl = strchr(flagch, *p)))
			f->flags[i] |= 1 << (fl - flagch), p++;
		if (*p == '*')		/* from the next argument */
			f->width[i] = RT_FW_ARG, p++;
		else if (*p >= '0' && *p <= '9')
			f->width[i] = fmt_number(&p);
		if (*p == '.' && p[1] == '*')
			f->prec[i] = RT_FW_ARG, p += 2;
		else if (*p == '.')
			p++, f->prec[i] = fmt_number(&p);
		if (*p == 'l')		/* %ld: every integer is 64-bit; 4.8 rejects %lld */
			p++;
		if (f->width[i] > RT_FW_MAX)	/* 4.8 clamps them at STP_BUFFER_SIZE */
			f->width[i] = RT_FW_MAX;
		if (f->prec[i] > RT_FW_MAX)
			f->prec[i] = RT_FW_MAX;
		if (!*p || !strchr("diuxXopsc", *p)) {
			snprintf(buf, sizeof(buf), "%.1s", p);
			diag(&e->loc, "invalid or missing conversion specifier at '%s' in the format "
			     "(one flag of - + space # 0, a width, a precision, an l, then one "
			     "of d i u x X o p s c)", *p ? buf : "end");
			return -1;
		}
		f->conv[i] = *p++;
		lit = p;
	}
	if (p > lit || !f->n)
		fmt_add(f, lit, p - lit);
	return 0;
}

/** fmt_arg - argument *@a of printf @e, of type @t (a '*' width or precision, or a value) */
static int fmt_arg(struct expr *e, int *a, enum type t)
{
	if (*a >= e->nargs) {
		diag(&e->args[0]->loc, "the format has more conversions than the %d "
		     "argument%s given", e->nargs - 1, e->nargs == 2 ? "" : "s");
		return -1;
	}
	return want(e->args[(*a)++], t);
}

/** format_sema - printf/sprintf: the format's conversions against the arguments */
static int format_sema(struct expr *e)
{
	struct fmt *f = xcalloc(1, sizeof(*f));
	int i, a = 1;

	if (e->args[0]->kind != E_STR) {
		diag(&e->args[0]->loc, "the format of '%s' must be a string literal", e->str);
		return -1;
	}
	if (split_format(e->args[0], f))
		return -1;
	for (i = 0; i < f->n; i++) {
		if (!f->conv[i])
			continue;
		if (f->width[i] == RT_FW_ARG && fmt_arg(e, &a, TY_LONG))
			return -1;
		if (f->prec[i] == RT_FW_ARG && fmt_arg(e, &a, TY_LONG))
			return -1;
		if (fmt_arg(e, &a, f->conv[i] == 's' ? TY_STRING : TY_LONG))
			return -1;
	}
	if (a < e->nargs) {
		diag(&e->args[a]->loc, "more arguments than the format has conversions");
		return -1;
	}
	e->fmt = f;
	return 0;
}

/** func_call - a call of script function @f: arguments unify with its parameters */
static int func_call(struct expr *e, struct func *f)
{
	struct sym *p;
	int i;

	e->func = f;
	if (e->nargs != f->nparams) {
		diag(&e->loc, "'%s' takes %d argument%s, %d given", f->name, f->nparams,
		     f->nparams == 1 ? "" : "s", e->nargs);
		return -1;
	}
	for (i = 0, p = f->params; i < e->nargs; i++, p = p->next) {
		enum type t;

		/* 4.8: a char array passed on is its address, unless a string is declared */
		if (e->args[i]->kind == E_TARGET && e->args[i]->tgt->chararr &&
		    p->type != TY_STRING && want(e->args[i], TY_LONG))
			return -1;
		t = expr_type(e->args[i]);
		if (t == TY_STATS) {
			diag(&e->args[i]->loc, "a statistic cannot be passed to a function");
			return -1;
		}
		if (t != TY_UNKNOWN ? unify_sym(p, t, &e->args[i]->loc) : want(e->args[i], p->type))
			return -1;
	}
	return 0;
}

/** arity_error - no function named as @e's call (@named the first) takes its arguments */
static int arity_error(const struct script *s, const struct expr *e, struct func *named)
{
	char list[200] = "";
	const struct func *f, *g;
	size_t n = 0;
	int k = 0;

	for (f = s->funcs; f; f = f->next) {
		for (g = s->funcs; g != f && (strcmp(g->name, f->name) || g->nparams != f->nparams);
		     g = g->next)
			;
		if (g != f || strcmp(f->name, e->str) || n >= sizeof(list) - 16)
			continue;
		n += snprintf(list + n, sizeof(list) - n, "%s%d", k++ ? ", " : "", f->nparams);
	}
	if (k == 1)
		return func_call((struct expr *)e, named);	/* 'f' takes N arguments, M given */
	diag(&e->loc, "no function '%s' takes %d argument%s (it has overloads of %s)", e->str,
	     e->nargs, e->nargs == 1 ? "" : "s", list);
	return -1;
}

/**
 * overload_call - a call of @f, the first function of its name and arity, and of the
 * later ones of that arity that 'next' may run: the arguments unify with the
 * parameters of each, and they all return one type (4.8 unifies them alike)
 */
static int overload_call(struct expr *e, struct func *f)
{
	struct func *g;

	for (g = f; g; g = g->alt) {
		if (func_call(e, g))
			return -1;
		if (g != f && f->ret.type != TY_UNKNOWN && unify_sym(&g->ret, f->ret.type, &e->loc))
			return -1;
		if (g != f && g->ret.type != TY_UNKNOWN && unify_sym(&f->ret, g->ret.type, &e->loc))
			return -1;
	}
	e->func = f;
	return 0;
}

/* print_values - the printed values of @e from argument @from on: no statistic (its
 * @count and the like are longs, and a histogram prints alone) */
static int print_values(struct expr *e, int from)
{
	int i;

	e->type = TY_UNKNOWN;
	for (i = from; i < e->nargs; i++) {
		if (expr_type(e->args[i]) == TY_STATS) {
			diag(&e->args[i]->loc, "a statistic cannot be printed with other values");
			return -1;
		}
		if (want(e->args[i], TY_UNKNOWN))
			return -1;
	}
	return 0;
}

/**
 * print_sema - print or println of several values, or println(): 4.8 prints them one
 * after the other with no separator (a histogram only alone; print needs a value)
 */
static int print_sema(struct expr *e)
{
	if (!e->nargs && !strcmp(e->str, "print")) {
		diag(&e->loc, "'print' takes at least 1 argument, 0 given");
		return -1;
	}
	return print_values(e, 0);
}

/**
 * printd_sema - printd(delim, a, b, ...) and printdln: the values with the literal
 * string delim between them (and a newline); 4.8's parser wants the literal and two
 * values at least
 */
static int printd_sema(struct expr *e)
{
	if (e->nargs < 1 || e->args[0]->kind != E_STR) {
		diag(e->nargs ? &e->args[0]->loc : &e->loc, "'%s' takes a literal string "
		     "delimiter first", e->str);
		return -1;
	}
	if (e->nargs < 3) {
		diag(&e->loc, "'%s' takes a delimiter and at least 2 values, %d given", e->str,
		     e->nargs - 1);
		return -1;
	}
	return print_values(e, 1);
}

/** string_family - kernel_string, user_string, or 4.8's kernel_string2, user_string2 */
static int string_family(const char *name)
{
	return !strcmp(name, "kernel_string") || !strcmp(name, "user_string") ||
		!strcmp(name, "kernel_string2") || !strcmp(name, "user_string2");
}

/** char_array - @e's first argument is a target char array: already a string (typed.c) */
static int char_array(const struct expr *e)
{
	return e->args[0]->kind == E_TARGET && expr_type(e->args[0]) == TY_STRING;
}

/**
 * string_sema - kernel_string(addr, err) and user_string(addr, err), and kernel_string2
 * and user_string2 (4.8's older names): @err when @addr cannot be read.  The address may
 * be a target char array, which relaytap reads as a string already (4.8: its address),
 * so 4.8's kernel_string($task->comm) gives the same string: @e->op is then "chararray".
 */
static int string_sema(struct expr *e)
{
	e->type = TY_STRING;
	if (char_array(e))
		e->op = "chararray";
	else if (want(e->args[0], TY_LONG))
		return -1;
	return e->nargs == 2 ? want(e->args[1], TY_STRING) : 0;
}

/**
 * call_sema - check a call
 * @s:      the script
 * @locals: the caller's locals
 * @e:      the E_CALL
 * @sub:    checks a sub-expression in the caller's scope
 * @scope:  for @sub
 *
 * Return: 0, or -1 after a diagnostic.
 */
int call_sema(struct script *s, struct sym **locals, struct expr *e,
	      int (*sub)(void *scope, struct expr *e), void *scope)
{
	const struct builtin *b = find_builtin(e->str);
	struct func *f, *named = NULL;
	int i;

	for (i = 0; i < e->nargs; i++)
		if (sub(scope, e->args[i]))
			return -1;
	for (f = s->funcs; f; f = f->next) {
		if (strcmp(f->name, e->str))
			continue;
		if (f->nparams == e->nargs)
			return overload_call(e, f);
		if (!named)
			named = f;
	}
	if (named)
		return arity_error(s, e, named);
	if ((!strcmp(e->str, "print") || !strcmp(e->str, "println")) && e->nargs != 1)
		return print_sema(e);
	if (!strcmp(e->str, "printd") || !strcmp(e->str, "printdln"))
		return printd_sema(e);
	if (string_family(e->str) && (e->nargs == 2 || (e->nargs == 1 && char_array(e))))
		return string_sema(e);
	if (!b && tapset_np_reason(NULL, 'f', e->str)) {
		diag(&e->loc, "function '%s' is not provided by relaytap's tapset library (%s)",
		     e->str, tapset_np_reason(NULL, 'f', e->str));
		return -1;
	}
	if (!b) {
		diag(&e->loc, "unknown function '%s'", e->str);
		return -1;
	}
	if ((b->nargs >= 0 && e->nargs != b->nargs) || (b->nargs < 0 && e->nargs < 1)) {
		diag(&e->loc, "'%s' takes %s%d argument%s, %d given", e->str,
		     b->nargs < 0 ? "at least " : "", b->nargs < 0 ? 1 : b->nargs,
		     b->nargs == 1 || b->nargs < 0 ? "" : "s", e->nargs);
		return -1;
	}
	e->type = b->ret;
	uprobe_note_call(e->str);	/* a user symbol function needs the files' symbols */
	if (b->nargs < 0)
		return format_sema(e);
	for (i = 0; i < e->nargs; i++) {
		if (e->args[i]->kind == E_AGG && !strncmp(e->args[i]->op, "hist", 4) &&
		    !strncmp(e->str, "print", 5))
			continue;	/* print(@hist_log(s)) */
		if (expr_type(e->args[i]) == TY_STATS) {
			diag(&e->args[i]->loc, "a statistic cannot be an argument");
			return -1;
		}
		if (want(e->args[i], b->args[i]))
			return -1;
	}
	return 0;
}
