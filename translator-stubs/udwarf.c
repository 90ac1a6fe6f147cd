// SPDX-License-Identifier: GPL-2.0
/*
 * udwarf.c - $name and $$parms in process("PATH").function("NAME") probes: the function's
 * parameters, their order and types, from the file's DWARF through libdw (elfutils).
 *
 * At the function's entry (the probed instruction is its first) the x86_64 SysV calling
 * convention puts the first six integer-class arguments (integers, enums, pointers, bool)
 * in rdi, rsi, rdx, rcx, r8 and r9, in order; floating-point ones go to SSE registers and
 * take no integer register.  So $name is the register of its parameter's integer-class
 * position, read as int_arg(n) and friends read it (runtime/strings.c, rt_reg_arg), and
 * cut to its type's size.  bpftrace reads uprobe arguments the same way.  A parameter
 * after one passed by value as a struct, union or long double, the seventh integer one or
 * later (on the stack), and floating-point ones are not read: each is an error that names
 * it.  DWARF location lists are not evaluated, so a parameter is read only at entry: in a
 * .return probe $name is an error (its register is gone); $return is returnval().
 */
#include <elfutils/libdw.h>
#include <dwarf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ast.h"
#include "emit.h"
#include "typed.h"
#include "typed-int.h"
#include "sema.h"

/**
 * struct uparm - one parameter
 * @name:  its name
 * @size:  its size in bytes
 * @sign:  a signed integer
 * @reg:   its integer register (1-6), or 0 when it is not in one
 * @why:   when @reg is 0: why not
 * @type:  its type's C name, as SystemTap 4.8's -L writes it ("char const*")
 */
struct uparm {
	char name[128];
	char type[128];
	int size;
	int sign;
	int reg;
	const char *why;
};

#define MAX_PARMS	32

/**
 * parm_type - the class of type @t after typedefs and qualifiers: 'i' integer-class
 * (@size, @sign set), 'f' floating point, 'a' an aggregate or something else
 */
static int parm_type(Dwarf_Die *t, int *size, int *sign)
{
	Dwarf_Attribute a;
	Dwarf_Word enc = 0;
	Dwarf_Die d = *t;
	int tag;

	for (;;) {
		tag = dwarf_tag(&d);
		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type &&
		    tag != DW_TAG_volatile_type && tag != DW_TAG_restrict_type)
			break;
		if (!dwarf_attr_integrate(&d, DW_AT_type, &a) || !dwarf_formref_die(&a, &d))
			return 'a';
	}
	*size = dwarf_bytesize(&d);
	*sign = 0;
	if (tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type) {
		*size = 8;
		return 'i';
	}
	if (tag == DW_TAG_enumeration_type) {
		if (dwarf_attr_integrate(&d, DW_AT_type, &a) && dwarf_formref_die(&a, &d))
			return parm_type(&d, size, sign);
		*sign = 1;
		return *size > 0 && *size <= 8 ? 'i' : 'a';
	}
	if (tag != DW_TAG_base_type || !dwarf_attr(&d, DW_AT_encoding, &a) ||
	    dwarf_formudata(&a, &enc))
		return 'a';
	if (enc == DW_ATE_float || enc == DW_ATE_complex_float)
		return *size <= 8 ? 'f' : 'a';
	*sign = enc == DW_ATE_signed || enc == DW_ATE_signed_char;
	return *size > 0 && *size <= 8 ? 'i' : 'a';
}

/**
 * dw_type_name - the C name of DWARF type @t into @buf, as SystemTap 4.8's stap -L writes
 * it: qualifiers after the type ("char const*"), "struct x", "void" for none
 */
