/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fcache.h - a cache of what the translator found in each file, keyed by the file's path,
 * size and modification time, kept between runs in a text file: the tapset library's index
 * (tapset.c) and the tracepoint names of compressed modules (modtp.c).
 *
 * The file holds "F SIZE SEC NSEC PATH" lines, each followed by the file's names as
 * "TAG NAME" lines (TAG is the cache's one letter).  It is rewritten, through a renamed
 * temporary, when a file was added, changed or went away.  It is only a cache: a missing,
 * unreadable or malformed one costs a rescan, never an error.
 */
#ifndef RT_FCACHE_H
#define RT_FCACHE_H

#include <sys/stat.h>

/**
 * struct fcache_entry - what one file held when it had @size and its mtime
 * @path:  the file
 * @size:  its size, bytes
 * @sec:   its modification time, seconds
 * @nsec:  and nanoseconds
 * @names: the names found in it (the strings are never freed: the translator is short-lived)
 * @n:     how many
 * @seen:  found in this run, unchanged or added: only these are saved
 */
struct fcache_entry {
	char *path;
	long long size, sec, nsec;
	char **names;
	int n;
	int seen;
};

/**
 * struct fcache - one cache file's entries
 * @tag:     the letter of its name lines
 * @v:       the entries, in the order saved (a scan visits the files in that order)
 * @n:       how many
 * @nloaded: how many were read from the file
 * @nseen:   how many were seen in this run
 * @next:    where the next lookup starts
 * @dirty:   an entry was added
 */
struct fcache {
	char tag;
	struct fcache_entry *v;
	int n, nloaded, nseen, next, dirty;
};

void fcache_load(struct fcache *c, const char *file);
struct fcache_entry *fcache_find(struct fcache *c, const char *path, const struct stat *st);
struct fcache_entry *fcache_add(struct fcache *c, const char *path, const struct stat *st);
void fcache_add_name(struct fcache_entry *e, const char *name);
void fcache_save(struct fcache *c, const char *file);

#endif
