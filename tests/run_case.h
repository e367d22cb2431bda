/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The allocator keeps its state in statics, so each test case of a host
 * program that boots it runs in a child process of its own.
 */
#ifndef RUN_CASE_H
#define RUN_CASE_H

#include <sys/wait.h>
#include <unistd.h>

#include <host/model.h>

#include "harness.h"

/* Runs @fn in a child; its FAIL lines are its own, its status counts. */
static inline void run_case(const char *name, void (*fn)(void))
{
	int status;
	pid_t pid;

	h_begin(name);
	fflush(stdout);
	pid = fork();
	if (!pid) {
		host_log_clear();
		fn();
		fflush(stdout);
		_exit(h_case_failures ? 1 : 0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFEXITED(status) && !WEXITSTATUS(status), "case failed");
	h_end();
}

#endif
