import zoneinfo

from django import forms
from django.conf import settings

from .models import Frequency

HOUR_CHOICES = [("", "Default")] + [(hour, f"{hour:02d}:00") for hour in range(24)]


def hour_choices():
    """The delivery hours as offered: the default first, labelled with the hour it means."""
    return [("", f"Default ({settings.NEWSLETTER_DEFAULT_HOUR:02d}:00)")] + HOUR_CHOICES[1:]


class SignupForm(forms.Form):
    """A newsletter sign-up: the address, and when and how often to write to it."""

    email = forms.EmailField(max_length=254, label="Email address")
    frequency = forms.ChoiceField(
        choices=Frequency.choices, initial=Frequency.DAILY, widget=forms.RadioSelect,
        label="How often",
    )
    delivery_hour = forms.TypedChoiceField(
        choices=HOUR_CHOICES, coerce=int, empty_value=None, required=False,
        label="Delivery hour",
    )
    time_zone = forms.CharField(
        max_length=64, required=False, label="Time zone",
        widget=forms.TextInput(attrs={"placeholder": "e.g. Europe/Paris",
                                      "list": "newsletter-time-zones"}),
    )
    # Left empty by people (it is hidden from them); bots that fill every field give
    # themselves away and are quietly turned down.
    website = forms.CharField(required=False, label="Leave this field empty")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_hour"].choices = hour_choices()
        self.fields["time_zone"].help_text = f"Default: {settings.TIME_ZONE}."

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"].strip()
        if not name:
            return settings.TIME_ZONE
        zones = {zone.lower(): zone for zone in zoneinfo.available_timezones()}
        if name.lower() not in zones:
            raise forms.ValidationError(
                f"“{name}” is not a time zone we know. Use a name such as Europe/Paris or "
                "America/New_York."
            )
        return zones[name.lower()]

    def clean_delivery_hour(self):
        hour = self.cleaned_data["delivery_hour"]
        return settings.NEWSLETTER_DEFAULT_HOUR if hour is None else hour

    @property
    def is_bot(self):
        """True when the hidden field was filled in."""
        return bool(self.cleaned_data.get("website"))