static void dw_type_name(Dwarf_Die *t, char *buf, size_t size, int depth)
{
	const char *kw = "", *suffix = "", *n;
	Dwarf_Attribute a;
	Dwarf_Die d;
	int has = t && dwarf_attr_integrate(t, DW_AT_type, &a) && dwarf_formref_die(&a, &d);
	size_t len;

	if (!t || depth > 8) {
		snprintf(buf, size, t ? "..." : "void");
		return;
	}
	switch (dwarf_tag(t)) {
	case DW_TAG_pointer_type: suffix = "*"; break;
	case DW_TAG_reference_type: suffix = "&"; break;
	case DW_TAG_const_type: suffix = " const"; break;
	case DW_TAG_volatile_type: suffix = " volatile"; break;
	case DW_TAG_restrict_type: suffix = " restrict"; break;
	case DW_TAG_array_type: suffix = "[]"; break;
	case DW_TAG_structure_type: kw = "struct "; break;
	case DW_TAG_union_type: kw = "union "; break;
	case DW_TAG_enumeration_type: kw = "enum "; break;
	case DW_TAG_subroutine_type: snprintf(buf, size, "void (*)()"); return;
	default:
		n = dwarf_diename(t);
		snprintf(buf, size, "%s", n ? n : "?");
		return;
	}
	if (*suffix) {
		dw_type_name(has ? &d : NULL, buf, size, depth + 1);
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s", suffix);
		return;
	}
	n = dwarf_diename(t);
	snprintf(buf, size, "%s%s", kw, n ? n : "{...}");
}

struct find {
	const char *name;
	Dwarf_Die die;
	int found;
};

static int find_func(Dwarf_Die *f, void *arg)
{
	struct find *x = arg;
	const char *n = dwarf_diename(f);
	Dwarf_Addr lo;

	if (!n || strcmp(n, x->name) || dwarf_lowpc(f, &lo))
		return DWARF_CB_OK;
	x->die = *f;
	x->found = 1;
	return DWARF_CB_ABORT;
}

/**
 * read_parms - the parameters of function @func of @file, from its DWARF
 * @loc:  the target expression, for errors
 * @v:    MAX_PARMS entries, filled in
 * @q:    no diagnostic (@defined asks)
 *
 * Return: how many, or -1 after a diagnostic (no DWARF, no such function).
 */
static int read_parms(const struct loc *loc, const char *file, const char *func,
		      struct uparm *v, int q)
{
	struct find x = { .name = func };
	Dwarf_Off off = 0, next;
	Dwarf_Die cu, c, t;
	Dwarf_Attribute a;
	size_t hsize;
	Dwarf *dw;
	int fd, n = 0, reg = 0, lost = 0, size, sign, k, rc, typed;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	dw = fd < 0 ? NULL : dwarf_begin(fd, DWARF_C_READ);
	if (!dw) {
		qdiag(q, loc, "'%s' has no debug information (DWARF) for the parameters of '%s': the "
		     "debuginfo is missing (build it with -g); use int_arg(n) and friends",
		     file, func);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (!x.found && !dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL)) {
		if (dwarf_offdie(dw, off + hsize, &cu))
			dwarf_getfuncs(&cu, find_func, &x, 0);
		off = next;
	}
	if (!x.found) {
		qdiag(q, loc, "'%s' in '%s' has no DWARF description (the debuginfo is missing for "
		     "it); use int_arg(n) and friends", func, file);
		n = -1;
		goto out;
	}
	for (rc = dwarf_child(&x.die, &c); !rc && n < MAX_PARMS; rc = dwarf_siblingof(&c, &c)) {
		if (dwarf_tag(&c) != DW_TAG_formal_parameter || !dwarf_diename(&c))
			continue;
		snprintf(v[n].name, sizeof(v[n].name), "%s", dwarf_diename(&c));
		typed = dwarf_attr_integrate(&c, DW_AT_type, &a) && dwarf_formref_die(&a, &t);
		k = typed ? parm_type(&t, &size, &sign) : 'a';
		dw_type_name(typed ? &t : NULL, v[n].type, sizeof(v[n].type), 0);
		v[n].size = size;
		v[n].sign = sign;
		v[n].reg = 0;
		if (k == 'f')
			v[n].why = "is floating point (passed in an SSE register)";
		else if (k == 'a' || lost)
			v[n].why = k == 'a' ? "is passed by value as an aggregate" :
				   "follows a parameter passed by value as an aggregate";
		else if (++reg > 6)
			v[n].why = "is passed on the stack (after six in registers)";
		else
			v[n].reg = reg;
		lost |= k == 'a';
		n++;
	}
out:
	dwarf_end(dw);
	close(fd);
	return n;
}

