"""The same figures shown and asked for: bad parameters refused, the definitions in both
languages, the agency's own assessment, the "Cách tính" notes on the page, in Excel and in
Word, an old snapshot opening as it was, and the migration's stamps (stories in
tests/test_figures_definitions.py)."""

import datetime
import io

import openpyxl
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from reports.models import ReportSnapshot
from tests.figures_support import (  # noqa: F401  (fixtures among them)
    OLD_NOTICE,
    OLD_RESULTS,
    RESULTS_URL,
    D,
    _results,
    _snapshot,
    played,
    s,
)
from tests.helpers import api_client
from workflow.models import Case, CaseEvent, ProgressReport


def test_bad_parameters_are_refused_in_both_languages_naming_them(s):
    client = api_client(s.world.thuongtruc)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    cases = [
        ({"as_of": "2026-13-01"}, "as_of"),
        ({"as_of": tomorrow}, "as_of"),
        ({"council": "khong-co"}, "council"),
        ({"committee": "khong-co"}, "committee"),
        ({"period_from": "2026-05-01", "period_to": "2026-04-01"}, "period_to"),
        ({"council": "can-tho", "committee": "ban-vhxh"}, "committee"),
    ]
    for params, name in cases:
        response = client.get(RESULTS_URL, params)
        assert response.status_code == 400, params
        body = response.json()
        assert body["code"] == "invalid"
        assert name in body["errors"] and name in body["errors_en"], params
        assert body["detail"].startswith(name) and body["detail_en"].startswith(name), params
    assert APIClient().get(RESULTS_URL).status_code == 401


def test_the_results_answer_carries_the_definitions_in_both_languages(s):
    figures = _results(s.world.thuongtruc)
    assert figures["as_of"] == timezone.localdate().isoformat()
    definitions = figures["definitions"]
    assert "Chờ Ban đánh giá" in definitions["awaiting_review"]["vi"]
    assert "Awaiting" in definitions["awaiting_review"]["en"]
    assert set(definitions) >= {"done_on_time", "on_time_rate", "review_clock", "urgings"}
    schema = APIClient().get("/api/schema/").content.decode()
    assert "/api/v1/reports/results/" in schema and "median_review_days" in schema


# ------------------------------------------------------------------------ the claim


def test_the_api_report_takes_the_agency_s_own_assessment_blank_when_not_said(s):
    w = s.world
    client = api_client(w.so_ldtbxh)
    url = f"/api/v1/cases/{w.case.pk}/"
    assert client.post(url + "start/", {}, format="json").status_code == 200
    refused = client.post(url + "report/", {"text": "Xong", "self_assessment": "maybe"})
    assert refused.status_code == 400 and "self_assessment" in refused.json()["errors"]
    answer = client.post(url + "report/", {"text": "Xong", "self_assessment": "partially"})
    assert answer.status_code == 200
    assert answer.json()["reports"][0]["self_assessment"] == "partially"
    assert ProgressReport.objects.get(case=w.case).self_assessment == "partially"
    event = CaseEvent.objects.get(case=w.case, kind="case.reported")
    assert event.data["self_assessment"] == "partially"
    api_client(w.ban_vhxh).post(url + "return/", {"reason": "Bổ sung"}, format="json")
    client.post(url + "report/", {"text": "Bổ sung xong"})  # an older client: not stated
    assert ProgressReport.objects.filter(case=w.case).latest("created_at").self_assessment == ""


def test_the_web_report_form_asks_the_agency_s_own_assessment(s, client):
    w = s.world
    client.force_login(w.so_ldtbxh)
    action = reverse("workflow:case_action", args=[w.case.pk, "report"])
    client.post(reverse("workflow:case_action", args=[w.case.pk, "start"]))
    page = client.get(reverse("workflow:case_detail", args=[w.case.pk])).content.decode()
    assert 'name="self_assessment"' in page and "Cơ quan tự đánh giá kết quả" in page
    refused = client.post(action, {"text": "Đã xong"})
    assert refused.status_code == 400
    assert client.post(action, {"text": "Đã xong", "self_assessment": "done"}).status_code == 302
    assert ProgressReport.objects.get(case=w.case).self_assessment == "done"
    client.force_login(w.ban_vhxh)
    page = client.get(reverse("workflow:case_detail", args=[w.case.pk])).content.decode()
    assert "Cơ quan tự đánh giá: Đã hoàn thành" in page


