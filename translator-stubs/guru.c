// SPDX-License-Identifier: GPL-2.0
/*
 * guru.c - embedded C (guru mode, stap -g; always allowed in tapset files), with
 * SystemTap 4.8's conventions (translate.cxx, c_unparser::emit_function):
 *
 *   %{ C %}                        at the top level: C at the module's file scope, in order
 *   function f:long(a:long) %{ C %}   a function whose body is C:
 *     STAP_ARG_a       parameter a, an lvalue (int64_t, or char[MAXSTRINGLEN] for a string)
 *     STAP_RETVALUE    the return value: int64_t, or the char buffer of a string function
 *     STAP_RETURN(v)   set the return value and return
 *     STAP_ERROR(...)  a run-time error, printf-style, and return
 *     CONTEXT          the probe's context: relaytap's struct rt_context (runtime.h),
 *                      not SystemTap's, so CONTEXT->field names are relaytap's
 *     MAXSTRINGLEN     RT_MAXSTRINGLEN
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

	for (i = 0; i < s->ncode; i++)
		put(o, "/* embedded C */\n%s\n", s->code[i]);
}

static void code_macros(struct out *o, const struct func *fn, int define)
{
	static const char *const names[] = { "CONTEXT", "MAXSTRINGLEN", "STAP_RETVALUE",
					      "STAP_RETURN", "STAP_ERROR", NULL };
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
	if (str)
		put(o, "#define STAP_RETURN(v) do { strscpy(rt_ret, (v), RT_MAXSTRINGLEN); "
		    "goto out; } while (0)\n");
	else
		put(o, "#define STAP_RETURN(v) do { rt_ret = (v); goto out; } while (0)\n");
	put(o, "#define STAP_ERROR(...) do { rt_failf(c, __VA_ARGS__); goto out; } while (0)\n");
	for (v = fn->params; v && v->param; v = v->next)
		put(o, "#define STAP_ARG_%s (l->l_%s)\n", v->name, v->name);
}

/**
 * emit_code_function - a function whose body is embedded C (emit.c's emit_function
 * calls it after the frame is set up and the parameters copied into it)
 * @o:  output
 * @fn: the function
 */
void emit_code_function(struct out *o, const struct func *fn)
{
	code_macros(o, fn, 1);
	put(o, "\t{\n%s\n\t}\n", fn->code);
	code_macros(o, fn, 0);
}
