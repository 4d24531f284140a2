"""Bad input never ends in a traceback: a one-line ``claimledger: error: …`` naming the file, or a correct result.

Through the CLI (``claimledger.cli.main``, stdout/stderr captured) and the library
(``claimledger.analyze``). Decisions: a Latin-1 English article is decoded (charset detection) and
analysed; random high bytes that are valid in no text encoding are an error; a non-English article
is an error naming the detected language; a file over ``--max-mb`` (default 5) is an error that
names the option; a bad ``--published`` is a one-line error, not an argparse usage dump.
"""

from __future__ import annotations

import io
import json
import random
import re
import sys

import pytest

from claimledger.errors import ClaimledgerError

ENGLISH = (
    "The town council said on Tuesday that the old swimming baths on Mill Lane would reopen in the "
    "spring after a two-year restoration. \"We found the original tiles under three layers of paint,\" "
    "project manager Alice Dunmore told the Riverside Gazette. Residents had campaigned for a decade "
    "to save the building, which opened in 1911.\n"
)

GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, das alte Hallenbad in der Mühlengasse im Frühjahr wieder "
    "zu eröffnen. \"Wir haben die ursprünglichen Fliesen unter drei Farbschichten gefunden\", sagte die "
    "Projektleiterin Anna Kessler der Lokalzeitung. Die Anwohner hatten sich zehn Jahre lang für den "
    "Erhalt des Gebäudes eingesetzt, das im Jahr 1911 eröffnet worden war. Die Kosten der Sanierung "
    "liegen nach Angaben der Stadt bei rund vier Millionen Euro.\n"
)

SPANISH = (
    "El ayuntamiento anunció el martes que la antigua piscina municipal de la calle del Molino volverá "
    "a abrir en primavera tras dos años de obras. \"Encontramos los azulejos originales bajo tres capas "
    "de pintura\", dijo la jefa del proyecto, Ana Lozano, al diario local. Los vecinos llevaban una "
    "década luchando por salvar el edificio, inaugurado en 1911.\n"
)

LATIN1_ENGLISH = (
    "The mayor of Valencia, José Ibáñez, said on Monday that the café on the Plaça de la Reina would "
    "reopen in the spring. \"The façade is safe and the kitchen has passed its inspection,\" Ibáñez told "
    "the Costa Herald. Señora Núñez, who has run the café since 1987, said she was delighted. "
    "The city's engineer, Jürgen Müller, said the repairs had cost less than expected and that the "
    "crème brûlée would be back on the menu by Easter.\n"
)


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    from claimledger.cli import main

    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse errors must not escape as usage dumps, but never hide them
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return int(code or 0), out, err


def assert_one_line_error(code: int, err: str, *must_contain: str) -> str:
    assert "Traceback" not in err, f"traceback on stderr:\n{err}"
    assert code != 0, f"exit code 0 for bad input; stderr: {err!r}"
    lines = err.rstrip("\n").split("\n")
    assert len(lines) == 1, f"stderr must be exactly one line, got {len(lines)}:\n{err}"
    line = lines[0]
    assert line.startswith("claimledger: error:"), f"stderr does not start with 'claimledger: error:': {line!r}"
    for part in must_contain:
        assert part in line, f"stderr should mention {part!r}: {line!r}"
    return line


@pytest.fixture
def write(tmp_path):
    def _write(name: str, data: bytes | str, encoding: str = "utf-8"):
        path = tmp_path / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
        return path

    return _write


# ---------------------------------------------------------------------------------------------
# CLI: files that cannot be an article

def test_empty_file(write, capsys):
    path = write("empty.txt", b"")
    code, out, err = run_cli(["analyze", str(path)], capsys)
    assert_one_line_error(code, err, "empty.txt")
    assert out == ""


def test_whitespace_only_file(write, capsys):
    path = write("blank.txt", b"  \n\t\n   \r\n  ")
    code, _, err = run_cli(["analyze", str(path)], capsys)
    assert_one_line_error(code, err, "blank.txt")


