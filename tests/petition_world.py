"""Two rounds of voter petitions on the small world (tests/world.py): the sitting of mid-2025
and the year-end one of 2026, each answer due 30 days after the round opens."""

import datetime
from types import SimpleNamespace

from petitions.models import Competence
from petitions.services import MeetingInput, petition_register, round_open

EARLIER = datetime.date(2025, 6, 2)
LATER = datetime.date(2026, 11, 2)


def build_rounds(w) -> SimpleNamespace:
    r = SimpleNamespace()
    r.first = round_open(
        council=w.council,
        sitting_name="Kỳ họp thứ 20",
        answer_deadline={"calendar_days": 30},
        actor=w.vanphong,
        opened_on=EARLIER,
        meetings=[MeetingInput(datetime.date(2025, 5, 20), "Nhà văn hóa ấp 3", "Tổ đại biểu số 1")],
    )
    r.second = round_open(
        council=w.council,
        sitting_name="Kỳ họp thứ 7",
        answer_deadline={"calendar_days": 30},
        actor=w.vanphong,
        opened_on=LATER,
    )
    return r


def enter(w, petition_round, text, *, locality="xã Vị Thanh", committee=None, **extra):
    """A province petition entered by the office; `lead` routes it at once."""
    lead = extra.pop("lead", ())
    return petition_register(
        round=petition_round,
        text=text,
        locality=locality,
        committee=committee or w.ktns,
        competence=extra.pop("competence", Competence.PROVINCE),
        actor=extra.pop("actor", w.vanphong),
        lead_agency_codes=lead,
        **extra,
    )
