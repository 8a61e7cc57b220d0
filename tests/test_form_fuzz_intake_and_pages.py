"""The fuzzing of tests/test_form_fuzz_cases.py, for the intake (registration, check,
approval, bulk actions), report requests, the dashboard and case-list filters, and the
notification settings."""

import datetime

from django.urls import reverse
from hypothesis import strategies as st
from viewflow.workflow.models import Task

from conclusions import rules
from intake.flows import IntakeFlow
from notifications.models import DigestFrequency, Language
from notifications.preferences import EVENT_KINDS
from reports.models import ReportSnapshot
from tests.form_fuzz_support import (  # noqa: F401  (fixtures among them)
    BAD_PKS,
    TODAY_OR_BEFORE,
    Field,
    _registration_fields,
    _scope_fields,
    _task_url,
    bad_choice,
    bad_codes,
    bad_date,
    bad_text,
    intakes,
    request_data,
    run,
    stage,
    valid_choice,
    valid_date,
    valid_pk,
    valid_text,
)
from workflow.filters import Bucket
from workflow.models import (
    CaseState,
)


def test_the_intake_registration_refuses_bad_input(client, stage):
    requests = st.tuples(
        st.just("POST"),
        st.just(reverse("intake:register:execute")),
        request_data(_registration_fields(stage.world)),
    )
    run(client, stage, requests, seats=("vanphong",))


def test_the_intake_check_refuses_bad_input(client, intakes):
    stage = intakes
    process = stage.checking
    [item] = process.notice.recommendations.all()
    codes = ["so-ldtbxh", "so-khdt", "so-tc"]
    fields = [
        Field(f"r{item.pk}-lead_agencies", st.just(["so-tc"]), bad_codes(codes)),
        Field(f"r{item.pk}-coordinating_agencies", st.just(["so-khdt"]), bad_codes(codes)),
        Field(
            f"r{item.pk}-deadline",
            valid_date(datetime.date(2026, 12, 1), datetime.date(2027, 12, 31)),
            bad_date(required=False),
        ),
    ]
    url = _task_url(process, IntakeFlow.check, "execute")
    requests = st.tuples(st.just("POST"), st.just(url), request_data(fields))
    run(client, stage, requests, seats=("ban_vhxh",))


def test_the_intake_approval_refuses_bad_input(client, intakes):
    stage = intakes
    decisions = ["approve", "return"]
    fields = [
        Field("decision", valid_choice(decisions), bad_choice(decisions, required=True)),
        Field("review_note", valid_text(), bad_text(rules.TEXT, required=False)),
    ]
    url = _task_url(stage.approving, IntakeFlow.approve, "execute")
    requests = st.tuples(st.just("POST"), st.just(url), request_data(fields))
    run(client, stage, requests, seats=("thuongtruc",))


def test_the_intakes_bulk_actions_refuse_bad_input(client, intakes):
    stage = intakes
    tasks = [str(task.pk) for task in Task.objects.all()]
    fields = [
        Field("pk", st.lists(st.sampled_from(tasks), max_size=3), st.lists(BAD_PKS, min_size=1)),
        Field("select_all", st.sampled_from(["", "1"])),
        Field("_confirm", st.just("1")),
    ]
    url = st.sampled_from([reverse("intake:tasks_assign"), reverse("intake:tasks_unassign")])
    requests = st.tuples(st.just("POST"), url, request_data(fields))
    run(client, stage, requests, seats=("ban_vhxh", "thuongtruc"))


def test_a_report_request_refuses_bad_input(client, stage):
    world = stage.world
    kinds = list(ReportSnapshot.Kind.values)
    fields = [
        *_scope_fields(world),
        Field("kind", st.just("results"), bad_choice(kinds, required=True)),
        Field("as_of", valid_date(*TODAY_OR_BEFORE), bad_date(required=True)),
        Field("council", valid_pk(world.council.pk), BAD_PKS),
        Field("notice", valid_pk(world.notice.pk, ""), BAD_PKS),
        Field(
            "number",
            valid_text(rules.NUMBER, required=False),
            bad_text(rules.NUMBER, required=False),
        ),
    ]
    url = reverse("reports:report_list")
    requests = st.tuples(st.just("POST"), st.just(url), request_data(fields))
    run(client, stage, requests, seats=("thuongtruc", "ban_vhxh"))


def test_the_dashboard_filters_never_fail(client, stage):
    fields = [*_scope_fields(stage.world), Field("agencies", st.sampled_from(["all", "x"]))]
    data = st.one_of(request_data(fields), request_data(fields, poisoned=False))
    url = reverse("reports:index")
    run(client, stage, st.tuples(st.just("GET"), st.just(url), data), seats=("thuongtruc",))


def test_the_case_list_filters_never_fail(client, stage):
    world = stage.world
    fields = [
        *_scope_fields(world),
        Field(
            "q",
            valid_text(rules.SEARCH, required=False),
            bad_text(rules.SEARCH, required=False),
        ),
        Field(
            "state", valid_choice(CaseState.values, required=False), bad_choice(CaseState.values)
        ),
        Field("notice", valid_pk(world.notice.pk, ""), BAD_PKS),
        Field("overdue", st.sampled_from(["", "on", "true", "maybe"])),
        Field("bucket", valid_choice(Bucket.values, required=False), bad_choice(Bucket.values)),
        Field("overdue_on", valid_date(required=False), bad_date(required=False)),
        Field("page", st.sampled_from(["1", "2", "-1", "abc", "9" * 30])),
    ]
    data = st.one_of(request_data(fields), request_data(fields, poisoned=False))
    url = st.sampled_from([reverse("workflow:case_list"), reverse("workflow:inbox")])
    run(client, stage, st.tuples(st.just("GET"), url, data), seats=("thuongtruc", "so_ldtbxh"))


def test_the_notification_settings_refuse_bad_input(client, stage):
    switches = [
        Field(f"{kind}:{channel}", st.sampled_from(["on", "", "false", "x\x00"]))
        for kind in list(EVENT_KINDS)[:3]
        for channel in ("inapp", "email")
    ]
    fields = [
        Field(
            "language", valid_choice(Language.values), bad_choice(Language.values, required=True)
        ),
        Field(
            "digest",
            valid_choice(DigestFrequency.values),
            bad_choice(DigestFrequency.values, required=True),
        ),
        *switches,
    ]
    url = reverse("notifications:settings")
    run(client, stage, st.tuples(st.just("POST"), st.just(url), request_data(fields)))
