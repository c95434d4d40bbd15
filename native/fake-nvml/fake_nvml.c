// SPDX-License-Identifier: MIT
// fake_nvml.c — a stand-in for libnvidia-ml.so.1 used by TrainWatt's tests and benchmarks.
//
// It exports exactly the NVML entry points TrainWatt calls, with the signatures and struct layouts of nvml.h
// (https://docs.nvidia.com/deploy/nvml-api/), and answers from a scenario file:
//   1. the path in the environment variable FAKE_NVML_SCENARIO, else
//   2. "fake-nvml-scenario.txt" in the folder holding this library (so a test can copy the library and its own
//      scenario into a private folder: each copy is a separate dlopen instance with its own state).
//
// Scenario format (one "key = value" per line, '#' starts a comment, "[device]" opens a device):
//   init = 9                       # global: nvmlInit_v2 returns this code (9 = DRIVER_NOT_LOADED)
//   driver_version = 550.54.15     # global
//   time_origin_ns = 123456789     # global: CLOCK_MONOTONIC nanoseconds where the power curves start
//                                  #         (default: the first nvmlInit_v2 call)
//   time_scale = 500               # global: the scenario's clock runs this many times faster than CLOCK_MONOTONIC
//                                  #         from the origin on (default 1): curves, energy counters and the "@"
//                                  #         times of fail. keys follow (now - origin) × time_scale, so an
//                                  #         accelerated TimeProvider (bench/TrainWatt.Bench.LongRun) can drive a
//                                  #         72-hour run in minutes. time_origin_ns stays in real nanoseconds.
//   fail.nvmlDeviceGetCount_v2 = 4 # global or per device: that function returns this code
//   fail.nvmlDeviceGetPowerUsage = 15 @ 2.5       # ... only from 2.5 s after the origin on (a GPU lost mid-run)
//   fail.nvmlDeviceGetPowerUsage = 15 @ 2.5 - 4   # ... only in [2.5 s, 4 s) (a transient failure)
//   fail.* = 15 @ 2                # every device call of that device (or, global, of every device) fails
//   [device]
//   name = NVIDIA Fake A100
//   uuid = GPU-11111111-2222-3333-4444-555555555555
//   bus_id = 00000000:01:00.0
//   power_limit_w = 300
//   enforced_power_limit_w = 250
//   energy_counter = yes|no        # no: nvmlDeviceGetTotalEnergyConsumption returns NOT_SUPPORTED (pre-Volta)
//   energy_offset_mj = 1000000     # counter value at the time origin (real counters count since driver load)
//   power_w = 0:100, 1.5:250, 3:150   # piecewise-linear (seconds since origin : watts), flat outside the points
//   sine_amplitude_w = 20          # plus A*sin(2*pi*t/period)
//   sine_period_s = 0.8
//   utilization_gpu = 87  utilization_memory = 40  memory_total_mib = 81920  memory_used_mib = 1234
//   temperature_c = 61  sm_clock_mhz = 1410
//   mig = unsupported|disabled|enabled   # nvmlDeviceGetMigMode: NOT_SUPPORTED (default, pre-Ampere) or the mode
//   mig_pending = disabled|enabled       # the pending mode (default: the current one)
//   power_average_s = 1            # nvmlDeviceGetPowerUsage returns the mean over the last N s (Ampere except
//                                  # GA100 and newer: a 1 s average); 0 (default) = instantaneous (GA100 and older).
//                                  # NVML_FI_DEV_POWER_INSTANT (nvmlDeviceGetFieldValues) is always instantaneous.
//   power_scale = 0.8              # reported power (both calls) is this × the curve; the energy counter is not
//                                  # scaled: a sensor that disagrees with the counter (Yang et al., SC24)
//   power_instant = yes|no         # no: the field NVML_FI_DEV_POWER_INSTANT reports NOT_SUPPORTED (old drivers)
//   process = 4242 : 20 : 512      # a compute process on this GPU: pid : SM utilisation % : used memory MiB (repeatable;
//                                  # nvmlDeviceGetComputeRunningProcesses_v3/_v2 and nvmlDeviceGetProcessUtilization)
//   process = cmdline:MARKER : 60  # ... the first process whose /proc/PID/cmdline contains MARKER (a test's own command)
//   process_utilization = no       # nvmlDeviceGetProcessUtilization returns NOT_SUPPORTED
//   sample_buffer = yes|no         # nvmlDeviceGetSamples (the driver's own sample buffer) answers power
//                                  # (NVML_TOTAL_POWER_SAMPLES, mW) and GPU utilisation (NVML_GPU_UTILIZATION_SAMPLES,
//                                  # %); no (default): NOT_SUPPORTED, as on a GPU or vGPU without it
//   sample_period_ms = 20          # the buffer's power samples lie on this grid of the scenario clock (default 20 ms;
//                                  # utilisation every 1/6 s), stamped in CPU microseconds (CLOCK_REALTIME at the
//                                  # origin plus the scenario time), and it keeps the last sample_buffer_s seconds
//   sample_buffer_s = 2.5          # (default 2.5 s); the curve's value at each grid instant times power_scale
//
// Energy is the exact integral of the curve (trapezoids of the piecewise-linear part plus the closed form of the
// sine part), so a test computes the true energy between two instants with the same closed form.
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXPORT __attribute__((visibility("default")))

