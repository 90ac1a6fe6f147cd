// SPDX-License-Identifier: GPL-2.0
/*
 * sema.c - symbols and type inference.
 *
 * Types are inferred to a fixed point, as SystemTap does: a variable takes the type of
 * what is assigned to it or of how it is used, an array the arity and key types of its
 * uses, a function its parameter and return types from its calls and returns.  A
 * conflict is an error naming both places.  Probe points are resolved in probes.c.
 */
#include <string.h>
#include "ast.h"
#include "sema.h"
#include "typed.h"

static int changed;

/**
 * struct scope - where names resolve
 * @s:  the script (globals, functions)
 * @locals: the probe's or function's locals
 * @fn: the function being checked, or NULL in a probe
 * @loop: loops around the current statement
 * @foreach: arrays iterated around the current statement
 * @nforeach: how many
 * @probe: the probe being checked, or NULL in a function (target expressions)
 * @opt: the command line (the target's BTF)
 * @slice_ok: the array reference being checked may have '*' keys
 */
struct scope {
	struct script *s;
	struct probe *probe;
	const struct options *opt;
	struct sym **locals;
	struct func *fn;
	int loop;
	struct sym *foreach[16];
	int nforeach;
	int slice_ok;
};

const char *type_name(enum type t)
{
	static const char *const names[] = { "unknown", "long", "string", "stats" };

	return names[t];
}

static void note(const struct loc *at, const char *fmt, const char *name, const char *what)
{
	fprintf(stderr, "%s:%d:%d: note: ", at->file, at->line, at->col);
	fprintf(stderr, fmt, name, what);
	fputc('\n', stderr);
}

/** unify_sym - give symbol @v type @t (or check it); 0, or -1 after a diagnostic */
int unify_sym(struct sym *v, enum type t, const struct loc *at)
{
	if (t == TY_UNKNOWN || v->type == t)
		return 0;
	if (v->type == TY_UNKNOWN) {
		v->type = t;
		v->type_loc = *at;
		changed = 1;
		return 0;
	}
	diag(at, "type mismatch: '%s' is used as %s here", v->name, type_name(t));
	note(&v->type_loc, "'%s' was inferred as %s here", v->name, type_name(v->type));
	return -1;
}

enum type expr_type(const struct expr *e)
{
	if (e->kind == E_VAR || e->kind == E_INDEX)
		return e->sym ? e->sym->type : TY_UNKNOWN;
	if (e->kind == E_CALL && e->func)
		return e->func->ret.type;
	return e->type;
}

/** want - expression @e must have type @t (when known) */
int want(struct expr *e, enum type t)
{
	if (t == TY_UNKNOWN)
		return 0;
	if ((e->kind == E_VAR || e->kind == E_INDEX) && e->sym)
		return unify_sym(e->sym, t, &e->loc);
	if (e->kind == E_CALL && e->func)
		return unify_sym(&e->func->ret, t, &e->loc);
	if (e->kind == E_TARGET && e->tgt->chararr && t == TY_LONG) {
		e->tgt->addr = 1;	/* 4.8: a char array is its address: kernel_string($p->comm) */
		e->tgt->chararr = 0;
		e->type = TY_LONG;
		return 0;
	}
	if (e->type != TY_UNKNOWN && e->type != t) {
		diag(&e->loc, "expected a %s, but this is a %s", type_name(t), type_name(e->type));
		return -1;
	}
	return 0;
}

/** arity - array (or scalar, @n == 0) @v is used with @n keys at @at */
static int arity(struct sym *v, int n, const struct loc *at)
{
	char what[32];

	if (v->nkeys == n)
		return 0;
	if (v->nkeys < 0) {
		v->nkeys = n;
		v->keys_loc = *at;
		return 0;
	}
	diag(at, "'%s' is used with %d key%s here", v->name, n, n == 1 ? "" : "s");
	snprintf(what, sizeof(what), "%d", v->nkeys);
	note(&v->keys_loc, "'%s' was used with %s keys here", v->name, what);
	return -1;
}

static struct sym *find_sym(struct sym *list, const char *name)
{
	for (; list; list = list->next)
		if (!strcmp(list->name, name))
			return list;
	return NULL;
}

/** lookup - the symbol @e names: a local, a global, or a new local */
static struct sym *lookup(struct scope *sc, struct expr *e)
{
	struct sym *v = find_sym(*sc->locals, e->str), **tail;

