/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relaytest.h - what the relay test module writes and how the checker talks to it.
 */
#ifndef _RT_RELAYTEST_H
#define _RT_RELAYTEST_H

#define RTT_DIR		"rt_relaytest"
#define RTT_CTL		"ctl"
#define RTT_BASE	"cpu"

enum rtt_ctx { RTT_PROC = 1, RTT_IRQ = 2, RTT_TIMER = 3 };

#define RTT_MAGIC	0x7274743174657374ULL

/**
 * struct rtt_payload - the fixed part of every test record (fill bytes follow)
 * @cpu:   the CPU that wrote it
 * @ctx:   enum rtt_ctx
 * @len:   total payload length
 * @seq:   per-CPU sequence number, unique, from 0 (order may differ under nesting)
 * @check: cpu ^ seq ^ RTT_MAGIC
 */
struct rtt_payload {
	__u32 cpu;
	__u16 ctx;
	__u16 len;
	__u64 seq;
	__u64 check;
};

/* fill byte i of record seq */
#define RTT_FILL(seq, i)	((unsigned char)((seq) * 7 + (i)))

#endif /* _RT_RELAYTEST_H */
