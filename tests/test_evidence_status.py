"""Evidence status as data (content/data/evidence_status.yml): schema, staleness, contradictions in prose."""

import copy
from pathlib import Path

import nbformat
import pytest
import yaml

from spinecourse.authoring import contentlint
from spinecourse.authoring.translation import edition_of
from spinecourse.content import dating, questions, references, schema_check, status

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "spinecourse" / "content" / "data" / "evidence_status.yml"
COURSE = sorted((ROOT / "course").glob("*.ipynb"))
QUIZZES = sorted(p for p in (ROOT / "assignments" / "source").glob("*/*.ipynb") if not edition_of(p.parent.name))
TABLES = sorted(p for p in DATA.parent.glob("*.yml") if p.name != "references.yml")


def _data():
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _write(tmp_path, data):
    path = tmp_path / "evidence_status.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# ---- the real data ----


def test_real_data_is_valid_and_its_sources_are_in_the_bibliography():
    assert contentlint.lint_evidence_status() == []


def test_every_status_named_in_the_brief_is_there():
    wanted = {
        "jrct2013210076",
        "nct03692221",
        "nct06325566",
        "msb_dr003",
        "nct04530071",
        "respine2024",
        "ryoncil2024",
        "alofisel2024",
        "stemirac2018",
        "florida2025",
        "korea_act2020",
        "korea_route2025",
        "fda2020alert",
    }
    assert wanted <= set(status.ids())
    assert "Not Recruiting" in status.text("jrct2013210076")
    assert "0 participants" in status.text("nct03692221")


def test_loader_reads_one_status_with_its_date():
    assert status.dated("florida2025").endswith("(checked 2 December 2026)")
    assert status.get("alofisel2024").sources == ("alofisel2024",)
    with pytest.raises(ValueError, match="unknown evidence status 'nope'"):
        status.get("nope")


# ---- staleness: older than 12 months at the content review date ----


def test_a_status_older_than_12_months_fails_the_lint(tmp_path):
    data = _data()
    data["statuses"][0]["as_of"] = "2025-12-01"
    problems = contentlint.lint_evidence_status(_write(tmp_path, data), reviewed="2026-12-02")
    assert len(problems) == 1
    assert data["statuses"][0]["id"] in problems[0] and "more than 12 months" in problems[0]


def test_exactly_12_months_is_not_yet_stale_and_leap_days_work(tmp_path):
    data = _data()
    data["statuses"][0]["as_of"] = "2025-12-02"
    assert contentlint.lint_evidence_status(_write(tmp_path, data), reviewed="2026-12-02") == []
    statuses = status.parse(data, check_keys=False)
    assert status.stale_problems("2028-02-29", statuses)  # every as_of of 2025-2026 is stale by then
    data["statuses"][0]["as_of"] = "2027-02-28"
    assert [
        p
        for p in status.stale_problems("2028-02-29", status.parse(data, check_keys=False))
        if data["statuses"][0]["id"] in p
    ] == []


def test_the_real_data_is_not_stale_at_the_review_date():
    assert status.stale_problems(dating.CONTENT_REVIEWED) == []


# ---- schema errors name the file, the entry and the field ----


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda e: e.update(as_of="2026-13-01"), "field 'as_of'"),
        (lambda e: e.update(as_of="02/12/2026"), "field 'as_of'"),
        (lambda e: e.pop("sources"), "field 'sources': missing"),
        (lambda e: e.update(kind="rumour"), "field 'kind'"),
        (lambda e: e.update(sources=["nobody1999"]), "unknown reference key 'nobody1999'"),
        (lambda e: e.update(contradicted_by=["(unclosed"]), "bad regular expression"),
        (lambda e: e.update(extra="x"), "'extra' was unexpected"),
    ],
)
def test_schema_errors_name_file_entry_and_field(tmp_path, mutate, expected):
    data = _data()
    entry = data["statuses"][2]
    mutate(entry)
    problems = contentlint.lint_evidence_status(_write(tmp_path, data))
    assert problems, "the broken file passed"
    assert any(p.startswith("evidence_status.yml: entry") and entry["id"] in p and expected in p for p in problems), (
        problems
    )


def test_duplicate_ids_are_refused():
    data = _data()
    data["statuses"].append(copy.deepcopy(data["statuses"][0]))
    assert any(
        "field 'id': duplicate id" in p
        for p in schema_check.problems(data, "evidence_status", "evidence_status.yml", check_keys=False)
    )


# ---- contradictions: prose that states a status the data does not hold ----


def _lesson(text):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# T\n\n> This is educational material and not medical advice.\n\n" + dating.review_line()
        ),
        nbformat.v4.new_markdown_cell("## Overview\n\n**Time:** 30 minutes\n\n## Learning objectives\n\n1. x"),
        nbformat.v4.new_markdown_cell("## 1. Section\n\n" + text),
        nbformat.v4.new_markdown_cell("## Summary\n\n- x"),
        nbformat.v4.new_markdown_cell("## References\n\n- `jrct2013210076`: ...\n- `nct02932020`: ..."),
    ]
    return nb


