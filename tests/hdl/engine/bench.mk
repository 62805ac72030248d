# Bench engine: the whole device, fgate_engine (hdl/rtl/top, hdl/rtl/esp and
# the crypto cores), through the fgate_sim C API (sim/fgate_sim.cpp, built
# here into the bench's own model): RFC 2202 HMAC known answers
# (tests/vectors/hmac-*.txt) as ESP ICVs, control frames, ESP/AH against OpenSSL,
# every status, counters, random traffic over the lanes with stalls, cycles
# per packet, and a differential run against the soft device.
HDL_BENCHES += engine
engine_TOP   := fgate_engine
engine_VSRCS := hdl/rtl/top/fgate_engine.v $(sort $(wildcard hdl/rtl/esp/*.v)) \
	hdl/rtl/crypto/des_round.v hdl/rtl/crypto/tdes_core.v hdl/rtl/crypto/tdes_cbc.v \
	hdl/rtl/crypto/sha1_core.v hdl/rtl/crypto/hmac_sha1.v \
	hdl/rtl/crypto/md5_core.v hdl/rtl/crypto/hmac_md5.v
engine_CSRCS := tests/hdl/engine/engine_bench.cpp tests/hdl/engine/engine_kat.cpp \
	tests/hdl/engine/engine_status.cpp \
	tests/hdl/engine/engine_stress.cpp tests/hdl/engine/engine_diff.cpp \
	tests/hdl/engine/engine_model.cpp sim/fgate_sim.cpp $(LIBFGATE)
# 4000 cases: the differential run then covers more than 10,000 packets
engine_ARGS  := --count 4000

# engine4: the same bench with four DES rounds per clock in every lane
# (-GTDES_ROUNDS=4, the lanes of the configuration that meets the per-cycle
# goals in docs/benchmarks.md), fewer random cases: the differential run
# against the soft device still covers about 3,000 packets.
HDL_BENCHES  += engine4
engine4_TOP    := $(engine_TOP)
engine4_VSRCS  := $(engine_VSRCS)
engine4_CSRCS  := $(engine_CSRCS)
engine4_PARAMS := -GTDES_ROUNDS=4
engine4_ARGS   := --count 1000 --name engine4
