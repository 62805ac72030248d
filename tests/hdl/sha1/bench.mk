# SHA-1 core and streaming SHA-1 / HMAC-SHA1 wrapper (hdl/rtl/crypto/sha1_core.v,
# hmac_sha1.v): known answers (FIPS 180-2/180-4, RFC 3174, CAVP, RFC 2202)
# and differential tests against OpenSSL.
HDL_BENCHES += sha1
sha1_TOP   := tb_sha1
sha1_VSRCS := tests/hdl/sha1/tb_sha1.v hdl/rtl/crypto/sha1_core.v hdl/rtl/crypto/hmac_sha1.v
sha1_CSRCS := tests/hdl/sha1/sha1_bench.cpp
sha1_ARGS  :=
