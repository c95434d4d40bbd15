using TrainWatt.Core;

namespace TrainWatt.Storage.Tests;

/// <summary>The store's one provenance mapping (<see cref="StoreRows.ProvenanceColumn"/> and its inverse).</summary>
public class StoreRowsProvenanceTests
{
    [Fact]
    public void Should_Map_Every_Provenance_To_The_Schema_Spelling_And_Back()
    {
        // Oracle: the schemas' CHECK constraint (SqliteSchema, PostgresSchema): counter, sampled, model, user_given.
        var all = Enum.GetValues<Provenance>();
        Assert.Equal(["counter", "sampled", "model", "user_given"], all.Select(StoreRows.ProvenanceColumn));
        Assert.All(all, p => Assert.Equal(p, StoreRows.ParseProvenance(StoreRows.ProvenanceColumn(p))));
    }

    [Fact]
    public void Column_Spelling_Should_Differ_From_The_Output_Spelling_Only_For_User_Given()
    {
        // The one place the store's spelling differs from what outputs write (ProvenanceText.Name).
        var differing = Enum.GetValues<Provenance>().Where(p => StoreRows.ProvenanceColumn(p) != ProvenanceText.Name(p));
        Assert.Equal([Provenance.UserGiven], differing);
    }

    [Fact]
    public void Should_Refuse_A_Value_The_Schema_Does_Not_Allow()
    {
        Assert.Throws<InvalidDataException>(() => StoreRows.ParseProvenance("user-given"));
        Assert.Throws<ArgumentOutOfRangeException>(() => StoreRows.ProvenanceColumn((Provenance)42));
    }
}
