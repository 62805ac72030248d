# CUnit suites: each tests/unit/test_<name>.c is one program, built twice:
# plain (suite unit-<name>) and with AddressSanitizer + UBSan (suite
# unit-<name>-asan). Run one with `make check-unit-<name>`.

UNIT_TESTS := $(patsubst tests/unit/test_%.c,%,$(sort $(wildcard tests/unit/test_*.c)))
UNIT_CFLAGS := $(HOST_CFLAGS) -Itests/unit -Itests/common
UNIT_LIBS = $(HOST_LIBS) -lcunit
# Test objects, one per source, so -MMD tracks every header they include.
UNIT_COMMON_OBJS      := $(BUILD)/tobj/tests/unit/unit.o $(BUILD)/tobj/tests/common/vectors.o
UNIT_COMMON_OBJS_ASAN := $(UNIT_COMMON_OBJS:$(BUILD)/tobj/%=$(BUILD)/asan/tobj/%)

$(BUILD)/tobj/%.o: %.c | $(PROTOCOL_H)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -c $< -o $@

$(BUILD)/asan/tobj/%.o: %.c | $(PROTOCOL_H)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(BUILD)/unit/%: $(BUILD)/tobj/tests/unit/test_%.o $(UNIT_COMMON_OBJS) $(LIBFGATE)
	@mkdir -p $(dir $@)
	$(CC) $^ -o $@ $(UNIT_LIBS)

$(BUILD)/asan/unit/%: $(BUILD)/asan/tobj/tests/unit/test_%.o $(UNIT_COMMON_OBJS_ASAN) $(LIBFGATE_ASAN)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $^ -o $@ $(UNIT_LIBS)

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
-include $(shell find $(BUILD)/tobj $(BUILD)/asan/tobj -name '*.d' 2>/dev/null)
