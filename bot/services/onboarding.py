"""Onboarding: invitation -> language -> time zone -> privacy consent -> a registered person.

Before consent only what is needed to ask is stored: the Telegram id, the chosen language and
time zone, and which invitation is being used. Declining deletes even that.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.config import SUPPORTED_LOCALES, Settings
from bot.services.groups import GroupOutcome, JoinedGroup, join_group
from bot.services.invites import InviteStatus, hash_token, invite_check, looks_like_token
from bot.services.people import PersonInfo, person_info
from bot.services.relations import JoinOutcome, check_client_invite
from bot.storage.models import Person
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory


class Step(StrEnum):
    """Where a person is in onboarding."""

    LANGUAGE = "language"
    TIMEZONE = "timezone"
    CONSENT = "consent"
    DONE = "done"


class Outcome(StrEnum):
    """What happened on /start or an onboarding answer."""

    ASK = "ask"  # show `step`
    REGISTERED = "registered"  # already onboarded: show the menu
    NO_INVITE = "no_invite"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    DECLINED = "declined"
    JOIN_OFFER = "join_offer"  # a registered person opened a coach's link: ask before joining
    ALREADY_COACHED = "already_coached"  # ... of a coach they already work with
    GROUP_OFFER = "group_offer"  # a registered person opened a group link: ask before joining


@dataclass(frozen=True)
class OnboardingResult:
    """The outcome, the step to show and the person as they are now."""

    outcome: Outcome
    step: Step | None = None
    person: PersonInfo | None = None
    # For JOIN_OFFER and ALREADY_COACHED: the inviting coach, and the token to join with.
    coach: PersonInfo | None = None
    token: str | None = None
    # A group link: the group joined at consent (or offered to a registered person).
    group: JoinedGroup | None = None


_STATUS_OUTCOME = {
    InviteStatus.UNKNOWN: Outcome.UNKNOWN,
    InviteStatus.USED: Outcome.USED,
    InviteStatus.EXPIRED: Outcome.EXPIRED,
}


@functools.cache
def _zone_names() -> dict[str, str]:
    """Every tz database name, keyed by its case-folded form (read once; it is a disk scan)."""
    return {name.casefold(): name for name in available_timezones()}


def valid_timezone(name: str) -> str | None:
    """The canonical tz database name for `name` (case-insensitive), or None."""
    candidate = name.strip().replace(" ", "_")
    if not candidate or candidate.startswith(("/", ".")) or ".." in candidate:
        return None
    # "america/new_york" -> "America/New_York": only names the tz database lists, spelled as
    # it spells them (a case-insensitive file system would otherwise accept any casing).
    canonical = _zone_names().get(candidate.casefold())
    if canonical is None:
        return None
    try:
        ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return canonical


class OnboardingService:
    """Walks a person from an invitation (or an admin id) to a registered, consenting user."""

    def __init__(self, uow_factory: UnitOfWorkFactory, settings: Settings) -> None:
        self._uow_factory = uow_factory
        self._settings = settings

    async def begin(self, telegram_id: int, token: str | None, now: datetime) -> OnboardingResult:
        """Handle /start (with or without an invitation token)."""
        async with self._uow_factory() as uow:
            person = await uow.people.by_telegram_id(telegram_id)
            is_admin = telegram_id in self._settings.admin_telegram_ids
            if person is not None and person.consent_at is not None:
                if is_admin and person.role != "admin":
                    # HEMMAPLAN_ADMIN_IDS grew since this person registered.
                    person.role = "admin"
                if token:
                    result = await self._use_for_registered(uow, person, token, now)
                    if result is not None:
                        await uow.commit()
                        return result
                await uow.commit()
                return OnboardingResult(Outcome.REGISTERED, Step.DONE, self._info(person))
            if person is not None and person.onboarding:
                return self._ask(person)
            if token and not is_admin:
                check = (
                    invite_check(await uow.invites.by_token_hash(hash_token(token)), now)
                    if looks_like_token(token)
                    else invite_check(None, now)
                )
                if check.status is not InviteStatus.VALID:
                    return OnboardingResult(_STATUS_OUTCOME[check.status])
                # A group member is a manager like any client (a group is not a role).
                role = "client" if check.kind == "group" else str(check.kind)
                invite_hash = hash_token(token)
            elif is_admin:
                role, invite_hash = "admin", None
            else:
                return OnboardingResult(Outcome.NO_INVITE)
            person = Person(
                telegram_id=telegram_id,
                role=role,
                onboarding={"step": Step.LANGUAGE.value, "invite": invite_hash},
                created_at=now,
            )
            await uow.people.add(person)
            await uow.commit()
            return self._ask(person)

    async def set_language(self, person_id: int, locale: str) -> OnboardingResult:
        """Store the chosen language and ask for the time zone."""
        if locale not in SUPPORTED_LOCALES:
            raise ValueError(locale)
        return await self._advance(person_id, Step.LANGUAGE, Step.TIMEZONE, locale=locale)

    async def set_timezone(self, person_id: int, timezone: str) -> OnboardingResult:
        """Store a valid time zone and ask for consent (raises ValueError for unknown zones)."""
        canonical = valid_timezone(timezone)
        if canonical is None:
            raise ValueError(timezone)
        return await self._advance(person_id, Step.TIMEZONE, Step.CONSENT, timezone=canonical)

    async def consent(
        self, person_id: int, display_name: str | None, now: datetime
    ) -> OnboardingResult:
        """Record explicit consent, use the invitation and register the person in their role."""
        async with self._uow_factory() as uow:
            person = await uow.people.get(person_id)
            if person is None:
                return OnboardingResult(Outcome.NO_INVITE)
            if person.consent_at is not None:
                return OnboardingResult(Outcome.REGISTERED, Step.DONE, self._info(person))
            state = dict(person.onboarding or {})
            if state.get("step") != Step.CONSENT.value:
                return self._ask(person)
            invite_hash = state.get("invite")
            joined: JoinedGroup | None = None
            if isinstance(invite_hash, str):
                invite = await uow.invites.use(invite_hash, person.id, now)
                if invite is None:
                    # Someone else used the link meanwhile, or it expired: forget this person.
                    check = invite_check(await uow.invites.by_token_hash(invite_hash), now)
                    await uow.people.delete(person.id)
                    await uow.commit()
                    return OnboardingResult(_STATUS_OUTCOME.get(check.status, Outcome.UNKNOWN))
                if invite.kind == "client":
                    await uow.relations.link(invite.created_by_id, person.id, now)
                if invite.kind == "group" and invite.group_id is not None:
                    joined = await join_group(uow, person, invite.group_id, now)
            person.consent_at = now
            person.onboarding = None
            given_name = state.get("name")
            person.display_name = given_name if isinstance(given_name, str) else display_name
            person.locale = person.locale or self._settings.default_locale
            person.timezone = person.timezone or self._settings.timezone
            await uow.commit()
            return OnboardingResult(Outcome.REGISTERED, Step.DONE, self._info(person), group=joined)

    async def decline(self, person_id: int) -> OnboardingResult:
        """Forget a person who did not consent (their invitation stays unused)."""
        async with self._uow_factory() as uow:
            person = await uow.people.get(person_id)
            if person is not None and person.consent_at is None:
                await uow.people.delete(person.id)
                await uow.commit()
            return OnboardingResult(Outcome.DECLINED)

    async def _advance(
        self, person_id: int, expected: Step, following: Step, **columns: str
    ) -> OnboardingResult:
        async with self._uow_factory() as uow:
            person = await uow.people.get(person_id)
            if person is None:
                return OnboardingResult(Outcome.NO_INVITE)
            if person.consent_at is not None:
                return OnboardingResult(Outcome.REGISTERED, Step.DONE, self._info(person))
            state = dict(person.onboarding or {})
            if state.get("step") != expected.value:
                # A stale button from an earlier onboarding message: show where they are.
                return self._ask(person)
            for name, value in columns.items():
                setattr(person, name, value)
            person.onboarding = {**state, "step": following.value}
            await uow.commit()
            return self._ask(person)

    async def _use_for_registered(
        self, uow: UnitOfWork, person: Person, token: str, now: datetime
    ) -> OnboardingResult | None:
        """A registered person opened another link: ask before joining a coach, or become one.

        Returns the result to show instead of the menu, or None to show the menu.
        """
        invite = (
            await uow.invites.by_token_hash(hash_token(token)) if looks_like_token(token) else None
        )
        if invite is not None and invite.kind == "client":
            # Joining a coach shares answers with them: never without the client's yes.
            outcome, _ = await check_client_invite(uow, person, token, now)
            coach = await uow.people.get(invite.created_by_id)
            coach_info = self._info(coach) if coach is not None else None
            person_now = self._info(person)
            if outcome is JoinOutcome.OFFER:
                return OnboardingResult(
                    Outcome.JOIN_OFFER, person=person_now, coach=coach_info, token=token
                )
            if outcome is JoinOutcome.ALREADY:
                return OnboardingResult(
                    Outcome.ALREADY_COACHED, person=person_now, coach=coach_info
                )
            if outcome is JoinOutcome.OWN:
                return None
        if invite is not None and invite.created_by_id == person.id:
            return None  # someone tried their own link: nothing to do
        check = invite_check(invite, now)
        if invite is not None and invite.kind == "group":
            if check.status is not InviteStatus.VALID:
                return OnboardingResult(_STATUS_OUTCOME[check.status])
            group = await uow.groups.get(invite.group_id) if invite.group_id else None
            if group is None:
                return OnboardingResult(Outcome.UNKNOWN)
            # Joining shares with the group's facilitator: never without the person's yes.
            already = await uow.groups.membership(group.id, person.id) is not None
            offer = JoinedGroup(
                GroupOutcome.ALREADY if already else GroupOutcome.OK, group.id, group.name
            )
            return OnboardingResult(
                Outcome.GROUP_OFFER, person=self._info(person), token=token, group=offer
            )
        if check.status is not InviteStatus.VALID:
            return OnboardingResult(_STATUS_OUTCOME[check.status])
        used = await uow.invites.use(hash_token(token), person.id, now)
        if used is None:
            return OnboardingResult(Outcome.USED)
        if person.role == "client":
            person.role = "coach"
        return None

    def _info(self, person: Person) -> PersonInfo:
        return person_info(person, self._settings.admin_telegram_ids)

    def _ask(self, person: Person) -> OnboardingResult:
        step = Step((person.onboarding or {}).get("step", Step.LANGUAGE.value))
        return OnboardingResult(Outcome.ASK, step, self._info(person))
