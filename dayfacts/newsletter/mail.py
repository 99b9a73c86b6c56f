"""The messages the newsletter sends: built once per edition, finished per subscriber."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string
from django.urls import reverse

from .editions import UNSUBSCRIBE_URL, absolute
from .tokens import confirm_token, unsubscribe_signer, unsubscribe_token

# Stand-ins in the prebuilt message, each replaced per subscriber. They are plain ASCII
# with no spaces, so neither header folding nor 8-bit bodies split them.
TO_PLACEHOLDER = "recipient@placeholder.invalid"
MESSAGE_ID_PLACEHOLDER = "<message-id@placeholder.invalid>"


def unsubscribe_url(subscriber):
    """The subscriber's one-click unsubscribe address (RFC 8058)."""
    path = reverse("newsletter:unsubscribe", kwargs={"token": unsubscribe_token(subscriber)})
    return absolute(path)


def message_domain():
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


class PreparedMessage:
    """A finished message (bytes, CRLF line ends) that Django's email backends send."""

    encoding = None

    def __init__(self, from_email, to, data):
        self.from_email = from_email
        self.to = [to]
        self.data = data

    def recipients(self):
        return self.to

    def message(self):
        return self

    def as_bytes(self, linesep="\n", **kwargs):
        # Kept with CRLF line ends, as SMTP sends it; files get the local "\n".
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())


class EditionMail:
    """An edition's message, prebuilt once and personalised by its unsubscribe link."""

    def __init__(self, edition):
        self.edition = edition
        self.from_email = settings.DEFAULT_FROM_EMAIL
        # Worked out once, not per message: at a million messages the microseconds count.
        self.signer = unsubscribe_signer()
        self.url_pattern = absolute(reverse("newsletter:unsubscribe", kwargs={"token": "TOKEN"}))
        self.domain = message_domain()
        self.envelope_from = sanitize_address(self.from_email, settings.DEFAULT_CHARSET)
        template = self.build(TO_PLACEHOLDER, UNSUBSCRIBE_URL, MESSAGE_ID_PLACEHOLDER)
        expected = 1 + edition.text.count(UNSUBSCRIBE_URL) + edition.html.count(UNSUBSCRIBE_URL)
        # Long lines make Django quote-print a part, which may wrap a stand-in: such an
        # edition is built whole for each subscriber instead (slower, same result).
        self.template = (
            template if template.count(UNSUBSCRIBE_URL.encode()) == expected else None
        )

    def build(self, to, url, message_id):
        message = EmailMultiAlternatives(
            self.edition.subject, self.edition.text.replace(UNSUBSCRIBE_URL, url),
            self.from_email, [to],
            headers={
                "List-Unsubscribe": f"<{url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Message-ID": message_id,
            },
        )
        message.attach_alternative(self.edition.html.replace(UNSUBSCRIBE_URL, url), "text/html")
        return message.message().as_bytes(linesep="\r\n")

    def for_address(self, email, url, message_id):
        """The edition as sent to `email`, with `url` as its unsubscribe link."""
        if self.template is None:
            data = self.build(email, url, message_id)
        else:
            data = (
                self.template.replace(TO_PLACEHOLDER.encode(), email.encode())
                .replace(UNSUBSCRIBE_URL.encode(), url.encode())
                .replace(MESSAGE_ID_PLACEHOLDER.encode(), message_id.encode())
            )
        return PreparedMessage(self.from_email, email, data)

    def for_subscriber(self, subscriber):
        """The edition as sent to one subscriber."""
        # One Message-ID per (edition, subscriber): a copy sent twice after a crash carries
        # the same id, so mail programs can tell it is the same message.
        message_id = f"<edition-{self.edition.pk}-{subscriber.pk}@{self.domain}>"
        url = self.url_pattern.replace("TOKEN", self.signer.sign(subscriber.key))
        return self.for_address(subscriber.email, url, message_id)


def confirmation_message(subscriber):
    """The double opt-in email: a confirmation link, and no List-Unsubscribe header."""
    url = absolute(reverse("newsletter:confirm", kwargs={"token": confirm_token(subscriber)}))
    hours = settings.NEWSLETTER_CONFIRM_MAX_AGE // 3600
    context = {"subscriber": subscriber, "confirm_url": url, "hours": hours,
               "SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
    message = EmailMultiAlternatives(
        f"Confirm your subscription to {settings.SITE_NAME}",
        render_to_string("newsletter/email/confirm.txt", context),
        settings.DEFAULT_FROM_EMAIL, [subscriber.email],
    )
    message.attach_alternative(render_to_string("newsletter/email/confirm.html", context),
                               "text/html")
    return message
