// SPDX-License-Identifier: GPL-2.0
/*
 * emit-share.c - one handler for the probes whose handlers differ only in constants.
 *
 * `probe syscall.* {...}` expands to ~400 alias bodies (each with the script's body), and
 * `syscall.*.return` to ~400 more; their handlers differ mostly in string constants (the
 * syscall's name, "near ... at FILE:LINE" messages), in which printf format they use and
 * in the names of their locals.  Compiling 800 near-copies made gcc most of a cold -p4
 * (issue 16: 28 s for 2 MB of C).  After the handlers are written, each is read back as
 * tokens: the string literals passed to a runtime or script function (rt_...) or
 * assigned to a pointer, the format tables (&fmt_N), and the locals (l->l_NAME, renamed
 * by order of first use) are holes; everything else must match byte for byte.  The
 * handlers that then match (with frames of the same layout) become one function: the
 * holes whose values differ read them from the probe's own pinfo (pi->str[K],
 * pi->fmt[K]), which every caller already passes.  A handler matching no other is
 * written as it was.  Handlers with an entry part (@entry, .return parameters), embedded
 * C or preprocessor lines, statics or asm are never shared.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "emit.h"

enum hole_kind { H_STR, H_FMT, H_LOCAL, H_NAME };

/** struct hole - a place in a handler's text that may differ in a shared one */
struct hole {
	size_t off, len;
	enum hole_kind kind;
	int local;		/* H_LOCAL: the local's number, by order of first use */
};

/**
 * struct handler - one handler read back from the text
 * @p:      the probe whose body it is
 * @text:   its text ("static void rt_body_N(...) {...}"), in the emitted buffer
 * @len:    its length
 * @pre:    the text before it (an entry handler, the comment)
 * @prelen: that text's length
 * @holes:  its holes, in order
 * @nholes: how many
 * @nlocal: locals used
 * @names:  each local's name ("l_NAME", an offset into @text), by number
 * @lens:   each name's length
 * @key:    the canonical text (holes marked) and the canonical frame; NULL: not shared
 * @keylen: its length
 * @leader: the first handler with the same key
 * @nmembers: (leader) handlers with its key, itself included
 * @vary:   (leader) per hole: whether its value differs within the group (H_STR, H_FMT)
 */
struct handler {
	const struct probe *p;
	const char *text, *pre;
	size_t len, prelen;
	struct hole *holes;
	int nholes, nlocal;
	size_t *names, *lens;
	char *key;
	size_t keylen;
	struct handler *leader;
	int nmembers;
	char *vary;
};

/* the handlers of the script being emitted, by probe index (NULL: no handler of its own) */
static struct handler **by_probe;
static int nby_probe;
static char **frames;		/* by probe index: a leader's frame, its locals renumbered */
static struct handler *handlers;	/* all of them */
static int nhandlers;
static char *saved_text;		/* the text their holes point into */

static int ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static void add_hole(struct handler *h, size_t off, size_t len, enum hole_kind kind,
		     int local)
{
	h->holes = realloc(h->holes, (h->nholes + 1) * sizeof(*h->holes));
	if (!h->holes)
		abort();
	h->holes[h->nholes++] = (struct hole){ off, len, kind, local };
}

/** skip_literal - past the string or char literal at @t[@i] (quote @q) */
static size_t skip_literal(const char *t, size_t i, size_t n, char q)
{
	for (i++; i < n && t[i] != q; i++)
		if (t[i] == '\\')
			i++;
	return i < n ? i + 1 : n;
}

/**
 * struct scan - the tokenizer's state
 * @prev, @prev2: the last two tokens' first characters ('a' for an identifier or number)
 * @callee: per open ( or {: whether it is the argument list of an rt_ function
 */
struct scan {
	char prev, prev2;
	char *callee;
	int depth, cap;
	size_t last_ident, last_len;
};

