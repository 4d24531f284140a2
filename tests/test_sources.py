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
    assert diplomat.anonymous and officials.anonymous  # neither has a name (issue 17: anonymity = no name)


def test_anonymity_is_the_absence_of_a_name():
    ledger, found = sources_of(
        "An unnamed source said the deal was close. "
        "U.S. officials said the talks would go on. "
        "Senator Paulo Reis, who asked not to be named, said the vote would be delayed. "
        "The Pentagon said the drills were routine."
    )
    assert source_for(found, "deal was close").anonymous
    assert source_for(found, "talks would go on").anonymous
    assert not source_for(found, "vote would be delayed").anonymous  # a name: not anonymous
    assert not source_for(found, "drills were routine").anonymous  # an organisation's name
    for attribution in ledger.attributions:
        assert attribution.anonymous == ledger.source(attribution.source).anonymous


def test_evidence_is_not_a_source():
    ledger, found = sources_of(
        "Video filmed from a boat appears to show flames at both ends of the building. "
        "Maintenance records show that the sprinklers had been switched off in January. "
        "Fire chief Ruth Amadi said the blaze had been set deliberately."
    )
    names = [s.name.lower() for s in ledger.sources]
    assert not any("video" in n or "records" in n for n in names), names
    assert source_for(found, "set deliberately").name == "Ruth Amadi"


def test_organisations_are_organisations():
    _, found = sources_of(
        "Vesterhavn Pharma said the trial would resume in June. "
        "The company's operations director, Henrik Sandvik, said the plant had passed an inspection."
    )
    assert source_for(found, "trial would resume").kind == "organization"
    assert source_for(found, "passed an inspection").kind == "person"


def test_an_unnamed_business_is_the_named_one():
    ledger, found = sources_of(
        "A trial of a heart drug was paused, the Danish drugmaker behind it confirmed on Wednesday. "
        "Vesterhavn Pharma said in a statement that a safety board had recommended the pause. "
        "The company said no patient had been harmed by the medicine."
    )
    firm = source_for(found, "safety board had recommended")
    assert source_for(found, "trial of a heart drug was paused").id == firm.id
    assert source_for(found, "no patient had been harmed").id == firm.id
    assert [s.name for s in ledger.sources] == ["Vesterhavn Pharma"]


def test_partitive_introduction_is_one_named_person():
    from claimledger.sources.identity import identity_key

    ledger, found = sources_of(
        "Two night-shift workers gave a different account. One of them, Pavel Dobrev, said he saw smoke "
        "before midnight. Dobrev said the alarm did not sound."
    )
    source = source_for(found, "he saw smoke")
    assert source.id == source_for(found, "alarm did not sound").id
    assert source.name == "Pavel Dobrev" and source.role is None
    assert identity_key(source) == "name:pavel dobrev"


def test_role_introduction_keeps_the_name_key():
    from claimledger.sources.identity import identity_key

    ledger, found = sources_of(
        "The drills will go ahead, a Pentagon spokesman said. "
        "\"These exercises are planned a year in advance,\" Rear Adm. John Kirby told AFP."
    )
    source = source_for(found, "drills will go ahead")
    assert source.name == "John Kirby"
    assert identity_key(source) == "name:john kirby"


def test_a_document_speaks_for_its_owner_and_a_description_takes_the_earlier_name():
    ledger, found = sources_of(
        "Analysts at the Geneva-based Water Security Centre reviewed the images, and their report found "
        "that the breach was consistent with an explosion. "
        "The centre cautioned that the images alone could not show who was responsible."
    )
    assert not any(s.kind == "document" for s in ledger.sources)
    assert source_for(found, "consistent with an explosion").name == "Analysts"
    assert source_for(found, "could not show who").name == "Water Security Centre"


def test_a_title_abbreviation_does_not_end_the_sentence():
    _, found = sources_of(
        "A ministry spokeswoman, Col. Irina Petek, told Reuters that engineers had warned of cracks."
    )
    source = source_for(found, "engineers had warned")
    assert (source.name, source.kind, source.role) == ("Irina Petek", "person", "ministry spokeswoman")


def test_several_unnamed_bodies_are_a_group_with_no_name_key():
    from claimledger.sources.identity import identity_key

    text = ("Lindvik Health recalled the inhaler on Monday.\n\n"
            "Patient groups said the recall came too late for many families.\n\n"
            "The ministries said they had not been told of the fault.")
    ledger = claimledger.analyze(text)
    by_name = {s.name.lower(): s for s in ledger.sources}
    for name in ("patient groups", "ministries"):
        assert by_name[name].kind == "group"
        assert not (identity_key(by_name[name]) or "").startswith("name:")  # not "name:patient"
