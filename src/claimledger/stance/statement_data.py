"""Training pairs for the claim–statement stance model: (claim, statement, label, group).

Labels are ``support``, ``deny``, ``neutral`` and ``unrelated``: what the statement's content, taken
as its speaker's assertion, says about the claim (the cue — "denied", "declined to confirm" — is
applied on top at run time, not learnt). ``group`` names the claim a pair belongs to, so that
evaluation can hold whole claims out.

Sources, all read from the shared data directory (nothing is copied into the repository):

- Emergent (``emergent/train_articles.csv``): claim vs article headline; for → support, against →
  deny, observing → neutral. Unrelated pairs: a headline against another claim, half of them a
  *hard* negative (the other claim shares content words with the headline's own claim).
- Perspectrum (``perspectrum/``): claim vs perspective, support / undermine → support / deny, and a
  perspective of another claim as unrelated.
- Contrastive templates written here, over generated actors, places and events, for the error
  classes of issue 13: topical closeness without the claim's actor or event, hedges and
  conditionals, presupposition and scope, double negation, reported denial and alternative causes,
  a different actor or event. No sentence of the seed article or of the shipped examples is used.

``build_pairs(data_dir, seed)`` is deterministic for a given seed.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from claimledger.nlp.text import TITLE_STOP_WORDS
from claimledger.records import STANCES

LABELS = STANCES
EMERGENT_LABELS = {"for": "support", "against": "deny", "observing": "neutral"}


@dataclass(frozen=True)
class Pair:
    claim: str
    statement: str
    label: str
    group: str  # the claim's identity, for splitting by claim
    source: str  # emergent / perspectrum / template


_WORD = re.compile(r"[a-z][a-z0-9']+")

def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in TITLE_STOP_WORDS and len(w) > 2}


def read_emergent(data_dir: Path) -> list[dict]:
    with open(Path(data_dir) / "emergent" / "train_articles.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def emergent_pairs(data_dir: Path, seed: int = 0, unrelated_per_claim: int = 4) -> list[Pair]:
    rows = read_emergent(data_dir)
    pairs = [
        Pair(r["claimHeadline"].strip(), r["articleHeadline"].strip(), EMERGENT_LABELS[r["articleHeadlineStance"]], "emergent:" + r["claimId"], "emergent")
        for r in rows
    ]
    claims: dict[str, str] = {}
    headlines: dict[str, list[str]] = {}
    for r in rows:
        claims[r["claimId"]] = r["claimHeadline"].strip()
        headlines.setdefault(r["claimId"], []).append(r["articleHeadline"].strip())
    ids = sorted(claims)
    words = {cid: _words(claims[cid]) for cid in ids}
    rng = random.Random(seed)
    for cid in ids:
        # hard negatives: the claims closest in words to this one (same topic, another proposition)
        near = sorted((c for c in ids if c != cid), key=lambda c: (-len(words[c] & words[cid]), c))[:6]
        near = [c for c in near if words[c] & words[cid]]
        for k in range(unrelated_per_claim):
            other = near[k % len(near)] if near and k % 2 == 0 else rng.choice([c for c in ids if c != cid])
            headline = rng.choice(headlines[other])
            # the pair is (this claim, another claim's headline); grouped under this claim
            pairs.append(Pair(claims[cid], headline, "unrelated", "emergent:" + cid, "emergent"))
    return pairs


def perspectrum_pairs(data_dir: Path, seed: int = 0, per_claim: int = 2) -> list[Pair]:
    root = Path(data_dir) / "perspectrum"
    claims = json.loads((root / "perspectrum_with_answers_v1.0.json").read_text(encoding="utf-8"))
    pool = {p["pId"]: p["text"] for p in json.loads((root / "perspective_pool_v1.0.json").read_text(encoding="utf-8"))}
    rng = random.Random(seed)
    pairs: list[Pair] = []
    all_pids = sorted(pool)
    for claim in claims:
        found = []
        for cluster in claim["perspectives"]:
            label = {"SUPPORT": "support", "UNDERMINE": "deny"}.get(cluster["stance_label_3"].upper())
            if label is None or not cluster["pids"]:
                continue
            found.append((pool[cluster["pids"][0]], label))
        rng.shuffle(found)
        group = f"perspectrum:{claim['cId']}"
        for text, label in found[:per_claim]:
            pairs.append(Pair(claim["text"].strip(), text.strip(), label, group, "perspectrum"))
        if found:
            pairs.append(Pair(claim["text"].strip(), pool[rng.choice(all_pids)].strip(), "unrelated", group, "perspectrum"))
    return pairs


# --- contrastive templates -------------------------------------------------------------------------

COUNTRIES = [
    ("Norway", "Norwegian"), ("Chile", "Chilean"), ("Kenya", "Kenyan"), ("Vietnam", "Vietnamese"),
    ("Poland", "Polish"), ("Egypt", "Egyptian"), ("Peru", "Peruvian"), ("Turkey", "Turkish"),
    ("Ethiopia", "Ethiopian"), ("Indonesia", "Indonesian"), ("Morocco", "Moroccan"), ("Canada", "Canadian"),
    ("Pakistan", "Pakistani"), ("Nigeria", "Nigerian"), ("Sweden", "Swedish"), ("Jordan", "Jordanian"),
    ("Brazil", "Brazilian"), ("Algeria", "Algerian"), ("Serbia", "Serbian"), ("Thailand", "Thai"),
    ("Greece", "Greek"), ("Ukraine", "Ukrainian"), ("Colombia", "Colombian"), ("Sudan", "Sudanese"),
    ("Mexico", "Mexican"), ("Azerbaijan", "Azerbaijani"), ("Libya", "Libyan"), ("Japan", "Japanese"),
]
GROUPS = ["the Red Dawn militia", "the Northern Front", "al-Harith rebels", "the Sand Lions group", "the Liberation Army",
          "the Ansar Brigade", "the Coastal Alliance", "the Black Banner movement", "separatist fighters", "the People's Guard"]
PLACES = ["Tarvos province", "the Kelmir valley", "the port of Oskara", "Velden district", "the northern border region",
          "Marisa county", "the Duran plateau", "the city of Halvek", "the eastern desert", "Lusk island"]
PEOPLE = ["Maria Kovacs", "Daniel Osei", "Leila Haddad", "Tomas Brenner", "Aiko Tanaka", "Pedro Almeida", "Sara Lindqvist",
          "Omar Farouk", "Elena Petrova", "James Whitaker", "Nadia Rahman", "Viktor Hale", "Grace Mwangi", "Lucas Moreau"]
COMPANIES = ["Halcyon Motors", "Brightwave Telecom", "Orvik Foods", "Tessaly Bank", "Northgate Energy", "Kestrel Airlines",
             "Pellucid Software", "Ambergate Mining", "Solenne Pharma", "Corvid Shipping"]
STRUCTURES = ["bridge", "dam", "pipeline", "power station", "rail depot", "fuel depot", "water plant", "factory"]
DAYS = ["on Monday", "on Tuesday", "last week", "on Friday night", "early on Sunday", "ten days ago", "in March", "overnight"]


def _fill(template: str, slots: dict) -> str:
    text = template.format(**slots)
    return text[0].upper() + text[1:]


# Each frame: the claim, statements that support it, deny it, say nothing either way about it
# (hedge, conditional, question, refusal to say), and statements on the same topic that do not speak
# to it (another actor, another event). "scope" statements presuppose the claim and deny something
# else: they support the claim, and deny the "detail" claim.
FRAMES = [
    {
        "claim": ["{A} carried out air strikes against {G} in {P}.", "{Adj} jets bombed {G} positions in {P}."],
        "detail": ["{Adj} strikes in {P} were coordinated with {B}.", "{A} acted together with {B} when it struck {G}."],
        "scope_denies_detail": True,
        "support": ["{Adj} warplanes hit {G} targets in {P} {D}.", "{A} did launch strikes on {G} fighters in {P}, officials confirmed.",
                    "We saw {Adj} aircraft attacking {G} bases near {P}.", "{A} has bombed {G} in {P} several times since {D}.",
                    "The raids by {Adj} aircraft on {G} in {P} were the first of their kind."],
        "deny": ["{A} has never bombed {G} in {P}.", "{Adj} forces carried out no air strikes in {P}.",
                 "No {Adj} aircraft have flown over {P}.", "{A} has not been involved in any military action against {G}.",
                 "The story that {Adj} planes attacked {P} is fabricated.", "There were no {Adj} strikes; the damage in {P} came from {G}'s own explosives."],
        "scope": ["The {Adj} strikes on {G} were not coordinated with {B}.", "{A} struck {G} in {P} without telling {B}.",
                  "{Adj} raids on {G} in {P} were carried out independently of {B}.", "{B} had no part in the {Adj} bombing of {P}."],
        "double": ["There is no indication that the reports of {Adj} strikes in {P} are untrue.", "Nobody disputes that {A} bombed {G} in {P}.",
                   "It is not true that {A} stayed out of the fighting in {P}.", "We have no reason to doubt that {Adj} jets hit {P}."],
        "neutral": ["Any strikes by {A} against {G} would be welcome.", "If {A} did bomb {G}, that would be a positive step.",
                    "It is too early to say whether {Adj} aircraft were involved in {P}.", "We cannot confirm reports of {Adj} strikes in {P}.",
                    "Whether {A} struck {G} in {P} remains unclear.", "{A} could decide to bomb {G} in {P} if the fighting spreads.",
                    "Reports say {Adj} jets may have attacked {G} in {P}; we are looking into them."],
        "other": ["{B} carried out air strikes against {G} in {P} {D}.", "A campaign of hundreds of strikes has badly weakened {G}.",
                  "Defeating {G} could take years.", "{Adj} officials met {B}'s envoy to discuss trade {D}.",
                  "{G} fighters seized two villages in {P} {D}.", "{B}'s air force flew missions over {P} {D}."],
    },
    {
        "claim": ["The {S} in {P} was deliberately blown up.", "Saboteurs destroyed the {S} in {P} with explosives."],
        "detail": ["{G} destroyed the {S} in {P}.", "The {S} in {P} collapsed {D}."],
        "support": ["Explosive charges were placed at the base of the {S}.", "This was no accident: someone blew up the {S} in {P}.",
                    "The breach in the {S} is consistent with a planned explosion.", "The {S} in {P} was destroyed in a deliberate blast."],
        "deny": ["Nobody placed charges at the {S}; it failed because it had been neglected for years.",
                 "The {S} in {P} collapsed because of poor maintenance, not sabotage.", "There was no explosion at the {S}.",
                 "The {S} gave way under floodwater; the sabotage story is nonsense.", "No one attacked the {S} in {P}."],
        "scope": ["The blast that destroyed the {S} was not carried out by {G}.", "Whoever blew up the {S} in {P}, it was not {A}."],
        "double": ["Investigators found nothing to suggest the {S} in {P} was not sabotaged.", "No expert doubts that explosives brought down the {S}."],
        "neutral": ["We do not yet know why the {S} in {P} failed.", "If the {S} was sabotaged, those responsible will be punished.",
                    "An inquiry will establish whether the {S} in {P} was attacked.", "It is too soon to say what caused the {S} to fail."],
        "other": ["A second {S} upstream of {P} is being inspected {D}.", "Flooding below the {S} forced thousands from their homes.",
                  "{A} and {B} have argued about the {S} in {P} for years.", "Repairs to the {S} will cost millions."],
    },
    {
        "claim": ["{C} will buy {C2}.", "{C} has agreed to acquire {C2}."],
        "detail": ["{C} will pay more than two billion dollars for {C2}.", "{C} will close {C2}'s factories after the takeover."],
        "support": ["{C} confirmed it has reached a deal to take over {C2}.", "The board of {C2} accepted {C}'s takeover offer {D}.",
                    "{C}'s purchase of {C2} is expected to close this year."],
        "deny": ["{C} is not in talks to buy {C2}.", "Reports of a takeover of {C2} by {C} are pure speculation and untrue.",
                 "{C} has no plans to acquire {C2} or any other firm.", "{C} walked away from the {C2} deal {D}."],
        "scope": ["{C}'s takeover of {C2} will not lead to job cuts.", "The price {C} agreed for {C2} was not as high as rumoured."],
        "double": ["We would not deny that {C} is buying {C2}.", "It is no secret that {C} is taking over {C2}."],
        "neutral": ["We do not comment on market rumours about {C2}.", "Any offer from {C} for {C2} would be considered carefully.",
                    "Analysts wonder whether {C} could afford {C2}.", "{C} might look at acquisitions if prices fall."],
        "other": ["{C} reported higher profits {D}.", "{C2} launched a new product line {D}.", "{C3} agreed to buy a rival {D}.",
                  "Shares in {C2} rose 5 per cent {D}."],
    },
    {
        "claim": ["{N} resigned as finance minister of {A}.", "{A}'s finance minister {N} has stepped down."],
        "detail": ["{N} resigned because of a corruption inquiry.", "{N} was forced out by the prime minister of {A}."],
        "support": ["{N} handed in her resignation letter {D}.", "{N} has left the finance ministry of {A}.",
                    "After {N}'s departure from the finance ministry, her deputy took charge."],
        "deny": ["{N} remains finance minister of {A} and has not resigned.", "{N} is not stepping down.",
                 "Rumours that {N} has quit are false; she was at her desk this morning."],
        "scope": ["{N}'s resignation had nothing to do with the corruption inquiry.", "{N} was not pushed out; she chose to resign."],
        "double": ["No one in the government denies that {N} has resigned.", "It is not the case that {N} is still in office."],
        "neutral": ["If {N} resigns, the budget will be delayed.", "Asked whether {N} had resigned, the spokesman would not say.",
                    "{N} may come under pressure to step down.", "Should {N} quit, her deputy would take over."],
        "other": ["{M} resigned as foreign minister of {B} {D}.", "{A}'s finance ministry published new figures {D}.",
                  "{N} spoke at a conference on inflation {D}.", "Opposition parties in {A} called for early elections."],
    },
    {
        "claim": ["Police arrested {N} over the attack in {P}.", "{N} was detained in connection with the attack in {P}."],
        "detail": ["{N} planned the attack in {P}.", "{N} was arrested by {Adj} police at the border."],
        "support": ["{N} is in police custody after the attack in {P}.", "Officers took {N} into custody {D} over the {P} attack.",
                    "{N} was held for questioning about the attack in {P}."],
        "deny": ["Nobody has been arrested over the {P} attack.", "{N} is a free man and has not been detained.",
                 "Police have made no arrests and {N} is not a suspect."],
        "scope": ["{N}'s arrest was not linked to any foreign group.", "{N} was detained, but not charged."],
        "double": ["Police did not deny that {N} was in custody.", "There is no doubt that {N} was arrested."],
        "neutral": ["Police would not say whether anyone had been arrested.", "Any arrest will be announced in due course.",
                    "If {N} is arrested, his lawyer will challenge it.", "It is unclear who carried out the attack in {P}."],
        "other": ["{M} was arrested over a fraud case in {P2} {D}.", "The attack in {P} killed four people.",
                  "Police in {P} increased patrols after the attack.", "{N} gave a speech in {P2} last year."],
    },
    {
        "claim": ["The drug {X} caused the deaths of trial patients.", "Patients in the {X} trial died because of the drug."],
        "detail": ["The {X} trial was stopped {D}.", "Regulators opened an inquiry into the {X} trial."],
        "support": ["Our analysis shows the deaths were caused by {X}.", "{X} was responsible for the patients' heart failure.",
                    "The patients would be alive had they not taken {X}."],
        "deny": ["The deaths had nothing to do with {X}; all three patients were gravely ill.", "{X} did not cause any deaths.",
                 "There is no link between {X} and the deaths.", "The patients died of their existing conditions, not of the drug."],
        "scope": ["The deaths caused by {X} were not reported to regulators in time.", "{X} killed the patients, though not at the doses now used."],
        "double": ["We cannot rule out that {X} caused the deaths, and nothing suggests it did not.", "No one has shown that {X} was not to blame."],
        "neutral": ["The safety board will examine whether {X} played a role.", "If {X} is found to be responsible, the trial will end.",
                    "It is too early to draw conclusions about {X}.", "We are reviewing all the data from the {X} trial."],
        "other": ["{C} makes a rival drug to {X}.", "The {X} trial enrolled 4,000 patients in twelve countries.",
                  "Sales of {C}'s older medicines rose {D}.", "Another trial of a cancer drug was paused {D}."],
    },
    {
        "claim": ["The warehouse fire in {P} was started deliberately.", "Arsonists set fire to the warehouse in {P}."],
        "detail": ["The sprinklers at the {P} warehouse were switched off before the fire.", "The fire in {P} began at about midnight."],
        "support": ["We found traces of petrol at several points where the fire started.", "Someone set the warehouse in {P} alight on purpose.",
                    "Fires do not start in three places at once by accident; this was arson."],
        "deny": ["The blaze was caused by an electrical fault.", "There is no evidence of arson at the warehouse; faulty wiring started it.",
                 "The fire in {P} was an accident.", "Nobody set the fire; it began in an overheated generator."],
        "scope": ["The arson attack was not the work of our employees.", "Whoever started the fire did not get inside the office block."],
        "double": ["Nobody seriously claims the fire in {P} was an accident.", "It cannot be denied that the fire in {P} was arson."],
        "neutral": ["Investigators will determine what started the fire in {P}.", "If the fire was set deliberately, we will find who did it.",
                    "It is too soon to say how the fire began.", "We do not speculate about the cause of the fire."],
        "other": ["The warehouse in {P} stored grain and fertiliser.", "A second fire broke out in {P2} {D}, injuring two.",
                  "Firefighters from three towns fought the blaze for hours.", "The port of {P} reopened {D}."],
    },
    {
        "claim": ["{A} will cooperate with {B} against {G}.", "{A} and {B} will coordinate their fight against {G}."],
        "detail": ["{A} will share intelligence with {B}.", "{A} has asked {B} for military help."],
        "support": ["{A} is ready to work with {B} to defeat {G}.", "{Adj} and {B2} officers have agreed to plan operations against {G} together.",
                    "We will join forces with {B} in the fight against {G}."],
        "deny": ["{A} will not cooperate with {B} in any way.", "Working with {B} against {G} is out of the question for {A}.",
                 "There is no plan for {A} to coordinate with {B}.", "{A} is not going to join {B}'s campaign."],
        "scope": ["{A}'s cooperation with {B} will not extend to sharing intelligence.", "{A} will work with {B}, but not on the ground."],
        "double": ["{A} has not ruled out working with {B} and does not reject it.", "It is not true that {A} refuses to work with {B}."],
        "neutral": ["Cooperation between {A} and {B} would have to be discussed.", "If {B} asks, {A} will consider joint action.",
                    "It is unclear what {A} will do about {G}.", "{A} and {B} share concerns about {G}."],
        "other": ["{A} signed a trade agreement with {B2} {D}.", "{B} has fought {G} for three years.", "{G} lost ground in {P} {D}.",
                  "{A}'s president visited {P} {D}."],
    },
]


def _slots(rng: random.Random) -> dict:
    (a, adj), (b, adj_b), (b2, _) = rng.sample(COUNTRIES, 3)
    n, m = rng.sample(PEOPLE, 2)
    c, c2, c3 = rng.sample(COMPANIES, 3)
    p, p2 = rng.sample(PLACES, 2)
    return {
        "A": a, "Adj": adj, "B": b, "B2": adj_b, "G": rng.choice(GROUPS), "P": p, "P2": p2, "N": n, "M": m,
        "C": c, "C2": c2, "C3": c3, "S": rng.choice(STRUCTURES), "D": rng.choice(DAYS),
        "X": rng.choice(["VX-31", "the drug Corvalin", "Ostrafen", "KT-904", "Lumeprid", "the drug Nerivex"]),
    }


def template_pairs(seed: int = 0, per_frame: int = 40) -> list[Pair]:
    """Contrastive pairs: each instance judges the same statements against the claim and its detail."""
    rng = random.Random(seed)
    pairs: list[Pair] = []
    for f_index, frame in enumerate(FRAMES):
        for k in range(per_frame):
            slots = _slots(rng)
            group = f"template:{f_index}:{k}"
            claim = _fill(rng.choice(frame["claim"]), slots)
            detail = _fill(rng.choice(frame["detail"]), slots)
            picks = {kind: _fill(rng.choice(frame[kind]), slots) for kind in ("support", "deny", "scope", "double", "neutral", "other")}
            pairs += [
                Pair(claim, picks["support"], "support", group, "template"),
                Pair(claim, picks["deny"], "deny", group, "template"),
                Pair(claim, picks["scope"], "support", group, "template"),  # presupposes the claim
                Pair(claim, picks["double"], "support", group, "template"),
                Pair(claim, picks["neutral"], "neutral", group, "template"),
                Pair(claim, picks["other"], "unrelated", group, "template"),
                Pair(detail, picks["other"], "unrelated", group, "template"),
            ]
            if k % 2 == 0:
                # a statement about the claim's event says nothing about a detail it does not name
                pairs.append(Pair(detail, picks["support"], "unrelated", group, "template"))
            if frame.get("scope_denies_detail"):
                pairs.append(Pair(detail, picks["scope"], "deny", group, "template"))
    return pairs


def build_pairs(data_dir: Path, seed: int = 0, sources: tuple[str, ...] = ("emergent", "perspectrum", "template")) -> list[Pair]:
    pairs: list[Pair] = []
    if "emergent" in sources:
        pairs += emergent_pairs(data_dir, seed)
    if "perspectrum" in sources:
        pairs += perspectrum_pairs(data_dir, seed)
    if "template" in sources:
        pairs += template_pairs(seed)
    return pairs


if __name__ == "__main__":  # summary: python -m claimledger.stance.statement_data ../shared/data
    import collections
    import sys

    built = build_pairs(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
    print(len(built), collections.Counter((p.source, p.label) for p in built))
