# The ETL in a container: a Prefect process worker by default, or `etl serve` (README, "Deploying").
#
#   docker build -t peoples-daily-etl .
#   docker run -d -v etl-data:/data -e PREFECT_API_URL=http://prefect:4200/api peoples-daily-etl
#   docker run -d -v etl-data:/data peoples-daily-etl etl serve
#
# The warehouse and the raw-page archive live in the /data volume (ETL_DB); deployments are created
# with `prefect deploy --all` run in /app, where prefect.yaml and the flow files are.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ETL_DB=/data/peoples_daily.duckdb \
    PREFECT_HOME=/data/prefect \
    PREFECT_SERVER_ANALYTICS_ENABLED=false

RUN useradd --create-home --uid 10001 etl \
    && mkdir -p /data \
    && chown etl /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
COPY flows ./flows
COPY warehouse ./warehouse
# A regular (non-editable) install: the schema and the extractor's data travel inside the package.
RUN pip install --no-cache-dir . && etl --help > /dev/null
COPY prefect.yaml ./

USER etl
VOLUME ["/data"]
CMD ["prefect", "worker", "start", "--pool", "peoples-daily", "--type", "process"]
