/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ast.h - the translator's tokens, syntax tree and passes.
 *
 * Passes, one per file: lex.c (tokens), parse.c (tree), sema.c (symbols and types),
 * emit.c (C for the runtime), main.c (driver: options, kbuild, staprun).
 */
#ifndef RT_AST_H
#define RT_AST_H

#include <stdint.h>
#include <stdio.h>

/** struct loc - a place in a script, for error messages */
struct loc {
	const char *file;
	int line;
	int col;
};

enum tok_kind {
	T_EOF, T_IDENT, T_NUM, T_STR, T_OP, T_KEYWORD,
};

/**
 * struct token - one token
 * @kind: T_*
 * @text: identifier, keyword, operator or decoded string text
 * @num:  value of a T_NUM
 * @loc:  where it starts
 */
struct token {
	enum tok_kind kind;
	char *text;
	int64_t num;
	struct loc loc;
};

enum type { TY_UNKNOWN, TY_LONG, TY_STRING };

enum expr_kind {
	E_NUM, E_STR, E_VAR, E_CALL, E_BINARY, E_UNARY, E_ASSIGN, E_TERNARY, E_INCDEC,
};

struct sym;

/**
 * struct expr - an expression node
 * @kind: E_*
 * @loc:  its place (the operator's for operators)
 * @op:   operator text for E_BINARY/E_UNARY/E_ASSIGN/E_INCDEC ("++" "--"; post when @post)
 * @num:  E_NUM value
 * @str:  E_STR text, E_VAR/E_CALL name
 * @a:    first operand
 * @b:    second operand
 * @c:    third operand (ternary)
 * @args: call arguments
 * @nargs: number of @args
 * @post: E_INCDEC is postfix
 * @type: inferred type
 * @sym:  E_VAR's symbol
 */
struct expr {
	enum expr_kind kind;
	struct loc loc;
	const char *op;
	int64_t num;
	char *str;
	struct expr *a, *b, *c;
	struct expr **args;
	int nargs;
	int post;
	enum type type;
	struct sym *sym;
};

enum stmt_kind {
	S_BLOCK, S_EXPR, S_IF, S_WHILE, S_FOR, S_NEXT, S_BREAK, S_CONTINUE, S_EMPTY,
};

/**
 * struct stmt - a statement node
 * @kind:  S_*
 * @loc:   its place
 * @e:     expression (S_EXPR), condition (S_IF, S_WHILE, S_FOR)
 * @init:  S_FOR initializer expression, or NULL
 * @step:  S_FOR step expression, or NULL
 * @body:  S_IF then, S_WHILE/S_FOR body
 * @other: S_IF else, or NULL
 * @list:  S_BLOCK statements
 * @n:     number of @list
 */
struct stmt {
	enum stmt_kind kind;
	struct loc loc;
	struct expr *e, *init, *step;
	struct stmt *body, *other;
	struct stmt **list;
	int n;
};

/**
 * struct sym - a variable
 * @name:   its name
 * @global: a script global (else a probe local)
 * @type:   inferred type
 * @loc:    first place it appears
 * @type_loc: where its type was decided
 * @next:   next symbol of the same scope
 */
struct sym {
	char *name;
	int global;
	enum type type;
	struct loc loc;
	struct loc type_loc;
	struct sym *next;
};

enum probe_kind { P_BEGIN, P_END, P_ERROR, P_TIMER, P_PROFILE };

/**
 * struct probe - one probe
 * @kind:   P_*
 * @point:  the probe point as written
 * @loc:    where it is declared
 * @body:   its block
 * @locals: its local variables
 * @index:  declaration order
 * @period_ns: P_TIMER interval
 * @next:   next probe
 */
struct probe {
	enum probe_kind kind;
	uint64_t period_ns;
	char *point;
	struct loc loc;
	struct stmt *body;
	struct sym *locals;
	int index;
	struct probe *next;
};

/** struct script - a whole script */
struct script {
	const char *file;
	struct probe *probes;
	struct sym *globals;
	int nprobes;
};

/* lex.c */
struct lexer;
struct lexer *lex_open(const char *file, const char *text);
int lex_next(struct lexer *lx, struct token *t);
const char *lex_source_line(const char *file, int line);

/* diagnostics (lex.c): file:line:col, the line, a caret, the explanation */
void diag(const struct loc *loc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int diag_count(void);

/* parse.c, sema.c, emit.c */
struct script *parse_script(const char *file, const char *text);
int sema_script(struct script *s);
void dump_script(FILE *f, const struct script *s);
void dump_resolved(FILE *f, const struct script *s);
int emit_script(FILE *f, const struct script *s);

void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);

#endif /* RT_AST_H */
