package dev.keel.tune.store;

import dev.keel.trainer.config.ConfigException;
import dev.keel.tune.trial.TrialReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A study's record on SQLite ({@code study.db}): its settings, every job the driver issued (in
 * issue order) and every report that came back, and the rung decisions. The study's process is its
 * only writer; trials never touch it, wherever they run. Jobs and reports are enough to replay the
 * study's decisions exactly, which is how {@code keel tune --resume} continues it.
 */
public final class StudyStore implements AutoCloseable {
    /** The store's file inside a study folder. */
    public static final String FILE = "study.db";
    /** The schema this Keel writes; {@code PRAGMA user_version} holds the file's. */
    static final int SCHEMA = 1;
    private static final List<String> MIGRATIONS = List.of("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE trials (number INTEGER PRIMARY KEY, params TEXT NOT NULL, overrides TEXT NOT NULL,
                run_dir TEXT NOT NULL);
            CREATE TABLE jobs (seq INTEGER PRIMARY KEY, trial INTEGER NOT NULL REFERENCES trials(number),
                pause_after_epoch INTEGER NOT NULL, kind TEXT NOT NULL, issued_at TEXT NOT NULL);
            CREATE TABLE reports (seq INTEGER PRIMARY KEY REFERENCES jobs(seq), report TEXT NOT NULL,
                finished_at TEXT NOT NULL);
            CREATE TABLE decisions (trial INTEGER NOT NULL, rung INTEGER NOT NULL, value REAL,
                decision TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (trial, rung, decision));
            """);

    /** A job as the store recorded it. */
    public record JobRow(long seq, int trial, int pauseAfterEpoch, String kind) {}

    /** A rung decision: a trial paused at a rung with its value, or was promoted from it. */
    public record Decision(int trial, int rung, Double value, String decision, long seq) {}

    private final Connection connection;

    private StudyStore(Connection connection) {
        this.connection = connection;
    }

    /** Creates the store in {@code folder}, which must not hold one yet. */
    public static StudyStore create(Path folder) {
        Path file = folder.resolve(FILE);
        if (Files.exists(file)) {
            throw new ConfigException(file + ": a study store is already there");
        }
        return open(file);
    }

    /** Opens the store of the study in {@code folder}, upgrading an older schema. */
    public static StudyStore openExisting(Path folder) {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(folder + ": not a Keel study (no " + FILE + ")");
        }
        return open(file);
    }

    private static StudyStore open(Path file) {
        try {
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = 10000");
                statement.execute("PRAGMA journal_mode = WAL");
                statement.execute("PRAGMA synchronous = FULL");
            }
            StudyStore store = new StudyStore(connection);
            store.migrate(file);
            return store;
        } catch (SQLException e) {
            throw new ConfigException(file + ": cannot be opened as a study store: " + e.getMessage());
        }
    }

    private void migrate(Path file) throws SQLException {
        int version;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
            version = rs.getInt(1);
        }
        if (version > SCHEMA) {
            throw new ConfigException(file + ": written by a newer Keel (schema " + version + ", this Keel reads up to "
                    + SCHEMA + "); continue the study with that Keel");
        }
        for (int v = version; v < SCHEMA; v++) {
            boolean auto = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : MIGRATIONS.get(v).split(";")) {
                    if (!sql.isBlank()) {
                        statement.execute(sql);
                    }
                }
                statement.execute("PRAGMA user_version = " + (v + 1));
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(auto);
            }
        }
    }

    /** Records a study setting. */
    public void putMeta(String key, String value) {
        update("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
    }

    /** A study setting, if recorded. */
    public Optional<String> meta(String key) {
        return query("SELECT value FROM meta WHERE key = ?", rs -> rs.next() ? Optional.of(rs.getString(1))
                : Optional.<String>empty(), key);
    }

    /** Records a new trial: its values (internal form), its overrides and its run directory. */
    public void addTrial(int number, String paramsJson, String overridesJson, String runDir) {
        update("INSERT INTO trials (number, params, overrides, run_dir) VALUES (?, ?, ?, ?)", number, paramsJson,
                overridesJson, runDir);
    }

    /** Records an issued job. */
    public void addJob(JobRow job) {
        update("INSERT INTO jobs (seq, trial, pause_after_epoch, kind, issued_at) VALUES (?, ?, ?, ?, ?)", job.seq(),
                job.trial(), job.pauseAfterEpoch(), job.kind(), Instant.now().toString());
    }

    /** Records the report of a job that ended. */
    public void addReport(TrialReport report) {
        update("INSERT INTO reports (seq, report, finished_at) VALUES (?, ?, ?)", report.seq(), report.toJson(),
                Instant.now().toString());
    }

    /** Records a rung decision (once: a replayed study makes the same ones). */
    public void addDecision(Decision decision) {
        update("INSERT OR IGNORE INTO decisions (trial, rung, value, decision, seq) VALUES (?, ?, ?, ?, ?)",
                decision.trial(), decision.rung(), decision.value(), decision.decision(), decision.seq());
    }

    /** Every issued job, by sequence number. */
    public Map<Long, JobRow> jobs() {
        return query("SELECT seq, trial, pause_after_epoch, kind FROM jobs ORDER BY seq", rs -> {
            Map<Long, JobRow> jobs = new LinkedHashMap<>();
            while (rs.next()) {
                jobs.put(rs.getLong(1), new JobRow(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getString(4)));
            }
            return jobs;
        });
    }

    /** Every recorded report, by job sequence number. */
    public Map<Long, TrialReport> reports() {
        return query("SELECT seq, report FROM reports ORDER BY seq", rs -> {
            Map<Long, TrialReport> reports = new LinkedHashMap<>();
            while (rs.next()) {
                reports.put(rs.getLong(1), TrialReport.fromJson(rs.getString(2)));
            }
            return reports;
        });
    }

    /** Every rung decision, in the order made. */
    public List<Decision> decisions() {
        return query("SELECT trial, rung, value, decision, seq FROM decisions ORDER BY seq, trial, rung, decision", rs -> {
            List<Decision> decisions = new java.util.ArrayList<>();
            while (rs.next()) {
                double value = rs.getDouble(3);
                decisions.add(new Decision(rs.getInt(1), rs.getInt(2), rs.wasNull() ? null : value, rs.getString(4),
                        rs.getLong(5)));
            }
            return decisions;
        });
    }

    @FunctionalInterface
    private interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T query(String sql, Rows<T> rows, Object... args) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rs = statement.executeQuery()) {
                return rows.read(rs);
            }
        } catch (SQLException e) {
            throw new StoreException("reading the study store failed: " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("writing the study store failed: " + e.getMessage(), e);
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
            // Every write was committed as it was made; nothing is lost by a failed close.
        }
    }

    /** The store could not be read or written (a full disk, a broken file). */
    public static final class StoreException extends RuntimeException {
        StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