@pytest.mark.parametrize(
    "text",
    [
        "The one stenosis trial, jRCT2013210076, is recruiting and has no results.",
        "One phase 2 trial with surgery is recruiting [@jrct2013210076].",
        "| jRCT2013210076 | still recruiting |",
        "NCT03692221 is recruiting 24 patients.",
        "RESPINE was positive.",
        "Alofisel remains authorised in the EU.",
        "A trusted centre offers the treatment only inside a registered trial.",
        "The only FDA-approved stem-cell products are cord-blood cells (FDA alert, 2020).",
        "Florida law bans unapproved stem-cell injections.",
        "Florida's 2025 law makes the injections FDA-approved.",
        "Stemirac was fully approved in 2025.",
        "The phase 3 trial NCT02412735 gives status only.",
    ],
)
def test_prose_that_contradicts_the_data_fails_the_lint(text):
    problems = contentlint.lint_notebook(_lesson(text), "lesson")
    assert any("disagrees with evidence_status.yml" in p for p in problems), problems


@pytest.mark.parametrize(
    "text",
    [
        'jRCT2013210076 shows "Not Recruiting" on the NIPH portal; two aggregators still show "Recruiting" [@jrct2013210076].',
        "NCT03692221 was withdrawn with 0 participants enrolled.",
        "RESPINE did not reach its primary endpoint (74% vs 69%).",
        "Alofisel was withdrawn from the EU in December 2024.",
        "A trusted centre offers it only inside a registered trial, or, in Korea since February 2025, under a "
        "treatment plan approved by the national review committee.",
        "In its July 2020 alert the FDA said the only approved stem-cell products were cord-blood cells.",
        "Since 1 July 2025 Florida lets physicians offer therapies that are not FDA-approved.",
        "A state law such as Florida's (in force since 1 July 2025) permits unapproved treatments; it does not make "
        "them FDA-approved or proven.",
        "Stemirac has had conditional approval in Japan since 2018.",
        # two items in one sentence: each status phrase is held against the item named nearest to it
        "The stenosis trial has not reported [@jrct2013210076], and NCT06325566 is recruiting.",
    ],
)
def test_prose_that_agrees_with_the_data_passes(text):
    problems = contentlint.lint_notebook(_lesson(text), "lesson")
    assert not any("disagrees" in p for p in problems), problems


def test_a_contradiction_in_a_content_table_or_bank_text_fails(tmp_path):
    table = tmp_path / "table.yml"
    table.write_text(
        "rows:\n  - text: 'The one stenosis MSC trial is recruiting [@jrct2013210076].'\n", encoding="utf-8"
    )
    assert any("jrct2013210076" in p for p in contentlint.lint_data_file(table))
    # a bank's texts go through the same check, named by bank and question
    assert status.contradiction_problems("NCT03692221 is recruiting.", "04_evidence_hierarchy/x")[0].startswith(
        "04_evidence_hierarchy/x: "
    )


def test_a_changed_status_makes_old_prose_fail():
    """The point of one source of truth: if a trial starts recruiting again, text saying it is not would be
    caught once the data says so (the phrases travel with the status)."""
    data = _data()
    entry = next(e for e in data["statuses"] if e["id"] == "nct03692221")
    entry.update(status="Recruiting again.", states=["recruiting"], contradicted_by=["\\bwithdrawn\\b"])
    statuses = status.parse(data, check_keys=False)
    assert status.contradiction_problems("NCT03692221 was withdrawn.", statuses=statuses)
    assert not status.contradiction_problems("NCT03692221 is recruiting.", statuses=statuses)


# ---- the real course agrees with the data ----


@pytest.mark.parametrize("path", COURSE + QUIZZES, ids=lambda p: p.name)
def test_notebook_prose_agrees_with_the_evidence_status(path):
    nb = nbformat.read(path, as_version=4)
    md = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert status.contradiction_problems(md, path.name) == []


@pytest.mark.parametrize("name", questions.bank_names())
def test_bank_prose_agrees_with_the_evidence_status(name):
    assert [p for p in contentlint.lint_question_bank(name) if "disagrees with evidence_status.yml" in p] == []


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_content_table_prose_agrees_with_the_evidence_status(path):
    assert [p for p in contentlint.lint_data_file(path) if "disagrees with evidence_status.yml" in p] == []


def test_status_table_has_one_row_per_status():
    table = status.markdown_table(link=lambda k: k)
    assert table.count("\n") == 1 + len(status.ids())
    assert references.load()  # the bibliography the sources point to loads


def _string_constants(path):
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


@pytest.mark.parametrize(
    "path", sorted((ROOT / "spinecourse").glob("[mw]*/*.py")), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_model_and_widget_text_agrees_with_the_evidence_status(path):
    """Learner-visible strings in models and widgets (eligibility criteria, feedback) too."""
    text = "\n\n".join(_string_constants(path))
    assert status.contradiction_problems(text, path.name) == []
