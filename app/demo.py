"""`platsdialog demo`: a database with a demo municipality, area, dialogue and plausible pins."""

from __future__ import annotations

import json
import random
import secrets
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask_migrate import upgrade
from geoalchemy2.shape import from_shape
from shapely import LineString, Polygon, from_geojson
from sqlalchemy import select

from .areas import store_area
from .dialogues import create_dialogue, freeze_survey
from .domain import today_in_sweden
from .extensions import db
from .models import Answer, BaseMap, Membership, Municipality, NamedPlace, Pin, Response, User
from .models.types import utcnow
from .resident.service import new_receipt_code
from .spatial import WGS84, measure_shape, point, to_sweref

REPO = Path(__file__).resolve().parent.parent
DEMO_AREA = REPO / "geodata" / "husby.geojson"
DEMO_PLACES = REPO / "geodata" / "husby-places.json"
DEMO_BASEMAP = REPO / "geodata" / "demo-basemap.pmtiles"
DEMO_SURVEY = REPO / "surveys" / "trygghet-rattvisa-utveckling.yaml"
# Invented numbers in the shape of Statistics Sweden's DeSO tables, marked as an example.
DEMO_POPULATION = REPO / "geodata" / "befolkning-husby-exempel.csv"
DEMO_USERS = (
    ("projektledare@demo.platsdialog.se", "Pia Projektledare", "project_leader"),
    ("arbetsgrupp@demo.platsdialog.se", "Ali Arbetsgrupp", "working_group"),
    ("styrgrupp@demo.platsdialog.se", "Stina Styrgrupp", "steering_group"),
)
# Accounts outside the municipality: the network's coordinator and the installation's admin.
DEMO_NETWORK_USERS = (
    ("natverk@demo.platsdialog.se", "Nils Nätverkssamordnare", {"is_network_coordinator": True}),
    ("admin@demo.platsdialog.se", "Ada Administratör", {"is_site_admin": True}),
)
# Demographic and questionnaire answers a demo response carries (question ids of DEMO_SURVEY).
DEMO_ANSWERED = ("alder", "kon", "relation", "trygg_kvall", "valkommen", "framtidstro")

# Comments a resident might plausibly write, per value and sentiment.
COMMENTS = {
    ("safety", "negative"): [
        "Mörkt och otryggt här på kvällen, belysningen är trasig.",
        "Gångtunneln känns obehaglig, man ser inte vem som kommer.",
        "Bilar kör för fort förbi skolan.",
        "Buskarna är så höga att man inte ser stigen.",
    ],
    ("safety", "positive"): [
        "Tryggt att gå här, mycket folk i rörelse hela dagen.",
        "Bra belysning sedan förra året.",
        "Vuxna som rör sig i centrum gör att det känns lugnt.",
    ],
    ("safety", "idea"): [
        "Sätt upp fler lampor längs gångvägen mot tunnelbanan.",
        "Klipp ner buskagen så att man ser längre.",
        "Nattvandrare på fredagar skulle göra skillnad.",
    ],
    ("justice", "negative"): [
        "Det finns inget för tjejer att göra här, bara för killar.",
        "Svårt att ta sig fram med rullstol, trappor överallt.",
        "Lokalen är alltid bokad av samma förening.",
    ],
    ("justice", "positive"): [
        "Biblioteket är öppet för alla och gratis, en viktig plats.",
        "Här möts alla åldrar, det är fint.",
        "Träffen har aktiviteter på flera språk.",
    ],
    ("justice", "idea"): [
        "En ramp här skulle göra platsen tillgänglig för alla.",
        "Fler bänkar för äldre som behöver vila.",
        "Öppen idrottshall på helgerna för unga.",
    ],
    ("development", "negative"): [
        "Tomma lokaler i centrum sedan länge.",
        "Parken är sliten och ingen tar hand om den.",
    ],
    ("development", "positive"): [
        "Torghandeln på lördagar är fantastisk.",
        "Odlingslotterna har fått fart på grannkontakterna.",
    ],
    ("development", "idea"): [
        "Gör om den tomma butiken till ett kafé för unga företagare.",
        "Ett utegym här vid bollplanen.",
        "Stadsodling på taket till garaget.",
        "En scen för musik och teater på torget.",
    ],
}
# Where comments gather (lat, lng, weight per value): safety worries by the tunnel, ideas at the centre.
HOTSPOTS = [
    (59.4075, 17.9180, {"safety": 5, "justice": 1, "development": 1}),
    (59.4108, 17.9259, {"safety": 2, "justice": 3, "development": 4}),
    (59.4160, 17.9350, {"safety": 1, "justice": 3, "development": 3}),
    (59.4175, 17.9200, {"safety": 3, "justice": 1, "development": 2}),
    (59.4130, 17.9400, {"safety": 1, "justice": 2, "development": 2}),
]


