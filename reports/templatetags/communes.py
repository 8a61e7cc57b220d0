"""`{% if request.user|sees_communes %}`: whether the menu offers the roll-up of communes."""

from django import template

from reports.communes import provinces_of

register = template.Library()


@register.filter
def sees_communes(user) -> bool:
    return user.is_authenticated and provinces_of(user).exists()
