// SPDX-License-Identifier: MIT
// fake_amdsmi.c — a stand-in for ROCm's libamd_smi.so used by TrainWatt's tests.
//
// It exports exactly the AMD SMI entry points TrainWatt calls, with the signatures, enums and struct layouts of
// amdsmi.h (ROCm/amdsmi, include/amd_smi/amdsmi.h; since ROCm 7 ROCm/rocm-systems, projects/amdsmi/...), in two ABIs:
//   abi = 24: the year-based library (AMDSMI_LIB_VERSION_YEAR 24, ROCm 6.1-6.3): amdsmi_version_t starts with `year`,
//             amdsmi_power_info_t is uint32_t current_socket_power, average_socket_power, ... (68 bytes),
//             AMDSMI_MAX_STRING_LENGTH 64 (asic_info 456 bytes, board_info 768 bytes).
//   abi = 26: AMDSMI_LIB_VERSION_MAJOR 26 (ROCm 7): amdsmi_version_t starts with `major`, amdsmi_power_info_t starts
//             with uint64_t socket_power (192 bytes), AMDSMI_MAX_STRING_LENGTH 256 (asic_info 896, board_info 1792).
//   abi = 25: the ROCm 6.4 library: version without year; power_info with socket_power first (40 bytes).
// The structs below are written from the header, so the compiler lays them out and the C# side is checked against
// it (_Static_assert at the end, and the tests read every field back through TrainWatt's P/Invoke).
//
// Scenario: FAKE_AMDSMI_SCENARIO, else "fake-amdsmi-scenario.txt" next to this library. One "key = value" a line,
// '#' starts a comment, "[device]" opens a GPU (one socket per GPU, as AMD SMI reports discrete GPUs).
//   init = 34                      # global: amdsmi_init returns this status (34 = AMDSMI_STATUS_DRIVER_NOT_LOADED)
//   abi = 24|25|26                 # global: the library ABI (default 26)
//   time_origin_ns = 123456789     # global: CLOCK_MONOTONIC ns where the curves start (default: first amdsmi_init)
//   fail.amdsmi_get_power_info = 2 [@ from [- until]]   # global or per device: that function returns this status
//   [device]
//   name = AMD Instinct MI300X     # amdsmi_asic_info_t.market_name
//   product_name = ...             # amdsmi_board_info_t.product_name (default: name)
//   uuid = ...                     # amdsmi_get_gpu_device_uuid
//   hip_id = 0  hip_uuid = GPU-... # amdsmi_get_gpu_enumeration_info (abi >= 25 only)
//   bdf = 0000:c1:00.0             # amdsmi_get_gpu_device_bdf
//   energy_counter = yes|no        # no: amdsmi_get_energy_count returns AMDSMI_STATUS_NOT_SUPPORTED (MI100)
//   resolution_uj = 15.259         # counter_resolution (uJ per count)
//   energy_offset_j = 1000         # counter energy at the origin
//   power_w = 0:100, 1.5:250       # piecewise-linear curve (s : W), flat outside; plus sine_amplitude_w / sine_period_s
//   power_field = current|average  # which amdsmi_power_info_t member carries the power (MI300: current; MI200/MI100:
//                                  # average); the other is UINT32_MAX ("unsupported members are set to UINT32_MAX")
//   counter_jump_j = 5000 @ 1.5    # the counter gains 5000 J at 1.5 s (a negative value: it goes backwards)
//   counter_stuck = yes            # the counter never moves from its offset
//   gfx_activity = 87  vram_used_mb = 1024  vram_total_mb = 65536
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXPORT __attribute__((visibility("default")))

typedef uint32_t amdsmi_status_t; // an enum in amdsmi.h whose values fit 32 bits (AMDSMI_STATUS_UNKNOWN_ERROR = 0xFFFFFFFF)
enum
{
    AMDSMI_STATUS_SUCCESS = 0,
    AMDSMI_STATUS_INVAL = 1,
    AMDSMI_STATUS_NOT_SUPPORTED = 2,
    AMDSMI_STATUS_NOT_INIT = 32,
    AMDSMI_STATUS_INSUFFICIENT_SIZE = 41,
};
#define AMDSMI_INIT_AMD_GPUS (1 << 1)

typedef void *amdsmi_processor_handle;
typedef void *amdsmi_socket_handle;