	if (v)
		return v;
	v = find_sym(sc->s->globals, e->str);
	if (v)
		return v;
	v = xcalloc(1, sizeof(*v));
	v->name = e->str;
	v->loc = e->loc;
	for (tail = sc->locals; *tail; tail = &(*tail)->next)
		;
	*tail = v;
	return v;
}

static int expr_sema(struct scope *sc, struct expr *e);

/** array_ref - resolve E_INDEX/E_IN @e: a global array with keys of matching types */
static int array_ref(struct scope *sc, struct expr *e)
{
	struct sym *v = find_sym(*sc->locals, e->str);
	int i;

	if (v || !(v = find_sym(sc->s->globals, e->str))) {
		diag(&e->loc, "'%s' is not a global array (arrays must be declared global)",
		     e->str);
		return -1;
	}
	e->sym = v;
	if (arity(v, e->nargs, &e->loc))
		return -1;
	for (i = 0; i < e->nargs; i++) {
		enum type t;

		if (is_star(e->args[i])) {
			if (sc->slice_ok)
				continue;
			diag(&e->args[i]->loc, "'*' keys (a slice) are for foreach, delete and in");
			return -1;
		}
		if (expr_sema(sc, e->args[i]))
			return -1;
		t = expr_type(e->args[i]);
		if (t == TY_STATS) {
			diag(&e->args[i]->loc, "an array key cannot be a statistic");
			return -1;
		}
		if (v->ktype[i] == TY_UNKNOWN && t != TY_UNKNOWN) {
			v->ktype[i] = t;
			v->ktype_loc[i] = e->args[i]->loc;
			changed = 1;
		} else if (v->ktype[i] != TY_UNKNOWN && want(e->args[i], v->ktype[i])) {
			fprintf(stderr, "%s:%d:%d: note: key %d of '%s' was inferred as %s here\n",
				v->ktype_loc[i].file, v->ktype_loc[i].line, v->ktype_loc[i].col, i + 1,
				v->name, type_name(v->ktype[i]));
			return -1;
		}
	}
	return 0;
}

/** slice_ref - array_ref() of a reference that may have '*' keys */
static int slice_ref(struct scope *sc, struct expr *e)
{
	int ret;

	sc->slice_ok = 1;
	ret = array_ref(sc, e);
	sc->slice_ok = 0;
	return ret;
}

/** scalar_var - resolve E_VAR @e used as a value (not an array) */
static int scalar_var(struct scope *sc, struct expr *e)
{
	e->sym = lookup(sc, e);
	if (e->sym->global)
		return arity(e->sym, 0, &e->loc);
	return 0;
}

/** var_ref - resolve @e, a variable or an array element; else @what is the error */
static int var_ref(struct scope *sc, struct expr *e, const char *what)
{
	if (e->kind == E_INDEX)
		return array_ref(sc, e);
	if (e->kind == E_VAR)
		return scalar_var(sc, e);
	diag(&e->loc, "%s", what);
	return -1;
}

/** stat_operand - @e (E_VAR or E_INDEX) names a statistic */
static int stat_operand(struct scope *sc, struct expr *e)
{
	if (var_ref(sc, e, "expected a statistic (a global or an array element)"))
		return -1;
	if (!e->sym->global) {
		diag(&e->loc, "statistic '%s' must be a global", e->str);
		return -1;
	}
	return unify_sym(e->sym, TY_STATS, &e->loc);
}

/**
 * variance_sema - @variance(s[, SHIFT]): 4.8 keeps one bit shift per statistic, set by
 * the first nonzero one; a later different one is an error (elaborate.cxx)
 */
static int variance_sema(struct expr *e, struct sym *v)
{
	int64_t shift = e->nargs ? e->args[0]->num : 0;

	if (e->num)		/* checked in an earlier round of inference (num is unused) */
		return 0;
	e->num = 1;
	if (e->nargs > 1 || shift > 62) {
		diag(&e->loc, "@variance takes a statistic and a bit shift from 0 to 62");
		return -1;
	}
	if (v->vshift && v->vshift != shift) {
		diag(&e->loc, "conflicting bit shifts declared (previously %d)", v->vshift);
		return -1;
	}
	v->vshift = shift;
	return 0;
}

