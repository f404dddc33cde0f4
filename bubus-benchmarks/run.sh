#!/usr/bin/env bash
# Builds bubus-benchmarks, runs the S1–S6 scenarios (each in its own JVM), the JMH suite
# with -prof gc and the bridge throughput harness, and writes bubus-benchmarks/RESULTS.md.
# About 10 minutes on 2 cores, plus a few minutes for the bridges.
#
#   bubus-benchmarks/run.sh                      # everything
#   SCENARIOS="s1 s5" JMH_INCLUDE=Emit BRIDGES="" bubus-benchmarks/run.sh
#   SKIP_BUILD=1 SKIP_JMH=1 bubus-benchmarks/run.sh
#   BRIDGES_ONLY=1 bubus-benchmarks/run.sh       # only the bridges; replaces only their section
#   BRIDGES_ONLY=1 BRIDGES="jsonl nats" BRIDGE_EVENTS=1000 bubus-benchmarks/run.sh
#
# Bridges: 10,000 events from one bus to another through each bridge over loopback, one JVM per
# bridge, median of BRIDGE_RUNS runs (io.bubus.benchmarks.BridgeThroughput). PostgreSQL, Redis,
# NATS and RabbitMQ must run on localhost as in shared/SERVICES.md; a bridge whose server is down
# is reported as not measured.
#
# Environment: SCENARIOS (default "s1 s2 s3 s4 s5 s6"), REPEAT (JVMs per scenario for S1-S5, default 3),
# SCENARIO_RUNS (runs of S1-S5 inside each JVM, `Scenarios --runs=N`, default 5: run 1 is the cold
# number comparable to the reference harnesses, runs 3..N the JIT-compiled warm state; the table
# shows the median cold run and the median of the warm runs over all JVMs), SCENARIO_JVM_OPTS (default -Xmx1g),
# JMH_INCLUDE (regex, default the whole io.bubus.benchmarks package), JMH_OPTS (default: fork 1,
# 3 x 1 s warm-up, 5 x 1 s measurement), SKIP_BUILD, SKIP_JMH, RESULTS (output file),
# BRIDGES (default: all eight, "" skips them), BRIDGE_EVENTS (10000), BRIDGE_RUNS (3), BRIDGES_ONLY,
# BRIDGE_BATCH (256: the bridges that can send in batches run a second time with batches of
# up to this many events; "" skips that).
# PublicationBenchmark (in the JMH suite) needs PostgreSQL as in shared/SERVICES.md: it runs when
# PostgreSQL answers on 127.0.0.1:5432 and is left out with a message otherwise.
# Raw output goes to bubus-benchmarks/target/results/.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
	export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [[ -n "${JAVA_HOME:-}" ]]; then
	export PATH="$JAVA_HOME/bin:$PATH"
fi

SCENARIOS=${SCENARIOS:-"s1 s2 s3 s4 s5 s6"}
REPEAT=${REPEAT:-3}
SCENARIO_RUNS=${SCENARIO_RUNS:-5}
SCENARIO_JVM_OPTS=${SCENARIO_JVM_OPTS:-"-Xmx1g"}
JMH_INCLUDE=${JMH_INCLUDE:-"io.bubus.benchmarks"}
JMH_OPTS=${JMH_OPTS:-"-f 1 -wi 3 -w 1s -i 5 -r 1s -jvmArgsAppend -Xmx1g"}
RESULTS=${RESULTS:-"$ROOT/bubus-benchmarks/RESULTS.md"}
BRIDGES=${BRIDGES-"jsonl http socket sqlite postgres redis nats rabbitmq"}
BRIDGE_EVENTS=${BRIDGE_EVENTS:-10000}
BRIDGE_RUNS=${BRIDGE_RUNS:-3}
BRIDGE_BATCH=${BRIDGE_BATCH-256}
BATCHING_BRIDGES="jsonl sqlite postgres rabbitmq"
if [[ -n "${BRIDGES_ONLY:-}" ]]; then
	SCENARIOS=""
	SKIP_JMH=1
