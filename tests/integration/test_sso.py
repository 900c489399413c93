"""Staff sign in through their municipality's OpenID Connect provider: a real one on 127.0.0.1."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import func, select

from app.auth.oidc import configure_provider
from app.auth.secretbox import unseal
from app.extensions import db
from app.models import AuditEvent, IdentityProvider, Municipality, User

from ..oidc_provider import RunningProvider
from .planner_helpers import PASSWORD, login
from .test_accessibility_statement import text_of

GROUPS = {"sg-platsdialog-pl": "project_leader", "sg-platsdialog-ag": "working_group",
          "sg-platsdialog-styr": "steering_group"}


@pytest.fixture
def idp():
    running = RunningProvider()
    yield running.provider
    running.stop()


@pytest.fixture
def huddinge(make, idp):
    """Huddinge (0126) signs its staff in through the provider, roles from the groups claim."""
    municipality = make.municipality(name="Huddinge", kommunkod="0126")
    configure_provider(municipality, issuer=idp.issuer, client_id=idp.client_id,
                       client_secret=idp.client_secret, group_claim="groups", group_roles=GROUPS)
    db.session.commit()
    idp.redirect_uris.add("http://localhost/konto/sso/0126/tillbaka")
    return municipality.id


def through_provider(client, idp, kommunkod: str = "0126"):
    """Press the municipality's button, let the provider sign the person in, come back."""
    start = client.get(f"/konto/sso/{kommunkod}")
    assert start.status_code == 302
    authorize = start.headers["Location"]
    assert authorize.startswith(f"{idp.issuer}/authorize?")
    at_provider = requests.get(authorize, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert (back.netloc, back.path) == ("localhost", f"/konto/sso/{kommunkod}/tillbaka")
    return client.get(f"{back.path}?{back.query}")


def logged_in(client) -> bool:
    return client.get("/planering/").status_code == 200


def users() -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(User)).scalar_one()


def test_the_login_page_offers_the_municipalitys_login_service(client, huddinge):
    page = text_of(client.get("/konto/logga-in?lang=sv").get_data(as_text=True))
    assert "Logga in med ditt konto i Huddinge" in page


def test_a_new_colleague_in_a_mapped_group_signs_in_and_gets_the_role(client, idp, huddinge):
    idp.person = {"email": "Anna.Berg@Huddinge.se", "name": "Anna Berg", "groups": ["sg-platsdialog-ag"]}
    response = through_provider(client, idp)
    assert response.status_code == 302 and response.headers["Location"] == "/planering/"
    assert logged_in(client)
    user = db.session.execute(select(User).where(User.email == "anna.berg@huddinge.se")).scalar_one()
    assert (user.display_name, user.password_hash, user.role_in(huddinge)) == \
        ("Anna Berg", None, "working_group")
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "user.sso_join")).scalar_one()
    assert event.detail["role"] == "working_group" and event.municipality_id == huddinge


def test_the_groups_decide_the_role_at_every_sign_in(client, app, idp, huddinge):
    idp.person = {"email": "kim@huddinge.se", "groups": ["sg-platsdialog-styr", "annan-grupp"]}
    through_provider(client, idp)
    assert db.session.execute(select(User)).scalar_one().role_in(huddinge) == "steering_group"
    # Promoted in the municipality's directory: several mapped groups, the strongest role wins.
    idp.person = {"email": "kim@huddinge.se", "groups": ["sg-platsdialog-styr", "sg-platsdialog-pl"]}
    through_provider(app.test_client(), idp)
    db.session.expire_all()
    assert db.session.execute(select(User)).scalar_one().role_in(huddinge) == "project_leader"
    # Out of every mapped group: refused, and nothing changes.
    idp.person = {"email": "kim@huddinge.se", "groups": ["annan-grupp"]}
    other = app.test_client()
    response = through_provider(other, idp)
    assert response.status_code == 403
    assert "kim@huddinge.se har ingen roll i Huddinge" in text_of(response.get_data(as_text=True))
    assert not logged_in(other)


def test_a_person_not_in_the_municipality_is_refused_and_nothing_is_stored(client, idp, huddinge):
    idp.person = {"email": "utomstaende@example.se", "groups": ["Domain Users"]}
    before = users()
    response = through_provider(client, idp)
    assert response.status_code == 403
    assert "ingen roll i Huddinge" in text_of(response.get_data(as_text=True))
    assert users() == before and not logged_in(client)


