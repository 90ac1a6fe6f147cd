// SPDX-License-Identifier: GPL-2.0
/*
 * emit.c - C for the runtime from a checked syntax tree: globals, frames, statements,
 * probe handlers, functions and registration.
 *
 * Locals live in per-CPU frames (one per call depth, up to MAXNESTING), not on the
 * kernel stack.  Each distinct probe body becomes one handler, shared by all the probe
 * points that name it.  Every statement that can fail is followed by a check of
 * c->error, which ends the handler (and then the session).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "emit.h"
#include "sema.h"
#include "typed.h"

void put(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
}

static void indent(struct out *o)
{
	int i;

	for (i = 0; i < o->indent; i++)
		fputc('\t', o->f);
}

void line(struct out *o, const char *fmt, ...)
{
	va_list ap;

	indent(o);
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
	fputc('\n', o->f);
}

/** emit_cstr - @s as a C string literal */
void emit_cstr(struct out *o, const char *s)
{
	fputc('"', o->f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			put(o, "\\%c", *s);
		else if (*s == '\n')
			put(o, "\\n");
		else if (*s == '\t')
			put(o, "\\t");
		else if ((unsigned char)*s < 32 || (unsigned char)*s >= 127 || *s == '?')
			put(o, "\\%03o", (unsigned char)*s);
		else
			fputc(*s, o->f);
	}
	fputc('"', o->f);
}

static void emit_stmt(struct out *o, const struct stmt *s);

/**
 * emit_actions - count @n actions; subtract the count when SystemTap 4.8 would
 * @o:       output; nothing happens unless the body counts as it runs (@o->dyn)
 * @n:       actions to add
 * @tok:     the token SystemTap names in the error ("keyword", "identifier 'f'", ...)
 * @at:      where it is
 * @update:  subtract now (SystemTap's update=true: the end of a block, a jump, a call)
 * @inline_: emit inside an expression (a call's), not as a statement line
 *
 * translate.cxx's record_actions: the count is subtracted when @update is set and it is
 * not zero, or when it reaches 10; the subtraction checks "<= 0".
 */
void emit_actions(struct out *o, int n, const char *tok, const struct loc *at, int update,
		  int inline_)
{
	char msg[700];

	if (!o->dyn)
		return;
	o->pending += n;
	if (!((update && o->pending > 0) || o->pending >= 10))
		return;
	snprintf(msg, sizeof(msg), "MAXACTION exceeded near %s at %s:%d:%d", tok, at->file,
		 at->line, at->col);
	if (!inline_)
		indent(o);
	put(o, "if (unlikely(rt_actions(c, %d, ", o->pending);
	emit_cstr(o, msg);
	put(o, "))) goto out;%s", inline_ ? " " : "\n");
	o->pending = 0;
}

/**
 * tok_of - the statement SystemTap names for @s: 4.8's optimizer replaces a block of one
 * statement (empty ones dropped) by that statement, so its token is that statement's
 */
static const struct stmt *tok_of(const struct stmt *s)
{
	const struct stmt *one = NULL;
	int i;

	if (s->kind != S_BLOCK)
		return s;
	for (i = 0; i < s->n; i++) {
		if (s->list[i]->kind == S_EMPTY)
			continue;
		if (one)
			return s;
		one = s->list[i];
	}
	return one ? tok_of(one) : s;
}

/** emit_flush - subtract the count at the end of block @s (update=true, @s's token) */
static void emit_flush(struct out *o, const struct stmt *s)
{
	s = tok_of(s);
	emit_actions(o, 0, s->tok, &s->loc, 1, 0);
}

/** emit_checked - an expression statement, then the end of the handler on an error */
static void emit_checked(struct out *o, const struct expr *e)
{
	indent(o);
	put(o, "(void)");
	emit_expr(o, e);
	put(o, ";\n");
	line(o, "if (unlikely(c->error)) goto out;");
}

/**
 * emit_body - a loop body in do { } while (0), so that continue reaches the step and
 * skips the subtraction at the end of the body (4.8's continue label is after it)
 */
