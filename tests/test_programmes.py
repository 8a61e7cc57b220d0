"""A "Lắng nghe và Trao đổi" episode and its hotline questions (issue #13): the questions not
answered live become a draft notice, issued through the usual approval, then tracked as
cases; Report E counts them as of a day; callers' personal data only the office sees."""

import datetime

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import Client
from django.urls import reverse

from conclusions.models import ConclusionNotice
from intake.flows import IntakeFlow
from intake.models import NoticeIntakeProcess
from reports.documents import document_for
from reports.snapshots import snapshot_request
from resolutions.figures import question_figures
from resolutions.models import HotlineQuestion, Programme
from tests.helpers import api_client, carried_out, committed
from tests.world import TODAY
from workflow.models import Case
from workflow.services import notice_issue

API = "/api/v1"
AIRED = datetime.date(2026, 10, 15)


def _post(user, url, body):
    return api_client(user).post(url, body, format="json")


def _question(user, programme_id, **body):
    body = {"received_at": "2026-10-15T20:10:00+07:00", "question": "Câu hỏi?"} | body
    return _post(user, f"{API}/programmes/{programme_id}/questions/", body)


@pytest.fixture
def episode(world):
    """One episode: a question answered live, two forwarded to departments, one with the
    caller's consent to keep name and phone."""
    answer = _post(
        world.vanphong,
        f"{API}/programmes/",
        {
            "committee": "ban-vhxh",
            "date": AIRED.isoformat(),
            "topic": "Đào tạo nghề, giải quyết việc làm, xuất khẩu lao động",
            "agencies": ["so-ldtbxh", "so-khdt"],
        },
    )
    assert answer.status_code == 201, answer.content
    pk = answer.json()["id"]
    live = _question(
        world.vanphong,
        pk,
        question="Điều kiện vay vốn đi lao động ở nước ngoài?",
        answered_live=True,
        agency="so-ldtbxh",
        locality="Vị Thanh",
    )
    assert live.status_code == 201, live.content
    _question(
        world.vanphong,
        pk,
        question="Khi nào chi trả hỗ trợ học nghề cho lao động nông thôn?",
        agency="so-ldtbxh",
        locality="Long Mỹ",
        caller_consent=True,
        caller_name="Nguyễn Văn Tư",
        caller_phone="0912345678",
    )
    _question(
        world.vanphong,
        pk,
        question="Dự án khu công nghiệp Sông Hậu có tuyển lao động địa phương?",
        agency="so-khdt",
        locality="Châu Thành",
    )
    return Programme.objects.get(pk=pk)


def _notice_draft(world, programme):
    body = {"number": "70/TB-HĐND", "issue_date": "2026-10-20", "deadline": {"working_days": 15}}
    return _post(world.vanphong, f"{API}/programmes/{programme.pk}/notice/", body)


def test_questions_become_a_draft_notice_then_cases_once_issued(world, episode):
    answer = _notice_draft(world, episode)
    assert answer.status_code == 201, answer.content
    draft = answer.json()
    assert draft["status"] == "draft"
    assert [(r["anchor"], r["agency"]) for r in draft["recommendations"]] == [
        ("1", "so-ldtbxh"),
        ("2", "so-khdt"),
    ]
    assert "(Long Mỹ)" in draft["recommendations"][0]["text"]
    notice = ConclusionNotice.objects.get(pk=draft["id"])
    assert (notice.source_kind, notice.tracking_committee.code) == (
        "listen_and_discuss",
        "ban-vhxh",
    )
    assert not Case.objects.filter(notice=notice).exists()  # waits for the intake's approval
    process = NoticeIntakeProcess.objects.get(notice=notice)
    assert process.task_set.get(flow_task=IntakeFlow.check).status == "NEW"  # Ban's queue
    with committed():
        cases = notice_issue(notice=notice, actor=world.thuongtruc)
    assert sorted(c.agency.code for c in cases) == ["so-khdt", "so-ldtbxh"]
    assert all(c.deadline == datetime.date(2026, 11, 10) for c in cases)
    again = _notice_draft(world, episode)
    assert again.status_code == 409 and again.json()["detail_en"]
    late = _question(
        world.vanphong,
        episode.pk,
        question="Hỗ trợ việc làm cho người khuyết tật?",
        agency="so-ldtbxh",
    )
    assert late.status_code == 201
    added = _post(world.vanphong, f"{API}/programmes/{episode.pk}/notice/", {})
    assert added.status_code == 201, added.content
    assert [r["anchor"] for r in added.json()["recommendations"]] == ["1", "2", "3"]
    assert Case.objects.filter(notice=notice).count() == 3  # opened at once


