from django.core.management.base import BaseCommand
from django_q.models import Schedule

# Every periodic job of the project, in one place. Running this again changes nothing.
SCHEDULES = [
    # Climb the escalation ladder: every minute, so "overdue" is seen within a minute.
    {
        "name": "escalate-due-cases",
        "func": "workflow.tasks.sweep_escalations",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
]


class Command(BaseCommand):
    help = "Tạo các lịch chạy định kỳ / Create or update the periodic django-q2 schedules."

    def handle(self, *args, **options) -> None:
        for spec in SCHEDULES:
            values = {k: v for k, v in spec.items() if k != "name"}
            Schedule.objects.update_or_create(name=spec["name"], defaults={**values, "repeats": -1})
        self.stdout.write(f"{len(SCHEDULES)} lịch chạy định kỳ / periodic schedules in place.")
