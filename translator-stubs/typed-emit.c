// SPDX-License-Identifier: GPL-2.0
/*
 * typed-emit.c - the C of target expressions (typed.h): register and saved values,
 * final reads, pretty printing ($$parms, $$vars, $$return, $x$, $x$$), @defined,
 * @entry and the entry handler of .return probes.
 *
 * Every memory read goes through the runtime's rt_kread*() (runtime/typed.c):
 * copy_from_kernel_nofault(), and a fault is SystemTap's run-time error "read fault
 * [man error::fault] at 0x... near identifier '$p' at FILE:LINE:COL".
 *
 * Pretty-printing formats are stapprobes(3stap)'s: $$parms is "a=%#x b=%#x", $$return
 * "return=%#x"; $x$ is "{.a=%i, .b=%u, .c={...}, .d=[...]}" (one level; $x$$ goes down,
 * here to 4 levels, and shows an array's first element), pointers "0x%x" (a function
 * pointer "<function>:0x%x"), char arrays and, when pretty, char pointers as quoted
 * strings; $$parms$ prints a parameter that points to a struct as that struct (examples
 * of 4.8's output: "f=0xffff880030d453c0 open=0x0", "f={.f_u={...}, .f_inode=0x0, ...}").
 * The result is cut at MAXSTRINGLEN.
 */
#include <stdarg.h>
#include <string.h>
#include <bpf/btf.h>
#include "typed-int.h"

void tput(struct twalk *w, const char *s)
{
	if (w->o)
		put(w->o, "%s", s);
}

void tprintf(struct twalk *w, const char *fmt, ...)
{
	va_list ap;

	if (!w->o)
		return;
	va_start(ap, fmt);
	vfprintf(w->o->f, fmt, ap);
	va_end(ap);
}

/** twhere - the "near ..." of a run-time error in this expression, as a C string */
void twhere(struct twalk *w)
{
	char name[128];

	if (!w->o)
		return;
	if (w->e->tgt->base == TG_CAST) {
		emit_near(w->o, "", "operator", "@cast", &w->e->loc);
		return;
	}
	if (w->e->tgt->base == TG_AUTO) {
		emit_near(w->o, "", "operator", "->", &w->e->tgt->comps[0].loc);
		return;
	}
	snprintf(name, sizeof(name), "$%s%s", w->e->tgt->base >= TG_PARMS ? "$" : "",
		 w->e->tgt->name);
	emit_near(w->o, "", "identifier", name, &w->e->loc);
}


/** ctype - the C integer type of @size bytes, signed or not */
static const char *ctype(int64_t size, int sign)
{
	static const char *const t[2][4] = {
		{ "uint8_t", "uint16_t", "uint32_t", "uint64_t" },
		{ "int8_t", "int16_t", "int32_t", "int64_t" },
	};

	return t[!!sign][size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3];
}

/** scalar - @id (stripped) is an integer, enum or pointer: its size and sign; else 0 */
static int scalar(const struct btf *b, int id, int64_t *size, int *sign)
{
	const struct btf_type *t = btf__type_by_id(b, id);

	*sign = 0;
	if (btf_is_ptr(t)) {
		*size = 8;
		return 1;
	}
	if (btf_is_int(t))
		*sign = !!(btf_int_encoding(t) & BTF_INT_SIGNED);
	else if (btf_is_enum(t) || btf_is_enum64(t))
		*sign = btf_kflag(t);
	else
		return 0;
	*size = t->size;
	return *size == 1 || *size == 2 || *size == 4 || *size == 8;
}

/** is_char - @id is (after typedefs) a one-byte integer */
static int is_char(const struct btf *b, int id)
{
	const struct btf_type *t = btf__type_by_id(b, kbtf_strip(b, id));

	return t && btf_is_int(t) && t->size == 1;
}

/**
 * ptr_fmt - how a pretty-printed pointer @t prints: "0x%llx", or "<function>:0x%llx"
 * for a function pointer (SystemTap 4.8's dwarf_pretty_print)
 */
static const char *ptr_fmt(const struct btf *b, const struct btf_type *t)
{
	const struct btf_type *to = btf__type_by_id(b, kbtf_strip(b, t->type));

	return t->type && to && btf_is_func_proto(to) ? "<function>:0x%llx" : "0x%llx";
}

