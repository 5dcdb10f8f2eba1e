"""Organisations shared by every programme: companies, federations and other bodies people act for.

An organisation is identified by its SIRET (unique on the portal); its VAT number, legal form
and billing address are what invoices and quotes need. People act for it once they have
accepted an invitation sent to their verified address (or staff added them at the
organisation's written request). The size figures (headcount, turnover, balance sheet,
independence) are facts programmes judge with their own rules (the contest's European SME
eligibility lives in ``contests/eligibility.py``).

These tables were the contest's companies until issue 15: same rows, same ids, same history.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organisations.validators import normalise_vat, validate_siret, validate_vat_number


class LegalForm(models.TextChoices):
    SAS = "sas", _("SAS (simplified joint-stock company)")
    SASU = "sasu", _("SASU (single-shareholder SAS)")
    SARL = "sarl", _("SARL (limited liability company)")
    EURL = "eurl", _("EURL (single-member SARL)")
    SA = "sa", _("SA (public limited company)")
    SNC = "snc", _("SNC (general partnership)")
    SCOP = "scop", _("SCOP (cooperative)")
    EI = "ei", _("Sole proprietorship (EI)")
    ASSOCIATION = "association", _("Association (law of 1901)")
    FEDERATION = "federation", _("Professional federation or union")
    PUBLIC = "public", _("Public body")
    OTHER = "other", _("Other")


# Kept so that proxies (the contest's ``Company``) are recorded in the same history: Django sends a
# proxy's signals with the proxy as sender, which django-simple-history does not listen to.
_HISTORY = HistoricalRecords()


def keep_history_of_proxy(proxy: type[models.Model]) -> None:
    """Record saves and deletions made through a proxy of ``Organisation`` in its history."""
    signals = models.signals
    for signal, handler in ((signals.post_save, _HISTORY.post_save), (signals.pre_delete, _HISTORY.pre_delete),
                            (signals.post_delete, _HISTORY.post_delete)):
        signal.connect(handler, sender=proxy, weak=False, dispatch_uid=f"organisation_history:{proxy._meta.label}")


class Organisation(models.Model):
    """A company or body people act for. The SIRET and VAT number are checked for format and
    checksum, not existence (no registry access)."""

    legal_name = models.CharField(_("legal name"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, unique=True, validators=[validate_siret])
    vat_number = models.CharField(
        _("intra-community VAT number"), max_length=16, blank=True, validators=[validate_vat_number],
        help_text=_("E.g. FR 12 345678901. Required on an invoice between businesses."),
    )
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices, blank=True)
    billing_address_line1 = models.CharField(_("billing address"), max_length=200, blank=True)
    billing_address_line2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    billing_postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    billing_city = models.CharField(_("city"), max_length=120, blank=True)
    billing_country = models.CharField(
        _("country"), max_length=2, default="FR", help_text=_("Two-letter ISO code, e.g. FR, BE, DE.")
    )
    region = models.ForeignKey("portal.Region", on_delete=models.PROTECT, verbose_name=_("region"), null=True, blank=True)
    headcount = models.PositiveIntegerField(
        _("headcount (annual work units)"), null=True, blank=True, validators=[MaxValueValidator(10_000_000)]
    )
    turnover_eur = models.PositiveBigIntegerField(
        _("annual turnover (€)"), null=True, blank=True, validators=[MaxValueValidator(10**15)]
    )
    balance_sheet_eur = models.PositiveBigIntegerField(
        _("balance-sheet total (€)"), null=True, blank=True, validators=[MaxValueValidator(10**15)]
    )
    created_on = models.DateField(_("creation date"), null=True, blank=True)
    independence_declared = models.BooleanField(
        _("independence declared"),
        default=False,
        help_text=_("Less than 25% of the capital or voting rights held by one or more large companies."),
    )
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="organisations")
    history = _HISTORY

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.legal_name

    @property
    def siren(self) -> str:
        return self.siret[:9]

    def clean(self) -> None:
        if self.vat_number:
            self.vat_number = normalise_vat(self.vat_number)
            if self.vat_number.startswith("FR") and self.siret and self.vat_number[4:] != self.siren:
                raise ValidationError(
                    {"vat_number": _("This French VAT number is not the one of this SIREN (%(siren)s).") % {"siren": self.siren}}
                )
        if self.billing_country:
            self.billing_country = self.billing_country.upper()

    @property
    def billing_address_lines(self) -> list[str]:
        city = " ".join(part for part in (self.billing_postal_code, self.billing_city) if part)
        lines = [self.billing_address_line1, self.billing_address_line2, city]
        if self.billing_country and self.billing_country != "FR":
            lines.append(self.billing_country)
        return [line for line in lines if line]

    @property
    def has_billing_details(self) -> bool:
        return bool(self.billing_address_line1 and self.billing_postal_code and self.billing_city)


class Membership(models.Model):
    """A person acting for an organisation (its leader, who registered it, or a member)."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        MEMBER = "member", _("Team member")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships",
                                     verbose_name=_("organisation"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LEADER)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="organisation_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


def invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A member's invitation of a colleague, by e-mail address, to act for the organisation.

    Nobody becomes a member without consent: the invitee opens the secret link, logged in with
    an account whose *verified* address is the invited one, and accepts (or declines) before
    the expiry. A member may revoke a pending invitation.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations",
                                     verbose_name=_("organisation"))
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, default=invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("accepted by")
    )
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation to an organisation")
        verbose_name_plural = _("invitations to an organisation")
        constraints = [
            # One open invitation per address and organisation (an expired one is renewed, not duplicated).
            models.UniqueConstraint(
                "organisation", Lower("email"), name="organisation_invitation_one_open",
                condition=Q(accepted_at__isnull=True, declined_at__isnull=True, revoked_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def status_at(self, now) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.declined_at:
            return self.Status.DECLINED
        if self.revoked_at:
            return self.Status.REVOKED
        if now >= self.expires_at:
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return self.Status(self.status).label
