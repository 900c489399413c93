"""A logged-in test client that keeps its own login and CSRF token, for tests with several users."""

from __future__ import annotations

from ..conftest import csrf_from

PASSWORD = "rätt-lösenord-123"


class Session:
    """A logged-in test client with its CSRF token.

    Each request runs in its own app context: the test's context would otherwise carry one
    user's login (flask.g) into the next user's request.
    """

    def __init__(self, app, user=None, password: str = PASSWORD):
        self.app, self.user = app, user
        self.client = app.test_client()
        self.csrf = csrf_from(self.get("/konto/logga-in"))
        if user is not None:
            response = self.send("POST", "/konto/logga-in", {"email": user.email, "password": password})
            assert response.status_code == 302, f"{user.email} could not log in"
            self.csrf = csrf_from(self.get("/planering/"))

    def get(self, url: str) -> str:
        return self.send("GET", url, {}).get_data(as_text=True)

    def send(self, method: str, url: str, form: dict):
        """One request; non-GET methods carry the CSRF token and the fillers as form fields."""
        with self.app.app_context():
            if method == "GET":
                return self.client.get(url)
            return self.client.open(url, method=method, data={**form, "csrf_token": self.csrf},
                                    headers={"X-CSRFToken": self.csrf})
