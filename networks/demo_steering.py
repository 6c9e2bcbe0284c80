"""Demo steering activity: a year of meetings, decisions, actions, goals, agreements and
self-assessment for every demo network, ending on ``today``.

Called at the end of ``demo.load()`` (inside its transaction). Everything is invented; no names
of real persons from the research documents are used. Dates are relative to ``today``, so the
demo always shows a living network: a few overdue actions, minutes waiting for approval, an
upcoming meeting and (in RTJ Waas en Dender) a convenant that expires within 60 days.

Idempotency, in two parts:

* Seats are refreshed on every run: every active steering member, chair and coordinator sits in
  the network's steering body (and chairs/coordinators in the core group), with a mandate status
  and a Dutch mandate text. People are found by username and roles by (user, role, network), so a
  second run adds nothing. This must run every time because ``demo.load()`` resets mandate texts.
* Activity (meetings, actions, goals, agreements, assessment rounds) is all-or-nothing per
  network: **a network that already has a meeting is skipped entirely.** Delete a network's
  meetings (and its goals, agreements and rounds) to have the loader rebuild them.

Randomness is seeded per network (``random.Random(f"{SEED}:{network name}")``), so the same
``today`` always gives the same data.
"""

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from ijh.models import User

from . import services
from .models import (
    ActionItem,
    AgendaItem,
    Agreement,
    AgreementSignatory,
    Attendance,
    Body,
    Criterion,
    Decision,
    Goal,
    GoalProgress,
    Meeting,
    Membership,
    Minutes,
    Network,
    NetworkMembership,
    Organisation,
    Score,
    SelfAssessmentRound,
)

SEED = 20260101

# Same start as demo.START (not imported: demo imports this module).
SEATS_SINCE = datetime.date(2024, 1, 1)

SEAT_ROLES = (Membership.Role.STEERING_MEMBER, Membership.Role.CHAIR, Membership.Role.COORDINATOR)
STEERING_BODY_KINDS = (Body.Kind.STEERING_GROUP, Body.Kind.PMD, Body.Kind.LEARNING_NETWORK)

# A steering body gets one mandated representative for at most this many participating organisations.
MAX_REPRESENTED_ORGANISATIONS = 6
# Slots for invented people per network; keeps usernames stable and distinct across networks.
PEOPLE_SLOTS_PER_NETWORK = 8

# Invented names; checked against the research documents so no real person's name is used.
FIRST_NAMES = [
    "Annelies",
    "Frederik",
    "Hilde",
    "Isabelle",
    "Lotte",
    "Maarten",
    "Nathalie",
    "Olivier",
    "Petra",
    "Vincent",
    "Wendy",
    "Ilse",
    "Dieter",
    "Kristof",
    "Niels",
    "Liesbeth",
    "Sven",
    "Femke",
    "Joke",
    "Ward",
    "Bieke",
    "Hamza",
    "Naima",
    "Arne",
    "Caroline",
]
LAST_NAMES = [
    "Claeys",
    "Vandenberghe",
    "De Clercq",
    "Verhoeven",
    "Van den Broeck",
    "Pauwels",
    "Coppens",
    "Martens",
    "Cools",
    "Verbeke",
    "Van Acker",
    "Baert",
    "Dierickx",
    "Hendrickx",
    "Smets",
    "Van de Velde",
    "Moens",
    "Lemmens",
    "Vermeiren",
    "Geerts",
    "Nys",
    "Verstraete",
    "Bosmans",
    "Ceulemans",
    "Vervoort",
    "Stevens",
    "Wauters",
    "Dewulf",
    "Vlaeminck",
    "Deprez",
    "Laureys",
    "Vanhove",
    "Verlinden",
    "Huysmans",
    "Callens",
]

CHAIR_MANDATE = (
    "Voorzitter van de netwerkstuurgroep. Gemandateerd door {org} en door de partners om het overleg "
    "te leiden, besluiten te formuleren en het netwerk extern te vertegenwoordigen."
)
COORDINATOR_MANDATE = (
    "Netwerkcoördinator. Bereidt besluiten voor en voert ze uit; engageert geen partnerorganisatie "
    "zonder besluit van de stuurgroep."
)
MANDATED_TEXTS = [
    "Directeur. Beslist zelfstandig over de engagementen van {org} binnen het netwerk, ook over de "
    "inzet van personeel.",
    "Gemandateerd door de raad van bestuur om namens {org} afspraken te maken en protocollen te "
    "ondertekenen.",
    "Mag afspraken maken binnen het bestaande aanbod en budget van {org}; engagementen boven 0,2 VTE "
    "na akkoord van de directie.",
    "Teamverantwoordelijke met schriftelijk mandaat van de directie van {org} voor alle beslissingen "
    "van de stuurgroep.",
    "Beslist namens {org} over verwijsafspraken en deelname aan overleg; financiële engagementen na "
    "akkoord van de directie.",
]
OBSERVER_TEXTS = [
    "Volgt de stuurgroep op als inhoudelijk medewerker van {org}; koppelt terug naar de directie, "
    "zonder beslissingsmandaat.",
    "Waarnemer namens {org}: brengt de praktijk in; engagementen lopen via de gemandateerde collega.",
    "Stafmedewerker van {org}. Neemt deel zonder mandaat; beslissingen gaan eerst naar het directieteam.",
]

WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]

LOCATIONS = {
    "RTJ Waas en Dender": ["Stadhuis Sint-Niklaas, trouwzaal", "Cultuurcentrum Lokeren, vergaderzaal 2"],
    "RTJ Antwerpen Stad": ["Provinciehuis Antwerpen, vergaderzaal 3", "Stadscampus Antwerpen, zaal Zuid"],
    "Crisisnetwerk Antwerpen": [
        "Provinciehuis Antwerpen, vergaderzaal 3",
        "Politiehuis Antwerpen-Oost, zaal 1",
    ],
    "Gevangenis Gent": ["Gevangenis Gent, vergaderlokaal psychosociale dienst", "Justitiehuis Gent, zaal 2"],
    "Gevangenis Ieper": ["Gevangenis Ieper, bezoekzaal", "Stadhuis Ieper, kleine raadzaal"],
    "Gevangenis Hoogstraten": [
        "Penitentiair schoolcentrum Hoogstraten, vergaderzaal",
        "Stadhuis Hoogstraten, zaal Begijnhof",
    ],
    "Gevangenis Hasselt": ["Gevangenis Hasselt, polyvalente zaal", "Provinciehuis Limburg, Hasselt"],
    "Planmakers West-Vlaanderen": ["Provinciehuis Boeverbos, Brugge", "Vergaderzaal Co-ncept, Roeselare"],
}


# --- agenda topics ------------------------------------------------------------------------------
# key, title, agenda note, minutes paragraph, decision (or ""), actions, what the decision changes.


def _topic(key, title, note, discussion, decision, actions, link=""):
    return {
        "key": key,
        "title": title,
        "note": note,
        "discussion": discussion,
        "decision": decision,
        "actions": actions,
        "link": link,
    }


