"""Factories of the detention work (issue 20): the offer in a prison."""

import datetime

import factory
from factory.django import DjangoModelFactory

from instruments.models import Activity, SecurityEvent
from instruments.services_offer import create_activity

from .factories import NetworkFactory, OrganisationFactory


class ActivityFactory(DjangoModelFactory):
    """An activity with its weekly sessions (made by the service, as in the product)."""

    class Meta:
        model = Activity

    network = factory.SubFactory(NetworkFactory, detention=True)
    domain = "sport"
    title = factory.Sequence(lambda n: f"Activiteit {n}")
    provider = factory.SubFactory(OrganisationFactory)
    target_group = "Alle gedetineerden"
    weekday = 1
    start_time = datetime.time(14, 0)
    end_time = datetime.time(16, 0)
    starts_on = datetime.date(2026, 9, 1)
    ends_on = datetime.date(2027, 6, 30)
    places = 3

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return create_activity(activity=model_class(*args, **kwargs), by=None)


class SecurityEventFactory(DjangoModelFactory):
    class Meta:
        model = SecurityEvent

    network = factory.SubFactory(NetworkFactory, detention=True)
    kind = SecurityEvent.Kind.LOCKDOWN
