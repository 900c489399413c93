"""Pins per answer per hour and per 50 m cell: tallies that answer a demographic-group filter.

A planner who filters the analysis to one group (say, residents aged 25-44) narrows the pins to
the respondents whose answer includes that option. Grouping those pins per day, per value and per
cell joined `pin` with `answer` in every statement: 0.4-0.8 s apiece, 2-3 s for the statistics page,
at a million pins on PostGIS. Two tables hold those counts instead, for every pair of a pin and an
answer of the same response, like `tally_answer_pin` of b41d7c2e9f05 with more of the pin's keys:

- `tally_answer_pin_hour`: per UTC hour and location kind (every pin, as `tally_pin_hour`);
- `tally_answer_pin_cell`: per 50 m SWEREF 99 TM cell, named place and location kind (point pins
  only, as `tally_pin_cell`).

The answer key, the response-delete order and the join with `dialogue` are those of b41d7c2e9f05,
whose helpers this migration loads. PostgreSQL: statement-level triggers with transition tables;
SQLite: row-level. Existing rows are counted once at upgrade.

Revision ID: c7d3a5e1f824
Revises: b41d7c2e9f05
Create Date: 2026-12-01 15:30:00

"""
import importlib.util
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
# table -> (pin condition, [(column, type, expression over the pin row `{p}`, or per dialect)])
TALLIES = {
    'tally_answer_pin_hour': ('1 = 1', [
        ('hour', sa.String(13), {d: e.replace('{r}', '{p}') for d, e in _pins.HOUR.items()}),
        ('location_kind', sa.String(12), '{p}.location_kind')]),
    'tally_answer_pin_cell': ("{p}.shape_kind = 'point'", [
        ('cell_e', sa.Integer(), _CELL),
        ('cell_n', sa.Integer(), _CELL.replace('sweref_e', 'sweref_n')),
        ('named_place_id', sa.Integer(), 'coalesce({p}.named_place_id, 0)'),
        ('location_kind', sa.String(12), '{p}.location_kind')]),
}
PIN_COLUMNS = [('pin_value', sa.String(12), '{p}.value'), ('sentiment', sa.String(10), '{p}.sentiment'),
               ('moderation_state', sa.String(10), '{p}.moderation_state')]
# What the SQLite row triggers give the pin side: every pin column a tally reads.
_PIN_FIELDS = ('response_id', 'value', 'sentiment', 'moderation_state', 'created_at', 'sweref_e',
               'sweref_n', 'named_place_id', 'location_kind', 'shape_kind')


def _columns(table: str):
    return [*TALLIES[table][1], *PIN_COLUMNS]


def _keys(table: str) -> list[str]:
    return [*_answers.ANSWER_KEYS, *(c for c, _t, _e in _columns(table))]


def _pair_rows(dialect: str, table: str, answers: str, pins: str, sign: str, where: str = '1 = 1') -> str:
    """Deltas of `table` from pairs of answer and pin rows of the same live response."""
    exprs = ', '.join(f"{(e[dialect] if isinstance(e, dict) else e).format(p='p')} AS {c}"
                      for c, _t, e in _columns(table))
    condition = TALLIES[table][0].format(p='p')
    return (f"SELECT r.dialogue_id, a.question_id, {_answers._key(dialect, 'a')} AS value, {exprs}, "
            f"{sign} AS n FROM {answers} a JOIN response r ON r.id = a.response_id "
            f"JOIN {pins} p ON p.response_id = a.response_id WHERE {condition} AND {where}")


def _apply(dialect: str, sources: list[tuple[str, str, str]], where: str = '1 = 1') -> list[str]:
    """One grouped upsert per tally, of the pairs from each (answers, pins, sign) source."""
    return [_answers._apply(table, _keys(table),
                            [_pair_rows(dialect, table, a, p, sign, where) for a, p, sign in sources])
            for table in TALLIES]


