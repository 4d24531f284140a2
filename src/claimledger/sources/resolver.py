"""Source resolution: turn the source mentions of an article's attributions into sources.

Within one article, mentions of one speaker become one :class:`~claimledger.records.Source`:
full names with titles and surnames ("Rear Adm. John Kirby" = "Kirby"), appositive roles ("An Iraqi
security expert, Hisham al-Hashemi"), role descriptions ("White House spokesman Josh Earnest"),
the news habit of introducing a speaker by role and naming them in the next sentences ("said a
Pentagon spokesman … Rear Adm. John Kirby told AFP"), and pronouns (he/she/they) resolved to the
nearest compatible speaker. Role, affiliation and country come from the words of the mentions.
Coreference libraries for spaCy cannot be installed offline (see DEPENDENCIES), so this is ours.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.tokens import Token

from claimledger.attribution.extractor import RawAttribution, SourceMention
from claimledger.attribution.outlets import is_outlet_name
from claimledger.records import Mention, Source
from claimledger.wordlists import read_word_list

if TYPE_CHECKING:
    from claimledger.nlp.pipeline import ParsedArticle

_DATA_DIR = Path(__file__).with_name("data")
_DEMONYMS = _DATA_DIR / "demonyms.tsv"
_EVIDENCE_HEADS = _DATA_DIR / "evidence_heads.txt"
_ORGANISATION_WORDS = _DATA_DIR / "organisation_words.txt"
# Nouns for businesses ("the company", "the maker", "the Danish drugmaker"): an unnamed mention headed
# by one is the organisation the article names (see _merge_organisation_descriptions).
BUSINESS_HEADS = read_word_list(_DATA_DIR / "business_heads.txt")
# Nouns for news outlets ("Karvia's largest newspaper, Glas Naroda").
OUTLET_NOUNS = read_word_list(_DATA_DIR / "outlet_nouns.txt")
# "One of them, Pavel Dobrev", "another of the workers": a partitive is not a role.
_PARTITIVE = re.compile(r"^(one|two|three|some|several|many|most|all|both|each|either|another|none)\b(\s+of\b.*)?$", re.I)
TITLES = read_word_list(_DATA_DIR / "titles.txt")  # "Dr.", "Gen.", "Senator": before a name, never in it
FEMALE_TITLES = read_word_list(_DATA_DIR / "female_titles.txt")
MALE_TITLES = read_word_list(_DATA_DIR / "male_titles.txt")
GOVERNMENT_ROLES = read_word_list(_DATA_DIR / "government_roles.txt")
# Head nouns of bodies ("the ministry") and of documents whose owner speaks ("the ministry's statement").
ORGANISATION_HEADS = read_word_list(_DATA_DIR / "organisation_heads.txt")
DOCUMENT_HEADS = read_word_list(_DATA_DIR / "document_heads.txt")
# "statement" is a document head only: "John Kirby's statement" is Kirby's words, not a body named
# Kirby (describe tests documents before bodies; _document_owner hands the statement to its owner).
_NAMED_BODY_HEADS = ORGANISATION_HEADS
PLURAL_PRONOUNS = {"they", "them", "we", "their", "our"}
# How many sentences back a pronoun or an unnamed role may reach for its speaker.
PRONOUN_WINDOW = 6
PRONOUN_REACH_CHARS = 800
INTRODUCTION_WINDOW = 2


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    table = {}
    for line in _DEMONYMS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        word, country = line.split("\t", 1)
        table[word.strip().lower()] = country.strip()
    return table


@lru_cache(maxsize=1)
@lru_cache(maxsize=1)
def evidence_heads() -> frozenset[str]:
    """Lemmas of nouns that name evidence (video, records, documents), never a source."""
    return read_word_list(_EVIDENCE_HEADS)


@lru_cache(maxsize=1)
def organisation_words() -> frozenset[str]:
    """Words that end organisation names ("Pharma", "Logistics", "Ltd")."""
    return read_word_list(_ORGANISATION_WORDS)


def _business_noun(word: str) -> bool:
    word = word.strip(",.").removesuffix("'s").removesuffix("’s")
    return _business_head(word) or (word.endswith("s") and _business_head(word[:-1]))


def _business_head(lemma: str) -> bool:
    return lemma in BUSINESS_HEADS or (lemma.endswith("maker") and len(lemma) > 5)


@lru_cache(maxsize=1)
def _gender_detector():
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


def first_name_gender(first_name: str) -> str | None:
    """'m', 'f' or None, from gender-guesser's first-name lists (used only to rule out pronouns)."""
    guess = _gender_detector().get_gender(first_name.strip(".,"))
    return {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}.get(guess)


@dataclass
class MentionFacts:
    """What one mention says about its speaker."""

    text: str
    name: str | None = None  # a person's or organisation's name
    surname: str | None = None
    role: str | None = None
    affiliation: str | None = None
    country: str | None = None
    kind: str = "person"
    plural: bool = False
    gender: str | None = None
    pronoun: str | None = None
    definite_description: bool = False


