"""Smaller promises of the resident pages, in a real browser: reflow, words, a kept draft, icons."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from .reflow import overflow
from .test_resident_journey import (
    add_comment,
    answer_first_page_and_go_to_review,
    open_page,
    tap_map,
)

pytestmark = pytest.mark.browser
NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}


def test_landing_and_questionnaire_reflow_at_320_pixels(browser, live_server, make):
    dialogue = make.dialogue()
    make.pin(dialogue)
    page = open_page(browser, live_server, **NARROW)
    page.goto(f"{live_server}/d/{dialogue.slug}?lang=sv")
    assert overflow(page) == []
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    tap_map(page, touch=True)
    page.locator("#pin-editor").wait_for()
    assert overflow(page) == []
    page.close()


def test_the_review_shows_scale_words_and_the_photo_and_the_retry_counts_one_second(
        browser, live_server, make, tmp_path):
    dialogue = make.dialogue()
    photo = tmp_path / "bänk.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (90, 140, 60)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    page = open_page(browser, live_server, viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    tap_map(page)
    page.locator("#pe-photo").set_input_files(str(photo))
    page.get_by_text("Foto bifogat: bänk.jpg").wait_for()
    add_comment(page, "Fungerar bra", "Bra bänk.")
    answer_first_page_and_go_to_review(page)
    review = page.locator("#review")
    expect(review).to_contain_text("2 på en skala från 1 (Mycket otrygg) till 5 (Mycket trygg)")
    thumbnail = review.get_by_role("img", name="Foto: bänk.jpg")
    expect(thumbnail).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", thumbnail.element_handle()) == 160

    page.route("**/svar", lambda route: route.abort())
    send = page.get_by_role("button", name="Skicka mina svar")
    enabled_background = send.evaluate("(b) => getComputedStyle(b).backgroundColor")
    send.click()
    expect(page.locator("#send-status")).to_contain_text("Försöker igen om 1 sekund …")
    assert "sekunder" not in page.locator("#send-status").inner_text()
    assert send.is_disabled()
    assert send.evaluate("(b) => getComputedStyle(b).backgroundColor") != enabled_background
    assert send.evaluate("(b) => getComputedStyle(b).cursor") == "not-allowed"
    page.close()


def test_text_in_an_open_unsaved_editor_survives_a_reload(page, live_server, make):
    dialogue = make.dialogue()
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv")
    tap_map(page)
    editor = page.locator("#pin-editor")
    editor.get_by_label("Ett problem").check()
    editor.get_by_label("Din synpunkt").fill("Halvskriven tanke om tunneln")
    page.reload()
    expect(editor).to_be_visible()
    assert editor.get_by_label("Din synpunkt").input_value() == "Halvskriven tanke om tunneln"
    assert editor.get_by_label("Ett problem").is_checked()
    editor.get_by_role("button", name="Spara synpunkten").click()
    assert "Halvskriven tanke om tunneln" in page.locator(".pin-list").first.inner_text()
    page.reload()
    expect(editor).to_be_hidden()  # saved: no draft left
    assert count_pins_listed(page) == 1


def count_pins_listed(page) -> int:
    return page.locator('.pin-list[data-question="karta_trygghet"] li.own-pin').count()


def test_english_pages_use_one_word_per_value_and_the_icon_is_served(page, live_server, make):
    dialogue = make.dialogue()
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=en")
    text = page.locator("body").inner_text()
    assert "Justice" in text and "Fairness" not in text and "fairness" not in text
    page.goto(f"{live_server}/d/{dialogue.slug}?lang=en")
    assert "Fairness" not in page.locator("body").inner_text()
    icon = page.request.get(f"{live_server}/favicon.ico")
    assert icon.status == 200
    assert Image.open(io.BytesIO(icon.body())).format == "ICO"


def test_easy_swedish_covers_the_map_help_and_what_the_map_says(page, live_server, make):
    dialogue = make.dialogue()
    page.goto(f"{live_server}/d/{dialogue.slug}/svara?lang=sv-lattlast")
    expect(page.locator("#map-help")).to_contain_text("Tryck på kartan där du vill säga något.")
    page.locator("#survey[data-map-ready]").wait_for(state="attached")
    page.locator("#pin-map .leaflet-container").click(position={"x": 5, "y": 5})
    expect(page.locator("#map-outside")).to_have_text(
        "Platsen är utanför området. Välj en plats innanför linjen.")
    tap_map(page)
    expect(page.locator("#map-announce")).to_contain_text("Nålen är satt.")
