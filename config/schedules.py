"""Every periodic job of the project, in one place (installed by `manage.py setup_schedules`)."""

from django_q.models import Schedule

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
    # Trực báo: open the rounds of the periods that ended and remind the communes that have
    # not reported; hourly, so a missed run is caught up; each round, report and reminder is
    # written once however often it runs.
    {
        "name": "briefings-rounds-and-reminders",
        "func": "briefings.tasks.open_rounds_and_remind",
        "schedule_type": Schedule.HOURLY,
    },
]
