"""Text features for stance: tokens, sentences, a small TF-IDF, relatedness features and cue counts.

Relatedness (is the body about the headline's claim at all?) is mostly lexical, so it is decided from
cheap overlap features; the same sentence similarities pick the few body sentences the cross-encoder
reads. Everything here is plain Python/numpy/scipy so inference needs no torch.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from claimledger.nlp.text import OVERLAP_STOP_WORDS, prefix_stem

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z]+|\b\d[\d,.]*")
# Sentence ends: .!? followed by space and an opening capital/quote/digit, or a blank line. Crude, but
# news prose is regular and a missed split only makes one "sentence" longer.
_SENTENCE_END = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n+|\n(?=[A-Z\"“])"
)

# Cue lexicons: words that signal refutation, hedging/reporting and negation in news prose. Written
# for this project from general knowledge of how denials and rumours are reported.
REFUTE = frozenset(
    """fake fraud fraudulent hoax hoaxes false falsely deny denies denied denial denying debunk debunked
    debunks bogus untrue myth myths rumour rumor rumours rumors prank pranks retract retracted retraction
    fabricated fabrication misleading baseless unfounded satire satirical refute refuted refutes dismiss
    dismissed dismisses incorrect wrong lie lies lied doubt doubts doubtful skeptical sceptical nonsense
    contrary contradict contradicts contradicted disputed dispute disputes erroneous photoshopped
    doctored hoaxer spoof parody""".split()
)
HEDGE = frozenset(
    """reportedly allegedly alleged apparently purportedly purported claims claimed claim claiming rumoured
    rumored unconfirmed unverified may might could possibly perhaps suggest suggests suggested appears
    appear seems seem according report reports reported sources source speculation speculated believed
    thought supposedly unclear if whether""".split()
)
NEGATION = frozenset(
    """not no never none nothing nobody neither nor cannot can't don't doesn't didn't isn't wasn't aren't
    weren't won't wouldn't hasn't haven't hadn't shouldn't couldn't without""".split()
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters/digits, keeping English contractions)."""
    return _WORD.findall(text.lower())


def stems(text: str) -> list[str]:
    """Content-word stems: stopwords dropped, then cut to six letters.

    Prefix truncation is a crude stemmer, but it merges "denies/denied/denial" and "hacker/hackers"
    cheaply and the overlap features only need that much.
    """
    return [prefix_stem(w) for w in words(text) if w not in OVERLAP_STOP_WORDS]


def sentences(text: str) -> list[str]:
    """Split an article body into sentences (at least one, possibly empty)."""
    parts = [part.strip() for part in _SENTENCE_END.split(text.strip())]
    parts = [part for part in parts if part]
    return parts or [text.strip()]


def ngrams(tokens: list[str]) -> list[str]:
    """Unigrams plus adjacent bigrams (joined by a space)."""
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


class TfidfVectorizer:
    """Sublinear, L2-normalised TF-IDF over stem unigrams and bigrams.

    Our own (instead of scikit-learn's) so that the shipped model stores it as plain JSON rather than
    a pickle tied to one library version.
    """

    def __init__(self, min_df: int = 2, max_features: int = 100_000):
        self.min_df = min_df
        self.max_features = max_features

    def fit(self, texts: list[str]) -> "TfidfVectorizer":
        df: Counter = Counter()
        for text in texts:
            df.update(set(ngrams(stems(text))))
        kept = [(term, n) for term, n in df.items() if n >= self.min_df]
        # Most frequent first, ties alphabetical: deterministic regardless of hash seed.
        kept.sort(key=lambda item: (-item[1], item[0]))
        kept = kept[: self.max_features]
        self.vocabulary_ = {term: i for i, (term, _) in enumerate(kept)}
        n_docs = len(texts)
        self.idf_ = np.array([math.log((1 + n_docs) / (1 + n)) + 1.0 for _, n in kept], dtype=np.float32)
        return self

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        return self.transform_stems([stems(text) for text in texts])

    def transform_stems(self, stem_lists: list[list[str]]) -> sparse.csr_matrix:
        """Like :meth:`transform`, from texts already cut into :func:`stems`."""
        indptr, indices, values = [0], [], []
        vocabulary, idf = self.vocabulary_, self.idf_
        for tokens in stem_lists:
            counts = Counter(t for t in ngrams(tokens) if t in vocabulary)
            ids = [vocabulary[t] for t in counts]
            weights = np.array([(1.0 + math.log(c)) for c in counts.values()], dtype=np.float32)
            if ids:
                weights *= idf[ids]
                weights /= np.linalg.norm(weights)
            indices.extend(ids)
            values.extend(weights.tolist())
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.array(values, dtype=np.float32), np.array(indices, dtype=np.int32), np.array(indptr)),
            shape=(len(stem_lists), len(vocabulary)),
        )

    def idf_of(self, term: str) -> float:
        """IDF of a term, or the largest IDF (rarest) for a term never seen in training."""
        i = self.vocabulary_.get(term)
        return float(self.idf_[i]) if i is not None else float(self.idf_.max())

    def to_dict(self) -> dict:
        terms = sorted(self.vocabulary_, key=self.vocabulary_.get)
        return {"min_df": self.min_df, "max_features": self.max_features, "terms": terms,
                "idf": [round(float(x), 5) for x in self.idf_]}

    @classmethod
    def from_dict(cls, data: dict) -> "TfidfVectorizer":
        vectorizer = cls(min_df=data["min_df"], max_features=data["max_features"])
        vectorizer.vocabulary_ = {term: i for i, term in enumerate(data["terms"])}
        vectorizer.idf_ = np.asarray(data["idf"], dtype=np.float32)
        return vectorizer