typedef int nvmlReturn_t;
enum
{
    NVML_SUCCESS = 0,
    NVML_ERROR_UNINITIALIZED = 1,
    NVML_ERROR_INVALID_ARGUMENT = 2,
    NVML_ERROR_NOT_SUPPORTED = 3,
    NVML_ERROR_INSUFFICIENT_SIZE = 7,
    NVML_ERROR_UNKNOWN = 999,
};

typedef struct
{
    char busIdLegacy[16];
    unsigned int domain;
    unsigned int bus;
    unsigned int device;
    unsigned int pciDeviceId;
    unsigned int pciSubSystemId;
    char busId[32];
} nvmlPciInfo_t;

typedef struct
{
    unsigned int gpu;
    unsigned int memory;
} nvmlUtilization_t;

// nvml.h: nvmlValue_t (8-byte union) and nvmlFieldValue_t (40 bytes).
typedef union
{
    double dVal;
    int siVal;
    unsigned int uiVal;
    unsigned long ulVal;
    unsigned long long ullVal;
    signed long long sllVal;
    unsigned short usVal;
} nvmlValue_t;

typedef struct
{
    unsigned int fieldId;
    unsigned int scopeId;
    long long timestamp;
    long long latencyUsec;
    int valueType;
    nvmlReturn_t nvmlReturn;
    nvmlValue_t value;
} nvmlFieldValue_t;

#define NVML_FI_DEV_POWER_AVERAGE 185
#define NVML_FI_DEV_POWER_INSTANT 186
#define NVML_VALUE_TYPE_UNSIGNED_INT 1

typedef struct
{
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
} nvmlMemory_t;

// nvml.h (NVML API 13): nvmlProcessInfo_v2_t, also named nvmlProcessInfo_t, used by the _v2 and _v3 calls.
typedef struct
{
    unsigned int pid;
    unsigned long long usedGpuMemory;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
} nvmlProcessInfo_t;

typedef struct
{
    unsigned int pid;
    unsigned long long timeStamp; // CPU timestamp in microseconds
    unsigned int smUtil;
    unsigned int memUtil;
    unsigned int encUtil;
    unsigned int decUtil;
} nvmlProcessUtilizationSample_t;

#define MAX_PROCESSES 8
typedef struct
{
    unsigned int pid;     // 0: resolve marker
    char marker[128];
    unsigned int sm_util;
    unsigned long long mem_mib;
} fake_process;

#define MAX_DEVICES 16
#define MAX_POINTS 64
#define MAX_FAILS 32

typedef struct
{
    char function[64];
    int code;
    double from_s;  // fails only at t >= from_s (seconds since the origin)
    double until_s; // ... and t < until_s
} fail_t;

typedef struct fake_device
{
    char name[96];
    char uuid[96];
    char bus_id[32];
    unsigned int power_limit_mw;
    unsigned int enforced_limit_mw;
    int energy_counter;
    double energy_offset_mj;
    int npoints;
    double pt[MAX_POINTS];
    double pw[MAX_POINTS];
    double sine_amp;
    double sine_period;
    unsigned int util_gpu, util_mem;
    unsigned long long mem_total_mib, mem_used_mib;
    unsigned int temperature, sm_clock;
    int mig;         // -1 unsupported, 0 disabled, 1 enabled
    int mig_pending; // -2: same as mig
    double power_average_s;
    double power_scale;
    int power_instant;
    int nprocesses;
    fake_process processes[MAX_PROCESSES];
    int process_utilization;
    int sample_buffer;
    double sample_period_s;
    double sample_buffer_s;
    int nfails;
    fail_t fails[MAX_FAILS];
} fake_device;

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static int g_init_count;
static int g_loaded;
static int g_init_code;
static char g_driver[64];
static double g_origin_s;
static int g_has_origin;
static double g_time_scale = 1;
static int g_ndevices;
static fake_device g_devices[MAX_DEVICES];
static int g_nfails;
static fail_t g_fails[MAX_FAILS];

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

