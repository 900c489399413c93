"""A project leader manages the municipality's people; a site admin adds municipalities."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.access import PERMISSIONS, can
from app.extensions import db
from app.models import Invite, Membership, Municipality

from .sessions import Session


def users_url(municipality) -> str:
    return f"/planering/kommuner/{municipality.id}/anvandare"


def test_roles_carry_the_permissions_the_method_describes(make):
    municipality = make.municipality()
    leader, group, steering = (make.user(municipality, role) for role in
                               ("project_leader", "working_group", "steering_group"))
    coordinator = make.user(None, None, is_network_coordinator=True)
    rights = {user.display_name: {p for p in PERMISSIONS if can(user, p, municipality)}
              for user in (leader, group, steering, coordinator)}
    assert rights[leader.display_name] == {
        "view", "read_raw", "edit", "export", "manage_users", "edit_profile", "lifecycle",
        "public_records"}
    assert rights[group.display_name] == {"view", "read_raw", "edit", "export"}
    assert rights[steering.display_name] == {"view"}
    assert rights[coordinator.display_name] == {"view"}
    municipality.grants_network_raw_access = True
    assert can(coordinator, "read_raw", municipality) and not can(coordinator, "edit", municipality)


def test_the_leader_sees_the_municipalitys_people_and_no_one_else(app, make):
    mine, other = make.municipality(name="Sigtuna"), make.municipality()
    leader = make.user(mine, "project_leader", display_name="Lena Ledare")
    make.user(mine, "steering_group", display_name="Sam Styr", email="sam@sigtuna.se")
    make.user(other, "working_group", display_name="Olle Annan")
    html = Session(app, leader).get(users_url(mine))
    assert "Användare i Sigtuna" in html
    assert "Lena Ledare" in html and "sam@sigtuna.se" in html and "Olle Annan" not in html


def test_changing_a_role_and_removing_a_member(app, make):
    municipality = make.municipality(name="Täby")
    leader = Session(app, make.user(municipality, "project_leader"))
    member = make.user(municipality, "working_group", display_name="Mia")
    membership_id = member.memberships[0].id
    response = leader.send("POST", f"/planering/kommuner/{municipality.id}/medlemmar/{membership_id}/roll",
                           {"role": "steering_group"})
    assert response.status_code == 302
    assert "Mia har nu rollen Styrgrupp" in leader.get(users_url(municipality))
    db.session.expire_all()
    assert member.role_in(municipality.id) == "steering_group"

    response = leader.send("POST", f"/planering/kommuner/{municipality.id}/medlemmar/{membership_id}/ta-bort",
                           {})
    assert "Mia arbetar inte längre i Täby" in leader.get(users_url(municipality))
    db.session.expire_all()
    assert member.role_in(municipality.id) is None
    assert Session(app, member).send("GET", users_url(municipality), {}).status_code == 404


def test_an_unknown_role_is_refused(app, make):
    municipality = make.municipality()
    leader = Session(app, make.user(municipality, "project_leader"))
    member = make.user(municipality, "working_group")
    leader.send("POST", f"/planering/kommuner/{municipality.id}/medlemmar/{member.memberships[0].id}/roll",
                {"role": "site_admin"})
    assert "Välj en av rollerna" in leader.get(users_url(municipality))
    db.session.expire_all()
    assert member.role_in(municipality.id) == "working_group"


def test_the_last_project_leader_cannot_be_demoted_or_removed(app, make):
    municipality = make.municipality()
    user = make.user(municipality, "project_leader")
    leader = Session(app, user)
    membership_id = user.memberships[0].id
    base = f"/planering/kommuner/{municipality.id}/medlemmar/{membership_id}"
    leader.send("POST", f"{base}/roll", {"role": "working_group"})
    leader.send("POST", f"{base}/ta-bort", {})
    assert "Kommunen måste ha kvar minst en projektledare" in leader.get(users_url(municipality))
    db.session.expire_all()
    assert user.role_in(municipality.id) == "project_leader"


def test_a_pending_invitation_can_be_withdrawn(app, make):
    municipality = make.municipality()
    leader = Session(app, make.user(municipality, "project_leader"))
    leader.send("POST", f"/planering/kommuner/{municipality.id}/inbjudningar",
                {"email": "sen@kommun.se", "role": "working_group"})
    invite = db.session.execute(select(Invite)).scalar_one()
    assert "sen@kommun.se" in leader.get(users_url(municipality))
    leader.send("POST", f"/planering/kommuner/{municipality.id}/inbjudningar/{invite.id}/aterkalla", {})
    html = leader.get(users_url(municipality))
    assert "Inbjudan till sen@kommun.se är återkallad" in html
    assert "Inbjudningar som ännu inte har accepterats" not in html


def test_a_site_admin_adds_a_municipality_and_invites_its_first_leader(app, make):
    admin = Session(app, make.user(None, None, is_site_admin=True))
    response = admin.send("POST", "/admin/", {"name": "Upplands Väsby", "kommunkod": "0114",
                                              "population": "48000", "leader_email": "pl@vasby.se"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r'value="http://localhost/konto/lank/[\w-]{40,}"', html)
    municipality = db.session.execute(
        select(Municipality).where(Municipality.kommunkod == "0114")).scalar_one()
    assert (municipality.name, municipality.population) == ("Upplands Väsby", 48000)
    invite = db.session.execute(select(Invite)).scalar_one()
    assert (invite.email, invite.role, invite.municipality_id) == ("pl@vasby.se", "project_leader",
                                                                   municipality.id)


def test_a_site_admin_gets_a_clear_message_for_a_bad_municipality(app, make):
    make.municipality(name="Solna", kommunkod="0184")
    admin = Session(app, make.user(None, None, is_site_admin=True))
    for form, message in (
        ({"name": "Sundbyberg", "kommunkod": "183"}, "Kommunkoden är fyra siffror"),
        ({"name": "Solna igen", "kommunkod": "0184"}, "Solna har redan kommunkoden 0184"),
        ({"name": "Sundbyberg", "kommunkod": "0183", "population": "-4"}, "Folkmängden är ett heltal"),
    ):
        response = admin.send("POST", "/admin/", form)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert db.session.execute(select(func.count()).select_from(Municipality)).scalar_one() == 1


def test_the_site_admin_page_is_hidden_from_everyone_else(app, make):
    municipality = make.municipality()
    for role in ("project_leader", "working_group", "steering_group"):
        session = Session(app, make.user(municipality, role))
        assert session.send("GET", "/admin/", {}).status_code == 404
    assert db.session.execute(select(func.count()).select_from(Membership)).scalar_one() == 3


def test_a_site_admin_invites_a_leader_to_an_existing_municipality(app, make):
    municipality = make.municipality(name="Nacka")
    admin = Session(app, make.user(None, None, is_site_admin=True))
    url = f"/admin/kommuner/{municipality.id}/inbjudan"
    refused = admin.send("POST", url, {"email": "inte en adress"})
    assert refused.status_code == 400
    assert "Skriv en hel e-postadress" in refused.get_data(as_text=True)
    response = admin.send("POST", url, {"email": "ledare@nacka.se"})
    assert 'id="one-time-link"' in response.get_data(as_text=True)
    invite = db.session.execute(select(Invite)).scalar_one()
    assert (invite.email, invite.role, invite.municipality_id) == ("ledare@nacka.se", "project_leader",
                                                                   municipality.id)
