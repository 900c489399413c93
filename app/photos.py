"""Residents' photos: re-encoded as JPEG, resized, every piece of metadata (EXIF, GPS) removed."""

from __future__ import annotations

import io
import warnings
from datetime import timedelta

import pillow_heif
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from PIL import Image, ImageOps
from sqlalchemy import delete, select

from .extensions import db
from .models import Photo, Pin
from .models.types import utcnow

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
ACCEPTED_FORMATS = {"JPEG", "PNG", "HEIF"}
# Larger images are refused before decoding: a small file can expand to gigabytes (a "bomb").
MAX_PIXELS = 60_000_000

pillow_heif.register_heif_opener()


class PhotoError(ValueError):
    """A photo that cannot be accepted; str() is a sentence in the resident's language."""


def process_photo(data: bytes) -> tuple[bytes, int, int]:
    """The photo re-encoded as a metadata-free JPEG at most MAX_SIDE pixels on its longest side."""
    if len(data) > MAX_BYTES:
        raise PhotoError(_l("The photo is too large. It can be at most 10 MB."))
    if not data:
        raise PhotoError(_l("The file is empty."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise PhotoError(_l("Only photos in JPEG, PNG or HEIC format can be attached."))
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError(_l("The photo has too many pixels. Attach a smaller photo."))
            image.load()
            # Turn the picture the way the camera meant before the orientation tag is dropped.
            image = ImageOps.exif_transpose(image)
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses these in open(), before our own MAX_PIXELS check can name the reason.
        raise PhotoError(_l("The photo has too many pixels. Attach a smaller photo.")) from None
    except (OSError, SyntaxError, ValueError):
        raise PhotoError(_l("Only photos in JPEG, PNG or HEIC format can be attached.")) from None
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    else:
        image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A fresh image carries pixels only: no EXIF, GPS, XMP, ICC comments or thumbnails.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue(), clean.width, clean.height


def store_photo(data: bytes) -> Photo:
    """A processed photo added to the session and flushed (the caller commits)."""
    jpeg, width, height = process_photo(data)
    photo = Photo(data=jpeg, mime_type="image/jpeg", width=width, height=height)
    db.session.add(photo)
    db.session.flush()
    return photo


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="resident-photo")


def photo_token(photo_id: int, dialogue_id: int) -> str:
    """A token that lets the uploader, and nobody guessing ids, attach the photo in one dialogue."""
    return _serializer().dumps([dialogue_id, photo_id])


def photo_id_from_token(token: object, dialogue_id: int) -> int | None:
    """The photo id a token was made for in this dialogue, or None when it is not one of ours."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and value[0] == dialogue_id):
        return None
    return value[1] if isinstance(value[1], int) else None


def delete_unattached_photos(older_than: timedelta = timedelta(days=2)) -> int:
    """Delete photos uploaded but never sent with a response (flushed; the caller commits)."""
    attached = select(Pin.photo_id).where(Pin.photo_id.is_not(None))
    result = db.session.execute(
        delete(Photo).where(Photo.created_at < utcnow() - older_than, Photo.id.not_in(attached))
    )
    return result.rowcount or 0
