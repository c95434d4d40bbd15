using TrainWatt.Core.Footprint;

namespace TrainWatt.Core.Tests;

public class ProvenanceTextTests
{
    // Oracle: the product guide and README: "counter, sampled, model, user-given", spelled the same everywhere.
    public static TheoryData<Provenance, string> Documented => new()
    {
        { Provenance.Counter, "counter" },
        { Provenance.Sampled, "sampled" },
        { Provenance.Model, "model" },
        { Provenance.UserGiven, "user-given" },
    };

    [Theory]
    [MemberData(nameof(Documented))]
    public void Should_Spell_Every_Provenance_As_Documented_And_Read_It_Back(Provenance provenance, string name)
    {
        Assert.Equal(name, ProvenanceText.Name(provenance));
        Assert.True(ProvenanceText.TryParse(name, out var parsed));
        Assert.Equal(provenance, parsed);
        Assert.True(ProvenanceText.TryParse($" {name.ToUpperInvariant()} ", out parsed));
        Assert.Equal(provenance, parsed);
    }

    [Fact]
    public void Should_Cover_Every_Enum_Value_With_Distinct_Names()
    {
        var values = Enum.GetValues<Provenance>();
        Assert.Equal(values.Select(ProvenanceText.Name), ProvenanceText.Names);
        Assert.Equal(values.Length, ProvenanceText.Names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Documented.Count, values.Length);
    }

    [Theory]
    [InlineData("user_given")]
    [InlineData("usergiven")]
    public void Should_Read_The_Spellings_Older_Versions_Wrote(string legacy)
    {
        Assert.True(ProvenanceText.TryParse(legacy, out var parsed));
        Assert.Equal(Provenance.UserGiven, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("user given")]
    [InlineData("measured")]
    public void Should_Refuse_Unknown_Names(string? text)
        => Assert.False(ProvenanceText.TryParse(text, out _));

    [Fact]
    public void Should_Refuse_An_Undefined_Value_Instead_Of_Guessing()
        => Assert.Throws<ArgumentOutOfRangeException>(() => ProvenanceText.Name((Provenance)42));

    [Fact]
    public void Footprint_Assumptions_Should_Use_The_Same_Spelling()
    {
        // The text outputs of Core's footprint: "PUE 1.5 (user-given)", "<intensity> (user-given)".
        Assert.EndsWith("(" + ProvenanceText.Name(Provenance.UserGiven) + ")", PueAssumption.Given(1.5).Description, StringComparison.Ordinal);
        Assert.EndsWith("(" + ProvenanceText.Name(Provenance.UserGiven) + ")", IntensityAssumption.Given(400).Description, StringComparison.Ordinal);
    }
}
