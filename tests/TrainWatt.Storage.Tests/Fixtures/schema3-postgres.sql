--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)




--
-- Name: annotations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.annotations (
    id bigint NOT NULL,
    run_id bigint NOT NULL,
    device_id bigint,
    kind text NOT NULL,
    file text,
    line integer,
    message text NOT NULL
);


--
-- Name: annotations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.annotations ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.annotations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: devices; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.devices (
    id bigint NOT NULL,
    run_id bigint NOT NULL,
    key text NOT NULL,
    component text NOT NULL,
    name text,
    uuid text,
    provenance text NOT NULL,
    note text,
    CONSTRAINT devices_provenance_check CHECK ((provenance = ANY (ARRAY['counter'::text, 'sampled'::text, 'model'::text, 'user_given'::text])))
);


--
-- Name: devices_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.devices ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.devices_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: epochs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.epochs (
    run_id bigint NOT NULL,
    n integer NOT NULL,
    start_t double precision NOT NULL,
    end_t double precision NOT NULL,
    energy_j double precision,
    provenance text NOT NULL,
    samples_seen bigint,
    CONSTRAINT epochs_provenance_check CHECK ((provenance = ANY (ARRAY['counter'::text, 'sampled'::text, 'model'::text, 'user_given'::text])))
);


--
-- Name: projections; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.projections (
    id bigint NOT NULL,
    run_id bigint NOT NULL,
    epoch integer NOT NULL,
    projected_j double precision NOT NULL,
    lower_j double precision NOT NULL,
    upper_j double precision NOT NULL,
    confidence double precision NOT NULL,
    method text NOT NULL,
    stable_from integer,
    total_epochs_min integer,
    total_epochs_max integer,
    t double precision NOT NULL,
    startup_j double precision,
    tail_j double precision,
    tail_prior_source text,
    drift_prior double precision,
    drift_prior_source text,
    CONSTRAINT projections_confidence_check CHECK (((confidence > (0)::double precision) AND (confidence < (1)::double precision)))
);


--
-- Name: projections_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.projections ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.projections_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: runs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.runs (
    id bigint NOT NULL,
    uuid text NOT NULL,
    source text NOT NULL,
    source_key text,
    started_at double precision NOT NULL,
    ended_at double precision,
    status text NOT NULL,
    exit_code integer,
    command text,
    tags text DEFAULT '{}'::text NOT NULL,
    job_id text,
    host text,
    pid integer,
    metadata text,
    heartbeat_at double precision NOT NULL,
    CONSTRAINT runs_status_check CHECK ((status = ANY (ARRAY['running'::text, 'completed'::text, 'incomplete'::text, 'failed'::text])))
);


--
-- Name: runs_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.runs ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.runs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: samples; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.samples (
    device_id bigint NOT NULL,
    t double precision NOT NULL,
    power_w double precision,
    energy_j double precision,
    utilization_pct double precision,
    memory_mib double precision,
    temperature_c double precision,
    provenance text NOT NULL,
    source_line integer,
    CONSTRAINT samples_provenance_check CHECK ((provenance = ANY (ARRAY['counter'::text, 'sampled'::text, 'model'::text, 'user_given'::text])))
);


--
-- Name: schema_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_version (
    version integer NOT NULL,
    description text NOT NULL,
    applied_at text NOT NULL
);


--
-- Data for Name: annotations; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.annotations OVERRIDING SYSTEM VALUE VALUES (1, 1, NULL, 'measure_note', NULL, NULL, 'epochs: following Keras "Epoch k/N" lines (--framework keras).');
INSERT INTO public.annotations OVERRIDING SYSTEM VALUE VALUES (2, 1, NULL, 'total_epochs', NULL, NULL, '3');


--
-- Data for Name: devices; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.devices OVERRIDING SYSTEM VALUE VALUES (1, 1, 'gpu:0', 'gpu', 'NVIDIA Fake A100', 'GPU-aaaaaaaa-1111-2222-3333-444444444444', 'counter', 'NVML total energy counter (nvmlDeviceGetTotalEnergyConsumption, mJ); power sampled from instantaneous power (NVML_FI_DEV_POWER_INSTANT) alongside');
INSERT INTO public.devices OVERRIDING SYSTEM VALUE VALUES (2, 1, 'gpu:1', 'gpu', 'NVIDIA Fake TITAN Xp', 'GPU-bbbbbbbb-5555-6666-7777-888888888888', 'sampled', 'NVML total energy counter unavailable on this GPU (NVML_ERROR_NOT_SUPPORTED: The device does not support this query. It needs a Volta or newer GPU); board power is sampled from instantaneous power (NVML_FI_DEV_POWER_INSTANT) and integrated over time.');
INSERT INTO public.devices OVERRIDING SYSTEM VALUE VALUES (3, 2, 'gpu:0', 'gpu', 'NVIDIA GeForce RTX 3090', NULL, 'sampled', 'nvidia-smi power.draw samples');
INSERT INTO public.devices OVERRIDING SYSTEM VALUE VALUES (4, 3, 'gpu:0', 'gpu', 'NVIDIA Fake A100', 'GPU-aaaaaaaa-1111-2222-3333-444444444444', 'counter', 'NVML total energy counter (nvmlDeviceGetTotalEnergyConsumption, mJ); power sampled from instantaneous power (NVML_FI_DEV_POWER_INSTANT) alongside');
INSERT INTO public.devices OVERRIDING SYSTEM VALUE VALUES (5, 3, 'gpu:1', 'gpu', 'NVIDIA Fake TITAN Xp', 'GPU-bbbbbbbb-5555-6666-7777-888888888888', 'sampled', 'NVML total energy counter unavailable on this GPU (NVML_ERROR_NOT_SUPPORTED: The device does not support this query. It needs a Volta or newer GPU); board power is sampled from instantaneous power (NVML_FI_DEV_POWER_INSTANT) and integrated over time.');


--
-- Data for Name: epochs; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.epochs VALUES (1, 1, 1796298233.64157, 1796298234.124017, 178.51547799999992, 'sampled', NULL);
INSERT INTO public.epochs VALUES (1, 2, 1796298234.124017, 1796298234.7308035, 231.80657000000008, 'sampled', NULL);
INSERT INTO public.epochs VALUES (1, 3, 1796298234.7308035, 1796298235.3501253, 238.55194200000017, 'sampled', NULL);


--
-- Data for Name: projections; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: runs; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.runs OVERRIDING SYSTEM VALUE VALUES (1, '01a23bb7-d2c5-736c-bc5b-1b889335bf96', 'measure', NULL, 1796298232.4134903, 1796298235.381333, 'completed', 0, 'bash -c ''for i in 1 2 3; do echo "Epoch $i/3"; sleep 0.6; echo "10/10 - 1s - loss: 0.5"; done''', '{}', NULL, 'vm', 10568, '{"interval_ms":50,"host":"vm","node":"vm"}', 1796298235.5515945);
INSERT INTO public.runs OVERRIDING SYSTEM VALUE VALUES (2, '01a23bb7-edf5-7790-8cce-b1aae1ad1436', 'import:nvidia-smi', 'nvidia-smi:samples/traces/gpu-power-sample.csv.gz#0', 1717423200, 1717424125.27, 'completed', NULL, NULL, '{}', NULL, 'vm', 10890, '{"file":"samples/traces/gpu-power-sample.csv.gz","device":"0","gpu_name":"NVIDIA GeForce RTX 3090","clock":"as written by nvidia-smi (local wall clock, zone unknown), stored with offset zero"}', 1796298239.9909596);
INSERT INTO public.runs OVERRIDING SYSTEM VALUE VALUES (3, '01a23bb8-1a8b-7e20-bc7c-c9adfbbc1c0c', 'measure', NULL, 1796298250.734207, 1796298252.7924984, 'completed', 0, 'sleep 1', '{}', NULL, 'vm', 11021, '{"interval_ms":50,"host":"vm","node":"vm"}', 1796298252.9393709);


