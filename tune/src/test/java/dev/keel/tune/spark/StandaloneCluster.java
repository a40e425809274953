package dev.keel.tune.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A real Spark standalone cluster on this machine: a master and workers, each its own JVM started
 * from the Spark home the build lays out ({@code target/spark-home/jars}), as docs/spark.md starts
 * them. Closing it kills every process it started and their children (executors and trials).
 */
final class StandaloneCluster implements AutoCloseable {
    /** The Spark home the build lays out before the tests (tune/pom.xml, execution spark-home). */
    static final Path SPARK_HOME = Path.of("target", "spark-home").toAbsolutePath();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int port;
    private final int webUiPort;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private StandaloneCluster(Path dir, int port, int webUiPort, Process master) {
        this.dir = dir;
        this.port = port;
        this.webUiPort = webUiPort;
        this.master = master;
    }

    /** Starts a master on 127.0.0.1 with its logs in {@code dir}, and waits until it answers. */
    static StandaloneCluster start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        if (!Files.isDirectory(SPARK_HOME.resolve("jars"))) {
            throw new IllegalStateException(SPARK_HOME + "/jars is missing: the build lays it out (mvn test)");
        }
        int port = freePort();
        int webUiPort = freePort();
        Process master = launch(dir.resolve("master.log"), "org.apache.spark.deploy.master.Master", "--host",
                "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(webUiPort));
        StandaloneCluster cluster = new StandaloneCluster(dir, port, webUiPort, master);
        try {
            cluster.awaitAliveWorkers(0, Duration.ofSeconds(60));
        } catch (RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    String url() {
        return "spark://127.0.0.1:" + port;
    }

    /** Starts a worker with {@code cores} cores and {@code memory} for executors; its work folder is in this cluster's. */
    Process startWorker(int cores, String memory) throws IOException {
        int number = workers.size() + 1;
        Path work = Files.createDirectories(dir.resolve("worker-" + number));
        Process worker = launch(dir.resolve("worker-" + number + ".log"), "org.apache.spark.deploy.worker.Worker",
                "--host", "127.0.0.1", "--cores", Integer.toString(cores), "--memory", memory, "--work-dir",
                work.toString(), "--webui-port", "0", url());
        workers.add(worker);
        return worker;
    }

    /** The work folder of the {@code number}th worker started (1-based): an app-* folder per application it ran executors for. */
    Path workDir(int number) {
        return dir.resolve("worker-" + number);
    }

    /** Waits until the master counts {@code count} live workers. */
    void awaitAliveWorkers(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!master.isAlive()) {
                throw new IllegalStateException("the Spark master ended: " + logs());
            }
            JsonNode state = masterState();
            if (state != null && state.path("aliveworkers").asInt(-1) == count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the master did not count " + count + " live workers within "
                        + timeout.toSeconds() + " s: " + logs());
            }
            Thread.sleep(200);
        }
    }

    /** Kills {@code worker} and every process under it (its executors and their trials) with SIGKILL. */
    void kill(Process worker) {
        killTree(worker.toHandle());
    }

    /** The last lines of every log of this cluster, for a failure's message. */
    String logs() {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log") || f.getFileName().toString()
                    .equals("stderr")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                text.append("\n--- ").append(dir.relativize(file)).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
            }
        } catch (IOException | UncheckedIOException e) {
            text.append("\n(logs unreadable: ").append(e).append(')');
        }
        return text.toString();
    }

    @Override
    public void close() {
        for (Process worker : workers) {
            killTree(worker.toHandle());
        }
        killTree(master.toHandle());
    }

    private JsonNode masterState() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + webUiPort + "/json/")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A Spark daemon as spark-class starts it: Spark's module options, the Spark home's jars, its environment. */
    private static Process launch(Path log, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
        command.addAll(List.of("-cp", SPARK_HOME.resolve("jars") + "/*", mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("SPARK_HOME", SPARK_HOME.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    /** Kills {@code root} and every process under it with SIGKILL, and waits until they have ended. */
    static void killTree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        tree.addAll(root.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : tree) {
            try {
                process.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Already gone, or it will be: SIGKILL cannot be refused.
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
