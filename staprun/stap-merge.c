// SPDX-License-Identifier: GPL-2.0
/*
 * stap-merge - merge bulk-mode per-CPU files (stap -b; staprun -o FILE writes
 * FILE_<cpu>) by timestamp, into exactly the order staprun's live merge produces.
 *
 *   stap-merge [-v] [-o OUT] FILE...
 *
 * The only stap-merge file that prints and exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config.h"
#include "../common/usage.h"
#include "outfile.h"
#include "../common/stream.h"

#define CHUNK	(1 << 20)

static FILE *out;
static int verbose;
static struct rt_outfile outf;	/* -o OUT, removed unless complete */

/** drop_output - at exit: an output not renamed into place is removed */
static void drop_output(void)
{
	rt_outfile_abort(&outf);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: stap-merge [-v] [-o OUT] FILE...\n"
		"Merge relaytap bulk-mode per-CPU files by timestamp (ties: CPU, then sequence).\n\n"
		"  -o OUT   write the merged text to OUT (default: stdout)\n"
		"  -v       print per-file statistics on stderr\n"
		"  -V, --version  print the version\n"
		"  -h, --help     print this help\n");
}

static int emit(void *arg, const struct rt_rec *rec)
{
	return rec->len && fwrite_unlocked(rec->data, rec->len, 1, out) != 1 ? -1 : 0;
}

/**
 * map_file - map all of regular file @fd into @st (no copy); 1 when done, 0 when the file
 * cannot be mapped (a pipe) and must be read, -1 with errno
 */
static int map_file(struct rt_stream *st, int fd)
{
	struct stat sb;
	void *p;

	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || !sb.st_size)
		return 0;
	p = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return 0;
	madvise(p, sb.st_size, MADV_SEQUENTIAL);
	rt_stream_attach(st, p, sb.st_size);
	return 1;
}

/** fill - read up to CHUNK more bytes of file @i; 0 at end of file */
static ssize_t fill(struct rt_stream *st, int fd, const char *name)
{
	char *p = rt_stream_space(st, CHUNK);
	ssize_t n;

	if (!p)
		rt_die("out of memory");
	do
		n = read(fd, p, CHUNK);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		rt_die("cannot read '%s': %s", name, strerror(errno));
	rt_stream_added(st, n);
	return n;
}

/**
 * open_inputs - open every file; an empty regular file is a CPU with no records and takes
 * no part in the merge
 * @names: the files
 * @n:     how many
 * @ids:   set to their identities
 * @fds:   set to the open files, in the order of the merge
 * @used:  set to the names of the merged files, in the same order
 *
 * Return: the number of files merged.
 */
