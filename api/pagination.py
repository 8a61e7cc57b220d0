from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

from workflow.errors import CaseNotFound


class Pages(PageNumberPagination):
    """?page=N (25 a page by default), ?page_size=M up to 100."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            page = request.query_params.get(self.page_query_param, "")[:20]
            raise CaseNotFound(_("Trang %(page)s không tồn tại."), page=page) from None
