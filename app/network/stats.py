"""The network's aggregate figures: participation per dialogue, per municipality and in total."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..disclosure import Group, shown, shown_table, suppressed
from ..domain import SENTIMENTS, VALUES
from ..extensions import db
from ..models import Dialogue, Municipality, Pin, Response


def per_thousand(count: int | None, population: int | None) -> float | None:
    """A count per 1,000 inhabitants, or None if the count is hidden or the population unknown."""
    if count is None or not population:
        return None
    return round(count * 1000 / population, 2)


@dataclass
class Figures:
    """Responses and pins, with pins per value and per value and sentiment."""

    responses: int = 0
    pins: int = 0
    by_value: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VALUES, 0))
    by_value_sentiment: dict[tuple[str, str], int] = field(
        default_factory=lambda: {(v, s): 0 for v in VALUES for s in SENTIMENTS}
    )

    def add(self, other: Figures) -> None:
        """Add another set of figures to this one."""
        self.responses += other.responses
        self.pins += other.pins
        for key, n in other.by_value.items():
            self.by_value[key] += n
        for key, n in other.by_value_sentiment.items():
            self.by_value_sentiment[key] += n

    def shown(self, k: int) -> dict:
        """Every figure with small numbers suppressed, for a page, an API or a CSV; a value's
        sentiments and the pins' values are suppressed together, as their totals are shown."""
        counts = {"pins": self.pins, **{(v,): n for v, n in self.by_value.items()},
                  **{(v, s): n for (v, s), n in self.by_value_sentiment.items()}}
        groups = [Group(tuple((v,) for v in VALUES))]
        groups += [Group(tuple((v, s) for s in SENTIMENTS)) for v in VALUES]
        children = {"pins": [(v,) for v in VALUES],
                    **{(v,): [(v, s) for s in SENTIMENTS] for v in VALUES}}
        table = shown_table(counts, groups, k, children)
        return {
            "responses": shown(self.responses, k),
            "pins": table["pins"],
            "by_value": {v: table[(v,)] for v in self.by_value},
            "by_value_sentiment": {f"{v}.{s}": table[(v, s)] for (v, s) in self.by_value_sentiment},
        }


def dialogue_figures(dialogue_ids: list[int]) -> dict[int, Figures]:
    """Unsuppressed figures per dialogue, counted in the database (hidden pins left out)."""
    figures: dict[int, Figures] = defaultdict(Figures)
    if not dialogue_ids:
        return {}
    responses = db.session.execute(
        select(Response.dialogue_id, func.count())
        .where(Response.dialogue_id.in_(dialogue_ids))
        .group_by(Response.dialogue_id)
    )
    for dialogue_id, n in responses:
        figures[dialogue_id].responses = n
    pins = db.session.execute(
        select(Pin.dialogue_id, Pin.value, Pin.sentiment, func.count())
        .where(Pin.dialogue_id.in_(dialogue_ids), Pin.moderation_state != "hidden")
        .group_by(Pin.dialogue_id, Pin.value, Pin.sentiment)
    )
    for dialogue_id, value, sentiment, n in pins:
        f = figures[dialogue_id]
        f.pins += n
        f.by_value[value] += n
        f.by_value_sentiment[(value, sentiment)] += n
    return {d: figures[d] for d in dialogue_ids}


def network_dialogues(phase: int | None = None, status: str | None = None) -> list[Dialogue]:
    """Every dialogue of the network, optionally of one phase and one status."""
    statement = select(Dialogue).join(Municipality).order_by(Municipality.name, Dialogue.title)
    if phase:
        statement = statement.where(Dialogue.phase == phase)
    if status:
        # An open dialogue past its end date is shown as closed (its stored status lags).
        statement = statement.where(Dialogue.status.in_(("open", "closed"))
                                    if status == "closed" else Dialogue.status == status)
    dialogues = list(db.session.execute(statement).scalars())
    # The stored status lags the end date until the cron command runs: filter on what is shown.
    return [d for d in dialogues if not status or d.effective_status == status]


@dataclass
class MunicipalityRow:
    """One municipality's summed figures and its population."""

    municipality: Municipality
    figures: Figures
    dialogue_count: int


