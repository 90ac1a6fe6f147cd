/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * relaytap.h - the one definition of the kernel <-> user protocol.
 *
 * Included by the runtime (compiled into every probe module) and by staprun and
 * stap-merge.  Everything here is little-endian, naturally aligned and fixed-size.
 *
 * Rules: message type numbers are never renumbered or reused; a change that breaks
 * compatibility bumps RT_PROTO_VERSION, and the handshake (RT_MSG_HELLO) rejects a
 * mismatch naming both versions.
 */
#ifndef _UAPI_RELAYTAP_H
#define _UAPI_RELAYTAP_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int32_t __s32;
#endif

#ifndef RT_PROTO_VERSION	/* the testsuite builds a mismatched module with -DRT_PROTO_VERSION=N */
#define RT_PROTO_VERSION	3	/* 2: RT_REC_OFFLINE; 3: debugfs mappings fault in (below) */
#endif

/*
 * Files: <debugfs>/relaytap/<module>/{.cmd,trace<cpu>}; when debugfs is missing or
 * locked down, /proc/relaytap_<module>/{.cmd,trace<cpu>}.
 */
#define RT_DIR_NAME		"relaytap"
#define RT_CMD_NAME		".cmd"
#define RT_TRACE_BASE		"trace"
#define RT_PROC_DIR_FMT		"/proc/" RT_DIR_NAME "_%s"	/* the procfs fallback, by module */

/*
 * Module parameters staprun passes at load (insmod's "NAME=VALUE"): the per-CPU buffer
 * size in MiB (0: the default), and procfs instead of debugfs.
 */
#define RT_PARAM_BUFSIZE	_rt_bufsize
#define RT_PARAM_PROCFS		_rt_procfs
#define RT_PARAM_STR_(x)	#x
#define RT_PARAM_STR(x)		RT_PARAM_STR_(x)	/* "_rt_bufsize" for staprun */

/*
 * Sizes both sides check: the control ring (and so the largest read or write of .cmd, in
 * bytes), and the largest sub-buffer a channel may have (bytes).
 */
#define RT_CTL_RING_SIZE	(64 * 1024)
#define RT_MAX_SUBBUF_SIZE	(1UL << 26)
/* the largest RT_PARAM_BUFSIZE (MiB per CPU): the default 8 sub-buffers of the largest size */
#define RT_MAX_BUFSIZE_MB	512

/* ---- control channel (.cmd): a stream of framed messages in both directions ---- */

/**
 * struct rt_msg_hdr - frame of one control message
 * @type: an RT_MSG_* value
 * @len:  payload bytes that follow this header (not counting the header)
 */
struct rt_msg_hdr {
	__u32 type;
	__u32 len;
};

#define RT_MSG_MAX_PAYLOAD	4096

enum rt_msg_type {
	RT_MSG_HELLO		= 1,	/* both ways: struct rt_msg_hello, always first */
	RT_MSG_TRANSPORT_INFO	= 2,	/* k->u: struct rt_msg_transport_info */
	RT_MSG_START		= 3,	/* u->k: struct rt_msg_start */
	RT_MSG_STARTED		= 4,	/* k->u: struct rt_msg_status, begin probes' result */
	RT_MSG_EXIT_REQUEST	= 5,	/* k->u: empty; exit() called or an error happened */
	RT_MSG_EXIT		= 6,	/* u->k: empty; run end probes, flush, report */
	RT_MSG_EXIT_DONE	= 7,	/* k->u: struct rt_msg_exit_done + per-CPU rt_loss */
	RT_MSG_TEXT		= 8,	/* k->u: struct rt_msg_text + text (warning/error) */
	RT_MSG_SUBBUF_STATUS	= 9,	/* k->u: struct rt_msg_subbuf_status */
	RT_MSG_CONSUMED		= 10,	/* u->k: struct rt_msg_consumed */
	RT_MSG_ATTACH		= 11,	/* u->k: empty; a reader takes over a running module */
	RT_MSG_DETACH		= 12,	/* u->k: empty; back to flight-recorder mode */
	RT_MSG_CPU_STATS	= 13,	/* k->u: struct rt_msg_cpu_stats, before EXIT_DONE */
	RT_MSG_SYSTEM		= 14,	/* k->u: system(CMD): CMD and its NUL; staprun runs it */
	RT_MSG_SWITCH_FILE	= 15,	/* k->u: empty; switch_file(): the next -S output file */
};

/**
 * struct rt_msg_hello - version handshake
 * @magic:   RT_HELLO_MAGIC
 * @version: the sender's RT_PROTO_VERSION
 */
struct rt_msg_hello {
	__u32 magic;
	__u32 version;
};
#define RT_HELLO_MAGIC		0x72747031	/* "rtp1" */

#define RT_MODE_NO_OVERWRITE	0
#define RT_MODE_OVERWRITE	1

/**
 * struct rt_msg_transport_info - how the per-CPU buffers are laid out
 * @nr_cpus:    number of possible CPUs, hence per-CPU files trace0..trace<nr_cpus-1>
 * @mode:       RT_MODE_*
 * @subbuf_size: bytes per sub-buffer (a power of two)
 * @n_subbufs:  sub-buffers per CPU (a power of two)
 * @bulk:       non-zero when the module was compiled for bulk (per-CPU file) output
 * @procfs:     non-zero when the files live in procfs rather than debugfs.  A debugfs
 *              file's mapping is filled page by page as it is touched (since version 3),
 *              so a reader may MADV_DONTNEED pages it has read; a procfs mapping is
 *              populated at mmap() and must keep its pages
 */