static void push(struct scan *sc, int rt)
{
	if (sc->depth == sc->cap) {
		sc->cap = sc->cap ? 2 * sc->cap : 32;
		sc->callee = realloc(sc->callee, sc->cap);
		if (!sc->callee)
			abort();
	}
	sc->callee[sc->depth++] = rt;
}

static void token(struct scan *sc, char c)
{
	sc->prev2 = sc->prev;
	sc->prev = c;
}

/**
 * local_index - the number of the local named at @h->text[@off] (@len bytes), by order
 * of first use
 */
static int local_index(struct handler *h, size_t off, size_t len)
{
	int k;

	for (k = 0; k < h->nlocal; k++)
		if (h->lens[k] == len && !memcmp(h->text + h->names[k], h->text + off, len))
			return k;
	h->names = realloc(h->names, (h->nlocal + 1) * sizeof(*h->names));
	h->lens = realloc(h->lens, (h->nlocal + 1) * sizeof(*h->lens));
	if (!h->names || !h->lens)
		abort();
	h->names[h->nlocal] = off;
	h->lens[h->nlocal] = len;
	return h->nlocal++;
}

/**
 * scan_ident - an identifier or number at @t[@i]: a hole (a format table, a local, the
 * handler's own names), or a word that keeps the handler from being shared
 * Return: its end, or 0 when the handler must not be shared.
 */
static size_t scan_ident(struct handler *h, struct scan *sc, size_t i)
{
	const char *t = h->text;
	size_t j = i, n = h->len;
	char own[40];

	while (j < n && ident_char(t[j]))
		j++;
	if ((j - i == 6 && !memcmp(t + i, "static", 6)) || (j - i == 3 && !memcmp(t + i, "asm", 3))
	    || (j - i == 7 && !memcmp(t + i, "__asm__", 7)))
		return 0;
	if (sc->prev == '&' && j - i > 4 && !memcmp(t + i, "fmt_", 4) && isdigit((unsigned char)t[i + 4]))
		add_hole(h, i - 1, j - i + 1, H_FMT, 0);
	else if (j - i > 2 && !memcmp(t + i, "l_", 2) && i >= 3 && !memcmp(t + i - 3, "l->", 3)
		 && (i == 3 || !ident_char(t[i - 4])))
		add_hole(h, i, j - i, H_LOCAL, local_index(h, i, j - i));
	else {
		snprintf(own, sizeof(own), "rt_body_%d", h->p->index);
		if (strlen(own) != j - i || memcmp(t + i, own, j - i))
			snprintf(own, sizeof(own), "fr_p%d", h->p->index);
		if (strlen(own) == j - i && !memcmp(t + i, own, j - i))
			add_hole(h, i, j - i, H_NAME, 0);
	}
	sc->last_ident = i;
	sc->last_len = j - i;
	token(sc, 'a');
	return j;
}

/**
 * str_hole - whether a string literal after the tokens in @sc may become a pointer: an
 * argument of an rt_ function (the runtime's and the script's functions, never macros)
 * or the value of a string temporary or argument (`const char *_v = "..."`,
 * `{ .s = "..." }`)
 */
static int str_hole(const struct scan *sc, const char *t)
{
	if (sc->prev == '=' && sc->prev2 == 'a')
		return (sc->last_len == 2 && !memcmp(t + sc->last_ident, "_v", 2)) ||
		       (sc->last_len == 1 && t[sc->last_ident] == 's');
	return (sc->prev == '(' || sc->prev == ',') && sc->depth && sc->callee[sc->depth - 1];
}