/**
 * treturn_denied - whether $return at @at cannot be used in probe @p: outside a .return
 * probe; or, as SystemTap 4.8's "function F (FILE) has no return value" (tapsets.cxx),
 * in the .return of a kernel function whose BTF prototype returns void (not known, so
 * allowed, for kprobe.function, an inlined copy, a clone without BTF, or no BTF)
 * @p:  the probe
 * @at: where the error is reported; NULL to stay quiet (@defined asks)
 *
 * Return: 1 (after the error unless quiet), or 0.
 */
int treturn_denied(const struct probe *p, const struct loc *at)
{
	struct btf *b;
	int proto, skip;

	if (p->kind != P_KPROBE || !p->ret) {
		qdiag(!at, at, "'$return' is only available in .return probes");
		return 1;
	}
	if (p->site || !typed_opt || !(b = typed_btf(typed_opt, NULL)))
		return 0;
	proto = typed_proto(b, p, &skip);
	if (proto < 0 || btf__type_by_id(b, proto)->type)
		return 0;
	qdiag(!at, at, "function '%s' has no return value", p->symbol);
	return 1;
}

int tbase_param(struct twalk *w, const struct expr *e, int i)
{
	int64_t size = kbtf_size(w->b, w->type);
	char tn[128];

	if (size < 0 || size > 8) {
		kbtf_type_name(w->b, w->type, tn, sizeof(tn));
		twarn(w, &e->loc, "parameter '$%s' is a '%s' passed by value: not supported",
		      e->tgt->name, tn);
		return -1;
	}
	w->mem = 0;		/* w->argn: where base_var() found it (kbtf_arg_word()) */
	if (w->p->kind == P_TRACE) {
		tprintf(w, "(uint64_t)rt_trace_arg(c, %d)", i);
		return 0;
	}
	if (w->p->ret && !w->in_entry) {
		w->entry = 1;
		w->nslots = 1;
		tprintf(w, "(uint64_t)rt_entry_slot(c, %lld)", (long long)e->num - 1);
		return 0;
	}
	if (w->argn <= 6)
		tprintf(w, "(uint64_t)rt_reg_arg(c, %d, ", w->argn);
	else
		tprintf(w, "rt_stack_arg(c, %d, ", w->argn - 6);
	twhere(w);
	tput(w, ")");
	return 0;
}

static int not_value(struct twalk *w, const struct expr *e, const char *why)
{
	char tn[128];

	kbtf_type_name(w->b, w->type, tn, sizeof(tn));
	twarn(w, &e->loc, "this target expression is a '%s': %s", tn, why);
	return -1;
}

int tfinal(struct twalk *w, const struct expr *e)
{
	int id = kbtf_strip(w->b, w->type), sign;
	const struct btf_type *t = btf__type_by_id(w->b, id);
	int64_t size;

	w->ty = TY_LONG;
	if (e->tgt->addr) {
		if (!w->mem || w->bf.bits)
			return not_value(w, e, "it has no address (a register or a bitfield)");
		tprintf(w, "; (int64_t)_t%d; })", w->id);
		return 0;
	}
	if (w->bf.bits) {
		scalar(w->b, id, &size, &sign);
		tprintf(w, "; rt_kbits(c, _t%d + %u, %u, %u, %d, ", w->id, w->bf.off_bits / 8,
			w->bf.off_bits % 8, w->bf.bits, sign);
		twhere(w);
		tput(w, "); })");
		return 0;
	}
	if (scalar(w->b, id, &size, &sign)) {
		if (!w->mem) {
			tprintf(w, "; (int64_t)(%s)_t%d; })", ctype(size, sign), w->id);
			return 0;
		}
		tprintf(w, "; (int64_t)(%s)rt_kread(c, _t%d, %lld, ", ctype(size, sign), w->id,
			(long long)size);
		twhere(w);
		tput(w, "); })");
		return 0;
	}
	if (btf_is_array(t) && is_char(w->b, btf_array(t)->type) && w->mem) {
		w->ty = TY_STRING;
		w->chararr = 1;
		if (w->o)
			tprintf(w, "; rt_kread_str(c, l->tmp[%d], _t%d, %u, ", w->o->ntemps++,
				w->id, btf_array(t)->nelems);
		twhere(w);
		tput(w, "); })");
		return 0;
	}
	if (e->tgt->base == TG_CAST && !e->tgt->ncomps && w->mem) {
		tprintf(w, "; (int64_t)_t%d; })", w->id);	/* @cast(p, "T") alone: p */
		return 0;
	}
	return not_value(w, e, "not a value (take a member, or pretty-print it with a "
			 "trailing '$')");
}

