# Sourced by the measure benchmarks (bench/sampler-overhead.sh, thread-cpu.sh, store-size.sh).
# fake_gpu_scenario COUNT [EXTRA]: prints a fake NVML scenario (native/fake-nvml) of COUNT GPUs with energy counters and
# power on a curve with a 20 W sine, each device followed by the scenario lines EXTRA (e.g. "sample_buffer = yes").
fake_gpu_scenario() {
  local i
  for ((i = 0; i < $1; i++)); do
    printf '[device]\nname = NVIDIA Fake H100\nuuid = GPU-%08d-1111-2222-3333-444444444444\nenergy_counter = yes\n' "$i"
    printf 'power_w = 0:100, 5:300, 10:200, 20:350, 40:250\nsine_amplitude_w = 20\nsine_period_s = 0.8\n'
    [ -z "${2:-}" ] || printf '%s\n' "$2"
  done
}
