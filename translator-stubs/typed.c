// SPDX-License-Identifier: GPL-2.0
/*
 * typed.c - target expressions checked against the target kernel's BTF (typed.h).
 *
 * One walk, tgt_walk(), serves both the semantic pass (no output: it finds the types and
 * reports errors at their place) and the emitter (it writes the C as it goes), so the
 * two cannot disagree.  A probe's body is shared by the matches of a wildcard, so the
 * walk is redone for each probe: each match is typed from its own FUNC_PROTO.
 *
 * SystemTap 4.8's rules (tapsets.cxx, dwflpp.cxx): a parameter is $name; in a .return
 * probe $name is its value at entry (an implicit @entry) and $return the return value;
 * '->' reaches a member through a pointer or of a struct alike; [i] indexes an array or a
 * pointer; an array of char is a string (kernel_string's rules, at most its size); a
 * char * is a pointer (a long); integers, enums and pointers are longs; a struct or union
 * is no value unless pretty-printed ($p$, $p$$); kprobe.function has no target variables.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "btf.h"
#include "emit.h"
#include "sema.h"
#include "typed.h"
#include "typed-int.h"
#include "sysc-args.h"

const struct options *typed_opt;	/* the command line (the BTF, the tree) */

/* where a script function's @cast and @defined are checked: a probe with no function */
struct probe typed_in_function = { .kind = P_NEVER, .point = "a function" };
static int entry_slots;		/* @entry slots handed out in the script */
static int in_entry;		/* emitting a .return probe's entry handler */
static int ids;			/* names the walks' C temporaries */


/**
 * typed_btf - the target's BTF, loaded on first use
 * @opt: where it is (opt->btf)
 * @at:  the expression that needs it (the error names it), or NULL to stay quiet
 */
struct btf *typed_btf(const struct options *opt, const struct loc *at)
{
	static int failed;
	const char *path = opt && opt->btf ? opt->btf() : NULL;
	struct btf *b = path ? kbtf_load(path) : NULL;
	char why[128];

	if (b || !at || failed++)
		return b;
	if (libbpf_strerror(errno, why, sizeof(why)))	/* its own errors are >= 4000 */
		snprintf(why, sizeof(why), "%s", strerror(errno));
	if (path)
		diag(at, "cannot read the target kernel's BTF from '%s': %s (typed kernel data "
		     "needs a kernel built with CONFIG_DEBUG_INFO_BTF=y)", path, why);
	else
		diag(at, "no BTF of the target kernel %s was found: typed kernel data needs a "
		     "kernel built with CONFIG_DEBUG_INFO_BTF=y (or give --btf FILE)",
		     opt && opt->kernel && opt->kernel(1) ? opt->kernel(1) : "");
	return NULL;
}

/**
 * typed_proto - the FUNC_PROTO probe @p types its target variables from: the function's
 * (kernel.function), the tracepoint's (kernel.trace, whose first @skip parameters are
 * not the script's); -2 when the probe has none, -1 when the BTF lacks it
 */
int typed_proto(const struct btf *b, const struct probe *p, int *skip)
{
	*skip = 0;
	if (p->kind == P_TRACE) {
		*skip = 1;
		return typed_trace_proto(b, p->symbol);
	}
	if (p->kind != P_KPROBE || strncmp(p->point, "kernel.", 7))
		return -2;
	return kbtf_func_proto(b, p->symbol);
}

/** params_list - "$a $b" (the parameters of @proto from @skip on) into @buf */
static void params_list(const struct btf *b, int proto, int skip, char *buf, size_t size)
{
	const struct btf_type *t = btf__type_by_id(b, proto);
	const struct btf_param *q = btf_params(t);
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = skip; i < btf_vlen(t) && n + 2 < size; i++) {
		snprintf(buf + n, size - n, "%s$%s", i > skip ? " " : "",
			 btf__name_by_offset(b, q[i].name_off));
		n = strlen(buf);
	}
}

/* sysc_type - the BTF id of a system call parameter's C type; a pointer, or a type the
 * BTF does not name, reads as a long */