/** struct ufunc - a function's parameters, read once */
struct ufunc {
	const char *file;
	const char *func;
	int n;
	struct uparm v[MAX_PARMS];
};

static struct ufunc *cache[256];
static int ncache;

/** parms_of - the parameters of @p's function, cached; NULL after a diagnostic (unless @q) */
static const struct ufunc *parms_of(const struct loc *loc, const struct probe *p, int q)
{
	struct ufunc *f;
	int i;

	for (i = 0; i < ncache; i++)
		if (!strcmp(cache[i]->file, p->file) && !strcmp(cache[i]->func, p->symbol))
			return cache[i];
	f = xcalloc(1, sizeof(*f));
	f->file = p->file;
	f->func = p->symbol;
	f->n = read_parms(loc, p->file, p->symbol, f->v, q);
	if (f->n < 0) {
		free(f);
		return NULL;
	}
	if (ncache < 256)
		cache[ncache++] = f;
	return f;
}

/**
 * plt_sema - a target variable in a .plt probe (uplt.c): $$name, the entry's symbol name,
 * is all there is (4.8: "function arguments are not available, since PLTs are processed
 * without debuginfo")
 */
static int plt_sema(struct probe *p, struct expr *e)
{
	const struct tgt *t = e->tgt;

	if (t->base != TG_DNAME || t->ncomps || t->addr) {
		diag(&e->loc, "'$%s' is not available in .plt probes (they have $$name only: "
		     "a PLT entry has no debuginfo)", t->base == TG_DNAME ? "$name" : t->name);
		return -1;
	}
	e->type = TY_STRING;
	p->typed = 1;
	return 0;
}

/**
 * udwarf_sema - check $name, $$parms or $return @e in process function probe @p (not a
 * mark's) against its function's DWARF, and type it; each probe point is checked (a
 * wildcard's functions differ), and gets a handler of its own (@p->typed)
 *
 * Return: 0, or -1 after a diagnostic.
 */
int udwarf_sema(struct probe *p, struct expr *e)
{
	const struct tgt *t = e->tgt;
	const struct ufunc *f;
	char list[1024];
	size_t len = 0;
	int i;

	if (p->plt)
		return plt_sema(p, e);
	if (p->stmt) {
		diag(&e->loc, "'$%s' is not available in .statement probes: relaytap reads a "
		     "function's parameters at its entry only, from the registers (DWARF locations "
		     "are not evaluated; see stap(1))", t->base == TG_VAR ? t->name : "$...");
		return -1;
	}
	if (t->ncomps || t->addr || (t->pretty && t->base != TG_PARMS)) {
		diag(&e->loc, "'$%s': process probes read a parameter's value only (no members, "
		     "'&' or pretty-printing: the DWARF types are not walked)", t->name);
		return -1;
	}
	e->type = TY_LONG;
	if (t->base == TG_RETURN) {
		if (p->ret)
			return 0;
		diag(&e->loc, "'$return' is only available in .return probes");
		return -1;
	}
	if (t->base != TG_VAR && t->base != TG_PARMS) {
		diag(&e->loc, "'$%s' is not available in process probes (they have $name, "
		     "$$parms, and $return in .return)", t->name);
		return -1;
	}
	f = NULL;
	if (!p->ret || t->base != TG_PARMS) {	/* .return's $name: a parameter or not? */
		f = parms_of(&e->loc, p, 0);
		if (!f)
			return -1;
	}
	for (i = 0; f && i < f->n && strcmp(f->v[i].name, t->name); i++)
		;
	if (p->ret && (!f || i < f->n)) {
		diag(&e->loc, "'$%s' in a .return probe: relaytap reads parameters at entry only, "
		     "from the registers (see stap(1)); probe the function's entry",
		     t->base == TG_PARMS ? "$parms" : t->name);
		return -1;
	}
	p->typed = 1;
	if (t->base == TG_PARMS) {
		e->type = TY_STRING;
		return 0;
	}
	if (i == f->n) {
		list[0] = '\0';
		for (i = 0; i < f->n && len < sizeof(list) - 1; i++)
			len += snprintf(list + len, sizeof(list) - len, "%s$%s", i ? " " : "",
					f->v[i].name);
		diag(&e->loc, "'$%s' is not a parameter of '%s' in '%s' (%s%s)", t->name,
		     p->symbol, p->file, f->n ? "its parameters: " : "it has none", list);
		return -1;
	}
	if (!f->v[i].reg) {
		diag(&e->loc, "'$%s' of '%s' in '%s' %s, which relaytap does not read; see stap(1)",
		     t->name, p->symbol, p->file, f->v[i].why);
		return -1;
	}
	return 0;
}

