// SPDX-License-Identifier: GPL-2.0
/*
 * regex.c - the =~ and !~ operators: each regex (a string literal) is compiled when the
 * script is translated, as SystemTap 4.8 does, here by re2c (https://re2c.org, Debian's
 * re2c; run with an argv) into a C matcher in the module.
 *
 * The syntax is POSIX ERE as 4.8's regex parser takes it (regcomp.cxx): literals, '.',
 * bracket expressions with ranges, negation and [:class:] names, groups '( )', '|', the
 * repetitions * + ? {n} {n,} {n,m}, '\' quoting the next character, '^' at the start
 * (anchored) and '$' (the end of the string).  A match may start anywhere unless the
 * regex starts with '^'; it is the leftmost one, and the longest there, with POSIX
 * submatches (re2c's posix-captures).  The string matched and the submatches are kept per
 * CPU for matched(n), ngroups() and matched_str() (tapset/regex.stp), as 4.8 keeps them in
 * its context.  Translation: ERE -> re2c's regex syntax, each character as "\xHH" and each
 * class as a range list without NUL, so a matcher never reads past a string's end; '$'
 * is the terminating NUL itself.  The matcher is anchored (re2c matches a prefix); an
 * unanchored match tries each start position in turn, at most MAXSTRINGLEN of them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "build.h"
#include "emit.h"
#include "sema.h"

#define RE_MAXGROUPS	32	/* submatches of one regex, group 0 included */
#define RE_MAX_C	(256 * 1024)	/* bytes of C one matcher may take */

/**
 * struct rx - one distinct regex of the script
 * @re:       its text
 * @c:        the re2c translation
 * @anchored: it starts with '^'
 * @nullable: it can match the empty string (re2c's default rule, one byte long, would
 *            otherwise win over an empty match: the matcher then says so with -1)
 * @ngroups:  its groups, the whole match (0) included
 * @defs:     re2c named definitions the translation uses (stacked repetitions), or NULL
 * @loc:      where it is first used
 */
struct rx {
	char *re;
	char *c;
	int anchored;
	int nullable;
	int ngroups;
	char *defs;
	struct loc loc;
};

static struct rx *rxs;
static int nrx;

/** struct ere - translating one regex */
struct ere {
	const char *re, *p;
	char *out;
	size_t n, cap;
	int groups;
	int depth;
	char *defs;
	int ndefs;
	const char *err;
};

