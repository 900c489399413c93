"""Running counts of a dialogue's pins, responses and answers, kept by triggers in the writer's transaction.

Triggers on `pin` and `response` (migration 2026-12-01_tallies) and on `answer` (2026-12-01_answer_tallies,
2026-12-01_answer_pin_hour_and_cell_tallies, which also lists the group questions the pin tallies count)
add and subtract here on every INSERT, UPDATE and DELETE, whichever code path writes, so the
analysis pages read a few thousand tally rows instead of grouping a million pins. `app/tally.py`
reads them.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

TALLY_CELL = 50  # metres: the finest grid the cell tally serves (every multiple of it too)
NO_CELL = -1  # cell_e / cell_n of a pin that is not on the map (SWEREF 99 TM is positive in Sweden)
NO_PLACE = 0  # named_place_id of a pin at no named place


class PinCellTally(db.Model):
    """Point pins per 50 m SWEREF 99 TM cell, named place, location kind, value, sentiment and state.

    Drawn lines and areas are not in it: the grid code counts them from `pin` itself.
    """

    __tablename__ = "tally_pin_cell"
    __table_args__ = (UniqueConstraint("dialogue_id", "cell_e", "cell_n", "named_place_id",
                                       "location_kind", "value", "sentiment", "moderation_state",
                                       name="uq_tally_pin_cell_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    cell_e: Mapped[int] = mapped_column(Integer)
    cell_n: Mapped[int] = mapped_column(Integer)
    named_place_id: Mapped[int] = mapped_column(Integer)
    location_kind: Mapped[str] = mapped_column(String(12))
    value: Mapped[str] = mapped_column(String(12))
    sentiment: Mapped[str] = mapped_column(String(10))
    moderation_state: Mapped[str] = mapped_column(String(10))
    n: Mapped[int] = mapped_column(Integer)


class PinHourTally(db.Model):
    """Every pin (points, lines, areas) per UTC hour, location kind, value, sentiment and state."""

    __tablename__ = "tally_pin_hour"
    __table_args__ = (UniqueConstraint("dialogue_id", "hour", "location_kind", "value", "sentiment",
                                       "moderation_state", name="uq_tally_pin_hour_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    hour: Mapped[str] = mapped_column(String(13))  # "YYYY-MM-DD HH", as stats._hour_bucket makes it
    location_kind: Mapped[str] = mapped_column(String(12))
    value: Mapped[str] = mapped_column(String(12))
    sentiment: Mapped[str] = mapped_column(String(10))
    moderation_state: Mapped[str] = mapped_column(String(10))
    n: Mapped[int] = mapped_column(Integer)


class ResponseHourTally(db.Model):
    """Responses per UTC hour."""

    __tablename__ = "tally_response_hour"
    __table_args__ = (UniqueConstraint("dialogue_id", "hour", name="uq_tally_response_hour_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    hour: Mapped[str] = mapped_column(String(13))
    n: Mapped[int] = mapped_column(Integer)


ANSWER_KEY_LENGTH = 400  # characters of an answer's JSON text kept as its key
LONG_ANSWER = ""  # the key every longer answer is counted under (readers then group `answer`)


class AnswerTally(db.Model):
    """Answers per question and answer (the answer's JSON text), per dialogue."""

    __tablename__ = "tally_answer"
    __table_args__ = (UniqueConstraint("dialogue_id", "question_id", "value", name="uq_tally_answer_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(String(ANSWER_KEY_LENGTH))
    n: Mapped[int] = mapped_column(Integer)


class AnswerPinTally(db.Model):
    """Pins per group answer of their response (a demographic choice question's, listed in
    survey_group_question): question, answer, pin value, sentiment and state."""

    __tablename__ = "tally_answer_pin"
    __table_args__ = (UniqueConstraint("dialogue_id", "question_id", "value", "pin_value", "sentiment",
                                       "moderation_state", name="uq_tally_answer_pin_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(String(ANSWER_KEY_LENGTH))
    pin_value: Mapped[str] = mapped_column(String(12))
    sentiment: Mapped[str] = mapped_column(String(10))
    moderation_state: Mapped[str] = mapped_column(String(10))
    n: Mapped[int] = mapped_column(Integer)


class AnswerPinHourTally(db.Model):
    """Pins per group answer of their response, per UTC hour: what a demographic-group filter
    narrows the pins per day and per value to (every pin, as PinHourTally)."""

    __tablename__ = "tally_answer_pin_hour"
    __table_args__ = (UniqueConstraint("dialogue_id", "question_id", "value", "hour", "location_kind",
                                       "pin_value", "sentiment", "moderation_state",
                                       name="uq_tally_answer_pin_hour_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(String(ANSWER_KEY_LENGTH))
    hour: Mapped[str] = mapped_column(String(13))
    location_kind: Mapped[str] = mapped_column(String(12))
    pin_value: Mapped[str] = mapped_column(String(12))
    sentiment: Mapped[str] = mapped_column(String(10))
    moderation_state: Mapped[str] = mapped_column(String(10))
    n: Mapped[int] = mapped_column(Integer)


class AnswerPinCellTally(db.Model):
    """Point pins per group answer of their response, per 50 m cell and named place (as PinCellTally)."""

    __tablename__ = "tally_answer_pin_cell"
    __table_args__ = (UniqueConstraint("dialogue_id", "question_id", "value", "cell_e", "cell_n",
                                       "named_place_id", "location_kind", "pin_value", "sentiment",
                                       "moderation_state", name="uq_tally_answer_pin_cell_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(String(ANSWER_KEY_LENGTH))
    cell_e: Mapped[int] = mapped_column(Integer)
    cell_n: Mapped[int] = mapped_column(Integer)
    named_place_id: Mapped[int] = mapped_column(Integer)
    location_kind: Mapped[str] = mapped_column(String(12))
    pin_value: Mapped[str] = mapped_column(String(12))
    sentiment: Mapped[str] = mapped_column(String(10))
    moderation_state: Mapped[str] = mapped_column(String(10))
    n: Mapped[int] = mapped_column(Integer)


class AnswerPairPinTally(db.Model):
    """Pins per pair of group answers of their response to two different questions: the pins of one
    group (question_id, value) per the respondents' answer to another group question."""

    __tablename__ = "tally_answer_pair_pin"
    __table_args__ = (UniqueConstraint("dialogue_id", "question_id", "value", "other_question_id",
                                       "other_value", "pin_value", "sentiment", "moderation_state",
                                       name="uq_tally_answer_pair_pin_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(String(ANSWER_KEY_LENGTH))
    other_question_id: Mapped[str] = mapped_column(String(100))
    other_value: Mapped[str] = mapped_column(String(ANSWER_KEY_LENGTH))
    pin_value: Mapped[str] = mapped_column(String(12))
    sentiment: Mapped[str] = mapped_column(String(10))
    moderation_state: Mapped[str] = mapped_column(String(10))
    n: Mapped[int] = mapped_column(Integer)
