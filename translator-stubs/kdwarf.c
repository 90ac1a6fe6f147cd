// SPDX-License-Identifier: GPL-2.0
/*
 * kdwarf.c - the target kernel's DWARF, when it is installed, as an optional second
 * source beside the BTF: kernel.function("FUNC@FILE") matches the functions defined in
 * the source files FILE matches, as SystemTap 4.8 does (dwflpp.cxx: a function's
 * DW_AT_decl_file, the pattern matched with fnmatch() and no FNM_PATHNAME, so '*' also
 * crosses '/').
 *
 * The DWARF is Debian's linux-image-REL-dbg: /usr/lib/debug/boot/vmlinux-REL, or
 * /usr/lib/debug/lib/modules/REL/vmlinux.  It is read with libdw (elfutils); only the
 * compilation units whose file matches are walked, so a 600 MB vmlinux costs a fraction
 * of a second.  Without it, FUNC@FILE is an error that names the package.
 */
#include <elfutils/libdw.h>
#include <dwarf.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ast.h"
#include "typed.h"

/**
 * kdwarf_path - the target kernel's vmlinux with DWARF, or NULL (ENOENT) when the
 * linux-image-REL-dbg package of its release is not installed
 * @opt: the command line (the target's release)
 */
const char *kdwarf_path(const struct options *opt)
{
	static char path[512];
	const char *rel = opt && opt->kernel ? opt->kernel(1) : NULL;

	if (!rel || !*rel) {
		errno = ENOENT;
		return NULL;
	}
	snprintf(path, sizeof(path), "/usr/lib/debug/boot/vmlinux-%s", rel);
	if (!access(path, R_OK))
		return path;
	snprintf(path, sizeof(path), "/usr/lib/debug/lib/modules/%s/vmlinux", rel);
	if (!access(path, R_OK))
		return path;
	errno = ENOENT;
	return NULL;
}

/** relative - @name without the compilation directory @dir (and its '/'), if it has it */
static const char *relative(const char *name, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;

	if (n && !strncmp(name, dir, n) && name[n] == '/')
		return name + n + 1;
	return name;
}

/** file_matches - source file @name (in @dir) matches 4.8's file pattern @pat */
static int file_matches(const char *pat, const char *name, const char *dir)
{
	char any[300];

	if (!fnmatch(pat, relative(name, dir), 0))
		return 1;
	snprintf(any, sizeof(any), "*/%s", pat);	/* 4.8: any directory above too */
	return pat[0] != '/' && !fnmatch(any, relative(name, dir), 0);
}

/** add_name - append @name to the vector @v of @n (growing), once */
static int add_name(char ***v, int *n, const char *name)
{
	char **nv;
	int i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i], name))
			return 0;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return -1;
	*v = nv;
	(*v)[(*n)++] = xstrdup(name);
	return 0;
}

/* .init.text: its functions are freed after boot, and 4.8 does not list them */
static GElf_Addr init_lo, init_hi;

/** init_text - find .init.text in @dw's ELF file */
static void init_text(Dwarf *dw)
{
	Elf *elf = dwarf_getelf(dw);
	Elf_Scn *scn = NULL;
	const char *name;
	GElf_Shdr sh;
	size_t str;

	init_lo = init_hi = 0;
	if (!elf || elf_getshdrstrndx(elf, &str))
		return;
	while ((scn = elf_nextscn(elf, scn)) && gelf_getshdr(scn, &sh)) {
		name = elf_strptr(elf, str, sh.sh_name);
		if (name && !strcmp(name, ".init.text")) {
			init_lo = sh.sh_addr;
			init_hi = sh.sh_addr + sh.sh_size;
		}
	}
}

/** cu_functions - the functions CU @cu defines in a file @file matches, named as @func */
static int cu_functions(Dwarf_Die *cu, const char *func, const char *file, char ***v, int *n)
{
	Dwarf_Attribute a;
	const char *dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &a)), *name, *decl;
	Dwarf_Addr base, low, high;
	Dwarf_Die d;

	if (dwarf_child(cu, &d))
		return 0;
	do {
		if (dwarf_tag(&d) != DW_TAG_subprogram ||
		    dwarf_ranges(&d, 0, &base, &low, &high) <= 0)
			continue;	/* only functions with code of their own (not inlined) */
		if (low >= init_lo && low < init_hi)
			continue;
		name = dwarf_formstring(dwarf_attr_integrate(&d, DW_AT_name, &a));
		decl = dwarf_decl_file(&d);	/* a concrete copy: its abstract origin's */
		if (!name || !decl || fnmatch(func, name, 0) || !file_matches(file, decl, dir))
			continue;
		if (add_name(v, n, name))
			return -1;
	} while (!dwarf_siblingof(&d, &d));
	return 0;
}

/**
 * kdwarf_functions - the kernel functions named as @func that are defined in a source file
 * that @file matches (kernel.function("FUNC@FILE"), 4.8's rules above)
 * @path: the vmlinux with DWARF (kdwarf_path())
 * @func: the function pattern (fnmatch)
 * @file: the file pattern ("net/socket.c", "fs/proc*.c")
 * @n:    set to how many
 *
 * Return: the names (allocated, in DWARF order), or NULL with errno (*@n is then 0 when
 * the file has no DWARF or cannot be read).
 */
char **kdwarf_functions(const char *path, const char *func, const char *file, int *n)
{
	Dwarf_Off off = 0, next;
	Dwarf_Attribute a;
	size_t hsize;
	char **v = NULL;
	const char *name, *dir;
	Dwarf_Die cu;
	Dwarf *dw;
	int fd, err = 0;

	*n = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	dw = dwarf_begin(fd, DWARF_C_READ);
	if (!dw) {
		close(fd);
		errno = ENODATA;
		return NULL;
	}
	init_text(dw);
	while (!err && !dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL)) {
		if (dwarf_offdie(dw, off + hsize, &cu) && (name = dwarf_diename(&cu))) {
			dir = dwarf_formstring(dwarf_attr(&cu, DW_AT_comp_dir, &a));
			if (file_matches(file, name, dir))
				err = cu_functions(&cu, func, file, &v, n);
		}
		off = next;
	}
	dwarf_end(dw);
	close(fd);
	if (err) {
		errno = ENOMEM;
		return NULL;
	}
	if (!v)
		v = xcalloc(1, sizeof(*v));
	return v;
}
