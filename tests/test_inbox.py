""" "Việc của tôi": every move expected of each role, overdue first, then by deadline, "thường
xuyên" last; a case sent back is marked with the committee's reason until the department
reports again; every action says what happened and what comes next; the Standing Committee's
inbox holds exactly what its dashboard shows waiting for it; a page costs the same number of
queries however many cases there are.

The world's case (15/TB-HĐND II.1.a, Sở LĐTBXH) is due 30/09/2026; today is 24/11/2026."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conclusions.services import RecommendationInput, notice_register
from tests.helpers import action_url, case_of, detail_url, login, move, start_and_report
from tests.test_intake_flow import REGISTER, _registration
from tests.world import TODAY
from workflow.escalation import escalate_due
from workflow.extensions import extension_request
from workflow.models import Case
from workflow.services import ReportInput, case_transition, notice_issue
from workflow.work import work_of, work_sources

INBOX = reverse("workflow:inbox")
D = datetime.date


def _notice(world, number: str, deadlines: list[D | None], agency="so-ldtbxh") -> list[Case]:
    notice = notice_register(
        council=world.council,
        number=number,
        issue_date=D(2026, 6, 10),
        title="Kết luận giám sát việc làm",
        source_kind="thematic_supervision",
        tracking_committee=world.vhxh,
        recommendations=[
            RecommendationInput(
                anchor=f"II.{index}",
                text=f"Kiến nghị số {index} về việc làm cho thanh niên nông thôn. " * 8,
                lead_agency_codes=[agency],
                deadline=deadline,
            )
            for index, deadline in enumerate(deadlines, start=1)
        ],
        actor=world.vanphong,
    )
    return notice_issue(notice=notice, actor=world.thuongtruc)


def _rows(client, user, **params) -> list[dict]:
    """The inbox as the user sees it: each row's source, id, expectation and deadline."""
    page = login(client, user).get(INBOX, params)
    assert page.status_code == 200
    html = page.content.decode()
    items = re.findall(
        r'<li class="dd-work-item[^"]*" data-source="([\w.]+)" data-id="(\d+)"', html
    )
    expected = re.findall(r'data-testid="work-expected">([^<]+)<', html)
    deadlines = re.findall(r'data-testid="work-deadline">([^<]+)<', html)
    return [
        {"source": s, "id": int(i), "expected": e, "deadline": d}
        for (s, i), e, d in zip(items, expected, deadlines, strict=True)
    ]


def test_a_department_sees_overdue_first_then_by_deadline_and_regular_work_last(client, world):
    later, none, soon = _notice(world, "20/TB-HĐND", [D(2027, 3, 1), None, D(2026, 12, 15)])
    rows = _rows(client, world.so_ldtbxh)
    assert [r["id"] for r in rows] == [world.case.pk, soon.pk, later.pk, none.pk]
    assert [r["deadline"] for r in rows] == [
        "Hạn 30/09/2026",
        "Hạn 15/12/2026",
        "Hạn 01/03/2027",
        "Thường xuyên",
    ]
    assert {r["expected"] for r in rows} == {"Chờ tiếp nhận, thực hiện"}
    html = client.get(INBOX).content.decode()
    assert html.count('data-testid="work-overdue"') == 1  # only the case past its deadline
    # The coordinating department and other departments have nothing to do.
    assert _rows(client, world.so_khdt) == []
    assert _rows(client, world.so_tc) == []


def test_a_started_case_waits_for_the_report_since_the_day_it_opened(client, world):
    move(world, world.so_ldtbxh, "start")
    [row] = _rows(client, world.so_ldtbxh)
    assert row["expected"] == "Chờ báo cáo"
    assert "từ 24/11/2026" in client.get(INBOX).content.decode()


