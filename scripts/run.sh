#!/usr/bin/env bash
# Starts the embedded default: migrate, demo data, a Celery worker on the filesystem broker, the dev server.
# Used by `make run` and by the CI smoke check (scripts/smoke.py), so both start the app the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export DEBUG=${DEBUG:-1}

$BIN/python manage.py migrate --noinput -v 0
$BIN/python manage.py load_demo

# A real worker beside the dev server, with the beat scheduler embedded (-B: fine for one
# machine; production runs beat as its own service). It stops when this script stops.
mkdir -p "${VAR_DIR:-var}"
$BIN/celery -A ijh worker --pool=solo --loglevel=WARNING -B --schedule "${VAR_DIR:-var}/celerybeat-schedule" &
WORKER_PID=$!
trap 'kill $WORKER_PID 2>/dev/null || true; wait $WORKER_PID 2>/dev/null || true' EXIT INT TERM

# Where the demo's mails land (issue 21 §5): files under var/mail/ unless an SMTP relay is set.
mkdir -p "${VAR_DIR:-var}/mail"
if [ -n "${EMAIL_HOST:-}" ]; then
  MAIL_INFO="  Mails (uitnodigingen, wachtwoordherstel, herinneringen) gaan via de SMTP-server ${EMAIL_HOST}:${EMAIL_PORT:-587}."
else
  MAIL_INFO="  Mails (uitnodigingen, wachtwoordherstel, herinneringen) worden niet verstuurd maar door de worker
  als .eml-bestand bewaard in $(cd "${VAR_DIR:-var}/mail" && pwd)/
  (open ze met een mailprogramma of teksteditor; de nieuwste: ls -t ${VAR_DIR:-var}/mail | head)"
fi

cat <<INFO

  IJH Netwerken draait op http://$HOST:$PORT/  (worker pid $WORKER_PID)
  Demo-aanmeldingen, wachtwoord voor allen: $($BIN/python -c 'from networks.demo import DEMO_PASSWORD; print(DEMO_PASSWORD)')
    stuurgroeplid  – lid netwerkstuurgroep (RTJ Waas en Dender)
    voorzitter     – voorzitter (RTJ Waas en Dender)
    coordinator    – coördinator (RTJ Waas en Dender, RTJ Antwerpen Stad)
    staf           – stafmedewerker regio Oost-Vlaanderen
    planmaker      – planmaker (Planmakers West-Vlaanderen)
    hulpverlener   – hulpverlener (RTJ Waas en Dender)
    meldpunt       – crisismeldpunt (Crisisnetwerk Antwerpen)
    extvoorzitter  – onafhankelijk voorzitter cliëntoverleg (RTJ Antwerpen Stad)
    beheerder      – functioneel beheerder (alle regio's; ook /beheer/ en /systeem/)
    agentschap     – Vlaamse administratie (praktijkrapportages van heel Vlaanderen, geen dossiers)
    onthaal, clb   – hulpverleners die verwijzingen ontvangen (RTJ Waas en Dender)
    crisisopvang   – aanbieder crisisopvang (Crisisnetwerk Antwerpen)
    kerngroep      – kerngroep crisis: beslist over het praktijkoverleg (Crisisnetwerk Antwerpen)
    planmakercoordinator, hulpverlener.west – planmakers West-Vlaanderen (aanmelden, toewijzen)
    trajectbegeleider, trajectbegeleider.ieper – trajectbegeleiding gedetineerden (Gevangenis Gent, Ieper)
    organisatieondersteuner – aanbod en onthaalmap van Gevangenis Gent
    beleidsmedewerker – voorzitter PMD Gevangenis Gent
  staf, beheerder en agentschap stellen bij de eerste aanmelding een authenticator-app in (TOTP).

$MAIL_INFO

INFO
# --noreload: one server process, so the trap above stops exactly what we started.
$BIN/python manage.py runserver "$HOST:$PORT" --noreload
