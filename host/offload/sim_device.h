/*
 * The simulated offload backends (sim/): "sim", the Verilator model of the
 * engine straight into the framed stream (sim_device.c), and "sim-ft601",
 * the FT601 chip model at the pins of the board's bridge RTL, reached
 * through the usb transport's framing code (sim_ft601_device.c): slower,
 * but the whole USB path runs.
 */
#ifndef FGATE_OFFLOAD_SIM_DEVICE_H
#define FGATE_OFFLOAD_SIM_DEVICE_H

#include <stdint.h>

#include "offload/device.h"

/* Opens a fresh simulated device; args NULL or "trace=FILE.vcd". Returns 0
 * or a negative fg_err with one log line. */
int sim_device_open(const char *args, struct fg_device **out);
/* Engine clock cycles simulated so far (for cycles-per-packet figures), of
 * a "sim" or a "sim-ft601" device. */
uint64_t sim_device_cycles(const struct fg_device *dev);

/* Opens a fresh simulated device behind the FT601 bridge; args as for
 * sim_device_open(). Returns 0 or a negative fg_err with one log line. */
int sim_ft601_device_open(const char *args, struct fg_device **out);
/* Engine clock cycles of a "sim-ft601" device (comparable with sim's). */
uint64_t sim_ft601_device_cycles(const struct fg_device *dev);

#endif