/** tstore_new - the C of the new value _n from the old _o and the right side _v */
static void tstore_new(struct twalk *w, const struct expr *s)
{
	char op[4];

	if (s->kind == E_INCDEC) {
		tprintf(w, "_o %c 1", s->op[0]);
		return;
	}
	if (!strcmp(s->op, "=")) {
		tput(w, "_v");
		return;
	}
	if (!strcmp(s->op, "/=") || !strcmp(s->op, "%=")) {
		tprintf(w, "rt_%s(c, _o, _v, ", s->op[0] == '/' ? "div" : "mod");
		emit_near(w->o, "division by 0", "operator", s->op, &s->loc);
		tput(w, ")");
		return;
	}
	snprintf(op, sizeof(op), "%.*s", (int)strlen(s->op) - 1, s->op);
	tprintf(w, "_o %s _v", op);
}

/**
 * tstore - end a walk that writes (w->store, guru mode): the scalar in hand gets the new
 * value: memory with rt_kwrite() (a bitfield with rt_kbits_set()), a parameter's register
 * or stack slot with rt_arg_set(), $return with rt_return_set().  The expression's value
 * is the new one (the old one for a postfix ++ or --).  SystemTap 4.8's errors
 * (dwflpp.cxx): "cannot write to array address" (a char array too: a string target),
 * "cannot write to member address" (&...); a struct or union cannot be assigned.
 * w->type 0 with a register in hand: an untyped long ($return of a void or kprobe one).
 */
int tstore(struct twalk *w, const struct expr *e)
{
	const struct expr *s = w->store;
	int id = w->type ? kbtf_strip(w->b, w->type) : 0, sign = 1, rmw;
	const struct btf_type *t = id ? btf__type_by_id(w->b, id) : NULL;
	int64_t size = 8;
	char tn[128];

	w->ty = TY_LONG;
	if (e->tgt->addr) {
		twarn(w, &e->loc, "cannot write to member address");
		return -1;
	}
	if (id && btf_is_array(t)) {
		twarn(w, &e->loc, "cannot write to array address");
		return -1;
	}
	if (id && !scalar(w->b, id, &size, &sign)) {
		kbtf_type_name(w->b, w->type, tn, sizeof(tn));
		twarn(w, &e->loc, "cannot write to a '%s': only an integer, an enum or a "
		      "pointer can be assigned", tn);
		return -1;
	}
	if (!w->o)
		return 0;
	rmw = s->kind == E_INCDEC || strcmp(s->op, "=");
	tprintf(w, "; int64_t _o = 0, _n; (void)_t%d; (void)_o", w->id);
	if (rmw && w->bf.bits) {
		tprintf(w, "; _o = rt_kbits(c, _t%d + %u, %u, %u, %d, ", w->id,
			w->bf.off_bits / 8, w->bf.off_bits % 8, w->bf.bits, sign);
		twhere(w);
		tput(w, ")");
	} else if (rmw && w->mem) {
		tprintf(w, "; _o = (%s)rt_kread(c, _t%d, %lld, ", ctype(size, sign), w->id,
			(long long)size);
		twhere(w);
		tput(w, ")");
	} else if (rmw) {
		tprintf(w, "; _o = (%s)_t%d", ctype(size, sign), w->id);
	}
	tput(w, "; _n = ");
	tstore_new(w, s);
	if (w->bf.bits)
		tprintf(w, "; rt_kbits_set(c, _t%d + %u, %u, %u, _n, ", w->id,
			w->bf.off_bits / 8, w->bf.off_bits % 8, w->bf.bits);
	else if (w->mem)
		tprintf(w, "; rt_kwrite(c, _t%d, _n, %lld, ", w->id, (long long)size);
	else if (e->tgt->base == TG_RETURN)
		tput(w, "; rt_return_set(c, _n, ");
	else
		tprintf(w, "; rt_arg_set(c, %d, _n, ", w->argn);
	twhere(w);
	tprintf(w, "); %s; })", s->kind == E_INCDEC && s->post ? "_o" : "_n");
	return 0;
}

