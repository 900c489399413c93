"""Answer tallies: running counts of answers, and of pins per answer, kept by triggers.

The statistics page and the steering overview count answers per question and pins per value for
each demographic group. At a million pins each of those joins every `answer` with `response` or
`pin` (about 1 s apiece on PostGIS). Two tables hold those counts instead, kept by triggers in
the writer's transaction like the tallies of 6e2b8f41c9d3:

- `tally_answer`: answers per dialogue, question and answer (the answer's JSON text);
- `tally_answer_pin`: pins per dialogue, question, answer, pin value, sentiment and state,
  i.e. each pair of a pin and an answer of the same response.

An answer longer than 400 characters (free text) is counted under the empty key, so the key
index stays small; the readers fall back to grouping `answer` when they meet it. `answer` has no
dialogue: the triggers find it through `response`. When a response is deleted its answers and
pins go by cascade after the response row is gone, so a BEFORE DELETE trigger on `response`
subtracts them first, and the triggers on `answer` and `pin` count only rows whose response
still exists. Deltas are joined with `dialogue`, so a dialogue's cascade writes no tally row for
the dialogue being deleted; the pin and response tallies of 6e2b8f41c9d3 get the same join on
PostgreSQL, where deleting a dialogue failed on their foreign key. On PostgreSQL the `answer`
and `pin` triggers are statement-level with transition tables (one grouped upsert per statement,
in key order); SQLite row-level.
Existing rows are counted once at upgrade.

Revision ID: b41d7c2e9f05
Revises: 7e2b4c9a1f05 (WMS base maps; written against 6e2b8f41c9d3)
Create Date: 2026-12-01 13:00:00

"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b41d7c2e9f05'
down_revision = '7e2b4c9a1f05'
branch_labels = None
depends_on = None

LONG = 400  # characters of answer text kept as a key; longer answers are counted under ''
ANSWER_KEYS = ['dialogue_id', 'question_id', 'value']
PIN_KEYS = [*ANSWER_KEYS, 'pin_value', 'sentiment', 'moderation_state']


def _text(dialect: str, a: str) -> str:
    return f"{a}.value::text" if dialect == 'postgresql' else f"CAST({a}.value AS TEXT)"


def _key(dialect: str, a: str) -> str:
    """The tally key of answer row `a`: its JSON text, or '' when longer than LONG."""
    text = _text(dialect, a)
    return f"CASE WHEN length({text}) <= {LONG} THEN {text} ELSE '' END"


def _answer_rows(dialect: str, answers: str, sign: str, where: str = '1 = 1') -> str:
    """Deltas of tally_answer from answer rows (joined with their response, if it still exists)."""
    return (f"SELECT r.dialogue_id, a.question_id, {_key(dialect, 'a')} AS value, {sign} AS n "
            f"FROM {answers} a JOIN response r ON r.id = a.response_id WHERE {where}")


def _pair_rows(dialect: str, answers: str, pins: str, sign: str, where: str = '1 = 1') -> str:
    """Deltas of tally_answer_pin from pairs of answer and pin rows of the same live response."""
    return (f"SELECT r.dialogue_id, a.question_id, {_key(dialect, 'a')} AS value, p.value AS pin_value, "
            f"p.sentiment, p.moderation_state, {sign} AS n FROM {answers} a "
            f"JOIN response r ON r.id = a.response_id JOIN {pins} p ON p.response_id = a.response_id "
            f"WHERE {where}")


def _apply(table: str, keys: list[str], parts: list[str]) -> str:
    names = ', '.join(keys)
    dn = ', '.join(f'd.{k}' for k in keys)
    return (f"INSERT INTO {table} ({names}, n) SELECT {dn}, d.n FROM ("
            f"SELECT {names}, sum(n) AS n FROM ({' UNION ALL '.join(parts)}) x GROUP BY {names} "
            f"HAVING sum(n) <> 0) d JOIN dialogue g ON g.id = d.dialogue_id WHERE 1 = 1 ORDER BY {dn} "
            f"ON CONFLICT ({names}) DO UPDATE SET n = {table}.n + excluded.n;")


def _tallies_of_6e2b8f41c9d3():
    """The pin and response tallies as the previous migration defines them."""
    path = Path(__file__).with_name('2026-12-01_tallies_6e2b8f41c9d3.py')
    spec = importlib.util.spec_from_file_location('tallies_6e2b8f41c9d3', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _replace_pin_tally_functions(join_dialogue: bool):
    """The PostgreSQL functions of the earlier tallies, with (or, on downgrade, without) the join
    with `dialogue` that keeps a dialogue's cascade from writing tally rows for it."""
    old = _tallies_of_6e2b8f41c9d3()
    for table, (_source, condition, columns) in old.TALLIES.items():
        names = ', '.join(c for c, _e in columns)

        def delta(rows: str, sign: int, condition=condition, columns=columns) -> str:
            exprs = ', '.join(f'{e} AS {c}' for (c, _), e in
                              zip(columns, old._expressions(columns, 'postgresql', 'r'), strict=True))
            return f"SELECT {exprs}, {sign} AS n FROM {rows} r WHERE {condition.format(r='r')}"

        def apply(parts: list[str], table=table, names=names, columns=columns) -> str:
            if not join_dialogue:
                return (f"WITH d AS (SELECT {names}, sum(n) AS n FROM ({' UNION ALL '.join(parts)}) x "
                        f"GROUP BY {names} HAVING sum(n) <> 0) "
                        f"INSERT INTO {table} ({names}, n) SELECT {names}, n FROM d ORDER BY {names} "
                        f"ON CONFLICT ({names}) DO UPDATE SET n = {table}.n + EXCLUDED.n;")
            return _apply(table, [c for c, _e in columns], parts)

        op.execute(f"""
CREATE OR REPLACE FUNCTION {table}_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {apply([delta('new_rows', 1)])}
  ELSIF TG_OP = 'DELETE' THEN
    {apply([delta('old_rows', -1)])}
  ELSE
    {apply([delta('old_rows', -1), delta('new_rows', 1)])}
  END IF;
  RETURN NULL;
END $$""")


