# fgatectl against fgated with strongSwan's charon as the peer, in network
# namespaces (tests/system/ctl.sh; root, strongSwan, ping, python3).
# Include after host/daemon/rules.mk and host/tools/fgatectl.mk, which
# define $(FGATED) and $(FGATECTL) (the top Makefile includes both first).

SUITES += system-ctl
.PHONY: check-system-ctl
check-system-ctl: $(FGATED) $(FGATECTL)
	tests/system/ctl.sh $(FGATED) $(FGATECTL)