// CLOCK_REALTIME in microseconds at the scenario's origin: the time base of nvmlDeviceGetSamples' time stamps.
// Computed once, so a sample's time stamp is the same in every call.
static long long g_origin_wall_us;
static int g_has_origin_wall;
static long long origin_wall_us(void)
{
    if (g_has_origin_wall) return g_origin_wall_us;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    double wall_us = (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec * 1e-3;
    g_origin_wall_us = (long long)(wall_us - (now_s() - g_origin_s) * 1e6);
    g_has_origin_wall = 1;
    return g_origin_wall_us;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n')) *--e = 0;
    return s;
}

static void add_fail(fail_t *fails, int *n, const char *fn, const char *value)
{
    if (*n >= MAX_FAILS) return;
    snprintf(fails[*n].function, sizeof fails[*n].function, "%s", fn);
    fails[*n].code = atoi(value);
    fails[*n].from_s = -1e300;
    fails[*n].until_s = 1e300;
    const char *at = strchr(value, '@');
    if (at)
    {
        char *end;
        fails[*n].from_s = strtod(at + 1, &end);
        const char *dash = strchr(end, '-');
        if (dash) fails[*n].until_s = strtod(dash + 1, NULL);
    }
    (*n)++;
}

static void parse_points(fake_device *d, char *value)
{
    d->npoints = 0;
    for (char *tok = strtok(value, ","); tok && d->npoints < MAX_POINTS; tok = strtok(NULL, ","))
    {
        double t, w;
        if (sscanf(tok, " %lf : %lf", &t, &w) == 2)
        {
            d->pt[d->npoints] = t;
            d->pw[d->npoints] = w;
            d->npoints++;
        }
        else if (sscanf(tok, " %lf", &w) == 1 && d->npoints == 0)
        {
            d->pt[0] = 0;
            d->pw[0] = w;
            d->npoints = 1;
        }
    }
}

static void default_device(fake_device *d, int index)
{
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "NVIDIA Fake GPU");
    snprintf(d->uuid, sizeof d->uuid, "GPU-00000000-0000-0000-0000-%012d", index);
    snprintf(d->bus_id, sizeof d->bus_id, "00000000:%02X:00.0", index + 1);
    d->power_limit_mw = 300000;
    d->enforced_limit_mw = 300000;
    d->energy_counter = 1;
    d->npoints = 1;
    d->pw[0] = 100;
    d->sine_period = 1;
    d->mem_total_mib = 16384;
    d->temperature = 50;
    d->sm_clock = 1400;
    d->mig = -1;
    d->mig_pending = -2;
    d->power_instant = 1;
    d->power_scale = 1;
    d->process_utilization = 1;
    d->sample_period_s = 0.02;
    d->sample_buffer_s = 2.5;
}

static void parse_process(fake_device *d, const char *value)
{
    if (d->nprocesses >= MAX_PROCESSES) return;
    fake_process *p = &d->processes[d->nprocesses];
    memset(p, 0, sizeof *p);
    char buffer[256];
    snprintf(buffer, sizeof buffer, "%s", value);
    char *fields[3] = {0};
    int n = 0;
    for (char *tok = strtok(buffer, ":"); tok && n < 3; tok = strtok(NULL, ":")) fields[n++] = trim(tok);
    if (n >= 2 && strcmp(fields[0], "cmdline") == 0)
    {
        // "cmdline:MARKER : sm [: mem]": the marker is the second field
        snprintf(p->marker, sizeof p->marker, "%s", fields[1]);
        char rest[256];
        snprintf(rest, sizeof rest, "%s", value);
        char *second = strchr(strchr(rest, ':') + 1, ':');
        if (second)
        {
            p->sm_util = (unsigned int)atoi(second + 1);
            char *third = strchr(second + 1, ':');
            if (third) p->mem_mib = strtoull(third + 1, NULL, 10);
        }
    }
    else if (n >= 1)
    {
        p->pid = (unsigned int)atoi(fields[0]);
        if (n >= 2) p->sm_util = (unsigned int)atoi(fields[1]);
        if (n >= 3) p->mem_mib = strtoull(fields[2], NULL, 10);
    }
    d->nprocesses++;
}

// The pid of the first process whose command line holds the marker, 0 when none does (the test's own command).
static unsigned int find_marker(const char *marker)
{
    DIR *proc = opendir("/proc");
    if (!proc) return 0;
    unsigned int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(proc)) != NULL)
    {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char path[300];
        snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        char buffer[4096];
        size_t n = fread(buffer, 1, sizeof buffer - 1, f);
        fclose(f);
        for (size_t i = 0; i < n; i++)
            if (buffer[i] == 0) buffer[i] = ' ';
        buffer[n] = 0;
        if (n > 0 && strstr(buffer, marker)) found = (unsigned int)atoi(e->d_name);
    }
    closedir(proc);
    return found;
}

