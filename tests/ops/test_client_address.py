import ipaddress
import logging
import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from dayfacts.ops.middleware import ClientAddressMiddleware, client_address
from tests.servers import REPO


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


def test_production_warns_once_per_untrusted_peer_that_sends_forwarded_addresses(
        caplog, settings):
    """The proxy in front missing from TRUSTED_PROXIES shows in the log, once, not per request."""
    client_address.cache_clear()
    proxy, trusted = "10.0.0.10", ("127.0.0.1",)

    def warnings():
        return [r.getMessage() for r in caplog.records if r.name == "dayfacts.ops.middleware"]

    with caplog.at_level(logging.WARNING, logger="dayfacts.ops.middleware"):
        settings.PRODUCTION = False
        assert seen_address(proxy, "203.0.113.7", trusted) == proxy
        assert warnings() == []
        settings.PRODUCTION = True
        for reader in ("203.0.113.7", "203.0.113.8", "203.0.113.9"):
            assert seen_address(proxy, reader, trusted) == proxy  # the header is still ignored
        assert seen_address("192.0.2.50", None, trusted) == "192.0.2.50"
        assert seen_address("127.0.0.1", "203.0.113.7", trusted) == "203.0.113.7"
        assert seen_address(proxy, "203.0.113.7", (proxy,)) == "203.0.113.7"
    assert len(warnings()) == 1
    assert "TRUSTED_PROXIES" in warnings()[0] and "private address" in warnings()[0]


def test_the_documented_trusted_proxies_fit_the_shipped_nginx():
    """deploy/nginx proxies from a machine of its own, so the docs must not say loopback."""
    upstreams = re.findall(r"^\s*server (\S+):\d+",
                           (REPO / "deploy" / "nginx" / "dayfacts.conf").read_text(), re.M)
    assert upstreams
    assert not any(ipaddress.ip_address(address).is_loopback for address in upstreams)
    documented = re.search(r"^    TRUSTED_PROXIES=(\S+)$",
                           (REPO / "docs" / "deploy.md").read_text(), re.M)[1].split(",")
    networks = [ipaddress.ip_network(net, strict=False) for net in documented]
    assert not any(net.is_loopback for net in networks)
    nginx = str(networks[0].network_address)
    assert seen_address(nginx, "203.0.113.7", documented) == "203.0.113.7"
