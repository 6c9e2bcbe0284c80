"""URL patterns of the agreements pages; joined into networks/urls.py."""

from django.urls import path

from .views import agreements as views

urlpatterns = [
    path("<int:network_id>/overeenkomsten/", views.agreement_list, name="agreement-list"),
    path("<int:network_id>/overeenkomsten/nieuw/", views.agreement_create, name="agreement-create"),
    path("overeenkomsten/<int:agreement_id>/", views.agreement_detail, name="agreement-detail"),
    path(
        "overeenkomsten/<int:agreement_id>/ondertekenaars/",
        views.agreement_signatory_add,
        name="agreement-signatory-add",
    ),
    path("overeenkomsten/<int:agreement_id>/document/", views.agreement_document, name="agreement-document"),
]
