"""Development areas: list, draw or upload, edit, and the named places inside each."""

from __future__ import annotations

import json

import folium
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from shapely.geometry import mapping
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ..access import can, declares, get_or_404, scope
from ..areas import area_geojson, store_area
from ..basemap import service as basemaps
from ..extensions import db
from ..maps import area_map, base_map, embed
from ..models import DevelopmentArea, Municipality, NamedPlace
from ..models.audit import record
from ..spatial import SWEDEN_BOUNDS
from .area_service import (
    AreaFormError,
    FormArea,
    add_place,
    area_from_form,
    area_in_use,
    forget_upload,
    move_place,
    replace_geometry,
)
from .forms import AreaForm, PlaceForm
from .routes import bp


def editable_municipalities() -> list[Municipality]:
    """The municipalities in which the user may create and change things."""
    visible = db.session.execute(
        scope(select(Municipality), Municipality.id).order_by(Municipality.name)
    ).scalars()
    return [m for m in visible if can(current_user, "edit", m)]


def drawing_map(existing_geojson: str | None, basemap=None) -> folium.Map:
    """A map for Leaflet-Geoman's polygon and rectangle tools (area-draw.js), fitted to the area or Sweden."""
    if existing_geojson:
        m = area_map(existing_geojson, outline_label=_("The area's current outline"), basemap=basemap)
    else:
        m = base_map("60vh", basemap, prefer_canvas=False)
        min_lng, min_lat, max_lng, max_lat = SWEDEN_BOUNDS
        m.fit_bounds([[min_lat, min_lng], [max_lat, max_lng]])
    return m


@bp.route("/omraden")
def areas():
    """The development areas of the user's municipalities with their size."""
    rows = db.session.execute(
        scope(select(DevelopmentArea), DevelopmentArea.municipality_id)
        .order_by(DevelopmentArea.name)
    ).scalars().all()
    return render_template("planner/areas.html", areas=rows,
                           may_create=bool(editable_municipalities()))


def _render_area_form(form: AreaForm, area: DevelopmentArea | None, status: int = 200,
                      error: AreaFormError | None = None):
    if error is not None:
        form.upload_token.data = error.token or ""
        if error.features:
            form.feature.choices = [SelectChoice("", _("Choose a feature"))] + [
                SelectChoice(value, label) for value, label in error.features]
    if area is not None:
        municipality_id = area.municipality_id
    else:  # a new area: the base map of the first municipality the planner may draw for
        municipality_id = next((m.id for m in editable_municipalities()), None)
    m = drawing_map(area_geojson(area.id) if area else None, basemaps.default_for(municipality_id))
    messages = [str(error)] if error is not None else []
    messages += [e for f in form if f.errors for e in f.errors if f.name != "csrf_token"]
    return render_template("planner/area_form.html", form=form, area=area, map=embed(m),
                           messages=messages,
                           kept_token=form.upload_token.data), status


def _render_preview(form: AreaForm, area: DevelopmentArea | None, result: FormArea,
                    municipality: Municipality):
    geometry = json.dumps(mapping(result.imported.geometry))
    m = area_map(geometry, outline_label=_("The uploaded area"))
    form.upload_token.data = result.token or ""
    return render_template("planner/area_preview.html", form=form, area=area, map=embed(m),
                           imported=result.imported, source=result.source,
                           municipality=municipality, lang=str(get_locale())), 200


def _area_of_form(form: AreaForm, kommunkod: str) -> FormArea | None:
    return area_from_form(
        form.geojson.data, form.upload.data, user_id=current_user.id,
        token=form.upload_token.data or None, feature=form.feature.data or None,
        dissolve=form.dissolve.data, repair=form.repair.data, kommunkod=kommunkod)


def _flash_notes(imported) -> None:
    for note in imported.notes:
        flash(note.message(str(get_locale())) if hasattr(note, "message") else str(note), "info")


@bp.route("/omraden/nytt", methods=["GET", "POST"])
def new_area():
    """Create an area by drawing it or by uploading a file (previewed first); nothing stored on failure."""
    municipalities = editable_municipalities()
    if not municipalities:
        abort(403)
    form = AreaForm()
    form.municipality_id.choices = [SelectChoice(m.id, m.name) for m in municipalities]
    if not form.validate_on_submit():
        return _render_area_form(form, None, 422 if form.is_submitted() else 200)
    municipality = next((m for m in municipalities if m.id == form.municipality_id.data), None)
    if municipality is None:
        abort(404)
    try:
        result = _area_of_form(form, municipality.kommunkod)
        if result is None:
            raise AreaFormError(_("Draw the area on the map or upload a file."))
    except AreaFormError as err:
        return _render_area_form(form, None, 422, err)
    if result.source != "drawn" and request.form.get("action") != "save":
        return _render_preview(form, None, result, municipality)
    area = store_area(municipality, form.name.data.strip(), result.imported.geometry,
                      source=result.source)
    record("area.create", user=current_user, municipality_id=municipality.id, obj=area,
           source=result.source)
    db.session.commit()
    forget_upload(current_user.id, result.token)
    _flash_notes(result.imported)
    flash(_("The area %(name)s is saved: %(km2)s km².", name=area.name,
            km2=format_decimal(area.area_km2, format="#,##0.00")), "success")
    return redirect(url_for("planner.area_places", area_id=area.id))


