"""The comment form: what a reader types, checked the same way for every path that posts."""

import time

from django import forms
from django.core import signing

from dayfacts.facts.models import validate_web_url

from .models import Comment, CommentSettings

REQUIRED = "Please fill out this field."
ISSUED_SALT = "dayfacts.comments.issued"


def too_long(what, limit):
    """The message for a field over its limit, naming the limit and the length typed."""
    return (f"Please keep the {what} to {limit:,} characters or fewer "
            "(it has %(show_value)s).")


def issue_token():
    """Sign the time the form is shown, for the minimum time-to-fill check."""
    return signing.dumps(time.time(), salt=ISSUED_SALT)


def seconds_since(token):
    """Seconds since a token from `issue_token` was made; 0 when it is missing or forged."""
    try:
        return max(0.0, time.time() - float(signing.loads(token, salt=ISSUED_SALT)))
    except (signing.BadSignature, TypeError, ValueError):
        return 0.0


class CommentForm(forms.Form):
    """A comment on `fact`. `browser=False` (the API) skips the honeypot and the fill time."""

    name = forms.CharField(
        max_length=Comment.NAME_MAX,
        error_messages={"required": REQUIRED, "max_length": too_long("name", Comment.NAME_MAX)},
    )
    email = forms.EmailField(
        max_length=Comment.EMAIL_MAX,
        error_messages={
            "required": REQUIRED,
            "invalid": "Please enter a valid email address.",
            "max_length": too_long("email address", Comment.EMAIL_MAX),
        },
    )
    url = forms.URLField(
        label="Website", required=False, max_length=Comment.URL_MAX, assume_scheme="https",
        validators=[validate_web_url],
        error_messages={
            "invalid": "Please enter a valid web address, such as https://example.org.",
            "max_length": too_long("web address", Comment.URL_MAX),
        },
    )
    text = forms.CharField(
        label="Comment", max_length=Comment.TEXT_MAX, widget=forms.Textarea,
        error_messages={"required": REQUIRED, "max_length": too_long("comment", Comment.TEXT_MAX)},
    )
    consent = forms.BooleanField(
        error_messages={"required": "You need to agree with the terms to proceed."},
    )
    remember = forms.BooleanField(
        required=False, label="Save my name, email, and website in this browser for next time.",
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # People never see this field (site.css hides it); scripts that fill every field do.
    nickname = forms.CharField(required=False, label="Leave this field empty")
    issued = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, fact, *args, browser=True, **kwargs):
        kwargs.setdefault("auto_id", "comment-%s")
        super().__init__(*args, **kwargs)
        self.fact = fact
        self.browser = browser
        for field in self.fields.values():
            # No maxlength in the page: a browser would cut pasted text short without a word;
            # the server says plainly what is too long instead.
            field.widget.attrs.pop("maxlength", None)

    def fresh_token(self):
        """A new time-to-fill token: a form shown again starts the clock again."""
        return issue_token()

    def clean_parent(self):
        """Replies go to a published comment on the same fact, no deeper than the setting."""
        pk = self.cleaned_data.get("parent")
        if not pk:
            return None
        parent = Comment.objects.approved().for_fact(self.fact).filter(pk=pk).first()
        if parent is None:
            raise forms.ValidationError(
                "The comment you are replying to is not here any more. "
                "Your text is kept below; post it as a new comment."
            )
        if parent.depth >= CommentSettings.load().max_depth:
            raise forms.ValidationError(
                "Replies cannot nest deeper here; reply to an earlier comment in the thread."
            )
        return parent

    @property
    def seconds_to_fill(self):
        return seconds_since(self.data.get("issued", ""))

    @property
    def caught_by_honeypot(self):
        return bool(self.cleaned_data.get("nickname"))
