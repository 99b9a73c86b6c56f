from .conftest import form_data


def post_through_proxy(client, fact, reader, email):
    """Post the form as nginx on loopback forwards it for `reader`."""
    return client.post(
        f"/comments/post/{fact.slug}/", form_data(email=email, text=f"Posted by {email}"),
        REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=reader,
    )


def test_flood_control_tells_readers_behind_one_proxy_apart(client, fact, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert post_through_proxy(client, fact, "203.0.113.7", "first@example.org").status_code == 302
    # Another reader behind the same proxy is not caught in the first one's flood window...
    assert post_through_proxy(client, fact, "198.51.100.9", "other@example.org").status_code == 302
    # ...but the first reader, posting again at once under another email, is.
    assert post_through_proxy(client, fact, "203.0.113.7", "third@example.org").status_code == 429


def test_without_a_trusted_proxy_everyone_behind_it_is_one_reader(client, fact, settings):
    settings.TRUSTED_PROXIES = []
    assert post_through_proxy(client, fact, "203.0.113.7", "first@example.org").status_code == 302
    assert post_through_proxy(client, fact, "198.51.100.9", "other@example.org").status_code == 429