@bp.route("/omraden/<int:area_id>/redigera", methods=["GET", "POST"])
@declares("edit")
def edit_area(area_id: int):
    """Rename an area or give it a new outline (drawn, or uploaded and previewed)."""
    area = get_or_404(DevelopmentArea, area_id, "edit")
    form = AreaForm(obj=area)
    form.municipality_id.choices = [SelectChoice(area.municipality_id, area.municipality.name)]
    form.municipality_id.data = area.municipality_id
    if not form.validate_on_submit():
        return _render_area_form(form, area, 422 if form.is_submitted() else 200)
    try:
        result = _area_of_form(form, area.municipality.kommunkod)
        if result is not None and result.source != "drawn" and request.form.get("action") != "save":
            return _render_preview(form, area, result, area.municipality)
        if result is not None:
            replace_geometry(area, result.imported, result.source)
    except AreaFormError as err:
        db.session.rollback()
        return _render_area_form(form, area, 422, err)
    area.name = form.name.data.strip()
    record("area.edit", user=current_user, municipality_id=area.municipality_id, obj=area,
           outline_changed=result is not None)
    db.session.commit()
    if result is not None:
        forget_upload(current_user.id, result.token)
    flash(_("The area %(name)s is saved: %(km2)s km².", name=area.name,
            km2=format_decimal(area.area_km2, format="#,##0.00")), "success")
    return redirect(url_for("planner.areas"))


@bp.route("/omraden/<int:area_id>/platser", methods=["GET", "POST"])
def area_places(area_id: int):
    """Named places inside the area, for residents who answer without the map."""
    area = get_or_404(DevelopmentArea, area_id, "view")
    may_edit = can(current_user, "edit", area.municipality)
    form = PlaceForm()
    status = 200
    if request.method == "POST":
        if not may_edit:
            abort(403)
        if form.validate_on_submit():
            try:
                place = add_place(area, form.name.data, form.lat.data, form.lng.data)
            except AreaFormError as err:
                db.session.rollback()
                form.lat.errors = [str(err)]
                status = 422
            else:
                record("place.add", user=current_user, municipality_id=area.municipality_id,
                       obj=place, area_id=area.id)
                db.session.commit()
                flash(_("The place %(name)s is added.", name=place.name), "success")
                return redirect(url_for("planner.area_places", area_id=area.id))
        else:
            status = 422
    # The places are drawn as labels by area_map, as on every map of the area.
    m = area_map(area_geojson(area.id), outline_label=_("The area's outline"),
                 basemap=basemaps.default_for(area.municipality_id))
    return render_template("planner/places.html", area=area, form=form, map=embed(m),
                           may_edit=may_edit, in_use=area_in_use(area)), status


def _place_or_404(area: DevelopmentArea, place_id: int) -> NamedPlace:
    place = db.session.get(NamedPlace, place_id)
    if place is None or place.area_id != area.id:
        abort(404)
    return place


@bp.route("/omraden/<int:area_id>/platser/<int:place_id>/ta-bort", methods=["POST"])
def remove_place(area_id: int, place_id: int):
    """Remove a named place (pins that used it keep their text and lose the link)."""
    area = get_or_404(DevelopmentArea, area_id, "edit")
    place = _place_or_404(area, place_id)
    record("place.remove", user=current_user, municipality_id=area.municipality_id, obj=place,
           name=place.name)
    area.named_places.remove(place)
    db.session.flush()
    for position, item in enumerate(area.named_places):
        item.position = position
    db.session.commit()
    flash(_("The place %(name)s is removed.", name=place.name), "success")
    return redirect(url_for("planner.area_places", area_id=area.id))


@bp.route("/omraden/<int:area_id>/platser/<int:place_id>/flytta", methods=["POST"])
def reorder_place(area_id: int, place_id: int):
    """Move a named place up or down in the list."""
    area = get_or_404(DevelopmentArea, area_id, "edit")
    place = _place_or_404(area, place_id)
    move_place(area, place, -1 if request.form.get("direction") == "up" else 1)
    db.session.commit()
    return redirect(url_for("planner.area_places", area_id=area.id) + f"#place-{place.id}")
