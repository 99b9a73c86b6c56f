"""The edition, its headers and links, and the durable outbox, against a real SMTP server."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from dayfacts.newsletter import sending
from dayfacts.newsletter.models import Delivery, DeliveryStatus, Edition, SubscriberStatus
from dayfacts.newsletter.scheduling import tick

from .conftest import links, make_fact, parts, run_worker, subscribe

# Transactional: the worker run inside a test checks its connection as a real one would,
# which a test-wide transaction would not survive on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)
UTC = dt.UTC
MARCH_20_0730 = dt.datetime(2026, 3, 20, 7, 30, tzinfo=UTC)


def test_edition_reaches_each_subscriber_with_one_click_unsubscribe(mail, march_20):
    headline, _ = march_20
    subscribe("ada@example.org")
    subscribe("grace@example.org")
    report = tick(now=MARCH_20_0730)
    assert report.queued == 2 and report.tasks == 1
    run_worker()

    assert sorted(a.rcpt_tos[0] for a in mail.arrivals) == ["ada@example.org",
                                                            "grace@example.org"]
    message = mail.to("ada@example.org")[0]
    assert message["Subject"] == "March 20th: The first day of spring is measured"
    assert message["To"] == "ada@example.org"
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://dayfacts.example/newsletter/unsubscribe/")
    assert unsubscribe.endswith("/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = unsubscribe[1:-1]

    text, html = parts(message)
    for body in (text, html):
        assert "The first day of spring is measured" in body
        assert "A second paragraph, with more detail." in body
        assert "Event number 7" in body and "Event number 3" in body
        assert "Event number 2" not in body  # a few more events, the most notable
        assert "A poet is born" in body and "A physicist dies" in body
        assert "World Storytelling Day" in body
        assert url in links(body)
        assert f"https://dayfacts.example{headline.get_absolute_url()}" in links(body)
        assert "https://dayfacts.example/march/20/" in links(body)

    # The links work on the site.
    client = Client()
    assert client.get(headline.get_absolute_url()).status_code == 200
    assert client.get(url.removeprefix("https://dayfacts.example")).status_code == 200

    # The other subscriber's copy differs only in who it is for.
    other = mail.to("grace@example.org")[0]
    assert other["List-Unsubscribe"] != unsubscribe
    assert parts(other)[1].replace(other["List-Unsubscribe"][1:-1], url) == html
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 2
    sent_at = Delivery.objects.first().sent_at
    assert abs(sent_at - timezone.now()) < dt.timedelta(minutes=1)
    assert Edition.objects.get().html.count("%%UNSUBSCRIBE_URL%%") == 1


def test_one_click_post_unsubscribes_without_cookie_or_csrf(mail, march_20):
    subscriber = subscribe("ada@example.org")
    tick(now=MARCH_20_0730)
    run_worker()
    path = mail.to("ada@example.org")[0]["List-Unsubscribe"][1:-1].removeprefix(
        "https://dayfacts.example")
    client = Client(enforce_csrf_checks=True)

    # A GET (a link prefetcher) only shows the button.
    page = client.get(path)
    assert page.status_code == 200 and b"<button" in page.content
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE

    response = client.post(path, "List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED

    # Nothing more goes out to them.
    mail.arrivals.clear()
    assert tick(now=MARCH_20_0730 + dt.timedelta(days=1)).queued == 0
    run_worker()
    assert mail.arrivals == []


def test_unsubscribe_cancels_what_is_queued(mail, march_20):
    subscriber = subscribe("ada@example.org")
    tick(now=MARCH_20_0730, enqueue=False)
    Client().post(f"/newsletter/unsubscribe/{_token(subscriber)}/",
                  "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert sending.send_due().sent == 0
    assert Delivery.objects.get().status == DeliveryStatus.CANCELLED
    assert mail.arrivals == []


def _token(subscriber):
    from dayfacts.newsletter.tokens import unsubscribe_token

    return unsubscribe_token(subscriber)


def test_bad_unsubscribe_token_is_404():
    assert Client().get("/newsletter/unsubscribe/not-a-token/").status_code == 404
    assert Client().post("/newsletter/unsubscribe/abc:def/").status_code == 404


def test_delivery_hour_is_read_in_the_subscribers_time_zone(mail, march_20):
    make_fact(3, 19, "Something on the 19th", featured=True)
    subscribe("tokyo@example.org", hour=7, tz="Asia/Tokyo")
    subscribe("newyork@example.org", hour=20, tz="America/New_York")
    subscribe("late@example.org", hour=9, tz="Asia/Tokyo")

    # 22:30 UTC on the 19th is 07:30 on the 20th in Tokyo and 18:30 on the 19th in New York.
    tick(now=dt.datetime(2026, 3, 19, 22, 30, tzinfo=UTC))
    run_worker()
    assert [a.rcpt_tos for a in mail.arrivals] == [["tokyo@example.org"]]
    assert mail.arrivals[0].message["Subject"].startswith("March 20th")

    # Two hours later New York reaches 20:30 on the 19th, Tokyo 09:30 on the 20th.
    tick(now=dt.datetime(2026, 3, 20, 0, 30, tzinfo=UTC))
    run_worker()
    subjects = {a.rcpt_tos[0]: a.message["Subject"] for a in mail.arrivals}
    assert subjects["newyork@example.org"] == "March 19th: Something on the 19th"
    assert subjects["late@example.org"].startswith("March 20th")
    assert len(mail.arrivals) == 3
    # One edition per day, however many time zones read it.
    assert sorted(str(e.date) for e in Edition.objects.all()) == ["2026-03-19", "2026-03-20"]


def test_ticking_again_queues_nobody_twice(mail, march_20):
    for n in range(5):
        subscribe(f"reader{n}@example.org")
    assert tick(now=MARCH_20_0730).queued == 5
    assert tick(now=MARCH_20_0730 + dt.timedelta(minutes=5)).queued == 0
    run_worker()
    tick(now=MARCH_20_0730 + dt.timedelta(hours=3))
    run_worker()
    assert len(mail.arrivals) == 5
    assert Edition.objects.count() == 1


def test_pending_subscribers_get_no_edition(mail, march_20):
    pending = subscribe("waiting@example.org")
    pending.status = SubscriberStatus.PENDING
    pending.save()
    assert tick(now=MARCH_20_0730).queued == 0
    run_worker()
    assert mail.arrivals == []


def test_weekly_digest_collects_the_weeks_featured_facts(mail, march_20):
    make_fact(3, 23, "Monday's featured fact", featured=True)
    make_fact(3, 25, "Wednesday's featured fact", featured=True)
    make_fact(3, 31, "Next week's fact", featured=True)
    subscribe("weekly@example.org", frequency="weekly")
    subscribe("daily@example.org")

    # Friday the 20th: the daily reader gets mail, the weekly reader waits for Monday.
    tick(now=MARCH_20_0730)
    run_worker()
    assert [a.rcpt_tos for a in mail.arrivals] == [["daily@example.org"]]

    mail.arrivals.clear()
    tick(now=dt.datetime(2026, 3, 23, 7, 30, tzinfo=UTC))
    run_worker()
    digest = mail.to("weekly@example.org")[0]
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    for body in parts(digest):
        assert "Monday's featured fact" in body and "Wednesday's featured fact" in body
        assert "Next week's fact" not in body
        assert "https://dayfacts.example/march/25/" in links(body)
    assert len(mail.to("daily@example.org")) == 1


def test_permanent_refusal_marks_the_address_bounced(mail, march_20):
    gone = subscribe("gone@example.org")
    subscribe("here@example.org")
    mail.answers["gone@example.org"] = ["550 5.1.1 No such user"]
    tick(now=MARCH_20_0730)
    run_worker()

    assert [a.rcpt_tos for a in mail.arrivals] == [["here@example.org"]]
    gone.refresh_from_db()
    assert gone.status == SubscriberStatus.BOUNCED
    delivery = Delivery.objects.get(subscriber=gone)
    assert delivery.status == DeliveryStatus.BOUNCED and "550" in delivery.last_error
    # No more mail to that address.
    tick(now=MARCH_20_0730 + dt.timedelta(days=1))
    assert not Delivery.objects.filter(subscriber=gone).exclude(pk=delivery.pk).exists()


def test_message_refused_for_good_fails_without_bouncing_the_address(mail, march_20):
    reader = subscribe("picky@example.org")
    mail.data_answers["picky@example.org"] = "554 5.6.0 Message content refused"
    tick(now=MARCH_20_0730)
    run_worker()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and "554" in delivery.last_error
    reader.refresh_from_db()
    assert reader.status == SubscriberStatus.ACTIVE


def test_address_refused_at_data_bounces_the_address(mail, march_20):
    # Some servers accept every RCPT and only refuse an unknown mailbox after DATA.
    gone = subscribe("late-refusal@example.org")
    mail.data_answers["late-refusal@example.org"] = "550 5.1.1 Mailbox does not exist"
    tick(now=MARCH_20_0730)
    run_worker()
    assert Delivery.objects.get().status == DeliveryStatus.BOUNCED
    gone.refresh_from_db()
    assert gone.status == SubscriberStatus.BOUNCED


def test_temporary_failure_retries_with_backoff(mail, march_20, time_machine):
    time_machine.move_to(MARCH_20_0730, tick=False)
    subscribe("busy@example.org")
    mail.answers["busy@example.org"] = ["451 4.3.0 Try again later"]
    tick(now=MARCH_20_0730)
    run_worker()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.QUEUED and delivery.attempts == 1
    assert delivery.next_attempt_at > MARCH_20_0730 + dt.timedelta(seconds=40)
    assert mail.arrivals == []

    # Not before its time...
    assert sending.send_due().sent == 0
    # ...and once the server takes it again, it goes.
    del mail.answers["busy@example.org"]
    time_machine.move_to(MARCH_20_0730 + dt.timedelta(minutes=5), tick=False)
    assert tick(now=MARCH_20_0730 + dt.timedelta(minutes=5)).due == 1
    run_worker()
    assert len(mail.to("busy@example.org")) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_temporary_failures_end_in_failed(mail, march_20, settings):
    settings.NEWSLETTER_MAX_ATTEMPTS = 2
    subscribe("busy@example.org")
    mail.answers["busy@example.org"] = ["421 4.7.0 Too busy"]
    tick(now=MARCH_20_0730, enqueue=False)
    sending.send_due()
    Delivery.objects.update(next_attempt_at=dt.datetime(2000, 1, 1, tzinfo=UTC))
    sending.send_due()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 2


def test_unreachable_server_loses_nothing(mail, march_20, settings):
    for n in range(3):
        subscribe(f"reader{n}@example.org")
    tick(now=MARCH_20_0730, enqueue=False)
    settings.EMAIL_PORT = 1  # nothing listens there
    outcome = sending.send_due()
    assert outcome.sent == 0 and outcome.retried == 3
    assert Delivery.objects.filter(status=DeliveryStatus.QUEUED, attempts=1).count() == 3

    settings.EMAIL_PORT = mail.port
    Delivery.objects.update(next_attempt_at=dt.datetime(2000, 1, 1, tzinfo=UTC))
    assert sending.send_due().sent == 3
    assert len(mail.arrivals) == 3


def test_several_connections_share_a_send_and_reach_everyone_once(mail, march_20, settings):
    settings.NEWSLETTER_CONNECTIONS = 3
    settings.NEWSLETTER_BATCH_SIZE = 4
    mail.delay = 0.01  # long enough for every connection to claim while others wait
    addresses = [f"reader{n}@example.org" for n in range(30)]
    for address in addresses:
        subscribe(address)
    tick(now=MARCH_20_0730, enqueue=False)
    outcome = sending.send_due_concurrently()
    assert outcome.sent == 30 and not outcome.more
    assert sorted(a.rcpt_tos[0] for a in mail.arrivals) == sorted(addresses)
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 30
    assert len(mail.peers) == 3  # three SMTP sessions, each from its own port


def test_abandoned_claims_are_sent_again(mail, march_20, settings):
    subscribe("ada@example.org")
    tick(now=MARCH_20_0730, enqueue=False)
    # A worker claimed the delivery and died before sending it.
    claimed = sending.claim("dead-worker:1", 10)
    assert len(claimed) == 1 and sending.send_due().sent == 0
    settings.NEWSLETTER_CLAIM_TIMEOUT = 0
    assert sending.requeue_abandoned() == 1
    assert sending.send_due().sent == 1
    assert len(mail.to("ada@example.org")) == 1


def test_paused_edition_waits_until_resumed(mail, march_20):
    subscribe("ada@example.org")
    tick(now=MARCH_20_0730, enqueue=False)
    Edition.objects.update(paused=True)
    assert sending.send_due().sent == 0
    Edition.objects.update(paused=False)
    assert sending.send_due().sent == 1


def test_day_without_facts_sends_nothing(mail):
    subscribe("ada@example.org")
    assert tick(now=MARCH_20_0730).editions == 0
    assert Edition.objects.count() == 0


def test_feb_29_entries_go_out_on_feb_28_in_common_years(mail, time_machine):
    time_machine.move_to(dt.datetime(2027, 2, 28, 8, 0, tzinfo=UTC), tick=False)
    make_fact(2, 28, "A February 28th event", featured=True)
    make_fact(2, 29, "A leap day event", notability=5)
    subscribe("ada@example.org")
    tick()
    run_worker()
    text, html = parts(mail.arrivals[0].message)
    assert "A leap day event" in text and "A leap day event" in html
