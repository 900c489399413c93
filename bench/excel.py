"""Benchmark: the Excel export of 100,000 pins on PostGIS, beside the CSV of the same rows and a
bare openpyxl write-only workbook (plain values, no styles: the floor of what openpyxl can do).

Run by hand (never in the test suite):

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5439/pd_export \\
        .venv/bin/python bench/excel.py --pins 100000

Seeds with bench/export.py's seed(), runs each writer in its own process (wall, CPU, peak
memory from os.wait4), reads each workbook back with openpyxl, and appends to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from export import measure, seeded  # noqa: E402  (bench/export.py)

BARE = """
import sys
from openpyxl import Workbook
from app import create_app
from app.export.source import ExportOptions, iter_pins
from app.export.tabular import pin_header, pin_row
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "bench"})
with app.app_context():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("pins")
    sheet.append(pin_header(ExportOptions()))
    for pin in iter_pins(int(sys.argv[2]), ExportOptions()):
        sheet.append(pin_row(pin))
    book.save(sys.argv[3])
"""


def rows_in(path: Path) -> int:
    """Data rows on the first sheet, read back with openpyxl."""
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True).worksheets[0]
    return sum(1 for _ in sheet.iter_rows(min_row=2, values_only=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pins", type=int, default=100_000)
    parser.add_argument("--out", default="/tmp/platsdialog-bench")
    args = parser.parse_args()
    with seeded(args.pins, args.out) as run:
        out, dialogue_id, url, env = run.out, run.dialogue_id, run.url, run.env
        cli = [sys.executable, "-c", "from app.cli import main; main()", "export", str(dialogue_id)]
        paths = {name: out / f"{name}" for name in ("ours.xlsx", "ours.csv", "bare.xlsx")}
        for path in paths.values():
            path.unlink(missing_ok=True)
        ours = measure([*cli, "--format", "xlsx", "--output", str(paths["ours.xlsx"])], env)
        csv = measure([*cli, "--format", "csv", "--output", str(paths["ours.csv"])], env)
        bare = measure([sys.executable, "-c", BARE, url, str(dialogue_id),
                        str(paths["bare.xlsx"])], env)
    rows_ours, rows_bare = rows_in(paths["ours.xlsx"]), rows_in(paths["bare.xlsx"])
    rows_csv = sum(1 for _ in paths["ours.csv"].open(encoding="utf-8-sig")) - 1
    mb = {name: path.stat().st_size / 1e6 for name, path in paths.items()}
    report = (
        run.heading(f"Export: Excel workbook of {args.pins:,} pins on PostGIS", "excel.py", args.pins)
        + f" Rows on the comments sheet: ours {rows_ours:,}, bare {rows_bare:,}, "
        f"CSV {rows_csv:,} (hidden left out).\n\n"
        "| writer | wall time (s) | CPU time (s) | peak RSS (MB) | file (MB) |\n"
        "|---|---:|---:|---:|---:|\n"
        f"| `platsdialog export --format xlsx` (five sheets, styles, dates, text cells) "
        f"| {ours[0]:.1f} | {ours[2]:.1f} | {ours[1]:.0f} | {mb['ours.xlsx']:.1f} |\n"
        f"| bare openpyxl write-only, plain values, one sheet (baseline) | {bare[0]:.1f} "
        f"| {bare[2]:.1f} | {bare[1]:.0f} | {mb['bare.xlsx']:.1f} |\n"
        f"| `platsdialog export --format csv` (same rows) | {csv[0]:.1f} | {csv[2]:.1f} "
        f"| {csv[1]:.0f} | {mb['ours.csv']:.1f} |\n\n"
        f"Time ratio ours / bare openpyxl: **{ours[0] / bare[0]:.2f}** (CPU {ours[2] / bare[2]:.2f})."
        f" gunicorn's default worker timeout is 30 s.\n"
    )
    print(report)
    with open(HERE / "RESULTS.md", "a", encoding="utf-8") as results:
        results.write(report)


if __name__ == "__main__":
    main()
