"""The petitions' pages: the office opens a round and enters petitions, confirms or rejects
suggested repeats and routes them; the committee grades an answer; the verdict is recorded.
Who may not see a petition gets a 404, who may see but not act a 403, bad input a 400 with
the page again and nothing written; Vietnamese first, English available."""

import pytest
from django.urls import reverse

from petitions.models import Petition, PetitionRound
from tests.helpers import committed, login
from tests.petition_world import build_rounds, enter
from workflow.models import Case, CaseState
from workflow.services import ReportInput, case_transition

pytestmark = pytest.mark.django_db(transaction=True)

ROAD = "Đề nghị sửa chữa tuyến đường giao thông nông thôn ấp 3 xã Vị Thanh."
AGAIN = "Cử tri ấp 3 tiếp tục kiến nghị sớm nâng cấp đường GTNT tại xã Vị Thanh."


@pytest.fixture
def rounds(world):
    return build_rounds(world)


def _action(petition, action):
    return reverse("petitions:petition_action", args=[petition.pk, action])


def test_the_office_opens_a_round_from_the_page(world, client):
    login(client, world.vanphong)
    page = client.get(reverse("petitions:round_list")).content.decode()
    assert "Mở đợt kiến nghị mới" in page
    answer = client.post(
        reverse("petitions:round_list"),
        {"sitting_name": "Kỳ họp thứ 8", "rule": "working_days", "days": "20"},
    )
    created = PetitionRound.objects.get()
    assert answer.status_code == 302 and created.answer_deadline == {"working_days": 20}
    bad = client.post(reverse("petitions:round_list"), {"sitting_name": "K9", "rule": "date"})
    assert bad.status_code == 400 and "Thời hạn trả lời" in bad.content.decode()
    assert PetitionRound.objects.count() == 1
    login(client, world.so_tc)
    assert (
        "Mở đợt kiến nghị mới" not in client.get(reverse("petitions:round_list")).content.decode()
    )


def test_entering_a_repeat_shows_the_suggestion_to_confirm(world, rounds, client):
    first = enter(world, rounds.first, ROAD).petition
    login(client, world.vanphong)
    answer = client.post(
        reverse("petitions:round_detail", args=[rounds.second.pk]),
        {
            "text": AGAIN,
            "locality": "xã Vị Thanh",
            "committee": world.ktns.pk,
            "competence": "province",
        },
        follow=True,
    )
    page = answer.content.decode()
    assert "có thể trùng" in page and f'data-suggestion="{first.pk}"' in page
    again = Petition.objects.get(round=rounds.second)
    client.post(_action(again, "confirm"), {"candidate": first.pk})
    again.refresh_from_db()
    assert again.repeat_of == first
    detail = client.get(reverse("petitions:petition_detail", args=[again.pk])).content.decode()
    assert 'data-testid="times-raised">2<' in detail
    listed = client.get(reverse("petitions:round_detail", args=[rounds.second.pk]) + "?repeats=1")
    assert f'data-petition="{again.pk}"' in listed.content.decode()


def test_routing_grading_and_the_verdict_from_the_pages(world, rounds, client):
    petition = enter(world, rounds.second, ROAD).petition
    login(client, world.vanphong)
    routed = client.post(_action(petition, "route"), {"lead": [world.tc.pk]})
    assert routed.status_code == 302
    case = Case.objects.get(recommendation__petition=petition)
    with committed():
        case_transition(case=case, actor=world.so_tc, action="start")
        case_transition(case=case, actor=world.so_tc, action="report", report=ReportInput("Xong."))
    login(client, world.so_tc)
    refused = client.post(_action(petition, "grade"), {"case": case.pk, "outcome": "resolved"})
    assert refused.status_code == 403
    login(client, world.ban_ktns)
    page = client.get(reverse("petitions:petition_detail", args=[petition.pk])).content.decode()
    assert 'data-testid="grade-form"' in page
    bad = client.post(_action(petition, "grade"), {"case": case.pk, "outcome": "perfect"})
    assert bad.status_code == 400
    client.post(_action(petition, "grade"), {"case": case.pk, "outcome": "explained"})
    assert Case.objects.get(pk=case.pk).state == CaseState.CLOSED
    page = client.get(reverse("petitions:petition_detail", args=[petition.pk])).content.decode()
    assert "Giải trình, cung cấp thông tin" in page
    client.post(_action(petition, "verdict"), {"accepted": "0", "note": "Chưa thỏa đáng."})
    petition.refresh_from_db()
    assert petition.accepted is False and petition.verdict_note == "Chưa thỏa đáng."


def test_routing_says_to_whom_by_when_and_who_follows(world, rounds, client):
    petition = enter(world, rounds.second, ROAD).petition
    login(client, world.vanphong)
    page = client.post(_action(petition, "route"), {"lead": [world.tc.pk]}, follow=True)
    case = Case.objects.get(recommendation__petition=petition)
    message = page.content.decode()
    assert f"Đã chuyển kiến nghị cho {case.agency.name}, hạn trả lời {case.deadline:%d/%m/%Y}" in (
        message
    )
    assert f"{petition.committee.name} theo dõi, đánh giá câu trả lời." in message


def test_a_petition_not_routed_to_a_department_is_a_404_for_it(world, rounds, client):
    petition = enter(world, rounds.second, ROAD, lead=["so-ldtbxh"]).petition
    login(client, world.so_tc)
    assert client.get(reverse("petitions:petition_detail", args=[petition.pk])).status_code == 404
    assert client.post(_action(petition, "verdict"), {"accepted": "1"}).status_code == 404
    login(client, world.so_ldtbxh)
    assert client.get(reverse("petitions:petition_detail", args=[petition.pk])).status_code == 200
    assert client.post(_action(petition, "route"), {"lead": [world.tc.pk]}).status_code == 403


def test_the_pages_speak_english_when_asked(world, rounds, client):
    login(client, world.vanphong)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("petitions:round_detail", args=[rounds.second.pk])).content.decode()
    assert "Enter a petition" in page and "Voter petitions" in page
