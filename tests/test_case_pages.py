"""The web screens: inbox, list, case page and its buttons, as each role sees them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.helpers import action_url, detail_url, login
from workflow.models import Case, ProgressReport


def test_the_inbox_lists_what_the_agency_must_do(client, world):
    page = login(client, world.so_ldtbxh).get(reverse("workflow:inbox"))
    assert page.status_code == 200
    assert "Việc của tôi" in page.content.decode()
    assert "II.1.a" in page.content.decode()


def test_the_committee_inbox_is_empty_until_the_agency_reports(client, world):
    page = login(client, world.ban_vhxh).get(reverse("workflow:inbox"))
    assert "II.1.a" not in page.content.decode()


def test_the_case_page_shows_only_the_buttons_this_user_may_press(client, world):
    html = login(client, world.so_ldtbxh).get(detail_url(world.case)).content.decode()
    assert 'data-action="start"' in html
    assert 'data-action="close"' not in html
    html = login(client, world.so_khdt).get(detail_url(world.case)).content.decode()
    assert "data-action=" not in html
    assert "Sở Lao động - Thương binh và Xã hội" in html
    assert "30/09/2026" in html


@pytest.mark.parametrize("who", ["so_tc", "ban_ktns", "outsider", "tt_cantho"])
def test_someone_without_access_gets_not_found(client, world, who):
    user = world.other_thuongtruc if who == "tt_cantho" else getattr(world, who)
    assert login(client, user).get(detail_url(world.case)).status_code == 404
    assert client.post(action_url(world.case, "start")).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, world):
    response = client.get(detail_url(world.case))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_agency_starts_and_reports_through_the_page(client, world):
    login(client, world.so_ldtbxh)
    assert client.post(action_url(world.case, "start")).status_code == 302
    evidence = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(
        action_url(world.case, "report"),
        {
            "text": "Đã hoàn thành",
            "self_assessment": "done",
            "letter_number": "12/SLĐ",
            "letter_date": "2026-09-20",
            "evidence": [evidence],
        },
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=world.case.pk).state == "reported"
    assert ProgressReport.objects.get().evidence.get().original_name == "bao-cao.pdf"


def test_a_refused_action_answers_with_its_status_and_a_message(client, world):
    login(client, world.so_ldtbxh)
    conflict = client.post(action_url(world.case, "report"), {"text": "x"})
    assert conflict.status_code == 409
    assert "Đã giao" in conflict.content.decode()
    forbidden = login(client, world.so_khdt).post(action_url(world.case, "start"))
    assert forbidden.status_code == 403
    bad_date = login(client, world.so_ldtbxh).post(
        action_url(world.case, "start"), {"letter_date": "31/02/2026"}
    )
    assert bad_date.status_code == 400
    assert Case.objects.get(pk=world.case.pk).state == "assigned"


def test_the_case_list_filters_by_state_and_overdue(client, world):
    login(client, world.thuongtruc)
    listed = client.get(reverse("workflow:case_list"), {"state": "assigned"}).content.decode()
    assert "II.1.a" in listed
    closed = client.get(reverse("workflow:case_list"), {"state": "closed"}).content.decode()
    assert "II.1.a" not in closed


def _report_as_agency(client, world):
    login(client, world.so_ldtbxh)
    client.post(action_url(world.case, "start"))
    client.post(
        action_url(world.case, "report"), {"text": "Đã hoàn thành", "self_assessment": "done"}
    )


def test_the_site_root_leads_a_logged_in_user_to_the_inbox(client, world):
    response = login(client, world.so_ldtbxh).get("/", follow=True)
    assert response.redirect_chain
    assert response.request["PATH_INFO"] == reverse("workflow:inbox")
    assert "Việc của tôi" in response.content.decode()


def test_each_action_shows_only_the_fields_it_needs(client, world):
    login(client, world.so_ldtbxh)
    client.post(action_url(world.case, "start"))
    html = client.get(detail_url(world.case)).content.decode()
    assert 'data-action-panel="report"' in html
    assert 'name="text"' in html and 'name="evidence"' in html and "multiple" in html
    assert 'format="%d/%m/%Y"' in html
    assert 'name="outcome"' not in html and 'name="note"' not in html

    _report_as_agency(client, world)
    html = login(client, world.ban_vhxh).get(detail_url(world.case)).content.decode()
    assert 'data-action-panel="close"' in html and 'data-action-panel="return"' in html
    assert html.index('data-action="close"') < html.index('data-action="return"')
    assert 'name="outcome"' in html and "Lý do trả lại" in html
    assert 'name="evidence"' not in html and 'name="text"' not in html.split("dd-comment")[0]


def test_the_report_date_is_typed_day_first(client, world):
    login(client, world.so_ldtbxh)
    client.post(action_url(world.case, "start"))
    client.post(
        action_url(world.case, "report"),
        {"text": "Đã hoàn thành", "self_assessment": "done", "letter_date": "20/09/2026"},
    )
    assert ProgressReport.objects.get().letter_date.isoformat() == "2026-09-20"


def test_a_refused_close_keeps_what_was_typed_in_its_panel(client, world):
    _report_as_agency(client, world)
    response = login(client, world.ban_vhxh).post(
        action_url(world.case, "close"), {"note": "Cần bổ sung số liệu."}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vui lòng chọn kết quả đánh giá" in html
    assert 'dd-panel-refused" data-action-panel="close"' in html
    assert "Cần bổ sung số liệu." in html
    assert Case.objects.get(pk=world.case.pk).state == "reported"


def test_the_timeline_reads_as_words_not_codes(client, world):
    _report_as_agency(client, world)
    html = client.get(detail_url(world.case)).content.decode()
    assert 'data-kind="case.reported"' in html
    assert "Báo cáo kết quả" in html and "<strong>case.reported</strong>" not in html


def test_the_language_switch_turns_the_pages_into_english(client, world):
    login(client, world.so_ldtbxh)
    inbox = reverse("workflow:inbox")
    assert 'lang="vi"' in client.get(inbox).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": inbox})
    assert response.status_code == 302 and response["Location"] == inbox
    assert '<html lang="en"' in client.get(inbox).content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": inbox})
    assert '<html lang="vi"' in client.get(inbox).content.decode()
