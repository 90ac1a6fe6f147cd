// SPDX-License-Identifier: GPL-2.0
/*
 * files.c - the per-CPU buffer files: open, read, poll, mmap, release.
 *
 * read() returns sealed sub-buffers, header and records, without their padding, and
 * consumes them as it goes; it never blocks and returns 0 when nothing is sealed.  In
 * overwrite mode it returns whole sub-buffers only (a smaller buffer gets -EINVAL).
 * mmap() maps the whole buffer read-only; such a reader acknowledges sub-buffers with
 * RT_MSG_CONSUMED.  poll() reports POLLIN when a sealed sub-buffer waits, POLLERR once
 * the channel is finalized.
 */

/**
 * rt_relay_file_open - take a reference on the buffer for this open file
 * @inode: the file's inode; i_private is the buffer
 * @filp:  the open file
 */
static int rt_relay_file_open(struct inode *inode, struct file *filp)
{
	struct rt_relay_buf *buf = inode->i_private;

	kref_get(&buf->kref);
	filp->private_data = buf;
	return nonseekable_open(inode, filp);
}

/**
 * rt_relay_file_release - drop the open file's reference
 * @inode: the file's inode
 * @filp:  the open file
 */
static int rt_relay_file_release(struct inode *inode, struct file *filp)
{
	struct rt_relay_buf *buf = filp->private_data;

	kref_put(&buf->kref, rt_relay_free_buf);
	return 0;
}

/**
 * rt_relay_read_subbuf - copy from the oldest sealed sub-buffer, consume it when done
 * @buf:   the buffer (read_mutex held)
 * @ubuf:  user destination
 * @count: room in @ubuf
 *
 * No-overwrite mode may return a sub-buffer in pieces.  Overwrite mode copies a whole
 * sub-buffer and then claims it; when a writer pushed past it meanwhile the copy is not
 * counted (the writer counted those records as overwritten).
 *
 * Return: bytes copied; 0 when nothing is sealed; -EAGAIN when the copy was lost to the
 * writer (try the next); -ENOSPC when a whole sub-buffer does not fit; -EFAULT.
 */
static ssize_t rt_relay_read_subbuf(struct rt_relay_buf *buf, char __user *ubuf, size_t count)
{
	struct rt_relay_chan *chan = buf->chan;
	unsigned long pos = READ_ONCE(buf->consumed);
	struct rt_subbuf_hdr *hdr = rt_relay_subbuf_ready(buf, pos);
	size_t size, n;

	if (!hdr)
		return 0;
	size = clamp_t(size_t, READ_ONCE(hdr->data_size), chan->hdr_size, chan->subbuf_size);
	if (READ_ONCE(chan->flags) & RT_RELAY_OVERWRITE) {
		if (count < size)
			return -ENOSPC;
		if (copy_to_user(ubuf, hdr, size))
			return -EFAULT;
		return rt_relay_claim(buf, pos) ? size : -EAGAIN;
	}
	n = min(count, size - buf->read_pos);
	if (copy_to_user(ubuf, (char *)hdr + buf->read_pos, n))
		return -EFAULT;
	buf->read_pos += n;
	if (buf->read_pos == size)
		rt_relay_claim(buf, pos);
	return n;
}

/**
 * rt_relay_file_read - read sealed sub-buffers without padding; never blocks
 * @filp:  the open file
 * @ubuf:  user destination
 * @count: room in @ubuf (in overwrite mode, room for at least one whole sub-buffer)
 * @ppos:  unused (the file is not seekable)
 */
static ssize_t rt_relay_file_read(struct file *filp, char __user *ubuf, size_t count,
				  loff_t *ppos)
{
	struct rt_relay_buf *buf = filp->private_data;
	ssize_t done = 0, n;

	if (mutex_lock_interruptible(&buf->read_mutex))
		return -ERESTARTSYS;
	while (done < count) {
		n = rt_relay_read_subbuf(buf, ubuf + done, count - done);
		if (n == -EAGAIN)
			continue;
		if (n <= 0) {
			if (!done && n < 0)
				done = n == -ENOSPC ? -EINVAL : n;
			break;
		}
		done += n;
	}
	mutex_unlock(&buf->read_mutex);
	return done;
}

