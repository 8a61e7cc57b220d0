"""Repeats are caught when a petition is entered: the petitions of earlier sittings of the same
council that ask the same thing, best first, in other words too; never another commune's, nor
an unrelated petition of the same commune (fixtures/petitions/repeat_pairs.yaml). Runs on
PostgreSQL (pg_trgm over the trigram index) and SQLite (the same similarity in Python)."""

from pathlib import Path

import pytest
import yaml

from conclusions.models import Committee
from petitions.selectors import times_raised
from petitions.services import (
    petition_mark_repeat,
    petition_reject_repeat,
    petition_suggestions,
    round_open,
)
from tests.petition_world import EARLIER, build_rounds, enter
from workflow.errors import CaseForbidden, CaseInvalid

pytestmark = pytest.mark.django_db(transaction=True)

PAIRS = yaml.safe_load(
    (Path(__file__).parent.parent / "fixtures/petitions/repeat_pairs.yaml").read_text("utf-8")
)
ROAD = "Đề nghị sửa chữa tuyến đường giao thông nông thôn ấp 3 xã Vị Thanh."
AGAIN = "Cử tri ấp 3 tiếp tục kiến nghị sớm nâng cấp đường GTNT tại xã Vị Thanh."


@pytest.fixture
def rounds(world):
    return build_rounds(world)


def test_every_repeat_of_the_corpus_is_suggested_and_no_unrelated_petition(world, rounds):
    firsts = {}
    for pair in PAIRS["repeats"] + PAIRS["unrelated"]:
        if pair["first"] not in firsts:
            entered = enter(world, rounds.first, pair["first"], locality=pair["locality"])
            firsts[pair["first"]] = entered.petition
    for pair in PAIRS["repeats"]:
        again = enter(world, rounds.second, pair["again"], locality=pair["locality"])
        assert [s.petition for s in again.suggestions][:1] == [firsts[pair["first"]]], pair
        assert 0.45 <= again.suggestions[0].score <= 1
    for pair in PAIRS["unrelated"]:
        other = enter(world, rounds.second, pair["other"], locality=pair["locality"])
        assert firsts[pair["first"]] not in [s.petition for s in other.suggestions], pair


def test_suggestions_come_best_first_from_earlier_sittings_of_the_same_council_only(world, rounds):
    close = enter(world, rounds.first, ROAD).petition
    looser = enter(
        world, rounds.first, "Đề nghị nâng cấp đường giao thông nông thôn, mặt đường hẹp."
    )
    elsewhere = enter(world, rounds.first, ROAD, locality="xã Hỏa Lựu").petition
    same_round = enter(world, rounds.second, ROAD).petition
    committee = Committee.objects.create(
        council=world.other_council, code="ct-ktxh", name="Ban Kinh tế", kind="economy_budget"
    )
    other_council_round = round_open(
        council=world.other_council,
        sitting_name="Kỳ họp thứ 5",
        answer_deadline={"working_days": 20},
        actor=world.other_thuongtruc,
        opened_on=EARLIER,
    )
    other_council = enter(
        world, other_council_round, ROAD, committee=committee, actor=world.other_thuongtruc
    ).petition
    again = enter(world, rounds.second, AGAIN)
    found = [s.petition for s in again.suggestions]
    assert found == [close, looser.petition]
    assert again.suggestions[0].score > again.suggestions[1].score
    assert elsewhere not in found and same_round not in found and other_council not in found


def test_a_confirmed_repeat_links_to_the_first_petition_and_counts(world, rounds):
    first = enter(world, rounds.first, ROAD).petition
    second = enter(world, rounds.second, AGAIN).petition
    third_round = round_open(
        council=world.council,
        sitting_name="Kỳ họp thứ 8",
        answer_deadline={"calendar_days": 30},
        actor=world.thuongtruc,
    )
    third = enter(world, third_round, "Tiếp tục đề nghị nâng cấp đường GTNT ấp 3 xã Vị Thanh.")
    assert [s.petition for s in third.suggestions] == [second, first] or [
        s.petition for s in third.suggestions
    ] == [first, second]
    petition_mark_repeat(petition=second, actor=world.vanphong, first=first)
    petition_mark_repeat(petition=third.petition, actor=world.vanphong, first=second)
    third.petition.refresh_from_db()
    assert third.petition.repeat_of == first  # the first of the chain, not the one confirmed
    second.refresh_from_db()
    raised = times_raised([first, second, third.petition])
    assert raised == {first.pk: 1, second.pk: 2, third.petition.pk: 3}
    assert petition_suggestions(third.petition) == []
    petition_mark_repeat(petition=third.petition, actor=world.vanphong, first=None)
    third.petition.refresh_from_db()
    assert third.petition.repeat_of is None


def test_a_rejected_suggestion_is_not_suggested_again(world, rounds):
    first = enter(world, rounds.first, ROAD).petition
    again = enter(world, rounds.second, AGAIN).petition
    assert [s.petition for s in petition_suggestions(again)] == [first]
    petition_reject_repeat(petition=again, actor=world.vanphong, candidate=first)
    again.refresh_from_db()
    assert petition_suggestions(again) == []


def test_only_an_earlier_petition_of_the_council_may_be_confirmed(world, rounds):
    first = enter(world, rounds.first, ROAD).petition
    again = enter(world, rounds.second, AGAIN).petition
    with pytest.raises(CaseInvalid):
        petition_mark_repeat(petition=first, actor=world.vanphong, first=again)
    with pytest.raises(CaseInvalid):
        petition_mark_repeat(petition=again, actor=world.vanphong, first=again)
    with pytest.raises(CaseForbidden):
        petition_mark_repeat(petition=again, actor=world.ban_ktns, first=first)
    again.refresh_from_db()
    assert again.repeat_of is None
