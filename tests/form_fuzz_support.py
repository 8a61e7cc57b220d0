"""What the form fuzz tests share: fields, strategies of bad input, the stage, the runner."""

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
from notifications.models import Delivery, NotificationSettings
from reports.models import ReportSnapshot
from workflow.extensions import extension_request
from workflow.models import (
    Case,
    CaseEvent,
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
    # A blank slot is no agency, and the picker skips it: not among the refused values.
    unknown = st.sampled_from(["so-khong-co", "so-tc-cantho", "a\x00b", "x" * 60, "%"])
    return st.builds(lambda good, bad: [*good, bad], valid_codes(codes), unknown)


def bad_deadline_words() -> st.SearchStrategy[str]:
    """Deadlines in words the one deadline field cannot read, or can but must refuse."""
    return st.sampled_from(
        [
            "trong quý V/2026",
            "trong 0 ngày làm việc",
            "trong 9999 tháng",
            "trong tháng 13/2026",
            "trước kỳ họp thứ 99",
            "chậm nhất ngày 31/02/2027",
            "hạn chót sắp tới",
        ]
    )


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


def _registration_fields(world) -> list[Field]:
    codes = ["so-ldtbxh", "so-khdt", "so-tc", "ubnd-tinh"]
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
        Field(
            "rec-0-accountable",
            valid_choice(codes, required=False),
            # Names are separated by ";": separators alone name no agency.
            bad_choice(codes).filter(lambda value: value.replace(";", "").strip()),
        ),
        Field(
            "rec-0-deadline",
            st.one_of(
                valid_date(datetime.date(2026, 12, 1), datetime.date(2027, 12, 31)),
                st.sampled_from(["30 ngày làm việc", "trong quý IV/2026", "thường xuyên"]),
            ),
            st.one_of(bad_date(required=False), bad_deadline_words()),
        ),
    ]


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
