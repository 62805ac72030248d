/* Shared main for the CUnit programs: runs the registered suites and prints
 * "<name>: N passed, N failed" counting tests (not asserts). */
#ifndef FGATE_UNIT_H
#define FGATE_UNIT_H

#include <CUnit/CUnit.h>

struct unit_test {
	const char *name;
	CU_TestFunc fn;
};

/* Adds a suite with tests terminated by {NULL, NULL}; aborts on failure. */
void unit_add_suite(const char *name, const struct unit_test *tests);
/* Runs everything, prints the summary, returns the exit status. */
int unit_run(const char *program);

#endif
