/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sema.h - what the semantic pass's files (sema.c, calls.c, probes.c) share.
 */
#ifndef RT_SEMA_H
#define RT_SEMA_H

#include "ast.h"

const char *type_name(enum type t);
int unify_sym(struct sym *v, enum type t, const struct loc *at);
enum type expr_type(const struct expr *e);
int want(struct expr *e, enum type t);
int expr_sema_cb(void *scope, struct expr *e);

/* regex.c: =~ and !~ */
int regex_sema(struct expr *e);

/* calls.c: builtin and script function calls, printf formats */
int call_sema(struct script *s, struct sym **locals, struct expr *e,
	      int (*sub)(void *scope, struct expr *e), void *scope);

#endif /* RT_SEMA_H */
