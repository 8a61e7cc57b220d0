"""Reports A, B and G frozen "as of" a day: every figure against the same figures recomputed in
plain Python from the cases, their events and their extensions (tests/history.py), on each day
a story turns; frozen figures that never move; who may ask, see and download."""

import datetime
import io

import openpyxl
import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ

from conclusions.models import Recommendation
from reports.models import ReportSnapshot
from reports.snapshots import snapshot_build, snapshot_request
from tests.figures_by_hand import (
    end_of,
)
from tests.history import (  # noqa: F401 (story, story_history and story_world are fixtures)
    CHECK_DAYS,
    D,
    more_cases,
    status_on,
    story,
    story_history,
    story_world,
)
from tests.reports_support import (  # noqa: F401  (fixtures among them)
    ISSUE,
    _all_cases,
    _hau_giang,
    build_in_process,
    report,
)
from workflow.deadlines import calendar_for
from workflow.errors import CaseForbidden, CaseInvalid, CaseNotFound
from workflow.models import Case, CaseState, Extension


@pytest.mark.parametrize("day", [D(2026, 6, 5), D(2026, 6, 22), D(2026, 7, 10)])
def test_report_g_lists_what_falls_due_what_became_overdue_and_what_waits(
    world, history, report, day
):
    figures = report(world.thuongtruc, "weekly", day).figures
    calendar = calendar_for(world.council.pk)
    h3, h7, h15 = (calendar.shift_working_days(day, n) for n in (3, 7, 15))
    expected = {"due_3": set(), "due_7": set(), "due_15": set(), "newly_overdue": set()}
    for case in _hau_giang(_all_cases(), world):
        status = status_on(case, day)
        if status is None or status["deadline"] is None:
            continue
        if status["state"] in (CaseState.REPORTED, CaseState.CLOSED):  # not the agency's turn
            continue
        deadline = status["deadline"]
        if day - datetime.timedelta(days=7) <= deadline < day:
            expected["newly_overdue"].add(case.pk)
        elif day <= deadline <= h3:
            expected["due_3"].add(case.pk)
        elif h3 < deadline <= h7:
            expected["due_7"].add(case.pk)
        elif h7 < deadline <= h15:
            expected["due_15"].add(case.pk)
    for group, ids in expected.items():
        assert {item["case"] for item in figures[group]} == ids, group
    end = end_of(day)
    waiting = {
        x.case_id
        for x in Extension.objects.filter(case__council=world.council)
        if x.requested_at < end and (x.decided_at is None or x.decided_at >= end)
    }
    assert {item["case"] for item in figures["extensions"]} == waiting
    assert figures["horizons"] == {"3": h3.isoformat(), "7": h7.isoformat(), "15": h15.isoformat()}


def test_report_g_on_22_june_has_the_story_it_should(world, history, report):
    figures = report(world.thuongtruc, "weekly", D(2026, 6, 22)).figures
    assert [i["case"] for i in figures["newly_overdue"]] == [history.cases["j"].pk]
    assert {i["case"] for i in figures["extensions"]} == {
        history.cases["i"].pk,
        history.cases["j"].pk,
    }


# ------------------------------------------------------------------ refusals and access


def test_a_report_cannot_be_asked_as_of_a_future_day_and_nothing_is_written(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(CaseInvalid):
        snapshot_request(
            actor=world.thuongtruc, kind="results", as_of=tomorrow, council=world.council
        )
    assert not ReportSnapshot.objects.exists()


def test_nobody_reports_on_a_council_they_do_not_sit_in(world):
    with pytest.raises(CaseForbidden):
        snapshot_request(
            actor=world.other_thuongtruc, kind="results", as_of=ISSUE, council=world.council
        )
    with pytest.raises(CaseNotFound):
        snapshot_request(
            actor=world.so_tc,
            kind="notice",
            as_of=ISSUE,
            council=world.council,
            notice=world.notice,
        )
    assert not ReportSnapshot.objects.exists()


def test_the_page_refuses_bad_input_with_a_message_and_writes_nothing(world, client):
    client.force_login(world.thuongtruc)
    url = reverse("reports:report_list")
    response = client.post(
        url, {"kind": "notice", "as_of": "05/06/2026", "council": world.council.pk}
    )
    assert response.status_code == 400
    assert "Vui lòng chọn thông báo kết luận" in response.content.decode()
    response = client.post(
        url, {"kind": "results", "as_of": "31/02/2026", "council": world.council.pk}
    )
    assert response.status_code == 400
    assert not ReportSnapshot.objects.exists()


def test_only_the_author_and_the_standing_committee_open_a_report(world, report, client):
    snapshot = report(world.ban_vhxh, "results", timezone.localdate())
    urls = [
        reverse("reports:snapshot", args=[snapshot.pk]),
        reverse("reports:snapshot_status", args=[snapshot.pk]),
        reverse("reports:snapshot_export", args=[snapshot.pk, "xlsx"]),
        reverse("reports:snapshot_export", args=[snapshot.pk, "docx"]),
    ]
    for user, status in [
        (world.ban_vhxh, 200),
        (world.thuongtruc, 200),
        (world.ban_ktns, 404),
        (world.other_thuongtruc, 404),
        (world.outsider, 404),
    ]:
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [status] * 4, user
    client.logout()
    assert client.get(urls[0]).status_code == 302


# ------------------------------------------------------------------- async generation


def test_the_report_is_queued_for_the_worker_and_its_page_shows_progress(
    world, client, settings, django_capture_on_commit_callbacks
):
    settings.DONDOC_REPORTS_SYNC = False
    client.force_login(world.thuongtruc)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:report_list"),
            {"kind": "results", "as_of": "05/06/2026", "council": world.council.pk},
        )
    snapshot = ReportSnapshot.objects.get()
    assert response.url == reverse("reports:snapshot", args=[snapshot.pk])
    assert (snapshot.status, snapshot.created_by, snapshot.as_of) == (
        "pending",
        world.thuongtruc,
        ISSUE,
    )
    assert OrmQ.objects.count() == 1  # waiting in django-q2's queue
    page = client.get(response.url).content.decode()
    assert 'data-testid="progress"' in page and "export-xlsx" not in page
    status = client.get(reverse("reports:snapshot_status", args=[snapshot.pk])).json()
    assert (status["status"], status["progress"]) == ("pending", 0)
    assert (
        client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "docx"])).status_code
        == 409
    )


