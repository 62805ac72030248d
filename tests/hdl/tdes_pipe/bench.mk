# tdes_pipe: the pipelined, context-interleaving 3DES-CBC unit, PASSES = 1
# (48 stages), against tests/vectors/des.txt and tdes.txt and OpenSSL EVP on
# 64 interleaved CBC streams. The harness is shared with tests/hdl/tdes_pipe3
# (PASSES = 3); it reads the build's PASSES from the tb_tdes_pipe wrapper.
HDL_BENCHES += tdes_pipe
tdes_pipe_TOP   := tb_tdes_pipe
tdes_pipe_VSRCS := tests/hdl/tdes_pipe/tb_tdes_pipe.v hdl/rtl/crypto/des_round.v \
	hdl/rtl/crypto/tdes_pipe.v
tdes_pipe_CSRCS := tests/hdl/tdes_pipe/pipe_bench.cpp
