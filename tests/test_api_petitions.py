"""The petitions API: rounds, petitions with their suggested repeats, the list of repeats,
the detail with cases, times raised and the voters' verdict, confirming a repeat, the verdict;
refusals 404 / 403 / 409 / 400 as for cases, in Vietnamese and English."""

import pytest

from petitions.models import Petition, PetitionRound
from tests.helpers import api_client
from tests.petition_world import build_rounds, enter

pytestmark = pytest.mark.django_db(transaction=True)

API = "/api/v1"
ROAD = "Đề nghị sửa chữa tuyến đường giao thông nông thôn ấp 3 xã Vị Thanh."
AGAIN = "Cử tri ấp 3 tiếp tục kiến nghị sớm nâng cấp đường GTNT tại xã Vị Thanh."


@pytest.fixture
def rounds(world):
    return build_rounds(world)


def _petition_body(petition_round, **extra):
    return {
        "round": petition_round.pk,
        "text": AGAIN,
        "locality": "xã Vị Thanh",
        "committee": "ban-ktns",
        "competence": "province",
        **extra,
    }


def test_the_office_opens_a_round_with_its_answer_rule(world):
    body = {
        "council": "hau-giang",
        "sitting_name": "Kỳ họp thứ 7",
        "answer_deadline": {"working_days": 20},
        "meetings": [{"date": "2026-11-10", "place": "Xã Vị Thanh", "deputies_group": "Tổ 1"}],
    }
    answer = api_client(world.vanphong).post(f"{API}/petition-rounds/", body, format="json")
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["sitting_name"] == "Kỳ họp thứ 7"
    assert data["answer_deadline"] == {"working_days": 20}
    assert data["notice"]["number"] == "1/KNCT-HĐND"
    assert data["meetings"][0]["deputies_group"] == "Tổ 1"
    refused = api_client(world.so_tc).post(f"{API}/petition-rounds/", body, format="json")
    assert refused.status_code == 403 and refused.json()["detail_en"]
    body["answer_deadline"] = {"working_days": 20, "calendar_days": 3}
    bad = api_client(world.vanphong).post(f"{API}/petition-rounds/", body, format="json")
    assert bad.status_code == 400 and "answer_deadline" in bad.json()["errors_en"]
    body["answer_deadline"], body["council"] = {"date": "2026-12-31"}, "nope"
    bad = api_client(world.vanphong).post(f"{API}/petition-rounds/", body, format="json")
    assert bad.status_code == 400 and "council" in bad.json()["errors"]
    assert PetitionRound.objects.count() == 1


def test_a_petition_entered_answers_its_suggested_repeats_best_first(world, rounds):
    first = enter(world, rounds.first, ROAD).petition
    enter(world, rounds.first, "Đề nghị hỗ trợ nước sạch cho hộ dân ấp 3 xã Vị Thanh.")
    answer = api_client(world.vanphong).post(
        f"{API}/petitions/", _petition_body(rounds.second, lead_agencies=["so-tc"]), format="json"
    )
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert [(s["petition"], s["round"]) for s in data["repeat_suggestions"]] == [
        (first.pk, rounds.first.pk)
    ]
    assert data["repeat_suggestions"][0]["score"] >= 0.45
    assert [c["agency"]["code"] for c in data["cases"]] == ["so-tc"]
    assert data["times_raised"] == 1 and data["verdict"] is None


def test_bad_petitions_are_refused_in_both_languages_and_nothing_is_written(world, rounds):
    client = api_client(world.vanphong)
    for body, field in [
        (_petition_body(rounds.second, competence="district"), "competence"),
        (_petition_body(rounds.second, committee="nope"), "committee"),
        (_petition_body(rounds.second, round=999999), "round"),
        (_petition_body(rounds.second, text=""), "text"),
    ]:
        answer = client.post(f"{API}/petitions/", body, format="json")
        assert answer.status_code == 400, body
        assert field in answer.json()["errors"] and answer.json()["detail_en"]
    forbidden = api_client(world.ban_ktns).post(
        f"{API}/petitions/", _petition_body(rounds.second), format="json"
    )
    assert forbidden.status_code == 403
    assert not Petition.objects.exists()


