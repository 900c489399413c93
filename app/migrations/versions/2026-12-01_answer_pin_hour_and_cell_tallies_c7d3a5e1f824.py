"""Pins per group answer per hour, per 50 m cell and per other group answer: a group filter's tallies.

A planner who filters the analysis to one demographic group (say, residents aged 25-44) narrows the
pins to the respondents whose answer includes that option. Grouping those pins per day, per value,
per cell and per the respondents' other group answers joined `pin` with `answer` in every
statement: 0.4-0.8 s apiece, 2-3 s for the statistics page, at a million pins on PostGIS. Tables
hold those counts instead, kept by triggers like the tallies of 6e2b8f41c9d3 and b41d7c2e9f05:

- `survey_group_question`: a survey version's demographic choice questions (the only answers a
  group filter or the group tables read), written with the version by the app, filled here for
  the versions there are;
- `tally_answer_pin_hour`: pins per group answer, UTC hour and location kind (every pin, as
  `tally_pin_hour`);
- `tally_answer_pin_cell`: point pins per group answer, 50 m SWEREF 99 TM cell, named place and
  location kind (as `tally_pin_cell`);
- `tally_answer_pair_pin`: pins per pair of two group answers of the same response (the group
  tables of other questions under a group filter);
- `response_option`: each option a response chose in a group question, so that a filter the
  tallies cannot answer (two groups, a group and a theme or dates) finds its respondents by index
  instead of matching the JSON text of every answer to the question in every dialogue (0.4 s at
  a million pins before the pins are even grouped).

`tally_answer_pin` (b41d7c2e9f05) counted the pins of every answer, free text included, which
grows with the responses; it now counts group answers only, like the new tables, and its triggers
move here (its readers only ever asked for group questions). `tally_answer` keeps every answer.

The answer key, the response-delete order and the join with `dialogue` are those of b41d7c2e9f05,
whose helpers this migration loads. PostgreSQL: statement-level triggers with transition tables;
SQLite: row-level. Existing rows are counted once at upgrade.

Revision ID: c7d3a5e1f824
Revises: b41d7c2e9f05
Create Date: 2026-12-01 15:30:00

"""
import importlib.util
import json
from pathlib import Path

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c7d3a5e1f824'
down_revision = 'b41d7c2e9f05'
branch_labels = None
depends_on = None


def _load(name: str):
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_answers = _load('2026-12-01_answer_tallies_b41d7c2e9f05.py')
_pins = _load('2026-12-01_tallies_6e2b8f41c9d3.py')

_CELL = 'coalesce(CAST(floor({p}.sweref_e / 50) AS INTEGER), -1)'
# Tallies of (group answer, pin) pairs: table -> (pin condition, [(column, type, expression over the
# pin row `{p}`, or one per dialect)]).
PIN_TALLIES = {
    'tally_answer_pin': ('1 = 1', []),
    'tally_answer_pin_hour': ('1 = 1', [
        ('hour', sa.String(13), {d: e.replace('{r}', '{p}') for d, e in _pins.HOUR.items()}),
        ('location_kind', sa.String(12), '{p}.location_kind')]),
    'tally_answer_pin_cell': ("{p}.shape_kind = 'point'", [
        ('cell_e', sa.Integer(), _CELL),
        ('cell_n', sa.Integer(), _CELL.replace('sweref_e', 'sweref_n')),
        ('named_place_id', sa.Integer(), 'coalesce({p}.named_place_id, 0)'),
        ('location_kind', sa.String(12), '{p}.location_kind')]),
}
PAIR_TALLY = 'tally_answer_pair_pin'
PAIR_COLUMNS = [('other_question_id', sa.String(100)), ('other_value', sa.String(_answers.LONG))]
PIN_COLUMNS = [('pin_value', sa.String(12), '{p}.value'), ('sentiment', sa.String(10), '{p}.sentiment'),
               ('moderation_state', sa.String(10), '{p}.moderation_state')]
# What the SQLite row triggers give of a row: every column a tally reads.
_ANSWER_FIELDS = ('id', 'response_id', 'question_id', 'value')
_PIN_FIELDS = ('response_id', 'value', 'sentiment', 'moderation_state', 'created_at', 'sweref_e',
               'sweref_n', 'named_place_id', 'location_kind', 'shape_kind')


def _columns(table: str):
    return [*PIN_TALLIES[table][1], *PIN_COLUMNS] if table in PIN_TALLIES else PIN_COLUMNS


def _keys(table: str) -> list[str]:
    pair = [c for c, _t in PAIR_COLUMNS] if table == PAIR_TALLY else []
    return [*_answers.ANSWER_KEYS, *pair, *(c for c, _t, _e in _columns(table))]