def municipality_rows(
    dialogues: list[Dialogue], per_dialogue: dict[int, Figures]
) -> tuple[list[MunicipalityRow], Figures]:
    """Each municipality's figures (the sum of its dialogues') and the network total (their sum)."""
    municipalities = db.session.execute(select(Municipality).order_by(Municipality.name)).scalars()
    rows = {m.id: MunicipalityRow(m, Figures(), 0) for m in municipalities}
    for d in dialogues:
        row = rows[d.municipality_id]
        row.dialogue_count += 1
        row.figures.add(per_dialogue.get(d.id, Figures()))
    total = Figures()
    for row in rows.values():
        total.add(row.figures)
    return list(rows.values()), total


FIELDS = ("responses", "pins", *((v,) for v in VALUES),
          *((v, s) for v in VALUES for s in SENTIMENTS))


def _as_shown(table: dict, node) -> dict:
    """One node's figures in the shape Figures.shown() gives, from a suppressed table."""
    return {
        "responses": table[(node, "responses")], "pins": table[(node, "pins")],
        "by_value": {v: table[(node, (v,))] for v in VALUES},
        "by_value_sentiment": {f"{v}.{s}": table[(node, (v, s))] for v in VALUES for s in SENTIMENTS},
    }


def shown_network(total: Figures, rows: list[MunicipalityRow], dialogues: list[Dialogue],
                  per_dialogue: dict[int, Figures], k: int, listed: set[int] | None = None
                  ) -> tuple[dict, dict[int, dict], dict[int, dict]]:
    """The network total, each municipality's and each dialogue's figures under the one rule,
    with complementary suppression down the tree: network, municipalities, dialogues, and inside
    each one pins, values and sentiments. Dialogues not listed for the reader count as hidden."""
    nodes: dict = {"network": total, **{("m", r.municipality.id): r.figures for r in rows},
                   **{("d", d.id): per_dialogue.get(d.id, Figures()) for d in dialogues}}
    counts, children = {}, {}
    for node, f in nodes.items():
        counts[(node, "responses")] = f.responses
        counts[(node, "pins")] = f.pins
        children[(node, "pins")] = [(node, (v,)) for v in VALUES]
        for v in VALUES:
            counts[(node, (v,))] = f.by_value[v]
            children[(node, (v,))] = [(node, (v, s)) for s in SENTIMENTS]
            for s in SENTIMENTS:
                counts[(node, (v, s))] = f.by_value_sentiment[(v, s)]
    groups = []
    for node in nodes:
        groups.append(Group(tuple(children[(node, "pins")])))
        groups += [Group(tuple(children[(node, (v,))])) for v in VALUES]
    tree = {"network": [("m", r.municipality.id) for r in rows]}
    for d in dialogues:
        tree.setdefault(("m", d.municipality_id), []).append(("d", d.id))
    for kids in tree.values():
        groups += [Group(tuple((kid, field) for kid in kids)) for field in FIELDS]
    unseen = [(("d", d.id), field) for d in dialogues
              if listed is not None and d.id not in listed for field in FIELDS]
    hidden = suppressed(counts, groups, k, children, unseen)
    table = {key: (None if key in hidden else n) for key, n in counts.items()}
    return (_as_shown(table, "network"),
            {r.municipality.id: _as_shown(table, ("m", r.municipality.id)) for r in rows},
            {d.id: _as_shown(table, ("d", d.id)) for d in dialogues})


def comparison_rows(rows: list[MunicipalityRow], k: int, shown_rows: dict[int, dict] | None = None
                    ) -> list[dict]:
    """Per municipality: suppressed figures, and per 1,000 inhabitants where the population is set."""
    out = []
    for row in rows:
        shown = (shown_rows or {}).get(row.municipality.id) or row.figures.shown(k)
        population = row.municipality.population
        out.append({
            "municipality": row.municipality,
            "dialogues": row.dialogue_count,
            **shown,
            "per_thousand": {
                "responses": per_thousand(shown["responses"], population),
                "pins": per_thousand(shown["pins"], population),
                **{v: per_thousand(shown["by_value"][v], population) for v in VALUES},
            },
        })
    return out
