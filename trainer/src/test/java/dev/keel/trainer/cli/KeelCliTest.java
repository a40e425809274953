package dev.keel.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.trainer.SampleData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad usage, configs and data end with exit code 2 and one message, never a stack trace. */
class KeelCliTest {
    @TempDir
    Path temp;

    private record Result(int exit, String err) {}

    private static Result keel(String... args) {
        CommandLine cli = KeelCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return new Result(cli.execute(args), err.toString());
    }

    private static void assertUsageError(Result result, String... fragments) {
        assertEquals(KeelCli.EXIT_USAGE, result.exit(), result.err());
        for (String fragment : fragments) {
            assertTrue(result.err().contains(fragment), "missing '" + fragment + "' in: " + result.err());
        }
        assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
    }

    @Test
    void badValueInConfigNamesFileKeyAndValue() throws Exception {
        Path config = Files.writeString(temp.resolve("bad.yaml"), "train: {epochs: -1}\n");
        assertUsageError(keel("train", config.toString()), "bad.yaml: train.epochs: found -1, expected an integer >= 1");
    }

    @Test
    void badOverrideNamesTheOverride() throws Exception {
        Path config = Files.writeString(temp.resolve("ok.yaml"), "name: ok\n");
        assertUsageError(keel("train", config.toString(), "--set", "optimizer.name=rmsprop"),
                "(--set optimizer.name=rmsprop): optimizer.name: found \"rmsprop\", expected one of sgd, adam, adamw");
    }

    @Test
    void missingConfigFile() {
        assertUsageError(keel("train", temp.resolve("absent.yaml").toString()), "absent.yaml: config file not found");
    }

    @Test
    void missingDataFolder() throws Exception {
        Path config = Files.writeString(temp.resolve("data.yaml"), "data: {path: " + temp.resolve("nowhere") + "}\n");
        assertUsageError(keel("train", config.toString(), "--run-dir", temp.resolve("run").toString()),
                "nowhere: data.path is not a folder");
        assertFalse(Files.exists(temp.resolve("run")), "no run directory for a run that could not start");
        assertUsageError(keel("lr-find", config.toString(), "--run-dir", temp.resolve("sweep").toString()),
                "nowhere: data.path is not a folder");
        assertFalse(Files.exists(temp.resolve("sweep")), "no run directory for a sweep that could not start");
    }

    @Test
    void fp16IsRefusedOnTheCpuAndWithATorchScriptBodyBeforeAnyFolderIsMade() throws Exception {
        Path data = SampleData.copyTo(temp.resolve("data"));
        Path config = Files.writeString(temp.resolve("fp16.yaml"),
                "device: cpu\ndata: {path: " + data + "}\ntrain: {precision: fp16}\n");
        assertUsageError(keel("train", config.toString(), "--run-dir", temp.resolve("run").toString()),
                "fp16.yaml: train.precision: found \"fp16\", expected fp32 on a CPU (this run's device): fp16 is for GPUs");
        assertFalse(Files.exists(temp.resolve("run")), "no run directory for a run that could not start");
        Path pretrained = Path.of("src/test/resources/dev/keel/trainer/transfer/fmnist5-features.pt").toAbsolutePath();
        Path script = Files.writeString(temp.resolve("script.yaml"), "device: cpu\ndata: {path: " + data
                + ", normalize: [0.29, 0.35]}\nmodel: {pretrained: " + pretrained + "}\ntrain: {precision: fp16}\n");
        assertUsageError(keel("train", script.toString(), "--run-dir", temp.resolve("run").toString()),
                "script.yaml: train.precision: found \"fp16\", expected fp32 with a TorchScript body (model.pretrained: "
                        + pretrained + "): its weights live inside the TorchScript module");
    }

    @Test
    void resumeOfAFolderThatIsNoRun() {
        assertUsageError(keel("resume", temp.toString()), "not a Keel run directory");
    }

    @Test
    void unknownCommandAndBadLrFindOptions() throws Exception {
        assertEquals(KeelCli.EXIT_USAGE, keel("fly").exit());
        Path config = Files.writeString(temp.resolve("ok.yaml"), "name: ok\n");
        assertUsageError(keel("lr-find", config.toString(), "--steps", "1"), "lr_find.steps");
        assertUsageError(keel("lr-find", config.toString(), "--suggestion", "median"), "lr_find.suggestion");
    }

