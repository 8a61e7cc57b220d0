"""Every form of every page fuzzed with Hypothesis, as tests/test_api_fuzz.py fuzzes the API:
posted by each role with generated bad input, a page never answers 5xx and nothing is written.

Each generated request carries at least one value that the input rules (conclusions/rules.py)
or the form refuse: text over its limit or holding a control character, a date outside
2000–2100 or no date at all, a choice that is not one, an evidence file of a refused type or
one file too many, an unknown agency code, a required field left out. The other fields are
mostly valid, so that the refusal is the poisoned value's own (and a form that forgot a rule
writes), now and then hostile (markup, formulas, long or odd text) or left out. Whoever
posts it (anonymous, every seat of tests/world.py, a superuser; half the time a seat the
form is meant for), the answer is below 500 and the main tables keep every row and state."""

import pytest
from hypothesis import strategies as st

from conclusions import rules
from tests.form_fuzz_support import (  # noqa: F401  (fixtures among them)
    AFTER_THE_DEADLINES,
    BAD_PKS,
    TRANSITIONS,
    Field,
    _on_a_case,
    _transition_fields,
    bad_choice,
    bad_date,
    bad_text,
    intakes,
    run,
    stage,
    valid_choice,
    valid_date,
    valid_pk,
    valid_text,
)


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_a_case_transition_refuses_bad_input(client, stage, action):
    state, seats = TRANSITIONS[action]
    requests = st.one_of(
        _on_a_case(stage, action, _transition_fields(), states=[state]),
        _on_a_case(stage, action, _transition_fields()),
    )
    run(client, stage, requests, seats=seats)


def test_a_comment_refuses_bad_input(client, stage):
    fields = [Field("text", valid_text(), bad_text(rules.TEXT, required=True))]
    run(client, stage, _on_a_case(stage, "comment", fields), seats=("so_khdt", "ban_vhxh"))


def test_an_extension_request_refuses_bad_input(client, stage):
    fields = [
        Field("requested_until", valid_date(*AFTER_THE_DEADLINES), bad_date(required=True)),
        Field("reason", valid_text(), bad_text(rules.TEXT, required=True)),
        Field(
            "letter_number",
            valid_text(rules.NUMBER, required=False),
            bad_text(rules.NUMBER, required=False),
        ),
    ]
    requests = _on_a_case(stage, "extension-request", fields, states=["reported", "assigned"])
    run(client, stage, requests, seats=("so_ldtbxh",))


def test_an_extension_decision_refuses_bad_input(client, stage):
    decisions = ["approve", "reject"]
    fields = [
        Field("extension", valid_pk(stage.extension.pk), BAD_PKS),
        Field("decision", valid_choice(decisions), bad_choice(decisions, required=True)),
        Field(
            "approved_until",
            valid_date(*AFTER_THE_DEADLINES, required=False),
            bad_date(required=False),
        ),
        Field("note", valid_text(required=False), bad_text(rules.TEXT, required=False)),
    ]
    requests = _on_a_case(stage, "extension-decide", fields, states=["in_progress"])
    run(client, stage, requests, seats=("thuongtruc",))
