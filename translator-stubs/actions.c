// SPDX-License-Identifier: GPL-2.0
/*
 * actions.c - what counts against MAXACTION, as SystemTap 4.8's translator counts it.
 *
 * The rules are translate.cxx's (c_unparser::record_actions and the visit_* functions),
 * checked against the C that Debian's stap 4.8 writes with -p3:
 *  - A body (probe or function) with no loop, itself or in a script function it calls,
 *    counts nothing as it runs: it only checks on entry that at least N actions remain,
 *    N being its statements on the longest path (an if is 1 plus its longer branch; a
 *    probe adds the N of each script function and builtin it calls directly), plus one
 *    for each stable builtin it calls.
 *  - A body with a loop counts at run time (emit.c): each statement adds one to a count
 *    kept by the translator, and the count is subtracted and checked ("<= 0") at the end
 *    of each block that SystemTap closes (if branches, loop bodies, the body), before an
 *    if, a loop or a jump, after a call, and whenever it reaches 10.
 *  - A call charges the callee's N after it returns when the callee has no loop; a callee
 *    with a loop counts for itself.  SystemTap's builtins are tapset functions: most are
 *    embedded C (N = 0), a few are script functions (N below); "stable" ones are called
 *    once at the start of the body.
 */
#include <string.h>
#include "emit.h"

/**
 * struct charge - a builtin as a 4.8 tapset function
 * @name:   its name
 * @n:      actions it charges its caller (its N); -1: a language construct, no call
 * @stable: called once, at the start of the body (tapset "stable" functions)
 */
struct charge {
	const char *name;
	int n;
	int stable;
};

/* measured from stap -p3 output: the subtraction after each call, less the pending count */
static const struct charge charges[] = {
	{ "printf", -1, 0 }, { "sprintf", -1, 0 }, { "print", -1, 0 }, { "println", -1, 0 },
	{ "printd", -1, 0 }, { "printdln", -1, 0 },
	{ "sprint", -1, 0 }, { "sprintln", -1, 0 },
	{ "cpu", 0, 1 }, { "ppid", 0, 1 }, { "uid", 0, 1 }, { "execname", 0, 1 },
	{ "pp", 0, 1 },
	{ "target", 1, 0 }, { "pid", 1, 0 }, { "tid", 1, 0 }, { "probefunc", 8, 0 },
	{ "gettimeofday_s", 1, 0 }, { "gettimeofday_ms", 1, 0 }, { "gettimeofday_us", 1, 0 },
	{ "int_arg", 1, 0 }, { "uint_arg", 1, 0 }, { "long_arg", 1, 0 },
	{ "ulong_arg", 2, 0 }, { "pointer_arg", 1, 0 }, { "user_string", 1, 0 },
	{ NULL, 0, 0 },
};

/**
 * builtin_charge - what calling builtin @name charges (see struct charge)
 * @name:   the builtin
 * @stable: set to whether it is a stable function
 *
 * Return: its N; 0 for the other builtins (embedded C); -1 for printf and print.
 */
int builtin_charge(const char *name, int *stable)
{
	int i;

	*stable = 0;
	for (i = 0; charges[i].name; i++) {
		if (!strcmp(charges[i].name, name)) {
			*stable = charges[i].stable;
			return charges[i].n;
		}
	}
	return 0;
}

static int expr_loops(const struct expr *e)
{
	int i;

	if (!e)
		return 0;
	if (e->kind == E_CALL && e->func && func_loops(e->func))
		return 1;
	for (i = 0; i < e->nargs; i++)
		if (expr_loops(e->args[i]))
			return 1;
	return expr_loops(e->a) || expr_loops(e->b) || expr_loops(e->c);
}

/** stmt_loops - whether @s has a loop, or calls a script function that has one */
int stmt_loops(const struct stmt *s)
{
	int i;

	if (!s)
		return 0;
	switch (s->kind) {
	case S_WHILE: case S_FOR: case S_FOREACH:
		return 1;
	case S_BLOCK:
		for (i = 0; i < s->n; i++)
			if (stmt_loops(s->list[i]))
				return 1;
		return 0;
	default:
		return expr_loops(s->e) || stmt_loops(s->body) || stmt_loops(s->other);
	}
}

/**
 * func_loops - whether function @f loops, itself or through a callee (cached)
 *
 * A recursive call found while @f is being examined adds nothing: the recursion is
 * bounded by MAXNESTING, and 4.8 checks such a function on entry only.
 */
