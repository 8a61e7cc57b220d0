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

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from conclusions import rules
from conclusions.models import ConclusionNotice, Recommendation, SourceKind
from conclusions.services import RecommendationInput, notice_register
from intake.flows import IntakeFlow
from intake.models import NoticeIntakeProcess
from notifications.models import Delivery, DigestFrequency, Language, NotificationSettings
from notifications.preferences import EVENT_KINDS
from reports.models import ReportSnapshot
from workflow.extensions import extension_request
from workflow.filters import Bucket
from workflow.models import (
    Case,
    CaseEvent,
    CaseState,
    Evidence,
    Extension,
    Outcome,
    ProgressReport,
    SelfAssessment,
)
from workflow.services import ReportInput, case_transition, notice_issue

FUZZ = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
ROLES = [
    "anonymous",
    "admin",
    "thuongtruc",
    "other_thuongtruc",
    "vanphong",
    "ban_vhxh",
    "ban_ktns",
    "so_ldtbxh",
    "so_khdt",
    "so_tc",
    "outsider",
]
MISSING = object()  # the field is left out of the request

# ------------------------------------------------------------------------- values

VISIBLE = st.characters(blacklist_categories=("Cs", "Cc", "Cn"))  # what the rules let through
ANYTHING = st.characters(blacklist_categories=("Cs",))  # a browser cannot send a surrogate
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\ufffe", "\uffff"]
HOSTILE = st.one_of(
    st.text(ANYTHING, max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "x" * 300,
            '=HYPERLINK("http://x")',
            "<script>alert(1)</script>",
            "'; DROP TABLE workflow_case; --",
            "../../etc/passwd",
            "\u202e\u200b",
            "9" * 40,
            "-1",
            "null",
        ]
    ),
)


def valid_text(limit: int = rules.TEXT, *, required: bool = True) -> st.SearchStrategy[str]:
    words = st.text(VISIBLE, min_size=1, max_size=40).filter(str.strip)
    return st.one_of(words, st.just("ý" * limit), st.nothing() if required else st.just(""))


def bad_text(limit: int, *, required: bool) -> st.SearchStrategy:
    controlled = st.builds(
        lambda head, control, tail: f"a{head}{control}{tail}b",
        st.text(VISIBLE, max_size=10),
        st.sampled_from(CONTROLS),
        st.text(VISIBLE, max_size=10),
    )
    over = st.sampled_from([limit + 1, max(limit * 20, 200_000)]).map(lambda n: "ý" * n)
    empty = st.sampled_from([MISSING, "", "   "]) if required else st.nothing()
    return st.one_of(controlled, over, empty)


def _formats(day: datetime.date) -> st.SearchStrategy[str]:
    return st.sampled_from([f"{day:%d/%m/%Y}", day.isoformat()])


def valid_date(
    first=datetime.date(2026, 6, 10), last=datetime.date(2027, 12, 31), *, required: bool = True
) -> st.SearchStrategy[str]:
    dates = st.dates(first, last).flatmap(_formats)
    return dates if required else st.one_of(dates, st.just(""))


def bad_date(*, required: bool) -> st.SearchStrategy:
    far = st.one_of(
        st.dates(datetime.date(1, 1, 1), datetime.date(1999, 12, 31)),
        st.dates(datetime.date(2101, 1, 1), datetime.date(9999, 12, 31)),
    ).flatmap(_formats)
    garbage = st.sampled_from(
        ["31/02/2026", "2026-13-01", "00/00/0000", "99999999", "hôm qua", "1e9", "31/12/99999"]
    )
    return st.one_of(far, garbage, st.just(MISSING) if required else st.nothing())


def valid_choice(values, *, required: bool = True) -> st.SearchStrategy[str]:
    return st.sampled_from([*values] if required else [*values, ""])


def bad_choice(values, *, required: bool = False) -> st.SearchStrategy:
    wrong = HOSTILE.filter(lambda value: value.strip() and value.strip() not in values)
    return st.one_of(wrong, st.just(MISSING) if required else st.nothing())


def valid_pk(*pks) -> st.SearchStrategy[str]:
    return st.sampled_from([str(pk) for pk in pks])


BAD_PKS = st.sampled_from(["abc", "-1", "0", "1.5", "9" * 19, "9" * 40, "1\x00", "x" * 300])


