# Host library: every .c under the module directories goes into libfgate.a,
# built twice: plain (build/obj) and with AddressSanitizer + UBSan
# (build/asan/obj) for the unit tests. Programs with a main() live in
# host/daemon and host/tools and are linked by their own rules.

HOST_MODULES := common crypto ike sa offload net
HOST_SRCS := $(sort $(foreach m,$(HOST_MODULES),$(wildcard host/$(m)/*.c)))
HOST_HDRS := $(sort $(foreach m,$(HOST_MODULES),$(wildcard host/$(m)/*.h)))
# The sim offload backend links the Verilator model of the engine
# (sim/rules.mk): every program that links libfgate.a may open it.
HOST_LIBS = $(SIM_LIB) -lcrypto $(SIM_LDLIBS)

HOST_CFLAGS := $(CFLAGS_COMMON) -Ihost -Isim -I$(GEN_DIR) -MMD -MP

LIBFGATE      := $(BUILD)/lib/libfgate.a
LIBFGATE_ASAN := $(BUILD)/asan/lib/libfgate.a
HOST_OBJS      := $(HOST_SRCS:%.c=$(BUILD)/obj/%.o)
HOST_OBJS_ASAN := $(HOST_SRCS:%.c=$(BUILD)/asan/obj/%.o)

$(BUILD)/obj/%.o: %.c | $(PROTOCOL_H)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/asan/obj/%.o: %.c | $(PROTOCOL_H)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -c $< -o $@

# Programs list $(LIBFGATE) as a prerequisite; the model they link with it
# must be built too.
$(LIBFGATE): $(HOST_OBJS) $(SIM_LIB)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $(HOST_OBJS)

$(LIBFGATE_ASAN): $(HOST_OBJS_ASAN) $(SIM_LIB)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $(HOST_OBJS_ASAN)

ALL_TARGETS += $(LIBFGATE)
-include $(HOST_OBJS:.o=.d) $(HOST_OBJS_ASAN:.o=.d)
