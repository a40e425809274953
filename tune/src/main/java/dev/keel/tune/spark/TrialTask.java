package dev.keel.tune.spark;

import dev.keel.tune.trial.TrialJob;
import dev.keel.tune.trial.TrialProcess;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.resource.ResourceInformation;

/**
 * What a Spark task of {@link SparkTrials} does on its executor: trains one {@link TrialJob} (JSON)
 * in a child JVM and returns its report (JSON). The attempt is Spark's, so a task started again
 * after its worker was lost reports two attempts.
 *
 * <p>A task given a GPU by Spark ({@code spark.task.resource.gpu.amount}) starts the trial with
 * that GPU alone visible ({@code CUDA_VISIBLE_DEVICES} set to Spark's address for it) and, for a
 * trial's start, {@code device=gpu}: a trial continued from its checkpoint keeps its recorded
 * {@code device: gpu}, which is again the one GPU it sees, the one this task was given.
 */
final class TrialTask implements Function<String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String call(String json) {
        TaskContext task = TaskContext.get();
        TrialJob job = TrialJob.fromJson(json);
        int attempt = task.attemptNumber() + 1;
        ResourceInformation gpu = task.resourcesJMap().get("gpu");
        if (gpu == null || gpu.addresses().length == 0) {
            return TrialProcess.run(job, attempt).toJson();
        }
        return TrialProcess.run(job.withOverride("device=gpu"), attempt,
                Map.of("CUDA_VISIBLE_DEVICES", String.join(",", gpu.addresses()))).toJson();
    }
}