def _upload(name: str, size: int = 8) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4" + b"0" * size, content_type="application/pdf")


def valid_files(most: int = 3) -> st.SearchStrategy[list]:
    names = st.sampled_from(["bien-ban.pdf", "Báo cáo.docx", "anh.JPG", "so-lieu.xlsx"])
    return st.lists(names, max_size=most).map(lambda found: [_upload(name) for name in found])


def bad_files() -> st.SearchStrategy[list]:
    refused = st.sampled_from(
        ["virus.exe", "script.js", "khong-duoi", ".pdf.sh", "x" * 300 + ".pdf", "a\x00.pdf"]
    ).map(lambda name: [_upload("ok.pdf"), _upload(name)])
    too_many = st.just(None).map(
        lambda _none: [_upload(f"{n}.pdf") for n in range(rules.evidence_max_files() + 1)]
    )
    return st.one_of(refused, too_many)


def valid_codes(codes, *, required: bool = False) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(codes), min_size=int(required), max_size=2, unique=True)


def bad_codes(codes) -> st.SearchStrategy[list[str]]:
    unknown = st.sampled_from(["so-khong-co", "so-tc-cantho", "a\x00b", "x" * 60, "%", ""])
    return st.builds(lambda good, bad: [*good, bad], valid_codes(codes), unknown)


# --------------------------------------------------------------------- requests


@dataclass(frozen=True)
class Field:
    name: str
    valid: st.SearchStrategy  # accepted by the form, on its own
    bad: st.SearchStrategy | None = None  # always refused


def request_data(fields: list[Field], *, poisoned: bool = True) -> st.SearchStrategy[dict]:
    """Every field valid except one, which is bad (when poisoned); now and then the others
    are hostile or left out instead, so that the refusal is not always the poison's."""
    targets = [field for field in fields if field.bad is not None]

    @st.composite
    def build(draw) -> dict:
        target = draw(st.sampled_from(targets)) if poisoned else None
        clean = draw(st.sampled_from([True, True, True, False]))
        data = {}
        for field in fields:
            if field is target:
                value = draw(field.bad)
            elif clean:
                value = draw(field.valid)
            else:
                value = draw(st.one_of(st.just(MISSING), field.valid, HOSTILE))
            if value is not MISSING:
                data[field.name] = value
        return data

    return build()


def _snapshot() -> tuple:
    """What must not change: the rows of the main tables and the states written on them."""
    return (
        list(ConclusionNotice.objects.order_by("pk").values_list("pk", "status")),
        list(Recommendation.objects.order_by("pk").values_list("pk", "deadline", "deadline_spec")),
        list(Recommendation.lead_agencies.through.objects.order_by("pk").values_list("pk")),
        list(Recommendation.coordinating_agencies.through.objects.values_list("pk")),
        list(Case.objects.order_by("pk").values_list("pk", "state", "deadline", "outcome")),
        CaseEvent.objects.count(),
        ProgressReport.objects.count(),
        Evidence.objects.count(),
        list(Extension.objects.order_by("pk").values_list("pk", "status", "approved_until")),
        ReportSnapshot.objects.count(),
        NoticeIntakeProcess.objects.count(),
        list(Task.objects.order_by("pk").values_list("pk", "status", "owner_id")),
        list(NotificationSettings.objects.values_list("user_id", "language", "digest")),
        Delivery.objects.count(),
    )


