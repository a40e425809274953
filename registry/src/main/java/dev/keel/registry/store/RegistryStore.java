package dev.keel.registry.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.trainer.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;

/**
 * Keel's model registry on one SQLite file: models, their numbered versions (each a finished run),
 * the stage each version is in, aliases, and every transition. Several processes may use one file
 * at once: every change is one {@code BEGIN IMMEDIATE} transaction (a writer waits up to
 * {@link #BUSY_TIMEOUT_MS} for another), so two promotions to one stage are serialized and each
 * sees the holder the other left.
 *
 * <p>{@code PRAGMA user_version} holds the schema of the file; an older one is migrated on open,
 * each step in a transaction of its own, and a newer one is refused. {@code PRAGMA application_id}
 * marks the file as a Keel registry, so another SQLite file (a study store) is never migrated.
 */
public final class RegistryStore implements AutoCloseable {
    /** The registry file's name when none is given: beside {@code runs/}, in the working directory. */
    public static final String DEFAULT_FILE = "registry.db";
    /** The schema this Keel writes and reads up to. */
    public static final int SCHEMA = 2;
    /** How long a change waits for another process's change to the same file. */
    public static final int BUSY_TIMEOUT_MS = 10_000;
    /** {@code PRAGMA application_id} of a Keel registry: "KREG". */
    static final int APPLICATION_ID = 0x4B524547;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Schema N+1 is what MIGRATIONS.get(N) makes of schema N. */
    private static final List<String> MIGRATIONS = List.of("""
            CREATE TABLE models (name TEXT PRIMARY KEY, created_at TEXT NOT NULL, next_version INTEGER NOT NULL);
            CREATE TABLE versions (model TEXT NOT NULL REFERENCES models(name), version INTEGER NOT NULL,
                run_dir TEXT NOT NULL, description TEXT, registered_at TEXT NOT NULL, registered_by TEXT NOT NULL,
                stage TEXT NOT NULL, deleted_at TEXT, record TEXT NOT NULL, PRIMARY KEY (model, version));
            CREATE UNIQUE INDEX one_holder_per_stage ON versions (model, stage) WHERE stage IN ('staging', 'production');
            CREATE TABLE transitions (seq INTEGER PRIMARY KEY AUTOINCREMENT, model TEXT NOT NULL,
                version INTEGER NOT NULL, action TEXT NOT NULL, from_stage TEXT, to_stage TEXT, at TEXT NOT NULL,
                user TEXT NOT NULL, reason TEXT);
            PRAGMA application_id = %d
            """.formatted(APPLICATION_ID), """
            CREATE TABLE tags (model TEXT NOT NULL, version INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                PRIMARY KEY (model, version, key));
            CREATE TABLE aliases (model TEXT NOT NULL, alias TEXT NOT NULL, version INTEGER NOT NULL,
                PRIMARY KEY (model, alias));
            ALTER TABLE transitions ADD COLUMN alias TEXT
            """);

    private final Path file;
    private final Connection connection;

