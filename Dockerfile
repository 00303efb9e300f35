# The dbops worker image: the repository built with its Maven wrapper, then only the lean worker
# jar (worker/target/dbops-worker.jar, main class dev.dbops.worker.WorkerMain) on a JRE.
# docker-compose.yml builds it; `docker build -t dbops-worker .` works on its own too.
# Configuration from the environment: see README "Configuration". No lab code (sandbox, test
# server, MariaDB) is in this image; the sandbox has its own (Dockerfile.sandbox).

FROM eclipse-temurin:17.0.13_11-jdk-jammy AS build
WORKDIR /src
COPY . .
# The worker module and what it needs; tests run in CI, not here.
RUN ./mvnw -B -ntp -q -pl worker -am -DskipTests package

FROM eclipse-temurin:17.0.13_11-jre-jammy
# The paths the worker reads or writes files at (README "Configuration"), owned by the worker's
# user so a named volume mounted there starts with that owner.
RUN groupadd --system --gid 10001 dbops \
 && useradd --system --uid 10001 --gid dbops --home-dir /var/lib/dbops --create-home dbops \
 && mkdir -p /var/lib/dbops/downloads /etc/dbops/hooks /etc/dbops/masking /etc/dbops/secrets \
 && chown dbops:dbops /var/lib/dbops/downloads /etc/dbops/hooks /etc/dbops/masking /etc/dbops/secrets \
 && chmod 0700 /etc/dbops/secrets
COPY --from=build /src/worker/target/dbops-worker.jar /opt/dbops/dbops-worker.jar
USER dbops
WORKDIR /var/lib/dbops
# /metrics, /healthz and /readyz must be reachable from other containers, so not loopback here.
ENV DBOPS_METRICS_HOST=0.0.0.0 \
    DBOPS_METRICS_PORT=9464
EXPOSE 9464
# The JRE image has no curl: bash's /dev/tcp sends the request; 200 on the status line = healthy.
# The start period covers connecting to Temporal (the endpoint serves once connected).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${DBOPS_METRICS_PORT} && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/dbops/dbops-worker.jar"]
