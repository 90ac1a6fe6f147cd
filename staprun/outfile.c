// SPDX-License-Identifier: GPL-2.0
/*
 * outfile.c - safe output files, shared by staprun and stap-merge.
 *
 * An output is never one of the program's inputs (same device and inode, whatever the
 * name), and a regular output file is written as DIR/.NAME.XXXXXX and renamed to
 * DIR/NAME once complete: a crash, a full disk or an error leaves the old file (if any)
 * untouched, never a half-written one in its place.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "outfile.h"

/** rt_file_id_get - the identity of open file @fd; 0, or -1 with errno */
int rt_file_id_get(int fd, struct rt_file_id *id)
{
	struct stat st;

	if (fstat(fd, &st))
		return -1;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return 0;
}

/**
 * rt_is_input - whether @path names one of the @n files @ids (following symlinks)
 *
 * Return: 1 when it does, 0 when not (or when @path does not exist).
 */
int rt_is_input(const char *path, const struct rt_file_id *ids, unsigned int n)
{
	struct rt_file_id id;
	struct stat st;

	if (stat(path, &st))
		return 0;
	id.dev = st.st_dev;
	id.ino = st.st_ino;
	return rt_is_input_id(&id, ids, n);
}

/**
 * rt_is_input_id - whether the file @id is one of @ids
 * @id:  a file's identity
 * @ids: the inputs' identities
 * @n:   how many
 *
 * Return: 1 or 0.
 */
int rt_is_input_id(const struct rt_file_id *id, const struct rt_file_id *ids, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ids[i].dev == id->dev && ids[i].ino == id->ino)
			return 1;
	return 0;
}

/** rt_outfile_tmpname - "DIR/.NAME.XXXXXX" for @path; malloc()ed, or NULL */
static char *rt_outfile_tmpname(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
	char *t = malloc(strlen(path) + 9);

	if (!t)
		return NULL;
	memcpy(t, path, dlen);
	sprintf(t + dlen, ".%s.XXXXXX", path + dlen);
	return t;
}

/** rt_outfile_mode - the mode for a new output: the old file's, or 0666 less the umask */
static mode_t rt_outfile_mode(const char *path)
{
	struct stat st;
	mode_t mask;

	if (!stat(path, &st))
		return st.st_mode & 07777;
	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

/** rt_outfile_start - create the temporary file for o->path and open o->f on it */
static int rt_outfile_start(struct rt_outfile *o)
{
	int fd, e;

	o->tmp = rt_outfile_tmpname(o->path);
	if (!o->tmp)
		return -1;
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fchmod(fd, rt_outfile_mode(o->path)) || !(o->f = fdopen(fd, "w"))) {
		e = errno;
		close(fd);
		unlink(o->tmp);
		errno = e;
		return -1;
	}
	return 0;
}

/**
 * rt_outfile_open - start writing @path: in place when it is an existing device or fifo,
 * else through a temporary file in its directory (a symlink's target is what is replaced)
 * @o:    the output
 * @path: the file name
 *
 * Return: 0, or -1 with errno (and nothing created).
 */
int rt_outfile_open(struct rt_outfile *o, const char *path)
{
	struct stat st;
	char real[PATH_MAX];
	int e;

	memset(o, 0, sizeof(*o));
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			return -1;
		}
		o->f = fopen(path, "we");
		return o->f ? 0 : -1;
	}
	o->path = strdup(realpath(path, real) ? real : path);
	if (!o->path || rt_outfile_start(o)) {
		e = errno;
		free(o->path);
		free(o->tmp);
		memset(o, 0, sizeof(*o));
		errno = e;
		return -1;
	}
	return 0;
}

/** rt_outfile_free - forget the names */
static void rt_outfile_free(struct rt_outfile *o)
{
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
}

/**
 * rt_outfile_commit - flush, close and (when written to a temporary file) sync it and
 * rename it into place; on failure the temporary file is removed
 *
 * Return: 0, or -1 with errno.
 */
int rt_outfile_commit(struct rt_outfile *o)
{
	int ret = 0, e;

	if (!o->f)
		return 0;
	if (fflush(o->f) || (o->tmp && fsync(fileno(o->f))))
		ret = -1;
	e = errno;
	if (fclose(o->f) && !ret) {
		ret = -1;
		e = errno;
	}
	o->f = NULL;
	if (o->tmp && !ret && rename(o->tmp, o->path)) {
		ret = -1;
		e = errno;
	}
	if (o->tmp && ret)
		unlink(o->tmp);
	rt_outfile_free(o);
	errno = e;
	return ret;
}

/** rt_outfile_abort - close and remove the temporary file; the old file stays as it was */
void rt_outfile_abort(struct rt_outfile *o)
{
	if (!o->f)
		return;
	fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	rt_outfile_free(o);
}
