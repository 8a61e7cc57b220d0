from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

from api.filters import refused_parameter
from workflow.errors import CaseNotFound

BAD_PAGE_SIZE = _("page_size phải là số nguyên từ 1 đến %(limit)s.")


class Pages(PageNumberPagination):
    """?page=N (25 a page by default), ?page_size=M from 1 to 100; any other page size is
    refused, naming it, rather than silently replaced by the default."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise refused_parameter(
                self.page_size_query_param, BAD_PAGE_SIZE, limit=self.max_page_size
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            page = request.query_params.get(self.page_query_param, "")[:20]
            raise CaseNotFound(_("Trang %(page)s không tồn tại."), page=page) from None