def test_report_e_counts_questions_as_of_a_day(world, episode, settings):
    _notice_draft(world, episode)
    notice = ConclusionNotice.objects.get(number="70/TB-HĐND")
    with committed():
        notice_issue(notice=notice, actor=world.thuongtruc)
    case = Case.objects.get(notice=notice, agency__code="so-khdt")
    carried_out(
        case,
        agency=world.so_khdt,
        committee=world.ban_vhxh,
        report="Đã trả lời bằng văn bản số 512/SKHĐT.",
    )
    questions = HotlineQuestion.objects.all()
    before = question_figures(questions, AIRED)["totals"]
    assert before == {
        "received": 3,
        "answered_live": 1,
        "forwarded": 0,
        "answered_later": 0,
        "still_open": 0,
        "waiting": 2,
    }
    today = question_figures(questions, TODAY)
    assert today["totals"] == {
        "received": 3,
        "answered_live": 1,
        "forwarded": 2,
        "answered_later": 1,
        "still_open": 1,
        "waiting": 0,
    }
    by_agency = {row["name"]: row for row in today["by_agency"]}
    assert by_agency["Sở Kế hoạch và Đầu tư"]["answered_later"] == 1
    assert by_agency["Sở Lao động - Thương binh và Xã hội"]["still_open"] == 1
    settings.DONDOC_REPORTS_SYNC = True
    with committed():
        snapshot = snapshot_request(
            actor=world.vanphong, kind="programmes", as_of=TODAY, council=world.council
        )
    snapshot.refresh_from_db()
    assert snapshot.figures["totals"]["answered_later"] == 1
    text = str(snapshot.figures) + " ".join(document_for(snapshot).paragraphs)
    assert "Nguyễn Văn Tư" not in text and "0912345678" not in text
    assert "1 câu hỏi được trả lời trực tiếp" in document_for(snapshot).paragraphs[0]


def test_callers_personal_data_only_the_office_sees(world, episode):
    url = f"{API}/programmes/{episode.pk}/"
    office = api_client(world.vanphong).get(url).json()["questions"]
    assert [q["caller_name"] for q in office] == ["", "Nguyễn Văn Tư", ""]
    for user in (world.thuongtruc, world.ban_vhxh, world.so_ldtbxh):
        seen = api_client(user).get(url).json()["questions"]
        assert {q["caller_name"] for q in seen} == {None}, user
        assert {q["caller_phone"] for q in seen} == {None}, user
    refused = _question(world.vanphong, episode.pk, caller_name="Trần Văn Ba")
    assert refused.status_code == 400
    assert "caller_consent" in refused.json()["errors"] and refused.json()["detail_en"]
    assert HotlineQuestion.objects.count() == 3


def test_the_admin_list_hides_callers_from_staff_outside_the_office(world, episode):
    world.outsider.is_staff = world.outsider.is_superuser = True
    world.outsider.save()
    client = Client()
    client.force_login(world.outsider)
    url = reverse("admin:resolutions_hotlinequestion_changelist")
    page = client.get(url).content.decode()
    assert "Long Mỹ" in page and "Nguyễn Văn Tư" not in page
    question = HotlineQuestion.objects.get(caller_consent=True)
    detail = client.get(reverse("admin:resolutions_hotlinequestion_change", args=[question.pk]))
    assert "Nguyễn Văn Tư" not in detail.content.decode()
    assert admin_site.is_registered(HotlineQuestion)


def test_a_department_sees_only_the_questions_addressed_to_it(world, episode):
    seen = api_client(world.so_khdt).get(f"{API}/programmes/{episode.pk}/").json()
    assert [q["agency"] for q in seen["questions"]] == ["so-khdt"]
    assert api_client(world.so_tc).get(f"{API}/programmes/{episode.pk}/").status_code == 404
    assert api_client(world.so_tc).get(f"{API}/programmes/").json()["results"] == [] or (
        api_client(world.so_tc).get(f"{API}/programmes/").json() == []
    )
    refused = _question(world.so_khdt, episode.pk)
    assert refused.status_code == 403
    assert _question(world.outsider, episode.pk).status_code == 404


def test_a_question_without_an_agency_stops_the_notice(world, episode):
    _question(world.vanphong, episode.pk, question="Câu hỏi chưa rõ cơ quan.")
    answer = _notice_draft(world, episode)
    assert answer.status_code == 400 and answer.json()["detail_en"]
    assert not ConclusionNotice.objects.filter(number="70/TB-HĐND").exists()
    assert not HotlineQuestion.objects.filter(recommendation__isnull=False).exists()
