"""Promises to residents that hold on every page: no other hosts, strict headers, no IP stored."""

import re

from sqlalchemy import inspect

from app.extensions import db

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


def test_the_dialogue_page_references_no_other_host(client, make):
    dialogue = make.dialogue()
    html = client.get(f"/d/{dialogue.slug}").get_data(as_text=True)
    assert "leaflet.js" in html
    assert not EXTERNAL.findall(html)
    assert "cdn" not in html.lower()


def test_every_page_sends_a_policy_that_forbids_other_origins(client, make):
    dialogue = make.dialogue()
    for url in ("/", f"/d/{dialogue.slug}", "/konto/logga-in"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "http" not in csp  # no other origin named
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_vendored_leaflet_is_served_by_the_app(client):
    with client.get("/vendor/leaflet/leaflet.js") as response:
        assert response.status_code == 200 and b"Leaflet" in response.data[:2000]
    assert client.get("/vendor/nothing/x.js").status_code == 404


def test_no_table_has_a_column_for_ip_addresses(app_context):
    inspector = inspect(db.engine)
    for table in db.metadata.tables:
        for column in inspector.get_columns(table):
            assert not re.search(r"(^|_)ip($|_)|address|user_agent", column["name"]), (table, column["name"])
