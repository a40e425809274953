package dev.keel.trainer.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.trainer.track.Provenance;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.WriteFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's {@code report.html}: one self-contained page (the charts inlined as data URIs, the style
 * inline, no script, nothing fetched) that opens anywhere, offline, and can be mailed as it is. It
 * shows the summary, the charts, the interpretation when {@code interpret/} holds one, the data
 * check, provenance and the resolved config.
 */
public final class RunReport {
    /** The report's name in a run directory. */
    public static final String FILE = "report.html";

    /** The style of Keel's pages, inline in each. */
    public static final String STYLE = """
            body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:0;background:#f5f6f8;color:#1d2330;\
            line-height:1.45;font-size:15px}
            main{max-width:1240px;margin:0 auto;padding:20px 24px 40px}
            h1{font-size:26px;margin:0 0 2px}
            h2{font-size:20px;margin:30px 0 10px;border-bottom:1px solid #d5d9e0;padding-bottom:4px}
            h3{font-size:16px;margin:18px 0 6px}
            .path{color:#5a6170;margin:0 0 8px}
            table{border-collapse:collapse;margin:8px 0;background:#fff}
            th,td{border:1px solid #d5d9e0;padding:4px 10px;text-align:left;vertical-align:top}
            td{font-variant-numeric:tabular-nums}
            table.pairs th{background:#eef0f4;font-weight:600;min-width:150px}
            table.confusion td{text-align:right}
            table.confusion caption{text-align:left;color:#5a6170;padding:4px 0}
            td.right{background:#dff2e3;font-weight:600}
            td.wrong{background:#fbe3e3}
            .status{display:inline-block;padding:3px 12px;border-radius:4px;font-weight:600;background:#eef0f4}
            .status.completed{background:#dff2e3;color:#1d6a2c}
            .status.failed{background:#fbe3e3;color:#9b1c1c}
            .status.interrupted,.status.stopped{background:#fff1d2;color:#7a5200}
            .plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:16px}
            figure{margin:0 0 12px;background:#fff;border:1px solid #d5d9e0;padding:8px}
            figure img{max-width:100%;height:auto;display:block}
            figcaption{font-size:14px;color:#4a5160;margin-top:6px}
            pre{background:#fff;border:1px solid #d5d9e0;padding:12px;overflow:auto;font-size:13px}
            footer{margin-top:30px;color:#5a6170;font-size:13px}
            """;

    private RunReport() {}

    /**
     * Draws the run's charts into {@code plots/} and writes {@code report.html} from what the run
     * directory holds now, atomically (a temporary file renamed). Call it again after anything
     * adds to the run (an interpretation) to bring the report up to date.
     *
     * @return the report's path
     * @throws UncheckedIOException when a file of the run cannot be read
     * @throws WriteFailedException when the report, a chart or the plots folder cannot be written
     */
    public static Path write(Path runDir) {
        RunPlots.Drawing drawing = RunPlots.draw(runDir);
        Path target = runDir.resolve(FILE);
        RunDirectory.writeAtomically(target, page(runDir, drawing).getBytes(StandardCharsets.UTF_8));
        return target;
    }

    private static String page(Path runDir, RunPlots.Drawing drawing) {
        List<String> unreadable = new ArrayList<>();
        JsonNode summary = json(runDir, "summary.json", unreadable);
        JsonNode provenance = json(runDir, "provenance.json", unreadable);
        JsonNode dataReport = json(runDir, "data_report.json", unreadable);
        JsonNode interpretation = json(runDir, InterpretationSection.FOLDER + "/interpretation.json", unreadable);
        String name = runDir.toAbsolutePath().normalize().getFileName().toString();

        Html html = new Html();
        html.open("Keel run " + name, STYLE).element("h1", null, "Keel run " + name);
        unreadable.forEach(file -> html.paragraph(file + " could not be read as JSON (cut short?); its section is "
                + "left out."));
        SummarySection.render(html, summary);
        plots(html, drawing);
        InterpretationSection.render(html, runDir, interpretation);
        DataReportSection.render(html, dataReport);
        ProvenanceSection.render(html, provenance);
        config(html, runDir.resolve("config.yaml"));
        html.element("footer", null, "Written by Keel " + Provenance.keelVersion() + " at "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " from the files of the run directory.");
        return html.close();
    }

    private static void plots(Html html, RunPlots.Drawing drawing) {
        html.heading("Training");
        if (drawing.plots().isEmpty() && drawing.failures().isEmpty()) {
            html.paragraph("Nothing to chart yet: metrics.jsonl holds no step or epoch.");
        }
        drawing.failures().forEach(html::paragraph);
        html.raw("<div class=\"plots\">\n");
        drawing.plots().forEach(plot -> html.figure(plot.png(), plot.file(),
                plot.caption() + " (" + plot.file() + ")"));
        html.raw("</div>\n");
    }

    private static void config(Html html, Path file) {
        html.heading("Config");
        if (!Files.isRegularFile(file)) {
            html.paragraph("No config.yaml.");
            return;
        }
        try {
            html.element("pre", null, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The JSON object in the file, or null when it is absent; one cut short is noted in {@code unreadable}. */
    private static JsonNode json(Path runDir, String name, List<String> unreadable) {
        Path file = runDir.resolve(name);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode json = RunDirectory.JSON.readTree(file.toFile());
            if (json.isObject()) {
                return json;
            }
        } catch (JsonProcessingException e) {
            // Noted below, like a file that holds no object.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        unreadable.add(name);
        return null;
    }
}
