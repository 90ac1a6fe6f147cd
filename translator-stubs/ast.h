/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ast.h - the translator's tokens, syntax tree and passes.
 *
 * Passes: preproc.c (%( %) and @define macros) and lex.c (tokens); parse.c, parse-expr.c,
 * parse-point.c and parse-target.c (tree); tapset.c (which library files a script needs),
 * aliases.c (probe aliases), private.c, assigned.c and sema.c (symbols and types), with
 * calls.c (builtins and printf formats) and probes.c (probe points, wildcards) and the
 * probe types' files (trace.c, uprobes.c, uproc.c, sdt.c, udwarf.c, hwbkpt.c, procfs.c,
 * netfilter.c; btf.c, typed.c and sysc-args.c for typed data); actions.c (MAXACTION
 * accounting); emit.c, emit-expr.c, emit-script.c, typed-emit.c, guru.c and regex.c (C for
 * the runtime); dump.c (-p1/-p2 output); build.c (kbuild, caches, feature probes);
 * main.c (driver).
 */
#ifndef RT_AST_H
#define RT_AST_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

/**
 * struct loc - a place in a script, for error messages; @from: for a token of a macro's
 * body, the '@NAME' that expanded it (its own @from the next one out), else NULL
 */
struct loc {
	const char *file;
	int line;
	int col;
	const struct loc *from;
};

