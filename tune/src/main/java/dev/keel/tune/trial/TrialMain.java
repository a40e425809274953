package dev.keel.tune.trial;

import dev.keel.datasets.DataException;
import dev.keel.trainer.api.Keel;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.session.RunOptions;
import dev.keel.trainer.session.TrainingFailedException;
import dev.keel.trainer.track.RunDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process one {@link TrialJob} trains in: starts the trial's run through Keel's Java API, or
 * continues it from its checkpoint, and pauses it after the job's epoch. Its own JVM, so that
 * trials running at once do not share libtorch's global random generator or thread pool. It ends
 * when the process that started it ends (its standard input closes), so a killed study leaves no
 * trial training on.
 *
 * <p>Exit codes as {@code keel train}'s: 0 done or paused, 2 bad config or data, 3 training failed.
 */
public final class TrialMain {
    private TrialMain() {}

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "off");
        endWithParent(System.in);
        TrialJob job = TrialJob.fromJson(args[0]);
        int exitCode;
        try {
            exitCode = run(job);
        } catch (ConfigException | DataException e) {
            System.err.println("keel: " + e.getMessage());
            exitCode = 2;
        } catch (TrainingFailedException e) {
            System.err.println("keel: training failed: " + e.getMessage());
            exitCode = 3;
        } catch (RuntimeException | IOException e) {
            System.err.println("keel: unexpected error: " + e);
            e.printStackTrace();
            exitCode = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(exitCode);
    }

    private static int run(TrialJob job) throws IOException {
        Path runDir = Path.of(job.runDir());
        RunOptions options = RunOptions.defaults().withPauseAfterEpoch(job.pauseAfterEpoch());
        if (Files.isRegularFile(runDir.resolve("config.yaml"))) {
            TrialReport before = TrialReport.read(job, 0, "", 0, 1);
            if (before.status().equals("interrupted") && before.lastEpoch() >= job.pauseAfterEpoch()) {
                return 0; // the job ended before its study recorded it: it is done, and training on would overshoot
            }
            return Keel.resume(runDir, options.withSource(runDir.resolve("config.yaml").toString(),
                    List.of("resume", runDir.toString()))).exitCode();
        }
        RunDirectory.deleteRecursively(runDir); // a start killed before it wrote its config: nothing in it to keep
        return Keel.train(Path.of(job.config()), job.overrides(), options.withRunDir(runDir)).exitCode();
    }

    /** Halts when {@code parentPipe} closes: the study that started this process has ended. */
    private static void endWithParent(InputStream parentPipe) {
        Thread watcher = new Thread(() -> {
            try {
                while (parentPipe.read() >= 0) {
                    // The study writes nothing; only the end of the stream matters.
                }
            } catch (IOException e) {
                // The pipe broke: the parent is gone.
            }
            Runtime.getRuntime().halt(137);
        }, "keel-trial-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
