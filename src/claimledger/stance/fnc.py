"""Read and write FNC-1 CSV files, and score stance predictions the way the challenge does.

FNC-1 ships two CSVs: bodies (``Body ID,articleBody``) and stances (``Headline,Body ID[,Stance]``).
Every problem a user can cause (empty file, wrong encoding, missing column, a Body ID that is not in
the bodies file, an unknown label) raises :class:`~claimledger.errors.DataFormatError` with one line
naming the file and the row, because these files are hand-made or exported from other tools often.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from claimledger.errors import DataFormatError

LABELS = ("agree", "disagree", "discuss", "unrelated")
RELATED = frozenset(LABELS[:3])
BODY_COLUMNS = ("Body ID", "articleBody")
STANCE_COLUMNS = ("Headline", "Body ID")

# FNC bodies run to tens of kilobytes; the csv module's default 128 kB field limit is close enough
# that a long scraped article trips it, so lift it once.
csv.field_size_limit(64 * 1024 * 1024)


@dataclass(frozen=True)
class StancePair:
    """One row of a stances file: a headline, the body it is paired with, and the gold stance if given."""

    headline: str
    body_id: int
    stance: str | None = None


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataFormatError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise DataFormatError(f"{path}: is a directory, expected a CSV file") from None
    except OSError as error:
        raise DataFormatError(f"{path}: cannot read ({error.strerror})") from None
    if not data.strip():
        raise DataFormatError(f"{path}: empty file, expected a CSV header")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataFormatError(f"{path}: row 1: file is UTF-16 encoded, expected UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DataFormatError(
            f"{path}: line {line}: byte 0x{data[error.start]:02x} is not valid UTF-8 (re-save the file as UTF-8)"
        ) from None


def _rows(path: Path, required: tuple[str, ...]):
    """Yield ``(row_number, line_number, dict)`` for each data row after checking the header."""
    text = _read_text(path)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DataFormatError(f"{path}: line {line}: NUL byte in text, not a UTF-8 CSV file")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except (StopIteration, csv.Error) as error:
        raise DataFormatError(f"{path}: row 1 (header): cannot parse CSV header ({error})") from None
    missing = [name for name in required if name not in header]
    if missing:
        raise DataFormatError(
            f"{path}: row 1 (header): missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)}"
            f" (found {', '.join(repr(h) for h in header)})"
        )
    index = {name: header.index(name) for name in header}
    row_number = 0
    try:
        for record in reader:
            if not record or all(not field.strip() for field in record):
                continue  # blank lines are common at the end of hand-edited files
            row_number += 1
            if len(record) < len(header):
                raise DataFormatError(
                    f"{path}: row {row_number} (line {reader.line_num}): {len(record)} fields, header has {len(header)}"
                )
            yield row_number, reader.line_num, {name: record[i] for name, i in index.items()}
    except csv.Error as error:
        raise DataFormatError(f"{path}: line {reader.line_num}: malformed CSV ({error})") from None
    if row_number == 0:
        raise DataFormatError(f"{path}: has a header but no data rows")


def _body_id(path: Path, row: int, line: int, value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise DataFormatError(f"{path}: row {row} (line {line}): Body ID {value!r} is not an integer") from None


def read_bodies(path: str | os.PathLike) -> dict[int, str]:
    """Read an FNC bodies CSV into ``{body_id: article_body}``."""
    path = Path(path)
    bodies: dict[int, str] = {}
    for row, line, record in _rows(path, BODY_COLUMNS):
        body_id = _body_id(path, row, line, record["Body ID"])
        if body_id in bodies:
            raise DataFormatError(f"{path}: row {row} (line {line}): Body ID {body_id} appears twice")
        bodies[body_id] = record["articleBody"]
    return bodies


def read_stances(
    path: str | os.PathLike,
    bodies: dict[int, str] | None = None,
    require_stance: bool = False,
) -> list[StancePair]:
    """Read an FNC stances CSV, checking Body IDs against ``bodies`` and labels against :data:`LABELS`.

    ``require_stance`` is for gold files: the ``Stance`` column must then be present and filled.
    """
    path = Path(path)
    required = STANCE_COLUMNS + (("Stance",) if require_stance else ())
    pairs: list[StancePair] = []
    for row, line, record in _rows(path, required):
        body_id = _body_id(path, row, line, record["Body ID"])
        if bodies is not None and body_id not in bodies:
            raise DataFormatError(f"{path}: row {row} (line {line}): unknown Body ID {body_id} (not in the bodies file)")
        stance = record.get("Stance")
        stance = stance.strip() if stance is not None and stance.strip() else None
        if stance is not None and stance not in LABELS:
            raise DataFormatError(
                f"{path}: row {row} (line {line}): unknown stance {stance!r} (expected one of {', '.join(LABELS)})"
            )
        if require_stance and stance is None:
            raise DataFormatError(f"{path}: row {row} (line {line}): empty Stance in a gold file")
        pairs.append(StancePair(record["Headline"], body_id, stance))
    return pairs


def write_stances(path: str | os.PathLike, pairs: list[StancePair], labels: list[str]) -> None:
    """Write ``Headline,Body ID,Stance`` rows, one per pair, in the given order."""
    if len(pairs) != len(labels):
        raise ValueError(f"{len(pairs)} pairs but {len(labels)} labels")
    # Written beside the target and renamed into place: an interrupted run leaves no half file.
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with open(partial, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Headline", "Body ID", "Stance"])
            for pair, label in zip(pairs, labels):
                writer.writerow([pair.headline, pair.body_id, label])
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise DataFormatError(f"{path}: cannot be written ({error.strerror or error})") from None


@dataclass(frozen=True)
class StanceScores:
    """FNC score (percent of the best possible), macro-F1, per-class F1 and the confusion matrix.

    ``confusion[i, j]`` counts pairs with gold ``LABELS[i]`` predicted as ``LABELS[j]``.
    """

    fnc_score: float
    macro_f1: float
    f1: dict[str, float]
    confusion: np.ndarray
    accuracy: float
    related_accuracy: float

    def as_dict(self) -> dict:
        return {
            "fnc_score": round(self.fnc_score, 2),
            "macro_f1": round(self.macro_f1, 4),
            "f1": {label: round(value, 4) for label, value in self.f1.items()},
            "accuracy": round(self.accuracy, 4),
            "related_vs_unrelated_accuracy": round(self.related_accuracy, 4),
            "confusion": {"rows_gold_cols_pred": list(LABELS), "matrix": self.confusion.tolist()},
        }

    def report(self) -> str:
        """Plain-text report: the figures, then the confusion matrix with gold rows."""
        lines = [
            f"FNC score   {self.fnc_score:.2f}",
            f"macro-F1    {self.macro_f1:.4f}",
            "F1          " + "  ".join(f"{label} {self.f1[label]:.4f}" for label in LABELS),
            f"accuracy    {self.accuracy:.4f}   related-vs-unrelated accuracy {self.related_accuracy:.4f}",
            "",
            "gold \\ pred " + "".join(f"{label:>11}" for label in LABELS),
        ]
        for i, label in enumerate(LABELS):
            lines.append(f"{label:<12}" + "".join(f"{n:>11d}" for n in self.confusion[i]))
        return "\n".join(lines)


def score(gold: list[str], predicted: list[str]) -> StanceScores:
    """Score predictions against gold labels with the official FNC-1 weighting.

    Each pair earns 0.25 for getting related-vs-unrelated right, and 0.75 more when gold is related
    and the exact label matches; the score is the total over the best possible total, in percent.
    """
    if len(gold) != len(predicted):
        raise DataFormatError(f"{len(gold)} gold labels but {len(predicted)} predictions: files do not line up")
    if not gold:
        raise DataFormatError("nothing to score: no labels")
    index = {label: i for i, label in enumerate(LABELS)}
    confusion = np.zeros((4, 4), dtype=np.int64)
    for g, p in zip(gold, predicted):
        if g not in index or p not in index:
            bad = g if g not in index else p
            raise DataFormatError(f"unknown stance {bad!r} (expected one of {', '.join(LABELS)})")
        confusion[index[g], index[p]] += 1

    related = [index[label] for label in LABELS[:3]]
    u = index["unrelated"]
    exact_related = sum(confusion[i, i] for i in related)
    related_related = confusion[np.ix_(related, related)].sum()
    earned = 0.25 * confusion[u, u] + 0.25 * related_related + 0.75 * exact_related
    best = 0.25 * confusion[u].sum() + 1.0 * confusion[related].sum()

    f1 = {}
    for i, label in enumerate(LABELS):
        tp = confusion[i, i]
        precision_den = confusion[:, i].sum()
        recall_den = confusion[i].sum()
        # F1 = 2TP / (2TP + FP + FN); defined as 0 when the class is absent from both gold and prediction.
        den = precision_den + recall_den
        f1[label] = float(2 * tp / den) if den else 0.0
    total = confusion.sum()
    related_right = related_related + confusion[u, u]
    return StanceScores(
        fnc_score=float(100.0 * earned / best),
        macro_f1=float(np.mean(list(f1.values()))),
        f1=f1,
        confusion=confusion,
        accuracy=float(np.trace(confusion) / total),
        related_accuracy=float(related_right / total),
    )
