"""The cue lexicon: which words introduce an attribution, and what each kind of cue implies.

Two layers. A core of English reporting, belief and position cues with their *semantic class*
(a denial, a confirmation, a refusal to comment…), which stance needs, written by hand as one word
list a file in ``data/`` (``denial_verbs.txt``, ``speech_verbs.txt`` …); and the cue words mined from
PolNeAR's training articles (``data/cues.tsv``, written by ``scripts/mine_cues.py``) with how often
each word is a cue where it occurs, which widens recall to the cues real newsrooms use.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lemminflect import getAllInflections, getAllLemmas

from claimledger.wordlists import read_word_list

_DATA_DIR = Path(__file__).with_name("data")


def _lexicon(name: str) -> frozenset[str]:
    """One hand-written word list of the core lexicon, ``data/<name>.txt`` (its header says what it is)."""
    return read_word_list(_DATA_DIR / f"{name}.txt")


# The core lexicon, one hand-written list a file in data/ (each file's header says what it holds).
DENIAL_VERBS = _lexicon("denial_verbs")  # the speaker says the content is false
CONFIRMATION_VERBS = _lexicon("confirmation_verbs")  # the speaker says the content is true
QUESTION_VERBS = _lexicon("question_verbs")  # asking is not asserting
REFUSAL_VERBS = _lexicon("refusal_verbs")  # "declined to …": with REFUSED_SPEECH, no side
REFUSED_SPEECH = _lexicon("refused_speech")
SPEECH_VERBS = _lexicon("speech_verbs")
BELIEF_VERBS = _lexicon("belief_verbs")
POSITION_VERBS = _lexicon("position_verbs")  # the thing as object: "backed the plan"
# "pointed out", "went on to say", "made clear": verb + particle / fixed companion.
PHRASAL_CUES = frozenset(tuple(entry.split()) for entry in _lexicon("phrasal_cues"))
NOUN_CUES = _lexicon("noun_cues")
DOCUMENT_NOUNS = _lexicon("document_nouns")  # "the report found …"
NEEDS_CLAUSE = _lexicon("needs_clause")  # attributions only with a clause ("found that …")

MIN_MINED_PRECISION = 0.35
MIN_MINED_COUNT = 5
_DATA = _DATA_DIR / "cues.tsv"
_INTENTIONS = _DATA_DIR / "intentions.txt"
_OBJECTS = _DATA_DIR / "object_cues.tsv"
# A verb's object is read as its content where PolNeAR train has it as content at least this often
# (``data/object_cues.tsv``): below about 0.3 an added prediction lowers F1 (it must be right more
# often than F1 / 2), and the margin keeps out constructions that are content only by the corpus's
# broadest readings ("support" 0.21, "make" 0.08).
MIN_OBJECT_PRECISION = 0.4
MIN_OBJECT_TOTAL = 10


@lru_cache(maxsize=1)
def intention_verbs() -> frozenset[str]:
    """Verbs of intention ("wants to", "plans to"): attributions only with a clause."""
    return read_word_list(_INTENTIONS)


@dataclass(frozen=True)
class CueInfo:
    lemma: str
    cue_class: str  # speech | belief | denial | confirmation | refusal | mined
    needs_clause: bool
    object_only: bool = False  # a cue only through its object ("talked about …", data/object_cues.tsv)


@lru_cache(maxsize=1)
def verb_cues() -> dict[str, CueInfo]:
    """Lemma → CueInfo for every verb that can introduce an attribution."""
    cues: dict[str, CueInfo] = {}
    for lemma in _mined_lemmas("VERB"):
        cues[lemma] = CueInfo(lemma, "mined", True)
    for group, cue_class in (
        (BELIEF_VERBS, "belief"),
        (SPEECH_VERBS, "speech"),
        (CONFIRMATION_VERBS, "confirmation"),
        (DENIAL_VERBS, "denial"),
    ):
        for lemma in group:
            cues[lemma] = CueInfo(lemma, cue_class, lemma in NEEDS_CLAUSE or cue_class == "belief")
    for lemma in QUESTION_VERBS:
        cues[lemma] = CueInfo(lemma, "question", True)
    for lemma in POSITION_VERBS:
        cues.setdefault(lemma, CueInfo(lemma, "position", False))
    for lemma in ("decline", "refuse"):
        cues[lemma] = CueInfo(lemma, "refusal", False)
    for lemma in intention_verbs():
        cues.setdefault(lemma, CueInfo(lemma, "position", True))
    for lemma, _relation in _object_table():
        if object_precision(lemma, _relation) >= MIN_OBJECT_PRECISION:
            cues.setdefault(lemma, CueInfo(lemma, "position", False, object_only=True))  # "talked about the deal"
    return cues


@lru_cache(maxsize=1)
def _object_table() -> dict[tuple[str, str], float]:
    """(lemma, relation) → how often that object of the verb is content in PolNeAR train."""
    table: dict[tuple[str, str], float] = {}
    for row in _tsv_rows(_OBJECTS):
        try:
            if int(row.get("total") or 0) >= MIN_OBJECT_TOTAL:
                table[((row.get("lemma") or "").lower(), row.get("relation") or "")] = float(row.get("precision") or 0)
        except ValueError:
            continue
    return table


def object_precision(lemma: str, relation: str) -> float:
    """How often the verb's object in ``relation`` ("dobj", "prep:about") is content (0 when unknown)."""
    return _object_table().get((lemma, relation), 0.0)


