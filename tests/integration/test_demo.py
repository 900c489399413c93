"""`platsdialog demo`: one command gives a dialogue with plausible pins, all inside the area."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import DevelopmentArea, Dialogue, Pin


def test_demo_creates_an_open_dialogue_with_pins_inside_its_area(app_context, runner):
    result = runner.invoke(args=["demo", "--pins", "120"])
    assert result.exit_code == 0, result.output
    dialogue = db.session.execute(select(Dialogue)).scalar_one()
    assert dialogue.status == "open" and dialogue.accepts_responses
    inside = db.session.execute(
        select(func.count()).select_from(Pin)
        .join(DevelopmentArea, DevelopmentArea.id == dialogue.area_id)
        .where(func.ST_Within(Pin.geom, DevelopmentArea.geom), Pin.shape_kind == "point")
    ).scalar_one()
    assert inside == 120
    per_value = dict(db.session.execute(select(Pin.value, func.count()).where(Pin.shape_kind == "point")
                                        .group_by(Pin.value)).all())
    assert set(per_value) == {"safety", "justice", "development"}
    assert sum(per_value.values()) == 120
    # A few residents drew routes and areas too, inside the area, measured in SWEREF 99 TM.
    drawn = db.session.execute(
        select(Pin.shape_kind, Pin.length_m, Pin.area_m2, func.ST_Within(Pin.shape, DevelopmentArea.geom))
        .join(DevelopmentArea, DevelopmentArea.id == dialogue.area_id).where(Pin.shape_kind != "point")
    ).all()
    assert {kind for kind, *_ in drawn} == {"line", "area"}
    assert all(within for *_, within in drawn)
    assert all((length or 0) > 100 or (area or 0) > 1000 for _k, length, area, _w in drawn)
    assert "arbetsgrupp@demo.platsdialog.se" in result.output

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "finns redan" in again.output
    assert db.session.execute(select(func.count()).select_from(Pin)
                              .where(Pin.shape_kind == "point")).scalar_one() == 120


def test_demo_responses_answer_the_survey_so_the_statistics_have_groups(app_context, runner):
    from app.models import Answer, Response, User

    assert runner.invoke(args=["demo", "--pins", "60"]).exit_code == 0
    consents = db.session.execute(
        select(func.count()).select_from(Answer).where(Answer.question_id == "samtycke")
    ).scalar_one()
    assert consents == db.session.execute(select(func.count()).select_from(Response)).scalar_one() == 60
    ages = db.session.execute(select(Answer.value).where(Answer.question_id == "alder")).scalars().all()
    assert len(set(ages)) > 1
    assert db.session.execute(select(Pin.question_id).distinct()).scalars().all()
    assert db.session.execute(select(User).where(User.is_network_coordinator)).scalar_one()


def _password_in(output: str) -> str:
    import re

    return re.search(r"lösenord (\S+) \(visas bara nu\)", output).group(1)


def test_demo_accounts_get_a_new_password_shown_once(app_context, runner):
    from app.models import User

    first = runner.invoke(args=["demo", "--pins", "10"])
    password = _password_in(first.output)
    assert password != "demo-lösenord" and len(password) >= 16
    admin = db.session.execute(select(User).where(User.is_site_admin)).scalar_one()
    assert admin.check_password(password)  # the demo's own, empty database gets every account
    again = runner.invoke(args=["demo"])
    assert password not in again.output and "finns redan" in again.output


def test_demo_refuses_a_database_that_already_holds_an_installation(app_context, runner, make):
    from app.models import Municipality, User

    make.user(make.municipality("Riktiga kommunen", "0180"), "project_leader")
    refused = runner.invoke(args=["demo", "--pins", "10"])
    assert refused.exit_code != 0 and "--into-existing" in refused.output
    assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == 1
    added = runner.invoke(args=["demo", "--pins", "10", "--into-existing"])
    assert added.exit_code == 0, added.output
    assert db.session.execute(select(Municipality).where(Municipality.kommunkod == "9999")).scalar_one()
    assert db.session.execute(select(User).where(User.is_site_admin)).first() is None  # not unasked
    assert "admin@demo" not in added.output
