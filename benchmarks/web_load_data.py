"""Synthetic news for the web load benchmark (``web_load.py``): invented outlets, places, people and stories.

Nothing here is copied from a dataset: names are built from syllables with a fixed seed, and every
story is one invented event (a kind of event, a place, an institution, two people, a figure, a
day) told by 10 different outlets with varied wording — different headline templates and verbs,
sentence order, which person is quoted, and a reported figure that drifts between outlets the way
early counts do. Articles are short (5-8 sentences, about 1 KB); dates spread over ``DAYS`` days.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterator

DAYS = 60
START = datetime(2025, 1, 6, tzinfo=timezone.utc)
ONSETS = ["b", "br", "d", "dr", "f", "g", "gr", "h", "k", "kl", "l", "m", "n", "p", "r", "s", "st", "t", "th",
          "v", "w", "z", "sk", "tr", "ch"]
VOWELS = ["a", "e", "i", "o", "u", "ae", "ia", "ou", "y"]
CODAS = ["", "n", "r", "l", "s", "th", "rn", "nd", "st", "k", "m", "x"]
PLACE_ENDS = ["holt", "by", "mere", "ford", "stad", "wick", "ton", "vale", "port", "ley", "moor", "haven", "gate"]
OUTLET_NOUNS = ["Courier", "Herald", "Dispatch", "Ledger", "Gazette", "Post", "Wire", "Observer", "Tribune",
                "Chronicle", "Standard", "Review", "Sentinel", "Bulletin", "Record", "Times", "Journal", "Echo"]
INSTITUTIONS = ["city council", "port authority", "health ministry", "transport board", "water utility",
                "regional court", "energy regulator", "university senate", "fire service", "school board",
                "housing agency", "police department", "farmers' union", "chamber of commerce", "rail operator"]
ROLES = ["spokesperson", "director", "chair", "deputy mayor", "chief inspector", "union leader", "minister"]
WITNESSES = ["a resident", "a shop owner", "a nurse", "a commuter", "a teacher", "a local farmer", "a student"]

# kind -> (headline templates, figure noun, verbs, background sentences); {place}, {inst}, {n}, {what}
EVENTS: dict[str, tuple[list[str], str, list[str], list[str]]] = {
    "strike": (["{n} workers strike at {place} {inst}", "Walkout halts {place} {inst} as {n} down tools",
                "{place} strike: {inst} staff walk out over pay"], "workers",
               ["walked out", "went on strike", "downed tools", "stopped work"],
               ["Talks over pay broke down last week.", "The union says wages have lagged prices for two years."]),
    "flood": (["Floods force {n} from homes in {place}", "{place} flooding: {n} evacuated",
               "River bursts banks in {place}, {n} moved to shelters"], "residents",
              ["were evacuated", "left their homes", "were moved to shelters", "fled rising water"],
              ["Heavy rain fell for three days.", "The river reached its highest level in decades."]),
    "fire": (["Fire destroys warehouse in {place}", "Blaze at {place} depot injures {n}",
              "{place} fire: {n} hurt as warehouse burns"], "people",
             ["were injured", "were hurt", "needed treatment", "were taken to hospital"],
             ["Crews fought the flames through the night.", "The cause of the fire is not yet known."]),
    "budget": (["{place} {inst} approves budget after long debate", "Budget vote splits {place} {inst}",
                "{place} passes budget with {n} million for repairs"], "million",
               ["approved", "passed", "voted through", "adopted"],
               ["Opposition members called the plan unrealistic.", "The vote followed weeks of negotiation."]),
    "outage": (["Power cut leaves {n} homes dark in {place}", "{place} blackout hits {n} households",
                "Outage in {place}: {inst} blames storm"], "homes",
               ["lost power", "were left without electricity", "went dark", "were cut off"],
               ["Engineers worked to restore supply.", "A substation failed early in the morning."]),
    "trial": (["Verdict due in {place} fraud trial", "{place} court hears final arguments",
               "Jury retires in {place} case after {n} days"], "days",
              ["heard", "considered", "weighed", "examined"],
              ["The defendants deny the charges.", "Prosecutors allege funds were diverted."]),
    "rail": (["Rail delays strand {n} commuters near {place}", "Signal fault snarls {place} trains",
              "{place} line closed, {n} passengers stuck"], "passengers",
             ["were stranded", "were delayed", "waited for hours", "were stuck"],
             ["Replacement buses were ordered.", "The line is one of the busiest in the region."]),
    "protest": (["Thousands march in {place} over {inst} plan", "{place} protest draws {n}",
                 "Protesters rally outside {place} {inst}"], "protesters",
                ["marched", "rallied", "gathered", "demonstrated"],
                ["Organisers promised further action.", "The plan was announced a month ago."]),
    "hospital": (["New hospital wing opens in {place}", "{place} opens ward with {n} beds",
                  "{inst} unveils {place} hospital extension"], "beds",
                 ["opened", "were added", "came into service", "were made available"],
                 ["Waiting lists in the area are long.", "Construction took almost three years."]),
    "drought": (["Drought: {place} rations water", "{place} farmers warn of losses as drought deepens",
                 "Water limits imposed in {place} for {n} days"], "days",
                ["imposed limits", "restricted use", "asked for restraint", "announced rationing"],
                ["Reservoirs are at a record low.", "No significant rain has fallen since spring."]),
    "breach": (["Data breach at {place} {inst} exposes {n} records", "{place} {inst} hacked",
                "Hackers steal data of {n} people in {place}"], "records",
               ["were exposed", "were stolen", "were accessed", "leaked"],
               ["Investigators are tracing the attackers.", "Customers were told to change passwords."]),
    "quake": (["Earthquake shakes {place}", "Tremor damages {n} buildings in {place}",
               "{place} quake: buildings cracked, no deaths"], "buildings",
              ["were damaged", "cracked", "were evacuated", "were declared unsafe"],
              ["Aftershocks continued through the day.", "Seismologists measured a moderate magnitude."]),
    "merger": (["{place} firms agree merger", "Merger creates {place} group with {n} staff",
                "Two {place} companies combine"], "employees",
               ["will join", "will be affected", "will move to the new group", "are covered by the deal"],
               ["Regulators must still approve the deal.", "Shares rose on the news."]),
    "festival": (["{place} festival draws {n} visitors", "Crowds pack {place} for annual festival",
                  "Record turnout at {place} festival"], "visitors",
                 ["attended", "came", "visited", "joined the celebrations"],
                 ["Hotels reported full bookings.", "The festival began forty years ago."]),
    "ferry": (["Ferry runs aground off {place}", "{n} passengers rescued from {place} ferry",
               "{place} ferry grounding: all safe"], "passengers",
              ["were rescued", "were brought ashore", "were evacuated", "were taken off"],
              ["The coast guard sent two boats.", "Weather at the time was calm."]),
    "prices": (["Bread prices rise {n} percent in {place}", "{place} shoppers feel price jump",
                "{inst} warns of {place} price rises"], "percent",
               ["rose", "climbed", "jumped", "increased"],
               ["Grain costs have risen sharply.", "Retailers blame transport costs."]),
}
QUOTES = ["\"We are doing everything we can,\" {who} said.", "{who} said the situation was under control.",
          "\"This should never have happened,\" said {who}.", "According to {who}, more details will follow.",
          "{who} told reporters that an inquiry would begin.", "\"People deserve answers,\" {who} said."]


def _name(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)).capitalize()


@dataclass
class Vocabulary:
    """The invented names a store is built from (also the source of the benchmark's search words)."""

    outlets: list[str]
    places: list[str]
    people: list[str]


def vocabulary(seed: int = 7, outlets: int = 50, places: int = 900, people: int = 3000) -> Vocabulary:
    rng = random.Random(seed)

    def unique(make, n: int) -> list[str]:
        seen: dict[str, None] = {}
        while len(seen) < n:
            seen.setdefault(make(), None)
        return list(seen)

    return Vocabulary(
        outlets=unique(lambda: f"{_name(rng, 2)} {rng.choice(OUTLET_NOUNS)}", outlets),
        places=unique(lambda: _name(rng, 1) + rng.choice(PLACE_ENDS), places),
        people=unique(lambda: f"{_name(rng, 2)} {_name(rng, 2)}", people))


@dataclass
class SyntheticArticle:
    """One generated article and the story it belongs to (``story``: the story's number)."""

    story: int
    outlet: str
    title: str
    text: str
    url: str
    author: str
    published: str


def _slug(text: str) -> str:
    return "-".join("".join(c for c in w.lower() if c.isalnum()) for w in text.split()[:8]).strip("-")


def story_articles(vocab: Vocabulary, number: int, per_story: int = 10, seed: int = 7) -> list[SyntheticArticle]:
    """The ``per_story`` articles of story ``number`` (deterministic for a seed and number)."""
    rng = random.Random(seed * 1_000_003 + number)
    kind = rng.choice(sorted(EVENTS))
    headlines, noun, verbs, background = EVENTS[kind]
    place, inst = rng.choice(vocab.places), rng.choice(INSTITUTIONS)
    official, witness = rng.choice(vocab.people), rng.choice(vocab.people)
    role, bystander = rng.choice(ROLES), rng.choice(WITNESSES)
    figure = rng.choice([12, 40, 85, 150, 300, 1200, 4000, 25000])
    population = rng.randrange(8, 400) * 1000
    day = START + timedelta(days=rng.randrange(DAYS), hours=rng.randrange(6, 20))
    out = []
    for i, outlet in enumerate(rng.sample(vocab.outlets, per_story)):
        n = figure if rng.random() < 0.6 else max(1, round(figure * rng.uniform(0.8, 1.25)))
        when = day + timedelta(minutes=rng.randrange(0, 36 * 60))
        title = rng.choice(headlines).format(place=place, inst=inst, n=f"{n:,}")
        if rng.random() < 0.3:
            title += rng.choice([": what we know", " — latest", ", officials say", " as questions mount"])
        lead = (f"{n:,} {noun} {rng.choice(verbs)} in {place} on {when:%A}, "
                f"the {inst} {rng.choice(['said', 'confirmed', 'reported', 'announced'])}.")
        sentences = [
            f"{official}, {role} of the {inst}, {rng.choice(['said', 'told reporters', 'stated'])} the figure "
            f"{rng.choice(['could rise', 'was provisional', 'was checked overnight', 'would be updated'])}.",
            rng.choice(QUOTES).format(who=official if rng.random() < 0.5 else witness),
            rng.choice(background),
            f"{rng.choice(['Earlier', 'Later', 'Meanwhile'])}, the {inst} {rng.choice(['promised', 'announced', 'ruled out'])} "
            f"{rng.choice(['a review', 'extra funding', 'an independent inquiry', 'new rules', 'compensation'])} "
            f"{rng.choice(['for those affected', 'within weeks', 'before the end of the month', 'for ' + place])}.",
            f"{place} {rng.choice(['has about', 'is home to some', 'counts roughly'])} {population:,} residents.",
            f"{witness}, {bystander}, {rng.choice(['described', 'recalled', 'spoke of'])} "
            f"{rng.choice(['a tense morning', 'long queues', 'confusion', 'a sense of relief', 'anger'])}.",
        ]
        rng.shuffle(sentences)
        body = [lead, " ".join(sentences[:3]), " ".join(sentences[3:])]
        if rng.random() < 0.5:
            body.append(f"The {outlet} will update this report. Filed at {when:%H:%M} on {when:%d %B %Y}.")
        domain = _slug(outlet).replace("-", "") + ".example"
        out.append(SyntheticArticle(story=number, outlet=outlet, title=title, text="\n\n".join(body),
                                    url=f"https://{domain}/{when:%Y/%m/%d}/{_slug(title)}-{number}-{i}",
                                    author=rng.choice(vocab.people), published=when.isoformat(timespec="seconds")))
    return out


def generate(vocab: Vocabulary, stories: int, per_story: int = 10, seed: int = 7) -> Iterator[SyntheticArticle]:
    """All articles of stories ``0 .. stories-1``, story by story."""
    for number in range(stories):
        yield from story_articles(vocab, number, per_story, seed)


def search_queries(vocab: Vocabulary, count: int = 400, seed: int = 11) -> list[str]:
    """Varied search queries from the synthetic vocabulary: a place (a few hundred matches), a common
    word (thousands), a place and a word, an institution, a person's surname."""
    rng = random.Random(seed)
    words = [w for headlines, *_ in EVENTS.values() for h in headlines for w in h.split()
             if w.isalpha() and w.islower() and len(w) > 3]
    shapes = [lambda: rng.choice(vocab.places),
              lambda: rng.choice(words),
              lambda: f"{rng.choice(vocab.places)} {rng.choice(words)}",
              lambda: rng.choice(INSTITUTIONS),
              lambda: rng.choice(vocab.people).split()[1],
              lambda: f"{rng.choice(words)} {rng.choice(sorted(EVENTS))}"]
    return [rng.choice(shapes)() for _ in range(count)]
