import copy

import pytest

from spinecourse.content import questions as quiz
from spinecourse.content.questions import QuestionBankError, parse_bank
from spinecourse.widgets import self_check
from spinecourse.widgets.question import QuestionWidget

GOOD = {
    "lesson": "demo",
    "questions": [
        {
            "id": "s",
            "type": "single",
            "prompt": "Pick one [@suri2010]",
            "options": [
                {"text": "right", "correct": True, "explanation": "Explains-the-right-option"},
                {"text": "wrong", "correct": False, "explanation": "Explains-the-distractor"},
            ],
        },
        {
            "id": "m",
            "type": "multiple",
            "prompt": "Pick all",
            "options": [
                {"text": "a", "correct": True, "explanation": "yes a"},
                {"text": "b", "correct": True, "explanation": "yes b"},
                {"text": "c", "correct": False, "explanation": "not c"},
            ],
        },
        {
            "id": "n",
            "type": "numeric",
            "prompt": "How many?",
            "answer": 10,
            "tolerance": 0.5,
            "unit": "points",
            "explanation": "ten",
        },
    ],
}


def test_every_shipped_bank_parses_and_has_explained_options():
    names = quiz.bank_names()
    assert "01_stenosis_anatomy" in names
    for name in names:
        bank = quiz.load_bank(name)
        assert bank, name
        for q in bank.values():
            assert all(o.explanation for o in q.options)


def test_lesson_banks_have_at_least_five_questions():
    for name in quiz.bank_names():
        if not name.startswith("00_"):
            assert len(quiz.load_bank(name)) >= 5, name


def test_single_choice_grading_and_feedback():
    q = parse_bank(GOOD)["s"]
    assert q.grade("right").correct
    fb = q.grade(1)
    assert not fb.correct
    # shows why the choice is wrong, and the right option with its explanation
    assert "Explains-the-distractor" in fb.html() and "Explains-the-right-option" in fb.html()
    assert (
        "Explains-the-distractor" not in q.grade("right").html()
    )  # an option not chosen and not correct is not explained
    assert "Suri et al. 2010" in QuestionWidget(q).prompt.value


def test_multiple_choice_needs_exactly_the_correct_set():
    q = parse_bank(GOOD)["m"]
    assert q.grade(["a", "b"]).correct
    partial = q.grade(["a"])
    assert not partial.correct and "missing" in partial.verdict
    assert not q.grade(["a", "b", "c"]).correct
    assert not q.grade([]).correct


def test_numeric_tolerance():
    q = parse_bank(GOOD)["n"]
    assert q.grade(10.4).correct and q.grade("9.6").correct
    assert q.grade(" 10 %").correct and q.grade("9,8").correct  # what learners type
    assert not q.grade(11).correct
    assert not q.grade("ten").correct and "Enter a number" in q.grade("ten").verdict


def test_unknown_option_is_an_error():
    with pytest.raises(ValueError, match="not one of the options"):
        parse_bank(GOOD)["s"].grade("maybe")


@pytest.mark.parametrize("response", ["ab", "a", True, False, 2])
def test_multiple_choice_response_must_be_a_list(response):
    q = parse_bank(GOOD)["m"]
    with pytest.raises(ValueError, match="a multiple-choice answer is a list"):
        q.grade(response)  # not split into characters, not taken as an option index


@pytest.mark.parametrize("qid, response", [("s", True), ("s", False), ("m", [True]), ("m", [0, False])])
def test_bool_is_not_an_option_index(qid, response):
    with pytest.raises(ValueError, match="is not an option"):
        parse_bank(GOOD)[qid].grade(response)


def test_numpy_indices_are_options():
    np = pytest.importorskip("numpy")
    bank = parse_bank(GOOD)
    assert bank["s"].grade(np.int64(0)).correct
    assert bank["m"].grade([np.int64(0), np.int64(1)]).correct


# every message names the file (the ``where`` given), the question (id and position) and the field
@pytest.mark.parametrize(
    "mutate, message",
    [
        (
            lambda d: d["questions"][0].update(type="essay"),
            "entry 's' (questions[0]), field 'type': 'essay' is not one of",
        ),
        (
            lambda d: d["questions"][0]["options"][1].update(correct=True),
            "entry 's' (questions[0]), field 'options': a single-choice question needs exactly one correct option",
        ),
        (
            lambda d: d["questions"][0]["options"][0].pop("explanation"),
            "entry 's' (questions[0]), field 'options[0].explanation': missing (every option needs",
        ),
        (lambda d: d["questions"][1].update(id="s"), "entry 's' (questions[1]), field 'id': duplicate id 's'"),
        (
            lambda d: d["questions"][2].pop("tolerance"),
            "entry 'n' (questions[2]), field 'tolerance': missing (numeric questions need a number 'answer' and 'tolerance'",
        ),
        (
            lambda d: d["questions"][2].update(answer=float("nan")),
            "entry 'n' (questions[2]), field 'answer': nan is not a finite number",
        ),
        (
            lambda d: d["questions"][2].update(answer=float("inf")),
            "entry 'n' (questions[2]), field 'answer': inf is not a finite number",
        ),
        (
            lambda d: d["questions"][2].update(tolerance=float("nan")),
            "entry 'n' (questions[2]), field 'tolerance': nan is not a finite number",
        ),
        (
            lambda d: d["questions"][2].update(tolerance=float("inf")),
            "entry 'n' (questions[2]), field 'tolerance': inf is not a finite number",
        ),
        (
            lambda d: d["questions"][0].update(prompt="see [@nobody1999]"),
            "entry 's' (questions[0]), field 'prompt': cites unknown reference key 'nobody1999'",
        ),
        (lambda d: d["questions"][0].update(hint="x"), "entry 's' (questions[0]), field 'hint': unknown field"),
        (lambda d: d.pop("lesson"), "demo.yml, field 'lesson': missing"),
    ],
)
def test_schema_errors_say_where(mutate, message):
    data = copy.deepcopy(GOOD)
    mutate(data)
    with pytest.raises(QuestionBankError) as info:
        parse_bank(data, "demo.yml")
    assert any(line.startswith("demo.yml") and message in line for line in str(info.value).splitlines()), str(
        info.value
    )


def test_widget_check_button_shows_feedback():
    box = self_check("01_stenosis_anatomy", "ap-cutpoints")
    (item,) = box.questions
    item.input.value = "12 mm relative, 10 mm absolute"
    item.button.click()
    assert "Correct" in item.feedback.value
    item.input.value = "There are no published cut-points"
    item.button.click()
    assert "Not quite" in item.feedback.value and "Schizas et al. 2010" in item.feedback.value


def test_widget_multiple_and_numeric():
    box = self_check("01_stenosis_anatomy", "zones", "post-test")
    zones, post = box.questions
    for checkbox, option in zip(zones.input.children, zones.question.options):  # shown shuffled
        checkbox.value = option.correct
    assert zones.check().correct
    assert "Enter a number" in post.check().verdict  # the box starts empty, not at 0
    post.input.value = "76"
    assert post.check().correct
    post.input.value = "30.0"
    assert not post.check().correct


def test_unknown_bank_or_question():
    with pytest.raises(QuestionBankError, match="no question bank"):
        quiz.load_bank("99_nothing")
    with pytest.raises(QuestionBankError, match="no question"):
        self_check("01_stenosis_anatomy", "nope")