def _create_tables():
    common = [sa.Column('question_id', sa.String(100), nullable=False),
              sa.Column('value', sa.String(LONG), nullable=False)]
    pin = [sa.Column('pin_value', sa.String(12), nullable=False),
           sa.Column('sentiment', sa.String(10), nullable=False),
           sa.Column('moderation_state', sa.String(10), nullable=False)]
    for table, columns in (('tally_answer', common), ('tally_answer_pin', [*common, *pin])):
        op.create_table(
            table,
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('dialogue_id', sa.Integer(), nullable=False),
            *[sa.Column(c.name, c.type, nullable=False) for c in columns],
            sa.Column('n', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['dialogue_id'], ['dialogue.id'],
                                    name=op.f(f'fk_{table}_dialogue_id_dialogue'), ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
            sa.UniqueConstraint('dialogue_id', *[c.name for c in columns], name=f'uq_{table}_key'),
        )


def _postgresql_triggers():
    d = 'postgresql'

    def body(insert: list[str], delete: list[str], update: list[str]) -> str:
        return (f"IF TG_OP = 'INSERT' THEN {' '.join(insert)} ELSIF TG_OP = 'DELETE' THEN "
                f"{' '.join(delete)} ELSE {' '.join(update)} END IF;")

    a = body([_apply('tally_answer', ANSWER_KEYS, [_answer_rows(d, 'new_rows', '1')]),
              _apply('tally_answer_pin', PIN_KEYS, [_pair_rows(d, 'new_rows', 'pin', '1')])],
             [_apply('tally_answer', ANSWER_KEYS, [_answer_rows(d, 'old_rows', '-1')]),
              _apply('tally_answer_pin', PIN_KEYS, [_pair_rows(d, 'old_rows', 'pin', '-1')])],
             [_apply('tally_answer', ANSWER_KEYS, [_answer_rows(d, 'old_rows', '-1'),
                                                   _answer_rows(d, 'new_rows', '1')]),
              _apply('tally_answer_pin', PIN_KEYS, [_pair_rows(d, 'old_rows', 'pin', '-1'),
                                                    _pair_rows(d, 'new_rows', 'pin', '1')])])
    p = body([_apply('tally_answer_pin', PIN_KEYS, [_pair_rows(d, 'answer', 'new_rows', '1')])],
             [_apply('tally_answer_pin', PIN_KEYS, [_pair_rows(d, 'answer', 'old_rows', '-1')])],
             [_apply('tally_answer_pin', PIN_KEYS, [_pair_rows(d, 'answer', 'old_rows', '-1'),
                                                    _pair_rows(d, 'answer', 'new_rows', '1')])])
    for source, code in (('answer', a), ('pin', p)):
        op.execute(f"CREATE FUNCTION tally_answer_{source}_apply() RETURNS trigger LANGUAGE plpgsql "
                   f"AS $$ BEGIN {code} RETURN NULL; END $$")
        for op_name, referencing in (('insert', 'NEW TABLE AS new_rows'),
                                     ('delete', 'OLD TABLE AS old_rows'),
                                     ('update', 'OLD TABLE AS old_rows NEW TABLE AS new_rows')):
            op.execute(f"CREATE TRIGGER tally_answer_{source}_{op_name} AFTER {op_name.upper()} ON {source} "
                       f"REFERENCING {referencing} FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION tally_answer_{source}_apply()")
    mine = 'a.response_id = OLD.id'
    op.execute(
        "CREATE FUNCTION tally_answer_response_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{_apply('tally_answer', ANSWER_KEYS, [_answer_rows(d, 'answer', '-1', mine)])} "
        f"{_apply('tally_answer_pin', PIN_KEYS, [_pair_rows(d, 'answer', 'pin', '-1', mine)])} "
        "RETURN OLD; END $$")
    op.execute("CREATE TRIGGER tally_answer_response_delete BEFORE DELETE ON response "
               "FOR EACH ROW EXECUTE FUNCTION tally_answer_response_delete()")


def _sqlite_triggers():
    d = 'sqlite'
    new_a = "(SELECT NEW.response_id AS response_id, NEW.question_id AS question_id, NEW.value AS value)"
    old_a = "(SELECT OLD.response_id AS response_id, OLD.question_id AS question_id, OLD.value AS value)"
    new_p = ("(SELECT NEW.response_id AS response_id, NEW.value AS value, NEW.sentiment AS sentiment, "
             "NEW.moderation_state AS moderation_state)")
    old_p = ("(SELECT OLD.response_id AS response_id, OLD.value AS value, OLD.sentiment AS sentiment, "
             "OLD.moderation_state AS moderation_state)")
    triggers = {
        'tally_answer_answer_insert': ('AFTER INSERT ON answer', [
            _apply('tally_answer', ANSWER_KEYS, [_answer_rows(d, new_a, '1')]),
            _apply('tally_answer_pin', PIN_KEYS, [_pair_rows(d, new_a, 'pin', '1')])]),
        'tally_answer_answer_delete': ('AFTER DELETE ON answer', [
            _apply('tally_answer', ANSWER_KEYS, [_answer_rows(d, old_a, '-1')]),
            _apply('tally_answer_pin', PIN_KEYS, [_pair_rows(d, old_a, 'pin', '-1')])]),
        'tally_answer_answer_update': ('AFTER UPDATE ON answer', [
            _apply('tally_answer', ANSWER_KEYS, [_answer_rows(d, old_a, '-1'), _answer_rows(d, new_a, '1')]),
            _apply('tally_answer_pin', PIN_KEYS, [_pair_rows(d, old_a, 'pin', '-1'),
                                                  _pair_rows(d, new_a, 'pin', '1')])]),
        'tally_answer_pin_insert': ('AFTER INSERT ON pin', [
            _apply('tally_answer_pin', PIN_KEYS, [_pair_rows(d, 'answer', new_p, '1')])]),
        'tally_answer_pin_delete': ('AFTER DELETE ON pin', [
            _apply('tally_answer_pin', PIN_KEYS, [_pair_rows(d, 'answer', old_p, '-1')])]),
        'tally_answer_pin_update': (
            'AFTER UPDATE OF value, sentiment, moderation_state, response_id ON pin', [
            _apply('tally_answer_pin', PIN_KEYS, [_pair_rows(d, 'answer', old_p, '-1'),
                                                  _pair_rows(d, 'answer', new_p, '1')])]),
        'tally_answer_response_delete': ('BEFORE DELETE ON response', [
            _apply('tally_answer', ANSWER_KEYS, [_answer_rows(d, 'answer', '-1', 'a.response_id = OLD.id')]),
            _apply('tally_answer_pin', PIN_KEYS, [_pair_rows(d, 'answer', 'pin', '-1',
                                                             'a.response_id = OLD.id')])]),
    }
    for name, (when, statements) in triggers.items():
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW BEGIN {' '.join(statements)} END")


def _count_existing(dialect: str):
    for table, keys, rows in (('tally_answer', ANSWER_KEYS, _answer_rows(dialect, 'answer', '1')),
                              ('tally_answer_pin', PIN_KEYS, _pair_rows(dialect, 'answer', 'pin', '1'))):
        names = ', '.join(keys)
        op.execute(f"INSERT INTO {table} ({names}, n) SELECT {names}, sum(n) FROM ({rows}) x "
                   f"GROUP BY {names}")


def upgrade():
    dialect = op.get_bind().dialect.name
    _create_tables()
    _count_existing(dialect)
    if dialect == 'postgresql':
        _postgresql_triggers()
        _replace_pin_tally_functions(join_dialogue=True)
    else:
        _sqlite_triggers()


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        _replace_pin_tally_functions(join_dialogue=False)
        op.execute("DROP TRIGGER tally_answer_response_delete ON response")
        op.execute("DROP FUNCTION tally_answer_response_delete()")
        for source in ('answer', 'pin'):
            for op_name in ('insert', 'delete', 'update'):
                op.execute(f"DROP TRIGGER tally_answer_{source}_{op_name} ON {source}")
            op.execute(f"DROP FUNCTION tally_answer_{source}_apply()")
    else:
        for name in ('answer_insert', 'answer_delete', 'answer_update', 'pin_insert', 'pin_delete',
                     'pin_update', 'response_delete'):
            op.execute(f"DROP TRIGGER tally_answer_{name}")
    op.drop_table('tally_answer_pin')
    op.drop_table('tally_answer')
