package dev.keel.drift.image;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.keel.drift.report.DriftSection;
import dev.keel.trainer.report.Html;
import java.util.Locale;

/** The images section of a drift report: drift.json holds the result itself, drift.html its fragment. */
public record ImagesSection(@JsonValue ImageDriftResult result) implements DriftSection {

    @Override
    public String key() {
        return "images";
    }

    /** The MMD test's verdict on the embeddings; the brightness test and the domain classifier are second opinions. */
    @Override
    public boolean drifted() {
        return result.drift();
    }

    @Override
    public String summary() {
        MmdResult mmd = result.mmd();
        return String.format(Locale.ROOT, "images: %s (MMD p %.3g %s %s on %d + %d embeddings; domain classifier AUC"
                        + " %.3f; brightness KS p %.3g) · reference %,d images, new %,d", result.drift()
                        ? "embeddings drifted" : "no embedding drift", mmd.pValue(), result.drift() ? "<" : ">=",
                mmd.alpha(), mmd.referenceItems(), mmd.newItems(), result.domainClassifier().auc(),
                result.brightness().pValue(), result.referenceItems(), result.newItems());
    }

    @Override
    public void render(Html html) {
        html.raw(ImageDriftSection.html(result));
    }
}
