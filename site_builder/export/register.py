"""register.json: persons, guardianship, groups and organisations in the shape of SS 12000 v2.

Fields of real SS 12000 data that we do not use are ignored; what we use is validated.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from site_builder.export.config import RelationType

SecurityMarking = Literal["Ingen", "Sekretessmarkering", "Skyddad folkbokföring"]
GroupType = Literal[
    "Klass", "Undervisning", "Avdelning", "Mentor", "Schema", "Provgrupp", "Personalgrupp", "Övrigt"
]


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ObjectRef(_Lenient):
    """SS 12000's reference to another object: `{"id": ..., "displayName": ...}`."""

    id: str = Field(min_length=1)
    displayName: str | None = None


class CivicNo(_Lenient):
    value: str = Field(description="12 digits: personnummer or samordningsnummer (day + 60).")


class Email(_Lenient):
    value: str
    type: str | None = None


class Responsible(_Lenient):
    person: ObjectRef
    relationType: RelationType


class Enrolment(_Lenient):
    enroledAt: ObjectRef = Field(description="The school unit (an organisation).")
    schoolYear: int | None = Field(default=None, ge=0, le=13)
    schoolType: str = Field(description="SS 12000 school type code: FS, FKLASS, GR, GRS, GY...")
    startDate: date | None = None
    endDate: date | None = None


class Person(_Lenient):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    givenName: str = Field(min_length=1)
    familyName: str = Field(min_length=1)
    civicNo: CivicNo | None = None
    securityMarking: SecurityMarking = "Ingen"
    responsibles: list[Responsible] = Field(default_factory=list)
    enrolments: list[Enrolment] = Field(default_factory=list)
    emails: list[Email] = Field(default_factory=list)
    eduPersonPrincipalNames: list[str] = Field(default_factory=list)


class GroupMembership(_Lenient):
    person: ObjectRef
    startDate: date | None = None
    endDate: date | None = None


class Group(_Lenient):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    displayName: str = Field(min_length=1)
    groupType: GroupType
    organisation: ObjectRef
    groupMemberships: list[GroupMembership] = Field(default_factory=list)


class Address(_Lenient):
    """SS 12000's postal address; an organisation's visiting or postal address."""

    type: str | None = None
    streetAddress: str | None = None
    postalCode: str | None = None
    locality: str | None = None


class Organisation(_Lenient):
    id: str = Field(min_length=1)
    displayName: str = Field(min_length=1)
    organisationType: str | None = None
    schoolUnitCode: str | None = None
    # Contact details a school unit publishes; shown to the families of its children.
    email: str | None = None
    phoneNumber: str | None = None
    url: str | None = None
    addresses: list[Address] = Field(default_factory=list)


class AssignmentRole(_Lenient):
    """A duty's role in a group (SS 12000 `assignmentRole`): e.g. the class's mentor."""

    group: ObjectRef
    assignmentRoleType: str = Field(
        min_length=1, description="Mentor, Lärare, Förskollärare, Barnskötare, Fritidspedagog..."
    )
    startDate: date | None = None
    endDate: date | None = None


class Duty(_Lenient):
    """A member of staff's duty at a school unit (SS 12000 `Duty`)."""

    id: str = Field(min_length=1)
    person: ObjectRef
    dutyAt: ObjectRef
    dutyRole: str | None = None
    assignmentRole: list[AssignmentRole] = Field(default_factory=list)
    startDate: date | None = None
    endDate: date | None = None


class Register(_Lenient):
    persons: list[Person]
    groups: list[Group] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    duties: list[Duty] = Field(default_factory=list)
