# syntax=docker/dockerfile:1
#
# The mmap playground for a classroom: one static binary serving the page,
# the API and the streams, as a non-root user in a Debian image with gcc
# (the real engine builds the program).
#
#   docker build -t mmap-playground .
#   docker run --rm -p 8080:8080 mmap-playground
#
# Settings are environment variables (docs/limits.md); docker-compose.yml
# has a classroom's.

FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/playground ./cmd/playground

# Debian with gcc and the C library's headers: the real engine builds each
# program with the host's compiler and runs gcc's build under ptrace. The
# user is distroless's nonroot (65532), as in deploy/Containerfile.offline.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/playground /usr/local/bin/playground
USER 65532:65532
ENV PLAYGROUND_ADDR=:8080 \
    PLAYGROUND_LOG=json
EXPOSE 8080
# The image has no curl: the binary asks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 \
    CMD ["/usr/local/bin/playground", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/playground"]
CMD ["serve"]
