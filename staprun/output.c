// SPDX-License-Identifier: GPL-2.0
/*
 * output.c - where merged output goes: stdout, a file, or rotated files (-S).
 *
 * With rotation the files are FILE.0, FILE.1, ...; a new one starts when the current one
 * would pass the size limit (at a record boundary) or on request (SIGUSR2), and only the
 * newest KEEP files are kept (0: all).
 *
 * The output is streamed in place (it can be followed while the session runs, and is
 * flushed at least every RT_FLUSH_MS), but it is never one of staprun's inputs (the
 * module file), and an existing file is emptied only once the module runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "staprun.h"

/** rt_output_truncate - empty the current file, when it is a regular file */
static int rt_output_truncate(struct rt_output *o)
{
	struct stat st;

	if (fstat(fileno(o->f), &st))
		return -1;
	return S_ISREG(st.st_mode) ? ftruncate(fileno(o->f), 0) : 0;
}

/**
 * rt_output_file - open the current file of @o: never one of the inputs (the module);
 * an existing file is emptied only once the output is live (rt_output_start)
 */
static int rt_output_file(struct rt_output *o)
{
	int fd;

	if (!o->rotate)
		snprintf(o->path, sizeof(o->path), "%s", o->base);
	else
		snprintf(o->path, sizeof(o->path), "%s.%u", o->base, o->index);
	if (rt_is_input(o->path, o->inputs, o->n_inputs)) {
		o->clash = 1;
		errno = EEXIST;
		return -1;
	}
	fd = open(o->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	o->created = fd >= 0;
	if (fd < 0 && errno == EEXIST)
		fd = open(o->path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	o->f = fdopen(fd, "w");
	if (!o->f) {
		close(fd);
		return -1;
	}
	setvbuf(o->f, NULL, _IOFBF, 1 << 20);
	o->written = 0;
	return o->live ? rt_output_truncate(o) : 0;
}

/**
 * rt_output_open - set up output to @base (NULL: stdout); nothing is truncated yet
 * @o:      the output
 * @base:   file name, or NULL
 * @rotate: bytes per file (0: no rotation)
 * @keep:   files kept when rotating (0: all)
 * @inputs: files no output may be (the module), @n_inputs of them
 *
 * Return: 0, or -1 with errno (EEXIST and o->clash: the file o->path is an input).
 */
int rt_output_open(struct rt_output *o, const char *base, unsigned long rotate, unsigned int keep,
		   const struct rt_file_id *inputs, unsigned int n_inputs)
{
	memset(o, 0, sizeof(*o));
	o->base = base;
	o->rotate = rotate;
	o->keep = keep;
	o->inputs = inputs;
	o->n_inputs = n_inputs;
	if (!base) {
		o->f = stdout;
		o->live = 1;
		setvbuf(stdout, NULL, _IOFBF, 1 << 20);
		return 0;
	}
	return rt_output_file(o);
}

/**
 * rt_output_start - the module runs: empty the file and write to it, or, in bulk mode
 * (the data goes to the per-CPU files), close it and remove it if staprun created it
 * @o:    the output
 * @bulk: bulk mode
 *
 * Return: 0, or -1 with errno.
 */
int rt_output_start(struct rt_output *o, int bulk)
{
	if (o->live)
		return 0;
	if (!bulk) {
		o->live = 1;
		return rt_output_truncate(o);
	}
	rt_output_discard(o);
	return 0;
}

/** rt_output_discard - before the output is live: close it, remove it if staprun made it */
void rt_output_discard(struct rt_output *o)
{
	if (o->live || !o->f)
		return;
	fclose(o->f);
	o->f = NULL;
	if (o->created)
		unlink(o->path);
}

/**
 * rt_output_rotate - start the next file (only with rotation); drop the oldest beyond keep
 * @o: the output
 *
 * Return: 0, or -1 with errno.
 */
int rt_output_rotate(struct rt_output *o)
{
	char path[PATH_MAX];

	if (!o->rotate || !o->f)
		return 0;
	if (fclose(o->f))
		return -1;
	o->f = NULL;
	o->index++;
	if (o->keep && o->index >= o->keep) {
		snprintf(path, sizeof(path), "%s.%u", o->base, o->index - o->keep);
		if (!rt_is_input(path, o->inputs, o->n_inputs) && unlink(path) && errno != ENOENT)
			return -1;
	}
	return rt_output_file(o);
}

/**
 * rt_output_failed - the file refused data (disk full, I/O error): keep the error, and
 * count as not written the records since the last successful flush (and this one)
 * @o:    the output
 * @more: records failing now beyond those pending
 */
static void rt_output_failed(struct rt_output *o, unsigned int more)
{
	o->err = errno ? errno : EIO;
	o->dropped += o->pending + more;
	o->pending = 0;
}

/**
 * rt_output_write - write @len bytes of one record
 * @o:    the output
 * @data: bytes
 * @len:  count
 *
 * Once the file refused data, records are only counted (o->dropped) and o->err holds
 * why; the session ends, and staprun reports them.
 *
 * Return: 0, or -1 with errno when rotating to a new file failed.
 */
int rt_output_write(struct rt_output *o, const void *data, size_t len)
{
	if (o->err) {
		o->dropped++;
		return 0;
	}
	if (o->rotate && o->written && o->written + len > o->rotate && rt_output_rotate(o))
		return -1;
	if (len && fwrite(data, len, 1, o->f) != 1) {
		rt_output_failed(o, 1);
		return 0;
	}
	o->pending++;
	o->written += len;
	return 0;
}

/** rt_output_flush - push buffered output to the file (a failure is kept in o->err) */
int rt_output_flush(struct rt_output *o)
{
	if (!o->f || o->err)
		return 0;
	if (fflush(o->f))
		rt_output_failed(o, 0);
	else
		o->pending = 0;
	return 0;
}

/** rt_output_close - flush and close (a failure is kept in o->err); 0 */
int rt_output_close(struct rt_output *o)
{
	int ret = 0;

	if (!o->f)
		return 0;
	if (o->f == stdout)
		ret = fflush(stdout);
	else
		ret = fclose(o->f);
	o->f = NULL;
	if (ret && !o->err)
		rt_output_failed(o, 0);
	return 0;
}
