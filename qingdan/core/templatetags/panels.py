from django import template

from qingdan.core import panels as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, place: str, obj=None):
    return registry.render(place, context["request"], obj)
