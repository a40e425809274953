package dev.keel.tune.sampler;

import dev.keel.tune.space.SearchSpace;
import dev.keel.tune.study.StudySettings;

/** The sampler a study's settings name. */
public final class Samplers {
    private Samplers() {}

    public static Sampler of(StudySettings settings, SearchSpace space) {
        return switch (settings.sampler()) {
            case "tpe" -> new TpeSampler(space.params(), settings.objective().direction(), settings.seed(),
                    new TpeSampler.Options(TpeSampler.Options.defaults().startupTrials(),
                            TpeSampler.Options.defaults().eiCandidates(), settings.multivariate()));
            case "random" -> new RandomSampler(space.params(), settings.seed());
            case "grid" -> new GridSampler(space.params(), settings.seed());
            default -> throw new IllegalArgumentException("unknown sampler " + settings.sampler());
        };
    }
}
