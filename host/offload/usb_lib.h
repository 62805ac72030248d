/*
 * libusb-1.0 loaded at run time (dlopen), for the usb transport: only the
 * calls it makes. libusb's types and constants come from its header; the
 * functions come from this table.
 */
#ifndef FGATE_OFFLOAD_USB_LIB_H
#define FGATE_OFFLOAD_USB_LIB_H

#include <libusb-1.0/libusb.h>

struct usb_lib {
	int (*init)(libusb_context **ctx);
	void (*exit)(libusb_context *ctx);
	ssize_t (*get_device_list)(libusb_context *ctx, libusb_device ***list);
	void (*free_device_list)(libusb_device **list, int unref);
	int (*get_device_descriptor)(libusb_device *dev, struct libusb_device_descriptor *desc);
	uint8_t (*get_bus_number)(libusb_device *dev);
	uint8_t (*get_device_address)(libusb_device *dev);
	int (*open)(libusb_device *dev, libusb_device_handle **h);
	void (*close)(libusb_device_handle *h);
	int (*control_transfer)(libusb_device_handle *h, uint8_t type, uint8_t req, uint16_t value,
				uint16_t index, unsigned char *data, uint16_t len, unsigned timeout);
	int (*kernel_driver_active)(libusb_device_handle *h, int iface);
	int (*claim_interface)(libusb_device_handle *h, int iface);
	int (*release_interface)(libusb_device_handle *h, int iface);
	struct libusb_transfer *(*alloc_transfer)(int iso_packets);
	void (*free_transfer)(struct libusb_transfer *t);
	int (*submit_transfer)(struct libusb_transfer *t);
	int (*cancel_transfer)(struct libusb_transfer *t);
	int (*handle_events_timeout_completed)(libusb_context *ctx, struct timeval *tv,
					       int *completed);
	const char *(*error_name)(int code);
};

/* The table, loaded on first use (then kept for the life of the process:
 * the only global state of the usb transport, written once under
 * pthread_once). NULL, with one log line saying why (at each call), when
 * libusb-1.0 is not installed. */
const struct usb_lib *usb_lib_get(void);
/* For tests: usb_lib_get() returns fake from now on instead of libusb (NULL:
 * libusb again). Call before opening a device, from one thread. */
void usb_lib_override(const struct usb_lib *fake);

#endif
