// SPDX-License-Identifier: GPL-2.0
/*
 * emit.c - C for the runtime from a checked syntax tree.
 *
 * Each probe becomes a function over its CPU's context; every statement that can fail is
 * followed by a check of c->error, which ends the handler (and then the session).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"

/**
 * struct out - the generated text
 * @f:      destination
 * @ntemps: string temporaries used by the current probe
 * @indent: current indentation
 * @loops:  loops emitted so far (labels)
 * @loop:   label number of the innermost loop
 */
struct out {
	FILE *f;
	int ntemps;
	int indent;
	int loops;
	int loop;
};

static void emit_expr(struct out *o, const struct expr *e);

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
}

static void line(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int i;

	for (i = 0; i < o->indent; i++)
		fputc('\t', o->f);
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
	fputc('\n', o->f);
}

/** emit_cstr - @s as a C string literal */
static void emit_cstr(struct out *o, const char *s)
{
	fputc('"', o->f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			put(o, "\\%c", *s);
		else if (*s == '\n')
			put(o, "\\n");
		else if (*s == '\t')
			put(o, "\\t");
		else if ((unsigned char)*s < 32 || (unsigned char)*s >= 127)
			put(o, "\\%03o", (unsigned char)*s);
		else
			fputc(*s, o->f);
	}
	fputc('"', o->f);
}

static enum type type_of(const struct expr *e)
{
	return e->kind == E_VAR ? e->sym->type : e->type;
}

static void emit_var(struct out *o, const struct expr *e)
{
	put(o, "%s_%s", e->sym->global ? "g" : "l", e->sym->name);
}

/** emit_loc_msg - "what near operator 'op' at file:line:col" as a C literal */
static void emit_loc_msg(struct out *o, const char *what, const struct expr *e)
{
	char buf[600];

	snprintf(buf, sizeof(buf), "%s near operator '%s' at %s:%d:%d", what, e->op,
		 e->loc.file, e->loc.line, e->loc.col);
	emit_cstr(o, buf);
}

