"""The glossary: schema, every abbreviation the lessons use explained, the token scan."""

import copy
from pathlib import Path

import nbformat
import pytest
import yaml

from spinecourse.content import glossary, schema_check

ROOT = Path(__file__).resolve().parents[1]
COURSE = sorted((ROOT / "course").glob("*.ipynb"))
DATA = ROOT / "spinecourse" / "content" / "data" / "glossary.yml"


def _tokens(path):
    nb = nbformat.read(path, as_version=4)
    return [t for c in nb.cells if c.cell_type == "markdown" for t in glossary.abbreviations(c.source)]


@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.name)
def test_every_abbreviation_in_the_lessons_is_in_the_glossary(path):
    assert glossary.unexplained(_tokens(path)) == [], "add these to spinecourse/content/data/glossary.yml"


def test_the_glossary_covers_at_least_thirty_abbreviations_used():
    used = {glossary.lookup(t).term for p in COURSE for t in _tokens(p) if glossary.lookup(t)}
    assert len(used) >= 30, sorted(used)


def test_scan_finds_codes_not_words():
    text = (
        "An MSC-type cell, FDA-approved? SF-36, HCT/Ps and SR-aGVHD; NCT03692221 and CD34; `ODI` in code; "
        "[@sport2008]; a [link](https://x.org/ABC).\n\n## References\n\n- RCT listed here is not prose."
    )
    assert glossary.abbreviations(text) == ["MSC", "FDA", "SF-36", "HCT/Ps", "SR-aGVHD", "NCT03692221", "CD34"]
    assert glossary.lookup("NCT03692221").term == "NCT" and glossary.lookup("CD34").term == "CD"
    assert glossary.lookup("MSCs").term == "MSC" and glossary.lookup("XYZ") is None
    assert glossary.unexplained(["XYZ", "MSC", "CD105/CD73/CD90"]) == ["XYZ"]


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d["terms"][0].pop("expansion"), "field 'expansion': missing"),
        (lambda d: d["terms"][1].update(matches="(x"), "bad regular expression"),
        (lambda d: d["terms"].append(copy.deepcopy(d["terms"][2])), "duplicate term"),
        (lambda d: d["terms"][3].update(colour="red"), "'colour' was unexpected"),
    ],
)
def test_schema_errors_name_file_entry_and_field(mutate, expected):
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    mutate(data)
    problems = schema_check.problems(data, "glossary", "glossary.yml")
    assert any(p.startswith("glossary.yml: entry") and expected in p for p in problems), problems


def test_real_glossary_is_valid_and_page_table_is_complete():
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    assert schema_check.problems(data, "glossary", "glossary.yml") == []
    table = glossary.page_markdown()
    assert table.count("\n") == 1 + len(data["terms"])
