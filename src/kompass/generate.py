"""Synthetic evaluations for tests and benchmarks: ``kompass generate --evaluations N``.

Fills the database with realistic, entirely made-up evaluations of the Nordic
municipalities in it (Sweden's 290, Norway's 357 and Denmark's 98 are shipped):

- **Years and versions.** Every year from the first version's start to this year belongs
  to the version whose period of use (``in_use`` in its catalogue file: 2002–2009,
  2010–2015, 2016–2019, 2020–) holds it, so no evaluation lies in the future or outside
  its version's period. Each municipality gets a series, one evaluation every 2–4 years;
  municipalities are taken in a shuffled order, whole series at a time, until N is
  reached. Where N is more than the series hold, the remaining free years are filled at
  random. A (municipality, year, version) already in the database is skipped, so a
  second run adds to the first; N above the free combinations is refused.
- **Scores.** Where the version has sub-questions (2010), a score per sub-question, with
  two decimals, between 0 and its maximum; otherwise a whole score per area out of 100.
  A municipality has a level, a profile over the areas and a slight improvement over the
  years, so its scores are correlated. Every evaluation is checked with
  ``kompass.scoring.check`` (and its facts with the services' own check) before it is
  written.
- **Texts.** Per area "Allmänt" and, where the municipality has an earlier evaluation,
  "Vad har hänt?"; per sub-question a text; 2–5 strengths, 2–5 improvement areas and
  sometimes a good example per area; the evaluation's introduction and summary. Swedish
  sentences from templates and vocabularies about municipal governance, their tone
  following the score, so that a search finds realistic hits.
- **Facts.** Month, visit, ordinal, number interviewed, sources, publisher, two or three
  evaluators; ``data_source`` says the evaluation is synthetic and gives the seed. The
  ordinal counts the municipality's evaluations up to that year, old and new; those
  already in the database are never changed, so a later run that adds an earlier year
  does not renumber them.
- **Status.** A share (``published_share``, default 0.9) is published; the rest stays
  planned, taken first among the municipalities' latest evaluations.

The same seed on the same database gives the same evaluations: every random draw comes
from generators seeded with the seed (and, per municipality and evaluation, with its
country, code, year and version). Rows are written with ``bulk_create`` in batches inside
one transaction: a failure leaves nothing behind. Afterwards the derived-score cache and
the search index are rebuilt where those modules exist (if that fails, the evaluations
stay and the error says so).
"""

from __future__ import annotations

import datetime
import inspect
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from kompass import scoring
from kompass.catalogue import definitions
from kompass.catalogue.models import Area, Framework, Question
from kompass.evaluations.models import (
    AreaAssessment,
    Evaluation,
    Evaluator,
    Finding,
    FindingKind,
    QuestionAssessment,
    Source,
    Status,
)
from kompass.evaluations.services import FIRST_YEAR, Facts, facts_problems
from kompass.i18n import _
from kompass.municipalities.models import Country, Municipality

BATCH = 200  # evaluations per bulk write
SYNTHETIC = "Syntetiska data från kompass generate (frö %(seed)s)"
PERIOD = re.compile(r"^\s*(\d{4})\s*[–—-]\s*(\d{4})?\s*$")


# --- vocabularies -------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """What the texts of one kind of area talk about."""

    topics: tuple[str, ...]  # bare noun phrases: "arbetet med {topic}"
    documents: tuple[tuple[str, str], ...]  # (gender "en"/"ett", noun)
    practices: tuple[str, ...]  # verb phrases in the present: "Kommunen {practice}."
    actors: tuple[str, ...]  # definite plural or singular nouns
    examples: tuple[tuple[str, str], ...]  # (noun, relative clause): a good example


