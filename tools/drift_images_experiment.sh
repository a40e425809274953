#!/usr/bin/env bash
# Image and prediction drift measured on Fashion-MNIST (docs/drift.md has the numbers): a
# short training of a quickstart-like cnn (reused when WORK already holds it), its test images as
# they are, darkened and replaced by scikit-learn's 8x8 digits, each against the training split,
# and the MMD test's false alarms on two halves of the test images over 20 seeds.
#
#   tools/drift_images_experiment.sh [WORK] [FASHION_MNIST_DIR] [DIGITS_CSV_GZ]
#
# Writes WORK/experiment.json (every number) and WORK/drift-sections.html (the report sections).
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/keel-drift-images}"
fashion="${2:-/usr/share/datasets/fashion-mnist}"
digits="${3:-/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz}"
source tools/keel_env.sh
classpath=drift/target/test-classpath.txt
mvn -o -q -B test-compile dependency:build-classpath -pl drift -am -Dmdep.includeScope=test \
    -Dmdep.outputFile="$PWD/$classpath"
java $keel_memory_opts -Xmx2g -cp "drift/target/test-classes:drift/target/classes:$(cat "$classpath")" \
    dev.keel.drift.ImageDriftExperiment "$work" "$fashion" "$digits"
