// SPDX-License-Identifier: GPL-2.0
/*
 * stap-merge - merge bulk-mode per-CPU files (staprun -b ... FILE_<cpu>) by timestamp,
 * into exactly the order staprun's live merge produces.
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
#include "stream.h"

#define CHUNK	(1 << 20)

static FILE *out;

static void __attribute__((format(printf, 1, 2), noreturn)) die(const char *fmt, ...)
{
	va_list ap;

	fputs("stap-merge: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
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
		die("out of memory");
	do
		n = read(fd, p, CHUNK);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		die("cannot read '%s': %s", name, strerror(errno));
	rt_stream_added(st, n);
	return n;
}

static void check_merge(int n, struct rt_merge *m, char **files)
{
	unsigned int i;

	if (n >= 0)
		return;
	if (errno != EBADMSG)
		die("cannot write the output: %s", strerror(errno));
	for (i = 0; i < m->n; i++) {
		const struct rt_rec *r;

		if (rt_stream_peek(&m->streams[i], &r) && errno == EBADMSG)
			die("'%s' is corrupt at offset %llu: %s", files[i],
			    (unsigned long long)rt_stream_error_offset(&m->streams[i]),
			    rt_stream_error_what(&m->streams[i]));
	}
	die("corrupt input");
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
	int c, verbose = 0, *fds, *eof, live;
	unsigned int i, n;

	while ((c = getopt_long(argc, argv, "vo:Vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'v': verbose = 1; break;
		case 'o': outfile = optarg; break;
		case 'V': printf("stap-merge (relaytap) %s\n", PACKAGE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	n = argc - optind;
	if (!n) {
		usage(stderr);
		return 1;
	}
	fds = calloc(n, sizeof(*fds));
	eof = calloc(n, sizeof(*eof));
	if (!fds || !eof || rt_merge_init(&m, n))
		die("out of memory");
	for (i = 0; i < n; i++) {
		fds[i] = open(argv[optind + i], O_RDONLY);
		if (fds[i] < 0)
			die("cannot open '%s': %s", argv[optind + i], strerror(errno));
		eof[i] = map_file(&m.streams[i], fds[i]);
	}
	out = outfile ? fopen(outfile, "w") : stdout;
	if (!out)
		die("cannot open output file '%s': %s", outfile, strerror(errno));
	setvbuf(out, NULL, _IOFBF, 4 << 20);
	do {
		for (live = 0, i = 0; i < n; i++) {
			if (eof[i])
				continue;
			eof[i] = !fill(&m.streams[i], fds[i], argv[optind + i]);
			if (eof[i] && !m.streams[i].offset && !m.streams[i].len)
				die("'%s' is empty", argv[optind + i]);
			live |= !eof[i];
		}
		check_merge(rt_merge_run(&m, !live, emit, NULL), &m, argv + optind);
	} while (live);
	for (i = 0; i < n; i++) {
		struct rt_stream *st = &m.streams[i];

		if (st->pos != st->len || st->sb_left)
			die("'%s' is truncated at offset %llu: the file ends inside a %s",
			    argv[optind + i], (unsigned long long)(st->offset + st->pos),
			    st->sb_left ? "sub-buffer" : "sub-buffer header");
		if (verbose)
			fprintf(stderr, "stap-merge: '%s': cpu %u, %llu records, %llu sub-buffers, %llu lost\n",
				argv[optind + i], st->cpu, (unsigned long long)st->nrecs,
				(unsigned long long)st->next_sb, (unsigned long long)st->lost);
		close(fds[i]);
	}
	if (fflush(out) || (out != stdout && fclose(out)))
		die("cannot write '%s': %s", outfile ? outfile : "stdout", strerror(errno));
	rt_merge_release(&m);
	return 0;
}
