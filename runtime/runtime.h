/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runtime.h - the one header generated probe modules include.
 *
 * The runtime is source compiled into every module: all its symbols are static and
 * prefixed rt_, so any number of relaytap modules (and the kernel's own relay) coexist.
 *
 * The generated code defines these hooks, which the runtime calls:
 *   rt_gen_frame_size() the size of the largest frame of locals (probe or function)
 *   rt_gen_init()       allocate the script's globals (module load)
 *   rt_gen_exit()       free them (module unload)
 *   rt_gen_begin()      run the begin probes (START)
 *   rt_gen_register()   register kprobes, uprobes, timers...; 0 or -errno (START)
 *   rt_gen_unregister() undo rt_gen_register(), waiting for running handlers (EXIT)
 *   rt_gen_end()        run the end probes (EXIT); each runs only while no error happened
 *   rt_gen_error()      run the error probes (EXIT); each runs only after an error
 * Begin, end and error probes run in the order of their sequence numbers (begin(N)).
 */
#ifndef _RT_RUNTIME_H
#define _RT_RUNTIME_H

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
/* not for the runtime (kernel differences are feature probes in compat/): scripts' embedded
 * C tests KERNEL_VERSION() as 4.8's runtime lets it (plimit.stp) */
#include <linux/version.h>

#include "relayfs/relay.h"

static size_t rt_gen_frame_size(void);
static int rt_gen_init(void);
static void rt_gen_exit(void);
static void rt_gen_begin(void);
static int rt_gen_register(void);
static void rt_gen_unregister(void);
static void rt_gen_end(void);
static void rt_gen_error(void);

#include "relayfs/frontend.c"
#include "relayfs/backend.c"
#include "relayfs/files.c"
#include "format.c"
#include "context.c"
#include "transport/control.c"
#include "transport/transport.c"
#include "transport/hotplug.c"
#include "print.c"
#include "lang.c"
#include "strings.c"
#include "typed.c"
#include "map.c"
#include "hist.c"
#include "probes/timer.c"
#include "probes/kprobe.c"
#include "probes/uprobe.c"
#include "probes/sdt.c"
#include "probes/usym.c"
#include "probes/tracepoint.c"
#include "probes/procfs.c"
#include "probes/netfilter.c"
#include "probes/hwbkpt.c"
#include "probes/uproc.c"
#include "module.c"

#endif /* _RT_RUNTIME_H */