static void emit_body(struct out *o, const struct stmt *body)
{
	line(o, "do {");
	o->indent++;
	emit_stmt(o, body);
	emit_flush(o, body);
	o->indent--;
	line(o, "} while (0);");
}

/*
 * for and while: the initializer counts 1, the loop 1 before it starts and 1 for each
 * test of the condition; the step's 1 is counted where the loop ends (translate.cxx
 * visit_for_loop: the translator's count runs in the order of the text).
 */
static void emit_loop(struct out *o, const struct stmt *s)
{
	int outer = o->loop;

	o->loop = ++o->loops;
	if (s->init) {
		emit_checked(o, s->init);
		emit_actions(o, 1, s->tok, &s->loc, 0, 0);
	}
	emit_actions(o, 1, s->tok, &s->loc, 1, 0);
	line(o, "for (;;) {");
	o->indent++;
	emit_actions(o, 1, s->tok, &s->loc, 0, 0);
	if (s->e) {
		indent(o);
		put(o, "if (!(");
		emit_expr(o, s->e);
		put(o, ")) break;\n");
	}
	emit_body(o, s->body);
	if (s->step) {
		emit_checked(o, s->step);
		emit_actions(o, 1, s->tok, &s->loc, 0, 0);
	}
	o->indent--;
	line(o, "}");
	line(o, "brk_%d: __maybe_unused;", o->loop);
	o->loop = outer;
}

/**
 * emit_slice_keys - a foreach slice's keys, copied (strings into temporaries) so that
 * the loop body cannot change them
 */
static void emit_slice_keys(struct out *o, const struct expr *e)
{
	int i;

	put(o, "(union rt_key[]){ ");
	for (i = 0; i < e->nargs; i++) {
		if (expr_type(e->args[i]) == TY_STRING && !is_star(e->args[i])) {
			put(o, "{ .s = rt_str_set(l->tmp[%d], ", o->ntemps++);
			emit_expr(o, e->args[i]);
			put(o, ") }, ");
		} else {
			put(o, "{ .n = ");
			emit_expr(o, e->args[i]);
			put(o, " }, ");
		}
	}
	put(o, "}");
}

static void emit_foreach(struct out *o, const struct stmt *s)
{
	const char *a = s->e->sym->name;
	int outer = o->loop, i;

	o->loop = ++o->loops;
	line(o, "{");
	o->indent++;
	indent(o);
	put(o, "int64_t _lim = ");	/* before the sort, as 4.8 */
	if (s->step)
		emit_expr(o, s->step);
	else
		put(o, "S64_MAX");
	put(o, ";\n");
	line(o, "int _n = rt_map_sorted(&m_%s, fe_%d, %d, %d, %d, %s), _i;", a, s->id,
	     s->sort_key, s->sort_dir ? s->sort_dir : 1, s->sort_agg, s->step ? "_lim" : "0");
	if (s->init) {		/* a slice: its keys once, before the loop, as 4.8 */
		indent(o);
		put(o, "const union rt_key *_sk = ");
		emit_slice_keys(o, s->init);
		put(o, ";\n");
	}
	put(o, "\n");
	emit_actions(o, 1, s->tok, &s->loc, 1, 0);
	line(o, "for (_i = 0; _i < _n && _i < _lim; _i++) {");
	o->indent++;
	emit_actions(o, 1, s->tok, &s->loc, 0, 0);
	for (i = 0; i < s->n; i++) {
		const struct sym *v = s->vars[i]->sym;
		const char *pfx = v->global ? "g_" : "l->l_";

		if (v->type == TY_STRING)
			line(o, "rt_str_set(%s%s, rt_mentry_key_s(&m_%s, fe_%d[_i], %d));", pfx,
			     v->name, a, s->id, i);
		else
			line(o, "%s%s = rt_mentry_key_n(&m_%s, fe_%d[_i], %d);", pfx, v->name, a,
			     s->id, i);
	}
	if (s->init)	/* after the keys are set; a skipped entry still counts for limit */
		line(o, "if (!rt_map_match_mask(&m_%s, fe_%d[_i], _sk, %d))\n%*s\tcontinue;", a,
		     s->id, slice_mask(s->init), o->indent, "");
	emit_body(o, s->body);
	o->indent--;
	line(o, "}");
	o->indent--;
	line(o, "}");
	line(o, "brk_%d: __maybe_unused;", o->loop);
	o->loop = outer;
}

