using TrainWatt.Core;
using TrainWatt.Core.Units;

namespace TrainWatt.Storage.Chunks;

/// <summary>
/// The compact encoding of one device's samples in a <c>sample_chunks</c> row (schema 4): a format byte, then per sample
/// a bit stream. Lossless: every decoded field is bit-identical to the stored double, and the time is the store's
/// microsecond (what a REAL <c>t</c> column read back as).
/// </summary>
/// <remarks>
/// <para>Per sample: the <b>shape</b> (which of power, energy, utilisation, memory, temperature and source line are
/// present, and the provenance: 8 bits) as one bit "same as the previous sample" or 1 + 8 bits; the <b>time</b> in
/// microseconds since the Unix epoch, the first one raw (64 bits), then its delta-of-delta; each present <b>value</b>;
/// the <b>source line</b> as a delta-of-delta.</para>
/// <para>A value is held as an integer k at a decimal scale s (k / 10^s, s = 0..6: NVML's milliwatts and millijoules,
/// whole percent, MiB, °C) plus a correction c in units in the last place (the IEEE bit patterns' difference; 0 for
/// a value that is exactly k / 10^s, a few for a counter difference a − b of two such values). k is predicted from the
/// previous values, by the previous k (delta) or by the previous k plus the previous step (delta-of-delta), whichever
/// has the smaller recent error (both sides track it, so no bit says which): "0" when k is the prediction and c is 0,
/// else "10" + the residual + c. "11" + a 4-bit scale + the 64 raw bits is an escape (the first value, a new scale, a
/// value no scale holds: scale 15, where "0" then means "the same bits again").</para>
/// <para>Signed integers (residuals, corrections, time steps) are zigzag coded with an adaptive Rice code per stream
/// (parameter k from the recent magnitudes, as in LOCO-I): the quotient z >> k in unary, then the k low bits; a
/// quotient of 20 or more is an escape to the 64 raw bits.</para>
/// </remarks>
internal static class SampleChunkCodec
{
    /// <summary>The format byte every chunk starts with.</summary>
    public const byte Format = 1;

    /// <summary>A value field's scale code when no decimal scale holds it.</summary>
    public const int Raw = 15;

    public const int MaxScale = 6;

    /// <summary>Correction limits: a scale is chosen when |c| is at most ChooseLimit, and kept while |c| is below StayLimit.</summary>
    public const long ChooseLimit = 1 << 16;

    public const long StayLimit = 1 << 20;

    public static readonly double[] Pow10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6];

    /// <summary>Unary quotients from this length on are an escape to the raw 64-bit value.</summary>
    private const int EscapeQuotient = 20;

    /// <summary>Writes <paramref name="value"/> zigzag coded with an adaptive Rice code (its parameter follows the recent magnitudes).</summary>
    public static void WriteSigned(BitWriter writer, ref RiceState state, long value)
    {
        ulong z = (ulong)((value << 1) ^ (value >> 63));
        int k = state.Parameter;
        ulong q = z >> k;
        if (q < EscapeQuotient)
        {
            // q ones, a zero, the k low bits
            writer.Write(((1UL << (int)q) - 1) << 1, (int)q + 1);
            writer.Write(z, k);
        }
        else
        {
            writer.Write((1UL << EscapeQuotient) - 1, EscapeQuotient);
            writer.Write(z, 64);
        }

        state.Update(z);
    }

    public static long ReadSigned(ref BitReader reader, ref RiceState state)
    {
        int k = state.Parameter;
        int q = reader.ReadOnes(EscapeQuotient);

        ulong z = q < EscapeQuotient ? ((ulong)q << k) | reader.Read(k) : reader.Read(64);
        state.Update(z);
        return (long)(z >> 1) ^ -(long)(z & 1);
    }

    /// <summary>k and c of <paramref name="value"/> at <paramref name="scale"/>; false when k would not be exact in a double (or the value is not finite).</summary>
    public static bool TryScale(double value, int scale, out long k, out long correction)
    {
        double m = value * Pow10[scale];
        if (!(Math.Abs(m) < 9007199254740992.0))
        {
            k = 0;
            correction = 0;
            return false;
        }

        k = (long)Math.Round(m);
        correction = unchecked(BitConverter.DoubleToInt64Bits(value) - BitConverter.DoubleToInt64Bits(k / Pow10[scale]));
        return true;
    }

    public static double Unscale(long k, int scale, long correction)
        => BitConverter.Int64BitsToDouble(unchecked(BitConverter.DoubleToInt64Bits(k / Pow10[scale]) + correction));

    public static int ProvenanceCode(Provenance provenance) => provenance switch
    {
        Provenance.Counter => 0,
        Provenance.Sampled => 1,
        Provenance.Model => 2,
        Provenance.UserGiven => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(provenance), provenance, "Unknown provenance."),
    };

    public static Provenance ProvenanceOf(int code) => code switch
    {
        0 => Provenance.Counter,
        1 => Provenance.Sampled,
        2 => Provenance.Model,
        _ => Provenance.UserGiven,
    };

    public static int Shape(in SampleRecord sample)
        => (sample.Power is null ? 0 : 1)
            | (sample.CumulativeEnergy is null ? 0 : 2)
            | (sample.UtilizationPercent is null ? 0 : 4)
            | (sample.MemoryUsedMiB is null ? 0 : 8)
            | (sample.TemperatureCelsius is null ? 0 : 16)
            | (sample.SourceLine is null ? 0 : 32)
            | (ProvenanceCode(sample.Provenance) << 6);
}

