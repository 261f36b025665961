"""Loader tests: the happy path, the catalog, and one test per kind of problem with its line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.dialogue.loader import (
    DialogueCatalog,
    DialogueFileError,
    check_paths,
    load_dialogue,
    load_dialogues,
)
from bot.dialogue.model import ConditionOp, StepKind

DATA = Path(__file__).parent / "data"
REPO_DIALOGUES = Path(__file__).resolve().parents[2] / "dialogues"

BASE = """\
id: sample
version: 1
title: "Sample"
summary: "A sample dialogue."
steps:
  - id: first
    kind: scale
    prompt: "How is it going?"
  - id: second
    kind: choice
    prompt: "Which one?"
    options:
      - {value: one, label: "One"}
      - {value: two, label: "Two"}
  - id: third
    kind: text
    prompt: "Tell me more."
  - id: when_done
    kind: date
    prompt: "By when?"
"""


def write(tmp_path: Path, text: str, name: str = "sample") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def marked_line(text: str) -> int:
    """The 1-based line carrying the `# <-` marker."""
    for number, line in enumerate(textwrap.dedent(text).splitlines(), start=1):
        if "# <-" in line:
            return number
    raise AssertionError("no marker in the test YAML")


def problems(path: Path) -> list[str]:
    with pytest.raises(DialogueFileError) as caught:
        load_dialogue(path)
    found = [str(p) for p in caught.value.problems]
    assert str(caught.value) == "\n".join(found)
    return found


def assert_problem(tmp_path: Path, text: str, message: str, name: str = "sample") -> None:
    path = write(tmp_path, text, name)
    expected = f"{path}:{marked_line(text)}: "
    found = problems(path)
    assert any(p.startswith(expected) and message in p for p in found), found
    assert check_paths([path]) != []


# -- happy path ------------------------------------------------------------------------------------


def test_loads_every_field_of_the_test_dialogue() -> None:
    dialogue = load_dialogue(DATA / "all_kinds.yaml")
    assert dialogue.id == "all_kinds"
    assert dialogue.version == 3
    assert dialogue.audience == ("coaching", "backstage")
    assert dialogue.minutes == 5 and dialogue.order == 2
    assert dialogue.source == str(DATA / "all_kinds.yaml")
    assert [s.kind for s in dialogue.steps] == [
        StepKind.INFO,
        StepKind.TEXT,
        StepKind.SCALE,
        StepKind.CHOICE,
        StepKind.TEXT,
        StepKind.MULTI,
        StepKind.YESNO,
        StepKind.SCALE,
        StepKind.TEXT,
        StepKind.DATE,
        StepKind.TEXT,
    ]
    issue = dialogue.step("issue")
    assert len(issue.prompts) == 3 and issue.max_length == 50
    assert issue.help == "A sentence is enough." and issue.label == "The issue"
    energy = dialogue.step("energy")
    assert energy.care and energy.optional and energy.sensitive
    assert (energy.min, energy.max, energy.min_label) == (0, 10, "Empty")
    assert dialogue.step("confidence").min == 1
    parts = dialogue.step("parts")
    assert [o.value for o in parts.options] == ["decide", "influence", "outside", "unclear"]
    assert (parts.min_choices, parts.effective_max_choices) == (1, 3)
    raise_it = dialogue.step("raise_it")
    assert raise_it.private and raise_it.when is not None
    assert raise_it.when.op is ConditionOp.ALL
    assert raise_it.when.referenced_steps() == ("confidence", "share")
    assert dialogue.step("relation_note").when is not None
    due = dialogue.step("due")
    assert (due.min_days, due.max_days) == (1, 60)
    assert dialogue.recap.title == "Your plan"
    assert dialogue.recap.steps is not None and len(dialogue.recap.steps) == 10
    assert dialogue.effects[0].text == "issue" and dialogue.effects[0].due == "due"
    assert dialogue.effects[0].done_when == "done_sign"
    assert dialogue.step("intro").line == 10


def test_defaults_apply_when_keys_are_left_out(tmp_path: Path) -> None:
    dialogue = load_dialogue(write(tmp_path, BASE))
    assert dialogue.audience == ("coaching",)
    assert dialogue.minutes is None and dialogue.order is None
    first = dialogue.step("first")
    assert (first.min, first.max, first.care, first.optional, first.private) == (
        0,
        10,
        False,
        False,
        False,
    )
    assert dialogue.step("third").max_length == 2000
    when_done = dialogue.step("when_done")
    assert (when_done.min_days, when_done.max_days) == (0, 365)
    assert dialogue.recap.steps is None and dialogue.effects == ()


def test_catalog_orders_by_order_then_id_and_ignores_readme(tmp_path: Path) -> None:
    write(tmp_path, BASE.replace("id: sample", "id: zeta"), "zeta")
    write(tmp_path, BASE.replace("id: sample", "id: alpha"), "alpha")
    write(tmp_path, BASE.replace("id: sample", "id: late\norder: 5"), "late")
    write(tmp_path, BASE.replace("id: sample", "id: early\norder: 1"), "early")
    (tmp_path / "README.md").write_text("# not a dialogue\n", encoding="utf-8")
    catalog = load_dialogues(tmp_path)
    assert isinstance(catalog, DialogueCatalog)
    assert catalog.ids() == ["early", "late", "alpha", "zeta"]
    assert [d.id for d in catalog] == catalog.ids()
    assert catalog.get("alpha").title == "Sample"
    assert "zeta" in catalog and len(catalog) == 4
    with pytest.raises(KeyError):
        catalog.get("missing")
    assert [d.id for d in catalog.for_audience("backstage")] == []
    assert check_paths([tmp_path]) == []


def test_load_dialogues_accepts_a_list_of_files() -> None:
    catalog = load_dialogues([DATA / "short.yaml", DATA / "all_kinds.yaml"])
    assert catalog.ids() == ["all_kinds", "short"]
    assert [d.id for d in catalog.for_audience("backstage")] == ["all_kinds"]


def test_load_dialogues_raises_with_the_problems_of_every_file(tmp_path: Path) -> None:
    write(tmp_path, BASE.replace("version: 1", "version: 0"), "sample")
    write(tmp_path, "id: other\n", "other")
    with pytest.raises(DialogueFileError) as caught:
        load_dialogues(tmp_path)
    paths = {p.path for p in caught.value.problems}
    assert paths == {str(tmp_path / "sample.yaml"), str(tmp_path / "other.yaml")}


def test_the_project_dialogues_are_valid() -> None:
    assert [str(p) for p in check_paths([REPO_DIALOGUES])] == []


def test_check_paths_reports_a_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.yaml"
    assert [str(p) for p in check_paths([missing])] == [f"{missing}:1: no such file or directory"]


# -- one test per kind of problem --------------------------------------------------------------


def test_yaml_syntax_error_is_reported_with_its_line(tmp_path: Path) -> None:
    text = BASE.replace('    prompt: "Tell me more."', '    prompt: "Tell me" more  # <-')
    path = write(tmp_path, text)
    found = problems(path)
    assert len(found) == 1
    assert_problem(tmp_path, text, "YAML syntax error")


def test_tab_indentation_is_a_syntax_error_on_its_line(tmp_path: Path) -> None:
    text = BASE.replace('    prompt: "Which one?"', '\tprompt: "Which one?"  # <-')
    assert_problem(tmp_path, text, "YAML syntax error")


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "# only a comment\n")
    assert problems(path) == [f"{path}:1: the file is empty"]


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    assert_problem(tmp_path, "- id: sample  # <-\n", "the dialogue must be a mapping")


def test_unknown_top_level_key(tmp_path: Path) -> None:
    assert_problem(tmp_path, BASE + "colour: blue  # <-\n", "unknown key 'colour'")


def test_unknown_step_key(tmp_path: Path) -> None:
    text = BASE.replace('    prompt: "Tell me more."', '    prompt: "x"\n    hint: x  # <-')
    assert_problem(tmp_path, text, "unknown key 'hint' in step 'third'")


def test_key_of_another_kind(tmp_path: Path) -> None:
    text = BASE.replace('    prompt: "Tell me more."', '    prompt: "x"\n    min: 1  # <-')
    assert_problem(tmp_path, text, "'min' is only allowed on scale steps")


def test_wrong_type(tmp_path: Path) -> None:
    assert_problem(
        tmp_path, BASE.replace("version: 1", "version: one  # <-"), "version must be a whole number"
    )


def test_unquoted_yes_is_not_text(tmp_path: Path) -> None:
    text = BASE.replace('prompt: "Tell me more."', "prompt: yes  # <-")
    assert_problem(tmp_path, text, "got a boolean")


def test_missing_required_top_level_key(tmp_path: Path) -> None:
    text = "id: sample  # <-\n" + "\n".join(BASE.splitlines()[1:]).replace('title: "Sample"\n', "")
    assert_problem(tmp_path, text, "missing the required key 'title'")


def test_missing_required_step_key(tmp_path: Path) -> None:
    text = BASE.replace("  - id: third\n    kind: text\n", "  - id: third  # <-\n")
    assert_problem(tmp_path, text, "step 'third' is missing the required key 'kind'")


def test_duplicate_step_id(tmp_path: Path) -> None:
    text = BASE.replace("  - id: third", "  - id: first  # <-")
    assert_problem(tmp_path, text, "duplicate step id 'first'")


def test_bad_step_id(tmp_path: Path) -> None:
    text = BASE.replace("  - id: third", "  - id: Third-Step  # <-")
    assert_problem(tmp_path, text, "is not a valid id")


def test_id_must_equal_file_stem(tmp_path: Path) -> None:
    assert_problem(
        tmp_path, BASE.replace("id: sample", "id: another  # <-"), "must equal the file name"
    )


def test_unknown_kind(tmp_path: Path) -> None:
    text = BASE.replace("    kind: text", "    kind: essay  # <-")
    assert_problem(tmp_path, text, "kind 'essay' of step 'third' is not one of")


def test_duplicate_mapping_key(tmp_path: Path) -> None:
    text = BASE.replace('title: "Sample"', 'title: "Sample"\ntitle: "Again"  # <-')
    assert_problem(tmp_path, text, "duplicate key 'title'")


def test_condition_on_unknown_step(tmp_path: Path) -> None:
    text = BASE.replace(
        '    prompt: "Tell me more."', '    prompt: "x"\n    when: {step: nowhere, lt: 3}  # <-'
    )
    assert_problem(tmp_path, text, "refers to unknown step 'nowhere'")


def test_condition_on_later_step(tmp_path: Path) -> None:
    text = BASE.replace(
        '    prompt: "Which one?"',
        '    prompt: "Which one?"\n    when:\n      step: third  # <-\n      answered: true',
    )
    assert_problem(tmp_path, text, "does not come before it")


def test_condition_comparing_a_choice_with_a_number(tmp_path: Path) -> None:
    text = BASE.replace(
        '    prompt: "Tell me more."', '    prompt: "x"\n    when: {step: second, lt: 3}  # <-'
    )
    assert_problem(tmp_path, text, "'lt' compares numbers, but step 'second' is a choice step")


def test_condition_with_a_value_that_is_not_an_option(tmp_path: Path) -> None:
    text = BASE.replace(
        '    prompt: "Tell me more."',
        '    prompt: "x"\n    when: {step: second, in: [one, three]}  # <-',
    )
    assert_problem(tmp_path, text, "'three' is not an option of step 'second'")


def test_condition_outside_the_scale(tmp_path: Path) -> None:
    text = BASE.replace(
        '    prompt: "Tell me more."', '    prompt: "x"\n    when: {step: first, equals: 11}  # <-'
    )
    assert_problem(tmp_path, text, "11 is outside the scale of step 'first'")


def test_condition_needs_exactly_one_operator(tmp_path: Path) -> None:
    text = BASE.replace(
        '    prompt: "Tell me more."',
        '    prompt: "x"\n    when: {step: first, lt: 3, gt: 1}  # <-',
    )
    assert_problem(tmp_path, text, "needs exactly one of")


def test_effect_refers_to_missing_step(tmp_path: Path) -> None:
    text = BASE + "effects:\n  - create_commitment: {text: nothing, due: when_done}  # <-\n"
    assert_problem(tmp_path, text, "refers to unknown step 'nothing'")


def test_effect_due_must_be_a_date_step(tmp_path: Path) -> None:
    text = BASE + "effects:\n  - create_commitment:\n      text: third\n      due: first  # <-\n"
    assert_problem(tmp_path, text, "'due' must name a date step; 'first' is a scale step")


def test_effect_text_must_be_a_text_step(tmp_path: Path) -> None:
    text = BASE + (
        "effects:\n  - create_commitment:\n      text: second  # <-\n      due: when_done\n"
    )
    assert_problem(tmp_path, text, "'text' must name a text step")


def test_scale_min_must_be_below_max(tmp_path: Path) -> None:
    text = BASE.replace(
        '    prompt: "How is it going?"', '    prompt: "How?"\n    min: 5\n    max: 3  # <-'
    )
    assert_problem(tmp_path, text, "must be smaller than max")


def test_scale_max_at_most_ten(tmp_path: Path) -> None:
    text = BASE.replace('    prompt: "How is it going?"', '    prompt: "How?"\n    max: 11  # <-')
    assert_problem(tmp_path, text, "max of step 'first' must be between 1 and 10, got 11")


def test_too_few_options(tmp_path: Path) -> None:
    text = BASE.replace("    options:\n", "    options:  # <-\n").replace(
        '      - {value: two, label: "Two"}\n', ""
    )
    assert_problem(tmp_path, text, "needs 2 to 10 options, got 1")


def test_too_many_options(tmp_path: Path) -> None:
    extra = "".join(f'      - {{value: o{i}, label: "O{i}"}}\n' for i in range(9))
    text = BASE.replace("    options:\n", "    options:  # <-\n").replace(
        '      - {value: two, label: "Two"}\n', '      - {value: two, label: "Two"}\n' + extra
    )
    assert_problem(tmp_path, text, "needs 2 to 10 options, got 11")


def test_duplicate_option_value(tmp_path: Path) -> None:
    text = BASE.replace('{value: two, label: "Two"}', '{value: one, label: "Two"}  # <-')
    assert_problem(tmp_path, text, "duplicate option value 'one'")


def test_max_length_limit(tmp_path: Path) -> None:
    text = BASE.replace(
        '    prompt: "Tell me more."', '    prompt: "x"\n    max_length: 4000  # <-'
    )
    assert_problem(tmp_path, text, "max_length of step 'third' must be between 1 and 3500")


def test_too_many_phrasings(tmp_path: Path) -> None:
    phrasings = "".join(f'      - "Phrasing {i}"\n' for i in range(6))
    text = BASE.replace('    prompt: "Tell me more."', "    prompt:  # <-\n" + phrasings.rstrip())
    assert_problem(tmp_path, text, "needs 1 to 5 phrasings, got 6")


def test_multi_choice_bounds(tmp_path: Path) -> None:
    text = BASE.replace("    kind: choice", "    kind: multi").replace(
        '    prompt: "Which one?"', '    prompt: "Which?"\n    max_choices: 3  # <-'
    )
    assert_problem(tmp_path, text, "max_choices of step 'second' must be between 1 and 2")


def test_date_range_bounds(tmp_path: Path) -> None:
    text = BASE.replace(
        '    prompt: "By when?"', '    prompt: "By when?"\n    min_days: 10\n    max_days: 5  # <-'
    )
    assert_problem(tmp_path, text, "must not be larger than max_days")


def test_recap_refers_to_unknown_step(tmp_path: Path) -> None:
    text = BASE + "recap:\n  steps: [first, fourth]  # <-\n"
    assert_problem(tmp_path, text, "recap refers to unknown step 'fourth'")


def test_title_too_long(tmp_path: Path) -> None:
    text = BASE.replace('title: "Sample"', f'title: "{"x" * 41}"  # <-')
    assert_problem(tmp_path, text, "title is 41 characters long; at most 40 allowed")


def test_too_many_steps(tmp_path: Path) -> None:
    steps = "".join(f'  - id: s{i}\n    kind: text\n    prompt: "Q{i}"\n' for i in range(13))
    head = BASE.split("steps:\n")[0]
    assert_problem(tmp_path, head + "steps:  # <-\n" + steps, "at most 12 steps, this one has 13")


def test_info_steps_take_no_answer_keys(tmp_path: Path) -> None:
    text = BASE.replace("    kind: text", "    kind: info").replace(
        '    prompt: "Tell me more."', '    prompt: "Note."\n    optional: true  # <-'
    )
    assert_problem(tmp_path, text, "'optional' is not allowed on info steps")


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    text = (
        BASE.replace("version: 1", "version: 0")
        .replace('title: "Sample"', "title: 3")
        .replace("  - id: third", "  - id: first")
    )
    path = write(tmp_path, text)
    found = problems(path)
    lines = [int(p.split(":")[1]) for p in found]
    assert len(found) == 3
    assert lines == sorted(lines) == [2, 3, 15]


def test_the_format_documentation_example_is_valid(tmp_path: Path) -> None:
    readme = (REPO_DIALOGUES / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "veckopuls.yaml"
    path.write_text(example, encoding="utf-8")
    dialogue = load_dialogue(path)
    assert dialogue.step("hard_part").when is not None
    assert dialogue.effects[0].due == "by_when"


# -- material and its effects ----------------------------------------------------------------

STATUS_STEP = """\
  - id: status
    kind: choice
    prompt: "How did it go?"
    options:
      - {value: done, label: "Done"}
      - {value: not_yet, label: "Not yet"}
