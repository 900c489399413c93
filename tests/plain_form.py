"""The plain resident form read and posted the way a browser without JavaScript does it, over HTTP.

`PlainForm.open(client, slug)` reads every field of /d/SLUG/enkel as the server rendered it
(hidden fields included); `click_map` posts a click on the map image at a pixel, as the browser
sends an `<input type="image">`; `send` posts the Send button. Fields are set by their names.
"""

from __future__ import annotations

from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict

from app.export.mapimage import MARGIN


class _Fields(HTMLParser):
    """The successful controls of the page's plain form, with their current values."""

    def __init__(self):
        super().__init__()
        self.values = MultiDict()
        self.images: dict[str, tuple[int, int]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "plain-form" in (a.get("class") or ""):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "image":
                self.images[name] = (int(a["width"]), int(a["height"]))
            elif kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.values.add(name, a.get("value", "on"))
            elif kind not in ("submit", "file"):
                self.values.add(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            self.values.setlist(name, [""])
        elif tag == "option" and self._select and "selected" in a:
            self.values.setlist(self._select, [a.get("value", "")])
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.add(name, "")

    def handle_data(self, data):
        if self._textarea:
            self.values.setlist(self._textarea, [self.values.get(self._textarea, "") + data])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False


class ServedClient:
    """A browser without JavaScript against a running server (gunicorn), with the calls of
    Flask's test client that PlainForm makes, so the same form walks can go over HTTP."""

    def __init__(self, base: str, headers: dict | None = None):
        import requests

        self.base = base
        self.session = requests.Session()
        self.session.headers.update(headers or {"Accept-Language": "sv"})

    def get(self, path: str):
        return _Answer(self.session.get(self.base + path, timeout=60, allow_redirects=False))

    def post(self, path: str, data: MultiDict, headers: dict | None = None):
        return _Answer(self.session.post(self.base + path, data=list(data.items(multi=True)),
                                         headers=headers, timeout=60, allow_redirects=False))


class _Answer:
    """A requests response read the way tests read a Flask test response."""

    def __init__(self, response):
        self.status_code = response.status_code
        self.headers = response.headers
        self.text = response.text

    def get_data(self, as_text: bool = False):
        return self.text if as_text else self.text.encode()


class PlainForm:
    """The plain form as a browser holds it: its fields, set by name, and its buttons."""

    def __init__(self, client, slug: str, html: str, status: int = 200):
        self.client, self.slug, self.html, self.status = client, slug, html, status
        self.response = None  # the last POST's response
        parsed = _Fields()
        parsed.feed(html)
        self.values, self.images = parsed.values, parsed.images

    @classmethod
    def open(cls, client, slug: str, lang: str = "sv") -> PlainForm:
        """GET the form page."""
        page = client.get(f"/d/{slug}/enkel?lang={lang}")
        assert page.status_code == 200, page.status_code
        return cls(client, slug, page.get_data(as_text=True))

    def set(self, **fields) -> PlainForm:
        """Set fields by name (a list for several checked boxes); returns self."""
        for name, value in fields.items():
            self.values.setlist(name, value if isinstance(value, list) else [value])
        return self

    def post(self, extra: dict, **kwargs) -> PlainForm:
        """POST the fields and the pressed button; the answer page becomes the form."""
        data = MultiDict(self.values)
        for name, value in extra.items():
            data.setlist(name, [value])
        response = self.client.post(f"/d/{self.slug}/enkel", data=data, **kwargs)
        self.response = response
        if response.status_code == 302:
            return self
        answer = PlainForm(self.client, self.slug, response.get_data(as_text=True), response.status_code)
        answer.response = response
        return answer

    def click_map(self, question: str, slot: int = 0, at: tuple[float, float] = (0.5, 0.5),
                  size: str = "l", pixel: tuple[int, int] | None = None) -> PlainForm:
        """Click the map image of a comment at a fraction of the drawn area (or at a pixel)."""
        name = f"pin-{question}-{slot}-map-{size}"
        width, height = self.images[name]
        x, y = pixel or (round(MARGIN + (width - 2 * MARGIN) * at[0]),
                         round(MARGIN + (height - 2 * MARGIN) * at[1]))
        return self.post({f"{name}.x": str(x), f"{name}.y": str(y)})

    def send(self, **kwargs):
        """Press Send; the response (a redirect to the receipt, or the form again with reasons)."""
        return self.post({"action": "send"}, **kwargs)