def seed_demo(pin_count: int = 360, seed: int = 7, *, password: str | None = None,
              site_admin: bool = False) -> dict:
    """Create the demo municipality, area, dialogue, accounts and pins in one transaction.

    The accounts get `password` (a new random one if none is given); the site admin is added
    only when asked, so a demo in a real installation's database adds no admin anyone knows.
    """
    password = password or secrets.token_urlsafe(12)
    accounts: list[tuple[str, str]] = []
    from .surveys import definition_from_frozen, load_definition

    rng = random.Random(seed)
    municipality = Municipality(name="Demokommunen", kommunkod="9999", population=120_000)
    db.session.add(municipality)
    area_geometry = from_geojson(json.dumps(json.loads(DEMO_AREA.read_text())["features"][0]["geometry"]))
    area = store_area(municipality, "Husby (demo)", area_geometry, source=DEMO_AREA.name)
    for position, place in enumerate(json.loads(DEMO_PLACES.read_text())):
        area.named_places.append(
            NamedPlace(name=place["name"], position=position,
                       geom=from_shape(point(place["lat"], place["lng"]), srid=WGS84))
        )
    add_demo_basemap()
    version = freeze_survey(load_definition(DEMO_SURVEY), source_name=DEMO_SURVEY.name)
    dialogue = create_dialogue(
        area,
        version,
        slug="husby-demo",
        title="Husby: trygghet, rättvisa och utvecklingsmöjligheter",
        description=(
            "Demokommunen vill veta vad som gör Husby tryggt, rättvist och fullt av möjligheter. "
            "Sätt ut dina synpunkter på kartan. Svaren används i arbetet inför samråd om nya planer."
        ),
        status="open",
        phase=2,
        opens_on=today_in_sweden() - timedelta(days=14),
        closes_on=today_in_sweden() + timedelta(days=30),
        languages=version.definition.get("languages", ["sv"]),
    )
    for email, name, role in DEMO_USERS:
        user = User(email=email, display_name=name)
        user.set_password(password)
        user.memberships.append(Membership(municipality=municipality, role=role))
        db.session.add(user)
        accounts.append((email, role))
    for email, name, flags in DEMO_NETWORK_USERS:
        if flags.get("is_site_admin") and not site_admin:
            continue
        user = User(email=email, display_name=name, **flags)
        user.set_password(password)
        db.session.add(user)
        accounts.append((email, ", ".join(flags)))
    _add_demo_pins(dialogue, definition_from_frozen(version.definition), area_geometry, pin_count, rng)
    _add_demo_population(municipality, dialogue)
    db.session.commit()
    return {"dialogue": dialogue.slug, "pins": pin_count, "accounts": accounts}


def _add_demo_population(municipality: Municipality, dialogue) -> None:
    """The example population table, compared with the demo dialogue."""
    from .population.importer import parse_population_csv
    from .population.service import link_dialogue, store_population

    db.session.flush()
    table = store_population(municipality, "Exempel: påhittad befolkning i Husby (inte SCB:s siffror)",
                             parse_population_csv(DEMO_POPULATION.read_bytes()), is_example=True)
    link_dialogue(dialogue, table)


