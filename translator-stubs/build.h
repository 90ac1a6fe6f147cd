/* SPDX-License-Identifier: GPL-2.0 */
/* build.h - finding the runtime and tools, running kbuild */
#ifndef RT_BUILD_H
#define RT_BUILD_H

#include <stddef.h>
#include <stdint.h>

int in_build_tree(void);
void tool_path(const char *what, char *buf, size_t size);
int run(char *const argv[], const char *log);
uint64_t hash_str(uint64_t h, const char *s);
int mkdir_p(const char *path);
int compat_header(const char *kdir, const char *runtime, char *dir, size_t size);
int kbuild_module(const char *dir, const char *name, const char *kdir, const char *runtime,
		  const char *compat, const char *defines);

void cache_base(char *buf, size_t size);
int module_cache_path(const char *csrc, const char *name, const char *kdir,
		      const char *runtime, const char *defines, char *buf, size_t size);
int copy_file(const char *from, const char *to);
int tree_release(const char *kdir, char *rel, size_t size);
int kernel_check(const char *kdir, const char *runtime, char *what, char *why, size_t size);

#endif /* RT_BUILD_H */
