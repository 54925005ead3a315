FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY factcheck/ factcheck/
COPY articles/ articles/
RUN pip install .

COPY . .
RUN DJANGO_DEBUG=1 python manage.py collectstatic --no-input \
    && useradd --system --home /app factcheck && chown -R factcheck /app
USER factcheck

EXPOSE 8000
CMD ["gunicorn", "factcheck.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