fi
TARGET="$ROOT/bubus-benchmarks/target"
OUT="$TARGET/results"

if [[ -z "${SKIP_BUILD:-}" ]]; then
	echo "== build"
	./mvnw -q -pl bubus-benchmarks -am package -DskipTests -Dspring-javaformat.skip=true || exit 1
fi
CP="$TARGET/bubus-benchmarks-0.1.0-SNAPSHOT.jar:$TARGET/lib/*"

rm -rf "$OUT"
mkdir -p "$OUT"

# CPU use of everything else on the machine while we run nothing: % of all cores over 3 s.
idle_probe() {
	local a b
	read -r -a a < <(grep '^cpu ' /proc/stat)
	sleep 3
	read -r -a b < <(grep '^cpu ' /proc/stat)
	local idle=$(((b[4] + b[5]) - (a[4] + a[5])))
	local total=0 i
	for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
	if ((total <= 0)); then echo 0; else echo $(((100 * (total - idle)) / total)); fi
}

PROBES=()
probe() {
	local p
	p=$(idle_probe)
	PROBES+=("$p")
	echo "== idle probe ($1): other processes use ${p}% of the CPUs"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

LOAD_START=$(load)
probe start

for s in $SCENARIOS; do
	jvms=$REPEAT
	args=("--runs=$SCENARIO_RUNS")
	# S6 runs S1 ten times in its one JVM by itself
	if [[ "$s" == "s6" ]]; then
		jvms=1
		args=()
	fi
	for ((rep = 1; rep <= jvms; rep++)); do
		echo "== scenario $s (JVM $rep of $jvms)"
		timeout 900 java $SCENARIO_JVM_OPTS -cp "$CP" io.bubus.benchmarks.Scenarios "$s" "${args[@]}" 2>&1 \
			| grep -v '^SLF4J' | tee -a "$OUT/$s.txt"
		rc=${PIPESTATUS[0]}
		if ((rc != 0)); then
			# Report flags the scenario: a failed check (1), a timeout (124) or a crash
			echo "[run.sh] $s: exit=$rc" | tee -a "$OUT/$s.txt"
		fi
	done
done

# PublicationBenchmark needs PostgreSQL (127.0.0.1:5432, database test): without it the JMH run
# leaves that benchmark out and says so, instead of failing on it.
postgres_answers() {
	if command -v pg_isready >/dev/null; then
		pg_isready -q -h 127.0.0.1 -p 5432 -d test -t 3
	else
		timeout 3 bash -c '</dev/tcp/127.0.0.1/5432' 2>/dev/null
	fi
}

JMH_EXCLUDED=""
if [[ -z "${SKIP_JMH:-}" ]]; then
	probe "before JMH"
	echo "== JMH"
	jmh_args=()
	# JMH_INCLUDE is a regex JMH finds in the benchmark's full name, as =~ does here
	if [[ "io.bubus.benchmarks.PublicationBenchmark.emitInTransactions" =~ $JMH_INCLUDE ]] && ! postgres_answers; then
		JMH_EXCLUDED="PublicationBenchmark (PostgreSQL does not answer on 127.0.0.1:5432; start it as in SERVICES.md)"
		echo "[run.sh] JMH: leaving out $JMH_EXCLUDED" | tee "$OUT/jmh-excluded.txt"
		jmh_args=(-e PublicationBenchmark)
	fi
	java -cp "$CP" org.openjdk.jmh.Main $JMH_OPTS -prof gc -rf csv -rff "$OUT/jmh.csv" "${jmh_args[@]}" "$JMH_INCLUDE" 2>&1 \
		| grep -v '^SLF4J' | tee "$OUT/jmh.txt"
fi

if [[ -n "$BRIDGES" ]]; then
	probe "before bridges"
	BRIDGE_PROBE_START=${PROBES[-1]}
	BRIDGE_LOAD_START=$(load)
	: >"$OUT/bridges.txt"
	for b in $BRIDGES; do
		echo "== bridge $b"
		timeout 1800 java $SCENARIO_JVM_OPTS -cp "$CP" io.bubus.benchmarks.BridgeThroughput \
			--events="$BRIDGE_EVENTS" --runs="$BRIDGE_RUNS" "$b" 2>&1 \
			| grep -v '^SLF4J\|^WARNING' | tee -a "$OUT/bridges.txt"
		if [[ -n "$BRIDGE_BATCH" && " $BATCHING_BRIDGES " == *" $b "* ]]; then
			echo "== bridge $b, batches of $BRIDGE_BATCH"
			timeout 1800 java $SCENARIO_JVM_OPTS -cp "$CP" io.bubus.benchmarks.BridgeThroughput \
				--events="$BRIDGE_EVENTS" --runs="$BRIDGE_RUNS" --batch="$BRIDGE_BATCH" "$b" 2>&1 \
				| grep -v '^SLF4J\|^WARNING' | tee -a "$OUT/bridges.txt"
		fi
	done
	probe "after bridges"
	BRIDGE_BUSY=no
	for p in "$BRIDGE_PROBE_START" "${PROBES[-1]}"; do
		if ((p >= 25)); then BRIDGE_BUSY=yes; fi
	done
	{
		echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "commit=$(git rev-parse --short HEAD 2>/dev/null)"
		echo "background_cpu=$BRIDGE_PROBE_START% ${PROBES[-1]}% (before, after; share of all cores used by other processes)"
		echo "load_start=$BRIDGE_LOAD_START"
		echo "load_end=$(load)"
		echo "busy=$BRIDGE_BUSY"
	} >"$OUT/bridges-machine.txt"
fi

probe end
LOAD_END=$(load)

if [[ -n "${BRIDGES_ONLY:-}" ]]; then
	java -cp "$CP" io.bubus.benchmarks.BridgeReport "$OUT" "$RESULTS"
	exit
fi

BUSY=no
for p in "${PROBES[@]}"; do
	if ((p >= 25)); then BUSY=yes; fi
done

DIRTY=""
if [[ -n "$(git status --porcelain -- bubus-core/src/main 2>/dev/null)" ]]; then
	DIRTY=" (bubus-core built from a working tree with uncommitted changes)"
fi

{
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "nproc=$(nproc)"
	echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "memory=$(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)"
	echo "os=$(uname -sr)"
	echo "jdk=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vm.name|java.runtime.version|java.vendor.version/ {printf "%s ", $2}')"
	echo "scenario_jvm_opts=$SCENARIO_JVM_OPTS"
	echo "scenario_runs=$REPEAT JVMs x $SCENARIO_RUNS runs (REPEAT=$REPEAT SCENARIO_RUNS=$SCENARIO_RUNS)"
	echo "jmh_opts=$JMH_OPTS -prof gc"
	if [[ -n "$JMH_EXCLUDED" ]]; then echo "jmh_excluded=$JMH_EXCLUDED"; fi
	echo "commit=$(git rev-parse --short HEAD 2>/dev/null)$DIRTY"
	echo "background_cpu=$(printf '%s%% ' "${PROBES[@]}")(in run order: start, before JMH, before and after the bridges, end; share of all cores used by other processes)"
	echo "load_start=$LOAD_START"
	echo "load_end=$LOAD_END"
	echo "busy=$BUSY"
} >"$OUT/machine.txt"

java -cp "$CP" io.bubus.benchmarks.Report "$OUT" "$RESULTS"
if [[ -n "$JMH_EXCLUDED" ]]; then
	printf '\nJMH left out %s.\n' "$JMH_EXCLUDED" >>"$RESULTS"
fi
