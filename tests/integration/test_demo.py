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
        .where(func.ST_Within(Pin.geom, DevelopmentArea.geom))
    ).scalar_one()
    assert inside == 120
    per_value = dict(db.session.execute(select(Pin.value, func.count()).group_by(Pin.value)).all())
    assert set(per_value) == {"safety", "justice", "development"}
    assert sum(per_value.values()) == 120
    assert "arbetsgrupp@demo.platsdialog.se" in result.output

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "finns redan" in again.output
    assert db.session.execute(select(func.count()).select_from(Pin)).scalar_one() == 120


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
