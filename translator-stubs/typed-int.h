/* SPDX-License-Identifier: GPL-2.0 */
/*
 * typed-int.h - what typed.c (the walk over a target expression) and typed-emit.c (its
 * C, pretty printing, @entry) share.
 */
#ifndef RT_TYPED_INT_H
#define RT_TYPED_INT_H

#include "btf.h"
#include "emit.h"
#include "typed.h"

/**
 * struct twalk - one walk over a target expression
 * @b:      the target's BTF
 * @p:      the probe it is in
 * @e:      the whole expression (errors and run-time messages name it)
 * @o:      the output, or NULL when only checking
 * @quiet:  report nothing (@defined asks)
 * @id:     names the C temporaries (_tID, _sID)
 * @type:   the BTF type in hand
 * @mem:    the value in hand (_tID) is the address of an object of @type; else it is
 *          the value itself (a register)
 * @bf:     a bitfield in hand (@bf.bits set): _tID is the address of its struct
 * @entry:  the walk reads values saved at entry (@nslots of them, from slot e->num - 1)
 * @nslots: how many
 * @in_entry: emitting the entry handler of a .return probe: read the registers
 * @ty:     the result's SystemTap type
 * @sub:    checks a sub-expression (an [index]), and @scope its scope
 * @store:  the walk writes: the E_ASSIGN or E_INCDEC whose left side it is (tstore())
 * @argn:   the parameter in hand is argument @argn (1-based) of the function
 * @names:  where an autocast's variables are found: the output being written (its probe's
 *          or function's locals), or NULL in sema (the symbols it just resolved)
 */
struct twalk {
	struct btf *b;
	const struct probe *p;
	const struct expr *e;
	struct out *o;
	int quiet;
	int id;
	int type;
	int mem;
	struct kbtf_field bf;
	int entry;
	int nslots;
	int in_entry;
	enum type ty;
	int chararr;		/* the value is a char array read as a string */
	int (*sub)(void *scope, struct expr *e);
	void *scope;
	const struct expr *store;
	int argn;
	const struct out *names;
};

/* typed.c */
extern const struct options *typed_opt;
extern struct probe typed_in_function;
int typed_walk_init(struct twalk *w, const struct options *opt, const struct probe *p,
		    const struct expr *e, int quiet);
struct btf *typed_btf(const struct options *opt, const struct loc *at);
int tgt_walk(struct twalk *w, const struct expr *e);
int typed_defined(const struct probe *p, const struct expr *e);
int typed_walk_emit(struct out *o, const struct expr *e, int in_entry);

void typed_entry_expr(struct out *o, const struct expr *a);
void typed_entry_params(struct out *o, const struct expr *e);

int typed_proto(const struct btf *b, const struct probe *p, int *skip);

/* typed-auto.c */
int tbase_auto(struct twalk *w, const struct expr *e);
int auto_deferred(const struct probe *p, struct expr *e);

/* kdwarf.c */
int tbase_kdwarf(struct twalk *w, const struct expr *e);

/* trace.c */
int typed_trace_proto(const struct btf *b, const char *name);
const char *trace_system_of(const char *name);

/* typed-emit.c */
void tput(struct twalk *w, const char *s);
void tprintf(struct twalk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void twhere(struct twalk *w);
int treturn_denied(const struct probe *p, const struct loc *at);
int tbase_param(struct twalk *w, const struct expr *e, int i);
int tfinal(struct twalk *w, const struct expr *e);
int tstore(struct twalk *w, const struct expr *e);
int tpretty_value(struct twalk *w, const struct expr *e);
int tpretty_all(struct twalk *w, const struct expr *e);

/* twarn - a diagnostic, unless the walk is quiet (@defined) */
#define twarn(w, at, ...) qdiag((w)->quiet, at, __VA_ARGS__)

#endif /* RT_TYPED_INT_H */