// The processes listed now: markers resolved, those whose process cannot be found left out.
static int current_processes(const fake_device *d, fake_process *out)
{
    int n = 0;
    for (int i = 0; i < d->nprocesses; i++)
    {
        out[n] = d->processes[i];
        if (!out[n].pid) out[n].pid = find_marker(out[n].marker);
        if (out[n].pid) n++;
    }
    return n;
}

static int mig_value(const char *value)
{
    if (strcmp(value, "enabled") == 0 || strcmp(value, "1") == 0) return 1;
    if (strcmp(value, "disabled") == 0 || strcmp(value, "0") == 0) return 0;
    return -1;
}

static int load_scenario(void)
{
    char path[4096];
    const char *env = getenv("FAKE_NVML_SCENARIO");
    if (env && *env)
    {
        snprintf(path, sizeof path, "%s", env);
    }
    else
    {
        Dl_info info;
        if (!dladdr((void *)&load_scenario, &info) || !info.dli_fname)
        {
            fprintf(stderr, "fake-nvml: cannot locate own library file and FAKE_NVML_SCENARIO is not set\n");
            return 0;
        }
        snprintf(path, sizeof path, "%s", info.dli_fname);
        char *slash = strrchr(path, '/');
        if (slash) slash[1] = 0; else path[0] = 0;
        strncat(path, "fake-nvml-scenario.txt", sizeof path - strlen(path) - 1);
    }

    FILE *f = fopen(path, "r");
    if (!f)
    {
        fprintf(stderr, "fake-nvml: cannot open scenario file %s (set FAKE_NVML_SCENARIO)\n", path);
        return 0;
    }

    g_ndevices = 0;
    g_nfails = 0;
    g_init_code = 0;
    g_has_origin = 0;
    snprintf(g_driver, sizeof g_driver, "999.99.99-fake");
    fake_device *d = NULL;
    char line[4096];
    while (fgets(line, sizeof line, f))
    {
        char *hash = strchr(line, '#');
        if (hash) *hash = 0;
        char *s = trim(line);
        if (!*s) continue;
        if (strcmp(s, "[device]") == 0)
        {
            if (g_ndevices >= MAX_DEVICES) break;
            d = &g_devices[g_ndevices];
            default_device(d, g_ndevices);
            g_ndevices++;
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) continue;
        *eq = 0;
        char *key = trim(s);
        char *value = trim(eq + 1);
        if (strncmp(key, "fail.", 5) == 0)
        {
            if (d) add_fail(d->fails, &d->nfails, key + 5, value);
            else add_fail(g_fails, &g_nfails, key + 5, value);
        }
        else if (!d)
        {
            if (strcmp(key, "init") == 0) g_init_code = atoi(value);
            else if (strcmp(key, "driver_version") == 0) snprintf(g_driver, sizeof g_driver, "%s", value);
            else if (strcmp(key, "time_origin_ns") == 0)
            {
                g_origin_s = strtod(value, NULL) * 1e-9;
                g_has_origin = 1;
            }
            else if (strcmp(key, "time_scale") == 0)
            {
                double scale = strtod(value, NULL);
                if (scale > 0) g_time_scale = scale;
            }
        }
        else if (strcmp(key, "name") == 0) snprintf(d->name, sizeof d->name, "%s", value);
        else if (strcmp(key, "uuid") == 0) snprintf(d->uuid, sizeof d->uuid, "%s", value);
        else if (strcmp(key, "bus_id") == 0) snprintf(d->bus_id, sizeof d->bus_id, "%s", value);
        else if (strcmp(key, "power_limit_w") == 0) d->power_limit_mw = (unsigned int)(strtod(value, NULL) * 1000);
        else if (strcmp(key, "enforced_power_limit_w") == 0) d->enforced_limit_mw = (unsigned int)(strtod(value, NULL) * 1000);
        else if (strcmp(key, "energy_counter") == 0) d->energy_counter = strcmp(value, "yes") == 0 || strcmp(value, "1") == 0;
        else if (strcmp(key, "energy_offset_mj") == 0) d->energy_offset_mj = strtod(value, NULL);
        else if (strcmp(key, "power_w") == 0) parse_points(d, value);
        else if (strcmp(key, "sine_amplitude_w") == 0) d->sine_amp = strtod(value, NULL);
        else if (strcmp(key, "sine_period_s") == 0) d->sine_period = strtod(value, NULL);
        else if (strcmp(key, "utilization_gpu") == 0) d->util_gpu = (unsigned int)atoi(value);
        else if (strcmp(key, "utilization_memory") == 0) d->util_mem = (unsigned int)atoi(value);
        else if (strcmp(key, "memory_total_mib") == 0) d->mem_total_mib = strtoull(value, NULL, 10);
        else if (strcmp(key, "memory_used_mib") == 0) d->mem_used_mib = strtoull(value, NULL, 10);
        else if (strcmp(key, "temperature_c") == 0) d->temperature = (unsigned int)atoi(value);
        else if (strcmp(key, "sm_clock_mhz") == 0) d->sm_clock = (unsigned int)atoi(value);
        else if (strcmp(key, "mig") == 0) d->mig = mig_value(value);
        else if (strcmp(key, "mig_pending") == 0) d->mig_pending = mig_value(value);
        else if (strcmp(key, "power_average_s") == 0) d->power_average_s = strtod(value, NULL);
        else if (strcmp(key, "power_scale") == 0) d->power_scale = strtod(value, NULL);
        else if (strcmp(key, "power_instant") == 0) d->power_instant = strcmp(value, "yes") == 0 || strcmp(value, "1") == 0;
        else if (strcmp(key, "process") == 0) parse_process(d, value);
        else if (strcmp(key, "sample_buffer") == 0) d->sample_buffer = strcmp(value, "yes") == 0 || strcmp(value, "1") == 0;
        else if (strcmp(key, "sample_period_ms") == 0 && strtod(value, NULL) > 0) d->sample_period_s = strtod(value, NULL) / 1000;
        else if (strcmp(key, "sample_buffer_s") == 0 && strtod(value, NULL) > 0) d->sample_buffer_s = strtod(value, NULL);
        else if (strcmp(key, "process_utilization") == 0) d->process_utilization = strcmp(value, "yes") == 0 || strcmp(value, "1") == 0;
    }
    fclose(f);
    return 1;
}

