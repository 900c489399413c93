"""The public read API: published pins of public dialogues as paged GeoJSON, and its OpenAPI."""

from __future__ import annotations

from .export_data import rich_dialogue


def all_pages(client, url: str) -> list[dict]:
    features = []
    while url:
        body = client.get(url).json
        features += body["features"]
        url = next((link["href"] for link in body.get("links", []) if link["rel"] == "next"), None)
    return features


def test_public_pins_are_the_published_map_pins_over_every_page(client, make):
    dialogue, pins, hidden = rich_dialogue(make)
    make.pin(dialogue, text="Väntar på granskning", state="pending")
    features = all_pages(client, f"/api/v1/dialogues/{dialogue.slug}/pins?limit=3")
    published_map = [p for p in pins if p.location_kind == "map"]
    assert sorted(f["id"] for f in features) == sorted(p.id for p in published_map)
    texts = {f["properties"]["text"] for f in features}
    assert "Namn och telefonnummer" not in texts and "Väntar på granskning" not in texts
    first = client.get(f"/api/v1/dialogues/{dialogue.slug}/pins?limit=3")
    assert first.mimetype == "application/geo+json" and first.json["numberReturned"] == 3


def test_the_bounding_box_filters_pins(client, make):
    dialogue = make.dialogue()
    inside = make.pin(dialogue, lat=59.4100, lng=17.9240)
    make.pin(dialogue, lat=59.4150, lng=17.9300)
    body = client.get(f"/api/v1/dialogues/{dialogue.slug}/pins?bbox=17.92,59.40,17.925,59.412").json
    assert [f["id"] for f in body["features"]] == [inside.id]
    assert body["features"][0]["geometry"]["coordinates"] == [17.9240, 59.4100]


def test_drafts_and_dialogues_that_hide_pins_are_not_public(client, make):
    draft = make.dialogue(status="draft")
    private = make.dialogue(show_others_pins=False)
    for dialogue in (draft, private):
        make.pin(dialogue)
        assert client.get(f"/api/v1/dialogues/{dialogue.slug}/pins").status_code == 404


def test_bad_paging_and_bbox_answer_400_in_json(client, make):
    dialogue = make.dialogue()
    for query in ("limit=0", "limit=5000", "cursor=x", "bbox=1,2,3", "bbox=18,60,17,59"):
        response = client.get(f"/api/v1/dialogues/{dialogue.slug}/pins?{query}")
        assert response.status_code == 400 and response.json["error"]["status"] == 400


def test_the_openapi_document_describes_both_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/dialogues/{slug}/pins", "/dialogues/{dialogue_id}/exports/{format}",
                                 "/exports/{job_id}", "/exports/{job_id}/file", "/network/dialogues"}
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
