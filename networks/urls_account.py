"""The person's own account: profile, password, sessions, invitation link, "wachtwoord vergeten".

Mounted at the root by ijh/urls.py (by string: ijh imports no app above it), namespace ``account``.
"""

from django.urls import path

from ijh import accounts

from .views import account as views

app_name = "account"
urlpatterns = [
    path("profiel/", views.profile, name="profile"),
    path("profiel/wachtwoord/", accounts.password_change, name="password-change"),
    path("profiel/sessies/<int:session_id>/beeindigen/", views.session_end, name="session-end"),
    path("profiel/meldingen/", views.preferences, name="preferences"),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation"),
    path("wachtwoord-vergeten/", accounts.password_reset, name="password-reset"),
    path("wachtwoord-vergeten/verstuurd/", accounts.password_reset_sent, name="password-reset-sent"),
    path(
        "wachtwoord-vergeten/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password-reset-confirm",
    ),
]
