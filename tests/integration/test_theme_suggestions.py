"""Themes found offline in Swedish comments: suggested, accepted, merged, rejected; word-form search.

The comments are the corpus of tests/swedish_corpus.py, written for the test with known themes.
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, ExportJob, Pin, Theme, ThemeSuggestion, pin_theme

from ..analysis_helpers import add_pins
from ..swedish_corpus import THEME_WORDS, corpus
from .export_helpers import take_export
from .planner_helpers import login, post

BASE = "/planering/dialoger/{id}/teman/forslag"


def _dialogue_with_corpus(make, per_theme: int = 30):
    """A dialogue whose comments are the test corpus; returns it and pin id -> known theme."""
    dialogue = make.dialogue()
    rows = corpus(per_theme)
    pins = add_pins(dialogue, [(59.4108, 17.9259, v, s, text) for v, s, _t, text in rows])
    return dialogue, {pin.id: theme for pin, (_v, _s, theme, _text) in zip(pins, rows, strict=True)}


def _open(dialogue_id: int) -> list[ThemeSuggestion]:
    db.session.expire_all()
    return db.session.execute(select(ThemeSuggestion).where(
        ThemeSuggestion.dialogue_id == dialogue_id, ThemeSuggestion.status == "open")
    ).scalars().all()


def _theme_of(suggestion: ThemeSuggestion, truth: dict[int, str]) -> tuple[str, float]:
    """The known theme most of the suggestion's comments have, and the share that have it."""
    themes = [truth[i] for i in suggestion.pin_ids]
    best = max(set(themes), key=themes.count)
    return best, themes.count(best) / len(themes)


def test_the_known_themes_of_the_corpus_come_out_as_suggestions(client, make):
    dialogue, truth = _dialogue_with_corpus(make)
    login(client, make.user(dialogue.municipality))
    response = post(client, BASE.format(id=dialogue.id) + "/ta-fram")
    assert response.status_code == 302
    suggestions = _open(dialogue.id)
    covered: dict[str, set[int]] = {theme: set() for theme in THEME_WORDS}
    for s in suggestions:
        theme, purity = _theme_of(s, truth)
        assert purity >= 0.8, (s.label, s.keywords)
        assert set(s.keywords) & THEME_WORDS[theme], (theme, s.keywords)
        covered[theme] |= set(s.pin_ids)
    for theme in THEME_WORDS:
        known = {i for i, t in truth.items() if t == theme}
        assert len(covered[theme] & known) >= 0.7 * len(known), theme
    page = client.get(BASE.format(id=dialogue.id)).get_data(as_text=True)
    for s in suggestions:
        block = page[page.index(f'data-suggestion="{s.id}"'):]
        block = block[:block.index("</article>")]
        assert unescape(s.label) in unescape(block)
        examples = re.findall(r"<li>”(.*?)”</li>", block)
        texts = {p.id: p.text for p in db.session.execute(select(Pin)).scalars()}
        assert [unescape(e) for e in examples] == [texts[i] for i in s.pin_ids[:3]]


def test_a_rejected_suggestion_does_not_come_back(client, make):
    dialogue, truth = _dialogue_with_corpus(make)
    login(client, make.user(dialogue.municipality))
    post(client, BASE.format(id=dialogue.id) + "/ta-fram")
    lighting = next(s for s in _open(dialogue.id) if _theme_of(s, truth)[0] == "lighting")
    rejected_id, rejected_pins = lighting.id, set(lighting.pin_ids)
    response = post(client, BASE.format(id=dialogue.id) + f"/{rejected_id}/avvisa")
    assert response.status_code == 302
    for _ in range(2):  # asked again, and again
        post(client, BASE.format(id=dialogue.id) + "/ta-fram")
        again = _open(dialogue.id)
        assert again, "the other themes are still suggested"
        for s in again:
            overlap = len(set(s.pin_ids) & rejected_pins) / len(s.pin_ids)
            assert overlap < 0.5, (s.label, s.keywords)
    db.session.expire_all()
    assert db.session.get(ThemeSuggestion, rejected_id).status == "rejected"
    page = client.get(BASE.format(id=dialogue.id)).get_data(as_text=True)
    assert f'data-suggestion="{rejected_id}"' not in page
    assert 'data-answered="rejected"' in page


def test_accepting_with_a_new_name_codes_the_comments_and_they_show_everywhere(client, make):
    dialogue, truth = _dialogue_with_corpus(make)
    dialogue_id = dialogue.id
    login(client, make.user(dialogue.municipality, role="project_leader"))
    post(client, BASE.format(id=dialogue_id) + "/ta-fram")
    traffic = next(s for s in _open(dialogue_id) if _theme_of(s, truth)[0] == "traffic")
    traffic_id, traffic_pins = traffic.id, set(traffic.pin_ids)
    response = post(client, BASE.format(id=dialogue_id) + f"/{traffic_id}/godta",
                    {"name": "Trafiksäkerhet"})
    assert response.status_code == 302
    db.session.expire_all()  # the request ran in its own app context
    theme = db.session.execute(select(Theme).where(Theme.name == "Trafiksäkerhet")).scalar_one()
    coded = set(db.session.execute(
        select(pin_theme.c.pin_id).where(pin_theme.c.theme_id == theme.id)).scalars())
    assert coded == traffic_pins
    assert db.session.get(ThemeSuggestion, traffic_id).theme_id == theme.id

    stats = client.get(f"/planering/analys/dialoger/{dialogue_id}/statistik").get_data(as_text=True)
    row = re.search(r'<tr data-theme="Trafiksäkerhet">.*?<td data-total>(\d+)</td>', stats, re.S)
    assert int(row.group(1)) == len(traffic_pins)
    dashboard = client.get(f"/planering/analys/dialoger/{dialogue_id}/styrgrupp").get_data(as_text=True)
    assert 'data-theme="Trafiksäkerhet"' in dashboard

    exported = take_export(client, dialogue_id, "csv")
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.get_data().decode("utf-8-sig"))))
    exported.close()
    themed = {int(r["pin_id"]) for r in rows if r["themes"] == "Trafiksäkerhet"}
    assert themed == traffic_pins