/** agg_sema - @count(x) ... @hist_linear(x, start, stop, interval) */
static int agg_sema(struct scope *sc, struct expr *e)
{
	struct sym *v;
	int htype = !strcmp(e->op, "hist_log") ? 1 : !strcmp(e->op, "hist_linear") ? 2 : 0;
	int64_t h[3] = { 0, 0, 0 };
	int i;

	if (stat_operand(sc, e->a))
		return -1;
	v = e->a->sym;
	e->type = htype ? TY_STATS : TY_LONG;	/* a histogram only prints */
	if (!strcmp(e->op, "variance"))
		return variance_sema(e, v);
	if (e->nargs != (htype == 2 ? 3 : 0)) {
		diag(&e->loc, "@%s takes %s", e->op, htype == 2 ?
		     "a statistic, a start, a stop and an interval" : "one statistic");
		return -1;
	}
	for (i = 0; i < e->nargs; i++) {
		if (e->args[i]->kind == E_UNARY && !strcmp(e->args[i]->op, "-") &&
		    e->args[i]->a->kind == E_NUM) {
			h[i] = -e->args[i]->a->num;
		} else if (e->args[i]->kind == E_NUM) {
			h[i] = e->args[i]->num;
		} else {
			diag(&e->args[i]->loc, "@hist_linear parameters must be numbers");
			return -1;
		}
	}
	if (htype == 2 && (h[2] <= 0 || h[1] <= h[0] || (h[1] - h[0]) / h[2] > 126)) {
		diag(&e->loc, "@hist_linear(%s, %lld, %lld, %lld): the interval must be positive "
		     "and give 1 to 126 buckets", v->name, (long long)h[0], (long long)h[1],
		     (long long)h[2]);
		return -1;
	}
	if (!htype)
		return 0;
	if (v->htype && (v->htype != htype || memcmp(v->hist, h, sizeof(h)))) {
		diag(&e->loc, "multiple histogram types declared on '%s'", v->name);
		note(&v->hist_loc, "'%s' %s here", v->name, "got its first histogram");
		return -1;
	}
	v->htype = htype;
	v->hist_loc = e->loc;
	memcpy(v->hist, h, sizeof(h));
	return 0;
}

/** lvalue - resolve the target of an assignment or ++/-- */
static int lvalue(struct scope *sc, struct expr *e)
{
	int i;

	if (var_ref(sc, e, "this cannot be assigned to"))
		return -1;
	e->sym->assigned = 1;
	for (i = 0; i < sc->nforeach; i++)
		if (sc->foreach[i] == e->sym) {
			diag(&e->loc, "'%s' is modified inside a foreach over it", e->sym->name);
			return -1;
		}
	return 0;
}

