package dev.keel.trainer.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One training run, as its YAML config describes it with every default filled in. Built only by
 * {@link ConfigLoader}, which validates it.
 *
 * @param name the run's name, used in the run directory's id
 * @param seed the one seed every random stream of the run is derived from
 * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param finetune the fine-tuning recipe, or null to train every parameter with one schedule
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
        // Absent, not null, in config.yaml: "finetune:" with nothing after it asks for the recipe.
        @JsonInclude(JsonInclude.Include.NON_NULL) FinetuneConfig finetune,
        CheckpointConfig checkpoint,
        GuardConfig guard,
        EarlyStoppingConfig earlyStopping,
        LrFindConfig lrFind,
        InterpretConfig interpret) {

    /** Epochs in the whole run: with {@code finetune}, the frozen ones and then {@code train.epochs} more. */
    public int totalEpochs() {
        return train.epochs() + (finetune == null ? 0 : finetune.freezeEpochs());
    }
}
