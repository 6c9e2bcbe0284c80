"""URL patterns of the assessment pages; joined into networks/urls.py."""

urlpatterns = []
