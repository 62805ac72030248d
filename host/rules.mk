# Host library: every .c under the module directories goes into libfgate.a,
# built twice: plain (build/obj) and with AddressSanitizer + UBSan
# (build/asan/obj) for the unit tests. Programs with a main() live in
# host/daemon and host/tools and are linked by their own rules.

HOST_MODULES := common crypto ike sa offload net
HOST_SRCS := $(sort $(foreach m,$(HOST_MODULES),$(wildcard host/$(m)/*.c)))
HOST_HDRS := $(sort $(foreach m,$(HOST_MODULES),$(wildcard host/$(m)/*.h)))
HOST_LIBS = -lcrypto -lpthread

HOST_CFLAGS := $(CFLAGS_COMMON) -Ihost -I$(GEN_DIR) -MMD -MP

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

$(LIBFGATE): $(HOST_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIBFGATE_ASAN): $(HOST_OBJS_ASAN)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

ALL_TARGETS += $(LIBFGATE)
-include $(HOST_OBJS:.o=.d) $(HOST_OBJS_ASAN:.o=.d)
