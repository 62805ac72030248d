# Interop with strongSwan's charon in network namespaces (needs root and the
# strongSwan packages: see tests/interop/interop-ike.sh). Include after
# host/daemon/rules.mk, which defines $(FGATED).

SUITES += interop-ike
.PHONY: check-interop-ike
check-interop-ike: $(FGATED)
	tests/interop/interop-ike.sh $(FGATED)
