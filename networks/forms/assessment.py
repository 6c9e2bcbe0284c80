import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ijh.models import User

from ..models import Criterion, Network, Score, SelfAssessmentRound
from .structure import DateInput

SCORE_CHOICES = [(value, str(value)) for value in range(1, 6)]
DEFAULT_ROUND_DAYS = 30


class RoundForm(forms.ModelForm):
    """Opens a round: a title and the day it closes (it opens today)."""

    class Meta:
        model = SelfAssessmentRound
        fields = ["title", "closes_on"]
        widgets = {"closes_on": DateInput()}
        error_messages = {
            "title": {"required": _("Geef de ronde een titel.")},
            "closes_on": {
                "required": _("Kies de dag waarop de ronde sluit."),
                "invalid": _("Geef een geldige datum."),
            },
        }
        help_texts = {"closes_on": _("Tot en met deze dag kunnen de leden scoren.")}

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        today = timezone.localdate()
        self.fields["title"].initial = _("Zelfevaluatie %(year)s") % {"year": today.year}
        self.fields["closes_on"].initial = today + datetime.timedelta(days=DEFAULT_ROUND_DAYS)

    def clean_closes_on(self) -> datetime.date:
        closes_on = self.cleaned_data["closes_on"]
        if closes_on < timezone.localdate():
            raise ValidationError(_("De sluitingsdatum ligt in het verleden."))
        return closes_on

    def clean(self):
        cleaned_data = super().clean()
        # One round at a time: results compare a round with the one before it.
        running = SelfAssessmentRound.objects.filter(
            network=self.instance.network, closed_at__isnull=True, closes_on__gte=timezone.localdate()
        )
        if running.exists():
            raise ValidationError(
                _("Er loopt al een ronde in dit netwerk. Sluit die eerst voor je een nieuwe opent.")
            )
        return cleaned_data


@dataclass
class ScoreRow:
    criterion: Criterion
    score: forms.BoundField
    comment: forms.BoundField


class ScoreForm(forms.Form):
    """One radio group (1–5) and an optional comment per criterion.

    The round-level rules (round still open, one vote per member) are checked here so the member
    gets one clear message; services.submit_scores checks them again inside its transaction.
    """

    def __init__(
        self,
        *args,
        criteria: Sequence[Criterion],
        assessment_round: SelfAssessmentRound,
        respondent: User,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.assessment_round = assessment_round
        self.respondent = respondent
        self.blocked = False  # set when the round refuses any vote; the template then hides the inputs
        for criterion in self.criteria:
            self.fields[self.score_name(criterion)] = forms.TypedChoiceField(
                label=criterion.name,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Geef een score voor dit criterium."),
                    "invalid_choice": _("Kies een score van 1 tot 5."),
                },
            )
            self.fields[self.comment_name(criterion)] = forms.CharField(
                label=_("Opmerking bij %(criterion)s") % {"criterion": criterion.name},
                required=False,
                max_length=500,
                error_messages={"max_length": _("Een opmerking is hoogstens 500 tekens lang.")},
            )

    @staticmethod
    def score_name(criterion: Criterion) -> str:
        return f"score-{criterion.pk}"

    @staticmethod
    def comment_name(criterion: Criterion) -> str:
        return f"comment-{criterion.pk}"

    def rows(self) -> Iterator[ScoreRow]:
        for criterion in self.criteria:
            yield ScoreRow(criterion, self[self.score_name(criterion)], self[self.comment_name(criterion)])

    def clean(self):
        cleaned_data = super().clean()
        if not self.assessment_round.is_open:
            self.blocked = True
            raise ValidationError(_("Deze ronde is gesloten: er kan niet meer gescoord worden."))
        if Score.objects.filter(round=self.assessment_round, respondent=self.respondent).exists():
            self.blocked = True
            raise ValidationError(_("Je hebt in deze ronde al gescoord."))
        return cleaned_data

    def scores(self) -> dict[int, tuple[int, str]]:
        """criterion id → (value, comment), the shape services.submit_scores takes."""
        return {
            criterion.pk: (
                self.cleaned_data[self.score_name(criterion)],
                self.cleaned_data[self.comment_name(criterion)].strip(),
            )
            for criterion in self.criteria
        }