static void emit_delete(struct out *o, const struct stmt *s)
{
	const struct expr *e = s->e;

	indent(o);
	if (e->kind == E_INDEX && slice_mask(e) >= 0) {
		put(o, "rt_map_slice_delete(");
		emit_keys(o, e);
		put(o, ", %d);\n", slice_mask(e));
	} else if (e->kind == E_INDEX) {
		put(o, "rt_map_delete(");
		emit_keys(o, e);
		put(o, ");\n");
	} else if (e->sym->nkeys > 0 || e->sym->type == TY_STATS) {
		put(o, "rt_map_clear(&m_%s);\n", e->sym->name);
	} else {
		emit_expr(o, e);
		put(o, e->sym->type == TY_STRING ? "[0] = '\\0';\n" : " = 0;\n");
	}
	line(o, "if (unlikely(c->error)) goto out;");
	emit_actions(o, 1, s->tok, &s->loc, 0, 0);
}

static void emit_return(struct out *o, const struct stmt *s)
{
	if (s->e) {
		indent(o);
		if (o->fn->ret.type == TY_STRING) {
			put(o, "rt_str_set(rt_ret, ");
			emit_expr(o, s->e);
			put(o, ");\n");
		} else {
			put(o, "rt_ret = ");
			emit_expr(o, s->e);
			put(o, ";\n");
		}
		line(o, "if (unlikely(c->error)) goto out;");
	}
	emit_actions(o, 1, s->tok, &s->loc, 1, 0);
	line(o, "goto out;");
}

/* if: 1 before the condition; each branch's count is subtracted at its end */
static void emit_if(struct out *o, const struct stmt *s)
{
	int k = typed_fold(typed_probe_of(o), s->e);
	const struct stmt *live;

	emit_actions(o, 1, s->tok, &s->loc, 1, 0);
	if (k >= 0) {	/* @defined folded: sema resolved only the branch taken */
		live = k ? s->body : s->other;
		if (!live)
			return;
		line(o, "{");
		o->indent++;
		emit_stmt(o, live);
		emit_flush(o, live);
		o->indent--;
		line(o, "}");
		line(o, "if (unlikely(c->error)) goto out;");
		return;
	}
	indent(o);
	put(o, "if (");
	emit_expr(o, s->e);
	put(o, ") {\n");
	o->indent++;
	emit_stmt(o, s->body);
	emit_flush(o, s->body);
	o->indent--;
	if (s->other) {
		line(o, "} else {");
		o->indent++;
		emit_stmt(o, s->other);
		emit_flush(o, s->other);
		o->indent--;
	}
	line(o, "}");
	line(o, "if (unlikely(c->error)) goto out;");
}

/**
 * emit_try - try { A } catch (VAR) { B }, as 4.8's visit_try_block: A's error exits go to
 * a GCC local label 'out' of A's block; there an error other than MAXACTION is caught
 * (rt_catch: VAR gets its message), else the body ends as before
 */
static void emit_try(struct out *o, const struct stmt *s)
{
	emit_actions(o, 0, s->tok, &s->loc, 1, 0);
	line(o, "{");
	o->indent++;
	line(o, "__label__ try_ok_%d;", s->id);
	line(o, "{");
	o->indent++;
	line(o, "__label__ out;");
	emit_stmt(o, s->body);
	emit_flush(o, s->body);
	line(o, "goto try_ok_%d;", s->id);
	put(o, "out: __maybe_unused;\n");
	o->indent--;
	line(o, "}");
	indent(o);
	put(o, "if (!rt_catch(c, ");
	if (s->e)
		emit_expr(o, s->e);
	else
		put(o, "NULL");
	put(o, "))\n");
	line(o, "\tgoto out;");
	emit_stmt(o, s->other);
	emit_flush(o, s->other);
	put(o, "try_ok_%d: __maybe_unused;\n", s->id);
	o->indent--;
	line(o, "}");
}