def test_merging_two_suggestions_makes_one_theme_with_both_comments(client, make):
    dialogue, truth = _dialogue_with_corpus(make)
    login(client, make.user(dialogue.municipality))
    post(client, BASE.format(id=dialogue.id) + "/ta-fram")
    first, second = _open(dialogue.id)[:2]
    wanted = set(first.pin_ids) | set(second.pin_ids)
    ids = [first.id, second.id]
    response = post(client, BASE.format(id=dialogue.id) + "/sla-ihop",
                    {"suggestion_ids": [str(i) for i in ids], "name": "Sammanslaget"})
    assert response.status_code == 302
    db.session.expire_all()
    theme = db.session.execute(select(Theme).where(Theme.name == "Sammanslaget")).scalar_one()
    coded = set(db.session.execute(
        select(pin_theme.c.pin_id).where(pin_theme.c.theme_id == theme.id)).scalars())
    assert coded == wanted
    assert {db.session.get(ThemeSuggestion, i).status for i in ids} == {"accepted"}


def test_the_search_finds_every_word_form_and_compounds(client, make):
    dialogue = make.dialogue()
    texts = ["Lamporna är trasiga.", "En lampa saknas.", "Gatlamporna lyser inte.",
             "Lampans sken är för svagt.", "Bilarna kör fort.", "Lampskärmar är fina.",
             "Ölampa? Nej, det är en badplats.", "Männen vid kiosken stör.",
             "Övergångsställena saknar ljus."]
    pins = add_pins(dialogue, [(59.4108, 17.9259, "safety", "negative", t) for t in texts])
    ids = [p.id for p in pins]
    login(client, make.user(dialogue.municipality))

    def found(query: str) -> list[int]:
        page = client.get(BASE.format(id=dialogue.id), query_string={"q": query}).get_data(as_text=True)
        return [int(i) for i in re.findall(r'<tr data-pin-id="(\d+)">', page)]

    assert found("lampa") == [ids[0], ids[1], ids[2], ids[3], ids[6]]
    assert found("LAMPORNA") == found("lampa")
    assert found("bil") == [ids[4]]
    assert found("lampa bil") == []
    assert found("mannen") == [ids[7]]  # an umlaut in the plural: män, männen
    assert found("övergångsställe") == [ids[8]]  # a capital Ö, which SQLite's LIKE does not fold
    assert found("!!!") == []


def test_the_steering_group_may_not_see_or_answer_suggestions(client, make):
    dialogue, _truth = _dialogue_with_corpus(make, per_theme=5)
    login(client, make.user(dialogue.municipality, role="steering_group"))
    assert client.get(BASE.format(id=dialogue.id)).status_code == 403
    assert post(client, BASE.format(id=dialogue.id) + "/ta-fram").status_code == 403
    assert db.session.execute(select(ThemeSuggestion)).first() is None


def test_the_search_runs_as_a_job_whose_list_can_be_downloaded(client, make):
    """In the tests' immediate mode the job runs inside the button's request; the page then shows
    the suggestions, and the job's CSV (read back with csv) lists the same ones."""
    dialogue, _truth = _dialogue_with_corpus(make)
    login(client, make.user(dialogue.municipality))
    post(client, BASE.format(id=dialogue.id) + "/ta-fram")
    db.session.expire_all()
    [job] = db.session.execute(select(ExportJob)).scalars().all()
    assert (job.format, job.state, job.rows_total) == ("theme-suggestions", "done", len(_truth))
    page = client.get(BASE.format(id=dialogue.id)).get_data(as_text=True)
    assert 'id="suggestion-job"' not in page  # done: nothing waits
    labels = sorted(s.label for s in _open(dialogue.id))
    assert labels and all(unescape(page).count(label) for label in labels)
    job_page = client.get(f"/planering/dialoger/{dialogue.id}/export/jobb/{job.id}").get_data(as_text=True)
    assert "Tillbaka till temaförslagen" in job_page
    download = client.get(f"/planering/dialoger/{dialogue.id}/export/jobb/{job.id}/fil")
    assert download.status_code == 200
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted(r["label"] for r in rows) == labels
    assert sum(int(r["comments"]) for r in rows) == sum(len(s.pin_ids) for s in _open(dialogue.id))
    actions = [e.action for e in db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]
    assert actions[-2:] == ["theme.suggest", "export"]
    # The export page offers no such "format", and lists no such job among its exports.
    export_page = client.get(f"/planering/dialoger/{dialogue.id}/export/").get_data(as_text=True)
    assert "Temaförslag" not in export_page
    assert post(client, f"/planering/dialoger/{dialogue.id}/export/theme-suggestions").status_code == 404
