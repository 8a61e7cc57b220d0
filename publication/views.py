"""The council's public page, for anyone without logging in: plain HTML that works without
JavaScript and search engines can index, served from the cache and rebuilt when a notice is
published or withdrawn (public/selectors.py `publication_version`) or after a few minutes."""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from publication import selectors

CACHE_SECONDS = 300
LANGUAGES = ("vi", "en")


def council_page(request: HttpRequest, code: str) -> HttpResponse:
    council = selectors.council_page(code)
    key = f"public:{council.pk}:{selectors.publication_version(council)}"
    return _cached(
        request,
        key,
        "publication/council.html",
        lambda: {
            "council": council,
            "notices": selectors.notices_with_progress(council),
            "agencies": selectors.agency_rates(council),
        },
    )


def notice_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    council = selectors.council_page(code)
    notice = selectors.published_notice(council, pk)
    key = f"public:{council.pk}:{pk}:{notice.published_at.timestamp()}"
    return _cached(
        request,
        key,
        "publication/notice.html",
        lambda: {
            "council": council,
            "notice": notice,
            "progress": selectors.notices_progress_of(notice),
            "items": selectors.public_items(notice),
        },
    )


def _cached(request, key: str, template: str, context) -> HttpResponse:
    """Rendered without the request, so nothing of the visitor (session, CSRF token) can be
    cached; each language has its own address (?lang=en) for readers and search engines."""
    language = request.GET.get("lang")
    if language not in LANGUAGES:
        language = translation.get_language()
    key = f"{key}:{language}"
    html = cache.get(key)
    if html is None:
        with translation.override(language):
            html = render_to_string(template, {**context(), "language": language})
        cache.set(key, html, CACHE_SECONDS)
    response = HttpResponse(html)
    response["Content-Language"] = language
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response
