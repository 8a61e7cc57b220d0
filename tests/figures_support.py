"""What the figure tests share: the stories, the figures read through the API, rows."""

import datetime
from types import SimpleNamespace

import pytest

from conclusions.models import SourceKind
from conclusions.services import RecommendationInput, notice_register
from reports.models import ReportSnapshot
from reports.snapshots import snapshot_request
from tests.figures_by_hand import (
    AGENCY_ROW,
    COMMITTEE_ROW,
    case_on,
    results_by_hand,
)
from tests.helpers import api_client
from tests.history import _play, ask_step, at, built_once, decide_step, step
from tests.world import build_world
from workflow.models import Case
from workflow.services import notice_issue

D = datetime.date

ISSUED = D(2026, 3, 2)

LAST = D(2026, 7, 31)
# The days a story turns, and the day after.

TURNS = (
    D(2026, 4, 14),
    D(2026, 4, 16),
    D(2026, 4, 17),
    D(2026, 4, 21),
    D(2026, 4, 23),
    D(2026, 5, 6),
    D(2026, 5, 8),
    D(2026, 5, 13),
    D(2026, 5, 15),
    D(2026, 5, 21),
    D(2026, 5, 26),
    D(2026, 5, 29),
    D(2026, 6, 2),
    LAST,
)

RESULTS_URL = "/api/v1/reports/results/"

played = built_once("played", lambda: _build())


@pytest.fixture
def s(played, db):
    return played


def _build() -> SimpleNamespace:
    w = build_world()
    items = [
        ("p", "báo cáo đúng hạn, Ban đánh giá muộn", "so-ldtbxh", w.vhxh, D(2026, 4, 15)),
        ("q", "báo cáo muộn", "so-khdt", w.vhxh, D(2026, 4, 15)),
        ("r", "bị trả lại hai lần", "so-khdt", w.vhxh, D(2026, 5, 20)),
        ("s", "đóng “chưa thực hiện” sớm", "so-ldtbxh", w.vhxh, D(2026, 6, 30)),
        ("t", "gia hạn sau thời hạn", "so-tc", w.ktns, D(2026, 4, 15)),
        ("v", "chờ Ban đánh giá", "so-tc", w.vhxh, D(2026, 9, 15)),
        ("w", "gia hạn bị từ chối", "so-ldtbxh", w.ktns, D(2026, 4, 20)),
    ]
    with at(ISSUED, 8):
        notice = notice_register(
            council=w.council,
            number="40/TB-HĐND",
            issue_date=ISSUED,
            title="Kết luận giám sát về an sinh xã hội",
            source_kind=SourceKind.THEMATIC_SUPERVISION,
            tracking_committee=w.vhxh,
            recommendations=[
                RecommendationInput(
                    anchor=name,
                    text=f"Kiến nghị {name}: {text}",
                    lead_agency_codes=[lead],
                    tracking_committee=committee,
                    deadline=deadline,
                )
                for name, text, lead, committee, deadline in items
            ],
            actor=w.vanphong,
        )
        opened = notice_issue(notice=notice, actor=w.thuongtruc)
    cases = {case.recommendation.anchor: case for case in opened}
    _play(w, cases, _stories(w))
    return SimpleNamespace(world=w, cases=cases, notice=notice)