def test_a_committee_sees_reports_to_review_and_late_reviews_first(client, world):
    start_and_report(world)
    [fresh] = _notice(world, "21/TB-HĐND", [D(2027, 1, 1)])
    Case.objects.filter(pk=world.case.pk).update(review_due=D(2026, 11, 1))
    move_fresh = Case.objects.get(pk=fresh.pk)
    case_transition(case=move_fresh, actor=world.so_ldtbxh, action="start")
    case_transition(
        case=Case.objects.get(pk=fresh.pk),
        actor=world.so_ldtbxh,
        action="report",
        report=ReportInput(text="Đã hoàn thành."),
    )
    rows = _rows(client, world.ban_vhxh)
    assert [r["id"] for r in rows] == [world.case.pk, fresh.pk]
    assert rows[0]["expected"] == "Đánh giá chậm: chờ đánh giá"
    assert rows[1]["expected"] == "Chờ đánh giá"
    assert _rows(client, world.ban_ktns) == []  # not its committee
    assert _rows(client, world.so_ldtbxh) == []  # reported: the department waits


def test_a_returned_case_is_marked_with_the_reason_until_the_department_reports_again(
    client, world
):
    start_and_report(world)
    reason = "Thiếu số liệu lao động được đào tạo theo từng huyện."
    move(world, world.ban_vhxh, "return", note=reason)
    [row] = _rows(client, world.so_ldtbxh)
    assert row["expected"] == "Bị trả lại: chờ báo cáo lại"
    assert reason in client.get(INBOX).content.decode()
    page = client.get(detail_url(world.case)).content.decode()
    banner = page.index('data-testid="returned-banner"')
    assert reason in page[banner : page.index("</div>", banner)]
    assert banner < page.index("dd-recommendation")  # at the top, above the case itself
    move(world, world.so_ldtbxh, "report", report=ReportInput(text="Bổ sung số liệu."))
    assert (
        'data-testid="returned-banner"' not in client.get(detail_url(world.case)).content.decode()
    )
    committee_page = login(client, world.ban_vhxh).get(detail_url(world.case)).content.decode()
    # The committee's panels sit below the report they judge.
    assert committee_page.index("Bổ sung số liệu.") < committee_page.index(
        'data-action-panel="close"'
    )


def test_each_action_says_what_happened_and_what_comes_next(client, world):
    login(client, world.so_ldtbxh)
    response = client.post(action_url(world.case, "start"), follow=True)
    assert "Đã tiếp nhận hồ sơ; đề nghị báo cáo kết quả trước ngày 30/09/2026." in (
        response.content.decode()
    )
    response = client.post(
        action_url(world.case, "report"),
        {"text": "Đã rà soát xong.", "self_assessment": "done"},
        follow=True,
    )
    due = case_of(world).review_due.strftime("%d/%m/%Y")
    assert f"Đã gửi báo cáo; Ban Văn hóa - Xã hội sẽ đánh giá trước ngày {due}." in (
        response.content.decode()
    )
    assert "Đã lưu." not in response.content.decode()
    login(client, world.ban_vhxh)
    response = client.post(action_url(world.case, "return"), {"note": "Chưa đủ."}, follow=True)
    assert (
        "Đã trả lại báo cáo; Sở Lao động - Thương binh và Xã hội thực hiện tiếp và báo cáo lại "
        "trước ngày 30/09/2026." in response.content.decode()
    )


def test_an_extension_request_tells_who_decides(client, world):
    [case] = _notice(world, "22/TB-HĐND", [D(2026, 12, 31)])
    response = login(client, world.so_ldtbxh).post(
        action_url(case, "extension-request"),
        {"requested_until": "31/01/2027", "reason": "Chờ số liệu điều tra lao động."},
        follow=True,
    )
    assert (
        "Đã gửi đề nghị gia hạn đến ngày 31/01/2027; Thường trực HĐND sẽ quyết định."
        in response.content.decode()
    )


def _dashboard_waiting(client, user) -> int:
    response = login(client, user).get(reverse("reports:index"))
    return len(response.context["pending_extensions"]) + len(response.context["high_level_cases"])


