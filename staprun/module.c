// SPDX-License-Identifier: GPL-2.0
/*
 * module.c - read, check, load and unload kernel modules.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "staprun.h"

/**
 * rt_slurp - read all of @path
 * @path: file
 * @size: set to its size
 * @id:   set to its identity (device and inode)
 *
 * Return: malloc()ed bytes, or NULL with errno.
 */
static void *rt_slurp(const char *path, size_t *size, struct rt_file_id *id)
{
	struct stat st;
	char *p = NULL;
	ssize_t n;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st))
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	p = malloc(st.st_size ? st.st_size : 1);
	if (!p)
		goto fail;
	while (got < (size_t)st.st_size) {
		n = read(fd, p + got, st.st_size - got);
		if (n <= 0) {
			if (!n)
				errno = EIO;
			goto fail;
		}
		got += n;
	}
	close(fd);
	*size = got;
	return p;
fail:
	e = errno;
	free(p);
	close(fd);
	errno = e;
	return NULL;
}

/**
 * rt_modinfo - find "key=" in the .modinfo section
 * @data: section bytes
 * @size: section size
 * @key:  e.g. "name="
 *
 * Return: the value (NUL-terminated within the section), or NULL.
 */
static const char *rt_modinfo(const char *data, size_t size, const char *key)
{
	size_t klen = strlen(key), i = 0;

	while (i < size) {
		const char *s = data + i;
		size_t n = strnlen(s, size - i);

		if (n == size - i)
			return NULL;
		if (n > klen && !strncmp(s, key, klen))
			return s + klen;
		i += n + 1;
	}
	return NULL;
}

/**
 * rt_module_info - fill name and release from the image's .modinfo
 * @mod: the module, image read
 *
 * Return: 0, or -1 (errno ENOEXEC) when it has no usable .modinfo.
 */
static int rt_module_info(struct rt_module *mod)
{
	Elf *elf = elf_memory(mod->image, mod->size);
	const char *name = NULL, *vermagic = NULL;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;
	Elf_Data *d;
	int ret = -1;

	if (!elf || elf_getshdrstrndx(elf, &shstrndx))
		goto out;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *sname;

		if (!gelf_getshdr(scn, &sh))
			continue;
		sname = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!sname || strcmp(sname, ".modinfo"))
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			break;
		name = rt_modinfo(d->d_buf, d->d_size, "name=");
		vermagic = rt_modinfo(d->d_buf, d->d_size, "vermagic=");
		if (name && vermagic && strlen(name) < sizeof(mod->name)) {
			strcpy(mod->name, name);
			strncpy(mod->release, vermagic, sizeof(mod->release) - 1);
			mod->release[strcspn(mod->release, " ")] = '\0';
			ret = 0;
		}
		break;
	}
out:
	if (elf)
		elf_end(elf);
	if (ret)
		errno = ENOEXEC;
	return ret;
}

/**
 * rt_module_read - read @path and check that it is a kernel module
 * @mod:  filled in
 * @path: the .ko file
 * @why:  set to what was wrong when the file is not a usable module
 *
 * Return: 0, or -1 with errno (ENOEXEC with @why for a file that is not a module).
 */
int rt_module_read(struct rt_module *mod, const char *path, enum rt_module_err *why)
{
	GElf_Ehdr eh;
	Elf *elf;
	int elf64;

	memset(mod, 0, sizeof(*mod));
	*why = RT_MOD_OK;
	mod->path = path;
	elf_version(EV_CURRENT);
	mod->image = rt_slurp(path, &mod->size, &mod->id);
	if (!mod->image)
		return -1;
	elf = elf_memory(mod->image, mod->size);
	elf64 = elf && elf_kind(elf) == ELF_K_ELF && gelf_getclass(elf) == ELFCLASS64 &&
		gelf_getehdr(elf, &eh) && eh.e_type == ET_REL && eh.e_machine == EM_X86_64;
	if (elf)
		elf_end(elf);
	if (!elf64) {
		*why = RT_MOD_NOT_ELF;
		goto notmod;
	}
	if (rt_module_info(mod)) {
		*why = RT_MOD_NOT_MODULE;
		goto notmod;
	}
	return 0;
notmod:
	rt_module_release(mod);
	mod->path = path;
	errno = ENOEXEC;
	return -1;
}

void rt_module_release(struct rt_module *mod)
{
	free(mod->image);
	mod->image = NULL;
}

/**
 * rt_module_load - load the checked image with @params
 * @mod:    the module
 * @params: "name=value ..." or ""
 *
 * Return: 0, or -1 with errno from init_module(2).
 */
int rt_module_load(const struct rt_module *mod, const char *params)
{
	return syscall(SYS_init_module, mod->image, mod->size, params ? params : "") ? -1 : 0;
}

/**
 * rt_module_unload - remove module @name
 * @name: module name
 *
 * Return: 0, or -1 with errno from delete_module(2).
 */
int rt_module_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -1 : 0;
}

/**
 * rt_module_loaded - whether module @name is loaded
 * @name: module name
 */
int rt_module_loaded(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return access(path, F_OK) == 0;
}
