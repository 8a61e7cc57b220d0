"""The seats' query is compiled once and run with each user's id and day: the rows are the
ORM's own, for every user and day, and a seat's dates still count."""

import datetime

from django.contrib.auth.models import User
from django.db import connection

from conclusions.models import Membership
from conclusions.selectors import _SEATS, _seats
from tests.notify_servers import add_people

DAY = datetime.date(2026, 11, 24)


def test_compiled_seats_are_the_orms_rows_for_every_user_and_day(world):
    add_people(world)
    seat = Membership.objects.filter(user=world.so_ldtbxh).first()
    seat.valid_from = DAY + datetime.timedelta(days=1)
    seat.save(update_fields=["valid_from"])
    for user in User.objects.all():
        for day in (DAY, DAY + datetime.timedelta(days=1)):
            assert sorted(_SEATS.rows(day=day, user_id=user.pk), key=repr) == sorted(
                _seats(day, user.pk), key=repr
            ), (user.username, day)
    assert _SEATS.rows(day=DAY, user_id=world.so_ldtbxh.pk) == []  # not seated yet
    assert _SEATS.rows(day=seat.valid_from, user_id=world.so_ldtbxh.pk)
    if connection.vendor == "postgresql":
        assert _SEATS._compiled["default"] is not None  # compiled, not the ORM's way
