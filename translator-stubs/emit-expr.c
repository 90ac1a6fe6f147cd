// SPDX-License-Identifier: GPL-2.0
/*
 * emit-expr.c - C for expressions.  Integers are int64_t; strings are char buffers of
 * MAXSTRINGLEN (a result lands in one of the frame's temporaries); arrays and statistics
 * go through the runtime's maps (map.c).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "emit.h"
#include "sema.h"
#include "typed.h"


/** emit_near - a C literal "WHAT near KIND 'NAME' at FILE:LINE:COL" (WHAT may be "") */
void emit_near(struct out *o, const char *what, const char *kind, const char *name,
	       const struct loc *at)
{
	char buf[700];

	snprintf(buf, sizeof(buf), "%s%snear %s '%s' at %s:%d:%d", what, *what ? " " : "", kind,
		 name, at->file, at->line, at->col);
	emit_cstr(o, buf);
}

static void emit_var(struct out *o, const struct expr *e)
{
	if (e->sym->global)
		put(o, "g_%s", e->sym->name);
	else
		put(o, "l->l_%s", e->sym->name);
}

/**
 * emit_values - @e's arguments from @from on as a compound literal of union @type
 * ({ .n = ... } or { .s = ... } each), or NULL when there are none
 */
static void emit_values(struct out *o, const char *type, const struct expr *e, int from)
{
	int i;

	if (e->nargs <= from) {
		put(o, "NULL");
		return;
	}
	put(o, "(union %s[]){ ", type);
	for (i = from; i < e->nargs; i++) {
		put(o, "{ .%c = ", expr_type(e->args[i]) == TY_STRING ? 's' : 'n');
		emit_expr(o, e->args[i]);
		put(o, " }, ");
	}
	put(o, "}");
}

/**
 * slice_mask - the keys of array reference @e that a slice compares (bit i for key i),
 * or -1 when @e has no '*' key
 */
int slice_mask(const struct expr *e)
{
	int i, mask = 0, star = 0;

	for (i = 0; i < e->nargs; i++) {
		if (is_star(e->args[i]))
			star = 1;
		else
			mask |= 1 << i;
	}
	return star ? mask : -1;
}

/** emit_keys - an array reference's map and keys: "&m_a, (union rt_key[]){...}" */
void emit_keys(struct out *o, const struct expr *e)
{
	put(o, "&m_%s, ", e->sym->name);
	emit_values(o, "rt_key", e, 0);
}

/** emit_overflow - the error for a full array @e */
static void emit_overflow(struct out *o, const struct expr *e)
{
	char what[96];

	if (e->sym->size)
		snprintf(what, sizeof(what), "Array overflow, check size limit (%lld)",
			 (long long)e->sym->size);
	else
		snprintf(what, sizeof(what), "Array overflow, check MAXMAPENTRIES");
	emit_near(o, what, "identifier", e->sym->name, &e->loc);
}

/** emit_ref - the address of an element (or scalar) @e, to assign to */
static void emit_ref(struct out *o, const struct expr *e)
{
	if (e->kind == E_VAR) {
		put(o, "%s", expr_type(e) == TY_STRING ? "" : "&");
		emit_var(o, e);
		return;
	}
	put(o, "rt_map_%s_ref(c, ", expr_type(e) == TY_STRING ? "str" : "long");
	emit_keys(o, e);
	put(o, ", ");
	emit_overflow(o, e);
	put(o, ")");
}

static void emit_div(struct out *o, const char *op)
{
	put(o, "rt_%s(c, ", op[0] == '/' ? "div" : "mod");
}

static void emit_binary(struct out *o, const struct expr *e)
{
	if (e->op[1] == '~') {
		regex_emit_match(o, e);
		return;
	}
	if (!strcmp(e->op, ".")) {	/* left before right, as SystemTap evaluates */
		put(o, "({ const char *_a = ");
		emit_expr(o, e->a);
		put(o, ", *_b = ");
		emit_expr(o, e->b);
		put(o, "; rt_str_cat(l->tmp[%d], _a, _b); })", o->ntemps++);
		return;
	}
	if (!strcmp(e->op, "/") || !strcmp(e->op, "%")) {
		emit_div(o, e->op);
		emit_expr(o, e->a);
		put(o, ", ");
		emit_expr(o, e->b);
		put(o, ", ");
		emit_near(o, "division by 0", "operator", e->op, &e->loc);
		put(o, ")");
		return;
	}
	if (expr_type(e->a) == TY_STRING) {
		put(o, "(strcmp(");
		emit_expr(o, e->a);
		put(o, ", ");
		emit_expr(o, e->b);
		put(o, ") %s 0)", e->op);
		return;
	}
	put(o, "(");
	emit_expr(o, e->a);
	put(o, " %s ", e->op);
	emit_expr(o, e->b);
	put(o, ")");
}

