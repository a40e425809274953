#!/usr/bin/env python3
"""Rewrites the CSV tables of Debian's python3-sklearn as CSV files with a header, for Keel's csv format.

sklearn keeps iris, wine and breast cancer as CSV files whose first row is
"n_samples,n_features,class names..." and whose last column is a class index. This script writes
each with a header row of feature names and a label column holding the class name:

    tools/sklearn_csv.py [OUT] [--source /usr/lib/python3/dist-packages/sklearn/datasets]

OUT defaults to data/tables in the repository. Feature names are sklearn's, in snake case, read
from the package's descr/*.rst files; where those cannot be read the names are f1..fN.
Only the Python standard library is used.
"""
import argparse
import csv
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "data/tables"
DEFAULT_SOURCE = Path("/usr/lib/python3/dist-packages/sklearn/datasets")

# (file in data/, file in descr/, label column, feature names when descr is not needed)
TABLES = [
    ("iris.csv", None, "species", ["sepal_length", "sepal_width", "petal_length", "petal_width"]),
    ("wine_data.csv", "wine_data.rst", "class", None),
    ("breast_cancer.csv", "breast_cancer.rst", "diagnosis", None),
]
# sklearn names breast cancer's statistics "mean radius", "radius error" and "worst radius".
STATISTIC_NAMES = {"mean": "mean {}", "standard error": "{} error", "worst": "worst {}"}


def snake(name):
    return re.sub(r"\s+", "_", name.strip().lower())


def descr_names(path, count):
    """The feature names in a descr file: its attribute list if it has one per feature, else the
    rows of its summary statistics table; None if neither has `count` names."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    attributes = text.split(":Attribute Information:", 1)[-1].split("- class:", 1)[0]
    names = re.findall(r"^\s*- (.+?)\s*$", attributes, re.MULTILINE)
    if len(names) != count:
        # Summary rows look like "radius (mean):    6.981  28.11".
        names = [
            re.sub(r"^(.+) \((mean|standard error|worst)\)$",
                   lambda m: STATISTIC_NAMES[m.group(2)].format(m.group(1)), row)
            for row in re.findall(r"^\s*([^:\n]+?):\s+-?[\d.]+\s+-?[\d.]+", text, re.MULTILINE)
        ]
    return [snake(n) for n in names] if len(names) == count else None


def convert(source, out, data_name, descr_name, label_column, names):
    with open(source / "data" / data_name, newline="") as f:
        rows = list(csv.reader(f))
    n_samples, n_features = int(rows[0][0]), int(rows[0][1])
    classes = rows[0][2:]
    data = rows[1:]
    if len(data) != n_samples or any(len(row) != n_features + 1 for row in data):
        raise SystemExit(f"{source / 'data' / data_name}: expected {n_samples} rows of {n_features + 1} fields")
    names = names or descr_names(source / "descr" / descr_name, n_features)
    names = names or [f"f{i + 1}" for i in range(n_features)]
    target = out / data_name.replace("_data", "")
    with open(target, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(names + [label_column])
        writer.writerows(row[:-1] + [classes[int(row[-1])]] for row in data)
    print(f"{target}: {n_samples} rows, {n_features} features, classes {', '.join(classes)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="sklearn's datasets folder")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for data_name, descr_name, label_column, names in TABLES:
        convert(args.source, args.out, data_name, descr_name, label_column, names)


if __name__ == "__main__":
    main()