COMMON_TOPICS = [
    _topic(
        "jaarplan",
        "Jaarplan en actieplan van het netwerk",
        "Ontwerp jaarplan met einddoelen, operationele doelen en trekkers.",
        "De coördinator stelt het ontwerp van jaarplan voor, opgebouwd uit twee einddoelen met hun "
        "operationele doelen. De partners vragen haalbare streefwaarden en een duidelijke trekker per "
        "actie. De voortgang wordt op elke vergadering kort opgevolgd.",
        "Het jaarplan wordt goedgekeurd met de aangepaste streefwaarden; de voortgang komt elk kwartaal "
        "op de agenda.",
        ["Aangepast jaarplan aan alle partners bezorgen", "Trekkers per actie van het jaarplan bevestigen"],
        "goal",
    ),
    _topic(
        "protocol",
        "Samenwerkingsprotocol: herziening",
        "Voorstel tot herziening: rol coördinator, mandaat, gegevensdeling.",
        "Het samenwerkingsprotocol dateert van enkele jaren geleden. De partners overlopen de "
        "voorgestelde wijzigingen: de rol van de coördinator, het mandaat van de vertegenwoordigers en de "
        "afspraken over gegevensdeling met respect voor het beroepsgeheim.",
        "De herziene versie van het samenwerkingsprotocol wordt goedgekeurd en ter ondertekening aan de "
        "directies voorgelegd.",
        [
            "Herzien protocol ter ondertekening bezorgen aan de directies",
            "Ondertekende protocollen verzamelen",
        ],
        "protocol",
    ),
    _topic(
        "mandaat",
        "Mandaat van de vertegenwoordigers",
        "Waartoe kan elke vertegenwoordiger zich aan tafel engageren?",
        "Niet elke vertegenwoordiger kan aan tafel beslissen, waardoor besluiten soms een vergadering "
        "worden uitgesteld. Er wordt voorgesteld dat elke partner schriftelijk bevestigt waartoe zijn "
        "vertegenwoordiger gemandateerd is, en wie hem vervangt bij afwezigheid.",
        "Elke partner bezorgt een schriftelijke bevestiging van het mandaat van zijn vertegenwoordiger "
        "en duidt een gemandateerde vervanger aan.",
        ["Schriftelijke mandaatbevestiging opvragen bij de directie", "Overzicht van de mandaten bijwerken"],
    ),
    _topic(
        "zelfevaluatie",
        "Zelfevaluatie netwerksamenwerking: bespreking resultaten",
        "Resultaten van de laatste zelfevaluatieronde.",
        "De resultaten van de zelfevaluatie worden besproken. Mandaat en communicatie scoren het laagst; "
        "vertrouwen en een gezamenlijk doel scoren goed. De partners willen vooral de informatie tussen "
        "twee vergaderingen beter laten doorstromen.",
        "Binnen de week na elke vergadering verschijnt een korte nieuwsbrief met de besluiten en "
        "actiepunten.",
        ["Sjabloon voor een korte nieuwsbrief na de vergadering maken"],
    ),
    _topic(
        "zelfevaluatie-2",
        "Zelfevaluatie netwerksamenwerking: tweede ronde",
        "Vergelijking met de vorige ronde.",
        "Mandaat en communicatie scoren duidelijk beter dan in de vorige ronde: de schriftelijke "
        "mandaten en de korte nieuwsbrief na elke vergadering werpen vruchten af. Het wetgevend kader "
        "blijft een aandachtspunt, vooral de vragen rond gegevensdeling en beroepsgeheim.",
        "De partners bundelen hun vragen over gegevensdeling en beroepsgeheim voor een gezamenlijke vorming.",
        ["Vragen over gegevensdeling en beroepsgeheim bundelen", "Lesgever voor de vorming contacteren"],
    ),
]