THEMES: dict[str, Theme] = {
    "demokrati": Theme(
        topics=(
            "medborgardialog", "medborgarförslag och e-förslag", "ungdomsråd och pensionärsråd",
            "information till medborgarna", "webbsändningar av fullmäktigesammanträden",
            "klarspråk i kommunens texter", "demokratiutveckling", "korruptionsförebyggande arbete",
            "hanteringen av jäv och bisysslor", "etiska riktlinjer för förtroendevalda och anställda",
            "resultatredovisning till medborgarna", "kommunens närvaro i sociala medier",
            "dialogmöten i kommundelarna", "insyn i beslutsprocessen", "medborgarpaneler",
            "valdeltagande och demokratidagar", "information om resultat och måluppfyllelse",
        ),
        documents=(
            ("en", "kommunikationspolicy"), ("ett", "demokratiprogram"), ("en", "strategi för medborgardialog"),
            ("en", "informationsplan"), ("ett", "etikprogram"), ("en", "policy mot mutor och jäv"),
            ("en", "handlingsplan för ökat valdeltagande"),
        ),
        practices=(
            "publicerar nämndernas protokoll och handlingar på webbplatsen",
            "bjuder in till dialogmöten inför större investeringsbeslut",
            "redovisar verksamhetens resultat i en populärversion av årsredovisningen",
            "har utbildat chefer och förtroendevalda i korruptionsrisker",
            "låter fullmäktige behandla e-förslag med fler än hundra underskrifter",
            "återkopplar till medborgarna vad dialogen ledde till",
            "deltar i SCB:s medborgarundersökning vartannat år",
            "har en visselblåsarfunktion som hanteras av en extern part",
            "webbsänder fullmäktiges sammanträden",
        ),
        actors=("de förtroendevalda", "medborgarna", "kommunikationsavdelningen", "fullmäktiges presidium", "demokratiberedningen", "ungdomsrådet"),
        examples=(
            ("medborgarbudget", "där unga själva fördelar pengar till fritidsaktiviteter"),
            ("demokratiberedning", "som samordnar all medborgardialog i fullmäktiges namn"),
            ("resultatkarta på webbplatsen", "som visar nyckeltal för varje skola och äldreboende"),
            ("utbildning i mutor och jäv", "som alla nyanställda chefer genomgår"),
        ),
    ),
    "brukare": Theme(
        topics=(
            "brukarundersökningar", "synpunkts- och klagomålshantering", "servicedeklarationer",
            "kvalitetsgarantier", "e-tjänster", "kontaktcenter", "tillgänglighet per telefon och e-post",
            "bemötande", "valfrihetssystem enligt LOV", "kundval inom hemtjänsten",
            "information om service och tjänster", "öppettider i medborgarservice", "brukarråd",
            "klarspråk i myndighetsbeslut", "digitala självservicetjänster", "tillgänglighetsanpassning av webbplatsen",
        ),
        documents=(
            ("en", "servicepolicy"), ("en", "strategi för brukarorientering"), ("ett", "servicelöfte"),
            ("en", "riktlinje för synpunktshantering"), ("en", "e-tjänstestrategi"), ("ett", "bemötandeprogram"),
        ),
        practices=(
            "genomför brukarundersökningar inom äldreomsorgen och skolan varje år",
            "mäter svarstider i telefon och e-post två gånger per år",
            "sammanställer inkomna synpunkter och klagomål i en årlig rapport",
            "erbjuder e-tjänster för bygglov, förskoleplats och bostadsanpassning",
            "har infört servicedeklarationer i samtliga förvaltningar",
            "använder brukarnas synpunkter i verksamhetsplaneringen",
            "har ett kontaktcenter som löser de flesta ärenden direkt",
            "redovisar resultaten från Kommunens Kvalitet i Korthet på webbplatsen",
        ),
        actors=("brukarna", "kontaktcentret", "enhetscheferna", "medarbetarna i medborgarservice", "socialnämnden", "barn- och utbildningsnämnden"),
        examples=(
            ("kontaktcenter", "som besvarar åtta av tio frågor vid första kontakten"),
            ("servicegaranti inom hemtjänsten", "där brukaren får återbetalning om garantin inte hålls"),
            ("e-tjänsteplattform", "som har halverat handläggningstiden för bygglov"),
            ("brukarråd inom LSS-verksamheten", "som träffar förvaltningsledningen fyra gånger per år"),
        ),
    ),
    "styrning": Theme(
        topics=(
            "mål- och resultatstyrning", "budgetuppföljning", "internkontroll", "delegationsordningen",
            "uppdragsdialoger mellan nämnd och förvaltning", "rollfördelningen mellan politiker och tjänstemän",
            "tertialrapporter", "årsredovisningen", "styrmodellen", "politiska mål och indikatorer",
            "nämndernas verksamhetsplaner", "uppföljning av kommunala bolag", "ägardirektiv",
            "politikerutbildning", "resultatdialoger", "revisionens iakttagelser",
        ),
        documents=(
            ("en", "styrmodell"), ("en", "internkontrollplan"), ("en", "delegationsordning"),
            ("ett", "reglemente för internkontroll"), ("en", "mål- och budgetplan"), ("ett", "ägardirektiv"),
        ),
        practices=(
            "följer upp internkontrollplanen två gånger per år",
            "har färre och mer mätbara mål i budgeten",
            "rapporterar måluppfyllelse och ekonomi i tertialrapporter",
            "håller gemensamma dialogdagar för politiker och tjänstemän",
            "utbildar nya förtroendevalda i styrmodellen",
            "redovisar avvikelser från budget med analys och åtgärder",
            "låter nämnderna bryta ned fullmäktiges mål till egna indikatorer",
        ),
        actors=("kommunstyrelsen", "kommunfullmäktige", "nämnderna", "kommundirektören", "ekonomiavdelningen", "revisorerna", "presidierna"),
        examples=(
            ("styrmodell", "där varje mål har en indikator och ett målvärde"),
            ("politikerutbildning", "som genomförs i början av varje mandatperiod"),
            ("årliga dialogdag", "där nämndernas presidier och förvaltningsledningen går igenom resultaten"),
        ),
    ),
    "ledarskap": Theme(
        topics=(
            "ledarskap", "delegation av ansvar", "chefsuppdrag", "ledarutvecklingsprogram", "chefsintroduktion",
            "medarbetarskap", "tvärsektoriell samverkan", "ledningsgruppens arbete", "chefernas förutsättningar",
            "kommunikation från kommunledningen", "resultatenheternas ansvar för budget och personal",
            "kontrollspann", "chefsforum", "värdegrundsarbete", "mentorskap för nya chefer",
        ),
        documents=(
            ("en", "ledarskapspolicy"), ("ett", "chefsuppdrag"), ("en", "chefs- och ledarskapsplattform"),
            ("ett", "ledarutvecklingsprogram"), ("en", "värdegrund"), ("en", "medarbetarpolicy"),
        ),
        practices=(
            "samlar alla chefer till chefsforum fyra gånger per år",
            "har skriftliga chefsuppdrag för samtliga chefer",
            "erbjuder ett ledarutvecklingsprogram för blivande chefer",
            "mäter ledarskapet i medarbetarenkäten",
            "ger resultatenheterna eget ansvar för budget och personal",
            "har ett mentorsprogram för nya chefer",
            "arbetar i tvärsektoriella grupper kring barn och unga",
        ),
        actors=("kommunledningsgruppen", "cheferna", "förvaltningscheferna", "enhetscheferna", "medarbetarna", "kommundirektören"),
        examples=(
            ("chefsforum", "där kommundirektören varje kvartal går igenom mål och resultat med alla chefer"),
            ("traineeprogram för blivande chefer", "som har gett flera interna rekryteringar"),
            ("tvärsektoriella team för tidiga insatser", "där skola, socialtjänst och fritid arbetar tillsammans"),
        ),
    ),
    "resultat": Theme(
        topics=(
            "jämförelser med andra kommuner", "nyckeltal", "kostnader per brukare", "effektivisering",
            "processutveckling", "budgetprocessen", "resursfördelningsmodeller", "Öppna jämförelser",
            "benchmarking", "extern samverkan", "upphandling", "resultatredovisning",
            "uppföljning av verksamhetens kvalitet", "produktivitet", "sambandet mellan kostnader och resultat",
        ),
        documents=(
            ("en", "resursfördelningsmodell"), ("en", "effektiviseringsplan"), ("en", "upphandlingspolicy"),
            ("en", "nyckeltalsrapport"), ("en", "verksamhetsplan"),
        ),
        practices=(
            "jämför sina kostnader och resultat med liknande kommuner i Kolada",
            "deltar i ett jämförelsenätverk med grannkommunerna",
            "redovisar kostnad per brukare i årsredovisningen",
            "har kartlagt och förenklat sina viktigaste processer",
            "samverkar med grannkommunerna om IT, växel och löneadministration",
            "analyserar avvikelser mellan budget och utfall på enhetsnivå",
            "använder Öppna jämförelser i budgetdialogen",
        ),
        actors=("ekonomicheferna", "förvaltningarna", "ekonomiavdelningen", "nämnderna", "controllerna", "verksamhetscheferna"),
        examples=(
            ("jämförelsenätverk", "där sex kommuner varje år analyserar sina nyckeltal tillsammans"),
            ("resultatdialog", "där varje enhet redovisar kostnader och kvalitet för nämnden"),
            ("gemensamma växel med grannkommunerna", "som har sänkt kostnaderna och förbättrat tillgängligheten"),
        ),
    ),
    "arbetsgivare": Theme(
        topics=(
            "kompetensförsörjning", "rekrytering", "medarbetarsamtal", "lönesamtal", "individuell lönesättning",
            "arbetsmiljöarbete", "sjukfrånvaro", "friskvård", "mångfald", "jämställdhet", "kompetensutveckling",
            "introduktion av nyanställda", "heltid som norm", "medarbetarenkäter", "arbetsgivarvarumärket",
            "lönekartläggning", "rehabilitering",
        ),
        documents=(
            ("en", "personalpolicy"), ("en", "kompetensförsörjningsplan"), ("en", "lönepolicy"),
            ("en", "jämställdhetsplan"), ("en", "arbetsmiljöpolicy"), ("ett", "mångfaldsprogram"),
        ),
        practices=(
            "genomför medarbetarsamtal och lönesamtal med alla anställda varje år",
            "följer upp sjukfrånvaron per enhet varje månad",
            "erbjuder friskvårdsbidrag och friskvårdstimme",
            "gör en årlig lönekartläggning",
            "har en gemensam introduktion för alla nyanställda",
            "mäter medarbetarnas engagemang med HME-enkäten",
            "rekryterar med kompetensbaserade metoder",
            "har infört heltid som norm inom vård och omsorg",
        ),
        actors=("HR-avdelningen", "medarbetarna", "de fackliga organisationerna", "cheferna", "personalutskottet", "skyddsombuden"),
        examples=(
            ("friskvårdssatsning", "som har sänkt sjukfrånvaron inom äldreomsorgen"),
            ("kompetensförsörjningsplan", "som bygger på en analys av pensionsavgångar per yrkesgrupp"),
            ("utbildning av språkombud", "där medarbetare med annat modersmål stöttar sina kolleger"),
        ),
    ),
    "utveckling": Theme(
        topics=(
            "kvalitetsledning", "systematiskt kvalitetsarbete", "ständiga förbättringar", "avvikelsehantering",
            "processkartläggning", "Lean", "innovationsarbete", "omvärldsbevakning", "digitalisering", "IT-stöd",
            "kvalitetsledningssystem", "förbättringsförslag från medarbetare", "egenkontroller",
            "kvalitetsutmärkelser", "verksamhetsutveckling", "automatisering av administrativa processer",
        ),
        documents=(
            ("en", "kvalitetspolicy"), ("en", "digitaliseringsstrategi"), ("ett", "kvalitetsledningssystem"),
            ("en", "innovationsstrategi"), ("en", "IT-strategi"),
        ),
        practices=(
            "tar tillvara medarbetarnas förbättringsförslag i ett gemensamt system",
            "har kartlagt sina huvudprocesser",
            "deltar i nätverk för omvärldsbevakning",
            "har en innovationsfond som medarbetare kan söka pengar ur",
            "har automatiserat delar av ekonomiadministrationen",
            "arbetar med Lean i vård och omsorg",
            "följer upp avvikelser och klagomål systematiskt",
        ),
        actors=("kvalitetsstrategerna", "utvecklingsenheten", "medarbetarna", "IT-avdelningen", "förvaltningsledningarna", "digitaliseringsrådet"),
        examples=(
            ("innovationsfond", "som har finansierat ett tjugotal förbättringsprojekt från medarbetare"),
            ("kvalitetsledningssystem", "där alla rutiner och processer finns samlade på intranätet"),
            ("automatisering av fakturahanteringen", "som har frigjort tid för analys"),
        ),
    ),
    "samhälle": Theme(
        topics=(
            "näringslivsarbete", "översiktsplanering", "hållbar utveckling", "miljö- och klimatarbete",
            "samverkan med civilsamhället", "föreningsstöd", "samarbete med kulturlivet", "internationellt samarbete",
            "folkhälsoarbete", "Agenda 2030", "bostadsförsörjning", "landsbygdsutveckling", "företagsklimatet",
            "integration", "trygghetsarbete", "besöksnäringen",
        ),
        documents=(
            ("en", "översiktsplan"), ("ett", "näringslivsprogram"), ("en", "miljöstrategi"), ("en", "kulturplan"),
            ("en", "överenskommelse med civilsamhället"), ("ett", "bostadsförsörjningsprogram"), ("en", "klimatplan"),
        ),
        practices=(
            "har en företagslots som samordnar myndighetskontakterna för företagare",
            "har tecknat en överenskommelse med den idéburna sektorn",
            "redovisar klimatutsläppen i ett årligt hållbarhetsbokslut",
            "samarbetar med vänorter inom utbildning och kultur",
            "träffar näringslivet i ett näringslivsråd varje kvartal",
            "har ett brottsförebyggande råd tillsammans med polisen",
            "stödjer föreningar med lokaler och bidrag",
        ),
        actors=("näringslivskontoret", "föreningarna", "företagarna", "miljöavdelningen", "samhällsbyggnadsförvaltningen", "kulturförvaltningen"),
        examples=(
            ("företagslots", "som ger företagare en enda kontaktperson in i kommunen"),
            ("hållbarhetsbokslut", "som följer upp kommunens bidrag till de globala målen"),
            ("trygghetsvandringar", "där boende, polis och fastighetsägare går igenom bostadsområdet tillsammans"),
        ),
    ),
}

