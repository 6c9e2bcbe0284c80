import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ijh.models import AuditEvent
from networks.models import Agreement, AgreementSignatory
from tests.factories import (
    AgreementFactory,
    AgreementSignatoryFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)
from tests.files import clean_pdf

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
PDF = clean_pdf()


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Uploaded files land in a temporary folder, never in var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    return tmp_path


def stored_files(folder):
    return [path for path in folder.rglob("*") if path.is_file()]


@pytest.fixture
def agreement(network):
    return AgreementFactory(network=network, title="Samenwerkingsprotocol RTJ", version="2.1")


def agreement_data(**overrides):
    data = {
        "title": "Huishoudelijk reglement netwerkstuurgroep",
        "kind": Agreement.Kind.HOUSE_RULES,
        "version": "1.0",
        "binding": Agreement.Binding.MANDATORY,
        "valid_from": "2026-01-01",
        "valid_until": "2028-12-31",
    }
    return {**data, **overrides}


# --- access --------------------------------------------------------------------------------------


def read_urls(network, agreement):
    return [
        reverse("networks:agreement-list", args=[network.pk]),
        reverse("networks:agreement-detail", args=[agreement.pk]),
    ]


class TestAccess:
    def test_member_reads_but_may_not_write(self, as_user, network, agreement, member, member_organisation):
        client = as_user(member)
        for url in read_urls(network, agreement):
            assert client.get(url).status_code == 200, url
        assert client.get(reverse("networks:agreement-create", args=[network.pk])).status_code == 403
        response = client.post(
            reverse("networks:agreement-signatory-add", args=[agreement.pk]),
            {"organisation": member_organisation.pk},
        )
        assert response.status_code == 403
        assert not AgreementSignatory.objects.exists()

    def test_manager_reads_and_writes(self, as_user, network, agreement, manager):
        client = as_user(manager)
        for url in [*read_urls(network, agreement), reverse("networks:agreement-create", args=[network.pk])]:
            assert client.get(url).status_code == 200, url

    @pytest.mark.parametrize("persona", ["outsider", "former_member"])
    def test_others_get_404_everywhere(
        self, request, as_user, network, agreement, member_organisation, persona
    ):
        agreement.document.save("protocol.pdf", ContentFile(PDF))
        client = as_user(request.getfixturevalue(persona))
        urls = [
            *read_urls(network, agreement),
            reverse("networks:agreement-create", args=[network.pk]),
            reverse("networks:agreement-document", args=[agreement.pk]),
        ]
        for url in urls:
            assert client.get(url).status_code == 404, url
        response = client.post(
            reverse("networks:agreement-signatory-add", args=[agreement.pk]),
            {"organisation": member_organisation.pk},
        )
        assert response.status_code == 404
        assert not AgreementSignatory.objects.exists()

    def test_anonymous_is_sent_to_login(self, client, network, agreement):
        urls = [
            *read_urls(network, agreement),
            reverse("networks:agreement-create", args=[network.pk]),
            reverse("networks:agreement-document", args=[agreement.pk]),
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302
            assert response.url.startswith(reverse("login"))
        assert (
            client.post(reverse("networks:agreement-signatory-add", args=[agreement.pk])).status_code == 302
        )

    def test_member_sees_no_write_controls(self, as_user, network, agreement, member):
        client = as_user(member)
        assert (
            "Ondertekenaar toevoegen"
            not in client.get(reverse("networks:agreement-detail", args=[agreement.pk])).text
        )
        assert (
            "Nieuwe overeenkomst"
            not in client.get(reverse("networks:agreement-list", args=[network.pk])).text
        )


# --- list ----------------------------------------------------------------------------------------


class TestAgreementList:
    def url(self, network):
        return reverse("networks:agreement-list", args=[network.pk])

    def test_shows_the_columns(self, as_user, network, agreement, member):
        AgreementSignatoryFactory(agreement=agreement)
        AgreementSignatoryFactory(agreement=agreement, signed_on=None)
        text = as_user(member).get(self.url(network)).text
        assert "Samenwerkingsprotocol RTJ" in text
        assert '<td class="nowrap">2.1</td>' in text
        assert "<td>verplicht</td>" in text
        assert "01/01/2024 – onbepaald" in text
        assert '<td class="num">1/2</td>' in text

    def test_expiring_soon_badge_within_60_days(self, as_user, network, member):
        today = timezone.localdate()
        AgreementFactory(
            network=network, title="Bijna afgelopen", valid_until=today + datetime.timedelta(days=30)
        )
        AgreementFactory(network=network, title="Nog lang", valid_until=today + datetime.timedelta(days=90))
        AgreementFactory(network=network, title="Voorbij", valid_until=today - datetime.timedelta(days=1))
        text = as_user(member).get(self.url(network)).text
        expiry = (today + datetime.timedelta(days=30)).strftime("%d/%m/%Y")
        assert text.count("loopt af op") == 1
        assert f"loopt af op {expiry}" in text
        assert text.count(">verlopen<") == 1

    def test_agreements_of_other_networks_stay_out(self, as_user, network, other_network, member):
        AgreementFactory(network=other_network, title="Convenant van elders")
        assert "Convenant van elders" not in as_user(member).get(self.url(network)).text

    @pytest.mark.parametrize("size", [2, 20])
    def test_queries_do_not_grow(self, as_user, network, manager, size, django_assert_num_queries):
        for _ in range(size):
            agreement = AgreementFactory(network=network, valid_until=timezone.localdate())
            AgreementSignatoryFactory.create_batch(2, agreement=agreement)
        client = as_user(manager)
        # session, user, network (visible + manage flag), agreements with signatory counts and
        # the expiring flag, session save (savepoint, update, release)
        with django_assert_num_queries(7):
            response = client.get(self.url(network))
        assert response.text.count('<td class="num">2/2</td>') == size


# --- detail and signatories ----------------------------------------------------------------------


class TestAgreementDetail:
    def test_shows_signatories_with_dates(self, as_user, network, agreement, member):
        caw = NetworkMembershipFactory(network=network, organisation__name="CAW Testland").organisation
        AgreementSignatoryFactory(agreement=agreement, organisation=caw)
        AgreementSignatoryFactory(agreement=agreement, signed_on=None)
        text = as_user(member).get(reverse("networks:agreement-detail", args=[agreement.pk])).text
        assert "CAW Testland" in text
        assert "15/01/2024" in text
        assert "nog niet ondertekend" in text
        assert "1 van 2 ondertekend" in text

    def test_signatory_select_offers_current_member_organisations(
        self, as_user, network, other_network, agreement, manager, member_organisation
    ):
        former = NetworkMembershipFactory(network=network, ended=True).organisation
        foreign = NetworkMembershipFactory(network=other_network).organisation
        text = as_user(manager).get(reverse("networks:agreement-detail", args=[agreement.pk])).text
        assert f'<option value="{member_organisation.pk}">' in text
        assert f'value="{former.pk}"' not in text
        assert f'value="{foreign.pk}"' not in text

    @pytest.mark.parametrize("size", [2, 20])
    def test_queries_do_not_grow(self, as_user, agreement, manager, size, django_assert_num_queries):
        AgreementSignatoryFactory.create_batch(size, agreement=agreement)
        client = as_user(manager)
        # session, user, agreement (visible + manage flag, with network), signatories with their
        # organisation, member organisations for the select, session save (savepoint, update,
        # release)
        with django_assert_num_queries(8):
            response = client.get(reverse("networks:agreement-detail", args=[agreement.pk]))
        assert f"{size} van {size} ondertekend" in response.text


class TestAddSignatory:
    def url(self, agreement):
        return reverse("networks:agreement-signatory-add", args=[agreement.pk])

    def test_htmx_adds_and_swaps_the_section(self, as_user, agreement, manager, member_organisation):
        response = as_user(manager).post(
            self.url(agreement),
            {"organisation": member_organisation.pk, "signed_on": "2025-02-03"},
            headers=HTMX,
        )
        assert response.status_code == 200
        assert response.text.lstrip().startswith('<section class="card" id="signatories"')
        assert "03/02/2025" in response.text
        signatory = AgreementSignatory.objects.get()
        assert (signatory.organisation, signatory.signed_on) == (
            member_organisation,
            datetime.date(2025, 2, 3),
        )
        event = AuditEvent.objects.get(action="agreement.signatory_added")
        assert (event.object_id, event.network_id) == (str(signatory.pk), agreement.network_id)

    def test_plain_post_redirects(self, as_user, agreement, manager, member_organisation):
        response = as_user(manager).post(self.url(agreement), {"organisation": member_organisation.pk})
        assert response.status_code == 302
        assert AgreementSignatory.objects.get().signed_on is None

    def test_organisation_that_is_not_a_member_is_refused(self, as_user, agreement, manager):
        stranger = OrganisationFactory()
        response = as_user(manager).post(self.url(agreement), {"organisation": stranger.pk}, headers=HTMX)
        assert response.status_code == 422
        assert "Deze organisatie is geen lid van het netwerk en kan niet ondertekenen." in response.text
        assert response.text.lstrip().startswith('<section class="card" id="signatories"')
        assert not AgreementSignatory.objects.exists()
        assert not AuditEvent.objects.filter(action="agreement.signatory_added").exists()

    def test_former_member_organisation_is_refused(self, as_user, network, agreement, manager):
        former = NetworkMembershipFactory(network=network, ended=True).organisation
        response = as_user(manager).post(self.url(agreement), {"organisation": former.pk})
        assert response.status_code == 422
        assert "Deze organisatie is geen lid van het netwerk en kan niet ondertekenen." in response.text
        assert not AgreementSignatory.objects.exists()

    def test_signing_in_the_future_is_refused(self, as_user, agreement, manager, member_organisation):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = as_user(manager).post(
            self.url(agreement), {"organisation": member_organisation.pk, "signed_on": tomorrow.isoformat()}
        )
        assert response.status_code == 422
        assert "De datum van ondertekening ligt in de toekomst." in response.text
        assert not AgreementSignatory.objects.exists()

    def test_the_same_organisation_twice_is_refused(self, as_user, agreement, manager, member_organisation):
        AgreementSignatoryFactory(agreement=agreement, organisation=member_organisation)
        response = as_user(manager).post(self.url(agreement), {"organisation": member_organisation.pk})
        assert response.status_code == 422
        assert "Deze organisatie staat al bij de ondertekenaars." in response.text
        assert AgreementSignatory.objects.count() == 1

    @pytest.mark.parametrize(
        "data",
        [
            {},
            {"organisation": "abc"},
            {"organisation": "999999"},
            {"organisation": "1", "signed_on": "32/13/2025"},
        ],
    )
    def test_garbage_gives_422_not_500(self, as_user, agreement, manager, data):
        assert as_user(manager).post(self.url(agreement), data).status_code == 422
        assert not AgreementSignatory.objects.exists()


# --- create and document -------------------------------------------------------------------------


class TestCreateAgreement:
    def url(self, network):
        return reverse("networks:agreement-create", args=[network.pk])

    def test_manager_creates_with_a_pdf(self, as_user, network, manager, private_storage):
        upload = SimpleUploadedFile("Reglement Jan Peeters.pdf", PDF, content_type="application/pdf")
        response = as_user(manager).post(self.url(network), {**agreement_data(), "document": upload})
        agreement = Agreement.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("networks:agreement-detail", args=[agreement.pk])
        assert (agreement.network, agreement.created_by) == (network, manager.user)
        # stored under a random name in private storage: a file name can identify a person
        assert agreement.document.name.startswith("agreements/")
        assert "Peeters" not in agreement.document.name
        assert [path.read_bytes() for path in stored_files(private_storage)] == [PDF]
        event = AuditEvent.objects.get(action="agreement.created")
        assert (event.object_id, event.network_id) == (str(agreement.pk), network.pk)

    def test_document_is_optional(self, as_user, network, manager):
        response = as_user(manager).post(self.url(network), agreement_data(valid_until=""), headers=HTMX)
        assert response.status_code == 200
        assert "HX-Redirect" in response
        assert Agreement.objects.get().valid_until is None

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            (
                "protocol.txt",
                b"gewoon tekst",
                "Dit bestandstype is niet toegelaten. Toegelaten: PDF, DOCX, ODT, XLSX.",
            ),
            ("scan.png", b"\x89PNG\r\n\x1a\n0000", "Dit bestandstype is niet toegelaten."),
            ("protocol.exe", b"MZ\x90\x00", "Dit bestandstype is niet toegelaten."),
            (
                "protocol.pdf",
                b"MZ this is no pdf",
                "De inhoud van het bestand past niet bij de extensie .pdf.",
            ),
        ],
    )
    def test_wrong_upload_is_refused(
        self, as_user, network, manager, private_storage, name, content, message
    ):
        upload = SimpleUploadedFile(name, content)
        response = as_user(manager).post(
            self.url(network), {**agreement_data(), "document": upload}, headers=HTMX
        )
        assert response.status_code == 422
        assert message in response.text
        assert response.text.lstrip().startswith('<form id="agreement-form"')
        assert not Agreement.objects.exists()
        assert stored_files(private_storage) == []
        assert not AuditEvent.objects.filter(action="agreement.created").exists()

    def test_until_before_from_is_refused(self, as_user, network, manager, private_storage):
        upload = SimpleUploadedFile("protocol.pdf", PDF)
        data = {**agreement_data(valid_from="2026-06-01", valid_until="2026-05-31"), "document": upload}
        response = as_user(manager).post(self.url(network), data)
        assert response.status_code == 422
        assert "De einddatum ligt vóór de begindatum." in response.text
        assert not Agreement.objects.exists()
        assert stored_files(private_storage) == []

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"title": ""}, "Geef de titel van de overeenkomst."),
            ({"valid_from": ""}, "Geef de datum vanaf wanneer de overeenkomst geldt."),
            ({"kind": "contract"}, "Selecteer een geldige keuze."),
            ({"valid_until": "morgen"}, "Voer een geldige datum in."),
            ({"version": "v" * 30}, "Zorg dat deze waarde niet meer dan 20 tekens bevat"),
        ],
    )
    def test_bad_input_is_refused_in_dutch(self, as_user, network, manager, overrides, message):
        response = as_user(manager).post(self.url(network), agreement_data(**overrides))
        assert response.status_code == 422
        assert message in response.text
        assert not Agreement.objects.exists()


class TestDocumentDownload:
    def url(self, agreement):
        return reverse("networks:agreement-document", args=[agreement.pk])

    def test_member_downloads_the_document_as_attachment(self, as_user, agreement, member):
        agreement.document.save("whatever.pdf", ContentFile(PDF))
        response = as_user(member).get(self.url(agreement))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="samenwerkingsprotocol-rtj-v2.1.pdf"'

    def test_no_document_is_404(self, as_user, agreement, member):
        assert as_user(member).get(self.url(agreement)).status_code == 404

    def test_file_gone_from_storage_is_404(self, as_user, agreement, member, private_storage):
        agreement.document.save("whatever.pdf", ContentFile(PDF))
        for path in stored_files(private_storage):
            path.unlink()
        assert as_user(member).get(self.url(agreement)).status_code == 404

    def test_detail_page_links_the_download(self, as_user, agreement, member):
        agreement.document.save("whatever.pdf", ContentFile(PDF))
        text = as_user(member).get(reverse("networks:agreement-detail", args=[agreement.pk])).text
        assert f'href="{self.url(agreement)}"' in text
