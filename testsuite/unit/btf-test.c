// SPDX-License-Identifier: GPL-2.0
/*
 * btf-test.c - translator-stubs/btf.c: bzImage extraction and the type queries, against
 * the host's /sys/kernel/btf/vmlinux and the installed /boot/vmlinuz-* (each check is
 * UNTESTED when its file is missing).
 */
#include <dejagnu.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "translator-stubs/btf.h"

static void check(int ok, const char *what)
{
	if (ok)
		pass("%s", what);
	else
		fail("%s", what);
}

static void queries(const struct btf *b)
{
	struct kbtf_field f = { 0 };
	int ts = kbtf_named(b, "struct task_struct"), proto, type = 0;
	const char *near;
	char tn[128];

	check(ts > 0 && ts == kbtf_named(b, "task_struct"),
	      "btf: \"struct task_struct\" and \"task_struct\" name the same type");
	check(kbtf_named(b, "struct no_such_type_x") < 0 && errno == ENOENT,
	      "btf: an unknown type is ENOENT");
	check(!kbtf_member(b, ts, "pid", &f) && f.off_bits % 8 == 0 && !f.bits,
	      "btf: task_struct.pid is a whole member");
	near = kbtf_closest(b, ts, "pdi");
	check(near && !strcmp(near, "pid"), "btf: the member closest to 'pdi' is 'pid'");
	proto = kbtf_func_proto(b, "vfs_read");
	check(proto > 0 && kbtf_param(b, proto, "count", &type) == 2,
	      "btf: vfs_read's third parameter is count");
	if (proto > 0 && kbtf_param(b, proto, "file", &type) == 0) {
		kbtf_type_name(b, type, tn, sizeof(tn));
		check(!strcmp(tn, "struct file*"), "btf: $file is a 'struct file*'");
	}
	check(kbtf_func_proto(b, "no_such_function_x") < 0, "btf: an unknown function has no proto");
}

int main(void)
{
	char out[] = "/tmp/btf-test-XXXXXX";
	struct btf *b;
	glob_t g;
	int fd = mkstemp(out);

	if (fd >= 0)
		close(fd);
	errno = 0;
	check(kbtf_extract("/etc/hostname", out) < 0 && errno == ENOEXEC,
	      "btf: a file that is no bzImage is ENOEXEC");
	if (!access("/sys/kernel/btf/vmlinux", R_OK) && (b = kbtf_load("/sys/kernel/btf/vmlinux")))
		queries(b);
	else
		untested("btf: queries (no /sys/kernel/btf/vmlinux)");
	if (!glob("/boot/vmlinuz-*", 0, NULL, &g) && g.gl_pathc) {
		check(!kbtf_extract(g.gl_pathv[0], out) && (b = kbtf_load(out)) &&
		      kbtf_named(b, "task_struct") > 0,
		      "btf: the .BTF of /boot/vmlinuz-* extracts and loads");
		globfree(&g);
	} else {
		untested("btf: extraction (no /boot/vmlinuz-*)");
	}
	unlink(out);
	totals();
	return 0;
}
