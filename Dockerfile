# syntax=docker/dockerfile:1
#
# The mmap playground for a classroom: one static binary serving the page,
# the API and the streams, as a non-root user in a distroless image.
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

# distroless/static: no shell, no package manager, a nonroot user (65532)
# and a writable /tmp; the binary needs nothing else.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/playground /usr/local/bin/playground
USER nonroot:nonroot
ENV PLAYGROUND_ADDR=:8080 \
    PLAYGROUND_LOG=json
EXPOSE 8080
# The image has no curl: the binary asks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 \
    CMD ["/usr/local/bin/playground", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/playground"]
CMD ["serve"]
