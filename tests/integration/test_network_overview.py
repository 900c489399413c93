"""The network overview: aggregates that add up, small numbers hidden, raw comments by grant only."""

import re

from app.disclosure import shown as suppress
from app.network.cli import export_rows, safe_cell

from .network_helpers import coordinator, login, pins


def figures(html: str, row: str) -> dict[str, str]:
    """The data-figure cells of one row of the comparison table."""
    body = html.split(f'data-municipality="{row}"', 1)[1].split("</tr>", 1)[0]
    return dict(re.findall(r'data-figure="([\w-]+)">(?:<span[^>]*>)?([^<]*)<', body))


def test_suppress_hides_one_to_k_minus_one_and_keeps_zero_and_k():
    assert [suppress(n, 5) for n in (0, 1, 4, 5, 12)] == [0, None, None, 5, 12]


def test_the_network_total_is_the_sum_of_the_municipalities_own_figures(client, make):
    north = make.municipality("Norrby", "2480", population=20_000)
    south = make.municipality("Söderås", "1280")
    d1 = make.dialogue(make.area(north))
    d2 = make.dialogue(make.area(north), status="closed")
    d3 = make.dialogue(make.area(south))
    pins(make, d1, safety_negative=5, justice_idea=6)
    pins(make, d2, safety_negative=2, development_positive=5)
    pins(make, d3, safety_positive=7, development_idea=5)
    make.pin(d3, state="hidden")  # moderated away: not counted
    login(client, coordinator(make))
    html = client.get("/natverket/oversikt?lang=en").get_data(as_text=True)

    assert figures(html, "2480") == {"responses": "18", "pins": "18", "safety": "7",
                                     "justice": "6", "development": "5", "pins-per-1000": "0.90"}
    assert figures(html, "1280")["pins"] == "12"
    assert figures(html, "1280")["pins-per-1000"] == "–"  # no population given
    total = figures(html, "total")
    assert total["pins"] == str(18 + 12)
    assert total["safety"] == str(7 + 7)
    assert total["development"] == str(5 + 5)


def test_small_numbers_are_hidden_with_one_more_so_the_total_cannot_give_them_back(client, make):
    m = make.municipality("Lilleby", "2999")
    pins(make, make.dialogue(make.area(m)), safety_negative=3, justice_negative=6)
    login(client, coordinator(make))
    row = figures(client.get("/natverket/oversikt").get_data(as_text=True), "2999")
    assert row["pins"] == "9"
    # 3 is hidden; with 9 pins published, 9 - 6 - 0 would give it back, so 6 is hidden too.
    assert row["safety"] == "–" and row["justice"] == "–"
    assert row["development"] == "0"


def test_filters_by_phase_and_status(client, make):
    m = make.municipality()
    make.dialogue(make.area(m), title="Fas tre-dialogen", phase=3)
    make.dialogue(make.area(m), title="Stängd dialog", status="closed")
    login(client, coordinator(make))
    html = client.get("/natverket/oversikt?fas=3").get_data(as_text=True)
    assert "Fas tre-dialogen" in html and "Stängd dialog" not in html
    html = client.get("/natverket/oversikt?status=closed").get_data(as_text=True)
    assert "Fas tre-dialogen" not in html and "Stängd dialog" in html


def test_a_planner_sees_other_municipalities_only_in_aggregate(client, make):
    mine, theirs = make.municipality(), make.municipality()
    make.dialogue(make.area(theirs), title="Deras utkast", status="draft")
    open_one = make.dialogue(make.area(theirs), title="Deras öppna")
    pins(make, open_one, safety_negative=5)
    login(client, make.user(mine))
    html = client.get("/natverket/oversikt").get_data(as_text=True)
    assert "Deras öppna" in html and "Deras utkast" not in html
    assert "Kommentar" not in html
    assert client.get(f"/natverket/kommuner/{theirs.id}").status_code == 404
    assert client.get(f"/natverket/kommuner/{theirs.id}/kommentarer").status_code == 404


def test_the_coordinator_reads_raw_comments_only_where_granted(client, make):
    closed = make.municipality("Stängda kommunen", "0111")
    granting = make.municipality("Öppna kommunen", "0222", grants_network_raw_access=True)
    for m in (closed, granting):
        make.pin(make.dialogue(make.area(m)), text=f"Hemlig text från {m.name}")
    login(client, coordinator(make))
    pages = [client.get(url).get_data(as_text=True) for url in (
        "/natverket/oversikt", f"/natverket/kommuner/{closed.id}", "/natverket/lardomar",
        "/natverket/mallar", "/natverket/utvardering", "/natverket", "/api/v1/network/dialogues",
    )]
    assert not any("Hemlig text" in page for page in pages)
    assert client.get(f"/natverket/kommuner/{closed.id}/kommentarer").status_code == 403
    granted = client.get(f"/natverket/kommuner/{granting.id}/kommentarer")
    assert granted.status_code == 200
    assert "Hemlig text från Öppna kommunen" in granted.get_data(as_text=True)


def test_the_csv_export_suppresses_and_defuses_formulas(make, app):
    m = make.municipality("=HYPERLINK(\"x\")", "0333", population=1000)
    pins(make, make.dialogue(make.area(m)), safety_negative=2, justice_idea=5)
    with app.test_request_context():
        rows = export_rows(5)
    header, row, total = rows[0], rows[1], rows[-1]
    assert row[1].startswith("'=")
    assert row[header.index("safety")] == "dold"
    # 7 pins are published, so 5 justice comments would give the 2 back: hidden too.
    assert row[header.index("justice")] == "dold"
    assert total[header.index("synpunkter")] == 7
    assert safe_cell("-1+2") == "'-1+2" and safe_cell(7) == 7


def test_the_cli_lists_municipalities_and_dialogues_and_writes_the_csv(runner, make, tmp_path):
    m = make.municipality("Listby", "0444")
    make.dialogue(make.area(m), title="Torget", phase=3)
    result = runner.invoke(args=["network", "list"])
    assert result.exit_code == 0, result.output
    assert "0444 Listby" in result.output and "fas 3" in result.output and "Torget" in result.output
    target = tmp_path / "natverket.csv"
    result = runner.invoke(args=["network", "export-csv", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("kommunkod,kommun")
    assert "Listby" in text


def test_a_small_dialogue_cannot_be_worked_out_from_its_municipalitys_total(client, make):
    m = make.municipality("Tvåby", "2998")
    big, small = make.dialogue(make.area(m), title="Stora"), make.dialogue(make.area(m), title="Lilla")
    pins(make, big, safety_negative=9)
    pins(make, small, safety_negative=2)
    other = make.municipality("Treby", "2997")
    pins(make, make.dialogue(make.area(other)), justice_idea=7)
    login(client, coordinator(make))
    html = client.get("/natverket/oversikt").get_data(as_text=True)
    # The municipality's 11 is shown; its small dialogue's 2 is hidden, and so is the big one's 9,
    # since 11 - 9 would give the 2 back.
    assert figures(html, "2998")["pins"] == "11"
    table = html.split('id="dialogues"')[1].split("</table>")[0]
    counts = {title: re.findall(r"<td>(?:<span[^>]*>)?([^<]*)(?:</span>)?</td>", row)[-2:]
              for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
              for title in ("Stora", "Lilla") if f"<td>{title}</td>" in row}
    assert counts == {"Stora": ["–", "–"], "Lilla": ["–", "–"]}
