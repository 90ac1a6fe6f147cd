/* SPDX-License-Identifier: GPL-2.0 */
/*
 * typed.h - typed kernel data from BTF: target variables ($name, $return, $$parms),
 * member and element access (->, [i]), &, @cast, @defined, @choose_defined, @entry.
 *
 * parse-target.c parses them into E_TARGET, E_DEFINED and E_ENTRY nodes; typed.c checks
 * them against the probe's function (btf.h) and gives their SystemTap type; typed-emit.c
 * writes their C, reading memory with the runtime's fault-safe helpers (runtime/typed.c).
 *
 * Tree shape, so that the generic walkers (locks, action counts) see every
 * sub-expression: E_TARGET's @cast pointer (or autocast operand) is its 'a', its [index]
 * expressions its 'args'; E_DEFINED's operand is 'a' (and @choose_defined's second one
 * 'b'); E_ENTRY's operand is 'a'.
 */
#ifndef RT_TYPED_H
#define RT_TYPED_H

#include "ast.h"

enum tgt_base {
	TG_VAR,		/* $name: a parameter */
	TG_RETURN,	/* $return */
	TG_CAST,	/* @cast(ptr, "type"[, "module"]) */
	TG_AUTO,	/* x->m, f()->m: autocast, the type x was assigned (typed-auto.c) */
	TG_PARMS,	/* $$parms */
	TG_VARS,	/* $$vars, $$locals (BTF has no locals: the parameters) */
	TG_DRETURN,	/* $$return */
	TG_DNAME,	/* $$name: a tracepoint's name */
	TG_DSYSTEM,	/* $$system: a tracepoint's system */
};

/**
 * struct tcomp - one step after the base
 * @name:  ->name, or NULL for [index]
 * @index: for [index], its position in the node's args
 * @loc:   where it is written
 */
struct tcomp {
	char *name;
	int index;
	struct loc loc;
};

/**
 * struct tgt - a target expression as written
 * @base:   TG_*
 * @name:   the variable name without '$' ("return" for $return)
 * @type:   @cast's type name ("task_struct", "struct task_struct")
 * @module: @cast's module ("kernel"), or NULL
 * @comps:  the steps
 * @ncomps: how many
 * @addr:   written with '&'
 * @pretty: 1 for a trailing '$', 2 for '$$'
 * @chararr: sema found a char array: a string, or its address where a long is wanted
 *           (SystemTap 4.8 types it as the address only: kernel_string($p->comm))
 */
struct tgt {
	enum tgt_base base;
	char *name;
	char *type;
	char *module;
	struct tcomp *comps;
	int ncomps;
	int addr;
	int pretty;
	int chararr;
};

/* is_cast - @t's base is a value of a script expression (@cast or autocast), not the probe's */
#define is_cast(t)	((t)->base == TG_CAST || (t)->base == TG_AUTO)

/* parse-target.c (used by parse-expr.c) */
struct parser;
struct expr *parse_dollar(struct parser *p, struct loc at);
struct expr *parse_at_target(struct parser *p, struct loc at, const char *name);
struct expr *parse_addr(struct parser *p);
struct expr *parse_autocast(struct parser *p, struct expr *base);
int is_at_target(const char *name);
void dump_target(FILE *f, const struct expr *e, void (*sub)(FILE *f, const struct expr *e));

/* typed.c (used by sema.c) */
int typed_sema(const struct options *opt, struct probe *p, struct expr *e,
	       int (*sub)(void *scope, struct expr *e), void *scope);

/* typed.c: guru-mode writes ($x = v, $p->m += v, $x++; used by sema.c and emit-expr.c) */
int typed_assign_sema(const struct options *opt, struct probe *p, struct expr *e,
		      int (*sub)(void *scope, struct expr *e), void *scope);

struct out;
void typed_emit_assign(struct out *o, const struct expr *e);

/* procfs.c: $value of procfs probes (used by typed.c and typed-emit.c) */
int procfs_target_sema(struct probe *p, struct expr *e);
int procfs_assign_sema(struct probe *p, struct expr *e,
		       int (*sub)(void *scope, struct expr *e), void *scope);
void procfs_emit_target(struct out *o, const struct expr *e);
void procfs_emit_assign(struct out *o, const struct expr *e);
int procfs_emit(struct out *o, const struct script *s, int *ndirs);

