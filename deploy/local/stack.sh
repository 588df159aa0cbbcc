#!/usr/bin/env bash
# Local stack for machines without Docker: one Apache Kafka node (KRaft, jars from Maven Central)
# and one Redis, both bound to 127.0.0.1, state under deploy/local/.state.
#
#   stack.sh up       start what is not running, wait until ready, print KAFKA_BROKERS / REDIS_URL
#   stack.sh down     stop both (TERM, then KILL after a timeout)
#   stack.sh status   what runs where; exit 0 when both are up, 3 otherwise
#   stack.sh reset    down, then wipe all state (topics, offsets, Redis data)
#   stack.sh tool <main-class> [args...]   run a Kafka tool class (e.g. ProducerPerformance)
#
# Env: VIGIE_KAFKA_PORT (19092), VIGIE_KAFKA_CONTROLLER_PORT (19093), VIGIE_REDIS_PORT (16379),
#      VIGIE_STACK_TIMEOUT (seconds to wait for readiness, 120).
# Messages go to stderr; stdout carries only the KEY=value lines, so `eval "$(stack.sh up)"` works.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIB="$HERE/.kafka/lib"
STATE="${VIGIE_STACK_STATE_DIR:-$HERE/.state}"
KAFKA_STATE="$STATE/kafka"
REDIS_STATE="$STATE/redis"
KAFKA_PID="$STATE/kafka.pid"
# Written once the broker answered a metadata request; lets `up` skip the probe when already up.
KAFKA_READY="$STATE/kafka.ready"
REDIS_PID="$STATE/redis.pid"
# Ports of the running stack, recorded at start: down/status/up-when-up must not trust the current env.
PORTS_FILE="$STATE/ports.env"

KAFKA_PORT="${VIGIE_KAFKA_PORT:-19092}"
CONTROLLER_PORT="${VIGIE_KAFKA_CONTROLLER_PORT:-19093}"
REDIS_PORT="${VIGIE_REDIS_PORT:-16379}"
TIMEOUT="${VIGIE_STACK_TIMEOUT:-120}"
STOP_TIMEOUT=30

say() { echo "stack: $*" >&2; }
die() { echo "stack: ERROR: $*" >&2; exit 1; }

# --- prerequisites -------------------------------------------------------------------------------

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || die "$1 is missing and apt-get is not available: install $* yourself"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "$1 is missing: install it (apt-get install $*) or run as root"
    sudo=(sudo)
  fi
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq >&2
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >&2
}

java_major() { java -version 2>&1 | sed -nE '1s/.*version "([0-9]+).*/\1/p'; }

ensure_java() {
  if ! command -v java >/dev/null || [ "$(java_major)" -lt 17 ]; then
    say "Kafka 4 needs Java 17+: installing openjdk-17-jre-headless"
    apt_install openjdk-17-jre-headless
  fi
}

ensure_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return
  say "redis-server not found: installing Debian's redis-server (the service it registers is not used)"
  apt_install redis-server redis-tools
}

# Copies Kafka's runtime classpath from Maven into .kafka/lib, once per version of pom.xml.
resolve_kafka() {
  local stamp="$LIB/.pom.sha256" want
  want="$(sha256sum "$HERE/pom.xml" | cut -d' ' -f1)"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return
  command -v mvn >/dev/null || { say "Maven not found: installing it"; apt_install maven; }
  say "resolving Kafka jars with Maven (first run downloads ~45 MB into ~/.m2)..."
  local tmp="$HERE/.kafka/lib.tmp"
  rm -rf "$tmp"
  # outputDirectory must be absolute: Maven resolves relative paths against the pom's folder.
  mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" >&2 \
    || die "Maven could not resolve deploy/local/pom.xml (is Maven Central reachable?)"
  echo "$want" >"$tmp/.pom.sha256"
  rm -rf "$LIB" && mv "$tmp" "$LIB"
}

# --- process bookkeeping -------------------------------------------------------------------------

