from django.core.management.base import BaseCommand
from django_q.models import Schedule

from config.schedules import SCHEDULES


class Command(BaseCommand):
    """Running it again changes nothing."""

    help = "Tạo các lịch chạy định kỳ / Create or update the periodic django-q2 schedules."

    def handle(self, *args, **options) -> None:
        for spec in SCHEDULES:
            values = {k: v for k, v in spec.items() if k != "name"}
            Schedule.objects.update_or_create(name=spec["name"], defaults={**values, "repeats": -1})
        self.stdout.write(f"{len(SCHEDULES)} lịch chạy định kỳ / periodic schedules in place.")
