"""Invitation and reset links: created by a project leader, shown once, used once, and then dead."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from app.auth.invites import token_hash
from app.extensions import db
from app.models import Invite, Membership, User
from app.models.types import utcnow

from .sessions import Session

LINK = re.compile(r'id="one-time-link"[^>]*value="(http://localhost/konto/lank/([^"]+))"')
NEW_PASSWORD = "tre ord i rad och lite till"


def invite_link(leader_session, municipality, email="ny@kommun.se", role="working_group") -> tuple[str, str]:
    """Create an invitation through the page and return the link shown, and its token."""
    response = leader_session.send("POST", f"/planering/kommuner/{municipality.id}/inbjudningar",
                                   {"email": email, "role": role})
    assert response.status_code == 200, response.get_data(as_text=True)
    url, token = LINK.search(response.get_data(as_text=True)).groups()
    return url, token


def accept(app, token, **form):
    """A visitor opening the link and sending the form."""
    visitor = Session(app)
    page = visitor.send("GET", f"/konto/lank/{token}", {})
    if page.status_code != 200:
        return visitor, page
    visitor.csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                             page.get_data(as_text=True)).group(1)
    return visitor, visitor.send("POST", f"/konto/lank/{token}", form)


def test_an_invitation_creates_an_account_with_the_role_once(app, make):
    municipality = make.municipality(name="Järfälla")
    leader = Session(app, make.user(municipality, "project_leader"))
    url, token = invite_link(leader, municipality, email="Ny.Planerare@Kommun.se")
    invite = db.session.execute(select(Invite)).scalar_one()
    assert invite.token_hash == token_hash(token) and token not in repr(
        db.session.execute(select(Invite.__table__)).all())
    assert invite.expires_at - utcnow() > timedelta(days=6, hours=23)
    # The link is not shown again on the page.
    assert token not in leader.get(f"/planering/kommuner/{municipality.id}/anvandare")

    visitor, response = accept(app, token, display_name="Nora", password="kort", confirm="kort")
    html = response.get_data(as_text=True)
    assert "Lösenordet måste ha minst 12 tecken" in html
    assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == 1

    visitor, response = accept(app, token, display_name="Nora", password=NEW_PASSWORD,
                               confirm=NEW_PASSWORD)
    assert response.status_code == 302
    assert "Välkommen! Du arbetar nu i Järfälla" in visitor.get("/planering/")
    user = db.session.execute(select(User).where(User.email == "ny.planerare@kommun.se")).scalar_one()
    assert user.role_in(municipality.id) == "working_group" and user.check_password(NEW_PASSWORD)

    _, again = accept(app, token)
    assert again.status_code == 410
    assert "Länken har redan använts" in again.get_data(as_text=True)


def test_an_expired_or_unknown_link_is_refused_with_a_reason(app, make):
    municipality = make.municipality()
    leader = Session(app, make.user(municipality, "project_leader"))
    _, token = invite_link(leader, municipality)
    invite = db.session.execute(select(Invite)).scalar_one()
    invite.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    _, response = accept(app, token)
    assert response.status_code == 410
    assert "Länken har gått ut" in response.get_data(as_text=True)
    _, response = accept(app, token[:-3])
    assert response.status_code == 404
    assert "Länken är inte giltig" in response.get_data(as_text=True)


def test_an_invitation_for_an_existing_account_needs_its_password(app, make):
    first, second = make.municipality(), make.municipality(name="Sollentuna")
    existing = make.user(first, "working_group", email="anna@kommun.se")
    leader = Session(app, make.user(second, "project_leader"))
    _, token = invite_link(leader, second, email="anna@kommun.se", role="steering_group")
    _, response = accept(app, token, password="inte mitt lösenord")
    assert "Lösenordet är fel" in response.get_data(as_text=True)
    db.session.refresh(existing)
    assert existing.role_in(second.id) is None
    assert db.session.execute(select(Invite.used_at)).scalar_one() is None
    _, response = accept(app, token, password="rätt-lösenord-123")
    assert response.status_code == 302
    db.session.refresh(existing)
    assert existing.role_in(second.id) == "steering_group" and existing.role_in(first.id) == "working_group"


def test_inviting_someone_already_in_the_municipality_says_so(app, make):
    municipality = make.municipality(name="Botkyrka")
    make.user(municipality, "working_group", email="bo@kommun.se")
    leader = Session(app, make.user(municipality, "project_leader"))
    response = leader.send("POST", f"/planering/kommuner/{municipality.id}/inbjudningar",
                           {"email": "bo@kommun.se", "role": "working_group"})
    assert response.status_code == 400
    assert "bo@kommun.se arbetar redan i Botkyrka" in response.get_data(as_text=True)
    assert db.session.execute(select(func.count()).select_from(Invite)).scalar_one() == 0


def test_a_reset_link_sets_a_new_password_and_ends_old_sessions(app, make):
    municipality = make.municipality()
    member = make.user(municipality, "working_group")
    member_session = Session(app, member)
    leader = Session(app, make.user(municipality, "project_leader"))
    url = f"/planering/kommuner/{municipality.id}/anvandare/{member.id}/aterstallningslank"
    response = leader.send("POST", url, {})
    token = LINK.search(response.get_data(as_text=True)).group(2)
    _, response = accept(app, token, password=NEW_PASSWORD, confirm="något annat helt och hållet")
    assert "De två lösenorden är inte likadana" in response.get_data(as_text=True)
    _, response = accept(app, token, password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert response.status_code == 302
    assert member_session.send("GET", "/planering/", {}).status_code == 302  # the old session is over
    db.session.refresh(member)
    assert member.check_password(NEW_PASSWORD) and not member.check_password("rätt-lösenord-123")
    _, again = accept(app, token, password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert again.status_code == 410


def test_a_leader_cannot_reset_an_account_that_also_works_elsewhere(app, make):
    mine, theirs = make.municipality(), make.municipality()
    shared = make.user(mine, "working_group")
    db.session.add(Membership(user_id=shared.id, municipality_id=theirs.id, role="project_leader"))
    db.session.commit()
    leader = Session(app, make.user(mine, "project_leader"))
    url = f"/planering/kommuner/{mine.id}/anvandare/{shared.id}/aterstallningslank"
    response = leader.send("POST", url, {})
    assert response.status_code == 302
    assert "arbetar också i en annan kommun" in leader.get(f"/planering/kommuner/{mine.id}/anvandare")
    assert db.session.execute(select(func.count()).select_from(Invite)).scalar_one() == 0


def test_the_cli_prints_invitation_and_reset_links_that_work(app, make, runner):
    municipality = make.municipality(kommunkod="0127")
    result = runner.invoke(args=["user", "invite", "--email", "cli@kommun.se", "--kommunkod", "0127",
                                 "--role", "steering_group", "--base-url", "https://dialog.kommun.se"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("https://dialog.kommun.se/konto/lank/")
    token = result.output.strip().rsplit("/", 1)[1]
    _, response = accept(app, token, display_name="Cli", password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert response.status_code == 302
    user = db.session.execute(select(User).where(User.email == "cli@kommun.se")).scalar_one()
    assert user.role_in(municipality.id) == "steering_group"

    result = runner.invoke(args=["user", "reset-link", "--email", "CLI@kommun.se"])
    token = result.output.strip().rsplit("/", 1)[1]
    _, response = accept(app, token, password="ännu ett nytt lösenord", confirm="ännu ett nytt lösenord")
    assert response.status_code == 302
    result = runner.invoke(args=["user", "reset-link", "--email", "ingen@kommun.se"])
    assert result.exit_code == 1 and "Det finns inget konto för ingen@kommun.se" in result.output
