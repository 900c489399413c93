"""A planner moderates a busy dialogue, answers a resident, then closes and reopens the dialogue.

Walked in Chromium as a project leader: pages of the queue, a filter, bulk publishing without
JavaScript, a public answer seen on the resident page, closing with a confirmation, reopening.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.domain import today_in_sweden
from app.extensions import db
from app.models import Dialogue, Pin

from .accounts import log_in

pytestmark = pytest.mark.browser


def _serious(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


@pytest.fixture
def busy(make):
    """A dialogue with 75 comments, a third waiting, one with a link."""
    dialogue = make.dialogue(title="Husby torg", show_others_pins=True)
    start = datetime(2026, 11, 1, 8, tzinfo=UTC)
    for n in range(74):
        make.pin(dialogue, text=f"Synpunkt nummer {n}", created_at=start + timedelta(hours=n),
                 state=("pending", "published", "published")[n % 3])
    make.pin(dialogue, text="Billigt på www.spam-exempel.se", flags=["link"], state="pending",
             created_at=start)
    leader = make.user(dialogue.municipality, "project_leader")
    return dialogue.id, dialogue.slug, leader


def test_moderate_pages_filter_and_publish_in_bulk_without_javascript(browser, live_server, busy):
    dialogue_id, _slug, leader = busy
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, leader)
    page.goto(f"{live_server}/planering/dialoger/{dialogue_id}/moderering")
    expect(page.locator("#queue-status")).to_have_text("75 synpunkter.")
    expect(page.locator("[data-counts]")).to_contain_text("26 väntar")
    expect(page.locator("li.card")).to_have_count(50)
    expect(page.locator("li.card").first).to_have_attribute("data-state", "pending")
    assert page.locator("svg.minimap circle").count() == 50
    page.get_by_role("link", name="Nästa sida").click()
    expect(page.locator("li.card")).to_have_count(25)

    page.get_by_label("Flagga").select_option(label="Länk")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.locator("#queue-status")).to_have_text("1 synpunkt matchar filtren.")
    page.get_by_label("Flagga").select_option(label="Alla")
    page.get_by_label("Läge").select_option(label="Väntar")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.locator("li.card")).to_have_count(26)
    for n in range(3):
        page.locator("li.card").nth(n).get_by_role("checkbox").check()
    page.get_by_role("button", name="Publicera de valda").click()
    expect(page.locator(".flash-success")).to_have_text("3 synpunkter är publicerade.")
    expect(page.locator("li.card")).to_have_count(23)  # the filter is kept
    assert db.session.execute(select(func.count()).select_from(Pin).where(
        Pin.moderation_state == "pending")).scalar_one() == 23
    context.close()


def test_answer_a_comment_then_close_and_reopen_the_dialogue(page, live_server, busy):
    dialogue_id, slug, leader = busy
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, leader)
    page.goto(f"{live_server}/planering/dialoger/{dialogue_id}/moderering?state=published")
    assert _serious(page) == []
    card = page.locator("li.card").first
    card.get_by_text("Svara offentligt").click()
    card.get_by_label("Kommunens offentliga svar").fill("Tack, vi tittar på det i vår.")
    card.get_by_role("button", name="Publicera svaret").click()
    expect(page.locator(".flash-success")).to_have_text("Svaret är publicerat under synpunkten.")
    page.goto(f"{live_server}/d/{slug}?lang=sv")
    expect(page.locator(".others-list")).to_contain_text("Tack, vi tittar på det i vår.")

    page.goto(f"{live_server}/planering/dialoger/{dialogue_id}")
    page.get_by_role("button", name="Stäng…").click()
    expect(page.locator("#confirm-summary")).to_be_focused()
    expect(page.locator("#confirm-summary")).to_contain_text("75 synpunkter totalt")
    assert _serious(page) == []
    page.get_by_label("Skäl (sparas i loggen)").fill("Alla möten är hållna")
    page.get_by_role("button", name="Ja, stäng dialogen").click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "closed")

    new_end = today_in_sweden() + timedelta(days=10)
    page.get_by_label("Nytt slutdatum").fill(new_end.isoformat())
    page.get_by_label("Skäl (sparas i loggen)").fill("Nämnden vill ha fler svar")
    page.get_by_role("button", name="Öppna dialogen igen").click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "open")
    expect(page.locator("#status-heading + p")).to_contain_text("10 dagar kvar")
    stored = db.session.get(Dialogue, dialogue_id)
    assert (stored.status, stored.closes_on) == ("open", new_end)
    assert hosts == {"127.0.0.1"}
