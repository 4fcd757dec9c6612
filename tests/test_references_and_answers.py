import hashlib
import re
from pathlib import Path

import pytest

from spinecourse import answers
from spinecourse.content import references

ROOT = Path(__file__).resolve().parents[1]
# The checked bibliography, vendored so that a fresh clone can test against it.
CHECKED = ROOT / "docs" / "checked-references.md"
# Where the project's shared material lives beside the repository (authors' machines, CI).
SHARED = ROOT.parent / "shared" / "references.md"


def test_bibliography_loads_and_validates():
    bib = references.load()
    assert len(bib) >= 50
    assert references.validate(bib) == []


def test_every_doi_is_in_the_checked_list():
    checked = CHECKED.read_text(encoding="utf-8").lower()
    for key, entry in references.load().items():
        if entry.get("doi"):
            assert entry["doi"].lower() in checked, f"{key}: DOI {entry['doi']} is not in references.md"


def test_every_backticked_key_of_the_checked_list_is_in_the_bibliography():
    text = CHECKED.read_text(encoding="utf-8")
    keys = set(re.findall(r"^(?:###\s*|-\s*)`([a-z0-9_]+)`", text, re.MULTILINE))
    assert keys, "no keys parsed from references.md"
    assert keys <= set(references.load()), keys - set(references.load())


def test_citation_rendering():
    assert references.keys_in("a [@suri2010; @sport2008] b [@katz2008]") == ["suri2010", "sport2008", "katz2008"]
    assert references.render_citations("x [@suri2010]") == "x (Suri et al. 2010)"
    with pytest.raises(ValueError, match="unknown reference key 'made_up2020'"):
        references.render_citations("[@made_up2020]")


def test_unknown_reference_is_a_value_error_and_still_a_key_error():
    with pytest.raises(references.UnknownReferenceError) as info:
        references.entry("made_up2020")
    assert isinstance(info.value, ValueError) and isinstance(info.value, KeyError)  # old `except KeyError` still works
    assert str(info.value).startswith("unknown reference key 'made_up2020'")  # no KeyError quotes around it


def test_markdown_list_has_keys_and_dois():
    text = references.markdown_list(["kalichman2009", "kalichman2009"])
    assert text.count("`kalichman2009`") == 1 and "10.1016/j.spinee.2009.03.005" in text


def test_validate_reports_problems():
    assert references.validate({"Bad Key": {"status": "x"}})
    assert references.validate([]) == ["the bibliography must be a non-empty mapping of key -> entry"]


def test_answer_digest_normalises_but_does_not_reveal():
    d = answers.digest("q1", "C")
    assert d == answers.digest("q1", " c ")
    assert len(d) == 16 and re.fullmatch(r"[0-9a-f]{16}", d)  # a truncated hex digest
    assert d == hashlib.sha256(b"q1:C").hexdigest()[:16]  # a salted hash of the answer, not an encoding of it
    # A one-letter answer can occur in a hex digest by chance ("C" does in this one), so the
    # does-not-appear check uses answers of several letters, compared case-insensitively.
    for answer in ("decade", "BEAD", "ace"):
        assert answers.normalise(answer) not in answers.digest("q5", answer).upper()
    assert answers.digest("q2", ["A", "C"]) == answers.digest("q2", ["c", "a"])
    assert answers.digest("q3", 0.7115, 2) == answers.digest("q3", 0.71, 2)
    assert answers.digest("q1", "C") != answers.digest("q9", "C")  # salted by question name


def test_numpy_numbers_are_numbers():
    np = pytest.importorskip("numpy")
    assert answers.normalise(np.int64(3)) == answers.normalise(3) == "3.0"
    assert answers.normalise(np.float64(0.7115), 2) == "0.71"
    assert answers.digest("q3", np.float64(0.7115), 2) == answers.digest("q3", 0.71, 2)
    assert answers.digest("q4", np.int64(12)) == answers.digest("q4", 12)
    with pytest.raises(ValueError, match="NaN"):
        answers.normalise(np.float64("nan"))


def test_check_answer_accepts_numpy_numbers(capsys):
    np = pytest.importorskip("numpy")
    answers.check_answer("q3", np.float64(0.712), answers.digest("q3", 0.71, 2), decimals=2)
    answers.check_answer("q4", np.int64(12), answers.digest("q4", 12, 0), decimals=0)
    assert capsys.readouterr().out.count("correct") == 2
    with pytest.raises(AssertionError, match="should be a number"):
        answers.check_answer("q4", True, answers.digest("q4", 1, 0), decimals=0)  # bool is not a number here


def test_check_answer_messages(capsys):
    d = answers.digest("q1", "B")
    answers.check_answer("q1", "b", d, choices=("A", "B"))
    assert "correct" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="is not correct yet. Hint: think"):
        answers.check_answer("q1", "A", d, choices=("A", "B"), hint="think")
    with pytest.raises(AssertionError, match="must be one of"):
        answers.check_answer("q1", "Z", d, choices=("A", "B"))
    with pytest.raises(AssertionError, match="no answer yet"):
        answers.check_answer("q1", None, d)
    with pytest.raises(AssertionError, match="should be a number"):
        answers.check_answer("q3", "0.71", answers.digest("q3", 0.71, 2), decimals=2)


if SHARED.exists():  # collected only where the shared folder exists (see tests/README.md)

    def test_vendored_checked_list_matches_shared():
        assert CHECKED.read_text(encoding="utf-8") == SHARED.read_text(encoding="utf-8"), (
            "docs/checked-references.md drifted from ../shared/references.md: copy it again and re-check references.yml")


def test_every_doi_written_anywhere_in_the_course_is_checked():
    """The same reading as the project's pre-stop check: a DOI as it appears in the files."""
    doi = re.compile(r"10\.[0-9]{4,9}/[^\]\[ \"'<>),;]+")
    checked = CHECKED.read_text(encoding="utf-8").lower()
    files = [p for folder in ("course", "assignments/source", "assignments/release", "spinecourse")
             for p in (ROOT / folder).rglob("*") if p.suffix in {".ipynb", ".py", ".md", ".yml", ".json"}]
    files.append(ROOT / "README.md")
    unknown = {(p.name, d.rstrip(".")) for p in files for d in doi.findall(p.read_text(encoding="utf-8"))
               if d.rstrip(".").lower() not in checked}
    assert not unknown, sorted(unknown)


def test_citation_problems_finds_unknown_and_unlisted_keys():
    problems = references.citation_problems("row1", "see [@suri2010; @nobody2099]", ["katz2008"])
    assert "row1: unknown reference key 'nobody2099'" in problems
    assert "row1: cites 'suri2010' but does not list it in refs" in problems
    assert references.citation_problems("row2", "see [@suri2010]", ["suri2010"]) == []
