#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# How the records in this folder were made: the 5 x 10-minute bugbench run
# (restore, fork, reboot) in parts, over several sessions of a 2-core machine.
# Each line of QUEUE is a part (a few bugs); two lanes, one per core, take
# parts in order and run `tools/bugbench --bugs PART --jobs 1` pinned to
# their core (taskset), from SRC, a clone of the measured commit. Every
# minute a lane copies its part's results.json here as PART.json; a part
# whose record here is incomplete is taken up again with --resume (its
# finished trials kept, the interrupted ones run again).
#   SRC=/work/bs OUT=/work/b5 bench/results/5x10/lanes.sh
# merged table: tools/bugbench --report bench/results/5x10/*.json --out DIR
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${SRC:-/work/bs}
OUT=${OUT:-/work/b5}
QUEUE=${QUEUE:-$HERE/queue}
mkdir -p "$OUT"
: > "$OUT/taken"

complete() {  # complete RECORD: the record says every planned trial ran
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if r.get("complete") else 1)' "$1" 2>/dev/null
}

take() {  # the next part no lane has taken yet, or nothing
    (
        flock 9
        while read -r part; do
            [ -z "$part" ] && continue
            grep -qxF "$part" "$OUT/taken" && continue
            name=${part//,/+}
            complete "$HERE/$name.json" && continue
            echo "$part" >> "$OUT/taken"
            echo "$part"
            break
        done < "$QUEUE"
    ) 9> "$OUT/lock"
}

lane() {  # lane CORE
    local core=$1 part name dir pid
    while part=$(take) && [ -n "$part" ]; do
        name=${part//,/+}
        dir=$OUT/$name
        echo "lane $core: $part ($(date +%H:%M))"
        if [ -f "$HERE/$name.json" ]; then
            mkdir -p "$dir" && cp "$HERE/$name.json" "$dir/results.json"
            set -- --resume "$dir"
        else
            set -- --bugs "$part" --fuzzers restore,fork,reboot --trials 5 --minutes 10 --out "$dir"
        fi
        (cd "$SRC" && exec taskset -c "$core" tools/bugbench "$@" --jobs 1 --work "$OUT/work") \
            > "$OUT/$name.log" 2>&1 &
        pid=$!
        while kill -0 "$pid" 2>/dev/null; do
            sleep 60
            [ -f "$dir/results.json" ] && cp "$dir/results.json" "$HERE/$name.json"
        done
        wait "$pid"
        echo "lane $core: $part ended $? ($(date +%H:%M))"
        [ -f "$dir/results.json" ] && cp "$dir/results.json" "$HERE/$name.json"
    done
}

lane 0 &
sleep 90            # the first lane's tools/seeds and builds start alone
lane 1 &
wait