typedef union
{
    struct
    {
        uint64_t function_number : 3;
        uint64_t device_number : 5;
        uint64_t bus_number : 8;
        uint64_t domain_number : 48;
    };
    uint64_t as_uint;
} amdsmi_bdf_t;

typedef struct { uint32_t year, major, minor, release; const char *build; } version_v24_t;
typedef struct { uint32_t major, minor, release; const char *build; } version_v25_t;

// ROCm 6.1-6.3 (AMDSMI_MAX_STRING_LENGTH 64, AMDSMI_NORMAL_STRING_LENGTH 32, AMDSMI_256_LENGTH 256).
typedef struct
{
    uint32_t current_socket_power, average_socket_power, gfx_voltage, soc_voltage, mem_voltage, power_limit;
    uint32_t reserved[11];
} power_info_v24_t;
typedef struct
{
    char market_name[256];
    uint32_t vendor_id;
    char vendor_name[64];
    uint32_t subvendor_id;
    uint64_t device_id;
    uint32_t rev_id;
    char asic_serial[32];
    uint32_t oam_id, num_of_compute_units;
    uint64_t target_graphics_version;
    uint32_t reserved[15];
} asic_info_v24_t;
typedef struct
{
    char model_number[256], product_serial[32], fru_id[32], product_name[256], manufacturer_name[64];
    uint32_t reserved[32];
} board_info_v24_t;

// ROCm 6.4 power info.
typedef struct
{
    uint64_t socket_power;
    uint32_t current_socket_power, average_socket_power, gfx_voltage, soc_voltage, mem_voltage, power_limit;
    uint32_t reserved[2];
} power_info_v25_t;

// ROCm 7 (AMDSMI_MAX_STRING_LENGTH 256).
typedef struct
{
    uint64_t socket_power;
    uint32_t current_socket_power, average_socket_power;
    uint64_t gfx_voltage, soc_voltage, mem_voltage;
    uint32_t power_limit;
    uint64_t reserved[18];
} power_info_v26_t;
typedef struct
{
    char market_name[256];
    uint32_t vendor_id;
    char vendor_name[256];
    uint32_t subvendor_id;
    uint64_t device_id;
    uint32_t rev_id;
    char asic_serial[256];
    uint32_t oam_id, num_of_compute_units;
    uint64_t target_graphics_version;
    uint32_t subsystem_id;
    uint32_t reserved[21];
} asic_info_v26_t;
typedef struct
{
    char model_number[256], product_serial[256], fru_id[256], product_name[256], manufacturer_name[256];
    uint64_t reserved[64];
} board_info_v26_t;

typedef struct
{
    uint32_t drm_render, drm_card, hsa_id, hip_id;
    char hip_uuid[256];
} enumeration_info_t;

typedef struct
{
    uint32_t gfx_activity, umc_activity, mm_activity;
    uint32_t reserved[13];
} amdsmi_engine_usage_t;

typedef struct
{
    uint32_t vram_total, vram_used;
    uint32_t reserved[2];
} amdsmi_vram_usage_t;

#define MAX_DEVICES 16
#define MAX_POINTS 64
#define MAX_FAILS 32
#define MAX_JUMPS 8

typedef struct
{
    char function[64];
    uint32_t code;
    double from_s, until_s;
} fail_t;

typedef struct
{
    char name[256], product_name[256], uuid[64], hip_uuid[64];
    uint32_t hip_id;
    int has_hip_id;
    uint64_t bdf;
    int energy_counter, counter_stuck, power_average;
    double resolution_uj, energy_offset_j;
    int npoints;
    double pt[MAX_POINTS], pw[MAX_POINTS];
    double sine_amp, sine_period;
    int njumps;
    double jump_t[MAX_JUMPS], jump_j[MAX_JUMPS];
    uint32_t gfx_activity, vram_used, vram_total;
    int nfails;
    fail_t fails[MAX_FAILS];
} fake_gpu;

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static int g_loaded, g_init_count, g_abi = 26, g_has_origin, g_ngpus, g_nfails;
static uint32_t g_init_code;
static double g_origin_s;
static fake_gpu g_gpus[MAX_DEVICES];
static fail_t g_fails[MAX_FAILS];

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
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
    fails[*n].code = (uint32_t)strtoul(value, NULL, 10);
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

