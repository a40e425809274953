package dev.keel.registry;

import dev.keel.registry.cli.RegistryCli;
import java.nio.file.Path;

/**
 * A process of the concurrency test: promotes one version to production once per round, each round
 * at a shared schedule of instants so that two such processes promote at the same moment, through
 * the registry's command line as a user's {@code ./keel registry promote} would.
 *
 * <p>Arguments: registry file, model, version, rounds, first instant (epoch ms), round interval (ms).
 * Exits 0 when every promotion exited 0, else 1 after printing the failures.
 */
public final class PromoteRounds {
    private PromoteRounds() {}

    public static void main(String[] args) throws InterruptedException {
        Path db = Path.of(args[0]);
        int rounds = Integer.parseInt(args[3]);
        long start = Long.parseLong(args[4]);
        long interval = Long.parseLong(args[5]);
        int failures = 0;
        for (int round = 0; round < rounds; round++) {
            long wait = start + round * interval - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            int exit = RegistryCli.commandLine(db).execute("registry", "promote", args[1], args[2], "--to",
                    "production", "--reason", "round " + round, "--registry", db.toString());
            if (exit != 0) {
                System.out.println("round " + round + ": exit " + exit);
                failures++;
            }
        }
        System.out.println(failures + " of " + rounds + " promotions failed");
        System.exit(failures == 0 ? 0 : 1);
    }
}
