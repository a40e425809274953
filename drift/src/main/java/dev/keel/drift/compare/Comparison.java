package dev.keel.drift.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.interpret.Interpretation;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * A champion and a challenger on the same labelled items: each one's scores, McNemar's test of
 * their per-item correctness, and the verdict at level {@code alpha}.
 *
 * @param data the data as the user named it
 * @param dataFingerprint its SHA-256 (CSV) or Keel's image fingerprint (image folder), or null
 * @param alpha the test's level
 * @param test McNemar's test; {@code b} counts items only the champion gets right, {@code c} only the challenger
 */
public record Comparison(String data, String dataFingerprint, double alpha, ScoredModel champion,
        ScoredModel challenger, McNemar test, Verdict verdict) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Pairs the two models' results item by item.
     *
     * @throws ConfigException when the two read different items (a different label column, say)
     */
    public static Comparison of(String data, ScoredModel champion, ScoredModel challenger, double alpha) {
        if (!champion.truth().equals(challenger.truth())) {
            throw new ConfigException("--data " + data + ": the two models read different items from it ("
                    + champion.items() + " and " + challenger.items() + " items, or other true classes: are their"
                    + " label columns the same?)");
        }
        int b = 0;
        int c = 0;
        for (int i = 0; i < champion.items(); i++) {
            if (champion.correct()[i] && !challenger.correct()[i]) {
                b++;
            } else if (!champion.correct()[i] && challenger.correct()[i]) {
                c++;
            }
        }
        McNemar test = McNemar.of(b, c);
        return new Comparison(data, champion.dataFingerprint(), alpha, champion, challenger, test,
                Verdict.of(champion.accuracy(), challenger.accuracy(), test, alpha));
    }

    /**
     * Refuses two models whose classes are not the same names (in any order: items are matched by
     * class name).
     */
    public static void requireSameClasses(List<String> champion, List<String> challenger, String championText,
            String challengerText) {
        if (!new HashSet<>(champion).equals(new HashSet<>(challenger)) || champion.size() != challenger.size()) {
            throw new ConfigException("classes differ: champion " + championText + " has " + champion
                    + ", challenger " + challengerText + " has " + challenger + "; compare needs the same classes");
        }
    }

    /** The number of items compared. */
    public int items() {
        return champion.items();
    }

    /**
     * The comparison in one line, as the registry's history records it as a promotion's reason:
     * the verdict, both accuracies, b and c, the p-value, and the data with its size and fingerprint.
     */
    public String summary() {
        return String.format(Locale.ROOT, "keel compare: challenger %s: accuracy %.4f vs champion %.4f (%s), b=%d"
                        + " c=%d, McNemar exact p=%.3g %s alpha %s, on %s (%d items%s)", verdict.words(),
                challenger.accuracy(), champion.accuracy(), champion.reference().text(), test.b(), test.c(),
                test.exactP(), test.exactP() < alpha ? "<" : ">=", alpha, data, items(),
                dataFingerprint == null ? "" : ", " + (dataFingerprint.length() == 64 ? "sha256 " : "fingerprint ")
                        + dataFingerprint);
    }

    /** The whole comparison as JSON: what {@code --out} writes. */
    public ObjectNode toJson() {
        ObjectNode json = JSON.createObjectNode();
        ObjectNode dataNode = json.putObject("data");
        dataNode.put("path", data);
        dataNode.put("items", items());
        dataNode.put("fingerprint", dataFingerprint);
        json.set("champion", modelJson(champion));
        json.set("challenger", modelJson(challenger));
        ObjectNode mcnemar = json.putObject("mcnemar");
        mcnemar.put("b", test.b());
        mcnemar.put("c", test.c());
        mcnemar.put("exact_p", test.exactP());
        mcnemar.put("chi_squared_corrected", test.chiSquared());
        mcnemar.put("chi_squared_p", test.chiSquaredP());
        json.put("alpha", alpha);
        json.put("verdict", verdict.words());
        json.put("summary", summary());
        return json;
    }

    private static ObjectNode modelJson(ScoredModel model) {
        ObjectNode json = JSON.createObjectNode();
        json.put("reference", model.reference().text());
        json.put("run_dir", model.reference().runDir().toAbsolutePath().toString());
        if (model.reference().registryVersion() != null) {
            json.put("registered_name", model.reference().registryVersion().path("name").asText());
            json.put("registered_version", model.reference().registryVersion().path("version").asInt());
        }
        json.put("accuracy", model.accuracy());
        json.put("loss", model.meanLoss());
        json.put("correct", count(model.correct()));
        ArrayNode classes = json.putArray("per_class");
        for (Interpretation.ClassMetrics m : model.perClass()) {
            ObjectNode row = classes.addObject();
            row.put("class", m.name());
            row.put("precision", m.precision());
            row.put("recall", m.recall());
            row.put("f1", m.f1());
            row.put("support", m.support());
        }
        return json;
    }

    private static int count(boolean[] values) {
        int n = 0;
        for (boolean v : values) {
            n += v ? 1 : 0;
        }
        return n;
    }
}
