package dev.keel.trainer.engine;

/** Keel never downloads at run time: DJL's PyTorch natives come from the jars on the class path. */
public final class Offline {
    private Offline() {}

    /** Tells DJL to stay offline, unless {@code -Dai.djl.offline} says otherwise. */
    public static void ensure() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }
}
