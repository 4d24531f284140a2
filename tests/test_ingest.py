"""Ingest: HTML through trafilatura, Markdown stripped, formats sniffed, language detected."""

from pathlib import Path

import pytest

from shared_data import shared_path

import claimledger
from claimledger.errors import UnsupportedLanguageError
from claimledger.ingest.reader import document_from_text, read_article, sniff_format, strip_markdown

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_html_example_yields_article_text_and_metadata():
    document = read_article(EXAMPLES / "harbour-fire.html")
    plain = (EXAMPLES / "harbour-fire.txt").read_text(encoding="utf-8")
    assert document.input_format == "html"
    assert document.published == "2026-02-19"
    assert "Kessling" in (document.title or "")
    assert "window.dataLayer" not in document.text and "site.css" not in document.text
    first_sentence = plain.strip().split(".")[0]
    assert first_sentence in document.text


def test_html_and_text_give_the_same_statements():
    html_ledger = claimledger.analyze((EXAMPLES / "harbour-fire.html").read_text(encoding="utf-8"), use_stance_model=False)
    text_ledger = claimledger.analyze((EXAMPLES / "harbour-fire.txt").read_text(encoding="utf-8"), use_stance_model=False)
    html_contents = {a.content for a in html_ledger.attributions}
    text_contents = {a.content for a in text_ledger.attributions}
    assert len(html_contents & text_contents) >= 0.8 * len(text_contents)


def test_markdown_is_stripped_and_offsets_index_the_stripped_text():
    markdown = (EXAMPLES / "heart-drug-trial.md").read_text(encoding="utf-8")
    assert sniff_format(markdown) == "markdown" or "#" in markdown
    ledger = claimledger.analyze(markdown, input_format="markdown", use_stance_model=False)
    assert ledger.attributions
    for attribution in ledger.attributions:
        assert ledger.document.text[attribution.start : attribution.end] == attribution.content
        assert "**" not in attribution.content and "](" not in attribution.content


def test_strip_markdown_keeps_words():
    assert strip_markdown("## Title\n\nThe **mayor** said [the plan](http://x.example) was *final*.") == (
        "Title\n\nThe mayor said the plan was final."
    )


def test_sniff_plain_text():
    assert sniff_format("The mayor said on Monday that the bridge would reopen.") == "text"


def test_non_english_is_refused_with_the_language():
    spanish = (
        "El alcalde de la ciudad dijo el martes que el puente permanecerá cerrado durante tres semanas "
        "mientras los ingenieros revisan los daños causados por la tormenta."
    )
    with pytest.raises(UnsupportedLanguageError, match="'es'"):
        document_from_text(spanish, name="noticia.txt")


@pytest.mark.parametrize("language, text", [
    ("nl", "De regering heeft dinsdag bekendgemaakt dat de economie in het laatste kwartaal met drie procent is "
           "gegroeid. De minister zei dat de cijfers positief waren en dat de werkloosheid in alle regio's was "
           "gedaald. Volgens de centrale bank is het herstel in de industrie en de bouw het sterkst, en was de "
           "groei in het noorden van het land hoger dan verwacht."),
    ("de", "Die Bundesregierung hat am Dienstag mitgeteilt, dass die Wirtschaft im letzten Quartal um drei Prozent "
           "gewachsen ist. Der Minister sagte, die Zahlen seien positiv und was die Arbeitslosigkeit angehe, sinke "
           "sie in allen Regionen. In the long run, so der Minister, sei das ein gutes Zeichen for the whole country."),
])
def test_long_foreign_prose_with_english_words_is_still_refused(language, text):
    with pytest.raises(UnsupportedLanguageError, match=f"'{language}'"):
        document_from_text(text, name="bericht.txt")


def test_plain_english_is_english_without_the_language_model(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "py3langid", None)  # importing it would fail
    seed = shared_path("seed", "iran-f4-airstrikes.txt").read_text(encoding="utf-8")
    assert document_from_text(seed, name="seed.txt").language == "en"


def test_html_nested_deeper_than_libxml2s_limit_still_gives_its_text():
    paragraph = ("<p>The mayor said on Tuesday that the harbour would reopen next week after repairs to the "
                 "damaged piers were finished.</p>")
    html = "<html><body>" + "<div>" * 300 + paragraph * 3 + "</div>" * 300 + "</body></html>"
    document = document_from_text(html, name="deep.html")
    assert document.input_format == "html"
    assert document.text.count("The mayor said on Tuesday") == 3


def test_one_story_from_two_copies_is_one_article(tmp_path):
    """The .txt and .html copies of one story (the page adds its title) are stored once."""
    from sqlalchemy import func, select

    from claimledger.services.ingest import ingest
    from claimledger.store import schema as t
    from claimledger.store.database import open_engine

    examples = Path(__file__).resolve().parent.parent / "examples"
    db = str(tmp_path / "ledger.db")
    summary = ingest([str(examples / "harbour-fire.txt"), str(examples / "harbour-fire.html")], db)
    assert (summary.ingested, summary.duplicates) == (1, 1)
    with open_engine(db).connect() as connection:
        assert connection.execute(select(func.count()).select_from(t.articles)).scalar() == 1
        names = list(connection.execute(select(t.sources.c.name)).scalars())
    assert names.count("Pavel Dobrev") == 1


def test_a_new_headline_does_not_make_a_new_article():
    from claimledger.store.writer import content_hash

    body = "KESSLING - The warehouse fire was started deliberately, investigators said on Wednesday.\n"
    assert content_hash("Fire was arson, investigators say\n\n" + body) == content_hash("Arson suspected in harbour fire\n" + body)
    assert content_hash(body) != content_hash(body.replace("Wednesday", "Thursday"))