/** emit_assign - assignment, compound assignment and <<< */
static void emit_assign(struct out *o, const struct expr *e)
{
	const char *op = e->op;
	enum type t = expr_type(e->a);

	if (e->a->kind == E_TARGET) {
		typed_emit_assign(o, e);	/* guru mode: $x = v */
		return;
	}
	if (!strcmp(op, "<<<")) {
		put(o, "({ int64_t _v = ");
		emit_expr(o, e->b);
		put(o, "; if (likely(!c->error)) rt_map_stat_add(c, ");
		emit_keys(o, e->a);
		put(o, ", _v, ");
		emit_overflow(o, e->a);
		put(o, "); _v; })");
		return;
	}
	if (t == TY_STRING) {
		put(o, "({ const char *_v = ");
		emit_expr(o, e->b);
		put(o, "; if (likely(!c->error)) rt_str_%s(", strcmp(op, ".=") ? "set" : "append");
		emit_ref(o, e->a);
		put(o, ", _v); _v; })");
		return;
	}
	put(o, "({ int64_t _v = ");
	emit_expr(o, e->b);
	put(o, ", *_p = likely(!c->error) ? ");
	emit_ref(o, e->a);
	put(o, " : &c->lscratch");
	if (!strcmp(op, "="))
		put(o, "; *_p = _v; })");
	else if (!strcmp(op, "/=") || !strcmp(op, "%=")) {
		put(o, "; *_p = ");
		emit_div(o, op);
		put(o, "*_p, _v, ");
		emit_near(o, "division by 0", "operator", op, &e->loc);
		put(o, "); })");
	} else {
		put(o, "; *_p %s _v; })", op);
	}
}

static void emit_incdec(struct out *o, const struct expr *e)
{
	if (e->a->kind == E_TARGET) {
		typed_emit_assign(o, e);
		return;
	}
	put(o, "({ int64_t *_p = likely(!c->error) ? ");
	emit_ref(o, e->a);
	put(o, " : &c->lscratch; %s(*_p)%s; })", e->post ? "" : e->op, e->post ? e->op : "");
}

static const char *const agg_names[] = {
	"count", "sum", "min", "max", "avg", "variance", NULL,	/* runtime/map.c RT_AGG_* */
};

/** emit_agg - @count(...) and friends, reading a statistic */
static void emit_agg(struct out *o, const struct expr *e)
{
	char op[16];
	int i;

	for (i = 0; agg_names[i] && strcmp(agg_names[i], e->op); i++)
		;
	snprintf(op, sizeof(op), "@%s", e->op);
	put(o, "({ struct rt_stat *_s = rt_map_stat(c, ");
	emit_keys(o, e->a);
	put(o, ", ");
	if (i == 0 || i == 1)
		put(o, "NULL");
	else
		emit_near(o, "empty aggregate", "operator", op, &e->loc);
	put(o, "); rt_stat_agg(_s, %d); })", i);
}

/** emit_hist - print(@hist_log(s)) and print(@hist_linear(...)) */
static void emit_hist(struct out *o, const struct expr *call, const struct expr *e)
{
	put(o, "({ struct rt_stat *_s = rt_map_stat(c, ");
	emit_keys(o, e->a);
	put(o, ", ");
	emit_near(o, "empty aggregate", "identifier", call->str, &call->loc);
	put(o, "); if (_s && likely(!c->error)) rt_hist_print(c, &m_%s, _s); 0; })",
	    e->a->sym->name);
}

/** fmt_equal - whether two parsed formats would emit the same table */
static int fmt_equal(const struct fmt *a, const struct fmt *b)
{
	int k;

	if (a->n != b->n)
		return 0;
	for (k = 0; k < a->n; k++)
		if (strcmp(a->lit[k], b->lit[k]) || a->conv[k] != b->conv[k] ||
		    a->flags[k] != b->flags[k] || a->width[k] != b->width[k] ||
		    a->prec[k] != b->prec[k])
			return 0;
	return 1;
}

/**
 * add_fmt - the index of @e's format table (fmt_N): one table per distinct format, so
 * that the syscall.* aliases' thousand printf()s become about 150 tables (issue 16's
 * compile time)
 */
