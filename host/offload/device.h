/*
 * A device speaking the framed protocol (docs/protocol.md) as a byte stream:
 * the host writes request frames and reads result frames. The soft device
 * (OpenSSL, soft_device.c), the Verilator model (sim/) and the USB and PCIe
 * transports all implement this one interface, so the offload library above
 * never knows which is behind it.
 *
 * Each implementation provides a constructor returning a struct fg_device
 * whose ops it fills in.
 */
#ifndef FGATE_OFFLOAD_DEVICE_H
#define FGATE_OFFLOAD_DEVICE_H

#include <stddef.h>
#include <stdint.h>

struct fg_device;

struct fg_device_ops {
	/* Accept up to len bytes of request stream (any split across calls).
	 * Returns the number taken (0 when the device's input is full: call
	 * read or poll first) or a negative fg_err. */
	long (*write)(struct fg_device *dev, const uint8_t *buf, size_t len);
	/* Copy up to max bytes of result stream. Returns the number copied
	 * (0 when none is ready yet) or a negative fg_err. */
	long (*read)(struct fg_device *dev, uint8_t *buf, size_t max);
	/* Let the device make progress for up to timeout_ms (a simulator runs
	 * cycles, hardware waits for a transfer). Returns 0 or a negative
	 * fg_err. */
	int (*poll)(struct fg_device *dev, int timeout_ms);
	void (*close)(struct fg_device *dev);
	/* Optional (NULL: the device cannot come back). After an op returned
	 * FG_ERR_GONE (the device was unplugged or reset itself): let go of it
	 * and look for it again with the selector it was opened with. Returns 0
	 * when it is back (its SA table empty, the byte streams fresh),
	 * FG_ERR_NOTFOUND when it is not there yet, or another fg_err. Called
	 * again later after a failure. */
	int (*reopen)(struct fg_device *dev);
};

struct fg_device {
	const struct fg_device_ops *ops;
	const char *name;   /* backend name: "soft", "sim", "usb", ... */
};

#endif
