from . import (
    urls_carousel,
    urls_cases,
    urls_conferences,
    urls_crisis,
    urls_detention,
    urls_documents,
    urls_learning,
    urls_referrals,
    urls_trajectories,
)

app_name = "cases"
urlpatterns = [
    *urls_cases.urlpatterns,
    *urls_conferences.urlpatterns,
    *urls_referrals.urlpatterns,
    *urls_documents.urlpatterns,
    *urls_detention.urlpatterns,
    *urls_crisis.urlpatterns,
    *urls_trajectories.urlpatterns,
    *urls_carousel.urlpatterns,
    *urls_learning.urlpatterns,
]
