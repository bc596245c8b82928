#!/bin/bash
# usage: compare.sh  (runs all cases; prints SAME/DIFF)
cd /tmp/mock
[ -f server.pid ] && kill "$(cat server.pid)" 2>/dev/null; sleep 0.3
T0=$(date -u +%Y-%m-%dT%H:%M:%SZ)
rm -f extra/*.json; python3 gen.py $T0 extra >/dev/null
python3 server.py 18080 /work/shared/reference/objects /tmp/mock/extra > server.out 2>&1 &
echo $! > server.pid
sleep 1
EX=/work/scratch/describe/target/debug/examples/describe_dir
mkdir -p got want
while read -r res ns name ev; do
  [ -z "$res" ] && continue
  tag="$res-$ns-$name-$ev"; tag=${tag//\//_}
  nsarg=(); [ "$ns" != "-" ] && nsarg=(-n "$ns")
  evarg=(); [ "$ev" = "false" ] && evarg=(--show-events=false)
  if [[ "$name" == -l=* ]]; then namearg=(-l "${name#-l=}"); else namearg=("$name"); fi
  KUBECONFIG=/tmp/mock/kubeconfig TZ=UTC kubectl --server=http://127.0.0.1:18080 --cache-dir=/tmp/mock/cache describe "$res" "${nsarg[@]}" "${namearg[@]}" "${evarg[@]}" > "want/$tag.txt" 2>"want/$tag.err"
  NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  TZ=UTC $EX $NOW ${ev:-true} "$res" "$ns" "$name" /work/shared/reference/objects /tmp/mock/extra > "got/$tag.txt" 2>"got/$tag.err"
  if cmp -s "want/$tag.txt" "got/$tag.txt"; then echo "SAME $tag"; else echo "DIFF $tag"; fi
done < cases.txt
echo "T0=$T0"