/* pretty printing: pieces appended to _sID with rt_tcat(), objects at _tID + offset */

static void pretty_obj(struct twalk *w, int id, uint32_t off, int depth, int max);

static void pretty_scalar(struct twalk *w, int id, uint32_t off, int pretty)
{
	const struct btf_type *t = btf__type_by_id(w->b, id);
	int64_t size;
	int sign;

	scalar(w->b, id, &size, &sign);
	if (btf_is_ptr(t) && pretty && is_char(w->b, t->type)) {
		tprintf(w, "rt_tcat_kstr(c, _s%d, rt_kread(c, _t%d + %u, 8, ", w->id, w->id, off);
		twhere(w);
		tput(w, ")); ");
		return;
	}
	tprintf(w, "rt_tcat(_s%d, \"%s\", (%s)(%s)rt_kread(c, _t%d + %u, %lld, ", w->id,
		!pretty ? "0x%llx" : btf_is_ptr(t) ? ptr_fmt(w->b, t) : sign ? "%lld" : "%llu",
		sign ? "long long" : "unsigned long long", ctype(size, sign), w->id, off,
		(long long)size);
	twhere(w);
	tput(w, ")); ");
}

static void pretty_members(struct twalk *w, int id, uint32_t off, int depth, int max,
			   int *first)
{
	const struct btf_type *t = btf__type_by_id(w->b, id);
	const struct btf_member *m = btf_members(t);
	int i, sign, mid;
	int64_t size;

	for (i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(w->b, m->name_off);
		uint32_t bo = off * 8 + btf_member_bit_offset(t, i);
		uint32_t bits = btf_member_bitfield_size(t, i);

		mid = kbtf_strip(w->b, m->type);
		if (!*mn && btf_is_composite(btf__type_by_id(w->b, mid))) {
			pretty_members(w, mid, bo / 8, depth, max, first);
			continue;
		}
		tprintf(w, "rt_tcat(_s%d, \"%s.%s=\"); ", w->id, *first ? "" : ", ", mn);
		*first = 0;
		if (bits) {
			scalar(w->b, mid, &size, &sign);
			tprintf(w, "rt_tcat(_s%d, \"%s\", (long long)rt_kbits(c, _t%d + %u, %u, "
				"%u, %d, ", w->id, sign ? "%lld" : "%llu", w->id, bo / 8, bo % 8,
				bits, sign);
			twhere(w);
			tput(w, ")); ");
			continue;
		}
		pretty_obj(w, mid, bo / 8, depth + 1, max);
	}
}

/** pretty_obj - the object of type @id at _tID + @off, at nesting @depth of @max */
static void pretty_obj(struct twalk *w, int id, uint32_t off, int depth, int max)
{
	const struct btf_type *t;
	int64_t size;
	int sign, first = 1;

	id = kbtf_strip(w->b, id);
	t = btf__type_by_id(w->b, id);
	if (scalar(w->b, id, &size, &sign)) {
		pretty_scalar(w, id, off, 1);
	} else if (btf_is_array(t) && is_char(w->b, btf_array(t)->type)) {
		tprintf(w, "rt_tcat_karr(c, _s%d, _t%d + %u, %u); ", w->id, w->id, off,
			btf_array(t)->nelems);
	} else if (btf_is_array(t)) {
		if (max > 1 && depth < max && btf_array(t)->nelems) {
			tprintf(w, "rt_tcat(_s%d, \"[\"); ", w->id);
			pretty_obj(w, btf_array(t)->type, off, depth + 1, max);
			tprintf(w, "rt_tcat(_s%d, \"%s]\"); ", w->id, btf_array(t)->nelems > 1 ?
				", ..." : "");
		} else {
			tprintf(w, "rt_tcat(_s%d, \"[...]\"); ", w->id);
		}
	} else if (btf_is_composite(t) && depth < max) {
		tprintf(w, "rt_tcat(_s%d, \"{\"); ", w->id);
		pretty_members(w, id, off, depth, max, &first);
		tprintf(w, "rt_tcat(_s%d, \"}\"); ", w->id);
	} else if (btf_is_composite(t)) {
		tprintf(w, "rt_tcat(_s%d, \"{...}\"); ", w->id);
	} else {
		tprintf(w, "rt_tcat(_s%d, \"?\"); ", w->id);
	}
}