static int add_fmt(struct out *o, const struct expr *e)
{
	int i;

	for (i = 0; i < o->nfmts; i++)
		if (fmt_equal(o->fmts[i]->fmt, e->fmt))
			return i;
	o->fmts = realloc(o->fmts, (o->nfmts + 1) * sizeof(*o->fmts));
	if (!o->fmts)
		abort();
	o->fmts[o->nfmts] = e;
	return o->nfmts++;
}

/** emit_prints - print/println of several values, or none: evaluated, then printed */
static void emit_prints(struct out *o, const struct expr *e)
{
	int d = !strncmp(e->str, "printd", 6), i;	/* printd: args[0] is the delimiter */

	put(o, "({ ");
	for (i = d; i < e->nargs; i++) {
		put(o, "%s _v%d = ", expr_type(e->args[i]) == TY_STRING ? "const char *" :
		    "int64_t", i);
		emit_expr(o, e->args[i]);
		put(o, "; ");
	}
	put(o, "if (likely(!c->error)) { ");
	for (i = d; i < e->nargs; i++) {
		if (d && i > 1) {
			put(o, "rt_print_str(c, ");
			emit_cstr(o, e->args[0]->str);
			put(o, ", %zu); ", strlen(e->args[0]->str));
		}
		put(o, expr_type(e->args[i]) == TY_STRING ?
		    "rt_print_str(c, _v%d, strlen(_v%d)); " : "rt_print_long(c, _v%d); ", i, i);
	}
	put(o, "%s} 0; })", e->str[d ? 6 : 5] ? "rt_print_str(c, \"\\n\", 1); " : "");
}

/** emit_print - print/println of one value */
static void emit_print(struct out *o, const struct expr *e)
{
	const struct expr *a = e->nargs == 1 ? e->args[0] : NULL;
	int nl = e->str[5] != '\0';

	if (!a) {
		emit_prints(o, e);
		return;
	}
	if (a->kind == E_AGG) {
		emit_hist(o, e, a);
		return;
	}
	if (expr_type(a) == TY_STRING) {
		put(o, "({ const char *_s = ");
		emit_expr(o, a);
		put(o, "; if (likely(!c->error)) { rt_print_str(c, _s, strlen(_s)); %s} 0; })",
		    nl ? "rt_print_str(c, \"\\n\", 1); " : "");
		return;
	}
	put(o, "({ int64_t _v = ");
	emit_expr(o, a);
	put(o, "; if (likely(!c->error)) { rt_print_long(c, _v); %s} 0; })",
	    nl ? "rt_print_str(c, \"\\n\", 1); " : "");
}

/* builtins whose C takes a temporary to write a string into */
static const char *const with_tmp[] = {
	"execname", "probefunc", "substr", "str_replace", "text_str", "text_strn",
	"umodname", "usymname", "usymdata", "ubacktrace", "sprint_ubacktrace", "usymfileline",
	"usymfile", "usymline", "symfileline", "symfile", "symline", NULL,
};
/* builtins whose C takes the call's place, for error messages */
static const char *const with_where[] = {
	"kernel_string", "user_string", "kernel_pointer", "strtol", "returnval", "register",
	"u_register", NULL,
};
static const char *const reg_args[] = {
	"int_arg", "uint_arg", "long_arg", "ulong_arg", "pointer_arg", NULL,
};

static int listed(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (!strcmp(*list, name))
			return 1;
	return 0;
}

