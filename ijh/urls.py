from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import bench, oidc, views

handler500 = "ijh.views.server_error"

admin.site.site_header = _("IJH Netwerken – beheer")
admin.site.site_title = _("IJH Netwerken")

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("systeem/", views.system, name="system"),
    path("systeem/ping/", views.ping_create, name="ping-create"),
    path("systeem/ping/<int:ping_id>/", views.ping_status, name="ping-status"),
    path("aanmelden/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("afmelden/", auth_views.LogoutView.as_view(), name="logout"),
    # Single sign-on (OpenID Connect, ijh/oidc.py); 404 while no provider is configured. The
    # original single provider keeps its two URLs; named providers (OIDC_PROVIDERS) have their own.
    path("aanmelden/sso/", oidc.start, name="oidc-start"),
    path("aanmelden/sso/terug/", oidc.callback, name="oidc-callback"),
    path("aanmelden/sso/<slug:name>/", oidc.start, name="oidc-provider-start"),
    path("aanmelden/sso/<slug:name>/terug/", oidc.callback, name="oidc-provider-callback"),
    # The second step lives with the roles that require it (networks); the URL sits with login.
    path("aanmelden/tweede-stap/", include("networks.urls_second_factor")),
    path("", include("networks.urls_account")),
    path("netwerken/", include("networks.urls")),
    path("dossiers/", include("cases.urls")),
    path("instrumenten/", include("instruments.urls")),
    path("rapporten/", include("reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
]

if settings.BENCH:
    # Public on purpose: the baseline must not touch the session; only exists when BENCH=1.
    urlpatterns.append(path("bench/trivial/", bench.trivial, name="bench-trivial"))