static void parse_points(fake_gpu *d, char *value)
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
    }
    if (d->npoints == 0)
    {
        d->npoints = 1;
        d->pt[0] = 0;
        d->pw[0] = 0;
    }
}

static void default_gpu(fake_gpu *d, int index)
{
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "AMD Instinct Fake");
    snprintf(d->uuid, sizeof d->uuid, "%08x-0000-1000-8000-%012x", 0x1000 + index, index);
    snprintf(d->hip_uuid, sizeof d->hip_uuid, "GPU-%016x", 0xabc000 + index);
    d->bdf = (uint64_t)(0xc1 + index) << 8; // bus 0xc1+index, device 0, function 0, domain 0
    d->energy_counter = 1;
    d->resolution_uj = 15.259;
    d->npoints = 1;
    d->pw[0] = 100;
    d->sine_period = 1;
    d->vram_total = 65536;
}

static int yes(const char *v) { return strcmp(v, "yes") == 0 || strcmp(v, "1") == 0; }

static int load_scenario(void)
{
    char path[4096];
    const char *env = getenv("FAKE_AMDSMI_SCENARIO");
    if (env && *env) snprintf(path, sizeof path, "%s", env);
    else
    {
        Dl_info info;
        if (!dladdr((void *)&load_scenario, &info) || !info.dli_fname) return 0;
        snprintf(path, sizeof path, "%s", info.dli_fname);
        char *slash = strrchr(path, '/');
        if (slash) slash[1] = 0; else path[0] = 0;
        strncat(path, "fake-amdsmi-scenario.txt", sizeof path - strlen(path) - 1);
    }
    FILE *f = fopen(path, "r");
    if (!f)
    {
        fprintf(stderr, "fake-amdsmi: cannot open scenario file %s (set FAKE_AMDSMI_SCENARIO)\n", path);
        return 0;
    }
    fake_gpu *d = NULL;
    char line[4096];
    while (fgets(line, sizeof line, f))
    {
        char *hash = strchr(line, '#');
        if (hash) *hash = 0;
        char *s = trim(line);
        if (!*s) continue;
        if (strcmp(s, "[device]") == 0)
        {
            if (g_ngpus >= MAX_DEVICES) break;
            d = &g_gpus[g_ngpus];
            default_gpu(d, g_ngpus);
            g_ngpus++;
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) continue;
        *eq = 0;
        char *key = trim(s), *value = trim(eq + 1);
        if (strncmp(key, "fail.", 5) == 0)
        {
            if (d) add_fail(d->fails, &d->nfails, key + 5, value);
            else add_fail(g_fails, &g_nfails, key + 5, value);
        }
        else if (!d)
        {
            if (strcmp(key, "init") == 0) g_init_code = (uint32_t)strtoul(value, NULL, 10);
            else if (strcmp(key, "abi") == 0) g_abi = atoi(value);
            else if (strcmp(key, "time_origin_ns") == 0)
            {
                g_origin_s = strtod(value, NULL) * 1e-9;
                g_has_origin = 1;
            }
        }
        else if (strcmp(key, "name") == 0) snprintf(d->name, sizeof d->name, "%s", value);
        else if (strcmp(key, "product_name") == 0) snprintf(d->product_name, sizeof d->product_name, "%s", value);
        else if (strcmp(key, "uuid") == 0) snprintf(d->uuid, sizeof d->uuid, "%s", value);
        else if (strcmp(key, "hip_uuid") == 0) snprintf(d->hip_uuid, sizeof d->hip_uuid, "%s", value);
        else if (strcmp(key, "hip_id") == 0) { d->hip_id = (uint32_t)atoi(value); d->has_hip_id = 1; }
        else if (strcmp(key, "bdf") == 0)
        {
            unsigned int domain = 0, bus = 0, dev = 0, fn = 0;
            sscanf(value, "%x:%x:%x.%x", &domain, &bus, &dev, &fn);
            amdsmi_bdf_t b;
            b.as_uint = 0;
            b.domain_number = domain;
            b.bus_number = bus;
            b.device_number = dev;
            b.function_number = fn;
            d->bdf = b.as_uint;
        }
        else if (strcmp(key, "energy_counter") == 0) d->energy_counter = yes(value);
        else if (strcmp(key, "counter_stuck") == 0) d->counter_stuck = yes(value);
        else if (strcmp(key, "resolution_uj") == 0) d->resolution_uj = strtod(value, NULL);
        else if (strcmp(key, "energy_offset_j") == 0) d->energy_offset_j = strtod(value, NULL);
        else if (strcmp(key, "power_w") == 0) parse_points(d, value);
        else if (strcmp(key, "sine_amplitude_w") == 0) d->sine_amp = strtod(value, NULL);
        else if (strcmp(key, "sine_period_s") == 0) d->sine_period = strtod(value, NULL);
        else if (strcmp(key, "power_field") == 0) d->power_average = strcmp(value, "average") == 0;
        else if (strcmp(key, "counter_jump_j") == 0 && d->njumps < MAX_JUMPS)
        {
            char *at = strchr(value, '@');
            d->jump_j[d->njumps] = strtod(value, NULL);
            d->jump_t[d->njumps] = at ? strtod(at + 1, NULL) : 0;
            d->njumps++;
        }
        else if (strcmp(key, "gfx_activity") == 0) d->gfx_activity = (uint32_t)atoi(value);
        else if (strcmp(key, "vram_used_mb") == 0) d->vram_used = (uint32_t)atoi(value);
        else if (strcmp(key, "vram_total_mb") == 0) d->vram_total = (uint32_t)atoi(value);
    }
    fclose(f);
    for (int i = 0; i < g_ngpus; i++)
    {
        if (!g_gpus[i].has_hip_id) g_gpus[i].hip_id = (uint32_t)i;
        if (!g_gpus[i].product_name[0]) snprintf(g_gpus[i].product_name, sizeof g_gpus[i].product_name, "%s", g_gpus[i].name);
    }
    return 1;
}

