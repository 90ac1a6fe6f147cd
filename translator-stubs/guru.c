// SPDX-License-Identifier: GPL-2.0
/*
 * guru.c - embedded C (guru mode, stap -g; always allowed in tapset files), with
 * SystemTap 4.8's conventions (translate.cxx, c_unparser::emit_function):
 *
 *   %{ C %}                        at the top level: C at the module's file scope, in order
 *   %{ C %} in an expression       a long, or a string with a / * string * / comment
 *   function f:long(a:long) %{ C %}   a function whose body is C:
 *     STAP_ARG_a       parameter a, an lvalue (int64_t, or char[MAXSTRINGLEN] for a string)
 *     STAP_RETVALUE    the return value: int64_t, or the char buffer of a string function
 *     STAP_RETURN(v)   set the return value and return
 *     STAP_ERROR(...)  a run-time error, printf-style, and return; as in 4.8 the message
 *                      ends "near identifier 'f' at FILE:LINE:COL" (the function's name)
 *     CONTEXT          the probe's context: relaytap's struct rt_context (runtime.h),
 *                      not SystemTap's, so CONTEXT->field names are relaytap's
 *     MAXSTRINGLEN     RT_MAXSTRINGLEN
 *     STAP_VERSION(a, b), STAP_COMPAT_VERSION   4.8's language version test
 *                      (STAP_VERSION(4, 8): the version relaytap follows)
 *   Comments such as / * pure * /, / * unprivileged * / and / * stable * / are accepted
 *   and change nothing.
 *
 * The function keeps the script function's frame and MAXNESTING check, so a call from
 * a probe looks the same as a call to a script function.
 */
#include <string.h>
#include "emit.h"

/**
 * emit_embedded - the script's top-level %{ %} blocks, at file scope after the runtime
 * @o: output
 * @s: the script
 */
void emit_embedded(struct out *o, const struct script *s)
{
	int i;

	put(o, "#define STAP_VERSION(a, b) (((a) << 8) + (b))\n"
	    "#define STAP_COMPAT_VERSION STAP_VERSION(4, 8)\n");
	for (i = 0; i < s->ncode; i++)
		put(o, "/* embedded C */\n%s\n", s->code[i]);
}

static void code_macros(struct out *o, const struct func *fn, int define, int tmp)
{
	static const char *const names[] = { "CONTEXT", "MAXSTRINGLEN", "STAP_RETVALUE",
					      "STAP_RETURN", "STAP_ERROR", "STAP_NEXT", NULL };
	const struct sym *v;
	int str = fn->ret.type == TY_STRING, i;

	if (!define) {
		for (i = 0; names[i]; i++)
			put(o, "#undef %s\n", names[i]);
		for (v = fn->params; v && v->param; v = v->next)
			put(o, "#undef STAP_ARG_%s\n", v->name);
		return;
	}
	put(o, "#define CONTEXT c\n#define MAXSTRINGLEN RT_MAXSTRINGLEN\n");
	put(o, "#define STAP_RETVALUE rt_ret\n");
	put(o, "#define STAP_NEXT do { c->next = 1; goto out; } while (0)\n");
	if (str)
		put(o, "#define STAP_RETURN(v) do { strscpy(rt_ret, (v), RT_MAXSTRINGLEN); "
		    "goto out; } while (0)\n");
	else
		put(o, "#define STAP_RETURN(v) do { rt_ret = (v); goto out; } while (0)\n");
	/* 4.8 adds where: "near identifier 'f' at FILE:LINE:COL", the function's name */
	put(o, "#define STAP_ERROR(...) do { snprintf(l->tmp[%d], RT_MAXSTRINGLEN, __VA_ARGS__); "
	    "rt_failf(c, \"%%s near identifier '%%s' at %%s:%%d:%%d\", l->tmp[%d], \"%s\", ",
	    tmp, tmp, fn->name);
	emit_cstr(o, fn->loc.file);
	put(o, ", %d, %d); goto out; } while (0)\n", fn->loc.line, fn->loc.col);
	for (v = fn->params; v && v->param; v = v->next)
		put(o, "#define STAP_ARG_%s (l->l_%s)\n", v->name, v->name);
}

/**
 * emit_code_expr - %{ C %} as an expression (4.8's embedded-expr): a long, or with
 * / * string * / a string, copied into a temporary; CONTEXT is the context
 * @o: output
 * @e: the expression
 */
void emit_code_expr(struct out *o, const struct expr *e)
{
	if (e->type == TY_STRING)
		put(o, "({ char *_t = l->tmp[%d]; strscpy(_t, (", o->ntemps++);
	else
		put(o, "((int64_t)(");
	put(o, "\n#define CONTEXT c\n%s\n#undef CONTEXT\n", e->str);
	put(o, e->type == TY_STRING ? "), RT_MAXSTRINGLEN); _t; })" : "))");
}

/**
 * emit_code_function - a function whose body is embedded C (emit.c's emit_function
 * calls it after the frame is set up and the parameters copied into it)
 * @o:  output
 * @fn: the function
 */
void emit_code_function(struct out *o, const struct func *fn)
{
	int tmp = o->ntemps++;

	code_macros(o, fn, 1, tmp);
	put(o, "\t{\n%s\n\t}\n", fn->code);
	code_macros(o, fn, 0, tmp);
}
