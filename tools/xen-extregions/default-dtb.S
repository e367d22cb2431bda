/* SPDX-License-Identifier: GPL-2.0-only */
/* The built-in default device tree: the QEMU virt dom0 layout. */
	.section .rodata
	.balign 8
	.globl default_dtb_start
	.globl default_dtb_end
default_dtb_start:
	.incbin DEFAULT_DTB
default_dtb_end:
	.section .note.GNU-stack, "", %progbits