def add_demo_basemap() -> None:
    """The demo base map (geodata/demo-basemap.pmtiles) as the site-wide default (it covers Stockholm)."""
    from .basemap.service import add_file_basemap

    add_file_basemap(DEMO_BASEMAP, municipality_id=None, name="Demokarta Stockholm",
                     licence="CC0 1.0 (Stockholms stad)", make_default=True)


def _demo_answers(definition, rng: random.Random) -> list[Answer]:
    """Plausible answers: consent, and most residents answer the demographic and Likert questions."""
    answers = [Answer(question_id="samtycke", value=True)]
    for question_id in DEMO_ANSWERED:
        question = definition.question(question_id)
        if rng.random() < 0.2:
            continue  # optional questions are often skipped
        if question.type == "likert":
            value = rng.choice((1, 2, 3, 3, 4, 4, 5))
        elif question.type == "multi_choice":
            value = rng.sample(list(question.option_ids), k=1)
        else:
            value = rng.choice(list(question.option_ids))
        answers.append(Answer(question_id=question_id, value=value))
    return answers


def _add_demo_pins(dialogue, definition, area_geometry, pin_count: int, rng: random.Random) -> None:
    """Pins around the hotspots, inside the area, spread over the last two weeks."""
    map_question = {q.values[0]: q.id for q in definition.map_questions()}
    added = 0
    now = utcnow()
    while added < pin_count:
        lat0, lng0, weights = rng.choice(HOTSPOTS)
        lat, lng = rng.gauss(lat0, 0.0012), rng.gauss(lng0, 0.0022)
        if not area_geometry.contains(point(lat, lng)):
            continue
        value = rng.choices(list(weights), weights=list(weights.values()))[0]
        sentiment = rng.choice(("positive", "negative", "idea", "negative"))
        created = now - timedelta(minutes=rng.randint(0, 14 * 24 * 60))
        easting, northing = to_sweref(lat, lng)
        response = Response(
            dialogue_id=dialogue.id, survey_version_id=dialogue.survey_version_id,
            idempotency_key=f"demo-{added:06d}-{rng.getrandbits(64):016x}",
            receipt_code=new_receipt_code(), language="sv", created_at=created,
        )
        response.answers.extend(_demo_answers(definition, rng))
        response.pins.append(
            Pin(
                dialogue_id=dialogue.id, question_id=map_question[value],
                geom=from_shape(point(lat, lng), srid=WGS84),
                sweref_e=easting, sweref_n=northing, value=value, sentiment=sentiment,
                text=rng.choice(COMMENTS[(value, sentiment)]), moderation_state="published",
                created_at=created,
            )
        )
        db.session.add(response)
        if added < len(DEMO_SHAPES):  # a few residents also drew a route or an area
            response.pins.append(_demo_shape(dialogue, map_question, created, *DEMO_SHAPES[added]))
        added += 1


