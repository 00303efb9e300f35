# The dbops worker image: the repository built with its Maven wrapper, then only the lean worker
# jar (worker/target/dbops-worker.jar: no CLI, no sandbox, no test server) on a JRE.
# docker-compose.yml builds it; `docker build -t dbops .` works on its own too.
# Runs the worker (configuration from the environment: see README "Configuration").

FROM eclipse-temurin:17-jdk-jammy AS build
WORKDIR /src
COPY . .
# The worker module and what it needs (the lab is not in the image); tests run in CI, not here.
RUN ./mvnw -B -ntp -q -pl worker -am -DskipTests package

FROM eclipse-temurin:17-jre-jammy
RUN groupadd --system --gid 10001 dbops \
 && useradd --system --uid 10001 --gid dbops --home-dir /var/lib/dbops --create-home dbops
COPY --from=build /src/worker/target/dbops-worker.jar /opt/dbops/dbops-worker.jar
USER dbops
WORKDIR /var/lib/dbops
# /metrics must be reachable from Prometheus in another container, so not loopback here.
ENV DBOPS_METRICS_HOST=0.0.0.0 \
    DBOPS_METRICS_PORT=9464
EXPOSE 9464
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/dbops/dbops-worker.jar"]
