// SPDX-License-Identifier: GPL-2.0
/*
 * lex.c - tokens of the SystemTap language, and diagnostics with a caret.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"

/**
 * struct lexer - scanning state
 * @file: script name
 * @p:    next character
 * @line: its line
 * @col:  its column (1-based)
 * @args: the script's arguments, for $N and @N
 * @nargs: how many
 * @outer: while an argument's text is scanned (@in_arg), where the script resumes
 * @in_arg: scanning the text of a $N; its tokens are placed at @arg_at
 * @arg_at: where that $N is
 */
struct lexer {
	const char *file;
	const char *p;
	int line;
	int col;
	char **args;
	int nargs;
	const char *outer;
	int in_arg;
	struct loc arg_at;
};

/** struct source - a script's text, kept for quoting lines in diagnostics */
struct source {
	const char *file;
	const char *text;
	struct source *next;
};

static struct source *sources;
static int ndiags;
static int no_warnings;
static unsigned char *args_used;	/* [i]: a $N or @N of argument i + 1 was scanned */
static int args_count;

static const char *const keywords[] = {
	"probe", "global", "function", "if", "else", "while", "for", "foreach", "in",
	"return", "next", "break", "continue", "delete", "limit", "try", "catch",
	"private",	/* 4.8: a keyword, so no variable, parameter or function has the name */
	NULL,
};