    private RegistryStore(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens the registry in {@code file}, creating it when {@code create} and it is not there, and
     * migrating an older schema.
     *
     * @throws ConfigException when the file is missing (and not to be created), is not a Keel
     *     registry, is damaged, or was written by a newer Keel; nothing is written to it then
     */
    public static RegistryStore open(Path file, boolean create) {
        if (!Files.exists(file)) {
            if (!create) {
                throw new ConfigException(file + ": no registry there (./keel registry register creates one; --registry"
                        + " or KEEL_REGISTRY names another file)");
            }
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new ConfigException(file + ": cannot create the registry: folder " + parent + " does not exist");
            }
        } else if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": not a registry file (a folder or a device)");
        } else if (!Files.isReadable(file)) {
            throw new ConfigException(file + ": cannot be read (permission denied)");
        }
        Connection connection;
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(BUSY_TIMEOUT_MS);
            connection = config.createConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw unreadable(file, e);
        }
        RegistryStore store = new RegistryStore(file, connection);
        try {
            store.checkAndMigrate();
            return store;
        } catch (SQLException e) {
            store.close();
            throw unreadable(file, e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The file this store reads and writes. */
    public Path file() {
        return file;
    }

    private static ConfigException unreadable(Path file, SQLException e) {
        return new ConfigException(file + ": cannot be read as a Keel registry, the file is damaged or not SQLite ("
                + firstLine(e.getMessage()) + ")");
    }

    private static String firstLine(String text) {
        return text == null ? "no detail" : text.lines().findFirst().orElse(text);
    }

    /**
     * Reads the file's header and checks its pages before anything is written: a file that is not
     * SQLite, not a registry, damaged or newer is refused as it is.
     */
    private void checkAndMigrate() throws SQLException {
        int version = pragma("user_version");
        int application = pragma("application_id");
        if (version == 0 && application == 0 && count("SELECT count(*) FROM sqlite_master") > 0) {
            throw new ConfigException(file + ": an SQLite file that is not a Keel registry (it holds other tables)");
        }
        if (version > 0 && application != APPLICATION_ID) {
            throw new ConfigException(file + ": an SQLite file that is not a Keel registry (application_id "
                    + application + ")");
        }
        if (version > SCHEMA) {
            throw newer(version);
        }
        String check = query("PRAGMA quick_check", rs -> rs.next() ? rs.getString(1) : "no answer");
        if (!"ok".equals(check)) {
            throw new ConfigException(file + ": the registry file is damaged (SQLite's check: " + firstLine(check)
                    + ")");
        }
        while (version < SCHEMA) {
            int from = version;
            version = transaction(() -> {
                // Another process may have migrated since the header was read: read it again, locked.
                int now = pragma("user_version");
                if (now > SCHEMA) {
                    throw newer(now);
                }
                if (now == from) {
                    try (Statement statement = connection.createStatement()) {
                        for (String sql : MIGRATIONS.get(from).split(";")) {
                            if (!sql.isBlank()) {
                                statement.execute(sql);
                            }
                        }
                        statement.execute("PRAGMA user_version = " + (from + 1));
                    }
                    return from + 1;
                }
                return now;
            });
        }
    }

    private ConfigException newer(int version) {
        return new ConfigException(file + ": written by a newer Keel (schema " + version + ", this Keel reads up to "
                + SCHEMA + "); use that Keel's registry");
    }

    private int pragma(String name) throws SQLException {
        return query("PRAGMA " + name, rs -> rs.getInt(1));
    }

    private int count(String sql) throws SQLException {
        return query(sql, rs -> rs.getInt(1));
    }

    // ---- changes ----

    /**
     * Registers a new version of {@code name} (created when new): the next number of the model's
     * counter, which deleted versions keep, so a number is never given twice.
     *
     * @param runDir the run directory, absolute
     * @param record what registration read from the run: hashes, config, data fingerprint, metrics, versions, git
     * @return the new version's number
     */
    public int register(String name, String runDir, ObjectNode record, String description, Map<String, String> tags,
            String user) {
        checkName(name, "model name");
        tags.keySet().forEach(key -> checkName(key, "tag key"));
        String recordText = recordText(record);
        return transaction(() -> insertVersion(name, runDir, recordText, description, tags, user));
    }

    /**
     * Registers a new version of {@code name}, as {@link #register} does, and promotes it to
     * {@code stage}, as {@link #promote} does, in one transaction: another process sees both or
     * neither, and the history records the registration, the archiving of the stage's previous
     * holder and the promotion with {@code reason}.
     *
     * @param replacing the version that must hold {@code stage} for the change to happen (the one the
     *     new version was judged against), or null to replace whichever holds it
     * @return the new version's number
     * @throws ConfigException when {@code replacing} is given and does not hold the stage; nothing is written then
     */
    public int registerAndPromote(String name, String runDir, ObjectNode record, String description,
            Map<String, String> tags, Stage stage, Integer replacing, String user, String reason) {
        checkName(name, "model name");
        tags.keySet().forEach(key -> checkName(key, "tag key"));
        requireSingle(stage);
        String recordText = recordText(record);
        return transaction(() -> {
            int version = insertVersion(name, runDir, recordText, description, tags, user);
            moveTo(name, version, stage, replacing, user, reason);
            return version;
        });
    }

    private static String recordText(ObjectNode record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree is always JSON", e);
        }
    }

    /** The registration's rows, inside the caller's transaction. */
    private int insertVersion(String name, String runDir, String recordText, String description,
            Map<String, String> tags, String user) throws SQLException {
        String now = Instant.now().toString();
        Integer next = query("SELECT next_version FROM models WHERE name = ?",
                rs -> rs.next() ? rs.getInt(1) : null, name);
        int version = next == null ? 1 : next;
        if (next == null) {
            update("INSERT INTO models (name, created_at, next_version) VALUES (?, ?, ?)", name, now, 2);
        } else {
            update("UPDATE models SET next_version = ? WHERE name = ?", version + 1, name);
        }
        update("INSERT INTO versions (model, version, run_dir, description, registered_at, registered_by, stage,"
                + " record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", name, version, runDir, description, now, user,
                Stage.NONE.word(), recordText);
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            update("INSERT INTO tags (model, version, key, value) VALUES (?, ?, ?, ?)", name, version,
                    tag.getKey(), tag.getValue());
        }
        record(name, version, "register", null, Stage.NONE, null, now, user, null);
        return version;
    }

    /**
     * Moves {@code version} to {@code stage} (staging or production). The stage's previous holder
     * is archived in the same transaction, and both changes are recorded; promoting the holder again
     * is recorded too, changing nothing.
     */
    public void promote(String name, int version, Stage stage, String user, String reason) {
        promote(name, version, stage, null, user, reason);
    }

    /**
     * As {@link #promote(String, int, Stage, String, String)}, only while {@code replacing} holds
     * {@code stage}: the check and the change are one transaction, so a version promoted by another
     * process meanwhile is never replaced by one that was judged against its predecessor.
     *
     * @param replacing the version that must hold the stage, or null for whichever holds it
     * @throws ConfigException when {@code replacing} is given and does not hold the stage; nothing is written then
     */
    public void promote(String name, int version, Stage stage, Integer replacing, String user, String reason) {
        requireSingle(stage);
        transaction(() -> {
            moveTo(name, version, stage, replacing, user, reason);
            return null;
        });
    }

    private static void requireSingle(Stage stage) {
        if (!stage.single()) {
            throw new ConfigException("--to " + stage.word() + ": expected staging or production (archive NAME VERSION"
                    + " archives a version)");
        }
    }

    /** The promotion's rows, inside the caller's transaction: the previous holder archived, then the move. */
    private void moveTo(String name, int version, Stage stage, Integer replacing, String user, String reason)
            throws SQLException {
        RegisteredVersion target = live(name, version, "promote");
        if (replacing != null) {
            Integer current = query("SELECT version FROM versions WHERE model = ? AND stage = ?",
                    rs -> rs.next() ? rs.getInt(1) : null, name, stage.word());
            if (!replacing.equals(current)) {
                throw new ConfigException(name + " version " + replacing + " does not hold " + stage.word() + " ("
                        + (current == null ? "no version does" : "version " + current + " does") + "): the version"
                        + " to promote was judged against version " + replacing + ", not the one it would replace;"
                        + " nothing was changed");
            }
        }
        String now = Instant.now().toString();
        Integer holder = query("SELECT version FROM versions WHERE model = ? AND stage = ? AND version != ?",
                rs -> rs.next() ? rs.getInt(1) : null, name, stage.word(), version);
        if (holder != null) {
            update("UPDATE versions SET stage = ? WHERE model = ? AND version = ?", Stage.ARCHIVED.word(), name,
                    holder);
            record(name, holder, "archive", stage, Stage.ARCHIVED, null, now, user,
                    "replaced in " + stage.word() + " by version " + version);
        }
        update("UPDATE versions SET stage = ? WHERE model = ? AND version = ?", stage.word(), name, version);
        record(name, version, "promote", target.stage(), stage, null, now, user, reason);
    }

    /** Moves {@code version} to archived: it leaves staging or production, which then have no holder. */
    public void archive(String name, int version, String user, String reason) {
        transaction(() -> {
            RegisteredVersion target = live(name, version, "archive");
            update("UPDATE versions SET stage = ? WHERE model = ? AND version = ?", Stage.ARCHIVED.word(), name,
                    version);
            record(name, version, "archive", target.stage(), Stage.ARCHIVED, null, Instant.now().toString(), user,
                    reason);
            return null;
        });
    }

    /**
     * Deletes {@code version} softly: it stays in the history and in {@code show}, marked deleted;
     * it leaves its stage and its aliases (each recorded), and can no longer be promoted, aliased
     * or predicted with. Its number is never given again.
     */
    public void delete(String name, int version, String user, String reason) {
        transaction(() -> {
            RegisteredVersion target = live(name, version, "delete");
            String now = Instant.now().toString();
            for (String alias : target.aliases()) {
                update("DELETE FROM aliases WHERE model = ? AND alias = ?", name, alias);
                record(name, version, "unalias", null, null, alias, now, user, "version " + version + " deleted");
            }
            update("UPDATE versions SET stage = ?, deleted_at = ? WHERE model = ? AND version = ?", Stage.NONE.word(),
                    now, name, version);
            record(name, version, "delete", target.stage(), Stage.NONE, null, now, user, reason);
            return null;
        });
    }

    /** Points {@code alias} at {@code version}, moving it from the version that held it. */
    public void setAlias(String name, int version, String alias, String user, String reason) {
        checkAlias(alias);
        transaction(() -> {
            live(name, version, "alias");
            update("INSERT OR REPLACE INTO aliases (model, alias, version) VALUES (?, ?, ?)", name, alias, version);
            record(name, version, "alias", null, null, alias, Instant.now().toString(), user, reason);
            return null;
        });
    }

    /** Removes {@code alias} from the model. */
    public void deleteAlias(String name, String alias, String user, String reason) {
        transaction(() -> {
            requireModel(name);
            Integer version = query("SELECT version FROM aliases WHERE model = ? AND alias = ?",
                    rs -> rs.next() ? rs.getInt(1) : null, name, alias);
            if (version == null) {
                throw new ConfigException(name + " has no alias \"" + alias + "\"" + aliasList(name));
            }
            update("DELETE FROM aliases WHERE model = ? AND alias = ?", name, alias);
            record(name, version, "unalias", null, null, alias, Instant.now().toString(), user, reason);
            return null;
        });
    }

    private void record(String name, int version, String action, Stage from, Stage to, String alias, String at,
            String user, String reason) throws SQLException {
        update("INSERT INTO transitions (model, version, action, from_stage, to_stage, alias, at, user, reason)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", name, version, action, from == null ? null : from.word(),
                to == null ? null : to.word(), alias, at, user, reason);
    }

    /** The version, which must exist and not be deleted for {@code action}. */
    private RegisteredVersion live(String name, int version, String action) throws SQLException {
        RegisteredVersion found = versionOrThrow(name, version);
        if (found.deleted()) {
            throw new ConfigException(name + " version " + version + " was deleted (" + found.deletedAt()
                    + "): it cannot be used for " + action);
        }
        return found;
    }

    // ---- reading ----

    /** The names of every registered model, sorted. */
    public List<String> models() {
        return read(() -> query("SELECT name FROM models ORDER BY name", rs -> {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }));
    }

    /** Every version of {@code name}, deleted ones included, by number. */
    public List<RegisteredVersion> versions(String name) {
        return read(() -> {
            requireModel(name);
            List<Integer> numbers = query("SELECT version FROM versions WHERE model = ? ORDER BY version", rs -> {
                List<Integer> list = new ArrayList<>();
                while (rs.next()) {
                    list.add(rs.getInt(1));
                }
                return list;
            }, name);
            List<RegisteredVersion> versions = new ArrayList<>();
            for (int number : numbers) {
                versions.add(versionOrThrow(name, number));
            }
            return versions;
        });
    }

    /**
     * The version {@code selector} names: a number ({@code 3}), a stage with one holder
     * ({@code production}, {@code staging}) or an alias ({@code champion}). A deleted version is
     * returned as such; the caller decides whether it may be used.
     */
    public RegisteredVersion resolve(String name, String selector) {
        return read(() -> {
            requireModel(name);
            if (selector.matches("[0-9]+")) {
                return versionOrThrow(name, parseNumber(selector));
            }
            for (Stage stage : Stage.values()) {
                if (stage.word().equals(selector)) {
                    if (!stage.single()) {
                        throw new ConfigException(name + "@" + selector + ": any number of versions can be "
                                + selector + "; name one by its number (" + name + "@3)");
                    }
                    Integer holder = query("SELECT version FROM versions WHERE model = ? AND stage = ?",
                            rs -> rs.next() ? rs.getInt(1) : null, name, stage.word());
                    if (holder == null) {
                        throw new ConfigException(name + "@" + selector + ": no version of " + name + " is in "
                                + selector);
                    }
                    return versionOrThrow(name, holder);
                }
            }
            Integer aliased = query("SELECT version FROM aliases WHERE model = ? AND alias = ?",
                    rs -> rs.next() ? rs.getInt(1) : null, name, selector);
            if (aliased == null) {
                throw new ConfigException(name + "@" + selector + ": not a version number, a stage (staging,"
                        + " production) or an alias of " + name + aliasList(name));
            }
            return versionOrThrow(name, aliased);
        });
    }

    /** Every transition of {@code name}, in the order recorded. */
    public List<Transition> history(String name) {
        return read(() -> {
            requireModel(name);
            return query("SELECT seq, version, action, from_stage, to_stage, alias, at, user, reason FROM transitions"
                    + " WHERE model = ? ORDER BY seq", rs -> {
                        List<Transition> list = new ArrayList<>();
                        while (rs.next()) {
                            String from = rs.getString(4);
                            String to = rs.getString(5);
                            list.add(new Transition(rs.getLong(1), rs.getInt(2), rs.getString(3),
                                    from == null ? null : Stage.parse(from, "stored stage"),
                                    to == null ? null : Stage.parse(to, "stored stage"), rs.getString(6),
                                    Instant.parse(rs.getString(7)), rs.getString(8), rs.getString(9)));
                        }
                        return list;
                    }, name);
        });
    }

    /**
     * Who held each stage and alias of a model at one moment.
     *
     * @param stages the holders of staging and production (a list, so that a replay could show two)
     * @param aliases each alias's version
     * @param registered the versions registered by then, deleted ones included
     */
    public record Holders(Map<Stage, List<Integer>> stages, Map<String, Integer> aliases, List<Integer> registered) {}

    /** The stages' and aliases' holders at {@code at}, replayed from the history. */
    public Holders holdersAt(String name, Instant at) {
        return replay(history(name), at);
    }

    /** Replays {@code history} up to and including {@code at}. */
    public static Holders replay(List<Transition> history, Instant at) {
        Map<Integer, Stage> stageOf = new TreeMap<>();
        Map<String, Integer> aliases = new TreeMap<>();
        for (Transition t : history) {
            if (t.at().isAfter(at)) {
                break;
            }
            if (t.alias() == null) {
                stageOf.put(t.version(), t.to());
            } else if (t.action().equals("alias")) {
                aliases.put(t.alias(), t.version());
            } else {
                aliases.remove(t.alias());
            }
        }
        Map<Stage, List<Integer>> stages = new EnumMap<>(Stage.class);
        for (Stage stage : List.of(Stage.STAGING, Stage.PRODUCTION)) {
            stages.put(stage, stageOf.entrySet().stream().filter(e -> e.getValue() == stage).map(Map.Entry::getKey)
                    .toList());
        }
        return new Holders(stages, aliases, List.copyOf(stageOf.keySet()));
    }

    private void requireModel(String name) throws SQLException {
        boolean known = query("SELECT 1 FROM models WHERE name = ?", ResultSet::next, name);
        if (!known) {
            List<String> names = query("SELECT name FROM models ORDER BY name", rs -> {
                List<String> list = new ArrayList<>();
                while (rs.next()) {
                    list.add(rs.getString(1));
                }
                return list;
            });
            throw new ConfigException("no model named \"" + name + "\" in " + file + (names.isEmpty()
                    ? " (it has none yet)" : " (models: " + String.join(", ", names.subList(0, Math.min(10,
                            names.size()))) + (names.size() > 10 ? ", ..." : "") + ")"));
        }
    }

    private RegisteredVersion versionOrThrow(String name, int version) throws SQLException {
        requireModel(name);
        Optional<RegisteredVersion> found = query("SELECT run_dir, description, registered_at, registered_by, stage,"
                + " deleted_at, record FROM versions WHERE model = ? AND version = ?", rs -> {
                    if (!rs.next()) {
                        return Optional.<RegisteredVersion>empty();
                    }
                    String deleted = rs.getString(6);
                    ObjectNode record;
                    try {
                        record = (ObjectNode) JSON.readTree(rs.getString(7));
                    } catch (JsonProcessingException | ClassCastException e) {
                        throw new ConfigException(file + ": version " + version + " of " + name
                                + " has a damaged record");
                    }
                    return Optional.of(new RegisteredVersion(name, version, rs.getString(1), rs.getString(2),
                            Instant.parse(rs.getString(3)), rs.getString(4), Stage.parse(rs.getString(5),
                                    "stored stage"), deleted == null ? null : Instant.parse(deleted), Map.of(),
                            List.of(), record));
                }, name, version);
        if (found.isEmpty()) {
            int next = query("SELECT next_version FROM models WHERE name = ?", rs -> rs.getInt(1), name);
            throw new ConfigException(name + " has no version " + version + " (versions 1 to " + (next - 1)
                    + " were registered)");
        }
        RegisteredVersion v = found.get();
        Map<String, String> tags = query("SELECT key, value FROM tags WHERE model = ? AND version = ? ORDER BY key",
                rs -> {
                    Map<String, String> map = new LinkedHashMap<>();
                    while (rs.next()) {
                        map.put(rs.getString(1), rs.getString(2));
                    }
                    return map;
                }, name, version);
        List<String> aliases = query("SELECT alias FROM aliases WHERE model = ? AND version = ? ORDER BY alias", rs -> {
            List<String> list = new ArrayList<>();
            while (rs.next()) {
                list.add(rs.getString(1));
            }
            return list;
        }, name, version);
        return new RegisteredVersion(v.model(), v.version(), v.runDir(), v.description(), v.registeredAt(),
                v.registeredBy(), v.stage(), v.deletedAt(), tags, aliases, v.record());
    }

    private String aliasList(String name) throws SQLException {
        TreeSet<String> aliases = query("SELECT alias FROM aliases WHERE model = ?", rs -> {
            TreeSet<String> set = new TreeSet<>();
            while (rs.next()) {
                set.add(rs.getString(1));
            }
            return set;
        }, name);
        return aliases.isEmpty() ? " (it has no aliases)" : " (aliases: " + String.join(", ", aliases) + ")";
    }

    // ---- checks of what users type ----

    /**
     * Checks a model name, tag key or alias: letters, digits, {@code .}, {@code _} and {@code -},
     * starting with a letter or digit.
     */
    public static void checkName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches() || name.length() > 200) {
            throw new ConfigException(what + " \"" + name + "\": expected letters, digits, '.', '_' and '-', starting"
                    + " with a letter or digit");
        }
    }

    private static void checkAlias(String alias) {
        checkName(alias, "alias");
        if (alias.matches("[0-9]+")) {
            throw new ConfigException("alias \"" + alias + "\": a number would read as a version; choose a word");
        }
        for (Stage stage : Stage.values()) {
            if (stage.word().equals(alias)) {
                throw new ConfigException("alias \"" + alias + "\": a stage's name; choose another word");
            }
        }
    }

    /**
     * A version number as typed.
     *
     * @throws ConfigException when it is not a positive integer
     */
    public static int parseNumber(String text) {
        if (text.matches("[0-9]{1,9}") && Integer.parseInt(text) >= 1) {
            return Integer.parseInt(text);
        }
        throw new ConfigException("version \"" + text + "\": expected a version number, 1 or more");
    }

    // ---- SQL ----

    @FunctionalInterface
    private interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    /** {@code work} in one {@code BEGIN IMMEDIATE} transaction: committed whole, or rolled back whole. */
    private <T> T transaction(Work<T> work) {
        return inTransaction("BEGIN IMMEDIATE", work);
    }

    /** {@code work}'s reads in one transaction, so that they see one state of the file. */
    private <T> T read(Work<T> work) {
        return inTransaction("BEGIN", work);
    }

    private <T> T inTransaction(String begin, Work<T> work) {
        boolean committed = false;
        try {
            execute(begin);
            T result = work.run();
            execute("COMMIT");
            committed = true;
            return result;
        } catch (SQLException e) {
            throw new ConfigException(file + ": " + firstLine(e.getMessage()));
        } finally {
            if (!committed) {
                try {
                    execute("ROLLBACK");
                } catch (SQLException e) {
                    // No transaction was open (BEGIN failed): nothing to roll back.
                }
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private <T> T query(String sql, Rows<T> rows, Object... args) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rs = statement.executeQuery()) {
                return rows.read(rs);
            }
        }
    }

    private void update(String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Every change was committed in its own transaction; a failed close loses nothing.
        }
    }
}
