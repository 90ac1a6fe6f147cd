/* RT_HAVE_PDE_DATA: pde_data() (PDE_DATA() before 5.17) */
#include <linux/proc_fs.h>
void *rt_probe(const struct inode *inode)
{
	return pde_data(inode);
}
