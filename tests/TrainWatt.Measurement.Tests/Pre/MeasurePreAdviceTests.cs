namespace TrainWatt.Measurement.Tests.Pre;

/// <summary>Issue 20: measure's PRE advice names only the tags the user did not give.</summary>
public sealed class MeasurePreAdviceTests
{
    private static Dictionary<string, string> Fields(params (string Key, string Value)[] tags)
        => tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void A_Partial_Description_Is_Told_Only_What_It_Lacks()
    {
        string advice = MeasurePre.Advice(Fields(("architecture", "vgg16"), ("batch_size", "32")), "no PRE feature ...");

        Assert.Equal(" Describe the run with the tags it lacks: --tag gpu=NAME, input=HxW, train_samples=N, val_samples=N, ram_gb=X (docs/pre.md).", advice);
    }

    [Fact]
    public void A_Cpu_Only_Run_With_Every_Tag_Is_Told_What_Pre_Covers_Not_To_Add_Tags()
    {
        var all = Fields(("architecture", "vgg16"), ("batch_size", "32"), ("input", "128x128"), ("train_samples", "100"), ("val_samples", "10"), ("ram_gb", "16"));

        string advice = MeasurePre.Advice(all, "no PRE feature gpu in metadata or tags (nor a named GPU device in the run)");

        Assert.Contains("PRE predicts the energy of training on a GPU", advice, StringComparison.Ordinal);
        Assert.DoesNotContain("--tag", advice, StringComparison.Ordinal);
        Assert.Equal("", MeasurePre.Advice(all.Append(new("gpu", "RTX 3090")).ToDictionary(), "no epochs recorded")); // the reason says it all
    }
}