static void emit_stmt(struct out *o, const struct stmt *s)
{
	int i;

	switch (s->kind) {
	case S_BLOCK:
		for (i = 0; i < s->n; i++)
			emit_stmt(o, s->list[i]);
		break;
	case S_EXPR:
		emit_checked(o, s->e);
		emit_actions(o, 1, s->tok, &s->loc, 0, 0);
		break;
	case S_EMPTY: break;
	case S_NEXT:
	case S_BREAK:
	case S_CONTINUE:
		emit_actions(o, 1, s->tok, &s->loc, 1, 0);
		if (s->kind == S_NEXT && o->fn)		/* the caller tries the next overload */
			line(o, "c->next = 1;");
		if (s->kind == S_NEXT)
			line(o, "goto out;");
		else if (s->kind == S_BREAK)
			line(o, "goto brk_%d;", o->loop);
		else
			line(o, "continue;");
		break;
	case S_IF: emit_if(o, s); break;
	case S_WHILE: case S_FOR: emit_loop(o, s); break;
	case S_FOREACH: emit_foreach(o, s); break;
	case S_DELETE: emit_delete(o, s); break;
	case S_RETURN: emit_return(o, s); break;
	case S_TRY: emit_try(o, s); break;
	}
}

/** emit_frame - the struct of a body's locals (and its temporaries, not cleared) */
void emit_frame(FILE *f, const char *name, const struct sym *v, int ntemps)
{
	fprintf(f, "struct %s {\n", name);
	for (; v; v = v->next) {
		if (v->type == TY_STRING)
			fprintf(f, "\tchar l_%s[RT_MAXSTRINGLEN];\n", v->name);
		else
			fprintf(f, "\tint64_t l_%s;\n", v->name);
	}
	fprintf(f, "\tchar tmp[%d][RT_MAXSTRINGLEN];\n};\n", ntemps ? ntemps : 1);
}

/** emit_params - a function's C parameter list */
static void emit_params(struct out *o, const struct func *fn)
{
	const struct sym *v;

	put(o, "struct rt_context *c%s", fn->ret.type == TY_STRING ? ", char *rt_ret" : "");
	for (v = fn->params; v && v->param; v = v->next)
		put(o, ", %s a_%s", v->type == TY_STRING ? "const char *" : "int64_t", v->name);
}

/** emit_fname - a function's C name: rt_fn_NAME, or rt_fn_NAME_INDEX when overloaded */
void emit_fname(struct out *o, const struct func *fn)
{
	put(o, fn->ovl ? "rt_fn_%s_%d" : "rt_fn_%s", fn->name, fn->index);
}

void emit_proto(struct out *o, const struct func *fn)
{
	put(o, "static __maybe_unused %s ", fn->ret.type == TY_STRING ? "const char *" : "int64_t");
	emit_fname(o, fn);
	put(o, "(");
	emit_params(o, fn);
	put(o, ")");
}

/**
 * emit_entry_check - a body with no loop checks on entry that @n actions remain
 * (4.8: "if (c->actionremaining < N)", with no subtraction); @msg is the error
 */
static void emit_entry_check(struct out *o, int n, const char *msg)
{
	o->pending = 0;
	indent(o);
	put(o, "if (unlikely(c->actions < %d)) {\n", n);
	indent(o);
	put(o, "\trt_fail(c, ");
	emit_cstr(o, msg);
	put(o, ");\n");
	line(o, "\tgoto out;");
	line(o, "}");
}

/**
 * emit_stable - 4.8 calls the stable builtins a body uses once, at its start, each as a
 * statement of its own, the last one met first; in a counting body each counts 1 and
 * each call subtracts the count before it
 */
