"""The plain form (no JavaScript) beside the questionnaire's JSON send: the same write path, what more?

    .venv/bin/python bench/plain_form.py [--rounds 40] [--database-url URL]

Both send the same response (consent, two answers, one comment on the map) through
`submit_response`. The plain form's Send also parses the form fields; before it, a resident's click
on the map image is one more request (the page drawn again) and the map image itself. Times are
medians of CPU seconds per request in this process (wall time moves with the shared machine's
load), taken in turns; the section "Plain form" of bench/RESULTS.md is rewritten.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid

from common import machine, now, write_section

os.environ.setdefault("SPATIALITE_LIBRARY_PATH", "mod_spatialite")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/plain-bench.sqlite"

    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from tests.factories import INSIDE, Factories
    from tests.plain_form import PlainForm

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        slug = Factories().dialogue().slug
    client = app.test_client()
    times: dict[str, list[float]] = {k: [] for k in ("json", "plain send", "map click", "map image")}

    def cpu(name: str, call) -> object:
        start = time.process_time()
        result = call()
        times[name].append(time.process_time() - start)
        return result

    for _ in range(args.rounds):
        payload = {"key": uuid.uuid4().hex, "answers": {"samtycke": True, "trygg_kvall": 2},
                   "pins": [{"question": "karta_trygghet", "sentiment": "negative", "comment": "Mörkt.",
                             "location": {"kind": "map", "lat": INSIDE[0], "lng": INSIDE[1]}}]}
        assert cpu("json", lambda p=payload: client.post(f"/d/{slug}/svar", json=p)).status_code == 200
        form = PlainForm.open(client, slug)
        form = cpu("map click", lambda f=form: f.click_map("karta_trygghet"))
        form.set(**{"pin-karta_trygghet-0-sentiment": "negative", "pin-karta_trygghet-0-comment": "Mörkt.",
                    "samtycke": "true", "trygg_kvall": "2"})
        assert cpu("plain send", lambda f=form: f.send()).response.status_code == 302
        at = f'{form.values["pin-karta_trygghet-0-lat"]},{form.values["pin-karta_trygghet-0-lng"]}'
        image = cpu("map image", lambda at=at: client.get(f"/d/{slug}/karta-l.png?at={at}&value=safety"))
        assert image.status_code == 200
    with app.app_context():
        db.engine.dispose()

    ms = {k: 1000 * statistics.median(v) for k, v in times.items()}
    dialect = url.split(":", 1)[0].split("+")[0]
    rows = [("questionnaire: JSON send (baseline)", "json"),
            ("plain form: Send (same response, same statements)", "plain send"),
            ("plain form: a click on the map image (page drawn again)", "map click"),
            ("plain form: the map image with the marker (640 px PNG)", "map image")]
    table = "\n".join(f"| {label} | {ms[key]:.1f} | {ms[key] / ms['json']:.2f} |" for label, key in rows)
    body = f"""Written by `bench/plain_form.py` ({args.rounds} rounds, {dialect}, {now()}).
Machine: {machine()}. Median CPU milliseconds per request, in this process (Flask test client):

| request | CPU ms | against the questionnaire's JSON send |
|---|---|---|
{table}
"""
    write_section("Plain form", body)
    print(body)


if __name__ == "__main__":
    main()