# ---------------------------------------------------------------- documents and notes


def test_every_table_of_report_a_has_its_note_on_the_page_in_excel_and_in_word(
    s, client, django_capture_on_commit_callbacks, settings
):
    import docx

    snapshot = _snapshot(s, django_capture_on_commit_callbacks, settings)
    client.force_login(s.world.thuongtruc)
    page = client.get(reverse("reports:snapshot", args=[snapshot.pk])).content.decode()
    assert page.count('data-testid="note"') == page.count('class="dd-report-table"') == 5
    assert "Cách tính:" in page and "Chênh lệch" in page and "Số lần đôn đốc" in page
    xlsx = client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    for sheet in book:
        assert "Cách tính:" in [row[0] for row in sheet.iter_rows(values_only=True)], sheet.title
    word = client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "docx"]))
    document = docx.Document(io.BytesIO(word.content))
    texts = [p.text for p in document.paragraphs]
    assert texts.count("Cách tính:") == 5
    assert any(t.startswith("Tỷ lệ hoàn thành đúng hạn: ") for t in texts)
    assert any("Ban xác nhận hoàn thành" in t for t in texts)


def test_the_dashboard_prints_the_note_under_every_table(s, client):
    client.force_login(s.world.thuongtruc)
    page = client.get(reverse("reports:index")).content.decode()
    for section in ("totals", "by-committee", "by-agency", "most-overdue"):
        start = page.index(f'data-testid="{section}"')
        assert 'data-testid="note"' in page[start : page.index("</section>", start)], section
    client.cookies["django_language"] = "en"
    english = client.get(reverse("reports:index")).content.decode()
    assert "How it is counted:" in english


def test_a_report_frozen_before_the_new_definitions_still_opens_as_it_was(s, client):
    w = s.world
    old = ReportSnapshot.objects.create(
        council=w.council,
        kind="results",
        as_of=D(2026, 4, 20),
        figures=OLD_RESULTS,
        status=ReportSnapshot.Status.DONE,
        created_by=w.thuongtruc,
    )
    client.force_login(w.thuongtruc)
    page = client.get(reverse("reports:snapshot", args=[old.pk])).content.decode()
    assert "cách tính trước đây" in page and "Số lần nhắc hạn" in page
    for format in ("xlsx", "docx"):
        response = client.get(reverse("reports:snapshot_export", args=[old.pk, format]))
        assert response.status_code == 200 and len(response.content) > 1000
    old.refresh_from_db()
    assert old.figures == OLD_RESULTS  # opened, never rewritten
    notice = ReportSnapshot.objects.create(
        council=w.council,
        kind="notice",
        as_of=D(2026, 4, 20),
        params={"notice": 1},
        figures=OLD_NOTICE,
        status=ReportSnapshot.Status.DONE,
        created_by=w.thuongtruc,
    )
    page = client.get(reverse("reports:snapshot", args=[notice.pk])).content.decode()
    assert "đã hoàn thành 1, đang thực hiện trong hạn 0, quá hạn 1" in page
    for format in ("xlsx", "docx"):
        response = client.get(reverse("reports:snapshot_export", args=[notice.pk, format]))
        assert response.status_code == 200


# ---------------------------------------------------------------------- the migration


def test_the_migration_stamps_cases_reported_before_it_from_their_log(s):
    """Cases reported or closed before the stamps existed get them from the event log."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("workflow.migrations.0008_report_stamps_self_assessment")

    def stamps():
        return {
            pk: (reported_at, deadline, review_due if state == "reported" else None)
            for pk, state, reported_at, deadline, review_due in Case.objects.filter(
                council=s.world.council, state__in=("reported", "closed")
            ).values_list("pk", "state", "reported_at", "deadline_when_reported", "review_due")
        }

    stamped = stamps()
    assert len(stamped) == 6 and all(row[0] for row in stamped.values())
    Case.objects.update(reported_at=None, deadline_when_reported=None, review_due=None)
    migration.stamp_reports(apps, None)
    assert stamps() == stamped
