"""Claims of an article and the per-claim ledger of sources on each side.

Claims come from the user (kept verbatim) or, without them, are proposed: the headline if the
article has one, else the lead's main statement and the propositions most sources speak to.
Each statement is judged against each claim (:mod:`claimledger.stance.statement`); a source's
stance on a claim is the stance of its statements (a denial outweighs an earlier hedge only when
it is the source's latest word). The article-level stance model, when shipped, adds the whole
article's stance toward each claim.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from claimledger import budget
from claimledger.models import article_stance_model, headline_stance_model, sentence_encoder
from claimledger.records import REGISTERED, Claim, Ledger, StanceJudgment
from claimledger.stance.statement import StatementStance

if TYPE_CHECKING:
    import numpy as np

    from claimledger.nlp.embeddings import TextEncoder
    from claimledger.nlp.pipeline import ParsedArticle

log = logging.getLogger(__name__)
MAX_PROPOSED = 3
SAME_CLAIM_SIMILARITY = 0.55  # cosine above which two clauses are taken to state one claim
DISTINCT_CLAIM_SIMILARITY = 0.45  # proposed claims closer than this to an earlier one are dropped
# A title this close to a claim (MiniLM cosine) speaks of it: on Emergent 95.7 % of article headlines
# reach it toward their own rumour and 1.9 % toward a random other one (bench/headline_relatedness.py).
HEADLINE_RELATED_SIMILARITY = 0.4


def build_claims(
    ledger: Ledger,
    article: ParsedArticle | None,
    claims: list[str] | None,
    *,
    use_stance_model: bool = True,
    registered: list[str] | None = None,
) -> None:
    """Fill ``ledger.claims`` and every attribution's ``stances``.

    ``claims`` replace the proposed claims; ``registered`` claims (a store's) are judged
    besides the proposed ones and kept only where some statement speaks to them.
    """
    shared = sentence_encoder() if use_stance_model else None
    encoder = _CachingEncoder(shared) if shared is not None else None
    if claims:
        ledger.claims = [Claim(id=f"C{i + 1}", text=text, origin="user") for i, text in enumerate(claims)]
    else:
        ledger.claims = propose_claims(ledger, encoder)
        ledger.claims += [
            Claim(id=f"C{len(ledger.claims) + i + 1}", text=text, origin=REGISTERED)
            for i, text in enumerate(_relevant(registered or [], ledger))
        ]
    if not ledger.claims:
        return
    for attribution in ledger.attributions:
        attribution.stances = []
    # Registered claims are judged on their own, as user claims are: judged together with the
    # article's proposed claims, a statement would go to whichever wording is closest.
    own = [c for c in ledger.claims if c.origin != REGISTERED]
    judged_registered = [c for c in ledger.claims if c.origin == REGISTERED]
    for group in (own, judged_registered):
        if group:
            _judge_statements(ledger, group, encoder)
    _drop_unspoken_registered(ledger)
    for claim in ledger.claims:
        _fill_ledger(claim, ledger)
    if use_stance_model:
        _article_stance(ledger)  # only for claims from outside the article (user, headline, registered)
        _headline_stance(ledger, article)


def _judge_statements(ledger: Ledger, claims: list[Claim], encoder) -> None:
    """Add every attribution's stance toward each of ``claims``, judged as one set."""
    judge = StatementStance([(c.id, c.text) for c in claims], ledger.document.text, encoder=encoder)
    judge.prime([a.content for a in ledger.attributions])
    previous_claims: list[str] = []
    for attribution in ledger.attributions:
        budget.check()
        judgments = judge.judge(
            attribution.content,
            attribution.cue_class,
            refused=_takes_no_side(attribution),
            negated_cue=attribution.negated_cue,
            context_claims=previous_claims,
        )
        attribution.stances += [
            StanceJudgment(claim=cid, stance=j.stance, because=j.because, confidence=j.confidence)
            for cid, j in judgments.items()
        ]
        previous_claims = list(judgments) or previous_claims


def _relevant(registered: list[str], ledger: Ledger) -> list[str]:
    """Registered claims that share at least two content words with the article: the rest cannot be
    spoken to, and judging every registered claim against every article would not scale."""
    from claimledger.stance.statement import content_terms, find_aliases

    if not registered:
        return []
    aliases = find_aliases(ledger.document.text)
    article_terms = content_terms(ledger.document.text, aliases)
    return [text for text in registered if len(content_terms(text, aliases) & article_terms) >= 2]


def _drop_unspoken_registered(ledger: Ledger) -> None:
    """Registered claims no statement of this article speaks to are not part of its ledger."""
    spoken = {j.claim for a in ledger.attributions for j in a.stances if j.stance != "unrelated"}
    dropped = {c.id for c in ledger.claims if c.origin == REGISTERED and c.id not in spoken}
    if dropped:
        ledger.claims = [c for c in ledger.claims if c.id not in dropped]
        for attribution in ledger.attributions:
            attribution.stances = [j for j in attribution.stances if j.claim not in dropped]


def _takes_no_side(attribution) -> bool:
    """A refusal to confirm, or a question: the speaker takes no side on what is asked."""
    return attribution.cue_class in ("refusal", "question")


def _fill_ledger(claim: Claim, ledger: Ledger) -> None:
    """Each source's side on the claim, from its statements.

    A side taken outweighs neutrality. Between sides, the side with more weight (the judgments'
    confidence: how plainly the statement speaks to the claim) wins; on a tie, the latest statement.
    """
    weight: dict[str, dict[str, float]] = {}
    latest: dict[str, str] = {}
    for attribution in ledger.attributions:
        if attribution.source is None:
            continue
        for judgment in attribution.stances:
            if judgment.claim != claim.id or judgment.stance == "unrelated":
                continue
            sides = weight.setdefault(attribution.source, {})
            sides[judgment.stance] = sides.get(judgment.stance, 0.0) + judgment.confidence
            if judgment.stance != "neutral":
                latest[attribution.source] = judgment.stance
    for source_id, sides in weight.items():
        taken = {side: w for side, w in sides.items() if side != "neutral"}
        if not taken:
            stance = "neutral"
        elif len(taken) == 1 or abs(taken["support"] - taken["deny"]) < 1e-9:
            stance = latest[source_id] if len(taken) > 1 else next(iter(taken))
        else:
            stance = max(taken, key=taken.get)
        getattr(claim, stance).append(source_id)


class _CachingEncoder:
    """Encodes each text once per article: claim proposal and stance read the same clauses."""

    def __init__(self, encoder: TextEncoder) -> None:
        self.encoder = encoder
        self.vectors: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, self.encoder.encode(missing)))
        return np.stack([self.vectors[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)


def propose_claims(ledger: Ledger, encoder: TextEncoder | None = None) -> list[Claim]:
    """Central claims when the user names none: the headline's propositions if there is a headline,
    else the propositions most sources speak to, preferring those some assert and others deny.

    Every statement is cut into clauses; clauses that say the same thing (by meaning with the
    sentence encoder, by shared words without it) are grouped; a group scores one point per
    distinct source and two more when it is contested (asserted and denied). A group's claim is
    its earliest affirmative clause, so the lead's wording usually names the story's main claim.
    """
    title = (ledger.document.title or "").strip()
    if title:
        return [
            Claim(id=f"C{i + 1}", text=text, origin="headline")
            for i, text in enumerate(headline_propositions(title)[:MAX_PROPOSED])
        ]
    from claimledger.stance.statement import _fold_aliases, _sentences, find_aliases, negation_count

    clauses: list[tuple[str, str | None, bool]] = []  # (clause, source, negated)
    for attribution in ledger.attributions:
        denial = attribution.cue_class == "denial"
        for clause in _sentences(attribution.content) or [attribution.content]:
            if len(clause.split()) < 4 or _takes_no_side(attribution):
                continue
            negated = (negation_count(clause) > 0) != denial
            clauses.append((clause, attribution.source, negated))
    if not clauses:
        return []
    # the same alias-folded text the stance judge encodes, so each clause is encoded once
    aliases = find_aliases(ledger.document.text)
    groups = _group_clauses([_fold_aliases(c, aliases) for c, _, _ in clauses], encoder)
    scored = []
    for members in groups:
        sources = {clauses[i][1] for i in members if clauses[i][1]}
        sides = {clauses[i][2] for i in members}
        score = len(sources) + (2 if len(sides) == 2 else 0)
        affirmative = [i for i in members if not clauses[i][2]] or members
        scored.append((score, -min(members), clauses[min(affirmative)][0]))
    scored.sort(reverse=True)
    texts = _distinct([text for _, _, text in scored], encoder, MAX_PROPOSED)
    return [Claim(id=f"C{i + 1}", text=_as_proposition(text), origin="proposed") for i, text in enumerate(texts)]


def _group_clauses(texts: list[str], encoder) -> list[list[int]]:
    """Greedy grouping of clauses that say the same thing as a group's first clause (in text order)."""
    heads = None
    if encoder is not None:
        import numpy as np

        vectors = encoder.encode(texts)
        same = lambda i, j: float(vectors[i] @ vectors[j]) >= SAME_CLAIM_SIMILARITY  # noqa: E731
        heads = np.zeros_like(vectors)  # the groups' first clauses, one row per group
    else:
        same = lambda i, j: _overlap(texts[i], texts[j]) >= 0.5  # noqa: E731
    groups: list[list[int]] = []
    for index in range(len(texts)):
        candidates = groups
        if heads is not None and groups:
            # one matrix product screens every group (a margin far above float error), the exact
            # pairwise test then decides in group order, as it would alone
            close = np.flatnonzero(heads[: len(groups)] @ vectors[index] >= SAME_CLAIM_SIMILARITY - 1e-3)
            candidates = [groups[g] for g in close]
        group = next((g for g in candidates if same(index, g[0])), None)
        if group is None and heads is not None:
            heads[len(groups)] = vectors[index]
        if group is None:
            groups.append([index])
        else:
            group.append(index)
    return groups


# "The strikes did indeed happen", "the meeting took place": a clause that only says its subject
# occurred restates the claim that describes that event.
_EXISTENCE_CLAUSE = re.compile(
    r"^(?:the|these|those|such|this|that)\s+(?P<what>[\w'-]+(?:\s+[\w'-]+){0,3}?)\s+"
    r"(?:did\s+(?:indeed\s+|in fact\s+|actually\s+|really\s+)?(?:happen|occur|take place)"
    r"|(?:indeed\s+|in fact\s+|actually\s+|really\s+)?(?:happened|occurred|took place))\b",
    re.I,
)


def _restates_as_existence(text: str, earlier: str) -> bool:
    """Whether ``text`` only says that an event ``earlier`` describes took place."""
    match = _EXISTENCE_CLAUSE.match(text.strip())
    if match is None:
        return False
    head = match.group("what").split()[-1].lower()[:5]
    return any(word.lower()[:5] == head for word in re.findall(r"[A-Za-z][\w'-]*", earlier))


def _distinct(texts: list[str], encoder, limit: int) -> list[str]:
    """The first ``limit`` texts that do not restate an earlier one."""
    vectors = encoder.encode(texts) if encoder is not None and texts else None
    chosen: list[int] = []
    for index, text in enumerate(texts):
        if any(_restates_as_existence(text, texts[j]) for j in chosen):
            continue
        if vectors is not None:
            repeats = any(float(vectors[index] @ vectors[j]) >= DISTINCT_CLAIM_SIMILARITY for j in chosen)
        else:
            repeats = any(_overlap(text, texts[j]) >= 0.5 for j in chosen)
        if not repeats:
            chosen.append(index)
        if len(chosen) == limit:
            break
    return [texts[i] for i in chosen]


_HEADLINE_SPEECH = re.compile(r"^(?P<who>.*?)\b(?:says?|said|claims?|insists?|warns?|confirms?|denies|deny)\b[:,]?\s+(?P<what>.+)$", re.I)


# "…, coast guard says" / "…, says witness": the speaker after the proposition.
_HEADLINE_VERBS = (r"(?:says?|said|claims?|insists?|warns?|confirms?|concludes?|finds?|reports?|alleges?|argues?|"
                   r"admits?|believes?|suggests?|states?|announces?|reveals?|shows?)")
_HEADLINE_TRAILING_SPEECH = re.compile(
    rf"^(?P<what>.{{12,}}?),\s+(?:(?:\S+\s+){{0,4}}?{_HEADLINE_VERBS}|{_HEADLINE_VERBS}(?:\s+\S+){{1,5}})$", re.I)


def headline_propositions(title: str) -> list[str]:
    """The propositions a headline states: 'X paused after deaths; maker says drug not to blame'
    gives 'X paused after deaths' and 'Drug not to blame' (what the maker says)."""
    parts = [p.strip(" .") for p in re.split(r";|\s[-—–]\s|:\s|,?\s+as\s+(?=\S+(?:\s\S+)?\s+(?:says?|said|claims?)\b)", title) if p and p.strip(" .")]
    propositions = []
    for part in parts:
        trailing = _HEADLINE_TRAILING_SPEECH.match(part)
        if trailing:
            part = trailing.group("what")  # "Ferry hit by mine, coast guard says"
        match = _HEADLINE_SPEECH.match(part)
        if match and len(match.group("who").split()) <= 4 and len(match.group("what").split()) >= 2:
            part = match.group("what")
        if len(part.split()) >= 3:
            propositions.append(part[:1].upper() + part[1:])
    return propositions or [title]


def _as_proposition(content: str) -> str:
    content = re.sub(r"^(that|whether|if)\s+", "", content.strip(), flags=re.I)
    content = content.rstrip(" ,;:")
    return content[:1].upper() + content[1:] + ("" if content.endswith((".", "!", "?")) else ".")


def _overlap(a: str, b: str) -> float:
    words_a = set(re.findall(r"[a-z]{4,}", a.lower()))
    words_b = set(re.findall(r"[a-z]{4,}", b.lower()))
    return len(words_a & words_b) / max(1, min(len(words_a), len(words_b)))


def _article_stance(ledger: Ledger) -> None:
    """The FNC-1 stance model's reading of the whole article toward each claim."""
    claims = [c for c in ledger.claims if c.origin != "proposed"]
    model = article_stance_model() if claims else None
    if model is None:
        return  # a claim proposed from the article's own statements: the article trivially "discusses" it
    labels = ("agree", "disagree", "discuss", "unrelated")
    mapping = {"agree": "support", "disagree": "deny", "discuss": "neutral", "unrelated": "unrelated"}
    probabilities = model.predict_proba([c.text for c in claims], [ledger.document.text] * len(claims))
    for claim, row in zip(claims, probabilities):
        best = max(range(len(labels)), key=lambda i: row[i])
        claim.article_stance = mapping[labels[best]]
        claim.article_stance_probabilities = {mapping[label]: round(float(p), 4) for label, p in zip(labels, row)}


def _headline_stance(ledger: Ledger, article) -> None:
    """The headline stance model's reading of the article's title (given, or the headline line the
    text opens with) toward each claim it speaks of: the outlet's own side, as Emergent records it (a
    claim taken from the title itself is judged too: "X denies Y" denies Y, a plain title asserts it)."""
    title = (ledger.document.title or "").strip()
    if not title and getattr(article, "headline", False) and article.paragraphs:
        start, end = article.paragraphs[0]
        title = article.text[start:end].strip()
    claims = [c for c in ledger.claims if c.origin != "proposed"]
    model = headline_stance_model() if title and claims else None
    if model is None:
        return
    texts = [c.text for c in claims]
    related = model.relatedness(texts, [title] * len(claims))
    judged = [(claim, text) for claim, text, cosine in zip(claims, texts, related) if cosine >= HEADLINE_RELATED_SIMILARITY]
    if not judged:
        return
    probabilities = model.predict_proba([text for _, text in judged], [title] * len(judged))
    from claimledger.stance.headline import LABELS as labels

    for (claim, _), row in zip(judged, probabilities):
        claim.headline_stance = labels[int(row.argmax())]
        claim.headline_stance_probabilities = {label: round(float(p), 4) for label, p in zip(labels, row)}
