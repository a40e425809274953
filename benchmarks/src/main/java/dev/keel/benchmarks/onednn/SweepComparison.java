package dev.keel.benchmarks.onednn;

import dev.keel.trainer.isa.ConvInputs;
import dev.keel.trainer.isa.ConvOutput;
import dev.keel.trainer.isa.ConvShape;
import dev.keel.trainer.isa.Discrepancy;
import dev.keel.trainer.isa.Float64Convolution;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the children's outputs convolution by convolution, computes each convolution's float64
 * reference once, and compares every ISA's outputs with it and with the baseline ISA's.
 */
final class SweepComparison {
    private SweepComparison() {}

    /**
     * The outcomes of every shape under every child, in the order of {@code shapes}.
     *
     * @param baseline the ISA every other is compared with; when no child ran it, no such comparison is made
     */
    static List<ShapeResult> compare(List<ConvShape> shapes, List<IsaChild> children, String baseline, long seed)
            throws IOException {
        int baselineIndex = -1;
        for (int c = 0; c < children.size(); c++) {
            if (children.get(c).isa().equals(baseline)) {
                baselineIndex = c;
            }
        }
        List<FloatFile> files = new ArrayList<>();
        try {
            for (IsaChild child : children) {
                files.add(FloatFile.open(child.outputs()));
            }
            List<ShapeResult> results = new ArrayList<>();
            for (int s = 0; s < shapes.size(); s++) {
                ConvShape shape = shapes.get(s);
                Float64Convolution reference = new Float64Convolution(shape, ConvInputs.of(shape, seed));
                List<Map<ConvOutput, Discrepancy>> vsFloat64 = new ArrayList<>();
                List<Map<ConvOutput, Discrepancy>> vsBaseline = new ArrayList<>();
                for (int c = 0; c < children.size(); c++) {
                    vsFloat64.add(new EnumMap<>(ConvOutput.class));
                    vsBaseline.add(new EnumMap<>(ConvOutput.class));
                }
                for (ConvOutput output : shape.outputs()) {
                    double[] expected = reference.compute(output);
                    List<float[]> actual = new ArrayList<>();
                    for (FloatFile file : files) {
                        actual.add(file.read(shape.length(output)));
                    }
                    for (int c = 0; c < children.size(); c++) {
                        vsFloat64.get(c).put(output, Discrepancy.between(actual.get(c), expected));
                        if (baselineIndex >= 0 && c != baselineIndex) {
                            vsBaseline.get(c).put(output, Discrepancy.between(actual.get(c), actual.get(baselineIndex)));
                        }
                    }
                }
                List<IsaOutcome> outcomes = new ArrayList<>();
                for (int c = 0; c < children.size(); c++) {
                    IsaChild child = children.get(c);
                    outcomes.add(new IsaOutcome(child.isa(), vsFloat64.get(c), vsBaseline.get(c),
                            child.summary().repeatDrift().get(s), child.log().kernelsOf(shape)));
                }
                results.add(new ShapeResult(shape, outcomes));
            }
            return results;
        } finally {
            for (FloatFile file : files) {
                file.close();
            }
        }
    }
}
