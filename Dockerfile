# One image for web, worker and beat.
FROM node:20-bookworm-slim AS frontend
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app/platform:/app \
    DJANGO_SETTINGS_MODULE=atelier.settings \
    ATELIER_DATA_DIR=/data \
    STATIC_ROOT=/app/static
WORKDIR /app
COPY pyproject.toml ./
COPY manage.py ./
COPY platform/ platform/
COPY annotations/ annotations/
COPY workers/ workers/
RUN pip install --no-cache-dir .
COPY --from=frontend /app/frontend/dist frontend/dist
RUN DEBUG=false SECRET_KEY=build-only-collectstatic python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --home /app atelier \
    && mkdir -p /data && chown atelier /data
USER atelier
EXPOSE 8000
CMD ["gunicorn", "atelier.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