"""


def test_a_step_cannot_show_a_commitment_the_dialogue_does_not_load(tmp_path: Path) -> None:
    text = BASE.replace(
        '    prompt: "Tell me more."', '    prompt: "x"\n    shows: commitment  # <-'
    )
    assert_problem(tmp_path, text, "does not load one (add `material: [commitment]`)")


def test_for_each_needs_the_open_commitments(tmp_path: Path) -> None:
    text = BASE.replace(
        '    prompt: "Tell me more."', '    prompt: "x"\n    for_each: open_commitments  # <-'
    )
    assert_problem(tmp_path, text, "add `material: [open_commitments]`")


def test_unknown_material(tmp_path: Path) -> None:
    text = BASE.replace("steps:\n", "material: [plans]  # <-\nsteps:\n")
    assert_problem(tmp_path, text, "material 'plans' is not one of: commitment, open_commitments")


def test_a_step_cannot_show_a_plan_goal_the_dialogue_does_not_load(tmp_path: Path) -> None:
    text = BASE.replace(
        '    prompt: "Tell me more."', '    prompt: "x"\n    shows: {plan_goal: 1}  # <-'
    )
    assert_problem(tmp_path, text, "does not load them (add `material: [plan_goals]`)")


def test_a_plan_has_goals_one_to_three(tmp_path: Path) -> None:
    text = BASE.replace("steps:\n", "material: [plan_goals]\nsteps:\n").replace(
        '    prompt: "Tell me more."', '    prompt: "x"\n    shows: {plan_goal: 4}  # <-'
    )
    assert_problem(tmp_path, text, "plan_goal of step 'third' must be between 1 and 3, got 4")


def test_shows_an_answer_that_comes_later(tmp_path: Path) -> None:
    text = BASE.replace(
        '    prompt: "Tell me more."', '    prompt: "x"\n    shows: {answer: when_done}  # <-'
    )
    assert_problem(tmp_path, text, "shows the answer of step 'when_done', which does not come")


def test_date_picks_inside_the_range(tmp_path: Path) -> None:
    text = BASE.replace(
        '    prompt: "By when?"',
        '    prompt: "By when?"\n    max_days: 10\n    picks: [7, 14, next_meeting]  # <-',
    )
    assert_problem(tmp_path, text, "pick 14 of step 'when_done' is outside its range (0 to 10")


def test_record_check_needs_its_commitment(tmp_path: Path) -> None:
    text = BASE + STATUS_STEP + "effects:\n  - record_check: {status: status}  # <-\n"
    assert_problem(tmp_path, text, "record_check needs the commitment it is about")


def test_record_check_status_options_are_check_in_results(tmp_path: Path) -> None:
    text = BASE.replace("steps:\n", "material: [commitment]\nsteps:\n") + (
        "effects:\n  - record_check: {status: second}  # <-\n"
    )
    assert_problem(tmp_path, text, "options that are no check-in result: one, two")


def test_an_effect_naming_an_unknown_step(tmp_path: Path) -> None:
    text = (
        BASE.replace("steps:\n", "material: [commitment]\nsteps:\n")
        + STATUS_STEP
        + "effects:\n  - record_check:\n      status: status\n      new_due: later  # <-\n"
    )
    assert_problem(tmp_path, text, "refers to unknown step 'later'")


def test_the_rest_needs_the_runs_commitment(tmp_path: Path) -> None:
    text = BASE + (
        "effects:\n  - create_commitment:\n      text: third\n      due: when_done\n"
        "      parent: commitment  # <-\n"
    )
    assert_problem(tmp_path, text, "does not load one")


def test_material_steps_and_effects_load(tmp_path: Path) -> None:
    text = (
        BASE.replace("steps:\n", "material: [commitment, open_commitments]\nsteps:\n").replace(
            '    prompt: "By when?"',
            '    prompt: "By when?"\n    shows: {answer: [third, first]}\n'
            "    picks: [7, next_meeting]",
        )
        + STATUS_STEP
        + "    shows: commitment\n"
        + STATUS_STEP.replace("id: status", "id: each")
        + "    for_each: open_commitments\n"
        + "effects:\n"
        + "  - record_check: {status: status, new_due: when_done, note: third}\n"
        + "  - record_check: {status: each}\n"
        + "  - create_commitment: {text: third, due: when_done, parent: commitment}\n"
    )
    dialogue = load_dialogue(write(tmp_path, text))
    assert dialogue.step("when_done").picks == (7, "next_meeting")
    shows = dialogue.step("when_done").shows
    assert shows is not None and shows.answers == ("third", "first")
    assert dialogue.step("each.12").id == "each"  # a stored per-commitment answer finds its step
    assert len(dialogue.effects) == 3
