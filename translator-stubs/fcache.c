// SPDX-License-Identifier: GPL-2.0
/*
 * fcache.c - the per-file cache of names that the tapset index and the module tracepoint
 * index keep between runs (the format is in fcache.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ast.h"
#include "fcache.h"

static void *grow(void *v, size_t n, size_t size)
{
	v = realloc(v, n * size);
	if (!v) {
		fputs("stap: out of memory\n", stderr);
		exit(1);
	}
	return v;
}

/**
 * fcache_load - read the cache @file into @c (@c->tag set by the caller)
 *
 * A line that is not one of the format's is skipped. Never fails: no file is an empty cache.
 */
void fcache_load(struct fcache *c, const char *file)
{
	FILE *f = file ? fopen(file, "r") : NULL;
	struct fcache_entry *e = NULL;
	long long a, b, d;
	size_t cap = 0;
	char *line = NULL;
	ssize_t len;
	int off;

	while (f && (len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (line[0] == 'F' && sscanf(line, "F %lld %lld %lld %n", &a, &b, &d, &off) == 3) {
			c->v = grow(c->v, c->n + 1, sizeof(*c->v));
			e = &c->v[c->n++];
			*e = (struct fcache_entry){ xstrdup(line + off), a, b, d, NULL, 0, 0 };
		} else if (e && line[0] == c->tag && line[1] == ' ' && line[2]) {
			fcache_add_name(e, line + 2);
		}
	}
	free(line);
	if (f)
		fclose(f);
	c->nloaded = c->n;
}

/**
 * fcache_find - the entry of @path if its size and mtime are still those of @st, or NULL
 *
 * A hit is marked seen; a stale entry is not, so the next save drops it.
 */
struct fcache_entry *fcache_find(struct fcache *c, const char *path, const struct stat *st)
{
	struct fcache_entry *e;
	int k;

	for (k = 0; k < c->n; k++) {
		e = &c->v[(c->next + k) % c->n];
		if (strcmp(e->path, path))
			continue;
		c->next = (c->next + k) % c->n + 1;
		if (e->size != (long long)st->st_size || e->sec != (long long)st->st_mtim.tv_sec ||
		    e->nsec != (long long)st->st_mtim.tv_nsec)
			return NULL;
		if (!e->seen)
			c->nseen++;
		e->seen = 1;
		return e;
	}
	return NULL;
}

/** fcache_add - a new, seen entry for @path as @st describes it, with no names yet */
struct fcache_entry *fcache_add(struct fcache *c, const char *path, const struct stat *st)
{
	c->v = grow(c->v, c->n + 1, sizeof(*c->v));
	c->v[c->n] = (struct fcache_entry){ xstrdup(path), (long long)st->st_size,
					    (long long)st->st_mtim.tv_sec,
					    (long long)st->st_mtim.tv_nsec, NULL, 0, 1 };
	c->nseen++;
	c->dirty = 1;
	return &c->v[c->n++];
}

/** fcache_add_name - append @name (copied) to @e's names */
void fcache_add_name(struct fcache_entry *e, const char *name)
{
	e->names = grow(e->names, e->n + 1, sizeof(*e->names));
	e->names[e->n++] = xstrdup(name);
}

/**
 * fcache_save - rewrite @file with the seen entries, when one was added or one went away
 *
 * Written to FILE.PID and renamed over @file, so a reader never sees half a cache; a path
 * with a newline is left out.  A write that fails leaves the old cache (or none).
 */
void fcache_save(struct fcache *c, const char *file)
{
	char tmp[PATH_MAX];
	FILE *f;
	int i, j;

	if (!file || (!c->dirty && c->nseen == c->nloaded) ||
	    snprintf(tmp, sizeof(tmp), "%s.%d", file, (int)getpid()) >= (int)sizeof(tmp))
		return;
	f = fopen(tmp, "w");
	for (i = 0; f && i < c->n; i++) {
		if (!c->v[i].seen || strchr(c->v[i].path, '\n'))
			continue;
		fprintf(f, "F %lld %lld %lld %s\n", c->v[i].size, c->v[i].sec, c->v[i].nsec,
			c->v[i].path);
		for (j = 0; j < c->v[i].n; j++)
			fprintf(f, "%c %s\n", c->tag, c->v[i].names[j]);
	}
	if (f && (ferror(f) | fclose(f) | rename(tmp, file)))
		unlink(tmp);
}
