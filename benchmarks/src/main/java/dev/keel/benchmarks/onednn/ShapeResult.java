package dev.keel.benchmarks.onednn;

import dev.keel.trainer.isa.ConvShape;
import java.util.List;

/** One convolution's outcomes, one per ISA, in the order the ISAs ran. */
record ShapeResult(ConvShape shape, List<IsaOutcome> outcomes) {}
