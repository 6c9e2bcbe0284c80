"""Hand-made figures snapshots that follow reports/SNAPSHOT.md, for tests that render reports
without computing figures. Counts are raw, as in a real snapshot: suppression happens when the
document is rendered.

The first table (``members_by_sector``) holds 12, 3, 7 and 0 under a total of 22: 3 is hidden
because it is small, and 7 because with the total shown 3 could be worked out from it.
"""

import copy

KINDS = {
    "rtj": ("RTJ Waas en Dender", "RTJ-netwerk (rechtstreeks toegankelijke jeugdhulp)"),
    "crisis": ("Crisisnetwerk Oost-Vlaanderen", "Crisisnetwerk"),
    "detention": (
        "Netwerk gedetineerden Gent en Oudenaarde",
        "Netwerk hulp- en dienstverlening gedetineerden",
    ),
    "planmaker": ("Planmakersnetwerk Oost-Vlaanderen", "Planmakersnetwerk"),
}
REGION = "Oost-Vlaanderen"

SECTIONS = [
    {
        "key": "members",
        "title": "Lidorganisaties",
        "intro": "Welke organisaties lid waren van het netwerk, per sector, en wie er in de periode bij kwam of vertrok.",
        "definition": "Een lidorganisatie is een organisatie met een lidmaatschap dat op de einddatum van de periode loopt. Nieuw: lidmaatschap gestart in de periode. Vertrokken: lidmaatschap beëindigd in de periode.",
        "tables": [
            {
                "key": "members_by_sector",
                "title": "Lidorganisaties per sector",
                "columns": ["Sector", "Leden op einddatum", "Nieuw in periode", "Vertrokken in periode"],
                "rows": [
                    ["Centrum Algemeen Welzijnswerk", 12, 2, 0],
                    ["Centrum voor Leerlingenbegeleiding", 3, 1, 0],
                    ["OCMW en lokale besturen", 7, 0, 1],
                    ["Politie en parket", 0, 0, 0],
                ],
                "total": ["Totaal", 22, 3, 1],
                "count_columns": [1, 2, 3],
                "chart": {"type": "bar", "label_column": 0, "value_column": 1},
            }
        ],
        "facts": [
            {"label": "Lidorganisaties op einddatum", "value": 22, "is_count": True},
            {"label": "Nieuwe leden", "value": 3, "is_count": True},
        ],
    },
    {
        "key": "meetings",
        "title": "Vergaderingen",
        "intro": "Hoe vaak de overlegorganen van het netwerk samenkwamen en hoeveel uitgenodigden er waren.",
        "definition": "Een vergadering telt als gehouden wanneer ze in de periode plaatsvond en niet werd afgelast. Aanwezigheid is het aandeel uitgenodigde organisaties dat vertegenwoordigd was.",
        "tables": [
            {
                "key": "meetings_by_body",
                "title": "Vergaderingen per overlegorgaan",
                "columns": ["Overlegorgaan", "Vergaderingen gehouden", "Gemiddelde aanwezigheid"],
                "rows": [
                    ["Stuurgroep", 6, "83 %"],
                    ["Werkgroep cliëntoverleg", 11, "71 %"],
                    ["Werkgroep vorming en intervisie", 2, "90 %"],
                    ["Kerngroep", 9, "78 %"],
                ],
                "total": ["Totaal", 28, "77 %"],
                "count_columns": [1],
                "chart": {"type": "bar", "label_column": 0, "value_column": 1},
            }
        ],
        "facts": [
            {"label": "Vergaderingen gehouden", "value": 28, "is_count": True},
            {"label": "Gemiddelde aanwezigheid", "value": "77 %", "is_count": False},
            {"label": "Afgelaste vergaderingen", "value": 2, "is_count": True},
        ],
    },
    {
        "key": "decisions",
        "title": "Beslissingen",
        "intro": "Welke beslissingen de overlegorganen namen, op welke manier, en of er een mandaat was.",
        "definition": "Een beslissing is een besluit dat in een verslag van een gehouden vergadering is vastgelegd. Zonder mandaat: de vertegenwoordiger had geen mandaat van de eigen organisatie voor dit punt.",
        "tables": [
            {
                "key": "decisions_by_method",
                "title": "Beslissingen per beslissingswijze",
                "columns": ["Beslissingswijze", "Beslissingen"],
                "rows": [["Consensus", 14], ["Stemming", 6], ["Schriftelijke procedure", 5]],
                "total": ["Totaal", 25],
                "count_columns": [1],
                "chart": {"type": "bar", "label_column": 0, "value_column": 1},
            }
        ],
        "facts": [
            {"label": "Beslissingen", "value": 25, "is_count": True},
            {"label": "Genomen zonder mandaat", "value": 2, "is_count": True},
        ],
    },
    {
        "key": "actions",
        "title": "Acties",
        "intro": "De acties die uit de vergaderingen volgden en hoe ver ze op de einddatum stonden.",
        "definition": "Een actie is een taak met een trekker en een termijn. Te laat: niet afgewerkt en de termijn verstreken op de einddatum van de periode.",
        "tables": [
            {
                "key": "actions_by_status",
                "title": "Acties naar stand op einddatum",
                "columns": ["Stand", "Acties"],
                "rows": [
                    ["Aangemaakt in de periode", 31],
                    ["Afgewerkt", 18],
                    ["Open op einddatum", 11],
                    ["Te laat op einddatum", 4],
                    ["Geschrapt", 2],
                ],
                "total": None,
                "count_columns": [1],
                "chart": {"type": "bar", "label_column": 0, "value_column": 1},
            }
        ],
        "facts": [{"label": "Open acties", "value": 11, "is_count": True}],
    },
    {
        "key": "goals",
        "title": "Operationele doelstellingen",
        "intro": "De operationele doelstellingen met een indicator, en hoe ver elk op weg is naar de streefwaarde.",
        "definition": "Laatste waarde: de meest recente meting van de indicator op of voor de einddatum. % van de weg: (laatste waarde − beginwaarde) gedeeld door (streefwaarde − beginwaarde).",
        "tables": [
            {
                "key": "goals_progress",
                "title": "Doelstellingen en indicatoren",
                "columns": ["Doelstelling", "Indicator", "Streefwaarde", "Laatste waarde", "% van de weg"],
                "rows": [
                    [
                        "Meer jongeren bereiken via de brede instap",
                        "Aanmeldingen brede instap per halfjaar",
                        40.0,
                        31.0,
                        "78 %",
                    ],
                    [
                        "Snellere opstart van cliëntoverleg na aanmelding",
                        "Mediaan aantal werkdagen tot eerste overleg",
                        10.0,
                        12.5,
                        "63 %",
                    ],
                    [
                        "Gedeelde vormingsdagen voor alle partners",
                        "Vormingsdagen met minstens drie sectoren",
                        4.0,
                        None,
                        "–",
                    ],
                ],
                "total": None,
                "count_columns": [],
                "chart": None,
            }
        ],
        "facts": [{"label": "Doelstellingen met indicator", "value": 3, "is_count": True}],
    },
    {
        "key": "agreements",
        "title": "Samenwerkingsafspraken",
        "intro": "De afspraken tussen partners die op de einddatum golden, en welke kort daarna aflopen.",
        "definition": "Een samenwerkingsafspraak geldt op de einddatum als ze vóór of op die dag ingaat en niet is beëindigd. Verloopt binnen 60 dagen: de einddatum van de afspraak valt binnen 60 dagen na het einde van de periode.",
        "tables": [
            {
                "key": "agreements_by_binding",
                "title": "Afspraken naar binding",
                "columns": ["Binding", "Geldig op einddatum", "Verloopt binnen 60 dagen"],
                "rows": [["Bindend (ondertekend)", 8, 1], ["Intentieverklaring", 5, 0]],
                "total": ["Totaal", 13, 1],
                "count_columns": [1, 2],
                "chart": {"type": "bar", "label_column": 0, "value_column": 1},
            }
        ],
        "facts": [{"label": "Geldige afspraken", "value": 13, "is_count": True}],
    },
    {
        "key": "assessment",
        "title": "Zelfevaluatie van de samenwerking",
        "intro": "De laatste afgesloten bevragingsronde: per criterium het aantal antwoorden, de mediaan en de verandering tegenover de vorige ronde.",
        "definition": "Partners scoren elk criterium van 1 (helemaal niet) tot 5 (helemaal). Een criterium met minder dan 5 antwoorden staat als <5, zonder mediaan.",
        "tables": [
            {
                "key": "assessment_criteria",
                "title": "Criteria van de ronde van juni 2026",
                "columns": ["Criterium", "Antwoorden", "Mediaan", "Vorige mediaan", "Verandering"],
                "rows": [
                    ["Gedeelde visie op de doelgroep", 11, 4.0, 3.5, "+0,5"],
                    ["Informatiedeling tussen partners", 11, 3.0, 3.0, "0"],
                    ["Betrokkenheid van jongeren en ouders", 3, None, None, None],
                    ["Duidelijke rolverdeling in het cliëntoverleg", 9, 3.5, 4.0, "−0,5"],
                ],
                "total": None,
                "count_columns": [1],
                "chart": None,
            }
        ],
        "facts": [
            {"label": "Deelnemende organisaties", "value": 11, "is_count": True},
            {"label": "Ronde afgesloten op", "value": "30/06/2026", "is_count": False},
        ],
    },
    {
        "key": "partner_load",
        "title": "Belasting van de partners",
        "intro": "Hoeveel netwerken, overlegorganen en vergaderingen elke lidorganisatie in de periode op haar bord kreeg.",
        "definition": "Per lidorganisatie: het aantal netwerken waarvan ze lid is, de overlegorganen waarin ze zetelt en de vergaderingen waarvoor ze in de periode was uitgenodigd.",
        "tables": [
            {
                "key": "partner_load_by_organisation",
                "title": "Belasting per lidorganisatie",
                "columns": ["Organisatie", "Netwerken", "Overlegorganen", "Vergaderingen uitgenodigd"],
                "rows": [
                    ["CAW Oost-Vlaanderen", 4, 6, 21],
                    ["CLB GO! Waasland", 2, 3, 9],
                    ["OCMW Sint-Niklaas", 1, 2, 7],
                    ["Jeugdhulp Het Anker vzw", 3, 4, 15],
                    ["Politiezone Waasland-Noord", 1, 1, 3],
                ],
                "total": None,
                "count_columns": [1, 2, 3],
                "chart": {"type": "bar", "label_column": 0, "value_column": 3},
            }
        ],
        "facts": [],
    },
]


