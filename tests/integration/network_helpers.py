"""Helpers for the network tests: log in, and a small network of municipalities with pins."""

from __future__ import annotations

from ..conftest import csrf_from


def login(client, user, password="rätt-lösenord-123"):
    """Log the user in through the login form."""
    page = client.get("/konto/logga-in").get_data(as_text=True)
    response = client.post("/konto/logga-in", data={
        "csrf_token": csrf_from(page), "email": user.email, "password": password,
    })
    assert response.status_code == 302, response.get_data(as_text=True)


def coordinator(make):
    """A network coordinator without a role in any municipality."""
    return make.user(None, None, is_network_coordinator=True)


def pins(make, dialogue, **per_value_sentiment):
    """Pins per 'value_sentiment' key, e.g. safety_negative=3."""
    for key, n in per_value_sentiment.items():
        value, sentiment = key.split("_")
        for i in range(n):
            make.pin(dialogue, value=value, sentiment=sentiment, text=f"Kommentar {key} {i}")


def logout(client):
    """Log out through the header's form."""
    page = client.get("/natverket/lardomar").get_data(as_text=True)
    client.post("/konto/logga-ut", data={"csrf_token": csrf_from(page)})