static double power_at(const fake_gpu *d, double t)
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

// Exact integral of power_at over [0, t] in J: trapezoids of the linear part, closed form of the sine.
static double energy_to(const fake_gpu *d, double t)
{
    fake_gpu linear = *d;
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
    if (d->sine_amp != 0) e += d->sine_amp * d->sine_period / (2 * M_PI) * (1 - cos(2 * M_PI * t / d->sine_period));
    return e;
}

static double elapsed(void)
{
    double t = now_s() - g_origin_s;
    return t < 0 ? 0 : t;
}

static uint32_t fail_code(const fail_t *fails, int n, const char *fn)
{
    for (int i = 0; i < n; i++)
    {
        const fail_t *f = &fails[i];
        if (strcmp(f->function, fn) != 0 && strcmp(f->function, "*") != 0) continue;
        double t = now_s() - g_origin_s;
        if (t >= f->from_s && t < f->until_s) return f->code;
    }
    return 0;
}

static fake_gpu *gpu(void *handle)
{
    for (int i = 0; i < g_ngpus; i++)
        if (handle == &g_gpus[i]) return &g_gpus[i];
    return NULL;
}

#define CHECK_INIT() do { if (g_init_count <= 0) return AMDSMI_STATUS_NOT_INIT; } while (0)
#define CHECK_FAIL(d) do { uint32_t c_ = (d) ? fail_code((d)->fails, (d)->nfails, __func__) : 0; \
    if (!c_) { c_ = fail_code(g_fails, g_nfails, __func__); } \
    if (c_) { return c_; } } while (0)
#define GPU_OR_INVAL(h) fake_gpu *d = gpu(h); if (!d) return AMDSMI_STATUS_INVAL

EXPORT amdsmi_status_t amdsmi_init(uint64_t init_flags)
{
    pthread_mutex_lock(&g_lock);
    if (!g_loaded)
    {
        if (!load_scenario())
        {
            pthread_mutex_unlock(&g_lock);
            return 0xFFFFFFFFu; // AMDSMI_STATUS_UNKNOWN_ERROR
        }
        g_loaded = 1;
        if (!g_has_origin)
        {
            g_origin_s = now_s();
            g_has_origin = 1;
        }
    }
    uint32_t code = g_init_code ? g_init_code : fail_code(g_fails, g_nfails, "amdsmi_init");
    if (!code && !(init_flags & AMDSMI_INIT_AMD_GPUS)) code = AMDSMI_STATUS_INVAL; // TrainWatt asks for GPUs
    if (!code) g_init_count++;
    pthread_mutex_unlock(&g_lock);
    return code;
}

