from django import template

from mooc import openbadges

register = template.Library()


@register.filter
def linkedin_add_url(certificate) -> str:
    """LinkedIn's "add a certification" address for a certificate (name, issuer, date, code, URL)."""
    return openbadges.linkedin_add_url(certificate)
