# OBCMS Planning & Budgeting Workbench — production image.
#
#   docker build -t obcms-workbench .
#   docker run -p 8501:8501 \
#     -e OBCMS_SECRET_KEY=<random, 32+ chars> -e OBCMS_COOKIE_KEY=<random, 32+ chars> \
#     -e OBCMS_DATABASE_URL=postgresql+psycopg://obcms:<password>@db:5432/obcms \
#     obcms-workbench
#
# Without OBCMS_DATABASE_URL the embedded SQLite database lives in the /var/lib/obcms volume.
# The API companion runs from the same image (see docs/api.md, "Running it in a container"):
#   docker run -p 8000:8000 -e ... obcms-workbench \
#     sh -c "python -m obcms_core init-db && python -m obcms_core load-reference --if-empty && exec python -m obcms_core serve-api --host 0.0.0.0"
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OBCMS_ENV=production \
    OBCMS_DATABASE_URL=sqlite:////var/lib/obcms/obcms.db

RUN groupadd --system --gid 10001 obcms \
    && useradd --system --uid 10001 --gid obcms --create-home --home-dir /home/obcms \
       --shell /usr/sbin/nologin obcms \
    && mkdir -p /var/lib/obcms \
    && chown obcms:obcms /var/lib/obcms

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. Runtime pins only.
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The code stays owned by root: the application user can read it, not change it.
COPY . .

USER obcms
VOLUME ["/var/lib/obcms"]
EXPOSE 8501 8000

# The slim image has no curl; Python's standard library asks Streamlit instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4); sys.exit(0 if r.status == 200 else 1)"]

CMD ["sh", "-c", "python -m obcms_core init-db && python -m obcms_core load-reference --if-empty && exec python -m streamlit run app.py --server.headless=true --server.address=0.0.0.0 --server.port=8501"]
