"""Readers' comments on facts, the site owner's moderation settings and the comment terms."""

from django.core.cache import cache
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.functional import cached_property

from dayfacts.facts.markup import render_markdown
from dayfacts.facts.models import Fact, validate_web_url


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Awaiting moderation"
    APPROVED = "approved", "Approved"
    SPAM = "spam", "Spam"


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """Comments every reader sees."""
        return self.filter(status=CommentStatus.APPROVED)

    def in_moderation(self):
        """Comments waiting for an editor: the moderation queue."""
        return self.filter(status=CommentStatus.PENDING)

    def spam(self):
        """Comments an editor, a rule or Akismet took for spam."""
        return self.filter(status=CommentStatus.SPAM)

    def for_fact(self, fact):
        """Comments on one fact."""
        return self.filter(fact=fact)

    def visible_to(self, held_ids):
        """Approved comments, plus the held ones whose ids the reader's own cookie lists."""
        if not held_ids:
            return self.approved()
        return self.filter(Q(status=CommentStatus.APPROVED) | Q(pk__in=held_ids))

    def top_level(self):
        """Comments on the fact itself, not replies."""
        return self.filter(parent__isnull=True)

    def oldest_first(self):
        """The order of a discussion."""
        return self.order_by("created", "pk")

    def newest_first(self):
        """The order of the feeds."""
        return self.order_by("-created", "-pk")

    def by_email(self, email):
        """Comments from an email address (stored lower-cased, so the index serves it)."""
        return self.filter(email=email.strip().lower())

    def counts_by_fact(self, facts):
        """A {fact id: count} map for many facts in one query (facts without any are absent)."""
        rows = (self.filter(fact__in=facts).order_by().values_list("fact_id")
                .annotate(n=Count("pk")).values_list("fact_id", "n"))
        return dict(rows)


class Comment(models.Model):
    # Limits are WordPress's column sizes, so comments moved from WordPress fit unchanged.
    NAME_MAX = 245
    EMAIL_MAX = 100
    URL_MAX = 200
    TEXT_MAX = 65525

    fact = models.ForeignKey(Fact, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies",
        help_text="The comment this one replies to; empty for a comment on the fact itself.",
    )
    depth = models.PositiveSmallIntegerField(
        default=1, editable=False, help_text="1 for a comment on the fact, 2 for a reply, ..."
    )
    name = models.CharField(max_length=NAME_MAX)
    email = models.EmailField(
        max_length=EMAIL_MAX, help_text="Never shown on the site, in feeds or in the API."
    )
    url = models.URLField(
        "website", max_length=URL_MAX, blank=True, validators=[validate_web_url]
    )
    text = models.TextField(max_length=TEXT_MAX, help_text="Plain text; links are made clickable.")
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING, db_index=True
    )
    ip = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        indexes = [
            models.Index(fields=["fact", "status", "created"], name="comment_fact_status"),
            models.Index(fields=["ip", "created"], name="comment_ip_created"),
            models.Index(fields=["email", "created"], name="comment_email_created"),
        ]

    def __str__(self):
        return f"{self.name} on {self.fact}"

    def save(self, *args, **kwargs):
        # One spelling per address: "Ada@Example.org" is known as the same commenter.
        self.email = self.email.strip().lower()
        if self.parent_id:
            self.depth = self.parent.depth + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the stored status so a change of visibility can be told apart on save.
        instance._stored_status = instance.__dict__.get("status")
        return instance

    @property
    def anchor(self):
        return f"comment-{self.pk}"

    @property
    def is_approved(self):
        return self.status == CommentStatus.APPROVED

    @cached_property
    def initials(self):
        """Up to two letters for the locally drawn avatar."""
        words = [word for word in self.name.split() if word[:1].isalnum()]
        letters = "".join(word[0] for word in words[:2]) or "?"
        return letters.upper()

    @property
    def avatar_tone(self):
        """One of eight avatar colours, stable for a name (see site.css, comments section)."""
        return sum(self.name.encode()) % 8


class CommentSettings(models.Model):
    """The site owner's moderation rules: one row, edited in the admin."""

    moderation_words = models.TextField(
        blank=True,
        help_text="One word, phrase, IP address or email per line. A comment containing any "
        "of them in its name, email, website, text, IP or browser is held for moderation.",
    )
    disallowed_words = models.TextField(
        blank=True,
        help_text="One per line, matched like the moderation words; a match sends the comment "
        "to spam.",
    )
    hold_links = models.PositiveSmallIntegerField(
        default=2, help_text="Hold a comment that contains this many links or more (0: never)."
    )
    max_depth = models.PositiveSmallIntegerField(
        default=5, help_text="How deep replies may nest; 1 turns replies off."
    )
    notify_editors = models.BooleanField(
        default=True, help_text="Email the editors about every comment held for moderation."
    )
    editor_emails = models.TextField(
        blank=True,
        help_text="Where those emails go, one address per line; empty means every active "
        "staff user with an email address.",
    )
    terms_title = models.CharField(max_length=200, default="Comment terms")
    terms_body = models.TextField(
        default="Be kind and stay on topic. Comments are moderated; your email address is "
        "never published. We store your name, email, website, IP address and browser to "
        "fight spam, and delete them with your comment on request.",
        help_text="The terms commenters agree to, in Markdown.",
    )

    CACHE_KEY = "comments:settings"

    class Meta:
        verbose_name = "comment settings"
        verbose_name_plural = "comment settings"

    def __str__(self):
        return "Comment settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    @classmethod
    def load(cls):
        """Return the one settings row, creating it with the defaults the first time."""
        current = cache.get(cls.CACHE_KEY)
        if current is None:
            current, _ = cls.objects.get_or_create(pk=1)
            cache.set(cls.CACHE_KEY, current, 300)
        return current

    @staticmethod
    def _lines(text):
        return [line.strip().lower() for line in text.splitlines() if line.strip()]

    @property
    def moderation_list(self):
        return self._lines(self.moderation_words)

    @property
    def disallowed_list(self):
        return self._lines(self.disallowed_words)

    @property
    def editor_list(self):
        return [line.strip() for line in self.editor_emails.splitlines() if line.strip()]

    @property
    def terms_html(self):
        return render_markdown(self.terms_body)