def test_binary_file(write, capsys):
    rng = random.Random(1)
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(4096))
    path = write("picture.png", data)
    code, _, err = run_cli(["analyze", str(path)], capsys)
    assert_one_line_error(code, err, "picture.png")


def test_invalid_utf8_that_fits_no_encoding(write, capsys):
    """English words broken up by runs of random high bytes: valid in no plausible text encoding."""
    rng = random.Random(7)
    sentence = b"The council said the bridge would reopen next week after repairs. "
    data = b"".join(sentence[:20] + bytes(rng.randrange(0x80, 0x100) for _ in range(6)) + sentence[20:] for _ in range(40))
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    path = write("garbled.txt", data)
    code, _, err = run_cli(["analyze", str(path)], capsys)
    assert_one_line_error(code, err, "garbled.txt")


def test_latin1_english_article_is_decoded(write, capsys):
    path = write("valencia.txt", LATIN1_ENGLISH, encoding="latin-1")
    code, out, err = run_cli(["analyze", str(path), "--format", "json"], capsys)
    assert "Traceback" not in err
    assert code == 0, f"Latin-1 English should be decoded and analysed; stderr: {err!r}"
    ledger = json.loads(out)
    names = [s.get("name", "") for s in ledger["sources"]] + [
        m.get("text", "") for s in ledger["sources"] for m in s.get("mentions") or []
    ]
    contents = " ".join(a.get("content", "") for a in ledger["attributions"])
    assert any("Ibáñez" in n for n in names), f"'Ibáñez' mis-decoded or not found among sources: {names}"
    assert "ń" not in contents + " ".join(names), f"Latin-1 decoded with the wrong code page: {contents!r}"


@pytest.mark.parametrize("text,code_", [(GERMAN, "de"), (SPANISH, "es")], ids=["german", "spanish"])
def test_non_english_article(write, capsys, text, code_):
    path = write(f"article-{code_}.txt", text)
    code, _, err = run_cli(["analyze", str(path)], capsys)
    line = assert_one_line_error(code, err, path.name)
    language = {"de": "german", "es": "spanish"}[code_]
    assert re.search(rf"\b{code_}\b", line) or language in line.lower(), f"detected language not named: {line!r}"


