"""The world the load test's clients act in: a synthetic council with its agencies and
committees, their people each with an API token, and cases opened through the services."""

from dataclasses import dataclass

from rest_framework.authtoken.models import Token

from conclusions.models import Membership
from devtools import synthetic

AGENCIES, COMMITTEES = 8, 4
OFFICERS_PER_AGENCY, MEMBERS_PER_COMMITTEE = 3, 2


@dataclass(frozen=True)
class Caller:
    """Someone the clients act as: an agency officer or a committee member."""

    token: str
    kind: str  # "agency" or "committee"
    code: str  # of their agency or committee


def seed(*, cases: int) -> list[Caller]:
    world = synthetic.build_world(agencies=AGENCIES, committees=COMMITTEES)
    officers = synthetic.seat_people(
        world, role=Membership.Role.AGENCY_OFFICER, per_body=OFFICERS_PER_AGENCY
    )
    members = synthetic.seat_people(
        world, role=Membership.Role.COMMITTEE_MEMBER, per_body=MEMBERS_PER_COMMITTEE
    )
    synthetic.open_cases(world, cases)
    return [*_callers(officers, "agency"), *_callers(members, "committee")]


def _callers(users, kind: str) -> list[Caller]:
    callers = []
    for user in users:
        seat = user.memberships.select_related(kind).get()
        body = seat.agency if kind == "agency" else seat.committee
        callers.append(Caller(Token.objects.create(user=user).key, kind, body.code))
    return callers
