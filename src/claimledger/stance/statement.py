"""Stance of one statement toward one claim: support, deny, neutral, or unrelated.

Two questions, answered separately. Does the statement speak to the claim? Lexical overlap of
content words (with the article's own aliases: "Daesh [Islamic State]", acronyms, demonyms) and,
when the shipped sentence encoder is available, semantic similarity. Which side does it take?
Polarity of the deciding sentence (negation of its predicate against the claim's), turned by the
cue: a denial of an assertion denies, "declined to confirm or deny" is neutral, "did not deny" is
neutral. The sentence that decided is kept as ``because``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from claimledger.nlp.text import STATEMENT_STOP_WORDS, prefix_stem, stem
from claimledger.sources.resolver import demonyms
from claimledger.stance.statement_model import LABELS as MODEL_LABELS
from claimledger.stance.statement_model import load_statement_model

NEGATORS = re.compile(
    r"\b(not|never|no|none|nobody|nothing|neither|nor|without|cannot|can't|won't|isn't|aren't|wasn't|"
    r"weren't|hasn't|haven't|hadn't|doesn't|don't|didn't|shouldn't|wouldn't|couldn't|out of (?:the )?question|"
    r"ruled out|rules out|false|untrue|baseless|groundless|fabricated|fake|unfounded|nonsense|"
    r"no evidence|denies|denied|deny|refuted|rejects?|rejected)\b|n't\b",
    re.IGNORECASE,
)
# A statement that reports its own speaker's refusal or ignorance takes no side.
INNER_REFUSAL = re.compile(
    r"\b(?:could|would|did|does|do|can|will)\s*(?:not|n't)\s+(?:yet\s+)?(?:say|confirm|deny|comment|know|tell|speculate)\b"
    r"|\bcannot\s+(?:say|confirm|deny|comment)\b|\b(?:declined|refused)\s+to\s+(?:say|confirm|comment)\b"
    r"|\b(?:too (?:early|soon)|premature)\s+to\s+(?:say|tell|know|speculate|judge|draw (?:any )?conclusions)\b",
    re.I,
)
EVALUATIVE = re.compile(r"\b(false|untrue|baseless|groundless|fabricated|fake|unfounded|nonsense)\b", re.I)
# Content that only points back at what was said before: "denied the accusation", "such strikes",
# "this is false", "it was not true", "that never happened". A bare "it" or "that" is not enough:
# "it was cooperating with investigators" is the speaker's own organisation, and "that" is mostly a
# conjunction ("so damaged that it sank").
ANAPHORIC = re.compile(
    r"\b(?:such|these|those|the (?:incident|reports?|claims?|allegations?|accusations?|charges?|"
    r"story|stories|account|assertion|suggestion|rumou?rs?|attack|strikes?|idea|plan|move|decision))\b"
    r"|\b(?:this|that|these|those) (?:incident|reports?|claims?|allegations?|accusations?|charges?|story|stories|"
    r"account|assertion|suggestion|rumou?rs?|attack|strikes?|idea|plan|move|decision)\b"
    r"|^\W*(?:it|this|that)\s+(?:(?:is|was|'s)\s+(?:not\s+|n't\s+)?(?:true|false|untrue|correct|incorrect|accurate|"
    r"inaccurate|right|wrong|a lie|nonsense|baseless|the case)|(?:did\s+not|didn't|never|has\s+not|hasn't)\s+(?:happen|occur))",
    re.I,
)
# Content that speaks of the claim's event only as a condition or as any such event takes no side on
# whether it happened: "any strikes by Iran against ISIS are positive", "if the strikes took place,
# they were a mistake", "whether Iran flew the sorties is unclear". (With a negation or a denial cue
# the same words deny: "Iran has never been involved in any air strikes".)
NON_COMMITTAL = re.compile(
    r"\b(?:if|whether|unless)\b|\bany\s+(?!case\b|rate\b|number\b|longer\b|more\b|time\b|way\b|doubt\b)[a-z]",
    re.I,
)
# Content that leaves the question open: a possibility ("may come under pressure", "might have
# attacked"), an open question ("it is unclear who carried out the attack"), or an inquiry still
# running ("officials are reviewing the data", "an inquiry will establish whether"). Lower-case
# "may" only: "May" is mostly the month.
HEDGING_MODAL = re.compile(r"\b(?:may|might)\b(?!\s+(?:not|never)\b)")
UNSETTLED = re.compile(
    r"(?i:\b(?:unclear|uncertain|unknown|not (?:yet )?(?:clear|known))\s+(?:whether|who|what|how|why|if|when)\b)"
    r"|(?i:\b(?:is|are|was|were)\s+(?:still\s+)?(?:investigating|reviewing|examining|looking into)\b)"
    r"|(?i:\bwill\s+(?:determine|establish)\s+(?:whether|who|what|how|why|if)\b)"
)
# A negated doubt asserts what is doubted: "nobody doubts that P", "no one disputes that P", "it
# cannot be denied that P", "we have no reason to doubt that P". Both words leave the count.
NEGATED_DOUBT = re.compile(
    r"\b(?:no one|nobody|none|not|never|no|cannot)\b(?:\s+[\w']+){0,3}?\s+"
    r"(?P<doubt>doubts?|doubted|disputes?|disputed|questions?|questioned|denies|deny|denied)\s+(?:that|whether)\b"
    r"|n't\s+(?:\w+\s+){0,2}?(?P<doubt2>doubt|dispute|question|deny)\s+(?:that|whether)\b",
    re.I,
)
RELATED_COVERAGE = 0.3
PRIOR_SENTENCES = 10
CLOSEST_MIN_SIMILARITY = 0.5  # cosine at which a unit is plainly about a claim
CLOSEST_MARGIN = 0.05  # and by how much it must be closer to it than to any other claim
KEEP_WITHIN = 0.08  # claims this close to the best one are kept too
MIN_LEXICAL = 0.25
TOPIC_SHARE = 0.3  # a term in more than this share of the article's sentences is its topic
TOPIC_MIN_SENTENCES = 3
ABOVE_ARTICLE_BASELINE = 0.15  # "closest by meaning" must stand out from the article's average
SIMILARITY_FLOOR = 0.2
SIMILARITY_SPAN = 0.5
RELATIVE_TO_BEST = 0.7


@dataclass
class Judgment:
    stance: str
    because: str
    confidence: float
    relatedness: float


def content_terms(text: str, aliases: dict[str, str]) -> set[str]:
    """Normalised content words: lemmas, aliases folded, demonyms to countries."""
    terms = set()
    table = demonyms()
    text = _fold_aliases(text, aliases)
    for word in re.findall(r"[A-Za-z][A-Za-z0-9.\-']*[A-Za-z0-9]|[A-Za-z]", text):
        lower = word.lower().strip(".'")
        if lower in STATEMENT_STOP_WORDS or len(lower) < 2:
            continue
        country = table.get(lower) or table.get(word.strip("."))
        if country:
            terms.add(country.lower())
            continue
        terms.add(stem(lower))
    return terms


def _fold_aliases(text: str, aliases: dict[str, str]) -> str:
    for alias, canonical in aliases.items():
        if alias in text:  # no substring, no match: skip the regex (articles define hundreds of aliases)
            text = _alias_pattern(alias).sub(canonical, text)
    return text


@lru_cache(maxsize=4096)
def _alias_pattern(alias: str) -> re.Pattern:
    return re.compile(rf"\b{re.escape(alias)}\b")


def find_aliases(text: str) -> dict[str, str]:
    """Aliases the article defines: 'Daesh [Islamic State]', 'Islamic State (IS)', and acronyms."""
    aliases: dict[str, str] = {}
    for match in re.finditer(r"\b([A-Z][\w'-]*(?: [A-Z][\w'-]*){0,4}) [\[(]([A-Z][\w'-]*(?: (?:of |and |the )?[A-Z][\w'-]*){0,5})[\])]", text):
        first, second = match.group(1), match.group(2)
        if second.isupper() and len(second) <= 6:
            aliases[second] = first  # "Islamic State (IS)": the acronym names the phrase
        else:
            aliases[first] = second  # "Daesh [Islamic State]": the bracket explains the word
    words_in_text = None  # "\bACRONYM\b" matches exactly when ACRONYM is one of the text's \w+ runs
    for phrase in set(re.findall(r"\b(?:[A-Z][a-z]+ ){1,4}[A-Z][a-z]+\b", text)):
        words = [w for w in phrase.split() if w.lower() not in ("of", "and", "the")]
        acronym = "".join(w[0] for w in words)
        if words_in_text is None:
            words_in_text = set(re.findall(r"\w+", text))
        if len(acronym) >= 2 and acronym in words_in_text:
            aliases.setdefault(acronym, phrase)
    return aliases


def _sentences(text: str) -> list[str]:
    """Sentences, and within them clauses joined by 'however'/'but'/';' (each may take a side)."""
    units = []
    for sentence in re.split(r"(?<=[.!?])[\"”’]?\s+(?=[\"“A-Z])", text):
        sentence = sentence.strip()
        if not sentence:
            continue
        clauses = [c.strip(" ,;") for c in re.split(r",?\s*\b(?:however|but|although|though|yet|whereas)\b,?\s*|;\s*", sentence)]
        clauses = [c for c in clauses if len(c.split()) >= 3]
        units.extend(clauses if len(clauses) > 1 else [sentence])
    return units


def negation_count(text: str) -> int:
    return len(NEGATORS.findall(text))


# Verbs whose claim is that something happened ("Iran carried out strikes", "the dam burst").
OCCURRENCE_VERBS = {
    "carry", "conduct", "launch", "happen", "occur", "take", "hold", "stage", "do", "make", "commit",
    "perform", "hit", "strike", "attack", "bomb", "kill", "die", "shoot", "burst", "collapse", "break",
    "crash", "explode", "arrest", "capture", "detain", "fly", "invade", "raid", "seize", "destroy",
    "damage", "injure", "wound", "sink", "fire", "execute", "sign", "meet", "exist",
}


def _argument_heads_all(claims: list[str], aliases: dict[str, str]) -> list[set[str]]:
    """_argument_heads of several claims, parsed in one batch."""
    from claimledger.nlp.pipeline import load_nlp, tokenizable

    docs = load_nlp().pipe([tokenizable(_fold_aliases(claim, aliases)) for claim in claims])
    return [_argument_heads(doc, aliases) for doc in docs]


def _argument_heads(doc, aliases: dict[str, str]) -> set[str]:
    """For a parsed claim that something happened, the terms of what happened (subject/object heads).

    Only such claims let a statement that merely names the event ("such strikes occurred") speak to
    them; a claim about how, why or when ("the fire was started deliberately") needs more.
    """
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.lemma_.lower() not in OCCURRENCE_VERBS:
        return set()
    for child in root.children:
        if child.dep_ in ("advmod", "agent", "npadvmod", "advcl") or (
            child.dep_ == "prep" and any(t.ent_type_ in ("DATE", "TIME") for t in child.subtree)
        ):
            return set()  # the claim is about manner, cause or time, not occurrence
    heads = set()
    for token in doc:
        if token.dep_ in ("nsubj", "nsubjpass", "dobj") and token.pos_ in ("NOUN", "PROPN"):
            if token.ent_type_ in ("GPE", "NORP", "PERSON", "ORG"):
                continue  # who did it is not what happened
            heads |= content_terms(token.text, aliases)
    return heads


class StatementStance:
    """Judges statements against a fixed set of claims within one article."""

    def __init__(self, claims: list[tuple[str, str]], article_text: str, encoder=None, use_model: bool = False,
                 model_relatedness: bool = False):
        self.aliases = find_aliases(article_text)
        # Opt-in: the claim–statement stance model (models/statement_stance/, when installed) decides
        # which side a unit takes, and with ``model_relatedness`` also which claims it speaks to.
        # Off by default: the model trained so far is below the rules on the seed article
        # (bench/RESULTS.md, "Statement stance model"), so the rules decide.
        self.model = load_statement_model() if use_model else None
        self.model_relatedness = model_relatedness and self.model is not None
        self._model_probs: dict[tuple[str, str], np.ndarray] = {}
        self.claims = claims
        self.claim_terms = {cid: content_terms(text, self.aliases) for cid, text in claims}
        # Words in every sentence of the article ("Iran" in a story about Iran) say little about
        # which claim a statement speaks to; weight terms by their rarity within the article.
        sentences = [t for t in re.split(r"(?<=[.!?])\s+", article_text) if t.strip()]
        frequency: dict[str, int] = {}
        for sentence in sentences:
            for term in content_terms(sentence, self.aliases):
                frequency[term] = frequency.get(term, 0) + 1
        # PRIOR_SENTENCES unseen sentences in which no term occurs: a short text (one statement
        # judged on its own) has no topic words, and its own words must keep their weight.
        total = max(1, len(sentences)) + PRIOR_SENTENCES
        self.weight = lambda term: math.log((total + 1) / (frequency.get(term, 0) + 0.5))
        self.compounds = {
            cid: {a + b: (a, b) for a, b in zip(words, words[1:])}
            for cid, words in ((cid, [w.lower() for w in re.findall(r"[A-Za-z]+", text)]) for cid, text in claims)
        }
        # What each claim says that no other claim says: the part a statement must touch.
        # The article's topic words ("fire" in a story about a fire) are in nearly every sentence;
        # sharing them says a statement is on the story, not which claim it speaks to.
        topic = {term for term, count in frequency.items() if count >= TOPIC_MIN_SENTENCES and count > TOPIC_SHARE * total}
        self.distinctive = {
            cid: terms - topic - set().union(*(other for oid, other in self.claim_terms.items() if oid != cid))
            for cid, terms in self.claim_terms.items()
        }
        self.countries = {country.lower() for country in demonyms().values()}
        self.claim_heads = dict(zip((cid for cid, _ in claims), _argument_heads_all([text for _, text in claims], self.aliases)))
        self.claim_negations = {cid: negation_count(text) for cid, text in claims}
        self.encoder = encoder
        self._vectors: dict[str, np.ndarray] = {}
        self._baseline: dict[str, float] = {}
        self.claim_vectors = None
        if encoder is not None and claims:
            self.claim_vectors = encoder.encode([_fold_aliases(text, self.aliases) for _, text in claims])

    def relatedness(self, units: list[str]) -> list[list[float]]:
        """scores[u][c]: share of claim c's (rarity-weighted) content words that unit u has (0..1)."""
        scores = []
        for unit in units:
            terms = content_terms(unit, self.aliases)
            words = {w.lower() for w in re.findall(r"[A-Za-z]+", unit)}
            row = []
            for cid, _ in self.claims:
                claim_terms = self.claim_terms[cid]
                matched = terms & claim_terms
                for word in words:  # "airstrikes" for "air strikes"
                    if word in self.compounds[cid]:
                        matched |= {stem(part) for part in self.compounds[cid][word]} & claim_terms
                coverage = sum(self.weight(t) for t in matched) / max(1e-9, sum(self.weight(t) for t in claim_terms))
                row.append(coverage)
            scores.append(row)
        return scores

    def prime(self, contents: list[str]) -> None:
        """Encode every unit of every statement in one batch (the encoder is fastest batched)."""
        if self.model is not None:
            self._model_prime([u for content in contents for u in (_sentences(content) or [content])])
            if self.model_relatedness:
                return
        if self.encoder is None or self.claim_vectors is None:
            return
        units = sorted({u for content in contents for u in (_sentences(content) or [content])} - self._vectors.keys())
        if units:
            vectors = self.encoder.encode([_fold_aliases(u, self.aliases) for u in units])
            self._vectors.update(zip(units, vectors))
        if self._vectors and (units or not self._baseline):  # unchanged vectors, unchanged baseline
            # how close the article's statements are to each claim on average: the story's baseline
            matrix = np.stack(list(self._vectors.values())) @ self.claim_vectors.T
            self._baseline = {cid: float(matrix[:, i].mean()) for i, (cid, _) in enumerate(self.claims)}

    def judge(self, content: str, cue_class: str, refused: bool, negated_cue: bool, context_claims: list[str] | None = None) -> dict[str, Judgment]:
        """Stance toward every claim the statement speaks to; claims not in the result are unrelated.

        A unit (sentence or clause) speaks to a claim when it shares the claim's *distinctive*
        content (words no other claim has), or when the claim is clearly the closest by meaning.
        A unit that shares only what several claims have in common ("such strikes occurred" when
        one claim is that strikes happened and another that they were coordinated) speaks to the
        most basic of them, the first; a unit that only points back ("the incident") speaks to the
        claims of the statement before it.
        """
        results: dict[str, Judgment] = {}
        if not self.claims:
            return results
        units = _sentences(content) or [content]
        if self.model_relatedness:
            return self._model_judge(units, cue_class, refused, negated_cue, context_claims)
        lexical = self.relatedness(units)
        similarity = self._similarities(units)
        chosen: dict[str, tuple[float, str]] = {}
        for u_index, unit in enumerate(units):
            terms = self._unit_terms(unit)
            passing = []
            for c_index, (cid, _) in enumerate(self.claims):
                sims = similarity[u_index] if similarity is not None else None
                distinctive = terms & self.distinctive[cid]
                closest = False
                if sims is not None:
                    others = [sims[j] for j in range(len(self.claims)) if j != c_index]
                    margin = sims[c_index] - (max(others) if others else 0.0)
                    floor = max(CLOSEST_MIN_SIMILARITY, self._baseline.get(cid, 0.0) + ABOVE_ARTICLE_BASELINE)
                    closest = sims[c_index] >= floor and margin >= CLOSEST_MARGIN
                if (distinctive and lexical[u_index][c_index] >= MIN_LEXICAL) or closest:
                    passing.append(c_index)
            if passing and similarity is not None:
                best = max(similarity[u_index][c] for c in passing)
                passing = [c for c in passing if similarity[u_index][c] >= best - KEEP_WITHIN]
            if not passing:
                # Only the claim's own event or thing ("strikes", "fire") links a unit that shares
                # nothing distinctive: "such strikes occurred", "the fire began before midnight".
                shared = [c for c, (cid, _) in enumerate(self.claims) if terms & self.claim_heads[cid]]
                if shared:
                    passing = [shared[0]]
                elif ANAPHORIC.search(unit) and context_claims:
                    passing = [c for c, (cid, _) in enumerate(self.claims) if cid in context_claims]
            for c_index in passing:
                cid = self.claims[c_index][0]
                score = max(lexical[u_index][c_index], similarity[u_index][c_index] if similarity is not None else 0.0)
                if cid not in chosen or score > chosen[cid][0]:
                    chosen[cid] = (score, unit)
        for cid, (score, unit) in chosen.items():
            stance = self._polarity(unit, cid, cue_class, refused, negated_cue)
            results[cid] = Judgment(stance=stance, because=unit, confidence=round(min(1.0, max(score, 0.3)), 2), relatedness=score)
        return results

    def _model_prime(self, units: list[str]) -> None:
        """Run the model on every (claim, unit) pair not yet judged, in one batch."""
        todo = sorted({(cid, _fold_aliases(u, self.aliases)) for u in units for cid, _ in self.claims} - self._model_probs.keys())
        if not todo:
            return
        texts = dict(self.claims)
        probs = self.model.predict_proba([_fold_aliases(texts[cid], self.aliases) for cid, _ in todo], [u for _, u in todo])
        self._model_probs.update(zip(todo, probs))

    def _model_side(self, unit: str, claim_id: str) -> str:
        """The model's support / deny / neutral for the unit's content, unrelated left aside."""
        self._model_prime([unit])
        p = self._model_probs[(claim_id, _fold_aliases(unit, self.aliases))]
        return MODEL_LABELS[int(np.argmax(p[: MODEL_LABELS.index("unrelated")]))]

    def _model_judge(self, units, cue_class, refused, negated_cue, context_claims) -> dict[str, Judgment]:
        """The model's verdict: per claim, the unit that most plainly speaks to it decides.

        A unit speaks to a claim when the model puts more than half its probability on a side or on
        neutral (not unrelated). A unit that only points back ("the incident", "such strikes") and
        speaks to nothing by itself speaks to the claims of the statement before it.
        """
        self._model_prime(units)
        unrelated = MODEL_LABELS.index("unrelated")
        chosen: dict[str, tuple[float, str, np.ndarray]] = {}
        for unit in units:
            folded = _fold_aliases(unit, self.aliases)
            for cid, _ in self.claims:
                p = self._model_probs[(cid, folded)]
                related = 1.0 - float(p[unrelated])
                if related > 0.5 and (cid not in chosen or related > chosen[cid][0]):
                    chosen[cid] = (related, unit, p)
        if not chosen and context_claims:
            for unit in units:
                if ANAPHORIC.search(unit):
                    folded = _fold_aliases(unit, self.aliases)
                    for cid in context_claims:
                        if (cid, folded) in self._model_probs:
                            p = self._model_probs[(cid, folded)]
                            chosen.setdefault(cid, (1.0 - float(p[unrelated]), unit, p))
        results = {}
        for cid, (related, unit, p) in chosen.items():
            side = p[:unrelated] / max(1e-9, float(p[:unrelated].sum()))  # support / deny / neutral given related
            content_stance = MODEL_LABELS[int(side.argmax())]
            stance = content_stance
            if refused or negated_cue or INNER_REFUSAL.search(unit):
                stance = "neutral"  # "declined to confirm", "did not deny", "could not say whether"
            elif cue_class == "denial" and content_stance != "neutral":
                stance = "deny" if content_stance == "support" else "support"  # denying P denies P
            confidence = round(related * float(side.max()), 2)
            results[cid] = Judgment(stance=stance, because=unit, confidence=max(confidence, 0.01), relatedness=round(related, 3))
        return results

    def _unit_terms(self, unit: str) -> set[str]:
        terms = content_terms(unit, self.aliases)
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", unit)}
        for cid, compounds in self.compounds.items():
            for word in words & compounds.keys():
                terms |= {stem(part) for part in compounds[word]}
        return terms

    def _similarities(self, units: list[str]):
        if self.encoder is None or self.claim_vectors is None:
            return None
        self.prime(units)
        vectors = np.stack([self._vectors[u] for u in units])
        return (vectors @ self.claim_vectors.T).tolist()

    def _polarity(self, unit: str, claim_id: str, cue_class: str, refused: bool, negated_cue: bool) -> str:
        """Which side the unit takes on the claim, turned by what the cue says about the content."""
        if refused:
            return "neutral"
        if negated_cue or INNER_REFUSAL.search(unit):
            return "neutral"  # "did not deny", "she could not say whether …": no side taken
        if self.model is not None:
            side = self._model_side(unit, claim_id)
            if side == "neutral":
                return "neutral"  # a hedge or a conditional: "any strikes would be welcome"
            asserts = side == "support"
        else:
            hedged = HEDGING_MODAL.search(unit) and not self._hedge_beside_claim(unit, claim_id)
            if cue_class != "denial" and (
                    UNSETTLED.search(unit) or (negation_count(unit) == 0 and (NON_COMMITTAL.search(unit) or hedged))):
                return "neutral"  # an open question stays open with a "not" in it: "it is not yet clear whether"
            asserts = self._content_agrees(unit, claim_id, cue_class)
        if cue_class == "denial":
            asserts = not asserts  # denying content that asserts the claim denies the claim
        return "support" if asserts else "deny"

    def _content_agrees(self, unit: str, claim_id: str, cue_class: str) -> bool:
        """Does the content, taken as true, agree with the claim? Decided by negation: presence,
        not parity, as news rarely double-negates ('would "not be appropriate" and "would not be
        right"' is two denials).

        The FNC-1 cross-encoder was tried here and left out: trained on headlines against whole
        articles, on single statements it leans to "agree" (it reads "the blaze was caused by an
        electrical fault" as agreeing with "the fire was started deliberately").
        """
        count = negation_count(unit) - self._negations_beside_claim(unit, claim_id) - _cancelled_by_doubt(unit)
        if cue_class == "denial":
            # "dismissed claims that … as baseless": the verdict words restate the denial
            count -= len(EVALUATIVE.findall(unit))
        return not count > self.claim_negations[claim_id]

    def _negations_beside_claim(self, unit: str, claim_id: str) -> int:
        """How many of the unit's "not"/"never"/"without" negate a detail of an event the unit presupposes.

        A negation's scope is the word it negates with that word's dependents other than its subject
        ("the strikes were *not coordinated with the US*"; "struck *without telling Washington*"). When
        no claim term is in that scope, and what the sentence takes as given (its subject, or the verb
        "without" hangs on) is the claim's event, the negation denies a detail and presupposes the
        event: "the strikes were not coordinated with the US military" supports "Iran carried out
        strikes". "Iran has never bombed the rebels" and "Tanaka has not been detained" (toward
        "police arrested Tanaka") still deny.
        """
        if not _SCOPED_NEGATION.search(unit):
            return 0  # no "not", "never" or "without": nothing to parse
        folded = _fold_aliases(unit, self.aliases)
        beside = sum(1 for kind, scope, given in _operator_scopes(folded)
                     if kind == "negation" and self._beside_claim(scope, given, claim_id))
        # "detained, but not charged", "will work with Japan, but not on the ground": the clause before
        # asserts, the "not" only narrows it. Not a cause ("failed, but not because of sabotage").
        claim_families = {prefix_stem(term, 5) for term in self.claim_terms[claim_id]}
        for match in RESTRICTING_NOT.finditer(folded):
            narrowed = {prefix_stem(term, 5) for term in content_terms(match.group("what"), self.aliases)}
            if not narrowed & claim_families:
                beside += 1
        return beside

    def _hedge_beside_claim(self, unit: str, claim_id: str) -> bool:
        """Whether every "may"/"might" of the unit hedges a detail of an event it takes as given:
        "the strikes may be the first of their kind" still says the strikes happened."""
        hedges = [(scope, given) for kind, scope, given in _operator_scopes(_fold_aliases(unit, self.aliases)) if kind == "hedge"]
        return bool(hedges) and all(self._beside_claim(scope, given, claim_id) for scope, given in hedges)

    def _beside_claim(self, scope: str, given: str, claim_id: str) -> bool:
        """No word of the claim's families in the operator's scope, and the claim's event taken as given.
        Families are the first five letters, so that "cooperation" is the claim's "cooperate"."""
        claim_families = {prefix_stem(term, 5) for term in self.claim_terms[claim_id]}
        in_scope = {prefix_stem(term, 5) for term in content_terms(scope, self.aliases)}
        taken_as_given = {prefix_stem(term, 5) for term in content_terms(given, self.aliases)}
        return not in_scope & claim_families and bool(taken_as_given & claim_families)


