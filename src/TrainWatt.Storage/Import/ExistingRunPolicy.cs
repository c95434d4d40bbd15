namespace TrainWatt.Storage.Import;

/// <summary>What to do with inputs whose source key is already in the store.</summary>
public enum ExistingRunPolicy
{
    /// <summary>Leave the stored run and report the input as skipped (the default: re-import is idempotent).</summary>
    Skip,

    /// <summary>Delete the stored run and import the input again (in one transaction per run).</summary>
    Replace,
}
