"""Whom a family contacts about a child: the school unit's details and the child's staff.

In: the child's Person and the Register (SS 12000 organisations, duties with assignment roles,
group memberships). Out: a ChildContacts that goes into the child's sealed bundle. A member of
staff with a security marking is left out entirely, and only work e-mail addresses are shown.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from site_builder.export.register import Organisation, Person, Register

# SS 12000 e-mail types that are work addresses; a private address is never shown to families.
WORK_EMAIL_TYPES = frozenset({"Skola personal", "Arbete övrigt"})
# Mentor first: it is whom a family asks first.
ROLE_ORDER = ("Mentor", "Förskollärare", "Lärare", "Barnskötare", "Fritidspedagog")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class SchoolContact(_Frozen):
    name: str
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    address: str | None = None


class StaffContact(_Frozen):
    name: str
    roles: tuple[str, ...]
    groups: tuple[str, ...]
    email: str | None = None


class ChildContacts(_Frozen):
    school: SchoolContact | None = None
    staff: tuple[StaffContact, ...] = ()


def _school(org: Organisation) -> SchoolContact:
    visiting = next((a for a in org.addresses if a.type == "Besöksadress"), None)
    address = visiting or (org.addresses[0] if org.addresses else None)
    line = None
    if address is not None:
        place = " ".join(p for p in (address.postalCode, address.locality) if p)
        line = ", ".join(p for p in (address.streetAddress, place) if p) or None
    # Only a web address becomes a link in the app (never javascript: or data:).
    url = org.url if org.url and org.url.lower().startswith(("https://", "http://")) else None
    return SchoolContact(
        name=org.displayName, phone=org.phoneNumber, email=org.email, url=url, address=line
    )


def _role_rank(role: str) -> int:
    return ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)


class ContactBook:
    """Built once per register (linear in its size); `for_child` is then cheap per child."""

    def __init__(self, register: Register) -> None:
        self.orgs = {o.id: o for o in register.organisations}
        self.group_names = {g.id: g.displayName for g in register.groups}
        self.groups_of: dict[str, list[str]] = {}
        for group in register.groups:
            for member in group.groupMemberships:
                self.groups_of.setdefault(member.person.id, []).append(group.id)
        persons = {p.id: p for p in register.persons}
        # group id → [(staff person, role)], protected or unknown staff left out
        self.staff_of: dict[str, list[tuple[Person, str]]] = {}
        for duty in register.duties:
            staff = persons.get(duty.person.id)
            if staff is None or staff.securityMarking != "Ingen":
                continue  # unknown, or protected: nothing about them leaves the register
            for role in duty.assignmentRole:
                self.staff_of.setdefault(role.group.id, []).append((staff, role.assignmentRoleType))

    def for_child(self, child: Person) -> ChildContacts:
        """The contacts of `child`: its (first) school unit and the staff of its groups."""
        org = next(
            (self.orgs[e.enroledAt.id] for e in child.enrolments if e.enroledAt.id in self.orgs),
            None,
        )
        found: dict[str, tuple[Person, list[str], list[str]]] = {}
        for group_id in self.groups_of.get(child.id, []):
            for staff, role in self.staff_of.get(group_id, []):
                _, roles, names = found.setdefault(staff.id, (staff, [], []))
                if role not in roles:
                    roles.append(role)
                if self.group_names[group_id] not in names:
                    names.append(self.group_names[group_id])
        staff_contacts = []
        for staff, roles, names in found.values():
            email = next((e.value for e in staff.emails if e.type in WORK_EMAIL_TYPES), None)
            roles.sort(key=_role_rank)
            staff_contacts.append(
                StaffContact(
                    name=f"{staff.givenName} {staff.familyName}",
                    roles=tuple(roles),
                    groups=tuple(names),
                    email=email,
                )
            )
        staff_contacts.sort(key=lambda s: (_role_rank(s.roles[0]), s.name))
        return ChildContacts(
            school=_school(org) if org is not None else None, staff=tuple(staff_contacts)
        )