/// <summary>An adaptive Rice code's state (as in LOCO-I): the recent sum of magnitudes and their count give the parameter.</summary>
internal struct RiceState
{
    private long _sum;
    private int _count;

    public readonly int Parameter
    {
        get
        {
            long n = Math.Max(_count, 1);

            // The smallest k with n << k >= sum (at most 62). Every k below bitlength(sum) - bitlength(n) - 1 has
            // n << k < sum, so the search starts there.
            int k = Math.Clamp(System.Numerics.BitOperations.Log2((ulong)Math.Max(_sum, 1)) - System.Numerics.BitOperations.Log2((ulong)n) - 1, 0, 62);
            while (k < 62 && (n << k) < _sum)
            {
                k++;
            }

            return k;
        }
    }

    public void Update(ulong z)
    {
        _sum += (long)Math.Min(z, 1UL << 40);
        if (++_count >= 32)
        {
            _sum >>= 1;
            _count >>= 1;
        }
    }
}

/// <summary>What encoder and decoder both know of one value field: its scale, the last k and step, and the two predictors' recent errors.</summary>
internal struct ValueState
{
    public int Scale;      // -1: nothing yet
    public long K;
    public long Step;
    public long Bits;
    public long DeltaCost;
    public long StepCost;
    public long PowerCost;
    public RiceState Residuals;
    public RiceState Corrections;

    public static ValueState Empty => new() { Scale = -1 };

    /// <summary>
    /// The predicted k: the previous k (delta), the previous k plus the previous step (delta-of-delta), or, for an energy
    /// counter, the previous k plus the trapezoid of the power between the two samples (<paramref name="fromPower"/>, when
    /// both have power), whichever had the smallest recent error.
    /// </summary>
    public readonly long Predict(long? fromPower)
    {
        long best = StepCost < DeltaCost ? K + Step : K;
        return fromPower is { } p && PowerCost < Math.Min(StepCost, DeltaCost) ? p : best;
    }

    /// <summary>After a value coded against the prediction.</summary>
    public void Advance(long k, long bits, long? fromPower)
    {
        long deltaError = Math.Min(Math.Abs(k - K), 1L << 40);
        long stepError = Math.Min(Math.Abs(k - (K + Step)), 1L << 40);
        DeltaCost += deltaError - (DeltaCost >> 3);
        StepCost += stepError - (StepCost >> 3);
        if (fromPower is { } p)
        {
            PowerCost += Math.Min(Math.Abs(k - p), 1L << 40) - (PowerCost >> 3);
        }

        Step = k - K;
        K = k;
        Bits = bits;
    }

    /// <summary>The energy counter's k predicted from the power: previous k + (p0 + p1) / 2 × dt at this scale.</summary>
    public readonly long? FromPower(double? previousWatts, double? watts, long microseconds)
    {
        if (Scale is < 0 or > SampleChunkCodec.MaxScale || previousWatts is not { } p0 || watts is not { } p1)
        {
            return null;
        }

        double m = (p0 + p1) * 0.5 * (microseconds / 1e6) * SampleChunkCodec.Pow10[Scale];
        return Math.Abs(m) < 1e15 ? K + (long)Math.Round(m) : null;
    }

    /// <summary>After an escape: a new start at <paramref name="scale"/>.</summary>
    public void Restart(int scale, double value)
    {
        Scale = scale;
        Bits = BitConverter.DoubleToInt64Bits(value);
        Step = 0;
        K = scale != SampleChunkCodec.Raw && SampleChunkCodec.TryScale(value, scale, out long k, out _) ? k : 0;
    }
}

