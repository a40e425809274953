package dev.keel.trainer.config;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * {@code optimizer.lr}: a fixed learning rate, or {@code auto} for the rate the learning-rate
 * finder picks before training. It is written back to YAML as configured (a number, or
 * {@code auto}), so a run's config.yaml shows what the user asked for.
 *
 * @param auto whether the finder picks the rate
 * @param fixed the configured rate; NaN when {@code auto}
 */
@JsonDeserialize(using = LearningRate.Reader.class)
public record LearningRate(boolean auto, double fixed) {
    /** What {@code optimizer.lr} accepts, for messages. */
    public static final String EXPECTED = "a number > 0, or auto";

    /** The rate the learning-rate finder picks. */
    public static final LearningRate AUTO = new LearningRate(true, Double.NaN);

    /** A fixed rate. */
    public static LearningRate of(double value) {
        return new LearningRate(false, value);
    }

    /**
     * The fixed rate.
     *
     * @throws IllegalStateException when the rate is {@code auto}: run the finder and train with its rate
     */
    public double value() {
        if (auto) {
            throw new IllegalStateException("optimizer.lr is auto: the learning-rate finder must choose it first");
        }
        return fixed;
    }

    /** The YAML value: the number, or the text {@code auto}. */
    @JsonValue
    public Object yamlValue() {
        return auto ? "auto" : fixed;
    }

    @Override
    public String toString() {
        return auto ? "auto" : String.valueOf(fixed);
    }

    /** Reads a number or {@code auto}; anything else is a type error that names both choices. */
    static final class Reader extends StdDeserializer<LearningRate> {
        private static final long serialVersionUID = 1L;

        Reader() {
            super(LearningRate.class);
        }

        @Override
        public LearningRate deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                return of(parser.getDoubleValue());
            }
            if (token == JsonToken.VALUE_STRING && parser.getText().equals("auto")) {
                return AUTO;
            }
            return context.reportInputMismatch(LearningRate.class, "expected %s", EXPECTED);
        }
    }
}