def sample_snapshot(kind: str = "rtj", scope_type: str = "network") -> dict:
    """A snapshot for one network of ``kind``, or (scope_type="region") for the whole region."""
    if scope_type == "region":
        scope = {
            "type": "region",
            "id": 1,
            "name": REGION,
            "kind": None,
            "kind_label": None,
            "region": REGION,
        }
        networks = [
            {"id": number, "name": name, "kind": network_kind}
            for number, (network_kind, (name, _label)) in enumerate(KINDS.items(), start=3)
        ]
    else:
        name, label = KINDS[kind]
        scope = {
            "type": "network",
            "id": 3,
            "name": name,
            "kind": kind,
            "kind_label": label,
            "region": REGION,
        }
        networks = [{"id": 3, "name": name, "kind": kind}]
    return {
        "schema": 1,
        "generated_from": "2027-01-04",
        "scope": scope,
        "period": {
            "year": 2026,
            "half": 2,
            "start": "2026-07-01",
            "end": "2026-12-31",
            "label": "juli–december 2026",
        },
        "networks": networks,
        "sections": copy.deepcopy(SECTIONS),
    }


def large_snapshot(rows: int = 40, kind: str = "rtj") -> dict:
    """``sample_snapshot`` with every table ``rows`` rows long (counts include small ones)."""
    snapshot = sample_snapshot(kind)
    for section in snapshot["sections"]:
        for table in section["tables"]:
            template = table["rows"][0]
            table["rows"] = [
                [
                    f"{template[0]} {index:02d}" if column == 0 else _filler(template[column], index, column)
                    for column in range(len(template))
                ]
                for index in range(1, rows + 1)
            ]
            if table["total"]:
                table["total"] = [
                    "Totaal",
                    *[
                        sum(row[column] for row in table["rows"])
                        if column in table["count_columns"]
                        else table["total"][column]
                        for column in range(1, len(template))
                    ],
                ]
    return snapshot


def _filler(example, index: int, column: int):
    if isinstance(example, int):
        return (index * 7 + column * 3) % 23  # 0 to 22, a few of them 1 to 4
    return example


def sample_narrative(*, status: str = "final", version: int = 2) -> dict:
    return {
        "bottlenecks": (
            "Wachttijden bij de brede instap liepen in het najaar op tot zes weken.\n\n"
            "Partners uit onderwijs en politie haken af op overleg tijdens de schooluren."
        ),
        "good_practices": "Het gezamenlijke onthaalmoment in Sint-Niklaas bracht drie sectoren samen rond één aanmelding.",
        "conclusions": "De stuurgroep vraagt extra middelen voor de brede instap en plant het overleg voortaan na 16 uur.",
        "version": version,
        "status": status,
    }