/// <summary>Encodes one device's samples, in time order, into a chunk; appendable after every <see cref="ToArray"/>.</summary>
internal sealed class SampleChunkEncoder
{
    private readonly BitWriter _writer = new();
    private ValueState _power = ValueState.Empty, _energy = ValueState.Empty, _utilization = ValueState.Empty, _memory = ValueState.Empty, _temperature = ValueState.Empty;
    private int _shape = -1;
    private long _step;
    private long _line;
    private long _lineStep;
    private RiceState _timeCode;
    private RiceState _lineCode;
    private double? _previousWatts;

    public SampleChunkEncoder() => _writer.Write(SampleChunkCodec.Format, 8);

    public int Count { get; private set; }

    public long FirstMicroseconds { get; private set; }

    public long LastMicroseconds { get; private set; }

    public int ByteLength => _writer.ByteLength;

    /// <summary>Appends a sample taken at <paramref name="microseconds"/> (its store time; not before the last one).</summary>
    public void Append(in SampleRecord sample, long microseconds)
    {
        if (Count > 0 && microseconds < LastMicroseconds)
        {
            throw new ArgumentException("Samples of a chunk must be in time order.", nameof(sample));
        }

        int shape = SampleChunkCodec.Shape(sample);
        if (shape == _shape)
        {
            _writer.Write(0, 1);
        }
        else
        {
            _writer.Write((ulong)(0x100 | shape), 9);
            _shape = shape;
        }

        if (Count == 0)
        {
            _writer.Write((ulong)microseconds, 64);
            FirstMicroseconds = microseconds;
        }
        else
        {
            long step = microseconds - LastMicroseconds;
            SampleChunkCodec.WriteSigned(_writer, ref _timeCode, step - _step);
            _step = step;
        }

        long dt = microseconds - LastMicroseconds;
        LastMicroseconds = microseconds;
        double? watts = sample.Power?.Watts;
        if (watts is { } w)
        {
            Value(ref _power, w, null);
        }

        if (sample.CumulativeEnergy is { } energy)
        {
            Value(ref _energy, energy.Joules, Count > 0 ? _energy.FromPower(_previousWatts, watts, dt) : null);
        }

        _previousWatts = watts;

        if (sample.UtilizationPercent is { } utilization)
        {
            Value(ref _utilization, utilization, null);
        }

        if (sample.MemoryUsedMiB is { } memory)
        {
            Value(ref _memory, memory, null);
        }

        if (sample.TemperatureCelsius is { } temperature)
        {
            Value(ref _temperature, temperature, null);
        }

        if (sample.SourceLine is { } line)
        {
            SampleChunkCodec.WriteSigned(_writer, ref _lineCode, line - (_line + _lineStep));
            _lineStep = line - _line;
            _line = line;
        }

        Count++;
    }

    public byte[] ToArray() => _writer.ToArray();

    private void Value(ref ValueState state, double value, long? fromPower)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        if (state.Scale == SampleChunkCodec.Raw)
        {
            if (bits == state.Bits)
            {
                _writer.Write(0, 1);
                return;
            }
        }
        else if (state.Scale >= 0 && SampleChunkCodec.TryScale(value, state.Scale, out long k, out long c) && c > -SampleChunkCodec.StayLimit && c < SampleChunkCodec.StayLimit)
        {
            long residual = k - state.Predict(fromPower);
            if (residual == 0 && c == 0)
            {
                _writer.Write(0, 1);
            }
            else
            {
                _writer.Write(0b10, 2);
                SampleChunkCodec.WriteSigned(_writer, ref state.Residuals, residual);
                SampleChunkCodec.WriteSigned(_writer, ref state.Corrections, c);
            }

            state.Advance(k, bits, fromPower);
            return;
        }

        int scale = ChooseScale(value);
        _writer.Write((ulong)(0b11_0000 | scale), 6);
        _writer.Write((ulong)bits, 64);
        state.Restart(scale, value);
    }

    /// <summary>The smallest scale that holds the value exactly, else the smallest with a small correction, else <see cref="SampleChunkCodec.Raw"/>.</summary>
    private static int ChooseScale(double value)
    {
        int close = SampleChunkCodec.Raw;
        for (int scale = 0; scale <= SampleChunkCodec.MaxScale; scale++)
        {
            if (SampleChunkCodec.TryScale(value, scale, out _, out long c))
            {
                if (c == 0)
                {
                    return scale;
                }

                if (close == SampleChunkCodec.Raw && c >= -SampleChunkCodec.ChooseLimit && c <= SampleChunkCodec.ChooseLimit)
                {
                    close = scale;
                }
            }
        }

        return close;
    }
}

/// <summary>Decodes a chunk written by <see cref="SampleChunkEncoder"/>, one sample at a time.</summary>
internal sealed class SampleChunkDecoder
{
    private readonly long _deviceId;
    private readonly int _count;
    private BitReader _reader;
    private ValueState _power = ValueState.Empty, _energy = ValueState.Empty, _utilization = ValueState.Empty, _memory = ValueState.Empty, _temperature = ValueState.Empty;
    private int _shape = -1;
    private long _step;
    private long _line;
    private long _lineStep;
    private RiceState _timeCode;
    private RiceState _lineCode;
    private double? _previousWatts;
    private int _read;