enum tok_kind {
	T_EOF, T_IDENT, T_NUM, T_STR, T_OP, T_KEYWORD, T_CODE,	/* T_CODE: %{ C %} */
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

enum type { TY_UNKNOWN, TY_LONG, TY_STRING, TY_STATS };

#define MAXKEYS 9

/*
 * E_INDEX: str[args...] (an array element); E_IN: [args...] in str;
 * E_AGG: op (@count @sum @min @max @avg @hist_log @hist_linear) of a, with the
 * @hist_linear parameters in args.
 * E_TARGET, E_DEFINED, E_ENTRY: typed kernel data (typed.h).
 */
enum expr_kind {
	E_NUM, E_STR, E_VAR, E_CALL, E_BINARY, E_UNARY, E_ASSIGN, E_TERNARY, E_INCDEC,
	E_INDEX, E_IN, E_AGG, E_CODE,	/* E_CODE: %{ C %} as an expression (guru.c) */
	E_TARGET, E_DEFINED, E_ENTRY,
};

struct sym;
struct func;

/* a '*' key of a slice (a[*, k] in foreach, delete and in) */
#define is_star(e)	((e)->kind == E_NUM && (e)->op && (e)->op[0] == '*')
struct fmt;
struct tgt;

/**
 * struct expr - an expression node
 * @kind: E_*
 * @loc:  its place (the operator's for operators)
 * @op:   operator text for E_BINARY/E_UNARY/E_ASSIGN/E_INCDEC ("++" "--"; post when @post)
 * @num:  E_NUM value
 * @str:  E_STR text, E_VAR/E_CALL name, E_CODE C text
 * @a:    first operand
 * @b:    second operand
 * @c:    third operand (ternary)
 * @args: call arguments
 * @nargs: number of @args
 * @post: E_INCDEC is postfix
 * @type: inferred type
 * @sym:  E_VAR's, E_INDEX's or E_IN's symbol
 * @func: E_CALL of a script function
 * @fmt:  printf/sprintf: the checked format
 * @id:   a number unique in the script (emitted names)
 * @tgt:  E_TARGET: the target expression (typed.h)
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
	struct func *func;
	struct fmt *fmt;
	int id;
	struct tgt *tgt;
};

enum stmt_kind {
	S_BLOCK, S_EXPR, S_IF, S_WHILE, S_FOR, S_NEXT, S_BREAK, S_CONTINUE, S_EMPTY,
	S_FOREACH, S_DELETE, S_RETURN, S_TRY,
};

enum { AGG_COUNT, AGG_SUM, AGG_MIN, AGG_MAX, AGG_AVG };

/**
 * struct stmt - a statement node
 * @kind:  S_*
 * @loc:   its place
 * @e:     expression (S_EXPR, S_DELETE, S_RETURN), condition (S_IF, S_WHILE, S_FOR),
 *         the array (S_FOREACH, an E_VAR), the catch variable (S_TRY, an E_VAR, or NULL)
 * @init:  S_FOR initializer expression, or NULL; S_FOREACH slice (an E_INDEX whose '*'
 *         keys are E_NUMs with op "*"), or NULL
 * @step:  S_FOR step expression, or NULL; S_FOREACH limit, or NULL
 * @body:  S_IF then, S_WHILE/S_FOR/S_FOREACH body, S_TRY try block
 * @other: S_IF else, or NULL; S_TRY catch block
 * @list:  S_BLOCK statements
 * @n:     number of @list
 * @vars:  S_FOREACH key variables (E_VAR), @n of them
 * @sort_key: S_FOREACH: -1 unsorted, 0 on the value, k on key k
 * @sort_dir: 1 ascending, -1 descending
 * @sort_agg: AGG_* when sorting a statistic's value
 * @tok:   its first token as SystemTap names it in messages ("keyword", "operator '{'",
 *         "identifier 'x'"): MAXACTION errors name it
 * @id:    a number unique in the script
 */
struct stmt {
	enum stmt_kind kind;
	struct loc loc;
	struct expr *e, *init, *step;
	struct stmt *body, *other;
	struct stmt **list;
	int n;
	struct expr **vars;
	int sort_key, sort_dir, sort_agg;
	const char *tok;
	int id;
};

/**
 * struct sym - a variable
 * @name:   its name
 * @global: a script global (else a probe local)
 * @type:   inferred type
 * @loc:    first place it appears
 * @type_loc: where its type was decided
 * @nkeys:  -1 until known; 0 for a scalar, else the keys of an array
 * @keys_loc: where @nkeys was decided
 * @ktype:  the type of each key
 * @ktype_loc: where each key's type was decided
 * @size:   a global array's declared size, or 0
 * @wrap:   declared 'global name%': when full, a new entry replaces the oldest
 * @htype:  0, or 1 @hist_log, 2 @hist_linear: the histogram a statistic keeps
 * @hist:   @hist_linear start, stop, interval
 * @hist_loc: where @htype was decided
 * @vshift: a statistic's @variance bit shift (4.8: a second one must agree, 0 is none)
 * @param:  a function parameter (1-based position), else 0
 * @init:   a global's initial value (a literal), or NULL
 * @assigned: something assigns it (else a read gets a warning: assigned.c)
 * @tid:    autocast: the BTF type of the typed values assigned to it (typed-auto.c)
 * @next:   next symbol of the same scope
 */
struct sym {
	char *name;
	int global;
	enum type type;
	struct loc loc;
	struct loc type_loc;
	int nkeys;
	struct loc keys_loc;
	enum type ktype[MAXKEYS];
	struct loc ktype_loc[MAXKEYS];
	int64_t size;
	int wrap;
	int htype;
	int64_t hist[3];
	struct loc hist_loc;
	int vshift;
	int param;
	struct expr *init;
	int assigned;
	int tid;
	struct sym *next;
};

/**
 * struct func - a script function
 * @name:   its name
 * @loc:    where it is declared
 * @params: its parameters, in order, then its other locals
 * @nparams: how many parameters
 * @ret:    a pseudo-symbol holding the return type
 * @body:   its block
 * @index:  declaration order
 * @used:   called from a probe (directly or not)
 * @walked: the last walk (emit-script.c) that visited it
 * @loops:  it loops, itself or through a function it calls (actions.c); -1 unknown
 * @actions: the statements it may execute when it has no loop (actions.c)
 * @code:   embedded C between %{ %} instead of @body (guru.c), or NULL
 * @ovl:    overloaded (another function has its name): emitted as rt_fn_NAME_@index
 * @alt:    the next function of the same name and arity: a call runs it when this one
 *          runs 'next' (4.8's run-time overloading), or NULL
 * @nexts:  its body has a 'next'
 * @next:   next function
 */
struct func {
	char *name;
	struct loc loc;
	struct sym *params;
	int nparams;
	struct sym ret;
	struct stmt *body;
	int index;
	int used;
	int walked;
	int loops;
	int actions;
	char *code;
	int ovl;
	struct func *alt;
	int nexts;
	struct func *next;
};

/**
 * struct fmt - a printf format split into segments for the runtime (format.c)
 * @n:     segments
 * @lit:   each segment's literal text (decoded)
 * @conv:  each one's conversion character, or 0
 * @flags: RT_F_* flags
 * @width: field width or -1, or RT_FW_ARG: '*', the next argument
 * @prec:  precision or -1, or RT_FW_ARG
 */
#define RT_FW_ARG	(-2)	/* as runtime/format.c */
struct fmt {
	int n;
	char **lit;
	char *conv;
	int *flags;
	int *width;
	int *prec;
};

enum probe_kind {
	P_BEGIN, P_END, P_ERROR, P_TIMER, P_PROFILE, P_KPROBE, P_NEVER, P_UPROBE, P_TRACE,
	P_PROCFS, P_NETFILTER, P_HWBKPT, P_UPROC,
};

/**
 * struct probe - one probe
 * @kind:   P_*
 * @point:  the probe point as written
 * @loc:    where it is declared
 * @body:   its block
 * @locals: its local variables
 * @index:  declaration order
 * @period_ns: P_TIMER interval (ns, or jiffies when @jiffies); P_PROCFS: the umask;
 *          P_HWBKPT: the length watched
 * @rand_ns: P_TIMER .randomize() range (the same unit)
 * @jiffies: timer.jiffies: the module converts with the target's TICK_NSEC
 * @symbol: P_KPROBE function; P_UPROBE function or mark; P_PROCFS the file's path
 * @ret:    P_KPROBE or P_UPROBE .return; P_PROCFS .write; P_HWBKPT .rw
 * @file:   P_UPROBE: the probed file (absolute); P_TRACE: the module that defines the
 *          tracepoint (modtp.c), NULL for vmlinux's
 * @site:   P_KPROBE at an inlined copy of @symbol (kdwarf.c): where, and its parameters
 * @offset: P_UPROBE: the file offset of the probed instruction; P_PROCFS: .maxsize(N) or 0;
 *          P_NETFILTER: the protocol family; P_HWBKPT: the address (0 for a symbol)
 * @ref_ctr: P_UPROBE: the file offset of an SDT semaphore, or 0; P_NETFILTER: the hook;
 *          P_HWBKPT: a symbol's offset from jiffies
 * @sdt_args: P_UPROBE of a mark: its argument operands ("-4@%edi 8@-8(%rbp)"), else NULL
 * @plt:    P_UPROBE of a .plt entry (uplt.c): @symbol is its name, $$name
 * @stmt:   P_UPROBE of a .statement (uline.c): no $name (only a function's entry has them)
 * @exe:    P_UPROBE of a .library (ulib.c): it fires only in this program's processes
 * @optional: P_KPROBE from a wildcard or '?' (unprobeable symbols are skipped)
 * @want_optional: written with '?' or '!': a point that resolves to nothing is dropped
 * @sufficient: written with '!': when it resolves, the probe's later points are dropped
 * @typed:  P_KPROBE typed from BTF (kernel.function): its body uses target expressions,
 *          so it gets a handler of its own (each wildcard match is typed separately)
 * @nentry: @entry values its .return body saves at entry
 * @nargs:  P_TRACE (kernel.trace): the tracepoint's arguments (trace.c)
 * @via:    the aliases it was expanded through (aliases.c), or NULL
 * @mark:   this point's own 1 '?' or 3 '!' as written (an alias's point: the alias's)
 * @written: the script's probe it comes from, its points as written (parse.h), for -p2
 * @seq:    P_BEGIN/P_END/P_ERROR sequence number (begin(N)): they run in its order;
 *          P_NETFILTER: the hook's priority
 * @cond:   its condition ('if (EXPR)'), already part of @body; NULL when none
 * @next:   next probe
 */
struct probe {
	enum probe_kind kind;
	uint64_t period_ns;
	uint64_t rand_ns;
	int jiffies;
	char *symbol;
	const struct kdsite *site;
	int ret;
	char *file;
	uint64_t offset;
	uint64_t ref_ctr;
	char *sdt_args;
	int uproc;
	int plt;
	int stmt;
	char *exe;
	int optional;
	int want_optional;
	int sufficient;
	int typed;
	int nentry;
	int nargs;
	int64_t seq;
	struct expr *cond;
	char *point;
	struct loc loc;
	struct stmt *body;
	struct sym *locals;
	int index;
	const struct alias_via *via;
	int mark;
	const struct points *written;
	struct probe *next;
};

struct alias;
struct alias_via;
struct points;

/**
 * struct script - a whole script; @aliases: its probe alias definitions (aliases.c); @code:
 * its top-level %{ %} blocks, @ncode of them (guru.c)
 */
struct script {
	const char *file;
	struct probe *probes;
	struct alias *aliases;
	char **code;
	int ncode;
	struct sym *globals;
	struct func *funcs;
	int nprobes;
	int nfuncs;
	int ids;
};

/**
 * struct options - what the passes need from the command line
 * @args:    the script's arguments ($1 @1 ...)
 * @nargs:   how many
 * @symbols: finds a file listing the target's symbols (kallsyms or System.map), or NULL
 * @kernel:  the target kernel's release (@vr) or its base version (kernel_vr, kernel_v),
 *           or NULL
 * @config:  the value of an option in the target kernel's .config ("" if unset), or NULL
 * @btf:     finds the target kernel's BTF file (btf.h), or NULL
 * @tapset_dirs: the tapset library's directories, in search order (tapset.c)
 * @ntapset_dirs: how many
 * @tapset_cache: the file caching their index (tapset.c), or NULL
 * @guru:    -g: embedded C is allowed in the script (always in tapsets)
 * @gsets:   -G NAME=VALUE options (the globals they name count as assigned, as in 4.8)
 * @ngsets:  how many
 */
struct options {
	char **args;
	int nargs;
	const char *(*symbols)(void);
	const char *(*kernel)(int vr);
	const char *(*config)(const char *name);
	const char *(*btf)(void);
	const char *(*kernel_dir)(void);
	const char **tapset_dirs;
	int ntapset_dirs;
	const char *tapset_cache;
	int guru;
	char **gsets;
	int ngsets;
};

/* lex.c */
struct lexer;
struct lexer *lex_open(const char *file, const char *text);
void lex_args(struct lexer *lx, char **args, int nargs);
void lex_warn_unused_args(void);
int lex_next(struct lexer *lx, struct token *t);
const char *lex_source_line(const char *file, int line);

/* preproc.c: %( COND %? ... %: ... %) between the lexer and the parser */
struct pp;
struct pp *pp_open(struct lexer *lx, const struct options *opt);
int pp_next(struct pp *pp, struct token *t);
int pp_library(const char *file, const char *text, const struct options *opt);

/* diagnostics (lex.c): file:line:col, the line, a caret, the explanation */
void diag(const struct loc *loc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vdiag(const struct loc *loc, const char *fmt, va_list ap);
void qdiag(int quiet, const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void warn(const struct loc *loc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void diag_no_warnings(void);
int diag_count(void);

/* parse.c, sema.c, emit.c and the others named above */
struct script *parse_script(const char *file, const char *text, const struct options *opt);
int parse_file(struct script *s, const char *file, const char *text, const struct options *opt);
int builtin_exists(const char *name);
int tapset_resolve(struct script *s, const struct options *opt);
int tapset_macros(const struct options *opt);
void tapset_prune(struct script *s);
const char *tapset_np_reason(const struct options *opt, char kind,
			     const char *name);	/* tapset-np.c */
void tapset_point_mismatch(const struct script *s, const struct options *opt,
			   const struct probe *p, const char *const *builtins);
const char *tapset_alias_nth(const struct options *opt, int i);	/* tapset.c */
const char *alias_name_nth(const struct script *s, int i);	/* aliases.c */
void suggest_names(const char *target, const char *const *names, int n, char *out,
		   size_t size);	/* assigned.c */
int tapset_guru_only(const struct script *s, const struct options *opt, const struct expr *e);
int sema_script(struct script *s, const struct options *opt);
int probe_expand(struct script *s, const struct options *opt);
int procfs_point(struct probe *p);	/* procfs.c */
int procfs_check(const struct script *s);
int netfilter_point(struct probe *p, const struct options *opt);	/* netfilter.c */
int hwbkpt_point(struct probe *p, const struct options *opt);	/* hwbkpt.c */
void hwbkpt_check(const struct script *s);
void alias_add(struct script *s, char *name, struct loc loc, char **points,
	       const struct loc *locs, const int *flags, struct expr **conds, int n,
	       struct stmt *body, int epilogue);
int alias_expand(struct script *s, struct probe **pp);
int alias_point_match(const char *pat, const char *name);
int alias_defined(const struct script *s, const char *point);
const char *alias_top_name(const struct probe *p);
size_t point_component(const char *p);
const struct stmt *alias_nth(const struct script *s, int i, char ***points, int *n);
void warn_unassigned(const struct script *s);	/* assigned.c */
const char *private_display(const char *name);	/* private.c */
int probe_conds(const struct script *s);
void probe_drop_never(struct script *s);
int uprobe_point(struct probe *p, int quiet);
struct Elf;
int uprobe_vaddr_off(struct Elf *elf, uint64_t v, uint64_t *off);
int uplt_point(struct probe *p, struct Elf *elf, const char *path, const char *pat, int ret,
	       int q);
void uplt_list(const struct probe *p, int vars);
void udwarf_list_vars(const struct probe *p, char *buf, size_t size);
int uline_point(struct probe *p, struct Elf *elf, const char *path, const char *arg, int q);
int uline_emit_table(FILE *f, int i, struct Elf *elf);
int uline_funcs(const char *path, const char *spec, char ***names);
int uprobe_nfiles(void);
const char *uprobe_file(int i);
void uprobe_target(const char *cmd, const char *pid);
int ulib_glob_point(struct probe *p, const char *pat, const char *rest, int q);
int ulib_point(struct probe *p, const char *exe, const char *rest, int q);
int sdt_operands(const char *args, char *buf, size_t size);
int sdt_nargs(const char *args);
void uprobe_note_call(const char *name);
int uprobe_symbol_file(const char *path);
void uprobe_ldd(void);
int uprobe_emit_symbols(FILE *f);
int uproc_point(struct probe *p, const char *rest, const char *file, long pid, int q);
struct out;
int uproc_emit(struct out *o, const struct script *s);
int list_probes(const char *pattern, const struct options *opt, int vars);
void dump_script(FILE *f, const struct script *s);
void dump_resolved(FILE *f, const struct script *s);
void dump_cond(FILE *f, const struct expr *e);
void dump_plain(FILE *f, const struct expr *e);

void alias_listing(FILE *f, const struct probe *p);
const struct stmt *alias_stop(const struct probe *p);
int emit_script(FILE *f, const struct script *s);

void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);

#endif /* RT_AST_H */