// Power in W at t seconds after the origin.
static double power_at(const fake_device *d, double t)
{
    double p;
    if (t <= d->pt[0]) p = d->pw[0];
    else if (t >= d->pt[d->npoints - 1]) p = d->pw[d->npoints - 1];
    else
    {
        int i = 0;
        while (t > d->pt[i + 1]) i++;
        double f = (t - d->pt[i]) / (d->pt[i + 1] - d->pt[i]);
        p = d->pw[i] + f * (d->pw[i + 1] - d->pw[i]);
    }
    if (d->sine_amp != 0) p += d->sine_amp * sin(2 * M_PI * t / d->sine_period);
    return p;
}

// Exact integral of power_at over [0, t] in J (t >= 0): trapezoids between breakpoints (exact for a linear
// function) plus the closed form of the sine term, A*P/(2*pi)*(1 - cos(2*pi*t/P)).
static double energy_to(const fake_device *d, double t)
{
    fake_device linear = *d;
    linear.sine_amp = 0;
    double e = 0, prev_t = 0, prev_p = power_at(&linear, 0);
    for (int i = 0; i < d->npoints && d->pt[i] < t; i++)
    {
        if (d->pt[i] <= 0) continue;
        double p = power_at(&linear, d->pt[i]);
        e += 0.5 * (prev_p + p) * (d->pt[i] - prev_t);
        prev_t = d->pt[i];
        prev_p = p;
    }
    e += 0.5 * (prev_p + power_at(&linear, t)) * (t - prev_t);
    if (d->sine_amp != 0)
        e += d->sine_amp * d->sine_period / (2 * M_PI) * (1 - cos(2 * M_PI * t / d->sine_period));
    return e;
}

static double elapsed(void)
{
    double t = (now_s() - g_origin_s) * g_time_scale;
    return t < 0 ? 0 : t;
}

static int fail_now(const fail_t *f, const char *fn)
{
    if (strcmp(f->function, fn) != 0 && strcmp(f->function, "*") != 0) return 0;
    if (f->from_s > -1e299 || f->until_s < 1e299)
    {
        double t = g_has_origin ? (now_s() - g_origin_s) * g_time_scale : 0;
        if (t < f->from_s || t >= f->until_s) return 0;
    }
    return f->code;
}

static int failing(const fake_device *d, const char *fn)
{
    if (d)
        for (int i = 0; i < d->nfails; i++)
            if (fail_now(&d->fails[i], fn)) return d->fails[i].code;
    for (int i = 0; i < g_nfails; i++)
        if (fail_now(&g_fails[i], fn)) return g_fails[i].code;
    return 0;
}

#define CHECK_INIT() do { if (g_init_count <= 0) return NVML_ERROR_UNINITIALIZED; } while (0)
#define CHECK_FAIL(dev) do { int c_ = failing((dev), __func__); if (c_) return c_; } while (0)
#define DEVICE(h) ((fake_device *)(h))

EXPORT nvmlReturn_t nvmlInit_v2(void)
{
    pthread_mutex_lock(&g_lock);
    if (!g_loaded)
    {
        if (!load_scenario())
        {
            pthread_mutex_unlock(&g_lock);
            return NVML_ERROR_UNKNOWN;
        }
        g_loaded = 1;
        if (!g_has_origin)
        {
            g_origin_s = now_s();
            g_has_origin = 1;
        }
    }
    int code = g_init_code ? g_init_code : failing(NULL, "nvmlInit_v2");
    if (!code) g_init_count++;
    pthread_mutex_unlock(&g_lock);
    return code;
}