/** pretty_start - the string temporary of a pretty-printed value */
static void pretty_start(struct twalk *w)
{
	w->ty = TY_STRING;
	if (w->o)
		tprintf(w, "; char *_s%d = l->tmp[%d]; _s%d[0] = '\\0'; ", w->id, w->o->ntemps++,
			w->id);
}

/** tpretty_value - $x$ and $x$$: the object in hand (through one pointer) */
int tpretty_value(struct twalk *w, const struct expr *e)
{
	int id = kbtf_strip(w->b, w->type), max = e->tgt->pretty == 2 ? 4 : 1;
	const struct btf_type *t = btf__type_by_id(w->b, id);
	int64_t size;
	int sign;

	if (e->tgt->addr)
		return not_value(w, e, "a pretty-printed value has no address");
	if (w->bf.bits)
		return tfinal(w, e);
	pretty_start(w);
	if (btf_is_ptr(t) && t->type && btf_is_composite(btf__type_by_id(w->b,
							  kbtf_strip(w->b, t->type)))) {
		if (w->mem) {
			tprintf(w, "_t%d = rt_kread(c, _t%d, 8, ", w->id, w->id);
			twhere(w);
			tput(w, "); ");
		}
		id = kbtf_strip(w->b, t->type);
		w->mem = 1;
	}
	if (!w->mem) {			/* a value in a register */
		if (!scalar(w->b, id, &size, &sign))
			return not_value(w, e, "not in a register");
		tprintf(w, "rt_tcat(_s%d, \"%s\", (%s)(%s)_t%d); ", w->id,
			btf_is_ptr(t) ? ptr_fmt(w->b, t) : sign ? "%lld" : "%llu",
			sign ? "long long" : "unsigned long long", ctype(size, sign), w->id);
		if (btf_is_ptr(t) && is_char(w->b, t->type))
			tprintf(w, "_s%d[0] = '\\0'; rt_tcat_kstr(c, _s%d, _t%d); ", w->id, w->id,
				w->id);
	} else {
		pretty_obj(w, id, 0, 0, max);
	}
	tprintf(w, "(const char *)_s%d; })", w->id);
	return 0;
}

/**
 * param_value - the C of parameter @i (0-based) of the FUNC_PROTO w->type: its register
 * or stack word (kbtf_arg_word()), its entry slot, or the tracepoint's argument
 */
static void param_value(struct twalk *w, const struct expr *e, int i)
{
	int at;

	if (w->p->kind == P_TRACE) {
		tprintf(w, "rt_trace_arg(c, %d)", i);
		return;
	}
	if (w->p->ret && !w->in_entry) {
		tprintf(w, "rt_entry_slot(c, %lld)", (long long)e->num - 1 + i);
		return;
	}
	at = kbtf_arg_word(w->b, w->type, i);
	if (at <= 6)
		tprintf(w, "rt_reg_arg(c, %d, ", at);
	else
		tprintf(w, "rt_stack_arg(c, %d, ", at - 6);
	twhere(w);
	tput(w, ")");
}

