FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KYU_HOST=0.0.0.0 \
    KYU_PORT=4566 \
    KYU_DATA=/data/kyu.sqlite3

RUN useradd --create-home --uid 10001 kyu && mkdir /data && chown kyu /data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY emulator ./emulator
COPY storage ./storage
# The README's install command.
RUN python -m pip install --no-cache-dir .

USER kyu
VOLUME ["/data"]
EXPOSE 4566
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=5 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:4566/_kyu/health', timeout=2).status == 200 else 1)"
CMD ["kyu", "serve"]
