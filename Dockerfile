# The stream worker. Built by docker-compose.yml; also the image the Kubernetes manifests run.
#   docker build -t news-incident-streams:local .
#   docker run --rm -e KAFKA_BOOTSTRAP_SERVERS=broker:9092 -p 6066:6066 news-incident-streams:local
FROM python:3.11.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMS_CACHE_DIR=/var/cache/streams \
    STREAMS_DATA_DIR=/var/lib/streams \
    STREAMS_WEB_HOST=0.0.0.0 \
    STREAMS_WEB_PORT=6066

# A fixed, unprivileged uid: Kubernetes' runAsNonRoot needs a numeric user.
RUN groupadd --system --gid 10001 streams \
 && useradd --system --uid 10001 --gid streams --create-home --home-dir /home/streams \
      --shell /usr/sbin/nologin streams

WORKDIR /app

# Dependencies first, read from pyproject.toml alone, so that a code change reuses this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('/tmp/requirements.txt', 'w').write('\n'.join(deps) + '\n')" \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# The service runs from its source tree: the JSON schemas under schemas/ sit next to the
# package and are read from there (streams/schemas.py), hence the editable install.
COPY . .
RUN pip install --no-deps -e . \
 && mkdir -p "$STREAMS_CACHE_DIR" "$STREAMS_DATA_DIR" \
 && chown streams:streams "$STREAMS_CACHE_DIR" "$STREAMS_DATA_DIR"

USER 10001

# Build the gazetteer index now, so that a worker starts in seconds instead of building it.
RUN streams gazetteer build

EXPOSE 6066

# The slim image has no curl: urlopen raises (exit 1) on a refused connection or a non-2xx.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('STREAMS_WEB_PORT', '6066'), timeout=4)"]

ENTRYPOINT ["streams"]
# --no-start-broker: in a container the broker is always external (KAFKA_BOOTSTRAP_SERVERS);
# never fall back to starting a local one.
CMD ["worker", "--no-start-broker"]
