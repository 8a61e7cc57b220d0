"""Reports and successions: a report "as of" a day before a succession is the same after it
(the predecessors as they were), and one made after it shows the successor."""

import datetime

from django.contrib.auth.models import User

from conclusions.models import Agency, Committee, Membership
from tests.history import (  # noqa: F401 (story, story_history and story_world are fixtures)
    CHECK_DAYS,
    D,
    story,
    story_history,
    story_world,
)
from tests.reports_support import build_in_process, report  # noqa: F401 (fixtures)
from workflow.models import Case, CaseState
from workflow.successions import succession_record

ON = D(2026, 8, 1)


def _merge(world) -> None:
    """Hậu Giang into Cần Thơ, and the Departments of Planning and Investment and of Finance
    into Cần Thơ's Department of Finance, the Standing Committee's seat carried over."""
    admin = User.objects.create_superuser("quantri", password="demo")
    ct = world.other_council
    Committee.objects.create(council=ct, code="ct-vhxh", name="Ban VH-XH", kind="culture_society")
    Agency.objects.create(council=ct, code="ct-stc", name="Sở Tài chính TP", kind="department")
    common = {"actor": admin, "on": ON, "carry_memberships": True}
    succession_record(
        kind="council", from_codes=["hau-giang"], to_code="can-tho", basis="NQ 202", **common
    )
    succession_record(
        kind="agency", from_codes=["so-khdt", "so-tc"], to_code="ct-stc", basis="NĐ 45", **common
    )


def test_reports_as_of_a_day_before_the_succession_are_unchanged_after_it(world, history, report):
    before = {
        day: report(world.thuongtruc, "results", day, council=world.council) for day in CHECK_DAYS
    }
    notice = report(
        world.thuongtruc, "notice", D(2026, 7, 10), council=world.council, notice=history.notices[1]
    )
    _merge(world)
    assert Case.objects.filter(council=world.council).exclude(state=CaseState.CLOSED).count() == 0
    for day, frozen in before.items():
        again = report(world.thuongtruc, "results", day, council=world.council)
        assert again.figures == frozen.figures, day
    again = report(
        world.thuongtruc, "notice", D(2026, 7, 10), council=world.council, notice=history.notices[1]
    )
    assert again.figures == notice.figures


def test_a_report_after_the_succession_shows_the_successor(world, history, report):
    _merge(world)
    today = datetime.date(2026, 11, 24)
    chair = User.objects.get(pk=world.thuongtruc.pk)  # the seat carried over, read afresh
    after = report(chair, "results", today, council=world.other_council)
    agencies = {row["code"] for row in after.figures["by_agency"]}
    assert "ct-stc" in agencies
    assert not agencies & {"so-khdt", "so-tc"}
    assert Membership.objects.filter(user=world.thuongtruc, council=world.other_council).exists()
