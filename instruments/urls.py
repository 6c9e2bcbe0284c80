from django.urls import path

from .views import crisis, engagements, offer, playbooks, referrals, registry, selfchecks

app_name = "instruments"

NETWORK = "netwerk/<int:network_id>/"
PLAYBOOK = NETWORK + "draaiboeken/<int:playbook_id>/"

urlpatterns = [
    # the engagement catalogue (issue 19 §7)
    path(NETWORK + "engagementen/", engagements.engagement_list, name="engagement-list"),
    path(NETWORK + "engagementen/nieuw/", engagements.engagement_create, name="engagement-create"),
    path("engagementen/<int:engagement_id>/bewerken/", engagements.engagement_edit, name="engagement-edit"),
    # registry
    path(NETWORK, registry.instrument_list, name="list"),
    path(NETWORK + "nieuw/", registry.instrument_create, name="create"),
    path("<int:instrument_id>/bewerken/", registry.instrument_edit, name="edit"),
    # referral agreements and the directory
    path(NETWORK + "verwijsafspraken/", referrals.agreement_list, name="referral-list"),
    path(NETWORK + "verwijsafspraken/nieuw/", referrals.agreement_create, name="referral-create"),
    path("verwijsafspraken/<int:agreement_id>/", referrals.agreement_detail, name="referral-detail"),
    path("verwijsafspraken/<int:agreement_id>/bewerken/", referrals.agreement_edit, name="referral-edit"),
    path(
        "verwijsafspraken/<int:agreement_id>/ondertekenaars/",
        referrals.agreement_signatory,
        name="referral-signatory",
    ),
    path("wegwijzer/", referrals.directory, name="directory"),
    # draaiboek brede instap
    path(NETWORK + "draaiboeken/", playbooks.playbook_list, name="playbook-list"),
    path(PLAYBOOK, playbooks.playbook_detail, name="playbook-detail"),
    path(PLAYBOOK + "nieuwe-versie/", playbooks.playbook_new_version, name="playbook-new-version"),
    path(PLAYBOOK + "publiceren/", playbooks.playbook_publish, name="playbook-publish"),
    path(PLAYBOOK + "vervangen/", playbooks.playbook_retire, name="playbook-retire"),
    path(PLAYBOOK + "stappen/<int:step_id>/", playbooks.step_edit, name="step-edit"),
    path(PLAYBOOK + "stappen/<int:step_id>/taken/nieuw/", playbooks.task_create, name="task-create"),
    path(PLAYBOOK + "taken/<int:task_id>/", playbooks.task_edit, name="task-edit"),
    path(PLAYBOOK + "taken/<int:task_id>/verwijderen/", playbooks.task_delete, name="task-delete"),
    # self-checks and adoption
    path(NETWORK + "zelftoetsen/", selfchecks.selfcheck_list, name="selfcheck-list"),
    path(NETWORK + "zelftoetsen/nieuw/", selfchecks.selfcheck_start, name="selfcheck-start"),
    path("zelftoetsen/<int:adoption_id>/", selfchecks.selfcheck_detail, name="selfcheck-detail"),
    path("zelftoetsen/<int:adoption_id>/beoordelen/", selfchecks.selfcheck_rate, name="selfcheck-rate"),
    path(
        "zelftoetsen/<int:adoption_id>/verbeteracties/nieuw/",
        selfchecks.improvement_create,
        name="improvement-create",
    ),
    path("verbeteracties/<int:action_id>/status/", selfchecks.improvement_status, name="improvement-status"),
    path(NETWORK + "adoptie/", selfchecks.adoption_overview, name="adoption"),
    # the offer in a prison (issue 20)
    path(NETWORK + "aanbod/", offer.offer, name="offer"),
    path(NETWORK + "aanbod/nieuw/", offer.activity_create, name="activity-create"),
    path("aanbod/<int:activity_id>/", offer.activity_detail, name="activity"),
    path("aanbod/<int:activity_id>/inschrijven/", offer.activity_enrol, name="activity-enrol"),
    path("inschrijvingen/<int:enrolment_id>/uitschrijven/", offer.enrolment_end, name="enrolment-end"),
    path(NETWORK + "veiligheid/", offer.security_events, name="security"),
    path(NETWORK + "onthaalmap/", offer.folder_create, name="folder-create"),
    path("onthaalmap/<int:folder_id>/status/", offer.folder_status, name="folder-status"),
    path("onthaalmap/<int:folder_id>/onthaalmap.pdf", offer.folder_download, name="folder-download"),
    # crisis programme (issue 18)
    path(NETWORK + "crisishulpprogramma/", crisis.programme_detail, name="crisis-programme"),
    path(NETWORK + "crisishulpprogramma/opstarten/", crisis.programme_setup, name="crisis-programme-setup"),
    path(NETWORK + "crisishulpprogramma/instellingen/", crisis.programme_edit, name="crisis-programme-edit"),
    path(
        NETWORK + "crisishulpprogramma/aanbieders/nieuw/",
        crisis.provider_create,
        name="crisis-provider-create",
    ),
    path("crisisaanbieders/<int:provider_id>/", crisis.provider_edit, name="crisis-provider-edit"),
    path(NETWORK + "crisishulpprogramma/permanentie/nieuw/", crisis.shift_create, name="crisis-shift-create"),
    path("permanenties/<int:shift_id>/verwijderen/", crisis.shift_delete, name="crisis-shift-delete"),
]
