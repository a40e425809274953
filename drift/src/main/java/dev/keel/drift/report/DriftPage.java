package dev.keel.drift.report;

import dev.keel.trainer.report.Html;
import dev.keel.trainer.report.RunReport;
import java.util.List;

/** drift.html: one self-contained page (charts inlined as data URIs) of a {@link DriftReport}. */
public final class DriftPage {
    private DriftPage() {}

    /** The page of {@code report}: what was compared, then each section. */
    public static String render(DriftReport report) {
        String title = "Keel drift: " + report.reference().name();
        Html html = new Html().open(title, RunReport.STYLE).element("h1", null, title);
        html.paragraph(report.drifted() ? "Drift found (exit code " + report.exitCode() + ")."
                : "No drift found (exit code " + report.exitCode() + ").");
        DriftReport.Reference reference = report.reference();
        html.pairs(List.of(
                List.of("reference", reference.text() + " (" + reference.runDir() + ")"),
                List.of("reference data", reference.dataset().path("location").asText() + ", " + reference.split()
                        + " split, SHA-256 " + reference.dataset().path("sha256").asText()),
                List.of("new data", report.newData().path() + ", SHA-256 " + report.newData().sha256()),
                List.of("settings", report.configSource()),
                List.of("seed", String.valueOf(report.seed())),
                List.of("checked", report.created() + " by Keel " + report.keelVersion())));
        report.sections().values().forEach(section -> section.render(html));
        return html.close();
    }
}