EXPORT amdsmi_status_t amdsmi_shut_down(void)
{
    pthread_mutex_lock(&g_lock);
    amdsmi_status_t code = g_init_count > 0 ? AMDSMI_STATUS_SUCCESS : AMDSMI_STATUS_NOT_INIT;
    if (g_init_count > 0) g_init_count--;
    pthread_mutex_unlock(&g_lock);
    return code;
}

EXPORT amdsmi_status_t amdsmi_status_code_to_string(amdsmi_status_t status, const char **text)
{
    if (!text) return AMDSMI_STATUS_INVAL;
    switch (status)
    {
    case 0: *text = "AMDSMI_STATUS_SUCCESS: Call succeeded"; break;
    case 2: *text = "AMDSMI_STATUS_NOT_SUPPORTED: Command not supported"; break;
    case 10: *text = "AMDSMI_STATUS_NO_PERM: Permission Denied"; break;
    case 34: *text = "AMDSMI_STATUS_DRIVER_NOT_LOADED: Processor driver not loaded"; break;
    default: *text = "AMDSMI_STATUS_UNKNOWN_ERROR: An unknown error occurred"; break;
    }
    return AMDSMI_STATUS_SUCCESS;
}

EXPORT amdsmi_status_t amdsmi_get_lib_version(void *version)
{
    CHECK_INIT();
    if (!version) return AMDSMI_STATUS_INVAL;
    if (g_abi <= 24)
    {
        version_v24_t *v = version;
        v->year = 24; v->major = 7; v->minor = 1; v->release = 0; v->build = "24.7.1.fake";
    }
    else
    {
        version_v25_t *v = version;
        v->major = (uint32_t)g_abi; v->minor = g_abi == 25 ? 3 : 1; v->release = 0; v->build = g_abi == 25 ? "25.3.0.fake" : "26.1.0.fake";
    }
    return AMDSMI_STATUS_SUCCESS;
}

// Writes min(*count, available) handles; *count becomes the number available (amdsmi.h: "or the number of ... that
// could have been written if enough memory had been provided").
EXPORT amdsmi_status_t amdsmi_get_socket_handles(uint32_t *socket_count, amdsmi_socket_handle *socket_handles)
{
    CHECK_INIT();
    CHECK_FAIL((fake_gpu *)NULL);
    if (!socket_count) return AMDSMI_STATUS_INVAL;
    if (socket_handles)
        for (uint32_t i = 0; i < *socket_count && i < (uint32_t)g_ngpus; i++) socket_handles[i] = &g_gpus[i];
    *socket_count = (uint32_t)g_ngpus;
    return AMDSMI_STATUS_SUCCESS;
}

EXPORT amdsmi_status_t amdsmi_get_processor_handles(amdsmi_socket_handle socket, uint32_t *processor_count, amdsmi_processor_handle *processor_handles)
{
    CHECK_INIT();
    GPU_OR_INVAL(socket);
    CHECK_FAIL(d);
    if (!processor_count) return AMDSMI_STATUS_INVAL;
    if (processor_handles && *processor_count >= 1) processor_handles[0] = d;
    *processor_count = 1;
    return AMDSMI_STATUS_SUCCESS;
}

EXPORT amdsmi_status_t amdsmi_get_gpu_device_uuid(amdsmi_processor_handle h, unsigned int *uuid_length, char *uuid)
{
    CHECK_INIT();
    GPU_OR_INVAL(h);
    CHECK_FAIL(d);
    if (!uuid_length || !uuid) return AMDSMI_STATUS_INVAL;
    if (*uuid_length < 38) return AMDSMI_STATUS_INSUFFICIENT_SIZE; // AMDSMI_GPU_UUID_SIZE
    snprintf(uuid, *uuid_length, "%s", d->uuid);
    *uuid_length = (unsigned int)strlen(uuid);
    return AMDSMI_STATUS_SUCCESS;
}

EXPORT amdsmi_status_t amdsmi_get_gpu_device_bdf(amdsmi_processor_handle h, amdsmi_bdf_t *bdf)
{
    CHECK_INIT();
    GPU_OR_INVAL(h);
    CHECK_FAIL(d);
    if (!bdf) return AMDSMI_STATUS_INVAL;
    bdf->as_uint = d->bdf;
    return AMDSMI_STATUS_SUCCESS;
}