TOPICS = {
    Network.Kind.RTJ: [
        _topic(
            "clientoverleg",
            "Cliëntoverleg: evaluatie aanmeldingen en doorlooptijd",
            "Cijfers van het voorbije semester en knelpunten bij de aanmelding.",
            "De coördinator overloopt de aanmeldingen voor het cliëntoverleg. Het aantal overleggen met "
            "een onafhankelijk voorzitter stijgt, maar de tijd tussen aanmelding en eerste overleg blijft "
            "te lang. Meerdere partners geven aan dat het aanmeldingsformulier dubbel werk vraagt.",
            "Het aanmeldingsformulier voor het cliëntoverleg wordt vereenvoudigd; de werkgroep "
            "cliëntoverleg legt een voorstel voor op de volgende vergadering.",
            [
                "Voorstel vereenvoudigd aanmeldingsformulier cliëntoverleg uitwerken",
                "Doorlooptijden cliëntoverleg per sector opvragen bij de partners",
            ],
        ),
        _topic(
            "brede-instap",
            "Draaiboek brede instap: bijsturing na kwaliteitscheck",
            "Resultaten van de kwaliteitscheck op de instapprocedure.",
            "De kwaliteitscheck toont dat niet alle partners de stappen van de instapprocedure op dezelfde "
            "manier toepassen. Vooral de terugkoppeling naar de aanmelder blijft soms uit. De partners zijn "
            "het eens dat het draaiboek praktischer moet, met een korte checklist per stap.",
            "Het draaiboek brede instap krijgt een checklist per stap; elke partner duidt een aanspreekpunt "
            "brede instap aan.",
            [
                "Checklist per stap van het draaiboek brede instap opstellen",
                "Aanspreekpunten brede instap verzamelen en verspreiden",
            ],
        ),
        _topic(
            "verwijsafspraken",
            "Verwijsafspraken CLB – CGG – CAW",
            "Afstemming van verwijzingen tussen de partners.",
            "Verwijzingen tussen CLB, CGG en CAW verlopen nog te vaak via informele contacten. De partners "
            "willen heldere afspraken over wie wanneer doorverwijst en hoe de jongere en het gezin daarbij "
            "betrokken blijven.",
            "De verwijsafspraken worden als bijlage bij het samenwerkingsprotocol opgenomen en gelden vanaf "
            "het volgende schooljaar.",
            [
                "Ontwerp van verwijsafspraken bespreken in de eigen organisatie",
                "Verwijsafspraken toetsen aan de regels rond beroepsgeheim",
            ],
            "protocol",
        ),
        _topic(
            "wachtlijsten",
            "Wachtlijsten rechtstreeks toegankelijke jeugdhulp",
            "Stand van zaken van de wachttijden per partner.",
            "Elke partner brengt de actuele wachttijden in. Die blijven hoog in de ambulante begeleiding en "
            "de contextbegeleiding. Er wordt gepleit voor overbruggingshulp en voor een gezamenlijke "
            "signaalnota aan de regionale stuurgroep.",
            "Het netwerk bezorgt een gezamenlijke signaalnota over de wachttijden aan de regionale "
            "stuurgroep Integrale Jeugdhulp.",
            ["Signaalnota wachttijden opstellen", "Wachttijden per partner aanleveren voor de signaalnota"],
        ),
        _topic(
            "gedeelde-zorg",
            "Debat gedeelde zorg: voorbereiding themadag",
            "Programma en doelgroep van de themadag.",
            "De werkgroep stelt het programma van de themadag rond gedeelde zorg voor. Casussen worden "
            "anoniem ingebracht. Er is discussie over de doelgroep: enkel hulpverleners of ook "
            "leidinggevenden.",
            "De themadag gedeelde zorg richt zich op hulpverleners én leidinggevenden; elke partner brengt "
            "een geanonimiseerde casus in.",
            [
                "Geanonimiseerde casus voor de themadag aanleveren",
                "Zaal en sprekers voor de themadag vastleggen",
            ],
        ),
        _topic(
            "regionale-stuurgroep",
            "Terugkoppeling regionale stuurgroep Integrale Jeugdhulp",
            "",
            "De voorzitter brengt verslag uit van de regionale stuurgroep. Er komt een nieuwe oproep voor "
            "netwerkondersteuning en de registratie van aanmeldingen wordt vereenvoudigd.",
            "",
            ["Oproep netwerkondersteuning aan alle partners bezorgen"],
        ),
    ],
    Network.Kind.CRISIS: [
        _topic(
            "meldpunt",
            "Crisismeldpunt: bereikbaarheid en registratie",
            "Registratiecijfers van het voorbije kwartaal.",
            "Het crisismeldpunt overloopt de registratiecijfers. Het aantal aanmeldingen buiten de "
            "kantooruren stijgt. Enkele aanmelders kennen de criteria voor een crisisaanmelding "
            "onvoldoende, waardoor oproepen worden doorgeschakeld.",
            "Het crisismeldpunt verspreidt een geactualiseerde fiche met de aanmeldingscriteria bij alle "
            "aanmelders.",
            [
                "Fiche aanmeldingscriteria crisismeldpunt actualiseren",
                "Registratiecijfers per aanmelder opvragen",
            ],
        ),
        _topic(
            "verdeling",
            "Verdeling crisisopvang volgens de 40/40/20-regel",
            "Bezetting van de crisisplaatsen per sector.",
            "De verdeling van de crisisplaatsen over de sectoren wordt opnieuw bekeken. Het aandeel van de "
            "VAPH-voorzieningen blijft onder de afgesproken twintig procent. De partners zoeken een "
            "haalbare oplossing zonder elders plaatsen te verliezen.",
            "Het netwerk vraagt bijkomende crisisplaatsen binnen de VAPH-sector.",
            ["Bezettingscijfers crisisopvang per sector bundelen"],
        ),
        _topic(
            "politie",
            "Afspraken met politie bij aanmeldingen 's nachts",
            "Knelpunten bij nachtelijke aanmeldingen.",
            "De politie meldt dat ze 's nachts soms lang wacht op een voorstel voor opvang. Het meldpunt "
            "wijst op onvolledige informatie bij de aanmelding. Beide partners willen een korte "
            "afsprakennota.",
            "Bij een nachtelijke aanmelding door de politie belt het crisismeldpunt binnen het uur terug met "
            "een voorstel.",
            [
                "Afsprakennota politie – crisismeldpunt uitschrijven",
                "Afsprakennota toelichten op het korpsoverleg",
            ],
        ),
        _topic(
            "nazorg",
            "Nazorg na crisisopvang",
            "Overdracht naar de reguliere hulpverlening.",
            "Na de crisisopvang van zeven plus zeven dagen en een begeleiding van maximaal achtentwintig "
            "dagen vallen jongeren soms zonder vervolghulp. De partners willen een warme overdracht.",
            "Elke crisisbegeleiding eindigt met een overdrachtsmoment waarop de vervolghulp aanwezig is.",
            ["Sjabloon overdrachtsmoment na crisisbegeleiding uitwerken"],
        ),
        _topic(
            "mobiel",
            "Mobiele crisisbegeleiding: inzet en wachttijden",
            "",
            "Het mobiel crisisteam geeft een stand van zaken. De tijd tot het eerste huisbezoek daalt, "
            "maar in de randgemeenten blijft die langer door de verplaatsingen.",
            "Het mobiel crisisteam rapporteert voortaan per kwartaal de tijd tot het eerste huisbezoek.",
            ["Kwartaalrapport tijd tot eerste huisbezoek opmaken"],
        ),
        _topic(
            "forfaits",
            "Vergoeding van crisisbegeleiding door partners",
            "Evaluatie van de forfaitaire vergoeding.",
            "De partners bespreken de forfaitaire vergoeding voor crisisbegeleiding. Kleinere partners "
            "vinden het forfait te laag om personeel vrij te maken.",
            "De forfaitaire vergoeding blijft ongewijzigd tot de evaluatie op het einde van het jaar.",
            ["Overzicht uitbetaalde forfaits per partner opmaken"],
        ),
    ],
    Network.Kind.DETENTION: [
        _topic(
            "pmd-aanbod",
            "PMD-aanbod per domein: stand van zaken",
            "Aanbod welzijn, gezondheid, onderwijs, werk, sport en cultuur.",
            "De beleidsmedewerker overloopt het aanbod per domein. Welzijn, onderwijs en sport zijn goed "
            "uitgebouwd; voor geestelijke gezondheid en cultuur zijn er nog hiaten. Het aanbod voor kort "
            "gestraften blijft beperkt.",
            "Het PMD zoekt voor het domein cultuur een structurele partner voor het volgende werkjaar.",
            [
                "Mogelijke partners voor het domein cultuur contacteren",
                "Overzicht aanbod per domein actualiseren",
            ],
        ),
        _topic(
            "actieplan",
            "Actieplan hulp- en dienstverlening aan gedetineerden",
            "Ontwerp actieplan volgend werkjaar.",
            "Het ontwerp van actieplan wordt besproken. De partners vragen om minder doelen, maar met "
            "duidelijke indicatoren en een trekker per actie.",
            "Het actieplan voor volgend jaar wordt goedgekeurd en aan de gevangenisdirectie bezorgd.",
            ["Actieplan aan de gevangenisdirectie bezorgen"],
            "goal",
        ),
        _topic(
            "vrijlating",
            "Trajectbegeleiding bij vrijlating",
            "",
            "Gedetineerden die vrijkomen hebben vaak geen huisvesting of inkomen geregeld. De "
            "trajectbegeleider en het justitiehuis willen de voorbereiding vroeger starten.",
            "De voorbereiding van de vrijlating start zes maanden voor de vermoedelijke datum, samen met het "
            "justitiehuis.",
            [
                "Werkwijze vroege voorbereiding vrijlating uitschrijven",
                "Afspraak met het justitiehuis over een gezamenlijke intake",
            ],
        ),
        _topic(
            "lokalen",
            "Afstemming met de gevangenisdirectie: lokalen en bewegingen",
            "",
            "Activiteiten vallen geregeld uit door een gebrek aan lokalen of aan personeel voor de "
            "bewegingen. De directie is bereid een vaste planning te bekijken.",
            "Er komt een vaste weekplanning van lokalen voor het aanbod, afgestemd met de directie.",
            ["Ontwerp weekplanning lokalen opmaken"],
        ),
        _topic(
            "deelname",
            "Deelname aan het aanbod: cijfers",
            "Deelnamecijfers per activiteit.",
            "De deelnamecijfers stijgen licht. Groepsactiviteiten trekken meer deelnemers dan individuele "
            "trajecten; de partners willen de drempel voor anderstaligen verlagen.",
            "",
            ["Deelnamecijfers per activiteit verzamelen"],
        ),
        _topic(
            "vrijwilligers",
            "Vrijwilligerswerking in de gevangenis",
            "",
            "Verschillende partners werken met vrijwilligers, elk met een eigen introductie. Dat leidt tot "
            "verwarring over de veiligheidsregels.",
            "Nieuwe vrijwilligers volgen een gezamenlijke introductie door de partners.",
            ["Gezamenlijk introductiemoment voor vrijwilligers organiseren"],
        ),
    ],
    Network.Kind.PLANMAKER: [
        _topic(
            "intervisie",
            "Intervisie planmakers: lessen uit de praktijk",
            "Geanonimiseerde situaties uit de voorbije maanden.",
            "De planmakers brengen geanonimiseerde situaties in. Een plan samen met de jongere en het gezin "
            "opstellen vraagt meer tijd dan voorzien, maar maakt het plan beter gedragen.",
            "Intervisie wordt maandelijks georganiseerd, afwisselend in Roeselare en Brugge.",
            ["Intervisiekalender opmaken", "Thema's voor intervisie bevragen bij de planmakers"],
        ),
        _topic(
            "doorlooptijd",
            "Aanmeldingen en doorlooptijden",
            "",
            "Het aantal aanmeldingen stijgt. De doorlooptijd tot een plan is gedaald, maar de eerste "
            "contactname duurt soms te lang.",
            "Elke aanmelding krijgt binnen vijf werkdagen een eerste gesprek.",
            ["Doorlooptijden per aanmelding analyseren"],
        ),
        _topic(
            "groei",
            "Leidende principes GROEI: toetsing in de praktijk",
            "",
            "De leidende principes worden getoetst aan enkele recente plannen. Verbondenheid en het tempo "
            "van de jongere krijgen nog te weinig plaats in de plannen.",
            "Elk plan bevat voortaan een korte toets aan de leidende principes.",
            ["Toets aan de leidende principes toevoegen aan het plansjabloon"],
        ),
        _topic(
            "forum",
            "Voorbereiding jaarlijks forum West-Vlaanderen",
            "Programma en locatie.",
            "Het forum brengt hulpverleners, beleid en jongeren samen. De partners willen dat jongeren zelf "
            "het woord nemen.",
            "Het forum vindt in het voorjaar plaats en geeft jongeren zelf het woord.",
            ["Sprekers en jongeren voor het forum uitnodigen", "Locatie voor het forum vastleggen"],
        ),
        _topic(
            "catalogus",
            "Catalogus van het aanbod: actualisatie",
            "",
            "Een deel van de fiches in de catalogus is verouderd. Planmakers verliezen tijd met het zoeken "
            "naar actuele contactgegevens en wachttijden.",
            "Elke partner actualiseert zijn fiche in de catalogus twee keer per jaar.",
            ["Fiche in de catalogus actualiseren"],
        ),
        _topic(
            "buddy",
            "Buddywerking: stand van zaken",
            "",
            "De buddywerking groeit langzaam. Het vinden van betekenisvolle personen in het netwerk van de "
            "jongere blijft de moeilijkste stap.",
            "",
            ["Aantal actieve buddy's in kaart brengen"],
        ),
    ],
}

VARIA = [
    "Geen bijkomende punten.",
    "{org} meldt een personeelswissel; de nieuwe contactpersoon wordt op de volgende vergadering "
    "voorgesteld.",
    "De vergaderdata voor volgend jaar worden via een datumprikker bevraagd.",
    "De partners worden uitgenodigd op de studiedag van de regio; de uitnodiging volgt per mail.",
]

# When a meeting's topics have fewer actions than needed.
GENERIC_ACTIONS = [
    "Besluit terugkoppelen naar de eigen directie",
    "Stand van zaken voorbereiden voor de volgende vergadering",
]

DROPPED_REASONS = [
    "Niet meer nodig na het besluit van de regionale stuurgroep.",
    "Opgenomen in het actieplan van de werkgroep.",
    "Geen budget toegekend; wordt volgend jaar opnieuw bekeken.",
    "Dubbel met een actie van de regionale werkgroep.",
]

# --- goals ----------------------------------------------------------------------------------------
# Per end goal: title, level, description, preconditions, then operational goals
# (title, level, indicator, unit, baseline, target) with their actions (title, level).

