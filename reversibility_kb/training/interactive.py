"""The exercise in the terminal: the junior types finding ids one per line, asks for clues, takes
answers back, and ends with the grading. Plain prompts (``click.prompt``), so that the session
works in any terminal and can be driven through a pseudo-terminal.

Clues are progressive: each request goes one level further (theme, then facts, then rule) on the
most serious finding not named yet, then moves on to the next one."""

from __future__ import annotations

from typing import Callable, Optional

import click

from .grading import Answers, Grade, Key, grade, hints, nearest
from .texts import t
from .render import grade_text, hint_lines, nearest_text

#: The commands of a session, by key of their word in both languages.
COMMANDS = ("cmd_hint", "cmd_list", "cmd_remove", "cmd_practice", "cmd_document", "cmd_done", "cmd_help")


def _command(word: str) -> Optional[str]:
    """The command a typed word stands for, in either language."""
    for key in COMMANDS:
        if word.casefold() in (t(key, "fr").casefold(), t(key, "en").casefold()):
            return key
    return None


class Session:
    """One junior's answer being built, and how far the clues have gone."""

    def __init__(self, key: Key, lang: str, echo: Callable[[str], None] = click.echo) -> None:
        self.key, self.lang, self.echo = key, lang, echo
        self.findings: list[str] = []
        self.practices: Optional[list[str]] = None
        self.documents: Optional[list[str]] = None
        self.clue_target: Optional[str] = None
        self.clue_level = 0

    def answers(self) -> Answers:
        """What the junior has typed so far, as an answer to grade."""
        return Answers(
            findings=tuple(self.findings),
            practices=tuple(self.practices) if self.practices is not None else None,
            documents=tuple(self.documents) if self.documents is not None else None,
        )

    def known(self, claim: str) -> bool:
        """Whether a finding id could exist (its kind is concluded by some rule)."""
        return claim.partition("@")[0] in self.key.kinds

    def add(self, claim: str) -> None:
        """Note a finding id; an id no rule concludes is refused with the nearest ids."""
        if not self.known(claim):
            choices = [*self.key.assessment.run.conclusions, *self.key.kinds]
            found = nearest(claim, choices, cutoff=0.0)
            self.echo(t("unknown_id", self.lang, id=claim, nearest=nearest_text(found, self.lang)))
        elif claim in self.findings:
            self.echo(t("already", self.lang))
        else:
            self.findings.append(claim)
            self.echo(t("noted", self.lang, count=len(self.findings)))

    def clue(self) -> None:
        """One more clue: deeper on the same finding, or the first level of the next one."""
        remaining = {e.id: e for e in self.key.expected if e.id not in self.findings}
        if not remaining:
            self.echo(t("hint_none", self.lang))
            return
        if self.clue_target not in remaining or self.clue_level >= 3:
            ids = list(remaining)
            after = ids.index(self.clue_target) + 1 if self.clue_target in ids and self.clue_level >= 3 else 0
            self.clue_target = ids[after % len(ids)]
            self.clue_level = 0
        self.clue_level += 1
        named = [i for i in self.key.ids if i != self.clue_target]
        (hint,) = hints(self.key, named, self.clue_level)
        for line in hint_lines(hint, self.lang):
            self.echo(line)

    def handle(self, line: str) -> bool:
        """Act on one typed line; ``False`` when the session is over."""
        word, _, rest = line.strip().partition(" ")
        rest = rest.strip()
        command = _command(word)
        if command == "cmd_done":
            return False
        if command == "cmd_help":
            self.echo(t("help_text", self.lang))
        elif command == "cmd_hint":
            self.clue()
        elif command == "cmd_list":
            items = self.findings + [f"{t('cmd_practice', self.lang)} {p}" for p in self.practices or ()] + [f"{t('cmd_document', self.lang)} {d}" for d in self.documents or ()]
            self.echo(t("your_answers", self.lang, items=", ".join(items) or t("empty_list", self.lang)))
        elif command == "cmd_remove" and rest:
            if rest in self.findings:
                self.findings.remove(rest)
                self.echo(t("removed", self.lang))
            else:
                self.echo(t("not_in_list", self.lang))
        elif command == "cmd_practice" and rest:
            self.practices = [*(self.practices or []), rest]
            self.echo(t("noted", self.lang, count=len(self.practices)))
        elif command == "cmd_document" and rest:
            self.documents = [*(self.documents or []), rest]
            self.echo(t("noted", self.lang, count=len(self.documents)))
        elif word:
            self.add(word)
        return True


def run_session(key: Key, lang: str) -> Grade:
    """Prompt until the junior types the word for *done* (or ends the input), then grade."""
    session = Session(key, lang)
    commands = ", ".join(t(k, lang) for k in COMMANDS)
    click.echo(t("session_intro", lang, title=key.assessment.case.title.in_(lang), commands=commands))
    while True:
        try:
            line = click.prompt(t("prompt", lang), default="", show_default=False, prompt_suffix="> ")
        except click.Abort:  # end of input (Ctrl-D) or Ctrl-C: grade what was typed
            click.echo("")
            break
        if not session.handle(line):
            break
    result = grade(key, session.answers())
    click.echo(grade_text(result, lang), nl=False)
    return result
