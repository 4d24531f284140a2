"""The shipped list of parse-trigger forms is the one the cue lexicon gives (rebuild it with
``python scripts/build_trigger_forms.py`` after changing the lexicon)."""

from claimledger.attribution.cues import _TRIGGER_FORMS, compute_trigger_forms, trigger_forms


def test_the_shipped_trigger_forms_are_current():
    assert _TRIGGER_FORMS.exists()
    assert trigger_forms() == compute_trigger_forms(), "stale: run python scripts/build_trigger_forms.py"


def test_trigger_forms_hold_cue_forms_and_complement_pairs():
    forms = trigger_forms()
    assert {"said", "denied", "according"} <= forms
    assert any(form.endswith(" that") for form in forms) and any(form.startswith("* ") for form in forms)
