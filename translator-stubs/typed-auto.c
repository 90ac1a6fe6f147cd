// SPDX-License-Identifier: GPL-2.0
/*
 * typed-auto.c - autocast: a script variable assigned a typed pointer keeps its type, so
 * that x->member reads through it (sk = $sock->sk; sk->sk_state).
 *
 * SystemTap 4.8's rules (stap(1) TYPECASTING; elaborate.cxx's autocast type propagation),
 * each checked against 4.8 on a kernel with debuginfo:
 * - '=' gives a variable, local or global, the type of its right side: a target
 *   expression ($p, $p->m, &$p->m, @cast(...)->m), another typed variable, a script
 *   function's value (the type of what it returns), or c ? a : b when a and b agree;
 * - a value without a type (5, x + 8, a string) changes nothing;
 * - two different types make the variable untyped: x->m is then an error;
 * - a function's parameters get no type from its callers (use @cast there);
 * - a typed integer has no members: '->' on it is an error.
 *
 * A type ("tid") is an int: 0 none, -1 two different ones, else (BTF id << 1) | mem, mem
 * set when the value is the address of an object of that type (&$p->m, a struct, an
 * array) rather than a value of it (a pointer).  Types are found in sema's rounds, so a
 * use may come before the assignment; autocasts whose operand has no type yet wait for a
 * last round (typed_autocast_round()), which reports them.
 */
#include <string.h>
#include <bpf/btf.h>
#include "sema.h"
#include "typed.h"
#include "typed-int.h"

static int autocasts;		/* autocast expressions met in sema */
static int last_round;		/* sema's last round: an untyped operand is an error */

/**
 * typed_merge - give a variable's type @tid one more assigned type @d
 * Return: 1 when *@tid changed (sema goes another round), else 0.
 */
int typed_merge(int *tid, int d)
{
	if (!d || *tid == d || *tid == -1)
		return 0;
	*tid = *tid ? -1 : d;
	return 1;
}

/** var_sym - the symbol E_VAR @e names: in sema its own; when emitting, @names' local */
static const struct sym *var_sym(const struct out *names, const struct expr *e)
{
	const struct sym *v = e->sym;

	if (!names || !v || v->global)
		return v;
	v = names->fn ? names->fn->params : names->probe ? names->probe->locals : NULL;
	while (v && strcmp(v->name, e->str))
		v = v->next;
	return v;
}

/** target_details - the type of target expression @e's value in probe @p, or 0 */
static int target_details(const struct probe *p, const struct out *names,
			  const struct expr *e)
{
	const struct btf_type *t;
	struct twalk w;

	if (e->tgt->pretty || e->tgt->base >= TG_PARMS)
		return 0;
	if (!is_cast(e->tgt) && p->kind != P_TRACE &&
	    (p->kind != P_KPROBE || strncmp(p->point, "kernel.", 7)))
		return 0;	/* not typed from the kernel's BTF (kprobe.function's $return) */
	if (typed_walk_init(&w, typed_opt, p, e, 1))
		return 0;
	w.names = names;
	if (tgt_walk(&w, e) || w.ty != TY_LONG || w.chararr || w.bf.bits)
		return 0;
	if (e->tgt->addr)
		return w.type << 1 | 1;
	t = btf__type_by_id(w.b, kbtf_strip(w.b, w.type));
	return w.type << 1 | (btf_is_composite(t) || btf_is_array(t));
}

/** details - the type of @e's value in probe @p (see the top of this file), or 0 */
static int details(const struct probe *p, const struct out *names, const struct expr *e)
{
	const struct sym *v;
	int a, b;

	if (!e)
		return 0;
	switch (e->kind) {
	case E_VAR:
		v = var_sym(names, e);
		return v ? v->tid : 0;
	case E_CALL:
		return e->func ? e->func->ret.tid : 0;
	case E_ASSIGN:
		return strcmp(e->op, "=") ? 0 : details(p, names, e->b);
	case E_TERNARY:
		a = details(p, names, e->b);
		b = details(p, names, e->c);
		return !a ? b : !b || a == b ? a : 0;
	case E_TARGET:
		return target_details(p, names, e);
	default:
		return 0;
	}
}

/**
 * typed_details - the type sema gives variable x for x = @e in probe @p (NULL in a
 * function); 0 when @e has none, -1 when its variable has two
 * @opt: the command line (the BTF)
 */
int typed_details(const struct options *opt, struct probe *p, const struct expr *e)
{
	if (!e || (e->kind != E_VAR && e->kind != E_CALL && e->kind != E_ASSIGN &&
		   e->kind != E_TERNARY && e->kind != E_TARGET))
		return 0;
	typed_opt = opt;
	return details(p ? p : &typed_in_function, NULL, e);
}

/** operand - how an error names an autocast's operand @a ("'x'", "'f()'") */
static const char *operand(const struct expr *a, char *buf, size_t size)
{
	if (a->kind == E_VAR)
		snprintf(buf, size, "'%s'", a->str);
	else if (a->kind == E_CALL)
		snprintf(buf, size, "'%s()'", a->str);
	else
		snprintf(buf, size, "the value");
	return buf;
}

/**
 * tbase_auto - the base of autocast @e (x->m): the value of x, typed as what was
 * assigned to it; the '->' steps that follow go through it like a pointer parameter's
 * Return: 0, or -1 after a diagnostic (unless quiet).
 */
int tbase_auto(struct twalk *w, const struct expr *e)
{
	int d = details(w->p, w->o ? w->o : w->names, e->a);
	char name[80];

	if (d <= 0) {
		operand(e->a, name, sizeof(name));
		if (d)
			twarn(w, &e->tgt->comps[0].loc, "'->%s': %s was assigned values of "
			      "different types, so its type is unknown (use @cast)",
			      e->tgt->comps[0].name ? e->tgt->comps[0].name : "", name);
		else
			twarn(w, &e->tgt->comps[0].loc, "'->%s': the type of %s is unknown (it "
			      "was not assigned a typed pointer; use @cast)",
			      e->tgt->comps[0].name ? e->tgt->comps[0].name : "", name);
		return -1;
	}
	w->type = d >> 1;
	w->mem = d & 1;
	tput(w, "(uint64_t)(");
	if (w->o)
		emit_expr(w->o, e->a);
	tput(w, ")");
	return 0;
}

/**
 * auto_deferred - sema of autocast @e in probe @p before the last round: when its operand
 * has no type yet, @e's type stays unknown and the last round checks it
 * Return: 1 when deferred, else 0 (check it now).
 */
int auto_deferred(const struct probe *p, struct expr *e)
{
	autocasts++;
	if (last_round || details(p, NULL, e->a) > 0)
		return 0;
	e->type = TY_UNKNOWN;
	return 1;
}

/**
 * typed_autocast_round - after sema's rounds: whether the script has autocasts, which
 * need one more round that reports what is still untyped; that round is the last
 */
int typed_autocast_round(void)
{
	last_round = 1;
	return autocasts > 0;
}
