/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/moduleparam.h>.  Each parameter registers
 * itself (name with MODULE_PARAM_PREFIX) with tools/shim/param.c when the
 * program starts; host_param_set() then does what the kernel's command
 * line parsing does: it calls the parameter's ->set().
 */
#ifndef _HOST_LINUX_MODULEPARAM_H
#define _HOST_LINUX_MODULEPARAM_H

#include <linux/types.h>

#ifndef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX ""
#endif

struct kernel_param;

struct kernel_param_ops {
	int (*set)(const char *val, const struct kernel_param *kp);
	int (*get)(char *buffer, const struct kernel_param *kp);
};

struct kernel_param {
	const char *name;
	const struct kernel_param_ops *ops;
	unsigned short perm;
	void *arg;
	struct kernel_param *host_next;
};

extern const struct kernel_param_ops param_ops_int;
extern const struct kernel_param_ops param_ops_uint;
extern const struct kernel_param_ops param_ops_ulong;
extern const struct kernel_param_ops param_ops_bool;

void host_param_register(struct kernel_param *kp);

#define module_param_cb(__n, _ops, _arg, _perm)			\
	static struct kernel_param __param_##__n = {			\
		.name = MODULE_PARAM_PREFIX #__n, .ops = (_ops),	\
		.perm = (_perm), .arg = (_arg),				\
	};								\
	static void __attribute__((constructor)) __param_reg_##__n(void) \
	{								\
		host_param_register(&__param_##__n);			\
	}
#define module_param_named(__n, value, type, perm)			\
	module_param_cb(__n, &param_ops_##type, &(value), perm)
#define MODULE_PARM_DESC(__n, desc)					\
	static const char __param_desc_##__n[] __attribute__((unused)) = desc

#endif
