package dev.keel.tune.spark;

import dev.keel.tune.trial.TrialExecutor;
import dev.keel.tune.trial.TrialJob;
import dev.keel.tune.trial.TrialReport;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Trials on Apache Spark: each job is one Spark job of one task, which trains the trial in a child
 * JVM on whichever executor Spark gives it ({@link TrialTask}) and sends its report back here. The
 * driver (this JVM) keeps deciding and keeping the study's store; executors only write the trial's
 * run directory, so the study's folder must be at the same path on every worker (shared storage),
 * and so must the data and Keel's jars (see docs/spark.md).
 *
 * <p>Masters:
 *
 * <ul>
 *   <li>{@code local[N]}: N trials at once in this JVM's Spark, each a child process on this machine
 *       with {@code threadsPerTrial} threads (by default the cores split between the N); Spark's
 *       local scheduler gets N times that many cores, and a task may fail twice, as on a cluster.
 *   <li>{@code spark://HOST:PORT} (standalone) or {@code local-cluster[W,C,M]}: trials on the
 *       cluster's executors, as many at once as their cores hold tasks of {@code threadsPerTrial}
 *       cores (by default 1).
 * </ul>
 *
 * <p>Spark starts a task again when it is lost with its executor or its worker, and the trial
 * continues from the newest checkpoint in its run directory, so it ends with the weights it would
 * have had. A task that failed twice ({@code spark.task.maxFailures=2}) fails its job, which
 * completes with a failed report giving Spark's reason; Spark does not count a loss it puts down
 * to the loss of the whole worker, so such a task may start more than twice. A trial that fails by
 * itself (its config, its data, a diverged run) is not a Spark failure: its report says why, and it
 * is not started again. One SparkTrials at a time in a JVM (Spark allows one context).
 */
public final class SparkTrials implements TrialExecutor {
    /** Failed attempts of a task that fail its job: a task lost with its executor is started again once. */
    public static final int MAX_FAILURES = 2;

    /** The packages of java.base that Spark's driver needs opened (what spark-submit opens). */
    static final List<String> OPENED_PACKAGES = List.of("java.lang", "java.lang.invoke", "java.lang.reflect",
            "java.io", "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic",
            "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar");

    /** Loggers of Spark and its libraries kept to errors unless the JVM's properties say otherwise. */
    private static final List<String> QUIET_LOGGERS = List.of("org.apache.spark", "org.sparkproject", "io.netty",
            "org.apache.hadoop", "org.apache.zookeeper", "org.apache.curator", "org.eclipse.jetty",
            "org.glassfish", "com.github.luben");

    /** The environment of Keel's launcher that trials on executors should train under too. */
    private static final List<String> FORWARDED_ENVIRONMENT = List.of("MALLOC_ARENA_MAX", "MALLOC_TRIM_THRESHOLD_",
            "MALLOC_MMAP_THRESHOLD_", "ONEDNN_MAX_CPU_ISA");

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,(\\d+))?])?");
    /** How long no further executor must register before a cluster's slots are taken as counted. */
    private static final Duration SETTLE = Duration.ofSeconds(3);

    private static final Pattern FAILED_TIMES = Pattern.compile("failed (\\d+) times");

    /**
     * How trials use the cluster.
     *
     * @param threadsPerTrial intra-op threads, and Spark cores ({@code spark.task.cpus}), per trial; 0 for
     *     the default (local: the machine's cores split between the trials; a cluster: 1)
     * @param slots trials at once as the study should see it; 0 to take what the cluster holds
     * @param gpuPerTrial whether each trial asks Spark for one GPU ({@code spark.task.resource.gpu.amount=1})
     *     and trains on it; for clusters whose workers offer a {@code gpu} resource
     * @param ui whether Spark's web UI runs
     * @param executorClassPath the classpath executors load Keel from; null for this JVM's (the same paths
     *     on every worker)
     * @param conf further Spark settings, applied last
     * @param executorWait how long to wait for a cluster's first executor before giving up
     */
    public record Options(int threadsPerTrial, int slots, boolean gpuPerTrial, boolean ui, String executorClassPath,
            Map<String, String> conf, Duration executorWait) {
        public Options {
            if (threadsPerTrial < 0 || slots < 0) {
                throw new IllegalArgumentException("threadsPerTrial and slots must not be negative");
            }
            conf = Map.copyOf(conf);
        }

        public static Options defaults() {
            return new Options(0, 0, false, false, null, Map.of(), Duration.ofSeconds(60));
        }

        public Options withThreadsPerTrial(int threads) {
            return new Options(threads, slots, gpuPerTrial, ui, executorClassPath, conf, executorWait);
        }

        public Options withSlots(int count) {
            return new Options(threadsPerTrial, count, gpuPerTrial, ui, executorClassPath, conf, executorWait);
        }

        public Options withGpuPerTrial(boolean gpu) {
            return new Options(threadsPerTrial, slots, gpu, ui, executorClassPath, conf, executorWait);
        }

        public Options withUi(boolean enabled) {
            return new Options(threadsPerTrial, slots, gpuPerTrial, enabled, executorClassPath, conf, executorWait);
        }

        public Options withExecutorClassPath(String classPath) {
            return new Options(threadsPerTrial, slots, gpuPerTrial, ui, classPath, conf, executorWait);
        }

        /** These options with the Spark setting {@code key} set to {@code value}. */
        public Options withConf(String key, String value) {
            Map<String, String> more = new LinkedHashMap<>(conf);
            more.put(key, value);
            return new Options(threadsPerTrial, slots, gpuPerTrial, ui, executorClassPath, more, executorWait);
        }

        public Options withExecutorWait(Duration wait) {
            return new Options(threadsPerTrial, slots, gpuPerTrial, ui, executorClassPath, conf, wait);
        }
    }

    private final String master;
    private final Options options;
    private final int threads;
    private final int localSlots;
    private final JavaSparkContext context;
    private final ExecutorService driverThreads;
    private volatile boolean closed;

    /** Trials on {@code master} with the default options. */
    public SparkTrials(String master) {
        this(master, Options.defaults());
    }

    /**
     * Starts a Spark application on {@code master} and, on a cluster, waits for its executors (the
     * first within {@link Options#executorWait()}).
     *
     * @throws IllegalStateException when this JVM lacks the flags Spark needs, or no executor came
     */
    public SparkTrials(String master, Options options) {
        checkOpened();
        this.master = master;
        this.options = options;
        Matcher local = LOCAL.matcher(master);
        String sparkMaster;
        if (local.matches()) {
            if (options.gpuPerTrial()) {
                throw new IllegalArgumentException("a GPU per trial needs a cluster whose workers offer GPUs; in "
                        + master + " set the config's device instead");
            }
            int cores = Runtime.getRuntime().availableProcessors();
            int trials = local.group(1) == null ? 1 : local.group(1).equals("*") ? cores : Integer.parseInt(local.group(1));
            if (trials < 1) {
                throw new IllegalArgumentException(master + ": needs at least one trial at a time");
            }
            this.threads = options.threadsPerTrial() > 0 ? options.threadsPerTrial() : Math.max(1, cores / trials);
            this.localSlots = trials;
            int failures = local.group(2) == null ? MAX_FAILURES : Integer.parseInt(local.group(2));
            sparkMaster = "local[" + trials * threads + "," + failures + "]";
        } else {
            this.threads = options.threadsPerTrial() > 0 ? options.threadsPerTrial() : 1;
            this.localSlots = 0;
            sparkMaster = master;
        }
        quietLogging();
        SparkConf conf = new SparkConf()
                .setMaster(sparkMaster)
                .setAppName("keel tune")
                .set("spark.ui.enabled", Boolean.toString(options.ui()))
                .set("spark.task.cpus", Integer.toString(threads))
                .setIfMissing("spark.task.maxFailures", Integer.toString(MAX_FAILURES))
                .setIfMissing("spark.executor.extraClassPath", options.executorClassPath() != null
                        ? options.executorClassPath() : absoluteClassPath(System.getProperty("java.class.path")));
        for (String name : FORWARDED_ENVIRONMENT) {
            String value = System.getenv(name);
            if (value != null) {
                conf.setIfMissing("spark.executorEnv." + name, value);
            }
        }
        if (options.gpuPerTrial()) {
            conf.set("spark.task.resource.gpu.amount", "1");
            conf.setIfMissing("spark.executor.resource.gpu.amount", "1");
        }
        options.conf().forEach(conf::set);
        this.context = new JavaSparkContext(conf);
        this.driverThreads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "keel-spark-job");
            thread.setDaemon(true);
            return thread;
        });
        if (localSlots == 0) {
            try {
                awaitExecutors();
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
    }

    @Override
    public int slots() {
        if (options.slots() > 0) {
            return options.slots();
        }
        return localSlots > 0 ? localSlots : Math.max(1, concurrentTasks());
    }

    @Override
    public int threadsPerTrial() {
        return threads;
    }

    /**
     * Runs {@code job} as a Spark job of one task. The future completes with the trial's report, or
     * with a failed report giving Spark's reason when every attempt of the task failed.
     */
    @Override
    public CompletableFuture<TrialReport> submit(TrialJob job) {
        if (closed) {
            throw new IllegalStateException("these Spark trials are closed");
        }
        return CompletableFuture.supplyAsync(() -> runJob(job), driverThreads);
    }

    @Override
    public String describe() {
        int slots = slots();
        return "Spark " + master + ", " + slots + (slots == 1 ? " trial" : " trials") + " at a time, " + threads
                + (threads == 1 ? " thread" : " threads") + " each" + (options.gpuPerTrial() ? " and a GPU" : "");
    }

    /** Cancels the jobs still running (their trials' processes end) and stops the Spark application. */
    @Override
    public void close() {
        closed = true;
        try {
            if (!context.sc().isStopped()) {
                context.cancelAllJobs();
            }
        } finally {
            context.stop();
            driverThreads.shutdown();
        }
    }

    private TrialReport runJob(TrialJob job) {
        long start = System.nanoTime();
        context.setJobGroup("keel-trial-job-" + job.seq(), "trial " + job.trial() + ", job " + job.seq(), true);
        try {
            List<String> reports = context.parallelize(List.of(job.toJson()), 1).map(new TrialTask()).collect();
            return TrialReport.fromJson(reports.get(0));
        } catch (Exception e) {
            String reason = sparkReason(e);
            Matcher failed = FAILED_TIMES.matcher(reason);
            int attempts = failed.find() ? Integer.parseInt(failed.group(1)) : 1;
            return TrialReport.failure(job, (closed ? "stopped with the study's Spark application: " : "Spark: ")
                    + reason, (System.nanoTime() - start) / 1e9, attempts);
        } finally {
            context.clearJobGroup();
        }
    }

    /** Spark's message without its driver stack trace. */
    static String sparkReason(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int stack = message.indexOf("\nDriver stacktrace:");
        return (stack < 0 ? message : message.substring(0, stack)).strip();
    }

    /** How many tasks of this application's size the executors now registered can run at once. */
    private int concurrentTasks() {
        SparkContext spark = context.sc();
        return spark.maxNumConcurrentTasks(spark.resourceProfileManager().defaultResourceProfile());
    }

    /**
     * Waits for the cluster's first executor, then until no other has come for {@link #SETTLE}, so
     * that {@link #slots()} counts the executors the master launched for this application at its start.
     */
    private void awaitExecutors() {
        long deadline = System.nanoTime() + options.executorWait().toNanos();
        int count = 0;
        long changed = System.nanoTime();
        while (true) {
            int now = concurrentTasks();
            if (now != count) {
                count = now;
                changed = System.nanoTime();
            }
            if (count > 0 && (System.nanoTime() - changed > SETTLE.toNanos() || System.nanoTime() > deadline)) {
                return;
            }
            if (context.sc().isStopped()) {
                throw new IllegalStateException("the Spark application on " + master + " stopped: could the master"
                        + " be reached?");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no executor of " + master + " could take a trial within "
                        + options.executorWait().toSeconds() + " s: is a worker running, with " + threads
                        + (threads == 1 ? " core" : " cores") + (options.gpuPerTrial() ? " and a GPU" : "")
                        + " free and the memory of spark.executor.memory?");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for executors of " + master, e);
            }
        }
    }

    /** {@code classPath} with every entry absolute, as executors on other machines need it. */
    static String absoluteClassPath(String classPath) {
        return Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> entry.endsWith("*")
                        ? Path.of(entry.substring(0, entry.length() - 1)).toAbsolutePath() + File.separator + "*"
                        : Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * Fails with the flags to add when java.base is not opened as Spark needs (spark-submit adds them;
     * an embedded Spark needs them on the JVM's command line, or in the Add-Opens of the jar it runs).
     */
    private static void checkOpened() {
        Module base = Object.class.getModule();
        Module keel = SparkTrials.class.getModule();
        List<String> missing = OPENED_PACKAGES.stream().filter(pkg -> !base.isOpen(pkg, keel)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Spark needs this JVM started with "
                    + missing.stream().map(pkg -> "--add-opens=java.base/" + pkg + "=ALL-UNNAMED")
                            .collect(Collectors.joining(" ")));
        }
        // Read when Netty first loads, which is after this: Spark's network buffers need it.
        if (System.getProperty("io.netty.tryReflectionSetAccessible") == null) {
            System.setProperty("io.netty.tryReflectionSetAccessible", "true");
        }
    }

    /** Spark's and its libraries' info and warnings stay out of the study's output (slf4j-simple). */
    private static void quietLogging() {
        for (String logger : QUIET_LOGGERS) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "error");
            }
        }
    }
}