def _group(answer: str) -> str:
    """The join that keeps only answers to a group question of the response's survey version."""
    return (f"JOIN survey_group_question g{answer} ON g{answer}.survey_version_id = r.survey_version_id "
            f"AND g{answer}.question_id = {answer}.question_id")


def _pin_exprs(dialect: str, table: str) -> str:
    return ', '.join(f"{(e[dialect] if isinstance(e, dict) else e).format(p='p')} AS {c}"
                     for c, _t, e in _columns(table))


def _is_table(source: str) -> bool:
    """Whether a source is a table (or a part of one), not the rows a trigger was given."""
    return source in ('answer', 'pin') or source.startswith('(SELECT * FROM answer')


def _joined(dialect: str, sources: list[tuple[str, str]]) -> str:
    """FROM and JOINs of rows of one live response: (alias, source) pairs, answer aliases joined to
    the response's group questions.

    The first source that holds the trigger's rows drives. On PostgreSQL the tables are reached
    from it through LATERAL subqueries fenced by OFFSET 0, so each is read by its response_id
    index: otherwise a statement of many rows (a retention purge) is planned as a hash join of
    the whole `answer` table, once per tally.
    """
    driver = next((s for s in sources if not _is_table(s[1])), sources[0])
    alias, source = driver
    parts = [f"FROM {source} {alias} JOIN response r ON r.id = {alias}.response_id"]
    for other, table in (s for s in sources if s is not driver):
        if dialect == 'postgresql' and _is_table(table):
            parts.append(f"CROSS JOIN LATERAL (SELECT * FROM {table} x "
                         f"WHERE x.response_id = {alias}.response_id OFFSET 0) {other}")
        else:
            parts.append(f"JOIN {table} {other} ON {other}.response_id = {alias}.response_id")
    parts += [_group(a) for a, _s in sources if a in ('a', 'b')]
    return ' '.join(parts)


def _pair_rows(dialect: str, table: str, answers: str, pins: str, sign: str, where: str = '1 = 1') -> str:
    """Deltas of a pin tally from pairs of group answer and pin rows of the same live response."""
    condition = PIN_TALLIES[table][0].format(p='p')
    return (f"SELECT r.dialogue_id, a.question_id, {_answers._key(dialect, 'a')} AS value, "
            f"{_pin_exprs(dialect, table)}, {sign} AS n "
            f"{_joined(dialect, [('a', answers), ('p', pins)])} WHERE {condition} AND {where}")


def _triple_rows(dialect: str, first: str, second: str, pins: str, sign: str, where: str = '1 = 1') -> str:
    """Deltas of the pair tally from two group answers (of different questions) and a pin of the
    same live response."""
    return (f"SELECT r.dialogue_id, a.question_id, {_answers._key(dialect, 'a')} AS value, "
            f"b.question_id AS other_question_id, {_answers._key(dialect, 'b')} AS other_value, "
            f"{_pin_exprs(dialect, PAIR_TALLY)}, {sign} AS n "
            f"{_joined(dialect, [('a', first), ('b', second), ('p', pins)])} "
            f"WHERE b.question_id <> a.question_id AND {where}")


def _upserts(dialect: str, pairs: list[tuple[str, str, str]], triples: list[tuple[str, str, str, str]],
             where: str = '1 = 1') -> list[str]:
    """One grouped upsert per tally: pin tallies from (answers, pins, sign) sources, the pair tally
    from (first answers, second answers, pins, sign) sources."""
    statements = [_answers._apply(table, _keys(table),
                                  [_pair_rows(dialect, table, a, p, sign, where) for a, p, sign in pairs])
                  for table in PIN_TALLIES]
    statements.append(_answers._apply(PAIR_TALLY, _keys(PAIR_TALLY),
                                      [_triple_rows(dialect, a, b, p, sign, where) for a, b, p, sign in triples]))
    return statements


