/*
 * The usb transport: the device (docs/protocol.md frames as a byte stream)
 * behind an FTDI FT601 USB 3 bridge in 245 synchronous FIFO mode with one
 * channel (hdl/rtl/host/ft601_fifo.v on the board), over libusb-1.0.
 *
 * libusb is loaded when a device is opened (dlopen of libusb-1.0.so.0), so
 * programs linking libfgate need no -lusb-1.0 and run without libusb until
 * the usb backend is asked for.
 *
 * FT601 facts used here (FTDI publishes no register-level spec; these are
 * the ones the open-source FT601 drivers rely on: LambdaConcept's
 * ft60x_driver and ufrisk/LeechCore-plugins leechcore_ft601_driver_linux/
 * fpga_libusb.c and fpga_libusb.h, commit 6ee2836f49fa):
 *   - USB IDs 0403:601f; interface 0 carries the session endpoint 0x01
 *     (bulk OUT) and notifications 0x81; interface 1 the data pipes, 0x02
 *     (bulk OUT) and 0x82 (bulk IN) in one-channel mode. Both are claimed.
 *   - Chip configuration: vendor request 0xCF, wValue 1 reads and wValue 0
 *     writes a 152-byte struct FT_60XCONFIGURATION (FTDI's ftd3xx.h
 *     layout); its FIFOClock (0 = 100 MHz), FIFOMode (0 = 245, 1 = 600) and
 *     ChannelConfig (2 = one channel) must match the bridge. The setting
 *     persists in the chip, so it is written only when asked ("config=set"):
 *     the LimeSDR Mini's own gateware runs the chip in 600 mode.
 *   - Before each IN transfer on pipe 0x82 the host sends a 20-byte read
 *     request on endpoint 0x01: { u32 index, u8 pipe = 0x82, u8 cmd = 1,
 *     u8 0, u8 0, u32 length, u32 0, u32 0 }, little-endian.
 *
 * args (comma-separated, all optional):
 *   vidpid=VVVV:PPPP  USB IDs to look for (default 0403:601f)
 *   bus=N,addr=M      the device at this bus number and address
 *   config=set        write 245 mode / one channel / 100 MHz if different
 */
#ifndef FGATE_OFFLOAD_USB_H
#define FGATE_OFFLOAD_USB_H

#include "offload/device.h"

enum {
	USB_FT601_VID = 0x0403,
	USB_FT601_PID = 0x601f,
	USB_OUT_TIMEOUT_MS = 5000,      /* an OUT transfer the chip does not take */
	USB_CLOSE_DRAIN_MS = 1000,      /* cancelled transfers must come back by then */
};

/* Opens the FT601 that args select; returns 0 and *dev, or a negative
 * fg_err with one log line saying why ("no FT601 device found (0403:601f)"
 * and a hint to use the sim backend when there is none). */
int usb_device_open(const char *args, struct fg_device **dev);

#endif
