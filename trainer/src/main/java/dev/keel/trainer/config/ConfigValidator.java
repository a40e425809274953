package dev.keel.trainer.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Range and choice checks on a bound {@link RunConfig}; the first violation is reported. */
final class ConfigValidator {
    private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu:\\d+");
    private static final List<String> MONITORS = List.of("valid_loss", "valid_accuracy");
    private static final List<Integer> RESNET_DEPTHS = List.of(20, 32, 44, 56, 110);

    /** A violated check: the key path, the value found and what is allowed. */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final String found;
        private final String expected;

        Invalid(String key, Object found, String expected) {
            super(key, null, false, false);
            this.key = key;
            this.found = found instanceof String s ? "\"" + s + "\"" : String.valueOf(found);
            this.expected = expected;
        }

        String key() {
            return key;
        }

        String found() {
            return found;
        }

        String expected() {
            return expected;
        }
    }

    private ConfigValidator() {}

    static void validate(RunConfig c) {
        require(c.name() != null && c.name().matches("[A-Za-z0-9._-]+"), "name", c.name(),
                "a name of letters, digits, '.', '_' or '-'");
        require(c.device() != null && DEVICE.matcher(c.device()).matches(), "device", c.device(),
                "auto, cpu, gpu or gpu:N");
        validate(c.data());
        validate(c.model());
        boolean table = c.data().format().equals("csv");
        require(!table || List.of("mlp", "tabular-mlp").contains(c.model().arch()), "model.arch", c.model().arch(),
                "tabular-mlp or mlp for a table (data.format is csv)");
        require(table || !c.model().arch().equals("tabular-mlp"), "model.arch", c.model().arch(),
                "mlp, cnn or resnet for images (tabular-mlp takes data.format: csv)");
        validate(c.optimizer());
        validate(c.schedule());
        FinetuneConfig f = c.finetune();
        if (f != null) {
            validate(f);
            // A linear probe: the head alone for the whole run.
            require(c.train().epochs() >= (f.freezeEpochs() > 0 ? 0 : 1), "train.epochs", c.train().epochs(),
                    f.freezeEpochs() > 0 ? "an integer >= 0 (the epochs after finetune.freeze_epochs)"
                            : "an integer >= 1");
        } else {
            require(c.train().epochs() >= 1, "train.epochs", c.train().epochs(), "an integer >= 1");
        }
        require(c.train().logEverySteps() >= 1, "train.log_every_steps", c.train().logEverySteps(),
                "an integer >= 1");
        int sync = c.train().syncEverySteps();
        require(sync >= 1, "train.sync_every_steps", sync, "an integer >= 1");
        oneOf("train.precision", c.train().precision(), List.of(TrainConfig.FP32, TrainConfig.FP16));
        double scale = c.train().lossScale();
        require(scale >= 1 && scale <= 1e30, "train.loss_scale", scale, "a number in [1, 1e30]");
        validate(c.checkpoint());
        // A checkpoint is written where the loop has read the losses back, so that its weights
        // are those of its step.
        require(c.checkpoint().everySteps() % sync == 0, "checkpoint.every_steps", c.checkpoint().everySteps(),
                "a multiple of train.sync_every_steps (" + sync + ")");
        validate(c.guard());
        validate(c.earlyStopping());
        validate(c.lrFind());
        require(c.interpret().topLosses() >= 0 && c.interpret().topLosses() <= 1000, "interpret.top_losses",
                c.interpret().topLosses(), "an integer in [0, 1000]");
        require(c.interpret().reviewBelow() >= 0 && c.interpret().reviewBelow() <= 1, "interpret.review_below",
                c.interpret().reviewBelow(), "a confidence in [0, 1]");
    }

    private static void validate(DataConfig d) {
        oneOf("data.format", d.format(), List.of("idx", "image-folder", "csv"));
        require(d.dataset() != null || d.path() != null, "data.dataset", null,
                "a dataset name, or data.path to a folder");
        require(!d.format().equals("image-folder") || d.path() != null, "data.path", null,
                "the folder that holds train/<class>/ (data.format is image-folder)");
        require(!d.format().equals("csv") || d.path() != null, "data.path", null,
                "the CSV file (data.format is csv)");
        require(!d.format().equals("csv") || d.labelColumn() != null, "data.label_column", null,
                "the name of the column that holds the class (data.format is csv)");
        require(d.delimiter() != null && d.delimiter().length() == 1, "data.delimiter", d.delimiter(),
                "one character, such as \",\" or \";\"");
        require(d.columns() != null, "data.columns", null, "a section of column: type");
        for (Map.Entry<String, String> column : d.columns().entrySet()) {
            oneOf("data.columns." + column.getKey(), column.getValue(), List.of("numeric", "categorical", "ignore"));
        }
        oneOf("data.bad_items", d.badItems(), List.of("fail", "skip"));
        require(d.testFraction() >= 0 && d.testFraction() < 1, "data.test_fraction", d.testFraction(),
                "a number in [0, 1)");
        require(d.imageSize() >= 4 && d.imageSize() <= 1024, "data.image_size", d.imageSize(),
                "an integer in [4, 1024]");
        require(d.channels() == 1 || d.channels() == 3, "data.channels", d.channels(), "1 or 3");
        AugmentConfig a = d.augment();
        require(a != null, "data.augment", null, "a section of augmentation settings");
        require(a.flip() >= 0 && a.flip() <= 1, "data.augment.flip", a.flip(), "a probability in [0, 1]");
        require(a.cropScale() > 0 && a.cropScale() <= 1, "data.augment.crop_scale", a.cropScale(),
                "a number in (0, 1] (1 turns cropping off)");
        require(a.rotate() >= 0 && a.rotate() <= 45, "data.augment.rotate", a.rotate(),
                "degrees in [0, 45] (0 turns rotation off)");
        require(a.brightness() >= 0 && a.brightness() < 1, "data.augment.brightness", a.brightness(),
                "a number in [0, 1)");
        require(a.contrast() >= 0 && a.contrast() < 1, "data.augment.contrast", a.contrast(), "a number in [0, 1)");
        require(d.batchSize() >= 1, "data.batch_size", d.batchSize(), "an integer >= 1");
        require(d.evalBatchSize() >= 1, "data.eval_batch_size", d.evalBatchSize(), "an integer >= 1");
        require(d.validFraction() >= 0 && d.validFraction() < 1, "data.valid_fraction", d.validFraction(),
                "a number in [0, 1)");
        JsonNode n = d.normalize();
        boolean named = n != null && n.isTextual() && List.of("auto", "none").contains(n.asText());
        boolean pair = n != null && n.isArray() && n.size() == 2 && n.get(0).isNumber() && n.get(1).isNumber()
                && n.get(1).asDouble() > 0;
        require(named || pair, "data.normalize", n, "auto, none, or [mean, std] with std > 0");
        require(d.validFraction() + d.testFraction() < 1, "data.test_fraction", d.testFraction(),
                "a number below 1 - data.valid_fraction (" + d.validFraction() + ")");
    }

    private static void validate(ModelConfig m) {
        oneOf("model.arch", m.arch(), List.of("mlp", "cnn", "resnet", "tabular-mlp"));
        require(m.hidden() != null, "model.hidden", null, "a list of layer sizes such as [128]");
        for (int i = 0; i < m.hidden().size(); i++) {
            Integer h = m.hidden().get(i);
            require(h != null && h >= 1, "model.hidden[" + i + "]", h, "an integer >= 1");
        }
        require(m.channels() != null && !m.channels().isEmpty(), "model.channels", m.channels(),
                "a non-empty list of channel counts such as [32, 64]");
        for (int i = 0; i < m.channels().size(); i++) {
            Integer ch = m.channels().get(i);
            require(ch != null && ch >= 1, "model.channels[" + i + "]", ch, "an integer >= 1");
        }
        require(m.dropout() >= 0 && m.dropout() < 1, "model.dropout", m.dropout(), "a number in [0, 1)");
        require(RESNET_DEPTHS.contains(m.layers()), "model.layers", m.layers(), "one of " + RESNET_DEPTHS);
        require(m.pretrained() == null || !m.pretrained().isBlank(), "model.pretrained", m.pretrained(),
                "a path (a Keel run directory or checkpoint, a DJL model folder, or a TorchScript .pt file) or null");
        require(m.cut() == null || m.cut() >= 1, "model.cut", m.cut(),
                "null (cut before the last linear layer) or the number of top-level layers to keep, >= 1");
    }

    private static void validate(FinetuneConfig f) {
        require(f.freezeEpochs() >= 0, "finetune.freeze_epochs", f.freezeEpochs(), "an integer >= 0");
        require(f.lrMult() >= 1 && Double.isFinite(f.lrMult()), "finetune.lr_mult", f.lrMult(), "a number >= 1");
        require(f.pctStart() > 0 && f.pctStart() < 1, "finetune.pct_start", f.pctStart(), "a number in (0, 1)");
        require(f.div() >= 1, "finetune.div", f.div(), "a number >= 1");
        require(f.groups() != null, "finetune.groups", null, "a list of parameter-name prefixes, or [] for body and head");
        for (int i = 0; i < f.groups().size(); i++) {
            String prefix = f.groups().get(i);
            require(prefix != null && !prefix.isBlank(), "finetune.groups[" + i + "]", prefix,
                    "a parameter-name prefix such as body.01Conv2d");
            require(f.groups().indexOf(prefix) == i, "finetune.groups[" + i + "]", prefix, "each prefix once");
        }
        require(f.groups().size() != 1, "finetune.groups", f.groups(),
                "at least two prefixes (the last one the head's), or [] for body and head");
    }

    private static void validate(OptimizerConfig o) {
        oneOf("optimizer.name", o.name(), List.of("sgd", "adam", "adamw"));
        require(o.lr() != null, "optimizer.lr", null, LearningRate.EXPECTED);
        require(o.lr().auto() || (o.lr().fixed() > 0 && Double.isFinite(o.lr().fixed())), "optimizer.lr",
                o.lr().fixed(), "a number > 0");
        require(o.weightDecay() >= 0, "optimizer.weight_decay", o.weightDecay(), "a number >= 0");
        require(o.momentum() >= 0 && o.momentum() < 1, "optimizer.momentum", o.momentum(), "a number in [0, 1)");
        require(!o.nesterov() || o.momentum() > 0, "optimizer.nesterov", o.nesterov(),
                "false unless optimizer.momentum > 0");
        require(o.beta1() >= 0 && o.beta1() < 1, "optimizer.beta1", o.beta1(), "a number in [0, 1)");
        require(o.beta2() >= 0 && o.beta2() < 1, "optimizer.beta2", o.beta2(), "a number in [0, 1)");
        require(o.eps() > 0, "optimizer.eps", o.eps(), "a number > 0");
    }

    private static void validate(ScheduleConfig s) {
        oneOf("schedule.name", s.name(), List.of("one-cycle", "cosine", "step", "constant"));
        require(s.pctStart() > 0 && s.pctStart() < 1, "schedule.pct_start", s.pctStart(), "a number in (0, 1)");
        require(s.div() >= 1, "schedule.div", s.div(), "a number >= 1");
        require(s.divFinal() >= 1, "schedule.div_final", s.divFinal(), "a number >= 1");
        require(s.momentumMax() >= 0 && s.momentumMax() < 1, "schedule.momentum_max", s.momentumMax(),
                "a number in [0, 1)");
        require(s.momentumMin() >= 0 && s.momentumMin() <= s.momentumMax(), "schedule.momentum_min",
                s.momentumMin(), "a number in [0, schedule.momentum_max]");
        require(s.warmupFraction() >= 0 && s.warmupFraction() < 1, "schedule.warmup_fraction",
                s.warmupFraction(), "a number in [0, 1)");
        require(s.stepEpochs() >= 1, "schedule.step_epochs", s.stepEpochs(), "an integer >= 1");
        require(s.gamma() > 0 && s.gamma() <= 1, "schedule.gamma", s.gamma(), "a number in (0, 1]");
    }

    private static void validate(CheckpointConfig k) {
        require(k.everySteps() >= 1, "checkpoint.every_steps", k.everySteps(), "an integer >= 1");
        require(k.keepLast() >= 1, "checkpoint.keep_last", k.keepLast(), "an integer >= 1");
        require(k.keepBest() >= 0, "checkpoint.keep_best", k.keepBest(), "an integer >= 0");
        oneOf("checkpoint.monitor", k.monitor(), MONITORS);
    }

    private static void validate(GuardConfig g) {
        require(g.clipGradNorm() >= 0 && Double.isFinite(g.clipGradNorm()), "guard.clip_grad_norm",
                g.clipGradNorm(), "a number >= 0 (0 turns clipping off)");
        require(g.lossFactor() == 0 || g.lossFactor() > 1, "guard.loss_factor", g.lossFactor(),
                "0 (off) or a number > 1");
        require(g.lrCut() > 0 && g.lrCut() < 1, "guard.lr_cut", g.lrCut(), "a number in (0, 1)");
        require(g.maxRollbacks() >= 0, "guard.max_rollbacks", g.maxRollbacks(), "an integer >= 0");
    }

    private static void validate(EarlyStoppingConfig e) {
        require(e.patience() >= 0, "early_stopping.patience", e.patience(), "an integer >= 0 (0 turns it off)");
        oneOf("early_stopping.monitor", e.monitor(), MONITORS);
        require(e.minDelta() >= 0, "early_stopping.min_delta", e.minDelta(), "a number >= 0");
    }

    private static void validate(LrFindConfig f) {
        require(f.startLr() > 0 && Double.isFinite(f.startLr()), "lr_find.start_lr", f.startLr(), "a number > 0");
        require(f.endLr() > f.startLr() && Double.isFinite(f.endLr()), "lr_find.end_lr", f.endLr(),
                "a number > lr_find.start_lr (" + f.startLr() + ")");
        require(f.steps() >= 2, "lr_find.steps", f.steps(), "an integer >= 2");
        oneOf("lr_find.suggestion", f.suggestion(), LrFindConfig.SUGGESTIONS);
    }

    private static void oneOf(String key, String value, List<String> allowed) {
        require(value != null && allowed.contains(value), key, value, "one of " + String.join(", ", allowed));
    }

    private static void require(boolean ok, String key, Object found, String expected) {
        if (!ok) {
            throw new Invalid(key, found, expected);
        }
    }
}
