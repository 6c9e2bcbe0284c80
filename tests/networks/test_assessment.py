"""Self-assessment pages: access, scoring, bad input, results and, above all, privacy."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ijh.models import AuditEvent
from networks.models import Criterion, Score, SelfAssessmentRound
from tests.conftest import Persona
from tests.factories import MembershipFactory, SelfAssessmentRoundFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


# --- helpers and personas -----------------------------------------------------------------------


@pytest.fixture
def chair(network) -> Persona:
    return Persona(MembershipFactory(network=network, chair=True).user)


@pytest.fixture
def other_member(network) -> Persona:
    return Persona(MembershipFactory(network=network).user)


@pytest.fixture
def criteria() -> list[Criterion]:
    criteria = list(Criterion.objects.order_by("position"))
    assert len(criteria) == 14  # seeded by migration 0004
    return criteria


@pytest.fixture
def open_round(network) -> SelfAssessmentRound:
    return SelfAssessmentRoundFactory(network=network, title="Zelfevaluatie voorjaar")


@pytest.fixture
def closed_round(network) -> SelfAssessmentRound:
    return SelfAssessmentRoundFactory(network=network, title="Zelfevaluatie najaar", closed=True)


def list_url(network):
    return reverse("networks:assessment-list", args=[network.pk])


def open_url(network):
    return reverse("networks:assessment-open", args=[network.pk])


def detail_url(assessment_round):
    return reverse("networks:assessment-detail", args=[assessment_round.pk])


def score_url(assessment_round):
    return reverse("networks:assessment-score", args=[assessment_round.pk])


def close_url(assessment_round):
    return reverse("networks:assessment-close", args=[assessment_round.pk])


def give_scores(assessment_round, user, value=3, comment=""):
    """Store a member's scores directly (also in closed rounds). ``value`` and ``comment`` may be
    callables of the criterion."""
    Score.objects.bulk_create(
        Score(
            round=assessment_round,
            criterion=criterion,
            respondent=user,
            value=value(criterion) if callable(value) else value,
            comment=comment(criterion) if callable(comment) else comment,
        )
        for criterion in Criterion.objects.all()
    )


def form_data(criteria, value="3", comment="", **overrides) -> dict:
    data = {}
    for criterion in criteria:
        data[f"score-{criterion.pk}"] = value
        data[f"comment-{criterion.pk}"] = comment
    data.update(overrides)
    return data


def own_scores(html: str) -> list[tuple[str, str]]:
    """(criterion code, value) pairs of the read-only "your scores" table."""
    return re.findall(r'data-own-score="([\w-]+)">(\d)<', html)


# --- access -------------------------------------------------------------------------------------


class TestAccess:
    @pytest.mark.parametrize("persona", ["member", "chair", "manager", "regional_staff"])
    def test_people_of_the_network_see_list_and_round(self, request, as_user, network, open_round, persona):
        client = as_user(request.getfixturevalue(persona))
        assert client.get(list_url(network)).status_code == 200
        assert client.get(detail_url(open_round)).status_code == 200

    @pytest.mark.parametrize("persona", ["outsider", "former_member"])
    def test_others_get_404_everywhere(self, request, as_user, network, open_round, criteria, persona):
        client = as_user(request.getfixturevalue(persona))
        assert client.get(list_url(network)).status_code == 404
        assert client.get(open_url(network)).status_code == 404
        assert client.post(open_url(network), {"title": "x"}).status_code == 404
        assert client.get(detail_url(open_round)).status_code == 404
        assert client.post(score_url(open_round), form_data(criteria)).status_code == 404
        assert client.post(close_url(open_round)).status_code == 404
        assert not Score.objects.exists()
        open_round.refresh_from_db()
        assert open_round.closed_at is None

    def test_missing_round_is_the_same_404(self, as_user, member):
        assert as_user(member).get(reverse("networks:assessment-detail", args=[999999])).status_code == 404

    def test_anonymous_is_sent_to_login(self, client, network, open_round, criteria):
        login = reverse(settings.LOGIN_URL)
        for response in [
            client.get(list_url(network)),
            client.get(open_url(network)),
            client.get(detail_url(open_round)),
            client.post(score_url(open_round), form_data(criteria)),
            client.post(close_url(open_round)),
        ]:
            assert response.status_code == 302
            assert response["Location"].startswith(login)
        assert not Score.objects.exists()

    @pytest.mark.parametrize("persona", ["member", "manager"])
    def test_only_chair_and_staff_open_and_close(self, request, as_user, network, open_round, persona):
        client = as_user(request.getfixturevalue(persona))
        assert client.get(open_url(network)).status_code == 403
        assert client.post(open_url(network), {"title": "x", "closes_on": "2099-01-01"}).status_code == 403
        assert client.post(close_url(open_round)).status_code == 403
        open_round.refresh_from_db()
        assert open_round.closed_at is None
        assert "Ronde nu sluiten" not in client.get(detail_url(open_round)).text
        assert "Nieuwe ronde openen" not in client.get(list_url(network)).text

    @pytest.mark.parametrize("persona", ["chair", "regional_staff"])
    def test_chair_and_staff_see_the_buttons(self, request, as_user, network, open_round, persona):
        client = as_user(request.getfixturevalue(persona))
        assert "Nieuwe ronde openen" in client.get(list_url(network)).text
        assert "Ronde nu sluiten" in client.get(detail_url(open_round)).text
        assert client.get(open_url(network)).status_code == 200

    def test_regional_staff_may_see_but_not_score(self, as_user, open_round, criteria, regional_staff):
        client = as_user(regional_staff)
        page = client.get(detail_url(open_round))
        assert 'id="score-form"' not in page.text
        assert "Scoren is voor de leden van het netwerk" in page.text
        assert client.post(score_url(open_round), form_data(criteria)).status_code == 403
        assert not Score.objects.exists()

    def test_http_methods(self, as_user, open_round, chair):
        client = as_user(chair)
        assert client.get(score_url(open_round)).status_code == 405
        assert client.get(close_url(open_round)).status_code == 405


# --- opening and closing ------------------------------------------------------------------------


class TestOpenAndClose:
    def test_chair_opens_a_round(self, as_user, network, chair):
        closes_on = timezone.localdate() + datetime.timedelta(days=21)
        response = as_user(chair).post(
            open_url(network), {"title": "Zelfevaluatie 2026", "closes_on": closes_on.isoformat()}
        )
        new_round = SelfAssessmentRound.objects.get(network=network)
        assert response.status_code == 302
        assert response["Location"] == detail_url(new_round)
        assert (new_round.title, new_round.closes_on, new_round.opened_by) == (
            "Zelfevaluatie 2026",
            closes_on,
            chair.user,
        )
        assert new_round.opened_on == timezone.localdate()
        assert AuditEvent.objects.filter(
            action="assessment.round_opened", object_id=str(new_round.pk)
        ).exists()

    def test_form_is_prefilled(self, as_user, network, chair):
        html = as_user(chair).get(open_url(network)).text
        assert f"Zelfevaluatie {timezone.localdate().year}" in html

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"title": "", "closes_on": "2099-01-01"}, "Geef de ronde een titel."),
            ({"title": "Ronde", "closes_on": ""}, "Kies de dag waarop de ronde sluit."),
            ({"title": "Ronde", "closes_on": "31/02/2026"}, "Geef een geldige datum."),
            ({"title": "Ronde", "closes_on": "2001-01-01"}, "De sluitingsdatum ligt in het verleden."),
        ],
    )
    def test_bad_round_is_refused(self, as_user, network, chair, data, message):
        response = as_user(chair).post(open_url(network), data)
        assert response.status_code == 422
        assert message in response.text
        assert not SelfAssessmentRound.objects.exists()

    def test_one_round_at_a_time(self, as_user, network, chair, open_round):
        response = as_user(chair).post(open_url(network), {"title": "Nog een", "closes_on": "2099-01-01"})
        assert response.status_code == 422
        assert "Er loopt al een ronde in dit netwerk." in response.text
        assert SelfAssessmentRound.objects.count() == 1

    def test_htmx_invalid_open_returns_the_form_partial(self, as_user, network, chair):
        response = as_user(chair).post(open_url(network), {"title": ""}, headers=HTMX)
        assert response.status_code == 422
        assert response.text.lstrip().startswith('<form id="round-form"')

    def test_chair_closes_early(self, as_user, chair, open_round):
        response = as_user(chair).post(close_url(open_round))
        assert response.status_code == 302
        open_round.refresh_from_db()
        assert open_round.closed_at is not None
        assert not open_round.is_open
        assert AuditEvent.objects.filter(action="assessment.round_closed").count() == 1

    def test_htmx_close_redirects_the_client(self, as_user, regional_staff, open_round):
        response = as_user(regional_staff).post(close_url(open_round), headers=HTMX)
        assert response.headers["HX-Redirect"] == detail_url(open_round)

    def test_closing_twice_is_harmless(self, as_user, chair, closed_round):
        closed_at = closed_round.closed_at
        response = as_user(chair).post(close_url(closed_round), follow=True)
        assert "Deze ronde was al gesloten." in response.text
        closed_round.refresh_from_db()
        assert closed_round.closed_at == closed_at
        assert not AuditEvent.objects.filter(action="assessment.round_closed").exists()

    def test_round_closes_by_itself_after_its_date(self, as_user, network, member, criteria):
        ended = SelfAssessmentRoundFactory(
            network=network,
            opened_on=timezone.localdate() - datetime.timedelta(days=30),
            closes_on=timezone.localdate() - datetime.timedelta(days=1),
        )
        html = as_user(member).get(detail_url(ended)).text
        assert 'id="score-form"' not in html
        assert 'id="results"' in html


# --- scoring ------------------------------------------------------------------------------------


class TestScoring:
    def test_member_scores_once_and_sees_only_own_scores(self, as_user, member, open_round, criteria):
        client = as_user(member)
        page = client.get(detail_url(open_round))
        assert page.text.count('type="radio"') == 14 * 5
        assert 'id="score-form"' in page.text

        data = form_data(criteria, value="4", comment="")
        data[f"score-{criteria[0].pk}"] = "2"
        data[f"comment-{criteria[0].pk}"] = "Nog werk aan de winkel"
        response = client.post(score_url(open_round), data)

        assert response.status_code == 302
        assert response["Location"] == detail_url(open_round)
        assert Score.objects.filter(round=open_round, respondent=member.user).count() == 14
        page = client.get(detail_url(open_round))
        assert "Bedankt, je scores zijn bewaard." in page.text
        assert 'id="score-form"' not in page.text
        assert own_scores(page.text)[0] == (criteria[0].code, "2")
        assert [value for _code, value in own_scores(page.text)[1:]] == ["4"] * 13
        assert "Nog werk aan de winkel" in page.text
        assert re.search(r'id="respondent-count">1<', page.text)
        # The trail says who scored, never what.
        event = AuditEvent.objects.get(action="assessment.scores_submitted")
        assert event.changed_fields == []

    def test_htmx_score_redirects_the_client(self, as_user, member, open_round, criteria):
        response = as_user(member).post(score_url(open_round), form_data(criteria), headers=HTMX)
        assert response.status_code == 200
        assert response.headers["HX-Redirect"] == detail_url(open_round)

    def test_chair_and_coordinator_may_score(self, as_user, chair, manager, open_round, criteria):
        assert as_user(chair).post(score_url(open_round), form_data(criteria)).status_code == 302
        assert as_user(manager).post(score_url(open_round), form_data(criteria)).status_code == 302
        assert Score.objects.values("respondent").distinct().count() == 2

    @pytest.mark.parametrize(
        ("bad_value", "message"),
        [
            ("0", "Kies een score van 1 tot 5."),
            ("6", "Kies een score van 1 tot 5."),
            ("abc", "Kies een score van 1 tot 5."),
            ("3.5", "Kies een score van 1 tot 5."),
            ("", "Geef een score voor dit criterium."),
        ],
    )
    def test_bad_value_is_refused(self, as_user, member, open_round, criteria, bad_value, message):
        data = form_data(criteria, **{f"score-{criteria[5].pk}": bad_value})
        response = as_user(member).post(score_url(open_round), data)
        assert response.status_code == 422
        assert message in response.text
        assert "Het formulier is niet bewaard." in response.text
        assert not Score.objects.exists()

    def test_missing_criterion_is_refused(self, as_user, member, open_round, criteria):
        data = form_data(criteria)
        del data[f"score-{criteria[-1].pk}"]
        response = as_user(member).post(score_url(open_round), data)
        assert response.status_code == 422
        assert "Geef een score voor dit criterium." in response.text
        assert not Score.objects.exists()

    def test_empty_post_is_refused(self, as_user, member, open_round):
        response = as_user(member).post(score_url(open_round), {})
        assert response.status_code == 422
        assert response.text.count("Geef een score voor dit criterium.") == 14
        assert not Score.objects.exists()

    def test_too_long_comment_is_refused(self, as_user, member, open_round, criteria):
        data = form_data(criteria, **{f"comment-{criteria[0].pk}": "x" * 501})
        response = as_user(member).post(score_url(open_round), data)
        assert response.status_code == 422
        assert "Een opmerking is hoogstens 500 tekens lang." in response.text
        assert not Score.objects.exists()

    def test_second_vote_is_refused(self, as_user, member, open_round, criteria):
        client = as_user(member)
        client.post(score_url(open_round), form_data(criteria, value="2"))
        response = client.post(score_url(open_round), form_data(criteria, value="5"))
        assert response.status_code == 422
        assert "Je hebt in deze ronde al gescoord." in response.text
        assert 'type="radio"' not in response.text  # no form to try again
        assert list(Score.objects.values_list("value", flat=True).distinct()) == [2]

    @pytest.mark.parametrize("how", ["closed by the chair", "past its date"])
    def test_vote_in_closed_round_is_refused(self, as_user, network, member, criteria, how):
        if how == "closed by the chair":
            assessment_round = SelfAssessmentRoundFactory(network=network, closed=True)
        else:
            assessment_round = SelfAssessmentRoundFactory(
                network=network,
                opened_on=timezone.localdate() - datetime.timedelta(days=30),
                closes_on=timezone.localdate() - datetime.timedelta(days=1),
            )
        response = as_user(member).post(score_url(assessment_round), form_data(criteria))
        assert response.status_code == 422
        assert "Deze ronde is gesloten: er kan niet meer gescoord worden." in response.text
        assert not Score.objects.exists()

    def test_htmx_bad_input_returns_the_form_partial(self, as_user, member, open_round, criteria):
        data = form_data(criteria, **{f"score-{criteria[0].pk}": "9"})
        response = as_user(member).post(score_url(open_round), data, headers=HTMX)
        assert response.status_code == 422
        assert response.text.lstrip().startswith('<form id="score-form"')
        assert "<html" not in response.text
        # what the member did fill in is kept
        assert response.text.count("checked") == 13

    def test_htmx_closed_round_returns_the_message_partial(self, as_user, member, closed_round, criteria):
        response = as_user(member).post(score_url(closed_round), form_data(criteria), headers=HTMX)
        assert response.status_code == 422
        assert response.text.lstrip().startswith('<form id="score-form"')
        assert "Deze ronde is gesloten" in response.text

    def test_list_shows_respondents_and_own_participation(
        self, as_user, network, member, other_member, open_round
    ):
        give_scores(open_round, other_member.user)
        html = as_user(member).get(list_url(network)).text
        assert "nog niet gescoord" in html
        give_scores(open_round, member.user)
        html = as_user(member).get(list_url(network)).text
        assert re.search(r'<td class="num">2</td>', html)
        assert "gescoord" in html and "nog niet gescoord" not in html


# --- results ------------------------------------------------------------------------------------


def _results_row(html: str, criterion: Criterion) -> list[str]:
    row = re.search(rf'<th scope="row">{re.escape(criterion.name)}</th>(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


class TestResults:
    def test_no_results_while_the_round_is_open(self, as_user, chair, network, open_round):
        # enough answers for results (5), but the round is still open
        for _ in range(5):
            give_scores(open_round, MembershipFactory(network=network).user, value=5)
        html = as_user(chair).get(detail_url(open_round)).text
        assert 'id="results"' not in html
        assert "<svg" not in html
        assert re.search(r'id="respondent-count">5<', html)

    def test_figures_and_change_against_previous_round(self, as_user, network, member, criteria):
        # given: a previous round where trust scored 2 five times and this one with 1, 3, 5, 4, 2, 5
        previous = SelfAssessmentRoundFactory(
            network=network,
            closed=True,
            opened_on=timezone.localdate() - datetime.timedelta(days=200),
            closes_on=timezone.localdate() - datetime.timedelta(days=170),
        )
        current = SelfAssessmentRoundFactory(network=network, closed=True)
        trust = next(criterion for criterion in criteria if criterion.code == "vertrouwen")
        for _ in range(5):
            give_scores(previous, MembershipFactory(network=network).user, value=2)
        for value in (1, 3, 5, 4, 2, 5):
            give_scores(current, MembershipFactory(network=network).user, value=value)
        # when
        html = as_user(member).get(detail_url(current)).text
        # then: n, median, min–max, Q1–Q3, previous, delta. Sorted 1, 2, 3, 4, 5, 5: median
        # (3 + 4) / 2 = 3.5; quartile positions 5·0.25 = 1.25 → 2 + 0.25·(3 − 2) = 2.25 and
        # 5·0.75 = 3.75 → 4 + 0.75·(5 − 4) = 4.75; delta 3.5 − 2 = +1.5
        assert _results_row(html, trust) == [
            "6",
            "3,5",
            "2,25–4,75",
            "2",
            "▲ +1,5",
        ]  # no min–max: extremes are single people
        assert "Vergeleken met de vorige ronde: " + previous.title in html
        assert "<svg" in html and "Resultaten van Zelfevaluatie" in html

    def test_first_round_has_no_comparison(self, as_user, network, member, criteria, closed_round):
        for value in (2, 2, 3, 2, 3, 2):
            give_scores(closed_round, MembershipFactory(network=network).user, value=value)
        html = as_user(member).get(detail_url(closed_round)).text
        # sorted 2, 2, 2, 2, 3, 3: median (2 + 2) / 2 = 2; quartile positions 1.25 → 2 + 0.25·(2 − 2) = 2
        # and 3.75 → 2 + 0.75·(3 − 2) = 2.75
        assert _results_row(html, criteria[0]) == ["6", "2", "2–2,75", "–", "–"]
        assert "Er is geen eerdere ronde om mee te vergelijken." in html

    def test_too_few_respondents_hide_the_figures(self, as_user, network, chair, closed_round, criteria):
        # four answers, one short of the rule
        for value in (1, 5, 2, 4):
            give_scores(closed_round, MembershipFactory(network=network).user, value=value)
        html = as_user(chair).get(detail_url(closed_round)).text
        for criterion in criteria:
            assert _results_row(html, criterion) == ["4", "te weinig antwoorden"]
        assert html.count("<circle") == 1  # only the legend's dot in the chart

    def test_later_round_is_not_the_previous_one(self, as_user, network, member, criteria, closed_round):
        later = SelfAssessmentRoundFactory(network=network, closed=True, opened_on=timezone.localdate())
        for _ in range(5):
            give_scores(later, MembershipFactory(network=network).user, value=5)
        html = as_user(member).get(detail_url(closed_round)).text
        assert "Er is geen eerdere ronde om mee te vergelijken." in html


# --- privacy ------------------------------------------------------------------------------------


SECRET = "GEHEIM-VAN-A"


def _secret_comment(criterion):
    return f"{SECRET} over {criterion.code}: de voorzitter luistert niet"


def _a_values(criterion):
    return 1 if criterion.position % 2 else 5


def every_page(client, network, assessment_round, criteria):
    """Every assessment page and partial, GET and the re-rendering POSTs, as ``client``."""
    bad = form_data(criteria, value="0", comment="poging")
    return {
        "list": client.get(list_url(network)),
        "list partial": client.get(list_url(network), headers=HTMX),
        "open form": client.get(open_url(network)),
        "open form partial": client.post(open_url(network), {"title": ""}, headers=HTMX),
        "detail": client.get(detail_url(assessment_round)),
        "detail partial": client.get(detail_url(assessment_round), headers=HTMX),
        "bad score": client.post(score_url(assessment_round), bad),
        "bad score partial": client.post(score_url(assessment_round), bad, headers=HTMX),
        "partner load": client.get(reverse("networks:partner-load", args=[network.pk])),
        "partner load partial": client.get(reverse("networks:partner-load", args=[network.pk]), headers=HTMX),
    }


class TestPrivacy:
    """Member A scores with distinctive values and comments. Nobody else may ever see them."""

    def assert_nothing_of_a(self, pages, a_user, viewer_values=None):
        for name, response in pages.items():
            assert response.status_code < 500, name
            html = response.content.decode()
            assert SECRET not in html, name
            if name.startswith("partner load"):
                continue  # A's name is listed there by design (A has a role); it shows no scores
            assert a_user.last_name not in html, name
            assert a_user.username not in html, name
            # A read-only "your scores" table only ever holds the viewer's own values.
            values = {value for _code, value in own_scores(html)}
            assert values <= ({str(viewer_values)} if viewer_values else set()), name

    @pytest.fixture
    def a(self, member) -> Persona:
        # A name no factory will hand out, so "never on the page" is a meaningful check.
        member.user.username, member.user.first_name, member.user.last_name = "lid-a", "Annemie", "Zwijgzaam"
        member.user.save()
        return member

    def test_open_round(self, as_user, network, a, other_member, chair, regional_staff, open_round, criteria):
        give_scores(open_round, a.user, value=_a_values, comment=_secret_comment)
        # B has not scored yet
        self.assert_nothing_of_a(every_page(as_user(other_member), network, open_round, criteria), a.user)
        # B scores (2 everywhere) and sees only their own answers
        give_scores(open_round, other_member.user, value=2, comment="OPMERKING-VAN-B")
        pages = every_page(as_user(other_member), network, open_round, criteria)
        self.assert_nothing_of_a(pages, a.user, viewer_values=2)
        assert len(own_scores(pages["detail"].text)) == 14
        for persona in (chair, regional_staff):
            pages = every_page(as_user(persona), network, open_round, criteria)
            self.assert_nothing_of_a(pages, a.user)
            assert 'id="results"' not in pages["detail"].text

    def test_closed_round_with_too_few_answers(
        self, as_user, network, a, other_member, chair, regional_staff, closed_round, criteria
    ):
        give_scores(closed_round, a.user, value=_a_values, comment=_secret_comment)
        give_scores(closed_round, other_member.user, value=2, comment="OPMERKING-VAN-B")
        for _ in range(2):
            give_scores(
                closed_round, MembershipFactory(network=network).user, value=3, comment="OPMERKING-VAN-C"
            )
        for persona, own in ((other_member, 2), (chair, None), (regional_staff, None)):
            pages = every_page(as_user(persona), network, closed_round, criteria)
            self.assert_nothing_of_a(pages, a.user, viewer_values=own)
            detail = pages["detail"].text
            assert "OPMERKING-VAN-C" not in detail
            # four answers, one short of the rule: no figure may show, so A's 1s and 5s cannot be
            # read back from the results
            results = detail[detail.index('id="results"') :]
            assert results.count("te weinig antwoorden") >= 14
            assert not re.search(r"<strong>\d", results)
            assert results.count("<circle") == 1  # the legend only

    def test_closed_round_with_enough_answers(
        self, as_user, network, a, other_member, chair, regional_staff, closed_round, criteria
    ):
        give_scores(closed_round, a.user, value=_a_values, comment=_secret_comment)
        give_scores(closed_round, other_member.user, value=2, comment="OPMERKING-VAN-B")
        give_scores(closed_round, chair.user, value=4, comment="OPMERKING-VAN-VOORZITTER")
        for _ in range(2):
            give_scores(
                closed_round, MembershipFactory(network=network).user, value=3, comment="OPMERKING-VAN-C"
            )
        for persona, own in ((other_member, 2), (chair, 4), (regional_staff, None)):
            pages = every_page(as_user(persona), network, closed_round, criteria)
            # Aggregates over five or more answers are the point of the page; what must never
            # show is an answer tied to a person, or anyone's comment but your own.
            self.assert_nothing_of_a(pages, a.user, viewer_values=own)
            detail = pages["detail"].text
            assert "OPMERKING-VAN-B" not in detail or persona is other_member
            assert "OPMERKING-VAN-VOORZITTER" not in detail or persona is chair
            assert "OPMERKING-VAN-C" not in detail
            # the figures really are shown here (five answers), so the checks above bite
            for criterion in criteria:
                assert _results_row(detail, criterion)[0] == "5"
                assert _results_row(detail, criterion)[1] != "te weinig antwoorden"
        # A sees their own answers back, and nobody else's comments
        html = as_user(a).get(detail_url(closed_round)).text
        assert SECRET in html
        assert (
            "OPMERKING-VAN-B" not in html
            and "OPMERKING-VAN-VOORZITTER" not in html
            and "OPMERKING-VAN-C" not in html
        )


# --- query counts -------------------------------------------------------------------------------


class TestQueryCounts:
    @pytest.mark.parametrize("respondents", [2, 15])
    def test_open_round_with_score_form(
        self, as_user, network, member, open_round, respondents, django_assert_num_queries
    ):
        for _ in range(respondents):
            give_scores(open_round, MembershipFactory(network=network).user, value=3, comment="x")
        client = as_user(member)
        # session, user, round (visible + manage flag), criteria, my scores, respondent count,
        # may score, may close (chair here? staff of the region?), session save (savepoint,
        # update, release)
        with django_assert_num_queries(12):
            response = client.get(detail_url(open_round))
        assert 'id="score-form"' in response.text

    @pytest.mark.parametrize("respondents", [5, 15])
    def test_closed_round_with_results(
        self, as_user, network, member, criteria, respondents, django_assert_num_queries
    ):
        previous = SelfAssessmentRoundFactory(
            network=network,
            closed=True,
            opened_on=timezone.localdate() - datetime.timedelta(days=200),
            closes_on=timezone.localdate() - datetime.timedelta(days=170),
        )
        current = SelfAssessmentRoundFactory(network=network, closed=True)
        give_scores(current, member.user, value=4)
        for _ in range(respondents):
            give_scores(previous, MembershipFactory(network=network).user, value=2)
            give_scores(current, MembershipFactory(network=network).user, value=3)
        client = as_user(member)
        # session, user, round (visible + manage flag), criteria, my scores, respondent count,
        # previous round, score values of both rounds, session save (savepoint, update, release)
        with django_assert_num_queries(11):
            response = client.get(detail_url(current))
        assert 'id="results"' in response.text
        assert "te weinig antwoorden" not in response.text  # both rounds have enough answers
        assert len(own_scores(response.text)) == 14

    @pytest.mark.parametrize("rounds", [1, 8])
    def test_list(self, as_user, network, member, rounds, django_assert_num_queries):
        for index in range(rounds):
            old = SelfAssessmentRoundFactory(network=network, closed=True)
            give_scores(old, MembershipFactory(network=network).user)
            if index == 0:
                give_scores(old, member.user)
        client = as_user(member)
        # session, user, network (visible + manage flag), rounds with respondent count and "I scored",
        # may open (chair here? staff of the region?), session save (savepoint, update, release)
        with django_assert_num_queries(9):
            response = client.get(list_url(network))
        assert response.text.count('<span class="badge status-ended">') == rounds
