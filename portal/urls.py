"""Root URL map. French at unprefixed URLs, English under /en/.

Outside the language prefix: /healthz, /admin/, /i18n/ (language switcher), and each domain
app's ``urls_unprefixed`` module if it has one (feeds, verification links). One-click
unsubscribe links are inside it, so that each recipient lands on a page in their language.
"""

from importlib.util import find_spec

from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from portal import credential_views, views

admin.site.site_header = _("Medef digital transformation portal — administration")
admin.site.site_title = _("Medef digital portal")
admin.site.index_title = _("Curating the programme")
admin.site.login = secure_admin_login(admin.site.login)
# The sidebar of every model took a quarter of a 1280 px screen from the change lists; the
# breadcrumbs and the index lead to the other lists.
admin.site.enable_nav_sidebar = False

DOMAIN_APPS = ["expeditions", "contests", "mooc", "measures", "diagnostic", "billing"]
handler500 = "portal.views.server_error"  # a database out of reach answers 503 (templates/503.html)

me_patterns = (
    [
        path("", views.me_dashboard, name="dashboard"),
        path("profile/", views.me_profile, name="profile"),
        path("notifications/", views.me_notifications, name="notifications"),
        path("notifications/read-all/", views.me_notifications_read_all, name="notifications_read_all"),
        path("notifications/<int:pk>/", views.me_notification_open, name="notification_open"),
        path("preferences/", views.me_preferences, name="preferences"),
        path("data/", views.me_data, name="data"),
        path("delete/", views.me_delete, name="delete"),
    ],
    "me",
)

notification_patterns = (
    [path("<str:token>/", views.unsubscribe, name="unsubscribe")],
    "notifications",
)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(".well-known/jwks.json", credential_views.jwks, name="credential_jwks"),
    path("credentials/keys/<str:thumbprint>.json", credential_views.key, name="credential_key"),
    path("api/v1/", include("api.urls")),  # the public API: outside the language prefix
]
urlpatterns += [
    path(f"{app}/", include(f"{app}.urls_unprefixed")) for app in DOMAIN_APPS if find_spec(f"{app}.urls_unprefixed")
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("legal/", views.legal, name="legal"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("styleguide/", views.styleguide, name="styleguide"),
    path("privacy/", views.privacy, name="privacy"),
    path("open-data/", include("api.urls_pages")),
    path("accounts/", include("allauth.urls")),
    path("me/", include(me_patterns)),
    path("organisations/", include("organisations.urls")),
    path("unsubscribe/", include(notification_patterns)),
    *[path(f"{app}/", include(f"{app}.urls")) for app in DOMAIN_APPS],
    prefix_default_language=False,
)
