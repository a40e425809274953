package dev.keel.trainer.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.trainer.engine.IsaChoice;
import java.util.ArrayList;
import java.util.List;

/**
 * What the results depend on, from provenance.json: versions, machine, device, commit, seed, data,
 * command, oneDNN's instruction-set cap.
 */
final class ProvenanceSection {
    private ProvenanceSection() {}

    /** @param provenance provenance.json, or null when the run has none */
    static void render(Html html, JsonNode provenance) {
        html.heading("Provenance");
        if (provenance == null) {
            html.paragraph("No provenance.json.");
            return;
        }
        JsonNode dataset = provenance.path("dataset");
        List<List<String>> rows = new ArrayList<>(List.of(
                List.of("Keel", Format.text(provenance.path("keel_version"))),
                List.of("DJL", Format.text(provenance.path("djl_version"))),
                List.of("engine", Format.text(provenance.path("engine")) + " "
                        + Format.text(provenance.path("engine_version"))),
                List.of("Java", Format.text(provenance.path("java_version")) + " ("
                        + Format.text(provenance.path("java_vendor")) + ")"),
                List.of("OS", Format.text(provenance.path("os"))),
                List.of("CPU", Format.text(provenance.path("cpu")) + ", " + Format.count(provenance.path("cores"))
                        + " cores"),
                List.of("device", Format.text(provenance.path("device"))),
                List.of("git commit", Format.text(provenance.path("git_commit"))),
                List.of("seed", Format.text(provenance.path("seed"))),
                List.of("data", Format.text(dataset.path("name")) + " (" + Format.text(dataset.path("origin"))
                        + ") " + Format.text(dataset.path("location"))),
                List.of("command", "keel " + String.join(" ", commandLine(provenance.path("command_line")))),
                List.of("started", Format.text(provenance.path("started")))));
        if (provenance.has(IsaChoice.PROVENANCE_VALUE)) {
            rows.add(List.of("oneDNN ISA cap", Format.text(provenance.path(IsaChoice.PROVENANCE_VALUE)) + " ("
                    + Format.text(provenance.path(IsaChoice.PROVENANCE_REASON)) + ")"));
        }
        if (provenance.has("lr")) {
            rows.add(List.of("learning rate", Format.text(provenance.path("lr")) + " ("
                    + Format.text(provenance.path("lr_source")) + ")"));
        }
        if (!provenance.path("resumes").isEmpty()) {
            int resumes = provenance.path("resumes").size();
            rows.add(List.of("resumed", resumes + (resumes == 1 ? " time" : " times")));
        }
        html.pairs(rows);
    }

    private static List<String> commandLine(JsonNode arguments) {
        List<String> words = new ArrayList<>();
        arguments.forEach(argument -> words.add(argument.asText()));
        return words;
    }
}