def _stories(w):
    def move(action, actor=None, claim="", **kwargs):
        return step(w, action, actor, report={"self_assessment": claim}, **kwargs)

    def ask(until):
        return ask_step(w, until, "Chờ vốn.")

    def decide(approve):
        return decide_step(w, approve)

    start = move("start")

    def close(outcome, committee="ban_vhxh"):
        return move("close", committee, outcome=outcome)

    def send_back(note):
        return move("return", "ban_vhxh", note=note)

    return [
        *((D(2026, 4, 1), name, start) for name in "pqrstv"),
        (D(2026, 4, 10), "s", move("report", claim="cannot_do")),
        (D(2026, 4, 10), "t", ask(D(2026, 5, 30))),
        (D(2026, 4, 14), "p", move("report", claim="done")),
        (D(2026, 4, 15), "s", close("not_implemented")),
        (D(2026, 4, 15), "w", ask(D(2026, 6, 30))),
        (D(2026, 4, 17), "w", decide(False)),
        (D(2026, 4, 20), "t", decide(True)),
        (D(2026, 4, 22), "q", move("report", claim="done")),
        (D(2026, 4, 24), "q", close("implemented")),
        (D(2026, 5, 5), "r", move("report", claim="done")),
        (D(2026, 5, 7), "r", send_back("Thiếu số liệu")),
        (D(2026, 5, 12), "r", move("report", claim="done")),
        (D(2026, 5, 12), "p", close("implemented")),
        (D(2026, 5, 14), "r", send_back("Vẫn thiếu số liệu")),
        (D(2026, 5, 25), "r", move("report", claim="partially")),
        (D(2026, 5, 25), "t", move("report", claim="done")),
        (D(2026, 5, 27), "r", close("partially")),
        (D(2026, 5, 28), "t", close("implemented", "ban_ktns")),
        (D(2026, 6, 1), "v", move("report", claim="roadmap")),
    ]


def _cases(**filters) -> list[Case]:
    return list(
        Case.objects.filter(**filters)
        .select_related("agency", "committee")
        .prefetch_related("events", "extensions")
    )


def _results(user, **params) -> dict:
    response = api_client(user).get(RESULTS_URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def _pick(row: dict, names) -> dict:
    return {name: row[name] for name in names}


def _assert_by_hand(figures: dict, cases, day) -> None:
    expected = results_by_hand(cases, day)
    assert _pick(figures["totals"], COMMITTEE_ROW) == _pick(expected["totals"], COMMITTEE_ROW)
    agencies = {row["code"]: _pick(row, AGENCY_ROW) for row in figures["by_agency"]}
    assert agencies == {k: _pick(v, AGENCY_ROW) for k, v in expected["by_agency"].items()}, day
    committees = {row["code"]: _pick(row, COMMITTEE_ROW) for row in figures["by_committee"]}
    assert committees == {
        k: _pick(v, COMMITTEE_ROW) for k, v in expected["by_committee"].items()
    }, day


def _result(s, name: str, day: datetime.date) -> str:
    case = _cases(pk=s.cases[name].pk)[0]
    return case_on(case, day)["result"]


def _row(figures: dict, group: str, code: str) -> dict:
    return next(row for row in figures[group] if row["code"] == code)


# ------------------------------------------------------------------- the figures by hand


def _snapshot(s, django_capture_on_commit_callbacks, settings, day=LAST) -> ReportSnapshot:
    settings.DONDOC_REPORTS_SYNC = True
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = snapshot_request(
            actor=s.world.thuongtruc, kind="results", as_of=day, council=s.world.council
        )
    snapshot.refresh_from_db()
    return snapshot


OLD_RESULTS = {
    "totals": {
        "total": 2,
        "done": 1,
        "partially": 0,
        "on_time": 0,
        "overdue": 1,
        "not_implemented": 0,
        "explained": 0,
        "forwarded": 0,
        "closed": 1,
        "closed_on_time": 1,
    },
    "by_agency": [],
    "by_committee": [],
    "overdue": [
        {
            "case": 1,
            "notice": "1/TB-HĐND",
            "anchor": "I.1",
            "text": "Kiến nghị cũ",
            "agency": "Sở Tài chính",
            "committee": "Ban Kinh tế - Ngân sách",
            "deadline": "2026-04-15",
            "original_deadline": "2026-04-15",
            "state": "reported",
            "days_overdue": 5,
            "reminders": 3,
        }
    ],
}

OLD_NOTICE = {
    "notice": {
        "id": 1,
        "number": "1/TB-HĐND",
        "issue_date": "2026-03-02",
        "title": "Kết luận cũ",
        "source_kind": "thematic_supervision",
        "committee": "Ban Văn hóa - Xã hội",
    },
    "totals": OLD_RESULTS["totals"],
    "items": [
        OLD_RESULTS["overdue"][0]
        | {
            "coordinating": [],
            "outcome": "",
            "report": {
                "date": "2026-04-18",
                "letter_number": "",
                "letter_date": None,
                "text": "Đã báo cáo",
            },
            "assessment": None,
        }
    ],
}