@dataclass
class _Cluster:
    facts: list[MentionFacts] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    attributions: list[RawAttribution] = field(default_factory=list)
    anonymous: bool = False
    first_sentence: int = 0
    last_sentence: int = 0
    offsets: list[int] = field(default_factory=list)  # where its mentions start (background ones too)

    @property
    def name(self) -> str | None:
        names = [f.name for f in self.facts if f.name and f.kind in ("person", "organization", "outlet")]
        return max(names, key=len) if names else None

    @property
    def surname(self) -> str | None:
        return next((f.surname for f in self.facts if f.surname), None)

    def first(self, attribute: str) -> str | None:
        values = [getattr(f, attribute) for f in self.facts if getattr(f, attribute)]
        return max(values, key=len) if values else None

    @property
    def kind(self) -> str:
        named = [f for f in self.facts if f.pronoun is None and f.name]
        if named:  # the fullest name decides: "Henrik Sandvik" over a bare "Sandvik" tagged ORG
            return max(named, key=lambda f: len(f.name)).kind
        kinds = [f.kind for f in self.facts if f.pronoun is None]
        return kinds[0] if kinds else "person"

    @property
    def plural(self) -> bool:
        return any(f.plural for f in self.facts if f.pronoun is None)

    @property
    def gender(self) -> str | None:
        return next((f.gender for f in self.facts if f.gender), None)


def describe(mention: SourceMention) -> MentionFacts:
    """Read name, role, affiliation, country, kind and number off a mention's tokens.

    A pronoun says only number, gender and kind; otherwise the first of ``NAME_READINGS`` that applies
    reads the name and kind, and role, gender, affiliation and country follow from it.
    """
    tokens = mention.tokens or ([mention.head] if mention.head is not None else [])
    head = mention.head
    facts = MentionFacts(text=mention.text)
    if head is None:
        return facts
    if head.pos_ == "PRON":
        return _pronoun_facts(facts, head.lower_)
    name_indices = next(indices for reading in NAME_READINGS if (indices := reading(mention, tokens, head, facts)) is not None)
    if facts.name and facts.kind in ("person", "organization"):
        facts.kind = _kind_of_name(facts.name, facts.kind, head)
        if facts.kind == "organization" and len(facts.name.split()) > 1:
            facts.surname = None
    facts.plural = head.tag_ in ("NNS", "NNPS") or any(t.dep_ == "conj" and t.head == head for t in tokens)
    if facts.plural and facts.kind == "person" and not facts.name:
        facts.kind = "group"
    person_named = any(t.ent_type_ == "PERSON" for t in tokens)
    role_words = _role_words(tokens, facts, name_indices, person_named)
    role = _clean_role(" ".join(role_words))
    if role and role.lower() != (facts.name or "").lower():
        facts.role = role
    facts.gender = _gender(facts, role_words + [t.text for t in tokens])
    facts.affiliation = _affiliation(tokens, facts)
    facts.country = _country(tokens)
    return facts


def _pronoun_facts(facts: MentionFacts, pronoun: str) -> MentionFacts:
    """'they' is a group, 'it' an organisation, 'she' a woman: what a pronoun says of its speaker."""
    facts.pronoun = pronoun
    facts.plural = pronoun in PLURAL_PRONOUNS
    facts.gender = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}.get(pronoun)
    facts.kind = "group" if facts.plural else ("organization" if pronoun == "it" else "person")
    return facts


# Each reading fills a mention's name and kind into its facts and returns the indices of the name's
# tokens (empty when it leaves them to the role step), or None when it does not apply.
_NameReading = Callable[[SourceMention, list, Token, MentionFacts], set[int] | None]


def _person_entity(mention: SourceMention, tokens: list, head: Token, facts: MentionFacts) -> set[int] | None:
    """'An Iraqi security expert, Hisham al-Hashemi': a PERSON entity is the name; 'Dolmar's defence
    ministry', "Karvia's largest newspaper, Glas Naroda": a body head makes it the body's owner or name."""
    person_tokens = [t for t in tokens if t.ent_type_ == "PERSON"]
    if not person_tokens:
        return None
    name_tokens = _contiguous_entity(person_tokens, prefer=head)
    name_indices = {t.i for t in name_tokens}
    facts.name = _clean_name(" ".join(t.text for t in name_tokens))
    facts.surname = _surname(facts.name)
    facts.kind = "person"
    head_lemma = head.lemma_.lower()
    if (head.pos_ == "NOUN" or head.text.islower()) and head.i not in name_indices and (head_lemma in _NAMED_BODY_HEADS or head_lemma in OUTLET_NOUNS):
        owner = all(any(a.dep_ == "poss" for a in [t, *t.ancestors] if a.i != head.i) for t in name_tokens)
        facts.kind = "outlet" if head_lemma in OUTLET_NOUNS else "organization"
        if owner:
            facts.name = _clean_name(re.sub(r"^(?:the|The)\s+", "", mention.text))
            name_indices = {t.i for t in tokens}
        facts.surname = None
    return name_indices


def _appositive(mention: SourceMention, tokens: list, head: Token, facts: MentionFacts) -> set[int] | None:
    """"Karvia's interior minister, Alek Voss": a role head with a proper-name appositive; "A ministry
    spokeswoman, Col. Irina Petek" is a person, a body head with an appositive name is the body."""
    name_tokens = _appositive_name(head)
    if not name_tokens:
        return None
    facts.name = _clean_name(" ".join(t.text for t in name_tokens))
    facts.surname = _surname(facts.name)
    if head.lemma_.lower() in _NAMED_BODY_HEADS or _business_head(head.lemma_.lower()) or is_outlet_name(head.text):
        facts.kind = "outlet" if is_outlet_name(f"{facts.name} {head.text}") else "organization"
    else:
        facts.kind = "person"
    return {t.i for t in name_tokens}


def _proper_name(mention: SourceMention, tokens: list, head: Token, facts: MentionFacts) -> set[int] | None:
    """"Ortiz", "Minister Alek Voss": a proper-name head the tagger did not call a place or a group is a person."""
    if not ((head.pos_ == "PROPN" or _capitalised_mid_sentence(head)) and head.ent_type_ in ("", "PERSON")
            and head.tag_ != "NNPS" and not _is_country_word(head.text)):
        return None
    facts.name = _clean_name(" ".join(t.text for t in tokens if t.pos_ == "PROPN" and t.ent_type_ in ("", "PERSON")))
    facts.surname = _surname(facts.name) if facts.name else None
    facts.kind = "person"
    return set()