def test_confirming_a_repeat_links_counts_and_lists_it(world, rounds):
    first = enter(world, rounds.first, ROAD, lead=["so-tc"]).petition
    again = enter(world, rounds.second, AGAIN).petition
    client = api_client(world.vanphong)
    answer = client.post(
        f"{API}/petitions/{again.pk}/repeat-of/", {"petition": first.pk}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["repeat_of"] == first.pk and answer.json()["times_raised"] == 2
    listed = client.get(f"{API}/petitions/?round={rounds.second.pk}&repeats=true").json()
    assert [row["id"] for row in listed["results"]] == [again.pk]
    assert client.get(f"{API}/petitions/?repeats=false").json()["count"] == 1
    assert client.get(f"{API}/petitions/?repeats=maybe").status_code == 400
    wrong = client.post(
        f"{API}/petitions/{first.pk}/repeat-of/", {"petition": again.pk}, format="json"
    )
    assert wrong.status_code == 400
    unlinked = client.post(
        f"{API}/petitions/{again.pk}/repeat-of/", {"petition": None}, format="json"
    )
    assert unlinked.json()["repeat_of"] is None


def test_the_verdict_after_the_answer_and_the_detail_that_shows_it(world, rounds):
    petition = enter(world, rounds.second, ROAD, lead=["so-tc"]).petition
    [case_row] = api_client(world.so_tc).get(f"{API}/petitions/{petition.pk}/").json()["cases"]
    client = api_client(world.ban_ktns)
    url = f"{API}/petitions/{petition.pk}/verdict/"
    early = client.post(url, {"accepted": False, "note": "Chưa sửa."}, format="json")
    assert early.status_code == 409
    tc = api_client(world.so_tc)
    assert tc.post(f"{API}/cases/{case_row['id']}/start/").status_code == 200
    assert tc.post(f"{API}/cases/{case_row['id']}/report/", {"text": "Đã sửa."}).status_code == 200
    graded = client.post(
        f"{API}/petitions/{petition.pk}/grade/",
        {"case": case_row["id"], "outcome": "roadmap"},
        format="json",
    )
    assert graded.status_code == 200, graded.content
    assert graded.json()["cases"][0]["petition_outcome"] == "roadmap"
    assert graded.json()["cases"][0]["outcome"] == "roadmap"
    assert tc.post(url, {"accepted": True}, format="json").status_code == 403
    assert api_client(world.so_khdt).post(url, {"accepted": True}, format="json").status_code == 404
    assert client.post(url, {"accepted": "perhaps"}, format="json").status_code == 400
    answer = client.post(url, {"accepted": False, "note": "Chưa sửa."}, format="json")
    assert answer.status_code == 200
    detail = api_client(world.thuongtruc).get(f"{API}/petitions/{petition.pk}/").json()
    assert detail["verdict"]["accepted"] is False and detail["verdict"]["note"] == "Chưa sửa."
    assert detail["questioning_candidate"] is True


def test_a_department_sees_only_the_petitions_routed_to_it(world, rounds):
    routed = enter(world, rounds.second, ROAD, lead=["so-tc"]).petition
    other = enter(world, rounds.second, "Đề nghị sửa chữa trạm y tế.", lead=["so-ldtbxh"]).petition
    tc = api_client(world.so_tc)
    assert [r["id"] for r in tc.get(f"{API}/petitions/").json()["results"]] == [routed.pk]
    missing = tc.get(f"{API}/petitions/{other.pk}/")
    assert missing.status_code == 404 and missing.json()["detail_en"]
    assert api_client(world.outsider).get(f"{API}/petitions/").json()["count"] == 0
    assert (
        api_client(world.so_tc).get(f"{API}/petitions/{routed.pk}/").json()["repeat_suggestions"]
        == []
    )


def test_dismissing_a_suggested_repeat_through_the_api(world, rounds):
    first = enter(world, rounds.first, ROAD, lead=["so-tc"]).petition
    later = enter(world, rounds.second, "Đề nghị sửa chữa trạm y tế ấp 3 xã Vị Thanh.").petition
    again = enter(world, rounds.second, AGAIN).petition
    url = f"{API}/petitions/{again.pk}/not-repeat-of/"
    office = api_client(world.vanphong)
    suggested = office.get(f"{API}/petitions/{again.pk}/").json()["repeat_suggestions"]
    assert [s["petition"] for s in suggested] == [first.pk]

    forbidden = api_client(world.ban_ktns).post(url, {"petition": first.pk}, format="json")
    assert forbidden.status_code == 403 and forbidden.json()["detail_en"]
    hidden = api_client(world.so_khdt).post(url, {"petition": first.pk}, format="json")
    assert hidden.status_code == 404
    for body in [{}, {"petition": None}, {"petition": "one"}, {"petition": 999999}]:
        bad = office.post(url, body, format="json")
        assert bad.status_code == 400, body
        assert "petition" in bad.json()["errors"] and "petition" in bad.json()["errors_en"]
    same_sitting = office.post(url, {"petition": later.pk}, format="json")
    assert same_sitting.status_code == 400
    assert same_sitting.json()["detail"] != same_sitting.json()["detail_en"]
    assert Petition.objects.get(pk=again.pk).not_repeats == []

    answer = office.post(url, {"petition": first.pk}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["repeat_suggestions"] == [] and answer.json()["repeat_of"] is None
    assert Petition.objects.get(pk=again.pk).not_repeats == [first.pk]
    assert office.post(url, {"petition": first.pk}, format="json").status_code == 200
    assert Petition.objects.get(pk=again.pk).not_repeats == [first.pk]

    office.post(f"{API}/petitions/{again.pk}/repeat-of/", {"petition": first.pk}, format="json")
    linked = office.post(url, {"petition": first.pk}, format="json")
    assert linked.status_code == 409 and linked.json()["detail_en"]
    assert Petition.objects.get(pk=again.pk).repeat_of_id == first.pk
