"""Small template helpers of the intake pages."""

from django import template

register = template.Library()


@register.filter
def dictget(mapping, key):
    """`mapping[key]`, or an empty list when it is not there (the parser's notes)."""
    if not isinstance(mapping, dict):
        return []
    return mapping.get(key, [])


@register.filter
def split_words(text: str) -> list[str]:
    return text.split()


@register.filter
def field_named(form, name: str):
    return form[name]