def _statements(dialect: str, new_a: str, old_a: str, rest_a: str, new_p: str, old_p: str) -> dict:
    """The upserts for each write, and for answers the chosen options: (source, operation) ->
    statements.

    Answer pairs, with N the new rows, O the old ones and T the table after the statement
    (T minus N is `rest_a`): an insert adds N×T and (T-N)×N; a delete takes O×T, T×O and O×O; an
    update does both, with T-N in place of T on the old side.
    """
    added = [(new_a, 'answer', 'pin', '1'), (rest_a, new_a, 'pin', '1')]
    taken = [(old_a, 'answer', 'pin', '-1'), ('answer', old_a, 'pin', '-1'), (old_a, old_a, 'pin', '-1')]
    taken_from_rest = [(old_a, rest_a, 'pin', '-1'), (rest_a, old_a, 'pin', '-1'), (old_a, old_a, 'pin', '-1')]
    return {
        ('answer', 'insert'): [*_upserts(dialect, [(new_a, 'pin', '1')], added),
                               *_option_changes(dialect, 'insert', new_a, old_a)],
        ('answer', 'delete'): [*_upserts(dialect, [(old_a, 'pin', '-1')], taken),
                               *_option_changes(dialect, 'delete', new_a, old_a)],
        ('answer', 'update'): [*_upserts(dialect, [(old_a, 'pin', '-1'), (new_a, 'pin', '1')],
                                         [*taken_from_rest, *added]),
                               *_option_changes(dialect, 'update', new_a, old_a)],
        ('pin', 'insert'): _upserts(dialect, [('answer', new_p, '1')], [('answer', 'answer', new_p, '1')]),
        ('pin', 'delete'): _upserts(dialect, [('answer', old_p, '-1')], [('answer', 'answer', old_p, '-1')]),
        ('pin', 'update'): _upserts(dialect, [('answer', old_p, '-1'), ('answer', new_p, '1')],
                                    [('answer', 'answer', old_p, '-1'), ('answer', 'answer', new_p, '1')]),
    }


# A response whose answers are gone already (the retention purge deletes them first) has nothing
# left to subtract: one index probe instead of five statements per row.
_HAS_ANSWERS = "EXISTS (SELECT 1 FROM answer WHERE response_id = OLD.id)"


def _response_gone(dialect: str) -> list[str]:
    """What a response's deletion takes away, before its answers and pins go by cascade."""
    return _upserts(dialect, [('answer', 'pin', '-1')], [('answer', 'answer', 'pin', '-1')],
                    where='a.response_id = OLD.id')


def _options(dialect: str, answers: str) -> str:
    """(dialogue_id, question_id, option_id, response_id) of each option chosen in the group answers
    of `answers`: "opt", ["a", "b"] or {"selected": ..., "other": text} (surveys/answers.chosen_ids)."""
    if dialect == 'postgresql':
        chosen = ("CASE WHEN json_typeof(a.value) = 'object' THEN a.value -> 'selected' ELSE a.value END")
        each = (f"CROSS JOIN LATERAL json_array_elements(CASE json_typeof({chosen}) WHEN 'array' "
                f"THEN {chosen} ELSE json_build_array({chosen}) END) o(value)")
        option, is_text = "o.value #>> '{}'", "json_typeof(o.value) = 'string'"
    else:
        each = ("JOIN json_each(a.value, CASE json_type(a.value) WHEN 'object' THEN '$.selected' "
                "ELSE '$' END) o")
        option, is_text = "o.value", "o.type = 'text'"
    return (f"SELECT DISTINCT r.dialogue_id, a.question_id, {option} AS option_id, a.response_id "
            f"FROM {answers} a JOIN response r ON r.id = a.response_id {_group('a')} {each} "
            f"WHERE {is_text}")


def _option_changes(dialect: str, op_name: str, new_a: str, old_a: str) -> list[str]:
    """The statements that keep response_option in step with an INSERT, DELETE or UPDATE of answers."""
    insert = (f"INSERT INTO response_option (dialogue_id, question_id, option_id, response_id) "
              f"{_options(dialect, new_a)} ON CONFLICT DO NOTHING;")
    delete = ("DELETE FROM response_option WHERE EXISTS (SELECT 1 FROM " + old_a + " a WHERE "
              "a.response_id = response_option.response_id AND a.question_id = response_option.question_id);")
    return {'insert': [insert], 'delete': [delete], 'update': [delete, insert]}[op_name]


def _answer_only(dialect: str, rows: list[tuple[str, str]]) -> str:
    """b41d7c2e9f05's upsert of tally_answer alone, from (answers, sign) sources."""
    return _answers._apply('tally_answer', _answers.ANSWER_KEYS,
                           [_answers._answer_rows(dialect, a, sign) for a, sign in rows])


