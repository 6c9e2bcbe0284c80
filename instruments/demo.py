"""Seed of the Flemish draaiboek brede instap (version 1), used by the demo loader.

The structure follows the research (file 000, part I chapter 1): for each step of the intake
procedure (toegangsdeur, onthaal, vraagverheldering, aanbodsverheldering, hulpverleningsvoorstel,
dispatching) the playbook lists ideal-typical tasks, each with 1) the expected result, 2) a
quality check and 3) supporting instruments. It was written for the organisations of the broad
entry (CAW/JAC, K&G/CKG, CLB), after the intersectoral guideline on access to RTJ (October 2006).
The wording below is ours: a realistic, plain-language rendering, not the original text.
"""

import datetime

from django.db import transaction

from .models import Playbook, PlaybookStep, PlaybookTask

FLEMISH_TITLE = "Draaiboek brede instap"
FLEMISH_VERSION = "1"
FLEMISH_PUBLISHED_ON = datetime.date(2008, 6, 1)

# step kind, description, [(task, expected result, quality check, supporting instruments)]
STEPS = [
    (
        PlaybookStep.Kind.ACCESS_DOOR,
        "Jongeren, ouders en hun omgeving weten waar ze met een hulpvraag terechtkunnen en vinden "
        "de weg naar een organisatie van de brede instap zonder drempels.",
        [
            (
                "Het onthaalaanbod bekendmaken bij jongeren, ouders en doorverwijzers",
                "Jongeren, ouders, scholen en huisartsen kennen de onthaalpunten van de brede instap "
                "in de regio: adres, openingsuren, telefoon en online kanalen.",
                "Is de informatie over het onthaal actueel op de website, in folders en op de "
                "sociale kaart, en werd ze het afgelopen jaar verspreid naar scholen en huisartsen?",
                "Folder brede instap, sociale kaart, website, informatiedagen",
            ),
            (
                "Drempels wegwerken in bereikbaarheid",
                "Het onthaal is bereikbaar op momenten en plaatsen die passen voor jongeren en "
                "ouders: ook na de schooluren, telefonisch, online en zonder afspraak.",
                "Zijn er onthaalmomenten buiten de kantooruren en is er een laagdrempelig kanaal "
                "(chat, telefoon, vrije inloop)? Hoe lang wacht iemand op een eerste contact?",
                "Overzicht onthaalmomenten, registratie wachttijd eerste contact",
            ),
        ],
    ),
    (
        PlaybookStep.Kind.RECEPTION,
        "Wie zich aanmeldt wordt snel, vriendelijk en deskundig ontvangen en weet na het eerste "
        "contact wat er verder gebeurt.",
        [
            (
                "Elke aanmelding binnen een afgesproken termijn beantwoorden",
                "Iedere aanmelder krijgt binnen vijf werkdagen een eerste gesprek of een duidelijke "
                "afspraak, ook als de organisatie zelf niet de juiste hulp biedt.",
                "Wordt de datum van aanmelding en van het eerste contact geregistreerd, en haalt de "
                "organisatie de termijn voor minstens negen op tien aanmeldingen?",
                "Registratie aanmeldingen, onthaalprocedure",
            ),
            (
                "De aanmelder informeren over werking, rechten en privacy",
                "Jongere en ouders weten wat de organisatie doet, welke rechten ze hebben "
                "(decreet rechtspositie minderjarige) en wat er met hun gegevens gebeurt.",
                "Krijgt elke aanmelder mondeling en schriftelijk uitleg over werking, rechten, "
                "klachtrecht en gegevensdeling, en wordt dat genoteerd?",
                "Onthaalbrochure, informatiefiche rechten en privacy",
            ),
            (
                "Een vaste onthaalmedewerker als aanspreekpunt aanduiden",
                "De aanmelder heeft één aanspreekpunt tot de hulp effectief start of de vraag "
                "doorverwezen is.",
                "Is in elk dossier het aanspreekpunt vermeld en bereikbaar tot de overdracht?",
                "Aanmeldingsfiche",
            ),
        ],
    ),
    (
        PlaybookStep.Kind.QUESTION_CLARIFICATION,
        "Samen met de jongere en de ouders wordt de vraag achter de vraag helder: wat loopt moeilijk, "
        "wat loopt goed, wat verwachten ze.",
        [
            (
                "De hulpvraag samen met jongere en ouders verhelderen",
                "Er is een gedeeld beeld van de vraag, in de woorden van de jongere en de ouders, "
                "met hun krachten en wat ze al geprobeerd hebben.",
                "Staat de hulpvraag in de eigen woorden van de jongere en de ouders in het dossier, "
                "en hebben zij het verslag van de vraagverheldering gelezen?",
                "Gespreksleidraad vraagverheldering, signalenlijst",
            ),
            (
                "Inschatten hoe dringend de vraag is en of er veiligheidsrisico's zijn",
                "Dringende situaties en zorgen over veiligheid worden herkend en krijgen meteen "
                "gepaste opvolging (crisismeldpunt, vertrouwenscentrum).",
                "Wordt bij elke vraagverheldering de urgentie en de veiligheid nagegaan en "
                "genoteerd, met wie dat besproken werd?",
                "Screeningsinstrument veiligheid, afsprakenkader crisisnetwerk",
            ),
        ],
    ),
    (
        PlaybookStep.Kind.OFFER_CLARIFICATION,
        "Jongere en ouders krijgen een helder beeld van het mogelijke aanbod, binnen en buiten de "
        "eigen organisatie, met wachttijden en voorwaarden.",
        [
            (
                "Het passende aanbod in het netwerk in kaart brengen",
                "Er is een overzicht van het aanbod dat bij de vraag past, over de sectoren heen, "
                "met doelgroep, voorwaarden en actuele wachttijd.",
                "Raadpleegt de onthaalmedewerker de sociale kaart en de verwijsafspraken van het "
                "netwerk, en is dat overzicht minder dan een jaar oud?",
                "Sociale kaart, wegwijzer verwijsafspraken",
            ),
            (
                "Het aanbod begrijpelijk toelichten aan jongere en ouders",
                "Jongere en ouders begrijpen wat elk mogelijk aanbod inhoudt en kunnen de "
                "voor- en nadelen afwegen.",
                "Kregen jongere en ouders de toelichting in begrijpelijke taal, en konden ze vragen "
                "stellen of iemand laten meekomen?",
                "Infofiches aanbod, pictogrammen, tolk indien nodig",
            ),
        ],
    ),
    (
        PlaybookStep.Kind.CARE_PROPOSAL,
        "Er ligt een concreet voorstel voor hulp dat jongere en ouders mee gekozen hebben.",
        [
            (
                "Samen met jongere en ouders een hulpverleningsvoorstel formuleren",
                "Een schriftelijk voorstel: welke hulp, door wie, met welk doel en vanaf wanneer, "
                "waarmee jongere en ouders akkoord gaan.",
                "Is het voorstel schriftelijk vastgelegd en door jongere en ouders besproken en "
                "goedgekeurd? Is hun mening genoteerd als ze niet akkoord gaan?",
                "Sjabloon hulpverleningsvoorstel",
            ),
            (
                "Overbruggingshulp voorzien bij wachttijd",
                "Wie moet wachten op het voorgestelde aanbod krijgt ondertussen ondersteuning en "
                "weet wie hij kan contacteren.",
                "Is bij elke wachttijd van meer dan vier weken een overbruggingsafspraak gemaakt?",
                "Afspraken overbrugging in het netwerk",
            ),
        ],
    ),
    (
        PlaybookStep.Kind.DISPATCHING,
        "De jongere komt effectief terecht bij de gekozen hulp, met een warme overdracht en zonder "
        "dat het verhaal opnieuw verteld moet worden.",
        [
            (
                "Verwijzen volgens de verwijsafspraken van het netwerk",
                "De verwijsbrief bevat wat de ontvangende organisatie vraagt, met toestemming van "
                "jongere en ouders voor het doorgeven van de gegevens.",
                "Bevat elke verwijsbrief de afgesproken gegevens, en is de toestemming voor de "
                "gegevensdeling vastgelegd?",
                "Verwijsafspraken, verwijsbrief, gegevensfiche, toestemmingsformulier",
            ),
            (
                "Een warme overdracht organiseren",
                "Er is een kennismaking of overdrachtsgesprek met de nieuwe hulpverlener, samen met "
                "de jongere en de ouders waar mogelijk.",
                "Vond bij minstens de helft van de verwijzingen een gezamenlijk overdrachtsmoment plaats?",
                "Afsprakenkader warme overdracht",
            ),
            (
                "Nagaan of de hulp effectief gestart is",
                "De verwijzer weet of de hulp gestart is; wie nergens terechtkan wordt gesignaleerd "
                "aan het netwerk.",
                "Wordt binnen een maand na de verwijzing nagegaan of de hulp startte, en worden "
                "weigeringen en wachttijden gemeld aan de netwerkstuurgroep?",
                "Opvolgingsregistratie verwijzingen, knelpuntenmelding",
            ),
        ],
    ),
]


@transaction.atomic
def ensure_flemish_playbook() -> Playbook:
    """The published Flemish version 1 with its six steps and their tasks. Idempotent.

    Steps and tasks are only created when missing: a published playbook is frozen, and existing
    self-checks point at its tasks.
    """
    playbook, _ = Playbook.objects.get_or_create(
        network=None,
        title=FLEMISH_TITLE,
        version=FLEMISH_VERSION,
        defaults={"status": Playbook.Status.PUBLISHED, "published_on": FLEMISH_PUBLISHED_ON},
    )
    for order, (kind, description, tasks) in enumerate(STEPS, start=1):
        step, _ = PlaybookStep.objects.get_or_create(
            playbook=playbook, kind=kind, defaults={"order": order, "description": description}
        )
        for task_order, (title, expected, check, instruments) in enumerate(tasks, start=1):
            PlaybookTask.objects.get_or_create(
                step=step,
                title=title,
                defaults={
                    "order": task_order,
                    "expected_result": expected,
                    "quality_check": check,
                    "supporting_instruments": instruments,
                },
            )
    return playbook
