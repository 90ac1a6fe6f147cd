/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse.h - what the parser's files share: parse.c (tokens, statements, probes,
 * functions, globals) and parse-expr.c (expressions).
 */
#ifndef RT_PARSE_H
#define RT_PARSE_H

#include <setjmp.h>
#include "ast.h"

/**
 * struct parser - parsing state
 * @lx:   the lexer
 * @pp:   the preprocessor over it
 * @tok:  the current token
 * @peek: the token after it, when @have_peek
 * @have_peek: @peek is valid
 * @s:    the script being built
 * @opt:  the command line ($1 @1 arguments)
 * @privileged: a tapset file: embedded C needs no -g
 * @private_decl: the declaration being parsed began with 'private'
 * @privs: the file's private names and their new names, in pairs (private.c)
 * @nprivs: how many strings in @privs
 * @privs_id: the file's number in the new names
 * @depth: how deeply the statements and expressions being parsed nest (PARSE_MAXDEPTH)
 * @exprs: expressions being parsed, one inside another: 0 outside any
 * @fail: where a syntax error jumps to
 */
struct parser {
	struct lexer *lx;
	struct pp *pp;
	struct token tok;
	struct token peek;
	int have_peek;
	struct script *s;
	const struct options *opt;
	int privileged;
	int private_decl;
	char **privs;
	int nprivs;
	int privs_id;
	int depth;
	int exprs;
	jmp_buf fail;
};

/* parse.c: the token stream; a syntax error longjmps to @fail */
void next(struct parser *p);
void __attribute__((noreturn)) syntax(struct parser *p, const char *want);
int is_op(const struct parser *p, const char *op);
int is_kw(const struct parser *p, const char *kw);
void expect_op(struct parser *p, const char *op);
struct expr *new_expr(enum expr_kind kind, struct loc loc);
struct stmt *cond_body(struct stmt *body, struct expr *cond);
void guru_check(struct parser *p, int expr);

/**
 * struct points - the probe points one written point expands to (parse-point.c)
 * @text:  each point
 * @flags: each one's: 1 optional ('?'), 3 optional and sufficient ('!')
 * @cond:  each one's condition ('if (EXPR)' after it), or NULL
 * @n:     how many
 */
struct points {
	char **text;
	int *flags;
	struct expr **cond;
	int n;
};

void parse_points(struct parser *p, struct points *out);

/* private.c */
void private_add(struct parser *p, const char *name);
void private_rename(struct parser *p, const char *file);

/*
 * parse-expr.c.  Statements and expressions nest at most PARSE_MAXDEPTH deep, and an
 * expression's tree (1+1+...+1 is a left-deep one) is at most that deep: the passes after
 * the parser recurse over them (stap(1) Limits; 4.8 has no limit and crashes).
 */
#define PARSE_MAXDEPTH	1000
void parse_deeper(struct parser *p);
struct expr *parse_expr(struct parser *p);
struct expr *parse_unary(struct parser *p);
void parse_keys(struct parser *p, struct expr *e);

#endif /* RT_PARSE_H */
