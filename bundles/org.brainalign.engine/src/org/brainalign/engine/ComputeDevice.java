package org.brainalign.engine;

import ai.djl.Device;

/**
 * The device DJL computes on, and why it was chosen.
 *
 * @param device the DJL device
 * @param reason one sentence a user can read, e.g. why there is no GPU
 */
public record ComputeDevice(Device device, String reason) {

    /** @return "cpu" or "gpu(0)" */
    public String name() {
        return device.isGpu() ? "gpu(" + device.getDeviceId() + ")" : "cpu";
    }
}
