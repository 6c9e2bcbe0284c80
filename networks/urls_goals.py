"""URL patterns of the goals pages; joined into networks/urls.py."""

from django.urls import path

from .views import goals as views

urlpatterns = [
    path("<int:network_id>/doelen/", views.goal_list, name="goal-list"),
    path("<int:network_id>/doelen/nieuw/", views.goal_create, name="goal-create"),
    path("doelen/<int:goal_id>/", views.goal_detail, name="goal-detail"),
    path("doelen/<int:goal_id>/bewerken/", views.goal_edit, name="goal-edit"),
    path("doelen/<int:goal_id>/voortgang/", views.goal_progress_add, name="goal-progress-add"),
]