static void out(struct ere *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(struct ere *x, const char *fmt, ...)
{
	va_list ap;
	int k;

	for (;;) {
		va_start(ap, fmt);
		k = vsnprintf(x->out + x->n, x->cap - x->n, fmt, ap);
		va_end(ap);
		if (k >= 0 && (size_t)k < x->cap - x->n)
			break;
		x->cap = x->cap * 2 + k + 64;
		x->out = realloc(x->out, x->cap);
		if (!x->out)
			abort();
	}
	x->n += k;
}

/** out_set - a character class of the bytes in @set (never NUL) */
static void out_set(struct ere *x, const unsigned char *set)
{
	int c, d;

	out(x, "[");
	for (c = 1; c < 256; c++) {
		if (!set[c])
			continue;
		for (d = c; d + 1 < 256 && set[d + 1]; d++)
			;
		out(x, d > c ? "\\x%02x-\\x%02x" : "\\x%02x", c, d);
		c = d;
	}
	out(x, "]");
}

/** posix_class - [:name:] at @p: its bytes added to @set; the length taken, or 0 */
static int posix_class(const char *p, unsigned char *set)
{
	static const struct { const char *name; int (*is)(int); } cls[] = {
		{ "alpha", isalpha }, { "digit", isdigit }, { "alnum", isalnum },
		{ "upper", isupper }, { "lower", islower }, { "space", isspace },
		{ "blank", isblank }, { "punct", ispunct }, { "print", isprint },
		{ "graph", isgraph }, { "cntrl", iscntrl }, { "xdigit", isxdigit },
	};
	unsigned int i;
	size_t n;
	int c;

	for (i = 0; i < sizeof(cls) / sizeof(cls[0]); i++) {
		n = strlen(cls[i].name);
		if (strncmp(p + 2, cls[i].name, n) || strncmp(p + 2 + n, ":]", 2))
			continue;
		for (c = 1; c < 128; c++)
			if (cls[i].is(c))
				set[c] = 1;
		return n + 4;
	}
	return 0;
}

/** bracket - [...] after the '[' */
static void bracket(struct ere *x)
{
	unsigned char set[256] = { 0 };
	int neg = 0, first = 1, c, d, k;

	if (*x->p == '^') {
		neg = 1;
		x->p++;
	}
	for (;;) {
		if (!*x->p) {
			x->err = "unclosed character class";
			x->p--;			/* 4.8 names the last character */
			return;
		}
		if (*x->p == ']' && !first)
			break;
		first = 0;
		if (x->p[0] == '[' && x->p[1] == ':') {
			k = posix_class(x->p, set);
			if (!k) {
				x->err = "invalid character class";
				return;
			}
			x->p += k;
			continue;
		}
		c = (unsigned char)*x->p++;
		d = c;
		if (x->p[0] == '-' && x->p[1] && x->p[1] != ']') {
			d = (unsigned char)x->p[1];
			x->p += 2;
			if (d < c) {
				x->err = "invalid range in bracket expression";
				return;
			}
		}
		for (; c <= d; c++)
			set[c] = 1;
	}
	x->p++;
	for (c = 1; neg && c < 256; c++)
		set[c] = !set[c];
	out_set(x, set);
}

static int alternation(struct ere *x);

/**
 * stack - make the piece at @x->out[@start..] one atom before a further repetition: re2c
 * takes no repetition of a repetition ("a{2}*" is a syntax error there), and parentheses
 * would be a capturing group (posix-captures), so the piece becomes a named definition.
 */
static void stack(struct ere *x, size_t start)
{
	size_t dn = x->defs ? strlen(x->defs) : 0, pn = x->n - start;

	x->defs = realloc(x->defs, dn + pn + 32);
	if (!x->defs)
		abort();
	snprintf(x->defs + dn, pn + 32, "rt_s%d = %.*s;\n", x->ndefs, (int)pn, x->out + start);
	x->n = start;
	out(x, "rt_s%d", x->ndefs++);
}

/**
 * repeat - the repetitions after an atom whose translation starts at @start; whether the
 * piece can match nothing.  Stacked repetitions ("a{2}*", "a?{2}") apply in turn, as 4.8.
 */
static int repeat(struct ere *x, int nullable, size_t start)
{
	unsigned int lo, hi;
	int n, reps = 0;

	for (;; reps++) {
		if ((*x->p == '*' || *x->p == '+' || *x->p == '?' || *x->p == '{') && reps)
			stack(x, start);
		if (*x->p == '*' || *x->p == '+' || *x->p == '?') {
			nullable |= *x->p != '+';
			out(x, "%c", *x->p++);
			continue;
		}
		if (*x->p != '{')
			return nullable;
		n = 0;
		hi = 0;
		if (sscanf(x->p, "{%u,%u}%n", &lo, &hi, &n) == 2 && n && hi >= lo && hi <= 1000)
			out(x, "{%u,%u}", lo, hi);
		else if ((n = 0, sscanf(x->p, "{%u,}%n", &lo, &n)) == 1 && n && lo <= 1000)
			out(x, "{%u,}", lo);
		else if ((n = 0, sscanf(x->p, "{%u}%n", &lo, &n)) == 1 && n && lo <= 1000)
			out(x, "{%u}", lo);
		else if (strchr(x->p, '}') && isdigit((unsigned char)x->p[1])) {
			x->err = hi && hi < lo ? "invalid repetition: the maximum is below the "
				 "minimum" : "repetition count too large (at most 1000)";
			return nullable;
		} else {
			x->err = !strchr(x->p, '}') ? "unexpected end of regex" : "expected number";
			x->p += strchr(x->p, '}') ? 0 : strlen(x->p);
			return nullable;
		}
		nullable |= !lo;
		x->p += n;
	}
}

/** concat - atoms with their repetitions, up to '|', ')' or the end; whether all can be empty */
static int concat(struct ere *x)
{
	unsigned char set[256];
	int any = 0, all = 1, atom;
	size_t start;

	while (!x->err && *x->p && *x->p != '|' && (*x->p != ')' || !x->depth)) {
		any = 1;
		atom = 0;
		start = x->n;
		switch (*x->p) {
		case '(':
			x->p++;
			if (++x->groups >= RE_MAXGROUPS) {
				x->err = "too many groups";
				return 0;
			}
			out(x, "(");
			x->depth++;
			atom = alternation(x);
			x->depth--;
			if (x->err)
				return 0;
			if (*x->p != ')') {
				x->err = "expected ), found end of regex";
				x->p--;		/* 4.8 names the last character */
				return 0;
			}
			x->p++;
			out(x, ")");
			break;
		case '[':
			x->p++;
			bracket(x);
			break;
		case '.':
			x->p++;
			memset(set, 1, sizeof(set));
			out_set(x, set);
			break;
		case '$':
			x->p++;
			out(x, "\"\\x00\"");
			break;
		case '^':		/* not at the start: never matches here */
			x->p++;
			out(x, "[]");
			break;
		case '*': case '+': case '?': case '{':
			x->err = *x->p == '*' ? "unexpected '*'" : *x->p == '+' ? "unexpected '+'" :
				 *x->p == '?' ? "unexpected '?'" : "unexpected '{'";
			return 0;
		case '\\':
			if (!x->p[1]) {
				x->err = "expected a character after '\\', found end of regex";
				return 0;
			}
			x->p++;
			/* fall through */
		default:
			out(x, "\"\\x%02x\"", (unsigned char)*x->p++);
			break;
		}
		if (!x->err)
			all &= repeat(x, atom, start);
	}
	if (!any)
		out(x, "\"\"");
	return all;
}

static int alternation(struct ere *x)
{
	int nullable = concat(x);

	while (!x->err && *x->p == '|') {
		x->p++;
		out(x, "|");
		nullable |= concat(x);
	}
	return nullable;
}

/**
 * translate - @r->re into re2c syntax in @r->c
 *
 * Return: 0, or -1 after a diagnostic at @at naming the position as 4.8 does.
 */
static int translate(struct rx *r, const struct loc *at)
{
	struct ere x = { .re = r->re, .p = r->re };

	x.cap = 64;
	x.out = xcalloc(x.cap, 1);
	if (*x.p == '^') {
		r->anchored = 1;
		x.p++;
	}
	r->nullable = alternation(&x);
	if (x.err) {
		diag(at, "regex compilation error (at position %d): %s: string '%s'",
		     (int)(x.p - x.re), x.err, r->re);
		free(x.out);
		free(x.defs);
		return -1;
	}
	r->c = x.out;
	r->defs = x.defs;
	r->ngroups = x.groups + 1;
	return 0;
}

/**
 * regex_sema - check =~ or !~ @e: a string on the left, a regex that compiles on the right;
 * @e->num becomes the regex's number
 *
 * Return: 0, or -1 after a diagnostic.
 */
int regex_sema(struct expr *e)
{
	int i;

	e->type = TY_LONG;
	if (want(e->a, TY_STRING))
		return -1;
	for (i = 0; i < nrx && strcmp(rxs[i].re, e->b->str); i++)
		;
	if (i == nrx) {
		rxs = realloc(rxs, (nrx + 1) * sizeof(*rxs));
		if (!rxs)
			abort();
		memset(&rxs[nrx], 0, sizeof(*rxs));
		rxs[nrx].re = e->b->str;
		rxs[nrx].loc = e->b->loc;
		if (translate(&rxs[nrx], &e->b->loc))
			return -1;
		nrx++;
	}
	e->num = i;
	return 0;
}

/**
 * regex_emit_match - the C of =~ or !~ @e
 * @o: output
 * @e: the operator
 */
void regex_emit_match(struct out *o, const struct expr *e)
{
	put(o, "(%srt_rematch_%d(c, ", e->op[0] == '!' ? "!" : "", (int)e->num);
	emit_expr(o, e->a);
	put(o, "))");
}

/** log_line - a line of re2c's diagnostics without its temporary file's name (@in:L:C: ) */
static void log_line(const char *line, const char *in)
{
	size_t n = strlen(in);

	if (!strncmp(line, in, n) && line[n] == ':') {
		line += n + 1;
		line += strspn(line, "0123456789:");
		line += strspn(line, " ");
	}
	fprintf(stderr, "re2c: %s", line);
}

/** re2c_run - @r's matcher as re2c writes it, into @o; 0, or -1 after a diagnostic */
static int re2c_run(struct out *o, const struct rx *r, int i)
{
	struct stat st;
	char dir[] = "/tmp/stapreXXXXXX", in[64], outc[64], log[64], line[512];
	char *argv[] = { "re2c", "-W", "--no-generation-date", "--no-version", "-o", outc, in,
			 NULL };
	FILE *f;
	int rc;

	if (!mkdtemp(dir)) {
		diag(&r->loc, "cannot compile regex '%s': %s", r->re, strerror(errno));
		return -1;
	}
	snprintf(in, sizeof(in), "%s/re.re", dir);
	snprintf(outc, sizeof(outc), "%s/re.c", dir);
	snprintf(log, sizeof(log), "%s/log", dir);
	f = fopen(in, "w");
	if (f) {
		fprintf(f, "static int rt_re_%d(const unsigned char *YYCURSOR, "
			"const unsigned char **pm)\n{\n"
			"\tconst unsigned char *YYMARKER __maybe_unused;\n"
			"\t/*!stags:re2c format = 'const unsigned char *@@ __maybe_unused;\\n'; */\n"
			"\tsize_t yynmatch;\n\tconst unsigned char *yypmatch[%d];\n"
			"\t/*!re2c\n\t\tre2c:define:YYCTYPE = \"unsigned char\";\n"
			"\t\tre2c:yyfill:enable = 0;\n\t\tre2c:posix-captures = 1;\n%s"
			"\t\t%s { memcpy(pm, yypmatch, sizeof(yypmatch)); return yynmatch; }\n"
			"\t\t* { return %d; }\n\t*/\n}\n", i, 2 * r->ngroups,
			r->defs ? r->defs : "", r->c,
			r->nullable ? -1 : 0);
		fclose(f);
	}
	rc = f ? run(argv, log) : -1;
	f = rc ? fopen(log, "r") : fopen(outc, "r");
	if (rc)
		diag(&r->loc, "re2c could not compile regex '%s'%s", r->re,
		     rc < 0 ? " (is Debian's re2c installed?)" : "");
	if (!rc && f && !fstat(fileno(f), &st) && st.st_size > RE_MAX_C) {
		/* a DFA of exponential size ((a|b)*a(a|b){12}): a module that never builds */
		diag(&r->loc, "regex '%s' is too complex: its matcher would be %lld KiB of C "
		     "(at most %d)", r->re, (long long)st.st_size / 1024, RE_MAX_C / 1024);
		rc = 1;
		fclose(f);
		f = NULL;
	}
	while (f && fgets(line, sizeof(line), f))
		rc ? log_line(line, in) : put(o, "%s", line);
	if (f)
		fclose(f);
	unlink(in);
	unlink(outc);
	unlink(log);
	rmdir(dir);
	return rc ? -1 : 0;
}

/**
 * regex_emit - the per-CPU match state (when a regex or tapset/regex.stp is used) and
 * every regex's matcher, at file scope
 * @o: output
 * @s: the script
 *
 * Return: 0, or -1 after a diagnostic.
 */
int regex_emit(struct out *o, const struct script *s)
{
	const struct func *fn;
	int i, need = nrx > 0;

	for (fn = s->funcs; fn && !need; fn = fn->next)
		need = fn->code && strstr(fn->code, "rt_re_last");
	if (!need)
		return 0;
	put(o, "/* the last =~ match on this CPU (4.8: context last_match) */\n"
	    "struct rt_re_last {\n\tint result;\n\tint n;\n\tint off[%d];\n"
	    "\tchar str[RT_MAXSTRINGLEN];\n};\n"
	    "static DEFINE_PER_CPU(struct rt_re_last, rt_re_last);\n\n", 2 * RE_MAXGROUPS);
	for (i = 0; i < nrx; i++) {
		if (re2c_run(o, &rxs[i], i))
			return -1;
		put(o, "\nstatic int rt_rematch_%d(struct rt_context *c, const char *s)\n{\n"
		    "\tstruct rt_re_last *m = this_cpu_ptr(&rt_re_last);\n"
		    "\tconst unsigned char *p = (const unsigned char *)s, *pm[%d];\n"
		    "\tint n, k;\n\n\tfor (;;) {\n\t\tn = rt_re_%d(p, pm);\n"
		    "\t\tif (n < 0) {\t/* only the empty string matches here */\n"
		    "\t\t\tn = %d;\n\t\t\tfor (k = 0; k < 2 * n; k++)\n"
		    "\t\t\t\tpm[k] = k < 2 ? p : NULL;\n\t\t}\n"
		    "\t\tif (n || %d || !*p)\n\t\t\tbreak;\n\t\tp++;\n\t}\n"
		    "\tm->result = n > 0;\n\tm->n = n;\n\tstrscpy(m->str, s, RT_MAXSTRINGLEN);\n"
		    "\tfor (k = 0; k < 2 * n; k++)\n"
		    "\t\tm->off[k] = pm[k] ? (int)(pm[k] - (const unsigned char *)s) : -1;\n"
		    "\treturn n > 0;\n}\n", i, 2 * rxs[i].ngroups, i, rxs[i].ngroups,
		    rxs[i].anchored);
	}
	return 0;
}
