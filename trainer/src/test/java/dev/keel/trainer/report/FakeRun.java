package dev.keel.trainer.report;

import dev.keel.trainer.lrfind.LrFinder;
import dev.keel.trainer.lrfind.LrFinderResult;
import dev.keel.trainer.lrfind.LrSuggestion;
import dev.keel.trainer.lrfind.LrSuggestions;
import dev.keel.trainer.track.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A run directory as a finished run leaves it, written by hand: the files the report reads. */
final class FakeRun {
    static final int EPOCHS = 3;
    static final int STEPS_PER_EPOCH = 40;
    static final int LOG_EVERY = 10;

    private FakeRun() {}

    /** config.yaml, provenance.json, summary.json, lr_find.*, and metrics.jsonl of {@link #metricsLines()}. */
    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.yaml"), """
                name: fake
                seed: 7
                optimizer:
                  name: adamw
                  lr: auto
                train:
                  epochs: 3
                """);
        Files.writeString(dir.resolve("provenance.json"), """
                {"keel_version": "0.1.0-SNAPSHOT", "djl_version": "0.36.0", "engine": "PyTorch",
                 "engine_version": "2.7.1", "java_version": "17.0.15", "java_vendor": "Debian", "os": "Linux",
                 "cpu": "Test CPU", "cores": 2, "device": "cpu()", "gpu_count": 0, "git_commit": "abc1234",
                 "seed": 7, "dataset": {"name": "fashion-mnist", "origin": "bundled sample", "location": "sample"},
                 "command_line": ["train", "configs/fake.yaml", "--set", "train.epochs=3"],
                 "started": "2026-12-01T10:00:00Z", "lr": 0.0115, "lr_source": "lr_find minimum_div_10",
                 "onednn_max_cpu_isa": "AVX2", "onednn_isa_reason": "set in the environment"}
                """);
        Files.writeString(dir.resolve("summary.json"), """
                {"status": "completed", "epochs": 3, "steps": 120, "wall_seconds": 42.24, "train_seconds": 38.5,
                 "valid": {"accuracy": 0.8765, "loss": 0.3456}, "test": {"accuracy": 0.8712, "loss": 0.3621}}
                """);
        Files.write(dir.resolve("metrics.jsonl"), metricsLines());
        LrFinderResult sweep = sweep();
        Files.writeString(dir.resolve(LrFinderResult.CSV), sweep.toCsv());
        Files.writeString(dir.resolve(LrFinderResult.JSON), RunDirectory.JSON.writeValueAsString(sweep.toJson()));
        return dir;
    }

    /** An lr_find line, step lines, epoch lines, guard events, a kind from the future and the test line. */
    static List<String> metricsLines() {
        List<String> lines = new ArrayList<>();
        lines.add("{\"kind\":\"lr_find\",\"epoch\":0,\"step\":0,\"lr\":0.0115,\"suggested_by\":\"minimum_div_10\"}");
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            for (int step = (epoch - 1) * STEPS_PER_EPOCH + LOG_EVERY; step <= epoch * STEPS_PER_EPOCH;
                    step += LOG_EVERY) {
                lines.add(String.format(Locale.ROOT, "{\"kind\":\"step\",\"epoch\":%d,\"step\":%d,\"lr\":%s,"
                        + "\"momentum\":%s,\"loss\":%s,\"samples_per_second\":3000.0}", epoch, step,
                        0.001 + 0.0001 * step, 0.95 - 0.001 * step, 2.0 / (1 + 0.05 * step)));
            }
            lines.add(String.format(Locale.ROOT, "{\"kind\":\"epoch\",\"epoch\":%d,\"step\":%d,\"lr\":0.001,"
                    + "\"momentum\":0.9,\"train_loss\":%s,\"valid_loss\":%s,\"valid_accuracy\":%s,"
                    + "\"epoch_seconds\":12.5,\"rss_mb\":400}", epoch, epoch * STEPS_PER_EPOCH, 1.0 / epoch,
                    1.1 / epoch, 0.7 + 0.05 * epoch));
        }
        lines.add("{\"kind\":\"clip\",\"epoch\":2,\"step\":55,\"lr\":0.001,\"norm\":12.5}");
        lines.add("{\"kind\":\"weather\",\"epoch\":3,\"step\":100,\"sunny\":true}");
        lines.add("{\"kind\":\"test\",\"epoch\":3,\"step\":120,\"lr\":1e-8,\"test_loss\":0.3621,"
                + "\"test_accuracy\":0.8712}");
        return lines;
    }

    /** A sweep whose three suggestions differ, training with minimum/10. */
    static LrFinderResult sweep() {
        LrFinder.Settings settings = new LrFinder.Settings(1e-7, 10, 100, LrSuggestion.MINIMUM_DIV_10);
        int n = 90;
        double[] lrs = new double[n];
        double[] losses = new double[n];
        for (int i = 0; i < n; i++) {
            lrs[i] = settings.learningRateAt(i);
            double x = Math.log10(lrs[i]);
            losses[i] = 0.4 + 1.9 / (1 + Math.exp(2.5 * (x + 3.5))) + 0.05 * Math.exp(3 * (x + 1));
        }
        return new LrFinderResult(settings, lrs, losses, losses, LrFinderResult.Stop.DIVERGED,
                LrSuggestions.of(lrs, losses, settings.steps()), 3.5);
    }
}