/**
 * udwarf_defined - @defined(@x) in process function probe @p: 1 when udwarf_sema() would
 * accept @x there ($name of a parameter in a register, $$parms, $return in .return)
 */
int udwarf_defined(const struct probe *p, const struct expr *x)
{
	const struct tgt *t = x->tgt;
	const struct ufunc *f;
	int i;

	if (p->plt)
		return t->base == TG_DNAME && !t->ncomps && !t->addr;
	if (p->stmt)
		return 0;
	if (t->ncomps || t->addr || (t->pretty && t->base != TG_PARMS))
		return 0;
	if (t->base == TG_RETURN)
		return p->ret;
	if ((t->base != TG_VAR && t->base != TG_PARMS) || p->ret)
		return 0;
	f = parms_of(&x->loc, p, 1);
	if (!f || t->base == TG_PARMS)
		return f != NULL;
	for (i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].name, t->name))
			return f->v[i].reg != 0;
	return 0;
}

/** emit_parm - the C of parameter @q: its register, cut to its size */
static void emit_parm(struct out *o, const struct expr *e, const struct uparm *q)
{
	static const char *const casts[2][9] = {
		{ [1] = "u8", [2] = "u16", [4] = "u32", [8] = "u64" },
		{ [1] = "s8", [2] = "s16", [4] = "s32", [8] = "s64" },
	};
	const char *cast = q->size > 0 && q->size <= 8 ? casts[q->sign][q->size] : NULL;

	put(o, "((int64_t)(%s)rt_reg_arg(c, %d, ", cast ? cast : "s64", q->reg);
	emit_near(o, "", "identifier", e->tgt->name, &e->loc);
	put(o, "))");
}

/**
 * udwarf_emit - the C of $name or $$parms @e in the process probe being emitted (checked
 * by udwarf_sema); $$parms is "a=0x1 b=0x2", as SystemTap 4.8 formats integers and
 * pointers there (a parameter that is not in a register shows as '?')
 */
void udwarf_emit(struct out *o, const struct expr *e)
{
	const struct probe *p = typed_probe_of(o);
	const struct ufunc *f;
	int i, tmp;

	if (p->plt) {
		emit_cstr(o, p->symbol);
		return;
	}
	f = parms_of(&e->loc, p, 0);
	if (e->tgt->base == TG_VAR) {
		for (i = 0; strcmp(f->v[i].name, e->tgt->name); i++)
			;
		emit_parm(o, e, &f->v[i]);
		return;
	}
	tmp = o->ntemps++;
	put(o, "({ scnprintf(l->tmp[%d], RT_MAXSTRINGLEN, \"", tmp);
	for (i = 0; i < f->n; i++)
		put(o, "%s%s=%s", i ? " " : "", f->v[i].name, f->v[i].reg ? "0x%llx" : "?");
	put(o, "\"");
	for (i = 0; i < f->n; i++) {
		if (!f->v[i].reg)
			continue;
		put(o, ", (unsigned long long)");
		emit_parm(o, e, &f->v[i]);
	}
	put(o, "); (const char *)l->tmp[%d]; })", tmp);
}

