"""Subscribe from the footer, confirm through the email that arrives, then unsubscribe."""

from django.core.management import call_command
from playwright.sync_api import expect

from dayfacts.newsletter.models import Subscriber, SubscriberStatus


def test_subscribe_confirm_and_unsubscribe_through_the_email(browser, site, inbox):
    address = "ada.reader@example.org"
    page = browser.new_page()
    page.goto(site + "/")
    footer = page.locator(".newsletter-signup")
    footer.get_by_label("Email address").fill(address)
    footer.get_by_role("button", name="Subscribe").click()
    expect(page).to_have_url(f"{site}/newsletter/check-your-inbox/")

    call_command("worker", "--batch", verbosity=0)  # the task that sends the confirmation
    [confirm] = inbox.links(address, "/newsletter/confirm/")
    page.goto(confirm)
    assert Subscriber.objects.get(email=address).status == SubscriberStatus.PENDING
    # Opening the link (as a mail scanner does) is not enough: the reader presses the button.
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.get_by_role("button", name="Confirm my subscription")).to_have_count(0)
    assert Subscriber.objects.get(email=address).status == SubscriberStatus.ACTIVE

    subscriber = Subscriber.objects.get(email=address)
    from dayfacts.newsletter.tokens import unsubscribe_token

    unsubscribe = f"{site}/newsletter/unsubscribe/{unsubscribe_token(subscriber)}/"
    links = [link for message in inbox.messages
             for link in inbox.links(address, "/newsletter/unsubscribe/")]
    if links:  # the confirmation email already carries the way out
        unsubscribe = links[0]
    page.goto(unsubscribe)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("button", name="Unsubscribe")).to_have_count(0)
    assert Subscriber.objects.get(email=address).status != SubscriberStatus.ACTIVE
    page.close()
