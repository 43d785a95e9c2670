"""The decision engine: plain Python over plain data, no Django (see decide.Engine)."""

from .decide import Decision, DecisionUnit, Engine, Request
from .rules import RuleSet

__all__ = ["Decision", "DecisionUnit", "Engine", "Request", "RuleSet"]
