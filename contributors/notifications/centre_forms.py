"""The preferences page's form: one delivery and one timing per kind, and the digest's hour and time zone."""

import zoneinfo
from collections import defaultdict

from django import forms

from contributors.notifications.kinds import Delivery, Kind, Timing

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


def time_zone_choices() -> list:
    """Every known zone grouped by region (Europe, America...), UTC first."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name in sorted(zoneinfo.available_timezones()):
        if "/" not in name or name.startswith(("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/")):
            continue
        region, _, place = name.partition("/")
        groups[region].append((name, place.replace("_", " ")))
    return [("UTC", "UTC"), *sorted(groups.items())]


def delivery_field(kind: str) -> str:
    return f"{kind}-delivery"


def timing_field(kind: str) -> str:
    return f"{kind}-timing"


class PreferencesForm(forms.Form):
    digest_hour = forms.TypedChoiceField(label="Send my digest at", choices=HOURS, coerce=int)
    digest_time_zone = forms.ChoiceField(label="Time zone", choices=time_zone_choices)

    def __init__(self, *args, table=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for choice in table:
            label = Kind(choice.kind).label
            delivery = forms.ChoiceField(label=f"How: {label}", choices=Delivery.choices, initial=choice.delivery)
            timing = forms.ChoiceField(label=f"When e-mailed: {label}", choices=Timing.choices, initial=choice.timing)
            self.fields[delivery_field(choice.kind)] = delivery
            self.fields[timing_field(choice.kind)] = timing
            self.rows.append(choice)

    def bound_rows(self):
        """(label, choice, delivery field, timing field) per kind, for the table."""
        return [(Kind(c.kind).label, c, self[delivery_field(c.kind)], self[timing_field(c.kind)]) for c in self.rows]

    def kinds(self) -> dict[str, dict[str, str]]:
        return {
            c.kind: {
                "delivery": self.cleaned_data[delivery_field(c.kind)],
                "timing": self.cleaned_data[timing_field(c.kind)],
            }
            for c in self.rows
        }

    def add_service_errors(self, field_errors: dict[str, list[str]]) -> None:
        """The service names fields "comment.delivery"; the form calls them "comment-delivery"."""
        for name, messages in field_errors.items():
            field = name.replace(".", "-")
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