/**
 * udwarf_assign_sema - with -g, $name = EXPR at a process function's entry (a parameter in
 * a register, checked as udwarf_sema() checks a read) or $return = EXPR in its .return:
 * the register is written before the function runs on (or its caller goes on), as
 * SystemTap 4.8 writes a parameter whose DWARF location is that register.  Only '=' (4.8
 * implements no other operator on target variables).
 * @sub, @scope: check EXPR (as typed_assign_sema())
 *
 * Return: 0, or -1 after a diagnostic.
 */
int udwarf_assign_sema(struct probe *p, struct expr *e,
		       int (*sub)(void *scope, struct expr *e), void *scope)
{
	struct expr *x = e->a;
	const struct tgt *t = x->tgt;

	if (e->kind != E_ASSIGN || strcmp(e->op, "=")) {
		diag(&x->loc, "Only the following assign operators are implemented on target "
		     "variables: '=' (a process function's '$%s')", t->name);
		return -1;
	}
	if (p->sdt_args || p->plt || p->stmt) {
		diag(&x->loc, "'$%s%s' cannot be written in a process .mark, .plt or .statement "
		     "probe (only a function's parameters at entry and its $return)",
		     t->base >= TG_PARMS ? "$" : "", t->name);
		return -1;
	}
	if (udwarf_sema(p, x))
		return -1;
	if (t->base != TG_VAR && t->base != TG_RETURN) {
		diag(&x->loc, "cannot write to pretty-printed variable");
		return -1;
	}
	x->type = TY_LONG;
	e->type = TY_LONG;
	return sub(scope, e->b) || want(e->b, TY_LONG);
}

/** udwarf_emit_assign - the C of a write checked by udwarf_assign_sema() */
void udwarf_emit_assign(struct out *o, const struct expr *e)
{
	const struct probe *p = typed_probe_of(o);
	const struct expr *x = e->a;
	const struct ufunc *f;
	int i;

	put(o, "({ int64_t _v = ");
	emit_expr(o, e->b);
	if (x->tgt->base == TG_RETURN) {
		put(o, "; rt_ureg_set(c, 0, _v, ");
	} else {
		f = parms_of(&x->loc, p, 0);
		for (i = 0; strcmp(f->v[i].name, x->tgt->name); i++)
			;
		put(o, "; rt_ureg_set(c, %d, _v, ", f->v[i].reg);
	}
	emit_near(o, "", "identifier", x->tgt->name, &x->loc);
	put(o, "); })");
}

/**
 * udwarf_list_vars - stap -L's target variables of resolved process probe @p, appended to
 * @buf (@size bytes): " $name:type" for each parameter that $name reads (in a register),
 * " $return:long" in a .return, " $argN:long" for a mark's arguments; 4.8 lists a
 * function's locals too, which relaytap does not read (see stap(1))
 */
void udwarf_list_vars(const struct probe *p, char *buf, size_t size)
{
	const struct ufunc *f;
	size_t len = strlen(buf);
	int i, n;

	if (p->sdt_args) {
		n = sdt_nargs(p->sdt_args);
		for (i = 1; i <= n; i++, len = strlen(buf))
			snprintf(buf + len, size - len, " $arg%d:long", i);
		return;
	}
	if (p->plt || p->stmt || !p->symbol || !p->file)
		return;
	if (p->ret) {
		snprintf(buf + len, size - len, " $return:long");
		return;
	}
	f = parms_of(&p->loc, p, 1);
	for (i = 0; f && i < f->n; i++, len = strlen(buf))
		if (f->v[i].reg)
			snprintf(buf + len, size - len, " $%s:%s", f->v[i].name, f->v[i].type);
}
