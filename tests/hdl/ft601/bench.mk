# Bench ft601: the FT601 bridge (hdl/rtl/host/ft601_fifo.v, fgate_ft601_top)
# at its pins, driven by the FT601 cycle model (sim/ft601_model.cpp) from
# the host's USB framing code (host/offload/usb_stream.c, from libfgate.a):
# frames across the 512- and 1024-byte packet boundaries, in bursts, with
# the chip's flags throttling both ways, through the loopback and through
# fgate_engine compared with the soft device.
HDL_BENCHES += ft601
ft601_TOP   := tb_ft601
ft601_VSRCS := tests/hdl/ft601/tb_ft601.v hdl/rtl/top/fgate_ft601_top.v \
	hdl/rtl/host/ft601_fifo.v hdl/rtl/host/async_fifo.v \
	hdl/rtl/top/fgate_engine.v $(sort $(wildcard hdl/rtl/esp/*.v)) \
	hdl/rtl/crypto/des_round.v hdl/rtl/crypto/tdes_core.v hdl/rtl/crypto/tdes_cbc.v \
	hdl/rtl/crypto/sha1_core.v hdl/rtl/crypto/hmac_sha1.v \
	hdl/rtl/crypto/md5_core.v hdl/rtl/crypto/hmac_md5.v
ft601_CSRCS := tests/hdl/ft601/ft601_bench.cpp tests/hdl/ft601/ft601_rig.cpp \
	tests/hdl/ft601/ft601_engine.cpp sim/ft601_model.cpp $(LIBFGATE) $(SIM_LIB)
ft601_PARAMS := -GTDES_ROUNDS=1
ft601_ARGS  :=