GOALS = {
    Network.Kind.RTJ: [
        (
            "Elk kind, elke jongere en elk gezin vindt snel de juiste rechtstreeks toegankelijke hulp",
            Goal.Level.GOVERNMENT,
            "Vertaling van de Vlaamse doelstelling rond tijdige toegang tot jeugdhulp naar de regio.",
            "Blijvende inzet van de partners; registratie van wachttijden door elke partner.",
            [
                (
                    "Wachttijd tot het eerste gesprek halveren",
                    Goal.Level.NETWORK,
                    "Mediane wachttijd tot het eerste gesprek",
                    "dagen",
                    42,
                    21,
                    [("Overbruggingsaanbod tijdens de wachttijd uitwerken", Goal.Level.NETWORK)],
                ),
                (
                    "Meer aanmeldingen via de brede instap",
                    Goal.Level.NETWORK,
                    "Aanmeldingen via de brede instap per kwartaal",
                    "aanmeldingen",
                    60,
                    100,
                    [
                        ("Aanspreekpunt brede instap in elke organisatie", Goal.Level.ORGANISATION),
                        ("Bekendmaking brede instap bij scholen", Goal.Level.NETWORK),
                    ],
                ),
            ],
        ),
        (
            "Partners werken samen rond gezinnen met complexe noden",
            Goal.Level.NETWORK,
            "Gezinnen met meervoudige noden krijgen één afgestemd hulpverleningsplan.",
            "Afspraken over beroepsgeheim en gegevensdeling; onafhankelijke voorzitters beschikbaar.",
            [
                (
                    "Cliëntoverleg structureel inzetten",
                    Goal.Level.NETWORK,
                    "Cliëntoverleggen met een onafhankelijk voorzitter per jaar",
                    "overleggen",
                    18,
                    40,
                    [("Pool van onafhankelijke voorzitters uitbreiden", Goal.Level.ADMINISTRATION)],
                ),
                (
                    "Verwijsafspraken door alle partners toegepast",
                    Goal.Level.ORGANISATION,
                    "Aandeel partners dat de verwijsafspraken toepast",
                    "%",
                    45,
                    90,
                    [("Verwijsafspraken opnemen in de onthaalprocedure", Goal.Level.ORGANISATION)],
                ),
            ],
        ),
    ],
    Network.Kind.CRISIS: [
        (
            "Een minderjarige in crisis krijgt binnen 24 uur een antwoord op maat",
            Goal.Level.GOVERNMENT,
            "Het crisishulpprogramma garandeert een snel antwoord, dag en nacht.",
            "Permanente bereikbaarheid van het crisismeldpunt; voldoende crisisplaatsen.",
            [
                (
                    "Bereikbaarheid van het crisismeldpunt verbeteren",
                    Goal.Level.ORGANISATION,
                    "Aandeel oproepen binnen drie minuten beantwoord",
                    "%",
                    78,
                    95,
                    [("Tweede lijn permanentie tijdens piekuren", Goal.Level.ORGANISATION)],
                ),
                (
                    "Snellere start van mobiele crisisbegeleiding",
                    Goal.Level.NETWORK,
                    "Gemiddelde tijd tot het eerste huisbezoek",
                    "uren",
                    40,
                    24,
                    [
                        ("Verplaatsingen in de randgemeenten herorganiseren", Goal.Level.ORGANISATION),
                        ("Kwartaalrapportage tijd tot huisbezoek", Goal.Level.NETWORK),
                    ],
                ),
            ],
        ),
        (
            "Evenwichtige inzet van crisisopvang over de sectoren",
            Goal.Level.ADMINISTRATION,
            "De 40/40/20-verdeling van crisisplaatsen wordt in de praktijk gehaald.",
            "Engagement van de VAPH-voorzieningen; opvolging door het agentschap.",
            [
                (
                    "Aandeel VAPH-crisisopnames verhogen",
                    Goal.Level.ADMINISTRATION,
                    "Aandeel crisisopnames in VAPH-voorzieningen",
                    "%",
                    8,
                    20,
                    [("Overleg met de VAPH-voorzieningen over crisisbedden", Goal.Level.NETWORK)],
                ),
                (
                    "Vervolghulp na crisisopvang",
                    Goal.Level.NETWORK,
                    "Aandeel jongeren met vervolghulp binnen 28 dagen",
                    "%",
                    55,
                    80,
                    [("Overdrachtsmoment na crisisbegeleiding invoeren", Goal.Level.NETWORK)],
                ),
            ],
        ),
    ],
    Network.Kind.DETENTION: [
        (
            "Gedetineerden krijgen een volwaardig hulp- en dienstverleningsaanbod",
            Goal.Level.GOVERNMENT,
            "Uitvoering van het strategisch plan hulp- en dienstverlening aan gedetineerden.",
            "Lokalen en bewegingen afgestemd met de gevangenisdirectie.",
            [
                (
                    "Structureel aanbod in elk domein",
                    Goal.Level.NETWORK,
                    "Domeinen met structureel aanbod",
                    "domeinen",
                    4,
                    7,
                    [("Partner zoeken voor het domein cultuur", Goal.Level.NETWORK)],
                ),
                (
                    "Meer gedetineerden nemen deel aan het aanbod",
                    Goal.Level.ORGANISATION,
                    "Aandeel gedetineerden dat aan minstens één activiteit deelneemt",
                    "%",
                    35,
                    55,
                    [
                        ("Aanbod vertalen voor anderstaligen", Goal.Level.ORGANISATION),
                        ("Vaste weekplanning lokalen", Goal.Level.ADMINISTRATION),
                    ],
                ),
            ],
        ),
        (
            "Gedetineerden worden voorbereid op hun re-integratie",
            Goal.Level.NETWORK,
            "Wonen, werk en inkomen zijn geregeld vóór de vrijlating.",
            "Samenwerking met het justitiehuis en lokale besturen.",
            [
                (
                    "Re-integratieplan bij vrijlating",
                    Goal.Level.NETWORK,
                    "Gedetineerden met een re-integratieplan bij vrijlating per jaar",
                    "gedetineerden",
                    20,
                    45,
                    [("Vroege voorbereiding vrijlating uitschrijven", Goal.Level.NETWORK)],
                ),
                (
                    "Afstemming met het justitiehuis",
                    Goal.Level.ADMINISTRATION,
                    "Gezamenlijke casusbesprekingen per jaar",
                    "besprekingen",
                    2,
                    8,
                    [("Vaste kalender casusbesprekingen", Goal.Level.ORGANISATION)],
                ),
            ],
        ),
    ],
    Network.Kind.PLANMAKER: [
        (
            "Elke jongere met complexe noden heeft één gedragen plan",
            Goal.Level.NETWORK,
            "Planmakers stellen samen met de jongere en het gezin één plan op.",
            "Tijd voor planmakers vrijgemaakt door de partners.",
            [
                (
                    "Kortere doorlooptijd tot een plan",
                    Goal.Level.NETWORK,
                    "Gemiddelde doorlooptijd van aanmelding tot plan",
                    "weken",
                    10,
                    6,
                    [("Eerste gesprek binnen vijf werkdagen", Goal.Level.ORGANISATION)],
                ),
                (
                    "Plannen samen met jongere en gezin",
                    Goal.Level.ORGANISATION,
                    "Aandeel plannen mee opgesteld met jongere en gezin",
                    "%",
                    60,
                    90,
                    [
                        ("Toets aan de leidende principes in het plansjabloon", Goal.Level.NETWORK),
                        ("Vorming participatief plannen", Goal.Level.ORGANISATION),
                    ],
                ),
            ],
        ),
        (
            "Een lerend netwerk van planmakers",
            Goal.Level.ADMINISTRATION,
            "Planmakers leren van elkaar en van de jongeren.",
            "Ondersteuning door het project en de provincie.",
            [
                (
                    "Regelmatige intervisie",
                    Goal.Level.NETWORK,
                    "Intervisiemomenten per jaar",
                    "momenten",
                    3,
                    8,
                    [("Intervisiekalender opmaken", Goal.Level.NETWORK)],
                ),
                (
                    "Actuele catalogus van het aanbod",
                    Goal.Level.NETWORK,
                    "Aandeel aanbieders met een actuele fiche in de catalogus",
                    "%",
                    40,
                    85,
                    [("Halfjaarlijkse actualisatie van de fiches", Goal.Level.ORGANISATION)],
                ),
            ],
        ),
    ],
}

# --- self-assessment ------------------------------------------------------------------------------
# Typical score per criterion in a network's first round; the second round improves, most of all
# on mandaat and communicatie (the weak spots the research points at).
FIRST_ROUND_SCORES = {
    "gezamenlijk-doel": 3.9,
    "bestuur-leiderschap": 3.3,
    "geengageerde-partners": 3.4,
    "praktische-afspraken": 3.2,
    "juiste-partners": 3.6,
    "mandaat": 2.1,
    "vertrouwen": 3.7,
    "gelijkwaardigheid": 3.1,
    "communicatie": 2.3,
    "noden-client": 3.8,
    "voorgeschiedenis": 3.4,
    "politieke-context": 2.9,
    "wetgevend-kader": 2.6,
    "geografische-ligging": 3.5,
}
SECOND_ROUND_GAIN = {"mandaat": 1.1, "communicatie": 1.0, "praktische-afspraken": 0.4}
LOW_SCORE_COMMENTS = {
    "mandaat": [
        "Niet iedereen aan tafel kan beslissen zonder eerst terug te koppelen naar de directie.",
        "Besluiten worden te vaak een vergadering uitgesteld.",
    ],
    "communicatie": [
        "Tussen twee vergaderingen horen we weinig.",
        "Verslagen komen laat; actiepunten raken zoek.",
    ],
    "wetgevend-kader": ["Onduidelijkheid over wat we mogen delen binnen het beroepsgeheim."],
    "politieke-context": ["Veel projectfinanciering, weinig structurele middelen."],
}
TWO_ROUND_NETWORKS = ("RTJ Waas en Dender", "RTJ Antwerpen Stad")
ROUND_OPEN_DAYS = 14