static unsigned int open_inputs(char **names, unsigned int n, struct rt_file_id *ids,
				int *fds, char **used)
{
	unsigned int i, k = 0;
	struct stat sb;
	int fd;

	for (i = 0; i < n; i++) {
		fd = open(names[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			rt_die("cannot open '%s': %s", names[i], strerror(errno));
		if (fstat(fd, &sb))
			rt_die("cannot read '%s': %s", names[i], strerror(errno));
		ids[i].dev = sb.st_dev;
		ids[i].ino = sb.st_ino;
		if (S_ISREG(sb.st_mode) && rt_is_input_id(&ids[i], ids, i))
			rt_die("input '%s' is given twice (one CPU's records would merge twice)",
			       names[i]);
		if (S_ISREG(sb.st_mode) && !sb.st_size) {
			if (verbose)
				fprintf(stderr, "stap-merge: '%s': empty, 0 records\n", names[i]);
			close(fd);
			continue;
		}
		fds[k] = fd;
		used[k++] = names[i];
	}
	return k;
}

/** open_output - -o OUT: never one of the inputs; written through a temporary file */
static void open_output(const char *outfile, const struct rt_file_id *ids, unsigned int n)
{
	struct rt_file_id so;
	struct stat sb;

	if (!outfile) {
		/* "stap-merge c_0 c_1 >> c_0" would grow an input as it is read */
		if (!fstat(STDOUT_FILENO, &sb) && S_ISREG(sb.st_mode)) {
			so.dev = sb.st_dev;
			so.ino = sb.st_ino;
			if (rt_is_input_id(&so, ids, n))
				rt_die("standard output is also an input");
		}
		out = stdout;
		return;
	}
	if (rt_is_input(outfile, ids, n))
		rt_die("output '%s' is also an input", outfile);
	if (rt_outfile_open(&outf, outfile))
		rt_die("cannot open output file '%s': %s", outfile, strerror(errno));
	atexit(drop_output);
	out = outf.f;
}

static void check_merge(int n, struct rt_merge *m, char **files)
{
	unsigned int i;

	if (n >= 0)
		return;
	if (errno != EBADMSG)
		rt_die("cannot write the output: %s", strerror(errno));
	for (i = 0; i < m->n; i++) {
		const struct rt_rec *r;

		if (rt_stream_peek(&m->streams[i], &r) && errno == EBADMSG)
			rt_die("'%s' is corrupt at offset %llu: %s", files[i],
			    (unsigned long long)rt_stream_error_offset(&m->streams[i]),
			    rt_stream_error_what(&m->streams[i]));
	}
	rt_die("corrupt input");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *outfile = NULL;
	struct rt_merge m;
	int c, *fds, *eof, live;
	struct rt_file_id *ids;
	unsigned int i, n, k;
	char **names;

	rt_usage_init("stap-merge", NULL);
	while ((c = getopt_long(argc, argv, "vo:Vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'v': verbose = 1; break;
		case 'o': outfile = optarg; break;
		case 'V': printf("stap-merge (relaytap) %s\n", PACKAGE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: rt_usage_error(usage);
		}
	}
	n = argc - optind;
	if (!n)
		rt_usage_error(usage);
	fds = calloc(n, sizeof(*fds));
	ids = calloc(n, sizeof(*ids));
	names = calloc(n, sizeof(*names));
	if (!fds || !ids || !names)
		rt_die("out of memory");
	k = open_inputs(argv + optind, n, ids, fds, names);
	eof = calloc(k + 1, sizeof(*eof));
	if (!eof)
		rt_die("out of memory");
	if (rt_merge_init(&m, k))
		rt_die("cannot merge %u files: %s", k, strerror(errno));
	for (i = 0; i < k; i++)
		eof[i] = map_file(&m.streams[i], fds[i]);
	open_output(outfile, ids, n);
	setvbuf(out, NULL, _IOFBF, 4 << 20);
	do {
		for (live = 0, i = 0; i < k; i++) {
			if (eof[i])
				continue;
			eof[i] = !fill(&m.streams[i], fds[i], names[i]);
			live |= !eof[i];
		}
		check_merge(rt_merge_run(&m, !live, emit, NULL), &m, names);
	} while (live);
	for (i = 0; i < k; i++) {
		struct rt_stream *st = &m.streams[i];

		if (st->pos != st->len || st->sb_left)
			rt_die("'%s' is truncated at offset %llu: the file ends inside a %s",
			    names[i], (unsigned long long)(st->offset + st->pos),
			    st->sb_left ? "sub-buffer" : "sub-buffer header");
		if (verbose)
			fprintf(stderr, "stap-merge: '%s': cpu %u, %llu records, %llu sub-buffers, %llu lost\n",
				names[i], st->cpu, (unsigned long long)st->nrecs,
				(unsigned long long)st->next_sb, (unsigned long long)st->lost);
		close(fds[i]);
	}
	if (outfile ? rt_outfile_commit(&outf) : fflush(out))
		rt_die("cannot write '%s': %s", outfile ? outfile : "stdout", strerror(errno));
	rt_merge_release(&m);
	return 0;
}