static void emit_builtin(struct out *o, const struct expr *e)
{
	int i, tmp = listed(with_tmp, e->str), where = listed(with_where, e->str);

	if (listed(reg_args, e->str)) {
		put(o, "%s(rt_reg_arg(c, ", e->str[0] == 'i' ? "(int64_t)(int32_t)" :
		    e->str[0] == 'u' && e->str[1] == 'i' ? "(int64_t)(uint32_t)" : "(int64_t)");
		emit_expr(o, e->args[0]);
		put(o, ", ");
		emit_near(o, "", "identifier", e->str, &e->loc);
		put(o, "))");
		return;
	}
	if (e->str[0] == '$') {		/* $argN, $$parms of a process mark */
		if (e->nargs)
			put(o, "rt_sdt_value(c, %lldLL, ", (long long)e->args[0]->num);
		else
			put(o, "rt_sdt_parms(c, l->tmp[%d], ", o->ntemps++);
		emit_near(o, "", "operator", e->nargs ? "$arg" : "$$parms", &e->loc);
		put(o, ")");
		return;
	}
	if (e->op && !strcmp(e->op, "chararray")) {	/* kernel_string($t->comm): calls.c */
		emit_expr(o, e->args[0]);
		return;
	}
	if (strstr(e->str, "_string") && e->nargs == 2) {	/* kernel_string(addr, err) */
		put(o, "rt_string_or(l->tmp[%d], ", o->ntemps++);
		emit_expr(o, e->args[0]);
		put(o, ", ");
		emit_expr(o, e->args[1]);
		put(o, ", %s)", e->str[0] == 'u' ? "true" : "false");
		return;
	}
	if (!strcmp(e->str, "kernel_string") || !strcmp(e->str, "user_string"))
		tmp = 1;
	put(o, "rt_%s(", e->str);
	if (strcmp(e->str, "isinstr") && strcmp(e->str, "substr") && strcmp(e->str, "str_replace") &&
	    strcmp(e->str, "text_str") && strcmp(e->str, "text_strn") && strcmp(e->str, "execname"))
		put(o, "c%s", tmp || e->nargs || where ? ", " : "");
	if (tmp)
		put(o, "l->tmp[%d]%s", o->ntemps++, e->nargs || where ? ", " : "");
	for (i = 0; i < e->nargs; i++) {
		emit_expr(o, e->args[i]);
		put(o, "%s", i < e->nargs - 1 || where ? ", " : "");
	}
	if (where)
		emit_near(o, "", "identifier", e->str, &e->loc);
	put(o, ")");
}

/**
 * emit_overloads - a call of @e->func whose candidates (it and its @alt chain) may run
 * 'next': the arguments are evaluated once, then each candidate is called in order
 * while the last one ran 'next'; none left is 4.8's "all functions exhausted" error
 */
static void emit_overloads(struct out *o, const struct expr *e)
{
	const struct func *f = e->func;
	int i, ret = f->ret.type == TY_STRING ? o->ntemps++ : -1;
	int *tmp = xcalloc(e->nargs + 1, sizeof(*tmp));

	put(o, "({ %s _r = 0; ", ret >= 0 ? "const char *" : "int64_t");
	for (i = 0; i < e->nargs; i++) {
		if (expr_type(e->args[i]) == TY_STRING) {
			tmp[i] = o->ntemps++;
			put(o, "const char *_a%d = l->tmp[%d]; ", i, tmp[i]);
			put(o, "strscpy(l->tmp[%d], ", tmp[i]);
			emit_expr(o, e->args[i]);
			put(o, ", RT_MAXSTRINGLEN); ");
		} else {
			put(o, "int64_t _a%d = ", i);
			emit_expr(o, e->args[i]);
			put(o, "; ");
		}
	}
	put(o, "c->next = 1; ");
	for (; f; f = f->alt) {
		put(o, "if (c->next && !c->error) { c->next = 0; _r = ");
		emit_fname(o, f);
		put(o, "(c");
		if (ret >= 0)
			put(o, ", l->tmp[%d]", ret);
		for (i = 0; i < e->nargs; i++)
			put(o, ", _a%d", i);
		put(o, "); } ");
	}
	put(o, "if (c->next) { c->next = 0; rt_fail(c, ");
	emit_near(o, "all functions exhausted", "identifier", e->str, &e->loc);
	put(o, "); } _r; })");
	free(tmp);
}

/** emit_fcall - a script function: its C takes the context, a result temp, the args */
static void emit_fcall(struct out *o, const struct expr *e)
{
	const struct func *f;
	int i;

	for (f = e->func; f && !f->nexts; f = f->alt)
		;
	if (f) {
		emit_overloads(o, e);
		return;
	}
	emit_fname(o, e->func);
	put(o, "(c");
	if (e->func->ret.type == TY_STRING)
		put(o, ", l->tmp[%d]", o->ntemps++);
	for (i = 0; i < e->nargs; i++) {
		put(o, ", ");
		emit_expr(o, e->args[i]);
	}
	put(o, ")");
}

