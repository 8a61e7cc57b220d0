"""Commune petitions go to the commune's own council when it uses Đôn đốc: a case of that
council, owned by its committee, addressed to its People's Committee, seen by its people and
not by the province's officers; otherwise recorded as forwarded, with the reason. The petition
page, the API and Report C say where each went.

Under the province of the small world (tests/world.py): phường Vị Thanh on Đôn đốc (two
committees, its People's Committee, seats); xã Vị Thủy registered but with nobody in it; xã and
phường Long Bình, two councils of one name."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from conclusions.models import Agency, Committee, Council, Membership
from petitions.models import CommuneTransfer, Competence, ForwardReason, Petition
from petitions.selectors import petitions_visible_to
from petitions.services import petition_grade, petition_verdict
from reports.documents import document_for
from reports.models import ReportSnapshot
from reports.snapshots import snapshot_request
from tests.helpers import api_client, login
from tests.imports_support import preview_url, upload, xlsx
from tests.petition_world import build_rounds, enter
from tests.world import TODAY
from workflow.models import Case, CaseState
from workflow.selectors import cases_visible_to
from workflow.services import ReportInput, case_transition

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "kien-nghi-cu-tri"
CANAL = "Đề nghị nạo vét kênh nội đồng khu vực 3 phục vụ sản xuất."
LIGHTS = "Đề nghị lắp đèn chiếu sáng tuyến hẻm 12."


def _council(w, code: str, name: str, place: str) -> Council:
    return Council.objects.create(
        code=code, name=name, level=Council.Level.COMMUNE, place=place, parent=w.council
    )


def _seat(username, role, council, committee=None, agency=None) -> User:
    user = User.objects.create_user(username, password="demo")
    Membership.objects.create(
        user=user, role=role, council=council, committee=committee, agency=agency
    )
    return user


@pytest.fixture
def communes(world):
    c = SimpleNamespace()
    c.vithanh = _council(world, "vi-thanh", "HĐND phường Vị Thanh", "Vị Thanh")
    c.ktxh = Committee.objects.create(
        council=c.vithanh, code="vi-thanh-ktxh", name="Ban Kinh tế - Xã hội", kind="economy_society"
    )
    c.pc = Committee.objects.create(
        council=c.vithanh, code="vi-thanh-pc", name="Ban Pháp chế", kind="legal"
    )
    c.ubnd = Agency.objects.create(
        council=c.vithanh,
        code="ubnd-vi-thanh",
        name="Ủy ban nhân dân phường Vị Thanh",
        kind=Agency.Kind.PEOPLES_COMMITTEE,
    )
    R = Membership.Role
    c.tt = _seat("tt_vithanh", R.STANDING, c.vithanh)
    c.officer = _seat("ubnd_vithanh", R.AGENCY_OFFICER, c.vithanh, agency=c.ubnd)
    c.member = _seat("ban_vithanh", R.COMMITTEE_MEMBER, c.vithanh, committee=c.ktxh)
    c.vithuy = _council(world, "vi-thuy", "HĐND xã Vị Thủy", "Vị Thủy")
    c.longbinh_xa = _council(world, "long-binh-xa", "HĐND xã Long Bình", "Long Bình")
    c.longbinh_phuong = _council(world, "long-binh-p", "HĐND phường Long Bình", "Long Bình")
    c.rounds = build_rounds(world)
    return c


def _commune(world, communes, text, locality, **extra):
    return enter(
        world,
        communes.rounds.second,
        text,
        locality=locality,
        competence=Competence.COMMUNE,
        **extra,
    ).petition


def test_a_commune_petition_opens_a_case_in_the_communes_council(world, communes):
    petition = _commune(world, communes, CANAL, "Phuong Vi Thanh")
    assert petition.commune_council == communes.vithanh
    assert (petition.forwarded_to, petition.forward_reason) == ("", "")
    [case] = Case.objects.filter(recommendation=petition.recommendation)
    assert case.council == communes.vithanh
    assert case.committee == communes.ktxh  # no Ban Kinh tế - Ngân sách in a ward
    assert case.agency == communes.ubnd and case.state == CaseState.ASSIGNED
    assert case.notice.source_kind == "voter_petitions"
    assert case.deadline.isoformat() == "2026-12-02"  # the round's rule: 30 days from 02/11
    assert case.recommendation.anchor == petition.anchor
    # The next one of the round joins the same notice there.
    second = _commune(world, communes, LIGHTS, "phường Vị Thanh")
    assert CommuneTransfer.objects.get().notice == case.notice
    assert case.notice.recommendations.count() == 2
    assert second.recommendation.notice_id == case.notice_id


def test_the_committee_of_the_same_kind_follows_it_when_the_commune_has_one(world, communes):
    legal = Committee.objects.create(
        council=world.council, code="ban-pc", name="Ban Pháp chế", kind="legal"
    )
    petition = _commune(world, communes, CANAL, "Vị Thanh", committee=legal)
    assert Case.objects.get(recommendation=petition.recommendation).committee == communes.pc


def test_the_communes_people_see_and_answer_it_and_the_provinces_officers_do_not(
    world, communes, client
):
    petition = _commune(world, communes, CANAL, "phường Vị Thanh")
    case = Case.objects.get(recommendation=petition.recommendation)
    for user in (communes.tt, communes.officer, communes.member):
        assert cases_visible_to(user).filter(pk=case.pk).exists()
        assert petitions_visible_to(user).filter(pk=petition.pk).exists()
    for user in (world.thuongtruc, world.vanphong, world.ban_ktns, world.so_tc):
        assert not cases_visible_to(user).filter(pk=case.pk).exists()
    client.force_login(world.vanphong)
    assert client.get(reverse("workflow:case_detail", args=[case.pk])).status_code == 404
    page = client.get(reverse("petitions:petition_detail", args=[petition.pk])).content.decode()
    assert "HĐND phường Vị Thanh" in page and "Ban Kinh tế - Xã hội theo dõi" in page
    assert f'data-case="{case.pk}"' not in page  # the province does not get the case itself
    # The ward's People's Committee answers, its committee grades on the petition's page.
    case_transition(case=case, actor=communes.officer, action="start")
    case_transition(
        case=Case.objects.get(pk=case.pk),
        actor=communes.officer,
        action="report",
        report=ReportInput("Đã nạo vét xong."),
    )
    client.force_login(communes.member)
    page = client.get(reverse("petitions:petition_detail", args=[petition.pk])).content.decode()
    assert f'data-case="{case.pk}"' in page and "id_grade" in page
    petition_grade(
        petition=petition,
        case=Case.objects.get(pk=case.pk),
        actor=communes.member,
        outcome="resolved",
    )
    assert Case.objects.get(pk=case.pk).state == CaseState.CLOSED
    # The province's office records the voters' verdict once the ward has answered.
    petition_verdict(petition=petition, actor=world.vanphong, accepted=True)
    # Another commune's people see neither.
    other = _seat("tt_khac", Membership.Role.STANDING, communes.vithuy)
    assert not petitions_visible_to(other).filter(pk=petition.pk).exists()
    assert not cases_visible_to(other).filter(pk=case.pk).exists()


@pytest.mark.parametrize(
    ("locality", "reason", "council", "forwarded_to"),
    [
        ("xã Vị Thủy", ForwardReason.NOT_ON_DONDOC, "vi-thuy", "HĐND xã Vị Thủy"),
        ("Long Bình", ForwardReason.AMBIGUOUS, None, "HĐND, UBND Long Bình"),
        ("xã Tân Phú", ForwardReason.NO_COUNCIL, None, "HĐND, UBND xã Tân Phú"),
    ],
)
def test_a_commune_not_on_dondoc_is_recorded_as_forwarded_with_the_reason(
    world, communes, client, locality, reason, council, forwarded_to
):
    petition = _commune(world, communes, CANAL, locality)
    assert petition.recommendation_id is None
    assert (petition.forward_reason, petition.forwarded_to) == (reason, forwarded_to)
    assert getattr(petition.commune_council, "code", None) == council
    client.force_login(world.vanphong)
    page = client.get(reverse("petitions:petition_detail", args=[petition.pk])).content.decode()
    assert str(ForwardReason(reason).label) in page
    detail = api_client(world.vanphong).get(f"/api/v1/petitions/{petition.pk}/").json()
    assert detail["forward_reason"] == reason and detail["forwarded_to"] == forwarded_to


def test_two_councils_of_one_name_are_told_apart_by_the_unit(world, communes):
    Committee.objects.create(
        council=communes.longbinh_xa, code="lb-ktxh", name="Ban Kinh tế - Xã hội", kind="legal"
    )
    petition = _commune(world, communes, CANAL, "xã Long Bình")
    assert petition.commune_council == communes.longbinh_xa
    assert petition.forward_reason == ForwardReason.NOT_ON_DONDOC  # no UBND, nobody seated


def test_the_api_and_report_c_say_where_each_commune_petition_went(world, communes, settings):
    settings.DONDOC_REPORTS_SYNC = True
    sent = _commune(world, communes, CANAL, "phường Vị Thanh")
    kept = _commune(world, communes, LIGHTS, "xã Vị Thủy")
    detail = api_client(world.vanphong).get(f"/api/v1/petitions/{sent.pk}/").json()
    assert detail["commune_council"] == {"code": "vi-thanh", "name": "HĐND phường Vị Thanh"}
    assert detail["forward_reason"] == "" and detail["cases"] == []
    mine = api_client(communes.officer).get(f"/api/v1/petitions/{sent.pk}/").json()
    assert [c["agency"]["code"] for c in mine["cases"]] == ["ubnd-vi-thanh"]
    snapshot = snapshot_request(
        actor=world.thuongtruc,
        kind="petitions",
        as_of=TODAY,
        council=world.council,
        options={"round": communes.rounds.second.pk},
    )
    snapshot.refresh_from_db()
    assert snapshot.status == ReportSnapshot.Status.DONE, snapshot.error
    assert [(r["number"], r["to"], r["on_dondoc"]) for r in snapshot.figures["communes"]] == [
        (sent.number, "HĐND phường Vị Thanh", True),
        (kept.number, "HĐND xã Vị Thủy", False),
    ]
    [table] = [t for t in document_for(snapshot).tables if t.key == "communes"]
    assert [row[3:] for row in table.rows] == [
        ["HĐND phường Vị Thanh", "HĐND cấp xã theo dõi trên Đôn đốc"],
        ["HĐND xã Vị Thủy", "Ghi nhận đã chuyển: HĐND cấp xã chưa sử dụng Đôn đốc"],
    ]
    # A Report C frozen before this keeps its tables.
    older = {k: v for k, v in snapshot.figures.items() if k != "communes"}
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(figures=older)
    snapshot.refresh_from_db()
    assert "communes" not in [t.key for t in document_for(snapshot).tables]


def test_the_excel_import_sends_commune_rows_where_they_belong(world, communes, client):
    header = ["Nội dung kiến nghị", "Địa phương", "Ban theo dõi", "Thẩm quyền"]
    rows = [
        [CANAL, "Phuong Vi Thanh", "ban-ktns", "Cấp xã"],
        [LIGHTS, "xã Vị Thủy", "ban-ktns", "cap xa"],
    ]
    login(client, world.vanphong)
    second = communes.rounds.second
    response = upload(client, KEY, xlsx([header, *rows]), "xa.xlsx", **{"options-round": second.pk})
    page = client.get(preview_url(response)).content.decode()
    assert "Cấp xã: chuyển HĐND phường Vị Thanh, theo dõi trên Đôn đốc." in page
    assert "Cấp xã: chỉ ghi nhận đã chuyển (HĐND cấp xã chưa sử dụng Đôn đốc)." in page
    assert client.post(preview_url(response)).status_code == 302
    canal, lights = Petition.objects.filter(round=second).order_by("number")
    assert canal.commune_council == communes.vithanh and canal.sent_to_commune
    assert Case.objects.get(recommendation=canal.recommendation).agency == communes.ubnd
    assert (lights.forward_reason, lights.forwarded_to) == ("not_on_dondoc", "HĐND xã Vị Thủy")


def _send_again(client, user, petition, language="vi"):
    client.force_login(user)
    client.cookies["django_language"] = language
    url = reverse("petitions:petition_action", args=[petition.pk, "send-to-commune"])
    return client.post(url)


def test_a_forwarded_commune_petition_is_sent_again_once_its_council_uses_dondoc(
    world, communes, client
):
    petition = _commune(world, communes, CANAL, "xã Vị Thủy")
    client.force_login(world.vanphong)
    page = client.get(reverse("petitions:petition_detail", args=[petition.pk])).content.decode()
    assert 'data-testid="send-to-commune"' in page
    # Still not on Đôn đốc: refused, saying why, in either language; nothing written.
    refused = _send_again(client, world.vanphong, petition)
    assert refused.status_code == 409
    assert "Chưa gửi được đến HĐND cấp xã: HĐND cấp xã chưa sử dụng Đôn đốc." in (
        refused.content.decode()
    )
    english = _send_again(client, world.vanphong, petition, "en")
    assert "Cannot send it to the commune council yet: The commune council does not use" in (
        english.content.decode()
    )
    petition.refresh_from_db()
    assert (petition.recommendation_id, petition.forwarded_to) == (None, "HĐND xã Vị Thủy")
    # Xã Vị Thủy takes up Đôn đốc: a committee, its People's Committee, someone seated.
    Committee.objects.create(
        council=communes.vithuy, code="vi-thuy-ktxh", name="Ban Kinh tế - Xã hội", kind="legal"
    )
    ubnd = Agency.objects.create(
        council=communes.vithuy,
        code="ubnd-vi-thuy",
        name="Ủy ban nhân dân xã Vị Thủy",
        kind=Agency.Kind.PEOPLES_COMMITTEE,
    )
    officer = _seat("ubnd_vithuy", Membership.Role.AGENCY_OFFICER, communes.vithuy, agency=ubnd)
    assert _send_again(client, world.ban_ktns, petition).status_code == 403  # follows, may not
    assert _send_again(client, communes.tt, petition).status_code == 404
    assert not Case.objects.filter(council=communes.vithuy).exists()
    sent = _send_again(client, world.vanphong, petition)
    assert sent.status_code == 302
    told = client.get(sent.url).content.decode()
    assert "Ủy ban nhân dân xã Vị Thủy trả lời trên Đôn đốc, hạn 02/12/2026" in told
    petition.refresh_from_db()
    assert petition.sent_to_commune and petition.commune_council == communes.vithuy
    assert (petition.forwarded_to, petition.forwarded_at, petition.forward_reason) == ("", None, "")
    [case] = Case.objects.filter(recommendation=petition.recommendation)
    assert (case.council, case.agency, case.state) == (communes.vithuy, ubnd, CaseState.ASSIGNED)
    assert case.deadline.isoformat() == "2026-12-02"  # the round's rule, as at entry
    assert cases_visible_to(officer).filter(pk=case.pk).exists()
    # Twice is a conflict, never a second case.
    again = _send_again(client, world.vanphong, petition)
    assert again.status_code == 409 and "đã được chuyển đến HĐND cấp xã" in again.content.decode()
    assert Case.objects.filter(council=communes.vithuy).count() == 1
    page = client.get(reverse("petitions:petition_detail", args=[petition.pk])).content.decode()
    assert 'data-testid="send-to-commune"' not in page and "HĐND xã Vị Thủy" in page


def test_only_a_commune_petition_recorded_as_forwarded_is_sent_again(world, communes, client):
    province = enter(world, communes.rounds.second, LIGHTS).petition
    client.force_login(world.vanphong)
    page = client.get(reverse("petitions:petition_detail", args=[province.pk])).content.decode()
    assert 'data-testid="send-to-commune"' not in page
    refused = _send_again(client, world.vanphong, province)
    assert refused.status_code == 409
    assert "Kiến nghị không thuộc thẩm quyền cấp xã." in refused.content.decode()
    ambiguous = _commune(world, communes, CANAL, "Long Bình")
    refused = _send_again(client, world.vanphong, ambiguous)
    assert refused.status_code == 409
    assert "Tên địa phương ứng với nhiều HĐND cấp xã" in refused.content.decode()
    assert not Case.objects.filter(council__parent=world.council).exists()
