"""Write events on a client file name the file (case_id), as reads do, without showing up as reads."""

import pytest

from cases.models import TimelineEvent
from cases.reads import case_reads
from cases.services.cases import log_event
from ijh.models import AuditEvent
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_timeline_write_names_its_case_in_the_audit_log_but_is_no_read():
    case = CaseFactory()
    other = CaseFactory(network=case.network)
    log_event(case=case, by=UserFactory(), kind=TimelineEvent.Kind.UPDATED, changed_fields=["pseudonym"])
    event = AuditEvent.objects.get(action="case.updated")
    assert event.case_id == case.pk and event.network_id == case.network_id
    assert not AuditEvent.objects.filter(case_id=other.pk).exists()
    assert not case_reads(case.pk).exists()
