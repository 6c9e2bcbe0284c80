"""URL patterns of the conferences pages; joined into cases/urls.py (mounted at /dossiers/)."""

from django.urls import path

from .views import conferences as views

urlpatterns = [
    path("<int:case_id>/clientoverleg/nieuw/", views.conference_request, name="conference-request"),
    path("clientoverleg/", views.conference_inbox, name="conference-inbox"),
    path("clientoverleg/<int:conference_id>/", views.conference_detail, name="conference-detail"),
    path("clientoverleg/<int:conference_id>/beslissing/", views.conference_decide, name="conference-decide"),
    path(
        "clientoverleg/<int:conference_id>/voorzitter/",
        views.conference_assign_chair,
        name="conference-chair",
    ),
    path(
        "clientoverleg/<int:conference_id>/intrekken/", views.conference_withdraw, name="conference-withdraw"
    ),
    path(
        "clientoverleg/<int:conference_id>/overleg/nieuw/",
        views.conference_session_add,
        name="conference-session-add",
    ),
    path(
        "clientoverleg/<int:conference_id>/casemanager/",
        views.conference_case_manager,
        name="conference-case-manager",
    ),
    path("clientoverleg/<int:conference_id>/afsluiten/", views.conference_close, name="conference-close"),
    path(
        "clientoverleg/<int:conference_id>/evaluatie/<str:respondent>/",
        views.conference_evaluation,
        name="conference-evaluation",
    ),
    path("clientoverleg/overleg/<int:session_id>/", views.session_detail, name="conference-session"),
    path(
        "clientoverleg/overleg/<int:session_id>/uitnodigen/", views.session_invite, name="conference-invite"
    ),
    path(
        "clientoverleg/overleg/<int:session_id>/status/",
        views.session_status,
        name="conference-session-status",
    ),
    path(
        "clientoverleg/overleg/<int:session_id>/verslag/",
        views.session_notes,
        name="conference-session-notes",
    ),
    path(
        "clientoverleg/overleg/<int:session_id>/afspraak/",
        views.plan_item_add,
        name="conference-plan-item-add",
    ),
    path(
        "clientoverleg/uitnodiging/<int:invitation_id>/aanwezigheid/",
        views.session_attendance,
        name="conference-attendance",
    ),
    path(
        "clientoverleg/afspraak/<int:item_id>/opvolging/",
        views.plan_item_follow_up,
        name="conference-plan-item-follow-up",
    ),
]