def test_building_twice_never_changes_a_finished_report(world, history, report):
    snapshot = report(world.thuongtruc, "results", D(2026, 6, 18))
    frozen = snapshot.figures
    Case.objects.filter(pk=history.cases["d"].pk).update(original_deadline=D(2026, 12, 31))
    assert snapshot_build(snapshot.pk).figures == frozen


# --------------------------------------------------------------------------- query count


def test_building_a_report_costs_the_same_queries_for_few_or_many_cases(
    world, report, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    def build(kind, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            snapshot_request(
                actor=world.thuongtruc,
                kind=kind,
                as_of=timezone.localdate(),
                council=world.council,
                **extra,
            )

    budget = {"results": 25, "notice": 21, "weekly": 20}  # results: + what successors took over
    for kind, limit in budget.items():
        with django_assert_max_num_queries(limit):
            build(kind, **({"notice": world.notice} if kind == "notice" else {}))
    more_cases(world, 40)
    for kind, limit in budget.items():
        with django_assert_max_num_queries(limit):
            build(kind, **({"notice": world.notice} if kind == "notice" else {}))


# ------------------------------------------------------------------------------ exports


def test_the_excel_file_holds_real_tables_with_filters_dates_and_no_formulas(
    world, history, report, client
):
    Recommendation.objects.filter(pk=history.cases["d"].recommendation_id).update(
        text="=SUM(A1:A9) chưa thực hiện"
    )
    snapshot = report(world.thuongtruc, "results", D(2026, 6, 18))
    client.force_login(world.thuongtruc)
    response = client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "xlsx"]))
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert "attachment;" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Theo cơ quan",
        "Tự đánh giá, gia hạn",
        "Theo Ban",
        "Ban đánh giá",
        "Kiến nghị quá hạn",
    ]
    agencies = book["Theo cơ quan"]
    header = [cell.value for cell in agencies[4]]
    assert header[:5] == ["STT", "Cơ quan", "Tổng số", "Hoàn thành đúng hạn", "Hoàn thành quá hạn"]
    assert header[-1] == "Tỷ lệ hoàn thành đúng hạn"
    n = len(snapshot.figures["by_agency"])
    assert agencies.auto_filter.ref == f"A4:M{4 + n}"
    assert all(agencies.column_dimensions[c].width >= 4 for c in "ABCDEFGHIJKLM")
    names = [row[1].value for row in agencies.iter_rows(min_row=5, max_row=5 + n)]
    assert names == [r["name"] for r in snapshot.figures["by_agency"]] + ["Tổng cộng"]
    total_row = [cell.value for cell in agencies[5 + n]]
    assert total_row[2] == snapshot.figures["totals"]["total"] == 10
    assert total_row[12] == pytest.approx(1 / 7)
    # "Cách tính" under the table, across its width
    note = [agencies.cell(r, 1).value for r in range(7 + n, agencies.max_row + 1)]
    assert note[0] == "Cách tính:" and note[1].startswith("- Hoàn thành đúng hạn: ")
    assert f"A{7 + n}:M{7 + n}" in {str(r) for r in agencies.merged_cells.ranges}
    overdue = book["Kiến nghị quá hạn"]
    listed = len(snapshot.figures["overdue"])
    rows = list(overdue.iter_rows(min_row=5, max_row=4 + listed, values_only=True))
    assert [r[7] for r in rows] == [i["days_overdue"] for i in snapshot.figures["overdue"]]
    assert isinstance(rows[0][6], datetime.datetime)  # a real date, shown dd/mm/yyyy
    assert overdue.cell(5, 7).number_format == "DD/MM/YYYY"
    texts = [cell for row in overdue.iter_rows() for cell in row]
    assert "=SUM(A1:A9) chưa thực hiện" in [c.value for c in texts]
    assert not any(c.data_type == "f" for sheet in book for row in sheet.iter_rows() for c in row)


