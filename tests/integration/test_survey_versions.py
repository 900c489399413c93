"""A published dialogue keeps the exact survey version it was published with."""

import copy

from sqlalchemy import func, select

from app.dialogues import freeze_survey
from app.extensions import db
from app.models import Answer, Response, SurveyVersion
from app.surveys import definition_from_frozen, load_definition

from ..unit.survey_helpers import MINIMAL, write


def test_changing_the_file_never_changes_what_an_open_dialogue_asks(make, tmp_path):
    path = write(tmp_path, MINIMAL)
    first = freeze_survey(load_definition(path), source_name=path.name)
    db.session.commit()
    dialogue = make.dialogue(version=first)
    response = Response(dialogue_id=dialogue.id, survey_version_id=dialogue.survey_version_id,
                        idempotency_key="k" * 20, receipt_code="ABCDEFGHJK")
    response.answers.append(Answer(question_id="val", value="a"))
    db.session.add(response)
    db.session.commit()

    changed = copy.deepcopy(MINIMAL)
    changed["pages"][0]["questions"].insert(
        2, {"id": "ny", "type": "text", "text": "En ny fråga", "max_length": 100}
    )
    write(tmp_path, changed)
    second = freeze_survey(load_definition(path), source_name=path.name)
    db.session.commit()

    assert second.id != first.id and second.content_hash != first.content_hash
    db.session.refresh(dialogue)
    asked = definition_from_frozen(dialogue.survey_version.definition)
    assert [q.id for q in asked.questions] == ["karta", "val", "samtycke"]
    assert db.session.execute(select(Response.survey_version_id)).scalar_one() == first.id


def test_the_same_content_is_stored_once(app_context, tmp_path):
    path = write(tmp_path, MINIMAL)
    a = freeze_survey(load_definition(path))
    b = freeze_survey(load_definition(write(tmp_path, MINIMAL, name="kopia.yaml")))
    db.session.commit()
    assert a.id == b.id
    assert db.session.execute(select(func.count()).select_from(SurveyVersion)).scalar_one() == 1
