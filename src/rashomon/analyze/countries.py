"""Countries by every name a news text uses: official and short names, native names, alternative
spellings, adjectives and demonyms, and capitals (for "Ankara said" meaning Türkiye's government).

The index is built from pycountry (ISO 3166 names) and countryinfo (demonyms, alternative
spellings, capitals) rather than typed by hand; ``data/aliases.json`` adds only what neither knows
(exonyms such as Turkey/Türkiye, plural demonyms, "U.K.") and the display names we prefer.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from unidecode import unidecode

log = logging.getLogger(__name__)


def fold(name: str) -> str:
    """Accent-, case- and punctuation-insensitive form of a name (Erdoğan -> erdogan)."""
    text = unidecode(name).casefold().replace("'s", "").replace("’s", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@lru_cache(maxsize=1)
def aliases() -> dict:
    """The alias tables of ``data/aliases.json``."""
    return json.loads(resources.files("rashomon.analyze").joinpath("data/aliases.json").read_text("utf-8"))


@dataclass(frozen=True)
class Country:
    code: str      # ISO 3166 alpha-3
    name: str      # display name

    @property
    def key(self) -> str:
        return f"country:{self.code}"


class CountryIndex:
    """Folded name, adjective or demonym -> ``Country``; capital city -> ``Country``."""

    def __init__(self) -> None:
        self.by_name: dict[str, Country] = {}
        self.by_capital: dict[str, Country] = {}
        self.surface: dict[str, str] = {}  # name as written -> "GPE" (a name) or "NORP" (an adjective, a people)
        self._build()

    def _build(self) -> None:
        import pycountry
        from countryinfo import all_countries

        table = aliases()
        display = table.get("display", {})
        countries: dict[str, Country] = {}
        for c in pycountry.countries:
            name = display.get(c.alpha_3) or getattr(c, "common_name", None) or c.name
            countries[c.alpha_3] = Country(c.alpha_3, name)
            for label in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
                if label:
                    self._add(label, countries[c.alpha_3])
        for info in all_countries():
            try:
                data = info.info()
            except Exception:  # a malformed entry in the package's data: skip it
                continue
            code = (data.get("ISO") or {}).get("alpha3")
            country = countries.get(code or "")
            if country is None:
                continue
            for label in [data.get("name"), data.get("nativeName"), *(data.get("altSpellings") or [])]:
                if label and len(label) > 3 and not label.isupper():
                    self._add(label, country, overwrite=False)
            if data.get("demonym"):
                self._add(data["demonym"], country, overwrite=False, kind="NORP")
            capitals = data.get("capital") or []
            for capital in [capitals] if isinstance(capitals, str) else capitals:
                if isinstance(capital, str) and capital:
                    self.by_capital.setdefault(fold(capital), country)
        for label, code in table.get("capitals", {}).items():
            if code in countries:
                self.by_capital[fold(label)] = countries[code]
        for section, kind in (("countries", "GPE"), ("demonyms", "NORP")):
            for label, code in table.get(section, {}).items():
                if code is None:
                    self.by_name.pop(fold(label), None)
                    self.surface.pop(label, None)
                elif code in countries:
                    self._add(label, countries[code], kind=kind)

    def _add(self, label: str, country: Country, overwrite: bool = True, kind: str = "GPE") -> None:
        key = fold(label)
        if key and (overwrite or key not in self.by_name):
            self.by_name[key] = country
            self.surface.setdefault(label, kind)

    def lookup(self, name: str) -> Country | None:
        """The country a name, adjective or demonym refers to ("Turkish" -> Türkiye)."""
        key = fold(name)
        return self.by_name.get(key) or self.by_name.get(key.removeprefix("the "))

    def capital_of(self, name: str) -> Country | None:
        """The country whose capital this is ("Ankara" -> Türkiye)."""
        return self.by_capital.get(fold(name))


@lru_cache(maxsize=1)
def country_index() -> CountryIndex:
    """The shared index (built once per process, about 0.1 s)."""
    return CountryIndex()
