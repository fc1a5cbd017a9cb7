from django import template

register = template.Library()


@register.filter
def get_label(labels, key):
    return labels.get(key, key)
