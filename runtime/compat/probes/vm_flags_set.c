/* RT_HAVE_VM_FLAGS_SET: vm_flags_set()/vm_flags_clear() (vm_flags read-only) */
#include <linux/mm.h>
void rt_probe(struct vm_area_struct *vma)
{
	vm_flags_clear(vma, VM_MAYWRITE);
}
