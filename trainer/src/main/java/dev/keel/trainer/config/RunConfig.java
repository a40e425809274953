package dev.keel.trainer.config;

/**
 * One training run, as its YAML config describes it with every default filled in. Built only by
 * {@link ConfigLoader}, which validates it.
 *
 * @param name the run's name, used in the run directory's id
 * @param seed the one seed every random stream of the run is derived from
 * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 */
public record RunConfig(
        String name,
        long seed,
        String device,
        DataConfig data,
        ModelConfig model,
        OptimizerConfig optimizer,
        ScheduleConfig schedule,
        TrainConfig train,
        CheckpointConfig checkpoint,
        GuardConfig guard,
        EarlyStoppingConfig earlyStopping,
        LrFindConfig lrFind) {}
