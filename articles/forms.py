"""Forms of the newsroom pages: they only parse what the browser sent; the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from .models import (
    NOTE_MAX_LENGTH,
    ChecklistStatus,
    ItemKind,
    ItemState,
    ItemTier,
    NotificationChannel,
    NotificationEvent,
    notification_pairs,
)
from .selectors import article_editors, assignable_users
from .validators import refuse_control_characters


class ItemVersionForm(forms.Form):
    """Every change to an item carries the version the page showed (optimistic locking)."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class StateForm(ItemVersionForm):
    """A change to an item from its card: a new ``state``, a new ``tier`` (editors), or both.

    The note says why: required for a verdict other than verified and for every tier move
    (the service decides and says so).
    """

    state = forms.ChoiceField(choices=[("", ""), *ItemState.choices], required=False)
    tier = forms.ChoiceField(choices=[("", ""), *ItemTier.choices], required=False)
    note = forms.CharField(
        required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_control_characters],
    )
    source = forms.CharField(required=False, max_length=1000, validators=[refuse_control_characters])

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("state") and not cleaned.get("tier"):
            raise forms.ValidationError("Choose a verdict, or where the item belongs.")
        return cleaned


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note", max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_control_characters],
    )
    source = forms.CharField(required=False, max_length=1000, validators=[refuse_control_characters])


class AssignForm(ItemVersionForm):
    """``assignee`` is "me", a user id, or empty to unassign."""

    assignee = forms.CharField(required=False, validators=[refuse_control_characters])
    due_at = forms.DateTimeField(required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_assignee(self):
        raw = (self.cleaned_data.get("assignee") or "").strip()
        if raw == "":
            return None
        if raw == "me":
            return self.user
        try:
            return get_user_model().objects.get(pk=int(raw))
        except (ValueError, get_user_model().DoesNotExist):
            raise forms.ValidationError("Choose a person from the list.") from None


class AssignKindForm(forms.Form):
    """Assign every open item of one kind in an article to one person."""

    kind = forms.ChoiceField(choices=ItemKind.choices)
    assignee = forms.ModelChoiceField(queryset=None, label="To", empty_label="Choose a person…")
    due_at = forms.DateTimeField(
        required=False, label="Due", input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users()


class ManualItemForm(forms.Form):
    """A claim the engine missed: the exact words, and where they are when the page knows it."""

    text = forms.CharField(
        label="Exact words from the article", max_length=5000, strip=False, validators=[refuse_control_characters],
        error_messages={"required": "Select the words in the text, or type them exactly as they appear."},
    )
    # No kind is preset: the person adding the item says what sort of claim it is.
    kind = forms.ChoiceField(
        choices=[("", "Choose a kind…"), *ItemKind.choices],
        error_messages={
            "required": "Choose a kind: say what sort of claim this is (a quote, a number, a date…).",
            "invalid_choice": "Choose a kind from the list.",
        },
    )
    guidance = forms.CharField(
        label="What to check", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_control_characters],
    )
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, body: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body

    def clean(self):
        cleaned = super().clean()
        text, start, end = cleaned.get("text"), cleaned.get("start"), cleaned.get("end")
        if not text:
            return cleaned
        # Browsers send the line breaks of a text area as CR LF; the body may use LF.
        if "\r\n" not in self.body:
            text = text.replace("\r\n", "\n")
            cleaned["text"] = text
        if start is not None and end is not None:
            if self.body[start:end] != text:
                raise forms.ValidationError(
                    "The selected words do not match the article at that place; select them again."
                )
            return cleaned
        # Without offsets (no JavaScript), find the words in the article.
        words = text.strip()
        position = self.body.find(words) if words else -1
        if position < 0:
            raise forms.ValidationError("These words are not in the article; copy them exactly.")
        cleaned["start"], cleaned["end"] = position, position + len(words)
        return cleaned


READINESS_CHOICES = [
    ("", "Any"),
    ("ready", "Ready to publish"),
    ("blocked", "Has incorrect items"),
    ("not_ready", "Not ready"),
]


class QueueFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200, validators=[refuse_control_characters])
    readiness = forms.ChoiceField(label="Readiness", choices=READINESS_CHOICES, required=False)
    status = forms.ChoiceField(
        label="Checklist", choices=[("", "Any"), *ChecklistStatus.choices], required=False
    )
    source = forms.ChoiceField(label="Source", choices=[("", "Any")], required=False)

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "Any"), *[(source, source) for source in sources]]


class SourceForm(forms.Form):
    """A source document for an article: pasted text, a web address, or a file."""

    title = forms.CharField(label="Title", max_length=300, validators=[refuse_control_characters])
    text = forms.CharField(
        label="Paste the text", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 4}),
        validators=[refuse_control_characters],
    )
    url = forms.URLField(label="or a web address", required=False, max_length=1000, assume_scheme="https")
    file = forms.FileField(label="or a file (text, HTML, PDF, DOCX)", required=False)

    def clean(self):
        data = super().clean()
        given = [name for name in ("text", "url", "file") if data.get(name)]
        if len(given) != 1:
            raise forms.ValidationError("Give the source as one of: pasted text, a web address or a file.")
        return data


class NotificationSettingsForm(forms.Form):
    """One checkbox per channel and event (``email:assigned``...), and the chat address."""

    chat_webhook_url = forms.URLField(
        label="Chat webhook address", required=False, max_length=1000, assume_scheme="https",
        help_text="A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat…). Leave empty for no chat.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for channel, event in notification_pairs():
            self.fields[f"{channel}:{event}"] = forms.BooleanField(required=False)

    @classmethod
    def initial_for(cls, preferences) -> dict:
        return {
            "chat_webhook_url": preferences.chat_webhook_url,
            **{f"{channel}:{event}": preferences.wants(channel, event) for channel, event in notification_pairs()},
        }

    def switches(self) -> dict[tuple[str, str], bool]:
        """Every (channel, event) pair, on or off: a box left unticked is off."""
        return {(channel, event): self.cleaned_data[f"{channel}:{event}"] for channel, event in notification_pairs()}

    def grid(self) -> list[tuple[str, list]]:
        """Rows of the table: each event with its checkbox on every channel."""
        return [
            (label, [(channel_label, self[f"{channel}:{event}"]) for channel, channel_label in NotificationChannel.choices])
            for event, label in NotificationEvent.choices
        ]


class ArticleEditorForm(forms.Form):
    editor = forms.ModelChoiceField(queryset=None, required=False, empty_label="No editor")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["editor"].queryset = article_editors()
