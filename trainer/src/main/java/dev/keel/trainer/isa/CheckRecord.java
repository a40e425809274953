package dev.keel.trainer.isa;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cached verdict of the per-CPU check: the file {@link CpuCheck} writes, one per {@link
 * MachineKey}.
 *
 * @param key the machine it holds for
 * @param shapes every shape checked on it, in the order they were first checked
 * @param seconds how long the last check took, child JVM included
 * @param checkedAt when the last check ran (ISO-8601, UTC)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckRecord(@JsonProperty("key") MachineKey key, @JsonProperty("shapes") List<CheckedShape> shapes,
        @JsonProperty("seconds") double seconds, @JsonProperty("checked_at") String checkedAt) {

    /** The checked shapes by label. */
    Map<String, CheckedShape> byLabel() {
        Map<String, CheckedShape> byLabel = new LinkedHashMap<>();
        shapes.forEach(shape -> byLabel.put(shape.shape(), shape));
        return byLabel;
    }
}
