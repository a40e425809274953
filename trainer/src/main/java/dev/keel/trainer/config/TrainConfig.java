package dev.keel.trainer.config;

/**
 * The length of the run and how often it reports.
 *
 * @param epochs passes over the training split
 * @param logEverySteps steps between lines in metrics.jsonl (and log lines when not on a terminal)
 */
public record TrainConfig(int epochs, int logEverySteps) {}