EXPORT amdsmi_status_t amdsmi_get_gpu_asic_info(amdsmi_processor_handle h, void *info)
{
    CHECK_INIT();
    GPU_OR_INVAL(h);
    CHECK_FAIL(d);
    if (!info) return AMDSMI_STATUS_INVAL;
    if (g_abi <= 25)
    {
        asic_info_v24_t *a = info;
        memset(a, 0, sizeof *a);
        snprintf(a->market_name, sizeof a->market_name, "%s", d->name);
        a->vendor_id = 0x1002;
        snprintf(a->vendor_name, sizeof a->vendor_name, "Advanced Micro Devices Inc. [AMD/ATI]");
        a->oam_id = 0xFFFF;
        a->num_of_compute_units = 304;
        a->target_graphics_version = 0xFFFFFFFFFFFFFFFFull;
    }
    else
    {
        asic_info_v26_t *a = info;
        memset(a, 0, sizeof *a);
        snprintf(a->market_name, sizeof a->market_name, "%s", d->name);
        a->vendor_id = 0x1002;
        snprintf(a->vendor_name, sizeof a->vendor_name, "Advanced Micro Devices Inc. [AMD/ATI]");
        a->oam_id = 0xFFFFFFFF;
        a->num_of_compute_units = 304;
        a->target_graphics_version = 0xFFFFFFFFFFFFFFFFull;
    }
    return AMDSMI_STATUS_SUCCESS;
}

EXPORT amdsmi_status_t amdsmi_get_gpu_board_info(amdsmi_processor_handle h, void *info)
{
    CHECK_INIT();
    GPU_OR_INVAL(h);
    CHECK_FAIL(d);
    if (!info) return AMDSMI_STATUS_INVAL;
    if (g_abi <= 25)
    {
        board_info_v24_t *b = info;
        memset(b, 0, sizeof *b);
        snprintf(b->product_name, sizeof b->product_name, "%s", d->product_name);
        snprintf(b->manufacturer_name, sizeof b->manufacturer_name, "AMD");
    }
    else
    {
        board_info_v26_t *b = info;
        memset(b, 0, sizeof *b);
        snprintf(b->product_name, sizeof b->product_name, "%s", d->product_name);
        snprintf(b->manufacturer_name, sizeof b->manufacturer_name, "AMD");
    }
    return AMDSMI_STATUS_SUCCESS;
}

EXPORT amdsmi_status_t amdsmi_get_gpu_enumeration_info(amdsmi_processor_handle h, enumeration_info_t *info)
{
    CHECK_INIT();
    GPU_OR_INVAL(h);
    CHECK_FAIL(d);
    if (!info) return AMDSMI_STATUS_INVAL;
    if (g_abi <= 24) return AMDSMI_STATUS_NOT_SUPPORTED; // added in ROCm 6.4 (amd_smi_lib 25.3)
    memset(info, 0, sizeof *info);
    info->drm_render = 128 + (uint32_t)(d - g_gpus);
    info->drm_card = (uint32_t)(d - g_gpus);
    info->hsa_id = d->hip_id + 1;
    info->hip_id = d->hip_id;
    snprintf(info->hip_uuid, sizeof info->hip_uuid, "%s", d->hip_uuid);
    return AMDSMI_STATUS_SUCCESS;
}

static double counter_joules(const fake_gpu *d, double t)
{
    if (d->counter_stuck) return d->energy_offset_j;
    double e = d->energy_offset_j + energy_to(d, t);
    for (int i = 0; i < d->njumps; i++)
        if (t >= d->jump_t[i]) e += d->jump_j[i];
    return e < 0 ? 0 : e;
}

EXPORT amdsmi_status_t amdsmi_get_energy_count(amdsmi_processor_handle h, uint64_t *energy_accumulator, float *counter_resolution, uint64_t *timestamp)
{
    CHECK_INIT();
    GPU_OR_INVAL(h);
    CHECK_FAIL(d);
    if (!energy_accumulator || !counter_resolution || !timestamp) return AMDSMI_STATUS_INVAL;
    if (!d->energy_counter) return AMDSMI_STATUS_NOT_SUPPORTED;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double now = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
    double t = now - g_origin_s;
    if (t < 0) t = 0;
    float resolution = (float)d->resolution_uj;
    *counter_resolution = resolution;
    *energy_accumulator = (uint64_t)floor(counter_joules(d, t) * 1e6 / (double)resolution);
    *timestamp = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec; // ns, the instant the counter was read
    return AMDSMI_STATUS_SUCCESS;
}

