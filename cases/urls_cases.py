"""URL patterns of the case pages; joined into cases/urls.py."""

from django.urls import path

from .views import cases as views

urlpatterns = [
    path("", views.case_list, name="list"),
    path("nieuw/", views.case_create, name="create"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/bewerken/", views.case_edit, name="edit"),
    path("<int:case_id>/afsluiten/", views.case_close, name="close"),
    path("<int:case_id>/team/", views.team_add, name="team-add"),
    path("<int:case_id>/team/<int:member_id>/beeindigen/", views.team_end, name="team-end"),
    path("<int:case_id>/toestemmingen/", views.consent_add, name="consent-add"),
    path(
        "<int:case_id>/toestemmingen/<int:consent_id>/intrekken/",
        views.consent_withdraw,
        name="consent-withdraw",
    ),
    path(
        "<int:case_id>/toestemmingen/<int:consent_id>/bewijsstuk/",
        views.consent_evidence,
        name="consent-evidence",
    ),
    path("<int:case_id>/gedeeld/<int:review_id>/", views.sharing_decide, name="sharing-decide"),
    path("<int:case_id>/tijdlijn/", views.case_timeline, name="timeline"),
    path("<int:case_id>/inzage/", views.case_viewers, name="viewers"),
]