/** pretty_reg - "NAME=" and the value @val (C text) of type @id into _sID */
static void pretty_reg(struct twalk *w, const char *name, int id, int pretty, int i,
		       const struct expr *e)
{
	const struct btf_type *t;
	int64_t size;
	int sign;

	id = kbtf_strip(w->b, id);
	t = btf__type_by_id(w->b, id);
	tprintf(w, "rt_tcat(_s%d, \"%s%s=\"); ", w->id, i > 0 ? " " : "", name);
	if (!scalar(w->b, id, &size, &sign)) {
		tprintf(w, "rt_tcat(_s%d, \"%s\"); ", w->id, btf_is_composite(t) ? "{...}" : "?");
		return;
	}
	if (pretty && btf_is_ptr(t) && is_char(w->b, t->type)) {
		tprintf(w, "rt_tcat_kstr(c, _s%d, ", w->id);
		if (i < 0)
			tput(w, "rt_returnval(c, \"\")");
		else
			param_value(w, e, i);
		tput(w, "); ");
		return;
	}
	if (pretty && btf_is_ptr(t) && t->type &&
	    btf_is_composite(btf__type_by_id(w->b, kbtf_strip(w->b, t->type)))) {
		tprintf(w, "_t%d = ", w->id);	/* $$parms$: the struct it points to */
		if (i < 0)
			tput(w, "rt_returnval(c, \"\")");
		else
			param_value(w, e, i);
		tprintf(w, "; if (!_t%d) rt_tcat(_s%d, \"0x0\"); else { ", w->id, w->id);
		pretty_obj(w, t->type, 0, 0, pretty == 2 ? 4 : 1);
		tput(w, "} ");
		return;
	}
	tprintf(w, "rt_tcat(_s%d, \"%s\", (%s)(%s)", w->id,
		!pretty ? "0x%llx" : btf_is_ptr(t) ? ptr_fmt(w->b, t) : sign ? "%lld" : "%llu",
		sign ? "long long" : "unsigned long long", ctype(size, sign));
	if (i < 0) {
		tput(w, "rt_returnval(c, ");
		twhere(w);
		tput(w, ")");
	} else {
		param_value(w, e, i);
	}
	tput(w, "); ");
}

/*
 * tpretty_clone - $$parms, $$vars or $$return in a probe on a compiler clone that a
 * FUNC@FILE wildcard matched (__set_oom_adj.isra.0): the BTF has no type for a clone, and
 * its parameters are not where the prototype puts them, so the value is "" (4.8 reads the
 * clone's DWARF locations), with one warning per script
 */
static int tpretty_clone(struct twalk *w, const struct expr *e)
{
	static int warned;

	w->ty = TY_STRING;
	if (w->o)
		emit_cstr(w->o, "");
	else if (!warned++)
		warn(&e->loc, "'$$%s' is \"\" in '%s', a compiler clone that has no BTF type "
		     "information (its parameters are not where its prototype puts them)",
		     e->tgt->name, w->p->symbol);
	return 0;
}

/** tpretty_all - $$parms, $$vars, $$locals (no locals in BTF), $$return */
int tpretty_all(struct twalk *w, const struct expr *e)
{
	const struct btf_type *t;
	const struct btf_param *q;
	int proto, i, skip;

	if (e->tgt->addr)
		return twarn(w, &e->loc, "cannot take the address of '$$%s'", e->tgt->name), -1;
	if (e->tgt->base == TG_DNAME || e->tgt->base == TG_DSYSTEM) {
		if (w->p->kind != P_TRACE)
			return twarn(w, &e->loc, "'$$%s' is only available in kernel.trace probes",
				     e->tgt->name), -1;
		w->ty = TY_STRING;
		if (w->o)
			emit_cstr(w->o, e->tgt->base == TG_DNAME ? w->p->symbol :
				  trace_system_of(w->p->symbol));
		return 0;
	}
	proto = typed_proto(w->b, w->p, &skip);
	if (proto == -1 && strchr(w->p->symbol, '.'))
		return tpretty_clone(w, e);
	if (proto < 0) {
		twarn(w, &e->loc, "'$$%s' needs a kernel.function or kernel.trace probe with BTF "
		      "type information", e->tgt->name);
		return -1;
	}
	t = btf__type_by_id(w->b, proto);
	w->type = proto;	/* param_value() finds the parameters in it */
	if (e->tgt->base == TG_DRETURN && !w->p->ret) {
		twarn(w, &e->loc, "'$$return' is only available in .return probes");
		return -1;
	}
	w->ty = TY_STRING;
	if (!w->o)
		return (w->entry = w->p->ret && e->tgt->base != TG_DRETURN,
			w->nslots = btf_vlen(t) - skip, 0);
	tprintf(w, "({ uint64_t _t%d __maybe_unused; char *_s%d = l->tmp[%d]; _s%d[0] = '\\0'; ",
		w->id, w->id, w->o->ntemps++, w->id);
	if (e->tgt->base == TG_DRETURN) {
		if (t->type)
			pretty_reg(w, "return", t->type, e->tgt->pretty, -1, e);
	} else {
		q = btf_params(t);
		for (i = skip; i < btf_vlen(t); i++)
			pretty_reg(w, btf__name_by_offset(w->b, q[i].name_off), q[i].type,
				   e->tgt->pretty, i - skip, e);
	}
	tprintf(w, "(const char *)_s%d; })", w->id);
	return 0;
}