# Routes between the demo's named places and areas around them: (value, sentiment, text, shape
# as (lat, lng) corners or stops). The demo survey asks for points, so they hang on its map
# question of their value; a survey with `shape: line` or `area` questions collects such answers.
DEMO_SHAPES = (
    ("safety", "negative", "Vägen hem från tunnelbanan går genom tunneln, där är det mörkt.",
     "line", ((59.4100, 17.9290), (59.4090, 17.9240), (59.4075, 17.9180))),
    ("safety", "negative", "Jag undviker den här sträckan efter mörkrets inbrott.",
     "line", ((59.4122, 17.9232), (59.4140, 17.9215), (59.4175, 17.9200))),
    ("development", "positive", "Den här vägen till bollplanen tar barnen varje dag.",
     "line", ((59.4108, 17.9259), (59.4130, 17.9300), (59.4160, 17.9350))),
    ("justice", "negative", "Med rullator kommer man inte fram här: trappor hela vägen.",
     "line", ((59.4175, 17.9200), (59.4150, 17.9230), (59.4122, 17.9232))),
    ("development", "idea", "Här borde en park med lekplats ligga.",
     "area", ((59.4150, 17.9330), (59.4150, 17.9370), (59.4168, 17.9370), (59.4168, 17.9330))),
    ("safety", "negative", "Hela parkeringen känns otrygg på kvällen.",
     "area", ((59.4080, 17.9170), (59.4080, 17.9195), (59.4070, 17.9195), (59.4070, 17.9170))),
    ("justice", "idea", "Torget kunde vara en mötesplats för alla, med fler bänkar.",
     "area", ((59.4103, 17.9250), (59.4103, 17.9270), (59.4113, 17.9270), (59.4113, 17.9250))),
)


def _demo_shape(dialogue, map_question: dict, created, value: str, sentiment: str, text: str,
                kind: str, corners: tuple) -> Pin:
    """A drawn route or area of the demo, measured like a resident's (spatial.measure_shape)."""
    coords = [(lng, lat) for lat, lng in corners]
    shape = LineString(coords) if kind == "line" else Polygon(coords)
    measures = measure_shape(shape)
    easting, northing = to_sweref(measures.lat, measures.lng)
    return Pin(
        dialogue_id=dialogue.id, question_id=map_question[value], shape_kind=kind,
        shape=from_shape(shape, srid=WGS84), length_m=measures.length_m, area_m2=measures.area_m2,
        geom=from_shape(point(measures.lat, measures.lng), srid=WGS84), sweref_e=easting,
        sweref_n=northing, value=value, sentiment=sentiment, text=text,
        moderation_state="published", created_at=created,
    )


def _holds_other_data() -> bool:
    """True when the database already has municipalities or accounts: a real installation."""
    return bool(db.session.execute(select(Municipality.id).limit(1)).first()
                or db.session.execute(select(User.id).limit(1)).first())


@click.command("demo")
@click.option("--pins", default=360, show_default=True, help="How many demo pins to add.")
@click.option("--into-existing", is_flag=True,
              help="Add the demo to a database that already has municipalities or accounts.")
@click.option("--site-admin", is_flag=True,
              help="With --into-existing: also add a site admin account (an empty database gets one).")
def demo_command(pins: int, into_existing: bool, site_admin: bool) -> None:
    """Create or update the database and fill it with demo data (once), with a new password."""
    upgrade()
    database = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if db.session.execute(select(Municipality).where(Municipality.kommunkod == "9999")).first():
        click.echo("Demodata finns redan. Lösenordet skrevs ut när den skapades; "
                   "ta fram en länk för nytt lösenord med `platsdialog user reset-link`.")
        if not db.session.execute(select(BaseMap.id).where(BaseMap.municipality_id.is_(None))).first():
            add_demo_basemap()  # a demo database from before base maps existed
            db.session.commit()
        return
    existing = _holds_other_data()
    if existing and not into_existing:
        raise click.ClickException(
            f"Databasen {database} har redan kommuner eller konton. Demodata läggs bara i en tom "
            "databas; ange --into-existing om du verkligen vill lägga den här.")
    password = secrets.token_urlsafe(12)
    result = seed_demo(pins, password=password, site_admin=site_admin or not existing)
    click.echo(f"Demodialogen '{result['dialogue']}' är skapad med {result['pins']} synpunkter.")
    click.echo(f"Databas: {database}")
    click.echo(f"Demokonton, lösenord {password} (visas bara nu):")
    for email, description in result["accounts"]:
        click.echo(f"  {email}  ({description})")


def init_app(app: Flask) -> None:
    """Add the demo command."""
    app.cli.add_command(demo_command)