def _round_plan(network: Network) -> list[tuple[int, int]]:
    """(days before today the round opened, round number) for the network's rounds."""
    return [(245, 1), (35, 2)] if network.name in TWO_ROUND_NETWORKS else [(35, 1)]


# Which meeting's approved minutes get a correction (index among the past meetings).
CORRECTED_MINUTES = 1

# Demo logins that must see open (and overdue) actions on their dashboard.
DASHBOARD_NETWORK = "RTJ Waas en Dender"
DASHBOARD_USERS = ("coordinator", "voorzitter", "stuurgroeplid")


# --- entry point ------------------------------------------------------------------------------------


def load(networks: dict[str, Network], today: datetime.date | None = None) -> dict[str, int]:
    """Add a year of steering activity to each network that has none yet; return what was added."""
    today = today or timezone.localdate()
    counts: Counter = Counter()
    criteria = list(Criterion.objects.order_by("position", "pk"))
    for network_index, name in enumerate(sorted(networks)):
        network = networks[name]
        body = network.bodies.filter(kind__in=STEERING_BODY_KINDS).order_by("kind", "pk").first()
        if body is None:
            continue
        core = network.bodies.filter(kind=Body.Kind.CORE_GROUP).first()
        seats = _ensure_seats(network, body, core, network_index * PEOPLE_SLOTS_PER_NETWORK, today, counts)
        if network.meetings.exists():
            continue  # activity already loaded: skip the whole network (see module docstring)
        _Builder(network, body, seats, criteria, today, counts).build()
    keys = (
        "steering_people",
        "meetings",
        "decisions",
        "action_items",
        "minutes",
        "goals",
        "goal_progress",
        "agreements",
        "assessment_rounds",
        "scores",
    )
    return {key: counts[key] for key in keys}


# --- seats ------------------------------------------------------------------------------------------