# An area's theme from its title (every version's titles), first match wins.
THEME_KEYS = (
    ("samhälls", "samhälle"), ("medborgare", "demokrati"), ("demokrati", "demokrati"), ("brukar", "brukare"),
    ("styrning", "styrning"), ("ledarskap", "ledarskap"), ("resultat", "resultat"), ("effektivitet", "resultat"),
    ("arbetsgivare", "arbetsgivare"), ("arbetsliv", "arbetsgivare"), ("förbättring", "utveckling"), ("utveckling", "utveckling"),
)
THEME_BY_NUMBER = ("demokrati", "brukare", "styrning", "ledarskap", "resultat", "arbetsgivare", "utveckling", "samhälle")

FIRST_NAMES = (
    "Anna", "Eva", "Maria", "Karin", "Kristina", "Lena", "Sara", "Emma", "Ingrid", "Birgitta", "Malin", "Johanna",
    "Helena", "Annika", "Ulrika", "Camilla", "Sofia", "Linnéa", "Elin", "Åsa", "Lars", "Anders", "Johan", "Per",
    "Erik", "Karl", "Peter", "Mikael", "Jan", "Magnus", "Fredrik", "Mats", "Stefan", "Henrik", "Björn", "Ola",
    "Niklas", "Göran", "Jonas", "Gustav",
)
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
    "Gustafsson", "Pettersson", "Jonsson", "Hansson", "Bengtsson", "Lindberg", "Lindqvist", "Lindström",
    "Bergström", "Sandberg", "Forsberg", "Sjöberg", "Engström", "Håkansson", "Lundgren", "Berglund", "Holmberg",
    "Nyström", "Ekström", "Åkesson", "Wallin", "Sundqvist", "Falk", "Blom", "Öberg", "Hedlund", "Björk",
)
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december")
VISIT_MONTHS = (2, 3, 3, 4, 4, 5, 5, 6, 9, 9, 10, 10, 11, 11)
CHANGED = ("utvecklat arbetet med", "förstärkt arbetet med", "sett över rutinerna för", "gjort en satsning på", "tagit ett samlat grepp om")
VERSION_OFFSET = {"2002": -0.03, "2010": 0.0, "2016": -0.05, "2020": -0.02}  # 2016 was "more demanding"