def test_without_a_group_claim_only_invited_accounts_sign_in(client, app, make, idp):
    municipality = make.municipality(name="Botkyrka", kommunkod="0127")
    make.user(municipality, "working_group", email="lena@botkyrka.se")
    configure_provider(municipality, issuer=idp.issuer, client_id=idp.client_id,
                       client_secret=idp.client_secret, email_claim="upn")
    db.session.commit()
    idp.redirect_uris.add("http://localhost/konto/sso/0127/tillbaka")
    idp.person = {"upn": "LENA@botkyrka.se", "email": "privat@example.se"}
    assert through_provider(client, idp, "0127").status_code == 302 and logged_in(client)
    stranger = app.test_client()
    idp.person = {"upn": "okand@botkyrka.se"}
    assert through_provider(stranger, idp, "0127").status_code == 403 and not logged_in(stranger)


@pytest.mark.parametrize("bent, why", [
    ({"aud": "nagon-annan-klient"}, "wrong audience"),
    ({"iss": "https://login.example.com/annan"}, "wrong issuer"),
    ({"exp": int(time.time()) - 600, "iat": int(time.time()) - 900}, "expired"),
    ({"nonce": "en-gammal-nonce"}, "replayed nonce"),
])
def test_an_id_token_that_fails_a_check_signs_nobody_in(client, idp, huddinge, bent, why):
    idp.person = {"email": "anna@huddinge.se", "groups": ["sg-platsdialog-pl"]}
    idp.token_overrides = bent
    before = users()
    response = through_provider(client, idp)
    assert response.status_code == 400, why
    assert "Inloggningstjänstens svar kunde inte godtas" in text_of(response.get_data(as_text=True))
    assert users() == before and not logged_in(client)
    assert idp.token_requests == 1  # the code was really exchanged; the token was refused


def test_a_token_signed_by_another_key_is_refused(client, idp, huddinge):
    """A forger who knows the key id but not the key: the JWKS the provider publishes does not verify it."""
    from joserfc.jwk import RSAKey

    idp.person = {"email": "anna@huddinge.se", "groups": ["sg-platsdialog-pl"]}
    published, forger = idp.key, RSAKey.generate_key(2048, parameters={"kid": "test-key-1"})
    sign = idp.id_token

    def forged(nonce, person):
        idp.key = forger
        try:
            return sign(nonce, person)
        finally:
            idp.key = published

    idp.id_token = forged
    response = through_provider(client, idp)
    assert response.status_code == 400 and not logged_in(client)


def test_a_callback_used_twice_is_refused(client, app, idp, huddinge):
    idp.person = {"email": "anna@huddinge.se", "groups": ["sg-platsdialog-pl"]}
    start = client.get("/konto/sso/0126")
    back = urlsplit(requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
                    .headers["Location"])
    assert client.get(f"{back.path}?{back.query}").status_code == 302
    assert client.get(f"{back.path}?{back.query}").status_code == 400  # its state is used up
    stranger = app.test_client()  # a copied callback URL in another browser: no state there
    assert stranger.get(f"{back.path}?{back.query}").status_code == 400 and not logged_in(stranger)