/** scan_handler - find @h's holes; 0, or -1 when it must not be shared */
static int scan_handler(struct handler *h)
{
	struct scan sc = { 0 };
	const char *t = h->text;
	size_t i = strlen("static "), j, n = h->len;	/* static void rt_body_N(... */
	int rc = -1, rt;

	while (i < n) {
		if (isspace((unsigned char)t[i])) {
			for (j = i + 1; t[i] == '\n' && j < n && (t[j] == ' ' || t[j] == '\t'); )
				j++;
			if (t[i] == '\n' && j < n && t[j] == '#')
				goto out;	/* a preprocessor line (embedded C) */
			i++;
		} else if (t[i] == '/' && i + 1 < n && t[i + 1] == '/') {
			while (i < n && t[i] != '\n')
				i++;
		} else if (t[i] == '/' && i + 1 < n && t[i + 1] == '*') {
			j = i + 2;
			while (j + 1 < n && !(t[j] == '*' && t[j + 1] == '/'))
				j++;
			i = j + 2;
		} else if (t[i] == '"') {
			if (sc.prev == '"')
				goto out;	/* literals with a comment between them */
			for (j = i; j < n && t[j] == '"'; ) {	/* "a" "b": one string */
				j = skip_literal(t, j, n, '"');
				while (j < n && isspace((unsigned char)t[j]))
					j++;
			}
			while (j > i && isspace((unsigned char)t[j - 1]))
				j--;
			if (str_hole(&sc, t))
				add_hole(h, i, j - i, H_STR, 0);
			token(&sc, '"');
			i = j;
		} else if (t[i] == '\'') {
			i = skip_literal(t, i, n, '\'');
			token(&sc, 'a');
		} else if (ident_char(t[i])) {
			i = scan_ident(h, &sc, i);
			if (!i)
				goto out;
		} else {
			if (t[i] == '(' || t[i] == '{') {
				rt = t[i] == '(' && sc.prev == 'a' && sc.last_len > 3 &&
				     !memcmp(t + sc.last_ident, "rt_", 3);
				push(&sc, rt);
			} else if ((t[i] == ')' || t[i] == '}') && sc.depth) {
				sc.depth--;
			}
			token(&sc, t[i++]);
		}
	}
	rc = 0;
out:
	free(sc.callee);
	return rc;
}

/** local_of - the number of @h's local @v (unused ones after the used, in frame order) */
static int local_of(const struct handler *h, const struct sym *v, int *unused)
{
	size_t len = strlen(v->name);
	int k;

	for (k = 0; k < h->nlocal; k++)
		if (h->lens[k] == len + 2 && !memcmp(h->text + h->names[k] + 2, v->name, len))
			return k;
	return h->nlocal + (*unused)++;
}

/** frame_text - @h's frame with its locals renumbered, as emit_frame() writes it */
static char *frame_text(const struct handler *h, const char *name, int ntemps)
{
	const struct sym *v;
	char *text = NULL;
	size_t len;
	int unused = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	fprintf(f, "struct %s {\n", name);
	for (v = h->p->locals; v; v = v->next)
		fprintf(f, v->type == TY_STRING ? "\tchar l_%d[RT_MAXSTRINGLEN];\n" :
			"\tint64_t l_%d;\n", local_of(h, v, &unused));
	fprintf(f, "\tchar tmp[%d][RT_MAXSTRINGLEN];\n};\n", ntemps ? ntemps : 1);
	fclose(f);
	return text;
}

/**
 * render - @h's text into @f: @vary NULL writes the key (every hole marked), else the
 * shared handler (the holes @vary marks read the probe's pinfo)
 */
static void render(FILE *f, const struct handler *h, const char *vary)
{
	const struct hole *x;
	size_t at = 0;
	int k, nstr = 0, nfmt = 0;

	for (k = 0; k < h->nholes; k++) {
		x = &h->holes[k];
		fwrite(h->text + at, 1, x->off - at, f);
		at = x->off + x->len;
		if (x->kind == H_LOCAL)
			fprintf(f, "l_%d", x->local);
		else if (!vary)
			fprintf(f, "\001%c", "SFLN"[x->kind]);
		else if (x->kind == H_STR && vary[k])
			fprintf(f, "pi->str[%d]", nstr++);
		else if (x->kind == H_FMT && vary[k])
			fprintf(f, "pi->fmt[%d]", nfmt++);
		else
			fwrite(h->text + x->off, 1, x->len, f);
	}
	fwrite(h->text + at, 1, h->len - at, f);
}