def _organisation_entity(mention: SourceMention, tokens: list, head: Token, facts: MentionFacts) -> set[int] | None:
    """"Human Rights Watch", "Reuters": an ORG or FAC entity (or a proper name that is no place) is an
    organisation or an outlet; a one-word one may be a person's surname mis-tagged."""
    if not (head.ent_type_ in ("ORG", "FAC") or (head.pos_ == "PROPN" and head.ent_type_ not in ("GPE", "NORP"))):
        return None
    ent_tokens = [t for t in tokens if t.ent_type_ == head.ent_type_] or [head]
    facts.name = _clean_name(" ".join(t.text for t in _contiguous_entity(ent_tokens, prefer=head)))
    facts.kind = "outlet" if is_outlet_name(facts.name) else "organization"
    if len(facts.name.split()) == 1:
        facts.surname = facts.name
    return set()


def _common_noun(mention: SourceMention, tokens: list, head: Token, facts: MentionFacts) -> set[int] | None:
    """"the video", "the report", "Britain's Guardian newspaper", "the ministry", "officials": the head
    noun says the kind (evidence, document, outlet, body, group or person), the owner may name it."""
    lemma = head.lemma_.lower()
    if lemma in evidence_heads() or head.lower_ in evidence_heads():
        facts.kind = "evidence"
    elif lemma in DOCUMENT_HEADS:
        facts.kind = "document"
    elif is_outlet_name(mention.text) or _names_outlet(mention.text):
        facts.kind = "outlet"
        facts.name = _clean_name(re.sub(r"^(?:the|The)\s+", "", mention.text))
    elif (lemma in ORGANISATION_HEADS or _business_head(lemma)) and head.tag_ in ("NNS", "NNPS"):
        facts.kind = "group"  # "Patient groups", "the ministries": several bodies, none named
    elif lemma in ORGANISATION_HEADS or _business_head(lemma):
        facts.kind = "organization"
    elif head.ent_type_ in ("GPE", "NORP"):
        facts.kind = "organization"
    else:
        facts.kind = "group" if head.tag_ in ("NNS", "NNPS") else "person"
    first = tokens[0].lower_ if tokens else ""
    facts.definite_description = first in ("the", "this", "that")
    owner = next((c for c in head.children if c.dep_ == "poss" and c.ent_type_ in ("GPE", "ORG", "NORP")), None)
    if owner is not None and facts.kind == "organization":
        # "Dolmar's defence ministry": the owner makes the description a name
        facts.name = _clean_name(mention.text)
    return set()


# How a mention's name and kind are read, tried in order; the first that applies decides (the last always does).
NAME_READINGS: tuple[_NameReading, ...] = (_person_entity, _appositive, _proper_name, _organisation_entity, _common_noun)


def _role_words(tokens: list, facts: MentionFacts, name_indices: set[int], person_named: bool) -> list[str]:
    """The descriptive words that are not the name, not determiners and not an "of ORG" tail:
    "Pentagon spokesman" of "Pentagon spokesman John Kirby"; none for a named body."""
    if not name_indices and facts.name:
        name_indices = {t.i for t in tokens if t.text in facts.name.split()}
    affiliation_indices = {
        t.i for prep in tokens if prep.dep_ == "prep" and prep.lower_ == "of" and prep.head.i in name_indices
        for t in prep.subtree
    }
    role_words = [
        t.text for t in tokens
        if t.i not in name_indices and t.i not in affiliation_indices
        and t.dep_ not in ("det", "poss", "case") and t.text not in (",", "(", ")") and t.lower_ not in ("'s", "’s")
    ]
    joined: list[str] = []
    for word in role_words:  # "Col" "." split by the tokenizer is the one title "Col."
        if word == "." and joined:
            joined[-1] += "."
        else:
            joined.append(word)
    role_words = joined
    while role_words and role_words[-1].lower().rstrip(".") in TITLES and len(role_words) > 1 and role_words[-1].endswith("."):
        role_words = role_words[:-1]  # "chief medical officer, Dr." → the title goes with the name
    if facts.name and role_words and not person_named and facts.kind != "person":
        role_words = []
    return role_words


def _gender(facts: MentionFacts, words: list[str]) -> str | None:
    """'m' or 'f' by the last gendered title among ``words`` ("Mrs", "spokesman"), else for a named
    person by the first name; the gender the facts had otherwise."""
    gender = facts.gender
    for word in words:
        lowered = word.lower().rstrip(".")
        if lowered in MALE_TITLES:
            gender = "m"
        elif lowered in FEMALE_TITLES:
            gender = "f"
    if gender is None and facts.kind == "person" and facts.name and len(facts.name.split()) >= 2:
        gender = first_name_gender(facts.name.split()[0])
    return gender


def _capitalised_mid_sentence(token) -> bool:
    """A capitalised word not at the start of its sentence: a name the tagger took for a noun."""
    return token.text[:1].isupper() and not token.is_sent_start and token.i > token.sent.start and token.lower_ not in TITLES


def _appositive_name(head) -> list:
    """The proper-name tokens of an appositive on a common-noun head, if it has one."""
    if head.pos_ != "NOUN":
        return []
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN":
            tokens = [t for t in child.subtree if t.pos_ == "PROPN" or t.text == "-"]
            return sorted(tokens, key=lambda t: t.i)
    return []


def _is_country_word(text: str) -> bool:
    return text.lower() in demonyms()


