// SPDX-License-Identifier: GPL-2.0
/*
 * sema.c - probe points, symbols and type inference.
 *
 * Types are inferred to a fixed point, as SystemTap does: a variable takes the type of
 * what is assigned to it or of how it is used; a conflict is an error naming both places.
 */
#include <string.h>
#include "ast.h"

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
	enum type args[2];
};

static const struct builtin builtins[] = {
	{ "printf", TY_UNKNOWN, -1, { TY_STRING } },
	{ "print", TY_UNKNOWN, 1, { TY_UNKNOWN } },
	{ "println", TY_UNKNOWN, 1, { TY_UNKNOWN } },
	{ "exit", TY_UNKNOWN, 0, { TY_UNKNOWN } },
	{ "error", TY_UNKNOWN, 1, { TY_STRING } },
	{ "cpu", TY_LONG, 0, { TY_UNKNOWN } },
	{ "target", TY_LONG, 0, { TY_UNKNOWN } },
	{ "pid", TY_LONG, 0, { TY_UNKNOWN } },
	{ "tid", TY_LONG, 0, { TY_UNKNOWN } },
	{ "execname", TY_STRING, 0, { TY_UNKNOWN } },
	{ "strlen", TY_LONG, 1, { TY_STRING } },
	{ NULL, TY_UNKNOWN, 0, { TY_UNKNOWN } },
};

static int changed;

static const char *type_name(enum type t)
{
	return t == TY_LONG ? "long" : t == TY_STRING ? "string" : "unknown";
}

static const struct builtin *find_builtin(const char *name)
{
	int i;

	for (i = 0; builtins[i].name; i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}

/** unify - give @e's symbol (or check) type @t; 0 or -1 after a diagnostic */
static int unify_sym(struct sym *s, enum type t, const struct loc *at)
{
	if (t == TY_UNKNOWN || s->type == t)
		return 0;
	if (s->type == TY_UNKNOWN) {
		s->type = t;
		s->type_loc = *at;
		changed = 1;
		return 0;
	}
	diag(at, "type mismatch: '%s' is used as %s here", s->name, type_name(t));
	fprintf(stderr, "%s:%d:%d: note: '%s' was inferred as %s here\n", s->type_loc.file,
		s->type_loc.line, s->type_loc.col, s->name, type_name(s->type));
	return -1;
}

/** want - expression @e must have type @t (when known) */
static int want(struct expr *e, enum type t)
{
	if (t == TY_UNKNOWN)
		return 0;
	if (e->kind == E_VAR)
		return unify_sym(e->sym, t, &e->loc);
	if (e->type != TY_UNKNOWN && e->type != t) {
		diag(&e->loc, "expected a %s, but this is a %s", type_name(t), type_name(e->type));
		return -1;
	}
	return 0;
}

static struct sym *lookup(struct script *s, struct probe *p, struct expr *e)
{
	struct sym *v, **tail;

	for (v = s->globals; v; v = v->next)
		if (!strcmp(v->name, e->str))
			return v;
	for (v = p->locals; v; v = v->next)
		if (!strcmp(v->name, e->str))
			return v;
	v = xcalloc(1, sizeof(*v));
	v->name = e->str;
	v->loc = e->loc;
	for (tail = &p->locals; *tail; tail = &(*tail)->next)
		;
	*tail = v;
	return v;
}

static int expr_sema(struct script *s, struct probe *p, struct expr *e);

static int call_sema(struct script *s, struct probe *p, struct expr *e)
{
	const struct builtin *b = find_builtin(e->str);
	int i;

	if (!b) {
		diag(&e->loc, "unknown function '%s'", e->str);
		return -1;
	}
	if ((b->nargs >= 0 && e->nargs != b->nargs) || (b->nargs < 0 && e->nargs < 1)) {
		diag(&e->loc, "'%s' takes %d argument%s, %d given", e->str,
		     b->nargs < 0 ? 1 : b->nargs, b->nargs == 1 ? "" : "s", e->nargs);
		return -1;
	}
	for (i = 0; i < e->nargs; i++) {
		if (expr_sema(s, p, e->args[i]))
			return -1;
		if (i < 2 && (b->nargs > i || (b->nargs < 0 && !i)) && want(e->args[i], b->args[i]))
			return -1;
	}
	if (b->nargs < 0 && e->args[0]->kind != E_STR) {
		diag(&e->args[0]->loc, "the format of '%s' must be a string literal", e->str);
		return -1;
	}
	e->type = b->ret;
	return 0;
}

static enum type expr_type(const struct expr *e)
{
	return e->kind == E_VAR ? e->sym->type : e->type;
}

static int binary_sema(struct expr *e)
{
	enum type ta = expr_type(e->a), tb = expr_type(e->b);
	const char *op = e->op;

	if (!strcmp(op, ".")) {
		e->type = TY_STRING;
		return want(e->a, TY_STRING) || want(e->b, TY_STRING);
	}
	e->type = TY_LONG;
	if (!strcmp(op, "==") || !strcmp(op, "!=") || !strcmp(op, "<") || !strcmp(op, ">") ||
	    !strcmp(op, "<=") || !strcmp(op, ">=")) {
		if (ta != TY_UNKNOWN)
			return want(e->b, ta);
		return want(e->a, tb);
	}
	return want(e->a, TY_LONG) || want(e->b, TY_LONG);
}

static int expr_sema(struct script *s, struct probe *p, struct expr *e)
{
	if (!e)
		return 0;
	switch (e->kind) {
	case E_NUM: e->type = TY_LONG; return 0;
	case E_STR: e->type = TY_STRING; return 0;
	case E_VAR: e->sym = lookup(s, p, e); return 0;
	case E_CALL: return call_sema(s, p, e);
	default: break;
	}
	if (expr_sema(s, p, e->a) || expr_sema(s, p, e->b) || expr_sema(s, p, e->c))
		return -1;
	switch (e->kind) {
	case E_BINARY:
		return binary_sema(e);
	case E_UNARY:
	case E_INCDEC:
		e->type = TY_LONG;
		return want(e->a, TY_LONG);
	case E_TERNARY:
		e->type = expr_type(e->b) != TY_UNKNOWN ? expr_type(e->b) : expr_type(e->c);
		return want(e->a, TY_LONG) || want(e->b, e->type) || want(e->c, e->type);
	case E_ASSIGN:
		if (!strcmp(e->op, "="))
			e->type = expr_type(e->b) != TY_UNKNOWN ? expr_type(e->b) : expr_type(e->a);
		else
			e->type = !strcmp(e->op, ".=") ? TY_STRING : TY_LONG;
		return want(e->a, e->type) || want(e->b, e->type);
	default:
		return 0;
	}
}

static int stmt_sema(struct script *s, struct probe *p, struct stmt *st)
{
	int i;

	if (!st)
		return 0;
	if (expr_sema(s, p, st->e) || expr_sema(s, p, st->init) || expr_sema(s, p, st->step))
		return -1;
	if ((st->kind == S_IF || st->kind == S_WHILE || st->kind == S_FOR) && st->e &&
	    want(st->e, TY_LONG))
		return -1;
	for (i = 0; i < st->n; i++)
		if (stmt_sema(s, p, st->list[i]))
			return -1;
	return stmt_sema(s, p, st->body) || stmt_sema(s, p, st->other);
}

/** timer_point - timer.ms(N) and friends: the period in ns, or 0 when not a timer */
static uint64_t timer_point(const struct probe *p)
{
	static const struct { const char *unit; uint64_t ns; } units[] = {
		{ "ms", 1000000 }, { "us", 1000 }, { "s", 1000000000 }, { "sec", 1000000000 },
		{ "ns", 1 }, { "jiffies", 4000000 }, { "hz", 0 },
	};
	char unit[16];
	unsigned long long n;
	char end;
	unsigned int i;

	if (sscanf(p->point, "timer.%15[a-z](%llu)%c", unit, &n, &end) != 2)
		return 0;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(units[i].unit, unit))
			continue;
		if (!units[i].ns)
			return n ? 1000000000ULL / n : 0;
		return n * units[i].ns;
	}
	return 0;
}

