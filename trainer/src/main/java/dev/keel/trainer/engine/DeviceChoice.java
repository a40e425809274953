package dev.keel.trainer.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.keel.trainer.config.ConfigException;

/** Turns the config's {@code device} into a DJL device that exists on this machine. */
public final class DeviceChoice {
    private DeviceChoice() {}

    /**
     * @param setting {@code auto} (a GPU when there is one), {@code cpu}, {@code gpu} or {@code gpu:N}
     * @param source the config file, for messages
     * @throws ConfigException when a GPU is asked for and there is none, or not that one
     */
    public static Device resolve(String setting, String source) {
        return resolve(setting, source, Engine.getInstance().getGpuCount());
    }

    /** As {@link #resolve(String, String)}, on a machine with {@code gpus} GPUs that PyTorch can use. */
    static Device resolve(String setting, String source, int gpus) {
        if (setting.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (setting.equals("cpu")) {
            return Device.cpu();
        }
        // The validator admits gpu:<digits>; an index too large for an int is simply not a GPU here.
        long index = setting.equals("gpu") ? 0 : parseIndex(setting.substring(4));
        if (index >= gpus) {
            throw ConfigException.at(source, "device", "\"" + setting + "\"",
                    gpus == 0 ? "cpu or auto: this machine has no GPU that PyTorch can use"
                            : "a GPU index below " + gpus);
        }
        return Device.gpu((int) index);
    }

    private static long parseIndex(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