def object_is_content(lemma: str, relation: str) -> bool:
    """Whether the verb's object in ``relation`` is read as its content ("questioned the plan")."""
    return object_precision(lemma, relation) >= MIN_OBJECT_PRECISION


@lru_cache(maxsize=1)
def noun_cues() -> frozenset[str]:
    return frozenset(NOUN_CUES | set(_mined_lemmas("NOUN")))


def _mined_lemmas(pos: str) -> list[str]:
    lemmas = []
    for row in _tsv_rows(_DATA):
        try:
            precision = float(row.get("precision") or 0)
            count = int(row.get("as_cue") or 0)
        except ValueError:
            continue
        key = (row.get("key") or "").strip().lower()
        if (row.get("pos") or "").upper() != pos or " " in key or not key:
            continue
        if precision >= MIN_MINED_PRECISION and count >= MIN_MINED_COUNT:
            lemmas.append(key)
    return lemmas


def _tsv_rows(path: Path) -> Iterator[dict[str, str]]:
    """The rows of one of the mined tables (tab-separated, a header row, '#' comment lines); none
    when the file is missing."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        yield from csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t", quoting=csv.QUOTE_NONE)


# A cue word whose PolNeAR precision (how often it is a cue where it occurs) is below this does
# not by itself make a sentence worth parsing: "see", "know", "think", "want" are everywhere.
MIN_TRIGGER_PRECISION = 0.3
# Our own core cues are kept down to this ("believe" 0.21, "find" 0.25; not "think" 0.12, "see" 0.16).
MIN_CORE_TRIGGER_PRECISION = 0.2
# A form that is also a noun ("fear", "state") triggers only if the verb is this reliable a cue.
AMBIGUOUS_FORM_PRECISION = 0.5


@lru_cache(maxsize=1)
def _mined_precision() -> dict[tuple[str, str], float]:
    table: dict[tuple[str, str], float] = {}
    for row in _tsv_rows(_DATA):
        try:
            table[((row.get("key") or "").lower(), (row.get("pos") or "").upper())] = float(row.get("precision") or 0)
        except ValueError:
            continue
    return table


def mined_precision(lemma: str, pos: str = "VERB") -> float:
    """How often ``lemma`` is a cue where it occurs in PolNeAR train (0 when never seen as one)."""
    return _mined_precision().get((lemma, pos), 0.0)


_TRIGGER_FORMS = Path(__file__).with_name("data") / "trigger_forms.txt"


@lru_cache(maxsize=1)
def trigger_forms() -> frozenset[str]:
    """Word forms that make a sentence worth a full parse, as written to ``data/trigger_forms.txt``
    by ``scripts/build_trigger_forms.py`` (``compute_trigger_forms`` takes over a second of
    lemminflect lookups, too long for every cold start; a test checks that the file is current)."""
    if _TRIGGER_FORMS.exists():
        lines = _TRIGGER_FORMS.read_text(encoding="utf-8").splitlines()
        return frozenset(line for line in lines if line and not line.startswith("#"))
    return compute_trigger_forms()


def compute_trigger_forms() -> frozenset[str]:
    """Word forms that make a sentence worth a full parse: cues that are usually cues."""
    precision = _mined_precision()
    forms: set[str] = {"according", "reportedly", "allegedly", "quoted", "quoting"}
    forms.update(verb for verb, _ in PHRASAL_CUES if verb not in ("go", "play", "lay"))
    forms.update({"pointed", "points", "pointing", "spelled", "ruled", "rules", "ruling", "spoke", "speaks", "hit", "fired"})
    for lemma, info in verb_cues().items():
        floor = MIN_TRIGGER_PRECISION if info.cue_class == "mined" else MIN_CORE_TRIGGER_PRECISION
        if precision.get((lemma, "VERB"), 1.0) < floor:
            continue
        for form in {lemma}.union(*getAllInflections(lemma, upos="VERB").values()):
            # "state", "post", "order": a form that is also a common noun triggers only if the
            # noun is itself usually a cue ("report", "claim")
            noun_lemmas = getAllLemmas(form).get("NOUN")
            if (noun_lemmas and precision.get((noun_lemmas[0], "NOUN"), 0.0) < MIN_TRIGGER_PRECISION
                    and precision.get((lemma, "VERB"), 0.0) < AMBIGUOUS_FORM_PRECISION):
                forms.add(f"* {form}")  # only after its subject: "Sanders supports", "they back"
                continue
            forms.add(form)
    for lemma, info in verb_cues().items():  # "hopes to", "plans that": a verb before its clause
        if info.needs_clause or lemma in intention_verbs():
            for form in {lemma}.union(*getAllInflections(lemma, upos="VERB").values()):
                forms.add(f"{form} to")
                forms.add(f"{form} that")
    for lemma, relation in _object_table():  # "talked about", "accused … of": verb and preposition
        if relation.startswith("prep:") and object_is_content(lemma, relation):
            for form in {lemma}.union(*getAllInflections(lemma, upos="VERB").values()):
                forms.add(f"{form} {relation[5:]}")
    for noun in noun_cues():
        if " " in noun or precision.get((noun, "NOUN"), 0.0) < MIN_TRIGGER_PRECISION:
            continue
        forms.add(noun)
        for inflections in getAllInflections(noun, upos="NOUN").values():
            forms.update(inflections)
    return frozenset(form.lower() for form in forms)
