"""Branching scenarios ("quest" lessons) as plain data: checking a story and counting a vote.

No Django here. A story is a set of scenes; every scene that is not an ending offers choices,
and every choice leads to another scene. The editor stores scenes and choices in the database;
a class session keeps a snapshot of the story (``Story.as_dict``) so that editing a scenario
never changes a lesson that is running.

``problems`` says what keeps a story from being played: a choice that leads nowhere, a scene
without a way on, an ending that still offers choices, a scene no class can reach, and scenes
from which no ending can be reached at all (a loop with no way out).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Choice",
    "Problem",
    "Scene",
    "Story",
    "largest_remainder_percentages",
    "leaders",
    "problems",
]


@dataclass(frozen=True)
class Choice:
    label: str
    leads_to: str | None
    consequence: str = ""


@dataclass(frozen=True)
class Scene:
    key: str
    title: str
    text: str
    ending: bool = False
    #: What someone who lived through it says at this point (seed 000's lessons let survivors
    #: speak); shown on the class screen once the class arrives here.
    survivor_voice: str = ""
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class Problem:
    """One reason a story cannot be played. ``code`` is stable; the web layer words it."""

    code: str
    scene: str | None = None
    choice: str | None = None
    target: str | None = None


@dataclass(frozen=True)
class Story:
    start: str | None
    scenes: dict[str, Scene] = field(default_factory=dict)

    def scene(self, key: str) -> Scene:
        return self.scenes[key]

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "scenes": [
                {
                    "key": s.key,
                    "title": s.title,
                    "text": s.text,
                    "ending": s.ending,
                    "survivor_voice": s.survivor_voice,
                    "choices": [
                        {"label": c.label, "leads_to": c.leads_to, "consequence": c.consequence}
                        for c in s.choices
                    ],
                }
                for s in self.scenes.values()
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Story:
        scenes = {}
        for raw in data.get("scenes", []):
            choices = tuple(
                Choice(c["label"], c.get("leads_to"), c.get("consequence", ""))
                for c in raw.get("choices", [])
            )
            scenes[raw["key"]] = Scene(
                key=raw["key"],
                title=raw["title"],
                text=raw["text"],
                ending=bool(raw.get("ending")),
                survivor_voice=raw.get("survivor_voice", ""),
                choices=choices,
            )
        return cls(start=data.get("start"), scenes=scenes)


def problems(story: Story) -> list[Problem]:
    """Everything that keeps ``story`` from being played with a class, in reading order."""
    found: list[Problem] = []
    if not story.scenes:
        return [Problem("empty")]
    if story.start not in story.scenes:
        found.append(Problem("no_start"))
    for scene in story.scenes.values():
        if scene.ending and scene.choices:
            found.append(Problem("ending_with_choices", scene=scene.key))
        if not scene.ending and not scene.choices:
            found.append(Problem("dead_end", scene=scene.key))
        for choice in scene.choices:
            if choice.leads_to is None or choice.leads_to not in story.scenes:
                found.append(
                    Problem(
                        "leads_nowhere",
                        scene=scene.key,
                        choice=choice.label,
                        target=choice.leads_to,
                    )
                )
    if not any(scene.ending for scene in story.scenes.values()):
        found.append(Problem("no_ending"))
    if story.start in story.scenes:
        reachable = _reachable(story, [story.start], forward=True)
        for key in story.scenes:
            if key not in reachable:
                found.append(Problem("unreachable", scene=key))
        endings = [key for key, scene in story.scenes.items() if scene.ending]
        can_finish = _reachable(story, endings, forward=False)
        for key in story.scenes:
            if key in reachable and key not in can_finish:
                found.append(Problem("no_way_out", scene=key))
    return found


def _reachable(story: Story, from_keys: Iterable[str], *, forward: bool) -> set[str]:
    """Scenes reachable from ``from_keys`` following choices (or, backwards, those from which
    ``from_keys`` can be reached)."""
    edges: dict[str, set[str]] = {key: set() for key in story.scenes}
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.leads_to in story.scenes:
                if forward:
                    edges[scene.key].add(choice.leads_to)
                else:
                    edges[choice.leads_to].add(scene.key)
    seen: set[str] = set()
    todo = [key for key in from_keys if key in story.scenes]
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        todo.extend(edges[key] - seen)
    return seen


def leaders(counts: list[int]) -> list[int]:
    """Indices of the choices with the most votes (more than one on a tie; all when nobody
    voted, so the teacher decides with the class)."""
    if not counts:
        return []
    top = max(counts)
    return [i for i, n in enumerate(counts) if n == top]


def largest_remainder_percentages(counts: list[int]) -> list[int]:
    """Whole percentages that add up to exactly 100 (Hamilton's method), so that the bars on the
    class screen never show 33 + 33 + 33."""
    total = sum(counts)
    if total == 0:
        return [0 for _ in counts]
    exact = [100 * n / total for n in counts]
    floors = [int(x) for x in exact]
    short = 100 - sum(floors)
    by_remainder = sorted(range(len(counts)), key=lambda i: (exact[i] - floors[i], counts[i]))
    for i in reversed(by_remainder[-short:] if short else []):
        floors[i] += 1
    return floors