    @Test
    void sectionsSetToNullAndHugeGpuIndexes() throws Exception {
        Path nullModel = Files.writeString(temp.resolve("null-model.yaml"), "model: null\n");
        assertUsageError(keel("train", nullModel.toString()), "null-model.yaml: model: found null, expected a section");
        Path gpu = Files.writeString(temp.resolve("gpu.yaml"), "device: gpu:99999999999\n");
        assertUsageError(keel("train", gpu.toString()), "gpu.yaml: device: found \"gpu:99999999999\", expected");
    }

    @Test
    void duplicateKeysAndSeveralDocumentsAreRefused() throws Exception {
        Path twice = Files.writeString(temp.resolve("twice.yaml"), "train: {epochs: 1}\ntrain: {epochs: 2}\n");
        assertUsageError(keel("train", twice.toString()), "twice.yaml: train: given twice (line 2");
        Path documents = Files.writeString(temp.resolve("docs.yaml"), "name: a\n---\nname: b\n");
        assertUsageError(keel("train", documents.toString()), "docs.yaml: holds several YAML documents");
        Path nan = Files.writeString(temp.resolve("nan.yaml"), "optimizer: {lr: .nan}\n");
        assertUsageError(keel("train", nan.toString()), "nan.yaml: optimizer.lr: found .nan", "expected a finite number");
        assertUsageError(keel("train", temp.toString()), temp + ": is a folder (expected a YAML config file)");
    }

    @Test
    void idxFilesWithoutImagesAreRefused() throws Exception {
        for (String normalize : new String[] {"auto", "none"}) {
            Path data = SampleData.copyTo(temp.resolve("no-train-images-" + normalize));
            emptyIdx(data, "train");
            Path config = Files.writeString(temp.resolve("empty-" + normalize + ".yaml"),
                    "data: {path: " + data + ", normalize: " + normalize + "}\n");
            assertUsageError(keel("train", config.toString(), "--runs-root", temp.resolve("runs").toString()),
                    data.resolve("train-images-idx3-ubyte") + ": holds no images");
        }
        Path data = SampleData.copyTo(temp.resolve("no-test-images"));
        emptyIdx(data, "t10k");
        Path config = Files.writeString(temp.resolve("empty-test.yaml"), "data: {path: " + data + "}\n");
        assertUsageError(keel("train", config.toString(), "--runs-root", temp.resolve("runs").toString()),
                data.resolve("t10k-images-idx3-ubyte") + ": holds no images");
        assertFalse(Files.exists(temp.resolve("runs")), "no run directory for a run that could not start");
    }

    @Test
    void runDirectoriesThatCannotBeMade() throws Exception {
        Path config = Files.writeString(temp.resolve("ok.yaml"), "name: ok\n");
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        assertUsageError(keel("train", config.toString(), "--runs-root", file.toString()),
                "--runs-root " + file + ": is a file (expected a folder)");
        assertUsageError(keel("lr-find", config.toString(), "--run-dir", file.resolve("run").toString()),
                "--run-dir " + file.resolve("run") + ": " + file + " is a file (expected a folder)");
    }

    @Test
    void lrFindOptionsAreNamedAsGiven() throws Exception {
        Path config = Files.writeString(temp.resolve("ok.yaml"), "name: ok\n");
        assertUsageError(keel("lr-find", config.toString(), "--steps", "0"),
                "ok.yaml (--steps 0): lr_find.steps: found 0, expected an integer >= 2");
        assertUsageError(keel("lr-find", config.toString(), "--start", "abc"),
                "ok.yaml (--start abc): lr_find.start_lr: found \"abc\", expected a number");
        assertUsageError(keel("lr-find", config.toString(), "--suggestion", "bogus"),
                "ok.yaml (--suggestion bogus): lr_find.suggestion: found \"bogus\", expected one of bottom_div_10, valley,"
                        + " steep, minimum_div_10");
        assertUsageError(keel("lr-find", config.toString(), "--end", ".inf"),
                "ok.yaml (--end .inf): lr_find.end_lr: found .inf, expected a finite number");
    }

    /** Replaces a split's IDX files with valid ones that hold no items. */
    private static void emptyIdx(Path folder, String split) throws Exception {
        Files.delete(folder.resolve(split + "-images-idx3-ubyte.gz"));
        Files.delete(folder.resolve(split + "-labels-idx1-ubyte.gz"));
        Files.write(folder.resolve(split + "-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28});
        Files.write(folder.resolve(split + "-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
    }
}
