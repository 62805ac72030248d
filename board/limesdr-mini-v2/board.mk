# LimeSDR Mini v2: ECP5 LFE5U-45F-8MG285C (csfBGA 285, speed 8) with an
# FT601 (docs/board.md). Read by board/rules.mk.
BOARDS += limesdr-mini-v2
limesdr-mini-v2_TOP     := fgate_limesdr_mini_v2
limesdr-mini-v2_LPF     := board/limesdr-mini-v2/fgate_limesdr_mini_v2.lpf
limesdr-mini-v2_NEXTPNR := --45k --package CSFBGA285 --speed 8
# LOOPBACK=1: the USB loopback instead of the engine (bring-up). LANES=N:
# engine lanes (default 1: two fill 81% of the LUTs and do not route).
# TDES_ROUNDS=R: DES rounds per clock of the 3DES core (default 2).
limesdr-mini-v2_PARAMS  := LOOPBACK=$(if $(LOOPBACK),$(LOOPBACK),0) N_LANES=$(if $(LANES),$(LANES),1) \
	TDES_ROUNDS=$(if $(TDES_ROUNDS),$(TDES_ROUNDS),2)
# The bridge clock must meet 100 MHz (FT_CLK from the FT601).
limesdr-mini-v2_CLOCKS  := FT_CLK=100
limesdr-mini-v2_VSRCS   := board/limesdr-mini-v2/fgate_limesdr_mini_v2.v \
	hdl/rtl/top/fgate_ft601_top.v hdl/rtl/host/ft601_fifo.v hdl/rtl/host/async_fifo.v \
	hdl/rtl/top/fgate_engine.v $(sort $(wildcard hdl/rtl/esp/*.v)) \
	hdl/rtl/crypto/des_round.v hdl/rtl/crypto/tdes_core.v hdl/rtl/crypto/tdes_cbc.v \
	hdl/rtl/crypto/sha1_core.v hdl/rtl/crypto/hmac_sha1.v \
	hdl/rtl/crypto/md5_core.v hdl/rtl/crypto/hmac_md5.v
