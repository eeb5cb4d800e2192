# biebvoucher: the NiceGUI server on port 8080. The database, the logs and NiceGUI's
# storage folder live in the volume /data.
#
# Without further settings the container runs in demo mode with the published storage
# secret. For real use pass BIEBVOUCHER_DEMO=false and BIEBVOUCHER_STORAGE_SECRET, and serve
# it over HTTPS, because cookies are marked Secure outside demo mode.

# The desk camera's QR reader comes from the npm registry (package-lock.json pins it). Only
# its two packages reach the image; the build stage with Node is left behind.
FROM node:22-slim AS browser-libraries
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 --user-group biebvoucher \
    && mkdir /data \
    && chown biebvoucher:biebvoucher /data

WORKDIR /app

# requirements.lock pins the app's packages with hashes; the test tools are only in
# requirements-dev.lock.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY alembic.ini main.py ./
COPY locale/ locale/
COPY migrations/ migrations/
COPY models/ models/
COPY services/ services/
COPY ui/ ui/
# The user manual, which the app shows at /help with its screenshots.
COPY docs/handleiding/ docs/handleiding/
COPY --from=browser-libraries /build/node_modules/barcode-detector/ node_modules/barcode-detector/
COPY --from=browser-libraries /build/node_modules/zxing-wasm/ node_modules/zxing-wasm/

ENV BIEBVOUCHER_HOST=0.0.0.0 \
    BIEBVOUCHER_PORT=8080 \
    BIEBVOUCHER_DATA_DIR=/data \
    NICEGUI_STORAGE_PATH=/data/.nicegui

# A named volume starts out with the ownership of /data above. A bind-mounted host folder
# keeps its own ownership, so it must be writable for uid 10001.
VOLUME ["/data"]
USER biebvoucher
EXPOSE 8080

# /healthz returns 503 when the database does not answer or queued mail is more than 15
# minutes overdue. The slim image has no curl; urlopen raises (and so exits non-zero) on a
# refused connection, a timeout or an HTTP error status.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('BIEBVOUCHER_PORT', '8080') + '/healthz', timeout=4)"]

# main.py runs the database migrations before it starts the server. On PostgreSQL an
# advisory lock lets instances that start together migrate one after the other.
CMD ["python", "main.py"]
