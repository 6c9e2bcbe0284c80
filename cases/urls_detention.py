"""URL patterns of the trajectory guidance of detainees (issue 20); joined into cases/urls.py."""

from django.urls import path

from .views import detention as views

urlpatterns = [
    path("gedetineerden/", views.caseload, name="caseload"),
    path("gedetineerden/nieuw/", views.register, name="guidance-register"),
    path("begeleidingen/<int:guidance_id>/", views.guidance_detail, name="guidance"),
    path("begeleidingen/<int:guidance_id>/plandoelen/", views.plan_goal_add, name="guidance-goal"),
    path(
        "begeleidingen/<int:guidance_id>/activiteiten/", views.activity_referral_add, name="guidance-activity"
    ),
    path(
        "begeleidingen/<int:guidance_id>/doorverwijzingen/",
        views.outside_referral_add,
        name="guidance-outside",
    ),
    path("begeleidingen/<int:guidance_id>/vrijlating/", views.release_plan, name="guidance-release"),
    path("begeleidingen/<int:guidance_id>/overplaatsing/", views.transfer_propose, name="guidance-transfer"),
    path(
        "begeleidingen/<int:guidance_id>/overplaatsing/intrekken/",
        views.transfer_withdraw,
        name="guidance-transfer-withdraw",
    ),
    path("plandoelen/<int:plan_goal_id>/uitkomst/", views.plan_goal_outcome, name="guidance-goal-outcome"),
    path("begeleidingen/<int:guidance_id>/afsluiten/", views.guidance_end, name="guidance-end"),
    path("overplaatsingen/<int:transfer_id>/", views.transfer_decide, name="transfer-decide"),
]
