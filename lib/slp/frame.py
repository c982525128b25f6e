"""The comparison frame of a run: the areas the area is set among, and the words that name it.

For the MPS borough files the frame is London: its 32 boroughs, "London" as the whole. For a
run on data.police.uk files it is the force area: the authorities of the force ("the 5
authorities in the Gwent Police area"), the force's area as the whole in place of London.
Every page that compares the area with its peers or with the whole names the frame through
this object, never by a literal "London".

Examples
--------
>>> london = Frame.london(f"B{i}" for i in range(32))
>>> london.members_phrase
"London's 32 boroughs"
>>> gwent = Frame.of_force("Gwent Police", ["Blaenau Gwent", "Caerphilly", "Monmouthshire",
...                                        "Newport", "Torfaen"])
>>> gwent.members_phrase
'the 5 authorities in the Gwent Police area'
>>> gwent.whole
'the Gwent Police area'
>>> gwent.whole_label
'Gwent Police area'
>>> london.counted(32), gwent.counted()
('32 London boroughs', '5 authorities in the Gwent Police area')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Frame:
    """The areas of a run's comparisons and how the report names them.

    Attributes
    ----------
    members : tuple of str
        The areas (boroughs or authorities), sorted.
    whole : str
        The whole in running text: "London", "the Gwent Police area".
    whole_label : str
        The whole as a table heading or legend: "London", "Gwent Police area".
    noun : str
        One member: "borough" or "authority".
    force : str or None
        The police force whose files make the frame (None for London).
    """

    members: tuple[str, ...]
    whole: str = "London"
    whole_label: str = "London"
    noun: str = "borough"
    force: str | None = None

    @classmethod
    def london(cls, boroughs: Iterable[str]) -> Frame:
        """London as the MPS files give it (its 32 boroughs, or the demo's 32)."""
        return cls(members=tuple(sorted(boroughs)))

    @classmethod
    def of_force(cls, force: str, authorities: Iterable[str]) -> Frame:
        """The authorities of one police force's area (a police.uk run)."""
        return cls(members=tuple(sorted(authorities)), whole=f"the {force} area",
                   whole_label=f"{force} area", noun="authority", force=force)

    @property
    def is_london(self) -> bool:
        return self.force is None

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def plural(self) -> str:
        """"boroughs" or "authorities"."""
        return "authorities" if self.noun == "authority" else f"{self.noun}s"

    @property
    def members_phrase(self) -> str:
        """"London's 32 boroughs"; "the 5 authorities in the Gwent Police area"."""
        if self.is_london:
            return f"London's {self.count} {self.plural}"
        return f"the {self.count} {self.plural} in {self.whole}"

    def of_members(self) -> str:
        """"of London's 32 boroughs" / "of the 5 authorities in the Gwent Police area", for
        ranks ("2nd highest rate of the 5 authorities in the Gwent Police area")."""
        return f"of {self.members_phrase}"

    @property
    def whole_possessive(self) -> str:
        """"London's"; "the Gwent Police area's"."""
        return f"{self.whole}'s"

    @property
    def whole_opening(self) -> str:
        """The whole at the start of a sentence: "London"; "The Gwent Police area"."""
        return self.whole[:1].upper() + self.whole[1:]

    @property
    def members_label(self) -> str:
        """The members without a number, as a heading says them: "London boroughs";
        "authorities in the Gwent Police area"."""
        if self.is_london:
            return f"London {self.plural}"
        return f"{self.plural} in {self.whole}"

    @property
    def member_label(self) -> str:
        """One member, for "by ...": "London borough"; "authority in the Gwent Police area"."""
        if self.is_london:
            return f"London {self.noun}"
        return f"{self.noun} in {self.whole}"

    def counted(self, n: int | None = None) -> str:
        """``n`` members (by default all of them) in running text: "32 London boroughs";
        "5 authorities in the Gwent Police area" ("the 14th highest rate of 32 London
        boroughs")."""
        return f"{self.count if n is None else n} {self.members_label}"

    @property
    def change_column(self) -> str:
        """The heading of the whole's change: "London change"; "Gwent Police area change"."""
        return f"{self.whole_label} change"

    @property
    def differs_column(self) -> str:
        """The heading of the funnel-of-changes verdict: "Changed differently from London?"."""
        return f"Changed differently from {self.whole}?"

    @property
    def rank_column(self) -> str:
        """The heading of a rank among the members: "Rank of 32"."""
        return f"Rank of {self.count}"
