# fgatectl: the control socket client of fgated (docs/fgatectl.md). Plain
# libc; it shares only the protocol's limits (host/daemon/control.h).
# Included by the top Makefile (host/tools/*.mk) after host/rules.mk.

FGATECTL_SRCS := host/tools/fgatectl.c
FGATECTL      := $(BUILD)/bin/fgatectl

$(FGATECTL): $(FGATECTL_SRCS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(FGATECTL_SRCS) -o $@

ALL_TARGETS += $(FGATECTL)
-include $(FGATECTL).d