/** make_key - @h's key: its canonical text and frame; NULL when it is never shared */
static char *make_key(struct handler *h, int ntemps)
{
	char *key = NULL, *frame;
	size_t len;
	FILE *f;

	if (h->p->nentry || scan_handler(h))
		return NULL;
	f = open_memstream(&key, &len);
	if (!f)
		abort();
	render(f, h, NULL);
	frame = frame_text(h, "\001N", ntemps);
	fputs(frame, f);
	free(frame);
	fclose(f);
	return key;
}

static int same_hole(const struct handler *a, const struct handler *b, int k)
{
	return a->holes[k].len == b->holes[k].len &&
	       !memcmp(a->text + a->holes[k].off, b->text + b->holes[k].off, a->holes[k].len);
}

/** group - give each handler its leader; mark in each leader which holes vary */
static void group(struct handler *v, int n)
{
	struct handler *h, *l;
	int i, j, k;

	for (i = 0; i < n; i++) {
		h = &v[i];
		h->leader = h;
		for (j = 0; h->key && j < i; j++) {
			l = &v[j];
			if (l->leader == l && l->key && l->keylen == h->keylen &&
			    !memcmp(l->key, h->key, h->keylen)) {
				h->leader = l;
				break;
			}
		}
		h->leader->nmembers++;
	}
	for (i = 0; i < n; i++) {
		h = &v[i];
		l = h->leader;
		if (l->nmembers < 2)
			continue;
		if (!l->vary)
			l->vary = xcalloc(l->nholes + 1, 1);
		for (k = 0; k < h->nholes; k++)
			l->vary[k] |= !same_hole(h, l, k);
	}
}

/** leader_text - a shared handler: a line saying so, then its text with the holes filled */
static void leader_text(FILE *f, const struct handler *l)
{
	fwrite(l->pre, 1, l->prelen, f);
	fprintf(f, "/* shared by %d probes (emit-share.c): each passes its own constants "
		"(pi->str, pi->fmt) */\n", l->nmembers);
	render(f, l, l->vary);
}

/**
 * share_handlers - merge the probe handlers that differ only in constants
 * @o:      the output (its script)
 * @text:   the functions' and handlers' text, as emit_bodies() wrote it; kept until
 *          share_reset() (the probes' constants are read from it)
 * @len:    its length, updated
 * @spans:  where each probe's handler (its comment, its entry handler) starts in @text,
 *          in probe order, and where it ends
 * @n:      how many
 * @ntemps: string temporaries, by script function then probe index (emit_frames())
 *
 * Return: the new text, or NULL when memory ran out (@text is then kept).
 */
