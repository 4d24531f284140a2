"""Mine which verbs state their content as an object, from PolNeAR train.

PolNeAR annotates "Sanders questioned Clinton's judgment", "56 percent would vote for Clinton" and
"Trump has called for a ban" as attributions whose content is the verb's object. Whether a verb's
object is content depends on the verb and on how the object hangs on it, so this script counts it:
for every verb in the train articles that has a subject (its own, or one it inherits through a
conjunction, participle or relative clause) and a nominal object, how often that object is a gold
attribution's content with the verb in the gold cue.

Relations counted: ``dobj`` (the direct object's subtree, pronoun objects left out: "told him" names
a listener) and ``prep:<word>`` (the object of a preposition hanging on the verb: "vote for",
"talk about"). A match overlaps at least half of the gold content and half of the object, the
scorer's rule (``claimledger.evaluation.spans``).

Writes ``src/claimledger/attribution/data/object_cues.tsv``: ``lemma relation as_content total
precision`` for every (lemma, relation) seen at least ``--min-total`` times with at least
``--min-count`` matches. Entirely data-driven: no hand-picked words. The parses are those of
``scripts/mine_cues.py`` (same model, same cache format).

Usage: python scripts/mine_object_cues.py [POLNEAR_TRAIN_DIR] [--out PATH] [--cache DOCBIN] [--skip N]
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import Doc, Token

from claimledger.evaluation.polnear import PolnearArticle

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mine_cues import MODEL, lemma, mining_arguments, parsed_train  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "src" / "claimledger" / "attribution" / "data" / "object_cues.tsv"
INHERITING_DEPS = {"relcl", "acl", "advcl", "conj", "xcomp", "ccomp"}


def has_subject(verb: Token) -> bool:
    """The verb has a subject of its own or one it inherits (as the extractor's source rule does)."""
    node = verb
    for _ in range(4):
        if any(c.dep_ in ("nsubj", "csubj", "agent") for c in node.children):
            return True
        if node.dep_ in ("relcl", "acl"):
            return node.head.pos_ in ("NOUN", "PROPN", "PRON")
        if node.dep_ not in INHERITING_DEPS or node.head is node:
            return False
        node = node.head
    return False


def objects_of(verb: Token) -> list[tuple[str, tuple[int, int]]]:
    """(relation, character span) of each nominal object of the verb."""
    found = []
    for child in verb.children:
        if child.dep_ == "dobj" and child.pos_ != "PRON":
            found.append(("dobj", _extent(list(child.subtree))))
        elif child.dep_ == "prep" and child.i > verb.i:
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects and not (objects[0].pos_ == "PRON" and len(list(objects[0].subtree)) == 1):
                found.append((f"prep:{child.lower_}", _extent(list(objects[0].subtree))))
    return found


def _extent(tokens: list[Token]) -> tuple[int, int]:
    words = [t for t in tokens if not t.is_punct] or tokens
    return words[0].idx, words[-1].idx + len(words[-1].text)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def is_content(span: tuple[int, int], verb: Token, golds: list[tuple[list[tuple[int, int]], tuple[int, int]]]) -> bool:
    for cue_spans, content in golds:
        if not any(s <= verb.idx < e for s, e in cue_spans):
            continue
        shared = _overlap(span, content)
        if shared * 2 >= content[1] - content[0] and shared * 2 >= span[1] - span[0]:
            return True
    return False


def mine(articles: list[PolnearArticle], docs: list[Doc]) -> tuple[Counter, Counter]:
    total: Counter[tuple[str, str]] = Counter()
    as_content: Counter[tuple[str, str]] = Counter()
    for article, doc in zip(articles, docs):
        golds = [
            (gold.cue_spans, (gold.content_start, gold.content_end))
            for gold in article.attributions
            if gold.cue_spans and gold.content_spans
        ]
        for verb in doc:
            if verb.pos_ != "VERB" or not has_subject(verb):
                continue
            for relation, span in objects_of(verb):
                key = (lemma(verb), relation)
                total[key] += 1
                if is_content(span, verb, golds):
                    as_content[key] += 1
    return as_content, total


def write_tsv(as_content: Counter, total: Counter, out: Path, n_articles: int, min_total: int, min_count: int) -> int:
    rows = [
        (key, relation, as_content[(key, relation)], n, as_content[(key, relation)] / n)
        for (key, relation), n in total.items()
        if n >= min_total and as_content[(key, relation)] >= min_count and "\t" not in key
    ]
    rows.sort(key=lambda r: (-r[2], r[0], r[1]))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(
            f"# mined by scripts/mine_object_cues.py from PolNeAR train ({n_articles} articles) on "
            f"{dt.date.today().isoformat()} with {MODEL} {spacy.__version__}: how often a verb's object "
            "(dobj, or the object of prep:<word>) is an attribution's content\n"
        )
        handle.write("lemma\trelation\tas_content\ttotal\tprecision\n")
        for key, relation, hits, n, precision in rows:
            handle.write(f"{key}\t{relation}\t{hits}\t{n}\t{precision:.4f}\n")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = mining_arguments(__doc__.splitlines()[0], DEFAULT_OUT)
    parser.add_argument("--min-total", type=int, default=5)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument("--skip", type=int, default=0,
                        help="leave the first N train articles out of the table (to choose a threshold on them)")
    args = parser.parse_args(argv)
    parsed = parsed_train(args)
    if parsed is None:
        return 2
    articles, docs = parsed[0][args.skip:], parsed[1][args.skip:]
    as_content, total = mine(articles, docs)
    written = write_tsv(as_content, total, args.out, len(articles), args.min_total, args.min_count)
    print(f"wrote {written} (lemma, relation) rows to {args.out.name}", file=sys.stderr)
    ranked = sorted(total, key=lambda k: -as_content[k])[: args.top]
    print(f"{'lemma':16s} {'relation':14s} {'content':>7s} {'total':>6s} {'prec':>6s}")
    for key in ranked:
        print(f"{key[0]:16s} {key[1]:14s} {as_content[key]:7d} {total[key]:6d} {as_content[key] / total[key]:6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
