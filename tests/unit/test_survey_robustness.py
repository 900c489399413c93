"""check_file never raises on bad content: broken files become problems, not tracebacks."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.surveys import check_file

from .survey_helpers import MINIMAL, write

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=4),
                    st.sampled_from(["sv", "safety", "map_pin", "consent", "val", "a"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["id", "type", "text", "options", "show_if", "question",
                                     "equals", "in", "values", "labels", "sv", "en", "min",
                                     "max", "other", "prompts", "categories"]), inner,
                    max_size=4)), max_leaves=12)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(["id", "type", "text", "options", "show_if", "values", "labels",
                            "min_pins", "prompts", "categories", "other"]), value=values)
def test_check_file_reports_instead_of_raising(tmp_path, key, value):
    data = copy.deepcopy(MINIMAL)
    data["pages"][0]["questions"][1][key] = value
    problems = check_file(write(tmp_path, data))
    assert all(p.message for p in problems)
