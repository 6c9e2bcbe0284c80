"""URL patterns of the planmaker pages; joined into cases/urls.py."""

from django.urls import path

from .views import trajectories as views
from .views import trajectory_meetings as meeting_views

urlpatterns = [
    path("planmakers/", views.trajectory_list, name="trajectory-list"),
    path("<int:case_id>/planmakers/aanmelden/", views.trajectory_create, name="trajectory-create"),
    path("planmakers/trajecten/<int:trajectory_id>/", views.trajectory_detail, name="trajectory-detail"),
    path(
        "planmakers/trajecten/<int:trajectory_id>/beslissen/",
        views.trajectory_decide,
        name="trajectory-decide",
    ),
    path("planmakers/trajecten/<int:trajectory_id>/fase/", views.trajectory_phase, name="trajectory-phase"),
    path(
        "planmakers/trajecten/<int:trajectory_id>/plan/",
        views.trajectory_plan_add,
        name="trajectory-plan-add",
    ),
    path(
        "planmakers/trajecten/<int:trajectory_id>/knelpunt/",
        views.trajectory_bottleneck,
        name="trajectory-bottleneck",
    ),
    path("planmakers/plan/<int:plan_item_id>/", views.trajectory_plan_item, name="trajectory-plan-item"),
    path(
        "planmakers/trajecten/<int:trajectory_id>/overleg/",
        meeting_views.trajectory_meeting,
        name="trajectory-meeting",
    ),
    path(
        "planmakers/trajecten/<int:trajectory_id>/overleg/plannen/",
        meeting_views.trajectory_meeting_plan,
        name="trajectory-meeting-plan",
    ),
    path(
        "planmakers/overleg/<int:trajectory_meeting_id>/verplaatsen/",
        meeting_views.trajectory_meeting_replan,
        name="trajectory-meeting-replan",
    ),
    path(
        "planmakers/trajecten/<int:trajectory_id>/intervisie/",
        meeting_views.trajectory_intervisie,
        name="trajectory-intervisie",
    ),
    path("<int:case_id>/steunfiguren/", meeting_views.support_person_add, name="support-person-add"),
    path(
        "steunfiguren/<int:support_person_id>/anker/",
        meeting_views.support_person_anchor,
        name="support-person-anchor",
    ),
    path(
        "steunfiguren/<int:support_person_id>/beeindigen/",
        meeting_views.support_person_end,
        name="support-person-end",
    ),
    path("planmakers/knelpunten/", views.bottleneck_list, name="bottleneck-list"),
    path("planmakers/knelpunten/<int:bottleneck_id>/", views.bottleneck_detail, name="bottleneck-detail"),
    path(
        "planmakers/knelpunten/<int:bottleneck_id>/status/", views.bottleneck_status, name="bottleneck-status"
    ),
]
