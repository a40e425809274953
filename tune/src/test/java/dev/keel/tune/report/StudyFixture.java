package dev.keel.tune.report;

import static dev.keel.tune.study.StudyTrials.propose;
import static dev.keel.tune.study.StudyTrials.prune;
import static dev.keel.tune.study.StudyTrials.report;
import static dev.keel.tune.study.StudyTrials.resume;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.keel.tune.prune.Asha;
import dev.keel.tune.prune.Pruner;
import dev.keel.tune.space.Choice;
import dev.keel.tune.space.Distribution;
import dev.keel.tune.space.IntRange;
import dev.keel.tune.space.LogUniform;
import dev.keel.tune.space.SearchSpace;
import dev.keel.tune.space.Uniform;
import dev.keel.tune.store.StudyStore;
import dev.keel.tune.study.Direction;
import dev.keel.tune.study.Objective;
import dev.keel.tune.study.Study;
import dev.keel.tune.study.StudySettings;
import dev.keel.tune.study.Trial;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished study of five trials over four epochs with ASHA's rungs at epochs 1 and 2, moved on as
 * the driver moves it: trial 2 completes best, trial 0 completes, 1 and 4 are pruned at the first
 * rung, 3 fails.
 */
final class StudyFixture {
    static final Objective OBJECTIVE = new Objective("valid_accuracy", Direction.MAXIMIZE);
    static final int MAX_EPOCHS = 4;
    static final Pruner PRUNER = new Asha(1, 2, MAX_EPOCHS);
    static final String FAILURE = "out of memory <allocating 2 GiB>";

    private StudyFixture() {}

    static Study.Setup setup(Path folder) {
        Map<String, Distribution> params = new LinkedHashMap<>();
        params.put("optimizer.lr", new LogUniform(1e-4, 1e-1));
        JsonNodeFactory json = JsonNodeFactory.instance;
        params.put("model.channels", new Choice(List.of(json.arrayNode().add(16).add(32),
                json.arrayNode().add(24).add(48))));
        params.put("data.batch_size", new IntRange(16, 256, true));
        params.put("model.dropout", new Uniform(0.0, 0.5));
        SearchSpace space = new SearchSpace(params, Map.of());
        StudySettings settings = new StudySettings(5, OBJECTIVE, "tpe", true, "asha", 1, 2, 42, 1);
        return new Study.Setup(folder, folder.resolve("config.yaml"), List.of(), space, settings, MAX_EPOCHS);
    }

    static Study.Outcome finished(Path folder) {
        List<StudyStore.Decision> decisions = new ArrayList<>();
        Trial t0 = report(propose(folder, 0, values(0.003, 0, 64, 0.1)), OBJECTIVE, "interrupted", null, null, 10,
                0.80);
        decisions.add(new StudyStore.Decision(0, 1, 0.80, "paused", 0));
        Trial t1 = report(propose(folder, 1, values(0.05, 1, 32, 0.4)), OBJECTIVE, "interrupted", null, null, 9, 0.60);
        decisions.add(new StudyStore.Decision(1, 1, 0.60, "paused", 1));
        decisions.add(new StudyStore.Decision(0, 1, 0.80, "promoted", 2));
        report(resume(t0), OBJECTIVE, "interrupted", null, null, 11, 0.80, 0.85);
        decisions.add(new StudyStore.Decision(0, 2, 0.85, "paused", 2));
        Trial t2 = report(propose(folder, 2, values(0.001, 1, 128, 0.2)), OBJECTIVE, "interrupted", null, null, 10,
                0.82);
        decisions.add(new StudyStore.Decision(2, 1, 0.82, "paused", 3));
        decisions.add(new StudyStore.Decision(2, 1, 0.82, "promoted", 4));
        report(resume(t2), OBJECTIVE, "interrupted", null, null, 10, 0.82, 0.87);
        decisions.add(new StudyStore.Decision(2, 2, 0.87, "paused", 4));
        decisions.add(new StudyStore.Decision(2, 2, 0.87, "promoted", 5));
        report(resume(t2), OBJECTIVE, "completed", 0.921, null, 20, 0.82, 0.87, 0.91, 0.93);
        Trial t3 = report(propose(folder, 3, values(0.09, 0, 256, 0.0)), OBJECTIVE, "failed", null, FAILURE, 1.5);
        Trial t4 = report(propose(folder, 4, values(0.0002, 0, 16, 0.5)), OBJECTIVE, "interrupted", null, null, 9,
                0.70);
        decisions.add(new StudyStore.Decision(4, 1, 0.70, "paused", 7));
        decisions.add(new StudyStore.Decision(0, 2, 0.85, "promoted", 8));
        report(resume(t0), OBJECTIVE, "completed", 0.895, null, 21, 0.80, 0.85, 0.88, 0.90);
        prune(t1);
        prune(t4);
        return new Study.Outcome("finished", List.of(t0, t1, t2, t3, t4), decisions);
    }

    private static Map<String, Double> values(double lr, int channels, int batchSize, double dropout) {
        return Map.of("optimizer.lr", lr, "model.channels", (double) channels, "data.batch_size", (double) batchSize,
                "model.dropout", dropout);
    }
}
