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
    # Tell people: fan new case events out to deliveries and send what is due, every
    # minute; a run stops taking batches after 50 s, and runs that overlap never share a row.
    {
        "name": "deliver-notifications",
        "func": "notifications.tasks.deliver_notifications",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    # Daily and weekly digests: hourly, so a missed hour is caught up; each digest goes out
    # at the first run after DONDOC_DIGEST_HOUR and never twice for the same day or week.
    {
        "name": "send-digests",
        "func": "notifications.tasks.send_digests",
        "schedule_type": Schedule.HOURLY,
    },
]


class Command(BaseCommand):
    help = "Tạo các lịch chạy định kỳ / Create or update the periodic django-q2 schedules."

    def handle(self, *args, **options) -> None:
        for spec in SCHEDULES:
            values = {k: v for k, v in spec.items() if k != "name"}
            Schedule.objects.update_or_create(name=spec["name"], defaults={**values, "repeats": -1})
        self.stdout.write(f"{len(SCHEDULES)} lịch chạy định kỳ / periodic schedules in place.")