def _contiguous_entity(tokens, prefer):
    """The run of entity tokens containing ``prefer`` if any, else the longest run."""
    runs, current = [], []
    for token in sorted(tokens, key=lambda t: t.i):
        if current and token.i != current[-1].i + 1 and not (token.i == current[-1].i + 2 and token.doc[token.i - 1].text == "-"):
            runs.append(current)
            current = []
        if current and token.i == current[-1].i + 2:
            current.append(token.doc[token.i - 1])
        current.append(token)
    if current:
        runs.append(current)
    for run in runs:
        if prefer in run:
            return run
    return max(runs, key=len)


def _clean_name(name: str) -> str:
    name = re.sub(r"\s*-\s*", "-", name)
    name = re.sub(r"\s+'s$", "", name)
    words = name.split()
    while words and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words).strip(" ,")


def _surname(name: str | None) -> str | None:
    if not name:
        return None
    words = [w for w in name.split() if w.lower().rstrip(".") not in TITLES]
    return words[-1] if words else None


def _clean_role(role: str) -> str | None:
    role = re.sub(r"\s*-\s*", "-", re.sub(r"\s+", " ", role)).strip(" ,-")
    role = re.sub(r"\s+'s\b", "'s", role)
    if _PARTITIVE.match(role):
        return None
    return role or None


def _kind_of_name(name: str, kind: str, head) -> str:
    """Organisation when the name ends like one ('Vesterhavn Pharma'), whatever the tagger said."""
    words = name.split()
    if words[-1].lower() in organisation_words() and len(words) > 1:
        return "organization"
    if kind == "organization" and head.pos_ == "PROPN" and not is_outlet_name(name):
        first = head
        while first.i > 0 and first.doc[first.i - 1].pos_ == "PROPN" and first.doc[first.i - 1].text.rstrip(".").lower() not in TITLES:
            first = first.doc[first.i - 1]
        before = first.doc[first.i - 1].text.rstrip(".").lower() if first.i > 0 else ""
        if before in TITLES:
            return "person"  # "Col. Irina Petek": a title goes with a person's name
    return kind


def _names_outlet(text: str) -> bool:
    """"Britain's Guardian newspaper", "Russia's Interfax news agency": an outlet behind a possessive."""
    text = re.sub(r"^(?:the|The)\s+", "", text.strip())
    stripped = re.sub(r"^[A-Z][\w.]*(?:\s[A-Z][\w.]*)?['’]s\s+", "", text)
    return stripped != text and is_outlet_name(stripped)


def _affiliation(tokens, facts: MentionFacts) -> str | None:
    """An organisation named in the mention: 'White House spokesman', 'analyst … of IHS Jane's'."""
    name_words = set((facts.name or "").split())
    runs, current = [], []
    for token in tokens:
        if token.ent_type_ in ("ORG", "FAC") and token.text not in name_words:
            current.append(token)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    if runs:
        text = " ".join(t.text for t in max(runs, key=len))
        return re.sub(r"^(the|The)\s+", "", text.replace(" 's", "'s")).strip()
    return None


def _country(tokens) -> str | None:
    """The country a mention names, by demonym table, else a GPE owner ("Karvia's minister")."""
    found = _known_country(tokens)
    if found:
        return found
    for token in tokens:
        if token.ent_type_ == "GPE" and token.dep_ == "poss":
            return token.text
    return None


def _known_country(tokens) -> str | None:
    table = demonyms()
    words = [t.text for t in tokens]
    for size in (2, 1):
        for index in range(len(words) - size + 1):
            phrase = " ".join(words[index : index + size])
            base = phrase.split("-")[0]
            for candidate in (phrase, base):
                if candidate.lower() in table:
                    return table[candidate.lower()]
    return None


# --------------------------------------------------------------------------- clustering


def resolve_sources(attributions: list[RawAttribution], article: ParsedArticle | None = None) -> tuple[list[Source], dict[int, str]]:
    """Cluster the attributions' source mentions; return sources and attribution index → source id.

    With the parsed ``article``, the subjects of its other sentences ("Senator Paulo Reis opened
    the hearing …") are candidates too, so "He went on to say …" finds its antecedent even when
    that person spoke nowhere before; only clusters that made a statement become sources.
    """
    clusters: list[_Cluster] = []
    assignment: dict[int, _Cluster] = {}
    events: list[tuple[int, int, object]] = []  # (offset, order, mention-or-attribution index)
    if article is not None:
        for mention in _background_subjects(article, attributions):
            events.append((mention.start, 0, mention))
    for index, attribution in enumerate(attributions):
        if attribution.source is not None:
            events.append((attribution.source.start, 1, index))
    events.sort(key=lambda e: (e[0], e[1]))
    known = _ClusterIndex(clusters)
    for offset, _, item in events:
        if isinstance(item, int):
            continue
        facts = describe(item)
        if facts.pronoun or facts.kind == "evidence":
            continue
        sentence_index = item.sentence.index if item.sentence is not None else 0
        cluster = _find_cluster(known, facts, sentence_index, None, offset)
        if cluster is None:
            cluster = _Cluster(first_sentence=sentence_index, last_sentence=sentence_index)
            known.add_cluster(cluster)
            known.add_fact(cluster, facts)
        elif not cluster.facts or facts.name and not known.name(cluster):
            known.add_fact(cluster, facts)
        known.add_offset(cluster, offset)
    positions = _positions(attributions)
    for index, attribution in enumerate(attributions):
        mention = attribution.source
        if mention is None:
            continue
        mention = attribution.source = _document_owner(mention)
        if mention.carried_from is not None:
            carried = positions(mention.carried_from)
            if carried is not None and carried in assignment:
                cluster = assignment[carried]
                cluster.attributions.append(attribution)
                assignment[index] = cluster
                continue
        facts = describe(mention)
        if facts.kind == "evidence":
            continue  # "Video … appears to show", "records seen by Reuters": evidence, not a source
        sentence_index = mention.sentence.index if mention.sentence is not None else 0
        cluster = _find_cluster(known, facts, sentence_index, attribution, mention.start)
        if cluster is None:
            cluster = _Cluster(first_sentence=sentence_index)
            known.add_cluster(cluster)
        if not cluster.attributions:
            cluster.first_sentence = sentence_index
        known.add_offset(cluster, mention.start)
        known.add_fact(cluster, facts)
        cluster.mentions.append(
            Mention(
                text=mention.text,
                start=mention.start,
                end=mention.end,
                kind="pronoun" if facts.pronoun else ("name" if facts.name else ("group" if facts.plural else "description")),
            )
        )
        cluster.attributions.append(attribution)
        cluster.anonymous = cluster.anonymous or attribution.anonymous
        known.set_last_sentence(cluster, max(cluster.last_sentence, sentence_index))
        assignment[index] = cluster
    clusters = _merge_introductions([c for c in clusters if c.attributions])
    clusters = _merge_organisation_descriptions(clusters)
    if article is not None:
        _name_descriptions(clusters, article.text)
    sources, ids = _to_sources(clusters)
    mapping = {index: ids[id(_final(cluster, clusters))] for index, cluster in assignment.items()}
    return sources, mapping