@dataclass
class BodyInfo:
    """Everything about one body that does not depend on the headline, computed once per body.

    ``vectors`` holds one TF-IDF row per sentence, then the whole body, then the lead (first two
    sentences), so one sparse product gives a headline's cosine with all of them.
    """

    sentences: list[str]
    vectors: sparse.csr_matrix
    stem_counts: Counter
    lead_stems: frozenset
    bigrams: frozenset
    lower: str
    n_stems: int


def body_info(body: str, vectorizer: TfidfVectorizer) -> BodyInfo:
    sents = sentences(body)
    # Sentences are split at whitespace only, so the body's stems are its sentences' stems end to end.
    sentence_stems = [stems(sentence) for sentence in sents]
    body_stems = [t for tokens in sentence_stems for t in tokens]
    lead_stems = [t for tokens in sentence_stems[:2] for t in tokens]
    return BodyInfo(
        sentences=sents,
        vectors=vectorizer.transform_stems(sentence_stems + [body_stems, lead_stems]),
        stem_counts=Counter(body_stems),
        lead_stems=frozenset(lead_stems),
        bigrams=frozenset(zip(body_stems, body_stems[1:])),
        lower=body.lower(),
        n_stems=len(body_stems),
    )


RELATEDNESS_FEATURES = (
    "cos_body", "cos_lead", "cos_max_sentence", "cos_top3_sentences", "best_sentence_position",
    "overlap_fraction", "overlap_lead_fraction", "idf_overlap_fraction", "bigram_overlap_fraction",
    "bm25", "bm25_per_term", "names_found_fraction", "n_headline_stems", "log_body_stems",
    "n_sentences", "overlap_count",
)


def relatedness_features(
    headline: str, cosines: np.ndarray, body: BodyInfo, vectorizer: TfidfVectorizer, avg_body_stems: float,
) -> np.ndarray:
    """Features of one (headline, body) pair.

    ``cosines`` is the headline's TF-IDF cosine with each row of ``body.vectors`` (sentences, body,
    lead), computed for all headlines of a body at once by the caller.
    """
    sentence_cos = cosines[:-2]
    top = np.sort(sentence_cos)[::-1]
    head_stems = stems(headline)
    unique = set(head_stems)
    shared = [t for t in unique if t in body.stem_counts]
    idf_total = sum(vectorizer.idf_of(t) for t in unique) or 1.0
    head_bigrams = set(zip(head_stems, head_stems[1:]))

    # BM25 (k1=1.2, b=0.75) of the headline's stems against the body, the classic retrieval score.
    k1, b = 1.2, 0.75
    norm = k1 * (1 - b + b * body.n_stems / max(avg_body_stems, 1.0))
    bm25 = sum(
        vectorizer.idf_of(t) * body.stem_counts[t] * (k1 + 1) / (body.stem_counts[t] + norm) for t in shared
    )
    # Names and numbers (capitalised words not at the start, digits) carry the topic of a headline.
    names = {m.lower() for m in _CAPITALISED.findall(headline)[1:]}
    names_found = sum(1 for name in names if name in body.lower)

    return np.array([
        float(cosines[-2]),
        float(cosines[-1]),
        float(top[0]),
        float(top[:3].mean()),
        float(np.argmax(sentence_cos) / max(len(sentence_cos), 1)),
        len(shared) / max(len(unique), 1),
        len(unique & body.lead_stems) / max(len(unique), 1),
        sum(vectorizer.idf_of(t) for t in shared) / idf_total,
        len(head_bigrams & body.bigrams) / max(len(head_bigrams), 1),
        bm25,
        bm25 / max(len(unique), 1),
        names_found / len(names) if names else -1.0,
        float(len(unique)),
        math.log1p(body.n_stems),
        float(len(body.sentences)),
        float(len(shared)),
    ], dtype=np.float32)


def key_sentences(body: BodyInfo, sentence_cos: np.ndarray, k: int = 4) -> str:
    """The body's ``k`` sentences most similar to the headline, most similar first.

    Most similar first because the cross-encoder input is truncated from the end: the sentence that
    restates the claim is where a body agrees with it, denies it or reports it.
    """
    order = sorted(range(len(body.sentences)), key=lambda i: (-sentence_cos[i], i))
    return " ".join(body.sentences[i] for i in order[:k])


CUE_FEATURES = (
    "refute_key", "hedge_key", "negation_key", "refute_body", "hedge_body", "negation_body",
    "refute_headline", "hedge_headline", "negation_headline", "question_headline",
)


def body_cues(body_text: str) -> np.ndarray:
    """Refuting, hedging and negation words per 100 words of the whole body."""
    whole = words(body_text)
    per_100 = 100.0 / max(len(whole), 1)
    return np.array([sum(w in REFUTE for w in whole) * per_100, sum(w in HEDGE for w in whole) * per_100,
                     sum(w in NEGATION for w in whole) * per_100], dtype=np.float32)


def cue_features(headline: str, key_text: str, body: str | np.ndarray) -> np.ndarray:
    """Counts of refuting, hedging and negation words in the key sentences, the body and the headline.

    ``body`` is the body text, or its :func:`body_cues` when the caller has them cached.
    """
    key, head = words(key_text), words(headline)
    whole = body_cues(body) if isinstance(body, str) else body
    return np.array([
        sum(w in REFUTE for w in key), sum(w in HEDGE for w in key), sum(w in NEGATION for w in key),
        whole[0], whole[1], whole[2],
        sum(w in REFUTE for w in head), sum(w in HEDGE for w in head), sum(w in NEGATION for w in head),
        float("?" in headline),
    ], dtype=np.float32)
