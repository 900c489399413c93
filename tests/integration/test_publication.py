"""What residents are told about who sees their comments follows the dialogue's setting, and holds."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import Pin

from ..plain_form import PlainForm
from .planner_helpers import login, post

PRE = "visas för andra invånare först när arbetsgruppen har läst dem"
POST = "visas för andra invånare direkt"
HIDDEN = "Andra invånare ser inte dina synpunkter"


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def send_with_photo(client, slug: str, comment: str = "Trasig lampa vid bron."):
    """A comment with a photo through the plain form; the receipt page's text."""
    form = PlainForm.open(client, slug)
    form = form.post({"pin-karta_trygghet-0-photo-file": (io.BytesIO(jpeg()), "lampa.jpg"),
                      "action": "refresh"}, content_type="multipart/form-data")
    form = form.click_map("karta_trygghet").set(**{
        "pin-karta_trygghet-0-sentiment": "negative", "pin-karta_trygghet-0-comment": comment,
        "samtycke": "true"})
    sent = form.send().response
    assert sent.status_code == 302
    return client.get(sent.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("settings, promise", [
    ({"moderation": "pre"}, PRE), ({"moderation": "post"}, POST),
    ({"moderation": "post", "show_others_pins": False}, HIDDEN),
])
def test_landing_consent_and_plain_form_say_the_same_true_thing(client, make, settings, promise):
    dialogue = make.dialogue(**settings)
    for url in (f"/d/{dialogue.slug}", f"/d/{dialogue.slug}/svara", f"/d/{dialogue.slug}/enkel"):
        page = client.get(url + "?lang=sv").get_data(as_text=True)
        assert promise in page, url
        assert "efter granskning" not in page  # the survey text no longer promises a review


def test_under_pre_moderation_comment_and_photo_wait_and_the_queue_shows_the_photo(app, client, make):
    dialogue = make.dialogue(moderation="pre")
    slug, dialogue_id = dialogue.slug, dialogue.id
    thanks = send_with_photo(client, slug)
    assert "1 av dina synpunkter visas för andra när arbetsgruppen har läst den." in thanks
    pin = db.session.execute(select(Pin)).scalar_one()
    pin_id, photo_id = pin.id, pin.photo_id
    assert pin.moderation_state == "pending" and photo_id is not None
    assert client.get(f"/d/{slug}/synpunkter.json").get_json() == {"pins": []}
    assert client.get(f"/foto/{photo_id}.jpg").status_code == 404  # held like the text

    planner = app.test_client()
    login(planner, make.user(dialogue.municipality))
    queue = planner.get(f"/planering/dialoger/{dialogue_id}/moderering").get_data(as_text=True)
    src = f"/planering/analys/pins/{pin_id}/foto"
    assert f'src="{src}"' in queue
    shown = planner.get(src)
    assert shown.status_code == 200 and Image.open(io.BytesIO(shown.data)).size == (800, 600)
    published = post(planner, f"/planering/dialoger/{dialogue_id}/moderering/{pin_id}/publicera")
    assert published.status_code == 302
    assert client.get(f"/foto/{photo_id}.jpg").status_code == 200


def test_under_post_moderation_the_receipt_counts_what_is_shown_and_what_waits(client, make):
    dialogue = make.dialogue(moderation="post")
    thanks = send_with_photo(client, dialogue.slug)
    assert "1 av dina synpunkter syns nu för andra." in thanks
    other = client.application.test_client()
    flagged = send_with_photo(other, dialogue.slug, comment="Ring mig på 070-123 45 67.")
    assert "1 av dina synpunkter visas för andra när arbetsgruppen har läst den." in flagged