EXPORT nvmlReturn_t nvmlShutdown(void)
{
    pthread_mutex_lock(&g_lock);
    int code = g_init_count > 0 ? NVML_SUCCESS : NVML_ERROR_UNINITIALIZED;
    if (g_init_count > 0) g_init_count--;
    pthread_mutex_unlock(&g_lock);
    return code;
}

EXPORT const char *nvmlErrorString(nvmlReturn_t result)
{
    switch (result)
    {
    case 0: return "Success";
    case 1: return "Uninitialized";
    case 2: return "Invalid Argument";
    case 3: return "Not Supported";
    case 4: return "Insufficient Permissions";
    case 9: return "Driver Not Loaded";
    case 15: return "GPU is lost";
    case 18: return "RM has detected an NVML/RM version mismatch.";
    case 30: return "Reset Type Not Supported";
    default: return "Unknown Error";
    }
}

EXPORT nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length)
{
    CHECK_INIT();
    CHECK_FAIL(NULL);
    if (!version) return NVML_ERROR_INVALID_ARGUMENT;
    if (strlen(g_driver) + 1 > length) return NVML_ERROR_INSUFFICIENT_SIZE;
    strcpy(version, g_driver);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count)
{
    CHECK_INIT();
    CHECK_FAIL(NULL);
    if (!count) return NVML_ERROR_INVALID_ARGUMENT;
    *count = (unsigned int)g_ndevices;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, void **device)
{
    CHECK_INIT();
    CHECK_FAIL(index < (unsigned int)g_ndevices ? &g_devices[index] : NULL);
    if (!device || index >= (unsigned int)g_ndevices) return NVML_ERROR_INVALID_ARGUMENT;
    *device = &g_devices[index];
    return NVML_SUCCESS;
}

static nvmlReturn_t copy_string(const char *src, char *dst, unsigned int length)
{
    if (!dst) return NVML_ERROR_INVALID_ARGUMENT;
    if (strlen(src) + 1 > length) return NVML_ERROR_INSUFFICIENT_SIZE;
    strcpy(dst, src);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetName(void *device, char *name, unsigned int length)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    return copy_string(DEVICE(device)->name, name, length);
}

EXPORT nvmlReturn_t nvmlDeviceGetUUID(void *device, char *uuid, unsigned int length)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    return copy_string(DEVICE(device)->uuid, uuid, length);
}

EXPORT nvmlReturn_t nvmlDeviceGetPciInfo_v3(void *device, nvmlPciInfo_t *pci)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    if (!pci) return NVML_ERROR_INVALID_ARGUMENT;
    memset(pci, 0, sizeof *pci);
    snprintf(pci->busId, sizeof pci->busId, "%s", DEVICE(device)->bus_id);
    snprintf(pci->busIdLegacy, sizeof pci->busIdLegacy, "%s", DEVICE(device)->bus_id + 4);
    unsigned int domain = 0, bus = 0, dev = 0;
    sscanf(DEVICE(device)->bus_id, "%x:%x:%x", &domain, &bus, &dev);
    pci->domain = domain;
    pci->bus = bus;
    pci->device = dev;
    pci->pciDeviceId = 0x20B010DE;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetPowerManagementLimit(void *device, unsigned int *limit)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    if (!limit) return NVML_ERROR_INVALID_ARGUMENT;
    *limit = DEVICE(device)->power_limit_mw;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(void *device, unsigned int *limit)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    if (!limit) return NVML_ERROR_INVALID_ARGUMENT;
    *limit = DEVICE(device)->enforced_limit_mw;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(void *device, unsigned long long *energy)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    if (!energy) return NVML_ERROR_INVALID_ARGUMENT;
    if (!DEVICE(device)->energy_counter) return NVML_ERROR_NOT_SUPPORTED;
    // NVML reports mJ since the driver was loaded.
    *energy = (unsigned long long)(DEVICE(device)->energy_offset_mj + energy_to(DEVICE(device), elapsed()) * 1000.0);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetPowerUsage(void *device, unsigned int *power)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    if (!power) return NVML_ERROR_INVALID_ARGUMENT;
    const fake_device *d = DEVICE(device);
    double t = elapsed();
    double w = power_at(d, t);
    if (d->power_average_s > 0 && t > 0)
    {
        // Ampere (except GA100) and newer: the mean over the trailing window (nvml.h, nvmlDeviceGetPowerUsage).
        double from = t > d->power_average_s ? t - d->power_average_s : 0;
        w = (energy_to(d, t) - energy_to(d, from)) / (t - from);
    }
    w *= d->power_scale;
    // NVML reports mW.
    *power = w <= 0 ? 0u : (unsigned int)(w * 1000.0 + 0.5);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetUtilizationRates(void *device, nvmlUtilization_t *utilization)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    if (!utilization) return NVML_ERROR_INVALID_ARGUMENT;
    utilization->gpu = DEVICE(device)->util_gpu;
    utilization->memory = DEVICE(device)->util_mem;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(void *device, nvmlMemory_t *memory)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    if (!memory) return NVML_ERROR_INVALID_ARGUMENT;
    // NVML reports bytes.
    memory->total = DEVICE(device)->mem_total_mib * 1048576ULL;
    memory->used = DEVICE(device)->mem_used_mib * 1048576ULL;
    memory->free = memory->total - memory->used;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetTemperature(void *device, int sensor, unsigned int *temp)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    if (!temp || sensor != 0) return NVML_ERROR_INVALID_ARGUMENT;
    *temp = DEVICE(device)->temperature;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetClockInfo(void *device, int type, unsigned int *clock)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    if (!clock) return NVML_ERROR_INVALID_ARGUMENT;
    if (type != 1) return NVML_ERROR_NOT_SUPPORTED; // only NVML_CLOCK_SM
    *clock = DEVICE(device)->sm_clock;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetMigMode(void *device, unsigned int *currentMode, unsigned int *pendingMode)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    if (!currentMode || !pendingMode) return NVML_ERROR_INVALID_ARGUMENT;
    const fake_device *d = DEVICE(device);
    if (d->mig < 0) return NVML_ERROR_NOT_SUPPORTED;
    *currentMode = (unsigned int)d->mig;
    *pendingMode = (unsigned int)(d->mig_pending == -2 ? d->mig : d->mig_pending < 0 ? 0 : d->mig_pending);
    return NVML_SUCCESS;
}