@pytest.fixture
def stage(world, client):
    """The world, with a case in every state, a pending extension and a superuser."""
    notice = notice_register(
        council=world.council,
        number="40/TB-HĐND",
        issue_date=datetime.date(2026, 6, 10),
        title="Kết luận giám sát việc làm",
        source_kind=SourceKind.THEMATIC_SUPERVISION,
        tracking_committee=world.vhxh,
        recommendations=[
            RecommendationInput(
                anchor=f"I.{n}",
                text=f"Kiến nghị {n}.",
                lead_agency_codes=["so-ldtbxh"],
                coordinating_agency_codes=["so-khdt"],
                deadline=datetime.date(2027, 3, 31),
            )
            for n in (1, 2, 3)
        ],
        actor=world.vanphong,
    )
    working, reported, closed = sorted(notice_issue(notice=notice), key=lambda c: c.pk)
    for case in (working, reported, closed):
        case_transition(case=case, actor=world.so_ldtbxh, action="start")
    for case in (reported, closed):
        report = ReportInput(text="Đã xong.", self_assessment=SelfAssessment.DONE)
        case_transition(case=case, actor=world.so_ldtbxh, action="report", report=report)
    case_transition(case=closed, actor=world.ban_vhxh, action="close", outcome=Outcome.IMPLEMENTED)
    extension = extension_request(
        case=Case.objects.get(pk=working.pk),
        actor=world.so_ldtbxh,
        requested_until=datetime.date(2027, 6, 30),
        reason="Chờ kinh phí.",
    )
    world.admin = User.objects.create_superuser("admin", password="demo")
    return SimpleNamespace(
        world=world,
        cases=[Case.objects.get(pk=world.case.pk), working, reported, closed],
        extension=extension,
    )


@pytest.fixture
def intakes(stage, client):
    """Two intakes, one waiting on its committee's check, one on the Standing Committee's
    approval, each task taken."""
    world = stage.world
    checking, approving = _intake(client, world, "41/TB-HĐND"), _intake(client, world, "42/TB-HĐND")
    _take(client, world.ban_vhxh, checking, IntakeFlow.check)
    _take(client, world.ban_vhxh, approving, IntakeFlow.check)
    [item] = approving.notice.recommendations.all()
    client.post(
        _task_url(approving, IntakeFlow.check, "execute"),
        {f"r{item.pk}-lead_agencies": ["so-ldtbxh"], f"r{item.pk}-deadline": "30/12/2026"},
    )
    _take(client, world.thuongtruc, approving, IntakeFlow.approve)
    client.logout()
    stage.checking, stage.approving = checking, approving
    return stage


def _intake(client, world, number: str) -> NoticeIntakeProcess:
    client.force_login(world.vanphong)
    data = {
        "council": world.council.pk,
        "number": number,
        "issue_date": "10/06/2026",
        "title": "Kết luận giám sát",
        "source_kind": "thematic_supervision",
        "tracking_committee": world.vhxh.pk,
        "rec-TOTAL_FORMS": "1",
        "rec-INITIAL_FORMS": "0",
        "rec-0-anchor": "II.1",
        "rec-0-text": "Rà soát.",
        "rec-0-lead_agencies": ["so-tc"],
        "rec-0-deadline": "30/12/2026",
    }
    assert client.post(reverse("intake:register:execute"), data).status_code == 302
    return NoticeIntakeProcess.objects.get(notice__number=number)


def _task(process, node) -> Task:
    return process.task_set.get(flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED])


def _task_url(process, node, action: str) -> str:
    return reverse(f"intake:{node.name}:{action}", args=[process.pk, _task(process, node).pk])


def _take(client, user, process, node) -> None:
    client.force_login(user)
    assert client.post(_task_url(process, node, "assign")).status_code == 302


def _send(client, stage, role: str, method: str, url: str, data: dict):
    client.logout()
    if role != "anonymous":
        client.force_login(getattr(stage.world, role))
    for value in data.values():  # the same files again when Hypothesis replays an example
        for upload in value if isinstance(value, list) else [value]:
            if hasattr(upload, "seek"):
                upload.seek(0)
    before = _snapshot()
    response = client.get(url, data) if method == "GET" else client.post(url, data)
    assert response.status_code < 500, (role, url, data)
    assert _snapshot() == before, (role, url, data)
    return response


def run(client, stage, requests, *, seats: tuple[str, ...] = ()) -> None:
    """Send what `requests` generates as one of the roles (half the time one of the `seats`
    the form is meant for): no 5xx, nothing written."""
    roles = st.one_of(st.sampled_from(seats), st.sampled_from(ROLES)) if seats else ROLE

    @FUZZ
    @given(request=requests, role=roles)
    def check(request, role) -> None:
        _send(client, stage, role, *request)

    check()


ROLE = st.sampled_from(ROLES)
TODAY_OR_BEFORE = (datetime.date(2026, 6, 10), datetime.date(2026, 11, 30))
AFTER_THE_DEADLINES = (datetime.date(2027, 4, 1), datetime.date(2027, 12, 31))