static int sysc_type(const struct btf *b, const struct sysc_param *q)
{
	static const char *const alias[][2] = {
		{ "unsigned long", "long unsigned int" }, { "long", "long int" },
		{ "unsigned", "unsigned int" }, { "unsigned short", "short unsigned int" },
	};
	const char *t = q->is_ptr ? "long unsigned int" : q->type;
	size_t i;
	int id;

	for (i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (!strcmp(t, alias[i][0]))
			t = alias[i][1];
	id = btf__find_by_name(b, t);
	if (id < 0 || kbtf_size(b, id) < 1 || kbtf_size(b, id) > 8)
		id = btf__find_by_name(b, "long int");
	return id;
}

/*
 * base_sysc - $name in kernel.function("__x64_sys_NAME"): the system call's parameter of
 * that name (sysc-args.c), read from the saved registers; 1 when there is none
 */
static int base_sysc(struct twalk *w, const struct expr *e, char *list, size_t size)
{
	struct sysc_param q[SYSC_MAX_PARAMS];
	int n, i;

	if (strncmp(w->p->symbol, "__x64_sys_", 10) || !typed_opt->kernel_dir ||
	    (n = sysc_params(typed_opt->kernel_dir(), w->p->symbol + 10, q)) < 0)
		return 1;
	snprintf(list, size, "$regs");
	for (i = 0; i < n; i++)
		if (*q[i].name)
			snprintf(list + strlen(list), size - strlen(list), " $%.60s", q[i].name);
	for (i = 0; i < n && (!*q[i].name || strcmp(q[i].name, e->tgt->name)); i++)
		;
	if (i == n)
		return 1;
	w->type = sysc_type(w->b, &q[i]);
	w->mem = 0;
	if (w->p->ret && !w->in_entry) {
		w->entry = 1;
		w->nslots = 1;
		tprintf(w, "(uint64_t)rt_entry_slot(c, %lld)", (long long)e->num - 1);
		return 0;
	}
	w->mem = 1;	/* the saved register: read, or written in guru mode, in memory */
	tprintf(w, "rt_syscall_argp(c, %d, ", i + 1);
	twhere(w);
	tput(w, ")");
	return 0;
}

/** base_var - $name: the parameter, typed from the probe's FUNC_PROTO */
static int base_var(struct twalk *w, const struct expr *e)
{
	const char *fn = w->p->symbol;
	char list[400];
	int proto, i, skip;

	if (w->p->site)
		return tbase_kdwarf(w, e);	/* an inlined copy: its DWARF */
	proto = typed_proto(w->b, w->p, &skip);
	if (proto == -2) {
		twarn(w, &e->loc, "target variable '$%s' is not available in probe point '%s' "
		      "(kernel.function, kernel.trace and process(\"PATH\").function probes "
		      "have them)", e->tgt->name, w->p->point);
		return -1;
	}
	if (proto < 0) {
		twarn(w, &e->loc, "'%s' has no BTF type information: its parameters are "
		      "unknown", fn);
		return -1;
	}
	if (e->tgt->base == TG_RETURN) {
		if (!w->p->ret) {
			twarn(w, &e->loc, "'$return' is only available in .return probes");
			return -1;
		}
		w->type = btf__type_by_id(w->b, proto)->type;
		tput(w, "(uint64_t)rt_returnval(c, ");
		twhere(w);
		tput(w, ")");
		return 0;
	}
	i = kbtf_param(w->b, proto, e->tgt->name, &w->type);
	if (i < 0 && !strncmp(fn, "__x64_sys_", 10) && !strcmp(e->tgt->name, "regs") &&
	    btf_vlen(btf__type_by_id(w->b, proto)) == 1) {
		/* the BTF names it __unused where a FUNC_PROTO was shared with a
		 * SYSCALL_DEFINE0 (arch/x86/include/asm/syscall_wrapper.h); DWARF says regs */
		i = 0;
		w->type = btf_params(btf__type_by_id(w->b, proto))[0].type;
	}
	list[0] = '\0';
	if (i < skip && !skip && !base_sysc(w, e, list, sizeof(list)))
		return 0;
	if (i < skip) {
		if (!*list)
			params_list(w->b, proto, skip, list, sizeof(list));
		twarn(w, &e->loc, "unable to find target variable '$%s' in %s '%s' "
		      "(alternatives: %s)", e->tgt->name, skip ? "tracepoint" : "function", fn,
		      *list ? list : "none");
		return -1;
	}
	w->argn = skip ? i - skip + 1 : kbtf_arg_word(w->b, proto, i);
	return tbase_param(w, e, i - skip);
}

/** base_cast - @cast(ptr, "type"[, "module"]): the object of that type at ptr */
static int base_cast(struct twalk *w, const struct expr *e)
{
	const char *m = e->tgt->module;
	int id;

	if (m && strncmp(m, "kernel", 6)) {
		twarn(w, &e->loc, "@cast module '%s' is not supported: only the kernel's BTF is "
		      "read", m);
		return -1;
	}
	id = kbtf_named(w->b, e->tgt->type);
	if (id < 0) {
		twarn(w, &e->loc, "type '%s' was not found in the target kernel's BTF",
		      e->tgt->type);
		return -1;
	}
	w->type = id;
	w->mem = 1;
	tput(w, "(uint64_t)(");
	if (w->o)
		emit_expr(w->o, e->a);
	tput(w, ")");
	return 0;
}

/** deref - follow the pointer in hand: now the object it points to is in memory */
static int deref(struct twalk *w, const struct loc *at, int id)
{
	const struct btf_type *t = btf__type_by_id(w->b, id);

	if (!t->type) {
		twarn(w, at, "cannot dereference a 'void *'");
		return -1;
	}
	if (w->mem)
		tprintf(w, "; _t%d = rt_kread(c, _t%d, 8, ", w->id, w->id);
	if (w->mem)
		twhere(w);
	if (w->mem)
		tput(w, ")");
	w->type = t->type;
	w->mem = 1;
	return 0;
}

/** member - ->name of the struct or union in hand (or pointed to) */
static int member(struct twalk *w, const struct tcomp *k)
{
	int id = kbtf_strip(w->b, w->type);
	const struct btf_type *t = btf__type_by_id(w->b, id);
	struct kbtf_field f;
	const char *near;
	char tn[128];

	if (btf_is_ptr(t)) {
		if (deref(w, &k->loc, id))
			return -1;
		id = kbtf_strip(w->b, w->type);
		t = btf__type_by_id(w->b, id);
	}
	kbtf_type_name(w->b, w->type, tn, sizeof(tn));
	if (!btf_is_composite(t)) {
		twarn(w, &k->loc, "'->%s': '%s' is not a struct, a union or a pointer to one",
		      k->name, tn);
		return -1;
	}
	if (kbtf_member(w->b, id, k->name, &f)) {
		near = kbtf_closest(w->b, id, k->name);
		if (tn[0] && tn[strlen(tn) - 1] == ' ')	/* "struct ": no name */
			snprintf(tn, sizeof(tn), "an anonymous %s", btf_is_union(t) ? "union" :
				 "struct");
		twarn(w, &k->loc, "unable to find member '%s' for %s%s%s%s", k->name, tn,
		      near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
		return -1;
	}
	w->type = f.type;
	if (!w->mem) {		/* a struct of <= 8 bytes passed in a register (kuid_t) */
		if (f.bits)
			twarn(w, &k->loc, "'->%s': a bitfield of a struct passed by value is not "
			      "supported", k->name);
		if (f.off_bits)
			tprintf(w, "; _t%d >>= %u", w->id, f.off_bits);
		return f.bits ? -1 : 0;
	}
	if (f.bits) {
		w->bf = f;
		return 0;
	}
	if (f.off_bits / 8)
		tprintf(w, "; _t%d += %u", w->id, f.off_bits / 8);
	return 0;
}

/** element - [index] of the array or pointer in hand */
static int element(struct twalk *w, const struct expr *e, const struct tcomp *k)
{
	int id = kbtf_strip(w->b, w->type), elem;
	const struct btf_type *t = btf__type_by_id(w->b, id);
	int64_t size;
	char tn[128];

	if (btf_is_array(t) && w->mem) {
		elem = btf_array(t)->type;
	} else if (e->tgt->base == TG_CAST && k == e->tgt->comps && w->mem) {
		elem = w->type;		/* @cast(p, "T")[i]: p is a T *, as in C */
	} else if (btf_is_ptr(t)) {
		if (deref(w, &k->loc, id))
			return -1;
		elem = w->type;
	} else {
		kbtf_type_name(w->b, w->type, tn, sizeof(tn));
		twarn(w, &k->loc, "'[]': '%s' is not an array or a pointer", tn);
		return -1;
	}
	size = kbtf_size(w->b, elem);
	if (size < 0) {
		twarn(w, &k->loc, "'[]': the element type has no size");
		return -1;
	}
	w->type = elem;
	if (!w->o && !w->sub)
		return 0;		/* @defined asks: the index does not matter */
	if (!w->o)
		return w->sub(w->scope, e->args[k->index]) || want(e->args[k->index], TY_LONG);
	tprintf(w, "; _t%d += (uint64_t)(", w->id);
	emit_expr(w->o, e->args[k->index]);
	tprintf(w, ") * %lld", (long long)size);
	return 0;
}

/**
 * tgt_walk - check (w->o NULL) or emit a target expression
 * @w: the walk: the BTF, the probe, the output
 * @e: an E_TARGET
 *
 * Return: 0 with w->ty its SystemTap type, or -1 (after a diagnostic unless quiet).
 */
int tgt_walk(struct twalk *w, const struct expr *e)
{
	const struct tgt *t = e->tgt;
	int i, rc;

	if (t->base >= TG_PARMS)
		return w->p->site ? tbase_kdwarf(w, e) : tpretty_all(w, e);
	tprintf(w, "({ uint64_t _t%d = ", w->id);
	rc = t->base == TG_CAST ? base_cast(w, e) : t->base == TG_AUTO ? tbase_auto(w, e) :
	     base_var(w, e);
	for (i = 0; !rc && i < t->ncomps; i++) {
		if (w->bf.bits) {
			twarn(w, &t->comps[i].loc, "a bitfield has no members or elements");
			return -1;
		}
		rc = t->comps[i].name ? member(w, &t->comps[i]) : element(w, e, &t->comps[i]);
	}
	if (rc)
		return -1;
	if (w->store)
		return tstore(w, e);
	if (t->pretty)
		return tpretty_value(w, e);
	return tfinal(w, e);
}

/** typed_walk_init - a walk of @e in probe @p */
int typed_walk_init(struct twalk *w, const struct options *opt, const struct probe *p,
		     const struct expr *e, int quiet)
{
	memset(w, 0, sizeof(*w));
	w->p = p;
	w->quiet = quiet;
	w->e = e;
	w->b = trace_btf(opt, p);	/* a module's tracepoint: its module's BTF */
	if (!w->b)
		w->b = typed_btf(opt, quiet ? NULL : &e->loc);
	return w->b ? 0 : -1;
}


/**
 * mark_argno - N of a mark's $argN target variable @t, or 0 when @t is not one
 */
static int mark_argno(const struct tgt *t)
{
	const char *n = t->name;

	if (t->ncomps || t->pretty || t->addr || t->base != TG_VAR || strncmp(n, "arg", 3) ||
	    n[3] < '1' || n[3] > '9' || strspn(n + 3, "0123456789") != strlen(n + 3) ||
	    strlen(n + 3) > 4)
		return 0;
	return atoi(n + 3);
}

/** defined - @defined(x): whether @x resolves in probe @p (quietly) */
static int defined(const struct probe *p, struct expr *x, int (*sub)(void *, struct expr *),
		   void *scope)
{
	struct twalk w;

	if (x->kind != E_TARGET || x->tgt->base == TG_AUTO)
		return x->kind != E_TARGET;	/* 4.8: an autocast is never @defined */
	if (p->kind == P_UPROBE && !p->sdt_args && !is_cast(x->tgt))
		return udwarf_defined(p, x);
	if (p->kind == P_UPROBE && !is_cast(x->tgt))	/* a mark: $arg1.. its last, $$parms */
		return (mark_argno(x->tgt) && mark_argno(x->tgt) <= sdt_nargs(p->sdt_args)) ||
		       (x->tgt->base == TG_PARMS && !x->tgt->ncomps && !x->tgt->pretty &&
			!x->tgt->addr);
	if (x->tgt->base == TG_RETURN && !x->tgt->ncomps && !x->tgt->pretty)
		return !treturn_denied(p, NULL);
	if (typed_walk_init(&w, typed_opt, p, x, 1))
		return 0;
	w.sub = sub;
	w.scope = scope;
	return !tgt_walk(&w, x);
}

/** typed_defined - the value of @defined / the branch @choose_defined takes, in @p */
int typed_defined(const struct probe *p, const struct expr *e)
{
	return defined(p, e->a, NULL, NULL);
}

/**
 * typed_fold - the value of a condition made of @defined(...) with !, && and ||, which
 * SystemTap 4.8 folds at elaboration: the branch not taken is never resolved
 * (cycle_thief.stp: i = @defined($irq) ? $irq : $id)
 * @p: the probe; NULL in a function, where nothing is folded
 * @e: the condition, already checked (typed_sema() has seen its @defined)
 *
 * Return: 0 or 1, or -1 when @e is not such a constant.
 */
int typed_fold(const struct probe *p, const struct expr *e)
{
	int a, b;

	if (!p || !e)
		return -1;
	if (e->kind == E_DEFINED && !e->b)
		return typed_defined(p, e);
	if (e->kind == E_UNARY && !strcmp(e->op, "!"))
		return (a = typed_fold(p, e->a)) < 0 ? -1 : !a;
	if (e->kind != E_BINARY || (strcmp(e->op, "&&") && strcmp(e->op, "||")))
		return -1;
	a = typed_fold(p, e->a);
	b = typed_fold(p, e->b);
	if (a < 0 || b < 0)
		return -1;
	return e->op[0] == '&' ? a && b : a || b;
}

static const struct expr *entry_unlocked(const struct expr *e, int depth);

/** stmt_unlocked - entry_unlocked() for a statement of a called function */
static const struct expr *stmt_unlocked(const struct stmt *st, int depth)
{
	const struct expr *x;
	int i;

	if (!st)
		return NULL;
	if ((st->kind == S_FOREACH || st->kind == S_DELETE) && st->e->sym && st->e->sym->global)
		return st->e;
	if ((x = entry_unlocked(st->e, depth)) || (x = entry_unlocked(st->init, depth)) ||
	    (x = entry_unlocked(st->step, depth)))
		return x;
	for (i = 0; i < st->n && st->kind == S_BLOCK; i++)
		if ((x = stmt_unlocked(st->list[i], depth)))
			return x;
	if ((x = stmt_unlocked(st->body, depth)))
		return x;
	return stmt_unlocked(st->other, depth);
}

/**
 * entry_unlocked - the first use in @e of what the entry handler cannot read safely: a
 * global, here or in a script function it calls (the handler takes no locks), else NULL
 */
static const struct expr *entry_unlocked(const struct expr *e, int depth)
{
	const struct expr *x;
	int i;

	if (!e)
		return NULL;
	if (((e->kind == E_VAR || e->kind == E_INDEX || e->kind == E_IN) && e->sym &&
	     e->sym->global) || e->kind == E_AGG)
		return e;
	if (e->kind == E_CALL && e->func &&
	    (depth > 8 || stmt_unlocked(e->func->body, depth + 1)))
		return e;
	for (i = 0; i < e->nargs; i++)
		if ((x = entry_unlocked(e->args[i], depth)))
			return x;
	if ((x = entry_unlocked(e->a, depth)) || (x = entry_unlocked(e->b, depth)))
		return x;
	return entry_unlocked(e->c, depth);
}

/** entry_sema - @entry(x): only in a .return probe; x is saved at entry (a long) */
static int entry_sema(struct probe *p, struct expr *e, int (*sub)(void *, struct expr *),
		      void *scope)
{
	const struct expr *x;

	if (!p || p->kind != P_KPROBE || !p->ret) {
		diag(&e->loc, "@entry is only available in .return probes");
		return -1;
	}
	if (sub(scope, e->a))
		return -1;
	if (expr_type(e->a) == TY_STRING) {
		diag(&e->loc, "@entry of a string is not supported (save a long)");
		return -1;
	}
	x = entry_unlocked(e->a, 0);
	if (x) {
		diag(&x->loc, "@entry cannot use %s '%s': the entry handler takes no locks",
		     x->kind == E_CALL ? "script function (it uses a global)" : "global", x->str ? x->str : "@");
		return -1;
	}
	if (!e->num)
		e->num = ++entry_slots;
	if (p->nentry < e->num)
		p->nentry = e->num;
	p->typed = 1;
	e->type = TY_LONG;
	return want(e->a, TY_LONG);
}

/**
 * mark_target - a target variable in a process probe: $argN and $$parms are a mark's
 * operands (uprobes.c, sdt.c; read by runtime/probes/sdt.c), so @e becomes the call that
 * reads them (a function probe's $name is udwarf.c's).  As in SystemTap 4.8, $argN past
 * the mark's last argument is refused here, not at run time.
 *
 * Return: what checking the call returns, or -1 after a diagnostic.
 */
static int mark_target(const struct probe *p, struct expr *e,
		       int (*sub)(void *scope, struct expr *e), void *scope)
{
	const struct tgt *t = e->tgt;
	const char *n = t->name;
	int k = mark_argno(t), nargs = sdt_nargs(p->sdt_args);
	struct expr *a;

	if (k > nargs) {
		diag(&e->loc, "'$%s' is not an argument of %s: the mark has %d argument%s", n,
		     p->point, nargs, nargs == 1 ? "" : "s");
		return -1;
	}
	if (k > 0) {
		a = xcalloc(1, sizeof(*a));
		a->kind = E_NUM;
		a->loc = e->loc;
		a->num = k;
		e->kind = E_CALL;
		e->str = "$arg";
		e->args = xcalloc(1, sizeof(*e->args));
		e->args[0] = a;
		e->nargs = 1;
		return sub(scope, e);
	}
	if (!t->ncomps && !t->pretty && !t->addr && t->base == TG_PARMS) {
		e->kind = E_CALL;
		e->str = "$$parms";
		e->nargs = 0;
		return sub(scope, e);
	}
	diag(&e->loc, "'$%s' is not an argument of an SDT mark (a mark has $arg1, $arg2 ... and "
	     "$$parms)", n);
	return -1;
}

/**
 * typed_sema - check E_TARGET, E_DEFINED or E_ENTRY @e in probe @p and set its type
 * @opt:   the command line (the BTF)
 * @p:     the probe, or NULL in a function (where there are no target variables)
 * @e:     the expression
 * @sub:   checks a sub-expression (sema.c's expr_sema)
 * @scope: its scope
 *
 * Return: 0, or -1 after a diagnostic.
 */
int typed_sema(const struct options *opt, struct probe *p, struct expr *e,
	       int (*sub)(void *scope, struct expr *e), void *scope)
{
	struct twalk w;
	int d;

	typed_opt = opt;
	if (!p && (e->kind == E_DEFINED || (e->kind == E_TARGET && is_cast(e->tgt))))
		p = &typed_in_function;	/* @cast needs no probe; @defined($x) is 0 there */
	if (!p) {
		diag(&e->loc, "target variables are only available in probes, not in functions");
		return -1;
	}
	if (p->kind == P_PROCFS)
		return procfs_target_sema(p, e);
	if (p->kind == P_NETFILTER && (e->kind == E_TARGET && !is_cast(e->tgt)))
		return netfilter_target_sema(opt, p, e);
	if (p->kind == P_UPROBE && e->kind == E_TARGET && !is_cast(e->tgt))
		return p->sdt_args ? mark_target(p, e, sub, scope) : udwarf_sema(p, e);
	if (e->kind == E_ENTRY)
		return entry_sema(p, e, sub, scope);
	if (e->kind == E_DEFINED) {
		d = defined(p, e->a, sub, scope);
		p->typed = 1;
		if (!e->b) {
			e->type = TY_LONG;
			return d || e->a->kind != E_TARGET ? sub(scope, e->a) : 0;
		}
		if (sub(scope, d ? e->a : e->b))
			return -1;
		e->type = expr_type(d ? e->a : e->b);
		return 0;
	}
	if (e->tgt->base == TG_RETURN && treturn_denied(p, &e->loc))
		return -1;
	if (e->tgt->base == TG_RETURN && !e->tgt->ncomps && !e->tgt->pretty && !e->tgt->addr) {
		e->type = TY_LONG;	/* kprobe.function too: untyped, returnval() */
		return 0;
	}
	if (is_cast(e->tgt) && sub(scope, e->a))
		return -1;
	if (e->tgt->base == TG_AUTO && auto_deferred(p, e))
		return 0;	/* x's type is not known yet: a later round checks it */
	if (typed_walk_init(&w, opt, p, e, 0))
		return -1;
	w.sub = sub;
	w.scope = scope;
	if (tgt_walk(&w, e))
		return -1;
	p->typed = 1;
	if (w.entry && !e->num) {
		e->num = entry_slots + 1;
		entry_slots += w.nslots;
	}
	if (w.entry && p->nentry < e->num - 1 + w.nslots)
		p->nentry = e->num - 1 + w.nslots;
	e->type = w.ty;
	e->tgt->chararr = w.chararr && !e->tgt->addr && !e->tgt->pretty;
	return 0;
}

/** write_denied - 4.8's error for a write to target @x in probe @p, or NULL (tapsets.cxx) */
static const char *write_denied(const struct options *opt, const struct probe *p,
				const struct expr *x)
{
	const struct tgt *t = x->tgt;

	if (t->pretty || t->base >= TG_PARMS)
		return "cannot write to pretty-printed variable";
	if (!opt->guru && is_cast(t))
		return "write to @cast context variable not permitted; need stap -g";
	if (!opt->guru && p->kind == P_TRACE)
		return "write to tracepoint variable '$%s' not permitted; need stap -g";
	if (!opt->guru)
		return "write to target variable not permitted; need stap -g";
	if (is_cast(t))
		return NULL;
	if (t->base == TG_VAR && p->kind == P_KPROBE && p->ret)
		return "write to target variable not permitted in .return probes";
	if (t->base == TG_VAR && p->kind == P_TRACE && !t->ncomps)
		return "write to tracepoint variable '$%s' not permitted: relaytap's handler "
		       "gets a copy of the arguments (write a member through a pointer)";
	return NULL;
}

/**
 * typed_assign_sema - check E_ASSIGN or E_INCDEC @e whose left side is an E_TARGET:
 * a guru-mode write (SystemTap 4.8: -g; a parameter at a kernel.function's entry, $return
 * in its .return, a member through a pointer or @cast; an integer, enum or pointer)
 * @opt, @p, @sub, @scope: as for typed_sema()
 *
 * Return: 0, or -1 after a diagnostic.
 */
int typed_assign_sema(const struct options *opt, struct probe *p, struct expr *e,
		      int (*sub)(void *scope, struct expr *e), void *scope)
{
	struct expr *x = e->a;
	const char *why;
	struct twalk w;

	typed_opt = opt;
	if (p && p->kind == P_PROCFS)
		return procfs_assign_sema(p, e, sub, scope);
	if (p && p->kind == P_NETFILTER && !is_cast(x->tgt))
		return netfilter_assign_sema(opt, p, e, sub, scope);
	if (!p && !is_cast(x->tgt)) {
		diag(&x->loc, "target variables are only available in probes, not in functions");
		return -1;
	}
	if (p && p->kind == P_UPROBE && opt->guru && x->tgt->base != TG_CAST)
		return udwarf_assign_sema(p, e, sub, scope);	/* a register: udwarf.c */
	why = write_denied(opt, p ? p : &typed_in_function, x);
	if (why) {
		diag(&x->loc, why, x->tgt->name);
		return -1;
	}
	if (x->tgt->base == TG_RETURN && treturn_denied(p, &x->loc))
		return -1;
	if (is_cast(x->tgt) && sub(scope, x->a))
		return -1;
	if (x->tgt->base != TG_RETURN || x->tgt->ncomps) {
		if (typed_walk_init(&w, opt, p ? p : &typed_in_function, x, 0))
			return -1;
		w.sub = sub;
		w.scope = scope;
		w.store = e;
		if (tgt_walk(&w, x))
			return -1;
	}
	if (p)
		p->typed = 1;
	x->type = TY_LONG;
	e->type = TY_LONG;
	if (e->kind == E_INCDEC)
		return 0;
	if (!strcmp(e->op, ".="))
		return want(x, TY_STRING);
	return sub(scope, e->b) || want(e->b, TY_LONG);
}

/**
 * typed_emit_assign - the C of a write checked by typed_assign_sema(): the right side
 * first (into _v), then the target's walk, which ends in tstore()
 */
void typed_emit_assign(struct out *o, const struct expr *e)
{
	const struct expr *x = e->a;
	struct twalk w;

	if (typed_probe_of(o)->kind == P_PROCFS) {
		procfs_emit_assign(o, e);
		return;
	}
	if (typed_probe_of(o)->kind == P_NETFILTER && !is_cast(x->tgt)) {
		netfilter_emit_assign(o, e);
		return;
	}
	if (typed_probe_of(o)->kind == P_UPROBE && x->tgt->base != TG_CAST) {
		udwarf_emit_assign(o, e);
		return;
	}
	if (e->kind == E_ASSIGN) {
		put(o, "({ int64_t _v = ");
		emit_expr(o, e->b);
		put(o, "; ");
	}
	typed_walk_init(&w, typed_opt, typed_probe_of(o), x, 1);	/* sema loaded the BTF */
	w.o = o;
	w.id = ++ids;
	w.store = e;
	if (x->tgt->base == TG_RETURN && !x->tgt->ncomps) {
		tprintf(&w, "({ uint64_t _t%d = (uint64_t)rt_returnval(c, ", w.id);
		twhere(&w);
		tput(&w, ")");
		tstore(&w, x);
	} else if (tgt_walk(&w, x)) {
		put(o, "({ 0; })");	/* a bug: sema checked it */
	}
	if (e->kind == E_ASSIGN)
		put(o, "; })");
}

/** typed_probe_of - the probe whose target expressions @o is emitting */
const struct probe *typed_probe_of(const struct out *o)
{
	return o->fn || !o->probe ? &typed_in_function : o->probe;
}

/**
 * typed_walk_emit - emit @e in the probe being emitted
 * Return: 0, or -1 when it no longer resolves (a bug: sema checked it).
 */
int typed_walk_emit(struct out *o, const struct expr *e, int in_entry_arg)
{
	struct twalk w;

	if (typed_walk_init(&w, typed_opt, typed_probe_of(o), e, 1))
		return -1;
	if (w.p->ret && !in_entry && e->tgt->base == TG_VAR && e->type == TY_LONG &&
	    !e->tgt->pretty) {
		put(o, "rt_entry_slot(c, %lld)", (long long)e->num - 1);	/* saved whole */
		return 0;
	}
	w.o = o;
	w.id = ++ids;
	w.in_entry = in_entry || in_entry_arg;
	return tgt_walk(&w, e);
}

/** typed_entry_expr - @entry's operand @a, evaluated in the entry handler */
void typed_entry_expr(struct out *o, const struct expr *a)
{
	int outer = in_entry;

	in_entry = 1;
	put(o, "(int64_t)(");
	emit_expr(o, a);
	put(o, ")");
	in_entry = outer;
}

/**
 * typed_entry_params - the entry handler's save for E_TARGET @e of a .return probe: a
 * long target expression is evaluated whole at entry (SystemTap 4.8 saves the whole
 * expression); a string or pretty one saves its parameter, the rest is read at return;
 * $$parms saves every parameter
 */
void typed_entry_params(struct out *o, const struct expr *e)
{
	struct expr x = *e;
	struct tgt t = *e->tgt;
	struct btf *b = typed_btf(typed_opt, NULL);
	int proto, i, n = 0;

	if (e->tgt->base == TG_RETURN || e->tgt->base == TG_DRETURN || !b)
		return;
	if (e->tgt->base == TG_VAR) {
		if (e->type != TY_LONG || t.pretty) {
			t.ncomps = t.pretty = t.addr = 0;
			x.tgt = &t;
		}
		put(o, "\td[%lld] = ", (long long)e->num - 1);
		typed_entry_expr(o, &x);
		put(o, ";\n");
		return;
	}
	proto = kbtf_func_proto(b, o->probe->symbol);
	if (proto >= 0)
		n = btf_vlen(btf__type_by_id(b, proto));
	for (i = 0; i < n; i++) {
		int at = kbtf_arg_word(b, proto, i);

		put(o, "\td[%lld] = %s(c, %d, \"\");\n", (long long)e->num - 1 + i,
		    at <= 6 ? "rt_reg_arg" : "rt_stack_arg", at <= 6 ? at : at - 6);
	}
}
