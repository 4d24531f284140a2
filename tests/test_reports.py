"""Reports of reports and speaker runs: 'the newspaper quoted R. as saying …' has source R. and the
newspaper as medium; '"…," he said' right after it keeps both."""

from __future__ import annotations

import claimledger

INTERFAX = (
    "Moscow has not supplied missiles to the rebels, Russia's Interfax news agency reported on Monday.\n"
    "It quoted Deputy Foreign Minister Sergei Ryabkov as saying Russia had never considered such deliveries. "
    "\"We did not send anything, and we will not,\" he said.\n"
    "Ryabkov added that the accusations were designed to derail the talks.\n"
)
GUARDIAN = (
    "Britain's Guardian newspaper reported that the contract had been signed in secret.\n"
    "The newspaper quoted company director Alan Pike as saying the board knew nothing about it.\n"
)


def _statements(text):
    ledger = claimledger.analyze(text, use_stance_model=False)
    return [(ledger.source(a.source).name if a.source else None, a.content, a.medium) for a in ledger.attributions]


def _find(statements, phrase):
    return next(s for s in statements if phrase in s[1])


def test_quoted_as_saying_names_the_speaker_and_the_outlet():
    found = _statements(INTERFAX)
    assert _find(found, "Moscow has not supplied")[0] == "Interfax news agency"
    name, _, medium = _find(found, "Russia had never considered")
    assert name == "Sergei Ryabkov" and "Interfax" in medium


def test_the_speaker_run_keeps_speaker_and_medium():
    found = _statements(INTERFAX)
    name, _, medium = _find(found, "We did not send anything")
    assert name == "Sergei Ryabkov" and "Interfax" in medium
    assert _find(found, "accusations were designed")[0] == "Sergei Ryabkov"


def test_the_newspaper_refers_back_to_the_outlet():
    found = _statements(GUARDIAN)
    name, _, medium = _find(found, "the board knew nothing")
    assert name == "Alan Pike" and "Guardian" in medium
    assert not any(content == "saying" for _, content, _ in found)