EXPORT amdsmi_status_t amdsmi_get_power_info(amdsmi_processor_handle h, void *info)
{
    CHECK_INIT();
    GPU_OR_INVAL(h);
    CHECK_FAIL(d);
    if (!info) return AMDSMI_STATUS_INVAL;
    double w = power_at(d, elapsed());
    uint32_t watts = w <= 0 ? 0u : (uint32_t)(w + 0.5); // AMD SMI reports whole watts
    uint32_t current = d->power_average ? 0xFFFFFFFFu : watts, average = d->power_average ? watts : 0xFFFFFFFFu;
    if (g_abi <= 24)
    {
        power_info_v24_t *p = info;
        memset(p, 0, sizeof *p);
        p->current_socket_power = current;
        p->average_socket_power = average;
        p->power_limit = 750;
    }
    else if (g_abi == 25)
    {
        power_info_v25_t *p = info;
        memset(p, 0, sizeof *p);
        p->socket_power = 0xFFFFFFFFu; // host only in ROCm 6.4
        p->current_socket_power = current;
        p->average_socket_power = average;
        p->power_limit = 750;
    }
    else
    {
        power_info_v26_t *p = info;
        memset(p, 0, sizeof *p);
        p->socket_power = watts;
        p->current_socket_power = current;
        p->average_socket_power = average;
        p->power_limit = 750;
    }
    return AMDSMI_STATUS_SUCCESS;
}

EXPORT amdsmi_status_t amdsmi_get_gpu_activity(amdsmi_processor_handle h, amdsmi_engine_usage_t *info)
{
    CHECK_INIT();
    GPU_OR_INVAL(h);
    CHECK_FAIL(d);
    if (!info) return AMDSMI_STATUS_INVAL;
    memset(info, 0, sizeof *info);
    info->gfx_activity = d->gfx_activity;
    return AMDSMI_STATUS_SUCCESS;
}

EXPORT amdsmi_status_t amdsmi_get_gpu_vram_usage(amdsmi_processor_handle h, amdsmi_vram_usage_t *info)
{
    CHECK_INIT();
    GPU_OR_INVAL(h);
    CHECK_FAIL(d);
    if (!info) return AMDSMI_STATUS_INVAL;
    memset(info, 0, sizeof *info);
    info->vram_total = d->vram_total;
    info->vram_used = d->vram_used;
    return AMDSMI_STATUS_SUCCESS;
}

// Layouts from amdsmi.h; TrainWatt's AmdSmiStructs.cs must agree (its tests read every field back through this file).
_Static_assert(sizeof(amdsmi_bdf_t) == 8, "amdsmi_bdf_t is 8 bytes");
_Static_assert(sizeof(power_info_v24_t) == 68, "amdsmi_power_info_t (ROCm 6.1-6.3) is 68 bytes");
_Static_assert(sizeof(power_info_v25_t) == 40, "amdsmi_power_info_t (ROCm 6.4) is 40 bytes");
_Static_assert(sizeof(power_info_v26_t) == 192, "amdsmi_power_info_t (ROCm 7) is 192 bytes");
_Static_assert(__builtin_offsetof(power_info_v26_t, current_socket_power) == 8, "current_socket_power at 8");
_Static_assert(sizeof(asic_info_v24_t) == 456, "amdsmi_asic_info_t (ROCm 6.2-6.3) is 456 bytes");
_Static_assert(sizeof(asic_info_v26_t) == 896, "amdsmi_asic_info_t (ROCm 7) is 896 bytes");
_Static_assert(__builtin_offsetof(board_info_v24_t, product_name) == 320, "product_name at 320 (ROCm 6.2-6.3)");
_Static_assert(__builtin_offsetof(board_info_v26_t, product_name) == 768, "product_name at 768 (ROCm 7)");
_Static_assert(sizeof(amdsmi_engine_usage_t) == 64, "amdsmi_engine_usage_t is 64 bytes");
_Static_assert(sizeof(version_v24_t) == 24 && sizeof(version_v25_t) == 24, "amdsmi_version_t is 24 bytes");
