# libFuzzer targets: tests/fuzz/fuzz_<name>.c with a kept corpus in
# tests/fuzz/corpus/<name>/.
#
#   suite fuzz-<name>-corpus (in make test): replays the corpus through the
#       target built with gcc + ASan/UBSan and a small driver; no clang needed.
#   make fuzz FUZZ=<name> [FUZZ_SECONDS=60]: real fuzzing with clang's
#       libFuzzer (installs clang and libclang-rt-14-dev); new inputs go to
#       build/fuzz/<name>-new/, crashes to build/fuzz/; copy a crash into the
#       corpus once fixed so it stays a regression test.

FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60

$(BUILD)/fuzz/fuzz_%-corpus: tests/fuzz/fuzz_%.c tests/fuzz/regress_main.c $(LIBFGATE_ASAN)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) $(filter %.c,$^) $(LIBFGATE_ASAN) -o $@ $(HOST_LIBS)

define fuzz_rules
ALL_TARGETS += $(BUILD)/fuzz/fuzz_$(1)-corpus
SUITES += fuzz-$(1)-corpus
.PHONY: check-fuzz-$(1)-corpus
check-fuzz-$(1)-corpus: $(BUILD)/fuzz/fuzz_$(1)-corpus
	$(BUILD)/fuzz/fuzz_$(1)-corpus tests/fuzz/corpus/$(1)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rules,$(t))))

.PHONY: fuzz
fuzz: $(PROTOCOL_H)
	@test -n "$(FUZZ)" || { echo "make fuzz FUZZ=<name>: one of $(FUZZ_TARGETS)"; exit 2; }
	@tests/scripts/install-deps.sh fuzz
	@mkdir -p $(BUILD)/fuzz/$(FUZZ)-new
	clang -g -O1 -fsanitize=fuzzer,address,undefined $(filter-out -MMD -MP,$(HOST_CFLAGS)) \
		tests/fuzz/fuzz_$(FUZZ).c $(HOST_SRCS) -o $(BUILD)/fuzz/fuzz_$(FUZZ) $(HOST_LIBS)
	cd $(BUILD)/fuzz && ./fuzz_$(FUZZ) -max_total_time=$(FUZZ_SECONDS) \
		$(FUZZ)-new $(TOP)/tests/fuzz/corpus/$(FUZZ)