def test_file_over_the_size_limit(tmp_path, capsys):
    path = tmp_path / "huge.txt"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range((20 * 1024 * 1024) // len(ENGLISH) + 1):
            handle.write(ENGLISH)
    assert path.stat().st_size >= 20 * 1024 * 1024
    code, out, err = run_cli(["analyze", str(path)], capsys)
    assert_one_line_error(code, err, "huge.txt", "--max-mb")
    assert out == ""


def test_max_mb_option_is_honoured(write, capsys):
    path = write("small.txt", ENGLISH * 40)  # about 16 KB
    code, _, err = run_cli(["analyze", str(path), "--max-mb", "0.001"], capsys)
    assert_one_line_error(code, err, "small.txt", "--max-mb")


def test_missing_file(tmp_path, capsys):
    path = tmp_path / "no-such-article.txt"
    code, _, err = run_cli(["analyze", str(path)], capsys)
    assert_one_line_error(code, err, "no-such-article.txt")


def test_directory(tmp_path, capsys):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, _, err = run_cli(["analyze", str(folder)], capsys)
    assert_one_line_error(code, err, "a-folder")


@pytest.mark.parametrize("value", ["2014-13-45", "yesterday", "03/12/2026"])
def test_bad_published_date(write, capsys, value):
    path = write("ok.txt", ENGLISH)
    code, out, err = run_cli(["analyze", str(path), "--published", value], capsys)
    assert_one_line_error(code, err, value)
    assert out == ""


# ---------------------------------------------------------------------------------------------
# CLI: good input through stdin

def test_stdin_dash(monkeypatch, capsys):
    fake_stdin = io.TextIOWrapper(io.BytesIO(ENGLISH.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake_stdin)
    code, out, err = run_cli(["analyze", "-", "--published", "2026-03-12", "--format", "json"], capsys)
    assert "Traceback" not in err
    assert code == 0, f"stdin should work; stderr: {err!r}"
    ledger = json.loads(out)
    contents = [a.get("content", "") for a in ledger["attributions"]]
    assert any("original tiles" in c for c in contents), f"the quote was not read from stdin: {contents}"


def test_empty_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8"))
    code, _, err = run_cli(["analyze", "-"], capsys)
    assert_one_line_error(code, err, "-")


# ---------------------------------------------------------------------------------------------
# library

@pytest.mark.parametrize("text", ["", "   \n\t  "], ids=["empty", "whitespace"])
def test_library_empty_text(text):
    import claimledger

    with pytest.raises(ClaimledgerError) as error:
        claimledger.analyze(text)
    assert "\n" not in str(error.value)


def test_library_binary_text():
    import claimledger

    with pytest.raises(ClaimledgerError) as error:
        claimledger.analyze("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert "\n" not in str(error.value)


def test_library_non_english():
    import claimledger

    with pytest.raises(ClaimledgerError) as error:
        claimledger.analyze(GERMAN)
    message = str(error.value)
    assert "\n" not in message and (re.search(r"\bde\b", message) or "german" in message.lower()), message


def test_library_bad_published():
    import claimledger

    with pytest.raises(ClaimledgerError) as error:
        claimledger.analyze(ENGLISH, published="2014-13-45")
    assert "2014-13-45" in str(error.value)


def test_library_unbalanced_quotes_do_not_crash():
    import claimledger

    ledger = claimledger.analyze('The coach said "we will be back.\n\nPrices will rise," the minister said. """')
    assert ledger is not None


# ---------------------------------------------------------------------------------------------
# UTF-8 with a few stray bytes; files that are not regular files


CURLY_ENGLISH = (
    "The minister said: “The bridge will reopen next week,” and the council’s engineer, Jürgen Müller, "
    "added that “every repair has been inspected.” Residents said they were relieved.\n"
) * 3


def test_utf8_with_a_few_stray_bytes_is_utf8_and_the_user_is_told(write, capsys):
    data = CURLY_ENGLISH.encode("utf-8")
    data = data[:40] + b"\xff" + data[40:200] + b"\x9c" + data[200:]
    path = write("stray.txt", data)
    code, out, err = run_cli(["analyze", str(path), "--format", "json"], capsys)
    assert code == 0, err
    assert err.strip() == f"claimledger: warning: {path}: is UTF-8 but for 2 invalid byte sequences, replaced by U+FFFD"
    assert "Müller" in json.dumps(json.loads(out), ensure_ascii=False)
    from claimledger.ingest.reader import read_article

    text = read_article(path).text
    assert text.count("\ufffd") == 2 and text.replace("\ufffd", "") == CURLY_ENGLISH


def test_fifo_and_character_devices_are_refused_in_one_line(tmp_path, capsys):
    import os
    import threading

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    finished = threading.Event()
    result = {}

    def run():
        result["value"] = run_cli(["analyze", str(fifo)], capsys)
        finished.set()

    threading.Thread(target=run, daemon=True).start()
    assert finished.wait(30), "analyze hung on a FIFO with no writer"
    code, _, err = result["value"]
    assert_one_line_error(code, err, str(fifo), "not a regular file")
    code, _, err = run_cli(["analyze", "/dev/zero"], capsys)
    assert_one_line_error(code, err, "/dev/zero", "not a regular file")


def test_stdin_reads_at_most_the_limit_plus_one_byte(monkeypatch, capsys):
    class Endless(io.RawIOBase):
        """A stdin that never ends (as /dev/zero piped in): only a bounded read may touch it."""

        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = b"a" * len(buffer)
            return len(buffer)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    code, _, err = run_cli(["analyze", "-", "--max-mb", "0.01"], capsys)
    assert_one_line_error(code, err, "-", "0.01 MB limit")