/* longest first, so the scanner takes the longest match */
static const char *const operators[] = {
	"%(", "%?", "%:", "%)", "$#", "@#", "<<<", "<<=", ">>=", "++", "--", "->", "=~", "!~",
	"+=", "-=", "*=", "/=", "%=", ".=", "&=", "|=", "^=", "==", "!=", "<=", ">=", "&&", "||",
	"<<", ">>", "+", "-", "*", "/", "%", "=",
	"<", ">", "!", "~", "&", "|", "^", "?", ":", ";", ",", ".", "(", ")", "{", "}",
	"[", "]", "$", "@", NULL,
};

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p) {
		fputs("stap: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		fputs("stap: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

struct lexer *lex_open(const char *file, const char *text)
{
	struct lexer *lx = xcalloc(1, sizeof(*lx));
	struct source *src = xcalloc(1, sizeof(*src));

	src->file = file;
	src->text = text;
	src->next = sources;
	sources = src;
	lx->file = file;
	lx->p = text;
	lx->line = 1;
	lx->col = 1;
	return lx;
}

/** lex_args - the script's arguments, which $N and @N stand for */
void lex_args(struct lexer *lx, char **args, int nargs)
{
	lx->args = args;
	lx->nargs = nargs;
	if (!args_used && nargs > 0) {
		args_used = xcalloc(nargs, 1);
		args_count = nargs;
	}
}

/**
 * lex_warn_unused_args - 4.8's 'unused command line option $N/@N' for each script argument
 * that no $N or @N of the scanned text named (main.cxx prints it at the end of pass 2, after
 * its errors); a $N in a %( %) branch not taken, or in a function never called, counts as
 * used, as in 4.8, whose lexer marks it; $# and @# do not
 */
void lex_warn_unused_args(void)
{
	int i;

	for (i = 0; i < args_count && !no_warnings; i++)
		if (!args_used[i])
			fprintf(stderr, "stap: warning: unused command line option $%d/@%d\n",
				i + 1, i + 1);
}

/**
 * lex_source_line - the text of @line in @file, without its newline (static buffer)
 */
const char *lex_source_line(const char *file, int line)
{
	static char buf[512];
	struct source *s;
	const char *p;
	size_t n;

	for (s = sources; s && strcmp(s->file, file); s = s->next)
		;
	if (!s)
		return NULL;
	for (p = s->text; line > 1 && *p; p++)
		if (*p == '\n')
			line--;
	n = strcspn(p, "\n");
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

void diag(const struct loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(loc, fmt, ap);
	va_end(ap);
}

/**
 * qdiag - diag(), unless @quiet: resolving an optional probe point or testing @defined
 * reports nothing
 */
void qdiag(int quiet, const struct loc *loc, const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vdiag(loc, fmt, ap);
	va_end(ap);
}

/** caret - the source line of @loc and a caret under its column */
static void caret(const struct loc *loc)
{
	const char *line = lex_source_line(loc->file, loc->line);
	int i;

	if (!line)
		return;
	fprintf(stderr, "    %s\n    ", line);
	for (i = 1; i < loc->col && line[i - 1]; i++)	/* the line may be cut */
		fputc(line[i - 1] == '\t' ? '\t' : ' ', stderr);
	fputs("^\n", stderr);
}

/**
 * show - file:line:col: KIND: the message, the line, a caret; then, for a token of a
 * macro's body, each '@NAME' it was expanded from, innermost first (4.8's "in expansion
 * of macro" lines, parse.cxx print_error_source)
 */
static void show(const struct loc *loc, const char *kind, const char *fmt, va_list ap)
{
	const struct loc *f;
	const char *line;
	int n, shown = 0;

	fprintf(stderr, "%s:%d:%d: %s: ", loc->file, loc->line, loc->col, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	caret(loc);
	for (f = loc->from; f; f = f->from) {
		if (shown++ == 8) {		/* a runaway recursion: the first few say it */
			for (n = 0; f; f = f->from)
				n++;
			fprintf(stderr, "note: and %d more expansions of macros\n", n);
			break;
		}
		line = lex_source_line(f->file, f->line);
		n = 0;
		if (line && f->col > 0 && (int)strlen(line) > f->col)
			n = (int)strspn(line + f->col, "abcdefghijklmnopqrstuvwxyz"
					"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		fprintf(stderr, "%s:%d:%d: note: in expansion of macro '@%.*s'\n", f->file,
			f->line, f->col, n, n ? line + f->col : "");
		caret(f);
	}
}

void vdiag(const struct loc *loc, const char *fmt, va_list ap)
{
	show(loc, "error", fmt, ap);
	ndiags++;
}

/** warn - a warning in the form of diag(), unless -w turned warnings off */
void warn(const struct loc *loc, const char *fmt, ...)
{
	va_list ap;

	if (no_warnings)
		return;
	va_start(ap, fmt);
	show(loc, "warning", fmt, ap);
	va_end(ap);
}

/** diag_no_warnings - stap -w: warn() prints nothing */
void diag_no_warnings(void)
{
	no_warnings = 1;
}

int diag_count(void)
{
	return ndiags;
}

static void advance(struct lexer *lx, int n)
{
	if (lx->in_arg) {
		lx->p += strnlen(lx->p, n);
		return;
	}
	while (n-- > 0 && *lx->p) {
		if (*lx->p == '\n') {
			lx->line++;
			lx->col = 1;
		} else {
			lx->col++;
		}
		lx->p++;
	}
}

/** skip_space - skip blanks and #, //, and block comments; -1 on an unclosed comment */
static int skip_space(struct lexer *lx)
{
	struct loc at;

	for (;;) {
		if (isspace((unsigned char)*lx->p)) {
			advance(lx, 1);
		} else if (*lx->p == '#' || (lx->p[0] == '/' && lx->p[1] == '/')) {
			while (*lx->p && *lx->p != '\n')
				advance(lx, 1);
		} else if (lx->p[0] == '/' && lx->p[1] == '*') {
			at = (struct loc){ lx->file, lx->line, lx->col, NULL };
			advance(lx, 2);
			while (*lx->p && !(lx->p[0] == '*' && lx->p[1] == '/'))
				advance(lx, 1);
			if (!*lx->p) {
				diag(&at, "unterminated comment");
				return -1;
			}
			advance(lx, 2);
		} else {
			return 0;
		}
	}
}

/**
 * lex_escape - one escape after a backslash, as SystemTap 4.8 reads it: its lexer passes
 * \a \b \f \n \r \t \v, octal \N \NN \NNN, hex \xHH... and \\ on to a C literal; any
 * other character stands for itself (\" is ", \q is q)
 * @lx:  at the character after the backslash; moved past the escape
 *
 * Return: the byte.
 */
static char lex_escape(struct lexer *lx)
{
	static const char esc[] = "a\ab\bf\fn\nr\rt\tv\v";
	const char *e;
	unsigned int v = 0, i;

	/* only the low 8 bits count (gcc's reading of 4.8's C literal), so they are all kept */
	if (*lx->p == 'x' && isxdigit((unsigned char)lx->p[1])) {
		for (advance(lx, 1); isxdigit((unsigned char)*lx->p); advance(lx, 1))
			v = (v * 16 + (isdigit((unsigned char)*lx->p) ? *lx->p - '0' :
				       (tolower((unsigned char)*lx->p) - 'a' + 10))) & 0xff;
		return (char)v;
	}
	if (*lx->p >= '0' && *lx->p <= '7') {
		for (i = 0; i < 3 && *lx->p >= '0' && *lx->p <= '7'; i++) {
			v = v * 8 + *lx->p - '0';
			advance(lx, 1);
		}
		return (char)v;
	}
	for (e = esc; *e && *e != *lx->p; e += 2)
		;
	v = *e ? e[1] : *lx->p;
	advance(lx, 1);
	return (char)v;
}

/** lex_string - a "..." literal with 4.8's escapes; -1 after a diagnostic */
static int lex_string(struct lexer *lx, struct token *t)
{
	char *out = xcalloc(strlen(lx->p) + 1, 1);
	size_t n = 0;

	advance(lx, 1);
	while (*lx->p != '"') {
		if (!*lx->p || *lx->p == '\n') {
			diag(&t->loc, "unterminated string literal");
			free(out);
			return -1;
		}
		if (*lx->p == '\\' && lx->p[1]) {
			advance(lx, 1);
			out[n++] = lex_escape(lx);
		} else {
			out[n++] = *lx->p;
			advance(lx, 1);
		}
	}
	advance(lx, 1);
	t->kind = T_STR;
	t->text = out;
	return 0;
}

/** lex_code - %{ embedded C %}: the text between, as SystemTap 4.8 takes it (no nesting) */
static int lex_code(struct lexer *lx, struct token *t)
{
	const char *end = strstr(lx->p + 2, "%}");

	if (!end) {
		diag(&t->loc, "embedded code '%%{' without a closing '%%}'");
		return -1;
	}
	t->kind = T_CODE;
	t->text = strndup(lx->p + 2, end - lx->p - 2);
	advance(lx, end + 2 - lx->p);
	return 0;
}

/** lex_number - decimal, 0x hex or 0 octal; -1 after a diagnostic */
static int lex_number(struct lexer *lx, struct token *t)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(lx->p, &end, 0);
	if (errno || isalnum((unsigned char)*end) || *end == '_') {
		diag(&t->loc, "invalid number '%.*s'", (int)strspn(lx->p, "0123456789abcdefABCDEFxX_"),
		     lx->p);
		return -1;
	}
	t->kind = T_NUM;
	t->num = (int64_t)v;
	advance(lx, end - lx->p);
	return 0;
}

/**
 * lex_arg - $N and @N, as SystemTap 4.8's lexer reads them anywhere in a script: @N is a
 * string literal of argument N, and the text of argument N replaces $N, to be scanned as
 * script text (so 'probe $1 { }' with 'timer.s(1)', or $1 as '5 + 1', work); the
 * tokens it gives are placed at the $N
 *
 * Return: 1 when @t is that string, 0 when the scan goes on in the argument's text (or
 * there is no $N or @N of an argument here).
 */
static int lex_arg(struct lexer *lx, struct token *t)
{
	char *end;
	long i;

	if ((*lx->p != '$' && *lx->p != '@') || !isdigit((unsigned char)lx->p[1]) || lx->in_arg)
		return 0;
	i = strtol(lx->p + 1, &end, 10);
	if (i < 1 || i > lx->nargs)	/* '$' then N: the parser says it is out of range, */
		return 0;		/* unless a %( %) branch not taken skips it */
	if (i <= args_count)
		args_used[i - 1] = 1;
	if (*lx->p == '@') {
		advance(lx, end - lx->p);
		t->kind = T_STR;
		t->text = xstrdup(lx->args[i - 1]);
		return 1;
	}
	advance(lx, end - lx->p);
	lx->outer = lx->p;
	lx->p = lx->args[i - 1];
	lx->in_arg = 1;
	lx->arg_at = t->loc;
	return 0;
}

/**
 * lex_next - the next token
 * @lx: the lexer
 * @t:  filled in
 *
 * Return: 0, or -1 after a diagnostic.
 */
int lex_next(struct lexer *lx, struct token *t)
{
	size_t n;
	int i, was;

	memset(t, 0, sizeof(*t));
	for (;;) {
		if (skip_space(lx))
			return -1;
		if (lx->in_arg && !*lx->p) {	/* the end of a $N's text */
			lx->p = lx->outer;
			lx->in_arg = 0;
			continue;
		}
		t->loc = lx->in_arg ? lx->arg_at :
			 (struct loc){ lx->file, lx->line, lx->col, NULL };
		was = lx->in_arg;
		if (lex_arg(lx, t))
			return 0;
		if (lx->in_arg == was)
			break;
	}
	if (!*lx->p) {
		t->kind = T_EOF;
		t->text = "end of input";
		return 0;
	}
	if (*lx->p == '"')
		return lex_string(lx, t);
	if (lx->p[0] == '%' && lx->p[1] == '{')
		return lex_code(lx, t);
	if (isdigit((unsigned char)*lx->p))
		return lex_number(lx, t);
	if (isalpha((unsigned char)*lx->p) || *lx->p == '_') {
		for (n = 0; isalnum((unsigned char)lx->p[n]) || lx->p[n] == '_'; n++)
			;
		t->text = strndup(lx->p, n);
		t->kind = T_IDENT;
		for (i = 0; keywords[i]; i++)
			if (!strcmp(keywords[i], t->text))
				t->kind = T_KEYWORD;
		advance(lx, n);
		return 0;
	}
	for (i = 0; operators[i]; i++) {
		n = strlen(operators[i]);
		if (!strncmp(lx->p, operators[i], n)) {
			t->kind = T_OP;
			t->text = (char *)operators[i];
			advance(lx, n);
			return 0;
		}
	}
	diag(&t->loc, "unexpected character '%c'", *lx->p);
	return -1;
}
