# Bench md5: md5_core and hmac_md5 (through tb_md5, which holds one of each)
# against RFC 1321 / RFC 2202 known answers and OpenSSL.
HDL_BENCHES += md5
md5_TOP   := tb_md5
md5_VSRCS := hdl/rtl/crypto/md5_core.v hdl/rtl/crypto/hmac_md5.v tests/hdl/md5/tb_md5.v
md5_CSRCS := tests/hdl/md5/md5_test.cpp tests/hdl/md5/md5_dut.cpp