/**
 * rt_relay_file_poll - POLLIN when a sealed sub-buffer waits, POLLERR once finalized
 * @filp: the open file
 * @wait: poll table
 */
static __poll_t rt_relay_file_poll(struct file *filp, poll_table *wait)
{
	struct rt_relay_buf *buf = filp->private_data;
	__poll_t mask = 0;

	poll_wait(filp, &buf->read_wait, wait);
	if (rt_relay_subbuf_ready(buf, READ_ONCE(buf->consumed)))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(buf->finalized))
		mask |= EPOLLERR;
	return mask;
}

/**
 * rt_relay_file_mmap - map the whole buffer read-only
 * @filp: the open file
 * @vma:  the mapping; it must cover exactly the buffer from offset 0
 *
 * Return: 0, -EINVAL for a partial, offset or writable mapping.
 */
static int rt_relay_file_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct rt_relay_buf *buf = filp->private_data;
	int ret;

	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != buf->chan->alloc_size)
		return -EINVAL;
	if (vma->vm_flags & VM_WRITE)
		return -EINVAL;
	rt_vma_clear_flags(vma, VM_MAYWRITE);
	ret = remap_vmalloc_range(vma, buf->start, 0);
	if (!ret)
		buf->chan->cb.buf_mapped(buf);
	return ret;
}

static const struct file_operations rt_relay_file_ops = {
	.owner		= THIS_MODULE,
	.open		= rt_relay_file_open,
	.read		= rt_relay_file_read,
	.poll		= rt_relay_file_poll,
	.mmap		= rt_relay_file_mmap,
	.release	= rt_relay_file_release,
	.llseek		= RT_NO_LLSEEK,
};

/**
 * rt_relay_default_create_buf_file - default: a debugfs file under @parent
 * @filename: the file name
 * @parent:   debugfs directory dentry
 * @mode:     permissions
 * @buf:      the buffer
 *
 * The file is created without debugfs's removal proxy, which does not forward mmap.
 * Removal is safe without it: an open file pins the module (fops owner) and holds a
 * reference on the buffer, and every file operation works on a finalized buffer.
 *
 * Return: the dentry, or NULL.
 */
static void *rt_relay_default_create_buf_file(const char *filename, void *parent,
					      umode_t mode, struct rt_relay_buf *buf)
{
	struct dentry *d = debugfs_create_file_unsafe(filename, mode, parent, buf,
						      &rt_relay_file_ops);

	return IS_ERR_OR_NULL(d) ? NULL : d;
}

/**
 * rt_relay_default_remove_buf_file - default: remove the debugfs file
 * @file: what rt_relay_default_create_buf_file() returned
 */
static void rt_relay_default_remove_buf_file(void *file)
{
	debugfs_remove(file);
}

/**
 * rt_relay_proc_open - procfs flavour of rt_relay_file_open()
 * @inode: the file's inode; its proc data is the buffer
 * @filp:  the open file
 */
static int rt_relay_proc_open(struct inode *inode, struct file *filp)
{
	struct rt_relay_buf *buf = rt_pde_data(inode);

	kref_get(&buf->kref);
	filp->private_data = buf;
	return nonseekable_open(inode, filp);
}

static const struct proc_ops rt_relay_proc_ops = {
	.proc_open	= rt_relay_proc_open,
	.proc_read	= rt_relay_file_read,
	.proc_poll	= rt_relay_file_poll,
	.proc_mmap	= rt_relay_file_mmap,
	.proc_release	= rt_relay_file_release,
	.proc_lseek	= RT_NO_LLSEEK,
};

/**
 * rt_relay_procfs_create_buf_file - the procfs fallback: a file under @parent in /proc
 * @filename: the file name
 * @parent:   a proc directory entry
 * @mode:     permissions
 * @buf:      the buffer
 *
 * procfs does not pin the module while a file is open; on removal it calls release for
 * every open file, and a mapping keeps its pages.  Return: the entry, or NULL.
 */
static void *rt_relay_procfs_create_buf_file(const char *filename, void *parent,
					     umode_t mode, struct rt_relay_buf *buf)
{
	return proc_create_data(filename, mode, parent, &rt_relay_proc_ops, buf);
}

/** rt_relay_procfs_remove_buf_file - remove what the procfs flavour created */
static void rt_relay_procfs_remove_buf_file(void *file)
{
	proc_remove(file);
}
