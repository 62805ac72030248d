# fgate-pcap: ESP/AH over pcap files through any offload backend, linked
# against libfgate.a. Include from the top Makefile after host/rules.mk.

FGATE_PCAP_SRCS := host/tools/fgate_pcap.c host/tools/pcap_xform.c host/tools/sa_spec.c
FGATE_PCAP      := $(BUILD)/bin/fgate-pcap

$(FGATE_PCAP): $(FGATE_PCAP_SRCS) $(LIBFGATE)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(FGATE_PCAP_SRCS) $(LIBFGATE) -o $@ -lpcap $(HOST_LIBS)

ALL_TARGETS += $(FGATE_PCAP)
-include $(FGATE_PCAP).d

