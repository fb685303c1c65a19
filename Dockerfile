FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    KYU_HOST=0.0.0.0 \
    KYU_PORT=4566 \
    KYU_DATA=/data/kyu.sqlite3

RUN useradd --create-home --uid 10001 kyu && mkdir /data && chown kyu /data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY emulator ./emulator
COPY storage ./storage
# The README's install command, word for word (tests/e2e/test_container.py checks it).
RUN python -m pip install .

USER kyu
VOLUME ["/data"]
EXPOSE 4566
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=5 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('KYU_PORT', '4566') + '/_kyu/health', timeout=2)"
# The README's run command; KYU_* variables configure it (KYU_CONFIG for a bootstrap file).
CMD ["kyu", "serve"]
