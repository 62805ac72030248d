/*
 * libusb-1.0 loaded at run time (usb_lib.h).
 */
#include "offload/usb_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"

static struct usb_lib lib;
static const struct usb_lib *loaded;
static const struct usb_lib *override;  /* a test's fake (usb_lib_override) */
static char why[256];                   /* why loading failed, for each caller */
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Each entry: where its pointer goes in lib, and its libusb name. */
#define SYM(field) { (void **)&lib.field, "libusb_" #field }

static void load(void)
{
	const struct { void **slot; const char *name; } syms[] = {
		SYM(init), SYM(exit), SYM(get_device_list), SYM(free_device_list),
		SYM(get_device_descriptor), SYM(get_bus_number), SYM(get_device_address),
		SYM(open), SYM(close), SYM(control_transfer), SYM(kernel_driver_active),
		SYM(claim_interface), SYM(release_interface), SYM(alloc_transfer),
		SYM(free_transfer), SYM(submit_transfer), SYM(cancel_transfer),
		SYM(handle_events_timeout_completed), SYM(error_name),
	};
	void *h = dlopen("libusb-1.0.so.0", RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (!h) {
		snprintf(why, sizeof(why), "usb: cannot load libusb-1.0 (%s): install libusb-1.0-0, "
			 "or use the sim backend", dlerror());
		return;
	}
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *f = dlsym(h, syms[i].name);

		if (!f) {
			snprintf(why, sizeof(why), "usb: libusb-1.0 lacks %s: too old (1.0.16 or later "
				 "needed)", syms[i].name);
			return;         /* h stays loaded: harmless, and loaded stays NULL */
		}
		memcpy(syms[i].slot, &f, sizeof(f));
	}
	loaded = &lib;
}

void usb_lib_override(const struct usb_lib *fake)
{
	override = fake;
}

const struct usb_lib *usb_lib_get(void)
{
	if (override)
		return override;
	pthread_once(&once, load);
	if (!loaded)
		fg_err("%s", why);
	return loaded;
}
