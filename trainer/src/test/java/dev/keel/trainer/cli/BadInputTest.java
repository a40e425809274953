package dev.keel.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.trainer.FileSnapshot;
import dev.keel.trainer.KeelRun;
import dev.keel.trainer.SampleData;
import dev.keel.trainer.TinyRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The commands a user runs after training ({@code predict}, {@code evaluate}, {@code check},
 * {@code runs}, {@code runs compare}) given bad input: each case exits with code 2 and one line
 * that names the file or option at fault, prints no stack trace, and leaves every file it could
 * reach (the runs, the inputs, the data) exactly as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    private Path data;
    private Path images;
    private Path tableRun;
    private Path imageRun;
    private Path rows;
    private Path png;

    /** A command line, what its one error line must say, and what it must not. */
    private record Invocation(List<String> args, List<String> expected, List<String> forbidden) {
        static Invocation of(List<String> args, String... expected) {
            return new Invocation(args, List.of(expected), List.of());
        }

        Invocation without(String... forbidden) {
            return new Invocation(args, expected, List.of(forbidden));
        }
    }

    /** Makes what a case needs in its own folder and gives the command line to run. */
    @FunctionalInterface
    private interface Setup {
        Invocation in(Path work) throws IOException;
    }

    private record Case(String name, Setup setup) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void trainTinyRuns() throws IOException {
        data = Files.createDirectories(temp.resolve("data"));
        images = SampleData.imageFolder(data.resolve("images"), 5);
        tableRun = TinyRuns.table(temp.resolve("runs/table"), data);
        imageRun = TinyRuns.images(temp.resolve("runs/images"), images, data);
        rows = Files.writeString(data.resolve("rows.csv"), "x1,x2\n0.9,0.8\n0.1,0.2\n");
        try (Stream<Path> files = Files.walk(images.resolve("test"))) {
            png = files.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedInOneLineNamingTheCulpritAndChangesNothing(Case c) throws Exception {
        Path work = Files.createDirectories(temp.resolve("cases").resolve(c.name().replaceAll("[^A-Za-z0-9]+", "-")));
        Invocation invocation = c.setup().in(work);
        FileSnapshot before = FileSnapshot.of(temp);
        KeelRun result = assertTimeoutPreemptively(Duration.ofSeconds(90),
                () -> KeelRun.of(invocation.args().toArray(String[]::new)), "the command must not hang");
        assertEquals(KeelCli.EXIT_USAGE, result.exit(), result.output());
        assertFalse(result.output().contains("\tat ") || result.output().contains("Exception"),
                "no stack trace, no exception's name: " + result.output());
        assertEquals(1, result.errorLines(), "one error line: " + result.output());
        for (String expected : invocation.expected()) {
            assertTrue(result.err().contains(expected), "names '" + expected + "': " + result.output());
        }
        for (String forbidden : invocation.forbidden()) {
            assertFalse(result.err().contains(forbidden), "must not say '" + forbidden + "': " + result.output());
        }
        assertEquals(List.of(), FileSnapshot.of(temp).changesSince(before), "nothing written, nothing changed");
    }

    Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(predictRunDirectories());
        cases.addAll(predictInputs());
        cases.addAll(predictOptions());
        cases.addAll(damagedModels());
        cases.addAll(evaluate());
        cases.addAll(check());
        cases.addAll(runs());
        return cases.stream();
    }

    private List<Case> predictRunDirectories() {
        return List.of(
                new Case("predict: the run directory does not exist", work -> Invocation.of(
                        predict(work.resolve("nowhere"), rows), work.resolve("nowhere") + ": not found")),
                new Case("predict: the run directory is a file", work -> Invocation.of(
                        predict(rows, rows), rows + ": is a file")),
                new Case("predict: a folder that is no run", work -> Invocation.of(
                        predict(work, rows), work + ": has no trained model", "not a Keel run directory")),
                new Case("predict: the run's config.yaml is not YAML", work -> {
                    Path run = copy(tableRun, work);
                    Files.writeString(run.resolve("config.yaml"), "data: [unclosed\n");
                    return Invocation.of(predict(run, rows), run.resolve("config.yaml").toString());
                }),
                new Case("predict: a run that diverged", work -> {
                    Path run = copy(tableRun, work);
                    delete(run.resolve("model"));
                    summary(run, "failed", "diverged: loss NaN at step 3 after 3 rollback(s) (guard.max_rollbacks)");
                    return Invocation.of(predict(run, rows), run + ": has no trained model", "the run failed",
                            "optimizer.lr", "guard.", "report.html").without("resume");
                }),
                new Case("predict: a run that was interrupted", work -> {
                    Path run = copy(tableRun, work);
                    delete(run.resolve("model"));
                    summary(run, "interrupted", "interrupted by SIGINT");
                    return Invocation.of(predict(run, rows), run + ": has no trained model",
                            "./keel resume " + run);
                }),
                new Case("predict: a completed run whose model/ is gone", work -> {
                    Path run = copy(tableRun, work);
                    delete(run.resolve("model"));
                    return Invocation.of(predict(run, rows), run + ": has no trained model",
                            "model files are missing", "./keel train").without("resume");
                }),
                new Case("predict: a run killed before its summary", work -> {
                    Path run = copy(tableRun, work);
                    delete(run.resolve("model"));
                    Files.delete(run.resolve("summary.json"));
                    return Invocation.of(predict(run, rows), "./keel resume " + run);
                }));
    }

    private List<Case> predictInputs() {
        return List.of(
                new Case("predict: an input that does not exist", work -> Invocation.of(
                        predict(tableRun, work.resolve("missing.csv")), work.resolve("missing.csv") + ": not found")),
                new Case("predict: a text file given to an image model", work -> {
                    Path notes = Files.writeString(work.resolve("notes.txt"), "hello\n");
                    return Invocation.of(predict(imageRun, notes), notes.toString());
                }),
                new Case("predict: a corrupt PNG", work -> {
                    Path broken = Files.writeString(work.resolve("broken.png"), "not a png");
                    return Invocation.of(predict(imageRun, broken), broken.toString());
                }),
                new Case("predict: a PNG cut short", work -> {
                    byte[] bytes = Files.readAllBytes(png);
                    Path cut = Files.write(work.resolve("cut.png"), Arrays.copyOf(bytes, bytes.length / 2));
                    return Invocation.of(predict(imageRun, cut), cut.toString());
                }),
                new Case("predict: a CSV without a column the model reads", work -> {
                    Path csv = Files.writeString(work.resolve("no-x2.csv"), "x1\n0.5\n");
                    return Invocation.of(predict(tableRun, csv), csv + ": no column \"x2\"");
                }),
                new Case("predict: a CSV given to an image model", work -> Invocation.of(
                        predict(imageRun, rows), rows + ": a CSV file, but this model takes images")),
                new Case("predict: an image given to a table model", work -> Invocation.of(
                        predict(tableRun, png), png.toString(), "this model takes table rows")),
                new Case("predict: an empty CSV file", work -> {
                    Path empty = Files.writeString(work.resolve("empty.csv"), "");
                    return Invocation.of(predict(tableRun, empty), empty.toString());
                }),
                new Case("predict: a CSV row with text in a numeric column", work -> {
                    Path csv = Files.writeString(work.resolve("text.csv"), "x1,x2\nabc,0.2\n");
                    return Invocation.of(predict(tableRun, csv), csv + ":2");
                }),
                new Case("predict: a binary file named .csv", work -> {
                    byte[] noise = new byte[4096];
                    new Random(5).nextBytes(noise);
                    Path csv = Files.write(work.resolve("noise.csv"), noise);
                    return Invocation.of(predict(tableRun, csv), csv.toString());
                }),
                new Case("predict: a folder whose only image is not one", work -> {
                    Path folder = Files.createDirectories(work.resolve("fakes"));
                    Path fake = Files.writeString(folder.resolve("fake.jpg"), "not a jpeg");
                    return Invocation.of(predict(imageRun, folder), fake.toString());
                }),
                new Case("predict: a folder without images", work -> {
                    Path folder = Files.createDirectories(work.resolve("no-images"));
                    Files.writeString(folder.resolve("readme.txt"), "nothing to see\n");
                    return Invocation.of(predict(imageRun, folder), folder + ": a folder with no image files");
                }),
                new Case("predict: an input that is a pipe", work -> {
                    Path fifo = fifo(work.resolve("pipe.csv"));
                    return Invocation.of(predict(tableRun, fifo), fifo + ": not a regular file");
                }));
    }

    private List<Case> predictOptions() {
        return List.of(
                new Case("predict: --out in a folder that does not exist", work -> Invocation.of(
                        predict(tableRun, rows, "--out", work.resolve("absent/p.csv").toString()),
                        "--out " + work.resolve("absent/p.csv"), "does not exist")),
                new Case("predict: --out is a folder", work -> Invocation.of(
                        predict(tableRun, rows, "--out", work.toString()), "--out " + work, "is a folder")),
                new Case("predict: --out under a file", work -> {
                    Path file = Files.writeString(work.resolve("file.txt"), "x");
                    return Invocation.of(predict(tableRun, rows, "--out", file.resolve("p.csv").toString()),
                            "--out " + file.resolve("p.csv"), "is a file");
                }),
                new Case("predict: --out is the input", work -> Invocation.of(
                        predict(tableRun, rows, "--out", rows.toString()), "--out " + rows, "is the input")),
                new Case("predict: --out is the input by another path", work -> {
                    Path other = data.resolve("images").resolve("..").resolve("rows.csv");
                    return Invocation.of(predict(tableRun, rows, "--out", other.toString()), "--out " + other,
                            "is the input");
                }),
                new Case("predict: --out is a hard link to the input", work -> {
                    Path link = Files.createLink(work.resolve("link.csv"), rows);
                    return Invocation.of(predict(tableRun, rows, "--out", link.toString()), "--out " + link,
                            "is the input");
                }),
                new Case("predict: --out inside the run directory", work -> Invocation.of(
                        predict(tableRun, rows, "--out", tableRun.resolve("p.csv").toString()),
                        "--out " + tableRun.resolve("p.csv"), "inside the run directory")),
                new Case("predict: --out over the run's keel-model.json", work -> {
                    Path description = tableRun.resolve("model/keel-model.json");
                    return Invocation.of(predict(tableRun, rows, "--out", description.toString()),
                            "--out " + description, "inside the run directory");
                }),
                new Case("predict: --out inside another run directory", work -> Invocation.of(
                        predict(tableRun, rows, "--out", imageRun.resolve("interpret/p.csv").toString()),
                        "--out " + imageRun.resolve("interpret/p.csv"), "inside the run directory")),
                new Case("predict: --out inside an input folder", work -> {
                    Path out = images.resolve("test/predictions.csv");
                    return Invocation.of(predict(imageRun, images.resolve("test"), "--out", out.toString()),
                            "--out " + out, "inside the input folder");
                }),
                new Case("predict: --out is a pipe", work -> {
                    Path fifo = fifo(work.resolve("out.csv"));
                    return Invocation.of(predict(tableRun, rows, "--out", fifo.toString()), "--out " + fifo,
                            "not a regular file");
                }),
                new Case("predict: --review-below 2", work -> Invocation.of(
                        predict(tableRun, rows, "--review-below", "2"), "--review-below 2", "between 0 and 1")),
                new Case("predict: --review-below -1", work -> Invocation.of(
                        predict(tableRun, rows, "--review-below", "-1"), "--review-below -1", "between 0 and 1")),
                new Case("predict: --review-below NaN", work -> Invocation.of(
                        predict(tableRun, rows, "--review-below", "NaN"), "--review-below NaN", "between 0 and 1")),
                new Case("predict: --review-below is not a number", work -> Invocation.of(
                        predict(tableRun, rows, "--review-below", "high"), "--review-below", "high")),
                new Case("predict: --batch-size 0", work -> Invocation.of(
                        predict(tableRun, rows, "--batch-size", "0"), "--batch-size 0", ">= 1")),
                new Case("predict: --batch-size -3", work -> Invocation.of(
                        predict(tableRun, rows, "--batch-size", "-3"), "--batch-size -3", ">= 1")),
                new Case("predict: no input", work -> Invocation.of(List.of("predict", tableRun.toString()),
                        "INPUT")));
    }

    /** A model directory damaged, edited or saved by an older Keel (no manifest.json to catch the edit). */
    private List<Case> damagedModels() {
        return List.of(
                new Case("predict: the weights file is missing", work -> {
                    Path run = copy(tableRun, work);
                    Path params = params(run);
                    Files.delete(params);
                    return Invocation.of(predict(run, rows), params + " is missing", "retrain");
                }),
                new Case("predict: keel-model.json is missing", work -> {
                    Path run = copy(tableRun, work);
                    Files.delete(run.resolve("model/keel-model.json"));
                    return Invocation.of(predict(run, rows), run.resolve("model/keel-model.json") + " is missing");
                }),
                new Case("predict: keel-model.json edited to drop a class", work -> {
                    Path run = copy(imageRun, work);
                    editJson(run.resolve("model/keel-model.json"), d -> d.withArray("classes").remove(9));
                    return Invocation.of(predict(run, png), run.resolve("model/keel-model.json")
                            + " fails its SHA-256 check");
                }),
                new Case("predict: an older model whose keel-model.json drops a class", work -> {
                    Path run = olderCopy(imageRun, work);
                    editJson(run.resolve("model/keel-model.json"), d -> d.withArray("classes").remove(9));
                    return Invocation.of(predict(run, png), run.resolve("model/keel-model.json") + ": lists 9 classes",
                            "give 10 outputs");
                }),
                new Case("predict: an older model whose keel-model.json adds a class", work -> {
                    Path run = olderCopy(tableRun, work);
                    editJson(run.resolve("model/keel-model.json"), d -> d.withArray("classes").add("maybe"));
                    return Invocation.of(predict(run, rows), run.resolve("model/keel-model.json") + ": lists 3 classes");
                }),
                new Case("predict: an older model whose keel-model.json renames a class", work -> {
                    Path run = olderCopy(tableRun, work);
                    editJson(run.resolve("model/keel-model.json"), d -> d.withArray("classes").set(0, "perhaps"));
                    return Invocation.of(predict(run, rows), "synset.txt", "one of them was edited");
                }),
                new Case("predict: an older model whose keel-model.json is not JSON", work -> {
                    Path run = olderCopy(tableRun, work);
                    Files.writeString(run.resolve("model/keel-model.json"), "{\"name\": ");
                    return Invocation.of(predict(run, rows), run.resolve("model/keel-model.json") + ": cannot be read");
                }),
                new Case("predict: an older model of an unknown architecture", work -> {
                    Path run = olderCopy(tableRun, work);
                    editJson(run.resolve("model/keel-model.json"), d -> d.with("model").put("arch", "transformer"));
                    return Invocation.of(predict(run, rows), run.resolve("model/keel-model.json").toString());
                }),
                new Case("predict: an older model whose input_shape does not fit its weights", work -> {
                    Path run = olderCopy(imageRun, work);
                    editJson(run.resolve("model/keel-model.json"), d -> d.putArray("input_shape").add(1).add(20).add(20));
                    return Invocation.of(predict(run, png), run.resolve("model/keel-model.json") + ": input_shape");
                }),
                new Case("predict: an older model whose input_shape is too large to try", work -> {
                    Path run = olderCopy(imageRun, work);
                    editJson(run.resolve("model/keel-model.json"),
                            d -> d.putArray("input_shape").add(1).add(1_000_000).add(1_000_000));
                    return Invocation.of(predict(run, png), run.resolve("model/keel-model.json") + ": input_shape");
                }),
                new Case("predict: an older model whose weights file is damaged", work -> {
                    Path run = olderCopy(tableRun, work);
                    Path params = params(run);
                    byte[] bytes = Files.readAllBytes(params);
                    for (int i = 0; i < 12; i++) {
                        bytes[i] ^= (byte) 0x5a;
                    }
                    Files.write(params, bytes);
                    return Invocation.of(predict(run, rows), params.toString(), "damaged");
                }),
                new Case("predict: manifest.json is not JSON", work -> {
                    Path run = copy(tableRun, work);
                    Files.writeString(run.resolve("model/manifest.json"), "{\"sha256\": {");
                    return Invocation.of(predict(run, rows), run.resolve("model/manifest.json") + ": cannot be read");
                }),
                new Case("predict: manifest.json lists a file outside model/", work -> {
                    Path run = copy(tableRun, work);
                    editJson(run.resolve("model/manifest.json"), m -> m.with("sha256").put("../summary.json", "00"));
                    return Invocation.of(predict(run, rows), run.resolve("model/manifest.json").toString(),
                            "../summary.json");
                }),
                new Case("predict: a weights file added to model/", work -> {
                    Path run = copy(tableRun, work);
                    Path extra = run.resolve("model/model-0099.params");
                    Files.copy(params(run), extra);
                    return Invocation.of(predict(run, rows), extra + " is not in");
                }),
                new Case("predict: model/ is a file", work -> {
                    Path run = copy(tableRun, work);
                    delete(run.resolve("model"));
                    Files.writeString(run.resolve("model"), "");
                    return Invocation.of(predict(run, rows), run.resolve("model") + ": is a file");
                }));
    }

    private List<Case> evaluate() {
        return List.of(
                new Case("evaluate: the run directory does not exist", work -> Invocation.of(
                        List.of("evaluate", work.resolve("nowhere").toString()), work.resolve("nowhere") + ": not found")),
                new Case("evaluate: a folder that is no run", work -> Invocation.of(
                        List.of("evaluate", work.toString()), work + ": not a Keel run directory")),
                new Case("evaluate: a run that diverged", work -> {
                    Path run = copy(tableRun, work);
                    delete(run.resolve("model"));
                    summary(run, "failed", "diverged: loss NaN at step 3 after 3 rollback(s) (guard.max_rollbacks)");
                    return Invocation.of(List.of("evaluate", run.toString()), run + ": has no trained model",
                            "the run failed", "guard.").without("resume");
                }),
                new Case("evaluate: a run that was interrupted", work -> {
                    Path run = copy(tableRun, work);
                    delete(run.resolve("model"));
                    summary(run, "interrupted", "interrupted by SIGTERM");
                    return Invocation.of(List.of("evaluate", run.toString()), "./keel resume " + run);
                }),
                new Case("evaluate: a damaged weights file", work -> {
                    Path run = copy(tableRun, work);
                    Path params = params(run);
                    flipByte(params);
                    return Invocation.of(List.of("evaluate", run.toString()), params + " fails its SHA-256 check");
                }),
                new Case("evaluate: the run's config.yaml is gone", work -> {
                    Path run = copy(tableRun, work);
                    Files.delete(run.resolve("config.yaml"));
                    return Invocation.of(List.of("evaluate", run.toString()), run + ": not a Keel run directory");
                }),
                new Case("evaluate: --data does not exist", work -> Invocation.of(
                        List.of("evaluate", tableRun.toString(), "--data", work.resolve("none.csv").toString()),
                        "--data " + work.resolve("none.csv"), "not found")),
                new Case("evaluate: --data is a text file", work -> {
                    Path notes = Files.writeString(work.resolve("notes.txt"), "hello\n");
                    return Invocation.of(List.of("evaluate", tableRun.toString(), "--data", notes.toString()),
                            "--data " + notes);
                }),
                new Case("evaluate: --data is a config that is not YAML", work -> {
                    Path yaml = Files.writeString(work.resolve("bad.yaml"), "data: [unclosed\n");
                    return Invocation.of(List.of("evaluate", tableRun.toString(), "--data", yaml.toString()),
                            yaml.toString());
                }),
                new Case("evaluate: --data is an empty folder", work -> {
                    Path empty = Files.createDirectories(work.resolve("empty"));
                    return Invocation.of(List.of("evaluate", imageRun.toString(), "--data", empty.toString()),
                            empty.toString());
                }),
                new Case("evaluate: --data is an image folder for a table model", work -> Invocation.of(
                        List.of("evaluate", tableRun.toString(), "--data", images.toString()), "--data " + images,
                        "a folder, but the run trained on a CSV table")),
                new Case("evaluate: --data is a CSV for an image model", work -> Invocation.of(
                        List.of("evaluate", imageRun.toString(), "--data", rows.toString()), "--data " + rows,
                        "a CSV file, but the run trained on image-folder data")),
                new Case("evaluate: --data holds files that are not images", work -> {
                    for (String split : List.of("train", "test")) {
                        for (String label : List.of("a", "b")) {
                            Files.writeString(Files.createDirectories(work.resolve("pics").resolve(split).resolve(label))
                                    .resolve("x.png"), "not a png");
                        }
                    }
                    return Invocation.of(List.of("evaluate", imageRun.toString(), "--data",
                            work.resolve("pics").toString()), work.resolve("pics").toString());
                }),
                new Case("evaluate: --data is a CSV without the label column", work -> {
                    Path csv = Files.writeString(work.resolve("unlabelled.csv"), "x1,x2\n0.1,0.2\n0.3,0.4\n");
                    return Invocation.of(List.of("evaluate", tableRun.toString(), "--data", csv.toString()),
                            csv.toString());
                }));
    }

    private List<Case> check() {
        return List.of(
                new Case("check: the config does not exist", work -> Invocation.of(
                        List.of("check", work.resolve("none.yaml").toString()), work.resolve("none.yaml").toString())),
                new Case("check: the config is a folder", work -> Invocation.of(
                        List.of("check", work.toString()), work + ": is a folder")),
                new Case("check: the config is not YAML", work -> {
                    Path yaml = Files.writeString(work.resolve("bad.yaml"), "data: [unclosed\n");
                    return Invocation.of(List.of("check", yaml.toString()), yaml.toString());
                }),
                new Case("check: the config is a pipe", work -> {
                    Path fifo = fifo(work.resolve("pipe.yaml"));
                    return Invocation.of(List.of("check", fifo.toString()), fifo + ": not a regular file");
                }),
                new Case("check: data.path does not exist", work -> {
                    Path yaml = Files.writeString(work.resolve("c.yaml"),
                            "data: {format: csv, path: " + work.resolve("none.csv") + ", label_column: label}\nmodel: {arch: tabular-mlp}\n");
                    return Invocation.of(List.of("check", yaml.toString()), work.resolve("none.csv").toString());
                }),
                new Case("check: a CSV without its label column", work -> {
                    Path csv = Files.writeString(work.resolve("t.csv"), "x1,x2\n0.1,0.2\n0.3,0.4\n");
                    Path yaml = Files.writeString(work.resolve("c.yaml"),
                            "data: {format: csv, path: " + csv + ", label_column: label}\nmodel: {arch: tabular-mlp}\n");
                    return Invocation.of(List.of("check", yaml.toString()), csv.toString(), "label");
                }),
                new Case("check: an empty CSV", work -> {
                    Path csv = Files.writeString(work.resolve("t.csv"), "");
                    Path yaml = Files.writeString(work.resolve("c.yaml"),
                            "data: {format: csv, path: " + csv + ", label_column: label}\nmodel: {arch: tabular-mlp}\n");
                    return Invocation.of(List.of("check", yaml.toString()), csv.toString());
                }),
                new Case("check: an image folder without train/", work -> {
                    Path folder = Files.createDirectories(work.resolve("pictures/cats"));
                    Files.copy(png, folder.resolve("a.png"));
                    Path yaml = Files.writeString(work.resolve("c.yaml"),
                            "data: {format: image-folder, path: " + work.resolve("pictures") + "}\n");
                    return Invocation.of(List.of("check", yaml.toString()), work.resolve("pictures").toString());
                }),
                new Case("check: --run-dir, as if check wrote a run", work -> {
                    Path yaml = Files.writeString(work.resolve("c.yaml"), "name: c\n");
                    return Invocation.of(List.of("check", yaml.toString(), "--run-dir", work.resolve("r").toString()),
                            "--run-dir", "writes no run directory");
                }),
                new Case("check: an unknown --set key", work -> {
                    Path yaml = Files.writeString(work.resolve("c.yaml"), "name: c\n");
                    return Invocation.of(List.of("check", yaml.toString(), "--set", "train.epoch=3"),
                            "--set train.epoch=3");
                }));
    }

    private List<Case> runs() {
        return List.of(
                new Case("runs: --runs-root is a file", work -> Invocation.of(
                        List.of("runs", "--runs-root", rows.toString()), "--runs-root " + rows, "is a file")),
                new Case("runs compare: a run that does not exist", work -> Invocation.of(
                        List.of("runs", "compare", work.resolve("nowhere").toString(), tableRun.toString()),
                        work.resolve("nowhere") + ": no such run")),
                new Case("runs compare: a folder that is no run", work -> Invocation.of(
                        List.of("runs", "compare", tableRun.toString(), work.toString()),
                        work + ": not a Keel run directory")),
                new Case("runs compare: a config.yaml that is not YAML", work -> {
                    Path run = copy(tableRun, work);
                    Files.writeString(run.resolve("config.yaml"), "data: [unclosed\n");
                    return Invocation.of(List.of("runs", "compare", tableRun.toString(), run.toString()),
                            run.resolve("config.yaml") + ": cannot be read");
                }),
                new Case("runs compare: a config.yaml that is a folder", work -> {
                    Path run = copy(tableRun, work);
                    Files.delete(run.resolve("config.yaml"));
                    Files.createDirectories(run.resolve("config.yaml"));
                    return Invocation.of(List.of("runs", "compare", run.toString(), tableRun.toString()),
                            run.resolve("config.yaml") + ": not a regular file");
                }),
                new Case("runs compare: a config.yaml that is a pipe", work -> {
                    Path run = copy(tableRun, work);
                    Files.delete(run.resolve("config.yaml"));
                    fifo(run.resolve("config.yaml"));
                    return Invocation.of(List.of("runs", "compare", run.toString(), tableRun.toString()),
                            run.resolve("config.yaml") + ": not a regular file");
                }),
                new Case("runs compare: one run given", work -> Invocation.of(
                        List.of("runs", "compare", tableRun.toString()), "B")));
    }

    private static List<String> predict(Path run, Path input, String... options) {
        List<String> args = new ArrayList<>(List.of("predict", run.toString(), input.toString()));
        args.addAll(List.of(options));
        return args;
    }

    /** A copy of {@code run} in {@code work}, for a case that damages it. */
    static Path copy(Path run, Path work) throws IOException {
        Path copy = work.resolve("run");
        try (Stream<Path> paths = Files.walk(run)) {
            for (Path path : paths.toList()) {
                Path target = copy.resolve(run.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
        return copy;
    }

    /** A copy of {@code run} as a Keel before model manifests saved it. */
    private static Path olderCopy(Path run, Path work) throws IOException {
        Path copy = copy(run, work);
        Files.delete(copy.resolve("model/manifest.json"));
        return copy;
    }

    static Path params(Path run) throws IOException {
        try (Stream<Path> files = Files.list(run.resolve("model"))) {
            return files.filter(p -> p.toString().endsWith(".params")).findFirst().orElseThrow();
        }
    }

    static void flipByte(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= (byte) 0x01;
        Files.write(file, bytes);
    }

    private static void editJson(Path file, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(file.toFile());
        edit.accept(json);
        JSON.writeValue(file.toFile(), json);
    }

    private static void summary(Path run, String status, String reason) throws IOException {
        Files.writeString(run.resolve("summary.json"), JSON.writeValueAsString(JSON.createObjectNode()
                .put("status", status).put("epochs", 1).put("steps", 3).put("wall_seconds", 1.5).put("reason", reason)));
    }

    private static void delete(Path path) throws IOException {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static Path fifo(Path path) throws IOException {
        try {
            int exit = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IOException("mkfifo " + path + " exited with " + exit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("mkfifo interrupted", e);
        }
        return path;
    }
}