struct rt_msg_transport_info {
	__u32 nr_cpus;
	__u32 mode;
	__u32 subbuf_size;
	__u32 n_subbufs;
	__u32 bulk;
	__u32 procfs;
};

#define RT_START_DETACHED	0x1	/* staprun -L: run in flight-recorder mode, detached */

/**
 * struct rt_msg_start - start the probes
 * @target_pid: the -x / -c pid, or 0
 * @flags:      RT_START_*
 */
struct rt_msg_start {
	__s32 target_pid;
	__u32 flags;
};

/** struct rt_msg_status - a result code (0 or a negative errno) */
struct rt_msg_status {
	__s32 status;
	__u32 pad;
};

/** loss causes, indexes into struct rt_loss.count */
enum rt_loss_cause {
	RT_LOSS_FULL = 0,	/* no-overwrite buffer had no free sub-buffer */
	RT_LOSS_OVERWRITTEN,	/* overwrite mode replaced unread records */
	RT_LOSS_TOO_BIG,	/* record larger than a sub-buffer could hold */
	RT_LOSS_NESTED,		/* nested writer found its sub-buffer busy */
	RT_LOSS_NR,
};

/** struct rt_loss - per-CPU record counts, as carried by RT_MSG_EXIT_DONE */
struct rt_loss {
	__u64 written;
	__u64 count[RT_LOSS_NR];
};

/**
 * struct rt_msg_cpu_stats - one CPU's record counts, sent before RT_MSG_EXIT_DONE
 * @cpu:  the CPU
 * @loss: records written and lost by cause
 */
struct rt_msg_cpu_stats {
	__u32 cpu;
	__u32 pad;
	struct rt_loss loss;
};

/**
 * struct rt_msg_exit_done - end of the session, after one RT_MSG_CPU_STATS per CPU
 * @nr_cpus: number of RT_MSG_CPU_STATS messages sent before it
 * @skipped: probe hits skipped (reentrancy, limits)
 */
struct rt_msg_exit_done {
	__u32 nr_cpus;
	__u32 pad;
	__u64 skipped;
};

#define RT_TEXT_WARNING		1
#define RT_TEXT_ERROR		2
/** struct rt_msg_text - a warning or error line; the text follows, not NUL-terminated */
struct rt_msg_text {
	__u32 level;
	__u32 pad;
};

/** struct rt_msg_consumed - acknowledge @n sub-buffers consumed on @cpu via mmap */
struct rt_msg_consumed {
	__u32 cpu;
	__u32 n;
};

/**
 * struct rt_msg_subbuf_status - one CPU's buffer position, sent on attach (before
 * STARTED), so that a mmap reader knows where the oldest unconsumed sub-buffer is
 * @cpu:      the CPU
 * @produced: free-running write offset (bytes)
 * @consumed: free-running offset of the oldest unconsumed sub-buffer (bytes)
 */
struct rt_msg_subbuf_status {
	__u32 cpu;
	__u32 pad;
	__u64 produced;
	__u64 consumed;
};

/* ---- per-CPU buffers: sub-buffers of records ---- */

#define RT_SUBBUF_MAGIC		0x52545342	/* "RTSB" */
#define RT_SUBBUF_VERSION	1

/**
 * struct rt_subbuf_hdr - the first bytes of every sub-buffer
 * @magic:     RT_SUBBUF_MAGIC
 * @version:   RT_SUBBUF_VERSION
 * @hdr_size:  sizeof(struct rt_subbuf_hdr); records start here
 * @cpu:       the CPU whose buffer this is
 * @data_size: bytes of header plus records; the rest of the sub-buffer is padding
 * @seq:       sub-buffer sequence number on this CPU, from 0; gaps mean overwritten
 * @ts_begin:  clock (ns, CLOCK_MONOTONIC fast) when the sub-buffer was started
 * @ts_end:    clock when it was sealed; no later record of this CPU is older
 * @lost:      cumulative records lost on this CPU (all causes) when it was sealed
 * @sealed:    @seq + 1 once complete (written last, with release ordering); else 0
 */
struct rt_subbuf_hdr {
	__u32 magic;
	__u16 version;
	__u16 hdr_size;
	__u32 cpu;
	__u32 data_size;
	__u64 seq;
	__u64 ts_begin;
	__u64 ts_end;
	__u64 lost;
	__u64 sealed;
};

#define RT_REC_ALIGN		8

enum rt_rec_type {
	RT_REC_DATA	= 1,	/* payload is script output, bytes as printed */
	RT_REC_BEAT	= 2,	/* heartbeat: no payload, time advanced to @ts */
	RT_REC_OFFLINE	= 3,	/* the CPU went offline at @ts (or was offline when the
				 * session started): no payload; the stream is idle, and
				 * holds no merge back, until its next record */
};

/**
 * struct rt_rec_hdr - header of one record inside a sub-buffer
 * @ts:   clock (ns) when the record was reserved; non-decreasing within a CPU
 * @len:  payload bytes that follow (the record occupies ALIGN(16 + len, 8))
 * @type: an RT_REC_* value
 * @flags: reserved, 0
 */
struct rt_rec_hdr {
	__u64 ts;
	__u32 len;
	__u16 type;
	__u16 flags;
};

#define RT_REC_SIZE(len) \
	(((sizeof(struct rt_rec_hdr) + (len)) + RT_REC_ALIGN - 1) & ~(RT_REC_ALIGN - 1))

#endif /* _UAPI_RELAYTAP_H */
