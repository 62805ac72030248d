# CUnit suites: each tests/unit/test_<name>.c is one program, built twice:
# plain (suite unit-<name>) and with AddressSanitizer + UBSan (suite
# unit-<name>-asan). Run one with `make check-unit-<name>`.

UNIT_TESTS := $(patsubst tests/unit/test_%.c,%,$(sort $(wildcard tests/unit/test_*.c)))
UNIT_COMMON := tests/unit/unit.c tests/common/vectors.c
UNIT_CFLAGS := $(HOST_CFLAGS) -Itests/unit -Itests/common
UNIT_LIBS = $(HOST_LIBS) -lcunit

$(BUILD)/unit/%: tests/unit/test_%.c $(UNIT_COMMON) $(LIBFGATE)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) $(filter %.c,$^) $(LIBFGATE) -o $@ $(UNIT_LIBS)

$(BUILD)/asan/unit/%: tests/unit/test_%.c $(UNIT_COMMON) $(LIBFGATE_ASAN)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) $(SAN_FLAGS) $(filter %.c,$^) $(LIBFGATE_ASAN) -o $@ $(UNIT_LIBS)

define unit_rules
ALL_TARGETS += $(BUILD)/unit/$(1) $(BUILD)/asan/unit/$(1)
SUITES += unit-$(1) unit-$(1)-asan
.PHONY: check-unit-$(1) check-unit-$(1)-asan
check-unit-$(1): $(BUILD)/unit/$(1)
	$(BUILD)/unit/$(1)
check-unit-$(1)-asan: $(BUILD)/asan/unit/$(1)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/asan/unit/$(1)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rules,$(t))))
-include $(wildcard $(BUILD)/unit/*.d $(BUILD)/asan/unit/*.d)