def _final(cluster: _Cluster, clusters: list[_Cluster]) -> _Cluster:
    while getattr(cluster, "merged_into", None) is not None:
        cluster = cluster.merged_into  # type: ignore[attr-defined]
    return cluster


def _background_subjects(article, attributions) -> list[SourceMention]:
    """Subjects of the parsed sentences that name a person or a group (pronoun antecedents)."""
    from claimledger.attribution.extractor import mention_for
    from claimledger.attribution.quotes import find_quotations, quoted

    quotations = find_quotations(article.text, article.paragraphs)
    mentions = []
    for sentence in article.sentences:
        if sentence.span is None:
            continue
        for token in sentence.span:
            if token.dep_ not in ("nsubj", "nsubjpass") or token.pos_ == "PRON" or not token.text[:1].isalpha():
                continue
            if quoted(quotations, sentence.char_start(token)):
                continue  # people named inside someone's quotation are not the article's speakers
            if token.ent_type_ in ("PERSON", "ORG") or (token.pos_ == "PROPN" and token.ent_type_ == "") or (token.tag_ == "NNS" and token.ent_type_ == ""):
                mentions.append(mention_for(token, sentence))
    return mentions


class _Summary:
    """A cluster's name, surname, kind, number and gender, kept current fact by fact.

    The same values as the :class:`_Cluster` properties, which recompute them from every fact on
    each look-up; clustering looks them up for every mention, so it keeps these instead.
    """

    __slots__ = ("name", "surname", "named_length", "named_kind", "has_kind", "first_kind", "plural", "gender", "first_offset")

    def __init__(self) -> None:
        self.name: str | None = None
        self.surname: str | None = None
        self.named_length = -1
        self.named_kind = "person"
        self.has_kind = False
        self.first_kind = "person"
        self.plural = False
        self.gender: str | None = None
        self.first_offset: int | None = None  # the smallest offset

    def add(self, facts: MentionFacts) -> None:
        if facts.name and facts.kind in ("person", "organization", "outlet") and (self.name is None or len(facts.name) > len(self.name)):
            self.name = facts.name  # the longest name, the first of equal ones (max)
        if self.surname is None and facts.surname:
            self.surname = facts.surname
        if facts.pronoun is None:
            if facts.name and len(facts.name) > self.named_length:
                self.named_length, self.named_kind = len(facts.name), facts.kind
            if not self.has_kind:
                self.has_kind, self.first_kind = True, facts.kind
            self.plural = self.plural or facts.plural
        if self.gender is None and facts.gender:
            self.gender = facts.gender

    @property
    def kind(self) -> str:
        return self.named_kind if self.named_length >= 0 else self.first_kind


class _LastBelow:
    """Values by position (a min segment tree): the last position whose value is below a bound."""

    def __init__(self) -> None:
        self.size, self.count = 1, 0
        self.tree: list[float] = [float("inf")] * 2

    def append(self, value: int) -> None:
        if self.count == self.size:
            values = self.tree[self.size : self.size + self.count]
            self.size *= 2
            self.tree = [float("inf")] * (2 * self.size)
            self.tree[self.size : self.size + self.count] = values
            for node in range(self.size - 1, 0, -1):
                self.tree[node] = min(self.tree[2 * node], self.tree[2 * node + 1])
        self.count += 1
        self.set(self.count - 1, value)

    def set(self, position: int, value: int) -> None:
        node = position + self.size
        self.tree[node] = value
        node //= 2
        while node:
            self.tree[node] = min(self.tree[2 * node], self.tree[2 * node + 1])
            node //= 2

    def last_below(self, bound: int) -> int:
        """The last position whose value is below ``bound``, or -1."""
        if not self.tree[1] < bound:
            return -1
        node = 1
        while node < self.size:
            node = 2 * node + 1 if self.tree[2 * node + 1] < bound else 2 * node
        return node - self.size