/* netfilter.c: netfilter hook target variables (used by typed.c and typed-emit.c) */
int netfilter_target_sema(const struct options *opt, struct probe *p, struct expr *e);
int netfilter_assign_sema(const struct options *opt, struct probe *p, struct expr *e,
			  int (*sub)(void *scope, struct expr *e), void *scope);
void netfilter_emit_target(struct out *o, const struct expr *e);
void netfilter_emit_assign(struct out *o, const struct expr *e);
int netfilter_emit(struct out *o, const struct script *s);

/* trace.c (used by probes.c, emit-script.c, main.c) */
int trace_point(struct probe *p, const struct options *opt);
int trace_list(const char *pattern, const struct options *opt, int vars);
void kfunc_list_params(FILE *f, const struct options *opt, const struct probe *p);
int trace_emit(struct out *o, const struct script *s);
struct btf *trace_btf(const struct options *opt, const struct probe *p);

/* modtp.c: tracepoints the target's modules define (used by trace.c) */
char **modtp_match(const struct options *opt, const char *pat, int *n);
const char *modtp_module(const struct options *opt, const char *name);
struct btf *modtp_btf(const struct options *opt, const char *name, struct btf *base);
int modtp_compressed(const struct options *opt);

/* udwarf.c: process function probes' parameters from DWARF (used by typed*.c) */
int udwarf_sema(struct probe *p, struct expr *e);
int udwarf_defined(const struct probe *p, const struct expr *x);
void udwarf_emit(struct out *o, const struct expr *e);
int udwarf_assign_sema(struct probe *p, struct expr *e,
		       int (*sub)(void *scope, struct expr *e), void *scope);
void udwarf_emit_assign(struct out *o, const struct expr *e);

/* typed-auto.c: autocast, a variable keeps the type of the typed pointer assigned to it
 * (used by parse-expr.c and sema.c) */
int typed_details(const struct options *opt, struct probe *p, const struct expr *e);
int typed_merge(int *tid, int d);
int typed_autocast_round(void);

/* kdwarf.c: the target kernel's DWARF when installed (used by probes.c, typed.c) */
#define KD_MAXPARMS	16

/* where an inlined copy's parameter is at its entry (a DWARF location, kdwarf.c) */
enum kd_loc { KD_NONE, KD_CONST, KD_REG, KD_MEM, KD_ADDR };

/**
 * struct kdparm - a parameter of an inlined copy, at the copy's entry
 * @name:  its name
 * @type:  its type as the BTF names it ("struct sock", "unsigned int", "gfp_t", "void")
 * @depth: the pointer levels on top of @type
 * @loc:   KD_CONST (@val), KD_REG (in DWARF register @reg), KD_MEM (in memory at @reg +
 *         @val), KD_ADDR (the value @reg + @val), KD_NONE (unreadable: @why)
 * @reg:   the DWARF register number (x86_64: 0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi,
 *         6 rbp, 7 rsp, 8-15 r8-r15)
 * @val:   the constant or the offset
 * @why:   why KD_NONE
 */
struct kdparm {
	char name[64];
	char type[128];
	int depth;
	enum kd_loc loc;
	int reg;
	int64_t val;
	const char *why;
};

/**
 * struct kdsite - an inlined copy of a function: the kprobe goes at @caller + @off
 * @caller: the function it was inlined into (a symbol)
 * @off:    the copy's entry, from @caller's start
 * @parms:  its parameters, @nparms of them
 */
struct kdsite {
	char *caller;
	unsigned long off;
	struct kdparm parms[KD_MAXPARMS];
	int nparms;
};

const char *kdwarf_path(const struct options *opt);
char **kdwarf_functions(const char *path, const char *func, const char *file, int *n);
int kdwarf_inline_sites(const char *path, const char *func, struct kdsite **sites);

/* typed-emit.c (used by emit-expr.c and emit.c) */
void typed_emit(struct out *o, const struct expr *e);
void typed_emit_entry(struct out *o, const struct probe *p);

int typed_fold(const struct probe *p, const struct expr *e);
struct out;
const struct probe *typed_probe_of(const struct out *o);

#endif /* RT_TYPED_H */
