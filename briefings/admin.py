"""Back office: trực báo shown read-only (the services write schedules, rounds, reports and
reminders; the province sets a schedule on the Trực báo page, where its rules are checked)."""

from django.contrib import admin

from briefings.models import BriefingReminder, BriefingReport, BriefingRound, BriefingSchedule
from conclusions.admin import ReadOnlyAdmin


@admin.register(BriefingSchedule)
class BriefingScheduleAdmin(ReadOnlyAdmin):
    list_display = ["title", "council", "frequency", "starts_on", "due_working_days", "is_active"]
    list_filter = ["frequency", "council"]


@admin.register(BriefingRound)
class BriefingRoundAdmin(ReadOnlyAdmin):
    list_display = ["schedule", "period_start", "period_end", "due_on"]
    date_hierarchy = "period_end"


@admin.register(BriefingReport)
class BriefingReportAdmin(ReadOnlyAdmin):
    list_display = ["council", "round", "submitted_at", "submitted_by"]
    list_filter = ["round__schedule"]


@admin.register(BriefingReminder)
class BriefingReminderAdmin(ReadOnlyAdmin):
    list_display = ["report", "kind", "sent_at"]
    list_filter = ["kind"]
