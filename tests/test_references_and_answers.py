import re
from pathlib import Path

import pytest

from spinecourse import answers
from spinecourse.content import references, schema_check

ROOT = Path(__file__).resolve().parents[1]
# The checked bibliography, vendored so that a fresh clone can test against it.
CHECKED = ROOT / "docs" / "checked-references.md"
# Where the project's shared material lives beside the repository (authors' machines, CI).
SHARED = ROOT.parent / "shared" / "references.md"


def test_bibliography_loads_and_validates():
    bib = references.load()
    assert len(bib) >= 50
    assert schema_check.problems(bib, "references", "references.yml") == []


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
    problems = schema_check.problems({"Bad Key": {"status": "x"}}, "references", "references.yml")
    assert "references.yml: entry 'Bad Key', field '(key)': 'Bad Key' does not match '^[a-z0-9_]+$'" in problems, (
        problems
    )
    assert "references.yml: entry 'Bad Key', field 'short': missing" in problems, problems
    assert any(p.startswith("references.yml: entry 'Bad Key', field 'status': 'x' is not one of") for p in problems)
    assert schema_check.problems([], "references", "references.yml") == [
        "references.yml, field '(top level)': [] is not of type 'object'"
    ]


def test_bare_letters_and_other_honest_forms_are_the_same_answer(capsys):
    # the set-up cell of every quiz defines A..E as their letters, so q1 = C is the string "C"
    for value in ("C", "c", " C ", "C.", ["C"]):
        answers.check_answer("q1", value, "C", choices="ABCD")
    for value in (["A", "C"], ["c", "a"], ("A", "C"), {"C", "A"}, "AC", "a, c", "A and C", "[A, C]"):
        answers.check_format("q2", value, choices="ABCD", multiple=True)
        answers.check_answer("q2", value, "AC", choices="ABCD", multiple=True)
    for value in ("CAB", ["C", "A", "B"], "c a b"):
        answers.check_answer("q4", value, "CAB", choices="ABC", count=3)
    with pytest.raises(answers.AnswerProblem, match="not right yet"):
        answers.check_answer("q4", "ABC", "CAB", choices="ABC", count=3)  # an ordered answer: order matters
    grades = {"C1": " RCT ", "C2": "case SERIES"}
    answers.check_answer(
        "g", grades, {"C1": "RCT", "C2": "case series"}, keys=["C1", "C2"], choices=("RCT", "case series")
    )
    answers.check_answer(
        "g",
        ["rct", "Case series"],
        {"C1": "RCT", "C2": "case series"},
        keys=["C1", "C2"],
        choices=("RCT", "case series"),
    )  # a list in key order also works
    assert capsys.readouterr().out.count(": right.") == 5 + 8 + 3 + 2


def test_numbers_within_the_rounding_asked_for():
    np = pytest.importorskip("numpy")
    for value in (0.71, 0.7115, 0.712, np.float64(0.7115), 0.709):
        answers.check_answer("q3", value, 0.7115, decimals=2)
    for value in (0.72, 0.70, 71.15):
        with pytest.raises(answers.AnswerProblem):
            answers.check_answer("q3", value, 0.7115, decimals=2)
    answers.check_answer("q4", np.int64(48), 48, tolerance=0, whole=True)
    with pytest.raises(answers.AnswerProblem, match="whole number"):
        answers.check_answer("q4", 47.5, 48, tolerance=0, whole=True)
    with pytest.raises(answers.AnswerProblem, match="should be a number"):
        answers.check_format("q4", True, number=True)  # bool is not a number here
    with pytest.raises(answers.AnswerProblem, match="not a finite number"):
        answers.check_format("q4", np.float64("nan"), number=True)


def test_format_messages_are_one_friendly_line_and_never_show_the_key():
    cases = [
        (lambda: answers.check_format("q1", None, choices="ABCD"), "has no answer yet"),
        (lambda: answers.check_format("q1", "Z", choices="ABCD"), "Z is not one of the options A, B, C, D"),
        (lambda: answers.check_format("q1", "AB", choices="ABCD"), "should be one letter"),
        (lambda: answers.check_format("q1", 3, choices="ABCD"), "should be made of the letters"),
        (lambda: answers.check_format("q2", "AA", choices="ABCD", multiple=True), "lists a letter twice"),
        (lambda: answers.check_format("q4", "CA", choices="ABC", count=5), "needs 5 letters"),
        (lambda: answers.check_format("q3", "0.71", number=True), "without quotes"),
        (
            lambda: answers.check_format("q3", 71, number=True, low=0, high=1, unit=" (a proportion)"),
            "between 0 and 1 (a proportion)",
        ),
        (lambda: answers.check_format("g", {"C1": "RCT"}, keys=["C1", "C2"], choices=("RCT",)), "missing C2"),
        (lambda: answers.check_format("g", {"C1": "maybe"}, keys=["C1"], choices=("RCT",)), '"maybe"'),
        (
            lambda: answers.check_answer("q1", "B", "D", choices="ABCD", hint="look again"),
            "not right yet. Hint: look again",
        ),
    ]
    for call, expected in cases:
        with pytest.raises(answers.AnswerProblem) as info:
            call()
        assert isinstance(info.value, AssertionError)  # the cell still fails for nbgrader
        assert expected in str(info.value)
        shown = info.value._render_traceback_()  # what IPython shows instead of a traceback
        assert len(shown) == 1 and "\n" not in shown[0] and "Traceback" not in shown[0], shown
    with pytest.raises(answers.AnswerProblem) as info:
        answers.check_answer("q1", "B", "D", choices="ABCD")
    assert "D" not in str(info.value).replace("q1", "")  # the message does not give the key away


