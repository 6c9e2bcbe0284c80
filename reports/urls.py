from django.urls import path

from . import views, views_history, views_indicators

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("netwerk/<int:network_id>/", views.network_reports, name="network"),
    path("regio/<int:region_id>/", views.region_reports, name="region"),
    path("vlaanderen/", views.flanders_reports, name="flanders"),
    path("vlaanderen/verhaal/", views.narrative_save, {"scope_type": "flanders"}, name="flanders-narrative"),
    path("vlaanderen/genereer/", views.run_create, {"scope_type": "flanders"}, name="flanders-run-create"),
    path(
        "netwerk/<int:network_id>/verhaal/",
        views.narrative_save,
        {"scope_type": "network"},
        name="network-narrative",
    ),
    path(
        "regio/<int:region_id>/verhaal/",
        views.narrative_save,
        {"scope_type": "region"},
        name="region-narrative",
    ),
    path(
        "netwerk/<int:network_id>/genereer/",
        views.run_create,
        {"scope_type": "network"},
        name="network-run-create",
    ),
    path(
        "regio/<int:region_id>/genereer/",
        views.run_create,
        {"scope_type": "region"},
        name="region-run-create",
    ),
    path("verhalen/<int:narrative_id>/definitief/", views.narrative_finalise, name="narrative-finalise"),
    path("verhalen/<int:narrative_id>/verbeteren/", views.narrative_correct, name="narrative-correct"),
    path("netwerk/<int:network_id>/historiek/", views_history.history_page, name="history"),
    path("netwerk/<int:network_id>/historiek/controleer/", views_history.history_check, name="history-check"),
    path("historiek/<int:batch_id>/", views_history.history_detail, name="history-detail"),
    path("historiek/<int:batch_id>/importeren/", views_history.history_import, name="history-import"),
    path("historiek/sjabloon-<str:kind>.<str:fmt>", views_history.history_template, name="history-template"),
    path("netwerk/<int:network_id>/indicatoren/", views_indicators.indicator_page, name="indicators"),
    path("indicatoren/<int:goal_id>/", views_indicators.indicator_save, name="indicator-save"),
    path("runs/<int:run_id>/status/", views.run_status, name="run-status"),
    path("runs/<int:run_id>/opnieuw/", views.run_retry, name="run-retry"),
    path("runs/<int:run_id>/rapport.pdf", views.run_download, name="run-download"),
    path("runs/<int:run_id>/cijfers.<str:fmt>", views.run_export, name="run-export"),
]
