/*
 * The soft device: the whole framed protocol (docs/protocol.md) in software,
 * through host/crypto (OpenSSL). It is the golden model the RTL engine is
 * compared with frame by frame, so its output is exactly what the protocol
 * says, byte for byte, for good and bad input alike.
 *
 * write() takes request bytes in any split and processes each frame as soon
 * as it is complete; read() returns the result bytes. The result queue is
 * bounded (SOFT_OUT_CAP): when it cannot hold one more result frame, write()
 * takes nothing until read() has drained it, like a hardware FIFO.
 */
#ifndef FGATE_OFFLOAD_SOFT_DEVICE_H
#define FGATE_OFFLOAD_SOFT_DEVICE_H

#include "offload/device.h"

/* Returns a new soft device (ops filled in, name "soft"), or NULL with one
 * log line saying why (out of memory, OpenSSL unusable). */
struct fg_device *soft_device_open(void);

#endif
