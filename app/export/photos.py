"""Photos in an export: a ZIP with the main file and photos/<pin id>.jpg for the pins it holds.

The ZIP is written to a temporary file, one photo at a time (a few rows per database round trip),
so memory stays flat however many photos there are. JPEGs are stored as they are (they do not
compress); the main file is deflated. Only photos of pins that leave with the export are included:
the same moderation states, so a hidden pin's photo leaves only when hidden pins are asked for.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

from ..domain import MUNICIPAL_TIMEZONE
from ..models import Dialogue
from .source import ExportOptions, iter_photos, photo_name

ZIP_MIMETYPE = "application/zip"


def write_zip(dialogue: Dialogue, options: ExportOptions, target: Path, main_name: str,
              main_path: Path | None = None, main_chunks=None) -> int:
    """Write the ZIP: the main file (a finished file or streamed text), then the photos.

    Returns how many photos it holds.
    """
    photos = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        if main_path is not None:
            archive.write(main_path, main_name)
        else:
            with archive.open(main_name, "w", force_zip64=True) as out:
                for chunk in main_chunks:
                    out.write(chunk.encode("utf-8"))
        for pin_id, data in iter_photos(dialogue.id, options):
            entry = zipfile.ZipInfo(photo_name(pin_id), datetime.now(MUNICIPAL_TIMEZONE).timetuple()[:6])
            archive.writestr(entry, data, compress_type=zipfile.ZIP_STORED)
            photos += 1
    return photos

