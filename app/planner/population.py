"""The reference population a dialogue's respondents are compared with: import and choice."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..access import can, dialogue_or_404, in_municipality_or_404
from ..extensions import db
from ..models import PopulationTable
from ..models.audit import record
from ..population.importer import parse_population_csv
from ..population.service import areas_of, link_dialogue, store_population, tables_of
from .forms import PopulationChoiceForm, PopulationImportForm
from .routes import bp


def _render(dialogue, upload: PopulationImportForm | None = None, problems=(), status: int = 200):
    tables = tables_of(dialogue.municipality_id)
    choice = PopulationChoiceForm(prefix="choice")
    choice.table_id.choices = [SelectChoice(0, _("None"))] + [
        SelectChoice(t.id, t.name + (" – " + _("example") if t.is_example else "")) for t in tables]
    choice.table_id.data = dialogue.population_table_id or 0
    areas = areas_of(dialogue.population_table_id) if dialogue.population_table_id else []
    choice.areas.choices = [SelectChoice(code, f"{code} {name or ''} ({n})".strip())
                            for code, name, n in areas]
    choice.areas.data = dialogue.population_areas or [code for code, _n, _i in areas]
    return render_template(
        "planner/population.html", dialogue=dialogue, upload=upload or PopulationImportForm(
            prefix="upload"), choice=choice, tables=tables, areas=areas, problems=problems,
        current=db.session.get(PopulationTable, dialogue.population_table_id)
        if dialogue.population_table_id else None,
        may_edit=can(current_user, "edit", dialogue.municipality),
    ), status


@bp.route("/dialoger/<int:dialogue_id>/befolkning")
def population(dialogue_id: int):
    """The dialogue's reference population: which table and areas, and a form to import one."""
    return _render(dialogue_or_404(dialogue_id, "view"))


@bp.route("/dialoger/<int:dialogue_id>/befolkning/importera", methods=["POST"])
def import_population(dialogue_id: int):
    """Import a population CSV for the municipality and compare the dialogue with it."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    form = PopulationImportForm(prefix="upload")
    if not form.validate_on_submit():
        return _render(dialogue, form, status=422)
    upload = form.upload.data
    if upload is None or not getattr(upload, "filename", ""):
        form.upload.errors = [_("Choose a CSV file to import.")]
        return _render(dialogue, form, status=422)
    parsed = parse_population_csv(upload.read())
    if parsed.problems:
        return _render(dialogue, form, problems=parsed.problems, status=422)
    table = store_population(dialogue.municipality, form.name.data, parsed,
                             is_example=bool(form.is_example.data))
    link_dialogue(dialogue, table)
    record("population.import", user=current_user, municipality_id=dialogue.municipality_id,
           obj=table, rows=len(parsed.rows), inhabitants=parsed.total)
    db.session.commit()
    flash(_("The population table %(name)s is imported: %(n)s inhabitants in %(areas)s areas.",
            name=table.name, n=parsed.total, areas=len({r.area_code for r in parsed.rows})),
          "success")
    return redirect(url_for("planner.population", dialogue_id=dialogue.id))


@bp.route("/dialoger/<int:dialogue_id>/befolkning/valj", methods=["POST"])
def choose_population(dialogue_id: int):
    """Compare the dialogue with another of the municipality's tables, or with some of its areas."""
    dialogue = dialogue_or_404(dialogue_id, "edit")
    form = PopulationChoiceForm(prefix="choice")
    if not form.validate_on_submit():
        abort(400)
    table = None
    if form.table_id.data:
        table = in_municipality_or_404(PopulationTable, form.table_id.data, dialogue.municipality)
    same_table = table is not None and table.id == dialogue.population_table_id
    link_dialogue(dialogue, table, form.areas.data if same_table else None)
    record("population.choose", user=current_user, municipality_id=dialogue.municipality_id,
           obj=dialogue, table_id=table.id if table else None, areas=dialogue.population_areas)
    db.session.commit()
    flash(_("The reference population is saved."), "success")
    return redirect(url_for("planner.population", dialogue_id=dialogue.id))
