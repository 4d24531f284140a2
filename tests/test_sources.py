"""Source resolution within one article: names, roles, introductions, pronouns, anonymity, sides."""

import claimledger


def sources_of(text):
    ledger = claimledger.analyze(text, use_stance_model=False)
    by_content = {a.content: ledger.source(a.source) for a in ledger.attributions}
    return ledger, by_content


def source_for(by_content, phrase):
    return next(source for content, source in by_content.items() if phrase in content)


def test_appositive_name_role_and_country():
    _, found = sources_of("Portugal's finance minister, Ana Ruiz, said the budget would balance in 2027.")
    source = source_for(found, "budget would balance")
    assert source.name == "Ana Ruiz"
    assert source.role == "finance minister"
    assert source.country == "Portugal"


def test_surname_and_title_resolve_to_one_source():
    ledger, found = sources_of(
        "Dr. Maria Lopez said the clinic would stay open. "
        "Lopez added that two new nurses had been hired in May."
    )
    first = source_for(found, "clinic would stay open")
    second = source_for(found, "two new nurses")
    assert first.id == second.id and first.name == "Maria Lopez"


def test_role_then_name_introduction():
    ledger, found = sources_of(
        "The port will reopen on Friday, a harbour authority spokesman said on Tuesday.\n"
        "\"The channel has been cleared of debris,\" Captain Erik Dahl told reporters."
    )
    assert source_for(found, "port will reopen").id == source_for(found, "channel has been cleared").id


def test_pronoun_skips_incompatible_gender():
    _, found = sources_of(
        "Councillor Amos Whitfield voted against the plan on Tuesday. "
        "Mayor Linda Park said the plan was fully funded. "
        "He said the figures hid a deficit."
    )
    assert source_for(found, "figures hid a deficit").name == "Amos Whitfield"


def test_anonymous_sources_keep_their_description():
    _, found = sources_of("The merger will be announced on Monday, people familiar with the matter said.")
    source = source_for(found, "merger will be announced")
    assert source.anonymous and "familiar with the matter" in source.name


def test_officials_of_one_government_share_a_side():
    ledger, found = sources_of(
        "Iranian officials denied that the talks had failed. "
        "A senior Iranian diplomat who spoke on condition of anonymity said the talks would resume."
    )
    officials = source_for(found, "talks had failed")
    diplomat = source_for(found, "talks would resume")
    assert officials.id != diplomat.id
    assert officials.side == diplomat.side == "government of Iran"
    assert diplomat.anonymous and not officials.anonymous
