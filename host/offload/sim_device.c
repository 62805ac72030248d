/*
 * The "sim" backend: the Verilator model of the FPGA engine (sim/fgate_sim.h)
 * behind the byte-stream device interface. The model runs only when polled:
 * each poll runs clock cycles until the engine is idle or a cycle budget is
 * spent, so a host that submits a batch and then collects sees the engine
 * work through the whole batch in one go.
 *
 * args: "trace=FILE.vcd" writes a waveform of everything the model does.
 */
#include "offload/sim_device.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "fgate_sim.h"

enum {
	/* Cycles one poll may run: bounds the time a poll takes (a large
	 * frame through 3DES is tens of thousands of cycles). */
	SIM_POLL_CYCLES = 2000000,
};

struct sim_device {
	struct fg_device dev;   /* first: the ops see a struct fg_device * */
	struct fgate_sim *sim;
};

static struct sim_device *to_sim(struct fg_device *dev)
{
	return (struct sim_device *)dev;
}

static long sim_write(struct fg_device *dev, const uint8_t *buf, size_t len)
{
	return fgate_sim_write(to_sim(dev)->sim, buf, len);
}

static long sim_read(struct fg_device *dev, uint8_t *buf, size_t max)
{
	struct fgate_sim *sim = to_sim(dev)->sim;

	/* Run the engine first so a read right after a write finds results. */
	if (!fgate_sim_pending(sim))
		fgate_sim_run(sim, SIM_POLL_CYCLES);
	return fgate_sim_read(sim, buf, max);
}

static int sim_poll(struct fg_device *dev, int timeout_ms)
{
	(void)timeout_ms;       /* simulated time, not wall time */
	fgate_sim_run(to_sim(dev)->sim, SIM_POLL_CYCLES);
	return 0;
}

static void sim_close(struct fg_device *dev)
{
	struct sim_device *s = to_sim(dev);

	fgate_sim_close(s->sim);   /* the model's SA table goes with it */
	free(s);
}

static const struct fg_device_ops sim_ops = {
	.write = sim_write,
	.read = sim_read,
	.poll = sim_poll,
	.close = sim_close,
};

uint64_t sim_device_cycles(const struct fg_device *dev)
{
	if (!strcmp(dev->name, "sim-ft601"))
		return sim_ft601_device_cycles(dev);
	return fgate_sim_cycles(((const struct sim_device *)dev)->sim);
}

int sim_device_open(const char *args, struct fg_device **out)
{
	const char *trace = NULL;
	struct sim_device *s;

	if (args && *args) {
		if (strncmp(args, "trace=", 6) || !args[6]) {
			fg_err("offload: backend sim takes 'trace=FILE.vcd' (got \"%s\")", args);
			return FG_ERR_INVAL;
		}
		trace = args + 6;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return FG_ERR_NOMEM;
	s->sim = fgate_sim_open(trace);
	if (!s->sim) {
		fg_err("offload: cannot start the simulated device%s%s", trace ? " tracing to " : "",
		       trace ? trace : "");
		free(s);
		return FG_ERR_IO;
	}
	s->dev.ops = &sim_ops;
	s->dev.name = "sim";
	*out = &s->dev;
	return 0;
}
