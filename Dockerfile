# One image for web (gunicorn), worker and beat (Celery); docker-compose.yml picks the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    COCREATE_VAR_DIR=/var/lib/cocreate \
    MEDIA_ROOT=/var/lib/cocreate/media \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app

RUN groupadd --system --gid 10001 cocreate \
    && useradd --system --uid 10001 --gid cocreate --home-dir /app --shell /usr/sbin/nologin cocreate

# Dependencies first: this layer is rebuilt only when the pins change.
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt -c constraints.txt

COPY . .

# Writable by the app user; the named volumes mounted here inherit this ownership on first use.
RUN mkdir -p "$STATIC_ROOT" "$MEDIA_ROOT" "$COCREATE_VAR_DIR/beat" \
    && chown -R cocreate:cocreate "$STATIC_ROOT" "$COCREATE_VAR_DIR"

USER cocreate
EXPOSE 8000

CMD ["gunicorn", "cocreate.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