# Prints the pid recorded in $1 if that process is alive and its command line contains $2
# (so a recycled pid is not mistaken for ours); removes a stale pid file.
live_pid() {
  local file="$1" marker="$2" pid cmdline=""
  [ -f "$file" ] || return 1
  pid="$(cat "$file")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  if [[ "$cmdline" == *"$marker"* ]]; then
    echo "$pid"
    return 0
  fi
  rm -f "$file"
  return 1
}
kafka_pid() { live_pid "$KAFKA_PID" "kafka.Kafka"; }
redis_pid() { live_pid "$REDIS_PID" "redis-server"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Ports of the running stack if recorded, else those asked for by the env.
load_ports() {
  if [ -f "$PORTS_FILE" ] && { kafka_pid >/dev/null || redis_pid >/dev/null; }; then
    # shellcheck disable=SC1090
    . "$PORTS_FILE"
  fi
}

save_ports() {
  printf 'KAFKA_PORT=%s\nCONTROLLER_PORT=%s\nREDIS_PORT=%s\n' "$KAFKA_PORT" "$CONTROLLER_PORT" "$REDIS_PORT" >"$PORTS_FILE"
}

stop_pid() {
  local name="$1" pid="$2" waited=0
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge "$STOP_TIMEOUT" ]; then
      say "$name did not stop within ${STOP_TIMEOUT}s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

# --- Kafka ---------------------------------------------------------------------------------------

# JVM options shared by the broker and the tools: Kafka's classpath, logging to file $1.
set_jvm_opts() {
  JVM_OPTS=(-Xshare:auto -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$HERE/log4j2.properties" -Dvigie.log.file="$1" -cp "$LIB/*")
}

java_cmd() { # <log file> <main class> [args...]; extra JVM flags in $JVM_EXTRA
  set_jvm_opts "$1"; shift
  # shellcheck disable=SC2086 # JVM_EXTRA is a list of flags
  java ${JVM_EXTRA:-} "${JVM_OPTS[@]}" "$@"
}

write_server_properties() {
  mkdir -p "$KAFKA_STATE/data"
  # Static voters (not --standalone's dynamic quorum): the controller port is not baked into the
  # formatted storage, so ports can change between runs.
  cat >"$KAFKA_STATE/server.properties" <<EOF
# Written by deploy/local/stack.sh at each start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_STATE/data
# Topics come from the catalogue (npm run topics:create), never from a typo in a producer.
auto.create.topics.enable=false
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
# Fewer offset partitions than the default 50: a faster first consumer group on a small machine.
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Tests create many short-lived groups: do not wait 3 s for more members to join.
group.initial.rebalance.delay.ms=0
EOF
}

format_storage_once() {
  [ -f "$KAFKA_STATE/data/meta.properties" ] && return
  local cluster_id
  cluster_id="$(JVM_EXTRA="$QUICK_JVM" java_cmd "$KAFKA_STATE/tools.log" kafka.tools.StorageTool random-uuid)"
  say "formatting Kafka storage (cluster id $cluster_id)"
  JVM_EXTRA="$QUICK_JVM" java_cmd "$KAFKA_STATE/tools.log" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$KAFKA_STATE/server.properties" >&2 \
    || die "formatting Kafka storage failed; see $KAFKA_STATE/tools.log"
}

start_kafka() {
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by another process (set VIGIE_KAFKA_PORT)"
  port_open "$CONTROLLER_PORT" && die "port $CONTROLLER_PORT is taken by another process (set VIGIE_KAFKA_CONTROLLER_PORT)"
  write_server_properties
  format_storage_once
  say "starting Kafka on 127.0.0.1:$KAFKA_PORT (controller $CONTROLLER_PORT)"
  # setsid: the broker outlives the shell (and its Ctrl-C) that started it; `down` stops it by pid.
  set_jvm_opts "$KAFKA_STATE/server.log"
  nohup setsid java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 "${JVM_OPTS[@]}" \
    kafka.Kafka "$KAFKA_STATE/server.properties" >"$KAFKA_STATE/stdout.log" 2>&1 </dev/null 9>&- &
  echo $! >"$KAFKA_PID"
  rm -f "$KAFKA_READY"
}

# Short-lived JVMs (probe, storage format) start faster with C1 only and the serial collector.
QUICK_JVM="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

# Ready means the broker answered a metadata request (TopicCommand --list), not just an open port.
wait_kafka() {
  local deadline=$((SECONDS + TIMEOUT)) probe="$KAFKA_STATE/probe.properties"
  printf 'request.timeout.ms=5000\ndefault.api.timeout.ms=8000\n' >"$probe"
  while :; do
    kafka_pid >/dev/null || die "Kafka exited during start; see $KAFKA_STATE/server.log and $KAFKA_STATE/stdout.log"
    if port_open "$KAFKA_PORT" && JVM_EXTRA="$QUICK_JVM" java_cmd "$KAFKA_STATE/tools.log" org.apache.kafka.tools.TopicCommand \
      --bootstrap-server "127.0.0.1:$KAFKA_PORT" --command-config "$probe" --list >/dev/null 2>&1; then
      echo "$(kafka_pid)" >"$KAFKA_READY"
      return 0
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "Kafka not ready after ${TIMEOUT}s; see $KAFKA_STATE/server.log"
    sleep 1
  done
}

# --- Redis ---------------------------------------------------------------------------------------

start_redis() {
  port_open "$REDIS_PORT" && die "port $REDIS_PORT is taken by another process (set VIGIE_REDIS_PORT)"
  mkdir -p "$REDIS_STATE"
  say "starting Redis on 127.0.0.1:$REDIS_PORT"
  # Redis state is derived and rebuilt from Kafka: no RDB snapshots, no AOF.
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --dir "$REDIS_STATE" --pidfile "$REDIS_PID" --logfile "$REDIS_STATE/redis.log" \
    --save '' --appendonly no >&2 9>&- || die "redis-server failed to start; see $REDIS_STATE/redis.log"
}

redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

wait_redis() {
  local deadline=$((SECONDS + TIMEOUT))
  until redis_ready; do
    [ "$SECONDS" -lt "$deadline" ] || die "Redis not ready after ${TIMEOUT}s; see $REDIS_STATE/redis.log"
    sleep 0.2
  done
}

# --- commands ------------------------------------------------------------------------------------

print_env() {
  echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
  echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
}

cmd_up() {
  local started=$SECONDS kpid rpid
  load_ports
  if kpid="$(kafka_pid)"; then
    say "Kafka already running (pid $kpid) on 127.0.0.1:$KAFKA_PORT"
  else
    ensure_java
    resolve_kafka
    start_kafka
  fi
  if rpid="$(redis_pid)"; then
    say "Redis already running (pid $rpid) on 127.0.0.1:$REDIS_PORT"
  else
    ensure_redis
    start_redis
  fi
  save_ports
  wait_redis
  # A broker this script already saw ready (same pid) and still listening needs no JVM probe.
  if ! { [ -f "$KAFKA_READY" ] && [ "$(cat "$KAFKA_READY")" = "$(kafka_pid)" ] && port_open "$KAFKA_PORT"; }; then
    wait_kafka
  fi
  say "ready in $((SECONDS - started))s (logs: $KAFKA_STATE/server.log, $REDIS_STATE/redis.log)"
  print_env
}

cmd_down() {
  local pid
  if pid="$(kafka_pid)"; then stop_pid Kafka "$pid"; else say "Kafka not running"; fi
  if pid="$(redis_pid)"; then stop_pid Redis "$pid"; else say "Redis not running"; fi
  rm -f "$KAFKA_PID" "$REDIS_PID" "$KAFKA_READY"
}

cmd_status() {
  local up=0 pid
  load_ports
  if pid="$(kafka_pid)" && port_open "$KAFKA_PORT"; then
    echo "kafka: up (pid $pid) on 127.0.0.1:$KAFKA_PORT, controller 127.0.0.1:$CONTROLLER_PORT"
    up=$((up + 1))
  elif [ -n "${pid:-}" ]; then
    echo "kafka: starting (pid $pid), not listening on 127.0.0.1:$KAFKA_PORT yet"
  else
    echo "kafka: down"
  fi
  pid=""
  if pid="$(redis_pid)" && redis_ready; then
    echo "redis: up (pid $pid) on 127.0.0.1:$REDIS_PORT"
    up=$((up + 1))
  elif [ -n "${pid:-}" ]; then
    echo "redis: running (pid $pid) but not answering PING on 127.0.0.1:$REDIS_PORT"
  else
    echo "redis: down"
  fi
  if [ "$up" -eq 2 ]; then print_env; return 0; fi
  return 3
}

cmd_reset() {
  cmd_down
  say "wiping $STATE"
  rm -rf "$STATE"
}

cmd_tool() {
  [ $# -ge 1 ] || die "usage: stack.sh tool <main-class> [args...]"
  ensure_java
  resolve_kafka
  mkdir -p "$KAFKA_STATE"
  java_cmd "$KAFKA_STATE/tools.log" "$@"
}

main() {
  local cmd="${1:-}"
  [ $# -gt 0 ] && shift
  case "$cmd" in
    up | down | reset) ;;
    status) cmd_status; return ;;
    tool) cmd_tool "$@"; return ;;
    *) echo "usage: stack.sh up|down|status|reset|tool <main-class> [args...]" >&2; exit 2 ;;
  esac
  mkdir -p "$STATE"
  # One stack command at a time: a test run and a CI script may both call `up`. The daemons are
  # started with fd 9 closed, or they would hold the lock for their whole life.
  exec 9>"$STATE/.lock"
  flock -w $((TIMEOUT + STOP_TIMEOUT)) 9 || die "another stack.sh is still running (lock $STATE/.lock)"
  "cmd_$cmd"
}

main "$@"
