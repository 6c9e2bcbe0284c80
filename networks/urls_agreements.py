"""URL patterns of the agreements pages; joined into networks/urls.py."""

urlpatterns = []
