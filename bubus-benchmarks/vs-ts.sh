#!/usr/bin/env bash
# S1–S5 of the bubus reference harness, bubus-ts and this bus interleaved in one run on this machine:
# for each round and scenario, bubus-ts's own harness (tests/performance.runtime.ts, one Node process per
# scenario) and then a fresh JVM running the same scenario SCENARIO_RUNS times (run 1 = cold, as the
# reference runs it; median of runs 3.. = warm). Prints the median over ROUNDS of each and the ratios.
#
#   BUBUS_TS_DIR=/path/to/bubus-ts NODE=/path/to/node bubus-benchmarks/vs-ts.sh
#
# BUBUS_TS_DIR: a bubus-ts 2.3.2 checkout with its locked dependencies installed and `pnpm run build` done
# (bubus-interop-tests/install-peers.sh installs one, with Node 22, under bubus-interop-tests/target/peers).
# Environment: ROUNDS (3), SCENARIO_RUNS (5), SCENARIOS ("s1 s2 s3 s4 s5"), SKIP_BUILD, AOT (1: also run each
# scenario's fresh JVM with a JDK AOT cache, -XX:AOTCache, made once per scenario by a training run beforehand:
# what a user gets from `-XX:AOTCacheOutput` on JDK 25; its cold run is the "AOT cold" column).
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
	export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
[[ -n "${JAVA_HOME:-}" ]] && export PATH="$JAVA_HOME/bin:$PATH"
: "${BUBUS_TS_DIR:?set BUBUS_TS_DIR to a built bubus-ts checkout}"
NODE=${NODE:-node}
ROUNDS=${ROUNDS:-3}
SCENARIO_RUNS=${SCENARIO_RUNS:-5}
SCENARIOS=${SCENARIOS:-"s1 s2 s3 s4 s5"}
OUT="$ROOT/bubus-benchmarks/target/vs-ts"
mkdir -p "$OUT"

if [[ -z "${SKIP_BUILD:-}" ]]; then
	./mvnw -q -pl bubus-benchmarks -am package -DskipTests -Dspring-javaformat.skip=true || exit 1
fi
CP="$ROOT/bubus-benchmarks/target/bubus-benchmarks-0.1.0-SNAPSHOT.jar:$ROOT/bubus-benchmarks/target/lib/*"

ts_name() {
	case $1 in
	s1) echo 50k-events ;;
	s2) echo 500-buses-x-100-events ;;
	s3) echo 1-event-x-50k-parallel-handlers ;;
	s4) echo 50k-one-off-handlers ;;
	s5) echo worst-case-forwarding-timeouts ;;
	esac
}

# The latencies (ms per event, or per handler for S3) a harness printed, one per line, in run order: total / count
# where the line has both (the printed latency has 3 decimals, too few for a warm JVM), else the printed latency.
latencies() {
	awk '/latency=/ {
		lat = ""; total = ""; events = ""; handlers = ""; per_handler = 0
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^latency=/) { lat = substr($i, 9); per_handler = ($i ~ /handler/); sub(/ms.*/, "", lat) }
			else if ($i ~ /^total=/) { total = substr($i, 7); sub(/ms$/, "", total) }
			else if ($i ~ /^events=/) { events = substr($i, 8) }
			else if ($i ~ /^handlers=/) { handlers = substr($i, 10) }
		}
		count = per_handler ? handlers : events
		if (total != "" && count + 0 > 0) printf "%.6f\n", total / count; else print lat
	}'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else print v[int((NR + 1) / 2)] }'; }

if [[ -n "${AOT:-}" ]]; then
	for s in $SCENARIOS; do
		echo "== AOT training run: $s"
		timeout 900 java -Xmx1g -XX:AOTCacheOutput="$OUT/$s.aot" -cp "$CP" io.bubus.benchmarks.Scenarios "$s" \
			--runs="$SCENARIO_RUNS" >"$OUT/$s-aot-training.txt" 2>&1 || echo "AOT training of $s failed: see $OUT/$s-aot-training.txt"
	done
fi

for ((round = 1; round <= ROUNDS; round++)); do
	for s in $SCENARIOS; do
		echo "== round $round: $s bubus-ts"
		(cd "$BUBUS_TS_DIR" && NODE_OPTIONS=--expose-gc timeout 900 "$NODE" --expose-gc --import tsx \
			tests/performance.runtime.ts --scenario "$(ts_name "$s")") 2>&1 | tee "$OUT/$s-ts-$round.txt" | grep latency
		echo "== round $round: $s Java"
		timeout 900 java -Xmx1g -cp "$CP" io.bubus.benchmarks.Scenarios "$s" --runs="$SCENARIO_RUNS" 2>&1 \
			| grep -v '^SLF4J' | tee "$OUT/$s-java-$round.txt" | grep latency
		if [[ -n "${AOT:-}" && -f "$OUT/$s.aot" ]]; then
			echo "== round $round: $s Java with AOT cache"
			timeout 900 java -Xmx1g -XX:AOTCache="$OUT/$s.aot" -cp "$CP" io.bubus.benchmarks.Scenarios "$s" \
				--runs="$SCENARIO_RUNS" 2>&1 | grep -v '^SLF4J' | tee "$OUT/$s-aot-$round.txt" | grep latency
		fi
	done
done

if [[ -n "${AOT:-}" ]]; then
	printf '\n| scenario | bubus-ts ms | Java cold ms | Java warm ms | cold × | warm × | AOT cold ms | AOT cold × |\n|---|---|---|---|---|---|---|---|\n'
else
	printf '\n| scenario | bubus-ts ms | Java cold ms | Java warm ms | cold × | warm × |\n|---|---|---|---|---|---|\n'
fi
for s in $SCENARIOS; do
	ts=$(for r in $(seq 1 "$ROUNDS"); do latencies <"$OUT/$s-ts-$r.txt" | head -1; done | median)
	cold=$(for r in $(seq 1 "$ROUNDS"); do latencies <"$OUT/$s-java-$r.txt" | head -1; done | median)
	warm=$(for r in $(seq 1 "$ROUNDS"); do latencies <"$OUT/$s-java-$r.txt" | tail -n +3; done | median)
	row=$(awk -v s="$s" -v t="$ts" -v c="$cold" -v w="$warm" \
		'BEGIN { printf "| %s | %.4f | %.5f | %.5f | %.0f | %.0f |", s, t, c, w, (c + 0 > 0 ? t / c : 0), (w + 0 > 0 ? t / w : 0) }')
	if [[ -n "${AOT:-}" ]]; then
		aot=$(for r in $(seq 1 "$ROUNDS"); do [[ -f "$OUT/$s-aot-$r.txt" ]] && latencies <"$OUT/$s-aot-$r.txt" | head -1; done | median)
		row+=$(awk -v t="$ts" -v a="$aot" 'BEGIN { printf " %.5f | %.0f |", a, (a + 0 > 0 ? t / a : 0) }')
	fi
	echo "$row"
done