def _create_tables():
    for table in TALLIES:
        op.create_table(
            table,
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('dialogue_id', sa.Integer(), nullable=False),
            sa.Column('question_id', sa.String(100), nullable=False),
            sa.Column('value', sa.String(_answers.LONG), nullable=False),
            *[sa.Column(c, t, nullable=False) for c, t, _e in _columns(table)],
            sa.Column('n', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['dialogue_id'], ['dialogue.id'],
                                    name=op.f(f'fk_{table}_dialogue_id_dialogue'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
            sa.UniqueConstraint(*_keys(table), name=f'uq_{table}_key'),
        )


def _statements(dialect: str, new_a: str, old_a: str, new_p: str, old_p: str) -> dict[str, list[str]]:
    """The upserts for each write: (source, operation) -> statements."""
    return {
        ('answer', 'insert'): _apply(dialect, [(new_a, 'pin', '1')]),
        ('answer', 'delete'): _apply(dialect, [(old_a, 'pin', '-1')]),
        ('answer', 'update'): _apply(dialect, [(old_a, 'pin', '-1'), (new_a, 'pin', '1')]),
        ('pin', 'insert'): _apply(dialect, [('answer', new_p, '1')]),
        ('pin', 'delete'): _apply(dialect, [('answer', old_p, '-1')]),
        ('pin', 'update'): _apply(dialect, [('answer', old_p, '-1'), ('answer', new_p, '1')]),
    }


def _postgresql_triggers():
    s = _statements('postgresql', 'new_rows', 'old_rows', 'new_rows', 'old_rows')
    for source in ('answer', 'pin'):
        code = (f"IF TG_OP = 'INSERT' THEN {' '.join(s[(source, 'insert')])} "
                f"ELSIF TG_OP = 'DELETE' THEN {' '.join(s[(source, 'delete')])} "
                f"ELSE {' '.join(s[(source, 'update')])} END IF;")
        op.execute(f"CREATE FUNCTION tally_answer_place_{source}_apply() RETURNS trigger "
                   f"LANGUAGE plpgsql AS $$ BEGIN {code} RETURN NULL; END $$")
        for op_name, referencing in (('insert', 'NEW TABLE AS new_rows'),
                                     ('delete', 'OLD TABLE AS old_rows'),
                                     ('update', 'OLD TABLE AS old_rows NEW TABLE AS new_rows')):
            op.execute(f"CREATE TRIGGER tally_answer_place_{source}_{op_name} AFTER {op_name.upper()} "
                       f"ON {source} REFERENCING {referencing} FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION tally_answer_place_{source}_apply()")
    gone = _apply('postgresql', [('answer', 'pin', '-1')], where='a.response_id = OLD.id')
    op.execute("CREATE FUNCTION tally_answer_place_response_delete() RETURNS trigger LANGUAGE plpgsql "
               f"AS $$ BEGIN {' '.join(gone)} RETURN OLD; END $$")
    op.execute("CREATE TRIGGER tally_answer_place_response_delete BEFORE DELETE ON response "
               "FOR EACH ROW EXECUTE FUNCTION tally_answer_place_response_delete()")


def _sqlite_triggers():
    answer = "(SELECT {r}.response_id AS response_id, {r}.question_id AS question_id, {r}.value AS value)"
    pin = "(SELECT " + ", ".join(f"{{r}}.{f} AS {f}" for f in _PIN_FIELDS) + ")"
    s = _statements('sqlite', answer.format(r='NEW'), answer.format(r='OLD'), pin.format(r='NEW'),
                    pin.format(r='OLD'))
    pin_update = f"AFTER UPDATE OF {', '.join(_PIN_FIELDS)} ON pin"
    for (source, op_name), statements in s.items():
        when = pin_update if (source, op_name) == ("pin", "update") \
            else f"AFTER {op_name.upper()} ON {source}"
        op.execute(f"CREATE TRIGGER tally_answer_place_{source}_{op_name} {when} FOR EACH ROW "
                   f"BEGIN {' '.join(statements)} END")
    gone = _apply('sqlite', [('answer', 'pin', '-1')], where='a.response_id = OLD.id')
    op.execute("CREATE TRIGGER tally_answer_place_response_delete BEFORE DELETE ON response FOR EACH ROW "
               f"BEGIN {' '.join(gone)} END")


def _count_existing(dialect: str):
    for table in TALLIES:
        names = ', '.join(_keys(table))
        op.execute(f"INSERT INTO {table} ({names}, n) SELECT {names}, sum(n) FROM "
                   f"({_pair_rows(dialect, table, 'answer', 'pin', '1')}) x GROUP BY {names}")


def upgrade():
    dialect = op.get_bind().dialect.name
    _create_tables()
    _count_existing(dialect)
    if dialect == 'postgresql':
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER tally_answer_place_response_delete ON response")
        op.execute("DROP FUNCTION tally_answer_place_response_delete()")
        for source in ('answer', 'pin'):
            for op_name in ('insert', 'delete', 'update'):
                op.execute(f"DROP TRIGGER tally_answer_place_{source}_{op_name} ON {source}")
            op.execute(f"DROP FUNCTION tally_answer_place_{source}_apply()")
    else:
        op.execute("DROP TRIGGER tally_answer_place_response_delete")
        for source in ('answer', 'pin'):
            for op_name in ('insert', 'delete', 'update'):
                op.execute(f"DROP TRIGGER tally_answer_place_{source}_{op_name}")
    for table in TALLIES:
        op.drop_table(table)
