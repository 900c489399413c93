"""A small but real OpenID Connect provider on 127.0.0.1, for the sign-in tests.

Discovery, JWKS, an authorization endpoint that signs in whoever the test says (as an IdP with a
live session does), and a token endpoint that checks the client's secret, the code and the
redirect URI and returns an ID token signed RS256 with a fresh RSA key (joserfc, the JOSE library
Authlib itself uses now that authlib.jose is deprecated). A test bends one claim at a time
(`token_overrides`) to play a provider that answers wrongly.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


class Provider:
    """The provider's state: its client, who is signed in, and what to bend in the next token."""

    def __init__(self, client_id: str, client_secret: str):
        self.client_id, self.client_secret = client_id, client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "use": "sig"})
        self.redirect_uris: set[str] = set()
        self.person: dict = {}
        self.token_overrides: dict = {}
        self.codes: dict[str, dict] = {}
        self.token_requests = 0
        self.issuer = ""

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "email", "profile"],
        }

    def id_token(self, nonce: str | None, person: dict) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": person.get("sub", person.get("email", "anon")),
                  "aud": self.client_id, "iat": now, "exp": now + 300, **person}
        if nonce:
            claims["nonce"] = nonce
        claims.update(self.token_overrides)
        return jwt.encode({"alg": "RS256", "kid": "test-key-1"}, claims, self.key)

    def __call__(self, environ, start_response):
        request = Request(environ)
        return self.route(request)(environ, start_response)

    def route(self, request: Request) -> Response:
        if request.path == "/.well-known/openid-configuration":
            return _json(self.discovery())
        if request.path == "/jwks":
            return _json(KeySet([self.key]).as_dict(private=False))
        if request.path == "/authorize":
            return self.authorize(request)
        if request.path == "/token" and request.method == "POST":
            return self.token(request)
        return Response("not found", 404)

    def authorize(self, request: Request) -> Response:
        args = request.args
        if args.get("client_id") != self.client_id or args.get("redirect_uri") not in self.redirect_uris:
            return Response("unknown client or redirect_uri", 400)
        if args.get("response_type") != "code" or "openid" not in args.get("scope", "").split():
            return Response("bad request", 400)
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": args.get("nonce"), "redirect_uri": args["redirect_uri"],
                            "person": dict(self.person)}
        query = urlencode({"code": code, "state": args.get("state", "")})
        return Response(status=302, headers={"Location": f"{args['redirect_uri']}?{query}"})

    def token(self, request: Request) -> Response:
        self.token_requests += 1
        client_id, client_secret = request.form.get("client_id"), request.form.get("client_secret")
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
        if (client_id, client_secret) != (self.client_id, self.client_secret):
            return _json({"error": "invalid_client"}, 401)
        grant = self.codes.pop(request.form.get("code", ""), None)
        if grant is None or request.form.get("grant_type") != "authorization_code" \
                or request.form.get("redirect_uri") != grant["redirect_uri"]:
            return _json({"error": "invalid_grant"}, 400)
        return _json({"access_token": secrets.token_urlsafe(24), "token_type": "Bearer",
                      "expires_in": 300, "id_token": self.id_token(grant["nonce"], grant["person"])})


def _json(data: dict, status: int = 200) -> Response:
    import json

    return Response(json.dumps(data), status, content_type="application/json")


class RunningProvider:
    """The provider served on a free port of 127.0.0.1 in a thread; stop() ends it."""

    def __init__(self, client_id: str = "platsdialog", client_secret: str = "hemligt-klientlosen"):
        self.provider = Provider(client_id, client_secret)
        self.server = make_server("127.0.0.1", 0, self.provider, threaded=True)
        self.provider.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
