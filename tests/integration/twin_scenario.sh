# Sourced by the twin's integration tests: free_port prints a free loopback TCP port;
# write_twin_scenario FILE SOURCE_DIR writes a solar-charger scenario under constant sun (the
# example's day starts at midnight, so a short test would see only night).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
write_twin_scenario() {
  cat >"$1" <<TOML
[scenario]
name = "constant-sun test"
system = "solar-charger"
duration_s = 86400
plant_step_s = 0.001
seed = 1

[pv]
module = "$2/examples/panels/72cell-400w.toml"
substrings_per_module = 3

[weather]
irradiance = "constant"
irradiance_w_m2 = 800
ambient_c = 25

[converter]
preset = "fugu-class"

[battery]
chemistry = "lifepo4"
cells = 8
capacity_ah = 100
initial_soc = 0.3

[controller]
type = "mppt-charger"
TOML
}
# wait_http PORT: until the twin answers GET /api/v1/status (20 s at most).
wait_http() {
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$1/api/v1/status" >/dev/null && return 0
    sleep 0.2
  done
  return 1
}
