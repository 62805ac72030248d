# des: tdes_core (DES / 3DES-EDE block) and tdes_cbc (CBC stream wrapper)
# against tests/vectors/des.txt and tdes.txt and against OpenSSL EVP.
HDL_BENCHES += des
des_TOP   := tb_des
des_VSRCS := tests/hdl/des/tb_des.v hdl/rtl/crypto/des_round.v \
	hdl/rtl/crypto/tdes_core.v hdl/rtl/crypto/tdes_cbc.v
des_CSRCS := tests/hdl/des/des_bench.cpp

# des4: the same harness and tests with four DES rounds per clock
# (-GROUNDS=4: 4 / 12 cycles per block), the build the ESP lanes use
# (TDES_ROUNDS in fgate_engine).
HDL_BENCHES += des4
des4_TOP    := tb_des
des4_VSRCS  := $(des_VSRCS)
des4_CSRCS  := $(des_CSRCS)
des4_PARAMS := -GROUNDS=4
