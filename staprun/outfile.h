/* SPDX-License-Identifier: GPL-2.0 */
/*
 * outfile.h - output files that are never one of the program's inputs, written through a
 * temporary file in the same directory and renamed into place only when complete.
 * Helpers return -1 and set errno.
 */
#ifndef RT_OUTFILE_H
#define RT_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

/** struct rt_file_id - identity of an input file */
struct rt_file_id {
	dev_t dev;
	ino_t ino;
};

/**
 * struct rt_outfile - an output being written
 * @f:    the open file
 * @path: the name it gets (malloc()ed)
 * @tmp:  the temporary name it is written under (malloc()ed), or NULL when written in
 *        place (an existing device or fifo, such as /dev/null)
 */
struct rt_outfile {
	FILE *f;
	char *path;
	char *tmp;
};

int rt_file_id_get(int fd, struct rt_file_id *id);
int rt_is_input(const char *path, const struct rt_file_id *ids, unsigned int n);
int rt_is_input_id(const struct rt_file_id *id, const struct rt_file_id *ids, unsigned int n);
int rt_outfile_open(struct rt_outfile *o, const char *path);
int rt_outfile_commit(struct rt_outfile *o);
void rt_outfile_abort(struct rt_outfile *o);

#endif /* RT_OUTFILE_H */
