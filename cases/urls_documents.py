"""URL patterns of the documents pages; joined into cases/urls.py."""

from django.urls import path

from .views import documents as views

urlpatterns = [
    path("documenten/", views.document_create, name="document-create"),
    path("documenten/<int:document_id>/status/", views.document_status, name="document-status"),
    path("documenten/<int:document_id>/document.pdf", views.document_download, name="document-download"),
]
