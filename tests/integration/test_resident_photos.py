"""Residents' photos: re-encoded, resized, stripped of EXIF and GPS; anything else refused."""

from __future__ import annotations

import io
import json

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import Photo, Pin

from ..conftest import csrf_from
from ..factories import INSIDE


def _jpeg_with_gps(width=3000, height=2000) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Telefonen"
    exif[ExifTags.Base.Orientation] = 6  # the camera was held upright: turn 90 degrees
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (59.0, 24.0, 36.0), 3: "E", 4: (17.0, 55.0, 33.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    assert b"Telefonen" in out.getvalue()
    return out.getvalue()


def _image(fmt: str, mode="RGB", size=(400, 300)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format=fmt)
    return out.getvalue()


def _token(client, dialogue) -> str:
    return csrf_from(client.get(f"/d/{dialogue.slug}/svara?lang=sv").get_data(as_text=True))


def _upload(client, dialogue, data: bytes, name="foto.jpg", token=None):
    # Encoded in memory: the test client's own encoder leaves a temporary file open for big bodies.
    boundary, body = encode_multipart({"photo": FileStorage(io.BytesIO(data), name)})
    return client.post(f"/d/{dialogue.slug}/foto", data=body,
                       headers={"X-CSRFToken": token or _token(client, dialogue)},
                       content_type=f"multipart/form-data; boundary={boundary}")


def _photo_count() -> int:
    return db.session.execute(select(func.count()).select_from(Photo)).scalar_one()


def test_a_photo_is_turned_resized_and_stripped_of_every_piece_of_metadata(client, make):
    dialogue = make.dialogue()
    response = _upload(client, dialogue, _jpeg_with_gps())
    assert response.status_code == 200 and response.get_json()["token"]
    photo = db.session.execute(select(Photo)).scalar_one()
    stored = Image.open(io.BytesIO(photo.data))
    assert stored.format == "JPEG" and photo.mime_type == "image/jpeg"
    assert (stored.width, stored.height) == (photo.width, photo.height) == (1067, 1600)
    assert len(stored.getexif()) == 0 and "exif" not in stored.info
    assert b"Telefonen" not in photo.data and b"Exif" not in photo.data


def test_a_png_with_transparency_becomes_a_jpeg(client, make):
    dialogue = make.dialogue()
    assert _upload(client, dialogue, _image("PNG", "RGBA"), "karta.png").status_code == 200
    photo = db.session.execute(select(Photo)).scalar_one()
    assert Image.open(io.BytesIO(photo.data)).format == "JPEG"


def test_a_heic_photo_is_accepted(client, make):
    import pillow_heif

    out = io.BytesIO()
    try:
        pillow_heif.from_pillow(Image.new("RGB", (320, 240), (10, 120, 10))).save(out, quality=80)
    except Exception as err:  # noqa: BLE001 - a wheel without an HEIC encoder cannot make one
        pytest.skip(f"this pillow-heif cannot write HEIC: {err}")
    dialogue = make.dialogue()
    assert _upload(client, dialogue, out.getvalue(), "IMG_0001.HEIC").status_code == 200
    assert (db.session.execute(select(Photo.width)).scalar_one()) == 320


@pytest.mark.parametrize("data, name, message", [
    (_image("GIF", "P"), "anim.gif", "JPEG, PNG eller HEIC"),
    (_image("BMP"), "bild.bmp", "JPEG, PNG eller HEIC"),
    (b"%PDF-1.4 not a photo", "foto.jpg", "JPEG, PNG eller HEIC"),
    (b"\xff\xd8\xff\xe0 broken jpeg", "foto.jpg", "JPEG, PNG eller HEIC"),
    (b"", "foto.jpg", "tom"),
    (b"\xff\xd8" + b"0" * (10 * 1024 * 1024), "stor.jpg", "högst 10 MB"),
])
def test_anything_else_is_refused_with_a_clear_message(client, make, data, name, message):
    dialogue = make.dialogue()
    response = _upload(client, dialogue, data, name)
    assert response.status_code == 422
    assert message in response.get_json()["error"]
    assert _photo_count() == 0


def test_no_photo_is_taken_when_the_dialogue_is_closed_or_forbids_photos(client, make):
    closed = make.dialogue()
    token = _token(client, closed)
    closed.status = "closed"
    no_photos = make.dialogue(photos_allowed=False)
    db.session.commit()
    assert _upload(client, closed, _image("JPEG"), token=token).status_code == 409
    assert _upload(client, no_photos, _image("JPEG"), token=token).status_code == 409
    assert _photo_count() == 0


def _send_with_photo(client, dialogue, photo_token) -> int:
    payload = {"key": "photo-key-0000000001", "answers": {"samtycke": True}, "website": "",
               "pins": [{"question": "karta_trygghet", "sentiment": "negative", "comment": "Trasig lampa.",
                         "photo": photo_token,
                         "location": {"kind": "map", "lat": INSIDE[0], "lng": INSIDE[1]}}]}
    return client.post(f"/d/{dialogue.slug}/svar", data=json.dumps(payload),
                       content_type="application/json",
                       headers={"X-CSRFToken": _token(client, dialogue)}).status_code


def test_a_published_pin_shows_its_photo_and_nothing_else_is_served(client, make):
    dialogue = make.dialogue()
    token = _upload(client, dialogue, _jpeg_with_gps()).get_json()["token"]
    loose = _upload(client, dialogue, _image("JPEG")).get_json()["token"]
    assert _send_with_photo(client, dialogue, token) == 200
    pin = db.session.execute(select(Pin)).scalar_one()
    served = client.get(f"/foto/{pin.photo_id}.jpg")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert b"Exif" not in served.data
    photos = client.get(f"/d/{dialogue.slug}/synpunkter.json").get_json()["pins"]
    assert photos[0]["photo"] == f"/foto/{pin.photo_id}.jpg"
    loose_id = db.session.execute(select(func.max(Photo.id))).scalar_one()
    assert loose and loose_id != pin.photo_id
    assert client.get(f"/foto/{loose_id}.jpg").status_code == 404  # never attached to a pin
    pin.moderation_state = "pending"
    db.session.commit()
    assert client.get(f"/foto/{pin.photo_id}.jpg").status_code == 404


def test_a_photo_on_a_question_without_photos_is_refused(client, make):
    dialogue = make.dialogue(photos_allowed=False)
    other = make.dialogue()
    token = _upload(client, other, _image("JPEG")).get_json()["token"]
    assert _send_with_photo(client, dialogue, token) == 422
    assert db.session.execute(select(func.count()).select_from(Pin)).scalar_one() == 0


def test_a_photo_token_of_another_dialogue_is_refused(client, make):
    dialogue, other = make.dialogue(), make.dialogue()
    token = _upload(client, other, _image("JPEG")).get_json()["token"]
    assert _send_with_photo(client, dialogue, token) == 422
    assert db.session.execute(select(func.count()).select_from(Pin)).scalar_one() == 0


def test_photos_never_sent_are_purged_and_sent_ones_kept(client, make, runner):
    from datetime import timedelta

    from app.models.types import utcnow

    dialogue = make.dialogue()
    sent = _upload(client, dialogue, _image("JPEG")).get_json()["token"]
    _upload(client, dialogue, _image("JPEG"))  # uploaded, then the resident gave up
    assert _send_with_photo(client, dialogue, sent) == 200
    for photo in db.session.execute(select(Photo)).scalars():
        photo.created_at = utcnow() - timedelta(days=3)
    db.session.commit()
    result = runner.invoke(args=["resident", "purge-photos"])
    assert "1 unsent photos deleted" in result.output
    db.session.expire_all()
    assert db.session.execute(select(Photo.id)).scalar_one() == db.session.execute(
        select(Pin.photo_id)).scalar_one()