static void emit_call_c(struct out *o, const struct expr *e)
{
	if (e->func)
		emit_fcall(o, e);
	else if (!strcmp(e->str, "printf")) {
		put(o, "({ const union rt_farg *_a = ");
		emit_values(o, "rt_farg", e, 1);
		put(o, "; if (likely(!c->error)) rt_print_fmt(c, &fmt_%d, _a); 0; })", add_fmt(o, e));
	} else if (!strcmp(e->str, "sprintf")) {
		put(o, "rt_sprintf(l->tmp[%d], &fmt_%d, ", o->ntemps++, add_fmt(o, e));
		emit_values(o, "rt_farg", e, 1);
		put(o, ")");
	} else if (!strcmp(e->str, "print") || !strcmp(e->str, "println")) {
		emit_print(o, e);
	} else if (!strcmp(e->str, "printd") || !strcmp(e->str, "printdln")) {
		emit_prints(o, e);
	} else if (!strcmp(e->str, "sprint") || !strcmp(e->str, "sprintln")) {
		/* 4.8: print's text as a string (a number in decimal) */
		put(o, "({ char *_t = l->tmp[%d]; snprintf(_t, RT_MAXSTRINGLEN, \"%s%s\", ",
		    o->ntemps++, expr_type(e->args[0]) == TY_STRING ? "%s" : "%lld",
		    e->str[6] ? "\\n" : "");
		if (expr_type(e->args[0]) != TY_STRING)
			put(o, "(long long)");
		emit_expr(o, e->args[0]);
		put(o, "); _t; })");
	} else if (!strcmp(e->str, "exit")) {
		put(o, "({ if (likely(!c->error)) rt_exit(c); 0; })");
	} else if (!strcmp(e->str, "error")) {
		put(o, "({ rt_error(c, ");
		emit_expr(o, e->args[0]);
		put(o, "); 0; })");
	} else {
		emit_builtin(o, e);
	}
}

/**
 * emit_call - a call; in a body that counts actions as it runs, the count so far and
 * what the callee charges are subtracted after it returns (4.8's visit_functioncall:
 * a callee with no loop charges its N; one with a loop counts for itself; stable
 * builtins were called at the start of the body; printf and print are not calls)
 */
static void emit_call(struct out *o, const struct expr *e)
{
	int stable = 0, n, id;
	char tok[80];

	if (e->func)
		n = func_loops(e->func) ? -1 : func_actions(e->func);
	else
		n = builtin_charge(e->str, &stable);
	if (!o->dyn || n < 0 || stable) {
		emit_call_c(o, e);
		return;
	}
	id = o->ncalls++;
	put(o, "({ __auto_type _r%d = ", id);
	emit_call_c(o, e);
	put(o, "; ");
	snprintf(tok, sizeof(tok), "identifier '%s'", e->str);
	emit_actions(o, n, tok, &e->loc, 1, 1);
	put(o, "_r%d; })", id);
}

static void emit_read(struct out *o, const struct expr *e)
{
	put(o, "rt_map_get_%s(", expr_type(e) == TY_STRING ? "str" : "long");
	emit_keys(o, e);
	put(o, ")");
}

void emit_expr(struct out *o, const struct expr *e)
{
	switch (e->kind) {
	case E_NUM: put(o, "((int64_t)%lldLL)", (long long)e->num); break;
	case E_STR: emit_cstr(o, e->str); break;
	case E_CODE: emit_code_expr(o, e); break;
	case E_VAR: emit_var(o, e); break;
	case E_CALL: emit_call(o, e); break;
	case E_BINARY: emit_binary(o, e); break;
	case E_ASSIGN: emit_assign(o, e); break;
	case E_INCDEC: emit_incdec(o, e); break;
	case E_INDEX: emit_read(o, e); break;
	case E_AGG: emit_agg(o, e); break;
	case E_TARGET: case E_DEFINED: case E_ENTRY: typed_emit(o, e); break;
	case E_IN:
		if (slice_mask(e) >= 0) {
			put(o, "rt_map_slice_find(");
			emit_keys(o, e);
			put(o, ", %d)", slice_mask(e));
			break;
		}
		put(o, "(rt_map_find(");
		emit_keys(o, e);
		put(o, ") != NULL)");
		break;
	case E_UNARY:
		put(o, "(%s", e->op);
		emit_expr(o, e->a);
		put(o, ")");
		break;
	case E_TERNARY:
		if (typed_fold(typed_probe_of(o), e->a) >= 0) {	/* sema resolved one branch */
			put(o, "(");
			emit_expr(o, typed_fold(typed_probe_of(o), e->a) ? e->b : e->c);
			put(o, ")");
			break;
		}
		put(o, "(");
		emit_expr(o, e->a);
		put(o, " ? ");
		emit_expr(o, e->b);
		put(o, " : ");
		emit_expr(o, e->c);
		put(o, ")");
		break;
	}
}
