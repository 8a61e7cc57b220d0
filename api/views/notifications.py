"""The user's own in-app notifications."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api import serializers as s
from api.filters import Filters, NotificationFilter
from api.views.common import ID
from notifications.messages import Composer, language_of
from notifications.selectors import inbox_of
from notifications.services import notification_mark_read
from workflow.errors import CaseNotFound


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The user's own in-app notifications (the "Thông báo" page), newest first, each worded
    in the language the user chose for notifications."""

    lookup_value_regex = ID
    serializer_class = s.NotificationSerializer
    filter_backends = [Filters]
    filterset_class = NotificationFilter

    def get_queryset(self):
        return inbox_of(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        _compose(page, request.user)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=None, responses=s.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of the user's notifications read; anyone else's is a 404."""
        if not notification_mark_read(user=request.user, delivery_id=int(pk)):
            raise CaseNotFound(_("Không có thông báo này trong hộp thư của bạn."))
        delivery = self.get_queryset().get(pk=pk)
        _compose([delivery], request.user)
        return Response(self.get_serializer(delivery).data)


def _compose(deliveries, user) -> None:
    composer, language = Composer(), language_of(user)
    for delivery in deliveries:
        delivery.message = composer.compose(delivery, language=language)