def test_format_check_passes_wrong_answers_and_says_so(capsys):
    answers.check_format("q1", "B", choices="ABCD")  # wrong (say the key is D) but well formed
    out = capsys.readouterr().out
    assert "form" in out and "right" in out and "✔" in out and out.count("\n") == 1


if SHARED.exists():  # collected only where the shared folder exists (see tests/README.md)

    def test_vendored_checked_list_matches_shared():
        assert CHECKED.read_text(encoding="utf-8") == SHARED.read_text(encoding="utf-8"), (
            "docs/checked-references.md drifted from ../shared/references.md: copy it again and re-check references.yml"
        )


def test_every_doi_written_anywhere_in_the_course_is_checked():
    """The same reading as the project's pre-stop check: a DOI as it appears in the files."""
    doi = re.compile(r"10\.[0-9]{4,9}/[^\]\[ \"'<>),;]+")
    checked = CHECKED.read_text(encoding="utf-8").lower()
    files = [
        p
        for folder in ("course", "assignments/source", "assignments/release", "spinecourse")
        for p in (ROOT / folder).rglob("*")
        if p.suffix in {".ipynb", ".py", ".md", ".yml", ".json"}
    ]
    files.append(ROOT / "README.md")
    unknown = {
        (p.name, d.rstrip("."))
        for p in files
        for d in doi.findall(p.read_text(encoding="utf-8"))
        if d.rstrip(".").lower() not in checked
    }
    assert not unknown, sorted(unknown)


def test_citation_problems_finds_unknown_and_unlisted_keys():
    problems = references.citation_problems("row1", "see [@suri2010; @nobody2099]", ["katz2008"])
    assert "row1: unknown reference key 'nobody2099'" in problems
    assert "row1: cites 'suri2010' but does not list it in refs" in problems
    assert references.citation_problems("row2", "see [@suri2010]", ["suri2010"]) == []


# ---- the keys of the quiz items that replaced "write a function" agree with the course's models ----

QUIZ_SOURCE = ROOT / "assignments" / "source"


def _quiz_cell(quiz: str, grade_id: str) -> str:
    import nbformat

    nb = nbformat.read(QUIZ_SOURCE / quiz / f"{quiz}.ipynb", as_version=4)
    return next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _key(quiz: str, grade_id: str) -> str:
    """The key of a check cell's hidden check_answer(..., "KEY", ...)."""
    hidden = _quiz_cell(quiz, grade_id).split("### BEGIN HIDDEN TESTS", 1)[1]
    return re.search(r'check_answer\("\w+", \w+, "([A-E]+)"', hidden).group(1)


def _table(markdown: str) -> list[list[str]]:
    rows = [line.strip().strip("|").split("|") for line in markdown.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row] for row in rows if not set("".join(row)) <= set("-: ")]


def test_quiz01_ap_key_follows_the_framingham_cut_points():
    from spinecourse.models.anatomy import classify_ap

    header, diameters = _table(_quiz_cell("01_anatomy_quiz", "q4-text"))
    letter = {"absolute": "A", "relative": "B", "none": "C"}
    graded = "".join(letter[classify_ap(float(d.split()[0]))] for d in diameters[1:])
    assert len(graded) == 5 and graded == _key("01_anatomy_quiz", "q4-test")


def test_quiz03_marker_key_follows_the_isct_thresholds():
    from spinecourse.models.isct import check_markers

    header, *rows = _table(_quiz_cell("03_msc_biology_quiz", "q3-text"))
    passing = "".join(
        row[0] for row in rows if all(c.passed for c in check_markers(dict(zip(header[1:], map(float, row[1:])))))
    )
    assert len(rows) == 5 and passing == _key("03_msc_biology_quiz", "q3-test")


def test_quiz05_section_361_key_follows_the_rule():
    from spinecourse.models.regulatory import section_361_only

    text = _quiz_cell("05_challenges_quiz", "q4-text")
    # the five products of the question, as (manipulated minimally, homologous, combined, systemic/living, donor)
    products = {
        "A": (False, False, False, True, "autologous"),
        "B": (True, True, False, False, "allogeneic_other"),
        "C": (True, True, False, True, "allogeneic_other"),
        "D": (True, True, False, True, "allogeneic_relative"),
        "E": (True, True, True, False, "allogeneic_other"),
    }
    assert "grown in culture" in text and "sister" in text and "synthetic gel" in text  # the cases encoded above
    key = "".join(k for k, args in products.items() if section_361_only(*args))
    assert key == _key("05_challenges_quiz", "q4-test")
