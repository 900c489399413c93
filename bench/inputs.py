"""What the input rules cost and what they save: strict JSON and limited YAML beside the plain parsers.

    .venv/bin/python bench/inputs.py            # prints
    .venv/bin/python bench/inputs.py --record   # also writes the "Input rules" section of RESULTS.md

- JSON: a questionnaire submission (consent, twenty answers, ten pins) and a 1 MB one (a thousand
  pins), read by `app.inputs.StrictJSONProvider.loads` (depth and surrogate check) and by plain
  `json.loads`, median of many runs, in turns.
- YAML: every survey in surveys/ read by `parse_yaml` (limits and the line of every value) and by
  plain `yaml.safe_load` (no limits, no lines).
- The alias bomb of issue #12 (10**5 and 10**6 values from a few hundred bytes): refused by
  `parse_yaml` against the unlimited compose and line-recording walk it used to do.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import yaml
from common import REPO, machine, now, write_section

from app import create_app
from app.inputs import StrictJSONProvider
from app.surveys.yamlsource import Source, YamlSyntaxError, _walk, parse_yaml


def median_ms(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def submission(pins: int) -> bytes:
    answers = {"samtycke": True, **{f"fraga_{i}": f"svar {i} med lite text" for i in range(20)}}
    pin = {"question": "karta_trygghet", "sentiment": "negative", "comment": "Mörkt och otryggt " * 8,
           "location": {"kind": "map", "lat": 59.4108, "lng": 17.9259}}
    return json.dumps({"key": "bench-key-000000000001", "answers": answers, "pins": [pin] * pins,
                       "website": ""}).encode()


def bomb(levels: int) -> str:
    lines = ['a0: &a0 ["ha","ha","ha","ha","ha","ha","ha","ha","ha","ha"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    strict = StrictJSONProvider(app)
    lines = [f"### {now()}", f"- machine: {machine()}"]
    with app.app_context():
        for pins in (10, 1000):
            body = submission(pins)
            ours = median_ms(lambda b=body: strict.loads(b), 300 if pins == 10 else 30)
            plain = median_ms(lambda b=body: json.loads(b), 300 if pins == 10 else 30)
            lines.append(f"- JSON submission, {pins} pins ({len(body) / 1024:.0f} kB): strict "
                         f"{ours:.3f} ms, json.loads {plain:.3f} ms, ratio **{ours / plain:.2f}**")
    for path in sorted((REPO / "surveys").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        ours = median_ms(lambda t=text: parse_yaml(t), 15)
        plain = median_ms(lambda t=text: yaml.load(t, Loader=yaml.SafeLoader), 15)  # noqa: S506
        lines.append(f"- YAML {path.name} ({len(text) / 1024:.0f} kB): parse_yaml {ours:.1f} ms, "
                     f"yaml.safe_load {plain:.1f} ms, ratio **{ours / plain:.2f}**")
    # Before the limits, parse_yaml composed the document and recorded the line of every value
    # of the *expanded* tree (and the schema checks walked it again): that is where a bomb blew up.
    for levels in (5, 6):
        text = bomb(levels)
        start = time.perf_counter()
        try:
            parse_yaml(text)
        except YamlSyntaxError:
            refused = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        _walk(node, (), Source(data=loader.construct_document(node)))
        loader.dispose()
        unlimited = (time.perf_counter() - start) * 1000
        lines.append(f"- alias bomb of {len(text)} bytes (10**{levels} values expanded): refused by "
                     f"parse_yaml in {refused:.1f} ms; the unlimited compose + line walk of before took "
                     f"{unlimited:.0f} ms (it grows tenfold with every line added)")
    body = "\n".join(lines)
    print(body)
    if args.record:
        write_section("Input rules: strict JSON and limited YAML", __doc__.split("\n\n", 1)[1] + "\n" + body)


if __name__ == "__main__":
    main()
