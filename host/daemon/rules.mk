# fgated: the IKE daemon, linked against libfgate.a. Include from the top
# Makefile after host/rules.mk.

FGATED_SRCS := $(sort $(wildcard host/daemon/*.c))
FGATED      := $(BUILD)/bin/fgated

$(FGATED): $(FGATED_SRCS) $(LIBFGATE)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(FGATED_SRCS) $(LIBFGATE) -o $@ $(HOST_LIBS) -ljson-c

ALL_TARGETS += $(FGATED)
-include $(FGATED).d

# The unit suite unit-control (tests/unit/test_control.c) tests the pure
# parts of the control socket, which live here and not in libfgate.a:
# request parsing and framing (control_req.c), rendering (control_list.c,
# json-c) and the socket server on a real loop (control.c). The unit pattern rules link every prerequisite
# ($^), so these objects (built by host/rules.mk's pattern rules) are added
# as prerequisites of the two programs. They come after the library in $^,
# so the library is named once more on the link line (what they use from
# it, e.g. datapath_drop_name(), resolves), then json-c.
CONTROL_UNIT_SRCS      := host/daemon/control.c host/daemon/control_req.c host/daemon/control_list.c
CONTROL_UNIT_OBJS      := $(CONTROL_UNIT_SRCS:%.c=$(BUILD)/obj/%.o)
CONTROL_UNIT_OBJS_ASAN := $(CONTROL_UNIT_SRCS:%.c=$(BUILD)/asan/obj/%.o)

$(BUILD)/unit/control: $(CONTROL_UNIT_OBJS)
$(BUILD)/unit/control: UNIT_LIBS += $(LIBFGATE) $(HOST_LIBS) -ljson-c
$(BUILD)/asan/unit/control: $(CONTROL_UNIT_OBJS_ASAN)
$(BUILD)/asan/unit/control: UNIT_LIBS += $(LIBFGATE_ASAN) $(HOST_LIBS) -ljson-c
-include $(CONTROL_UNIT_OBJS:.o=.d) $(CONTROL_UNIT_OBJS_ASAN:.o=.d)
