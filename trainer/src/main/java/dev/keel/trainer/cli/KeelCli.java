package dev.keel.trainer.cli;

import dev.keel.datasets.DataException;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.engine.Offline;
import dev.keel.trainer.predict.ModelResolver;
import dev.keel.trainer.session.TrainingFailedException;
import dev.keel.trainer.track.Provenance;
import dev.keel.trainer.track.WriteFailedException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code keel}: the command line. Exit codes: 0 done, 2 bad usage, config or data (or a run directory
 * another process holds), 3 training failed for a reason the run records (diverged, a full disk),
 * 130 or 143 interrupted by SIGINT or SIGTERM after checkpointing, 1 anything else.
 */
@Command(name = "keel",
        mixinStandardHelpOptions = true,
        versionProvider = KeelCli.Version.class,
        description = "Robust, measurable neural-network training on the JVM (DJL + PyTorch).",
        footer = {"", "Also: keel tune, a hyperparameter search (./keel tune --help); keel registry, a model"
                + " registry (./keel registry --help); keel drift, is new data still what a model was trained on"
                + " (./keel drift --help); keel compare, two models on the same labelled data (./keel compare"
                + " --help)."},
        subcommands = {TrainCommand.class, ResumeCommand.class, LrFindCommand.class, CheckCommand.class,
                EvaluateCommand.class})
public final class KeelCli implements Runnable {
    /** Exit code for a bad command line, config or data: one clear message, no stack trace. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a run that failed for a reason it records (diverged past its guard, a full disk). */
    public static final int EXIT_TRAINING_FAILED = 3;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        quietLogging();
        int exitCode;
        try {
            exitCode = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("keel: the JVM ran out of heap memory (" + e.getMessage() + "; at most "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB): give it more with KEEL_JAVA_OPTS=-Xmx8g,"
                    + " or use a smaller dataset or batch");
            exitCode = 1;
        }
        System.exit(exitCode);
    }

    /** The configured command line, for {@link #main} and for tests that check exit codes. */
    public static CommandLine commandLine() {
        return commandLine(ModelResolver.RUN_DIRECTORIES);
    }

    /**
     * The configured command line, its commands that take a model resolving it with {@code models}
     * (the registry's jar passes one that knows {@code NAME@STAGE}).
     */
    public static CommandLine commandLine(ModelResolver models) {
        CommandLine commandLine = new CommandLine(new KeelCli())
                .addSubcommand("predict", new PredictCommand(models))
                .addSubcommand("export", new ExportCommand(models))
                .addSubcommand("runs", new RunsCommand())
                .addSubcommand("help", new CommandLine.HelpCommand());
        commandLine.setParameterExceptionHandler((e, args) -> {
            // One line that names the option and points to the help, not the whole usage text.
            CommandLine cmd = e.getCommandLine();
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            cmd.getErr().println("keel: " + message + " (see ./" + cmd.getCommandSpec().qualifiedName(" ")
                    + " --help)");
            cmd.getErr().flush();
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof ConfigException || e instanceof DataException) {
                err.println("keel: " + e.getMessage());
                err.flush();
                return EXIT_USAGE;
            }
            if (e instanceof TrainingFailedException) {
                err.println("keel: training failed: " + e.getMessage());
                err.flush();
                return EXIT_TRAINING_FAILED;
            }
            if (e instanceof WriteFailedException) {
                err.println("keel: " + e.getMessage());
                err.flush();
                return EXIT_TRAINING_FAILED;
            }
            err.println("keel: unexpected error: " + e);
            e.printStackTrace(err);
            err.flush();
            return 1;
        });
        return commandLine;
    }

    /**
     * DJL logs engine details at info level and CUDA probing noise at start; users need neither.
     * Every Keel launcher calls it first.
     */
    public static void quietLogging() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "off");
        Offline.ensure();
    }

    /** Prints Keel's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Keel " + Provenance.keelVersion()};
        }
    }
}
