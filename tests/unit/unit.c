#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include <CUnit/Basic.h>

void unit_add_suite(const char *name, const struct unit_test *tests)
{
	CU_pSuite suite;

	if (!CU_get_registry() && CU_initialize_registry() != CUE_SUCCESS)
		goto fail;
	suite = CU_add_suite(name, NULL, NULL);
	if (!suite)
		goto fail;
	for (; tests->name; tests++)
		if (!CU_add_test(suite, tests->name, tests->fn))
			goto fail;
	return;
fail:
	fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
	exit(2);
}

int unit_run(const char *program)
{
	unsigned run, failed;

	CU_basic_set_mode(CU_BRM_NORMAL);
	if (CU_basic_run_tests() != CUE_SUCCESS) {
		fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 2;
	}
	run = CU_get_number_of_tests_run();
	failed = CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	printf("%s: %u passed, %u failed\n", program, run - failed, failed);
	return failed ? 1 : 0;
}