static int binary_sema(struct expr *e)
{
	enum type ta = expr_type(e->a), tb = expr_type(e->b);
	const char *op = e->op;

	if (op[1] == '~')
		return regex_sema(e);
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

static int assign_sema(struct scope *sc, struct expr *e)
{
	if (e->a->kind == E_TARGET)	/* guru mode: $x = v */
		return typed_assign_sema(sc->opt, sc->probe, e, expr_sema_cb, sc);
	if (lvalue(sc, e->a) || expr_sema(sc, e->b))
		return -1;
	if (!strcmp(e->op, "<<<")) {
		e->type = TY_LONG;
		return unify_sym(e->a->sym, TY_STATS, &e->a->loc) || want(e->b, TY_LONG);
	}
	if (!strcmp(e->op, "=") && e->a->kind == E_VAR)	/* autocast: typed-auto.c */
		changed |= typed_merge(&e->a->sym->tid, typed_details(sc->opt, sc->probe, e->b));
	if (!strcmp(e->op, "="))
		e->type = expr_type(e->b) != TY_UNKNOWN ? expr_type(e->b) : expr_type(e->a);
	else
		e->type = !strcmp(e->op, ".=") ? TY_STRING : TY_LONG;
	if (e->type == TY_STATS) {
		diag(&e->loc, "a statistic cannot be assigned; use <<<");
		return -1;
	}
	return want(e->a, e->type) || want(e->b, e->type);
}

static int ternary_sema(struct scope *sc, struct expr *e);

static int expr_sema(struct scope *sc, struct expr *e)
{
	if (!e)
		return 0;
	switch (e->kind) {
	case E_NUM: e->type = TY_LONG; return 0;
	case E_STR: e->type = TY_STRING; return 0;
	case E_CODE: e->type = strstr(e->str, "/* string */") ? TY_STRING : TY_LONG; return 0;
	case E_VAR: return scalar_var(sc, e);
	case E_CALL: return call_sema(sc->s, sc->locals, e, expr_sema_cb, sc);
	case E_INDEX: return array_ref(sc, e);
	case E_IN: e->type = TY_LONG; return slice_ref(sc, e);
	case E_AGG: return agg_sema(sc, e);
	case E_TARGET: case E_DEFINED: case E_ENTRY:
		return typed_sema(sc->opt, sc->probe, e, expr_sema_cb, sc);
	case E_ASSIGN: return assign_sema(sc, e);
	case E_TERNARY: return ternary_sema(sc, e);
	case E_INCDEC:
		if (e->a->kind == E_TARGET)
			return typed_assign_sema(sc->opt, sc->probe, e, expr_sema_cb, sc);
		e->type = TY_LONG;
		return lvalue(sc, e->a) || want(e->a, TY_LONG);
	default: break;
	}
	if (expr_sema(sc, e->a) || expr_sema(sc, e->b) || expr_sema(sc, e->c))
		return -1;
	switch (e->kind) {
	case E_BINARY:
		return binary_sema(e);
	case E_UNARY:
		e->type = TY_LONG;
		return want(e->a, TY_LONG);
	default:
		return 0;
	}
}

int expr_sema_cb(void *sc, struct expr *e)
{
	return expr_sema(sc, e);
}

/** ternary_sema - c ? a : b; only the live branch when @defined folds the condition */
static int ternary_sema(struct scope *sc, struct expr *e)
{
	int k;

	if (expr_sema(sc, e->a))
		return -1;
	k = typed_fold(sc->probe, e->a);
	if (k >= 0) {
		if (expr_sema(sc, k ? e->b : e->c))
			return -1;
		e->type = expr_type(k ? e->b : e->c);
		return 0;
	}
	if (expr_sema(sc, e->b) || expr_sema(sc, e->c))
		return -1;
	e->type = expr_type(e->b) != TY_UNKNOWN ? expr_type(e->b) : expr_type(e->c);
	return want(e->a, TY_LONG) || want(e->b, e->type) || want(e->c, e->type);
}

static int stmt_sema(struct scope *sc, struct stmt *st);
static int lvalue(struct scope *sc, struct expr *e);

static int foreach_sema(struct scope *sc, struct stmt *st)
{
	struct sym *a;
	int i, ret;

	a = find_sym(sc->s->globals, st->e->str);
	if (!a || find_sym(*sc->locals, st->e->str)) {
		diag(&st->e->loc, "'%s' is not a global array", st->e->str);
		return -1;
	}
	st->e->sym = a;
	if (arity(a, st->n, &st->e->loc))
		return -1;
	if (st->sort_key > st->n) {
		diag(&st->loc, "foreach sorts on key %d of %d", st->sort_key, st->n);
		return -1;
	}
	for (i = 0; i < st->n; i++) {
		if (scalar_var(sc, st->vars[i]))
			return -1;
		st->vars[i]->sym->assigned = 1;
		if (a->ktype[i] != TY_UNKNOWN && want(st->vars[i], a->ktype[i]))
			return -1;
		if (a->ktype[i] == TY_UNKNOWN && st->vars[i]->sym->type != TY_UNKNOWN) {
			a->ktype[i] = st->vars[i]->sym->type;
			a->ktype_loc[i] = st->vars[i]->loc;
			changed = 1;
		}
	}
	if (expr_sema(sc, st->step) || (st->step && want(st->step, TY_LONG)))
		return -1;
	if (st->init && (st->init->nargs != st->n || slice_ref(sc, st->init)))
		return st->init->nargs != st->n ? arity(a, st->init->nargs, &st->init->loc) : -1;
	if (sc->nforeach == 16) {
		diag(&st->loc, "foreach nested too deeply");
		return -1;
	}
	sc->foreach[sc->nforeach++] = a;
	sc->loop++;
	ret = stmt_sema(sc, st->body);
	sc->loop--;
	sc->nforeach--;
	return ret;
}

static int jump_sema(struct scope *sc, struct stmt *st)
{
	if ((st->kind == S_BREAK || st->kind == S_CONTINUE) && !sc->loop) {
		diag(&st->loc, "'%s' outside a loop", st->kind == S_BREAK ? "break" : "continue");
		return -1;
	}
	if (st->kind == S_NEXT && sc->fn)
		sc->fn->nexts = 1;	/* the caller tries the next overload (calls.c) */
	if (st->kind != S_RETURN)
		return 0;
	if (!sc->fn) {
		diag(&st->loc, "'return' outside a function (use next to end a probe)");
		return -1;
	}
	if (!st->e)
		return 0;
	if (expr_sema(sc, st->e))
		return -1;
	changed |= typed_merge(&sc->fn->ret.tid, typed_details(sc->opt, NULL, st->e));
	if (expr_type(st->e) != TY_UNKNOWN)
		return unify_sym(&sc->fn->ret, expr_type(st->e), &st->e->loc);
	return want(st->e, sc->fn->ret.type);
}

static int delete_sema(struct scope *sc, struct stmt *st)
{
	struct sym *v;
	int ret;

	if (st->e->kind == E_INDEX) {
		sc->slice_ok = 1;
		ret = lvalue(sc, st->e);
		sc->slice_ok = 0;
		return ret;
	}
	if (st->e->kind != E_VAR) {
		diag(&st->e->loc, "delete takes a variable, an array or an array element");
		return -1;
	}
	v = find_sym(*sc->locals, st->e->str);
	if (!v)
		v = find_sym(sc->s->globals, st->e->str);
	if (!v) {
		diag(&st->e->loc, "unknown variable '%s'", st->e->str);
		return -1;
	}
	st->e->sym = v;
	v->assigned = 1;
	return 0;
}

/** try_sema - try { } catch (VAR) { }: VAR is a string the catch assigns */
static int try_sema(struct scope *sc, struct stmt *st)
{
	if (st->e && (lvalue(sc, st->e) || want(st->e, TY_STRING)))
		return -1;
	return stmt_sema(sc, st->body) || stmt_sema(sc, st->other) ? -1 : 0;
}

static int stmt_sema(struct scope *sc, struct stmt *st)
{
	int i, loop;

	if (!st)
		return 0;
	switch (st->kind) {
	case S_FOREACH: return foreach_sema(sc, st);
	case S_DELETE: return delete_sema(sc, st);
	case S_RETURN: case S_NEXT: case S_BREAK: case S_CONTINUE: return jump_sema(sc, st);
	case S_TRY: return try_sema(sc, st);
	default: break;
	}
	if (expr_sema(sc, st->e) || expr_sema(sc, st->init) || expr_sema(sc, st->step))
		return -1;
	if ((st->kind == S_IF || st->kind == S_WHILE || st->kind == S_FOR) && st->e &&
	    want(st->e, TY_LONG))
		return -1;
	if (st->kind == S_IF && (i = typed_fold(sc->probe, st->e)) >= 0)
		return stmt_sema(sc, i ? st->body : st->other);	/* 4.8 folds @defined */
	if (st->kind == S_EXPR && expr_type(st->e) == TY_STATS) {
		diag(&st->e->loc, "a statistic is read with @count, @sum, ... or printed with "
		     "@hist_log or @hist_linear");
		return -1;
	}
	for (i = 0; i < st->n; i++)
		if (stmt_sema(sc, st->list[i]))
			return -1;
	loop = st->kind == S_WHILE || st->kind == S_FOR;
	sc->loop += loop;
	i = stmt_sema(sc, st->body) || stmt_sema(sc, st->other);
	sc->loop -= loop;
	return i ? -1 : 0;
}

static int check_resolved(struct sym *v)
{
	int bad = 0;

	for (; v; v = v->next) {
		if (v->wrap && v->nkeys == 0) {
			diag(&v->loc, "wrapping not supported for scalars: '%s'", v->name);
			bad = -1;
		}
		if (v->type != TY_UNKNOWN)
			continue;
		diag(&v->loc, "unresolved type for %s '%s'", v->global ? "global" :
		     v->param ? "parameter" : "local", v->name);
		bad = -1;
	}
	return bad;
}

/**
 * void_args - an argument of a call that is a call of a script function of no type (one
 * that returns no value, or whose only exit is 'next'): 4.8's "unresolved type" at that
 * call, as in println(f()); 0, or -1 after the diagnostics
 */
static int void_args(const struct expr *e)
{
	int bad = 0, i;

	if (!e)
		return 0;
	for (i = 0; i < e->nargs; i++) {
		if (e->kind == E_CALL && e->args[i]->kind == E_CALL && e->args[i]->func &&
		    expr_type(e->args[i]) == TY_UNKNOWN) {
			diag(&e->args[i]->loc, "unresolved type for the value of function '%s' "
			     "(it returns no value)", e->args[i]->str);
			bad = -1;
		}
		bad |= void_args(e->args[i]);
	}
	return bad | void_args(e->a) | void_args(e->b) | void_args(e->c);
}

/** void_args_stmt - void_args() of each expression of @st and the statements in it */
static int void_args_stmt(const struct stmt *st)
{
	int bad, i;

	if (!st)
		return 0;
	bad = void_args(st->e) | void_args(st->init) | void_args(st->step) |
	      void_args_stmt(st->body) | void_args_stmt(st->other);
	for (i = 0; st->kind == S_BLOCK && i < st->n; i++)
		bad |= void_args_stmt(st->list[i]);
	return bad;
}

static void check_unused(struct script *s)
{
	struct sym *g, **p = &s->globals;

	/* a declared global nobody uses: drop it (SystemTap warns and elides it too) */
	while ((g = *p)) {
		if (g->type == TY_UNKNOWN && g->nkeys < 0)
			*p = g->next;
		else
			p = &g->next;
	}
}

/**
 * overloads - functions of one name: each is overloaded (named apart in C), and links to
 * the next one of its arity, which a call runs when it runs 'next' (4.8: overloads are
 * chosen by arity when the script is translated, then tried in order at run time)
 * @s: the script
 */
static void overloads(struct script *s)
{
	struct func *f, *g;

	for (f = s->funcs; f; f = f->next)
		for (g = f->next; g; g = g->next) {
			if (strcmp(f->name, g->name))
				continue;
			f->ovl = g->ovl = 1;
			if (!f->alt && f->nparams == g->nparams)
				f->alt = g;
		}
}

/** sema_round - one round over every probe and function; 0, or -1 after a diagnostic */
static int sema_round(struct scope *sc)
{
	struct probe *p;
	struct func *f;

	for (p = sc->s->probes; p; p = p->next) {
		sc->locals = &p->locals;
		sc->fn = NULL;
		sc->probe = p;
		if (stmt_sema(sc, p->body))
			return -1;
	}
	for (f = sc->s->funcs; f; f = f->next) {
		sc->locals = &f->params;
		sc->fn = f;
		sc->probe = NULL;
		if (stmt_sema(sc, f->body))
			return -1;
	}
	return 0;
}

/**
 * sema_script - infer every type and check every use
 * @s:   the script
 * @opt: the command line
 *
 * Return: 0, or -1 after a diagnostic.
 */
int sema_script(struct script *s, const struct options *opt)
{
	struct scope sc = { .s = s, .opt = opt };
	struct probe *p;
	struct func *f;
	struct sym *g;
	int rounds = 0, bad, i;

	if (probe_expand(s, opt) || probe_conds(s))	/* an alias's point brings its own */
		return -1;
	tapset_prune(s);
	overloads(s);
	for (g = s->globals; g; g = g->next) {
		if (!g->init)
			continue;
		g->nkeys = 0;
		g->keys_loc = g->init->loc;
		unify_sym(g, g->init->kind == E_NUM ? TY_LONG : TY_STRING, &g->init->loc);
	}
	do {
		changed = 0;
		if (sema_round(&sc))
			return -1;
	} while (changed && ++rounds < 100);
	if (typed_autocast_round() && sema_round(&sc))
		return -1;	/* what autocast could not type */
	check_unused(s);
	for (g = s->globals; g; g = g->next)	/* 4.8: a global -G sets is assigned */
		for (i = 0; i < opt->ngsets; i++)
			if (!strncmp(opt->gsets[i], g->name, strlen(g->name)) &&
			    opt->gsets[i][strlen(g->name)] == '=')
				g->assigned = 1;
	warn_unassigned(s);
	bad = check_resolved(s->globals);
	for (p = s->probes; p; p = p->next)
		bad |= check_resolved(p->locals) | void_args_stmt(p->body);
	for (f = s->funcs; f; f = f->next) {
		bad |= void_args_stmt(f->body);
		if (f->ret.type == TY_UNKNOWN)
			f->ret.type = TY_UNKNOWN;	/* a function returning nothing */
		bad |= check_resolved(f->params);
	}
	return bad;
}
