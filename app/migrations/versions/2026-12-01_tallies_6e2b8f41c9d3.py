"""Tallies: running counts of pins per 50 m cell and per hour, and of responses per hour.

At a million pins one GROUP BY over a dialogue's pins takes 1.5-2.5 s on PostGIS, and the
statistics page needs several. These three tables hold the counts the analysis pages group by,
and database triggers keep them in the same transaction as every write to `pin` and `response`
(the resident's answer, moderation, deletion, retention, imports), so no Python write path has
to remember them. On PostgreSQL the triggers are statement-level with transition tables: one
grouped upsert per statement, in key order, so two writers never lock tally rows in opposite
orders. SQLite has one writer at a time and row-level triggers only. Pins drawn as lines or
areas are left out of the cell tally (the grid code counts them from `pin`, through the partial
index added here). Existing rows are counted once at upgrade.

Revision ID: 6e2b8f41c9d3
Revises: 9a4e6c2b7d10
Create Date: 2026-12-01 12:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '6e2b8f41c9d3'
down_revision = '9a4e6c2b7d10'
branch_labels = None
depends_on = None

# table -> (source table, row condition, [(tally column, expression over the source row)])
# `{r}` stands for the row (NEW/OLD in SQLite, a transition table's row in PostgreSQL).
HOUR = {'postgresql': "to_char(timezone('UTC', {r}.created_at), 'YYYY-MM-DD HH24')",
        'sqlite': "strftime('%Y-%m-%d %H', {r}.created_at)"}
TALLIES = {
    'tally_pin_cell': ('pin', "{r}.shape_kind = 'point'", [
        ('dialogue_id', '{r}.dialogue_id'),
        ('cell_e', 'coalesce(CAST(floor({r}.sweref_e / 50) AS INTEGER), -1)'),
        ('cell_n', 'coalesce(CAST(floor({r}.sweref_n / 50) AS INTEGER), -1)'),
        ('named_place_id', 'coalesce({r}.named_place_id, 0)'),
        ('location_kind', '{r}.location_kind'), ('value', '{r}.value'),
        ('sentiment', '{r}.sentiment'), ('moderation_state', '{r}.moderation_state')]),
    'tally_pin_hour': ('pin', '1 = 1', [
        ('dialogue_id', '{r}.dialogue_id'), ('hour', HOUR),
        ('location_kind', '{r}.location_kind'), ('value', '{r}.value'),
        ('sentiment', '{r}.sentiment'), ('moderation_state', '{r}.moderation_state')]),
    'tally_response_hour': ('response', '1 = 1', [
        ('dialogue_id', '{r}.dialogue_id'), ('hour', HOUR)]),
}


def _expressions(columns, dialect: str, row: str) -> list[str]:
    return [(e[dialect] if isinstance(e, dict) else e).format(r=row) for _c, e in columns]


def _create_tables():
    keys = {
        'tally_pin_cell': [sa.Column('cell_e', sa.Integer(), nullable=False),
                           sa.Column('cell_n', sa.Integer(), nullable=False),
                           sa.Column('named_place_id', sa.Integer(), nullable=False),
                           sa.Column('location_kind', sa.String(12), nullable=False),
                           sa.Column('value', sa.String(12), nullable=False),
                           sa.Column('sentiment', sa.String(10), nullable=False),
                           sa.Column('moderation_state', sa.String(10), nullable=False)],
        'tally_pin_hour': [sa.Column('hour', sa.String(13), nullable=False),
                           sa.Column('location_kind', sa.String(12), nullable=False),
                           sa.Column('value', sa.String(12), nullable=False),
                           sa.Column('sentiment', sa.String(10), nullable=False),
                           sa.Column('moderation_state', sa.String(10), nullable=False)],
        'tally_response_hour': [sa.Column('hour', sa.String(13), nullable=False)],
    }
    for table, columns in keys.items():
        op.create_table(
            table,
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('dialogue_id', sa.Integer(), nullable=False),
            *columns,
            sa.Column('n', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['dialogue_id'], ['dialogue.id'], name=op.f(f'fk_{table}_dialogue_id_dialogue'),
                                    ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
            sa.UniqueConstraint('dialogue_id', *[c.name for c in columns], name=f'uq_{table}_key'),
        )


def _postgresql_triggers():
    for table, (source, condition, columns) in TALLIES.items():
        names = ', '.join(c for c, _e in columns)

        def delta(rows: str, sign: int, condition=condition, columns=columns) -> str:
            exprs = ', '.join(f'{e} AS {c}' for (c, _), e in
                              zip(columns, _expressions(columns, 'postgresql', 'r'), strict=True))
            return f"SELECT {exprs}, {sign} AS n FROM {rows} r WHERE {condition.format(r='r')}"

        def apply(parts: list[str], table=table, names=names) -> str:
            return (f"WITH d AS (SELECT {names}, sum(n) AS n FROM ({' UNION ALL '.join(parts)}) x "
                    f"GROUP BY {names} HAVING sum(n) <> 0) "
                    f"INSERT INTO {table} ({names}, n) SELECT {names}, n FROM d ORDER BY {names} "
                    f"ON CONFLICT ({names}) DO UPDATE SET n = {table}.n + EXCLUDED.n;")

        op.execute(f"""