# ------------------------------------------------------------------------- forms


def _transition_fields() -> list[Field]:
    return [
        Field("note", valid_text(required=False), bad_text(rules.TEXT, required=False)),
        Field("text", valid_text(), bad_text(rules.TEXT, required=False)),
        Field("outcome", valid_choice(Outcome.values), bad_choice(Outcome.values)),
        Field(
            "self_assessment",
            valid_choice(SelfAssessment.values),
            bad_choice(SelfAssessment.values),
        ),
        Field(
            "letter_number",
            valid_text(rules.NUMBER, required=False),
            bad_text(rules.NUMBER, required=False),
        ),
        Field(
            "letter_date", valid_date(*TODAY_OR_BEFORE, required=False), bad_date(required=False)
        ),
        Field("evidence", valid_files(), bad_files()),
    ]


def _on_a_case(stage, action: str, fields: list[Field], states=None):
    cases = [case for case in stage.cases if states is None or case.state in states]
    url = st.sampled_from(cases).map(
        lambda case: reverse("workflow:case_action", args=[case.pk, action])
    )
    return st.tuples(st.just("POST"), url, request_data(fields))


TRANSITIONS = {
    "start": ("assigned", ("so_ldtbxh",)),
    "report": ("in_progress", ("so_ldtbxh",)),
    "return": ("reported", ("ban_vhxh",)),
    "close": ("reported", ("ban_vhxh",)),
    "reopen": ("closed", ("thuongtruc",)),
}


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


def _registration_fields(world) -> list[Field]:
    codes = ["so-ldtbxh", "so-khdt", "so-tc", "ubnd-tinh"]
    periods = ["working_days", "calendar_days", "quarter"]
    return [
        Field("council", valid_pk(world.council.pk), BAD_PKS),
        Field("number", valid_text(rules.NUMBER), bad_text(rules.NUMBER, required=True)),
        Field("issue_date", valid_date(*TODAY_OR_BEFORE), bad_date(required=True)),
        Field("title", valid_text(rules.TITLE), bad_text(rules.TITLE, required=True)),
        Field(
            "signer",
            valid_text(rules.SIGNER, required=False),
            bad_text(rules.SIGNER, required=False),
        ),
        Field(
            "source_kind",
            valid_choice(SourceKind.values),
            bad_choice(SourceKind.values, required=True),
        ),
        Field("tracking_committee", valid_pk(world.vhxh.pk, world.ktns.pk), BAD_PKS),
        Field("attachment", valid_files(most=1), bad_files()),
        Field("rec-TOTAL_FORMS", st.just("1"), st.sampled_from(["abc", "-1", "201", MISSING])),
        Field("rec-INITIAL_FORMS", st.just("0"), st.sampled_from(["x", MISSING])),
        Field("rec-0-anchor", valid_text(rules.ANCHOR), bad_text(rules.ANCHOR, required=True)),
        Field("rec-0-text", valid_text(), bad_text(rules.TEXT, required=True)),
        Field("rec-0-lead_agencies", st.just(["so-ldtbxh"]), bad_codes(codes)),
        Field("rec-0-coordinating_agencies", st.just(["so-khdt"]), bad_codes(codes)),
        Field("rec-0-accountable", valid_choice(codes, required=False), bad_choice(codes)),
        Field(
            "rec-0-deadline",
            valid_date(datetime.date(2026, 12, 1), datetime.date(2027, 12, 31)),
            bad_date(required=False),
        ),
        Field("rec-0-deadline_period", st.just(""), bad_choice(periods)),
        Field("rec-0-deadline_amount", st.just(""), BAD_PKS),
        Field("rec-0-deadline_year", st.just(""), BAD_PKS),
    ]


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


def _scope_fields(world) -> list[Field]:
    return [
        Field("period_from", valid_date(required=False), bad_date(required=False)),
        Field("period_to", valid_date(required=False), bad_date(required=False)),
        Field(
            "source_kind",
            valid_choice(SourceKind.values, required=False),
            bad_choice(SourceKind.values),
        ),
        Field("committee", valid_pk(world.vhxh.pk, world.ktns.pk, ""), BAD_PKS),
        Field("agency", valid_pk(world.ldtbxh.pk, world.tc.pk, ""), BAD_PKS),
    ]


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
