/*
 * RT_HAVE_UPROBE_UNREGISTER_NOSYNC: uprobe_register() returns the struct uprobe, which
 * uprobe_unregister_nosync() takes, and uprobe_unregister_sync() waits for handlers
 * (6.12; before, uprobe_register_refctr() returns 0 or -errno and uprobe_unregister()
 * takes the inode and offset again and waits itself)
 */
#include <linux/uprobes.h>
void rt_probe(struct inode *inode, struct uprobe_consumer *uc)
{
	struct uprobe *u = uprobe_register(inode, 0, 0, uc);

	uprobe_unregister_nosync(u, uc);
	uprobe_unregister_sync();
}