class _ClusterIndex:
    """The clusters of one article in creation order, indexed by what _find_cluster compares.

    Clustering changes a cluster's facts, offsets and last sentence only through this index, so
    its keys stay current; look-ups return exactly the cluster a scan of the whole list (in
    creation order or reversed, as each rule reads) would return, without the scan — resolution
    time grows with the article, not with its square.
    """

    def __init__(self, clusters: list[_Cluster]) -> None:
        self.clusters = clusters
        self.position: dict[int, int] = {}  # id(cluster) → creation index
        self.summaries: list[_Summary] = []
        self.by_name: defaultdict[str, set[int]] = defaultdict(set)  # name.lower()
        self.by_first_word: defaultdict[str, set[int]] = defaultdict(set)  # name.split()[0].lower()
        self.by_name_word: defaultdict[str, set[int]] = defaultdict(set)  # each word of name.lower()
        self.by_surname: defaultdict[str, set[int]] = defaultdict(set)  # surname.lower()
        self.by_description: defaultdict[str, set[int]] = defaultdict(set)  # any fact's _description_key
        self.by_last_word: defaultdict[str, set[int]] = defaultdict(set)  # last word of a non-pronoun fact's text
        self.by_role_word: defaultdict[str, set[int]] = defaultdict(set)  # last word of any fact's role
        self.offsets: list[tuple[int, int]] = []  # (offset, creation index), sorted
        self.last_sentences = _LastBelow()

    def add_cluster(self, cluster: _Cluster) -> None:
        self.position[id(cluster)] = len(self.clusters)
        self.clusters.append(cluster)
        self.summaries.append(_Summary())
        self.last_sentences.append(cluster.last_sentence)

    def summary(self, cluster: _Cluster) -> _Summary:
        return self.summaries[self.position[id(cluster)]]

    def add_fact(self, cluster: _Cluster, facts: MentionFacts) -> None:
        at = self.position[id(cluster)]
        summary = self.summaries[at]
        name, surname = summary.name, summary.surname
        cluster.facts.append(facts)
        summary.add(facts)
        if summary.name is not None and summary.name != name:  # a longer name: re-key the cluster
            if name:
                self._name_keys(name, at, add=False)
            self._name_keys(summary.name, at, add=True)
        if surname is None and summary.surname:
            self.by_surname[summary.surname.lower()].add(at)
        self.by_description[_description_key(facts.text)].add(at)
        if facts.text and not facts.pronoun:
            for word in facts.text.lower().split()[-1:]:
                self.by_last_word[word].add(at)
        for word in (facts.role or "").lower().split()[-1:]:
            self.by_role_word[word].add(at)

    def _name_keys(self, name: str, at: int, add: bool) -> None:
        keys = [(self.by_name, name.lower()), (self.by_first_word, name.split()[0].lower())]
        keys += [(self.by_name_word, word) for word in name.lower().split()]
        for table, key in keys:
            if add:
                table[key].add(at)
            else:
                table[key].discard(at)

    def add_offset(self, cluster: _Cluster, offset: int) -> None:
        at = self.position[id(cluster)]
        cluster.offsets.append(offset)
        summary = self.summaries[at]
        if summary.first_offset is None or offset < summary.first_offset:
            summary.first_offset = offset
        insort(self.offsets, (offset, at))

    def set_last_sentence(self, cluster: _Cluster, sentence_index: int) -> None:
        cluster.last_sentence = sentence_index
        self.last_sentences.set(self.position[id(cluster)], sentence_index)

    def name(self, cluster: _Cluster) -> str | None:
        return self.summary(cluster).name


def _positions(attributions: list[RawAttribution]):
    """``attributions.index(a) if a in attributions else None``, without a scan per call."""
    by_span: defaultdict[tuple[int, int, int, int], list[int]] = defaultdict(list)
    for at, attribution in enumerate(attributions):
        by_span[(attribution.cue_start, attribution.cue_end, attribution.content_start, attribution.content_end)].append(at)

    def position(attribution: RawAttribution) -> int | None:
        # equal attributions have equal spans, so the first equal one is among these
        span = (attribution.cue_start, attribution.cue_end, attribution.content_start, attribution.content_end)
        for at in by_span.get(span, ()):
            if attributions[at] is attribution or attributions[at] == attribution:
                return at
        return None

    return position


def _find_cluster(index: _ClusterIndex, facts: MentionFacts, sentence_index: int, attribution, offset: int = 0) -> _Cluster | None:
    """The cluster a mention belongs to, if any: same name, same surname, same description, or
    (pronouns) the nearest compatible speaker before it."""
    if facts.pronoun:
        return _resolve_pronoun(index, facts, offset)
    clusters, summaries = index.clusters, index.summaries
    if facts.name:
        lowered = facts.name.lower()
        same_name = index.by_name.get(lowered)
        if same_name:
            return clusters[min(same_name)]  # the first cluster of that name
        if facts.surname and len(facts.name.split()) == 1 or facts.kind == "person" and facts.surname:
            # a bare surname may be tagged ORG/GPE by NER; a person of that surname claims it.
            # The latest cluster that passes wins; every one that can pass is in these sets.
            surname = facts.surname.lower()
            one_word = len(facts.name.split()) == 1
            candidates = index.by_name.get(surname, set()) | index.by_surname.get(surname, set())
            if one_word:
                candidates = candidates | index.by_first_word.get(lowered, set()) | index.by_name_word.get(lowered, set())
            for at in sorted(candidates, reverse=True):
                summary = summaries[at]
                name = summary.name
                if not name:
                    continue
                single_token_name = len(name.split()) == 1 and name.lower() == surname
                if summary.kind == "organization" and one_word and name.split()[0].lower() == lowered:
                    return clusters[at]  # "Norland" after "Norland Logistics"
                if summary.kind != "person" and not single_token_name:
                    continue
                if single_token_name:
                    return clusters[at]
                names = name.lower().split()
                if surname == (summary.surname or "").lower() or (one_word and lowered in names):
                    return clusters[at]
        return None
    # A lone capitalised word ("Voss reiterated …", tagged as a common noun) that is a known surname.
    bare = facts.text.strip()
    if bare[:1].isupper() and " " not in bare:
        same_surname = index.by_surname.get(bare.lower())
        if same_surname:
            return clusters[max(same_surname)]
    # Unnamed: the same description ("Iranian officials" twice), or "the official" after "a … official".
    text = _description_key(facts.text)
    for at in sorted(index.by_description.get(text, ()), reverse=True):
        if not summaries[at].name:
            return clusters[at]
    if facts.definite_description:
        head = text.split()[-1] if text else ""
        # the latest clusters back to the first one last mentioned more than PRONOUN_WINDOW sentences ago
        stop = index.last_sentences.last_below(sentence_index - PRONOUN_WINDOW)
        same_word = index.by_last_word.get(head, set())
        same_role = index.by_role_word.get(head, set())
        for at in sorted(same_word | same_role, reverse=True):
            if at <= stop:
                break
            if at in same_word:
                return clusters[at]
            summary = summaries[at]
            if summary.name and summary.first_offset is not None and summary.first_offset < offset:
                return clusters[at]  # "the spokesman" after "spokesman X"
    return None