/**
 * typed_emit - the C of E_TARGET, E_DEFINED or E_ENTRY @e in the probe being emitted
 * (o->probe); in a .return probe, @entry values and parameters come from the slots the
 * entry handler filled
 */
void typed_emit(struct out *o, const struct expr *e)
{
	if (e->kind == E_ENTRY) {
		put(o, "rt_entry_slot(c, %lld)", (long long)e->num - 1);
		return;
	}
	if (e->kind == E_TARGET && typed_probe_of(o)->kind == P_PROCFS) {
		procfs_emit_target(o, e);
		return;
	}
	if (e->kind == E_TARGET && typed_probe_of(o)->kind == P_NETFILTER &&
	    !is_cast(e->tgt)) {
		netfilter_emit_target(o, e);
		return;
	}
	if (e->kind == E_DEFINED) {
		if (!e->b)
			put(o, "((int64_t)%d)", typed_defined(typed_probe_of(o), e));
		else
			emit_expr(o, typed_defined(typed_probe_of(o), e) ? e->a : e->b);
		return;
	}
	if (typed_probe_of(o)->kind == P_UPROBE && e->tgt->base != TG_RETURN &&
	    !is_cast(e->tgt)) {
		udwarf_emit(o, e);	/* a process function's parameter, from DWARF */
		return;
	}
	if (e->tgt->base == TG_RETURN && !e->tgt->ncomps && !e->tgt->pretty && !e->tgt->addr) {
		put(o, "rt_returnval(c, ");
		emit_near(o, "", "identifier", "$return", &e->loc);
		put(o, ")");
		return;
	}
	if (typed_walk_emit(o, e, 0))
		put(o, "({ BUILD_BUG(); 0; })");	/* sema checked it: cannot happen */
}

/** save_entry - the entry handler's saves for @e and what it contains */
static void save_entry(struct out *o, const struct expr *e)
{
	int i;

	if (!e)
		return;
	if (e->kind == E_ENTRY && e->num) {
		put(o, "\td[%lld] = ", (long long)e->num - 1);
		typed_entry_expr(o, e->a);
		put(o, ";\n");
		return;
	}
	if (e->kind == E_TARGET && e->num && !is_cast(e->tgt))
		typed_entry_params(o, e);
	for (i = 0; i < e->nargs; i++)
		save_entry(o, e->args[i]);
	save_entry(o, e->a);
	save_entry(o, e->b);
	save_entry(o, e->c);
}

static void save_stmt(struct out *o, const struct stmt *s)
{
	int i;

	if (!s)
		return;
	save_entry(o, s->e);
	save_entry(o, s->init);
	save_entry(o, s->step);
	for (i = 0; i < s->n && s->kind == S_BLOCK; i++)
		save_stmt(o, s->list[i]);
	save_stmt(o, s->body);
	save_stmt(o, s->other);
}

/**
 * typed_emit_entry - the entry handler of .return probe @p (o->probe): it saves the
 * @entry values and the parameters the body reads into the kretprobe instance's data
 * (SystemTap 4.8 synthesizes an entry probe the same way); @p->nentry int64_t slots
 */
void typed_emit_entry(struct out *o, const struct probe *p)
{
	put(o, "\nstatic void rt_entry_%d(const struct rt_pinfo *pi, struct pt_regs *regs, "
	    "int64_t *d)\n{\n", p->index);
	put(o, "\tstruct rt_context *c = rt_probe_enter(pi, regs);\n");
	put(o, "\tstruct fr_p%d *l;\n\n\tmemset(d, 0, %d * sizeof(*d));\n", p->index, p->nentry);
	put(o, "\tif (!c)\n\t\treturn;\n\tl = rt_frame(c, 0);\n");
	o->dyn = 0;		/* no action counting here: no loop, no "out" label */
	save_stmt(o, p->body);
	put(o, "\trt_probe_exit(c);\n}\n");
}
