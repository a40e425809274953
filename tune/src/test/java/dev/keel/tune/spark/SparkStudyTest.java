package dev.keel.tune.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.tune.TinyStudy;
import dev.keel.tune.store.StudyStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole study through {@code keel tune --spark}: on a real standalone cluster (a master and a
 * worker in their own processes) it gives the trials table and rung decisions that the same study
 * gives in {@code local[2]}; the sampler, the pruner and the store stay in the study's process.
 */
class SparkStudyTest {
    @TempDir
    Path temp;

    @Test
    void aStudyOnAStandaloneClusterEqualsTheSameStudyInLocalMode() throws Exception {
        Path config = TinyStudy.write(temp.resolve("data"), 3, TinyStudy.space(4));
        Path space = temp.resolve("data/space.yaml");
        Path local = temp.resolve("local");
        TinyStudy.Result inLocal = TinyStudy.tune(config.toString(), "--space", space.toString(), "--study-dir",
                local.toString(), "--spark", "local[2]");
        assertEquals(0, inLocal.exit(), inLocal.err() + inLocal.out());
        assertTrue(inLocal.out().contains("2 trials at a time") || inLocal.out().contains("local[2]"), inLocal.out());

        Path cluster = temp.resolve("cluster");
        try (StandaloneCluster spark = StandaloneCluster.start(temp.resolve("spark"))) {
            spark.startWorker(2, "2g");
            spark.awaitAliveWorkers(1, Duration.ofSeconds(60));
            TinyStudy.Result onCluster = TinyStudy.tune(config.toString(), "--space", space.toString(), "--study-dir",
                    cluster.toString(), "--spark", spark.url(), "--parallel", "2");
            assertEquals(0, onCluster.exit(), onCluster.err() + onCluster.out());
        }
        assertEquals(TinyStudy.trialsTable(local), TinyStudy.trialsTable(cluster));
        try (StudyStore expected = StudyStore.openExisting(local); StudyStore actual = StudyStore.openExisting(cluster)) {
            assertEquals(expected.decisions(), actual.decisions());
            assertEquals(expected.jobs(), actual.jobs());
        }
    }
}