RESTRICTING_NOT = re.compile(
    r",\s*(?:but|though|although|yet)\s+not\s+(?!because\b|due\b|caused\b|from\b|by\b)(?P<what>[^,;.]+)", re.I)


def _cancelled_by_doubt(unit: str) -> int:
    """Negations that a negated doubt cancels: the negator, and the doubt word when it is itself a
    negation ("denies")."""
    cancelled = 0
    for match in NEGATED_DOUBT.finditer(unit):
        doubt = match.group("doubt") or match.group("doubt2")
        cancelled += 1 + (1 if NEGATORS.fullmatch(doubt) else 0)
    return cancelled


_SCOPED_NEGATION = re.compile(r"\b(?:not|never|without)\b|n't\b", re.I)
_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl")
# Predicates whose negation denies their subject itself: "the takeover has not happened", "the
# report is not true".
_EXISTENCE_PREDICATES = frozenset({"happen", "occur", "exist", "take", "true", "real", "correct", "accurate", "genuine"})
_NOT_IN_SCOPE = ("aux", "auxpass", "neg", "punct", "cc", "conj")


@lru_cache(maxsize=4096)
def _operator_scopes(unit: str) -> tuple[tuple[str, str, str], ...]:
    """For each negation ("not"/"n't"/"never", dependency ``neg``; "without") and each hedge ("may",
    "might"): its kind ("negation" or "hedge"), the text it applies to, and the event the sentence
    takes as given.

    For "not" (and a hedge), the scope is the negated word with its dependents other than its subject and
    auxiliaries, and the given event is the subject's head noun with its compounds ("the Iranian
    *strikes* were not coordinated"); for "without", the scope is its object and the given event is
    the verb it hangs on ("Iran *struck* without telling Washington"). Proper nouns are never the
    event: who did it is not what happened.
    """
    from claimledger.nlp.pipeline import load_nlp, tokenizable

    doc = load_nlp()(tokenizable(unit))
    scopes = []
    for token in doc:
        kind = "negation"
        if token.lower_ in ("may", "might") and token.dep_ == "aux":
            kind, head = "hedge", token.head
            inside, given = _scope_of(head, token)
        elif token.dep_ == "neg":
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if following is not None and following.pos_ in ("ADP", "DET", "NOUN", "PROPN", "PRON", "NUM"):
                continue  # "…, not of the drug", "not sabotage": a contrast, read as a plain negation
            head = token.head
            if head.lemma_.lower() in _EXISTENCE_PREDICATES or any(
                    c.dep_ == "acomp" and c.lemma_.lower() in _EXISTENCE_PREDICATES for c in head.children):
                continue  # the negation is of the given event itself
            inside, given = _scope_of(head, token)
        elif token.lower_ == "without" and token.dep_ == "prep":
            inside = [t for t in token.subtree if t is not token]
            given = [token.head] if token.head.pos_ == "VERB" else []
        else:
            continue
        scopes.append((kind, " ".join(t.text for t in inside), " ".join(t.text for t in given)))
    return tuple(scopes)


def _scope_of(head, operator) -> tuple[list, list]:
    """The words an operator on ``head`` applies to (head and its dependents other than subject and
    auxiliaries), and the subject's head noun with its compounds (what is taken as given)."""
    inside, given = [head], []
    for child in head.children:
        if child.dep_ in _SUBJECTS:
            if child.pos_ == "NOUN" or child.tag_ == "VBG":  # "the strikes", "the shelling"
                given = [child, *(c for c in child.children if c.dep_ == "compound" and c.pos_ == "NOUN")]
        elif child.dep_ not in _NOT_IN_SCOPE and child is not operator:
            inside.extend(child.subtree)
    return inside, given
