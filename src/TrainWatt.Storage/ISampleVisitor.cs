namespace TrainWatt.Storage;

/// <summary>
/// Takes one device's samples in time order, one call each (<see cref="IRunStore.VisitSamples"/>): a reader that keeps
/// a running figure (an energy, a plot's buckets) instead of holding the samples.
/// </summary>
public interface ISampleVisitor
{
    void Visit(in SampleRecord sample);
}
