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
#include "outfile.h"
#include "../common/stream.h"

/**
 * struct rt_module - a module file read into memory and checked
 * @path:    the file name given
 * @image:   its bytes (loaded from here, so the file cannot change between check and load)
 * @size:    bytes in @image
 * @name:    the module name (.modinfo name=)
 * @release: the kernel release it was built for (from vermagic)
 * @id:      the file's device and inode (no output may be it); zero for -A and -d
 */
struct rt_module {
	const char *path;
	struct rt_file_id id;
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
	char buf[RT_CTL_RING_SIZE];
	size_t len;
	size_t pos;
};

int rt_ctl_open(struct rt_ctl_conn *c, const char *dir);
int rt_ctl_send(struct rt_ctl_conn *c, uint32_t type, const void *payload, uint32_t len);
int rt_ctl_recv(struct rt_ctl_conn *c, struct rt_msg_hdr *hdr, const void **payload, int block);
void rt_ctl_close(struct rt_ctl_conn *c);

/** what staprun was asked to do (SR_: staprun's own, not the protocol's RT_MODE_*) */
enum sr_mode {
	SR_RUN,		/* load, stream, unload */
	SR_LOAD,		/* -L: load, start detached (flight recorder), leave running */
	SR_ATTACH,		/* -A: attach to a running module, dump, stream */
	SR_UNLOAD,		/* -d: end a running module, drain it, unload it */
};

/**
 * struct rt_opts - what the command line asked for
 * @module:      the .ko file, or (-A, -d) the module name
 * @outfile:     -o FILE, or NULL for stdout
 * @params:      "name=value ..." for the module
 * @bufsize_mb:  -b
 * @verbose:     -v count
 * @no_warnings: -w
 * @timeout_ms:  -T, poll timeout
 * @mode:        enum sr_mode
 * @use_read:    --read: consume with read() instead of mmap
 * @use_sendfile: --sendfile: in bulk mode, move sub-buffers to the per-CPU files with
 *               sendfile() instead of copying them through user space
 * @command:     -c CMD
 * @target:      -x PID
 * @rotate_size: -S size in bytes, 0 for none
 * @rotate_keep: -S ,N
 * @daemon:      -D
 * @raw:         --raw PREFIX: also write each CPU's raw stream to PREFIX_<cpu>
 */
struct rt_opts {
	const char *module;
	const char *outfile;
	const char *params;
	unsigned int bufsize_mb;
	int verbose;
	int no_warnings;
	int timeout_ms;
	enum sr_mode mode;
	int use_read;
	int use_sendfile;
	const char *command;
	int target;
	unsigned long rotate_size;
	unsigned int rotate_keep;
	int daemon;
	const char *raw;
};

/**
 * struct rt_output - merged output, optionally rotated
 * @f:       the current file
 * @base:    file name (NULL: stdout)
 * @rotate:  bytes per file, 0 for no rotation
 * @keep:    files kept, 0 for all
 * @index:   number of the current file
 * @written: bytes in the current file
 * @err:     errno of the first write the file refused, or 0
 * @pending: records written since the last successful flush
 * @dropped: records not written because of @err
 * @inputs:  files no output may be (the module), @n_inputs of them
 * @n_inputs: how many
 * @path:    the current file's name
 * @created: staprun created the current file (it did not exist)
 * @live:    the session runs: the file is written (see rt_output_start)
 * @clash:   the file @path is one of @inputs (the error was EEXIST)
 */
struct rt_output {
	FILE *f;
	const char *base;
	unsigned long rotate;
	unsigned int keep;
	unsigned int index;
	unsigned long written;
	int err;
	uint64_t pending;
	uint64_t dropped;
	const struct rt_file_id *inputs;
	unsigned int n_inputs;
	char path[4096];
	int created;
	int live;
	int clash;
};

int rt_output_open(struct rt_output *o, const char *base, unsigned long rotate, unsigned int keep,
		   const struct rt_file_id *inputs, unsigned int n_inputs);
int rt_output_start(struct rt_output *o, int bulk);
void rt_output_discard(struct rt_output *o);
int rt_output_rotate(struct rt_output *o);
int rt_output_write(struct rt_output *o, const void *data, size_t len);
int rt_output_flush(struct rt_output *o);
int rt_output_close(struct rt_output *o);

/*
 * RT_KEEP_IN_PLACE - sub-buffers a CPU keeps in place, unacknowledged, while the merge
 * waits on another CPU: its newest, usually merged in part.  Older ones are copied out and
 * given back, so that the module keeps nearly its whole buffer to write into, as when
 * every sub-buffer was copied at once; in the steady state nothing is copied.
 */
#define RT_KEEP_IN_PLACE	1

/**
 * struct rt_cpu_reader - one CPU's file and how it is consumed
 * @fd:       the trace<cpu> file, or -1
 * @map:      its mapping (mmap mode), or NULL
 * @consumed: free-running offset of the next sub-buffer to take (mmap mode)
 * @given:    free-running offset of the next sub-buffer to give back (mmap mode); the
 *            ones from @given to @consumed are queued on the CPU's merge stream
 * @given_segs: the merge stream's seg_done already given back
 * @bulk:     bulk mode (or --raw): the per-CPU output file, written under a temporary
 *            name and renamed into place by rt_session_commit()
 * @bytes:    bytes taken from this CPU
 */
struct rt_cpu_reader {
	int fd;
	void *map;
	uint64_t consumed;
	uint64_t given;
	uint64_t given_segs;
	struct rt_outfile bulk;
	uint64_t bytes;
};

/**
 * struct rt_session - one run of a module
 * @opts:     the options
 * @mod:      the module
 * @ctl:      the control channel
 * @dir:      the module's transport directory
 * @info:     buffer layout, from the module
 * @cpus:     per-CPU readers (info.nr_cpus of them)
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
 * @child:    the -c command's pid, or 0
 * @child_status: its wait status once it exited
 * @bad_file: the per-CPU output file the last error is about, or ""
 */
struct rt_session {
	const struct rt_opts *opts;
	struct rt_module mod;
	struct rt_ctl_conn ctl;
	char dir[512];
	struct rt_msg_transport_info info;
	struct rt_cpu_reader *cpus;
	struct rt_merge merge;
	struct rt_output out;
	struct rt_loss *stats;
	uint64_t skipped;
	unsigned int errors;
	int started;
	int exit_sent;
	int done;
	int status;
	uint32_t peer_version;
	int child;
	int child_status;
	char bad_file[600];
};

/* signals, set by staprun.c's handlers */
struct rt_signals {
	volatile int stop;	/* SIGINT, SIGTERM, SIGHUP */
	volatile int detach;	/* SIGQUIT */
	volatile int rotate;	/* SIGUSR2 */
	volatile int child;	/* SIGCHLD */
};

/* callbacks into staprun.c, the one file that prints */
void rt_report_text(const struct rt_session *s, uint32_t level, const char *text, size_t len);
void rt_exec_command(const char *cmd) __attribute__((noreturn));

int rt_session_connect(struct rt_session *s, uint32_t start_flags, int attach);
int rt_session_loop(struct rt_session *s, struct rt_signals *sig);
int rt_session_drain(struct rt_session *s);
int rt_session_emit_taken(struct rt_session *s);
int rt_session_commit(struct rt_session *s);
void rt_session_close(struct rt_session *s);

int rt_readers_open(struct rt_session *s);
ssize_t rt_reader_take(struct rt_session *s, unsigned int cpu);
int rt_readers_give_back(struct rt_session *s, unsigned int keep);
void rt_readers_close(struct rt_session *s);

#endif /* RT_STAPRUN_H */
