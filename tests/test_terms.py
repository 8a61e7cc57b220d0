"""Terms (nhiệm kỳ): a report or the dashboard filtered by term counts the cases assigned
during it; a seat holds only between its dates."""

import datetime

from django.contrib.auth.models import User
from django.urls import reverse

from conclusions.models import Membership, Term
from conclusions.selectors import roles_of
from reports.forms import DashboardFilterForm, ReportRequestForm
from tests.history import (  # noqa: F401 (story, story_history and story_world are fixtures)
    D,
    story,
    story_history,
    story_world,
)
from tests.reports_support import build_in_process, report  # noqa: F401 (fixtures)
from tests.world import TODAY
from workflow.selectors import cases_visible_to


def _terms(world) -> tuple[Term, Term]:
    old = Term.objects.create(
        council=world.council, name="2021–2026", starts_on=D(2021, 6, 1), ends_on=D(2026, 3, 31)
    )
    new = Term.objects.create(council=world.council, name="2026–2031", starts_on=D(2026, 4, 1))
    return old, new


def _arguments(world, term: Term) -> dict:
    data = {
        "kind": "results",
        "as_of": TODAY.strftime("%d/%m/%Y"),
        "council": world.council.pk,
        "term": term.pk,
    }
    return ReportRequestForm(data=data, user=world.thuongtruc).service_arguments()


def test_a_report_by_term_counts_the_cases_assigned_during_it(world, history, report):
    old, new = _terms(world)
    arguments = _arguments(world, old)
    assert (arguments["period_from"], arguments["period_to"]) == (old.starts_on, old.ends_on)
    assert "term" not in arguments
    period = {"period_from": arguments["period_from"], "period_to": arguments["period_to"]}
    first = report(world.thuongtruc, "results", TODAY, council=world.council, **period)
    assert first.figures["totals"]["total"] == len(history.cases) == 10
    arguments = _arguments(world, new)
    assert (arguments["period_from"], arguments["period_to"]) == (new.starts_on, None)
    period = {"period_from": arguments["period_from"]}
    second = report(world.thuongtruc, "results", TODAY, council=world.council, **period)
    assert second.figures["totals"]["total"] == 1  # the world's own case, opened in November


def test_the_dashboard_filters_by_term_and_its_numbers_link_to_the_terms_cases(world, history):
    old, _new = _terms(world)
    form = DashboardFilterForm(data={"term": old.pk}, user=world.thuongtruc)
    assert form.is_valid(), form.errors
    assert form.filter(cases_visible_to(world.thuongtruc)).count() == 10
    assert form.link_params() == {"period_from": "01/06/2021", "period_to": "31/03/2026"}


def test_a_term_of_another_council_is_not_offered(world, history, client):
    other = Term.objects.create(
        council=world.other_council, name="2026–2031", starts_on=D(2026, 4, 1)
    )
    form = DashboardFilterForm(data={"term": other.pk}, user=world.thuongtruc)
    assert not form.is_valid()
    client.force_login(world.thuongtruc)
    response = client.get(reverse("reports:index"), {"term": other.pk})
    assert response.status_code == 400  # a bad filter is named, not ignored
    assert "Nhiệm kỳ" in response.content.decode()
    assert "HĐND thành phố Cần Thơ · nhiệm kỳ" not in response.content.decode()


def test_a_seat_gives_its_role_only_between_its_dates(world, history):
    seat = Membership.objects.get(user=world.so_ldtbxh)
    seat.valid_to = TODAY - datetime.timedelta(days=1)
    seat.save()
    officer = User.objects.get(pk=world.so_ldtbxh.pk)
    assert not roles_of(officer).agency_ids
    assert not cases_visible_to(officer).exists()
    seat.valid_to, seat.valid_from = None, TODAY + datetime.timedelta(days=1)
    seat.save()
    assert not roles_of(User.objects.get(pk=officer.pk)).agency_ids
    seat.valid_from = TODAY
    seat.save()
    assert roles_of(User.objects.get(pk=officer.pk)).agency_ids == {world.ldtbxh.pk}
