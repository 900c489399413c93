"""The questionnaire script's sentences, translated on the server ({name} is filled in by the page)."""

from __future__ import annotations

from flask_babel import gettext as _

from ..domain import SENTIMENT_LABELS, VALUE_COLOURS, VALUE_LABELS


def survey_strings() -> dict:
    """Every sentence the questionnaire script may show or announce, in the resident's language
    (in Lättläst svenska through the `lattlast` catalog, see app/i18n.py)."""
    return {
        "mapHelp": _("Tap or click the map where your comment is about. With a keyboard: move the map "
                     "with the arrow keys and press Enter to put a marker at the cross in the middle."),
        "step": _("Step {n} of {total}"),
        "mapLabel": _("Map of the area. Move it with the arrow keys; "
                      "press Enter to put a marker at the cross in the middle."),
        "placed": _("Marker placed. Describe your comment below."),
        "moved": _("Marker moved."),
        "outside": _("That place is outside the area of this dialogue. Choose a place inside the outline."),
        "mapChosen": _("The place is marked on the map. Drag the marker or tap the map to move it."),
        "mapNotChosen": _("Tap the map, or press Enter on it, to mark the place."),
        "draftTitle": _("Your new marker"),
        "edit": _("Change"),
        "editN": _("Change comment {n}"),
        "remove": _("Remove"),
        "removeN": _("Remove comment {n}"),
        "removed": _("The comment was removed."),
        "saved": _("The comment was saved. It is sent with your other answers at the end."),
        "noPins": _("No comments yet."),
        "tooMany": _("You can add at most {max} comments here."),
        "tooFew": _("Add at least {min} comments here."),
        "chooseWhere": _("Choose a place on the map, from the list, or describe it."),
        "chooseValue": _("Choose what your comment is about."),
        "chooseSentiment": _("Choose what kind of comment it is."),
        "writeComment": _("Write a comment."),
        "commentTooLong": _("The comment can be at most {max} characters."),
        "chooseCategory": _("Choose a category."),
        "choosePlace": _("Choose one of the places in the list."),
        "describePlace": _("Describe the place in a few words."),
        "saveFirst": _("Save the comment or cancel it first."),
        "required": _("This question needs an answer."),
        "consentRequired": _("You need to give your consent to send in your answers."),
        "sending": _("Sending…"),
        "sent": _("Sent."),
        "retrying": _("No connection. Your answers are kept on this device. Trying again in {s} seconds…"),
        "retryingOne": _("No connection. Your answers are kept on this device. Trying again in 1 second…"),
        "likertOf": _("{n} on a scale from 1 ({low}) to 5 ({high})"),
        "photoOf": _("Photo: {name}"),
        "findShown": _("The map shows {name}. Tap the map to mark the place."),
        "findCount": _("{n} places found. Choose one to move the map there."),
        "findNone": _("No address or place found."),
        "findFailed": _("The search did not work. Check your connection."),
        "locating": _("Finding your position…"),
        "located": _("The map shows where you are (the yellow dot). Tap the map to mark the place."),
        "locateFailed": _("Your position could not be found. Search for an address instead."),
        "failed": _("Could not send. Your answers are kept on this device. "
                    "Check your connection and press Send again."),
        "expired": _("The page has expired. Reload the page – your answers are kept on this device."),
        "errorsIntro": _("Some answers need to be changed before they can be sent:"),
        "pinError": _("The comment “{comment}”: "),
        "uploading": _("Sending the photo…"),
        "photoAttached": _("Photo attached: {name}"),
        "photoRemoved": _("The photo was removed."),
        "photoFailed": _("The photo could not be sent. Check your connection and try again."),
        "photoType": _("Only photos in JPEG, PNG or HEIC format can be attached."),
        "photoSize": _("The photo is too large. It can be at most 10 MB."),
        "notAnswered": _("Not answered"),
        "yes": _("Yes"),
        "change": _("Change"),
        "onMap": _("on the map"),
        "atPlace": _("at {name}"),
        "routeThrough": _("a route through {names}"),
        "chooseRoute": _("Choose at least two places, in the order you go."),
        "described": _("place: {text}"),
        "values": {k: str(v) for k, v in VALUE_LABELS.items()},
        "sentiments": {k: str(v) for k, v in SENTIMENT_LABELS.items()},
        "colours": dict(VALUE_COLOURS),
        **_drawing_strings(),
    }


def _drawing_strings() -> dict:
    """What the page says while a route or an area is drawn ({length} and {area} come measured)."""
    return {
        "kindMapPoint": _("The marker on the map"),
        "kindMapLine": _("The route I draw on the map"),
        "kindMapArea": _("The area I draw on the map"),
        "drawHelpLine": _("Tap the map at each point of your route, in order, then press “Finished drawing”. "
                          "With a keyboard: move the map with the arrow keys, press Enter to add a point at "
                          "the cross and Backspace to remove the last one."),
        "drawHelpArea": _("Tap the map at each corner of the area, then press “Finished drawing”. With a "
                          "keyboard: move the map with the arrow keys, press Enter to add a corner at the "
                          "cross and Backspace to remove the last one."),
        "drawFirstPoint": _("Point {n} placed. Add the next point of the route."),
        "drawPointLine": _("Point {n} placed. The route is {length} long."),
        "drawCorner": _("Corner {n} placed. Add the next corner."),
        "drawCornerArea": _("Corner {n} placed. The area is {area}."),
        "drawUndone": _("The last point was removed. {n} left."),
        "drawCrossing": _("That corner would make the edge cross itself. Choose another place."),
        "drawTooFewLine": _("A route needs at least two different points."),
        "drawTooFewArea": _("An area needs at least three different corners."),
        "drawFinishedLine": _("The route is drawn: {length}. Drag a point to move it; press and hold a "
                              "point to remove it. Describe your comment below."),
        "drawFinishedArea": _("The area is drawn: {area}. Drag a corner to move it; press and hold a "
                              "corner to remove it. Describe your comment below."),
        "drawRemoved": _("The drawing was removed. Tap the map to start again."),
        "drawAgain": _("The drawing is finished. Remove it to draw a new one, or drag its points."),
        "drawNotYet": _("Nothing drawn yet. Tap the map, or press Enter on it, to start."),
        "drawFirst": _("Draw on the map first, then press “Finished drawing”."),
        "drawnLine": _("a route of {length}"),
        "drawnArea": _("an area of {area}"),
    }