static void emit_binary(struct out *o, const struct expr *e)
{
	if (!strcmp(e->op, ".")) {
		put(o, "rt_str_cat(c->tmp[%d], ", o->ntemps++);
		emit_expr(o, e->a);
		put(o, ", ");
		emit_expr(o, e->b);
		put(o, ")");
		return;
	}
	if (!strcmp(e->op, "/") || !strcmp(e->op, "%")) {
		put(o, "rt_%s(c, ", e->op[0] == '/' ? "div" : "mod");
		emit_expr(o, e->a);
		put(o, ", ");
		emit_expr(o, e->b);
		put(o, ", ");
		emit_loc_msg(o, "division by zero", e);
		put(o, ")");
		return;
	}
	if (type_of(e->a) == TY_STRING) {
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

static void emit_assign(struct out *o, const struct expr *e)
{
	if (e->type == TY_STRING) {
		put(o, "rt_str_%s(", strcmp(e->op, ".=") ? "set" : "append");
		emit_var(o, e->a);
		put(o, ", ");
		emit_expr(o, e->b);
		put(o, ")");
		return;
	}
	if (!strcmp(e->op, "/=") || !strcmp(e->op, "%=")) {
		put(o, "(");
		emit_var(o, e->a);
		put(o, " = rt_%s(c, ", e->op[0] == '/' ? "div" : "mod");
		emit_var(o, e->a);
		put(o, ", ");
		emit_expr(o, e->b);
		put(o, ", ");
		emit_loc_msg(o, "division by zero", e);
		put(o, "))");
		return;
	}
	put(o, "(");
	emit_var(o, e->a);
	put(o, " %s ", e->op);
	emit_expr(o, e->b);
	put(o, ")");
}

/**
 * emit_format - a SystemTap printf format as a kernel one: integer conversions take
 * 64-bit arguments, %p prints 0x and 16 hex digits
 */
static void emit_format(struct out *o, const char *fmt)
{
	char buf[2048];
	size_t n = 0;
	const char *p;

	for (p = fmt; *p && n < sizeof(buf) - 8; p++) {
		buf[n++] = *p;
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			buf[n++] = *++p;
			continue;
		}
		while (p[1] && strchr("-+ #0123456789.", p[1]) && n < sizeof(buf) - 8)
			buf[n++] = *++p;
		if (p[1] == 'p') {
			n--;
			memcpy(buf + n, "0x%016llx", 9);
			n += 9;
			p++;
		} else if (p[1] && strchr("diuxXo", p[1])) {
			buf[n++] = 'l';
			buf[n++] = 'l';
			buf[n++] = *++p;
		} else if (p[1]) {
			buf[n++] = *++p;
		}
	}
	buf[n] = '\0';
	emit_cstr(o, buf);
}

static void emit_print_arg(struct out *o, const struct expr *e)
{
	put(o, ", ");
	if (type_of(e) == TY_LONG)
		put(o, "(long long)");
	emit_expr(o, e);
}

static void emit_call(struct out *o, const struct expr *e)
{
	int i;

	if (!strcmp(e->str, "printf")) {
		put(o, "rt_printf(c, ");
		emit_format(o, e->args[0]->str);
		for (i = 1; i < e->nargs; i++)
			emit_print_arg(o, e->args[i]);
		put(o, ")");
	} else if (!strcmp(e->str, "print") || !strcmp(e->str, "println")) {
		put(o, "rt_printf(c, \"%s%s\"", type_of(e->args[0]) == TY_LONG ? "%lld" : "%s",
		    e->str[5] ? "\\n" : "");
		emit_print_arg(o, e->args[0]);
		put(o, ")");
	} else if (!strcmp(e->str, "execname")) {
		put(o, "rt_execname(c->tmp[%d])", o->ntemps++);
	} else {
		put(o, "rt_%s(c", e->str);
		for (i = 0; i < e->nargs; i++) {
			put(o, ", ");
			emit_expr(o, e->args[i]);
		}
		put(o, ")");
	}
}

static void emit_expr(struct out *o, const struct expr *e)
{
	switch (e->kind) {
	case E_NUM: put(o, "((int64_t)%lldLL)", (long long)e->num); break;
	case E_STR: emit_cstr(o, e->str); break;
	case E_VAR: emit_var(o, e); break;
	case E_CALL: emit_call(o, e); break;
	case E_BINARY: emit_binary(o, e); break;
	case E_ASSIGN: emit_assign(o, e); break;
	case E_UNARY:
		put(o, "(%s", e->op);
		emit_expr(o, e->a);
		put(o, ")");
		break;
	case E_INCDEC:
		put(o, "(%s", e->post ? "" : e->op);
		emit_var(o, e->a);
		put(o, "%s)", e->post ? e->op : "");
		break;
	case E_TERNARY:
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

static void emit_stmt(struct out *o, const struct stmt *s);

static void emit_checked(struct out *o, const struct expr *e)
{
	int i;

	for (i = 0; i < o->indent; i++)
		fputc('\t', o->f);
	put(o, "(void)");
	emit_expr(o, e);
	put(o, ";\n");
	line(o, "if (unlikely(rt_check(c))) goto out;");
}

static void emit_loop(struct out *o, const struct stmt *s)
{
	int outer = o->loop;

	o->loop = ++o->loops;
	if (s->init)
		emit_checked(o, s->init);
	line(o, "for (;;) {");
	o->indent++;
	if (s->e) {
		line(o, "if (unlikely(rt_check(c))) goto out;");
		for (int i = 0; i < o->indent; i++)
			fputc('\t', o->f);
		put(o, "if (!(");
		emit_expr(o, s->e);
		put(o, ")) break;\n");
	}
	line(o, "do {");
	o->indent++;
	emit_stmt(o, s->body);
	o->indent--;
	line(o, "} while (0);");
	if (s->step)
		emit_checked(o, s->step);
	o->indent--;
	line(o, "}");
	line(o, "brk_%d: ;", o->loop);
	o->loop = outer;
}

static void emit_stmt(struct out *o, const struct stmt *s)
{
	int i;

	switch (s->kind) {
	case S_BLOCK:
		for (i = 0; i < s->n; i++)
			emit_stmt(o, s->list[i]);
		break;
	case S_EXPR: emit_checked(o, s->e); break;
	case S_EMPTY: break;
	case S_NEXT: line(o, "goto out;"); break;
	case S_BREAK: line(o, "goto brk_%d;", o->loop); break;
	case S_CONTINUE: line(o, "continue;"); break;
	case S_IF:
		for (i = 0; i < o->indent; i++)
			fputc('\t', o->f);
		put(o, "if (");
		emit_expr(o, s->e);
		put(o, ") {\n");
		o->indent++;
		emit_stmt(o, s->body);
		o->indent--;
		if (s->other) {
			line(o, "} else {");
			o->indent++;
			emit_stmt(o, s->other);
			o->indent--;
		}
		line(o, "}");
		break;
	case S_WHILE:
	case S_FOR:
		emit_loop(o, s);
		break;
	}
}

static void emit_locals(struct out *o, const struct probe *p)
{
	const struct sym *v;

	for (v = p->locals; v; v = v->next) {
		if (v->type == TY_STRING)
			line(o, "char l_%s[RT_MAXSTRINGLEN] = \"\";", v->name);
		else
			line(o, "int64_t l_%s = 0;", v->name);
	}
}

/** expr_uses - whether @e reads or writes global @g; sets *@w for a write */
static int expr_uses(const struct expr *e, const struct sym *g, int *w)
{
	int i, hit = 0;

	if (!e)
		return 0;
	if (e->kind == E_VAR && !strcmp(e->str, g->name))
		return 1;
	if ((e->kind == E_ASSIGN || e->kind == E_INCDEC) && !strcmp(e->a->str, g->name))
		*w = hit = 1;
	for (i = 0; i < e->nargs; i++)
		hit |= expr_uses(e->args[i], g, w);
	return hit | expr_uses(e->a, g, w) | expr_uses(e->b, g, w) | expr_uses(e->c, g, w);
}

/** stmt_uses - whether @s reads or writes global @g; sets *@w for a write */
static int stmt_uses(const struct stmt *s, const struct sym *g, int *w)
{
	int i, hit;

	if (!s)
		return 0;
	hit = expr_uses(s->e, g, w) | expr_uses(s->init, g, w) | expr_uses(s->step, g, w);
	for (i = 0; i < s->n; i++)
		hit |= stmt_uses(s->list[i], g, w);
	return hit | stmt_uses(s->body, g, w) | stmt_uses(s->other, g, w);
}

/**
 * struct lockset - the globals a probe uses, in declaration order
 * @g:     the globals
 * @write: whether the probe writes each one
 * @n:     how many
 */
struct lockset {
	const struct sym *g[256];
	int write[256];
	int n;
};

/** probe_locks - the globals @p reads or writes, each with the lock kind it needs */
static void probe_locks(const struct script *s, const struct probe *p, struct lockset *ls)
{
	const struct sym *g;
	int w;

	ls->n = 0;
	for (g = s->globals; g && ls->n < 256; g = g->next) {
		w = 0;
		if (!stmt_uses(p->body, g, &w))
			continue;
		ls->g[ls->n] = g;
		ls->write[ls->n++] = w;
	}
}

/**
 * emit_locks - take the probe's globals in declaration order, each with a bounded
 * trylock; on contention the hit is skipped and counted (rt_held tells how far it got)
 */
static void emit_locks(struct out *o, const struct lockset *ls)
{
	int k;

	for (k = 0; k < ls->n; k++) {
		line(o, "if (!rt_glock_%s(&gl_%s))", ls->write[k] ? "write" : "read", ls->g[k]->name);
		line(o, "\tgoto unlock;");
		line(o, "rt_held = %d;", k + 1);
	}
}

/** emit_unlocks - count a skipped hit, release what emit_locks() took, newest first */
static void emit_unlocks(struct out *o, const struct lockset *ls)
{
	int k;

	line(o, "if (rt_held < %d)", ls->n);
	line(o, "\tc->skipped++;");
	for (k = ls->n - 1; k >= 0; k--) {
		line(o, "if (rt_held > %d)", k);
		line(o, "\t%s_unlock(&gl_%s);", ls->write[k] ? "write" : "read", ls->g[k]->name);
	}
}

static void emit_probe(struct out *o, const struct script *s, const struct probe *p)
{
	static struct lockset ls;
	char pp[600];

	snprintf(pp, sizeof(pp), "probe %s at %s:%d:%d", p->point, p->loc.file, p->loc.line,
		 p->loc.col);
	put(o, "\n/* %s */\nstatic void rt_probe_%d(void)\n{\n", p->point, p->index);
	o->indent = 1;
	o->ntemps = 0;
	line(o, "struct rt_context *c = rt_probe_enter(");
	put(o, "\t\t");
	emit_cstr(o, pp);
	put(o, ", %s);\n", p->kind == P_END || p->kind == P_ERROR ? "-1" : "RT_STATE_RUNNING");
	line(o, "int rt_held = 0;");
	emit_locals(o, p);
	line(o, "if (!c)");
	line(o, "\treturn;");
	probe_locks(s, p, &ls);
	emit_locks(o, &ls);
	emit_stmt(o, p->body);
	put(o, "out:\n");
	put(o, "unlock: __maybe_unused;\n");
	emit_unlocks(o, &ls);
	line(o, "rt_probe_exit(c);");
	put(o, "}\n");
}

static void emit_runner(struct out *o, const struct script *s, const char *name,
			enum probe_kind kind)
{
	const struct probe *p;

	put(o, "\nstatic void %s(void)\n{\n", name);
	for (p = s->probes; p; p = p->next)
		if (p->kind == kind)
			put(o, "\trt_probe_%d();\n", p->index);
	put(o, "}\n");
}

static void emit_globals(struct out *o, const struct script *s)
{
	const struct sym *g;

	for (g = s->globals; g; g = g->next) {
		if (g->type == TY_STRING)
			put(o, "static char g_%s[RT_MAXSTRINGLEN];\n", g->name);
		else
			put(o, "static int64_t g_%s;\n", g->name);
		put(o, "static DEFINE_RWLOCK(gl_%s);\n", g->name);
	}
}

/** emit_register - timer probes: their descriptors, registration and unregistration */
static void emit_register(struct out *o, const struct script *s)
{
	const struct probe *p;

	for (p = s->probes; p; p = p->next)
		if (p->kind == P_TIMER || p->kind == P_PROFILE)
			put(o, "\nstatic struct rt_timer_probe rt_tp_%d = { .fn = rt_probe_%d, "
			    ".period_ns = %lluULL, .percpu = %d };\n", p->index, p->index,
			    (unsigned long long)(p->kind == P_PROFILE ? 0 : p->period_ns),
			    p->kind == P_PROFILE);
	put(o, "\nstatic int rt_gen_register(void)\n{\n\tint ret = 0;\n\n");
	for (p = s->probes; p; p = p->next) {
		if (p->kind != P_TIMER && p->kind != P_PROFILE)
			continue;
		if (p->kind == P_PROFILE)
			put(o, "\trt_tp_%d.period_ns = TICK_NSEC;\n", p->index);
		put(o, "\tif (!ret)\n\t\tret = rt_timer_register(&rt_tp_%d);\n", p->index);
	}
	put(o, "\treturn ret;\n}\n\nstatic void rt_gen_unregister(void)\n{\n");
	for (p = s->probes; p; p = p->next)
		if (p->kind == P_TIMER || p->kind == P_PROFILE)
			put(o, "\trt_timer_unregister(&rt_tp_%d);\n", p->index);
	put(o, "}\n");
}

/**
 * emit_script - write the module's C source
 * @f: destination
 * @s: the checked script
 *
 * Return: 0, or -1 when writing failed.
 */
int emit_script(FILE *f, const struct script *s)
{
	struct out o = { 0 };
	const struct probe *p;
	char *text = NULL;
	size_t len = 0;
	int ntemps = 1;

	o.f = open_memstream(&text, &len);
	if (!o.f)
		return -1;
	for (p = s->probes; p; p = p->next) {
		emit_probe(&o, s, p);
		if (o.ntemps > ntemps)
			ntemps = o.ntemps;
	}
	fclose(o.f);
	o.f = f;
	put(&o, "/* generated by relaytap stap from %s */\n", s->file);
	put(&o, "#define RT_NTEMPS %d\n#include \"runtime.h\"\n\n", ntemps);
	emit_globals(&o, s);
	fwrite(text, 1, len, f);
	free(text);
	emit_runner(&o, s, "rt_gen_begin", P_BEGIN);
	emit_runner(&o, s, "rt_gen_end", P_END);
	emit_runner(&o, s, "rt_gen_error", P_ERROR);
	put(&o, "\nstatic int rt_gen_init(void)\n{\n\treturn 0;\n}\n");
	put(&o, "\nstatic void rt_gen_exit(void)\n{\n}\n");
	emit_register(&o, s);
	return ferror(f) ? -1 : 0;
}
