# tdes_pipe3: tdes_pipe with PASSES = 3 (16 stages, three times round the
# ring), same harness and tests as tests/hdl/tdes_pipe.
HDL_BENCHES += tdes_pipe3
tdes_pipe3_TOP   := tb_tdes_pipe
tdes_pipe3_VSRCS := tests/hdl/tdes_pipe/tb_tdes_pipe.v hdl/rtl/crypto/des_round.v \
	hdl/rtl/crypto/tdes_pipe.v
tdes_pipe3_PARAMS := -GPASSES=3
tdes_pipe3_CSRCS := tests/hdl/tdes_pipe/pipe_bench.cpp
