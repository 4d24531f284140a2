"""The headline stance model (stance/headline.py): support, deny or neutral of a headline toward a claim.

Claims and headlines here are invented (places and events that occur in no data set), so the model is
tested on claims it never saw, as a user's would be.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from claimledger.records import STANCES
from claimledger.stance.headline import LABELS, HeadlineModelError, HeadlineStance, cue_lexicon

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "headline_stance"
CLAIM = "The Orvelle river bridge collapsed during Tuesday's storm"


@pytest.fixture(scope="module")
def model():
    return HeadlineStance.load(MODEL_DIR)


def test_a_clear_denial_is_deny(model):
    assert model.predict([CLAIM], ["Orvelle officials deny the bridge collapsed, calling the reports false"]) == ["deny"]
    assert model.predict(["A lynx was seen in central Haldmark"], ["No, there was no lynx in Haldmark: the photo is a hoax"]) == ["deny"]


def test_a_hedged_report_is_neutral(model):
    assert model.predict([CLAIM], ["Orvelle bridge may have collapsed in storm, unconfirmed reports claim"]) == ["neutral"]
    assert model.predict([CLAIM], ["Did the Orvelle bridge really collapse?"]) == ["neutral"]


def test_a_plain_assertion_is_support(model):
    assert model.predict([CLAIM], ["Orvelle river bridge collapses in storm"]) == ["support"]


def test_probabilities_are_deterministic_and_well_formed(model):
    texts = ["Orvelle river bridge collapses in storm", "Orvelle bridge collapse was a hoax",
             "Orvelle bridge reportedly collapsed"]
    first = model.predict_proba([CLAIM] * 3, texts)
    again = HeadlineStance.load(MODEL_DIR).predict_proba([CLAIM] * 3, texts)
    assert first.shape == (3, 3) and np.array_equal(first, again)
    assert np.allclose(first.sum(axis=1), 1.0) and (first >= 0).all()
    assert set(model.predict([CLAIM] * 3, texts)) <= set(STANCES) and LABELS == ("support", "deny", "neutral")
    assert model.predict_proba([], []).shape == (0, 3)
    with pytest.raises(ValueError):
        model.predict_proba([CLAIM], [])


def test_missing_model_gives_one_line_error_naming_the_file(tmp_path):
    with pytest.raises(HeadlineModelError) as error:
        HeadlineStance.load(tmp_path / "nowhere")
    assert "manifest.json" in str(error.value) and "\n" not in str(error.value)


def test_corrupt_model_gives_one_line_error_naming_the_file(tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(MODEL_DIR, copy)
    path = copy / "headline_stance.json"
    path.write_text(path.read_text(encoding="utf-8").replace("[", "(", 1), encoding="utf-8")
    with pytest.raises(HeadlineModelError) as error:
        HeadlineStance.load(copy)
    assert str(path) in str(error.value) and "sha256" in str(error.value) and "\n" not in str(error.value)
    (copy / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(HeadlineModelError) as error:
        HeadlineStance.load(copy)
    assert str(copy / "manifest.json") in str(error.value) and "\n" not in str(error.value)
    path.unlink()
    (copy / "manifest.json").write_text(json.dumps({"files": {"headline_stance.json": {"sha256": "0"}}}), encoding="utf-8")
    with pytest.raises(HeadlineModelError) as error:
        HeadlineStance.load(copy)
    assert str(path) in str(error.value) and "missing" in str(error.value)


def test_manifest_records_the_file_and_the_held_out_figures():
    manifest = json.loads((MODEL_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert "by claimId" in manifest["cross_validation"]["folds"]
    assert 0 < manifest["cross_validation"]["accuracy"] <= 1
    assert sum((MODEL_DIR / name).stat().st_size for name in manifest["files"]) < 40_000_000


def test_cue_lexicon_has_every_kind():
    cues = cue_lexicon()
    assert {"refute", "hedge", "report", "negation", "question", "affirm"} <= set(cues)
    assert ("not", "true") in cues["refute"] and ("reportedly",) in cues["hedge"]


def test_runtime_does_not_import_training():
    source = (Path(__file__).resolve().parents[1] / "src/claimledger/stance/headline.py").read_text(encoding="utf-8")
    assert "headline_train" not in source.replace("stance/headline_train.py", "")


def test_training_rebuilds_a_model_that_loads(tmp_path):
    """A small invented corpus in Emergent's format: train, write, load, predict."""
    from claimledger.stance.headline_train import main

    rows = []
    for k in range(10):
        claim = f"The Orvelle council number {k} approved the new harbour plan"
        for j, (text, stance) in enumerate([
            (f"Orvelle council {k} approves harbour plan", "for"),
            (f"Council {k} backs Orvelle harbour plan", "for"),
            (f"Orvelle council {k} denies approving harbour plan, says reports are false", "against"),
            (f"Council {k} harbour plan approval a hoax", "against"),
            (f"Orvelle council {k} may have approved harbour plan, reports claim", "observing"),
            (f"Did council {k} approve the Orvelle harbour plan?", "observing"),
        ]):
            rows.append({"articleId": f"{k}-{j}", "claimId": f"c{k}", "claimHeadline": claim, "articleHeadline": text,
                         "articleHeadlineStance": stance, "url": "", "source": f"s{j}.example", "claimTruth": "unknown"})
    (tmp_path / "data" / "emergent").mkdir(parents=True)
    with open(tmp_path / "data" / "emergent" / "train_articles.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    oof = tmp_path / "oof.csv"
    assert main([str(tmp_path / "data"), str(tmp_path / "model"), "--oof", str(oof)]) == 0
    assert len(list(csv.DictReader(open(oof, encoding="utf-8")))) == len(rows)
    trained = HeadlineStance.load(tmp_path / "model")
    proba = trained.predict_proba(["The Orvelle council approved the plan"], ["Council approves plan"])
    assert proba.shape == (1, 3) and np.isfinite(proba).all() and np.isclose(proba.sum(), 1.0)
    manifest = json.loads((tmp_path / "model" / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {"headline_stance.json"} and manifest["cross_validation"]["rows"] == len(rows)