    public SampleChunkDecoder(long deviceId, long sequence, int count, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length == 0 || data[0] != SampleChunkCodec.Format)
        {
            throw new InvalidDataException(data.Length == 0
                ? "the sample chunk is empty"
                : $"the sample chunk has format {data[0]}, which this TrainWatt does not know (it writes {SampleChunkCodec.Format})");
        }

        if (count < 0)
        {
            throw new InvalidDataException($"the sample chunk says it holds {count} samples");
        }

        _deviceId = deviceId;
        Sequence = sequence;
        _count = count;
        _reader = new BitReader(data, 1);
    }

    /// <summary>The chunk's row id: among samples at the same time, the earlier chunk's come first.</summary>
    public long Sequence { get; }

    public long DeviceId => _deviceId;

    public SampleRecord Current { get; private set; }

    public long CurrentMicroseconds { get; private set; }

    /// <summary>True once <see cref="MoveNext"/> has returned false.</summary>
    public bool Done { get; private set; }

    public bool MoveNext()
    {
        if (_read >= _count)
        {
            Done = true;
            return false;
        }

        if (_reader.ReadBit())
        {
            _shape = (int)_reader.Read(8);
        }
        else if (_shape < 0)
        {
            throw new InvalidDataException("the sample chunk's first sample has no shape");
        }

        long us;
        if (_read == 0)
        {
            us = (long)_reader.Read(64);
        }
        else
        {
            _step += SampleChunkCodec.ReadSigned(ref _reader, ref _timeCode);
            us = CurrentMicroseconds + _step;
        }

        double? power = (_shape & 1) != 0 ? Value(ref _power, null) : null;
        double? energy = (_shape & 2) != 0 ? Value(ref _energy, _read > 0 ? _energy.FromPower(_previousWatts, power, us - CurrentMicroseconds) : null) : null;
        _previousWatts = power;
        double? utilization = (_shape & 4) != 0 ? Value(ref _utilization, null) : null;
        double? memory = (_shape & 8) != 0 ? Value(ref _memory, null) : null;
        double? temperature = (_shape & 16) != 0 ? Value(ref _temperature, null) : null;
        int? line = null;
        if ((_shape & 32) != 0)
        {
            long value = _line + _lineStep + SampleChunkCodec.ReadSigned(ref _reader, ref _lineCode);
            _lineStep = value - _line;
            _line = value;
            line = checked((int)value);
        }

        CurrentMicroseconds = us;
        Current = new SampleRecord(
            _deviceId,
            StoreRows.FromMicroseconds(us),
            power is { } p ? Power.FromWatts(p) : null,
            energy is { } e ? Energy.FromJoules(e) : null,
            utilization,
            memory,
            temperature,
            SampleChunkCodec.ProvenanceOf(_shape >> 6),
            line);
        _read++;
        return true;
    }

    private double Value(ref ValueState state, long? fromPower)
    {
        if (!_reader.ReadBit())
        {
            if (state.Scale == SampleChunkCodec.Raw)
            {
                return BitConverter.Int64BitsToDouble(state.Bits);
            }

            if (state.Scale < 0)
            {
                throw new InvalidDataException("the sample chunk repeats a value it never gave");
            }

            long k = state.Predict(fromPower);
            double same = SampleChunkCodec.Unscale(k, state.Scale, 0);
            state.Advance(k, BitConverter.DoubleToInt64Bits(same), fromPower);
            return same;
        }

        if (!_reader.ReadBit())
        {
            if (state.Scale is < 0 or SampleChunkCodec.Raw)
            {
                throw new InvalidDataException("the sample chunk codes a value against no scale");
            }

            long k = state.Predict(fromPower) + SampleChunkCodec.ReadSigned(ref _reader, ref state.Residuals);
            long c = SampleChunkCodec.ReadSigned(ref _reader, ref state.Corrections);
            double value = SampleChunkCodec.Unscale(k, state.Scale, c);
            state.Advance(k, BitConverter.DoubleToInt64Bits(value), fromPower);
            return value;
        }

        int scale = (int)_reader.Read(4);
        if (scale > SampleChunkCodec.MaxScale && scale != SampleChunkCodec.Raw)
        {
            throw new InvalidDataException($"the sample chunk names the unknown scale {scale}");
        }

        double raw = BitConverter.Int64BitsToDouble((long)_reader.Read(64));
        state.Restart(scale, raw);
        return raw;
    }
}