static void emit_stable(struct out *o, const struct stmt *body)
{
	const struct expr *seen[16];
	char tok[80];
	int n = stable_calls(body, seen, 0, 16);

	o->pending = 0;
	while (n-- > 0) {
		snprintf(tok, sizeof(tok), "identifier '%s'", seen[n]->str);
		emit_actions(o, 0, tok, &seen[n]->loc, 1, 0);
		emit_actions(o, 1, tok, &seen[n]->loc, 0, 0);
	}
}

/** emit_function - a script function: a new frame one call deeper */
void emit_function(struct out *o, const struct func *fn)
{
	const struct sym *v;
	char where[600];

	o->fn = fn;
	o->indent = 1;
	o->ntemps = 0;
	put(o, "\n");
	emit_proto(o, fn);
	put(o, "\n{\n");
	line(o, "struct fr_f%d *l;", fn->index);
	if (fn->ret.type != TY_STRING)
		line(o, "int64_t rt_ret = 0;");
	put(o, "\n");
	if (fn->ret.type == TY_STRING)
		line(o, "rt_ret[0] = '\\0';");
	line(o, "if (unlikely(c->error))");
	line(o, "\treturn rt_ret;");
	line(o, "if (unlikely(c->nesting >= RT_MAXNESTING)) {");
	snprintf(where, sizeof(where), "MAXNESTING exceeded near identifier '%s' at %s:%d:%d",
		 fn->name, fn->loc.file, fn->loc.line, fn->loc.col);
	indent(o);
	put(o, "\trt_fail(c, ");
	emit_cstr(o, where);
	put(o, ");\n");
	line(o, "\treturn rt_ret;");
	line(o, "}");
	line(o, "l = rt_frame(c, ++c->nesting);");
	line(o, "memset(l, 0, offsetof(struct fr_f%d, tmp));", fn->index);
	for (v = fn->params; v && v->param; v = v->next)
		line(o, v->type == TY_STRING ? "strscpy(l->l_%s, a_%s, RT_MAXSTRINGLEN);" :
		     "l->l_%s = a_%s;", v->name, v->name);
	if (fn->code) {
		emit_code_function(o, fn);
		goto out;
	}
	o->dyn = func_loops((struct func *)fn);
	if (!o->dyn) {
		snprintf(where, sizeof(where), "MAXACTION exceeded near identifier '%s' at %s:%d:%d",
			 fn->name, fn->loc.file, fn->loc.line, fn->loc.col);
		emit_entry_check(o, func_actions((struct func *)fn), where);
	}
	emit_stable(o, fn->body);
	emit_stmt(o, fn->body);
	emit_flush(o, fn->body);
out:
	put(o, "out: __maybe_unused;\n");
	line(o, "c->nesting--;");
	line(o, "return rt_ret;");
	put(o, "}\n");
	o->fn = NULL;
}

/** emit_probe_body - the handler of a probe body, shared by the points naming it */
void emit_probe_body(struct out *o, const struct probe *p, const struct lockset *ls)
{
	o->ntemps = 0;
	o->probe = p;
	if (p->nentry)
		typed_emit_entry(o, p);
	put(o, "\n/* %s */\nstatic void rt_body_%d(const struct rt_pinfo *pi, struct pt_regs "
	    "*regs)\n{\n", p->point, p->index);
	o->indent = 1;
	line(o, "struct rt_context *c = rt_probe_enter(pi, regs);");
	line(o, "struct fr_p%d *l;", p->index);
	line(o, "int rt_held __maybe_unused = 0;");
	put(o, "\n");
	line(o, "if (!c)");
	line(o, "\treturn;");
	line(o, "l = rt_frame(c, 0);");
	line(o, "memset(l, 0, offsetof(struct fr_p%d, tmp));", p->index);
	emit_locks(o, ls);
	o->dyn = stmt_loops(p->body);
	if (!o->dyn)
		emit_entry_check(o, body_actions(p->body), "MAXACTION exceeded");
	emit_stable(o, p->body);
	emit_stmt(o, p->body);
	emit_flush(o, p->body);
	put(o, "out: __maybe_unused;\n");
	put(o, "unlock: __maybe_unused;\n");
	emit_unlocks(o, ls);
	line(o, "rt_probe_exit(c);");
	put(o, "}\n");
}
