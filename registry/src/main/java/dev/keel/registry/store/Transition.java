package dev.keel.registry.store;

import java.time.Instant;

/**
 * One line of a model's history: a registration, a stage change, a deletion, or an alias set or
 * removed.
 *
 * @param seq the order in which the registry recorded it
 * @param version the version it concerns
 * @param action {@code register}, {@code promote}, {@code archive}, {@code delete}, {@code alias} or {@code unalias}
 * @param from the version's stage before; null for a registration and for alias lines
 * @param to the version's stage after; null for alias lines
 * @param alias the alias set or removed; null for stage lines
 * @param at when
 * @param user who
 * @param reason the reason given, or the one the registry wrote (a replaced holder), or null
 */
public record Transition(long seq, int version, String action, Stage from, Stage to, String alias, Instant at,
        String user, String reason) {}