CREATE FUNCTION {table}_apply() RETURNS trigger LANGUAGE plpgsql AS $$
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
        for op_name, referencing in (('insert', 'NEW TABLE AS new_rows'),
                                     ('delete', 'OLD TABLE AS old_rows'),
                                     ('update', 'OLD TABLE AS old_rows NEW TABLE AS new_rows')):
            op.execute(f"CREATE TRIGGER {table}_{op_name} AFTER {op_name.upper()} ON {source} "
                       f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {table}_apply()")


def _sqlite_triggers():
    for table, (source, condition, columns) in TALLIES.items():
        names = ', '.join(c for c, _e in columns)
        match = ' AND '.join(f'{c} = {e}' for (c, _), e in
                             zip(columns, _expressions(columns, 'sqlite', 'OLD'), strict=True))
        add = (f"INSERT INTO {table} ({names}, n) VALUES ({', '.join(_expressions(columns, 'sqlite', 'NEW'))}, 1) "
               f"ON CONFLICT ({names}) DO UPDATE SET n = n + 1;")
        subtract = f"UPDATE {table} SET n = n - 1 WHERE {match};"
        when_old, when_new = condition.format(r='OLD'), condition.format(r='NEW')
        op.execute(f"CREATE TRIGGER {table}_insert AFTER INSERT ON {source} WHEN {when_new} "
                   f"BEGIN {add} END")
        op.execute(f"CREATE TRIGGER {table}_delete AFTER DELETE ON {source} WHEN {when_old} "
                   f"BEGIN {subtract} END")
        op.execute(f"CREATE TRIGGER {table}_update_old AFTER UPDATE ON {source} WHEN {when_old} "
                   f"BEGIN {subtract} END")
        op.execute(f"CREATE TRIGGER {table}_update_new AFTER UPDATE ON {source} WHEN {when_new} "
                   f"BEGIN {add} END")


def _count_existing(dialect: str):
    for table, (source, condition, columns) in TALLIES.items():
        names = ', '.join(c for c, _e in columns)
        exprs = _expressions(columns, dialect, source)
        op.execute(f"INSERT INTO {table} ({names}, n) SELECT {', '.join(exprs)}, count(*) FROM {source} "
                   f"WHERE {condition.format(r=source)} GROUP BY {', '.join(exprs)}")


def upgrade():
    dialect = op.get_bind().dialect.name
    _create_tables()
    _count_existing(dialect)
    if dialect == 'postgresql':
        _postgresql_triggers()
    else:
        _sqlite_triggers()
    op.create_index('ix_pin_dialogue_drawn', 'pin', ['dialogue_id'],
                    postgresql_where=sa.text("shape_kind <> 'point'"),
                    sqlite_where=sa.text("shape_kind <> 'point'"))


def downgrade():
    dialect = op.get_bind().dialect.name
    op.drop_index('ix_pin_dialogue_drawn', table_name='pin')
    for table, (source, _condition, _columns) in TALLIES.items():
        if dialect == 'postgresql':
            for op_name in ('insert', 'delete', 'update'):
                op.execute(f"DROP TRIGGER {table}_{op_name} ON {source}")
            op.execute(f"DROP FUNCTION {table}_apply()")
        else:
            for name in ('insert', 'delete', 'update_old', 'update_new'):
                op.execute(f"DROP TRIGGER {table}_{name}")
        op.drop_table(table)
