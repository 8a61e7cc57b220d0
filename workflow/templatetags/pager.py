"""The shared pager's links (workflow/_pager.html)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number: int) -> str:
    """The link to page `number`: this page's query string (its filters, every value of a
    repeated one) with only the page number changed."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"
