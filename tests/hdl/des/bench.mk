# des: tdes_core (DES / 3DES-EDE block) and tdes_cbc (CBC stream wrapper)
# against tests/vectors/des.txt and tdes.txt and against OpenSSL EVP.
HDL_BENCHES += des
des_TOP   := tb_des
des_VSRCS := tests/hdl/des/tb_des.v hdl/rtl/crypto/des_round.v \
	hdl/rtl/crypto/tdes_core.v hdl/rtl/crypto/tdes_cbc.v
des_CSRCS := tests/hdl/des/des_bench.cpp
