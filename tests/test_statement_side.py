"""Which side a statement takes once it speaks to a claim (stance/statement.py): a "not" or a "may"
on a detail of an event the sentence takes as given presupposes the event; a "not" on the event
itself denies it; a possibility, an open question or a running inquiry takes no side.

Word families are matched by their first five letters ("acquisition" is "acquired"); a noun from
another root ("takeover" for "taken over") is not recognised as the claim's event, and the
negation then counts as a plain one. The sentences are written for these tests (actors, places and wordings in neither the seed, the
shipped examples nor the training templates). The side is asked of the rules directly, as the ledger
asks it once a statement is found to speak to the claim.
"""

from __future__ import annotations

import pytest

from claimledger.stance.statement import StatementStance


def side(claim: str, statement: str, cue: str = "speech") -> str:
    stance = StatementStance([("C", claim)], statement)
    return stance._polarity(statement, "C", cue, refused=False, negated_cue=False)


@pytest.mark.parametrize("claim, statement, expected", [
    # the event is the subject; the negation denies a detail of it
    ("Moravian gunboats shelled the harbour at Tesk.", "The shelling of Tesk harbour was not approved by parliament.", "support"),
    ("Brandt Logistics has acquired Ferrol Freight.", "Brandt's acquisition of Ferrol will not mean job losses at the depot.", "support"),
    ("The Ostrava reservoir was contaminated with diesel.", "The contamination of the reservoir was not reported for three days.", "support"),
    # "without": the verb it hangs on is given
    ("Moravian gunboats shelled the harbour at Tesk.", "Moravian gunboats shelled Tesk without warning the port authority.", "support"),
    # the negation is on the event itself, or the subject is only who did it
    ("Moravian gunboats shelled the harbour at Tesk.", "Moravian gunboats have never shelled Tesk.", "deny"),
    ("Police arrested Ilse Varga after the protest.", "Ilse Varga has not been detained at any point.", "deny"),
    ("Brandt Logistics has acquired Ferrol Freight.", "The acquisition of Ferrol has not happened and will not happen.", "deny"),
    ("Moravian gunboats shelled the harbour at Tesk.", "The shelling of Tesk that the papers describe is not true.", "deny"),
    # a contrast ("…, not of X") stays a plain negation
    ("The crop failure was caused by the new pesticide.", "The crops failed because of the drought, not because of the pesticide.", "deny"),
])
def test_negation_scope(claim, statement, expected):
    assert side(claim, statement) == expected


def test_a_reported_denial_of_a_detail_still_turns_the_content():
    """'X denied that the shelling was approved': the cue denies the content, whatever its scope."""
    claim = "Moravian gunboats shelled the harbour at Tesk."
    assert side(claim, "The shelling of Tesk harbour was not approved by parliament.", cue="denial") == "deny"


@pytest.mark.parametrize("claim, statement, expected", [
    ("Moravian gunboats shelled the harbour at Tesk.", "Moravian gunboats may have shelled Tesk overnight.", "neutral"),
    ("Police arrested Ilse Varga after the protest.", "It is unclear who ordered the arrest of Ilse Varga.", "neutral"),
    ("Police arrested Ilse Varga after the protest.", "It is not yet clear whether police arrested Ilse Varga.", "neutral"),
    ("The Ostrava reservoir was contaminated with diesel.", "Inspectors are still examining water samples from the Ostrava reservoir.", "neutral"),
    ("The crop failure was caused by the new pesticide.", "It is too soon to draw conclusions about the pesticide.", "neutral"),
    ("The crop failure was caused by the new pesticide.", "An inquiry will establish whether the pesticide was to blame.", "neutral"),
    # the hedge is on a detail of a shelling the sentence takes as given
    ("Moravian gunboats shelled the harbour at Tesk.", "The shelling of Tesk may have been the heaviest in a decade.", "support"),
])
def test_hedges_and_open_questions(claim, statement, expected):
    assert side(claim, statement) == expected


@pytest.mark.parametrize("claim, statement, expected", [
    ("Police arrested Ilse Varga after the protest.", "No one at the station disputes that Ilse Varga was arrested.", "support"),
    ("Police arrested Ilse Varga after the protest.", "It cannot be denied that officers detained Ilse Varga.", "support"),
    ("Police arrested Ilse Varga after the protest.", "We have no reason to doubt that she was arrested.", "support"),
    ("Police arrested Ilse Varga after the protest.", "Nobody arrested Ilse Varga.", "deny"),  # no doubt verb: a plain denial
])
def test_a_negated_doubt_asserts(claim, statement, expected):
    assert side(claim, statement) == expected


@pytest.mark.parametrize("claim, statement, expected", [
    ("Police arrested Ilse Varga after the protest.", "Ilse Varga was arrested, but not charged.", "support"),
    ("Brandt Logistics has acquired Ferrol Freight.", "Brandt acquired Ferrol, though not its shipping arm.", "support"),
    # the narrowed part is the claim itself, or its cause
    ("The levee at Orsk was breached deliberately.", "The levee at Orsk gave way, but not deliberately.", "deny"),
    ("The levee at Orsk was sabotaged.", "The levee at Orsk failed, but not because of sabotage.", "deny"),
])
def test_but_not_narrows_an_assertion(claim, statement, expected):
    assert side(claim, statement) == expected