static int point_sema(struct probe *p)
{
	if (!strncmp(p->point, "timer.", 6) && strcmp(p->point, "timer.profile")) {
		p->period_ns = timer_point(p);
		if (p->period_ns < 100000) {
			diag(&p->loc, "probe point '%s' needs a period of at least 100us", p->point);
			return -1;
		}
		p->kind = P_TIMER;
		return 0;
	}
	if (!strcmp(p->point, "timer.profile"))
		p->kind = P_PROFILE;
	else if (!strcmp(p->point, "begin"))
		p->kind = P_BEGIN;
	else if (!strcmp(p->point, "end"))
		p->kind = P_END;
	else if (!strcmp(p->point, "error"))
		p->kind = P_ERROR;
	else {
		diag(&p->loc, "probe point '%s' is not supported", p->point);
		return -1;
	}
	return 0;
}

static int check_resolved(struct sym *v)
{
	int bad = 0;

	for (; v; v = v->next)
		if (v->type == TY_UNKNOWN) {
			diag(&v->loc, "unresolved type for %s '%s'", v->global ? "global" : "local",
			     v->name);
			bad = -1;
		}
	return bad;
}

/**
 * sema_script - resolve probe points and infer every type
 * @s: the script
 *
 * Return: 0, or -1 after a diagnostic.
 */
int sema_script(struct script *s)
{
	struct probe *p;
	int rounds = 0, bad;

	for (p = s->probes; p; p = p->next)
		if (point_sema(p))
			return -1;
	do {
		changed = 0;
		for (p = s->probes; p; p = p->next)
			if (stmt_sema(s, p, p->body))
				return -1;
	} while (changed && ++rounds < 100);
	bad = check_resolved(s->globals);
	for (p = s->probes; p; p = p->next)
		bad |= check_resolved(p->locals);
	return bad;
}