char *share_handlers(struct out *o, char *text, size_t *len, const struct body_span *spans,
		     int n, const int *ntemps)
{
	struct handler *v = xcalloc(n + 1, sizeof(*v)), *h;
	size_t at = 0, newlen;
	char *out = NULL, *body, name[32];
	FILE *f;
	int i;

	share_reset();
	nby_probe = o->s->nprobes + 1;
	by_probe = xcalloc(nby_probe, sizeof(*by_probe));
	frames = xcalloc(nby_probe, sizeof(*frames));
	for (i = 0; i < n; i++) {
		h = &v[i];
		h->p = spans[i].p;
		h->pre = text + spans[i].start;
		body = strstr(h->pre, "static void rt_body_");
		h->prelen = body && (size_t)(body - text) < spans[i].end ? (size_t)(body - h->pre) :
			    spans[i].end - spans[i].start;
		h->text = h->pre + h->prelen;
		h->len = spans[i].end - spans[i].start - h->prelen;
		if (h->len)
			h->key = make_key(h, ntemps[o->s->nfuncs + h->p->index]);
		h->keylen = h->key ? strlen(h->key) : 0;
	}
	group(v, n);
	f = open_memstream(&out, &newlen);
	if (!f) {
		free(v);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		h = &v[i];
		fwrite(text + at, 1, spans[i].start - at, f);
		at = spans[i].end;
		if (h->leader->nmembers < 2) {
			fwrite(h->pre, 1, h->prelen + h->len, f);
			continue;
		}
		by_probe[h->p->index] = h;
		if (h->leader != h)
			continue;
		leader_text(f, h);
		snprintf(name, sizeof(name), "fr_p%d", h->p->index);
		frames[h->p->index] = frame_text(h, name, ntemps[o->s->nfuncs + h->p->index]);
	}
	fwrite(text + at, 1, *len - at, f);
	fclose(f);
	/* the handlers stay (by_probe): share_emit_args() reads their holes */
	handlers = v;
	nhandlers = n;
	saved_text = text;
	*len = newlen;
	return out;
}

/**
 * share_leader - the probe whose handler runs @p's body (the first with the same
 * handler), or @p; @p is a probe that writes a handler of its own (first_with_body())
 */
const struct probe *share_leader(const struct probe *p)
{
	if (p->index < nby_probe && by_probe[p->index])
		return by_probe[p->index]->leader->p;
	return p;
}

/** share_frame - the frame of @p's shared handler (its locals renumbered), or NULL */
const char *share_frame(const struct probe *p)
{
	return p->index < nby_probe ? frames[p->index] : NULL;
}

/** emit_holes - the values of @h's holes of @kind that vary in its group, as a C list */
static int emit_holes(struct out *o, const struct handler *h, enum hole_kind kind)
{
	const char *vary = h->leader->vary;
	int k, n = 0;

	for (k = 0; k < h->nholes; k++) {
		if (h->holes[k].kind != kind || !vary[k])
			continue;
		put(o, "%s%.*s", n++ ? ", " : " ", (int)h->holes[k].len,
		    h->text + h->holes[k].off);
	}
	return n;
}

/**
 * share_emit_args - before the pinfo of @p, a probe that writes a handler of its own
 * (first_with_body() before sharing): its constants, if its handler is shared
 */
void share_emit_args(struct out *o, const struct probe *p)
{
	const struct handler *h = p->index < nby_probe ? by_probe[p->index] : NULL;

	if (!h)
		return;
	put(o, "static const char *const rt_str_%d[] = {", p->index);
	if (!emit_holes(o, h, H_STR))
		put(o, " NULL");
	put(o, " };\nstatic const struct rt_fmt *const rt_fmt_%d[] = {", p->index);
	if (!emit_holes(o, h, H_FMT))
		put(o, " NULL");
	put(o, " };\n");
}

/**
 * share_pinfo_fields - the pinfo fields of a probe whose body is @owner's (the probe
 * that writes that handler, before sharing): where its shared handler finds its constants
 */
void share_pinfo_fields(struct out *o, const struct probe *owner)
{
	if (owner->index < nby_probe && by_probe[owner->index])
		put(o, ", .str = rt_str_%d, .fmt = rt_fmt_%d", owner->index, owner->index);
}

/** share_reset - forget the last script's handlers */
void share_reset(void)
{
	int i;

	for (i = 0; i < nhandlers; i++) {
		free(handlers[i].holes);
		free(handlers[i].names);
		free(handlers[i].lens);
		free(handlers[i].key);
		free(handlers[i].vary);
	}
	for (i = 0; i < nby_probe; i++)
		free(frames[i]);
	free(handlers);
	free(by_probe);
	free(frames);
	free(saved_text);
	handlers = NULL;
	by_probe = NULL;
	frames = NULL;
	saved_text = NULL;
	nhandlers = nby_probe = 0;
}