// Only NVML_FI_DEV_POWER_INSTANT is answered (mW, unsigned int); every other field reports NOT_SUPPORTED.
EXPORT nvmlReturn_t nvmlDeviceGetFieldValues(void *device, int valuesCount, nvmlFieldValue_t *values)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    if (!values || valuesCount < 0) return NVML_ERROR_INVALID_ARGUMENT;
    const fake_device *d = DEVICE(device);
    for (int i = 0; i < valuesCount; i++)
    {
        nvmlFieldValue_t *v = &values[i];
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        v->timestamp = (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
        v->latencyUsec = 0;
        if (v->fieldId == NVML_FI_DEV_POWER_INSTANT && d->power_instant)
        {
            double w = power_at(d, elapsed()) * d->power_scale;
            v->valueType = NVML_VALUE_TYPE_UNSIGNED_INT;
            v->value.ullVal = 0;
            v->value.uiVal = w <= 0 ? 0u : (unsigned int)(w * 1000.0 + 0.5);
            v->nvmlReturn = NVML_SUCCESS;
        }
        else
        {
            v->nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
        }
    }
    return NVML_SUCCESS;
}

static nvmlReturn_t running_processes(void *device, unsigned int *infoCount, nvmlProcessInfo_t *infos)
{
    if (!infoCount) return NVML_ERROR_INVALID_ARGUMENT;
    fake_process list[MAX_PROCESSES];
    int n = current_processes(DEVICE(device), list);
    if (*infoCount < (unsigned int)n || (!infos && n > 0))
    {
        // nvml.h: "NVML_ERROR_INSUFFICIENT_SIZE if infoCount indicates that the infos array is too small; infoCount will
        // contain minimal amount of space necessary"
        *infoCount = (unsigned int)n;
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    for (int i = 0; i < n; i++)
    {
        infos[i].pid = list[i].pid;
        infos[i].usedGpuMemory = list[i].mem_mib * 1048576ULL;
        infos[i].gpuInstanceId = 0xFFFFFFFFu;
        infos[i].computeInstanceId = 0xFFFFFFFFu;
    }
    *infoCount = (unsigned int)n;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(void *device, unsigned int *infoCount, nvmlProcessInfo_t *infos)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    return running_processes(device, infoCount, infos);
}

EXPORT nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v2(void *device, unsigned int *infoCount, nvmlProcessInfo_t *infos)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    return running_processes(device, infoCount, infos);
}