def test_the_standing_committees_inbox_holds_what_its_dashboard_shows_waiting(client, world):
    assert (
        _rows(client, world.thuongtruc) == [] and _dashboard_waiting(client, world.thuongtruc) == 0
    )
    [case] = _notice(world, "23/TB-HĐND", [D(2026, 12, 31)])
    extension_request(
        case=case, actor=world.so_ldtbxh, requested_until=D(2027, 1, 31), reason="Chờ số liệu."
    )
    escalate_due(datetime.datetime(2026, 11, 24, 9, tzinfo=datetime.UTC))
    assert case_of(world).escalation_level >= 7
    rows = _rows(client, world.thuongtruc)
    assert {(r["source"], r["expected"]) for r in rows} == {
        ("case.decision", "Chờ Thường trực HĐND quyết định"),
        ("case.extension", "Chờ quyết định gia hạn"),
    }
    assert [r["deadline"] for r in rows] == ["Hạn 30/09/2026", "Hạn 31/12/2026"]
    assert len(rows) == _dashboard_waiting(client, world.thuongtruc) == 2
    html = client.get(INBOX).content.decode()
    assert "Mức 7 · " in html  # the rung, by its one number and its one name


def test_intake_steps_wait_in_the_inbox_of_whoever_may_take_them(client, world):
    assert login(client, world.vanphong).post(REGISTER, _registration(world)).status_code == 302
    [row] = _rows(client, world.ban_vhxh)
    assert (row["source"], row["expected"], row["deadline"]) == (
        "intake.task",
        "Chờ Ban kiểm tra thông báo",
        "Thường xuyên",
    )
    assert _rows(client, world.ban_ktns) == []
    assert _rows(client, world.so_ldtbxh)[0]["source"] == "case.agency"
    assert all(r["source"] != "intake.task" for r in _rows(client, world.thuongtruc))


def test_the_sources_are_found_in_the_apps():
    names = [source.name for source in work_sources()]
    assert {"case.agency", "case.review", "case.extension", "case.decision"} <= set(names)
    assert "intake.task" in names


def _queries(client, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INBOX).status_code == 200
    return len(queries)


@pytest.mark.postgres
def test_a_page_costs_the_same_queries_for_few_or_many_cases(client, world):
    login(client, world.so_ldtbxh)
    client.get(INBOX)
    few = _queries(client, world.so_ldtbxh)
    _notice(world, "24/TB-HĐND", [TODAY + datetime.timedelta(days=n) for n in range(40)])
    many = _queries(client, world.so_ldtbxh)
    assert many == few
    page2 = login(client, world.so_ldtbxh).get(INBOX, {"page": 2}).content.decode()
    assert "Trang 2/2" in page2


def test_the_pages_of_the_merged_inbox_follow_one_order(world):
    _notice(world, "25/TB-HĐND", [TODAY + datetime.timedelta(days=n) for n in range(30)])
    first = work_of(world.so_ldtbxh, today=TODAY, page=1)
    second = work_of(world.so_ldtbxh, today=TODAY, page=2)
    assert first.count == 31 and len(first.items) == 25 and len(second.items) == 6
    deadlines = [item.deadline for item in [*first.items, *second.items]]
    assert deadlines == sorted(deadlines)


@pytest.mark.postgres
def test_the_standing_committees_and_committees_pages_cost_the_same_for_more_cases(client, world):
    """One row of each kind, then many: the same number of queries."""

    def cost() -> tuple[int, int]:
        counts = []
        for user in (world.thuongtruc, world.ban_vhxh):
            login(client, user)
            client.get(INBOX)
            counts.append(_queries(client, user))
        return tuple(counts)

    def waiting(cases: list[Case]) -> None:
        half = len(cases) // 2
        for case in cases[:half]:
            extension_request(
                case=case, actor=world.so_ldtbxh, requested_until=D(2027, 2, 26), reason="Chờ."
            )
        for case in cases[half:]:
            case_transition(case=case, actor=world.so_ldtbxh, action="start")
            case_transition(
                case=Case.objects.get(pk=case.pk),
                actor=world.so_ldtbxh,
                action="report",
                report=ReportInput(text="Xong."),
            )

    escalate_due(datetime.datetime(2026, 11, 24, 9, tzinfo=datetime.UTC))  # rung 7
    waiting(_notice(world, "26/TB-HĐND", [D(2026, 12, 31)] * 2))
    few = cost()
    assert work_of(world.thuongtruc, today=TODAY).count == 2
    waiting(_notice(world, "27/TB-HĐND", [D(2026, 12, 31)] * 24))
    assert work_of(world.thuongtruc, today=TODAY).count == 14
    assert work_of(world.ban_vhxh, today=TODAY).count == 13
    assert cost() == few
