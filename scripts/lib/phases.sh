# Shared by scripts/test: named phases with their durations, and the one
# closing line that counts every test.

_phase_names=()
_phase_starts=()

# Starts a phase (ending the one before it) and prints its heading.
phase() {
  _phase_names+=("$1")
  _phase_starts+=("$(date +%s)")
  echo "== $1"
}

# Prints how long each phase took, and the whole run.
phases_done() {
  local now i n end
  now=$(date +%s)
  n=${#_phase_names[@]}
  echo "== time per phase"
  for ((i = 0; i < n; i++)); do
    if ((i + 1 < n)); then end=${_phase_starts[$((i + 1))]}; else end=$now; fi
    printf '%6ss  %s\n' "$((end - _phase_starts[i]))" "${_phase_names[$i]}"
  done
  ((n > 0)) && printf '%6ss  %s\n' "$((now - _phase_starts[0]))" "in all"
  return 0
}

# The closing line from cargo's and Vitest's logs. Ignored tests that a later
# step ran (the end-to-end test) count as run, not as skipped.
print_totals() {
  local cargo_log=$1 ui_log=$2
  local results passed failed ignored ui_passed ui_failed
  results=$(grep -E '^test result:' "$cargo_log" |
    sed -E 's/.* ([0-9]+) passed; ([0-9]+) failed; ([0-9]+) ignored.*/\1 \2 \3/')
  passed=$(awk '{s += $1} END {print s + 0}' <<<"$results")
  failed=$(awk '{s += $2} END {print s + 0}' <<<"$results")
  ignored=$(awk '{s += $3} END {print s + 0}' <<<"$results")
  # The end-to-end run reports its own passes; take them off the ignored.
  local e2e_passed
  e2e_passed=$(grep -cE '^test e2e::.* \.\.\. ok$' "$cargo_log" || true)
  ignored=$((ignored - e2e_passed))
  ui_passed=$(sed 's/\x1b\[[0-9;]*m//g' "$ui_log" | grep -E '^\s*Tests\s+' | tail -1 |
    grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
  ui_failed=$(sed 's/\x1b\[[0-9;]*m//g' "$ui_log" | grep -E '^\s*Tests\s+' | tail -1 |
    grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
  echo "tests: $((passed + ui_passed)) passed, $((failed + ui_failed)) failed, $((ignored < 0 ? 0 : ignored)) skipped"
}
