from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Quotes and invoices")

    def ready(self) -> None:
        from portal import dashboard, personal_data

        from . import checks  # noqa: F401  (registers the seller-identity check)
        from . import personal_data as billing_data
        from .dashboard import me_section_context

        personal_data.register("billing", export=billing_data.export, erase=billing_data.erase, order=15)
        personal_data.describe(
            "billing", position=11, title=_("Quotes and invoices"),
            holds=_("The quotes you asked for and the invoices and credit notes issued for your places: the buyer's "
                    "name, address, SIREN and VAT number, the purchase-order reference, the participant's name."),
            purpose=_("To invoice the trips, as French tax and commercial law require."),
            retention=_("Invoices and credit notes are kept for ten years from the end of their financial year "
                        "(French Commercial Code, article L123-22; Book of tax procedures, article L102 B) and are "
                        "NOT erased when you delete your account: the law obliges us to keep them (GDPR, article "
                        "17(3)(b)). Your account is unlinked from them. Quotes are erased with your account."),
        )
        dashboard.register_section("billing", title=_("My quotes and invoices"),
                                   template="billing/_me_section.html", context=me_section_context, order=12)
