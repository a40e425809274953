package dev.keel.registry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.registry.run.FinishedRun;
import dev.keel.registry.store.RegisteredVersion;
import dev.keel.registry.store.RegistryStore;
import dev.keel.registry.store.Stage;
import dev.keel.registry.store.Transition;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.runs.TextTable;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code keel registry}: registered versions of finished runs, their stages (none, staging,
 * production, archived), aliases and history, on one SQLite file (docs/registry.md).
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = {"Keel's model registry: register finished runs as numbered versions of a named model, move"
                + " them through staging and production, give them aliases, and read who held what when.",
                "The registry is one SQLite file: --registry PATH, else $KEEL_REGISTRY, else registry.db in the"
                        + " working directory. ./keel predict NAME@production INPUT... predicts with the version"
                        + " a reference names, after checking its files."},
        subcommands = {RegistryCommand.Register.class, RegistryCommand.ListModels.class, RegistryCommand.Show.class,
                RegistryCommand.History.class, RegistryCommand.Promote.class, RegistryCommand.Archive.class,
                RegistryCommand.Alias.class, RegistryCommand.Delete.class})
public final class RegistryCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code NAME} or {@code NAME@SELECTOR}, split. */
    private record Reference(String name, String selector) {
        static Reference parse(String text) {
            int at = text.indexOf('@');
            String name = at < 0 ? text : text.substring(0, at);
            RegistryStore.checkName(name, "model name");
            String selector = at < 0 ? null : text.substring(at + 1);
            if (selector != null && selector.isEmpty()) {
                throw new ConfigException(text + ": expected NAME@VERSION, NAME@STAGE or NAME@ALIAS after the @");
            }
            return new Reference(name, selector);
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Register a finished run (completed or stopped early) as the next version of model NAME;"
                    + " records its files' SHA-256, config, data fingerprint, test metrics, versions and git commit.")
    static final class Register implements Callable<Integer> {
        @Spec
        private CommandLine.Model.CommandSpec spec;
        @Mixin
        private RegistryOption registry;
        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The finished run's directory.")
        private Path runDir;
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The model's name: letters,"
                + " digits, '.', '_' and '-', starting with a letter or digit (created when new).")
        private String name;
        @Option(names = "--description", paramLabel = "TEXT", description = "What this version is.")
        private String description;
        @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag of the version (repeatable).")
        private List<String> tags = new ArrayList<>();

        @Override
        public Integer call() {
            RegistryStore.checkName(name, "--name");
            Map<String, String> tagMap = new LinkedHashMap<>();
            for (String tag : tags) {
                int eq = tag.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException("--tag " + tag + ": expected KEY=VALUE");
                }
                RegistryStore.checkName(tag.substring(0, eq), "--tag " + tag + ": key");
                tagMap.put(tag.substring(0, eq), tag.substring(eq + 1));
            }
            FinishedRun run = FinishedRun.read(runDir);
            try (RegistryStore store = RegistryStore.open(registry.file(), true)) {
                int version = store.register(name, run.runDir().toString(), run.record(), description, tagMap,
                        RegistryOption.user());
                PrintWriter out = spec.commandLine().getOut();
                out.println("registered " + name + " version " + version + " (" + run.runDir() + ")");
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every model: its latest version, the holders of staging and production, and its aliases.")
    static final class ListModels implements Callable<Integer> {
        @Spec
        private CommandLine.Model.CommandSpec spec;
        @Mixin
        private RegistryOption registry;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Path file = registry.file();
            if (!Files.exists(file)) {
                out.println("no models registered (" + file + " does not exist)");
                out.flush();
                return 0;
            }
            try (RegistryStore store = RegistryStore.open(file, false)) {
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("NAME", "LATEST", "VERSIONS", "PRODUCTION", "STAGING", "ALIASES"));
                for (String name : store.models()) {
                    List<RegisteredVersion> versions = store.versions(name);
                    List<RegisteredVersion> live = versions.stream().filter(v -> !v.deleted()).toList();
                    List<String> aliases = new ArrayList<>();
                    live.forEach(v -> v.aliases().forEach(a -> aliases.add(a + "=" + v.version())));
                    rows.add(List.of(name, live.isEmpty() ? "-" : String.valueOf(live.get(live.size() - 1).version()),
                            String.valueOf(live.size()), holder(live, Stage.PRODUCTION), holder(live, Stage.STAGING),
                            aliases.isEmpty() ? "-" : String.join(", ", aliases)));
                }
                if (rows.size() == 1) {
                    out.println("no models registered in " + file);
                } else {
                    printTable(out, rows);
                }
                out.flush();
            }
            return 0;
        }

        private static String holder(List<RegisteredVersion> versions, Stage stage) {
            return versions.stream().filter(v -> v.stage() == stage).map(v -> String.valueOf(v.version()))
                    .findFirst().orElse("-");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "NAME: the model and its versions. NAME@VERSION, NAME@STAGE or NAME@ALIAS: that version's"
                    + " full record.")
    static final class Show implements Callable<Integer> {
        @Spec
        private CommandLine.Model.CommandSpec spec;
        @Mixin
        private RegistryOption registry;
        @Parameters(index = "0", paramLabel = "NAME[@VERSION|@STAGE|@ALIAS]")
        private String reference;
        @Option(names = "--json", description = "Print the version's record as JSON (what predict and export see).")
        private boolean json;

        @Override
        public Integer call() throws JsonProcessingException {
            Reference ref = Reference.parse(reference);
            PrintWriter out = spec.commandLine().getOut();
            try (RegistryStore store = RegistryStore.open(registry.file(), false)) {
                if (ref.selector() == null) {
                    List<RegisteredVersion> versions = store.versions(ref.name());
                    if (json) {
                        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                                versions.stream().map(RegisteredVersion::toJson).toList()));
                    } else {
                        showModel(out, ref.name(), versions);
                    }
                } else {
                    RegisteredVersion version = store.resolve(ref.name(), ref.selector());
                    if (json) {
                        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(version.toJson()));
                    } else {
                        showVersion(out, version);
                    }
                }
            }
            out.flush();
            return 0;
        }

        private static void showModel(PrintWriter out, String name, List<RegisteredVersion> versions) {
            out.println(name + ": " + versions.size() + " version" + (versions.size() == 1 ? "" : "s") + " registered");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("VERSION", "STAGE", "ALIASES", "TEST ACCURACY", "REGISTERED", "BY", "RUN"));
            for (RegisteredVersion v : versions) {
                rows.add(List.of(String.valueOf(v.version()), v.deleted() ? "deleted" : v.stage().word(),
                        v.aliases().isEmpty() ? "-" : String.join(", ", v.aliases()),
                        metric(v.record().at("/metrics/test/accuracy")), v.registeredAt().toString(), v.registeredBy(),
                        v.runDir()));
            }
            printTable(out, rows);
        }

        private static void showVersion(PrintWriter out, RegisteredVersion v) {
            JsonNode r = v.record();
            out.println(v.model() + " version " + v.version() + (v.deleted() ? " (deleted " + v.deletedAt() + ")" : ""));
            out.println("  stage:       " + (v.deleted() ? "deleted" : v.stage().word()));
            out.println("  aliases:     " + (v.aliases().isEmpty() ? "-" : String.join(", ", v.aliases())));
            out.println("  run:         " + v.runDir());
            out.println("  registered:  " + v.registeredAt() + " by " + v.registeredBy());
            out.println("  description: " + (v.description() == null ? "-" : v.description()));
            List<String> tags = new ArrayList<>();
            v.tags().forEach((k, value) -> tags.add(k + "=" + value));
            out.println("  tags:        " + (tags.isEmpty() ? "-" : String.join(", ", tags)));
            out.println("  run status:  " + r.path("status").asText("-"));
            out.println("  test:        accuracy " + metric(r.at("/metrics/test/accuracy")) + ", loss "
                    + metric(r.at("/metrics/test/loss")));
            out.println("  versions:    keel " + r.at("/versions/keel").asText("-") + ", djl "
                    + r.at("/versions/djl").asText("-") + ", " + r.at("/versions/engine").asText("engine") + " "
                    + r.at("/versions/engine_version").asText("-"));
            out.println("  git:         " + r.at("/git/commit").asText("-")
                    + (r.at("/git/dirty").asBoolean(false) ? " (dirty)" : ""));
            out.println("  data:        " + r.path("dataset").toString());
            out.println("  files (SHA-256):");
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("hashes").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                out.println("    " + e.getValue().asText() + "  " + e.getKey());
            }
            out.println("  config.yaml:");
            r.path("config").asText("").lines().forEach(line -> out.println("    " + line));
        }

        private static String metric(JsonNode value) {
            return value.isNumber() ? String.format(Locale.ROOT, "%.4f", value.asDouble()) : "-";
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Every transition of model NAME (registrations, stage changes, aliases, deletions), or with"
                    + " --at, which version held each stage and alias at that moment.")
    static final class History implements Callable<Integer> {
        @Spec
        private CommandLine.Model.CommandSpec spec;
        @Mixin
        private RegistryOption registry;
        @Parameters(index = "0", paramLabel = "NAME")
        private String name;
        @Option(names = "--at", paramLabel = "TIME", description = "An ISO-8601 instant (2026-12-06T19:00:00Z), a"
                + " date-time with an offset, or a local date-time or date (in this machine's time zone).")
        private String at;

        @Override
        public Integer call() {
            RegistryStore.checkName(name, "model name");
            Instant when = at == null ? null : parseTime(at);
            PrintWriter out = spec.commandLine().getOut();
            try (RegistryStore store = RegistryStore.open(registry.file(), false)) {
                List<Transition> history = store.history(name);
                if (when == null) {
                    printHistory(out, history);
                } else {
                    RegistryStore.Holders holders = RegistryStore.replay(history, when);
                    out.println(name + " at " + when + " (" + holders.registered().size() + " version"
                            + (holders.registered().size() == 1 ? "" : "s") + " registered by then):");
                    for (Stage stage : List.of(Stage.PRODUCTION, Stage.STAGING)) {
                        List<Integer> held = holders.stages().get(stage);
                        out.printf(Locale.ROOT, "  %-11s %s%n", stage.word(), held.isEmpty() ? "-"
                                : String.join(", ", held.stream().map(String::valueOf).toList()));
                    }
                    holders.aliases().forEach((alias, version) ->
                            out.printf(Locale.ROOT, "  @%-10s %d%n", alias, version));
                }
            }
            out.flush();
            return 0;
        }

        private static void printHistory(PrintWriter out, List<Transition> history) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("TIME", "USER", "VERSION", "ACTION", "FROM", "TO", "REASON"));
            Map<String, Integer> aliases = new HashMap<>();
            for (Transition t : history) {
                String from;
                String to;
                if (t.alias() == null) {
                    from = t.from() == null ? "-" : t.from().word();
                    to = t.to() == null ? "-" : t.to().word();
                } else {
                    Integer previous = t.action().equals("alias") ? aliases.put(t.alias(), t.version())
                            : aliases.remove(t.alias());
                    from = t.action().equals("alias") ? (previous == null ? "-" : "@" + t.alias() + "=" + previous)
                            : "@" + t.alias() + "=" + t.version();
                    to = t.action().equals("alias") ? "@" + t.alias() + "=" + t.version() : "-";
                }
                rows.add(List.of(t.at().toString(), t.user(), String.valueOf(t.version()), t.action(), from, to,
                        t.reason() == null ? "" : t.reason()));
            }
            printTable(out, rows);
        }

        /** ISO-8601: an instant, a date-time with an offset, or a local date-time or date in this zone. */
        static Instant parseTime(String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                // not an instant: try the other forms
            }
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                // no offset
            }
            try {
                return LocalDateTime.parse(text).atZone(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException e) {
                // no time of day
            }
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException e) {
                throw new ConfigException("--at " + text + ": expected an ISO-8601 time such as 2026-12-06T19:00:00Z,"
                        + " 2026-12-06T20:00:00+01:00 or 2026-12-06T19:00 (local time)");
            }
        }
    }

    /** A change to one version, with a reason for the history: {@code promote}, {@code archive}, {@code delete}. */
    abstract static class VersionChange implements Callable<Integer> {
        @Spec
        private CommandLine.Model.CommandSpec spec;
        @Mixin
        private RegistryOption registry;
        @Parameters(index = "0", paramLabel = "NAME")
        private String name;
        @Parameters(index = "1", paramLabel = "VERSION")
        private String version;
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the history.")
        private String reason;

        /** Refuses options that cannot be right, before the registry is opened. */
        void check() {}

        /** Makes the change in {@code store}. */
        abstract void apply(RegistryStore store, String name, int number, String user, String reason);

        /** What the version is afterwards, in words: {@code archived}. */
        abstract String outcome();

        @Override
        public Integer call() {
            RegistryStore.checkName(name, "model name");
            int number = RegistryStore.parseNumber(version);
            check();
            try (RegistryStore store = RegistryStore.open(registry.file(), false)) {
                apply(store, name, number, RegistryOption.user(), reason);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(name + " version " + number + " is " + outcome());
            out.flush();
            return 0;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Move a version to staging or production; the stage's previous holder is archived in the"
                    + " same transaction.")
    static final class Promote extends VersionChange {
        @Option(names = "--to", required = true, paramLabel = "STAGE", description = "staging or production.")
        private String to;

        @Override
        void check() {
            if (!to.equals(Stage.STAGING.word()) && !to.equals(Stage.PRODUCTION.word())) {
                throw new ConfigException("--to \"" + to + "\": " + (to.equals(Stage.ARCHIVED.word())
                        ? "archive NAME VERSION archives a version" : to.equals(Stage.NONE.word())
                        ? "a version cannot go back to none; archive it, or promote another"
                        : "unknown stage") + "; expected staging or production");
            }
        }

        @Override
        void apply(RegistryStore store, String name, int number, String user, String reason) {
            store.promote(name, number, Stage.parse(to, "--to"), user, reason);
        }

        @Override
        String outcome() {
            return "in " + to;
        }
    }

    @Command(name = "archive", mixinStandardHelpOptions = true, description = "Move a version to archived.")
    static final class Archive extends VersionChange {
        @Override
        void apply(RegistryStore store, String name, int number, String user, String reason) {
            store.archive(name, number, user, reason);
        }

        @Override
        String outcome() {
            return "archived";
        }
    }

    @Command(name = "alias", mixinStandardHelpOptions = true,
            description = {"alias NAME VERSION ALIAS points ALIAS at VERSION, moving it from the version that held it;"
                    + " alias NAME --delete ALIAS removes it. NAME@ALIAS then names the version."})
    static final class Alias implements Callable<Integer> {
        @Spec
        private CommandLine.Model.CommandSpec spec;
        @Mixin
        private RegistryOption registry;
        @Parameters(index = "0", paramLabel = "NAME")
        private String name;
        @Parameters(index = "1..2", arity = "0..2", paramLabel = "VERSION ALIAS")
        private List<String> versionAndAlias = new ArrayList<>();
        @Option(names = "--delete", paramLabel = "ALIAS", description = "Remove this alias.")
        private String delete;
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the history.")
        private String reason;

        @Override
        public Integer call() {
            RegistryStore.checkName(name, "model name");
            PrintWriter out = spec.commandLine().getOut();
            if (delete != null) {
                if (!versionAndAlias.isEmpty()) {
                    throw new ConfigException("alias: give either VERSION ALIAS or --delete ALIAS, not both");
                }
                try (RegistryStore store = RegistryStore.open(registry.file(), false)) {
                    store.deleteAlias(name, delete, RegistryOption.user(), reason);
                }
                out.println(name + "@" + delete + " removed");
            } else {
                if (versionAndAlias.size() != 2) {
                    throw new ConfigException("alias: expected NAME VERSION ALIAS, or NAME --delete ALIAS");
                }
                int number = RegistryStore.parseNumber(versionAndAlias.get(0));
                String alias = versionAndAlias.get(1);
                try (RegistryStore store = RegistryStore.open(registry.file(), false)) {
                    store.setAlias(name, number, alias, RegistryOption.user(), reason);
                }
                out.println(name + "@" + alias + " is version " + number);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a version softly: it stays in the history, marked deleted, leaves its stage and"
                    + " aliases, and cannot be promoted or predicted with; its number is never given again.")
    static final class Delete extends VersionChange {
        @Override
        void apply(RegistryStore store, String name, int number, String user, String reason) {
            store.delete(name, number, user, reason);
        }

        @Override
        String outcome() {
            return "deleted";
        }
    }

    /** The first row as the header, every column padded to its widest cell, two spaces apart. */
    private static void printTable(PrintWriter out, List<List<String>> rows) {
        TextTable table = new TextTable(rows.get(0), Set.of());
        rows.subList(1, rows.size()).forEach(table::add);
        table.lines("").forEach(out::println);
    }
}
