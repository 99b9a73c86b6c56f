import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from dayfacts.ops.middleware import ClientAddressMiddleware


def seen_address(remote, forwarded=None, trusted=("127.0.0.1", "10.0.0.0/8")):
    """The REMOTE_ADDR a view sees for a request from `remote` carrying `forwarded`."""
    seen = {}

    def view(request):
        seen["addr"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    with override_settings(TRUSTED_PROXIES=list(trusted)):
        ClientAddressMiddleware(view)(request)
    return seen["addr"]


def test_a_reader_behind_the_trusted_proxy_is_known_by_their_own_address():
    assert seen_address("127.0.0.1", "203.0.113.7") == "203.0.113.7"


def test_addresses_a_client_wrote_itself_at_the_left_are_ignored():
    # nginx appends the address it saw; whatever the client sent stands to its left.
    assert seen_address("127.0.0.1", "198.51.100.1, 203.0.113.7") == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    assert seen_address("127.0.0.1", "203.0.113.7, 10.1.2.3") == "203.0.113.7"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", "203.0.113.7"])
def test_an_untrusted_peer_cannot_choose_its_address(forwarded):
    assert seen_address("192.0.2.50", forwarded) == "192.0.2.50"


def test_nothing_is_trusted_unless_configured():
    assert seen_address("127.0.0.1", "203.0.113.7", trusted=()) == "127.0.0.1"


def test_a_malformed_hop_keeps_the_proxy_address():
    assert seen_address("127.0.0.1", "203.0.113.7, garbage") == "127.0.0.1"



def test_a_request_with_no_peer_address_gets_one_that_earns_nothing():
    def view(request):
        return HttpResponse(request.META["REMOTE_ADDR"])

    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    with override_settings(TRUSTED_PROXIES=[]):
        assert ClientAddressMiddleware(view)(request).content == b"0.0.0.0"


def test_a_proxy_on_a_unix_socket_can_be_trusted():
    assert seen_address("", "203.0.113.7", trusted=("0.0.0.0",)) == "203.0.113.7"


def test_a_comment_posted_with_no_peer_address_is_handled(client, db):
    from dayfacts.facts.models import Fact

    fact = Fact.objects.create(month=3, day=20, title="t", slug="t", status="published",
                               body="x")
    response = client.post(f"/api/v1/facts/{fact.pk}/comments", {"text": "hi"},
                           content_type="application/json", REMOTE_ADDR="")
    assert response.status_code in (400, 422)
