/* SPDX-License-Identifier: GPL-2.0 */
/*
 * staprun.h - staprun's internal interfaces.  Helpers return -1 and set errno; only
 * staprun.c prints and exits.
 */
#ifndef RT_STAPRUN_H
#define RT_STAPRUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../runtime/uapi/relaytap.h"
#include "stream.h"

/**
 * struct rt_module - a module file read into memory and checked
 * @path:    the file name given
 * @image:   its bytes (loaded from here, so the file cannot change between check and load)
 * @size:    bytes in @image
 * @name:    the module name (.modinfo name=)
 * @release: the kernel release it was built for (from vermagic)
 */
struct rt_module {
	const char *path;
	void *image;
	size_t size;
	char name[64];
	char release[128];
};

/* why rt_module_read() failed, beyond errno */
enum rt_module_err {
	RT_MOD_OK,
	RT_MOD_NOT_ELF,		/* not an ELF relocatable x86-64 file */
	RT_MOD_NOT_MODULE,	/* no .modinfo name/vermagic */
};

int rt_module_read(struct rt_module *mod, const char *path, enum rt_module_err *why);
void rt_module_release(struct rt_module *mod);
int rt_module_load(const struct rt_module *mod, const char *params);
int rt_module_unload(const char *name);
int rt_module_loaded(const char *name);

/**
 * struct rt_ctl_conn - the open control channel
 * @fd:    .cmd
 * @buf:   received bytes not yet handed out
 * @len:   bytes in @buf
 * @pos:   next message in @buf
 */
struct rt_ctl_conn {
	int fd;
	char buf[65536];
	size_t len;
	size_t pos;
};

int rt_ctl_open(struct rt_ctl_conn *c, const char *dir);
int rt_ctl_send(struct rt_ctl_conn *c, uint32_t type, const void *payload, uint32_t len);
int rt_ctl_recv(struct rt_ctl_conn *c, struct rt_msg_hdr *hdr, const void **payload, int block);
void rt_ctl_close(struct rt_ctl_conn *c);

/**
 * struct rt_opts - what the command line asked for
 */
struct rt_opts {
	const char *module;
	const char *outfile;
	const char *params;
	unsigned int bufsize_mb;
	int verbose;
	int no_warnings;
	int timeout_ms;
};

/**
 * struct rt_session - one run of a module
 * @opts:     the options
 * @mod:      the module
 * @ctl:      the control channel
 * @dir:      the module's transport directory
 * @info:     buffer layout, from the module
 * @fds:      per-CPU file descriptors (-1 for absent CPUs)
 * @merge:    the per-CPU streams and their merge
 * @out:      where merged output goes
 * @stats:    per-CPU counts from the module's exit report
 * @skipped:  probe hits the module skipped
 * @errors:   ERROR lines received
 * @started:  STARTED received
 * @exit_sent: EXIT sent
 * @done:     EXIT_DONE received
 * @status:   the begin probes' result
 * @peer_version: the module's protocol version, when it differs from ours
 */
struct rt_session {
	const struct rt_opts *opts;
	struct rt_module mod;
	struct rt_ctl_conn ctl;
	char dir[512];
	struct rt_msg_transport_info info;
	int *fds;
	struct rt_merge merge;
	FILE *out;
	struct rt_loss *stats;
	uint64_t skipped;
	unsigned int errors;
	int started;
	int exit_sent;
	int done;
	int status;
	uint32_t peer_version;
};

/* callbacks into staprun.c, the one file that prints */
void rt_report_text(const struct rt_session *s, uint32_t level, const char *text, size_t len);

int rt_session_connect(struct rt_session *s);
int rt_session_loop(struct rt_session *s, volatile int *stop_requested);
int rt_session_drain(struct rt_session *s);
void rt_session_close(struct rt_session *s);

#endif /* RT_STAPRUN_H */
