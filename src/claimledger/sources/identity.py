"""Cross-article source identity: decide which stored source an article's source is.

Within an article, :mod:`claimledger.sources.resolver` has already merged "Rear Adm. John Kirby",
"Kirby" and "he". Across articles the evidence is thinner, so the rules are conservative:

- a full proper name is the same speaker everywhere ("John Kirby"; "The Northern Front" = "Northern
  Front rebel group"), whatever kind the article's wording suggested;
- a lone surname ("Kirby") is the one stored person with that surname, if exactly one, whose
  affiliation does not contradict it; a full name later matches a stored lone surname the same way;
- a role held at an organisation ("the Pentagon's press secretary") is the one stored named person
  with that affiliation and the same kind of role (spokesman = spokeswoman = press secretary);
- a named organisation or a collective ("Iranian officials", "the Kremlin") is the same voice across
  articles when its normalised name is the same;
- an anonymous individual ("a senior U.S. official") is never merged: nothing says it is the same person.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from claimledger.records import Source
from claimledger.sources.resolver import TITLES

# Roles that are the same job under different names; the first word is the class's name.
ROLE_CLASSES = {
    "spokesperson": {"spokesman", "spokeswoman", "spokesperson", "press secretary", "press officer", "spokesmen"},
    "chief executive": {"chief executive", "chief executive officer", "ceo"},
    "head": {"head", "chief", "director", "director-general", "director general"},
}
_PARTICLES = {"al", "el", "bin", "ibn", "de", "da", "di", "van", "von", "der", "le", "la", "du", "del", "abu", "ben"}
_INDEFINITE = re.compile(r"^(a|an|one|two|three|four|several|some|many|other|another|\d+)\b", re.I)


def normalise(text: str | None) -> str:
    """Lower case, no accents, no leading article or possessive, single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[’']s\b", "", text)
    text = re.sub(r"[^\w\s-]", " ", text)
    text = re.sub(r"^\s*the\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def is_personal_name(name: str) -> bool:
    """'John Kirby', 'Kirby', 'Hisham al-Hashemi': capitalised words only, none a title or role."""
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    if not words or len(words) > 5:
        return False
    for word in words:
        bare = word.strip(".,")
        head = bare.split("-")[0].lower()
        if head in _PARTICLES:
            continue
        if not bare[:1].isupper() or bare.lower() in TITLES or bare.lower().rstrip(".") in TITLES:
            return False
    return True


def role_class(role: str | None, affiliation: str | None = None) -> str | None:
    """The kind of job a role names, without the organisation: 'Pentagon spokesman' → 'spokesperson'."""
    text = normalise(role)
    if affiliation:
        for word in normalise(affiliation).split():
            text = re.sub(rf"\b{re.escape(word)}\b", " ", text)
    text = re.sub(r"\b(the|a|an|of|for|at|senior|top|chief|deputy|former|acting|then)\b", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return None
    for name, members in ROLE_CLASSES.items():
        if any(re.search(rf"\b{re.escape(m)}\b", text) for m in members):
            return name
    words = text.split()
    return " ".join(words[-2:])


@dataclass(eq=False)  # one object per stored source: compared by identity
class KnownSource:
    """What the store knows of one source, enough to match new mentions against it."""

    id: int
    name: str
    kind: str
    identity_key: str | None
    affiliations: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)  # role classes seen

    @property
    def surname(self) -> str | None:
        name = proper_part(self.name)
        if self.kind == "group" or not name:
            return None
        return normalise(name.split()[-1])


def proper_part(name: str) -> str | None:
    """The proper name in a source's name, without a leading article or trailing descriptors:
    'The Northern Front' and 'Northern Front rebel group' → 'Northern Front'."""
    words = name.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    while len(words) > 1 and words[-1][:1].islower() and words[-1].split("-")[0].lower() not in _PARTICLES:
        words = words[:-1]
    candidate = " ".join(words)
    return candidate if candidate and is_personal_name(candidate) else None


def identity_key(source: Source) -> str | None:
    """The key under which a source is stored; None for sources that never merge across articles."""
    first_mention = source.mentions[0].text if source.mentions else source.name
    if source.kind == "outlet":
        return f"outlet:{normalise(source.name)}"
    name = proper_part(source.name)
    named = any(m.kind == "name" for m in source.mentions)  # "a Pentagon spokesman" … "John Kirby"
    if name and source.kind != "group" and (named or not _INDEFINITE.match(first_mention.strip())):
        return f"name:{normalise(name)}"
    if source.kind == "person":
        if source.anonymous or _INDEFINITE.match(first_mention.strip()) or not source.affiliation:
            return None
        role = role_class(source.role or source.name, source.affiliation)
        return f"role:{normalise(source.affiliation)}:{role}" if role else None
    if source.anonymous and source.kind != "group":
        return None
    return f"{source.kind}:{normalise(source.name)}"


class SourceRegistry:
    """The store's sources in memory, so each article's sources are matched without a query each."""

    def __init__(self, known: list[KnownSource] | None = None):
        self.by_key: dict[str, KnownSource] = {}
        self.by_surname: dict[str, list[KnownSource]] = {}
        self.by_role: dict[tuple[str, str], list[KnownSource]] = {}
        for item in known or []:
            self.add(item)

    def add(self, item: KnownSource) -> None:
        if item.identity_key:
            self.by_key.setdefault(item.identity_key, item)
        if item.surname:
            group = self.by_surname.setdefault(item.surname, [])
            if item not in group:
                group.append(item)
        if item.kind != "group" and proper_part(item.name):
            for affiliation in item.affiliations:
                for role in item.roles:
                    group = self.by_role.setdefault((affiliation, role), [])
                    if item not in group:
                        group.append(item)

    def forget(self, item: KnownSource) -> None:
        """Drop ``item`` from the indexes before its name changes (it is added again after), so the
        registry holds what a fresh load from the store would hold."""
        if item.identity_key and self.by_key.get(item.identity_key) is item:
            del self.by_key[item.identity_key]
        for index in (self.by_surname, self.by_role):
            for group in index.values():
                if item in group:
                    group.remove(item)

    def match(self, source: Source) -> KnownSource | None:
        """The stored source this article's source is, or None for a new one."""
        key = identity_key(source)
        if key is None:
            return None
        if key in self.by_key:
            return self.by_key[key]
        affiliation = normalise(source.affiliation)
        if key.startswith("name:"):
            words = key.split(":", 1)[1].split()
            candidates = [c for c in self.by_surname.get(words[-1], []) if _compatible(c, affiliation)]
            if len(words) == 1:
                return candidates[0] if len(candidates) == 1 else None
            # a full name matches a stored lone surname, never another full name
            lone = [c for c in candidates if len(normalise(c.name).split()) == 1]
            return lone[0] if len(lone) == 1 and len(candidates) == 1 else None
        if key.startswith("role:"):
            _, organisation, role = key.split(":", 2)
            holders = self.by_role.get((organisation, role), [])
            return holders[0] if len(holders) == 1 else None
        return None


def _compatible(known: KnownSource, affiliation: str) -> bool:
    return not affiliation or not known.affiliations or affiliation in known.affiliations
