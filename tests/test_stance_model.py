"""The shipped stance model: integrity against its manifest, row order through the CLI, sensible labels.

All text here is written for these tests (no FNC-1 text in the repository).
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from claimledger.cli import main
from claimledger.errors import ModelError
from claimledger.stance import LABELS, StanceModel, load_default, to_ledger_stance
from claimledger.stance.model import BAG_OF_WORDS_FILE, HEAD_TRAINING_FILE, SEEN_HEAD_TRAINING_FILE, default_model_dir

from shared_data import shared_path

BRIDGE = (
    "The Harbor Street bridge will close for six months starting in March, the city's transport "
    "department confirmed on Tuesday. Engineers found corrosion in the steel supports during a routine "
    "inspection last autumn. \"The bridge is safe today, but it will not stay safe without major repairs,\" "
    "said transport director Ana Ruiz. Buses will be rerouted over the river at Mill Lane during the works."
)
SQUID = "Giant squid washes up on California beach"
SQUID_HOAX = (
    "A photo that spread quickly on social media this week, said to show a giant squid washed up on a "
    "California beach, is a fake. The picture was digitally altered from a 2013 image of a much smaller "
    "squid, and no such animal was found on any beach in the state, the county's parks office said. "
    "'There was no squid,' a spokesman said. Fact-checkers traced the edited image to a satirical website "
    "known for fabricated stories. The story is a hoax."
)
BAKERY = (
    "A family bakery in the old town has won a regional prize for its rye sourdough. The owners, who "
    "opened the shop in 1998, said the recipe uses a starter kept alive for more than twenty years. "
    "Queues formed outside the shop on Saturday morning, and the loaves sold out before noon."
)
HEADLINE = "Harbor Street bridge to close for six months for repairs"


@pytest.fixture(scope="module")
def model() -> StanceModel:
    return load_default()


def test_shipped_files_match_manifest_sha256():
    directory = default_model_dir()
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    # head_training.npz comes only with a stacked head (--head-folds), and is then listed.
    recipe = StanceModel(**{k: v for k, v in manifest["parameters"].items() if k in StanceModel._RECIPE})
    assert set(recipe.model_files()) <= set(manifest["files"]) <= {*recipe.model_files(), HEAD_TRAINING_FILE,
                                                                    SEEN_HEAD_TRAINING_FILE}
    assert (SEEN_HEAD_TRAINING_FILE in manifest["files"]) == bool(manifest["parameters"].get("memory_folds"))
    assert (BAG_OF_WORDS_FILE in manifest["files"]) == manifest["parameters"].get("bag_of_words", True)
    assert (HEAD_TRAINING_FILE in manifest["files"]) == bool(manifest["parameters"].get("head_folds"))
    total = 0
    for name, entry in manifest["files"].items():
        data = (directory / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        total += len(data)
    assert total < 40 * 1024 * 1024
    metrics = manifest["hold_out_metrics"]
    assert set(metrics["f1"]) == set(LABELS) and 0 < metrics["fnc_score"] <= 100


def test_manifest_records_the_shared_training_data():
    manifest = json.loads((default_model_dir() / "manifest.json").read_text(encoding="utf-8"))
    for name in ("train_bodies.csv", "train_stances.csv"):
        digest = hashlib.sha256(shared_path("data", "fnc1", name).read_bytes()).hexdigest()
        assert manifest["data"][name] == digest


def test_corrupt_or_missing_file_raises_model_error(tmp_path):
    copy = tmp_path / "stance"
    shutil.copytree(default_model_dir(), copy)
    heads = copy / "heads.json"
    heads.write_text(heads.read_text(encoding="utf-8").replace("[", "[ ", 1), encoding="utf-8")
    with pytest.raises(ModelError, match="sha256") as info:
        StanceModel.load(copy)
    assert "\n" not in str(info.value)
    heads.unlink()
    with pytest.raises(ModelError, match="missing"):
        StanceModel.load(copy)
    with pytest.raises(ModelError, match="manifest"):
        StanceModel.load(tmp_path / "nowhere")


def test_sensible_labels_on_own_pairs(model):
    # FNC's "disagree" is mostly a body debunking the claim; see docs/stance.md for what it misses.
    headlines = [HEADLINE, SQUID, HEADLINE]
    bodies = [BRIDGE, SQUID_HOAX, BAKERY]
    labels = model.predict(headlines, bodies)
    assert labels == ["agree", "disagree", "unrelated"]
    proba = model.predict_proba(headlines, bodies)
    assert proba.shape == (3, 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    assert proba[2, LABELS.index("unrelated")] > 0.9
    assert [to_ledger_stance(label) for label in labels] == ["support", "deny", "unrelated"]


def test_statement_proba_reads_short_statements(model):
    proba = model.statement_proba([SQUID, SQUID], ["The squid photo is a fake.", "A giant squid was found on the beach."])
    assert proba.shape == (2, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    assert proba[0, 1] > proba[1, 1]  # the debunking statement leans to disagree more than the restatement


def _write_inputs(tmp_path):
    bodies = tmp_path / "bodies.csv"
    with open(bodies, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Body ID", "articleBody"])
        writer.writerows([[3, BRIDGE], [11, SQUID_HOAX], [5, BAKERY]])
    rows = [
        ("Bakery wins prize for rye sourdough", 5), (HEADLINE, 11), (HEADLINE, 5),
        ("Bakery wins prize for rye sourdough", 3), (HEADLINE, 3), (HEADLINE, 3),
        ('Photo of "giant squid", on a beach', 11), (SQUID, 11),
    ]
    stances = tmp_path / "pairs.csv"
    with open(stances, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Headline", "Body ID"])
        writer.writerows(rows)
    return bodies, stances, rows


def test_cli_predict_keeps_rows_and_order(tmp_path, model):
    bodies, stances, rows = _write_inputs(tmp_path)
    out = tmp_path / "pred.csv"
    assert main(["stance", "predict", "--bodies", str(bodies), "--stances", str(stances), "--out", str(out)]) == 0
    with open(out, encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle))
    assert written[0] == ["Headline", "Body ID", "Stance"]
    assert [(h, int(b)) for h, b, _ in written[1:]] == rows
    assert all(label in LABELS for _, _, label in written[1:])
    # Same pairs predicted directly give the same labels in the same order.
    texts = {3: BRIDGE, 11: SQUID_HOAX, 5: BAKERY}
    assert [s for _, _, s in written[1:]] == model.predict([h for h, _ in rows], [texts[b] for _, b in rows])


def test_cli_eval_prints_scores(tmp_path, capsys):
    bodies, _, _ = _write_inputs(tmp_path)
    gold = tmp_path / "gold.csv"
    gold.write_text(f"Headline,Body ID,Stance\n{HEADLINE},3,agree\n{HEADLINE},5,unrelated\n", encoding="utf-8")
    assert main(["stance", "eval", "--bodies", str(bodies), "--stances", str(gold), "--pred", str(gold)]) == 0
    out = capsys.readouterr().out
    assert "FNC score   100.00" in out and "macro-F1" in out


def test_cli_bad_csv_exits_nonzero_with_one_line(tmp_path):
    bodies, _, _ = _write_inputs(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("Headline,Body ID\nSomething happened,99\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "claimledger", "stance", "predict", "--bodies", str(bodies),
         "--stances", str(bad), "--out", str(tmp_path / "o.csv")],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.csv" in lines[0] and "row 1" in lines[0] and "99" in lines[0]


def test_cli_single_pair_from_stdin(tmp_path, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(BAKERY))
    assert main(["stance", "--headline", HEADLINE, "--body", "-"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "unrelated" and len(out) == 5


def test_inference_does_not_import_torch():
    code = (
        "import sys\n"
        "from claimledger.stance import load_default\n"
        f"load_default().predict([{SQUID!r}], [{SQUID_HOAX!r}])\n"
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_model_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMLEDGER_STANCE_MODEL", str(tmp_path))
    assert default_model_dir() == tmp_path
    with pytest.raises(ModelError, match="manifest.json missing"):
        StanceModel.load()


def test_stacked_head_rows_are_saved_checked_and_dropped_with_the_recipe(tmp_path):
    model = StanceModel.load()
    n = len(StanceModel.HEAD_FEATURES)
    model.head_training_ = {"inputs": np.ones((4, n)), "labels": np.array([0, 1, 2, 0]),
                            "groups": np.array([7, 7, 8, 9]), "out_of_fold": np.array([False, True, True, True])}
    model.save(tmp_path / "stacked")
    manifest = json.loads((tmp_path / "stacked" / "manifest.json").read_text(encoding="utf-8"))
    assert HEAD_TRAINING_FILE in manifest["files"]
    reloaded = StanceModel.load(tmp_path / "stacked")
    assert reloaded.predict([HEADLINE], [BRIDGE]) == model.predict([HEADLINE], [BRIDGE])
    saved = tmp_path / "stacked" / HEAD_TRAINING_FILE
    data = bytearray(saved.read_bytes())
    data[len(data) // 2] ^= 0xFF
    saved.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=f"{HEAD_TRAINING_FILE}: sha256"):
        StanceModel.load(tmp_path / "stacked")
    # Saving a recipe without a stacked head over it removes the stale rows, and the manifest
    # no longer lists them.
    model.head_training_ = None
    model.save(tmp_path / "stacked")
    assert not saved.exists()
    StanceModel.load(tmp_path / "stacked")


def test_a_save_cut_short_leaves_the_previous_model_whole(tmp_path, monkeypatch):
    import claimledger.stance.model as stance_model

    model = StanceModel.load()
    target = tmp_path / "m"
    model.save(target)
    (target / "NOTES.txt").write_text("kept", encoding="utf-8")
    before = {path.name: path.read_bytes() for path in target.iterdir()}

    def disk_full(path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(stance_model, "sha256_file", disk_full)  # fails after the files are written
    model.related_prior_ = np.array([0.5, 0.25, 0.25])  # another model: heads.json changes
    with pytest.raises(OSError, match="No space"):
        model.save(target)
    monkeypatch.undo()
    assert {path.name: path.read_bytes() for path in target.iterdir()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["m"]  # no staging directory left
    StanceModel.load(target)
    model.save(target)  # a save that completes replaces the model files and keeps the others
    assert (target / "NOTES.txt").read_text(encoding="utf-8") == "kept"
    assert (target / "heads.json").read_bytes() != before["heads.json"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["m"]
    np.testing.assert_allclose(StanceModel.load(target).related_prior_, [0.5, 0.25, 0.25])


def test_a_recipe_without_bag_of_words_ships_no_bag_of_words_file(tmp_path):
    model = StanceModel.load()
    model.save(tmp_path / "m")
    assert (tmp_path / "m" / BAG_OF_WORDS_FILE).exists() == model.bag_of_words
    model.bag_of_words = False
    model.save(tmp_path / "m")
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["bag_of_words"] is False and BAG_OF_WORDS_FILE not in manifest["files"]
    assert not (tmp_path / "m" / BAG_OF_WORDS_FILE).exists()
    reloaded = StanceModel.load(tmp_path / "m")
    assert not hasattr(reloaded, "bow_")
    np.testing.assert_allclose(reloaded.bow_proba([HEADLINE], [BRIDGE], [BRIDGE], np.zeros((1, 10))), 1 / 3)
    proba = reloaded.predict_proba([HEADLINE, SQUID], [BRIDGE, SQUID_HOAX])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)


def test_cli_train_rejects_a_single_head_fold(tmp_path, capsys):
    data = tmp_path / "fnc"
    data.mkdir()
    assert main(["train", "stance", "--data", str(data), "--out", str(tmp_path / "m"), "--head-folds", "1"]) == 2
    error = capsys.readouterr().err
    assert "--head-folds 1" in error and len(error.strip().splitlines()) == 1


@pytest.mark.parametrize("power", ["-0.5", "3", "nan"])
def test_cli_train_rejects_a_topic_weight_power_out_of_range(tmp_path, capsys, power):
    data = tmp_path / "fnc"
    data.mkdir()
    assert main(["train", "stance", "--data", str(data), "--out", str(tmp_path / "m"),
                 "--topic-weight-power", power]) == 2
    error = capsys.readouterr().err
    assert "--topic-weight-power" in error and len(error.strip().splitlines()) == 1
    assert not (tmp_path / "m").exists()


def test_model_refuses_a_negative_topic_weight_power():
    with pytest.raises(ModelError, match="topic_weight_power"):
        StanceModel(topic_weight_power=-1)


def test_cli_train_rejects_an_output_path_that_is_a_file_before_training(tmp_path, capsys):
    data = tmp_path / "fnc"
    data.mkdir()
    out = tmp_path / "model.txt"
    out.write_text("not a model", encoding="utf-8")
    assert main(["train", "stance", "--data", str(data), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert f"--out {out}" in error and "not a directory" in error and len(error.strip().splitlines()) == 1
    assert out.read_text(encoding="utf-8") == "not a model"


def test_cli_train_rejects_missing_data_dir(tmp_path, capsys):
    assert main(["train", "stance", "--data", str(tmp_path / "nope"), "--out", str(tmp_path / "m")]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_parallel_batches_keep_each_pair_in_its_row_whatever_the_threads():
    # The int8 model quantises activations per batch, so a pair's logits depend on its batch-mates;
    # with distinct lengths the length-sorted batches are the same whatever the input order, so
    # shuffled input must give the same rows, shuffled, and one thread the same numbers as two.
    pairs = [(HEADLINE, BRIDGE), (SQUID, SQUID_HOAX)] * 4  # an agreeing and a refuting pair, alternately
    headlines = [h for h, _ in pairs]
    # First sentences only, under the model's 64 word pieces, each pair a different length.
    texts = [b.split(". ")[0] + " Then" * (2 * i) for i, (_, b) in enumerate(pairs)]
    parallel = StanceModel.load(n_threads=2)
    serial = StanceModel.load(n_threads=1)
    parallel.batch_size = serial.batch_size = 2
    lengths = [len(e.ids) for e in parallel._encode(headlines, texts)]
    assert len(set(lengths)) == len(pairs) and max(lengths) < parallel.max_length
    together = parallel.cross_encoder_logits(headlines, texts)
    assert together.shape == (len(pairs), 3)
    np.testing.assert_array_equal(together, serial.cross_encoder_logits(headlines, texts))
    shuffle = np.random.default_rng(0).permutation(len(pairs))
    shuffled = parallel.cross_encoder_logits([headlines[i] for i in shuffle], [texts[i] for i in shuffle])
    np.testing.assert_array_equal(shuffled, together[shuffle])
    # Rows are the right pair's: every refuting pair (odd rows) leans further to disagree than
    # every agreeing pair (even rows); misplaced rows would break that.
    lean = together[:, LABELS.index("disagree")] - together[:, LABELS.index("agree")]
    assert lean[1::2].min() > lean[0::2].max()
    # A lone batch runs across both threads, with the same numbers as on one.
    parallel.batch_size = serial.batch_size = len(pairs)
    np.testing.assert_array_equal(parallel.cross_encoder_logits(headlines, texts),
                                  serial.cross_encoder_logits(headlines, texts))