# Where in the organisation: an optional ending for list items.
WHERE = (
    "", "", "", " inom äldreomsorgen", " i skolan", " i förskolan", " inom socialtjänsten", " inom individ- och familjeomsorgen",
    " i samhällsbyggnadsförvaltningen", " i kultur- och fritidsförvaltningen", " på enhetsnivå", " i hela organisationen",
    " i förvaltningsledningarna", " inom tekniska förvaltningen", " i de kommunala bolagen", " inom funktionshinderomsorgen",
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Words:
    """Random words of one theme for one text; templates call its methods."""

    __slots__ = ("rng", "theme", "topics")

    def __init__(self, rng: random.Random, theme: Theme, topics: tuple[str, ...] | None = None):
        self.rng, self.theme, self.topics = rng, theme, topics or theme.topics

    def topic(self) -> str:
        return self.rng.choice(self.topics)

    def any_topic(self) -> str:
        return self.rng.choice(self.theme.topics)

    def two_topics(self) -> tuple[str, str]:
        first, second = self.rng.sample(self.theme.topics, 2)
        return first, second

    def where(self) -> str:
        return self.rng.choice(WHERE)

    def actor(self) -> str:
        return self.rng.choice(self.theme.actors)

    def practice(self) -> str:
        return self.rng.choice(self.theme.practices)

    def document(self) -> tuple[str, str]:
        return self.rng.choice(self.theme.documents)


def _doc_known(w: _Words) -> str:
    gender, noun = w.document()
    return f"Det finns {gender} {noun}, men {'den' if gender == 'en' else 'det'} är inte {'känd' if gender == 'en' else 'känt'} bland {w.actor()}."


def _doc_outdated(w: _Words) -> str:
    gender, noun = w.document()
    return f"Kommunens {noun} är {'inaktuell' if gender == 'en' else 'inaktuellt'} och används sällan i det dagliga arbetet."


def _doc_new(w: _Words, prev: int) -> str:
    gender, noun = w.document()
    return f"Efter utvärderingen {prev} har kommunfullmäktige antagit {gender} {'ny' if gender == 'en' else 'nytt'} {noun}."


def _doc_rooted(w: _Words) -> str:
    gender, noun = w.document()
    return f"Väl {'förankrad' if gender == 'en' else 'förankrat'} {noun}"


GOOD = (
    lambda w: f"Kommunen har ett väl utvecklat arbete med {w.topic()}.",
    lambda w: f"Arbetet med {w.topic()} är systematiskt och väl förankrat i organisationen.",
    lambda w: f"Särskilt{w.where() or ' i skolan'} har arbetet med {w.topic()} gett tydliga resultat.",
    lambda w: f"{_cap(w.actor())} beskriver {w.topic()} som en självklar del av vardagen.",
    lambda w: f"Kommunen {w.practice()}.",
    lambda w: f"I kommunens {w.document()[1]} finns tydliga mål för {w.topic()}.",
    lambda w: "Det finns en god koppling mellan {} och {}.".format(*w.two_topics()),
    lambda w: f"Utvärderarna ser {w.topic()} som en tydlig styrka.",
    lambda w: f"{_cap(w.actor())} följer regelbundet upp {w.topic()} och vidtar åtgärder vid avvikelser.",
)
MIDDLING = (
    lambda w: f"Kommunen har påbörjat ett arbete med {w.topic()}, men det är ännu inte genomfört i hela organisationen.",
    lambda w: f"Arbetet med {w.topic()} skiljer sig mellan förvaltningarna.",
    lambda w: f"Arbetet med {w.topic()} fungerar väl{w.where() or ' i delar av organisationen'}, men inte överallt.",
    lambda w: f"Kommunen {w.practice()}, men uppföljningen är inte systematisk.",
    _doc_known,
    lambda w: f"Flera intervjuade efterfrågar en tydligare samordning av {w.topic()}.",
    lambda w: f"{_cap(w.actor())} har höga ambitioner när det gäller {w.topic()}, men resurserna räcker inte alltid.",
)
WEAK = (
    lambda w: f"Kommunen saknar en samlad strategi för {w.topic()}.",
    lambda w: f"Arbetet med {w.topic()} är i stor utsträckning beroende av enskilda medarbetare.",
    lambda w: f"Det finns ingen systematisk uppföljning av {w.topic()}{w.where()}.",
    lambda w: f"Utvärderarna har inte kunnat se att kommunen {w.practice()}.",
    lambda w: f"{_cap(w.topic())} är ett område där kommunen har mycket kvar att göra.",
    _doc_outdated,
)
INTRO = (
    lambda w: "Området omfattar bland annat {}, {} och {}.".format(*w.rng.sample(w.theme.topics, 3)),
    lambda w: f"I intervjuerna med {w.actor()} togs {w.topic()} upp som ett av de viktigaste utvecklingsområdena.",
    lambda w: f"Utvärderarna har tagit del av kommunens {w.document()[1]} och intervjuat {w.actor()}.",
)
CHANGES_GOOD = (
    lambda w, prev: f"Sedan utvärderingen {prev} har kommunen {w.rng.choice(CHANGED)} {w.topic()}.",
    _doc_new,
    lambda w, prev: f"{_cap(w.actor())} har sedan {prev} arbetat med de förbättringsområden som utvärderingen pekade ut, särskilt {w.topic()}.",
    lambda w, prev: "I dag {} kommunen {}, vilket den inte gjorde {}.".format(*w.practice().split(" ", 1), prev),
)
CHANGES_WEAK = (
    lambda w, prev: f"Sedan {prev} har arbetet med {w.topic()} i stort sett stått still.",
    lambda w, prev: f"De förbättringsområden som pekades ut {prev} är bara delvis åtgärdade.",
    lambda w, prev: f"Omorganisationer och chefsbyten har gjort att arbetet med {w.topic()} har tappat fart sedan {prev}.",
)
STRENGTHS = (
    lambda w: f"Systematiskt arbete med {w.topic()}{w.where()}",
    lambda w: f"Goda rutiner för {w.topic()}{w.where()}",
    lambda w: "Tydlig koppling mellan {} och {}".format(*w.two_topics()),
    lambda w: f"{_cap(w.actor())} {w.practice()}",
    _doc_rooted,
    lambda w: f"Engagerade medarbetare i arbetet med {w.topic()}{w.where()}",
    lambda w: f"Kommunen {w.practice()}",
    lambda w: f"Bra struktur för {w.topic()}{w.where()}",
)
IMPROVEMENTS = (
    lambda w: f"Utveckla {w.topic()} ytterligare{w.where()}",
    lambda w: f"Ta fram en kommunövergripande strategi för {w.topic()}",
    lambda w: f"Följ upp {w.topic()} mer systematiskt{w.where()}",
    lambda w: f"Använd jämförelser med andra kommuner i arbetet med {w.topic()}{w.where()}",
    lambda w: f"Tydliggör ansvaret för {w.topic()} mellan politiker och tjänstemän",
    lambda w: f"Involvera {w.actor()} tidigare i arbetet med {w.topic()}{w.where()}",
    lambda w: f"Inför mätbara mål för {w.topic()}{w.where()}",
    lambda w: f"Gör {w.topic()} till en del av chefernas uppdrag",
    lambda w: f"Säkerställ att nämnderna följer upp {w.topic()}",
    lambda w: f"Koppla {w.topic()} tydligare till budgetprocessen{w.where()}",
    lambda w: f"Se över och förankra kommunens {w.document()[1]}",
    lambda w: f"Sprid goda exempel på {w.topic()} mellan förvaltningarna",
)
EXAMPLES = (
    lambda w, name, clause: f"Ett gott exempel är kommunens {name}, {clause}.",
    lambda w, name, clause: f"Kommunens {name}, {clause}, är ett gott exempel som andra kommuner kan lära av.",
    lambda w, name, clause: f"Utvärderarna lyfter fram kommunens {name}, {clause}, som ett gott exempel inom området.",
)
LEVEL = {"good": "ett väl utvecklat arbete", "middling": "ett arbete som är under utveckling", "weak": "stora förbättringsmöjligheter"}


def _tone(share: float) -> str:
    return "good" if share >= 0.65 else "middling" if share >= 0.45 else "weak"


def _distinct(rng: random.Random, pool: tuple, used: set):
    """A template of the pool not used yet in this text (any, once all are used)."""
    choices = [t for t in pool if t not in used] or pool
    template = rng.choice(choices)
    used.add(template)
    return template


def _sentences(w: _Words, tone: str, count: int) -> list[str]:
    """Mostly sentences of the tone, now and then one of the neighbouring tone."""
    rng = w.rng
    main, other = {"good": (GOOD, MIDDLING), "middling": (MIDDLING, GOOD if rng.random() < 0.5 else WEAK), "weak": (WEAK, MIDDLING)}[tone]
    used: set = set()
    return [_distinct(rng, main if rng.random() < 0.75 else other, used)(w) for _ in range(count)]


# --- the catalogue and the plan -----------------------------------------------------------


@dataclass
class _AreaInfo:
    pk: int
    number: int
    title: str
    max_points: Decimal
    theme: Theme
    questions: list[tuple[int, definitions.Question, tuple[str, ...] | None]]  # (pk, definition, related topics)


@dataclass
class _Version:
    pk: int
    code: str
    definition: definitions.Framework
    years: range
    areas: list[_AreaInfo]

    @property
    def has_questions(self) -> bool:
        return self.definition.has_questions


def _theme(title: str, number: int) -> Theme:
    lowered = title.lower()
    for key, theme in THEME_KEYS:
        if key in lowered:
            return THEMES[theme]
    return THEMES[THEME_BY_NUMBER[(number - 1) % len(THEME_BY_NUMBER)]]


def _related_topics(theme: Theme, text: str) -> tuple[str, ...] | None:
    """The theme's topics that share a word stem with a sub-question's title, if any."""
    stems = {word[:5] for word in re.findall(r"\w+", text.lower()) if len(word) >= 6}
    related = tuple(t for t in theme.topics if any(stem in t.lower() for stem in stems))
    return related or None


# Versions overlap at their changes: a municipality may be evaluated with a version from
# two years before its period (pilots) to four years after it (an old version finishing),
# which also gives national-scale data enough room (30,000 evaluations and more).
YEARS_BEFORE, YEARS_AFTER = 2, 4


def version_years(definition: definitions.Framework, today: datetime.date) -> range | None:
    """The years a version is used in synthetic data: its period of use ("2020–" is open)
    widened by the overlaps above, up to this year; or None."""
    match = PERIOD.match(definition.in_use or "")
    if not match:
        return None
    first = max(int(match[1]) - YEARS_BEFORE, FIRST_YEAR)
    last = min(int(match[2]) + YEARS_AFTER if match[2] else today.year, today.year)
    return range(first, last + 1) if first <= last else None


def _versions(today: datetime.date) -> list[_Version]:
    areas = defaultdict(list)
    for area in Area.objects.order_by("number"):
        areas[area.framework_id].append(area)
    questions = defaultdict(dict)
    for question in Question.objects.all():
        questions[question.area_id][question.code] = question.pk
    versions = []
    for framework in Framework.objects.order_by("code"):
        try:
            definition = framework.definition
        except definitions.CatalogueError:
            continue
        years = version_years(definition, today)
        if years is None:
            continue
        infos = []
        for area in areas[framework.pk]:
            spec = definition.area(area.number)
            if spec is None:
                continue
            theme = _theme(spec.title, spec.number)
            infos.append(
                _AreaInfo(
                    area.pk, spec.number, spec.title, spec.max_points, theme,
                    [(questions[area.pk][q.id], q, _related_topics(theme, f"{q.short} {q.text}")) for q in spec.questions],
                )
            )
        if len(infos) == len(definition.areas) and all(len(a.questions) == len(definition.area(a.number).questions) for a in infos):
            versions.append(_Version(framework.pk, framework.code, definition, years, infos))
    return versions


@dataclass(frozen=True)
class _Planned:
    municipality: Municipality
    year: int
    version: _Version


def _plan(rng: random.Random, municipalities: list[Municipality], versions: list[_Version], existing: set, n: int) -> tuple[list[_Planned], int]:
    """N free (municipality, year, version) combinations: whole series every 2–4 years for
    municipalities in a shuffled order, then free years at random. Also returns how many
    combinations of the series were skipped because they already exist."""
    by_year: dict[int, list[_Version]] = defaultdict(list)
    for version in versions:
        for year in version.years:
            by_year[year].append(version)
    years = sorted(by_year)
    free = sum(1 for m in municipalities for y in years for v in by_year[y] if (m.pk, y, v.pk) not in existing)
    if n > free:
        raise ValidationError(
            _(
                "--evaluations %(n)s är fler än de %(free)s lediga kombinationerna av kommun, år och version "
                "(%(municipalities)s kommuner, åren %(first)s–%(last)s; %(existing)s finns redan)"
            )
            % {
                "n": n, "free": free, "municipalities": len(municipalities), "first": years[0] if years else "–",
                "last": years[-1] if years else "–", "existing": len(existing),
            }
        )
    series = {}
    for municipality in municipalities:  # the same draws whatever the database holds
        chosen, year = [], years[0] + rng.randint(0, 3)
        while year <= years[-1]:
            candidates = by_year.get(year)
            if candidates:
                chosen.append((year, candidates[rng.randrange(len(candidates))]))
            year += rng.choice((2, 3, 3, 4))
        series[municipality.pk] = chosen
    order = list(municipalities)
    rng.shuffle(order)
    plan, skipped = [], 0
    for municipality in order:
        for year, version in series[municipality.pk]:
            if len(plan) == n:
                break
            if (municipality.pk, year, version.pk) in existing:
                skipped += 1
            else:
                plan.append(_Planned(municipality, year, version))
        if len(plan) == n:
            break
    if len(plan) < n:
        taken = {(p.municipality.pk, p.year, p.version.pk) for p in plan}
        rest = [
            _Planned(m, y, v)
            for m in municipalities
            for y in years
            for v in by_year[y]
            if (m.pk, y, v.pk) not in existing and (m.pk, y, v.pk) not in taken
        ]
        rng.shuffle(rest)
        plan += rest[: n - len(plan)]
    plan.sort(key=lambda p: (p.municipality.country, p.municipality.code, p.year, p.version.code))
    return plan, skipped


def _unpublished(rng: random.Random, plan: list[_Planned], count: int) -> set[int]:
    """Indexes of the evaluations left planned: municipalities' latest ones first."""
    latest = {}
    for index, planned in enumerate(plan):  # sorted by municipality, then year
        latest[planned.municipality.pk] = index
    first = sorted(latest.values())
    rng.shuffle(first)
    others = sorted(set(range(len(plan))) - set(first))
    rng.shuffle(others)
    return set((first + others)[:count])


# --- one evaluation -----------------------------------------------------------------------


@dataclass
class _Profile:
    """A municipality's lasting traits: its level, its profile over the areas, its trend."""

    level: float
    trend: float
    areas: dict[int, float]
    questions: dict[str, float]


def _profile(seed: int, municipality: Municipality) -> _Profile:
    rng = random.Random(f"{seed}/{municipality.country}/{municipality.code}")
    level = min(max(rng.gauss(0.50, 0.10), 0.2), 0.85)
    trend = rng.gauss(0.008, 0.004)
    areas = {number: rng.gauss(0, 0.07) for number in range(1, 9)}
    questions = {f"{a}.{q}": rng.gauss(0, 0.05) for a in range(1, 9) for q in range(1, 10)}
    return _Profile(level, trend, areas, questions)


def _hundredths(share: float, maximum: Decimal) -> Decimal:
    share = min(max(share, 0.02), 0.98)
    return Decimal(round(share * float(maximum) * 100)).scaleb(-2)


def _whole(share: float, maximum: Decimal) -> Decimal:
    share = min(max(share, 0.02), 0.98)
    return Decimal(round(share * float(maximum)) * 100).scaleb(-2)


@dataclass
class _Built:
    evaluation: Evaluation
    sheet: scoring.Scoresheet
    facts: Facts
    children: list = field(default_factory=list)  # (model, instance) in write order


def _organisation(country: str, year: int) -> str:
    if country == Country.NO:
        return "KS – Kommunesektorens organisasjon"
    if country == Country.DK:
        return "KL – Kommunernes Landsforening"
    return "Sveriges Kommuner och Landsting" if year < 2020 else "Sveriges Kommuner och Regioner"


def _build(
    planned: _Planned, *, seed: int, profile: _Profile, status: str, ordinal: int, previous: int | None,
    peers: list[Municipality], today: datetime.date,
) -> _Built:
    m, year, version = planned.municipality, planned.year, planned.version
    rng = random.Random(f"{seed}/{m.country}/{m.code}/{year}/{version.code}")
    base = profile.level + VERSION_OFFSET.get(version.code, 0.0) + profile.trend * (year - 2002)

    # facts
    month = rng.choice(VISIT_MONTHS)
    if year == today.year and month > today.month:
        month = rng.randint(1, today.month)
    visit_start = datetime.date(year, month, rng.randint(1, 24))
    visit_end = visit_start + datetime.timedelta(days=rng.randint(1, 2))
    if visit_end > today:
        visit_start = visit_end = None
    interviewees = rng.randint(20, 65)
    sources = [Source.INTERVIEWS, Source.DOCUMENTS, Source.WEBSITE]
    if rng.random() < 0.3:
        sources.append(Source.INTRANET)
    if rng.random() < 0.1:
        sources.append(Source.SOCIAL_MEDIA)
    publisher = _organisation(m.country, year)

    # scores and texts per area
    questions: dict[str, Decimal] = {}
    area_scores: dict[int, Decimal] = {}
    children: list = []
    area_totals: list[tuple[Decimal, str]] = []
    evaluation = Evaluation(
        municipality=m, framework_id=version.pk, year=year, month=month, visit_start=visit_start, visit_end=visit_end,
        ordinal=ordinal, interviewees=interviewees, interviewees_approximate=rng.random() < 0.25,
        sources=[str(s) for s in sources], publisher=publisher, status=status, data_source=_(SYNTHETIC) % {"seed": seed},
    )
    for area in version.areas:
        area_share = base + profile.areas.get(area.number, 0.0) + rng.gauss(0, 0.04)
        if area.questions:
            total = Decimal(0)
            for pk, question, related in area.questions:
                score = _hundredths(area_share + profile.questions.get(question.id, 0.0) + rng.gauss(0, 0.05), question.max_points)
                questions[question.id] = score
                total += score
                tone = _tone(float(score / question.max_points))
                w = _Words(rng, area.theme, related)
                text = " ".join(
                    [f"Inom delområdet ”{question.short or question.text}” har kommunen {LEVEL[tone]}."]
                    + _sentences(w, tone, rng.randint(1, 2))
                )
                children.append(QuestionAssessment(evaluation=evaluation, question_id=pk, score=score, text=text))
            recorded = None
        else:
            total = recorded = _whole(area_share, area.max_points)
            area_scores[area.number] = recorded
        area_totals.append((total, area.title))
        tone = _tone(float(total / area.max_points))
        w = _Words(rng, area.theme)
        general = " ".join([rng.choice(INTRO)(w)] + _sentences(w, tone, rng.randint(2, 4)))
        changes = ""
        if previous is not None:
            pool = CHANGES_GOOD if tone != "weak" or rng.random() < 0.3 else CHANGES_WEAK
            changes = " ".join(template(w, previous) for template in rng.sample(pool, rng.randint(1, min(3, len(pool)))))
        children.append(AreaAssessment(evaluation=evaluation, area_id=area.pk, score=recorded, general_text=general, changes_text=changes))
        for kind, templates, count in (
            (FindingKind.STRENGTH, STRENGTHS, rng.randint(2, 5)),
            (FindingKind.IMPROVEMENT, IMPROVEMENTS, rng.randint(2, 5)),
            (FindingKind.GOOD_EXAMPLE, None, rng.choice((0, 0, 0, 1, 1, 2))),
        ):
            texts: list[tuple[str, int | None]] = []
            used: set = set()
            for _attempt in range(10 * count):
                if len(texts) == count:
                    break
                question_pk, words = None, w
                if area.questions and rng.random() < 0.5:
                    question_pk, question, related = rng.choice(area.questions)
                    words = _Words(rng, area.theme, related)
                if templates is None:
                    name, clause = rng.choice(area.theme.examples)
                    text = _distinct(rng, EXAMPLES, used)(words, name, clause)
                else:
                    text = _distinct(rng, templates, used)(words)
                if all(text != t for t, _q in texts):
                    texts.append((text, question_pk))
            for position, (text, question_pk) in enumerate(texts, start=1):
                children.append(
                    Finding(evaluation=evaluation, area_id=area.pk, kind=kind, position=position, text=text, question_id=question_pk)
                )

    # evaluators
    count = rng.choice((2, 2, 3))
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in names:
            names.append(name)
    for position, name in enumerate(names, start=1):
        peer = rng.choice(peers)
        if peer.pk == m.pk and len(peers) > 1:
            peer = peers[(peers.index(peer) + 1) % len(peers)]
        organisation = publisher if position == 1 else peer.name
        children.append(Evaluator(evaluation=evaluation, position=position, name=name, organisation=organisation))

    # the evaluation's own texts
    total = sum((t for t, _title in area_totals), Decimal(0))
    best = max(area_totals, key=lambda t: t[0])
    worst = min(area_totals, key=lambda t: t[0])
    people = f"ett {interviewees // 10 * 10}-tal" if evaluation.interviewees_approximate else str(interviewees)
    evaluation.evaluation_text = (
        f"Utvärderingen av {m.name} genomfördes i {MONTHS[month - 1]} {year} av {count} utvärderare enligt "
        f"{version.definition.name}. Utvärderarna intervjuade {people} personer: förtroendevalda, chefer, medarbetare "
        f"och fackliga företrädare. De tog också del av styrdokument, årsredovisning, verksamhetsplaner och kommunens webbplats."
    )
    evaluation.summary_text = (
        f"{m.display_name} får {scoring.round_half_up(total)} av {version.definition.max_points:.0f} möjliga poäng. "
        f"Starkast är området {best[1]} med {scoring.round_half_up(best[0])} poäng, svagast {worst[1]} med "
        f"{scoring.round_half_up(worst[0])} poäng. "
        + ("Kommunen har förbättrat flera delar av sitt arbete sedan föregående utvärdering." if previous else "Det här är kommunens första utvärdering med Kommunkompassen.")
    )
    facts = Facts(
        year=year, status=status, month=month, visit_start=visit_start, visit_end=visit_end, ordinal=ordinal,
        interviewees=interviewees, interviewees_approximate=evaluation.interviewees_approximate,
        sources=tuple(evaluation.sources), publisher=publisher, data_source=evaluation.data_source,
    )
    sheet = scoring.Scoresheet(questions=questions, areas=area_scores)
    return _Built(evaluation, sheet, facts, children)


# --- the command --------------------------------------------------------------------------


@dataclass
class GenerateReport:
    created: int
    municipalities: int
    published: int
    unpublished: int
    seed: int
    skipped: int
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # what the hooks did, one line each

    def summary(self) -> str:
        return _(
            "Skapade %(created)s syntetiska utvärderingar i %(municipalities)s kommuner "
            "(%(published)s publicerade, %(unpublished)s planerade) på %(seconds)s s, frö %(seed)s"
        ) % {
            "created": self.created, "municipalities": self.municipalities, "published": self.published,
            "unpublished": self.unpublished, "seconds": f"{self.seconds:.1f}".replace(".", ","), "seed": self.seed,
        } + (_("; %(skipped)s fanns redan och lämnades orörda") % {"skipped": self.skipped} if self.skipped else "") + "."


def check_arguments(evaluations, published_share) -> None:
    """Refuse bad arguments before anything is read or written."""
    if not isinstance(evaluations, int) or isinstance(evaluations, bool) or evaluations < 1:
        raise ValidationError(_("--evaluations ska vara ett heltal, minst 1, inte %(value)s") % {"value": evaluations})
    if not isinstance(published_share, (int, float)) or isinstance(published_share, bool) or not 0 <= published_share <= 1:
        raise ValidationError(
            _("--published-share ska vara en andel mellan 0 och 1 (0.9 är 90 %%), inte %(value)s") % {"value": published_share}
        )


def generate(
    *,
    evaluations: int,
    seed: int | None = None,
    published_share: float = 0.9,
    today: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    written: Callable[[], None] | None = None,
    hook_progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH,
    hooks: bool = True,
) -> GenerateReport:
    """Create ``evaluations`` synthetic evaluations; see the module's documentation."""
    started = time.monotonic()
    check_arguments(evaluations, published_share)
    today = today or timezone.localdate()
    if seed is None:
        seed = random.SystemRandom().randrange(1, 1_000_000)
    versions = _versions(today)
    if not versions:
        raise ValidationError(_("databasen saknar ramverkets versioner: kör först kompass init"))
    municipalities = list(Municipality.objects.order_by("country", "code"))
    if not municipalities:
        raise ValidationError(_("databasen saknar kommuner: kör först kompass init"))
    existing_rows = list(Evaluation.objects.values_list("municipality_id", "year", "framework_id"))
    existing = set(existing_rows)

    rng = random.Random(seed)
    plan, skipped = _plan(rng, municipalities, versions, existing, evaluations)
    unpublished = _unpublished(rng, plan, evaluations - round(evaluations * published_share))

    years = defaultdict(set)  # every evaluation year of each municipality, old and new
    for municipality_id, year, _framework in existing_rows:
        years[municipality_id].add(year)
    for planned in plan:
        years[planned.municipality.pk].add(planned.year)
    years = {pk: sorted(ys) for pk, ys in years.items()}
    peers = defaultdict(list)
    for municipality in municipalities:
        peers[municipality.country].append(municipality)
    profiles: dict[int, _Profile] = {}

    created_ids: list[int] = []
    with transaction.atomic():
        for start in range(0, len(plan), batch_size):
            built = []
            for index in range(start, min(start + batch_size, len(plan))):
                planned = plan[index]
                m = planned.municipality
                if m.pk not in profiles:
                    profiles[m.pk] = _profile(seed, m)
                own_years = years[m.pk]
                position = own_years.index(planned.year)
                item = _build(
                    planned, seed=seed, profile=profiles[m.pk],
                    status=Status.PLANNED if index in unpublished else Status.PUBLISHED,
                    ordinal=position + 1, previous=own_years[position - 1] if position else None,
                    peers=peers[m.country], today=today,
                )
                problems = [str(p) for p in scoring.check(planned.version.definition, item.sheet)]
                problems += facts_problems(item.facts, today=today)
                if problems:  # a fault of this module, never of the input
                    raise ValidationError(
                        _("kompass generate skapade en ogiltig utvärdering (%(what)s): %(problems)s")
                        % {"what": f"{m.code} {planned.year} {planned.version.code}", "problems": "; ".join(problems)}
                    )
                built.append(item)
            Evaluation.objects.bulk_create([b.evaluation for b in built])
            created_ids += [b.evaluation.pk for b in built]
            children = defaultdict(list)
            for item in built:
                for child in item.children:
                    children[type(child)].append(child)
            for model in (AreaAssessment, QuestionAssessment, Finding, Evaluator):
                model.objects.bulk_create(children[model], batch_size=2000)
            if progress:
                progress(min(start + batch_size, len(plan)), len(plan))

    report = GenerateReport(
        created=len(plan), municipalities=len({p.municipality.pk for p in plan}),
        published=len(plan) - len(unpublished), unpublished=len(unpublished), seed=seed, skipped=skipped,
    )
    if written:
        written()
    if hooks:
        try:
            report.notes += run_hooks(created_ids, progress=hook_progress)
        except Exception as exc:  # the evaluations are saved: say so, and what failed
            raise ValidationError(
                _("%(created)s utvärderingar sparades (frö %(seed)s), men uppdateringen av det härledda misslyckades: %(error)s")
                % {"created": report.created, "seed": seed, "error": " ".join(str(exc).split()) or type(exc).__name__}
            ) from exc
    report.seconds = time.monotonic() - started
    return report


def run_hooks(evaluation_ids: list[int], progress: Callable[[int, int], None] | None = None) -> list[str]:
    """Refresh what is derived from evaluations where the modules for it exist: bulk
    writes send no signals. One line per hook, saying what was done; ``progress`` follows
    the search index's rebuild where it reports progress."""
    notes = []
    try:
        from kompass.evaluations.summaries import summaries_refresh
    except ImportError:
        notes.append(_("Poängsammanfattningar: modulen finns inte, hoppade över."))
    else:
        started = time.monotonic()
        count = summaries_refresh(evaluation_ids)
        notes.append(_("Poängsammanfattningar: %(count)s beräknade på %(seconds)s s.") % {"count": count, "seconds": _seconds(started)})
    try:
        from kompass.search.services import search_rebuild
    except ImportError:
        notes.append(_("Sökindex: kompass.search.services.search_rebuild finns inte, hoppade över."))
    else:
        if connection.in_atomic_block and connection.vendor == "postgresql":
            # Inside a caller's transaction (a test): fire the deferred foreign-key checks
            # of the rows written so far, as a commit would, since PostgreSQL refuses the
            # rebuild's CREATE INDEX while trigger events are pending.
            connection.check_constraints()
        started = time.monotonic()
        takes_progress = progress is not None and "progress" in inspect.signature(search_rebuild).parameters
        result = search_rebuild(progress=progress) if takes_progress else search_rebuild()
        what = f" ({result})" if result is not None else ""
        notes.append(_("Sökindex: ombyggt%(what)s på %(seconds)s s.") % {"what": what, "seconds": _seconds(started)})
    return notes


def _seconds(started: float) -> str:
    return f"{time.monotonic() - started:.1f}".replace(".", ",")


class ProgressBar:
    """The same bar as ``kompass import DIR``'s, updated in place on a terminal; silent
    where the stream is not one (a log, a pipe), so only the summary line remains."""

    WIDTH = 30

    def __init__(self, stream=None, label: str = "utvärderingar"):
        self.stream = stream or sys.stderr
        self.label = label
        self.active = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.shown = False

    def update(self, done: int, total: int) -> None:
        if not self.active:
            return
        filled = self.WIDTH * done // max(total, 1)
        print(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} {self.label}", end="", file=self.stream, flush=True)
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            print(file=self.stream, flush=True)
            self.shown = False