def _ensure_seats(
    network: Network, body: Body, core: Body | None, slot_base: int, today: datetime.date, counts: Counter
) -> list[Membership]:
    """Give the steering body a realistic set of seats and mandates. Idempotent."""
    participating = [
        nm.organisation
        for nm in NetworkMembership.objects.active(on=today)
        .filter(network=network, kind=NetworkMembership.Kind.PARTICIPATING)
        .select_related("organisation")
        .order_by("pk")
    ]

    def current_seats() -> list[Membership]:
        return list(
            Membership.objects.active(on=today)
            .filter(network=network, role__in=SEAT_ROLES)
            .select_related("user", "organisation")
            .order_by("pk")
        )

    seats = current_seats()
    slot = slot_base
    # One mandated representative for the first few participating organisations without one.
    represented = {seat.organisation_id for seat in seats if seat.organisation_id}
    room = max(0, MAX_REPRESENTED_ORGANISATIONS - len(represented))
    for organisation in [org for org in participating if org.pk not in represented][:room]:
        slot = _add_person(network, organisation, slot, counts)
    seats = current_seats()
    # Observers: a colleague of an already represented organisation, for about a third of the seats.
    mandated, observers = _split_mandates(seats)
    with_observer = {seat.organisation_id for seat in observers}
    candidates = [seat.organisation for seat in mandated if seat.role == Membership.Role.STEERING_MEMBER]
    candidates = [org for org in candidates if org.pk not in with_observer]
    steering_mandated = sum(1 for seat in mandated if seat.role == Membership.Role.STEERING_MEMBER)
    missing = max(1, steering_mandated // 2) - len(observers)
    for organisation in candidates[: max(0, missing)]:
        slot = _add_person(network, organisation, slot, counts)
    seats = current_seats()

    mandated, observers = _split_mandates(seats)
    for index, seat in enumerate(seats):
        org = seat.organisation.name if seat.organisation else ""
        if seat.role == Membership.Role.CHAIR:
            status, text = Membership.MandateStatus.MANDATED, CHAIR_MANDATE.format(org=org or "de partners")
        elif seat.role == Membership.Role.COORDINATOR:
            status, text = Membership.MandateStatus.MANDATED, COORDINATOR_MANDATE
        elif seat in mandated:
            status = Membership.MandateStatus.MANDATED
            text = MANDATED_TEXTS[index % len(MANDATED_TEXTS)].format(org=org)
        else:
            status = Membership.MandateStatus.OBSERVER
            text = OBSERVER_TEXTS[index % len(OBSERVER_TEXTS)].format(org=org)
        if (seat.mandate_status, seat.mandate) != (status, text):
            Membership.objects.filter(pk=seat.pk).update(mandate_status=status, mandate=text)
            seat.mandate_status, seat.mandate = status, text
        seat.bodies.add(body)
        if core is not None and seat.role in Membership.MANAGING_NETWORK_ROLES:
            seat.bodies.add(core)
    return seats


def _split_mandates(seats: list[Membership]) -> tuple[list[Membership], list[Membership]]:
    """Chairs and coordinators are mandated; per organisation the first steering member is
    mandated (unless the chair already speaks for it) and colleagues after them observe."""
    taken = {seat.organisation_id for seat in seats if seat.role == Membership.Role.CHAIR}
    mandated, observers = [], []
    for seat in seats:
        if seat.role != Membership.Role.STEERING_MEMBER:
            mandated.append(seat)
        elif seat.organisation_id and seat.organisation_id not in taken:
            taken.add(seat.organisation_id)
            mandated.append(seat)
        else:
            observers.append(seat)
    return mandated, observers


def _add_person(network: Network, organisation: Organisation, slot: int, counts: Counter) -> int:
    first, last = FIRST_NAMES[slot % len(FIRST_NAMES)], LAST_NAMES[slot % len(LAST_NAMES)]
    username = f"{first}.{last}".lower().replace(" ", "")
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        counts["steering_people"] += 1
    Membership.objects.get_or_create(
        user=user,
        role=Membership.Role.STEERING_MEMBER,
        network=network,
        defaults={"organisation": organisation, "since": SEATS_SINCE},
    )
    return slot + 1


# --- activity ---------------------------------------------------------------------------------------


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _long_date(day: datetime.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


# Belgian public holidays with a fixed date: no meeting then.
FIXED_HOLIDAYS = {(1, 1), (5, 1), (7, 11), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26)}


def _is_break(day: datetime.date) -> bool:
    """Summer and Christmas holidays: steering groups do not meet."""
    summer = (7, 10) <= (day.month, day.day) <= (8, 20)
    christmas = (day.month, day.day) >= (12, 22) or (day.month, day.day) <= (1, 4)
    return summer or christmas


def _meeting_day(day: datetime.date, step: int, *, skip_breaks: bool = True) -> datetime.date:
    """Move to the nearest Tuesday or Thursday that is no holiday (step -1: back, +1: forward)."""
    while (
        day.weekday() not in (1, 3)
        or (day.month, day.day) in FIXED_HOLIDAYS
        or (skip_breaks and _is_break(day))
    ):
        day += datetime.timedelta(days=step)
    return day


class _Builder:
    def __init__(self, network, body, seats, criteria, today, counts):
        self.network = network
        self.body = body
        self.seats = seats
        self.criteria = criteria
        self.today = today
        self.counts = counts
        self.rng = random.Random(f"{SEED}:{network.name}")
        self.mandated, self.observers = _split_mandates(seats)
        by_role = {seat.role: seat.user for seat in reversed(seats)}
        steering = [seat for seat in self.mandated if seat.role == Membership.Role.STEERING_MEMBER]
        self.chair = by_role.get(Membership.Role.CHAIR)
        self.actor = (
            by_role.get(Membership.Role.COORDINATOR) or self.chair or (steering[0].user if steering else None)
        )
        self.approver = self.chair or self.actor
        self.seat_of = {seat.user_id: seat for seat in reversed(seats)}
        self.owners = list(self.mandated) + self.observers[:1]
        self.members = [
            nm.organisation
            for nm in NetworkMembership.objects.filter(network=network)
            .select_related("organisation")
            .order_by("pk")
        ]
        self.agreements: dict[str, Agreement] = {}
        self.end_goals: list[Goal] = []
        self.decision_count = 0
        self.upcoming_day: datetime.date | None = None

    def build(self) -> None:
        if self.actor is None:
            return
        self.agreements_()
        self.goals()
        self.meetings()
        self.assessment()

    # -- people helpers

    def label(self, user: User) -> str:
        seat = self.seat_of.get(user.pk)
        if seat is None:
            return str(user)
        if seat.role == Membership.Role.CHAIR:
            return f"{user} (voorzitter)"
        if seat.role == Membership.Role.COORDINATOR:
            return f"{user} (coördinator)"
        return f"{user} ({seat.organisation})" if seat.organisation else str(user)

    # -- agreements

    def agreements_(self) -> None:
        rng, today, name = self.rng, self.today, self.network.name
        participating = list(
            NetworkMembership.objects.filter(network=self.network, kind=NetworkMembership.Kind.PARTICIPATING)
            .select_related("organisation")
            .order_by("pk")
        )
        organisations = [nm.organisation for nm in participating]
        valid_from = today - datetime.timedelta(days=rng.randint(300, 700))
        protocol = Agreement(
            network=self.network,
            kind=Agreement.Kind.PROTOCOL,
            title=f"Samenwerkingsprotocol {name}",
            version=rng.choice(["2.0", "2.1", "3.0"]),
            binding=Agreement.Binding.MANDATORY,
            valid_from=valid_from,
            valid_until=valid_from + datetime.timedelta(days=5 * 365),
        )
        pdf = _pdf(
            protocol.title,
            [
                f"Versie {protocol.version} - geldig vanaf {valid_from:%d/%m/%Y}",
                "",
                "Artikel 1. De partners werken samen rond de doelen van het netwerk.",
                "Artikel 2. Elke partner vaardigt een gemandateerde vertegenwoordiger af.",
                "Artikel 3. Besluiten worden bij consensus genomen; lukt dat niet, dan beslist",
                "de stuurgroep bij meerderheid of verwijst ze door naar de regionale stuurgroep.",
                "Artikel 4. Gegevens over cliënten worden enkel gedeeld met hun toestemming",
                "en binnen de grenzen van het beroepsgeheim.",
                "",
                "Partners: "
                + ", ".join(org.name for org in organisations[:4])
                + (", ..." if len(organisations) > 4 else ""),
                "",
                "Demodocument zonder juridische waarde.",
            ],
        )
        protocol.document.save("samenwerkingsprotocol.pdf", ContentFile(pdf), save=False)
        self._agreement("protocol", protocol, organisations, unsigned=1 if len(organisations) >= 5 else 0)

        rules_from = today - datetime.timedelta(days=rng.randint(200, 900))
        rules = Agreement(
            network=self.network,
            kind=Agreement.Kind.HOUSE_RULES,
            title=f"Huishoudelijk reglement {self.body.name}",
            version=rng.choice(["1.1", "1.2", "1.3"]),
            binding=Agreement.Binding.MANDATORY,
            valid_from=rules_from,
        )
        self._agreement("rules", rules, organisations, unsigned=0)

        if name == "RTJ Waas en Dender":
            until = today + datetime.timedelta(days=45)
            covenant = Agreement(
                network=self.network,
                kind=Agreement.Kind.COVENANT,
                title="Convenant gedeelde zorg Waas en Dender",
                version="1.0",
                binding=Agreement.Binding.DESIRED,
                valid_from=until - datetime.timedelta(days=3 * 365),
                valid_until=until,
            )
            self._agreement("covenant", covenant, organisations, unsigned=2)
        elif name == "RTJ Antwerpen Stad":
            both = [org for org in organisations if "CLB" in org.name or "CGG" in org.name][:2]
            bilateral = Agreement(
                network=self.network,
                kind=Agreement.Kind.BILATERAL,
                title="Bilaterale overeenkomst verwijsafspraken CLB – CGG",
                version="1.0",
                binding=Agreement.Binding.OPTIONAL,
                valid_from=today - datetime.timedelta(days=120),
                valid_until=today + datetime.timedelta(days=610),
            )
            self._agreement("bilateral", bilateral, both, unsigned=0)

    def _agreement(self, key: str, agreement: Agreement, organisations, *, unsigned: int) -> None:
        services.create_agreement(agreement=agreement, by=self.actor)
        self.agreements[key] = agreement
        self.counts["agreements"] += 1
        signing = len(organisations) - unsigned
        for position, organisation in enumerate(organisations):
            signed_on = None
            if position < signing:
                signed_on = min(
                    self.today, agreement.valid_from + datetime.timedelta(days=self.rng.randint(-30, 60))
                )
            services.add_signatory(
                signatory=AgreementSignatory(
                    agreement=agreement, organisation=organisation, signed_on=signed_on
                ),
                by=self.actor,
            )

    # -- goals

    def goals(self) -> None:
        rng, today = self.rng, self.today
        operational_statuses = [
            Goal.Status.ON_TRACK,
            Goal.Status.AT_RISK,
            Goal.Status.ACHIEVED,
            Goal.Status.ON_TRACK,
        ]
        rng.shuffle(operational_statuses)
        end_statuses = [Goal.Status.ON_TRACK, Goal.Status.AT_RISK]
        rng.shuffle(end_statuses)
        action_statuses = [
            Goal.Status.ACHIEVED,
            Goal.Status.ON_TRACK,
            Goal.Status.NOT_STARTED,
            Goal.Status.ON_TRACK,
        ]
        operational_index = action_index = 0
        for end_index, (title, level, description, preconditions, operationals) in enumerate(
            GOALS[self.network.kind]
        ):
            end_goal = self._goal(
                kind=Goal.Kind.END_GOAL,
                title=title,
                level=level,
                description=description,
                preconditions=preconditions,
                deadline=datetime.date(today.year + 2, 12, 31),
                status=end_statuses[end_index],
            )
            self.end_goals.append(end_goal)
            for op_title, op_level, indicator, unit, baseline, target, actions in operationals:
                status = operational_statuses[operational_index % len(operational_statuses)]
                operational_index += 1
                deadline = (
                    today - datetime.timedelta(days=rng.randint(10, 40))
                    if status == Goal.Status.ACHIEVED
                    else today + datetime.timedelta(days=rng.randint(90, 400))
                )
                goal = self._goal(
                    kind=Goal.Kind.OPERATIONAL,
                    parent=end_goal,
                    title=op_title,
                    level=op_level,
                    indicator=indicator,
                    unit=unit,
                    baseline_value=Decimal(baseline),
                    target_value=Decimal(target),
                    deadline=deadline,
                    status=status,
                )
                self._progress(goal, baseline, target, status, deadline)
                for action_title, action_level in actions:
                    action_status = action_statuses[action_index % len(action_statuses)]
                    action_index += 1
                    if status == Goal.Status.ACHIEVED:
                        action_status = Goal.Status.ACHIEVED
                    elif action_index == 3 and self.network.kind == Network.Kind.RTJ:
                        action_status = Goal.Status.DROPPED
                    self._goal(
                        kind=Goal.Kind.ACTION,
                        parent=goal,
                        title=action_title,
                        level=action_level,
                        deadline=min(deadline, today + datetime.timedelta(days=rng.randint(30, 200))),
                        status=action_status,
                    )

    def _goal(self, **fields) -> Goal:
        goal = Goal(network=self.network, created_by=self.actor, **fields)
        goal.full_clean()
        services.create_goal(goal=goal, by=self.actor)
        self.counts["goals"] += 1
        return goal

    def _progress(self, goal: Goal, baseline, target, status: str, deadline: datetime.date) -> None:
        rng, today = self.rng, self.today
        steps = rng.randint(4, 6)
        reach = {Goal.Status.ACHIEVED: 1.0, Goal.Status.ON_TRACK: rng.uniform(0.6, 0.8)}.get(
            status, rng.uniform(0.25, 0.4)
        )
        last_day = min(today, deadline) - datetime.timedelta(days=rng.randint(3, 12))
        first_day = today - datetime.timedelta(days=345)
        span = (last_day - first_day).days
        decimals = 1 if goal.unit in ("%", "uren", "dagen", "weken") else 0
        for step in range(1, steps + 1):
            fraction = reach * step / steps
            if step < steps:
                fraction += rng.uniform(-0.06, 0.04)
            value = baseline + (target - baseline) * max(0.0, fraction)
            day = first_day + datetime.timedelta(days=span * step // steps)
            progress = GoalProgress(
                goal=goal,
                measured_on=day,
                value=Decimal(str(round(value, decimals))),
                note=f"Registratie tot en met {MONTHS[day.month - 1]} {day.year}"
                + (" (streefwaarde gehaald)" if status == Goal.Status.ACHIEVED and step == steps else ""),
            )
            services.record_progress(progress=progress, by=self.actor)
            self.counts["goal_progress"] += 1

    # -- meetings

    def meetings(self) -> None:
        rng, today = self.rng, self.today
        days: list[datetime.date] = []
        day = _meeting_day(today - datetime.timedelta(days=rng.randint(9, 20)), -1)
        while len(days) < 8 and day >= today - datetime.timedelta(days=355):
            days.append(day)
            day = _meeting_day(day - datetime.timedelta(days=rng.randint(42, 56)), -1)
        days.reverse()
        # Within three weeks, holidays or not: the dashboard shows it.
        upcoming = _meeting_day(today + datetime.timedelta(days=rng.randint(4, 16)), +1, skip_breaks=False)
        self.upcoming_day = upcoming

        evaluations = [topic for topic in COMMON_TOPICS if topic["key"].startswith("zelfevaluatie")]
        topics = [t for t in TOPICS[self.network.kind] + COMMON_TOPICS if t not in evaluations]
        rng.shuffle(topics)
        topic_cycle = iter(topics * 4)
        # Each assessment round's results are discussed at the first meeting after it closes.
        round_closes = [
            today - datetime.timedelta(days=days_ago - ROUND_OPEN_DAYS)
            for days_ago, _number in _round_plan(self.network)
        ]

        meetings = []
        for index, day in enumerate([*days, upcoming]):
            chosen = [next(topic_cycle) for _ in range(rng.randint(1, 3))]
            if round_closes and day > round_closes[0]:
                round_closes.pop(0)
                chosen = [*chosen[:2], evaluations.pop(0)]
            meetings.append((self._schedule(index, day, chosen), chosen))
        past = meetings[:-1]
        for index, (meeting, chosen) in enumerate(past):
            self._hold(index, meeting, chosen, past)

    def _schedule(self, index: int, day: datetime.date, chosen: list[dict]) -> Meeting:
        rng = self.rng
        hour, minute = rng.choice([(14, 0), (9, 30)])
        online = index % 4 == 2
        places = LOCATIONS.get(self.network.name) or [f"Vergaderzaal {self.members[0]}"]
        org_places = [f"Vergaderzaal {org}, {org.municipality}" for org in self.members[:4]]
        meeting = Meeting(
            network=self.network,
            body=self.body,
            starts_at=_at(day, hour, minute),
            location="" if online else rng.choice(places + org_places),
            online_link=(
                f"https://vergaderen.example.org/ijh/{_slug(self.network.name)}-{day:%Y%m%d}"
                if online
                else ""
            ),
            created_by=self.actor,
        )
        meeting.full_clean()
        agenda = (
            ["Goedkeuring verslag vorige vergadering"] + [t["title"] for t in chosen] + ["Varia en rondvraag"]
        )
        services.schedule_meeting(meeting=meeting, by=self.actor, agenda=agenda)
        Meeting.objects.filter(pk=meeting.pk).update(
            created_at=meeting.starts_at - datetime.timedelta(days=30)
        )
        items = list(meeting.agenda_items.order_by("position"))
        for item, topic in zip(items[1:-1], chosen, strict=True):
            owner = self.actor if rng.random() < 0.5 else rng.choice(self.owners).user
            AgendaItem.objects.filter(pk=item.pk).update(description=topic["note"], owner=owner)
        self.counts["meetings"] += 1
        return meeting

    def _hold(self, index: int, meeting: Meeting, chosen: list[dict], past: list) -> None:
        rng, today = self.rng, self.today
        last = len(past) - 1
        attendances = {a.user_id: a for a in meeting.attendances.select_related("user", "organisation")}
        status = dict.fromkeys(attendances, Attendance.Status.PRESENT)
        represented_by = {}
        steering_mandated = [
            seat
            for seat in self.mandated
            if seat.role == Membership.Role.STEERING_MEMBER and seat.user_id in attendances
        ]
        observer_of = {seat.organisation_id: seat for seat in self.observers if seat.user_id in attendances}
        # Observers miss a meeting now and then: that never costs an organisation its mandate.
        for seat in self.observers:
            if seat.user_id in attendances and rng.random() < 0.3:
                status[seat.user_id] = rng.choice([Attendance.Status.EXCUSED, Attendance.Status.ABSENT])
        if index == 2 and steering_mandated:
            # A mandated member is excused: her organisation has no mandate at this meeting.
            seat = steering_mandated[-1]
            status[seat.user_id] = Attendance.Status.EXCUSED
        if index == 4 and last >= 5 and steering_mandated:
            # A mandated member sends a colleague without mandate: represented, but not mandated.
            seat = next(
                (s for s in steering_mandated if s.organisation_id in observer_of), steering_mandated[0]
            )
            stand_in = observer_of.get(seat.organisation_id)
            status[seat.user_id] = Attendance.Status.REPRESENTED
            if stand_in is not None:
                status[stand_in.user_id] = Attendance.Status.PRESENT
                represented_by[seat.user_id] = stand_in.user
            else:
                represented_by[seat.user_id] = self.actor
        for user_id, attendance in attendances.items():
            services.record_attendance(
                attendance=attendance,
                status=status[user_id],
                represented_by=represented_by.get(user_id),
                by=self.actor,
            )

        items = list(meeting.agenda_items.order_by("position"))
        topic_items = list(zip(items[1:-1], chosen, strict=True))
        lines = [
            f"Verslag {self.body.name} – {_long_date(meeting.date)}, "
            f"{timezone.localtime(meeting.starts_at):%H.%M} uur",
            f"Plaats: {meeting.location or 'online'}",
            "",
            *self._attendance_lines(attendances, status, represented_by),
            "",
            "1. Goedkeuring verslag vorige vergadering",
            "Het verslag van de vorige vergadering wordt zonder opmerkingen goedgekeurd."
            if index != CORRECTED_MINUTES + 2
            else "Het verslag van de vorige vergadering wordt zonder opmerkingen goedgekeurd. Ook de "
            f"verbeterde versie van het verslag van {_long_date(past[CORRECTED_MINUTES][0].date)} wordt "
            "goedgekeurd.",
        ]

        # Decisions: on one or two topics that have one.
        with_decision = [(item, topic) for item, topic in topic_items if topic["decision"]]
        decided = with_decision[: rng.randint(1, 2)] if with_decision else []
        decision_texts = {}
        for item, topic in decided:
            self.decision_count += 1
            method, text = Decision.Method.CONSENSUS, topic["decision"]
            if self.decision_count == 3:
                method = Decision.Method.MAJORITY
                text += " Beslist bij meerderheid; twee partners onthouden zich."
            elif self.decision_count == 5 or (topic["key"] == "verdeling" and self.decision_count > 5):
                method = Decision.Method.ESCALATED
                text = "Geen consensus. Het voorstel wordt voorgelegd aan de regionale stuurgroep: " + text
            decision = Decision(
                agenda_item=item,
                text=text,
                method=method,
                agreement=self.agreements.get("protocol") if topic["link"] == "protocol" else None,
                goal=self.end_goals[0] if topic["link"] == "goal" and self.end_goals else None,
            )
            services.record_decision(decision=decision, by=self.actor)
            Decision.objects.filter(pk=decision.pk).update(
                recorded_at=meeting.starts_at + datetime.timedelta(hours=1)
            )
            self.counts["decisions"] += 1
            without_mandate = [str(org) for org in decision.organisations_without_mandate.all()]
            decision_texts[item.pk] = (text, without_mandate)

        # Actions: two or three per meeting.
        actions_by_item: dict[int, list[str]] = {}
        for item, _topic, title, owner, due_on, action_status in self._plan_actions(
            index, meeting, topic_items, last
        ):
            owner_seat = self.seat_of.get(owner.pk)
            action = ActionItem(
                network=self.network,
                meeting=meeting,
                created_by=self.actor,
                agenda_item=item,
                title=title,
                owner=owner,
                owner_organisation=owner_seat.organisation if owner_seat else None,
                due_on=due_on,
                status=action_status,
            )
            if action_status == ActionItem.Status.DONE:
                latest = min(today, due_on + datetime.timedelta(days=10)) - datetime.timedelta(days=1)
                earliest = meeting.date + datetime.timedelta(days=3)
                action.completed_on = earliest + datetime.timedelta(
                    days=rng.randint(0, max(0, (latest - earliest).days))
                )
            elif action_status == ActionItem.Status.DROPPED:
                action.dropped_reason = rng.choice(DROPPED_REASONS)
            action.full_clean()
            services.create_action(action=action, by=self.actor)
            self.counts["action_items"] += 1
            actions_by_item.setdefault(item.pk, []).append(
                f"Actie: {title} – {owner}, tegen {due_on:%d/%m/%Y}."
            )

        for position, (item, topic) in enumerate(topic_items, start=2):
            lines += ["", f"{position}. {topic['title']}", topic["discussion"]]
            if item.pk in decision_texts:
                text, without_mandate = decision_texts[item.pk]
                lines.append(f"Besluit: {text}")
                if without_mandate:
                    lines.append(
                        "Opmerking: geen gemandateerde vertegenwoordiger aanwezig voor "
                        + ", ".join(without_mandate)
                        + "; het besluit wordt hun ter bevestiging voorgelegd."
                    )
            lines += actions_by_item.get(item.pk, [])
        varia = rng.choice(VARIA).format(org=rng.choice(self.members))
        lines += ["", f"{len(items)}. Varia en rondvraag", varia]
        next_day = past[index + 1][0].date if index < last else self.upcoming_day
        if next_day:
            lines += ["", f"Volgende vergadering: {_long_date(next_day)}."]
        self._minutes(index, meeting, "\n".join(lines), past)

    def _attendance_lines(self, attendances, status, represented_by) -> list[str]:
        groups: dict[str, list[str]] = {}
        for user_id, attendance in sorted(attendances.items(), key=lambda pair: pair[1].user.last_name):
            text = self.label(attendance.user)
            if status[user_id] == Attendance.Status.REPRESENTED:
                text += f", vertegenwoordigd door {represented_by[user_id]}"
            groups.setdefault(status[user_id], []).append(text)
        headings = [
            (Attendance.Status.PRESENT, "Aanwezig"),
            (Attendance.Status.REPRESENTED, "Vertegenwoordigd"),
            (Attendance.Status.EXCUSED, "Verontschuldigd"),
            (Attendance.Status.ABSENT, "Afwezig"),
        ]
        return [f"{heading}: {'; '.join(groups[key])}." for key, heading in headings if groups.get(key)]

    def _plan_actions(self, index: int, meeting: Meeting, topic_items, last: int):
        """(agenda item, topic, title, owner, due date, status) for two or three actions."""
        rng, today = self.rng, self.today
        titles = [(item, topic, title) for item, topic in topic_items for title in topic["actions"]]
        first_item, first_topic = topic_items[0]
        titles += [(first_item, first_topic, title) for title in GENERIC_ACTIONS]
        forced = self._forced_actions(index, last)
        count = len(forced) if forced else rng.randint(2, 3)
        planned = []
        for number in range(count):
            item, topic, title = titles[number % len(titles)]
            if forced:
                owner, offset, status = forced[number]
                due_on = today + datetime.timedelta(days=offset)
            else:
                owner = rng.choice(self.owners).user
                due_on = meeting.date + datetime.timedelta(days=rng.choice([14, 21, 28, 42, 60]))
                if due_on >= today:
                    status = rng.choice([ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS])
                else:
                    roll = rng.random()
                    if roll < 0.68:
                        status = ActionItem.Status.DONE
                    elif roll < 0.8:
                        status = ActionItem.Status.DROPPED
                    else:  # still open after its deadline: overdue
                        status = rng.choice([ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS])
            planned.append((item, topic, title, owner, due_on, status))
        return planned

    def _forced_actions(self, index: int, last: int) -> list[tuple[User, int, str]]:
        """In RTJ Waas en Dender the demo logins each get an overdue and a current action."""
        if self.network.name != DASHBOARD_NETWORK or index not in (last - 2, last):
            return []
        users = {
            seat.user.username: seat.user for seat in self.seats if seat.user.username in DASHBOARD_USERS
        }
        if index == last - 2:  # overdue by now
            plan = [
                ("coordinator", -20, ActionItem.Status.OPEN),
                ("voorzitter", -9, ActionItem.Status.IN_PROGRESS),
                ("stuurgroeplid", -4, ActionItem.Status.OPEN),
            ]
        else:  # due in the coming weeks
            plan = [
                ("coordinator", 14, ActionItem.Status.OPEN),
                ("voorzitter", 21, ActionItem.Status.OPEN),
                ("stuurgroeplid", 10, ActionItem.Status.IN_PROGRESS),
            ]
        return [(users[name], offset, status) for name, offset, status in plan if name in users]

    def _minutes(self, index: int, meeting: Meeting, text: str, past: list) -> None:
        last = len(past) - 1
        now = timezone.now()
        minutes = services.save_minutes(meeting=meeting, text=text, by=self.actor)
        services.circulate_minutes(minutes=minutes, by=self.actor)
        self.counts["minutes"] += 1
        days_since = (self.today - meeting.date).days
        circulated_at = meeting.starts_at + datetime.timedelta(days=min(7, max(1, days_since - 2)))
        if index == last:  # the most recent minutes wait for approval at the next meeting
            Minutes.objects.filter(pk=minutes.pk).update(
                circulated_at=min(circulated_at, now), updated_at=min(circulated_at, now)
            )
            return
        services.approve_minutes(minutes=minutes, by=self.approver)
        approved_at = past[index + 1][0].starts_at + datetime.timedelta(minutes=20)
        Minutes.objects.filter(pk=minutes.pk).update(
            circulated_at=circulated_at, approved_at=approved_at, updated_at=circulated_at
        )
        if index == CORRECTED_MINUTES and last >= CORRECTED_MINUTES + 2:
            # A partner asks for a correction after approval: new version, edited, approved again.
            correction = services.correct_minutes(minutes=Minutes.objects.get(pk=minutes.pk), by=self.actor)
            organisation = next((seat.organisation for seat in self.mandated if seat.organisation), None)
            corrected = (
                text
                + "\n\nVerbetering (versie 2): op vraag van "
                + (str(organisation) if organisation else "een partner")
                + " wordt verduidelijkt dat de afspraken onder punt 2 pas ingaan na bevestiging door de "
                "directies. De aanwezigheidslijst werd nagekeken en is correct."
            )
            correction = services.save_minutes(meeting=meeting, text=corrected, by=self.actor)
            services.circulate_minutes(minutes=correction, by=self.actor)
            services.approve_minutes(minutes=correction, by=self.approver)
            # Approved together with the minutes of the meeting before it (see _hold).
            reapproved = past[index + 2][0].starts_at + datetime.timedelta(minutes=20)
            Minutes.objects.filter(pk=correction.pk).update(
                circulated_at=reapproved - datetime.timedelta(days=7),
                approved_at=reapproved,
                updated_at=reapproved - datetime.timedelta(days=7),
            )
            self.counts["minutes"] += 1

    # -- self-assessment

    def assessment(self) -> None:
        today = self.today
        respondents = []
        for seat in self.seats:
            if seat.user not in respondents:
                respondents.append(seat.user)
        rounds = _round_plan(self.network)
        # submit_scores only accepts an open round, so each round is opened "now", filled, then moved
        # back in time with a queryset update.
        real_today = timezone.localdate()
        for days_ago, number in rounds:
            opened_on = today - datetime.timedelta(days=days_ago)
            closes_on = opened_on + datetime.timedelta(days=ROUND_OPEN_DAYS)
            assessment_round = SelfAssessmentRound(
                network=self.network,
                title=f"Zelfevaluatie netwerksamenwerking {MONTHS[opened_on.month - 1]} {opened_on.year}",
                opened_on=real_today,
                closes_on=max(real_today, today) + datetime.timedelta(days=14),
            )
            services.open_assessment_round(assessment_round=assessment_round, by=self.approver)
            self.counts["assessment_rounds"] += 1
            for position, respondent in enumerate(respondents):
                scores = self._scores(number)
                created = services.submit_scores(
                    assessment_round=assessment_round, respondent=respondent, scores=scores
                )
                self.counts["scores"] += len(created)
                submitted = _at(opened_on + datetime.timedelta(days=1 + position % 10), 9 + position % 8)
                Score.objects.filter(round=assessment_round, respondent=respondent).update(
                    submitted_at=submitted
                )
            services.close_assessment_round(assessment_round=assessment_round, by=self.approver)
            SelfAssessmentRound.objects.filter(pk=assessment_round.pk).update(
                opened_on=opened_on, closes_on=closes_on, closed_at=_at(closes_on, 17)
            )

    def _scores(self, number: int) -> dict[int, tuple[int, str]]:
        rng = self.rng
        scores = {}
        for criterion in self.criteria:
            mean = FIRST_ROUND_SCORES.get(criterion.code, 3.3)
            if number == 2:
                mean += SECOND_ROUND_GAIN.get(criterion.code, 0.2)
            if self.network.kind == Network.Kind.DETENTION and criterion.code == "geografische-ligging":
                mean += 0.8  # everyone works inside the same prison
            value = max(1, min(5, round(rng.gauss(mean, 0.7))))
            comment = ""
            if value <= 2 and criterion.code in LOW_SCORE_COMMENTS and rng.random() < 0.5:
                comment = rng.choice(LOW_SCORE_COMMENTS[criterion.code])
            scores[criterion.pk] = (value, comment)
        return scores


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def _pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF (Helvetica, WinAnsi) written by hand: no PDF library needed."""

    def literal(text: str) -> bytes:
        raw = text.encode("cp1252", "replace")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    content = b"BT /F1 16 Tf 20 TL 72 770 Td " + literal(title) + b" Tj /F1 11 Tf 15 TL T* T*"
    for line in lines:
        content += b" " + literal(line) + b" Tj T*"
    content += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
