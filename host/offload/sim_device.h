/* The "sim" offload backend: the Verilator model of the engine (sim/). */
#ifndef FGATE_OFFLOAD_SIM_DEVICE_H
#define FGATE_OFFLOAD_SIM_DEVICE_H

#include <stdint.h>

#include "offload/device.h"

/* Opens a fresh simulated device; args NULL or "trace=FILE.vcd". Returns 0
 * or a negative fg_err with one log line. */
int sim_device_open(const char *args, struct fg_device **out);
/* Engine clock cycles simulated so far (for cycles-per-packet figures). */
uint64_t sim_device_cycles(const struct fg_device *dev);

#endif
