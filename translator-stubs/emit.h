/* SPDX-License-Identifier: GPL-2.0 */
/*
 * emit.h - what the files that write the module's C share: emit.c, emit-expr.c,
 * emit-script.c, actions.c, guru.c, regex.c, typed.c and the probe types' emitters
 * (trace.c, uproc.c, udwarf.c, hwbkpt.c, procfs.c, netfilter.c).
 */
#ifndef RT_EMIT_H
#define RT_EMIT_H

#include "ast.h"

/**
 * struct out - the generated text
 * @f:      destination
 * @s:      the script
 * @ntemps: string temporaries used by the current body
 * @indent: current indentation
 * @loops:  loops emitted so far (labels)
 * @loop:   label number of the innermost loop
 * @fn:     the function being emitted, or NULL in a probe
 * @fmts:   the printf formats met so far, each an E_CALL
 * @nfmts:  how many
 * @dyn:    the body being emitted counts actions as it runs (it has a loop: actions.c)
 * @pending: actions counted since the last subtraction (SystemTap's action_counter)
 * @ncalls: calls wrapped for a subtraction so far (names)
 * @probe:  the probe whose body is being emitted, or NULL (typed.h: target expressions)
 */
struct out {
	FILE *f;
	const struct script *s;
	int ntemps;
	int indent;
	int loops;
	int loop;
	const struct func *fn;
	const struct expr **fmts;
	int nfmts;
	int dyn;
	int pending;
	int ncalls;
	const struct probe *probe;
};

void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void line(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void emit_cstr(struct out *o, const char *s);
void emit_expr(struct out *o, const struct expr *e);
void emit_keys(struct out *o, const struct expr *e);
int slice_mask(const struct expr *e);
void emit_near(struct out *o, const char *what, const char *kind, const char *name,
	       const struct loc *at);

/**
 * struct lockset - the globals a probe uses (with the functions it calls), in
 * declaration order
 * @g:     the globals
 * @write: whether the probe writes each one
 * @n:     how many
 */
struct lockset {
	const struct sym **g;
	int *write;
	int n;
};

/* actions.c */
int builtin_charge(const char *name, int *stable);
int stmt_loops(const struct stmt *s);
int func_loops(struct func *f);
int func_actions(struct func *f);
int body_actions(const struct stmt *body);
int stable_calls(const struct stmt *s, const struct expr **seen, int n, int max);

/* emit.c */
void emit_actions(struct out *o, int n, const char *tok, const struct loc *at, int update,
		  int inline_);
void emit_frame(FILE *f, const char *name, const struct sym *v, int ntemps);
void emit_proto(struct out *o, const struct func *fn);
void emit_fname(struct out *o, const struct func *fn);
void emit_function(struct out *o, const struct func *fn);
void emit_probe_body(struct out *o, const struct probe *p, const struct lockset *ls);

/* regex.c */
void regex_emit_match(struct out *o, const struct expr *e);
int regex_emit(struct out *o, const struct script *s);

/* guru.c */
void emit_embedded(struct out *o, const struct script *s);
void emit_code_function(struct out *o, const struct func *fn);
void emit_code_expr(struct out *o, const struct expr *e);

/* hwbkpt.c */
int hwbkpt_emit(struct out *o, const struct script *s);

/**
 * struct body_span - where a probe's handler is in the text emit_bodies() wrote
 * @p:     the probe (the first with its body)
 * @start: offset of its first byte (its comment, or its entry handler)
 * @end:   offset after its last
 */
struct body_span {
	const struct probe *p;
	size_t start, end;
};

/* emit-share.c */
char *share_handlers(struct out *o, char *text, size_t *len, const struct body_span *spans,
		     int n, const int *ntemps);
const struct probe *share_leader(const struct probe *p);
const char *share_frame(const struct probe *p);
void share_emit_args(struct out *o, const struct probe *p);
void share_pinfo_fields(struct out *o, const struct probe *owner);
void share_reset(void);

/* emit-script.c */
const struct probe *first_with_body(const struct script *s, const struct probe *p);
void emit_locks(struct out *o, const struct lockset *ls);
void emit_unlocks(struct out *o, const struct lockset *ls);

#endif /* RT_EMIT_H */
