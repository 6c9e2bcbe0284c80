from django.urls import path

from . import urls_agreements, urls_assessment, urls_goals, urls_meetings
from .views import account as account_views
from .views import detention as detention_views
from .views import structure as views

app_name = "networks"
urlpatterns = [
    path("", views.network_list, name="list"),
    path("<int:network_id>/", views.network_detail, name="detail"),
    path("<int:network_id>/organisaties/nieuw/", views.organisation_add, name="organisation-add"),
    path("<int:network_id>/rollen/nieuw/", views.role_add, name="role-add"),
    path("rollen/<int:membership_id>/", views.role_edit, name="role-edit"),
    path("rollen/te-bevestigen/", views.grant_inbox, name="grant-inbox"),
    path("rollen/<int:membership_id>/bevestigen/", views.grant_confirm, name="grant-confirm"),
    path("organisaties/nieuw/", views.organisation_create, name="organisation-create"),
    path("<int:network_id>/personen/zoeken/", account_views.person_search, name="person-search"),
    path("<int:network_id>/uitnodigingen/", account_views.invitation_list, name="invitation-list"),
    path("<int:network_id>/uitnodigingen/nieuw/", account_views.invitation_create, name="invitation-create"),
    path(
        "uitnodigingen/<int:invitation_id>/opnieuw/",
        account_views.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "uitnodigingen/<int:invitation_id>/intrekken/",
        account_views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("<int:network_id>/gevangenis/", detention_views.detention_overview, name="detention"),
    path("<int:network_id>/gevangenis/inrichten/", detention_views.detention_setup, name="detention-setup"),
    *urls_meetings.urlpatterns,
    *urls_goals.urlpatterns,
    *urls_agreements.urlpatterns,
    *urls_assessment.urlpatterns,
]
