from django import forms

from networks.models import CarouselSettings


class CarouselSettingsForm(forms.ModelForm):
    class Meta:
        model = CarouselSettings
        fields = ["min_providers", "min_handoffs"]
        error_messages = {
            "min_providers": {
                "required": "Vul het minimum aantal aanbieders in.",
                "invalid": "Vul een getal in.",
            },
            "min_handoffs": {
                "required": "Vul het minimum aantal overdrachten in.",
                "invalid": "Vul een getal in.",
            },
        }