int func_loops(struct func *f)
{
	if (f->loops >= 0)
		return f->loops;
	f->loops = 0;
	f->loops = stmt_loops(f->body);
	return f->loops;
}

/** expr_charges - the N of the script functions and builtins @e calls directly */
static int expr_charges(const struct expr *e)
{
	int i, n = 0, stable, k;

	if (!e)
		return 0;
	if (e->kind == E_CALL) {
		k = e->func ? func_actions(e->func) : builtin_charge(e->str, &stable);
		n += k > 0 ? k : 0;
	}
	for (i = 0; i < e->nargs; i++)
		n += expr_charges(e->args[i]);
	return n + expr_charges(e->a) + expr_charges(e->b) + expr_charges(e->c);
}

/**
 * stmt_actions - the actions @s may take on its longest path, when it has no loop
 * @s:     the statement
 * @calls: add what its calls charge (a probe body does, a function body does not)
 * @stop:  set when @s always leaves the block (next, return, break, continue)
 */
static int stmt_actions(const struct stmt *s, int calls, int *stop)
{
	int i, n = 0, t, o, dummy = 0;

	if (!s)
		return 0;
	switch (s->kind) {
	case S_BLOCK:
		for (i = 0; i < s->n && !*stop; i++)
			n += stmt_actions(s->list[i], calls, stop);
		return n;
	case S_EMPTY:
		return 0;
	case S_IF:
		t = stmt_actions(s->body, calls, &dummy);
		dummy = 0;
		o = stmt_actions(s->other, calls, &dummy);
		return 1 + (calls ? expr_charges(s->e) : 0) + (t > o ? t : o);
	case S_TRY:
		t = stmt_actions(s->body, calls, &dummy);
		dummy = 0;
		return t + stmt_actions(s->other, calls, &dummy);
	case S_NEXT: case S_BREAK: case S_CONTINUE: case S_RETURN:
		*stop = 1;
		return 1 + (calls ? expr_charges(s->e) : 0);
	default:
		return 1 + (calls ? expr_charges(s->e) : 0);
	}
}

/** stable_count - the stable builtins @body calls: each is one more statement */
static int stable_count(const struct stmt *body)
{
	const struct expr *seen[16];

	return stable_calls(body, seen, 0, 16);
}

/** func_actions - a function's N: what it checks on entry when it has no loop; 0 if it loops */
int func_actions(struct func *f)
{
	int stop = 0;

	if (func_loops(f))
		return 0;
	if (!f->actions)
		f->actions = stmt_actions(f->body, 0, &stop) + stable_count(f->body);
	return f->actions;
}

/** body_actions - a probe body's N, when it has no loop */
int body_actions(const struct stmt *body)
{
	int stop = 0;

	return stmt_actions(body, 1, &stop) + stable_count(body);
}

static int stable_expr(const struct expr *e, const struct expr **seen, int n, int max)
{
	int i, stable;

	if (!e)
		return n;
	for (i = 0; i < e->nargs; i++)
		n = stable_expr(e->args[i], seen, n, max);
	n = stable_expr(e->a, seen, n, max);
	n = stable_expr(e->b, seen, n, max);
	n = stable_expr(e->c, seen, n, max);
	if (e->kind != E_CALL || e->func || (builtin_charge(e->str, &stable), !stable))
		return n;
	for (i = 0; i < n; i++)
		if (!strcmp(seen[i]->str, e->str))
			return n;
	if (n < max)
		seen[n++] = e;
	return n;
}

/**
 * stable_calls - the stable builtins @s calls, each once, in the order of the text
 * @s:    a body
 * @seen: filled with the first call of each
 * @n:    how many are already in @seen
 * @max:  its size
 *
 * 4.8 calls each once at the start of the body, as one statement each.  Return: the
 * new count.
 */
int stable_calls(const struct stmt *s, const struct expr **seen, int n, int max)
{
	int i;

	if (!s)
		return n;
	if (s->kind == S_BLOCK) {
		for (i = 0; i < s->n; i++)
			n = stable_calls(s->list[i], seen, n, max);
		return n;
	}
	n = stable_expr(s->init, seen, n, max);
	n = stable_expr(s->e, seen, n, max);
	n = stable_expr(s->step, seen, n, max);
	n = stable_calls(s->body, seen, n, max);
	return stable_calls(s->other, seen, n, max);
}
