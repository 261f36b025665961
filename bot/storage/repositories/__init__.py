"""Repositories: one small class per aggregate, each working on the caller's AsyncSession."""

from bot.storage.repositories.answers import AnswerRepository
from bot.storage.repositories.commitments import CommitmentRepository
from bot.storage.repositories.groups import GroupRepository
from bot.storage.repositories.invites import InviteRepository
from bot.storage.repositories.meetings import MeetingRepository
from bot.storage.repositories.pacers import PacerRepository
from bot.storage.repositories.people import PersonRepository
from bot.storage.repositories.prompts import PromptRepository
from bot.storage.repositories.relations import RelationRepository
from bot.storage.repositories.runs import RunRepository
from bot.storage.repositories.summaries import SummaryRepository

__all__ = [
    "AnswerRepository",
    "CommitmentRepository",
    "GroupRepository",
    "InviteRepository",
    "MeetingRepository",
    "PacerRepository",
    "PersonRepository",
    "PromptRepository",
    "RelationRepository",
    "RunRepository",
    "SummaryRepository",
]
