# make demo through the board's USB path: fgated's device is the engine
# behind the FT601 pin model and the bridge RTL (backend sim-ft601), charon
# the peer. It passes when the tunnel comes up, ping and iperf3 cross it
# both ways and the device counted the packets (tests/system/demo.sh; root).
SUITES += system-demo-sim-ft601
.PHONY: check-system-demo-sim-ft601
check-system-demo-sim-ft601: $(FGATED) $(FGATECTL)
	@mkdir -p $(BUILD)/logs
	@if OFFLOAD=sim-ft601 tests/system/demo.sh > $(BUILD)/logs/demo-sim-ft601.log 2>&1; then \
		grep -E '^  (fgs-|traffic)' $(BUILD)/logs/demo-sim-ft601.log; \
		echo "system-demo-sim-ft601: 1 passed, 0 failed"; \
	else \
		tail -n 30 $(BUILD)/logs/demo-sim-ft601.log; \
		echo "system-demo-sim-ft601: 0 passed, 1 failed"; exit 1; \
	fi
