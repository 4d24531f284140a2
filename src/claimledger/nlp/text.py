"""Text normalisation the stages share: the English stop words, and the two stemmers.

One list of function words (``STOP_WORDS``), and the named sets each stage drops, built from it.
The sets differ on purpose, and each is exactly the one its stage was tuned (or its model trained)
with: widening any of them changes that stage's output.

* ``STATEMENT_STOP_WORDS`` (statement stance, ``stance/statement.py``): also reporting words
  ("according", "told"), modals and adverbs of time and hedging ("still", "never", "may").
* ``OVERLAP_STOP_WORDS`` (the FNC-1 model's overlap features, ``stance/features.py``): also reflexive
  pronouns and a few fillers of headlines ("new", "like", "via"); the shipped model was trained with it.
* ``TITLE_STOP_WORDS`` (grouping Emergent claims by their words, ``stance/statement_data.py``): a
  short list, so that a claim's group (and the train/test split by claim) stays what it was.
* ``HEADLINE_STOP_WORDS`` (the headline stance model's word overlap, ``stance/headline.py``): function
  words and "says"/"said"/"say"; the shipped model was trained with it.

``stem`` folds a word to its lemma and cuts derivational suffixes (statement stance); ``prefix_stem``
cuts it to six letters, the FNC-1 features' crude stemmer ("denies/denied/denial"), or to another
length (the headline model cuts to five: "denies/denied", "bomb/bombed").
"""

from __future__ import annotations

from functools import lru_cache

from lemminflect import getAllLemmas

STOP_WORDS = frozenset(
    """a about above after again against all also an and any are as at be been before being below between
    both but by can could did do does doing down during each few for from further had has have having he
    her here hers him his how i if in into is it its itself just me more most my no nor not of off on once
    only or other our ours out over own s said same say says she should so some such t than that the their
    theirs them then there these they this those through to too under up very was we were what when where
    which who whom why will with would you your""".split()
)
STATEMENT_STOP_WORDS = STOP_WORDS | frozenset(
    """'s n't according already don even ever however indeed may might must never now shall still tell
    told us whose yet""".split()
)
OVERLAP_STOP_WORDS = STOP_WORDS | frozenset(
    """am because get got herself himself like myself new one ourselves themselves two until via while
    yours yourself yourselves""".split()
)
TITLE_STOP_WORDS = frozenset(
    """the a an of to in on and for with by at from is are was were be been has have had will would that
    this it its as not no after over into about says said new could may can than more his her their they
    he she who what why how up out us""".split()
)
HEADLINE_STOP_WORDS = frozenset(
    """a an the of to in on for at by with from and or but as is are was were be been being it its this that
    these those he she they his her their them we you i has have had will would can could should may might
    do does did not no so than then there here what which who whom whose how why when where about into over
    after before says said say""".split()
)

PREFIX_STEM_LENGTH = 6
# Derivational suffixes cut after lemmatising, the first that fits (so "coordinated" → "coordinat" but
# "coordination" → "coordin": the folding is partial, and statement stance was tuned with it).
DERIVATIONAL_SUFFIXES = ("ation", "ition", "ment", "ing", "ive", "ed", "ion", "er", "e")
MIN_STEM_LENGTH = 4


@lru_cache(maxsize=50000)
def stem(word: str) -> str:
    """A lower-case word's lemma (verb, else noun, else adjective) with a derivational suffix cut off,
    when at least four letters remain: "strikes" → "strik", "denied" → "deny", "cooperation" → "cooper"."""
    lemmas = getAllLemmas(word)
    lemma = (lemmas.get("VERB") or lemmas.get("NOUN") or lemmas.get("ADJ") or (word,))[0]
    for suffix in DERIVATIONAL_SUFFIXES:
        if lemma.endswith(suffix) and len(lemma) - len(suffix) >= MIN_STEM_LENGTH:
            return lemma[: -len(suffix)]
    return lemma


def prefix_stem(word: str, length: int = PREFIX_STEM_LENGTH) -> str:
    """A word cut to its first ``length`` letters (six): "hackers" → "hacker", "denial" and "denials" → "denial"."""
    return word[:length]


__all__ = ["STOP_WORDS", "STATEMENT_STOP_WORDS", "OVERLAP_STOP_WORDS", "TITLE_STOP_WORDS", "HEADLINE_STOP_WORDS",
           "stem", "prefix_stem"]
