"""Telling people: per-user settings, webhook endpoints, the delivery outbox and digests.

A committed `workflow.CaseEvent` is the source of truth; `fanout.py` turns each event into
`Delivery` rows (recipient × channel, unique) and marks it with a `FannedEvent`, and
`dispatch.py` sends the deliveries. Nothing here writes to a case."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    INAPP = "inapp", _("Trên hệ thống")
    EMAIL = "email", _("Thư điện tử")
    WEBHOOK = "webhook", _("Webhook")
    ZALO = "zalo", _("Zalo OA")


class Language(models.TextChoices):
    VI = "vi", _("Tiếng Việt")
    EN = "en", _("English")


class DigestFrequency(models.TextChoices):
    OFF = "off", _("Không nhận")
    DAILY = "daily", _("Hằng ngày")
    WEEKLY = "weekly", _("Hằng tuần")


class NotificationSettings(models.Model):
    """A user's choices; a user without a row gets the defaults (Vietnamese, no digest)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
        verbose_name=_("người dùng"),
    )
    language = models.CharField(
        _("ngôn ngữ thông báo"), max_length=8, choices=Language.choices, default=Language.VI
    )
    digest = models.CharField(
        _("bản tổng hợp"),
        max_length=8,
        choices=DigestFrequency.choices,
        default=DigestFrequency.OFF,
    )
    # {event kind: [channel, ...]} for the kinds the user changed; others use the defaults.
    channels = models.JSONField(_("kênh theo loại sự kiện"), default=dict, blank=True)
    # Kinds told by the digest instead of an immediate message (in-app still shows them).
    digest_kinds = models.JSONField(_("gộp vào bản tổng hợp"), default=list, blank=True)

    class Meta:
        verbose_name = _("Cài đặt thông báo")
        verbose_name_plural = _("Cài đặt thông báo")

    def __str__(self) -> str:
        return str(self.user)


class WebhookEndpoint(models.Model):
    """Where a user's webhook (or Zalo OA relay) messages go, and the secret that signs them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("người dùng"),
    )
    channel = models.CharField(
        _("kênh"),
        max_length=16,
        choices=[(Channel.WEBHOOK, Channel.WEBHOOK.label), (Channel.ZALO, Channel.ZALO.label)],
        default=Channel.WEBHOOK,
    )
    url = models.URLField(_("địa chỉ nhận"), max_length=500)
    secret = models.CharField(
        _("khóa ký"), max_length=200, help_text=_("Dùng để ký HMAC-SHA256 nội dung gửi đi")
    )
    zalo_user_id = models.CharField(_("mã người nhận Zalo"), max_length=64, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("Địa chỉ webhook")
        verbose_name_plural = _("Địa chỉ webhook")
        constraints = [
            models.UniqueConstraint(fields=["user", "channel"], name="webhook_one_per_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_channel_display()}"


class Digest(models.Model):
    """One daily or weekly summary for one user; the unique period makes it go out once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("người dùng")
    )
    frequency = models.CharField(_("loại"), max_length=8, choices=DigestFrequency.choices)
    period = models.CharField(_("kỳ"), max_length=16, help_text=_("2026-06-10 hoặc 2026-W24"))
    created_at = models.DateTimeField(_("thời điểm lập"), default=timezone.now)
    content = models.JSONField(_("nội dung"), default=dict)

    class Meta:
        verbose_name = _("Bản tổng hợp")
        verbose_name_plural = _("Bản tổng hợp")
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="digest_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.period}"