// One sample per listed process with its SM utilisation, stamped now (CPU time in µs); NOT_FOUND when none is newer
// than lastSeenTimeStamp (nvml.h).
EXPORT nvmlReturn_t nvmlDeviceGetProcessUtilization(void *device, nvmlProcessUtilizationSample_t *utilization, unsigned int *processSamplesCount, unsigned long long lastSeenTimeStamp)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    if (!processSamplesCount) return NVML_ERROR_INVALID_ARGUMENT;
    if (!DEVICE(device)->process_utilization) return NVML_ERROR_NOT_SUPPORTED;
    fake_process list[MAX_PROCESSES];
    int n = current_processes(DEVICE(device), list);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long now = (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000ULL;
    if (n == 0 || now <= lastSeenTimeStamp) return 6; // NVML_ERROR_NOT_FOUND
    if (!utilization || *processSamplesCount < (unsigned int)n)
    {
        *processSamplesCount = (unsigned int)n;
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    for (int i = 0; i < n; i++)
    {
        memset(&utilization[i], 0, sizeof utilization[i]);
        utilization[i].pid = list[i].pid;
        utilization[i].timeStamp = now;
        utilization[i].smUtil = list[i].sm_util;
    }
    *processSamplesCount = (unsigned int)n;
    return NVML_SUCCESS;
}

// Layouts from nvml.h (NVML API 13): a mismatch here would make every test lie.
_Static_assert(sizeof(nvmlPciInfo_t) == 68, "nvmlPciInfo_t is 68 bytes");
_Static_assert(sizeof(nvmlFieldValue_t) == 40, "nvmlFieldValue_t is 40 bytes");
_Static_assert(sizeof(nvmlProcessInfo_t) == 24, "nvmlProcessInfo_v2_t is 24 bytes");
_Static_assert(sizeof(nvmlProcessUtilizationSample_t) == 32, "nvmlProcessUtilizationSample_t is 32 bytes");

// nvml.h: nvmlSample_t (a CPU time stamp in microseconds and an 8-byte value).
typedef struct
{
    unsigned long long timeStamp;
    nvmlValue_t sampleValue;
} nvmlSample_t;

#define NVML_TOTAL_POWER_SAMPLES 0
#define NVML_GPU_UTILIZATION_SAMPLES 1
#define NVML_ERROR_NOT_FOUND 6

// The driver's sample buffer: the samples on the device's grid (power every sample_period_ms, utilisation every 1/6 s)
// that are newer than lastSeenTimeStamp, at most sample_buffer_s old and not in the future, oldest first. With samples
// NULL only the count is returned; otherwise at most *sampleCount are written (the oldest) and *sampleCount is set to
// the number written, so a caller with a small array reads the rest by passing the last time stamp it got.
EXPORT nvmlReturn_t nvmlDeviceGetSamples(void *device, int type, unsigned long long lastSeenTimeStamp,
                                         int *sampleValType, unsigned int *sampleCount, nvmlSample_t *samples)
{
    CHECK_INIT();
    CHECK_FAIL(DEVICE(device));
    const fake_device *d = DEVICE(device);
    if (!sampleCount || !sampleValType || (samples && *sampleCount == 0)) return NVML_ERROR_INVALID_ARGUMENT;
    if (!d->sample_buffer || (type != NVML_TOTAL_POWER_SAMPLES && type != NVML_GPU_UTILIZATION_SAMPLES))
        return NVML_ERROR_NOT_SUPPORTED;
    double period = type == NVML_TOTAL_POWER_SAMPLES ? d->sample_period_s : 1.0 / 6;
    double now = elapsed();
    long long base = origin_wall_us();
    long long k_hi = (long long)floor(now / period + 1e-9);
    long long k_lo = (long long)ceil((now - d->sample_buffer_s) / period);
    if (k_lo < 0) k_lo = 0;
    if (lastSeenTimeStamp > 0)
    {
        long long k_seen = (long long)floor(((double)((long long)lastSeenTimeStamp - base)) / (period * 1e6)) - 1;
        if (k_seen > k_lo) k_lo = k_seen;
        while (k_lo <= k_hi && base + llround(k_lo * period * 1e6) <= (long long)lastSeenTimeStamp) k_lo++;
    }
    unsigned int available = k_hi >= k_lo ? (unsigned int)(k_hi - k_lo + 1) : 0;
    *sampleValType = NVML_VALUE_TYPE_UNSIGNED_INT;
    if (available == 0)
    {
        *sampleCount = 0;
        return NVML_ERROR_NOT_FOUND;
    }
    if (!samples)
    {
        *sampleCount = available;
        return NVML_SUCCESS;
    }
    unsigned int n = available < *sampleCount ? available : *sampleCount;
    for (unsigned int i = 0; i < n; i++)
    {
        double t = (k_lo + i) * period;
        samples[i].timeStamp = (unsigned long long)(base + llround(t * 1e6));
        samples[i].sampleValue.ullVal = 0;
        if (type == NVML_TOTAL_POWER_SAMPLES)
        {
            double w = power_at(d, t) * d->power_scale;
            samples[i].sampleValue.uiVal = w <= 0 ? 0u : (unsigned int)(w * 1000.0 + 0.5);
        }
        else
        {
            samples[i].sampleValue.uiVal = d->util_gpu;
        }
    }
    *sampleCount = n;
    return NVML_SUCCESS;
}