def _description_key(text: str) -> str:
    words = [w for w in re.split(r"\s+", text.lower()) if w not in ("a", "an", "the", "some", "two", "three", "several")]
    return " ".join(words)


def _resolve_pronoun(index: _ClusterIndex, facts: MentionFacts, offset: int) -> _Cluster | None:
    """The most recent compatible mention before the pronoun (number, gender, person/thing).

    For he/she, people come first; a one-word "organisation" ("Maxwell", a surname NER mistyped)
    is taken only when no person fits. Only clusters mentioned within PRONOUN_REACH_CHARS before
    it are candidates, latest mention first (creation order among equals).
    """
    entries = index.offsets
    low = max(offset - PRONOUN_REACH_CHARS, 0)
    latest: dict[int, int] = {}
    for position in range(bisect_left(entries, (low, -1)), bisect_left(entries, (offset, -1))):
        mention_offset, at = entries[position]
        latest[at] = mention_offset  # ascending, so the last one is the latest
    reachable = [(index.clusters[at], index.summaries[at]) for at in sorted(latest, key=lambda at: (-latest[at], at))]
    if facts.plural:
        return next((c for c, s in reachable if s.plural or s.kind in ("group", "organization")), None)
    if facts.pronoun == "it":
        return next((c for c, s in reachable if s.kind in ("organization", "document", "outlet") and not s.plural), None)
    for allow_mistyped in (False, True):
        for cluster, summary in reachable:
            maybe_person = (
                allow_mistyped and summary.kind == "organization" and summary.name
                and len(summary.name.split()) == 1 and not is_outlet_name(summary.name)
            )
            if (summary.kind != "person" and not maybe_person) or summary.plural:
                continue
            if facts.gender and summary.gender and facts.gender != summary.gender:
                continue
            if facts.gender and not summary.gender:
                index.add_fact(cluster, MentionFacts(text="", gender=facts.gender, pronoun="(inferred)"))
            return cluster
    return None


def _merge_introductions(clusters: list[_Cluster]) -> list[_Cluster]:
    """'said a Pentagon spokesman … Rear Adm. John Kirby told AFP': the role is then named.

    A singular, unnamed, non-anonymous person described by a role is merged into the first named
    person quoted within the next sentences who has no other role of their own. Candidates are
    looked up by the sentence they start in, not by a scan of every cluster.
    """
    survivors = [cluster for cluster in clusters if getattr(cluster, "merged_into", None) is None]
    starting: defaultdict[int, list[int]] = defaultdict(list)  # first sentence → survivor positions, ascending
    for position, cluster in enumerate(survivors):
        starting[cluster.first_sentence].append(position)
    merged: set[int] = set()
    for position, cluster in enumerate(survivors):
        if cluster.name or cluster.plural or cluster.anonymous or cluster.kind != "person":
            continue
        if any(f.pronoun for f in cluster.facts) or any(f.definite_description for f in cluster.facts):
            continue
        nearby = sorted(at for gap in range(1, INTRODUCTION_WINDOW + 1) for at in starting.get(cluster.last_sentence + gap, ()))
        for at in nearby:
            candidate = survivors[at]
            if at in merged or candidate is cluster or not candidate.name or candidate.kind != "person":
                continue
            gap = candidate.first_sentence - cluster.last_sentence
            if not 0 < gap <= INTRODUCTION_WINDOW:
                continue
            if any(f.role and not _title_only(f.role) for f in candidate.facts):
                continue
            candidate.facts = cluster.facts + candidate.facts
            candidate.mentions = cluster.mentions + candidate.mentions
            candidate.attributions = cluster.attributions + candidate.attributions
            starting[candidate.first_sentence].remove(at)
            candidate.first_sentence = cluster.first_sentence
            insort(starting[candidate.first_sentence], at)
            cluster.merged_into = candidate  # type: ignore[attr-defined]
            merged.add(position)
            break
    return [cluster for position, cluster in enumerate(survivors) if position not in merged]


def _merge_organisation_descriptions(clusters: list[_Cluster]) -> list[_Cluster]:
    """'the company', 'the maker', 'the Danish drugmaker': an unnamed business is the business the
    article names, the nearest one before it or, in a headline or lead that names it later, after it."""
    named = [c for c in clusters if c.name and c.kind == "organization" and not c.plural]
    if not named:
        return clusters
    survivors = []
    for cluster in clusters:
        heads = [f for f in cluster.facts if not f.pronoun]
        business = (
            not cluster.name and cluster.kind == "organization" and heads
            and all(f.text and _business_noun(_description_key(f.text).split()[-1]) for f in heads)
        )
        if not business:
            survivors.append(cluster)
            continue
        start = min(cluster.offsets, default=0)
        before = [c for c in named if min(c.offsets, default=0) < start]
        target = max(before, key=lambda c: min(c.offsets, default=0)) if before else min(named, key=lambda c: min(c.offsets, default=0))
        target.facts = target.facts + cluster.facts
        target.mentions = sorted(target.mentions + cluster.mentions, key=lambda m: m.start)
        target.attributions = target.attributions + cluster.attributions
        target.offsets = target.offsets + cluster.offsets
        cluster.merged_into = target  # type: ignore[attr-defined]
    return survivors