def test_an_account_of_another_municipality_too_signs_in_with_its_password(client, make, idp, huddinge):
    other = make.municipality(name="Stockholm")
    user = make.user(other, "working_group", email="delad@huddinge.se")
    idp.person = {"email": "delad@huddinge.se", "groups": ["sg-platsdialog-ag"]}
    response = through_provider(client, idp)
    assert response.status_code == 403
    assert "arbetar även utanför Huddinge" in text_of(response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(User, user.id).role_in(huddinge) is None  # no membership was added


def test_passwords_can_be_turned_off_per_municipality(client, app, make, huddinge):
    member = make.user(db.session.get(Municipality, huddinge), "working_group", email="pl@huddinge.se")
    elsewhere = make.user(make.municipality(name="Nacka"), "working_group", email="pl@nacka.se")
    login(client, member)
    assert logged_in(client)
    db.session.get(Municipality, huddinge).local_login_enabled = False
    db.session.commit()
    refused = app.test_client()
    page = refused.get("/konto/logga-in").get_data(as_text=True)
    from ..conftest import csrf_from

    response = refused.post("/konto/logga-in", data={"csrf_token": csrf_from(page),
                                                      "email": member.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "loggar in med ditt arbetskonto" in text_of(response.get_data(as_text=True))
    assert not logged_in(refused)
    login(app.test_client(), elsewhere)  # Nacka still allows passwords


def test_the_client_secret_is_stored_encrypted_with_a_key_outside_the_database(app, idp, huddinge):
    provider = db.session.execute(select(IdentityProvider)).scalar_one()
    assert idp.client_secret not in provider.client_secret_encrypted
    assert unseal(provider.client_secret_encrypted) == idp.client_secret
    from pathlib import Path

    key_file = Path(app.instance_path) / "data_key"
    assert key_file.exists() and key_file.stat().st_mode & 0o077 == 0
    audit = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "identity_provider.configure")).scalar_one()
    assert idp.client_secret not in str(audit.detail)


def test_a_wrong_client_secret_is_a_clear_refusal(client, idp, huddinge):
    idp.client_secret = "ett-annat-losenord"  # rotated at the provider, not here
    idp.person = {"email": "anna@huddinge.se", "groups": ["sg-platsdialog-pl"]}
    response = through_provider(client, idp)
    assert response.status_code == 400 and not logged_in(client)


def test_the_cli_configures_the_provider_and_turns_passwords_off(runner, make, idp, monkeypatch):
    make.municipality(name="Solna", kommunkod="0184")
    monkeypatch.setenv("SOLNA_SECRET", "solnas-hemlighet")
    result = runner.invoke(args=[
        "municipality", "sign-in", "--kommunkod", "0184", "--issuer", idp.issuer,
        "--client-id", "platsdialog-solna", "--client-secret-env", "SOLNA_SECRET",
        "--group-claim", "roles", "--group-role", "Planerare=working_group", "--no-passwords"])
    assert result.exit_code == 0, result.output
    assert "/konto/sso/0184/tillbaka" in result.output and "lösenord avstängda" in result.output
    db.session.expire_all()
    municipality = db.session.execute(
        select(Municipality).where(Municipality.kommunkod == "0184")).scalar_one()
    provider = municipality.identity_provider
    assert (provider.client_id, provider.group_claim, provider.group_roles) == \
        ("platsdialog-solna", "roles", {"Planerare": "working_group"})
    assert unseal(provider.client_secret_encrypted) == "solnas-hemlighet"
    assert not municipality.local_login_enabled
    bad = runner.invoke(args=["municipality", "sign-in", "--kommunkod", "0184", "--issuer",
                              "http://idp.example.se", "--client-id", "x"])
    assert bad.exit_code != 0 and "https://" in bad.output


def test_the_site_admin_sets_up_sign_in_and_the_secret_is_never_shown(app, client, make, idp):
    from ..conftest import csrf_from

    municipality = make.municipality(name="Tyresö", kommunkod="0138")
    municipality_id = municipality.id
    login(client, make.user(None, None, email="admin@platsdialog.se", is_site_admin=True))
    url = f"/admin/kommuner/{municipality_id}/inloggning"
    page = client.get(url).get_data(as_text=True)
    assert "http://localhost/konto/sso/0138/tillbaka" in page
    form = {"csrf_token": csrf_from(page), "enabled": "y", "issuer": idp.issuer, "client_id": "tyreso",
            "client_secret": "tyresos-hemlighet", "email_claim": "email", "group_claim": "groups",
            "group_roles": "sg-plan = working_group\nsg-pl = project_leader", "local_login_enabled": "y"}
    bad = client.post(url, data={**form, "group_roles": "sg-plan = chef"})
    assert bad.status_code == 400 and "Skriv varje rad som grupp = roll" in bad.get_data(as_text=True)
    assert db.session.execute(select(IdentityProvider)).first() is None  # nothing stored
    assert client.post(url, data=form).status_code == 302
    shown = client.get(url).get_data(as_text=True)
    assert "tyresos-hemlighet" not in shown and "En hemlighet är sparad" in shown
    assert "sg-pl = project_leader" in shown
    # Passwords off, the secret field left empty: the stored secret stays.
    again = {**form, "csrf_token": csrf_from(shown), "client_secret": ""}
    del again["local_login_enabled"]
    assert client.post(url, data=again).status_code == 302
    db.session.expire_all()
    provider = db.session.execute(select(IdentityProvider)).scalar_one()
    assert unseal(provider.client_secret_encrypted) == "tyresos-hemlighet"
    assert provider.group_roles == {"sg-plan": "working_group", "sg-pl": "project_leader"}
    assert not db.session.get(Municipality, municipality_id).local_login_enabled
    other_leader = app.test_client()
    login(other_leader, make.user(make.municipality(name="Nacka"), "project_leader"))
    assert other_leader.get(url).status_code == 404  # site administrators only
