"""URL patterns of the goals pages; joined into networks/urls.py."""

urlpatterns = []
