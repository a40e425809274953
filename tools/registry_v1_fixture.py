#!/usr/bin/env python3
"""Writes registry/src/test/resources/fixtures/registry-schema1.db: a Keel registry file of schema 1
(models, versions, transitions; no tags or aliases), with the tables exactly as Keel's first registry
created them, for the test that opens it with the current Keel, migrates it and reads it back.

fraud: v1 registered and promoted to production; v2 registered, staged, then promoted (v1 archived);
v3 registered and deleted (so the next number is 4). churn: v1 registered, in staging.
"""
import json
import os
import sqlite3
import sys

SCHEMA_1 = """
CREATE TABLE models (name TEXT PRIMARY KEY, created_at TEXT NOT NULL, next_version INTEGER NOT NULL);
CREATE TABLE versions (model TEXT NOT NULL REFERENCES models(name), version INTEGER NOT NULL,
    run_dir TEXT NOT NULL, description TEXT, registered_at TEXT NOT NULL, registered_by TEXT NOT NULL,
    stage TEXT NOT NULL, deleted_at TEXT, record TEXT NOT NULL, PRIMARY KEY (model, version));
CREATE UNIQUE INDEX one_holder_per_stage ON versions (model, stage) WHERE stage IN ('staging', 'production');
CREATE TABLE transitions (seq INTEGER PRIMARY KEY AUTOINCREMENT, model TEXT NOT NULL,
    version INTEGER NOT NULL, action TEXT NOT NULL, from_stage TEXT, to_stage TEXT, at TEXT NOT NULL,
    user TEXT NOT NULL, reason TEXT);
PRAGMA application_id = 1263682887;
PRAGMA user_version = 1;
"""


def record(accuracy, seed):
    return json.dumps({
        "status": "completed",
        "hashes": {"model/keel-model.json": "%064x" % seed, "model/manifest.json": "%064x" % (seed + 1),
                   "model/model-0002.params": "%064x" % (seed + 2), "provenance.json": "%064x" % (seed + 3)},
        "config": "name: table\nseed: %d\n" % seed,
        "dataset": {"name": "table.csv", "sha256": "%064x" % 99},
        "metrics": {"test": {"accuracy": accuracy, "loss": 0.4}, "valid": {"accuracy": accuracy, "loss": 0.41}},
        "versions": {"keel": "0.1.0-SNAPSHOT", "djl": "0.36.0", "engine": "PyTorch", "engine_version": "2.7.1",
                     "java": "17.0.12"},
        "git": {"commit": "2751d37", "dirty": False},
    }, separators=(",", ":"))


def main(out):
    if os.path.exists(out):
        os.remove(out)
    db = sqlite3.connect(out, isolation_level=None)
    db.executescript(SCHEMA_1)
    db.execute("BEGIN")
    db.execute("INSERT INTO models VALUES ('fraud', '2026-11-02T09:00:00Z', 4)")
    db.execute("INSERT INTO models VALUES ('churn', '2026-11-03T09:00:00Z', 2)")
    versions = [
        ("fraud", 1, "/srv/keel/runs/20261102-090000-table", "first", "2026-11-02T09:00:00Z", "ana", "archived",
         None, record(0.81, 1)),
        ("fraud", 2, "/srv/keel/runs/20261104-100000-table", None, "2026-11-04T10:00:00Z", "ben", "production",
         None, record(0.86, 2)),
        ("fraud", 3, "/srv/keel/runs/20261105-110000-table", "bad data", "2026-11-05T11:00:00Z", "ana", "none",
         "2026-11-05T12:00:00Z", record(0.52, 3)),
        ("churn", 1, "/srv/keel/runs/20261103-090000-churn", None, "2026-11-03T09:00:00Z", "ana", "staging",
         None, record(0.77, 4)),
    ]
    db.executemany("INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", versions)
    transitions = [
        ("fraud", 1, "register", None, "none", "2026-11-02T09:00:00Z", "ana", None),
        ("fraud", 1, "promote", "none", "production", "2026-11-02T10:00:00Z", "ana", "first model"),
        ("churn", 1, "register", None, "none", "2026-11-03T09:00:00Z", "ana", None),
        ("churn", 1, "promote", "none", "staging", "2026-11-03T09:30:00Z", "ana", None),
        ("fraud", 2, "register", None, "none", "2026-11-04T10:00:00Z", "ben", None),
        ("fraud", 2, "promote", "none", "staging", "2026-11-04T11:00:00Z", "ben", "candidate"),
        ("fraud", 1, "archive", "production", "archived", "2026-11-04T15:00:00Z", "ben",
         "replaced in production by version 2"),
        ("fraud", 2, "promote", "staging", "production", "2026-11-04T15:00:00Z", "ben", "better recall"),
        ("fraud", 3, "register", None, "none", "2026-11-05T11:00:00Z", "ana", None),
        ("fraud", 3, "delete", "none", "none", "2026-11-05T12:00:00Z", "ana", "trained on the wrong month"),
    ]
    db.executemany("INSERT INTO transitions (model, version, action, from_stage, to_stage, at, user, reason)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", transitions)
    db.execute("COMMIT")
    db.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "registry/src/test/resources/fixtures/registry-schema1.db")
