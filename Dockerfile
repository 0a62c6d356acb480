# dsrbot: build with cgo (the SQLite driver is C), run as a non-root user
# with the database on a volume. Debian on both sides keeps glibc the same.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/dsrbot ./cmd/dsrbot

FROM debian:bookworm-slim
# ca-certificates for the Slack Web API over HTTPS; time zones are compiled
# into the binary (time/tzdata).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin dsrbot \
 && mkdir -p /data && chown dsrbot:dsrbot /data
COPY --from=build /out/dsrbot /usr/local/bin/dsrbot
USER dsrbot
ENV DSRBOT_DB=/data/dsrbot.db \
    DSRBOT_ADDR=:8080
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["dsrbot"]
CMD ["serve"]
