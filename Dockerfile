# syntax=docker/dockerfile:1
# Production image for IJH Netwerken: one image for web (gunicorn), Celery worker, Celery beat
# and the one-shot migrate job; docker-compose.yml picks the command.
#
#   docker build -t ijh-netwerken .
#
# Stages: `runtime` has only what the running code needs (Python, WeasyPrint's system libraries,
# fonts); `build` adds gettext, creates the virtualenv, compiles translations and collects static
# files; the final stage copies the results onto `runtime`. Every dependency installs from a
# binary wheel, so no compiler is needed in any stage.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS runtime

# Shared libraries WeasyPrint loads through cffi (Pango, HarfBuzz and its subsetter for PDF font
# embedding) and a font so reports render without a desktop font set.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH \
    VAR_DIR=/srv/var \
    MEDIA_ROOT=/srv/private \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app


FROM runtime AS build

# msgfmt for compilemessages; only needed here, not in the final image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv

# Dependencies first, so a code change does not reinstall them. The project itself is not a
# package (pyproject has `packages = []`), so instead of building and installing an empty
# distribution with `pip install .` (which would need README.md in the context and an unpinned
# setuptools from the index) we install exactly the pinned direct dependencies from
# pyproject.toml, with every transitive version held by the constraints file.
COPY requirements/constraints.txt requirements/constraints.txt
COPY pyproject.toml .
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt -c requirements/constraints.txt \
    && rm /tmp/requirements.txt

COPY . .

# DEBUG=0 selects whitenoise's compressed manifest storage, which is what production serves from.
# The SECRET_KEY is a throwaway: nothing signed at build time survives into the image. VAR_DIR
# points at /tmp so the SQLite file settings creates for an unset DATABASE_URL stays out of /srv.
# `mkdir -p locale`: compilemessages errors out when no locale directory exists at all, and git
# does not keep the empty LOCALE_PATHS folder until a .po file is committed.
RUN mkdir -p locale \
    && DEBUG=0 SECRET_KEY=build-only-not-secret VAR_DIR=/tmp/build-var \
        python manage.py compilemessages \
    && DEBUG=0 SECRET_KEY=build-only-not-secret VAR_DIR=/tmp/build-var \
        python manage.py collectstatic --noinput \
    && rm -rf /tmp/build-var


FROM runtime

# Unprivileged user. The code stays owned by root (read-only for the app); only the two data
# directories are writable. Named volumes mounted on them start with this ownership.
# The home directory gives fontconfig a writable cache when WeasyPrint renders.
RUN useradd --create-home --uid 10001 --user-group --shell /usr/sbin/nologin app \
    && mkdir -p /srv/var /srv/private \
    && chown app:app /srv/var /srv/private

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app

USER app

EXPOSE 8000

# 200 only when the database and the broker answer (ijh.views.health). The Host header is the
# first entry of ALLOWED_HOSTS, else Django answers 400; X-Forwarded-Proto keeps
# SECURE_SSL_REDIRECT from turning the probe into a 301 (settings trust that header).
# Only meaningful for the web service; docker-compose.yml overrides it for the others.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; hosts = [h.strip().lstrip('.') for h in os.environ.get('ALLOWED_HOSTS', 'localhost').split(',') if h.strip() not in ('', '*')]; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/health/', headers={'Host': (hosts or ['localhost'])[0], 'X-Forwarded-Proto': 'https'}), timeout=8)"]

CMD ["gunicorn", "ijh.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
