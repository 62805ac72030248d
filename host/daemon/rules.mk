# fgated: the IKE daemon, linked against libfgate.a. Include from the top
# Makefile after host/rules.mk.

FGATED_SRCS := $(sort $(wildcard host/daemon/*.c))
FGATED      := $(BUILD)/bin/fgated

$(FGATED): $(FGATED_SRCS) $(LIBFGATE)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(FGATED_SRCS) $(LIBFGATE) -o $@ $(HOST_LIBS)

ALL_TARGETS += $(FGATED)
-include $(FGATED).d