def _create_tables():
    op.create_table(
        'survey_group_question',
        sa.Column('survey_version_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(['survey_version_id'], ['survey_version.id'],
                                name=op.f('fk_survey_group_question_survey_version_id_survey_version'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('survey_version_id', 'question_id', name=op.f('pk_survey_group_question')),
    )
    op.create_table(
        'response_option',
        sa.Column('dialogue_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.String(100), nullable=False),
        sa.Column('option_id', sa.String(100), nullable=False),
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['dialogue_id'], ['dialogue.id'],
                                name=op.f('fk_response_option_dialogue_id_dialogue'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['response_id'], ['response.id'],
                                name=op.f('fk_response_option_response_id_response'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('dialogue_id', 'question_id', 'option_id', 'response_id',
                                name=op.f('pk_response_option')),
    )
    # Led by the response, and covering: the cascades find a response's rows by it, and the
    # statistics read each respondent's options from the index alone (stats._grouped_pins).
    op.create_index('ix_response_option_response', 'response_option',
                    ['response_id', 'question_id', 'option_id'])
    for table in [*PIN_TALLIES, PAIR_TALLY]:
        if table == 'tally_answer_pin':
            continue  # b41d7c2e9f05's
        op.create_table(
            table,
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('dialogue_id', sa.Integer(), nullable=False),
            sa.Column('question_id', sa.String(100), nullable=False),
            sa.Column('value', sa.String(_answers.LONG), nullable=False),
            *[sa.Column(c, t, nullable=False) for c, t in (PAIR_COLUMNS if table == PAIR_TALLY else [])],
            *[sa.Column(c, t, nullable=False) for c, t, _e in _columns(table)],
            sa.Column('n', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['dialogue_id'], ['dialogue.id'],
                                    name=op.f(f'fk_{table}_dialogue_id_dialogue'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
            sa.UniqueConstraint(*_keys(table), name=f'uq_{table}_key'),
        )


def _fill_group_questions():
    """Each stored survey version's demographic choice questions, read from its frozen definition."""
    bind = op.get_bind()
    rows = []
    for version_id, definition in bind.execute(sa.text("SELECT id, definition FROM survey_version")):
        frozen = json.loads(definition) if isinstance(definition, str) else definition
        rows += [{'v': version_id, 'q': q['id']} for page in frozen.get('pages', [])
                 for q in page.get('questions', [])
                 if q.get('demographic') and q.get('type') in ('single_choice', 'multi_choice')]
    if rows:
        bind.execute(sa.text("INSERT INTO survey_group_question (survey_version_id, question_id) "
                             "VALUES (:v, :q)"), rows)


def _count_existing(dialect: str):
    op.execute(f"INSERT INTO response_option (dialogue_id, question_id, option_id, response_id) "
               f"{_options(dialect, 'answer')}")
    op.execute("DELETE FROM tally_answer_pin")
    for table in [*PIN_TALLIES, PAIR_TALLY]:
        names = ', '.join(_keys(table))
        rows = (_triple_rows(dialect, 'answer', 'answer', 'pin', '1') if table == PAIR_TALLY
                else _pair_rows(dialect, table, 'answer', 'pin', '1'))
        op.execute(f"INSERT INTO {table} ({names}, n) SELECT {names}, sum(n) FROM ({rows}) x "
                   f"GROUP BY {names}")


def _postgresql_triggers():
    d = 'postgresql'
    # b41d7c2e9f05's functions keep tally_answer only; the pin tallies' triggers are made below.
    op.execute("DROP TRIGGER tally_answer_response_delete ON response")
    op.execute("DROP FUNCTION tally_answer_response_delete()")
    for op_name in ('insert', 'delete', 'update'):
        op.execute(f"DROP TRIGGER tally_answer_pin_{op_name} ON pin")
    op.execute("DROP FUNCTION tally_answer_pin_apply()")
    op.execute(
        "CREATE OR REPLACE FUNCTION tally_answer_answer_apply() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF TG_OP = 'INSERT' THEN {_answer_only(d, [('new_rows', '1')])} "
        f"ELSIF TG_OP = 'DELETE' THEN {_answer_only(d, [('old_rows', '-1')])} "
        f"ELSE {_answer_only(d, [('old_rows', '-1'), ('new_rows', '1')])} END IF; RETURN NULL; END $$")

    rest = "(SELECT * FROM answer WHERE id NOT IN (SELECT id FROM new_rows))"
    s = _statements(d, 'new_rows', 'old_rows', rest, 'new_rows', 'old_rows')
    for source in ('answer', 'pin'):
        code = (f"IF TG_OP = 'INSERT' THEN {' '.join(s[(source, 'insert')])} "
                f"ELSIF TG_OP = 'DELETE' THEN {' '.join(s[(source, 'delete')])} "
                f"ELSE {' '.join(s[(source, 'update')])} END IF;")
        op.execute(f"CREATE FUNCTION tally_group_{source}_apply() RETURNS trigger "
                   f"LANGUAGE plpgsql AS $$ BEGIN {code} RETURN NULL; END $$")
        for op_name, referencing in (('insert', 'NEW TABLE AS new_rows'),
                                     ('delete', 'OLD TABLE AS old_rows'),
                                     ('update', 'OLD TABLE AS old_rows NEW TABLE AS new_rows')):
            op.execute(f"CREATE TRIGGER tally_group_{source}_{op_name} AFTER {op_name.upper()} "
                       f"ON {source} REFERENCING {referencing} FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION tally_group_{source}_apply()")
    gone = [_answer_only(d, [("(SELECT * FROM answer WHERE response_id = OLD.id)", '-1')]),
            *_response_gone(d)]
    op.execute("CREATE FUNCTION tally_group_response_delete() RETURNS trigger LANGUAGE plpgsql "
               f"AS $$ BEGIN IF {_HAS_ANSWERS} THEN {' '.join(gone)} END IF; RETURN OLD; END $$")
    op.execute("CREATE TRIGGER tally_group_response_delete BEFORE DELETE ON response "
               "FOR EACH ROW EXECUTE FUNCTION tally_group_response_delete()")


_SQLITE_OLD = ('answer_insert', 'answer_delete', 'answer_update', 'pin_insert', 'pin_delete', 'pin_update',
               'response_delete')


def _sqlite_triggers():
    d = 'sqlite'
    for name in _SQLITE_OLD:  # b41d7c2e9f05's; tally_answer's are made again, without the pins
        op.execute(f"DROP TRIGGER tally_answer_{name}")

    def row(fields, r):
        return "(SELECT " + ", ".join(f"{r}.{f} AS {f}" for f in fields) + ")"

    new_a, old_a = row(_ANSWER_FIELDS, 'NEW'), row(_ANSWER_FIELDS, 'OLD')
    s = _statements(d, new_a, old_a, "(SELECT * FROM answer WHERE id <> NEW.id)",
                    row(_PIN_FIELDS, 'NEW'), row(_PIN_FIELDS, 'OLD'))
    s[('answer', 'insert')].insert(0, _answer_only(d, [(new_a, '1')]))
    s[('answer', 'delete')].insert(0, _answer_only(d, [(old_a, '-1')]))
    s[('answer', 'update')].insert(0, _answer_only(d, [(old_a, '-1'), (new_a, '1')]))
    pin_update = f"AFTER UPDATE OF {', '.join(_PIN_FIELDS)} ON pin"
    for (source, op_name), statements in s.items():
        when = pin_update if (source, op_name) == ('pin', 'update') \
            else f"AFTER {op_name.upper()} ON {source}"
        op.execute(f"CREATE TRIGGER tally_group_{source}_{op_name} {when} FOR EACH ROW "
                   f"BEGIN {' '.join(statements)} END")
    gone = [_answer_only(d, [("(SELECT * FROM answer WHERE response_id = OLD.id)", '-1')]),
            *_response_gone(d)]
    op.execute("CREATE TRIGGER tally_group_response_delete BEFORE DELETE ON response FOR EACH ROW "
               f"WHEN {_HAS_ANSWERS} BEGIN {' '.join(gone)} END")


def upgrade():
    dialect = op.get_bind().dialect.name
    _create_tables()
    _fill_group_questions()
    _count_existing(dialect)
    if dialect == 'postgresql':
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.execute("DROP TRIGGER tally_group_response_delete ON response")
        op.execute("DROP FUNCTION tally_group_response_delete()")
        for source in ('answer', 'pin'):
            for op_name in ('insert', 'delete', 'update'):
                op.execute(f"DROP TRIGGER tally_group_{source}_{op_name} ON {source}")
            op.execute(f"DROP FUNCTION tally_group_{source}_apply()")
        for op_name in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER tally_answer_answer_{op_name} ON answer")
        op.execute("DROP FUNCTION tally_answer_answer_apply()")
        _answers._postgresql_triggers()
    else:
        op.execute("DROP TRIGGER tally_group_response_delete")
        for source in ('answer', 'pin'):
            for op_name in ('insert', 'delete', 'update'):
                op.execute(f"DROP TRIGGER tally_group_{source}_{op_name}")
        _answers._sqlite_triggers()
    for table in [PAIR_TALLY, *PIN_TALLIES]:
        if table != 'tally_answer_pin':
            op.drop_table(table)
    op.drop_table('response_option')
    op.drop_table('survey_group_question')
    op.execute("DELETE FROM tally_answer")
    op.execute("DELETE FROM tally_answer_pin")
    _answers._count_existing(dialect)
