/*
 * The soft device: the whole framed protocol (docs/protocol.md) in software,
 * through host/crypto (OpenSSL). It is the golden model the RTL engine is
 * compared with frame by frame, so its output is exactly what the protocol
 * says, byte for byte, for good and bad input alike.
 *
 * write() takes request bytes in any split and handles each frame as soon
 * as it is complete: packets go to a pool of worker threads, one per
 * online CPU (packets of one SA one at a time, in order; different SAs in
 * parallel), control frames wait for the packets before them. read()
 * returns the result bytes in request order, waiting for the oldest result
 * when packets are on their way and none is ready; so a read after a write
 * always finds that write's results. The result ring is bounded
 * (SOFT_RING results): when it is full, write() takes nothing until read()
 * has drained it, like a hardware FIFO.
 */
#ifndef FGATE_OFFLOAD_SOFT_DEVICE_H
#define FGATE_OFFLOAD_SOFT_DEVICE_H

#include "offload/device.h"

/* Returns a new soft device (ops filled in, name "soft"), or NULL with one
 * log line saying why (out of memory, OpenSSL unusable). */
struct fg_device *soft_device_open(void);

#endif
