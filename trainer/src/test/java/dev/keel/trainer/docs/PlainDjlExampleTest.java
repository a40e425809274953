package dev.keel.trainer.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.trainer.SampleData;
import dev.keel.trainer.api.Keel;
import dev.keel.trainer.cli.KeelCli;
import dev.keel.trainer.run.RunOutcome;
import dev.keel.trainer.session.RunOptions;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * docs/java.md's "Loading a saved model with plain DJL": the program, compiled as it is written and
 * run in a fresh JVM on a run Keel just trained, prints for each image the class and probability
 * that {@code keel predict} prints.
 */
class PlainDjlExampleTest {
    @TempDir
    Path temp;

    @Test
    void theDocsProgramPredictsWhatKeelPredicts() throws Exception {
        JavaExample example = JavaExample.under(JavaExample.ROOT.resolve("docs/java.md"),
                "## Loading a saved model with plain DJL");
        Path classes = example.compile(temp);

        Path config = Files.writeString(temp.resolve("tiny.yaml"), """
                name: tiny
                seed: 5
                device: cpu
                data: {dataset: fashion-mnist, path: %s, batch_size: 128}
                model: {arch: cnn, channels: [8, 16], hidden: [32]}
                optimizer: {lr: 0.005}
                train: {epochs: 1}
                """.formatted(SampleData.copyTo(temp.resolve("fashion-mnist"))));
        Path runDir = temp.resolve("run");
        RunOutcome trained = Keel.train(config, List.of(), RunOptions.defaults().withRunDir(runDir)
                .withOut(new PrintStream(OutputStream.nullOutputStream()), false));
        assertEquals(0, trained.exitCode());
        List<String> modelClasses = Files.readAllLines(runDir.resolve("model/synset.txt"));

        // One test image of each class, as 28x28 grayscale PNG files.
        List<String> images = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SampleData.imageFolder(temp.resolve("images"), 1).resolve("test"))) {
            files.filter(f -> f.toString().endsWith(".png")).sorted().forEach(f -> images.add(f.toString()));
        }
        assertEquals(10, images.size());
        List<String> arguments = new ArrayList<>(List.of(runDir.toString()));
        arguments.addAll(images);

        JavaExample.Run run = example.run(classes, temp, List.of(), arguments.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.output());
        List<String[]> printed = lines(run.output(), images);
        List<String[]> predicted = lines(keelPredict(arguments), images);
        for (int i = 0; i < images.size(); i++) {
            String[] mine = printed.get(i);
            String[] keel = predicted.get(i);
            assertTrue(modelClasses.contains(mine[1]), mine[1] + " is not one of the model's classes " + modelClasses);
            assertEquals(keel[1], mine[1], "the class keel predict gives " + images.get(i));
            assertEquals(Double.parseDouble(keel[2]), Double.parseDouble(mine[2]), 2e-4,
                    "the probability keel predict gives " + images.get(i));
        }
    }

    /** The tab-separated lines (input, class, probability) for each image, in the order of the images. */
    private static List<String[]> lines(String output, List<String> images) {
        List<String[]> lines = new ArrayList<>();
        for (String image : images) {
            String[] fields = output.lines().filter(line -> line.startsWith(image + "\t")).findFirst()
                    .map(line -> line.split("\t")).orElse(null);
            assertTrue(fields != null && fields.length >= 3, "no line for " + image + " in:\n" + output);
            lines.add(fields);
        }
        return lines;
    }

    /** {@code keel predict RUN_DIR IMAGE...} in this JVM; what it printed on standard output. */
    private static String keelPredict(List<String> arguments) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = KeelCli.commandLine();
            cli.setOut(new PrintWriter(System.out, true));
            List<String> command = new ArrayList<>(List.of("predict"));
            command.addAll(arguments);
            assertEquals(0, cli.execute(command.toArray(String[]::new)), "keel predict's exit code");
        } finally {
            System.setOut(stdout);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