--
-- Data for Name: samples; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.samples VALUES (1, 1796298232.4134903, 195.372, 0, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298232.4134903, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298233.4089997, 217.53, 194.40699999999993, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298233.4089997, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298233.5594213, 215.562, 227.317, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298233.5594213, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298233.5662048, 214.871, 228.77599999999995, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298233.5662048, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298233.6342309, 205.989, 243.10799999999995, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298233.6342309, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298233.64157, 204.88, 244.61599999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298233.64157, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298233.682286, 198.535, 252.82999999999993, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298233.682286, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298233.71418, 193.637, 259.08299999999997, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298233.71418, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298233.7981951, 183.349, 274.88199999999995, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298233.7981951, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298233.8342266, 180.918, 281.44100000000003, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298233.8342266, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298233.886246, 180.109, 290.817, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298233.886246, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298233.9216611, 181.446, 297.21399999999994, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298233.9216611, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298233.9629395, 184.79, 304.7660000000001, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298233.9629395, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.0222049, 192.238, 315.9269999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.0222049, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.0790963, 200.965, 327.10799999999995, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.0790963, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.1142032, 206.367, 334.259, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.1142032, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.124017, 207.808, 336.29099999999994, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.124017, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.2141569, 217.905, 355.529, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.2141569, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.2141812, 217.907, 355.5350000000001, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.2141812, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.2679443, 219.985, 367.3209999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.2679443, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.311203, 219.104, 376.827, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.311203, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.3688176, 214.593, 389.337, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.3688176, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.4121344, 209.194, 398.52099999999996, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.4121344, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.4627292, 201.604, 408.91599999999994, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.4627292, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.5342913, 190.733, 422.9469999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.5342913, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.59417, 183.708, 434.14300000000003, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.59417, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.6144433, 182.075, 437.8499999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.6144433, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.6798675, 180.029, 449.6679999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.6798675, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.7144413, 181.052, 455.90599999999995, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.7144413, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.7308035, 182.029, 458.876, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.7308035, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.8062356, 189.993, 472.875, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.8062356, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.8222723, 192.248, 475.94000000000005, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.8222723, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.8631802, 198.466, 483.9290000000001, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.8631802, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.9104872, 205.811, 493.49299999999994, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.9104872, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298234.963094, 213.006, 504.51700000000005, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298234.963094, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298235.011633, 217.725, 514.98, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298235.011633, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298235.0742335, 219.999, 528.7049999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298235.0742335, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298235.1112783, 219.101, 536.8430000000001, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298235.1112783, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298235.162663, 215.238, 548.0139999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298235.162663, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298235.2303183, 206.571, 562.3019999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298235.2303183, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298235.273326, 199.941, 571.0439999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298235.273326, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298235.3127253, 193.853, 578.8009999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298235.3127253, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298235.3501253, 188.607, 585.95, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298235.3501253, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298235.3639276, 186.895, 588.5409999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298235.3639276, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (1, 1796298235.381333, 184.958, 591.777, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (2, 1796298235.381333, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (3, 1717423200, 21.76, NULL, 0, 412, 38, 'sampled', 2);
INSERT INTO public.samples VALUES (3, 1717423201.003, 23.93, NULL, 0, 412, 38, 'sampled', 3);
INSERT INTO public.samples VALUES (3, 1717423202.005, 23.54, NULL, 0, 412, 38, 'sampled', 4);
INSERT INTO public.samples VALUES (3, 1717423203.007, 20.07, NULL, 0, 412, 38, 'sampled', 5);
INSERT INTO public.samples VALUES (3, 1717423204.01, 21.62, NULL, 0, 412, 38, 'sampled', 6);
INSERT INTO public.samples VALUES (3, 1717423205.013, 21.74, NULL, 0, 412, 38, 'sampled', 7);
INSERT INTO public.samples VALUES (3, 1717423206.017, 23.67, NULL, 0, 412, 38, 'sampled', 8);
INSERT INTO public.samples VALUES (3, 1717423207.02, 23.44, NULL, 0, 412, 38, 'sampled', 9);
INSERT INTO public.samples VALUES (3, 1717423208.021, 21.74, NULL, 0, 412, 38, 'sampled', 10);
INSERT INTO public.samples VALUES (3, 1717423209.022, 19.93, NULL, 0, 412, 38, 'sampled', 11);
INSERT INTO public.samples VALUES (3, 1717423210.023, 20.71, NULL, 0, 412, 37, 'sampled', 12);
INSERT INTO public.samples VALUES (3, 1717423211.024, 20.22, NULL, 0, 412, 37, 'sampled', 13);
INSERT INTO public.samples VALUES (3, 1717423212.026, 57.8, NULL, 2, 1912, 37, 'sampled', 14);
INSERT INTO public.samples VALUES (3, 1717423213.03, 57.57, NULL, 2, 3412, 37, 'sampled', 15);
INSERT INTO public.samples VALUES (3, 1717423214.031, 57.66, NULL, 2, 4912, 38, 'sampled', 16);
INSERT INTO public.samples VALUES (3, 1717423215.032, 58.97, NULL, 2, 6412, 38, 'sampled', 17);
INSERT INTO public.samples VALUES (3, 1717423216.033, 57.65, NULL, 2, 7912, 38, 'sampled', 18);
INSERT INTO public.samples VALUES (3, 1717423217.036, 54.88, NULL, 2, 9412, 38, 'sampled', 19);
INSERT INTO public.samples VALUES (3, 1717423218.04, 57.54, NULL, 2, 10912, 38, 'sampled', 20);
INSERT INTO public.samples VALUES (3, 1717423219.043, 56.46, NULL, 2, 12412, 38, 'sampled', 21);
INSERT INTO public.samples VALUES (3, 1717423220.046, 59.08, NULL, 2, 13912, 38, 'sampled', 22);
INSERT INTO public.samples VALUES (3, 1717423221.047, 58.19, NULL, 2, 15412, 38, 'sampled', 23);
INSERT INTO public.samples VALUES (3, 1717423222.051, 94.48, NULL, 18, 16912, 38, 'sampled', 24);
INSERT INTO public.samples VALUES (3, 1717423223.052, 93.92, NULL, 18, 18412, 38, 'sampled', 25);
INSERT INTO public.samples VALUES (3, 1717423224.056, 94.44, NULL, 18, 19912, 38, 'sampled', 26);
INSERT INTO public.samples VALUES (3, 1717423225.059, 94.77, NULL, 18, 20614, 38, 'sampled', 27);
INSERT INTO public.samples VALUES (3, 1717423226.062, 95.36, NULL, 18, 20614, 38, 'sampled', 28);
INSERT INTO public.samples VALUES (3, 1717423227.064, 97.76, NULL, 18, 20614, 38, 'sampled', 29);
INSERT INTO public.samples VALUES (3, 1717423228.068, 93.09, NULL, 18, 20614, 38, 'sampled', 30);
INSERT INTO public.samples VALUES (3, 1717423229.069, 94.81, NULL, 18, 20614, 39, 'sampled', 31);
INSERT INTO public.samples VALUES (3, 1717423230.072, 95.92, NULL, 18, 20614, 39, 'sampled', 32);
INSERT INTO public.samples VALUES (3, 1717423231.073, 96.16, NULL, 18, 20614, 39, 'sampled', 33);
INSERT INTO public.samples VALUES (3, 1717423232.075, 97.04, NULL, 18, 20614, 39, 'sampled', 34);
INSERT INTO public.samples VALUES (3, 1717423233.076, 95.14, NULL, 18, 20614, 39, 'sampled', 35);
INSERT INTO public.samples VALUES (3, 1717423234.079, 94.59, NULL, 18, 20614, 39, 'sampled', 36);
INSERT INTO public.samples VALUES (3, 1717423235.081, 97.08, NULL, 18, 20614, 39, 'sampled', 37);
INSERT INTO public.samples VALUES (3, 1717423236.083, 94.97, NULL, 18, 20614, 39, 'sampled', 38);
INSERT INTO public.samples VALUES (3, 1717423237.085, 247.07, NULL, 53, 20614, 40, 'sampled', 39);
INSERT INTO public.samples VALUES (3, 1717423238.087, 152.5, NULL, 55, 20614, 40, 'sampled', 40);
INSERT INTO public.samples VALUES (3, 1717423239.091, 147.41, NULL, 41, 20614, 40, 'sampled', 41);
INSERT INTO public.samples VALUES (3, 1717423240.093, 223.46, NULL, 65, 20614, 40, 'sampled', 42);
INSERT INTO public.samples VALUES (3, 1717423241.097, 187.51, NULL, 65, 20614, 41, 'sampled', 43);
INSERT INTO public.samples VALUES (3, 1717423242.1, 244.41, NULL, 50, 20614, 41, 'sampled', 44);
INSERT INTO public.samples VALUES (3, 1717423243.102, 225.54, NULL, 49, 20614, 41, 'sampled', 45);
INSERT INTO public.samples VALUES (3, 1717423244.106, 241.55, NULL, 63, 20614, 42, 'sampled', 46);
INSERT INTO public.samples VALUES (3, 1717423245.107, 187.45, NULL, 48, 20614, 42, 'sampled', 47);
INSERT INTO public.samples VALUES (3, 1717423246.11, 214.58, NULL, 66, 20614, 42, 'sampled', 48);
INSERT INTO public.samples VALUES (3, 1717423247.114, 185.95, NULL, 79, 20614, 43, 'sampled', 49);
INSERT INTO public.samples VALUES (3, 1717423248.115, 168.38, NULL, 57, 20614, 43, 'sampled', 50);
INSERT INTO public.samples VALUES (3, 1717423249.117, 240.03, NULL, 71, 20614, 43, 'sampled', 51);
INSERT INTO public.samples VALUES (3, 1717423250.118, 240.28, NULL, 60, 20614, 43, 'sampled', 52);
INSERT INTO public.samples VALUES (3, 1717423251.12, 155.79, NULL, 66, 20614, 44, 'sampled', 53);
INSERT INTO public.samples VALUES (3, 1717423252.123, 157.81, NULL, 52, 20614, 44, 'sampled', 54);
INSERT INTO public.samples VALUES (3, 1717423253.124, 164.27, NULL, 41, 20614, 44, 'sampled', 55);
INSERT INTO public.samples VALUES (3, 1717423254.125, 228.37, NULL, 58, 20614, 44, 'sampled', 56);
INSERT INTO public.samples VALUES (3, 1717423255.128, 190.33, NULL, 40, 20614, 44, 'sampled', 57);
INSERT INTO public.samples VALUES (3, 1717423256.13, 213.42, NULL, 59, 20614, 45, 'sampled', 58);
INSERT INTO public.samples VALUES (3, 1717423257.134, 292, NULL, 97, 20614, 45, 'sampled', 59);
INSERT INTO public.samples VALUES (3, 1717423258.137, 292.03, NULL, 93, 20614, 45, 'sampled', 60);
INSERT INTO public.samples VALUES (3, 1717423259.141, 288.8, NULL, 93, 20614, 46, 'sampled', 61);
INSERT INTO public.samples VALUES (3, 1717423260.144, 289.97, NULL, 94, 20614, 46, 'sampled', 62);
INSERT INTO public.samples VALUES (3, 1717423261.148, 302.47, NULL, 93, 20614, 47, 'sampled', 63);
INSERT INTO public.samples VALUES (3, 1717423262.152, 288.76, NULL, 93, 20614, 47, 'sampled', 64);
INSERT INTO public.samples VALUES (3, 1717423263.155, 290.76, NULL, 92, 20614, 47, 'sampled', 65);
INSERT INTO public.samples VALUES (3, 1717423264.159, 287.12, NULL, 96, 20614, 48, 'sampled', 66);
INSERT INTO public.samples VALUES (3, 1717423265.163, 272.55, NULL, 94, 20614, 48, 'sampled', 67);
INSERT INTO public.samples VALUES (3, 1717423266.167, 279.85, NULL, 94, 20614, 48, 'sampled', 68);
INSERT INTO public.samples VALUES (3, 1717423267.17, 290.25, NULL, 97, 20614, 49, 'sampled', 69);
INSERT INTO public.samples VALUES (3, 1717423268.173, 278.28, NULL, 94, 20614, 49, 'sampled', 70);
INSERT INTO public.samples VALUES (3, 1717423269.175, 287.58, NULL, 91, 20614, 49, 'sampled', 71);
INSERT INTO public.samples VALUES (3, 1717423270.178, 281.53, NULL, 93, 20614, 50, 'sampled', 72);
INSERT INTO public.samples VALUES (3, 1717423271.179, 291.59, NULL, 94, 20614, 50, 'sampled', 73);
INSERT INTO public.samples VALUES (3, 1717423272.182, 285.28, NULL, 93, 20614, 50, 'sampled', 74);
INSERT INTO public.samples VALUES (3, 1717423273.184, 286.3, NULL, 91, 20614, 51, 'sampled', 75);
INSERT INTO public.samples VALUES (3, 1717423274.185, 278.61, NULL, 91, 20614, 51, 'sampled', 76);
INSERT INTO public.samples VALUES (3, 1717423275.189, 299.28, NULL, 98, 20614, 51, 'sampled', 77);
INSERT INTO public.samples VALUES (3, 1717423276.19, 291.06, NULL, 94, 20614, 52, 'sampled', 78);
INSERT INTO public.samples VALUES (3, 1717423277.192, 288.8, NULL, 95, 20614, 52, 'sampled', 79);
INSERT INTO public.samples VALUES (3, 1717423278.194, 288.62, NULL, 98, 20614, 52, 'sampled', 80);
INSERT INTO public.samples VALUES (3, 1717423279.196, 298.44, NULL, 95, 20614, 53, 'sampled', 81);
INSERT INTO public.samples VALUES (3, 1717423280.197, 286.17, NULL, 95, 20614, 53, 'sampled', 82);
INSERT INTO public.samples VALUES (3, 1717423281.198, 282.87, NULL, 93, 20614, 53, 'sampled', 83);
INSERT INTO public.samples VALUES (3, 1717423282.202, 293.81, NULL, 93, 20614, 53, 'sampled', 84);
INSERT INTO public.samples VALUES (3, 1717423283.206, 301.05, NULL, 91, 20614, 54, 'sampled', 85);
INSERT INTO public.samples VALUES (3, 1717423284.208, 290.85, NULL, 94, 20614, 54, 'sampled', 86);
INSERT INTO public.samples VALUES (3, 1717423285.209, 293.14, NULL, 94, 20614, 54, 'sampled', 87);
INSERT INTO public.samples VALUES (3, 1717423286.211, 291.13, NULL, 94, 20614, 54, 'sampled', 88);
INSERT INTO public.samples VALUES (3, 1717423287.215, 311.68, NULL, 97, 20614, 55, 'sampled', 89);
INSERT INTO public.samples VALUES (3, 1717423288.216, 297.52, NULL, 91, 20614, 55, 'sampled', 90);
INSERT INTO public.samples VALUES (3, 1717423289.22, 283.82, NULL, 94, 20614, 55, 'sampled', 91);
INSERT INTO public.samples VALUES (3, 1717423290.222, 307.05, NULL, 94, 20614, 56, 'sampled', 92);
INSERT INTO public.samples VALUES (3, 1717423291.226, 299.82, NULL, 98, 20614, 56, 'sampled', 93);
INSERT INTO public.samples VALUES (3, 1717423292.228, 305.36, NULL, 97, 20614, 56, 'sampled', 94);
INSERT INTO public.samples VALUES (3, 1717423293.229, 302.64, NULL, 97, 20614, 56, 'sampled', 95);
INSERT INTO public.samples VALUES (3, 1717423294.233, 298.52, NULL, 96, 20614, 57, 'sampled', 96);
INSERT INTO public.samples VALUES (3, 1717423295.234, 287.48, NULL, 91, 20614, 57, 'sampled', 97);
INSERT INTO public.samples VALUES (3, 1717423296.238, 297.47, NULL, 95, 20614, 57, 'sampled', 98);
INSERT INTO public.samples VALUES (3, 1717423297.242, 298.65, NULL, 91, 20614, 57, 'sampled', 99);
INSERT INTO public.samples VALUES (3, 1717423298.245, 296.49, NULL, 95, 20614, 57, 'sampled', 100);
INSERT INTO public.samples VALUES (3, 1717423299.249, 294.21, NULL, 93, 20614, 58, 'sampled', 101);
INSERT INTO public.samples VALUES (3, 1717423300.252, 298.42, NULL, 93, 20614, 58, 'sampled', 102);
INSERT INTO public.samples VALUES (3, 1717423301.254, 298.45, NULL, 91, 20614, 58, 'sampled', 103);
INSERT INTO public.samples VALUES (3, 1717423302.255, 289.51, NULL, 98, 20614, 58, 'sampled', 104);
INSERT INTO public.samples VALUES (3, 1717423303.258, 287.97, NULL, 93, 20614, 59, 'sampled', 105);
INSERT INTO public.samples VALUES (3, 1717423304.261, 282.84, NULL, 98, 20614, 59, 'sampled', 106);
INSERT INTO public.samples VALUES (3, 1717423305.264, 297.94, NULL, 94, 20614, 59, 'sampled', 107);
INSERT INTO public.samples VALUES (3, 1717423306.265, 280.83, NULL, 92, 20614, 59, 'sampled', 108);
INSERT INTO public.samples VALUES (3, 1717423307.267, 292.62, NULL, 91, 20614, 59, 'sampled', 109);
INSERT INTO public.samples VALUES (3, 1717423308.271, 274.09, NULL, 92, 20614, 59, 'sampled', 110);
INSERT INTO public.samples VALUES (3, 1717423309.275, 289.7, NULL, 92, 20614, 60, 'sampled', 111);
INSERT INTO public.samples VALUES (3, 1717423310.277, 291.78, NULL, 94, 20614, 60, 'sampled', 112);
INSERT INTO public.samples VALUES (3, 1717423311.281, 271.85, NULL, 97, 20614, 60, 'sampled', 113);
INSERT INTO public.samples VALUES (3, 1717423312.284, 283.57, NULL, 97, 20614, 60, 'sampled', 114);
INSERT INTO public.samples VALUES (3, 1717423313.286, 287.86, NULL, 95, 20614, 60, 'sampled', 115);
INSERT INTO public.samples VALUES (3, 1717423314.287, 289.38, NULL, 94, 20614, 60, 'sampled', 116);
INSERT INTO public.samples VALUES (3, 1717423315.29, 292.39, NULL, 91, 20614, 60, 'sampled', 117);
INSERT INTO public.samples VALUES (3, 1717423316.292, 298.56, NULL, 98, 20614, 61, 'sampled', 118);
INSERT INTO public.samples VALUES (3, 1717423317.295, 285.77, NULL, 91, 20614, 61, 'sampled', 119);
INSERT INTO public.samples VALUES (3, 1717423318.297, 286.95, NULL, 94, 20614, 61, 'sampled', 120);
INSERT INTO public.samples VALUES (3, 1717423319.298, 275.36, NULL, 95, 20614, 61, 'sampled', 121);
INSERT INTO public.samples VALUES (3, 1717423320.3, 283.18, NULL, 96, 20614, 61, 'sampled', 122);
INSERT INTO public.samples VALUES (3, 1717423321.303, 289.81, NULL, 98, 20614, 61, 'sampled', 123);
INSERT INTO public.samples VALUES (3, 1717423322.306, 284.9, NULL, 95, 20614, 61, 'sampled', 124);
INSERT INTO public.samples VALUES (3, 1717423323.309, 293.77, NULL, 95, 20614, 62, 'sampled', 125);
INSERT INTO public.samples VALUES (3, 1717423324.312, 296.51, NULL, 97, 20614, 62, 'sampled', 126);
INSERT INTO public.samples VALUES (3, 1717423325.316, 291.14, NULL, 98, 20614, 62, 'sampled', 127);
INSERT INTO public.samples VALUES (3, 1717423326.317, 305.01, NULL, 97, 20614, 62, 'sampled', 128);
INSERT INTO public.samples VALUES (3, 1717423327.32, 288.12, NULL, 93, 20614, 62, 'sampled', 129);
INSERT INTO public.samples VALUES (3, 1717423328.323, 305.17, NULL, 95, 20614, 62, 'sampled', 130);
INSERT INTO public.samples VALUES (3, 1717423329.327, 288.03, NULL, 91, 20614, 62, 'sampled', 131);
INSERT INTO public.samples VALUES (3, 1717423330.328, 290.77, NULL, 91, 20614, 63, 'sampled', 132);
INSERT INTO public.samples VALUES (3, 1717423331.33, 301.22, NULL, 95, 20614, 63, 'sampled', 133);
INSERT INTO public.samples VALUES (3, 1717423332.334, 205.53, NULL, 58, 20614, 63, 'sampled', 134);
INSERT INTO public.samples VALUES (3, 1717423333.337, 199.57, NULL, 62, 20614, 63, 'sampled', 135);
INSERT INTO public.samples VALUES (3, 1717423334.341, 211.31, NULL, 64, 20614, 62, 'sampled', 136);
INSERT INTO public.samples VALUES (3, 1717423335.343, 202.05, NULL, 57, 20614, 62, 'sampled', 137);
INSERT INTO public.samples VALUES (3, 1717423336.344, 198.69, NULL, 67, 20614, 62, 'sampled', 138);
INSERT INTO public.samples VALUES (3, 1717423337.347, 206.02, NULL, 64, 20614, 62, 'sampled', 139);
INSERT INTO public.samples VALUES (3, 1717423338.348, 209.12, NULL, 65, 20614, 62, 'sampled', 140);
INSERT INTO public.samples VALUES (3, 1717423339.349, 206.51, NULL, 57, 20614, 62, 'sampled', 141);
INSERT INTO public.samples VALUES (3, 1717423340.353, 203.45, NULL, 67, 20614, 62, 'sampled', 142);
INSERT INTO public.samples VALUES (3, 1717423341.355, 216.6, NULL, 57, 20614, 62, 'sampled', 143);
INSERT INTO public.samples VALUES (3, 1717423342.357, 212.48, NULL, 61, 20614, 62, 'sampled', 144);
INSERT INTO public.samples VALUES (3, 1717423343.358, 207.16, NULL, 63, 20614, 62, 'sampled', 145);
INSERT INTO public.samples VALUES (3, 1717423344.359, 205.69, NULL, 65, 20614, 62, 'sampled', 146);
INSERT INTO public.samples VALUES (3, 1717423345.363, 187.74, NULL, 63, 20614, 62, 'sampled', 147);
INSERT INTO public.samples VALUES (3, 1717423346.365, 297.93, NULL, 91, 20614, 62, 'sampled', 148);
INSERT INTO public.samples VALUES (3, 1717423347.366, 291.96, NULL, 93, 20614, 62, 'sampled', 149);
INSERT INTO public.samples VALUES (3, 1717423348.37, 286.93, NULL, 98, 20614, 62, 'sampled', 150);
INSERT INTO public.samples VALUES (3, 1717423349.374, 298.69, NULL, 94, 20614, 62, 'sampled', 151);
INSERT INTO public.samples VALUES (3, 1717423350.376, 299.34, NULL, 98, 20614, 63, 'sampled', 152);
INSERT INTO public.samples VALUES (3, 1717423351.38, 289.26, NULL, 96, 20614, 63, 'sampled', 153);
INSERT INTO public.samples VALUES (3, 1717423352.381, 299.01, NULL, 91, 20614, 63, 'sampled', 154);
INSERT INTO public.samples VALUES (3, 1717423353.384, 308.12, NULL, 98, 20614, 63, 'sampled', 155);
INSERT INTO public.samples VALUES (3, 1717423354.387, 313.21, NULL, 94, 20614, 63, 'sampled', 156);
INSERT INTO public.samples VALUES (3, 1717423355.39, 304.9, NULL, 92, 20614, 63, 'sampled', 157);
INSERT INTO public.samples VALUES (3, 1717423356.394, 300.4, NULL, 93, 20614, 63, 'sampled', 158);
INSERT INTO public.samples VALUES (3, 1717423357.396, 301.15, NULL, 94, 20614, 64, 'sampled', 159);
INSERT INTO public.samples VALUES (3, 1717423358.397, 295.74, NULL, 95, 20614, 64, 'sampled', 160);
INSERT INTO public.samples VALUES (3, 1717423359.4, 295.84, NULL, 95, 20614, 64, 'sampled', 161);
INSERT INTO public.samples VALUES (3, 1717423360.402, 302.92, NULL, 95, 20614, 64, 'sampled', 162);
INSERT INTO public.samples VALUES (3, 1717423361.404, 286.19, NULL, 94, 20614, 64, 'sampled', 163);
INSERT INTO public.samples VALUES (3, 1717423362.408, 298.73, NULL, 91, 20614, 64, 'sampled', 164);
INSERT INTO public.samples VALUES (3, 1717423363.411, 301.58, NULL, 98, 20614, 64, 'sampled', 165);
INSERT INTO public.samples VALUES (3, 1717423364.413, 297.97, NULL, 96, 20614, 64, 'sampled', 166);
INSERT INTO public.samples VALUES (3, 1717423365.417, 304.29, NULL, 93, 20614, 64, 'sampled', 167);
INSERT INTO public.samples VALUES (3, 1717423366.418, 304.54, NULL, 94, 20614, 65, 'sampled', 168);
INSERT INTO public.samples VALUES (3, 1717423367.42, 293.15, NULL, 94, 20614, 65, 'sampled', 169);
INSERT INTO public.samples VALUES (3, 1717423368.424, 293.93, NULL, 96, 20614, 65, 'sampled', 170);
INSERT INTO public.samples VALUES (3, 1717423369.426, 297.36, NULL, 98, 20614, 65, 'sampled', 171);
INSERT INTO public.samples VALUES (3, 1717423370.427, 279.89, NULL, 92, 20614, 65, 'sampled', 172);
INSERT INTO public.samples VALUES (3, 1717423371.429, 288.72, NULL, 93, 20614, 65, 'sampled', 173);
INSERT INTO public.samples VALUES (3, 1717423372.433, 290, NULL, 92, 20614, 65, 'sampled', 174);
INSERT INTO public.samples VALUES (3, 1717423373.434, 283.52, NULL, 95, 20614, 65, 'sampled', 175);
INSERT INTO public.samples VALUES (3, 1717423374.436, 283.78, NULL, 97, 20614, 65, 'sampled', 176);
INSERT INTO public.samples VALUES (3, 1717423375.44, 281.12, NULL, 97, 20614, 65, 'sampled', 177);
INSERT INTO public.samples VALUES (3, 1717423376.442, 288.18, NULL, 92, 20614, 65, 'sampled', 178);
INSERT INTO public.samples VALUES (3, 1717423377.443, 282.33, NULL, 98, 20614, 65, 'sampled', 179);
INSERT INTO public.samples VALUES (3, 1717423378.447, 285.27, NULL, 91, 20614, 65, 'sampled', 180);
INSERT INTO public.samples VALUES (3, 1717423379.451, 285.63, NULL, 96, 20614, 65, 'sampled', 181);
INSERT INTO public.samples VALUES (3, 1717423380.453, 280.84, NULL, 96, 20614, 66, 'sampled', 182);
INSERT INTO public.samples VALUES (3, 1717423381.455, 281.47, NULL, 97, 20614, 66, 'sampled', 183);
INSERT INTO public.samples VALUES (3, 1717423382.459, 299.37, NULL, 98, 20614, 66, 'sampled', 184);
INSERT INTO public.samples VALUES (3, 1717423383.46, 283.62, NULL, 93, 20614, 66, 'sampled', 185);
INSERT INTO public.samples VALUES (3, 1717423384.464, 277.11, NULL, 93, 20614, 66, 'sampled', 186);
INSERT INTO public.samples VALUES (3, 1717423385.467, 276.02, NULL, 96, 20614, 66, 'sampled', 187);
INSERT INTO public.samples VALUES (3, 1717423386.471, 289.8, NULL, 97, 20614, 66, 'sampled', 188);
INSERT INTO public.samples VALUES (3, 1717423387.473, 286.36, NULL, 95, 20614, 66, 'sampled', 189);
INSERT INTO public.samples VALUES (3, 1717423388.475, 291.83, NULL, 95, 20614, 66, 'sampled', 190);
INSERT INTO public.samples VALUES (3, 1717423389.476, 294.96, NULL, 93, 20614, 66, 'sampled', 191);
INSERT INTO public.samples VALUES (3, 1717423390.478, 307.27, NULL, 97, 20614, 66, 'sampled', 192);
INSERT INTO public.samples VALUES (3, 1717423391.482, 294.39, NULL, 94, 20614, 66, 'sampled', 193);
INSERT INTO public.samples VALUES (3, 1717423392.483, 295.57, NULL, 96, 20614, 66, 'sampled', 194);
INSERT INTO public.samples VALUES (3, 1717423393.486, 292.33, NULL, 95, 20614, 66, 'sampled', 195);
INSERT INTO public.samples VALUES (3, 1717423394.489, 299.57, NULL, 92, 20614, 66, 'sampled', 196);
INSERT INTO public.samples VALUES (3, 1717423395.492, 287.46, NULL, 96, 20614, 66, 'sampled', 197);
INSERT INTO public.samples VALUES (3, 1717423396.495, 304.91, NULL, 94, 20614, 67, 'sampled', 198);
INSERT INTO public.samples VALUES (3, 1717423397.498, 303.79, NULL, 93, 20614, 67, 'sampled', 199);
INSERT INTO public.samples VALUES (3, 1717423398.5, 305.05, NULL, 92, 20614, 67, 'sampled', 200);
INSERT INTO public.samples VALUES (3, 1717423399.504, 311.15, NULL, 98, 20614, 67, 'sampled', 201);
INSERT INTO public.samples VALUES (3, 1717423400.507, 287.76, NULL, 94, 20614, 67, 'sampled', 202);
INSERT INTO public.samples VALUES (3, 1717423401.509, 304.32, NULL, 94, 20614, 67, 'sampled', 203);
INSERT INTO public.samples VALUES (3, 1717423402.512, 300.18, NULL, 93, 20614, 67, 'sampled', 204);
INSERT INTO public.samples VALUES (3, 1717423403.514, 296.69, NULL, 91, 20614, 67, 'sampled', 205);
INSERT INTO public.samples VALUES (3, 1717423404.518, 302.53, NULL, 96, 20614, 67, 'sampled', 206);
INSERT INTO public.samples VALUES (3, 1717423405.521, 298.19, NULL, 96, 20614, 67, 'sampled', 207);
INSERT INTO public.samples VALUES (3, 1717423406.524, 304.6, NULL, 94, 20614, 67, 'sampled', 208);
INSERT INTO public.samples VALUES (3, 1717423407.526, 299.53, NULL, 95, 20614, 67, 'sampled', 209);
INSERT INTO public.samples VALUES (3, 1717423408.527, 304.26, NULL, 98, 20614, 67, 'sampled', 210);
INSERT INTO public.samples VALUES (3, 1717423409.53, 302.07, NULL, 93, 20614, 67, 'sampled', 211);
INSERT INTO public.samples VALUES (3, 1717423410.532, 288.17, NULL, 93, 20614, 68, 'sampled', 212);
INSERT INTO public.samples VALUES (3, 1717423411.533, 291.08, NULL, 97, 20614, 68, 'sampled', 213);
INSERT INTO public.samples VALUES (3, 1717423412.534, 281.33, NULL, 96, 20614, 68, 'sampled', 214);
INSERT INTO public.samples VALUES (3, 1717423413.535, 291.79, NULL, 94, 20614, 68, 'sampled', 215);
INSERT INTO public.samples VALUES (3, 1717423414.538, 299.31, NULL, 93, 20614, 68, 'sampled', 216);
INSERT INTO public.samples VALUES (3, 1717423415.542, 285.08, NULL, 94, 20614, 68, 'sampled', 217);
INSERT INTO public.samples VALUES (3, 1717423416.543, 287, NULL, 96, 20614, 68, 'sampled', 218);
INSERT INTO public.samples VALUES (3, 1717423417.544, 287.54, NULL, 92, 20614, 68, 'sampled', 219);
INSERT INTO public.samples VALUES (3, 1717423418.547, 297.87, NULL, 91, 20614, 68, 'sampled', 220);
INSERT INTO public.samples VALUES (3, 1717423419.551, 291.79, NULL, 94, 20614, 68, 'sampled', 221);
INSERT INTO public.samples VALUES (3, 1717423420.553, 295.4, NULL, 94, 20614, 68, 'sampled', 222);
INSERT INTO public.samples VALUES (3, 1717423421.554, 286.6, NULL, 93, 20614, 68, 'sampled', 223);
INSERT INTO public.samples VALUES (3, 1717423422.558, 288.05, NULL, 92, 20614, 68, 'sampled', 224);
INSERT INTO public.samples VALUES (3, 1717423423.56, 291.65, NULL, 95, 20614, 68, 'sampled', 225);
INSERT INTO public.samples VALUES (3, 1717423424.564, 290.06, NULL, 93, 20614, 68, 'sampled', 226);
INSERT INTO public.samples VALUES (3, 1717423425.568, 277.08, NULL, 98, 20614, 68, 'sampled', 227);
INSERT INTO public.samples VALUES (3, 1717423426.571, 281.87, NULL, 95, 20614, 68, 'sampled', 228);
INSERT INTO public.samples VALUES (3, 1717423427.575, 284.25, NULL, 93, 20614, 68, 'sampled', 229);
INSERT INTO public.samples VALUES (3, 1717423428.577, 280.84, NULL, 98, 20614, 68, 'sampled', 230);
INSERT INTO public.samples VALUES (3, 1717423429.578, 298.39, NULL, 98, 20614, 68, 'sampled', 231);
INSERT INTO public.samples VALUES (3, 1717423430.579, 299.3, NULL, 95, 20614, 68, 'sampled', 232);
INSERT INTO public.samples VALUES (3, 1717423431.581, 301.4, NULL, 94, 20614, 68, 'sampled', 233);
INSERT INTO public.samples VALUES (3, 1717423432.585, 281.95, NULL, 97, 20614, 68, 'sampled', 234);
INSERT INTO public.samples VALUES (3, 1717423433.588, 285.58, NULL, 93, 20614, 68, 'sampled', 235);
INSERT INTO public.samples VALUES (3, 1717423434.592, 288.8, NULL, 92, 20614, 68, 'sampled', 236);
INSERT INTO public.samples VALUES (3, 1717423435.594, 299.46, NULL, 92, 20614, 68, 'sampled', 237);
INSERT INTO public.samples VALUES (3, 1717423436.595, 292.6, NULL, 95, 20614, 68, 'sampled', 238);
INSERT INTO public.samples VALUES (3, 1717423437.599, 295.09, NULL, 94, 20614, 68, 'sampled', 239);
INSERT INTO public.samples VALUES (3, 1717423438.603, 303.34, NULL, 93, 20614, 68, 'sampled', 240);
INSERT INTO public.samples VALUES (3, 1717423439.606, 306.53, NULL, 97, 20614, 68, 'sampled', 241);
INSERT INTO public.samples VALUES (3, 1717423440.607, 303.23, NULL, 95, 20614, 68, 'sampled', 242);
INSERT INTO public.samples VALUES (3, 1717423441.611, 196.03, NULL, 55, 20614, 68, 'sampled', 243);
INSERT INTO public.samples VALUES (3, 1717423442.615, 200.18, NULL, 57, 20614, 68, 'sampled', 244);
INSERT INTO public.samples VALUES (3, 1717423443.617, 211.44, NULL, 59, 20614, 68, 'sampled', 245);
INSERT INTO public.samples VALUES (3, 1717423444.62, 201.29, NULL, 58, 20614, 68, 'sampled', 246);
INSERT INTO public.samples VALUES (3, 1717423445.622, 198.96, NULL, 58, 20614, 68, 'sampled', 247);
INSERT INTO public.samples VALUES (3, 1717423446.624, 211.75, NULL, 63, 20614, 68, 'sampled', 248);
INSERT INTO public.samples VALUES (3, 1717423447.628, 209.35, NULL, 60, 20614, 67, 'sampled', 249);
INSERT INTO public.samples VALUES (3, 1717423448.629, 198.98, NULL, 58, 20614, 67, 'sampled', 250);
INSERT INTO public.samples VALUES (3, 1717423449.631, 213.5, NULL, 64, 20614, 67, 'sampled', 251);
INSERT INTO public.samples VALUES (3, 1717423450.635, 213.87, NULL, 64, 20614, 67, 'sampled', 252);
INSERT INTO public.samples VALUES (3, 1717423451.636, 217.94, NULL, 64, 20614, 67, 'sampled', 253);
INSERT INTO public.samples VALUES (3, 1717423452.639, 211.79, NULL, 67, 20614, 67, 'sampled', 254);
INSERT INTO public.samples VALUES (3, 1717423453.642, 204.02, NULL, 59, 20614, 67, 'sampled', 255);
INSERT INTO public.samples VALUES (3, 1717423454.643, 203.48, NULL, 57, 20614, 66, 'sampled', 256);
INSERT INTO public.samples VALUES (3, 1717423455.644, 289.26, NULL, 92, 20614, 67, 'sampled', 257);
INSERT INTO public.samples VALUES (3, 1717423456.645, 296.95, NULL, 94, 20614, 67, 'sampled', 258);
INSERT INTO public.samples VALUES (3, 1717423457.646, 286.93, NULL, 93, 20614, 67, 'sampled', 259);
INSERT INTO public.samples VALUES (3, 1717423458.648, 289.68, NULL, 92, 20614, 67, 'sampled', 260);
INSERT INTO public.samples VALUES (3, 1717423459.649, 291.11, NULL, 96, 20614, 67, 'sampled', 261);
INSERT INTO public.samples VALUES (3, 1717423460.651, 301.83, NULL, 94, 20614, 67, 'sampled', 262);
INSERT INTO public.samples VALUES (3, 1717423461.655, 304.64, NULL, 98, 20614, 67, 'sampled', 263);
INSERT INTO public.samples VALUES (3, 1717423462.658, 299.05, NULL, 91, 20614, 67, 'sampled', 264);
INSERT INTO public.samples VALUES (3, 1717423463.662, 283.27, NULL, 92, 20614, 67, 'sampled', 265);
INSERT INTO public.samples VALUES (3, 1717423464.666, 287.73, NULL, 95, 20614, 67, 'sampled', 266);
INSERT INTO public.samples VALUES (3, 1717423465.668, 295.99, NULL, 93, 20614, 67, 'sampled', 267);
INSERT INTO public.samples VALUES (3, 1717423466.672, 307.9, NULL, 94, 20614, 67, 'sampled', 268);
INSERT INTO public.samples VALUES (3, 1717423467.676, 295.27, NULL, 93, 20614, 67, 'sampled', 269);
INSERT INTO public.samples VALUES (3, 1717423468.68, 298.36, NULL, 92, 20614, 67, 'sampled', 270);
INSERT INTO public.samples VALUES (3, 1717423469.682, 304.06, NULL, 93, 20614, 67, 'sampled', 271);
INSERT INTO public.samples VALUES (3, 1717423470.685, 295.46, NULL, 95, 20614, 67, 'sampled', 272);
INSERT INTO public.samples VALUES (3, 1717423471.687, 301.72, NULL, 94, 20614, 67, 'sampled', 273);
INSERT INTO public.samples VALUES (3, 1717423472.69, 291.83, NULL, 92, 20614, 68, 'sampled', 274);
INSERT INTO public.samples VALUES (3, 1717423473.694, 303.4, NULL, 94, 20614, 68, 'sampled', 275);
INSERT INTO public.samples VALUES (3, 1717423474.696, 291.45, NULL, 92, 20614, 68, 'sampled', 276);
INSERT INTO public.samples VALUES (3, 1717423475.698, 300.14, NULL, 92, 20614, 68, 'sampled', 277);
INSERT INTO public.samples VALUES (3, 1717423476.702, 293.23, NULL, 91, 20614, 68, 'sampled', 278);
INSERT INTO public.samples VALUES (3, 1717423477.703, 295.58, NULL, 94, 20614, 68, 'sampled', 279);
INSERT INTO public.samples VALUES (3, 1717423478.704, 293.27, NULL, 97, 20614, 68, 'sampled', 280);
INSERT INTO public.samples VALUES (3, 1717423479.707, 286.93, NULL, 93, 20614, 68, 'sampled', 281);
INSERT INTO public.samples VALUES (3, 1717423480.711, 288.48, NULL, 94, 20614, 68, 'sampled', 282);
INSERT INTO public.samples VALUES (3, 1717423481.714, 283.6, NULL, 91, 20614, 68, 'sampled', 283);
INSERT INTO public.samples VALUES (3, 1717423482.716, 278.84, NULL, 96, 20614, 68, 'sampled', 284);
INSERT INTO public.samples VALUES (3, 1717423483.717, 275.96, NULL, 98, 20614, 68, 'sampled', 285);
INSERT INTO public.samples VALUES (3, 1717423484.72, 281.36, NULL, 92, 20614, 68, 'sampled', 286);
INSERT INTO public.samples VALUES (3, 1717423485.723, 291.65, NULL, 94, 20614, 68, 'sampled', 287);
INSERT INTO public.samples VALUES (3, 1717423486.724, 278.34, NULL, 93, 20614, 68, 'sampled', 288);
INSERT INTO public.samples VALUES (3, 1717423487.728, 282.26, NULL, 91, 20614, 68, 'sampled', 289);
INSERT INTO public.samples VALUES (3, 1717423488.73, 293.57, NULL, 96, 20614, 68, 'sampled', 290);
INSERT INTO public.samples VALUES (3, 1717423489.734, 282.94, NULL, 92, 20614, 68, 'sampled', 291);
INSERT INTO public.samples VALUES (3, 1717423490.736, 287.7, NULL, 91, 20614, 68, 'sampled', 292);
INSERT INTO public.samples VALUES (3, 1717423491.74, 285.42, NULL, 97, 20614, 68, 'sampled', 293);
INSERT INTO public.samples VALUES (3, 1717423492.743, 299.63, NULL, 93, 20614, 68, 'sampled', 294);
INSERT INTO public.samples VALUES (3, 1717423493.745, 285.05, NULL, 97, 20614, 68, 'sampled', 295);
INSERT INTO public.samples VALUES (3, 1717423494.748, 273.49, NULL, 96, 20614, 68, 'sampled', 296);
INSERT INTO public.samples VALUES (3, 1717423495.751, 299.53, NULL, 97, 20614, 68, 'sampled', 297);
INSERT INTO public.samples VALUES (3, 1717423496.753, 272.94, NULL, 98, 20614, 68, 'sampled', 298);
INSERT INTO public.samples VALUES (3, 1717423497.756, 282.91, NULL, 91, 20614, 68, 'sampled', 299);
INSERT INTO public.samples VALUES (3, 1717423498.758, 300.07, NULL, 91, 20614, 68, 'sampled', 300);
INSERT INTO public.samples VALUES (3, 1717423499.76, 284.36, NULL, 93, 20614, 68, 'sampled', 301);
INSERT INTO public.samples VALUES (3, 1717423500.761, 291.25, NULL, 96, 20614, 68, 'sampled', 302);
INSERT INTO public.samples VALUES (3, 1717423501.765, 303.16, NULL, 96, 20614, 68, 'sampled', 303);
INSERT INTO public.samples VALUES (3, 1717423502.768, 289.85, NULL, 97, 20614, 68, 'sampled', 304);
INSERT INTO public.samples VALUES (3, 1717423503.769, 304.75, NULL, 92, 20614, 68, 'sampled', 305);
INSERT INTO public.samples VALUES (3, 1717423504.77, 303.12, NULL, 97, 20614, 68, 'sampled', 306);
INSERT INTO public.samples VALUES (3, 1717423505.774, 298.27, NULL, 98, 20614, 68, 'sampled', 307);
INSERT INTO public.samples VALUES (3, 1717423506.775, 298.54, NULL, 98, 20614, 68, 'sampled', 308);
INSERT INTO public.samples VALUES (3, 1717423507.777, 289.7, NULL, 91, 20614, 68, 'sampled', 309);
INSERT INTO public.samples VALUES (3, 1717423508.78, 298.83, NULL, 91, 20614, 69, 'sampled', 310);
INSERT INTO public.samples VALUES (3, 1717423509.783, 297.47, NULL, 92, 20614, 69, 'sampled', 311);
INSERT INTO public.samples VALUES (3, 1717423510.785, 301.33, NULL, 92, 20614, 69, 'sampled', 312);
INSERT INTO public.samples VALUES (3, 1717423511.787, 294.76, NULL, 93, 20614, 69, 'sampled', 313);
INSERT INTO public.samples VALUES (3, 1717423512.788, 298.98, NULL, 96, 20614, 69, 'sampled', 314);
INSERT INTO public.samples VALUES (3, 1717423513.791, 301.08, NULL, 95, 20614, 69, 'sampled', 315);
INSERT INTO public.samples VALUES (3, 1717423514.793, 308.67, NULL, 98, 20614, 69, 'sampled', 316);
INSERT INTO public.samples VALUES (3, 1717423515.795, 291.07, NULL, 97, 20614, 69, 'sampled', 317);
INSERT INTO public.samples VALUES (3, 1717423516.799, 297.79, NULL, 95, 20614, 69, 'sampled', 318);
INSERT INTO public.samples VALUES (3, 1717423517.803, 299.48, NULL, 91, 20614, 69, 'sampled', 319);
INSERT INTO public.samples VALUES (3, 1717423518.805, 290.99, NULL, 97, 20614, 69, 'sampled', 320);
INSERT INTO public.samples VALUES (3, 1717423519.807, 308.79, NULL, 93, 20614, 69, 'sampled', 321);
INSERT INTO public.samples VALUES (3, 1717423520.811, 294.58, NULL, 97, 20614, 69, 'sampled', 322);
INSERT INTO public.samples VALUES (3, 1717423521.815, 286.2, NULL, 93, 20614, 69, 'sampled', 323);
INSERT INTO public.samples VALUES (3, 1717423522.816, 288.21, NULL, 91, 20614, 69, 'sampled', 324);
INSERT INTO public.samples VALUES (3, 1717423523.817, 287.35, NULL, 98, 20614, 69, 'sampled', 325);
INSERT INTO public.samples VALUES (3, 1717423524.819, 281.1, NULL, 96, 20614, 69, 'sampled', 326);
INSERT INTO public.samples VALUES (3, 1717423525.82, 285.93, NULL, 95, 20614, 69, 'sampled', 327);
INSERT INTO public.samples VALUES (3, 1717423526.823, 284.81, NULL, 91, 20614, 69, 'sampled', 328);
INSERT INTO public.samples VALUES (3, 1717423527.825, 286.77, NULL, 97, 20614, 69, 'sampled', 329);
INSERT INTO public.samples VALUES (3, 1717423528.826, 280.48, NULL, 94, 20614, 69, 'sampled', 330);
INSERT INTO public.samples VALUES (3, 1717423529.828, 296.99, NULL, 97, 20614, 69, 'sampled', 331);
INSERT INTO public.samples VALUES (3, 1717423530.83, 284.64, NULL, 98, 20614, 69, 'sampled', 332);
INSERT INTO public.samples VALUES (3, 1717423531.831, 277.61, NULL, 93, 20614, 69, 'sampled', 333);
INSERT INTO public.samples VALUES (3, 1717423532.832, 284.85, NULL, 97, 20614, 69, 'sampled', 334);
INSERT INTO public.samples VALUES (3, 1717423533.834, 291.28, NULL, 98, 20614, 69, 'sampled', 335);
INSERT INTO public.samples VALUES (3, 1717423534.835, 278.99, NULL, 95, 20614, 69, 'sampled', 336);
INSERT INTO public.samples VALUES (3, 1717423535.836, 279, NULL, 91, 20614, 69, 'sampled', 337);
INSERT INTO public.samples VALUES (3, 1717423536.837, 290.93, NULL, 97, 20614, 69, 'sampled', 338);
INSERT INTO public.samples VALUES (3, 1717423537.838, 296.57, NULL, 98, 20614, 69, 'sampled', 339);
INSERT INTO public.samples VALUES (3, 1717423538.842, 283.78, NULL, 96, 20614, 69, 'sampled', 340);
INSERT INTO public.samples VALUES (3, 1717423539.845, 280.31, NULL, 97, 20614, 69, 'sampled', 341);
INSERT INTO public.samples VALUES (3, 1717423540.849, 283.43, NULL, 95, 20614, 69, 'sampled', 342);
INSERT INTO public.samples VALUES (3, 1717423541.852, 287.76, NULL, 96, 20614, 69, 'sampled', 343);
INSERT INTO public.samples VALUES (3, 1717423542.854, 298.5, NULL, 96, 20614, 69, 'sampled', 344);
INSERT INTO public.samples VALUES (3, 1717423543.858, 286.52, NULL, 92, 20614, 69, 'sampled', 345);
INSERT INTO public.samples VALUES (3, 1717423544.86, 291.19, NULL, 98, 20614, 69, 'sampled', 346);
INSERT INTO public.samples VALUES (3, 1717423545.863, 293.75, NULL, 92, 20614, 69, 'sampled', 347);
INSERT INTO public.samples VALUES (3, 1717423546.867, 289.66, NULL, 97, 20614, 69, 'sampled', 348);
INSERT INTO public.samples VALUES (3, 1717423547.87, 295.61, NULL, 91, 20614, 69, 'sampled', 349);
INSERT INTO public.samples VALUES (3, 1717423548.874, 284.39, NULL, 97, 20614, 69, 'sampled', 350);
INSERT INTO public.samples VALUES (3, 1717423549.875, 297.34, NULL, 96, 20614, 69, 'sampled', 351);
INSERT INTO public.samples VALUES (3, 1717423550.878, 188.38, NULL, 56, 20614, 69, 'sampled', 352);
INSERT INTO public.samples VALUES (3, 1717423551.881, 204.67, NULL, 65, 20614, 69, 'sampled', 353);
INSERT INTO public.samples VALUES (3, 1717423552.882, 208, NULL, 59, 20614, 69, 'sampled', 354);
INSERT INTO public.samples VALUES (3, 1717423553.886, 209.33, NULL, 56, 20614, 68, 'sampled', 355);
INSERT INTO public.samples VALUES (3, 1717423554.889, 192.37, NULL, 58, 20614, 68, 'sampled', 356);
INSERT INTO public.samples VALUES (3, 1717423555.891, 203.61, NULL, 62, 20614, 68, 'sampled', 357);
INSERT INTO public.samples VALUES (3, 1717423556.893, 211.42, NULL, 58, 20614, 68, 'sampled', 358);
INSERT INTO public.samples VALUES (3, 1717423557.897, 205.84, NULL, 57, 20614, 68, 'sampled', 359);
INSERT INTO public.samples VALUES (3, 1717423558.899, 219.17, NULL, 55, 20614, 68, 'sampled', 360);
INSERT INTO public.samples VALUES (3, 1717423559.903, 203.32, NULL, 65, 20614, 68, 'sampled', 361);
INSERT INTO public.samples VALUES (3, 1717423560.904, 203.44, NULL, 62, 20614, 67, 'sampled', 362);
INSERT INTO public.samples VALUES (3, 1717423561.905, 219.38, NULL, 63, 20614, 67, 'sampled', 363);
INSERT INTO public.samples VALUES (3, 1717423562.907, 204.02, NULL, 58, 20614, 67, 'sampled', 364);
INSERT INTO public.samples VALUES (3, 1717423563.911, 211.31, NULL, 63, 20614, 67, 'sampled', 365);
INSERT INTO public.samples VALUES (3, 1717423564.912, 287.37, NULL, 94, 20614, 67, 'sampled', 366);
INSERT INTO public.samples VALUES (3, 1717423565.915, 298.61, NULL, 91, 20614, 67, 'sampled', 367);
INSERT INTO public.samples VALUES (3, 1717423566.918, 293.03, NULL, 98, 20614, 67, 'sampled', 368);
INSERT INTO public.samples VALUES (3, 1717423567.921, 306.42, NULL, 92, 20614, 67, 'sampled', 369);
INSERT INTO public.samples VALUES (3, 1717423568.922, 297.98, NULL, 96, 20614, 67, 'sampled', 370);
INSERT INTO public.samples VALUES (3, 1717423569.926, 293.96, NULL, 92, 20614, 67, 'sampled', 371);
INSERT INTO public.samples VALUES (3, 1717423570.929, 306.8, NULL, 94, 20614, 67, 'sampled', 372);
INSERT INTO public.samples VALUES (3, 1717423571.933, 294.48, NULL, 94, 20614, 67, 'sampled', 373);
INSERT INTO public.samples VALUES (3, 1717423572.935, 300.1, NULL, 92, 20614, 67, 'sampled', 374);
INSERT INTO public.samples VALUES (3, 1717423573.936, 306.62, NULL, 92, 20614, 68, 'sampled', 375);
INSERT INTO public.samples VALUES (3, 1717423574.938, 301.11, NULL, 93, 20614, 68, 'sampled', 376);
INSERT INTO public.samples VALUES (3, 1717423575.942, 297.02, NULL, 96, 20614, 68, 'sampled', 377);
INSERT INTO public.samples VALUES (3, 1717423576.943, 302.17, NULL, 97, 20614, 68, 'sampled', 378);
INSERT INTO public.samples VALUES (3, 1717423577.946, 310.04, NULL, 92, 20614, 68, 'sampled', 379);
INSERT INTO public.samples VALUES (3, 1717423578.948, 288.34, NULL, 92, 20614, 68, 'sampled', 380);
INSERT INTO public.samples VALUES (3, 1717423579.949, 293.82, NULL, 97, 20614, 68, 'sampled', 381);
INSERT INTO public.samples VALUES (3, 1717423580.951, 297, NULL, 96, 20614, 68, 'sampled', 382);
INSERT INTO public.samples VALUES (3, 1717423581.953, 290.98, NULL, 92, 20614, 68, 'sampled', 383);
INSERT INTO public.samples VALUES (3, 1717423582.955, 291.46, NULL, 96, 20614, 68, 'sampled', 384);
INSERT INTO public.samples VALUES (3, 1717423583.956, 294.87, NULL, 98, 20614, 68, 'sampled', 385);
INSERT INTO public.samples VALUES (3, 1717423584.958, 295.4, NULL, 92, 20614, 68, 'sampled', 386);
INSERT INTO public.samples VALUES (3, 1717423585.962, 291.78, NULL, 98, 20614, 68, 'sampled', 387);
INSERT INTO public.samples VALUES (3, 1717423586.966, 291.82, NULL, 96, 20614, 68, 'sampled', 388);
INSERT INTO public.samples VALUES (3, 1717423587.967, 290.89, NULL, 98, 20614, 68, 'sampled', 389);
INSERT INTO public.samples VALUES (3, 1717423588.971, 291.22, NULL, 98, 20614, 68, 'sampled', 390);
INSERT INTO public.samples VALUES (3, 1717423589.972, 287.02, NULL, 98, 20614, 68, 'sampled', 391);
INSERT INTO public.samples VALUES (3, 1717423590.976, 290.53, NULL, 95, 20614, 68, 'sampled', 392);
INSERT INTO public.samples VALUES (3, 1717423591.978, 290.81, NULL, 98, 20614, 68, 'sampled', 393);
INSERT INTO public.samples VALUES (3, 1717423592.98, 279.52, NULL, 93, 20614, 68, 'sampled', 394);
INSERT INTO public.samples VALUES (3, 1717423593.983, 287.31, NULL, 95, 20614, 68, 'sampled', 395);
INSERT INTO public.samples VALUES (3, 1717423594.985, 277.03, NULL, 94, 20614, 68, 'sampled', 396);
INSERT INTO public.samples VALUES (3, 1717423595.986, 270.93, NULL, 93, 20614, 68, 'sampled', 397);
INSERT INTO public.samples VALUES (3, 1717423596.988, 290.1, NULL, 91, 20614, 68, 'sampled', 398);
INSERT INTO public.samples VALUES (3, 1717423597.991, 279.53, NULL, 92, 20614, 68, 'sampled', 399);
INSERT INTO public.samples VALUES (3, 1717423598.993, 281.14, NULL, 91, 20614, 68, 'sampled', 400);
INSERT INTO public.samples VALUES (3, 1717423599.994, 290.65, NULL, 91, 20614, 68, 'sampled', 401);
INSERT INTO public.samples VALUES (3, 1717423600.995, 273.25, NULL, 91, 20614, 68, 'sampled', 402);
INSERT INTO public.samples VALUES (3, 1717423601.999, 282.5, NULL, 98, 20614, 68, 'sampled', 403);
INSERT INTO public.samples VALUES (3, 1717423603.002, 286.29, NULL, 93, 20614, 68, 'sampled', 404);
INSERT INTO public.samples VALUES (3, 1717423604.004, 287.96, NULL, 93, 20614, 68, 'sampled', 405);
INSERT INTO public.samples VALUES (3, 1717423605.005, 287.78, NULL, 96, 20614, 68, 'sampled', 406);
INSERT INTO public.samples VALUES (3, 1717423606.008, 285.53, NULL, 96, 20614, 68, 'sampled', 407);
INSERT INTO public.samples VALUES (3, 1717423607.012, 298.31, NULL, 98, 20614, 68, 'sampled', 408);
INSERT INTO public.samples VALUES (3, 1717423608.015, 296.88, NULL, 95, 20614, 68, 'sampled', 409);
INSERT INTO public.samples VALUES (3, 1717423609.016, 292.69, NULL, 96, 20614, 68, 'sampled', 410);
INSERT INTO public.samples VALUES (3, 1717423610.017, 305.98, NULL, 93, 20614, 69, 'sampled', 411);
INSERT INTO public.samples VALUES (3, 1717423611.018, 289.46, NULL, 94, 20614, 69, 'sampled', 412);
INSERT INTO public.samples VALUES (3, 1717423612.022, 295.46, NULL, 91, 20614, 69, 'sampled', 413);
INSERT INTO public.samples VALUES (3, 1717423613.024, 301.76, NULL, 94, 20614, 69, 'sampled', 414);
INSERT INTO public.samples VALUES (3, 1717423614.026, 292.44, NULL, 91, 20614, 69, 'sampled', 415);
INSERT INTO public.samples VALUES (3, 1717423615.028, 291.07, NULL, 92, 20614, 69, 'sampled', 416);
INSERT INTO public.samples VALUES (3, 1717423616.032, 299.32, NULL, 92, 20614, 69, 'sampled', 417);
INSERT INTO public.samples VALUES (3, 1717423617.033, 299.61, NULL, 94, 20614, 69, 'sampled', 418);
INSERT INTO public.samples VALUES (3, 1717423618.037, 296.87, NULL, 95, 20614, 69, 'sampled', 419);
INSERT INTO public.samples VALUES (3, 1717423619.038, 308.67, NULL, 96, 20614, 69, 'sampled', 420);
INSERT INTO public.samples VALUES (3, 1717423620.039, 289.58, NULL, 91, 20614, 69, 'sampled', 421);
INSERT INTO public.samples VALUES (3, 1717423621.043, 290.78, NULL, 95, 20614, 69, 'sampled', 422);
INSERT INTO public.samples VALUES (3, 1717423622.045, 295.88, NULL, 91, 20614, 69, 'sampled', 423);
INSERT INTO public.samples VALUES (3, 1717423623.046, 309.4, NULL, 94, 20614, 69, 'sampled', 424);
INSERT INTO public.samples VALUES (3, 1717423624.047, 288.12, NULL, 93, 20614, 69, 'sampled', 425);
INSERT INTO public.samples VALUES (3, 1717423625.048, 300.23, NULL, 94, 20614, 69, 'sampled', 426);
INSERT INTO public.samples VALUES (3, 1717423626.05, 300.24, NULL, 97, 20614, 69, 'sampled', 427);
INSERT INTO public.samples VALUES (3, 1717423627.053, 298.77, NULL, 97, 20614, 69, 'sampled', 428);
INSERT INTO public.samples VALUES (3, 1717423628.056, 294.64, NULL, 94, 20614, 69, 'sampled', 429);
INSERT INTO public.samples VALUES (3, 1717423629.058, 298.01, NULL, 92, 20614, 69, 'sampled', 430);
INSERT INTO public.samples VALUES (3, 1717423630.062, 287.28, NULL, 95, 20614, 69, 'sampled', 431);
INSERT INTO public.samples VALUES (3, 1717423631.066, 291.88, NULL, 96, 20614, 69, 'sampled', 432);
INSERT INTO public.samples VALUES (3, 1717423632.068, 291.74, NULL, 97, 20614, 69, 'sampled', 433);
INSERT INTO public.samples VALUES (3, 1717423633.071, 290.94, NULL, 94, 20614, 69, 'sampled', 434);
INSERT INTO public.samples VALUES (3, 1717423634.074, 279, NULL, 95, 20614, 69, 'sampled', 435);
INSERT INTO public.samples VALUES (3, 1717423635.075, 291.37, NULL, 91, 20614, 69, 'sampled', 436);
INSERT INTO public.samples VALUES (3, 1717423636.078, 289.46, NULL, 95, 20614, 69, 'sampled', 437);
INSERT INTO public.samples VALUES (3, 1717423637.082, 276.14, NULL, 92, 20614, 69, 'sampled', 438);
INSERT INTO public.samples VALUES (3, 1717423638.086, 293.13, NULL, 91, 20614, 69, 'sampled', 439);
INSERT INTO public.samples VALUES (3, 1717423639.088, 284.04, NULL, 95, 20614, 69, 'sampled', 440);
INSERT INTO public.samples VALUES (3, 1717423640.091, 283.99, NULL, 91, 20614, 69, 'sampled', 441);
INSERT INTO public.samples VALUES (3, 1717423641.092, 278.99, NULL, 91, 20614, 69, 'sampled', 442);
INSERT INTO public.samples VALUES (3, 1717423642.096, 285.5, NULL, 94, 20614, 69, 'sampled', 443);
INSERT INTO public.samples VALUES (3, 1717423643.099, 287.83, NULL, 92, 20614, 69, 'sampled', 444);
INSERT INTO public.samples VALUES (3, 1717423644.1, 280.33, NULL, 92, 20614, 69, 'sampled', 445);
INSERT INTO public.samples VALUES (3, 1717423645.102, 297.87, NULL, 93, 20614, 69, 'sampled', 446);
INSERT INTO public.samples VALUES (3, 1717423646.104, 277.27, NULL, 96, 20614, 69, 'sampled', 447);
INSERT INTO public.samples VALUES (3, 1717423647.108, 289.65, NULL, 93, 20614, 69, 'sampled', 448);
INSERT INTO public.samples VALUES (3, 1717423648.111, 292.73, NULL, 98, 20614, 69, 'sampled', 449);
INSERT INTO public.samples VALUES (3, 1717423649.115, 279.86, NULL, 91, 20614, 69, 'sampled', 450);
INSERT INTO public.samples VALUES (3, 1717423650.116, 282.62, NULL, 97, 20614, 69, 'sampled', 451);
INSERT INTO public.samples VALUES (3, 1717423651.119, 293.99, NULL, 94, 20614, 69, 'sampled', 452);
INSERT INTO public.samples VALUES (3, 1717423652.122, 280.86, NULL, 94, 20614, 69, 'sampled', 453);
INSERT INTO public.samples VALUES (3, 1717423653.125, 296.3, NULL, 91, 20614, 69, 'sampled', 454);
INSERT INTO public.samples VALUES (3, 1717423654.128, 296.6, NULL, 94, 20614, 69, 'sampled', 455);
INSERT INTO public.samples VALUES (3, 1717423655.129, 301.39, NULL, 96, 20614, 69, 'sampled', 456);
INSERT INTO public.samples VALUES (3, 1717423656.133, 295.77, NULL, 97, 20614, 69, 'sampled', 457);
INSERT INTO public.samples VALUES (3, 1717423657.135, 301.02, NULL, 91, 20614, 69, 'sampled', 458);
INSERT INTO public.samples VALUES (3, 1717423658.137, 302.12, NULL, 97, 20614, 69, 'sampled', 459);
INSERT INTO public.samples VALUES (3, 1717423659.141, 294.68, NULL, 98, 20614, 69, 'sampled', 460);
INSERT INTO public.samples VALUES (3, 1717423660.143, 208.97, NULL, 64, 20614, 69, 'sampled', 461);
INSERT INTO public.samples VALUES (3, 1717423661.147, 189.35, NULL, 60, 20614, 69, 'sampled', 462);
INSERT INTO public.samples VALUES (3, 1717423662.15, 216.93, NULL, 55, 20614, 69, 'sampled', 463);
INSERT INTO public.samples VALUES (3, 1717423663.154, 216.77, NULL, 64, 20614, 69, 'sampled', 464);
INSERT INTO public.samples VALUES (3, 1717423664.156, 212.32, NULL, 65, 20614, 68, 'sampled', 465);
INSERT INTO public.samples VALUES (3, 1717423665.158, 213.26, NULL, 55, 20614, 68, 'sampled', 466);
INSERT INTO public.samples VALUES (3, 1717423666.161, 213.38, NULL, 59, 20614, 68, 'sampled', 467);
INSERT INTO public.samples VALUES (3, 1717423667.164, 208.95, NULL, 66, 20614, 68, 'sampled', 468);
INSERT INTO public.samples VALUES (3, 1717423668.165, 188.27, NULL, 58, 20614, 68, 'sampled', 469);
INSERT INTO public.samples VALUES (3, 1717423669.166, 218.8, NULL, 66, 20614, 68, 'sampled', 470);
INSERT INTO public.samples VALUES (3, 1717423670.169, 207.29, NULL, 57, 20614, 68, 'sampled', 471);
INSERT INTO public.samples VALUES (3, 1717423671.171, 201.81, NULL, 61, 20614, 67, 'sampled', 472);
INSERT INTO public.samples VALUES (3, 1717423672.173, 195, NULL, 60, 20614, 67, 'sampled', 473);
INSERT INTO public.samples VALUES (3, 1717423673.175, 207.4, NULL, 57, 20614, 67, 'sampled', 474);
INSERT INTO public.samples VALUES (3, 1717423674.179, 294.12, NULL, 93, 20614, 67, 'sampled', 475);
INSERT INTO public.samples VALUES (3, 1717423675.182, 305.66, NULL, 98, 20614, 67, 'sampled', 476);
INSERT INTO public.samples VALUES (3, 1717423676.185, 299.32, NULL, 91, 20614, 67, 'sampled', 477);
INSERT INTO public.samples VALUES (3, 1717423677.187, 285.19, NULL, 93, 20614, 67, 'sampled', 478);
INSERT INTO public.samples VALUES (3, 1717423678.188, 293.09, NULL, 97, 20614, 67, 'sampled', 479);
INSERT INTO public.samples VALUES (3, 1717423679.191, 297.71, NULL, 98, 20614, 67, 'sampled', 480);
INSERT INTO public.samples VALUES (3, 1717423680.195, 294.84, NULL, 95, 20614, 67, 'sampled', 481);
INSERT INTO public.samples VALUES (3, 1717423681.196, 295.42, NULL, 93, 20614, 68, 'sampled', 482);
INSERT INTO public.samples VALUES (3, 1717423682.198, 302.13, NULL, 97, 20614, 68, 'sampled', 483);
INSERT INTO public.samples VALUES (3, 1717423683.201, 300.01, NULL, 94, 20614, 68, 'sampled', 484);
INSERT INTO public.samples VALUES (3, 1717423684.202, 301.43, NULL, 98, 20614, 68, 'sampled', 485);
INSERT INTO public.samples VALUES (3, 1717423685.206, 306.03, NULL, 93, 20614, 68, 'sampled', 486);
INSERT INTO public.samples VALUES (3, 1717423686.209, 289.75, NULL, 98, 20614, 68, 'sampled', 487);
INSERT INTO public.samples VALUES (3, 1717423687.212, 300.47, NULL, 91, 20614, 68, 'sampled', 488);
INSERT INTO public.samples VALUES (3, 1717423688.213, 292.18, NULL, 98, 20614, 68, 'sampled', 489);
INSERT INTO public.samples VALUES (3, 1717423689.215, 305.34, NULL, 95, 20614, 68, 'sampled', 490);
INSERT INTO public.samples VALUES (3, 1717423690.217, 301.4, NULL, 93, 20614, 68, 'sampled', 491);
INSERT INTO public.samples VALUES (3, 1717423691.219, 298.85, NULL, 95, 20614, 68, 'sampled', 492);
INSERT INTO public.samples VALUES (3, 1717423692.222, 286.84, NULL, 95, 20614, 68, 'sampled', 493);
INSERT INTO public.samples VALUES (3, 1717423693.224, 286.29, NULL, 97, 20614, 68, 'sampled', 494);
INSERT INTO public.samples VALUES (3, 1717423694.228, 287.35, NULL, 92, 20614, 68, 'sampled', 495);
INSERT INTO public.samples VALUES (3, 1717423695.23, 295.25, NULL, 94, 20614, 68, 'sampled', 496);
INSERT INTO public.samples VALUES (3, 1717423696.233, 289.28, NULL, 94, 20614, 68, 'sampled', 497);
INSERT INTO public.samples VALUES (3, 1717423697.235, 297.03, NULL, 97, 20614, 68, 'sampled', 498);
INSERT INTO public.samples VALUES (3, 1717423698.237, 281.38, NULL, 94, 20614, 68, 'sampled', 499);
INSERT INTO public.samples VALUES (3, 1717423699.241, 280.26, NULL, 96, 20614, 68, 'sampled', 500);
INSERT INTO public.samples VALUES (3, 1717423700.245, 290.82, NULL, 93, 20614, 68, 'sampled', 501);
INSERT INTO public.samples VALUES (3, 1717423701.248, 286.69, NULL, 94, 20614, 68, 'sampled', 502);
INSERT INTO public.samples VALUES (3, 1717423702.249, 285.84, NULL, 98, 20614, 68, 'sampled', 503);
INSERT INTO public.samples VALUES (3, 1717423703.251, 286.35, NULL, 97, 20614, 68, 'sampled', 504);
INSERT INTO public.samples VALUES (3, 1717423704.252, 297.77, NULL, 95, 20614, 68, 'sampled', 505);
INSERT INTO public.samples VALUES (3, 1717423705.254, 283.56, NULL, 97, 20614, 68, 'sampled', 506);
INSERT INTO public.samples VALUES (3, 1717423706.256, 283.6, NULL, 98, 20614, 68, 'sampled', 507);
INSERT INTO public.samples VALUES (3, 1717423707.258, 285.61, NULL, 92, 20614, 68, 'sampled', 508);
INSERT INTO public.samples VALUES (3, 1717423708.26, 292.87, NULL, 95, 20614, 68, 'sampled', 509);
INSERT INTO public.samples VALUES (3, 1717423709.264, 281.12, NULL, 91, 20614, 68, 'sampled', 510);
INSERT INTO public.samples VALUES (3, 1717423710.268, 286.59, NULL, 91, 20614, 68, 'sampled', 511);
INSERT INTO public.samples VALUES (3, 1717423711.271, 277.82, NULL, 97, 20614, 68, 'sampled', 512);
INSERT INTO public.samples VALUES (3, 1717423712.273, 288.38, NULL, 97, 20614, 68, 'sampled', 513);
INSERT INTO public.samples VALUES (3, 1717423713.274, 275.26, NULL, 96, 20614, 68, 'sampled', 514);
INSERT INTO public.samples VALUES (3, 1717423714.276, 297.59, NULL, 93, 20614, 68, 'sampled', 515);
INSERT INTO public.samples VALUES (3, 1717423715.28, 295.79, NULL, 94, 20614, 69, 'sampled', 516);
INSERT INTO public.samples VALUES (3, 1717423716.282, 295.53, NULL, 98, 20614, 69, 'sampled', 517);
INSERT INTO public.samples VALUES (3, 1717423717.286, 293.05, NULL, 93, 20614, 69, 'sampled', 518);
INSERT INTO public.samples VALUES (3, 1717423718.289, 287.09, NULL, 97, 20614, 69, 'sampled', 519);
INSERT INTO public.samples VALUES (3, 1717423719.292, 300.91, NULL, 98, 20614, 69, 'sampled', 520);
INSERT INTO public.samples VALUES (3, 1717423720.293, 288.37, NULL, 91, 20614, 69, 'sampled', 521);
INSERT INTO public.samples VALUES (3, 1717423721.296, 295.31, NULL, 96, 20614, 69, 'sampled', 522);
INSERT INTO public.samples VALUES (3, 1717423722.299, 294.52, NULL, 96, 20614, 69, 'sampled', 523);
INSERT INTO public.samples VALUES (3, 1717423723.302, 304.94, NULL, 92, 20614, 69, 'sampled', 524);
INSERT INTO public.samples VALUES (3, 1717423724.305, 296.95, NULL, 97, 20614, 69, 'sampled', 525);
INSERT INTO public.samples VALUES (3, 1717423725.306, 290.55, NULL, 92, 20614, 69, 'sampled', 526);
INSERT INTO public.samples VALUES (3, 1717423726.309, 294.95, NULL, 96, 20614, 69, 'sampled', 527);
INSERT INTO public.samples VALUES (3, 1717423727.31, 282.91, NULL, 95, 20614, 69, 'sampled', 528);
INSERT INTO public.samples VALUES (3, 1717423728.314, 288.59, NULL, 94, 20614, 69, 'sampled', 529);
INSERT INTO public.samples VALUES (3, 1717423729.315, 292.2, NULL, 93, 20614, 69, 'sampled', 530);
INSERT INTO public.samples VALUES (3, 1717423730.317, 301.82, NULL, 98, 20614, 69, 'sampled', 531);
INSERT INTO public.samples VALUES (3, 1717423731.32, 299.98, NULL, 96, 20614, 69, 'sampled', 532);
INSERT INTO public.samples VALUES (3, 1717423732.324, 308.51, NULL, 96, 20614, 69, 'sampled', 533);
INSERT INTO public.samples VALUES (3, 1717423733.327, 302.51, NULL, 94, 20614, 69, 'sampled', 534);
INSERT INTO public.samples VALUES (3, 1717423734.328, 310.57, NULL, 96, 20614, 69, 'sampled', 535);
INSERT INTO public.samples VALUES (3, 1717423735.332, 294.66, NULL, 97, 20614, 69, 'sampled', 536);
INSERT INTO public.samples VALUES (3, 1717423736.336, 293.14, NULL, 94, 20614, 69, 'sampled', 537);
INSERT INTO public.samples VALUES (3, 1717423737.338, 295.17, NULL, 95, 20614, 69, 'sampled', 538);
INSERT INTO public.samples VALUES (3, 1717423738.342, 291.73, NULL, 98, 20614, 69, 'sampled', 539);
INSERT INTO public.samples VALUES (3, 1717423739.346, 301.01, NULL, 94, 20614, 69, 'sampled', 540);
INSERT INTO public.samples VALUES (3, 1717423740.347, 283.68, NULL, 92, 20614, 69, 'sampled', 541);
INSERT INTO public.samples VALUES (3, 1717423741.35, 290.91, NULL, 91, 20614, 69, 'sampled', 542);
INSERT INTO public.samples VALUES (3, 1717423742.351, 291.35, NULL, 98, 20614, 69, 'sampled', 543);
INSERT INTO public.samples VALUES (3, 1717423743.352, 281.82, NULL, 94, 20614, 69, 'sampled', 544);
INSERT INTO public.samples VALUES (3, 1717423744.354, 271.73, NULL, 92, 20614, 69, 'sampled', 545);
INSERT INTO public.samples VALUES (3, 1717423745.355, 280.95, NULL, 95, 20614, 69, 'sampled', 546);
INSERT INTO public.samples VALUES (3, 1717423746.357, 282.85, NULL, 98, 20614, 69, 'sampled', 547);
INSERT INTO public.samples VALUES (3, 1717423747.358, 275.23, NULL, 97, 20614, 69, 'sampled', 548);
INSERT INTO public.samples VALUES (3, 1717423748.359, 290.78, NULL, 91, 20614, 69, 'sampled', 549);
INSERT INTO public.samples VALUES (3, 1717423749.362, 288.63, NULL, 98, 20614, 69, 'sampled', 550);
INSERT INTO public.samples VALUES (3, 1717423750.364, 286.12, NULL, 98, 20614, 69, 'sampled', 551);
INSERT INTO public.samples VALUES (3, 1717423751.366, 288.68, NULL, 97, 20614, 69, 'sampled', 552);
INSERT INTO public.samples VALUES (3, 1717423752.368, 281.54, NULL, 98, 20614, 69, 'sampled', 553);
INSERT INTO public.samples VALUES (3, 1717423753.372, 294.13, NULL, 98, 20614, 69, 'sampled', 554);
INSERT INTO public.samples VALUES (3, 1717423754.375, 286.53, NULL, 91, 20614, 69, 'sampled', 555);
INSERT INTO public.samples VALUES (3, 1717423755.377, 279.01, NULL, 93, 20614, 69, 'sampled', 556);
INSERT INTO public.samples VALUES (3, 1717423756.379, 287.88, NULL, 92, 20614, 69, 'sampled', 557);
INSERT INTO public.samples VALUES (3, 1717423757.383, 282.21, NULL, 92, 20614, 69, 'sampled', 558);
INSERT INTO public.samples VALUES (3, 1717423758.387, 286.41, NULL, 94, 20614, 69, 'sampled', 559);
INSERT INTO public.samples VALUES (3, 1717423759.391, 282.67, NULL, 92, 20614, 69, 'sampled', 560);
INSERT INTO public.samples VALUES (3, 1717423760.393, 288.46, NULL, 93, 20614, 69, 'sampled', 561);
INSERT INTO public.samples VALUES (3, 1717423761.394, 288.26, NULL, 97, 20614, 69, 'sampled', 562);
INSERT INTO public.samples VALUES (3, 1717423762.396, 293.51, NULL, 91, 20614, 69, 'sampled', 563);
INSERT INTO public.samples VALUES (3, 1717423763.399, 288.96, NULL, 97, 20614, 69, 'sampled', 564);
INSERT INTO public.samples VALUES (3, 1717423764.401, 279.71, NULL, 95, 20614, 69, 'sampled', 565);
INSERT INTO public.samples VALUES (3, 1717423765.402, 297.58, NULL, 91, 20614, 69, 'sampled', 566);
INSERT INTO public.samples VALUES (3, 1717423766.404, 301.64, NULL, 93, 20614, 69, 'sampled', 567);
INSERT INTO public.samples VALUES (3, 1717423767.408, 299.29, NULL, 98, 20614, 69, 'sampled', 568);
INSERT INTO public.samples VALUES (3, 1717423768.412, 294.49, NULL, 97, 20614, 69, 'sampled', 569);
INSERT INTO public.samples VALUES (3, 1717423769.414, 203.36, NULL, 59, 20614, 69, 'sampled', 570);
INSERT INTO public.samples VALUES (3, 1717423770.417, 193.55, NULL, 58, 20614, 69, 'sampled', 571);
INSERT INTO public.samples VALUES (3, 1717423771.42, 211.59, NULL, 57, 20614, 69, 'sampled', 572);
INSERT INTO public.samples VALUES (3, 1717423772.424, 203.38, NULL, 63, 20614, 69, 'sampled', 573);
INSERT INTO public.samples VALUES (3, 1717423773.426, 212.87, NULL, 57, 20614, 68, 'sampled', 574);
INSERT INTO public.samples VALUES (3, 1717423774.43, 199.93, NULL, 67, 20614, 68, 'sampled', 575);
INSERT INTO public.samples VALUES (3, 1717423775.434, 200.71, NULL, 60, 20614, 68, 'sampled', 576);
INSERT INTO public.samples VALUES (3, 1717423776.435, 197.03, NULL, 63, 20614, 68, 'sampled', 577);
INSERT INTO public.samples VALUES (3, 1717423777.437, 210.55, NULL, 63, 20614, 68, 'sampled', 578);
INSERT INTO public.samples VALUES (3, 1717423778.439, 192.94, NULL, 56, 20614, 68, 'sampled', 579);
INSERT INTO public.samples VALUES (3, 1717423779.441, 209.48, NULL, 64, 20614, 67, 'sampled', 580);
INSERT INTO public.samples VALUES (3, 1717423780.445, 211.58, NULL, 63, 20614, 67, 'sampled', 581);
INSERT INTO public.samples VALUES (3, 1717423781.446, 200.4, NULL, 64, 20614, 67, 'sampled', 582);
INSERT INTO public.samples VALUES (3, 1717423782.449, 210.62, NULL, 60, 20614, 67, 'sampled', 583);
INSERT INTO public.samples VALUES (3, 1717423783.452, 291.27, NULL, 94, 20614, 67, 'sampled', 584);
INSERT INTO public.samples VALUES (3, 1717423784.455, 303.26, NULL, 98, 20614, 67, 'sampled', 585);
INSERT INTO public.samples VALUES (3, 1717423785.459, 291.33, NULL, 98, 20614, 67, 'sampled', 586);
INSERT INTO public.samples VALUES (3, 1717423786.462, 295.06, NULL, 95, 20614, 67, 'sampled', 587);
INSERT INTO public.samples VALUES (3, 1717423787.465, 286.15, NULL, 93, 20614, 67, 'sampled', 588);
INSERT INTO public.samples VALUES (3, 1717423788.467, 296.21, NULL, 98, 20614, 67, 'sampled', 589);
INSERT INTO public.samples VALUES (3, 1717423789.468, 300, NULL, 91, 20614, 67, 'sampled', 590);
INSERT INTO public.samples VALUES (3, 1717423790.471, 300.45, NULL, 94, 20614, 67, 'sampled', 591);
INSERT INTO public.samples VALUES (3, 1717423791.472, 298.36, NULL, 96, 20614, 67, 'sampled', 592);
INSERT INTO public.samples VALUES (3, 1717423792.475, 297.43, NULL, 95, 20614, 68, 'sampled', 593);
INSERT INTO public.samples VALUES (3, 1717423793.477, 302.07, NULL, 94, 20614, 68, 'sampled', 594);
INSERT INTO public.samples VALUES (3, 1717423794.48, 297.83, NULL, 91, 20614, 68, 'sampled', 595);
INSERT INTO public.samples VALUES (3, 1717423795.482, 299.42, NULL, 94, 20614, 68, 'sampled', 596);
INSERT INTO public.samples VALUES (3, 1717423796.484, 299.84, NULL, 94, 20614, 68, 'sampled', 597);
INSERT INTO public.samples VALUES (3, 1717423797.488, 293.56, NULL, 94, 20614, 68, 'sampled', 598);
INSERT INTO public.samples VALUES (3, 1717423798.49, 288.49, NULL, 94, 20614, 68, 'sampled', 599);
INSERT INTO public.samples VALUES (3, 1717423799.493, 298.72, NULL, 93, 20614, 68, 'sampled', 600);
INSERT INTO public.samples VALUES (3, 1717423800.496, 311.82, NULL, 92, 20614, 68, 'sampled', 601);
INSERT INTO public.samples VALUES (3, 1717423801.498, 299.48, NULL, 94, 20614, 68, 'sampled', 602);
INSERT INTO public.samples VALUES (3, 1717423802.499, 305.58, NULL, 95, 20614, 68, 'sampled', 603);
INSERT INTO public.samples VALUES (3, 1717423803.502, 293.16, NULL, 98, 20614, 68, 'sampled', 604);
INSERT INTO public.samples VALUES (3, 1717423804.503, 301.14, NULL, 92, 20614, 68, 'sampled', 605);
INSERT INTO public.samples VALUES (3, 1717423805.507, 291.03, NULL, 97, 20614, 68, 'sampled', 606);
INSERT INTO public.samples VALUES (3, 1717423806.51, 295.35, NULL, 93, 20614, 68, 'sampled', 607);
INSERT INTO public.samples VALUES (3, 1717423807.512, 289.08, NULL, 97, 20614, 68, 'sampled', 608);
INSERT INTO public.samples VALUES (3, 1717423808.514, 278.92, NULL, 95, 20614, 68, 'sampled', 609);
INSERT INTO public.samples VALUES (3, 1717423809.516, 283.31, NULL, 96, 20614, 68, 'sampled', 610);
INSERT INTO public.samples VALUES (3, 1717423810.518, 288.32, NULL, 98, 20614, 68, 'sampled', 611);
INSERT INTO public.samples VALUES (3, 1717423811.52, 292.47, NULL, 97, 20614, 68, 'sampled', 612);
INSERT INTO public.samples VALUES (3, 1717423812.524, 288.19, NULL, 96, 20614, 68, 'sampled', 613);
INSERT INTO public.samples VALUES (3, 1717423813.528, 282.67, NULL, 97, 20614, 68, 'sampled', 614);
INSERT INTO public.samples VALUES (3, 1717423814.531, 285.81, NULL, 95, 20614, 68, 'sampled', 615);
INSERT INTO public.samples VALUES (3, 1717423815.535, 283.78, NULL, 95, 20614, 68, 'sampled', 616);
INSERT INTO public.samples VALUES (3, 1717423816.538, 278.62, NULL, 94, 20614, 68, 'sampled', 617);
INSERT INTO public.samples VALUES (3, 1717423817.542, 289.07, NULL, 92, 20614, 68, 'sampled', 618);
INSERT INTO public.samples VALUES (3, 1717423818.545, 290.43, NULL, 96, 20614, 68, 'sampled', 619);
INSERT INTO public.samples VALUES (3, 1717423819.546, 277.09, NULL, 92, 20614, 68, 'sampled', 620);
INSERT INTO public.samples VALUES (3, 1717423820.55, 288.4, NULL, 98, 20614, 68, 'sampled', 621);
INSERT INTO public.samples VALUES (3, 1717423821.553, 284.49, NULL, 93, 20614, 68, 'sampled', 622);
INSERT INTO public.samples VALUES (3, 1717423822.554, 294.26, NULL, 94, 20614, 68, 'sampled', 623);
INSERT INTO public.samples VALUES (3, 1717423823.558, 284.57, NULL, 96, 20614, 68, 'sampled', 624);
INSERT INTO public.samples VALUES (3, 1717423824.562, 287.62, NULL, 94, 20614, 68, 'sampled', 625);
INSERT INTO public.samples VALUES (3, 1717423825.564, 291.49, NULL, 91, 20614, 68, 'sampled', 626);
INSERT INTO public.samples VALUES (3, 1717423826.566, 291.18, NULL, 93, 20614, 69, 'sampled', 627);
INSERT INTO public.samples VALUES (3, 1717423827.567, 284.4, NULL, 91, 20614, 69, 'sampled', 628);
INSERT INTO public.samples VALUES (3, 1717423828.568, 287.29, NULL, 94, 20614, 69, 'sampled', 629);
INSERT INTO public.samples VALUES (3, 1717423829.572, 295.58, NULL, 98, 20614, 69, 'sampled', 630);
INSERT INTO public.samples VALUES (3, 1717423830.575, 289.33, NULL, 97, 20614, 69, 'sampled', 631);
INSERT INTO public.samples VALUES (3, 1717423831.579, 296.27, NULL, 94, 20614, 69, 'sampled', 632);
INSERT INTO public.samples VALUES (3, 1717423832.581, 301.21, NULL, 98, 20614, 69, 'sampled', 633);
INSERT INTO public.samples VALUES (3, 1717423833.583, 297.06, NULL, 96, 20614, 69, 'sampled', 634);
INSERT INTO public.samples VALUES (3, 1717423834.587, 303.43, NULL, 92, 20614, 69, 'sampled', 635);
INSERT INTO public.samples VALUES (3, 1717423835.589, 305.25, NULL, 92, 20614, 69, 'sampled', 636);
INSERT INTO public.samples VALUES (3, 1717423836.593, 293.87, NULL, 98, 20614, 69, 'sampled', 637);
INSERT INTO public.samples VALUES (3, 1717423837.597, 292.37, NULL, 96, 20614, 69, 'sampled', 638);
INSERT INTO public.samples VALUES (3, 1717423838.598, 284.51, NULL, 94, 20614, 69, 'sampled', 639);
INSERT INTO public.samples VALUES (3, 1717423839.602, 309.33, NULL, 96, 20614, 69, 'sampled', 640);
INSERT INTO public.samples VALUES (3, 1717423840.604, 308.59, NULL, 92, 20614, 69, 'sampled', 641);
INSERT INTO public.samples VALUES (3, 1717423841.608, 302.15, NULL, 96, 20614, 69, 'sampled', 642);
INSERT INTO public.samples VALUES (3, 1717423842.609, 296.48, NULL, 93, 20614, 69, 'sampled', 643);
INSERT INTO public.samples VALUES (3, 1717423843.611, 297.2, NULL, 95, 20614, 69, 'sampled', 644);
INSERT INTO public.samples VALUES (3, 1717423844.612, 299.01, NULL, 95, 20614, 69, 'sampled', 645);
INSERT INTO public.samples VALUES (3, 1717423845.614, 292.01, NULL, 93, 20614, 69, 'sampled', 646);
INSERT INTO public.samples VALUES (3, 1717423846.616, 289.31, NULL, 98, 20614, 69, 'sampled', 647);
INSERT INTO public.samples VALUES (3, 1717423847.62, 296.36, NULL, 93, 20614, 69, 'sampled', 648);
INSERT INTO public.samples VALUES (3, 1717423848.623, 298.65, NULL, 98, 20614, 69, 'sampled', 649);
INSERT INTO public.samples VALUES (3, 1717423849.625, 281.81, NULL, 98, 20614, 69, 'sampled', 650);
INSERT INTO public.samples VALUES (3, 1717423850.629, 294.83, NULL, 98, 20614, 69, 'sampled', 651);
INSERT INTO public.samples VALUES (3, 1717423851.632, 292.75, NULL, 92, 20614, 69, 'sampled', 652);
INSERT INTO public.samples VALUES (3, 1717423852.634, 281.84, NULL, 96, 20614, 69, 'sampled', 653);
INSERT INTO public.samples VALUES (3, 1717423853.636, 283.5, NULL, 96, 20614, 69, 'sampled', 654);
INSERT INTO public.samples VALUES (3, 1717423854.637, 284.4, NULL, 97, 20614, 69, 'sampled', 655);
INSERT INTO public.samples VALUES (3, 1717423855.641, 279.52, NULL, 94, 20614, 69, 'sampled', 656);
INSERT INTO public.samples VALUES (3, 1717423856.642, 290.62, NULL, 96, 20614, 69, 'sampled', 657);
INSERT INTO public.samples VALUES (3, 1717423857.644, 283.65, NULL, 95, 20614, 69, 'sampled', 658);
INSERT INTO public.samples VALUES (3, 1717423858.645, 291.63, NULL, 98, 20614, 69, 'sampled', 659);
INSERT INTO public.samples VALUES (3, 1717423859.647, 285.78, NULL, 91, 20614, 69, 'sampled', 660);
INSERT INTO public.samples VALUES (3, 1717423860.649, 293.28, NULL, 91, 20614, 69, 'sampled', 661);
INSERT INTO public.samples VALUES (3, 1717423861.652, 282.08, NULL, 91, 20614, 69, 'sampled', 662);
INSERT INTO public.samples VALUES (3, 1717423862.655, 290.25, NULL, 92, 20614, 69, 'sampled', 663);
INSERT INTO public.samples VALUES (3, 1717423863.656, 285.58, NULL, 97, 20614, 69, 'sampled', 664);
INSERT INTO public.samples VALUES (3, 1717423864.659, 304.23, NULL, 93, 20614, 69, 'sampled', 665);
INSERT INTO public.samples VALUES (3, 1717423865.663, 287.96, NULL, 92, 20614, 69, 'sampled', 666);
INSERT INTO public.samples VALUES (3, 1717423866.665, 285.24, NULL, 93, 20614, 69, 'sampled', 667);
INSERT INTO public.samples VALUES (3, 1717423867.668, 289.95, NULL, 92, 20614, 69, 'sampled', 668);
INSERT INTO public.samples VALUES (3, 1717423868.669, 286.86, NULL, 92, 20614, 69, 'sampled', 669);
INSERT INTO public.samples VALUES (3, 1717423869.67, 291.23, NULL, 98, 20614, 69, 'sampled', 670);
INSERT INTO public.samples VALUES (3, 1717423870.672, 289.92, NULL, 92, 20614, 69, 'sampled', 671);
INSERT INTO public.samples VALUES (3, 1717423871.673, 291.59, NULL, 93, 20614, 69, 'sampled', 672);
INSERT INTO public.samples VALUES (3, 1717423872.674, 283.21, NULL, 98, 20614, 69, 'sampled', 673);
INSERT INTO public.samples VALUES (3, 1717423873.678, 292.82, NULL, 91, 20614, 69, 'sampled', 674);
INSERT INTO public.samples VALUES (3, 1717423874.68, 305.11, NULL, 94, 20614, 69, 'sampled', 675);
INSERT INTO public.samples VALUES (3, 1717423875.683, 293.43, NULL, 91, 20614, 69, 'sampled', 676);
INSERT INTO public.samples VALUES (3, 1717423876.684, 301.5, NULL, 96, 20614, 69, 'sampled', 677);
INSERT INTO public.samples VALUES (3, 1717423877.687, 299.96, NULL, 95, 20614, 69, 'sampled', 678);
INSERT INTO public.samples VALUES (3, 1717423878.691, 200.9, NULL, 65, 20614, 69, 'sampled', 679);
INSERT INTO public.samples VALUES (3, 1717423879.694, 208.22, NULL, 63, 20614, 69, 'sampled', 680);
INSERT INTO public.samples VALUES (3, 1717423880.697, 193.06, NULL, 62, 20614, 69, 'sampled', 681);
INSERT INTO public.samples VALUES (3, 1717423881.699, 229.43, NULL, 55, 20614, 69, 'sampled', 682);
INSERT INTO public.samples VALUES (3, 1717423882.7, 202.95, NULL, 64, 20614, 69, 'sampled', 683);
INSERT INTO public.samples VALUES (3, 1717423883.704, 201.04, NULL, 62, 20614, 68, 'sampled', 684);
INSERT INTO public.samples VALUES (3, 1717423884.706, 205.31, NULL, 63, 20614, 68, 'sampled', 685);
INSERT INTO public.samples VALUES (3, 1717423885.708, 203.43, NULL, 66, 20614, 68, 'sampled', 686);
INSERT INTO public.samples VALUES (3, 1717423886.711, 204.33, NULL, 64, 20614, 68, 'sampled', 687);
INSERT INTO public.samples VALUES (3, 1717423887.713, 205.01, NULL, 63, 20614, 68, 'sampled', 688);
INSERT INTO public.samples VALUES (3, 1717423888.717, 220.11, NULL, 66, 20614, 68, 'sampled', 689);
INSERT INTO public.samples VALUES (3, 1717423889.72, 221.19, NULL, 63, 20614, 67, 'sampled', 690);
INSERT INTO public.samples VALUES (3, 1717423890.721, 190.95, NULL, 63, 20614, 67, 'sampled', 691);
INSERT INTO public.samples VALUES (3, 1717423891.722, 210.6, NULL, 65, 20614, 67, 'sampled', 692);
INSERT INTO public.samples VALUES (3, 1717423892.723, 290.12, NULL, 95, 20614, 67, 'sampled', 693);
INSERT INTO public.samples VALUES (3, 1717423893.725, 296.09, NULL, 92, 20614, 67, 'sampled', 694);
INSERT INTO public.samples VALUES (3, 1717423894.726, 289.04, NULL, 98, 20614, 67, 'sampled', 695);
INSERT INTO public.samples VALUES (3, 1717423895.728, 291.29, NULL, 94, 20614, 67, 'sampled', 696);
INSERT INTO public.samples VALUES (3, 1717423896.731, 301.6, NULL, 96, 20614, 67, 'sampled', 697);
INSERT INTO public.samples VALUES (3, 1717423897.735, 283.02, NULL, 95, 20614, 67, 'sampled', 698);
INSERT INTO public.samples VALUES (3, 1717423898.736, 298.86, NULL, 94, 20614, 68, 'sampled', 699);
INSERT INTO public.samples VALUES (3, 1717423899.739, 309.66, NULL, 98, 20614, 68, 'sampled', 700);
INSERT INTO public.samples VALUES (3, 1717423900.74, 300.2, NULL, 98, 20614, 68, 'sampled', 701);
INSERT INTO public.samples VALUES (3, 1717423901.743, 292.03, NULL, 92, 20614, 68, 'sampled', 702);
INSERT INTO public.samples VALUES (3, 1717423902.746, 311.76, NULL, 97, 20614, 68, 'sampled', 703);
INSERT INTO public.samples VALUES (3, 1717423903.747, 289.37, NULL, 97, 20614, 68, 'sampled', 704);
INSERT INTO public.samples VALUES (3, 1717423904.749, 287.97, NULL, 92, 20614, 68, 'sampled', 705);
INSERT INTO public.samples VALUES (3, 1717423905.752, 298.77, NULL, 97, 20614, 68, 'sampled', 706);
INSERT INTO public.samples VALUES (3, 1717423906.754, 297.08, NULL, 92, 20614, 68, 'sampled', 707);
INSERT INTO public.samples VALUES (3, 1717423907.755, 308.37, NULL, 92, 20614, 68, 'sampled', 708);
INSERT INTO public.samples VALUES (3, 1717423908.758, 294.82, NULL, 98, 20614, 68, 'sampled', 709);
INSERT INTO public.samples VALUES (3, 1717423909.762, 293.16, NULL, 94, 20614, 68, 'sampled', 710);
INSERT INTO public.samples VALUES (3, 1717423910.766, 300.81, NULL, 91, 20614, 68, 'sampled', 711);
INSERT INTO public.samples VALUES (3, 1717423911.768, 291.7, NULL, 94, 20614, 68, 'sampled', 712);
INSERT INTO public.samples VALUES (3, 1717423912.77, 296.08, NULL, 93, 20614, 68, 'sampled', 713);
INSERT INTO public.samples VALUES (3, 1717423913.773, 296.67, NULL, 92, 20614, 68, 'sampled', 714);
INSERT INTO public.samples VALUES (3, 1717423914.777, 298.71, NULL, 94, 20614, 68, 'sampled', 715);
INSERT INTO public.samples VALUES (3, 1717423915.778, 277.83, NULL, 97, 20614, 68, 'sampled', 716);
INSERT INTO public.samples VALUES (3, 1717423916.78, 286.32, NULL, 95, 20614, 68, 'sampled', 717);
INSERT INTO public.samples VALUES (3, 1717423917.781, 288.2, NULL, 94, 20614, 68, 'sampled', 718);
INSERT INTO public.samples VALUES (3, 1717423918.782, 284.47, NULL, 95, 20614, 68, 'sampled', 719);
INSERT INTO public.samples VALUES (3, 1717423919.786, 296.28, NULL, 98, 20614, 68, 'sampled', 720);
INSERT INTO public.samples VALUES (3, 1717423920.788, 278.35, NULL, 92, 20614, 68, 'sampled', 721);
INSERT INTO public.samples VALUES (3, 1717423921.791, 278.21, NULL, 94, 20614, 68, 'sampled', 722);
INSERT INTO public.samples VALUES (3, 1717423922.793, 289.67, NULL, 95, 20614, 68, 'sampled', 723);
INSERT INTO public.samples VALUES (3, 1717423923.796, 287.52, NULL, 91, 20614, 68, 'sampled', 724);
INSERT INTO public.samples VALUES (3, 1717423924.798, 289.57, NULL, 91, 20614, 68, 'sampled', 725);
INSERT INTO public.samples VALUES (3, 1717423925.8, 290.7, NULL, 94, 20614, 68, 'sampled', 726);
INSERT INTO public.samples VALUES (3, 1717423926.803, 286.12, NULL, 97, 20614, 68, 'sampled', 727);
INSERT INTO public.samples VALUES (3, 1717423927.804, 279.77, NULL, 93, 20614, 68, 'sampled', 728);
INSERT INTO public.samples VALUES (3, 1717423928.805, 280.91, NULL, 94, 20614, 68, 'sampled', 729);
INSERT INTO public.samples VALUES (3, 1717423929.809, 277.7, NULL, 92, 20614, 68, 'sampled', 730);
INSERT INTO public.samples VALUES (3, 1717423930.812, 282.19, NULL, 91, 20614, 68, 'sampled', 731);
INSERT INTO public.samples VALUES (3, 1717423931.815, 294.34, NULL, 92, 20614, 68, 'sampled', 732);
INSERT INTO public.samples VALUES (3, 1717423932.819, 284.26, NULL, 92, 20614, 68, 'sampled', 733);
INSERT INTO public.samples VALUES (3, 1717423933.823, 284.94, NULL, 98, 20614, 68, 'sampled', 734);
INSERT INTO public.samples VALUES (3, 1717423934.824, 299.65, NULL, 92, 20614, 69, 'sampled', 735);
INSERT INTO public.samples VALUES (3, 1717423935.827, 295.97, NULL, 91, 20614, 69, 'sampled', 736);
INSERT INTO public.samples VALUES (3, 1717423936.828, 290.23, NULL, 92, 20614, 69, 'sampled', 737);
INSERT INTO public.samples VALUES (3, 1717423937.829, 292.16, NULL, 94, 20614, 69, 'sampled', 738);
INSERT INTO public.samples VALUES (3, 1717423938.83, 286.06, NULL, 96, 20614, 69, 'sampled', 739);
INSERT INTO public.samples VALUES (3, 1717423939.831, 290.89, NULL, 98, 20614, 69, 'sampled', 740);
INSERT INTO public.samples VALUES (3, 1717423940.833, 296.47, NULL, 91, 20614, 69, 'sampled', 741);
INSERT INTO public.samples VALUES (3, 1717423941.834, 288.49, NULL, 95, 20614, 69, 'sampled', 742);
INSERT INTO public.samples VALUES (3, 1717423942.836, 290.31, NULL, 92, 20614, 69, 'sampled', 743);
INSERT INTO public.samples VALUES (3, 1717423943.838, 307.51, NULL, 93, 20614, 69, 'sampled', 744);
INSERT INTO public.samples VALUES (3, 1717423944.839, 294.52, NULL, 95, 20614, 69, 'sampled', 745);
INSERT INTO public.samples VALUES (3, 1717423945.841, 300.97, NULL, 97, 20614, 69, 'sampled', 746);
INSERT INTO public.samples VALUES (3, 1717423946.842, 299.12, NULL, 97, 20614, 69, 'sampled', 747);
INSERT INTO public.samples VALUES (3, 1717423947.844, 291.24, NULL, 97, 20614, 69, 'sampled', 748);
INSERT INTO public.samples VALUES (3, 1717423948.845, 311.18, NULL, 98, 20614, 69, 'sampled', 749);
INSERT INTO public.samples VALUES (3, 1717423949.847, 296.06, NULL, 91, 20614, 69, 'sampled', 750);
INSERT INTO public.samples VALUES (3, 1717423950.848, 299.99, NULL, 98, 20614, 69, 'sampled', 751);
INSERT INTO public.samples VALUES (3, 1717423951.851, 306.98, NULL, 91, 20614, 69, 'sampled', 752);
INSERT INTO public.samples VALUES (3, 1717423952.853, 290.91, NULL, 91, 20614, 69, 'sampled', 753);
INSERT INTO public.samples VALUES (3, 1717423953.856, 295.43, NULL, 97, 20614, 69, 'sampled', 754);
INSERT INTO public.samples VALUES (3, 1717423954.859, 290.56, NULL, 97, 20614, 69, 'sampled', 755);
INSERT INTO public.samples VALUES (3, 1717423955.863, 297.08, NULL, 97, 20614, 69, 'sampled', 756);
INSERT INTO public.samples VALUES (3, 1717423956.865, 288.97, NULL, 95, 20614, 69, 'sampled', 757);
INSERT INTO public.samples VALUES (3, 1717423957.868, 297.54, NULL, 92, 20614, 69, 'sampled', 758);
INSERT INTO public.samples VALUES (3, 1717423958.872, 291.55, NULL, 98, 20614, 69, 'sampled', 759);
INSERT INTO public.samples VALUES (3, 1717423959.873, 290.8, NULL, 97, 20614, 69, 'sampled', 760);
INSERT INTO public.samples VALUES (3, 1717423960.874, 294.62, NULL, 94, 20614, 69, 'sampled', 761);
INSERT INTO public.samples VALUES (3, 1717423961.877, 290.97, NULL, 94, 20614, 69, 'sampled', 762);
INSERT INTO public.samples VALUES (3, 1717423962.878, 288.5, NULL, 91, 20614, 69, 'sampled', 763);
INSERT INTO public.samples VALUES (3, 1717423963.879, 287.34, NULL, 95, 20614, 69, 'sampled', 764);
INSERT INTO public.samples VALUES (3, 1717423964.881, 283.5, NULL, 96, 20614, 69, 'sampled', 765);
INSERT INTO public.samples VALUES (3, 1717423965.884, 286.94, NULL, 95, 20614, 69, 'sampled', 766);
INSERT INTO public.samples VALUES (3, 1717423966.886, 286.31, NULL, 97, 20614, 69, 'sampled', 767);
INSERT INTO public.samples VALUES (3, 1717423967.887, 278.35, NULL, 96, 20614, 69, 'sampled', 768);
INSERT INTO public.samples VALUES (3, 1717423968.888, 292.47, NULL, 92, 20614, 69, 'sampled', 769);
INSERT INTO public.samples VALUES (3, 1717423969.889, 290.9, NULL, 91, 20614, 69, 'sampled', 770);
INSERT INTO public.samples VALUES (3, 1717423970.892, 274.37, NULL, 95, 20614, 69, 'sampled', 771);
INSERT INTO public.samples VALUES (3, 1717423971.894, 280.64, NULL, 97, 20614, 69, 'sampled', 772);
INSERT INTO public.samples VALUES (3, 1717423972.895, 288.22, NULL, 94, 20614, 69, 'sampled', 773);
INSERT INTO public.samples VALUES (3, 1717423973.897, 286.66, NULL, 92, 20614, 69, 'sampled', 774);
INSERT INTO public.samples VALUES (3, 1717423974.898, 286.95, NULL, 95, 20614, 69, 'sampled', 775);
INSERT INTO public.samples VALUES (3, 1717423975.901, 290.94, NULL, 98, 20614, 69, 'sampled', 776);
INSERT INTO public.samples VALUES (3, 1717423976.904, 280.8, NULL, 94, 20614, 69, 'sampled', 777);
INSERT INTO public.samples VALUES (3, 1717423977.908, 290.26, NULL, 98, 20614, 69, 'sampled', 778);
INSERT INTO public.samples VALUES (3, 1717423978.912, 293.68, NULL, 95, 20614, 69, 'sampled', 779);
INSERT INTO public.samples VALUES (3, 1717423979.916, 284.05, NULL, 96, 20614, 69, 'sampled', 780);
INSERT INTO public.samples VALUES (3, 1717423980.918, 302.52, NULL, 98, 20614, 69, 'sampled', 781);
INSERT INTO public.samples VALUES (3, 1717423981.92, 298.13, NULL, 92, 20614, 69, 'sampled', 782);
INSERT INTO public.samples VALUES (3, 1717423982.924, 279.37, NULL, 98, 20614, 69, 'sampled', 783);
INSERT INTO public.samples VALUES (3, 1717423983.927, 293.12, NULL, 94, 20614, 69, 'sampled', 784);
INSERT INTO public.samples VALUES (3, 1717423984.93, 295.84, NULL, 95, 20614, 69, 'sampled', 785);
INSERT INTO public.samples VALUES (3, 1717423985.931, 307.24, NULL, 92, 20614, 69, 'sampled', 786);
INSERT INTO public.samples VALUES (3, 1717423986.933, 309.82, NULL, 97, 20614, 69, 'sampled', 787);
INSERT INTO public.samples VALUES (3, 1717423987.935, 214.12, NULL, 57, 20614, 69, 'sampled', 788);
INSERT INTO public.samples VALUES (3, 1717423988.939, 220.16, NULL, 61, 20614, 69, 'sampled', 789);
INSERT INTO public.samples VALUES (3, 1717423989.94, 206.41, NULL, 55, 20614, 69, 'sampled', 790);
INSERT INTO public.samples VALUES (3, 1717423990.944, 218.94, NULL, 57, 20614, 69, 'sampled', 791);
INSERT INTO public.samples VALUES (3, 1717423991.948, 214.44, NULL, 57, 20614, 69, 'sampled', 792);
INSERT INTO public.samples VALUES (3, 1717423992.952, 189.79, NULL, 62, 20614, 68, 'sampled', 793);
INSERT INTO public.samples VALUES (3, 1717423993.956, 202.25, NULL, 65, 20614, 68, 'sampled', 794);
INSERT INTO public.samples VALUES (3, 1717423994.957, 216.81, NULL, 66, 20614, 68, 'sampled', 795);
INSERT INTO public.samples VALUES (3, 1717423995.958, 202.33, NULL, 65, 20614, 68, 'sampled', 796);
INSERT INTO public.samples VALUES (3, 1717423996.962, 203.17, NULL, 56, 20614, 68, 'sampled', 797);
INSERT INTO public.samples VALUES (3, 1717423997.965, 193.21, NULL, 59, 20614, 68, 'sampled', 798);
INSERT INTO public.samples VALUES (3, 1717423998.968, 214.01, NULL, 67, 20614, 67, 'sampled', 799);
INSERT INTO public.samples VALUES (3, 1717423999.972, 207, NULL, 64, 20614, 67, 'sampled', 800);
INSERT INTO public.samples VALUES (3, 1717424000.976, 187.61, NULL, 57, 20614, 67, 'sampled', 801);
INSERT INTO public.samples VALUES (3, 1717424001.98, 296.3, NULL, 96, 20614, 67, 'sampled', 802);
INSERT INTO public.samples VALUES (3, 1717424002.983, 302.56, NULL, 92, 20614, 67, 'sampled', 803);
INSERT INTO public.samples VALUES (3, 1717424003.987, 297.99, NULL, 97, 20614, 67, 'sampled', 804);
INSERT INTO public.samples VALUES (3, 1717424004.991, 294.19, NULL, 97, 20614, 67, 'sampled', 805);
INSERT INTO public.samples VALUES (3, 1717424005.994, 297.94, NULL, 93, 20614, 67, 'sampled', 806);
INSERT INTO public.samples VALUES (3, 1717424006.997, 296.77, NULL, 93, 20614, 67, 'sampled', 807);
INSERT INTO public.samples VALUES (3, 1717424007.998, 303.82, NULL, 98, 20614, 68, 'sampled', 808);
INSERT INTO public.samples VALUES (3, 1717424009.001, 305.13, NULL, 94, 20614, 68, 'sampled', 809);
INSERT INTO public.samples VALUES (3, 1717424010.002, 298.19, NULL, 97, 20614, 68, 'sampled', 810);
INSERT INTO public.samples VALUES (3, 1717424011.006, 295.82, NULL, 93, 20614, 68, 'sampled', 811);
INSERT INTO public.samples VALUES (3, 1717424012.007, 292.89, NULL, 96, 20614, 68, 'sampled', 812);
INSERT INTO public.samples VALUES (3, 1717424013.008, 301.81, NULL, 96, 20614, 68, 'sampled', 813);
INSERT INTO public.samples VALUES (3, 1717424014.012, 307.21, NULL, 98, 20614, 68, 'sampled', 814);
INSERT INTO public.samples VALUES (3, 1717424015.015, 301.62, NULL, 93, 20614, 68, 'sampled', 815);
INSERT INTO public.samples VALUES (3, 1717424016.019, 297.58, NULL, 98, 20614, 68, 'sampled', 816);
INSERT INTO public.samples VALUES (3, 1717424017.02, 309.5, NULL, 93, 20614, 68, 'sampled', 817);
INSERT INTO public.samples VALUES (3, 1717424018.024, 298.66, NULL, 94, 20614, 68, 'sampled', 818);
INSERT INTO public.samples VALUES (3, 1717424019.026, 296.44, NULL, 92, 20614, 68, 'sampled', 819);
INSERT INTO public.samples VALUES (3, 1717424020.027, 305.41, NULL, 92, 20614, 68, 'sampled', 820);
INSERT INTO public.samples VALUES (3, 1717424021.029, 308.2, NULL, 93, 20614, 68, 'sampled', 821);
INSERT INTO public.samples VALUES (3, 1717424022.031, 297.01, NULL, 96, 20614, 68, 'sampled', 822);
INSERT INTO public.samples VALUES (3, 1717424023.033, 296.81, NULL, 97, 20614, 68, 'sampled', 823);
INSERT INTO public.samples VALUES (3, 1717424024.037, 297.68, NULL, 96, 20614, 68, 'sampled', 824);
INSERT INTO public.samples VALUES (3, 1717424025.041, 286.1, NULL, 98, 20614, 68, 'sampled', 825);
INSERT INTO public.samples VALUES (3, 1717424026.043, 291.99, NULL, 93, 20614, 68, 'sampled', 826);
INSERT INTO public.samples VALUES (3, 1717424027.044, 286.18, NULL, 92, 20614, 68, 'sampled', 827);
INSERT INTO public.samples VALUES (3, 1717424028.047, 294.52, NULL, 92, 20614, 68, 'sampled', 828);
INSERT INTO public.samples VALUES (3, 1717424029.048, 282.87, NULL, 98, 20614, 68, 'sampled', 829);
INSERT INTO public.samples VALUES (3, 1717424030.051, 293.42, NULL, 92, 20614, 69, 'sampled', 830);
INSERT INTO public.samples VALUES (3, 1717424031.053, 287.77, NULL, 92, 20614, 69, 'sampled', 831);
INSERT INTO public.samples VALUES (3, 1717424032.054, 281.1, NULL, 92, 20614, 69, 'sampled', 832);
INSERT INTO public.samples VALUES (3, 1717424033.057, 295.46, NULL, 96, 20614, 69, 'sampled', 833);
INSERT INTO public.samples VALUES (3, 1717424034.061, 292.91, NULL, 92, 20614, 69, 'sampled', 834);
INSERT INTO public.samples VALUES (3, 1717424035.062, 285.68, NULL, 94, 20614, 69, 'sampled', 835);
INSERT INTO public.samples VALUES (3, 1717424036.063, 289.65, NULL, 92, 20614, 69, 'sampled', 836);
INSERT INTO public.samples VALUES (3, 1717424037.064, 275.56, NULL, 95, 20614, 69, 'sampled', 837);
INSERT INTO public.samples VALUES (3, 1717424038.065, 270.98, NULL, 98, 20614, 69, 'sampled', 838);
INSERT INTO public.samples VALUES (3, 1717424039.067, 271.55, NULL, 96, 20614, 69, 'sampled', 839);
INSERT INTO public.samples VALUES (3, 1717424040.068, 282.63, NULL, 94, 20614, 69, 'sampled', 840);
INSERT INTO public.samples VALUES (3, 1717424041.071, 281.28, NULL, 91, 20614, 69, 'sampled', 841);
INSERT INTO public.samples VALUES (3, 1717424042.073, 293.12, NULL, 92, 20614, 69, 'sampled', 842);
INSERT INTO public.samples VALUES (3, 1717424043.077, 292.5, NULL, 93, 20614, 69, 'sampled', 843);
INSERT INTO public.samples VALUES (3, 1717424044.078, 288.42, NULL, 94, 20614, 69, 'sampled', 844);
INSERT INTO public.samples VALUES (3, 1717424045.082, 284.89, NULL, 96, 20614, 69, 'sampled', 845);
INSERT INTO public.samples VALUES (3, 1717424046.084, 287.05, NULL, 96, 20614, 69, 'sampled', 846);
INSERT INTO public.samples VALUES (3, 1717424047.086, 293.05, NULL, 95, 20614, 69, 'sampled', 847);
INSERT INTO public.samples VALUES (3, 1717424048.088, 293.36, NULL, 91, 20614, 69, 'sampled', 848);
INSERT INTO public.samples VALUES (3, 1717424049.091, 307.37, NULL, 95, 20614, 69, 'sampled', 849);
INSERT INTO public.samples VALUES (3, 1717424050.093, 294.18, NULL, 95, 20614, 69, 'sampled', 850);
INSERT INTO public.samples VALUES (3, 1717424051.095, 289.23, NULL, 92, 20614, 69, 'sampled', 851);
INSERT INTO public.samples VALUES (3, 1717424052.096, 298.56, NULL, 95, 20614, 69, 'sampled', 852);
INSERT INTO public.samples VALUES (3, 1717424053.097, 293.87, NULL, 96, 20614, 69, 'sampled', 853);
INSERT INTO public.samples VALUES (3, 1717424054.099, 288.34, NULL, 94, 20614, 69, 'sampled', 854);
INSERT INTO public.samples VALUES (3, 1717424055.102, 299.15, NULL, 93, 20614, 69, 'sampled', 855);
INSERT INTO public.samples VALUES (3, 1717424056.105, 305.99, NULL, 91, 20614, 69, 'sampled', 856);
INSERT INTO public.samples VALUES (3, 1717424057.106, 299.35, NULL, 95, 20614, 69, 'sampled', 857);
INSERT INTO public.samples VALUES (3, 1717424058.11, 301.76, NULL, 91, 20614, 69, 'sampled', 858);
INSERT INTO public.samples VALUES (3, 1717424059.112, 306.39, NULL, 97, 20614, 69, 'sampled', 859);
INSERT INTO public.samples VALUES (3, 1717424060.113, 298.71, NULL, 94, 20614, 69, 'sampled', 860);
INSERT INTO public.samples VALUES (3, 1717424061.116, 290.72, NULL, 93, 20614, 69, 'sampled', 861);
INSERT INTO public.samples VALUES (3, 1717424062.117, 290.75, NULL, 98, 20614, 69, 'sampled', 862);
INSERT INTO public.samples VALUES (3, 1717424063.119, 309.22, NULL, 95, 20614, 69, 'sampled', 863);
INSERT INTO public.samples VALUES (3, 1717424064.121, 298.49, NULL, 94, 20614, 69, 'sampled', 864);
INSERT INTO public.samples VALUES (3, 1717424065.125, 287.65, NULL, 95, 20614, 69, 'sampled', 865);
INSERT INTO public.samples VALUES (3, 1717424066.129, 293.94, NULL, 91, 20614, 69, 'sampled', 866);
INSERT INTO public.samples VALUES (3, 1717424067.13, 295.36, NULL, 95, 20614, 69, 'sampled', 867);
INSERT INTO public.samples VALUES (3, 1717424068.133, 295.81, NULL, 93, 20614, 69, 'sampled', 868);
INSERT INTO public.samples VALUES (3, 1717424069.135, 284.15, NULL, 95, 20614, 69, 'sampled', 869);
INSERT INTO public.samples VALUES (3, 1717424070.136, 294.46, NULL, 91, 20614, 69, 'sampled', 870);
INSERT INTO public.samples VALUES (3, 1717424071.14, 298.81, NULL, 92, 20614, 69, 'sampled', 871);
INSERT INTO public.samples VALUES (3, 1717424072.141, 293.42, NULL, 92, 20614, 69, 'sampled', 872);
INSERT INTO public.samples VALUES (3, 1717424073.142, 274.46, NULL, 96, 20614, 69, 'sampled', 873);
INSERT INTO public.samples VALUES (3, 1717424074.145, 280.34, NULL, 92, 20614, 69, 'sampled', 874);
INSERT INTO public.samples VALUES (3, 1717424075.148, 279.57, NULL, 96, 20614, 69, 'sampled', 875);
INSERT INTO public.samples VALUES (3, 1717424076.152, 286.71, NULL, 98, 20614, 69, 'sampled', 876);
INSERT INTO public.samples VALUES (3, 1717424077.154, 280.04, NULL, 92, 20614, 69, 'sampled', 877);
INSERT INTO public.samples VALUES (3, 1717424078.156, 283.5, NULL, 95, 20614, 69, 'sampled', 878);
INSERT INTO public.samples VALUES (3, 1717424079.158, 281.26, NULL, 94, 20614, 69, 'sampled', 879);
INSERT INTO public.samples VALUES (3, 1717424080.162, 277.1, NULL, 96, 20614, 69, 'sampled', 880);
INSERT INTO public.samples VALUES (3, 1717424081.164, 284.2, NULL, 92, 20614, 69, 'sampled', 881);
INSERT INTO public.samples VALUES (3, 1717424082.168, 286.9, NULL, 92, 20614, 69, 'sampled', 882);
INSERT INTO public.samples VALUES (3, 1717424083.169, 288.38, NULL, 93, 20614, 69, 'sampled', 883);
INSERT INTO public.samples VALUES (3, 1717424084.17, 291.77, NULL, 92, 20614, 69, 'sampled', 884);
INSERT INTO public.samples VALUES (3, 1717424085.172, 286.9, NULL, 91, 20614, 69, 'sampled', 885);
INSERT INTO public.samples VALUES (3, 1717424086.173, 283.92, NULL, 98, 20614, 69, 'sampled', 886);
INSERT INTO public.samples VALUES (3, 1717424087.177, 286.11, NULL, 98, 20614, 69, 'sampled', 887);
INSERT INTO public.samples VALUES (3, 1717424088.179, 289.51, NULL, 98, 20614, 69, 'sampled', 888);
INSERT INTO public.samples VALUES (3, 1717424089.183, 297.21, NULL, 92, 20614, 69, 'sampled', 889);
INSERT INTO public.samples VALUES (3, 1717424090.187, 298.23, NULL, 96, 20614, 69, 'sampled', 890);
INSERT INTO public.samples VALUES (3, 1717424091.189, 305.45, NULL, 91, 20614, 69, 'sampled', 891);
INSERT INTO public.samples VALUES (3, 1717424092.193, 290.83, NULL, 92, 20614, 69, 'sampled', 892);
INSERT INTO public.samples VALUES (3, 1717424093.195, 294.94, NULL, 94, 20614, 69, 'sampled', 893);
INSERT INTO public.samples VALUES (3, 1717424094.197, 301.42, NULL, 95, 20614, 69, 'sampled', 894);
INSERT INTO public.samples VALUES (3, 1717424095.198, 299.76, NULL, 98, 20614, 69, 'sampled', 895);
INSERT INTO public.samples VALUES (3, 1717424096.202, 293.39, NULL, 97, 20614, 69, 'sampled', 896);
INSERT INTO public.samples VALUES (3, 1717424097.204, 206.63, NULL, 66, 20614, 69, 'sampled', 897);
INSERT INTO public.samples VALUES (3, 1717424098.208, 214.7, NULL, 62, 20614, 69, 'sampled', 898);
INSERT INTO public.samples VALUES (3, 1717424099.21, 200.14, NULL, 55, 20614, 69, 'sampled', 899);
INSERT INTO public.samples VALUES (3, 1717424100.211, 205.38, NULL, 61, 20614, 69, 'sampled', 900);
INSERT INTO public.samples VALUES (3, 1717424101.212, 223.23, NULL, 63, 20614, 69, 'sampled', 901);
INSERT INTO public.samples VALUES (3, 1717424102.216, 201.26, NULL, 64, 20614, 68, 'sampled', 902);
INSERT INTO public.samples VALUES (3, 1717424103.22, 194.11, NULL, 61, 20614, 68, 'sampled', 903);
INSERT INTO public.samples VALUES (3, 1717424104.223, 207.31, NULL, 66, 20614, 68, 'sampled', 904);
INSERT INTO public.samples VALUES (3, 1717424105.225, 214.71, NULL, 58, 20614, 68, 'sampled', 905);
INSERT INTO public.samples VALUES (3, 1717424106.229, 215.81, NULL, 55, 20614, 68, 'sampled', 906);
INSERT INTO public.samples VALUES (3, 1717424107.231, 205.65, NULL, 64, 20614, 68, 'sampled', 907);
INSERT INTO public.samples VALUES (3, 1717424108.234, 202.57, NULL, 64, 20614, 67, 'sampled', 908);
INSERT INTO public.samples VALUES (3, 1717424109.238, 209.33, NULL, 57, 20614, 67, 'sampled', 909);
INSERT INTO public.samples VALUES (3, 1717424110.242, 200.3, NULL, 57, 20614, 67, 'sampled', 910);
INSERT INTO public.samples VALUES (3, 1717424111.244, 81.93, NULL, 0, 412, 67, 'sampled', 911);
INSERT INTO public.samples VALUES (3, 1717424112.245, 68.76, NULL, 0, 412, 66, 'sampled', 912);
INSERT INTO public.samples VALUES (3, 1717424113.247, 55, NULL, 0, 412, 66, 'sampled', 913);
INSERT INTO public.samples VALUES (3, 1717424114.249, 43.75, NULL, 0, 412, 65, 'sampled', 914);
INSERT INTO public.samples VALUES (3, 1717424115.251, 25.44, NULL, 0, 412, 65, 'sampled', 915);
INSERT INTO public.samples VALUES (3, 1717424116.252, 25.03, NULL, 0, 412, 64, 'sampled', 916);
INSERT INTO public.samples VALUES (3, 1717424117.254, 22.76, NULL, 0, 412, 64, 'sampled', 917);
INSERT INTO public.samples VALUES (3, 1717424118.255, 24.69, NULL, 0, 412, 63, 'sampled', 918);
INSERT INTO public.samples VALUES (3, 1717424119.257, 26.28, NULL, 0, 412, 63, 'sampled', 919);
INSERT INTO public.samples VALUES (3, 1717424120.26, 23.49, NULL, 0, 412, 63, 'sampled', 920);
INSERT INTO public.samples VALUES (3, 1717424121.263, 24.35, NULL, 0, 412, 62, 'sampled', 921);
INSERT INTO public.samples VALUES (3, 1717424122.267, 25.1, NULL, 0, 412, 62, 'sampled', 922);
INSERT INTO public.samples VALUES (3, 1717424123.268, 23.45, NULL, 0, 412, 61, 'sampled', 923);
INSERT INTO public.samples VALUES (3, 1717424124.269, 22.88, NULL, 0, 412, 61, 'sampled', 924);
INSERT INTO public.samples VALUES (3, 1717424125.27, 22.71, NULL, 0, 412, 60, 'sampled', 925);
INSERT INTO public.samples VALUES (4, 1796298250.734207, 219.71, 0, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298250.734207, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298251.5907762, 213.378, 178.46299999999997, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298251.5907762, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298251.8065326, 183.595, 221.17899999999997, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298251.8065326, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298251.8463247, 180.872, 228.42499999999995, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298251.8463247, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298251.850232, 180.702, 229.13099999999997, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298251.850232, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298251.9062233, 180.302, 239.21900000000005, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298251.9062233, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298251.9881709, 186.321, 254.19099999999992, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298251.9881709, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298251.9994528, 187.666, 256.30100000000004, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298251.9994528, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298252.0528154, 195.14, 266.5079999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298252.0528154, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298252.1124108, 204.415, 278.4129999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298252.1124108, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298252.1506815, 209.993, 286.3449999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298252.1506815, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298252.258417, 219.596, 309.58900000000006, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298252.258417, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298252.270532, 219.887, 312.2500000000001, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298252.270532, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298252.3291216, 218.761, 325.12199999999996, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298252.3291216, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298252.366282, 215.976, 333.197, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298252.366282, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298252.4262283, 208.776, 345.94899999999996, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298252.4262283, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298252.4655232, 202.902, 354.0390000000001, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298252.4655232, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298252.520373, 194.374, 364.9330000000001, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298252.520373, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298252.5942593, 184.772, 378.918, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298252.5942593, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298252.6172326, 182.692, 383.139, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298252.6172326, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298252.6655595, 180.211, 391.8960000000001, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298252.6655595, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298252.71288, 180.51, 400.41999999999996, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298252.71288, 180, NULL, 0, 0, 50, 'sampled', NULL);
INSERT INTO public.samples VALUES (4, 1796298252.7924984, 186.824, 414.9989999999999, 0, 0, 50, 'counter', NULL);
INSERT INTO public.samples VALUES (5, 1796298252.7924984, 180, NULL, 0, 0, 50, 'sampled', NULL);


--
-- Data for Name: schema_version; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.schema_version VALUES (1, 'runs, devices, samples, epochs, annotations', '2026-12-03T11:43:48.4595599+00:00');
INSERT INTO public.schema_version VALUES (2, 'projections: live projection history', '2026-12-03T11:43:49.0686052+00:00');
INSERT INTO public.schema_version VALUES (3, 'projections: what a whole-job projection holds (start-up, tail prior) and its drift prior', '2026-12-03T11:43:49.1863054+00:00');


--
-- Name: annotations_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.annotations_id_seq', 2, true);


--
-- Name: devices_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.devices_id_seq', 5, true);


--
-- Name: projections_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.projections_id_seq', 1, false);


--
-- Name: runs_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.runs_id_seq', 3, true);


--
-- Name: annotations annotations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.annotations
    ADD CONSTRAINT annotations_pkey PRIMARY KEY (id);


--
-- Name: devices devices_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.devices
    ADD CONSTRAINT devices_pkey PRIMARY KEY (id);


--
-- Name: devices devices_run_id_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.devices
    ADD CONSTRAINT devices_run_id_key_key UNIQUE (run_id, key);


--
-- Name: epochs epochs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.epochs
    ADD CONSTRAINT epochs_pkey PRIMARY KEY (run_id, n);


--
-- Name: projections projections_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projections
    ADD CONSTRAINT projections_pkey PRIMARY KEY (id);


--
-- Name: runs runs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.runs
    ADD CONSTRAINT runs_pkey PRIMARY KEY (id);


--
-- Name: runs runs_source_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.runs
    ADD CONSTRAINT runs_source_key_key UNIQUE (source_key);


--
-- Name: runs runs_uuid_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.runs
    ADD CONSTRAINT runs_uuid_key UNIQUE (uuid);


--
-- Name: schema_version schema_version_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_version
    ADD CONSTRAINT schema_version_pkey PRIMARY KEY (version);


--
-- Name: ix_annotations_run_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_annotations_run_id ON public.annotations USING btree (run_id);


--
-- Name: ix_projections_run_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_projections_run_id ON public.projections USING btree (run_id);


--
-- Name: ix_runs_job_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_runs_job_id ON public.runs USING btree (job_id);


--
-- Name: ix_samples_device_t; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_samples_device_t ON public.samples USING btree (device_id, t);


--
-- Name: annotations annotations_device_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.annotations
    ADD CONSTRAINT annotations_device_id_fkey FOREIGN KEY (device_id) REFERENCES public.devices(id) ON DELETE CASCADE;


--
-- Name: annotations annotations_run_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.annotations
    ADD CONSTRAINT annotations_run_id_fkey FOREIGN KEY (run_id) REFERENCES public.runs(id) ON DELETE CASCADE;


--
-- Name: devices devices_run_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.devices
    ADD CONSTRAINT devices_run_id_fkey FOREIGN KEY (run_id) REFERENCES public.runs(id) ON DELETE CASCADE;


--
-- Name: epochs epochs_run_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.epochs
    ADD CONSTRAINT epochs_run_id_fkey FOREIGN KEY (run_id) REFERENCES public.runs(id) ON DELETE CASCADE;


--
-- Name: projections projections_run_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projections
    ADD CONSTRAINT projections_run_id_fkey FOREIGN KEY (run_id) REFERENCES public.runs(id) ON DELETE CASCADE;


--
-- Name: samples samples_device_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.samples
    ADD CONSTRAINT samples_device_id_fkey FOREIGN KEY (device_id) REFERENCES public.devices(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--


