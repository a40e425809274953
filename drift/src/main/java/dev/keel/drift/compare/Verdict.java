package dev.keel.drift.compare;

/** What the comparison says of the challenger. */
public enum Verdict {
    /** Higher accuracy, and McNemar's exact p below alpha. */
    BETTER("better"),
    /** Lower accuracy, and McNemar's exact p below alpha. */
    WORSE("not better (worse)"),
    /** McNemar's exact p at or above alpha, whichever accuracy is higher. */
    NO_DIFFERENCE("no significant difference");

    private final String words;

    Verdict(String words) {
        this.words = words;
    }

    /**
     * How the verdict is printed and written: {@code better}, {@code not better (worse)} or
     * {@code no significant difference}.
     */
    public String words() {
        return words;
    }

    /** The verdict for these accuracies and this test at level {@code alpha}. */
    public static Verdict of(double championAccuracy, double challengerAccuracy, McNemar test, double alpha) {
        if (test.exactP() >= alpha || challengerAccuracy == championAccuracy) {
            return NO_DIFFERENCE;
        }
        return challengerAccuracy > championAccuracy ? BETTER : WORSE;
    }
}
