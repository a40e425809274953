package dev.keel.trainer.lrfind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.trainer.track.CsvWriter;
import dev.keel.trainer.track.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * What a learning-rate sweep recorded and suggests; written to a run directory as
 * {@code lr_find.csv} (one row per step), {@code lr_find.json} (the suggestions and how the sweep
 * ended) and {@code lr_find.png} (see {@link LrFindPlot}); {@link #read} gives a recorded sweep back.
 *
 * @param settings the sweep as asked for
 * @param lrs the rate of each step taken
 * @param losses the training loss of each step
 * @param smoothedLosses the debiased moving average of the losses after each step (beta 0.98)
 * @param stop why the sweep ended
 * @param suggestions the rates fastai would suggest from this sweep
 * @param seconds wall time of the sweep, restoring the weights included
 */
public record LrFinderResult(LrFinder.Settings settings, double[] lrs, double[] losses, double[] smoothedLosses,
        Stop stop, LrSuggestions suggestions, double seconds) {
    /** The CSV file's name in a run directory. */
    public static final String CSV = "lr_find.csv";
    /** The JSON file's name in a run directory. */
    public static final String JSON = "lr_find.json";
    /** The plot's name in a run directory. */
    public static final String PNG = "lr_find.png";

    /** Why a sweep ended. */
    public enum Stop {
        /** Every step of the sweep ran. */
        COMPLETE("complete", "swept every step"),
        /** The smoothed loss passed four times its best. */
        DIVERGED("diverged", "smoothed loss passed 4x its best"),
        /** The loss became NaN or infinite. */
        NOT_FINITE("not_finite", "loss became NaN or infinite"),
        /** The training loop ended first (a loop given too few epochs for the sweep). */
        LOOP_ENDED("loop_ended", "the training loop ended first");

        private final String label;
        private final String reason;

        Stop(String label, String reason) {
            this.label = label;
            this.reason = reason;
        }

        /** The name written to lr_find.json. */
        public String label() {
            return label;
        }

        /** A few words for people. */
        public String reason() {
            return reason;
        }

        /** The stop with this label. */
        public static Stop of(String label) {
            return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("stop \"" + label + "\" is not a known one"));
        }
    }

    /** Steps the sweep took. */
    public int steps() {
        return lrs.length;
    }

    /**
     * The rate Keel picks: the suggestion the settings name (valley unless the config's {@code
     * lr_find.suggestion} says otherwise), rounded to three significant digits, so
     * that the printed value given back as {@code --set optimizer.lr=...} trains exactly like
     * {@code lr: auto} did.
     *
     * @throws IllegalStateException when the sweep had too few finite losses to suggest anything
     */
    public double suggestion() {
        if (!suggestions.any()) {
            throw new IllegalStateException("the learning-rate finder could not suggest a rate: after " + steps()
                    + " steps fewer than two smoothed losses were finite (" + stop.reason() + ")");
        }
        return new BigDecimal(settings.suggestion().pick(suggestions)).round(new MathContext(3)).doubleValue();
    }

    /** {@code step,lr,loss,smoothed_loss}, one row per step; {@code step} counts from 1. */
    public String toCsv() {
        List<Integer> steps = IntStream.range(0, steps()).boxed().toList();
        return CsvWriter.text(List.of("step", "lr", "loss", "smoothed_loss"), steps, i -> List.of(String.valueOf(i + 1),
                String.valueOf(lrs[i]), String.valueOf(losses[i]), String.valueOf(smoothedLosses[i])));
    }

    /** The contents of lr_find.json: the sweep, how it ended, and the suggestions (null where there are none). */
    public ObjectNode toJson() {
        ObjectNode json = RunDirectory.JSON.createObjectNode();
        json.put("start", settings.start());
        json.put("end", settings.end());
        json.put("steps_requested", settings.steps());
        json.put("steps", steps());
        json.put("stop", stop.label());
        json.put("stop_reason", stop.reason());
        json.put("seconds", seconds);
        ObjectNode all = json.putObject("suggestions");
        putNumber(all, "bottom_div_10", suggestions.bottomDiv10());
        putNumber(all, "valley", suggestions.valley());
        putNumber(all, "steep", suggestions.steep());
        putNumber(all, "minimum_div_10", suggestions.minimumDiv10());
        if (suggestions.any()) {
            // What bottom/10 was read from: the rates whose loss is near the lowest, and that loss.
            json.putObject("bottom").put("from_lr", lrs[suggestions.bottomFrom()])
                    .put("to_lr", lrs[suggestions.bottomTo()]).put("share_of_drop", LrSuggestions.BOTTOM_SHARE)
                    .put("lowest_smoothed_loss", smoothedLosses[suggestions.minimumIndex()]);
        }
        json.put("suggested_by", settings.suggestion().label());
        putNumber(json, "suggestion", suggestions.any() ? suggestion() : Double.NaN);
        return json;
    }

    /** Lines for the console: how the sweep ended and what it suggests. */
    public List<String> describe() {
        String ended = String.format(Locale.ROOT, "lr-find: %d of %d steps in %.1fs, lr %.3g to %.3g; stopped: %s",
                steps(), settings.steps(), seconds, lrs.length == 0 ? settings.start() : lrs[0],
                lrs.length == 0 ? settings.start() : lrs[lrs.length - 1], stop.reason());
        if (!suggestions.any()) {
            return List.of(ended, "suggestions: none (too few finite losses)");
        }
        StringBuilder line = new StringBuilder("suggestions:");
        for (LrSuggestion suggestion : LrSuggestion.values()) {
            line.append(suggestion.ordinal() == 0 ? " " : " · ").append(suggestion.title())
                    .append(String.format(Locale.ROOT, " %.3g", suggestion.pick(suggestions)))
                    .append(suggestion == settings.suggestion() ? " (chosen)" : "");
        }
        return List.of(ended, line.toString());
    }

    /**
     * The suggestion recorded in a run directory's lr_find.json, for a resumed run whose config
     * says {@code lr: auto}.
     *
     * @throws IllegalStateException when the file is missing or holds no suggestion
     */
    public static double readSuggestion(Path runDir) {
        Path file = runDir.resolve(JSON);
        JsonNode json;
        try {
            json = RunDirectory.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        JsonNode suggestion = json.get("suggestion");
        if (suggestion == null || !suggestion.isNumber()) {
            throw new IllegalStateException(file + " holds no suggestion");
        }
        return suggestion.asDouble();
    }

    /**
     * The sweep a run directory's lr_find.csv and lr_find.json recorded, to draw it again. The
     * suggestions are computed anew from the recorded curve: the same pure function of the same
     * numbers (the CSV holds every double exactly).
     *
     * @throws UncheckedIOException when a file cannot be read
     * @throws IllegalArgumentException when a file does not hold what Keel writes there
     */
    public static LrFinderResult read(Path runDir) {
        Path csv = runDir.resolve(CSV);
        Path jsonFile = runDir.resolve(JSON);
        try {
            JsonNode json = RunDirectory.JSON.readTree(jsonFile.toFile());
            LrFinder.Settings settings = new LrFinder.Settings(json.path("start").asDouble(),
                    json.path("end").asDouble(), json.path("steps_requested").asInt(),
                    LrSuggestion.of(json.path("suggested_by").asText()));
            List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
            int steps = rows.size() - 1;
            double[] lrs = new double[steps];
            double[] losses = new double[steps];
            double[] smoothed = new double[steps];
            for (int i = 0; i < steps; i++) {
                String[] fields = rows.get(i + 1).split(",");
                lrs[i] = Double.parseDouble(fields[1]);
                losses[i] = Double.parseDouble(fields[2]);
                smoothed[i] = Double.parseDouble(fields[3]);
            }
            return new LrFinderResult(settings, lrs, losses, smoothed, Stop.of(json.path("stop").asText()),
                    LrSuggestions.of(lrs, smoothed, settings.steps()), json.path("seconds").asDouble());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + " and " + jsonFile, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(csv + " and " + jsonFile + " do not hold a sweep: " + e.getMessage(),
                    e);
        }
    }

    private static void putNumber(ObjectNode json, String key, double value) {
        if (Double.isFinite(value)) {
            json.put(key, value);
        } else {
            json.putNull(key);
        }
    }
}