class Alert(models.Model):
    """A message another app sends to named people outside of any case (a trực báo reminder,
    briefings/reminders.py): `kind` names its template (`notifications/<language>/<kind>.txt`,
    which that app ships), `context` fills it, `link` is where it leads. Its deliveries are
    written with it (`alerts_send`), on the channels each person chose for its kind."""

    kind = models.CharField(_("loại"), max_length=64)
    context = models.JSONField(_("nội dung"), default=dict, blank=True)
    link = models.CharField(_("đường dẫn"), max_length=500)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)

    class Meta:
        verbose_name = _("Tin nhắc")
        verbose_name_plural = _("Tin nhắc")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class Delivery(models.Model):
    """One message to one person on one channel: the outbox row the dispatcher works on."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Lỗi, sẽ gửi lại")
        DEAD = "dead", _("Không gửi được")

    # No index of their own: the unique constraints below start with them. Every index
    # costs each status change a write, and the dispatcher changes statuses all day.
    event = models.ForeignKey(
        "workflow.CaseEvent",
        models.CASCADE,
        null=True,
        blank=True,
        db_index=False,
        related_name="deliveries",
        verbose_name=_("sự kiện"),
    )
    digest = models.ForeignKey(
        Digest,
        models.CASCADE,
        null=True,
        blank=True,
        db_index=False,
        related_name="deliveries",
        verbose_name=_("bản tổng hợp"),
    )
    # A step of a notice's intake (before it has cases): who must act next is told.
    notice_event = models.ForeignKey(
        "workflow.NoticeEvent",
        models.CASCADE,
        null=True,
        blank=True,
        db_index=False,
        related_name="deliveries",
        verbose_name=_("sự kiện tiếp nhận thông báo"),
    )
    alert = models.ForeignKey(
        Alert,
        models.CASCADE,
        null=True,
        blank=True,
        db_index=False,
        related_name="deliveries",
        verbose_name=_("tin nhắc"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notification_deliveries",
        verbose_name=_("người nhận"),
    )
    channel = models.CharField(_("kênh"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    # When the dispatcher may (re)try; while SENDING, when an abandoned claim expires.
    next_attempt_at = models.DateTimeField(_("lần gửi tới"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    # The send log (notifications/sendlog.py): when this attempt handed the message over for
    # good (for email: just before the end of the SMTP DATA), committed before it did.
    handed_at = models.DateTimeField(_("thời điểm trao cho máy chủ"), null=True, blank=True)
    read_at = models.DateTimeField(_("thời điểm đọc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Lượt gửi thông báo")
        verbose_name_plural = _("Lượt gửi thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient", "channel"],
                condition=Q(event__isnull=False),
                name="delivery_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["digest", "channel"],
                condition=Q(digest__isnull=False),
                name="delivery_once_per_digest",
            ),
            models.UniqueConstraint(
                fields=["notice_event", "recipient", "channel"],
                condition=Q(notice_event__isnull=False),
                name="delivery_once_per_notice_event",
            ),
            models.UniqueConstraint(
                fields=["alert", "recipient", "channel"],
                condition=Q(alert__isnull=False),
                name="delivery_once_per_alert",
            ),
            # Exactly one of: a case event, a digest, a notice's intake step, an alert.
            models.CheckConstraint(
                name="delivery_one_source",
                condition=Q(event__isnull=False, digest__isnull=True, notice_event__isnull=True)
                & Q(alert__isnull=True)
                | Q(event__isnull=True, digest__isnull=False, notice_event__isnull=True)
                & Q(alert__isnull=True)
                | Q(event__isnull=True, digest__isnull=True, notice_event__isnull=False)
                & Q(alert__isnull=True)
                | Q(event__isnull=True, digest__isnull=True, notice_event__isnull=True)
                & Q(alert__isnull=False),
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "sending", "failed"]),
                name="delivery_due",
            ),
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(channel="inapp"),
                name="delivery_inbox",
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(channel="inapp", read_at__isnull=True),
                name="delivery_unread",
            ),
            models.Index(fields=["-created_at"], condition=Q(status="dead"), name="delivery_dead"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_channel_display()} → {self.recipient}"


class FannedEvent(models.Model):
    """Marks a case event whose deliveries exist, so that it is fanned out exactly once, and
    keeps the facts as they were when its messages went out (`facts`: the deadline then, the
    rung reached and its name, the state), so that a message never shows today's data."""

    event = models.OneToOneField(
        "workflow.CaseEvent", models.CASCADE, primary_key=True, related_name="fanned"
    )
    at = models.DateTimeField(default=timezone.now)
    facts = models.JSONField(_("dữ kiện khi gửi"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Sự kiện đã phân phát")
        verbose_name_plural = _("Sự kiện đã phân phát")

    def __str__(self) -> str:
        return str(self.event_id)


class FanOutCursor(models.Model):
    """One row: every event at or below `last_event_id` has been fanned out."""

    last_event_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("Vị trí phân phát")
        verbose_name_plural = _("Vị trí phân phát")

    def __str__(self) -> str:
        return str(self.last_event_id)