def test_the_word_file_follows_the_official_layout(world, history, report, client):
    import docx
    from docx.enum.section import WD_ORIENT

    snapshot = report(world.thuongtruc, "notice", D(2026, 6, 18), notice=history.notices[0])
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(number="12/BC-HĐND")
    client.force_login(world.thuongtruc)
    response = client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "docx"]))
    document = docx.Document(io.BytesIO(response.content))
    portrait, landscape = document.sections
    assert (
        portrait.orientation == WD_ORIENT.PORTRAIT and landscape.orientation == WD_ORIENT.LANDSCAPE
    )
    assert (round(portrait.page_width.cm, 1), round(portrait.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(landscape.page_width.cm, 1), round(landscape.page_height.cm, 1)) == (29.7, 21.0)
    assert document.styles["Normal"].font.name == "Times New Roman"
    heading, signature, items = document.tables
    left, right = (cell.text for cell in heading.rows[0].cells)
    assert left.splitlines()[:2] == ["HĐND TỈNH HẬU GIANG", "THƯỜNG TRỰC HĐND"]
    assert "Số: 12/BC-HĐND" in left
    created = timezone.localdate(snapshot.created_at)
    month = f"{created.month:02d}" if created.month < 3 else str(created.month)
    assert right.splitlines() == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "———————————",
        f"Hậu Giang, ngày {created.day:02d} tháng {month} năm {created.year}",
    ]
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert any(t.startswith("Kết quả thực hiện Thông báo kết luận số 21/TB-HĐND") for t in texts)
    assert signature.rows[0].cells[1].text.startswith("TM. THƯỜNG TRỰC HĐND")
    header = [cell.text for cell in items.rows[0].cells]
    assert header == [
        "STT",
        "Mục",
        "Nội dung kiến nghị",
        "Cơ quan thực hiện",
        "Thời hạn",
        "Tình trạng",
        "Báo cáo gần nhất",
        "Đánh giá của Ban",
    ]
    body = [[cell.text for cell in row.cells] for row in items.rows[1:]]
    assert [row[1] for row in body] == ["I.1", "I.2", "I.3", "I.4", "I.5"]
    assert body[2][4] == "10/06/2026 (gia hạn; ban đầu 15/04/2026)"
    assert body[1][5] == "Đã đóng: Hoàn thành một phần"
    assert body[3][5] == "Đã giao, quá hạn"
    sizes = {
        run.font.size.pt
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run.font.size is not None
    }
    assert sizes <= {13.0, 14.0}


def test_an_empty_report_still_exports(world, report, client):
    snapshot = report(world.thuongtruc, "weekly", D(2026, 1, 5))
    client.force_login(world.thuongtruc)
    for format in ("xlsx", "docx"):
        response = client.get(reverse("reports:snapshot_export", args=[snapshot.pk, format]))
        assert response.status_code == 200 and len(response.content) > 1000


# ------------------------------------------------------------------------ printable case


def test_a_case_prints_on_one_page_with_its_timeline(world, history, client):
    case = history.cases["g"]
    client.force_login(world.ban_ktns)
    detail = client.get(reverse("workflow:case_detail", args=[case.pk])).content.decode()
    assert reverse("reports:case_print", args=[case.pk]) in detail
    page = client.get(reverse("reports:case_print", args=[case.pk])).content.decode()
    kinds = list(
        Case.objects.get(pk=case.pk)
        .events.values_list("kind", flat=True)
        .order_by("created_at", "id")
    )
    assert page.count("<tr data-kind=") == len(kinds)
    assert page.count('data-kind="case.reopened"') == 1
    assert "dondoc/case_print.css" in page  # @page A4, no menus when printed
    for user in (world.ban_vhxh, world.outsider, world.other_thuongtruc):
        client.force_login(user)
        assert client.get(reverse("reports:case_print", args=[case.pk])).status_code == 404


def test_snapshots_are_listed_for_their_readers(world, report, client):
    mine = report(world.ban_vhxh, "results", ISSUE)
    client.force_login(world.thuongtruc)
    page = client.get(reverse("reports:report_list")).content.decode()
    assert f'data-snapshot="{mine.pk}"' in page
    client.force_login(world.ban_ktns)
    assert (
        f'data-snapshot="{mine.pk}"'
        not in client.get(reverse("reports:report_list")).content.decode()
    )
    assert ReportSnapshot.objects.aggregate(n=Count("id"))["n"] == 1