def _document_owner(mention: SourceMention) -> SourceMention:
    """'their report found …', 'the ministry's statement said …': the owner speaks, not the document."""
    head = mention.head
    if head is None or mention.sentence is None or head.lemma_.lower() not in DOCUMENT_HEADS:
        return mention
    owner = next((c for c in head.children if c.dep_ == "poss"), None)
    if owner is None:
        return mention
    from claimledger.attribution.extractor import mention_for

    return mention_for(owner, mention.sentence)


def _name_descriptions(clusters: list[_Cluster], text: str) -> None:
    """'the centre' after 'the Geneva-based Water Security Centre': an unnamed body described by the
    last word of a name the article gave before is that name."""
    earlier = _EarlierNames(text)
    for cluster in clusters:
        if cluster.name or cluster.plural or cluster.kind not in ("organization", "person"):
            continue
        descriptions = [f for f in cluster.facts if not f.pronoun and f.text]
        if not descriptions or not all(f.definite_description for f in descriptions):
            continue
        words = _description_key(descriptions[0].text).split()
        if len(words) != 1 or not words[0].isalpha():
            continue
        start = min(cluster.offsets, default=0)
        last = earlier.last(words[0].capitalize(), start)
        if last is None:
            continue
        name = re.sub(r"^(?:The|A|An)\s+", "", last)
        name = re.sub(r"^(?:\S+-based\s+)+", "", name)
        cluster.facts.append(MentionFacts(text=name, name=name, kind="organization"))
        cluster.facts.sort(key=lambda f: f.name is None)


# A character no name can contain: a name ends before it or starts after it.
_NAME_BREAK = re.compile(r"[^\w'’.\-\s]")


class _EarlierNames:
    """The last name ending in a given word before an offset: ``findall(text, 0, offset)[-1]`` of
    the pattern below, without reading the whole text before every offset asked about.

    A scan of the text up to ``offset`` finds the same names as a scan of the whole text up to the
    last name-breaking character before ``offset``; only the stretch after it is scanned again.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.start() for m in _NAME_BREAK.finditer(text)]
        self.scans: dict[str, tuple[re.Pattern[str], list[int], list[str]]] = {}

    def last(self, word: str, offset: int) -> str | None:
        if word not in self.scans:
            pattern = re.compile(rf"\b((?:[A-Z][\w'’.-]*\s+){{1,4}}{re.escape(word)})\b")
            found = list(pattern.finditer(self.text))
            self.scans[word] = (pattern, [m.end() for m in found], [m.group(1) for m in found])
        pattern, ends, names = self.scans[word]
        before = bisect_left(self.breaks, offset)
        cut = self.breaks[before - 1] if before else -1
        tail = pattern.findall(self.text, cut + 1, offset)
        if tail:
            return tail[-1]
        whole = bisect_right(ends, cut)
        return names[whole - 1] if whole else None


def _title_only(role: str) -> bool:
    return all(word.lower().rstrip(".") in TITLES for word in role.split())


def _to_sources(clusters: list[_Cluster]) -> tuple[list[Source], dict[int, str]]:
    sources: list[Source] = []
    ids: dict[int, str] = {}
    used: set[str] = set()
    for cluster in clusters:
        descriptions = [f.text for f in cluster.facts if f.text and not f.pronoun]
        name = cluster.name or _strip_article(max(descriptions, key=len) if descriptions else "unnamed source")
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "source"
        source_id, n = slug, 2
        while source_id in used:
            source_id, n = f"{slug}-{n}", n + 1
        used.add(source_id)
        ids[id(cluster)] = source_id
        role = cluster.first("role")
        if role and (cluster.name is None or cluster.kind != "person"):
            role = None  # the description is the name; bodies have no role
        country = cluster.first("country")
        affiliation = cluster.first("affiliation")
        side = None
        if country and _governmental(cluster):
            side = f"government of {country}"
        sources.append(
            Source(
                id=source_id,
                name=name,
                mentions=cluster.mentions,
                role=role,
                affiliation=affiliation or (f"Government of {country}" if side else None),
                country=country,
                anonymous=_anonymous(cluster),
                kind=cluster.kind if cluster.kind != "outlet" else "outlet",
                side=side,
            )
        )
    return sources, ids


def _anonymous(cluster: _Cluster) -> bool:
    """Anonymity is the absence of a name: 'an unnamed source', 'U.S. officials', 'a senior Iranian
    official' are anonymous; a named person or organisation is not, whatever else the text says.
    Bodies and outlets referred to by a description ('the ministry') are institutions, not
    anonymous people."""
    if cluster.name:
        return False
    return cluster.kind in ("person", "group")


def _governmental(cluster: _Cluster) -> bool:
    words = " ".join(f"{f.text} {f.role or ''} {f.affiliation or ''}" for f in cluster.facts).lower()
    return any(word in GOVERNMENT_ROLES for word in re.findall(r"[a-z]+", words))


def _strip_article(text: str) -> str:
    return re.sub(r"^(a|an|the)\s+", "", text.strip(), flags=re.IGNORECASE)
